//! A configured plugin: the parsed configuration, its policies (the default
//! one and one per `hosts` entry, docs/policies.md) and the rule sets they
//! run, built once per VM in `on_configure` and shared by every stream.
//! Hosts with the same `rules` list share one compiled rule set. Also the
//! VM's pools of idle transactions, one per rule set (reused through
//! `Transaction::reset`).

use std::cell::RefCell;
use std::sync::Arc;

use portcullis_engine::{Config, RuleEngineMode, RuleSet, RuleSource, Transaction};

use crate::console::ConsoleLists;
use crate::config::{ApplicationId, BlockResponse, BodyLimitAction, HostPattern, Mode, PluginConfig};
use crate::policy::ip::IpList;
use crate::policy::ratelimit::{Limiter, RateLimitRule};

/// A name for this configuration's rate limits in shared data: a changed
/// set of rules starts from fresh buckets. Stable across the VMs (workers)
/// of one build, which is all that shares the data.
fn limits_fingerprint(policies: &[Policy]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    for p in policies {
        format!("{:?}", p.rate_limits).hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

/// Idle transactions kept per rule set and VM; beyond it, finished ones are dropped.
const POOL_MAX: usize = 64;

/// What applies to one request: chosen from its `:authority`.
#[derive(Debug)]
pub struct Policy {
    /// `default`, or the `hosts` key (as written) that chose it.
    pub name: String,
    /// The mode that applies.
    pub mode: Mode,
    /// The application id copied into verdicts and metrics.
    pub application_id: Option<ApplicationId>,
    /// Index of the policy's rule set in the plugin; `None` in mode `off`.
    rule_set: Option<usize>,
    /// The reply to a blocked request.
    pub block_response: BlockResponse,
    /// Sources never inspected (the default's entries and the host's).
    pub ip_allow: IpList,
    /// Sources refused in every mode but `off`.
    pub ip_deny: IpList,
    /// Sources `safe_block` blocks.
    pub ip_graylist: IpList,
    /// The rate limits that apply, each with its index in the plugin's
    /// limiter (a default rule keeps one index, and so one set of buckets,
    /// on every host).
    pub rate_limits: Vec<(usize, RateLimitRule)>,
}

impl Policy {
    /// The engine mode a transaction of this policy starts in: `block` is
    /// On, `monitor` DetectionOnly, `safe_block` On only for a graylisted
    /// source (`graylisted`).
    pub fn rule_engine(&self, graylisted: bool) -> RuleEngineMode {
        match self.mode {
            Mode::Block => RuleEngineMode::On,
            Mode::Monitor => RuleEngineMode::DetectionOnly,
            Mode::SafeBlock if graylisted => RuleEngineMode::On,
            Mode::SafeBlock => RuleEngineMode::DetectionOnly,
            Mode::Off => RuleEngineMode::Off,
        }
    }
}

/// The plugin a VM runs: configuration, policies and compiled rules.
#[derive(Debug)]
pub struct Plugin {
    /// The parsed configuration.
    pub config: PluginConfig,
    /// The default policy first, then one per `hosts` entry.
    policies: Vec<Policy>,
    /// Host patterns with their policy index, most specific first.
    hosts: Vec<(HostPattern, usize)>,
    /// The compiled rule sets, one per distinct `rules` list in use.
    rule_sets: Vec<Arc<RuleSet>>,
    /// Idle transactions per rule set.
    pools: Vec<RefCell<Vec<Transaction>>>,
    /// The token buckets of every rate limit, in shared data.
    pub limiter: Limiter,
    /// The console's IP lists in force (`ip_lists`; empty without it), replaced by the root
    /// context's fetches and read by every stream.
    pub console: ConsoleLists,
}

impl Plugin {
    /// Parse `bytes` and compile its rules with `source`.
    ///
    /// # Errors
    /// Every problem, one line each: configuration errors by JSON path, rule
    /// errors as `file:line:col: message` (with the source line and a caret).
    pub fn build(bytes: &[u8], source: &dyn RuleSource) -> Result<Plugin, Vec<String>> {
        let config = PluginConfig::parse(bytes)
            .map_err(|errs| errs.iter().map(|e| format!("invalid plugin configuration: {e}")).collect::<Vec<_>>())?;
        Plugin::compile(config, source)
    }

    /// Build the policies of an already validated `config` and compile each
    /// distinct rules list once.
    ///
    /// # Errors
    /// Every rule diagnostic, each `file:line:col: message`, naming the
    /// rules list it came from when that is a host's.
    pub fn compile(config: PluginConfig, source: &dyn RuleSource) -> Result<Plugin, Vec<String>> {
        let engine = Config {
            // The policy sets each transaction's mode (Policy::rule_engine).
            rule_engine: None,
            request_body_limit: Some(config.request_body_limit),
            request_body_limit_action: Some(match config.request_body_limit_action {
                BodyLimitAction::Reject => portcullis_engine::BodyLimitAction::Reject,
                BodyLimitAction::ProcessPartial => portcullis_engine::BodyLimitAction::ProcessPartial,
            }),
            response_body_limit: None,
            // A filter never drops rules silently: unsupported ones fail the configuration.
            skip_unsupported: false,
            early_request_decision: Some(config.early_request_decision),
        };
        let mut lists: Vec<Vec<String>> = Vec::new();
        let mut rule_sets = Vec::new();
        let mut errors = Vec::new();
        let mut policies = Vec::new();
        let mut compile_list = |rules: &[String], mode: Mode, origin: &str| -> Option<usize> {
            if mode == Mode::Off {
                return None;
            }
            if let Some(i) = lists.iter().position(|l| l.as_slice() == rules) {
                return Some(i);
            }
            let entries: Vec<&str> = rules.iter().map(String::as_str).collect();
            match RuleSet::builder().config(engine.clone()).build(source, &entries) {
                Ok(set) => {
                    lists.push(rules.to_vec());
                    rule_sets.push(Arc::new(set));
                    Some(rule_sets.len() - 1)
                }
                Err(e) => {
                    let before = errors.len();
                    errors.extend(e.diagnostics.iter().map(|d| format!("invalid rules{origin}: {d}")));
                    if errors.len() == before {
                        errors.push(format!("invalid rules{origin}: {e}"));
                    }
                    None
                }
            }
        };
        // Lists were checked by PluginConfig::validate; a list that does not
        // parse here is empty (it cannot happen for a validated config).
        let list = |entries: &[String]| IpList::new(entries).unwrap_or_default();
        let (allow, deny, gray) = (list(&config.ip_allow), list(&config.ip_deny), list(&config.ip_graylist));
        let limits: Vec<(usize, RateLimitRule)> = config.rate_limits.iter().cloned().enumerate().collect();
        let mut next_limit = limits.len();
        policies.push(Policy {
            name: "default".to_owned(),
            mode: config.mode,
            application_id: config.application_id.clone(),
            rule_set: compile_list(&config.rules, config.mode, ""),
            block_response: config.block_response.clone(),
            ip_allow: allow.clone(),
            ip_deny: deny.clone(),
            ip_graylist: gray.clone(),
            rate_limits: limits.clone(),
        });
        let mut hosts = Vec::new();
        for (key, h) in &config.hosts {
            let mut rate_limits = limits.clone();
            for r in &h.rate_limits {
                rate_limits.push((next_limit, r.clone()));
                next_limit += 1;
            }
            let mode = h.mode.unwrap_or(config.mode);
            let rules = h.rules.as_deref().unwrap_or(&config.rules);
            let rule_set = compile_list(rules, mode, &format!(" (hosts.{key}.rules)"));
            // Validated by PluginConfig::parse; a key that does not parse matches nothing.
            if let Ok(pattern) = HostPattern::parse(key) {
                hosts.push((pattern, policies.len()));
            }
            policies.push(Policy {
                name: key.clone(),
                mode,
                application_id: h.application_id.clone().or_else(|| config.application_id.clone()),
                rule_set,
                block_response: h.block_response.clone().unwrap_or_else(|| config.block_response.clone()),
                ip_allow: allow.merged(&list(&h.ip_allow)),
                ip_deny: deny.merged(&list(&h.ip_deny)),
                ip_graylist: gray.merged(&list(&h.ip_graylist)),
                rate_limits,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        hosts.sort_by_key(|h| std::cmp::Reverse(h.0.specificity()));
        let pools = rule_sets.iter().map(|_| RefCell::new(Vec::new())).collect();
        let limiter = Limiter::new(limits_fingerprint(&policies));
        Ok(Plugin { config, policies, hosts, rule_sets, pools, limiter, console: ConsoleLists::default() })
    }

    /// The index of the policy for a request to `host` (the `:authority`'s
    /// host, lowercased and without port: `config::authority_host`): the
    /// most specific matching `hosts` entry, else the default (0).
    pub fn policy_for(&self, host: &str) -> usize {
        self.hosts.iter().find(|(p, _)| p.matches(host)).map_or(0, |&(_, i)| i)
    }

    /// Policy `i` (see [`Plugin::policy_for`]); the default one for an unknown index.
    pub fn policy(&self, i: usize) -> &Policy {
        self.policies.get(i).unwrap_or(&self.policies[0])
    }

    /// Every policy, the default first.
    pub fn policies(&self) -> &[Policy] {
        &self.policies
    }

    /// The compiled rule sets (one per distinct rules list in use).
    pub fn rule_sets(&self) -> &[Arc<RuleSet>] {
        &self.rule_sets
    }

    /// The rule set `policy` runs, if any.
    pub fn rules_of(&self, policy: &Policy) -> Option<&Arc<RuleSet>> {
        self.rule_sets.get(policy.rule_set?)
    }

    /// A transaction over `policy`'s rules (from the pool when one is idle).
    pub fn transaction(&self, policy: &Policy) -> Option<Transaction> {
        let i = policy.rule_set?;
        let rules = self.rule_sets.get(i)?;
        let pooled = self.pools.get(i).and_then(|p| p.try_borrow_mut().ok()).and_then(|mut p| p.pop());
        Some(pooled.unwrap_or_else(|| Transaction::new(Arc::clone(rules))))
    }

    /// Return a finished transaction: reset it and keep it for the next stream.
    pub fn recycle(&self, mut tx: Transaction) {
        let Some(i) = self.rule_sets.iter().position(|r| Arc::ptr_eq(tx.rules(), r)) else { return };
        let Some(pool) = self.pools.get(i) else { return };
        if let Ok(mut pool) = pool.try_borrow_mut() {
            if pool.len() < POOL_MAX {
                tx.reset();
                pool.push(tx);
            }
        }
    }

    /// Idle transactions in all pools.
    pub fn pooled(&self) -> usize {
        self.pools.iter().map(|p| p.try_borrow().map(|p| p.len()).unwrap_or(0)).sum()
    }
}
