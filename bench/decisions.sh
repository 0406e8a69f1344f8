#!/usr/bin/env bash
# What one scheduling decision costs in one connection, on the queue benchmark's campaign
# (bench_new_campaign: 50,000 leads): the decision's inputs read by dialer._lead_schedule_inputs
# (C since 0.7.0) against 0.6.0's SQL query (its pinned definition, loaded under another name),
# a whole decision (dialer._plan_lead, C since 0.8.0, called as the queue calls it: a PL/pgSQL
# assignment) against 0.7.0's SQL function (pinned, loaded under another name), all for LEADS
# leads in one transaction; the inputs and
# the decision again with a transaction per lead (a procedure committing after each); a plain
# read of each lead as the floor of any of them; and dialer.campaign_dialability over every
# lead. Wall time in the backend (clock_timestamp), best of ROUNDS interleaved rounds, in µs
# per lead. A diagnostic of the decisions' price, not a figure with a goal.
# Needs PGHOST/PGPORT/PGDATABASE (make bench exports them) and pg_dialer installed.
set -euo pipefail
LEADS=${LEADS:-20000}
ROUNDS=${ROUNDS:-3}
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh
campaign=$(bench_new_campaign)

# 0.6.0's query under the name bench_decisions.inputs_060 (the file names the function three
# times: CREATE, COMMENT, REVOKE).
psql -X -q -v ON_ERROR_STOP=1 -c "DROP SCHEMA IF EXISTS bench_decisions CASCADE; CREATE SCHEMA bench_decisions"
sed 's/dialer\._lead_schedule_inputs(/bench_decisions.inputs_060(/' \
  sql_upgrade/objects/dialer._lead_schedule_inputs/0.6.0.sql | psql -X -q -v ON_ERROR_STOP=1
# 0.7.0's decision (the SQL function 0.6.0 shipped, unchanged in 0.7.0, over the C inputs) as
# bench_decisions.plan_070, with its _never_status as bench_decisions.never_status_070.
cat sql_upgrade/objects/dialer._never_status/0.7.0.sql sql_upgrade/objects/dialer._plan_lead/0.6.0.sql |
  sed 's/dialer\._never_status(/bench_decisions.never_status_070(/; s/dialer\._plan_lead(/bench_decisions.plan_070(/' |
  psql -X -q -v ON_ERROR_STOP=1

psql -X -q -v ON_ERROR_STOP=1 -v campaign="$campaign" -v leads="$LEADS" <<'SQL'
CREATE TABLE bench_decisions.leads AS
SELECT tenant_id, id FROM dialer.leads WHERE campaign_id = :'campaign' ORDER BY id LIMIT :leads;
-- µs per lead of one variant over every lead, in one transaction.
CREATE FUNCTION bench_decisions.one_transaction(p_variant text) RETURNS numeric
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
  r record;
  x record;
  t0 timestamptz := clock_timestamp();
  n integer := 0;
BEGIN
  FOR r IN SELECT * FROM bench_decisions.leads LOOP
    CASE p_variant
      WHEN 'read' THEN SELECT l.id INTO x FROM dialer.leads l WHERE l.tenant_id = r.tenant_id AND l.id = r.id;
      WHEN 'inputs_sql' THEN SELECT * INTO x FROM bench_decisions.inputs_060(r.tenant_id, r.id, now());
      WHEN 'inputs' THEN SELECT * INTO x FROM dialer._lead_schedule_inputs(r.tenant_id, r.id, now());
      WHEN 'decision_sql' THEN SELECT * INTO x FROM bench_decisions.plan_070(r.tenant_id, r.id, now());
      WHEN 'decision' THEN x := dialer._plan_lead(r.tenant_id, r.id, now());
    END CASE;
    n := n + 1;
  END LOOP;
  RETURN round(extract(epoch FROM clock_timestamp() - t0) * 1e6 / n, 1);
END $$;
-- The same with a COMMIT after each lead (a transaction per decision, as the queue makes
-- them); the µs per lead in bench_decisions.result.
CREATE TABLE bench_decisions.result (variant text, us numeric);
-- µs per lead of dialer.campaign_dialability over every waiting lead of the campaign.
CREATE FUNCTION bench_decisions.dialability(p_campaign uuid) RETURNS numeric
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
  t0 timestamptz := clock_timestamp();
  n bigint := (dialer.campaign_dialability(p_campaign, now(), 1000000) ->> 'scanned')::bigint;
BEGIN
  RETURN round(extract(epoch FROM clock_timestamp() - t0) * 1e6 / n, 1);
END $$;
-- (No SET clause: a procedure with one cannot COMMIT; every name is qualified.)
CREATE PROCEDURE bench_decisions.per_transaction(p_variant text)
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  tenants uuid[];
  x record;
  t0 timestamptz := clock_timestamp();
BEGIN
  SELECT array_agg(l.id), array_agg(l.tenant_id) INTO ids, tenants FROM bench_decisions.leads l;
  FOR i IN 1 .. cardinality(ids) LOOP
    CASE p_variant
      WHEN 'read' THEN SELECT l.id INTO x FROM dialer.leads l WHERE l.tenant_id = tenants[i] AND l.id = ids[i];
      WHEN 'inputs' THEN SELECT * INTO x FROM dialer._lead_schedule_inputs(tenants[i], ids[i], now());
      WHEN 'decision_sql' THEN SELECT * INTO x FROM bench_decisions.plan_070(tenants[i], ids[i], now());
      WHEN 'decision' THEN x := dialer._plan_lead(tenants[i], ids[i], now());
    END CASE;
    COMMIT;
  END LOOP;
  INSERT INTO bench_decisions.result
  VALUES (p_variant, round(extract(epoch FROM clock_timestamp() - t0) * 1e6 / cardinality(ids), 1));
END $$;
SQL

declare -A best
keep_best() { if [ -z "${best[$1]:-}" ] || awk -v a="$2" -v b="${best[$1]}" 'BEGIN { exit !(a < b) }'; then best[$1]=$2; fi; }
for round in $(seq 1 "$ROUNDS"); do
  for v in read inputs_sql inputs decision_sql decision; do
    keep_best "$v" "$(psql -X -At -c "SELECT bench_decisions.one_transaction('$v')")"
  done
  for v in read inputs decision_sql decision; do
    psql -X -q -c "CALL bench_decisions.per_transaction('$v')"
    keep_best "tx_$v" "$(psql -X -At -c "SELECT us FROM bench_decisions.result WHERE variant = '$v' ORDER BY ctid DESC LIMIT 1")"
  done
  keep_best dialability "$(psql -X -At -c "SELECT bench_decisions.dialability('$campaign')")"
  echo "  round $round done"
done

echo "decisions: $LEADS leads of a 50,000-lead campaign, best of $ROUNDS rounds, µs per lead (wall time in the backend)"
printf '  %-64s %8s\n' "read the lead row (the floor)" "${best[read]}" \
  "inputs, 0.6.0's SQL query" "${best[inputs_sql]}" \
  "inputs, dialer._lead_schedule_inputs" "${best[inputs]}" \
  "a whole decision, 0.7.0's SQL function" "${best[decision_sql]}" \
  "a whole decision, dialer._plan_lead" "${best[decision]}" \
  "read the lead row, a transaction per lead" "${best[tx_read]}" \
  "inputs, a transaction per lead" "${best[tx_inputs]}" \
  "a whole decision, 0.7.0's SQL function, a transaction per lead" "${best[tx_decision_sql]}" \
  "a whole decision, a transaction per lead" "${best[tx_decision]}" \
  "campaign_dialability over every waiting lead, per lead" "${best[dialability]}"
awk -v s="${best[inputs_sql]}" -v c="${best[inputs]}" -v r="${best[read]}" \
  'BEGIN { printf "  inputs: SQL query / C %.2fx (above the read: %.2fx)\n", s / c, (s - r) / (c - r) }'
awk -v s="${best[decision_sql]}" -v c="${best[decision]}" -v ts="${best[tx_decision_sql]}" -v tc="${best[tx_decision]}" \
  'BEGIN { printf "  a whole decision: 0.7.0 SQL / C %.2fx (a transaction per lead: %.2fx)\n", s / c, ts / tc }'
psql -X -q -c "DROP SCHEMA bench_decisions CASCADE"
