//! Requests for the IP-list tests: any call with a token and headers, and what a node fetches.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use portcullis_wire::ip_list::{IpListAnswer, ListKind};
use serde_json::Value;

/// One request with an optional bearer token and headers; status, headers and the JSON answer
/// (a string when it is not JSON).
pub async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Value) {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    let (status, headers, text) = super::send(app, request.body(body).unwrap()).await;
    (status, headers, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// `GET /v1/ip-lists` as node `token`: the parsed answer and its ETag.
pub async fn fetch_lists(app: &Router, token: &str) -> (IpListAnswer, String) {
    let (status, headers, body) = call(app, "GET", "/v1/ip-lists", Some(token), None, &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (serde_json::from_value(body).unwrap(), headers["etag"].to_str().unwrap().to_owned())
}

/// The answer's (list, CIDR) pairs, sorted.
pub fn cidrs(answer: &IpListAnswer) -> Vec<(ListKind, &str)> {
    let mut v: Vec<_> = answer.entries.iter().map(|e| (e.list, e.cidr.as_str())).collect();
    v.sort();
    v
}
