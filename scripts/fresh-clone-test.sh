#!/usr/bin/env bash
# `make test-fresh-clone`: does a fresh clone work without this checkout's
# neighbours? Clones HEAD into a temporary directory whose parent has no
# shared/, extracts the CRS there with scripts/fetch-crs.sh --archive (from a
# tarball of the CRS this checkout uses, laid out like the release archive,
# so the pinned manifest is checked too), and with only CRS_DIR set:
#   1. `make demo` in the background until Envoy answers 200 for /version and
#      403 for an attack, then stops it;
#   2. `make test`.
# Nothing of this checkout's target/ or .venv is reused (the clone builds
# from cold: about 12 min on 2 cores, 3.7 of them until the demo answers).
# Not part of `make test`.
#   FRESH_CLONE_DIR=/path   where to work (default: a new mktemp -d), kept
#                           afterwards for its logs (logs/*.log)
#   FRESH_CLONE_DEMO_TIMEOUT=seconds  for make demo to come up (default 3600)
# Exit status: 0 when both steps pass, 1 when one fails, 2 on set-up errors.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
die() { printf 'fresh-clone: %s\n' "$*" >&2; exit 2; }
log() { printf 'fresh-clone [%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# The CRS to pack: the one this checkout uses.
src=""
for d in "${CRS_DIR:-}" "$ROOT/../shared/crs/v4.28.0" "$ROOT/tmp/crs/v4.28.0"; do
    if [ -n "$d" ] && [ -d "$d/rules" ]; then src="$(cd "$d" && pwd)"; break; fi
done
[ -n "$src" ] || die "no CRS to pack (set CRS_DIR, or run make crs)"

for port in 8080 8686 9901 10000; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        die "port $port is in use (another make demo?): make demo needs 8080, 8686, 9901, 10000"
    fi
done

work="${FRESH_CLONE_DIR:-$(mktemp -d /tmp/portcullis-fresh.XXXXXX)}"
mkdir -p "$work/logs"
[ ! -e "$work/shared" ] || die "$work/shared exists: the clone must have no ../shared"
clone="$work/portcullis"
[ ! -e "$clone" ] || die "$clone exists: give an empty FRESH_CLONE_DIR"
log "working in $work (logs in $work/logs)"
start=$(date +%s)

git clone -q "$ROOT" "$clone"
log "cloned $(git -C "$clone" rev-parse --short HEAD)"

# The release archive's layout: coreruleset-4.28.0/...
tar -czf "$work/coreruleset-4.28.0.tar.gz" -C "$src" --exclude=.fetch-crs-verified \
    --transform 's,^\.,coreruleset-4.28.0,' .
out="$(bash "$clone/scripts/fetch-crs.sh" --archive "$work/coreruleset-4.28.0.tar.gz" "$work/crs/v4.28.0")"
log "$out"

# Only CRS_DIR among the project's variables; nothing that points back here.
clean_env=(env -u CARGO_TARGET_DIR -u VENV -u PORTCULLIS_CORPUS -u PORTCULLIS_RULES -u PORTCULLIS_MODE
    -u PORTCULLIS_E2E_RULES -u PORTCULLIS_REQUIRE_CRS -u PORTCULLIS_WASM_REQUIRE_TESTS
    CRS_DIR="$work/crs/v4.28.0")

# 1. make demo in a session of its own (setsid execs in place: $! leads the
# process group), so the whole of it can be stopped.
log "make demo (setup + release builds first)"
demo_start=$(date +%s)
"${clean_env[@]}" setsid make -C "$clone" demo > "$work/logs/demo.log" 2>&1 &
demo=$!
stop_demo() {
    kill -INT -- "-$demo" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$demo" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$demo" 2>/dev/null || true
    wait "$demo" 2>/dev/null || true
}
trap stop_demo EXIT
deadline=$(( $(date +%s) + ${FRESH_CLONE_DEMO_TIMEOUT:-3600} ))
demo_ok=0
while [ "$(date +%s)" -lt "$deadline" ]; do
    if ! kill -0 "$demo" 2>/dev/null; then
        log "make demo exited before answering; tail of its log:"
        tail -n 30 "$work/logs/demo.log" >&2
        break
    fi
    # Its own Envoy only: demo.sh prints this once its Envoy is ready (the
    # ports were free at the start, but another process may race for them).
    if grep -q 'Portcullis demo is up' "$work/logs/demo.log" &&
        [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 http://127.0.0.1:10000/version || true)" = 200 ]; then
        attack="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 'http://127.0.0.1:10000/?file=../../etc/passwd' || true)"
        sqli="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 'http://127.0.0.1:10000/item?id=1%20UNION%20SELECT%20password%20FROM%20users' || true)"
        log "make demo answers after $(( $(date +%s) - demo_start )) s: /version 200, traversal $attack, UNION SELECT $sqli"
        [ "$attack" = 403 ] && [ "$sqli" = 403 ] && demo_ok=1
        grep -q '@crs' "$clone/tmp/demo/envoy.yaml" && log "demo rules include @crs" || log "demo rules lack @crs"
        break
    fi
    sleep 2
done
stop_demo
trap - EXIT
[ "$demo_ok" = 1 ] || { log "FAILED: make demo"; exit 1; }

# 2. make test.
log "make test"
test_start=$(date +%s)
if "${clean_env[@]}" make -C "$clone" test > "$work/logs/test.log" 2>&1; then
    log "make test passed in $(( $(date +%s) - test_start )) s; total $(( $(date +%s) - start )) s"
else
    log "FAILED: make test after $(( $(date +%s) - test_start )) s; tail of its log:"
    tail -n 40 "$work/logs/test.log" >&2
    exit 1
fi
