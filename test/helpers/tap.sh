# Shared helpers for the scripted multi-connection tests (sourced, not run): TAP
# output and a psql wrapper. Each test prints "ok N - ..." / "not ok N - ..." lines
# and a final plan; the test runner counts them.
TAP_N=0
TAP_FAILED=0

# ok <condition-exit-status> <description>: one TAP line.
tap_ok() {
  TAP_N=$((TAP_N + 1))
  if [ "$1" -eq 0 ]; then echo "ok $TAP_N - $2"; else echo "not ok $TAP_N - $2"; TAP_FAILED=1; fi
}

# tap_is <have> <want> <description>: equality check with a diagnostic on failure.
tap_is() {
  if [ "$1" = "$2" ]; then tap_ok 0 "$3"; else tap_ok 1 "$3"; echo "#   have: $1"; echo "#   want: $2"; fi
}

# q <sql>: one value from the test database, unaligned, no headers.
q() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

# tap_done: the plan line and the exit status.
tap_done() { echo "1..$TAP_N"; exit "$TAP_FAILED"; }
