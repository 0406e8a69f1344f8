CREATE OR REPLACE FUNCTION dialer.reap_expired_claims(p_now timestamptz DEFAULT now(), p_limit integer DEFAULT 1000)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_call record;
  v_lead record;
  v_expired integer := 0;
  v_returned integer := 0;
  v_held integer := 0;
  v_finished integer := 0;
BEGIN
  IF NOT dialer._caller_bypasses_rls() THEN
    RAISE EXCEPTION 'reap_expired_claims is a maintenance job for the service role'
      USING ERRCODE = '42501', DETAIL = 'It touches every tenant''s expired calls.',
            HINT = 'Run it as service_role or from pg_cron.';
  END IF;
IF NOT coalesce(p_limit BETWEEN 1 AND 100000, false) THEN
    PERFORM dialer._invalid_arg('p_limit', p_limit::text, 'between 1 and 100000');
  END IF;
  FOR v_call IN
    SELECT k.tenant_id, k.id, k.campaign_id, k.lead_id, k.status, k.slot FROM dialer.calls k
     WHERE dialer.call_in_flight(k.status)
       AND k.lease_expires_at < p_now
     ORDER BY k.lease_expires_at LIMIT p_limit
       FOR UPDATE SKIP LOCKED
  LOOP
    v_expired := v_expired + 1;
    UPDATE dialer.calls k SET status = 'expired', outcome_class = 'unknown', lease_expires_at = NULL
     WHERE k.id = v_call.id AND k.tenant_id IS NOT DISTINCT FROM v_call.tenant_id;  -- see _call_for_update
    -- (The slot is freed by the trigger dialer_call_leaves_flight on this UPDATE.)
    -- The scheduler decides from the policy: an unknown result is not redialled unless
    -- the policy's "unknown" class says so; then the lead is held for a person.
    SELECT * INTO v_lead FROM dialer._advance_lead(v_call.tenant_id, v_call.campaign_id, v_call.lead_id, 'unknown', p_now);
    IF v_lead.status = 'held' THEN
      v_held := v_held + 1;
    ELSIF v_lead.status = 'scheduled' THEN
      v_returned := v_returned + 1;
    ELSE
      v_finished := v_finished + 1;
    END IF;
  END LOOP;
  RETURN jsonb_build_object('expired', v_expired, 'requeued', v_returned, 'held', v_held,
                            'finished', v_finished);
END
$$;
COMMENT ON FUNCTION dialer.reap_expired_claims(timestamptz, integer) IS
  'Maintenance (service role, pg_cron every minute): calls in flight whose lease ran out become '
  'expired with outcome unknown and free their slot; each lead is requeued only if its retry '
  'policy redials unknown results, otherwise held (or finished when its attempts are used up). '
  'At most p_limit calls per run; returns {expired, requeued, held, finished}.';
