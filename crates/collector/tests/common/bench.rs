//! What the console benchmarks (`console_bench.rs` on SQLite, `console_bench_pg.rs` on
//! PostgreSQL) share: a deterministic generator, so both stores get the same shape of data,
//! and the timing of the console's queries.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::Router;

/// xorshift64*: every run stores the same rows.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Skewed towards small values, as attack sources and rules are.
    pub fn skewed(&mut self, n: u64) -> u64 {
        let a = self.below(n);
        self.below(a + 1)
    }
}

/// RFC 3339 of UTC ms (whole seconds), for records and query strings.
pub fn iso(ms: i64) -> String {
    portcullis_wire::time::format_rfc3339_ms(ms)
}

/// Times `GET /api/summary` and `GET /api/timeline` over `window` (`from=…&to=…` and filters)
/// `runs` times each and prints a Markdown row per route: min, median and max ms, and what the
/// answer held. The first run reads cold pages; min and median are the warm figures.
pub async fn time_console_queries(router: &Router, label: &str, window: &str, runs: usize) {
    for route in ["summary", "timeline"] {
        let uri = format!("/api/{route}?{window}");
        let mut times: Vec<Duration> = Vec::new();
        let mut answer = String::new();
        for _ in 0..runs {
            let t = Instant::now();
            let (status, body) = super::get_json(router, &uri).await;
            times.push(t.elapsed());
            assert_eq!(status, StatusCode::OK, "{uri}: {body}");
            answer = if route == "summary" {
                format!("{} verdicts, {} requests", body["verdicts"], body["totals"]["requests"])
            } else {
                format!("{} points of {} s", body["points"].as_array().unwrap().len(), body["step_s"])
            };
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!("| {route} | {label} | {:.1} | {:.1} | {:.1} | {answer} |", ms(times[0]), ms(times[runs / 2]), ms(times[runs - 1]));
    }
}
