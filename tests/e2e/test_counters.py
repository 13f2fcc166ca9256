"""Traffic counters through real Envoy with two workers: every worker sends one counter record
per flush interval to the collector's POST /v1/counters with its node token; the collector's
`counters` table (read here with sqlite3) sums to exactly the requests sent, per (host,
application, mode); each worker appears in `node_workers` with the node's facts; a collector
outage, or answers lost while it is frozen, neither loses nor doubles a count."""

import os
import sqlite3
import time

import pytest

import harness

ATTACKS = [
    "/?file=../../etc/passwd",
    "/?q=%3Cscript%3Ealert(1)%3C/script%3E",
    "/?id=1%27%20UNION%20SELECT%20password%20FROM%20users--",
    "/?cmd=;cat%20/etc/passwd",
    "/?file=../../etc/shadow",
]

# Order of the sums read back (the first four of the wire's count names).
COLUMNS = ("requests", "blocked", "monitored", "passed", "rate_limited")


def config(token):
    return {
        "mode": "block", "rules": ["@crs"],
        "rate_limits": [{"match": {"path_prefix": "/login"}, "key": "source_ip", "requests": 2, "per_seconds": 600}],
        "hosts": {"monitor.localhost": {"mode": "monitor", "application_id": 2}},
        "verdict_log": {"cluster": "portcullis_logs", "authority": "collector", "flush_interval_ms": 500,
                        "token": token},
    }


@pytest.fixture(scope="module")
def own_workdir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("counters"))


@pytest.fixture(scope="module")
def own_collector(own_workdir):
    c = harness.Collector(own_workdir, harness.free_port(), auth=True)
    yield c
    c.thaw()
    c.stop()


@pytest.fixture(scope="module")
def node(own_collector):
    return own_collector.add_node("edge-counters", group="test")


@pytest.fixture(scope="module")
def gateway(own_workdir, backend, own_collector, node):
    e = harness.Envoy(own_workdir, "counters", config(node), backend.port, own_collector.port, concurrency=2)
    yield e
    e.stop()


def db(collector):
    conn = sqlite3.connect(f"file:{collector.db}?mode=ro", uri=True, timeout=5)
    return conn


def totals(collector):
    """{(host, application_id, mode): {column: sum}} for the node `edge-counters`."""
    sums = ", ".join(f"sum(c.{c})" for c in COLUMNS)
    with db(collector) as conn:
        rows = conn.execute(
            f"SELECT c.host, c.application_id, c.mode, {sums} FROM counters c JOIN nodes n ON n.id = c.node "
            "WHERE n.name = 'edge-counters' GROUP BY 1, 2, 3").fetchall()
    return {(h, a, m): dict(zip(COLUMNS, values)) for h, a, m, *values in rows}


def add(expected, key, **counts):
    row = expected.setdefault(key, dict.fromkeys(COLUMNS, 0))
    for name, n in counts.items():
        row[name] += n
        row["requests"] += n


def wait_totals(collector, expected, timeout=15.0):
    deadline = time.time() + timeout
    got = None
    while time.time() < deadline:
        got = totals(collector)
        if got == expected:
            return
        time.sleep(0.25)
    pytest.fail(f"counters after {timeout}s:\n got {got}\nwant {expected}")


def send(gateway, expected, benign=0, attacks=0, host=None):
    """Sends requests, checks their statuses and adds what they must count to `expected`."""
    headers = {"Host": host} if host else {}
    key = (host, "2", "monitor") if host else ("*", "", "block")
    for i in range(benign):
        status, _, _ = gateway.get(f"/version?n={i}", headers)
        assert status == 200
    for path in ATTACKS[:attacks]:
        status, _, _ = gateway.get(path, headers)
        assert status == (200 if host else 403), path
    if host:
        add(expected, key, passed=benign, monitored=attacks)
    else:
        add(expected, key, passed=benign, blocked=attacks)


def test_counts_from_both_workers_add_up_exactly(gateway, own_collector):
    expected = {}
    send(gateway, expected, benign=40, attacks=5)
    send(gateway, expected, benign=6, attacks=3, host="monitor.localhost")
    statuses = [gateway.get("/login")[0] for _ in range(5)]
    assert statuses == [200, 200, 429, 429, 429]
    add(expected, ("*", "", "block"), passed=2, rate_limited=3)
    wait_totals(own_collector, expected)
    # A few more flush intervals: heartbeats add nothing, nothing is counted twice.
    time.sleep(2)
    assert totals(own_collector) == expected

    with db(own_collector) as conn:
        workers = conn.execute(
            "SELECT w.worker, w.version, w.ruleset_fingerprint, w.rule_count, w.flush_interval_ms, w.last_seen_ms "
            "FROM node_workers w JOIN nodes n ON n.id = w.node WHERE n.name = 'edge-counters'").fetchall()
        seen = conn.execute("SELECT last_seen_ms FROM nodes WHERE name = 'edge-counters'").fetchone()[0]
        dropped = conn.execute("SELECT sum(verdicts_dropped), sum(body_limit_rejects) FROM counters").fetchone()
    assert len({w[0] for w in workers}) >= 2, f"two workers report: {workers}"
    assert len({w[2] for w in workers}) == 1, "one configuration, one fingerprint"
    for worker, version, fingerprint, rule_count, interval, last_seen in workers:
        assert len(worker) == 32 and version and len(fingerprint) == 16, workers
        assert rule_count > 100 and interval == 500
        assert time.time() * 1000 - last_seen < 5000, "heartbeats keep last_seen fresh"
    assert seen and time.time() * 1000 - seen < 5000
    assert tuple(dropped) == (0, 0)
    # The Prometheus counters still work beside them.
    assert gateway.stat("wasmcustom.portcullis.blocked") == 5
    assert gateway.stat("wasmcustom.portcullis.counter_records_sent") > 0


def test_an_outage_and_lost_answers_lose_and_double_nothing(gateway, own_collector):
    expected = totals(own_collector)
    # Down: calls fail; counts accumulate in the pending record and the next one.
    own_collector.kill()
    send(gateway, expected, benign=7, attacks=2)
    time.sleep(2)
    own_collector.restart()
    wait_totals(own_collector, expected, timeout=40)
    # Frozen: the calls are read only after Envoy gave up on them (5 s), so the records are
    # stored but their answers lost; the filter re-sends them with the same record_id.
    own_collector.freeze()
    send(gateway, expected, benign=5, attacks=1, host="monitor.localhost")
    time.sleep(7)
    own_collector.thaw()
    wait_totals(own_collector, expected, timeout=40)
    time.sleep(3)
    assert totals(own_collector) == expected
    assert gateway.stat("wasmcustom.portcullis.counter_send_errors") > 0
