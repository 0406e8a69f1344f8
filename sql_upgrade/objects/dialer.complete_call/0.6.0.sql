CREATE OR REPLACE FUNCTION dialer.complete_call(
  p_call_id uuid,
  p_outcome text,
  p_provider text DEFAULT NULL,
  p_provider_call_id text DEFAULT NULL,
  p_answered_at timestamptz DEFAULT NULL,
  p_ended_at timestamptz DEFAULT NULL,
  p_duration_seconds integer DEFAULT NULL,
  p_cost numeric DEFAULT NULL,
  p_recording_url text DEFAULT NULL,
  p_transcript jsonb DEFAULT NULL,
  p_summary text DEFAULT NULL,
  p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_call dialer.calls := dialer._call_for_update(p_call_id);
  v_provider text := lower(coalesce(p_provider, v_call.provider, 'dialer'));
  v_class text := dialer.map_outcome(v_call.tenant_id, v_provider, p_outcome);
  v_lead record;
  v_campaign_status dialer.campaign_status;
BEGIN
  IF v_class IS NULL THEN
    RAISE EXCEPTION 'unknown outcome "%" for provider "%"', p_outcome, v_provider
      USING ERRCODE = '22023',
            DETAIL = 'Neither the tenant''s mappings nor the global provider_outcomes map it to an outcome class.',
            HINT = 'Add a row to dialer.tenant_outcome_mappings, or pass provider ''dialer'' with an outcome class name.';
  END IF;
IF NOT coalesce(p_duration_seconds IS NULL OR p_duration_seconds >= 0, false) THEN
    PERFORM dialer._invalid_arg('p_duration_seconds', p_duration_seconds::text, 'zero or more');
  END IF;
  -- Why NaN and Infinity by name: numeric NaN compares greater than every number.
  IF NOT coalesce(p_cost IS NULL OR (p_cost >= 0 AND p_cost NOT IN ('NaN', 'Infinity')), false) THEN
    PERFORM dialer._invalid_arg('p_cost', p_cost::text, 'a finite number, zero or more');
  END IF;
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  IF p_answered_at IS NOT NULL THEN
    PERFORM dialer._check_caller_instant('p_answered_at', p_answered_at);
  END IF;
  IF p_ended_at IS NOT NULL THEN
    PERFORM dialer._check_caller_instant('p_ended_at', p_ended_at);
  END IF;
  IF NOT dialer.call_in_flight(v_call.status) AND v_class = 'do_not_call'
     AND v_call.outcome_class IS DISTINCT FROM 'do_not_call' THEN
    RETURN dialer._record_late_opt_out(v_call, p_outcome, p_now);
  END IF;
  IF v_call.status IN ('completed', 'failed') THEN
    IF v_call.outcome_class = v_class AND v_call.provider_outcome IS NOT DISTINCT FROM p_outcome THEN
      -- The same report again (a webhook retried): change nothing, answer the same.
      SELECT l.status, l.next_attempt_at INTO v_lead FROM dialer.leads l
       WHERE l.tenant_id = v_call.tenant_id AND l.id = v_call.lead_id;
      RETURN jsonb_build_object('call_id', v_call.id, 'lead_id', v_call.lead_id, 'outcome_class', v_class,
                                'call_status', v_call.status, 'lead_status', v_lead.status,
                                'next_attempt_at', v_lead.next_attempt_at, 'replayed', true);
    END IF;
    RAISE EXCEPTION 'call % is already completed with outcome %', p_call_id, v_call.provider_outcome
      USING ERRCODE = 'PT409', DETAIL = format('It cannot be completed again with "%s".', p_outcome),
            HINT = 'A call is completed once; correct it by updating dialer.calls as an admin.';
  END IF;
  IF NOT dialer.call_in_flight(v_call.status) THEN
    RAISE EXCEPTION 'call % is not in flight: it is %', p_call_id, v_call.status
      USING ERRCODE = 'PT409',
            DETAIL = 'Only a claimed call whose lease has not been reaped, released or cancelled can be completed.',
            HINT = 'Claim again with dialer.claim_calls; an expired call''s result was recorded as unknown.';
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
  -- (The slot is freed by the trigger dialer_call_leaves_flight on this UPDATE.)
  SELECT * INTO v_lead FROM dialer._advance_lead(v_call.tenant_id, v_call.campaign_id, v_call.lead_id, v_class, p_now);
  IF v_class = 'do_not_call' THEN
    INSERT INTO dialer.suppressions (tenant_id, phone, reason, source)
    VALUES (v_call.tenant_id, v_call.phone, 'do_not_call', 'call:' || v_call.id)
    ON CONFLICT (tenant_id, phone) DO NOTHING;
  END IF;
  PERFORM dialer._replan_number(v_call.tenant_id, v_call.phone, v_call.lead_id, p_now);
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
COMMENT ON FUNCTION dialer.complete_call(uuid, text, text, text, timestamptz, timestamptz, integer, numeric, text, jsonb, text, timestamptz) IS
  'Records how a claimed call ended: maps the provider''s raw outcome to an outcome class '
  '(dialer.map_outcome), stores the provider fields, frees the concurrency slot, moves the lead '
  '(final status, or next attempt from the scheduler), suppresses the number on do_not_call, and '
  'completes the campaign when no lead is left. The same report twice changes nothing (replayed: '
  'true); a different report for a completed call or a call not in flight is PT409, except '
  'do_not_call: a late opt-out still suppresses the number at once and is recorded on the call '
  '(metadata.late_report; answer late: true). Agent role.';
