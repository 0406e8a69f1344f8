-- Included by the bench/ab/queue_parts_*.sql variants of scripts/ab-workers.sh: copies of
-- dialer.claim_calls, dialer.complete_call and dialer._advance_lead (0.8.0) in schema
-- bench_parts, in which each part a cycle does beyond the write floor and the two scheduling
-- decisions can be left out by naming it in the database setting bench.parts_off
-- (comma-separated): caller (the caller's role, instants and tenant status checks), gate (the
-- campaign gate and the campaign's re-read under it), slots (the concurrency slots), replan
-- (re-planning the number's other waiting leads); and c_plan, the decision as one C call
-- (0.8.0), which left out makes each decision the 0.7.0 way, an SQL function (below) over the
-- inputs and dialer._decide run as a query. A measurement of what each part costs under
-- sixteen workers, not a queue: leaving a part out breaks the guarantee it keeps. The
-- completion copy also leaves out the replay of a repeated report and the late opt-out, which
-- the benchmark's workers never reach (they complete each call once, while it is in flight;
-- docs/queue.md, "What each part of a cycle costs"). Combine these variants only with each other:
-- each sets bench.parts_off and the leaves-flight trigger, which other variants leave as they are.
DROP SCHEMA IF EXISTS bench_parts CASCADE;
CREATE SCHEMA bench_parts;

-- Whether part p is left out in this connection (read once per call of a queue function).
CREATE FUNCTION bench_parts.off(p text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT p = ANY (string_to_array(coalesce(current_setting('bench.parts_off', true), ''), ','))
$$;

-- 0.7.0's dialer._plan_lead and _never_status (the released definitions, pinned in
-- sql_upgrade/objects/) as bench_parts.plan_070 and bench_parts.never_status_070: what "c_plan"
-- left out decides with. (psql runs the backquoted command in the checkout's top directory,
-- where scripts/ab-workers.sh runs.)
\set plan_070 `cat sql_upgrade/objects/dialer._never_status/0.7.0.sql sql_upgrade/objects/dialer._plan_lead/0.6.0.sql | sed 's/dialer\._never_status(/bench_parts.never_status_070(/g; s/dialer\._plan_lead(/bench_parts.plan_070(/g'`
:plan_070

CREATE FUNCTION bench_parts.claim_calls(
  p_campaign_id uuid, p_worker_id text, p_max_calls integer DEFAULT 1,
  p_lease interval DEFAULT '5 minutes', p_now timestamptz DEFAULT now())
RETURNS TABLE (call_id uuid, lead_id uuid, phone text, attempt_number integer,
               lease_expires_at timestamptz, idempotency_key text, dial_by timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET jit = off
AS $$
DECLARE
  v_c dialer.campaigns;
  v_slots integer[];
  v_lead record;
  v_plan dialer.lead_plan;
  v_got integer := 0;
  v_moved_ids uuid[] := '{}';
  v_moved_status dialer.lead_status[] := '{}';
  v_moved_at timestamptz[] := '{}';
  v_claimed_leads uuid[] := '{}';
  v_claimed_phones text[] := '{}';
  v_no_caller boolean := bench_parts.off('caller');
  v_no_gate boolean := bench_parts.off('gate');
  v_no_slots boolean := bench_parts.off('slots');
  v_no_replan boolean := bench_parts.off('replan');
BEGIN
  IF v_no_caller THEN
    SELECT * INTO v_c FROM dialer.campaigns c WHERE c.id = p_campaign_id;
  ELSE
    v_c := dialer._campaign_for(p_campaign_id, 'agent');
  END IF;
  IF NOT v_no_gate THEN
    PERFORM pg_advisory_xact_lock_shared(dialer._campaign_gate_key(v_c.id));
    SELECT * INTO v_c FROM dialer.campaigns c WHERE c.tenant_id = v_c.tenant_id AND c.id = v_c.id;
  END IF;
  IF NOT coalesce(length(btrim(p_worker_id)) BETWEEN 1 AND 200, false) THEN
    PERFORM dialer._invalid_arg('p_worker_id', p_worker_id, '1 to 200 characters');
  END IF;
  IF NOT coalesce(p_max_calls BETWEEN 1 AND 1000, false) THEN
    PERFORM dialer._invalid_arg('p_max_calls', p_max_calls::text, 'between 1 and 1000');
  END IF;
  IF NOT coalesce(p_lease > interval '0' AND p_lease <= interval '1 day', false) THEN
    PERFORM dialer._invalid_arg('p_lease', p_lease::text, 'positive and at most 1 day');
  END IF;
  IF NOT v_no_caller THEN
    IF p_now IS DISTINCT FROM now() THEN
      PERFORM dialer._check_caller_instant('p_now', p_now);
    END IF;
    PERFORM dialer._require_active_tenant(v_c.tenant_id, 'claim calls of campaign ' || p_campaign_id);
  END IF;
  IF NOT dialer._campaign_claimable(v_c, p_now) THEN
    RETURN;
  END IF;
  IF v_no_slots THEN
    v_slots := array_fill(NULL::integer, ARRAY[p_max_calls]);
  ELSE
    SELECT array_agg(s.slot ORDER BY s.slot) INTO v_slots FROM (
      SELECT s.slot FROM dialer.campaign_slots s
       WHERE s.tenant_id = v_c.tenant_id AND s.campaign_id = v_c.id AND s.call_id IS NULL
       ORDER BY s.slot LIMIT p_max_calls
         FOR UPDATE SKIP LOCKED) s;
    IF v_slots IS NULL THEN
      RETURN;
    END IF;
  END IF;
  LOOP
    SELECT l.id, l.phone, l.attempts INTO v_lead FROM dialer.leads l
     WHERE l.tenant_id = v_c.tenant_id AND l.campaign_id = v_c.id
       AND l.status IN ('pending', 'scheduled')
       AND (l.next_attempt_at IS NULL OR l.next_attempt_at <= p_now)
       AND l.id <> ALL (v_moved_ids)
     ORDER BY l.priority DESC, l.next_attempt_at NULLS FIRST
     LIMIT 1
       FOR UPDATE SKIP LOCKED;
    EXIT WHEN NOT FOUND;
    IF bench_parts.off('c_plan') THEN
      SELECT * INTO v_plan FROM bench_parts.plan_070(v_c.tenant_id, v_lead.id, p_now);
    ELSE
      v_plan := dialer._plan_lead(v_c.tenant_id, v_lead.id, p_now);
    END IF;
    IF v_plan.next_attempt_at IS NULL OR v_plan.next_attempt_at > p_now THEN
      v_moved_ids := v_moved_ids || v_lead.id;
      v_moved_status := v_moved_status || coalesce(v_plan.final_status, 'scheduled');
      v_moved_at := v_moved_at || v_plan.next_attempt_at;
      EXIT WHEN cardinality(v_moved_ids) >= 4 * cardinality(v_slots) + 16;
      CONTINUE;
    END IF;
    v_got := v_got + 1;
    INSERT INTO dialer.calls AS k (tenant_id, campaign_id, lead_id, phone, caller_id, provider, status,
                                   attempt_number, worker_id, claimed_at, lease_expires_at, created_at, slot,
                                   recipient_time_zone)
    VALUES (v_c.tenant_id, v_c.id, v_lead.id, v_lead.phone, v_c.caller_id, v_c.provider, 'claimed',
            v_lead.attempts + 1, p_worker_id, p_now, p_now + p_lease, clock_timestamp(), v_slots[v_got],
            v_plan.recipient_zone)
    RETURNING k.id, k.idempotency_key INTO call_id, idempotency_key;
    UPDATE dialer.leads l
       SET status = 'in_progress', attempts = l.attempts + 1, last_attempt_at = p_now, next_attempt_at = NULL
     WHERE l.tenant_id = v_c.tenant_id AND l.id = v_lead.id;
    lead_id := v_lead.id;
    phone := v_lead.phone;
    attempt_number := v_lead.attempts + 1;
    lease_expires_at := p_now + p_lease;
    dial_by := least(p_now + p_lease, v_plan.legal_until);
    v_claimed_leads := v_claimed_leads || v_lead.id;
    v_claimed_phones := v_claimed_phones || v_lead.phone;
    RETURN NEXT;
    EXIT WHEN v_got = cardinality(v_slots);
  END LOOP;
  IF v_moved_ids <> '{}' THEN
    UPDATE dialer.leads l SET status = m.status, next_attempt_at = m.next_at
      FROM unnest(v_moved_ids, v_moved_status, v_moved_at) AS m(id, status, next_at)
     WHERE l.tenant_id = v_c.tenant_id AND l.id = m.id;
  END IF;
  IF NOT v_no_replan THEN
    FOR i IN 1 .. coalesce(cardinality(v_claimed_leads), 0) LOOP
      PERFORM dialer._replan_number(v_c.tenant_id, v_claimed_phones[i], v_claimed_leads[i], p_now);
    END LOOP;
  END IF;
END
$$;

CREATE FUNCTION bench_parts._advance_lead(p_tenant_id uuid, p_campaign_id uuid, p_lead_id uuid, p_class text,
                                          p_now timestamptz,
                                          OUT status dialer.lead_status, OUT next_attempt_at timestamptz)
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET jit = off
AS $$
DECLARE
  v_class dialer.outcome_classes;
  v_plan dialer.lead_plan;
BEGIN
  SELECT * INTO v_class FROM dialer.outcome_classes o WHERE o.outcome_class = p_class;
  IF v_class.terminal THEN
    status := v_class.lead_status::dialer.lead_status;
  ELSIF NOT bench_parts.off('gate') AND dialer._campaign_cancelled(p_tenant_id, p_campaign_id) THEN
    status := 'cancelled';
  ELSE
    IF bench_parts.off('c_plan') THEN
      SELECT * INTO v_plan FROM bench_parts.plan_070(p_tenant_id, p_lead_id, p_now, p_class);
    ELSE
      v_plan := dialer._plan_lead(p_tenant_id, p_lead_id, p_now, p_class);
    END IF;
    next_attempt_at := v_plan.next_attempt_at;
    status := coalesce(v_plan.final_status, 'scheduled');
  END IF;
  UPDATE dialer.leads l
     SET last_outcome_class = p_class, status = _advance_lead.status,
         next_attempt_at = _advance_lead.next_attempt_at
   WHERE l.tenant_id = p_tenant_id AND l.id = p_lead_id;
END
$$;

CREATE FUNCTION bench_parts.complete_call(
  p_call_id uuid, p_outcome text, p_provider text DEFAULT NULL, p_provider_call_id text DEFAULT NULL,
  p_answered_at timestamptz DEFAULT NULL, p_ended_at timestamptz DEFAULT NULL,
  p_duration_seconds integer DEFAULT NULL, p_cost numeric DEFAULT NULL, p_recording_url text DEFAULT NULL,
  p_transcript jsonb DEFAULT NULL, p_summary text DEFAULT NULL, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET jit = off
AS $$
DECLARE
  v_no_caller boolean := bench_parts.off('caller');
  v_call dialer.calls;
  v_provider text;
  v_class text;
  v_lead record;
  v_campaign_status dialer.campaign_status;
BEGIN
  IF v_no_caller THEN
    SELECT * INTO v_call FROM dialer.calls k WHERE k.id = p_call_id FOR UPDATE;
  ELSE
    v_call := dialer._call_for_update(p_call_id);
  END IF;
  v_provider := lower(coalesce(p_provider, v_call.provider, 'dialer'));
  v_class := dialer.map_outcome(v_call.tenant_id, v_provider, p_outcome);
  IF v_class IS NULL THEN
    RAISE EXCEPTION 'unknown outcome "%" for provider "%"', p_outcome, v_provider USING ERRCODE = '22023';
  END IF;
  IF NOT coalesce(p_duration_seconds IS NULL OR p_duration_seconds >= 0, false) THEN
    PERFORM dialer._invalid_arg('p_duration_seconds', p_duration_seconds::text, 'zero or more');
  END IF;
  IF NOT coalesce(p_cost IS NULL OR (p_cost >= 0 AND p_cost NOT IN ('NaN', 'Infinity')), false) THEN
    PERFORM dialer._invalid_arg('p_cost', p_cost::text, 'a finite number, zero or more');
  END IF;
  IF NOT v_no_caller AND p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  IF NOT dialer.call_in_flight(v_call.status) THEN
    RAISE EXCEPTION 'call % is not in flight: it is %', p_call_id, v_call.status USING ERRCODE = 'PT409';
  END IF;
  UPDATE dialer.calls k
     SET status = (CASE WHEN v_class IN ('failed', 'transport_error') THEN 'failed' ELSE 'completed' END)::dialer.call_status,
         outcome_class = v_class, provider = v_provider, provider_outcome = p_outcome,
         provider_call_id = coalesce(p_provider_call_id, k.provider_call_id),
         started_at = coalesce(k.started_at, k.claimed_at),
         answered_at = coalesce(p_answered_at, k.answered_at),
         ended_at = coalesce(p_ended_at, p_now),
         duration_seconds = p_duration_seconds, cost = p_cost, recording_url = p_recording_url,
         transcript = p_transcript, summary = p_summary, lease_expires_at = NULL
   WHERE k.tenant_id = v_call.tenant_id AND k.id = v_call.id
  RETURNING k.status INTO v_call.status;
  SELECT * INTO v_lead FROM bench_parts._advance_lead(v_call.tenant_id, v_call.campaign_id, v_call.lead_id, v_class, p_now);
  IF v_class = 'do_not_call' THEN
    INSERT INTO dialer.suppressions (tenant_id, phone, reason, source)
    VALUES (v_call.tenant_id, v_call.phone, 'do_not_call', 'call:' || v_call.id)
    ON CONFLICT (tenant_id, phone) DO NOTHING;
  END IF;
  IF NOT bench_parts.off('replan') THEN
    PERFORM dialer._replan_number(v_call.tenant_id, v_call.phone, v_call.lead_id, p_now);
  END IF;
  IF v_lead.status NOT IN ('scheduled', 'held') THEN
    v_campaign_status := dialer._complete_campaign_if_done(v_call.tenant_id, v_call.campaign_id, p_now);
  END IF;
  RETURN jsonb_build_object('call_id', v_call.id, 'lead_id', v_call.lead_id, 'outcome_class', v_class,
                            'call_status', v_call.status, 'lead_status', v_lead.status,
                            'next_attempt_at', v_lead.next_attempt_at, 'replayed', false)
         || CASE WHEN v_campaign_status IS NULL THEN '{}'::jsonb
                 ELSE jsonb_build_object('campaign_status', v_campaign_status) END;
END
$$;

-- Why the trigger is switched here: without slots a completion has no slot to free, and the
-- leaves-flight trigger's search through the campaign's slots is part of what "slots" costs.
SELECT format('ALTER TABLE dialer.calls %s TRIGGER dialer_call_leaves_flight',
              CASE WHEN 'slots' = ANY (string_to_array(:'parts_off', ',')) THEN 'DISABLE' ELSE 'ENABLE' END) \gexec
SELECT format('ALTER DATABASE %I SET bench.parts_off = %L', current_database(), :'parts_off') \gexec
SELECT dialer.set_campaign_stats_enabled(true);
