//! The root context: compiles the configuration in `on_configure` (once per
//! VM), creates stream contexts, and delivers the verdict queue from
//! `on_tick`: at most one call in flight; what each answer means (re-send
//! with backoff, refused lines, split on 413) is decided by
//! [`Delivery`](crate::queue::Delivery), here only hostcalls and counters.

use std::cell::RefCell;
use std::hash::BuildHasher;
use std::rc::Rc;
use std::time::Duration;

use portcullis_rulepacks::Bundled;
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::ContextType;

use crate::config::{Format, Mode};
use crate::counters::{self, CounterAnswer, Delivered, Fingerprinting, Key, Traffic};
use crate::console::{FetchAnswer, Fetched, Fetcher};
use crate::driver::Driver;
use crate::host::{self, ListMetrics, Metrics};
use crate::metrics::Counter;
use crate::otlp;
use crate::plugin::Plugin;
use crate::queue::{ndjson, Answer, Delivery, RecordIds, RetryReason, Tally, VerdictQueue, CALL_TIMEOUT};
use crate::stream::Stream;

/// Largest answer body read from the collector (a per-line answer for
/// 10,000 lines); a larger one is treated as having no per-line answer.
const MAX_ANSWER_BYTES: usize = 1 << 20;

/// The plugin's root context (one per VM and plugin).
pub struct Root {
    context_id: u32,
    plugin: Option<Rc<Plugin>>,
    metrics: Rc<Metrics>,
    queue: Rc<RefCell<VerdictQueue>>,
    delivery: Delivery,
    /// `authorization` of verdict calls, resolved once per configuration.
    bearer: Option<String>,
    /// Traffic counts of this VM, reported each flush interval (shared with the streams).
    traffic: Rc<RefCell<Traffic>>,
    /// What the counter records say about this worker (set by each configuration).
    facts: Option<portcullis_wire::counters::NodeFacts>,
    /// The console's IP lists: when to fetch, the call in flight (`ip_lists` only).
    fetcher: Option<Fetcher>,
    /// Their stats, defined with the first configuration that has `ip_lists`.
    list_metrics: Option<ListMetrics>,
    /// The tick period (the shorter of the flush and fetch intervals) and the next flush due.
    tick_ms: u64,
    next_flush_ms: u64,
}

impl Root {
    /// A root context with no configuration yet.
    pub fn new(context_id: u32) -> Root {
        let nanos = host::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
        let ids = RecordIds::random(nanos ^ u64::from(context_id));
        let traffic = Traffic::new(ids.prefix().to_owned(), now_ms());
        let jitter_seed = std::collections::hash_map::RandomState::new().hash_one(nanos);
        Root {
            context_id,
            plugin: None,
            metrics: Rc::new(Metrics::define()),
            queue: Rc::new(RefCell::new(VerdictQueue::new(10_000, ids))),
            delivery: Delivery::with_jitter(jitter_seed),
            bearer: None,
            traffic: Rc::new(RefCell::new(traffic)),
            facts: None,
            fetcher: None,
            list_metrics: None,
            tick_ms: 0,
            next_flush_ms: 0,
        }
    }

    /// Send the counter record due now, if any (`docs/counters.md`): to `/v1/counters` on the
    /// verdict cluster with the node token, one call at a time; a record without an answer is
    /// sent again as it was.
    fn report_counters(&mut self) {
        let Some(plugin) = self.plugin.clone() else { return };
        let Some(vl) = plugin.config.verdict_log.as_ref() else { return };
        // An OpenTelemetry collector has no counter endpoint.
        if vl.format != Format::Ndjson {
            return;
        }
        let Some(facts) = self.facts.as_ref() else { return };
        let now = now_ms();
        let dropped = self.queue.try_borrow().map(|q| q.dropped()).unwrap_or(0);
        let Ok(mut traffic) = self.traffic.try_borrow_mut() else { return };
        let Some((record_id, body)) = traffic.next_call(now, facts, dropped) else { return };
        let mut headers = vec![
            (":method", "POST"),
            (":path", counters::PATH),
            (":authority", vl.authority()),
            ("content-type", "application/json"),
        ];
        if let Some(b) = &self.bearer {
            headers.push(("authorization", b.as_str()));
        }
        match host::post(&vl.cluster, headers, &body, CALL_TIMEOUT) {
            Ok(token) => traffic.sent(token, now),
            Err(e) => {
                let outcome = traffic.dispatch_failed(now);
                drop(traffic);
                log::warn!("portcullis: sending counter record {record_id} to cluster {:?} failed: {e}", vl.cluster);
                self.count_counters(&record_id, outcome);
            }
        }
    }

    /// Counters and log lines for the answer to a counter record.
    fn count_counters(&self, record_id: &str, outcome: Delivered) {
        match outcome {
            Delivered::Stored => self.metrics.incr(Counter::CounterRecordsSent, 1),
            Delivered::Refused(status) => {
                self.metrics.incr(Counter::CounterRecordsRejected, 1);
                log::error!("portcullis: the collector refused counter record {record_id} (HTTP {status}); its counts are lost");
            }
            Delivered::Retry(status, wait) => {
                self.metrics.incr(Counter::CounterSendErrors, 1);
                let why = status.map_or_else(|| "no answer".to_owned(), |s| format!("HTTP {s}"));
                log::warn!("portcullis: counter record {record_id}: {why}; sent again in {} s, counts meanwhile go into the next record", wait.as_secs());
            }
        }
    }

    /// Send the oldest batch unless a call is in flight or a retry is not due yet.
    fn flush(&mut self) {
        // An Rc clone, not a clone of the settings: this runs on every tick.
        let Some(plugin) = self.plugin.clone() else { return };
        let Some(vl) = plugin.config.verdict_log.as_ref() else { return };
        let now = now_ms();
        let (batch, tally) = match self.queue.try_borrow_mut() {
            Ok(mut q) => self.delivery.next_batch(&mut q, now, vl.max_batch),
            Err(_) => return,
        };
        self.count(&tally);
        let Some(batch) = batch else { return };
        let body = match vl.format {
            Format::Ndjson => ndjson(&batch),
            Format::Otlp => otlp::export_request(&batch),
        };
        let bearer = self.bearer.clone();
        let mut headers = vec![
            (":method", "POST"),
            (":path", vl.path()),
            (":authority", vl.authority()),
            ("content-type", vl.format.content_type()),
        ];
        if let Some(b) = &bearer {
            headers.push(("authorization", b.as_str()));
        }
        match host::post(&vl.cluster, headers, &body, CALL_TIMEOUT) {
            Ok(token) => self.delivery.sent(token, batch, now),
            Err(e) => {
                log::warn!("portcullis: sending {} verdicts to cluster {:?} failed: {e}", batch.len(), vl.cluster);
                let tally = match self.queue.try_borrow_mut() {
                    Ok(mut q) => self.delivery.dispatch_failed(&mut q, batch, now),
                    Err(_) => return,
                };
                self.count(&tally);
            }
        }
    }

    /// Counters and log lines for one delivery step.
    fn count(&self, tally: &Tally) {
        let n = tally.batch;
        self.metrics.incr(Counter::VerdictsSent, tally.delivered);
        self.metrics.incr(Counter::VerdictsRejected, tally.rejected);
        self.metrics.incr(Counter::VerdictsDropped, tally.dropped);
        if tally.rejected > 0 {
            let why = tally.first_refusal.as_deref().unwrap_or("refused");
            log::warn!("portcullis: the collector refused {} of {n} verdicts ({why}); they are not sent again", tally.rejected);
        }
        match tally.retry {
            Some((RetryReason::TooLarge, _)) => log::warn!("portcullis: {}", RetryReason::TooLarge),
            Some((reason @ RetryReason::Auth(_), wait)) => {
                self.metrics.incr(Counter::VerdictAuthFailures, 1);
                log::error!("portcullis: sending {n} verdicts: {reason}; next attempt in {} s", wait.as_secs());
            }
            Some((reason, wait)) => {
                self.metrics.incr(Counter::VerdictSendErrors, 1);
                log::warn!("portcullis: sending {n} verdicts: {reason}; next attempt in {} s", wait.as_secs());
            }
            None => {}
        }
    }
}

impl Root {
    /// The traffic counters follow the new configuration's policies; its facts go into the
    /// next counter records.
    fn configure_counters(&mut self, plugin: &Plugin, fingerprint: &str) {
        if let Ok(mut traffic) = self.traffic.try_borrow_mut() {
            traffic.configure(Key::of_plugin(plugin));
        }
        self.facts = Some(counters::node_facts(plugin, fingerprint));
    }
}

/// Milliseconds since the epoch by the host's clock.
fn now_ms() -> u64 {
    host::now().duration_since(std::time::UNIX_EPOCH).map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)).unwrap_or(0)
}

impl Context for Root {
    fn on_http_call_response(&mut self, token_id: u32, _num_headers: usize, body_size: usize, _num_trailers: usize) {
        if self.traffic.try_borrow().is_ok_and(|t| t.is_in_flight(token_id)) {
            let status = host::call_response_status();
            let answer = if status == 0 { CounterAnswer::Failed } else { CounterAnswer::Status(status) };
            let Ok(mut traffic) = self.traffic.try_borrow_mut() else { return };
            let record_id = traffic.pending_id().unwrap_or_default().to_owned();
            let outcome = traffic.answered(token_id, answer, now_ms());
            drop(traffic);
            if let Some(outcome) = outcome {
                self.count_counters(&record_id, outcome);
            }
            return;
        }
        if self.fetcher.as_ref().is_some_and(|f| f.is_in_flight(token_id)) {
            self.ip_lists_answered(token_id, body_size);
            return;
        }
        if !self.delivery.is_in_flight(token_id) {
            return;
        }
        // Envoy calls back without headers when the call failed (connection
        // refused or reset, timeout): no `:status`.
        let status = host::call_response_status();
        // The collector's per-line answer is ~40 bytes a line; a larger body is not one.
        let body = if status == 0 || body_size > MAX_ANSWER_BYTES { Vec::new() } else { host::call_response_body(body_size) };
        let retry_after = host::call_response_header("retry-after").and_then(|v| v.trim().parse().ok());
        let answer = if status == 0 { Answer::Failed } else { Answer::Status { status, body: &body, retry_after } };
        let Ok(mut q) = self.queue.try_borrow_mut() else { return };
        let Some(tally) = self.delivery.answered(token_id, &mut q, answer, now_ms()) else { return };
        drop(q);
        self.count(&tally);
        // More waiting than one batch (a backlog after an outage): keep going
        // without waiting for the tick.
        let max_batch = self.plugin.as_ref().and_then(|p| p.config.verdict_log.as_ref()).map(|v| v.max_batch);
        let backlog = max_batch.is_some_and(|m| self.queue.try_borrow().map(|q| q.len() >= m).unwrap_or(false));
        if (tally.retry.is_none() && backlog) || matches!(tally.retry, Some((RetryReason::TooLarge, _))) {
            self.flush();
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
        let bundled = Bundled::new();
        let source = Fingerprinting::new(&bundled);
        match Plugin::build(&bytes, &source) {
            Ok(plugin) => {
                self.configure_counters(&plugin, &source.finish(&plugin.config));
                let ms = host::now().duration_since(started).map(|d| d.as_millis()).unwrap_or(0);
                let rules: usize = plugin.rule_sets().iter().map(|r| r.rule_count()).sum();
                let memory: usize = plugin.rule_sets().iter().map(|r| r.memory_usage()).sum();
                log::info!(
                    "portcullis: configured (root {}): mode {}, {} policies, {} rule sets ({} rules, {} KiB compiled), in {} ms",
                    self.context_id,
                    plugin.config.mode.name(),
                    plugin.policies().len(),
                    plugin.rule_sets().len(),
                    rules,
                    memory / 1024,
                    ms
                );
                if plugin.config.mode == Mode::Off {
                    log::warn!("portcullis: mode off: requests are not inspected");
                }
                if let Some(vl) = &plugin.config.verdict_log {
                    self.bearer = match vl.resolved_token() {
                        Ok(token) => token.map(|t| format!("Bearer {t}")),
                        Err(e) => {
                            log::error!("portcullis: {e}; verdicts are sent without a token");
                            None
                        }
                    };
                    let dropped = self.queue.try_borrow_mut().map(|mut q| q.set_max(vl.max_queue)).unwrap_or(0);
                    if dropped > 0 {
                        self.metrics.incr(Counter::VerdictsDropped, dropped);
                    }
                    self.tick_ms = plugin.config.ip_lists.as_ref().map_or(vl.flush_interval_ms, |l| l.interval_ms.min(vl.flush_interval_ms));
                    host::set_tick_period(Duration::from_millis(self.tick_ms));
                }
                self.configure_ip_lists(&plugin);
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
        let now = now_ms();
        if self.flush_due(now) {
            self.flush();
            self.report_counters();
        }
        self.fetch_ip_lists(now);
    }

    fn create_http_context(&self, context_id: u32) -> Option<Box<dyn HttpContext>> {
        let driver = self.plugin.as_ref().map(|p| Driver::new(Rc::clone(p), context_id));
        Some(Box::new(Stream::new(driver, Rc::clone(&self.metrics), Rc::clone(&self.queue), Rc::clone(&self.traffic))))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

/// The console's IP lists (`ip_lists`, `crate::console`): fetched from the tick, answers routed
/// here by their call token.
impl Root {
    /// Set up (or drop) fetching for a new configuration; the lists fetched under the previous
    /// one stay in force until the first fetch of this one.
    fn configure_ip_lists(&mut self, plugin: &Plugin) {
        let Some(lists) = &plugin.config.ip_lists else {
            self.fetcher = None;
            return;
        };
        if let Some(previous) = &self.plugin {
            plugin.console.adopt(&previous.console);
        }
        self.fetcher = Some(Fetcher::new(lists.interval_ms, now_ms()));
        if self.list_metrics.is_none() {
            self.list_metrics = Some(ListMetrics::define());
        }
    }

    /// Whether the verdict queue is due: every tick when the tick is the flush interval, else
    /// (a shorter fetch interval sets the tick) about every flush interval.
    fn flush_due(&mut self, now: u64) -> bool {
        let Some(interval) = self.plugin.as_ref().and_then(|p| p.config.verdict_log.as_ref()).map(|v| v.flush_interval_ms) else {
            return false;
        };
        if now < self.next_flush_ms {
            return false;
        }
        self.next_flush_ms = now.saturating_add(interval.saturating_sub(self.tick_ms / 2));
        true
    }

    /// Start a fetch when one is due; refresh the stale gauge.
    fn fetch_ip_lists(&mut self, now: u64) {
        let Some(plugin) = self.plugin.clone() else { return };
        let (Some(vl), Some(cfg)) = (plugin.config.verdict_log.as_ref(), plugin.config.ip_lists.as_ref()) else { return };
        let Some(fetcher) = self.fetcher.as_mut() else { return };
        if let Some(m) = &self.list_metrics {
            m.set_stale(fetcher.stale(now));
        }
        if !fetcher.due(now) {
            return;
        }
        let version = plugin.console.version().map(|v| format!("\"{v}\""));
        let mut headers = vec![(":method", "GET"), (":path", cfg.path.as_str()), (":authority", vl.authority()), ("accept", "application/json")];
        if let Some(b) = &self.bearer {
            headers.push(("authorization", b.as_str()));
        }
        if let Some(v) = &version {
            headers.push(("if-none-match", v.as_str()));
        }
        let outcome = match host::get(&vl.cluster, headers, fetcher.call_timeout()) {
            Ok(token) => {
                fetcher.sent(token, now);
                return;
            }
            Err(e) => fetcher.dispatch_failed(format!("cannot call cluster {:?}: {e}", vl.cluster), now),
        };
        self.report_fetch(outcome, plugin.console.len());
    }

    /// The answer to the fetch in flight.
    fn ip_lists_answered(&mut self, token_id: u32, body_size: usize) {
        let Some(plugin) = self.plugin.clone() else { return };
        let Some(fetcher) = self.fetcher.as_mut() else { return };
        let status = host::call_response_status();
        let body = if status == 200 && body_size <= crate::console::MAX_ANSWER_BYTES { host::call_response_body(body_size) } else { Vec::new() };
        let answer = match status {
            0 => FetchAnswer::Failed,
            200 if body_size > crate::console::MAX_ANSWER_BYTES => FetchAnswer::TooLarge(body_size),
            _ => FetchAnswer::Status { status, body: &body },
        };
        let now = now_ms();
        let outcome = fetcher.answered(token_id, answer, &plugin.console, now);
        let stale = fetcher.stale(now);
        if let Some(m) = &self.list_metrics {
            m.set_stale(stale);
        }
        if let Some(outcome) = outcome {
            self.report_fetch(outcome, plugin.console.len());
        }
    }

    /// Stats and log lines for one fetch: an error is logged once per streak of failures.
    fn report_fetch(&self, outcome: Fetched, in_force: usize) {
        let metrics = self.list_metrics.as_ref();
        match outcome {
            Fetched::Updated { entries, version, after_failures } => {
                if let Some(m) = metrics {
                    m.updated(entries);
                }
                log::info!("portcullis: console IP lists: {entries} entries in force (version {version})");
                if after_failures > 0 {
                    log::info!("portcullis: console IP lists fetched again after {after_failures} failed attempts");
                }
            }
            Fetched::Unchanged { after_failures } => {
                if after_failures > 0 {
                    log::info!("portcullis: console IP lists fetched again after {after_failures} failed attempts (unchanged)");
                }
            }
            Fetched::Failed { reason, first } => {
                if let Some(m) = metrics {
                    m.fetch_error();
                }
                if first {
                    log::warn!(
                        "portcullis: fetching the console IP lists failed: {reason}; the last list stays in force ({in_force} entries); retried every interval, logged again once it succeeds"
                    );
                }
            }
        }
    }
}
