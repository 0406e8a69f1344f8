CREATE OR REPLACE FUNCTION dialer._occupy_call_slot()
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
