//! TEMPORARY STUB of the engine's public API, so that the filter, CLI and
//! test harness can be written against it while the engine is built.
//! Every signature here is the contract; bodies do nothing yet.

use std::borrow::Cow;
use std::sync::Arc;

use crate::{BodyLimitAction, BuildError, RuleEngineMode};

/// Where rule text comes from: `@crs`, `@builtin`, `Include` paths and
/// `@pmFromFile` data files are all resolved through this trait, so the
/// engine never touches a file system (Envoy gives wasm none).
pub trait RuleSource {
    /// Resolve `path` (as written after `Include`, or an entry such as
    /// `@crs`), relative to the file `from` that contains it (`None` for a
    /// top-level entry). Returns the files it names, in load order, as
    /// `(display name, bytes)`; a glob or a bundle (`@crs`) may name several.
    fn load(&self, path: &str, from: Option<&str>) -> Result<Vec<(String, Cow<'static, [u8]>)>, String>;
}

/// One input of a rule-set build.
#[derive(Clone, Copy, Debug)]
pub enum RuleEntry<'a> {
    /// Loaded through the [`RuleSource`]: a bundle (`@crs`, `@builtin`), a
    /// file path or a glob, exactly as `Include` would.
    Source(&'a str),
    /// SecLang text given inline; `name` is used in diagnostics.
    Text {
        /// Display name, e.g. `<rules[2]>` or `--include-setup`.
        name: &'a str,
        /// The SecLang text.
        text: &'a str,
    },
}

/// Limits and switches applied over what the rule files set.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Overrides `SecRuleEngine` for every transaction.
    pub rule_engine: Option<RuleEngineMode>,
    /// Overrides `SecRequestBodyLimit` (bytes).
    pub request_body_limit: Option<usize>,
    /// Overrides `SecRequestBodyLimitAction`.
    pub request_body_limit_action: Option<BodyLimitAction>,
    /// Overrides `SecResponseBodyLimit` (bytes).
    pub response_body_limit: Option<usize>,
}

/// Builds a [`RuleSet`].
#[derive(Clone, Debug, Default)]
pub struct RuleSetBuilder {
    config: Config,
}

impl RuleSetBuilder {
    /// Use `config` over the rule files' own settings.
    pub fn config(mut self, config: Config) -> RuleSetBuilder {
        self.config = config;
        self
    }

    /// Compile `entries`, in order: an entry starting with `@` (`@crs`,
    /// `@builtin`) is loaded through `source`; any other entry is SecLang
    /// text (e.g. one `SecAction`), named `<rules[i]>` in diagnostics.
    /// Every problem found is reported at once.
    pub fn build(&self, source: &dyn RuleSource, entries: &[&str]) -> Result<RuleSet, BuildError> {
        let names: Vec<String> = (0..entries.len()).map(|i| format!("<rules[{i}]>")).collect();
        let list: Vec<RuleEntry<'_>> = entries
            .iter()
            .zip(&names)
            .map(|(e, n)| if e.starts_with('@') { RuleEntry::Source(e) } else { RuleEntry::Text { name: n, text: e } })
            .collect();
        self.build_entries(source, &list)
    }

    /// Compile `entries` in order (see [`RuleEntry`]).
    pub fn build_entries(&self, _source: &dyn RuleSource, _entries: &[RuleEntry<'_>]) -> Result<RuleSet, BuildError> {
        Ok(RuleSet { config: self.config.clone() })
    }
}

/// A compiled rule set: read-only, `Send + Sync`, shared in an `Arc`.
#[derive(Debug)]
pub struct RuleSet {
    #[allow(dead_code)]
    config: Config,
}

impl RuleSet {
    /// A builder with the default [`Config`].
    pub fn builder() -> RuleSetBuilder {
        RuleSetBuilder::default()
    }

    /// Number of rules (chain members count once each).
    pub fn rule_count(&self) -> usize {
        0
    }

    /// Heap bytes held by the compiled rules (regexes, automata, tables).
    pub fn memory_usage(&self) -> usize {
        0
    }
}

/// A disruptive decision that stops the transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interruption {
    /// HTTP status to answer with (403 unless the rule says `status:`).
    pub status: u16,
    /// The rule that decided (`None` for engine limits such as a body over its limit).
    pub rule_id: Option<i64>,
    /// Phase (1-5) in which it happened.
    pub phase: u8,
    /// What the rule asked for.
    pub action: InterruptAction,
}

/// The kind of interruption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InterruptAction {
    /// `deny` (or `block` resolving to deny): answer with `status`.
    Deny,
    /// `drop`: close the connection (the filter answers and closes).
    Drop,
    /// `redirect:URL`.
    Redirect(String),
    /// The request body exceeded its limit with action Reject (status 413).
    BodyLimit,
}

/// One rule that matched, as ModSecurity logs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleMatch {
    /// The SecLang `id` (of the chain's first rule).
    pub rule_id: i64,
    /// Phase 1-5.
    pub phase: u8,
    /// `msg`, macros expanded.
    pub msg: String,
    /// `logdata`, macros expanded.
    pub data: String,
    /// `severity` 0 (EMERGENCY) ... 7 (DEBUG), if set.
    pub severity: Option<u8>,
    /// `tag`s, macros expanded.
    pub tags: Vec<String>,
    /// Whether the rule logs (`log`, not `nolog`).
    pub log: bool,
    /// Name of the last matched variable, e.g. `ARGS:id`.
    pub matched_var_name: String,
}

impl RuleMatch {
    /// The ModSecurity-style match line, `[id "942100"] [msg "..."] ...`.
    pub fn log_line(&self) -> String {
        format!("[id \"{}\"] [msg \"{}\"] [data \"{}\"]", self.rule_id, self.msg, self.data)
    }
}

/// Per-request state. Owned; works only with the rule set it was made from.
#[derive(Debug)]
pub struct Transaction {
    rules: Arc<RuleSet>,
    matches: Vec<RuleMatch>,
    interruption: Option<Interruption>,
}

impl Transaction {
    /// A fresh transaction over `rules`.
    pub fn new(rules: Arc<RuleSet>) -> Transaction {
        Transaction { rules, matches: Vec::new(), interruption: None }
    }

    /// Forget the last request, keeping buffers for reuse.
    pub fn reset(&mut self) {
        self.matches.clear();
        self.interruption = None;
    }

    /// The rule set this transaction runs.
    pub fn rules(&self) -> &Arc<RuleSet> {
        &self.rules
    }

    /// Set UNIQUE_ID.
    pub fn set_unique_id(&mut self, _id: &str) {}

    /// Client and server addresses (REMOTE_ADDR, REMOTE_PORT, SERVER_ADDR, SERVER_PORT).
    pub fn process_connection(&mut self, _client_ip: &str, _client_port: u16, _server_ip: &str, _server_port: u16) {}

    /// The request line: raw URI as sent (path and query), method, protocol (`HTTP/1.1`).
    pub fn process_uri(&mut self, _uri: &[u8], _method: &[u8], _protocol: &[u8]) {}

    /// One request header, in arrival order.
    pub fn add_request_header(&mut self, _name: &[u8], _value: &[u8]) {}

    /// Run phase 1.
    pub fn process_request_headers(&mut self) -> Option<Interruption> {
        self.interruption.clone()
    }

    /// Whether the rules want the request body (`SecRequestBodyAccess On`).
    pub fn wants_request_body(&self) -> bool {
        true
    }

    /// Append request body bytes. Returns an interruption when the body is
    /// over the limit and the limit action is Reject.
    pub fn append_request_body(&mut self, _chunk: &[u8]) -> Option<Interruption> {
        None
    }

    /// Run phase 2 (also call it when there is no body).
    pub fn process_request_body(&mut self) -> Option<Interruption> {
        self.interruption.clone()
    }

    /// One response header.
    pub fn add_response_header(&mut self, _name: &[u8], _value: &[u8]) {}

    /// Run phase 3 with the response status and protocol.
    pub fn process_response_headers(&mut self, _status: u16, _protocol: &[u8]) -> Option<Interruption> {
        self.interruption.clone()
    }

    /// Whether the rules want the response body (`SecResponseBodyAccess On`
    /// and a content type listed in `SecResponseBodyMimeType`).
    pub fn wants_response_body(&self) -> bool {
        false
    }

    /// Append response body bytes.
    pub fn append_response_body(&mut self, _chunk: &[u8]) -> Option<Interruption> {
        None
    }

    /// Run phase 4.
    pub fn process_response_body(&mut self) -> Option<Interruption> {
        self.interruption.clone()
    }

    /// Run phase 5.
    pub fn process_logging(&mut self) {}

    /// The interruption, if a rule (or a limit) stopped the transaction.
    pub fn interruption(&self) -> Option<&Interruption> {
        self.interruption.as_ref()
    }

    /// Every rule that matched so far, in order (those with `nolog` included;
    /// see [`RuleMatch::log`]).
    pub fn matches(&self) -> &[RuleMatch] {
        &self.matches
    }

    /// The value of `TX:name` (case-insensitive), e.g. `blocking_inbound_anomaly_score`.
    pub fn tx_var(&self, _name: &str) -> Option<Cow<'_, [u8]>> {
        None
    }

    /// The effective engine mode (after `ctl:ruleEngine`).
    pub fn rule_engine(&self) -> RuleEngineMode {
        RuleEngineMode::On
    }
}
