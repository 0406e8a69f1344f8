CREATE OR REPLACE FUNCTION dialer._lead_schedule_inputs(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
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
