-- Tenant-wide claims are fair across the tenant's running campaigns and never cross
-- into another tenant.
BEGIN;
\i test/helpers/queue_fixture.sql
SELECT plan(6);
-- A second campaign of tenant A with 5 leads, and one of tenant B.
INSERT INTO dialer.campaigns (tenant_id, id, name, max_concurrent_calls, uses_ai_voice)
VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c2', 'A2', 3, false),
       ('bbbbbbbb-0000-0000-0000-0000000000b1', 'cccccccc-0000-0000-0000-0000000000c3', 'B1', 3, false);
INSERT INTO dialer.contacts (tenant_id, phone) VALUES ('bbbbbbbb-0000-0000-0000-0000000000b1', '+442079460958');
INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1'::uuid, 'cccccccc-0000-0000-0000-0000000000c2'::uuid, '+1212555010' || g FROM generate_series(1, 5) g
UNION ALL SELECT 'bbbbbbbb-0000-0000-0000-0000000000b1', 'cccccccc-0000-0000-0000-0000000000c3', '+442079460958';
SELECT dialer.start_campaign(id, '2026-11-23T15:00:00Z') FROM dialer.campaigns;

CREATE TEMP TABLE got AS
SELECT * FROM dialer.claim_tenant_calls('aaaaaaaa-0000-0000-0000-0000000000a1', 'w1', 4, '5 min', '2026-11-23T15:00:00Z');
SELECT is((SELECT count(*) FROM got), 4::bigint, 'four calls claimed across the tenant');
SELECT is((SELECT array_agg(n ORDER BY n) FROM (SELECT count(*) AS n FROM got GROUP BY campaign_id) x), '{2,2}'::bigint[],
          'split evenly between its two campaigns');
SELECT is((SELECT count(*) FROM got WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c3'), 0::bigint,
          'never from another tenant''s campaign');
SELECT is((SELECT count(*) FROM dialer.claim_tenant_calls('aaaaaaaa-0000-0000-0000-0000000000a1', 'w2', 10, '5 min', '2026-11-23T15:00:00Z')),
          2::bigint, 'then only the free slots remain (3 + 3 - 4)');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.claim_tenant_calls',
            '{"p_tenant_id": "aaaaaaaa-0000-0000-0000-0000000000a1", "p_worker_id": "x"}', 'authenticated',
            '{"sub": "00000000-0000-0000-0000-0000000000b0"}') -> 'status', '404', 'another tenant''s member gets 404');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.claim_tenant_calls',
            '{"p_tenant_id": "aaaaaaaa-0000-0000-0000-0000000000a1", "p_worker_id": "x"}', 'authenticated',
            '{"sub": "00000000-0000-0000-0000-0000000000a5"}') -> 'status', '404', 'a viewer cannot claim');
SELECT * FROM finish();
ROLLBACK;
