#!/usr/bin/env bash
# Proves the purity wall: a core translation unit that includes postgres.h fails to
# compile under the core flags, even when the server include directory is on the
# path (the poisoned identifiers in src/common/pure_core.hpp catch it), while an
# ordinary core file compiles. Also checks no core source names postgres.h.
# Prints TAP. Usage: check_purity.sh "<core compile command>"
set -uo pipefail
cc=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '#include "postgres.h"\nint f() { return 0; }\n' >"$tmp/bad.cpp"
printf '#include <string>\nint f() { return std::string("ok").size(); }\n' >"$tmp/good.cpp"
failed=0
if $cc -c -o "$tmp/bad.o" "$tmp/bad.cpp" >"$tmp/bad.log" 2>&1; then
  echo "not ok 1 - a core file including postgres.h is rejected"; failed=1
else
  echo "ok 1 - a core file including postgres.h is rejected ($(grep -m1 -o 'poisoned[^"]*"[a-z_]*"\|attempt to use poisoned "[a-z_]*"' "$tmp/bad.log" || echo compile error))"
fi
if $cc -c -o "$tmp/good.o" "$tmp/good.cpp" >"$tmp/good.log" 2>&1; then
  echo "ok 2 - an ordinary core file compiles under the same flags"
else
  echo "not ok 2 - an ordinary core file compiles under the same flags"; cat "$tmp/good.log"; failed=1
fi
root=$(cd "$(dirname "$0")/.." && pwd)
offenders=$(grep -rlE '^[[:space:]]*#[[:space:]]*include *[<"](postgres|fmgr|utils/|executor/|access/)' "$root"/src --include='*.cpp' --include='*.hpp' --include='*.h' | grep -v "/src/pg/" || true)
if [ -z "$offenders" ]; then echo "ok 3 - no core source includes a Postgres header"; else echo "not ok 3 - core sources include Postgres headers: $offenders"; failed=1; fi
echo "1..3"
exit $failed
