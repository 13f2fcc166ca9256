//! Verdict records: what the filter reports about one request (format in
//! `docs/verdict-log.md`), serialized as one JSON line of at most
//! [`MAX_RECORD_BYTES`] once the queue has added its `record_id`.
//!
//! The size cap is applied here, field by field, so that no request can
//! produce a line the collector refuses: client-controlled text (`path`,
//! `unique_id`, `host`, matched `data`, ...) is cut at a documented length
//! (measured as JSON-escaped bytes) and ends with a visible marker
//! `…[truncated N bytes]`; matches that still do not fit are left out and
//! counted in `matched_dropped`.

use std::borrow::Cow;
use std::time::{SystemTime, UNIX_EPOCH};

use portcullis_engine::RuleMatch;
use serde::Serialize;

use crate::config::{ApplicationId, Mode};

pub use portcullis_wire::verdict::{
    Action as VerdictAction, MAX_DATA, MAX_ID, MAX_LIST, MAX_PATH, MAX_RECORD_BYTES, MAX_SHORT, MAX_TAG, RECORD_ID_RESERVE,
};
/// Longest `attack_types` / `cves` entry; longer ones are not listed.
const MAX_LIST_ENTRY: usize = 64;
/// Room left for the marker `…[truncated N bytes]` (3 + 11 + 20 + 7 bytes at most).
const MARKER_RESERVE: usize = 48;

/// Facts about the request gathered at request headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestInfo {
    /// Arrival time.
    pub time: Option<SystemTime>,
    /// Transaction id (`x-request-id` or generated).
    pub unique_id: String,
    /// `:authority`.
    pub host: String,
    /// `:method`.
    pub method: String,
    /// `:path` with query string.
    pub path: String,
    /// Client IP without port.
    pub source_ip: String,
}

/// One verdict record (serialize-only, borrows the request facts). Every
/// text field is already within its cap; [`VerdictRecord::to_json`] also
/// keeps the whole line within [`MAX_RECORD_BYTES`] − [`RECORD_ID_RESERVE`].
#[derive(Debug)]
pub struct VerdictRecord<'a> {
    time: String,
    unique_id: Cow<'a, str>,
    application_id: Option<AppId<'a>>,
    host: Cow<'a, str>,
    method: Cow<'a, str>,
    path: Cow<'a, str>,
    source_ip: Cow<'a, str>,
    status: u16,
    action: VerdictAction,
    mode: &'static str,
    anomaly_score: i64,
    matched: Vec<Matched<'a>>,
    attack_types: Vec<String>,
    cves: Vec<String>,
}

/// `application_id` as it is written: an integer, or a capped string.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum AppId<'a> {
    Int(i64),
    Str(Cow<'a, str>),
}

/// The serialized shape of a record: [`VerdictRecord`] with a prefix of its
/// matches and how many were left out.
#[derive(Serialize)]
struct Line<'r, 'a> {
    time: &'r str,
    unique_id: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    application_id: Option<&'r AppId<'a>>,
    host: &'r str,
    method: &'r str,
    path: &'r str,
    source_ip: &'r str,
    status: u16,
    action: VerdictAction,
    mode: &'static str,
    anomaly_score: i64,
    matched: &'r [Matched<'a>],
    #[serde(skip_serializing_if = "is_zero")]
    matched_dropped: usize,
    attack_types: &'r [String],
    cves: &'r [String],
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One matched rule in a record.
#[derive(Debug, Serialize)]
struct Matched<'a> {
    id: i64,
    msg: Cow<'a, str>,
    data: Cow<'a, str>,
    severity: &'static str,
    tags: Vec<Cow<'a, str>>,
    phase: u8,
}

impl<'a> VerdictRecord<'a> {
    /// Build the record. `matches` are all rule matches of the transaction;
    /// only those that log are listed. Text fields are capped here (see the
    /// module documentation).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        info: &'a RequestInfo,
        application_id: Option<&'a ApplicationId>,
        mode: Mode,
        status: u16,
        action: VerdictAction,
        anomaly_score: i64,
        matches: &'a [RuleMatch],
    ) -> VerdictRecord<'a> {
        let logged: Vec<&RuleMatch> = matches.iter().filter(|m| m.log).collect();
        let matched: Vec<Matched<'a>> = logged
            .iter()
            .map(|m| Matched {
                id: m.rule_id.get(),
                msg: truncate(&m.msg, MAX_DATA),
                data: truncate(&m.data, MAX_DATA),
                severity: severity_name(m.severity),
                tags: m.tags.iter().take(MAX_LIST).map(|t| truncate(t, MAX_TAG)).collect(),
                phase: m.phase.number(),
            })
            .collect();
        let attack_types = capped_list(attack_types(matched.iter().flat_map(|m| m.tags.iter().map(|t| t.as_ref()))));
        let cves = capped_list(cves(matched.iter().flat_map(|m| m.tags.iter().map(|t| t.as_ref()).chain(std::iter::once(m.msg.as_ref())))));
        VerdictRecord {
            time: rfc3339_millis(info.time.unwrap_or(UNIX_EPOCH)),
            unique_id: truncate(&info.unique_id, MAX_ID),
            application_id: application_id.map(|a| match a {
                ApplicationId::Int(i) => AppId::Int(*i),
                ApplicationId::Str(s) => AppId::Str(truncate(s, MAX_ID)),
            }),
            host: truncate(&info.host, MAX_ID),
            method: truncate(&info.method, MAX_SHORT),
            path: truncate(&info.path, MAX_PATH),
            source_ip: truncate(&info.source_ip, MAX_SHORT),
            status,
            action,
            mode: mode.name(),
            anomaly_score,
            matched,
            attack_types,
            cves,
        }
    }

    fn line(&self, keep: usize) -> Line<'_, 'a> {
        let keep = keep.min(self.matched.len());
        Line {
            time: &self.time,
            unique_id: &self.unique_id,
            application_id: self.application_id.as_ref(),
            host: &self.host,
            method: &self.method,
            path: &self.path,
            source_ip: &self.source_ip,
            status: self.status,
            action: self.action,
            mode: self.mode,
            anomaly_score: self.anomaly_score,
            matched: self.matched.get(..keep).unwrap_or_default(),
            matched_dropped: self.matched.len() - keep,
            attack_types: &self.attack_types,
            cves: &self.cves,
        }
    }

    /// The record as one JSON line (no newline) of at most
    /// [`MAX_RECORD_BYTES`] − [`RECORD_ID_RESERVE`] bytes: matches that do
    /// not fit are left out, in order from the last, and counted in `matched_dropped`.
    pub fn to_json(&self) -> String {
        let budget = MAX_RECORD_BYTES - RECORD_ID_RESERVE;
        let all = json(&self.line(self.matched.len()));
        if all.len() <= budget {
            return all;
        }
        // Without any match (and the largest `matched_dropped`), then one match
        // at a time while they fit; each costs its JSON and a comma.
        let mut used = json(&self.line(0)).len();
        let mut keep = 0;
        for m in &self.matched {
            let cost = json(m).len() + 1;
            if used + cost > budget {
                break;
            }
            used += cost;
            keep += 1;
        }
        json(&self.line(keep))
    }
}

/// Serializing strings and numbers cannot fail; keep a valid line anyway.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
}

/// Bytes `c` takes inside a JSON string as serde_json writes it.
fn escaped_len(c: char) -> usize {
    match c {
        '"' | '\\' | '\u{8}' | '\u{c}' | '\n' | '\r' | '\t' => 2,
        c if (c as u32) < 0x20 => 6,
        c => c.len_utf8(),
    }
}

/// `s` cut so that its JSON-escaped form (without quotes) is at most `max`
/// bytes, marker included: the longest prefix that fits, then
/// `…[truncated N bytes]` where N counts the UTF-8 bytes left out.
/// `s` itself when it already fits.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    let mut total = 0;
    let mut cut = None;
    let keep_budget = max.saturating_sub(MARKER_RESERVE);
    for (i, c) in s.char_indices() {
        let next = total + escaped_len(c);
        if cut.is_none() && next > keep_budget {
            cut = Some(i);
        }
        if next > max {
            let cut = cut.unwrap_or(i);
            let head = s.get(..cut).unwrap_or_default();
            return Cow::Owned(format!("{head}…[truncated {} bytes]", s.len() - cut));
        }
        total = next;
    }
    Cow::Borrowed(s)
}

/// At most [`MAX_LIST`] entries, each at most `MAX_LIST_ENTRY` bytes (longer ones left out).
fn capped_list(list: Vec<String>) -> Vec<String> {
    list.into_iter().filter(|s| s.len() <= MAX_LIST_ENTRY).take(MAX_LIST).collect()
}

/// ModSecurity severity names, 0 (EMERGENCY) to 7 (DEBUG); `""` when unset.
pub fn severity_name(s: Option<u8>) -> &'static str {
    match s {
        Some(0) => "EMERGENCY",
        Some(1) => "ALERT",
        Some(2) => "CRITICAL",
        Some(3) => "ERROR",
        Some(4) => "WARNING",
        Some(5) => "NOTICE",
        Some(6) => "INFO",
        Some(7) => "DEBUG",
        _ => "",
    }
}

/// Attack types from rule tags: `attack-sqli` → `sqli`, `scanner` and
/// `attack-reputation-scanner` → `scanner`; deduplicated, first-seen order.
pub fn attack_types<'t>(tags: impl Iterator<Item = &'t str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let t = tag.to_ascii_lowercase();
        let kind = if t == "scanner" || t == "attack-reputation-scanner" {
            "scanner".to_owned()
        } else if let Some(k) = t.strip_prefix("attack-") {
            if k.is_empty() {
                continue;
            }
            k.to_owned()
        } else {
            continue;
        };
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    out
}

/// `CVE-YYYY-NNNN…` ids found in `texts` (case-insensitive), uppercased,
/// deduplicated, first-seen order.
pub fn cves<'t>(texts: impl Iterator<Item = &'t str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        let b = text.as_bytes();
        let mut i = 0;
        while i + 4 <= b.len() {
            let is_cve = b.get(i..i + 4).is_some_and(|w| w.eq_ignore_ascii_case(b"cve-"));
            let boundary = i == 0 || b.get(i - 1).is_some_and(|c| !c.is_ascii_alphanumeric());
            if is_cve && boundary {
                let year: Vec<u8> = b.iter().skip(i + 4).take_while(|c| c.is_ascii_digit()).copied().collect();
                let after_year = i + 4 + year.len();
                if year.len() == 4 && b.get(after_year) == Some(&b'-') {
                    let num: Vec<u8> = b.iter().skip(after_year + 1).take_while(|c| c.is_ascii_digit()).copied().collect();
                    if num.len() >= 4 {
                        let id = format!("CVE-{}-{}", String::from_utf8_lossy(&year), String::from_utf8_lossy(&num));
                        if !out.contains(&id) {
                            out.push(id);
                        }
                        i = after_year + 1 + num.len();
                        continue;
                    }
                }
            }
            i += 1;
        }
    }
    out
}

/// RFC 3339 UTC with milliseconds: `2026-11-25T22:08:02.123Z`.
pub fn rfc3339_millis(t: SystemTime) -> String {
    let ms = t.duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    portcullis_wire::time::format_rfc3339_millis(ms)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use portcullis_engine::{Phase, RuleId};
    use super::*;
    use std::time::Duration;

    #[test]
    fn time_format() {
        assert_eq!(rfc3339_millis(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = UNIX_EPOCH + Duration::from_millis(1_795_644_482_123);
        assert_eq!(rfc3339_millis(t), "2026-11-25T22:08:02.123Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(rfc3339_millis(leap), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn attack_types_from_tags() {
        let tags = ["application-multi", "attack-sqli", "paranoia-level/1", "attack-xss", "attack-sqli", "attack-reputation-scanner", "scanner"];
        assert_eq!(attack_types(tags.into_iter()), ["sqli", "xss", "scanner"]);
    }

    #[test]
    fn cves_from_tags_and_msgs() {
        let t = ["cve/CVE-2021-44228", "Log4Shell cve-2021-44228 and CVE-2017-5638", "xCVE-2020-1234", "CVE-20-1"];
        assert_eq!(cves(t.into_iter()), ["CVE-2021-44228", "CVE-2017-5638"]);
    }

    fn blank() -> RuleMatch {
        RuleMatch {
            rule_id: RuleId(0),
            phase: Phase::RequestHeaders,
            msg: String::new(),
            data: String::new(),
            severity: None,
            tags: Vec::new(),
            log: false,
            disruptive: false,
            blocking: false,
            match_message: String::new(),
            matched_var_name: String::new(),
            file: String::new(),
            line: 0,
            rev: String::new(),
            ver: String::new(),
            maturity: 0,
            accuracy: 0,
        }
    }

    #[test]
    fn record_json_shape() {
        let info = RequestInfo {
            time: Some(UNIX_EPOCH + Duration::from_millis(1_795_644_482_123)),
            unique_id: "abc".into(),
            host: "shop.example.com".into(),
            method: "GET".into(),
            path: "/?file=../../etc/passwd".into(),
            source_ip: "10.0.0.5".into(),
        };
        let m = vec![
            RuleMatch {
                rule_id: RuleId(930110),
                phase: Phase::RequestBody,
                msg: "Path Traversal Attack".into(),
                data: "Matched Data: ../".into(),
                severity: Some(2),
                tags: vec!["attack-lfi".into(), "paranoia-level/1".into()],
                log: true,
                matched_var_name: "ARGS:file".into(),
                ..blank()
            },
            RuleMatch {
                rule_id: RuleId(901000),
                phase: Phase::RequestHeaders,
                msg: String::new(),
                data: String::new(),
                severity: None,
                tags: vec!["attack-xss".into()],
                log: false,
                matched_var_name: String::new(),
                ..blank()
            },
        ];
        let app = ApplicationId::Int(7);
        let r = VerdictRecord::new(&info, Some(&app), Mode::Block, 403, VerdictAction::Blocked, 5, &m);
        let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"time":"2026-11-25T22:08:02.123Z","unique_id":"abc","application_id":7,"host":"shop.example.com",
              "method":"GET","path":"/?file=../../etc/passwd","source_ip":"10.0.0.5","status":403,"action":"blocked","mode":"block",
              "anomaly_score":5,"matched":[{"id":930110,"msg":"Path Traversal Attack","data":"Matched Data: ../","severity":"CRITICAL",
              "tags":["attack-lfi","paranoia-level/1"],"phase":2}],"attack_types":["lfi"],"cves":[]})
        );
    }

    /// The fields written are the shared definition's, in its order (so the collector, which
    /// validates by those names, reads every one).
    #[test]
    fn fields_are_the_wire_definitions() {
        use portcullis_wire::verdict::field;
        let (info, matches) = hostile(1);
        let app = ApplicationId::Int(1);
        let mut q = crate::queue::VerdictQueue::new(10, crate::queue::RecordIds::new(1));
        let r = VerdictRecord::new(&info, Some(&app), Mode::Block, 403, VerdictAction::Blocked, 5, &matches[..1]);
        q.push(r.to_json());
        let line = q.take(1).remove(0);
        // serde_json keeps insertion order only with `preserve_order`; read keys off the text.
        let keys: Vec<&str> = field::ALL.iter().copied().filter(|f| line.contains(&format!("\"{f}\":"))).collect();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        let obj = v.as_object().unwrap();
        assert_eq!(obj.len(), keys.len(), "every key written is a wire field: {line}");
        let positions: Vec<usize> = keys.iter().map(|f| line.find(&format!("\"{f}\":")).unwrap()).collect();
        let sorted = { let mut p = positions.clone(); p.sort_unstable(); p };
        assert_eq!(positions, sorted, "written in the wire order");
        let m = obj[field::MATCHED][0].as_object().unwrap();
        let mut got: Vec<&str> = m.keys().map(String::as_str).collect();
        let mut want = field::matched::ALL.to_vec();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want);
    }

    #[test]
    fn truncate_marks_what_it_cut_and_counts_escapes() {
        assert_eq!(truncate("short", 64), "short");
        let long = "a".repeat(1000);
        let t = truncate(&long, 100);
        assert_eq!(t, format!("{}…[truncated 948 bytes]", "a".repeat(52)));
        assert!(t.len() <= 100);
        // Escaped size counts: 100 quotes are 200 bytes of JSON.
        let quotes = "\"".repeat(100);
        let t = truncate(&quotes, 100);
        assert!(serde_json::to_string(&t).unwrap().len() - 2 <= 100, "{t}");
        assert!(t.ends_with("…[truncated 74 bytes]"), "{t}");
        // Never inside a UTF-8 character.
        let accents = "é".repeat(100);
        let t = truncate(&accents, 64);
        assert!(t.starts_with("éééééééé") && t.ends_with("…[truncated 184 bytes]"), "{t}");
    }

    /// Every text field as large and as expensive to escape as a request can make it.
    fn hostile(n: usize) -> (RequestInfo, Vec<RuleMatch>) {
        let nasty = "\u{1}\"\\é".repeat(n);
        let info = RequestInfo {
            time: Some(UNIX_EPOCH),
            unique_id: nasty.clone(),
            host: nasty.clone(),
            method: nasty.clone(),
            path: nasty.clone(),
            source_ip: nasty.clone(),
        };
        let tag_tail = "\u{1}\"".repeat(n.min(100));
        let tags: Vec<String> = (0..100).map(|i| format!("attack-{i}{}{tag_tail}", "x".repeat(i))).collect();
        let m = RuleMatch {
            rule_id: RuleId(942100),
            phase: Phase::RequestBody,
            msg: format!("CVE-2021-44228 CVE-2017-5638 {nasty}"),
            data: nasty.clone(),
            severity: Some(2),
            tags,
            log: true,
            ..blank()
        };
        (info, vec![m; 200])
    }

    #[test]
    fn records_stay_under_the_cap_whatever_the_request() {
        for n in [0, 10, 1000, 20_000] {
            let (info, matches) = hostile(n);
            let app = ApplicationId::Str("\u{2}".repeat(n));
            let r = VerdictRecord::new(&info, Some(&app), Mode::Block, 403, VerdictAction::Blocked, 5, &matches);
            let line = r.to_json();
            assert!(line.len() <= MAX_RECORD_BYTES - RECORD_ID_RESERVE, "n={n}: {} bytes", line.len());
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            let listed = v["matched"].as_array().unwrap().len();
            assert_eq!(listed as u64 + v["matched_dropped"].as_u64().unwrap_or(0), 200, "n={n}");
            assert!(listed >= 1, "n={n}: at least one match fits");
        }
    }

    #[test]
    fn a_56k_attack_query_becomes_a_small_record() {
        // The observed failure: a 56 KB query matched by several rules, each
        // logging the whole value, made a record over 256 KiB.
        let query = format!("/search?q={}", "<script>alert(1)</script>".repeat(2300));
        let info = RequestInfo { time: Some(UNIX_EPOCH), unique_id: "big".into(), path: query.clone(), ..RequestInfo::default() };
        let matches: Vec<RuleMatch> = (0..6)
            .map(|i| RuleMatch {
                rule_id: RuleId(941100 + i),
                phase: Phase::RequestBody,
                msg: "XSS Attack Detected".into(),
                data: format!("Matched Data: <script> found within ARGS:q: {}", &query[10..]),
                tags: vec!["attack-xss".into()],
                log: true,
                ..blank()
            })
            .collect();
        let r = VerdictRecord::new(&info, None, Mode::Block, 403, VerdictAction::Blocked, 30, &matches);
        let line = r.to_json();
        assert!(line.len() < 8 * 1024, "{} bytes", line.len());
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        let path = v["path"].as_str().unwrap();
        let cut = path.find('…').unwrap();
        assert!(path.starts_with("/search?q=<script>") && query.starts_with(&path[..cut]));
        assert_eq!(&path[cut..], format!("…[truncated {} bytes]", query.len() - cut));
        assert_eq!(v["matched"].as_array().unwrap().len(), 6, "all six matches fit once their data is capped");
        for m in v["matched"].as_array().unwrap() {
            assert!(m["data"].as_str().unwrap().len() <= MAX_DATA);
        }
        assert!(v.get("matched_dropped").is_none());
        assert_eq!(v["attack_types"], serde_json::json!(["xss"]));
    }
}
