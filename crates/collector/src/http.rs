//! The HTTP API: the router and its handlers (over [`AppState`]).
//!
//! | route | what |
//! |---|---|
//! | `POST /v1/verdicts` | NDJSON batch → [`IngestReport`], 200 with one answer per line (accepted, duplicate, refused); 400 unreadable body, 401 without a valid node token, 413 too large (nothing stored) |
//! | `POST /v1/logs` | OTLP/HTTP JSON logs, each log record mapped back to a verdict and stored as above (`crate::otlp`); 200 `{}` or with `partialSuccess`, 400, 401, 413, 415 for protobuf |
//! | `POST /v1/counters` | one counter record of one worker (`crate::counters`) → 200 `{"result":"accepted"}` or `{"result":"duplicate"}`; 400 with the reason, 401, 413 |
//! | `GET /api/verdicts` | (admin) `{"verdicts": [...], "nodes": [...], "next": …}` newest first; `limit` (default 100, at most 1000), `action`, `application_id`, `host`, `source_ip`, `node`, `group`, `rule_id`, `since`/`from`, `to` (RFC 3339), `before` (the previous page's `next`) |
//! | `GET /api/summary`, `/api/timeline`, `/api/nodes` | (admin) the console's reads (`crate::console`) |
//! | `GET /api/session` | (admin) how the request is authenticated |
//! | `POST /api/session`, `DELETE /api/session` | sign in with the admin token (session cookie), sign out |
//! | `GET /`, `GET /assets/{name}` | the console page, embedded |
//! | `GET /v1/ip-lists` | (node token) the console's IP lists for this node, `ETag`/`If-None-Match` → 304 (`crate::ip_lists`) |
//! | `GET`, `POST /api/ip-lists`, `DELETE /api/ip-lists/{id}` | (admin token) the console's IP lists (`crate::ip_lists`) |
//! | `GET /healthz` | `ok` |
//!
//! Every request runs under the configured deadline (408 past it). SQLite is only touched from
//! the writer thread or blocking tasks, never on the async executor.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::auth::{Admin, IngestNode};
use crate::state::AppState;
use crate::batch::{parse_batch, IngestReport, ParsedBatch, TooManyRecords};
use crate::console::params::{format_cursor, parse_action, parse_cursor, parse_time};
use crate::console::{handlers as console, page};
use crate::error::{read_body, AppError};
#[cfg(test)]
use crate::record::Action;
use crate::store::VerdictQuery;

/// Default `limit` of `GET /api/verdicts`.
pub const DEFAULT_QUERY_LIMIT: usize = 100;
/// Largest `limit` of `GET /api/verdicts`; larger values are clamped to it.
pub const MAX_QUERY_LIMIT: usize = 1000;

/// Builds the collector's router over `state` (see the module table for the routes).
/// Test it with `tower::ServiceExt::oneshot`; serve it with [`crate::serve`].
pub fn app(state: AppState) -> Router {
    let limits = state.inner.limits;
    let timeout = state.inner.request_timeout;
    Router::new()
        .route(
            "/v1/verdicts",
            post(ingest).layer(DefaultBodyLimit::max(limits.max_body)),
        )
        .route("/v1/logs", post(crate::otlp::ingest_logs).layer(DefaultBodyLimit::max(limits.max_body)))
        .route("/v1/counters", post(crate::counters::ingest).layer(DefaultBodyLimit::max(limits.max_body)))
        .route("/v1/ip-lists", get(crate::ip_lists::for_node))
        .merge(api(state.clone()))
        .route("/api/session", post(console::sign_in).delete(console::sign_out))
        .route("/", get(page::index))
        .route("/assets/{name}", get(page::asset))
        .route("/healthz", get(healthz))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(timeout, deadline))
        .with_state(state)
}

/// The `/api` reads, all behind the admin token: a route added here cannot forget the check.
fn api(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/api/verdicts", get(list_verdicts))
        .route("/api/ip-lists", get(crate::ip_lists::list).post(crate::ip_lists::add))
        .route("/api/ip-lists/{id}", delete(crate::ip_lists::remove))
        .route("/api/summary", get(console::summary))
        .route("/api/timeline", get(console::timeline))
        .route("/api/nodes", get(console::nodes))
        .route("/api/session", get(console::session))
        .route_layer(middleware::from_extractor_with_state::<Admin, AppState>(state))
}

/// Answers 408 when the request (body reading included) takes longer than the deadline.
async fn deadline(State(timeout): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::Timeout.into_response(),
    }
}

async fn healthz() -> &'static str {
    "ok"
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// `POST /v1/verdicts`: validate every line, store the good ones in one transaction, answer per
/// line. 200 whenever the batch was read, refused lines or not: the sender must not send any of
/// its lines again (a 5xx, on the other hand, means nothing was stored).
async fn ingest(
    State(state): State<AppState>,
    IngestNode(node): IngestNode,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let limits = state.inner.limits;
    let body = read_body(body, limits.max_body)?;
    // Parsing up to 8 MiB of JSON is CPU work: keep it off the executor threads.
    let parsed = tokio::task::spawn_blocking(move || parse_batch(&body, &limits))
        .await
        .map_err(|e| AppError::Internal(format!("batch validation task: {e}")))?
        .map_err(|TooManyRecords { limit }| {
            AppError::PayloadTooLarge(format!("batch has more than {limit} records"))
        })?;

    let ParsedBatch {
        verdicts,
        lines,
        refused,
    } = parsed;
    let stored = state.inner.store.insert(node, verdicts).await?;
    let report = IngestReport::new(&lines, &stored, refused);
    Ok((StatusCode::OK, Json(report)).into_response())
}

/// Query string of `GET /api/verdicts`, as text so that bad values get our own messages.
/// Empty values count as absent (as an HTML form sends them).
#[derive(Debug, Default, Deserialize)]
struct ListParams {
    limit: Option<String>,
    action: Option<String>,
    application_id: Option<String>,
    host: Option<String>,
    since: Option<String>,
    /// The console's name for `since` (one or the other).
    from: Option<String>,
    to: Option<String>,
    source_ip: Option<String>,
    node: Option<String>,
    group: Option<String>,
    rule_id: Option<String>,
    before: Option<String>,
}

impl ListParams {
    fn validate(self) -> Result<VerdictQuery, AppError> {
        let nonempty = |v: Option<String>| v.filter(|s| !s.is_empty());
        let limit = match nonempty(self.limit) {
            None => DEFAULT_QUERY_LIMIT,
            Some(text) => text
                .parse::<usize>()
                .map_err(|_| AppError::BadRequest("limit must be a non-negative integer".into()))?
                .min(MAX_QUERY_LIMIT),
        };
        let action = nonempty(self.action).map(|a| parse_action(&a)).transpose()?;
        let since_ms = match (nonempty(self.since), nonempty(self.from)) {
            (Some(_), Some(_)) => return Err(AppError::BadRequest("give since or from, not both".into())),
            (Some(text), None) => Some(parse_time("since", &text)?),
            (None, Some(text)) => Some(parse_time("from", &text)?),
            (None, None) => None,
        };
        let until_ms = nonempty(self.to).map(|t| parse_time("to", &t)).transpose()?;
        let rule_id = match nonempty(self.rule_id) {
            None => None,
            Some(text) => Some(
                text.parse::<i64>()
                    .map_err(|_| AppError::BadRequest("rule_id must be an integer".into()))?,
            ),
        };
        Ok(VerdictQuery {
            limit,
            action,
            application_id: nonempty(self.application_id),
            host: nonempty(self.host),
            since_ms,
            until_ms,
            source_ip: nonempty(self.source_ip),
            node: nonempty(self.node),
            group: nonempty(self.group),
            rule_id,
            before: nonempty(self.before).map(|c| parse_cursor(&c)).transpose()?,
        })
    }
}

/// `GET /api/verdicts`: stored records, newest first, spliced verbatim into the response, with
/// the parallel array `nodes` (the name of the node that sent each, `null` for unauthenticated
/// ingest) and `next` (the `before` of the next page, `null` on the last): the records stay
/// exactly as received, so the node cannot be a field inside them.
async fn list_verdicts(
    State(state): State<AppState>,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) =
        params.map_err(|e| AppError::BadRequest(format!("bad query string: {}", e.body_text())))?;
    let query = params.validate()?;
    let page = state.inner.store.query(query).await?;
    let records = page.records;

    // Each stored record is a complete JSON object (validated on ingest), so joining them with
    // commas is valid JSON and returns them byte for byte as received.
    let size = records.iter().map(|r| r.len() + 1).sum::<usize>() + 16;
    let mut body = String::with_capacity(size);
    body.push_str("{\"verdicts\":[");
    for (i, record) in records.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(record);
    }
    body.push_str("],\"nodes\":");
    body.push_str(&serde_json::to_string(&page.nodes).map_err(|e| AppError::Internal(e.to_string()))?);
    body.push_str(",\"next\":");
    match page.next {
        Some(cursor) => {
            body.push('"');
            body.push_str(&format_cursor(cursor));
            body.push('"');
        }
        None => body.push_str("null"),
    }
    body.push('}');
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(limit: Option<&str>, action: Option<&str>, since: Option<&str>) -> ListParams {
        ListParams {
            limit: limit.map(str::to_owned),
            action: action.map(str::to_owned),
            since: since.map(str::to_owned),
            ..ListParams::default()
        }
    }

    #[test]
    fn query_parameters() {
        assert_eq!(
            params(None, None, None).validate().unwrap().limit,
            DEFAULT_QUERY_LIMIT
        );
        assert_eq!(
            params(Some(""), None, None).validate().unwrap().limit,
            DEFAULT_QUERY_LIMIT
        );
        assert_eq!(
            params(Some("5000"), None, None).validate().unwrap().limit,
            MAX_QUERY_LIMIT
        );
        assert_eq!(params(Some("0"), None, None).validate().unwrap().limit, 0);
        assert!(params(Some("-1"), None, None).validate().is_err());
        assert!(params(Some("ten"), None, None).validate().is_err());
        let q = params(None, Some("monitored"), Some("1970-01-01T00:00:01Z"))
            .validate()
            .unwrap();
        assert_eq!(q.action, Some(Action::Monitored));
        assert_eq!(q.since_ms, Some(1000));
        assert!(params(None, Some("Blocked"), None).validate().is_err());
        assert!(params(None, None, Some("yesterday")).validate().is_err());
        // `+01:00` sent unencoded decodes to ` 01:00`.
        let q = params(None, None, Some("1970-01-01T01:00:01 01:00"))
            .validate()
            .unwrap();
        assert_eq!(q.since_ms, Some(1000));
        let q = params(None, None, Some("1970-01-01 00:00:01Z"))
            .validate()
            .unwrap();
        assert_eq!(q.since_ms, Some(1000));
    }
}
