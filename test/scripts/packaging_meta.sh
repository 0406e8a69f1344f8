#!/usr/bin/env bash
# Packaging metadata agrees with the spec and with pg_dialer.control: META.json
# against the PGXN Meta Spec 1.0.0 (test/helpers/check_meta.pl). No database needed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
exec perl test/helpers/check_meta.pl META.json
