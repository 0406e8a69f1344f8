-- What is kept beside the calls table (sql_src/55_call_slot.sql): the calls in flight
-- with their lease and lead (dialer.calls_in_flight), the provider call ids
-- (dialer.call_provider_ids). A completion is then a HOT update of calls, and both stay
-- right whoever writes the calls: the queue, an admin's UPDATE or DELETE, a restore.
BEGIN;
\i test/helpers/queue_fixture.sql
SELECT plan(17);
SELECT dialer.start_campaign('cccccccc-0000-0000-0000-0000000000c1', '2026-11-23T15:00:00Z');
CREATE TEMP TABLE claimed AS
SELECT * FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w1', 10, '5 min', '2026-11-23T15:00:00Z');

SELECT is((SELECT count(*) FROM dialer.calls_in_flight f JOIN claimed c ON c.call_id = f.call_id
            WHERE f.lead_id = c.lead_id AND f.lease_expires_at = c.lease_expires_at),
          3::bigint, 'each claimed call is in dialer.calls_in_flight with its lead and lease');

-- A completion naming the provider and its call id changes no indexed column of calls.
SELECT pg_stat_get_xact_tuples_hot_updated('dialer.calls'::regclass) AS hot_before,
       pg_stat_get_xact_tuples_updated('dialer.calls'::regclass) AS upd_before \gset
SELECT dialer.complete_call(call_id, 'dial_no_answer', 'retell', p_provider_call_id => 'retell-call-1',
                            p_duration_seconds => 0, p_now => '2026-11-23T15:01:00Z')
  FROM claimed WHERE phone = '+12125550105';
SELECT is(pg_stat_get_xact_tuples_updated('dialer.calls'::regclass) - :upd_before, 1::bigint,
          'a completion updates its call once');
SELECT is(pg_stat_get_xact_tuples_hot_updated('dialer.calls'::regclass) - :hot_before, 1::bigint,
          'and that update is HOT (no new index entries)');
SELECT is((SELECT count(*) FROM dialer.calls_in_flight), 2::bigint, 'the completed call left dialer.calls_in_flight');
SELECT is((SELECT call_id FROM dialer.call_provider_ids
            WHERE provider = 'retell' AND provider_call_id = 'retell-call-1'),
          (SELECT call_id FROM claimed WHERE phone = '+12125550105'),
          'its provider call id is recorded');

-- Provider call ids stay unique per tenant and provider.
SELECT throws_ok($$ INSERT INTO dialer.calls (tenant_id, direction, phone, status, provider, provider_call_id)
                    VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'inbound', '+12125550199', 'completed',
                            'retell', 'retell-call-1') $$,
                 '23505', NULL, 'a second call with the same provider call id is refused');
SELECT lives_ok($$ INSERT INTO dialer.calls (tenant_id, direction, phone, status, provider, provider_call_id)
                   VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'inbound', '+12125550199', 'completed',
                           'vapi', 'retell-call-1'),
                          ('bbbbbbbb-0000-0000-0000-0000000000b1', 'inbound', '+12125550199', 'completed',
                           'retell', 'retell-call-1'),
                          ('aaaaaaaa-0000-0000-0000-0000000000a1', 'inbound', '+12125550198', 'completed',
                           NULL, 'no-provider'),
                          ('aaaaaaaa-0000-0000-0000-0000000000a1', 'inbound', '+12125550198', 'completed',
                           NULL, 'no-provider') $$,
                'the same id of another provider, of another tenant, or without a provider is accepted');
UPDATE dialer.calls SET provider_call_id = 'retell-call-1b'
 WHERE provider = 'retell' AND provider_call_id = 'retell-call-1' AND tenant_id = 'aaaaaaaa-0000-0000-0000-0000000000a1';
SELECT lives_ok($$ INSERT INTO dialer.calls (tenant_id, direction, phone, status, provider, provider_call_id)
                   VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'inbound', '+12125550197', 'completed',
                           'retell', 'retell-call-1') $$,
                'an id changed by hand frees the old one');
SELECT throws_ok($$ INSERT INTO dialer.calls (tenant_id, direction, phone, status, provider, provider_call_id)
                    VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'inbound', '+12125550196', 'completed',
                            'retell', 'retell-call-1b') $$,
                 '23505', NULL, 'and holds the new one');
DELETE FROM dialer.calls WHERE phone = '+12125550197';
SELECT is((SELECT count(*) FROM dialer.call_provider_ids WHERE provider_call_id = 'retell-call-1'
             AND provider = 'retell' AND tenant_id = 'aaaaaaaa-0000-0000-0000-0000000000a1'),
          0::bigint, 'a deleted call frees its provider call id');

-- An admin ends a call in flight by hand: its lead is not blocked by a leftover row.
UPDATE dialer.calls SET status = 'cancelled' WHERE id = (SELECT call_id FROM claimed WHERE phone = '+12125550104');
SELECT is((SELECT count(*) FROM dialer.calls_in_flight), 1::bigint, 'a call cancelled by hand leaves dialer.calls_in_flight');
SELECT lives_ok($$ INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status)
                   SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c1', lead_id, phone, 'claimed'
                     FROM claimed WHERE phone = '+12125550104' $$,
                'so its lead may have a call in flight again');
SELECT throws_ok($$ INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status)
                    SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c1', lead_id, phone, 'dialing'
                      FROM claimed WHERE phone = '+12125550104' $$,
                 '23505', NULL, 'but only one');
SELECT throws_ok($$ UPDATE dialer.calls SET status = 'claimed'
                     WHERE id = (SELECT call_id FROM claimed WHERE phone = '+12125550104') $$,
                 '23505', NULL, 'putting a finished call back in flight by hand is refused while its lead has one');
UPDATE dialer.calls SET lease_expires_at = '2026-11-23T15:02:00Z'
 WHERE id = (SELECT call_id FROM claimed WHERE phone = '+12125550103');
SELECT is((SELECT f.lease_expires_at FROM dialer.calls_in_flight f JOIN claimed c ON c.call_id = f.call_id
            WHERE c.phone = '+12125550103'),
          '2026-11-23T15:02:00Z'::timestamptz, 'a lease changed by hand is followed');

-- The reaper reads the leases from dialer.calls_in_flight.
SELECT is(dialer.reap_expired_claims('2026-11-23T15:03:00Z') ->> 'expired', '1',
          'the reaper finds the one lease that ran out');
DELETE FROM dialer.calls WHERE status = 'claimed' AND slot IS NULL;
SELECT is((SELECT count(*) FROM dialer.calls_in_flight), 0::bigint,
          'reaped and deleted calls leave dialer.calls_in_flight');

SELECT * FROM finish();
ROLLBACK;
