//! Per-transaction caches and scratch buffers: transformed values by
//! (value slot, chain), prefilter bits, byte-presence sets, libinjection
//! answers, regex caches, value lists. They never change what a rule
//! decides; all are kept (cleared) across requests.

use super::state::Span;
use crate::expand::TxId;
use crate::variable::Variable;

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

/// The caches and buffers of one transaction.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// Transformation cache, by (value slot, chain).
    pub cache: Cache,
    pub pf_words: Vec<u64>,
    /// Offset in `pf_words` of each value's prefilter bits, by slot (`u32::MAX`: not scanned).
    pub scans: Vec<u32>,
    /// Per phase: offset in `pf_words` of the OR of the prefilter bits of all
    /// values of a variable after a chain, by (chain, variable, selector kind, multiMatch).
    pub summaries: rustc_hash::FxHashMap<(u16, u8, u8, bool), u32>,
    /// Bytes present in each value, by slot (for skipping transformations).
    pub presence: Vec<Option<crate::transform::ByteSet>>,
    /// libinjection answers already computed, by slot (see `eval::operator`).
    pub inject: Vec<u8>,
    /// One regex cache per regex of the rule set, made on first use and kept.
    pub rx_caches: Vec<Option<crate::operator::rx::RxCache>>,
    /// Value lists per chain depth (reused).
    pub handles: Vec<Vec<Handle>>,
    /// Value list for prefilter summaries (reused).
    pub scratch_handles: Vec<Handle>,
    /// Lowercased copy of the value being prefiltered (reused).
    pub scratch_lower: Vec<u8>,
    /// `ctl:ruleRemoveTarget*` entries that apply to the rule being evaluated.
    pub removals: Vec<(bool, u32)>,
    /// Scratch for macro expansion.
    pub buf: Vec<u8>,
    pub buf2: Vec<u8>,
}

impl Scratch {
    /// Buffers for a rule set with `n_chains` transformation chains and `n_rx` regexes.
    pub fn new(n_chains: usize, n_rx: usize) -> Scratch {
        Scratch { cache: Cache { n_chains, ..Cache::default() }, rx_caches: (0..n_rx).map(|_| None).collect(), ..Scratch::default() }
    }

    /// Forget the cached answers (they are by value slot, and slots restart
    /// with each request); keep the buffers and the regex caches.
    pub fn reset(&mut self) {
        self.cache.clear();
        self.pf_words.clear();
        self.scans.clear();
        self.summaries.clear();
        self.presence.clear();
        self.inject.clear();
    }
}

/// Transformation results per (value slot, chain): a block of `n_chains`
/// entries per slot, allocated the first time the slot is transformed, each
/// an index into `entries` (or `NONE`).
#[derive(Debug, Default)]
pub(crate) struct Cache {
    pub n_chains: usize,
    pub slot_block: Vec<u32>,
    pub blocks: Vec<u32>,
    pub entries: Vec<Cached>,
}

impl Cache {
    pub const NONE: u32 = u32::MAX;

    fn clear(&mut self) {
        self.slot_block.clear();
        self.blocks.clear();
        self.entries.clear();
    }

    /// Position of (slot, chain) in `blocks`, allocating the slot's block.
    #[inline(always)]
    pub fn position(&mut self, slot: u32, chain: u16) -> usize {
        let s = slot as usize;
        if s >= self.slot_block.len() {
            self.slot_block.resize(s + 1, Self::NONE);
        }
        let mut b = self.slot_block[s];
        if b == Self::NONE {
            b = self.blocks.len() as u32;
            self.blocks.resize(self.blocks.len() + self.n_chains, Self::NONE);
            self.slot_block[s] = b;
        }
        b as usize + chain as usize
    }

    /// The entry of (slot, chain), if computed.
    #[inline]
    pub fn get(&mut self, slot: u32, chain: u16) -> Option<&mut Cached> {
        let p = self.position(slot, chain);
        match self.blocks.get(p) {
            Some(&e) if e != Self::NONE => self.entries.get_mut(e as usize),
            _ => None,
        }
    }

    /// Store the entry of (slot, chain) and return it.
    #[inline]
    pub fn insert(&mut self, slot: u32, chain: u16, c: Cached) -> &mut Cached {
        let p = self.position(slot, chain);
        let e = self.entries.len();
        self.entries.push(c);
        if let Some(x) = self.blocks.get_mut(p) {
            *x = e as u32;
        }
        let last = self.entries.len() - 1;
        &mut self.entries[last]
    }
}

/// The transformed value of one (value, chain).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cached {
    pub out: Span,
}

