CREATE OR REPLACE FUNCTION dialer.claim_calls(
  p_campaign_id uuid,
  p_worker_id text,
  p_max_calls integer DEFAULT 1,
  p_lease interval DEFAULT '5 minutes',
  p_now timestamptz DEFAULT now())
RETURNS TABLE (call_id uuid, lead_id uuid, phone text, attempt_number integer,
               lease_expires_at timestamptz, idempotency_key text, dial_by timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_c dialer.campaigns;
  v_slots integer[];
  v_lead record;
  v_plan dialer.lead_plan;
  v_got integer := 0;
  v_moved_ids uuid[] := '{}';
  v_moved_status dialer.lead_status[] := '{}';
  v_moved_at timestamptz[] := '{}';
  v_claimed_leads uuid[] := '{}';
  v_claimed_phones text[] := '{}';
BEGIN
  v_c := dialer._campaign_for(p_campaign_id, 'agent');
  -- The campaign gate, shared, before any row is locked: a stop or pause waits for this
  -- claim, and the campaign read again under it shows a move that committed meanwhile
  -- (_campaign_gate_key).
  PERFORM pg_advisory_xact_lock_shared(dialer._campaign_gate_key(v_c.id));
  SELECT * INTO v_c FROM dialer.campaigns c WHERE c.tenant_id = v_c.tenant_id AND c.id = v_c.id;
IF NOT coalesce(length(btrim(p_worker_id)) BETWEEN 1 AND 200, false) THEN
    PERFORM dialer._invalid_arg('p_worker_id', p_worker_id, '1 to 200 characters');
  END IF;
IF NOT coalesce(p_max_calls BETWEEN 1 AND 1000, false) THEN
    PERFORM dialer._invalid_arg('p_max_calls', p_max_calls::text, 'between 1 and 1000');
  END IF;
IF NOT coalesce(p_lease > interval '0' AND p_lease <= interval '1 day', false) THEN
    PERFORM dialer._invalid_arg('p_lease', p_lease::text, 'positive and at most 1 day');
  END IF;
  -- Why only when it differs from now(): the default costs the hot path nothing.
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  PERFORM dialer._require_active_tenant(v_c.tenant_id, 'claim calls of campaign ' || p_campaign_id);
  IF NOT dialer._campaign_claimable(v_c, p_now) THEN
    RETURN;
  END IF;
  SELECT array_agg(s.slot ORDER BY s.slot) INTO v_slots FROM (
    SELECT s.slot FROM dialer.campaign_slots s
     WHERE s.tenant_id = v_c.tenant_id AND s.campaign_id = v_c.id AND s.call_id IS NULL
     ORDER BY s.slot LIMIT p_max_calls
       FOR UPDATE SKIP LOCKED) s;
  IF v_slots IS NULL THEN
    RETURN;  -- every slot is busy (or being taken by another claimer right now)
  END IF;
  -- One due lead at a time. Why not one query with LIMIT: every row a FOR UPDATE query
  -- returns is locked (a tuple write and a WAL record each), and PL/pgSQL fetches a FOR
  -- loop's rows ten at a time; over-fetching locked leads this claim never used, which
  -- the other claimers then had to skip. A lead the re-check moves stays locked by us
  -- (SKIP LOCKED does not skip our own locks), hence the exclusion list.
  LOOP
    SELECT l.id, l.phone, l.attempts INTO v_lead FROM dialer.leads l
     WHERE l.tenant_id = v_c.tenant_id AND l.campaign_id = v_c.id
       AND l.status IN ('pending', 'scheduled')
       AND (l.next_attempt_at IS NULL OR l.next_attempt_at <= p_now)
       AND l.id <> ALL (v_moved_ids)
     ORDER BY l.priority DESC, l.next_attempt_at NULLS FIRST
     LIMIT 1
       FOR UPDATE SKIP LOCKED;
    EXIT WHEN NOT FOUND;
    v_plan := dialer._plan_lead(v_c.tenant_id, v_lead.id, p_now);
    IF v_plan.next_attempt_at IS NULL OR v_plan.next_attempt_at > p_now THEN
      v_moved_ids := v_moved_ids || v_lead.id;
      v_moved_status := v_moved_status
        || coalesce(v_plan.final_status, 'scheduled');
      v_moved_at := v_moved_at || v_plan.next_attempt_at;
      -- Bounded work per claim: a campaign whose due leads are all blocked right now
      -- (a closed window everywhere) must not be re-planned lead by lead in one call.
      EXIT WHEN cardinality(v_moved_ids) >= 4 * cardinality(v_slots) + 16;
      CONTINUE;
    END IF;
    v_got := v_got + 1;
    -- created_at is the wall clock after the slot was taken (not the transaction start):
    -- with updated_at (stamped at the start of the completing transaction, before it
    -- commits and frees the slot) it bounds the real slot occupancy from inside, so
    -- intervals recorded on one slot never overlap (test/scripts/queue_concurrency.sh).
    INSERT INTO dialer.calls AS k (tenant_id, campaign_id, lead_id, phone, caller_id, provider, status,
                                   attempt_number, worker_id, claimed_at, lease_expires_at, created_at, slot,
                                   recipient_time_zone)
    VALUES (v_c.tenant_id, v_c.id, v_lead.id, v_lead.phone, v_c.caller_id, v_c.provider, 'claimed',
            v_lead.attempts + 1, p_worker_id, p_now, p_now + p_lease, clock_timestamp(), v_slots[v_got],
            v_plan.recipient_zone)
    RETURNING k.id, k.idempotency_key INTO call_id, idempotency_key;
    UPDATE dialer.leads l
       SET status = 'in_progress', attempts = l.attempts + 1, last_attempt_at = p_now, next_attempt_at = NULL
     WHERE l.tenant_id = v_c.tenant_id AND l.id = v_lead.id;
    -- (The slot is occupied by the trigger dialer_occupy_call_slot on this INSERT.)
    lead_id := v_lead.id;
    phone := v_lead.phone;
    attempt_number := v_lead.attempts + 1;
    lease_expires_at := p_now + p_lease;
    -- The dial-by deadline: never past the lease, nor past the end of the legal window
    -- (mark_call_dialing refuses a dial after it).
    dial_by := least(p_now + p_lease, v_plan.legal_until);
    v_claimed_leads := v_claimed_leads || v_lead.id;
    v_claimed_phones := v_claimed_phones || v_lead.phone;
    RETURN NEXT;
    EXIT WHEN v_got = cardinality(v_slots);
  END LOOP;
  -- Leads the legality re-check moved: written last, in one statement. Why last: every
  -- queue function writes calls before leads, so concurrent transactions take their
  -- row locks (and the statistics counters' rows) in one order and cannot deadlock.
  IF v_moved_ids <> '{}' THEN
    UPDATE dialer.leads l SET status = m.status, next_attempt_at = m.next_at
      FROM unnest(v_moved_ids, v_moved_status, v_moved_at) AS m(id, status, next_at)
     WHERE l.tenant_id = v_c.tenant_id AND l.id = m.id;
  END IF;
  -- The other waiting leads of each claimed number (other campaigns of the tenant): the
  -- claim counts in their caps and gaps from now, so their stored next attempt moves
  -- with it, and why_not_dialable agrees with it at every instant.
  FOR i IN 1 .. coalesce(cardinality(v_claimed_leads), 0) LOOP
    PERFORM dialer._replan_number(v_c.tenant_id, v_claimed_phones[i], v_claimed_leads[i], p_now);
  END LOOP;
END
$$;
COMMENT ON FUNCTION dialer.claim_calls(uuid, text, integer, interval, timestamptz) IS
  'Claims up to p_max_calls due leads of a running campaign for worker p_worker_id: highest '
  'priority first, legality re-checked by the scheduler, never more calls in flight than '
  'max_concurrent_calls, never one lead twice. Returns one row per call to place (call id, lead, '
  'E.164 number, attempt number, lease expiry, idempotency key for the provider, and dial_by: '
  'the deadline to dial it, never past the lease nor the end of the legal window). Agent role.';
