#!/usr/bin/env bash
# Where the backends go to sleep on a lightweight lock (LWLock:BufferContent, LockManager, ...)
# during a queue run: a diagnostic for choosing what to build (the figures of record are
# `make bench`'s). For each variant (a bench/ab/ file, as scripts/ab-workers.sh takes them;
# none: the tables as released) it runs N workers on a fresh campaign of a throwaway cluster,
# records every context switch for 3 s in the middle of the run (`perf record -e
# sched:sched_switch -a` with DWARF call graphs), keeps the stacks of backends that went to
# sleep inside LWLockAcquire, and prints the callers above LWLockAcquire (five frames,
# innermost first), most frequent first, as shares of those sleeps. E.g. `_bt_relandgetbuf <
# _bt_doinsert` is a wait for the leaf page an index insertion goes to. Static functions of the
# stripped server binary show as [unknown]. Needs perf (Debian's linux-perf, from
# scripts/install-deps.sh) and root or kernel.perf_event_paranoid <= -1.
#   scripts/lwlock-waits.sh [--workers 16] [--top 25] [A.sql ...]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORKERS=16 TOP=25
variants=()
while [ $# -gt 0 ]; do
  case $1 in
    --workers) WORKERS=$2; shift 2 ;;
    --top) TOP=$2; shift 2 ;;
    -*) echo "lwlock-waits: unknown option $1" >&2; exit 2 ;;
    *) [ -f "$1" ] || { echo "lwlock-waits: no variant file $1" >&2; exit 2; }
       variants+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"); shift ;;
  esac
done
command -v perf >/dev/null || { echo "lwlock-waits: needs perf (scripts/install-deps.sh)" >&2; exit 2; }
cd "$ROOT"
# shellcheck source=scripts/throwaway-db.sh
source scripts/throwaway-db.sh
throwaway_db dialer_lwlock
export PGOPTIONS="-c client_min_messages=warning"
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh
bench_add_call_history 'lwlock history'
out=$(mktemp -d)
trap 'rm -rf "$out"; bash scripts/cluster.sh stop quiet' EXIT
[ ${#variants[@]} -gt 0 ] || variants=("")

for v in "${variants[@]}"; do
  name=released
  args=()
  if [ -n "$v" ]; then
    name=$(basename "$v" .sql)
    vargs=$(bench_apply_variant "$v")
    read -r -a args <<<"$vargs"
  fi
  campaign=$(bench_new_campaign)
  build/dialer_workers --campaign "$campaign" --workers "$WORKERS" --seconds 10 --warmup 0 \
    --lease '5 minutes' "${args[@]}" >"$out/result" 2>/dev/null &
  workers=$!
  sleep 4
  perf record -q -e sched:sched_switch -a --call-graph dwarf,65528 -o "$out/perf.data" -- sleep 3 >/dev/null 2>&1
  # Why now and not after the run: the server binary lives in the throwaway cluster's tree,
  # which perf needs to name the frames.
  perf script -i "$out/perf.data" -F comm,ip,sym 2>/dev/null >"$out/stacks"
  wait "$workers" || true
  echo "$name: $WORKERS workers, $(grep -o 'claimed=[0-9]*' "$out/result")"
  # One stack per blank-line-separated record; the frames after the first LWLockAcquire.
  awk -v top="$TOP" '
    function flush() {
      if (at) { key = ""; for (i = at + 1; i <= n && i <= at + 5; i++) key = key " < " f[i]; count[key]++; total++ }
      n = 0; at = 0
    }
    /^[^\t ]/ { flush(); next }
    NF == 0 { flush(); next }
    { n++; f[n] = $2; if ($2 == "LWLockAcquire" && !at) at = n }
    END { flush(); if (!total) { print "  no LWLock sleeps recorded"; exit }
          printf "  %d sleeps inside LWLockAcquire\n", total
          for (k in count) printf "%6.1f%%%s\n", 100 * count[k] / total, k | "sort -rn | head -" top }
  ' "$out/stacks"
  psql -X -q -c "DELETE FROM dialer.tenants WHERE name = 'bench'" >/dev/null
done
