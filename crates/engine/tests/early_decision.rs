//! The early request decision (`crate::early`) against CRS: it never blocks
//! a request that the full phase 2 (with the body) lets through, and it
//! does block attacks in the URL of requests that carry a body.
//!
//! Requests: the shared corpus, every stage of CRS's regression suite that
//! has a body, and each attack of the corpus sent again as a POST with a
//! benign form body. Each runs twice through the exchange contract, with
//! the early pass and without it, engine On, PL1 and PL2.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use portcullis_engine::{Config, Decision, RuleSet, Transaction};
use portcullis_testkit::corpus::{self, Class};
use portcullis_testkit::{crs, ftw, HttpRequest};

/// How one request went: blocked (status), and whether at the headers.
#[derive(Debug, PartialEq, Eq)]
struct Run {
    status: Option<u16>,
    at_headers: bool,
}

fn exchange(tx: &mut Transaction, req: &HttpRequest) -> Run {
    let (first, last) = common::request_decisions(tx, req);
    tx.on_end();
    let status = match last {
        Decision::Interrupt(i) => Some(i.status),
        _ => None,
    };
    Run { status, at_headers: matches!(first, Decision::Interrupt(_)) }
}

/// Requests with a body: CRS's suite, the corpus, and the corpus's attacks as POSTs.
fn requests() -> Vec<(String, HttpRequest)> {
    let mut out = Vec::new();
    let suite = crs::locate().map(|d| d.join("tests/regression/tests"));
    if let Some(dir) = suite {
        for f in ftw::load_dir(&dir).unwrap() {
            for t in &f.tests {
                for (i, s) in t.stages.iter().enumerate() {
                    if let Ok(r) = ftw::build_request(&s.input) {
                        out.push((format!("{}/{i}", t.id()), r));
                    }
                }
            }
        }
    }
    for c in corpus::load_dir(&crs::corpus_dir()).unwrap_or_default() {
        let r = c.to_http_request();
        if c.class == Class::Attack && r.message_body().is_empty() {
            let mut post = r.clone();
            post.method = b"POST".to_vec();
            post.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(b"content-length") && !k.eq_ignore_ascii_case(b"content-type"));
            post.headers.push((b"Content-Type".to_vec(), b"application/x-www-form-urlencoded".to_vec()));
            post.headers.push((b"Content-Length".to_vec(), b"15".to_vec()));
            post.body = b"name=Jo&count=2".to_vec();
            out.push((format!("{}-as-post", c.name), post));
        }
        out.push((c.name.clone(), r));
    }
    out.retain(|(_, r)| !r.message_body().is_empty());
    out
}

fn build(pl: u8, early: bool) -> Option<Arc<RuleSet>> {
    let setup = format!("SecRuleEngine On\n{}", common::paranoia(pl));
    common::build_crs_with(&setup, Config::new().early_request_decision(Some(early)))
}

fn check(pl: u8) {
    let (Some(full), Some(early)) = (build(pl, false), build(pl, true)) else {
        eprintln!("skipped: no CRS");
        return;
    };
    let reqs = requests();
    assert!(reqs.len() > 1000, "only {} requests with a body", reqs.len());
    let (mut tx_full, mut tx_early) = (full.new_transaction(), early.new_transaction());
    let (mut blocked, mut at_headers, mut unsound) = (0, 0, Vec::new());
    for (name, req) in &reqs {
        let f = exchange(&mut tx_full, req);
        let e = exchange(&mut tx_early, req);
        assert!(!f.at_headers || f.status.is_some(), "{name}");
        blocked += usize::from(f.status.is_some());
        if e.at_headers {
            at_headers += 1;
            if f.status != e.status {
                unsound.push(format!("{name}: early {:?}, full {:?}", e.status, f.status));
            }
        } else if e.status != f.status {
            unsound.push(format!("{name}: early pass changed the later decision: {:?} vs {:?}", e.status, f.status));
        }
    }
    eprintln!("PL{pl}: {} requests with a body, {blocked} blocked, {at_headers} of them at the headers", reqs.len());
    assert!(unsound.is_empty(), "{} requests decided differently:\n{}", unsound.len(), unsound.join("\n"));
    // Every corpus attack in the URL sent as a POST is refused at the headers.
    let mut late = Vec::new();
    for (name, req) in reqs.iter().filter(|(n, _)| n.ends_with("-as-post")) {
        let e = exchange(&mut tx_early, req);
        if e.status.is_some() && !e.at_headers {
            late.push(name.clone());
        }
    }
    assert!(late.is_empty(), "URL attacks decided only after the body: {late:?}");
}

#[test]
fn early_decision_is_sound_at_pl1() {
    check(1);
}

#[test]
fn early_decision_is_sound_at_pl2() {
    check(2);
}
