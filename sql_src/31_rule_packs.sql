-- Rule packs as data: each pack and its rules (calling windows, caps, cool-downs, each
-- with its legal source), in tables that the operator reads and extends and that the
-- C++ planner loads (src/pg/rule_pack_store.cpp; it applies them, nothing else does),
-- with the triggers that keep built-in rows to releases and tell every backend of a
-- change. docs/schedule.md, "Rule packs". The built-in packs themselves, the area codes
-- of state packs and the defaults per number are in 32_rule_pack_defaults.sql.

CREATE TABLE dialer.rule_packs (
  name          text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
  title         text NOT NULL CHECK (title <> ''),
  country       text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  default_scope text NOT NULL DEFAULT 'none' CHECK (default_scope IN ('country', 'area_codes', 'none')),
  builtin       boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE dialer.rule_packs IS
  'Rule packs: named sets of legal calling rules (dialer.rule_pack_rules) that campaigns name in '
  'rule_packs. Built-in packs ship with pg_dialer and change only with its releases; the operator '
  'adds packs of their own (builtin = false, kept by pg_dump).';
COMMENT ON COLUMN dialer.rule_packs.name IS 'The name campaigns use in rule_packs, e.g. us_fl.';
COMMENT ON COLUMN dialer.rule_packs.title IS 'Who the rules are for, e.g. Florida.';
COMMENT ON COLUMN dialer.rule_packs.country IS 'ISO 3166-1 alpha-2 country whose law the pack holds.';
COMMENT ON COLUMN dialer.rule_packs.default_scope IS
  'Which numbers get the pack when their campaign names no packs: country (every number of the '
  'country), area_codes (numbers of the area codes listed in dialer.rule_pack_area_codes) or none.';
COMMENT ON COLUMN dialer.rule_packs.builtin IS
  'True for packs shipped with pg_dialer (changed only by CREATE/ALTER EXTENSION).';

CREATE FUNCTION dialer.check_rule_pack_rule(p_rule text, p_applies_to text, p_figures jsonb)
RETURNS boolean
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_check_rule_pack_rule';
COMMENT ON FUNCTION dialer.check_rule_pack_rule(text, text, jsonb) IS
  'True when a rule pack rule is well formed (the planner''s own reader); otherwise 22023 naming '
  'the bad field. The CHECK constraint of dialer.rule_pack_rules.';
REVOKE EXECUTE ON FUNCTION dialer.check_rule_pack_rule(text, text, jsonb) FROM PUBLIC;

CREATE TABLE dialer.rule_pack_rules (
  rule_pack  text NOT NULL REFERENCES dialer.rule_packs (name) ON UPDATE CASCADE ON DELETE CASCADE,
  rule       text NOT NULL,
  applies_to text NOT NULL DEFAULT 'every_call',
  figures    jsonb NOT NULL,
  source     text NOT NULL CHECK (source ~ '[0-9]'),
  builtin    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (rule_pack, rule, applies_to, figures),
  CONSTRAINT rule_pack_rules_valid CHECK (dialer.check_rule_pack_rule(rule, applies_to, figures))
);
COMMENT ON TABLE dialer.rule_pack_rules IS
  'Every rule a rule pack enforces, with its figures and legal source: calling_window (figures: a '
  'calling-windows document; applies_to every_call, or artificial_voice for calls by a recorded or '
  'synthesized voice), cap ({"max": 3, "per": "24h"}: at most max calls to the number in any '
  'rolling period), after_abandoned and after_refusal ({"wait": "72h"}). Windows of all packs, the '
  'campaign and the contact intersect; every cap and wait applies.';
COMMENT ON COLUMN dialer.rule_pack_rules.rule IS 'calling_window, cap, after_abandoned or after_refusal.';
COMMENT ON COLUMN dialer.rule_pack_rules.applies_to IS
  'every_call, or artificial_voice (calling windows only: campaigns with artificial_voice = true).';
COMMENT ON COLUMN dialer.rule_pack_rules.figures IS
  'The rule''s figures, checked when written (22023 naming the bad field).';
COMMENT ON COLUMN dialer.rule_pack_rules.source IS 'The legal source, with its article or section number.';
COMMENT ON COLUMN dialer.rule_pack_rules.builtin IS 'True for rules shipped with pg_dialer.';

-- Why dump only the operator's rows: CREATE EXTENSION seeds the built-in ones, and a
-- dump that carried them too would collide with that seed on restore.
SELECT pg_catalog.pg_extension_config_dump('dialer.rule_packs', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('dialer.rule_pack_rules', 'WHERE NOT builtin');

CREATE FUNCTION dialer._in_extension_script()
RETURNS boolean
LANGUAGE c STABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_in_extension_script';
COMMENT ON FUNCTION dialer._in_extension_script() IS
  'Internal: true while CREATE or ALTER EXTENSION pg_dialer runs its script.';
REVOKE EXECUTE ON FUNCTION dialer._in_extension_script() FROM PUBLIC;

-- Built-in rows change only with a release: an edit would be lost by pg_dump (which
-- keeps the operator's rows only) and undone by the next ALTER EXTENSION UPDATE.
CREATE FUNCTION dialer._guard_builtin_rule_packs()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF dialer._in_extension_script() THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF (TG_OP <> 'INSERT' AND OLD.builtin) OR (TG_OP <> 'DELETE' AND NEW.builtin) THEN
    RAISE EXCEPTION 'built-in rows of dialer.% are changed only by pg_dialer releases', TG_TABLE_NAME
      USING ERRCODE = '42501',
            DETAIL = 'Built-in rule packs ship with pg_dialer; ALTER EXTENSION pg_dialer UPDATE replaces them.',
            HINT = 'Add a pack of your own (builtin = false) with the corrected rules and name it in '
                   'campaigns.rule_packs, or report the correction to pg_dialer.';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION dialer._guard_builtin_rule_packs() IS
  'Internal trigger: refuses inserting, changing or deleting built-in rule pack rows outside the '
  'extension''s own scripts (42501).';
REVOKE EXECUTE ON FUNCTION dialer._guard_builtin_rule_packs() FROM PUBLIC;

CREATE FUNCTION dialer._rule_packs_changed()
RETURNS trigger
LANGUAGE c
AS 'MODULE_PATHNAME', 'dialer_rule_packs_changed';
COMMENT ON FUNCTION dialer._rule_packs_changed() IS
  'Internal statement trigger: tells every backend to read the rule pack tables again.';
REVOKE EXECUTE ON FUNCTION dialer._rule_packs_changed() FROM PUBLIC;

-- A pack still named by a campaign cannot be removed or renamed (its calls would fail).
CREATE FUNCTION dialer._guard_rule_pack_in_use()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER  -- why: campaigns of every tenant must be seen, whatever RLS shows the caller
SET search_path = ''
AS $$
DECLARE
  v_campaign uuid;
BEGIN
  SELECT c.id INTO v_campaign FROM dialer.campaigns c WHERE OLD.name = ANY (c.rule_packs) LIMIT 1;
  IF v_campaign IS NOT NULL THEN
    RAISE EXCEPTION 'rule pack "%" is named by campaign %', OLD.name, v_campaign
      USING ERRCODE = '23503',
            DETAIL = 'Campaigns name rule packs in rule_packs; every claim would fail without it.',
            HINT = 'Remove the pack from those campaigns'' rule_packs first.';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION dialer._guard_rule_pack_in_use() IS
  'Internal trigger: refuses deleting or renaming a rule pack a campaign names (23503).';
REVOKE EXECUTE ON FUNCTION dialer._guard_rule_pack_in_use() FROM PUBLIC;

CREATE TRIGGER dialer_rule_pack_in_use BEFORE DELETE OR UPDATE OF name ON dialer.rule_packs
  FOR EACH ROW EXECUTE FUNCTION dialer._guard_rule_pack_in_use();
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['rule_packs', 'rule_pack_rules'] LOOP
    EXECUTE format('CREATE TRIGGER dialer_guard_builtin BEFORE INSERT OR UPDATE OR DELETE ON dialer.%I '
                   'FOR EACH ROW EXECUTE FUNCTION dialer._guard_builtin_rule_packs()', t);
    EXECUTE format('CREATE TRIGGER dialer_rule_packs_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                   'ON dialer.%I FOR EACH STATEMENT EXECUTE FUNCTION dialer._rule_packs_changed()', t);
  END LOOP;
END
$$;

-- service_role writes the operator's own packs: their CHECK and trigger call these.
INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, 'service_role'
  FROM unnest(ARRAY['dialer.check_rule_pack_rule(text, text, jsonb)',
                    'dialer._in_extension_script()']) AS f;
