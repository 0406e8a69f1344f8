#!/usr/bin/env bash
# Proves every released upgrade script is still the one its release shipped, byte for
# byte: a plain sql_upgrade/pg_dialer--A--B.sql, and a template (.sql.in) as assembled now
# from today's sql_src/, against the script built at B's release commit (tools/release_sql.sh).
# A template's directive copies the current definition of an object, so a later change to
# an object that a released upgrade copies would silently change that upgrade: the failure
# names each such directive and the command that pins it (tools/pin_sql.sh). Also proves
# there is an upgrade script into every release and into the current version. Prints TAP;
# run by make test (no database needed).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RELEASED=build/history/released
current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" pg_dialer.control)
releases=$(awk '/^[0-9]/ { print $1 }' sql_upgrade/releases)
# shellcheck disable=SC1091
source test/helpers/tap.sh

# Prints the commit release $1 was made from.
release_commit() {
  awk -v v="$1" '$1 == v { print $2 }' sql_upgrade/releases
}

# Prints each directive of template $1 that assembles differently now than from release
# $2's files, with the command that pins it (one whose files the release lacked is skipped).
name_drifted_directives() {
  local template=$1 version=$2 tree line_no directive released
  tree=$(bash tools/release_sql.sh --tree "$version") || return
  grep -n '^-- @' "$template" | while IFS=: read -r line_no directive; do
    released=$(cd "$tree" && printf '%s\n' "$directive" | awk -f "$ROOT/tools/assemble_sql.awk" 2>/dev/null) || continue
    [ "$(printf '%s\n' "$directive" | awk -f tools/assemble_sql.awk 2>&1)" = "$released" ] && continue
    echo "#   $template:$line_no: \"$directive\" no longer gives what $version released;"
    echo "#     pin it (one line, one file): bash tools/pin_sql.sh $template $line_no"
  done
}

# Checks released upgrade script $1 (pg_dialer--A--B.sql) against release B's.
check_released() {
  local script=$1 to=${1##*--} source now
  to=${to%.sql}
  if [ -f "sql_upgrade/$script.in" ]; then
    source=sql_upgrade/$script.in
    make -s "$script" >/dev/null 2>&1 || { tap_ok 1 "$source assembles"; return; }
    now=$script
  else
    source=sql_upgrade/$script
    now=$source
  fi
  if ! bash tools/release_sql.sh "$to" "$RELEASED" "$script"; then
    tap_ok 1 "$script is built as released in $to"
    return
  fi
  cmp -s "$now" "$RELEASED/$script"
  tap_ok $? "$script is byte-identical to the one released in $to ($(release_commit "$to" | cut -c1-7))"
  cmp -s "$now" "$RELEASED/$script" && return
  diff "$RELEASED/$script" "$now" | head -n 20 | sed 's/^/#   /'
  if [ "$source" = "sql_upgrade/$script.in" ]; then
    name_drifted_directives "$source" "$to"
  else
    echo "#   a released upgrade script never changes: git checkout $(release_commit "$to") -- $source"
  fi
}

for f in $(ls sql_upgrade/pg_dialer--*--*.sql sql_upgrade/pg_dialer--*--*.sql.in | sort -V); do
  script=$(basename "$f" .in)
  to=${script##*--}
  to=${to%.sql}
  if grep -qx "$to" <<<"$releases"; then
    check_released "$script"
  else
    echo "# $script: $to is not released yet (sql_upgrade/releases)"
  fi
done

# An upgrade script into every release after the first, and into the version in development.
previous=""
for version in $releases $current; do
  [ -n "$previous" ] && [ "$previous" != "$version" ] && {
    ls "sql_upgrade/pg_dialer--$previous--$version.sql"* >/dev/null 2>&1
    tap_ok $? "an upgrade script takes $previous to $version"
  }
  previous=$version
done
tap_done
