-- Claiming calls: "what do I call next?". A claim takes free concurrency slots and
-- due leads with FOR UPDATE SKIP LOCKED (claimers never wait for each other and never
-- get the same lead), re-checks each lead's legality with the scheduler at claim time,
-- and creates one call row per claimed lead, leased to the worker. No session state and
-- no session-level locks: everything is in the claiming transaction, so it works through a
-- transaction-mode pooler, and a worker that dies mid-claim leaves nothing behind.

-- In C (src/pg/claim_calls.cpp, issue 20): the statements of the PL/pgSQL definition
-- shipped from 0.8.0 to 0.9.0 (sql_upgrade/objects/dialer.claim_calls/0.8.0.sql) over kept
-- plans, _campaign_for and the tenant's status check inlined, each lead's legality re-check
-- a direct call of the scheduler. Why the SET clauses stay: the C function's statements are
-- planned and run under them, as the PL/pgSQL's were.
CREATE FUNCTION dialer.claim_calls(
  p_campaign_id uuid,
  p_worker_id text,
  p_max_calls integer DEFAULT 1,
  p_lease interval DEFAULT '5 minutes',
  p_now timestamptz DEFAULT now())
RETURNS TABLE (call_id uuid, lead_id uuid, phone text, attempt_number integer,
               lease_expires_at timestamptz, idempotency_key text, dial_by timestamptz)
LANGUAGE c VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS 'MODULE_PATHNAME', 'dialer_claim_calls';
COMMENT ON FUNCTION dialer.claim_calls(uuid, text, integer, interval, timestamptz) IS
  'Claims up to p_max_calls due leads of a running campaign for worker p_worker_id: highest '
  'priority first, legality re-checked by the scheduler, never more calls in flight than '
  'max_concurrent_calls, never one lead twice. Returns one row per call to place (call id, lead, '
  'E.164 number, attempt number, lease expiry, idempotency key for the provider, and dial_by: '
  'the deadline to dial it, never past the lease nor the end of the legal window). Agent role.';

-- Whether a campaign hands out calls at p_now: running (or scheduled and started),
-- inside its schedule. A scheduled campaign whose start has come becomes running.
CREATE FUNCTION dialer._campaign_claimable(p_c dialer.campaigns, p_now timestamptz)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
BEGIN
  IF p_c.status = 'scheduled' AND coalesce(p_c.schedule_start <= p_now, true) THEN
    -- Why guarded by status in the WHERE: concurrent claimers may all see 'scheduled';
    -- the first flips it, the others update nothing.
    UPDATE dialer.campaigns c SET status = 'running', started_at = coalesce(c.started_at, p_now),
                                  status_changed_at = p_now
     WHERE c.tenant_id = p_c.tenant_id AND c.id = p_c.id AND c.status = 'scheduled';
    RETURN coalesce(p_c.schedule_end > p_now, true);
  END IF;
  RETURN p_c.status = 'running'
     AND coalesce(p_c.schedule_start <= p_now, true)
     AND coalesce(p_c.schedule_end > p_now, true);
END
$$;
COMMENT ON FUNCTION dialer._campaign_claimable(dialer.campaigns, timestamptz) IS
  'Internal: whether the campaign hands out calls at p_now (running, inside its schedule); flips a due scheduled campaign to running.';
REVOKE EXECUTE ON FUNCTION dialer._campaign_claimable(dialer.campaigns, timestamptz) FROM PUBLIC;

-- Tenant-wide claim, fair across the tenant's claimable campaigns: each round gives
-- one call to the campaign with the lowest share of its slots in use.
CREATE FUNCTION dialer.claim_tenant_calls(
  p_tenant_id uuid,
  p_worker_id text,
  p_max_calls integer DEFAULT 1,
  p_lease interval DEFAULT '5 minutes',
  p_now timestamptz DEFAULT now())
RETURNS TABLE (campaign_id uuid, call_id uuid, lead_id uuid, phone text, attempt_number integer,
               lease_expires_at timestamptz, idempotency_key text, dial_by timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_exhausted uuid[] := '{}';
  v_campaign uuid;
  v_got integer := 0;
  v_row record;
  v_found boolean;
BEGIN
  IF NOT dialer.has_tenant_role(p_tenant_id, 'agent') THEN
    RAISE EXCEPTION 'tenant % not found', p_tenant_id
      USING ERRCODE = 'PT404', DETAIL = 'The caller is not an agent (or higher) of this tenant.',
            HINT = 'Check the tenant id and your membership.';
  END IF;
IF NOT coalesce(p_max_calls BETWEEN 1 AND 1000, false) THEN
    PERFORM dialer._invalid_arg('p_max_calls', p_max_calls::text, 'between 1 and 1000');
  END IF;
  PERFORM dialer._check_caller_instant('p_now', p_now);
  PERFORM dialer._require_active_tenant(p_tenant_id, 'claim calls of tenant ' || p_tenant_id);
  -- Every gate this claim may need, shared, before any row lock (claim_calls takes one
  -- again: already held). Why up front: a gate requested after claiming in one campaign
  -- (whose sibling re-planning locks leads of others) could wait for a stop that waits
  -- for those leads.
  PERFORM pg_advisory_xact_lock_shared(dialer._campaign_gate_key(c.id))
     FROM dialer.campaigns c
    WHERE c.tenant_id = p_tenant_id AND c.status IN ('running', 'scheduled')
    ORDER BY dialer._campaign_gate_key(c.id);
  WHILE v_got < p_max_calls LOOP
    SELECT c.id INTO v_campaign
      FROM dialer.campaigns c
      LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE s.call_id IS NOT NULL) AS busy
                           FROM dialer.campaign_slots s
                          WHERE s.tenant_id = c.tenant_id AND s.campaign_id = c.id) u ON true
     WHERE c.tenant_id = p_tenant_id AND c.status IN ('running', 'scheduled') AND c.id <> ALL (v_exhausted)
     ORDER BY u.busy::float8 / c.max_concurrent_calls, c.id
     LIMIT 1;
    EXIT WHEN v_campaign IS NULL;
    v_found := false;
    FOR v_row IN SELECT * FROM dialer.claim_calls(v_campaign, p_worker_id, 1, p_lease, p_now) LOOP
      campaign_id := v_campaign; call_id := v_row.call_id; lead_id := v_row.lead_id; phone := v_row.phone;
      attempt_number := v_row.attempt_number; lease_expires_at := v_row.lease_expires_at;
      idempotency_key := v_row.idempotency_key; dial_by := v_row.dial_by;
      v_got := v_got + 1; v_found := true;
      RETURN NEXT;
    END LOOP;
    IF NOT v_found THEN v_exhausted := v_exhausted || v_campaign; END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION dialer.claim_tenant_calls(uuid, text, integer, interval, timestamptz) IS
  'Claims up to p_max_calls calls across a tenant''s running campaigns, fairly: each call goes to '
  'the campaign using the smallest share of its concurrency slots. Same rows as claim_calls (dial_by '
  'included) plus campaign_id.';

REVOKE EXECUTE ON FUNCTION dialer.claim_calls(uuid, text, integer, interval, timestamptz),
  dialer.claim_tenant_calls(uuid, text, integer, interval, timestamptz) FROM PUBLIC;
INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer.claim_calls(uuid, text, integer, interval, timestamptz)',
                    'dialer.claim_tenant_calls(uuid, text, integer, interval, timestamptz)']) f,
       unnest(ARRAY['authenticated', 'service_role']) g;
