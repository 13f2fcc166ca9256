//! Verdict records: what the filter reports about one request (format in
//! `docs/verdict-log.md`), serialized as one JSON line.

use std::time::{SystemTime, UNIX_EPOCH};

use portcullis_engine::RuleMatch;
use serde::Serialize;

use crate::config::{ApplicationId, Mode};

/// What happened to the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictAction {
    /// Answered with the block response; the backend never saw it.
    Blocked,
    /// Would have been blocked; mode monitor let it through.
    Monitored,
    /// Rules matched, below the blocking threshold.
    Passed,
}

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

/// One verdict record (serialize-only, borrows the request facts).
#[derive(Debug, Serialize)]
pub struct VerdictRecord<'a> {
    time: String,
    unique_id: &'a str,
    application_id: Option<&'a ApplicationId>,
    host: &'a str,
    method: &'a str,
    path: &'a str,
    source_ip: &'a str,
    status: u16,
    action: VerdictAction,
    mode: &'static str,
    anomaly_score: i64,
    matched: Vec<Matched<'a>>,
    attack_types: Vec<String>,
    cves: Vec<String>,
}

/// One matched rule in a record.
#[derive(Debug, Serialize)]
struct Matched<'a> {
    id: i64,
    msg: &'a str,
    data: &'a str,
    severity: &'static str,
    tags: &'a [String],
    phase: u8,
}

impl<'a> VerdictRecord<'a> {
    /// Build the record. `matches` are all rule matches of the transaction;
    /// only those that log are listed.
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
        VerdictRecord {
            time: rfc3339_millis(info.time.unwrap_or(UNIX_EPOCH)),
            unique_id: &info.unique_id,
            application_id,
            host: &info.host,
            method: &info.method,
            path: &info.path,
            source_ip: &info.source_ip,
            status,
            action,
            mode: mode.name(),
            anomaly_score,
            matched: logged
                .iter()
                .map(|m| Matched {
                    id: m.rule_id,
                    msg: &m.msg,
                    data: &m.data,
                    severity: severity_name(m.severity),
                    tags: &m.tags,
                    phase: m.phase,
                })
                .collect(),
            attack_types: attack_types(logged.iter().flat_map(|m| m.tags.iter().map(String::as_str))),
            cves: cves(logged.iter().flat_map(|m| m.tags.iter().map(String::as_str).chain(std::iter::once(m.msg.as_str())))),
        }
    }

    /// The record as one JSON line (no newline).
    pub fn to_json(&self) -> String {
        // Serializing plain strings and numbers cannot fail; keep a valid line anyway.
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
    }
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
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, dd) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{dd:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_millis()
    )
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
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
            rule_id: 0,
            phase: 0,
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
                rule_id: 930110,
                phase: 2,
                msg: "Path Traversal Attack".into(),
                data: "Matched Data: ../".into(),
                severity: Some(2),
                tags: vec!["attack-lfi".into(), "paranoia-level/1".into()],
                log: true,
                matched_var_name: "ARGS:file".into(),
                ..blank()
            },
            RuleMatch {
                rule_id: 901000,
                phase: 1,
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
}
