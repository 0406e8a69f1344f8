-- The table-driven queue never places a call the law forbids and never loses an opt-out
-- (issue "The queue never places a call the law forbids"): one group per finding against
-- 0.3.0, each through claims, completions and why_not_dialable on real tables, with
-- explicit instants (direct SQL: the operator's full control of p_now).
--   1 same-instant calls count once in caps       2 the French 60-day rest lasted 31 days
--   3 cool-downs timed from the claim              4 legality checked only at claim time
--   5 configuration failed open                    7 a late opt-out was lost
\set QUIET on
BEGIN;
SELECT plan(35);
SET LOCAL client_min_messages = warning;

INSERT INTO dialer.tenants (id, name, default_region) VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'T', 'US');
-- One campaign per rule set, each started; leads are added per group. A short, simple
-- retry policy: every class retried after a minute, up to ten attempts.
CREATE FUNCTION pg_temp.campaign(p_id text, p_packs text[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO dialer.campaigns (tenant_id, id, name, max_concurrent_calls, uses_ai_voice, rule_packs, retry_policy)
  VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', p_id::uuid, p_id, 5, false, p_packs,
          '{"max_attempts": 10, "classes": {"no_answer": {"delays": [60]}, "abandoned": {"delays": [60]}}}');
  SELECT dialer.start_campaign(p_id::uuid, '2026-11-01T12:00:00Z');
$$;
-- Adds a lead for p_phone to campaign p_id (creating the contact when new); returns its id.
CREATE FUNCTION pg_temp.lead(p_id text, p_phone text) RETURNS uuid LANGUAGE sql AS $$
  INSERT INTO dialer.contacts (tenant_id, phone) VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', p_phone)
  ON CONFLICT DO NOTHING;
  INSERT INTO dialer.leads (tenant_id, campaign_id, phone) VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', p_id::uuid, p_phone)
  RETURNING id;
$$;
-- The number of calls claimed from campaign p_id at p_at.
CREATE FUNCTION pg_temp.claims(p_id text, p_at timestamptz) RETURNS bigint LANGUAGE sql AS $$
  SELECT count(*) FROM dialer.claim_calls(p_id::uuid, 'w', 5, '1 day', p_at)
$$;

-- ---- 5: configuration fails closed ----------------------------------------------------
SELECT throws_like($$ INSERT INTO dialer.campaigns (tenant_id, name, rule_packs)
                      VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'typo', '{us_fla}') $$,
                   '%rule pack "us_fla" is not known%', '5: an unknown rule pack is refused when written');
SELECT is(dialer.default_rule_packs('+13055550100'), '{us_federal,us_fl}', '5: a Florida number gets us_federal and us_fl by default');
SELECT is(dialer.default_rule_packs('+33612345678'), '{fr}', '5: a French number gets fr');
SELECT is(dialer.default_rule_packs('+442079460018'), '{uk}', '5: a UK number gets uk');
SELECT pg_temp.campaign('c0000000-0000-0000-0000-000000000005', '{}');
SELECT pg_temp.lead('c0000000-0000-0000-0000-000000000005', '+13055550105');
SELECT throws_ok($$ UPDATE dialer.campaigns SET rule_packs = '{us_federal,fr_x}'
                     WHERE id = 'c0000000-0000-0000-0000-000000000005' $$, '22023', NULL,
                 '5: ... on UPDATE too (22023)');
-- Miami, November (EST, UTC-5): 03:00 local is 08:00Z; 20:30 local is 01:30Z the next day.
SELECT is(pg_temp.claims('c0000000-0000-0000-0000-000000000005', '2026-11-23T08:00:00Z'), 0::bigint,
          '5: a campaign naming no pack does not dial a US number at 03:00 local');
SELECT is(pg_temp.claims('c0000000-0000-0000-0000-000000000005', '2026-11-24T01:30:00Z'), 0::bigint,
          '5: nor a Florida number at 20:30 local (Florida''s 8 p.m., not the federal 9 p.m.)');
SELECT is(pg_temp.claims('c0000000-0000-0000-0000-000000000005', '2026-11-24T15:00:00Z'), 1::bigint,
          '5: it dials at 10:00 local');

-- ---- 4: legality at the moment of dialing -----------------------------------------------
SELECT pg_temp.campaign('c0000000-0000-0000-0000-000000000004', '{us_federal,us_fl}');
SELECT pg_temp.lead('c0000000-0000-0000-0000-000000000004', '+13055550104');
-- 19:59:59 local is 00:59:59Z; a one-day lease.
CREATE TEMP TABLE late_claim AS
SELECT * FROM dialer.claim_calls('c0000000-0000-0000-0000-000000000004', 'w', 1, '1 day', '2026-11-24T00:59:59Z');
SELECT is((SELECT count(*) FROM late_claim), 1::bigint, '4: a claim at 19:59:59 in Florida is accepted');
SELECT is((SELECT dial_by FROM late_claim), '2026-11-24T01:00:00Z'::timestamptz,
          '4: ... with a dial-by deadline at 20:00 local, not the one-day lease');
SELECT throws_like($$ SELECT dialer.mark_call_dialing((SELECT call_id FROM late_claim), NULL, '2026-11-24T04:30:00Z') $$,
                   '%may not be dialled now: window%', '4: dialling it at 23:30 local is refused (PT409, rule window)');
SELECT is((SELECT status::text FROM dialer.calls WHERE id = (SELECT call_id FROM late_claim)), 'claimed',
          '4: ... and the call stays claimed');
SELECT is(dialer.release_call((SELECT call_id FROM late_claim), 'window closed', '2026-11-24T04:30:00Z') ->> 'call_status', 'cancelled',
          '4: the worker gives it back');
CREATE TEMP TABLE day_claim AS
SELECT * FROM dialer.claim_calls('c0000000-0000-0000-0000-000000000004', 'w', 1, '5 minutes', '2026-11-24T15:00:00Z');
SELECT is(dialer.mark_call_dialing((SELECT call_id FROM day_claim), NULL, '2026-11-24T15:01:00Z') ->> 'call_status', 'dialing',
          '4: a call dialled inside the window is marked dialing');

-- ---- 1: same-instant calls each count in caps ---------------------------------------------
SELECT pg_temp.campaign('c0000000-0000-0000-0000-00000000001a', '{us_federal,us_fl}');
SELECT pg_temp.campaign('c0000000-0000-0000-0000-00000000001b', '{us_federal,us_fl}');
SELECT pg_temp.lead('c0000000-0000-0000-0000-00000000001a', '+13055550101');
SELECT pg_temp.lead('c0000000-0000-0000-0000-00000000001b', '+13055550101');
-- Both campaigns claim through claim_tenant_calls every 10 minutes from 13:00 local
-- (18:00Z); each call ends unanswered at once.
CREATE TEMP TABLE fl_calls (at timestamptz, call_id uuid);
DO $$
DECLARE
  v_at timestamptz;
  v_call record;
BEGIN
  FOR i IN 0 .. 5 LOOP
    v_at := timestamptz '2026-11-24T18:00:00Z' + i * interval '10 minutes';
    FOR v_call IN SELECT * FROM dialer.claim_tenant_calls('aaaaaaaa-0000-0000-0000-0000000000a1', 'w', 10, '5 minutes', v_at)
                   WHERE phone = '+13055550101' LOOP
      INSERT INTO fl_calls VALUES (v_at, v_call.call_id);
    END LOOP;
    FOR v_call IN SELECT call_id FROM fl_calls WHERE at = v_at LOOP
      PERFORM dialer.mark_call_dialing(v_call.call_id, NULL, v_at);
      PERFORM dialer.complete_call(v_call.call_id, 'no_answer', 'dialer', p_now => v_at + interval '1 minute');
    END LOOP;
  END LOOP;
END
$$;
SELECT is((SELECT count(*) FROM fl_calls), 3::bigint,
          '1: two campaigns calling one Florida number at the same instants place 3 calls, not 5, in 24 h');
SELECT is(ARRAY(SELECT l.next_attempt_at FROM dialer.leads l WHERE l.phone = '+13055550101' ORDER BY l.campaign_id),
          ARRAY(SELECT (dialer.why_not_dialable(l.id, '2026-11-24T19:00:00Z') #>> '{schedule,next_attempt_at}')::timestamptz
                  FROM dialer.leads l WHERE l.phone = '+13055550101' ORDER BY l.campaign_id),
          '1: both campaigns'' stored next attempts agree with why_not_dialable (each counts the other''s calls)');

-- ---- 2: the French 60-day rest after a refusal ----------------------------------------------
SELECT pg_temp.campaign('c0000000-0000-0000-0000-00000000002a', '{fr}');
SELECT pg_temp.campaign('c0000000-0000-0000-0000-00000000002b', '{fr}');
SELECT pg_temp.lead('c0000000-0000-0000-0000-00000000002a', '+33612345678');
SELECT pg_temp.lead('c0000000-0000-0000-0000-00000000002b', '+33612345678') AS lead_2b \gset
-- Monday 2026-11-23 10:30 Paris is 09:30Z: called by campaign a, refused.
CREATE TEMP TABLE fr_claim AS
SELECT * FROM dialer.claim_calls('c0000000-0000-0000-0000-00000000002a', 'w', 1, '5 minutes', '2026-11-23T09:30:00Z');
SELECT dialer.mark_call_dialing((SELECT call_id FROM fr_claim), NULL, '2026-11-23T09:30:10Z');
SELECT dialer.complete_call((SELECT call_id FROM fr_claim), 'refused', 'dialer', p_now => '2026-11-23T09:32:00Z');
-- 35 days later (Monday 2026-12-28, 10:30 Paris): campaign b may not call.
SELECT is(pg_temp.claims('c0000000-0000-0000-0000-00000000002b', '2026-12-28T09:30:00Z'), 0::bigint,
          '2: 35 days after a refusal the number is not called again (60 days'' rest)');
SELECT is(dialer.why_not_dialable(:'lead_2b', '2026-12-28T09:30:00Z') ->> 'blocked_by', 'after_refusal',
          '2: why_not_dialable says why');
SELECT is((SELECT next_attempt_at FROM dialer.leads WHERE id = :'lead_2b'),
          (dialer.why_not_dialable(:'lead_2b', '2026-12-28T09:30:00Z') #>> '{schedule,next_attempt_at}')::timestamptz,
          '2: and agrees with the stored next_attempt_at');
-- 63 days later (Monday 2027-01-25, 10:30 Paris) it may.
SELECT is(pg_temp.claims('c0000000-0000-0000-0000-00000000002b', '2027-01-25T09:30:00Z'), 1::bigint,
          '2: after 60 days it is called');

-- ---- 3: cool-downs timed from when the call ended ------------------------------------------
SELECT pg_temp.campaign('c0000000-0000-0000-0000-00000000003a', '{uk}');
SELECT pg_temp.campaign('c0000000-0000-0000-0000-00000000003b', '{uk}');
SELECT pg_temp.lead('c0000000-0000-0000-0000-00000000003a', '+442079460018');
SELECT pg_temp.lead('c0000000-0000-0000-0000-00000000003b', '+442079460018');
CREATE TEMP TABLE uk_claim AS
SELECT * FROM dialer.claim_calls('c0000000-0000-0000-0000-00000000003a', 'w', 1, '1 hour', '2026-11-23T10:00:00Z');
SELECT dialer.mark_call_dialing((SELECT call_id FROM uk_claim), NULL, '2026-11-23T10:04:00Z');
SELECT dialer.complete_call((SELECT call_id FROM uk_claim), 'abandoned', 'dialer',
                            p_ended_at => '2026-11-23T10:10:00Z', p_now => '2026-11-23T10:10:00Z');
SELECT is(pg_temp.claims('c0000000-0000-0000-0000-00000000003b', '2026-11-26T10:05:00Z'), 0::bigint,
          '3: 72 h after the claim but not after the abandoned call ended, the number is not called');
SELECT is(pg_temp.claims('c0000000-0000-0000-0000-00000000003b', '2026-11-26T10:11:00Z'), 1::bigint,
          '3: 72 h after it ended, it is');
SELECT is((SELECT (inputs).recent_calls FROM dialer._lead_schedule_inputs('aaaaaaaa-0000-0000-0000-0000000000a1',
                                                                          (SELECT id FROM dialer.leads WHERE campaign_id = 'c0000000-0000-0000-0000-00000000003a'), '2026-11-26T12:00:00Z')),
          '{2026-11-23T10:04:00Z,2026-11-26T10:11:00Z}'::timestamptz[],
          '3: caps count a call from when it was placed (dialing), a claim not yet placed from its claim');

-- ---- 7: a late opt-out is never lost -------------------------------------------------------
SELECT pg_temp.campaign('c0000000-0000-0000-0000-000000000007', '{us_federal}');
SELECT pg_temp.lead('c0000000-0000-0000-0000-000000000007', '+12125550177');
CREATE TEMP TABLE opt_claim AS
SELECT * FROM dialer.claim_calls('c0000000-0000-0000-0000-000000000007', 'w', 1, '2 minutes', '2026-11-24T15:00:00Z');
SELECT dialer.mark_call_dialing((SELECT call_id FROM opt_claim), NULL, '2026-11-24T15:00:30Z');
SELECT is(dialer.reap_expired_claims('2026-11-24T15:05:00Z') ->> 'expired', '1', '7: the call''s lease expires and it is reaped');
SELECT is(dialer.complete_call((SELECT call_id FROM opt_claim), 'do_not_call', 'dialer', p_now => '2026-11-24T15:06:00Z')
            - 'call_id' - 'lead_id',
          '{"late": true, "replayed": false, "call_status": "expired", "suppressed": true, "outcome_class": "do_not_call"}',
          '7: the worker''s do_not_call after the reap is accepted as late');
SELECT is((SELECT count(*) FROM dialer.suppressions WHERE phone = '+12125550177'), 1::bigint,
          '7: and the number is suppressed at once');
SELECT is((SELECT metadata #>> '{late_report,outcome_class}' || ' ' || status FROM dialer.calls
            WHERE id = (SELECT call_id FROM opt_claim)), 'do_not_call expired',
          '7: the report is recorded on the call, which stays expired');
SELECT is(pg_temp.claims('c0000000-0000-0000-0000-000000000007', '2026-11-24T16:00:00Z'), 0::bigint,
          '7: the number is not called again');

-- ---- 6: split area codes: every zone under the area code, unless the campaign opts in ---------
SELECT pg_temp.campaign('c0000000-0000-0000-0000-000000000006', '{us_federal}');
SELECT pg_temp.lead('c0000000-0000-0000-0000-000000000006', '+12702001234') AS lead_270 \gset
-- 07:30 in Chicago is 08:30 in New York (13:30Z): Kentucky's 270 spans both.
SELECT is(pg_temp.claims('c0000000-0000-0000-0000-000000000006', '2026-11-24T13:30:00Z'), 0::bigint,
          '6: +1 270 200 ... is not called at 07:30 Central though its exchange is Eastern');
SELECT is((dialer.why_not_dialable(:'lead_270', '2026-11-24T13:30:00Z') #>> '{schedule,next_attempt_at}')::timestamptz,
          '2026-11-24T14:00:00Z'::timestamptz, '6: it is due at 08:00 Central');
SELECT pg_temp.campaign('c0000000-0000-0000-0000-000000000068', '{us_federal}');
UPDATE dialer.campaigns SET zone_precision = 'exchange' WHERE id = 'c0000000-0000-0000-0000-000000000068';
SELECT pg_temp.lead('c0000000-0000-0000-0000-000000000068', '+12702001234');
SELECT is(pg_temp.claims('c0000000-0000-0000-0000-000000000068', '2026-11-24T13:30:00Z'), 1::bigint,
          '6: with exchange precision (an explicit opt-in) only its exchange''s zone counts');
SELECT pg_temp.campaign('c0000000-0000-0000-0000-000000000066', '{us_federal,us_fl}');
SELECT pg_temp.lead('c0000000-0000-0000-0000-000000000066', '+18502001234');
-- 20:30 Eastern is 19:30 Central (01:30Z): Florida's 850 spans both.
SELECT is(pg_temp.claims('c0000000-0000-0000-0000-000000000066', '2026-11-25T01:30:00Z'), 0::bigint,
          '6: +1 850 200 ... is not called at 20:30 Eastern though its exchange is Central');
-- Every NANP area code with more than one zone: a lead without a contact zone is scheduled in
-- all of them, and in its exchange's zones only under exchange precision.
CREATE TEMP TABLE split_codes AS
SELECT npa, (SELECT '+1' || npa || x || '4567' FROM generate_series(201, 999) x
              WHERE dialer.try_e164('+1' || npa || x || '4567', NULL) IS NOT NULL LIMIT 1) AS phone
  FROM unnest(ARRAY['208', '219', '250', '270', '308', '418', '423', '480', '520', '541', '574', '602', '605',
                    '606', '620', '701', '709', '775', '785', '807', '812', '850', '867', '906', '907', '928',
                    '986']) AS npa;
SELECT is(ARRAY(SELECT npa FROM split_codes WHERE phone IS NULL OR cardinality(dialer.phone_area_timezones(phone, NULL)) < 2),
          '{}'::text[], '6: the 27 split NANP area codes (unit test: the list equals the data file''s) each have several zones');
SELECT pg_temp.campaign('c0000000-0000-0000-0000-000000000067', '{}');
INSERT INTO dialer.contacts (tenant_id, phone) SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', phone FROM split_codes ON CONFLICT DO NOTHING;
INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', 'c0000000-0000-0000-0000-000000000067', phone FROM split_codes;
SELECT is(ARRAY(SELECT s.npa FROM split_codes s JOIN dialer.leads l ON l.phone = s.phone
                 WHERE l.campaign_id = 'c0000000-0000-0000-0000-000000000067'
                   AND (SELECT (inputs).zones FROM dialer._lead_schedule_inputs(l.tenant_id, l.id, '2026-11-24T12:00:00Z'))
                       IS DISTINCT FROM dialer.phone_area_timezones(s.phone, NULL)),
          '{}'::text[], '6: by default every lead is scheduled in every zone of its area code');
UPDATE dialer.campaigns SET zone_precision = 'exchange' WHERE id = 'c0000000-0000-0000-0000-000000000067';
SELECT is(ARRAY(SELECT s.npa FROM split_codes s JOIN dialer.leads l ON l.phone = s.phone
                 WHERE l.campaign_id = 'c0000000-0000-0000-0000-000000000067'
                   AND (SELECT (inputs).zones FROM dialer._lead_schedule_inputs(l.tenant_id, l.id, '2026-11-24T12:00:00Z'))
                       IS DISTINCT FROM dialer.phone_timezones(s.phone, NULL)),
          '{}'::text[], '6: under exchange precision, in its exchange''s zones only');

SELECT * FROM finish();
ROLLBACK;
