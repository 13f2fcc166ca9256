//! Ingest throughput through the router, into SQLite (a temp file) and into PostgreSQL (a
//! server the benchmark starts), one sender at a time and four at once:
//! - verdicts: the same 100 batches of 256 records;
//! - counter records: 2,000 records of 8 keys each, one per worker interval as the filter sends
//!   them, each sender a registered node (its token looked up per record, as in production).
//!
//! `make bench-ingest` runs it:
//! `cargo test -p portcullis-collector --release --test throughput -- --ignored --nocapture`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Instant;

use axum::http::StatusCode;
use axum::Router;
use common::counters::{counter_record, post_counters};
use common::pg::PgServer;
use portcullis_collector::{app, register_node_in, AppState, CollectorConfig};

const BATCHES: usize = 100;
const PER_BATCH: usize = 256;

/// The bodies, built before timing. Realistic records: two matched rules and a `record_id` as
/// the filter sends it (the unique index is part of the cost).
fn bodies(run: usize) -> Vec<String> {
    (0..BATCHES)
        .map(|b| {
            (0..PER_BATCH)
                .map(|i| {
                    let n = b * PER_BATCH + i;
                    let time = format!(
                        "2026-11-25T22:{:02}:{:02}.{:03}Z",
                        n / 60_000 % 60,
                        n / 1000 % 60,
                        n % 1000
                    );
                    let record = common::full_record(&time, &format!("req-{n:08}"));
                    format!(
                        "{{\"record_id\":\"5d2f0c9a41b7e3d8a06c1f52b9e47d13-{run}-{n}\",{}\n",
                        &record[1..]
                    )
                })
                .collect()
        })
        .collect()
}

/// The bodies dealt round-robin into one queue per sender.
fn deal(bodies: Vec<String>, senders: usize) -> Vec<Vec<String>> {
    let mut queues: Vec<Vec<String>> = (0..senders).map(|_| Vec::new()).collect();
    for (i, body) in bodies.into_iter().enumerate() {
        queues[i % senders].push(body);
    }
    queues
}

/// Posts every body with `senders` concurrent senders; returns records/s.
async fn ingest(app: &Router, bodies: Vec<String>, senders: usize) -> f64 {
    let bytes: usize = bodies.iter().map(String::len).sum();
    let queues = deal(bodies, senders);
    let start = Instant::now();
    let tasks: Vec<_> = queues
        .into_iter()
        .map(|queue| {
            let app = app.clone();
            tokio::spawn(async move {
                for body in queue {
                    let (status, report) = common::post(&app, body, None).await;
                    assert_eq!(status, StatusCode::OK, "{report}");
                    assert_eq!(report["accepted"], PER_BATCH, "{report}");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = start.elapsed();
    let records = (BATCHES * PER_BATCH) as f64;
    let rate = records / elapsed.as_secs_f64();
    println!(
        "  {senders} sender(s): {BATCHES} batches x {PER_BATCH} records ({:.1} MiB) in {:.3} s = \
         {rate:.0} verdicts/s, {:.2} ms/batch",
        bytes as f64 / (1024.0 * 1024.0),
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / BATCHES as f64
    );
    rate
}

const COUNTER_RECORDS: usize = 2000;
/// Keys per counter record: 4 hosts, each in block and monitor mode.
const KEYS: usize = 8;
/// Nodes (one per sender) of the counter benchmark.
const NODES: usize = 4;

/// `COUNTER_RECORDS` counter records, built before timing: 16 workers, one record per worker
/// per second (so each minute's rows take 60 records of each worker), 8 keys each.
fn counter_bodies(run: usize) -> Vec<String> {
    let hosts = ["shop.example.com", "api.example.com", "admin.example.com", "*"];
    (0..COUNTER_RECORDS)
        .map(|n| {
            let (worker, second) = (n % 16, n / 16);
            let time = format!("2026-11-25T{:02}:{:02}:{:02}.000Z", 10 + run, second / 60 % 60, second % 60);
            let entries: Vec<(&str, &str, &str, [u64; 2])> = hosts
                .iter()
                .flat_map(|h| [(*h, "7", "block", [1, 40]), (*h, "7", "monitor", [2, 10])])
                .collect();
            counter_record(&format!("{run:02}{worker:030x}-c{second}"), &format!("{run:02}{worker:030x}"), &time, &entries)
                .to_string()
        })
        .collect()
}

/// Posts every counter record, sender `k` as node `tokens[k]`; returns records/s.
async fn ingest_counters(app: &Router, bodies: Vec<String>, tokens: &[String]) -> f64 {
    let senders = tokens.len();
    let queues = deal(bodies, senders);
    let start = Instant::now();
    let tasks: Vec<_> = queues
        .into_iter()
        .zip(tokens.iter().cloned())
        .map(|(queue, token)| {
            let app = app.clone();
            tokio::spawn(async move {
                for body in queue {
                    let (status, answer) = post_counters(&app, body, Some(&token)).await;
                    assert_eq!(status, StatusCode::OK, "{answer}");
                    assert_eq!(answer["result"], "accepted", "{answer}");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = start.elapsed();
    let rate = COUNTER_RECORDS as f64 / elapsed.as_secs_f64();
    println!(
        "  {senders} sender(s): {COUNTER_RECORDS} counter records x {KEYS} keys in {:.3} s = \
         {rate:.0} counter records/s ({:.0} keys/s), {:.2} ms/record",
        elapsed.as_secs_f64(),
        rate * KEYS as f64,
        elapsed.as_secs_f64() * 1000.0 / COUNTER_RECORDS as f64
    );
    rate
}

async fn bench(name: &str, config: CollectorConfig) {
    let mut tokens = Vec::new();
    for i in 0..NODES {
        tokens.push(register_node_in(&config.database(), &format!("bench-{i}"), None).await.unwrap());
    }
    let state = AppState::connect(&config).await.unwrap();
    let router = app(state.clone());
    println!("ingest into {name}:");
    ingest(&router, bodies(1), 1).await;
    ingest(&router, bodies(2), 4).await;
    assert_eq!(
        common::ids(&router, "/api/verdicts?limit=1").await,
        vec![format!("req-{:08}", BATCHES * PER_BATCH - 1)]
    );
    ingest_counters(&router, counter_bodies(1), &tokens[..1]).await;
    ingest_counters(&router, counter_bodies(2), &tokens).await;
    // Every count arrived: 2 runs x records x (4 hosts x (41 + 12)) requests.
    let requests: i64 = state.counter_totals(0).await.unwrap().iter().map(|t| t.counts[0]).sum();
    assert_eq!(requests, (2 * COUNTER_RECORDS * 4 * 53) as i64);
    drop(router);
    tokio::task::spawn_blocking(move || drop(state))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: prints verdicts/s and counter records/s; run with --ignored --nocapture (ideally --release)"]
async fn ingest_throughput() {
    let dir = tempfile::tempdir().unwrap();
    bench("SQLite", common::config(&dir.path().join("bench.db"), None)).await;

    // PostgreSQL's defaults: fsync on, synchronous commit (each batch durable when answered;
    // SQLite above runs synchronous=NORMAL, durable across a process crash only).
    let server = PgServer::start_with(true);
    let url = server.create_database("bench");
    bench(
        "PostgreSQL (local server, fsync on)",
        CollectorConfig {
            db_url: Some(url),
            ..common::config(dir.path(), None)
        },
    )
    .await;
}
