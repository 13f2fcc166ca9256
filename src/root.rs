//! The root context: compiles the configuration in `on_configure` (once per
//! VM), creates stream contexts, and flushes the verdict queue from `on_tick`.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use portcullis_rulepacks::Bundled;
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::ContextType;

use crate::config::Mode;
use crate::driver::Driver;
use crate::host::{self, Metrics};
use crate::metrics::Counter;
use crate::plugin::Plugin;
use crate::queue::{ndjson, VerdictQueue};
use crate::stream::Stream;

/// How long one verdict batch may take before it counts as failed.
const CALL_TIMEOUT: Duration = Duration::from_secs(5);

/// The plugin's root context (one per VM and plugin).
pub struct Root {
    context_id: u32,
    plugin: Option<Rc<Plugin>>,
    metrics: Rc<Metrics>,
    queue: Rc<RefCell<VerdictQueue>>,
    /// The batch being sent and its call token.
    in_flight: Option<(u32, Vec<String>)>,
}

impl Root {
    /// A root context with no configuration yet.
    pub fn new(context_id: u32) -> Root {
        Root {
            context_id,
            plugin: None,
            metrics: Rc::new(Metrics::define()),
            queue: Rc::new(RefCell::new(VerdictQueue::new(10_000))),
            in_flight: None,
        }
    }

    /// Send the oldest batch if nothing is in flight.
    fn flush(&mut self) {
        if self.in_flight.is_some() {
            return;
        }
        let Some(vl) = self.plugin.as_ref().and_then(|p| p.config.verdict_log.clone()) else { return };
        let batch = match self.queue.try_borrow_mut() {
            Ok(mut q) => q.take(vl.max_batch),
            Err(_) => return,
        };
        if batch.is_empty() {
            return;
        }
        let body = ndjson(&batch);
        let bearer = vl.token.as_ref().map(|t| format!("Bearer {t}"));
        let mut headers = vec![
            (":method", "POST"),
            (":path", vl.path.as_str()),
            (":authority", vl.authority()),
            ("content-type", "application/x-ndjson"),
        ];
        if let Some(b) = &bearer {
            headers.push(("authorization", b.as_str()));
        }
        match host::post(&vl.cluster, headers, &body, CALL_TIMEOUT) {
            Ok(token) => self.in_flight = Some((token, batch)),
            Err(e) => {
                log::warn!("portcullis: sending {} verdicts to cluster {:?} failed: {e}", batch.len(), vl.cluster);
                self.metrics.incr(Counter::VerdictSendErrors, 1);
                self.requeue(batch);
            }
        }
    }

    fn requeue(&self, batch: Vec<String>) {
        let dropped = self.queue.try_borrow_mut().map(|mut q| q.requeue(batch)).unwrap_or(0);
        if dropped > 0 {
            self.metrics.incr(Counter::VerdictsDropped, dropped);
        }
    }
}

impl Context for Root {
    fn on_http_call_response(&mut self, token_id: u32, _num_headers: usize, _body_size: usize, _num_trailers: usize) {
        let Some((token, batch)) = self.in_flight.take() else { return };
        if token != token_id {
            self.in_flight = Some((token, batch));
            return;
        }
        let status = host::call_response_status();
        if (200..300).contains(&status) {
            self.metrics.incr(Counter::VerdictsSent, batch.len() as u64);
            // More waiting than one batch: keep going without waiting for the tick.
            let more = self.plugin.as_ref().and_then(|p| p.config.verdict_log.as_ref()).map(|v| v.max_batch);
            if more.is_some_and(|m| self.queue.try_borrow().map(|q| q.len() >= m).unwrap_or(false)) {
                self.flush();
            }
        } else {
            log::warn!("portcullis: collector answered {status} to {} verdicts; will retry", batch.len());
            self.metrics.incr(Counter::VerdictSendErrors, 1);
            self.requeue(batch);
        }
    }
}

impl RootContext for Root {
    fn on_vm_start(&mut self, _vm_configuration_size: usize) -> bool {
        true
    }

    fn on_configure(&mut self, _plugin_configuration_size: usize) -> bool {
        let started = host::now();
        let bytes = host::plugin_configuration();
        match Plugin::build(&bytes, &Bundled::new()) {
            Ok(plugin) => {
                let ms = host::now().duration_since(started).map(|d| d.as_millis()).unwrap_or(0);
                let (rules, memory) = plugin.rules.as_ref().map(|r| (r.rule_count(), r.memory_usage())).unwrap_or((0, 0));
                log::info!(
                    "portcullis: configured (root {}): mode {}, {} rules, {} KiB compiled, in {} ms",
                    self.context_id,
                    plugin.config.mode.name(),
                    rules,
                    memory / 1024,
                    ms
                );
                if plugin.config.mode == Mode::Off {
                    log::warn!("portcullis: mode off: requests are not inspected");
                }
                if let Some(vl) = &plugin.config.verdict_log {
                    let dropped = self.queue.try_borrow_mut().map(|mut q| q.set_max(vl.max_queue)).unwrap_or(0);
                    if dropped > 0 {
                        self.metrics.incr(Counter::VerdictsDropped, dropped);
                    }
                    host::set_tick_period(Duration::from_millis(vl.flush_interval_ms));
                }
                self.plugin = Some(Rc::new(plugin));
                true
            }
            Err(errors) => {
                log::error!("portcullis: configuration refused ({} problem{}):", errors.len(), if errors.len() == 1 { "" } else { "s" });
                for e in &errors {
                    log::error!("portcullis: {e}");
                }
                self.metrics.incr(Counter::ConfigErrors, 1);
                false
            }
        }
    }

    fn on_tick(&mut self) {
        self.flush();
    }

    fn create_http_context(&self, context_id: u32) -> Option<Box<dyn HttpContext>> {
        let driver = self.plugin.as_ref().map(|p| Driver::new(Rc::clone(p), context_id));
        Some(Box::new(Stream::new(driver, Rc::clone(&self.metrics), Rc::clone(&self.queue))))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}
