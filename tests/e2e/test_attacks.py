"""Attacks through real Envoy with the built-in rule pack (@builtin), block
and monitor modes, and the verdicts the collector receives."""

import base64
import json

import pytest


def blocked(envoy, backend, rid, status, body):
    assert status == 403, f"expected a block, got {status}: {body[:200]!r}"
    assert json.loads(body)["id"] == rid
    assert backend.saw(rid) == [], "the backend must never see a blocked request"


def test_path_traversal_in_query_is_blocked(block, backend, rid):
    status, _, body = block.get("/?file=../../etc/passwd", {"x-request-id": rid})
    blocked(block, backend, rid, status, body)


def test_etc_passwd_path_as_is_is_blocked(block, backend, rid):
    status, _, body = block.get("/etc/passwd", {"x-request-id": rid})
    blocked(block, backend, rid, status, body)


def test_dot_dot_path_as_is_is_blocked(block, backend, rid):
    status, _, body = block.get("/static/../../../etc/passwd", {"x-request-id": rid})
    blocked(block, backend, rid, status, body)


def test_sqli_in_urlencoded_body_is_blocked(block, backend, rid):
    status, _, body = block.post("/login", "user=admin' OR '1'='1' -- &pass=x",
                                 "application/x-www-form-urlencoded", {"x-request-id": rid})
    blocked(block, backend, rid, status, body)


def test_sqli_in_json_body_is_blocked(block, backend, rid):
    payload = json.dumps({"user": {"name": "x' UNION SELECT password FROM users --"}})
    status, _, body = block.post("/api/login", payload, "application/json", {"x-request-id": rid})
    blocked(block, backend, rid, status, body)


def test_xss_in_query_is_blocked(block, backend, rid):
    status, _, body = block.get("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", {"x-request-id": rid})
    blocked(block, backend, rid, status, body)


def test_scanner_user_agent_is_blocked(block, backend, rid):
    status, _, body = block.get("/", {"x-request-id": rid, "User-Agent": "sqlmap/1.7.2#stable (https://sqlmap.org)"})
    blocked(block, backend, rid, status, body)


def test_benign_requests_pass(block, backend, rid):
    status, _, _ = block.get("/products?category=books&sort=price", {"x-request-id": rid})
    assert status == 200
    status, _, _ = block.post("/api/cart", json.dumps({"item": 12, "qty": 2}), "application/json")
    assert status == 200


def test_monitor_mode_lets_attacks_through_and_logs_monitored(monitor, backend, collector, rid):
    status, _, body = monitor.get("/?file=../../etc/passwd", {"x-request-id": rid})
    assert status == 200, body
    assert len(backend.saw(rid)) == 1
    v = collector.wait_verdict(rid)
    assert v is not None, "no verdict for the monitored request"
    assert v["action"] == "monitored" and v["mode"] == "monitor"
    assert v["application_id"] == "shop-monitor"
    assert v["matched"], "monitored verdicts list the rules that matched"
    assert monitor.stat("wasmcustom.portcullis.monitored") >= 1


@pytest.mark.parametrize("method,path,body,ctype,headers", [
    ("GET", "/?file=../../etc/passwd", None, None, {}),
    ("GET", "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", None, None, {}),
    ("POST", "/login", "user=admin' OR '1'='1' -- ", "application/x-www-form-urlencoded", {}),
    ("GET", "/", None, None, {"User-Agent": "sqlmap/1.7.2#stable (https://sqlmap.org)"}),
])
def test_every_blocked_request_reaches_the_collector(block, collector, rid, method, path, body, ctype, headers):
    h = dict(headers, **{"x-request-id": rid})
    if method == "GET":
        status, _, _ = block.get(path, h)
    else:
        status, _, _ = block.post(path, body, ctype, h)
    assert status == 403
    v = collector.wait_verdict(rid)
    assert v is not None, f"no verdict for {method} {path}"
    assert v["action"] == "blocked" and v["status"] == 403 and v["mode"] == "block"
    assert v["application_id"] in (7, "7")
    assert v["host"] == "shop.example.com"
    assert v["method"] == method and v["path"] == path
    assert v["source_ip"] == "127.0.0.1"
    assert v["matched"] and all(isinstance(m["id"], int) for m in v["matched"])
    assert v["attack_types"], "attack types come from the matched rules' tags"


def test_ssrf_in_one_xml_element_is_blocked(block, backend, rid):
    # XML://text(): the URL is one element's whole text, not the tail of
    # the root's text run together.
    doc = ("<?xml version=\"1.0\"?>\n<fetch>\n  <id>7</id>\n"
           "  <url>http://169.254.169.254/latest/meta-data/iam/security-credentials/</url>\n</fetch>")
    status, _, body = block.post("/api/v1/previews", doc, "application/xml", {"x-request-id": rid})
    blocked(block, backend, rid, status, body)


def test_payload_in_a_base64_bearer_token_is_blocked(block, backend, rid):
    token = base64.b64encode(b"' UNION SELECT password FROM users--").decode()
    status, _, body = block.get("/api/v1/orders", {"x-request-id": rid, "Authorization": f"Bearer {token}"})
    blocked(block, backend, rid, status, body)


def test_payload_inside_a_graphql_operation_is_blocked(block, backend, rid):
    # SecGraphQLArguments: the string written in the operation is a value of
    # its own, so its base64 is decoded as a whole value.
    sqli = base64.b64encode(b"1 union select password from users--").decode()
    doc = json.dumps({"query": 'mutation { updateProfile(input: { id: "%s", locale: "en-GB" }) { id } }' % sqli,
                      "variables": {}})
    status, _, body = block.post("/graphql", doc, "application/json", {"x-request-id": rid})
    blocked(block, backend, rid, status, body)
    ok = json.dumps({"query": 'query { products(query: "union station select seats", first: 5) { id } }'})
    status, _, _ = block.post("/graphql", ok, "application/json")
    assert status == 200


def test_xml_orders_and_basic_credentials_pass(block, backend, rid):
    doc = ("<?xml version=\"1.0\"?>\n<order>\n  <id>7</id>\n  <url>https://shop.example.com/p/42</url>\n"
           "  <note>Ring twice &amp; wait</note>\n</order>")
    status, _, _ = block.post("/api/v1/orders", doc, "application/xml", {"x-request-id": rid})
    assert status == 200
    basic = base64.b64encode(b"bob:p@ss;w0rd!").decode()
    status, _, _ = block.get("/api/v1/orders", {"Authorization": f"Basic {basic}"})
    assert status == 200


def test_header_line_in_a_mail_subject_is_blocked(block, backend, rid):
    # 4256120: a subject is one line; after a break, "Cc:" is a header of
    # the sender's own whatever the first line says. The same lines in the
    # message body pass.
    form = ("name=Dana&subject=Order+question%0D%0ACc%3A+all-staff%40shop.example"
            "&message=Hello%2C+when+will+order+58123+ship%3F")
    status, _, body = block.post("/contact", form, "application/x-www-form-urlencoded", {"x-request-id": rid})
    blocked(block, backend, rid, status, body)
    form = ("name=Dana&subject=Order+question"
            "&message=Hi%2C%0D%0ACc%3A+please+copy+my+colleague%0D%0AThanks")
    status, _, _ = block.post("/contact", form, "application/x-www-form-urlencoded")
    assert status == 200
