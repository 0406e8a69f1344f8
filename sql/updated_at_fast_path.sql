-- The updated_at fast path (src/pg/updated_at_fast_path.cpp): where an UPDATE's only
-- BEFORE UPDATE row trigger is dialer.set_updated_at(), the planner stamps the column in
-- the target list and the executor skips the trigger. Proves: it engages (plans,
-- trigger call counts), it stays away where it does not apply, plans made before the
-- library was loaded keep the trigger, and every case in
-- test/helpers/updated_at_cases.sql gives the same results with it on and off.
-- The library loads when a backend first runs a pg_dialer C function; LOAD (or
-- session_preload_libraries = 'pg_dialer') makes the fast path active from the start.

-- A plan made before the library was loaded in this backend keeps firing the trigger.
SELECT current_setting('dialer.updated_at_fast_path', true) IS NULL AS library_not_loaded;
CREATE SCHEMA updated_at_fast;
SET search_path = updated_at_fast, public;
CREATE TABLE early (id int, payload text, updated_at timestamptz);
SELECT dialer.track_updated_at('early');
SET plan_cache_mode = force_generic_plan;
PREPARE early_touch AS UPDATE early SET payload = 'b';
EXECUTE early_touch;
SELECT current_setting('dialer.updated_at_fast_path', true) IS NULL AS library_not_loaded;
LOAD 'pg_dialer';
SHOW dialer.updated_at_fast_path;
INSERT INTO early VALUES (1, 'a', '2000-01-01');
BEGIN;
EXECUTE early_touch;
SELECT payload, updated_at = now() AS stamped FROM early;
COMMIT;
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE early_touch;
DEALLOCATE early_touch;
RESET plan_cache_mode;
-- Planned now, the same statement stamps in the plan.
EXPLAIN (VERBOSE, COSTS OFF) UPDATE early SET payload = 'b';

-- Where it applies: the injected expression in the plan, and no trigger call.
CREATE TABLE items (id int PRIMARY KEY, payload text, updated_at timestamptz);
SELECT dialer.track_updated_at('items');
INSERT INTO items VALUES (1, 'a', NULL), (2, 'b', NULL);
EXPLAIN (VERBOSE, COSTS OFF) UPDATE items SET payload = 'x';
EXPLAIN (VERBOSE, COSTS OFF) UPDATE items SET updated_at = '1999-01-01', payload = 'x';
PREPARE set_stamp(timestamptz) AS UPDATE items SET updated_at = $1 WHERE id = 1;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE set_stamp('1999-01-01');
RESET plan_cache_mode;
DEALLOCATE set_stamp;
EXPLAIN (VERBOSE, COSTS OFF) UPDATE items i SET payload = e.payload FROM early e WHERE e.id = i.id;
EXPLAIN (VERBOSE, COSTS OFF) WITH u AS (UPDATE items SET payload = 'w' RETURNING id) SELECT * FROM u;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) UPDATE items SET payload = 'y';
SET dialer.updated_at_fast_path = off;
EXPLAIN (VERBOSE, COSTS OFF) UPDATE items SET payload = 'x';
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) UPDATE items SET payload = 'y';
RESET dialer.updated_at_fast_path;
-- A cached plan follows the setting.
SET plan_cache_mode = force_generic_plan;
PREPARE touch AS UPDATE items SET payload = 'z';
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE touch;
SET dialer.updated_at_fast_path = off;
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE touch;
RESET dialer.updated_at_fast_path;
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE touch;
DEALLOCATE touch;
RESET plan_cache_mode;

-- Clocks and column types follow the trigger's arguments.
CREATE TABLE notes (id int, touched timestamp);
SELECT dialer.track_updated_at('notes', 'touched');
EXPLAIN (VERBOSE, COSTS OFF) UPDATE notes SET id = 2;
CREATE TABLE at_statement (id int, stamp timestamptz);
CREATE TRIGGER s BEFORE UPDATE ON at_statement FOR EACH ROW
  EXECUTE FUNCTION dialer.set_updated_at('stamp', 'statement');
EXPLAIN (VERBOSE, COSTS OFF) UPDATE at_statement SET id = 2;
CREATE TABLE at_clock (id int, stamp timestamptz);
CREATE TRIGGER c BEFORE UPDATE ON at_clock FOR EACH ROW
  EXECUTE FUNCTION dialer.set_updated_at('stamp', 'clock');
EXPLAIN (VERBOSE, COSTS OFF) UPDATE at_clock SET id = 2;

-- Where it does not apply, the plan is untouched and the trigger fires.
-- A user-written value that must still be evaluated:
EXPLAIN (VERBOSE, COSTS OFF) UPDATE items SET updated_at = now() - interval '1 day';
-- skip_noop (needs the old row):
CREATE TABLE profiles (id int, name text, updated_at timestamptz);
SELECT dialer.track_updated_at('profiles', skip_noop => true);
EXPLAIN (VERBOSE, COSTS OFF) UPDATE profiles SET name = 'x';
-- a second BEFORE UPDATE row trigger:
CREATE TABLE twice (id int, note text, updated_at timestamptz);
SELECT dialer.track_updated_at('twice');
CREATE FUNCTION twice_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER z_note BEFORE UPDATE ON twice FOR EACH ROW EXECUTE FUNCTION twice_note();
EXPLAIN (VERBOSE, COSTS OFF) UPDATE twice SET note = 'x';
-- ... unless that one is disabled:
ALTER TABLE twice DISABLE TRIGGER z_note;
EXPLAIN (VERBOSE, COSTS OFF) UPDATE twice SET note = 'x';
-- our trigger disabled, or not firing in the replica role:
ALTER TABLE twice DISABLE TRIGGER USER;
EXPLAIN (VERBOSE, COSTS OFF) UPDATE twice SET note = 'x';
ALTER TABLE twice ENABLE TRIGGER dialer_set_updated_at;
SET session_replication_role = replica;
EXPLAIN (VERBOSE, COSTS OFF) UPDATE twice SET note = 'x';
RESET session_replication_role;
-- a WHEN clause:
CREATE TABLE guarded (id int, updated_at timestamptz);
CREATE TRIGGER g BEFORE UPDATE ON guarded FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION dialer.set_updated_at();
EXPLAIN (VERBOSE, COSTS OFF) UPDATE guarded SET id = 2;
-- a partitioned table, an inheritance parent, a stored generated column:
CREATE TABLE parted (id int, note text, updated_at timestamptz) PARTITION BY RANGE (id);
CREATE TABLE parted_low PARTITION OF parted FOR VALUES FROM (0) TO (10);
SELECT dialer.track_updated_at('parted');
EXPLAIN (VERBOSE, COSTS OFF) UPDATE parted SET note = 'x';
EXPLAIN (VERBOSE, COSTS OFF) UPDATE parted_low SET note = 'x';
CREATE TABLE parent (id int, updated_at timestamptz);
CREATE TABLE child () INHERITS (parent);
SELECT dialer.track_updated_at('parent');
EXPLAIN (VERBOSE, COSTS OFF) UPDATE ONLY parent SET id = 2;
CREATE TABLE generated (id int, updated_at timestamptz,
  stamp_day date GENERATED ALWAYS AS ((updated_at AT TIME ZONE 'UTC')::date) STORED);
SELECT dialer.track_updated_at('generated');
EXPLAIN (VERBOSE, COSTS OFF) UPDATE generated SET id = 2;
-- a missing column or bad option: the trigger reports it.
CREATE TABLE broken (id int, updated_at timestamptz);
CREATE TRIGGER b BEFORE UPDATE ON broken FOR EACH ROW EXECUTE FUNCTION dialer.set_updated_at('nope');
INSERT INTO broken VALUES (1, NULL);
UPDATE broken SET id = 2;
DROP TRIGGER b ON broken;
CREATE TRIGGER b BEFORE UPDATE ON broken FOR EACH ROW
  EXECUTE FUNCTION dialer.set_updated_at('updated_at', 'sometimes');
UPDATE broken SET id = 2;
-- another C trigger function (contrib's moddatetime):
CREATE EXTENSION moddatetime SCHEMA updated_at_fast;
CREATE TABLE other_c (id int, updated_at timestamptz);
CREATE TRIGGER m BEFORE UPDATE ON other_c FOR EACH ROW EXECUTE FUNCTION moddatetime(updated_at);
EXPLAIN (VERBOSE, COSTS OFF) UPDATE other_c SET id = 2;
-- INSERT ... ON CONFLICT and MERGE keep the trigger:
EXPLAIN (VERBOSE, COSTS OFF) INSERT INTO items VALUES (1, 'u', NULL) ON CONFLICT (id) DO UPDATE SET payload = 'u';
EXPLAIN (VERBOSE, COSTS OFF) MERGE INTO items i USING (VALUES (1)) v(id) ON i.id = v.id
  WHEN MATCHED THEN UPDATE SET payload = 'm';

-- Renaming the function changes nothing: it is recognised by its C symbol and library.
BEGIN;
ALTER FUNCTION dialer.set_updated_at() RENAME TO stamp_renamed;
EXPLAIN (VERBOSE, COSTS OFF) UPDATE items SET payload = 'x';
ROLLBACK;

RESET search_path;
DROP SCHEMA updated_at_fast CASCADE;

-- Every case, with the fast path on and then off: the outputs must match.
CREATE ROLE regress_updated_at_editor;
SET dialer.updated_at_fast_path = on;
\i test/helpers/updated_at_cases.sql
SET dialer.updated_at_fast_path = off;
\i test/helpers/updated_at_cases.sql
RESET dialer.updated_at_fast_path;
DROP ROLE regress_updated_at_editor;
