-- dialer.set_updated_at() and dialer.track_updated_at(): stamping on INSERT and
-- UPDATE, custom and timestamp columns, install-time validation, no-op updates,
-- ALTER TABLE between statements, and misuse of the trigger function.
\set VERBOSITY default
CREATE SCHEMA updated_at_test;
SET search_path = updated_at_test, public;

-- UPDATE stamps the transaction start time (also over an explicit value); INSERT stamps
-- a NULL and keeps a value it supplies (a restore's, a copy's), as COPY does.
CREATE TABLE items (id int PRIMARY KEY, payload text, updated_at timestamptz);
SELECT dialer.track_updated_at('items');
SELECT tgname, tgtype, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'items'::regclass;
BEGIN;
INSERT INTO items VALUES (1, 'a', NULL), (2, 'b', '2000-01-01');
SELECT id, updated_at = now() AS stamped, updated_at = '2000-01-01' AS supplied_kept FROM items ORDER BY id;
COMMIT;
COPY items (id, payload, updated_at) FROM stdin;
3	copied	1999-12-31 00:00:00+00
4	copied-null	\N
\.
SELECT id, updated_at = '1999-12-31 00:00:00+00' AS copied_kept, updated_at > '2001-01-01' AS null_stamped
  FROM items WHERE id IN (3, 4) ORDER BY id;
DELETE FROM items WHERE id IN (3, 4);
ALTER TABLE items DISABLE TRIGGER USER;
UPDATE items SET updated_at = '2000-01-01';
ALTER TABLE items ENABLE TRIGGER USER;
BEGIN;
UPDATE items SET payload = 'c' WHERE id = 1;
SELECT id, updated_at = now() AS stamped_now, updated_at = '2000-01-01' AS untouched FROM items ORDER BY id;
COMMIT;

-- The same transaction timestamp for every row of a multi-row statement.
UPDATE items SET payload = payload || '!';
SELECT count(DISTINCT updated_at) AS distinct_stamps FROM items;

-- Installing twice replaces the trigger (idempotent).
SELECT dialer.track_updated_at('items');
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid = 'items'::regclass;
-- The trigger says what it does (its comment names the column), in the words the extension's
-- own tables' triggers use (sql_src/97_trigger_comments.sql).
SELECT obj_description(oid, 'pg_trigger') AS trigger_comment FROM pg_trigger WHERE tgrelid = 'items'::regclass;
SELECT obj_description(t.oid, 'pg_trigger') = obj_description(d.oid, 'pg_trigger') AS same_as_the_extension_tables
  FROM pg_trigger t, pg_trigger d
 WHERE t.tgrelid = 'items'::regclass AND d.tgrelid = 'dialer.leads'::regclass AND d.tgname = 'dialer_set_updated_at';
-- A table's owner granted track_updated_at and set_updated_at (not the extension's owner)
-- installs it, comment included: no other grant needed (0.8.0 asked for a third).
CREATE ROLE updated_at_table_owner;
GRANT USAGE, CREATE ON SCHEMA updated_at_test TO updated_at_table_owner;
GRANT USAGE ON SCHEMA dialer TO updated_at_table_owner;
GRANT EXECUTE ON FUNCTION dialer.track_updated_at(regclass, name, boolean), dialer.set_updated_at()
  TO updated_at_table_owner;
SET ROLE updated_at_table_owner;
CREATE TABLE owned (id int, updated_at timestamptz);
SELECT dialer.track_updated_at('owned');
SELECT tgname, obj_description(oid, 'pg_trigger') IS NOT NULL AS commented FROM pg_trigger WHERE tgrelid = 'owned'::regclass;
RESET ROLE;
DROP TABLE owned;
REVOKE ALL ON SCHEMA updated_at_test FROM updated_at_table_owner;
REVOKE USAGE ON SCHEMA dialer FROM updated_at_table_owner;
REVOKE EXECUTE ON FUNCTION dialer.track_updated_at(regclass, name, boolean), dialer.set_updated_at()
  FROM updated_at_table_owner;
DROP ROLE updated_at_table_owner;

-- A custom column of type timestamp (without time zone): session-local wall time.
CREATE TABLE notes (id int, body text, touched timestamp NOT NULL DEFAULT '2000-01-01');
SELECT dialer.track_updated_at('notes', 'touched');
SELECT tgname, obj_description(oid, 'pg_trigger') FROM pg_trigger WHERE tgrelid = 'notes'::regclass;
BEGIN;
SET LOCAL timezone = 'Asia/Kolkata';
INSERT INTO notes (id, body, touched) VALUES (1, 'x', NULL);
SELECT touched = now()::timestamp AS local_wall_time, touched = (now() AT TIME ZONE 'UTC') AS utc FROM notes;
COMMIT;

-- Options: statement start time and wall clock instead of the transaction start.
CREATE TABLE clocked (id int, at_statement timestamptz, at_clock timestamptz);
CREATE TRIGGER s BEFORE INSERT OR UPDATE ON clocked FOR EACH ROW
  EXECUTE FUNCTION dialer.set_updated_at('at_statement', 'statement');
CREATE TRIGGER t BEFORE INSERT OR UPDATE ON clocked FOR EACH ROW
  EXECUTE FUNCTION dialer.set_updated_at('at_clock', 'clock');
BEGIN;
SELECT pg_sleep(0.01);
INSERT INTO clocked (id) VALUES (1);
SELECT at_statement > now() AS after_transaction_start, at_clock >= at_statement AS clock_later
  FROM clocked;
COMMIT;

-- Wrong column name or type is rejected when installing.
SELECT dialer.track_updated_at('items', 'changed_at');
SELECT dialer.track_updated_at('items', 'payload');
CREATE VIEW items_view AS SELECT * FROM items;
SELECT dialer.track_updated_at('items_view');

-- Created by hand with a bad column or option, the trigger reports it on first use.
CREATE TABLE handmade (id int, payload text);
CREATE TRIGGER bad_column BEFORE INSERT ON handmade FOR EACH ROW
  EXECUTE FUNCTION dialer.set_updated_at('nope');
INSERT INTO handmade VALUES (1, 'x');
DROP TRIGGER bad_column ON handmade;
CREATE TRIGGER bad_type BEFORE INSERT ON handmade FOR EACH ROW
  EXECUTE FUNCTION dialer.set_updated_at('payload');
INSERT INTO handmade VALUES (1, 'x');
DROP TRIGGER bad_type ON handmade;
ALTER TABLE handmade ADD COLUMN updated_at timestamptz;
CREATE TRIGGER bad_option BEFORE INSERT ON handmade FOR EACH ROW
  EXECUTE FUNCTION dialer.set_updated_at('updated_at', 'sometimes');
INSERT INTO handmade VALUES (1, 'x');
DROP TRIGGER bad_option ON handmade;
-- Misfired: AFTER, statement level, on DELETE, called directly.
CREATE TRIGGER after_row AFTER INSERT ON handmade FOR EACH ROW
  EXECUTE FUNCTION dialer.set_updated_at();
INSERT INTO handmade VALUES (1, 'x', NULL);
DROP TRIGGER after_row ON handmade;
CREATE TRIGGER per_statement BEFORE INSERT ON handmade FOR EACH STATEMENT
  EXECUTE FUNCTION dialer.set_updated_at();
INSERT INTO handmade VALUES (1, 'x', NULL);
DROP TRIGGER per_statement ON handmade;
CREATE TRIGGER on_delete BEFORE DELETE ON handmade FOR EACH ROW
  EXECUTE FUNCTION dialer.set_updated_at();
INSERT INTO handmade VALUES (1, 'x', NULL);
DELETE FROM handmade;
DROP TRIGGER on_delete ON handmade;
SELECT dialer.set_updated_at();

-- skip_noop: an update that changes nothing but the stamp keeps the old stamp.
CREATE TABLE profiles (id int PRIMARY KEY, name text, big text, updated_at timestamptz);
SELECT dialer.track_updated_at('profiles', skip_noop => true);
SELECT pg_get_triggerdef(oid), obj_description(oid, 'pg_trigger') FROM pg_trigger WHERE tgrelid = 'profiles'::regclass;
-- big is stored out of line (TOAST): an untouched toasted value compares by pointer.
INSERT INTO profiles VALUES (1, 'ann', (SELECT string_agg(md5(i::text), '') FROM generate_series(1, 500) i), NULL),
                            (2, NULL, NULL, NULL);
SELECT pg_relation_size(reltoastrelid) > 0 AS toasted FROM pg_class WHERE oid = 'profiles'::regclass;
ALTER TABLE profiles DISABLE TRIGGER USER;
UPDATE profiles SET updated_at = '2000-01-01';
ALTER TABLE profiles ENABLE TRIGGER USER;
UPDATE profiles SET name = name, big = big;
SELECT id, updated_at = '2000-01-01' AS kept FROM profiles ORDER BY id;
BEGIN;
UPDATE profiles SET name = 'bob' WHERE id = 1;
UPDATE profiles SET name = 'cy' WHERE id = 2;
SELECT id, updated_at = now() AS stamped FROM profiles ORDER BY id;
COMMIT;
-- Without skip_noop the same no-op update is stamped.
SELECT dialer.track_updated_at('profiles');
ALTER TABLE profiles DISABLE TRIGGER USER;
UPDATE profiles SET updated_at = '2000-01-01';
ALTER TABLE profiles ENABLE TRIGGER USER;
BEGIN;
UPDATE profiles SET name = name;
SELECT id, updated_at = now() AS stamped FROM profiles ORDER BY id;
COMMIT;

-- ALTER TABLE between statements: dropped and added columns move the stamped column.
CREATE TABLE shifting (a int, b text, c bigint, updated_at timestamptz);
SELECT dialer.track_updated_at('shifting');
INSERT INTO shifting VALUES (1, 'one', 10, NULL);
ALTER TABLE shifting DROP COLUMN b;
ALTER TABLE shifting ADD COLUMN d text DEFAULT 'added';
BEGIN;
UPDATE shifting SET a = 2;
SELECT a, c, d, updated_at = now() AS stamped FROM shifting;
COMMIT;
ALTER TABLE shifting DROP COLUMN updated_at;
UPDATE shifting SET a = 3;
ALTER TABLE shifting ADD COLUMN updated_at text;
UPDATE shifting SET a = 4;
ALTER TABLE shifting DROP COLUMN updated_at;
ALTER TABLE shifting ADD COLUMN updated_at timestamptz;
BEGIN;
UPDATE shifting SET a = 5;
SELECT a, updated_at = now() AS stamped FROM shifting;
COMMIT;

-- Every row shape: NULLs before the column, variable-width columns before it, and a
-- row written before the column existed.
CREATE TABLE shapes (n int, t text, updated_at timestamptz, tail text);
INSERT INTO shapes VALUES (1, NULL, '2000-01-01', 'a'), (NULL, 'long text value', '2000-01-01', NULL),
                          (3, 'x', NULL, 'c');
SELECT dialer.track_updated_at('shapes');
BEGIN;
UPDATE shapes SET tail = coalesce(tail, '') || '+';
SELECT n, t, tail, updated_at = now() AS stamped FROM shapes ORDER BY n NULLS LAST;
COMMIT;
CREATE TABLE late (id int);
INSERT INTO late VALUES (1);
ALTER TABLE late ADD COLUMN updated_at timestamptz;
SELECT dialer.track_updated_at('late');
BEGIN;
UPDATE late SET id = 2;
SELECT id, updated_at = now() AS stamped FROM late;
COMMIT;

-- Partitioned tables: installed on the parent, every partition stamps.
CREATE TABLE parted (id int, updated_at timestamptz) PARTITION BY RANGE (id);
CREATE TABLE parted_low PARTITION OF parted FOR VALUES FROM (0) TO (10);
CREATE TABLE parted_high PARTITION OF parted FOR VALUES FROM (10) TO (20);
SELECT dialer.track_updated_at('parted');
BEGIN;
INSERT INTO parted VALUES (1, NULL), (15, NULL);
SELECT id, updated_at = now() AS stamped FROM parted ORDER BY id;
COMMIT;

-- Everything after the trigger sees the stamp: RETURNING, a CHECK constraint, a stored
-- generated column, an index, another trigger that runs later, and a second BEFORE trigger
-- that rewrote the row first.
CREATE TABLE downstream (
  id int PRIMARY KEY, note text, updated_at timestamptz CHECK (updated_at > '2001-01-01'),
  stamp_year int GENERATED ALWAYS AS (extract(year FROM updated_at AT TIME ZONE 'UTC')::int) STORED);
CREATE INDEX downstream_updated_at_idx ON downstream (updated_at);
CREATE FUNCTION a_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.note := upper(NEW.note); RETURN NEW; END $$;
CREATE FUNCTION z_observe() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE NOTICE 'later trigger sees stamped: %', NEW.updated_at = now(); RETURN NEW; END $$;
CREATE TRIGGER a_rewrite BEFORE INSERT OR UPDATE ON downstream FOR EACH ROW EXECUTE FUNCTION a_rewrite();
SELECT dialer.track_updated_at('downstream');
CREATE TRIGGER z_observe BEFORE INSERT OR UPDATE ON downstream FOR EACH ROW EXECUTE FUNCTION z_observe();
BEGIN;
INSERT INTO downstream (id, note, updated_at) VALUES (1, 'x', NULL)
  RETURNING note, updated_at = now() AS stamped, stamp_year = extract(year FROM now() AT TIME ZONE 'UTC') AS generated_ok;
UPDATE downstream SET note = 'y' RETURNING note, updated_at = now() AS stamped;
SET LOCAL enable_seqscan = off;
SELECT count(*) AS found_through_index FROM downstream WHERE updated_at = now();
COMMIT;

-- The dialer tables use it.
SELECT c.relname
  FROM pg_class c
 WHERE c.relnamespace = 'dialer'::regnamespace AND c.relkind = 'r'
   AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'updated_at')
   AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid
                      AND t.tgfoid = 'dialer.set_updated_at'::regproc)
 ORDER BY 1;

RESET search_path;
DROP SCHEMA updated_at_test CASCADE;
