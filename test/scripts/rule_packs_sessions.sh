#!/usr/bin/env bash
# A rule pack corrected in one session is applied by the next decision of every other
# session: each backend keeps its parsed packs until a change to the rule-pack tables
# (a relcache invalidation sent at commit) tells it to read them again.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
use_test_db dialer_rule_pack_sessions

q "INSERT INTO dialer.rule_packs (name, title, country) VALUES ('own', 'Own', 'US');
   INSERT INTO dialer.rule_pack_rules (rule_pack, rule, figures, source)
   VALUES ('own', 'cap', '{\"max\": 1, \"per\": \"1h\"}', 'House rule 1')" >/dev/null
horizon="SELECT dialer._rule_history_horizon('{}', '{own}');"
# One long-lived session asks before and after another session's change (and after a
# change rolled back there); \! runs the other session while this one stays connected.
out=$(psql -X -At -v ON_ERROR_STOP=1 <<SQL 2>&1
$horizon
\! psql -X -q -c "UPDATE dialer.rule_pack_rules SET figures = '{\"max\": 1, \"per\": \"3h\"}' WHERE rule_pack = 'own'"
$horizon
\! psql -X -q -c "BEGIN; UPDATE dialer.rule_pack_rules SET figures = '{\"max\": 1, \"per\": \"9h\"}' WHERE rule_pack = 'own'; ROLLBACK"
$horizon
\! psql -X -q -c "INSERT INTO dialer.rule_packs (name, title, country) VALUES ('own2', 'Own 2', 'US')"
SELECT dialer.check_rule_packs('{own2}');
SQL
)
tap_is "$(sed -n 1p <<<"$out")" "3600" "a session reads the pack once"
tap_is "$(sed -n 2p <<<"$out")" "10800" "another session's committed correction is applied by its next decision"
tap_is "$(sed -n 3p <<<"$out")" "10800" "a rolled-back change is not"
tap_is "$(sed -n 4p <<<"$out")" "t" "a pack another session added is known"
tap_done
