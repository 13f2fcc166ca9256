"""Policies through real Envoy with two workers (issue #11): per-host
overrides, modes, and the per-rule metrics as Prometheus reads them."""

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
