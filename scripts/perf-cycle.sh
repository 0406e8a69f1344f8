#!/usr/bin/env bash
# Where a queue cycle's CPU goes, split by what PL/pgSQL was doing: a diagnostic for choosing
# what to build (the figures of record are `make bench`'s). For each variant (a bench/ab/ file,
# as scripts/ab-workers.sh takes them) it runs 16 workers on a fresh campaign of a throwaway
# cluster, records every CPU for 4 s in the middle of the run (`perf record -a` with DWARF call
# graphs and the largest stack copy, so the deep stacks of nested PL/pgSQL are unwound to
# PostgresMain) and prints, in ms of CPU per cycle (samples / 499 Hz / cycles in the 4 s), for the
# claim (the outermost PL/pgSQL function called from a FROM clause, as the workers call
# claim_calls) and the completion (called in the select list) apart:
#   SQL statements      statements PL/pgSQL runs through SPI, with their triggers and checks
#   PL/pgSQL itself     the interpreter, its simple expressions, nested function calls
#   C expressions       the extension's C functions called as PL/pgSQL expressions
#   top-level           the client's statement outside PL/pgSQL (parse, bind, executor)
#   commit              transaction commit
#   other               samples of other processes, or whose stack did not reach PostgresMain
# Needs perf (Debian's linux-perf, from scripts/install-deps.sh) and root or
# kernel.perf_event_paranoid <= -1. Sampling slows the run; compare variants of one run only.
#   scripts/perf-cycle.sh [--workers 16] A.sql [B.sql ...]
#   e.g. scripts/perf-cycle.sh bench/ab/stats_on.sql bench/ab/queue_write_floor_plan.sql
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORKERS=16
variants=()
while [ $# -gt 0 ]; do
  case $1 in
    --workers) WORKERS=$2; shift 2 ;;
    -*) echo "perf-cycle: unknown option $1" >&2; exit 2 ;;
    *) [ -f "$1" ] || { echo "perf-cycle: no variant file $1" >&2; exit 2; }
       variants+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"); shift ;;
  esac
done
[ ${#variants[@]} -ge 1 ] || { echo "usage: $0 [--workers N] A.sql [B.sql ...]" >&2; exit 2; }
command -v perf >/dev/null || { echo "perf-cycle: perf is not installed (apt-get install linux-perf)" >&2; exit 2; }
cd "$ROOT"
# shellcheck source=scripts/throwaway-db.sh
source scripts/throwaway-db.sh
throwaway_db dialer_perf
export PGOPTIONS="-c client_min_messages=warning"
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh
out=$(mktemp -d)
bench_add_call_history 'perf history'

# Splits `perf script` output (stdin) into the categories above; $1 is the cycles per second.
split_samples() {
  awk -v rate="$1" '
    function classify(   i, pl, top, side, spi, ours, commit) {
      if (!main) { n["other"]++; return }
      pl = 0; top = 0
      for (i = 1; i <= depth; i++) if (dso[i] ~ /plpgsql\.so$/) { if (!pl) pl = i; top = i }
      if (!pl) {
        for (i = 1; i <= depth; i++) if (sym[i] ~ /CommitTransaction/) commit = 1
        n[commit ? "commit" : "top-level"]++; return
      }
      side = "completion"
      for (i = top + 1; i <= top + 3 && i <= depth; i++) if (sym[i] == "ExecMakeTableFunctionResult") side = "claim"
      for (i = 1; i < pl; i++) {
        if (sym[i] ~ /SPI_execute|^_SPI_/) spi = 1
        if (sym[i] ~ /^dialer_/) ours = 1
      }
      k = spi ? "SQL statements" : ours ? "C expressions" : "PL/pgSQL itself"
      n[k]++; part[k, side]++
    }
    /^[^ \t]/ { if (depth) classify(); depth = 0; main = 0; next }
    /^[ \t]+[0-9a-f]+ / {
      depth++
      sym[depth] = $2; dso[depth] = $NF; gsub(/[()]/, "", dso[depth])
      if ($2 == "PostgresMain") main = 1
      next
    }
    END {
      if (depth) classify()
      split("SQL statements,PL/pgSQL itself,C expressions,top-level,commit,other", order, ",")
      for (k = 1; k <= 6; k++) { total += n[order[k]] }
      ms = 1000 / 499 / (rate * 4)
      for (k = 1; k <= 6; k++) {
        c = order[k]
        printf "    %-16s %6.3f ms per cycle", c, n[c] * ms
        if (k <= 3) printf " (claim %.3f, completion %.3f)", part[c, "claim"] * ms, part[c, "completion"] * ms
        printf "\n"
      }
      printf "    %-16s %6.3f ms per cycle\n", "total", total * ms
    }'
}

for v in "${variants[@]}"; do
  name=$(basename "$v" .sql)
  vargs=$(bench_apply_variant "$v")
  read -r -a args <<<"$vargs"
  campaign=$(bench_new_campaign)
  sleep 1
  before=$(bench_server_cpu)
  build/dialer_workers --campaign "$campaign" --workers "$WORKERS" --seconds 12 --warmup 4 \
    --lease '5 minutes' "${args[@]}" >"$out/$name.workers" 2>/dev/null &
  workers=$!
  sleep 6  # the warm-up and two seconds of steady state
  perf record -a -F 499 --call-graph dwarf,65528 -o "$out/$name.data" -- sleep 4 >/dev/null 2>&1
  wait "$workers"
  sleep 1
  read -r rate cpu <<<"$(bench_rate_and_cpu "$before" "$(bench_server_cpu)" <"$out/$name.workers")"
  echo "$name: $rate cycles/s, $cpu ms of server CPU per cycle (whole run, sampling included)"
  perf script -i "$out/$name.data" --no-inline -F comm,tid,ip,sym,dso 2>/dev/null | split_samples "$rate"
  rm -f "$out/$name.data"
  bench_wait_for_backends
  psql -X -q -c "DELETE FROM dialer.tenants WHERE name = 'bench'" >/dev/null
done
rm -rf "$out"
