-- Included by the bench/ab/queue_floor_probe_*.sql variants of scripts/ab-workers.sh: the
-- write floor's two functions (bench/ab/queue_write_floor.sql) in schema bench_probe, plus one
-- kind of work the queue does beyond the floor, named by the psql variable probe (kept in the
-- database setting bench.probe) to measure what it costs on its own under sixteen workers:
--   none        the floor (the baseline of the others: it pays their one-setting checks too)
--   locks       one LOCK TABLE of twelve small tables the floor does not touch, in each
--               transaction: relation locks past PostgreSQL 15's 16 fast-path slots per
--               backend, as a scheduling decision's reads add
--   statements  eight primary-key reads of the campaign row in each transaction (a relation
--               already locked, a page already read): the price of a statement as such
--   slots       the concurrency slots as dialer.claim_calls keeps them: a free slot taken with
--               FOR UPDATE SKIP LOCKED and the call inserted with it (dialer_occupy_call_slot
--               writes the slot row), freed by the completion's status change
--               (dialer_call_leaves_flight)
--   gate        the campaign gate: a shared advisory lock on the campaign's gate key in each
--               transaction (dialer.claim_calls, dialer._campaign_cancelled), never fast-path
-- A measurement only (docs/queue.md, "A decision in one C call, and where a cycle's CPU goes").
DROP SCHEMA IF EXISTS bench_probe CASCADE;
CREATE SCHEMA bench_probe;

-- Whether this connection's probe is p.
CREATE FUNCTION bench_probe.is(p text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('bench.probe', true), 'none') = p
$$;

-- The probes' work at the start of a transaction (locks) and once its campaign is known.
CREATE FUNCTION bench_probe.extra(p_tenant_id uuid, p_campaign_id uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF bench_probe.is('statements') THEN
    FOR i IN 1 .. 8 LOOP
      PERFORM 1 FROM dialer.campaigns c WHERE c.tenant_id = p_tenant_id AND c.id = p_campaign_id;
    END LOOP;
  ELSIF bench_probe.is('gate') THEN
    PERFORM pg_advisory_xact_lock_shared(dialer._campaign_gate_key(p_campaign_id));
  END IF;
END $$;
CREATE FUNCTION bench_probe.lock_tables() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF bench_probe.is('locks') THEN
    LOCK TABLE dialer.tenants, dialer.contacts, dialer.suppressions, dialer.global_suppressions,
               dialer.conversations, dialer.messages, dialer.escalations, dialer.tenant_members,
               dialer.tenant_identifiers, dialer.rule_packs, dialer.rule_pack_rules, dialer.outcome_classes
      IN ACCESS SHARE MODE;
  END IF;
END $$;

CREATE FUNCTION bench_probe.claim_calls(p_campaign_id uuid, p_worker_id text, p_max_calls integer,
                                        p_lease interval, p_now timestamptz)
RETURNS TABLE (call_id uuid) LANGUAGE plpgsql AS $$
DECLARE
  l record;
  v_slot integer;
BEGIN
  PERFORM bench_probe.lock_tables();
  SELECT x.tenant_id, x.id, x.campaign_id, x.phone, x.attempts INTO l FROM dialer.leads x
   WHERE x.tenant_id = (SELECT c.tenant_id FROM dialer.campaigns c WHERE c.id = p_campaign_id)
     AND x.campaign_id = p_campaign_id AND x.status IN ('pending', 'scheduled')
     AND (x.next_attempt_at IS NULL OR x.next_attempt_at <= p_now)
   ORDER BY x.priority DESC, x.next_attempt_at NULLS FIRST LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF l.id IS NULL THEN RETURN; END IF;
  PERFORM bench_probe.extra(l.tenant_id, l.campaign_id);
  IF bench_probe.is('slots') THEN
    SELECT s.slot INTO v_slot FROM dialer.campaign_slots s
     WHERE s.tenant_id = l.tenant_id AND s.campaign_id = l.campaign_id AND s.call_id IS NULL
     ORDER BY s.slot LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF v_slot IS NULL THEN RETURN; END IF;
  END IF;
  INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, attempt_number, worker_id,
                            claimed_at, lease_expires_at, recipient_time_zone, slot)
  VALUES (l.tenant_id, l.campaign_id, l.id, l.phone, 'claimed', l.attempts + 1, p_worker_id, p_now,
          p_now + p_lease, 'America/New_York', v_slot)
  RETURNING id INTO call_id;
  UPDATE dialer.leads SET status = 'in_progress', attempts = attempts + 1, last_attempt_at = p_now
   WHERE tenant_id = l.tenant_id AND id = l.id;
  RETURN NEXT;
END $$;

CREATE FUNCTION bench_probe.complete_call(p_call_id uuid, p_outcome text, p_provider text,
                                          p_duration_seconds integer, p_cost numeric, p_now timestamptz)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  k record;
BEGIN
  PERFORM bench_probe.lock_tables();
  UPDATE dialer.calls SET status = 'completed', provider_outcome = p_outcome, duration_seconds = p_duration_seconds,
         cost = p_cost, ended_at = p_now, lease_expires_at = NULL,
         outcome_class = (SELECT o.outcome_class FROM dialer.provider_outcomes o
                           WHERE o.provider = p_provider AND o.raw_outcome = p_outcome)
   WHERE id = p_call_id
  RETURNING tenant_id, campaign_id, lead_id, outcome_class INTO k;
  PERFORM bench_probe.extra(k.tenant_id, k.campaign_id);
  UPDATE dialer.leads SET status = 'scheduled', next_attempt_at = p_now, last_outcome_class = k.outcome_class
   WHERE tenant_id = k.tenant_id AND id = k.lead_id;
  RETURN jsonb_build_object('call_id', p_call_id);
END $$;

SELECT format('ALTER DATABASE %I SET bench.probe = %L', current_database(), :'probe') \gexec
SELECT dialer.set_campaign_stats_enabled(true);
