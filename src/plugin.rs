//! A configured plugin: the parsed configuration plus the rule set compiled
//! from it, built once per VM in `on_configure` and shared by every stream.
//! Also the VM's pool of idle transactions (reused through `Transaction::reset`).

use std::cell::RefCell;
use std::sync::Arc;

use portcullis_engine::{Config, RuleEngineMode, RuleSet, RuleSource, Transaction};

use crate::config::{BodyLimitAction, Mode, PluginConfig};

/// Idle transactions kept per VM; beyond it, finished ones are dropped.
const POOL_MAX: usize = 64;

/// The plugin a VM runs: configuration and compiled rules.
#[derive(Debug)]
pub struct Plugin {
    /// The parsed configuration.
    pub config: PluginConfig,
    /// The compiled rules; `None` in mode `off` (nothing is compiled or run).
    pub rules: Option<Arc<RuleSet>>,
    pool: RefCell<Vec<Transaction>>,
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

    /// Compile the rules of an already validated `config`.
    ///
    /// # Errors
    /// Every rule diagnostic, each `file:line:col: message`.
    pub fn compile(config: PluginConfig, source: &dyn RuleSource) -> Result<Plugin, Vec<String>> {
        let rules = match config.mode {
            Mode::Off => None,
            mode => {
                let engine = Config {
                    rule_engine: Some(if mode == Mode::Monitor { RuleEngineMode::DetectionOnly } else { RuleEngineMode::On }),
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
                let entries: Vec<&str> = config.rules.iter().map(String::as_str).collect();
                let set = RuleSet::builder().config(engine).build(source, &entries).map_err(|e| {
                    let mut out: Vec<String> = e.diagnostics.iter().map(|d| format!("invalid rules: {d}")).collect();
                    if out.is_empty() {
                        out.push(format!("invalid rules: {e}"));
                    }
                    out
                })?;
                Some(Arc::new(set))
            }
        };
        Ok(Plugin { config, rules, pool: RefCell::new(Vec::new()) })
    }

    /// A transaction over this plugin's rules (from the pool when one is idle).
    pub fn transaction(&self) -> Option<Transaction> {
        let rules = self.rules.as_ref()?;
        let pooled = self.pool.try_borrow_mut().ok().and_then(|mut p| p.pop());
        Some(pooled.unwrap_or_else(|| Transaction::new(Arc::clone(rules))))
    }

    /// Return a finished transaction: reset it and keep it for the next stream.
    pub fn recycle(&self, mut tx: Transaction) {
        let Some(rules) = &self.rules else { return };
        if !Arc::ptr_eq(tx.rules(), rules) {
            return;
        }
        if let Ok(mut pool) = self.pool.try_borrow_mut() {
            if pool.len() < POOL_MAX {
                tx.reset();
                pool.push(tx);
            }
        }
    }

    /// Idle transactions in the pool.
    pub fn pooled(&self) -> usize {
        self.pool.try_borrow().map(|p| p.len()).unwrap_or(0)
    }
}
