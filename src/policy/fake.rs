//! In-memory [`SharedData`] with Envoy's semantics, for tests and harnesses
//! outside this crate (feature `fake-host`).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use super::ratelimit::{CasMismatch, SharedData};

/// Envoy's shared data in memory (proxy-wasm-cpp-host `SharedData`): every
/// write gets a new non-zero cas; `set` with cas 0 always writes; a non-zero
/// cas must equal the key's current one (a missing key is written whatever
/// the cas). Several limiters (workers) may share one value by reference.
#[derive(Debug)]
pub struct MemorySharedData {
    map: RefCell<HashMap<String, (Vec<u8>, u32)>>,
    next_cas: Cell<u32>,
    /// How many of the next conditional writes fail with [`CasMismatch`], as
    /// if another worker wrote first (each failure also bumps the key's cas).
    pub fail_next_cas: Cell<u32>,
    /// Writes that succeeded.
    pub writes: Cell<u32>,
}

impl Default for MemorySharedData {
    fn default() -> MemorySharedData {
        MemorySharedData { map: RefCell::new(HashMap::new()), next_cas: Cell::new(1), fail_next_cas: Cell::new(0), writes: Cell::new(0) }
    }
}

impl MemorySharedData {
    /// An empty store.
    pub fn new() -> MemorySharedData {
        MemorySharedData::default()
    }

    fn bump(&self) -> u32 {
        let cas = self.next_cas.get();
        self.next_cas.set(cas.checked_add(1).unwrap_or(1));
        cas
    }

    /// Write `value` unconditionally (as another party would), returning its cas.
    pub fn put(&self, key: &str, value: &[u8]) -> u32 {
        let cas = self.bump();
        self.map.borrow_mut().insert(key.to_owned(), (value.to_vec(), cas));
        cas
    }

    /// Every key, sorted.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.map.borrow().keys().cloned().collect();
        keys.sort();
        keys
    }
}

impl SharedData for MemorySharedData {
    fn get(&self, key: &str) -> Option<(Vec<u8>, u32)> {
        self.map.borrow().get(key).cloned()
    }

    fn set(&self, key: &str, value: &[u8], cas: u32) -> Result<(), CasMismatch> {
        let fresh = self.bump();
        let mut map = self.map.borrow_mut();
        if let Some(current) = map.get_mut(key) {
            if cas != 0 && self.fail_next_cas.get() > 0 {
                self.fail_next_cas.set(self.fail_next_cas.get() - 1);
                current.1 = fresh;
                return Err(CasMismatch);
            }
            if cas != 0 && cas != current.1 {
                return Err(CasMismatch);
            }
        }
        map.insert(key.to_owned(), (value.to_vec(), fresh));
        self.writes.set(self.writes.get() + 1);
        Ok(())
    }
}
