#!/usr/bin/env bash
# One statement that makes many scheduling decisions (a campaign's policy changed, so every
# waiting lead is planned again; campaign_dialability; a LATERAL over leads) keeps its memory
# flat: dialer._lead_schedule_inputs (C, a set-returning function) leaves nothing per call in
# the statement's memory. How: the statement makes 50,000 decisions, then sleeps; while it
# sleeps another session has it log its memory contexts (pg_log_backend_memory_contexts), and
# the test reads the size of its ExecutorState from the server log. 0.7.0 as first written
# left about 1 kB per call there (50 MB here).
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
use_test_db dialer_inputs_memory
LOG="$DIALER_CLUSTER_DIR/server.log"
C=cccccccc-0000-0000-0000-0000000000c1
q "INSERT INTO dialer.tenants (id, name) VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'T');
   INSERT INTO dialer.campaigns (tenant_id, id, name, time_zone)
   VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', '$C', 'memory', 'America/New_York');
   INSERT INTO dialer.contacts (tenant_id, phone)
   SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', '+1212555' || lpad(g::text, 4, '0')
     FROM generate_series(0, 1999) g;
   INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
   SELECT tenant_id, '$C', phone FROM dialer.contacts;
   ANALYZE dialer.leads" >/dev/null
tap_is "$(q "SELECT count(*) FROM dialer.leads WHERE campaign_id = '$C'")" "2000" "2,000 leads, 25 decisions each"

# The decisions, then a sleep in the same statement (the second scalar subquery runs after
# the first has finished), so the memory is looked at after every decision was made.
psql -X -At -c "SELECT (SELECT count(p.*) FROM generate_series(1, 25) g,
                          LATERAL (SELECT * FROM dialer.leads l WHERE l.campaign_id = '$C' OFFSET 0) l,
                          LATERAL dialer._plan_lead(l.tenant_id, l.id, now() + g * interval '1 second') p)
                      + (SELECT 0 FROM pg_sleep(30))" >/dev/null 2>&1 &
worker=$!
pid=""
for _ in $(seq 1 600); do
  pid=$(q "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'
            AND query LIKE '%_plan_lead%' AND pid <> pg_backend_pid()")
  [ -n "$pid" ] && break
  sleep 0.1
done
tap_ok "$([ -n "$pid" ] && echo 0 || echo 1)" "the statement made its 50,000 decisions and sleeps"
lines_before=$(wc -l <"$LOG")
q "SELECT pg_log_backend_memory_contexts($pid)" >/dev/null
used=""
for _ in $(seq 1 50); do
  used=$(tail -n +"$((lines_before + 1))" "$LOG" | grep -E "\[$pid\].* ExecutorState: " |
    sed -E 's/.* ExecutorState: ([0-9]+) total.*/\1/' | head -1)
  [ -n "$used" ] && break
  sleep 0.1
done
q "SELECT pg_cancel_backend($pid)" >/dev/null
wait "$worker" 2>/dev/null
echo "# ExecutorState of the statement after 50,000 decisions: ${used:-?} bytes"
tap_ok "$([ -n "$used" ] && [ "$used" -lt 8000000 ] && echo 0 || echo 1)" \
  "its memory stays under 8 MB (${used:-no figure logged} bytes)"
dropdb --if-exists dialer_inputs_memory >/dev/null 2>&1
tap_done
