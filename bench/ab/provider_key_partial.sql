-- Variant for scripts/ab-workers.sh: the provider's call-id key as released from 0.15.0, the
-- partial unique index calls_provider_call_idx (no entry for a call without a provider call
-- id); statistics on, as bench/ab/stats_on.sql. Compare with bench/ab/provider_key_constraint.sql.
ALTER TABLE dialer.calls DROP CONSTRAINT IF EXISTS calls_tenant_id_provider_provider_call_id_key;
CREATE UNIQUE INDEX IF NOT EXISTS calls_provider_call_idx ON dialer.calls (tenant_id, provider, provider_call_id)
  WHERE provider_call_id IS NOT NULL;
\ir stats_on.sql
