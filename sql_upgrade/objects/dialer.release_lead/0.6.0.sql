CREATE OR REPLACE FUNCTION dialer.release_lead(p_lead_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_lead dialer.leads;
  v_plan record;
BEGIN
  -- The role in the WHERE: another tenant's lead is never locked (as in _call_for_update).
  SELECT * INTO v_lead FROM dialer.leads l
   WHERE l.id = p_lead_id AND dialer.has_tenant_role(l.tenant_id, 'admin') FOR UPDATE;
  IF v_lead.id IS NULL THEN
    RAISE EXCEPTION 'lead % not found', p_lead_id
      USING ERRCODE = 'PT404', DETAIL = 'No lead with this id is visible to the caller as an admin.',
            HINT = 'Check the id and your role.';
  END IF;
  PERFORM dialer._check_caller_instant('p_now', p_now);
  IF v_lead.status <> 'held' THEN
    RAISE EXCEPTION 'lead % is not held: it is %', p_lead_id, v_lead.status
      USING ERRCODE = 'PT409', DETAIL = 'Only a lead held after a call with an unknown result can be released.',
            HINT = 'See dialer.why_not_dialable for why a lead is not being called.';
  END IF;
  -- Planned like any lead, with the unknown result set aside (released_at: see
  -- _lead_schedule_inputs), so the stored next attempt is what why_not_dialable says and
  -- the claim that follows does not hold the lead again.
  UPDATE dialer.leads l SET released_at = p_now
   WHERE l.tenant_id = v_lead.tenant_id AND l.id = v_lead.id;
  SELECT * INTO v_plan FROM dialer._plan_lead(v_lead.tenant_id, v_lead.id, p_now);
  UPDATE dialer.leads l
     SET status = coalesce(v_plan.final_status, 'scheduled'),
         next_attempt_at = v_plan.next_attempt_at
   WHERE l.tenant_id = v_lead.tenant_id AND l.id = v_lead.id
  RETURNING l.status, l.next_attempt_at INTO v_lead.status, v_lead.next_attempt_at;
  RETURN jsonb_build_object('lead_id', v_lead.id, 'status', v_lead.status,
                            'next_attempt_at', v_lead.next_attempt_at);
END
$$;
COMMENT ON FUNCTION dialer.release_lead(uuid, timestamptz) IS
  'A person decides a held lead (last call''s result unknown) may be called again: the unknown '
  'result no longer blocks it, and it is scheduled at the earliest moment every calling rule allows '
  '(windows, caps, gaps, suppressions, consent, max attempts; a lead that may never be called again '
  'is finished instead). Returns its status and next_attempt_at. Admin role.';
