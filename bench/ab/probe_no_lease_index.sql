-- Variant for scripts/ab-workers.sh, a measurement only, never for a database in use: without
-- calls_lease_idx (reaping by lease then reads every call). What the index every claim inserts
-- into at its right end costs; compare with bench/ab/probe_restore.sql. docs/queue.md, Performance.
\ir probe_restore.sql
SELECT 'ALTER EXTENSION pg_dialer DROP INDEX dialer.calls_lease_idx'
 WHERE EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = 'dialer.calls_lease_idx'::regclass AND d.deptype = 'e') \gexec
DROP INDEX dialer.calls_lease_idx;
