"""Response inspection through real Envoy. proxy-wasm cannot hold the
response headers while reading the body (Envoy stops every callback until
the filter resumes), so a phase-4 block comes after the headers have left:
the filter resets the stream and the client gets none of the body."""

import socket
import uuid

import pytest

import harness
from conftest import verdict_log

LEAK = {
    "mode": "block",
    "application_id": "leaks",
    "rules": [
        "SecResponseBodyAccess On",
        "SecResponseBodyMimeType application/json text/html text/plain",
        'SecRule RESPONSE_BODY "@contains top-secret-token" "id:41,phase:4,deny,status:403,log,msg:\'data leak\'"',
    ],
    "verdict_log": verdict_log(),
}


@pytest.fixture(scope="module")
def leak(envoys):
    return envoys("leak", LEAK)


def test_response_body_rule_cuts_the_response_and_logs_the_block(leak, collector):
    rid = "resp-" + uuid.uuid4().hex
    head, body = harness.corpus_request({"method": "GET", "uri": "/files/top-secret-token",
                                         "headers": [["Host", "shop.example.com"]]}, rid)
    with socket.create_connection(("127.0.0.1", leak.port), timeout=15) as s:
        s.sendall(head + body)
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
