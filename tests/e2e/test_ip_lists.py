"""The console's IP lists through real Envoy with two workers and the real
collector (issue #12 point 4): an attack from A shows in /api/verdicts, an
operator blocks A on /api/ip-lists, every worker's filter fetches the list
with its node token and refuses A (and only A) within 10 s, in every mode but
off; removing the entry lifts it. With the collector down the last list stays
in force and the stale gauge says so."""

import http.client
import re
import time

import pytest

import harness

A = "203.0.113.50"  # the attacker
B = "198.51.100.20"  # a bystander


def config(token, ip_lists):
    """Clients stand behind one trusted proxy (X-Forwarded-For, 1 hop) so that
    each test client has its own address, as in test_policies.py."""
    return {
        "mode": "block",
        "application_id": "iplists",
        "rules": ["@builtin"],
        "client_ip": {"from": "x_forwarded_for", "trusted_hops": 1},
        "verdict_log": {"cluster": "portcullis_logs", "authority": "collector", "flush_interval_ms": 100,
                        "token": token},
        "ip_lists": ip_lists,
        "hosts": {"monitor.localhost": {"mode": "monitor"}, "off.localhost": {"mode": "off"}},
    }


def request_from(port, source, path="/version", host="shop.example.com", headers=None):
    """One GET on a new connection (so Envoy may hand it to either worker) from `source`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        hdrs = {"Host": host, "User-Agent": "portcullis-e2e/1", "X-Forwarded-For": source}
        hdrs.update(headers or {})
        conn.request("GET", path, headers=hdrs)
        r = conn.getresponse()
        r.read()
        return r.status
    finally:
        conn.close()


def worker_connections(envoy):
    """Downstream connections per Envoy worker, as Envoy counts them."""
    _, _, body = harness.request(envoy.admin, "GET", "/stats?filter=worker_[0-9]+.downstream_cx_total")
    counts = {}
    for line in body.decode().splitlines():
        key, _, value = line.partition(": ")
        m = re.search(r"(worker_\d+)\.downstream_cx_total$", key)
        if m:
            counts[m.group(1)] = counts.get(m.group(1), 0) + int(value)
    return counts


def wait_on_both_workers(envoy, source, want, timeout=10.0, **kw):
    """Seconds until a batch of requests from `source` on fresh connections all got
    `want` and both workers served some of them (each worker fetches on its own)."""
    start = time.time()
    while time.time() - start < timeout:
        statuses, busy = on_both_workers(envoy, source, want, n=10, **kw)
        if statuses == [want] * len(statuses) and len(busy) >= 2:
            return time.time() - start
        time.sleep(0.1)
    return None


def worker_threads_logging(envoy, needle, timeout=5.0):
    """The Envoy threads other than the main one that logged `needle` (the log
    reaches the file every 100 ms)."""
    deadline = time.time() + timeout
    threads = set()
    while time.time() < deadline:
        text = envoy.log_text()
        main = re.search(r"\]\[(\d+)\]\[info\]\[main\]", text)
        threads = {m.group(1) for m in re.finditer(r"\]\[(\d+)\]\[\w+\]\[wasm\].*" + re.escape(needle), text)}
        if main:
            threads.discard(main.group(1))
        if len(threads) >= 2:
            break
        time.sleep(0.2)
    return threads


def on_both_workers(envoy, source, want, n=40, **kw):
    """Sends `n` requests on fresh connections; returns their statuses and
    the workers that served connections meanwhile."""
    before = worker_connections(envoy)
    statuses = [request_from(envoy.port, source, **kw) for _ in range(n)]
    after = worker_connections(envoy)
    busy = {w for w in after if after[w] > before.get(w, 0)}
    return statuses, busy


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    """A collector with authentication (node tokens, admin token) of its own."""
    workdir = str(tmp_path_factory.mktemp("iplists"))
    c = harness.Collector(workdir, harness.free_port(), auth=True)
    c.workdir = workdir
    yield c
    c.stop()


@pytest.fixture(scope="module")
def edge(console, backend):
    """Envoy (2 workers) polling the console at the default interval (5 s)."""
    token = console.add_node("edge-e2e", group="prod-eu")
    e = harness.Envoy(console.workdir, "ip-lists", config(token, {}), backend.port, console.port, concurrency=2)
    yield e
    e.stop()


def test_block_from_the_console_on_both_workers_then_unblock(edge, console):
    attack = request_from(edge.port, A, path="/?file=../../etc/passwd", headers={"x-request-id": "e2e-iplists-attack"})
    assert attack == 403
    v = console.wait_verdict("e2e-iplists-attack")
    assert v is not None and v["source_ip"] == A and v["action"] == "blocked", v
    assert request_from(edge.port, A) == 200, "a benign request from A passes before the block"

    status, entry = console.api("POST", "/api/ip-lists", {"list": "block", "cidr": A, "note": "e2e attacker", "expires_in_s": 3600})
    assert status == 201, entry
    assert entry["cidr"] == A + "/32"
    took = wait_on_both_workers(edge, A, 403)
    assert took is not None and took < 10, f"A not blocked on both workers within 10 s ({took})"

    # Every request from A on fresh connections is refused, whichever worker takes it, and
    # both workers took some; B is untouched.
    statuses, busy = on_both_workers(edge, A, 403)
    assert statuses == [403] * len(statuses), statuses
    assert len(busy) >= 2, f"only {busy} served: the test did not reach both workers"
    assert all(request_from(edge.port, B) == 200 for _ in range(10))
    # Each worker's root context took the list (the log names the thread).
    threads = worker_threads_logging(edge, "console IP lists: 1 entries in force")
    assert len(threads) >= 2, edge.log_tail()
    # A denied verdict for the block.
    status = request_from(edge.port, A, headers={"x-request-id": "e2e-iplists-denied"})
    assert status == 403
    v = console.wait_verdict("e2e-iplists-denied")
    assert v is not None and v["action"] == "denied", v

    # Every mode but off: monitor enforces it, off does not.
    assert request_from(edge.port, A, host="monitor.localhost") == 403
    assert request_from(edge.port, A, host="off.localhost") == 200

    status, _ = console.api("DELETE", f"/api/ip-lists/{entry['id']}")
    assert status == 204
    took = wait_on_both_workers(edge, A, 200)
    assert took is not None and took < 10, f"A not unblocked on both workers within 10 s ({took})"
    statuses, busy = on_both_workers(edge, A, 200)
    assert statuses == [200] * len(statuses) and len(busy) >= 2, (statuses, busy)


@pytest.fixture(scope="module")
def fast_edge(console, backend):
    """Envoy (2 workers) polling every 500 ms: stale after 1.5 s without a good fetch."""
    token = console.add_node("edge-fast")
    e = harness.Envoy(console.workdir, "ip-lists-fast", config(token, {"interval_ms": 500}), backend.port, console.port,
                      concurrency=2)
    yield e
    e.stop()


def test_collector_down_keeps_the_last_list_and_says_it_is_stale(fast_edge, console):
    status, entry = console.api("POST", "/api/ip-lists", {"list": "block", "cidr": "203.0.113.0/24", "note": "e2e outage"})
    assert status == 201, entry
    try:
        assert wait_on_both_workers(fast_edge, A, 403) is not None
        assert fast_edge.stat("wasmcustom.portcullis.ip_list_stale") == 0
        console.kill()
        time.sleep(3)
        statuses, busy = on_both_workers(fast_edge, A, 403, n=30)
        assert statuses == [403] * len(statuses) and len(busy) >= 2, (statuses, busy)
        assert request_from(fast_edge.port, B) == 200
        deadline = time.time() + 5
        while time.time() < deadline and fast_edge.stat("wasmcustom.portcullis.ip_list_stale") != 1:
            time.sleep(0.1)
        assert fast_edge.stat("wasmcustom.portcullis.ip_list_stale") == 1
        assert fast_edge.stat("wasmcustom.portcullis.ip_list_fetch_errors") > 0
        assert len(worker_threads_logging(fast_edge, "fetching the console IP lists failed")) >= 2, fast_edge.log_tail()
    finally:
        console.restart()
    deadline = time.time() + 10
    while time.time() < deadline and fast_edge.stat("wasmcustom.portcullis.ip_list_stale") != 0:
        time.sleep(0.1)
    assert fast_edge.stat("wasmcustom.portcullis.ip_list_stale") == 0, "fresh again once the collector answers"
    assert len(worker_threads_logging(fast_edge, "console IP lists fetched again after")) >= 2, fast_edge.log_tail()
    status, _ = console.api("DELETE", f"/api/ip-lists/{entry['id']}")
    assert status == 204
    assert wait_on_both_workers(fast_edge, A, 200) is not None


def test_a_group_entry_reaches_only_that_group(edge, fast_edge, console):
    """edge-e2e is in prod-eu, edge-fast in no group."""
    status, entry = console.api("POST", "/api/ip-lists", {"list": "block", "cidr": B, "group": "prod-eu"})
    assert status == 201, entry
    try:
        assert wait_on_both_workers(edge, B, 403) is not None
        time.sleep(1.5)  # three polls of the fast edge
        assert request_from(fast_edge.port, B) == 200
    finally:
        console.api("DELETE", f"/api/ip-lists/{entry['id']}")
