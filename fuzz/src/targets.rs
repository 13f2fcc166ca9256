//! The harnesses. Each takes arbitrary bytes and must not panic; the
//! `assert!`s check documented invariants of the engine's public API, and of
//! the body processors and transformations it exposes to fuzzing only
//! (`portcullis_engine::fuzzing`, feature `fuzzing`).

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use portcullis_engine::fuzzing::body::{self, BodySink, Limits};
use portcullis_engine::fuzzing::transform::{Transform, UnicodeMap};
use portcullis_engine::{
    BodyLimitAction, Config, MemorySource, NoSource, RuleEngineMode, RuleEntry, RuleSet, Transaction,
};

use crate::request;

// ---------------------------------------------------------------------------
// seclang_parse

/// `seclang_parse`: the input (lossily UTF-8) is one SecLang file. Building
/// may fail (errors are displayed, as the filter logs them) but not panic.
/// When it builds, one fixed request runs through all five phases, so odd
/// but valid rules (operators, transformations, actions, macros) are
/// evaluated too.
pub fn seclang_parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match RuleSet::builder().build(&NoSource, &[&text]) {
        Err(e) => {
            let _ = e.to_string();
        }
        Ok(rules) => {
            let mut tx = Arc::new(rules).new_transaction();
            let ex = request::decode(FIXED_REQUEST);
            run_exchange(&mut tx, &ex);
        }
    }
}

/// The request `seclang_parse` runs its rules against: something in every
/// collection CRS-style rules look at.
const FIXED_REQUEST: &[u8] = b"POST /app/index.php?id=1%27%20or%201=1&q=%3Cscript%3E&x[]=a&x[]=b HTTP/1.1\r\n\
Host: www.example.com:8080\r\n\
User-Agent: Mozilla/5.0 (X11; Linux x86_64) sqlmap/1.0\r\n\
Accept: */*\r\n\
Cookie: session=abc123; theme=../../etc/passwd; =x\r\n\
Authorization: Basic dXNlcjpwYXNz\r\n\
Referer: http://evil.example/?a=<b>\r\n\
Content-Type: application/x-www-form-urlencoded\r\n\
Content-Length: 44\r\n\
\r\n\
user=admin&pass=1'+union+select+1,2--&cmd=;id\
\n@@RESPONSE@@\n\
HTTP/1.1 200\n\
Content-Type: text/html\n\
Set-Cookie: a=b\n\
\n\
<html><body>root:x:0:0:root:/root:/bin/bash</body></html>";

// ---------------------------------------------------------------------------
// crs_request

/// Rule sets for `crs_request`: CRS at paranoia level 4 (blocking and
/// detection), built once per process. Index = `input length % 3`:
/// 0: as configured (engine On, large limits); 1: DetectionOnly (every
/// phase runs, nothing interrupts) with 64-byte body limits and
/// ProcessPartial; 2: engine On with 64-byte limits and Reject.
fn crs_rule_sets() -> &'static [Arc<RuleSet>; 3] {
    static SETS: OnceLock<[Arc<RuleSet>; 3]> = OnceLock::new();
    SETS.get_or_init(|| {
        let dir = portcullis_testkit::crs::locate()
            .unwrap_or_else(|| panic!("harness setup: no CRS found (set CRS_DIR or provide ../shared/crs/v4.28.0)"));
        let files = portcullis_testkit::crs::read(&dir)
            .unwrap_or_else(|e| panic!("harness setup: reading {}: {e}", dir.display()));
        let base = portcullis_testkit::crs::base_config()
            .unwrap_or_else(|e| panic!("harness setup: rules/base/recommended.conf: {e}"));
        let mut src = MemorySource::new();
        for (name, bytes) in &files.files {
            src = src.with(name, bytes.clone());
        }
        let pl4 = "SecAction \"id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=4\"\n\
                   SecAction \"id:900001,phase:1,pass,nolog,setvar:tx.detection_paranoia_level=4\"";
        let mut entries = vec![
            RuleEntry::Text { name: "rules/base/recommended.conf", text: &base },
            RuleEntry::Source("crs/crs-setup.conf.example"),
            RuleEntry::Text { name: "fuzz-setup", text: pl4 },
        ];
        entries.extend(files.rule_files.iter().map(|f| RuleEntry::Source(f)));
        let build = |config: Config| {
            RuleSet::builder()
                .config(config)
                .build_entries(&src, &entries)
                .map(Arc::new)
                .unwrap_or_else(|e| panic!("harness setup: CRS failed to build:\n{e}"))
        };
        [
            build(Config::new()),
            build(
                Config::new()
                    .rule_engine(Some(RuleEngineMode::DetectionOnly))
                    .request_body_limit(Some(64))
                    .request_body_limit_action(Some(BodyLimitAction::ProcessPartial))
                    .response_body_limit(Some(64)),
            ),
            build(
                Config::new()
                    .request_body_limit(Some(64))
                    .request_body_limit_action(Some(BodyLimitAction::Reject))
                    .response_body_limit(Some(64)),
            ),
        ]
    })
}

thread_local! {
    /// One transaction per rule set, reused (and reset) across inputs as the
    /// filter reuses nothing but the engine promises it can.
    static CRS_TXS: RefCell<Option<[Transaction; 3]>> = const { RefCell::new(None) };
}

/// Builds the CRS rule sets now (the first `crs_request` call would).
pub fn crs_init() {
    let _ = crs_rule_sets();
}

/// `crs_request`: the input is an exchange in the [`request`] format; it
/// runs through every transaction entry point of CRS at paranoia level 4.
pub fn crs_request(data: &[u8]) {
    let _ = crs_run(data);
}

/// Runs one exchange through CRS; returns whether it was interrupted and
/// how many rules matched.
fn crs_run(data: &[u8]) -> (bool, usize) {
    let sets = crs_rule_sets();
    let ex = request::decode(data);
    CRS_TXS.with(|cell| {
        let mut slot = cell.borrow_mut();
        let txs = slot.get_or_insert_with(|| sets.clone().map(|s| s.new_transaction()));
        let tx = &mut txs[data.len() % 3];
        tx.reset();
        run_exchange(tx, &ex);
        (tx.interruption().is_some(), tx.matches().len())
    })
}

/// Every entry point, in the order a host calls them, then everything a
/// host reads back. Bodies arrive in two chunks; they are appended whether
/// or not the rules asked for them.
fn run_exchange(tx: &mut Transaction, ex: &request::Exchange<'_>) {
    tx.set_unique_id("fuzz-0001");
    tx.process_connection("192.0.2.10", 40000, "192.0.2.1", 80);
    tx.process_uri(ex.uri, ex.method, ex.version);
    for (n, v) in &ex.headers {
        tx.add_request_header(n, v);
    }
    tx.process_request_headers();
    let _ = tx.wants_request_body();
    let (a, b) = ex.body.split_at(ex.body.len() / 2);
    tx.append_request_body(a);
    tx.append_request_body(b);
    tx.process_request_body();
    for (n, v) in &ex.resp_headers {
        tx.add_response_header(n, v);
    }
    tx.process_response_headers(ex.status, ex.resp_protocol);
    let _ = tx.wants_response_body();
    let (a, b) = ex.resp_body.split_at(ex.resp_body.len() / 2);
    tx.append_response_body(a);
    tx.append_response_body(b);
    tx.process_response_body();
    tx.process_logging();
    let _ = tx.interruption();
    for m in tx.matches() {
        let _ = tx.log_line(m);
    }
    let _ = tx.tx_var("blocking_inbound_anomaly_score");
    let _ = tx.rule_engine();
}

// ---------------------------------------------------------------------------
// body_processors

/// `body_processors`: byte 0 picks the processor (`% 4`: urlencoded,
/// multipart, JSON, XML), byte 1 the limits (see [`limits_from`]); for
/// multipart the `Content-Type` value runs to the first LF; the rest is the
/// body. Checks the argument limit is honoured and the outcome agrees with
/// what reached the sink.
pub fn body_processors(data: &[u8]) {
    let [sel, lim, rest @ ..] = data else { return };
    let (limits, separator) = limits_from(*lim);
    let mut sink = CountingSink::default();
    match sel % 4 {
        0 => {
            let o = body::parse_urlencoded_with_separator(rest, separator, &limits, &mut sink);
            assert_eq!(o.args, sink.args, "urlencoded: outcome.args != sink calls");
            assert!(o.args <= limits.max_args, "urlencoded: max_args exceeded");
            let mut out = Vec::new();
            let _ = body::url_decode_nonstrict(rest, &mut out);
            assert!(out.len() <= rest.len(), "url_decode_nonstrict grew its input");
        }
        1 => {
            let (ct, b) = match memchr::memchr(b'\n', rest) {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &[][..]),
            };
            let o = body::parse_multipart(ct, b, &limits, &mut sink);
            let _ = o.flags();
            let _ = o.strict_error();
            if let Some(e) = &o.error {
                let _ = body::BodyError::from(e.clone()).to_string();
            }
            // Files past SecUploadFileLimit are still reported (v3 lists
            // them in FILES, it only stops storing them): the flag says so.
            if o.file_limit_exceeded {
                assert!(limits.max_files > 0 && o.strict_error(), "multipart: file limit flag without a limit");
            }
        }
        2 => {
            let r = body::parse_json(rest, &limits, &mut sink);
            assert!(sink.args <= limits.max_args, "json: max_args exceeded");
            // A GraphQL document arrives as a JSON string: its reader takes
            // any bytes, never more values than its bound, none longer than
            // the document (an escape never decodes to more than it spells).
            let _ = body::graphql::is_document(rest);
            let mut strings = 0;
            body::graphql::string_values(rest, |_, v| {
                strings += 1;
                assert!(v.len() <= rest.len(), "graphql: a value longer than its document");
            });
            assert!(strings <= body::graphql::MAX_STRINGS, "graphql: more values than MAX_STRINGS");
            if let Err(e) = r {
                let _ = body::BodyError::from(e).to_string();
                let _ = e.kind.message();
            }
        }
        _ => {
            if let Err(e) = body::parse_xml(rest, &limits, &mut sink) {
                let _ = body::BodyError::from(e.clone()).to_string();
                let _ = e.detail();
            }
        }
    }
}

/// Limits from one byte: bit 0 caps `max_args` at bits 4-7, bit 1 caps
/// `json_depth` at bits 4-6, bit 2 caps `max_files` at bits 5-7 (0 = none),
/// bit 3 uses `;` instead of `&` as the urlencoded separator.
pub fn limits_from(b: u8) -> (Limits, u8) {
    let mut l = Limits::default();
    if b & 1 != 0 {
        l.max_args = usize::from(b >> 4);
    }
    if b & 2 != 0 {
        l.json_depth = usize::from((b >> 4) & 7);
    }
    if b & 4 != 0 {
        l.max_files = usize::from(b >> 5);
    }
    (l, if b & 8 != 0 { b';' } else { b'&' })
}

/// Counts what a processor reports and touches every slice (so a bad
/// range shows up under a sanitizer).
#[derive(Default)]
struct CountingSink {
    args: usize,
    files: usize,
    bytes: usize,
}

impl BodySink for CountingSink {
    fn arg(&mut self, name: &[u8], value: &[u8]) {
        self.args += 1;
        self.bytes = self.bytes.wrapping_add(touch(name) + touch(value));
    }
    fn file(&mut self, field: &[u8], filename: &[u8], content: &[u8]) {
        self.files += 1;
        self.bytes = self.bytes.wrapping_add(touch(field) + touch(filename) + touch(content));
    }
    fn part_header(&mut self, field: &[u8], line: &[u8]) {
        self.bytes = self.bytes.wrapping_add(touch(field) + touch(line));
    }
    fn multipart_name(&mut self, name: &[u8]) {
        self.bytes = self.bytes.wrapping_add(touch(name));
    }
    fn multipart_filename(&mut self, filename: &[u8]) {
        self.bytes = self.bytes.wrapping_add(touch(filename));
    }
    fn xml_text(&mut self, text: &[u8]) {
        self.bytes = self.bytes.wrapping_add(touch(text));
    }
    fn xml_attr(&mut self, name: &[u8], value: &[u8]) {
        self.bytes = self.bytes.wrapping_add(touch(name) + touch(value));
    }
}

fn touch(b: &[u8]) -> usize {
    b.iter().map(|&x| usize::from(x)).sum::<usize>() & 1
}

// ---------------------------------------------------------------------------
// transforms

/// `transforms`: every transformation on the input, checking the documented
/// invariant of [`Transform::apply`] (`Borrowed` exactly when the output
/// equals the input, and then it is the input itself), that `apply_with`
/// without a map gives the same bytes, and the same invariant with a
/// unicode map. Then the input goes through a chain of transformations
/// picked by its first bytes (as `t:` lists chain them).
pub fn transforms(data: &[u8]) {
    static MAP: OnceLock<UnicodeMap> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut m = UnicodeMap::new();
        for (code, byte) in [(0xff1c, b'<'), (0xff07, b'\''), (0x2215, b'/'), (0x00e9, b'e'), (0x0000, b'0')] {
            m.insert(code, byte);
        }
        m
    });
    for &t in Transform::ALL {
        assert_eq!(Transform::from_name(t.name()), Some(t), "{t:?}: name round trip");
        let v = t.apply(data);
        check_cow(t, data, &v, "apply");
        let w = t.apply_with(data, None);
        check_cow(t, data, &w.value, "apply_with(None)");
        assert_eq!(*v, *w.value, "{t:?}: apply and apply_with(None) differ");
        let m = t.apply_with(data, Some(map));
        check_cow(t, data, &m.value, "apply_with(map)");
    }
    // A chain: each of the first 4 bytes picks a transformation.
    let mut cur: Cow<'_, [u8]> = Cow::Borrowed(data);
    for &b in data.iter().take(4) {
        let t = Transform::ALL[usize::from(b) % Transform::ALL.len()];
        let next = t.apply(&cur).into_owned();
        cur = Cow::Owned(next);
    }
    let _ = cur;
}

// The variant is what is checked, so the `Cow` itself is the argument.
#[allow(clippy::ptr_arg)]
fn check_cow(t: Transform, input: &[u8], v: &Cow<'_, [u8]>, what: &str) {
    match v {
        Cow::Borrowed(b) => {
            assert!(
                b.as_ptr() == input.as_ptr() && b.len() == input.len(),
                "{t:?} {what}: Borrowed but not the input itself"
            );
        }
        Cow::Owned(o) => {
            assert!(o.as_slice() != input, "{t:?} {what}: Owned although equal to the input ({} bytes)", input.len());
        }
    }
}

#[cfg(test)]
mod tests {
    /// The CRS harness really inspects: an attack is blocked by rule set 0,
    /// a plain request is not.
    #[test]
    fn crs_blocks_an_attack_and_passes_a_plain_request() {
        let pad = |mut v: Vec<u8>| {
            while !v.len().is_multiple_of(3) {
                v.push(b'\n');
            }
            v
        };
        let attack = pad(b"GET /?q=1%27%20union%20select%20password%20from%20users-- HTTP/1.1\nHost: www.example.com\nUser-Agent: Mozilla/5.0\nAccept: */*\n\n".to_vec());
        assert!(super::crs_run(&attack).0);
        let plain = pad(b"GET /index.html HTTP/1.1\nHost: www.example.com\nUser-Agent: Mozilla/5.0\nAccept: text/html\n\n".to_vec());
        assert_eq!(super::crs_run(&plain), (false, 0));
    }

    /// The seclang harness survives what it is seeded with.
    #[test]
    fn seclang_fixed_request_runs() {
        super::seclang_parse(b"SecRule ARGS \"@rx union\" \"id:1,phase:2,deny,log\"");
        super::seclang_parse(b"\xff\x00SecRule");
    }
}
