"""Response inspection through real Envoy. proxy-wasm cannot hold the
response headers while reading the body (Envoy stops every callback until
the filter resumes), so a phase-4 block comes after the headers have left:
the filter resets the stream and the client gets none of the body."""

import socket
import uuid


def test_response_body_rule_cuts_the_response_and_logs_the_block(leak, collector):
    rid = "resp-" + uuid.uuid4().hex
    request = (f"GET /files/top-secret-token HTTP/1.1\r\nHost: shop.example.com\r\n"
               f"x-request-id: {rid}\r\nConnection: close\r\n\r\n").encode()
    # Read by hand: http.client gives up on the cut body before we can look.
    with socket.create_connection(("127.0.0.1", leak.port), timeout=15) as s:
        s.sendall(request)
        received = b""
        try:
            while chunk := s.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
    assert b"top-secret-token" not in received, received[:300]
    v = collector.wait_verdict(rid)
    assert v is not None and v["action"] == "blocked", v
    assert [m["id"] for m in v["matched"]] == [41]
    assert leak.stat("wasmcustom.portcullis.blocked") >= 1


def test_clean_response_passes_whole(leak):
    status, _, body = leak.get("/files/public", {})
    assert status == 200 and b"/files/public" in body
