//! [`RuleSet`] (compiled, read-only) and its builder.

use std::sync::Arc;

use crate::expand::TxNames;
use crate::load::{self, Files};
use crate::operator::pm::Pm;
use crate::operator::rx::Rx;
use crate::prefilter::Prefilter;
use crate::program::{Defaults, Rule, Settings, Step};
use crate::source::{RuleEntry, RuleSource};
use crate::tchain::Chains;
use crate::compile::Parts;
use crate::{BuildError, Config, RuleEngineMode, Transaction};

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
    ///
    /// # Errors
    /// Every problem found (syntax, unknown names, regexes that do not
    /// compile, duplicate ids, ...), each with file, line and column. The
    /// build fails closed: one error refuses the whole rule set.
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
    ///
    /// # Errors
    /// As [`RuleSetBuilder::build`].
    pub fn build_entries(&self, source: &dyn RuleSource, entries: &[RuleEntry<'_>]) -> Result<RuleSet, BuildError> {
        let mut files = Files::default();
        let directives = load::load_entries(source, entries, &mut files);
        let set = RuleSet::from_parts(crate::compile::compile(directives, &mut files, source, &self.config));
        if files.diags.is_empty() {
            Ok(set)
        } else {
            Err(BuildError { diagnostics: files.diags })
        }
    }
}

/// A compiled rule set: read-only and `Send + Sync`; share it in an `Arc`
/// and make one [`Transaction`] per request (or reuse one with `reset`).
#[derive(Debug)]
pub struct RuleSet {
    pub(crate) rules: Vec<Rule>,
    pub(crate) phases: [Vec<Step>; 6],
    pub(crate) regexes: Vec<Rx>,
    pub(crate) pms: Vec<Option<Pm>>,
    pub(crate) key_regexes: Vec<regex_automata::meta::Regex>,
    pub(crate) chains: Chains,
    pub(crate) prefilter: Option<Prefilter>,
    pub(crate) tx_names: TxNames,
    pub(crate) settings: Settings,
    pub(crate) defaults: [Defaults; 6],
    pub(crate) file_names: Vec<String>,
    pub(crate) signatures: Vec<String>,
    pub(crate) warnings: Vec<crate::Diagnostic>,
    pub(crate) skipped_rules: usize,
}

/// Counts describing a compiled rule set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSetStats {
    /// Rules, chain links counted once each.
    pub rules: usize,
    /// Chains' first rules and single rules (what has an id).
    pub rule_ids: usize,
    /// Distinct compiled regexes.
    pub regexes: usize,
    /// `@rx` rules whose regex runs only when one of its literals occurs.
    pub prefiltered_rules: usize,
    /// `@pm` rules decided by their chain's prefilter scan.
    pub prefiltered_phrase_rules: usize,
    /// `@rx` rules that cannot be prefiltered (run on every value);
    /// confirmations (`SecRuleConfirmByTag`/`ById`) are not counted.
    pub unfiltered_rx_rules: usize,
    /// Interned transformation chains.
    pub transformation_chains: usize,
    /// Phrase sets (`@pm`, `@pmFromFile`).
    pub phrase_sets: usize,
}

impl RuleSet {
    /// A builder with the default [`Config`].
    pub fn builder() -> RuleSetBuilder {
        RuleSetBuilder::default()
    }

    pub(crate) fn from_parts(p: Parts) -> RuleSet {
        RuleSet {
            rules: p.rules,
            phases: p.phases,
            regexes: p.regexes,
            pms: p.pms,
            key_regexes: p.key_regexes,
            chains: p.chains,
            prefilter: p.prefilter,
            tx_names: p.tx_names,
            settings: p.settings,
            defaults: p.defaults,
            file_names: p.file_names,
            signatures: p.signatures,
            warnings: p.warnings,
            skipped_rules: p.skipped_rules,
        }
    }

    /// A new transaction over this rule set.
    pub fn new_transaction(self: &Arc<Self>) -> Transaction {
        Transaction::new(Arc::clone(self))
    }

    /// Number of rules (chain links count once each).
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// Counts of rules, regexes, prefilter coverage and chains.
    pub fn stats(&self) -> RuleSetStats {
        let mut s = RuleSetStats {
            rules: self.rules.len(),
            rule_ids: self.rules.iter().filter(|r| !r.is_link).count(),
            regexes: self.regexes.len(),
            transformation_chains: self.chains.len(),
            phrase_sets: self.pms.len(),
            ..RuleSetStats::default()
        };
        for r in &self.rules {
            let filtered = r.prefilter.is_some();
            match r.op.op {
                crate::operator::Op::Rx(_) if filtered => s.prefiltered_rules += 1,
                crate::operator::Op::Rx(_) if !r.confirmation => s.unfiltered_rx_rules += 1,
                crate::operator::Op::Pm(_) if filtered => s.prefiltered_phrase_rules += 1,
                _ => {}
            }
        }
        s
    }

    /// Ids of `@rx` rules that cannot be prefiltered, with their patterns.
    /// Confirmations (`SecRuleConfirmByTag`/`ById`) are not listed: they run only
    /// on a value another rule matched, never over the request.
    pub fn unfiltered_rx_rules(&self) -> Vec<(i64, &str)> {
        let mut head = 0;
        let mut out = Vec::new();
        for r in self.rules.iter().filter(|r| !r.confirmation) {
            if !r.is_link {
                head = r.rule_id.get();
            }
            if let crate::operator::Op::Rx(i) = r.op.op {
                if r.prefilter.is_none() {
                    out.push((head, self.regexes.get(i as usize).map(|x| &*x.pattern).unwrap_or("")));
                }
            }
        }
        out
    }

    /// Heap bytes held by the compiled rules (regexes, automata, tables), approximately.
    pub fn memory_usage(&self) -> usize {
        let rx: usize = self.regexes.iter().map(|r| r.memory_usage()).sum();
        let pm: usize = self.pms.iter().flatten().map(|p| p.ac.memory_usage()).sum();
        let pf: usize = self.prefilter.as_ref().map_or(0, Prefilter::memory_usage);
        let keys: usize = self.key_regexes.iter().map(|r| r.memory_usage()).sum();
        rx + pm + pf + keys + self.rules.len() * std::mem::size_of::<Rule>()
    }

    /// The `SecRuleEngine` mode transactions start in.
    pub fn rule_engine(&self) -> RuleEngineMode {
        self.settings.rule_engine
    }

    /// Warnings of the build: with [`Config::skip_unsupported`], one per
    /// skipped rule, naming it and what it uses that is not supported.
    pub fn warnings(&self) -> &[crate::Diagnostic] {
        &self.warnings
    }

    /// Number of rules (chains) skipped as unsupported.
    pub fn skipped_rules(&self) -> usize {
        self.skipped_rules
    }

    /// `SecComponentSignature` values, in order.
    pub fn component_signatures(&self) -> &[String] {
        &self.signatures
    }

    /// The request body limit in effect (bytes).
    pub fn request_body_limit(&self) -> usize {
        self.settings.request_body_limit
    }

    /// Whether rules inspect the request body (`SecRequestBodyAccess`).
    pub fn request_body_access(&self) -> bool {
        self.settings.request_body_access
    }
}
