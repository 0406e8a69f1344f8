#!/usr/bin/env bash
# scripts/cluster.sh's guard for owned clusters: while the process that started a cluster
# (DIALER_CLUSTER_OWNER, kept in the env file) lives, `start` and `stop` from elsewhere refuse
# with exit 3 and leave the env file alone; the owner's own stop, --force, a dead owner and an
# env file without an owner go ahead. Why: starting a dev cluster beside a running
# scripts/ab-concurrent.sh stopped the comparison's cluster under it. No database: the env
# files here name a directory without a cluster (DIALER_CLUSTER_ENV points the script at them,
# so the test run's own cluster is never touched).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
# shellcheck disable=SC1091
source test/helpers/tap.sh
work=$(mktemp -d /tmp/cluster_guard.XXXXXX)
export DIALER_CLUSTER_ENV=$work/cluster.env
sleep 300 &
owner=$!
trap 'kill "$owner" 2>/dev/null; rm -rf "$work"' EXIT

# An env file like the one scripts/cluster.sh writes, for a cluster owned by process $1.
write_env() {
  cat >"$DIALER_CLUSTER_ENV" <<ENV
export DIALER_CLUSTER_DIR='$work/nothing'
export DIALER_CLUSTER_OWNER='$1'
export PG_BIN='$work/bin'
export PGHOST='$work/sock'
export PGPORT='1'
export PGUSER=postgres
ENV
}

write_env "$owner"
out=$(bash scripts/cluster.sh stop 2>&1); rc=$?
tap_is "$rc" 3 "stop refuses while the owner runs (exit 3)"
tap_ok "$([ -f "$DIALER_CLUSTER_ENV" ] && echo 0 || echo 1)" "and leaves the env file"
tap_ok "$(grep -q "process $owner .*still running" <<<"$out" && echo 0 || echo 1)" "the message names the owner"
out=$(bash scripts/cluster.sh start 2>&1); rc=$?
tap_is "$rc" 3 "start refuses too, before staging anything"
tap_ok "$(grep -q "DIALER_CLUSTER_OWNER='$owner'" "$DIALER_CLUSTER_ENV" && echo 0 || echo 1)" "the env file is the owner's still"
tap_ok "$(grep -q -- "add --force" <<<"$out" && echo 0 || echo 1)" "the message says how to go ahead anyway"

out=$(bash scripts/cluster.sh stop --force 2>&1); rc=$?
tap_is "$rc" 0 "stop --force goes ahead"
tap_ok "$([ ! -f "$DIALER_CLUSTER_ENV" ] && echo 0 || echo 1)" "and removes the env file"

# The owner's own stop: its EXIT trap runs scripts/cluster.sh as its child ("; exit" keeps bash
# from exec'ing the last command), or a shell execs it, so the owner is the script itself.
for how in child exec; do
  if [ "$how" = child ]; then stop='bash scripts/cluster.sh stop quiet; exit $?'; else stop='exec bash scripts/cluster.sh stop quiet'; fi
  bash -c 'cat >"$DIALER_CLUSTER_ENV" <<ENV
export DIALER_CLUSTER_DIR=/nonexistent
export DIALER_CLUSTER_OWNER='"'"'$$'"'"'
ENV
'"$stop"; rc=$?
  tap_is "$rc" 0 "the owner stops its own cluster ($how)"
  tap_ok "$([ ! -f "$DIALER_CLUSTER_ENV" ] && echo 0 || echo 1)" "and its env file is gone ($how)"
done

write_env "$owner"
kill "$owner"; wait "$owner" 2>/dev/null
bash scripts/cluster.sh stop quiet; rc=$?
tap_is "$rc" 0 "a dead owner's cluster is stopped as before"
tap_ok "$([ ! -f "$DIALER_CLUSTER_ENV" ] && echo 0 || echo 1)" "its env file is gone"

write_env ""
bash scripts/cluster.sh stop quiet; rc=$?
tap_is "$rc" 0 "an env file without an owner is stopped as before"
tap_done
