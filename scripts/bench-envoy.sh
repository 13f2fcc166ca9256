#!/usr/bin/env bash
# `make bench-envoy`: Envoy alone vs Envoy + Portcullis, measured as
# TARGETS.md section 1 does (scripts/bench_envoy.py): Envoy --concurrency 1 in
# front of nginx `return 200`, wrk -t1 -c16 sending the corpus requests b01
# (get), b02 (form300), b03 (json4k) byte for byte; configurations Envoy
# alone, filter + @builtin, filter + @crs, filter + @builtin + @crs. Reports
# Envoy CPU µs per request, req/s, p50/p99, RSS, time to ready, wasm size and
# the cold build time. Installs Debian's wrk and nginx when missing (apt; the
# bench runs its own nginx from a config in tmp/, the system service is not
# used). Not part of `make test`.
#   SKIP_COLD_BUILD=1 make bench-envoy    # skip the (slow) cold build timing
#   BENCH_SECONDS=20 make bench-envoy     # wrk duration per configuration and request
#   BENCH_REQUESTS=b01,b02 make bench-envoy   # corpus requests to send
#   BENCH_ROUNDS=3 make bench-envoy       # interleaved repetitions, medians reported
#   BENCH_CORPUS=/path/to/corpus          # default ../shared/corpus, else tests/corpus
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

apt_install() {
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
    else
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
    fi
}
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
{ command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null 2>&1 || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
    echo "bench: installing ${missing[*]} (Debian)" >&2
    # nginx is optional (the bench falls back to the demo backend and says so); wrk is not.
    apt_install "${missing[@]}" || echo "bench: apt-get install ${missing[*]} failed" >&2
    command -v wrk >/dev/null 2>&1 || { echo "bench: wrk is required" >&2; exit 1; }
fi
[ -f target/wasm32-wasip1/release/portcullis.wasm ] || cargo build --release --target wasm32-wasip1 -p portcullis
args=(--seconds "${BENCH_SECONDS:-10}" --requests "${BENCH_REQUESTS:-b01,b02,b03}" --rounds "${BENCH_ROUNDS:-1}")
[ -n "${BENCH_CORPUS:-}" ] && args+=(--corpus "$BENCH_CORPUS")
[ -n "${SKIP_COLD_BUILD:-}" ] && args+=(--skip-cold-build)
exec "${VENV:-$ROOT/.venv}/bin/python" scripts/bench_envoy.py "${args[@]}"
