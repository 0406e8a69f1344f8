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
-- (inlined by its callers: recipient_time_zone; src/pg/lead_inputs.cpp makes the same choice).
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
-- Why C (src/pg/lead_inputs.cpp): it runs twice per queue cycle, and as an inlined SQL
-- query (0.6.0 and before) over half of each run was the executor starting up its plan of
-- eight scans, two aggregates and a dozen joins; in C each read is one index lookup under
-- the statement's snapshot. What it answers is what that query answered
-- (test/pgtap/lead_schedule_inputs.sql compares the two):
--  * retry_policy: the campaign's; for a lead a person released after an unknown result
--    (dialer.release_lead), with that result redialled at once (classes.unknown: delays
--    [0], max_attempts 1000); every other rule holds;
--  * zones: the contact's explicit zone; else every candidate zone of the number (every
--    zone under its area code unless the campaign opts into exchange precision,
--    dialer._number_zones); else the campaign's, else the tenant's;
--  * last_outcome: p_last_outcome (the class of a call being completed in this
--    transaction, before the lead row records it), else the lead's;
--  * class_attempts: the lead's calls of that class, at least 1 when there is a last
--    outcome (a lead edited by hand must not make the planner reject the whole claim);
--  * recent_calls, last_abandoned_at, last_refusal_at: every call to the number (any
--    campaign of the tenant) claimed within the longest horizon of any rule in force plus
--    a day (a call is placed at most a lease, <= 1 day, after its claim), timed from when
--    it was placed (the claim until then) and its abandon or refusal from when it ended;
--    cancelled calls and the lead's own claimed, not yet placed call left out (a claim's
--    legality is re-checked at dialing time against the calls before it);
--  * last_attempt_at: the lead's last call as the history times it, else the lead's;
--  * rule_packs: the campaign's, or when it names none the recipient's country's and
--    state's (dialer.default_rule_packs): fail closed;
--  * suppressed: an unexpired row of the tenant's or the global do-not-call list;
--  * has_consent: AI-voice consent given by p_now and not revoked since.
-- Not SECURITY DEFINER and not granted: its callers (the queue's functions) run as the
-- extension's owner, who reads these tables without row-level security.
CREATE FUNCTION dialer._lead_schedule_inputs(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
                                             p_last_outcome text DEFAULT NULL)
RETURNS TABLE (inputs dialer.schedule_inputs, fallback_zone text)
LANGUAGE c STABLE
ROWS 1
AS 'MODULE_PATHNAME', 'dialer_lead_schedule_inputs';
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

-- What the queue needs of one lead's scheduling decision.
CREATE TYPE dialer.lead_plan AS (
  next_attempt_at timestamptz,
  final_status dialer.lead_status,
  recipient_zone text,
  legal_until timestamptz);
COMMENT ON TYPE dialer.lead_plan IS
  'One lead''s scheduling decision (dialer._plan_lead): the next legal attempt (NULL: never), the '
  'status a never leaves the lead in (held after an unknown result, do_not_call when suppressed, '
  'else failed), the zone a call is recorded under, and when callable now until when.';

-- The next legal attempt for a lead: NULL next_attempt_at means never, with the status the
-- lead should take then; NULL when no such lead is visible. recipient_zone: what
-- dialer.recipient_time_zone() answers (the contact's zone, else the number's only
-- candidate, else the campaign's or tenant's). Why C returning a composite
-- (src/pg/plan_lead.cpp): the queue decides in every claim and every completion, and PL/pgSQL
-- evaluates "v := dialer._plan_lead(...)" as a simple expression, with no executor start; up
-- to 0.7.0 an inlined SQL function joined _lead_schedule_inputs and _decide in a query the
-- executor started each time (docs/queue.md).
CREATE FUNCTION dialer._plan_lead(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
                                  p_last_outcome text DEFAULT NULL)
RETURNS dialer.lead_plan
LANGUAGE c STABLE
AS 'MODULE_PATHNAME', 'dialer_plan_lead';
COMMENT ON FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text) IS
  'Internal: the scheduler''s next legal attempt for a lead (NULL next_attempt_at: never, with the '
  'status to take; legal_until: when callable at p_now, until when its windows stay open); NULL '
  'when no such lead is visible.';
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
