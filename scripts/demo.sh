#!/usr/bin/env bash
# `make demo`: the collector (:8686), the demo backend (:8080) and Envoy
# (:10000, admin :9901) with the Portcullis filter in block mode, all in the
# foreground of this script; Ctrl-C stops everything.
# Assumes `make setup build` ran (make demo does it).
#   PORTCULLIS_RULES=@builtin make demo        # choose the rule packs (default:
#                                              # @builtin,@crs when a CRS is embedded)
#   PORTCULLIS_MODE=monitor make demo          # DetectionOnly
#   DEMO_TRAFFIC=1 make demo                   # send a little mixed traffic once it is up
#   PORTCULLIS_ADMIN_TOKEN=... make demo       # the console's admin token (else generated)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VENV:-$ROOT/.venv}"
ENVOY="$VENV/bin/envoy"
CLI="$ROOT/target/release/portcullis"
WASM="$ROOT/target/wasm32-wasip1/release/portcullis.wasm"
RUN="$ROOT/tmp/demo"
mkdir -p "$RUN"

for f in "$ENVOY" "$CLI" "$WASM"; do
    [ -e "$f" ] || { echo "demo: $f missing: run 'make setup build'" >&2; exit 2; }
done
for port in 8080 8686 9901 10000; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "demo: port $port is already in use" >&2
        exit 2
    fi
done

# Default rules: the built-in pack, plus the CRS when one is there to embed.
# (CRS_DIR, else ../shared/crs/v4.28.0, else tmp/crs/v4.28.0 from `make crs`, as build.rs looks).
crs="${CRS_DIR:-}"
[ -n "$crs" ] || for crs in "$ROOT/../shared/crs/v4.28.0" "$ROOT/tmp/crs/v4.28.0"; do [ -d "$crs/rules" ] && break; done
if [ -z "${PORTCULLIS_RULES:-}" ] && [ -d "$crs/rules" ]; then
    PORTCULLIS_RULES="@builtin,@crs"
fi
args=()
[ -n "${PORTCULLIS_RULES:-}" ] && args+=(--rules "$PORTCULLIS_RULES")
[ -n "${PORTCULLIS_MODE:-}" ] && args+=(--mode "$PORTCULLIS_MODE")
# The collector: the admin token for its API is PORTCULLIS_ADMIN_TOKEN when set, else generated
# here; the demo Envoy is registered as node `demo` (a fresh database each run), its token goes
# into the rendered plugin configuration (tmp/demo/plugin.json, not the repository's). The token
# is kept in tmp/demo/node-token so a second run reuses the database and its node.
if [ -z "${PORTCULLIS_ADMIN_TOKEN:-}" ]; then
    PORTCULLIS_ADMIN_TOKEN="pca_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
fi
export PORTCULLIS_ADMIN_TOKEN
if [ ! -s "$RUN/node-token" ] || [ ! -e "$RUN/verdicts.db" ]; then
    rm -f "$RUN/verdicts.db" "$RUN/verdicts.db-wal" "$RUN/verdicts.db-shm"
    (umask 077; "$CLI" collector node add demo --group demo --db "$RUN/verdicts.db" > "$RUN/node-token")
fi
node_token="$(cat "$RUN/node-token")"
NODE_TOKEN="$node_token" python3 - envoy/plugin.json "$RUN/plugin.json" <<'PY'
import json, os, sys
config = json.load(open(sys.argv[1]))
config.setdefault("verdict_log", {})["token"] = os.environ["NODE_TOKEN"]
json.dump(config, open(sys.argv[2], "w"), indent=2)
PY
python3 scripts/envoy_config.py --plugin "$RUN/plugin.json" --wasm "$WASM" "${args[@]}" > "$RUN/envoy.yaml"

pids=()
cleanup() {
    trap - INT TERM EXIT
    echo
    echo "demo: stopping"
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    exit 0
}
trap cleanup INT TERM EXIT

"$CLI" collector --listen 127.0.0.1:8686 --db "$RUN/verdicts.db" > "$RUN/collector.log" 2>&1 &
pids+=($!)
python3 examples/demo/backend.py --port 8080 > "$RUN/backend.log" 2>&1 &
pids+=($!)
"$ENVOY" -c "$RUN/envoy.yaml" --base-id 7001 --log-path "$RUN/envoy.log" \
    --file-flush-interval-msec 500 > "$RUN/envoy.stdout" 2>&1 &
pids+=($!)

for _ in $(seq 1 300); do
    if curl -fs http://127.0.0.1:9901/ready 2>/dev/null | grep -q LIVE; then break; fi
    if ! kill -0 "${pids[2]}" 2>/dev/null; then
        echo "demo: Envoy exited; its log:" >&2
        tail -n 30 "$RUN/envoy.log" >&2
        exit 1
    fi
    sleep 0.2
done

cat <<MSG

Console: http://127.0.0.1:8686/   sign in with the admin token:
  $PORTCULLIS_ADMIN_TOKEN
API:     export PORTCULLIS_ADMIN_TOKEN=$PORTCULLIS_ADMIN_TOKEN
MSG
cat <<'MSG'

Portcullis demo is up: Envoy on http://127.0.0.1:10000 (admin :9901) -> backend :8080,
verdicts -> collector :8686. Logs in tmp/demo/. Try:

  curl -i http://127.0.0.1:10000/version                           # 200, passes
  curl -i 'http://127.0.0.1:10000/?file=../../etc/passwd'          # 403, blocked (path traversal)
  curl -i 'http://127.0.0.1:10000/search?q=<script>alert(1)</script>' -g
  curl -i -A 'sqlmap/1.7' http://127.0.0.1:10000/                   # 403, scanner
  curl -i -d "user=admin' OR '1'='1' --" http://127.0.0.1:10000/login

  # POST /login is limited to 5 per minute per client: 200 five times, then 429 (Retry-After)
  for i in 1 2 3 4 5 6 7; do curl -s -o /dev/null -w '%{http_code} ' -d 'user=a&pass=b' http://127.0.0.1:10000/login; done; echo
  # monitor.localhost runs in monitor mode (application 2): the attack passes, its verdict says "monitored"
  curl -i -H 'Host: monitor.localhost' 'http://127.0.0.1:10000/?file=../../etc/passwd'

  curl -s -H "Authorization: Bearer $PORTCULLIS_ADMIN_TOKEN" 'http://127.0.0.1:8686/api/verdicts?limit=5' | python3 -m json.tool
  # ^ what was blocked, and why (the demo Envoy sends as node `demo`, with its own token)
  curl -s http://127.0.0.1:9901/stats | grep portcullis                         # filter counters

  # clients are told apart by X-Forwarded-For (one trusted hop): pose as 203.0.113.9, then
  # block it on the console's IP lists page and watch the next request get 403
  curl -i -H 'X-Forwarded-For: 203.0.113.9' http://127.0.0.1:10000/version

Press Ctrl-C to stop.
MSG
if [ "${DEMO_TRAFFIC:-0}" = 1 ]; then
    python3 examples/demo/traffic.py --target http://127.0.0.1:10000 || true
fi

wait -n "${pids[@]}" || true
echo "demo: a process exited; see tmp/demo/*.log" >&2
