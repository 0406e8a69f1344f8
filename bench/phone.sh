#!/usr/bin/env bash
# Phone normalisation benchmark (make bench; PGHOST/PGPORT/PGDATABASE set, pg_dialer
# installed). One run measures, on the same 1,000,000 messy numbers from 30 regions:
#   scan      count(*), sum(length(x))                         the floor
#   regexp    '+' || regexp_replace(x, '\D', '', 'g')          fast but wrong
#   lpn       libphonenumber Parse + IsValidNumber + Format     the straightforward path
#   try_e164  dialer.try_e164(x, region)                        ours (NULL for invalid)
# prints rows/s and ratios, checks that try_e164 and libphonenumber give identical
# output on every row, then makes 10,000,000 calls in one backend and compares its
# RSS before and after (no memory growth).
#   PHONE_BENCH_ROWS (default 1000000), PHONE_BENCH_MEMORY_ROUNDS (default 10)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${PHONE_BENCH_ROWS:-1000000}
ROUNDS=${PHONE_BENCH_MEMORY_ROUNDS:-10}
mkdir -p "$ROOT/build"
CORPUS_BIN="$ROOT/build/phone_corpus"
g++ -O2 -std=c++17 -I"$ROOT/src" -I"$ROOT/test/unit" -o "$CORPUS_BIN" "$ROOT/bench/phone_corpus.cpp" \
  -lphonenumber -lprotobuf
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "phone: generating $ROWS messy inputs"
psql_q <<'SQL'
DROP SCHEMA IF EXISTS phone_bench CASCADE;
CREATE SCHEMA phone_bench;
CREATE TABLE phone_bench.inputs (input text NOT NULL, region text);
-- libphonenumber's own path, for this comparison only.
CREATE FUNCTION phone_bench.lpn_e164(phone text, region text) RETURNS text
  LANGUAGE c IMMUTABLE PARALLEL SAFE AS 'pg_dialer', 'pg_dialer_phone_reference_e164';
-- Milliseconds one query takes (run inside the backend, no client transfer).
CREATE FUNCTION phone_bench.time_ms(q text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp(); ignored bigint;
BEGIN
  EXECUTE q INTO ignored;
  RETURN round(extract(epoch FROM clock_timestamp() - t0) * 1000, 1);
END $$;
SQL
"$CORPUS_BIN" "$ROWS" 42 | psql_q -c "COPY phone_bench.inputs FROM STDIN"
psql_q -c "VACUUM ANALYZE phone_bench.inputs"

psql -X -v ON_ERROR_STOP=1 -v rows="$ROWS" <<'SQL'
\set QUIET on
\pset footer off
SET max_parallel_workers_per_gather = 0;  -- one backend per method, like for like
SELECT count(*) AS rows, count(DISTINCT region) AS regions,
       count(*) FILTER (WHERE region IS NULL) AS without_region,
       count(*) FILTER (WHERE input ~* '[a-z]') AS with_letters,
       count(*) FILTER (WHERE input ~* '(ext|x|#|,,)\s*\d+$') AS with_extension
  FROM phone_bench.inputs;
-- Warm-up: load libphonenumber's metadata and our automata in this backend.
SELECT count(dialer.try_e164(input, region)) >= 0 AS warm, count(phone_bench.lpn_e164(input, region)) >= 0 AS warm2
  FROM (SELECT * FROM phone_bench.inputs LIMIT 20000) s;
CREATE TEMP TABLE timing (method text, ms numeric);
-- Best of three for the quick methods, one run for libphonenumber (it is slow).
INSERT INTO timing SELECT 'scan', min(phone_bench.time_ms(
  'SELECT count(*) + sum(length(input)) FROM phone_bench.inputs')) FROM generate_series(1, 3);
INSERT INTO timing SELECT 'regexp', min(phone_bench.time_ms(
  $q$SELECT count('+' || regexp_replace(input, '\D', '', 'g')) FROM phone_bench.inputs$q$)) FROM generate_series(1, 3);
INSERT INTO timing SELECT 'try_e164', min(phone_bench.time_ms(
  'SELECT count(dialer.try_e164(input, region)) FROM phone_bench.inputs')) FROM generate_series(1, 3);
INSERT INTO timing SELECT 'lpn', phone_bench.time_ms(
  'SELECT count(phone_bench.lpn_e164(input, region)) FROM phone_bench.inputs');
SELECT method, ms, round(:rows / (ms / 1000)) AS rows_per_s,
       round((SELECT ms FROM timing WHERE method = 'lpn') / ms, 2) AS speedup_vs_libphonenumber,
       round(ms / (SELECT ms FROM timing WHERE method = 'scan'), 2) AS x_scan_floor
  FROM timing ORDER BY ms;
SELECT round((SELECT ms FROM timing WHERE method = 'lpn') / (SELECT ms FROM timing WHERE method = 'try_e164'), 1)
       AS "dialer.try_e164 speedup over libphonenumber (goal >= 10)";
-- Same answers on every row; and how wrong the regexp shortcut is.
SELECT count(*) FILTER (WHERE dialer.try_e164(input, region) IS DISTINCT FROM lpn) AS try_e164_differs,
       count(*) FILTER (WHERE lpn IS NOT NULL) AS valid_rows,
       count(*) FILTER (WHERE '+' || regexp_replace(input, '\D', '', 'g') IS DISTINCT FROM coalesce(lpn, ''))
         AS regexp_wrong
  FROM (SELECT input, region, phone_bench.lpn_e164(input, region) AS lpn FROM phone_bench.inputs) s;
SQL

echo "phone: memory over $ROUNDS x $ROWS calls in one backend"
# Private (anonymous) memory of the backend: shared buffers are excluded, so only
# what the backend itself allocates and keeps counts.
anon_kb() { awk '/^RssAnon/ {print $2}' "/proc/$1/status"; }
coproc PSQL { psql -X -q -A -t -v ON_ERROR_STOP=1 2>&1; }
ask() { echo "$1" >&"${PSQL[1]}"; read -r line <&"${PSQL[0]}"; echo "$line"; }
pid=$(ask "SELECT pg_backend_pid();")
pass="SELECT count(dialer.try_e164(input, region)) + count(dialer.e164(input, region)) FILTER (WHERE false) FROM phone_bench.inputs;"
# Warm-up: libphonenumber's metadata and regex cache, our automata, catalog caches.
ask "$pass" >/dev/null
ask "$pass" >/dev/null
before=$(anon_kb "$pid")
trace=""
for _ in $(seq 1 "$ROUNDS"); do
  ask "$pass" >/dev/null
  trace="$trace $(anon_kb "$pid")"
done
after=$(anon_kb "$pid")
echo "RssAnon (kB) after each pass:$trace"
echo "\\q" >&"${PSQL[1]}"
wait "$PSQL_PID" 2>/dev/null || true
growth=$((after - before))
echo "calls: $((ROUNDS * ROWS))  backend RssAnon before: ${before} kB  after: ${after} kB  growth: ${growth} kB"
if [ "$growth" -lt 1024 ]; then echo "memory: no growth (under 1 MB)"; else echo "memory: GREW by ${growth} kB"; fi
psql_q -c "DROP SCHEMA phone_bench CASCADE"
