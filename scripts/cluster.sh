#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for tests, benchmarks and the demo.
#
#   scripts/cluster.sh start    stage a private PostgreSQL tree with this checkout's
#                               build installed (and earlier releases' install scripts,
#                               built from git history: tools/release_sql.sh), initdb in
#                               a temp dir, start it on its own port and unix socket;
#                               write build/cluster.env
#   scripts/cluster.sh stop     stop it and delete it (logs copied to build/logs first)
#   scripts/cluster.sh env      print the env file (source it to use psql)
#   (start and stop take --force: see "Owned clusters" below)
#
# Owned clusters: a script that runs on a cluster of its own (scripts/throwaway-db.sh: the
# benchmarks, scripts/ab-concurrent.sh and the other diagnostics) starts it with
# DIALER_CLUSTER_OWNER set to its own process id, which the env file keeps. While that
# process lives, start and stop from anywhere else refuse to touch the cluster (exit 3):
# there is one build/cluster.env per checkout, and starting a dev cluster beside a running
# A/B comparison stopped the comparison's cluster under it (docs/benchmarks.md). The owner's
# own stop (its EXIT trap: a child of the owner, or the owner itself) and --force go ahead.
#
# Why a private tree: PostgreSQL locates its lib and share directories relative to
# its own binary, so a copy of the server binaries next to a staged `make install
# DESTDIR=...` runs this checkout's extension without root and without touching the
# system installation or any other cluster. It only ever listens on a unix socket in
# its own temp dir, so it cannot collide with another cluster's port either.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# (DIALER_CLUSTER_ENV: another env file, for test/scripts/cluster_owner_guard.sh only.)
ENV_FILE=${DIALER_CLUSTER_ENV:-$ROOT/build/cluster.env}
PG_CONFIG=${PG_CONFIG:-pg_config}
SYS_BIN=$($PG_CONFIG --bindir)
SYS_LIB=$($PG_CONFIG --pkglibdir)
SYS_SHARE=$($PG_CONFIG --sharedir)

# as_owner, pick_port, init_socket_cluster.
# shellcheck source=scripts/cluster-lib.sh
source "$ROOT/scripts/cluster-lib.sh"

# Builds the private tree: system binaries copied, system lib/share linked, this
# checkout's extension installed on top with DESTDIR, earlier releases' install scripts
# beside it.
stage_tree() {
  local tree=$1
  make -C "$ROOT" -s install DESTDIR="$tree" >/dev/null
  # Earlier releases' install scripts, built from history, so a test can create any release.
  PG_CONFIG=$PG_CONFIG bash "$ROOT/tools/release_sql.sh" --all "$tree$SYS_SHARE/extension"
  mkdir -p "$tree$SYS_BIN" "$tree$SYS_LIB" "$tree$SYS_SHARE"
  cp -a "$SYS_BIN/." "$tree$SYS_BIN/"
  local f
  for f in "$SYS_LIB"/*; do
    [ -e "$tree$SYS_LIB/$(basename "$f")" ] || ln -s "$f" "$tree$SYS_LIB/"
  done
  cp -rsn "$SYS_SHARE/." "$tree$SYS_SHARE/"
}

# Prints the server log of the cluster in $1 (used when something failed).
print_log() {
  [ -f "$1/server.log" ] && { echo "---- server log ($1/server.log, last 60 lines) ----"; tail -n 60 "$1/server.log"; }
  return 0
}

# Exits 3 when the cluster of the env file belongs to a live process other than this
# script's parent (see "Owned clusters" above); $1 is what was asked, for the message.
check_owner() {
  [ "$FORCE" = 1 ] && return 0
  [ -f "$ENV_FILE" ] || return 0
  local owner
  owner=$(sed -n "s/^export DIALER_CLUSTER_OWNER='\([0-9]*\)'$/\1/p" "$ENV_FILE")
  # Why $$ too: a shell may exec its last command, so the owner's stop can be this process.
  [ -n "$owner" ] && [ "$owner" != "$PPID" ] && [ "$owner" != "$$" ] && kill -0 "$owner" 2>/dev/null ||
    return 0
  echo "cluster: not $1: $ENV_FILE is the cluster of process $owner ($(ps -o args= -p "$owner" | cut -c1-80)), still running" >&2
  echo "cluster: wait for it to finish, or add --force" >&2
  exit 3
}

cmd_start() {
  check_owner "starting another"
  [ -f "$ENV_FILE" ] && cmd_stop quiet
  mkdir -p "$ROOT/build"
  local dir port bin
  dir=$(mktemp -d /tmp/pg_dialer.XXXXXX)
  stage_tree "$dir/tree"
  bin="$dir/tree$SYS_BIN"
  port=$(pick_port)
  init_socket_cluster "$dir" "$bin" "$port" || { cat "$dir/initdb.log"; exit 1; }
  cat >>"$dir/data/postgresql.conf" <<CONF
max_connections = 120
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
log_min_messages = warning
log_line_prefix = '%m [%p] %d '
CONF
  # Extra settings for profiling runs, e.g. DIALER_PG_CONF=$'shared_preload_libraries = \'pg_cron,pg_stat_statements\''
  [ -n "${DIALER_PG_CONF:-}" ] && printf '%s\n' "$DIALER_PG_CONF" >>"$dir/data/postgresql.conf"
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
    echo "cluster: start failed" >&2; print_log "$dir" >&2; exit 1
  fi
  cat >"$ENV_FILE" <<ENV
export DIALER_CLUSTER_DIR='$dir'
export DIALER_CLUSTER_OWNER='${DIALER_CLUSTER_OWNER:-}'
export PG_BIN='$bin'
export PGHOST='$dir/sock'
export PGPORT='$port'
export PGUSER=postgres
export PATH='$bin':"\$PATH"
ENV
  echo "cluster: started PostgreSQL $("$bin/postgres" --version | awk '{print $3}') in $dir on socket $dir/sock port $port"
}

cmd_stop() {
  [ -f "$ENV_FILE" ] || { [ "${1:-}" = quiet ] || echo "cluster: none running"; return 0; }
  check_owner "stopping it"
  # shellcheck disable=SC1090
  source "$ENV_FILE"
  local dir=$DIALER_CLUSTER_DIR
  if [ -d "$dir/data" ]; then
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 ||
      as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  mkdir -p "$ROOT/build/logs"
  [ -f "$dir/server.log" ] && cp "$dir/server.log" "$ROOT/build/logs/server.log"
  case "$dir" in /tmp/pg_dialer.*) rm -rf "$dir" ;; esac
  rm -f "$ENV_FILE"
  [ "${1:-}" = quiet ] || echo "cluster: stopped (server log kept in build/logs/server.log)"
}

FORCE=0
args=()
for a in "$@"; do
  if [ "$a" = --force ]; then FORCE=1; else args+=("$a"); fi
done
case "${args[0]:-}" in
  start) cmd_start ;;
  stop) cmd_stop "${args[1]:-}" ;;
  env) cat "$ENV_FILE" ;;
  *) echo "usage: $0 start|stop|env [--force]" >&2; exit 2 ;;
esac
