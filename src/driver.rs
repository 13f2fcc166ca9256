//! The filter's decisions, independent of proxy-wasm: which engine phase
//! runs in which callback, when to pause, how the request body is buffered
//! and limited, replying once, and the verdict of each request.
//!
//! `stream.rs` forwards every proxy-wasm callback here with a [`Host`] that
//! performs the hostcalls; tests drive it with a fake host.
//!
//! | callback | engine |
//! |---|---|
//! | request headers | `process_uri`, headers, phase 1; phase 2 too at end of stream or when the rules do not want the body |
//! | request body | buffered (`Pause`) until end of stream or the limit, then phase 2 |
//! | request trailers | end of the body: phase 2 |
//! | response headers | phase 3; phase 4 too unless the rules want the body |
//! | response body | buffered (`Pause`) until end of stream (or the response limit), then phase 4 |
//! | log | phase 5 and the verdict record |
//!
//! Headers callbacks always return `Continue`: the proxy-wasm host turns a
//! paused headers callback into "stop all iteration", after which no body
//! callback arrives until the plugin resumes the stream, so a filter cannot
//! hold headers while it reads the body. Consequences:
//! - a phase-2 block: the backend may have received the request headers, but
//!   never the body; Envoy resets the upstream request when the block
//!   response is sent, so no complete request reaches it;
//! - a phase-4 block: the response headers have gone to the client and the
//!   body is still buffered; Envoy resets the stream (the client gets no body,
//!   never a half one). Phase 3 blocks replace the response normally.

use std::rc::Rc;
use std::time::SystemTime;

use portcullis_engine::{InterruptAction, Interruption, Transaction};

use crate::config::{BodyLimitAction, Include, Mode};
use crate::metrics::{app_stat, rule_stat, Counter};
use crate::plugin::Plugin;
use crate::verdict::{RequestInfo, VerdictAction, VerdictRecord};

/// Most response body bytes buffered for phase 4 (ModSecurity's default
/// `SecResponseBodyLimit`); beyond it the prefix is inspected and the rest streams.
pub const RESPONSE_BODY_LIMIT: usize = 524_288;

/// What the filter needs from its host (Envoy through proxy-wasm, or a fake in tests).
pub trait Host {
    /// Request headers, pseudo-headers (`:path`, …) included, in order.
    fn request_headers(&self) -> Vec<(String, Vec<u8>)>;
    /// Response headers, `:status` included.
    fn response_headers(&self) -> Vec<(String, Vec<u8>)>;
    /// Bytes `start..start+len` of the buffered request body.
    fn request_body(&self, start: usize, len: usize) -> Option<Vec<u8>>;
    /// Bytes `start..start+len` of the buffered response body.
    fn response_body(&self, start: usize, len: usize) -> Option<Vec<u8>>;
    /// A host property, e.g. `["source", "address"]`.
    fn property(&self, path: &[&str]) -> Option<Vec<u8>>;
    /// Answer the client with this response instead of the backend's.
    fn local_reply(&self, status: u32, headers: &[(&str, &str)], body: &[u8]);
    /// Wall-clock time.
    fn now(&self) -> SystemTime;
    /// Increment a fixed counter.
    fn count(&self, counter: Counter);
    /// Increment a counter by name (per rule, per application).
    fn count_stat(&self, name: &str);
    /// Write one rule-match line to the proxy's log (warning level).
    fn log_match(&self, line: &str);
}

/// What a callback tells the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Let the data go on.
    Continue,
    /// Hold it (buffer) or stop after a local reply.
    Pause,
}

/// The per-stream state machine.
#[derive(Debug)]
pub struct Driver {
    plugin: Rc<Plugin>,
    context_id: u32,
    tx: Option<Transaction>,
    info: RequestInfo,
    /// Request headers were processed (the transaction is in use).
    started: bool,
    /// Phase 2 ran (or the request was blocked).
    request_done: bool,
    /// Response headers are held while the response body is buffered.
    response_buffering: bool,
    /// Phase 4 ran.
    response_done: bool,
    /// Status of our local reply, once sent.
    replied: Option<u16>,
    /// The rule that blocked, if one did.
    blocked_rule: Option<i64>,
    /// The request body went over `request_body_limit`.
    body_over_limit: bool,
    /// Upstream response status (0 until seen).
    response_status: u16,
}

impl Driver {
    /// A driver for stream `context_id` running `plugin`.
    pub fn new(plugin: Rc<Plugin>, context_id: u32) -> Driver {
        Driver {
            plugin,
            context_id,
            tx: None,
            info: RequestInfo::default(),
            started: false,
            request_done: false,
            response_buffering: false,
            response_done: false,
            replied: None,
            blocked_rule: None,
            body_over_limit: false,
            response_status: 0,
        }
    }

    /// Whether the filter inspects this stream (mode not `off`, a transaction exists).
    fn active(&self) -> bool {
        self.started && self.tx.is_some() && self.replied.is_none()
    }

    /// Request headers arrived.
    pub fn on_request_headers(&mut self, host: &dyn Host, end_of_stream: bool) -> Step {
        if self.plugin.config.mode == Mode::Off || self.started {
            return Step::Continue;
        }
        let Some(mut tx) = self.plugin.transaction() else { return Step::Continue };
        self.started = true;
        host.count(Counter::Requests);

        let headers = host.request_headers();
        let pseudo = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice()).unwrap_or(b"");
        let method = pseudo(":method");
        let path = pseudo(":path");
        let authority = pseudo(":authority");
        let protocol = host.property(&["request", "protocol"]).unwrap_or_else(|| b"HTTP/1.1".to_vec());

        let unique_id = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("x-request-id"))
            .and_then(|(_, v)| sanitize_id(v))
            .unwrap_or_else(|| self.generate_id(host));
        let (client_ip, client_port) = split_address(&host.property(&["source", "address"]).unwrap_or_default());
        let (server_ip, server_port) = split_address(&host.property(&["destination", "address"]).unwrap_or_default());

        self.info = RequestInfo {
            time: Some(host.now()),
            unique_id,
            host: String::from_utf8_lossy(authority).into_owned(),
            method: String::from_utf8_lossy(method).into_owned(),
            path: String::from_utf8_lossy(path).into_owned(),
            source_ip: client_ip.clone(),
        };

        tx.set_unique_id(&self.info.unique_id);
        tx.process_connection(&client_ip, client_port, &server_ip, server_port);
        tx.process_uri(path, method, &protocol);
        // Envoy turns `Host` into `:authority`; rules (CRS 920280) expect the header.
        if !authority.is_empty() && !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
            tx.add_request_header(b"Host", authority);
        }
        for (name, value) in headers.iter().filter(|(n, _)| !n.starts_with(':')) {
            tx.add_request_header(name.as_bytes(), value);
        }
        let phase1 = tx.process_request_headers();
        let wants_body = tx.wants_request_body();
        self.tx = Some(tx);
        if let Some(i) = phase1 {
            return self.interrupt(host, &i);
        }
        if end_of_stream || !wants_body {
            // No body to wait for (or the rules do not read it): phase 2 now.
            return self.finish_request(host, None);
        }
        // The body callbacks buffer it and run phase 2 (see the module docs
        // for why the headers cannot be held meanwhile).
        Step::Continue
    }

    /// A request body chunk arrived; `buffered` is the total size Envoy holds.
    pub fn on_request_body(&mut self, host: &dyn Host, buffered: usize, end_of_stream: bool) -> Step {
        if !self.active() || self.request_done {
            return if self.replied.is_some() { Step::Pause } else { Step::Continue };
        }
        let limit = self.plugin.config.request_body_limit;
        if buffered > limit {
            self.body_over_limit = true;
            let reject = self.plugin.config.request_body_limit_action == BodyLimitAction::Reject
                && self.plugin.config.mode == Mode::Block;
            if reject {
                self.request_done = true;
                let i = Interruption { status: 413, rule_id: None, phase: 2, action: InterruptAction::BodyLimit };
                return self.interrupt(host, &i);
            }
            // process_partial (or mode monitor): inspect the prefix, let the rest through.
            let prefix = host.request_body(0, limit).unwrap_or_default();
            return self.finish_request(host, Some(&prefix));
        }
        if !end_of_stream {
            return Step::Pause;
        }
        let body = host.request_body(0, buffered).unwrap_or_default();
        self.finish_request(host, Some(&body))
    }

    /// Request trailers arrived: the body (if any) is complete.
    pub fn on_request_trailers(&mut self, host: &dyn Host) -> Step {
        if !self.active() || self.request_done {
            return if self.replied.is_some() { Step::Pause } else { Step::Continue };
        }
        let limit = self.plugin.config.request_body_limit;
        let body = host.request_body(0, limit.saturating_add(1)).unwrap_or_default();
        if body.len() > limit {
            return self.on_request_body(host, body.len(), true);
        }
        self.finish_request(host, Some(&body))
    }

    /// Feed the body (if any) and run phase 2.
    fn finish_request(&mut self, host: &dyn Host, body: Option<&[u8]>) -> Step {
        self.request_done = true;
        let Some(tx) = self.tx.as_mut() else { return Step::Continue };
        let mut hit = None;
        if let Some(body) = body.filter(|b| !b.is_empty()) {
            hit = tx.append_request_body(body);
        }
        if hit.is_none() {
            hit = tx.process_request_body();
        }
        match hit {
            Some(i) => self.interrupt(host, &i),
            None => Step::Continue,
        }
    }

    /// Response headers arrived (from the backend, or our own local reply).
    pub fn on_response_headers(&mut self, host: &dyn Host, end_of_stream: bool) -> Step {
        if !self.active() {
            // Our own reply passes through the encoder filters: let it go.
            return Step::Continue;
        }
        if !self.request_done {
            // The backend answered before the request body ended.
            if self.finish_request(host, None) == Step::Pause {
                return Step::Pause;
            }
        }
        let headers = host.response_headers();
        let status = headers
            .iter()
            .find(|(n, _)| n == ":status")
            .and_then(|(_, v)| std::str::from_utf8(v).ok()?.parse::<u16>().ok())
            .unwrap_or(0);
        self.response_status = status;
        let protocol = host.property(&["request", "protocol"]).unwrap_or_else(|| b"HTTP/1.1".to_vec());
        let Some(tx) = self.tx.as_mut() else { return Step::Continue };
        for (name, value) in headers.iter().filter(|(n, _)| !n.starts_with(':')) {
            tx.add_response_header(name.as_bytes(), value);
        }
        if let Some(i) = tx.process_response_headers(status, &protocol) {
            return self.interrupt(host, &i);
        }
        if end_of_stream || !tx.wants_response_body() {
            return self.finish_response(host, None);
        }
        // The body callbacks buffer the whole body before any of it is sent.
        self.response_buffering = true;
        Step::Continue
    }

    /// A response body chunk arrived; `buffered` is the total size Envoy holds.
    pub fn on_response_body(&mut self, host: &dyn Host, buffered: usize, end_of_stream: bool) -> Step {
        if !self.active() || !self.response_buffering || self.response_done {
            return Step::Continue;
        }
        if buffered > RESPONSE_BODY_LIMIT {
            let prefix = host.response_body(0, RESPONSE_BODY_LIMIT).unwrap_or_default();
            return self.finish_response(host, Some(&prefix));
        }
        if !end_of_stream {
            return Step::Pause;
        }
        let body = host.response_body(0, buffered).unwrap_or_default();
        self.finish_response(host, Some(&body))
    }

    /// Response trailers arrived: the body is complete.
    pub fn on_response_trailers(&mut self, host: &dyn Host) -> Step {
        if !self.active() || !self.response_buffering || self.response_done {
            return Step::Continue;
        }
        let body = host.response_body(0, RESPONSE_BODY_LIMIT).unwrap_or_default();
        self.finish_response(host, Some(&body))
    }

    /// Feed the response body (if any) and run phase 4.
    fn finish_response(&mut self, host: &dyn Host, body: Option<&[u8]>) -> Step {
        self.response_done = true;
        self.response_buffering = false;
        let Some(tx) = self.tx.as_mut() else { return Step::Continue };
        let mut hit = None;
        if let Some(body) = body.filter(|b| !b.is_empty()) {
            hit = tx.append_response_body(body);
        }
        if hit.is_none() {
            hit = tx.process_response_body();
        }
        match hit {
            Some(i) => self.interrupt(host, &i),
            None => Step::Continue,
        }
    }

    /// The stream is done: run phase 5, recycle the transaction and return
    /// the verdict record (one JSON line) when the configuration wants one.
    pub fn on_log(&mut self, host: &dyn Host) -> Option<String> {
        let mut tx = self.tx.take()?;
        if !self.started {
            self.plugin.recycle(tx);
            return None;
        }
        tx.process_logging();
        let config = &self.plugin.config;
        let action = if self.replied.is_some() {
            VerdictAction::Blocked
        } else if config.mode == Mode::Monitor && (self.body_over_limit || would_block(&tx)) {
            VerdictAction::Monitored
        } else {
            VerdictAction::Passed
        };
        let what = match action {
            VerdictAction::Blocked => Some("blocked"),
            VerdictAction::Monitored => Some("monitored"),
            VerdictAction::Passed => None,
        };
        if let Some(what) = what {
            if action == VerdictAction::Monitored {
                host.count(Counter::Monitored);
            }
            let rule = self.blocked_rule.or_else(|| deciding_rule(&tx));
            if let Some(rule) = rule {
                host.count_stat(&rule_stat(rule, what));
            }
            if let Some(app) = &config.application_id {
                host.count_stat(&app_stat(&app.to_string(), what));
            }
        }
        self.log_matches(host, &tx);
        let line = config.verdict_log.as_ref().and_then(|v| {
            let logged = tx.matches().iter().any(|m| m.log);
            if v.include == Include::Attacks && action == VerdictAction::Passed && !logged {
                return None;
            }
            let status = self.replied.unwrap_or(self.response_status);
            let record = VerdictRecord::new(
                &self.info,
                config.application_id.as_ref(),
                config.mode,
                status,
                action,
                anomaly_score(&tx),
                tx.matches(),
            );
            Some(record.to_json())
        });
        self.plugin.recycle(tx);
        line
    }

    /// One ModSecurity v3 error-log line per logging match (what go-ftw and
    /// operators read): `ModSecurity: Warning. … [id "942100"] … [unique_id "…"]`.
    fn log_matches(&self, host: &dyn Host, tx: &Transaction) {
        for m in tx.matches().iter().filter(|m| m.log || m.disruptive) {
            host.log_match(&tx.log_line(m));
        }
    }

    /// Send the block response once; later interruptions are ignored.
    fn interrupt(&mut self, host: &dyn Host, i: &Interruption) -> Step {
        if self.replied.is_some() {
            return Step::Pause;
        }
        let cfg = &self.plugin.config.block_response;
        let rule_status = if (100..=599).contains(&i.status) { i.status } else { 403 };
        let mut headers: Vec<(&str, &str)> = Vec::with_capacity(3);
        let (status, body) = match &i.action {
            InterruptAction::BodyLimit => (413, self.block_body()),
            InterruptAction::Redirect(url) => {
                headers.push(("location", url.as_str()));
                (if (300..400).contains(&rule_status) { rule_status } else { 302 }, String::new())
            }
            InterruptAction::Deny => (cfg.status.unwrap_or(rule_status), self.block_body()),
            InterruptAction::Drop => {
                headers.push(("connection", "close"));
                (cfg.status.unwrap_or(rule_status), self.block_body())
            }
        };
        if !body.is_empty() {
            headers.push(("content-type", cfg.content_type.as_str()));
        }
        headers.push(("x-request-id", self.info.unique_id.as_str()));
        host.local_reply(u32::from(status), &headers, body.as_bytes());
        self.replied = Some(status);
        self.request_done = true;
        self.blocked_rule = i.rule_id;
        host.count(Counter::Blocked);
        if i.action == InterruptAction::BodyLimit {
            host.count(Counter::BodyLimitRejects);
        }
        Step::Pause
    }

    fn block_body(&self) -> String {
        self.plugin.config.block_response.body.replace("%{unique_id}", &self.info.unique_id)
    }

    fn generate_id(&self, host: &dyn Host) -> String {
        let nanos = host.now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        format!("{nanos:x}-{:x}", self.context_id)
    }

    /// The status of the local reply, if the filter sent one.
    pub fn replied(&self) -> Option<u16> {
        self.replied
    }
}

/// In mode monitor (DetectionOnly) the engine never interrupts: "would have
/// blocked" means a matched rule would have interrupted were the engine On.
fn would_block(tx: &Transaction) -> bool {
    tx.interruption().is_some() || tx.matches().iter().any(|m| m.blocking)
}

/// The rule to credit for a monitored request: the first that would have
/// blocked, else the first logging rule.
fn deciding_rule(tx: &Transaction) -> Option<i64> {
    let m = tx.matches();
    m.iter().find(|m| m.blocking).or_else(|| m.iter().find(|m| m.log)).map(|m| m.rule_id)
}

/// The inbound anomaly score: the larger of CRS's and `@builtin`'s. CRS sums
/// its per-paranoia-level scores into `tx.blocking_inbound_anomaly_score` only
/// at the end of phase 2, so before that (a phase-1 block, or `@builtin`
/// deciding first) the per-level scores are added up here.
fn anomaly_score(tx: &Transaction) -> i64 {
    let var = |name: &str| -> Option<i64> { std::str::from_utf8(&tx.tx_var(name)?).ok()?.trim().parse().ok() };
    let crs = var("blocking_inbound_anomaly_score").unwrap_or_else(|| {
        ["inbound_anomaly_score_pl1", "inbound_anomaly_score_pl2", "inbound_anomaly_score_pl3", "inbound_anomaly_score_pl4"]
            .iter()
            .filter_map(|n| var(n))
            .sum()
    });
    let builtin = var("portcullis_inbound_score").unwrap_or(0);
    crs.max(builtin).max(var("anomaly_score").unwrap_or(0))
}

/// `1.2.3.4:5678` → (`1.2.3.4`, 5678); `[::1]:80` → (`::1`, 80); no port → (address, 0).
pub fn split_address(addr: &[u8]) -> (String, u16) {
    let s = String::from_utf8_lossy(addr);
    let s = s.trim();
    if let Some(rest) = s.strip_prefix('[') {
        if let Some((ip, tail)) = rest.split_once(']') {
            let port = tail.strip_prefix(':').and_then(|p| p.parse().ok()).unwrap_or(0);
            return (ip.to_owned(), port);
        }
    }
    match s.rsplit_once(':') {
        // One colon: IPv4 with port. Several: a bare IPv6 address.
        Some((ip, port)) if !ip.contains(':') => (ip.to_owned(), port.parse().unwrap_or(0)),
        _ => (s.to_owned(), 0),
    }
}

/// A request id usable in logs and in the block body: 1-128 characters of
/// `[A-Za-z0-9._:-]`; anything else is replaced by a generated id.
fn sanitize_id(v: &[u8]) -> Option<String> {
    let ok = !v.is_empty() && v.len() <= 128 && v.iter().all(|c| c.is_ascii_alphanumeric() || b"._:-".contains(c));
    ok.then(|| String::from_utf8_lossy(v).into_owned())
}

#[cfg(any(test, feature = "fake-host"))]
pub mod fake;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests;
