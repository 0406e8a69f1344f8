-- Campaign lifecycle through the PostgREST request helper: every legal move, illegal
-- moves as 409, roles (viewer 403, other tenant 404), who/when recorded, pause stops
-- claims, stop cancels pending leads, scheduled start, self-completion.
BEGIN;
\i test/helpers/queue_fixture.sql
SELECT plan(22);

CREATE TEMP TABLE admin_a AS SELECT '{"sub": "00000000-0000-0000-0000-0000000000a0"}'::jsonb AS claims;
GRANT SELECT ON admin_a TO authenticated;

-- The helper runs as the role we name; admin of A:
-- A signed-in caller acts at the server clock (a p_now far from it is 400: security_findings.sql).
SELECT is(test_helpers.postgrest_request('POST', 'dialer.start_campaign',
            '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1"}',
            'authenticated', (SELECT claims FROM admin_a)) #>> '{body,status}', 'running', 'start: draft -> running');
SELECT is((SELECT status_changed_by FROM dialer.campaigns WHERE id = 'cccccccc-0000-0000-0000-0000000000c1'),
          '00000000-0000-0000-0000-0000000000a0'::uuid, 'who started it is recorded');
SELECT is((SELECT status_changed_at FROM dialer.campaigns WHERE id = 'cccccccc-0000-0000-0000-0000000000c1'),
          now(), 'when is recorded');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.start_campaign',
            '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1"}', 'authenticated', (SELECT claims FROM admin_a)),
          '{"status": 409, "body": {"code": "PT409", "message": "cannot start campaign cccccccc-0000-0000-0000-0000000000c1: it is running", "details": "Allowed moves: start draft; pause scheduled or running; resume paused; stop any of draft, scheduled, running, paused.", "hint": "Check the campaign''s status first (dialer.campaigns.status)."}}',
          'starting a running campaign is 409 with the reason');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.pause_campaign',
            '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1"}', 'authenticated',
            '{"sub": "00000000-0000-0000-0000-0000000000a5"}') -> 'status', '403', 'a viewer cannot pause (403)');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.pause_campaign',
            '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1"}', 'authenticated',
            '{"sub": "00000000-0000-0000-0000-0000000000b0"}') -> 'status', '404', 'another tenant''s admin gets 404');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.pause_campaign',
            '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1"}', 'anon') -> 'status', '401', 'anon gets 401');
SELECT is(dialer.pause_campaign('cccccccc-0000-0000-0000-0000000000c1', '2026-11-23T15:01:00Z') ->> 'status', 'paused', 'pause: running -> paused');
SELECT is((SELECT count(*) FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w', 3, '5 min', '2026-11-23T15:02:00Z')),
          0::bigint, 'a paused campaign hands out no calls');
SELECT throws_ok($$ SELECT dialer.pause_campaign('cccccccc-0000-0000-0000-0000000000c1') $$, 'PT409',
          'cannot pause campaign cccccccc-0000-0000-0000-0000000000c1: it is paused', 'pausing twice is illegal');
SELECT is(dialer.resume_campaign('cccccccc-0000-0000-0000-0000000000c1', '2026-11-23T15:03:00Z') ->> 'status', 'running', 'resume: paused -> running');
SELECT is((SELECT count(*) FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w', 2, '5 min', '2026-11-23T15:04:00Z')),
          2::bigint, 'a running campaign hands out calls');
SELECT is(dialer.stop_campaign('cccccccc-0000-0000-0000-0000000000c1', '2026-11-23T15:05:00Z') ->> 'leads_cancelled', '3',
          'stop cancels the three leads not in flight');
SELECT is((SELECT count(*) FROM dialer.leads WHERE status = 'in_progress'), 2::bigint, 'calls in flight are left to finish');
SELECT is((SELECT dialer.complete_call(id, 'completed', 'dialer', p_now => '2026-11-23T15:06:00Z') ->> 'call_status'
             FROM dialer.calls ORDER BY id LIMIT 1), 'completed', 'a call in flight of a stopped campaign can still be completed');
SELECT throws_ok($$ SELECT dialer.resume_campaign('cccccccc-0000-0000-0000-0000000000c1') $$, 'PT409',
          'cannot resume campaign cccccccc-0000-0000-0000-0000000000c1: it is cancelled', 'a cancelled campaign stays cancelled');

-- A campaign with a later schedule_start is scheduled, hands out nothing before its
-- start, and turns running at its start.
INSERT INTO dialer.campaigns (tenant_id, id, name, schedule_start, uses_ai_voice)
VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c2', 'A2', '2026-12-01T14:00:00Z', false);
INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c2', '+12125550101');
SELECT is(dialer.start_campaign('cccccccc-0000-0000-0000-0000000000c2', '2026-11-23T15:00:00Z') ->> 'status', 'scheduled',
          'start before schedule_start: scheduled');
SELECT is((SELECT count(*) FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c2', 'w', 1, '5 min', '2026-11-30T14:00:00Z')),
          0::bigint, 'nothing is claimed before the start');
SELECT is((SELECT count(*) FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c2', 'w', 1, '5 min', '2026-12-01T14:00:01Z')),
          1::bigint, 'a claim after the start gets the lead');
SELECT is((SELECT status FROM dialer.campaigns WHERE id = 'cccccccc-0000-0000-0000-0000000000c2'), 'running',
          'and the campaign is running');
SELECT is((SELECT dialer.complete_call(id, 'converted', 'dialer', p_now => '2026-12-01T14:05:00Z') ->> 'campaign_status'
             FROM dialer.calls WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c2'),
          'completed', 'finishing its last lead completes the campaign');
SELECT is((SELECT completed_at FROM dialer.campaigns WHERE id = 'cccccccc-0000-0000-0000-0000000000c2'),
          '2026-12-01T14:05:00Z'::timestamptz, 'completed_at is recorded');

SELECT * FROM finish();
ROLLBACK;
