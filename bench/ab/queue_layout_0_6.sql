-- Variant for scripts/ab-workers.sh: the calls table as 0.6.0 lays it out (in-flight state
-- in dialer.calls_in_flight, provider call ids in dialer.call_provider_ids, fillfactor 80),
-- undoing bench/ab/queue_layout_0_5.sql; docs/queue.md, Performance.
DROP TRIGGER IF EXISTS dialer_occupy_call_slot ON dialer.calls;
DROP FUNCTION IF EXISTS dialer._occupy_call_slot();
DROP INDEX IF EXISTS dialer.calls_one_in_flight_idx, dialer.calls_lease_idx;
ALTER TABLE dialer.calls DROP CONSTRAINT IF EXISTS calls_tenant_id_provider_provider_call_id_key;
TRUNCATE dialer.calls_in_flight, dialer.call_provider_ids;
INSERT INTO dialer.calls_in_flight (tenant_id, call_id, lead_id, lease_expires_at)
SELECT k.tenant_id, k.id, k.lead_id, k.lease_expires_at FROM dialer.calls k WHERE dialer.call_in_flight(k.status);
INSERT INTO dialer.call_provider_ids (tenant_id, provider, provider_call_id, call_id)
SELECT k.tenant_id, k.provider, k.provider_call_id, k.id FROM dialer.calls k
 WHERE k.provider IS NOT NULL AND k.provider_call_id IS NOT NULL;
ALTER TABLE dialer.calls ENABLE TRIGGER dialer_call_enters_flight;
ALTER TABLE dialer.calls ENABLE TRIGGER dialer_call_flight_changed;
ALTER TABLE dialer.calls ENABLE TRIGGER dialer_record_provider_call_id;
ALTER TABLE dialer.calls ENABLE TRIGGER dialer_update_provider_call_id;
ALTER TABLE dialer.calls SET (fillfactor = 80);
VACUUM FULL dialer.calls;
SELECT dialer.set_campaign_stats_enabled(true);
