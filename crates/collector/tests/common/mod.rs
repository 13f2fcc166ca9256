//! Helpers shared by the collector's integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod bench;
pub mod counters;
pub mod ip_lists;
pub mod pg;

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use portcullis_collector::{app, AppState, CollectorConfig};
use serde_json::Value;
use tower::ServiceExt;

/// A minimal valid record line with extra fields spliced in (`extra` starts with a comma).
pub fn record(time: &str, unique_id: &str, action: &str, extra: &str) -> String {
    format!(r#"{{"time":"{time}","unique_id":"{unique_id}","action":"{action}"{extra}}}"#)
}

/// 2026-11-25T22:00:00Z: the hour the console tests' records fall in.
pub const HOUR: &str = "2026-11-25T22";
/// The console's window over [`HOUR`].
pub const WINDOW: &str = "from=2026-11-25T22:00:00Z&to=2026-11-25T23:00:00Z";

/// An SQL injection attack record at `22:MM:00` of [`HOUR`] from `ip`, matched by `rule`.
pub fn attack(minute: u32, id: &str, ip: &str, rule: (i64, &str), extra: &str) -> String {
    record(
        &format!("{HOUR}:{minute:02}:00Z"),
        id,
        "blocked",
        &format!(
            r#","host":"shop.example.com","path":"/login?user=admin'--","source_ip":"{ip}","application_id":7,"matched":[{{"id":{},"msg":"{}","tags":["attack-sqli"]}}],"attack_types":["sqli"]{extra}"#,
            rule.0, rule.1
        ),
    )
}

/// The record of `docs/verdict-log.md`, with a chosen id and time.
pub fn full_record(time: &str, unique_id: &str) -> String {
    record(
        time,
        unique_id,
        "blocked",
        r#","application_id":7,"host":"shop.example.com","method":"GET","path":"/?file=../../etc/passwd","source_ip":"10.0.0.5","status":403,"mode":"block","anomaly_score":10,"matched":[{"id":930110,"msg":"Path Traversal Attack (/../) or (/.../)","data":"Matched Data: ../ found within ARGS:file: ../../etc/passwd","severity":"CRITICAL","tags":["attack-lfi","paranoia-level/1"],"phase":2},{"id":949110,"msg":"Inbound Anomaly Score Exceeded","data":"","severity":"","tags":[],"phase":2}],"attack_types":["lfi"],"cves":[]"#,
    )
}

/// With an admin token: authenticated (node tokens for ingest, the admin token for `/api`).
/// Without: `--insecure-no-auth` (what most API tests need).
pub fn config(db: &Path, admin_token: Option<&str>) -> CollectorConfig {
    CollectorConfig {
        db_path: db.to_path_buf(),
        admin_token: admin_token.map(str::to_owned),
        insecure_no_auth: admin_token.is_none(),
        ..CollectorConfig::default()
    }
}

pub fn open(db: &Path, admin_token: Option<&str>) -> (Router, AppState) {
    let state = AppState::open(&config(db, admin_token)).unwrap();
    (app(state.clone()), state)
}

/// Sends one request through the router; returns status, headers and body text.
pub async fn send(
    app: &Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
}

pub async fn post(app: &Router, body: impl Into<Body>, token: Option<&str>) -> (StatusCode, Value) {
    let mut request = Request::post("/v1/verdicts").header("content-type", "application/x-ndjson");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let (status, _, text) = send(app, request.body(body.into()).unwrap()).await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// `GET uri`, parsed as JSON.
pub async fn get_json(app: &Router, uri: &str) -> (StatusCode, Value) {
    get_json_as(app, uri, None).await
}

/// `GET uri` with an optional bearer token, parsed as JSON.
pub async fn get_json_as(app: &Router, uri: &str, token: Option<&str>) -> (StatusCode, Value) {
    let mut request = Request::get(uri);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let (status, _, text) = send(app, request.body(Body::empty()).unwrap()).await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// The `unique_id`s of `GET uri`, in response order.
pub async fn ids(app: &Router, uri: &str) -> Vec<String> {
    let (status, body) = get_json(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    unique_ids(&body)
}

/// The `unique_id`s of a `{"verdicts": [...]}` answer, in order.
pub fn unique_ids(body: &Value) -> Vec<String> {
    body["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["unique_id"].as_str().unwrap().to_owned())
        .collect()
}
