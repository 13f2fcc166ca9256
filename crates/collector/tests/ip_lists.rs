//! The console's IP lists: the admin API (`/api/ip-lists`) and what nodes fetch
//! (`GET /v1/ip-lists`), through `tower::ServiceExt::oneshot`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use common::ip_lists::{call, cidrs, fetch_lists};
use common::{open, send};
use portcullis_collector::register_node;
use portcullis_wire::ip_list::{parse_utc_ms, IpListAnswer, ListKind};
use serde_json::{json, Value};

const ADMIN: &str = "admin-s3cret";

async fn add(app: &Router, entry: Value) -> (StatusCode, Value) {
    let (status, _, body) = call(app, "POST", "/api/ip-lists", Some(ADMIN), Some(entry), &[]).await;
    (status, body)
}

#[tokio::test]
async fn entries_are_added_listed_updated_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _state) = open(&dir.path().join("v.db"), Some(ADMIN));

    let (status, e) = add(&app, json!({"list": "block", "cidr": "203.0.113.7", "note": "scanner", "expires_in_s": 3600})).await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    assert_eq!((e["list"].as_str(), e["cidr"].as_str(), e["note"].as_str()), (Some("block"), Some("203.0.113.7/32"), Some("scanner")));
    assert_eq!((e["group"].clone(), e["expired"].clone()), (Value::Null, json!(false)));
    let created = parse_utc_ms(e["created"].as_str().unwrap()).unwrap();
    let expires = parse_utc_ms(e["expires"].as_str().unwrap()).unwrap();
    assert_eq!(expires - created, 3_600_000);
    let id = e["id"].as_i64().unwrap();

    let (status, e2) = add(&app, json!({"list": "allow", "cidr": "2001:DB8::/32"})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!((e2["cidr"].as_str(), e2["expires"].clone()), (Some("2001:db8::/32"), Value::Null));

    // The same list, network and group again: the entry is updated, not duplicated.
    let (status, again) = add(&app, json!({"list": "block", "cidr": "203.0.113.7/32", "note": "still scanning"})).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!((again["id"].as_i64(), again["note"].as_str(), again["expires"].clone()), (Some(id), Some("still scanning"), Value::Null));

    let (status, _, list) = call(&app, "GET", "/api/ip-lists", Some(ADMIN), None, &[]).await;
    assert_eq!(status, StatusCode::OK);
    let entries = list["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{list}");
    assert_eq!(entries[0]["note"], "still scanning");

    let (status, _, _) = call(&app, "DELETE", &format!("/api/ip-lists/{id}"), Some(ADMIN), None, &[]).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, body) = call(&app, "DELETE", &format!("/api/ip-lists/{id}"), Some(ADMIN), None, &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(call(&app, "DELETE", "/api/ip-lists/nope", Some(ADMIN), None, &[]).await.0, StatusCode::NOT_FOUND);
    let (_, _, list) = call(&app, "GET", "/api/ip-lists", Some(ADMIN), None, &[]).await;
    assert_eq!(list["entries"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn bad_entries_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _state) = open(&dir.path().join("v.db"), Some(ADMIN));
    let cases = [
        (json!({"list": "deny", "cidr": "1.2.3.4"}), "list must be \"block\" or \"allow\""),
        (json!({"list": "block", "cidr": "1.2.3"}), "not an IPv4 or IPv6 address or CIDR"),
        (json!({"list": "block", "cidr": "10.0.0.5/8"}), "the network is 10.0.0.0/8"),
        (json!({"list": "block", "cidr": "10.0.0.0/33"}), "prefix length 33 is over 32"),
        (json!({"list": "block", "cidr": "1.2.3.4", "note": "n".repeat(600)}), "note is 600 bytes"),
        (json!({"list": "block", "cidr": "1.2.3.4", "expires": "2001-01-01T00:00:00Z"}), "is in the past"),
        (json!({"list": "block", "cidr": "1.2.3.4", "expires_in_s": -5}), "positive number of seconds"),
        (json!({"list": "block", "cidr": "1.2.3.4", "ttl": 5}), "unknown field `ttl`"),
        (json!({"cidr": "1.2.3.4"}), "missing field `list`"),
    ];
    for (body, needle) in cases {
        let (status, answer) = add(&app, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let msg = answer["error"].as_str().unwrap();
        assert!(msg.contains(needle), "{body}: {msg}");
    }
    let (status, _, _) = send(&app, Request::post("/api/ip-lists").header("authorization", format!("Bearer {ADMIN}")).body(Body::from("{")).unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, _, list) = call(&app, "GET", "/api/ip-lists", Some(ADMIN), None, &[]).await;
    assert_eq!(list["entries"], json!([]), "nothing stored");
}

#[tokio::test]
async fn the_api_needs_the_admin_token_and_nodes_need_a_node_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, Some(ADMIN));
    let node = register_node(&db, "edge-1", None).unwrap();
    for token in [None, Some("wrong"), Some(node.as_str())] {
        assert_eq!(call(&app, "GET", "/api/ip-lists", token, None, &[]).await.0, StatusCode::UNAUTHORIZED);
        let (status, _, _) = call(&app, "POST", "/api/ip-lists", token, Some(json!({"list": "block", "cidr": "1.2.3.4"})), &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(call(&app, "DELETE", "/api/ip-lists/1", token, None, &[]).await.0, StatusCode::UNAUTHORIZED);
    }
    for token in [None, Some("wrong"), Some(ADMIN)] {
        assert_eq!(call(&app, "GET", "/v1/ip-lists", token, None, &[]).await.0, StatusCode::UNAUTHORIZED, "{token:?}");
    }
    fetch_lists(&app, &node).await;
    portcullis_collector::revoke_registered_node(&db, "edge-1").unwrap();
    assert_eq!(call(&app, "GET", "/v1/ip-lists", Some(&node), None, &[]).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn nodes_get_the_entries_of_every_node_and_of_their_group() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, Some(ADMIN));
    let eu = register_node(&db, "edge-eu", Some("prod-eu")).unwrap();
    let us = register_node(&db, "edge-us", Some("prod-us")).unwrap();
    let lone = register_node(&db, "edge-lone", None).unwrap();
    add(&app, json!({"list": "block", "cidr": "203.0.113.7"})).await;
    add(&app, json!({"list": "block", "cidr": "198.51.100.0/24", "group": "prod-eu"})).await;
    add(&app, json!({"list": "allow", "cidr": "10.0.0.0/8", "group": "prod-us"})).await;
    // The same network for every node and for a group: two entries.
    let (status, _) = add(&app, json!({"list": "block", "cidr": "203.0.113.7", "group": "prod-us"})).await;
    assert_eq!(status, StatusCode::CREATED);

    let (a, _) = fetch_lists(&app, &eu).await;
    assert_eq!(cidrs(&a), [(ListKind::Block, "198.51.100.0/24"), (ListKind::Block, "203.0.113.7/32")]);
    let (a, _) = fetch_lists(&app, &us).await;
    assert_eq!(cidrs(&a), [(ListKind::Block, "203.0.113.7/32"), (ListKind::Block, "203.0.113.7/32"), (ListKind::Allow, "10.0.0.0/8")]);
    let (a, _) = fetch_lists(&app, &lone).await;
    assert_eq!(cidrs(&a), [(ListKind::Block, "203.0.113.7/32")]);
}

#[tokio::test]
async fn versions_give_304_until_the_lists_change_and_expired_entries_drop_out() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, Some(ADMIN));
    let node = register_node(&db, "edge-1", None).unwrap();

    let (empty, etag) = fetch_lists(&app, &node).await;
    assert!(empty.entries.is_empty());
    assert_eq!(etag, format!("\"{}\"", empty.version));
    let (status, headers, body) = call(&app, "GET", "/v1/ip-lists", Some(&node), None, &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED, "{body}");
    assert_eq!(headers["etag"].to_str().unwrap(), etag);

    add(&app, json!({"list": "block", "cidr": "203.0.113.7", "expires_in_s": 1})).await;
    let (status, _, body) = call(&app, "GET", "/v1/ip-lists", Some(&node), None, &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::OK, "a changed list is sent whole");
    let one: IpListAnswer = serde_json::from_value(body).unwrap();
    assert_eq!(one.entries.len(), 1);
    assert_ne!(one.version, empty.version);
    let expires = parse_utc_ms(one.entries[0].expires.as_deref().unwrap()).unwrap();

    // Past its expiry the entry is no longer served (the version changes back), but the admin
    // API still shows it, marked expired.
    let wait = expires - wall_ms() + 50;
    if wait > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(u64::try_from(wait).unwrap())).await;
    }
    let (after, _) = fetch_lists(&app, &node).await;
    assert!(after.entries.is_empty(), "{after:?}");
    assert_eq!(after.version, empty.version);
    let (_, _, list) = call(&app, "GET", "/api/ip-lists", Some(ADMIN), None, &[]).await;
    assert_eq!(list["entries"][0]["expired"], json!(true), "{list}");

    // Polling marks the node as seen.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut seen: Option<i64> = None;
    for _ in 0..50 {
        seen = conn.query_row("SELECT last_seen_ms FROM nodes WHERE name = 'edge-1'", [], |r| r.get(0)).unwrap();
        if seen.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(seen.is_some(), "last_seen_ms is set by the poll");
}

fn wall_ms() -> i64 {
    i64::try_from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()).unwrap()
}

#[tokio::test]
async fn no_more_entries_are_stored_than_a_node_takes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, Some(ADMIN));
    {
        // 1 short of the limit, written directly (100,000 POSTs would only slow the test).
        let mut conn = rusqlite::Connection::open(&db).unwrap();
        let tx = conn.transaction().unwrap();
        let mut insert = tx.prepare("INSERT INTO ip_entries (list, cidr, created_ms) VALUES ('block', ?1, 0)").unwrap();
        for i in 0..portcullis_wire::ip_list::MAX_ENTRIES - 1 {
            insert.execute([format!("10.{}.{}.{}/32", i >> 16, (i >> 8) & 255, i & 255)]).unwrap();
        }
        drop(insert);
        tx.commit().unwrap();
    }
    assert_eq!(add(&app, json!({"list": "block", "cidr": "192.0.2.1"})).await.0, StatusCode::CREATED);
    let (status, body) = add(&app, json!({"list": "block", "cidr": "192.0.2.2"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().starts_with("the lists hold 100000 entries"), "{body}");
    // Updating an entry still works when full.
    assert_eq!(add(&app, json!({"list": "block", "cidr": "192.0.2.1", "note": "again"})).await.0, StatusCode::OK);
}
