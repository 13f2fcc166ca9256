//! `POST /v1/counters`: ingest, duplicates, bad records, attribution to the node by its token,
//! node facts and pruning, through `tower::ServiceExt::oneshot`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::counters::{counter_record as record, post_counters};
use common::open;
use portcullis_collector::{register_node, AppState, CounterTotals};
use rusqlite::Connection;
use serde_json::{json, Value};

const ADMIN: &str = "admin-s3cret";

async fn totals(state: &AppState) -> Vec<(String, String, String, i64, i64, i64)> {
    state
        .counter_totals(0)
        .await
        .unwrap()
        .into_iter()
        .map(|CounterTotals { host, application_id, mode, counts }| (host, application_id, mode, counts[0], counts[1], counts[3]))
        .collect()
}

fn s(v: &str) -> String {
    v.to_owned()
}

#[tokio::test]
async fn counts_add_up_per_minute_and_key_and_a_record_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, state) = open(&db, Some(ADMIN));
    let token = register_node(&db, "edge-1", Some("prod")).unwrap();
    let a = record("w1-c0", "w1", "2026-12-06T07:35:10Z", &[("*", "", "block", [1, 9]), ("api.example", "7", "monitor", [0, 4])]);
    let (status, body) = post_counters(&app, a.to_string(), Some(&token)).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"result": "accepted"})));
    // The same record again (its answer was lost): nothing added.
    let (status, body) = post_counters(&app, a.to_string(), Some(&token)).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"result": "duplicate"})));
    // Another worker, same minute; then a later minute.
    let b = record("w2-c0", "w2", "2026-12-06T07:35:59.999Z", &[("*", "", "block", [2, 3])]);
    assert_eq!(post_counters(&app, b.to_string(), Some(&token)).await.0, StatusCode::OK);
    let c = record("w1-c1", "w1", "2026-12-06T07:36:00Z", &[("*", "", "block", [0, 1])]);
    assert_eq!(post_counters(&app, c.to_string(), Some(&token)).await.0, StatusCode::OK);
    // A heartbeat without traffic is a record too.
    let d = record("w1-c2", "w1", "2026-12-06T07:36:01Z", &[]);
    assert_eq!(post_counters(&app, d.to_string(), Some(&token)).await.1, json!({"result": "accepted"}));

    assert_eq!(
        totals(&state).await,
        [(s("*"), s(""), s("block"), 16, 3, 13), (s("api.example"), s("7"), s("monitor"), 4, 0, 4)]
    );
    let conn = Connection::open(&db).unwrap();
    let rows: Vec<(i64, String, i64)> = conn
        .prepare("SELECT minute_ms, host, requests FROM counters ORDER BY minute_ms, host")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let minute = portcullis_collector::parse_rfc3339_ms("2026-12-06T07:35:00Z").unwrap();
    assert_eq!(rows, [(minute, s("*"), 15), (minute, s("api.example"), 4), (minute + 60_000, s("*"), 1)]);
    let records: i64 = conn.query_row("SELECT count(*) FROM counter_records", [], |r| r.get(0)).unwrap();
    assert_eq!(records, 4);
}

#[tokio::test]
async fn counts_and_facts_belong_to_the_token_s_node() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, Some(ADMIN));
    let one = register_node(&db, "edge-1", None).unwrap();
    let two = register_node(&db, "edge-2", None).unwrap();
    let r = record("w1-c0", "w1", "2026-12-06T07:35:10Z", &[("*", "", "block", [0, 1])]);
    // Unauthenticated, a wrong token or the admin token: 401, nothing stored.
    for token in [None, Some("wrong"), Some(ADMIN)] {
        let (status, body) = post_counters(&app, r.to_string(), token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(body, json!({"error": "missing or invalid bearer token"}));
    }
    assert_eq!(post_counters(&app, r.to_string(), Some(&one)).await.0, StatusCode::OK);
    let mut r2 = record("w9-c0", "w9", "2026-12-06T07:35:10Z", &[("*", "", "block", [0, 2])]);
    r2["node"]["ruleset_fingerprint"] = json!("beef");
    assert_eq!(post_counters(&app, r2.to_string(), Some(&two)).await.0, StatusCode::OK);

    let conn = Connection::open(&db).unwrap();
    let by_node: Vec<(String, i64)> = conn
        .prepare("SELECT n.name, c.requests FROM counters c JOIN nodes n ON n.id = c.node ORDER BY n.name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(by_node, [(s("edge-1"), 1), (s("edge-2"), 2)]);
    let workers: Vec<(String, String, String, i64, i64)> = conn
        .prepare(
            "SELECT n.name, w.worker, w.ruleset_fingerprint, w.rule_count, w.flush_interval_ms \
             FROM node_workers w JOIN nodes n ON n.id = w.node ORDER BY n.name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(workers, [(s("edge-1"), s("w1"), s("00ff"), 12, 1000), (s("edge-2"), s("w9"), s("beef"), 12, 1000)]);
    let seen: i64 = conn.query_row("SELECT count(*) FROM nodes WHERE last_seen_ms IS NOT NULL", [], |r| r.get(0)).unwrap();
    assert_eq!(seen, 2);
}

#[tokio::test]
async fn insecure_ingest_counts_under_node_zero() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, None);
    let r = record("w1-c0", "w1", "2026-12-06T07:35:10Z", &[("*", "", "off", [0, 3])]);
    assert_eq!(post_counters(&app, r.to_string(), None).await.0, StatusCode::OK);
    let conn = Connection::open(&db).unwrap();
    let (node, mode): (i64, String) = conn.query_row("SELECT node, mode FROM counters", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!((node, mode.as_str()), (portcullis_collector::UNAUTHENTICATED_NODE, "off"));
    let workers: i64 = conn.query_row("SELECT count(*) FROM node_workers WHERE node = 0", [], |r| r.get(0)).unwrap();
    assert_eq!(workers, 1);
}

#[tokio::test]
async fn bad_records_are_refused_with_the_reason_and_add_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, state) = open(&db, None);
    let good = record("w1-c0", "w1", "2026-12-06T07:35:10Z", &[("*", "", "block", [1, 1])]);
    let with = |path: &[&str], value: Value| {
        let mut r = good.clone();
        let mut at = &mut r;
        for p in &path[..path.len() - 1] {
            at = if let Ok(i) = p.parse::<usize>() { &mut at[i] } else { &mut at[*p] };
        }
        at[path[path.len() - 1]] = value;
        r.to_string()
    };
    let cases = [
        (s("{nope"), "invalid counter record: invalid JSON: key must be a string"),
        (s("[1]"), "invalid counter record: not a JSON object"),
        (with(&["time"], json!("yesterday")), "invalid counter record: field `time` must be an RFC 3339 timestamp"),
        (with(&["record_id"], json!("")), "invalid counter record: field `record_id` must be 1 to 128 bytes"),
        (with(&["counters", "0", "mode"], json!("loud")), "invalid counter record: unknown variant `loud`"),
        (with(&["counters", "0", "requests"], json!(3)), "invalid counter record: `counters[0].requests` must equal"),
        (with(&["counters", "0", "passed"], json!(-1)), "invalid counter record: invalid value: integer `-1`"),
        (with(&["node"], json!(null)), "invalid counter record: invalid type: null"),
    ];
    for (body, want) in cases {
        let (status, answer) = post_counters(&app, body.clone(), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let error = answer["error"].as_str().unwrap();
        assert!(error.starts_with(want), "{error:?} should start with {want:?}");
    }
    assert!(totals(&state).await.is_empty());
    // Over the body limit: 413.
    let big = format!("{{\"pad\":\"{}\"}}", "x".repeat(9 * 1024 * 1024));
    assert_eq!(post_counters(&app, big, None).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    // The good one still goes in.
    assert_eq!(post_counters(&app, good.to_string(), None).await.0, StatusCode::OK);
    assert_eq!(totals(&state).await.len(), 1);
}

#[tokio::test]
async fn old_counters_and_record_ids_are_pruned_with_the_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let config = portcullis_collector::CollectorConfig { retain_days: 1, ..common::config(&db, None) };
    let state = AppState::open(&config).unwrap();
    let app = portcullis_collector::app(state.clone());
    let old = record("old-c0", "w", "2020-01-01T00:00:00Z", &[("*", "", "block", [0, 5])]);
    // Within the retention whatever today is.
    let recent = record("new-c0", "w", "2099-01-01T00:00:00Z", &[("*", "", "block", [0, 2])]);
    assert_eq!(post_counters(&app, old.to_string(), None).await.0, StatusCode::OK);
    assert_eq!(post_counters(&app, recent.to_string(), None).await.0, StatusCode::OK);
    let deleted = state.prune_once().await.unwrap();
    assert_eq!(deleted, 2, "one counter row and one record id");
    assert_eq!(totals(&state).await, [(s("*"), s(""), s("block"), 2, 0, 2)]);
    let conn = Connection::open(&db).unwrap();
    let ids: Vec<String> =
        conn.prepare("SELECT record_id FROM counter_records").unwrap().query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(ids, ["new-c0"]);
}
