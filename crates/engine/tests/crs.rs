//! The engine against OWASP CRS: it loads unmodified, and the request corpus
//! (`tests/corpus`, or `PORTCULLIS_CORPUS`) gets the expected verdicts at PL1.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use portcullis_testkit::corpus::{self, Class};

#[test]
fn crs_loads_unmodified() {
    let t = std::time::Instant::now();
    let Some(rs) = common::build_crs("") else {
        eprintln!("skipped: no CRS (set CRS_DIR or run scripts/fetch-crs.sh)");
        return;
    };
    let stats = rs.stats();
    eprintln!("CRS loaded in {:?}: {stats:?}, {} KiB", t.elapsed(), rs.memory_usage() / 1024);
    assert!(stats.rule_ids > 600, "{stats:?}");
    assert!(rs.memory_usage() < 64 << 20);
}

#[test]
fn corpus_benign_requests_pass_at_pl1() {
    let Some(rs) = common::build_crs(&common::paranoia(1)) else { return };
    let reqs = corpus::load_dir(&portcullis_testkit::crs::corpus_dir()).unwrap_or_default();
    let benign: Vec<_> = reqs.iter().filter(|r| r.class == Class::Benign).collect();
    assert_eq!(benign.len(), 11, "corpus not found or changed");
    let mut tx = rs.new_transaction();
    let mut bad = Vec::new();
    for r in benign {
        common::run(&mut tx, &r.to_http_request());
        if let Some(i) = tx.interruption() {
            let ids: Vec<i64> = tx.matches().iter().map(|m| m.rule_id.get()).collect();
            bad.push(format!("{}: interrupted by {:?}, matched {ids:?}", r.name, i.rule_id));
        }
    }
    assert!(bad.is_empty(), "false positives:\n{}", bad.join("\n"));
}


