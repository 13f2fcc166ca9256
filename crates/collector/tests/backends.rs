//! The store's semantics, the same scenarios against every backend: SQLite (a temp file) and
//! PostgreSQL (a server each test starts, see `common/pg.rs`). Each scenario is one async fn
//! over a [`Backend`]; `both!` makes a `#[test]` per backend from it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use axum::Router;
use common::counters::{counter_record, post_counters};
use common::ip_lists::{call, cidrs, fetch_lists};
use common::pg::PgServer;
use common::{attack, get_json, get_json_as, ids, post, record, HOUR, WINDOW};
use portcullis_wire::ip_list::{parse_utc_ms, IpListAnswer, ListKind, MAX_ENTRIES};
use portcullis_collector::{
    app, list_nodes_in, parse_rfc3339_ms, register_node_in, revoke_node_in, AppState,
    CollectorConfig, CounterTotals, Database,
};
use serde_json::{json, Value};

/// Where a scenario's store lives; dropped at the end of the test (server stopped, files gone).
enum Backend {
    Sqlite(tempfile::TempDir),
    Postgres(PgServer),
}

impl Backend {
    fn sqlite() -> Backend {
        Backend::Sqlite(tempfile::tempdir().unwrap())
    }

    fn postgres() -> Backend {
        let server = PgServer::start();
        server.create_database("verdicts");
        Backend::Postgres(server)
    }

    fn database(&self) -> Database {
        match self {
            Backend::Sqlite(dir) => Database::Sqlite(dir.path().join("v.db")),
            Backend::Postgres(server) => Database::Postgres(server.url("verdicts")),
        }
    }

    /// Like `common::config`, on this backend.
    fn config(&self, admin_token: Option<&str>) -> CollectorConfig {
        let mut config = CollectorConfig {
            admin_token: admin_token.map(str::to_owned),
            insecure_no_auth: admin_token.is_none(),
            ..CollectorConfig::default()
        };
        match self.database() {
            Database::Sqlite(path) => config.db_path = path,
            Database::Postgres(url) => config.db_url = Some(url),
        }
        config
    }

    async fn open_with(&self, config: &CollectorConfig) -> (Router, AppState) {
        let state = AppState::connect(config).await.unwrap();
        (app(state.clone()), state)
    }

    async fn open(&self, admin_token: Option<&str>) -> (Router, AppState) {
        self.open_with(&self.config(admin_token)).await
    }

    /// The rows `sql` selects, straight from the database (not through the collector): each
    /// row's columns as text joined by `|` (NULL as empty), as `psql -A -t` prints them.
    fn rows(&self, sql: &str) -> Vec<String> {
        match self {
            Backend::Sqlite(dir) => {
                let conn = rusqlite::Connection::open(dir.path().join("v.db")).unwrap();
                let mut stmt = conn.prepare(sql).unwrap();
                let columns = stmt.column_count();
                stmt.query_map([], |r| {
                    let text: Vec<String> = (0..columns)
                        .map(|i| match r.get_ref(i).unwrap() {
                            rusqlite::types::ValueRef::Null => String::new(),
                            rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                            rusqlite::types::ValueRef::Real(v) => v.to_string(),
                            rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                                String::from_utf8_lossy(t).into_owned()
                            }
                        })
                        .collect();
                    Ok(text.join("|"))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
            }
            Backend::Postgres(server) => {
                let out = server.psql("verdicts", sql);
                out.lines().filter(|l| !l.is_empty()).map(str::to_owned).collect()
            }
        }
    }
}

/// Closes a store the way the server does (the SQLite writer is joined off the executor).
async fn close(app: Router, state: AppState) {
    drop(app);
    tokio::task::spawn_blocking(move || drop(state)).await.unwrap();
}

macro_rules! both {
    ($scenario:ident) => {
        mod $scenario {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$scenario(super::Backend::sqlite()).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$scenario(super::Backend::postgres()).await;
            }
        }
    };
}

both!(ingest_and_duplicates);
both!(query_filters_and_order);
both!(prune_by_age_then_rows);
both!(node_auth_and_admin);
both!(reopen_keeps_records_and_newer_schema_is_refused);
both!(counters_add_up_per_minute_and_key_once_per_record);
both!(counters_sent_to_two_collectors_at_once_count_once);
both!(counters_and_record_ids_are_pruned_by_age);
both!(ip_entries_are_added_updated_listed_and_removed);
both!(ip_lists_per_node_group_with_versions_and_expiry);
both!(ip_lists_refuse_one_entry_over_the_limit);
both!(ip_list_changes_through_two_collectors_at_once);
both!(console_summary_timeline_verdicts_and_nodes);
both!(upgrading_to_version_5_counts_what_is_stored);
both!(verdict_batches_through_two_collectors_at_once_count_exactly);

fn with_id(time: &str, unique_id: &str, record_id: &str, rules: &str) -> String {
    record(
        time,
        unique_id,
        "blocked",
        &format!(r#","record_id":"{record_id}","matched":[{rules}]"#),
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

async fn ingest_and_duplicates(backend: Backend) {
    let (app, state) = backend.open(None).await;
    let batch = [
        with_id("2026-04-01T00:00:00Z", "a", "f00d-0", r#"{"id":941100},{"id":949110}"#),
        with_id("2026-04-01T00:00:01Z", "b", "f00d-1", r#"{"id":941100},{"id":941100}"#),
        // No id: stored every time.
        record("2026-04-01T00:00:02Z", "c", "passed", ""),
    ]
    .join("\n");
    let (status, first) = post(&app, batch.clone(), None).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(results(&first), ["accepted", "accepted", "accepted"]);

    let (status, again) = post(&app, batch, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(results(&again), ["duplicate", "duplicate", "accepted"]);
    assert_eq!(
        (&again["accepted"], &again["duplicates"], &again["rejected"]),
        (&json!(1), &json!(2), &json!(0))
    );

    // Within one batch, mixed with refused lines; a NUL in a decoded field is storable too.
    let mixed = [
        with_id("2026-04-01T00:00:03Z", "d", "f00d-2", ""),
        with_id("2026-04-01T00:00:03Z", "d-again", "f00d-2", ""),
        "{broken".to_owned(),
        with_id("2026-04-01T00:00:04Z", "a-again", "f00d-0", ""),
        record("2026-04-01T00:00:05Z", "nul", "passed", r#","host":"x\u0000y""#),
    ]
    .join("\n");
    let (status, report) = post(&app, mixed, None).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        results(&report),
        ["accepted", "duplicate", "refused", "duplicate", "accepted"]
    );
    assert_eq!(
        ids(&app, "/api/verdicts").await,
        vec!["nul", "d", "c", "c", "b", "a"]
    );
    // Returned exactly as received.
    let (_, body) = get_json(&app, "/api/verdicts?limit=1").await;
    assert_eq!(body["verdicts"][0]["host"], json!("x\u{0}y"));
    close(app, state).await;
}

async fn query_filters_and_order(backend: Backend) {
    let (app, state) = backend.open(None).await;
    let lines = [
        record("2026-03-01T10:00:00Z", "b7-shop", "blocked", r#","application_id":7,"host":"shop""#),
        record("2026-03-01T11:00:00Z", "m7s-api", "monitored", r#","application_id":"7","host":"api""#),
        record("2026-03-01T12:00:00Z", "p12-shop", "passed", r#","application_id":12,"host":"shop""#),
        record("2026-03-01T13:00:00Z", "b12-api", "blocked", r#","application_id":12,"host":"api""#),
        record("2026-03-01T14:00:00+02:00", "b-none", "blocked", ""), // 12:00Z
    ];
    assert_eq!(post(&app, lines.join("\n"), None).await.0, StatusCode::OK);
    // Equal times: the later inserted comes first.
    let later = record("2026-03-01T12:00:00Z", "p12-later", "passed", "");
    assert_eq!(post(&app, later, None).await.0, StatusCode::OK);

    let cases: [(&str, &[&str]); 9] = [
        ("/api/verdicts", &["b12-api", "p12-later", "b-none", "p12-shop", "m7s-api", "b7-shop"]),
        ("/api/verdicts?action=blocked", &["b12-api", "b-none", "b7-shop"]),
        ("/api/verdicts?application_id=7", &["m7s-api", "b7-shop"]),
        ("/api/verdicts?host=shop", &["p12-shop", "b7-shop"]),
        ("/api/verdicts?since=2026-03-01T12:00:00Z", &["b12-api", "p12-later", "b-none", "p12-shop"]),
        (
            "/api/verdicts?action=blocked&host=api&application_id=12&since=2026-03-01T00:00:00Z",
            &["b12-api"],
        ),
        ("/api/verdicts?limit=2", &["b12-api", "p12-later"]),
        ("/api/verdicts?limit=0", &[]),
        ("/api/verdicts?host=nowhere", &[]),
    ];
    for (uri, want) in cases {
        assert_eq!(ids(&app, uri).await, want, "{uri}");
    }
    close(app, state).await;
}

async fn prune_by_age_then_rows(backend: Backend) {
    // Two old records (2001) and four recent ones; keep 30 days and at most 3 rows.
    let config = CollectorConfig {
        retain_days: 30,
        retain_rows: 3,
        ..backend.config(None)
    };
    let (app, state) = backend.open_with(&config).await;
    let now = now_rfc3339();
    let lines = [
        record("2001-01-01T00:00:00Z", "old-1", "blocked", r#","matched":[{"id":1}]"#),
        record("2001-01-02T00:00:00Z", "old-2", "blocked", ""),
        record(&now, "new-1", "blocked", r#","matched":[{"id":2}]"#),
        record(&now, "new-2", "blocked", ""),
        record(&now, "new-3", "blocked", ""),
        record(&now, "new-4", "blocked", ""),
    ];
    assert_eq!(post(&app, lines.join("\n"), None).await.0, StatusCode::OK);
    // Age first (2), then the oldest by arrival beyond 3 rows (1).
    assert_eq!(state.prune_once().await.unwrap(), 3);
    assert_eq!(ids(&app, "/api/verdicts").await, vec!["new-4", "new-3", "new-2"]);
    assert_eq!(state.prune_once().await.unwrap(), 0);
    close(app, state).await;
}

/// The current time as RFC 3339, for records that retention keeps.
fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // Civil date from days since the epoch (proleptic Gregorian).
    let days = (secs / 86_400) as i64;
    let (h, m, s) = (secs % 86_400 / 3600, secs % 3600 / 60, secs % 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{d:02}T{h:02}:{m:02}:{s:02}Z")
}

async fn node_auth_and_admin(backend: Backend) {
    let db = backend.database();
    let edge = register_node_in(&db, "edge-1", Some("prod-eu")).await.unwrap();
    let other = register_node_in(&db, "edge-0", None).await.unwrap();
    assert!(register_node_in(&db, "edge-1", None).await.is_err(), "name taken");
    let (app, state) = backend.open(Some("admin-secret")).await;

    let line = record("2026-04-01T00:00:00Z", "from-edge", "blocked", "");
    assert_eq!(post(&app, line.clone(), None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(post(&app, line.clone(), Some("pcn_nope")).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(post(&app, line.clone(), Some("admin-secret")).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(post(&app, line.clone(), Some(&edge)).await.0, StatusCode::OK);

    let nodes = list_nodes_in(&db).await.unwrap();
    let names: Vec<&str> = nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["edge-0", "edge-1"], "no group first, then by group");
    assert!(nodes[1].last_seen_ms.is_some(), "a batch marks its node seen");
    assert!(nodes[0].last_seen_ms.is_none());

    // Revoked while the collector runs: refused from the next request on.
    revoke_node_in(&db, "edge-1").await.unwrap();
    assert!(revoke_node_in(&db, "nope").await.is_err());
    assert_eq!(post(&app, line.clone(), Some(&edge)).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(post(&app, line, Some(&other)).await.0, StatusCode::OK);
    assert!(list_nodes_in(&db).await.unwrap()[1].revoked_ms.is_some());
    close(app, state).await;
}

async fn reopen_keeps_records_and_newer_schema_is_refused(backend: Backend) {
    let (app, state) = backend.open(None).await;
    let line = with_id("2026-04-01T00:00:00Z", "kept", "r-1", "");
    assert_eq!(post(&app, line.clone(), None).await.0, StatusCode::OK);
    close(app, state).await;

    let (app, state) = backend.open(None).await;
    assert_eq!(ids(&app, "/api/verdicts").await, vec!["kept"]);
    // Still idempotent across the restart.
    let (_, report) = post(&app, line, None).await;
    assert_eq!(results(&report), ["duplicate"]);
    close(app, state).await;

    match &backend {
        Backend::Sqlite(dir) => {
            let conn = rusqlite::Connection::open(dir.path().join("v.db")).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }
        Backend::Postgres(server) => {
            server.psql("verdicts", "UPDATE portcullis_schema SET version = 99");
        }
    }
    let err = AppState::connect(&backend.config(None)).await.err().unwrap();
    assert!(err.to_string().contains("schema version 99 is newer"), "{err}");
}

/// PostgreSQL only: collectors starting together migrate once (the advisory lock), and both
/// see the same store.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_concurrent_start_and_shared_store() {
    let backend = Backend::postgres();
    let config = backend.config(None);
    let (a, b) = tokio::join!(AppState::connect(&config), AppState::connect(&config));
    let (a, b) = (a.unwrap(), b.unwrap());
    let (app_a, app_b) = (app(a.clone()), app(b.clone()));
    let rid = "shared-1";
    let line = with_id("2026-04-01T00:00:00Z", "shared", rid, "");
    assert_eq!(results(&post(&app_a, line.clone(), None).await.1), ["accepted"]);
    // The same record re-sent to the other replica is a duplicate there.
    assert_eq!(results(&post(&app_b, line, None).await.1), ["duplicate"]);
    assert_eq!(ids(&app_b, "/api/verdicts").await, vec!["shared"]);
    if let Backend::Postgres(server) = &backend {
        assert_eq!(server.psql("verdicts", "SELECT version FROM portcullis_schema"), portcullis_collector::SCHEMA_VERSION.to_string());
    }
}

/// A URL that does not parse and a server that is not there: errors that say so.
#[tokio::test]
async fn postgres_bad_url_and_unreachable_server() {
    let bad = CollectorConfig {
        db_url: Some("postgres://u:secret@127.0.0.1:notaport/db".to_owned()),
        ..CollectorConfig::default()
    };
    let err = AppState::connect(&bad).await.err().unwrap().to_string();
    assert!(err.contains("not a valid PostgreSQL URL"), "{err}");
    assert!(!err.contains("secret"), "{err}");

    let down = CollectorConfig {
        db_url: Some("postgres://u:secret@127.0.0.1:1/db".to_owned()),
        ..CollectorConfig::default()
    };
    // The blocking opener serves SQLite only, and says which one to use.
    let err = AppState::open(&down).err().unwrap().to_string();
    assert!(err.contains("AppState::connect"), "{err}");
    let err = AppState::connect(&down).await.err().unwrap().to_string();
    assert!(err.contains("127.0.0.1:1"), "{err}");
    assert!(err.to_lowercase().contains("refused"), "{err}");
    assert!(!err.contains("secret"), "{err}");
}

/// The server goes away under a running collector: ingest answers 503 (the filter retries
/// later), not a generic 500, and nothing claims to be stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_gone_is_503() {
    let backend = Backend::postgres();
    let (app, state) = backend.open(None).await;
    let line = record("2026-04-01T00:00:00Z", "before", "blocked", "");
    assert_eq!(post(&app, line, None).await.0, StatusCode::OK);
    drop(backend); // stops the server
    let line = record("2026-04-01T00:00:01Z", "after", "blocked", "");
    let (status, body) = post(&app, line, None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body, json!({"error": "storage unavailable"}));
    close(app, state).await;
}

/// `(host, application_id, mode, requests, blocked, passed)` of every key since the epoch.
async fn counter_totals(state: &AppState) -> Vec<(String, String, String, i64, i64, i64)> {
    state
        .counter_totals(0)
        .await
        .unwrap()
        .into_iter()
        .map(|CounterTotals { host, application_id, mode, counts }| {
            (host, application_id, mode, counts[0], counts[1], counts[3])
        })
        .collect()
}

fn key(host: &str, app: &str, mode: &str, counts: [i64; 3]) -> (String, String, String, i64, i64, i64) {
    (host.to_owned(), app.to_owned(), mode.to_owned(), counts[0], counts[1], counts[2])
}

async fn counters_add_up_per_minute_and_key_once_per_record(backend: Backend) {
    let db = backend.database();
    let token = register_node_in(&db, "edge-1", Some("prod")).await.unwrap();
    let (app, state) = backend.open(Some("admin-secret")).await;
    let a = counter_record(
        "w1-c0",
        "w1",
        "2026-12-06T07:35:10Z",
        &[("*", "", "block", [1, 9]), ("api.example", "7", "monitor", [0, 4])],
    );
    let (status, body) = post_counters(&app, a.to_string(), Some(&token)).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"result": "accepted"})));
    // The same record again (its answer was lost): nothing added.
    let (status, body) = post_counters(&app, a.to_string(), Some(&token)).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"result": "duplicate"})));
    // Another worker in the same minute, then a later minute, then a heartbeat without traffic.
    let b = counter_record("w2-c0", "w2", "2026-12-06T07:35:59.999Z", &[("*", "", "block", [2, 3])]);
    let c = counter_record("w1-c1", "w1", "2026-12-06T07:36:00Z", &[("*", "", "block", [0, 1])]);
    let d = counter_record("w1-c2", "w1", "2026-12-06T07:36:01Z", &[]);
    for r in [b, c, d] {
        let (status, body) = post_counters(&app, r.to_string(), Some(&token)).await;
        assert_eq!((status, body), (StatusCode::OK, json!({"result": "accepted"})));
    }
    // Nothing without a node token.
    assert_eq!(post_counters(&app, a.to_string(), None).await.0, StatusCode::UNAUTHORIZED);

    assert_eq!(
        counter_totals(&state).await,
        [key("*", "", "block", [16, 3, 13]), key("api.example", "7", "monitor", [4, 0, 4])]
    );
    let minute = parse_rfc3339_ms("2026-12-06T07:35:00Z").unwrap();
    let later = parse_rfc3339_ms("2026-12-06T07:36:00Z").unwrap();
    assert_eq!(state.counter_totals(later).await.unwrap().len(), 1, "since a minute");
    assert_eq!(
        backend.rows(
            "SELECT c.minute_ms, n.name, c.host, c.requests FROM counters c JOIN nodes n ON n.id = c.node \
             ORDER BY c.minute_ms, c.host"
        ),
        [
            format!("{minute}|edge-1|*|15"),
            format!("{minute}|edge-1|api.example|4"),
            format!("{later}|edge-1|*|1"),
        ]
    );
    assert_eq!(backend.rows("SELECT count(*) FROM counter_records"), ["4"]);
    assert_eq!(
        backend.rows(
            "SELECT n.name, w.worker, w.version, w.ruleset_fingerprint, w.rule_count, w.workers, \
             w.flush_interval_ms FROM node_workers w JOIN nodes n ON n.id = w.node ORDER BY w.worker"
        ),
        ["edge-1|w1|0.1.0|00ff|12||1000", "edge-1|w2|0.1.0|00ff|12||1000"]
    );
    assert!(list_nodes_in(&db).await.unwrap()[0].last_seen_ms.is_some());
    close(app, state).await;
}

/// Two collectors on one store, every record sent to both at once (a filter's retry that round
/// robin took to the other replica while the first answer was still on its way): each record
/// is added once, and one of the two answers says so.
async fn counters_sent_to_two_collectors_at_once_count_once(backend: Backend) {
    let (app_a, state_a) = backend.open(None).await;
    let (app_b, state_b) = backend.open(None).await;
    const RECORDS: u64 = 12;
    let sends = (0..RECORDS).flat_map(|i| {
        let r = counter_record(
            &format!("w{}-c{i}", i % 2),
            &format!("w{}", i % 2),
            "2026-12-06T07:35:10Z",
            &[("*", "", "block", [1, i]), ("shop", "", "monitor", [0, 1])],
        )
        .to_string();
        [(app_a.clone(), r.clone()), (app_b.clone(), r)]
    });
    let tasks: Vec<_> = sends
        .map(|(app, body)| tokio::spawn(async move { post_counters(&app, body, None).await }))
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
        answers.push(body["result"].as_str().unwrap().to_owned());
    }
    for pair in answers.chunks(2) {
        let mut pair = pair.to_vec();
        pair.sort();
        assert_eq!(pair, ["accepted", "duplicate"]);
    }
    let passed: i64 = (0..RECORDS as i64).sum();
    let want = [
        key("*", "", "block", [RECORDS as i64 + passed, RECORDS as i64, passed]),
        key("shop", "", "monitor", [RECORDS as i64, 0, RECORDS as i64]),
    ];
    assert_eq!(counter_totals(&state_a).await, want);
    assert_eq!(counter_totals(&state_b).await, want);
    close(app_a, state_a).await;
    close(app_b, state_b).await;
}

async fn counters_and_record_ids_are_pruned_by_age(backend: Backend) {
    let config = CollectorConfig { retain_days: 1, ..backend.config(None) };
    let (app, state) = backend.open_with(&config).await;
    let old = counter_record("old-c0", "w", "2020-01-01T00:00:00Z", &[("*", "", "block", [0, 5])]);
    // Within the retention whatever today is.
    let recent = counter_record("new-c0", "w", "2099-01-01T00:00:00Z", &[("*", "", "block", [0, 2])]);
    assert_eq!(post_counters(&app, old.to_string(), None).await.0, StatusCode::OK);
    assert_eq!(post_counters(&app, recent.to_string(), None).await.0, StatusCode::OK);
    assert_eq!(state.prune_once().await.unwrap(), 2, "one counter row and one record id");
    assert_eq!(counter_totals(&state).await, [key("*", "", "block", [2, 0, 2])]);
    assert_eq!(backend.rows("SELECT record_id FROM counter_records"), ["new-c0"]);
    // The hour and day rollups follow the counters (the pruned row's counts went out of them,
    // the row summed to zero went with the rollup pruning).
    assert_eq!(
        backend.rows("SELECT span, requests FROM counter_rollup ORDER BY span"),
        ["3600000|2", "86400000|2"]
    );
    assert_eq!(state.prune_once().await.unwrap(), 0);
    close(app, state).await;
}

/// PostgreSQL only: text cannot hold NUL, so a key's NUL is stored as U+FFFD; two keys of one
/// record that differ only so are one row, their counts added.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_counter_keys_with_nul_are_stored() {
    let backend = Backend::postgres();
    let (app, state) = backend.open(None).await;
    let r = counter_record(
        "nul-c0",
        "w\u{0}1",
        "2026-12-06T07:35:10Z",
        &[("x\u{0}y", "", "block", [1, 1]), ("x\u{fffd}y", "", "block", [0, 3])],
    );
    let (status, body) = post_counters(&app, r.to_string(), None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"result": "accepted"})));
    assert_eq!(counter_totals(&state).await, [key("x\u{fffd}y", "", "block", [5, 1, 4])]);
    close(app, state).await;
}

const ADMIN: &str = "admin-secret";

async fn add_entry(app: &Router, entry: Value) -> (StatusCode, Value) {
    let (status, _, body) = call(app, "POST", "/api/ip-lists", Some(ADMIN), Some(entry), &[]).await;
    (status, body)
}

async fn ip_entries(app: &Router) -> Vec<Value> {
    let (status, _, list) = call(app, "GET", "/api/ip-lists", Some(ADMIN), None, &[]).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["entries"].as_array().unwrap().clone()
}

async fn ip_entries_are_added_updated_listed_and_removed(backend: Backend) {
    let (app, state) = backend.open(Some(ADMIN)).await;
    let (status, e) =
        add_entry(&app, json!({"list": "block", "cidr": "203.0.113.7", "note": "scanner", "expires_in_s": 3600})).await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    assert_eq!(
        (e["list"].as_str(), e["cidr"].as_str(), e["note"].as_str(), &e["group"]),
        (Some("block"), Some("203.0.113.7/32"), Some("scanner"), &Value::Null)
    );
    let created = parse_utc_ms(e["created"].as_str().unwrap()).unwrap();
    let expires = parse_utc_ms(e["expires"].as_str().unwrap()).unwrap();
    assert_eq!(expires - created, 3_600_000);
    let id = e["id"].as_i64().unwrap();

    let (status, v6) = add_entry(&app, json!({"list": "allow", "cidr": "2001:DB8::/32", "group": "prod"})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!((v6["cidr"].as_str(), v6["group"].as_str()), (Some("2001:db8::/32"), Some("prod")));
    // The same list, network and group again: that entry is updated.
    let (status, again) = add_entry(&app, json!({"list": "block", "cidr": "203.0.113.7/32", "note": "still scanning"})).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(
        (again["id"].as_i64(), again["note"].as_str(), &again["expires"]),
        (Some(id), Some("still scanning"), &Value::Null)
    );
    let (status, _) = add_entry(&app, json!({"list": "allow", "cidr": "2001:db8::/32", "group": "prod", "note": "n"})).await;
    assert_eq!(status, StatusCode::OK, "group matched too");

    let entries = ip_entries(&app).await;
    let listed: Vec<(i64, &str)> =
        entries.iter().map(|e| (e["id"].as_i64().unwrap(), e["cidr"].as_str().unwrap())).collect();
    assert_eq!(listed, [(id, "203.0.113.7/32"), (v6["id"].as_i64().unwrap(), "2001:db8::/32")], "oldest first");

    let uri = format!("/api/ip-lists/{id}");
    assert_eq!(call(&app, "DELETE", &uri, Some(ADMIN), None, &[]).await.0, StatusCode::NO_CONTENT);
    assert_eq!(call(&app, "DELETE", &uri, Some(ADMIN), None, &[]).await.0, StatusCode::NOT_FOUND);
    assert_eq!(ip_entries(&app).await.len(), 1);
    close(app, state).await;
}

async fn ip_lists_per_node_group_with_versions_and_expiry(backend: Backend) {
    let db = backend.database();
    let eu = register_node_in(&db, "edge-eu", Some("prod-eu")).await.unwrap();
    let us = register_node_in(&db, "edge-us", Some("prod-us")).await.unwrap();
    let lone = register_node_in(&db, "edge-lone", None).await.unwrap();
    let (app, state) = backend.open(Some(ADMIN)).await;
    let (empty, etag) = fetch_lists(&app, &lone).await;
    assert!(empty.entries.is_empty());
    let (status, _, _) = call(&app, "GET", "/v1/ip-lists", Some(&lone), None, &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);

    add_entry(&app, json!({"list": "block", "cidr": "203.0.113.7"})).await;
    add_entry(&app, json!({"list": "block", "cidr": "198.51.100.0/24", "group": "prod-eu"})).await;
    add_entry(&app, json!({"list": "allow", "cidr": "10.0.0.0/8", "group": "prod-us"})).await;
    let (status, _) = add_entry(&app, json!({"list": "block", "cidr": "203.0.113.7", "group": "prod-us"})).await;
    assert_eq!(status, StatusCode::CREATED, "one network for every node and for a group: two entries");
    let (status, _) = add_entry(&app, json!({"list": "block", "cidr": "192.0.2.9", "expires_in_s": 1})).await;
    assert_eq!(status, StatusCode::CREATED);

    let (a, _) = fetch_lists(&app, &eu).await;
    assert_eq!(
        cidrs(&a),
        [(ListKind::Block, "192.0.2.9/32"), (ListKind::Block, "198.51.100.0/24"), (ListKind::Block, "203.0.113.7/32")]
    );
    let (a, _) = fetch_lists(&app, &us).await;
    assert_eq!(
        cidrs(&a),
        [
            (ListKind::Block, "192.0.2.9/32"),
            (ListKind::Block, "203.0.113.7/32"),
            (ListKind::Block, "203.0.113.7/32"),
            (ListKind::Allow, "10.0.0.0/8")
        ]
    );
    let (with_expiring, etag) = fetch_lists(&app, &lone).await;
    assert_eq!(cidrs(&with_expiring), [(ListKind::Block, "192.0.2.9/32"), (ListKind::Block, "203.0.113.7/32")]);

    // Past its expiry an entry is no longer served (the version changes), still listed.
    let expires = with_expiring.entries.iter().find_map(|e| e.expires.as_deref()).unwrap();
    let wait = parse_utc_ms(expires).unwrap() - wall_ms() + 50;
    if wait > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(u64::try_from(wait).unwrap())).await;
    }
    let (status, _, body) = call(&app, "GET", "/v1/ip-lists", Some(&lone), None, &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let after: IpListAnswer = serde_json::from_value(body).unwrap();
    assert_eq!(cidrs(&after), [(ListKind::Block, "203.0.113.7/32")]);
    assert!(ip_entries(&app).await.iter().any(|e| e["expired"] == json!(true)));

    // Polling marks the node as seen (off the answer's path: poll for it).
    let mut seen = false;
    for _ in 0..100 {
        seen = list_nodes_in(&db).await.unwrap().iter().all(|n| n.last_seen_ms.is_some());
        if seen {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(seen, "every node polled, every node seen");
    close(app, state).await;
}

async fn ip_lists_refuse_one_entry_over_the_limit(backend: Backend) {
    let (app, state) = backend.open(Some(ADMIN)).await;
    // One short of the limit, written directly (100,000 POSTs would only slow the test).
    let below = MAX_ENTRIES - 1;
    match &backend {
        Backend::Sqlite(dir) => {
            let conn = rusqlite::Connection::open(dir.path().join("v.db")).unwrap();
            conn.execute(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1) \
                 INSERT INTO ip_entries (list, cidr, created_ms) \
                 SELECT 'block', '10.' || (i >> 16) || '.' || ((i >> 8) & 255) || '.' || (i & 255) || '/32', 0 FROM n",
                [below],
            )
            .unwrap();
        }
        Backend::Postgres(server) => {
            server.psql(
                "verdicts",
                &format!(
                    "INSERT INTO ip_entries (list, cidr, created_ms) \
                     SELECT 'block', '10.' || (i >> 16) || '.' || ((i >> 8) & 255) || '.' || (i & 255) || '/32', 0 \
                     FROM generate_series(0, {}) AS i",
                    below - 1
                ),
            );
        }
    }
    assert_eq!(add_entry(&app, json!({"list": "block", "cidr": "192.0.2.1"})).await.0, StatusCode::CREATED);
    let (status, body) = add_entry(&app, json!({"list": "block", "cidr": "192.0.2.2"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().starts_with("the lists hold 100000 entries"), "{body}");
    // Updating an entry still works when full.
    let (status, _) = add_entry(&app, json!({"list": "block", "cidr": "192.0.2.1", "note": "again"})).await;
    assert_eq!(status, StatusCode::OK);
    close(app, state).await;
}

/// Two collectors on one store, the same entry added through both at once (two operators, or
/// one double click behind a load balancer): one entry, created once and updated otherwise.
async fn ip_list_changes_through_two_collectors_at_once(backend: Backend) {
    let (app_a, state_a) = backend.open(Some(ADMIN)).await;
    let (app_b, state_b) = backend.open(Some(ADMIN)).await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let app = if i % 2 == 0 { app_a.clone() } else { app_b.clone() };
            tokio::spawn(async move {
                add_entry(&app, json!({"list": "block", "cidr": "203.0.113.0/24", "note": format!("click {i}")})).await
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap().0);
    }
    statuses.sort();
    assert_eq!(statuses, [[StatusCode::OK; 7].as_slice(), &[StatusCode::CREATED]].concat());
    assert_eq!(ip_entries(&app_a).await.len(), 1);
    assert_eq!(ip_entries(&app_b).await.len(), 1);
    close(app_a, state_a).await;
    close(app_b, state_b).await;
}

fn wall_ms() -> i64 {
    i64::try_from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()).unwrap()
}

/// Node `edge-1` (group `prod`) sends 4 verdicts in the hour and one after it, and counter
/// records: each minute of the hour 10 requests to shop.example.com (application 7, 1 blocked),
/// and at 22:10 5 to api.example.com (application 9). `edge-2` (group `staging`) sends nothing.
async fn seed_console(backend: &Backend, app: &Router) {
    let db = backend.database();
    let edge = register_node_in(&db, "edge-1", Some("prod")).await.unwrap();
    register_node_in(&db, "edge-2", Some("staging")).await.unwrap();
    let sqli = (942100, "SQL Injection Attack Detected via libinjection");
    let lines = [
        attack(1, "a1", "203.0.113.9", sqli, ""),
        attack(2, "a2", "203.0.113.9", sqli, r#","cves":["CVE-2021-44228"]"#),
        attack(3, "a3", "198.51.100.4", (930110, "Path Traversal Attack"), ""),
        record(
            &format!("{HOUR}:04:00Z"),
            "m1",
            "monitored",
            r#","host":"api.example.com","path":"/x","source_ip":"203.0.113.9","application_id":"9","matched":[{"id":942100,"msg":"SQL Injection Attack Detected via libinjection"}],"attack_types":["sqli","xss"]"#,
        ),
        record("2026-11-25T23:30:00Z", "late", "blocked", r#","source_ip":"192.0.2.1""#),
    ];
    assert_eq!(post(app, lines.join("\n"), Some(&edge)).await.0, StatusCode::OK);
    for minute in 0..60 {
        let mut entries = vec![("shop.example.com", "7", "block", [1, 9])];
        if minute == 10 {
            entries.push(("api.example.com", "9", "block", [0, 5]));
        }
        let r = counter_record(&format!("w1-c{minute}"), "w1", &format!("{HOUR}:{minute:02}:30Z"), &entries);
        let (status, body) = post_counters(app, r.to_string(), Some(&edge)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

/// `(requests, verdicts)` of `/api/summary?query`.
async fn summary_counts(app: &Router, query: &str) -> (i64, i64) {
    let (status, s) = get_json_as(app, &format!("/api/summary?{query}"), Some(ADMIN)).await;
    assert_eq!(status, StatusCode::OK, "{query}: {s}");
    (s["totals"]["requests"].as_i64().unwrap(), s["verdicts"].as_i64().unwrap())
}

async fn console_summary_timeline_verdicts_and_nodes(backend: Backend) {
    let (app, state) = backend.open(Some(ADMIN)).await;
    seed_console(&backend, &app).await;
    let (status, s) = get_json_as(&app, &format!("/api/summary?{WINDOW}"), Some(ADMIN)).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!((&s["from"], &s["seconds"]), (&json!("2026-11-25T22:00:00Z"), &json!(3600.0)));
    assert_eq!(
        (&s["totals"]["requests"], &s["totals"]["blocked"], &s["totals"]["passed"]),
        (&json!(605), &json!(60), &json!(545))
    );
    assert_eq!((&s["verdicts"], &s["verdicts_by_action"]), (&json!(4), &json!({"blocked": 3, "monitored": 1})));
    let top = &s["top"];
    assert_eq!(
        top["rules"],
        json!([{"rule_id": 942100, "msg": "SQL Injection Attack Detected via libinjection", "count": 3},
               {"rule_id": 930110, "msg": "Path Traversal Attack", "count": 1}])
    );
    assert_eq!(top["attack_types"], json!([{"value": "sqli", "count": 4}, {"value": "xss", "count": 1}]));
    assert_eq!(top["cves"], json!([{"value": "CVE-2021-44228", "count": 1}]));
    assert_eq!(
        top["source_ips"],
        json!([{"value": "203.0.113.9", "count": 3}, {"value": "198.51.100.4", "count": 1}])
    );
    assert_eq!(top["hosts"][0], json!({"value": "shop.example.com", "count": 3}));
    assert_eq!(top["paths"][0], json!({"value": "/login", "count": 3}));
    assert_eq!(
        s["applications"][0],
        json!({"application_id": "7", "requests": 600, "blocked": 60, "monitored": 0,
               "verdicts": 3, "verdicts_blocked": 3, "verdicts_monitored": 0})
    );
    assert_eq!((&s["applications"][1]["application_id"], &s["applications"][1]["verdicts_monitored"]), (&json!("9"), &json!(1)));

    for (query, want) in [
        (format!("{WINDOW}&host=api.example.com"), (5, 1)),
        (format!("{WINDOW}&application_id=7&action=blocked"), (600, 3)),
        (format!("{WINDOW}&node=edge-1"), (605, 4)),
        (format!("{WINDOW}&group=prod"), (605, 4)),
        (format!("{WINDOW}&group=staging"), (0, 0)),
        (format!("{WINDOW}&node=nobody"), (0, 0)),
        ("from=2026-11-25T22:02:00Z&to=2026-11-25T22:03:30Z".to_owned(), (20, 2)),
        // Days, hours and minutes: the rollups add up to the same (and the late verdict).
        ("from=2026-11-23T23:59:00Z&to=2026-11-27T00:00:00Z".to_owned(), (605, 5)),
        ("from=2026-11-25T21:00:00Z&to=2026-11-26T01:00:00Z&group=prod".to_owned(), (605, 5)),
    ] {
        assert_eq!(summary_counts(&app, &query).await, want, "{query}");
    }
    let (_, s) = get_json_as(&app, &format!("/api/summary?{WINDOW}&action=monitored"), Some(ADMIN)).await;
    assert_eq!(s["top"]["source_ips"], json!([{"value": "203.0.113.9", "count": 1}]));

    let (status, t) = get_json_as(&app, &format!("/api/timeline?{WINDOW}&step=15m"), Some(ADMIN)).await;
    assert_eq!(status, StatusCode::OK, "{t}");
    let points: Vec<(i64, i64, i64)> = t["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["requests"].as_i64().unwrap(), p["blocked"].as_i64().unwrap(), p["attacks"].as_i64().unwrap()))
        .collect();
    assert_eq!(points, [(155, 15, 4), (150, 15, 0), (150, 15, 0), (150, 15, 0)]);
    let (_, t) = get_json_as(&app, "/api/timeline?from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z&step=1h", Some(ADMIN)).await;
    let hours: Vec<(usize, i64, i64)> = t["points"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, p)| p["requests"] != json!(0) || p["attacks"] != json!(0))
        .map(|(i, p)| (i, p["requests"].as_i64().unwrap(), p["attacks"].as_i64().unwrap()))
        .collect();
    assert_eq!(hours, [(22, 605, 4), (23, 0, 1)]);

    // Pages with the node's name and a cursor; the new filters.
    let (status, page) = get_json_as(&app, "/api/verdicts?limit=2", Some(ADMIN)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(common::unique_ids(&page), ["late", "m1"]);
    assert_eq!(page["nodes"], json!(["edge-1", "edge-1"]));
    let next = page["next"].as_str().unwrap().to_owned();
    let (_, page) = get_json_as(&app, &format!("/api/verdicts?limit=2&before={next}"), Some(ADMIN)).await;
    assert_eq!(common::unique_ids(&page), ["a3", "a2"]);
    let next = page["next"].as_str().unwrap().to_owned();
    let (_, page) = get_json_as(&app, &format!("/api/verdicts?limit=2&before={next}"), Some(ADMIN)).await;
    assert_eq!((common::unique_ids(&page), &page["next"]), (vec!["a1".to_owned()], &Value::Null));
    for (query, want) in [
        ("node=edge-1&limit=1", vec!["late"]),
        ("group=staging", vec![]),
        ("source_ip=203.0.113.9", vec!["m1", "a2", "a1"]),
        ("rule_id=942100", vec!["m1", "a2", "a1"]),
        ("from=2026-11-25T22:02:00Z&to=2026-11-25T22:04:00Z", vec!["a3", "a2"]),
        ("action=monitored&host=api.example.com&application_id=9", vec!["m1"]),
    ] {
        let (status, page) = get_json_as(&app, &format!("/api/verdicts?{query}"), Some(ADMIN)).await;
        assert_eq!(status, StatusCode::OK, "{query}: {page}");
        assert_eq!(common::unique_ids(&page), want, "{query}");
    }

    let (status, nodes) = get_json_as(&app, "/api/nodes", Some(ADMIN)).await;
    assert_eq!(status, StatusCode::OK, "{nodes}");
    let nodes = nodes["nodes"].as_array().unwrap();
    let names: Vec<&str> = nodes.iter().map(|n| n["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["edge-1", "edge-2"]);
    assert_eq!(
        (&nodes[0]["group"], &nodes[0]["stale"], &nodes[0]["live_workers"], &nodes[0]["version"], &nodes[0]["ruleset_fingerprint"]),
        (&json!("prod"), &json!(false), &json!(1), &json!("0.1.0"), &json!("00ff"))
    );
    assert_eq!((&nodes[1]["stale"], &nodes[1]["last_seen"]), (&json!(true), &Value::Null));
    close(app, state).await;
}

/// A store written at version 4 (the rollup tables dropped, the version set back) is counted
/// into the rollups at the next start: the same summary as ingest built.
async fn upgrading_to_version_5_counts_what_is_stored(backend: Backend) {
    let (app, state) = backend.open(Some(ADMIN)).await;
    seed_console(&backend, &app).await;
    let long = "from=2026-11-23T23:59:00Z&to=2026-11-27T00:00:00Z";
    let (_, before) = get_json_as(&app, &format!("/api/summary?{long}"), Some(ADMIN)).await;
    close(app, state).await;
    match &backend {
        Backend::Sqlite(dir) => {
            let conn = rusqlite::Connection::open(dir.path().join("v.db")).unwrap();
            conn.execute_batch(
                "DROP TABLE verdict_rollup; DROP TABLE rule_messages; DROP TABLE counter_rollup; \
                 DROP TRIGGER counters_rollup_insert; DROP TRIGGER counters_rollup_update; \
                 DROP TRIGGER counters_rollup_delete; PRAGMA user_version = 4;",
            )
            .unwrap();
        }
        Backend::Postgres(server) => {
            server.psql(
                "verdicts",
                "DROP TABLE verdict_rollup; DROP TABLE rule_messages; DROP TABLE counter_rollup; \
                 DROP TRIGGER counters_rollup ON counters; DROP FUNCTION portcullis_counter_rollup(); \
                 UPDATE portcullis_schema SET version = 4",
            );
        }
    }
    let (app, state) = backend.open(Some(ADMIN)).await;
    let (_, after) = get_json_as(&app, &format!("/api/summary?{long}"), Some(ADMIN)).await;
    assert_eq!(after, before);
    assert_eq!((&after["totals"]["requests"], &after["verdicts"]), (&json!(605), &json!(5)));
    // Counters added after the upgrade keep the hour rollups in step.
    let edge = register_node_in(&backend.database(), "edge-3", None).await.unwrap();
    let r = counter_record("w3-c0", "w3", &format!("{HOUR}:59:59Z"), &[("shop.example.com", "7", "block", [0, 1])]);
    assert_eq!(post_counters(&app, r.to_string(), Some(&edge)).await.0, StatusCode::OK);
    assert_eq!(summary_counts(&app, long).await, (606, 5));
    close(app, state).await;
}

/// Two collectors on one store ingest batches at once whose verdicts share rules, sources and
/// hours, so every batch adds into the same rollup rows: none fails (no deadlock), and the
/// console counts each verdict once.
async fn verdict_batches_through_two_collectors_at_once_count_exactly(backend: Backend) {
    let (app_a, state_a) = backend.open(None).await;
    let (app_b, state_b) = backend.open(None).await;
    const BATCHES: usize = 16;
    const PER_BATCH: usize = 40;
    let rules = [(942100, "SQLi"), (930110, "LFI"), (941100, "XSS")];
    let tasks: Vec<_> = (0..BATCHES)
        .map(|b| {
            let app = if b % 2 == 0 { app_a.clone() } else { app_b.clone() };
            // Each batch lists its records in another order: the rows it adds into are the
            // same, the order it meets them in differs.
            let body = (0..PER_BATCH)
                .map(|i| {
                    let i = (i * (b + 1) + b) % PER_BATCH;
                    let ip = format!("203.0.113.{}", i % 5);
                    attack((i % 50) as u32, &format!("b{b}-{i}"), &ip, rules[(i + b) % 3], "")
                })
                .collect::<Vec<_>>()
                .join("\n");
            tokio::spawn(async move { post(&app, body, None).await })
        })
        .collect();
    for task in tasks {
        let (status, report) = task.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{report}");
        assert_eq!(report["accepted"], json!(PER_BATCH), "{report}");
    }
    let total = (BATCHES * PER_BATCH) as i64;
    for app in [&app_a, &app_b] {
        let (_, s) = get_json(app, &format!("/api/summary?{WINDOW}")).await;
        assert_eq!(s["verdicts"], json!(total), "{s}");
        let rules: i64 = s["top"]["rules"].as_array().unwrap().iter().map(|r| r["count"].as_i64().unwrap()).sum();
        assert_eq!(rules, total);
        let ips: i64 = s["top"]["source_ips"].as_array().unwrap().iter().map(|r| r["count"].as_i64().unwrap()).sum();
        assert_eq!(ips, total);
    }
    close(app_a, state_a).await;
    close(app_b, state_b).await;
}
