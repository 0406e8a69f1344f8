-- What is kept beside the calls table, by triggers on it, so that the updates of a call
-- change no indexed column of calls: the slot a call holds (calls.slot, added in 0.2.0),
-- the calls in flight with their lease and lead (dialer.calls_in_flight, 0.6.0) and the
-- provider call ids (dialer.call_provider_ids, 0.6.0). Why a
-- file of its own after the statistics: the column comes after calls.recipient_time_zone,
-- so a fresh install and one upgraded from 0.1.0 have the same column order.
ALTER TABLE dialer.calls ADD COLUMN slot integer;
COMMENT ON COLUMN dialer.calls.slot IS
  'The dialer.campaign_slots slot the call occupies while in flight (set by dialer.claim_calls).';

-- The calls in flight, one row each: the lease the reaper watches, and the lead, unique,
-- so the database itself refuses a second call in flight for a lead. Why not partial
-- indexes on calls, as up to 0.5.0: an index whose key is lease_expires_at or whose
-- predicate names status makes every completion (it changes both) a non-HOT update, a new
-- entry in each of the calls' other seven indexes; with the in-flight state here a
-- completion changes no indexed column of calls and is a HOT update, and this table holds
-- only the calls in flight (docs/queue.md, measured). Written by the triggers below only;
-- not dumped: restoring the calls writes it again (dialer_call_enters_flight).
CREATE TABLE dialer.calls_in_flight (
  tenant_id        uuid NOT NULL,
  call_id          uuid NOT NULL,
  lead_id          uuid,
  lease_expires_at timestamptz,
  PRIMARY KEY (tenant_id, call_id),
  CONSTRAINT calls_in_flight_one_per_lead UNIQUE (tenant_id, lead_id)
);
CREATE INDEX calls_in_flight_lease_idx ON dialer.calls_in_flight (lease_expires_at);
COMMENT ON TABLE dialer.calls_in_flight IS
  'One row per call in flight (dialer.call_in_flight(status)), kept by triggers on dialer.calls: '
  'its lease (read by dialer.reap_expired_claims) and its lead (at most one call in flight per lead).';
ALTER TABLE dialer.calls_in_flight ENABLE ROW LEVEL SECURITY;
SELECT dialer._create_policy('dialer.calls_in_flight', 'calls_in_flight_select', 'SELECT',
  'tenant_id = ANY ((SELECT dialer.user_tenant_ids())::uuid[])');

-- A call inserted in flight enters dialer.calls_in_flight and occupies the slot it names
-- (calls.slot). Why a trigger: the slots and the in-flight rows are not dumped (a
-- restore's CREATE EXTENSION and campaigns make the slots, empty), but the calls are,
-- with their slots: restoring a call in flight takes its slot back, so a restored
-- database never hands out more calls than its limit. claim_calls relies on it too (one
-- write of each, here).
CREATE FUNCTION dialer._call_enters_flight()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET jit = off
AS $$
BEGIN
  -- 23505 (calls_in_flight_one_per_lead) when the lead has a call in flight already.
  INSERT INTO dialer.calls_in_flight (tenant_id, call_id, lead_id, lease_expires_at)
  VALUES (NEW.tenant_id, NEW.id, NEW.lead_id, NEW.lease_expires_at);
  IF NEW.slot IS NULL THEN
    RETURN NULL;
  END IF;
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
COMMENT ON FUNCTION dialer._call_enters_flight() IS
  'Trigger: a call inserted in flight enters dialer.calls_in_flight (23505 when its lead has a call in '
  'flight) and occupies its slot (claims, and calls in flight restored from a dump; 23505 when another '
  'call holds the slot).';
REVOKE EXECUTE ON FUNCTION dialer._call_enters_flight() FROM PUBLIC;
CREATE TRIGGER dialer_call_enters_flight AFTER INSERT ON dialer.calls
  FOR EACH ROW WHEN (dialer.call_in_flight(NEW.status))
  EXECUTE FUNCTION dialer._call_enters_flight();

-- An update of a call keeps its dialer.calls_in_flight row: gone when the call leaves
-- flight (completed, released, reaped, or set by hand), written when it enters it again
-- (by hand), its lease and lead followed. Why a trigger and not the queue functions: an
-- admin's UPDATE of a call must not leave a row behind, which would block the lead.
-- The slot stays with the queue functions (dialer._free_slot), as before.
CREATE FUNCTION dialer._call_flight_changed()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET jit = off
AS $$
BEGIN
  -- Why delete and insert: the call's key may have changed too (an UPDATE by hand).
  DELETE FROM dialer.calls_in_flight f WHERE f.tenant_id = OLD.tenant_id AND f.call_id = OLD.id;
  IF dialer.call_in_flight(NEW.status) THEN
    INSERT INTO dialer.calls_in_flight (tenant_id, call_id, lead_id, lease_expires_at)
    VALUES (NEW.tenant_id, NEW.id, NEW.lead_id, NEW.lease_expires_at);
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._call_flight_changed() IS
  'Trigger: keeps a call''s dialer.calls_in_flight row when its status, lease or lead changes '
  '(removed when it leaves flight; 23505 when it enters flight while its lead has a call in flight).';
REVOKE EXECUTE ON FUNCTION dialer._call_flight_changed() FROM PUBLIC;
CREATE TRIGGER dialer_call_flight_changed AFTER UPDATE OF status, lease_expires_at, lead_id, tenant_id, id
  ON dialer.calls
  FOR EACH ROW WHEN (dialer.call_in_flight(OLD.status) IS DISTINCT FROM dialer.call_in_flight(NEW.status)
                     OR (dialer.call_in_flight(NEW.status)
                         AND (OLD.lease_expires_at, OLD.lead_id, OLD.tenant_id, OLD.id)
                             IS DISTINCT FROM (NEW.lease_expires_at, NEW.lead_id, NEW.tenant_id, NEW.id)))
  EXECUTE FUNCTION dialer._call_flight_changed();


-- A provider's call id names one call of a tenant: (tenant, provider, provider call id) is
-- unique where both are set. Why a table and not a unique index on calls (as up to
-- 0.5.0): a completion names the provider (and often its call id), and an indexed column
-- changed makes the update non-HOT, a new entry in every index of calls. Here only a
-- call that gets a provider call id writes a row. Written by the triggers below only; not
-- dumped: restoring the calls writes it again.
CREATE TABLE dialer.call_provider_ids (
  tenant_id        uuid NOT NULL,
  provider         text NOT NULL,
  provider_call_id text NOT NULL,
  call_id          uuid NOT NULL,
  CONSTRAINT calls_provider_call_id_unique PRIMARY KEY (tenant_id, provider, provider_call_id)
);
COMMENT ON TABLE dialer.call_provider_ids IS
  'The provider call ids of dialer.calls, kept by triggers: at most one call per (tenant, provider, '
  'provider_call_id), 23505 otherwise.';
ALTER TABLE dialer.call_provider_ids ENABLE ROW LEVEL SECURITY;
SELECT dialer._create_policy('dialer.call_provider_ids', 'call_provider_ids_select', 'SELECT',
  'tenant_id = ANY ((SELECT dialer.user_tenant_ids())::uuid[])');

-- Keeps a call's row of dialer.call_provider_ids when its provider or provider call id is
-- written (23505 calls_provider_call_id_unique when another call of the tenant has it).
CREATE FUNCTION dialer._record_provider_call_id()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM dialer.call_provider_ids p
     WHERE p.tenant_id = OLD.tenant_id AND p.provider = OLD.provider AND p.provider_call_id = OLD.provider_call_id;
  END IF;
  IF NEW.provider IS NOT NULL AND NEW.provider_call_id IS NOT NULL THEN
    INSERT INTO dialer.call_provider_ids (tenant_id, provider, provider_call_id, call_id)
    VALUES (NEW.tenant_id, NEW.provider, NEW.provider_call_id, NEW.id);
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._record_provider_call_id() IS
  'Trigger: records a call''s (provider, provider_call_id) in dialer.call_provider_ids (23505 when taken).';
REVOKE EXECUTE ON FUNCTION dialer._record_provider_call_id() FROM PUBLIC;
CREATE TRIGGER dialer_record_provider_call_id AFTER INSERT ON dialer.calls
  FOR EACH ROW WHEN (NEW.provider IS NOT NULL AND NEW.provider_call_id IS NOT NULL)
  EXECUTE FUNCTION dialer._record_provider_call_id();
CREATE TRIGGER dialer_update_provider_call_id AFTER UPDATE OF provider, provider_call_id, tenant_id, id
  ON dialer.calls
  FOR EACH ROW WHEN ((OLD.provider_call_id IS NOT NULL OR NEW.provider_call_id IS NOT NULL)
                     AND (OLD.provider, OLD.provider_call_id, OLD.tenant_id, OLD.id)
                         IS DISTINCT FROM (NEW.provider, NEW.provider_call_id, NEW.tenant_id, NEW.id))
  EXECUTE FUNCTION dialer._record_provider_call_id();
