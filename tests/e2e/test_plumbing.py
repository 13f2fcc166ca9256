"""Filter plumbing through real Envoy: what works whatever the rule pack holds."""

import json
import os

import harness
from conftest import INLINE, verdict_log


def test_version_passes_to_the_backend(block, backend, rid):
    status, headers, body = block.get("/version", {"x-request-id": rid})
    assert status == 200, body
    assert json.loads(body)["name"] == "portcullis-demo-backend"
    assert len(backend.saw(rid)) == 1
    assert block.stat("wasmcustom.portcullis.requests") >= 1


def test_echo_keeps_method_path_and_body(block, backend, rid):
    status, _, body = block.post("/echo?x=1", "hello=world", "application/x-www-form-urlencoded", {"x-request-id": rid})
    assert status == 200, body
    seen = json.loads(body)
    assert (seen["method"], seen["path"], seen["body"]) == ("POST", "/echo?x=1", "hello=world")


def test_invalid_plugin_config_is_refused_with_the_problem_named(workdir, backend, collector_port):
    bad = {"mode": "blok", "rules": ["@builtin"]}
    e = harness.Envoy(workdir, "bad-mode", bad, backend.port, collector_port, expect_ready=False)
    try:
        code = e.wait_exit(60)
        log = e.log_text()
        assert code not in (None, 0), "Envoy must refuse a configuration the filter rejects"
        assert "invalid plugin configuration: mode: unknown variant `blok`" in log, e.log_tail()
    finally:
        e.stop()


def test_unknown_field_is_refused(workdir, backend, collector_port):
    bad = {"verdict_log": {"cluster": "portcullis_logs", "max_bach": 3}}
    e = harness.Envoy(workdir, "bad-field", bad, backend.port, collector_port, expect_ready=False)
    try:
        assert e.wait_exit(60) not in (None, 0)
        assert "verdict_log.max_bach: unknown field `max_bach`" in e.log_text(), e.log_tail()
    finally:
        e.stop()


def test_invalid_rule_is_refused_with_its_position(workdir, backend, collector_port):
    bad = {"rules": ["@builtin", 'SecRule ARGS "@nosuchoperator x" "id:5,deny"']}
    e = harness.Envoy(workdir, "bad-rule", bad, backend.port, collector_port, expect_ready=False)
    try:
        assert e.wait_exit(60) not in (None, 0)
        log = e.log_text()
        assert "invalid rules: <rules[1]>:1:" in log, e.log_tail()
    finally:
        e.stop()


def test_collector_is_reachable(collector):
    assert isinstance(collector.verdicts(limit=1), list)


def test_body_over_the_limit_is_rejected_with_413(limit_reject, backend, rid):
    status, _, body = limit_reject.post("/upload", "a=" + "x" * 4096, "application/x-www-form-urlencoded",
                                        {"x-request-id": rid})
    assert status == 413, body
    assert backend.saw(rid) == [], "the backend must never get the whole request"
    assert limit_reject.stat("wasmcustom.portcullis.body_limit_rejects") >= 1
    ok, _, _ = limit_reject.post("/upload", "a=small", "application/x-www-form-urlencoded")
    assert ok == 200


def test_inline_rule_blocks_a_query_arg(inline, backend, rid):
    status, headers, body = inline.get("/search?q=attack", {"x-request-id": rid})
    assert status == 403, body
    assert json.loads(body) == {"error": "request blocked", "id": rid}
    assert backend.saw(rid) == []
    ok, _, _ = inline.get("/search?q=harmless")
    assert ok == 200


def test_inline_rule_blocks_a_body_arg(inline, backend, rid):
    status, _, body = inline.post("/form", "name=attack", "application/x-www-form-urlencoded", {"x-request-id": rid})
    assert status == 403, body
    assert backend.saw(rid) == []


def test_inline_rule_match_line_in_envoy_log(inline, rid):
    status, _, _ = inline.get("/?q=attack", {"x-request-id": rid})
    assert status == 403
    harness.time.sleep(0.5)
    lines = [l for l in inline.log_text().splitlines() if rid in l]
    assert any('[id "1"]' in l for l in lines), inline.log_tail()


def test_inline_verdicts_reach_the_collector(inline, collector, rid):
    status, _, _ = inline.get("/?q=attack", {"x-request-id": rid})
    assert status == 403
    v = collector.wait_verdict(rid)
    assert v is not None, "no verdict for the blocked request"
    assert v["action"] == "blocked" and v["status"] == 403 and v["application_id"] in (9, "9")
    assert [m["id"] for m in v["matched"]] == [1]
    clean = rid + "-clean"
    inline.get("/?q=fine", {"x-request-id": clean})
    v = collector.wait_verdict(clean)
    assert v is not None and v["action"] == "passed", "include=all logs clean requests too"


def test_process_partial_evaluates_the_prefix(limit_partial, backend, rid):
    # The attack word inside the first 1024 bytes is seen...
    status, _, _ = limit_partial.post("/upload", "attack" + "x" * 4096, "text/plain", {"x-request-id": rid})
    assert status == 403
    assert backend.saw(rid) == []
    # ...beyond them it is not: the request passes, body intact.
    later = rid + "-later"
    status, _, body = limit_partial.post("/upload", "x" * 4096 + "attack", "text/plain", {"x-request-id": later})
    assert status == 200, body
    assert len(backend.saw(later)) == 1
    assert json.loads(body)["body"].endswith("attack")


def test_stats_are_exposed(block):
    block.get("/version")
    for name in ("requests", "blocked", "monitored", "body_limit_rejects", "verdicts_dropped", "config_errors"):
        assert ("wasmcustom.portcullis." + name) in harness.request(block.admin, "GET", "/stats?filter=portcullis")[2].decode()


def test_committed_envoy_yaml_is_the_rendered_template():
    with open(os.path.join(harness.ROOT, "envoy", "envoy.yaml"), encoding="utf-8") as f:
        committed = f.read()
    with open(harness.envoy_config.DEFAULT_PLUGIN, encoding="utf-8") as f:
        plugin = json.load(f)
    assert committed == harness.envoy_config.render(plugin), \
        "envoy/envoy.yaml is stale: python3 scripts/envoy_config.py > envoy/envoy.yaml"


def test_global_rate_limit_example_is_a_valid_envoy_configuration():
    """examples/global-rate-limit/envoy.yaml loads in Envoy as shipped."""
    import subprocess
    r = subprocess.run([harness.envoy_binary(), "--mode", "validate", "-c", "examples/global-rate-limit/envoy.yaml"],
                       cwd=harness.ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "OK" in r.stdout + r.stderr, r.stdout + r.stderr
