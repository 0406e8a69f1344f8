#!/usr/bin/env bash
# Dump and restore mid-run: while 8 workers claim and complete calls, pg_dump (custom
# format) takes the database at an exported snapshot; pg_restore loads it into a fresh
# database made with the Supabase bootstrap. The restored database keeps the queue's
# invariants (test/helpers/reliability.sh; calls in flight at the dump keep their slots),
# every row's created_at and updated_at equal the source's as of the snapshot, and the
# restored campaign runs to its end (claim and complete until it completes) without ever
# having more calls in flight than max_concurrent_calls.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
# shellcheck disable=SC1091
source test/helpers/reliability.sh
SRC=dialer_dump_src
DST=dialer_dump_dst
LIMIT=8
DIR=$(mktemp -d /tmp/pg_dialer_dump.XXXXXX)
WPID=""
HPID=""
cleanup() {
  [ -n "$WPID" ] && kill "$WPID" 2>/dev/null
  [ -n "$HPID" ] && kill "$HPID" 2>/dev/null
  rm -rf "$DIR"
}
trap cleanup EXIT
export PGDATABASE=$SRC

rel_make_db "$SRC" && rel_campaign 2000 "$LIMIT"
tap_ok $? "a running campaign of 2,000 leads, max_concurrent_calls $LIMIT"

# Every row of a dialer table with an id and created_at / updated_at, as text.
ts_query=$(q "SELECT string_agg(format('SELECT %L AS t, id::text AS id, %s AS c, %s AS u FROM dialer.%I', c.relname,
                  CASE WHEN EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'created_at' AND NOT a.attisdropped)
                       THEN 'created_at::text' ELSE 'NULL' END,
                  CASE WHEN EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'updated_at' AND NOT a.attisdropped)
                       THEN 'updated_at::text' ELSE 'NULL' END, c.relname), ' UNION ALL ' ORDER BY c.relname)
                FROM pg_class c
               WHERE c.relnamespace = 'dialer'::regnamespace AND c.relkind IN ('r', 'p')
                 AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'id' AND NOT a.attisdropped)
                 AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname IN ('created_at', 'updated_at') AND NOT a.attisdropped)")
ts_copy="COPY (SELECT * FROM ($ts_query) x ORDER BY 1, 2) TO STDOUT"

build/dialer_workers --campaign "$REL_C" --workers 8 --seconds 6 --lease '1 minute' >"$DIR/workers.out" 2>&1 &
WPID=$!
sleep 2.5
# A session exporting a snapshot, held open while pg_dump and the timestamp copy use it.
mkfifo "$DIR/holder.in"
psql -X -q -At <"$DIR/holder.in" >"$DIR/holder.out" 2>&1 &
HPID=$!
exec 3>"$DIR/holder.in"
echo "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT pg_export_snapshot();" >&3
for _ in $(seq 1 100); do [ -s "$DIR/holder.out" ] && break; sleep 0.05; done
snap=$(head -n 1 "$DIR/holder.out")
# -N auth: the auth schema is the platform's (the bootstrap makes it in the new database).
pg_dump -Fc -N auth --snapshot="$snap" -f "$DIR/src.dump" "$SRC" 2>"$DIR/dump.err"
tap_ok $? "pg_dump -Fc -N auth at exported snapshot $snap while 8 workers run$( [ -s "$DIR/dump.err" ] && echo " ($(head -c 300 "$DIR/dump.err"))")"
psql -X -q -At -c "BEGIN ISOLATION LEVEL REPEATABLE READ" -c "SET TRANSACTION SNAPSHOT '$snap'" \
  -c "$ts_copy" -c "SELECT 'in_flight', count(*) FROM dialer.calls WHERE status IN $REL_IN_FLIGHT" -c "COMMIT" >"$DIR/src_ts.txt"
echo "COMMIT;" >&3
exec 3>&-
rel_wait 10 "$HPID" >/dev/null
HPID=""
rel_wait 30 "$WPID" >/dev/null
WPID=""
echo "# workers: $(grep 'workers=' "$DIR/workers.out")"
in_flight_at_dump=$(sed -n 's/^in_flight|//p' "$DIR/src_ts.txt")
sed -i '/^in_flight|/d' "$DIR/src_ts.txt"
echo "# at the snapshot: $in_flight_at_dump calls in flight, $(wc -l <"$DIR/src_ts.txt") rows with timestamps"

export PGDATABASE=$DST
dropdb --if-exists "$DST" >/dev/null 2>&1
createdb "$DST" && psql -X -q -v ON_ERROR_STOP=1 -f test/helpers/supabase_bootstrap.sql >/dev/null
tap_ok $? "a fresh database with the Supabase bootstrap"
pg_restore -d "$DST" "$DIR/src.dump" 2>"$DIR/restore.err"
rc=$?
tap_ok $rc "pg_restore loads the dump without an error ($(grep -c 'error:' "$DIR/restore.err") errors)"
grep -m 5 -E 'error|ERROR' "$DIR/restore.err" | sed 's/^/#   /'

tap_is "$(q "SELECT count(*) FROM dialer.calls WHERE status IN $REL_IN_FLIGHT")" "$in_flight_at_dump" \
  "the restored database has the calls in flight at the snapshot"
rel_invariants "restored"

psql -X -q -At -c "$ts_copy" >"$DIR/dst_ts.txt"
differ=$(comm -3 <(sort "$DIR/src_ts.txt") <(sort "$DIR/dst_ts.txt") | wc -l)
by_table=$(comm -23 <(sort "$DIR/src_ts.txt") <(sort "$DIR/dst_ts.txt") | cut -f1 | sort | uniq -c | awk '{printf "%s%s: %s", sep, $2, $1; sep=", "}')
tap_is "$differ" "0" "every restored row's created_at and updated_at equal the source's at the snapshot (rows differing by table: ${by_table:-none})"
comm -23 <(sort "$DIR/src_ts.txt") <(sort "$DIR/dst_ts.txt") | head -n 2 | sed 's/^/#   source:   /'
comm -13 <(sort "$DIR/src_ts.txt") <(sort "$DIR/dst_ts.txt") | head -n 2 | sed 's/^/#   restored: /'

# Runs the restored campaign to its end: each round claims up to the limit, notes how many
# calls are in flight, and completes the calls it claimed (and, once, the calls that were in
# flight at the dump, whose workers are gone); one transaction per round, at most 25 s.
v=$(psql -X -q -At -v ON_ERROR_STOP=1 <<SQL 2>&1
SET client_min_messages = warning;
CREATE TEMP TABLE run_result (rounds int, max_in_flight bigint, claimed bigint);
DO \$run\$
DECLARE
  v_started timestamptz := clock_timestamp();
  v_rounds int := 0; v_max bigint := 0; v_claimed bigint := 0; v_n bigint; v_ids uuid[];
  v_old uuid[];
BEGIN
  SELECT array_agg(id) INTO v_old FROM dialer.calls WHERE status IN $REL_IN_FLIGHT;
  LOOP
    EXIT WHEN (SELECT status FROM dialer.campaigns WHERE id = '$REL_C') <> 'running'
           OR clock_timestamp() - v_started > interval '25 seconds';
    v_rounds := v_rounds + 1;
    SELECT array_agg(call_id) INTO v_ids FROM dialer.claim_calls('$REL_C', 'restored', $LIMIT, '1 minute');
    v_claimed := v_claimed + coalesce(cardinality(v_ids), 0);
    SELECT count(*) INTO v_n FROM dialer.calls WHERE campaign_id = '$REL_C' AND status IN $REL_IN_FLIGHT;
    v_max := greatest(v_max, v_n);
    PERFORM dialer.complete_call(id, 'converted', 'dialer') FROM unnest(coalesce(v_ids, '{}') || coalesce(v_old, '{}')) id;
    v_old := NULL;
    IF v_ids IS NULL AND NOT EXISTS (SELECT 1 FROM dialer.calls WHERE campaign_id = '$REL_C' AND status IN $REL_IN_FLIGHT) THEN
      EXIT;  -- nothing claimable and nothing in flight: stuck
    END IF;
    COMMIT;
  END LOOP;
  INSERT INTO run_result VALUES (v_rounds, v_max, v_claimed);
END
\$run\$;
SELECT rounds || '|' || max_in_flight || '|' || claimed FROM run_result;
SQL
)
echo "# run to the end: $v"
IFS='|' read -r rounds max_in_flight claimed <<<"$(tail -n 1 <<<"$v")"
tap_ok "$([ "${max_in_flight:-999}" -le "$LIMIT" ] 2>/dev/null && echo 0 || echo 1)" \
  "the restored campaign never had more than $LIMIT calls in flight (max ${max_in_flight:-?}, $claimed claims in $rounds rounds)"
tap_is "$(q "SELECT status FROM dialer.campaigns WHERE id = '$REL_C'")|$(q "SELECT count(*) FROM dialer.leads WHERE status IN ('pending', 'scheduled', 'in_progress', 'held')")" \
  "completed|0" "the restored campaign runs to its end"
rel_invariants "restored, run to the end"
dropdb --if-exists "$SRC" >/dev/null 2>&1
dropdb --if-exists "$DST" >/dev/null 2>&1
tap_done
