//! Rule evaluation, split by concern. Follows ModSecurity v3's
//! `RulesSet::evaluate` and `RuleWithOperator::evaluate`:
//! rule → targets → values ([`values`]) → transformations and prefilter
//! ([`prefilter`]) → operator ([`operator`]) → actions ([`actions`]), with
//! macros expanded by [`macros`]. The phase entry points and the request
//! body's processing are in [`phases`]; the early request decision in
//! [`early`]. Every module adds methods to [`Transaction`]; none of them
//! holds state of its own.

mod actions;
mod early;
mod macros;
mod operator;
mod phases;
mod prefilter;
mod values;

use std::sync::Arc;

use crate::action::Disruptive;
use crate::id::Phase;
use crate::program::{allow_skips, EarlyRole, Rule, RuleIdx, Step};
use crate::transaction::{Coll, EarlyPass, Transaction};
use crate::variable::Variable;
use crate::{RuleEngineMode, RuleSet};

impl Transaction {
    /// Run phase `phase` (1-5).
    pub(crate) fn run_phase(&mut self, phase: Phase) {
        if self.flow.engine == RuleEngineMode::Off {
            return;
        }
        if allow_skips(self.flow.allow, phase) {
            return;
        }
        self.flow.allow = None;
        self.flow.skip_next = 0;
        // Request data may have grown since the last phase (body, response).
        self.scratch.summaries.clear();
        let rs = Arc::clone(&self.rules);
        let Some(steps) = rs.phases.get(phase.index()) else { return };
        let mut pos = 0usize;
        while let Some(step) = steps.get(pos) {
            pos += 1;
            let Step::Rule(idx) = *step else { continue };
            if self.flow.skip_next > 0 {
                self.flow.skip_next -= 1;
                continue;
            }
            if self.flow.allow.is_some() {
                continue;
            }
            let Some(rule) = rs.rules.get(idx as usize) else { continue };
            if !self.flow.ctl.is_empty_removals() && self.removed(rule) {
                continue;
            }
            self.eval_rule(&rs, idx, 0);
            if let Some(to) = self.flow.skip_to.take() {
                pos = to as usize;
            }
            if (self.flow.interruption.is_some() && phase != Phase::Logging) || self.flow.early == EarlyPass::Abandoned {
                break;
            }
        }
    }


    /// SecRuleConfirmByTag/ById: whether every confirmation of `rule` holds for
    /// the value `orig` (as it arrived, before the rule's transformations).
    /// A confirmation with `multiMatch` holds when its operator matches the
    /// value or any step of its chain that changed it. Runs only after the
    /// rule matched, so it costs nothing on values the rule passes.
    fn confirmed(&mut self, rs: &RuleSet, rule: &Rule, orig: crate::transaction::Span) -> bool {
        rule.confirm.iter().all(|&c| {
            let Some(cr) = rs.rules.get(c as usize) else { return true };
            if !cr.multi_match {
                let v = self.transformed(rs, orig, cr.chain);
                return self.test(rs, cr, v);
            }
            if self.test(rs, cr, orig) {
                return true;
            }
            let mut prev = orig;
            cr.mm_nodes.iter().any(|&node| {
                let v = self.transformed(rs, orig, node);
                let changed = v != prev;
                prev = v;
                changed && self.test(rs, cr, v)
            })
        })
    }


    /// A rule that did not match clears MATCHED_VAR(S) (ModSecurity v3).
    pub(super) fn clear_matched(&mut self) {
        self.st.set_scalar_none(Variable::MatchedVar);
        self.st.set_scalar_none(Variable::MatchedVarName);
        self.st.colls[Coll::MatchedVars as usize].clear();
    }


    pub(super) fn removed(&self, rule: &Rule) -> bool {
        rule.rule_id.in_ranges(&self.flow.ctl.remove_ids)
            || self.flow.ctl.remove_tags.iter().any(|&t| rule.has_tag(t))
    }


    /// Evaluate rule `idx` (and its chain). True when the whole chain matched.
    pub(super) fn eval_rule(&mut self, rs: &RuleSet, idx: RuleIdx, depth: usize) -> bool {
        let Some(rule) = rs.rules.get(idx as usize) else { return false };
        if rule.is_link && rule.rule_id != 0 && self.removed(rule) {
            return false;
        }
        if !rule.is_link {
            self.flow.mm_mark = self.flow.matches.len();
            if self.flow.early != EarlyPass::Off {
                match rule.early.role(self.flow.early_body) {
                    EarlyRole::Known => {}
                    EarlyRole::Unknown => {
                        self.clear_matched();
                        return false;
                    }
                    EarlyRole::Undecidable => {
                        self.flow.early = EarlyPass::Abandoned;
                        return false;
                    }
                }
            }
        }
        let mut matched = false;
        if rule.summarizable {
            if let Some(item) = rule.prefilter {
                if !self.any_possible(rs, rule, item) {
                    self.clear_matched();
                    return false;
                }
            }
        }
        if rule.unconditional {
            matched = true;
            self.run_setvars(rs, rule);
        } else {
            while self.scratch.handles.len() <= depth {
                self.scratch.handles.push(Vec::new());
            }
            let mut hs = self.scratch.handles.get_mut(depth).map(std::mem::take).unwrap_or_default();
            hs.clear();
            let mut removals = std::mem::take(&mut self.scratch.removals);
            self.removals_for(rule, &mut removals);
            for t in rule.targets.iter() {
                let before = hs.len();
                self.collect(rs, t, &mut hs);
                if !t.count && (!rule.excludes.is_empty() || !removals.is_empty()) {
                    let mut i = before;
                    while i < hs.len() {
                        if self.excluded(rs, rule, &removals, &hs[i]) {
                            hs.remove(i);
                        } else {
                            i += 1;
                        }
                    }
                }
            }
            self.scratch.removals = removals;
            for h in hs.iter() {
                if rule.multi_match {
                    // The value before, and after every transformation that changed it.
                    // Confirmations read the value as it arrived: asked once per value.
                    let mut confirmed: Option<bool> = None;
                    if self.test(rs, rule, h.val) && *confirmed.get_or_insert_with(|| self.confirmed(rs, rule, h.val)) {
                        matched = true;
                        self.on_match(rs, rule, h, h.val);
                    }
                    let mut prev = h.val;
                    for &node in rule.mm_nodes.iter() {
                        let v = self.transformed(rs, h.val, node);
                        if v != prev {
                            prev = v;
                            if self.test(rs, rule, v) && *confirmed.get_or_insert_with(|| self.confirmed(rs, rule, h.val)) {
                                matched = true;
                                self.on_match(rs, rule, h, v);
                            }
                        }
                    }
                } else {
                    let v = self.transformed(rs, h.val, rule.chain);
                    if self.test(rs, rule, v) && self.confirmed(rs, rule, h.val) {
                        matched = true;
                        self.on_match(rs, rule, h, v);
                    }
                }
            }
            if let Some(slot) = self.scratch.handles.get_mut(depth) {
                *slot = hs;
            }
        }
        if !matched {
            self.clear_matched();
            return false;
        }
        if let Some(next) = rule.next {
            if !self.eval_rule(rs, next, depth + 1) {
                // The chain failed: per-value multiMatch entries of its first
                // rule are dropped (libmodsecurity3 keeps them, a bug CRS's
                // tests work around).
                if rule.multi_match && !rule.is_link {
                    self.flow.matches.truncate(self.flow.mm_mark);
                }
                return false;
            }
        }
        self.after_full_match(rs, idx);
        true
    }
}


/// Entry `slot` of a per-value cache indexed by value slot, growing the
/// cache with `empty` (the "not computed" mark) as needed.
pub(super) fn slot_entry<T: Clone>(cache: &mut Vec<T>, slot: usize, empty: T) -> Option<&mut T> {
    if slot >= cache.len() {
        cache.resize(slot + 1, empty);
    }
    cache.get_mut(slot)
}


/// The disruptive action a full match of `rule` takes: its own, else, for
/// `block`, its phase's `SecDefaultAction`.
pub(super) fn decided_action<'r>(rs: &'r RuleSet, rule: &'r Rule) -> Option<&'r Disruptive> {
    rule.disruptive.as_ref().or_else(|| if rule.block { rs.defaults.get(rule.phase.index()).map(|d| &d.disruptive) } else { None })
}
