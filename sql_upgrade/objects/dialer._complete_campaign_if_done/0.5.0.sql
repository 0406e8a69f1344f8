CREATE OR REPLACE FUNCTION dialer._complete_campaign_if_done(p_tenant_id uuid, p_campaign_id uuid, p_now timestamptz)
RETURNS dialer.campaign_status
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
-- Why: for the EXISTS probe below the planner prefers a sequential scan, expecting an
-- open lead within the first few rows; in a table holding many campaigns it reads every
-- other campaign's leads first (the queue benchmark spent half its CPU there).
SET enable_seqscan = off
SET jit = off
AS $$
DECLARE
  v_status dialer.campaign_status;
BEGIN
  -- Why probes before the UPDATE: as an anti-join inside the UPDATE the planner reads
  -- the whole open-leads index (tens of thousands of entries, milliseconds per
  -- completion under load); as EXISTS it stops at the first open lead.
  IF EXISTS (SELECT 1 FROM dialer.leads l
              WHERE l.tenant_id = p_tenant_id AND l.campaign_id = p_campaign_id
                AND l.status IN ('pending', 'scheduled', 'held')) THEN
    RETURN NULL;
  END IF;
  -- Only calls in flight are left. Why the lock: two workers finishing the last two
  -- calls at once each see the other's lead still in progress (not yet committed), and
  -- neither would complete the campaign. Finishers queue on the campaign row here, so
  -- the last one's UPDATE (a new snapshot under READ COMMITTED) sees the others'
  -- results in its NOT EXISTS. Taken only at a campaign's very end, never on the busy
  -- path, where the open leads left are the few calls in flight.
  PERFORM 1 FROM dialer.campaigns c
   WHERE c.tenant_id = p_tenant_id AND c.id = p_campaign_id FOR NO KEY UPDATE;
  UPDATE dialer.campaigns c SET status = 'completed', completed_at = p_now, status_changed_at = p_now
   WHERE c.tenant_id = p_tenant_id AND c.id = p_campaign_id AND c.status IN ('running', 'paused')
     AND NOT EXISTS (SELECT 1 FROM dialer.leads l
                      WHERE l.tenant_id = p_tenant_id AND l.campaign_id = p_campaign_id
                        AND l.status IN ('pending', 'scheduled', 'in_progress', 'held'))
  RETURNING c.status INTO v_status;
  RETURN v_status;
END
$$;
COMMENT ON FUNCTION dialer._complete_campaign_if_done(uuid, uuid, timestamptz) IS
  'Internal: marks a running or paused campaign completed when no lead needs work any more.';
