#!/usr/bin/env bash
# pg_dialer keeps no session state, so it works through a transaction-mode pooler
# (PgBouncer, Supavisor): 12 worker connections share 3 server connections through a
# real PgBouncer in pool_mode = transaction; claims, completions and an import run
# through it without an error and with every queue invariant intact.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
use_test_db dialer_pgb
DIRECT_HOST=$PGHOST DIRECT_PORT=$PGPORT
C=cccccccc-0000-0000-0000-0000000000c1
# The imports go to a second campaign (a draft nobody works). Why: the workers may call every
# lead of the first within their 4 seconds, and a finished campaign takes no new leads.
C2=cccccccc-0000-0000-0000-0000000000c2
q "INSERT INTO dialer.tenants (id, name, default_region) VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'T', 'US');
   INSERT INTO dialer.campaigns (tenant_id, id, name, max_concurrent_calls, uses_ai_voice, retry_policy)
   VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', '$C', 'pooled', 6, false,
           '{\"max_attempts\": 2, \"classes\": {\"no_answer\": {\"delays\": [0]}}}');
   INSERT INTO dialer.campaigns (tenant_id, id, name) VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', '$C2', 'imports');
   INSERT INTO dialer.contacts (tenant_id, phone)
   SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', '+1212555' || lpad(g::text, 4, '0') FROM generate_series(0, 1999) g;
   INSERT INTO dialer.leads (tenant_id, campaign_id, phone) SELECT tenant_id, '$C', phone FROM dialer.contacts;
   $(cat test/helpers/contacts_midday.sql)
   SELECT dialer.start_campaign('$C');" >/dev/null

# PgBouncer in its own directory of the throwaway cluster, unix socket only.
PGB_DIR="$DIALER_CLUSTER_DIR/pgbouncer"
PGB_PORT=$((DIRECT_PORT + 1))
mkdir -p "$PGB_DIR"
cat >"$PGB_DIR/pgbouncer.ini" <<INI
[databases]
dialer_pgb = host=$DIRECT_HOST port=$DIRECT_PORT dbname=dialer_pgb user=postgres
[pgbouncer]
listen_addr =
listen_port = $PGB_PORT
unix_socket_dir = $PGB_DIR
pool_mode = transaction
auth_type = any
default_pool_size = 3
max_client_conn = 100
logfile = $PGB_DIR/pgbouncer.log
pidfile = $PGB_DIR/pgbouncer.pid
INI
[ "$(id -u)" -eq 0 ] && chown -R postgres "$PGB_DIR"
run_as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
run_as_owner pgbouncer -d "$PGB_DIR/pgbouncer.ini"
trap 'kill "$(cat "$PGB_DIR/pgbouncer.pid" 2>/dev/null)" 2>/dev/null' EXIT
for _ in $(seq 1 50); do [ -S "$PGB_DIR/.s.PGSQL.$PGB_PORT" ] && break; sleep 0.1; done
tap_ok "$([ -S "$PGB_DIR/.s.PGSQL.$PGB_PORT" ] && echo 0 || echo 1)" "PgBouncer is up in transaction mode"

out=$(PGHOST=$PGB_DIR PGPORT=$PGB_PORT build/dialer_workers --campaign "$C" --workers 12 --seconds 4 --lease '5 minutes' --no-prepare)
rc=$?
echo "# $out"
tap_ok $rc "12 workers claim and complete through 3 pooled server connections without an error"
report=$(PGHOST=$PGB_DIR PGPORT=$PGB_PORT q "SELECT dialer.import_leads('$C2', '[{\"phone\": \"(646) 555-0100\"}, {\"phone\": \"646.555.0100\"}, {\"phone\": \"x\"}]') ->> 'inserted'")
tap_is "$report" "1" "an import (temporary staging table, dropped at commit) runs through the pooler"
report=$(PGHOST=$PGB_DIR PGPORT=$PGB_PORT q "SELECT dialer.import_leads('$C2', '[{\"phone\": \"(646) 555-0101\"}]') ->> 'inserted'")
tap_is "$report" "1" "and again on a reused server connection"
tap_ok "$([ "$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = 'dialer_pgb' AND backend_type = 'client backend' AND pid <> pg_backend_pid()")" -le 3 ] && echo 0 || echo 1)" \
  "the pooler used at most 3 server connections"
tap_is "$(q "SELECT count(*) FROM dialer.calls a JOIN dialer.calls b ON b.tenant_id = a.tenant_id AND b.lead_id = a.lead_id AND b.id <> a.id
              AND a.created_at < b.updated_at AND b.created_at < a.updated_at")" "0" "no lead was claimed twice at once"
tap_is "$(q "SELECT count(*) FROM dialer.leads l WHERE attempts <> (SELECT count(*) FROM dialer.calls k WHERE k.lead_id = l.id AND k.status <> 'cancelled')")" "0" \
  "attempts equal call rows"
kill "$(cat "$PGB_DIR/pgbouncer.pid")" 2>/dev/null
sleep 0.2
dropdb --if-exists dialer_pgb >/dev/null 2>&1
tap_done
