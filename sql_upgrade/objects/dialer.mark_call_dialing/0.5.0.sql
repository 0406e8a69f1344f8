CREATE OR REPLACE FUNCTION dialer.mark_call_dialing(p_call_id uuid, p_provider_call_id text DEFAULT NULL,
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
BEGIN
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  PERFORM dialer._require_active_tenant(v_call.tenant_id, 'dial call ' || p_call_id);
  IF v_call.status NOT IN ('claimed', 'dialing') THEN
    RAISE EXCEPTION 'call % cannot be marked dialing: it is %', p_call_id, v_call.status
      USING ERRCODE = 'PT409', DETAIL = 'Only a claimed call can be dispatched.',
            HINT = 'Claim a new call with dialer.claim_calls.';
  END IF;
  IF v_call.status = 'claimed' AND v_call.lead_id IS NOT NULL THEN
    PERFORM dialer._check_dial_legal(v_call, p_now);
  END IF;
  UPDATE dialer.calls k SET status = 'dialing', started_at = coalesce(k.started_at, p_now),
                            provider_call_id = coalesce(p_provider_call_id, k.provider_call_id)
   WHERE k.tenant_id = v_call.tenant_id AND k.id = v_call.id;
  IF v_call.status = 'claimed' THEN
    PERFORM dialer._replan_number(v_call.tenant_id, v_call.phone, v_call.lead_id, p_now);
  END IF;
  RETURN jsonb_build_object('call_id', v_call.id, 'call_status', 'dialing', 'started_at', coalesce(v_call.started_at, p_now));
END
$$;
COMMENT ON FUNCTION dialer.mark_call_dialing(uuid, text, timestamptz) IS
  'The worker reports it is dispatching the call to the provider (status dialing, started_at). '
  'Legality is checked again at this instant (windows, caps, cool-downs, suppression, consent): '
  'PT409 "may not be dialled now" with the rule and the next legal moment, after which the worker '
  'gives the call back with dialer.release_call. From then on an expired lease means the result is '
  'unknown. Agent role.';
