-- Variant for scripts/ab-workers.sh, a diagnostic probe: the write floor
-- (bench/ab/queue_write_floor.sql) plus the concurrency slots as dialer.claim_calls keeps them:
-- the claim takes a free slot of the campaign with FOR UPDATE SKIP LOCKED and inserts the call
-- with it (the trigger dialer_occupy_call_slot writes the slot row), the completion's status
-- change frees it (dialer_call_leaves_flight). What it isolates: the slots' price on their own,
-- against the floor in the same run (docs/queue.md).
DROP SCHEMA IF EXISTS bench_floor_slots CASCADE;
CREATE SCHEMA bench_floor_slots;

CREATE FUNCTION bench_floor_slots.claim_calls(p_campaign_id uuid, p_worker_id text, p_max_calls integer,
                                        p_lease interval, p_now timestamptz)
RETURNS TABLE (call_id uuid) LANGUAGE plpgsql AS $$
DECLARE
  l record;
  v_slot integer;
BEGIN
  SELECT x.tenant_id, x.id, x.campaign_id, x.phone, x.attempts INTO l FROM dialer.leads x
   WHERE x.tenant_id = (SELECT c.tenant_id FROM dialer.campaigns c WHERE c.id = p_campaign_id)
     AND x.campaign_id = p_campaign_id AND x.status IN ('pending', 'scheduled')
     AND (x.next_attempt_at IS NULL OR x.next_attempt_at <= p_now)
   ORDER BY x.priority DESC, x.next_attempt_at NULLS FIRST LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF l.id IS NULL THEN RETURN; END IF;
  SELECT s.slot INTO v_slot FROM dialer.campaign_slots s
   WHERE s.tenant_id = l.tenant_id AND s.campaign_id = l.campaign_id AND s.call_id IS NULL
   ORDER BY s.slot LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF v_slot IS NULL THEN RETURN; END IF;
  INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, attempt_number, worker_id,
                            claimed_at, lease_expires_at, recipient_time_zone, slot)
  VALUES (l.tenant_id, l.campaign_id, l.id, l.phone, 'claimed', l.attempts + 1, p_worker_id, p_now,
          p_now + p_lease, 'America/New_York', v_slot)
  RETURNING id INTO call_id;
  UPDATE dialer.leads SET status = 'in_progress', attempts = attempts + 1, last_attempt_at = p_now
   WHERE tenant_id = l.tenant_id AND id = l.id;
  RETURN NEXT;
END $$;

CREATE FUNCTION bench_floor_slots.complete_call(p_call_id uuid, p_outcome text, p_provider text,
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
  UPDATE dialer.leads SET status = 'scheduled', next_attempt_at = p_now, last_outcome_class = k.outcome_class
   WHERE tenant_id = k.tenant_id AND id = k.lead_id;
  RETURN jsonb_build_object('call_id', p_call_id);
END $$;

SELECT dialer.set_campaign_stats_enabled(true);
-- ab-workers-args: --claim-fn bench_floor_slots.claim_calls --complete-fn bench_floor_slots.complete_call
