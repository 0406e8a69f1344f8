-- Finishing calls: complete_call (the provider's result), mark_call_dialing (the
-- worker dispatched it), release_call (the worker did not place it), release_lead (a
-- person decides a held lead may be called again), reap_expired_claims (leases that
-- ran out). Each locks the call row first, so concurrent reports of one call are
-- applied one after the other; completion is idempotent.

-- The call p_call_id locked for update, if the caller is an agent of its tenant
-- (PT404 otherwise, so call ids of other tenants are not disclosed).
-- Why its callers then update the call "WHERE k.id = ... AND k.tenant_id IS NOT DISTINCT
-- FROM ...": their plans are kept for the connection, and one made while dialer.calls looked
-- empty chose calls_phone_idx on tenant_id alone for "tenant_id = ... AND id = ...", reading
-- every call of the tenant on every update (on an empty table every index costs the same).
-- IS NOT DISTINCT FROM is no index condition, so calls_id_idx is the one index left; tenant_id
-- is NOT NULL, so the rows are the same (test/scripts/empty_start_plans.sh).
CREATE FUNCTION dialer._call_for_update(p_call_id uuid)
RETURNS dialer.calls
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_call dialer.calls;
BEGIN
  -- Why the role in the WHERE: rows failing it are never locked, so naming another
  -- tenant's call does not hold that call's row lock.
  SELECT * INTO v_call FROM dialer.calls k
   WHERE k.id = p_call_id AND dialer._caller_role(k.tenant_id) >= 'agent' FOR UPDATE;
  IF v_call.id IS NULL THEN
    RAISE EXCEPTION 'call % not found', p_call_id
      USING ERRCODE = 'PT404', DETAIL = 'No call with this id is visible to the caller as an agent.',
            HINT = 'Use the call_id returned by dialer.claim_calls.';
  END IF;
  RETURN v_call;
END
$$;
COMMENT ON FUNCTION dialer._call_for_update(uuid) IS 'Internal: locks a call the caller may work on (PT404 otherwise).';
REVOKE EXECUTE ON FUNCTION dialer._call_for_update(uuid) FROM PUBLIC;

-- Plans again the waiting leads of other campaigns of the tenant that call the same
-- number, after a call to it was placed, ended or given back: caps, the gap and cool-downs
-- count that call (or no longer count a released claim), so their stored next_attempt_at
-- (what why_not_dialable recomputes) moves later, earlier, or to never after an opt-out.
-- Only a change of when a lead is due is written (a due lead that stays due is left as it
-- is). Why SKIP LOCKED: a lead being claimed right now is re-checked by its claim anyway,
-- and waiting for it could deadlock with that claimer. Why this statement and
-- _replan_campaign's are not one function over lead ids: measured, the extra call and
-- statement doubled the cost of a bulk contact change (2,000 contacts: 351 -> 691 ms).
CREATE FUNCTION dialer._replan_number(p_tenant_id uuid, p_phone text, p_except_lead uuid, p_now timestamptz)
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
  -- (src/pg/replan_number.cpp asks the same before calling this function from C.)
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
REVOKE EXECUTE ON FUNCTION dialer._replan_number(uuid, text, uuid, timestamptz) FROM PUBLIC;

-- Whether a lead of this campaign goes back to the queue or was cancelled by a stop.
-- Takes the campaign gate shared first (_campaign_gate_key): a stop that cancels the
-- campaign's waiting leads has then committed (and is seen) or waits for this
-- transaction, so no lead is put back in the queue of a cancelled campaign. Why safe to
-- take after row locks: a stop waits only for waiting leads' rows, never for the
-- in-flight lead and call its completer holds.
CREATE FUNCTION dialer._campaign_cancelled(p_tenant_id uuid, p_campaign_id uuid)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(dialer._campaign_gate_key(p_campaign_id));
  RETURN EXISTS (SELECT 1 FROM dialer.campaigns c
                  WHERE c.tenant_id = p_tenant_id AND c.id = p_campaign_id AND c.status = 'cancelled');
END
$$;
COMMENT ON FUNCTION dialer._campaign_cancelled(uuid, uuid) IS
  'Internal: whether the campaign is cancelled, read under its gate (a lead is not requeued into a stopped campaign).';
REVOKE EXECUTE ON FUNCTION dialer._campaign_cancelled(uuid, uuid) FROM PUBLIC;

-- Moves a lead after a call of class p_class ended: a terminal class finishes it,
-- otherwise the scheduler decides the next attempt (or that there is none). Returns
-- the lead's new status and next attempt.
CREATE FUNCTION dialer._advance_lead(p_tenant_id uuid, p_campaign_id uuid, p_lead_id uuid, p_class text,
                                     p_now timestamptz,
                                     OUT status dialer.lead_status, OUT next_attempt_at timestamptz)
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_class dialer.outcome_classes;
  v_plan dialer.lead_plan;
BEGIN
  SELECT * INTO v_class FROM dialer.outcome_classes o WHERE o.outcome_class = p_class;
  IF v_class.terminal THEN
    status := v_class.lead_status::dialer.lead_status;
  ELSIF dialer._campaign_cancelled(p_tenant_id, p_campaign_id) THEN
    status := 'cancelled';  -- stopped while the call was in flight: not requeued
  ELSE
    v_plan := dialer._plan_lead(p_tenant_id, p_lead_id, p_now, p_class);
    next_attempt_at := v_plan.next_attempt_at;
    status := coalesce(v_plan.final_status, 'scheduled');
  END IF;
  UPDATE dialer.leads l
     SET last_outcome_class = p_class, status = _advance_lead.status,
         next_attempt_at = _advance_lead.next_attempt_at
   WHERE l.tenant_id = p_tenant_id AND l.id = p_lead_id;
END
$$;
COMMENT ON FUNCTION dialer._advance_lead(uuid, uuid, uuid, text, timestamptz) IS
  'Internal: sets a lead''s status and next attempt after a call of an outcome class ended '
  '(p_campaign_id: the call''s campaign, which is the lead''s).';
REVOKE EXECUTE ON FUNCTION dialer._advance_lead(uuid, uuid, uuid, text, timestamptz) FROM PUBLIC;

-- Completes a running campaign whose leads are all finished.
CREATE FUNCTION dialer._complete_campaign_if_done(p_tenant_id uuid, p_campaign_id uuid, p_now timestamptz)
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
  -- (Two probes, one per index: leads_waiting_idx and leads_busy_idx.)
  IF EXISTS (SELECT 1 FROM dialer.leads l
              WHERE l.tenant_id = p_tenant_id AND l.campaign_id = p_campaign_id
                AND l.status IN ('pending', 'scheduled'))
     OR EXISTS (SELECT 1 FROM dialer.leads l
                 WHERE l.tenant_id = p_tenant_id AND l.campaign_id = p_campaign_id
                   AND l.status = 'held') THEN
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
                        AND l.status IN ('pending', 'scheduled'))
     AND NOT EXISTS (SELECT 1 FROM dialer.leads l
                      WHERE l.tenant_id = p_tenant_id AND l.campaign_id = p_campaign_id
                        AND l.status IN ('in_progress', 'held'))
  RETURNING c.status INTO v_status;
  RETURN v_status;
END
$$;
COMMENT ON FUNCTION dialer._complete_campaign_if_done(uuid, uuid, timestamptz) IS
  'Internal: marks a running or paused campaign completed when no lead needs work any more.';
REVOKE EXECUTE ON FUNCTION dialer._complete_campaign_if_done(uuid, uuid, timestamptz) FROM PUBLIC;

-- A do_not_call reported for a call no longer in flight (its lease expired and it was
-- reaped, it was released, or it was completed otherwise): the number is suppressed at
-- once and the report recorded on the call (metadata.late_report); the call keeps its
-- status and outcome. Why not PT409 as for other late reports: an error rolls back, and
-- the person's opt-out would be lost while another worker may be calling them.
CREATE FUNCTION dialer._record_late_opt_out(p_call dialer.calls, p_outcome text, p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  INSERT INTO dialer.suppressions (tenant_id, phone, reason, source)
  VALUES (p_call.tenant_id, p_call.phone, 'do_not_call', 'call:' || p_call.id)
  ON CONFLICT (tenant_id, phone) DO NOTHING;
  UPDATE dialer.calls k
     SET metadata = k.metadata || jsonb_build_object('late_report', jsonb_build_object(
           'outcome', p_outcome, 'outcome_class', 'do_not_call', 'reported_at', p_now,
           'call_status', p_call.status))
   WHERE k.id = p_call.id AND k.tenant_id IS NOT DISTINCT FROM p_call.tenant_id;  -- see _call_for_update
  PERFORM dialer._replan_number(p_call.tenant_id, p_call.phone, NULL, p_now);
  RETURN jsonb_build_object('call_id', p_call.id, 'lead_id', p_call.lead_id, 'outcome_class', 'do_not_call',
                            'call_status', p_call.status, 'late', true, 'suppressed', true, 'replayed', false);
END
$$;
COMMENT ON FUNCTION dialer._record_late_opt_out(dialer.calls, text, timestamptz) IS
  'Internal: suppresses the number of a call no longer in flight that reported do_not_call, and records the report on the call.';
REVOKE EXECUTE ON FUNCTION dialer._record_late_opt_out(dialer.calls, text, timestamptz) FROM PUBLIC;

-- In C (src/pg/complete_call.cpp, issue 20): the statements of the PL/pgSQL definition
-- shipped from 0.6.0 to 0.9.0 (sql_upgrade/objects/dialer.complete_call/0.6.0.sql) over kept
-- plans, the helpers _call_for_update, _advance_lead and _campaign_cancelled inlined, the
-- next attempt decided by a direct call of the scheduler. Why the SET clauses stay: the C
-- function's statements are planned and run under them, as the PL/pgSQL's were.
CREATE FUNCTION dialer.complete_call(
  p_call_id uuid,
  p_outcome text,
  p_provider text DEFAULT NULL,
  p_provider_call_id text DEFAULT NULL,
  p_answered_at timestamptz DEFAULT NULL,
  p_ended_at timestamptz DEFAULT NULL,
  p_duration_seconds integer DEFAULT NULL,
  p_cost numeric DEFAULT NULL,
  p_recording_url text DEFAULT NULL,
  p_transcript jsonb DEFAULT NULL,
  p_summary text DEFAULT NULL,
  p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE c VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS 'MODULE_PATHNAME', 'dialer_complete_call';
COMMENT ON FUNCTION dialer.complete_call(uuid, text, text, text, timestamptz, timestamptz, integer, numeric, text, jsonb, text, timestamptz) IS
  'Records how a claimed call ended: maps the provider''s raw outcome to an outcome class '
  '(dialer.map_outcome), stores the provider fields, frees the concurrency slot, moves the lead '
  '(final status, or next attempt from the scheduler), suppresses the number on do_not_call, and '
  'completes the campaign when no lead is left. The same report twice changes nothing (replayed: '
  'true); a different report for a completed call or a call not in flight is PT409, except '
  'do_not_call: a late opt-out still suppresses the number at once and is recorded on the call '
  '(metadata.late_report; answer late: true). Agent role.';

-- Raises PT409 when a claimed call may not be dialled at p_now. Why again: a claim
-- may be dialled up to its lease later, when the window may have closed, a cap filled
-- (another campaign's call to the number) or the number been suppressed. The lead is
-- judged as before this claim: no retry wait (the claim already passed it), its own
-- claimed call not counted, every rule of the law and the policy applied.
CREATE FUNCTION dialer._check_dial_legal(p_call dialer.calls, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_in dialer.schedule_inputs;
  v_next timestamptz;
  v_reason text;
BEGIN
  v_in := (SELECT i.inputs FROM dialer._lead_schedule_inputs(p_call.tenant_id, p_call.lead_id, p_now) i);
  IF v_in.lead_id IS NOT NULL THEN
    -- Judged as before this claim: no retry wait (the claim passed it).
    v_in.attempts := 0;
    v_in.last_outcome := NULL;
    v_in.class_attempts := 0;
    v_in.last_attempt_at := NULL;
    SELECT d.next_attempt_at, d.reason INTO v_next, v_reason FROM dialer._decide(v_in, p_now) d;
  END IF;
  IF v_next IS NULL OR v_next > p_now THEN
    RAISE EXCEPTION 'call % may not be dialled now: %', p_call.id, coalesce(v_reason, 'never')
      USING ERRCODE = 'PT409',
            DETAIL = CASE WHEN v_next IS NULL THEN format('Rule %s forbids calling %s again.', v_reason, p_call.phone)
                          ELSE format('Rule %s forbids calling %s before %s.', v_reason, p_call.phone, v_next) END,
            HINT = 'Do not place the call: give it back with dialer.release_call (the lead is planned again at the next claim).';
  END IF;
END
$$;
COMMENT ON FUNCTION dialer._check_dial_legal(dialer.calls, timestamptz) IS
  'Internal: PT409 naming the rule when a claimed call may not be dialled at p_now.';
REVOKE EXECUTE ON FUNCTION dialer._check_dial_legal(dialer.calls, timestamptz) FROM PUBLIC;

CREATE FUNCTION dialer.mark_call_dialing(p_call_id uuid, p_provider_call_id text DEFAULT NULL,
                                         p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_call dialer.calls := dialer._call_for_update(p_call_id);
BEGIN
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  PERFORM dialer._require_active_tenant(v_call.tenant_id, 'dial call ' || p_call_id);
  IF v_call.status NOT IN ('claimed', 'dialing') THEN
    RAISE EXCEPTION 'call % cannot be marked dialing: it is %', p_call_id, v_call.status
      USING ERRCODE = 'PT409', DETAIL = 'Only a claimed call can be dispatched.',
            HINT = 'Claim a new call with dialer.claim_calls.';
  END IF;
  IF v_call.status = 'claimed' AND v_call.lead_id IS NOT NULL THEN
    PERFORM dialer._check_dial_legal(v_call, p_now);
  END IF;
  UPDATE dialer.calls k SET status = 'dialing', started_at = coalesce(k.started_at, p_now),
                            provider_call_id = coalesce(p_provider_call_id, k.provider_call_id)
   WHERE k.id = v_call.id AND k.tenant_id IS NOT DISTINCT FROM v_call.tenant_id;  -- see _call_for_update
  IF v_call.status = 'claimed' THEN
    PERFORM dialer._replan_number(v_call.tenant_id, v_call.phone, v_call.lead_id, p_now);
  END IF;
  RETURN jsonb_build_object('call_id', v_call.id, 'call_status', 'dialing', 'started_at', coalesce(v_call.started_at, p_now));
END
$$;
COMMENT ON FUNCTION dialer.mark_call_dialing(uuid, text, timestamptz) IS
  'The worker reports it is dispatching the call to the provider (status dialing, started_at). '
  'Legality is checked again at this instant (windows, caps, cool-downs, suppression, consent): '
  'PT409 "may not be dialled now" with the rule and the next legal moment, after which the worker '
  'gives the call back with dialer.release_call. From then on an expired lease means the result is '
  'unknown. Agent role.';

CREATE FUNCTION dialer.release_call(p_call_id uuid, p_reason text DEFAULT NULL, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_call dialer.calls := dialer._call_for_update(p_call_id);
  v_plan dialer.lead_plan;
  v_status dialer.lead_status;
  v_next timestamptz;
BEGIN
  PERFORM dialer._check_caller_instant('p_now', p_now);
  IF v_call.status <> 'claimed' THEN
    RAISE EXCEPTION 'call % cannot be released: it is %', p_call_id, v_call.status
      USING ERRCODE = 'PT409', DETAIL = 'Only a claimed call that was never dispatched can be released.',
            HINT = 'Complete a dispatched call with dialer.complete_call (outcome transport_error if it failed).';
  END IF;
  UPDATE dialer.calls k SET status = 'cancelled', lease_expires_at = NULL,
                            notes = coalesce(p_reason, 'released by ' || coalesce(k.worker_id, 'worker'))
   WHERE k.id = v_call.id AND k.tenant_id IS NOT DISTINCT FROM v_call.tenant_id;  -- see _call_for_update
  -- (The slot is freed by the trigger dialer_call_leaves_flight on this UPDATE.)
  -- Not placed, so not an attempt: the lead's attempt summary goes back to its last
  -- real attempt.
  UPDATE dialer.leads l
     SET attempts = l.attempts - 1,
         (last_attempt_at, last_outcome_class) =
           (SELECT k.claimed_at, k.outcome_class FROM dialer.calls k
             WHERE k.tenant_id = v_call.tenant_id AND k.lead_id = v_call.lead_id
               AND k.id <> v_call.id AND k.status <> 'cancelled'
             ORDER BY k.attempt_number DESC LIMIT 1)
   WHERE l.tenant_id = v_call.tenant_id AND l.id = v_call.lead_id;
  -- Then it is planned like any waiting lead (due again at once unless a rule now says
  -- later, so the stored plan is why_not_dialable's), or cancelled if the campaign was
  -- stopped meanwhile.
  IF dialer._campaign_cancelled(v_call.tenant_id, v_call.campaign_id) THEN
    v_status := 'cancelled';
  ELSE
    v_plan := dialer._plan_lead(v_call.tenant_id, v_call.lead_id, p_now);
    v_status := coalesce(v_plan.final_status, 'scheduled');
    v_next := v_plan.next_attempt_at;
  END IF;
  UPDATE dialer.leads l SET status = v_status, next_attempt_at = v_next
   WHERE l.tenant_id = v_call.tenant_id AND l.id = v_call.lead_id;
  -- The released claim no longer counts for the number's other waiting leads.
  PERFORM dialer._replan_number(v_call.tenant_id, v_call.phone, v_call.lead_id, p_now);
  RETURN jsonb_build_object('call_id', v_call.id, 'call_status', 'cancelled', 'lead_id', v_call.lead_id,
                            'lead_status', v_status, 'next_attempt_at', v_next);
END
$$;
COMMENT ON FUNCTION dialer.release_call(uuid, text, timestamptz) IS
  'The worker gives back a claimed call it never dispatched: the call is cancelled, the attempt '
  'not counted, the lead due again at once (or when a calling rule next allows; cancelled if the '
  'campaign was stopped meanwhile). PT409 once the call was dispatched. Agent role.';

CREATE FUNCTION dialer.release_lead(p_lead_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_lead dialer.leads;
  v_plan dialer.lead_plan;
BEGIN
  -- The role in the WHERE: another tenant's lead is never locked (as in _call_for_update).
  SELECT * INTO v_lead FROM dialer.leads l
   WHERE l.id = p_lead_id AND dialer.has_tenant_role(l.tenant_id, 'admin') FOR UPDATE;
  IF v_lead.id IS NULL THEN
    RAISE EXCEPTION 'lead % not found', p_lead_id
      USING ERRCODE = 'PT404', DETAIL = 'No lead with this id is visible to the caller as an admin.',
            HINT = 'Check the id and your role.';
  END IF;
  PERFORM dialer._check_caller_instant('p_now', p_now);
  IF v_lead.status <> 'held' THEN
    RAISE EXCEPTION 'lead % is not held: it is %', p_lead_id, v_lead.status
      USING ERRCODE = 'PT409', DETAIL = 'Only a lead held after a call with an unknown result can be released.',
            HINT = 'See dialer.why_not_dialable for why a lead is not being called.';
  END IF;
  -- Planned like any lead, with the unknown result set aside (released_at: see
  -- _lead_schedule_inputs), so the stored next attempt is what why_not_dialable says and
  -- the claim that follows does not hold the lead again.
  UPDATE dialer.leads l SET released_at = p_now
   WHERE l.tenant_id = v_lead.tenant_id AND l.id = v_lead.id;
  v_plan := dialer._plan_lead(v_lead.tenant_id, v_lead.id, p_now);
  UPDATE dialer.leads l
     SET status = coalesce(v_plan.final_status, 'scheduled'),
         next_attempt_at = v_plan.next_attempt_at
   WHERE l.tenant_id = v_lead.tenant_id AND l.id = v_lead.id
  RETURNING l.status, l.next_attempt_at INTO v_lead.status, v_lead.next_attempt_at;
  RETURN jsonb_build_object('lead_id', v_lead.id, 'status', v_lead.status,
                            'next_attempt_at', v_lead.next_attempt_at);
END
$$;
COMMENT ON FUNCTION dialer.release_lead(uuid, timestamptz) IS
  'A person decides a held lead (last call''s result unknown) may be called again: the unknown '
  'result no longer blocks it, and it is scheduled at the earliest moment every calling rule allows '
  '(windows, caps, gaps, suppressions, consent, max attempts; a lead that may never be called again '
  'is finished instead). Returns its status and next_attempt_at. Admin role.';

CREATE FUNCTION dialer.reap_expired_claims(p_now timestamptz DEFAULT now(), p_limit integer DEFAULT 1000)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_cand record;
  v_call record;
  v_lead record;
  v_expired integer := 0;
  v_returned integer := 0;
  v_held integer := 0;
  v_finished integer := 0;
BEGIN
  IF NOT dialer._caller_bypasses_rls() THEN
    RAISE EXCEPTION 'reap_expired_claims is a maintenance job for the service role'
      USING ERRCODE = '42501', DETAIL = 'It touches every tenant''s expired calls.',
            HINT = 'Run it as service_role or from pg_cron.';
  END IF;
  IF NOT coalesce(p_limit BETWEEN 1 AND 100000, false) THEN
    PERFORM dialer._invalid_arg('p_limit', p_limit::text, 'between 1 and 100000');
  END IF;
  -- The expired calls, oldest lease first: those the queue claimed through the slots they
  -- occupy (every claimed call holds one), the rest (calls in flight inserted without a
  -- slot) through calls_lease_idx. Why not one lease index over every call in flight, as up
  -- to 0.16.0: every claim inserted into it at its right end, a page all claims wanted
  -- (docs/queue.md, Performance). Each is then locked (skipped if another transaction holds
  -- it) and checked again, since it may have completed in between.
  FOR v_cand IN
    SELECT c.tenant_id, c.id FROM (
      -- Why a LATERAL lookup with LIMIT 1, and the in-flight test outside it: planned while
      -- calls looked empty (the plan is kept), a join scanned all of calls_id_idx for each
      -- slot, and a lookup that also said "in flight" scanned all of calls_one_in_flight_idx
      -- (its predicate); this one can only be one lookup by id per occupied slot
      -- (test/scripts/empty_start_plans.sh; see _call_for_update for the tenant).
      SELECT k.tenant_id, k.id, k.lease_expires_at
        FROM dialer.campaign_slots s,
             LATERAL (SELECT k.tenant_id, k.id, k.status, k.lease_expires_at FROM dialer.calls k
                       WHERE k.id = s.call_id AND k.tenant_id IS NOT DISTINCT FROM s.tenant_id
                       LIMIT 1) k
       WHERE s.call_id IS NOT NULL
         AND dialer.call_in_flight(k.status) AND k.lease_expires_at < p_now
      UNION ALL
      SELECT k.tenant_id, k.id, k.lease_expires_at FROM dialer.calls k
       WHERE dialer.call_in_flight(k.status) AND k.slot IS NULL AND k.lease_expires_at < p_now
    ) c
     ORDER BY c.lease_expires_at LIMIT p_limit
  LOOP
    SELECT k.tenant_id, k.id, k.campaign_id, k.lead_id, k.status, k.slot INTO v_call
      FROM dialer.calls k
     WHERE k.id = v_cand.id AND k.tenant_id IS NOT DISTINCT FROM v_cand.tenant_id  -- see _call_for_update
       AND dialer.call_in_flight(k.status) AND k.lease_expires_at < p_now
       FOR UPDATE SKIP LOCKED;
    CONTINUE WHEN NOT FOUND;
    v_expired := v_expired + 1;
    UPDATE dialer.calls k SET status = 'expired', outcome_class = 'unknown', lease_expires_at = NULL
     WHERE k.id = v_call.id AND k.tenant_id IS NOT DISTINCT FROM v_call.tenant_id;  -- see _call_for_update
    -- (The slot is freed by the trigger dialer_call_leaves_flight on this UPDATE.)
    -- The scheduler decides from the policy: an unknown result is not redialled unless
    -- the policy's "unknown" class says so; then the lead is held for a person.
    SELECT * INTO v_lead FROM dialer._advance_lead(v_call.tenant_id, v_call.campaign_id, v_call.lead_id, 'unknown', p_now);
    IF v_lead.status = 'held' THEN
      v_held := v_held + 1;
    ELSIF v_lead.status = 'scheduled' THEN
      v_returned := v_returned + 1;
    ELSE
      v_finished := v_finished + 1;
    END IF;
  END LOOP;
  RETURN jsonb_build_object('expired', v_expired, 'requeued', v_returned, 'held', v_held,
                            'finished', v_finished);
END
$$;
COMMENT ON FUNCTION dialer.reap_expired_claims(timestamptz, integer) IS
  'Maintenance (service role, pg_cron every minute): calls in flight whose lease ran out become '
  'expired with outcome unknown and free their slot; each lead is requeued only if its retry '
  'policy redials unknown results, otherwise held (or finished when its attempts are used up). '
  'At most p_limit calls per run; returns {expired, requeued, held, finished}.';

REVOKE EXECUTE ON FUNCTION
  dialer.complete_call(uuid, text, text, text, timestamptz, timestamptz, integer, numeric, text, jsonb, text, timestamptz),
  dialer.mark_call_dialing(uuid, text, timestamptz), dialer.release_call(uuid, text, timestamptz),
  dialer.release_lead(uuid, timestamptz), dialer.reap_expired_claims(timestamptz, integer) FROM PUBLIC;
INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer.complete_call(uuid, text, text, text, timestamptz, timestamptz, integer, numeric, text, jsonb, text, timestamptz)',
                    'dialer.mark_call_dialing(uuid, text, timestamptz)', 'dialer.release_call(uuid, text, timestamptz)',
                    'dialer.release_lead(uuid, timestamptz)']) f,
       unnest(ARRAY['authenticated', 'service_role']) g
UNION ALL SELECT 'dialer.reap_expired_claims(timestamptz, integer)'::regprocedure, 'service_role';
