# shellcheck shell=bash
# Shared by the scripts that make a PostgreSQL cluster of their own (scripts/cluster.sh,
# test/scripts/reliability_crash.sh, test/scripts/debian_package.sh): sourced, never run.

# as_owner CMD...: runs a command as the cluster's OS user (postgres when we are root:
# initdb refuses root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pick_port: prints a port number not used by any listening socket or other cluster.
pick_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! ss -Hltn 2>/dev/null | awk '{print $4}' | grep -q ":$p\$" &&
       ! ls /var/run/postgresql/.s.PGSQL.$p >/dev/null 2>&1; then
      echo "$p"; return
    fi
  done
  echo "cluster: no free port found" >&2; return 1
}

# init_socket_cluster DIR BIN PORT: BIN's initdb of DIR/data (initdb's output in
# DIR/initdb.log), owned by as_owner's user, set to listen on the unix socket in DIR/sock
# at PORT and nowhere else; the caller appends its own settings to DIR/data/postgresql.conf.
init_socket_cluster() {
  local dir=$1 bin=$2 port=$3
  mkdir -p "$dir/sock"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$dir"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    return 1
  printf "port = %s\nlisten_addresses = ''\nunix_socket_directories = '%s'\n" "$port" "$dir/sock" \
    >>"$dir/data/postgresql.conf"
}
