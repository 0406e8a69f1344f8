#!/usr/bin/env bash
# Pins one directive of a released upgrade template to what its release shipped (as citus
# keeps udfs/<name>/<version>.sql): writes sql_upgrade/objects/<name>/<version>.sql, the
# directive as assembled from the release commit's files, and replaces the directive with
# "-- @include" of that file, so the assembled upgrade stays byte-identical whatever
# sql_src/ becomes. test/check_released_upgrades.sh names the directives to pin.
#
#   tools/pin_sql.sh sql_upgrade/pg_dialer--A--B.sql.in LINE
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# Reports an error and stops.
die() {
  echo "pin_sql: $*" >&2
  exit 1
}

# Prints the object a directive names: the function, the file's base name (@include,
# @from), or the statement's first words.
object_name() {
  set -- $1
  case "$2" in
    @function) echo "$4" ;;
    @include | @from) basename "${3%.*}" ;;
    @statement) shift 3; echo "$*" | tr 'A-Z' 'a-z' | tr -cs 'a-z0-9_.' '_' | sed 's/^_*//; s/_*$//' | cut -c1-60 ;;
  esac
}

[ $# -eq 2 ] || die "usage: $0 sql_upgrade/pg_dialer--A--B.sql.in LINE"
template=$1
line=$2
[ -f "$template" ] || die "no template $template"
version=$(basename "$template" .sql.in)
version=${version##*--}
directive=$(sed -n "${line}p" "$template")
case "$directive" in
  "-- @function "* | "-- @statement "* | "-- @from "* | "-- @include "*) ;;
  *) die "line $line of $template is not a directive to pin: $directive" ;;
esac
file=sql_upgrade/objects/$(object_name "$directive")/$version.sql
[ -e "$file" ] && die "$file exists already"
tree=$(bash tools/release_sql.sh --tree "$version")
mkdir -p "$(dirname "$file")"
(cd "$tree" && printf '%s\n' "$directive" | awk -f "$ROOT/tools/assemble_sql.awk") >"$file.tmp" ||
  { rm -f "$file.tmp"; die "release $version's tree cannot assemble \"$directive\""; }
mv "$file.tmp" "$file"
sed -i "${line}s|.*|-- @include $file|" "$template"
echo "pinned $template:$line to $file (was: $directive)"
