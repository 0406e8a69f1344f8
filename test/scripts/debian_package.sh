#!/usr/bin/env bash
# The Debian package: builds postgresql-15-pg-dialer with `dpkg-buildpackage -b -us -uc`
# in a temporary copy of this checkout (never in place) and checks the build left nothing
# git would see; installs it with dpkg into the system PostgreSQL 15; creates a cluster of
# the system installation (plain initdb + pg_ctl, temp dir, own port, unix socket only);
# creates the extension there and runs `make installcheck` against it; then purges the
# package and deletes the cluster and the copy, also on failure (trap). Needs root (dpkg);
# skipped otherwise, or when the package is already installed (it is never replaced).
# A lock serialises concurrent runs, which would otherwise remove each other's package.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
# shellcheck disable=SC1091
source test/helpers/tap.sh
# shellcheck source=scripts/cluster-lib.sh
source scripts/cluster-lib.sh
PKG=postgresql-15-pg-dialer
PGBIN=/usr/lib/postgresql/15/bin
PGCONF=$PGBIN/pg_config
LOCK=/tmp/pg_dialer-debian-package.lock
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" pg_dialer.control)
WORK="" CLUSTER="" INSTALLED_BY_US=0

# tap_skip <reason>: one skipped test and the plan, then exit successfully.
tap_skip() { echo "ok 1 # skip $1"; echo "1..1"; exit 0; }

# Prints a file's last lines as TAP diagnostics.
diag_tail() { tail -n "${2:-30}" "$1" 2>/dev/null | sed 's/^/#   /'; }

# Stops the test cluster, purges the package if this run installed it, deletes temp dirs.
cleanup() {
  if [ -n "$CLUSTER" ] && [ -f "$CLUSTER/data/postmaster.pid" ]; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$CLUSTER/data" -m immediate -w stop >/dev/null 2>&1
  fi
  if [ "$INSTALLED_BY_US" -eq 1 ]; then
    dpkg --purge "$PKG" >/dev/null 2>&1 && INSTALLED_BY_US=0
  fi
  case "$CLUSTER" in /tmp/pg_dialer-debcluster.*) rm -rf "$CLUSTER" ;; esac
  case "$WORK" in /tmp/pg_dialer-debbuild.*) rm -rf "$WORK" ;; esac
  CLUSTER="" WORK=""
}

[ "$(id -u)" -eq 0 ] || tap_skip "needs root to install a package"
for tool in dpkg-buildpackage dh pg_buildext flock; do
  command -v "$tool" >/dev/null || tap_skip "$tool missing (scripts/install-deps.sh installs it)"
done
[ -x "$PGCONF" ] || tap_skip "PostgreSQL 15 server development files missing"
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# 1. Build in a copy: the files git tracks or would track, nothing ignored.
WORK=$(mktemp -d /tmp/pg_dialer-debbuild.XXXXXX)
mkdir "$WORK/src"
git ls-files -z --cached --others --exclude-standard |
  tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$WORK/src"
( cd "$WORK/src" && git init -q && git add -A && git status --porcelain ) >"$WORK/status.before"
# The system's tools only: not a test cluster's private tree, nor the calling make's flags.
SYS_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
( cd "$WORK/src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL PATH="$SYS_PATH" DEB_BUILD_OPTIONS="parallel=2" \
    dpkg-buildpackage -b -us -uc ) >"$WORK/build.log" 2>&1
rc=$?
tap_ok $rc "dpkg-buildpackage -b -us -uc builds the package"
[ $rc -eq 0 ] || diag_tail "$WORK/build.log" 40
( cd "$WORK/src" && git status --porcelain ) >"$WORK/status.after"
cmp -s "$WORK/status.before" "$WORK/status.after"
tap_ok $? "the build leaves no file git would see in the tree"
diff "$WORK/status.before" "$WORK/status.after" | sed 's/^/#   /' | head -20
deb=$(ls "$WORK"/${PKG}_*.deb 2>/dev/null | head -1)
tap_is "$(dpkg-deb -f "$deb" Version 2>/dev/null | sed 's/-[^-]*$//')" "$version" \
  "package version is pg_dialer.control's default_version"
dpkg-deb -c "$deb" >"$WORK/contents" 2>/dev/null
missing=""
for f in /usr/lib/postgresql/15/lib/pg_dialer.so /usr/share/postgresql/15/extension/pg_dialer.control \
         "/usr/share/postgresql/15/extension/pg_dialer--$version.sql" /usr/share/doc/$PKG/copyright; do
  grep -q " \.$f\$" "$WORK/contents" || missing="$missing $f"
done
tap_is "${missing:-none}" none "package holds the module, control file, install script and copyright"
[ -n "$deb" ] || tap_done

# 2. Install into the system PostgreSQL 15 (one run at a time; never replace an install).
exec 9>"$LOCK"
flock -w 900 9 || { tap_ok 1 "lock $LOCK"; tap_done; }
if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q "ok installed"; then
  echo "# $PKG is already installed on this machine: not replacing it"; tap_done
fi
INSTALLED_BY_US=1
dpkg -i "$deb" >"$WORK/dpkg.log" 2>&1
rc=$?
tap_ok $rc "dpkg -i installs $PKG"
[ $rc -eq 0 ] || { diag_tail "$WORK/dpkg.log"; tap_done; }
tap_is "$(ls "$($PGCONF --pkglibdir)/pg_dialer.so" "$($PGCONF --sharedir)/extension/pg_dialer.control" 2>/dev/null | wc -l)" 2 \
  "module and control file are in the system installation"

# 3. A cluster of the system installation, set up without any project script.
CLUSTER=$(mktemp -d /tmp/pg_dialer-debcluster.XXXXXX)
mkdir "$CLUSTER/sock"
chown -R postgres:postgres "$CLUSTER"
port=$(pick_port)
runuser -u postgres -- "$PGBIN/initdb" -D "$CLUSTER/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
  >"$CLUSTER/initdb.log" 2>&1 &&
  printf "port = %s\nlisten_addresses = ''\nunix_socket_directories = '%s'\nfsync = off\n" "$port" "$CLUSTER/sock" \
    >>"$CLUSTER/data/postgresql.conf" &&
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$CLUSTER/data" -l "$CLUSTER/server.log" -w -t 60 start >/dev/null
rc=$?
tap_ok $rc "initdb + pg_ctl start a cluster of the system PostgreSQL 15 (port $port)"
[ $rc -eq 0 ] || { diag_tail "$CLUSTER/initdb.log"; diag_tail "$CLUSTER/server.log"; tap_done; }
export PGHOST=$CLUSTER/sock PGPORT=$port PGUSER=postgres PGDATABASE=postgres
unset PGSERVICE PGOPTIONS

"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE dialer_pkg" >/dev/null
have=$(PGDATABASE=dialer_pkg "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -c "CREATE EXTENSION pg_dialer" \
  -c "SELECT extversion || ' ' || dialer.e164('(415) 555-2671', 'US') FROM pg_extension WHERE extname = 'pg_dialer'" 2>&1)
tap_is "$have" "$version +14155552671" "CREATE EXTENSION pg_dialer works from the package"
"$PGBIN/psql" -X -q -c "DROP DATABASE dialer_pkg" >/dev/null

# 4. The regression suite, the PGXS way, against that server. ISOLATION= : the isolation
# specs test the queue, not the package, and have their own suite line in make test.
( cd "$WORK/src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL PATH="$PGBIN:$SYS_PATH" \
    make installcheck ISOLATION= PG_CONFIG="$PGCONF" ) >"$WORK/installcheck.log" 2>&1
rc=$?
tap_ok $rc "make installcheck passes against the packaged extension ($(grep -c '\.\.\. ok' "$WORK/installcheck.log") tests)"
[ $rc -eq 0 ] || { diag_tail "$WORK/installcheck.log"; head -n 60 "$WORK/src/regression.diffs" 2>/dev/null | sed 's/^/#   /'; }
tap_is "$("$PGBIN/psql" -X -At -c "SELECT count(*) FROM pg_roles WHERE rolname IN ('anon', 'authenticated', 'service_role', 'authenticator')")" 0 \
  "installcheck dropped the roles it created"

# 5. Remove everything; the system installation is as before.
cleanup
files=$(ls /usr/lib/postgresql/15/lib/pg_dialer.so /usr/share/postgresql/15/extension/pg_dialer* 2>/dev/null | wc -l)
tap_ok $(( INSTALLED_BY_US != 0 || files != 0 )) "package purged: no pg_dialer file left in the system installation"
dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'ok installed'
[ $? -ne 0 ]; tap_ok $? "$PKG is not installed any more"
tap_done
