//! What a match does: MATCHED_VAR(S), `setvar`, the run actions (`ctl`,
//! `skip`, `skipAfter`, `status`), the disruptive action, and the logged
//! rule match.

use super::decided_action;
use super::macros::{expand_into, hex_if_needed, limit_bytes};
use crate::operator::num;
use crate::action::{Ctl, Disruptive, SetOp, VarName};
use crate::expand::{Macro, TxId};
use crate::program::{Rule, RuleIdx, Run};
use crate::transaction::{Coll, Entry, HKey, Handle, Span, State, Transaction};
use crate::variable::Variable;
use crate::verdict::{limit, InterruptAction, Interruption, RuleMatch};
use crate::{RuleEngineMode, RuleSet};

impl Transaction {
    /// Record a matched value: MATCHED_VAR(S), the log context, then setvars.
    pub(super) fn on_match(&mut self, rs: &RuleSet, rule: &Rule, h: &Handle, v: Span) {
        let name = self.push_name(rs, h);
        self.st.set_scalar(Variable::MatchedVar, v);
        self.st.set_scalar(Variable::MatchedVarName, name);
        self.st.colls[Coll::MatchedVars as usize].push(Entry { key: name, val: v });
        self.flow.last_name = name;
        self.flow.last_orig = h.val;
        self.run_setvars(rs, rule);
        // multiMatch: ModSecurity logs every matched value, each message
        // expanded with that value (and none again after the full match).
        if rule.multi_match && !rule.is_link && rule.log {
            let blocking = self.would_interrupt(rs, rule);
            let m = self.rule_match(rs, rule, false, blocking);
            self.flow.matches.push(m);
        }
    }


    /// Whether `rule`'s disruptive action would interrupt the transaction.
    pub(super) fn would_interrupt(&self, rs: &RuleSet, rule: &Rule) -> bool {
        matches!(decided_action(rs, rule), Some(Disruptive::Deny | Disruptive::Drop | Disruptive::Redirect(_)))
    }


    /// Append `VAR:key` (or `VAR`) to the arena.
    pub(super) fn push_name(&mut self, rs: &RuleSet, h: &Handle) -> Span {
        let start = self.st.arena.len() as u32;
        self.st.arena.extend_from_slice(h.var.name().as_bytes());
        match h.key {
            HKey::None => {}
            HKey::Span(s) | HKey::TxDyn(s) => {
                self.st.arena.push(b':');
                let (a, b) = (s.start as usize, s.end as usize);
                if b <= self.st.arena.len() && a <= b {
                    self.st.arena.extend_from_within(a..b);
                }
            }
            HKey::Tx(id) => {
                self.st.arena.push(b':');
                self.st.arena.extend_from_slice(rs.tx_names.name(id).as_bytes());
            }
        }
        Span { start, end: self.st.arena.len() as u32, slot: self.st.new_slot() }
    }


    pub(super) fn run_setvars(&mut self, rs: &RuleSet, rule: &Rule) {
        for sv in rule.setvars.iter() {
            let mut buf = std::mem::take(&mut self.scratch.buf);
            let mut name_buf = std::mem::take(&mut self.scratch.buf2);
            buf.clear();
            name_buf.clear();
            // Resolve the slot: static id, or a run-time name.
            enum Slot {
                Static(TxId),
                Dyn(Vec<u8>),
            }
            let slot = match &sv.name {
                VarName::Static(id) => Slot::Static(*id),
                VarName::Dynamic(m) => {
                    expand_into(&self.st, rs, m, rule, &mut name_buf);
                    name_buf.make_ascii_lowercase();
                    match rs.tx_names.get(&name_buf) {
                        Some(id) => Slot::Static(id),
                        None => Slot::Dyn(name_buf.clone()),
                    }
                }
            };
            let current = match &slot {
                Slot::Static(id) => self.st.tx_get(*id),
                Slot::Dyn(n) => self.st.tx_dyn.iter().find(|(k, _)| self.st.bytes(*k) == n.as_slice()).and_then(|(_, v)| *v),
            };
            let new: Option<Span> = match &sv.op {
                SetOp::Unset => None,
                SetOp::SetOne => Some(self.st.push(b"1")),
                SetOp::Set(m) => {
                    expand_into(&self.st, rs, m, rule, &mut buf);
                    Some(self.st.push(&buf))
                }
                SetOp::Add(m) | SetOp::Sub(m) => {
                    expand_into(&self.st, rs, m, rule, &mut buf);
                    let n = num::parse_int(&buf);
                    let cur = current.map(|s| num::parse_int(self.st.bytes(s))).unwrap_or(0);
                    let r = if matches!(sv.op, SetOp::Add(_)) { cur.wrapping_add(n) } else { cur.wrapping_sub(n) };
                    Some(self.st.push_int(r))
                }
            };
            match slot {
                Slot::Static(id) => {
                    if let Some(s) = self.st.tx.get_mut(id as usize) {
                        *s = new;
                    }
                }
                Slot::Dyn(n) => {
                    let pos = self.st.tx_dyn.iter().position(|(k, _)| self.st.bytes(*k) == n.as_slice());
                    match pos {
                        Some(p) => {
                            if let Some(e) = self.st.tx_dyn.get_mut(p) {
                                e.1 = new;
                            }
                        }
                        None => {
                            let k = self.st.push(&n);
                            self.st.tx_dyn.push((k, new));
                        }
                    }
                }
            }
            self.scratch.buf = buf;
            self.scratch.buf2 = name_buf;
        }
    }


    /// Actions after a full match: run actions (ctl, skip, status) in order;
    /// for a chain's first rule also the disruptive action and the log entry.
    pub(super) fn after_full_match(&mut self, rs: &RuleSet, idx: RuleIdx) {
        let Some(rule) = rs.rules.get(idx as usize) else { return };
        let mut status = rs.defaults.get(rule.phase.index()).and_then(|d| d.status);
        for r in rule.run.iter() {
            match r {
                Run::Ctl(c) => self.apply_ctl(c),
                Run::Skip(n) => self.flow.skip_next = *n,
                Run::SkipTo(pos) => self.flow.skip_to = Some(*pos),
                Run::Status(s) => status = Some(*s),
            }
        }
        if rule.is_link {
            return;
        }
        let decided = decided_action(rs, rule);
        let interrupt = match decided {
            Some(Disruptive::Deny) => Some(InterruptAction::Deny),
            Some(Disruptive::Drop) => Some(InterruptAction::Drop),
            Some(Disruptive::Redirect(u)) => Some(InterruptAction::Redirect(u.clone())),
            _ => None,
        };
        let on = self.flow.engine == RuleEngineMode::On;
        let mut disruptive = false;
        if on {
            match decided {
                Some(Disruptive::Allow(kind)) => self.flow.allow = Some(*kind),
                Some(Disruptive::Pass) => {}
                _ => {}
            }
            if let Some(action) = &interrupt {
                let code = match action {
                    InterruptAction::Redirect(_) => status.filter(|s| (300..400).contains(s)).unwrap_or(302),
                    _ => status.unwrap_or(403),
                };
                self.flow.interruption = Some(Interruption { status: code, rule_id: Some(rule.rule_id), phase: rule.phase, action: action.clone() });
                disruptive = true;
            }
        }
        if rule.multi_match && self.flow.matches.len() > self.flow.mm_mark {
            // Logged per matched value already: mark the last entry with the outcome.
            if let Some(last) = self.flow.matches.last_mut() {
                last.disruptive |= disruptive;
                last.blocking |= interrupt.is_some();
            }
        } else if rule.log || interrupt.is_some() {
            let m = self.rule_match(rs, rule, disruptive, interrupt.is_some());
            self.flow.matches.push(m);
        }
    }


    pub(super) fn rule_match(&mut self, rs: &RuleSet, rule: &Rule, disruptive: bool, blocking: bool) -> RuleMatch {
        let mut buf = std::mem::take(&mut self.scratch.buf);
        let text = |m: &Option<Macro>, st: &State, buf: &mut Vec<u8>| -> String {
            buf.clear();
            if let Some(m) = m {
                expand_into(st, rs, m, rule, buf);
            }
            String::from_utf8_lossy(buf).into_owned()
        };
        let msg = text(&rule.msg, &self.st, &mut buf);
        let data = text(&rule.logdata, &self.st, &mut buf);
        let tags = rule
            .tags
            .iter()
            .map(|t| {
                buf.clear();
                expand_into(&self.st, rs, t, rule, &mut buf);
                String::from_utf8_lossy(&buf).into_owned()
            })
            .collect();
        self.scratch.buf = buf;
        let match_message = if rule.unconditional {
            String::new()
        } else {
            let name = String::from_utf8_lossy(self.st.bytes(self.flow.last_name)).into_owned();
            let value = hex_if_needed(limit_bytes(self.st.bytes(self.flow.last_orig), 100));
            format!("Matched \"Operator `{}' with parameter `{}' against variable `{}' (Value: `{}' )", rule.op.display, limit(&rule.op.param, 200), name, value)
        };
        RuleMatch {
            rule_id: rule.rule_id,
            phase: rule.phase,
            msg,
            data,
            severity: rule.severity,
            tags,
            log: rule.log,
            disruptive,
            blocking,
            match_message,
            matched_var_name: String::from_utf8_lossy(self.st.bytes(self.flow.last_name)).into_owned(),
            file: rs.file_names.get(rule.file as usize).cloned().unwrap_or_default(),
            line: rule.line,
            rev: rule.rev.to_string(),
            ver: rule.ver.to_string(),
            maturity: rule.maturity,
            accuracy: rule.accuracy,
        }
    }


    pub(super) fn apply_ctl(&mut self, c: &Ctl) {
        match c {
            Ctl::RuleEngine(m) => self.flow.engine = *m,
            Ctl::RuleRemoveById(r) => self.flow.ctl.remove_ids.extend(r.iter().copied()),
            Ctl::RuleRemoveByTag(t) => self.flow.ctl.remove_tags.push(t.id),
            Ctl::RuleRemoveTargetById(r, t) => self.flow.ctl.remove_target_by_id.push((r.clone(), t.clone())),
            Ctl::RuleRemoveTargetByTag(tag, t) => self.flow.ctl.remove_target_by_tag.push((tag.id, t.clone())),
            Ctl::RequestBodyProcessor(p) => {
                self.flow.ctl.body_processor = Some(*p);
                self.st.set_scalar_bytes(Variable::ReqbodyProcessor, p.name().as_bytes());
            }
            Ctl::RequestBodyAccess(b) => self.flow.ctl.body_access = Some(*b),
            Ctl::ForceRequestBodyVariable(b) => self.flow.ctl.force_body_variable = *b,
            Ctl::Ignored => {}
        }
    }
}
