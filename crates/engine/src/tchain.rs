//! Transformation chains, interned as a prefix tree: chain `a,b,c` is node
//! `c` whose parent is the node of `a,b`. A transaction caches the result of
//! every node per value, so rules sharing a prefix share its work.

use crate::transform::Transform;

/// Id of an interned chain; `0` is the empty chain (the value itself).
pub(crate) type ChainId = u16;

/// The chain table of a rule set.
#[derive(Debug)]
pub(crate) struct Chains {
    /// `nodes[id] = (parent, transform)`; `nodes[0]` is a placeholder for the empty chain.
    nodes: Vec<(ChainId, Option<Transform>)>,
    map: rustc_hash::FxHashMap<(ChainId, Transform), ChainId>,
}

impl Default for Chains {
    fn default() -> Chains {
        Chains { nodes: vec![(0, None)], map: Default::default() }
    }
}

impl Chains {
    /// The id of `ts`, adding its nodes if new. Fails beyond `u16::MAX` nodes.
    pub fn intern(&mut self, ts: &[Transform]) -> Result<ChainId, String> {
        let mut id: ChainId = 0;
        for &t in ts {
            id = match self.map.get(&(id, t)) {
                Some(&n) => n,
                None => {
                    let n = ChainId::try_from(self.nodes.len()).map_err(|_| "too many transformation chains".to_string())?;
                    self.nodes.push((id, Some(t)));
                    self.map.insert((id, t), n);
                    n
                }
            };
        }
        Ok(id)
    }

    /// The parent and last transformation of node `id` (`None` for the empty chain).
    #[inline]
    pub fn node(&self, id: ChainId) -> Option<(ChainId, Transform)> {
        match self.nodes.get(id as usize) {
            Some(&(p, Some(t))) => Some((p, t)),
            _ => None,
        }
    }

    /// Number of nodes (the empty chain included).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }
}
