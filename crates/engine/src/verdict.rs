//! What a transaction decided: the interruption (if any) and the rules that matched.

use std::fmt::Write as _;

use crate::id::{Phase, RuleId};

/// A disruptive decision that stops the transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interruption {
    /// HTTP status to answer with (403 unless the rule says `status:`).
    pub status: u16,
    /// The rule that decided (`None` for engine limits such as a body over its limit).
    pub rule_id: Option<RuleId>,
    /// The phase in which it happened.
    pub phase: Phase,
    /// What the rule asked for.
    pub action: InterruptAction,
}

/// The kind of interruption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InterruptAction {
    /// `deny` (or `block` resolving to deny): answer with `status`.
    Deny,
    /// `drop`: close the connection (a proxy answers with `status` and closes).
    Drop,
    /// `redirect:URL`: answer with `status` (302 by default) and `Location: URL`.
    Redirect(String),
    /// The request body exceeded its limit with action Reject (status 413).
    BodyLimit,
}

/// Severity names by number, as ModSecurity spells them.
pub const SEVERITY_NAMES: [&str; 8] = ["EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG"];

/// One rule (or chain) that matched, as ModSecurity logs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleMatch {
    /// The SecLang `id` (of the chain's first rule).
    pub rule_id: RuleId,
    /// The phase it ran in.
    pub phase: Phase,
    /// `msg`, macros expanded.
    pub msg: String,
    /// `logdata`, macros expanded.
    pub data: String,
    /// `severity` 0 (EMERGENCY) ... 7 (DEBUG), if set.
    pub severity: Option<u8>,
    /// `tag`s, macros expanded.
    pub tags: Vec<String>,
    /// Whether the rule logs (ModSecurity writes it to the error log).
    pub log: bool,
    /// Whether the rule's disruptive action ran (it interrupted the transaction).
    pub disruptive: bool,
    /// Whether the rule would interrupt were the engine `On` (`deny`, `drop`,
    /// `redirect`, or `block` resolving to one of them).
    pub blocking: bool,
    /// `Matched "Operator ..." against variable ...` (empty for `SecAction`).
    pub match_message: String,
    /// Name of the last matched variable, e.g. `ARGS:id`.
    pub matched_var_name: String,
    /// The file the rule came from, as named in the build.
    pub file: String,
    /// Line of the rule in that file.
    pub line: u32,
    /// `rev`.
    pub rev: String,
    /// `ver`.
    pub ver: String,
    /// `maturity`.
    pub maturity: u8,
    /// `accuracy`.
    pub accuracy: u8,
}

impl RuleMatch {
    /// The severity's name (`CRITICAL`), or `""` when the rule has none.
    pub fn severity_name(&self) -> &'static str {
        self.severity.and_then(|s| SEVERITY_NAMES.get(s as usize).copied()).unwrap_or("")
    }

    /// The ModSecurity v3 error-log line for this match, without the
    /// request fields of its tail (see [`RuleMatch::log_line_for`]).
    pub fn log_line(&self) -> String {
        self.log_line_for("", "", "")
    }

    /// The ModSecurity v3 error-log line for this match:
    /// `ModSecurity: Warning. Matched "Operator ..." [file "..."] [line "..."] [id "942100"] [msg "..."] ...`.
    /// go-ftw finds rule ids in exactly this shape. `host`, `uri` and
    /// `unique_id` fill the tail fields ([`crate::Transaction::log_line`] passes the request's).
    pub fn log_line_for(&self, host: &str, uri: &str, unique_id: &str) -> String {
        let mut s = String::with_capacity(256 + self.msg.len() + self.data.len());
        if self.disruptive {
            let _ = write!(s, "ModSecurity: Access denied (phase {}). ", self.phase);
        } else {
            s.push_str("ModSecurity: Warning. ");
        }
        s.push_str(&self.match_message);
        let _ = write!(s, " [file \"{}\"] [line \"{}\"] [id \"{}\"] [rev \"{}\"] [msg \"{}\"] [data \"{}\"] [severity \"{}\"] [ver \"{}\"] [maturity \"{}\"] [accuracy \"{}\"]",
            self.file, self.line, self.rule_id, self.rev, self.msg, hex_escape(limit(&self.data, 200), true),
            self.severity.map(u32::from).unwrap_or(0), self.ver, self.maturity, self.accuracy);
        for t in &self.tags {
            let _ = write!(s, " [tag \"{t}\"]");
        }
        let _ = write!(s, " [hostname \"{host}\"] [uri \"{}\"] [unique_id \"{unique_id}\"]", limit(uri, 200));
        // Like ModSecurity, keep the line one line: control bytes as `\xHH`.
        hex_escape(&s, false).into_owned()
    }
}

/// The first `n` bytes of `s`, cut at a char boundary.
pub(crate) fn limit(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut end = n;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// ModSecurity's `toHexIfNeeded`: bytes below 0x20 or above 0x7E as `\xhh`;
/// with `special`, also `"` and `\`.
fn hex_escape(s: &str, special: bool) -> std::borrow::Cow<'_, str> {
    let needs = |b: u8| !(0x20..=0x7e).contains(&b) || (special && (b == b'"' || b == b'\\'));
    if !s.bytes().any(needs) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for b in s.bytes() {
        if needs(b) {
            let _ = write!(out, "\\x{b:02x}");
        } else {
            out.push(b as char);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// What the driver of a transaction does next (see [`crate::Transaction::on_request_headers`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Let the data go on: this side of the exchange is decided.
    Continue,
    /// Hold the body and hand it over chunk by chunk (the rules read it).
    NeedBody,
    /// Answer the client instead (status, rule and kind in the interruption).
    Interrupt(Interruption),
}

/// How a finished transaction ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The engine interrupted it.
    Blocked,
    /// In DetectionOnly, a rule (or a body limit with action Reject) would
    /// have interrupted it.
    Monitored,
    /// Neither.
    Passed,
}

impl Outcome {
    /// `blocked`, `monitored` or `passed`.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Blocked => "blocked",
            Outcome::Monitored => "monitored",
            Outcome::Passed => "passed",
        }
    }
}

/// The engine's summary of a finished transaction: everything a driver
/// reports, decided in one place (see [`crate::Transaction::on_end`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Blocked, monitored or passed.
    pub outcome: Outcome,
    /// The rule-engine mode in force at the end (after `ctl:ruleEngine`).
    pub mode: crate::RuleEngineMode,
    /// The interruption, when blocked.
    pub interruption: Option<Interruption>,
    /// The rule credited with the outcome: the interrupting rule, else the
    /// first that would have blocked, else the first logging rule. `None`
    /// for a body-limit interruption and for silent requests.
    pub deciding_rule: Option<RuleId>,
    /// The inbound anomaly score (see [`crate::Transaction::anomaly_score`]).
    pub anomaly_score: i64,
    /// The outbound (response) anomaly score.
    pub outbound_anomaly_score: i64,
    /// The request body went over `SecRequestBodyLimit`.
    pub request_body_over_limit: bool,
}
