-- The slot a call holds, recorded when it is claimed (NULL for calls the queue did not
-- create); see dialer.campaign_slots in 41_queue_state.sql. Added in 0.2.0. Why a file
-- of its own after the statistics: the column comes after calls.recipient_time_zone,
-- so a fresh install and one upgraded from 0.1.0 have the same column order.
ALTER TABLE dialer.calls ADD COLUMN slot integer;
COMMENT ON COLUMN dialer.calls.slot IS
  'The dialer.campaign_slots slot the call occupies while in flight (set by dialer.claim_calls).';

-- A call inserted in flight occupies the slot it names (calls.slot). Why a trigger: the
-- slots are not dumped (a restore's CREATE EXTENSION and campaigns make them, empty),
-- but the calls are, with their slots: restoring a call in flight takes its slot back,
-- so a restored database never hands out more calls than its limit. claim_calls relies
-- on it too (one write of the slot, here).
CREATE FUNCTION dialer._occupy_call_slot()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET jit = off
AS $$
BEGIN
  UPDATE dialer.campaign_slots s SET call_id = NEW.id, claimed_at = NEW.claimed_at
   WHERE s.tenant_id = NEW.tenant_id AND s.campaign_id = NEW.campaign_id AND s.slot = NEW.slot
     AND (s.call_id IS NULL OR s.call_id = NEW.id);
  IF FOUND THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM dialer.campaign_slots s
              WHERE s.tenant_id = NEW.tenant_id AND s.campaign_id = NEW.campaign_id AND s.slot = NEW.slot) THEN
    RAISE EXCEPTION 'slot % of campaign % is held by another call', NEW.slot, NEW.campaign_id
      USING ERRCODE = '23505', DETAIL = format('Call %s is in flight with that slot.', NEW.id),
            HINT = 'Insert calls in flight through dialer.claim_calls, or without a slot.';
  END IF;
  -- A restored call above the campaign's current limit (the limit shrank while it was in
  -- flight): its slot row is kept until it ends, as it was before the dump.
  INSERT INTO dialer.campaign_slots (tenant_id, campaign_id, slot, call_id, claimed_at)
  VALUES (NEW.tenant_id, NEW.campaign_id, NEW.slot, NEW.id, NEW.claimed_at);
  RETURN NULL;
END
$$;
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
CREATE FUNCTION dialer._call_leaves_flight()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET jit = off
AS $$
BEGIN
  PERFORM dialer._free_slot(OLD.tenant_id, OLD.campaign_id, OLD.slot, OLD.id);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._call_leaves_flight() IS
  'Trigger: a call that leaves flight (completed, failed, cancelled, expired; by the queue or by hand) frees its slot.';
REVOKE EXECUTE ON FUNCTION dialer._call_leaves_flight() FROM PUBLIC;
-- (WHEN: dialer.call_in_flight inlined, as for dialer_occupy_call_slot above.)
CREATE TRIGGER dialer_call_leaves_flight AFTER UPDATE OF status ON dialer.calls
  FOR EACH ROW WHEN (OLD.status < 'completed'::dialer.call_status AND NEW.status >= 'completed'::dialer.call_status)
  EXECUTE FUNCTION dialer._call_leaves_flight();
