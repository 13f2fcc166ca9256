//! The only module that makes proxy-wasm hostcalls: [`WasmHost`] implements
//! the driver's [`Host`], [`Metrics`] registers and increments Envoy stats.
//! Hostcall failures become `None`/no-ops here; nothing above sees a `Status`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{SystemTime, UNIX_EPOCH};

use proxy_wasm::hostcalls;
use proxy_wasm::types::{BufferType, MapType, MetricType};

use crate::counters::Traffic;
use crate::driver::Host;
use crate::verdict::VerdictAction;
use crate::metrics::Counter;

/// Most named (per rule, per application) stats a VM defines; beyond it they are not counted.
const MAX_NAMED_STATS: usize = 2048;

/// The VM's counters, registered once in the root context.
#[derive(Debug)]
pub struct Metrics {
    fixed: [Option<u32>; Counter::ALL.len()],
    named: RefCell<HashMap<String, u32>>,
}

impl Metrics {
    /// Define every fixed counter.
    pub fn define() -> Metrics {
        let mut fixed = [None; Counter::ALL.len()];
        for c in Counter::ALL {
            if let Some(slot) = fixed.get_mut(c.index()) {
                *slot = hostcalls::define_metric(MetricType::Counter, c.name()).ok();
            }
        }
        Metrics { fixed, named: RefCell::new(HashMap::new()) }
    }

    /// Add `n` to `counter`.
    pub fn incr(&self, counter: Counter, n: u64) {
        if let Some(Some(id)) = self.fixed.get(counter.index()) {
            let _ = hostcalls::increment_metric(*id, i64::try_from(n).unwrap_or(i64::MAX));
        }
    }

    /// Add 1 to the counter `name`, defining it on first use.
    pub fn incr_named(&self, name: &str) {
        let Ok(mut named) = self.named.try_borrow_mut() else { return };
        let id = match named.get(name) {
            Some(id) => *id,
            None if named.len() < MAX_NAMED_STATS => match hostcalls::define_metric(MetricType::Counter, name) {
                Ok(id) => {
                    named.insert(name.to_owned(), id);
                    id
                }
                Err(_) => return,
            },
            None => return,
        };
        let _ = hostcalls::increment_metric(id, 1);
    }
}

/// The [`Host`] of a stream context: hostcalls on the current HTTP stream.
#[derive(Debug)]
pub struct WasmHost {
    metrics: Rc<Metrics>,
    /// The VM's traffic counters (shared with the root context, which reports them).
    traffic: Rc<RefCell<Traffic>>,
}

impl WasmHost {
    /// A host counting into `metrics` and `traffic`.
    pub fn new(metrics: Rc<Metrics>, traffic: Rc<RefCell<Traffic>>) -> WasmHost {
        WasmHost { metrics, traffic }
    }
}

impl Host for WasmHost {
    fn request_headers(&self) -> Vec<(String, Vec<u8>)> {
        hostcalls::get_map_bytes(MapType::HttpRequestHeaders).unwrap_or_default()
    }

    fn response_headers(&self) -> Vec<(String, Vec<u8>)> {
        hostcalls::get_map_bytes(MapType::HttpResponseHeaders).unwrap_or_default()
    }

    fn request_body(&self, start: usize, len: usize) -> Option<Vec<u8>> {
        hostcalls::get_buffer(BufferType::HttpRequestBody, start, len).ok().flatten()
    }

    fn response_body(&self, start: usize, len: usize) -> Option<Vec<u8>> {
        hostcalls::get_buffer(BufferType::HttpResponseBody, start, len).ok().flatten()
    }

    fn property(&self, path: &[&str]) -> Option<Vec<u8>> {
        hostcalls::get_property(path.to_vec()).ok().flatten()
    }

    fn local_reply(&self, status: u32, headers: &[(&str, &str)], body: &[u8]) {
        if let Err(e) = hostcalls::send_http_response(status, headers.to_vec(), Some(body)) {
            log::error!("portcullis: sending the block response failed: {e:?}");
        }
    }

    fn shared_data(&self) -> &dyn crate::policy::ratelimit::SharedData {
        &WasmSharedData
    }

    fn resume_response(&self) {
        if let Err(e) = hostcalls::resume_http_response() {
            log::error!("portcullis: resuming the held response failed: {e:?}");
        }
    }

    fn now(&self) -> SystemTime {
        hostcalls::get_current_time().unwrap_or(UNIX_EPOCH)
    }

    fn count(&self, counter: Counter) {
        self.metrics.incr(counter, 1);
    }

    fn count_stat(&self, name: &str) {
        self.metrics.incr_named(name);
    }

    fn log_match(&self, line: &str) {
        log::warn!("{line}");
    }

    fn count_request(&self, policy: usize, action: VerdictAction, body_limit: bool) {
        if let Ok(mut traffic) = self.traffic.try_borrow_mut() {
            traffic.count(policy, action, body_limit);
        }
    }
}

/// The plugin configuration bytes (empty when none was given).
pub fn plugin_configuration() -> Vec<u8> {
    hostcalls::get_buffer(BufferType::PluginConfiguration, 0, usize::MAX).ok().flatten().unwrap_or_default()
}

/// Current time (UNIX epoch if the host cannot say).
pub fn now() -> SystemTime {
    hostcalls::get_current_time().unwrap_or(UNIX_EPOCH)
}

/// Start the root context's tick.
pub fn set_tick_period(period: std::time::Duration) {
    let _ = hostcalls::set_tick_period(period);
}

/// POST `body` to `cluster`; returns the call's token.
pub fn post(cluster: &str, headers: Vec<(&str, &str)>, body: &[u8], timeout: std::time::Duration) -> Result<u32, String> {
    hostcalls::dispatch_http_call(cluster, headers, Some(body), vec![], timeout).map_err(|s| format!("{s:?}"))
}

/// GET from `cluster` (no body); returns the call's token.
pub fn get(cluster: &str, headers: Vec<(&str, &str)>, timeout: std::time::Duration) -> Result<u32, String> {
    hostcalls::dispatch_http_call(cluster, headers, None, vec![], timeout).map_err(|s| format!("{s:?}"))
}

/// The stats of the console's IP lists (`crate::console`), defined when `ip_lists` is configured.
#[derive(Debug)]
pub struct ListMetrics {
    fetch_errors: Option<u32>,
    updates: Option<u32>,
    stale: Option<u32>,
    entries: Option<u32>,
}

impl ListMetrics {
    /// Define the two counters and two gauges (Envoy shares each name across workers).
    pub fn define() -> ListMetrics {
        use crate::console::{STAT_ENTRIES, STAT_FETCH_ERRORS, STAT_STALE, STAT_UPDATES};
        let define = |kind, name| hostcalls::define_metric(kind, name).ok();
        ListMetrics {
            fetch_errors: define(MetricType::Counter, STAT_FETCH_ERRORS),
            updates: define(MetricType::Counter, STAT_UPDATES),
            stale: define(MetricType::Gauge, STAT_STALE),
            entries: define(MetricType::Gauge, STAT_ENTRIES),
        }
    }

    /// One failed fetch (or refused answer).
    pub fn fetch_error(&self) {
        if let Some(id) = self.fetch_errors {
            let _ = hostcalls::increment_metric(id, 1);
        }
    }

    /// A new list was taken, with `entries` entries.
    pub fn updated(&self, entries: usize) {
        if let Some(id) = self.updates {
            let _ = hostcalls::increment_metric(id, 1);
        }
        if let Some(id) = self.entries {
            let _ = hostcalls::record_metric(id, u64::try_from(entries).unwrap_or(u64::MAX));
        }
    }

    /// Whether the list in force is stale.
    pub fn set_stale(&self, stale: bool) {
        if let Some(id) = self.stale {
            let _ = hostcalls::record_metric(id, u64::from(stale));
        }
    }
}

/// `:status` of the answer to the current HTTP call (0 when unknown).
pub fn call_response_status() -> u16 {
    call_response_header(":status").and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// A header of the answer to the current HTTP call (`None` when absent or not UTF-8).
pub fn call_response_header(name: &str) -> Option<String> {
    let v = hostcalls::get_map_value_bytes(MapType::HttpCallResponseHeaders, name).ok().flatten()?;
    String::from_utf8(v).ok()
}

/// The first `len` bytes of the body of the answer to the current HTTP call (empty when none).
pub fn call_response_body(len: usize) -> Vec<u8> {
    hostcalls::get_buffer(BufferType::HttpCallResponseBody, 0, len).ok().flatten().unwrap_or_default()
}

/// A shared-data value and its cas; `None` when the key was never written.
pub fn shared_data_get(key: &str) -> Option<(Vec<u8>, u32)> {
    match hostcalls::get_shared_data(key) {
        Ok((Some(value), cas)) => Some((value, cas.unwrap_or(0))),
        // Written empty: the value is empty, the cas still counts.
        Ok((None, Some(cas))) => Some((Vec::new(), cas)),
        Ok((None, None)) | Err(_) => None,
    }
}

/// Write a shared-data value: `cas` 0 unconditionally, otherwise only if the
/// key's cas is still `cas` (Envoy writes a missing key whatever the cas).
pub fn shared_data_set(key: &str, value: &[u8], cas: u32) -> Result<(), crate::policy::ratelimit::CasMismatch> {
    match hostcalls::set_shared_data(key, Some(value), (cas != 0).then_some(cas)) {
        Ok(()) => Ok(()),
        Err(proxy_wasm::types::Status::CasMismatch) => Err(crate::policy::ratelimit::CasMismatch),
        Err(status) => {
            // Envoy answers only Ok or CasMismatch; anything else is a lost write.
            log::warn!("portcullis: set_shared_data({key}) failed: {status:?}");
            Err(crate::policy::ratelimit::CasMismatch)
        }
    }
}

/// The VM's proxy-wasm shared data (shared by every worker of the `vm_id`),
/// for the rate limiter.
#[derive(Clone, Copy, Debug, Default)]
pub struct WasmSharedData;

impl crate::policy::ratelimit::SharedData for WasmSharedData {
    fn get(&self, key: &str) -> Option<(Vec<u8>, u32)> {
        shared_data_get(key)
    }

    fn set(&self, key: &str, value: &[u8], cas: u32) -> Result<(), crate::policy::ratelimit::CasMismatch> {
        shared_data_set(key, value, cas)
    }
}
