//! `POST /v1/logs`: verdicts as OpenTelemetry logs (OTLP/HTTP, JSON encoding).
//!
//! A filter with `verdict_log.format: otlp` sends one `ExportLogsServiceRequest` per batch
//! (`resourceLogs[].scopeLogs[].logRecords[]`). Each log record is mapped back to a verdict
//! record ([`verdict_line`]) and then goes through the same validation and store as an NDJSON
//! line, so a record id is stored once whichever way it came. Log records without any
//! `portcullis.*` attribute are not Portcullis verdicts and are refused with the reason.
//!
//! The answer is OTLP's: 200 with `{}` when every record was taken (stored or a duplicate),
//! 200 with `partialSuccess {rejectedLogRecords, errorMessage}` when some were refused, 400
//! when the body is not an OTLP JSON request, 415 for the protobuf encoding (not supported).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::auth::IngestNode;
use crate::error::AppError;
use crate::record::parse_line;
use crate::state::AppState;

/// Why a log record is not a verdict record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LogRecordError {
    /// No `portcullis.*` attribute: some other program's log.
    NotAVerdict,
    /// The mapped record failed the verdict validation.
    Invalid(String),
}

impl std::fmt::Display for LogRecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LogRecordError::NotAVerdict => f.write_str("not a Portcullis verdict (no portcullis.* attributes)"),
            LogRecordError::Invalid(why) => write!(f, "invalid verdict: {why}"),
        }
    }
}

/// The verdict field an attribute carries (`path` comes from `url.path` + `url.query`, see
/// [`verdict_line`]); `None` for attributes that are not one (`portcullis.rule_ids` is derived).
fn field_of(key: &str) -> Option<&str> {
    match key {
        "http.request.method" => Some("method"),
        "server.address" => Some("host"),
        "client.address" => Some("source_ip"),
        "http.response.status_code" => Some("status"),
        "portcullis.rule_ids" => None,
        other => other.strip_prefix("portcullis.").filter(|f| !f.is_empty()),
    }
}

/// An OTLP JSON `AnyValue` as plain JSON: `intValue` (a string or a number) an integer,
/// arrays and key-value lists as arrays and objects, an empty value `null`.
fn plain(value: &Value) -> Value {
    let Some(obj) = value.as_object() else { return Value::Null };
    if let Some(s) = obj.get("stringValue") {
        return s.clone();
    }
    if let Some(i) = obj.get("intValue") {
        return match i {
            Value::String(s) => s.parse::<i64>().map(Value::from).unwrap_or_else(|_| i.clone()),
            other => other.clone(),
        };
    }
    if let Some(v) = obj.get("boolValue").or_else(|| obj.get("doubleValue")).or_else(|| obj.get("bytesValue")) {
        return v.clone();
    }
    if let Some(values) = obj.get("arrayValue").and_then(|a| a.get("values")).and_then(Value::as_array) {
        return Value::Array(values.iter().map(plain).collect());
    }
    if obj.contains_key("arrayValue") {
        return Value::Array(Vec::new());
    }
    if let Some(kv) = obj.get("kvlistValue") {
        return Value::Object(key_values(kv.get("values")));
    }
    Value::Null
}

/// `[{key, value}]` as an object of plain values.
fn key_values(list: Option<&Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for kv in list.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default() {
        if let Some(key) = kv.get("key").and_then(Value::as_str) {
            out.insert(key.to_owned(), kv.get("value").map(plain).unwrap_or(Value::Null));
        }
    }
    out
}

/// The verdict record (one NDJSON line) a log record carries: each attribute back under its
/// field name, `path` from `url.path` and `url.query`, `time` from `timeUnixNano` (or
/// `observedTimeUnixNano`) when the attributes have none.
pub(crate) fn verdict_line(log_record: &Value) -> Result<String, LogRecordError> {
    let attributes = key_values(log_record.get("attributes"));
    if !attributes.keys().any(|k| k.starts_with("portcullis.")) {
        return Err(LogRecordError::NotAVerdict);
    }
    let mut record = Map::new();
    let (mut url_path, mut url_query) = (None, None);
    for (key, value) in attributes {
        match key.as_str() {
            "url.path" => url_path = value.as_str().map(str::to_owned),
            "url.query" => url_query = value.as_str().map(str::to_owned),
            _ => {
                if let Some(field) = field_of(&key) {
                    record.insert(field.to_owned(), value);
                }
            }
        }
    }
    if let Some(p) = url_path {
        let path = match url_query {
            Some(q) => format!("{p}?{q}"),
            None => p,
        };
        record.insert("path".to_owned(), Value::String(path));
    }
    if !record.contains_key("time") {
        let nanos = ["timeUnixNano", "observedTimeUnixNano"].iter().find_map(|k| match log_record.get(*k)? {
            Value::String(s) => s.parse::<u64>().ok(),
            Value::Number(n) => n.as_u64(),
            _ => None,
        });
        if let Some(nanos) = nanos.filter(|n| *n > 0) {
            record.insert("time".to_owned(), Value::String(crate::time::format_rfc3339_millis(i64::try_from(nanos / 1_000_000).unwrap_or(i64::MAX))));
        }
    }
    serde_json::to_string(&record).map_err(|e| LogRecordError::Invalid(e.to_string()))
}

/// All log records of an `ExportLogsServiceRequest`, in order; `None` when the body is not one.
fn log_records(request: &Value) -> Option<Vec<&Value>> {
    let mut out = Vec::new();
    for rl in request.get("resourceLogs")?.as_array()? {
        for sl in rl.get("scopeLogs").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default() {
            out.extend(sl.get("logRecords").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default());
        }
    }
    Some(out)
}

/// `POST /v1/logs` (see the module documentation).
pub(crate) async fn ingest_logs(
    State(state): State<AppState>,
    IngestNode(node): IngestNode,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.to_ascii_lowercase().contains("protobuf") {
        let msg = "OTLP/HTTP protobuf is not supported here: send the JSON encoding (content-type: application/json)";
        return Ok((StatusCode::UNSUPPORTED_MEDIA_TYPE, Json(json!({"code": 3, "message": msg}))).into_response());
    }
    let limits = state.inner.limits;
    let body = crate::error::read_body(body, limits.max_body)?;
    let parsed = tokio::task::spawn_blocking(move || -> Result<(Vec<_>, Vec<String>), AppError> {
        let request: Value = serde_json::from_slice(&body)
            .map_err(|e| AppError::BadRequest(format!("not an OTLP JSON ExportLogsServiceRequest: {e}")))?;
        let records = log_records(&request)
            .ok_or_else(|| AppError::BadRequest("not an OTLP JSON ExportLogsServiceRequest: no resourceLogs array".to_owned()))?;
        if records.len() > limits.max_records {
            return Err(AppError::PayloadTooLarge(format!("request has more than {} log records", limits.max_records)));
        }
        let mut verdicts = Vec::with_capacity(records.len());
        let mut refused = Vec::new();
        for (i, record) in records.iter().enumerate() {
            let verdict = verdict_line(record).and_then(|line| {
                parse_line(line.as_bytes(), limits.max_line).map_err(|e| LogRecordError::Invalid(e.to_string()))
            });
            match verdict {
                Ok(v) => verdicts.push(v),
                Err(e) => refused.push(format!("log record {}: {e}", i + 1)),
            }
        }
        Ok((verdicts, refused))
    })
    .await
    .map_err(|e| AppError::Internal(format!("log validation task: {e}")))??;
    let (verdicts, refused) = parsed;
    state.inner.store.insert(node, verdicts).await?;
    if refused.is_empty() {
        return Ok((StatusCode::OK, Json(json!({}))).into_response());
    }
    let message = refused.first().cloned().unwrap_or_default();
    let more = if refused.len() > 1 { format!(" (and {} more)", refused.len() - 1) } else { String::new() };
    let answer = json!({"partialSuccess": {"rejectedLogRecords": refused.len().to_string(), "errorMessage": format!("{message}{more}")}});
    Ok((StatusCode::OK, Json(answer)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log record as the filter's `src/otlp.rs` writes it.
    fn filter_record() -> Value {
        json!({
            "timeUnixNano": "1795644482123000000",
            "severityNumber": 13, "severityText": "WARN",
            "body": {"stringValue": "blocked GET /?file=../../etc/passwd by 930110"},
            "attributes": [
                {"key": "portcullis.record_id", "value": {"stringValue": "ab-1"}},
                {"key": "portcullis.time", "value": {"stringValue": "2026-11-25T22:08:02.123Z"}},
                {"key": "portcullis.unique_id", "value": {"stringValue": "u1"}},
                {"key": "portcullis.application_id", "value": {"intValue": "7"}},
                {"key": "server.address", "value": {"stringValue": "shop.example.com"}},
                {"key": "http.request.method", "value": {"stringValue": "GET"}},
                {"key": "url.path", "value": {"stringValue": "/"}},
                {"key": "url.query", "value": {"stringValue": "file=../../etc/passwd"}},
                {"key": "client.address", "value": {"stringValue": "10.0.0.5"}},
                {"key": "http.response.status_code", "value": {"intValue": "403"}},
                {"key": "portcullis.action", "value": {"stringValue": "blocked"}},
                {"key": "portcullis.anomaly_score", "value": {"intValue": 10}},
                {"key": "portcullis.matched", "value": {"arrayValue": {"values": [{"kvlistValue": {"values": [
                    {"key": "id", "value": {"intValue": "930110"}},
                    {"key": "tags", "value": {"arrayValue": {"values": [{"stringValue": "attack-lfi"}]}}},
                    {"key": "phase", "value": {"intValue": "2"}}]}}]}}},
                {"key": "portcullis.cves", "value": {"arrayValue": {}}},
                {"key": "portcullis.rule_ids", "value": {"arrayValue": {"values": [{"intValue": "930110"}]}}},
            ]
        })
    }

    #[test]
    fn a_filter_log_record_maps_back_to_its_verdict() {
        let line = verdict_line(&filter_record()).unwrap();
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            v,
            json!({"record_id":"ab-1","time":"2026-11-25T22:08:02.123Z","unique_id":"u1","application_id":7,
                   "host":"shop.example.com","method":"GET","path":"/?file=../../etc/passwd","source_ip":"10.0.0.5",
                   "status":403,"action":"blocked","anomaly_score":10,
                   "matched":[{"id":930110,"tags":["attack-lfi"],"phase":2}],"cves":[]})
        );
        let verdict = parse_line(line.as_bytes(), 1 << 18).unwrap();
        assert_eq!((verdict.rule_ids, verdict.status), (vec![930110], Some(403)));
    }

    #[test]
    fn time_from_time_unix_nano_and_foreign_logs() {
        let mut r = filter_record();
        r["attributes"].as_array_mut().unwrap().retain(|a| a["key"] != "portcullis.time");
        let v: Value = serde_json::from_str(&verdict_line(&r).unwrap()).unwrap();
        assert_eq!(v["time"], "2026-11-25T22:08:02.123Z");
        assert_eq!(crate::time::format_rfc3339_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(crate::time::format_rfc3339_millis(951_782_400_999), "2000-02-29T00:00:00.999Z");
        let foreign = json!({"body": {"stringValue": "GET / 200"}, "attributes": [{"key": "http.request.method", "value": {"stringValue": "GET"}}]});
        assert_eq!(verdict_line(&foreign), Err(LogRecordError::NotAVerdict));
        assert_eq!(verdict_line(&json!({})), Err(LogRecordError::NotAVerdict));
    }

    #[test]
    fn records_of_a_request() {
        let req = json!({"resourceLogs": [{"scopeLogs": [{"logRecords": [{}, {}]}, {}]}, {"scopeLogs": [{"logRecords": [{}]}]}]});
        assert_eq!(log_records(&req).unwrap().len(), 3);
        assert!(log_records(&json!({"x": 1})).is_none());
    }
}
