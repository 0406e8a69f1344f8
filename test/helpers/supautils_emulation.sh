# shellcheck shell=bash
# What supautils does for a privileged extension, for clusters without supautils
# (sourced, not run). Used by test/scripts/supabase_roles.sh on a cluster whose
# superuser is supabase_admin (test/helpers/supabase_platform.sql).
#
# supautils, when a non-superuser runs CREATE EXTENSION for an extension listed in
# supautils.privileged_extensions, switches to the configured superuser for that one
# statement (the extension and its objects are owned by the superuser), runs
# <custom scripts path>/<extension>/after-create.sql as that superuser, and switches
# back; the rest of the transaction runs as the caller. Here a psql session logged in
# as the superuser does the same with SET SESSION AUTHORIZATION: every statement of a
# migration runs as postgres (session and current user, no superuser rights) except
# each CREATE EXTENSION of a privileged extension, which runs as the superuser and is
# followed by the extension's after-create script when it created the extension.
#
# Settings (environment):
#   SUPAUTILS_PRIVILEGED_EXTENSIONS  space-separated names (default: pg_dialer pgtap)
#   SUPAUTILS_SCRIPTS_PATH           the custom scripts directory
#                                    (default: supabase/extension-scripts of this checkout)
#   SUPAUTILS_CALLER                 the role migrations run as (default: postgres)
SUPAUTILS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SUPAUTILS_PRIVILEGED_EXTENSIONS=${SUPAUTILS_PRIVILEGED_EXTENSIONS:-pg_dialer pgtap}
SUPAUTILS_SCRIPTS_PATH=${SUPAUTILS_SCRIPTS_PATH:-$SUPAUTILS_ROOT/supabase/extension-scripts}
SUPAUTILS_CALLER=${SUPAUTILS_CALLER:-postgres}

# Prints the extension a one-line CREATE EXTENSION statement $1 creates, if privileged.
supautils_privileged_extension() {
  local name
  name=$(printf '%s\n' "$1" | sed -nE 's/^[[:space:]]*create[[:space:]]+extension[[:space:]]+(if[[:space:]]+not[[:space:]]+exists[[:space:]]+)?"?([A-Za-z0-9_]+)"?.*$/\2/Ip')
  [ -n "$name" ] || return 1
  case " $SUPAUTILS_PRIVILEGED_EXTENSIONS " in *" $name "*) echo "$name" ;; *) return 1 ;; esac
}

# Prints a psql script applying SQL file $1 in one transaction the way supautils would.
supautils_script() {
  local file=$1 line ext after
  printf '%s\n' '\set ON_ERROR_STOP 1'
  echo 'BEGIN;'
  echo "SET SESSION AUTHORIZATION $SUPAUTILS_CALLER;"
  while IFS= read -r line || [ -n "$line" ]; do
    if ext=$(supautils_privileged_extension "$line"); then
      after="$SUPAUTILS_SCRIPTS_PATH/$ext/after-create.sql"
      echo "-- supautils: $ext is privileged; created by the superuser"
      echo 'RESET SESSION AUTHORIZATION;'
      printf '%s \\gset\n' "SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = '$ext') AS supautils_creates"
      printf '%s\n' "$line"
      if [ -f "$after" ]; then
        printf '%s\n' '\if :supautils_creates' "\\i '$after'" '\endif'
      fi
      echo "SET SESSION AUTHORIZATION $SUPAUTILS_CALLER;"
    else
      printf '%s\n' "$line"
    fi
  done <"$file"
  echo 'COMMIT;'
}

# Applies SQL file $1 to database $2 as supautils would; the connection is the superuser's.
supautils_apply() {
  supautils_script "$1" | psql -X -q -v ON_ERROR_STOP=1 -d "$2" -f -
}
