#!/usr/bin/env bash
# `make bench`: builds with optimisation, starts a throwaway cluster, and runs every
# bench/*.sh with PGHOST/PGPORT/PGDATABASE exported. Each benchmark measures its
# baselines in the same run and prints ratios. Benchmarks are never tests.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/throwaway-db.sh
source scripts/throwaway-db.sh
throwaway_db --deps dialer_bench
only=${BENCH:-}
for b in bench/*.sh; do
  [ -e "$b" ] || { echo "no benchmarks yet"; exit 0; }
  [ -n "$only" ] && [[ "$b" != *"$only"* ]] && continue
  echo "==================== $(basename "$b" .sh) ===================="
  bash "$b"
done
