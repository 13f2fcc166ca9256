"""Two collectors, one store: PostgreSQL started by the test, two collector
processes sharing it, one Envoy (two workers) whose verdict cluster lists both
collectors (round robin). Every attack is stored once and either collector's
/api/verdicts shows all of them; both collectors took part in the ingest. The
counter records the workers send through both collectors add up, in the shared
`counters` table (read with psql), to exactly the requests sent, also when one
collector freezes and its records are re-sent to the other; either collector's
/api/summary shows those totals and every verdict. An IP blocked
through one collector's /api/ip-lists is enforced by both Envoy workers (which
fetch the lists from either collector) and lifted through the other."""

import json
import subprocess
import time
import uuid

import pytest

import harness
import pg

ATTACKS = [
    "/?file=../../etc/passwd",
    "/?q=%3Cscript%3Ealert(1)%3C/script%3E",
    "/?id=1%27%20UNION%20SELECT%20password%20FROM%20users--",
]

# The counter key of every request here: the default policy's host key, the configured
# application, the mode.
KEY = ("*", "scale-out", "block")
# What this module's requests through Envoy must add up to: {(host, application_id, mode):
# [requests, blocked, passed, denied]}. Each test that sends requests adds to it (count_sent).
SENT = {}


def count_sent(blocked=0, passed=0, denied=0):
    row = SENT.setdefault(KEY, [0, 0, 0, 0])
    row[0] += blocked + passed + denied
    row[1] += blocked
    row[2] += passed
    row[3] += denied


@pytest.fixture(scope="module")
def own_workdir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("scale-out"))


@pytest.fixture(scope="module")
def postgres():
    server = pg.PgServer()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def store(postgres):
    return postgres.create_database("verdicts")


@pytest.fixture(scope="module")
def node_token(store):
    """A node registered once, in the shared store, before any collector runs."""
    out = subprocess.run([harness.CLI, "collector", "node", "add", "edge-1", "--group", "e2e", "--db", store],
                         check=True, capture_output=True, text=True, timeout=30)
    return out.stdout.strip()


@pytest.fixture(scope="module")
def collectors(own_workdir, store, node_token):
    admin = "pca_" + uuid.uuid4().hex
    started = []
    try:
        for name in ("collector-a", "collector-b"):
            started.append(harness.Collector(own_workdir, harness.free_port(), auth=True, db=store,
                                             name=name, admin_token=admin))
        yield started
    finally:
        for c in started:
            c.stop()


@pytest.fixture(scope="module")
def envoy(own_workdir, backend, collectors, node_token):
    config = {"mode": "block", "application_id": "scale-out", "rules": ["@builtin"],
              # Test clients give their address in X-Forwarded-For (the IP-list test).
              "client_ip": {"from": "x_forwarded_for", "trusted_hops": 1},
              "verdict_log": {"cluster": "portcullis_logs", "authority": "collector",
                              "flush_interval_ms": 100, "token": node_token},
              "ip_lists": {"interval_ms": 500}}
    e = harness.Envoy(own_workdir, "scale-out", config, backend.port, None, concurrency=2,
                      collector_ports=[c.port for c in collectors])
    yield e
    e.stop()


def verdict_requests(envoy):
    """Requests the verdict cluster sent to each collector port (Envoy's /clusters)."""
    _, _, body = harness.request(envoy.admin, "GET", "/clusters")
    out = {}
    for line in body.decode().splitlines():
        parts = line.split("::")
        if len(parts) == 4 and parts[0] == "portcullis_logs" and parts[2] == "rq_success":
            out[int(parts[1].rsplit(":", 1)[1])] = int(parts[3])
    return out


def test_two_collectors_share_one_store(envoy, collectors):
    sent = []
    # Spread over several flush intervals, so that both workers send several batches.
    for i in range(24):
        rid = f"scale-{i}-{uuid.uuid4().hex[:8]}"
        status, _, _ = envoy.get(ATTACKS[i % len(ATTACKS)], {"x-request-id": rid})
        assert status == 403, rid
        sent.append(rid)
        count_sent(blocked=1)
        time.sleep(0.05)

    deadline = time.time() + 20
    while time.time() < deadline:
        stored = [v["unique_id"] for v in collectors[0].verdicts()]
        if set(sent) <= set(stored):
            break
        time.sleep(0.2)

    for c in collectors:
        stored = [v["unique_id"] for v in c.verdicts()]
        missing = set(sent) - set(stored)
        assert not missing, f"collector on {c.port} lacks {sorted(missing)}"
        assert sorted(stored) == sorted(sent), "each verdict exactly once, nothing else"

    per_collector = verdict_requests(envoy)
    assert set(per_collector) == {c.port for c in collectors}, per_collector
    assert all(n > 0 for n in per_collector.values()), f"both collectors ingest: {per_collector}"


def counter_totals(postgres):
    """{(host, application_id, mode): [requests, blocked, passed, denied]} of node edge-1,
    summed over minutes, straight from the shared store."""
    out = postgres.psql("verdicts",
                        "SELECT c.host, c.application_id, c.mode, sum(c.requests), sum(c.blocked), sum(c.passed), sum(c.denied) "
                        "FROM counters c JOIN nodes n ON n.id = c.node WHERE n.name = 'edge-1' GROUP BY 1, 2, 3")
    totals = {}
    for line in out.splitlines():
        host, app, mode, *counts = line.split("|")
        totals[(host, app, mode)] = [int(n) for n in counts]
    return totals


def wait_counter_totals(postgres, timeout=30.0):
    deadline = time.time() + timeout
    got = None
    while time.time() < deadline:
        got = counter_totals(postgres)
        if got == SENT:
            return
        time.sleep(0.25)
    pytest.fail(f"counters after {timeout}s:\n got {got}\nwant {SENT}")


def send_mix(envoy, benign, attacks, tag):
    """Benign requests (200) and attacks (403); returns the attacks' request ids."""
    rids = []
    for i in range(benign):
        status, _, _ = envoy.get(f"/version?n={i}")
        assert status == 200
        count_sent(passed=1)
    for i in range(attacks):
        rid = f"{tag}-{i}-{uuid.uuid4().hex[:8]}"
        status, _, _ = envoy.get(ATTACKS[i % len(ATTACKS)], {"x-request-id": rid})
        assert status == 403, rid
        count_sent(blocked=1)
        rids.append(rid)
    return rids


def test_counters_through_both_collectors_add_up(envoy, collectors, postgres):
    send_mix(envoy, benign=30, attacks=6, tag="count")
    wait_counter_totals(postgres)

    # One collector frozen: the calls it holds are answered only after Envoy gave up on them
    # (5 s), so the filter re-sends those records (same record_id) and round robin takes them to
    # the other collector, while the frozen one stores them too once thawed. The shared store
    # adds each record once.
    collectors[0].freeze()
    try:
        rids = send_mix(envoy, benign=10, attacks=3, tag="frozen")
        time.sleep(7)
    finally:
        collectors[0].thaw()
    assert envoy.stat("wasmcustom.portcullis.counter_send_errors") > 0, "calls to the frozen one failed"
    wait_counter_totals(postgres, timeout=60)
    # A few more flush intervals: heartbeats add nothing, nothing is counted twice.
    time.sleep(2)
    assert counter_totals(postgres) == SENT
    deadline = time.time() + 20
    while time.time() < deadline and not set(rids) <= {v["unique_id"] for v in collectors[1].verdicts()}:
        time.sleep(0.2)
    stored = [v["unique_id"] for v in collectors[1].verdicts()]
    assert all(stored.count(rid) == 1 for rid in rids), "each verdict once, re-sent or not"

    # Counter records went through both collectors: each answered more calls than there were
    # verdict batches at all (at most one per attack), so the rest were counter records.
    attacks = SENT[KEY][1]
    per_collector = verdict_requests(envoy)
    assert all(n > attacks for n in per_collector.values()), f"{per_collector}, {attacks} attacks"
    # The console of either collector shows the union: every request the workers counted and
    # every verdict, whichever collector received it.
    attacks_stored = len(collectors[1].verdicts())
    for c in collectors:
        status, summary = c.api("GET", "/api/summary")  # the last hour
        assert status == 200, summary
        requests, blocked, passed, denied = SENT[KEY]
        totals = summary["totals"]
        assert (totals["requests"], totals["blocked"], totals["passed"]) == (requests, blocked, passed), summary
        assert summary["verdicts"] == attacks_stored, summary
        status, nodes = c.api("GET", "/api/nodes")
        assert status == 200, nodes
        edge = next(n for n in nodes["nodes"] if n["name"] == "edge-1")
        assert edge["live_workers"] >= 2 and not edge["stale"], edge
    # Both workers (and Envoy's main-thread VM) report into the one store, one fingerprint.
    workers = postgres.psql("verdicts", "SELECT w.worker, w.ruleset_fingerprint FROM node_workers w "
                                        "JOIN nodes n ON n.id = w.node WHERE n.name = 'edge-1'").splitlines()
    assert len(workers) >= 2, workers
    assert len({w.split("|")[1] for w in workers}) == 1, workers


def statuses_from(envoy, source, n=10):
    """`n` benign GETs from `source`, each on a new connection (either worker may take it),
    counted in SENT: passed (200) or denied by the IP list (403)."""
    out = []
    for _ in range(n):
        status, _, _ = harness.request(envoy.port, "GET", "/version", {"X-Forwarded-For": source})
        assert status in (200, 403), status
        count_sent(passed=int(status == 200), denied=int(status == 403))
        out.append(status)
    return out


def wait_statuses(envoy, source, want, timeout=10.0):
    """Seconds until 10 requests in a row from `source` all got `want`; the workers fetch the
    lists round robin from both collectors, so a collector that did not serve the shared
    entry would make the answer flip."""
    start = time.time()
    while time.time() - start < timeout:
        if statuses_from(envoy, source) == [want] * 10:
            return time.time() - start
        time.sleep(0.1)
    return None


def test_an_ip_blocked_on_one_collector_is_enforced_and_lifted_through_both(envoy, collectors, postgres):
    source = "203.0.113.61"
    assert statuses_from(envoy, source, 3) == [200] * 3
    status, entry = collectors[0].api("POST", "/api/ip-lists",
                                       {"list": "block", "cidr": source, "note": "scale-out", "expires_in_s": 600})
    assert status == 201, entry
    took = wait_statuses(envoy, source, 403)
    assert took is not None, "blocked within 10 s"
    # Steady: several more fetch intervals, every fetch from either collector keeps it.
    time.sleep(1.5)
    assert statuses_from(envoy, source, 20) == [403] * 20
    # The other collector lists it and removes it.
    status, listed = collectors[1].api("GET", "/api/ip-lists")
    assert status == 200 and [e["id"] for e in listed["entries"]] == [entry["id"]], listed
    assert collectors[1].api("DELETE", f"/api/ip-lists/{entry['id']}")[0] == 204
    assert wait_statuses(envoy, source, 200) is not None, "lifted within 10 s"
    # Every request of the module counted once through both collectors, the list's refusals
    # as denied.
    wait_counter_totals(postgres)


def test_node_list_on_the_shared_store_shows_the_node_seen(store, envoy):
    out = subprocess.run([harness.CLI, "collector", "node", "list", "--db", store],
                         check=True, capture_output=True, text=True, timeout=30).stdout
    line = next(l for l in out.splitlines() if l.startswith("edge-1"))
    assert "e2e" in line, out
    # LAST SEEN is a time, not "-": the collectors marked the node seen in the shared store.
    assert line.split()[3] != "-", out


def test_an_unreachable_store_stops_the_collector_with_its_name(own_workdir, postgres):
    url = f"postgres://portcullis:hunter2@127.0.0.1:{harness.free_port()}/verdicts"
    out = subprocess.run([harness.CLI, "collector", "--listen", f"127.0.0.1:{harness.free_port()}",
                          "--db", url, "--insecure-no-auth"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2, out
    text = out.stdout + out.stderr
    assert "postgres://portcullis:***@127.0.0.1" in text, text
    assert "hunter2" not in text, text
    # The JSON log line says why.
    errors = [json.loads(l) for l in out.stderr.splitlines() if l.startswith("{")]
    assert any("refused" in json.dumps(e).lower() for e in errors), text
