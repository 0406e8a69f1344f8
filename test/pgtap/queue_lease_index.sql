-- The reaper's two ways to an expired call (0.17.0): a call the queue claimed through the
-- slot it occupies, a call in flight inserted without a slot through calls_lease_idx. Both
-- are reaped, oldest lease first across the two, within p_limit; a completed call is not.
-- And the finding: claims no longer add entries to calls_lease_idx (up to 0.16.0 every
-- claim inserted one at its right end, a page every claim locked; docs/queue.md).
BEGIN;
\i test/helpers/queue_fixture.sql
SELECT plan(8);
SELECT dialer.start_campaign('cccccccc-0000-0000-0000-0000000000c1', '2026-11-23T15:00:00Z');
-- Two calls claimed at 15:00 with 2-minute leases (they hold slots).
CREATE TEMP TABLE claimed AS
SELECT * FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w1', 2, '2 min', '2026-11-23T15:00:00Z');
-- A call in flight inserted by hand without a slot (an integration's own dialler), its lease
-- ending at 15:01, before the claimed ones; its lead is one the claim did not take.
INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, claimed_at, lease_expires_at)
SELECT l.tenant_id, l.campaign_id, l.id, l.phone, 'dialing', '2026-11-23T14:59:00Z', '2026-11-23T15:01:00Z'
  FROM dialer.leads l
 WHERE l.phone = '+12125550101';
UPDATE dialer.leads SET status = 'in_progress', attempts = 1 WHERE phone = '+12125550101';

SELECT is((SELECT count(*) FROM dialer.calls WHERE slot IS NULL AND dialer.call_in_flight(status)), 1::bigint,
          'one call in flight has no slot');
SELECT is(dialer.reap_expired_claims('2026-11-23T15:00:30Z') ->> 'expired', '0', 'nothing is reaped before a lease ends');
SELECT is(dialer.reap_expired_claims('2026-11-23T15:05:00Z', 1) ->> 'expired', '1',
          'p_limit 1 reaps one call');
SELECT is((SELECT status::text FROM dialer.calls WHERE phone = '+12125550101'), 'expired',
          'the oldest lease first: the call without a slot, found through calls_lease_idx');
SELECT is(dialer.reap_expired_claims('2026-11-23T15:05:00Z') ->> 'expired', '2',
          'the claimed calls are reaped through the slots they hold');
SELECT is((SELECT count(*) FROM dialer.calls k JOIN claimed c ON c.call_id = k.id WHERE k.status = 'expired'), 2::bigint,
          'both claimed calls are expired');
SELECT is((SELECT count(*) FROM dialer.campaign_slots WHERE call_id IS NOT NULL), 0::bigint, 'and every slot is free');

-- The finding: 1,000 calls claimed one a second (a campaign of 1,000 slots and leads) leave
-- the lease index as it was; up to 0.16.0 they were 1,000 entries, several leaf pages. (One
-- claim a second so that the leases differ: B-tree keeps equal keys as one posting list.)
INSERT INTO dialer.campaigns (tenant_id, id, name, max_concurrent_calls, uses_ai_voice, time_zone)
VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c2', 'A2', 1000, false,
        'America/New_York');
INSERT INTO dialer.contacts (tenant_id, phone)
SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', '+1212556' || lpad(g::text, 4, '0') FROM generate_series(1, 1000) g;
INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c2', '+1212556' || lpad(g::text, 4, '0')
  FROM generate_series(1, 1000) g;
SELECT dialer.start_campaign('cccccccc-0000-0000-0000-0000000000c2', '2026-11-23T15:00:00Z');
CREATE TEMP TABLE size_before AS SELECT pg_relation_size('dialer.calls_lease_idx') AS bytes;
CREATE TEMP TABLE many AS
SELECT c.* FROM generate_series(1, 1000) g,
       LATERAL dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c2', 'w2', 1, '2 min',
                                  '2026-11-23T15:00:00Z'::timestamptz + g * interval '1 second') c;
SELECT is(ARRAY[(SELECT count(*) FROM many), pg_relation_size('dialer.calls_lease_idx') - (SELECT bytes FROM size_before)],
          ARRAY[1000, 0]::bigint[], '1,000 claimed calls add nothing to the lease index');

SELECT * FROM finish();
ROLLBACK;
