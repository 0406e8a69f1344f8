-- UPDATE cases of dialer.set_updated_at(), run by sql/updated_at_fast_path.sql twice: with
-- dialer.updated_at_fast_path on and off. Every case prints only results that must be
-- the same either way; the plans are shown by sql/updated_at_fast_path.sql itself.
CREATE SCHEMA updated_at_cases;
SET search_path = updated_at_cases, public;
SHOW dialer.updated_at_fast_path;

-- Plain UPDATE stamps the transaction timestamp; a user-written value is overridden
-- (a constant, a parameter, DEFAULT, an expression, a multi-assignment).
CREATE TABLE items (id int PRIMARY KEY, payload text, updated_at timestamptz NOT NULL DEFAULT '1990-01-01');
SELECT dialer.track_updated_at('items');
INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c');
ALTER TABLE items DISABLE TRIGGER dialer_set_updated_at;
UPDATE items SET updated_at = '2000-01-01';
ALTER TABLE items ENABLE TRIGGER dialer_set_updated_at;
SELECT id, updated_at = '2000-01-01' AS old_stamp_kept FROM items ORDER BY id;
BEGIN;
UPDATE items SET payload = 'x' WHERE id = 1;
UPDATE items SET payload = 'y', updated_at = '1999-01-01' WHERE id = 2;
SELECT id, payload, updated_at = now() AS stamped FROM items ORDER BY id;
ROLLBACK;
PREPARE set_stamp(timestamptz) AS UPDATE items SET updated_at = $1 WHERE id = 1;
BEGIN;
EXECUTE set_stamp('1999-01-01');
UPDATE items SET updated_at = DEFAULT WHERE id = 2;
UPDATE items SET updated_at = now() - interval '1 day' WHERE id = 3;
SELECT id, updated_at = now() AS stamped FROM items ORDER BY id;
ROLLBACK;
DEALLOCATE set_stamp;
BEGIN;
UPDATE items SET (payload, updated_at) = (SELECT 'm', '1999-01-01'::timestamptz) WHERE id = 1;
UPDATE items SET updated_at = CASE WHEN id = 2 THEN 1 / (id - 2) END::text::timestamptz WHERE id = 3;
SELECT id, payload, updated_at = now() AS stamped FROM items ORDER BY id;
ROLLBACK;
-- The user's value is still evaluated where it can fail.
UPDATE items SET updated_at = (1 / (id - 2))::text::timestamptz WHERE id = 2;

-- RETURNING, UPDATE ... FROM, and an UPDATE inside WITH see the stamp.
BEGIN;
UPDATE items SET payload = 'r' WHERE id = 1 RETURNING id, payload, updated_at = now() AS stamped;
CREATE TEMP TABLE changes (id int, payload text) ON COMMIT DROP;
INSERT INTO changes VALUES (2, 'from-join'), (3, 'from-join');
UPDATE items i SET payload = c.payload FROM changes c WHERE c.id = i.id
  RETURNING i.id, i.payload, i.updated_at = now() AS stamped;
ROLLBACK;
BEGIN;
WITH u AS (UPDATE items SET payload = 'cte' WHERE id = 3 RETURNING id, updated_at)
SELECT id, updated_at = now() AS stamped FROM u;
ROLLBACK;

-- A timestamp (without time zone) column: session-local wall time.
CREATE TABLE notes (id int, body text, touched timestamp NOT NULL DEFAULT '2000-01-01');
SELECT dialer.track_updated_at('notes', 'touched');
INSERT INTO notes (id, body) VALUES (1, 'x');
BEGIN;
SET LOCAL timezone = 'Asia/Kolkata';
UPDATE notes SET body = 'y';
SELECT touched = now()::timestamp AS local_wall_time FROM notes;
ROLLBACK;

-- Options: the statement start or the wall clock instead of the transaction start.
CREATE TABLE at_statement (id int, stamp timestamptz);
CREATE TRIGGER s BEFORE UPDATE ON at_statement FOR EACH ROW
  EXECUTE FUNCTION dialer.set_updated_at('stamp', 'statement');
CREATE TABLE at_clock (id int, stamp timestamptz);
CREATE TRIGGER c BEFORE UPDATE ON at_clock FOR EACH ROW
  EXECUTE FUNCTION dialer.set_updated_at('stamp', 'clock');
INSERT INTO at_statement VALUES (1, NULL);
INSERT INTO at_clock VALUES (1, NULL);
BEGIN;
SELECT pg_sleep(0.01);
UPDATE at_statement SET id = 2;
UPDATE at_clock SET id = 2;
SELECT s.stamp > now() AS statement_after_transaction_start, c.stamp > s.stamp AS clock_later,
       c.stamp < clock_timestamp() AS clock_before_now
  FROM at_statement s, at_clock c;
ROLLBACK;

-- skip_noop: a no-op update keeps the old stamp, a real change is stamped.
CREATE TABLE profiles (id int PRIMARY KEY, name text, updated_at timestamptz);
SELECT dialer.track_updated_at('profiles', skip_noop => true);
ALTER TABLE profiles DISABLE TRIGGER USER;
INSERT INTO profiles VALUES (1, 'ann', '2000-01-01'), (2, 'bo', '2000-01-01');
ALTER TABLE profiles ENABLE TRIGGER USER;
BEGIN;
UPDATE profiles SET name = name;
UPDATE profiles SET name = 'bob' WHERE id = 2;
SELECT id, updated_at = '2000-01-01' AS kept, updated_at = now() AS stamped FROM profiles ORDER BY id;
ROLLBACK;

-- A second BEFORE UPDATE row trigger: both run, in name order, and see each other's work.
CREATE TABLE twice (id int, note text, updated_at timestamptz);
SELECT dialer.track_updated_at('twice');
CREATE FUNCTION twice_observe() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.note := 'seen stamped: ' || (NEW.updated_at = now()); RETURN NEW; END $$;
CREATE TRIGGER z_observe BEFORE UPDATE ON twice FOR EACH ROW EXECUTE FUNCTION twice_observe();
INSERT INTO twice VALUES (1, NULL, '2000-01-01');
BEGIN;
UPDATE twice SET note = 'x', updated_at = '2000-01-01';
SELECT note, updated_at = now() AS stamped FROM twice;
ROLLBACK;

-- Disabled trigger, replica role: no stamping; ENABLE ALWAYS stamps in replica role.
ALTER TABLE items DISABLE TRIGGER dialer_set_updated_at;
BEGIN;
UPDATE items SET payload = 'd' WHERE id = 1;
SELECT updated_at = '2000-01-01' AS not_stamped FROM items WHERE id = 1;
ROLLBACK;
ALTER TABLE items ENABLE TRIGGER dialer_set_updated_at;
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE items SET payload = 'r' WHERE id = 1;
SELECT updated_at = '2000-01-01' AS not_stamped FROM items WHERE id = 1;
ROLLBACK;
ALTER TABLE items ENABLE ALWAYS TRIGGER dialer_set_updated_at;
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE items SET payload = 'r' WHERE id = 1;
SELECT updated_at = now() AS stamped FROM items WHERE id = 1;
ROLLBACK;
ALTER TABLE items ENABLE TRIGGER dialer_set_updated_at;

-- A prepared statement with a cached generic plan follows DISABLE / ENABLE TRIGGER and
-- the replication role.
SET plan_cache_mode = force_generic_plan;
PREPARE touch(int) AS UPDATE items SET payload = 'p' WHERE id = $1;
BEGIN;
EXECUTE touch(1);
SELECT updated_at = now() AS stamped FROM items WHERE id = 1;
ROLLBACK;
ALTER TABLE items DISABLE TRIGGER dialer_set_updated_at;
BEGIN;
EXECUTE touch(1);
SELECT updated_at = '2000-01-01' AS not_stamped FROM items WHERE id = 1;
ROLLBACK;
ALTER TABLE items ENABLE TRIGGER dialer_set_updated_at;
BEGIN;
EXECUTE touch(1);
SELECT updated_at = now() AS stamped FROM items WHERE id = 1;
ROLLBACK;
BEGIN;
SET LOCAL session_replication_role = replica;
EXECUTE touch(1);
SELECT updated_at = '2000-01-01' AS not_stamped FROM items WHERE id = 1;
ROLLBACK;
DEALLOCATE touch;
RESET plan_cache_mode;

-- A role with UPDATE privilege on one column only: the stamp needs none on updated_at.
GRANT USAGE ON SCHEMA updated_at_cases TO regress_updated_at_editor;
GRANT SELECT (id, payload), UPDATE (payload) ON items TO regress_updated_at_editor;
BEGIN;
SET LOCAL ROLE regress_updated_at_editor;
UPDATE items SET payload = 'by editor' WHERE id = 1;
UPDATE items SET updated_at = now() WHERE id = 1;
ROLLBACK;
BEGIN;
SET LOCAL ROLE regress_updated_at_editor;
UPDATE items SET payload = 'by editor' WHERE id = 1;
RESET ROLE;
SELECT payload, updated_at = now() AS stamped FROM items WHERE id = 1;
ROLLBACK;
-- `UPDATE OF updated_at` triggers do not fire for the stamp (it is not in the SET list).
CREATE FUNCTION report_of() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE NOTICE 'UPDATE OF updated_at fired for %', NEW.id; RETURN NULL; END $$;
CREATE TRIGGER report_of AFTER UPDATE OF updated_at ON items FOR EACH ROW EXECUTE FUNCTION report_of();
UPDATE items SET payload = 'q' WHERE id = 1;
UPDATE items SET updated_at = NULL WHERE id = 2;
DROP TRIGGER report_of ON items;

-- Partitioned table: the partitions' triggers stamp.
CREATE TABLE parted (id int, note text, updated_at timestamptz) PARTITION BY RANGE (id);
CREATE TABLE parted_low PARTITION OF parted FOR VALUES FROM (0) TO (10);
CREATE TABLE parted_high PARTITION OF parted FOR VALUES FROM (10) TO (20);
SELECT dialer.track_updated_at('parted');
INSERT INTO parted VALUES (1, 'a', NULL), (15, 'b', NULL);
BEGIN;
UPDATE parted SET note = 'c';
UPDATE parted SET id = 12 WHERE id = 1;
SELECT tableoid::regclass, id, updated_at = now() AS stamped FROM parted ORDER BY id;
ROLLBACK;

-- INSERT ... ON CONFLICT DO UPDATE and MERGE fire the trigger.
BEGIN;
INSERT INTO items VALUES (1, 'upsert', '1999-01-01')
  ON CONFLICT (id) DO UPDATE SET payload = excluded.payload
  RETURNING id, payload, updated_at = now() AS stamped;
MERGE INTO items i USING (VALUES (2, 'merged')) v(id, payload) ON i.id = v.id
  WHEN MATCHED THEN UPDATE SET payload = v.payload;
SELECT id, payload, updated_at = now() AS stamped FROM items ORDER BY id;
ROLLBACK;

-- A stored generated column reads the stamp.
CREATE TABLE generated (id int, note text, updated_at timestamptz,
  stamp_day date GENERATED ALWAYS AS ((updated_at AT TIME ZONE 'UTC')::date) STORED);
SELECT dialer.track_updated_at('generated');
INSERT INTO generated (id, note, updated_at) VALUES (1, 'a', NULL);
BEGIN;
UPDATE generated SET note = 'b';
SELECT updated_at = now() AS stamped, stamp_day = (now() AT TIME ZONE 'UTC')::date AS generated_ok FROM generated;
ROLLBACK;

RESET search_path;
DROP SCHEMA updated_at_cases CASCADE;
