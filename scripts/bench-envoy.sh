#!/usr/bin/env bash
# `make bench-envoy`: Envoy with vs without the Portcullis filter on loopback.
# Installs Debian's wrk when missing (apt), then runs scripts/bench_envoy.py:
# wasm size, cold release build time of the filter, Envoy RSS and
# time-to-ready with/without the filter, wrk req/s and Envoy CPU per request
# for a GET with 5 query args, all in the same run.
#   SKIP_COLD_BUILD=1 make bench-envoy   # skip the (slow) cold build timing
#   BENCH_SECONDS=20 make bench-envoy    # wrk duration per configuration
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if ! command -v wrk >/dev/null 2>&1; then
    echo "bench: installing wrk (Debian)" >&2
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq wrk
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq wrk
    fi
fi
[ -f target/wasm32-wasip1/release/portcullis.wasm ] || cargo build --release --target wasm32-wasip1 -p portcullis
args=()
[ -n "${SKIP_COLD_BUILD:-}" ] && args+=(--skip-cold-build)
exec "${VENV:-$ROOT/.venv}/bin/python" scripts/bench_envoy.py --seconds "${BENCH_SECONDS:-10}" "${args[@]}"
