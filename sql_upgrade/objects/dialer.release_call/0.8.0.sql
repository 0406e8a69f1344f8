CREATE OR REPLACE FUNCTION dialer.release_call(p_call_id uuid, p_reason text DEFAULT NULL, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_call dialer.calls := dialer._call_for_update(p_call_id);
  v_plan dialer.lead_plan;
  v_status dialer.lead_status;
  v_next timestamptz;
BEGIN
  PERFORM dialer._check_caller_instant('p_now', p_now);
  IF v_call.status <> 'claimed' THEN
    RAISE EXCEPTION 'call % cannot be released: it is %', p_call_id, v_call.status
      USING ERRCODE = 'PT409', DETAIL = 'Only a claimed call that was never dispatched can be released.',
            HINT = 'Complete a dispatched call with dialer.complete_call (outcome transport_error if it failed).';
  END IF;
  UPDATE dialer.calls k SET status = 'cancelled', lease_expires_at = NULL,
                            notes = coalesce(p_reason, 'released by ' || coalesce(k.worker_id, 'worker'))
   WHERE k.tenant_id = v_call.tenant_id AND k.id = v_call.id;
  -- (The slot is freed by the trigger dialer_call_leaves_flight on this UPDATE.)
  -- Not placed, so not an attempt: the lead's attempt summary goes back to its last
  -- real attempt.
  UPDATE dialer.leads l
     SET attempts = l.attempts - 1,
         (last_attempt_at, last_outcome_class) =
           (SELECT k.claimed_at, k.outcome_class FROM dialer.calls k
             WHERE k.tenant_id = v_call.tenant_id AND k.lead_id = v_call.lead_id
               AND k.id <> v_call.id AND k.status <> 'cancelled'
             ORDER BY k.attempt_number DESC LIMIT 1)
   WHERE l.tenant_id = v_call.tenant_id AND l.id = v_call.lead_id;
  -- Then it is planned like any waiting lead (due again at once unless a rule now says
  -- later, so the stored plan is why_not_dialable's), or cancelled if the campaign was
  -- stopped meanwhile.
  IF dialer._campaign_cancelled(v_call.tenant_id, v_call.campaign_id) THEN
    v_status := 'cancelled';
  ELSE
    v_plan := dialer._plan_lead(v_call.tenant_id, v_call.lead_id, p_now);
    v_status := coalesce(v_plan.final_status, 'scheduled');
    v_next := v_plan.next_attempt_at;
  END IF;
  UPDATE dialer.leads l SET status = v_status, next_attempt_at = v_next
   WHERE l.tenant_id = v_call.tenant_id AND l.id = v_call.lead_id;
  -- The released claim no longer counts for the number's other waiting leads.
  PERFORM dialer._replan_number(v_call.tenant_id, v_call.phone, v_call.lead_id, p_now);
  RETURN jsonb_build_object('call_id', v_call.id, 'call_status', 'cancelled', 'lead_id', v_call.lead_id,
                            'lead_status', v_status, 'next_attempt_at', v_next);
END
$$;
COMMENT ON FUNCTION dialer.release_call(uuid, text, timestamptz) IS
  'The worker gives back a claimed call it never dispatched: the call is cancelled, the attempt '
  'not counted, the lead due again at once (or when a calling rule next allows; cancelled if the '
  'campaign was stopped meanwhile). PT409 once the call was dispatched. Agent role.';
