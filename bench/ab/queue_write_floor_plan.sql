-- Variant for scripts/ab-workers.sh (and the fourth variant of bench/queue.sh): the write floor
-- (bench/ab/queue_write_floor.sql: take a due lead with SKIP LOCKED, insert its call row, move the
-- lead to in progress; record the outcome on the call, move the lead on) plus the two scheduling
-- decisions every cycle must make: the legality re-check at the claim and the next attempt at the
-- completion, each one dialer._plan_lead, as claim_calls and complete_call make them. No slots,
-- no caller checks, no re-planning of the number's other leads: a measurement only. What it costs
-- above the floor is what the guarantees' decisions cost; no queue that keeps them can cost less
-- (docs/queue.md).
DROP SCHEMA IF EXISTS bench_floor_plan CASCADE;
CREATE SCHEMA bench_floor_plan;

CREATE FUNCTION bench_floor_plan.claim_calls(p_campaign_id uuid, p_worker_id text, p_max_calls integer,
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
  PERFORM * FROM dialer._plan_lead(l.tenant_id, l.id, p_now);  -- the legality re-check's read and decision
  INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, attempt_number, worker_id,
                            claimed_at, lease_expires_at, recipient_time_zone)
  VALUES (l.tenant_id, l.campaign_id, l.id, l.phone, 'claimed', l.attempts + 1, p_worker_id, p_now,
          p_now + p_lease, 'America/New_York')
  RETURNING id INTO call_id;
  UPDATE dialer.leads SET status = 'in_progress', attempts = attempts + 1, last_attempt_at = p_now
   WHERE tenant_id = l.tenant_id AND id = l.id;
  RETURN NEXT;
END $$;

CREATE FUNCTION bench_floor_plan.complete_call(p_call_id uuid, p_outcome text, p_provider text,
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
  RETURNING tenant_id, lead_id, outcome_class INTO k;
  PERFORM * FROM dialer._plan_lead(k.tenant_id, k.lead_id, p_now, k.outcome_class);  -- the next attempt's
  UPDATE dialer.leads SET status = 'scheduled', next_attempt_at = p_now, last_outcome_class = k.outcome_class
   WHERE tenant_id = k.tenant_id AND id = k.lead_id;
  RETURN jsonb_build_object('call_id', p_call_id);
END $$;

SELECT dialer.set_campaign_stats_enabled(true);
-- ab-workers-args: --claim-fn bench_floor_plan.claim_calls --complete-fn bench_floor_plan.complete_call
