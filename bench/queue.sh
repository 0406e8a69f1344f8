#!/usr/bin/env bash
# Queue benchmark (make bench): claim + complete cycles per second with 16 worker
# connections (build/dialer_workers), for dialer.claim_calls/complete_call and for the
# straightforward PL/pgSQL queue in bench/queue_naive.sql, on identical fresh
# campaigns (two rounds in alternating order, with the server CPU each cycle costs),
# and pgbench's built-in tpcb-like transaction at the same client count
# (the machine's ceiling for small write transactions); then the import of 1,000,000
# messy leads vs plain COPY of the normalised rows into the same tables.
# Each worker run measures QUEUE_BENCH_SECONDS after a warm-up of QUEUE_BENCH_WARMUP
# seconds (dialer_workers --warmup): the steady state of a worker pool that keeps its
# connections, as pgbench's tps leaves out its connection time.
#   QUEUE_BENCH_SECONDS (default 15), QUEUE_BENCH_WARMUP (default 5),
#   QUEUE_BENCH_IMPORT_ROWS (default 1000000)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECS=${QUEUE_BENCH_SECONDS:-15}
WARMUP=${QUEUE_BENCH_WARMUP:-5}
ROWS=${QUEUE_BENCH_IMPORT_ROWS:-1000000}
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh
make -s tools >/dev/null
psql_q -f bench/queue_naive.sql

# One 16-worker run on a fresh campaign, extra dialer_workers flags in "$@": prints
# "completions/s server-CPU-ms-per-cycle" (the rate of the measured window; the CPU of
# the whole run, warm-up included, per cycle). A run with errors (e.g. the straightforward
# queue's deadlocks) still reports its rate; the summary line goes to stderr so the
# errors are visible.
run_workers() {
  local c before out
  c=$(bench_new_campaign)
  sleep 1  # let the postmaster reap the set-up session before reading CPU
  before=$(bench_server_cpu)
  out=$(build/dialer_workers --campaign "$c" --workers 16 --seconds "$SECS" --warmup "$WARMUP" --lease '5 minutes' "$@" 2>/dev/null) || true
  sleep 1  # and the workers' backends after
  echo "    $out" >&2
  bench_rate_and_cpu "$before" "$(bench_server_cpu)" <<<"$out"
}

NAIVE=(--claim-fn bench_naive.claim_calls --complete-fn bench_naive.complete_call)
echo "queue: claim + complete, 16 workers, ${SECS}s per run after ${WARMUP}s warm-up, two rounds in alternating order"
echo "       (fresh identical campaigns; rate and server CPU per cycle)"
# Warm-up, discarded: the first run on a fresh cluster pays for cold caches and buffers.
SECS_MEASURED=$SECS SECS=3
run_workers >/dev/null 2>&1; run_workers "${NAIVE[@]}" >/dev/null 2>&1
SECS=$SECS_MEASURED
read -r o1 oc1 <<<"$(run_workers)"; read -r n1 nc1 <<<"$(run_workers "${NAIVE[@]}")"
read -r n2 nc2 <<<"$(run_workers "${NAIVE[@]}")"; read -r o2 oc2 <<<"$(run_workers)"
ours=$(awk -v a="$o1" -v b="$o2" 'BEGIN { printf "%.1f", (a + b) / 2 }')
naive=$(awk -v a="$n1" -v b="$n2" 'BEGIN { printf "%.1f", (a + b) / 2 }')
ours_cpu=$(awk -v a="$oc1" -v b="$oc2" 'BEGIN { printf "%.3f", (a + b) / 2 }')
naive_cpu=$(awk -v a="$nc1" -v b="$nc2" 'BEGIN { printf "%.3f", (a + b) / 2 }')
pgbench -i -q -s 16 >/dev/null 2>&1
tpcb=$(pgbench -n -c 16 -j 2 -T "$SECS" -b tpcb-like 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
psql_q -c "DROP TABLE pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers"
printf '  %-54s %8s cycles/s %7s CPU ms/cycle\n' "dialer.claim_calls + complete_call" "$ours" "$ours_cpu" \
  "straightforward PL/pgSQL (FOR UPDATE, no SKIP LOCKED)" "$naive" "$naive_cpu"
printf '  %-44s %10s tps\n' "pgbench tpcb-like, 16 clients" "$tpcb"
awk -v o="$ours" -v n="$naive" -v t="$tpcb" 'BEGIN {
  printf "  ratio ours / straightforward: %.2fx (goal >= 3x)\n", o / n;
  printf "  ratio ours / tpcb-like:       %.2fx (goal >= 0.5x)\n", o / t }'

echo "queue: import of $ROWS messy leads vs plain COPY of the same rows"
psql_q -v rows="$ROWS" <<'SQL'
\set QUIET on
DROP TABLE IF EXISTS bench_import_messy, bench_import_clean;
-- Messy national/international/punctuated US numbers, 2% invalid, 1% duplicates.
CREATE TABLE bench_import_messy AS
SELECT g AS line,
       CASE g % 5 WHEN 0 THEN '(' || a || ') 555-' || lpad((g % 10000)::text, 4, '0')
                  WHEN 1 THEN '+1 ' || a || '-555-' || lpad((g % 10000)::text, 4, '0')
                  WHEN 2 THEN '1.' || a || '.555.' || lpad((g % 10000)::text, 4, '0')
                  WHEN 3 THEN a || '555' || lpad((g % 10000)::text, 4, '0')
                  ELSE '+1' || a || '555' || lpad((g % 10000)::text, 4, '0') || ' ext. 12' END
         || CASE WHEN g % 50 = 0 THEN '999' ELSE '' END AS phone,
       'First ' || g AS first_name
  FROM (SELECT g, (ARRAY['201','202','203','205','206','207','208','209','210','212','213','214','215','216','217','218','219','220','223','224','225','227','228','229','231','234','239','240','248','251','252','253','254','256','260','262','267','269','270','272','274','276','279','281','283','301','302','303','304','305','307','308','309','310','312','313','314','315','316','317','318','319','320','321','323','325','326','330','331','332','334','336','337','339','340','341','346','347','351','352','360','361','364','380','385','386','401','402','404','405','406','407','408','409','410','412','413','414','415','417','419','423','424','425','430','432','434','435','440','442','443','445','447','448','458','463','464','469','470','475','478','479','480','484'])[1 + (g / 10000) % 120] AS a
          FROM generate_series(1, :rows) g) s;
-- The same rows already normalised, for the plain COPY baseline.
CREATE TABLE bench_import_clean AS
SELECT DISTINCT ON (e) e AS phone, first_name FROM (
  SELECT dialer.try_e164(phone, 'US') AS e, first_name FROM bench_import_messy) x WHERE e IS NOT NULL;
SQL
copy_ms=$(psql_q -At -v dir="$DIALER_CLUSTER_DIR" <<'SQL'
\set QUIET on
INSERT INTO dialer.tenants (name, default_region) VALUES ('import-copy', 'US') RETURNING id \gset
INSERT INTO dialer.campaigns (tenant_id, name) VALUES (:'id', 'copy') RETURNING id AS campaign \gset
-- Server-side files in the throwaway cluster's own directory.
SELECT :'dir' || '/bench_contacts.csv' AS contacts_file, :'dir' || '/bench_leads.csv' AS leads_file \gset
COPY (SELECT :'id', phone, first_name FROM bench_import_clean) TO :'contacts_file' CSV;
COPY (SELECT :'id', :'campaign', phone FROM bench_import_clean) TO :'leads_file' CSV;
SELECT clock_timestamp() AS t0 \gset
COPY dialer.contacts (tenant_id, phone, first_name) FROM :'contacts_file' CSV;
COPY dialer.leads (tenant_id, campaign_id, phone) FROM :'leads_file' CSV;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000);
SQL
)
import_out=$(psql_q -At <<'SQL'
\set QUIET on
INSERT INTO dialer.tenants (name, default_region) VALUES ('import-ours', 'US') RETURNING id \gset
INSERT INTO dialer.campaigns (tenant_id, name) VALUES (:'id', 'ours') RETURNING id AS campaign \gset
-- One call takes the whole table: above the default dialer.max_import_rows (a superuser may raise it).
SET dialer.max_import_rows = 100000000;
SELECT clock_timestamp() AS t0 \gset
SELECT dialer.import_leads_from(:'campaign', 'bench_import_messy', 'US', 0) - 'rejects' AS report \gset
SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000) || ' ' || :'report';
SQL
)
import_ms=${import_out%% *}
echo "  plain COPY of the normalised rows into contacts + leads: ${copy_ms} ms"
echo "  dialer.import_leads_from on the messy rows:             ${import_ms} ms"
echo "  report: ${import_out#* }"
awk -v c="$copy_ms" -v i="$import_ms" -v r="$ROWS" 'BEGIN {
  printf "  rows/s: copy %.0f, import %.0f; ratio import / copy speed: %.2fx (goal >= 0.25x)\n", r * 1000 / c, r * 1000 / i, c / i }'
psql_q -c "DROP TABLE bench_import_messy, bench_import_clean"
rm -f "$DIALER_CLUSTER_DIR"/bench_*.csv
