//! Engine throughput on the request corpus with CRS at PL1 and PL2.
//!
//! `cargo bench -p portcullis-engine --bench corpus` prints, per request,
//! microseconds per request and requests/s, plus rule-set load time and size.
//! With `PORTCULLIS_BENCH_ONLY=<corpus name>` and `PORTCULLIS_BENCH_PL=<n>` it
//! runs just that request, `PORTCULLIS_BENCH_ITERS` times (default 1000),
//! inside `measured_requests`: run it under
//! `valgrind --tool=callgrind --toggle-collect='*measured_requests*'` for
//! instruction counts. `PORTCULLIS_BENCH_RULES=builtin` runs the built-in
//! pack instead of CRS; `PORTCULLIS_BENCH_RULES=default` both in one rule
//! set (`@builtin` then CRS, the demo's default).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use portcullis_engine::{RuleSet, Transaction};
use portcullis_testkit::corpus;
use portcullis_testkit::HttpRequest;

#[inline(never)]
fn measured_requests(tx: &mut Transaction, req: &HttpRequest, iters: u32) {
    for _ in 0..iters {
        common::run(tx, black_box(req));
        black_box(tx.matches().len());
    }
}

fn time_request(rs: &std::sync::Arc<RuleSet>, req: &HttpRequest) -> Duration {
    let mut tx = rs.new_transaction();
    measured_requests(&mut tx, req, 20);
    // Repeat until ~200 ms have passed; report the best of 5 rounds.
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let mut n = 0u32;
        while start.elapsed() < Duration::from_millis(40) {
            measured_requests(&mut tx, req, 20);
            n += 20;
        }
        best = best.min(start.elapsed() / n);
    }
    best
}

/// The process's peak resident set (KiB) from `/proc/self/status` (Linux);
/// after the first load it is what loading the rules cost, corpus included.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let only = std::env::var("PORTCULLIS_BENCH_ONLY").ok();
    let pls: Vec<u8> = match std::env::var("PORTCULLIS_BENCH_PL") {
        Ok(p) => p.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
        Err(_) => vec![1, 2],
    };
    let reqs = corpus::load_dir(&portcullis_testkit::crs::bench_corpus_dir()).unwrap_or_else(|e| panic!("{e}"));
    for pl in pls {
        let t = Instant::now();
        let rs = match std::env::var("PORTCULLIS_BENCH_RULES").as_deref() {
            Ok("builtin") => Some(common::build_builtin()),
            Ok("default") => common::build_default(&common::paranoia(pl)),
            _ => common::build_crs(&common::paranoia(pl)),
        };
        let Some(rs) = rs else {
            eprintln!("no CRS found (set CRS_DIR)");
            return;
        };
        let load = t.elapsed();
        if let Some(name) = &only {
            let iters = std::env::var("PORTCULLIS_BENCH_ITERS").ok().and_then(|s| s.parse().ok()).unwrap_or(1000);
            let Some(r) = reqs.iter().find(|r| r.name.starts_with(name.as_str())) else {
                eprintln!("no corpus request named {name}");
                return;
            };
            let req = r.to_http_request();
            let mut tx = rs.new_transaction();
            common::run(&mut tx, &req);
            measured_requests(&mut tx, &req, iters);
            println!("ran {} x{iters} at PL{pl}", r.name);
            continue;
        }
        println!(
            "CRS PL{pl}: loaded in {load:?}, {} rules, ~{} KiB compiled, process peak RSS {}",
            rs.rule_count(),
            rs.memory_usage() / 1024,
            peak_rss().map_or_else(|| "unknown".to_string(), |k| format!("{:.1} MiB", k as f64 / 1024.0)),
        );
        println!("{:<32} {:>10} {:>12}  verdict", "request", "µs/req", "req/s");
        for r in &reqs {
            let req = r.to_http_request();
            let d = time_request(&rs, &req);
            let mut tx = rs.new_transaction();
            common::run(&mut tx, &req);
            let verdict = match tx.interruption() {
                Some(i) => format!("blocked by {:?}", i.rule_id),
                None => "pass".to_string(),
            };
            println!("{:<32} {:>10.1} {:>12.0}  {verdict}", r.name, d.as_secs_f64() * 1e6, 1.0 / d.as_secs_f64());
        }
    }
}
