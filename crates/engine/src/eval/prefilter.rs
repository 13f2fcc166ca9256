//! Transformed values (cached per value and chain) and the prefilter:
//! which rules can possibly match a value, decided by one literal scan per
//! distinct value, and per-variable summaries that skip a rule without
//! looking at each of its values.

use super::slot_entry;
use crate::program::{Rule, Sel, Target};
use crate::tchain::ChainId;
use crate::transaction::{Cached, Span, Transaction};
use crate::variable::Variable;
use crate::RuleSet;

impl Transaction {
    /// The value after transformation chain `chain`, cached per (value, chain).
    pub(crate) fn transformed(&mut self, rs: &RuleSet, val: Span, chain: ChainId) -> Span {
        if chain == 0 {
            return val;
        }
        if let Some(c) = self.scratch.cache.get(val.slot, chain) {
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
        self.scratch.cache.insert(val.slot, chain, Cached { out });
        out
    }


    /// The set of bytes in value `v` (computed once per value).
    pub(super) fn presence(&mut self, v: Span) -> crate::transform::ByteSet {
        let i = v.slot as usize;
        if let Some(Some(p)) = self.scratch.presence.get(i) {
            return *p;
        }
        let p = crate::transform::ByteSet::of(self.st.bytes(v));
        if let Some(slot) = slot_entry(&mut self.scratch.presence, i, None) {
            *slot = Some(p);
        }
        p
    }


    /// Offset in `pf_words` of the prefilter bits of value `v` (scanned once
    /// per distinct value, cached by slot).
    pub(super) fn scan(&mut self, rs: &RuleSet, v: Span) -> Option<usize> {
        let pf = rs.prefilter.as_ref()?;
        let i = v.slot as usize;
        if let Some(&o) = self.scratch.scans.get(i) {
            if o != u32::MAX {
                return Some(o as usize);
            }
        }
        let off = self.scratch.pf_words.len();
        self.scratch.pf_words.resize(off + pf.words, 0);
        let hay = self.st.arena.get(v.start as usize..v.end as usize).unwrap_or(&[]);
        if let Some(bits) = self.scratch.pf_words.get_mut(off..) {
            pf.scan(hay, bits, &mut self.scratch.scratch_lower);
        }
        if let Some(s) = slot_entry(&mut self.scratch.scans, i, u32::MAX) {
            *s = off as u32;
        }
        Some(off)
    }


    #[inline]
    pub(super) fn bit(&self, off: usize, item: u16) -> bool {
        self.scratch.pf_words.get(off + item as usize / 64).is_some_and(|w| w & (1u64 << (item % 64)) != 0)
    }


    /// Whether the operator with prefilter item `item` can match the
    /// (transformed) value `v`.
    pub(super) fn possible(&mut self, rs: &RuleSet, v: Span, item: u16) -> bool {
        match self.scan(rs, v) {
            Some(off) => self.bit(off, item),
            None => true,
        }
    }


    /// Whether any value of any target of `rule` can pass its prefilter.
    /// False means the rule cannot match: it is skipped without looking at
    /// each value. Exclusions only remove values, so ignoring them is safe.
    pub(super) fn any_possible(&mut self, rs: &RuleSet, rule: &Rule, item: u16) -> bool {
        for t in rule.targets.iter() {
            match t.sel {
                Sel::Key(_) | Sel::Tx(_) => {
                    // A few selected values: test them directly.
                    let mut hs = std::mem::take(&mut self.scratch.scratch_handles);
                    hs.clear();
                    self.collect_values(rs, t.var, &t.sel, &mut hs);
                    let mut any = false;
                    for h in hs.iter() {
                        if self.values_possible(rs, rule, h.val, item) {
                            any = true;
                            break;
                        }
                    }
                    self.scratch.scratch_handles = hs;
                    if any {
                        return true;
                    }
                }
                _ => {
                    let sel_kind = match t.sel {
                        Sel::XmlAttrs => 1,
                        Sel::XmlTextNodes => 2,
                        _ => 0,
                    };
                    let key = (rule.chain, t.var as u8, sel_kind, rule.multi_match);
                    let off = match self.scratch.summaries.get(&key) {
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
    pub(super) fn values_possible(&mut self, rs: &RuleSet, rule: &Rule, val: Span, item: u16) -> bool {
        self.any_tested_form(rs, rule, val, |this, v| this.possible(rs, v, item))
    }


    /// Call `f` on each form of value `val` that `rule`'s operator sees: the
    /// value after the rule's transformation chain, or, for multiMatch, the
    /// raw value and its value after each transformation. Stops at, and
    /// returns, the first `true`.
    pub(super) fn any_tested_form(&mut self, rs: &RuleSet, rule: &Rule, val: Span, mut f: impl FnMut(&mut Self, Span) -> bool) -> bool {
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
    pub(super) fn summarize(&mut self, rs: &RuleSet, rule: &Rule, t: &Target, key: (u16, u8, u8, bool)) -> usize {
        let words = rs.prefilter.as_ref().map_or(0, |p| p.words);
        let off = self.scratch.pf_words.len();
        self.scratch.pf_words.resize(off + words, 0);
        let mut hs = std::mem::take(&mut self.scratch.scratch_handles);
        hs.clear();
        let sel = if t.var == Variable::Xml { t.sel.clone() } else { Sel::All };
        self.collect_values(rs, t.var, &sel, &mut hs);
        for h in hs.iter() {
            // OR every form's scan into the summary (never stops early).
            self.any_tested_form(rs, rule, h.val, |this, v| {
                if let Some(s) = this.scan(rs, v) {
                    for w in 0..words {
                        let x = this.scratch.pf_words.get(s + w).copied().unwrap_or(0);
                        if let Some(d) = this.scratch.pf_words.get_mut(off + w) {
                            *d |= x;
                        }
                    }
                }
                false
            });
        }
        self.scratch.scratch_handles = hs;
        self.scratch.summaries.insert(key, off as u32);
        off
    }
}
