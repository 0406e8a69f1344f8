CREATE OR REPLACE FUNCTION dialer._advance_lead(p_tenant_id uuid, p_campaign_id uuid, p_lead_id uuid, p_class text,
                                     p_now timestamptz,
                                     OUT status dialer.lead_status, OUT next_attempt_at timestamptz)
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_class dialer.outcome_classes;
  v_plan record;
BEGIN
  SELECT * INTO v_class FROM dialer.outcome_classes o WHERE o.outcome_class = p_class;
  IF v_class.terminal THEN
    status := v_class.lead_status::dialer.lead_status;
  ELSIF dialer._campaign_cancelled(p_tenant_id, p_campaign_id) THEN
    status := 'cancelled';  -- stopped while the call was in flight: not requeued
  ELSE
    SELECT * INTO v_plan FROM dialer._plan_lead(p_tenant_id, p_lead_id, p_now, p_class);
    next_attempt_at := v_plan.next_attempt_at;
    status := coalesce(v_plan.final_status, 'scheduled');
  END IF;
  UPDATE dialer.leads l
     SET last_outcome_class = p_class, status = _advance_lead.status,
         next_attempt_at = _advance_lead.next_attempt_at
   WHERE l.tenant_id = p_tenant_id AND l.id = p_lead_id;
END
$$;
COMMENT ON FUNCTION dialer._advance_lead(uuid, uuid, uuid, text, timestamptz) IS
  'Internal: sets a lead''s status and next attempt after a call of an outcome class ended '
  '(p_campaign_id: the call''s campaign, which is the lead''s).';
