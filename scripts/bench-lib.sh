# shellcheck shell=bash
# Shared by the worker benchmarks (bench/queue.sh, bench/stats.sh) and scripts/ab-workers.sh:
# sourced, never run. Expects PGHOST/PGPORT/PGDATABASE and DIALER_CLUSTER_DIR exported
# (build/cluster.env).

# CPU seconds (user + system) used so far by the cluster's exited backends: the
# postmaster's reaped-children times. Why: the machine is shared, so throughput swings
# with other jobs' load; the server CPU each cycle costs does not.
bench_server_cpu() {
  local pm
  pm=$(head -1 "$DIALER_CLUSTER_DIR/data/postmaster.pid")
  awk -v hz="$(getconf CLK_TCK)" '{ print ($16 + $17) / hz }' "/proc/$pm/stat"
}

# Waits (up to 10 s) until no other client backend is connected to the database: the
# workers' backends may still be finishing a transaction, and an ALTER TABLE (switching
# the statistics triggers) issued before they are gone would deadlock with them.
bench_wait_for_backends() {
  local _
  for _ in $(seq 1 100); do
    [ "$(psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                          AND backend_type = 'client backend' AND pid <> pg_backend_pid()")" = 0 ] && return 0
    sleep 0.1
  done
}

# The summary line of a dialer_workers run (on stdin) and the CPU readings before and
# after it ($1, $2) as "rate server-CPU-ms-per-cycle".
bench_rate_and_cpu() {
  awk -v before="$1" -v after="$2" '/rate=/ {
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    if (v["completed"] > 0) printf "%s %.3f\n", v["rate"], (after - before) * 1000 / v["completed"]
    else printf "%s n/a\n", v["rate"] }'
}

# 50,000 inbound calls of history, outside any campaign (counted by no campaign's statistics),
# in a tenant of their own named $1 (made afresh), then ANALYZE, as a database in use has.
# Why: the worker benchmarks delete each run's tenant, so dialer.calls would be all but empty
# between runs; when autoanalyze then records it as empty, the next workers' generic plans
# (made at their first call) scan it sequentially while it fills with live and dead rows,
# and the run measures that instead (one worker fell to half its rate that way).
bench_add_call_history() {
  psql -X -q -v ON_ERROR_STOP=1 -v name="$1" <<'SQL'
DELETE FROM dialer.tenants WHERE name = :'name';
INSERT INTO dialer.tenants (name) VALUES (:'name') RETURNING id \gset
INSERT INTO dialer.calls (tenant_id, direction, phone, status, claimed_at, created_at)
SELECT :'id', 'inbound', '+1212' || (2000000 + g), 'completed', '2025-12-01', '2025-12-01'
  FROM generate_series(1, 50000) g;
ANALYZE dialer.calls;
SQL
}

# A fresh running campaign of 50,000 leads in a new tenant named 'bench', set up as the
# queue benchmark's: prints its id.
bench_new_campaign() {
  psql -X -q -v ON_ERROR_STOP=1 -At <<'SQL'
INSERT INTO dialer.tenants (name) VALUES ('bench') RETURNING id \gset
-- Windows open all day every day and a cap/gap that never bind: both queues check them
-- on every claim, and every lead stays dialable for the whole run.
INSERT INTO dialer.campaigns (tenant_id, name, max_concurrent_calls, uses_ai_voice, time_zone, calling_windows, retry_policy)
VALUES (:'id', 'bench', 64, false, 'America/New_York',
        '{"days": {"mon": [["00:00", "24:00"]], "tue": [["00:00", "24:00"]], "wed": [["00:00", "24:00"]],
                   "thu": [["00:00", "24:00"]], "fri": [["00:00", "24:00"]], "sat": [["00:00", "24:00"]],
                   "sun": [["00:00", "24:00"]]}}',
        '{"max_attempts": 3, "min_gap": 0, "caps": [{"max": 100, "per": 86400}],
          "classes": {"no_answer": {"delays": [0]}, "busy": {"delays": [0]}, "voicemail": {"delays": [0]}}}')
RETURNING id AS campaign \gset
INSERT INTO dialer.contacts (tenant_id, phone)
SELECT :'id', '+1' || a || '555' || lpad(g::text, 4, '0') FROM generate_series(0, 9999) g, unnest(ARRAY['212', '646', '718', '917', '347']) a;
-- US numbers dial only in the law's hours: zones where it is midday, whenever the bench runs.
-- Why before the leads exist: a contact's zone change re-plans its number's waiting leads
-- (dialer_replan_on_contact_change), about 0.6 ms a lead, 30 s for these 50,000; without
-- leads it finds none to plan.
\i test/helpers/contacts_midday.sql
INSERT INTO dialer.leads (tenant_id, campaign_id, phone) SELECT :'id', :'campaign', phone FROM dialer.contacts WHERE tenant_id = :'id';
SELECT dialer.start_campaign(:'campaign') \g /dev/null
-- Why VACUUM and not only ANALYZE: the 100,000 rows just inserted (and earlier runs'
-- dead rows) would otherwise make autovacuum start on these tables during the measured
-- run, at a random moment, taking CPU from one queue and not the other.
VACUUM (ANALYZE) dialer.contacts, dialer.leads, dialer.calls;
SELECT :'campaign';
SQL
}

# Applies variant file $1 (a bench/ab/ file: SQL run before a measured run) and prints the
# dialer_workers arguments it asks for in a line "-- ab-workers-args: ..." (nothing if none).
# Fails when the file does not apply: callers assign its output (vargs=$(...)), so that
# set -e stops them, which it would not inside a here-string.
bench_apply_variant() {
  psql -X -q -v ON_ERROR_STOP=1 -f "$1" >/dev/null || return 1
  sed -n 's/^-- ab-workers-args: *//p' "$1" | head -1
}
