//! Who may do what: node tokens for ingest, the admin token (or a console session signed with
//! it) for the `/api` reads.
//!
//! The two never mix: ingest looks a token up among the registered nodes (by its SHA-256), so
//! the admin token is refused there; `/api` compares with the admin token only, so a node token
//! is refused there. Both answer 401 with `www-authenticate: Bearer`. A console session
//! (`crate::session`) is only ever issued for the admin token, so it can never stand for a node.

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;

use crate::error::AppError;
use crate::nodes::token_hash;
use crate::session::{cookie_value, SessionKey, COOKIE as SESSION_COOKIE};
use crate::state::AppState;

/// Extractor for ingest: the node that sent the request, found by its bearer token.
/// `None` only when the collector runs with `--insecure-no-auth` and the request carries no
/// valid node token. Put it before the body extractor so a refused request is not read.
pub(crate) struct IngestNode(pub Option<i64>);

impl FromRequestParts<AppState> for IngestNode {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let insecure = state.inner.insecure_no_auth;
        let Some(given) = bearer_of(parts) else {
            return if insecure {
                Ok(IngestNode(None))
            } else {
                Err(AppError::Unauthorized)
            };
        };
        let hash = token_hash(&given);
        let node = state.inner.store.node_by_token_hash(hash).await?;
        match node {
            Some(node) if !node.revoked => Ok(IngestNode(Some(node.id))),
            _ if insecure => Ok(IngestNode(None)),
            _ => Err(AppError::Unauthorized),
        }
    }
}

/// Extractor for the `/api` reads: succeeds with the admin token as bearer token, or with a
/// valid console session cookie signed under it, or with no admin token configured when the
/// collector runs with `--insecure-no-auth`. Without any, every read is refused (fail closed).
/// A bearer token that is present but wrong is refused even beside a valid cookie.
pub(crate) struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(expected) = state.inner.admin_token.as_deref() else {
            return if state.inner.insecure_no_auth {
                Ok(Admin)
            } else {
                Err(AppError::Unauthorized)
            };
        };
        match bearer_of(parts) {
            Some(given) if constant_time_eq(given.as_bytes(), expected.as_bytes()) => Ok(Admin),
            Some(_) => Err(AppError::Unauthorized),
            None => match session_of(parts, expected) {
                Some(_) => Ok(Admin),
                None => Err(AppError::Unauthorized),
            },
        }
    }
}

/// The expiry of the request's console session, if it carries one signed under `admin_token`
/// that has not expired.
pub(crate) fn session_of(parts: &Parts, admin_token: &str) -> Option<i64> {
    let value = parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|header| cookie_value(header, SESSION_COOKIE))?;
    SessionKey::derive(admin_token).verify(value, crate::store::now_ms())
}

/// Whether `given` is the admin token (compared in constant time).
pub(crate) fn is_admin_token(given: &str, admin_token: &str) -> bool {
    !given.is_empty() && constant_time_eq(given.as_bytes(), admin_token.as_bytes())
}

/// The bearer token of the request, if it has a readable `authorization: Bearer` header.
fn bearer_of(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// The credentials of a `Bearer` authorization value (scheme case-insensitive, RFC 7235).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, rest) = value.trim_start().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
}

/// Compares without an early exit on the first differing byte, so response timing does not
/// reveal how much of a guessed token was right. (The length is not secret.)
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_parsing() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer   abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer"), None);
        assert_eq!(bearer_token("abc"), None);
    }

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"", b"x"));
    }
}
