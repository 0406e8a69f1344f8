#!/usr/bin/env bash
# Statistics exactness under concurrent random activity: 8 pgbench clients run small
# transactions of random work on one tenant's two campaigns (claims, completions that
# move a lead twice, expiries, releases, direct edits, deletes, moves, bulk updates),
# one in five rolled back, first in READ COMMITTED and then in REPEATABLE READ (where
# conflicting writers fail with 40001/40P01 and pgbench retries them). Afterwards
# every kept counter equals a full recount. Prints TAP. Needs PGHOST/PGPORT/PGDATABASE.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/stats_concurrency.XXXXXX)
trap 'rm -rf "$WORK"; psql -X -q -c "DELETE FROM dialer.tenants WHERE id = '\''5e5e5e5e-0000-0000-0000-00000000005e'\''; DROP SCHEMA IF EXISTS stats_concurrency CASCADE" >/dev/null 2>&1 || true' EXIT
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "1..4"
psql_q >/dev/null <<'SQL'
SET client_min_messages = warning;
DELETE FROM dialer.tenants WHERE id = '5e5e5e5e-0000-0000-0000-00000000005e';
DROP SCHEMA IF EXISTS stats_concurrency CASCADE;
CREATE SCHEMA stats_concurrency;
INSERT INTO dialer.tenants (id, name, default_time_zone) VALUES ('5e5e5e5e-0000-0000-0000-00000000005e', 'stats concurrency', 'UTC');
INSERT INTO dialer.campaigns (tenant_id, id, name, time_zone, uses_ai_voice) VALUES
  ('5e5e5e5e-0000-0000-0000-00000000005e', '5c5c5c5c-0000-0000-0000-0000000000c1', 'K1', 'America/Denver', false),
  ('5e5e5e5e-0000-0000-0000-00000000005e', '5c5c5c5c-0000-0000-0000-0000000000c2', 'K2', 'Asia/Kolkata', false);
INSERT INTO dialer.contacts (tenant_id, phone, time_zone)
SELECT '5e5e5e5e-0000-0000-0000-00000000005e', '+1303555' || lpad(g::text, 4, '0'),
       CASE WHEN g % 4 = 0 THEN 'Australia/Lord_Howe' END
  FROM generate_series(1, 400) g;
INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
SELECT tenant_id, CASE WHEN right(phone, 1) < '5' THEN '5c5c5c5c-0000-0000-0000-0000000000c1'::uuid
                       ELSE '5c5c5c5c-0000-0000-0000-0000000000c2'::uuid END, phone
  FROM dialer.contacts WHERE tenant_id = '5e5e5e5e-0000-0000-0000-00000000005e';

-- One random unit of work on the test tenant; rows are picked with SKIP LOCKED, as
-- workers do, so concurrent units rarely wait on the same row.
CREATE FUNCTION stats_concurrency.step() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_tenant constant uuid := '5e5e5e5e-0000-0000-0000-00000000005e';
  v_classes constant text[] := ARRAY(SELECT outcome_class FROM dialer.outcome_classes ORDER BY 1);
  v_now timestamptz := timestamptz '2026-05-04T12:00:00Z' + random() * interval '5 days';
  v_lead dialer.leads;
  v_call dialer.calls;
  v_class text;
  v_op integer := floor(random() * 10)::int;
BEGIN
  IF v_op <= 2 THEN
    SELECT * INTO v_lead FROM dialer.leads l
     WHERE l.tenant_id = v_tenant AND l.status IN ('pending', 'scheduled')
     ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF v_lead.id IS NULL THEN RETURN; END IF;
    UPDATE dialer.leads SET status = 'in_progress', attempts = attempts + 1 WHERE tenant_id = v_tenant AND id = v_lead.id;
    INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, attempt_number, claimed_at)
    VALUES (v_tenant, v_lead.campaign_id, v_lead.id, v_lead.phone, 'claimed', v_lead.attempts + 1, v_now);
  ELSIF v_op <= 5 THEN
    SELECT * INTO v_call FROM dialer.calls k
     WHERE k.tenant_id = v_tenant AND k.status = 'claimed' ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF v_call.id IS NULL THEN RETURN; END IF;
    v_class := v_classes[1 + floor(random() * cardinality(v_classes))::int];
    UPDATE dialer.calls
       SET status = CASE WHEN v_op = 5 THEN 'expired' WHEN v_class IN ('failed', 'transport_error') THEN 'failed'
                         ELSE 'completed' END::dialer.call_status,
           outcome_class = CASE WHEN v_op = 5 THEN 'unknown' ELSE v_class END,
           duration_seconds = floor(random() ^ 2 * 900)::int, cost = round((random() / 2)::numeric, 4)
     WHERE tenant_id = v_tenant AND id = v_call.id;
    UPDATE dialer.leads SET status = 'scheduled', last_outcome_class = v_class WHERE tenant_id = v_tenant AND id = v_call.lead_id;
    UPDATE dialer.leads SET status = CASE WHEN v_op = 5 THEN 'held' WHEN random() < 0.3 THEN 'completed' ELSE 'scheduled' END::dialer.lead_status,
                            next_attempt_at = v_now + random() * interval '2 days'
     WHERE tenant_id = v_tenant AND id = v_call.lead_id;
  ELSIF v_op = 6 THEN
    UPDATE dialer.calls k
       SET outcome_class = v_classes[1 + floor(random() * cardinality(v_classes))::int],
           duration_seconds = floor(random() * 400)::int, attempt_number = k.attempt_number + 1,
           campaign_id = CASE WHEN random() < 0.3 THEN '5c5c5c5c-0000-0000-0000-0000000000c2'::uuid ELSE k.campaign_id END
     WHERE k.tenant_id = v_tenant AND k.id = (SELECT id FROM dialer.calls WHERE tenant_id = v_tenant
                                                 AND status NOT IN ('claimed', 'dialing', 'ringing', 'in_progress')
                                               ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED);
  ELSIF v_op = 7 THEN
    DELETE FROM dialer.calls WHERE tenant_id = v_tenant
       AND id = (SELECT id FROM dialer.calls WHERE tenant_id = v_tenant ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED);
  ELSIF v_op = 8 THEN
    UPDATE dialer.leads SET status = 'pending', attempts = 0 WHERE tenant_id = v_tenant
       AND id = (SELECT id FROM dialer.leads WHERE tenant_id = v_tenant AND status NOT IN ('in_progress')
                  ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED);
  ELSE
    UPDATE dialer.calls SET cost = coalesce(cost, 0) + 0.001
     WHERE tenant_id = v_tenant AND id IN (SELECT id FROM dialer.calls WHERE tenant_id = v_tenant
                                             AND random() < 0.05 FOR UPDATE SKIP LOCKED);
  END IF;
EXCEPTION WHEN unique_violation THEN
  -- A second call in flight for one lead is refused by the queue's unique index.
  RETURN;
END
$$;
GRANT USAGE ON SCHEMA stats_concurrency TO PUBLIC;
SQL

cat >"$WORK/work.sql" <<'EOF_SCRIPT'
\set r random(1, 100)
BEGIN;
SELECT stats_concurrency.step();
SELECT stats_concurrency.step();
SELECT stats_concurrency.step();
\if :r <= 20
ROLLBACK;
\else
COMMIT;
\endif
EOF_SCRIPT

# Runs pgbench with the given isolation level; prints its summary to $WORK/<name>.log.
run_phase() {
  local name=$1 isolation=$2
  PGOPTIONS="-c default_transaction_isolation=${isolation// /\\ } -c client_min_messages=warning" \
    pgbench -n -c 8 -j 2 -t 100 --max-tries=20 -f "$WORK/work.sql" >"$WORK/$name.log" 2>&1
}

# Prints the counters that differ from a recount, for both campaigns.
differences() {
  psql -X -q -A -t -c "SELECT string_agg(v.counter || ': kept ' || coalesce(v.kept, 'none') || ', recounted ' || coalesce(v.recounted, 'none'), '; ')
                         FROM dialer.campaigns c, dialer.verify_campaign_stats(c.id) v
                        WHERE c.tenant_id = '5e5e5e5e-0000-0000-0000-00000000005e'"
}

n=1
for phase in "read_committed:read committed" "repeatable_read:repeatable read"; do
  name=${phase%%:*}
  if run_phase "$name" "${phase#*:}"; then
    done_tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$WORK/$name.log")
    retried=$(sed -n 's/^number of transactions retried: \([0-9]*\).*/\1/p' "$WORK/$name.log")
    echo "ok $n - $name: 8 clients ran ${done_tx:-?} transactions of random work (${retried:-0} retried after 40001/40P01)"
  else
    echo "not ok $n - $name: pgbench failed"; sed 's/^/# /' "$WORK/$name.log" | tail -20
  fi
  n=$((n + 1))
  diff=$(differences)
  if [ -z "$diff" ]; then
    echo "ok $n - $name: every kept counter equals a full recount"
  else
    echo "not ok $n - $name: counters differ from a recount"; echo "# $diff" | cut -c1-2000
  fi
  n=$((n + 1))
done
