#!/usr/bin/env bash
# The statistics counters are declared once (src/pg/stats_counters.tab); the build runs
# tools/stats_counters.awk, which checks the SQL against the declaration before it
# generates the C++ column lists. This proves the check passes on the sources and fails
# on each kind of mismatch, in copies (TAP output; needs no database).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; failed=0
tab=src/pg/stats_counters.tab; t50=sql_src/50_stats_counters.sql; t51=sql_src/51_stats_rebuild.sql

# Runs the check on the given declaration and SQL files; prints its exit status.
check() { awk -f tools/stats_counters.awk "$@" >/dev/null 2>"$tmp/err"; echo $?; }
# Records one TAP line: $1 description, $2 expected status (0 or 1), $3 actual.
expect() {
  n=$((n+1))
  if [ "$3" = "$2" ]; then echo "ok $n - $1"
  else echo "not ok $n - $1 (exit $3)"; sed 's/^/# /' "$tmp/err"; failed=1; fi
}

expect "the sources agree with the declaration" 0 "$(check $tab $t50 $t51)"

# Two counters of the recount swapped: positional results would land in each other.
sed -e 's/ AS human,$/ AS machine_x,/' -e 's/ AS machine,$/ AS human,/' -e 's/ AS machine_x,$/ AS machine,/' $t51 > "$tmp/51.sql"
expect "recount with two counters swapped fails" 1 "$(check $tab $t50 "$tmp/51.sql")"

# A counter left out of a shard sum.
grep -v 'AS by_first_contact$' $t51 > "$tmp/51b.sql"
expect "shard sum without a counter fails" 1 "$(check $tab $t50 "$tmp/51b.sql")"

# A counter column dropped from a counter table.
grep -v '^  abandoned    bigint' $t50 > "$tmp/50.sql"
expect "counter table without a declared column fails" 1 "$(check $tab "$tmp/50.sql" $t51)"

# A counter column of another type.
sed 's/^  talk_seconds bigint NOT NULL/  talk_seconds integer NOT NULL/' $t50 > "$tmp/50b.sql"
expect "counter column of another type fails" 1 "$(check $tab "$tmp/50b.sql" $t51)"

# A counter declared that the SQL lacks.
sed 's/^campaign_call_stats      calls          cost_calls .*/&\ncampaign_call_stats      calls          extra_calls                i     bigint/' $tab > "$tmp/tab"
expect "declared counter missing from the SQL fails" 1 "$(check "$tmp/tab" $t50 $t51)"

# A key column declared with a writer, or a counter of the wrong kind for its type.
sed 's/^campaign_lead_stats      leads          leads                      i     bigint/campaign_lead_stats      leads          leads                      v     bigint/' $tab > "$tmp/tab2"
expect "counter kind that does not fit its type fails" 1 "$(check "$tmp/tab2" $t50 $t51)"

echo "1..$n"
exit $failed
