#!/usr/bin/env python3
"""Turn corpus JSON requests into modsec_bench request files.

Usage: req_from_corpus.py bench|exchange OUT_DIR CORPUS.json...

Each output file (OUT_DIR/<name>.req) is a sequence of fields, each written
as "<decimal length>\\n<bytes>\\n" (see modsec_bench.c for the order).

Two modes, mirroring the two Portcullis drivers the results are compared with:
- bench: what crates/engine/tests/common/mod.rs `run` feeds the engine in
  the corpus benchmark: client 192.0.2.10:40000, server 192.0.2.1:80, the
  body as written in the corpus file, then a 200 response with
  `Content-Type: text/html` and no body; every phase runs.
- exchange: what `portcullis eval` feeds it (crates/cli/src/exchange.rs):
  client 172.18.0.1:41234, server 172.18.0.2:8080, UNIQUE_ID
  "portcullis-eval", the message body (chunked decoded, else cut to
  Content-Length, else none), and the simulated albedo backend's answer for a
  non-/reflect request (200, Date, Content-Length: 0); it stops at the first
  intervention like a connector, then runs logging.
"""

import json
import os
import sys

MAGIC = b"modsec-bench-request-1"


def field(out, value):
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str):
        value = value.encode("utf-8")
    out.append(str(len(value)).encode() + b"\n" + value + b"\n")


def header_value(headers, name):
    for n, v in headers:
        if n.lower() == name.lower():
            return v
    return None


def decode_chunked(body):
    out, rest = b"", body
    while rest:
        line, _, rest = rest.partition(b"\r\n")
        try:
            size = int(line.split(b";")[0].strip() or b"0", 16)
        except ValueError:
            break
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2:]
    return out


def message_body(req):
    body = req.get("body", "").encode("utf-8")
    te = None
    for n, v in req["headers"]:
        if n.lower() == "transfer-encoding":
            te = v
    if te is not None and te.split(",")[-1].strip().lower() == "chunked":
        return decode_chunked(body)
    cl = header_value(req["headers"], "Content-Length")
    if cl is None:
        return b""
    try:
        return body[: int(cl.strip())]
    except ValueError:
        return body


def convert(req, mode):
    version = req["version"]
    if version.upper().startswith("HTTP/"):
        version = version[5:]
    out = []
    field(out, MAGIC)
    field(out, req["name"])
    if mode == "bench":
        field(out, 0)
        field(out, "")
        field(out, "192.0.2.10")
        field(out, 40000)
        field(out, "192.0.2.1")
        field(out, 80)
        body = req.get("body", "").encode("utf-8")
        resp_headers = [("Content-Type", "text/html")]
    else:
        if req["method"] == "POST" and req["uri"].split("?")[0] in ("/reflect", "/reflect/"):
            sys.exit(f"{req['name']}: albedo /reflect is not modelled here")
        field(out, 1)
        field(out, "portcullis-eval")
        field(out, "172.18.0.1")
        field(out, 41234)
        field(out, "172.18.0.2")
        field(out, 8080)
        body = message_body(req)
        resp_headers = [("Date", "Mon, 01 Jan 2024 00:00:00 GMT"), ("Content-Length", "0")]
    field(out, req["method"])
    field(out, req["uri"])
    field(out, version)
    field(out, len(req["headers"]))
    for n, v in req["headers"]:
        field(out, n)
        field(out, v)
    field(out, body)
    field(out, 200)
    field(out, len(resp_headers))
    for n, v in resp_headers:
        field(out, n)
        field(out, v)
    field(out, b"")
    return b"".join(out)


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("bench", "exchange"):
        sys.exit(__doc__)
    mode, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    for path in sys.argv[3:]:
        with open(path, "rb") as f:
            req = json.load(f)
        with open(os.path.join(out_dir, req["name"] + ".req"), "wb") as f:
            f.write(convert(req, mode))


if __name__ == "__main__":
    main()
