-- Variant for scripts/ab-workers.sh / scripts/ab-concurrent.sh, a measurement only, never for a
-- database in use: without the foreign key of calls to tenants (whose check locks the shared
-- tenant row FOR KEY SHARE on every call inserted; a call with a campaign has its tenant through
-- the campaign's key); compare with bench/ab/probe_restore.sql. docs/queue.md, Performance.
\ir probe_restore.sql
ALTER TABLE dialer.calls DROP CONSTRAINT calls_tenant_id_fkey;
