//! Results of an ftw run: per test, per stage; the JSON file written by
//! `--json`; the summary counts.

use serde::Serialize;

/// How one test ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every stage passed.
    Passed,
    /// Some stage failed.
    Failed,
    /// Not run (filtered out).
    Skipped,
}

/// One stage's result.
#[derive(Clone, Debug, Serialize)]
pub struct StageReport {
    /// The status the client saw (`None` when the request could not be built).
    pub status: Option<u16>,
    /// The rule that interrupted, if any (`0` for an engine limit).
    pub interrupted_by: Option<i64>,
    /// Rule ids found in the log lines.
    pub triggered: Vec<u64>,
    /// Why the stage failed (empty when it passed).
    pub failures: Vec<String>,
    /// The stage's log lines (only kept for failing stages, to keep the file small).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub log: Vec<String>,
    /// Through Envoy: the request heads the backend received (failing stages only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub upstream: Vec<String>,
}

/// One test's result.
#[derive(Clone, Debug, Serialize)]
pub struct TestReport {
    /// `<rule_id>-<test_id>`.
    pub name: String,
    /// The rule.
    pub rule_id: u64,
    /// The test within the rule.
    pub test_id: u64,
    /// The YAML file.
    pub file: String,
    /// Outcome.
    pub verdict: Verdict,
    /// The baseline's reason, when the test is listed there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known_failure: Option<String>,
    /// Per stage (empty when skipped).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageReport>,
}

impl TestReport {
    /// All failure reasons, prefixed with the stage number when there are several stages.
    pub fn reasons(&self) -> String {
        let many = self.stages.len() > 1;
        let mut parts = Vec::new();
        for (i, s) in self.stages.iter().enumerate() {
            for f in &s.failures {
                parts.push(if many { format!("stage {}: {f}", i + 1) } else { f.clone() });
            }
        }
        parts.join("; ")
    }
}

/// Counts of a run.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Tests that passed.
    pub passed: usize,
    /// Tests that failed (known failures included).
    pub failed: usize,
    /// Tests filtered out.
    pub skipped: usize,
    /// Failures listed in the baseline.
    pub known_failures: usize,
    /// Failures not listed in the baseline.
    pub new_failures: usize,
    /// Listed tests that passed.
    pub fixed: usize,
}

impl Summary {
    /// `N passed, M failed` (`, K skipped` when some were).
    pub fn line(&self) -> String {
        let mut s = format!("{} passed, {} failed", self.passed, self.failed);
        if self.skipped > 0 {
            s.push_str(&format!(", {} skipped", self.skipped));
        }
        s
    }
}

/// The document `--json` writes.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// The counts.
    pub summary: Summary,
    /// Seconds spent building the rule set.
    pub build_seconds: f64,
    /// Seconds spent running the tests.
    pub run_seconds: f64,
    /// Every test, in run order.
    pub tests: &'a [TestReport],
}
