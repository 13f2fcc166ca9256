#!/usr/bin/env python3
"""Demo backend for Portcullis (Python standard library only).

- `GET /version` answers 200 with a small JSON document.
- Any other request is echoed back as JSON: method, path, headers, body.
- Every request is recorded; `GET /__backend/requests` returns the record
  (JSON list) and `DELETE /__backend/requests` clears it, so tests can assert
  that a blocked request never reached the backend. These two paths are
  meant to be called directly, not through Envoy, and are not recorded.

    python3 examples/demo/backend.py --port 8080
"""

import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RECORD_PATH = "/__backend/requests"
SEEN = []
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "portcullis-demo-backend/1"

    def log_message(self, fmt, *args):  # keep test output quiet unless asked
        if self.server.verbose:
            sys.stderr.write("backend: " + (fmt % args) + "\n")

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            raise ConnectionError("request body cut short")
        return body

    def send_json(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        try:
            body = self.read_body()
        except (ConnectionError, ValueError):
            # Envoy reset the upstream request (e.g. Portcullis blocked it in
            # phase 2): the request never completed, so it is not recorded.
            self.close_connection = True
            return
        if self.path == RECORD_PATH:
            with LOCK:
                if self.command == "DELETE":
                    SEEN.clear()
                    return self.send_json(200, {"cleared": True})
                return self.send_json(200, list(SEEN))
        seen = {
            "method": self.command,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body.decode("utf-8", "replace"),
        }
        with LOCK:
            SEEN.append(seen)
        if self.path == "/version":
            return self.send_json(200, {"name": "portcullis-demo-backend", "version": "1.0"})
        self.send_json(200, seen)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = handle_any


def main(argv=None):
    p = argparse.ArgumentParser(description="Portcullis demo backend")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--verbose", action="store_true")
    a = p.parse_args(argv)
    server = ThreadingHTTPServer((a.host, a.port), Handler)
    server.daemon_threads = True
    server.verbose = a.verbose
    sys.stderr.write(f"backend: listening on http://{a.host}:{server.server_port}\n")
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
