#!/usr/bin/env bash
# Counts the isolation specs' permutations that passed and failed after `make
# isolationcheck`: each permutation block ("starting permutation: ...") of
# output_iso/results/SPEC.out against the same block of expected/SPEC.out or of an
# alternative expected/SPEC_N.out (the one matching most blocks). A permutation missing
# from the results (a crash, a timeout) fails. Prints "PASSED FAILED" on stdout and the
# failed permutations on stderr.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# split FILE DIR: one file per permutation block, named 1, 2, ...
split_blocks() {
  mkdir -p "$2"
  [ -f "$1" ] || return 0
  awk -v dir="$2" '/^starting permutation: / { n++ } n > 0 { f = dir "/" n; print > f }' "$1"
}

pass=0
fail=0
for spec in specs/*.spec; do
  name=$(basename "$spec" .spec)
  split_blocks "output_iso/results/$name.out" "$tmp/$name/results"
  best_pass=-1
  best_failed=""
  for exp in "expected/$name.out" expected/"$name"_[0-9].out; do
    [ -f "$exp" ] || continue
    rm -rf "$tmp/$name/expected"
    split_blocks "$exp" "$tmp/$name/expected"
    p=0
    failed=""
    for block in $(ls "$tmp/$name/expected" | sort -n); do
      if cmp -s "$tmp/$name/expected/$block" "$tmp/$name/results/$block" 2>/dev/null; then
        p=$((p + 1))
      else
        failed+="$name: $(head -n 1 "$tmp/$name/expected/$block")"$'\n'
      fi
    done
    total=$(ls "$tmp/$name/expected" | wc -l)
    if [ "$p" -gt "$best_pass" ]; then best_pass=$p; best_total=$total; best_failed=$failed; fi
  done
  [ "$best_pass" -lt 0 ] && { echo "$name: no expected output" >&2; fail=$((fail + 1)); continue; }
  pass=$((pass + best_pass))
  fail=$((fail + best_total - best_pass))
  printf '%s' "$best_failed" >&2
done
echo "$pass $fail"
