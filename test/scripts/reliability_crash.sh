#!/usr/bin/env bash
# Crash consistency: 8 workers (build/dialer_workers, with a reaper) claim and complete
# calls; at a random moment the server is stopped with `pg_ctl stop -m immediate` (no
# shutdown checkpoint: crash recovery from WAL at the next start). After the restart the
# queue's invariants hold (test/helpers/reliability.sh: no lead twice in flight, in-flight
# calls within max_concurrent_calls, slots agreeing with the calls in flight, attempts
# counted once, statistics counters equal to a recount, amcheck clean), before and after
# dialer.reap_expired_claims. Three rounds.
#
# Why a cluster of its own: the throwaway cluster of scripts/cluster.sh runs with
# fsync = off and full_page_writes = off, which a crash test must not have; this one is
# initdb'd from the same private tree (this build installed) with fsync, full-page
# writes and synchronous commit on, and is always stopped and deleted at exit, so the
# shared cluster the next suites use is never touched.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
# shellcheck disable=SC1091
source test/helpers/reliability.sh
ROUNDS=${CRASH_TEST_ROUNDS:-3}

# shellcheck source=scripts/cluster-lib.sh
source scripts/cluster-lib.sh
DIR=$(mktemp -d /tmp/pg_dialer_crash.XXXXXX)
WPID=""
cleanup() {
  [ -n "$WPID" ] && kill "$WPID" 2>/dev/null
  as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1
  mkdir -p "$ROOT/build/logs"
  [ -f "$DIR/server.log" ] && cp "$DIR/server.log" "$ROOT/build/logs/reliability_crash.server.log"
  rm -rf "$DIR"
}
trap cleanup EXIT
pg() { as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" "$@" >/dev/null 2>&1; }

init_socket_cluster "$DIR" "$PG_BIN" "$PGPORT"
tap_ok $? "initdb of the crash test's own cluster"
cat >>"$DIR/data/postgresql.conf" <<CONF
max_connections = 40
shared_buffers = 64MB
fsync = on
synchronous_commit = on
full_page_writes = on
log_min_messages = warning
log_line_prefix = '%m [%p] %d '
CONF
export PGHOST=$DIR/sock PGDATABASE=dialer_crash
pg -w -t 60 start
tap_ok $? "the crash test's cluster starts"
tap_is "$(PGDATABASE=postgres q "SELECT string_agg(name || '=' || setting, ',' ORDER BY name) FROM pg_settings
              WHERE name IN ('fsync', 'full_page_writes', 'synchronous_commit')")" \
  "fsync=on,full_page_writes=on,synchronous_commit=on" "fsync, full-page writes and synchronous commit are on"
rel_make_db dialer_crash && rel_campaign 3000 8
tap_ok $? "a running campaign of 3,000 leads, 8 concurrent calls"

for round in $(seq 1 "$ROUNDS"); do
  before=$(q "SELECT count(*) FROM dialer.calls")
  build/dialer_workers --campaign "$REL_C" --workers 8 --seconds 10 --lease '1 minute' --reap-every 0.5 \
    --seed "$round" >"$DIR/workers.out" 2>&1 &
  WPID=$!
  ms=$((800 + RANDOM % 2200))
  sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
  pg -m immediate -w stop
  tap_ok $? "round $round: pg_ctl stop -m immediate after ${ms} ms of work"
  rel_wait 20 "$WPID" >/dev/null
  WPID=""
  echo "# workers: $(grep 'workers=' "$DIR/workers.out" || tail -n 2 "$DIR/workers.out")"
  pg -w -t 60 start
  tap_ok $? "round $round: the cluster restarts (crash recovery)" ||
    { tail -n 20 "$DIR/server.log" | sed 's/^/#   /'; break; }
  after=$(q "SELECT count(*) FROM dialer.calls")
  tap_ok "$([ "${after:-0}" -gt "${before:-0}" ] && echo 0 || echo 1)" \
    "round $round: the workers' committed calls survived ($before -> $after calls, $(q "SELECT count(*) FROM dialer.calls WHERE status IN $REL_IN_FLIGHT") in flight)"
  rel_invariants "round $round, after recovery"
  reaped=$(q "SELECT dialer.reap_expired_claims(now() + interval '2 minutes', 100000)")
  echo "# reaped: $reaped"
  tap_is "$(q "SELECT count(*) FROM dialer.calls WHERE status IN $REL_IN_FLIGHT")|$(q "SELECT count(*) FROM dialer.campaign_slots WHERE call_id IS NOT NULL")" \
    "0|0" "round $round: the reaper expires every lease cut off by the crash and frees its slot"
  rel_invariants "round $round, after the reaper"
  # The next round starts with the held leads given back, so the queue keeps work.
  q "SELECT count(dialer.release_lead(id)) FROM dialer.leads WHERE status = 'held'" >/dev/null
done
tap_is "$(q "SELECT count(*) FROM dialer.claim_calls('$REL_C', 'after-crashes', 2, '1 minute')")" "2" \
  "the queue still claims after $ROUNDS crashes"
tap_done
