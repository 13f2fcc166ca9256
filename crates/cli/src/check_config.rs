//! `portcullis check-config FILE...`: validate plugin configurations offline.
//!
//! Each file is handed to [`Plugin::build`] with the rule packs embedded in
//! this binary, which is exactly what the filter does in `on_configure`: the
//! same parser, the same checks, the same rule compilation and so the same
//! messages a sidecar would log. Every problem is printed on its own line,
//! prefixed with the file name; a good file gets a one-line summary.

use std::path::Path;

use portcullis_filter::plugin::Plugin;
use portcullis_rulepacks::Bundled;

use crate::args::CheckConfigArgs;
use crate::error::CliError;
use crate::Outcome;

/// Run `check-config`: every file is checked, even after a bad one.
///
/// # Errors
/// A file that cannot be read (exit status 2); problems in a file's content
/// are findings (exit status 1), not errors.
pub fn run(args: &CheckConfigArgs) -> Result<Outcome, CliError> {
    let source = Bundled::new();
    let mut outcome = Outcome::Clean;
    for path in &args.files {
        let bytes = std::fs::read(path).map_err(|e| CliError::io(path, e))?;
        match check(&bytes, &source) {
            Ok(summary) => println!("{}: ok: {summary}", path.display()),
            Err(problems) => {
                for line in prefixed(path, &problems) {
                    println!("{line}");
                }
                outcome = Outcome::Findings;
            }
        }
    }
    Ok(outcome)
}

/// Build the plugin from `bytes` as the filter would; on success, a summary
/// of what it runs.
///
/// # Errors
/// The filter's own messages, one per problem.
pub fn check(bytes: &[u8], source: &Bundled) -> Result<String, Vec<String>> {
    let plugin = Plugin::build(bytes, source)?;
    let hosts = plugin.policies().len().saturating_sub(1);
    let rules: usize = plugin.rule_sets().iter().map(|r| r.rule_count()).sum();
    Ok(format!(
        "mode {}, {hosts} host polic{}, {} rule set{} compiled ({rules} rules)",
        plugin.config.mode.name(),
        if hosts == 1 { "y" } else { "ies" },
        plugin.rule_sets().len(),
        if plugin.rule_sets().len() == 1 { "" } else { "s" },
    ))
}

/// Each problem as `FILE: problem`; a multi-line problem (a rule diagnostic
/// with its source line and caret) keeps its later lines as they are.
fn prefixed(path: &Path, problems: &[String]) -> Vec<String> {
    problems.iter().map(|p| format!("{}: {p}", path.display())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_str(json: &str) -> Result<String, Vec<String>> {
        check(json.as_bytes(), &Bundled::new())
    }

    #[test]
    fn a_good_configuration_is_summarised() {
        let summary = check_str(r#"{"mode":"monitor","rules":["@builtin"]}"#).unwrap();
        assert!(summary.starts_with("mode monitor, 0 host policies, 1 rule set compiled ("), "{summary}");
        assert_eq!(check_str(r#"{"mode":"off"}"#).unwrap(), "mode off, 0 host policies, 0 rule sets compiled (0 rules)");
        // Hosts sharing the default rules share its compiled rule set.
        let hosts = r#"{"hosts":{"a.example":{"mode":"monitor"},"*.example":{"mode":"off"},"b.example":{"rules":["SecRuleEngine On"]}}}"#;
        let summary = check_str(hosts).unwrap();
        assert!(summary.starts_with("mode block, 3 host policies, 2 rule sets compiled ("), "{summary}");
    }

    #[test]
    fn problems_are_the_filters_own_messages() {
        let bad = br#"{"mode":"loud"}"#;
        let ours = check(bad, &Bundled::new()).unwrap_err();
        let filters = Plugin::build(bad, &Bundled::new()).unwrap_err();
        assert_eq!(ours, filters);
        assert!(ours[0].starts_with("invalid plugin configuration: mode: unknown variant `loud`"), "{ours:?}");
        let rules = check_str(r#"{"rules":["SecRule ARGS \"@nosuchop x\" \"id:1,deny\""]}"#).unwrap_err();
        assert!(rules.iter().all(|p| p.starts_with("invalid rules: ")), "{rules:?}");
    }

    #[test]
    fn run_reports_every_file_and_fails_on_any_problem() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.json");
        let bad = dir.path().join("bad.json");
        std::fs::write(&good, "{}").unwrap();
        std::fs::write(&bad, r#"{"request_body_limit":"big"}"#).unwrap();
        let both = CheckConfigArgs { files: vec![bad.clone(), good.clone()] };
        assert_eq!(run(&both).unwrap(), Outcome::Findings);
        assert_eq!(run(&CheckConfigArgs { files: vec![good] }).unwrap(), Outcome::Clean);
        let missing = CheckConfigArgs { files: vec![dir.path().join("missing.json")] };
        assert!(matches!(run(&missing), Err(CliError::Io { .. })));
        let lines = prefixed(&bad, &["x".to_owned(), "y".to_owned()]);
        assert_eq!(lines, [format!("{}: x", bad.display()), format!("{}: y", bad.display())]);
    }
}
