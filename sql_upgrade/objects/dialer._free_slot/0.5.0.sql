CREATE OR REPLACE FUNCTION dialer._free_slot(p_tenant_id uuid, p_campaign_id uuid, p_slot integer, p_call_id uuid)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_slot integer;
BEGIN
  IF p_slot IS NOT NULL THEN
    UPDATE dialer.campaign_slots s SET call_id = NULL, claimed_at = NULL
     WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id AND s.slot = p_slot
       AND s.call_id = p_call_id
    RETURNING s.slot INTO v_slot;
  ELSE
    -- A call written by hand with status claimed: look through the campaign's slots.
    UPDATE dialer.campaign_slots s SET call_id = NULL, claimed_at = NULL
     WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id AND s.call_id = p_call_id
    RETURNING s.slot INTO v_slot;
  END IF;
  IF v_slot > (SELECT c.max_concurrent_calls FROM dialer.campaigns c
                WHERE c.tenant_id = p_tenant_id AND c.id = p_campaign_id) THEN
    DELETE FROM dialer.campaign_slots s
     WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id AND s.slot = v_slot
       AND s.call_id IS NULL;
  END IF;
END
$$;
COMMENT ON FUNCTION dialer._free_slot(uuid, uuid, integer, uuid) IS
  'Internal: frees the concurrency slot of a finished call (p_slot from calls.slot; NULL searches the campaign''s slots).';
