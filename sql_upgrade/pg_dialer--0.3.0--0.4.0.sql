-- pg_dialer 0.3.0 -> 0.4.0 (3 Dec 2026): tenant isolation against a hostile signed-in
-- user. What changed and why: docs/security.md; the README's Upgrading section.
-- test/scripts/extension_upgrade.sh proves that a database upgraded from 0.3.0 (and from
-- 0.1.0 and 0.2.0 through it) has the same catalog as a fresh 0.4.0 install, and that a
-- call claimed before the upgrade completes after it.
\echo Use "ALTER EXTENSION pg_dialer UPDATE TO '0.4.0'" to load this file. \quit

-- ---- tenant identifiers: a member's claim is unverified and never routes -------------
ALTER TABLE dialer.tenant_identifiers ADD COLUMN verified_at timestamptz;
-- Identifiers that routed under 0.3.0 keep routing: they count as verified since they
-- were registered. Review them (docs/security.md): under 0.3.0 any member could register one.
UPDATE dialer.tenant_identifiers SET verified_at = created_at;
ALTER TABLE dialer.tenant_identifiers ALTER COLUMN verified_at SET DEFAULT now();
COMMENT ON COLUMN dialer.tenant_identifiers.verified_at IS
  'When the operator verified the tenant controls this identifier; NULL is an unverified claim '
  '(a member''s insert), which never routes. Set only by a role that bypasses RLS (service_role).';
ALTER TABLE dialer.tenant_identifiers
  DROP CONSTRAINT tenant_identifiers_route_key,
  ADD CONSTRAINT tenant_identifiers_tenant_key UNIQUE NULLS NOT DISTINCT (tenant_id, kind, value, channel);
CREATE UNIQUE INDEX tenant_identifiers_route_idx ON dialer.tenant_identifiers (kind, value, channel)
  NULLS NOT DISTINCT WHERE verified_at IS NOT NULL;

-- ---- calls.cost: NaN is not a cost -----------------------------------------------------
-- A NaN cost recorded under 0.3.0 becomes NULL (unknown), and the statistics of its
-- campaigns are rebuilt (their cost sums were NaN).
DO $$
DECLARE
  v_campaigns uuid[];
  v_campaign uuid;
BEGIN
  SELECT array_agg(DISTINCT k.campaign_id) INTO v_campaigns FROM dialer.calls k WHERE k.cost = 'NaN';
  IF v_campaigns IS NOT NULL THEN
    UPDATE dialer.calls k SET cost = NULL WHERE k.cost = 'NaN';
    FOREACH v_campaign IN ARRAY v_campaigns LOOP
      PERFORM dialer.rebuild_campaign_stats(v_campaign);
    END LOOP;
  END IF;
END
$$;
ALTER TABLE dialer.calls
  DROP CONSTRAINT calls_cost_check,
  ADD CONSTRAINT calls_cost_check CHECK (cost >= 0 AND cost <> 'NaN');

-- ---- new: resource limits, caller instants, suspension, the two guard triggers ------------

CREATE FUNCTION dialer._limit(p_name text)
RETURNS bigint
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_limit';
COMMENT ON FUNCTION dialer._limit(text) IS
  'Internal: the value of the resource limit GUC dialer.<p_name> (max_clock_skew in seconds, '
  'max_import_rows, max_timeseries_buckets, max_concurrent_calls); superuser-set only.';
REVOKE EXECUTE ON FUNCTION dialer._limit(text) FROM PUBLIC;
-- Granted: dialer.import_leads_from runs with the caller's rights and reads it.
INSERT INTO dialer.api_grants (function, grantee)
SELECT 'dialer._limit(text)'::regprocedure, g FROM unnest(ARRAY['authenticated', 'service_role']) g;

-- Raises 22023 (HTTP 400) for a request over a limit, naming the limit and how to raise it.
-- Why 22023 and not 54000: PostgREST answers 54xxx with a 5xx, and this is the caller's request.
CREATE FUNCTION dialer._over_limit(p_what text, p_asked numeric, p_limit text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
BEGIN
  RAISE EXCEPTION '% (%) is over the limit dialer.% = %', p_what, p_asked, p_limit, dialer._limit(p_limit)
    USING ERRCODE = '22023',
          DETAIL = format('dialer.%s bounds the work one request may ask for.', p_limit),
          HINT = format('Ask for less per call; a superuser raises the limit with ALTER DATABASE ... '
                        'SET dialer.%s = ..., or GRANT SET ON PARAMETER dialer.%s to the role that may.',
                        p_limit, p_limit);
END
$$;
COMMENT ON FUNCTION dialer._over_limit(text, numeric, text) IS
  'Internal: raises 22023 "<what> (<asked>) is over the limit dialer.<limit> = <value>" with how to raise it.';
REVOKE EXECUTE ON FUNCTION dialer._over_limit(text, numeric, text) FROM PUBLIC;

-- The instant a caller passed (p_now and the like), checked before a function writes with
-- it: finite, and within dialer.max_clock_skew of the server clock unless the caller
-- bypasses RLS (service_role, direct SQL by the owner: tests and back-fills).
-- Why: a signed-in worker could otherwise choose the instant legality is checked at, or
-- backdate call history.
CREATE FUNCTION dialer._check_caller_instant(p_name text, p_value timestamptz)
RETURNS timestamptz
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
DECLARE
  v_skew bigint;
BEGIN
  IF p_value IS NULL OR NOT isfinite(p_value) THEN
    PERFORM dialer._invalid_arg(p_name, p_value::text, 'a finite timestamp');
  END IF;
  v_skew := dialer._limit('max_clock_skew');
  -- Why epoch arithmetic: timestamptz - timestamptz can overflow an interval far apart.
  IF abs(extract(epoch FROM p_value) - extract(epoch FROM now())) > v_skew
     AND NOT dialer._caller_bypasses_rls() THEN
    RAISE EXCEPTION '% % is more than % seconds from the server clock (%)', p_name, p_value, v_skew, now()
      USING ERRCODE = '22023',
            DETAIL = 'A signed-in caller acts now: instants it passes must be within dialer.max_clock_skew of the server clock.',
            HINT = format('Omit %s (the server clock is used), fix the client clock, or use the service role for back-fills.', p_name);
  END IF;
  RETURN p_value;
END
$$;
COMMENT ON FUNCTION dialer._check_caller_instant(text, timestamptz) IS
  'Internal: returns the instant a caller passed if it is finite and, unless the caller bypasses '
  'RLS, within dialer.max_clock_skew of now(); 22023 naming the parameter otherwise.';
REVOKE EXECUTE ON FUNCTION dialer._check_caller_instant(text, timestamptz) FROM PUBLIC;

-- Raises PT403 when the tenant is suspended: its campaigns are not started, resumed,
-- claimed from or dialled (calls in flight may still be completed or released).
CREATE FUNCTION dialer._require_active_tenant(p_tenant_id uuid, p_action text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  IF (SELECT t.status FROM dialer.tenants t WHERE t.id = p_tenant_id) = 'suspended' THEN
    RAISE EXCEPTION 'cannot %: tenant % is suspended', p_action, p_tenant_id
      USING ERRCODE = 'PT403',
            DETAIL = 'A suspended tenant''s campaigns are not started, resumed, claimed from or dialled.',
            HINT = 'The operator (service_role) lifts a suspension by setting dialer.tenants.status to active.';
  END IF;
END
$$;
COMMENT ON FUNCTION dialer._require_active_tenant(uuid, text) IS
  'Internal: PT403 (HTTP 403) when the tenant is suspended; p_action names what was refused.';
REVOKE EXECUTE ON FUNCTION dialer._require_active_tenant(uuid, text) FROM PUBLIC;

-- Only a caller that bypasses RLS (the operator: service_role, the owner) changes a
-- tenant's status; otherwise a suspended tenant's admin could lift its own suspension.
CREATE FUNCTION dialer._guard_tenant_status()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF NOT dialer._caller_bypasses_rls() THEN
    RAISE EXCEPTION 'only the service role changes a tenant''s status (tenant %: % to %)', OLD.id, OLD.status, NEW.status
      USING ERRCODE = '42501', DETAIL = 'Suspension is decided by the operator, not by the tenant''s members.',
            HINT = 'Ask the operator to change it.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION dialer._guard_tenant_status() IS
  'BEFORE UPDATE OF status trigger on tenants: 42501 unless the caller bypasses RLS (service_role).';
REVOKE EXECUTE ON FUNCTION dialer._guard_tenant_status() FROM PUBLIC;
CREATE TRIGGER dialer_guard_tenant_status BEFORE UPDATE OF status ON dialer.tenants
  FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status)
  EXECUTE FUNCTION dialer._guard_tenant_status();

-- Identifier claims by members are unverified and never route: verified_at is set only
-- by a caller that bypasses RLS (the operator, after checking the tenant controls the
-- number or address). A member may withdraw a verification (set it NULL), and changing
-- what an identifier is (kind, value, channel) withdraws it.
CREATE FUNCTION dialer._guard_identifier_verification()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF dialer._caller_bypasses_rls() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    -- Why silently: the column's default (now(), for the operator's own inserts) cannot
    -- be told apart from a value the member wrote; a member's insert is a claim.
    NEW.verified_at := NULL;
  ELSIF (NEW.kind, NEW.value, NEW.channel) IS DISTINCT FROM (OLD.kind, OLD.value, OLD.channel) THEN
    NEW.verified_at := NULL;
  ELSIF NEW.verified_at IS NOT NULL AND NEW.verified_at IS DISTINCT FROM OLD.verified_at THEN
    RAISE EXCEPTION 'only the service role verifies identifiers (identifier %)', OLD.id
      USING ERRCODE = '42501',
            DETAIL = 'A verified identifier routes incoming calls and mail to its tenant (dialer.resolve_tenant).',
            HINT = 'Ask the operator to verify that your tenant controls it.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION dialer._guard_identifier_verification() IS
  'BEFORE INSERT OR UPDATE trigger on tenant_identifiers: members'' identifiers are unverified '
  '(verified_at NULL) until a caller that bypasses RLS sets verified_at.';
REVOKE EXECUTE ON FUNCTION dialer._guard_identifier_verification() FROM PUBLIC;
-- Named to fire after dialer_normalize_identifier (BEFORE triggers fire in name order),
-- so a value rewritten in another format is compared canonical.
CREATE TRIGGER dialer_verification_guard BEFORE INSERT OR UPDATE ON dialer.tenant_identifiers
  FOR EACH ROW EXECUTE FUNCTION dialer._guard_identifier_verification();

-- ---- talk_time_buckets() works for the roles it is granted to ----------------------------
INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer.talk_time_bucket(bigint)', 'dialer.talk_time_bucket_lower(integer)',
                    'dialer.talk_time_quantile(bigint[], double precision)']) AS f,
       unnest(ARRAY['authenticated', 'service_role']) AS g;

-- ---- time zones at area-code precision: the scheduler's default for a number without a zone ----

CREATE FUNCTION dialer.phone_area_timezones(phone text, region text)
RETURNS text[]
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_phone_area_timezones';
COMMENT ON FUNCTION dialer.phone_area_timezones(text, text) IS
  'Candidate IANA time zones of a valid number at area-code precision: for a NANP (+1) number, '
  'the sorted union of the zones libphonenumber lists for any prefix under its area code (the '
  'owner may have moved within it, e.g. +1 850 200 .... -> {America/Chicago,America/New_York}); '
  'otherwise, and for area codes without data such as toll-free, dialer.phone_timezones. '
  'Invalid numbers raise 22023 like dialer.e164.';
REVOKE EXECUTE ON FUNCTION dialer.phone_area_timezones(text, text) FROM PUBLIC;

INSERT INTO dialer.api_grants (function, grantee)
SELECT 'dialer.phone_area_timezones(text, text)'::regprocedure, g FROM unnest(ARRAY['authenticated', 'service_role']) g;
ALTER TABLE dialer.campaigns
  ADD COLUMN zone_precision text NOT NULL DEFAULT 'area_code' CHECK (zone_precision IN ('area_code', 'exchange'));
COMMENT ON COLUMN dialer.campaigns.zone_precision IS
  'Where a contact without a time zone may be, for calling hours: area_code (default: every zone '
  'under its NANP area code, dialer.phone_area_timezones; people keep mobile numbers when they '
  'move) or exchange (the zone where the number was issued, dialer.phone_timezones).';

-- ---- rule packs in the queue: names checked at write, defaults by recipient, history horizon ----

CREATE FUNCTION dialer.check_rule_packs(p_rule_packs text[])
RETURNS boolean
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_check_rule_packs';
COMMENT ON FUNCTION dialer.check_rule_packs(text[]) IS
  'True when every name is a built-in rule pack; otherwise raises 22023 naming the unknown one '
  'and listing the known ones. For CHECK constraints (campaigns.rule_packs).';
REVOKE EXECUTE ON FUNCTION dialer.check_rule_packs(text[]) FROM PUBLIC;

CREATE FUNCTION dialer._rule_history_horizon(p_retry_policy jsonb, p_rule_packs text[])
RETURNS bigint
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_rule_history_horizon';
COMMENT ON FUNCTION dialer._rule_history_horizon(jsonb, text[]) IS
  'Internal: seconds of call history the policy''s and packs'' rules look back over (the longest '
  'rolling cap, minimum gap and cool-down after an abandoned call or a refusal).';
REVOKE EXECUTE ON FUNCTION dialer._rule_history_horizon(jsonb, text[]) FROM PUBLIC;

-- Which NANP area codes a state's rule pack covers: reference data the operator reads
-- and corrects (a new area code, an overlay) without a release.
CREATE TABLE dialer.rule_pack_area_codes (
  rule_pack text NOT NULL CHECK (dialer.check_rule_packs(ARRAY[rule_pack])),
  area_code text NOT NULL CHECK (area_code ~ '^[2-9][0-9]{2}$'),
  PRIMARY KEY (area_code, rule_pack)
);
COMMENT ON TABLE dialer.rule_pack_area_codes IS
  'The US state rule packs applied by default to numbers of each area code (a campaign without '
  'rule_packs gets us_federal plus these for a US number). Reference data; the operator edits it.';
-- Reference data like dialer.outcome_classes: no tenant rows, so no RLS (signed-in users
-- read it, only the operator writes), and not in pg_dump (the install script seeds it).
INSERT INTO dialer.rule_pack_area_codes (rule_pack, area_code)
SELECT p, unnest(a) FROM (VALUES
  ('us_fl', ARRAY['239', '305', '321', '324', '352', '386', '407', '448', '561', '645', '656', '689',
                  '727', '728', '754', '772', '786', '813', '850', '863', '904', '941', '954']),
  ('us_ok', ARRAY['405', '539', '572', '580', '918']),
  ('us_md', ARRAY['227', '240', '301', '410', '443', '667'])) AS x(p, a);

-- STABLE, not IMMUTABLE: for an invalid NANP number the answer depends on which area
-- codes this connection has seen (only valid, stored numbers are ever asked).
CREATE FUNCTION dialer._number_region(p_phone text)
RETURNS text
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_number_region';
COMMENT ON FUNCTION dialer._number_region(text) IS
  'Internal: the region (ISO 3166-1 alpha-2) an international number belongs to, NULL when it is not '
  'valid; what phone_info reports as number_region, without the rest (it runs per scheduling '
  'decision; a NANP area code''s region is remembered per connection).';
REVOKE EXECUTE ON FUNCTION dialer._number_region(text) FROM PUBLIC;

-- The rule packs a recipient's number gets when its campaign names none.
-- Why PL/pgSQL: as SQL the subquery kept it from being inlined, and PostgreSQL 15
-- planned it again on every call (per scheduling decision); PL/pgSQL keeps its plan.
CREATE FUNCTION dialer.default_rule_packs(p_phone text)
RETURNS text[]
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = ''
AS $$
BEGIN
  RETURN CASE dialer._number_region(p_phone)
    WHEN 'US' THEN ARRAY['us_federal'] || coalesce(
      (SELECT array_agg(r.rule_pack ORDER BY r.rule_pack) FROM dialer.rule_pack_area_codes r
        WHERE r.area_code = substr(p_phone, 3, 3)), '{}')
    WHEN 'FR' THEN ARRAY['fr']
    WHEN 'GB' THEN ARRAY['uk']
    ELSE '{}'::text[] END;
END
$$;
COMMENT ON FUNCTION dialer.default_rule_packs(text) IS
  'The rule packs for a number when its campaign names none: US numbers us_federal plus the state '
  'pack of their area code (dialer.rule_pack_area_codes), French numbers fr, UK numbers uk; {} for '
  'countries without a built-in pack (their calls obey the campaign''s and contact''s windows only).';
REVOKE EXECUTE ON FUNCTION dialer.default_rule_packs(text) FROM PUBLIC;

INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer.check_rule_packs(text[])', 'dialer.default_rule_packs(text)',
                    'dialer._number_region(text)']) AS f,
       unnest(ARRAY['authenticated', 'service_role']) AS g;

-- What every built-in rule pack enforces, rule by rule, as rows (the planner's own data,
-- so what is listed is what is applied).
CREATE FUNCTION dialer._rule_pack_rules_json()
RETURNS jsonb
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_rule_pack_rules_json';
COMMENT ON FUNCTION dialer._rule_pack_rules_json() IS
  'Internal: every rule of every built-in rule pack as a JSON array (dialer.rule_pack_rules reads it).';
REVOKE EXECUTE ON FUNCTION dialer._rule_pack_rules_json() FROM PUBLIC;

CREATE FUNCTION dialer.rule_pack_rules()
RETURNS TABLE (rule_pack text, title text, rule text, applies_to text, figures jsonb, source text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = ''
AS $$
  SELECT r.rule_pack, r.title, r.rule, r.applies_to, r.figures, r.source
    FROM jsonb_to_recordset(dialer._rule_pack_rules_json())
         AS r(rule_pack text, title text, rule text, applies_to text, figures jsonb, source text)
$$;
COMMENT ON FUNCTION dialer.rule_pack_rules() IS
  'Every rule the built-in rule packs enforce: calling windows (weekly ranges and holiday calendars, '
  'for every call or for artificial-voice calls only), caps (max calls per_seconds), cool-downs '
  'after an abandoned call or a refusal (seconds), each with its legal source.';
REVOKE EXECUTE ON FUNCTION dialer.rule_pack_rules() FROM PUBLIC;
INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer._rule_pack_rules_json()', 'dialer.rule_pack_rules()']) AS f,
       unnest(ARRAY['authenticated', 'service_role']) AS g;

-- A campaign naming an unknown rule pack could not be claimed from under 0.3.0 (every claim
-- failed); 0.4.0 refuses the name when it is written. Name such campaigns before failing.
DO $$
DECLARE
  v_bad text;
BEGIN
  SELECT string_agg(format('%s (%s)', c.id, c.rule_packs), ', ') INTO v_bad
    FROM dialer.campaigns c
   WHERE EXISTS (SELECT 1 FROM unnest(c.rule_packs) AS p(name)
                  WHERE NOT EXISTS (SELECT 1 FROM unnest(ARRAY['us_federal', 'us_fl', 'us_ok', 'us_md', 'uk', 'fr']) AS k(name)
                                     WHERE k.name = p.name));
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'campaigns name unknown rule packs: %', v_bad
      USING ERRCODE = '22023', DETAIL = 'pg_dialer 0.4.0 checks campaigns.rule_packs when written.',
            HINT = 'Correct their rule_packs (dialer.check_rule_packs lists the known ones), then update again.';
  END IF;
END
$$;
ALTER TABLE dialer.campaigns ADD CONSTRAINT campaigns_rule_packs_valid CHECK (dialer.check_rule_packs(rule_packs));

-- ---- the dial-by deadline: result types change, so these are dropped and created again ----
-- (their registry rows first: dialer.api_grants holds regprocedure values)
DELETE FROM dialer.api_grants
 WHERE function IN ('dialer.claim_calls(uuid, text, integer, interval, timestamptz)'::regprocedure,
                    'dialer.claim_tenant_calls(uuid, text, integer, interval, timestamptz)'::regprocedure);
DROP FUNCTION dialer.claim_tenant_calls(uuid, text, integer, interval, timestamptz);
DROP FUNCTION dialer.claim_calls(uuid, text, integer, interval, timestamptz);
DROP FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text);
DROP FUNCTION dialer._next_attempt_decision(uuid, jsonb, text[], integer, text, integer, timestamptz, timestamptz[], timestamptz, timestamptz, jsonb, jsonb, text[], boolean, boolean, boolean, timestamptz, timestamptz, timestamptz);
CREATE FUNCTION dialer._next_attempt_decision(
  p_lead_id uuid, p_retry_policy jsonb, p_zones text[], p_attempts integer, p_last_outcome text,
  p_class_attempts integer, p_last_attempt_at timestamptz, p_recent_calls timestamptz[],
  p_last_abandoned_at timestamptz, p_last_refusal_at timestamptz, p_calling_windows jsonb,
  p_contact_windows jsonb, p_rule_packs text[], p_suppressed boolean, p_artificial_voice boolean,
  p_has_consent boolean, p_campaign_starts_at timestamptz, p_campaign_ends_at timestamptz,
  p_now timestamptz, OUT next_attempt_at timestamptz, OUT reason text, OUT legal_until timestamptz)
LANGUAGE c STABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_next_attempt_decision';
COMMENT ON FUNCTION dialer._next_attempt_decision(uuid, jsonb, text[], integer, text, integer, timestamptz, timestamptz[], timestamptz, timestamptz, jsonb, jsonb, text[], boolean, boolean, boolean, timestamptz, timestamptz, timestamptz) IS
  'Internal: dialer.next_attempt_at with the reason (the binding rule, as in explain_next_attempt) '
  'and without the explanation; what the queue needs per call. legal_until: when the lead is '
  'callable at p_now, the first instant its calling windows close (at most two days on).';
REVOKE EXECUTE ON FUNCTION dialer._next_attempt_decision(uuid, jsonb, text[], integer, text, integer, timestamptz, timestamptz[], timestamptz, timestamptz, jsonb, jsonb, text[], boolean, boolean, boolean, timestamptz, timestamptz, timestamptz) FROM PUBLIC;

-- ---- functions that now check what a signed-in caller sends --------------------------------
-- Where a number's owner may be, for calling hours: every zone under its area code, or
-- with campaigns.zone_precision = 'exchange' the zone where it was issued. Plain SQL
-- (inlined by its callers: _lead_schedule_inputs, recipient_time_zone).
CREATE OR REPLACE FUNCTION dialer._number_zones(p_phone text, p_zone_precision text)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE p_zone_precision WHEN 'exchange' THEN dialer.phone_timezones(p_phone, NULL)
                               ELSE dialer.phone_area_timezones(p_phone, NULL) END
$$;
COMMENT ON FUNCTION dialer._number_zones(text, text) IS
  'Internal: the candidate zones of a number under a campaign''s zone_precision (area_code: '
  'dialer.phone_area_timezones; exchange: dialer.phone_timezones).';

-- The next legal attempt for a lead: NULL next_attempt_at means never, with the
-- status the lead should take then. Why _next_attempt_decision: a "never" needs its
-- reason, and the lean variant returns both without building the JSON explanation.
-- Why plain SQL returning a one-row table, without SET clauses: PostgreSQL then inlines
-- it (with _lead_schedule_inputs and _never_status) into the calling statement, planned
-- once in the caller's cached plan. As PL/pgSQL with SET clauses each call paid for a
-- function scan, a result tuple descriptor and two GUC changes: ~0.1 ms, as much as the
-- query itself (pg_stat_statements, queue benchmark). Callers run with search_path ''.
CREATE OR REPLACE FUNCTION dialer._plan_lead(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
                                  p_last_outcome text DEFAULT NULL)
RETURNS TABLE (next_attempt_at timestamptz, final_status dialer.lead_status, recipient_zone text,
               legal_until timestamptz)
LANGUAGE sql STABLE
AS $$
  -- recipient_zone: what dialer.recipient_time_zone() answers (the contact's zone, else
  -- the number's only candidate, else the campaign's or tenant's), from the same row.
  SELECT d.next_attempt_at,
         CASE WHEN d.next_attempt_at IS NULL THEN dialer._never_status(d.reason) END,
         CASE WHEN cardinality(i.zones) = 1 THEN i.zones[1] ELSE i.fallback_zone END,
         d.legal_until
    FROM dialer._lead_schedule_inputs(p_tenant_id, p_lead_id, p_now, p_last_outcome) i,
         LATERAL dialer._next_attempt_decision(
           i.lead_id, i.retry_policy, i.zones, i.attempts, i.last_outcome, i.class_attempts,
           i.last_attempt_at, i.recent_calls, i.last_abandoned_at, i.last_refusal_at,
           i.calling_windows, i.contact_windows, i.rule_packs, i.suppressed, i.artificial_voice,
           i.has_consent, i.campaign_starts_at, i.campaign_ends_at, p_now) d
$$;
COMMENT ON FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text) IS
  'Internal: the scheduler''s next legal attempt for a lead (one row; NULL next_attempt_at: never, '
  'with the status to take; legal_until: when callable at p_now, until when its windows stay open).';

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
    -- The scheduler's candidates: the area code's zones unless the campaign opts into the exchange's.
    v_candidates := dialer._number_zones(v_phone, (SELECT cp.zone_precision FROM dialer.campaigns cp
                                                    WHERE cp.tenant_id = p_tenant_id AND cp.id = p_campaign_id));
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

-- Every input of a scheduling decision for one lead, as the scheduler's named arguments.
CREATE OR REPLACE FUNCTION dialer._lead_schedule_inputs(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
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
           c.schedule_start, c.schedule_end,
           -- The zone a call is counted under when the number has several candidates.
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

-- Raises PT409 when a claimed call may not be dialled at p_now. Why again: a claim
-- may be dialled up to its lease later, when the window may have closed, a cap filled
-- (another campaign's call to the number) or the number been suppressed. The lead is
-- judged as before this claim: no retry wait (the claim already passed it), its own
-- claimed call not counted, every rule of the law and the policy applied.
CREATE OR REPLACE FUNCTION dialer._check_dial_legal(p_call dialer.calls, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_next timestamptz;
  v_reason text;
BEGIN
  SELECT d.next_attempt_at, d.reason INTO v_next, v_reason
    FROM dialer._lead_schedule_inputs(p_call.tenant_id, p_call.lead_id, p_now) i,
         LATERAL dialer._next_attempt_decision(
           i.lead_id, i.retry_policy, i.zones, 0, NULL, 0, NULL, i.recent_calls,
           i.last_abandoned_at, i.last_refusal_at, i.calling_windows, i.contact_windows,
           i.rule_packs, i.suppressed, i.artificial_voice, i.has_consent, i.campaign_starts_at,
           i.campaign_ends_at, p_now) d;
  IF v_next IS NULL OR v_next > p_now THEN
    RAISE EXCEPTION 'call % may not be dialled now: %', p_call.id, coalesce(v_reason, 'never')
      USING ERRCODE = 'PT409',
            DETAIL = CASE WHEN v_next IS NULL THEN format('Rule %s forbids calling %s again.', v_reason, p_call.phone)
                          ELSE format('Rule %s forbids calling %s before %s.', v_reason, p_call.phone, v_next) END,
            HINT = 'Do not place the call: give it back with dialer.release_call (the lead is planned again at the next claim).';
  END IF;
END
$$;
COMMENT ON FUNCTION dialer._check_dial_legal(dialer.calls, timestamptz) IS
  'Internal: PT409 naming the rule when a claimed call may not be dialled at p_now.';

-- A do_not_call reported for a call no longer in flight (its lease expired and it was
-- reaped, it was released, or it was completed otherwise): the number is suppressed at
-- once and the report recorded on the call (metadata.late_report); the call keeps its
-- status and outcome. Why not PT409 as for other late reports: an error rolls back, and
-- the person's opt-out would be lost while another worker may be calling them.
CREATE OR REPLACE FUNCTION dialer._record_late_opt_out(p_call dialer.calls, p_outcome text, p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  INSERT INTO dialer.suppressions (tenant_id, phone, reason, source)
  VALUES (p_call.tenant_id, p_call.phone, 'do_not_call', 'call:' || p_call.id)
  ON CONFLICT (tenant_id, phone) DO NOTHING;
  UPDATE dialer.calls k
     SET metadata = k.metadata || jsonb_build_object('late_report', jsonb_build_object(
           'outcome', p_outcome, 'outcome_class', 'do_not_call', 'reported_at', p_now,
           'call_status', p_call.status))
   WHERE k.tenant_id = p_call.tenant_id AND k.id = p_call.id;
  PERFORM dialer._replan_number(p_call.tenant_id, p_call.phone, NULL, p_now);
  RETURN jsonb_build_object('call_id', p_call.id, 'lead_id', p_call.lead_id, 'outcome_class', 'do_not_call',
                            'call_status', p_call.status, 'late', true, 'suppressed', true, 'replayed', false);
END
$$;
COMMENT ON FUNCTION dialer._record_late_opt_out(dialer.calls, text, timestamptz) IS
  'Internal: suppresses the number of a call no longer in flight that reported do_not_call, and records the report on the call.';

-- Plans again the waiting leads of other campaigns of the tenant that call the same
-- number, after a call to it was placed, ended or given back: caps, the gap and cool-downs
-- count that call (or no longer count a released claim), so their stored next_attempt_at
-- (what why_not_dialable recomputes) moves later, earlier, or to never after an opt-out.
-- Only a change of when a lead is due is written (a due lead that stays due is left as it
-- is). Why SKIP LOCKED: a lead being claimed right now is re-checked by its claim anyway,
-- and waiting for it could deadlock with that claimer.
CREATE OR REPLACE FUNCTION dialer._replan_number(p_tenant_id uuid, p_phone text, p_except_lead uuid, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  UPDATE dialer.leads l
     SET next_attempt_at = p.next_attempt_at,
         status = CASE WHEN p.next_attempt_at IS NULL THEN p.final_status ELSE l.status END
    FROM (SELECT s.id FROM dialer.leads s
           WHERE s.tenant_id = p_tenant_id AND s.phone = p_phone AND s.id IS DISTINCT FROM p_except_lead
             AND s.status IN ('pending', 'scheduled')
             FOR UPDATE SKIP LOCKED) s,
         LATERAL dialer._plan_lead(p_tenant_id, s.id, p_now) p
   WHERE l.tenant_id = p_tenant_id AND l.id = s.id
     AND (p.next_attempt_at IS NULL
          OR greatest(p.next_attempt_at, p_now) IS DISTINCT FROM greatest(coalesce(l.next_attempt_at, p_now), p_now));
END
$$;
COMMENT ON FUNCTION dialer._replan_number(uuid, text, uuid, timestamptz) IS
  'Internal: plans again the waiting leads of a number whose history just changed (later, earlier or never).';

CREATE OR REPLACE FUNCTION dialer.resolve_tenant(identifier text, channel text DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN (
      WITH wanted (kind, value) AS (
        SELECT 'email'::dialer.identifier_kind, lower(btrim(resolve_tenant.identifier))
         WHERE resolve_tenant.identifier LIKE '%@%'
        UNION ALL
        SELECT 'phone', dialer._canonical_phone(resolve_tenant.identifier, false)
         WHERE resolve_tenant.identifier NOT LIKE '%@%'
        UNION ALL
        SELECT 'handle', btrim(resolve_tenant.identifier))
      SELECT i.tenant_id
        FROM dialer.tenant_identifiers i
        JOIN wanted w ON w.kind = i.kind AND w.value = i.value
       WHERE (i.channel = lower(btrim(resolve_tenant.channel)) OR i.channel IS NULL)
         -- An unverified claim never routes (dialer._guard_identifier_verification).
         AND i.verified_at IS NOT NULL
       ORDER BY i.channel IS NULL, i.kind = 'handle'
       LIMIT 1);
END
$$;
COMMENT ON FUNCTION dialer.resolve_tenant(text, text) IS
  'The tenant an incoming phone number (normalised to E.164), email address (lower-cased) or '
  'channel handle belongs to on a channel (whatsapp, voice, ...), or NULL. Only verified '
  'identifiers route (verified_at set by the operator); one registered for the exact channel '
  'wins over one registered for every channel.';

-- Keeps a campaign's slot rows equal to max_concurrent_calls: adds missing ones, drops
-- free ones above the limit (an occupied one above it is dropped when it is freed).
-- SECURITY DEFINER: signed-in admins create campaigns, but campaign_slots has no write
-- policy for them (found by the RLS matrix: INSERT campaigns as an admin was 403).
CREATE OR REPLACE FUNCTION dialer._sync_campaign_slots()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  -- Why bounded: one slot row per concurrent call, so the limit is rows written here.
  IF NEW.max_concurrent_calls > dialer._limit('max_concurrent_calls') THEN
    PERFORM dialer._over_limit(format('max_concurrent_calls of campaign %s', NEW.id),
                               NEW.max_concurrent_calls, 'max_concurrent_calls');
  END IF;
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
  'Trigger: keeps dialer.campaign_slots at max_concurrent_calls rows per campaign (22023 above '
  'dialer.max_concurrent_calls).';

-- Applies one lifecycle move and returns {campaign_id, previous_status, status, changed_at, changed_by, leads_cancelled}.
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
  PERFORM dialer._check_caller_instant('p_now', p_now);
  IF p_action IN ('start', 'resume') THEN
    PERFORM dialer._require_active_tenant(v_c.tenant_id, p_action || ' campaign ' || p_campaign_id);
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

CREATE OR REPLACE FUNCTION dialer.claim_calls(
  p_campaign_id uuid,
  p_worker_id text,
  p_max_calls integer DEFAULT 1,
  p_lease interval DEFAULT '5 minutes',
  p_now timestamptz DEFAULT now())
RETURNS TABLE (call_id uuid, lead_id uuid, phone text, attempt_number integer,
               lease_expires_at timestamptz, idempotency_key text, dial_by timestamptz)
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
  -- Why only when it differs from now(): the default costs the hot path nothing.
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  PERFORM dialer._require_active_tenant(v_c.tenant_id, 'claim calls of campaign ' || p_campaign_id);
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
    -- The dial-by deadline: never past the lease, nor past the end of the legal window
    -- (mark_call_dialing refuses a dial after it).
    dial_by := least(p_now + p_lease, v_plan.legal_until);
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
  'E.164 number, attempt number, lease expiry, idempotency key for the provider, and dial_by: '
  'the deadline to dial it, never past the lease nor the end of the legal window). Agent role.';

-- Tenant-wide claim, fair across the tenant's claimable campaigns: each round gives
-- one call to the campaign with the lowest share of its slots in use.
CREATE OR REPLACE FUNCTION dialer.claim_tenant_calls(
  p_tenant_id uuid,
  p_worker_id text,
  p_max_calls integer DEFAULT 1,
  p_lease interval DEFAULT '5 minutes',
  p_now timestamptz DEFAULT now())
RETURNS TABLE (campaign_id uuid, call_id uuid, lead_id uuid, phone text, attempt_number integer,
               lease_expires_at timestamptz, idempotency_key text, dial_by timestamptz)
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
  PERFORM dialer._check_caller_instant('p_now', p_now);
  PERFORM dialer._require_active_tenant(p_tenant_id, 'claim calls of tenant ' || p_tenant_id);
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
      idempotency_key := v_row.idempotency_key; dial_by := v_row.dial_by;
      v_got := v_got + 1; v_found := true;
      RETURN NEXT;
    END LOOP;
    IF NOT v_found THEN v_exhausted := v_exhausted || v_campaign; END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION dialer.claim_tenant_calls(uuid, text, integer, interval, timestamptz) IS
  'Claims up to p_max_calls calls across a tenant''s running campaigns, fairly: each call goes to '
  'the campaign using the smallest share of its concurrency slots. Same rows as claim_calls (dial_by '
  'included) plus campaign_id.';

-- The call p_call_id locked for update, if the caller is an agent of its tenant
-- (PT404 otherwise, so call ids of other tenants are not disclosed).
CREATE OR REPLACE FUNCTION dialer._call_for_update(p_call_id uuid)
RETURNS dialer.calls
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_call dialer.calls;
BEGIN
  -- Why the role in the WHERE: rows failing it are never locked, so naming another
  -- tenant's call does not hold that call's row lock.
  SELECT * INTO v_call FROM dialer.calls k
   WHERE k.id = p_call_id AND dialer._caller_role(k.tenant_id) >= 'agent' FOR UPDATE;
  IF v_call.id IS NULL THEN
    RAISE EXCEPTION 'call % not found', p_call_id
      USING ERRCODE = 'PT404', DETAIL = 'No call with this id is visible to the caller as an agent.',
            HINT = 'Use the call_id returned by dialer.claim_calls.';
  END IF;
  RETURN v_call;
END
$$;
COMMENT ON FUNCTION dialer._call_for_update(uuid) IS 'Internal: locks a call the caller may work on (PT404 otherwise).';

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
  -- Why NaN and Infinity by name: numeric NaN compares greater than every number.
  IF NOT coalesce(p_cost IS NULL OR (p_cost >= 0 AND p_cost NOT IN ('NaN', 'Infinity')), false) THEN
    PERFORM dialer._invalid_arg('p_cost', p_cost::text, 'a finite number, zero or more');
  END IF;
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  IF p_answered_at IS NOT NULL THEN
    PERFORM dialer._check_caller_instant('p_answered_at', p_answered_at);
  END IF;
  IF p_ended_at IS NOT NULL THEN
    PERFORM dialer._check_caller_instant('p_ended_at', p_ended_at);
  END IF;
  IF v_call.status NOT IN ('claimed', 'dialing', 'ringing', 'in_progress') AND v_class = 'do_not_call'
     AND v_call.outcome_class IS DISTINCT FROM 'do_not_call' THEN
    RETURN dialer._record_late_opt_out(v_call, p_outcome, p_now);
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
  PERFORM dialer._replan_number(v_call.tenant_id, v_call.phone, v_call.lead_id, p_now);
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
  'true); a different report for a completed call or a call not in flight is PT409, except '
  'do_not_call: a late opt-out still suppresses the number at once and is recorded on the call '
  '(metadata.late_report; answer late: true). Agent role.';

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

CREATE OR REPLACE FUNCTION dialer.release_call(p_call_id uuid, p_reason text DEFAULT NULL, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_call dialer.calls := dialer._call_for_update(p_call_id);
BEGIN
  PERFORM dialer._check_caller_instant('p_now', p_now);
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
  -- The released claim no longer counts for the number's other waiting leads.
  PERFORM dialer._replan_number(v_call.tenant_id, v_call.phone, v_call.lead_id, p_now);
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
  UPDATE dialer.leads l SET status = 'scheduled', next_attempt_at = p_now
   WHERE l.tenant_id = v_lead.tenant_id AND l.id = v_lead.id;
  RETURN jsonb_build_object('lead_id', v_lead.id, 'status', 'scheduled', 'next_attempt_at', p_now);
END
$$;
COMMENT ON FUNCTION dialer.release_lead(uuid, timestamptz) IS
  'A person decides a held lead (last call''s result unknown) may be called again: it becomes due '
  'at p_now, still subject to every calling rule at claim time. Admin role.';

CREATE OR REPLACE FUNCTION dialer.import_leads(p_campaign_id uuid, p_leads jsonb, p_region text DEFAULT NULL,
                                    p_max_rejects integer DEFAULT 1000)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_target record;
BEGIN
  IF jsonb_typeof(p_leads) IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION 'p_leads must be a JSON array, not %', coalesce(jsonb_typeof(p_leads), 'NULL')
      USING ERRCODE = '22023', DETAIL = 'import_leads takes an array of lead objects.',
            HINT = 'Pass [{"phone": "+14155552671", "first_name": "Ada"}, ...].';
  END IF;
  IF NOT coalesce(p_max_rejects BETWEEN 0 AND 1000000, false) THEN
    PERFORM dialer._invalid_arg('p_max_rejects', p_max_rejects::text, 'between 0 and 1000000');
  END IF;
  -- Bounded before any work: a million-row request grew a backend to ~1 GB.
  IF jsonb_array_length(p_leads) > dialer._limit('max_import_rows') THEN
    PERFORM dialer._over_limit('the number of leads to import', jsonb_array_length(p_leads), 'max_import_rows');
  END IF;
  SELECT * INTO v_target FROM dialer._import_target(p_campaign_id, p_region);
  PERFORM dialer._import_stage_create();
  INSERT INTO pg_temp.dialer_import_stage (line, input, first_name, last_name, email, custom_fields,
                                           priority, time_zone, consent_ai_voice_at, consent_source, reject)
  SELECT e.n, e.v ->> 'phone', e.v ->> 'first_name', e.v ->> 'last_name', lower(e.v ->> 'email'),
         CASE WHEN jsonb_typeof(e.v -> 'custom_fields') = 'object' THEN e.v -> 'custom_fields' END,
         CASE WHEN (e.v ->> 'priority') ~ '^-?[0-9]{1,9}$' THEN (e.v ->> 'priority')::integer END,
         CASE WHEN dialer._is_time_zone(e.v ->> 'time_zone') THEN e.v ->> 'time_zone' END,
         CASE WHEN (e.v ->> 'consent_ai_voice_at') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
              THEN (e.v ->> 'consent_ai_voice_at')::timestamptz END,
         e.v ->> 'consent_source',
         CASE WHEN jsonb_typeof(e.v) <> 'object' THEN 'invalid_field: not an object'
              WHEN e.v ? 'custom_fields' AND jsonb_typeof(e.v -> 'custom_fields') <> 'object' THEN 'invalid_field: custom_fields must be an object'
              WHEN e.v ? 'priority' AND NOT (e.v ->> 'priority') ~ '^-?[0-9]{1,9}$' THEN 'invalid_field: priority must be an integer'
              WHEN e.v ? 'time_zone' AND NOT coalesce(dialer._is_time_zone(e.v ->> 'time_zone'), false) THEN 'invalid_field: unknown time_zone'
              WHEN e.v ? 'consent_ai_voice_at' AND NOT (e.v ->> 'consent_ai_voice_at') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN 'invalid_field: consent_ai_voice_at must be a timestamp'
         END
    FROM jsonb_array_elements(p_leads) WITH ORDINALITY AS e(v, n);
  RETURN dialer._import_staged(v_target.campaign, v_target.region, p_max_rejects);
END
$$;
COMMENT ON FUNCTION dialer.import_leads(uuid, jsonb, text, integer) IS
  'Imports a JSON array of leads ({phone, first_name, last_name, email, custom_fields, priority, '
  'time_zone, consent_ai_voice_at, consent_source}) into a campaign in one transaction. Phones '
  'are normalised to E.164 (national numbers read in p_region, default the tenant''s '
  'default_region); duplicates in the batch or the campaign, suppressed numbers and invalid rows '
  'are not imported and are reported: {received, inserted, contacts_created, contacts_reused, '
  'duplicates, suppressed, invalid, rejected_by_reason, rejects: [{row, input, reason}] (first '
  'p_max_rejects), rejects_truncated}. At most dialer.max_import_rows leads per call (22023 '
  'above). Admin role.';

-- SECURITY INVOKER on purpose: the staging table is read with the caller's own rights
-- (privileges, column privileges and row-level security), so nothing the caller could
-- not SELECT themselves becomes a lead or appears in the report. The rows then go
-- through dialer.import_leads, which checks the campaign and writes as its owner.
-- Why not read it as the owner after a privilege check: 0.3.0 did, and a signed-in user
-- imported every tenant's contacts by naming dialer.contacts (RLS does not apply to the
-- owner); reading a caller-owned table as the owner would also run the caller's casts
-- and functions with the owner's rights.
CREATE OR REPLACE FUNCTION dialer.import_leads_from(p_campaign_id uuid, p_source regclass, p_region text DEFAULT NULL,
                                         p_max_rejects integer DEFAULT 1000)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
SET search_path = ''
AS $$
DECLARE
  v_cols text[];
  v_pick text;
  v_rows jsonb;
  v_lines bigint[];
  v_report jsonb;
  v_limit bigint;
BEGIN
  IF p_source IS NULL THEN
    RAISE EXCEPTION 'invalid p_source: NULL'
      USING ERRCODE = '22023', DETAIL = 'p_source must name a table with a "phone" column.',
            HINT = 'Pass the staging table, e.g. ''my_staging''.';
  END IF;
  SELECT array_agg(a.attname::text) INTO v_cols FROM pg_catalog.pg_attribute a
   WHERE a.attrelid = p_source AND a.attnum > 0 AND NOT a.attisdropped;
  IF NOT coalesce('phone' = ANY (v_cols), false) THEN
    RAISE EXCEPTION 'staging table % has no column "phone"', p_source
      USING ERRCODE = '42703', DETAIL = format('Its columns are: %s.', coalesce(array_to_string(v_cols, ', '), 'none')),
            HINT = 'Name the phone column "phone"; optional: first_name, last_name, email, custom_fields, priority, time_zone, consent_ai_voice_at, consent_source, line.';
  END IF;
  -- One JSON object per row with the columns the table has (NULLs left out, as absent).
  SELECT string_agg(format('%L, %s', c, CASE WHEN c = 'phone' THEN 'phone::text' ELSE format('%I::%s', c, t) END), ', ' ORDER BY o)
    INTO v_pick
    FROM unnest(ARRAY['phone', 'first_name', 'last_name', 'email', 'custom_fields', 'priority', 'time_zone',
                      'consent_ai_voice_at', 'consent_source'],
                ARRAY['text', 'text', 'text', 'text', 'jsonb', 'integer', 'text', 'timestamptz', 'text']) WITH ORDINALITY AS x(c, t, o)
   WHERE c = ANY (v_cols);
  -- Why LIMIT limit + 1: the size bound holds before the table is read in full.
  v_limit := dialer._limit('max_import_rows');
  EXECUTE format(
    'SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(%s)) ORDER BY s.dialer_line), '
    'array_agg(s.dialer_line ORDER BY s.dialer_line) FROM (SELECT *, %s AS dialer_line FROM %s LIMIT %s) s',
    v_pick, CASE WHEN 'line' = ANY (v_cols) THEN 'line::bigint' ELSE 'row_number() OVER ()' END,
    p_source, v_limit + 1)
    INTO v_rows, v_lines;
  -- Over the limit, dialer.import_leads refuses the rows before it does any work.
  v_report := dialer.import_leads(p_campaign_id, coalesce(v_rows, '[]'), p_region, p_max_rejects);
  -- A reject's row is the staging table's line (import_leads counts array positions).
  RETURN jsonb_set(v_report, '{rejects}', coalesce(
    (SELECT jsonb_agg(r.v || jsonb_build_object('row', v_lines[(r.v ->> 'row')::integer]) ORDER BY r.n)
       FROM jsonb_array_elements(v_report -> 'rejects') WITH ORDINALITY AS r(v, n)), '[]'));
END
$$;
COMMENT ON FUNCTION dialer.import_leads_from(uuid, regclass, text, integer) IS
  'Imports leads from a staging table (column phone, optional first_name, last_name, email, '
  'custom_fields, priority, time_zone, consent_ai_voice_at, consent_source, line) with the same '
  'normalisation, de-duplication, suppression checks and report as dialer.import_leads (a '
  'reject''s row is its line). The table is read with the caller''s rights (row-level security '
  'and column privileges apply); at most dialer.max_import_rows rows. For large loads: COPY into '
  'a staging table, then call this. Admin role.';

CREATE OR REPLACE FUNCTION dialer.campaign_timeseries(
  p_campaign_id uuid,
  p_bucket interval DEFAULT '1 hour',
  p_from timestamptz DEFAULT NULL,
  p_to timestamptz DEFAULT NULL)
RETURNS TABLE (
  bucket_start timestamptz, attempts bigint, finished bigint, answered bigint, human bigint,
  machine bigint, contacts bigint, conversions bigint, abandoned bigint, talk_seconds bigint,
  cost numeric, answer_rate numeric, contact_rate numeric, abandon_rate numeric)
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_tenant uuid := dialer._stats_visible_campaign(p_campaign_id);
  v_granularity text;
  v_to timestamptz := coalesce(p_to, now());
  v_from timestamptz;
  v_bucket_seconds numeric := extract(epoch FROM p_bucket);
  v_buckets numeric;
BEGIN
  IF p_bucket IS NULL OR p_bucket < interval '1 hour' OR v_bucket_seconds % 3600 <> 0
     OR date_part('month', p_bucket) <> 0 OR date_part('year', p_bucket) <> 0 THEN
    RAISE EXCEPTION 'bucket % is not a whole number of hours or days', coalesce(p_bucket::text, 'NULL')
      USING ERRCODE = '22023',
            DETAIL = 'Statistics are kept per UTC hour and per UTC day, so a chart bucket is a '
                     'multiple of one hour (months vary in length and are not supported).',
            HINT = 'Pass e.g. ''1 hour'', ''6 hours'', ''1 day'' or ''7 days''.';
  END IF;
  IF NOT isfinite(v_to) OR NOT coalesce(isfinite(p_from), true) THEN
    PERFORM dialer._invalid_arg(CASE WHEN isfinite(v_to) THEN 'p_from' ELSE 'p_to' END,
                                CASE WHEN isfinite(v_to) THEN p_from ELSE v_to END::text, 'a finite timestamp');
  END IF;
  -- Why in epoch seconds (numeric): timestamptz - timestamptz overflows an interval for
  -- ranges hundreds of thousands of years wide, and the overflow passed the bound.
  v_buckets := CASE WHEN p_from IS NULL THEN 24
                    ELSE ceil((extract(epoch FROM v_to) - extract(epoch FROM p_from)) / v_bucket_seconds) END;
  IF v_buckets > dialer._limit('max_timeseries_buckets') THEN
    PERFORM dialer._over_limit(format('the number of buckets of %s from %s to %s', p_bucket, p_from, v_to),
                               v_buckets, 'max_timeseries_buckets');
  END IF;
  -- Day rows when the bucket is whole days: 24 times fewer rows to add up.
  v_granularity := CASE WHEN v_bucket_seconds % 86400 = 0 THEN 'day' ELSE 'hour' END;
  v_from := coalesce(p_from, v_to - 24 * p_bucket);
  IF v_from >= v_to THEN
    RAISE EXCEPTION 'time range [%, %) is empty', v_from, v_to
      USING ERRCODE = '22023', DETAIL = 'p_from must be earlier than p_to.',
            HINT = 'Swap them, or leave p_from NULL for the 24 buckets before p_to.';
  END IF;
  RETURN QUERY
  WITH series AS (
    SELECT g AS start
      FROM generate_series(date_bin(p_bucket, v_from, timestamptz '2000-01-03 00:00:00+00'),
                           v_to - interval '1 microsecond', p_bucket) AS g),
  sums AS (
    SELECT date_bin(p_bucket, b.bucket_start, timestamptz '2000-01-03 00:00:00+00') AS start,
           sum(b.attempts)::bigint AS attempts, sum(b.finished)::bigint AS finished,
           sum(b.answered)::bigint AS answered, sum(b.human)::bigint AS human,
           sum(b.machine)::bigint AS machine, sum(b.contacts)::bigint AS contacts,
           sum(b.conversions)::bigint AS conversions, sum(b.abandoned)::bigint AS abandoned,
           sum(b.talk_seconds)::bigint AS talk_seconds, sum(b.cost) AS cost
      FROM dialer.campaign_call_buckets b
     WHERE b.tenant_id = v_tenant AND b.campaign_id = p_campaign_id AND b.granularity = v_granularity
       AND b.bucket_start >= (SELECT min(s.start) FROM series s) AND b.bucket_start < v_to
     GROUP BY 1)
  SELECT s.start, coalesce(x.attempts, 0), coalesce(x.finished, 0), coalesce(x.answered, 0),
         coalesce(x.human, 0), coalesce(x.machine, 0), coalesce(x.contacts, 0),
         coalesce(x.conversions, 0), coalesce(x.abandoned, 0), coalesce(x.talk_seconds, 0),
         coalesce(x.cost, 0),
         dialer._stats_ratio(x.answered, x.finished), dialer._stats_ratio(x.contacts, x.finished),
         dialer._stats_ratio(x.abandoned, x.human)
    FROM series s LEFT JOIN sums x ON x.start = s.start
   ORDER BY s.start;
END
$$;
COMMENT ON FUNCTION dialer.campaign_timeseries(uuid, interval, timestamptz, timestamptz) IS
  'A campaign''s calls over time for charts: one row per bucket of p_bucket (whole hours or days, '
  'aligned to UTC midnight and, for multi-day buckets, to Mondays) from p_from (default: 24 buckets '
  'back) to p_to (default now), with attempts, outcomes, talk time, cost and rates, by attempt '
  'time. Reads the kept hourly or daily counters. PT404 unless the caller is a member of the '
  'campaign''s tenant.';

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

CREATE OR REPLACE FUNCTION dialer.campaign_stats(p_campaign_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_tenant uuid := dialer._stats_visible_campaign(p_campaign_id);
  c dialer.campaign_call_stats;
  l dialer.campaign_lead_stats;
  v_lead_status jsonb;
  v_call_status jsonb;
  v_classes jsonb;
  v_waiting bigint;
  v_not_due bigint;
  v_final bigint;
  v_penetrated bigint;
  v_us_from timestamptz := date_trunc('day', p_now, 'UTC') - interval '29 days';
  v_us_abandoned bigint;
  v_us_live bigint;
  v_uk_from timestamptz := date_trunc('hour', p_now, 'UTC') - interval '23 hours';
  v_uk_abandoned bigint;
  v_uk_human bigint;
  v_uk_machine bigint;
  v_uk_machine_drops numeric;
BEGIN
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  SELECT * INTO c FROM dialer._stats_call_totals(v_tenant, p_campaign_id);
  SELECT * INTO l FROM dialer._stats_lead_totals(v_tenant, p_campaign_id);

  SELECT jsonb_object_agg(e.s, coalesce(l.by_status[e.i], 0)),
         coalesce(sum(l.by_status[e.i]) FILTER (WHERE e.s IN ('pending', 'scheduled')), 0),
         coalesce(sum(l.by_status[e.i]) FILTER (WHERE e.s IN ('completed', 'converted', 'refused',
                                                              'do_not_call', 'invalid', 'failed')), 0),
         coalesce(sum(l.by_status[e.i]) FILTER (WHERE e.s IN ('completed', 'converted', 'refused',
                                                              'do_not_call', 'invalid', 'failed',
                                                              'cancelled')), 0)
    INTO v_lead_status, v_waiting, v_penetrated, v_final
    FROM unnest(enum_range(NULL::dialer.lead_status)) WITH ORDINALITY AS e (s, i);
  SELECT jsonb_object_agg(e.s, coalesce(c.by_status[e.i], 0)) INTO v_call_status
    FROM unnest(enum_range(NULL::dialer.call_status)) WITH ORDINALITY AS e (s, i);
  SELECT coalesce(jsonb_object_agg(k.name, k.n), '{}') INTO v_classes
    FROM (SELECT oc.outcome_class AS name, coalesce(c.by_class[s.slot], 0) AS n
            FROM dialer.outcome_classes oc JOIN dialer.stats_outcome_slots s USING (outcome_class)
          UNION ALL
          SELECT x.name, c.by_class[x.slot]
            FROM (VALUES ('no_class', 1), ('unlisted_class', 2)) AS x (name, slot)
           WHERE c.by_class[x.slot] <> 0
          UNION ALL
          -- Classes since removed from dialer.outcome_classes keep their slot and count.
          SELECT s.outcome_class, c.by_class[s.slot]
            FROM dialer.stats_outcome_slots s
           WHERE c.by_class[s.slot] <> 0
             AND NOT EXISTS (SELECT 1 FROM dialer.outcome_classes oc
                              WHERE oc.outcome_class = s.outcome_class)) AS k;

  -- Index range count, not a counter: see docs/stats.md ("constant time").
  SELECT count(*) INTO v_not_due
    FROM dialer.leads ld
   WHERE ld.tenant_id = v_tenant AND ld.campaign_id = p_campaign_id
     AND ld.status IN ('pending', 'scheduled') AND ld.next_attempt_at > p_now;

  SELECT coalesce(sum(b.abandoned), 0), coalesce(sum(b.human), 0) INTO v_us_abandoned, v_us_live
    FROM dialer.campaign_call_buckets b
   WHERE b.tenant_id = v_tenant AND b.campaign_id = p_campaign_id AND b.granularity = 'day'
     AND b.bucket_start >= v_us_from AND b.bucket_start <= p_now;
  SELECT coalesce(sum(b.abandoned), 0), coalesce(sum(b.human), 0), coalesce(sum(b.machine), 0)
    INTO v_uk_abandoned, v_uk_human, v_uk_machine
    FROM dialer.campaign_call_buckets b
   WHERE b.tenant_id = v_tenant AND b.campaign_id = p_campaign_id AND b.granularity = 'hour'
     AND b.bucket_start >= v_uk_from AND b.bucket_start <= p_now;
  -- Ofcom's answering-machine adjustment: the share of connected calls that reached a
  -- machine, applied to the drops, estimates the drops that hit machines.
  v_uk_machine_drops := CASE WHEN v_uk_machine + v_uk_human - v_uk_abandoned > 0
    THEN v_uk_abandoned::numeric * v_uk_machine / (v_uk_machine + v_uk_human - v_uk_abandoned)
    ELSE 0 END;

  RETURN jsonb_build_object(
    'campaign_id', p_campaign_id,
    'as_of', p_now,
    'statistics_enabled', dialer.campaign_stats_enabled(),
    'leads', jsonb_build_object(
      'total', l.leads,
      'by_status', v_lead_status,
      'waiting', v_waiting,
      'due_now', v_waiting - v_not_due,
      'not_yet_due', v_not_due,
      'attempted', l.leads - coalesce(l.by_attempts[1], 0),
      'contacted', l.contacted_leads),
    'calls', jsonb_build_object(
      'total', c.calls,
      'attempts', c.attempts,
      'finished_attempts', c.finished,
      'in_flight', c.in_flight,
      'pre_dial_rejections', c.pre_dial_rejections,
      'unknown_results', c.unknown_results,
      'avg_completed_duration', dialer._stats_ratio(c.completed_seconds, c.completed_timed_calls, 2),
      'by_status', v_call_status,
      'by_outcome_class', v_classes),
    'outcomes', jsonb_build_object(
      'answered', c.answered, 'human', c.human, 'machine', c.machine, 'contacts', c.contacts,
      'conversions', c.conversions, 'abandoned', c.abandoned),
    'rates', jsonb_build_object(
      'answer_rate', dialer._stats_ratio(c.answered, c.finished),
      'human_contact_rate', dialer._stats_ratio(c.human, c.finished),
      'voicemail_rate', dialer._stats_ratio(c.machine, c.answered),
      'contact_rate', dialer._stats_ratio(c.contacts, c.finished),
      'conversion_per_contact', dialer._stats_ratio(c.conversions, c.contacts),
      'conversion_per_lead', dialer._stats_ratio(c.conversions, l.leads)),
    'abandon_rate', jsonb_build_object(
      'us_30d', jsonb_build_object(
        'rate', dialer._stats_ratio(v_us_abandoned, v_us_live),
        'abandoned', v_us_abandoned, 'live_answered', v_us_live,
        'window_start', v_us_from, 'window_end', v_us_from + interval '30 days'),
      'uk_24h', jsonb_build_object(
        'rate', dialer._stats_ratio(v_uk_abandoned - v_uk_machine_drops,
                                    v_uk_human - v_uk_machine_drops),
        'abandoned', v_uk_abandoned, 'estimated_machine_drops', round(v_uk_machine_drops, 2),
        'live', v_uk_human, 'machine', v_uk_machine,
        'window_start', v_uk_from, 'window_end', v_uk_from + interval '24 hours')),
    'attempts_per_lead', jsonb_build_object(
      'mean', dialer._stats_ratio(l.attempts, l.leads, 2),
      'mean_attempted', dialer._stats_ratio(l.attempts, l.leads - coalesce(l.by_attempts[1], 0), 2),
      'distribution', dialer._stats_distribution(l.by_attempts, 0, '16+')),
    'attempts_to_first_contact', jsonb_build_object(
      'contacted_leads', l.contacted_leads,
      'mean', dialer._stats_ratio(l.first_contact_attempts, l.contacted_leads, 2),
      'distribution', dialer._stats_distribution(l.by_first_contact, 1, '16+')),
    'talk_time', jsonb_build_object(
      'calls', c.talk_calls,
      'total_seconds', c.talk_seconds,
      'mean', dialer._stats_ratio(c.talk_seconds, c.talk_calls, 1),
      'p50', round(dialer.talk_time_quantile(c.talk_histogram, 0.5)::numeric, 1),
      'p90', round(dialer.talk_time_quantile(c.talk_histogram, 0.9)::numeric, 1),
      'p99', round(dialer.talk_time_quantile(c.talk_histogram, 0.99)::numeric, 1)),
    'cost', jsonb_build_object(
      'total', c.cost,
      'per_call', dialer._stats_ratio(c.cost, c.finished, 6),
      'per_connected_minute', dialer._stats_ratio(c.cost * 60, c.talk_seconds, 6),
      'per_contact', dialer._stats_ratio(c.cost, c.contacts, 6),
      'per_conversion', dialer._stats_ratio(c.cost, c.conversions, 6)),
    'penetration', dialer._stats_ratio(v_penetrated, l.leads),
    'completion', dialer._stats_ratio(v_final, l.leads),
    'by_attempt_number', (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
               'attempt', CASE WHEN a.i = 16 THEN '16+' ELSE a.i::text END,
               'finished', a.n,
               'contacts', coalesce(c.contacts_by_attempt[a.i], 0),
               'conversions', coalesce(c.conversions_by_attempt[a.i], 0),
               'contact_rate', dialer._stats_ratio(coalesce(c.contacts_by_attempt[a.i], 0), a.n))
             ORDER BY a.i), '[]')
        FROM unnest(c.finished_by_attempt) WITH ORDINALITY AS a (n, i)
       WHERE a.n <> 0));
END
$$;
COMMENT ON FUNCTION dialer.campaign_stats(uuid, timestamptz) IS
  'A campaign''s statistics as JSON: leads by status and due now, calls by status and outcome '
  'class, answer / human contact / voicemail / contact rates, conversion per contact and per lead, '
  'abandon rates (US 30 days, UK 24 h answering-machine adjusted), attempts per lead and to first '
  'contact, talk time mean and p50/p90/p99, cost per call / connected minute / contact / '
  'conversion, penetration, completion, results by attempt number. Reads kept counters (constant '
  'time) plus one index count of leads not yet due. PT404 unless the caller is a member of the '
  'campaign''s tenant. Definitions: docs/stats.md.';

CREATE OR REPLACE FUNCTION dialer.campaign_dialability(
  p_campaign_id uuid,
  p_now timestamptz DEFAULT now(),
  p_limit integer DEFAULT 10000)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_tenant uuid := dialer._stats_visible_campaign(p_campaign_id);
  v_status dialer.campaign_status;
  v_waiting bigint;
  v_lead uuid;
  v_explain jsonb;
  v_reason text;
  v_scanned bigint := 0;
  v_dialable bigint := 0;
  v_by_rule jsonb := '{}';
BEGIN
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 1000000 THEN
    RAISE EXCEPTION 'invalid p_limit: %', coalesce(p_limit::text, 'NULL')
      USING ERRCODE = '22023', DETAIL = 'p_limit must be between 1 and 1000000.',
            HINT = 'Pass p_limit between 1 and 1000000 (the most waiting leads to decide on).';
  END IF;
  SELECT c.status INTO v_status FROM dialer.campaigns c WHERE c.tenant_id = v_tenant AND c.id = p_campaign_id;
  SELECT count(*) INTO v_waiting FROM dialer.leads l
   WHERE l.tenant_id = v_tenant AND l.campaign_id = p_campaign_id AND l.status IN ('pending', 'scheduled');
  -- One scheduler decision per waiting lead, the ones due soonest first: this is the
  -- report that costs O(leads), bounded by p_limit.
  FOR v_lead IN
    SELECT l.id FROM dialer.leads l
     WHERE l.tenant_id = v_tenant AND l.campaign_id = p_campaign_id AND l.status IN ('pending', 'scheduled')
     ORDER BY l.next_attempt_at NULLS FIRST, l.id
     LIMIT p_limit
  LOOP
    v_scanned := v_scanned + 1;
    BEGIN
      v_explain := dialer._explain_lead(v_tenant, v_lead, p_now);
      v_reason := CASE WHEN v_explain ->> 'status' <> 'never'
                        AND (v_explain ->> 'next_attempt_at')::timestamptz <= p_now THEN NULL
                       ELSE coalesce(v_explain ->> 'reason', 'other') END;
    EXCEPTION WHEN data_exception THEN
      -- Why caught: one lead edited into a state the scheduler refuses (an attempt
      -- count without its outcome, say) must not hide the rest of the report.
      v_reason := 'invalid_lead_state';
    END;
    IF v_reason IS NULL THEN
      v_dialable := v_dialable + 1;
    ELSE
      v_by_rule := v_by_rule || jsonb_build_object(v_reason, coalesce((v_by_rule ->> v_reason)::bigint, 0) + 1);
    END IF;
  END LOOP;
  RETURN jsonb_build_object(
    'campaign_id', p_campaign_id, 'as_of', p_now, 'campaign_status', v_status,
    'campaign_blocks_all', v_status <> 'running', 'waiting', v_waiting,
    'scanned', v_scanned, 'complete', v_scanned = v_waiting, 'dialable_now', v_dialable,
    'blocked', (SELECT coalesce(jsonb_object_agg(k.category, k.n), '{}')
                  FROM (SELECT dialer._stats_block_category(r.key) AS category, sum(r.value::bigint) AS n
                          FROM jsonb_each_text(v_by_rule) AS r GROUP BY 1) AS k),
    'blocked_by_rule', v_by_rule);
END
$$;
COMMENT ON FUNCTION dialer.campaign_dialability(uuid, timestamptz, integer) IS
  'Which waiting leads (pending or scheduled) of a campaign the scheduler would let be called at '
  'p_now, and why the others may not: counts by category (window, cap, cool_down, suppression, '
  'consent, schedule, other) and by scheduler rule. Not constant time: one scheduler decision '
  'per waiting lead, due soonest first, at most p_limit (complete says whether all were seen). '
  'campaign_blocks_all is true when the campaign itself is not running. PT404 unless the caller '
  'is a member of the campaign''s tenant.';

REVOKE EXECUTE ON FUNCTION dialer._number_zones(text, text), dialer._plan_lead(uuid, uuid, timestamptz, text), dialer.claim_calls(uuid, text, integer, interval, timestamptz), dialer.claim_tenant_calls(uuid, text, integer, interval, timestamptz) FROM PUBLIC;
INSERT INTO dialer.api_grants (function, grantee) SELECT f::regprocedure, g FROM unnest(ARRAY['dialer.claim_calls(uuid, text, integer, interval, timestamptz)', 'dialer.claim_tenant_calls(uuid, text, integer, interval, timestamptz)', 'dialer._number_zones(text, text)']) f, unnest(ARRAY['authenticated', 'service_role']) g;
REVOKE EXECUTE ON FUNCTION dialer._check_dial_legal(dialer.calls, timestamptz), dialer._record_late_opt_out(dialer.calls, text, timestamptz), dialer._replan_number(uuid, text, uuid, timestamptz) FROM PUBLIC;

-- The grants of the new registry rows (as the install script's last step does).
SELECT dialer.grant_api_access();
