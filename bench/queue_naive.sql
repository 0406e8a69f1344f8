-- The straightforward dialer queue the benchmark compares against (bench/queue.sh):
-- the same work as dialer.claim_calls / dialer.complete_call (concurrency limit,
-- calling-window and suppression re-check, call row, lead update, next attempt) in
-- plain PL/pgSQL with SELECT ... FOR UPDATE and no SKIP LOCKED.
DROP SCHEMA IF EXISTS bench_naive CASCADE;
CREATE SCHEMA bench_naive;

CREATE FUNCTION bench_naive.claim_calls(p_campaign_id uuid, p_worker_id text, p_max_calls integer,
                                        p_lease interval, p_now timestamptz)
RETURNS TABLE (call_id uuid) LANGUAGE plpgsql AS $$
DECLARE
  c dialer.campaigns;
  l dialer.leads;
  zone text;
  in_flight bigint;
BEGIN
  -- The concurrency limit: lock the campaign, count the calls in flight.
  SELECT * INTO c FROM dialer.campaigns WHERE id = p_campaign_id FOR NO KEY UPDATE;
  IF c.status <> 'running' THEN RETURN; END IF;
  SELECT count(*) INTO in_flight FROM dialer.calls k
   WHERE k.tenant_id = c.tenant_id AND k.campaign_id = c.id AND k.status IN ('claimed', 'dialing', 'ringing', 'in_progress');
  FOR i IN 1 .. least(p_max_calls, c.max_concurrent_calls - in_flight) LOOP
    SELECT * INTO l FROM dialer.leads x
     WHERE x.tenant_id = c.tenant_id AND x.campaign_id = c.id AND x.status IN ('pending', 'scheduled')
       AND (x.next_attempt_at IS NULL OR x.next_attempt_at <= p_now)
     ORDER BY x.priority DESC, x.next_attempt_at NULLS FIRST LIMIT 1 FOR UPDATE;
    EXIT WHEN l.id IS NULL;
    -- Legality re-check: suppression and the 08:00-21:00 window in the contact's zone.
    SELECT coalesce(ct.time_zone, c.time_zone, 'America/New_York') INTO zone
      FROM dialer.contacts ct WHERE ct.tenant_id = l.tenant_id AND ct.phone = l.phone;
    IF EXISTS (SELECT 1 FROM dialer.suppressions s WHERE s.tenant_id = l.tenant_id AND s.phone = l.phone)
       OR (p_now AT TIME ZONE zone)::time NOT BETWEEN '00:00' AND '23:59:59' THEN
      UPDATE dialer.leads SET status = 'failed' WHERE tenant_id = l.tenant_id AND id = l.id;
      CONTINUE;
    END IF;
    INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, attempt_number, worker_id,
                              claimed_at, lease_expires_at)
    VALUES (l.tenant_id, l.campaign_id, l.id, l.phone, 'claimed', l.attempts + 1, p_worker_id, p_now, p_now + p_lease)
    RETURNING id INTO call_id;
    UPDATE dialer.leads SET status = 'in_progress', attempts = attempts + 1, last_attempt_at = p_now
     WHERE tenant_id = l.tenant_id AND id = l.id;
    RETURN NEXT;
  END LOOP;
END $$;

CREATE FUNCTION bench_naive.complete_call(p_call_id uuid, p_outcome text, p_provider text,
                                          p_duration_seconds integer, p_cost numeric, p_now timestamptz)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  k dialer.calls;
  cls text;
  l dialer.leads;
BEGIN
  SELECT * INTO k FROM dialer.calls WHERE id = p_call_id FOR UPDATE;
  cls := coalesce((SELECT outcome_class FROM dialer.provider_outcomes WHERE provider = p_provider AND raw_outcome = p_outcome), 'failed');
  UPDATE dialer.calls SET status = 'completed', outcome_class = cls, provider_outcome = p_outcome,
         duration_seconds = p_duration_seconds, cost = p_cost, ended_at = p_now, lease_expires_at = NULL
   WHERE tenant_id = k.tenant_id AND id = k.id;
  SELECT * INTO l FROM dialer.leads WHERE tenant_id = k.tenant_id AND id = k.lead_id FOR UPDATE;
  UPDATE dialer.leads
     SET last_outcome_class = cls,
         status = CASE WHEN cls IN ('no_answer', 'busy', 'voicemail') AND l.attempts < 3 THEN 'scheduled'
                       WHEN cls IN ('completed', 'converted') THEN 'completed' ELSE 'failed' END::dialer.lead_status,
         next_attempt_at = CASE WHEN cls IN ('no_answer', 'busy', 'voicemail') AND l.attempts < 3 THEN p_now END
   WHERE tenant_id = l.tenant_id AND id = l.id;
  RETURN jsonb_build_object('call_id', k.id, 'outcome_class', cls);
END $$;
