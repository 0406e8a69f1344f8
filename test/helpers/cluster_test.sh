# shellcheck shell=bash
# The opening of a scripted test on the shared throwaway cluster (test/scripts/*.sh;
# sourced first, after `set -uo pipefail`): ROOT, the checkout's top directory as the
# working directory, the libpq environment of build/cluster.env and the TAP helpers.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
# shellcheck disable=SC1091
source build/cluster.env
# shellcheck source=test/helpers/tap.sh
source test/helpers/tap.sh

# use_test_db NAME: a fresh database NAME set up as a Supabase project is
# (scripts/setup-db.sh), which PGDATABASE names from here on.
use_test_db() {
  bash scripts/setup-db.sh "$1" >/dev/null
  export PGDATABASE=$1
}
