//! The `portcullis` binary end to end: usage errors, exit statuses, the ftw
//! runner's summary, baseline handling, filter and JSON output.
//!
//! The fixtures are chosen to come out the same whatever the engine does
//! with the rules (a test that passes with a rule that cannot fire, a test
//! that fails on a status no backend gives), so these pin the command line,
//! not the engine.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn portcullis(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_portcullis")).args(args).output().unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn help_and_version_exit_0() {
    for args in [&["--help"][..], &["help"], &["-h"], &["lint", "--help"], &["ftw", "--help"]] {
        let o = portcullis(args);
        assert_eq!(code(&o), 0, "{args:?}");
        assert!(stdout(&o).contains("USAGE:"));
    }
    let o = portcullis(&["--version"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).starts_with("portcullis "));
}

#[test]
fn usage_errors_exit_2_with_one_message() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["lint"],
        &["lint", "--bogus"],
        &["eval", "--request", "x.json"],
        &["eval", "--rules", "a.conf"],
        &["ftw", "--tests", "t"],
        &["ftw", "--rules-dir", "r"],
        &["ftw", "--rules-dir", "r", "--tests", "t", "--what"],
    ] {
        let o = portcullis(args);
        assert_eq!(code(&o), 2, "{args:?}");
        let err = stderr(&o);
        assert_eq!(err.matches("portcullis: error:").count(), 1, "{args:?}: {err}");
        assert!(err.contains("--help"), "{err}");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn missing_files_exit_2() {
    let o = portcullis(&["eval", "--rules", "rules/base/recommended.conf", "--request", "/nonexistent/x.json"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("/nonexistent/x.json"));
    let o = portcullis(&["ftw", "--rules-dir", "/nonexistent", "--tests", "/nonexistent"]);
    assert_eq!(code(&o), 2);
    let fx = Fixture::new();
    let o = portcullis(&["ftw", "--rules-dir", "/nonexistent", "--tests", fx.tests()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("crs-setup.conf"), "{}", stderr(&o));
}

#[test]
fn lint_our_base_configuration() {
    let conf = workspace().join("rules/base/recommended.conf");
    let o = portcullis(&["lint", conf.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(stdout(&o).starts_with("ok: "), "{}", stdout(&o));
    assert!(stdout(&o).contains("memory: "));
}

#[test]
fn eval_a_benign_raw_request() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("get.http");
    std::fs::write(&raw, "GET /index.html?q=hello HTTP/1.1\r\nHost: example.com\r\n\r\n").unwrap();
    let rule = dir.path().join("r.conf");
    std::fs::write(&rule, "SecRule ARGS:q \"@streq attack\" \"id:1000,phase:2,deny,log,msg:'attack'\"\n").unwrap();
    let o = portcullis(&["eval", "--rules", rule.to_str().unwrap(), "--raw", raw.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("interruption: none (status 200)"), "{out}");
    assert!(out.contains("anomaly score: inbound"), "{out}");
}

#[test]
fn eval_corpus_request_detection_only() {
    // b01 is the benign browser GET (its full name may change).
    let corpus = workspace().join("tests/corpus");
    let req = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("b01"))
        .unwrap();
    let rule = workspace().join("rules/base/recommended.conf");
    let o = portcullis(&["eval", "--rules", rule.to_str().unwrap(), "--request", req.to_str().unwrap(), "--detection-only"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    // The engine mode line is printed (its value is the engine's business).
    assert!(stdout(&o).contains("\nengine: "), "{}", stdout(&o));
}

#[test]
fn collector_is_dispatched() {
    let o = portcullis(&["collector", "--help"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

/// A tiny CRS-shaped directory and two tests: `1000-1` passes whatever the
/// engine does (it expects rule 1000 *not* to fire on a benign request), and
/// `1000-2` fails whatever the engine does (it expects status 418).
struct Fixture {
    dir: tempfile::TempDir,
    rules: String,
    tests: String,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let crs = dir.path().join("crs");
        std::fs::create_dir_all(crs.join("rules")).unwrap();
        std::fs::write(crs.join("crs-setup.conf.example"), "# setup\n").unwrap();
        std::fs::write(
            crs.join("rules/REQUEST-100-TEST.conf"),
            "SecRule ARGS:x \"@streq attack\" \"id:1000,phase:2,pass,log,msg:'test rule'\"\n",
        )
        .unwrap();
        std::fs::write(crs.join("rules/IGNORED.conf.example"), "this is not SecLang\n").unwrap();
        let tests = dir.path().join("tests/REQUEST-100-TEST");
        std::fs::create_dir_all(&tests).unwrap();
        std::fs::write(
            tests.join("1000.yaml"),
            r#"---
meta:
  author: "fixture"
rule_id: 1000
tests:
  - test_id: 1
    desc: "benign: rule 1000 must not fire"
    stages:
      - input:
          dest_addr: "127.0.0.1"
          port: 80
          headers:
            Host: "localhost"
            User-Agent: "OWASP CRS test agent"
          uri: "/get?x=benign"
        output:
          log:
            no_expect_ids: [1000]
  - test_id: 2
    desc: "no backend answers 418"
    stages:
      - input:
          headers:
            Host: "localhost"
          uri: "/get"
        output:
          status: 418
"#,
        )
        .unwrap();
        Fixture {
            rules: crs.to_string_lossy().into_owned(),
            tests: dir.path().join("tests").to_string_lossy().into_owned(),
            dir,
        }
    }

    fn rules(&self) -> &str {
        &self.rules
    }

    fn tests(&self) -> &str {
        &self.tests
    }

    fn file(&self, name: &str, text: &str) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    }

    fn ftw(&self, extra: &[&str]) -> Output {
        let mut args = vec!["ftw", "--rules-dir", self.rules(), "--tests", self.tests()];
        args.extend_from_slice(extra);
        portcullis(&args)
    }
}

fn last_line(o: &Output) -> String {
    stdout(o).lines().last().unwrap_or_default().to_string()
}

#[test]
fn ftw_reports_failures_and_exits_1() {
    let fx = Fixture::new();
    let o = fx.ftw(&[]);
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    assert_eq!(last_line(&o), "1 passed, 1 failed");
    assert!(stdout(&o).contains("FAIL  1000-2: status 200, expected 418"), "{}", stdout(&o));
}

#[test]
fn ftw_baseline_accepts_known_failures() {
    let fx = Fixture::new();
    let baseline = fx.file("known.tsv", "# known\n1000-2\tno backend answers 418\n");
    let o = fx.ftw(&["--baseline", &baseline]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert_eq!(last_line(&o), "1 passed, 1 failed");
    assert!(stdout(&o).contains("baseline: 1 known failures, 0 new failures, 0 fixed"));
    assert!(!stdout(&o).contains("FAIL"));
}

#[test]
fn ftw_baseline_rejects_fixed_entries() {
    let fx = Fixture::new();
    let baseline = fx.file("known.tsv", "1000-1\tused to fail\n1000-2\tno backend answers 418\n");
    let o = fx.ftw(&["--baseline", &baseline]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("FIXED 1000-1: passes now; remove it from the baseline"), "{}", stdout(&o));
}

#[test]
fn ftw_baseline_without_reason_is_an_input_error() {
    let fx = Fixture::new();
    let baseline = fx.file("known.tsv", "1000-2\n");
    let o = fx.ftw(&["--baseline", &baseline]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("has no reason"), "{}", stderr(&o));
}

#[test]
fn ftw_filter_skips() {
    let fx = Fixture::new();
    let o = fx.ftw(&["--filter", "1000-1"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert_eq!(last_line(&o), "1 passed, 0 failed, 1 skipped");
    let o = fx.ftw(&["--filter=-1000"]);
    assert_eq!(last_line(&o), "0 passed, 0 failed, 2 skipped");
}

#[test]
fn ftw_writes_json() {
    let fx = Fixture::new();
    let json = fx.dir.path().join("out.json");
    let o = fx.ftw(&["--json", json.to_str().unwrap(), "-v"]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("ok    1000-1"));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["summary"]["passed"], 1);
    assert_eq!(v["summary"]["failed"], 1);
    let tests = v["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 2);
    assert_eq!(tests[1]["name"], "1000-2");
    assert_eq!(tests[1]["verdict"], "failed");
    assert_eq!(tests[1]["stages"][0]["status"], 200);
    assert_eq!(tests[1]["stages"][0]["failures"][0], "status 200, expected 418");
}

#[test]
fn ftw_include_setup_replaces_the_builtin_one() {
    let fx = Fixture::new();
    let setup = fx.file("setup.conf", "SecRuleEngine DetectionOnly\n");
    let o = fx.ftw(&["--include-setup", &setup]);
    assert_eq!(code(&o), 1);
    assert_eq!(last_line(&o), "1 passed, 1 failed");
    let o = fx.ftw(&["--include-setup", "/nonexistent/setup.conf"]);
    assert_eq!(code(&o), 2);
}
