//! The HTTP stream context: forwards each proxy-wasm callback to the
//! [`Driver`] and queues the verdict record at the end.

use std::cell::RefCell;
use std::rc::Rc;

use proxy_wasm::traits::{Context, HttpContext};
use proxy_wasm::types::Action;

use crate::counters::Traffic;
use crate::driver::{Driver, Step};
use crate::host::{Metrics, WasmHost};
use crate::metrics::Counter;
use crate::queue::VerdictQueue;

/// One HTTP stream.
pub struct Stream {
    /// `None` when the VM has no valid configuration: pass everything through.
    driver: Option<Driver>,
    host: WasmHost,
    metrics: Rc<Metrics>,
    queue: Rc<RefCell<VerdictQueue>>,
}

impl Stream {
    /// A stream driven by `driver`, counting into `metrics` and `traffic`.
    pub fn new(driver: Option<Driver>, metrics: Rc<Metrics>, queue: Rc<RefCell<VerdictQueue>>, traffic: Rc<RefCell<Traffic>>) -> Stream {
        Stream { driver, host: WasmHost::new(Rc::clone(&metrics), traffic), metrics, queue }
    }

    fn step(&mut self, f: impl FnOnce(&mut Driver, &WasmHost) -> Step) -> Action {
        match self.driver.as_mut() {
            Some(d) => match f(d, &self.host) {
                Step::Continue => Action::Continue,
                Step::Pause => Action::Pause,
            },
            None => Action::Continue,
        }
    }
}

impl Context for Stream {}

impl HttpContext for Stream {
    fn on_http_request_headers(&mut self, _num_headers: usize, end_of_stream: bool) -> Action {
        self.step(|d, h| d.on_request_headers(h, end_of_stream))
    }

    fn on_http_request_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        self.step(|d, h| d.on_request_body(h, body_size, end_of_stream))
    }

    fn on_http_request_trailers(&mut self, _num_trailers: usize) -> Action {
        self.step(|d, h| d.on_request_trailers(h))
    }

    fn on_http_response_headers(&mut self, _num_headers: usize, end_of_stream: bool) -> Action {
        self.step(|d, h| d.on_response_headers(h, end_of_stream))
    }

    fn on_http_response_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        self.step(|d, h| d.on_response_body(h, body_size, end_of_stream))
    }

    fn on_http_response_trailers(&mut self, _num_trailers: usize) -> Action {
        self.step(|d, h| d.on_response_trailers(h))
    }

    fn on_log(&mut self) {
        let Some(line) = self.driver.as_mut().and_then(|d| d.on_log(&self.host)) else { return };
        let dropped = match self.queue.try_borrow_mut() {
            Ok(mut q) => q.push(line),
            Err(_) => 1,
        };
        if dropped > 0 {
            self.metrics.incr(Counter::VerdictsDropped, dropped);
        }
    }
}
