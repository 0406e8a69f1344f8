#!/usr/bin/env bash
# A new deployment fills up: the queue's plans are made by a connection while dialer.calls
# is empty and analysed as empty (autoanalyze of a fresh or purged table), and kept while
# the table fills. They must still find rows through indexes: over a few hundred claim /
# dial / complete cycles in that one connection, the queue scans none of its tables
# sequentially (pg_stat_user_tables.seq_scan) — it once read ~3,000 blocks per completion.
# Then 100 more claim / dial / complete (or release) cycles in that connection: none walks an
# index of calls on tenant_id alone (calls_phone_idx returns at most 20 entries per cycle:
# the number's own calls). Their UPDATEs of the call once did, reading every call of the
# tenant each time (0.12.0 and before; now by tuple id in C, by id in SQL).
# EMPTY_START_VERSION=0.4.0 runs it at an earlier release (one of sql_upgrade/releases, whose
# install scripts the cluster has): 0.4.0 fails it, scanning calls sequentially.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
# shellcheck disable=SC1091
source test/helpers/reliability.sh
export PGDATABASE=dialer_empty_start
rel_make_db "$PGDATABASE" "${EMPTY_START_VERSION:-}" && rel_campaign 600 4
tap_ok $? "a database with a running campaign of 600 leads and an empty dialer.calls"

# One connection: analyse while calls is empty, plan every queue statement in that state,
# then run 300 cycles while calls fills. seq_scan counters are read before and after,
# flushed by the backend itself (PostgreSQL 15 flushes statistics lazily).
out=$(psql -X -q -At -v ON_ERROR_STOP=1 <<'SQL' 2>&1
ANALYZE dialer.calls; ANALYZE dialer.leads; ANALYZE dialer.campaign_slots; ANALYZE dialer.campaigns;
-- The reaper planned on the empty table too (it reads every slot row, a sequential scan by
-- design, so its counts are flushed before the cycles' are taken).
SELECT dialer.reap_expired_claims() IS NOT NULL;
SELECT pg_stat_force_next_flush();
SELECT 1;
SELECT pg_stat_clear_snapshot();
CREATE TEMP TABLE before AS
  SELECT relname, seq_scan FROM pg_stat_user_tables WHERE schemaname = 'dialer';
DO $$
DECLARE
  v_call record;
  i integer;
BEGIN
  FOR i IN 1 .. 300 LOOP
    FOR v_call IN SELECT * FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w', 1, '5 minutes') LOOP
      PERFORM dialer.mark_call_dialing(v_call.call_id, 'p' || i);
      PERFORM dialer.complete_call(v_call.call_id, CASE WHEN i % 3 = 0 THEN 'converted' ELSE 'no_answer' END, 'dialer');
    END LOOP;
  END LOOP;
END
$$;
\i test/helpers/stats_flush.sql
SELECT 'seq=' || coalesce(string_agg(s.relname || ':' || (s.seq_scan - b.seq_scan), ',' ORDER BY s.relname)
                  FILTER (WHERE s.seq_scan > b.seq_scan), 'none')
  FROM pg_stat_user_tables s JOIN before b USING (relname)
 WHERE s.schemaname = 'dialer' AND s.relname IN ('calls', 'leads', 'campaign_slots', 'campaigns', 'contacts');
SELECT 'calls=' || count(*) FROM dialer.calls;
CREATE TEMP TABLE before_ix AS
  SELECT indexrelname, idx_tup_read FROM pg_stat_user_indexes WHERE schemaname = 'dialer';
DO $$
DECLARE
  v_call record;
BEGIN
  FOR i IN 1 .. 100 LOOP
    FOR v_call IN SELECT * FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w', 1, '5 minutes') LOOP
      IF i % 10 = 0 THEN
        PERFORM dialer.release_call(v_call.call_id, 'not placed');
      ELSE
        PERFORM dialer.mark_call_dialing(v_call.call_id, 'q' || i);
        PERFORM dialer.complete_call(v_call.call_id, 'no_answer', 'dialer');
      END IF;
    END LOOP;
  END LOOP;
END
$$;
\i test/helpers/stats_flush.sql
SELECT 'read=' || (s.idx_tup_read - b.idx_tup_read) FROM pg_stat_user_indexes s JOIN before_ix b USING (indexrelname)
 WHERE s.schemaname = 'dialer' AND s.indexrelname = 'calls_phone_idx';
-- Four calls claimed and left to expire, then reaped by the reaper planned on the empty table.
SELECT count(*) = 4 FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w', 4, '5 minutes');
SELECT pg_stat_force_next_flush();
SELECT 1;
SELECT pg_stat_clear_snapshot();
CREATE TEMP TABLE before_reap AS
  SELECT indexrelname, idx_tup_read FROM pg_stat_user_indexes WHERE schemaname = 'dialer';
SELECT 'reaped=' || (dialer.reap_expired_claims(now() + interval '1 hour') ->> 'expired');
SELECT pg_stat_force_next_flush();
SELECT 1;
SELECT pg_stat_clear_snapshot();
SELECT 'reap_read=' || sum(s.idx_tup_read - b.idx_tup_read) FROM pg_stat_user_indexes s JOIN before_reap b USING (indexrelname)
 WHERE s.schemaname = 'dialer' AND s.indexrelname LIKE 'calls%';
SQL
)
echo "$out" | grep -v '^1\?$' | sed 's/^/# /'
# field NAME: the value of the output line NAME=value.
field() { echo "$out" | sed -n "s/^$1=//p" | tail -n 1; }
tap_ok "$([ "$(field calls)" -ge 250 ] 2>/dev/null && echo 0 || echo 1)" \
  "300 cycles ran in one connection ($(field calls) calls)"
tap_is "$(field seq)" "none" \
  "no sequential scan of calls, leads, campaign_slots, campaigns or contacts after planning on empty tables"
read=$(field read)
tap_ok "$([ "$read" -le 2000 ] 2>/dev/null && echo 0 || echo 1)" \
  "100 claim / dial / complete or release cycles more read calls_phone_idx at most 20 entries per cycle ($read entries)"
# The reaper finds claimed calls through their slots (0.17.0): one lookup by id per occupied
# slot, not a walk of a calls index per slot, even when planned on the empty table.
reap_read=$(field reap_read)
tap_ok "$([ "$(field reaped)" = 4 ] && [ "$reap_read" -le 100 ] 2>/dev/null && echo 0 || echo 1)" \
  "the reaper planned on the empty table reaps 4 expired calls reading at most 100 entries of calls' indexes ($(field reaped) reaped, $reap_read entries)"
tap_done
