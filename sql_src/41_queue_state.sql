-- Queue state: concurrency slots per campaign, the indexes the queue reads through,
-- and the lookup every queue function starts with.
--
-- Why slots: "never more calls in flight than max_concurrent_calls" must hold under
-- any number of concurrent claimers. Counting in-flight calls and then claiming races
-- (two claimers both see N-1); locking the campaign row serialises every claimer.
-- Instead each campaign has exactly max_concurrent_calls slot rows; a claim takes free
-- slots with FOR UPDATE SKIP LOCKED, so claimers never wait for each other and the
-- limit is enforced by the number of rows that exist.
--
-- Why the queue's PL/pgSQL functions SET plan_cache_mode = force_generic_plan: their
-- statements' plans do not depend on the values (key lookups and one index-ordered
-- queue scan), yet PostgreSQL plans each statement five times per connection before
-- trying a generic plan, and keeps re-planning when the generic estimate looks worse;
-- the scheduler's input query alone took milliseconds to plan, on every call.
--
-- Why they also SET enable_seqscan = off: a generic plan is made once per connection.
-- Made while a table looked empty (a new deployment, or calls just purged and
-- autoanalyzed as empty) it scanned the table sequentially and kept doing so as the
-- table filled (thousands of blocks per completion). Every lookup of the queue has an
-- index; with sequential scans priced out the plans use it at every table size
-- (test/scripts/empty_start_plans.sh). And SET jit = off: a sequential scan that remains
-- (a small reference table without a matching index) is then priced above
-- jit_above_cost, and compiling it took 0.6 s per statement.

CREATE TABLE dialer.campaign_slots (
  tenant_id   uuid NOT NULL,
  campaign_id uuid NOT NULL,
  slot        integer NOT NULL CHECK (slot >= 1),
  call_id     uuid,
  claimed_at  timestamptz,
  PRIMARY KEY (tenant_id, campaign_id, slot),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES dialer.campaigns (tenant_id, id) ON DELETE CASCADE
) WITH (fillfactor = 50);
-- Why call_id has neither an index nor a foreign key: every claim and every completion
-- writes it, and a write to an indexed column can never be a HOT update: each one added
-- index entries, and under load claimers waded through thousands of dead ones to find
-- a free slot of 64. Unindexed (and with free space on the page, fillfactor 50) the
-- updates are HOT and pruned in place. The call records the slot it holds (calls.slot),
-- so freeing is a primary-key lookup; a deleted call frees its slot by the trigger
-- dialer_free_deleted_call_slots below, which is what ON DELETE SET NULL did.
COMMENT ON TABLE dialer.campaign_slots IS
  'One row per concurrent call a campaign may have in flight (max_concurrent_calls rows); a '
  'claimed call occupies a slot until it completes, is released or its lease is reaped.';
ALTER TABLE dialer.campaign_slots ENABLE ROW LEVEL SECURITY;
SELECT dialer._create_policy('dialer.campaign_slots', 'campaign_slots_select', 'SELECT',
  'tenant_id = ANY ((SELECT dialer.user_tenant_ids())::uuid[])');

-- Keeps a campaign's slot rows equal to max_concurrent_calls: adds missing ones, drops
-- free ones above the limit (an occupied one above it is dropped when it is freed).
-- SECURITY DEFINER: signed-in admins create campaigns, but campaign_slots has no write
-- policy for them (found by the RLS matrix: INSERT campaigns as an admin was 403).
CREATE FUNCTION dialer._sync_campaign_slots()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
BEGIN
  -- Why bounded: one slot row per concurrent call, so the limit is rows written here.
  IF NEW.max_concurrent_calls > dialer._limit('max_concurrent_calls') THEN
    PERFORM dialer._over_limit(format('max_concurrent_calls of campaign %s', NEW.id),
                               NEW.max_concurrent_calls, 'max_concurrent_calls');
  END IF;
  INSERT INTO dialer.campaign_slots (tenant_id, campaign_id, slot)
  SELECT NEW.tenant_id, NEW.id, g FROM generate_series(1, NEW.max_concurrent_calls) g
  ON CONFLICT DO NOTHING;
  DELETE FROM dialer.campaign_slots s
   WHERE s.tenant_id = NEW.tenant_id AND s.campaign_id = NEW.id
     AND s.slot > NEW.max_concurrent_calls AND s.call_id IS NULL;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._sync_campaign_slots() IS
  'Trigger: keeps dialer.campaign_slots at max_concurrent_calls rows per campaign (22023 above '
  'dialer.max_concurrent_calls).';
REVOKE EXECUTE ON FUNCTION dialer._sync_campaign_slots() FROM PUBLIC;
CREATE TRIGGER dialer_sync_campaign_slots
  AFTER INSERT OR UPDATE OF max_concurrent_calls ON dialer.campaigns
  FOR EACH ROW EXECUTE FUNCTION dialer._sync_campaign_slots();

-- The campaign gate: every claim holds it shared from its start (before any row lock),
-- every lifecycle move (start, pause, resume, stop) exclusively. Why: a move then waits
-- for the claims already running and no claim starts until it commits, so no call is
-- claimed after pause_campaign or stop_campaign returns; and because claims take it
-- before any row lock and moves hold no row lock while waiting for it, it cannot close
-- a deadlock (docs/queue.md, "Lock order"). An advisory lock and not the campaign row:
-- the lock manager queues a waiting exclusive request ahead of later shared ones, so a
-- stream of claims cannot starve a stop (row-lock sharers can).
CREATE FUNCTION dialer._campaign_gate_key(p_campaign_id uuid)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT (1571291136::bigint << 32) | (hashtext(p_campaign_id::text)::bigint & 4294967295)
$$;
COMMENT ON FUNCTION dialer._campaign_gate_key(uuid) IS
  'Internal: the advisory lock key of a campaign''s gate (claims shared, lifecycle moves exclusive).';
REVOKE EXECUTE ON FUNCTION dialer._campaign_gate_key(uuid) FROM PUBLIC;

-- The queue: due leads of a campaign, best first. NULLS FIRST: a never-attempted lead
-- (next_attempt_at NULL) is due at once.
CREATE INDEX leads_queue_idx ON dialer.leads
  (tenant_id, campaign_id, priority DESC, next_attempt_at NULLS FIRST)
  WHERE status IN ('pending', 'scheduled');
-- Leads in progress or held: with the waiting leads (leads_waiting_idx), those that still
-- need work (the campaign completes when none is left). Why not one index of all four, as
-- up to 0.15.0 (leads_open_idx): its one key per campaign put every new lead version at
-- the same place, and both the claim and the completion wrote it; a completion that
-- schedules the lead again writes none of this one (docs/queue.md, Performance).
CREATE INDEX leads_busy_idx ON dialer.leads (tenant_id, campaign_id)
  WHERE status IN ('in_progress', 'held');
-- At most one call in flight per lead, enforced by the database itself. The predicates
-- are dialer.call_in_flight(status) as the planner inlines it (21_model.sql says why).
CREATE UNIQUE INDEX calls_one_in_flight_idx ON dialer.calls (tenant_id, lead_id)
  WHERE status < 'completed';
-- (The reaper's lease index, calls_lease_idx, is in 55_call_slot.sql: it names calls.slot.)

-- The caller's role in a tenant: owner for roles that bypass RLS (service_role), the
-- membership role for a member, NULL otherwise. One lookup for both the visibility and
-- the permission check of a queue call.
CREATE FUNCTION dialer._caller_role(p_tenant_id uuid)
RETURNS dialer.member_role
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
BEGIN
  IF dialer._caller_bypasses_rls() THEN
    RETURN 'owner';
  END IF;
  RETURN (SELECT m.role FROM dialer.tenant_members m
           WHERE m.tenant_id = p_tenant_id AND m.user_id = dialer.current_user_id());
END
$$;
COMMENT ON FUNCTION dialer._caller_role(uuid) IS
  'Internal: the caller''s role in a tenant (owner when the caller bypasses RLS, NULL when not a member).';
REVOKE EXECUTE ON FUNCTION dialer._caller_role(uuid) FROM PUBLIC;

-- The campaign p_campaign_id if the caller may act on it with p_min_role: raises PT404
-- when it does not exist or the caller is not a member (no existence leak), 42501 when
-- the caller's role is below p_min_role.
CREATE FUNCTION dialer._campaign_for(p_campaign_id uuid, p_min_role dialer.member_role)
RETURNS dialer.campaigns
LANGUAGE plpgsql STABLE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_c dialer.campaigns;
  v_role dialer.member_role;
BEGIN
  SELECT * INTO v_c FROM dialer.campaigns c WHERE c.id = p_campaign_id;
  IF v_c.id IS NOT NULL THEN
    v_role := dialer._caller_role(v_c.tenant_id);
  END IF;
  IF v_role IS NULL THEN
    RAISE EXCEPTION 'campaign % not found', p_campaign_id
      USING ERRCODE = 'PT404', DETAIL = 'No campaign with this id is visible to the caller.',
            HINT = 'Check the id, and that you are a member of the campaign''s tenant.';
  END IF;
  IF v_role < p_min_role THEN
    RAISE EXCEPTION 'role % or higher is needed for this on campaign %', p_min_role, p_campaign_id
      USING ERRCODE = '42501', DETAIL = 'Your membership role in the campaign''s tenant is lower.',
            HINT = 'Ask an admin of the tenant to do it, or to raise your role.';
  END IF;
  RETURN v_c;
END
$$;
COMMENT ON FUNCTION dialer._campaign_for(uuid, dialer.member_role) IS
  'Internal: the campaign if the caller may act on it with p_min_role (PT404 if invisible, 42501 if the role is too low).';
REVOKE EXECUTE ON FUNCTION dialer._campaign_for(uuid, dialer.member_role) FROM PUBLIC;

-- Raises 22023 naming a queue function's parameter and its bad value. Called only on
-- the error path (callers test the condition inline, which costs nothing).
CREATE FUNCTION dialer._invalid_arg(p_name text, p_value text, p_rule text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
BEGIN
  RAISE EXCEPTION 'invalid %: %', p_name, coalesce(p_value, 'NULL')
    USING ERRCODE = '22023', DETAIL = format('%s must be %s.', p_name, p_rule),
          HINT = format('Pass %s %s.', p_name, p_rule);
END
$$;
COMMENT ON FUNCTION dialer._invalid_arg(text, text, text) IS
  'Internal: raises 22023 "invalid <name>: <value>" with the rule the value breaks.';
REVOKE EXECUTE ON FUNCTION dialer._invalid_arg(text, text, text) FROM PUBLIC;

-- (Freeing a call's slot, dialer._free_slot up to 0.15.0, is part of the trigger
-- dialer._call_leaves_flight in 55_call_slot.sql.)

-- Frees the slots of deleted calls (what a foreign key's ON DELETE SET NULL would do).
CREATE FUNCTION dialer._free_deleted_call_slots()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  UPDATE dialer.campaign_slots s SET call_id = NULL, claimed_at = NULL
    FROM old_calls o
   WHERE s.tenant_id = o.tenant_id AND s.campaign_id = o.campaign_id AND s.slot = o.slot
     AND s.call_id = o.id;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._free_deleted_call_slots() IS
  'Trigger: a deleted call no longer occupies its campaign slot.';
REVOKE EXECUTE ON FUNCTION dialer._free_deleted_call_slots() FROM PUBLIC;
CREATE TRIGGER dialer_free_deleted_call_slots AFTER DELETE ON dialer.calls
  REFERENCING OLD TABLE AS old_calls
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._free_deleted_call_slots();
