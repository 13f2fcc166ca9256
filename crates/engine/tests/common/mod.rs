//! Building CRS (the directory `crs::locate()` finds) for engine tests and benchmarks.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]


use std::sync::Arc;

use portcullis_engine::{Config, Decision, MemorySource, RuleEntry, RuleSet, Transaction, Verdict};
use portcullis_testkit::{crs, HttpRequest};

/// CRS with the base config, `extra` SecLang inserted after crs-setup.
/// `None` when no CRS directory is found, so the caller skips; a panic
/// instead when `PORTCULLIS_REQUIRE_CRS=1` (set by scripts/wasm-runner.sh,
/// where a skip would hide a wrong preopen).
pub fn build_crs(extra: &str) -> Option<Arc<RuleSet>> {
    build_crs_with(extra, bench_config())
}

/// The engine config of tests and benchmarks: `PORTCULLIS_BENCH_EARLY=0`
/// turns the early request decision off (to measure what it costs).
pub fn bench_config() -> Config {
    let early = std::env::var("PORTCULLIS_BENCH_EARLY").ok().map(|v| v != "0");
    Config::new().early_request_decision(early)
}

/// [`build_crs`] with `config` over the rules' own settings.
pub fn build_crs_with(extra: &str, config: Config) -> Option<Arc<RuleSet>> {
    build_crs_after(&[], extra, config)
}

/// The demo's default: `@builtin` (this repository's `rules/builtin`), then
/// CRS as [`build_crs`] builds it, in one rule set.
pub fn build_default(extra: &str) -> Option<Arc<RuleSet>> {
    build_crs_after(&builtin_files(), extra, bench_config())
}

/// `rules/builtin/*` in name order, as (source name, bytes).
fn builtin_files() -> Vec<(String, Vec<u8>)> {
    let dir = portcullis_testkit::crs::workspace().join("rules/builtin");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().filter_map(|e| e.file_name().to_str().map(str::to_string)).collect())
        .unwrap_or_default();
    names.sort();
    names.iter().map(|n| (format!("builtin/{n}"), std::fs::read(dir.join(n)).unwrap_or_else(|e| panic!("{n}: {e}")))).collect()
}

/// CRS after the files `before` (their `.conf` files are loaded as rules).
fn build_crs_after(before: &[(String, Vec<u8>)], extra: &str, config: Config) -> Option<Arc<RuleSet>> {
    let Some(dir) = crs::locate() else {
        if std::env::var_os("PORTCULLIS_REQUIRE_CRS").is_some_and(|v| v == "1") {
            panic!("no CRS found (CRS_DIR, ../shared/crs/v4.28.0 or tmp/crs/v4.28.0) and PORTCULLIS_REQUIRE_CRS=1");
        }
        return None;
    };
    let files = crs::read(&dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    let base = crs::base_config().unwrap_or_else(|e| panic!("rules/base/recommended.conf: {e}"));
    let mut src = MemorySource::new();
    for (name, bytes) in files.files.iter().chain(before.iter()) {
        src = src.with(name, bytes.clone());
    }
    let mut entries: Vec<RuleEntry<'_>> = before.iter().filter(|(n, _)| n.ends_with(".conf")).map(|(n, _)| RuleEntry::Source(n)).collect();
    entries.extend([
        RuleEntry::Text { name: "rules/base/recommended.conf", text: &base },
        RuleEntry::Source("crs/crs-setup.conf.example"),
        RuleEntry::Text { name: "setup", text: extra },
    ]);
    entries.extend(files.rule_files.iter().map(|f| RuleEntry::Source(f)));
    match RuleSet::builder().config(config).build_entries(&src, &entries) {
        Ok(r) => Some(Arc::new(r)),
        Err(e) => panic!("CRS failed to load:\n{e}"),
    }
}

/// Paranoia level setup for CRS (blocking and detection).
pub fn paranoia(pl: u8) -> String {
    format!("SecAction \"id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level={pl}\"")
}

/// Run a request through the exchange contract, as the filter drives it
/// (the body as one chunk; an HTML response without a body), on a reset
/// transaction.
pub fn run(tx: &mut Transaction, req: &HttpRequest) {
    run_verdict(tx, req);
}

/// [`run`], returning the engine's verdict.
pub fn run_verdict(tx: &mut Transaction, req: &HttpRequest) -> Verdict {
    let (_, last) = request_decisions(tx, req);
    if !matches!(last, Decision::Interrupt(_)) {
        tx.add_response_header(b"Content-Type", b"text/html");
        tx.on_response_headers(200, b"HTTP/1.1", false);
    }
    tx.on_end()
}

/// The request side of `req` through the contract on a reset transaction:
/// the decision at the headers, and the last one (the same when no body
/// was needed).
pub fn request_decisions(tx: &mut Transaction, req: &HttpRequest) -> (Decision, Decision) {
    tx.reset();
    tx.process_connection("192.0.2.10", 40000, "192.0.2.1", 80);
    tx.process_uri(&req.uri, &req.method, &req.version);
    for (k, v) in &req.headers {
        tx.add_request_header(k, v);
    }
    let body = req.message_body();
    let at_headers = tx.on_request_headers(!body.is_empty());
    let last = match at_headers {
        Decision::NeedBody => tx.on_request_body(&body, true),
        ref d => d.clone(),
    };
    (at_headers, last)
}

/// The built-in pack (`rules/builtin/*.conf`), read from the repository.
pub fn build_builtin() -> Arc<RuleSet> {
    let all = builtin_files();
    let mut src = MemorySource::new();
    for (n, bytes) in &all {
        src = src.with(n, bytes.clone());
    }
    let files: Vec<String> = all.iter().map(|(n, _)| n.clone()).filter(|n| n.ends_with(".conf")).collect();
    let entries: Vec<RuleEntry<'_>> = files.iter().map(|f| RuleEntry::Source(f)).collect();
    match RuleSet::builder().config(bench_config()).build_entries(&src, &entries) {
        Ok(r) => Arc::new(r),
        Err(e) => panic!("@builtin failed to load:\n{e}"),
    }
}
