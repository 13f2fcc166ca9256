//! Running a rule's operator on one value: prefilter first, then the
//! operator (regex, phrase set, string and number comparisons,
//! libinjection, validations), then negation; captures into TX:0-9.

use super::macros::expand_into;
use super::slot_entry;
use crate::operator::{inject, validate, NumArg, Op};
use crate::program::Rule;
use crate::transaction::{Span, Transaction};
use crate::RuleSet;


/// Flags in `Transaction::inject`: libinjection SQLi computed (its result
/// is the next bit up), XSS computed (likewise).
const INJECT_SQLI: u8 = 1;
const INJECT_XSS: u8 = 4;

impl Transaction {
    /// Prefilter, then operator, then negation.
    pub(super) fn test(&mut self, rs: &RuleSet, rule: &Rule, v: Span) -> bool {
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
    pub(super) fn inject_known(&self, v: Span, which: u8) -> Option<bool> {
        let f = *self.scratch.inject.get(v.slot as usize)?;
        (f & which != 0).then_some(f & (which << 1) != 0)
    }


    pub(super) fn inject_remember(&mut self, v: Span, which: u8, result: bool) {
        if let Some(f) = slot_entry(&mut self.scratch.inject, v.slot as usize, 0) {
            *f |= which | if result { which << 1 } else { 0 };
        }
    }


    /// Set `TX:<n>` to a span of the arena (captures point into the matched value).
    pub(super) fn set_capture(&mut self, n: usize, s: Span) {
        if let Some(slot) = self.st.tx.get_mut(n) {
            *slot = Some(s);
        }
    }


    pub(super) fn run_op(&mut self, rs: &RuleSet, rule: &Rule, v: Span) -> bool {
        let st = &self.st;
        let hay = st.arena.get(v.start as usize..v.end as usize).unwrap_or(&[]);
        match &rule.op.op {
            Op::Rx(i) => {
                let i = *i as usize;
                let Some(rx) = rs.regexes.get(i) else { return false };
                if hay.len() < rx.min_len {
                    return false;
                }
                let Some(cache_slot) = self.scratch.rx_caches.get_mut(i) else { return false };
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
                    let mut buf = std::mem::take(&mut self.scratch.buf);
                    buf.clear();
                    expand_into(&self.st, rs, m, rule, &mut buf);
                    let hay = self.st.bytes(v);
                    let r = op.holds(&buf, hay);
                    self.scratch.buf = buf;
                    r
                }
            },
            Op::Num(op, arg) => {
                let input = op.parse(hay);
                let param = match arg {
                    NumArg::Const(n) => *n,
                    NumArg::Macro(m) => {
                        let mut buf = std::mem::take(&mut self.scratch.buf);
                        buf.clear();
                        expand_into(&self.st, rs, m, rule, &mut buf);
                        let n = op.parse(&buf);
                        self.scratch.buf = buf;
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
                // transformed value: remember the answer per value. A rule
                // that captures needs the fingerprint of a match, so only a
                // known "no" answers it.
                if let Some(known) = self.inject_known(v, INJECT_SQLI) {
                    if !known || !rule.capture {
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
}
