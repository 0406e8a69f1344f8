-- Variant for scripts/ab-concurrent.sh, a measurement only: one index of dialer.calls fewer.
-- calls has a primary key (tenant_id, id) and calls_id_idx (id) for lookups by id alone; a
-- primary key (id, tenant_id) is the same uniqueness, serves the foreign keys to (tenant_id,
-- id) (PostgreSQL matches a key's columns in any order) and lookups by id alone, so
-- calls_id_idx can go: one index entry fewer per claim and per completion. Compare with
-- bench/ab/probe_restore.sql, which puts the released keys back. docs/queue.md, Performance.
\ir probe_restore.sql
SET client_min_messages = warning;
DO $$
DECLARE
  v_fks text[];
BEGIN
  -- The foreign keys that name calls' key, to be made again over the new one.
  SELECT array_agg(format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname,
                          pg_get_constraintdef(oid)))
    INTO v_fks FROM pg_constraint WHERE confrelid = 'dialer.calls'::regclass AND contype = 'f';
  ALTER TABLE dialer.calls DROP CONSTRAINT calls_pkey CASCADE;
  ALTER TABLE dialer.calls ADD CONSTRAINT calls_pkey PRIMARY KEY (id, tenant_id);
  DROP INDEX dialer.calls_id_idx;
  FOR i IN 1 .. coalesce(array_length(v_fks, 1), 0) LOOP
    EXECUTE v_fks[i];
  END LOOP;
END
$$;
