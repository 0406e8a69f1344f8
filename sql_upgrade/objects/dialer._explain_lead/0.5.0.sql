CREATE OR REPLACE FUNCTION dialer._explain_lead(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
                                     p_last_outcome text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
BEGIN
  RETURN (
      SELECT dialer.explain_next_attempt(
        p_lead_id => i.lead_id, p_retry_policy => i.retry_policy, p_zones => i.zones,
        p_attempts => i.attempts, p_last_outcome => i.last_outcome, p_class_attempts => i.class_attempts,
        p_last_attempt_at => i.last_attempt_at, p_recent_calls => i.recent_calls,
        p_last_abandoned_at => i.last_abandoned_at, p_last_refusal_at => i.last_refusal_at,
        p_calling_windows => i.calling_windows, p_contact_windows => i.contact_windows,
        p_rule_packs => i.rule_packs, p_suppressed => i.suppressed, p_artificial_voice => i.artificial_voice,
        p_has_consent => i.has_consent, p_campaign_starts_at => i.campaign_starts_at,
        p_campaign_ends_at => i.campaign_ends_at, p_now => p_now)
        FROM dialer._lead_schedule_inputs(p_tenant_id, p_lead_id, p_now, p_last_outcome) i);
END
$$;
COMMENT ON FUNCTION dialer._explain_lead(uuid, uuid, timestamptz, text) IS
  'Internal: dialer.explain_next_attempt for one lead, inputs read from the tables.';
