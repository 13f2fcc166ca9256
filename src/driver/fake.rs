//! A [`Host`] that records instead of calling Envoy: the filter's own tests
//! and the `filter_driver` fuzz harness drive the [`Driver`](super::Driver)
//! through it. Compiled for tests and with the `fake-host` feature.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::Host;
use crate::metrics::Counter;

/// A local reply the driver sent: status, headers, body.
pub type Reply = (u32, Vec<(String, String)>, Vec<u8>);

/// Request and response as Envoy would hand them to the filter, plus what
/// the driver did with them. Bodies are `RefCell`s so a caller can append
/// chunks between body callbacks, as Envoy's buffer grows.
#[derive(Default)]
pub struct FakeHost {
    /// Request headers, lower-case names, pseudo-headers first.
    pub request_headers: Vec<(String, Vec<u8>)>,
    /// Response headers, `:status` first.
    pub response_headers: Vec<(String, Vec<u8>)>,
    /// The request body received so far.
    pub request_body: RefCell<Vec<u8>>,
    /// The response body received so far.
    pub response_body: RefCell<Vec<u8>>,
    /// Properties by dotted path (`source.address`).
    pub properties: HashMap<String, Vec<u8>>,
    /// Every local reply, in order.
    pub replies: RefCell<Vec<Reply>>,
    /// Counters (`Counter::name()` or the stat name) and how often each was bumped.
    pub counters: RefCell<HashMap<String, u64>>,
    /// Match lines written to the log.
    pub log: RefCell<Vec<String>>,
    /// How often held response headers were let go on.
    pub resumed_responses: std::cell::Cell<u32>,
    /// The workers' shared data (rate-limit buckets); share one between
    /// fake hosts to play several workers.
    pub shared: std::rc::Rc<crate::policy::fake::MemorySharedData>,
    /// Every request counted for the traffic counters: (policy index, action, body limit).
    pub counted: RefCell<Vec<(usize, crate::verdict::VerdictAction, bool)>>,
}

/// `len` bytes of `b` from `start`, as much as there is.
fn slice(b: &[u8], start: usize, len: usize) -> Option<Vec<u8>> {
    b.get(start..start.saturating_add(len).min(b.len())).map(<[u8]>::to_vec)
}

impl Host for FakeHost {
    fn request_headers(&self) -> Vec<(String, Vec<u8>)> {
        self.request_headers.clone()
    }
    fn response_headers(&self) -> Vec<(String, Vec<u8>)> {
        self.response_headers.clone()
    }
    fn request_body(&self, start: usize, len: usize) -> Option<Vec<u8>> {
        slice(&self.request_body.borrow(), start, len)
    }
    fn response_body(&self, start: usize, len: usize) -> Option<Vec<u8>> {
        slice(&self.response_body.borrow(), start, len)
    }
    fn property(&self, path: &[&str]) -> Option<Vec<u8>> {
        self.properties.get(&path.join(".")).cloned()
    }
    fn local_reply(&self, status: u32, headers: &[(&str, &str)], body: &[u8]) {
        let headers = headers.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
        self.replies.borrow_mut().push((status, headers, body.to_vec()));
    }
    fn shared_data(&self) -> &dyn crate::policy::ratelimit::SharedData {
        &*self.shared
    }
    fn resume_response(&self) {
        self.resumed_responses.set(self.resumed_responses.get() + 1);
    }
    /// A fixed instant, so verdict times are reproducible.
    fn now(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(1_795_644_482_123)
    }
    fn count(&self, counter: Counter) {
        *self.counters.borrow_mut().entry(counter.name().to_owned()).or_default() += 1;
    }
    fn count_stat(&self, name: &str) {
        *self.counters.borrow_mut().entry(name.to_owned()).or_default() += 1;
    }
    fn log_match(&self, line: &str) {
        self.log.borrow_mut().push(line.to_owned());
    }
    fn count_request(&self, policy: usize, action: crate::verdict::VerdictAction, body_limit: bool) {
        self.counted.borrow_mut().push((policy, action, body_limit));
    }
}
