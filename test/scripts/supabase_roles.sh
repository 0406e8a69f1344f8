#!/usr/bin/env bash
# Supabase's real roles: on Supabase the migration runner `postgres` is not a superuser
# (supabase_admin is), and pg_dialer can only be created through supautils'
# privileged_extensions. On a second throwaway cluster whose bootstrap superuser is
# supabase_admin, with Supabase's role model (test/helpers/supabase_platform.sql), this
# proves: the old way (CREATE EXTENSION as postgres) is refused; with the emulated
# supautils path (test/helpers/supautils_emulation.sh: CREATE EXTENSION as
# supabase_admin + supabase/extension-scripts/pg_dialer/after-create.sql) every
# migration applies as postgres, twice; objects are owned as supautils leaves them;
# the API roles' grants equal a superuser install's (the main cluster's dialer_tap);
# a PostgREST-style RPC as authenticated works; and the RPC/RLS pgTAP suites pass,
# run by pg_prove as postgres the way `supabase test db` runs them.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
# shellcheck disable=SC1091
source test/helpers/supautils_emulation.sh
REFERENCE_DB=${PGDATABASE:-dialer_tap}
SB_DIR=$DIALER_CLUSTER_DIR/supabase
LOGS=$ROOT/build/test-logs/supabase_roles
mkdir -p "$LOGS"

# Runs a command as the cluster's OS user (postgres when we are root: initdb refuses root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Stops the Supabase-like cluster and removes its directory.
stop_supabase_cluster() {
  [ -d "$SB_DIR/data" ] && as_owner "$PG_BIN/pg_ctl" -D "$SB_DIR/data" -m immediate -w stop >/dev/null 2>&1
  cp "$SB_DIR/server.log" "$LOGS/server.log" 2>/dev/null
  rm -rf "$SB_DIR"
}

# Starts a cluster from the same private tree (this build installed) whose bootstrap
# superuser is supabase_admin, on its own socket directory; exports its PG* settings.
start_supabase_cluster() {
  rm -rf "$SB_DIR"
  as_owner mkdir -p "$SB_DIR/sock"
  as_owner "$PG_BIN/initdb" -D "$SB_DIR/data" -U supabase_admin -A trust -E UTF8 --locale=C.UTF-8 \
    >"$LOGS/initdb.log" 2>&1 || return 1
  cat <<CONF | as_owner tee -a "$SB_DIR/data/postgresql.conf" >/dev/null
listen_addresses = ''
unix_socket_directories = '$SB_DIR/sock'
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = logical
log_min_messages = warning
CONF
  as_owner "$PG_BIN/pg_ctl" -D "$SB_DIR/data" -l "$SB_DIR/server.log" -w -t 60 start >/dev/null || return 1
  export PGHOST=$SB_DIR/sock PGUSER=supabase_admin
}

# sq <sql>: one value from the project database, as supabase_admin.
sq() { psql -X -q -At -v ON_ERROR_STOP=1 -d project -c "$1"; }
# pq <sql>: one value from the project database, logged in as postgres.
pq() { psql -X -q -At -v ON_ERROR_STOP=1 -U postgres -d project -c "$1"; }

# The privileges the API roles (and PUBLIC) hold on dialer's schema, tables, columns
# and functions and on public.get_campaign_stats, one line per ACL entry (duplicates
# under a second grantor show as extra lines); grantors shown as owner / not owner.
API_GRANTS_SQL="
WITH acl AS (
  SELECT 'schema ' || n.nspname AS obj, n.nspowner AS owner, (aclexplode(n.nspacl)).*
    FROM pg_namespace n WHERE n.nspname = 'dialer'
  UNION ALL
  SELECT 'relation ' || c.oid::regclass, c.relowner, (aclexplode(c.relacl)).*
    FROM pg_class c WHERE c.relnamespace = 'dialer'::regnamespace
  UNION ALL
  SELECT 'column ' || c.oid::regclass || '.' || a.attname, c.relowner, (aclexplode(a.attacl)).*
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
   WHERE c.relnamespace = 'dialer'::regnamespace AND a.attacl IS NOT NULL
  UNION ALL
  SELECT 'function ' || p.oid::regprocedure, p.proowner, (aclexplode(coalesce(p.proacl, acldefault('f', p.proowner)))).*
    FROM pg_proc p WHERE p.pronamespace = 'dialer'::regnamespace OR p.oid = 'public.get_campaign_stats(uuid)'::regprocedure)
SELECT format('%s %s %s grantable=%s grantor=%s', obj,
              CASE grantee WHEN 0 THEN 'PUBLIC' ELSE grantee::regrole::text END, privilege_type,
              is_grantable, CASE WHEN grantor = owner THEN 'owner' ELSE grantor::regrole::text END)
  FROM acl
 WHERE grantee = 0 OR grantee::regrole::text IN ('anon', 'authenticated', 'service_role')
 ORDER BY 1"

if ! start_supabase_cluster; then
  cat "$LOGS/initdb.log" "$SB_DIR/server.log" 2>/dev/null | tail -20 | sed 's/^/# /'
  tap_ok 1 "a cluster whose bootstrap superuser is supabase_admin starts"; stop_supabase_cluster; tap_done
fi
trap stop_supabase_cluster EXIT
tap_ok 0 "a cluster whose bootstrap superuser is supabase_admin starts"

# ---- Supabase's role model -------------------------------------------------------
createdb project
psql -X -q -v ON_ERROR_STOP=1 -d project -f test/helpers/supabase_platform.sql >"$LOGS/platform.log" 2>&1
tap_ok $? "test/helpers/supabase_platform.sql builds Supabase's role model"
tap_is "$(sq "SELECT string_agg(format('%s:%s', rolname, concat_ws(',',
               CASE WHEN rolsuper THEN 'superuser' END, CASE WHEN rolcreaterole THEN 'createrole' END,
               CASE WHEN rolcreatedb THEN 'createdb' END, CASE WHEN rolreplication THEN 'replication' END,
               CASE WHEN rolbypassrls THEN 'bypassrls' END, CASE WHEN rolcanlogin THEN 'login' END,
               CASE WHEN NOT rolinherit THEN 'noinherit' END)), ' ' ORDER BY rolname)
             FROM pg_roles WHERE rolname IN ('supabase_admin', 'postgres', 'anon', 'authenticated', 'service_role', 'authenticator')")" \
  "anon: authenticated: authenticator:login,noinherit postgres:createrole,createdb,replication,bypassrls,login service_role:bypassrls supabase_admin:superuser,createrole,createdb,replication,bypassrls,login" \
  "roles as on Supabase: supabase_admin the superuser, postgres CREATEROLE CREATEDB REPLICATION BYPASSRLS without SUPERUSER"
tap_is "$(sq "SELECT string_agg(b.rolname || '>' || m.rolname, ' ' ORDER BY b.rolname, m.rolname)
             FROM pg_auth_members am JOIN pg_roles b ON b.oid = am.roleid JOIN pg_roles m ON m.oid = am.member
            WHERE b.rolname IN ('anon', 'authenticated', 'service_role')")" \
  "anon>authenticator anon>postgres authenticated>authenticator authenticated>postgres service_role>authenticator service_role>postgres" \
  "authenticator and postgres are members of anon, authenticated and service_role"
# shellcheck disable=SC2016
tap_is "$(pq "SELECT current_setting('is_superuser') || ' ' || current_setting('search_path') || ' ' ||
                    (SELECT datdba::regrole FROM pg_database WHERE datname = current_database())")" \
  'off "$user", public, extensions postgres' \
  "a postgres session is not a superuser, has Supabase's search_path and owns the project database"
tap_is "$(pq "SELECT set_config('request.jwt.claims', '{\"sub\": \"00000000-0000-0000-0000-0000000000d0\", \"role\": \"authenticated\"}', false)
                    IS NOT NULL AND auth.uid() = '00000000-0000-0000-0000-0000000000d0' AND auth.role() = 'authenticated'
                    AND auth.jwt() ->> 'sub' = auth.uid()::text")" "t" \
  "auth.uid(), auth.role() and auth.jwt() read request.jwt.claims"
tap_is "$(sq "SELECT string_agg(format('%s:%s', d.defaclrole::regrole, d.defaclobjtype), ' '
                              ORDER BY d.defaclrole::regrole::text, d.defaclobjtype)
             FROM pg_default_acl d
            WHERE d.defaclnamespace = 'public'::regnamespace
              AND (SELECT array_agg(x.grantee::regrole::text ORDER BY x.grantee::regrole::text)
                     FROM aclexplode(d.defaclacl) x WHERE x.privilege_type IN ('SELECT', 'EXECUTE', 'USAGE'))
                  @> ARRAY['anon', 'authenticated', 'service_role']")" \
  "postgres:S postgres:f postgres:r supabase_admin:S supabase_admin:f supabase_admin:r" \
  "Supabase's default privileges on public grant what postgres and supabase_admin create there to anon, authenticated and service_role"

# ---- the old way: CREATE EXTENSION as postgres -----------------------------------
out=$(psql -X -q -v ON_ERROR_STOP=1 -U postgres -d project -1 -f supabase/migrations/20261122000000_pg_dialer.sql 2>&1)
rc=$?
tap_ok "$([ $rc -ne 0 ] && printf '%s' "$out" | grep -q 'permission denied to create extension "pg_dialer"' && echo 0 || echo 1)" \
  "the first migration run as postgres without supautils fails: permission denied to create extension \"pg_dialer\""
[ $rc -ne 0 ] || printf '%s\n' "$out" | head -5 | sed 's/^/#   /'
tap_is "$(sq "SELECT count(*) FROM pg_extension WHERE extname = 'pg_dialer'")" "0" "and leaves nothing behind"

# ---- without the after-create script: a clear error ------------------------------
createdb -O postgres -T project project_no_script
out=$(SUPAUTILS_SCRIPTS_PATH=/nonexistent supautils_script supabase/migrations/20261122000000_pg_dialer.sql |
      psql -X -q -v ON_ERROR_STOP=1 -d project_no_script -f - 2>&1)
tap_ok "$(printf '%s' "$out" | grep -q 'created without its supautils after-create script' && echo 0 || echo 1)" \
  "created by supautils without the after-create script, the first migration stops with an error naming the fix"
printf '%s' "$out" | grep -q 'created without its supautils after-create script' || printf '%s\n' "$out" | head -8 | sed 's/^/#   /'
dropdb project_no_script

# ---- the supautils path: every migration as postgres -----------------------------
# pgTAP, as on Supabase, is a privileged extension in schema extensions.
supautils_apply <(echo "CREATE EXTENSION IF NOT EXISTS pgtap SCHEMA extensions;") project >/dev/null 2>&1
for pass in 1 2; do
  for m in supabase/migrations/*.sql; do
    supautils_apply "$m" project >"$LOGS/migrate_$pass.log" 2>&1
    rc=$?
    tap_ok $rc "pass $pass: $(basename "$m") applies as postgres (CREATE EXTENSION through the emulated supautils path)"
    [ $rc -eq 0 ] || sed 's/^/#   /' "$LOGS/migrate_$pass.log" | head -10
  done
  [ $pass -eq 1 ] && sq "$API_GRANTS_SQL" >"$LOGS/grants_pass1.txt"
done

psql -X -q -v ON_ERROR_STOP=1 -U postgres -d project -f test/helpers/postgrest_request.sql >/dev/null 2>"$LOGS/helper.log"
tap_ok $? "postgres installs the PostgREST request helper"
# A clean copy of the migrated project for the pgTAP suites below.
createdb -O postgres -T project project_clean

# ---- ownership as supautils leaves it --------------------------------------------
tap_is "$(sq "SELECT extowner::regrole || ' ' || extversion FROM pg_extension WHERE extname = 'pg_dialer'")" \
  "supabase_admin $(sed -n "s/^default_version = '\(.*\)'/\1/p" pg_dialer.control)" \
  "the extension is owned by the superuser supautils switched to"
tap_is "$(sq "SELECT nspowner::regrole FROM pg_namespace WHERE nspname = 'dialer'")|$(sq "
             SELECT count(*) FROM (
               SELECT relowner AS owner FROM pg_class WHERE relnamespace = 'dialer'::regnamespace
               UNION ALL SELECT proowner FROM pg_proc WHERE pronamespace = 'dialer'::regnamespace
               UNION ALL SELECT typowner FROM pg_type WHERE typnamespace = 'dialer'::regnamespace) o
              WHERE owner <> 'supabase_admin'::regrole")" "supabase_admin|0" \
  "schema dialer and every table, function and type in it belong to supabase_admin"
tap_is "$(sq "SELECT proowner::regrole FROM pg_proc WHERE oid = 'public.get_campaign_stats(uuid)'::regprocedure")" \
  "postgres" "the migrations' own objects (public.get_campaign_stats) belong to postgres, who ran them"

# ---- grants ----------------------------------------------------------------------
sq "$API_GRANTS_SQL" >"$LOGS/grants_supabase.txt"
# shellcheck disable=SC1091
PGHOST=$(. build/cluster.env; echo "$PGHOST") PGUSER=postgres psql -X -q -At -d "$REFERENCE_DB" -c "$API_GRANTS_SQL" \
  >"$LOGS/grants_reference.txt"
differences=$(diff "$LOGS/grants_reference.txt" "$LOGS/grants_supabase.txt")
tap_is "$(printf '%s' "$differences" | grep -c '^[<>]')" "0" \
  "the API roles' grants equal a superuser install's, grantor the owner, no duplicates ($(wc -l <"$LOGS/grants_reference.txt") entries)"
[ -n "$differences" ] && printf '%s\n' "$differences" | head -20 | sed 's/^/#   /'
tap_is "$(diff -q "$LOGS/grants_pass1.txt" "$LOGS/grants_supabase.txt" >/dev/null && echo same)" "same" \
  "applying the migrations again changes no grant"
tap_is "$(sq "SELECT count(*) FROM ($API_GRANTS_SQL) g(line) WHERE line ~ ' (anon|PUBLIC) '")" "0" \
  "anon and PUBLIC hold nothing on dialer or on public.get_campaign_stats (Supabase's default privileges revoked)"
tap_is "$(pq "SELECT has_schema_privilege('dialer', 'USAGE') AND has_table_privilege('dialer.campaigns', 'SELECT, INSERT, UPDATE, DELETE')
                    AND has_function_privilege('dialer.create_tenant(text, text)', 'EXECUTE')
                    AND has_function_privilege('dialer.run_retention(timestamptz, integer)', 'EXECUTE')")" "t" \
  "postgres may use the schema, every table and function (the after-create script's grants)"
tap_is "$(pq "SELECT has_table_privilege('dialer.api_grants', 'INSERT') OR has_table_privilege('dialer.api_grants', 'UPDATE')
                    OR has_function_privilege('dialer.grant_api_access()', 'EXECUTE')
                    OR has_function_privilege('dialer.join_realtime_publication(name)', 'EXECUTE')")" "f" \
  "but neither writes the grant registry nor runs the owner's grant functions"
tap_is "$(sq "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_publication_tables
             WHERE pubname = 'supabase_realtime' AND schemaname = 'dialer'")" "calls campaigns leads" \
  "campaigns, leads and calls are in supabase_realtime (added by the after-create script as owner)"

# ---- data and RPC as the API roles -----------------------------------------------
psql -X -q -v ON_ERROR_STOP=1 -U postgres -d project -f test/helpers/two_lead_campaign.sql >/dev/null 2>"$LOGS/fixture.log"
tap_ok $? "postgres writes tenant data (BYPASSRLS, the after-create script's table grants)"
pq "INSERT INTO dialer.tenant_members (tenant_id, user_id, role)
    VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000d0', 'agent')" >/dev/null
tap_is "$(pq "SELECT test_helpers.postgrest_request('POST', 'get_campaign_stats',
                 '{\"campaign_id\": \"cccccccc-0000-0000-0000-0000000000c1\"}', 'authenticated',
                 '{\"sub\": \"00000000-0000-0000-0000-0000000000d0\"}') #>> '{body,total_calls}'")" "0" \
  "POST /rpc/get_campaign_stats as a signed-in member (authenticated) answers 200 with the campaign's figures"
status=$(pq "SELECT test_helpers.postgrest_request('POST', 'dialer.create_tenant', '{\"p_name\": \"Mine\"}', 'authenticated',
                 '{\"sub\": \"00000000-0000-0000-0000-0000000000e0\"}') ->> 'status'")
tap_is "$status $(pq "SELECT count(*) FROM dialer.tenant_members WHERE user_id = '00000000-0000-0000-0000-0000000000e0'")" \
  "200 1" "POST /rpc/create_tenant (schema dialer) as authenticated creates the caller's tenant"
tap_is "$(pq "SELECT test_helpers.postgrest_request('POST', 'get_campaign_stats',
                 '{\"campaign_id\": \"cccccccc-0000-0000-0000-0000000000c1\"}', 'anon') ->> 'status'")" "401" \
  "the same RPC as anon is refused (401)"

# ---- the RPC/RLS pgTAP suites, run by pg_prove as postgres -----------------------
# Each runs in a fresh copy of the migrated project database, as `supabase test db` would.
# Not here: postgrest_helper.sql and security_findings.sql create their own functions and
# tables in public and expect no grants on them, which Supabase's default privileges on
# public give (to anon, authenticated, service_role); security_findings.sql also sets a
# PGC_SUSET limit, which postgres may not (docs/self-hosted-supabase.md).
for suite in supabase/tests/pg_dialer_test.sql test/pgtap/rls_matrix.sql test/pgtap/api_isolation.sql \
             test/pgtap/model_supabase_seed.sql test/pgtap/model_supabase_tests.sql test/pgtap/stats_rpc.sql \
             test/pgtap/phone_api.sql; do
  name=$(basename "$suite" .sql)
  dropdb --if-exists suite_db >/dev/null 2>&1
  createdb -O postgres -T project_clean suite_db
  PGUSER=postgres pg_prove -d suite_db -v "$suite" >"$LOGS/$name.log" 2>&1
  rc=$?
  tap_ok $rc "$suite passes run as postgres ($(grep -cE '^[[:space:]]*ok [0-9]+' "$LOGS/$name.log") tests)"
  [ $rc -eq 0 ] || grep -E '^[[:space:]]*not ok|ERROR|Failed' "$LOGS/$name.log" | head -8 | sed 's/^/#   /'
done
tap_done
