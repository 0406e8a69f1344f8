#!/usr/bin/env bash
# Builds a released version's SQL scripts from the repository's history, with the Makefile
# of the commit the version was released from (sql_upgrade/releases), so the tree keeps no
# copy of an earlier release's install script.
#
#   tools/release_sql.sh VERSION DESTDIR [FILE...]  the release's FILEs, as it shipped them,
#                                                   into DESTDIR (default: its install
#                                                   script pg_dialer--VERSION.sql)
#   tools/release_sql.sh --all DESTDIR              every release's install script
#   tools/release_sql.sh --tree VERSION             prints the directory holding the
#                                                   release's source tree
#
# A release's tree is extracted once into build/history/<commit>/ (a commit never changes).
# Needs the history: in a shallow clone it fails and says how to fetch it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RELEASES=$ROOT/sql_upgrade/releases
PG_CONFIG=${PG_CONFIG:-pg_config}

# Reports an error and stops.
die() {
  echo "release_sql: $*" >&2
  exit 1
}

# Prints the commit VERSION was released from.
release_commit() {
  local commit
  commit=$(awk -v v="$1" '$1 == v { print $2 }' "$RELEASES")
  [ -n "$commit" ] || die "no release $1 in sql_upgrade/releases"
  echo "$commit"
}

# Stops with how to get the history when COMMIT (of release VERSION) is not in this clone.
require_commit() {
  git -C "$ROOT" cat-file -e "$1^{commit}" 2>/dev/null && return
  if [ "$(git -C "$ROOT" rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
    die "release $2 is built from commit $1, which this shallow clone lacks: run 'git fetch --unshallow' (or clone without --depth)"
  fi
  die "release $2 is built from commit $1, which is not in the history of $ROOT (a full clone of the repository has it)"
}

# Extracts VERSION's commit into build/history/<commit>/ unless done; prints the directory.
release_tree() {
  local commit dir tmp
  commit=$(release_commit "$1")
  require_commit "$commit" "$1"
  dir=$ROOT/build/history/$commit
  if [ ! -d "$dir" ]; then
    mkdir -p "$ROOT/build/history"
    tmp=$(mktemp -d "$ROOT/build/history/.extract.XXXXXX")
    git -C "$ROOT" archive "$commit" | tar -x -C "$tmp" || die "could not extract commit $commit"
    # Another run may have extracted it meanwhile: keep the first.
    mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
  fi
  echo "$dir"
}

# Copies release VERSION's FILE into DESTDIR: the file itself when the release kept it in
# sql_upgrade/, else what the release's own Makefile builds under that name.
release_file() {
  local dir=$1 version=$2 destdir=$3 file=$4
  if [ -f "$dir/sql_upgrade/$file" ]; then
    cp "$dir/sql_upgrade/$file" "$destdir/$file"
    return
  fi
  # One make at a time per tree: older Makefiles write their target in place.
  flock "$dir/.make.lock" make -s -C "$dir" PG_CONFIG="$PG_CONFIG" "$file" >/dev/null ||
    die "the Makefile of release $version ($(release_commit "$version")) could not build $file"
  cp "$dir/$file" "$destdir/$file"
}

# Builds release VERSION's FILEs (default: its install script) into DESTDIR.
build_release() {
  local version=$1 destdir=$2 dir file
  shift 2
  dir=$(release_tree "$version")
  mkdir -p "$destdir"
  [ $# -gt 0 ] || set -- "pg_dialer--$version.sql"
  for file in "$@"; do release_file "$dir" "$version" "$destdir" "$file"; done
}

[ -f "$RELEASES" ] || die "missing $RELEASES"
case "${1:-}" in
  --all)
    [ $# -eq 2 ] || die "usage: $0 --all DESTDIR"
    for version in $(awk '/^[0-9]/ { print $1 }' "$RELEASES"); do build_release "$version" "$2"; done ;;
  --tree)
    [ $# -eq 2 ] || die "usage: $0 --tree VERSION"
    release_tree "$2" ;;
  [0-9]*)
    [ $# -ge 2 ] || die "usage: $0 VERSION DESTDIR [FILE...]"
    build_release "$@" ;;
  *) die "usage: $0 VERSION DESTDIR [FILE...] | --all DESTDIR | --tree VERSION" ;;
esac
