#!/usr/bin/env bash
# updated_at survives a dump and restore (issue 17): pg_restore loads the rows of the
# dialer tables with COPY while dialer.set_updated_at() is already installed (the
# extension creates it), so the trigger must keep the updated_at each row carries.
# Every tracked table with rows keeps every created_at and updated_at it was dumped
# with, through pg_dump -Fc | pg_restore and through a plain SQL dump replayed by psql;
# afterwards an INSERT without updated_at gets now() and an UPDATE stamps.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; for d in dialer_dump_src dialer_restored_fc dialer_restored_plain; do dropdb --if-exists "$d" >/dev/null 2>&1; done' EXIT
PAST_UPDATED="2001-02-03 04:05:06+00"
PAST_CREATED="2000-01-01 00:00:00+00"

# Counts, over every table dialer.set_updated_at() tracks: "<tables with rows>|<rows>|<rows
# whose created_at or updated_at is not the dumped past value>".
stamps_sql="
DO \$\$
DECLARE
  t regclass; n bigint; bad bigint; tables int := 0; total bigint := 0; total_bad bigint := 0;
BEGIN
  FOR t IN SELECT DISTINCT tgrelid::regclass FROM pg_trigger
            WHERE tgfoid = 'dialer.set_updated_at'::regproc ORDER BY 1 LOOP
    EXECUTE format('SELECT count(*), count(*) FILTER (WHERE updated_at IS DISTINCT FROM %L
                      OR (to_jsonb(x) ? ''created_at'' AND (x).created_at IS DISTINCT FROM %L)) FROM %s x',
                   '$PAST_UPDATED', '$PAST_CREATED', t) INTO n, bad;
    IF n > 0 THEN tables := tables + 1; END IF;
    total := total + n; total_bad := total_bad + bad;
  END LOOP;
  RAISE NOTICE 'stamps %|%|%', tables, total, total_bad;
END
\$\$;"
stamps() { psql -X -q -At -d "$1" -c "$stamps_sql" 2>&1 | sed -n 's/.*stamps //p'; }

# The source: the Supabase bootstrap, pg_dialer, a running campaign with a claimed and a
# completed call, a conversation, a message and an escalation; then every tracked row is
# given the past stamps (as after years of use), with triggers off for that one update.
dropdb --if-exists dialer_dump_src >/dev/null 2>&1
createdb dialer_dump_src
psql -X -q -v ON_ERROR_STOP=1 -d dialer_dump_src -f test/helpers/supabase_bootstrap.sql >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d dialer_dump_src -c "CREATE EXTENSION pg_dialer" >/dev/null
PGDATABASE=dialer_dump_src psql -X -q -v ON_ERROR_STOP=1 -f test/helpers/two_lead_campaign.sql >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d dialer_dump_src >/dev/null <<'SQL'
SELECT dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w1', 2, '5 minutes');
SELECT dialer.complete_call(id, 'dial_no_answer', 'retell') FROM dialer.calls ORDER BY id LIMIT 1;
INSERT INTO dialer.conversations (tenant_id, id, channel)
VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'dddddddd-0000-0000-0000-0000000000d1', 'voice');
INSERT INTO dialer.messages (tenant_id, conversation_id, role, content)
VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'dddddddd-0000-0000-0000-0000000000d1', 'user', 'hello');
INSERT INTO dialer.escalations (tenant_id, conversation_id, issue_type, original_request)
VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'dddddddd-0000-0000-0000-0000000000d1', 'handoff', 'asked for a person');
SQL
psql -X -q -v ON_ERROR_STOP=1 -d dialer_dump_src >/dev/null <<SQL
SET session_replication_role = replica;
DO \$\$
DECLARE t regclass;
BEGIN
  FOR t IN SELECT DISTINCT tgrelid::regclass FROM pg_trigger WHERE tgfoid = 'dialer.set_updated_at'::regproc LOOP
    EXECUTE format('UPDATE %s SET updated_at = %L', t, '$PAST_UPDATED');
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = t AND attname = 'created_at' AND NOT attisdropped) THEN
      EXECUTE format('UPDATE %s SET created_at = %L', t, '$PAST_CREATED');
    END IF;
  END LOOP;
END
\$\$;
SQL
src=$(stamps dialer_dump_src)
tables=$(echo "$src" | cut -d'|' -f1)
tap_ok "$([ "${tables:-0}" -ge 8 ] && [ "$(echo "$src" | cut -d'|' -f3)" = 0 ] && echo 0 || echo 1)" \
  "the source has $tables tracked tables with rows ($(echo "$src" | cut -d'|' -f2) rows), every one stamped in the past"

# Restores $2 into a new database $1 with command $3 and checks the stamps it kept.
check_restore() {
  local db=$1 how=$2 got
  got=$(stamps "$db")
  tap_is "$got" "$src" "$how: every created_at and updated_at keeps its dumped value (tables|rows|changed)"
  tap_is "$(psql -X -q -At -d "$db" -c "BEGIN; INSERT INTO dialer.tenants (id, name) VALUES ('aaaaaaaa-0000-0000-0000-0000000000a2', 'New');
      SELECT updated_at = now() AND created_at = now() FROM dialer.tenants WHERE id = 'aaaaaaaa-0000-0000-0000-0000000000a2'; COMMIT;")" \
    "t" "$how: afterwards an INSERT without updated_at gets now()"
  tap_is "$(psql -X -q -At -d "$db" -c "BEGIN; UPDATE dialer.leads SET priority = priority + 1;
      SELECT bool_and(updated_at = now()) FROM dialer.leads; COMMIT;")" \
    "t" "$how: and an UPDATE stamps"
}

pg_dump -Fc -d dialer_dump_src -f "$tmp/dump.fc" 2>"$tmp/dump.err"
tap_ok $? "pg_dump -Fc of the source"
dropdb --if-exists dialer_restored_fc >/dev/null 2>&1
createdb dialer_restored_fc
pg_restore --exit-on-error -d dialer_restored_fc "$tmp/dump.fc" 2>"$tmp/restore.err"
tap_ok $? "pg_restore into a fresh database"
[ -s "$tmp/restore.err" ] && sed 's/^/#   /' "$tmp/restore.err" | head -10
check_restore dialer_restored_fc "pg_restore"

pg_dump -d dialer_dump_src -f "$tmp/dump.sql" 2>"$tmp/dump.err"
dropdb --if-exists dialer_restored_plain >/dev/null 2>&1
createdb dialer_restored_plain
psql -X -q -v ON_ERROR_STOP=1 -d dialer_restored_plain -f "$tmp/dump.sql" >/dev/null 2>"$tmp/plain.err"
tap_ok $? "a plain SQL dump replays into a fresh database"
[ -s "$tmp/plain.err" ] && sed 's/^/#   /' "$tmp/plain.err" | head -10
check_restore dialer_restored_plain "plain dump"
tap_done
