//! The early request decision (a Portcullis extension): phase 2 run once
//! over what is known when the request headers end, so that an attack in
//! the URL, the query or the headers is refused before the proxy forwards
//! anything, even when a body follows.
//!
//! A proxy-wasm filter cannot hold the request headers while it reads the
//! body (see the filter's driver), and CRS reads ARGS in phase 2; without
//! this pass a POST whose query carries an attack would have its request
//! line and headers at the backend before the body arrived.
//!
//! # Soundness
//! The pass must never block a request that the full phase 2 (with the
//! body) would let through. Each chain is classified when the rules are
//! compiled ([`classify`]): which body processors fill the variables it
//! reads (an [`Early`] mask per chain), whether it reads them in a way a
//! later value can undo, and whether a match changes the flow. For a request
//! whose body processor P is known after phase 1 (its Content-Type, or
//! `ctl:requestBodyProcessor`), a chain's [`EarlyRole`](crate::program::EarlyRole) is:
//! - `Known` when it reads nothing P fills (nor what every processor fills,
//!   as REQBODY_ERROR), or only tests values of such variables one by one
//!   (ARGS, ARGS_POST, FILES, XML, REQUEST_BODY ...): values only appear
//!   with the body, and a value that matches now matches then. It is
//!   evaluated as usual.
//! - `Unknown` when it reads a count of body values (`&ARGS`) or a value the
//!   body changes (ARGS_COMBINED_SIZE), and a match can only add score, log
//!   or block. It is treated as not matching: the pass can then only
//!   under-count, never over-count.
//! - `Undecidable` when it reads what P fills and a match would change the
//!   flow (`ctl`, `skip`, `skipAfter`, `allow`, or a `setvar` that sets a TX
//!   value another chain reads in a condition). Skipping it could make the
//!   pass stricter than the real phase 2, so the pass stops there and
//!   decides nothing (`eval::early`).
//!
//! When the pass blocks, phase 2 is over and the request is refused with
//! the matches found. Otherwise every effect of the pass is rolled back to
//! the state after phase 1 (the transaction's `Checkpoint`) and phase 2
//! runs again with the body; values transformed in the pass stay in the
//! transformation cache.

use crate::action::{Disruptive, SetOp, VarName};
use crate::expand::{Key, Macro, Seg, TxId, TxNames};
use crate::operator::{NumArg, Op};
use crate::program::{BodyMask, Early, Rule, Run, Sel, Target};
use crate::variable::Variable;

/// The processors whose output target `t` reads (0: nothing the body
/// changes), and whether a value it reads now can change or vanish later
/// (rather than only more values appear).
fn reads_body(t: &Target) -> (u8, bool) {
    use Variable as V;
    let mask = match t.var {
        // Grow with the body's arguments: each known value is tested alone.
        V::Args | V::ArgsNames if t.count => BodyMask::ARGS,
        V::ArgsPost | V::ArgsPostNames => BodyMask::ARGS,
        V::ArgsCombinedSize => return (BodyMask::ARGS, true),
        V::RequestBody => BodyMask::URLENCODED | BodyMask::FORCED,
        V::UrlencodedError => BodyMask::URLENCODED,
        V::RequestBodyLength
        | V::ReqbodyError
        | V::ReqbodyErrorMsg
        | V::ReqbodyProcessorError
        | V::ReqbodyProcessorErrorMsg
        | V::InboundDataError => BodyMask::ANY,
        V::Files
        | V::FilesNames
        | V::FilesSizes
        | V::FilesCombinedSize
        | V::FilesTmpnames
        | V::FilesTmpContent
        | V::MultipartPartHeaders
        | V::MultipartFilename
        | V::MultipartName
        | V::MultipartStrictError
        | V::MultipartUnmatchedBoundary
        | V::MultipartBoundaryQuoted
        | V::MultipartBoundaryWhitespace
        | V::MultipartDataBefore
        | V::MultipartDataAfter
        | V::MultipartHeaderFolding
        | V::MultipartLfLine
        | V::MultipartCrlfLfLines
        | V::MultipartMissingSemicolon
        | V::MultipartInvalidQuoting
        | V::MultipartInvalidPart
        | V::MultipartInvalidHeaderFolding
        | V::MultipartFileLimitExceeded => BodyMask::MULTIPART,
        V::Xml => BodyMask::XML,
        V::FullRequest | V::FullRequestLength => return (BodyMask::ANY, true),
        _ => 0,
    };
    // A count changes as values appear; a value test only gains values.
    (mask, t.count && mask != 0)
}

/// Who reads TX values in conditions (targets, operator arguments and
/// setvar values, not log text): by name, by key regex, or all of TX.
#[derive(Default)]
struct TxReaders {
    /// (TX id, chain head) pairs.
    by_name: Vec<(TxId, usize)>,
    /// (key regex index, chain head) pairs.
    by_regex: Vec<(u32, usize)>,
    /// Chain heads reading every TX value.
    all: Vec<usize>,
}

impl TxReaders {
    fn macro_reads(&mut self, m: &Macro, head: usize) {
        for seg in m.segs.iter() {
            match seg {
                Seg::Var(Variable::Tx, Key::Tx(id)) => self.by_name.push((*id, head)),
                Seg::Var(Variable::Tx, _) => self.all.push(head),
                _ => {}
            }
        }
    }

    fn rule_reads(&mut self, r: &Rule, head: usize) {
        for t in r.targets.iter().filter(|t| t.var == Variable::Tx) {
            match t.sel {
                Sel::Tx(id) => self.by_name.push((id, head)),
                Sel::Regex(k) => self.by_regex.push((k, head)),
                _ => self.all.push(head),
            }
        }
        match &r.op.op {
            Op::Str(_, m) | Op::Num(_, NumArg::Macro(m)) => self.macro_reads(m, head),
            _ => {}
        }
        for sv in r.setvars.iter() {
            if let SetOp::Set(m) | SetOp::Add(m) | SetOp::Sub(m) = &sv.op {
                self.macro_reads(m, head);
            }
        }
    }

    /// Whether a chain other than `head` reads TX value `id` (named `name`).
    fn read_elsewhere(&self, id: TxId, name: &str, head: usize, key_regexes: &[regex_automata::meta::Regex]) -> bool {
        self.all.iter().any(|&h| h != head)
            || self.by_name.iter().any(|&(i, h)| i == id && h != head)
            || self
                .by_regex
                .iter()
                .any(|&(k, h)| h != head && key_regexes.get(k as usize).is_none_or(|re| re.is_match(name.as_bytes())))
    }
}

/// The links of the chain starting at `head`.
fn links(rules: &[Rule], head: usize) -> impl Iterator<Item = &Rule> {
    let mut at = Some(head);
    std::iter::from_fn(move || {
        let r = rules.get(at?)?;
        at = r.next.map(|n| n as usize);
        Some(r)
    })
}

/// Set [`Rule::early`] on every chain's first rule from all of its links.
/// A `setvar` that sets (rather than adds to) a TX value counts as a flow
/// change only when another chain reads that value in a condition: CRS's
/// `tx.<id>_matched_var_name`, read only by its own rule's `logdata`, is
/// harmless.
pub(crate) fn classify(rules: &mut [Rule], tx: &TxNames, key_regexes: &[regex_automata::meta::Regex]) {
    let heads: Vec<usize> = (0..rules.len()).filter(|&i| !rules[i].is_link).collect();
    let mut readers = TxReaders::default();
    for &h in &heads {
        for r in links(rules, h) {
            readers.rule_reads(r, h);
        }
    }
    for &h in &heads {
        let mut early = Early::default();
        for r in links(rules, h) {
            for (mask, changing) in r.targets.iter().map(reads_body) {
                early.reads |= mask;
                if changing {
                    early.reads_changing |= mask;
                }
            }
            let flow_run = r.run.iter().any(|x| matches!(x, Run::Ctl(_) | Run::Skip(_) | Run::SkipTo(_)));
            let allow = matches!(r.disruptive, Some(Disruptive::Allow(_)));
            let shared_set = r.setvars.iter().any(|sv| match (&sv.op, &sv.name) {
                (SetOp::Add(_), _) => false,
                (_, VarName::Static(id)) => readers.read_elsewhere(*id, tx.name(*id), h, key_regexes),
                (_, VarName::Dynamic(_)) => true,
            });
            early.changes_flow |= flow_run || allow || shared_set;
        }
        if let Some(r) = rules.get_mut(h) {
            r.early = early;
        }
    }
}

