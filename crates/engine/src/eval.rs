//! The phase loop and rule evaluation: rule → targets → values →
//! transformations (cached per value and chain) → prefilter → operator →
//! actions. Follows ModSecurity v3's `RulesSet::evaluate` and
//! `RuleWithOperator::evaluate`.

use std::sync::Arc;


use crate::action::{Ctl, Disruptive, SetOp, VarName};
use crate::early::{EarlyPass, EarlyRole};
use crate::expand::{Key, Macro, Seg, TxId};
use crate::operator::{inject, num, validate, NumArg, Op};
use crate::program::{allow_skips, Rule, RuleIdx, Run, Sel, Step, Target};
use crate::tchain::ChainId;
use crate::transaction::{Cached, Coll, Entry, Span, State, Transaction};
use crate::variable::Variable;
use crate::verdict::{limit, InterruptAction, Interruption, RuleMatch};
use crate::{RuleEngineMode, RuleSet};

/// Where a value's key comes from (for MATCHED_VAR_NAME and exclusions).
#[derive(Clone, Copy, Debug)]
pub(crate) enum HKey {
    None,
    Span(Span),
    Tx(TxId),
    TxDyn(Span),
}

/// One value a target yields.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Handle {
    pub var: Variable,
    pub key: HKey,
    pub val: Span,
}

/// The key/value collection behind a variable, and whether the variable
/// yields the keys (`*_NAMES`) rather than the values.
fn coll_of(v: Variable) -> Option<(Coll, bool)> {
    use Variable as V;
    Some(match v {
        V::ArgsGet => (Coll::ArgsGet, false),
        V::ArgsGetNames => (Coll::ArgsGet, true),
        V::ArgsPost => (Coll::ArgsPost, false),
        V::ArgsPostNames => (Coll::ArgsPost, true),
        V::RequestHeaders => (Coll::ReqHeaders, false),
        V::RequestHeadersNames => (Coll::ReqHeaders, true),
        V::RequestCookies => (Coll::ReqCookies, false),
        V::RequestCookiesNames => (Coll::ReqCookies, true),
        V::ResponseHeaders => (Coll::ResHeaders, false),
        V::ResponseHeadersNames => (Coll::ResHeaders, true),
        V::Files => (Coll::Files, false),
        V::FilesNames => (Coll::Files, true),
        V::FilesSizes => (Coll::FilesSizes, false),
        V::FilesTmpContent => (Coll::FilesTmpContent, false),
        V::MultipartPartHeaders => (Coll::MultipartPartHeaders, false),
        V::Env => (Coll::Env, false),
        V::MatchedVars => (Coll::MatchedVars, false),
        V::MatchedVarsNames => (Coll::MatchedVars, true),
        _ => return None,
    })
}

/// Flags in `Transaction::inject`: libinjection SQLi computed (its result
/// is the next bit up), XSS computed (likewise).
const INJECT_SQLI: u8 = 1;
const INJECT_XSS: u8 = 4;

/// Collections behind ARGS / ARGS_NAMES.
const ARGS_COLLS: [Coll; 2] = [Coll::ArgsGet, Coll::ArgsPost];

fn key_matches(st: &State, rs: &RuleSet, sel: &Sel, key: Span) -> bool {
    match sel {
        Sel::All | Sel::XmlText | Sel::XmlAttrs => true,
        Sel::Key(k) => st.bytes(key).eq_ignore_ascii_case(k),
        Sel::Regex(i) => rs.key_regexes.get(*i as usize).is_some_and(|r| r.is_match(st.bytes(key))),
        Sel::Tx(_) => false,
    }
}

impl Transaction {
    /// Gather the values of one target into `out` (count targets yield one computed value).
    fn collect(&mut self, rs: &RuleSet, t: &Target, out: &mut Vec<Handle>) {
        let start = out.len();
        self.collect_values(rs, t.var, &t.sel, out);
        if t.count {
            let n = out.len() - start;
            out.truncate(start);
            let val = self.st.push_int(n as i64);
            out.push(Handle { var: t.var, key: HKey::None, val });
        }
    }

    fn collect_values(&mut self, rs: &RuleSet, var: Variable, sel: &Sel, out: &mut Vec<Handle>) {
        use Variable as V;
        let st = &self.st;
        let push_coll = |c: Coll, names: bool, out: &mut Vec<Handle>| {
            for e in st.coll(c) {
                if key_matches(st, rs, sel, e.key) {
                    out.push(Handle { var, key: HKey::Span(e.key), val: if names { e.key } else { e.val } });
                }
            }
        };
        match var {
            V::Args | V::ArgsNames => {
                for c in ARGS_COLLS {
                    push_coll(c, var == V::ArgsNames, out);
                }
            }
            V::Xml => {
                let c = if *sel == Sel::XmlAttrs { Coll::XmlAttrs } else { Coll::XmlText };
                for e in st.coll(c) {
                    out.push(Handle { var, key: HKey::None, val: e.val });
                }
            }
            V::Tx => match sel {
                Sel::Tx(id) => {
                    if let Some(v) = st.tx_get(*id) {
                        out.push(Handle { var, key: HKey::Tx(*id), val: v });
                    }
                }
                _ => {
                    for (id, v) in st.tx.iter().enumerate() {
                        if let Some(v) = v {
                            let name = rs.tx_names.name(id as TxId).as_bytes();
                            let ok = match sel {
                                Sel::Regex(i) => rs.key_regexes.get(*i as usize).is_some_and(|r| r.is_match(name)),
                                Sel::Key(k) => name.eq_ignore_ascii_case(k),
                                _ => true,
                            };
                            if ok {
                                out.push(Handle { var, key: HKey::Tx(id as TxId), val: *v });
                            }
                        }
                    }
                    for &(n, v) in &st.tx_dyn {
                        if let Some(v) = v {
                            if key_matches(st, rs, sel, n) {
                                out.push(Handle { var, key: HKey::TxDyn(n), val: v });
                            }
                        }
                    }
                }
            },
            V::ArgsCombinedSize => {
                let n = self.args_combined as i64;
                let val = self.st.push_int(n);
                out.push(Handle { var, key: HKey::None, val });
            }
            V::FilesCombinedSize => {
                let n: i64 = st.coll(Coll::FilesSizes).iter().map(|e| num::parse_int(st.bytes(e.val))).sum();
                let val = self.st.push_int(n);
                out.push(Handle { var, key: HKey::None, val });
            }
            V::Ip | V::Session | V::Global | V::User | V::Resource | V::Geo | V::Rule | V::FilesTmpnames => {}
            _ => match coll_of(var) {
                Some((c, names)) => push_coll(c, names, out),
                None => {
                    // ModSecurity v3's single-valued ("anchored") variables
                    // always yield a value: the empty string when unset.
                    match st.scalar(var) {
                        Some(v) => out.push(Handle { var, key: HKey::None, val: v }),
                        None if !matches!(var, V::MultipartFilename | V::MultipartName) => {
                            out.push(Handle { var, key: HKey::None, val: Span::default() })
                        }
                        None => {}
                    }
                }
            },
        }
    }

    /// The key of a handle, as bytes, for exclusions.
    fn handle_key<'a>(&'a self, rs: &'a RuleSet, h: &Handle) -> &'a [u8] {
        match h.key {
            HKey::None => b"",
            HKey::Span(s) | HKey::TxDyn(s) => self.st.bytes(s),
            HKey::Tx(id) => rs.tx_names.name(id).as_bytes(),
        }
    }

    /// Whether value `h` is excluded from `rule`: by the rule's own `!`
    /// targets or by a `ctl:ruleRemoveTarget*` in `removals` (indexes into
    /// the transaction's lists, already narrowed to this rule).
    fn excluded(&self, rs: &RuleSet, rule: &Rule, removals: &[(bool, u32)], h: &Handle) -> bool {
        for e in rule.excludes.iter() {
            if e.var != h.var {
                continue;
            }
            let hit = match (&e.sel, h.key) {
                (Sel::All, _) => true,
                (Sel::Tx(a), HKey::Tx(b)) => *a == b,
                (Sel::Tx(a), HKey::TxDyn(s)) => self.st.bytes(s).eq_ignore_ascii_case(rs.tx_names.name(*a).as_bytes()),
                (sel, _) => {
                    let k = self.handle_key(rs, h);
                    match sel {
                        Sel::Key(x) => k.eq_ignore_ascii_case(x),
                        Sel::Regex(i) => rs.key_regexes.get(*i as usize).is_some_and(|r| r.is_match(k)),
                        _ => false,
                    }
                }
            };
            if hit {
                return true;
            }
        }
        removals.iter().any(|&(by_tag, i)| {
            let t = if by_tag {
                self.ctl.remove_target_by_tag.get(i as usize).map(|x| &x.1)
            } else {
                self.ctl.remove_target_by_id.get(i as usize).map(|x| &x.1)
            };
            let Some(t) = t else { return false };
            if t.variable != h.var {
                return false;
            }
            let k = self.handle_key(rs, h);
            match (&t.key, &t.key_regex) {
                (None, None) => true,
                (Some(x), _) => k.eq_ignore_ascii_case(x),
                (None, Some(r)) => r.is_match(k),
            }
        })
    }

    /// The `ctl:ruleRemoveTarget*` entries that apply to `rule`, as
    /// `(by_tag, index)`, into `out`.
    fn removals_for(&self, rule: &Rule, out: &mut Vec<(bool, u32)>) {
        out.clear();
        for (i, (ranges, _)) in self.ctl.remove_target_by_id.iter().enumerate() {
            if ranges.iter().any(|&(lo, hi)| lo <= rule.rule_id && rule.rule_id <= hi) {
                out.push((false, i as u32));
            }
        }
        for (i, (tag, _)) in self.ctl.remove_target_by_tag.iter().enumerate() {
            if rule.has_tag(*tag) {
                out.push((true, i as u32));
            }
        }
    }

    /// The value after transformation chain `chain`, cached per (value, chain).
    pub(crate) fn transformed(&mut self, rs: &RuleSet, val: Span, chain: ChainId) -> Span {
        if chain == 0 {
            return val;
        }
        if let Some(c) = self.cache.get(val.slot, chain) {
            return c.out;
        }
        let Some((parent, t)) = rs.chains.node(chain) else { return val };
        let input = self.transformed(rs, val, parent);
        // Skip the call when none of the bytes that could change it occur.
        let may_change = t.triggers().is_none_or(|trig| self.presence(input).intersects(trig));
        let owned = if !may_change {
            None
        } else {
            match t.apply(self.st.bytes(input)) {
                std::borrow::Cow::Borrowed(_) => None,
                std::borrow::Cow::Owned(v) => Some(v),
            }
        };
        let out = match owned {
            Some(v) => self.st.push(&v),
            None => input,
        };
        self.cache.insert(val.slot, chain, Cached { out });
        out
    }

    /// The set of bytes in value `v` (computed once per value).
    fn presence(&mut self, v: Span) -> crate::transform::ByteSet {
        let i = v.slot as usize;
        if let Some(Some(p)) = self.presence.get(i) {
            return *p;
        }
        let p = crate::transform::ByteSet::of(self.st.bytes(v));
        if let Some(slot) = slot_entry(&mut self.presence, i, None) {
            *slot = Some(p);
        }
        p
    }

    /// Offset in `pf_words` of the prefilter bits of value `v` (scanned once
    /// per distinct value, cached by slot).
    fn scan(&mut self, rs: &RuleSet, v: Span) -> Option<usize> {
        let pf = rs.prefilter.as_ref()?;
        let i = v.slot as usize;
        if let Some(&o) = self.scans.get(i) {
            if o != u32::MAX {
                return Some(o as usize);
            }
        }
        let off = self.pf_words.len();
        self.pf_words.resize(off + pf.words, 0);
        let hay = self.st.arena.get(v.start as usize..v.end as usize).unwrap_or(&[]);
        if let Some(bits) = self.pf_words.get_mut(off..) {
            pf.scan(hay, bits, &mut self.scratch_lower);
        }
        if let Some(s) = slot_entry(&mut self.scans, i, u32::MAX) {
            *s = off as u32;
        }
        Some(off)
    }

    #[inline]
    fn bit(&self, off: usize, item: u16) -> bool {
        self.pf_words.get(off + item as usize / 64).is_some_and(|w| w & (1u64 << (item % 64)) != 0)
    }

    /// Whether the operator with prefilter item `item` can match the
    /// (transformed) value `v`.
    fn possible(&mut self, rs: &RuleSet, v: Span, item: u16) -> bool {
        match self.scan(rs, v) {
            Some(off) => self.bit(off, item),
            None => true,
        }
    }

    /// Whether any value of any target of `rule` can pass its prefilter.
    /// False means the rule cannot match: it is skipped without looking at
    /// each value. Exclusions only remove values, so ignoring them is safe.
    fn any_possible(&mut self, rs: &RuleSet, rule: &Rule, item: u16) -> bool {
        for t in rule.targets.iter() {
            match t.sel {
                Sel::Key(_) | Sel::Tx(_) => {
                    // A few selected values: test them directly.
                    let mut hs = std::mem::take(&mut self.scratch_handles);
                    hs.clear();
                    self.collect_values(rs, t.var, &t.sel, &mut hs);
                    let mut any = false;
                    for h in hs.iter() {
                        if self.values_possible(rs, rule, h.val, item) {
                            any = true;
                            break;
                        }
                    }
                    self.scratch_handles = hs;
                    if any {
                        return true;
                    }
                }
                _ => {
                    let sel_kind = u8::from(t.sel == Sel::XmlAttrs);
                    let key = (rule.chain, t.var as u8, sel_kind, rule.multi_match);
                    let off = match self.summaries.get(&key) {
                        Some(&o) => o as usize,
                        None => self.summarize(rs, rule, t, key),
                    };
                    if self.bit(off, item) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Whether value `val` (raw, and after each transformation for
    /// multiMatch) can pass prefilter item `item`.
    fn values_possible(&mut self, rs: &RuleSet, rule: &Rule, val: Span, item: u16) -> bool {
        self.any_tested_form(rs, rule, val, |this, v| this.possible(rs, v, item))
    }

    /// Call `f` on each form of value `val` that `rule`'s operator sees: the
    /// value after the rule's transformation chain, or, for multiMatch, the
    /// raw value and its value after each transformation. Stops at, and
    /// returns, the first `true`.
    fn any_tested_form(&mut self, rs: &RuleSet, rule: &Rule, val: Span, mut f: impl FnMut(&mut Self, Span) -> bool) -> bool {
        if !rule.multi_match {
            let v = self.transformed(rs, val, rule.chain);
            return f(self, v);
        }
        if f(self, val) {
            return true;
        }
        for &n in rule.mm_nodes.iter() {
            let v = self.transformed(rs, val, n);
            if f(self, v) {
                return true;
            }
        }
        false
    }

    /// Build the summary of target `t`'s variable for `rule`'s chain.
    fn summarize(&mut self, rs: &RuleSet, rule: &Rule, t: &Target, key: (u16, u8, u8, bool)) -> usize {
        let words = rs.prefilter.as_ref().map_or(0, |p| p.words);
        let off = self.pf_words.len();
        self.pf_words.resize(off + words, 0);
        let mut hs = std::mem::take(&mut self.scratch_handles);
        hs.clear();
        let sel = if t.var == Variable::Xml { t.sel.clone() } else { Sel::All };
        self.collect_values(rs, t.var, &sel, &mut hs);
        for h in hs.iter() {
            // OR every form's scan into the summary (never stops early).
            self.any_tested_form(rs, rule, h.val, |this, v| {
                if let Some(s) = this.scan(rs, v) {
                    for w in 0..words {
                        let x = this.pf_words.get(s + w).copied().unwrap_or(0);
                        if let Some(d) = this.pf_words.get_mut(off + w) {
                            *d |= x;
                        }
                    }
                }
                false
            });
        }
        self.scratch_handles = hs;
        self.summaries.insert(key, off as u32);
        off
    }

    /// Run phase `phase` (1-5).
    pub(crate) fn run_phase(&mut self, phase: u8) {
        if self.engine == RuleEngineMode::Off {
            return;
        }
        if allow_skips(self.allow, phase) {
            return;
        }
        self.allow = None;
        self.skip_next = 0;
        // Request data may have grown since the last phase (body, response).
        self.summaries.clear();
        let rs = Arc::clone(&self.rules);
        let Some(steps) = rs.phases.get(phase as usize) else { return };
        let mut pos = 0usize;
        while let Some(step) = steps.get(pos) {
            pos += 1;
            let Step::Rule(idx) = *step else { continue };
            if self.skip_next > 0 {
                self.skip_next -= 1;
                continue;
            }
            if self.allow.is_some() {
                continue;
            }
            let Some(rule) = rs.rules.get(idx as usize) else { continue };
            if !self.ctl.is_empty_removals() && self.removed(rule) {
                continue;
            }
            self.eval_rule(&rs, idx, 0);
            if let Some(to) = self.skip_to.take() {
                pos = to as usize;
            }
            if (self.interruption.is_some() && phase != 5) || self.early == EarlyPass::Abandoned {
                break;
            }
        }
    }

    /// A rule that did not match clears MATCHED_VAR(S) (ModSecurity v3).
    fn clear_matched(&mut self) {
        self.st.set_scalar_none(Variable::MatchedVar);
        self.st.set_scalar_none(Variable::MatchedVarName);
        self.st.colls[Coll::MatchedVars as usize].clear();
    }

    fn removed(&self, rule: &Rule) -> bool {
        self.ctl.remove_ids.iter().any(|&(lo, hi)| lo <= rule.rule_id && rule.rule_id <= hi)
            || self.ctl.remove_tags.iter().any(|&t| rule.has_tag(t))
    }

    /// Evaluate rule `idx` (and its chain). True when the whole chain matched.
    fn eval_rule(&mut self, rs: &RuleSet, idx: RuleIdx, depth: usize) -> bool {
        let Some(rule) = rs.rules.get(idx as usize) else { return false };
        if rule.is_link && rule.rule_id != 0 && self.removed(rule) {
            return false;
        }
        if !rule.is_link {
            self.mm_mark = self.matches.len();
            if self.early != EarlyPass::Off {
                match rule.early.role(self.early_body) {
                    EarlyRole::Known => {}
                    EarlyRole::Unknown => {
                        self.clear_matched();
                        return false;
                    }
                    EarlyRole::Undecidable => {
                        self.early = EarlyPass::Abandoned;
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
            while self.handles.len() <= depth {
                self.handles.push(Vec::new());
            }
            let mut hs = self.handles.get_mut(depth).map(std::mem::take).unwrap_or_default();
            hs.clear();
            let mut removals = std::mem::take(&mut self.removals);
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
            self.removals = removals;
            for h in hs.iter() {
                if rule.multi_match {
                    // The value before, and after every transformation that changed it.
                    if self.test(rs, rule, h.val) {
                        matched = true;
                        self.on_match(rs, rule, h, h.val);
                    }
                    let mut prev = h.val;
                    for &node in rule.mm_nodes.iter() {
                        let v = self.transformed(rs, h.val, node);
                        if v != prev {
                            prev = v;
                            if self.test(rs, rule, v) {
                                matched = true;
                                self.on_match(rs, rule, h, v);
                            }
                        }
                    }
                } else {
                    let v = self.transformed(rs, h.val, rule.chain);
                    if self.test(rs, rule, v) {
                        matched = true;
                        self.on_match(rs, rule, h, v);
                    }
                }
            }
            if let Some(slot) = self.handles.get_mut(depth) {
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
                    self.matches.truncate(self.mm_mark);
                }
                return false;
            }
        }
        self.after_full_match(rs, idx);
        true
    }

    /// Prefilter, then operator, then negation.
    fn test(&mut self, rs: &RuleSet, rule: &Rule, v: Span) -> bool {
        let hit = match rule.prefilter {
            Some(item) if !self.possible(rs, v, item) => false,
            // An exact prefilter hit is the match, unless captures are needed.
            Some(_) if rule.prefilter_exact && !rule.capture => true,
            _ => self.run_op(rs, rule, v),
        };
        hit != rule.op.negated
    }

    /// A libinjection answer already computed for value `v`.
    #[inline]
    fn inject_known(&self, v: Span, which: u8) -> Option<bool> {
        let f = *self.inject.get(v.slot as usize)?;
        (f & which != 0).then_some(f & (which << 1) != 0)
    }

    fn inject_remember(&mut self, v: Span, which: u8, result: bool) {
        if let Some(f) = slot_entry(&mut self.inject, v.slot as usize, 0) {
            *f |= which | if result { which << 1 } else { 0 };
        }
    }

    /// Set `TX:<n>` to a span of the arena (captures point into the matched value).
    fn set_capture(&mut self, n: usize, s: Span) {
        if let Some(slot) = self.st.tx.get_mut(n) {
            *slot = Some(s);
        }
    }

    fn run_op(&mut self, rs: &RuleSet, rule: &Rule, v: Span) -> bool {
        let st = &self.st;
        let hay = st.arena.get(v.start as usize..v.end as usize).unwrap_or(&[]);
        match &rule.op.op {
            Op::Rx(i) => {
                let i = *i as usize;
                let Some(rx) = rs.regexes.get(i) else { return false };
                if hay.len() < rx.min_len {
                    return false;
                }
                let Some(cache_slot) = self.rx_caches.get_mut(i) else { return false };
                let cache = cache_slot.get_or_insert_with(|| rx.create_cache());
                if !rule.capture {
                    return rx.is_match(cache, hay);
                }
                let mut groups = [None; 10];
                if !rx.captures(cache, hay, &mut groups) {
                    return false;
                }
                for (g, s) in groups.into_iter().enumerate() {
                    if let Some((a, b)) = s {
                        let s = self.st.sub(v, a, b);
                        self.set_capture(g, s);
                    }
                }
                true
            }
            Op::Pm(i) => {
                // Without an automaton the prefilter decided this rule already.
                let Some(Some(pm)) = rs.pms.get(*i as usize) else { return false };
                match pm.ac.find(hay) {
                    Some(m) => {
                        if rule.capture {
                            let s = self.st.sub(v, m.start(), m.end());
                            self.set_capture(0, s);
                        }
                        true
                    }
                    None => false,
                }
            }
            Op::Str(op, m) => match m.as_const() {
                Some(p) => op.holds(p, hay),
                None => {
                    let mut buf = std::mem::take(&mut self.buf);
                    buf.clear();
                    expand_into(&self.st, rs, m, rule, &mut buf);
                    let hay = self.st.bytes(v);
                    let r = op.holds(&buf, hay);
                    self.buf = buf;
                    r
                }
            },
            Op::Num(op, arg) => {
                let input = op.parse(hay);
                let param = match arg {
                    NumArg::Const(n) => *n,
                    NumArg::Macro(m) => {
                        let mut buf = std::mem::take(&mut self.buf);
                        buf.clear();
                        expand_into(&self.st, rs, m, rule, &mut buf);
                        let n = op.parse(&buf);
                        self.buf = buf;
                        n
                    }
                };
                op.holds(input, param)
            }
            Op::IpMatch(set) => set.contains_str(hay),
            Op::ValidateByteRange(r) => r.first_invalid(hay).is_some(),
            Op::ValidateUrlEncoding => validate::validate_url_encoding(hay).is_some(),
            Op::ValidateUtf8Encoding => validate::validate_utf8_encoding(hay).is_some(),
            Op::DetectSqli => {
                // Several rules (and packs) run libinjection on the same
                // transformed value: remember the answer per value.
                if !rule.capture {
                    if let Some(known) = self.inject_known(v, INJECT_SQLI) {
                        return known;
                    }
                }
                let hay = self.st.bytes(v);
                let fp = inject::detect_sqli(hay);
                self.inject_remember(v, INJECT_SQLI, fp.is_some());
                match fp {
                    Some(fp) => {
                        if rule.capture {
                            let s = self.st.push(fp.as_bytes());
                            self.set_capture(0, s);
                        }
                        true
                    }
                    None => false,
                }
            }
            Op::DetectXss => {
                if let Some(known) = self.inject_known(v, INJECT_XSS) {
                    return known;
                }
                let r = inject::detect_xss(self.st.bytes(v));
                self.inject_remember(v, INJECT_XSS, r);
                r
            }
            Op::Unconditional => true,
            Op::NoMatch => false,
        }
    }

    /// Record a matched value: MATCHED_VAR(S), the log context, then setvars.
    fn on_match(&mut self, rs: &RuleSet, rule: &Rule, h: &Handle, v: Span) {
        let name = self.push_name(rs, h);
        self.st.set_scalar(Variable::MatchedVar, v);
        self.st.set_scalar(Variable::MatchedVarName, name);
        self.st.colls[Coll::MatchedVars as usize].push(Entry { key: name, val: v });
        self.last_name = name;
        self.last_orig = h.val;
        self.run_setvars(rs, rule);
        // multiMatch: ModSecurity logs every matched value, each message
        // expanded with that value (and none again after the full match).
        if rule.multi_match && !rule.is_link && rule.log {
            let blocking = self.would_interrupt(rs, rule);
            let m = self.rule_match(rs, rule, false, blocking);
            self.matches.push(m);
        }
    }

    /// Whether `rule`'s disruptive action would interrupt the transaction.
    fn would_interrupt(&self, rs: &RuleSet, rule: &Rule) -> bool {
        matches!(decided_action(rs, rule), Some(Disruptive::Deny | Disruptive::Drop | Disruptive::Redirect(_)))
    }

    /// Append `VAR:key` (or `VAR`) to the arena.
    fn push_name(&mut self, rs: &RuleSet, h: &Handle) -> Span {
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

    fn run_setvars(&mut self, rs: &RuleSet, rule: &Rule) {
        for sv in rule.setvars.iter() {
            let mut buf = std::mem::take(&mut self.buf);
            let mut name_buf = std::mem::take(&mut self.buf2);
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
            self.buf = buf;
            self.buf2 = name_buf;
        }
    }

    /// Actions after a full match: run actions (ctl, skip, status) in order;
    /// for a chain's first rule also the disruptive action and the log entry.
    fn after_full_match(&mut self, rs: &RuleSet, idx: RuleIdx) {
        let Some(rule) = rs.rules.get(idx as usize) else { return };
        let mut status = rs.defaults.get(rule.phase as usize).and_then(|d| d.status);
        for r in rule.run.iter() {
            match r {
                Run::Ctl(c) => self.apply_ctl(c),
                Run::Skip(n) => self.skip_next = *n,
                Run::SkipTo(pos) => self.skip_to = Some(*pos),
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
        let on = self.engine == RuleEngineMode::On;
        let mut disruptive = false;
        if on {
            match decided {
                Some(Disruptive::Allow(kind)) => self.allow = Some(*kind),
                Some(Disruptive::Pass) => {}
                _ => {}
            }
            if let Some(action) = &interrupt {
                let code = match action {
                    InterruptAction::Redirect(_) => status.filter(|s| (300..400).contains(s)).unwrap_or(302),
                    _ => status.unwrap_or(403),
                };
                self.interruption = Some(Interruption { status: code, rule_id: Some(rule.rule_id), phase: rule.phase, action: action.clone() });
                disruptive = true;
            }
        }
        if rule.multi_match && self.matches.len() > self.mm_mark {
            // Logged per matched value already: mark the last entry with the outcome.
            if let Some(last) = self.matches.last_mut() {
                last.disruptive |= disruptive;
                last.blocking |= interrupt.is_some();
            }
        } else if rule.log || interrupt.is_some() {
            let m = self.rule_match(rs, rule, disruptive, interrupt.is_some());
            self.matches.push(m);
        }
    }

    fn rule_match(&mut self, rs: &RuleSet, rule: &Rule, disruptive: bool, blocking: bool) -> RuleMatch {
        let mut buf = std::mem::take(&mut self.buf);
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
        self.buf = buf;
        let match_message = if rule.unconditional {
            String::new()
        } else {
            let name = String::from_utf8_lossy(self.st.bytes(self.last_name)).into_owned();
            let value = hex_if_needed(limit_bytes(self.st.bytes(self.last_orig), 100));
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
            matched_var_name: String::from_utf8_lossy(self.st.bytes(self.last_name)).into_owned(),
            file: rs.file_names.get(rule.file as usize).cloned().unwrap_or_default(),
            line: rule.line,
            rev: rule.rev.to_string(),
            ver: rule.ver.to_string(),
            maturity: rule.maturity,
            accuracy: rule.accuracy,
        }
    }

    fn apply_ctl(&mut self, c: &Ctl) {
        match c {
            Ctl::RuleEngine(m) => self.engine = *m,
            Ctl::RuleRemoveById(r) => self.ctl.remove_ids.extend(r.iter().copied()),
            Ctl::RuleRemoveByTag(t) => self.ctl.remove_tags.push(t.id),
            Ctl::RuleRemoveTargetById(r, t) => self.ctl.remove_target_by_id.push((r.clone(), t.clone())),
            Ctl::RuleRemoveTargetByTag(tag, t) => self.ctl.remove_target_by_tag.push((tag.id, t.clone())),
            Ctl::RequestBodyProcessor(p) => {
                self.ctl.body_processor = Some(*p);
                self.st.set_scalar_bytes(Variable::ReqbodyProcessor, p.name().as_bytes());
            }
            Ctl::RequestBodyAccess(b) => self.ctl.body_access = Some(*b),
            Ctl::ForceRequestBodyVariable(b) => self.ctl.force_body_variable = *b,
            Ctl::Ignored => {}
        }
    }
}

impl State {
    pub(crate) fn set_scalar_none(&mut self, v: Variable) {
        if let Some(slot) = self.scalars.get_mut(v as usize) {
            *slot = None;
        }
    }
}

/// Entry `slot` of a per-value cache indexed by value slot, growing the
/// cache with `empty` (the "not computed" mark) as needed.
fn slot_entry<T: Clone>(cache: &mut Vec<T>, slot: usize, empty: T) -> Option<&mut T> {
    if slot >= cache.len() {
        cache.resize(slot + 1, empty);
    }
    cache.get_mut(slot)
}

/// The disruptive action a full match of `rule` takes: its own, else, for
/// `block`, its phase's `SecDefaultAction`.
fn decided_action<'r>(rs: &'r RuleSet, rule: &'r Rule) -> Option<&'r Disruptive> {
    rule.disruptive.as_ref().or_else(|| if rule.block { rs.defaults.get(rule.phase as usize).map(|d| &d.disruptive) } else { None })
}

fn limit_bytes(b: &[u8], n: usize) -> &[u8] {
    &b[..b.len().min(n)]
}

/// ModSecurity's `toHexIfNeeded`: bytes outside printable ASCII as `\xHH`.
pub(crate) fn hex_if_needed(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len());
    for &c in b {
        if (32..=126).contains(&c) {
            s.push(c as char);
        } else {
            s.push_str(&format!("\\x{c:02x}"));
        }
    }
    s
}

/// First value of `var` (with key) for a macro.
fn first_value(st: &State, rs: &RuleSet, var: Variable, key: &Key) -> Option<Span> {
    match (var, key) {
        (Variable::Tx, Key::Tx(id)) => st.tx_get(*id),
        (Variable::Tx, Key::Name(n)) => st.tx_lookup(rs, n),
        (Variable::Args, Key::Name(n)) => st.find(Coll::ArgsGet, n).or_else(|| st.find(Coll::ArgsPost, n)),
        (Variable::Args, Key::None) => st.coll(Coll::ArgsGet).first().or_else(|| st.coll(Coll::ArgsPost).first()).map(|e| e.val),
        (v, k) => match coll_of(v) {
            Some((c, names)) => {
                let e = match k {
                    Key::Name(n) => st.coll(c).iter().find(|e| st.bytes(e.key).eq_ignore_ascii_case(n)),
                    _ => st.coll(c).first(),
                };
                e.map(|e| if names { e.key } else { e.val })
            }
            None => st.scalar(v),
        },
    }
}

/// Expand macro `m` into `out`, in the context of `rule`.
pub(crate) fn expand_into(st: &State, rs: &RuleSet, m: &Macro, rule: &Rule, out: &mut Vec<u8>) {
    for seg in m.segs.iter() {
        match seg {
            Seg::Lit(l) => out.extend_from_slice(l),
            Seg::Var(Variable::Rule, Key::Name(k)) => match &**k {
                b"id" => out.extend_from_slice(crate::transaction::itoa_buf(rule.rule_id).as_slice()),
                b"phase" => out.extend_from_slice(crate::transaction::itoa_buf(i64::from(rule.phase)).as_slice()),
                b"severity" => {
                    if let Some(s) = rule.severity {
                        out.extend_from_slice(crate::transaction::itoa_buf(i64::from(s)).as_slice());
                    }
                }
                b"rev" => out.extend_from_slice(rule.rev.as_bytes()),
                b"ver" => out.extend_from_slice(rule.ver.as_bytes()),
                b"maturity" => out.extend_from_slice(crate::transaction::itoa_buf(i64::from(rule.maturity)).as_slice()),
                b"accuracy" => out.extend_from_slice(crate::transaction::itoa_buf(i64::from(rule.accuracy)).as_slice()),
                b"msg" => {
                    if let Some(msg) = &rule.msg {
                        // One level only: a msg that names %{rule.msg} does not recurse.
                        for s in msg.segs.iter() {
                            match s {
                                Seg::Lit(l) => out.extend_from_slice(l),
                                Seg::Var(Variable::Rule, _) => {}
                                Seg::Var(v, k) => {
                                    if let Some(sp) = first_value(st, rs, *v, k) {
                                        out.extend_from_slice(st.bytes(sp));
                                    }
                                }
                            }
                        }
                    }
                }
                _ => {}
            },
            Seg::Var(v, k) => {
                if let Some(sp) = first_value(st, rs, *v, k) {
                    out.extend_from_slice(st.bytes(sp));
                }
            }
        }
    }
}

