CREATE OR REPLACE FUNCTION dialer._replan_number(p_tenant_id uuid, p_phone text, p_except_lead uuid, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
BEGIN
  -- Most numbers have no other waiting lead: then no UPDATE is started at all. Why: its
  -- executor start-up opens a dozen relations and fires the statistics trigger, and this
  -- runs twice per call (measured: 2.763 against 3.095 ms of server CPU per claim +
  -- complete cycle, 723 against 621 cycles/s, scripts/ab-workers.sh --rounds 4, 16 workers).
  IF NOT EXISTS (SELECT 1 FROM dialer.leads s
                  WHERE s.tenant_id = p_tenant_id AND s.phone = p_phone AND s.id IS DISTINCT FROM p_except_lead
                    AND s.status IN ('pending', 'scheduled')) THEN
    RETURN;
  END IF;
  UPDATE dialer.leads l
     SET next_attempt_at = p.next_attempt_at,
         status = coalesce(p.final_status, l.status)
    FROM (SELECT s.id FROM dialer.leads s
           WHERE s.tenant_id = p_tenant_id AND s.phone = p_phone AND s.id IS DISTINCT FROM p_except_lead
             AND s.status IN ('pending', 'scheduled')
             FOR UPDATE SKIP LOCKED) s,
         LATERAL dialer._plan_lead(p_tenant_id, s.id, p_now) p
   WHERE l.tenant_id = p_tenant_id AND l.id = s.id
     AND NOT (p IS NULL)  -- no decision (a NULL plan): the lead is not visible
     AND (p.next_attempt_at IS NULL
          OR greatest(p.next_attempt_at, p_now) IS DISTINCT FROM greatest(coalesce(l.next_attempt_at, p_now), p_now));
END
$$;
COMMENT ON FUNCTION dialer._replan_number(uuid, text, uuid, timestamptz) IS
  'Internal: plans again the waiting leads of a number whose history just changed (later, earlier or never).';
