"""Policies through real Envoy with two workers (issue #11): per-host
overrides, modes, and the per-rule metrics as Prometheus reads them."""

import json
import re
import time

import pytest

import harness
from conftest import verdict_log

POLICIES = {
    "mode": "block",
    "application_id": 1,
    "rules": ["@builtin"],
    "verdict_log": verdict_log(),
    "hosts": {
        "monitor.localhost": {"mode": "monitor", "application_id": 2},
        "*.shop.test": {"application_id": "shops"},
        "off.localhost": {"mode": "off"},
    },
}

ATTACK = "/?file=../../etc/passwd"


@pytest.fixture(scope="module")
def policies(workdir, backend, collector, collector_port):
    e = harness.Envoy(workdir, "policies", POLICIES, backend.port, collector_port, concurrency=2)
    yield e
    e.stop()


def test_hosts_choose_the_policy(policies, collector, rid):
    status, _, _ = policies.get(ATTACK, {"Host": "shop.example.com", "x-request-id": rid + "-default"})
    assert status == 403
    status, _, _ = policies.get(ATTACK, {"Host": "monitor.localhost:10000", "x-request-id": rid + "-monitor"})
    assert status == 200, "the monitor host lets the attack through"
    v = collector.wait_verdict(rid + "-monitor")
    assert v is not None and v["action"] == "monitored" and v["mode"] == "monitor" and v["application_id"] == 2, v
    status, _, _ = policies.get(ATTACK, {"Host": "eu.shop.test", "x-request-id": rid + "-wild"})
    assert status == 403
    v = collector.wait_verdict(rid + "-wild")
    assert v is not None and v["application_id"] == "shops" and v["action"] == "blocked", v
    status, _, _ = policies.get(ATTACK, {"Host": "off.localhost", "x-request-id": rid + "-off"})
    assert status == 200, "mode off inspects nothing"


def test_rule_matches_are_one_prometheus_family_with_labels(policies):
    for host in ("shop.example.com", "monitor.localhost", "eu.shop.test"):
        policies.get(ATTACK, {"Host": host})
    deadline = time.time() + 10
    lines = []
    while time.time() < deadline:
        _, _, body = harness.request(policies.admin, "GET", "/stats/prometheus")
        lines = [l for l in body.decode().splitlines() if l.startswith("portcullis_rule_matches{")]
        if len(lines) >= 3:
            break
        time.sleep(0.2)
    assert lines, "no portcullis_rule_matches family in /stats/prometheus"
    labels = [dict(re.findall(r'(\w+)="([^"]*)"', l.split("}")[0])) for l in lines]
    for l in labels:
        assert set(l) == {"rule_id", "application_id", "host", "action"}, l
    seen = {(l["application_id"], l["host"], l["action"]) for l in labels}
    assert ("1", "default", "blocked") in seen, seen
    assert ("2", "monitor_localhost", "monitored") in seen, seen
    assert ("shops", "__shop_test", "blocked") in seen, seen
    # Not only the deciding rule: every rule that matched and logs.
    assert len({l["rule_id"] for l in labels if l["host"] == "default"}) >= 2, labels


# -- lists, limits and client IP through two workers ---------------------------

import http.client  # noqa: E402

# Envoy runs with use_remote_address (an edge proxy): a loopback peer is
# replaced by the machine's own address, so every test client would be the
# same source. The clients here stand behind one trusted proxy instead
# (client_ip x_forwarded_for, 1 hop), each with its own address.
LIMITED = {
    "mode": "block",
    "application_id": 5,
    "rules": ["@builtin"],
    "verdict_log": verdict_log("all"),
    "client_ip": {"from": "x_forwarded_for", "trusted_hops": 1},
    "ip_allow": ["198.51.100.3"],
    "rate_limits": [{"match": {"path_prefix": "/login", "methods": ["POST"]}, "key": "source_ip",
                     "requests": 5, "per_seconds": 60}],
    "hosts": {
        "monitor.localhost": {"mode": "monitor", "application_id": 2, "ip_deny": ["198.51.100.4"]},
        "safe.localhost": {"mode": "safe_block", "ip_graylist": ["198.51.100.5"]},
    },
}
XFF = {"mode": "block", "rules": ["@builtin"], "ip_deny": ["203.0.113.9"],
       "client_ip": {"from": "x_forwarded_for", "trusted_hops": 1}}
NO_XFF = {"mode": "block", "rules": ["@builtin"], "ip_deny": ["203.0.113.9"]}


def request_from(port, source, method, path, headers=None, body=None):
    """One HTTP/1.1 request (a new connection) from client `source`, as the
    trusted proxy in front of Envoy reports it in X-Forwarded-For."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        hdrs = {"Host": "shop.example.com", "User-Agent": "portcullis-e2e/1", "X-Forwarded-For": source}
        hdrs.update(headers or {})
        conn.request(method, path, body=body, headers=hdrs)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def limited(workdir, backend, collector, collector_port):
    e = harness.Envoy(workdir, "limited", LIMITED, backend.port, collector_port, concurrency=2)
    yield e
    e.stop()


def test_rate_limit_holds_across_both_workers(limited):
    statuses = [request_from(limited.port, "198.51.100.1", "POST", "/login", body=b"user=a&pass=b",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})[:2]
                for _ in range(20)]
    codes = [s for s, _ in statuses]
    assert codes.count(200) == 5 and codes.count(429) == 15, codes
    retry = [h.get("retry-after") for s, h in statuses if s == 429]
    assert all(r and 1 <= int(r) <= 60 for r in retry), retry
    # Both workers served: Envoy counts each worker's downstream requests.
    _, _, body = harness.request(limited.admin, "GET", "/stats?filter=worker_[0-9]+.downstream_cx_total")
    busy = [l for l in body.decode().splitlines() if not l.endswith(": 0")]
    assert len(busy) >= 2, body.decode()
    # Another source is unaffected; so is another path.
    assert request_from(limited.port, "198.51.100.2", "POST", "/login", body=b"a=1")[0] == 200
    assert request_from(limited.port, "198.51.100.1", "POST", "/account", body=b"a=1")[0] == 200


def test_allowlisted_source_passes_an_attack_and_the_verdict_says_so(limited, collector, rid):
    status, _, _ = request_from(limited.port, "198.51.100.3", "GET", "/?file=../../etc/passwd", {"x-request-id": rid})
    assert status == 200
    v = collector.wait_verdict(rid)
    assert v is not None and v["action"] == "allowed" and v["source_ip"] == "198.51.100.3", (rid, collector.verdicts()[:3])


def test_denylisted_source_is_blocked_in_monitor_mode(limited, collector, rid):
    status, _, _ = request_from(limited.port, "198.51.100.4", "GET", "/version",
                                {"Host": "monitor.localhost", "x-request-id": rid})
    assert status == 403
    v = collector.wait_verdict(rid)
    assert v is not None and v["action"] == "denied" and v["application_id"] == 2, v
    # Others get monitored on that host.
    status, _, _ = request_from(limited.port, "198.51.100.1", "GET", "/?file=../../etc/passwd", {"Host": "monitor.localhost"})
    assert status == 200


def test_safe_block_blocks_only_the_graylist(limited):
    attack = "/?file=../../etc/passwd"
    assert request_from(limited.port, "198.51.100.5", "GET", attack, {"Host": "safe.localhost"})[0] == 403
    assert request_from(limited.port, "198.51.100.6", "GET", attack, {"Host": "safe.localhost"})[0] == 200


def test_x_forwarded_for_only_with_trusted_hops(workdir, backend, collector_port):
    envoys = [harness.Envoy(workdir, name, cfg, backend.port, collector_port, concurrency=2)
              for name, cfg in (("xff", XFF), ("no-xff", NO_XFF))]
    try:
        # The same spoofed header: honoured only where a trusted hop is configured.
        assert request_from(envoys[0].port, "203.0.113.9", "GET", "/version")[0] == 403
        assert request_from(envoys[1].port, "203.0.113.9", "GET", "/version")[0] == 200
    finally:
        for e in envoys:
            e.stop()


@pytest.mark.parametrize("config, needle", [
    ({"ip_deny": ["10.0.0.0/33"]}, "ip_deny[0]"),
    ({"hosts": {"a.*.com": {}}}, "hosts.a.*.com"),
    ({"rate_limits": [{"requests": 0, "per_seconds": 60}]}, "rate_limits[0]"),
    ({"hosts": {"b.example": {"colour": "red"}}}, "unknown field `colour`"),
])
def test_bad_policies_are_refused_with_clear_errors(workdir, backend, collector_port, config, needle):
    e = harness.Envoy(workdir, "bad-" + needle.replace("*", "x").replace("`", "")[:12], config, backend.port,
                      collector_port, expect_ready=False)
    try:
        assert e.wait_exit(60) not in (None, 0), "Envoy must refuse a configuration the filter rejects"
        assert needle in e.log_text(), e.log_tail()
    finally:
        e.stop()


def test_the_demo_limits_login_and_monitors_its_second_host(workdir, backend, collector, collector_port, rid):
    """`make demo`'s plugin configuration (envoy/plugin.json)."""
    with open(harness.envoy_config.DEFAULT_PLUGIN, encoding="utf-8") as f:
        demo = json.load(f)
    demo["verdict_log"] = verdict_log()
    e = harness.Envoy(workdir, "demo", demo, backend.port, collector_port, concurrency=2)
    try:
        codes = [e.post("/login", "user=a&pass=b", "application/x-www-form-urlencoded")[0] for _ in range(7)]
        assert codes == [200] * 5 + [429] * 2, codes
        status, _, _ = e.get("/?file=../../etc/passwd", {"Host": "monitor.localhost", "x-request-id": rid})
        assert status == 200
        v = collector.wait_verdict(rid)
        assert v is not None and v["action"] == "monitored" and v["application_id"] == 2, v
        assert e.get("/?file=../../etc/passwd")[0] == 403
    finally:
        e.stop()
