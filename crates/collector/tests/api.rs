//! The HTTP API through `tower::ServiceExt::oneshot`, on a real SQLite file in a temp dir.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{full_record, get_json, ids, open, post, record, send};
use serde_json::{json, Value};

#[tokio::test]
async fn good_batch_is_stored_and_returned_as_received() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _state) = open(&dir.path().join("v.db"), None);
    let lines = [
        full_record("2026-11-25T22:08:02.123Z", "a"),
        record(
            "2026-11-25T22:08:03.000Z",
            "b",
            "monitored",
            r#","future_field":[1,{"x":null}]"#,
        ),
        record("2026-11-25T22:08:04Z", "c", "passed", ""),
    ];
    let (status, body) = post(&app, lines.join("\n") + "\n", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"accepted": 3, "duplicates": 0, "rejected": 0, "lines": [
            {"line": 1, "result": "accepted"},
            {"line": 2, "result": "accepted"},
            {"line": 3, "result": "accepted"}
        ]})
    );

    let (status, body) = get_json(&app, "/api/verdicts").await;
    assert_eq!(status, StatusCode::OK);
    let got: Vec<Value> = body["verdicts"].as_array().unwrap().clone();
    let want: Vec<Value> = lines
        .iter()
        .rev()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got, want);

    // Byte for byte: the response embeds the lines verbatim.
    let (_, _, text) = send(
        &app,
        Request::get("/api/verdicts").body(Body::empty()).unwrap(),
    )
    .await;
    assert!(text.contains(&lines[0]), "{text}");
}

#[tokio::test]
async fn mixed_batch_stores_the_good_lines_and_lists_the_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _state) = open(&dir.path().join("v.db"), None);
    let body = [
        record("2026-01-01T00:00:01Z", "good1", "blocked", ""), // 1
        "{not json".to_owned(),                                 // 2
        String::new(),                                          // 3 blank: ignored
        r#"{"time":"2026-01-01T00:00:02Z","unique_id":"x"}"#.to_owned(), // 4 no action
        record(
            "2026-01-01T00:00:03Z",
            "good2",
            "passed",
            r#","status":200"#,
        ), // 5
        record(
            "2026-01-01T00:00:04Z",
            "bad",
            "passed",
            r#","status":"200""#,
        ), // 6
        "   ".to_owned(),                                       // 7 blank
        "[]".to_owned(),                                        // 8 not an object
        record("not a time", "bad", "passed", ""),              // 9
    ]
    .join("\r\n");
    let (status, report) = post(&app, body, None).await;
    // 200: the batch was read and every line answered; none is worth sending again.
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["accepted"], 2);
    assert_eq!(report["rejected"], 5);
    let answers: Vec<(u64, &str)> = report["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["line"].as_u64().unwrap(), l["result"].as_str().unwrap()))
        .collect();
    assert_eq!(
        answers,
        vec![
            (1, "accepted"),
            (2, "refused"),
            (4, "refused"),
            (5, "accepted"),
            (6, "refused"),
            (8, "refused"),
            (9, "refused")
        ]
    );
    let errors: Vec<&Value> = report["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["result"] == "refused")
        .collect();
    let messages: Vec<&str> = errors
        .iter()
        .map(|e| e["error"].as_str().unwrap())
        .collect();
    assert!(messages[0].starts_with("invalid JSON"), "{messages:?}");
    assert_eq!(messages[1], "missing required field `action`");
    assert_eq!(messages[2], "field `status` must be an integer");
    assert_eq!(messages[3], "record is not a JSON object");
    assert_eq!(messages[4], "field `time` must be an RFC 3339 timestamp");

    assert_eq!(ids(&app, "/api/verdicts").await, vec!["good2", "good1"]);
}

#[tokio::test]
async fn all_bad_batch_is_answered_per_line_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _state) = open(&dir.path().join("v.db"), None);
    let (status, report) = post(&app, "1\n\"x\"\nnull\n", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["accepted"], 0);
    assert_eq!(report["rejected"], 3);
    assert_eq!(report["lines"][2]["result"], "refused");
    assert!(ids(&app, "/api/verdicts").await.is_empty());
    // An empty batch is fine.
    let (status, report) = post(&app, "", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        report,
        json!({"accepted": 0, "duplicates": 0, "rejected": 0, "lines": []})
    );
}

#[tokio::test]
async fn oversized_body_is_413_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _state) = open(&dir.path().join("v.db"), None);
    // Valid records, 8 MiB + a bit in total.
    let line = full_record("2026-01-01T00:00:00Z", "big");
    let count = 8 * 1024 * 1024 / (line.len() + 1) + 1;
    let body = format!("{line}\n").repeat(count);
    assert!(body.len() > 8 * 1024 * 1024);
    let (status, report) = post(&app, body, None).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(report, json!({"error": "body larger than 8388608 bytes"}));
    assert!(ids(&app, "/api/verdicts").await.is_empty());

    // Exactly at the limit is accepted (padding with blank lines).
    let line = record("2026-01-01T00:00:00Z", "edge", "passed", "");
    let mut body = format!("{line}\n");
    body.push_str(&" ".repeat(8 * 1024 * 1024 - body.len()));
    let (status, report) = post(&app, body, None).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["accepted"], 1);
}

#[tokio::test]
async fn too_many_records_is_413_and_long_lines_are_rejected_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _state) = open(&dir.path().join("v.db"), None);
    let line = record("2026-01-01T00:00:00Z", "n", "passed", "");
    let (status, report) = post(&app, format!("{line}\n").repeat(10_001), None).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        report,
        json!({"error": "batch has more than 10000 records"})
    );
    assert!(ids(&app, "/api/verdicts").await.is_empty());

    let (status, report) = post(&app, format!("{line}\n").repeat(10_000), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["accepted"], 10_000);

    let long = record(
        "2026-01-02T00:00:00Z",
        "long",
        "passed",
        &format!(r#","pad":"{}""#, "x".repeat(256 * 1024)),
    );
    let short = record("2026-01-02T00:00:00Z", "short", "passed", "");
    let (status, report) = post(&app, format!("{long}\n{short}\n"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        report,
        json!({"accepted": 1, "duplicates": 0, "rejected": 1, "lines": [
            {"line": 1, "result": "refused", "error": "line longer than 262144 bytes"},
            {"line": 2, "result": "accepted"}
        ]})
    );
    assert_eq!(ids(&app, "/api/verdicts?limit=1").await, vec!["short"]);
}

#[tokio::test]
async fn query_filters_and_limit() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _state) = open(&dir.path().join("v.db"), None);
    let lines = [
        record(
            "2026-03-01T10:00:00Z",
            "b7-shop",
            "blocked",
            r#","application_id":7,"host":"shop""#,
        ),
        record(
            "2026-03-01T11:00:00Z",
            "m7s-api",
            "monitored",
            r#","application_id":"7","host":"api""#,
        ),
        record(
            "2026-03-01T12:00:00Z",
            "p12-shop",
            "passed",
            r#","application_id":12,"host":"shop""#,
        ),
        record(
            "2026-03-01T13:00:00Z",
            "b12-api",
            "blocked",
            r#","application_id":12,"host":"api""#,
        ),
        record("2026-03-01T14:00:00+02:00", "b-none", "blocked", ""), // 12:00Z
    ];
    assert_eq!(post(&app, lines.join("\n"), None).await.0, StatusCode::OK);

    assert_eq!(
        ids(&app, "/api/verdicts").await,
        vec!["b12-api", "b-none", "p12-shop", "m7s-api", "b7-shop"]
    );
    assert_eq!(
        ids(&app, "/api/verdicts?action=blocked").await,
        vec!["b12-api", "b-none", "b7-shop"]
    );
    // Integer 7 and string "7" are the same application.
    assert_eq!(
        ids(&app, "/api/verdicts?application_id=7").await,
        vec!["m7s-api", "b7-shop"]
    );
    assert_eq!(
        ids(&app, "/api/verdicts?host=shop").await,
        vec!["p12-shop", "b7-shop"]
    );
    assert_eq!(
        ids(&app, "/api/verdicts?since=2026-03-01T12:00:00Z").await,
        vec!["b12-api", "b-none", "p12-shop"]
    );
    assert_eq!(
        ids(
            &app,
            "/api/verdicts?since=2026-03-01T12%3A30%3A00%2B01%3A00"
        )
        .await, // 11:30Z
        vec!["b12-api", "b-none", "p12-shop"]
    );
    assert_eq!(
        ids(&app, "/api/verdicts?since=2026-03-01T12:30:00+01:00").await, // `+` decodes to a space
        vec!["b12-api", "b-none", "p12-shop"]
    );
    assert_eq!(
        ids(
            &app,
            "/api/verdicts?action=blocked&host=api&application_id=12&since=2026-03-01T00:00:00Z"
        )
        .await,
        vec!["b12-api"]
    );
    assert_eq!(
        ids(&app, "/api/verdicts?limit=2").await,
        vec!["b12-api", "b-none"]
    );
    assert_eq!(
        ids(&app, "/api/verdicts?limit=2&action=blocked&").await,
        vec!["b12-api", "b-none"]
    );
    assert!(ids(&app, "/api/verdicts?limit=0").await.is_empty());
    assert!(ids(&app, "/api/verdicts?host=nowhere").await.is_empty());
    assert_eq!(
        ids(&app, "/api/verdicts?action=&host=").await.len(),
        5,
        "empty filters are absent"
    );

    for bad in [
        "/api/verdicts?limit=-1",
        "/api/verdicts?limit=lots",
        "/api/verdicts?action=refused",
        "/api/verdicts?since=yesterday",
        "/api/verdicts?since=2026-03-01T12:00:00", // no offset
    ] {
        let (status, body) = get_json(&app, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(body["error"].is_string(), "{bad}: {body}");
    }
}

#[tokio::test]
async fn limit_defaults_to_100_and_is_capped_at_1000() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _state) = open(&dir.path().join("v.db"), None);
    let body: String = (0..1100)
        .map(|i| record("2026-01-01T00:00:00Z", &format!("r{i}"), "passed", "") + "\n")
        .collect();
    assert_eq!(post(&app, body, None).await.0, StatusCode::OK);
    assert_eq!(ids(&app, "/api/verdicts").await.len(), 100);
    assert_eq!(ids(&app, "/api/verdicts?limit=1000").await.len(), 1000);
    assert_eq!(ids(&app, "/api/verdicts?limit=5000").await.len(), 1000);
}

#[tokio::test]
async fn newest_first_by_time_then_insertion_order() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _state) = open(&dir.path().join("v.db"), None);
    // Out-of-order times within a batch and across batches; equal times keep insertion order
    // (later inserted = listed first). Mixed precision and offsets compare as instants.
    let first = [
        record("2026-05-01T10:00:00.500Z", "t10.5", "passed", ""),
        record("2026-05-01T09:00:00Z", "t9-first", "passed", ""),
        record("2026-05-01T12:00:00+01:00", "t11", "passed", ""),
    ];
    let second = [
        record("2026-05-01T09:00:00.000Z", "t9-second", "passed", ""),
        record("2026-05-01T10:00:00.4999Z", "t10.4", "passed", ""),
        record("2026-05-01T08:00:00Z", "t8", "passed", ""),
    ];
    assert_eq!(post(&app, first.join("\n"), None).await.0, StatusCode::OK);
    assert_eq!(post(&app, second.join("\n"), None).await.0, StatusCode::OK);
    assert_eq!(
        ids(&app, "/api/verdicts").await,
        vec!["t11", "t10.5", "t10.4", "t9-second", "t9-first", "t8"]
    );
}

#[tokio::test]
async fn healthz_and_unknown_routes() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _state) = open(&dir.path().join("v.db"), None);
    let (status, _, text) = send(&app, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!((status, text.as_str()), (StatusCode::OK, "ok"));
    let (status, body) = get_json(&app, "/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, json!({"error": "not found"}));
    let (status, _, _) = send(
        &app,
        Request::get("/v1/verdicts").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn records_survive_closing_and_reopening_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("verdicts.db");
    {
        let (app, state) = open(&db, None);
        let lines = [
            full_record("2026-02-01T00:00:00Z", "one"),
            full_record("2026-02-01T00:00:01Z", "two"),
            record(
                "2026-02-01T00:00:02Z",
                "three",
                "passed",
                r#","matched":[{"id":920350},{"id":920350}]"#,
            ),
        ];
        assert_eq!(post(&app, lines.join("\n"), None).await.0, StatusCode::OK);
        // Close: the last state drop joins the writer thread (blocking, so off the executor).
        drop(app);
        tokio::task::spawn_blocking(move || drop(state))
            .await
            .unwrap();
    }
    let (app, _state) = open(&db, None);
    assert_eq!(
        ids(&app, "/api/verdicts").await,
        vec!["three", "two", "one"]
    );

    // The schema as specified: version, WAL, indexed columns, rule-id child table.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, portcullis_collector::SCHEMA_VERSION);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let mut stmt = conn
        .prepare("SELECT rule_id, count(*) FROM verdict_rules GROUP BY rule_id ORDER BY 2 DESC, 1")
        .unwrap();
    let top: Vec<(i64, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(top, vec![(930110, 2), (949110, 2), (920350, 1)]);
    let (app_id, host, ip, status, score): (String, String, String, i64, i64) = conn
        .query_row(
            "SELECT application_id, host, source_ip, status, anomaly_score FROM verdicts WHERE unique_id = 'one'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        (app_id.as_str(), host.as_str(), ip.as_str(), status, score),
        ("7", "shop.example.com", "10.0.0.5", 403, 10)
    );
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for name in [
        "verdicts_time",
        "verdicts_action",
        "verdicts_application",
        "verdicts_host",
        "verdicts_source_ip",
        "verdicts_record_id",
        "verdict_rules_rule",
    ] {
        assert!(indexes.iter().any(|i| i == name), "{name} in {indexes:?}");
    }
}

#[tokio::test]
async fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("future.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = portcullis_collector::AppState::open(&common::config(&db, None))
        .err()
        .unwrap();
    let text = err.to_string();
    assert!(
        text.contains(&format!(
            "schema version 99 is newer than this collector supports ({})",
            portcullis_collector::SCHEMA_VERSION
        )),
        "{text}"
    );
}

/// `record` with a `record_id`.
fn with_id(time: &str, unique_id: &str, record_id: &str) -> String {
    record(
        time,
        unique_id,
        "blocked",
        &format!(r#","record_id":"{record_id}","matched":[{{"id":941100}}]"#),
    )
}

fn results(report: &Value) -> Vec<String> {
    report["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["result"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_resent_batch_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, None);
    let batch = [
        with_id("2026-04-01T00:00:00Z", "a", "f00d-0"),
        with_id("2026-04-01T00:00:01Z", "b", "f00d-1"),
        // No id: stored every time (records from senders that do not set one).
        record("2026-04-01T00:00:02Z", "c", "passed", ""),
    ]
    .join("\n");
    let (status, first) = post(&app, batch.clone(), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(results(&first), ["accepted", "accepted", "accepted"]);

    // The same batch again (its answer was lost): the two records with ids are duplicates.
    let (status, again) = post(&app, batch, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(results(&again), ["duplicate", "duplicate", "accepted"]);
    assert_eq!(
        (&again["accepted"], &again["duplicates"], &again["rejected"]),
        (&json!(1), &json!(2), &json!(0))
    );
    assert_eq!(ids(&app, "/api/verdicts").await, vec!["c", "c", "b", "a"]);

    // Within one batch, and mixed with new and refused lines.
    let mixed = [
        with_id("2026-04-01T00:00:03Z", "d", "f00d-2"),
        with_id("2026-04-01T00:00:03Z", "d-again", "f00d-2"),
        "{broken".to_owned(),
        with_id("2026-04-01T00:00:04Z", "a-again", "f00d-0"),
    ]
    .join("\n");
    let (status, report) = post(&app, mixed, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        results(&report),
        ["accepted", "duplicate", "refused", "duplicate"]
    );
    assert_eq!(
        ids(&app, "/api/verdicts").await,
        vec!["d", "c", "c", "b", "a"]
    );
    // A duplicate adds nothing to the per-rule table either.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let rules: i64 = conn
        .query_row(
            "SELECT count(*) FROM verdict_rules WHERE rule_id = 941100",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rules, 3);
}

#[tokio::test]
async fn a_version_1_database_is_migrated_and_keeps_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v1.db");
    {
        // The version-1 schema as an older collector created it, with one record.
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE verdicts (id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL,
               unique_id TEXT NOT NULL, action TEXT NOT NULL, application_id TEXT, host TEXT,
               source_ip TEXT, status INTEGER, anomaly_score INTEGER, record TEXT NOT NULL);
             CREATE TABLE verdict_rules (verdict_id INTEGER NOT NULL REFERENCES verdicts (id)
               ON DELETE CASCADE, rule_id INTEGER NOT NULL, time_ms INTEGER NOT NULL,
               PRIMARY KEY (verdict_id, rule_id)) WITHOUT ROWID;
             INSERT INTO verdicts (time_ms, unique_id, action, record) VALUES
               (0, 'old', 'passed', '{\"time\":\"1970-01-01T00:00:00Z\",\"unique_id\":\"old\",\"action\":\"passed\"}');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let (app, _state) = open(&db, None);
    let line = with_id("2026-04-01T00:00:00Z", "new", "beef-0");
    assert_eq!(results(&post(&app, line.clone(), None).await.1), ["accepted"]);
    assert_eq!(results(&post(&app, line, None).await.1), ["duplicate"]);
    assert_eq!(ids(&app, "/api/verdicts").await, vec!["new", "old"]);
}
