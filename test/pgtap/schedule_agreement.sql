-- The stored schedule agrees with why_not_dialable right after every queue step that
-- changes a number's history, not only after completions: a claim by one campaign moves
-- the other campaigns' leads for the number at once, and a lead a person releases after
-- an unknown result is scheduled by the rules (not "now" while the window is closed) and
-- is then actually called (it was held again by the claim's re-check).
\set QUIET on
BEGIN;
SELECT plan(12);
SET LOCAL client_min_messages = warning;

INSERT INTO dialer.tenants (id, name, default_region) VALUES ('aaaaaaaa-0000-0000-0000-0000000000d1', 'T', 'US');
-- Campaign p_id with a one-hour minimum gap between calls to a number, started.
CREATE FUNCTION pg_temp.campaign(p_id text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO dialer.campaigns (tenant_id, id, name, max_concurrent_calls, uses_ai_voice, rule_packs, retry_policy)
  VALUES ('aaaaaaaa-0000-0000-0000-0000000000d1', p_id::uuid, p_id, 5, false, '{us_federal}',
          '{"max_attempts": 5, "min_gap": "1h", "classes": {"no_answer": {"delays": [60]}}}');
  SELECT dialer.start_campaign(p_id::uuid, '2026-11-24T12:00:00Z');
$$;
-- The lead of campaign p_id for the New York number +12125550140.
CREATE FUNCTION pg_temp.lead(p_id text) RETURNS uuid LANGUAGE sql AS $$
  INSERT INTO dialer.contacts (tenant_id, phone) VALUES ('aaaaaaaa-0000-0000-0000-0000000000d1', '+12125550140')
  ON CONFLICT DO NOTHING;
  INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
  VALUES ('aaaaaaaa-0000-0000-0000-0000000000d1', p_id::uuid, '+12125550140') RETURNING id;
$$;
-- Whether lead p_lead's stored next_attempt_at is why_not_dialable's at p_at.
CREATE FUNCTION pg_temp.agrees(p_lead uuid, p_at timestamptz) RETURNS text LANGUAGE sql AS $$
  -- A time in the past means "due now"; NULL (never) stays NULL.
  SELECT CASE WHEN (l.next_attempt_at IS NULL, greatest(l.next_attempt_at, p_at)) IS NOT DISTINCT FROM
                   ((w.j -> 'schedule' ->> 'next_attempt_at') IS NULL,
                    greatest((w.j -> 'schedule' ->> 'next_attempt_at')::timestamptz, p_at))
              THEN 'agrees' ELSE format('stored %s, why_not_dialable %s', l.next_attempt_at,
                                        w.j -> 'schedule' ->> 'next_attempt_at') END
    FROM dialer.leads l, LATERAL (SELECT dialer.why_not_dialable(l.id, p_at) AS j) w WHERE l.id = p_lead
$$;

-- ---- a claim in one campaign moves the number's leads in the others ----------------------
SELECT pg_temp.campaign('c0000000-0000-0000-0000-0000000000d1');
SELECT pg_temp.campaign('c0000000-0000-0000-0000-0000000000d2');
SELECT pg_temp.lead('c0000000-0000-0000-0000-0000000000d1') AS a \gset
SELECT pg_temp.lead('c0000000-0000-0000-0000-0000000000d2') AS b \gset
SELECT is((SELECT count(*) FROM dialer.claim_calls('c0000000-0000-0000-0000-0000000000d1', 'w', 1, '5 min', '2026-11-24T15:00:00Z')),
          1::bigint, 'campaign 1 claims the number at 10:00 New York');
SELECT is((SELECT next_attempt_at FROM dialer.leads WHERE id = :'b'), '2026-11-24T16:00:00Z'::timestamptz,
          'campaign 2''s lead for the number moves to an hour later at once (the minimum gap)');
SELECT is(pg_temp.agrees(:'b', '2026-11-24T15:00:01Z'), 'agrees', '... which is what why_not_dialable says');
SELECT is((SELECT count(*) FROM dialer.claim_calls('c0000000-0000-0000-0000-0000000000d2', 'w', 1, '5 min', '2026-11-24T15:00:02Z')),
          0::bigint, 'and campaign 2 does not call it meanwhile');

-- ---- a change of the campaign's rules, the contact or the do-not-call list moves its leads ----
-- (At the wall clock: the triggers plan at now(), as the queue's own calls do.)
SELECT pg_temp.campaign('c0000000-0000-0000-0000-0000000000d3');
INSERT INTO dialer.contacts (tenant_id, phone) VALUES ('aaaaaaaa-0000-0000-0000-0000000000d1', '+12125550141');
INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
VALUES ('aaaaaaaa-0000-0000-0000-0000000000d1', 'c0000000-0000-0000-0000-0000000000d3', '+12125550141')
RETURNING id AS c \gset
UPDATE dialer.campaigns SET calling_windows = '{"days": {"mon": [["09:00", "09:30"]]}}'
 WHERE id = 'c0000000-0000-0000-0000-0000000000d3';
SELECT is(pg_temp.agrees(:'c', now()), 'agrees', 'after the campaign''s windows change, the stored plan is why_not_dialable''s');
UPDATE dialer.contacts SET time_zone = 'America/Los_Angeles'
 WHERE tenant_id = 'aaaaaaaa-0000-0000-0000-0000000000d1' AND phone = '+12125550141';
SELECT is(pg_temp.agrees(:'c', now()), 'agrees', 'after the contact''s zone changes, too');
INSERT INTO dialer.suppressions (tenant_id, phone) VALUES ('aaaaaaaa-0000-0000-0000-0000000000d1', '+12125550141');
SELECT is((SELECT status::text FROM dialer.leads WHERE id = :'c'), 'do_not_call',
          'a number added to the do-not-call list finishes its waiting leads at once');
SELECT is(pg_temp.agrees(:'c', now()), 'agrees', '... as why_not_dialable says');

-- ---- a released lead is scheduled by the rules and then called ---------------------------
SELECT dialer.reap_expired_claims('2026-11-24T15:10:00Z');  -- campaign 1's call: result unknown, lead held
SELECT is((SELECT status::text FROM dialer.leads WHERE id = :'a'), 'held', 'a call whose result is unknown holds its lead');
-- Released at 02:00 New York: every rule still holds, so the lead waits for 08:00.
SELECT is(dialer.release_lead(:'a', '2026-11-25T07:00:00Z') ->> 'next_attempt_at', '2026-11-25T13:00:00+00:00',
          'a lead released at 02:00 is scheduled for 08:00, when the federal window opens');
SELECT is(pg_temp.agrees(:'a', '2026-11-25T07:00:00Z'), 'agrees', '... which is what why_not_dialable says');
SELECT is((SELECT lead_id FROM dialer.claim_calls('c0000000-0000-0000-0000-0000000000d1', 'w', 1, '5 min', '2026-11-25T13:00:00Z')),
          :'a'::uuid, 'at 08:00 the released lead is called (not held again)');

SELECT * FROM finish();
ROLLBACK;
