#!/usr/bin/env bash
# updated_at overhead: UPDATE of ROWS rows (default 1,000,000) with no trigger (the
# floor), contrib moddatetime, a PL/pgSQL `new.updated_at = now()` trigger,
# dialer.set_updated_at() as users get it (the fast path on: the planner stamps the
# column and the trigger is skipped), and the same trigger with
# dialer.updated_at_fast_path = off (the pure trigger), interleaved over ROUNDS rounds in
# one session. Prints the fastest and median time per variant, the per-row overhead
# over the floor, and our overheads as fractions of moddatetime's (goal: <= 1/3).
# The session starts with LOAD 'pg_dialer', as session_preload_libraries would do.
# Time is the backend's own CPU time (utime + stime from /proc, read with pg_read_file,
# so the benchmark runs as a superuser): on a shared machine wall-clock time mostly
# measures the other processes. Overheads use each variant's fastest run.
# Needs PGHOST/PGPORT/PGDATABASE (make bench exports them) and pg_dialer installed.

set -euo pipefail
ROWS=${ROWS:-1000000}
ROUNDS=${ROUNDS:-5}
VARIANTS="none moddatetime plpgsql dialer dialer_trigger_only"
TICKS=$(getconf CLK_TCK)

export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql_run() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql_run <<SQL
CREATE EXTENSION IF NOT EXISTS moddatetime;
DROP SCHEMA IF EXISTS bench_updated_at CASCADE;
CREATE SCHEMA bench_updated_at;
CREATE TABLE bench_updated_at.rows (
  id bigint, name text, status text, n integer, updated_at timestamptz);
INSERT INTO bench_updated_at.rows
  SELECT g, 'contact ' || g, 'pending', 0, now() FROM generate_series(1, $ROWS) g;
CREATE FUNCTION bench_updated_at.plpgsql_stamp() RETURNS trigger LANGUAGE plpgsql AS
  \$\$ BEGIN NEW.updated_at = now(); RETURN NEW; END \$\$;
CREATE TABLE bench_updated_at.results (round int, variant text, seconds float8, wall float8);
-- CPU seconds this backend has used so far: utime and stime, fields 14 and 15 of
-- /proc/<pid>/stat, i.e. 12 and 13 after the "pid (comm) " prefix.
CREATE FUNCTION bench_updated_at.cpu_seconds(p_ticks_per_second int) RETURNS float8 LANGUAGE sql AS
  \$\$ SELECT (split_part(s, ' ', 12)::bigint + split_part(s, ' ', 13)::bigint)::float8 / p_ticks_per_second
        FROM (SELECT split_part(pg_read_file('/proc/' || pg_backend_pid() || '/stat'), ') ', 2) AS s) x \$\$;
SQL
psql_run -c "VACUUM (FREEZE, ANALYZE) bench_updated_at.rows"

# One statement per variant and round, each after a VACUUM so every UPDATE finds the
# same amount of free space; the order rotates each round.
script=$(mktemp)
trap 'rm -f "$script"' EXIT
echo "LOAD 'pg_dialer';" >"$script"
for round in $(seq 1 "$ROUNDS"); do
  # Rotate the order each round so no variant always runs first.
  k=$(( (round - 1) % 5 ))
  read -r -a all <<<"$VARIANTS"
  order="${all[*]:k} ${all[*]:0:k}"
  for v in $order; do
    fast=on
    case $v in
      none)        trig="" ;;
      moddatetime) trig="CREATE TRIGGER stamp BEFORE UPDATE ON bench_updated_at.rows FOR EACH ROW EXECUTE FUNCTION moddatetime(updated_at);" ;;
      plpgsql)     trig="CREATE TRIGGER stamp BEFORE UPDATE ON bench_updated_at.rows FOR EACH ROW EXECUTE FUNCTION bench_updated_at.plpgsql_stamp();" ;;
      dialer)      trig="CREATE TRIGGER stamp BEFORE UPDATE ON bench_updated_at.rows FOR EACH ROW EXECUTE FUNCTION dialer.set_updated_at('updated_at');" ;;
      dialer_trigger_only)
                   trig="CREATE TRIGGER stamp BEFORE UPDATE ON bench_updated_at.rows FOR EACH ROW EXECUTE FUNCTION dialer.set_updated_at('updated_at');"
                   fast=off ;;
    esac
    cat >>"$script" <<SQL
DROP TRIGGER IF EXISTS stamp ON bench_updated_at.rows;
$trig
SET dialer.updated_at_fast_path = $fast;
VACUUM bench_updated_at.rows;
SELECT clock_timestamp() AS t0, bench_updated_at.cpu_seconds($TICKS) AS c0 \gset
UPDATE bench_updated_at.rows SET n = n + 1;
INSERT INTO bench_updated_at.results
  VALUES ($round, '$v', bench_updated_at.cpu_seconds($TICKS) - :c0,
          extract(epoch FROM clock_timestamp() - :'t0'::timestamptz));
SQL
  done
done
psql_run -f "$script"

psql -X -q -v ON_ERROR_STOP=1 -v rows="$ROWS" <<'SQL'
\pset footer off
CREATE TEMP VIEW fastest AS
  SELECT variant, min(seconds) AS s, min(wall) AS wall_s,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median_s
    FROM bench_updated_at.results GROUP BY variant;
CREATE TEMP VIEW overheads AS
  SELECT m.variant, m.s, m.median_s, m.wall_s, (m.s - f.s) * 1e9 / :rows AS ns_per_row
    FROM fastest m, (SELECT s FROM fastest WHERE variant = 'none') f;
SELECT variant,
       round(s::numeric, 3) AS fastest_cpu_seconds,
       round(median_s::numeric, 3) AS median_cpu_seconds,
       round(wall_s::numeric, 3) AS fastest_wall_seconds,
       round((:rows / s)::numeric) AS rows_per_second,
       round(ns_per_row::numeric, 1) AS overhead_ns_per_row
  FROM overheads
 ORDER BY array_position(ARRAY['none', 'moddatetime', 'plpgsql', 'dialer', 'dialer_trigger_only'], variant);
SELECT round((d.ns_per_row / m.ns_per_row)::numeric, 3) AS dialer_over_moddatetime_overhead,
       round((d.ns_per_row / p.ns_per_row)::numeric, 3) AS dialer_over_plpgsql_overhead,
       round((t.ns_per_row / m.ns_per_row)::numeric, 3) AS trigger_only_over_moddatetime_overhead,
       CASE WHEN d.ns_per_row <= m.ns_per_row / 3 THEN 'met' ELSE 'missed' END AS goal_at_most_one_third
  FROM overheads d, overheads m, overheads p, overheads t
 WHERE d.variant = 'dialer' AND m.variant = 'moddatetime' AND p.variant = 'plpgsql'
   AND t.variant = 'dialer_trigger_only';
DROP SCHEMA bench_updated_at CASCADE;
SQL
