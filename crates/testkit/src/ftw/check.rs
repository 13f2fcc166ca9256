//! Judging one stage: what happened ([`StageOutcome`]) against what the test
//! expects ([`Output`]), the way go-ftw does.
//!
//! go-ftw checks, in order: the expected connection error, the status, the
//! response text, then the log (`match_regex`, `expect_ids`, `isolated`,
//! `no_match_regex`, `no_expect_ids`). It stops at the first failure; we
//! report every failure so a reader sees all reasons at once. Rule ids are
//! read from the log lines' `[id "N"]` markers (also the escaped
//! `[id \"N\"]` form), and regexes are matched line by line, as go-ftw does.

use std::fmt;

use regex::Regex;

use super::model::Output;

/// What one stage produced.
#[derive(Clone, Debug, Default)]
pub struct StageOutcome {
    /// The response status; `None` when the request failed (no response).
    pub status: Option<u16>,
    /// Why the request failed, when it did.
    pub error: Option<String>,
    /// The raw response (status line, headers, body) for `response_contains`.
    pub response: Vec<u8>,
    /// The WAF log lines of this stage, in order.
    pub log_lines: Vec<String>,
}

/// One reason a stage failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The test expected the request to fail and it did not.
    ErrorExpected,
    /// The request failed unexpectedly.
    UnexpectedError(String),
    /// The status is not one of the expected ones.
    Status {
        /// Acceptable statuses.
        expected: Vec<u16>,
        /// What came back.
        got: u16,
    },
    /// The response does not match `response_contains` (a regex, as in go-ftw).
    ResponseLacks(String),
    /// Rules that should have appeared in the log and did not.
    MissingIds(Vec<u64>),
    /// Rules that appeared in the log and should not have.
    UnexpectedIds(Vec<u64>),
    /// No log line matches `match_regex`.
    RegexNotFound(String),
    /// Some log line matches `no_match_regex`.
    RegexFound(String),
    /// A regex in the test does not compile.
    BadRegex {
        /// The pattern.
        pattern: String,
        /// The compiler's complaint.
        error: String,
    },
    /// `isolated`: more or fewer than one rule in the log.
    NotIsolated(Vec<u64>),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::ErrorExpected => f.write_str("expected a connection error, got a response"),
            Failure::UnexpectedError(e) => write!(f, "request failed: {e}"),
            Failure::Status { expected, got } => {
                write!(f, "status {got}, expected ")?;
                write_list(f, expected, " or ")
            }
            Failure::ResponseLacks(s) => write!(f, "response does not match {s:?}"),
            Failure::MissingIds(ids) => {
                f.write_str("expected id missing: ")?;
                write_list(f, ids, ", ")
            }
            Failure::UnexpectedIds(ids) => {
                f.write_str("unexpected id present: ")?;
                write_list(f, ids, ", ")
            }
            Failure::RegexNotFound(r) => write!(f, "no log line matches {r:?}"),
            Failure::RegexFound(r) => write!(f, "a log line matches {r:?}"),
            Failure::BadRegex { pattern, error } => write!(f, "bad regex {pattern:?}: {error}"),
            Failure::NotIsolated(ids) => {
                f.write_str("isolated test triggered ")?;
                write_list(f, ids, ", ")
            }
        }
    }
}

fn write_list<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T], sep: &str) -> fmt::Result {
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        write!(f, "{x}")?;
    }
    Ok(())
}

/// Every rule id in `lines` (`[id "N"]` markers), sorted, without duplicates.
pub fn triggered_ids<S: AsRef<str>>(lines: &[S]) -> Vec<u64> {
    let mut ids = Vec::new();
    for line in lines {
        let mut rest = line.as_ref();
        while let Some(i) = rest.find("[id ") {
            rest = rest.get(i + 4..).unwrap_or_default();
            let quoted = rest.strip_prefix("\\\"").or_else(|| rest.strip_prefix('"'));
            if let Some(after) = quoted {
                let digits_len = after.bytes().take_while(u8::is_ascii_digit).count();
                let tail = after.get(digits_len..).unwrap_or_default();
                if digits_len > 0 && (tail.starts_with("\"]") || tail.starts_with("\\\"]")) {
                    if let Some(id) = after.get(..digits_len).and_then(|d| d.parse().ok()) {
                        ids.push(id);
                    }
                }
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Judge one stage; an empty result means it passed.
pub fn check_stage(expected: &Output, got: &StageOutcome) -> Vec<Failure> {
    let mut failures = Vec::new();
    match (expected.expect_error, &got.error) {
        (Some(true), Some(_)) => return failures,
        (Some(true), None) => {
            failures.push(Failure::ErrorExpected);
            return failures;
        }
        (_, Some(e)) => {
            failures.push(Failure::UnexpectedError(e.clone()));
            return failures;
        }
        _ => {}
    }
    if let Some(status) = got.status {
        if !expected.status.is_empty() && !expected.status.contains(&status) {
            failures.push(Failure::Status { expected: expected.status.clone(), got: status });
        }
    }
    if let Some(pattern) = &expected.response_contains {
        match regex::bytes::Regex::new(pattern) {
            Ok(re) if re.is_match(&got.response) => {}
            Ok(_) => failures.push(Failure::ResponseLacks(pattern.clone())),
            Err(e) => failures.push(Failure::BadRegex { pattern: pattern.clone(), error: e.to_string() }),
        }
    }
    let log = &expected.log;
    let ids = triggered_ids(&got.log_lines);
    if let Some(pattern) = &log.match_regex {
        match any_line_matches(pattern, &got.log_lines) {
            Ok(true) => {}
            Ok(false) => failures.push(Failure::RegexNotFound(pattern.clone())),
            Err(f) => failures.push(f),
        }
    }
    let missing: Vec<u64> = log.expect_ids.iter().copied().filter(|id| !ids.contains(id)).collect();
    if !missing.is_empty() {
        failures.push(Failure::MissingIds(missing));
    }
    if expected.isolated && ids.len() != 1 {
        failures.push(Failure::NotIsolated(ids.clone()));
    }
    if let Some(pattern) = &log.no_match_regex {
        match any_line_matches(pattern, &got.log_lines) {
            Ok(false) => {}
            Ok(true) => failures.push(Failure::RegexFound(pattern.clone())),
            Err(f) => failures.push(f),
        }
    }
    let present: Vec<u64> = log.no_expect_ids.iter().copied().filter(|id| ids.contains(id)).collect();
    if !present.is_empty() {
        failures.push(Failure::UnexpectedIds(present));
    }
    failures
}

fn any_line_matches(pattern: &str, lines: &[String]) -> Result<bool, Failure> {
    let re = Regex::new(pattern).map_err(|e| Failure::BadRegex { pattern: pattern.to_string(), error: e.to_string() })?;
    Ok(lines.iter().any(|l| re.is_match(l)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ftw::model::LogExpect;

    fn outcome(status: u16, lines: &[&str]) -> StageOutcome {
        StageOutcome {
            status: Some(status),
            error: None,
            response: b"HTTP/1.1 200 OK\r\n\r\nhello".to_vec(),
            log_lines: lines.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn reads_ids_from_markers() {
        let lines = [
            r#"[id "942100"] [msg "x [id \"1\"]"] [id "942100"]"#,
            r#"[id \"920100\"] [id "abc"] [id "7""#,
        ];
        assert_eq!(triggered_ids(&lines), vec![1, 920100, 942100]);
    }

    #[test]
    fn expect_and_no_expect_ids() {
        let out = Output {
            log: LogExpect { expect_ids: vec![1, 2], no_expect_ids: vec![3], ..LogExpect::default() },
            ..Output::default()
        };
        assert!(check_stage(&out, &outcome(200, &[r#"[id "1"]"#, r#"[id "2"]"#])).is_empty());
        let f = check_stage(&out, &outcome(200, &[r#"[id "1"]"#, r#"[id "3"]"#]));
        assert_eq!(f, vec![Failure::MissingIds(vec![2]), Failure::UnexpectedIds(vec![3])]);
        assert_eq!(f[0].to_string(), "expected id missing: 2");
    }

    #[test]
    fn status_regex_and_response() {
        let out = Output {
            status: vec![400],
            response_contains: Some("hel+o$".into()),
            log: LogExpect {
                match_regex: Some(r"ARGS:x".into()),
                no_match_regex: Some(r#"\[id "\d+"\]"#.into()),
                ..LogExpect::default()
            },
            ..Output::default()
        };
        let f = check_stage(&out, &outcome(200, &[r#"[id "5"] found within ARGS:x"#]));
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].to_string(), "status 200, expected 400");
        assert!(matches!(f[1], Failure::RegexFound(_)));
    }

    #[test]
    fn expect_error_and_isolated() {
        let out = Output { expect_error: Some(true), ..Output::default() };
        assert_eq!(check_stage(&out, &outcome(200, &[])), vec![Failure::ErrorExpected]);
        let out = Output {
            isolated: true,
            log: LogExpect { expect_ids: vec![1], ..LogExpect::default() },
            ..Output::default()
        };
        assert_eq!(check_stage(&out, &outcome(200, &[r#"[id "1"]"#, r#"[id "2"]"#])), vec![Failure::NotIsolated(vec![1, 2])]);
    }

    #[test]
    fn bad_regex_is_a_failure_not_a_panic() {
        let out = Output { log: LogExpect { match_regex: Some("(".into()), ..LogExpect::default() }, ..Output::default() };
        assert!(matches!(check_stage(&out, &outcome(200, &[])).as_slice(), [Failure::BadRegex { .. }]));
    }
}
