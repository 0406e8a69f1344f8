-- pg_dialer 0.2.0 -> 0.3.0 (2 Dec 2026). What changed, and why: docs/queue.md
-- ("Performance"); CHANGELOG in the README's Upgrading section.
-- test/scripts/extension_upgrade.sh proves that a database upgraded from 0.2.0 (and one
-- upgraded from 0.1.0 through 0.2.0) has the same catalog as a fresh 0.3.0 install, and
-- that a call claimed before the upgrade completes after it.
\echo Use "ALTER EXTENSION pg_dialer UPDATE TO '0.3.0'" to load this file. \quit

-- ---- dialer._plan_lead: PL/pgSQL -> inlinable SQL (its result type changes, so it is
-- dropped and created again; only the queue's own functions call it) ----
DROP FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text);
-- The next legal attempt for a lead: NULL next_attempt_at means never, with the
-- status the lead should take then. Why _next_attempt_decision: a "never" needs its
-- reason, and the lean variant returns both without building the JSON explanation.
-- Why plain SQL returning a one-row table, without SET clauses: PostgreSQL then inlines
-- it (with _lead_schedule_inputs and _never_status) into the calling statement, planned
-- once in the caller's cached plan. As PL/pgSQL with SET clauses each call paid for a
-- function scan, a result tuple descriptor and two GUC changes: ~0.1 ms, as much as the
-- query itself (pg_stat_statements, queue benchmark). Callers run with search_path ''.
CREATE FUNCTION dialer._plan_lead(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
                                  p_last_outcome text DEFAULT NULL)
RETURNS TABLE (next_attempt_at timestamptz, final_status dialer.lead_status, recipient_zone text)
LANGUAGE sql STABLE
AS $$
  -- recipient_zone: what dialer.recipient_time_zone() answers (the contact's zone, else
  -- the number's only candidate, else the campaign's or tenant's), from the same row.
  SELECT d.next_attempt_at,
         CASE WHEN d.next_attempt_at IS NULL THEN dialer._never_status(d.reason) END,
         CASE WHEN cardinality(i.zones) = 1 THEN i.zones[1] ELSE i.fallback_zone END
    FROM dialer._lead_schedule_inputs(p_tenant_id, p_lead_id, p_now, p_last_outcome) i,
         LATERAL dialer._next_attempt_decision(
           i.lead_id, i.retry_policy, i.zones, i.attempts, i.last_outcome, i.class_attempts,
           i.last_attempt_at, i.recent_calls, i.last_abandoned_at, i.last_refusal_at,
           i.calling_windows, i.contact_windows, i.rule_packs, i.suppressed, i.artificial_voice,
           i.has_consent, i.campaign_starts_at, i.campaign_ends_at, p_now) d
$$;
COMMENT ON FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text) IS
  'Internal: the scheduler''s next legal attempt for a lead (one row; NULL next_attempt_at: never, with the status to take).';
REVOKE EXECUTE ON FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text) FROM PUBLIC;
