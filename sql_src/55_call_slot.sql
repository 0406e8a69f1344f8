-- The slot a call holds, recorded when it is claimed (NULL for calls the queue did not
-- create); see dialer.campaign_slots in 41_queue_state.sql. Added in 0.2.0. Why a file
-- of its own after the statistics: the column comes after calls.recipient_time_zone,
-- so a fresh install and one upgraded from 0.1.0 have the same column order.
ALTER TABLE dialer.calls ADD COLUMN slot integer;
COMMENT ON COLUMN dialer.calls.slot IS
  'The dialer.campaign_slots slot the call occupies while in flight (set by dialer.claim_calls).';

-- Leases the reaper looks at, of calls in flight without a slot (inserted by hand): the
-- reaper finds the calls the queue claimed through the slots they occupy. Why not every
-- call in flight, as up to 0.16.0 (in 41_queue_state.sql then): each claim inserted into
-- this small index at its right end, a page every claim locked (docs/queue.md,
-- Performance); a claimed call has a slot, so it adds no entry here.
CREATE INDEX calls_lease_idx ON dialer.calls (lease_expires_at)
  WHERE status < 'completed' AND slot IS NULL;

-- A call inserted in flight occupies the slot it names (calls.slot). Why a trigger: the
-- slots are not dumped (a restore's CREATE EXTENSION and campaigns make them, empty),
-- but the calls are, with their slots: restoring a call in flight takes its slot back,
-- so a restored database never hands out more calls than its limit. claim_calls relies
-- on it too (one write of the slot, here).
-- In C since 0.16.0 (src/pg/call_slot_triggers.cpp says why): the slot row by key, taken if
-- free or already this call's; else 23505 if another call holds it; else the row is made.
CREATE FUNCTION dialer._occupy_call_slot()
RETURNS trigger
LANGUAGE c SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS 'MODULE_PATHNAME', 'dialer_occupy_call_slot';
COMMENT ON FUNCTION dialer._occupy_call_slot() IS
  'Trigger: a call inserted in flight with a slot occupies that slot of its campaign (claims, and '
  'calls in flight restored from a dump); 23505 when another call holds it.';
REVOKE EXECUTE ON FUNCTION dialer._occupy_call_slot() FROM PUBLIC;
-- Why "status < 'completed'" and not dialer.call_in_flight(status): it is that function as the
-- planner inlines it (the partial indexes of 41_queue_state.sql say it the same way, and
-- test/pgtap/one_definition.sql holds all of them to the function). PostgreSQL prepares a
-- trigger's WHEN clause again in every statement that fires it, and inlining an SQL function
-- there means parsing and analysing its body each time: 2.2% of the server's CPU in a
-- 16-worker queue run (perf, docs/queue.md), for every INSERT or UPDATE of calls.
CREATE TRIGGER dialer_occupy_call_slot AFTER INSERT ON dialer.calls
  FOR EACH ROW WHEN (NEW.slot IS NOT NULL AND NEW.status < 'completed'::dialer.call_status)
  EXECUTE FUNCTION dialer._occupy_call_slot();

-- A call that leaves flight frees its slot, whatever ends it: complete_call, release_call,
-- the reaper, or an admin's UPDATE of the status (a call set to failed by hand kept its
-- slot up to 0.5.0, and the campaign ran one call short for good: the reaper looks only at
-- calls in flight). Why a trigger: it is the one place every way out passes; the queue
-- functions no longer free the slot themselves, so a completion still frees it once. It
-- runs inside the UPDATE of the call, so the slot is written after the call and before the
-- lead, as the lock order wants (44_claim.sql).
-- In C since 0.16.0 (src/pg/call_slot_triggers.cpp says why), with what dialer._free_slot
-- did up to 0.15.0: the slot freed (found by calls.slot, or among the campaign's slots for a
-- call written by hand without one), and dropped if the campaign's limit shrank meanwhile.
CREATE FUNCTION dialer._call_leaves_flight()
RETURNS trigger
LANGUAGE c SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS 'MODULE_PATHNAME', 'dialer_call_leaves_flight';
COMMENT ON FUNCTION dialer._call_leaves_flight() IS
  'Trigger: a call that leaves flight (completed, failed, cancelled, expired; by the queue or by hand) frees its slot.';
REVOKE EXECUTE ON FUNCTION dialer._call_leaves_flight() FROM PUBLIC;
-- (WHEN: dialer.call_in_flight inlined, as for dialer_occupy_call_slot above.)
CREATE TRIGGER dialer_call_leaves_flight AFTER UPDATE OF status ON dialer.calls
  FOR EACH ROW WHEN (OLD.status < 'completed'::dialer.call_status AND NEW.status >= 'completed'::dialer.call_status)
  EXECUTE FUNCTION dialer._call_leaves_flight();
