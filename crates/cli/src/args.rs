//! Command-line parsing: what was typed, checked for shape, as plain data.
//! Nothing is opened or compiled here; each command turns its arguments
//! into ready objects itself.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::error::CliError;

/// The top-level usage text.
pub const USAGE: &str = "\
portcullis: a SecLang (ModSecurity rule language) WAF engine, on the command line

USAGE:
    portcullis lint [--skip-unsupported] ENTRY...
    portcullis eval --rules ENTRY... (--request FILE.json | --raw FILE.http) [--detection-only] [-v]
    portcullis ftw --rules-dir DIR --tests DIR [--include-setup FILE] [--json FILE]
                   [--baseline FILE] [--filter SPEC] [-v]
                   [--through engine|driver | --target http://HOST:PORT --log FILE [--backend ADDR]]
    portcullis ftw --write-plugin-config FILE [--include-setup FILE]
    portcullis check-config FILE...
    portcullis eval-detection --corpus FILE.jsonl... [--config NAME=ENTRY[,ENTRY...]]... [--json FILE]
    portcullis collector ARGS...
    portcullis help | --help | --version

ENTRY is a rule file, a glob (rules/*.conf), a bundle (@builtin, @crs, @crs/rules/<file>)
or SecLang text given inline (e.g. 'SecRuleEngine DetectionOnly').

COMMANDS:
    lint       build a rule set; print every diagnostic (file:line:col) or `ok: N rules`;
               --skip-unsupported skips (and lists) rules using constructs this engine
               does not support (regex look-around/backreferences, @rbl, ...)
    eval       run one request (a corpus JSON file or a raw HTTP request) through all
               phases; print the matched rules' log lines, the interruption, the score
    ftw        run go-ftw YAML regression tests against a CRS directory, in-process or
               through a live Envoy with the filter (--target)
    check-config
               validate plugin configurations (the JSON of Envoy's `configuration`, Istio's
               `pluginConfig`) offline, as the filter does on load: same parser, same rule
               packs, same messages; each problem on its own line as `FILE: problem`, or
               `FILE: ok: ...`
    eval-detection
               run labelled requests (JSON Lines, tests/detection/generate.py) through
               several configurations in-process; print true-positive rates per attack
               class, placement and encoding, the true-negative rate and the benign
               requests blocked (with rule ids); default configurations: default
               (@builtin @crs, PL1), crs-pl1, crs-pl2
    collector  run the verdict collector (see `portcullis collector --help`)

FTW OPTIONS:
    --rules-dir DIR        CRS directory (crs-setup.conf[.example] and rules/*.conf)
    --tests DIR            directory of go-ftw tests (*.yaml, *.yml), searched recursively
    --include-setup FILE   use FILE instead of the built-in CRS test setup
    --json FILE            write per-test results as JSON
    --baseline FILE        known failures (<rule_id>-<test_id><TAB><reason>); fail only on
                           new failures and on listed tests that now pass
    --filter SPEC          e.g. 942100,-920,920100-4 (prefixes of rule ids or test names;
                           '-' excludes; the last match wins)
    -v, --verbose          print every test, and the log lines of failing ones
    --through driver       run each stage through the filter's own Driver over a fake host
                           (the request as Envoy hands it over; embedded CRS, monitor mode)
                           instead of the engine directly (--through engine, the default)
    --target URL           send each stage to Envoy at http://HOST:PORT instead of running
                           in-process; the status is Envoy's answer
    --log FILE             Envoy's log (--log-path): the filter's ModSecurity lines between
                           log markers are each stage's log (required with --target)
    --backend ADDR         serve the CRS test backend (albedo) on ADDR (127.0.0.1:PORT), the
                           address of Envoy's backend cluster
    --write-plugin-config FILE
                           write the filter's plugin configuration for these tests (CRS test
                           setup, marker rule) to FILE and exit; --tests not needed

EXIT STATUS:
    0 ok; 1 findings (diagnostics, matched rules, failing tests); 2 usage or I/O error
";

/// A parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `lint`.
    Lint(LintArgs),
    /// `eval`.
    Eval(EvalArgs),
    /// `ftw`.
    Ftw(FtwArgs),
    /// `check-config`.
    CheckConfig(CheckConfigArgs),
    /// `eval-detection`.
    EvalDetection(DetectionArgs),
    /// `collector`: arguments passed through untouched.
    Collector(Vec<String>),
    /// `help`, `--help`, `-h`.
    Help,
    /// `--version`, `-V`.
    Version,
}

/// `portcullis lint ENTRY...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LintArgs {
    /// Rule entries, in load order.
    pub entries: Vec<String>,
    /// `--skip-unsupported`: skip rules using unsupported constructs and
    /// report each, instead of failing.
    pub skip_unsupported: bool,
}

/// `portcullis check-config FILE...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckConfigArgs {
    /// Plugin configuration files (JSON), checked in order.
    pub files: Vec<PathBuf>,
}

/// `portcullis eval ...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalArgs {
    /// Rule entries, in load order.
    pub rules: Vec<String>,
    /// The request.
    pub input: EvalInput,
    /// Force `SecRuleEngine DetectionOnly`.
    pub detection_only: bool,
    /// Also print matches of `nolog` rules.
    pub verbose: bool,
}

/// Where `eval` reads its request from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalInput {
    /// A corpus JSON file.
    Corpus(PathBuf),
    /// Raw HTTP/1.x request bytes.
    Raw(PathBuf),
}

/// `portcullis ftw ...`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FtwArgs {
    /// The CRS directory.
    pub rules_dir: PathBuf,
    /// The tests directory (or one file).
    pub tests: PathBuf,
    /// A setup file replacing the built-in CRS test setup.
    pub include_setup: Option<PathBuf>,
    /// Where to write JSON results.
    pub json: Option<PathBuf>,
    /// The known-failures file.
    pub baseline: Option<PathBuf>,
    /// Test filter spec.
    pub filter: String,
    /// Print every test.
    pub verbose: bool,
    /// Run through a live Envoy instead of in-process.
    pub envoy: Option<EnvoyArgs>,
    /// Write the plugin configuration for an Envoy run here and exit.
    pub write_plugin_config: Option<PathBuf>,
    /// Run through the filter's Driver over a fake host (`--through driver`).
    pub through_driver: bool,
}

/// `portcullis ftw --target URL --log FILE [--backend ADDR]`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct EnvoyArgs {
    /// `http://HOST:PORT` of Envoy's listener.
    pub target: String,
    /// Envoy's log file.
    pub log: PathBuf,
    /// Where to serve the albedo backend, if this process should.
    pub backend: Option<String>,
}

/// `portcullis eval-detection ...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetectionArgs {
    /// Corpora (JSON Lines), attack and benign requests mixed or not.
    pub corpora: Vec<PathBuf>,
    /// Named configurations, in report order; empty for the standard ones (`detection::standard_configs`).
    pub configs: Vec<NamedConfig>,
    /// Where to write the JSON report.
    pub json: Option<PathBuf>,
}

/// A configuration under test: a name and rule entries in load order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedConfig {
    /// Its column in the report.
    pub name: String,
    /// Rule entries (bundles, files or inline SecLang), as `eval --rules` takes them.
    pub rules: Vec<String>,
}

impl NamedConfig {
    /// Parse `NAME=ENTRY[,ENTRY...]` (inline SecLang may not hold a comma).
    pub fn parse(spec: &str) -> Result<NamedConfig, CliError> {
        let (name, rules) = spec
            .split_once('=')
            .ok_or_else(|| CliError::Usage(format!("eval-detection: --config takes NAME=ENTRY[,ENTRY...], not {spec:?}")))?;
        let rules: Vec<String> = rules.split(',').map(str::trim).filter(|r| !r.is_empty()).map(String::from).collect();
        if name.is_empty() || rules.is_empty() {
            return Err(CliError::Usage(format!("eval-detection: --config {spec:?} needs a name and at least one entry")));
        }
        Ok(NamedConfig { name: name.to_string(), rules })
    }
}

/// Parse `args` (without the program name).
pub fn parse(args: Vec<OsString>) -> Result<Command, CliError> {
    let mut args = args
        .into_iter()
        .map(|a| a.into_string().map_err(|a| CliError::Usage(format!("argument is not UTF-8: {a:?}"))))
        .collect::<Result<Vec<String>, _>>()?
        .into_iter();
    let Some(cmd) = args.next() else {
        return Err(CliError::Usage("no command given".into()));
    };
    let rest: Vec<String> = args.collect();
    match cmd.as_str() {
        "lint" => parse_lint(rest),
        "eval" => parse_eval(rest),
        "ftw" => parse_ftw(rest),
        "check-config" => parse_check_config(rest),
        "eval-detection" => parse_eval_detection(rest),
        "collector" => Ok(Command::Collector(rest)),
        "help" | "--help" | "-h" => Ok(Command::Help),
        "--version" | "-V" | "version" => Ok(Command::Version),
        other => Err(CliError::Usage(format!("unknown command {other:?}"))),
    }
}

/// Splits `--name=value` and serves flag values.
struct Flags {
    items: Vec<String>,
    pos: usize,
}

impl Flags {
    fn new(args: Vec<String>) -> Flags {
        let mut items = Vec::with_capacity(args.len());
        for a in args {
            match a.split_once('=') {
                Some((name, value)) if a.starts_with("--") => {
                    items.push(name.to_string());
                    items.push(value.to_string());
                }
                _ => items.push(a),
            }
        }
        Flags { items, pos: 0 }
    }

    fn next(&mut self) -> Option<String> {
        let item = self.items.get(self.pos).cloned();
        self.pos += 1;
        item
    }

    /// The value of flag `name`.
    fn value(&mut self, name: &str) -> Result<String, CliError> {
        match self.next() {
            Some(v) if !v.starts_with("--") => Ok(v),
            _ => Err(CliError::Usage(format!("{name} needs a value"))),
        }
    }

    /// Values up to the next `--flag` (at least one).
    fn values(&mut self, name: &str) -> Result<Vec<String>, CliError> {
        let mut out = Vec::new();
        while let Some(v) = self.items.get(self.pos) {
            if v.starts_with("--") || (v.starts_with('-') && v.len() == 2) {
                break;
            }
            out.push(v.clone());
            self.pos += 1;
        }
        if out.is_empty() {
            return Err(CliError::Usage(format!("{name} needs at least one value")));
        }
        Ok(out)
    }
}

fn parse_lint(args: Vec<String>) -> Result<Command, CliError> {
    let mut entries = Vec::new();
    let mut skip_unsupported = false;
    for a in args {
        match a.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--skip-unsupported" => skip_unsupported = true,
            s if s.starts_with('-') && s.len() > 1 => return Err(CliError::Usage(format!("lint: unknown option {s}"))),
            _ => entries.push(a),
        }
    }
    if entries.is_empty() {
        return Err(CliError::Usage("lint: give at least one rule file or bundle".into()));
    }
    Ok(Command::Lint(LintArgs { entries, skip_unsupported }))
}

fn parse_check_config(args: Vec<String>) -> Result<Command, CliError> {
    let mut files = Vec::new();
    for a in args {
        match a.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            s if s.starts_with('-') && s.len() > 1 => {
                return Err(CliError::Usage(format!("check-config: unknown option {s}")))
            }
            _ => files.push(PathBuf::from(a)),
        }
    }
    if files.is_empty() {
        return Err(CliError::Usage("check-config: give at least one plugin configuration file".into()));
    }
    Ok(Command::CheckConfig(CheckConfigArgs { files }))
}

fn parse_eval(args: Vec<String>) -> Result<Command, CliError> {
    let mut flags = Flags::new(args);
    let (mut rules, mut input, mut detection_only, mut verbose) = (Vec::new(), None, false, false);
    while let Some(a) = flags.next() {
        match a.as_str() {
            "--rules" => rules.extend(flags.values("--rules")?),
            "--request" => set_once(&mut input, EvalInput::Corpus(flags.value("--request")?.into()))?,
            "--raw" => set_once(&mut input, EvalInput::Raw(flags.value("--raw")?.into()))?,
            "--detection-only" => detection_only = true,
            "-v" | "--verbose" => verbose = true,
            "-h" | "--help" => return Ok(Command::Help),
            other => return Err(CliError::Usage(format!("eval: unexpected argument {other:?}"))),
        }
    }
    if rules.is_empty() {
        return Err(CliError::Usage("eval: --rules is required".into()));
    }
    let input = input.ok_or_else(|| CliError::Usage("eval: give --request FILE.json or --raw FILE.http".into()))?;
    Ok(Command::Eval(EvalArgs { rules, input, detection_only, verbose }))
}

fn parse_eval_detection(args: Vec<String>) -> Result<Command, CliError> {
    let mut flags = Flags::new(args);
    let mut out = DetectionArgs { corpora: Vec::new(), configs: Vec::new(), json: None };
    while let Some(a) = flags.next() {
        match a.as_str() {
            "--corpus" => out.corpora.extend(flags.values("--corpus")?.into_iter().map(PathBuf::from)),
            "--config" => out.configs.push(NamedConfig::parse(&flags.value("--config")?)?),
            "--json" => out.json = Some(flags.value("--json")?.into()),
            "-h" | "--help" => return Ok(Command::Help),
            other => return Err(CliError::Usage(format!("eval-detection: unexpected argument {other:?}"))),
        }
    }
    if out.corpora.is_empty() {
        return Err(CliError::Usage("eval-detection: give at least one --corpus FILE.jsonl".into()));
    }
    Ok(Command::EvalDetection(out))
}

fn set_once(slot: &mut Option<EvalInput>, value: EvalInput) -> Result<(), CliError> {
    if slot.is_some() {
        return Err(CliError::Usage("eval: give only one of --request and --raw".into()));
    }
    *slot = Some(value);
    Ok(())
}

fn parse_ftw(args: Vec<String>) -> Result<Command, CliError> {
    let mut flags = Flags::new(args);
    let mut out = FtwArgs::default();
    let (mut rules_dir, mut tests) = (None, None);
    let (mut target, mut log, mut backend) = (None, None, None);
    let mut filters = Vec::new();
    while let Some(a) = flags.next() {
        match a.as_str() {
            "--rules-dir" => rules_dir = Some(PathBuf::from(flags.value("--rules-dir")?)),
            "--tests" => tests = Some(PathBuf::from(flags.value("--tests")?)),
            "--include-setup" => out.include_setup = Some(flags.value("--include-setup")?.into()),
            "--json" => out.json = Some(flags.value("--json")?.into()),
            "--baseline" => out.baseline = Some(flags.value("--baseline")?.into()),
            // A value may start with one `-` (`--filter -920`): only `--` ends it.
            "--filter" => filters.push(flags.value("--filter")?),
            "-v" | "--verbose" => out.verbose = true,
            "--target" => target = Some(flags.value("--target")?),
            "--log" => log = Some(PathBuf::from(flags.value("--log")?)),
            "--backend" => backend = Some(flags.value("--backend")?),
            "--write-plugin-config" => out.write_plugin_config = Some(flags.value("--write-plugin-config")?.into()),
            "--through" => match flags.value("--through")?.as_str() {
                "driver" => out.through_driver = true,
                "engine" => out.through_driver = false,
                other => return Err(CliError::Usage(format!("ftw: --through takes engine or driver, not {other:?}"))),
            },
            "-h" | "--help" => return Ok(Command::Help),
            other => return Err(CliError::Usage(format!("ftw: unexpected argument {other:?}"))),
        }
    }
    if out.write_plugin_config.is_some() {
        if target.is_some() || log.is_some() || backend.is_some() {
            return Err(CliError::Usage("ftw: --write-plugin-config runs no tests: no --target, --log or --backend".into()));
        }
        out.rules_dir = rules_dir.unwrap_or_default();
        out.tests = tests.unwrap_or_default();
        out.filter = filters.join(",");
        return Ok(Command::Ftw(out));
    }
    out.envoy = match (target, log) {
        (Some(target), Some(log)) => Some(EnvoyArgs { target, log, backend }),
        (None, None) if backend.is_none() => None,
        _ => return Err(CliError::Usage("ftw: --target and --log go together (--backend needs both)".into())),
    };
    out.rules_dir = rules_dir.ok_or_else(|| CliError::Usage("ftw: --rules-dir is required".into()))?;
    out.tests = tests.ok_or_else(|| CliError::Usage("ftw: --tests is required".into()))?;
    out.filter = filters.join(",");
    Ok(Command::Ftw(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Command, CliError> {
        parse(args.iter().map(OsString::from).collect())
    }

    #[test]
    fn parses_eval_detection() {
        let Command::EvalDetection(d) =
            p(&["eval-detection", "--corpus", "a.jsonl", "b.jsonl", "--config", "pl1=@builtin, @crs", "--json=r.json"]).unwrap()
        else {
            panic!()
        };
        assert_eq!(d.corpora, [PathBuf::from("a.jsonl"), PathBuf::from("b.jsonl")]);
        assert_eq!(d.configs, [NamedConfig { name: "pl1".into(), rules: vec!["@builtin".into(), "@crs".into()] }]);
        assert_eq!(d.json, Some(PathBuf::from("r.json")));
        assert!(p(&["eval-detection"]).is_err());
        assert!(p(&["eval-detection", "--corpus", "a", "--config", "@crs"]).is_err());
        assert!(p(&["eval-detection", "--corpus", "a", "--config", "x="]).is_err());
    }

    #[test]
    fn parses_each_command() {
        assert_eq!(p(&["lint", "a.conf", "@crs"]).unwrap(), Command::Lint(LintArgs { entries: vec!["a.conf".into(), "@crs".into()], skip_unsupported: false }));
        let Command::Eval(e) = p(&["eval", "--rules", "a.conf", "@crs", "--raw=x.http", "--detection-only"]).unwrap() else {
            panic!()
        };
        assert_eq!(e.rules, ["a.conf", "@crs"]);
        assert_eq!(e.input, EvalInput::Raw("x.http".into()));
        assert!(e.detection_only);
        let Command::Ftw(f) =
            p(&["ftw", "--rules-dir", "crs", "--tests", "t", "--filter", "-920", "--filter", "942100", "-v"]).unwrap()
        else {
            panic!()
        };
        assert_eq!((f.rules_dir, f.tests, f.filter.as_str(), f.verbose), ("crs".into(), "t".into(), "-920,942100", true));
        assert_eq!(f.envoy, None);
        let Command::Ftw(f) = p(&["ftw", "--rules-dir", "crs", "--tests", "t", "--target", "http://127.0.0.1:1", "--log", "e.log"])
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(f.envoy, Some(EnvoyArgs { target: "http://127.0.0.1:1".into(), log: "e.log".into(), backend: None }));
        let Command::Ftw(f) = p(&["ftw", "--write-plugin-config", "p.json"]).unwrap() else { panic!() };
        assert_eq!(f.write_plugin_config, Some("p.json".into()));
        assert_eq!(p(&["collector", "--listen", "x"]).unwrap(), Command::Collector(vec!["--listen".into(), "x".into()]));
        assert_eq!(p(&["check-config", "a.json", "b.json"]).unwrap(), Command::CheckConfig(CheckConfigArgs { files: vec!["a.json".into(), "b.json".into()] }));
        assert_eq!(p(&["--version"]).unwrap(), Command::Version);
    }

    #[test]
    fn usage_errors() {
        for bad in [
            &[][..],
            &["nope"],
            &["lint"],
            &["lint", "--bogus"],
            &["eval", "--rules", "a"],
            &["eval", "--request", "a.json"],
            &["eval", "--rules", "a", "--request", "x", "--raw", "y"],
            &["ftw", "--tests", "t"],
            &["ftw", "--rules-dir"],
            &["ftw", "--rules-dir", "c", "--tests", "t", "--target", "http://x:1"],
            &["ftw", "--rules-dir", "c", "--tests", "t", "--backend", "127.0.0.1:1"],
            &["ftw", "--write-plugin-config", "p.json", "--target", "http://x:1"],
            &["check-config"],
            &["check-config", "--strict", "a.json"],
        ] {
            assert!(matches!(p(bad), Err(CliError::Usage(_))), "{bad:?}");
        }
    }
}
