#!/usr/bin/env bash
# `make bench`: builds with optimisation, starts a throwaway cluster, and runs every
# bench/*.sh with PGHOST/PGPORT/PGDATABASE exported. Each benchmark measures its
# baselines in the same run and prints ratios. Benchmarks are never tests.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/install-deps.sh
make -s -j2 all tools >/dev/null
trap 'bash scripts/cluster.sh stop quiet' EXIT
bash scripts/cluster.sh start
# shellcheck disable=SC1091
source build/cluster.env
bash scripts/setup-db.sh dialer_bench
export PGDATABASE=dialer_bench
only=${BENCH:-}
for b in bench/*.sh; do
  [ -e "$b" ] || { echo "no benchmarks yet"; exit 0; }
  [ -n "$only" ] && [[ "$b" != *"$only"* ]] && continue
  echo "==================== $(basename "$b" .sh) ===================="
  bash "$b"
done
