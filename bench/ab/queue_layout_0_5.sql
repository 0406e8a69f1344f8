-- Variant for scripts/ab-workers.sh, a measurement only: the calls table as 0.5.0 laid it
-- out (in-flight state and the provider call-id key as indexes of dialer.calls, default
-- fillfactor), with the rest of the current release. What 0.6.0's layout
-- (bench/ab/queue_layout_0_6.sql) is measured against; docs/queue.md, Performance.
ALTER TABLE dialer.calls DISABLE TRIGGER dialer_call_enters_flight;
ALTER TABLE dialer.calls DISABLE TRIGGER dialer_call_flight_changed;
ALTER TABLE dialer.calls DISABLE TRIGGER dialer_record_provider_call_id;
ALTER TABLE dialer.calls DISABLE TRIGGER dialer_update_provider_call_id;
\i sql_upgrade/objects/dialer._occupy_call_slot/0.5.0.sql
DROP TRIGGER IF EXISTS dialer_occupy_call_slot ON dialer.calls;
\i sql_upgrade/objects/create_trigger_dialer_occupy_call_slot/0.5.0.sql
CREATE UNIQUE INDEX IF NOT EXISTS calls_one_in_flight_idx ON dialer.calls (tenant_id, lead_id)
  WHERE status < 'completed';
CREATE INDEX IF NOT EXISTS calls_lease_idx ON dialer.calls (lease_expires_at)
  WHERE status < 'completed';
SELECT 'ALTER TABLE dialer.calls ADD CONSTRAINT calls_tenant_id_provider_provider_call_id_key UNIQUE (tenant_id, provider, provider_call_id)'
 WHERE to_regclass('dialer.calls_tenant_id_provider_provider_call_id_key') IS NULL \gexec
ALTER TABLE dialer.calls RESET (fillfactor);
VACUUM FULL dialer.calls;
SELECT dialer.set_campaign_stats_enabled(true);
