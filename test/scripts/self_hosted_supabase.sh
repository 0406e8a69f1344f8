#!/usr/bin/env bash
# The self-hosted Supabase guide (docs/self-hosted-supabase.md), every step that can run
# without a Docker engine: the build against a PG_CONFIG that is passed in, installed into
# a staging DESTDIR the way deploy/supabase/Dockerfile installs it (module, control file,
# install and upgrade scripts where that pg_config says); the supautils settings
# written by deploy/supabase/enable-pg-dialer.sh (pg_dialer added once to
# privileged_extensions, other entries kept, the custom scripts path, the after-create
# script installed); the Dockerfile copies only files that exist, enough to build, and
# runs those same steps. Applying the migrations as postgres is test/scripts/supabase_roles.sh.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
# shellcheck disable=SC1091
source test/helpers/tap.sh
PG_CONFIG_UNDER_TEST=${PG_CONFIG_UNDER_TEST:-/usr/lib/postgresql/15/bin/pg_config}
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" pg_dialer.control)
work=$(mktemp -d /tmp/pg_dialer_selfhosted.XXXXXX)
trap 'rm -rf "$work"' EXIT

# ---- build and install into a staging directory ----------------------------------
make -s PG_CONFIG="$PG_CONFIG_UNDER_TEST" >"$work/build.log" 2>&1 &&
  make -s PG_CONFIG="$PG_CONFIG_UNDER_TEST" install DESTDIR="$work/stage" >>"$work/build.log" 2>&1
rc=$?
tap_ok $rc "make PG_CONFIG=$PG_CONFIG_UNDER_TEST install DESTDIR=<staging> succeeds"
[ $rc -eq 0 ] || tail -n 20 "$work/build.log" | sed 's/^/#   /'
lib="$work/stage$("$PG_CONFIG_UNDER_TEST" --pkglibdir)"
ext="$work/stage$("$PG_CONFIG_UNDER_TEST" --sharedir)/extension"
tap_ok "$([ -f "$lib/pg_dialer.so" ] && [ "$(nm -D --defined-only "$lib/pg_dialer.so" | grep -c ' Pg_magic_func$')" = 1 ] && echo 0 || echo 1)" \
  "the staging tree has pg_dialer.so (with its magic block) in pg_config's pkglibdir"
tap_ok "$([ -f "$ext/pg_dialer.control" ] && [ -f "$ext/pg_dialer--$version.sql" ] && echo 0 || echo 1)" \
  "and pg_dialer.control and pg_dialer--$version.sql in pg_config's sharedir/extension"
missing=0
for f in sql_upgrade/pg_dialer--*--*.sql sql_upgrade/pg_dialer--*--*.sql.in; do
  f=$(basename "$f" .in)
  [ -f "$ext/$f" ] || { missing=1; echo "#   missing $f"; }
done
tap_ok $missing "and every upgrade script of sql_upgrade/ (templates assembled)"
tap_is "$(cd "$ext" && ls pg_dialer--*.sql | grep -v -- '--.*--')" "pg_dialer--$version.sql" \
  "and no earlier release's install script (those are built from history for the tests only)"
tap_is "$(ldd "$lib/pg_dialer.so" | grep -c 'not found')" "0" "every library pg_dialer.so links to resolves"
tap_is "$(find "$work/stage" -type f | grep -vc -e "^$lib/" -e "^$ext/")" "0" \
  "nothing is installed outside those two directories"

# ---- supautils settings ----------------------------------------------------------
conf=$work/supautils.conf
cat >"$conf" <<'CONF'
supautils.placeholders = 'response.headers'
supautils.privileged_extensions = 'citext, hstore, pgtap'
supautils.privileged_extensions_superuser = 'supabase_admin'
supautils.privileged_role = 'postgres'
CONF
bash deploy/supabase/enable-pg-dialer.sh "$conf" "$work/scripts" >"$work/enable.log" 2>&1
tap_ok $? "enable-pg-dialer.sh runs"
tap_is "$(grep -c '^supautils.privileged_extensions = ' "$conf")|$(sed -n "s/^supautils.privileged_extensions = //p" "$conf")" \
  "1|'citext, hstore, pgtap, pg_dialer'" "pg_dialer joins supautils.privileged_extensions, the other entries kept"
tap_is "$(sed -n "s/^supautils.extension_custom_scripts_path = //p" "$conf")" "'$work/scripts'" \
  "a conf without a custom scripts path gets supautils.extension_custom_scripts_path"
tap_ok "$(cmp -s supabase/extension-scripts/pg_dialer/after-create.sql "$work/scripts/pg_dialer/after-create.sql" && echo 0 || echo 1)" \
  "the after-create script is installed as <custom scripts path>/pg_dialer/after-create.sql"
cp "$conf" "$work/once.conf"
bash deploy/supabase/enable-pg-dialer.sh "$conf" "$work/scripts" >>"$work/enable.log" 2>&1
tap_ok "$(cmp -s "$conf" "$work/once.conf" && echo 0 || echo 1)" "running it again changes nothing"
printf "supautils.privileged_extensions_custom_scripts_path = '/etc/x'\n" >"$work/old.conf"
bash deploy/supabase/enable-pg-dialer.sh "$work/old.conf" "$work/scripts" >>"$work/enable.log" 2>&1
tap_is "$(tr '\n' '|' <"$work/old.conf")" \
  "supautils.privileged_extensions_custom_scripts_path = '/etc/x'|supautils.privileged_extensions = 'pg_dialer'|" \
  "an older supautils conf keeps its privileged_extensions_custom_scripts_path and gains the list"

# ---- the Dockerfile runs those steps ---------------------------------------------
missing=0
for src in $(awk '/^COPY / { for (i = 2; i < NF; i++) if ($i !~ /^--/) print $i }' deploy/supabase/Dockerfile); do
  [ -e "$src" ] || { missing=1; echo "#   COPY source missing: $src"; }
done
tap_ok $missing "every file deploy/supabase/Dockerfile copies exists"
# What it copies to the build directory is enough to build (here the SQL scripts and the
# generated headers, not the compile): COPY SRC... DEST, DEST a directory when it ends in /.
image=$work/image
awk '/^COPY / && $NF ~ /^\/usr\/local\/src\/pg_dialer\// { for (i = 2; i < NF; i++) print $i, $NF }' deploy/supabase/Dockerfile |
  while read -r src dest; do
    dest=$image/${dest#/usr/local/src/pg_dialer/}
    case "$dest" in */) mkdir -p "$dest" && cp -r "$src" "$dest" ;; *) mkdir -p "$(dirname "$dest")" && cp -r "$src" "$dest" ;; esac
  done
scripts="pg_dialer--$version.sql $(cd sql_upgrade && ls pg_dialer--*--*.sql.in | sed 's/\.in$//')"
# shellcheck disable=SC2086
make -s -C "$image" PG_CONFIG="$PG_CONFIG_UNDER_TEST" $scripts build/generated/builtin_rule_packs.inc \
  build/generated/stats_counters.inc >"$work/image.log" 2>&1
rc=$?
tap_ok $rc "and those files build the install script, every upgrade script and the generated headers"
[ $rc -eq 0 ] || tail -n 5 "$work/image.log" | sed 's/^/#   /'
# shellcheck disable=SC2016
tap_ok "$(grep -q 'make install PG_CONFIG="$PG_CONFIG"' deploy/supabase/Dockerfile &&
          grep -q 'enable-pg-dialer.sh' deploy/supabase/Dockerfile &&
          grep -q '/etc/postgresql-custom/supautils.conf /etc/postgresql-custom/extension-custom-scripts' deploy/supabase/Dockerfile &&
          echo 0 || echo 1)" "the Dockerfile installs with the image's PG_CONFIG and runs enable-pg-dialer.sh on the image's supautils paths"
tap_done
