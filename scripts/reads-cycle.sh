#!/usr/bin/env bash
# What a queue run reads and rewrites, per table and index: a diagnostic for choosing what to
# build (the figures of record are `make bench`'s). For each variant (a bench/ab/ file, as
# scripts/ab-workers.sh takes them; none: the tables as released) it runs N workers on a fresh
# campaign of a throwaway cluster and prints, from pg_stat_user_indexes and
# pg_stat_user_tables read before and after the run:
#   index entries returned and live rows fetched per claim, for every dialer index read
#   (e.g. the claim's walk of leads_queue_idx past leads other claims just took);
#   updates, the HOT share and the pages after the run of the queue's and the statistics'
#   tables (e.g. call-totals rows leaving their page under many writers);
#   multixacts made per claim (several transactions holding a lock on one row at once, e.g.
#   the foreign-key checks' FOR KEY SHARE on the shared tenant and campaign rows).
#   scripts/reads-cycle.sh [--workers 16] [--seconds 10] [A.sql ...]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORKERS=16 SECS=10
variants=()
while [ $# -gt 0 ]; do
  case $1 in
    --workers) WORKERS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    -*) echo "reads-cycle: unknown option $1" >&2; exit 2 ;;
    *) [ -f "$1" ] || { echo "reads-cycle: no variant file $1" >&2; exit 2; }
       variants+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"); shift ;;
  esac
done
cd "$ROOT"
# shellcheck source=scripts/throwaway-db.sh
source scripts/throwaway-db.sh
throwaway_db dialer_reads
export PGOPTIONS="-c client_min_messages=warning"
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh
bench_add_call_history 'reads history'
[ ${#variants[@]} -gt 0 ] || variants=("")

# The counters of every dialer index and table, as "kind name a b c" lines, and the next
# multixact id (read from the control file, so a checkpoint first).
snapshot() {
  psql -X -At -F ' ' <<'SQL'
CHECKPOINT;
SELECT 'mxid', 'next', next_multixact_id::text::bigint, 0, 0 FROM pg_control_checkpoint();
SELECT 'index', indexrelname, idx_tup_read, idx_tup_fetch, 0 FROM pg_stat_user_indexes WHERE schemaname = 'dialer'
UNION ALL
SELECT 'table', relname, n_tup_upd, n_tup_hot_upd, pg_relation_size(relid) / 8192 FROM pg_stat_user_tables
 WHERE schemaname = 'dialer' AND relname IN ('calls', 'leads', 'campaign_slots', 'campaign_call_stats',
                                             'campaign_call_buckets', 'campaign_lead_stats');
SQL
}

for v in "${variants[@]}"; do
  name=released
  args=()
  if [ -n "$v" ]; then
    name=$(basename "$v" .sql)
    vargs=$(bench_apply_variant "$v")
    read -r -a args <<<"$vargs"
  fi
  campaign=$(bench_new_campaign)
  before=$(snapshot)
  result=$(build/dialer_workers --campaign "$campaign" --workers "$WORKERS" --seconds "$SECS" \
             --warmup 0 --lease '5 minutes' "${args[@]}" 2>/dev/null || true)
  claimed=$(grep -o 'claimed=[0-9]*' <<<"$result" | cut -d= -f2)
  [ "${claimed:-0}" -gt 0 ] || { echo "reads-cycle: the run of $name claimed nothing: $result" >&2; exit 1; }
  # Why wait: a backend reports its counters when it exits, and the workers' are just ending.
  bench_wait_for_backends
  sleep 1
  echo "$name: $WORKERS workers, $SECS s, $claimed claims"
  # Joins the two snapshots by kind and name (before first) and prints the differences.
  awk -v claims="$claimed" '
    FNR == NR { b[$1 " " $2] = $3 " " $4; next }
    { split(b[$1 " " $2], o, " "); d1 = $3 - o[1]; d2 = $4 - o[2]
      if ($1 == "index" && d1 > 0) printf "  index %-40s %8.1f entries, %6.1f live rows per claim\n", $2, d1 / claims, d2 / claims
      if ($1 == "mxid") printf "  multixacts %d, %.2f per claim\n", d1, d1 / claims
      if ($1 == "table" && d1 > 0) printf "  table %-40s %8d updates, %5.1f%% HOT, %6d pages after\n", $2, d1, 100 * d2 / d1, $5 }
  ' <(echo "$before") <(snapshot) | sort -k1,1r -k2,2
  psql -X -q -c "DELETE FROM dialer.tenants WHERE name = 'bench'" >/dev/null
done
