#!/usr/bin/env bash
# Packaging metadata agrees with the spec and with pg_dialer.control: META.json against
# the PGXN Meta Spec 1.0.0 (test/helpers/check_meta.pl), then debian/: the changelog's
# upstream version, debian/control generated from control.in, the licence in copyright.
# No database and no package build (test/scripts/debian_package.sh builds one).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
# shellcheck disable=SC1091
source test/helpers/tap.sh
mkdir -p build
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" pg_dialer.control)

perl test/helpers/check_meta.pl META.json >build/check_meta.tap 2>&1
meta_rc=$?
# Re-number the checker's TAP lines into this test's sequence.
while IFS= read -r line; do
  case "$line" in
    "ok "*) tap_ok 0 "META.json: ${line#ok * - }" ;;
    "not ok "*) tap_ok 1 "META.json: ${line#not ok * - }" ;;
    "#"*) echo "$line" ;;
  esac
done < <(grep -v '^1\.\.' build/check_meta.tap)
[ "$meta_rc" -eq 0 ] || [ "$TAP_FAILED" -eq 1 ] || tap_ok 1 "META.json checker exited $meta_rc"

deb_version=$(dpkg-parsechangelog -l debian/changelog -SVersion 2>/dev/null)
tap_is "${deb_version%-*}" "$version" "debian/changelog's upstream version is pg_dialer.control's default_version"
if command -v pg_buildext >/dev/null; then
  out=$(pg_buildext checkcontrol 2>&1); rc=$?
  tap_ok $rc "debian/control is up to date with debian/control.in (pg_buildext checkcontrol)"
  [ $rc -eq 0 ] || echo "$out" | head -20 | sed 's/^/#   /'
fi
grep -q '^License: PostgreSQL$' debian/copyright && grep -q '^License: Apache-2.0$' debian/copyright &&
  grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' debian/copyright
tap_ok $? "debian/copyright (DEP-5) names the PostgreSQL License and Apache-2.0 for the data"
tap_done
