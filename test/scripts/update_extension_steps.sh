#!/usr/bin/env bash
# scripts/update-extension.sql goes one release at a time (docs/upgrading.md). Why: a
# completion that started its 0.4.0 function body and then waited for the update's locks
# runs that body once the update commits; after a whole chain in one transaction it
# fails to find a function a middle release dropped (42883), after one step it does not.
# The script commits each step, waits before the next for the transactions older than
# the last commit (up to dialer_update.max_wait seconds, then 55006 naming them), and
# refuses a chain inside a transaction block (25001) while a single step runs there.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
# shellcheck disable=SC1091
source test/helpers/reliability.sh
current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" pg_dialer.control)
export PGDATABASE=dialer_update_steps
BG=""
OLDER=""
trap '[ -n "$BG" ] && kill $BG 2>/dev/null; [ -n "$OLDER" ] && kill $OLDER 2>/dev/null; dropdb --if-exists dialer_update_steps >/dev/null 2>&1' EXIT

version() { q "SELECT extversion FROM pg_extension WHERE extname = 'pg_dialer'"; }

# at VERSION: a fresh database at VERSION with a running campaign and one claimed call,
# whose id CALL holds.
at() {
  rel_make_db "$PGDATABASE" "$1" && rel_campaign 40 4 || return 1
  CALL=$(q "SELECT call_id FROM dialer.claim_calls('$REL_C', 'w1', 1)")
  [ -n "$CALL" ]
}

# wait_calls_locked: polls (up to about 10 s) until another backend holds dialer.calls
# ACCESS EXCLUSIVE. Why not a fixed sleep: on a loaded machine the update reached its lock
# later than any sleep chosen, and the completion then ran first (a flaky test).
# Returns 1 at once if the background update (BG) ended without ever holding it.
wait_calls_locked() {
  for _ in $(seq 1 200); do
    [ "$(q "SELECT count(*) FROM pg_locks WHERE relation = 'dialer.calls'::regclass AND mode = 'AccessExclusiveLock' AND granted")" = 1 ] && return 0
    [ -z "$BG" ] || kill -0 "$BG" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

# straddle UPDATE_SQL: the update (UPDATE_SQL) holds its locks for 2 s before it commits;
# once it holds them, a completion of CALL starts and waits for them. Prints the
# completion's error. Why tried again: the update gives way (55P03 after its 200 ms
# lock_timeout) when autovacuum holds a table it locks, and then never holds dialer.calls.
straddle() {
  local try
  for try in 1 2 3 4 5; do
    psql -X -q -At -v ON_ERROR_STOP=1 -c "BEGIN" -c "$1" -c "SELECT pg_sleep(2)" -c "COMMIT" >/dev/null 2>&1 &
    BG=$!
    wait_calls_locked && break
    wait "$BG"
    BG=""
    [ "$try" -lt 5 ] || return 1
  done
  psql -X -q -At -c "SELECT dialer.complete_call('$CALL', 'no_answer')" 2>&1 >/dev/null | head -n 1
  wait "$BG"
  BG=""
}

# run_script [PSQL_ARGS...]: scripts/update-extension.sql; its stderr on stdout.
run_script() { psql -X -q -v ON_ERROR_STOP=1 "$@" -f scripts/update-extension.sql 2>&1; }

# 1-2. Why steps: the chain in one transaction breaks the waiting completion; one step does not.
at 0.4.0
err=$(straddle "ALTER EXTENSION pg_dialer UPDATE")
# (42883 for the first function a later release dropped that 0.4.0's completion calls:
# _advance_lead(uuid, uuid, text, timestamptz), dropped in 0.6.0, or _free_slot, in 0.16.0.)
tap_ok "$([[ $err == *'ERROR:  function dialer._'*') does not exist'* ]] && echo 0 || echo 1)" \
  "the whole chain 0.4.0 -> $current in one transaction fails a completion that waited for its locks (${err:-no error})"
at 0.4.0
err=$(straddle "ALTER EXTENSION pg_dialer UPDATE TO '0.5.0'")
tap_is "$err|$(q "SELECT status FROM dialer.calls WHERE id = '$CALL'")" "|completed" \
  "one step (0.4.0 -> 0.5.0) under a waiting completion: the completion succeeds with its 0.4.0 body"

# older_txn: starts a transaction that sleeps until cancelled (in the background, OLDER its
# shell pid) and sets OLDER_PID to its backend once it runs. Why cancelled rather than a
# fixed pg_sleep: its end is then the test's decision, not a race with the machine's speed.
older_txn() {
  psql -X -q -c "BEGIN" -c "SELECT pg_sleep(120)" -c "COMMIT" >/dev/null 2>&1 &
  OLDER=$!
  OLDER_PID=""
  for _ in $(seq 1 200); do
    OLDER_PID=$(q "SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(120)'")
    [ -n "$OLDER_PID" ] && return 0
    sleep 0.05
  done
  return 1
}

# end_older: cancels the older transaction and waits for its psql.
end_older() {
  q "SELECT pg_cancel_backend($OLDER_PID)" >/dev/null
  wait "$OLDER"
}

# 3-6. The script waits, after its first step, for a transaction older than that step.
at 0.4.0
older_txn
run_script >"$ROOT/build/update_steps.out" &
BG=$!
for _ in $(seq 1 300); do [ "$(version)" = 0.4.0 ] || break; sleep 0.1; done
sleep 1
tap_is "$(version)" "0.5.0" "while a transaction older than the first step runs, the script stays at 0.5.0"
tap_ok "$(kill -0 "$BG" 2>/dev/null && echo 0 || echo 1)" "the script is still waiting for it"
end_older
rel_wait 30 "$BG"
tap_ok $? "once it ends, the script finishes ($(tr '\n' ' ' <"$ROOT/build/update_steps.out"))"
BG=""
tap_is "$(version)" "$current" "the extension is at $current"

# 7-9. A transaction that outlasts dialer_update.max_wait: 55006 naming it, a complete release left.
at 0.4.0
older_txn
out=$(PGOPTIONS='-c dialer_update.max_wait=1' run_script -v VERBOSITY=verbose)
tap_ok "$([[ -n $OLDER_PID && $out == *'ERROR:  55006: pg_dialer is at 0.5.0 and waits for transactions older than that release: backends '"$OLDER_PID"* ]] && echo 0 || echo 1)" \
  "after dialer_update.max_wait: 55006 naming backend ${OLDER_PID:-?} (${out//$'\n'/ })"
tap_is "$(version)" "0.5.0" "the extension stays at 0.5.0, a complete release"
end_older
run_script >/dev/null
tap_is "$(version)" "$current" "run again after that transaction ended, the script finishes at $current"

# 10-12. Inside a transaction block: a chain is refused before anything changes; one step runs.
at 0.4.0
out=$(run_script -1 -v VERBOSITY=verbose)
tap_ok "$([[ $out == *'ERROR:  25001: pg_dialer 0.4.0 -> '"$current"' takes several steps'* ]] && echo 0 || echo 1)" \
  "a chain inside a transaction block: 25001 (${out//$'\n'/ })"
tap_is "$(version)" "0.4.0" "nothing changed"
prev=$(q "SELECT source FROM pg_extension_update_paths('pg_dialer') WHERE target = '$current' AND path = source || '--' || target")
rel_make_db "$PGDATABASE" "$prev"
run_script -1 >/dev/null
tap_is "$(version)" "$current" "one step ($prev -> $current) inside a transaction block, as a migration runs it"
# 13-16. A completion that began under 0.5.0 and waits for the script's 0.5.0 -> 0.6.0 step,
# which drops _advance_lead(uuid, uuid, text, timestamptz) that 0.5.0's completion calls: the
# script keeps that function (its old body, outside the extension) until the call ended.
# A trigger on dialer.api_grants, which the step writes after locking calls and leads,
# holds the step (and its locks) for two seconds.
at 0.5.0
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE FUNCTION public.slow_step() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Why 0.6.0: ALTER EXTENSION records the new version before it runs the script.
  IF (SELECT extversion FROM pg_extension WHERE extname = 'pg_dialer') = '0.6.0' THEN
    PERFORM pg_sleep(2);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER slow_step AFTER INSERT ON dialer.api_grants FOR EACH STATEMENT EXECUTE FUNCTION public.slow_step();
SQL
run_script >"$ROOT/build/update_steps.out" &
BG=$!
wait_calls_locked
t0=$(date +%s%N)
err=$(psql -X -q -At -c "SELECT dialer.complete_call('$CALL', 'no_answer')" 2>&1 >/dev/null | head -n 1)
waited=$(($(date +%s%N) - t0))
rel_wait 60 "$BG"
tap_ok $? "the script updates from 0.5.0 while that completion waits ($(tr '\n' ' ' <"$ROOT/build/update_steps.out"))"
BG=""
tap_is "$err|$(q "SELECT status FROM dialer.calls WHERE id = '$CALL'")" "|completed" \
  "the completion that began under 0.5.0 and waited for the step ($((waited / 1000000)) ms) succeeds"
tap_is "$(version)" "$current" "the extension is at $current"
tap_is "$(q "SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'dialer'::regnamespace
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')")" "0" \
  "no kept function is left in schema dialer"
tap_done
