#!/usr/bin/env bash
# `make test`: installs missing dependencies, builds with warnings as errors, checks
# exports, core purity and that released upgrade scripts are as released (pins named),
# runs the C++ unit tests, starts a throwaway cluster with this build installed, runs
# pg_regress, the pgTAP suites through pg_prove and the scripted multi-connection
# tests; prints one line per suite and a final
# "N passed, N failed"; exits non-zero on any failure; always stops the cluster.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
LOGS=build/test-logs
TOTAL_PASS=0
TOTAL_FAIL=0
SUMMARY=()

# Records one suite's counts and prints its summary line.
record() {
  local name=$1 pass=$2 fail=$3
  TOTAL_PASS=$((TOTAL_PASS + pass)); TOTAL_FAIL=$((TOTAL_FAIL + fail))
  SUMMARY+=("$(printf '%-10s %5d passed, %d failed' "$name:" "$pass" "$fail")")
  printf '== %-10s %5d passed, %d failed\n' "$name:" "$pass" "$fail"
}

# Counts "ok"/"not ok" TAP lines in file $2 for suite $1; a non-zero exit status $3
# with no failing line still counts as one failure (a crash, a bad plan).
record_tap() {
  local name=$1 file=$2 rc=$3 pass fail
  pass=$(grep -cE '^[[:space:]]*ok [0-9]+' "$file")
  fail=$(grep -cE '^[[:space:]]*not ok [0-9]+' "$file")
  [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ] && fail=1
  record "$name" "$pass" "$fail"
}

# Prints every summary line and the total; exits with the verdict.
finish() {
  echo
  echo "==================== pg_dialer test summary ===================="
  printf '%s\n' "${SUMMARY[@]}"
  echo "TOTAL: $TOTAL_PASS passed, $TOTAL_FAIL failed"
  [ "$TOTAL_FAIL" -eq 0 ]
  exit $?
}

# On failure: where to look, and the server log tail.
show_failure_context() {
  [ -s regression.diffs ] && { echo "---- regression.diffs (first 80 lines) ----"; head -n 80 regression.diffs; }
  [ -s output_iso/regression.diffs ] && { echo "---- output_iso/regression.diffs (first 60 lines) ----"; head -n 60 output_iso/regression.diffs; }
  [ -f build/logs/server.log ] && { echo "---- server log (last 40 lines) ----"; tail -n 40 build/logs/server.log; }
  echo "(suite logs: $LOGS/)"
}

mkdir -p "$LOGS"
bash scripts/install-deps.sh || { echo "dependency installation failed"; exit 1; }

echo "== build (warnings are errors)"
make -s clean >/dev/null 2>&1
if make -j2 WERROR=1 >"$LOGS/build.log" 2>&1 && make -s WERROR=1 build/unit_tests tools >>"$LOGS/build.log" 2>&1; then
  record build 1 0
else
  tail -n 40 "$LOGS/build.log"; record build 0 1; finish
fi

bash test/check_exports.sh pg_dialer.so >"$LOGS/exports.tap" 2>&1; record_tap exports "$LOGS/exports.tap" $?
make -s check-purity >"$LOGS/purity.tap" 2>&1; record_tap purity "$LOGS/purity.tap" $?
bash test/check_released_upgrades.sh >"$LOGS/releases.tap" 2>&1; rc=$?
record_tap releases "$LOGS/releases.tap" "$rc"
[ "$rc" -eq 0 ] || grep -E '^(not ok|#  )' "$LOGS/releases.tap" | head -40
make -s check-style >"$LOGS/style.tap" 2>&1; rc=$?
record_tap style "$LOGS/style.tap" "$rc"
[ "$rc" -eq 0 ] || grep -E '^not ok|^#' "$LOGS/style.tap" | head -30

build/unit_tests >"$LOGS/unit.log" 2>&1; rc=$?
upass=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$LOGS/unit.log" | tail -1)
ufail=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$LOGS/unit.log" | tail -1)
[ "$rc" -ne 0 ] && [ -z "$ufail" ] && ufail=1
record unit "${upass:-0}" "${ufail:-0}"
[ "${ufail:-0}" -eq 0 ] || grep -E '^\[  FAILED  \]' "$LOGS/unit.log" | head -20

trap 'bash scripts/cluster.sh stop quiet' EXIT
# Why the owner: scripts/cluster.sh then refuses to start or stop a cluster from elsewhere in
# this checkout while the tests run on this one (scripts/cluster.sh, "Owned clusters").
if ! DIALER_CLUSTER_OWNER=$$ bash scripts/cluster.sh start; then record cluster 0 1; finish; fi
# shellcheck disable=SC1091
source build/cluster.env
if ! bash scripts/setup-db.sh dialer_tap --tap >"$LOGS/setup.log" 2>&1; then
  cat "$LOGS/setup.log"; record setup 0 1; finish
fi

rm -f regression.diffs
# ISOLATION= : the isolation specs have a line of their own below.
make -s installcheck ISOLATION= >"$LOGS/regress.log" 2>&1; rc=$?
rpass=$(grep -cE '^(ok|test) .* \.\.\. ok|^ok [0-9]+' "$LOGS/regress.log")
rfail=$(grep -cE '\.\.\. FAILED|^not ok [0-9]+' "$LOGS/regress.log")
[ "$rc" -ne 0 ] && [ "$rfail" -eq 0 ] && rfail=1
record regress "$rpass" "$rfail"

# Isolation specs (specs/*.spec, pg_isolation_regress): one line counting permutations
# (scripts/isolation-permutations.sh). PGISOLATIONTIMEOUT bounds a step's wait; timeout
# the whole run (a hang counts as a failure).
rm -rf output_iso
PGISOLATIONTIMEOUT=20 timeout 180 make -s isolationcheck >"$LOGS/isolation.log" 2>&1; rc=$?
read -r ipass ifail < <(bash scripts/isolation-permutations.sh 2>"$LOGS/isolation.failed")
[ "$rc" -ne 0 ] && [ "${ifail:-0}" -eq 0 ] && ifail=1
record isolation "${ipass:-0}" "${ifail:-1}"
[ -s "$LOGS/isolation.failed" ] && sed 's/^/   failed: /' "$LOGS/isolation.failed"

PGDATABASE=dialer_tap pg_prove -v test/pgtap/*.sql >"$LOGS/pgtap.log" 2>&1; rc=$?
record_tap pgtap "$LOGS/pgtap.log" "$rc"
[ "$rc" -eq 0 ] || grep -E '^[[:space:]]*not ok|Failed|Parse errors|ERROR' "$LOGS/pgtap.log" | head -30

for t in test/scripts/*.sh; do
  [ -e "$t" ] || continue
  name=$(basename "$t" .sh)
  PGDATABASE=dialer_tap bash "$t" >"$LOGS/$name.tap" 2>&1; rc=$?
  record_tap "$name" "$LOGS/$name.tap" "$rc"
  # Why: CI keeps only this output, so a failing script's own lines must be in it.
  [ "$rc" -eq 0 ] || grep -E '^not ok|^# ' "$LOGS/$name.tap" | cut -c1-400 | head -20
done

[ "$TOTAL_FAIL" -eq 0 ] || { bash scripts/cluster.sh stop quiet; show_failure_context; }
finish
