-- Variant for scripts/ab-workers.sh: the queue as released (statistics on), restoring what
-- queue_hot_completion_probe.sql removes: three indexes of dialer.calls and its default
-- fillfactor.
ALTER TABLE dialer.calls RESET (fillfactor);
CREATE INDEX IF NOT EXISTS calls_lease_idx ON dialer.calls (lease_expires_at)
  WHERE status IN ('claimed', 'dialing', 'ringing', 'in_progress');
CREATE UNIQUE INDEX IF NOT EXISTS calls_one_in_flight_idx ON dialer.calls (tenant_id, lead_id)
  WHERE status IN ('claimed', 'dialing', 'ringing', 'in_progress');
-- The provider's call-id key as released from 0.15.0 (a partial unique index; up to 0.14.0 the
-- constraint calls_tenant_id_provider_provider_call_id_key).
CREATE UNIQUE INDEX IF NOT EXISTS calls_provider_call_idx ON dialer.calls (tenant_id, provider, provider_call_id)
  WHERE provider_call_id IS NOT NULL;
VACUUM FULL dialer.calls;
SELECT dialer.set_campaign_stats_enabled(true);
