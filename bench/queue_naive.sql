-- The straightforward dialer queue the benchmark compares against (bench/queue.sh):
-- the same work as dialer.claim_calls / dialer.complete_call — concurrency limit,
-- legality re-check at claim time (suppression, AI-voice consent, the campaign's
-- weekday windows in the contact's local time, the policy's rolling cap and minimum
-- gap), call row, lead update, next attempt from the policy's delays — in plain
-- PL/pgSQL with SELECT ... FOR UPDATE and no SKIP LOCKED. Durations in the policy must
-- be plain seconds here.
DROP SCHEMA IF EXISTS bench_naive CASCADE;
CREATE SCHEMA bench_naive;

-- Whether the campaign's windows are open at p_now in zone (days -> [[HH:MM, HH:MM], ...]).
CREATE FUNCTION bench_naive.window_open(windows jsonb, zone text, p_now timestamptz)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE
  local_ts timestamp := p_now AT TIME ZONE zone;
  day text := lower(to_char(local_ts, 'Dy'));
  t time := local_ts::time;
  r jsonb;
BEGIN
  IF windows IS NULL OR NOT windows ? 'days' THEN RETURN true; END IF;
  FOR r IN SELECT * FROM jsonb_array_elements(coalesce(windows -> 'days' -> day, '[]')) LOOP
    IF t >= (r ->> 0)::time AND (r ->> 1 = '24:00' OR t < (r ->> 1)::time) THEN RETURN true; END IF;
  END LOOP;
  RETURN false;
END $$;

CREATE FUNCTION bench_naive.claim_calls(p_campaign_id uuid, p_worker_id text, p_max_calls integer,
                                        p_lease interval, p_now timestamptz)
RETURNS TABLE (call_id uuid) LANGUAGE plpgsql AS $$
DECLARE
  c dialer.campaigns;
  l dialer.leads;
  ct dialer.contacts;
  in_flight bigint;
  cap jsonb;
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
    SELECT * INTO ct FROM dialer.contacts WHERE tenant_id = l.tenant_id AND phone = l.phone;
    -- Legality: suppression, consent, window in the contact's zone, cap and gap.
    IF EXISTS (SELECT 1 FROM dialer.suppressions s WHERE s.tenant_id = l.tenant_id AND s.phone = l.phone
                 AND (s.expires_at IS NULL OR s.expires_at > p_now))
       OR (c.uses_ai_voice AND ct.consent_ai_voice_at IS NULL) THEN
      UPDATE dialer.leads SET status = 'failed' WHERE tenant_id = l.tenant_id AND id = l.id;
      CONTINUE;
    END IF;
    IF NOT bench_naive.window_open(c.calling_windows, coalesce(ct.time_zone, c.time_zone, 'UTC'), p_now)
       OR EXISTS (SELECT 1 FROM dialer.calls k WHERE k.tenant_id = l.tenant_id AND k.phone = l.phone
                    AND k.claimed_at > p_now - make_interval(secs => coalesce((c.retry_policy ->> 'min_gap')::int, 0))) THEN
      UPDATE dialer.leads SET status = 'scheduled', next_attempt_at = p_now + interval '15 minutes'
       WHERE tenant_id = l.tenant_id AND id = l.id;
      CONTINUE;
    END IF;
    FOR cap IN SELECT * FROM jsonb_array_elements(coalesce(c.retry_policy -> 'caps', '[]')) LOOP
      IF (SELECT count(*) FROM dialer.calls k WHERE k.tenant_id = l.tenant_id AND k.phone = l.phone
            AND k.claimed_at > p_now - make_interval(secs => (cap ->> 'per')::int)) >= (cap ->> 'max')::int THEN
        l.id := NULL;
      END IF;
    END LOOP;
    CONTINUE WHEN l.id IS NULL;
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
  c dialer.campaigns;
  cls text;
  l dialer.leads;
  delays jsonb;
  n integer;
BEGIN
  SELECT * INTO k FROM dialer.calls WHERE id = p_call_id FOR UPDATE;
  SELECT * INTO c FROM dialer.campaigns WHERE tenant_id = k.tenant_id AND id = k.campaign_id;
  cls := (SELECT outcome_class FROM dialer.provider_outcomes WHERE provider = p_provider AND raw_outcome = p_outcome);
  UPDATE dialer.calls SET status = 'completed', outcome_class = cls, provider_outcome = p_outcome,
         duration_seconds = p_duration_seconds, cost = p_cost, ended_at = p_now, lease_expires_at = NULL
   WHERE tenant_id = k.tenant_id AND id = k.id;
  SELECT * INTO l FROM dialer.leads WHERE tenant_id = k.tenant_id AND id = k.lead_id FOR UPDATE;
  -- Next attempt: the class's delay list (last entry repeats) while attempts remain.
  delays := c.retry_policy -> 'classes' -> cls -> 'delays';
  SELECT count(*) INTO n FROM dialer.calls x WHERE x.tenant_id = l.tenant_id AND x.lead_id = l.id AND x.outcome_class = cls;
  UPDATE dialer.leads
     SET last_outcome_class = cls,
         status = CASE WHEN delays IS NOT NULL AND l.attempts < coalesce((c.retry_policy ->> 'max_attempts')::int, 10)
                       THEN 'scheduled'
                       WHEN cls IN ('completed', 'converted') THEN cls ELSE 'failed' END::dialer.lead_status,
         next_attempt_at = CASE WHEN delays IS NOT NULL
                                THEN p_now + make_interval(secs => (delays ->> least(n, jsonb_array_length(delays)) - 1)::int) END
   WHERE tenant_id = l.tenant_id AND id = l.id;
  RETURN jsonb_build_object('call_id', k.id, 'outcome_class', cls);
END $$;
