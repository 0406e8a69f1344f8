-- Variant for scripts/ab-concurrent.sh, a measurement only: one index of dialer.calls fewer.
-- calls has a primary key (tenant_id, id) and calls_id_idx (id) for lookups by id alone; a
-- primary key (id, tenant_id) is the same uniqueness, serves the foreign keys to (tenant_id,
-- id) (PostgreSQL matches a key's columns in any order) and lookups by id alone, so
-- calls_id_idx can go: one index entry fewer per claim and per completion. Compare with
-- bench/ab/probe_restore.sql, which puts the released keys back. docs/queue.md, Performance.
\ir probe_restore.sql
SET client_min_messages = warning;
SELECT public.probe_set_calls_key('id, tenant_id');
DROP INDEX dialer.calls_id_idx;
