"""verdict_log.format otlp: the filter sends verdicts as OpenTelemetry logs
(OTLP/HTTP JSON) that OpenTelemetry's own protobuf definitions read, and the
collector's /v1/logs stores them like NDJSON verdicts."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest

import harness

OTLP = {"mode": "block", "application_id": 7, "rules": ["@builtin"],
        "verdict_log": {"cluster": "portcullis_logs", "authority": "otel-collector",
                        "flush_interval_ms": 100, "format": "otlp"}}
ATTACK = "/?file=../../etc/passwd"


class FakeOtelCollector:
    """An OTLP/HTTP receiver on 127.0.0.1 that records each request and answers `{}`."""

    def __init__(self):
        self.requests = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                with outer.lock:
                    outer.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                           "body": body})
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_record(self, unique_id, timeout=15.0):
        """(request, parsed ExportLogsServiceRequest, log record) carrying this unique_id."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                seen = list(self.requests)
            for req in seen:
                parsed = json_format.Parse(req["body"], ExportLogsServiceRequest())
                for rl in parsed.resource_logs:
                    for sl in rl.scope_logs:
                        for rec in sl.log_records:
                            if attrs(rec).get("portcullis.unique_id") == unique_id:
                                return req, parsed, rec
            time.sleep(0.1)
        return None

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def value(v):
    """An AnyValue as plain Python."""
    kind = v.WhichOneof("value")
    if kind == "array_value":
        return [value(x) for x in v.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: value(kv.value) for kv in v.kvlist_value.values}
    return getattr(v, kind) if kind else None


def attrs(rec):
    return {kv.key: value(kv.value) for kv in rec.attributes}


@pytest.fixture(scope="module")
def otel():
    o = FakeOtelCollector()
    yield o
    o.stop()


@pytest.fixture(scope="module")
def otlp_envoy(tmp_path_factory, backend, otel):
    e = harness.Envoy(str(tmp_path_factory.mktemp("otlp")), "otlp", OTLP, backend.port, otel.port)
    yield e
    e.stop()


def test_filter_sends_otlp_logs_that_the_official_protobufs_parse(otlp_envoy, otel, rid):
    status, _, _ = otlp_envoy.get(ATTACK, {"x-request-id": rid})
    assert status == 403
    found = otel.wait_record(rid)
    assert found, f"no OTLP log record for {rid}; envoy log:\n{otlp_envoy.log_tail()}"
    req, parsed, rec = found
    assert req["path"] == "/v1/logs"
    assert req["headers"]["content-type"] == "application/json"
    resource = {kv.key: value(kv.value) for kv in parsed.resource_logs[0].resource.attributes}
    assert resource["service.name"] == "portcullis" and resource["service.version"]
    assert parsed.resource_logs[0].scope_logs[0].scope.name == "portcullis"
    a = attrs(rec)
    assert a["portcullis.action"] == "blocked"
    assert a["http.request.method"] == "GET"
    assert a["url.path"] == "/" and a["url.query"] == "file=../../etc/passwd"
    assert a["client.address"] and a["server.address"] == "shop.example.com"
    assert a["http.response.status_code"] == 403
    assert a["portcullis.application_id"] == 7
    assert a["portcullis.anomaly_score"] > 0
    assert a["portcullis.record_id"]
    assert a["portcullis.rule_ids"] and all(isinstance(i, int) for i in a["portcullis.rule_ids"])
    assert [m["id"] for m in a["portcullis.matched"]] == a["portcullis.rule_ids"]
    assert "lfi" in a["portcullis.attack_types"]
    assert rec.severity_text == "WARN" and rec.severity_number == 13
    assert rec.body.string_value == f"blocked GET {ATTACK} by {a['portcullis.rule_ids'][0]}"
    assert rec.time_unix_nano > 1_700_000_000 * 10**9


def test_collector_stores_what_the_filter_sent_over_otlp(otlp_envoy, otel, collector, rid):
    otlp_envoy.get(ATTACK, {"x-request-id": rid})
    found = otel.wait_record(rid)
    assert found, otlp_envoy.log_tail()
    req, _, _ = found
    headers = {"Content-Type": "application/json"}
    status, _, body = harness.request(collector.port, "POST", "/v1/logs", headers, req["body"])
    assert status == 200, body
    answer = json.loads(body)
    # Records of other requests in the same batch may be there too; none is refused.
    assert "partialSuccess" not in answer or not int(answer["partialSuccess"].get("rejectedLogRecords", 0)), answer
    v = collector.wait_verdict(rid)
    assert v, "the verdict was not stored"
    assert (v["action"], v["method"], v["path"], v["application_id"], v["status"]) == ("blocked", "GET", ATTACK, 7, 403)
    assert v["matched"] and v["record_id"]
    # The same request again: the record ids are stored once.
    status, _, body = harness.request(collector.port, "POST", "/v1/logs", headers, req["body"])
    assert status == 200, body
    assert collector.count(rid) == 1


def test_collector_refuses_foreign_logs_and_protobuf(collector):
    foreign = {"resourceLogs": [{"scopeLogs": [{"logRecords": [
        {"body": {"stringValue": "GET / 200"}, "attributes": [{"key": "http.request.method", "value": {"stringValue": "GET"}}]}]}]}]}
    status, _, body = harness.request(collector.port, "POST", "/v1/logs", {"Content-Type": "application/json"},
                                      json.dumps(foreign))
    assert status == 200, body
    partial = json.loads(body)["partialSuccess"]
    assert partial["rejectedLogRecords"] == "1" and "not a Portcullis verdict" in partial["errorMessage"]
    status, _, body = harness.request(collector.port, "POST", "/v1/logs", {"Content-Type": "application/x-protobuf"}, b"\x0a\x00")
    assert status == 415 and b"JSON" in body
    status, _, _ = harness.request(collector.port, "POST", "/v1/logs", {"Content-Type": "application/json"}, "not json")
    assert status == 400


def test_logs_ingest_needs_a_node_token(tmp_path_factory, otlp_envoy, otel, rid):
    """/v1/logs is ingest: the same node tokens as /v1/verdicts, the admin token refused."""
    otlp_envoy.get(ATTACK, {"x-request-id": rid})
    found = otel.wait_record(rid)
    assert found, otlp_envoy.log_tail()
    body = found[0]["body"]
    c = harness.Collector(str(tmp_path_factory.mktemp("otlp-auth")), harness.free_port(), auth=True)
    try:
        json_ct = {"Content-Type": "application/json"}
        assert harness.request(c.port, "POST", "/v1/logs", json_ct, body)[0] == 401
        admin = dict(json_ct, **c.api_headers())
        assert harness.request(c.port, "POST", "/v1/logs", admin, body)[0] == 401
        token = c.add_node("otlp-edge")
        status, _, answer = harness.request(c.port, "POST", "/v1/logs", dict(json_ct, Authorization=f"Bearer {token}"), body)
        assert status == 200, answer
        assert c.wait_verdict(rid), "not stored with a node token"
    finally:
        c.stop()
