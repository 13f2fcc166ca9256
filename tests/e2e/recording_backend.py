"""A raw TCP HTTP/1.1 backend for the end-to-end tests that records every
connection and every byte it receives, with timestamps, whether or not the
bytes ever form a complete request. It runs in threads of the test process.

Complete requests (Content-Length or chunked framing) are answered with a
small 200. Connections are kept alive by default; with `close_each` set,
every response says `Connection: close` and the connection is closed after
it, so the proxy must open a fresh upstream connection for each request.
With `answer_early` set, the response head (chunked) and a first chunk are
sent as soon as a request head is in, before its body, as a streaming
backend does; the last chunk follows when the request is complete.

What arrived between two moments: `mark = backend.mark()`, then
`backend.since(mark)` (a `Delta`: the new connections and the new bytes on
every connection, old or new).

Only loopback; every loop is bounded by a socket timeout and a stop flag."""

import socket
import threading
import time

RESPONSE_BODY = b"backend ok\n"


def parse_head(head):
    """(request line, [(name, value)]) of a request head (bytes up to the blank line)."""
    lines = head.split(b"\r\n")
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(b":")
        headers.append((name.strip().decode("latin-1"), value.strip().decode("latin-1")))
    return lines[0].decode("latin-1"), headers


def header(headers, name):
    """The first value of header `name` (case-insensitive), or None."""
    for n, v in headers:
        if n.lower() == name.lower():
            return v
    return None


def dechunk(data):
    """(body, bytes consumed) of a complete chunked body at the start of
    `data` (trailers skipped), or None while it is incomplete."""
    body = []
    pos = 0
    while True:
        eol = data.find(b"\r\n", pos)
        if eol < 0:
            return None
        size = int(data[pos:eol].split(b";")[0].strip() or b"0", 16)
        pos = eol + 2
        if size == 0:
            # Trailers (usually none), then the blank line.
            while True:
                eol = data.find(b"\r\n", pos)
                if eol < 0:
                    return None
                line, pos = data[pos:eol], eol + 2
                if not line:
                    return b"".join(body), pos
        if len(data) < pos + size + 2:
            return None
        body.append(data[pos:pos + size])
        pos += size + 2


class Request:
    """One complete request as the backend received it."""

    def __init__(self, connection_id, head, body, at):
        self.connection_id = connection_id
        self.head = head
        self.line, self.headers = parse_head(head)
        self.body = body
        self.at = at

    def header(self, name):
        return header(self.headers, name)

    def __repr__(self):
        return f"Request(conn={self.connection_id}, {self.line!r}, body={len(self.body)} bytes)"


class Connection:
    """One accepted connection: every read with its time, how it ended."""

    def __init__(self, cid, sock, peer):
        self.id = cid
        self.sock = sock
        self.peer = peer
        self.opened = time.monotonic()
        self.reads = []  # [(monotonic time, bytes)]
        self.requests = []
        self.closed = None  # monotonic time
        self.ended = None  # "eof" (peer closed), "reset", "server-close", "stopped"

    @property
    def data(self):
        return b"".join(chunk for _, chunk in self.reads)

    def __repr__(self):
        return (f"Connection(id={self.id}, {len(self.data)} bytes in {len(self.reads)} reads, "
                f"{len(self.requests)} requests, ended={self.ended})")


class Delta:
    """What arrived since a mark: `connections` opened since, and `bytes_on`
    every connection (old or new) that received something."""

    def __init__(self, connections, bytes_on):
        self.connections = connections
        self.bytes_on = bytes_on

    @property
    def data(self):
        """Every new byte, connection by connection."""
        return b"".join(self.bytes_on.values())

    @property
    def empty(self):
        return not self.connections and not self.data

    def describe(self):
        """A short account for assertion messages."""
        received = ", ".join(f"conn {cid}: {data!r}" for cid, data in self.bytes_on.items())
        return f"{len(self.connections)} new connection(s); {received or 'no bytes'}"


class RecordingBackend:
    """The recording HTTP/1.1 server (see the module docs)."""

    def __init__(self, close_each=False, answer_early=False):
        self.close_each = close_each
        self.answer_early = answer_early
        self.lock = threading.Lock()
        self.connections = []
        self.stopping = threading.Event()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.threads = [threading.Thread(target=self._accept, name="recording-backend", daemon=True)]
        self.threads[0].start()

    # -- what arrived ---------------------------------------------------

    def mark(self):
        """The current position: bytes received per connection, and how many connections."""
        with self.lock:
            return {"count": len(self.connections),
                    "bytes": {c.id: sum(len(b) for _, b in c.reads) for c in self.connections}}

    def since(self, mark):
        """A `Delta` of what arrived after `mark`."""
        with self.lock:
            new = self.connections[mark["count"]:]
            bytes_on = {}
            for c in self.connections:
                data = b"".join(b for _, b in c.reads)[mark["bytes"].get(c.id, 0):]
                if data:
                    bytes_on[c.id] = data
            return Delta(list(new), bytes_on)

    def open_connections(self):
        with self.lock:
            return [c for c in self.connections if c.closed is None]

    def requests(self):
        with self.lock:
            return [r for c in self.connections for r in c.requests]

    def requests_with(self, needle):
        """Complete requests whose head contains `needle` (bytes), e.g. an x-request-id."""
        return [r for r in self.requests() if needle in r.head]

    def connections_with(self, needle):
        """Connections whose received bytes contain `needle`."""
        with self.lock:
            return [c for c in self.connections if needle in b"".join(b for _, b in c.reads)]

    def close_idle(self, settle=0.3):
        """Close every open connection (so the proxy's pool is empty) and give
        the proxy `settle` seconds to notice."""
        for c in self.open_connections():
            self._close(c, "server-close")
        time.sleep(settle)

    # -- serving ----------------------------------------------------------

    def _accept(self):
        while not self.stopping.is_set():
            try:
                sock, peer = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            sock.settimeout(0.2)
            with self.lock:
                conn = Connection(len(self.connections) + 1, sock, peer)
                self.connections.append(conn)
            t = threading.Thread(target=self._serve, args=(conn,), name=f"recording-conn-{conn.id}", daemon=True)
            self.threads.append(t)
            t.start()

    def _close(self, conn, how):
        with self.lock:
            if conn.closed is not None:
                return
            conn.closed = time.monotonic()
            conn.ended = how
        for end in (lambda: conn.sock.shutdown(socket.SHUT_RDWR), conn.sock.close):
            try:
                end()
            except OSError:
                pass

    def _serve(self, conn):
        pending = b""
        started = False  # the response to the current request has begun (answer_early)
        while not self.stopping.is_set() and conn.closed is None:
            try:
                chunk = conn.sock.recv(65536)
            except socket.timeout:
                continue
            except ConnectionResetError:
                self._close(conn, "reset")
                return
            except OSError:
                self._close(conn, conn.ended or "server-close")
                return
            if not chunk:
                self._close(conn, "eof")
                return
            with self.lock:
                conn.reads.append((time.monotonic(), chunk))
            pending += chunk
            while True:
                if self.answer_early and not started and b"\r\n\r\n" in pending:
                    started = self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                               b"Transfer-Encoding: chunked\r\n\r\n6\r\nearly\n\r\n")
                done = self._complete_request(conn, pending)
                if done is None:
                    break
                request, pending = done
                close = self.close_each or (request.header("connection") or "").lower() == "close"
                if started:
                    answered, started = self._send(conn, b"0\r\n\r\n"), False
                else:
                    answered = self._answer(conn, close)
                if not answered or close:
                    self._close(conn, "server-close")
                    return
        self._close(conn, conn.ended or "stopped")

    def _complete_request(self, conn, pending):
        """(Request, rest) when `pending` starts with a complete request, else None."""
        end = pending.find(b"\r\n\r\n")
        if end < 0:
            return None
        head, rest = pending[:end + 4], pending[end + 4:]
        _, headers = parse_head(head)
        if (header(headers, "transfer-encoding") or "").lower() == "chunked":
            parsed = dechunk(rest)
            if parsed is None:
                return None
            body, used = parsed
        else:
            length = int(header(headers, "content-length") or 0)
            if len(rest) < length:
                return None
            body, used = rest[:length], length
        request = Request(conn.id, head, body, time.monotonic())
        with self.lock:
            conn.requests.append(request)
        return request, rest[used:]

    def _answer(self, conn, close):
        head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n" % len(RESPONSE_BODY)
                + (b"Connection: close\r\n" if close else b"") + b"\r\n")
        return self._send(conn, head + RESPONSE_BODY)

    @staticmethod
    def _send(conn, data):
        try:
            conn.sock.sendall(data)
            return True
        except OSError:
            return False

    def stop(self):
        self.stopping.set()
        try:
            self.listener.close()
        except OSError:
            pass
        for c in list(self.connections):
            self._close(c, "stopped")
        for t in self.threads:
            t.join(2.0)
