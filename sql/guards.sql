-- The guards' C functions: limits, rule-pack names, the history horizon, the number's
-- region, a rule pack rule's check, and the packs' rules as stored (error texts pinned).
SELECT dialer._limit('max_import_rows') AS import_rows, dialer._limit('max_clock_skew') AS skew_seconds,
       dialer._limit('max_timeseries_buckets') AS buckets, dialer._limit('max_concurrent_calls') AS concurrent;
SELECT dialer._limit('max_rows');
SELECT dialer.check_rule_packs('{us_federal,us_fl,fr}');
SELECT dialer.check_rule_packs('{us_fla}');
SELECT dialer._rule_history_horizon('{"classes": {"no_answer": {"delays": ["1h"]}}}', '{fr}') AS fr_seconds,
       dialer._rule_history_horizon('{"classes": {"no_answer": {"delays": ["1h"]}}}', '{}') AS none_seconds;
SELECT dialer._rule_history_horizon(NULL, '{fr}');
SELECT dialer._rule_history_horizon('{"classes": {"no_answer": {"delays": ["1h"]}}}', '{nope}');
SELECT dialer._number_region('+33612345678') AS fr, dialer._number_region('+13055550100') AS us,
       dialer._number_region('+12125550100') AS us_again, dialer._number_region('12') IS NULL AS invalid;
SELECT dialer.default_rule_packs('+18502001234') AS fl, dialer.default_rule_packs('+14165550100') AS ca;
SELECT rule_pack, rule, applies_to, figures ->> 'max' AS max, figures ->> 'per' AS per,
       figures ->> 'wait' AS wait FROM dialer.rule_pack_rules ORDER BY 1, 2, 3;
SELECT dialer.check_rule_pack_rule('cap', 'every_call', '{"max": 3, "per": "24h"}');
SELECT dialer.check_rule_pack_rule('cap', 'every_call', '{"max": 3, "per": "1y"}');
SELECT dialer.check_rule_pack_rule('after_refusal', 'artificial_voice', '{"wait": "1d"}');
SELECT dialer.check_rule_pack_rule('calling_window', 'every_call', '{"days": {"mon": [["09:00", "09:00"]]}}');
SELECT p.oid::regprocedure, p.provolatile, p.proisstrict
  FROM pg_proc p WHERE p.pronamespace = 'dialer'::regnamespace
   AND p.proname IN ('_limit', 'check_rule_packs', '_rule_history_horizon', '_number_region',
                     'default_rule_packs', 'check_rule_pack_rule', '_in_extension_script')
 ORDER BY 1::text;
