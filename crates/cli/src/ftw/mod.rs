//! `portcullis ftw`: go-ftw's regression tests, run in-process or through
//! a live Envoy with the filter ([`envoy`], `--target`).
//!
//! In-process, the rule set is built once ([`setup`]); one [`Transaction`] is reused
//! (reset) for every stage. Each stage's request is built exactly as go-ftw
//! puts it on the wire ([`portcullis_testkit::ftw::request`]), run through
//! every phase with a simulated albedo backend ([`crate::exchange`]), and
//! judged by [`portcullis_testkit::ftw::check_stage`] on the log lines of
//! the matched rules that log, and the status (the interruption's, else the
//! backend's). Tests that need a real web server in front (a 400 for a
//! malformed request, say) fail here; they belong in the baseline.
//!
//! Through Envoy, each stage's bytes go to Envoy, the status is Envoy's
//! answer and the log is the filter's lines in Envoy's log between go-ftw
//! style log markers ([`waflog`]); the backend is [`albedo`]. The same
//! checks judge both. A stage that fails and says `retry_once` is run once
//! more, as go-ftw does.
//!
//! Exit status: without `--baseline`, 1 when any test failed; with it, 1
//! when a test not listed failed or a listed test passed; else 0.

pub mod albedo;
pub mod driver;
pub mod envoy;
pub mod report;
pub mod setup;
pub mod waflog;

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::sync::Arc;
use std::time::Instant;

use portcullis_engine::{RuleSet, Transaction};
use portcullis_testkit::ftw::{self, build_request, check_stage, triggered_ids, wire_bytes, FtwTest, Stage, StageOutcome};
use portcullis_testkit::{Baseline, TestFilter};

use crate::args::{EnvoyArgs, FtwArgs};
use crate::error::CliError;
use crate::source::FsSource;
use crate::{exchange, Outcome};
use report::{JsonReport, StageReport, Summary, TestReport, Verdict};

/// Run `ftw`.
pub fn run(args: &FtwArgs) -> Result<Outcome, CliError> {
    if let Some(path) = &args.write_plugin_config {
        return write_plugin_config(path, args.include_setup.as_deref());
    }
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
    let mut runner = match (&args.envoy, args.through_driver) {
        (Some(e), _) => Runner::Envoy(through_envoy(e)?),
        (None, true) => Runner::Driver(through_driver(args)?),
        (None, false) => Runner::InProcess(Box::new(in_process(args)?)),
    };
    let build_seconds = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut reports = Vec::new();
    for file in &files {
        for test in &file.tests {
            let name = test.id();
            let known = baseline.as_ref().and_then(|b| b.get(&name)).map(|e| e.reason.clone());
            let mut report = if filter.selects(&name) {
                run_test(&mut runner, test, &file.path)?
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

/// Where stages run.
enum Runner {
    /// In-process: one transaction, reset for every stage.
    InProcess(Box<Transaction>),
    /// Through a live Envoy.
    Envoy(envoy::EnvoyRun),
    /// Through the filter's Driver over a fake host.
    Driver(driver::DriverRun),
}

/// Build the rule set of `args.rules_dir` for an in-process run.
fn in_process(args: &FtwArgs) -> Result<Transaction, CliError> {
    let started = Instant::now();
    let rule_files = setup::RuleFiles::find(&args.rules_dir, args.include_setup.as_deref())?;
    let rules = RuleSet::builder()
        .build_entries(&FsSource::current_dir(), &rule_files.entries())
        .map_err(CliError::Rules)?;
    println!(
        "rules: {} rules from {} CRS files, built in {:.2}s, {}",
        rules.rule_count(),
        rule_files.rule_file_count(),
        started.elapsed().as_secs_f64(),
        crate::entries::human_bytes(rules.memory_usage())
    );
    Ok(Transaction::new(Arc::new(rules)))
}

/// Build the filter's plugin with the CRS test setup (as the Envoy run's configuration).
fn through_driver(args: &FtwArgs) -> Result<driver::DriverRun, CliError> {
    let setup = match &args.include_setup {
        Some(f) => std::fs::read_to_string(f).map_err(|e| CliError::io(f, e))?,
        None => setup::CRS_TEST_SETUP.to_string(),
    };
    let run = driver::DriverRun::new(&setup::envoy_plugin_config(&setup)).map_err(|e| CliError::input("<plugin configuration>", e))?;
    println!("through: the filter's Driver over a fake host (embedded CRS)");
    Ok(run)
}

/// Start the backend (when asked), open Envoy's log and check both with a first marker.
fn through_envoy(e: &EnvoyArgs) -> Result<envoy::EnvoyRun, CliError> {
    let target = envoy::parse_target(&e.target).map_err(CliError::Usage)?;
    let backend = match &e.backend {
        Some(addr) => Some(albedo::Albedo::start(addr).map_err(|err| CliError::io(addr, err))?),
        None => None,
    };
    let backend_addr = backend.as_ref().map(albedo::Albedo::addr);
    let log = waflog::WafLog::open(&e.log).map_err(|err| CliError::io(&e.log, err))?;
    let run = envoy::EnvoyRun::start(target, log, backend).map_err(|err| CliError::input(&e.log, err.to_string()))?;
    println!("target: Envoy at {target}, log {}", e.log.display());
    if let Some(b) = &backend_addr {
        println!("backend: albedo on {b}");
    }
    Ok(run)
}

/// Write the filter's plugin configuration for an Envoy run and stop.
fn write_plugin_config(path: &std::path::Path, include_setup: Option<&std::path::Path>) -> Result<Outcome, CliError> {
    let setup = match include_setup {
        Some(f) => std::fs::read_to_string(f).map_err(|e| CliError::io(f, e))?,
        None => setup::CRS_TEST_SETUP.to_string(),
    };
    let mut text = serde_json::to_string_pretty(&setup::envoy_plugin_config(&setup))
        .map_err(|e| CliError::input(path, e.to_string()))?;
    text.push('\n');
    std::fs::write(path, text).map_err(|e| CliError::io(path, e))?;
    Ok(Outcome::Clean)
}

/// Run every stage of `test`; a failing stage with `retry_once` runs once more.
fn run_test(runner: &mut Runner, test: &FtwTest, file: &str) -> Result<TestReport, CliError> {
    let mut stages = Vec::with_capacity(test.stages.len());
    for (i, stage) in test.stages.iter().enumerate() {
        let mut report = run_stage(runner, test, i, stage)?;
        if !report.failures.is_empty() && stage.output.retry_once {
            report = run_stage(runner, test, i, stage)?;
        }
        stages.push(report);
    }
    let verdict = if stages.iter().all(|s| s.failures.is_empty()) { Verdict::Passed } else { Verdict::Failed };
    Ok(TestReport {
        name: test.id(),
        rule_id: test.rule_id,
        test_id: test.test_id,
        file: file.to_string(),
        verdict,
        known_failure: None,
        stages,
    })
}

/// Run stage `i` of `test` (a fresh request) and judge it.
fn run_stage(runner: &mut Runner, test: &FtwTest, i: usize, stage: &Stage) -> Result<StageReport, CliError> {
    let req = match build_request(&stage.input) {
        Ok(req) => req,
        Err(e) => {
            return Ok(StageReport {
                status: None,
                interrupted_by: None,
                triggered: Vec::new(),
                failures: vec![format!("cannot build the request: {e}")],
                log: Vec::new(),
                upstream: Vec::new(),
            })
        }
    };
    let (outcome, interrupted_by, upstream) = match runner {
        Runner::InProcess(tx) => {
            tx.reset();
            let unique_id = format!("ftw-{}-{}-{}", test.rule_id, test.test_id, i + 1);
            let ex = exchange::run(tx, &req, &unique_id);
            let outcome = StageOutcome {
                status: Some(ex.status),
                error: None,
                response: ex.response_bytes(),
                log_lines: exchange::log_lines(tx),
            };
            (outcome, ex.interruption.as_ref().map(|i| i.rule_id.map_or(0, portcullis_engine::RuleId::get)), Vec::new())
        }
        Runner::Driver(run) => {
            let unique_id = format!("ftw-{}-{}-{}", test.rule_id, test.test_id, i + 1);
            let (outcome, interrupted_by) = run.stage(&req, &unique_id);
            (outcome, interrupted_by, Vec::new())
        }
        Runner::Envoy(run) => {
            // build_request accepted the input, so wire_bytes does too.
            let wire = wire_bytes(&stage.input).unwrap_or_default();
            let st = run
                .stage(&wire, &req.method)
                .map_err(|e| CliError::input(run.log_path(), format!("{}: {e}", test.id())))?;
            (st.outcome, None, st.upstream)
        }
    };
    let failures: Vec<String> = check_stage(&stage.output, &outcome).iter().map(ToString::to_string).collect();
    let failed = !failures.is_empty();
    Ok(StageReport {
        status: outcome.status,
        interrupted_by,
        triggered: triggered_ids(&outcome.log_lines),
        log: if failed { outcome.log_lines } else { Vec::new() },
        upstream: if failed { upstream } else { Vec::new() },
        failures,
    })
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
                        for head in &stage.upstream {
                            println!("      [stage {}] backend got: {head:?}", i + 1);
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
