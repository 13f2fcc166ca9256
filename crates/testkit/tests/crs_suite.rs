//! Reads the whole CRS v4.28.0 regression suite (from the CRS directory
//! `crs::locate()` finds) and checks the model and request building on every
//! case.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use portcullis_testkit::crs;
use portcullis_testkit::ftw::{self, build_request};

/// The suite's directory; `None` (the tests skip) without a CRS.
fn suite_dir() -> Option<PathBuf> {
    let dir = crs::locate().map(|d| d.join("tests/regression/tests"));
    if dir.is_none() {
        println!("skipped: no CRS (set CRS_DIR or run scripts/fetch-crs.sh)");
    }
    dir
}

/// Test cases in CRS v4.28.0: 3,934 in `*.yaml` files plus 37 in
/// `REQUEST-999-COMMON-EXCEPTIONS-AFTER/999999.yml` (go-ftw's glob `*.y*ml`
/// takes both), 3,977 stages.
const CASES: usize = 3971;
const STAGES: usize = 3977;

#[test]
fn reads_every_crs_test() {
    let Some(dir) = suite_dir() else { return };
    let files = ftw::load_dir(&dir).unwrap();
    let tests: Vec<_> = files.iter().flat_map(|f| &f.tests).collect();
    let stages: usize = tests.iter().map(|t| t.stages.len()).sum();
    println!("{} files, {} tests, {} stages", files.len(), tests.len(), stages);
    assert_eq!(files.len(), 281);
    assert_eq!(tests.len(), CASES);
    assert_eq!(stages, STAGES);

    // Names are unique, as go-ftw needs them to be.
    let mut names: Vec<String> = tests.iter().map(|t| t.id()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), CASES);

    // Every shape present in the suite was read.
    let outputs = || tests.iter().flat_map(|t| &t.stages).map(|s| &s.output);
    let inputs = || tests.iter().flat_map(|t| &t.stages).map(|s| &s.input);
    assert_eq!(outputs().filter(|o| !o.log.expect_ids.is_empty()).count(), 3095);
    assert_eq!(outputs().filter(|o| !o.log.no_expect_ids.is_empty()).count(), 818);
    assert_eq!(outputs().filter(|o| o.log.match_regex.is_some()).count(), 12);
    assert_eq!(outputs().filter(|o| o.log.no_match_regex.is_some()).count(), 38);
    assert_eq!(outputs().filter(|o| !o.status.is_empty()).count(), 23);
    assert_eq!(outputs().filter(|o| o.retry_once).count(), 5);
    assert_eq!(inputs().filter(|i| i.encoded_request.is_some()).count(), 10);
    assert_eq!(inputs().filter(|i| !i.autocomplete_headers).count(), 18);
    assert_eq!(inputs().filter(|i| i.data.is_some()).count(), 2027);

    // Every stage builds into a request.
    for t in &tests {
        for s in &t.stages {
            build_request(&s.input).unwrap_or_else(|e| panic!("{}: {e}", t.id()));
        }
    }
}

#[test]
fn templated_body_of_920400() {
    let Some(dir) = suite_dir() else { return };
    let f = ftw::load_file(&dir.join("REQUEST-920-PROTOCOL-ENFORCEMENT/920400.yaml")).unwrap();
    let req = build_request(&f.tests[0].stages[0].input).unwrap();
    // The template expands to 64,200 ones plus the multipart framing...
    assert!(req.body.len() > 64200 + 100, "body is {} bytes", req.body.len());
    // ...but the test's own Content-Length makes the server read 64,200 bytes.
    assert_eq!(req.header("Content-Length"), Some(&b"64200"[..]));
    assert_eq!(req.message_body().len(), 64200);
}
