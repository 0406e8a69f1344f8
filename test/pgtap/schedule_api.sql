-- The scheduler's functions called the way PostgREST calls them: GET and POST
-- (STABLE functions run read-only), named arguments from JSON, errors as HTTP 400
-- with {code, message, details, hint}, anon refused, grants as documented.
BEGIN;
SELECT plan(12);

CREATE TEMP TABLE req AS SELECT
  '{"sub": "00000000-0000-0000-0000-0000000000a0"}'::jsonb AS claims,
  jsonb_build_object(
    'p_lead_id', '00000000-0000-0000-0000-000000000001',
    'p_retry_policy', '{"classes": {"no_answer": {"delays": ["2h"]}}}'::jsonb,
    'p_zones', '{America/New_York}',
    'p_attempts', 1, 'p_last_outcome', 'no_answer', 'p_class_attempts', 1,
    'p_last_attempt_at', '2024-06-03T23:30:00Z',
    'p_rule_packs', '{us_federal}', 'p_has_consent', true,
    'p_now', '2024-06-03T23:31:00Z') AS body;
GRANT SELECT ON req TO authenticated, anon;

SELECT is(test_helpers.postgrest_request('POST', 'dialer.next_attempt_at', (SELECT body FROM req),
            'authenticated', (SELECT claims FROM req)),
          '{"status": 200, "body": "2024-06-04T12:00:00+00:00"}',
          'POST next_attempt_at: the 2 h retry moves into the next morning''s federal window');
SELECT is(test_helpers.postgrest_request('GET', 'dialer.next_attempt_at', (SELECT body FROM req),
            'authenticated', (SELECT claims FROM req)) -> 'status', '200',
          'GET works too: the function is STABLE, so it runs in a read-only transaction');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.explain_next_attempt', (SELECT body FROM req),
            'authenticated', (SELECT claims FROM req)) #>> '{body,reason}', 'window',
          'explain_next_attempt over RPC names the window as the reason');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.explain_next_attempt', (SELECT body FROM req),
            'authenticated', (SELECT claims FROM req)) #> '{body,trail,-1,closed_by}', '["us_federal"]',
          'and which rule pack closed the window');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.next_attempt_at',
            (SELECT body || '{"p_has_consent": false}' FROM req), 'authenticated', (SELECT claims FROM req)),
          '{"status": 200, "body": null}', 'no consent for an AI voice: null (never)');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.next_attempt_at',
            (SELECT body || '{"p_retry_policy": {"classes": {"no_answer": {"delays": ["2 hours"]}}}}' FROM req),
            'authenticated', (SELECT claims FROM req)),
          '{"status": 400, "body": {"code": "22023", "message": "invalid retry policy: $.classes.no_answer.delays[0] is \"2 hours\", not a duration", "details": "A duration is a whole number of seconds or a string such as \"90s\", \"30m\", \"2h\", \"1d\" or \"1h30m\", at most 366 days.", "hint": "Write $.classes.no_answer.delays[0] like \"30m\" or 1800."}}',
          'a bad policy is 400 with the JSON path, DETAIL and HINT');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.next_attempt_at',
            (SELECT body || '{"p_zones": ["Mars/Olympus"]}' FROM req), 'authenticated', (SELECT claims FROM req))
          #>> '{body,message}', 'time zone "Mars/Olympus" is not known', 'an unknown zone is named');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.next_attempt_at',
            (SELECT body || '{"p_lead_id": null}' FROM req), 'authenticated', (SELECT claims FROM req)),
          '{"status": 400, "body": {"code": "22004", "message": "p_lead_id must not be NULL", "details": "The scheduler cannot decide without this argument.", "hint": "Pass a value for p_lead_id."}}',
          'a JSON null for a required argument is 400 (22004)');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.next_attempt_at', (SELECT body FROM req), 'anon') -> 'status',
          '401', 'anon may not call the scheduler');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.check_retry_policy',
            '{"p_retry_policy": {"max_attempts": 3}}', 'authenticated', (SELECT claims FROM req)),
          '{"status": 200, "body": true}', 'check_retry_policy over RPC');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.check_calling_windows',
            '{"p_calling_windows": {"days": {"mon": [["09:00", "09:00"]]}}}', 'authenticated', (SELECT claims FROM req))
          #>> '{body,message}', 'invalid calling windows: $.days.mon[0] starts and ends at the same time',
          'check_calling_windows names the bad range');
SELECT ok(NOT has_function_privilege('public', 'dialer.next_attempt_at(uuid, jsonb, text[], integer, text, integer, timestamptz, timestamptz[], timestamptz, timestamptz, jsonb, jsonb, text[], boolean, boolean, boolean, timestamptz, timestamptz, timestamptz)', 'EXECUTE'),
          'PUBLIC has no EXECUTE on next_attempt_at');

SELECT * FROM finish();
ROLLBACK;
