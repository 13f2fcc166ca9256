//! One pooled transaction, reset between requests, decides exactly what a
//! fresh transaction decides: every part of the transaction resets itself
//! (request data, caches, flow, bodies). Runs the request corpus and every
//! stage of CRS's regression suite, attacks and benign requests interleaved,
//! through the exchange contract with CRS at PL2 (engine On, early request
//! decision on), and compares interruptions, matches and verdicts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use portcullis_engine::{RuleMatch, Verdict};
use portcullis_testkit::corpus::{self, Class};
use portcullis_testkit::{crs, ftw, HttpRequest};

fn requests() -> Vec<(String, HttpRequest)> {
    let mut attacks = Vec::new();
    let mut benign = Vec::new();
    for c in corpus::load_dir(&crs::corpus_dir()).unwrap_or_default() {
        let list = if c.class == Class::Attack { &mut attacks } else { &mut benign };
        list.push((c.name.clone(), c.to_http_request()));
    }
    if let Some(dir) = crs::locate().map(|d| d.join("tests/regression/tests")) {
        for f in ftw::load_dir(&dir).unwrap() {
            for t in &f.tests {
                for (i, s) in t.stages.iter().enumerate() {
                    if let Ok(r) = ftw::build_request(&s.input) {
                        attacks.push((format!("{}/{i}", t.id()), r));
                    }
                }
            }
        }
    }
    // Attack, benign, attack, ...: state a reset forgot shows up in the next request.
    let mut out = Vec::new();
    let mut b = benign.iter().cycle();
    for a in attacks {
        out.push(a);
        if let Some(x) = b.next() {
            out.push(x.clone());
        }
    }
    out
}

fn outcome(tx: &portcullis_engine::Transaction, v: Verdict) -> (Verdict, Vec<RuleMatch>) {
    (v, tx.matches().to_vec())
}

#[test]
fn a_pooled_transaction_decides_as_fresh_ones_do() {
    let setup = format!("SecRuleEngine On\nSecResponseBodyAccess On\n{}", common::paranoia(2));
    let Some(rs) = common::build_crs(&setup) else {
        eprintln!("skipped: no CRS");
        return;
    };
    let reqs = requests();
    assert!(reqs.len() > 3000, "{} requests", reqs.len());
    let mut pooled = rs.new_transaction();
    let mut differ = Vec::new();
    for (name, req) in &reqs {
        let v = common::run_verdict(&mut pooled, req);
        let reused = outcome(&pooled, v);
        let mut fresh_tx = rs.new_transaction();
        let v = common::run_verdict(&mut fresh_tx, req);
        let fresh = outcome(&fresh_tx, v);
        if reused != fresh {
            differ.push(format!("{name}: pooled {:?}\n  fresh {:?}", reused.0, fresh.0));
        }
    }
    eprintln!("{} requests through one pooled transaction", reqs.len());
    assert!(differ.is_empty(), "{} requests differ:\n{}", differ.len(), differ.join("\n"));
}
