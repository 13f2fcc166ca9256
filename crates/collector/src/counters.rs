//! `POST /v1/counters`: one counter record from one worker of a node (format:
//! `docs/counters.md`, types: `portcullis_wire::counters`).
//!
//! The record is parsed and validated whole (it is one interval of one worker: half of it would
//! be a wrong count), then added in one transaction on the writer thread: its counts into the
//! `counters` rows of the minute its `time` falls in, its `record_id` into `counter_records`
//! (an id already there: nothing is added, the answer says `duplicate`), the worker's facts into
//! `node_workers`, and the node's last-seen time. The node is the token's, never a field of the
//! record; `--insecure-no-auth` ingest without a node token counts under node 0.
//!
//! Answers: 200 `{"result":"accepted"}` or `{"result":"duplicate"}`; 400 `{"error": reason}` for
//! a record that is not valid (the sender drops it: sending it again cannot help); 401 without a
//! valid node token; 413 over the body limit.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use portcullis_wire::counters::CounterRecord;
use serde::Serialize;

use crate::auth::IngestNode;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::counters::{CounterIngest, CounterResult};
use crate::time::parse_rfc3339_ms;

#[derive(Serialize)]
struct Answer {
    result: CounterResult,
}

/// Parses and validates one counter record (the body of `POST /v1/counters`).
///
/// # Errors
/// The reason, for a 400 answer.
pub(crate) fn parse_record(body: &[u8]) -> Result<CounterIngest, String> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| format!("invalid counter record: invalid JSON: {e}"))?;
    if !value.is_object() {
        return Err("invalid counter record: not a JSON object".to_owned());
    }
    let record: CounterRecord =
        serde_json::from_value(value).map_err(|e| format!("invalid counter record: {e}"))?;
    record
        .validate()
        .map_err(|e| format!("invalid counter record: {e}"))?;
    let time_ms = parse_rfc3339_ms(&record.time).ok_or_else(|| {
        "invalid counter record: field `time` must be an RFC 3339 timestamp".to_owned()
    })?;
    Ok(CounterIngest {
        time_ms,
        minute_ms: time_ms - time_ms.rem_euclid(60_000),
        record,
    })
}

/// `POST /v1/counters` (see the module documentation).
pub(crate) async fn ingest(
    State(state): State<AppState>,
    IngestNode(node): IngestNode,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let limits = state.inner.limits;
    let body = crate::error::read_body(body, limits.max_body)?;
    let ingest = parse_record(&body).map_err(AppError::BadRequest)?;
    let result = state.inner.store.add_counters(node, ingest).await?;
    Ok(Json(Answer { result }).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_and_reasons() {
        let ok = br#"{"record_id":"w-c0","worker":"w","time":"2026-12-06T07:35:59.999Z","interval_ms":1000,
            "node":{"version":"0.1.0","ruleset_fingerprint":"ab","rule_count":1,"flush_interval_ms":1000},"counters":[]}"#;
        let r = parse_record(ok).unwrap();
        assert_eq!(r.minute_ms % 60_000, 0);
        assert_eq!(r.time_ms - r.minute_ms, 59_999);
        let bad_time = String::from_utf8_lossy(ok).replace("2026-12-06T07:35:59.999Z", "yesterday");
        assert_eq!(
            parse_record(bad_time.as_bytes()).unwrap_err(),
            "invalid counter record: field `time` must be an RFC 3339 timestamp"
        );
        assert_eq!(
            parse_record(b"[]").unwrap_err(),
            "invalid counter record: not a JSON object"
        );
        assert!(parse_record(b"{")
            .unwrap_err()
            .starts_with("invalid counter record: invalid JSON: EOF"));
        assert!(parse_record(br#"{"record_id":"x"}"#)
            .unwrap_err()
            .contains("missing field `worker`"));
    }
}
