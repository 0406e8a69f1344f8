-- dialer.next_attempt_at / explain_next_attempt / check_* : exact answers and
-- every error the scheduler can raise, with its SQLSTATE, message, DETAIL and HINT.
\set SHOW_CONTEXT never
-- The SQLSTATE of a statement, caught in PL/pgSQL.
CREATE FUNCTION pg_temp.sqlstate_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
SET timezone = 'UTC';

-- First call on New York's spring-forward day: 08:00 EDT under the federal pack.
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{America/New_York}',
  p_rule_packs => '{us_federal}', p_has_consent => true,
  p_now => '2024-03-10 01:00 America/New_York');
-- A no-answer retried after 2 h, then moved into France's afternoon window.
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001',
  '{"classes": {"no_answer": {"delays": ["2h", "1d"]}}}', '{Europe/Paris}',
  p_attempts => 1, p_last_outcome => 'no_answer', p_class_attempts => 1,
  p_last_attempt_at => '2024-06-04 11:30 Europe/Paris', p_rule_packs => '{fr}',
  p_has_consent => true, p_now => '2024-06-04 11:31 Europe/Paris') AT TIME ZONE 'Europe/Paris' AS paris_local;
-- Never: no recorded consent for an AI voice; a human agent needs none.
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}',
  p_now => '2024-06-04 12:00') IS NULL AS never_without_consent;
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}',
  p_artificial_voice => false, p_now => '2024-06-04 12:00');
-- Never: suppressed, terminal outcome, no zone.
SELECT dialer.explain_next_attempt('00000000-0000-0000-0000-000000000001', '{}', '{UTC}',
  p_suppressed => true, p_has_consent => true, p_now => '2024-06-04 12:00');
SELECT dialer.explain_next_attempt('00000000-0000-0000-0000-000000000001', '{}', '{UTC}',
  p_attempts => 1, p_last_outcome => 'converted', p_class_attempts => 1,
  p_last_attempt_at => '2024-06-04 11:00', p_has_consent => true, p_now => '2024-06-04 12:00')
  -> 'detail';
SELECT dialer.explain_next_attempt('00000000-0000-0000-0000-000000000001', '{}', '{}',
  p_has_consent => true, p_now => '2024-06-04 12:00') ->> 'reason' AS reason;
-- An attempt in flight (no outcome yet): nothing is planned until its outcome is recorded.
SELECT dialer.explain_next_attempt('00000000-0000-0000-0000-000000000001', '{}', '{UTC}',
  p_attempts => 1, p_last_attempt_at => '2024-06-04 11:59', p_has_consent => true,
  p_now => '2024-06-04 12:00') ->> 'reason' AS reason;
-- Unknown results are not redialled unless the policy has a rule for them.
SELECT dialer.explain_next_attempt('00000000-0000-0000-0000-000000000001', '{}', '{UTC}',
  p_attempts => 1, p_last_outcome => 'unknown', p_class_attempts => 1,
  p_last_attempt_at => '2024-06-04 11:00', p_has_consent => true, p_now => '2024-06-04 12:00')
  ->> 'detail' AS unknown_detail;
-- Florida: the third call in 24 h waits for the first to be 24 h old; the explanation cites the pack.
SELECT e ->> 'next_attempt_at' AS next, e ->> 'reason' AS reason, e -> 'trail' -> -1 ->> 'owner' AS owner,
       e -> 'trail' -> -1 ->> 'source' AS source
  FROM dialer.explain_next_attempt('00000000-0000-0000-0000-000000000001',
    '{"classes": {"no_answer": {"delays": ["30m"], "max_attempts": 9}}}', '{America/New_York}',
    p_attempts => 3, p_last_outcome => 'no_answer', p_class_attempts => 3,
    p_last_attempt_at => '2024-06-03 15:00 America/New_York',
    p_recent_calls => '{"2024-06-03 09:00 America/New_York","2024-06-03 12:00 America/New_York"}',
    p_rule_packs => '{us_fl}', p_has_consent => true,
    p_now => '2024-06-03 15:01 America/New_York') AS e;
-- Several candidate zones: open only when open in all of them (New York and Phoenix).
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}',
  '{America/New_York,America/Phoenix}', p_rule_packs => '{us_federal}', p_has_consent => true,
  p_now => '2024-07-01 11:00');
-- The explanation's local times agree with PostgreSQL's AT TIME ZONE.
SELECT (e ->> 'next_attempt_at')::timestamptz AT TIME ZONE (e -> 'trail' -> -1 ->> 'zone')
       = (e -> 'trail' -> -1 ->> 'local_until')::timestamp AS agrees_with_at_time_zone
  FROM dialer.explain_next_attempt('00000000-0000-0000-0000-000000000001', '{}',
    '{Pacific/Chatham}', p_calling_windows => '{"days": {"sun": [["09:00", "17:00"]]}}',
    p_has_consent => true, p_now => '2024-09-29 02:00 Pacific/Chatham') AS e;
-- Open-ended campaigns may use infinity for their start and end.
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}',
  p_has_consent => true, p_campaign_starts_at => '-infinity', p_campaign_ends_at => 'infinity',
  p_now => '2024-06-04 12:00');
-- In one statement rows with different policies and zones get their own answers
-- (the per-call-site cache must notice every change).
SELECT zone, policy ->> 'min_gap' AS gap,
       dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', policy, ARRAY[zone],
         p_attempts => 1, p_last_outcome => 'busy', p_class_attempts => 1,
         p_last_attempt_at => '2024-06-04 12:00', p_has_consent => true,
         p_calling_windows => '{"days": {"tue": [["09:00", "18:00"]]}}',
         p_now => '2024-06-04 12:00') AS next
  FROM (VALUES ('Europe/Paris', '{"min_gap": "1h", "classes": {"busy": {"delays": ["10m"]}}}'::jsonb),
               ('Europe/Paris', '{"min_gap": "3h", "classes": {"busy": {"delays": ["10m"]}}}'),
               ('Asia/Tokyo', '{"min_gap": "3h", "classes": {"busy": {"delays": ["10m"]}}}'),
               ('Europe/Paris', '{"min_gap": "1h", "classes": {"busy": {"delays": ["10m"]}}}')) AS v(zone, policy);

-- Validation for CHECK constraints.
SELECT dialer.check_retry_policy('{"max_attempts": 6, "min_gap": "2h", "caps": [{"max": 3, "per": "24h"}],
  "cool_down": {"after_abandoned": "72h", "after_refusal": "60d"}, "terminal": ["human_incomplete"],
  "classes": {"no_answer": {"delays": ["30m", "2h", "1d"]},
              "busy": {"backoff": {"initial": "5m", "factor": 2, "max": "2h"}, "jitter": 0.2, "max_attempts": 5}}}');
SELECT dialer.check_calling_windows('{"days": {"mon": [["09:00", "12:00"], ["14:00", "18:00"]], "fri": [["22:00", "02:00"]]},
  "blackout_dates": ["2025-12-24"], "holidays": ["fr", "us_federal"]}');

-- Errors: retry policies (every message names the JSON path).
SELECT dialer.check_retry_policy('[]');
SELECT dialer.check_retry_policy('{"max_attempt": 3}');
SELECT dialer.check_retry_policy('{"max_attempts": 0}');
SELECT dialer.check_retry_policy('{"max_attempts": 2.5}');
SELECT dialer.check_retry_policy('{"min_gap": "2 hours"}');
SELECT dialer.check_retry_policy('{"classes": {"busy": {"delays": ["10m", "5x"]}}}');
SELECT dialer.check_retry_policy('{"classes": {"busy": {"delays": []}}}');
SELECT dialer.check_retry_policy('{"classes": {"bsy": {"delays": ["10m"]}}}');
SELECT dialer.check_retry_policy('{"classes": {"completed": {"delays": ["10m"]}}}');
SELECT dialer.check_retry_policy('{"terminal": ["voicemail"], "classes": {"voicemail": {"delays": ["1d"]}}}');
SELECT dialer.check_retry_policy('{"classes": {"busy": {"delays": ["10m"], "backoff": {"initial": "1m", "max": "1h"}}}}');
SELECT dialer.check_retry_policy('{"classes": {"busy": {}}}');
SELECT dialer.check_retry_policy('{"classes": {"busy": {"backoff": {"initial": "1m"}}}}');
SELECT dialer.check_retry_policy('{"classes": {"busy": {"backoff": {"initial": "1h", "max": "1m"}}}}');
SELECT dialer.check_retry_policy('{"classes": {"busy": {"backoff": {"initial": "1m", "max": "1h", "factor": 0.5}}}}');
SELECT dialer.check_retry_policy('{"classes": {"busy": {"delays": ["1m"], "jitter": 1.5}}}');
SELECT dialer.check_retry_policy('{"classes": {"busy": {"delays": ["1m"], "jitter": 0.1234}}}');
SELECT dialer.check_retry_policy('{"caps": [{"max": 3}]}');
SELECT dialer.check_retry_policy('{"caps": [{"max": 3, "per": "400d"}]}');
SELECT dialer.check_retry_policy('{"cool_down": {"after_hangup": "1d"}}');
SELECT dialer.check_retry_policy('{"terminal": ["voicemail", 7]}');
-- Errors: calling windows.
SELECT dialer.check_calling_windows('{"days": {"monday": [["09:00", "17:00"]]}}');
SELECT dialer.check_calling_windows('{"days": {"mon": [["09:00", "25:00"]]}}');
SELECT dialer.check_calling_windows('{"days": {"mon": [["24:00", "02:00"]]}}');
SELECT dialer.check_calling_windows('{"days": {"mon": [["9:00", "17:00"]]}}');
SELECT dialer.check_calling_windows('{"days": {"mon": [["09:00", "09:00"]]}}');
SELECT dialer.check_calling_windows('{"days": {"mon": [["09:00"]]}}');
SELECT dialer.check_calling_windows('{"days": {"mon": ["09:00-17:00"]}}');
SELECT dialer.check_calling_windows('{"blackout_dates": ["2025-02-29"]}');
SELECT dialer.check_calling_windows('{"holidays": ["de"]}');
-- Errors: arguments.
SELECT dialer.next_attempt_at(NULL, '{}', '{UTC}');
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', NULL, '{UTC}');
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{Mars/Olympus}');
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{../../etc/passwd}');
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC,NULL}');
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}', p_rule_packs => '{us_ca}');
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}',
  p_attempts => 1, p_last_outcome => 'hangup', p_class_attempts => 1, p_last_attempt_at => now());
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}', p_attempts => 2);
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}',
  p_attempts => 2, p_last_outcome => 'busy', p_class_attempts => 3, p_last_attempt_at => now());
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}',
  p_attempts => 1, p_class_attempts => 1, p_last_attempt_at => now());
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}', p_attempts => -1);
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}', p_last_outcome => 'busy');
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}', p_now => 'infinity');
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}', p_now => NULL);
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}', p_suppressed => NULL);
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}',
  p_recent_calls => ARRAY[now(), NULL]);
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}',
  p_calling_windows => '{"days": {"mon": [["09:00", "17:00"]], "tue": 5}}');
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}',
  p_contact_windows => '{"days": {"mon": [["09:00", "17:00"]]}, "weekends": false}');
SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}',
  p_now => '0044-03-15 BC');
-- The queue's lean variant (dialer._decide, over a dialer.schedule_inputs row) reads its inputs the same way.
SELECT * FROM dialer._decide(ROW(NULL, '{}', '{UTC}', 0, NULL, 0, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, false, false, false, NULL, NULL)::dialer.schedule_inputs, now());
SELECT * FROM dialer._decide(ROW('00000000-0000-0000-0000-000000000001', '{}', '{Mars/Olympus}',
  0, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, false, false, NULL, NULL)::dialer.schedule_inputs, now());
-- The SQLSTATEs, which PostgREST turns into HTTP 400.
SELECT s AS statement, pg_temp.sqlstate_of(s) AS sqlstate FROM (VALUES
  ($$SELECT dialer.check_retry_policy('{"classes": {"busy": {"delays": ["5x"]}}}')$$),
  ($$SELECT dialer.check_calling_windows('{"holidays": ["de"]}')$$),
  ($$SELECT dialer.next_attempt_at(NULL, '{}', '{UTC}')$$),
  ($$SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{Mars/Olympus}')$$),
  ($$SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}', p_attempts => 2)$$),
  ($$SELECT dialer.next_attempt_at('00000000-0000-0000-0000-000000000001', '{}', '{UTC}', p_now => 'infinity')$$),
  ($$SELECT dialer._decide(ROW(NULL, '{}', '{UTC}', 0, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, false, false, NULL, NULL)::dialer.schedule_inputs, now())$$)
) AS v(s);
