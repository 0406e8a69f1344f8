CREATE OR REPLACE FUNCTION dialer._call_leaves_flight()
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
