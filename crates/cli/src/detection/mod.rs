//! `portcullis eval-detection`: how well a configuration detects attacks and
//! lets benign traffic through, measured in-process over labelled corpora
//! (see [`corpus`]) for several configurations in the same run.
//!
//! Each request goes through the engine's exchange contract as in `eval`
//! (the filter's order of calls, the body as one chunk); it counts as
//! blocked when the transaction was interrupted in any phase. Without
//! `--config`, the configurations are the demo's default (`@builtin @crs`,
//! CRS at paranoia level 1), CRS alone at PL1 and CRS alone at PL2.

pub mod corpus;
pub mod report;

use std::sync::Arc;
use std::time::Instant;

use portcullis_engine::{Config, RuleSet, Transaction};

use crate::args::{DetectionArgs, NamedConfig};
use crate::entries::Entries;
use crate::error::CliError;
use crate::source::FsSource;
use crate::{exchange, Outcome};
use corpus::LabelledRequest;
use report::ConfigReport;

/// The SecLang that raises CRS's paranoia level to 2 (blocking and, by
/// CRS's default, detection); it must come before `@crs`, whose
/// initialisation only sets the level when it is unset.
pub const CRS_PL2: &str = "SecAction \"id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=2\"";

/// The demo's default configuration, CRS alone at PL1 and at PL2.
pub fn standard_configs() -> Vec<NamedConfig> {
    let c = |name: &str, rules: &[&str]| NamedConfig { name: name.into(), rules: rules.iter().map(|r| r.to_string()).collect() };
    vec![c("default", &["@builtin", "@crs"]), c("crs-pl1", &["@crs"]), c("crs-pl2", &[CRS_PL2, "@crs"])]
}

/// Run `eval-detection`: print the report, write the JSON one if asked.
pub fn run(args: &DetectionArgs) -> Result<Outcome, CliError> {
    let mut requests = Vec::new();
    for path in &args.corpora {
        requests.extend(corpus::read(path)?);
    }
    let configs = if args.configs.is_empty() { standard_configs() } else { args.configs.clone() };
    let mut reports = Vec::with_capacity(configs.len());
    for config in &configs {
        let rules = build(&config.rules)?;
        reports.push(measure(config, rules, &requests));
    }
    print!("{}", report::render(&reports));
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&reports).map_err(|e| CliError::input(path, e.to_string()))?;
        std::fs::write(path, json + "\n").map_err(|e| CliError::io(path, e))?;
        println!("\nJSON report: {}", path.display());
    }
    Ok(Outcome::Clean)
}

fn build(rules: &[String]) -> Result<Arc<RuleSet>, CliError> {
    let entries = Entries::new(rules);
    let set = RuleSet::builder()
        .config(Config::default())
        .build_entries(&FsSource::current_dir(), &entries.list())
        .map_err(CliError::Rules)?;
    Ok(Arc::new(set))
}

/// Every request through one rule set, on one reused transaction.
pub fn measure(config: &NamedConfig, rules: Arc<RuleSet>, requests: &[LabelledRequest]) -> ConfigReport {
    let start = Instant::now();
    let mut report = ConfigReport::new(&config.name, &config.rules);
    let mut tx = Transaction::new(rules);
    for req in requests {
        tx.reset();
        let ex = exchange::run(&mut tx, &req.to_http_request(), &req.id);
        let mut ids: Vec<i64> = Vec::new();
        for m in tx.matches().iter().filter(|m| m.log) {
            if !ids.contains(&m.rule_id.0) {
                ids.push(m.rule_id.0);
            }
        }
        report.record(req, ex.interruption.is_some(), ids);
    }
    report.elapsed_ms = start.elapsed().as_millis();
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_standard_configs() {
        let names: Vec<String> = standard_configs().into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["default", "crs-pl1", "crs-pl2"]);
    }

    /// The smoke test: an attack blocked and a benign request passed by
    /// `@builtin` (always embedded), counted in the right cells.
    #[test]
    fn measures_builtin() {
        let config = NamedConfig { name: "builtin".into(), rules: vec!["@builtin".into()] };
        let rules = build(&config.rules).unwrap();
        let reqs = [
            LabelledRequest::for_test("lfi", "path_traversal", "/view?file=../../../../etc/passwd"),
            LabelledRequest::for_test("ok", "benign", "/search?q=union+station+select+seats"),
        ];
        let r = measure(&config, rules, &reqs);
        assert_eq!(r.attacks.blocked, 1, "{:?}", r.missed);
        assert_eq!(r.benign.blocked, 0, "{:?}", r.false_positives);
        assert_eq!(r.by_class["path_traversal"].total, 1);
    }

    /// The generator's corpora are what the report promises: ≥ 2,000
    /// attacks over every class, placement and encoding, ≥ 1,000 benign
    /// requests of ≥ 20 kinds and nearly all distinct, unique ids, every
    /// line parsed.
    #[test]
    fn generated_corpora_have_the_promised_shape() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let dir = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("python3")
            .arg(root.join("tests/detection/generate.py"))
            .arg(dir.path())
            .stdout(std::process::Stdio::null())
            .status()
            .expect("python3 runs tests/detection/generate.py");
        assert!(status.success());
        let attacks = corpus::read(&dir.path().join("attacks.jsonl")).unwrap();
        let benign = corpus::read(&dir.path().join("benign.jsonl")).unwrap();
        assert!(attacks.len() >= 2000 && attacks.iter().all(|r| !r.is_benign()), "{}", attacks.len());
        assert!(benign.len() >= 1000 && benign.iter().all(LabelledRequest::is_benign), "{}", benign.len());
        let ids: std::collections::HashSet<&str> = attacks.iter().chain(&benign).map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), attacks.len() + benign.len());
        let distinct = |f: fn(&LabelledRequest) -> &str| {
            attacks.iter().map(f).collect::<std::collections::BTreeSet<_>>().len()
        };
        assert_eq!(distinct(|r| &r.class), 13);
        assert_eq!(distinct(|r| &r.placement), 9);
        assert_eq!(distinct(|r| &r.encoding), 6);
        let kinds: std::collections::BTreeSet<&str> = benign.iter().map(|r| r.placement.as_str()).collect();
        assert!(kinds.len() >= 20, "{kinds:?}");
        // Varied, not a few texts repeated: almost every request differs in its URI or body.
        let shapes: std::collections::HashSet<(&str, &str)> = benign.iter().map(|r| (r.uri.as_str(), r.body.as_str())).collect();
        assert!(shapes.len() * 100 >= benign.len() * 95, "{} distinct of {}", shapes.len(), benign.len());
        // Deterministic: a second run writes the same bytes.
        let again = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("python3")
            .arg(root.join("tests/detection/generate.py"))
            .arg(again.path())
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        for f in ["attacks.jsonl", "benign.jsonl"] {
            assert_eq!(std::fs::read(dir.path().join(f)).unwrap(), std::fs::read(again.path().join(f)).unwrap(), "{f}");
        }
    }
}
