-- The queue's bridge to the scheduler: gathers everything a decision about one lead
-- depends on from the tables (attempt history, calls to the same number, campaign
-- rules, the contact's windows, zone and consent, suppressions) and asks
-- dialer.next_attempt_at / dialer.explain_next_attempt. Used at claim time (legality
-- re-check), after each call (next attempt), and by dialer.why_not_dialable.

-- Policies and windows are validated when written, by the scheduler's own parser
-- (22023 naming the bad field's JSON path).
ALTER TABLE dialer.campaigns
  ADD CONSTRAINT campaigns_retry_policy_valid CHECK (dialer.check_retry_policy(retry_policy)),
  ADD CONSTRAINT campaigns_calling_windows_valid CHECK (dialer.check_calling_windows(calling_windows));
ALTER TABLE dialer.contacts
  ADD CONSTRAINT contacts_calling_windows_valid CHECK (dialer.check_calling_windows(calling_windows));

-- Rule pack names are checked when written against dialer.rule_packs (22023 naming the
-- unknown one). Why a trigger and not a CHECK: the names live in a table, and pg_restore
-- loads campaigns before the operator's own packs; triggers are created after the data.
CREATE FUNCTION dialer._check_campaign_rule_packs()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  PERFORM dialer.check_rule_packs(NEW.rule_packs);
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION dialer._check_campaign_rule_packs() IS
  'Internal trigger: campaigns.rule_packs names only packs of dialer.rule_packs (22023 otherwise).';
REVOKE EXECUTE ON FUNCTION dialer._check_campaign_rule_packs() FROM PUBLIC;
CREATE TRIGGER dialer_campaign_rule_packs BEFORE INSERT OR UPDATE OF rule_packs ON dialer.campaigns
  FOR EACH ROW EXECUTE FUNCTION dialer._check_campaign_rule_packs();

-- Calls to one number are read by caps, the minimum gap and cool-downs.
CREATE INDEX calls_phone_idx ON dialer.calls (tenant_id, phone, claimed_at);

-- Where a number's owner may be, for calling hours: every zone under its area code, or
-- with campaigns.zone_precision = 'exchange' the zone where it was issued. Plain SQL
-- (inlined by its callers: _lead_schedule_inputs, recipient_time_zone).
CREATE FUNCTION dialer._number_zones(p_phone text, p_zone_precision text)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE p_zone_precision WHEN 'exchange' THEN dialer.phone_timezones(p_phone, NULL)
                               ELSE dialer.phone_area_timezones(p_phone, NULL) END
$$;
COMMENT ON FUNCTION dialer._number_zones(text, text) IS
  'Internal: the candidate zones of a number under a campaign''s zone_precision (area_code: '
  'dialer.phone_area_timezones; exchange: dialer.phone_timezones).';
REVOKE EXECUTE ON FUNCTION dialer._number_zones(text, text) FROM PUBLIC;
-- Granted: dialer.recipient_time_zone runs it as the caller, from the calls INSERT trigger.
INSERT INTO dialer.api_grants (function, grantee)
SELECT 'dialer._number_zones(text, text)'::regprocedure, g FROM unnest(ARRAY['authenticated', 'service_role']) g;

-- Every input of a scheduling decision for one lead (the one place that reads them from
-- the tables, field by field in dialer.schedule_inputs' order), and the zone a call is
-- counted under when the number has several candidates.
CREATE FUNCTION dialer._lead_schedule_inputs(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
                                             p_last_outcome text DEFAULT NULL)
RETURNS TABLE (inputs dialer.schedule_inputs, fallback_zone text)
-- Why plain SQL without SET search_path: so PostgreSQL inlines it into the calling
-- query (_plan_lead, _explain_lead), planned once with the caller's cached plan. A SET
-- clause would prevent inlining (and make PG15 re-plan a SQL function on every call).
-- Every name in it is schema-qualified, and it is not SECURITY DEFINER; its callers
-- all run with search_path = ''.
LANGUAGE sql STABLE
AS $$
    SELECT ROW(
           l.id,
           -- A person released the lead after an unknown result (dialer.release_lead): that
           -- result is redialled at once, as if the policy said so; every other rule holds.
           CASE WHEN p_last_outcome IS NULL AND l.last_outcome_class = 'unknown'
                     AND l.released_at >= l.last_attempt_at
                THEN jsonb_set(c.retry_policy, '{classes}', coalesce(c.retry_policy -> 'classes', '{}')
                               || '{"unknown": {"delays": [0], "max_attempts": 1000}}')
                ELSE c.retry_policy END,
           -- An explicit zone on the contact wins; else every candidate zone of the number
           -- (the scheduler needs all of them open: every zone under its area code unless the
           -- campaign opts into exchange precision); else the campaign's, else the tenant's.
           CASE WHEN ct.time_zone IS NOT NULL THEN ARRAY[ct.time_zone]
                ELSE coalesce(nullif(dialer._number_zones(l.phone, c.zone_precision), '{}'),
                              ARRAY[coalesce(c.time_zone, t.default_time_zone)]) END,
           -- p_last_outcome: the class of a call being completed in this transaction, before
           -- the lead row records it (saves a second update of the lead).
           l.attempts, coalesce(p_last_outcome, l.last_outcome_class),
           -- At least 1 when a last outcome is recorded: a lead edited by hand (or whose
           -- calls were deleted) must not make the planner reject the whole claim.
           CASE WHEN coalesce(p_last_outcome, l.last_outcome_class) IS NOT NULL THEN
             greatest(1, (SELECT count(*)::integer FROM dialer.calls k
                           WHERE k.tenant_id = l.tenant_id AND k.lead_id = l.id
                             AND k.outcome_class = coalesce(p_last_outcome, l.last_outcome_class)))
           ELSE 0 END,
           -- The lead's last attempt as the history times it (when it was placed), so the
           -- scheduler finds it among the recent calls and counts it once.
           coalesce(h.lead_last, l.last_attempt_at), h.recent, h.last_abandoned, h.last_refusal,
           c.calling_windows, ct.calling_windows, rp.packs,
           EXISTS (SELECT 1 FROM dialer.suppressions s
                    WHERE s.tenant_id = l.tenant_id AND s.phone = l.phone AND (s.expires_at IS NULL OR s.expires_at > p_now))
             OR EXISTS (SELECT 1 FROM dialer.global_suppressions g
                         WHERE g.phone = l.phone AND (g.expires_at IS NULL OR g.expires_at > p_now)),
           c.uses_ai_voice,
           ct.consent_ai_voice_at IS NOT NULL AND ct.consent_ai_voice_at <= p_now
             AND (ct.consent_revoked_at IS NULL OR ct.consent_revoked_at < ct.consent_ai_voice_at),
           c.schedule_start, c.schedule_end)::dialer.schedule_inputs,
           coalesce(c.time_zone, t.default_time_zone)
      FROM dialer.leads l
      JOIN dialer.campaigns c ON c.tenant_id = l.tenant_id AND c.id = l.campaign_id
      JOIN dialer.tenants t ON t.id = l.tenant_id
      LEFT JOIN dialer.contacts ct ON ct.tenant_id = l.tenant_id AND ct.phone = l.phone
      -- Fail closed: a campaign that names no rule pack gets the recipient's country's and
      -- state's (dialer.default_rule_packs).
      CROSS JOIN LATERAL (
        SELECT CASE WHEN c.rule_packs = '{}' THEN dialer.default_rule_packs(l.phone) ELSE c.rule_packs END AS packs) rp
      LEFT JOIN LATERAL (
        -- Every call to the number (any campaign of the tenant), several at one instant
        -- each counted, timed from when it was placed (the claim until then) and its
        -- abandon or refusal from when it ended. How far back: the longest horizon of any
        -- rule in force, plus a day (a call is placed at most a lease, <= 1 day, after its
        -- claim). The lead's own claimed, not yet placed call is left out: a claim's
        -- legality is re-checked at dialing time against the calls before it.
        SELECT array_agg(coalesce(k.started_at, k.claimed_at) ORDER BY coalesce(k.started_at, k.claimed_at)) AS recent,
               max(coalesce(k.started_at, k.claimed_at)) FILTER (WHERE k.lead_id = l.id) AS lead_last,
               max(coalesce(k.ended_at, k.started_at, k.claimed_at)) FILTER (WHERE k.outcome_class = 'abandoned') AS last_abandoned,
               max(coalesce(k.ended_at, k.started_at, k.claimed_at)) FILTER (WHERE k.outcome_class = 'refused') AS last_refusal
          FROM dialer.calls k
         WHERE k.tenant_id = l.tenant_id AND k.phone = l.phone
           AND k.claimed_at > p_now - make_interval(secs => dialer._rule_history_horizon(c.retry_policy, rp.packs))
                                    - interval '1 day'
           AND k.claimed_at <= p_now
           AND k.status <> 'cancelled'
           AND NOT (k.lead_id = l.id AND k.status = 'claimed')) h ON true
     WHERE l.tenant_id = p_tenant_id AND l.id = p_lead_id
$$;
COMMENT ON FUNCTION dialer._lead_schedule_inputs(uuid, uuid, timestamptz, text) IS
  'Internal: every input of a scheduling decision for one lead, read from the tables.';
REVOKE EXECUTE ON FUNCTION dialer._lead_schedule_inputs(uuid, uuid, timestamptz, text) FROM PUBLIC;

-- The scheduler's explanation for one lead at p_now.
CREATE FUNCTION dialer._explain_lead(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
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
      SELECT dialer._explain_inputs(i.inputs, p_now)
        FROM dialer._lead_schedule_inputs(p_tenant_id, p_lead_id, p_now, p_last_outcome) i);
END
$$;
COMMENT ON FUNCTION dialer._explain_lead(uuid, uuid, timestamptz, text) IS
  'Internal: dialer.explain_next_attempt for one lead, inputs read from the tables.';
REVOKE EXECUTE ON FUNCTION dialer._explain_lead(uuid, uuid, timestamptz, text) FROM PUBLIC;

-- The lead status a "never" decision leaves a lead in, by the blocking rule.
CREATE FUNCTION dialer._never_status(p_reason text)
RETURNS dialer.lead_status
-- No SET clause, so the planner inlines it (a SET would re-plan it on every call).
LANGUAGE sql IMMUTABLE
AS $$
  SELECT (CASE p_reason
            WHEN 'unknown_outcome' THEN 'held'             -- a person decides (dialer.release_lead)
            WHEN 'suppressed' THEN 'do_not_call'
            ELSE 'failed' END)::dialer.lead_status          -- attempts used up, no consent, no window...
$$;
COMMENT ON FUNCTION dialer._never_status(text) IS
  'Internal: the lead status for a scheduler "never": held after an unknown result, do_not_call when suppressed, else failed.';
REVOKE EXECUTE ON FUNCTION dialer._never_status(text) FROM PUBLIC;

-- The next legal attempt for a lead: NULL next_attempt_at means never, with the
-- status the lead should take then. Why _decide: a "never" needs its
-- reason, and the lean variant returns both without building the JSON explanation.
-- Why plain SQL returning a one-row table, without SET clauses: PostgreSQL then inlines
-- it (with _lead_schedule_inputs and _never_status) into the calling statement, planned
-- once in the caller's cached plan. As PL/pgSQL with SET clauses each call paid for a
-- function scan, a result tuple descriptor and two GUC changes: ~0.1 ms, as much as the
-- query itself (pg_stat_statements, queue benchmark). Callers run with search_path ''.
CREATE FUNCTION dialer._plan_lead(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
                                  p_last_outcome text DEFAULT NULL)
RETURNS TABLE (next_attempt_at timestamptz, final_status dialer.lead_status, recipient_zone text,
               legal_until timestamptz)
LANGUAGE sql STABLE
AS $$
  -- recipient_zone: what dialer.recipient_time_zone() answers (the contact's zone, else
  -- the number's only candidate, else the campaign's or tenant's), from the same row.
  SELECT d.next_attempt_at,
         CASE WHEN d.next_attempt_at IS NULL THEN dialer._never_status(d.reason) END,
         CASE WHEN cardinality((i.inputs).zones) = 1 THEN (i.inputs).zones[1] ELSE i.fallback_zone END,
         d.legal_until
    FROM dialer._lead_schedule_inputs(p_tenant_id, p_lead_id, p_now, p_last_outcome) i,
         LATERAL dialer._decide(i.inputs, p_now) d
$$;
COMMENT ON FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text) IS
  'Internal: the scheduler''s next legal attempt for a lead (one row; NULL next_attempt_at: never, '
  'with the status to take; legal_until: when callable at p_now, until when its windows stay open).';
REVOKE EXECUTE ON FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text) FROM PUBLIC;

CREATE FUNCTION dialer.why_not_dialable(p_lead_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_lead dialer.leads;
  v_campaign dialer.campaigns;
  v_explain jsonb;
BEGIN
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  SELECT * INTO v_lead FROM dialer.leads l WHERE l.id = p_lead_id;
  IF v_lead.id IS NULL OR NOT dialer.has_tenant_role(v_lead.tenant_id, 'viewer') THEN
    RAISE EXCEPTION 'lead % not found', p_lead_id
      USING ERRCODE = 'PT404', DETAIL = 'No lead with this id is visible to the caller.',
            HINT = 'Check the id, and that you are a member of the lead''s tenant.';
  END IF;
  SELECT * INTO v_campaign FROM dialer.campaigns c WHERE c.tenant_id = v_lead.tenant_id AND c.id = v_lead.campaign_id;
  v_explain := dialer._explain_lead(v_lead.tenant_id, v_lead.id, p_now);
  RETURN jsonb_build_object(
      'lead_id', v_lead.id, 'phone', v_lead.phone, 'lead_status', v_lead.status,
      'attempts', v_lead.attempts, 'campaign_status', v_campaign.status,
      'dialable_now', v_lead.status IN ('pending', 'scheduled') AND v_campaign.status = 'running'
                      AND (v_explain ->> 'next_attempt_at')::timestamptz <= p_now,
      'blocked_by', CASE
          WHEN v_campaign.status <> 'running' THEN 'campaign_' || v_campaign.status
          WHEN v_lead.status NOT IN ('pending', 'scheduled') THEN 'lead_' || v_lead.status
          WHEN v_explain ->> 'status' = 'never' THEN v_explain ->> 'reason'
          WHEN (v_explain ->> 'next_attempt_at')::timestamptz > p_now THEN v_explain ->> 'reason'
        END)
    || jsonb_build_object('schedule', v_explain);
END
$$;
COMMENT ON FUNCTION dialer.why_not_dialable(uuid, timestamptz) IS
  'Why a lead is or is not being called at p_now: {dialable_now, blocked_by (campaign state, lead '
  'state, or the scheduler rule: window, cap, min_gap, retry_delay, suppressed, no_consent, ...), '
  'schedule: the scheduler''s full explanation with the earliest legal moment and its trail}. Viewer role.';
REVOKE EXECUTE ON FUNCTION dialer.why_not_dialable(uuid, timestamptz) FROM PUBLIC;
INSERT INTO dialer.api_grants (function, grantee)
SELECT 'dialer.why_not_dialable(uuid, timestamptz)'::regprocedure, g FROM unnest(ARRAY['authenticated', 'service_role']) g;
