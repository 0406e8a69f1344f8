#!/usr/bin/env bash
# Proves the library exports the magic block, _PG_init, and for every pg_finfo_X
# record both it and X itself (the function PostgreSQL looks up with dlsym).
# Prints TAP so the test runner counts each check. Usage: check_exports.sh lib.so
set -euo pipefail
lib=${1:-pg_dialer.so}
syms=$(nm -D --defined-only "$lib" | awk '{print $3}')
n=0; failed=0
check() { n=$((n+1)); if grep -qx "$1" <<<"$syms"; then echo "ok $n - exports $1"; else echo "not ok $n - exports $1"; failed=1; fi; }
check Pg_magic_func
check _PG_init
finfos=$(grep '^pg_finfo_' <<<"$syms" || true)
[ -n "$finfos" ] || { n=$((n+1)); echo "not ok $n - at least one pg_finfo_ record"; failed=1; }
for f in $finfos; do check "$f"; check "${f#pg_finfo_}"; done
# Every C function an install or upgrade script declares must be exported, earlier
# releases' install scripts included (built from history): an upgrade path runs them
# against this library.
history=build/history/sql
n=$((n+1))
if bash tools/release_sql.sh --all "$history"; then echo "ok $n - earlier releases' install scripts built"; else
  echo "not ok $n - earlier releases' install scripts built (tools/release_sql.sh --all $history)"; failed=1
fi
for f in $(grep -ohE "'MODULE_PATHNAME', *'[a-z0-9_]+'" pg_dialer--*.sql sql_upgrade/pg_dialer--*.sql "$history"/pg_dialer--*.sql | sed -E "s/.*'([a-z0-9_]+)'$/\1/" | sort -u); do check "$f"; done
echo "1..$n"
exit $failed
