#!/usr/bin/env bash
# Typed clients: the TypeScript types committed in clients/typescript/ are what
# Supabase's generator (@supabase/postgres-meta, pinned) makes of a database built the
# way the suites build theirs (Supabase bootstrap + supabase/migrations/ with the API
# grants), and the supabase-js example type-checks against them (tsc --noEmit), as do
# the mistakes it must reject. Offline: the npm packages come from scripts/install-deps.sh.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
CLIENT=clients/typescript
OUT=build/types

# Checks that the regenerated file $1 equals the committed one; prints the diff head when not.
same_as_committed() {
  local file=$1 differences
  differences=$(diff -u "$CLIENT/$file" "$OUT/$file")
  tap_is "$(printf '%s' "$differences" | grep -c '^[-+][^-+]')" "0" \
    "$CLIENT/$file equals the regenerated one ($(wc -l <"$CLIENT/$file") lines)"
  [ -z "$differences" ] || {
    echo "#   (have: lines that differ) the schema changed: run scripts/gen-types.sh and commit $CLIENT/. diff committed -> regenerated:"
    printf '%s\n' "$differences" | head -40 | sed 's/^/#   /'
  }
}

[ -x "$CLIENT/node_modules/.bin/tsc" ]
tap_ok $? "the pinned npm packages are installed ($CLIENT/node_modules, by scripts/install-deps.sh)"

rm -rf "$OUT"; mkdir -p build/test-logs
start=$(date +%s)
bash scripts/gen-types.sh --out "$OUT" >"build/test-logs/gen-types.log" 2>&1
rc=$?
tap_ok "$rc" "scripts/gen-types.sh regenerates the types in $(($(date +%s) - start)) s"
[ "$rc" -eq 0 ] || sed 's/^/#   /' build/test-logs/gen-types.log | tail -20

for file in database.types.ts api-access.ts; do
  if [ -f "$OUT/$file" ]; then same_as_committed "$file"; else tap_ok 1 "$file was regenerated"; fi
done

tap_is "$(awk '/^export type Database = \{/{p=1; next} p && /^\}/{exit} p && /^  [a-z_]+: \{/{print $1}' \
           "$CLIENT/database.types.ts" | tr -d : | sort | tr '\n' ' ')" "dialer public " \
  "database.types.ts types schemas dialer and public, no other"

start=$(date +%s)
errors=$(cd "$CLIENT" && ./node_modules/.bin/tsc --noEmit -p tsconfig.json 2>&1)
rc=$?
tap_ok "$rc" "tsc --noEmit: example.ts type-checks and type-errors.ts's mistakes are rejected ($(($(date +%s) - start)) s)"
[ "$rc" -eq 0 ] || printf '%s\n' "$errors" | head -30 | sed 's/^/#   /'

tap_done
