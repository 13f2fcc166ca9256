//! [`Config`]: what a host sets over the rule files' own settings.

use crate::{BodyLimitAction, RuleEngineMode};

/// Limits and switches applied over what the rule files set. Every field is
/// optional: `None` keeps the rule files' value (or ModSecurity's default).
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
    /// Skip rules that use a construct this engine does not support (regex
    /// look-around or backreferences, operators such as `@rbl`), each with a
    /// warning in [`crate::RuleSet::warnings`], instead of refusing the rule set.
    /// Off by default: a WAF that silently drops rules protects less than
    /// its operator believes.
    pub skip_unsupported: bool,
    /// Decide what can be decided when the request headers end, before a
    /// body arrives (a Portcullis extension, on by default; see
    /// [`crate::Transaction::on_request_headers`]).
    pub early_request_decision: Option<bool>,
}

impl Config {
    /// A config that changes nothing.
    pub fn new() -> Config {
        Config::default()
    }

    /// Set [`Config::rule_engine`].
    pub fn rule_engine(mut self, mode: Option<RuleEngineMode>) -> Config {
        self.rule_engine = mode;
        self
    }

    /// Set [`Config::request_body_limit`].
    pub fn request_body_limit(mut self, limit: Option<usize>) -> Config {
        self.request_body_limit = limit;
        self
    }

    /// Set [`Config::request_body_limit_action`].
    pub fn request_body_limit_action(mut self, action: Option<BodyLimitAction>) -> Config {
        self.request_body_limit_action = action;
        self
    }

    /// Set [`Config::skip_unsupported`].
    pub fn skip_unsupported(mut self, yes: bool) -> Config {
        self.skip_unsupported = yes;
        self
    }

    /// Set [`Config::early_request_decision`].
    pub fn early_request_decision(mut self, on: Option<bool>) -> Config {
        self.early_request_decision = on;
        self
    }

    /// Set [`Config::response_body_limit`].
    pub fn response_body_limit(mut self, limit: Option<usize>) -> Config {
        self.response_body_limit = limit;
        self
    }
}

