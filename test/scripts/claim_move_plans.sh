#!/usr/bin/env bash
# The claim's moves of the leads its legality re-check refused (src/pg/claim_calls.cpp,
# kMove) keep their plan for the connection's life, like every queue statement. Planned
# while dialer.leads held a handful of analysed rows, the move read the leads through an
# index with tenant_id as its only condition (or all of leads_id_idx, for a hash join):
# every claim that moved a lead then read every lead of the tenant, until the next ANALYZE
# of leads replanned it. Now the move updates the rows at the tuple
# ids the claim's locking read returned (a TID scan: no index to choose). Here: a campaign
# whose five leads are due in the queue but outside their calling hours (local midnight),
# its first claim planned on those five analysed leads, then 5,000 more leads of another
# campaign (autovacuum off on leads, so no ANALYZE replans), then 20 claims that each move
# the five again: they read the leads' indexes by tenant or id (leads_pkey, leads_id_idx,
# leads_contact_idx, leads_busy_idx) at most 500 entries per claim, a tenth of the tenant's
# leads. Measured: 104,195 entries in all before (leads_pkey with tenant_id its only
# condition), 2,095 after: the five leads' own versions, two more each round, whose index
# entries stay until a vacuum (autovacuum is off here) and which each lookup of a lead walks.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
# shellcheck disable=SC1091
source test/helpers/reliability.sh
export PGDATABASE=dialer_claim_moves
T=$REL_T C=$REL_C
C2=cccccccc-0000-0000-0000-0000000000c2
rel_make_db "$PGDATABASE"
q "ALTER TABLE dialer.leads SET (autovacuum_enabled = false);
   INSERT INTO dialer.tenants (id, name) VALUES ('$T', 'T');
   INSERT INTO dialer.campaigns (tenant_id, id, name, max_concurrent_calls, uses_ai_voice) VALUES
     ('$T', '$C', 'night', 4, false), ('$T', '$C2', 'filler', 4, false);
   -- Five numbers where it is just past midnight: the US law's hours (08:00-21:00) are closed.
   INSERT INTO dialer.contacts (tenant_id, phone, time_zone)
   SELECT '$T', '+1212555010' || g,
          (SELECT 'Etc/GMT' || CASE WHEN o > 0 THEN '-' || o WHEN o < 0 THEN '+' || -o ELSE '' END
             FROM (SELECT ((36 - extract(hour FROM now() AT TIME ZONE 'UTC')::int) % 24) - 12 AS o) x)
     FROM generate_series(1, 5) g;
   INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
   SELECT '$T', '$C', phone FROM dialer.contacts WHERE tenant_id = '$T';
   SELECT dialer.start_campaign('$C');
   ANALYZE dialer.leads" >/dev/null

# One connection: its first claim plans the move on five analysed leads; then the table grows.
out=$(psql -X -q -At -v ON_ERROR_STOP=1 <<SQL 2>&1
UPDATE dialer.leads SET next_attempt_at = NULL WHERE campaign_id = '$C';
SELECT 'first=' || count(*) FROM dialer.claim_calls('$C', 'w', 1, '5 minutes');
SELECT 'moved=' || count(*) FROM dialer.leads WHERE campaign_id = '$C' AND next_attempt_at > now();
INSERT INTO dialer.contacts (tenant_id, phone)
SELECT '$T', '+1646555' || lpad(g::text, 4, '0') FROM generate_series(0, 4999) g;
INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
SELECT '$T', '$C2', phone FROM dialer.contacts WHERE tenant_id = '$T' AND phone LIKE '+1646%';
\i test/helpers/stats_flush.sql
CREATE TEMP TABLE before_ix AS
  SELECT indexrelname, idx_tup_read FROM pg_stat_user_indexes WHERE schemaname = 'dialer';
DO \$\$
DECLARE
  claimed bigint := 0;
BEGIN
  FOR i IN 1 .. 20 LOOP
    UPDATE dialer.leads SET next_attempt_at = NULL WHERE campaign_id = '$C';
    claimed := claimed + (SELECT count(*) FROM dialer.claim_calls('$C', 'w', 1, '5 minutes'));
  END LOOP;
  RAISE NOTICE 'claimed=%', claimed;
END
\$\$;
SELECT 'moved=' || count(*) FROM dialer.leads WHERE campaign_id = '$C' AND status = 'scheduled' AND next_attempt_at > now();
\i test/helpers/stats_flush.sql
SELECT 'read=' || sum(s.idx_tup_read - b.idx_tup_read) FROM pg_stat_user_indexes s JOIN before_ix b USING (indexrelname)
 WHERE s.schemaname = 'dialer' AND s.indexrelname IN ('leads_pkey', 'leads_id_idx', 'leads_contact_idx', 'leads_busy_idx');
SELECT 'indexes=' || string_agg(s.indexrelname || ':' || (s.idx_tup_read - b.idx_tup_read), ',')
  FROM pg_stat_user_indexes s JOIN before_ix b USING (indexrelname)
 WHERE s.schemaname = 'dialer' AND s.relname = 'leads' AND s.idx_tup_read > b.idx_tup_read;
SQL
)
echo "$out" | grep -v '^1\?$' | sed 's/^/# /'
# field NAME: the value of the output line NAME=value (the last one).
field() { echo "$out" | sed -n "s/^\(NOTICE:  \)\?$1=//p" | tail -n 1; }
tap_is "$(echo "$out" | sed -n 's/^first=//p')" "0" "the first claim, planned on five leads, claimed nothing"
tap_is "$(echo "$out" | sed -n 's/^moved=//p' | head -n 1)" "5" "and moved the five to their next window"
tap_is "$(field claimed)" "0" "20 claims after 5,000 more leads claimed nothing"
tap_is "$(field moved)" "5" "and each moved the five again (all scheduled for their window)"
read=$(field read)
tap_ok "$([ "$read" -le 10000 ] 2>/dev/null && echo 0 || echo 1)" \
  "those 20 claims read the leads' indexes by tenant or id at most 500 entries per claim ($read entries)"
tap_done
