#!/usr/bin/env bash
# Next attempt for 1,000,000 leads in one statement: dialer.next_attempt_at
# against the straightforward SQL/PL/pgSQL version from the differential test
# (test/pgtap/schedule_differential.sql, loaded from that file), same run.
# The straightforward version takes milliseconds per lead, so by default it runs
# on the first SCHEDULE_BASELINE_ROWS leads (20,000) and the ratio compares
# rows per second; set SCHEDULE_BASELINE_ROWS=1000000 for the full (long) run.
# Both versions must agree on every baseline row.
# Needs PGHOST/PGPORT/PGDATABASE (make bench exports them).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LEADS=${SCHEDULE_LEADS:-1000000}
BASELINE_ROWS=${SCHEDULE_BASELINE_ROWS:-20000}
reference=$(sed -n '/^-- BEGIN schedule reference/,/^-- END schedule reference/p' \
  "$ROOT/test/pgtap/schedule_differential.sql")
[ -n "$reference" ] || { echo "schedule bench: reference not found in the differential test" >&2; exit 1; }

# Milliseconds of the one statement psql timed in $1's output.
ms_of() { grep -oE 'Time: [0-9.]+ ms' <<<"$1" | tail -1 | grep -oE '[0-9.]+'; }

setup=$(cat <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_campaigns, bench_leads;
CREATE TABLE bench_campaigns (campaign int PRIMARY KEY, policy jsonb, windows jsonb, packs text[],
                              starts_at timestamptz, ends_at timestamptz);
INSERT INTO bench_campaigns VALUES
 (1, '{"max_attempts": 6, "min_gap": "1h", "classes": {"no_answer": {"delays": ["30m", "2h", "1d"]},
       "busy": {"backoff": {"initial": "5m", "factor": 2, "max": "2h"}, "jitter": 0.2},
       "voicemail": {"delays": ["1d"]}, "transport_error": {"backoff": {"initial": "1m", "max": "30m"}}}}',
     '{"days": {"mon": [["09:00", "18:00"]], "tue": [["09:00", "18:00"]], "wed": [["09:00", "18:00"]],
       "thu": [["09:00", "18:00"]], "fri": [["09:00", "17:00"]]}, "holidays": ["us_federal"]}',
     '{us_federal}', '2025-05-01', '2025-09-01'),
 (2, '{"max_attempts": 8, "caps": [{"max": 2, "per": "24h"}], "classes": {"no_answer": {"delays": ["4h"], "max_attempts": 5},
       "busy": {"delays": ["15m", "1h"]}, "human_incomplete": {"delays": ["1d"]}}}',
     '{"days": {"mon": [["10:00", "20:00"]], "tue": [["10:00", "20:00"]], "wed": [["10:00", "20:00"]],
       "thu": [["10:00", "20:00"]], "fri": [["10:00", "20:00"]], "sat": [["10:00", "14:00"]]}}',
     '{us_federal,us_fl}', NULL, NULL),
 (3, '{"classes": {"no_answer": {"delays": ["2h", "1d", "2d"]}, "voicemail": {"delays": ["1d"]},
       "abandoned": {"delays": ["3d"]}}}',
     '{"days": {"mon": [["09:00", "19:00"]], "tue": [["09:00", "19:00"]], "wed": [["09:00", "19:00"]],
       "thu": [["09:00", "19:00"]], "fri": [["09:00", "19:00"]]}}', '{uk}', NULL, NULL),
 (4, '{"max_attempts": 4, "classes": {"no_answer": {"delays": ["3h", "1d"]}, "busy": {"delays": ["1h"]}}}',
     NULL, '{fr}', NULL, '2025-12-31');
CREATE TABLE bench_leads AS
SELECT i, md5(i::text)::uuid AS lead, 1 + (i % 4) AS campaign,
       (ARRAY['{America/New_York}', '{America/Chicago}', '{America/Los_Angeles}', '{America/Boise,America/Los_Angeles}',
              '{America/Phoenix}', '{America/Indiana/Indianapolis,America/Chicago}', '{Europe/London}',
              '{Europe/Paris}', '{Europe/Paris}', '{America/New_York,America/Chicago,America/Denver}'])[1 + i % 10]::text[] AS zones,
       attempts, CASE WHEN attempts > 0 THEN (ARRAY['no_answer', 'no_answer', 'no_answer', 'busy', 'voicemail',
         'human_incomplete', 'transport_error', 'abandoned'])[1 + (i / 7) % 8] END AS outcome,
       CASE WHEN attempts > 0 THEN 1 + (i / 11) % attempts ELSE 0 END AS class_attempts,
       CASE WHEN attempts > 0 THEN timestamptz '2025-06-04 12:00Z' - ((i::bigint * 7919) % 259200) * interval '1 second' END AS last_at,
       CASE WHEN attempts > 1 THEN ARRAY[timestamptz '2025-06-04 12:00Z' - ((i::bigint * 104729) % 2592000) * interval '1 second'] END AS recent
  FROM (SELECT i, CASE WHEN i % 10 < 3 THEN 0 ELSE 1 + i % 4 END AS attempts
          FROM generate_series(1, $LEADS) AS i) AS s;
ANALYZE bench_leads, bench_campaigns;
SQL
)

fast=$(cat <<'SQL'
SELECT count(dialer.next_attempt_at(l.lead, c.policy, l.zones, l.attempts, l.outcome, l.class_attempts, l.last_at,
         l.recent, NULL, NULL, c.windows, NULL, c.packs, false, true, true, c.starts_at, c.ends_at,
         '2025-06-04 12:00Z'))
  FROM bench_leads AS l JOIN bench_campaigns AS c USING (campaign);
SQL
)

echo "schedule: generating $LEADS leads"
psql -X -q -v ON_ERROR_STOP=1 -c "$setup" >/dev/null
out=$(psql -X -v ON_ERROR_STOP=1 <<SQL
\timing on
$fast
SQL
)
fast_ms=$(ms_of "$out")
out=$(psql -X -q -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
SET timezone = 'UTC';
$reference
\timing on
SELECT count(pg_temp.ref_next_attempt_at(l.lead, c.policy, l.zones, l.attempts, l.outcome, l.class_attempts,
         l.last_at, l.recent, NULL, NULL, c.windows, NULL, c.packs, false, true, true, c.starts_at, c.ends_at,
         '2025-06-04 12:00Z'))
  FROM bench_leads AS l JOIN bench_campaigns AS c USING (campaign) WHERE l.i <= $BASELINE_ROWS;
\timing off
SELECT 'disagreements=' || count(*)
  FROM bench_leads AS l JOIN bench_campaigns AS c USING (campaign)
 WHERE l.i <= least($BASELINE_ROWS, 2000)
   AND dialer.next_attempt_at(l.lead, c.policy, l.zones, l.attempts, l.outcome, l.class_attempts, l.last_at,
         l.recent, NULL, NULL, c.windows, NULL, c.packs, false, true, true, c.starts_at, c.ends_at, '2025-06-04 12:00Z')
       IS DISTINCT FROM
       pg_temp.ref_next_attempt_at(l.lead, c.policy, l.zones, l.attempts, l.outcome, l.class_attempts,
         l.last_at, l.recent, NULL, NULL, c.windows, NULL, c.packs, false, true, true, c.starts_at, c.ends_at,
         '2025-06-04 12:00Z');
SQL
)
slow_ms=$(ms_of "$out")
disagree=$(grep -oE 'disagreements=[0-9]+' <<<"$out" | cut -d= -f2)
psql -X -q -c "DROP TABLE bench_campaigns, bench_leads" >/dev/null

awk -v n="$LEADS" -v fm="$fast_ms" -v b="$BASELINE_ROWS" -v sm="$slow_ms" -v d="$disagree" 'BEGIN {
  fr = n / (fm / 1000); sr = b / (sm / 1000);
  printf "dialer.next_attempt_at:          %9d leads in %9.1f ms = %10.0f leads/s\n", n, fm, fr;
  printf "straightforward SQL (baseline):  %9d leads in %9.1f ms = %10.0f leads/s\n", b, sm, sr;
  printf "baseline disagreements on the first min(%d, 2000) leads: %d\n", b, d;
  printf "ratio (leads/s): %.1fx  (goal >= 20x)\n", fr / sr;
}'
[ "$disagree" = "0" ] || { echo "schedule bench: the two versions disagree" >&2; exit 1; }
