-- Variant for scripts/ab-workers.sh, a diagnostic probe: the write floor
-- (bench/ab/queue_write_floor.sql) plus eight more statements in the claim's transaction and
-- eight in the completion's, each a primary-key read of the campaign row (a relation the
-- floor already holds locked: no new lock, no new page). What it isolates: the price of a
-- statement as such under sixteen workers (executor start and end, snapshot, plan cache
-- check), which ours pays for its caller checks, gate, slots and re-planning beyond the
-- floor's five statements per cycle (docs/queue.md).
DROP SCHEMA IF EXISTS bench_floor_statements CASCADE;
CREATE SCHEMA bench_floor_statements;

CREATE FUNCTION bench_floor_statements.claim_calls(p_campaign_id uuid, p_worker_id text, p_max_calls integer,
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
  FOR i IN 1 .. 8 LOOP
    PERFORM 1 FROM dialer.campaigns c WHERE c.tenant_id = l.tenant_id AND c.id = l.campaign_id;
  END LOOP;
  INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, attempt_number, worker_id,
                            claimed_at, lease_expires_at, recipient_time_zone)
  VALUES (l.tenant_id, l.campaign_id, l.id, l.phone, 'claimed', l.attempts + 1, p_worker_id, p_now,
          p_now + p_lease, 'America/New_York')
  RETURNING id INTO call_id;
  UPDATE dialer.leads SET status = 'in_progress', attempts = attempts + 1, last_attempt_at = p_now
   WHERE tenant_id = l.tenant_id AND id = l.id;
  RETURN NEXT;
END $$;

CREATE FUNCTION bench_floor_statements.complete_call(p_call_id uuid, p_outcome text, p_provider text,
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
  FOR i IN 1 .. 8 LOOP
    PERFORM 1 FROM dialer.campaigns c WHERE c.tenant_id = k.tenant_id AND c.id = k.campaign_id;
  END LOOP;
  UPDATE dialer.leads SET status = 'scheduled', next_attempt_at = p_now, last_outcome_class = k.outcome_class
   WHERE tenant_id = k.tenant_id AND id = k.lead_id;
  RETURN jsonb_build_object('call_id', p_call_id);
END $$;

SELECT dialer.set_campaign_stats_enabled(true);
-- ab-workers-args: --claim-fn bench_floor_statements.claim_calls --complete-fn bench_floor_statements.complete_call
