-- Rule packs are data: the operator reads every rule with its figures and source, adds a
-- state (its pack, rules and area codes) or corrects an own pack's figure without C++, and
-- the planner applies the change at once in every session; built-in rows change only
-- with releases; bad rows are refused when written, naming the bad field.
\set QUIET on
BEGIN;
SELECT plan(24);
SET LOCAL client_min_messages = warning;

-- ---- what is enforced is readable, rule by rule, with its legal source -------------------
SELECT is((SELECT count(*) FROM dialer.rule_pack_rules WHERE source !~ '[0-9]'), 0::bigint,
          'every rule cites its source with an article or section number');
SELECT is((SELECT figures FROM dialer.rule_pack_rules WHERE rule_pack = 'us_fl' AND rule = 'cap'),
          '{"max": 3, "per": "24h"}', 'Florida: 3 calls per 24 h');
SELECT matches((SELECT source FROM dialer.rule_pack_rules WHERE rule_pack = 'us_fl' AND rule = 'cap'),
               '501\.616\(6\)\(b\)', '... citing Fla. Stat. 501.616(6)(b)');
SELECT is((SELECT figures FROM dialer.rule_pack_rules WHERE rule_pack = 'fr' AND rule = 'after_refusal'),
          '{"wait": "60d"}', 'France: 60 days after a refusal');
SELECT is((SELECT figures -> 'days' -> 'mon' FROM dialer.rule_pack_rules
            WHERE rule_pack = 'us_ok' AND applies_to = 'artificial_voice'), '[["09:00", "21:00"]]',
          'Oklahoma: 09:00-21:00 for artificial voices');
SELECT matches((SELECT source FROM dialer.rule_pack_rules WHERE rule_pack = 'us_ok' AND applies_to = 'artificial_voice'),
               '755\.1', '... citing 15 O.S. 755.1');

-- ---- the operator adds a state: pack, rules, area codes --------------------------------
INSERT INTO dialer.rule_packs (name, title, country, default_scope) VALUES ('us_tx_demo', 'Texas (demo)', 'US', 'area_codes');
INSERT INTO dialer.rule_pack_rules (rule_pack, rule, figures, source) VALUES
  ('us_tx_demo', 'calling_window', '{"days": {"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]]}}', 'Demo Code 1.1'),
  ('us_tx_demo', 'cap', '{"max": 1, "per": "1h"}', 'Demo Code 1.2');
INSERT INTO dialer.rule_pack_area_codes (rule_pack, area_code) VALUES ('us_tx_demo', '512');
SELECT is(dialer.default_rule_packs('+15125550100'), '{us_federal,us_tx_demo}',
          'an Austin number gets the new state''s pack by default');
-- Tuesday 24 Nov 2026, Austin is UTC-6: 08:30 local is open federally, not under the new pack.
CREATE FUNCTION pg_temp.next(p_packs text[], p_now timestamptz, p_recent timestamptz[] DEFAULT NULL)
RETURNS timestamptz LANGUAGE sql AS $$
  SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{America/Chicago}',
                                p_recent_calls => p_recent, p_rule_packs => p_packs, p_artificial_voice => false,
                                p_now => p_now)
$$;
SELECT is(pg_temp.next('{us_federal,us_tx_demo}', '2026-11-24T14:30:00Z'), '2026-11-24T15:00:00Z'::timestamptz,
          'its window applies: 08:30 waits for 09:00 local');
SELECT is(pg_temp.next('{us_federal,us_tx_demo}', '2026-11-24T16:00:00Z', '{2026-11-24T15:40:00Z}'),
          '2026-11-24T16:40:00Z'::timestamptz, 'its cap applies: one call per hour');
SELECT matches((dialer.explain_next_attempt('00000000-0000-0000-0000-000000000001', '{}', '{America/Chicago}',
                  p_recent_calls => '{2026-11-24T15:40:00Z}', p_rule_packs => '{us_tx_demo}',
                  p_artificial_voice => false, p_now => '2026-11-24T16:00:00Z') -> 'trail')::text,
               'Demo Code 1\.2', 'the explanation cites the rule''s own source');

-- ---- a correction takes effect at once, in this session and in others -------------------
UPDATE dialer.rule_pack_rules SET figures = '{"max": 1, "per": "2h"}' WHERE rule_pack = 'us_tx_demo' AND rule = 'cap';
SELECT is(pg_temp.next('{us_tx_demo}', '2026-11-24T16:00:00Z', '{2026-11-24T15:40:00Z}'),
          '2026-11-24T17:40:00Z'::timestamptz, 'a corrected figure is applied by the next decision');
SELECT is(dialer._rule_history_horizon('{}', '{us_tx_demo}'), 7200::bigint,
          '... and the history read follows it');
DELETE FROM dialer.rule_pack_rules WHERE rule_pack = 'us_tx_demo' AND rule = 'cap';
SELECT is(pg_temp.next('{us_tx_demo}', '2026-11-24T16:00:00Z', '{2026-11-24T15:40:00Z}'),
          '2026-11-24T16:00:00Z'::timestamptz, 'a removed rule no longer applies');

-- ---- bad rows are refused when written, naming the bad field ----------------------------
SELECT throws_like($$ INSERT INTO dialer.rule_pack_rules (rule_pack, rule, figures, source)
                      VALUES ('us_tx_demo', 'cap', '{"max": 0, "per": "1h"}', 'Demo 2') $$,
                   '%$.figures.max%', 'a cap of 0 calls is refused, naming $.figures.max');
SELECT throws_ok($$ INSERT INTO dialer.rule_pack_rules (rule_pack, rule, figures, source)
                    VALUES ('us_tx_demo', 'curfew', '{}', 'Demo 2') $$, '22023', NULL,
                 'an unknown kind of rule is refused (22023)');
SELECT throws_like($$ INSERT INTO dialer.rule_pack_rules (rule_pack, rule, figures, source)
                      VALUES ('us_tx_demo', 'calling_window', '{"holidays": ["tx"]}', 'Demo 2') $$,
                   '%holidays[0]%not a holiday calendar%', 'an unknown holiday calendar is refused');
SELECT throws_ok($$ INSERT INTO dialer.rule_pack_rules (rule_pack, rule, figures, source)
                    VALUES ('us_tx', 'cap', '{"max": 1, "per": "1h"}', 'Demo 2') $$, '23503', NULL,
                 'a rule of an unknown pack is refused (23503)');
SELECT throws_ok($$ INSERT INTO dialer.rule_pack_rules (rule_pack, rule, figures, source)
                    VALUES ('us_tx_demo', 'cap', '{"max": 1, "per": "1h"}', 'no article') $$, '23514', NULL,
                 'a rule without an article number in its source is refused (23514)');

-- ---- built-in rows change only with releases ---------------------------------------------
SELECT throws_ok($$ UPDATE dialer.rule_pack_rules SET source = 'Fla. Stat. 1' WHERE rule_pack = 'us_fl' $$,
                 '42501', NULL, 'a built-in rule cannot be edited (42501)');
SELECT throws_ok($$ DELETE FROM dialer.rule_pack_area_codes WHERE rule_pack = 'us_fl' $$,
                 '42501', NULL, 'a built-in area code cannot be removed');
SELECT throws_ok($$ INSERT INTO dialer.rule_packs (name, title, country, builtin) VALUES ('x', 'X', 'US', true) $$,
                 '42501', NULL, 'nobody marks an own pack built-in');

-- ---- packs in use ---------------------------------------------------------------------
INSERT INTO dialer.tenants (id, name, default_region) VALUES ('aaaaaaaa-0000-0000-0000-0000000000b1', 'T', 'US');
INSERT INTO dialer.campaigns (tenant_id, name, rule_packs)
VALUES ('aaaaaaaa-0000-0000-0000-0000000000b1', 'tx', '{us_federal,us_tx_demo}');
SELECT throws_ok($$ DELETE FROM dialer.rule_packs WHERE name = 'us_tx_demo' $$, '23503', NULL,
                 'a pack a campaign names cannot be deleted (23503)');
SELECT throws_like($$ INSERT INTO dialer.campaigns (tenant_id, name, rule_packs)
                      VALUES ('aaaaaaaa-0000-0000-0000-0000000000b1', 'typo', '{us_tx_dem}') $$,
                   '%rule pack "us_tx_dem" is not known%', 'a campaign naming an unknown pack is refused, naming it');

-- ---- only a release replaces the built-in packs (extension_upgrade.sh: the operator's stay) ----
SELECT throws_ok($$ SELECT dialer._install_builtin_rule_packs('[]') $$, '42501', NULL,
                 'outside CREATE/ALTER EXTENSION the built-in packs cannot be replaced');

SELECT * FROM finish();
ROLLBACK;
