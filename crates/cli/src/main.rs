//! `portcullis`: lint rules, evaluate one request, run go-ftw regression
//! tests in-process, check plugin configurations, measure detection over
//! labelled corpora, run the verdict collector.
//!
//! Shape (as ripgrep): `main` → [`run`] → one module per command. Errors are
//! printed once, here. Exit status: 0 ok, 1 findings (diagnostics, matched
//! rules, failing tests), 2 usage or I/O error.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod args;
mod check_config;
mod detection;
mod entries;
mod error;
mod eval;
mod exchange;
mod ftw;
mod lint;
mod source;

use std::process::ExitCode;

use args::Command;
use error::CliError;

/// How a command that ran to the end came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report (exit 0).
    Clean,
    /// Diagnostics, matches or failures were reported (exit 1).
    Findings,
    /// A delegated command chose its own exit status.
    Code(u8),
}

fn main() -> ExitCode {
    let result = args::parse(std::env::args_os().skip(1).collect()).and_then(run);
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Ok(Outcome::Code(c)) => ExitCode::from(c),
        Err(e) => {
            eprintln!("portcullis: error: {e}");
            if matches!(e, CliError::Usage(_)) {
                eprintln!("run `portcullis --help` for usage");
            }
            ExitCode::from(2)
        }
    }
}

/// Run one parsed command.
fn run(cmd: Command) -> Result<Outcome, CliError> {
    match cmd {
        Command::Lint(a) => lint::run(&a),
        Command::Eval(a) => eval::run(&a),
        Command::Ftw(a) => ftw::run(&a),
        Command::CheckConfig(a) => check_config::run(&a),
        Command::EvalDetection(a) => detection::run(&a),
        Command::Collector(a) => {
            let code = portcullis_collector::run_cli(&a);
            Ok(Outcome::Code(u8::try_from(code).unwrap_or(2)))
        }
        Command::Help => {
            print!("{}", args::USAGE);
            Ok(Outcome::Clean)
        }
        Command::Version => {
            println!("portcullis {}", env!("CARGO_PKG_VERSION"));
            Ok(Outcome::Clean)
        }
    }
}
