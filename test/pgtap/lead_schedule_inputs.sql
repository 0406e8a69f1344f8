-- dialer._lead_schedule_inputs reads a decision's inputs by index lookups in C
-- (src/pg/lead_inputs.cpp, 0.7.0). Its answers must be those of the SQL query 0.6.0 shipped,
-- kept as the reference (released_0_6_0._lead_schedule_inputs): every field of
-- every lead of a varied fixture (two tenants sharing numbers; campaigns with and without
-- rule packs, zone precisions and zones; contacts with zones, windows, consent given and
-- revoked; calls of every status and outcome, in flight and inbound, at the edges of the
-- history horizon; suppressions in force, expired and expiring), at several instants, with
-- and without the outcome of a call being completed, in two session time zones (the
-- horizon's extra day is subtracted in the session's zone). Then: no row for a lead that is
-- not there, a NULL instant refused, and the look-ups followed when an index is rebuilt
-- or renamed.
-- dialer._plan_lead, the whole decision in one C call since 0.8.0 (src/pg/plan_lead.cpp), is
-- held to the SQL function 0.6.0 and 0.7.0 shipped (released_0_7_0._plan_lead: these inputs,
-- dialer._decide, dialer._never_status) for the same leads, instants and outcomes.
\set QUIET on
BEGIN;
SELECT plan(29);
SET LOCAL client_min_messages = warning;

-- The reference: 0.6.0's definition of dialer._lead_schedule_inputs, as that release's upgrade
-- script installs it (pinned in sql_upgrade/objects/), created under the function's name while
-- the C function steps aside, then moved to a schema of its own, released_0_6_0 (all rolled back).
ALTER FUNCTION dialer._lead_schedule_inputs(uuid, uuid, timestamptz, text) RENAME TO _lead_schedule_inputs_c;
\i sql_upgrade/objects/dialer._lead_schedule_inputs/0.6.0.sql
CREATE SCHEMA released_0_6_0;
ALTER FUNCTION dialer._lead_schedule_inputs(uuid, uuid, timestamptz, text) SET SCHEMA released_0_6_0;
ALTER FUNCTION dialer._lead_schedule_inputs_c(uuid, uuid, timestamptz, text) RENAME TO _lead_schedule_inputs;

SELECT is((SELECT string_agg(n.nspname || ':' || l.lanname, ' ' ORDER BY n.nspname)
             FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.proname = '_lead_schedule_inputs'),
          'dialer:c released_0_6_0:sql', 'the C function against 0.6.0''s SQL query');
-- The same for the decision: 0.7.0's SQL _plan_lead (pinned as 0.6.0 shipped it, unchanged in
-- 0.7.0) and _never_status over the C inputs and dialer._decide, in schema released_0_7_0.
ALTER FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text) RENAME TO _plan_lead_c;
\i sql_upgrade/objects/dialer._never_status/0.7.0.sql
\i sql_upgrade/objects/dialer._plan_lead/0.6.0.sql
CREATE SCHEMA released_0_7_0;
ALTER FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text) SET SCHEMA released_0_7_0;
ALTER FUNCTION dialer._plan_lead_c(uuid, uuid, timestamptz, text) RENAME TO _plan_lead;
SELECT is((SELECT string_agg(n.nspname || ':' || l.lanname, ' ' ORDER BY n.nspname)
             FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.proname = '_plan_lead'),
          'dialer:c released_0_7_0:sql', 'the C decision against 0.7.0''s SQL function');

-- ---- the fixture (triggers and foreign-key checks off: rows in any state the tables allow) ----
SET LOCAL session_replication_role = replica;
SELECT setseed(0.20261204);
INSERT INTO dialer.tenants (id, name, default_time_zone) VALUES
  ('aaaaaaaa-0000-0000-0000-0000000000a1', 'Tenant A', 'America/Los_Angeles'),
  ('bbbbbbbb-0000-0000-0000-0000000000b1', 'Tenant B', 'UTC');
CREATE TEMP TABLE phones (n int, phone text);
INSERT INTO phones VALUES (1, '+12125550101'), (2, '+12125550102'), (3, '+13055550100'), (4, '+18505550100'),
  (5, '+15125550100'), (6, '+14165550123'), (7, '+442079460018'), (8, '+33612345678'), (9, '+12085550100'),
  (10, '+16465550199');
-- Campaigns: default packs by number, area-code zones, the tenant's zone (c1); named packs,
-- exchange precision, its own zone, a window and a start and end (c2); a policy without
-- classes (c3); tenant B's campaign on the same numbers (c4).
INSERT INTO dialer.campaigns (tenant_id, id, name, time_zone, zone_precision, rule_packs, uses_ai_voice,
                              calling_windows, schedule_start, schedule_end, retry_policy) VALUES
  ('aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c1', 'C1', NULL, 'area_code',
   '{}', true, NULL, NULL, NULL,
   '{"max_attempts": 6, "min_gap": "2h", "caps": [{"max": 3, "per": "24h"}],
     "cool_down": {"after_abandoned": "72h", "after_refusal": "5d"},
     "classes": {"no_answer": {"delays": ["30m", "2h"]}, "unknown": {"delays": ["6h"], "max_attempts": 2}}}'),
  ('aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c2', 'C2', 'America/Chicago',
   'exchange', '{us_federal}', false, '{"days": {"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]]}}',
   '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z',
   '{"max_attempts": 3, "caps": [{"max": 2, "per": "7d"}], "classes": {"busy": {"delays": ["5m"]}}}'),
  ('aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c3', 'C3', 'Europe/Paris',
   'area_code', '{}', true, NULL, NULL, NULL, '{"max_attempts": 5}'),
  ('bbbbbbbb-0000-0000-0000-0000000000b1', 'cccccccc-0000-0000-0000-0000000000c4', 'C4', NULL, 'area_code',
   '{}', true, NULL, NULL, NULL, '{"max_attempts": 4, "min_gap": "1h"}');
-- Contacts of tenant A for most numbers: a zone on some, windows on one, consent in every state.
INSERT INTO dialer.contacts (tenant_id, phone, time_zone, calling_windows, consent_ai_voice_at, consent_revoked_at)
SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', p.phone,
       CASE p.n WHEN 2 THEN 'America/Denver' WHEN 7 THEN 'Europe/London' END,
       CASE WHEN p.n = 3 THEN '{"days": {"sat": [["10:00", "12:00"]]}}'::jsonb END,
       CASE p.n % 4 WHEN 0 THEN NULL WHEN 1 THEN timestamptz '2026-01-01T00:00:00Z'
                    WHEN 2 THEN timestamptz '2026-03-09T18:00:00Z' ELSE timestamptz '2026-02-01T00:00:00Z' END,
       CASE p.n % 3 WHEN 0 THEN timestamptz '2026-02-15T00:00:00Z' WHEN 1 THEN NULL
                    ELSE timestamptz '2025-12-01T00:00:00Z' END
  FROM phones p WHERE p.n <> 10;
-- A lead per campaign and number, in every last-outcome and release state.
INSERT INTO dialer.leads (tenant_id, campaign_id, phone, status, attempts, last_attempt_at, last_outcome_class, released_at)
SELECT c.tenant_id, c.id, p.phone, 'scheduled', (random() * 4)::int,
       la, lo, CASE (random() * 3)::int WHEN 0 THEN NULL WHEN 1 THEN la - interval '1 hour' ELSE la + interval '1 hour' END
  FROM dialer.campaigns c CROSS JOIN phones p,
       LATERAL (SELECT CASE WHEN random() < 0.2 THEN NULL
                            ELSE timestamptz '2026-03-09T16:00:00Z' - random() * interval '6 days' END AS la,
                       (ARRAY[NULL, 'no_answer', 'unknown', 'unknown', 'abandoned', 'busy'])[1 + (random() * 5)::int] AS lo
                 WHERE p.n > 0 AND c.id IS NOT NULL) x
 WHERE c.id IN ('cccccccc-0000-0000-0000-0000000000c1', 'cccccccc-0000-0000-0000-0000000000c2',
                'cccccccc-0000-0000-0000-0000000000c3', 'cccccccc-0000-0000-0000-0000000000c4');
-- Calls: 600 to the leads' numbers over ten days (some at one instant, some exactly at the
-- edges of a two-day horizon), ended ones of every final status and outcome, and inbound
-- calls of no lead (some claimed).
INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, direction, phone, status, claimed_at, started_at,
                          ended_at, outcome_class)
SELECT l.tenant_id, l.campaign_id, l.id, 'outbound', l.phone,
       (ARRAY['completed', 'failed', 'cancelled', 'expired'])[1 + (random() * 3)::int]::dialer.call_status,
       t, CASE WHEN random() < 0.7 THEN t + interval '20 seconds' END, e,
       (ARRAY[NULL, 'no_answer', 'abandoned', 'refused', 'busy', 'unknown', 'no_answer'])[1 + (random() * 6)::int]
  FROM generate_series(1, 600) g,
       LATERAL (SELECT * FROM dialer.leads x ORDER BY random() + g * 0 LIMIT 1) l,
       LATERAL (SELECT CASE g % 7 WHEN 0 THEN timestamptz '2026-03-07T16:00:00Z'
                                  WHEN 1 THEN timestamptz '2026-03-07T16:00:01Z'
                                  WHEN 2 THEN timestamptz '2026-03-08T12:00:00Z'
                                  ELSE timestamptz '2026-03-12T16:00:00Z' - random() * interval '10 days' END AS t) tt,
       LATERAL (SELECT CASE WHEN random() < 0.6 THEN tt.t + interval '3 minutes' END AS e) ee;
INSERT INTO dialer.calls (tenant_id, direction, phone, status, claimed_at, ended_at, outcome_class)
SELECT (ARRAY['aaaaaaaa-0000-0000-0000-0000000000a1', 'bbbbbbbb-0000-0000-0000-0000000000b1'])[1 + (g % 2)]::uuid,
       'inbound', p.phone, (ARRAY['claimed', 'completed', 'cancelled'])[1 + (g % 3)]::dialer.call_status,
       timestamptz '2026-03-09T16:00:00Z' - g * interval '5 hours', NULL,
       CASE WHEN g % 4 = 0 THEN 'abandoned' END
  FROM generate_series(1, 40) g JOIN phones p ON p.n = 1 + g % 10;
-- One call in flight for about half the leads (the latest of theirs): claimed, dialing, ringing, in progress.
UPDATE dialer.calls k SET status = (ARRAY['claimed', 'dialing', 'ringing', 'in_progress'])[1 + (random() * 3)::int]::dialer.call_status
 WHERE k.id IN (SELECT DISTINCT ON (lead_id) id FROM dialer.calls WHERE lead_id IS NOT NULL
                 ORDER BY lead_id, claimed_at DESC)
   AND random() < 0.5;
-- Do-not-call rows: in force, expired, expiring between the instants asked.
INSERT INTO dialer.suppressions (tenant_id, phone, expires_at) VALUES
  ('aaaaaaaa-0000-0000-0000-0000000000a1', '+12125550101', NULL),
  ('aaaaaaaa-0000-0000-0000-0000000000a1', '+13055550100', '2026-03-01T00:00:00Z'),
  ('aaaaaaaa-0000-0000-0000-0000000000a1', '+18505550100', '2026-03-10T00:00:00Z'),
  ('bbbbbbbb-0000-0000-0000-0000000000b1', '+15125550100', NULL);
INSERT INTO dialer.global_suppressions (phone, expires_at) VALUES
  ('+14165550123', NULL), ('+442079460018', '2026-03-09T00:00:00Z'), ('+12085550100', '2026-03-11T00:00:00Z');
SET LOCAL session_replication_role = origin;
ANALYZE dialer.calls;

-- ---- every lead, both ways -----------------------------------------------------------------
CREATE TEMP TABLE asked AS
SELECT l.tenant_id, l.id AS lead_id, n.now, o.outcome, z.zone
  FROM dialer.leads l,
       unnest(ARRAY[timestamptz '2026-03-09T16:00:00Z', '2026-03-08T09:00:00Z', '2026-03-12T16:00:00Z']) n(now),
       unnest(ARRAY[NULL, 'no_answer', 'abandoned', 'unknown']) o(outcome),
       unnest(ARRAY['UTC', 'America/New_York']) z(zone);
CREATE TEMP TABLE answers (lead_id uuid, now timestamptz, outcome text, zone text, c_row text, sql_row text,
                           inputs dialer.schedule_inputs, c_plan text, sql_plan text, plan dialer.lead_plan);
-- A decision as text, or the error it raised (the fixture holds leads the scheduler refuses,
-- e.g. more attempts of a class than attempts: both must refuse them alike).
CREATE FUNCTION pg_temp.plan_or_error(p_released boolean, p_tenant uuid, p_lead uuid, p_now timestamptz,
                                      p_outcome text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  IF p_released THEN
    RETURN (SELECT row(p.*)::text FROM released_0_7_0._plan_lead(p_tenant, p_lead, p_now, p_outcome) p);
  END IF;
  RETURN dialer._plan_lead(p_tenant, p_lead, p_now, p_outcome)::text;
EXCEPTION WHEN OTHERS THEN
  RETURN 'error ' || SQLSTATE || ': ' || SQLERRM;
END $$;
CREATE FUNCTION pg_temp.compare_all() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  a record;
BEGIN
  FOR a IN SELECT * FROM asked LOOP
    PERFORM set_config('TimeZone', a.zone, true);
    INSERT INTO answers
    SELECT a.lead_id, a.now, a.outcome, a.zone,
           (SELECT row(i.*)::text FROM dialer._lead_schedule_inputs(a.tenant_id, a.lead_id, a.now, a.outcome) i),
           (SELECT row(i.*)::text FROM released_0_6_0._lead_schedule_inputs(a.tenant_id, a.lead_id, a.now, a.outcome) i),
           (SELECT i.inputs FROM dialer._lead_schedule_inputs(a.tenant_id, a.lead_id, a.now, a.outcome) i),
           pg_temp.plan_or_error(false, a.tenant_id, a.lead_id, a.now, a.outcome),
           pg_temp.plan_or_error(true, a.tenant_id, a.lead_id, a.now, a.outcome);
  END LOOP;
END $$;
SELECT pg_temp.compare_all();
RESET TimeZone;

SELECT is((SELECT count(*) FROM answers), (SELECT count(*) FROM asked), 'every lead, instant, outcome and zone asked');
SELECT is((SELECT count(*) FROM answers WHERE c_row IS DISTINCT FROM sql_row), 0::bigint,
          'every answer is the SQL query''s, field by field');
SELECT is((SELECT count(*) FROM answers WHERE c_row IS NULL), 0::bigint, '... and every lead has one');
-- The fixture reaches every branch (else the agreement above would prove little).
SELECT ok((SELECT count(*) FROM answers WHERE (inputs).recent_calls IS NOT NULL) > 100
          AND (SELECT count(*) FROM answers WHERE (inputs).recent_calls IS NULL) > 0,
          'numbers with and without calls in the horizon');
SELECT ok(EXISTS (SELECT 1 FROM answers WHERE (inputs).last_abandoned_at IS NOT NULL)
          AND EXISTS (SELECT 1 FROM answers WHERE (inputs).last_refusal_at IS NOT NULL),
          'abandoned and refused calls in the horizon');
SELECT ok(EXISTS (SELECT 1 FROM answers WHERE (inputs).suppressed) AND EXISTS (SELECT 1 FROM answers WHERE NOT (inputs).suppressed),
          'suppressed and not');
SELECT ok(EXISTS (SELECT 1 FROM answers WHERE (inputs).has_consent) AND EXISTS (SELECT 1 FROM answers WHERE NOT (inputs).has_consent),
          'consent and none');
SELECT ok(EXISTS (SELECT 1 FROM answers WHERE cardinality((inputs).zones) > 1)
          AND EXISTS (SELECT 1 FROM answers WHERE (inputs).zones = '{America/Denver}')
          AND EXISTS (SELECT 1 FROM answers WHERE (inputs).zones = '{Europe/Paris}'),
          'zones of the number, the contact and the campaign');
SELECT ok(EXISTS (SELECT 1 FROM answers a JOIN dialer.leads l ON l.id = a.lead_id JOIN dialer.campaigns c ON c.id = l.campaign_id
                   WHERE (a.inputs).retry_policy <> c.retry_policy),
          'a released unknown result redialled at once');
SELECT ok(EXISTS (SELECT 1 FROM answers WHERE (inputs).class_attempts > 1)
          AND EXISTS (SELECT 1 FROM answers WHERE (inputs).class_attempts = 0),
          'class attempts counted, and none without a last outcome');
SELECT ok(EXISTS (SELECT 1 FROM answers WHERE 'us_fl' = ANY ((inputs).rule_packs))
          AND EXISTS (SELECT 1 FROM answers WHERE (inputs).rule_packs = '{us_federal}'),
          'default packs by number and named packs');
SELECT ok(EXISTS (SELECT 1 FROM answers a JOIN answers b USING (lead_id, now, outcome)
                   WHERE a.zone = 'UTC' AND b.zone = 'America/New_York' AND a.c_row <> b.c_row),
          'the session''s zone moves the horizon across a DST change');
SELECT ok(EXISTS (SELECT 1 FROM answers a JOIN dialer.leads l ON l.id = a.lead_id
                   WHERE (a.inputs).last_attempt_at IS DISTINCT FROM l.last_attempt_at),
          'the last attempt as the history times it');

-- ---- the decision ----------------------------------------------------------------------------
-- The fixture above mostly refuses or never calls; a queue-shaped campaign adds leads that are
-- callable now (until the federal evening limit), later, or past a cap: New York numbers,
-- windows all day, some leads with calls of one class (attempts as recorded).
INSERT INTO dialer.tenants (id, name, default_time_zone)
VALUES ('dddddddd-0000-0000-0000-0000000000d1', 'Tenant D', 'America/New_York');
INSERT INTO dialer.campaigns (tenant_id, id, name, time_zone, uses_ai_voice, calling_windows, retry_policy)
SELECT 'dddddddd-0000-0000-0000-0000000000d1', 'cccccccc-0000-0000-0000-0000000000c5', 'C5', 'America/New_York', false,
       jsonb_build_object('days', jsonb_object_agg(d, '[["00:00", "24:00"]]'::jsonb)),
       '{"max_attempts": 5, "min_gap": "30m", "caps": [{"max": 3, "per": "24h"}],
         "classes": {"no_answer": {"delays": ["1h"]}, "busy": {"delays": ["5m"]}}}'
  FROM unnest(ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) d;
INSERT INTO dialer.contacts (tenant_id, phone)
SELECT 'dddddddd-0000-0000-0000-0000000000d1', '+1212555' || lpad(g::text, 4, '0') FROM generate_series(1, 40) g;
INSERT INTO dialer.leads (tenant_id, campaign_id, phone, status, attempts, last_attempt_at, last_outcome_class)
SELECT 'dddddddd-0000-0000-0000-0000000000d1', 'cccccccc-0000-0000-0000-0000000000c5',
       '+1212555' || lpad(g::text, 4, '0'), 'scheduled', g % 4,
       CASE WHEN g % 4 > 0 THEN timestamptz '2026-03-09T15:55:00Z' - g * interval '7 minutes' END,
       CASE WHEN g % 4 > 0 THEN 'no_answer' END
  FROM generate_series(1, 40) g;
INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, direction, phone, status, claimed_at, ended_at, outcome_class)
SELECT l.tenant_id, l.campaign_id, l.id, 'outbound', l.phone, 'completed', l.last_attempt_at - k * interval '40 minutes',
       l.last_attempt_at - k * interval '40 minutes' + interval '1 minute', 'no_answer'
  FROM dialer.leads l, generate_series(0, 2) k
 WHERE l.campaign_id = 'cccccccc-0000-0000-0000-0000000000c5' AND k < l.attempts;
CREATE TEMP TABLE asked_d AS
SELECT l.tenant_id, l.id AS lead_id, n.now, o.outcome, 'UTC' AS zone
  FROM dialer.leads l,
       unnest(ARRAY[timestamptz '2026-03-09T16:00:00Z', '2026-03-10T00:30:00Z', '2026-03-10T03:00:00Z']) n(now),
       unnest(ARRAY[NULL, 'no_answer', 'busy']) o(outcome)
 WHERE l.campaign_id = 'cccccccc-0000-0000-0000-0000000000c5' AND (o.outcome IS NULL OR l.attempts > 0);
INSERT INTO answers (lead_id, now, outcome, zone, c_plan, sql_plan)
SELECT a.lead_id, a.now, a.outcome, a.zone, pg_temp.plan_or_error(false, a.tenant_id, a.lead_id, a.now, a.outcome),
       pg_temp.plan_or_error(true, a.tenant_id, a.lead_id, a.now, a.outcome)
  FROM asked_d a;
-- Each decision as a row, read back from its text (the offsets make it exact in any zone).
UPDATE answers SET plan = c_plan::dialer.lead_plan WHERE c_plan NOT LIKE 'error%';
SELECT is((SELECT count(*) FROM answers WHERE c_plan IS DISTINCT FROM sql_plan), 0::bigint,
          'every decision is 0.7.0''s SQL function''s, field by field');
SELECT ok((SELECT count(*) FROM answers WHERE c_plan IS NULL) = 0
          AND EXISTS (SELECT 1 FROM answers WHERE c_plan LIKE 'error%'),
          '... every lead has one (some refused alike: more attempts of a class than attempts)');
SELECT ok((SELECT count(DISTINCT (plan).final_status) = 3 FROM answers WHERE (plan).next_attempt_at IS NULL),
          'never: held, do_not_call and failed all reached');
SELECT ok(EXISTS (SELECT 1 FROM answers WHERE (plan).next_attempt_at = now AND (plan).legal_until > now)
          AND EXISTS (SELECT 1 FROM answers WHERE (plan).next_attempt_at > now AND (plan).legal_until IS NULL),
          'callable now with a deadline, and later without one');
SELECT ok(EXISTS (SELECT 1 FROM answers WHERE cardinality((inputs).zones) > 1 AND (plan).recipient_zone IS NOT NULL)
          AND EXISTS (SELECT 1 FROM answers WHERE cardinality((inputs).zones) = 1
                                            AND (plan).recipient_zone = (inputs).zones[1]),
          'the recipient zone: the only candidate, else the fallback');
SELECT ok(dialer._plan_lead('aaaaaaaa-0000-0000-0000-0000000000a1', gen_random_uuid(), now()) IS NULL
          AND dialer._plan_lead(NULL, (SELECT id FROM dialer.leads LIMIT 1), now()) IS NULL,
          'no decision (NULL) for a lead that is not there, or a NULL tenant');
SELECT throws_ok($$SELECT dialer._plan_lead('aaaaaaaa-0000-0000-0000-0000000000a1',
                                            (SELECT id FROM dialer.leads LIMIT 1), NULL)$$,
                 '22004', 'p_now must not be NULL', 'the decision at a NULL instant: 22004');

-- ---- no lead, no instant ---------------------------------------------------------------------
SELECT is((SELECT count(*)
             FROM dialer._lead_schedule_inputs('aaaaaaaa-0000-0000-0000-0000000000a1', gen_random_uuid(), now())),
          0::bigint,
          'no row for a lead that is not there');
SELECT is((SELECT count(*) FROM dialer._lead_schedule_inputs(NULL, (SELECT id FROM dialer.leads LIMIT 1), now())),
          0::bigint, '... nor for a NULL tenant');
SELECT throws_ok($$SELECT * FROM dialer._lead_schedule_inputs('aaaaaaaa-0000-0000-0000-0000000000a1',
                                                              (SELECT id FROM dialer.leads LIMIT 1), NULL)$$,
                 '22004', 'p_now must not be NULL', 'a NULL instant: 22004');

-- ---- the look-ups follow the catalog ---------------------------------------------------------
-- A rebuilt index has a new OID: the next call finds it.
DROP INDEX dialer.calls_phone_idx;
CREATE INDEX calls_phone_idx ON dialer.calls (tenant_id, phone, claimed_at);
SELECT is((SELECT count(*) FROM answers a JOIN asked q USING (lead_id, now, outcome, zone)
            WHERE a.zone = 'UTC' AND a.c_row IS DISTINCT FROM
                  (SELECT row(i.*)::text FROM dialer._lead_schedule_inputs(q.tenant_id, q.lead_id, q.now, q.outcome) i)),
          0::bigint, 'an index rebuilt: the same answers');
-- A missing or different index is refused by name, not answered wrongly.
ALTER INDEX dialer.calls_phone_idx RENAME TO calls_phone_idx_old;
SELECT throws_ok($$SELECT * FROM dialer._lead_schedule_inputs('aaaaaaaa-0000-0000-0000-0000000000a1',
                                                              (SELECT id FROM dialer.leads LIMIT 1), now())$$,
                 '55000', 'pg_dialer: index dialer.calls_phone_idx is missing or changed', 'an index renamed away: 55000');
CREATE INDEX calls_phone_idx ON dialer.calls (tenant_id, lead_id);
SELECT throws_ok($$SELECT * FROM dialer._lead_schedule_inputs('aaaaaaaa-0000-0000-0000-0000000000a1',
                                                              (SELECT id FROM dialer.leads LIMIT 1), now())$$,
                 '55000', NULL, '... and one of its name on other columns');
DROP INDEX dialer.calls_phone_idx;
ALTER INDEX dialer.calls_phone_idx_old RENAME TO calls_phone_idx;
SELECT is((SELECT count(*) FROM answers a JOIN asked q USING (lead_id, now, outcome, zone)
            WHERE a.zone = 'UTC' AND a.c_row IS DISTINCT FROM
                  (SELECT row(i.*)::text FROM dialer._lead_schedule_inputs(q.tenant_id, q.lead_id, q.now, q.outcome) i)),
          0::bigint, 'its name given back: the same answers again');

SELECT * FROM finish();
ROLLBACK;
