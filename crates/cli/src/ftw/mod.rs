//! `portcullis ftw`: go-ftw's regression tests, run in-process.
//!
//! The rule set is built once ([`setup`]); one [`Transaction`] is reused
//! (reset) for every stage. Each stage's request is built exactly as go-ftw
//! puts it on the wire ([`portcullis_testkit::ftw::request`]), run through
//! every phase with a simulated albedo backend ([`crate::exchange`]), and
//! judged by [`portcullis_testkit::ftw::check_stage`] on the log lines of
//! the matched rules that log, and the status (the interruption's, else the
//! backend's). Tests that need a real web server in front (a 400 for a
//! malformed request, say) fail here; they belong in the baseline.
//!
//! Exit status: without `--baseline`, 1 when any test failed; with it, 1
//! when a test not listed failed or a listed test passed; else 0.

pub mod report;
pub mod setup;

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::sync::Arc;
use std::time::Instant;

use portcullis_engine::{RuleSet, Transaction};
use portcullis_testkit::ftw::{self, build_request, check_stage, triggered_ids, FtwTest, StageOutcome};
use portcullis_testkit::{Baseline, TestFilter};

use crate::args::FtwArgs;
use crate::error::CliError;
use crate::source::FsSource;
use crate::{exchange, Outcome};
use report::{JsonReport, StageReport, Summary, TestReport, Verdict};

/// Run `ftw`.
pub fn run(args: &FtwArgs) -> Result<Outcome, CliError> {
    let files = ftw::load_dir(&args.tests).map_err(|e| CliError::input(e.path, e.message))?;
    let baseline = match &args.baseline {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, e))?;
            Some(Baseline::parse(&text).map_err(|e| CliError::input(path, e.to_string()))?)
        }
        None => None,
    };
    let filter = TestFilter::parse(&args.filter);

    let started = Instant::now();
    let rule_files = setup::RuleFiles::find(&args.rules_dir, args.include_setup.as_deref())?;
    let rules = RuleSet::builder()
        .build_entries(&FsSource::current_dir(), &rule_files.entries())
        .map_err(CliError::Rules)?;
    let build_seconds = started.elapsed().as_secs_f64();
    println!(
        "rules: {} rules from {} CRS files, built in {:.2}s, {}",
        rules.rule_count(),
        rule_files.rule_file_count(),
        build_seconds,
        crate::entries::human_bytes(rules.memory_usage())
    );

    let started = Instant::now();
    let mut tx = Transaction::new(Arc::new(rules));
    let mut reports = Vec::new();
    for file in &files {
        for test in &file.tests {
            let name = test.id();
            let known = baseline.as_ref().and_then(|b| b.get(&name)).map(|e| e.reason.clone());
            let mut report = if filter.selects(&name) {
                run_test(&mut tx, test, &file.path)
            } else {
                TestReport {
                    name,
                    rule_id: test.rule_id,
                    test_id: test.test_id,
                    file: file.path.clone(),
                    verdict: Verdict::Skipped,
                    known_failure: None,
                    stages: Vec::new(),
                }
            };
            report.known_failure = known;
            reports.push(report);
        }
    }
    let run_seconds = started.elapsed().as_secs_f64();

    let summary = print_results(&reports, args.verbose, baseline.is_some());
    if let Some(path) = &args.json {
        write_json(path, &JsonReport { summary, build_seconds, run_seconds, tests: &reports })?;
    }
    println!("ran {} tests in {:.2}s", summary.passed + summary.failed, run_seconds);
    if baseline.is_some() {
        println!(
            "baseline: {} known failures, {} new failures, {} fixed",
            summary.known_failures, summary.new_failures, summary.fixed
        );
    }
    println!("{}", summary.line());
    let bad = if baseline.is_some() { summary.new_failures + summary.fixed > 0 } else { summary.failed > 0 };
    Ok(if bad { Outcome::Findings } else { Outcome::Clean })
}

/// Run every stage of `test` (each a fresh request on the reset transaction).
fn run_test(tx: &mut Transaction, test: &FtwTest, file: &str) -> TestReport {
    let mut stages = Vec::with_capacity(test.stages.len());
    for (i, stage) in test.stages.iter().enumerate() {
        tx.reset();
        let report = match build_request(&stage.input) {
            Ok(req) => {
                let unique_id = format!("ftw-{}-{}-{}", test.rule_id, test.test_id, i + 1);
                let ex = exchange::run(tx, &req, &unique_id);
                let outcome = StageOutcome {
                    status: Some(ex.status),
                    error: None,
                    response: ex.response_bytes(),
                    log_lines: exchange::log_lines(tx),
                };
                let failures: Vec<String> = check_stage(&stage.output, &outcome).iter().map(ToString::to_string).collect();
                StageReport {
                    status: Some(ex.status),
                    interrupted_by: ex.interruption.as_ref().map(|i| i.rule_id.unwrap_or(0)),
                    triggered: triggered_ids(&outcome.log_lines),
                    log: if failures.is_empty() { Vec::new() } else { outcome.log_lines },
                    failures,
                }
            }
            Err(e) => StageReport {
                status: None,
                interrupted_by: None,
                triggered: Vec::new(),
                failures: vec![format!("cannot build the request: {e}")],
                log: Vec::new(),
            },
        };
        stages.push(report);
    }
    let verdict = if stages.iter().all(|s| s.failures.is_empty()) { Verdict::Passed } else { Verdict::Failed };
    TestReport {
        name: test.id(),
        rule_id: test.rule_id,
        test_id: test.test_id,
        file: file.to_string(),
        verdict,
        known_failure: None,
        stages,
    }
}

/// Print one line per failing test (and per fixed baseline entry; every test
/// with `verbose`); return the counts.
fn print_results(reports: &[TestReport], verbose: bool, with_baseline: bool) -> Summary {
    let mut s = Summary::default();
    for r in reports {
        match r.verdict {
            Verdict::Skipped => s.skipped += 1,
            Verdict::Passed => {
                s.passed += 1;
                if r.known_failure.is_some() {
                    s.fixed += 1;
                    println!("FIXED {}: passes now; remove it from the baseline", r.name);
                } else if verbose {
                    println!("ok    {}", r.name);
                }
            }
            Verdict::Failed => {
                s.failed += 1;
                match &r.known_failure {
                    Some(reason) if with_baseline => {
                        s.known_failures += 1;
                        if verbose {
                            println!("known {}: {} (baseline: {reason})", r.name, r.reasons());
                        }
                    }
                    _ => {
                        s.new_failures += 1;
                        println!("FAIL  {}: {}", r.name, r.reasons());
                    }
                }
                if verbose {
                    for (i, stage) in r.stages.iter().enumerate() {
                        for line in &stage.log {
                            println!("      [stage {}] {line}", i + 1);
                        }
                    }
                }
            }
        }
    }
    s
}

fn write_json(path: &std::path::Path, report: &JsonReport<'_>) -> Result<(), CliError> {
    let file = File::create(path).map_err(|e| CliError::io(path, e))?;
    let mut w = BufWriter::new(file);
    serde_json::to_writer_pretty(&mut w, report).map_err(|e| CliError::input(path, e.to_string()))?;
    w.write_all(b"\n").and_then(|()| w.flush()).map_err(|e| CliError::io(path, e))
}
