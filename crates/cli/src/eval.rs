//! `portcullis eval`: one request through all phases; prints the log lines
//! of the rules that matched, the interruption and the anomaly scores.
//!
//! Exit status 1 ("findings") when a logging rule matched or the request was
//! interrupted, 0 when the request went through silently.

use std::sync::Arc;

use portcullis_engine::{Config, InterruptAction, RuleEngineMode, RuleSet, Transaction};
use portcullis_testkit::{parse_raw_request, CorpusRequest, HttpRequest};

use crate::args::{EvalArgs, EvalInput};
use crate::entries::Entries;
use crate::error::CliError;
use crate::source::FsSource;
use crate::{exchange, Outcome};

/// Run `eval`.
pub fn run(args: &EvalArgs) -> Result<Outcome, CliError> {
    let request = read_request(&args.input)?;
    let mut config = Config::default();
    if args.detection_only {
        config.rule_engine = Some(RuleEngineMode::DetectionOnly);
    }
    let entries = Entries::new(&args.rules);
    let rules = RuleSet::builder()
        .config(config)
        .build_entries(&FsSource::current_dir(), &entries.list())
        .map_err(CliError::Rules)?;
    let mut tx = Transaction::new(Arc::new(rules));
    let ex = exchange::run(&mut tx, &request, "portcullis-eval");

    let mut logged = 0;
    for m in tx.matches() {
        if m.log {
            logged += 1;
            println!("{}", m.log_line());
        } else if args.verbose {
            println!("(nolog) {}", m.log_line());
        }
    }
    match &ex.interruption {
        Some(i) => {
            let by = i.rule_id.map(|r| format!(" by rule {r}")).unwrap_or_default();
            let action = match &i.action {
                InterruptAction::Deny => "deny".to_string(),
                InterruptAction::Drop => "drop".to_string(),
                InterruptAction::Redirect(url) => format!("redirect to {url}"),
                InterruptAction::BodyLimit => "body limit".to_string(),
            };
            println!("interruption: {action}, status {}{by} in phase {}", i.status, i.phase);
        }
        None => println!("interruption: none (status {})", ex.status),
    }
    let v = &ex.verdict;
    println!("anomaly score: inbound {}, outbound {}", v.anomaly_score, v.outbound_anomaly_score);
    println!("engine: {:?}", v.mode);
    println!("verdict: {}{}", v.outcome.name(), v.deciding_rule.map(|r| format!(" (rule {r})")).unwrap_or_default());
    Ok(if logged > 0 || ex.interruption.is_some() { Outcome::Findings } else { Outcome::Clean })
}

fn read_request(input: &EvalInput) -> Result<HttpRequest, CliError> {
    match input {
        EvalInput::Corpus(path) => {
            let bytes = std::fs::read(path).map_err(|e| CliError::io(path, e))?;
            let req = CorpusRequest::from_slice(&bytes).map_err(|e| CliError::input(path, e.to_string()))?;
            Ok(req.to_http_request())
        }
        EvalInput::Raw(path) => {
            let bytes = std::fs::read(path).map_err(|e| CliError::io(path, e))?;
            Ok(parse_raw_request(&bytes))
        }
    }
}
