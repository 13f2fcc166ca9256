//! Counter records for tests: building one and posting it to `POST /v1/counters`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};

/// A counter record of worker `worker` with one entry per `(host, app, mode, [blocked, passed])`
/// (requests = blocked + passed, the other counts 0).
pub fn counter_record(id: &str, worker: &str, time: &str, entries: &[(&str, &str, &str, [u64; 2])]) -> Value {
    let counters: Vec<Value> = entries
        .iter()
        .map(|(host, app, mode, [blocked, passed])| {
            json!({"host": host, "application_id": app, "mode": mode, "requests": blocked + passed,
                   "blocked": blocked, "monitored": 0, "passed": passed, "rate_limited": 0, "allowed": 0,
                   "denied": 0, "body_limit_rejects": 0, "verdicts_dropped": 0})
        })
        .collect();
    json!({"record_id": id, "worker": worker, "time": time, "interval_ms": 1000,
           "node": {"version": "0.1.0", "ruleset_fingerprint": "00ff", "rule_count": 12, "flush_interval_ms": 1000},
           "counters": counters})
}

/// Posts one counter record (any body) with an optional bearer token; the status and the JSON
/// answer (a string when it is not JSON).
pub async fn post_counters(app: &Router, body: impl Into<Body>, token: Option<&str>) -> (StatusCode, Value) {
    let mut request = Request::post("/v1/counters").header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let (status, _, text) = super::send(app, request.body(body.into()).unwrap()).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}
