//! One verdict record: validation of an NDJSON line and the columns the store indexes.
//!
//! The record format is `docs/verdict-log.md`; its field names, action names and limits come from
//! `portcullis_wire::verdict`, the definition the filter writes with. A line is valid when it is a JSON object with the
//! required fields `time` (RFC 3339), `unique_id` (non-empty string) and `action` (`blocked`,
//! `monitored` or `passed`), and every known optional field that is present has its documented
//! type; `record_id`, when present, is a non-empty string of at most [`MAX_RECORD_ID`] bytes.
//! `null` counts as absent for optional fields (serializers often write `None` as `null`).
//! Unknown fields are ignored, for forward compatibility. The line itself is kept verbatim: the
//! query API returns records as received.

use std::fmt;

use serde_json::{Map, Value};

use crate::time::parse_rfc3339_ms;

use portcullis_wire::verdict::field;
pub use portcullis_wire::verdict::{Action, MAX_RECORD_ID};

/// A validated record: the indexed columns plus the verbatim line.
#[derive(Debug, Clone)]
pub(crate) struct Verdict {
    /// The sender's id of the record (`record_id`): stored once, re-sent copies are duplicates.
    pub record_id: Option<String>,
    /// `time` as UTC milliseconds since the epoch.
    pub time_ms: i64,
    pub unique_id: String,
    pub action: Action,
    /// `application_id` as text: an integer `7` and a string `"7"` are both stored as `7`.
    pub application_id: Option<String>,
    pub host: Option<String>,
    pub source_ip: Option<String>,
    pub status: Option<i64>,
    pub anomaly_score: Option<i64>,
    /// `matched[].id` in order, possibly with repeats (the store deduplicates).
    pub rule_ids: Vec<i64>,
    /// The line as received (without its line terminator).
    pub raw: String,
    /// What the dashboard's rollups count about it (path, attack types, CVEs, rules with msg).
    pub facets: crate::stats::Facets,
}

/// Why one line was rejected. Messages never echo the offending value (it may be large or hostile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    /// The line is longer than the per-line limit.
    LineTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// The line is not valid UTF-8.
    NotUtf8,
    /// The line is not valid JSON (serde_json's message, which gives the column).
    Json(String),
    /// The line is JSON but not an object.
    NotObject,
    /// A required field is absent (or `null`).
    Missing(&'static str),
    /// A field has the wrong JSON type.
    WrongType {
        /// Field path, e.g. `status` or `matched[2].id`.
        field: String,
        /// What the format requires.
        expected: &'static str,
    },
    /// `time` is a string but not an RFC 3339 timestamp.
    BadTime,
    /// `action` is a string but not one of the three actions.
    BadAction,
    /// `unique_id` is the empty string.
    EmptyUniqueId,
    /// `record_id` is empty or longer than [`MAX_RECORD_ID`] bytes.
    BadRecordId,
    /// `matched[i].phase` is outside 1..=5.
    BadPhase {
        /// Index into `matched`.
        index: usize,
    },
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::LineTooLong { limit } => write!(f, "line longer than {limit} bytes"),
            RecordError::NotUtf8 => f.write_str("line is not valid UTF-8"),
            RecordError::Json(msg) => write!(f, "invalid JSON: {msg}"),
            RecordError::NotObject => f.write_str("record is not a JSON object"),
            RecordError::Missing(field) => write!(f, "missing required field `{field}`"),
            RecordError::WrongType { field, expected } => {
                write!(f, "field `{field}` must be {expected}")
            }
            RecordError::BadTime => f.write_str("field `time` must be an RFC 3339 timestamp"),
            RecordError::BadAction => {
                write!(
                    f,
                    "field `{}` must be one of {}",
                    field::ACTION,
                    Action::names()
                )
            }
            RecordError::EmptyUniqueId => f.write_str("field `unique_id` must not be empty"),
            RecordError::BadRecordId => {
                write!(f, "field `record_id` must be 1 to {MAX_RECORD_ID} bytes")
            }
            RecordError::BadPhase { index } => {
                write!(f, "field `matched[{index}].phase` must be 1 to 5")
            }
        }
    }
}

impl std::error::Error for RecordError {}

/// Validates one non-blank line (already stripped of `\n`/`\r\n`) against the record format.
///
/// `max_line` is the per-line byte limit. Never panics on any input.
pub(crate) fn parse_line(line: &[u8], max_line: usize) -> Result<Verdict, RecordError> {
    if line.len() > max_line {
        return Err(RecordError::LineTooLong { limit: max_line });
    }
    let text = std::str::from_utf8(line).map_err(|_| RecordError::NotUtf8)?;
    let value: Value = serde_json::from_str(text).map_err(|e| RecordError::Json(e.to_string()))?;
    let Value::Object(obj) = value else {
        return Err(RecordError::NotObject);
    };

    let time = required_str(&obj, field::TIME)?;
    let time_ms = parse_rfc3339_ms(time).ok_or(RecordError::BadTime)?;
    let unique_id = required_str(&obj, field::UNIQUE_ID)?;
    if unique_id.is_empty() {
        return Err(RecordError::EmptyUniqueId);
    }
    let action =
        Action::from_name(required_str(&obj, field::ACTION)?).ok_or(RecordError::BadAction)?;
    let record_id = optional_str(&obj, field::RECORD_ID)?;
    if record_id.is_some_and(|id| id.is_empty() || id.len() > MAX_RECORD_ID) {
        return Err(RecordError::BadRecordId);
    }

    let application_id = match present(&obj, field::APPLICATION_ID) {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        Some(_) => return Err(wrong(field::APPLICATION_ID, "an integer or a string")),
    };
    let host = optional_str(&obj, field::HOST)?;
    let source_ip = optional_str(&obj, field::SOURCE_IP)?;
    optional_str(&obj, field::METHOD)?;
    optional_str(&obj, field::PATH)?;
    optional_str(&obj, field::MODE)?;
    let status = optional_int(&obj, field::STATUS)?;
    let anomaly_score = optional_int(&obj, field::ANOMALY_SCORE)?;
    optional_int(&obj, field::MATCHED_DROPPED)?;
    optional_str_array(&obj, field::ATTACK_TYPES)?;
    optional_str_array(&obj, field::CVES)?;
    let rule_ids = matched_rule_ids(&obj)?;

    Ok(Verdict {
        record_id: record_id.map(str::to_owned),
        time_ms,
        unique_id: unique_id.to_owned(),
        action,
        application_id,
        host: host.map(str::to_owned),
        source_ip: source_ip.map(str::to_owned),
        status,
        anomaly_score,
        rule_ids,
        raw: text.to_owned(),
        facets: crate::stats::Facets::of_record(&obj),
    })
}

/// Validates `matched` (array of `{id, msg, data, severity, tags, phase}`) and returns the ids.
/// `id` is required in each entry: it is what the "top rules" table is built from.
fn matched_rule_ids(obj: &Map<String, Value>) -> Result<Vec<i64>, RecordError> {
    let Some(matched) = present(obj, field::MATCHED) else {
        return Ok(Vec::new());
    };
    let Value::Array(entries) = matched else {
        return Err(wrong(field::MATCHED, "an array of objects"));
    };
    let mut ids = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let Value::Object(m) = entry else {
            return Err(wrong(&format!("matched[{index}]"), "an object"));
        };
        let field_of = |name: &str| format!("{}[{index}].{name}", field::MATCHED);
        match present(m, field::matched::ID).and_then(Value::as_i64) {
            Some(id) => ids.push(id),
            None => return Err(wrong(&field_of(field::matched::ID), "an integer")),
        }
        for name in [
            field::matched::MSG,
            field::matched::DATA,
            field::matched::SEVERITY,
        ] {
            if present(m, name).is_some_and(|v| !v.is_string()) {
                return Err(wrong(&field_of(name), "a string"));
            }
        }
        if let Some(tags) = present(m, field::matched::TAGS) {
            if !is_str_array(tags) {
                return Err(wrong(
                    &field_of(field::matched::TAGS),
                    "an array of strings",
                ));
            }
        }
        if let Some(phase) = present(m, field::matched::PHASE) {
            match phase.as_i64() {
                Some(1..=5) => {}
                Some(_) => return Err(RecordError::BadPhase { index }),
                None => return Err(wrong(&field_of(field::matched::PHASE), "an integer")),
            }
        }
    }
    Ok(ids)
}

/// The field's value unless it is absent or `null`.
fn present<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).filter(|v| !v.is_null())
}

fn wrong(field: &str, expected: &'static str) -> RecordError {
    RecordError::WrongType {
        field: field.to_owned(),
        expected,
    }
}

fn required_str<'a>(
    obj: &'a Map<String, Value>,
    name: &'static str,
) -> Result<&'a str, RecordError> {
    match present(obj, name) {
        None => Err(RecordError::Missing(name)),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(wrong(name, "a string")),
    }
}

fn optional_str<'a>(
    obj: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, RecordError> {
    match present(obj, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(wrong(name, "a string")),
    }
}

fn optional_int(obj: &Map<String, Value>, name: &str) -> Result<Option<i64>, RecordError> {
    match present(obj, name) {
        None => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| wrong(name, "an integer")),
    }
}

fn optional_str_array(obj: &Map<String, Value>, name: &str) -> Result<(), RecordError> {
    match present(obj, name) {
        Some(v) if !is_str_array(v) => Err(wrong(name, "an array of strings")),
        _ => Ok(()),
    }
}

fn is_str_array(v: &Value) -> bool {
    v.as_array().is_some_and(|a| a.iter().all(Value::is_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: usize = 256 * 1024;

    const EXAMPLE: &str = r#"{"time":"2026-11-25T22:08:02.123Z","unique_id":"7f0c","application_id":7,"host":"shop.example.com","method":"GET","path":"/?file=../../etc/passwd","source_ip":"10.0.0.5","status":403,"action":"blocked","mode":"block","anomaly_score":10,"matched":[{"id":930110,"msg":"Path Traversal Attack (/../) or (/.../)","data":"Matched Data: ../ found within ARGS:file: ../../etc/passwd","severity":"CRITICAL","tags":["attack-lfi","paranoia-level/1"],"phase":2}],"attack_types":["lfi"],"cves":[]}"#;

    fn err(line: &str) -> String {
        match parse_line(line.as_bytes(), LIMIT) {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn the_documented_example_is_valid() {
        let v = parse_line(EXAMPLE.as_bytes(), LIMIT).unwrap();
        assert_eq!(v.time_ms, 1_795_644_482_123);
        assert_eq!(v.unique_id, "7f0c");
        assert_eq!(v.action, Action::Blocked);
        assert_eq!(v.application_id.as_deref(), Some("7"));
        assert_eq!(v.host.as_deref(), Some("shop.example.com"));
        assert_eq!(v.source_ip.as_deref(), Some("10.0.0.5"));
        assert_eq!(v.status, Some(403));
        assert_eq!(v.anomaly_score, Some(10));
        assert_eq!(v.rule_ids, vec![930110]);
        assert_eq!(v.raw, EXAMPLE);
    }

    #[test]
    fn minimal_record_unknown_fields_and_nulls() {
        let v = parse_line(
            br#"{"time":"2026-01-01T00:00:00Z","unique_id":"a","action":"passed","future":{"x":1},"host":null,"application_id":"shop"}"#,
            LIMIT,
        )
        .unwrap();
        assert_eq!(v.action, Action::Passed);
        assert_eq!(v.host, None);
        assert_eq!(v.application_id.as_deref(), Some("shop"));
        assert!(v.rule_ids.is_empty());
    }

    #[test]
    fn rejections_name_the_problem() {
        let base = r#""time":"2026-01-01T00:00:00Z","unique_id":"a","action":"passed""#;
        assert_eq!(err("[1,2]"), "record is not a JSON object");
        assert!(err("{nope").starts_with("invalid JSON: "));
        assert_eq!(
            err(r#"{"unique_id":"a","action":"passed"}"#),
            "missing required field `time`"
        );
        assert_eq!(
            err(r#"{"time":"2026-01-01T00:00:00Z","action":"passed","unique_id":null}"#),
            "missing required field `unique_id`"
        );
        assert_eq!(
            err(r#"{"time":"2026-01-01T00:00:00Z","unique_id":"a"}"#),
            "missing required field `action`"
        );
        assert_eq!(
            err(r#"{"time":"yesterday","unique_id":"a","action":"passed"}"#),
            "field `time` must be an RFC 3339 timestamp"
        );
        assert_eq!(
            err(r#"{"time":"2026-01-01T00:00:00Z","unique_id":"a","action":"refused"}"#),
            "field `action` must be one of blocked, monitored, passed, allowed, denied, rate_limited"
        );
        assert_eq!(
            err(r#"{"time":"2026-01-01T00:00:00Z","unique_id":"","action":"passed"}"#),
            "field `unique_id` must not be empty"
        );
        assert_eq!(
            err(&format!(r#"{{{base},"status":"403"}}"#)),
            "field `status` must be an integer"
        );
        assert_eq!(
            err(&format!(r#"{{{base},"status":403.5}}"#)),
            "field `status` must be an integer"
        );
        assert_eq!(
            err(&format!(r#"{{{base},"host":5}}"#)),
            "field `host` must be a string"
        );
        assert_eq!(
            err(&format!(r#"{{{base},"application_id":1.5}}"#)),
            "field `application_id` must be an integer or a string"
        );
        assert_eq!(
            err(&format!(r#"{{{base},"cves":["CVE-1",2]}}"#)),
            "field `cves` must be an array of strings"
        );
        assert_eq!(
            err(&format!(r#"{{{base},"matched":{{}}}}"#)),
            "field `matched` must be an array of objects"
        );
        assert_eq!(
            err(&format!(
                r#"{{{base},"matched":[{{"id":1}},{{"msg":"x"}}]}}"#
            )),
            "field `matched[1].id` must be an integer"
        );
        assert_eq!(
            err(&format!(r#"{{{base},"matched":[{{"id":1,"tags":"a"}}]}}"#)),
            "field `matched[0].tags` must be an array of strings"
        );
        assert_eq!(
            err(&format!(r#"{{{base},"matched":[{{"id":1,"phase":6}}]}}"#)),
            "field `matched[0].phase` must be 1 to 5"
        );
        assert_eq!(
            err(&format!(r#"{{{base},"record_id":""}}"#)),
            "field `record_id` must be 1 to 128 bytes"
        );
        assert_eq!(
            err(&format!(r#"{{{base},"record_id":"{}"}}"#, "a".repeat(129))),
            "field `record_id` must be 1 to 128 bytes"
        );
        assert_eq!(
            err(&format!(r#"{{{base},"record_id":7}}"#)),
            "field `record_id` must be a string"
        );
        assert_eq!(
            err(&format!(r#"{{{base},"matched_dropped":"3"}}"#)),
            "field `matched_dropped` must be an integer"
        );
        assert_eq!(err(&format!(r#"{{{base},"record_id":"ab-1"}}"#)), "ok");
        assert_eq!(err(&format!("{{{base}}}")), "ok");
    }

    #[test]
    fn limits_and_encoding() {
        let long = format!(
            r#"{{"time":"2026-01-01T00:00:00Z","unique_id":"a","action":"passed","pad":"{}"}}"#,
            "x".repeat(100)
        );
        assert_eq!(
            parse_line(long.as_bytes(), 50).unwrap_err(),
            RecordError::LineTooLong { limit: 50 }
        );
        assert_eq!(
            parse_line(b"{\"a\":\"\xff\"}", LIMIT).unwrap_err(),
            RecordError::NotUtf8
        );
    }
}
