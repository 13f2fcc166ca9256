//! Handlers of the console routes. The reads run behind the admin check that the router
//! layers over `/api`; the session routes check the token themselves.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::params::ConsoleParams;
use crate::auth::{is_admin_token, session_of};
use crate::error::AppError;
use crate::session::{set_cookie, SessionKey, LIFETIME_MS};
use crate::state::AppState;
use crate::stats::model::{NodeStatus, Summary, Timeline};
use crate::store::now_ms;
use crate::time::format_rfc3339_ms;

fn query<T>(params: Result<Query<T>, QueryRejection>) -> Result<T, AppError> {
    params
        .map(|Query(p)| p)
        .map_err(|e| AppError::BadRequest(format!("bad query string: {}", e.body_text())))
}

/// `GET /api/summary`: totals, verdict counts, top lists and applications of the window.
pub(crate) async fn summary(
    State(state): State<AppState>,
    params: Result<Query<ConsoleParams>, QueryRejection>,
) -> Result<Json<Summary>, AppError> {
    let (window, filters, _) = query(params)?.validate(now_ms())?;
    Ok(Json(state.inner.store.summary(window, filters).await?))
}

/// `GET /api/timeline`: counts per step over the window.
pub(crate) async fn timeline(
    State(state): State<AppState>,
    params: Result<Query<ConsoleParams>, QueryRejection>,
) -> Result<Json<Timeline>, AppError> {
    let (window, filters, step) = query(params)?.validate(now_ms())?;
    let step = window.step(step).map_err(AppError::BadRequest)?;
    Ok(Json(
        state.inner.store.timeline(window, step, filters).await?,
    ))
}

/// `GET /api/nodes`: every registered node and its state.
pub(crate) async fn nodes(State(state): State<AppState>) -> Result<Response, AppError> {
    let nodes: Vec<NodeStatus> = state.inner.store.nodes(now_ms()).await?;
    Ok(Json(json!({ "nodes": nodes })).into_response())
}

/// Body of `POST /api/session`.
#[derive(Debug, Deserialize)]
pub(crate) struct SignIn {
    token: String,
}

/// `POST /api/session`: exchanges the admin token for a session cookie (12 h). 401 for any
/// other token (node tokens included); without an admin token under `--insecure-no-auth`
/// there is nothing to sign in to and the answer says so (`"auth": "none"`), without a cookie.
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    body: Result<Json<SignIn>, JsonRejection>,
) -> Result<Response, AppError> {
    let Json(SignIn { token }) =
        body.map_err(|e| AppError::BadRequest(format!("bad sign-in body: {}", e.body_text())))?;
    let Some(admin) = state.inner.admin_token.as_deref() else {
        return if state.inner.insecure_no_auth {
            Ok(Json(json!({ "auth": "none" })).into_response())
        } else {
            Err(AppError::Unauthorized)
        };
    };
    if !is_admin_token(&token, admin) {
        return Err(AppError::Unauthorized);
    }
    let mut nonce = [0u8; 16];
    getrandom::fill(&mut nonce).map_err(|e| AppError::Internal(format!("random source: {e}")))?;
    let expires = now_ms() + LIFETIME_MS;
    let cookie = set_cookie(
        &SessionKey::derive(admin).issue(expires, &nonce),
        LIFETIME_MS / 1000,
    );
    Ok((
        StatusCode::OK,
        [(SET_COOKIE, cookie)],
        Json(json!({ "auth": "session", "expires": format_rfc3339_ms(expires) })),
    )
        .into_response())
}

/// `DELETE /api/session`: clears the cookie (204). Always allowed: it only removes what the
/// browser holds.
pub(crate) async fn sign_out() -> Response {
    (StatusCode::NO_CONTENT, [(SET_COOKIE, set_cookie("", 0))]).into_response()
}

/// `GET /api/session` (behind the admin check): how this request is authenticated —
/// `none` (no admin token, `--insecure-no-auth`), `session` (with its expiry) or `token`.
pub(crate) async fn session(State(state): State<AppState>, parts: Parts) -> Response {
    let body = match state.inner.admin_token.as_deref() {
        None => json!({ "auth": "none" }),
        Some(admin) => match session_of(&parts, admin) {
            Some(expires)
                if parts
                    .headers
                    .get(axum::http::header::AUTHORIZATION)
                    .is_none() =>
            {
                json!({ "auth": "session", "expires": format_rfc3339_ms(expires) })
            }
            _ => json!({ "auth": "token" }),
        },
    };
    Json(body).into_response()
}
