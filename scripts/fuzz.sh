#!/usr/bin/env bash
# `make fuzz`: builds each test/fuzz/*_fuzz.cpp with clang-14 libFuzzer + ASan +
# UBSan against the pure cores and runs it for FUZZ_SECONDS (default 60) each.
# A crash, a leak or a sanitizer report fails the run. Everything a run writes (binaries,
# grown corpora, crash-/leak-/slow-unit-* reproducers) stays under build/fuzz/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/install-deps.sh
SECONDS_EACH=${FUZZ_SECONDS:-60}
CORE_SRCS=$(find src -name '*.cpp' -not -path 'src/pg/*' | sort)
LIBS=$(sed -n 's/^CORE_LIBS = //p' Makefile)
mkdir -p build/fuzz/artifacts
found=0
for f in test/fuzz/*_fuzz.cpp; do
  [ -e "$f" ] || continue
  found=1
  name=$(basename "$f" .cpp)
  echo "== building $name"
  # shellcheck disable=SC2086
  clang++-14 -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -Isrc -include src/common/pure_core.hpp -o "build/fuzz/$name" "$f" $CORE_SRCS $LIBS
  mkdir -p "build/fuzz/$name.corpus"
  seeds="test/fuzz/corpus/${name%_fuzz}"
  echo "== running $name for ${SECONDS_EACH}s"
  "build/fuzz/$name" -max_total_time="$SECONDS_EACH" -detect_leaks=1 \
    -artifact_prefix="build/fuzz/artifacts/$name-" "build/fuzz/$name.corpus" \
    $( [ -d "$seeds" ] && echo "$seeds" ) 2>&1 | tail -n 5
done
[ "$found" -eq 1 ] || echo "no fuzz targets yet"
