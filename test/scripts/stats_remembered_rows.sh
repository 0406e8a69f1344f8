#!/usr/bin/env bash
# The statistics triggers remember, per connection, the tuple id of the counter-row
# version they wrote last (src/pg/stats_row_cache.cpp) and try it before the primary key.
# Pinned here, across transactions of one connection (pruning needs committed
# transactions, which pgTAP's single transaction does not have): the remembered version
# is made dead behind the triggers' back, pruning frees its slot, and a version of another
# campaign's counter row takes that very slot. The connection's next write for the first
# campaign must see that the slot holds another key, find its own row through the primary
# key, and leave the other campaign's counters alone.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
use_test_db dialer_remembered_rows
T=aaaaaaaa-0000-0000-0000-0000000000a1
C1=cccccccc-0000-0000-0000-0000000000c1
C2=cccccccc-0000-0000-0000-0000000000c2

psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
INSERT INTO dialer.tenants (id, name) VALUES ('$T', 'T');
INSERT INTO dialer.campaigns (tenant_id, id, name, uses_ai_voice) VALUES
  ('$T', '$C1', 'C1', false), ('$T', '$C2', 'C2', false);
INSERT INTO dialer.contacts (tenant_id, phone) VALUES ('$T', '+12125550101'), ('$T', '+12125550102');
INSERT INTO dialer.leads (tenant_id, campaign_id, phone) VALUES
  ('$T', '$C1', '+12125550101'), ('$T', '$C2', '+12125550102');
-- Zero counter rows of C2 (shards 20..27) on the same page as C1's.
INSERT INTO dialer.campaign_lead_stats (tenant_id, campaign_id, shard)
SELECT '$T', '$C2', s FROM generate_series(20, 27) s;
SQL

# Why no VACUUM to free the slot: VACUUM updates pg_class, and the relcache invalidation
# that sends makes every connection forget what it remembered (which is safe, and would
# leave the check below untested). Pruning, which a read of a nearly full page does on
# its own, frees the slots of dead versions without it.
q "ALTER TABLE dialer.campaign_lead_stats SET (autovacuum_enabled = false)" >/dev/null

# One connection (a coprocess), each statement its own transaction.
coproc SESSION { psql -X -q -At -v ON_ERROR_STOP=1 2>&1; }
# Why a copy: bash unsets SESSION_PID as soon as the coprocess exits.
# shellcheck disable=SC2153  # SESSION_PID is set by coproc
session_pid=$SESSION_PID
# ask SQL: runs SQL in the session; its output goes to $answer. Why not $(ask ...): a
# command substitution's subshell does not get the coprocess's file descriptors.
ask() {
  local line
  answer=""
  printf '%s;\n\\echo __done__\n' "$1" >&"${SESSION[1]}"  # ';': a statement ends before the echo
  while IFS= read -r line <&"${SESSION[0]}"; do
    [ "$line" = __done__ ] && return 0
    answer+="$line"
  done
}
# Thirty writes of C1's lead counters: the first may create this connection's shard row
# (an upsert), the others add to it in place, and their versions fill the page until
# pruning keeps it about half full. The last one's version is the one remembered.
for i in $(seq 1 30); do
  ask "UPDATE dialer.leads SET status = '$([ $((i % 2)) = 0 ] && echo pending || echo failed)' WHERE campaign_id = '$C1'"
done
ask "BEGIN;
UPDATE dialer.leads SET status = 'scheduled' WHERE campaign_id = '$C1';
SELECT ctid FROM dialer.campaign_lead_stats WHERE campaign_id = '$C1' AND xmin::text = pg_current_xact_id()::text;
COMMIT;"
remembered=$answer
# A newer version of that row, written behind the triggers' back: the remembered one is dead.
ask "UPDATE dialer.campaign_lead_stats SET leads = leads WHERE campaign_id = '$C1'"
# Versions of C2's rows, also behind their back, until one of them takes the freed slot.
taken=f
for i in $(seq 0 299); do
  ask "UPDATE dialer.campaign_lead_stats SET leads = leads WHERE campaign_id = '$C2' AND shard = $((20 + i % 8));
SELECT EXISTS (SELECT 1 FROM dialer.campaign_lead_stats WHERE ctid = '$remembered' AND campaign_id = '$C2');"
  taken=$answer
  [ "$taken" = t ] && break
done
tap_is "$taken" "t" "another campaign's counter row sits at the remembered tuple id ($remembered)"
# Why the difference of two readings in one transaction: a connection's counts of earlier
# transactions stay in pg_stat_get_xact_numscans() until it reports them (once a second).
ask "BEGIN;
SELECT pg_stat_get_xact_numscans('dialer.campaign_lead_stats_pkey'::regclass) AS before \\gset
UPDATE dialer.leads SET status = 'failed' WHERE campaign_id = '$C1';
SELECT pg_stat_get_xact_numscans('dialer.campaign_lead_stats_pkey'::regclass) - :before;
COMMIT;"
tap_is "$answer" "1" "the next write refused it and found its row through the primary key"
printf '\\q\n' >&"${SESSION[1]}"
wait "$session_pid" 2>/dev/null  # it may be gone already
tap_is "$(q "SELECT count(*) FROM dialer.verify_campaign_stats('$C1')")" "0" "C1's counters equal a recount"
tap_is "$(q "SELECT count(*) FROM dialer.verify_campaign_stats('$C2')")" "0" "C2's counters equal a recount (nothing added to its rows)"
tap_is "$(q "SELECT dialer.campaign_stats('$C1') #>> '{leads,by_status,failed}'")" "1" "C1 counts its lead as failed"
tap_done
