//! `portcullis lint ENTRY...`: build a rule set, print every diagnostic or
//! `ok: N rules` and the compiled size.

use portcullis_engine::{Config, RuleSet};

use crate::error::CliError;
use crate::source::FsSource;
use crate::entries::{self, Entries};
use crate::Outcome;

/// Run `lint`.
pub fn run(args: &crate::args::LintArgs) -> Result<Outcome, CliError> {
    let entries = Entries::new(&args.entries);
    let config = Config::new().skip_unsupported(args.skip_unsupported);
    match RuleSet::builder().config(config).build_entries(&FsSource::current_dir(), &entries.list()) {
        Ok(rules) => {
            for w in rules.warnings() {
                println!("warning: {w}");
            }
            if rules.skipped_rules() > 0 {
                println!("skipped: {} rules use constructs this engine does not support (listed above)", rules.skipped_rules());
            }
            println!("ok: {} rules", rules.rule_count());
            println!("memory: {}", entries::human_bytes(rules.memory_usage()));
            Ok(Outcome::Clean)
        }
        Err(e) => {
            for d in &e.diagnostics {
                println!("{d}");
            }
            let n = e.diagnostics.len();
            println!("{n} error{}", if n == 1 { "" } else { "s" });
            Ok(Outcome::Findings)
        }
    }
}
