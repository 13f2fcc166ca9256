//! Ingest throughput: the same 100 batches of 256 records through the router into SQLite (a
//! temp file) and into PostgreSQL (a server the benchmark starts), one sender at a time and
//! four at once. `make bench-ingest` runs it:
//! `cargo test -p portcullis-collector --release --test throughput -- --ignored --nocapture`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Instant;

use axum::http::StatusCode;
use axum::Router;
use common::pg::PgServer;
use portcullis_collector::{app, AppState, CollectorConfig};

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

/// Posts every body with `senders` concurrent senders; returns records/s.
async fn ingest(app: &Router, bodies: Vec<String>, senders: usize) -> f64 {
    let bytes: usize = bodies.iter().map(String::len).sum();
    let mut queues: Vec<Vec<String>> = (0..senders).map(|_| Vec::new()).collect();
    for (i, body) in bodies.into_iter().enumerate() {
        queues[i % senders].push(body);
    }
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

async fn bench(name: &str, config: CollectorConfig) {
    let state = AppState::connect(&config).await.unwrap();
    let router = app(state.clone());
    println!("ingest into {name}:");
    ingest(&router, bodies(1), 1).await;
    ingest(&router, bodies(2), 4).await;
    assert_eq!(
        common::ids(&router, "/api/verdicts?limit=1").await,
        vec![format!("req-{:08}", BATCHES * PER_BATCH - 1)]
    );
    drop(router);
    tokio::task::spawn_blocking(move || drop(state))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: prints verdicts/s; run with --ignored --nocapture (ideally --release)"]
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
