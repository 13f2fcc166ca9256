//! The copy of what phase 2's rules may change, saved before the early
//! pass (`eval::early`) and put back when the pass did not block.

use super::flow::Ctls;
use super::state::{Coll, Entry, Span};
use crate::action::AllowKind;
use crate::verdict::Interruption;

/// What the rules of a phase may change, saved before the early pass and
/// restored after it when it did not block. The buffers are kept across
/// transactions (cloned into, not allocated).
#[derive(Debug, Default)]
pub(crate) struct Checkpoint {
    tx: Vec<Option<Span>>,
    tx_dyn: Vec<(Span, Option<Span>)>,
    scalars: Vec<Option<Span>>,
    matched_vars: Vec<Entry>,
    env_len: usize,
    matches_len: usize,
    ctl: Ctls,
    engine: crate::RuleEngineMode,
    allow: Option<AllowKind>,
    pending: Option<Interruption>,
    last_name: Span,
    last_orig: Span,
}

impl super::Transaction {
    /// Save what phase 2's rules may change.
    pub(crate) fn save(&mut self) {
        let cp = &mut self.checkpoint;
        cp.tx.clone_from(&self.st.tx);
        cp.tx_dyn.clone_from(&self.st.tx_dyn);
        cp.scalars.clone_from(&self.st.scalars);
        cp.matched_vars.clone_from(&self.st.colls[Coll::MatchedVars as usize]);
        cp.env_len = self.st.colls[Coll::Env as usize].len();
        cp.matches_len = self.flow.matches.len();
        cp.ctl.clone_from(&self.flow.ctl);
        cp.engine = self.flow.engine;
        cp.allow = self.flow.allow;
        cp.pending.clone_from(&self.flow.pending);
        cp.last_name = self.flow.last_name;
        cp.last_orig = self.flow.last_orig;
    }

    /// Undo everything since [`Transaction::save`] but the arena's growth
    /// (its values may sit in the transformation cache, which stays valid).
    pub(crate) fn restore(&mut self) {
        let cp = &mut self.checkpoint;
        std::mem::swap(&mut self.st.tx, &mut cp.tx);
        std::mem::swap(&mut self.st.tx_dyn, &mut cp.tx_dyn);
        std::mem::swap(&mut self.st.scalars, &mut cp.scalars);
        std::mem::swap(&mut self.st.colls[Coll::MatchedVars as usize], &mut cp.matched_vars);
        self.st.colls[Coll::Env as usize].truncate(cp.env_len);
        self.flow.matches.truncate(cp.matches_len);
        std::mem::swap(&mut self.flow.ctl, &mut cp.ctl);
        self.flow.engine = cp.engine;
        self.flow.allow = cp.allow;
        self.flow.pending = cp.pending.take();
        self.flow.last_name = cp.last_name;
        self.flow.last_orig = cp.last_orig;
        self.flow.skip_next = 0;
        self.flow.skip_to = None;
    }

}
