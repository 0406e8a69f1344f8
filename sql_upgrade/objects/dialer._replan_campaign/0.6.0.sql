CREATE OR REPLACE FUNCTION dialer._replan_campaign(p_tenant_id uuid, p_campaign_id uuid, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
BEGIN
  UPDATE dialer.leads l
     SET next_attempt_at = p.next_attempt_at,
         status = coalesce(p.final_status, l.status)
    FROM (SELECT s.id FROM dialer.leads s
           WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id
             AND s.status IN ('pending', 'scheduled')
             FOR UPDATE SKIP LOCKED) s,
         LATERAL dialer._plan_lead(p_tenant_id, s.id, p_now) p
   WHERE l.tenant_id = p_tenant_id AND l.id = s.id
     AND (p.next_attempt_at IS NULL
          OR greatest(p.next_attempt_at, p_now) IS DISTINCT FROM greatest(coalesce(l.next_attempt_at, p_now), p_now));
END
$$;
COMMENT ON FUNCTION dialer._replan_campaign(uuid, uuid, timestamptz) IS
  'Internal: plans again the waiting leads of a campaign whose rules just changed.';
