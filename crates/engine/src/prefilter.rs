//! Literal prefilter: one Aho-Corasick automaton over the required literals
//! of every `@rx` and the phrases of every `@pm`. One scan of a transformed
//! value tells which regexes can possibly match it (the others are skipped
//! without running) and decides every phrase set outright.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// The rule set's prefilter. Item ids index the bitsets a scan fills.
#[derive(Debug)]
pub(crate) struct Prefilter {
    pub ac: AhoCorasick,
    /// Pattern id → the item ids it stands for.
    pub atom_locals: Vec<Box<[u16]>>,
    /// Number of `u64` words in a bitset of item ids.
    pub words: usize,
}

impl Prefilter {
    /// Build from `(item id, literals)` of every filterable operator.
    pub fn build(regexes: &[(u16, &[Vec<u8>])]) -> Result<Prefilter, String> {
        let mut atoms: Vec<Vec<u8>> = Vec::new();
        let mut locals: Vec<Vec<u16>> = Vec::new();
        let mut index: rustc_hash::FxHashMap<Vec<u8>, usize> = Default::default();
        let mut max_local = 0u16;
        for &(local, set) in regexes {
            max_local = max_local.max(local);
            for a in set {
                let a = a.to_ascii_lowercase();
                let i = *index.entry(a.clone()).or_insert_with(|| {
                    atoms.push(a);
                    locals.push(Vec::new());
                    atoms.len() - 1
                });
                if let Some(l) = locals.get_mut(i) {
                    l.push(local);
                }
            }
        }
        // A DFA scans fastest but builds slowly for big literal sets.
        // Atoms are lowercase and values are scanned lowercased (see `scan`):
        // the same matches as an ASCII case-insensitive automaton, which
        // costs a good part of the rule set's build time to construct.
        let kind = if atoms.len() <= 400 { AhoCorasickKind::DFA } else { AhoCorasickKind::ContiguousNFA };
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(&atoms)
            .or_else(|_| AhoCorasick::builder().match_kind(MatchKind::Standard).build(&atoms))
            .map_err(|e| format!("cannot build prefilter: {e}"))?;
        Ok(Prefilter {
            ac,
            atom_locals: locals.into_iter().map(Vec::into_boxed_slice).collect(),
            words: max_local as usize / 64 + 1,
        })
    }

    /// Set in `bits` (length [`Self::words`]) every item whose literal
    /// occurs in `value`, ASCII case-insensitively. `lower` is scratch space
    /// for a lowercased copy, made only when `value` has uppercase letters.
    pub fn scan(&self, value: &[u8], bits: &mut [u64], lower: &mut Vec<u8>) {
        let hay = if value.iter().any(u8::is_ascii_uppercase) {
            lower.clear();
            lower.extend(value.iter().map(u8::to_ascii_lowercase));
            lower.as_slice()
        } else {
            value
        };
        for m in self.ac.find_overlapping_iter(hay) {
            if let Some(ls) = self.atom_locals.get(m.pattern().as_usize()) {
                for &l in ls.iter() {
                    if let Some(w) = bits.get_mut(l as usize / 64) {
                        *w |= 1u64 << (l % 64);
                    }
                }
            }
        }
    }

    /// Heap bytes of the automaton.
    pub fn memory_usage(&self) -> usize {
        self.ac.memory_usage() + self.atom_locals.iter().map(|l| l.len() * 2 + 16).sum::<usize>()
    }
}
