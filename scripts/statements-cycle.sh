#!/usr/bin/env bash
# Which statements a queue cycle spends its time in: a diagnostic for choosing what to build
# (the figures of record are `make bench`'s). For each variant (a bench/ab/ file, as
# scripts/ab-workers.sh takes them) it runs the workers once to warm up, then again on a fresh
# campaign with pg_stat_statements (track = all: the statements PL/pgSQL and triggers run
# inside the queue functions too) reset just before, and prints the 40 statements with the most
# time: microseconds per cycle (total_exec_time / completed cycles) and calls per cycle. The
# time is wall-clock inside each statement, its nested statements included (a function call's
# row includes what it runs), and waits too: under 16 workers on two cores it is CPU and waiting
# for a core or a lock together, the latency a claim sees rather than the CPU it costs.
#   scripts/statements-cycle.sh [--workers 16] A.sql [B.sql ...]
#   e.g. scripts/statements-cycle.sh bench/ab/stats_on.sql bench/ab/queue_write_floor_plan.sql
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORKERS=16
variants=()
while [ $# -gt 0 ]; do
  case $1 in
    --workers) WORKERS=$2; shift 2 ;;
    -*) echo "statements-cycle: unknown option $1" >&2; exit 2 ;;
    *) [ -f "$1" ] || { echo "statements-cycle: no variant file $1" >&2; exit 2; }
       variants+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"); shift ;;
  esac
done
[ ${#variants[@]} -ge 1 ] || { echo "usage: $0 [--workers N] A.sql [B.sql ...]" >&2; exit 2; }
cd "$ROOT"
# Why these settings: pg_stat_statements must be preloaded, and only track = all sees the
# statements run inside functions and triggers (scripts/cluster.sh appends DIALER_PG_CONF).
export DIALER_PG_CONF=$'shared_preload_libraries = \'pg_cron,pg_stat_statements\'\npg_stat_statements.track = all\npg_stat_statements.max = 5000'
# shellcheck source=scripts/throwaway-db.sh
source scripts/throwaway-db.sh
throwaway_db dialer_statements
export PGOPTIONS="-c client_min_messages=warning"
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh
psql -X -q -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
bench_add_call_history 'statements history'

# Runs the workers on a fresh campaign ($1 seconds, $2 of warm-up; the rest of the arguments go
# to dialer_workers), resetting the statistics after the campaign's set-up; prints the
# completed cycles. The campaign's tenant is left for drop_bench_tenant, so that deleting it
# (and what its triggers run) is not counted.
run_workers() {
  local seconds=$1 warmup=$2 campaign out
  shift 2
  campaign=$(bench_new_campaign)
  sleep 1
  psql -X -q -c "SELECT pg_stat_statements_reset()" >/dev/null
  out=$(build/dialer_workers --campaign "$campaign" --workers "$WORKERS" --seconds "$seconds" \
          --warmup "$warmup" --lease '5 minutes' "$@" 2>/dev/null)
  sed -n 's/.* completed=\([0-9]*\) .*/\1/p' <<<"$out" | head -1
  bench_wait_for_backends
}

# Deletes the benchmark campaign's tenant.
drop_bench_tenant() {
  psql -X -q -c "DELETE FROM dialer.tenants WHERE name = 'bench'" >/dev/null
}

for v in "${variants[@]}"; do
  vargs=$(bench_apply_variant "$v")
  read -r -a args <<<"$vargs"
  run_workers 6 2 "${args[@]}" >/dev/null  # warm-up: every plan made, the caches filled
  drop_bench_tenant
  cycles=$(run_workers 12 0 "${args[@]}")
  echo "$(basename "$v" .sql): $cycles cycles"
  psql -X -P pager=off -v cycles="$cycles" <<'SQL'
SELECT round((s.total_exec_time / :cycles * 1000)::numeric, 1) AS us_per_cycle,
       round(s.calls::numeric / :cycles, 2) AS calls_per_cycle,
       left(regexp_replace(s.query, '\s+', ' ', 'g'), 110) AS statement
  FROM pg_stat_statements s
 WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND s.query NOT LIKE '%pg_stat_statements%'
 ORDER BY s.total_exec_time DESC LIMIT 40;
SQL
  drop_bench_tenant
done
