#!/usr/bin/env bash
# Engine benchmark: instructions per request (callgrind, stable) and wall time
# (noisy) for the corpus with CRS at PL1 and PL2, plus rule-set load time.
# Usage: scripts/bench-engine.sh [requests...]   (default: b01 b02 b03)
set -euo pipefail
cd "$(dirname "$0")/.."
reqs=("${@:-b01 b02 b03}")
[ $# -gt 0 ] || reqs=(b01 b02 b03)
bin=$(bash scripts/build-engine-bench.sh)
iters=${PORTCULLIS_BENCH_ITERS:-20}
if command -v valgrind >/dev/null; then
  # Each request through the exchange contract as the filter drives it,
  # with the early request decision (the default) and without it.
  echo "instructions per request (callgrind, $iters requests each, engine only; early = early request decision):"
  printf "%-6s %14s %14s %14s %14s\n" request "PL1 early" "PL1 no early" "PL2 early" "PL2 no early"
  for r in "${reqs[@]}"; do
    row=""
    for pl in 1 2; do
      for early in 1 0; do
        out=$(mktemp)
        (cd crates/engine && PORTCULLIS_BENCH_ONLY=$r PORTCULLIS_BENCH_PL=$pl PORTCULLIS_BENCH_ITERS=$iters \
          PORTCULLIS_BENCH_EARLY=$early \
          valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect='*measured_requests*' "$bin" >/dev/null 2>"$out.log")
        n=$(grep -o 'Collected : [0-9]*' "$out.log" | grep -o '[0-9]*$')
        row="$row $(printf '%14s' $(( n / iters )))"
        rm -f "$out" "$out.log"
      done
    done
    printf "%-6s%s\n" "$r" "$row"
  done
else
  echo "valgrind not installed: skipping instruction counts" >&2
fi
echo
(cd crates/engine && "$bin")
