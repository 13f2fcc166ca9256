"""Verdict delivery through real Envoy to a collector of its own (which these
tests stop, freeze and restart): records are capped, refused ones are never
re-sent, outages are retried with backoff, and every verdict is stored
exactly once (record_id + the collector's idempotent ingest)."""

import json
import os
import time

import pytest

import harness

# The default flush interval (1 s): what production runs with.
DELIVERY = {"mode": "block", "application_id": "delivery", "rules": ["@crs"],
            "verdict_log": {"cluster": "portcullis_logs", "authority": "collector"}}

ATTACKS = [
    "/?file=../../etc/passwd",
    "/?q=%3Cscript%3Ealert(1)%3C/script%3E",
    "/?id=1%27%20UNION%20SELECT%20password%20FROM%20users--",
    "/?cmd=;cat%20/etc/passwd",
]

# The filter's record cap (src/verdict.rs MAX_RECORD_BYTES) and per-match data cap.
MAX_RECORD_BYTES = 16 * 1024
MAX_DATA = 512


@pytest.fixture(scope="module")
def own_workdir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("delivery"))


@pytest.fixture(scope="module")
def own_collector(own_workdir):
    c = harness.Collector(own_workdir, harness.free_port())
    yield c
    c.thaw()
    c.stop()


@pytest.fixture(scope="module")
def delivery(own_workdir, backend, own_collector):
    e = harness.Envoy(own_workdir, "delivery", DELIVERY, backend.port, own_collector.port)
    yield e
    e.stop()


def counts(collector, ids):
    stored = collector.verdicts()
    return {i: sum(1 for v in stored if v.get("unique_id") == i) for i in ids}


def wait_stored(collector, ids, timeout):
    """Seconds until every id is stored at least once; fails after `timeout`."""
    start = time.time()
    while True:
        c = counts(collector, ids)
        if all(n >= 1 for n in c.values()):
            return time.time() - start
        if time.time() - start > timeout:
            missing = [i for i, n in c.items() if n == 0]
            pytest.fail(f"{len(missing)} of {len(ids)} verdicts not stored after {timeout}s: {missing[:5]}")
        time.sleep(0.2)


def assert_once(collector, ids, settle=3.0):
    """After `settle` seconds more (several flush intervals), each id is stored exactly once."""
    time.sleep(settle)
    c = counts(collector, ids)
    twice = {i: n for i, n in c.items() if n != 1}
    assert not twice, f"stored other than once: {twice}"


def test_a_56k_attack_then_four_more_are_each_stored_once_within_5s(delivery, own_collector, rid):
    # One attack value of 56 KB: CRS rules log it (MATCHED_VAR) several times over;
    # unbounded, that record was over 256 KiB and refused by the collector.
    big = "/search?q=" + ("%3Cscript%3Ealert(document.cookie)%3C/script%3E" * 1200)[:56_000]
    ids = [rid + "-big"] + [f"{rid}-{i}" for i in range(len(ATTACKS))]
    status, _, body = delivery.get(big, {"x-request-id": ids[0]})
    assert status == 403, body[:200]
    for path, i in zip(ATTACKS, ids[1:]):
        status, _, body = delivery.get(path, {"x-request-id": i})
        assert status == 403, (path, body[:200])
    took = wait_stored(own_collector, ids, timeout=5.0)
    assert_once(own_collector, ids)

    record = next(v for v in own_collector.verdicts() if v["unique_id"] == ids[0])
    size = len(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode())
    assert size <= MAX_RECORD_BYTES, size
    assert "…[truncated " in record["path"] and record["path"].startswith("/search?q=%3Cscript")
    assert record["matched"], record
    assert all(len(m["data"].encode()) <= MAX_DATA for m in record["matched"])
    assert record["record_id"], record
    listed = harness.request(delivery.admin, "GET", "/stats?filter=portcullis")[2].decode()
    for name in ("verdicts_rejected", "verdict_auth_failures", "verdicts_sent", "verdict_send_errors"):
        assert f"wasmcustom.portcullis.{name}:" in listed, name
    assert delivery.stat("wasmcustom.portcullis.verdicts_rejected") == 0
    assert delivery.stat("wasmcustom.portcullis.verdicts_sent") >= 5
    print(f"five verdicts stored in {took:.1f}s; the 56 KB one is a {size}-byte record")


def test_collector_down_30s_under_traffic_loses_nothing_and_duplicates_nothing(delivery, own_collector, rid):
    own_collector.kill()
    ids = []
    start = time.time()
    # Bounded: at most 60 requests over 30 s.
    while time.time() - start < 30 and len(ids) < 60:
        i = f"{rid}-{len(ids)}"
        status, _, _ = delivery.get(ATTACKS[len(ids) % len(ATTACKS)], {"x-request-id": i})
        assert status == 403, "traffic is not slowed or failed by a collector outage"
        ids.append(i)
        time.sleep(0.5)
    errors_while_down = delivery.stat("wasmcustom.portcullis.verdict_send_errors")
    own_collector.restart()
    took = wait_stored(own_collector, ids, timeout=45.0)
    assert_once(own_collector, ids)
    assert errors_while_down >= 3, "the calls failed and were retried"
    # Backoff: 30 s down with 1 s doubling to 30 s is at most 6 failed calls, not one per tick.
    assert errors_while_down <= 8, errors_while_down
    assert delivery.stat("wasmcustom.portcullis.verdicts_dropped") == 0
    assert delivery.stat("wasmcustom.portcullis.verdicts_rejected") == 0
    print(f"{len(ids)} verdicts queued during the outage, {errors_while_down} failed calls, "
          f"all stored {took:.1f}s after the restart")


def test_answers_lost_to_a_frozen_collector_are_resent_and_stored_once(delivery, own_collector, rid):
    # SIGSTOP: the kernel still accepts connections, so the batch is sent and
    # never answered; Envoy fails the call after its 5 s timeout, the filter
    # sends the batch again. On SIGCONT the collector reads every copy: the
    # record_ids make the copies duplicates.
    ids = [f"{rid}-{i}" for i in range(len(ATTACKS))]
    errors_before = delivery.stat("wasmcustom.portcullis.verdict_send_errors")
    own_collector.freeze()
    try:
        for path, i in zip(ATTACKS, ids):
            assert delivery.get(path, {"x-request-id": i})[0] == 403
        time.sleep(14)
    finally:
        own_collector.thaw()
    assert delivery.stat("wasmcustom.portcullis.verdict_send_errors") - errors_before >= 2, "timed-out calls were retried"
    wait_stored(own_collector, ids, timeout=40.0)
    assert_once(own_collector, ids)


def test_a_wrong_token_is_counted_and_retried_slowly(own_workdir, backend, rid):
    token_dir = os.path.join(own_workdir, "token")
    os.makedirs(token_dir, exist_ok=True)
    c = harness.Collector(token_dir, harness.free_port(), auth=True)
    right = c.add_node("edge-1", group="e2e")
    assert right.startswith("pcn_") and len(right) == 68
    config = {"mode": "block", "rules": ["@builtin"],
              "verdict_log": {"cluster": "portcullis_logs", "authority": "collector", "token": "wrong",
                              "flush_interval_ms": 100}}
    e = harness.Envoy(own_workdir, "wrong-token", config, backend.port, c.port)
    try:
        assert e.get("/?file=../../etc/passwd", {"x-request-id": rid})[0] == 403
        time.sleep(3)  # 30 ticks
        assert e.stat("wasmcustom.portcullis.verdict_auth_failures") == 1, "one attempt, then a 30 s wait"
        assert e.stat("wasmcustom.portcullis.verdicts_rejected") == 0, "a token problem does not discard records"
        assert c.verdicts() == []
        # The API needs the admin token; a node token is no substitute.
        for headers in ({}, {"Authorization": f"Bearer {right}"}):
            assert harness.request(c.port, "GET", "/api/verdicts", headers)[0] == 401
    finally:
        e.stop()
    # The registered node's own token delivers.
    config["verdict_log"]["token"] = right
    e = harness.Envoy(own_workdir, "right-token", config, backend.port, c.port)
    try:
        assert e.get("/?file=../../etc/passwd", {"x-request-id": rid + "-ok"})[0] == 403
        assert c.wait_verdict(rid + "-ok") is not None
        assert e.stat("wasmcustom.portcullis.verdict_auth_failures") == 0
    finally:
        e.stop()
        c.stop()
