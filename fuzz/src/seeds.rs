//! Seed corpora, built from what the project already tests with: the CRS
//! regression tests (go-ftw YAML, requests built as go-ftw sends them),
//! the shared request corpus, the CRS and `rules/` SecLang files, and a few
//! hand-written exchanges for each body processor.

use std::collections::BTreeMap;
use std::path::Path;

use portcullis_testkit::ftw::{self, build_request, Input};
use portcullis_testkit::HttpRequest;

use crate::request::{self, Exchange};

/// Seeds per target name, each deduplicated.
#[derive(Debug, Default)]
pub struct Seeds {
    /// `target -> seeds`.
    pub by_target: BTreeMap<&'static str, Vec<Vec<u8>>>,
}

impl Seeds {
    fn add(&mut self, target: &'static str, seed: Vec<u8>) {
        let v = self.by_target.entry(target).or_default();
        if !v.contains(&seed) {
            v.push(seed);
        }
    }
}

/// A request with the response to pair it with.
struct Pair {
    req: HttpRequest,
    status: u16,
    resp_headers: Vec<(Vec<u8>, Vec<u8>)>,
    resp_body: Vec<u8>,
}

/// Builds every seed. `crs` is the CRS directory (with `rules/` and
/// `tests/regression/tests`), `corpus` the shared request corpus, `repo`
/// the repository root (for `rules/`). Missing inputs are skipped and
/// reported in the returned notes.
pub fn build(crs: &Path, corpus: &Path, repo: &Path) -> (Seeds, Vec<String>) {
    let mut notes = Vec::new();
    let mut pairs = Vec::new();
    match ftw::load_dir(&crs.join("tests/regression/tests")) {
        Ok(files) => {
            for t in files.iter().flat_map(|f| &f.tests) {
                for s in &t.stages {
                    if let Ok(req) = build_request(&s.input) {
                        pairs.push(pair_from_ftw(req, &s.input));
                    }
                }
            }
        }
        Err(e) => notes.push(format!("CRS tests skipped: {e}")),
    }
    let n_ftw = pairs.len();
    match portcullis_testkit::corpus::load_dir(corpus) {
        Ok(reqs) => pairs.extend(reqs.iter().map(|r| default_pair(r.to_http_request()))),
        Err(e) => notes.push(format!("request corpus skipped: {e}")),
    }
    notes.push(format!("{n_ftw} requests from CRS tests, {} from the corpus", pairs.len() - n_ftw));
    pairs.extend(handmade().into_iter().map(default_pair));

    let mut seeds = Seeds::default();
    for p in &pairs {
        add_request_seeds(&mut seeds, p);
    }
    add_seclang_seeds(&mut seeds, crs, repo, &mut notes);
    (seeds, notes)
}

fn pair_from_ftw(req: HttpRequest, input: &Input) -> Pair {
    let Some(r) = &input.response else { return default_pair(req) };
    let body = if r.body.is_empty() { decode_b64(&r.encoded_body) } else { r.body.clone().into_bytes() };
    let mut headers: Vec<(Vec<u8>, Vec<u8>)> =
        r.headers.iter().map(|(n, v)| (n.clone().into_bytes(), v.clone().into_bytes())).collect();
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(b"content-type")) {
        headers.push((b"Content-Type".to_vec(), b"text/html".to_vec()));
    }
    Pair { req, status: if r.status == 0 { 200 } else { r.status }, resp_headers: headers, resp_body: body }
}

fn default_pair(req: HttpRequest) -> Pair {
    Pair {
        req,
        status: 200,
        resp_headers: vec![
            (b"Content-Type".to_vec(), b"text/html; charset=utf-8".to_vec()),
            (b"Content-Length".to_vec(), b"42".to_vec()),
        ],
        resp_body: b"<html><body><p>Hello, world</p></body></html>".to_vec(),
    }
}

/// Base64 without dependencies (standard alphabet, padding optional,
/// anything else skipped), for `encoded_body`.
fn decode_b64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn add_request_seeds(seeds: &mut Seeds, p: &Pair) {
    let r = &p.req;
    let body = r.message_body();
    let ex = Exchange {
        method: &r.method,
        uri: &r.uri,
        version: &r.version,
        headers: r.headers.iter().map(|(n, v)| (n.as_slice(), v.as_slice())).collect(),
        body: &body,
        status: p.status,
        resp_protocol: b"HTTP/1.1",
        resp_headers: p.resp_headers.iter().map(|(n, v)| (n.as_slice(), v.as_slice())).collect(),
        resp_body: &p.resp_body,
    };
    let enc = request::encode(&ex);
    seeds.add("filter_driver", enc.clone());
    seeds.add("crs_request", enc);

    // body_processors: [processor, limits byte, (content type LF,) body].
    let ct = r.header("content-type").unwrap_or_default().to_ascii_lowercase();
    if !body.is_empty() {
        let sel = if ct.starts_with(b"multipart/") {
            1
        } else if ct.windows(4).any(|w| w == b"json") {
            2
        } else if ct.windows(3).any(|w| w == b"xml") || body.starts_with(b"<?xml") {
            3
        } else {
            0
        };
        let mut s = vec![sel, 0];
        if sel == 1 {
            s.extend_from_slice(r.header("content-type").unwrap_or_default());
            s.push(b'\n');
        }
        s.extend_from_slice(&body);
        seeds.add("body_processors", s);
    }
    if let Some(q) = r.uri.iter().position(|&b| b == b'?') {
        let mut s = vec![0, 0];
        s.extend_from_slice(&r.uri[q + 1..]);
        seeds.add("body_processors", s);
    }

    // transforms: the values rules transform.
    seeds.add("transforms", r.uri.clone());
    for (_, v) in &r.headers {
        if v.len() > 2 {
            seeds.add("transforms", v.clone());
        }
    }
    if !body.is_empty() {
        seeds.add("transforms", body.iter().copied().take(8 << 10).collect());
    }
}

/// A few exchanges for body types the CRS tests use little.
fn handmade() -> Vec<HttpRequest> {
    let req = |ct: &str, body: &[u8]| HttpRequest {
        method: b"POST".to_vec(),
        uri: b"/upload?a=1&b=%27".to_vec(),
        version: b"HTTP/1.1".to_vec(),
        headers: vec![
            (b"Host".to_vec(), b"www.example.com".to_vec()),
            (b"User-Agent".to_vec(), b"Mozilla/5.0".to_vec()),
            (b"Cookie".to_vec(), b"s=1; t=a%20b; =x; u".to_vec()),
            (b"Content-Type".to_vec(), ct.as_bytes().to_vec()),
            (b"Content-Length".to_vec(), body.len().to_string().into_bytes()),
        ],
        body: body.to_vec(),
    };
    vec![
        req(
            "multipart/form-data; boundary=----X",
            b"------X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1' or 1=1\r\n------X\r\n\
Content-Disposition: form-data; name=\"f\"; filename=\"x.php\"\r\nContent-Type: application/x-php\r\n\r\n\
<?php system($_GET['c']); ?>\r\n------X--\r\n",
        ),
        req(
            "multipart/form-data; boundary=\"q b\"",
            b"--q b\nContent-Disposition: form-data; name='a'\n x: folded\n\nv\n--q b--\nafter",
        ),
        req("application/json", b"{\"a\":[1,2.5e3,{\"b\":\"\\u00e9<script>\"}],\"c\":null,\"d\":true}"),
        req("application/json", b"[[[[[[[[[[{\"\":\"\"}]]]]]]]]]]"),
        req(
            "text/xml",
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE r [<!ENTITY e \"x&#60;\">]>\
<r a=\"1\" xmlns:p=\"u\"><p:c b='&e;'>t<![CDATA[<script>]]></p:c><!-- c --><?pi x?></r>",
        ),
        req("application/xml; charset=iso-8859-1", b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>\xe9</r>"),
        req("application/x-www-form-urlencoded", b"a=1&a=2&&=&%zz=%41%u0041+b&c"),
        req("text/plain", b"SELECT * FROM users WHERE id = 1 OR 1=1"),
    ]
}

// ---------------------------------------------------------------------------
// SecLang

fn add_seclang_seeds(seeds: &mut Seeds, crs: &Path, repo: &Path, notes: &mut Vec<String>) {
    let mut files = Vec::new();
    if let Ok(rd) = std::fs::read_dir(crs.join("rules")) {
        files.extend(rd.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "conf")));
    }
    files.push(crs.join("crs-setup.conf.example"));
    let own: Vec<_> = std::fs::read_dir(repo.join("rules/builtin"))
        .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "conf")).collect())
        .unwrap_or_default();
    files.sort();
    let mut n = 0;
    for f in files.iter().chain(&own).chain([&repo.join("rules/base/recommended.conf")]) {
        let Ok(text) = std::fs::read(f) else { continue };
        n += 1;
        // Small files whole (they exercise markers, skipAfter, defaults together).
        if text.len() <= 8 << 10 {
            seeds.add("seclang_parse", text.clone());
        }
        let groups = directives(&text);
        for g in &groups {
            seeds.add("seclang_parse", g.clone());
        }
        // Runs of a few directives, so chains, markers and defaults meet.
        for w in groups.chunks(6) {
            seeds.add("seclang_parse", w.join(&b"\n"[..]));
        }
    }
    notes.push(format!("{n} SecLang files split into directives"));
}

/// Splits a SecLang file into directives (continuation lines joined as
/// written), a chain starter kept together with the rules it chains.
pub fn directives(text: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    let mut chained = false;
    for line in text.split(|&b| b == b'\n') {
        let trimmed = line.trim_ascii();
        if cur.is_empty() && (trimmed.is_empty() || trimmed.starts_with(b"#")) {
            continue;
        }
        cur.extend_from_slice(line);
        cur.push(b'\n');
        if trimmed.ends_with(b"\\") {
            continue;
        }
        let this_chains = has_chain(&cur);
        if chained {
            if let Some(last) = out.last_mut() {
                last.extend_from_slice(&cur);
            }
        } else {
            out.push(std::mem::take(&mut cur));
        }
        cur.clear();
        chained = this_chains;
    }
    out
}

fn has_chain(d: &[u8]) -> bool {
    d.windows(5).enumerate().any(|(i, w)| {
        w == b"chain"
            && (i == 0 || matches!(d[i - 1], b',' | b'"' | b' ' | b'\''))
            && matches!(d.get(i + 5), Some(b',' | b'"' | b'\'' | b' ' | b'\n' | b'\\'))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits_directives() {
        let d = super::directives(
            b"# c\nSecRule A \"@rx x\" \\\n  \"id:1,chain\"\n  SecRule B \"@rx y\" \"t:none\"\nSecMarker M\n",
        );
        assert_eq!(d.len(), 2);
        assert!(d[0].ends_with(b"\"t:none\"\n"));
        assert_eq!(d[1], b"SecMarker M\n");
    }
}
