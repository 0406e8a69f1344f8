#!/usr/bin/env bash
# The style the code keeps, checked (part of `make test`; alone: `make check-style`):
#   1. every C++ file is formatted as .clang-format says (clang-format --dry-run);
#   2. clang-tidy (.clang-tidy) finds nothing in src/, tools/ and test/ (the unit tests,
#      the fuzz targets), run with the build's flags: the cores and the tests with the
#      purity header and without the server headers, src/pg with them;
#   3. SQL (sql_src/, sql/, test/, specs/, demo/, bench/, supabase/) has no tab outside
#      COPY data, no trailing whitespace, no CR, and ends with exactly one newline;
#   4. that SQL is indented in 2-space steps, or lines up with the statement it continues
#      (a right-aligned clause keyword, a word or parenthesis of an earlier line, or a
#      2-space step in from one): test/style/sql_indent.awk says exactly.
# Prints TAP. Usage: check_style.sh [PG_CONFIG]; CLANG_FORMAT / CLANG_TIDY override the
# tools, STYLE_JOBS the parallel clang-tidy runs (default: the number of CPUs).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PG_CONFIG=${1:-${PG_CONFIG:-pg_config}}
CLANG_FORMAT=${CLANG_FORMAT:-$(command -v clang-format-14 || command -v clang-format)}
CLANG_TIDY=${CLANG_TIDY:-$(command -v clang-tidy-14 || command -v clang-tidy)}
JOBS=${STYLE_JOBS:-$(nproc)}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
failed=0

# Reports one TAP line: $1 test number, $2 description, $3 file with findings (empty: ok).
report() {
  if [ -s "$3" ]; then
    echo "not ok $1 - $2"; sed 's/^/#   /' "$3" | head -n 60; failed=1
  else
    echo "ok $1 - $2"
  fi
}

cpp_files=$(find src tools test -name '*.cpp' -o -name '*.hpp' -o -name '*.h' | sort)
# Why the unit tests are checked as one translation unit ($UNIT_TU, which
# includes each test/unit/*_test.cpp): clang-tidy's checks walk the whole AST, system
# headers included, so GoogleTest's and libphonenumber's headers are most of each test
# file's cost: one run per file took ~75 s of CPU, the one unit ~13 s. The tests link
# into one binary anyway; two files defining the same file-scope helper would show
# here as a clang-tidy error (rename one). The fuzz targets each define
# LLVMFuzzerTestOneInput, so they run one per file (under a second each). The tests
# keep the root .clang-tidy: none of its checks is wrong for GoogleTest code.
UNIT_TU=$tmp/unit_tests.cpp
unit_files=$(find test/unit -name '*_test.cpp' | sort)
tidy_files=$({ echo "$UNIT_TU"; find src tools test/fuzz -name '*.cpp' | sort; })
tidy_count=$(($(echo "$tidy_files" | wc -l) - 1 + $(echo "$unit_files" | wc -l)))

# 1. clang-format
if [ -z "$CLANG_FORMAT" ]; then
  echo "clang-format not found" >"$tmp/format"
else
  # shellcheck disable=SC2086
  "$CLANG_FORMAT" --style=file --dry-run $cpp_files 2>&1 |
    sed -n 's/^\([^ :]*\):[0-9]*:[0-9]*: \(warning\|error\): .*/\1: not formatted (clang-format -i \1)/p' |
    sort -u >"$tmp/format"
fi
report 1 "C++ files are formatted as .clang-format says ($(echo "$cpp_files" | wc -l) files)" "$tmp/format"

# 2. clang-tidy, one file per run, $JOBS at a time.
pg_server=$("$PG_CONFIG" --includedir-server)
pg_client=$("$PG_CONFIG" --includedir)
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" pg_dialer.control)
core_flags="-std=c++17 -Isrc -include src/common/pure_core.hpp"
pg_flags="-std=c++17 -Isrc -Ibuild/generated -isystem $pg_server -Wno-register
  -DPGDLLEXPORT=__attribute__((visibility(\"default\"))) -DPG_DIALER_VERSION=\"$version\""
tidy_one() {
  local f=$1 flags config=()
  case "$f" in
    src/pg/*) flags=$pg_flags ;;
    tools/*) flags="-std=c++17 -isystem $pg_client" ;;
    # Why --config-file: the unit lives outside the tree, where no .clang-tidy is found.
    "$UNIT_TU") flags="$core_flags -I$ROOT" config=(--config-file="$ROOT/.clang-tidy") ;;
    *) flags=$core_flags ;;
  esac
  # shellcheck disable=SC2086
  "$CLANG_TIDY" --quiet "${config[@]}" "$f" -- $flags 2>/dev/null |
    grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):'
  return 0
}
export -f tidy_one
export CLANG_TIDY core_flags pg_flags pg_client ROOT UNIT_TU
for f in $unit_files; do
  echo "#include \"$f\"  // NOLINT(bugprone-suspicious-include): one unit, see above"
done >"$UNIT_TU"
if [ -z "$CLANG_TIDY" ]; then
  echo "clang-tidy not found" >"$tmp/tidy"
elif [ ! -f build/generated/builtin_rule_packs.inc ] || [ ! -f build/generated/stats_counters.inc ]; then
  echo "build/generated/ is missing: build first (make)" >"$tmp/tidy"
else
  echo "$tidy_files" | xargs -P "$JOBS" -I{} bash -c 'tidy_one {}' | sort -u >"$tmp/tidy"
fi
report 2 "clang-tidy finds nothing ($tidy_count files)" "$tmp/tidy"

# 3. SQL whitespace.
sql_files=$(find sql_src sql test specs demo bench supabase -name '*.sql' -o -name '*.spec' | sort)
# shellcheck disable=SC2086
awk '
  FNR == 1 { copy = 0 }
  /\r$/ { print FILENAME ":" FNR ": carriage return" }
  /[ \t]+$/ { print FILENAME ":" FNR ": trailing whitespace" }
  /\t/ && !copy { print FILENAME ":" FNR ": tab" }
  /^COPY .* FROM stdin/ { copy = 1 }
  /^\\\.$/ { copy = 0 }
' $sql_files >"$tmp/sql"
for f in $sql_files; do
  if [ -n "$(tail -c 1 "$f")" ]; then echo "$f: no newline at the end" >>"$tmp/sql"
  elif [ -z "$(tail -n 1 "$f")" ]; then echo "$f: blank line at the end" >>"$tmp/sql"; fi
done
report 3 "SQL has no tabs, trailing whitespace or CRs and ends in one newline ($(echo "$sql_files" | wc -l) files)" "$tmp/sql"

# 4. SQL indentation.
# shellcheck disable=SC2086
awk -f test/style/sql_indent.awk $sql_files >"$tmp/indent"
report 4 "SQL is indented in 2-space steps or lined up with its statement ($(echo "$sql_files" | wc -l) files)" "$tmp/indent"

echo "1..4"
exit $failed
