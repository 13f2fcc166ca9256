#!/usr/bin/env bash
# `make fuzz`: run every fuzz target for FUZZ_SECONDS (default 180) each.
#
#   FUZZ_SECONDS=600 make fuzz
#   FUZZ_TARGETS="crs_request transforms" make fuzz
#   FUZZ_ENGINE=driver make fuzz        # force the stable driver
#
# FUZZ_ENGINE=auto (default) uses cargo-fuzz + libFuzzer (coverage guided)
# when a nightly toolchain is available (installing cargo-fuzz from
# crates.io when missing), else the stable mutation driver
# (fuzz/src/driver.rs). Seeds are generated into fuzz/corpus/ on first use.
# Crashes land in fuzz/artifacts/<target>/; the exit status is 1 when any
# target found one.
set -euo pipefail
cd "$(dirname "$0")"

CARGO=${CARGO:-cargo}
SECS=${FUZZ_SECONDS:-180}
TARGETS=${FUZZ_TARGETS:-"seclang_parse crs_request filter_driver body_processors transforms"}
ENGINE=${FUZZ_ENGINE:-auto}
SANITIZER=${FUZZ_SANITIZER:-none}

max_len() {
    case $1 in
        transforms) echo 8192 ;;
        seclang_parse) echo 16384 ;;
        *) echo 65536 ;;
    esac
}

# filter_driver reads the same exchanges as crs_request.
dict() {
    if [[ $1 == filter_driver ]]; then echo crs_request; else echo "$1"; fi
}

have_nightly() {
    rustup run nightly rustc --version >/dev/null 2>&1 && return 0
    # static.rust-lang.org may be unreachable: give the install a bounded try.
    command -v rustup >/dev/null 2>&1 \
        && timeout 300 rustup toolchain install nightly --profile minimal >/dev/null 2>&1 \
        && rustup run nightly rustc --version >/dev/null 2>&1
}

if [[ $ENGINE == auto ]]; then
    if have_nightly; then ENGINE=libfuzzer; else ENGINE=driver; fi
fi
if [[ $ENGINE == libfuzzer ]] && ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz (crates.io)"
    if ! $CARGO install cargo-fuzz --locked; then
        echo "fuzz: cargo-fuzz could not be installed; using the stable driver"
        ENGINE=driver
    fi
fi
echo "fuzz: engine $ENGINE, ${SECS} s per target: $TARGETS"

DRIVER_FLAGS=(--release --no-default-features --features driver)
missing_seeds=0
for t in $TARGETS; do
    [[ -n $(ls -A "corpus/$t" 2>/dev/null) ]] || missing_seeds=1
done
if (( missing_seeds )); then
    $CARGO run -q "${DRIVER_FLAGS[@]}" --bin fuzz-seeds
fi

failed=()
for t in $TARGETS; do
    echo "=== fuzz $t ($ENGINE, ${SECS} s)"
    mkdir -p "artifacts/$t"
    if [[ $ENGINE == libfuzzer ]]; then
        # Release build with debug assertions (overflow checks). No
        # sanitizer by default: the engine has no unsafe code.
        if ! (cd .. && $CARGO +nightly fuzz run -s "$SANITIZER" -a "$t" "fuzz/corpus/$t" -- \
                -max_total_time="$SECS" -timeout=30 -report_slow_units=2 -rss_limit_mb=4096 -max_len="$(max_len "$t")" \
                -dict="fuzz/dict/$(dict "$t").dict" -print_final_stats=1); then
            failed+=("$t")
        fi
    else
        if ! $CARGO run -q "${DRIVER_FLAGS[@]}" --bin "fuzz-$t" -- --seconds "$SECS"; then
            failed+=("$t")
        fi
    fi
done

if (( ${#failed[@]} )); then
    echo "fuzz: FAILED: ${failed[*]} (inputs in fuzz/artifacts/<target>/)"
    exit 1
fi
echo "fuzz: no crash in ${TARGETS}"
