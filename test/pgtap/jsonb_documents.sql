-- jsonb in and out of the C++ code without a text round trip (src/pg/jsonb.cpp): the
-- documents read from jsonb give the errors the text reader gave (a document nested
-- deeper than 64 levels: 22P02 at the byte offset of the jsonb's text form, escapes
-- counted as jsonb prints them), scalars and numbers are read as before, rule packs are
-- read from their jsonb with their strings intact, and the jsonb results (phone_info,
-- explain_next_attempt) keep their strings, numbers and nulls.
BEGIN;
SELECT plan(13);

-- SQLSTATE, message and DETAIL of the error q raises, or 'no error'.
CREATE FUNCTION pg_temp.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  detail text;
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || SQLERRM || ' / ' || detail;
END
$$;

SELECT is(pg_temp.error_of($q$SELECT dialer.check_retry_policy((repeat('[', 70) || '1' || repeat(']', 70))::jsonb)$q$),
          '22P02: the retry policy is not valid JSON / At byte 65: nesting deeper than 64 levels.',
          'an array nested 70 deep: the text reader''s error and byte offset');
SELECT is(pg_temp.error_of($q$SELECT dialer.check_retry_policy(('{"classes": {"busy": {"delays": ' || repeat('[', 66) || repeat(']', 66) || '}}}')::jsonb)$q$),
          '22P02: the retry policy is not valid JSON / At byte 94: nesting deeper than 64 levels.',
          'too deep under object members: the offset is just after the colon');
SELECT is(pg_temp.error_of($q$SELECT dialer.check_retry_policy(('{"a\nb": "x\ty", "classes": {"no_answer": [1, "\u0001", ' || repeat('{"k": ', 66) || '1' || repeat('}', 66) || ']}}')::jsonb)$q$),
          '22P02: the retry policy is not valid JSON / At byte 427: nesting deeper than 64 levels.',
          'escapes before the deep value count as jsonb prints them');
SELECT is(pg_temp.error_of($q$SELECT dialer.check_retry_policy(('[1, ' || repeat('[', 64) || '1' || repeat(']', 64) || ']')::jsonb)$q$),
          '22P02: the retry policy is not valid JSON / At byte 68: nesting deeper than 64 levels.',
          'too deep after a first element: the offset is just after the comma');
SELECT is(pg_temp.error_of($q$SELECT dialer.check_retry_policy(('[1, ' || repeat('[', 63) || '1' || repeat(']', 63) || ']')::jsonb)$q$),
          '22023: invalid retry policy: $ must be an object, not an array / The retry policy gives an array where an object is expected.',
          '64 levels are read');
SELECT is(pg_temp.error_of($q$SELECT dialer.check_rule_pack_rule('cap', 'every_call', ('{"max": ' || repeat('[', 70) || repeat(']', 70) || '}')::jsonb)$q$),
          '22P02: the rule pack rule figures is not valid JSON / At byte 72: nesting deeper than 64 levels.',
          'rule pack figures: the same depth error');
SELECT is(pg_temp.error_of($q$SELECT dialer.check_retry_policy('5')$q$),
          '22023: invalid retry policy: $ must be an object, not 5 / The retry policy gives 5 where an object is expected.',
          'a scalar document is read as its scalar');
SELECT ok(dialer.check_retry_policy('{"max_attempts": 1e1}'), 'numbers are read as numeric_out prints them (1e1 is 10)');
SELECT is(pg_temp.error_of($q$SELECT dialer.check_retry_policy('{"max_attempts": 6.0}')$q$),
          '22023: invalid retry policy: $.max_attempts is 6.0, not an integer from 1 to 1000 / The value must be a whole number in that range.',
          'a number keeps its scale (6.0 is not an integer)');
SELECT is(dialer.phone_info(E'a"b\\c\n\u0001é', 'US') ->> 'input', E'a"b\\c\n\u0001é',
          'phone_info: a string with quotes, backslashes and control characters comes back intact');
SELECT is(jsonb_typeof(dialer.phone_info('+1 650 253 0000', 'US') -> 'country_code'), 'number',
          'phone_info: country_code is a number');
SELECT is(dialer.explain_next_attempt('00000000-0000-0000-0000-000000000001', '{"max_attempts": 1}',
            '{America/New_York,Europe/Paris}', 1, 'no_answer', 1, '2025-06-04 10:00Z', NULL, NULL, NULL, NULL,
            NULL, NULL, false, true, true, NULL, NULL, '2025-06-04 12:00Z'),
          '{"trail": [{"rule": "max_attempts", "owner": "policy", "detail": "1 attempts used of 1 allowed"}],
            "zones": ["America/New_York", "Europe/Paris"], "detail": "1 attempts used of 1 allowed",
            "reason": "max_attempts", "status": "never", "next_attempt_at": null}'::jsonb,
          'explain_next_attempt: the whole document, null included');

-- A rule pack whose source holds non-ASCII text, quotes, a backslash and control
-- characters: the planner reads the packs as one jsonb document and cites it unchanged.
INSERT INTO dialer.rule_packs (name, title, country) VALUES ('jsonb_demo', E'D\u00e9mo \u00ab\u00f6\u00bb \u2713', 'US');
INSERT INTO dialer.rule_pack_rules (rule_pack, rule, figures, source) VALUES
  ('jsonb_demo', 'cap', '{"max": 1, "per": "1h"}', E'Code \u00e9\u2713 "q" \\ b\nl\tt \u0001 \U0001F4DE 1.2');
SELECT is((SELECT t ->> 'source'
             FROM jsonb_array_elements(dialer.explain_next_attempt(
                    '00000000-0000-0000-0000-000000000001', '{}', '{America/Chicago}',
                    p_recent_calls => '{2026-11-24T15:40:00Z}', p_rule_packs => '{jsonb_demo}',
                    p_artificial_voice => false, p_now => '2026-11-24T16:00:00Z') -> 'trail') t
            WHERE t ->> 'owner' = 'jsonb_demo'),
          (SELECT source FROM dialer.rule_pack_rules WHERE rule_pack = 'jsonb_demo'),
          'a rule pack''s source comes back byte for byte (non-ASCII, quotes, backslash, control characters)');

SELECT * FROM finish();
ROLLBACK;
