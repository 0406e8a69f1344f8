#!/usr/bin/env bash
# Statistics benchmark (make bench):
#  1. dialer.campaign_stats latency (p50, p90 of repeated calls, timed inside the
#     server) at 100,000 / 1,000,000 / 10,000,000 attempt rows, against the original
#     design's PL/pgSQL get_campaign_stats (count(*) FILTER (...) over the campaign's
#     calls, on its own narrow calls table with an index on campaign_id) in the same run.
#     The 100,000 and 1,000,000 campaigns are loaded through the statistics triggers'
#     bulk path (one INSERT ... SELECT each); the 10,000,000 one is loaded with triggers
#     off (session_replication_role = replica, plain indexes rebuilt afterwards) and
#     counted by dialer.rebuild_campaign_stats. Load times are printed too.
#  2. Write overhead (measured first, on a database without the big campaigns): claim +
#     complete cycles per second with 16 worker connections (build/dialer_workers)
#     with the statistics triggers on and off (dialer.set_campaign_stats_enabled),
#     alternating on fresh identical campaigns.
#     Each run measures STATS_BENCH_SECONDS after a warm-up of STATS_BENCH_WARMUP seconds
#     (dialer_workers --warmup): the steady state of a worker pool that keeps its
#     connections, without the new connections' library loading and first plans, which
#     cost the same on both sides and would only dilute the difference.
#   STATS_BENCH_SIZES (default "100000 1000000 10000000"), STATS_BENCH_SECONDS (default 8),
#   STATS_BENCH_WARMUP (default 4), STATS_BENCH_ROUNDS (16-worker rounds, default 6)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SIZES=${STATS_BENCH_SIZES:-100000 1000000 10000000}
SECS=${STATS_BENCH_SECONDS:-8}
WARMUP=${STATS_BENCH_WARMUP:-4}
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh
make -s tools >/dev/null

psql_q <<'SQL'
DROP SCHEMA IF EXISTS bench_stats CASCADE;
DELETE FROM dialer.tenants WHERE id = 'aa000000-0000-0000-0000-000000000000' OR name = 'stats bench writes';
CREATE SCHEMA bench_stats;

-- The original design: its calls table and its RPC, verbatim but for the table name.
CREATE TABLE bench_stats.seed_calls (
  id uuid NOT NULL,
  campaign_id uuid NOT NULL,
  status text NOT NULL,
  duration_seconds integer
);
CREATE FUNCTION bench_stats.get_campaign_stats(campaign_id uuid) RETURNS json AS $$
declare
    result json;
begin
    select json_build_object(
        'total_calls', count(*),
        'completed_calls', count(*) filter (where status = 'completed'),
        'failed_calls', count(*) filter (where status = 'failed'),
        'pending_calls', count(*) filter (where status = 'pending'),
        'avg_duration', avg(duration_seconds) filter (where status = 'completed')
    )
    into result
    from bench_stats.seed_calls
    where seed_calls.campaign_id = $1;
    return result;
end;
$$ language plpgsql;

-- A deterministic uuid: kind (2 hex digits), campaign number, serial number.
CREATE FUNCTION bench_stats.id(kind text, k integer, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT (kind || '000000-0000-0000-' || lpad(k::text, 4, '0') || '-' || lpad(to_hex(n), 12, '0'))::uuid
$$;

-- The campaign number k with n attempt rows over n/10 leads (ten attempts each, three
-- days apart, so over 30 days of January 2026), with a realistic outcome mix. Ids are
-- sequential, as uuids from a time-ordered generator would be.
CREATE FUNCTION bench_stats.load(k integer, n bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_tenant constant uuid := bench_stats.id('aa', 0, 0);
  v_leads bigint := greatest(n / 10, 1);
BEGIN
  INSERT INTO dialer.campaigns (tenant_id, id, name, time_zone, uses_ai_voice)
  VALUES (v_tenant, bench_stats.id('cc', k, 0), 'bench ' || n, 'America/New_York', false);
  INSERT INTO dialer.leads (tenant_id, id, campaign_id, phone, status, attempts, last_attempt_at, last_outcome_class)
  SELECT v_tenant, bench_stats.id('1e', k, g), bench_stats.id('cc', k, 0), '+1212' || (2000000 + g),
         (ARRAY['scheduled', 'completed', 'converted', 'failed', 'refused'])[1 + g % 5]::dialer.lead_status,
         10, '2026-01-31', 'no_answer'
    FROM generate_series(1, v_leads) g;
  -- Each lead's ten attempts are consecutive rows three days apart, so every index of
  -- dialer.calls (by lead, by phone, by id) is appended to in order.
  INSERT INTO dialer.calls (tenant_id, id, campaign_id, lead_id, phone, status, outcome_class, attempt_number,
                            claimed_at, created_at, duration_seconds, cost, idempotency_key, recipient_time_zone)
  SELECT v_tenant, bench_stats.id('ca', k, g), bench_stats.id('cc', k, 0), bench_stats.id('1e', k, l),
         '+1212' || (2000000 + l),
         CASE WHEN o.class IN ('failed', 'transport_error') THEN 'failed' WHEN o.class = 'unknown' THEN 'expired'
              ELSE 'completed' END::dialer.call_status,
         o.class, a, t, t,
         CASE WHEN o.class IN ('no_answer', 'busy', 'failed', 'transport_error', 'unknown', 'invalid_number') THEN 0
              ELSE (g * 7919) % 600 END,
         round(0.01 + ((g * 104729) % 1000) / 5000.0, 4), 'k' || k || '-' || g,
         (ARRAY['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'])[1 + l % 4]
    FROM generate_series(1, n) g,
         LATERAL (SELECT 1 + (g - 1) / 10 AS l, 1 + ((g - 1) % 10)::integer AS a) AS la,
         LATERAL (SELECT timestamptz '2026-01-01' + make_interval(days => 3 * (a - 1))
                         + make_interval(secs => l * (259200.0 / v_leads)) AS t) AS tt,
         LATERAL (SELECT (ARRAY['no_answer', 'no_answer', 'no_answer', 'busy', 'voicemail', 'voicemail',
                                'human_incomplete', 'completed', 'completed', 'converted', 'refused', 'callback',
                                'failed', 'transport_error', 'unknown', 'abandoned'])[1 + (g * 31) % 16] AS class) AS o;
  INSERT INTO bench_stats.seed_calls (id, campaign_id, status, duration_seconds)
  SELECT id, campaign_id, status::text, duration_seconds FROM dialer.calls
   WHERE tenant_id = v_tenant AND campaign_id = bench_stats.id('cc', k, 0);
END
$$;

-- p50 and p90 in milliseconds of `iterations` calls of the statement, timed in the server.
CREATE FUNCTION bench_stats.latency(statement text, iterations integer) RETURNS TABLE (p50 numeric, p90 numeric)
LANGUAGE plpgsql AS $$
DECLARE
  v_times double precision[] := '{}';
  v_start timestamptz;
BEGIN
  EXECUTE statement;  -- warm the plan and the cache
  FOR i IN 1 .. iterations LOOP
    v_start := clock_timestamp();
    EXECUTE statement;
    v_times := v_times || extract(epoch FROM clock_timestamp() - v_start) * 1000;
  END LOOP;
  RETURN QUERY SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY t)::numeric, 3),
                      round(percentile_cont(0.9) WITHIN GROUP (ORDER BY t)::numeric, 3)
                 FROM unnest(v_times) t;
END
$$;

INSERT INTO dialer.tenants (id, name) VALUES (bench_stats.id('aa', 0, 0), 'stats bench');
-- Contacts for the largest campaign's leads (campaigns share them), already canonical:
-- loaded without the normalising trigger.
SET session_replication_role = replica;
INSERT INTO dialer.contacts (tenant_id, phone)
SELECT bench_stats.id('aa', 0, 0), '+1212' || (2000000 + g) FROM generate_series(1, 1000000) g;
RESET session_replication_role;
SQL
bench_add_call_history 'stats bench history'

# ---- write overhead --------------------------------------------------------

# A fresh running campaign of 50,000 leads; prints its id.
new_campaign() {
  psql_q -At <<'SQL'
INSERT INTO dialer.tenants (name) VALUES ('stats bench writes') RETURNING id \gset
INSERT INTO dialer.campaigns (tenant_id, name, max_concurrent_calls, uses_ai_voice, retry_policy)
VALUES (:'id', 'bench', 64, false,
        '{"max_attempts": 3, "classes": {"no_answer": {"delays": [0]}, "busy": {"delays": [0]}, "voicemail": {"delays": [0]}}}')
RETURNING id AS campaign \gset
INSERT INTO dialer.contacts (tenant_id, phone)
SELECT :'id', '+1' || a || '555' || lpad(g::text, 4, '0') FROM generate_series(0, 9999) g, unnest(ARRAY['212', '646', '718', '917', '347']) a;
INSERT INTO dialer.leads (tenant_id, campaign_id, phone) SELECT :'id', :'campaign', phone FROM dialer.contacts WHERE tenant_id = :'id';
-- US numbers dial only in the law's hours: zones where it is midday, whenever the bench runs.
\i test/helpers/contacts_midday.sql
SELECT dialer.start_campaign(:'campaign') \g /dev/null
-- Why VACUUM: so autovacuum does not start on the rows just inserted (or on the previous
-- run's deleted tenant) during the measured run, taking CPU from one side only. Not
-- dialer.calls: before it kept the call history set up above, VACUUM truncated it to
-- nothing (the previous run's calls deleted) and the workers' plans, made at their first
-- call, then scanned it sequentially; it has been left out since.
VACUUM (ANALYZE) dialer.contacts, dialer.leads;
SELECT :'campaign';
SQL
}

# One run of $2 workers on campaign $1: prints "cycles/s server-CPU-ms-per-cycle" (the
# rate of the measured window; the CPU of the whole run, warm-up included, per cycle).
run_workers() {
  local before out
  before=$(bench_server_cpu)
  out=$(build/dialer_workers --campaign "$1" --workers "$2" --seconds "$SECS" --warmup "$WARMUP" --lease '5 minutes')
  sleep 1  # let the postmaster reap the worker backends
  bench_rate_and_cpu "$before" "$(bench_server_cpu)" <<<"$out"
}

# One measurement of $2 workers with the statistics triggers on (true) or off (false).
# Each run's tenant is deleted afterwards, so switching statistics on (which recounts
# every campaign) stays cheap, and the setup sessions are reaped before CPU is read.
measure() {
  local campaign
  psql_q -c "SELECT dialer.set_campaign_stats_enabled($1)" >/dev/null
  campaign=$(new_campaign)
  sleep 1
  run_workers "$campaign" "$2"
  bench_wait_for_backends  # before the ALTER TABLE of the trigger switch
  psql_q -c "SELECT dialer.set_campaign_stats_enabled(false)" \
         -c "DELETE FROM dialer.tenants WHERE name = 'stats bench writes'" >/dev/null
}

# Alternating on/off rounds of $1 workers, $2 rounds; prints each round and the means.
compare() {
  local workers=$1 rounds=$2 results=() round on_rate on_cpu off_rate off_cpu
  echo "stats: claim + complete, $workers worker(s), ${SECS}s per run after ${WARMUP}s warm-up, statistics on vs off (fresh identical"
  echo "       campaigns; the order alternates each round so drift in the machine's load cancels out)"
  for round in $(seq 1 "$rounds"); do
    # Why $(...) and not read < <(measure ...): a process substitution lets the script go
    # on as soon as the first line is read, so the previous measurement's clean-up (its
    # DELETE of the bench tenants and the trigger switch) ran during the next one.
    if [ $((round % 2)) = 1 ]; then
      read -r on_rate on_cpu <<<"$(measure true "$workers")"
      read -r off_rate off_cpu <<<"$(measure false "$workers")"
    else
      read -r off_rate off_cpu <<<"$(measure false "$workers")"
      read -r on_rate on_cpu <<<"$(measure true "$workers")"
    fi
    printf '  round %d: on %7s cycles/s %7s CPU ms/cycle   off %7s cycles/s %7s CPU ms/cycle\n' \
      "$round" "$on_rate" "$on_cpu" "$off_rate" "$off_cpu"
    results+=("$on_rate $on_cpu $off_rate $off_cpu")
  done
  printf '%s\n' "${results[@]}" | awk '{ onr += $1; onc += $2; offr += $3; offc += $4 } END {
    printf "  throughput: on %.0f, off %.0f cycles/s (means of the rounds): %.1f%% slower with statistics (goal <= 10%%)\n",
           onr / NR, offr / NR, (1 - onr / offr) * 100;
    printf "  server CPU per cycle: on %.3f, off %.3f ms: %.1f%% more with statistics\n",
           onc / NR, offc / NR, (onc / offc - 1) * 100 }'
}

measure true 16 >/dev/null  # warm-up: plans, caches, the first counter rows
# Why an even number of rounds: the side measured first in a round pays for what the
# previous measurement left behind (autovacuum of its deleted tenant, cold buffers); with
# the order alternating over an even number of rounds each side goes first equally often.
# Why six: on this 2-core virtual machine one side's rate moves by up to 40% between
# rounds of one run (the machine's other load), far more than the statistics cost; only
# the mean of many alternating rounds says something.
compare 16 "${STATS_BENCH_ROUNDS:-6}"
# How the counter rows fared under 16 writers (cumulative over the runs above): updates
# that could not stay on their page (not HOT) grow the table and its index.
echo "  counter tables after the 16-worker rounds (pg_stat_user_tables):"
psql_q -At -c "SELECT format('    %-22s %7s updates, %7s HOT (%s%%), %5s pages', relname, n_tup_upd, n_tup_hot_upd,
                            round(100.0 * n_tup_hot_upd / greatest(n_tup_upd, 1)), pg_relation_size(relid) / 8192)
                 FROM pg_stat_user_tables
                WHERE schemaname = 'dialer' AND relname IN ('campaign_call_stats', 'campaign_call_buckets', 'campaign_lead_stats')
                ORDER BY relname"
# One worker: no contention, so the per-cycle cost of the statistics shows without the
# noise of 16 connections competing for two cores.
compare 1 2
psql_q -c "SELECT dialer.set_campaign_stats_enabled(true)" >/dev/null

# ---- read latency --------------------------------------------------------

echo "stats: loading the campaigns (up to 5,000,000 rows: one INSERT ... SELECT through the statistics"
echo "       triggers' bulk path; above: triggers off, plain indexes rebuilt after, then rebuild_campaign_stats)"
k=0
for n in $SIZES; do
  k=$((k + 1))
  start=$(date +%s.%N)
  if [ "$n" -gt 5000000 ]; then
    # Bulk load: the plain (non-unique) indexes of dialer.calls are dropped and built
    # again after the load (a sorted build beats ten million ordered inserts), rows go in
    # with every trigger off, and the campaign's counters are recounted in one pass.
    psql_q -v k="$k" -v n="$n" >/dev/null <<'SQL'
CREATE TABLE bench_stats.plain_indexes AS
SELECT c.relname, pg_get_indexdef(i.indexrelid) AS def
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indrelid = 'dialer.calls'::regclass AND NOT i.indisunique AND i.indpred IS NULL;
SELECT format('DROP INDEX dialer.%I', relname) FROM bench_stats.plain_indexes \gexec
SET session_replication_role = replica;
SELECT bench_stats.load(:k, :n);
RESET session_replication_role;
SET maintenance_work_mem = '512MB';
SELECT def FROM bench_stats.plain_indexes \gexec
SELECT dialer.rebuild_campaign_stats(bench_stats.id('cc', :k, 0));
SQL
    how="bulk load + rebuild"
  else
    psql_q -c "SELECT bench_stats.load($k, $n)" >/dev/null
    how="trigger bulk path"
  fi
  printf '  %12s rows loaded and counted in %6.1fs (%s)\n' "$n" "$(echo "$(date +%s.%N) - $start" | bc)" "$how"
done
# Why VACUUM and not only ANALYZE: after millions of inserted rows autovacuum would
# otherwise vacuum dialer.calls and dialer.leads in the background during the latency
# measurements (the smaller campaigns, measured first, paid for it).
psql_q -c "CREATE INDEX ON bench_stats.seed_calls (campaign_id)" \
       -c "VACUUM ANALYZE bench_stats.seed_calls" -c "VACUUM (ANALYZE) dialer.calls, dialer.leads" >/dev/null

echo "stats: campaign_stats latency vs the original count(*) FILTER function (server-side timing, same run)"
printf '  %12s %12s %12s %14s %14s %10s\n' "attempts" "ours p50 ms" "ours p90 ms" "original p50" "original p90" "p50 ratio"
k=0
for n in $SIZES; do
  k=$((k + 1))
  # The original scans every row of the campaign per call: fewer repetitions as it grows.
  reps=$(( n >= 5000000 ? 5 : (n >= 500000 ? 15 : 60) ))
  read -r ours50 ours90 < <(psql_q -At -F ' ' -c "SELECT * FROM bench_stats.latency(format('SELECT dialer.campaign_stats(%L)', bench_stats.id('cc', $k, 0)), 500)")
  read -r orig50 orig90 < <(psql_q -At -F ' ' -c "SELECT * FROM bench_stats.latency(format('SELECT bench_stats.get_campaign_stats(%L)', bench_stats.id('cc', $k, 0)), $reps)")
  printf '  %12s %12s %12s %14s %14s %9.0fx\n' "$n" "$ours50" "$ours90" "$orig50" "$orig90" \
    "$(echo "$orig50 / $ours50" | bc -l)"
done
echo "  (goal: ours p50 <= 1 ms at every size, flat as the size grows)"
n_small=${SIZES%% *}
differing=$(psql_q -At -c "SELECT count(*) FROM dialer.verify_campaign_stats(bench_stats.id('cc', 1, 0))")
echo "  verify_campaign_stats on the $n_small-row campaign: $differing counters differ from a recount"

# The loaded calls stay in this throwaway database (deleting 11 million rows would take
# longer than loading them); the baseline's table goes.
psql_q -c "DROP SCHEMA bench_stats CASCADE" >/dev/null
