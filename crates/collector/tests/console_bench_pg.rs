//! Console query speed on PostgreSQL: `/api/summary` and `/api/timeline` over 1,000,000 verdicts
//! spread over 30 days from 3 nodes, with counters for every minute of those days from 3 nodes ×
//! 3 hosts (the shape of `console_bench.rs`, which measures SQLite). The verdicts go in through
//! the router as the filter sends them (batches of 250, four senders: PostgreSQL keeps the
//! rollups in each batch's transaction); the counter rows are written with one SQL statement
//! (the `counter_rollup` trigger keeps the hours and days). The server runs without fsync (the
//! fill is not what is measured). Run: `make bench-collector`, or
//! `cargo test -p portcullis-collector --release --test console_bench_pg -- --ignored --nocapture`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Instant;

use common::bench::{iso, time_console_queries, Rng};

use axum::http::StatusCode;
use common::pg::PgServer;
use portcullis_collector::{app, register_node_in, AppState, CollectorConfig, Database};

const VERDICTS: i64 = 1_000_000;
const PER_BATCH: i64 = 250;
const DAYS: i64 = 30;
const NODES: usize = 3;
const RUNS: usize = 7;
const DAY_MS: i64 = 86_400_000;

/// Batch `b` of the verdicts (records `b * PER_BATCH ..`), as its node would send it.
fn batch(b: i64, start: i64, rng: &mut Rng) -> String {
    let attacks = ["sqli", "xss", "lfi", "rce", "protocol", "scanner", "php", "java"];
    let hosts = ["shop.example.com", "api.example.com"];
    (b * PER_BATCH..(b + 1) * PER_BATCH)
        .map(|i| {
            let time = iso(start + i * (DAYS * DAY_MS / VERDICTS));
            let host = hosts[rng.below(2) as usize];
            let app = 1 + rng.below(3);
            let ip = format!("203.0.{}.{}", rng.skewed(8), rng.skewed(250));
            let attack = attacks[rng.skewed(attacks.len() as u64) as usize];
            let rule_id = 920_000 + rng.skewed(40) * 1010;
            let path = format!("/app/{}?q=payload{}", rng.skewed(300), rng.below(1000));
            let cves = if rng.below(10) == 0 { format!("\"CVE-2021-{}\"", 40_000 + rng.skewed(20)) } else { String::new() };
            let action = if rng.below(5) == 0 { "monitored" } else { "blocked" };
            format!(
                r#"{{"record_id":"bench-{i}","time":"{time}","unique_id":"req-{i:08}","application_id":{app},"host":"{host}","method":"GET","path":"{path}","source_ip":"{ip}","status":403,"action":"{action}","mode":"block","anomaly_score":10,"matched":[{{"id":{rule_id},"msg":"Rule {rule_id} matched","data":"Matched Data: payload","severity":"CRITICAL","tags":["attack-{attack}"],"phase":2}},{{"id":949110,"msg":"Inbound Anomaly Score Exceeded","data":"","severity":"","tags":[],"phase":2}}],"attack_types":["{attack}"],"cves":[{cves}]}}"#
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: prints query times; run with --ignored --nocapture (ideally --release)"]
async fn summary_and_timeline_over_a_million_verdicts_on_postgres() {
    let server = PgServer::start();
    let url = server.create_database("bench");
    let db = Database::Postgres(url.clone());
    let mut tokens = Vec::new();
    for n in 1..=NODES {
        let group = if n == 1 { "prod-eu" } else { "prod-us" };
        tokens.push(register_node_in(&db, &format!("edge-{n}"), Some(group)).await.unwrap());
    }
    let config = CollectorConfig { db_url: Some(url), insecure_no_auth: true, ..CollectorConfig::default() };
    let state = AppState::connect(&config).await.unwrap();
    let router = app(state.clone());
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let start = now_ms - DAYS * DAY_MS;

    // Counters: every minute of the 30 days, 3 nodes × 3 hosts (host i is application i).
    let started = Instant::now();
    let first_minute = start - start.rem_euclid(60_000);
    server.psql(
        "bench",
        &format!(
            "INSERT INTO counters (node, minute_ms, host, application_id, mode, requests, blocked, monitored, passed) \
             SELECT n.id, {first_minute} + m * 60000, h.host, h.app, 'block', r, r / 100, r / 400, r - r / 100 - r / 400 \
             FROM generate_series(0::BIGINT, {}) AS m, (SELECT id FROM nodes) AS n, \
             (VALUES ('shop.example.com', '1'), ('api.example.com', '2'), ('*', '3')) AS h (host, app), \
             LATERAL (SELECT 500 + ((m * 7919 + n.id * 104729 + length(h.host) * 31) % 1000) AS r) AS x",
            DAYS * 1440 - 1
        ),
    );
    println!("counters: {} rows in {:.1} s", DAYS * 1440 * 9, started.elapsed().as_secs_f64());

    // Verdicts through the router, each batch from one node, four senders.
    let started = Instant::now();
    let batches = VERDICTS / PER_BATCH;
    let senders: Vec<_> = (0..4i64)
        .map(|s| {
            let router = router.clone();
            let tokens = tokens.clone();
            tokio::spawn(async move {
                let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ s as u64);
                let mut b = s;
                while b < batches {
                    let token = &tokens[rng.below(NODES as u64) as usize];
                    let (status, report) = common::post(&router, batch(b, start, &mut rng), Some(token)).await;
                    assert_eq!(status, StatusCode::OK, "{report}");
                    assert_eq!(report["accepted"], PER_BATCH, "{report}");
                    b += 4;
                }
            })
        })
        .collect();
    for s in senders {
        s.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!("verdicts: {VERDICTS} through the router in {elapsed:.1} s = {:.0} verdicts/s", VERDICTS as f64 / elapsed);
    println!(
        "verdict_rollup rows: {}; database {}",
        server.psql("bench", "SELECT count(*) FROM verdict_rollup"),
        server.psql("bench", "SELECT pg_size_pretty(pg_database_size('bench'))")
    );
    server.psql("bench", "VACUUM ANALYZE");

    println!("| query | window | min ms | median ms | max ms | answer |");
    println!("|---|---|---:|---:|---:|---|");
    for (label, span_ms, filter) in [
        ("1 h (the default)", 3_600_000, ""),
        ("24 h", DAY_MS, ""),
        ("7 days", 7 * DAY_MS, ""),
        ("30 days (everything)", DAYS * DAY_MS, ""),
        ("30 days, group=prod-us", DAYS * DAY_MS, "&group=prod-us"),
        ("30 days, node=edge-2", DAYS * DAY_MS, "&node=edge-2"),
        ("30 days, node=edge-2, action=blocked", DAYS * DAY_MS, "&node=edge-2&action=blocked"),
        ("30 days, group=prod-us, host=api.example.com", DAYS * DAY_MS, "&group=prod-us&host=api.example.com"),
    ] {
        let window = format!("from={}&to={}{filter}", iso(now_ms - span_ms), iso(now_ms));
        time_console_queries(&router, label, &window, RUNS).await;
    }
    drop(router);
    drop(state);
}
