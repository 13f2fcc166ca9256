//! The console's IP lists: operators block or allowlist sources (`/api/ip-lists`, admin token),
//! every node fetches what applies to it (`GET /v1/ip-lists`, node token) and enforces it on
//! top of its configured lists (docs/policies.md "Console IP lists").
//!
//! | route | what |
//! |---|---|
//! | `GET /api/ip-lists` | `{"entries": [...]}`, every stored entry, `expired` ones included until pruned |
//! | `POST /api/ip-lists` | add an entry (201), or update the one with the same list, network and group (200) |
//! | `DELETE /api/ip-lists/{id}` | 204; 404 when there is no such entry |
//! | `GET /v1/ip-lists` | what one node enforces ([`portcullis_wire::ip_list::IpListAnswer`]), `ETag` = version, 304 for a matching `If-None-Match` |
//!
//! Decisions:
//! - A network is stored canonical (`203.0.113.7` → `203.0.113.7/32`); one with host bits set
//!   (`10.0.0.5/8`) is refused with the network it probably meant, never rounded.
//! - The same (list, network, group) added again updates that entry's note and expiry (200):
//!   blocking an address again extends its block instead of failing or stacking a second entry.
//! - Expired entries are no longer served to nodes at once; they stay visible in `GET
//!   /api/ip-lists` (`"expired": true`) for [`KEEP_EXPIRED_MS`] and are then deleted when the
//!   lists are next changed.
//! - At most [`MAX_ENTRIES`] entries are stored (a node refuses a longer answer); one more is
//!   refused with 400.
//! - A node sees the entries for every node (`group` null) and those of its own group; with
//!   `--insecure-no-auth` a request without a node token sees only the former.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use portcullis_wire::ip_list::{
    canonical_cidr, format_utc_ms, IpListAnswer, IpListEntry, ListKind, MAX_ENTRIES,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::IngestNode;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::ip_lists::{IpEntry, NewEntry};
use crate::store::now_ms;
use crate::time::parse_rfc3339_ms;

/// Longest `note`, in bytes.
pub const MAX_NOTE: usize = 500;
/// Longest `group`, in bytes (as a node group name).
pub const MAX_GROUP: usize = 64;
/// Longest expiry: ten years from now.
pub const MAX_EXPIRY_MS: i64 = 10 * 366 * 86_400_000;
/// Largest body of `POST /api/ip-lists`.
const MAX_BODY: usize = 16 * 1024;

/// The body of `POST /api/ip-lists` as sent; [`AddRequest::validate`] makes it a [`NewEntry`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddRequest {
    list: String,
    cidr: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    expires_in_s: Option<i64>,
    #[serde(default)]
    expires: Option<String>,
    #[serde(default)]
    group: Option<String>,
}

impl AddRequest {
    /// Checks every field against `now_ms`; the first problem is the error.
    fn validate(self, now_ms: i64) -> Result<NewEntry, String> {
        let list = ListKind::from_name(&self.list)
            .ok_or_else(|| format!("list must be \"block\" or \"allow\", not {:?}", self.list))?;
        let cidr = canonical_cidr(&self.cidr).map_err(|e| format!("cidr {:?}: {e}", self.cidr))?;
        let note = self.note.unwrap_or_default();
        if note.len() > MAX_NOTE {
            return Err(format!(
                "note is {} bytes, at most {MAX_NOTE} are kept",
                note.len()
            ));
        }
        if note.chars().any(char::is_control) {
            return Err("note must not hold control characters".to_owned());
        }
        let group = match self.group {
            None => None,
            Some(g)
                if g.is_empty()
                    || g.len() > MAX_GROUP
                    || !g
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')) =>
            {
                return Err(format!("group must be 1 to {MAX_GROUP} letters, digits, '.', '_' or '-' (a node group), not {g:?}"));
            }
            Some(g) => Some(g),
        };
        let expires_ms = match (self.expires_in_s, self.expires) {
            (Some(_), Some(_)) => return Err("give expires_in_s or expires, not both".to_owned()),
            (Some(s), None) if s <= 0 => {
                return Err("expires_in_s must be a positive number of seconds".to_owned())
            }
            (Some(s), None) => Some(now_ms.saturating_add(s.saturating_mul(1000))),
            (None, Some(text)) => {
                let at = parse_rfc3339_ms(&text)
                    .ok_or_else(|| format!("expires {text:?} is not an RFC 3339 timestamp"))?;
                if at <= now_ms {
                    return Err(format!("expires {text:?} is in the past"));
                }
                Some(at)
            }
            (None, None) => None,
        };
        if expires_ms.is_some_and(|at| at - now_ms > MAX_EXPIRY_MS) {
            return Err(
                "the expiry is more than ten years away: omit it to keep the entry until removed"
                    .to_owned(),
            );
        }
        Ok(NewEntry {
            list,
            cidr,
            note,
            group,
            expires_ms,
        })
    }
}

/// An entry as the admin API shows it.
#[derive(Debug, Serialize)]
struct EntryView<'a> {
    id: i64,
    list: &'static str,
    cidr: &'a str,
    note: &'a str,
    group: Option<&'a str>,
    created: String,
    expires: Option<String>,
    expired: bool,
}

impl IpEntry {
    fn view(&self, now_ms: i64) -> EntryView<'_> {
        EntryView {
            id: self.id,
            list: self.list.name(),
            cidr: &self.cidr,
            note: &self.note,
            group: self.group.as_deref(),
            created: format_utc_ms(self.created_ms),
            expires: self.expires_ms.map(format_utc_ms),
            expired: self.expires_ms.is_some_and(|at| at <= now_ms),
        }
    }
}

/// `GET /api/ip-lists`: every stored entry, oldest first.
pub(crate) async fn list(State(state): State<AppState>) -> Result<Response, AppError> {
    let entries = state.inner.store.ip_entries().await?;
    let now = now_ms();
    let views: Vec<EntryView<'_>> = entries.iter().map(|e| e.view(now)).collect();
    Ok(Json(serde_json::json!({ "entries": views })).into_response())
}

/// `POST /api/ip-lists`: 201 with the new entry, 200 with the updated one, 400 with the reason.
pub(crate) async fn add(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let body = body.map_err(|_| AppError::BadRequest("cannot read the request body".to_owned()))?;
    if body.len() > MAX_BODY {
        return Err(AppError::PayloadTooLarge(format!(
            "body larger than {MAX_BODY} bytes"
        )));
    }
    let request: AddRequest = serde_json::from_slice(&body)
        .map_err(|e| AppError::BadRequest(format!("bad JSON body: {e}")))?;
    let now = now_ms();
    let entry = request.validate(now).map_err(AppError::BadRequest)?;
    let (stored, created) = state.inner.store.add_ip_entry(entry, now).await?.ok_or_else(|| {
        AppError::BadRequest(format!("the lists hold {MAX_ENTRIES} entries, as many as a node takes: remove some (or use wider networks) first"))
    })?;
    crate::log::info(
        if created {
            "ip list entry added"
        } else {
            "ip list entry updated"
        },
        &[
            ("id", stored.id.into()),
            ("list", stored.list.name().into()),
            ("cidr", stored.cidr.clone().into()),
        ],
    );
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(serde_json::to_value(stored.view(now)).unwrap_or_default()),
    )
        .into_response())
}

/// `DELETE /api/ip-lists/{id}`: 204, or 404 for an unknown id.
pub(crate) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if state.inner.store.delete_ip_entry(id, now_ms()).await? {
        crate::log::info("ip list entry removed", &[("id", id.into())]);
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(AppError::NotFound)
    }
}

/// `GET /v1/ip-lists`: the unexpired entries for every node and for the asking node's group,
/// with their digest as `version` and `ETag`; 304 when `If-None-Match` has that version.
/// Marks the node as seen.
pub(crate) async fn for_node(
    State(state): State<AppState>,
    IngestNode(node): IngestNode,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let now = now_ms();
    let rows = state.inner.store.ip_entries_for_node(node, now).await?;
    if let Some(node) = node {
        // Off the answer's path: the poll does not wait for the writer.
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(e) = state.inner.store.touch_node(node, now).await {
                crate::log::warn(
                    "cannot record the node's last poll",
                    &[("node", node.into()), ("error", e.to_string().into())],
                );
            }
        });
    }
    let answer = answer_of(&rows);
    let etag = format!("\"{}\"", answer.version);
    let etag_value = HeaderValue::from_str(&etag).map_err(|e| AppError::Internal(e.to_string()))?;
    if if_none_match(&headers, &answer.version) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response());
    }
    Ok(([(header::ETAG, etag_value)], Json(answer)).into_response())
}

/// The node's answer for `rows` (list, cidr, expiry), sorted so equal content gives an equal version.
fn answer_of(rows: &[(ListKind, String, Option<i64>)]) -> IpListAnswer {
    let mut rows = rows.to_vec();
    rows.sort();
    let mut digest = Sha256::new();
    for (list, cidr, expires) in &rows {
        digest.update(format!("{} {cidr} {}\n", list.name(), expires.map_or(-1, |e| e)).as_bytes());
    }
    let version: String = digest
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let entries = rows
        .into_iter()
        .map(|(list, cidr, expires)| IpListEntry {
            list,
            cidr,
            expires: expires.map(format_utc_ms),
        })
        .collect();
    IpListAnswer { version, entries }
}

/// Whether `If-None-Match` names `version` (quoted, weak or not) or is `*`.
fn if_none_match(headers: &HeaderMap, version: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            let tag = tag.strip_prefix("W/").unwrap_or(tag);
            tag == "*" || tag.trim_matches('"') == version
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(json: &str) -> Result<NewEntry, String> {
        serde_json::from_str::<AddRequest>(json)
            .unwrap()
            .validate(1_000_000)
    }

    #[test]
    fn requests_are_validated_with_clear_messages() {
        let e = req(r#"{"list":"block","cidr":"203.0.113.7","note":"scanner","expires_in_s":60}"#)
            .unwrap();
        assert_eq!(
            (e.list, e.cidr.as_str(), e.expires_ms, e.group),
            (ListKind::Block, "203.0.113.7/32", Some(1_060_000), None)
        );
        let e = req(r#"{"list":"allow","cidr":"2001:db8::/32","group":"prod-eu","expires":"1970-01-01T00:20:00Z"}"#).unwrap();
        assert_eq!(
            (e.expires_ms, e.group.as_deref()),
            (Some(1_200_000), Some("prod-eu"))
        );
        let bad = |json: &str| req(json).unwrap_err();
        assert_eq!(
            bad(r#"{"list":"deny","cidr":"1.2.3.4"}"#),
            "list must be \"block\" or \"allow\", not \"deny\""
        );
        assert_eq!(
            bad(r#"{"list":"block","cidr":"10.0.0.5/8"}"#),
            "cidr \"10.0.0.5/8\": host bits set beyond the prefix (the network is 10.0.0.0/8; for one address omit the prefix)"
        );
        assert_eq!(
            bad(r#"{"list":"block","cidr":"10.0.0.0/40"}"#),
            "cidr \"10.0.0.0/40\": prefix length 40 is over 32"
        );
        assert!(bad(&format!(
            r#"{{"list":"block","cidr":"1.2.3.4","note":"{}"}}"#,
            "x".repeat(501)
        ))
        .starts_with("note is 501 bytes"));
        assert_eq!(
            bad(r#"{"list":"block","cidr":"1.2.3.4","expires":"1970-01-01T00:00:01Z"}"#),
            "expires \"1970-01-01T00:00:01Z\" is in the past"
        );
        assert_eq!(
            bad(r#"{"list":"block","cidr":"1.2.3.4","expires":"tomorrow"}"#),
            "expires \"tomorrow\" is not an RFC 3339 timestamp"
        );
        assert_eq!(
            bad(r#"{"list":"block","cidr":"1.2.3.4","expires_in_s":0}"#),
            "expires_in_s must be a positive number of seconds"
        );
        assert_eq!(
            bad(
                r#"{"list":"block","cidr":"1.2.3.4","expires_in_s":1,"expires":"2100-01-01T00:00:00Z"}"#
            ),
            "give expires_in_s or expires, not both"
        );
        assert!(
            bad(r#"{"list":"block","cidr":"1.2.3.4","group":"a b"}"#).starts_with("group must be")
        );
        assert!(
            bad(r#"{"list":"block","cidr":"1.2.3.4","expires_in_s":999999999999}"#)
                .starts_with("the expiry is more than ten years away")
        );
        assert!(
            serde_json::from_str::<AddRequest>(r#"{"list":"block","cidr":"1.2.3.4","expire":5}"#)
                .is_err(),
            "unknown fields are refused"
        );
    }

    #[test]
    fn the_version_follows_the_content_not_the_order() {
        let a = (ListKind::Block, "1.2.3.4/32".to_owned(), None);
        let b = (ListKind::Allow, "10.0.0.0/8".to_owned(), Some(5_000));
        let one = answer_of(&[a.clone(), b.clone()]);
        assert_eq!(one.version, answer_of(&[b.clone(), a.clone()]).version);
        assert_ne!(one.version, answer_of(std::slice::from_ref(&a)).version);
        assert_ne!(
            one.version,
            answer_of(&[a, (ListKind::Allow, "10.0.0.0/8".to_owned(), Some(6_000))]).version
        );
        assert_eq!(one.version.len(), 16);
        assert_eq!(
            one.entries[1].expires.as_deref(),
            Some("1970-01-01T00:00:05.000Z"),
            "block entries first"
        );
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", W/\"abc\""),
        );
        assert!(if_none_match(&h, "abc") && !if_none_match(&h, "abd"));
    }
}
