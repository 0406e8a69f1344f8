CREATE OR REPLACE FUNCTION dialer._check_dial_legal(p_call dialer.calls, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_next timestamptz;
  v_reason text;
BEGIN
  SELECT d.next_attempt_at, d.reason INTO v_next, v_reason
    FROM dialer._lead_schedule_inputs(p_call.tenant_id, p_call.lead_id, p_now) i,
         LATERAL dialer._next_attempt_decision(
           i.lead_id, i.retry_policy, i.zones, 0, NULL, 0, NULL, i.recent_calls,
           i.last_abandoned_at, i.last_refusal_at, i.calling_windows, i.contact_windows,
           i.rule_packs, i.suppressed, i.artificial_voice, i.has_consent, i.campaign_starts_at,
           i.campaign_ends_at, p_now) d;
  IF v_next IS NULL OR v_next > p_now THEN
    RAISE EXCEPTION 'call % may not be dialled now: %', p_call.id, coalesce(v_reason, 'never')
      USING ERRCODE = 'PT409',
            DETAIL = CASE WHEN v_next IS NULL THEN format('Rule %s forbids calling %s again.', v_reason, p_call.phone)
                          ELSE format('Rule %s forbids calling %s before %s.', v_reason, p_call.phone, v_next) END,
            HINT = 'Do not place the call: give it back with dialer.release_call (the lead is planned again at the next claim).';
  END IF;
END
$$;
COMMENT ON FUNCTION dialer._check_dial_legal(dialer.calls, timestamptz) IS
  'Internal: PT409 naming the rule when a claimed call may not be dialled at p_now.';
