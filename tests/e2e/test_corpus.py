"""The request corpus (tests/corpus, or PORTCULLIS_CORPUS: 10 benign
requests, 24 attacks) byte for byte through real Envoy with the production rule set,
`@builtin` + the embedded CRS at PL1: every request gets the verdict its
file expects, blocked requests never reach the backend, and CRS rules show
up in the Envoy log and the collector."""

import os
import uuid

import pytest

import harness
from bench_support import CorpusRequest, send_raw  # scripts/, on the path harness sets

CORPUS = harness.corpus_dir()
FILES = sorted(f for f in os.listdir(CORPUS) if f.endswith(".json")) if os.path.isdir(CORPUS) else []


def test_corpus_is_present():
    assert len(FILES) >= 30, f"no request corpus at {CORPUS} (set PORTCULLIS_CORPUS)"


def send(envoy, name, rid):
    """Corpus request `name` byte for byte, with x-request-id `rid`: (request, status, body)."""
    req = CorpusRequest(os.path.join(CORPUS, name))
    status, body = send_raw(envoy.port, req, extra_headers=[("x-request-id", rid)])
    return req, status, body


@pytest.mark.parametrize("name", FILES)
def test_corpus_request_gets_its_expected_verdict(production, backend, name):
    rid = "corpus-" + uuid.uuid4().hex
    req, status, body = send(production, name, rid)
    if req.expect == "block":
        assert status == 403, f"{name}: expected a block, got {status}: {body[:200]!r}"
        assert backend.saw(rid) == [], f"{name}: the backend saw a blocked request"
    else:
        assert status == 200, f"{name}: expected to pass, got {status}: {body[:200]!r}"
        assert len(backend.saw(rid)) == 1


def test_crs_rules_are_in_the_log_and_the_verdict(crs_only, backend, collector):
    rid = "corpus-" + uuid.uuid4().hex
    _, status, _ = send(crs_only, "a03-sqli-query-union.json", rid)
    assert status == 403
    assert backend.saw(rid) == []
    v = collector.wait_verdict(rid)
    assert v is not None, "no verdict for a03"
    ids = {m["id"] for m in v["matched"]}
    assert {942100, 949110} <= ids, ids
    assert "sqli" in v["attack_types"]
    assert v["application_id"] == "crs"
    assert v["anomaly_score"] >= 5
    log = crs_only.log_text()
    assert '[id "942100"]' in log and rid in log
