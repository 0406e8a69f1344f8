#!/usr/bin/env bash
# Tries a change to the queue or the statistics before it becomes a release: a paired
# comparison of variants under N worker connections (build/dialer_workers) on a
# throwaway cluster. Each variant is an SQL file applied before each of its runs (a
# CREATE OR REPLACE FUNCTION, an ALTER TABLE ... SET (...), a settings switch: see
# bench/ab/). Every round runs each variant once on a fresh campaign (the queue
# benchmark's), in an order that rotates from round to round, so the machine's drift
# falls on every variant alike. Per variant it prints the mean rate, the server CPU per
# cycle and where the backends waited (pg_stat_activity sampled every 50 ms). A variant may
# pass arguments to dialer_workers in a line "-- ab-workers-args: ..." (e.g. --claim-fn and
# --complete-fn, to run another queue's functions).
# A diagnostic for choosing what to build, not a figure of record: `make bench` is.
#   scripts/ab-workers.sh [--rounds 3] [--workers 16] [--seconds 12] [--warmup 4] A.sql B.sql ...
#   e.g. scripts/ab-workers.sh bench/ab/stats_on.sql bench/ab/stats_off.sql
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=3 WORKERS=16 SECS=12 WARMUP=4
variants=()
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    -*) echo "ab-workers: unknown option $1" >&2; exit 2 ;;
    *) [ -f "$1" ] || { echo "ab-workers: no variant file $1" >&2; exit 2; }
       variants+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"); shift ;;
  esac
done
[ ${#variants[@]} -ge 2 ] || { echo "usage: $0 [--rounds N] [--workers N] [--seconds S] [--warmup S] A.sql B.sql ..." >&2; exit 2; }
cd "$ROOT"
# shellcheck source=scripts/throwaway-db.sh
source scripts/throwaway-db.sh
throwaway_db dialer_ab
export PGOPTIONS="-c client_min_messages=warning"
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh
out=$(mktemp -d)
bench_add_call_history 'ab history'

# One run of variant $1 (index $2): prints "index rate cpu-ms-per-cycle"; its wait samples go
# to $out/waits.
run_variant() {
  local campaign before sampler result args vargs
  # Why exit here: run_variant runs in a command substitution, where set -e is off.
  vargs=$(bench_apply_variant "$1") || { echo "ab-workers: $1 does not apply" >&2; exit 1; }
  read -r -a args <<<"$vargs"
  campaign=$(bench_new_campaign)
  sleep 1  # let the postmaster reap the set-up sessions before reading CPU
  # Why a single psql with \watch: a new connection per sample would cost more CPU than it
  # measures. A lock wait is labelled (waiter, table of the row it waits for, holder), e.g.
  # Lock:transactionid(completion,dialer.leads,by:claim): which call waits for which.
  psql -X -At -P pager=off >>"$out/waits" 2>/dev/null <<SQL &
SELECT '$2', coalesce(a.wait_event_type || ':' || a.wait_event, 'CPU')
       || CASE WHEN a.wait_event_type = 'Lock' THEN
            '(' || CASE WHEN a.query LIKE '%complete_call%' THEN 'completion'
                        WHEN a.query LIKE '%claim_calls%' THEN 'claim' ELSE 'other' END
            || coalesce(',' || (SELECT string_agg(DISTINCT l.relation::regclass::text, '+') FROM pg_locks l
                                 WHERE l.pid = a.pid AND l.locktype = 'tuple'), '')
            || coalesce(',by:' || (SELECT string_agg(DISTINCT CASE WHEN b.query LIKE '%complete_call%' THEN 'completion'
                                                                   WHEN b.query LIKE '%claim_calls%' THEN 'claim'
                                                                   ELSE 'other' END, '+')
                                     FROM pg_stat_activity b WHERE b.pid = ANY (pg_blocking_pids(a.pid))), '')
            || ')' ELSE '' END
  FROM pg_stat_activity a
 WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid() AND a.datname = current_database() \\watch 0.05
SQL
  sampler=$!
  before=$(bench_server_cpu)
  result=$(build/dialer_workers --campaign "$campaign" --workers "$WORKERS" --seconds "$SECS" \
             --warmup "$WARMUP" --lease '5 minutes' "${args[@]}" 2>/dev/null || true)
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  sleep 1  # and the workers' and the sampler's backends after
  # Why stop here: a run without a summary (the driver failed) would enter the means as zero.
  grep -q 'rate=' <<<"$result" || { echo "ab-workers: the run of $1 failed: $result" >&2; exit 1; }
  grep -q ' errors=0 ' <<<"$result" || echo "ab-workers: the run of $1 had errors: $result" >&2
  echo "$2 $(bench_rate_and_cpu "$before" "$(bench_server_cpu)" <<<"$result")"
  bench_wait_for_backends
  psql -X -q -c "DELETE FROM dialer.tenants WHERE name = 'bench'" >/dev/null
}

n=${#variants[@]}
run_variant "${variants[0]}" warmup >/dev/null  # cold caches and first plans, discarded
: >"$out/waits"
for round in $(seq 1 "$ROUNDS"); do
  for k in $(seq 0 $((n - 1))); do
    i=$(( (k + round - 1) % n ))
    line=$(run_variant "${variants[$i]}" "$i")
    echo "$line $round" >>"$out/runs"
    echo "  round $round: $(basename "${variants[$i]}") $(cut -d' ' -f2- <<<"$line" | awk '{ printf "%s cycles/s, %s CPU ms/cycle", $1, $2 }')"
  done
done
echo "ab-workers: $WORKERS workers, ${SECS}s after ${WARMUP}s warm-up, $ROUNDS rounds (means; waits: share of backend samples)"
for i in $(seq 0 $((n - 1))); do
  awk -v i="$i" -v name="$(basename "${variants[$i]}")" '$1 == i { r += $2; c += $3; k++ }
    END { printf "  %-28s %8.1f cycles/s %7.3f CPU ms/cycle\n", name, r / k, c / k }' "$out/runs"
  awk -F'|' -v i="$i" '$1 == i { w[$2]++; k++ } END { for (e in w) printf "%5.1f%% %s\n", 100 * w[e] / k, e }' \
    "$out/waits" | sort -rn | head -8 | awk '{ printf "      %s %s\n", $1, $2 }'
done
# Paired by round against the first variant: the machine drifts by a tenth or more between
# runs, so a difference of means alone can be drift; a ratio taken within each round, and
# how many rounds agree on its sign, says how far the difference is the variant's.
echo "CPU per cycle against $(basename "${variants[0]}"), paired by round (median [min, max]; rounds cheaper):"
for i in $(seq 1 $((n - 1))); do
  awk -v i="$i" '$1 == 0 { base[$4] = $3 } $1 == i { mine[$4] = $3 }
    END { k = 0; cheaper = 0
          for (r in mine) if ((r in base) && base[r] > 0) { q[++k] = mine[r] / base[r]; if (q[k] < 1) cheaper++ }
          if (k == 0) { print "n/a"; exit }
          for (a = 1; a <= k; a++) for (b = a + 1; b <= k; b++) if (q[b] < q[a]) { t = q[a]; q[a] = q[b]; q[b] = t }
          med = (k % 2) ? q[(k + 1) / 2] : (q[k / 2] + q[k / 2 + 1]) / 2
          printf "%.3fx [%.3f, %.3f]; %d of %d\n", med, q[1], q[k], cheaper, k }' "$out/runs" |
    awk -v name="$(basename "${variants[$i]}")" '{ printf "  %-28s %s\n", name, $0 }'
done
rm -rf "$out"
