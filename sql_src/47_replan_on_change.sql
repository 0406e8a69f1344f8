-- The stored schedule follows every input of a decision, not only calls: when a
-- campaign's rules, a contact's zone, windows or consent, or a do-not-call entry change,
-- the waiting leads concerned are planned again at once, so why_not_dialable and the
-- stored next_attempt_at agree at every instant (docs/queue.md). Claims re-check the law
-- anyway; this keeps what users read true. SKIP LOCKED as in _replan_number: a lead being
-- claimed right now is re-checked by its claim.

-- Plans again the waiting leads of one campaign (its rules changed).
CREATE FUNCTION dialer._replan_campaign(p_tenant_id uuid, p_campaign_id uuid, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
BEGIN
  UPDATE dialer.leads l
     SET next_attempt_at = p.next_attempt_at,
         status = coalesce(p.final_status, l.status)
    FROM (SELECT s.id FROM dialer.leads s
           WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id
             AND s.status IN ('pending', 'scheduled')
             FOR UPDATE SKIP LOCKED) s,
         LATERAL dialer._plan_lead(p_tenant_id, s.id, p_now) p
   WHERE l.tenant_id = p_tenant_id AND l.id = s.id
     AND NOT (p IS NULL)  -- no decision (a NULL plan): the lead is not visible
     AND (p.next_attempt_at IS NULL
          OR greatest(p.next_attempt_at, p_now) IS DISTINCT FROM greatest(coalesce(l.next_attempt_at, p_now), p_now));
END
$$;
COMMENT ON FUNCTION dialer._replan_campaign(uuid, uuid, timestamptz) IS
  'Internal: plans again the waiting leads of a campaign whose rules just changed.';
REVOKE EXECUTE ON FUNCTION dialer._replan_campaign(uuid, uuid, timestamptz) FROM PUBLIC;

-- Trigger on campaigns: a change of anything the scheduler reads from the campaign.
-- SECURITY DEFINER: the re-planning functions are internal (not granted to API roles);
-- the rows are the campaign's own, which the caller was allowed to change.
CREATE FUNCTION dialer._replan_on_campaign_change()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  PERFORM dialer._replan_campaign(NEW.tenant_id, NEW.id, now());
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._replan_on_campaign_change() IS
  'Trigger: a campaign''s rules changed (policy, windows, packs, zones, schedule, AI voice): its waiting leads are planned again.';
REVOKE EXECUTE ON FUNCTION dialer._replan_on_campaign_change() FROM PUBLIC;
CREATE TRIGGER dialer_replan_on_campaign_change
  AFTER UPDATE OF retry_policy, calling_windows, rule_packs, zone_precision, time_zone, schedule_start,
                  schedule_end, uses_ai_voice ON dialer.campaigns
  FOR EACH ROW
  WHEN ((OLD.retry_policy, OLD.calling_windows, OLD.rule_packs, OLD.zone_precision, OLD.time_zone,
         OLD.schedule_start, OLD.schedule_end, OLD.uses_ai_voice)
        IS DISTINCT FROM
        (NEW.retry_policy, NEW.calling_windows, NEW.rule_packs, NEW.zone_precision, NEW.time_zone,
         NEW.schedule_start, NEW.schedule_end, NEW.uses_ai_voice))
  EXECUTE FUNCTION dialer._replan_on_campaign_change();

-- Trigger on contacts and suppressions: the number's waiting leads in every campaign of
-- the tenant (its zone, windows or consent, or its do-not-call entry, changed).
CREATE FUNCTION dialer._replan_on_number_change()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM dialer._replan_number(OLD.tenant_id, OLD.phone, NULL, now());
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW.tenant_id, NEW.phone) IS DISTINCT FROM (OLD.tenant_id, OLD.phone)) THEN
    PERFORM dialer._replan_number(NEW.tenant_id, NEW.phone, NULL, now());
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._replan_on_number_change() IS
  'Trigger: a number''s contact data or do-not-call entry changed: its waiting leads are planned again.';
REVOKE EXECUTE ON FUNCTION dialer._replan_on_number_change() FROM PUBLIC;
CREATE TRIGGER dialer_replan_on_contact_change
  AFTER UPDATE OF time_zone, calling_windows, consent_ai_voice_at, consent_revoked_at ON dialer.contacts
  FOR EACH ROW
  WHEN ((OLD.time_zone, OLD.calling_windows, OLD.consent_ai_voice_at, OLD.consent_revoked_at)
        IS DISTINCT FROM (NEW.time_zone, NEW.calling_windows, NEW.consent_ai_voice_at, NEW.consent_revoked_at))
  EXECUTE FUNCTION dialer._replan_on_number_change();
CREATE TRIGGER dialer_replan_on_suppression_change
  AFTER INSERT OR UPDATE OF phone, expires_at OR DELETE ON dialer.suppressions
  FOR EACH ROW EXECUTE FUNCTION dialer._replan_on_number_change();
