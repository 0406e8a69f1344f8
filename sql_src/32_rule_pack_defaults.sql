-- The built-in rule packs (data/rule_packs.json), the area codes a state's pack
-- covers, names checked when written, the call history the rules in force look back
-- over, and the packs a recipient gets when the campaign names none (fail closed: a
-- campaign without rule packs still obeys the law of the country and state it calls).
-- docs/schedule.md, "Rule packs".

-- Which NANP area codes a state's rule pack covers by default.
CREATE TABLE dialer.rule_pack_area_codes (
  rule_pack text NOT NULL REFERENCES dialer.rule_packs (name) ON UPDATE CASCADE ON DELETE CASCADE,
  area_code text NOT NULL CHECK (area_code ~ '^[2-9][0-9]{2}$'),
  builtin   boolean NOT NULL DEFAULT false,
  PRIMARY KEY (area_code, rule_pack)
);
COMMENT ON TABLE dialer.rule_pack_area_codes IS
  'The US state rule packs applied by default to numbers of each area code (a campaign without '
  'rule_packs gets us_federal plus these for a US number). The operator adds area codes (an '
  'overlay) as rows with builtin = false.';
COMMENT ON COLUMN dialer.rule_pack_area_codes.builtin IS 'True for rows shipped with pg_dialer.';

CREATE TRIGGER dialer_guard_builtin BEFORE INSERT OR UPDATE OR DELETE ON dialer.rule_pack_area_codes
  FOR EACH ROW EXECUTE FUNCTION dialer._guard_builtin_rule_packs();
CREATE TRIGGER dialer_rule_packs_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON dialer.rule_pack_area_codes FOR EACH STATEMENT EXECUTE FUNCTION dialer._rule_packs_changed();
SELECT pg_catalog.pg_extension_config_dump('dialer.rule_pack_area_codes', 'WHERE NOT builtin');

-- Replaces the built-in packs with those of a release's document (data/rule_packs.json);
-- the operator's own packs and rows are kept. Run by the install and upgrade scripts.
CREATE FUNCTION dialer._install_builtin_rule_packs(p_packs jsonb)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  DELETE FROM dialer.rule_pack_rules WHERE builtin;
  DELETE FROM dialer.rule_pack_area_codes WHERE builtin;
  INSERT INTO dialer.rule_packs AS p (name, title, country, default_scope, builtin)
  SELECT x.name, x.title, x.country, x.default_scope, true
    FROM jsonb_to_recordset(p_packs) AS x(name text, title text, country text, default_scope text)
  ON CONFLICT (name) DO UPDATE
     SET title = EXCLUDED.title, country = EXCLUDED.country,
         default_scope = EXCLUDED.default_scope, builtin = true;
  INSERT INTO dialer.rule_pack_rules (rule_pack, rule, applies_to, figures, source, builtin)
  SELECT p ->> 'name', r.rule, r.applies_to, r.figures, r.source, true
    FROM jsonb_array_elements(p_packs) AS p,
         jsonb_to_recordset(p -> 'rules') AS r(rule text, applies_to text, figures jsonb, source text);
  INSERT INTO dialer.rule_pack_area_codes (rule_pack, area_code, builtin)
  SELECT p ->> 'name', a, true
    FROM jsonb_array_elements(p_packs) AS p, jsonb_array_elements_text(p -> 'area_codes') AS a
  ON CONFLICT (area_code, rule_pack) DO UPDATE SET builtin = true;
  DELETE FROM dialer.rule_packs
   WHERE builtin AND name NOT IN (SELECT x ->> 'name' FROM jsonb_array_elements(p_packs) AS x);
END
$$;
COMMENT ON FUNCTION dialer._install_builtin_rule_packs(jsonb) IS
  'Internal: replaces the built-in rule packs with a release''s (install and upgrade scripts only).';
REVOKE EXECUTE ON FUNCTION dialer._install_builtin_rule_packs(jsonb) FROM PUBLIC;

SELECT dialer._install_builtin_rule_packs($rule_packs$
-- @include data/rule_packs.json
$rule_packs$);

CREATE FUNCTION dialer.check_rule_packs(p_rule_packs text[])
RETURNS boolean
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_check_rule_packs';
COMMENT ON FUNCTION dialer.check_rule_packs(text[]) IS
  'True when every name is a rule pack of dialer.rule_packs; otherwise raises 22023 naming the '
  'unknown one and listing the known ones. campaigns.rule_packs is checked with it when written.';
REVOKE EXECUTE ON FUNCTION dialer.check_rule_packs(text[]) FROM PUBLIC;

CREATE FUNCTION dialer._rule_history_horizon(p_retry_policy jsonb, p_rule_packs text[])
RETURNS bigint
LANGUAGE c STABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_rule_history_horizon';
COMMENT ON FUNCTION dialer._rule_history_horizon(jsonb, text[]) IS
  'Internal: seconds of call history the policy''s and packs'' rules look back over (the longest '
  'rolling cap, minimum gap and cool-down after an abandoned call or a refusal).';
REVOKE EXECUTE ON FUNCTION dialer._rule_history_horizon(jsonb, text[]) FROM PUBLIC;

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
-- Why C: it runs twice per scheduling decision; src/pg/default_rule_packs.cpp remembers
-- the answer per region and NANP area code in each backend until dialer.rule_packs or
-- dialer.rule_pack_area_codes change, instead of querying (and locking) both tables every
-- time. Not STRICT: a NULL number gets no pack, as an invalid one does.
CREATE FUNCTION dialer.default_rule_packs(p_phone text)
RETURNS text[]
LANGUAGE c STABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_default_rule_packs';
COMMENT ON FUNCTION dialer.default_rule_packs(text) IS
  'The rule packs for a number when its campaign names none: the packs of its country with '
  'default_scope country, and for a NANP number those of its area code (dialer.rule_pack_area_codes): '
  'US numbers us_federal plus their state''s, French fr, UK uk; {} for a country without packs '
  '(its calls obey the campaign''s and contact''s windows only).';
REVOKE EXECUTE ON FUNCTION dialer.default_rule_packs(text) FROM PUBLIC;

INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer.check_rule_packs(text[])', 'dialer.default_rule_packs(text)',
                    'dialer._number_region(text)']) AS f,
       unnest(ARRAY['authenticated', 'service_role']) AS g;
