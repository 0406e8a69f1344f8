#!/usr/bin/env bash
# The claim's and the completion's test for a number's other waiting leads
# (src/pg/replan_number.cpp, kProbe) keeps its plan for the connection's life. Planned
# while dialer.leads was empty and analysed (a new project whose first completion, in this
# connection, is of a call without a lead), the probe as it was up to 0.14.0 scanned
# leads_waiting_idx with tenant_id as its only condition: every waiting lead of the tenant,
# on every claim and completion, until an ANALYZE of leads replanned it. Here: that first
# completion on an empty leads table, then 5,000 waiting leads of the tenant (autovacuum off
# on leads, so no ANALYZE replans), then 20 completions more in the same connection: they
# read the leads' indexes at most 20 entries each (the number's own leads).
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
# shellcheck disable=SC1091
source test/helpers/reliability.sh
export PGDATABASE=dialer_replan_probe
T=$REL_T C=$REL_C
rel_make_db "$PGDATABASE"
q "ALTER TABLE dialer.leads SET (autovacuum_enabled = false);
   INSERT INTO dialer.tenants (id, name) VALUES ('$T', 'T');
   INSERT INTO dialer.campaigns (tenant_id, id, name, max_concurrent_calls, uses_ai_voice) VALUES
     ('$T', '$C', 'filler', 4, false);
   ANALYZE dialer.leads; ANALYZE dialer.calls" >/dev/null
tap_is "$(q "SELECT count(*) FROM dialer.leads")" "0" "a database whose dialer.leads is empty and analysed"

out=$(psql -X -q -At -v ON_ERROR_STOP=1 <<SQL 2>&1
-- A call without a lead, in flight, completed: the first completion of this connection plans
-- every statement of the completion, the probe included, on the empty leads table.
CREATE FUNCTION pg_temp.inbound_call() RETURNS uuid LANGUAGE sql AS \$\$
  INSERT INTO dialer.calls (tenant_id, direction, phone, status, claimed_at)
  VALUES ('$T', 'inbound', '+12125550199', 'in_progress', now()) RETURNING id
\$\$;
SELECT 'first=' || (dialer.complete_call(pg_temp.inbound_call(), 'no_answer', 'dialer') ->> 'call_status');
-- Then the leads arrive: 5,000 waiting leads of the tenant (not of the calls' number).
INSERT INTO dialer.contacts (tenant_id, phone)
SELECT '$T', '+1646555' || lpad(g::text, 4, '0') FROM generate_series(0, 4999) g;
INSERT INTO dialer.leads (tenant_id, campaign_id, phone, status)
SELECT '$T', '$C', '+1646555' || lpad(g::text, 4, '0'), 'pending' FROM generate_series(0, 4999) g;
\i test/helpers/stats_flush.sql
CREATE TEMP TABLE before_ix AS
  SELECT indexrelname, idx_tup_read FROM pg_stat_user_indexes WHERE schemaname = 'dialer';
SELECT 'completed=' || count(*) FROM generate_series(1, 20) g,
       LATERAL dialer.complete_call(pg_temp.inbound_call(), 'no_answer', 'dialer') r
 WHERE r ->> 'call_status' IS NOT NULL;
\i test/helpers/stats_flush.sql
SELECT 'read=' || sum(s.idx_tup_read - b.idx_tup_read) FROM pg_stat_user_indexes s JOIN before_ix b USING (indexrelname)
 WHERE s.schemaname = 'dialer' AND s.indexrelname LIKE 'leads%';
SQL
)
echo "$out" | grep -v '^1\?$' | sed 's/^/# /'
# field NAME: the value of the output line NAME=value.
field() { echo "$out" | sed -n "s/^$1=//p" | tail -n 1; }
tap_ok "$([ -n "$(field first)" ] && [ "$(field completed)" = 20 ] && echo 0 || echo 1)" \
  "a completion without a lead planned on the empty table, then 20 more after 5,000 leads ($(field first), $(field completed))"
read=$(field read)
tap_ok "$([ "$read" -le 400 ] 2>/dev/null && echo 0 || echo 1)" \
  "the 20 completions read the leads' indexes at most 20 entries each ($read entries)"
dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
tap_done
