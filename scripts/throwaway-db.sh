# shellcheck shell=bash
# Shared by the scripts that run against a throwaway cluster of their own (scripts/bench.sh,
# scripts/demo.sh, scripts/ab-workers.sh): sourced, never run, from the checkout's top
# directory under `set -e`.

# throwaway_db [--deps] NAME: installs what the machine lacks (with --deps:
# scripts/install-deps.sh), builds the module and tools, starts a throwaway cluster
# (stopped again when the calling script exits), loads its libpq environment
# (build/cluster.env) and creates database NAME as a Supabase project is set up;
# PGDATABASE names it.
throwaway_db() {
  if [ "$1" = --deps ]; then
    bash scripts/install-deps.sh
    shift
  fi
  make -s -j2 all tools >/dev/null
  # Why a trap of the calling shell: the cluster must stop however the script ends.
  trap 'bash scripts/cluster.sh stop quiet' EXIT
  # Why the owner: so that scripts/cluster.sh refuses, while this script runs, to start or
  # stop a cluster from elsewhere in this checkout, which would stop this one under it.
  DIALER_CLUSTER_OWNER=$$ bash scripts/cluster.sh start
  # shellcheck disable=SC1091
  source build/cluster.env
  bash scripts/setup-db.sh "$1"
  export PGDATABASE=$1
}
