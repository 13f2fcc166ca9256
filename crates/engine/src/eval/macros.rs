//! Macro expansion (`%{TX.score}`, `%{rule.msg}`, `%{MATCHED_VAR}`) and
//! the byte formatting of log text.

use crate::expand::{Key, Macro, Seg};
use crate::program::Rule;
use crate::transaction::{Coll, Span, State};
use crate::variable::Variable;
use crate::RuleSet;


pub(super) fn limit_bytes(b: &[u8], n: usize) -> &[u8] {
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
pub(super) fn first_value(st: &State, rs: &RuleSet, var: Variable, key: &Key) -> Option<Span> {
    match (var, key) {
        (Variable::Tx, Key::Tx(id)) => st.tx_get(*id),
        (Variable::Tx, Key::Name(n)) => st.tx_lookup(rs, n),
        (Variable::Args, Key::Name(n)) => st.find(Coll::ArgsGet, n).or_else(|| st.find(Coll::ArgsPost, n)),
        (Variable::Args, Key::None) => st.coll(Coll::ArgsGet).first().or_else(|| st.coll(Coll::ArgsPost).first()).map(|e| e.val),
        (v, k) => match Coll::of(v) {
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
                b"id" => out.extend_from_slice(crate::transaction::itoa_buf(rule.rule_id.get()).as_slice()),
                b"phase" => out.extend_from_slice(crate::transaction::itoa_buf(i64::from(rule.phase.number())).as_slice()),
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
