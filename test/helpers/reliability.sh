# shellcheck shell=bash
# Shared by the reliability tests (test/scripts/reliability_*.sh; sourced after tap.sh,
# with the libpq environment naming the server): a database, a campaign fixture, a
# bounded wait, and the queue's invariants as TAP lines.
REL_T=aaaaaaaa-0000-0000-0000-0000000000a1
REL_C=cccccccc-0000-0000-0000-0000000000c1
REL_IN_FLIGHT="('claimed', 'dialing', 'ringing', 'in_progress')"

# rel_make_db NAME [VERSION]: a fresh database with the Supabase bootstrap and pg_dialer
# (at VERSION, default the current one), as test/scripts/extension_upgrade.sh makes them.
rel_make_db() {
  dropdb --if-exists "$1" >/dev/null 2>&1
  createdb "$1" || return 1
  psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f test/helpers/supabase_bootstrap.sql >/dev/null || return 1
  psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c "CREATE EXTENSION pg_dialer${2:+ VERSION '$2'}" >/dev/null
}

# rel_campaign LEADS LIMIT [CAMPAIGN_ID]: tenant REL_T (once) and a running campaign with
# LEADS US leads (dialable now: contacts_midday.sql), max_concurrent_calls LIMIT, no AI
# voice, and a policy that redials unanswered calls at once, up to 3 attempts.
rel_campaign() {
  local limit=$2 c=${3:-$REL_C} half=$(($1 / 2))
  psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
INSERT INTO dialer.tenants (id, name) VALUES ('$REL_T', 'T') ON CONFLICT DO NOTHING;
INSERT INTO dialer.campaigns (tenant_id, id, name, max_concurrent_calls, uses_ai_voice, retry_policy)
VALUES ('$REL_T', '$c', 'reliability $c', $limit, false,
        '{"max_attempts": 3, "classes": {"no_answer": {"delays": [0]}, "busy": {"delays": [0]}, "voicemail": {"delays": [0]}}}');
INSERT INTO dialer.contacts (tenant_id, phone)
SELECT '$REL_T', '+1' || a || '555' || lpad(g::text, 4, '0')
  FROM generate_series(0, $half - 1) g, unnest(ARRAY['646', '212']) a
ON CONFLICT DO NOTHING;
INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
SELECT '$REL_T', '$c', '+1' || a || '555' || lpad(g::text, 4, '0')
  FROM generate_series(0, $half - 1) g, unnest(ARRAY['646', '212']) a;
$(cat test/helpers/contacts_midday.sql)
SELECT dialer.start_campaign('$c');
SQL
}

# rel_wait SECONDS PID: waits for background job PID at most SECONDS, then kills it
# (and its process group when it leads one); returns its status, 124 on a timeout.
rel_wait() {
  local limit=$1 pid=$2 i
  for ((i = 0; i < limit * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid"; return $?; }
    sleep 0.1
  done
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 124
}

# rel_invariants LABEL: the queue's invariants over every campaign of the database, one
# TAP line each: no lead twice in flight, in-flight calls within max_concurrent_calls,
# campaign_slots agreeing with the calls in flight (a slot's call_id set exactly for the
# calls in flight, at the slot each call records), attempts counted once, statistics
# counters equal to a recount, every dialer B-tree index clean under amcheck.
rel_invariants() {
  local label=$1 v
  v=$(psql -X -q -At -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
SELECT count(*) FROM (SELECT 1 FROM dialer.calls WHERE status IN $REL_IN_FLIGHT
                       GROUP BY tenant_id, lead_id HAVING count(*) > 1) x;
SELECT coalesce(string_agg(format('%s: %s in flight, limit %s', c.name, f.n, c.max_concurrent_calls), '; '), 'none')
  FROM dialer.campaigns c
  JOIN LATERAL (SELECT count(*) AS n FROM dialer.calls k
                 WHERE k.tenant_id = c.tenant_id AND k.campaign_id = c.id AND k.status IN $REL_IN_FLIGHT) f ON true
 WHERE f.n > c.max_concurrent_calls;
SELECT format('%s in flight without their slot, %s slots held by a call not in flight, %s campaigns with a slot count other than max_concurrent_calls',
  (SELECT count(*) FROM dialer.calls k WHERE k.status IN $REL_IN_FLIGHT AND k.campaign_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM dialer.campaign_slots s WHERE s.tenant_id = k.tenant_id
                         AND s.campaign_id = k.campaign_id AND s.slot = k.slot AND s.call_id = k.id)),
  (SELECT count(*) FROM dialer.campaign_slots s WHERE s.call_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM dialer.calls k WHERE k.tenant_id = s.tenant_id AND k.id = s.call_id
                         AND k.slot = s.slot AND k.status IN $REL_IN_FLIGHT)),
  (SELECT count(*) FROM dialer.campaigns c
    WHERE (SELECT count(*) FROM dialer.campaign_slots s WHERE s.tenant_id = c.tenant_id AND s.campaign_id = c.id)
          <> c.max_concurrent_calls));
SELECT count(*) FROM dialer.leads l
 WHERE attempts <> (SELECT count(*) FROM dialer.calls k
                     WHERE k.tenant_id = l.tenant_id AND k.lead_id = l.id AND k.status <> 'cancelled');
SELECT coalesce(sum((SELECT count(*) FROM dialer.verify_campaign_stats(c.id))), 0) FROM dialer.campaigns c;
CREATE EXTENSION IF NOT EXISTS amcheck;
CREATE FUNCTION pg_temp.rel_index_error(p_index regclass) RETURNS text LANGUAGE plpgsql AS \$f\$
BEGIN
  PERFORM bt_index_check(p_index, true);
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  RETURN p_index::text || ': ' || SQLERRM;
END
\$f\$;
SELECT count(*) || ' of ' || (SELECT count(*) FROM pg_index) || '|' || coalesce(string_agg(e, '; '), 'none')
  FROM (SELECT pg_temp.rel_index_error(c.oid) AS e
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam
         WHERE n.nspname = 'dialer' AND c.relkind = 'i' AND a.amname = 'btree') x;
SQL
  ) || { tap_ok 1 "$label: the invariants could be read"; return; }
  local dup over slots attempts stats amcheck
  { read -r dup; read -r over; read -r slots; read -r attempts; read -r stats; read -r amcheck; } <<<"$v"
  tap_is "$dup" 0 "$label: no lead has two calls in flight"
  tap_is "$over" none "$label: no campaign has more calls in flight than max_concurrent_calls"
  tap_is "$slots" "0 in flight without their slot, 0 slots held by a call not in flight, 0 campaigns with a slot count other than max_concurrent_calls" \
    "$label: campaign_slots agree with the calls in flight"
  tap_is "$attempts" 0 "$label: every lead's attempts equal its attempt calls"
  tap_is "$stats" 0 "$label: dialer.verify_campaign_stats finds no counter off"
  tap_is "${amcheck#*|}" none "$label: amcheck bt_index_check (heapallindexed) is clean on every dialer B-tree index"
}

# rel_summary_field NAME LINE: a key=value field of a dialer_workers summary line.
rel_summary_field() { sed -n "s/.* $1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }

# rel_sqlstate_count STATE LINE: failed statements with SQLSTATE STATE in a summary line.
rel_sqlstate_count() {
  local s
  s=$(rel_summary_field sqlstates "$2" | tr ',' '\n' | sed -n "s/^$1:\\([0-9]*\\)$/\\1/p")
  echo "${s:-0}"
}
