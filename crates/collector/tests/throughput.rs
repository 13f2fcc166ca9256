//! Ingest throughput: 100 batches of 256 records through the router into a temp SQLite file.
//! Run: `cargo test -p portcullis-collector --release --test throughput -- --ignored --nocapture`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Instant;

use axum::http::StatusCode;

const BATCHES: usize = 100;
const PER_BATCH: usize = 256;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: prints records/s; run with --ignored --nocapture (ideally --release)"]
async fn ingest_throughput() {
    let dir = tempfile::tempdir().unwrap();
    let (app, state) = common::open(&dir.path().join("bench.db"), None);
    // Build the bodies first so only ingest is timed. Realistic records: two matched rules.
    let bodies: Vec<String> = (0..BATCHES)
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
                    // With a record_id as the filter sends it: the UNIQUE index is part of the cost.
                    let record = common::full_record(&time, &format!("req-{n:08}"));
                    format!(
                        "{{\"record_id\":\"5d2f0c9a41b7e3d8a06c1f52b9e47d13-{n}\",{}\n",
                        &record[1..]
                    )
                })
                .collect()
        })
        .collect();
    let bytes: usize = bodies.iter().map(String::len).sum();

    let start = Instant::now();
    for body in bodies {
        let (status, report) = common::post(&app, body, None).await;
        assert_eq!(status, StatusCode::OK, "{report}");
    }
    let elapsed = start.elapsed();
    let records = (BATCHES * PER_BATCH) as f64;
    println!(
        "ingest: {} batches x {} records ({:.1} MiB) in {:.3} s = {:.0} records/s, {:.2} ms/batch",
        BATCHES,
        PER_BATCH,
        bytes as f64 / (1024.0 * 1024.0),
        elapsed.as_secs_f64(),
        records / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / BATCHES as f64
    );
    assert_eq!(
        common::ids(&app, "/api/verdicts?limit=1").await,
        vec![format!("req-{:08}", BATCHES * PER_BATCH - 1)]
    );
    drop(app);
    tokio::task::spawn_blocking(move || drop(state))
        .await
        .unwrap();
}
