-- pg_dialer 0.1.0 -> 0.2.0 (2 Dec 2026). What changed, and why: docs/queue.md and
-- docs/stats.md ("Performance", "Measured"); CHANGELOG in the README's Upgrading section.
-- test/scripts/extension_upgrade.sh proves that an upgraded database has the same catalog
-- (functions, tables, columns, constraints, indexes, triggers, policies, comments,
-- privileges) as a fresh 0.2.0 install, and that a call claimed before the upgrade
-- completes after it.
\echo Use "ALTER EXTENSION pg_dialer UPDATE TO '0.2.0'" to load this file. \quit

-- ---- the slot a call holds (sql_src/41_queue_state.sql, 55_call_slot.sql) ----
ALTER TABLE dialer.calls ADD COLUMN slot integer;
COMMENT ON COLUMN dialer.calls.slot IS
  'The dialer.campaign_slots slot the call occupies while in flight (set by dialer.claim_calls).';
-- Calls in flight at the upgrade keep the slot they hold.
UPDATE dialer.calls k SET slot = s.slot
  FROM dialer.campaign_slots s
 WHERE s.tenant_id = k.tenant_id AND s.campaign_id = k.campaign_id AND s.call_id = k.id;
-- Why: slot writes become HOT updates (see 41_queue_state.sql); a trigger frees the slot
-- of a deleted call instead of the foreign key's ON DELETE SET NULL.
ALTER TABLE dialer.campaign_slots DROP CONSTRAINT campaign_slots_tenant_id_call_id_fkey;
DROP INDEX dialer.campaign_slots_call_idx;
ALTER TABLE dialer.campaign_slots SET (fillfactor = 50);

-- ---- functions whose signature or result changed: dropped, created again below ----
DROP FUNCTION dialer._free_slot(uuid, uuid, uuid);
DROP FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text);
DROP FUNCTION dialer._lead_schedule_inputs(uuid, uuid, timestamptz, text);

-- ---- new and changed functions (the definitions of sql_src/ at 0.2.0) ----

CREATE FUNCTION dialer._next_attempt_decision(
  p_lead_id uuid, p_retry_policy jsonb, p_zones text[], p_attempts integer, p_last_outcome text,
  p_class_attempts integer, p_last_attempt_at timestamptz, p_recent_calls timestamptz[],
  p_last_abandoned_at timestamptz, p_last_refusal_at timestamptz, p_calling_windows jsonb,
  p_contact_windows jsonb, p_rule_packs text[], p_suppressed boolean, p_artificial_voice boolean,
  p_has_consent boolean, p_campaign_starts_at timestamptz, p_campaign_ends_at timestamptz,
  p_now timestamptz, OUT next_attempt_at timestamptz, OUT reason text)
LANGUAGE c STABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_next_attempt_decision';
COMMENT ON FUNCTION dialer._next_attempt_decision(uuid, jsonb, text[], integer, text, integer,
  timestamptz, timestamptz[], timestamptz, timestamptz, jsonb, jsonb, text[], boolean, boolean,
  boolean, timestamptz, timestamptz, timestamptz) IS
  'Internal: dialer.next_attempt_at with the reason (the binding rule, as in explain_next_attempt) '
  'and without the explanation; what the queue needs per call.';
REVOKE EXECUTE ON FUNCTION dialer._next_attempt_decision(uuid, jsonb, text[], integer, text, integer,
  timestamptz, timestamptz[], timestamptz, timestamptz, jsonb, jsonb, text[], boolean, boolean,
  boolean, timestamptz, timestamptz, timestamptz) FROM PUBLIC;


CREATE OR REPLACE FUNCTION dialer.map_outcome(p_tenant_id uuid, p_provider text, p_raw_outcome text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  RETURN (
      SELECT m.outcome_class FROM (
        SELECT t.outcome_class, 0 AS source, t.is_prefix, length(t.raw_outcome) AS len
          FROM dialer.tenant_outcome_mappings t
         WHERE t.tenant_id = p_tenant_id AND t.provider = lower(p_provider)
           AND (t.raw_outcome = p_raw_outcome OR (t.is_prefix AND starts_with(p_raw_outcome, t.raw_outcome)))
        UNION ALL
        SELECT g.outcome_class, 1, g.is_prefix, length(g.raw_outcome)
          FROM dialer.provider_outcomes g
         WHERE g.provider = lower(p_provider)
           AND (g.raw_outcome = p_raw_outcome OR (g.is_prefix AND starts_with(p_raw_outcome, g.raw_outcome)))
      ) m
      ORDER BY m.source, m.is_prefix, m.len DESC
      LIMIT 1);
END
$$;
COMMENT ON FUNCTION dialer.map_outcome(uuid, text, text) IS
  'The outcome class (dialer.outcome_classes) of a provider''s raw call outcome for a tenant: '
  'tenant mappings win over global ones, exact matches over prefixes, longer prefixes over shorter; NULL if unmapped.';

CREATE OR REPLACE FUNCTION dialer._sync_campaign_slots()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  INSERT INTO dialer.campaign_slots (tenant_id, campaign_id, slot)
  SELECT NEW.tenant_id, NEW.id, g FROM generate_series(1, NEW.max_concurrent_calls) g
  ON CONFLICT DO NOTHING;
  DELETE FROM dialer.campaign_slots s
   WHERE s.tenant_id = NEW.tenant_id AND s.campaign_id = NEW.id
     AND s.slot > NEW.max_concurrent_calls AND s.call_id IS NULL;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._sync_campaign_slots() IS
  'Trigger: keeps dialer.campaign_slots at max_concurrent_calls rows per campaign.';

CREATE OR REPLACE FUNCTION dialer._caller_role(p_tenant_id uuid)
RETURNS dialer.member_role
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  IF dialer._caller_bypasses_rls() THEN
    RETURN 'owner';
  END IF;
  RETURN (SELECT m.role FROM dialer.tenant_members m
           WHERE m.tenant_id = p_tenant_id AND m.user_id = dialer.current_user_id());
END
$$;
COMMENT ON FUNCTION dialer._caller_role(uuid) IS
  'Internal: the caller''s role in a tenant (owner when the caller bypasses RLS, NULL when not a member).';

CREATE OR REPLACE FUNCTION dialer._campaign_for(p_campaign_id uuid, p_min_role dialer.member_role)
RETURNS dialer.campaigns
LANGUAGE plpgsql STABLE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_c dialer.campaigns;
  v_role dialer.member_role;
BEGIN
  SELECT * INTO v_c FROM dialer.campaigns c WHERE c.id = p_campaign_id;
  IF v_c.id IS NOT NULL THEN
    v_role := dialer._caller_role(v_c.tenant_id);
  END IF;
  IF v_role IS NULL THEN
    RAISE EXCEPTION 'campaign % not found', p_campaign_id
      USING ERRCODE = 'PT404', DETAIL = 'No campaign with this id is visible to the caller.',
            HINT = 'Check the id, and that you are a member of the campaign''s tenant.';
  END IF;
  IF v_role < p_min_role THEN
    RAISE EXCEPTION 'role % or higher is needed for this on campaign %', p_min_role, p_campaign_id
      USING ERRCODE = '42501', DETAIL = 'Your membership role in the campaign''s tenant is lower.',
            HINT = 'Ask an admin of the tenant to do it, or to raise your role.';
  END IF;
  RETURN v_c;
END
$$;
COMMENT ON FUNCTION dialer._campaign_for(uuid, dialer.member_role) IS
  'Internal: the campaign if the caller may act on it with p_min_role (PT404 if invisible, 42501 if the role is too low).';

CREATE OR REPLACE FUNCTION dialer._invalid_arg(p_name text, p_value text, p_rule text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  RAISE EXCEPTION 'invalid %: %', p_name, coalesce(p_value, 'NULL')
    USING ERRCODE = '22023', DETAIL = format('%s must be %s.', p_name, p_rule),
          HINT = format('Pass %s %s.', p_name, p_rule);
END
$$;
COMMENT ON FUNCTION dialer._invalid_arg(text, text, text) IS
  'Internal: raises 22023 "invalid <name>: <value>" with the rule the value breaks.';

CREATE FUNCTION dialer._free_slot(p_tenant_id uuid, p_campaign_id uuid, p_slot integer, p_call_id uuid)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_slot integer;
BEGIN
  IF p_slot IS NOT NULL THEN
    UPDATE dialer.campaign_slots s SET call_id = NULL, claimed_at = NULL
     WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id AND s.slot = p_slot
       AND s.call_id = p_call_id
    RETURNING s.slot INTO v_slot;
  ELSE
    -- A call written by hand with status claimed: look through the campaign's slots.
    UPDATE dialer.campaign_slots s SET call_id = NULL, claimed_at = NULL
     WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id AND s.call_id = p_call_id
    RETURNING s.slot INTO v_slot;
  END IF;
  IF v_slot > (SELECT c.max_concurrent_calls FROM dialer.campaigns c
                WHERE c.tenant_id = p_tenant_id AND c.id = p_campaign_id) THEN
    DELETE FROM dialer.campaign_slots s
     WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id AND s.slot = v_slot
       AND s.call_id IS NULL;
  END IF;
END
$$;
COMMENT ON FUNCTION dialer._free_slot(uuid, uuid, integer, uuid) IS
  'Internal: frees the concurrency slot of a finished call (p_slot from calls.slot; NULL searches the campaign''s slots).';
REVOKE EXECUTE ON FUNCTION dialer._free_slot(uuid, uuid, integer, uuid) FROM PUBLIC;


CREATE FUNCTION dialer._free_deleted_call_slots()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  UPDATE dialer.campaign_slots s SET call_id = NULL, claimed_at = NULL
    FROM old_calls o
   WHERE s.tenant_id = o.tenant_id AND s.campaign_id = o.campaign_id AND s.slot = o.slot
     AND s.call_id = o.id;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._free_deleted_call_slots() IS
  'Trigger: a deleted call no longer occupies its campaign slot.';
REVOKE EXECUTE ON FUNCTION dialer._free_deleted_call_slots() FROM PUBLIC;

CREATE OR REPLACE FUNCTION dialer._move_campaign(p_campaign_id uuid, p_action text, p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_c dialer.campaigns := dialer._campaign_for(p_campaign_id, 'admin');
  v_to dialer.campaign_status;
  v_cancelled bigint := 0;
BEGIN
IF NOT coalesce(p_now IS NOT NULL AND isfinite(p_now), false) THEN
    PERFORM dialer._invalid_arg('p_now', p_now::text, 'a finite timestamp');
  END IF;
  -- Lock the row so two concurrent moves are applied one after the other.
  SELECT * INTO v_c FROM dialer.campaigns c WHERE c.tenant_id = v_c.tenant_id AND c.id = v_c.id FOR UPDATE;
  v_to := dialer._campaign_move_target(p_action, v_c.status, coalesce(v_c.schedule_start > p_now, false));
  IF v_to IS NULL THEN
    RAISE EXCEPTION 'cannot % campaign %: it is %', p_action, p_campaign_id, v_c.status
      USING ERRCODE = 'PT409',
            DETAIL = 'Allowed moves: start draft; pause scheduled or running; resume paused; stop any of draft, scheduled, running, paused.',
            HINT = CASE WHEN v_c.status IN ('completed', 'cancelled')
                        THEN 'A finished campaign cannot be reopened; create a new campaign.'
                        ELSE 'Check the campaign''s status first (dialer.campaigns.status).' END;
  END IF;
  IF p_action = 'start' AND v_c.schedule_end IS NOT NULL AND v_c.schedule_end <= p_now THEN
    RAISE EXCEPTION 'cannot start campaign %: its schedule ended at %', p_campaign_id, v_c.schedule_end
      USING ERRCODE = 'PT409', DETAIL = 'schedule_end is not after now.',
            HINT = 'Move schedule_end later, or clear it.';
  END IF;
  UPDATE dialer.campaigns c
     SET status = v_to, status_changed_at = p_now, status_changed_by = dialer.current_user_id(),
         started_at = CASE WHEN v_to = 'running' THEN coalesce(c.started_at, p_now) ELSE c.started_at END,
         completed_at = CASE WHEN v_to = 'cancelled' THEN p_now ELSE c.completed_at END
   WHERE c.tenant_id = v_c.tenant_id AND c.id = v_c.id;
  IF v_to = 'cancelled' THEN
    UPDATE dialer.leads l SET status = 'cancelled', next_attempt_at = NULL
     WHERE l.tenant_id = v_c.tenant_id AND l.campaign_id = v_c.id AND l.status IN ('pending', 'scheduled', 'held');
    GET DIAGNOSTICS v_cancelled = ROW_COUNT;
  END IF;
  RETURN jsonb_build_object('campaign_id', v_c.id, 'previous_status', v_c.status, 'status', v_to,
                            'changed_at', p_now, 'changed_by', dialer.current_user_id(),
                            'leads_cancelled', v_cancelled);
END
$$;
COMMENT ON FUNCTION dialer._move_campaign(uuid, text, timestamptz) IS
  'Internal: validates and applies one campaign lifecycle move (admin role; PT409 when illegal).';

CREATE FUNCTION dialer._lead_schedule_inputs(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
                                             p_last_outcome text DEFAULT NULL)
RETURNS TABLE (lead_id uuid, retry_policy jsonb, zones text[], attempts integer, last_outcome text,
               class_attempts integer, last_attempt_at timestamptz, recent_calls timestamptz[],
               last_abandoned_at timestamptz, last_refusal_at timestamptz, calling_windows jsonb,
               contact_windows jsonb, rule_packs text[], suppressed boolean, artificial_voice boolean,
               has_consent boolean, campaign_starts_at timestamptz, campaign_ends_at timestamptz,
               fallback_zone text)
-- Why plain SQL without SET search_path: so PostgreSQL inlines it into the calling
-- query (_plan_lead, _explain_lead), planned once with the caller's cached plan. A SET
-- clause would prevent inlining (and make PG15 re-plan a SQL function on every call).
-- Every name in it is schema-qualified, and it is not SECURITY DEFINER; its callers
-- all run with search_path = ''.
LANGUAGE sql STABLE
AS $$
    SELECT l.id, c.retry_policy,
           -- An explicit zone on the contact wins; else every candidate zone of the number
           -- (the scheduler needs all of them open); else the campaign's, else the tenant's.
           CASE WHEN ct.time_zone IS NOT NULL THEN ARRAY[ct.time_zone]
                ELSE coalesce(nullif(dialer.phone_timezones(l.phone, NULL), '{}'),
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
           l.last_attempt_at, h.recent, h.last_abandoned, h.last_refusal,
           c.calling_windows, ct.calling_windows, c.rule_packs,
           EXISTS (SELECT 1 FROM dialer.suppressions s
                    WHERE s.tenant_id = l.tenant_id AND s.phone = l.phone AND (s.expires_at IS NULL OR s.expires_at > p_now))
             OR EXISTS (SELECT 1 FROM dialer.global_suppressions g
                         WHERE g.phone = l.phone AND (g.expires_at IS NULL OR g.expires_at > p_now)),
           c.uses_ai_voice,
           ct.consent_ai_voice_at IS NOT NULL AND ct.consent_ai_voice_at <= p_now
             AND (ct.consent_revoked_at IS NULL OR ct.consent_revoked_at < ct.consent_ai_voice_at),
           c.schedule_start, c.schedule_end,
           -- The zone a call is counted under when the number has several candidates.
           coalesce(c.time_zone, t.default_time_zone)
      FROM dialer.leads l
      JOIN dialer.campaigns c ON c.tenant_id = l.tenant_id AND c.id = l.campaign_id
      JOIN dialer.tenants t ON t.id = l.tenant_id
      LEFT JOIN dialer.contacts ct ON ct.tenant_id = l.tenant_id AND ct.phone = l.phone
      LEFT JOIN LATERAL (
        -- Why 31 days: the longest rolling cap in the rule packs is 30 days.
        SELECT array_agg(k.claimed_at ORDER BY k.claimed_at) FILTER (WHERE k.status <> 'cancelled') AS recent,
               max(k.claimed_at) FILTER (WHERE k.outcome_class = 'abandoned') AS last_abandoned,
               max(k.claimed_at) FILTER (WHERE k.outcome_class = 'refused') AS last_refusal
          FROM dialer.calls k
         WHERE k.tenant_id = l.tenant_id AND k.phone = l.phone
           AND k.claimed_at > p_now - interval '31 days' AND k.claimed_at <= p_now) h ON true
     WHERE l.tenant_id = p_tenant_id AND l.id = p_lead_id
$$;
COMMENT ON FUNCTION dialer._lead_schedule_inputs(uuid, uuid, timestamptz, text) IS
  'Internal: every input of a scheduling decision for one lead, read from the tables.';
REVOKE EXECUTE ON FUNCTION dialer._lead_schedule_inputs(uuid, uuid, timestamptz, text) FROM PUBLIC;


CREATE OR REPLACE FUNCTION dialer._explain_lead(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
                                     p_last_outcome text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
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

CREATE OR REPLACE FUNCTION dialer._never_status(p_reason text)
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

CREATE FUNCTION dialer._plan_lead(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
                                  p_last_outcome text DEFAULT NULL,
                                  OUT next_attempt_at timestamptz, OUT final_status dialer.lead_status,
                                  OUT recipient_zone text)
LANGUAGE plpgsql STABLE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_reason text;
BEGIN
  -- recipient_zone: what dialer.recipient_time_zone() answers (the contact's zone, else
  -- the number's only candidate, else the campaign's or tenant's), from the same row.
  SELECT d.next_attempt_at, d.reason,
         CASE WHEN cardinality(i.zones) = 1 THEN i.zones[1] ELSE i.fallback_zone END
    INTO next_attempt_at, v_reason, recipient_zone
    FROM dialer._lead_schedule_inputs(p_tenant_id, p_lead_id, p_now, p_last_outcome) i,
         LATERAL dialer._next_attempt_decision(
           i.lead_id, i.retry_policy, i.zones, i.attempts, i.last_outcome, i.class_attempts,
           i.last_attempt_at, i.recent_calls, i.last_abandoned_at, i.last_refusal_at,
           i.calling_windows, i.contact_windows, i.rule_packs, i.suppressed, i.artificial_voice,
           i.has_consent, i.campaign_starts_at, i.campaign_ends_at, p_now) d;
  IF next_attempt_at IS NULL THEN
    final_status := dialer._never_status(v_reason);
  END IF;
END
$$;
COMMENT ON FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text) IS
  'Internal: the scheduler''s next legal attempt for a lead (NULL: never, with the status to take).';
REVOKE EXECUTE ON FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text) FROM PUBLIC;


CREATE OR REPLACE FUNCTION dialer.why_not_dialable(p_lead_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_lead dialer.leads;
  v_campaign dialer.campaigns;
  v_explain jsonb;
BEGIN
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

CREATE OR REPLACE FUNCTION dialer.claim_calls(
  p_campaign_id uuid,
  p_worker_id text,
  p_max_calls integer DEFAULT 1,
  p_lease interval DEFAULT '5 minutes',
  p_now timestamptz DEFAULT now())
RETURNS TABLE (call_id uuid, lead_id uuid, phone text, attempt_number integer,
               lease_expires_at timestamptz, idempotency_key text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_c dialer.campaigns := dialer._campaign_for(p_campaign_id, 'agent');
  v_slots integer[];
  v_lead record;
  v_plan record;
  v_got integer := 0;
  v_moved_ids uuid[] := '{}';
  v_moved_status dialer.lead_status[] := '{}';
  v_moved_at timestamptz[] := '{}';
BEGIN
IF NOT coalesce(length(btrim(p_worker_id)) BETWEEN 1 AND 200, false) THEN
    PERFORM dialer._invalid_arg('p_worker_id', p_worker_id, '1 to 200 characters');
  END IF;
IF NOT coalesce(p_max_calls BETWEEN 1 AND 1000, false) THEN
    PERFORM dialer._invalid_arg('p_max_calls', p_max_calls::text, 'between 1 and 1000');
  END IF;
IF NOT coalesce(p_lease > interval '0' AND p_lease <= interval '1 day', false) THEN
    PERFORM dialer._invalid_arg('p_lease', p_lease::text, 'positive and at most 1 day');
  END IF;
IF NOT coalesce(isfinite(p_now), false) THEN
    PERFORM dialer._invalid_arg('p_now', p_now::text, 'a finite timestamp');
  END IF;
  IF NOT dialer._campaign_claimable(v_c, p_now) THEN
    RETURN;
  END IF;
  SELECT array_agg(s.slot ORDER BY s.slot) INTO v_slots FROM (
    SELECT s.slot FROM dialer.campaign_slots s
     WHERE s.tenant_id = v_c.tenant_id AND s.campaign_id = v_c.id AND s.call_id IS NULL
     ORDER BY s.slot LIMIT p_max_calls
       FOR UPDATE SKIP LOCKED) s;
  IF v_slots IS NULL THEN
    RETURN;  -- every slot is busy (or being taken by another claimer right now)
  END IF;
  -- One due lead at a time. Why not one query with LIMIT: every row a FOR UPDATE query
  -- returns is locked (a tuple write and a WAL record each), and PL/pgSQL fetches a FOR
  -- loop's rows ten at a time; over-fetching locked leads this claim never used, which
  -- the other claimers then had to skip. A lead the re-check moves stays locked by us
  -- (SKIP LOCKED does not skip our own locks), hence the exclusion list.
  LOOP
    SELECT l.id, l.phone, l.attempts INTO v_lead FROM dialer.leads l
     WHERE l.tenant_id = v_c.tenant_id AND l.campaign_id = v_c.id
       AND l.status IN ('pending', 'scheduled')
       AND (l.next_attempt_at IS NULL OR l.next_attempt_at <= p_now)
       AND l.id <> ALL (v_moved_ids)
     ORDER BY l.priority DESC, l.next_attempt_at NULLS FIRST
     LIMIT 1
       FOR UPDATE SKIP LOCKED;
    EXIT WHEN NOT FOUND;
    SELECT * INTO v_plan FROM dialer._plan_lead(v_c.tenant_id, v_lead.id, p_now);
    IF v_plan.next_attempt_at IS NULL OR v_plan.next_attempt_at > p_now THEN
      v_moved_ids := v_moved_ids || v_lead.id;
      v_moved_status := v_moved_status
        || CASE WHEN v_plan.next_attempt_at IS NULL THEN v_plan.final_status ELSE 'scheduled' END;
      v_moved_at := v_moved_at || v_plan.next_attempt_at;
      -- Bounded work per claim: a campaign whose due leads are all blocked right now
      -- (a closed window everywhere) must not be re-planned lead by lead in one call.
      EXIT WHEN cardinality(v_moved_ids) >= 4 * cardinality(v_slots) + 16;
      CONTINUE;
    END IF;
    v_got := v_got + 1;
    -- created_at is the wall clock after the slot was taken (not the transaction start):
    -- with updated_at (stamped at the start of the completing transaction, before it
    -- commits and frees the slot) it bounds the real slot occupancy from inside, so
    -- intervals recorded on one slot never overlap (test/scripts/queue_concurrency.sh).
    INSERT INTO dialer.calls AS k (tenant_id, campaign_id, lead_id, phone, caller_id, provider, status,
                                   attempt_number, worker_id, claimed_at, lease_expires_at, created_at, slot,
                                   recipient_time_zone)
    VALUES (v_c.tenant_id, v_c.id, v_lead.id, v_lead.phone, v_c.caller_id, v_c.provider, 'claimed',
            v_lead.attempts + 1, p_worker_id, p_now, p_now + p_lease, clock_timestamp(), v_slots[v_got],
            v_plan.recipient_zone)
    RETURNING k.id, k.idempotency_key INTO call_id, idempotency_key;
    UPDATE dialer.leads l
       SET status = 'in_progress', attempts = l.attempts + 1, last_attempt_at = p_now, next_attempt_at = NULL
     WHERE l.tenant_id = v_c.tenant_id AND l.id = v_lead.id;
    UPDATE dialer.campaign_slots s SET call_id = claim_calls.call_id, claimed_at = p_now
     WHERE s.tenant_id = v_c.tenant_id AND s.campaign_id = v_c.id AND s.slot = v_slots[v_got];
    lead_id := v_lead.id;
    phone := v_lead.phone;
    attempt_number := v_lead.attempts + 1;
    lease_expires_at := p_now + p_lease;
    RETURN NEXT;
    EXIT WHEN v_got = cardinality(v_slots);
  END LOOP;
  -- Leads the legality re-check moved: written last, in one statement. Why last: every
  -- queue function writes calls before leads, so concurrent transactions take their
  -- row locks (and the statistics counters' rows) in one order and cannot deadlock.
  IF v_moved_ids <> '{}' THEN
    UPDATE dialer.leads l SET status = m.status, next_attempt_at = m.next_at
      FROM unnest(v_moved_ids, v_moved_status, v_moved_at) AS m(id, status, next_at)
     WHERE l.tenant_id = v_c.tenant_id AND l.id = m.id;
  END IF;
END
$$;
COMMENT ON FUNCTION dialer.claim_calls(uuid, text, integer, interval, timestamptz) IS
  'Claims up to p_max_calls due leads of a running campaign for worker p_worker_id: highest '
  'priority first, legality re-checked by the scheduler, never more calls in flight than '
  'max_concurrent_calls, never one lead twice. Returns one row per call to place (call id, lead, '
  'E.164 number, attempt number, lease expiry, idempotency key for the provider). Agent role.';


CREATE OR REPLACE FUNCTION dialer._campaign_claimable(p_c dialer.campaigns, p_now timestamptz)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  IF p_c.status = 'scheduled' AND coalesce(p_c.schedule_start <= p_now, true) THEN
    -- Why guarded by status in the WHERE: concurrent claimers may all see 'scheduled';
    -- the first flips it, the others update nothing.
    UPDATE dialer.campaigns c SET status = 'running', started_at = coalesce(c.started_at, p_now),
                                  status_changed_at = p_now
     WHERE c.tenant_id = p_c.tenant_id AND c.id = p_c.id AND c.status = 'scheduled';
    RETURN coalesce(p_c.schedule_end > p_now, true);
  END IF;
  RETURN p_c.status = 'running'
     AND coalesce(p_c.schedule_start <= p_now, true)
     AND coalesce(p_c.schedule_end > p_now, true);
END
$$;
COMMENT ON FUNCTION dialer._campaign_claimable(dialer.campaigns, timestamptz) IS
  'Internal: whether the campaign hands out calls at p_now (running, inside its schedule); flips a due scheduled campaign to running.';

CREATE OR REPLACE FUNCTION dialer.claim_tenant_calls(
  p_tenant_id uuid,
  p_worker_id text,
  p_max_calls integer DEFAULT 1,
  p_lease interval DEFAULT '5 minutes',
  p_now timestamptz DEFAULT now())
RETURNS TABLE (campaign_id uuid, call_id uuid, lead_id uuid, phone text, attempt_number integer,
               lease_expires_at timestamptz, idempotency_key text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_exhausted uuid[] := '{}';
  v_campaign uuid;
  v_got integer := 0;
  v_row record;
  v_found boolean;
BEGIN
  IF NOT dialer.has_tenant_role(p_tenant_id, 'agent') THEN
    RAISE EXCEPTION 'tenant % not found', p_tenant_id
      USING ERRCODE = 'PT404', DETAIL = 'The caller is not an agent (or higher) of this tenant.',
            HINT = 'Check the tenant id and your membership.';
  END IF;
IF NOT coalesce(p_max_calls BETWEEN 1 AND 1000, false) THEN
    PERFORM dialer._invalid_arg('p_max_calls', p_max_calls::text, 'between 1 and 1000');
  END IF;
  WHILE v_got < p_max_calls LOOP
    SELECT c.id INTO v_campaign
      FROM dialer.campaigns c
      LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE s.call_id IS NOT NULL) AS busy
                           FROM dialer.campaign_slots s
                          WHERE s.tenant_id = c.tenant_id AND s.campaign_id = c.id) u ON true
     WHERE c.tenant_id = p_tenant_id AND c.status IN ('running', 'scheduled') AND c.id <> ALL (v_exhausted)
     ORDER BY u.busy::float8 / c.max_concurrent_calls, c.id
     LIMIT 1;
    EXIT WHEN v_campaign IS NULL;
    v_found := false;
    FOR v_row IN SELECT * FROM dialer.claim_calls(v_campaign, p_worker_id, 1, p_lease, p_now) LOOP
      campaign_id := v_campaign; call_id := v_row.call_id; lead_id := v_row.lead_id; phone := v_row.phone;
      attempt_number := v_row.attempt_number; lease_expires_at := v_row.lease_expires_at;
      idempotency_key := v_row.idempotency_key;
      v_got := v_got + 1; v_found := true;
      RETURN NEXT;
    END LOOP;
    IF NOT v_found THEN v_exhausted := v_exhausted || v_campaign; END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION dialer.claim_tenant_calls(uuid, text, integer, interval, timestamptz) IS
  'Claims up to p_max_calls calls across a tenant''s running campaigns, fairly: each call goes to '
  'the campaign using the smallest share of its concurrency slots. Same rows as claim_calls plus campaign_id.';


CREATE OR REPLACE FUNCTION dialer._call_for_update(p_call_id uuid)
RETURNS dialer.calls
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_call dialer.calls;
BEGIN
  SELECT * INTO v_call FROM dialer.calls k WHERE k.id = p_call_id FOR UPDATE;
  IF v_call.id IS NULL OR coalesce(dialer._caller_role(v_call.tenant_id) < 'agent', true) THEN
    RAISE EXCEPTION 'call % not found', p_call_id
      USING ERRCODE = 'PT404', DETAIL = 'No call with this id is visible to the caller as an agent.',
            HINT = 'Use the call_id returned by dialer.claim_calls.';
  END IF;
  RETURN v_call;
END
$$;
COMMENT ON FUNCTION dialer._call_for_update(uuid) IS 'Internal: locks a call the caller may work on (PT404 otherwise).';

CREATE OR REPLACE FUNCTION dialer._advance_lead(p_tenant_id uuid, p_lead_id uuid, p_class text, p_now timestamptz,
                                     OUT status dialer.lead_status, OUT next_attempt_at timestamptz)
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_class dialer.outcome_classes;
  v_plan record;
BEGIN
  SELECT * INTO v_class FROM dialer.outcome_classes o WHERE o.outcome_class = p_class;
  IF v_class.terminal THEN
    status := v_class.lead_status::dialer.lead_status;
  ELSE
    SELECT * INTO v_plan FROM dialer._plan_lead(p_tenant_id, p_lead_id, p_now, p_class);
    next_attempt_at := v_plan.next_attempt_at;
    status := CASE WHEN v_plan.next_attempt_at IS NULL THEN v_plan.final_status ELSE 'scheduled' END;
  END IF;
  UPDATE dialer.leads l
     SET last_outcome_class = p_class, status = _advance_lead.status,
         next_attempt_at = _advance_lead.next_attempt_at
   WHERE l.tenant_id = p_tenant_id AND l.id = p_lead_id;
END
$$;
COMMENT ON FUNCTION dialer._advance_lead(uuid, uuid, text, timestamptz) IS
  'Internal: sets a lead''s status and next attempt after a call of an outcome class ended.';

CREATE OR REPLACE FUNCTION dialer._complete_campaign_if_done(p_tenant_id uuid, p_campaign_id uuid, p_now timestamptz)
RETURNS dialer.campaign_status
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
-- Why: for the EXISTS probe below the planner prefers a sequential scan, expecting an
-- open lead within the first few rows; in a table holding many campaigns it reads every
-- other campaign's leads first (the queue benchmark spent half its CPU there).
SET enable_seqscan = off
AS $$
DECLARE
  v_status dialer.campaign_status;
BEGIN
  -- Why probes before the UPDATE: as an anti-join inside the UPDATE the planner reads
  -- the whole open-leads index (tens of thousands of entries, milliseconds per
  -- completion under load); as EXISTS it stops at the first open lead.
  IF EXISTS (SELECT 1 FROM dialer.leads l
              WHERE l.tenant_id = p_tenant_id AND l.campaign_id = p_campaign_id
                AND l.status IN ('pending', 'scheduled', 'held')) THEN
    RETURN NULL;
  END IF;
  -- Only calls in flight are left. Why the lock: two workers finishing the last two
  -- calls at once each see the other's lead still in progress (not yet committed), and
  -- neither would complete the campaign. Finishers queue on the campaign row here, so
  -- the last one's UPDATE (a new snapshot under READ COMMITTED) sees the others'
  -- results in its NOT EXISTS. Taken only at a campaign's very end, never on the busy
  -- path, where the open leads left are the few calls in flight.
  PERFORM 1 FROM dialer.campaigns c
   WHERE c.tenant_id = p_tenant_id AND c.id = p_campaign_id FOR NO KEY UPDATE;
  UPDATE dialer.campaigns c SET status = 'completed', completed_at = p_now, status_changed_at = p_now
   WHERE c.tenant_id = p_tenant_id AND c.id = p_campaign_id AND c.status IN ('running', 'paused')
     AND NOT EXISTS (SELECT 1 FROM dialer.leads l
                      WHERE l.tenant_id = p_tenant_id AND l.campaign_id = p_campaign_id
                        AND l.status IN ('pending', 'scheduled', 'in_progress', 'held'))
  RETURNING c.status INTO v_status;
  RETURN v_status;
END
$$;
COMMENT ON FUNCTION dialer._complete_campaign_if_done(uuid, uuid, timestamptz) IS
  'Internal: marks a running or paused campaign completed when no lead needs work any more.';

CREATE OR REPLACE FUNCTION dialer.complete_call(
  p_call_id uuid,
  p_outcome text,
  p_provider text DEFAULT NULL,
  p_provider_call_id text DEFAULT NULL,
  p_answered_at timestamptz DEFAULT NULL,
  p_ended_at timestamptz DEFAULT NULL,
  p_duration_seconds integer DEFAULT NULL,
  p_cost numeric DEFAULT NULL,
  p_recording_url text DEFAULT NULL,
  p_transcript jsonb DEFAULT NULL,
  p_summary text DEFAULT NULL,
  p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_call dialer.calls := dialer._call_for_update(p_call_id);
  v_provider text := lower(coalesce(p_provider, v_call.provider, 'dialer'));
  v_class text := dialer.map_outcome(v_call.tenant_id, v_provider, p_outcome);
  v_lead record;
  v_campaign_status dialer.campaign_status;
BEGIN
  IF v_class IS NULL THEN
    RAISE EXCEPTION 'unknown outcome "%" for provider "%"', p_outcome, v_provider
      USING ERRCODE = '22023',
            DETAIL = 'Neither the tenant''s mappings nor the global provider_outcomes map it to an outcome class.',
            HINT = 'Add a row to dialer.tenant_outcome_mappings, or pass provider ''dialer'' with an outcome class name.';
  END IF;
IF NOT coalesce(p_duration_seconds IS NULL OR p_duration_seconds >= 0, false) THEN
    PERFORM dialer._invalid_arg('p_duration_seconds', p_duration_seconds::text, 'zero or more');
  END IF;
IF NOT coalesce(p_cost IS NULL OR p_cost >= 0, false) THEN
    PERFORM dialer._invalid_arg('p_cost', p_cost::text, 'zero or more');
  END IF;
  IF v_call.status IN ('completed', 'failed') THEN
    IF v_call.outcome_class = v_class AND v_call.provider_outcome IS NOT DISTINCT FROM p_outcome THEN
      -- The same report again (a webhook retried): change nothing, answer the same.
      SELECT l.status, l.next_attempt_at INTO v_lead FROM dialer.leads l
       WHERE l.tenant_id = v_call.tenant_id AND l.id = v_call.lead_id;
      RETURN jsonb_build_object('call_id', v_call.id, 'lead_id', v_call.lead_id, 'outcome_class', v_class,
                                'call_status', v_call.status, 'lead_status', v_lead.status,
                                'next_attempt_at', v_lead.next_attempt_at, 'replayed', true);
    END IF;
    RAISE EXCEPTION 'call % is already completed with outcome %', p_call_id, v_call.provider_outcome
      USING ERRCODE = 'PT409', DETAIL = format('It cannot be completed again with "%s".', p_outcome),
            HINT = 'A call is completed once; correct it by updating dialer.calls as an admin.';
  END IF;
  IF v_call.status NOT IN ('claimed', 'dialing', 'ringing', 'in_progress') THEN
    RAISE EXCEPTION 'call % is not in flight: it is %', p_call_id, v_call.status
      USING ERRCODE = 'PT409',
            DETAIL = 'Only a claimed call whose lease has not been reaped, released or cancelled can be completed.',
            HINT = 'Claim again with dialer.claim_calls; an expired call''s result was recorded as unknown.';
  END IF;
  UPDATE dialer.calls k
     SET status = (CASE WHEN v_class IN ('failed', 'transport_error') THEN 'failed' ELSE 'completed' END)::dialer.call_status,
         outcome_class = v_class, provider = v_provider, provider_outcome = p_outcome,
         provider_call_id = coalesce(p_provider_call_id, k.provider_call_id),
         started_at = coalesce(k.started_at, k.claimed_at),
         answered_at = coalesce(p_answered_at, k.answered_at),
         ended_at = coalesce(p_ended_at, p_now),
         duration_seconds = p_duration_seconds, cost = p_cost, recording_url = p_recording_url,
         transcript = p_transcript, summary = p_summary, lease_expires_at = NULL
   WHERE k.tenant_id = v_call.tenant_id AND k.id = v_call.id
  RETURNING k.status INTO v_call.status;
  PERFORM dialer._free_slot(v_call.tenant_id, v_call.campaign_id, v_call.slot, v_call.id);
  SELECT * INTO v_lead FROM dialer._advance_lead(v_call.tenant_id, v_call.lead_id, v_class, p_now);
  IF v_class = 'do_not_call' THEN
    INSERT INTO dialer.suppressions (tenant_id, phone, reason, source)
    VALUES (v_call.tenant_id, v_call.phone, 'do_not_call', 'call:' || v_call.id)
    ON CONFLICT (tenant_id, phone) DO NOTHING;
  END IF;
  IF v_lead.status NOT IN ('scheduled', 'held') THEN
    v_campaign_status := dialer._complete_campaign_if_done(v_call.tenant_id, v_call.campaign_id, p_now);
  END IF;
  RETURN jsonb_build_object('call_id', v_call.id, 'lead_id', v_call.lead_id, 'outcome_class', v_class,
                            'call_status', v_call.status, 'lead_status', v_lead.status,
                            'next_attempt_at', v_lead.next_attempt_at, 'replayed', false)
         || CASE WHEN v_campaign_status IS NULL THEN '{}'::jsonb
                 ELSE jsonb_build_object('campaign_status', v_campaign_status) END;
END
$$;
COMMENT ON FUNCTION dialer.complete_call(uuid, text, text, text, timestamptz, timestamptz, integer, numeric, text, jsonb, text, timestamptz) IS
  'Records how a claimed call ended: maps the provider''s raw outcome to an outcome class '
  '(dialer.map_outcome), stores the provider fields, frees the concurrency slot, moves the lead '
  '(final status, or next attempt from the scheduler), suppresses the number on do_not_call, and '
  'completes the campaign when no lead is left. The same report twice changes nothing (replayed: '
  'true); a different report for a completed call or a call not in flight is PT409. Agent role.';


CREATE OR REPLACE FUNCTION dialer.mark_call_dialing(p_call_id uuid, p_provider_call_id text DEFAULT NULL,
                                         p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_call dialer.calls := dialer._call_for_update(p_call_id);
BEGIN
  IF v_call.status NOT IN ('claimed', 'dialing') THEN
    RAISE EXCEPTION 'call % cannot be marked dialing: it is %', p_call_id, v_call.status
      USING ERRCODE = 'PT409', DETAIL = 'Only a claimed call can be dispatched.',
            HINT = 'Claim a new call with dialer.claim_calls.';
  END IF;
  UPDATE dialer.calls k SET status = 'dialing', started_at = coalesce(k.started_at, p_now),
                            provider_call_id = coalesce(p_provider_call_id, k.provider_call_id)
   WHERE k.tenant_id = v_call.tenant_id AND k.id = v_call.id;
  RETURN jsonb_build_object('call_id', v_call.id, 'call_status', 'dialing', 'started_at', coalesce(v_call.started_at, p_now));
END
$$;
COMMENT ON FUNCTION dialer.mark_call_dialing(uuid, text, timestamptz) IS
  'The worker reports it dispatched the call to the provider (status dialing, started_at). From '
  'then on an expired lease means the result is unknown. Agent role.';


CREATE OR REPLACE FUNCTION dialer.release_call(p_call_id uuid, p_reason text DEFAULT NULL, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_call dialer.calls := dialer._call_for_update(p_call_id);
BEGIN
  IF v_call.status <> 'claimed' THEN
    RAISE EXCEPTION 'call % cannot be released: it is %', p_call_id, v_call.status
      USING ERRCODE = 'PT409', DETAIL = 'Only a claimed call that was never dispatched can be released.',
            HINT = 'Complete a dispatched call with dialer.complete_call (outcome transport_error if it failed).';
  END IF;
  UPDATE dialer.calls k SET status = 'cancelled', lease_expires_at = NULL,
                            notes = coalesce(p_reason, 'released by ' || coalesce(k.worker_id, 'worker'))
   WHERE k.tenant_id = v_call.tenant_id AND k.id = v_call.id;
  PERFORM dialer._free_slot(v_call.tenant_id, v_call.campaign_id, v_call.slot, v_call.id);
  -- Not placed, so not an attempt: the lead's attempt summary goes back to its last
  -- real attempt, and it is due again at once.
  UPDATE dialer.leads l
     SET status = 'scheduled', attempts = l.attempts - 1, next_attempt_at = p_now,
         (last_attempt_at, last_outcome_class) =
           (SELECT k.claimed_at, k.outcome_class FROM dialer.calls k
             WHERE k.tenant_id = v_call.tenant_id AND k.lead_id = v_call.lead_id
               AND k.id <> v_call.id AND k.status <> 'cancelled'
             ORDER BY k.attempt_number DESC LIMIT 1)
   WHERE l.tenant_id = v_call.tenant_id AND l.id = v_call.lead_id;
  RETURN jsonb_build_object('call_id', v_call.id, 'call_status', 'cancelled', 'lead_id', v_call.lead_id,
                            'lead_status', 'scheduled', 'next_attempt_at', p_now);
END
$$;
COMMENT ON FUNCTION dialer.release_call(uuid, text, timestamptz) IS
  'The worker gives back a claimed call it never dispatched: the call is cancelled, the attempt '
  'not counted, the lead due again at once. PT409 once the call was dispatched. Agent role.';


CREATE OR REPLACE FUNCTION dialer.release_lead(p_lead_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_lead dialer.leads;
BEGIN
  SELECT * INTO v_lead FROM dialer.leads l WHERE l.id = p_lead_id FOR UPDATE;
  IF v_lead.id IS NULL OR NOT dialer.has_tenant_role(v_lead.tenant_id, 'admin') THEN
    RAISE EXCEPTION 'lead % not found', p_lead_id
      USING ERRCODE = 'PT404', DETAIL = 'No lead with this id is visible to the caller as an admin.',
            HINT = 'Check the id and your role.';
  END IF;
  IF v_lead.status <> 'held' THEN
    RAISE EXCEPTION 'lead % is not held: it is %', p_lead_id, v_lead.status
      USING ERRCODE = 'PT409', DETAIL = 'Only a lead held after a call with an unknown result can be released.',
            HINT = 'See dialer.why_not_dialable for why a lead is not being called.';
  END IF;
  UPDATE dialer.leads l SET status = 'scheduled', next_attempt_at = p_now
   WHERE l.tenant_id = v_lead.tenant_id AND l.id = v_lead.id;
  RETURN jsonb_build_object('lead_id', v_lead.id, 'status', 'scheduled', 'next_attempt_at', p_now);
END
$$;
COMMENT ON FUNCTION dialer.release_lead(uuid, timestamptz) IS
  'A person decides a held lead (last call''s result unknown) may be called again: it becomes due '
  'at p_now, still subject to every calling rule at claim time. Admin role.';


CREATE OR REPLACE FUNCTION dialer.reap_expired_claims(p_now timestamptz DEFAULT now(), p_limit integer DEFAULT 1000)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
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
     WHERE k.status IN ('claimed', 'dialing', 'ringing', 'in_progress')
       AND k.lease_expires_at < p_now
     ORDER BY k.lease_expires_at LIMIT p_limit
       FOR UPDATE SKIP LOCKED
  LOOP
    v_expired := v_expired + 1;
    UPDATE dialer.calls k SET status = 'expired', outcome_class = 'unknown', lease_expires_at = NULL
     WHERE k.tenant_id = v_call.tenant_id AND k.id = v_call.id;
    PERFORM dialer._free_slot(v_call.tenant_id, v_call.campaign_id, v_call.slot, v_call.id);
    -- The scheduler decides from the policy: an unknown result is not redialled unless
    -- the policy's "unknown" class says so; then the lead is held for a person.
    SELECT * INTO v_lead FROM dialer._advance_lead(v_call.tenant_id, v_call.lead_id, 'unknown', p_now);
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


CREATE OR REPLACE FUNCTION dialer.recipient_time_zone(
  p_tenant_id uuid, p_campaign_id uuid, p_lead_id uuid, p_phone text)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_phone text := coalesce((SELECT l.phone FROM dialer.leads l
                             WHERE l.tenant_id = p_tenant_id AND l.id = p_lead_id), p_phone);
  v_zone text;
  v_candidates text[];
BEGIN
  SELECT ct.time_zone INTO v_zone FROM dialer.contacts ct WHERE ct.tenant_id = p_tenant_id AND ct.phone = v_phone;
  IF v_zone IS NOT NULL THEN
    RETURN v_zone;
  END IF;
  -- Seam to the phone core: one candidate zone only, since a number spanning several
  -- zones has no single local hour.
  IF dialer.try_e164(v_phone, NULL) IS NOT NULL THEN
    v_candidates := dialer.phone_timezones(v_phone, NULL);
    IF cardinality(v_candidates) = 1 THEN
      RETURN v_candidates[1];
    END IF;
  END IF;
  RETURN coalesce((SELECT cp.time_zone FROM dialer.campaigns cp
                    WHERE cp.tenant_id = p_tenant_id AND cp.id = p_campaign_id),
                  (SELECT t.default_time_zone FROM dialer.tenants t WHERE t.id = p_tenant_id));
END
$$;
COMMENT ON FUNCTION dialer.recipient_time_zone(uuid, uuid, uuid, text) IS
  'The time zone of the person a call reaches (the lead''s number, else p_phone): the contact''s '
  'own zone, else the number''s zone when the phone core gives exactly one candidate, else the '
  'campaign''s zone, else the tenant''s default.';

CREATE OR REPLACE FUNCTION dialer._stats_fill_recipient_zone()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  NEW.recipient_time_zone :=
    dialer.recipient_time_zone(NEW.tenant_id, NEW.campaign_id, NEW.lead_id, NEW.phone);
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION dialer._stats_fill_recipient_zone() IS
  'BEFORE INSERT trigger on calls: fills a missing recipient_time_zone from '
  'dialer.recipient_time_zone().';

-- ---- the trigger that frees a deleted call's slot ----
CREATE TRIGGER dialer_free_deleted_call_slots AFTER DELETE ON dialer.calls
  REFERENCING OLD TABLE AS old_calls
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._free_deleted_call_slots();
