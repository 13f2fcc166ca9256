//! Nodes, node tokens and the admin token, through `tower::ServiceExt::oneshot`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{get_json_as, open, post, record, send, unique_ids};
use portcullis_collector::{register_node, revoke_registered_node, TOKEN_PREFIX};
use serde_json::json;

const ADMIN: &str = "admin-s3cret";

#[tokio::test]
async fn ingest_needs_a_registered_unrevoked_node_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, Some(ADMIN));
    let edge = register_node(&db, "edge-1", Some("prod-eu")).unwrap();
    assert!(edge.starts_with(TOKEN_PREFIX));
    let line = |id: &str| record("2026-01-01T00:00:00Z", id, "blocked", "");

    let (status, body) = post(&app, line("none"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, json!({"error": "missing or invalid bearer token"}));
    for wrong in ["wrong", ADMIN, &format!("{edge}x")] {
        let (status, _) = post(&app, line("wrong"), Some(wrong)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "token {wrong:?}");
    }
    let basic = Request::post("/v1/verdicts")
        .header("authorization", "Basic czNjcmV0")
        .body(Body::from(line("basic")))
        .unwrap();
    let (status, headers, _) = send(&app, basic).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers["www-authenticate"], "Bearer");
    // An unauthenticated oversized body is refused as 401, before it is read.
    let big = vec![b' '; 9 * 1024 * 1024];
    assert_eq!(post(&app, big, None).await.0, StatusCode::UNAUTHORIZED);

    let (status, report) = post(&app, line("ok"), Some(&edge)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["accepted"], 1);

    // Revoked from the command line while serving: refused from the next request on.
    revoke_registered_node(&db, "edge-1").unwrap();
    assert_eq!(
        post(&app, line("late"), Some(&edge)).await.0,
        StatusCode::UNAUTHORIZED
    );

    let (status, body) = get_json_as(&app, "/api/verdicts", Some(ADMIN)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(unique_ids(&body), ["ok"], "only the authenticated record is stored");
}

#[tokio::test]
async fn records_are_attributed_by_token_not_by_what_the_sender_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, Some(ADMIN));
    let a = register_node(&db, "edge-a", Some("prod-eu")).unwrap();
    let b = register_node(&db, "edge-b", Some("staging")).unwrap();
    // A sender claiming to be another node in the record changes nothing.
    let claim = r#","node":"edge-b","group":"staging""#;
    post(&app, record("2026-01-01T00:00:00Z", "from-a", "blocked", claim), Some(&a)).await;
    post(&app, record("2026-01-01T00:00:01Z", "from-b", "blocked", ""), Some(&b)).await;

    let conn = rusqlite::Connection::open(&db).unwrap();
    let by_node: Vec<(String, String, Option<String>, bool)> = conn
        .prepare(
            "SELECT v.unique_id, n.name, n.grp, n.last_seen_ms IS NOT NULL \
             FROM verdicts v JOIN nodes n ON n.id = v.node ORDER BY v.unique_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        by_node,
        [
            ("from-a".into(), "edge-a".into(), Some("prod-eu".into()), true),
            ("from-b".into(), "edge-b".into(), Some("staging".into()), true),
        ]
    );
}

#[tokio::test]
async fn the_api_needs_the_admin_token_and_never_a_node_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, Some(ADMIN));
    let edge = register_node(&db, "edge-1", None).unwrap();
    for token in [None, Some(edge.as_str()), Some("admin-s3cret2")] {
        let (status, _) = get_json_as(&app, "/api/verdicts", token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "token {token:?}");
    }
    assert_eq!(
        get_json_as(&app, "/api/verdicts", Some(ADMIN)).await.0,
        StatusCode::OK
    );
    // Health checks stay open (load balancers probe them).
    assert_eq!(get_json_as(&app, "/healthz", None).await.0, StatusCode::OK);
}

#[tokio::test]
async fn without_admin_token_or_insecure_flag_the_api_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::config(&dir.path().join("v.db"), Some(ADMIN));
    config.admin_token = None;
    let state = portcullis_collector::AppState::open(&config).unwrap();
    let app = portcullis_collector::app(state);
    let (status, _) = get_json_as(&app, "/api/verdicts", Some("")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        post(&app, record("2026-01-01T00:00:00Z", "x", "blocked", ""), None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn insecure_no_auth_accepts_unauthenticated_ingest_without_a_node() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, None);
    let edge = register_node(&db, "edge-1", None).unwrap();
    post(&app, record("2026-01-01T00:00:00Z", "anon", "blocked", ""), None).await;
    post(&app, record("2026-01-01T00:00:01Z", "known", "blocked", ""), Some(&edge)).await;
    let conn = rusqlite::Connection::open(&db).unwrap();
    let rows: Vec<(String, Option<i64>)> = conn
        .prepare("SELECT unique_id, node FROM verdicts ORDER BY unique_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows[0], ("anon".to_owned(), None));
    assert_eq!(rows[1].0, "known");
    assert!(rows[1].1.is_some(), "a valid token is still attributed");
}

#[tokio::test]
async fn a_version_2_database_is_migrated_to_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v2.db");
    {
        let (app, state) = open(&db, None);
        post(&app, record("2026-01-01T00:00:00Z", "old", "blocked", ""), None).await;
        drop(app);
        tokio::task::spawn_blocking(move || drop(state)).await.unwrap();
        // Undo versions 5, 4 and 3 by hand: what a version-2 collector left behind.
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP TABLE verdict_rollup; DROP TABLE rule_messages; DROP TABLE counter_rollup;
             DROP TABLE counters; DROP TABLE counter_records; DROP TABLE node_workers;
             DROP TABLE ip_entries; DROP INDEX verdicts_node; ALTER TABLE verdicts DROP COLUMN node; DROP TABLE nodes;
             PRAGMA user_version = 2;",
        )
        .unwrap();
    }
    let (app, _state) = open(&db, Some(ADMIN));
    let edge = register_node(&db, "edge-1", None).unwrap();
    post(&app, record("2026-01-01T00:00:01Z", "new", "blocked", ""), Some(&edge)).await;
    let (_, body) = get_json_as(&app, "/api/verdicts", Some(ADMIN)).await;
    assert_eq!(unique_ids(&body), ["new", "old"]);
}

#[tokio::test]
async fn retention_prunes_by_age_then_by_row_count_in_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let mut config = common::config(&db, None);
    config.retain_days = 30;
    config.retain_rows = 6_000;
    let state = portcullis_collector::AppState::open(&config).unwrap();
    let app = portcullis_collector::app(state.clone());
    // 3 records from 2020 (past 30 days) and 7,000 dated in the future (never too old).
    let old: Vec<String> = (0..3)
        .map(|i| record("2020-01-01T00:00:00Z", &format!("old-{i}"), "blocked", ""))
        .collect();
    assert_eq!(post(&app, old.join("\n"), None).await.0, StatusCode::OK);
    for batch in 0..7 {
        let lines: Vec<String> = (0..1000)
            .map(|i| record("2099-01-01T00:00:00Z", &format!("new-{batch}-{i}"), "blocked", ""))
            .collect();
        assert_eq!(post(&app, lines.join("\n"), None).await.0, StatusCode::OK);
    }
    let count = |db: &std::path::Path, cond: &str| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row(&format!("SELECT count(*) FROM verdicts WHERE {cond}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count(&db, "1"), 7_003);
    // 3 by age, then 1,000 beyond the row limit (the oldest by arrival: batch 0).
    assert_eq!(state.prune_once().await.unwrap(), 1_003);
    assert_eq!(count(&db, "1"), 6_000);
    assert_eq!(count(&db, "unique_id LIKE 'old-%'"), 0);
    assert_eq!(count(&db, "unique_id LIKE 'new-0-%'"), 0);
    let orphans: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM verdict_rules WHERE verdict_id NOT IN (SELECT id FROM verdicts)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    assert_eq!(state.prune_once().await.unwrap(), 0);
    drop(app);
    tokio::task::spawn_blocking(move || drop(state)).await.unwrap();
}
