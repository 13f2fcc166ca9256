//! Verdict records as OpenTelemetry logs: one OTLP/HTTP JSON
//! `ExportLogsServiceRequest` per batch (`verdict_log.format: otlp`).
//!
//! The input is the queue's lines (the JSON from `VerdictRecord::to_json`
//! with its `record_id`), so the record keeps one definition and the size
//! cap still applies per record. Each record becomes one `logRecord`:
//! - `timeUnixNano` from `time`, severity WARN for requests that were
//!   stopped (`blocked`, `denied`, `rate_limited`) and INFO for the ones
//!   that went through (`monitored`, `passed`, `allowed`), `body` a
//!   one-line summary (`blocked GET /path by 942100`);
//! - one attribute per field (see [`attribute_name`]): OpenTelemetry
//!   semantic-convention names where one exists (`http.request.method`,
//!   `url.path`/`url.query`, `client.address`, `server.address`,
//!   `http.response.status_code`), `portcullis.<field>` for ours; arrays
//!   become `arrayValue`, objects (`matched[]`) `kvlistValue`, integers
//!   `intValue` (a decimal string, as OTLP JSON encodes int64);
//! - `portcullis.rule_ids`, the matched rule ids, for filtering in a
//!   backend without reading `portcullis.matched`.
//!
//! The collector's `/v1/logs` maps the attributes back (docs/verdict-log.md, "OTLP").

use serde_json::{json, Map, Value};

/// `scope.name` and `service.name` of the records.
pub const SERVICE_NAME: &str = "portcullis";
/// The path verdicts go to when `format` is `otlp` and no `path` is given.
pub const DEFAULT_PATH: &str = "/v1/logs";

/// OTLP `SeverityNumber` INFO.
const SEVERITY_INFO: u8 = 9;
/// OTLP `SeverityNumber` WARN.
const SEVERITY_WARN: u8 = 13;

/// The attribute a verdict field is sent as. `path` is split into
/// `url.path` and `url.query` (see [`log_record`]).
pub fn attribute_name(field: &str) -> String {
    match field {
        "method" => "http.request.method".to_owned(),
        "host" => "server.address".to_owned(),
        "source_ip" => "client.address".to_owned(),
        "status" => "http.response.status_code".to_owned(),
        other => format!("portcullis.{other}"),
    }
}

/// The body of one batch: an `ExportLogsServiceRequest` in OTLP JSON with
/// one `logRecord` per line, in order. Lines that are not JSON objects
/// (never from the queue) become a record with only a body.
pub fn export_request(lines: &[String]) -> Vec<u8> {
    let records: Vec<Value> = lines
        .iter()
        .map(|l| match serde_json::from_str::<Value>(l) {
            Ok(Value::Object(fields)) => log_record(&fields),
            _ => json!({"body": {"stringValue": "unreadable verdict record"}}),
        })
        .collect();
    let version = env!("CARGO_PKG_VERSION");
    let request = json!({
        "resourceLogs": [{
            "resource": {"attributes": [
                string_attr("service.name", SERVICE_NAME),
                string_attr("service.version", version),
            ]},
            "scopeLogs": [{
                "scope": {"name": SERVICE_NAME, "version": version},
                "logRecords": records,
            }],
        }]
    });
    serde_json::to_vec(&request).unwrap_or_default()
}

/// One verdict record (its JSON object) as an OTLP `logRecord`.
pub fn log_record(fields: &Map<String, Value>) -> Value {
    let str_field = |k: &str| fields.get(k).and_then(Value::as_str).unwrap_or("");
    let action = str_field("action");
    let rule_ids: Vec<Value> = fields
        .get("matched")
        .and_then(Value::as_array)
        .map(|m| m.iter().filter_map(|x| x.get("id").and_then(Value::as_i64)).map(|id| json!({"intValue": id.to_string()})).collect())
        .unwrap_or_default();
    let mut attributes = Vec::with_capacity(fields.len() + 2);
    for (field, value) in fields {
        if field == "path" {
            if let Some(path) = value.as_str() {
                let (p, q) = match path.split_once('?') {
                    Some((p, q)) => (p, Some(q)),
                    None => (path, None),
                };
                attributes.push(string_attr("url.path", p));
                if let Some(q) = q {
                    attributes.push(string_attr("url.query", q));
                }
                continue;
            }
        }
        attributes.push(json!({"key": attribute_name(field), "value": any_value(value)}));
    }
    let first_rule = rule_ids.first().and_then(|v| v["intValue"].as_str()).map(|id| format!(" by {id}")).unwrap_or_default();
    attributes.push(json!({"key": "portcullis.rule_ids", "value": {"arrayValue": {"values": rule_ids}}}));
    let (severity, severity_text) = match action {
        "blocked" | "denied" | "rate_limited" => (SEVERITY_WARN, "WARN"),
        _ => (SEVERITY_INFO, "INFO"),
    };
    let body = format!("{action} {} {}{first_rule}", str_field("method"), str_field("path"));
    let mut record = json!({
        "severityNumber": severity,
        "severityText": severity_text,
        "body": {"stringValue": body},
        "attributes": attributes,
    });
    if let Some(nanos) = fields.get("time").and_then(Value::as_str).and_then(unix_nanos) {
        record["timeUnixNano"] = Value::String(nanos.to_string());
    }
    record
}

fn string_attr(key: &str, value: &str) -> Value {
    json!({"key": key, "value": {"stringValue": value}})
}

/// A JSON value as an OTLP `AnyValue` (JSON encoding).
fn any_value(value: &Value) -> Value {
    match value {
        Value::Null => json!({}),
        Value::Bool(b) => json!({"boolValue": b}),
        Value::Number(n) => match n.as_i64() {
            Some(i) => json!({"intValue": i.to_string()}),
            None => json!({"doubleValue": n.as_f64().unwrap_or(0.0)}),
        },
        Value::String(s) => json!({"stringValue": s}),
        Value::Array(items) => json!({"arrayValue": {"values": items.iter().map(any_value).collect::<Vec<_>>()}}),
        Value::Object(map) => json!({"kvlistValue": {"values": map.iter().map(|(k, v)| json!({"key": k, "value": any_value(v)})).collect::<Vec<_>>()}}),
    }
}

/// Nanoseconds since the epoch of a record `time` (`YYYY-MM-DDTHH:MM:SS[.fff]Z`,
/// as the filter writes it); `None` for anything else.
pub fn unix_nanos(time: &str) -> Option<u64> {
    let b = time.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> { time.get(r)?.parse().ok() };
    if b.len() < 20 || b.get(4) != Some(&b'-') || b.get(10) != Some(&b'T') || b.last() != Some(&b'Z') {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let frac = time.get(19..b.len() - 1)?;
    let nanos_frac = match frac.strip_prefix('.') {
        None if frac.is_empty() => 0,
        Some(digits) if !digits.is_empty() && digits.len() <= 9 && digits.bytes().all(|c| c.is_ascii_digit()) => {
            digits.parse::<u64>().ok()? * 10u64.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s;
    u64::try_from(secs).ok()?.checked_mul(1_000_000_000)?.checked_add(nanos_frac)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"record_id":"ab-1","time":"2026-11-25T22:08:02.123Z","unique_id":"u1","application_id":7,"host":"shop.example.com","method":"GET","path":"/?file=../../etc/passwd","source_ip":"10.0.0.5","status":403,"action":"blocked","mode":"block","anomaly_score":10,"matched":[{"id":930110,"msg":"Path Traversal","data":"x","severity":"CRITICAL","tags":["attack-lfi"],"phase":2}],"attack_types":["lfi"],"cves":[]}"#;

    fn attr<'a>(rec: &'a Value, key: &str) -> &'a Value {
        rec["attributes"].as_array().unwrap().iter().find(|a| a["key"] == key).map(|a| &a["value"]).unwrap_or_else(|| panic!("no {key}"))
    }

    #[test]
    fn a_batch_is_one_export_request() {
        let body = export_request(&[LINE.to_owned(), LINE.replace("blocked", "passed")]);
        let v: Value = serde_json::from_slice(&body).unwrap();
        let rl = &v["resourceLogs"][0];
        assert_eq!(rl["resource"]["attributes"][0], json!({"key":"service.name","value":{"stringValue":"portcullis"}}));
        let recs = rl["scopeLogs"][0]["logRecords"].as_array().unwrap();
        assert_eq!(recs.len(), 2);
        let r = &recs[0];
        assert_eq!(r["timeUnixNano"], "1795644482123000000");
        assert_eq!((r["severityNumber"].as_u64(), r["severityText"].as_str()), (Some(13), Some("WARN")));
        assert_eq!(recs[1]["severityText"], "INFO");
        assert_eq!(r["body"]["stringValue"], "blocked GET /?file=../../etc/passwd by 930110");
        assert_eq!(attr(r, "portcullis.action"), &json!({"stringValue":"blocked"}));
        assert_eq!(attr(r, "portcullis.record_id"), &json!({"stringValue":"ab-1"}));
        assert_eq!(attr(r, "http.request.method"), &json!({"stringValue":"GET"}));
        assert_eq!(attr(r, "url.path"), &json!({"stringValue":"/"}));
        assert_eq!(attr(r, "url.query"), &json!({"stringValue":"file=../../etc/passwd"}));
        assert_eq!(attr(r, "client.address"), &json!({"stringValue":"10.0.0.5"}));
        assert_eq!(attr(r, "server.address"), &json!({"stringValue":"shop.example.com"}));
        assert_eq!(attr(r, "http.response.status_code"), &json!({"intValue":"403"}));
        assert_eq!(attr(r, "portcullis.application_id"), &json!({"intValue":"7"}));
        assert_eq!(attr(r, "portcullis.rule_ids"), &json!({"arrayValue":{"values":[{"intValue":"930110"}]}}));
        assert_eq!(attr(r, "portcullis.cves"), &json!({"arrayValue":{"values":[]}}));
        let m = &attr(r, "portcullis.matched")["arrayValue"]["values"][0]["kvlistValue"]["values"];
        assert!(m.as_array().unwrap().contains(&json!({"key":"id","value":{"intValue":"930110"}})));
    }

    #[test]
    fn times() {
        assert_eq!(unix_nanos("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(unix_nanos("1970-01-01T00:00:01.5Z"), Some(1_500_000_000));
        assert_eq!(unix_nanos("2000-03-01T00:00:00.000Z"), Some(951_868_800_000_000_000));
        assert_eq!(unix_nanos("2026-11-25 22:08:02Z"), None);
        assert_eq!(unix_nanos("2026-11-25T22:08:02+01:00"), None);
        assert_eq!(unix_nanos("x"), None);
    }

    #[test]
    fn path_without_query_and_record_without_matches() {
        let body = export_request(&[r#"{"time":"bad","action":"allowed","method":"GET","path":"/a"}"#.to_owned(), "[1]".to_owned()]);
        let v: Value = serde_json::from_slice(&body).unwrap();
        let r = &v["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0];
        assert!(r.get("timeUnixNano").is_none());
        assert_eq!(r["body"]["stringValue"], "allowed GET /a");
        assert!(r["attributes"].as_array().unwrap().iter().all(|a| a["key"] != "url.query"));
        assert_eq!(v["resourceLogs"][0]["scopeLogs"][0]["logRecords"][1]["body"]["stringValue"], "unreadable verdict record");
    }
}
