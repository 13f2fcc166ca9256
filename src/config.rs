//! The plugin configuration: JSON given in Envoy's `configuration` field.
//!
//! Parsed with serde (`deny_unknown_fields` everywhere) through
//! `serde_path_to_error`, so every error names the JSON path it is about
//! (`verdict_log.max_batch: invalid type: string "x", expected usize at line 1 column 37`).
//! After parsing, [`PluginConfig::validate`] checks ranges and reports every
//! problem at once, again by path. An empty configuration means all defaults.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::policy::client_ip::ClientIpConfig;
use crate::policy::ip::IpList;
use crate::policy::ratelimit::RateLimitRule;

/// Default `request_body_limit`: 128 KiB, as ModSecurity's recommended setup.
pub const DEFAULT_REQUEST_BODY_LIMIT: usize = 131_072;
/// Default block status.
pub const DEFAULT_BLOCK_STATUS: u16 = 403;
/// Default block body; `%{unique_id}` is replaced by the transaction id.
pub const DEFAULT_BLOCK_BODY: &str = "{\"error\":\"request blocked\",\"id\":\"%{unique_id}\"}";
/// Default block content type.
pub const DEFAULT_BLOCK_CONTENT_TYPE: &str = "application/json";

/// The whole plugin configuration (see README "Plugin configuration").
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginConfig {
    /// `block` (default), `monitor` (DetectionOnly) or `off`.
    #[serde(default)]
    pub mode: Mode,
    /// Identifies the protected application in verdicts.
    #[serde(default)]
    pub application_id: Option<ApplicationId>,
    /// Rule entries in load order: `@builtin`, `@crs`, an embedded file
    /// (`@crs/rules/…`) or inline SecLang text. Default `["@builtin"]`.
    #[serde(default = "default_rules")]
    pub rules: Vec<String>,
    /// Policies per `:authority`: exact names or `*.suffix` wildcards
    /// (docs/policies.md). A host's `mode`, `application_id`, `rules` and
    /// `block_response` replace these; its IP lists and rate limits are
    /// added to these.
    #[serde(default)]
    pub hosts: BTreeMap<String, HostPolicy>,
    /// Sources never inspected (addresses and CIDRs).
    #[serde(default)]
    pub ip_allow: Vec<String>,
    /// Sources answered with the block response in every mode but `off`.
    #[serde(default)]
    pub ip_deny: Vec<String>,
    /// In mode `safe_block`, the only sources that are blocked.
    #[serde(default)]
    pub ip_graylist: Vec<String>,
    /// Where the client address comes from (default: the connection).
    #[serde(default)]
    pub client_ip: ClientIpConfig,
    /// Token-bucket limits shared by the instance's workers.
    #[serde(default)]
    pub rate_limits: Vec<RateLimitRule>,
    /// Largest request body inspected, in bytes.
    #[serde(default = "default_body_limit")]
    pub request_body_limit: usize,
    /// What to do with a body over `request_body_limit`.
    #[serde(default)]
    pub request_body_limit_action: BodyLimitAction,
    /// Decide what the request line and headers already show before Envoy
    /// forwards them, when a body follows (the engine's early request
    /// decision). On by default; off saves its cost on requests with a body
    /// (BENCHMARKS.md) but lets an attack in the URL reach the backend's
    /// request line and headers before the body is inspected.
    #[serde(default = "yes")]
    pub early_request_decision: bool,
    /// The local reply sent when a request is blocked.
    #[serde(default)]
    pub block_response: BlockResponse,
    /// Where verdict records go; `None` keeps them in the filter (not sent).
    #[serde(default)]
    pub verdict_log: Option<VerdictLog>,
    /// Fetch the console's IP lists from the collector (`crate::console`); needs `verdict_log`.
    #[serde(default)]
    pub ip_lists: Option<IpListsConfig>,
}

impl Default for PluginConfig {
    fn default() -> PluginConfig {
        PluginConfig {
            mode: Mode::default(),
            application_id: None,
            rules: default_rules(),
            hosts: BTreeMap::new(),
            ip_allow: Vec::new(),
            ip_deny: Vec::new(),
            ip_graylist: Vec::new(),
            client_ip: ClientIpConfig::default(),
            rate_limits: Vec::new(),
            request_body_limit: DEFAULT_REQUEST_BODY_LIMIT,
            request_body_limit_action: BodyLimitAction::default(),
            early_request_decision: true,
            block_response: BlockResponse::default(),
            verdict_log: None,
            ip_lists: None,
        }
    }
}

fn default_rules() -> Vec<String> {
    vec!["@builtin".to_owned()]
}

fn yes() -> bool {
    true
}

fn default_body_limit() -> usize {
    DEFAULT_REQUEST_BODY_LIMIT
}

/// What the filter does with a matching request.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Rules run and disruptive rules answer with the block response.
    #[default]
    Block,
    /// Rules run as `SecRuleEngine DetectionOnly`: nothing is blocked, verdicts say `monitored`.
    Monitor,
    /// Block only sources on `ip_graylist`; monitor the rest.
    SafeBlock,
    /// Nothing runs.
    Off,
}

impl Mode {
    /// The name used in configuration and verdicts.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Block => "block",
            Mode::Monitor => "monitor",
            Mode::SafeBlock => "safe_block",
            Mode::Off => "off",
        }
    }
}

/// `request_body_limit_action`.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BodyLimitAction {
    /// Answer 413 without reaching the backend.
    #[default]
    Reject,
    /// Inspect the first `request_body_limit` bytes, let the rest through.
    ProcessPartial,
}

/// An application id: an integer or a string, kept as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApplicationId {
    /// `"application_id": 7`
    Int(i64),
    /// `"application_id": "shop"`
    Str(String),
}

impl Serialize for ApplicationId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ApplicationId::Int(i) => s.serialize_i64(*i),
            ApplicationId::Str(v) => s.serialize_str(v),
        }
    }
}

impl fmt::Display for ApplicationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApplicationId::Int(i) => write!(f, "{i}"),
            ApplicationId::Str(s) => f.write_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for ApplicationId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ApplicationId, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ApplicationId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or a string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ApplicationId, E> {
                Ok(ApplicationId::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ApplicationId, E> {
                i64::try_from(v).map(ApplicationId::Int).map_err(|_| E::custom("integer too large"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ApplicationId, E> {
                Ok(ApplicationId::Str(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

/// What one `hosts` entry sets; unset fields come from the top level.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HostPolicy {
    /// Replaces the top-level `mode`.
    #[serde(default)]
    pub mode: Option<Mode>,
    /// Replaces the top-level `application_id`.
    #[serde(default)]
    pub application_id: Option<ApplicationId>,
    /// Replaces the top-level `rules` (compiled once per distinct list).
    #[serde(default)]
    pub rules: Option<Vec<String>>,
    /// Added to the top-level `ip_allow`.
    #[serde(default)]
    pub ip_allow: Vec<String>,
    /// Added to the top-level `ip_deny`.
    #[serde(default)]
    pub ip_deny: Vec<String>,
    /// Added to the top-level `ip_graylist`.
    #[serde(default)]
    pub ip_graylist: Vec<String>,
    /// Added to the top-level `rate_limits`.
    #[serde(default)]
    pub rate_limits: Vec<RateLimitRule>,
    /// Replaces the top-level `block_response`.
    #[serde(default)]
    pub block_response: Option<BlockResponse>,
}

/// A `hosts` key: an exact name or `*.` and a suffix, lowercased.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HostPattern {
    /// `api.example.com`.
    Exact(String),
    /// `*.example.com`: the suffix `.example.com`.
    Suffix(String),
}

impl HostPattern {
    /// Parse a `hosts` key.
    ///
    /// # Errors
    /// What is wrong with it.
    pub fn parse(key: &str) -> Result<HostPattern, String> {
        let lower = key.to_ascii_lowercase();
        let name = lower.strip_prefix("*.").unwrap_or(&lower);
        let valid_label = |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        let bracketed = name.starts_with('[') && name.ends_with(']') && name.len() > 2;
        if name.is_empty() || (!bracketed && !name.split('.').all(valid_label)) {
            return Err(format!(
                "`{key}` is not a host name or `*.` followed by one (letters, digits, `-`, `_` between dots; no port)"
            ));
        }
        Ok(if lower.starts_with("*.") { HostPattern::Suffix(lower[1..].to_owned()) } else { HostPattern::Exact(lower) })
    }

    /// Whether `host` (lowercased, without port) matches.
    pub fn matches(&self, host: &str) -> bool {
        match self {
            HostPattern::Exact(n) => n == host,
            HostPattern::Suffix(s) => host.len() > s.len() && host.ends_with(s.as_str()),
        }
    }

    /// How specific the pattern is: exact names beat every wildcard, then longer suffixes win.
    pub fn specificity(&self) -> (bool, usize) {
        match self {
            HostPattern::Exact(n) => (true, n.len()),
            HostPattern::Suffix(s) => (false, s.len()),
        }
    }
}

/// The host part of an `:authority`, lowercased, without its port
/// (`API.example.com:8443` → `api.example.com`, `[::1]:80` → `[::1]`).
pub fn authority_host(authority: &[u8]) -> String {
    let a = String::from_utf8_lossy(authority).trim().to_ascii_lowercase();
    if a.starts_with('[') {
        return match a.find(']') {
            Some(end) => a[..=end].to_owned(),
            None => a,
        };
    }
    match a.rsplit_once(':') {
        Some((h, port)) if !h.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => h.to_owned(),
        _ => a,
    }
}

/// The local reply for a blocked request.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct BlockResponse {
    /// Status; when unset, the blocking rule's status (`deny` = 403, or `status:N`).
    #[serde(default)]
    pub status: Option<u16>,
    /// Body; `%{unique_id}` is replaced by the transaction id.
    #[serde(default = "default_block_body")]
    pub body: String,
    /// `content-type` of the reply.
    #[serde(default = "default_block_content_type")]
    pub content_type: String,
}

impl Default for BlockResponse {
    fn default() -> BlockResponse {
        BlockResponse { status: None, body: default_block_body(), content_type: default_block_content_type() }
    }
}

fn default_block_body() -> String {
    DEFAULT_BLOCK_BODY.to_owned()
}

fn default_block_content_type() -> String {
    DEFAULT_BLOCK_CONTENT_TYPE.to_owned()
}

/// Where and how verdict records are sent.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct VerdictLog {
    /// The Envoy cluster of the collector.
    pub cluster: String,
    /// Request path; when absent, `/v1/verdicts` (`ndjson`) or `/v1/logs`
    /// (`otlp`): see [`VerdictLog::path`].
    #[serde(default)]
    pub path: Option<String>,
    /// `:authority` of the call; default: the cluster name.
    #[serde(default)]
    pub authority: Option<String>,
    /// Sent as `authorization: Bearer <token>`.
    #[serde(default)]
    pub token: Option<String>,
    /// The name of a VM environment variable holding the token instead
    /// (Istio: `vmConfig.env` with `valueFrom: HOST`; Envoy:
    /// `vm_config.environment_variables`), so it is not written in the
    /// configuration.
    #[serde(default)]
    pub token_env: Option<String>,
    /// How often the queue is flushed (root context tick), default 1000 ms.
    #[serde(default = "default_flush_interval_ms")]
    pub flush_interval_ms: u64,
    /// Most records per call, default 256.
    #[serde(default = "default_max_batch")]
    pub max_batch: usize,
    /// Most records kept waiting; beyond it the oldest are dropped (counted). Default 10000.
    #[serde(default = "default_max_queue")]
    pub max_queue: usize,
    /// Which requests produce a record.
    #[serde(default)]
    pub include: Include,
    /// Wire format: `ndjson` (default) or `otlp`.
    #[serde(default)]
    pub format: Format,
}

impl VerdictLog {
    /// The token to send: `token`, or the value of the variable `token_env`.
    ///
    /// # Errors
    /// `token_env` names a variable that is unset or empty in the VM.
    pub fn resolved_token(&self) -> Result<Option<String>, String> {
        match &self.token_env {
            None => Ok(self.token.clone()),
            Some(name) => match std::env::var(name) {
                Ok(v) if !v.trim().is_empty() => Ok(Some(v.trim().to_owned())),
                _ => Err(format!("verdict_log.token_env: the environment variable {name} is not set in the VM (Istio: vmConfig.env; Envoy: vm_config.environment_variables)")),
            },
        }
    }

    /// The request path: `path`, or the format's default.
    pub fn path(&self) -> &str {
        match (&self.path, self.format) {
            (Some(p), _) => p,
            (None, Format::Ndjson) => "/v1/verdicts",
            (None, Format::Otlp) => "/v1/logs",
        }
    }

    /// The `:authority` to send.
    pub fn authority(&self) -> &str {
        self.authority.as_deref().unwrap_or(&self.cluster)
    }
}

fn default_flush_interval_ms() -> u64 {
    1000
}
fn default_max_batch() -> usize {
    256
}
fn default_max_queue() -> usize {
    10_000
}

/// `ip_lists`: the console's IP lists, fetched from the collector of `verdict_log` (its
/// cluster, authority and node token) and enforced on top of every policy's lists.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct IpListsConfig {
    /// How often each worker fetches, default 5000 ms (the collector answers 304 while
    /// nothing changed).
    #[serde(default = "default_ip_lists_interval_ms")]
    pub interval_ms: u64,
    /// Request path, default `/v1/ip-lists`.
    #[serde(default = "default_ip_lists_path")]
    pub path: String,
}

fn default_ip_lists_interval_ms() -> u64 {
    5000
}

fn default_ip_lists_path() -> String {
    "/v1/ip-lists".to_owned()
}

/// Which requests get a verdict record.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Include {
    /// Requests that matched a logging rule, or were blocked or monitored.
    #[default]
    Attacks,
    /// Every inspected request.
    All,
}

/// Verdict wire format.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One JSON object per line, `application/x-ndjson`.
    #[default]
    Ndjson,
    /// One OTLP/HTTP JSON `ExportLogsServiceRequest` per batch,
    /// `application/json` (OpenTelemetry logs; `crate::otlp`).
    Otlp,
}

impl Format {
    /// The `content-type` of a batch in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Ndjson => "application/x-ndjson",
            Format::Otlp => "application/json",
        }
    }
}

/// One configuration problem: the JSON path and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Dotted JSON path (`verdict_log.max_batch`, `rules[2]`), `.` for the document.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl ConfigError {
    fn new(path: &str, message: impl Into<String>) -> ConfigError {
        ConfigError { path: path.to_owned(), message: message.into() }
    }
}

impl PluginConfig {
    /// Parse and validate `bytes` (empty or whitespace = all defaults).
    ///
    /// # Errors
    /// The parse error (one, serde stops at the first), or every validation problem.
    pub fn parse(bytes: &[u8]) -> Result<PluginConfig, Vec<ConfigError>> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(PluginConfig::default());
        }
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let config: PluginConfig = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            vec![ConfigError { path, message: e.into_inner().to_string() }]
        })?;
        de.end().map_err(|e| vec![ConfigError::new(".", e.to_string())])?;
        config.validate()?;
        Ok(config)
    }

    /// Check values serde cannot: ranges, non-empty names, unsupported fields.
    ///
    /// # Errors
    /// Every problem found, each naming its JSON path.
    pub fn validate(&self) -> Result<(), Vec<ConfigError>> {
        let mut errs = Vec::new();
        check_rules(&mut errs, "rules", &self.rules, self.mode);
        check_lists(&mut errs, "", [&self.ip_allow, &self.ip_deny, &self.ip_graylist]);
        check_rate_limits(&mut errs, "rate_limits", &self.rate_limits);
        for p in self.client_ip.validate() {
            errs.push(ConfigError::new("client_ip", p));
        }
        let mut seen: BTreeMap<HostPattern, &str> = BTreeMap::new();
        for (key, host) in &self.hosts {
            let path = format!("hosts.{key}");
            match HostPattern::parse(key) {
                Ok(p) => {
                    if let Some(first) = seen.insert(p, key) {
                        errs.push(ConfigError::new(&path, format!("the same host as {first:?} (keys compare case-insensitively)")));
                    }
                }
                Err(e) => errs.push(ConfigError::new(&path, e)),
            }
            if let Some(rules) = &host.rules {
                check_rules(&mut errs, &format!("{path}.rules"), rules, host.mode.unwrap_or(self.mode));
            }
            if let Some(b) = &host.block_response {
                check_block_response(&mut errs, &format!("{path}.block_response"), b);
            }
            check_lists(&mut errs, &format!("{path}."), [&host.ip_allow, &host.ip_deny, &host.ip_graylist]);
            check_rate_limits(&mut errs, &format!("{path}.rate_limits"), &host.rate_limits);
        }
        if self.request_body_limit == 0 {
            errs.push(ConfigError::new("request_body_limit", "must be at least 1 byte"));
        }
        check_block_response(&mut errs, "block_response", &self.block_response);
        if let Some(v) = &self.verdict_log {
            if v.cluster.trim().is_empty() {
                errs.push(ConfigError::new("verdict_log.cluster", "must name an Envoy cluster"));
            }
            if !v.path().starts_with('/') || has_ctl(v.path()) {
                errs.push(ConfigError::new("verdict_log.path", "must start with '/' and hold no control characters"));
            }
            if v.authority.as_deref().is_some_and(|a| a.is_empty() || has_ctl(a)) {
                errs.push(ConfigError::new("verdict_log.authority", "must be a non-empty host without control characters"));
            }
            if v.token.as_deref().is_some_and(|t| t.is_empty() || has_ctl(t)) {
                errs.push(ConfigError::new("verdict_log.token", "must be non-empty and hold no control characters"));
            }
            if let Some(name) = &v.token_env {
                if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    errs.push(ConfigError::new("verdict_log.token_env", "must name an environment variable ([A-Za-z0-9_]+)"));
                }
                if v.token.is_some() {
                    errs.push(ConfigError::new("verdict_log.token_env", "give `token` or `token_env`, not both"));
                }
            }
            if !(10..=3_600_000).contains(&v.flush_interval_ms) {
                errs.push(ConfigError::new("verdict_log.flush_interval_ms", "must be between 10 and 3600000"));
            }
            if v.max_batch == 0 {
                errs.push(ConfigError::new("verdict_log.max_batch", "must be at least 1"));
            }
            if v.max_queue == 0 {
                errs.push(ConfigError::new("verdict_log.max_queue", "must be at least 1"));
            }
        }
        check_ip_lists(&mut errs, self);
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }
}

fn check_ip_lists(errs: &mut Vec<ConfigError>, config: &PluginConfig) {
    let Some(l) = &config.ip_lists else { return };
    if config.verdict_log.is_none() {
        errs.push(ConfigError::new(
            "ip_lists",
            "needs verdict_log: the lists are fetched from its collector (cluster, authority and node token)",
        ));
    }
    if !(100..=3_600_000).contains(&l.interval_ms) {
        errs.push(ConfigError::new("ip_lists.interval_ms", "must be between 100 and 3600000"));
    }
    if !l.path.starts_with('/') || has_ctl(&l.path) {
        errs.push(ConfigError::new("ip_lists.path", "must start with '/' and hold no control characters"));
    }
}

fn check_rules(errs: &mut Vec<ConfigError>, path: &str, rules: &[String], mode: Mode) {
    if rules.is_empty() && mode != Mode::Off {
        errs.push(ConfigError::new(path, "must name at least one entry, e.g. \"@builtin\""));
    }
    for (i, r) in rules.iter().enumerate() {
        if r.trim().is_empty() {
            errs.push(ConfigError::new(&format!("{path}[{i}]"), "empty entry"));
        }
    }
}

/// The three IP lists of a policy (`prefix` is `""` or `hosts.NAME.`).
fn check_lists(errs: &mut Vec<ConfigError>, prefix: &str, lists: [&Vec<String>; 3]) {
    for (name, list) in ["ip_allow", "ip_deny", "ip_graylist"].into_iter().zip(lists) {
        if let Err(problems) = IpList::new(list) {
            for p in problems {
                errs.push(ConfigError::new(&format!("{prefix}{name}[{}]", p.index), format!("{:?}: {}", p.entry, p.problem)));
            }
        }
    }
}

fn check_rate_limits(errs: &mut Vec<ConfigError>, path: &str, rules: &[RateLimitRule]) {
    for (i, r) in rules.iter().enumerate() {
        for p in r.validate() {
            errs.push(ConfigError::new(&format!("{path}[{i}]"), p));
        }
    }
}

fn check_block_response(errs: &mut Vec<ConfigError>, path: &str, b: &BlockResponse) {
    if let Some(s) = b.status {
        if !(200..=599).contains(&s) {
            errs.push(ConfigError::new(&format!("{path}.status"), format!("{s} is not an HTTP status between 200 and 599")));
        }
    }
    if has_ctl(&b.content_type) || b.content_type.is_empty() {
        errs.push(ConfigError::new(&format!("{path}.content_type"), "must be a non-empty header value without control characters"));
    }
}

fn has_ctl(s: &str) -> bool {
    s.chars().any(char::is_control)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn err(json: &str) -> String {
        PluginConfig::parse(json.as_bytes()).unwrap_err().iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn empty_means_defaults() {
        let c = PluginConfig::parse(b"").unwrap();
        assert_eq!(c.mode, Mode::Block);
        assert_eq!(c.rules, ["@builtin"]);
        assert_eq!(c.request_body_limit, 131_072);
        assert_eq!(c.request_body_limit_action, BodyLimitAction::Reject);
        assert_eq!(c.block_response, BlockResponse::default());
        assert!(c.verdict_log.is_none());
        assert_eq!(PluginConfig::parse(b"{}").unwrap().rules, ["@builtin"]);
    }

    #[test]
    fn full_config() {
        let c = PluginConfig::parse(
            br#"{"mode":"monitor","application_id":"shop","rules":["@crs","SecAction \"id:1,pass\""],
                "request_body_limit":10,"request_body_limit_action":"process_partial",
                "block_response":{"status":429,"body":"no %{unique_id}","content_type":"text/plain"},
                "verdict_log":{"cluster":"logs","token":"t","flush_interval_ms":200,"max_batch":2,"max_queue":5,"include":"all","format":"ndjson"}}"#,
        )
        .unwrap();
        assert_eq!(c.mode, Mode::Monitor);
        assert_eq!(c.application_id, Some(ApplicationId::Str("shop".into())));
        assert_eq!(c.request_body_limit_action, BodyLimitAction::ProcessPartial);
        assert_eq!(c.block_response.status, Some(429));
        let v = c.verdict_log.unwrap();
        assert_eq!((v.path(), v.authority(), v.max_batch, v.include), ("/v1/verdicts", "logs", 2, Include::All));
        assert_eq!(PluginConfig::parse(br#"{"application_id":7}"#).unwrap().application_id, Some(ApplicationId::Int(7)));
    }

    #[test]
    fn errors_name_the_path() {
        assert!(err(r#"{"mode":"blok"}"#).starts_with("mode: unknown variant `blok`"), "{}", err(r#"{"mode":"blok"}"#));
        assert!(err(r#"{"verdict_log":{"cluster":"c","max_batch":"x"}}"#).starts_with("verdict_log.max_batch: invalid type"));
        assert!(err(r#"{"block_response":{"colour":1}}"#).starts_with("block_response.colour: unknown field `colour`"));
        assert!(err(r#"{"rules":["@crs",3]}"#).starts_with("rules[1]: invalid type"));
        assert!(err(r#"{"typo":1}"#).starts_with("typo: unknown field `typo`, expected one of `mode`"), "{}", err(r#"{"typo":1}"#));
        assert!(err(r#"{"application_id":1.5}"#).contains("an integer or a string"));
        assert!(err(r#"{"verdict_log":{}}"#).contains("verdict_log: missing field `cluster`"));
        assert!(err("{").contains("EOF"));
        assert!(err("{} x").contains("trailing characters"));
    }

    #[test]
    fn validation_reports_every_problem() {
        let e = err(r#"{"rules":[],"request_body_limit":0,"block_response":{"status":99},
                       "verdict_log":{"cluster":"","path":"v1","max_batch":0,"max_queue":0,"flush_interval_ms":1}}"#);
        for want in [
            "rules: must name",
            "request_body_limit: must be",
            "block_response.status: 99",
            "verdict_log.cluster",
            "verdict_log.path",
            "verdict_log.flush_interval_ms",
            "verdict_log.max_batch",
            "verdict_log.max_queue",
        ] {
            assert!(e.contains(want), "missing {want:?} in:\n{e}");
        }
    }

    #[test]
    fn hosts_are_parsed_and_bad_keys_named() {
        let c = PluginConfig::parse(br#"{"hosts":{"a.example":{"mode":"off"},"*.Example.com":{"application_id":2,"mode":"safe_block"}}}"#).unwrap();
        assert_eq!(c.hosts.len(), 2);
        assert_eq!(c.hosts["*.Example.com"].mode, Some(Mode::SafeBlock));
        for bad in ["a.*.com", "*", "", "a b", "api.example.com:8080", "*.", "x..y"] {
            let e = err(&format!(r#"{{"hosts":{{"{bad}":{{}}}}}}"#));
            assert!(e.starts_with(&format!("hosts.{bad}: ")), "{bad}: {e}");
        }
        assert!(err(r#"{"hosts":{"A.example":{},"a.example":{}}}"#).contains("the same host"));
        assert!(err(r#"{"hosts":{"a.example":{"mode":"fast"}}}"#).starts_with("hosts.a.example.mode: unknown variant"), "{}", err(r#"{"hosts":{"a.example":{"mode":"fast"}}}"#));
        assert!(err(r#"{"hosts":{"a.example":{"rules":[]}}}"#).starts_with("hosts.a.example.rules: must name"));
        assert!(err(r#"{"hosts":{"a.example":{"colour":1}}}"#).contains("unknown field `colour`"));
    }

    #[test]
    fn token_from_the_environment() {
        let c = PluginConfig::parse(br#"{"verdict_log":{"cluster":"c","token_env":"PORTCULLIS_TEST_TOKEN_X"}}"#).unwrap();
        let vl = c.verdict_log.unwrap();
        assert!(vl.resolved_token().unwrap_err().contains("PORTCULLIS_TEST_TOKEN_X is not set"));
        assert!(err(r#"{"verdict_log":{"cluster":"c","token":"t","token_env":"X"}}"#).contains("not both"));
        assert!(err(r#"{"verdict_log":{"cluster":"c","token_env":"A-B"}}"#).starts_with("verdict_log.token_env: must name"));
    }

    #[test]
    fn ip_lists_need_verdict_log_and_sane_values() {
        let c = PluginConfig::parse(br#"{"verdict_log":{"cluster":"c"},"ip_lists":{}}"#).unwrap();
        assert_eq!(c.ip_lists, Some(IpListsConfig { interval_ms: 5000, path: "/v1/ip-lists".to_owned() }));
        assert_eq!(
            err(r#"{"ip_lists":{"interval_ms":1000}}"#),
            "ip_lists: needs verdict_log: the lists are fetched from its collector (cluster, authority and node token)"
        );
        let e = err(r#"{"verdict_log":{"cluster":"c"},"ip_lists":{"interval_ms":5,"path":"v1"}}"#);
        assert!(e.contains("ip_lists.interval_ms: must be between 100") && e.contains("ip_lists.path: must start"), "{e}");
        assert!(err(r#"{"verdict_log":{"cluster":"c"},"ip_lists":{"every":5}}"#).contains("unknown field `every`"));
    }

    #[test]
    fn authority_hosts_and_patterns() {
        assert_eq!(authority_host(b"API.Example.com:8443"), "api.example.com");
        assert_eq!(authority_host(b"[::1]:80"), "[::1]");
        assert_eq!(authority_host(b"shop"), "shop");
        let p = HostPattern::parse("*.example.com").unwrap();
        assert!(p.matches("a.example.com") && p.matches("a.b.example.com"));
        assert!(!p.matches("example.com") && !p.matches("badexample.com"));
        assert!(HostPattern::parse("api.example.com").unwrap().specificity() > p.specificity());
        assert!(HostPattern::parse("*.api.example.com").unwrap().specificity() > p.specificity());
    }
}
