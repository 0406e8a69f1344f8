-- Variant for scripts/ab-workers.sh / scripts/ab-concurrent.sh: the leads' indexes as released up to 0.15.0
-- (leads_open_idx over every lead that still needs work), undoing bench/ab/open_index_busy.sql.
DROP INDEX IF EXISTS dialer.leads_busy_idx;
SELECT 'CREATE INDEX leads_open_idx ON dialer.leads (tenant_id, campaign_id) WHERE status IN (''pending'', ''scheduled'', ''in_progress'', ''held'')'
 WHERE to_regclass('dialer.leads_open_idx') IS NULL \gexec
\ir stats_on.sql
