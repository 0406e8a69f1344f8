#!/usr/bin/env bash
# Tries a change to the queue or the statistics with both variants running at the same time:
# two databases of one throwaway cluster, variant A in one and B in the other (swapped every
# round), each with N worker connections (build/dialer_workers) on a fresh campaign. Why: on
# this project's virtual machine the CPU a cycle costs drifts by a quarter within minutes, and
# scripts/ab-workers.sh, which runs the variants one after the other, cannot tell changes of a
# few percent from that drift; run side by side, both variants meet the same machine. What it
# measures differs from ab-workers.sh: each variant has N workers while the other runs too, so
# 2N processes share the cores. Per round it reads, at the end of the warm-up and after the
# measured seconds, the CPU time of each database's client backends (/proc/PID/stat) and the
# calls each campaign completed, and prints the CPU per completed cycle of each variant and
# B's over A's; then the median ratio over the rounds. A diagnostic for choosing what to
# build, not a figure of record: `make bench` is.
#   scripts/ab-concurrent.sh [--rounds 4] [--workers 8] [--seconds 10] [--warmup 3] A.sql B.sql
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=4 WORKERS=8 SECS=10 WARMUP=3
variants=()
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    -*) echo "ab-concurrent: unknown option $1" >&2; exit 2 ;;
    *) [ -f "$1" ] || { echo "ab-concurrent: no variant file $1" >&2; exit 2; }
       variants+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"); shift ;;
  esac
done
[ ${#variants[@]} -eq 2 ] || { echo "usage: $0 [--rounds N] [--workers N] [--seconds S] [--warmup S] A.sql B.sql" >&2; exit 2; }
cd "$ROOT"
# shellcheck source=scripts/throwaway-db.sh
source scripts/throwaway-db.sh
throwaway_db dialer_ab_one
bash scripts/setup-db.sh dialer_ab_two >/dev/null
export PGOPTIONS="-c client_min_messages=warning"
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh
dbs=(dialer_ab_one dialer_ab_two)
for db in "${dbs[@]}"; do PGDATABASE=$db bench_add_call_history 'ab history'; done

# CPU ticks used so far by the client backends connected to database $1 now.
ticks() {
  local pids sum=0 pid
  pids=$(PGDATABASE=$1 psql -X -At -c "SELECT pid FROM pg_stat_activity WHERE datname = current_database()
                                        AND backend_type = 'client backend' AND pid <> pg_backend_pid()")
  for pid in $pids; do
    # Fields 14 and 15 of /proc/PID/stat: user and system time in ticks (the command name,
    # field 2, is "(postgres)": no spaces to shift them).
    sum=$((sum + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$sum"
}

# The calls campaign $2 of database $1 has completed (or ended otherwise) so far; through
# calls_campaign_idx, so it stays quick under load.
completed() {
  PGDATABASE=$1 psql -X -At -c "SELECT count(*) FROM dialer.calls k, dialer.campaigns c
                                 WHERE c.id = '$2' AND k.tenant_id = c.tenant_id AND k.campaign_id = c.id
                                   AND k.status >= 'completed'"
}

hz=$(getconf CLK_TCK)
ratios=()
for round in $(seq 1 "$ROUNDS"); do
  # Which database runs which variant: swapped every round, so neither database's history
  # favours one variant.
  a=$(((round + 1) % 2)) b=$((round % 2))
  # Which variant is set up and started first: swapped every other round, independently of
  # the database swap above (so each variant goes first in each database equally often over
  # four rounds). Why: two runs of one pair of variants in both orders (5 Dec 2026, 08:39 and
  # 08:44 UTC) each measured the variant named second about 3% cheaper; the one set up and
  # started second got a cheaper round, whatever it was.
  order=(0 1)
  [ $(((round - 1) / 2 % 2)) = 0 ] || order=(1 0)
  camp=() args=() pids=()
  for v in "${order[@]}"; do
    db=${dbs[$([ "$v" = 0 ] && echo $a || echo $b)]}
    vargs=$(PGDATABASE=$db bench_apply_variant "${variants[$v]}") || { echo "ab-concurrent: ${variants[$v]} does not apply" >&2; exit 1; }
    args[v]=$vargs
    camp[v]=$(PGDATABASE=$db bench_new_campaign)
  done
  for v in "${order[@]}"; do
    db=${dbs[$([ "$v" = 0 ] && echo $a || echo $b)]}
    read -r -a extra <<<"${args[v]}"
    # Why a long run that is stopped: reading the samples under load takes a while, and the
    # workers must outlive the last one.
    PGDATABASE=$db build/dialer_workers --campaign "${camp[v]}" --workers "$WORKERS" \
      --seconds $((WARMUP + SECS + 60)) --warmup 0 --lease '5 minutes' "${extra[@]}" >/dev/null 2>&1 &
    pids[v]=$!
  done
  sleep "$WARMUP"
  # The same order at both ends (ticks of both, then counts of both), so the small delays
  # between the readings fall alike on the start and the end of the window.
  t0a=$(ticks "${dbs[a]}") t0b=$(ticks "${dbs[b]}")
  c0a=$(completed "${dbs[a]}" "${camp[0]}") c0b=$(completed "${dbs[b]}" "${camp[1]}")
  sleep "$SECS"
  t1a=$(ticks "${dbs[a]}") t1b=$(ticks "${dbs[b]}")
  c1a=$(completed "${dbs[a]}" "${camp[0]}") c1b=$(completed "${dbs[b]}" "${camp[1]}")
  kill "${pids[0]}" "${pids[1]}" 2>/dev/null || true
  wait "${pids[0]}" "${pids[1]}" 2>/dev/null || true
  line=$(awk -v ta=$((t1a - t0a)) -v ca=$((c1a - c0a)) -v tb=$((t1b - t0b)) -v cb=$((c1b - c0b)) -v hz="$hz" -v s="$SECS" 'BEGIN {
    if (ca <= 0 || cb <= 0) { print "n/a"; exit }
    ma = ta * 1000 / hz / ca; mb = tb * 1000 / hz / cb
    printf "%.4f A %.3f ms/cycle %.1f cycles/s, B %.3f ms/cycle %.1f cycles/s", mb / ma, ma, ca / s, mb, cb / s }')
  [ "$line" != n/a ] || { echo "ab-concurrent: round $round completed no cycles" >&2; exit 1; }
  echo "  round $round (A in ${dbs[a]}, $([ "${order[0]}" = 0 ] && echo A || echo B) first): ${line#* } -> B/A $(cut -d' ' -f1 <<<"$line")x"
  ratios+=("$(cut -d' ' -f1 <<<"$line")")
  for db in "${dbs[@]}"; do
    PGDATABASE=$db bench_wait_for_backends
    PGDATABASE=$db psql -X -q -c "DELETE FROM dialer.tenants WHERE name = 'bench'" >/dev/null
  done
done
printf '%s\n' "${ratios[@]}" | sort -g | awk -v a="$(basename "${variants[0]}")" -v b="$(basename "${variants[1]}")" '
  { r[NR] = $1; if ($1 < 1) cheaper++ }
  END { m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
        printf "%s against %s, CPU per cycle side by side: median %.3fx [%.3f, %.3f]; cheaper in %d of %d rounds\n",
               b, a, m, r[1], r[NR], cheaper, NR }'
