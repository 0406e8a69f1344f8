-- The C claim and completion re-plan a number's other waiting leads exactly when
-- dialer._replan_number would: src/pg/replan_number.cpp repeats _replan_number's first test
-- (a pending or scheduled lead of the number other than the call's own) to skip the call when
-- there is none. For each status of the other lead, a claim and then a completion in another
-- campaign must move its stored next attempt (a one-call-a-day cap on the number) if and only
-- if the lead is waiting.
\set QUIET on
BEGIN;
SELECT plan(11);
SET LOCAL client_min_messages = warning;

INSERT INTO dialer.tenants (id, name, default_region) VALUES ('aaaaaaaa-0000-0000-0000-0000000000b1', 'T', 'US');
-- Campaign p_id with a cap of one call a day to a number (any campaign's calls count).
CREATE FUNCTION pg_temp.campaign(p_id text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO dialer.campaigns (tenant_id, id, name, max_concurrent_calls, uses_ai_voice, rule_packs, retry_policy)
  VALUES ('aaaaaaaa-0000-0000-0000-0000000000b1', p_id::uuid, p_id, 5, false, '{us_federal}',
          '{"max_attempts": 10, "caps": [{"max": 1, "per": 86400}], "classes": {"no_answer": {"delays": [60]}}}');
  SELECT dialer.start_campaign(p_id::uuid, '2026-11-01T12:00:00Z');
$$;
-- A lead of campaign p_id for p_phone in status p_status, stored as due at 15:00Z.
CREATE FUNCTION pg_temp.lead(p_id text, p_phone text, p_status text) RETURNS uuid LANGUAGE sql AS $$
  INSERT INTO dialer.contacts (tenant_id, phone) VALUES ('aaaaaaaa-0000-0000-0000-0000000000b1', p_phone)
  ON CONFLICT DO NOTHING;
  INSERT INTO dialer.leads (tenant_id, campaign_id, phone, status, next_attempt_at)
  VALUES ('aaaaaaaa-0000-0000-0000-0000000000b1', p_id::uuid, p_phone, p_status::dialer.lead_status,
          '2026-11-24T15:00:00Z')
  RETURNING id;
$$;
-- The other lead's stored next attempt after a claim (15:00Z, 10:00 in New York) of the
-- number's lead in campaign A, and after its completion (15:01Z), the other lead reset to
-- 15:00Z between the two. Returns {after the claim, after the completion}.
CREATE FUNCTION pg_temp.moves(p_phone text, p_status text) RETURNS timestamptz[] LANGUAGE plpgsql AS $$
DECLARE
  v_other uuid;
  v_call uuid;
  v_after_claim timestamptz;
BEGIN
  PERFORM pg_temp.lead('c0000000-0000-0000-0000-0000000000a1', p_phone, 'pending');
  v_other := pg_temp.lead('c0000000-0000-0000-0000-0000000000b2', p_phone, p_status);
  SELECT call_id INTO v_call FROM dialer.claim_calls('c0000000-0000-0000-0000-0000000000a1', 'w', 1, '1 hour',
                                                     '2026-11-24T15:00:00Z');
  SELECT next_attempt_at INTO v_after_claim FROM dialer.leads WHERE id = v_other;
  UPDATE dialer.leads SET next_attempt_at = '2026-11-24T15:00:00Z' WHERE id = v_other;
  PERFORM dialer.complete_call(v_call, 'no_answer', 'dialer', p_now => '2026-11-24T15:01:00Z');
  RETURN ARRAY[v_after_claim, (SELECT next_attempt_at FROM dialer.leads WHERE id = v_other)];
END
$$;
SELECT pg_temp.campaign('c0000000-0000-0000-0000-0000000000a1');
SELECT pg_temp.campaign('c0000000-0000-0000-0000-0000000000b2');

CREATE TEMP TABLE moved AS
SELECT s.status, pg_temp.moves('+1212555' || lpad(s.n::text, 4, '0'), s.status) AS at
  FROM unnest(ARRAY['pending', 'scheduled', 'held', 'cancelled', 'failed', 'completed']) WITH ORDINALITY AS s(status, n);

SELECT ok((SELECT at[1] >= '2026-11-25T15:00:00Z' FROM moved WHERE status = 'pending'),
          'a pending lead of the number is re-planned by the claim (the cap: a day later)');
SELECT ok((SELECT at[2] >= '2026-11-25T15:00:00Z' FROM moved WHERE status = 'pending'),
          '... and by the completion');
SELECT ok((SELECT at[1] >= '2026-11-25T15:00:00Z' FROM moved WHERE status = 'scheduled'),
          'a scheduled lead of the number is re-planned by the claim');
SELECT ok((SELECT at[2] >= '2026-11-25T15:00:00Z' FROM moved WHERE status = 'scheduled'),
          '... and by the completion');
SELECT is((SELECT at FROM moved WHERE status = 'held'), '{2026-11-24T15:00:00Z,2026-11-24T15:00:00Z}'::timestamptz[],
          'a held lead of the number is left as it is by both');
SELECT is((SELECT at FROM moved WHERE status = 'cancelled'), '{2026-11-24T15:00:00Z,2026-11-24T15:00:00Z}'::timestamptz[],
          'a cancelled lead is left as it is by both');
SELECT is((SELECT at FROM moved WHERE status = 'failed'), '{2026-11-24T15:00:00Z,2026-11-24T15:00:00Z}'::timestamptz[],
          'a failed lead is left as it is by both');
SELECT is((SELECT at FROM moved WHERE status = 'completed'), '{2026-11-24T15:00:00Z,2026-11-24T15:00:00Z}'::timestamptz[],
          'a completed lead is left as it is by both');
SELECT is((SELECT count(*) FROM moved), 6::bigint, 'every status was tried');
-- The call's own lead is never the "other" lead: after its completion it waits for its retry
-- (a minute, then the day's cap), and the claim returned exactly one call each time.
SELECT is((SELECT count(*) FROM dialer.calls c JOIN dialer.campaigns k ON k.id = c.campaign_id
            WHERE k.name = 'c0000000-0000-0000-0000-0000000000a1'), 6::bigint,
          'campaign A placed one call per number');
SELECT ok((SELECT bool_and(l.next_attempt_at >= '2026-11-25T15:00:00Z') FROM dialer.leads l
            WHERE l.campaign_id = 'c0000000-0000-0000-0000-0000000000a1'),
          'each completed lead of A is itself planned after the day''s cap');
SELECT * FROM finish();
ROLLBACK;
