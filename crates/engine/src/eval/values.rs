//! From a rule's targets to the values it tests: collections, selectors,
//! counts, the rule's own exclusions and `ctl:ruleRemoveTarget*`.

use crate::operator::num;
use crate::program::{Rule, Sel, Target};
use crate::expand::TxId;
use crate::transaction::{Coll, HKey, Handle, Span, State, Transaction};
use crate::variable::Variable;
use crate::RuleSet;


/// Collections behind ARGS / ARGS_NAMES.
const ARGS_COLLS: [Coll; 2] = [Coll::ArgsGet, Coll::ArgsPost];


fn key_matches(st: &State, rs: &RuleSet, sel: &Sel, key: Span) -> bool {
    match sel {
        Sel::All | Sel::XmlText | Sel::XmlAttrs | Sel::XmlTextNodes => true,
        Sel::Key(k) => st.bytes(key).eq_ignore_ascii_case(k),
        Sel::Regex(i) => rs.key_regexes.get(*i as usize).is_some_and(|r| r.is_match(st.bytes(key))),
        Sel::Tx(_) => false,
    }
}

impl Transaction {
    /// Gather the values of one target into `out` (count targets yield one computed value).
    pub(super) fn collect(&mut self, rs: &RuleSet, t: &Target, out: &mut Vec<Handle>) {
        let start = out.len();
        self.collect_values(rs, t.var, &t.sel, out);
        if t.count {
            let n = out.len() - start;
            out.truncate(start);
            let val = self.st.push_int(n as i64);
            out.push(Handle { var: t.var, key: HKey::None, val });
        }
    }


    pub(super) fn collect_values(&mut self, rs: &RuleSet, var: Variable, sel: &Sel, out: &mut Vec<Handle>) {
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
                let c = match sel {
                    Sel::XmlAttrs => Coll::XmlAttrs,
                    Sel::XmlTextNodes => Coll::XmlTextNodes,
                    _ => Coll::XmlText,
                };
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
                let n = self.st.args_combined as i64;
                let val = self.st.push_int(n);
                out.push(Handle { var, key: HKey::None, val });
            }
            V::FilesCombinedSize => {
                let n: i64 = st.coll(Coll::FilesSizes).iter().map(|e| num::parse_int(st.bytes(e.val))).sum();
                let val = self.st.push_int(n);
                out.push(Handle { var, key: HKey::None, val });
            }
            V::Ip | V::Session | V::Global | V::User | V::Resource | V::Geo | V::Rule | V::FilesTmpnames => {}
            _ => match Coll::of(var) {
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
    pub(super) fn handle_key<'a>(&'a self, rs: &'a RuleSet, h: &Handle) -> &'a [u8] {
        match h.key {
            HKey::None => b"",
            HKey::Span(s) | HKey::TxDyn(s) => self.st.bytes(s),
            HKey::Tx(id) => rs.tx_names.name(id).as_bytes(),
        }
    }


    /// Whether value `h` is excluded from `rule`: by the rule's own `!`
    /// targets or by a `ctl:ruleRemoveTarget*` in `removals` (indexes into
    /// the transaction's lists, already narrowed to this rule).
    pub(super) fn excluded(&self, rs: &RuleSet, rule: &Rule, removals: &[(bool, u32)], h: &Handle) -> bool {
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
                self.flow.ctl.remove_target_by_tag.get(i as usize).map(|x| &x.1)
            } else {
                self.flow.ctl.remove_target_by_id.get(i as usize).map(|x| &x.1)
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
    pub(super) fn removals_for(&self, rule: &Rule, out: &mut Vec<(bool, u32)>) {
        out.clear();
        for (i, (ranges, _)) in self.flow.ctl.remove_target_by_id.iter().enumerate() {
            if rule.rule_id.in_ranges(ranges) {
                out.push((false, i as u32));
            }
        }
        for (i, (tag, _)) in self.flow.ctl.remove_target_by_tag.iter().enumerate() {
            if rule.has_tag(*tag) {
                out.push((true, i as u32));
            }
        }
    }
}
