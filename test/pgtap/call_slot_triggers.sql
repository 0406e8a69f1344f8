-- The slot triggers of dialer.calls in C (0.16.0, src/pg/call_slot_triggers.cpp): every path
-- of the PL/pgSQL they replace. A call inserted in flight with a slot takes it, or fails with
-- 23505 when another call holds it, or (a restored call above a shrunk limit) gets its slot row
-- back; a call that leaves flight frees its slot, found by calls.slot or, for a call written
-- by hand without one, among the campaign's slots, and drops a slot above the limit.
BEGIN;
\i test/helpers/queue_fixture.sql
\set QUIET on
SELECT plan(12);
SELECT dialer.start_campaign('cccccccc-0000-0000-0000-0000000000c1', '2026-11-23T15:00:00Z');
CREATE TEMP TABLE ids (phone text PRIMARY KEY, lead uuid, call uuid DEFAULT gen_random_uuid());
INSERT INTO ids (phone, lead)
SELECT phone, id FROM dialer.leads WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c1';

SELECT is((SELECT array_agg(DISTINCT l.lanname) FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
            WHERE p.oid IN ('dialer._occupy_call_slot()'::regprocedure, 'dialer._call_leaves_flight()'::regprocedure)),
          ARRAY['c']::name[], 'both slot trigger functions are C');
SELECT is(to_regprocedure('dialer._free_slot(uuid, uuid, integer, uuid)'), NULL,
          'dialer._free_slot is gone (its work is in dialer._call_leaves_flight)');

-- A call in flight inserted by hand naming slot 2 takes it.
INSERT INTO dialer.calls (tenant_id, id, campaign_id, lead_id, phone, status, claimed_at, slot)
SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', call, 'cccccccc-0000-0000-0000-0000000000c1', lead, phone,
       'claimed', '2026-11-23T15:00:00Z', 2
  FROM ids WHERE phone = '+12125550101';
SELECT is((SELECT call_id FROM dialer.campaign_slots WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c1' AND slot = 2),
          (SELECT call FROM ids WHERE phone = '+12125550101'), 'a call inserted in flight with slot 2 takes slot 2');
SELECT is((SELECT claimed_at FROM dialer.campaign_slots WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c1' AND slot = 2),
          '2026-11-23T15:00:00Z'::timestamptz, 'with the call''s claim time');

-- Another call naming the same slot: 23505, naming the slot, the campaign and the call.
SELECT throws_ok(
  $$INSERT INTO dialer.calls (tenant_id, id, campaign_id, lead_id, phone, status, claimed_at, slot)
    SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', call, 'cccccccc-0000-0000-0000-0000000000c1', lead, phone,
           'claimed', '2026-11-23T15:00:00Z', 2
      FROM ids WHERE phone = '+12125550102'$$,
  '23505', 'slot 2 of campaign cccccccc-0000-0000-0000-0000000000c1 is held by another call',
  'a second call in flight naming a held slot: 23505');

-- A restored call above the campaign's limit (3): its slot row is made for it.
INSERT INTO dialer.calls (tenant_id, id, campaign_id, lead_id, phone, status, claimed_at, slot)
SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', call, 'cccccccc-0000-0000-0000-0000000000c1', lead, phone,
       'claimed', '2026-11-23T15:00:00Z', 5
  FROM ids WHERE phone = '+12125550103';
SELECT is((SELECT call_id FROM dialer.campaign_slots WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c1' AND slot = 5),
          (SELECT call FROM ids WHERE phone = '+12125550103'), 'a call in flight with slot 5 of 3 gets a slot row 5');

-- Leaving flight: slot 2 freed (by calls.slot), slot 5 dropped (above the limit).
UPDATE dialer.calls SET status = 'failed', outcome_class = 'failed'
 WHERE id IN (SELECT call FROM ids WHERE phone IN ('+12125550101', '+12125550103'));
SELECT is((SELECT call_id FROM dialer.campaign_slots WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c1' AND slot = 2),
          NULL, 'the call set to failed frees slot 2');
SELECT is((SELECT claimed_at FROM dialer.campaign_slots WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c1' AND slot = 2),
          NULL, 'and its claim time');
SELECT is((SELECT count(*) FROM dialer.campaign_slots WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c1' AND slot = 5),
          0::bigint, 'the slot above the limit is dropped when its call leaves flight');
SELECT is((SELECT count(*) FROM dialer.campaign_slots WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c1'),
          3::bigint, 'the campaign keeps its three slots');

-- A call in flight written without a slot that a slot names anyway (by hand): found by its id.
INSERT INTO dialer.calls (tenant_id, id, campaign_id, lead_id, phone, status, claimed_at)
SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', call, 'cccccccc-0000-0000-0000-0000000000c1', lead, phone,
       'claimed', '2026-11-23T15:00:00Z'
  FROM ids WHERE phone = '+12125550104';
UPDATE dialer.campaign_slots SET call_id = (SELECT call FROM ids WHERE phone = '+12125550104')
 WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c1' AND slot = 3;
UPDATE dialer.calls SET status = 'cancelled' WHERE id = (SELECT call FROM ids WHERE phone = '+12125550104');
SELECT is((SELECT call_id FROM dialer.campaign_slots WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c1' AND slot = 3),
          NULL, 'a call without calls.slot frees the slot that names it');

-- Attached anywhere else, the function refuses to run (trigger protocol, 39P01).
CREATE TEMP TABLE not_calls (x int);
CREATE TRIGGER misplaced BEFORE INSERT ON not_calls FOR EACH ROW EXECUTE FUNCTION dialer._occupy_call_slot();
SELECT throws_ok($$INSERT INTO not_calls VALUES (1)$$, '39P01',
                 'dialer._occupy_call_slot() must be fired AFTER INSERT FOR EACH ROW',
                 'fired BEFORE on another table: 39P01');

SELECT * FROM finish();
ROLLBACK;
