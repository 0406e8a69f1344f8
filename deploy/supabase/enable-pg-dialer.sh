#!/usr/bin/env bash
# Lets Supabase's non-superuser `postgres` create pg_dialer through supautils:
#   enable-pg-dialer.sh SUPAUTILS_CONF SCRIPTS_DIR [AFTER_CREATE_SQL]
# adds pg_dialer to supautils.privileged_extensions in SUPAUTILS_CONF (the supabase/postgres
# image: /etc/postgresql-custom/supautils.conf) and installs the after-create script as
# SCRIPTS_DIR/pg_dialer/after-create.sql (the image's custom scripts path:
# /etc/postgresql-custom/extension-custom-scripts). When the conf names no custom scripts
# path, sets supautils.extension_custom_scripts_path to SCRIPTS_DIR. Idempotent.
# Used by deploy/supabase/Dockerfile; run it by hand on a running container whose
# /etc/postgresql-custom is a volume created from an older image, then reload.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
conf=${1:?usage: enable-pg-dialer.sh SUPAUTILS_CONF SCRIPTS_DIR [AFTER_CREATE_SQL]}
scripts=${2:?usage: enable-pg-dialer.sh SUPAUTILS_CONF SCRIPTS_DIR [AFTER_CREATE_SQL]}
after=${3:-}
if [ -z "$after" ]; then
  for candidate in "$HERE/after-create.sql" "$HERE/../../supabase/extension-scripts/pg_dialer/after-create.sql"; do
    [ -f "$candidate" ] && { after=$candidate; break; }
  done
fi
[ -f "$after" ] || { echo "enable-pg-dialer: no after-create.sql found (pass it as the third argument)" >&2; exit 1; }
[ -f "$conf" ] || : >"$conf"

# Prints the value of setting $1 in the conf (the last assignment wins, as in PostgreSQL).
setting() {
  grep -E "^[[:space:]]*$1[[:space:]]*=" "$conf" | tail -n 1 | sed -E "s/^[^=]*=[[:space:]]*'([^']*)'.*$/\1/" || true
}

current=$(setting 'supautils\.privileged_extensions')
if printf '%s' "$current" | tr ',' '\n' | sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | grep -qx pg_dialer; then
  echo "enable-pg-dialer: pg_dialer already in supautils.privileged_extensions"
elif grep -qE '^[[:space:]]*supautils\.privileged_extensions[[:space:]]*=' "$conf"; then
  new=${current:+$current, }pg_dialer
  tmp=$(mktemp)
  awk -v new="$new" '
    /^[[:space:]]*supautils\.privileged_extensions[[:space:]]*=/ { line = NR }
    { lines[NR] = $0 }
    END { for (i = 1; i <= NR; i++) print (i == line ? "supautils.privileged_extensions = '\''" new "'\''" : lines[i]) }
  ' "$conf" >"$tmp"
  cat "$tmp" >"$conf"; rm -f "$tmp"
  echo "enable-pg-dialer: pg_dialer added to supautils.privileged_extensions"
else
  printf "supautils.privileged_extensions = 'pg_dialer'\n" >>"$conf"
  echo "enable-pg-dialer: supautils.privileged_extensions = 'pg_dialer'"
fi

if [ -z "$(setting 'supautils\.(privileged_)?extension(s)?_custom_scripts_path')" ]; then
  printf "supautils.extension_custom_scripts_path = '%s'\n" "$scripts" >>"$conf"
  echo "enable-pg-dialer: supautils.extension_custom_scripts_path = '$scripts'"
fi

mkdir -p "$scripts/pg_dialer"
cp "$after" "$scripts/pg_dialer/after-create.sql"
echo "enable-pg-dialer: installed $scripts/pg_dialer/after-create.sql"
