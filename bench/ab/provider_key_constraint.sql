-- Variant for scripts/ab-workers.sh: the provider's call-id key as released up to 0.14.0, the
-- constraint UNIQUE (tenant_id, provider, provider_call_id), which holds an entry (tenant, NULL,
-- NULL) for every call in flight; statistics on, as bench/ab/stats_on.sql. Compare with
-- bench/ab/provider_key_partial.sql (0.15.0). docs/queue.md, Performance.
DROP INDEX IF EXISTS dialer.calls_provider_call_idx;
SELECT 'ALTER TABLE dialer.calls ADD CONSTRAINT calls_tenant_id_provider_provider_call_id_key UNIQUE (tenant_id, provider, provider_call_id)'
 WHERE to_regclass('dialer.calls_tenant_id_provider_provider_call_id_key') IS NULL \gexec
\ir stats_on.sql
