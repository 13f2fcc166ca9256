//! Console query speed: `/api/summary` and `/api/timeline` over 1,000,000 stored verdicts spread
//! over 30 days, with counters for every minute of those 30 days from 3 nodes × 3 hosts.
//! The rows are written straight into a version-4 database, which the collector then upgrades
//! to version 5 (the rollup backfill is timed too); the queries go through the router.
//! Run: `make bench-collector`, or
//! `cargo test -p portcullis-collector --release --test console_bench -- --ignored --nocapture`.
//! With `PORTCULLIS_BENCH_DB=/path/bench.db` the filled database is kept there and reused by
//! the next run (only the queries are timed again).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Instant;

use common::bench::{iso, time_console_queries, Rng};

use axum::http::StatusCode;
use rusqlite::params;

const VERDICTS: i64 = 1_000_000;
const DAYS: i64 = 30;
const NODES: i64 = 3;
const HOSTS: [&str; 3] = ["shop.example.com", "api.example.com", "*"];
const RUNS: usize = 7;

fn fill(db: &std::path::Path, now_ms: i64) {
    let mut conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(
        "DROP TABLE verdict_rollup; DROP TABLE rule_messages; DROP TABLE counter_rollup;
         DROP TRIGGER IF EXISTS counters_rollup_insert; DROP TRIGGER IF EXISTS counters_rollup_update;
         DROP TRIGGER IF EXISTS counters_rollup_delete;
         PRAGMA user_version = 4;",
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    for n in 1..=NODES {
        tx.execute(
            "INSERT INTO nodes (id, name, grp, token_hash, created_ms, last_seen_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![n, format!("edge-{n}"), if n == 1 { "prod-eu" } else { "prod-us" }, format!("hash-{n}"), now_ms],
        )
        .unwrap();
    }
    let attacks = [
        "sqli", "xss", "lfi", "rce", "protocol", "scanner", "php", "java",
    ];
    let start = now_ms - DAYS * 86_400_000;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    {
        let mut verdict = tx
            .prepare(
                "INSERT INTO verdicts (id, time_ms, unique_id, action, application_id, host, source_ip, status, \
                 anomaly_score, record, record_id, node) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )
            .unwrap();
        let mut rule = tx
            .prepare("INSERT OR IGNORE INTO verdict_rules (verdict_id, rule_id, time_ms) VALUES (?1, ?2, ?3)")
            .unwrap();
        for i in 0..VERDICTS {
            let time_ms = start + i * (DAYS * 86_400_000 / VERDICTS);
            let node = 1 + rng.below(NODES as u64) as i64;
            let host = HOSTS[rng.below(2) as usize];
            let app = 1 + rng.below(3);
            let ip = format!("203.0.{}.{}", rng.skewed(8), rng.skewed(250));
            let attack = attacks[rng.skewed(attacks.len() as u64) as usize];
            let rule_id = 920_000 + rng.skewed(40) as i64 * 1010;
            let path = format!("/app/{}?q=payload{}", rng.skewed(300), rng.below(1000));
            let cves = if rng.below(10) == 0 {
                format!("\"CVE-2021-{}\"", 40_000 + rng.skewed(20))
            } else {
                String::new()
            };
            let action = if rng.below(5) == 0 {
                "monitored"
            } else {
                "blocked"
            };
            let unique_id = format!("req-{i:08}");
            let time = iso(time_ms);
            let record = format!(
                r#"{{"record_id":"bench-{i}","time":"{time}","unique_id":"{unique_id}","application_id":{app},"host":"{host}","method":"GET","path":"{path}","source_ip":"{ip}","status":403,"action":"{action}","mode":"block","anomaly_score":10,"matched":[{{"id":{rule_id},"msg":"Rule {rule_id} matched","data":"Matched Data: payload","severity":"CRITICAL","tags":["attack-{attack}"],"phase":2}},{{"id":949110,"msg":"Inbound Anomaly Score Exceeded","data":"","severity":"","tags":[],"phase":2}}],"attack_types":["{attack}"],"cves":[{cves}]}}"#
            );
            verdict
                .execute(params![
                    i + 1,
                    time_ms,
                    unique_id,
                    action,
                    app.to_string(),
                    host,
                    ip,
                    403,
                    10,
                    record,
                    format!("bench-{i}"),
                    node
                ])
                .unwrap();
            rule.execute(params![i + 1, rule_id, time_ms]).unwrap();
            rule.execute(params![i + 1, 949_110, time_ms]).unwrap();
        }
        let mut counter = tx
            .prepare(
                "INSERT INTO counters (node, minute_ms, host, application_id, mode, requests, blocked, monitored, passed) \
                 VALUES (?1, ?2, ?3, ?4, 'block', ?5, ?6, ?7, ?5 - ?6 - ?7)",
            )
            .unwrap();
        let first_minute = start - start.rem_euclid(60_000);
        for m in 0..DAYS * 1440 {
            for node in 1..=NODES {
                for (h, host) in HOSTS.iter().enumerate() {
                    let requests = 500 + rng.below(1000) as i64;
                    counter
                        .execute(params![
                            node,
                            first_minute + m * 60_000,
                            host,
                            (1 + h).to_string(),
                            requests,
                            requests / 100,
                            requests / 400
                        ])
                        .unwrap();
                }
            }
        }
    }
    tx.commit().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: prints query times; run with --ignored --nocapture (ideally --release)"]
async fn summary_and_timeline_over_a_million_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let kept = std::env::var_os("PORTCULLIS_BENCH_DB").map(std::path::PathBuf::from);
    let reuse = kept.as_ref().is_some_and(|p| p.exists());
    let db = kept.unwrap_or_else(|| dir.path().join("bench.db"));
    let now_ms = if reuse {
        // The windows end where the kept data ends.
        rusqlite::Connection::open(&db)
            .unwrap()
            .query_row("SELECT max(time_ms) + 1 FROM verdicts", [], |r| r.get(0))
            .unwrap()
    } else {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64
    };
    if !reuse {
        let (app, state) = common::open(&db, None);
        drop(app);
        tokio::task::spawn_blocking(move || drop(state))
            .await
            .unwrap();
    }
    if !reuse {
        let started = Instant::now();
        let path = db.clone();
        tokio::task::spawn_blocking(move || fill(&path, now_ms))
            .await
            .unwrap();
        println!(
            "filled {VERDICTS} verdicts and {} counter rows in {:.1} s",
            DAYS * 1440 * NODES * HOSTS.len() as i64,
            started.elapsed().as_secs_f64()
        );
    }

    let started = Instant::now();
    let path = db.clone();
    let (app, state) = tokio::task::spawn_blocking(move || common::open(&path, None))
        .await
        .unwrap();
    println!(
        "upgrade to schema 5 (rollup backfill): {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let rows: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM verdict_rollup", [], |r| r.get(0))
        .unwrap();
    let size: u64 = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!(
        "verdict_rollup rows: {rows}; database {:.0} MiB",
        size as f64 / (1024.0 * 1024.0)
    );

    println!("| query | window | min ms | median ms | max ms | answer |");
    println!("|---|---|---:|---:|---:|---|");
    for (label, span_ms, filter) in [
        ("1 h (the default)", 3_600_000, ""),
        ("24 h", 86_400_000, ""),
        ("7 days", 7 * 86_400_000, ""),
        ("30 days (everything)", DAYS * 86_400_000, ""),
        (
            "30 days, group=prod-us",
            DAYS * 86_400_000,
            "&group=prod-us",
        ),
        ("30 days, node=edge-2", DAYS * 86_400_000, "&node=edge-2"),
        (
            "7 days, node=edge-2, action=blocked",
            7 * 86_400_000,
            "&node=edge-2&action=blocked",
        ),
        (
            "30 days, node=edge-2, action=blocked",
            DAYS * 86_400_000,
            "&node=edge-2&action=blocked",
        ),
        (
            "30 days, group=prod-us, host=api.example.com",
            DAYS * 86_400_000,
            "&group=prod-us&host=api.example.com",
        ),
    ] {
        let window = format!("from={}&to={}{filter}", iso(now_ms - span_ms), iso(now_ms));
        time_console_queries(&app, label, &window, RUNS).await;
    }

    // Ingest into the full store with the rollups' upkeep, every record its own source IP,
    // path and rule (the worst case for the in-memory summing of a batch), spread over an hour.
    let mut rng = Rng(7);
    let run = rng.next();
    let bodies: Vec<String> = (0..100)
        .map(|b| {
            (0..256)
                .map(|i| {
                    let t = iso(now_ms - 3_600_000 + (b * 256 + i) * 140);
                    format!(
                        r#"{{"record_id":"ingest-{run}-{b}-{i}","time":"{t}","unique_id":"in-{b}-{i}","action":"blocked","host":"shop.example.com","application_id":1,"path":"/p/{}?x=1","source_ip":"10.{}.{}.{}","matched":[{{"id":{},"msg":"m"}},{{"id":949110,"msg":"score"}}],"attack_types":["sqli"],"cves":[]}}"#,
                        rng.below(100_000), rng.below(256), rng.below(256), rng.below(256), 900_000 + rng.below(5000)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    let started = Instant::now();
    for body in bodies {
        let (status, report) = common::post(&app, body, None).await;
        assert_eq!(status, StatusCode::OK, "{report}");
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!("ingest into this store, distinct facets per record: 25600 records in {elapsed:.2} s = {:.0} records/s", 25_600.0 / elapsed);
    drop(app);
    tokio::task::spawn_blocking(move || drop(state))
        .await
        .unwrap();
}
