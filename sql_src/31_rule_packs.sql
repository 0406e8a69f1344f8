-- Rule packs in the table-driven path: names checked when written, the call history
-- the rules in force look back over, and the packs a recipient gets when the campaign
-- names none (fail closed: a campaign without rule packs still obeys the law of the
-- country and state it calls). docs/schedule.md, "Rule packs in the queue".

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
