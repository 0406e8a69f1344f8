-- Variant for scripts/ab-workers.sh, a diagnostic probe: the write floor
-- (bench/ab/queue_write_floor.sql) plus the campaign gate as the queue takes it: a shared
-- transaction-level advisory lock on the campaign's gate key in the claim and in the
-- completion (dialer.claim_calls, dialer._campaign_cancelled). What it isolates: two advisory
-- locks per cycle, which never take the fast path (docs/queue.md).
DROP SCHEMA IF EXISTS bench_floor_gate CASCADE;
CREATE SCHEMA bench_floor_gate;

CREATE FUNCTION bench_floor_gate.claim_calls(p_campaign_id uuid, p_worker_id text, p_max_calls integer,
                                        p_lease interval, p_now timestamptz)
RETURNS TABLE (call_id uuid) LANGUAGE plpgsql AS $$
DECLARE
  l record;
BEGIN
  SELECT x.tenant_id, x.id, x.campaign_id, x.phone, x.attempts INTO l FROM dialer.leads x
   WHERE x.tenant_id = (SELECT c.tenant_id FROM dialer.campaigns c WHERE c.id = p_campaign_id)
     AND x.campaign_id = p_campaign_id AND x.status IN ('pending', 'scheduled')
     AND (x.next_attempt_at IS NULL OR x.next_attempt_at <= p_now)
   ORDER BY x.priority DESC, x.next_attempt_at NULLS FIRST LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF l.id IS NULL THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock_shared(dialer._campaign_gate_key(p_campaign_id));
  INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, attempt_number, worker_id,
                            claimed_at, lease_expires_at, recipient_time_zone)
  VALUES (l.tenant_id, l.campaign_id, l.id, l.phone, 'claimed', l.attempts + 1, p_worker_id, p_now,
          p_now + p_lease, 'America/New_York')
  RETURNING id INTO call_id;
  UPDATE dialer.leads SET status = 'in_progress', attempts = attempts + 1, last_attempt_at = p_now
   WHERE tenant_id = l.tenant_id AND id = l.id;
  RETURN NEXT;
END $$;

CREATE FUNCTION bench_floor_gate.complete_call(p_call_id uuid, p_outcome text, p_provider text,
                                          p_duration_seconds integer, p_cost numeric, p_now timestamptz)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  k record;
BEGIN
  UPDATE dialer.calls SET status = 'completed', provider_outcome = p_outcome, duration_seconds = p_duration_seconds,
         cost = p_cost, ended_at = p_now, lease_expires_at = NULL,
         outcome_class = (SELECT o.outcome_class FROM dialer.provider_outcomes o
                           WHERE o.provider = p_provider AND o.raw_outcome = p_outcome)
   WHERE id = p_call_id
  RETURNING tenant_id, campaign_id, lead_id, outcome_class INTO k;
  PERFORM pg_advisory_xact_lock_shared(dialer._campaign_gate_key(k.campaign_id));
  UPDATE dialer.leads SET status = 'scheduled', next_attempt_at = p_now, last_outcome_class = k.outcome_class
   WHERE tenant_id = k.tenant_id AND id = k.lead_id;
  RETURN jsonb_build_object('call_id', p_call_id);
END $$;

SELECT dialer.set_campaign_stats_enabled(true);
-- ab-workers-args: --claim-fn bench_floor_gate.claim_calls --complete-fn bench_floor_gate.complete_call
