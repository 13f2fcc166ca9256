//! The filter's side of the exchange, independent of proxy-wasm: it turns
//! Envoy's callbacks into the engine's exchange contract
//! (`Transaction::on_request_headers`, `on_request_body`, ...), holds or
//! releases data as the engine's [`Decision`] says, replies once, and turns
//! the engine's [`Verdict`] into counters and a verdict record. It decides
//! nothing of its own: phase order, body limits and their actions, the
//! early request decision, the effective mode after `ctl:ruleEngine`, the
//! anomaly score and the deciding rule are the engine's.
//!
//! `stream.rs` forwards every proxy-wasm callback here with a [`Host`] that
//! performs the hostcalls; tests drive it with a fake host.
//!
//! | callback | engine | returns |
//! |---|---|---|
//! | request headers | request line and headers, `on_request_headers` | `Continue` (see below) |
//! | request body | each new chunk to `on_request_body` | `Pause` (Envoy buffers) while the engine needs more, then `Continue` |
//! | request trailers | end of the body | |
//! | response headers | `on_response_headers` | `Continue` |
//! | response body | each new chunk to `on_response_body` | `Pause` while the engine needs more |
//! | log | `on_end`: phase 5 and the verdict | |
//!
//! Headers callbacks always return `Continue`: Envoy's proxy-wasm host
//! turns a paused headers callback into "stop all iteration", after which
//! no body callback arrives until the plugin resumes the stream, so a
//! filter cannot hold the headers while it reads the body. What the engine
//! can decide from the request line and headers it decides before they are
//! forwarded (its early pass runs phase 2 over them when a body follows).
//! Consequences:
//! - an attack in the URL, the query or the headers: refused before the
//!   backend sees any byte of the request;
//! - an attack only in the body: the backend may have received the request
//!   line and headers, never a byte of the body; Envoy resets the upstream
//!   request when the block response is sent;
//! - a phase-4 block: the response headers have gone to the client and the
//!   body is still buffered; Envoy resets the stream (the client gets no
//!   body, never a half one). Phase 3 blocks replace the response normally.
//!
//! What Envoy changes before the filter sees a request, and is put back so
//! the engine sees it as the client framed it: `Host` becomes `:authority`
//! (added back as `Host`); an HTTP/1.1 chunked body loses its
//! `Transfer-Encoding` header (added back when a body follows without
//! `Content-Length`, the only other framing HTTP/1.1 allows).

use std::rc::Rc;
use std::time::SystemTime;

use portcullis_wire::ip_list::ListKind;
use portcullis_engine::{Decision, InterruptAction, Interruption, Outcome, RuleEngineMode, Transaction};

use crate::config::{authority_host, Include, Mode};
use crate::policy::client_ip::client_ip;
use crate::policy::ratelimit::{RateDecision, SharedData};
use crate::metrics::{rule_match_stat, Counter};
use crate::plugin::Plugin;
use crate::verdict::{RequestInfo, VerdictAction, VerdictRecord};

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
    /// Let response headers held by an earlier `Pause` go on.
    fn resume_response(&self);
    /// The data shared by every worker of this Envoy (rate-limit buckets).
    fn shared_data(&self) -> &dyn SharedData;
    /// Wall-clock time.
    fn now(&self) -> SystemTime;
    /// Increment a fixed counter.
    fn count(&self, counter: Counter);
    /// Increment a counter by name (per rule, per application).
    fn count_stat(&self, name: &str);
    /// Write one rule-match line to the proxy's log (warning level).
    fn log_match(&self, line: &str);
    /// Count one finished request in the traffic counters (`crate::counters`): the index of its
    /// policy, what happened to it, and whether the body limit refused it.
    fn count_request(&self, policy: usize, action: VerdictAction, body_limit: bool);
}

/// What a callback tells the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Let the data go on.
    Continue,
    /// Hold it (buffer) or stop after a local reply.
    Pause,
}

/// Where one direction (request or response) of the stream stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    /// Its headers have not been seen.
    Waiting,
    /// The engine reads its body: `handed` bytes of Envoy's buffer were given to it.
    Buffering { handed: usize },
    /// Decided: the rest passes untouched.
    Done,
}

/// The two directions of a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Request,
    Response,
}

/// The per-stream state machine.
#[derive(Debug)]
pub struct Driver {
    plugin: Rc<Plugin>,
    context_id: u32,
    /// The policy that applies (an index into the plugin's policies).
    policy: usize,
    /// The client is on the policy's `ip_graylist` (mode `safe_block` blocks it).
    graylisted: bool,
    /// Decided before any inspection (allowed, denied, rate limited).
    outcome: Option<VerdictAction>,
    tx: Option<Transaction>,
    info: RequestInfo,
    request: Side,
    response: Side,
    /// Status of our local reply, once sent.
    replied: Option<u16>,
    /// Upstream response status (0 until seen).
    response_status: u16,
    /// The backend answered while the request body was still being
    /// inspected: its response headers wait until the request is decided.
    response_held: Option<bool>,
    /// The request's headers chose a policy and it is not counted yet (traffic counters).
    uncounted: bool,
    /// The block response was for the request body limit.
    body_limit: bool,
}

impl Driver {
    /// A driver for stream `context_id` running `plugin`.
    pub fn new(plugin: Rc<Plugin>, context_id: u32) -> Driver {
        Driver {
            plugin,
            context_id,
            policy: 0,
            graylisted: false,
            outcome: None,
            tx: None,
            info: RequestInfo::default(),
            request: Side::Waiting,
            response: Side::Waiting,
            replied: None,
            response_status: 0,
            response_held: None,
            uncounted: false,
            body_limit: false,
        }
    }

    /// Request headers arrived.
    pub fn on_request_headers(&mut self, host: &dyn Host, end_of_stream: bool) -> Step {
        if self.tx.is_some() {
            return Step::Continue;
        }
        let headers = host.request_headers();
        let pseudo = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice()).unwrap_or(b"");
        let method = pseudo(":method");
        let path = pseudo(":path");
        let authority = pseudo(":authority");
        let plugin = Rc::clone(&self.plugin);
        let host_name = authority_host(authority);
        self.policy = plugin.policy_for(&host_name);
        self.uncounted = true;
        let policy = plugin.policy(self.policy);
        if policy.mode == Mode::Off {
            return Step::Continue;
        }
        host.count(Counter::Requests);
        let protocol = host.property(&["request", "protocol"]).unwrap_or_else(|| b"HTTP/1.1".to_vec());

        let unique_id = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("x-request-id"))
            .and_then(|(_, v)| sanitize_id(v))
            .unwrap_or_else(|| self.generate_id(host));
        let source = host.property(&["source", "address"]).unwrap_or_default();
        let (peer_ip, peer_port) = split_address(&source);
        // The client address the policy says (docs/policies.md "Client IP").
        let ip = client_ip(&plugin.config.client_ip, &source, &headers);
        // An address from a header comes without its port.
        let (client_ip, client_port) = match ip {
            Some(ip) if ip.to_string() != peer_ip => (ip.to_string(), 0),
            _ => (peer_ip, peer_port),
        };
        let (server_ip, server_port) = split_address(&host.property(&["destination", "address"]).unwrap_or_default());

        self.info = RequestInfo {
            time: Some(host.now()),
            unique_id,
            host: String::from_utf8_lossy(authority).into_owned(),
            method: String::from_utf8_lossy(method).into_owned(),
            path: String::from_utf8_lossy(path).into_owned(),
            source_ip: client_ip.clone(),
        };

        // Lists and limits before any inspection (docs/policies.md "IP lists").
        if let Some(ip) = ip {
            // The console's lists on top of the policy's: a deny from either beats an allow
            // from either (docs/policies.md "Console IP lists").
            let console = if plugin.console.is_empty() { None } else { plugin.console.lookup(ip, now_ms(host)) };
            if policy.ip_deny.contains(ip) || console == Some(ListKind::Block) {
                return self.refuse(host, VerdictAction::Denied, None);
            }
            if policy.ip_allow.contains(ip) || console == Some(ListKind::Allow) {
                host.count(Counter::Allowed);
                self.outcome = Some(VerdictAction::Allowed);
                return Step::Continue;
            }
            self.graylisted = policy.ip_graylist.contains(ip);
        }
        for (index, rule) in &policy.rate_limits {
            if !rule.matches(&host_name, method, path) {
                continue;
            }
            let Some(key) = rule.key_value(ip, &host_name, &headers) else { continue };
            match plugin.limiter.check(host.shared_data(), *index, rule, &key, now_ms(host)) {
                RateDecision::Allow => {}
                RateDecision::Limited { retry_after_secs } => {
                    return self.refuse(host, VerdictAction::RateLimited, Some(retry_after_secs));
                }
                RateDecision::TableFull | RateDecision::Contended => host.count(Counter::RateLimitTableFull),
            }
        }
        let Some(mut tx) = plugin.transaction(policy) else { return Step::Continue };

        tx.set_unique_id(&self.info.unique_id);
        tx.process_connection(&client_ip, client_port, &server_ip, server_port);
        // CONNECT's request target is the authority (Envoy gives no `:path`).
        let target = if path.is_empty() && method == b"CONNECT" { authority } else { path };
        tx.process_uri(target, method, &protocol);
        let has = |name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
        // A CONNECT request has no content (RFC 9110 section 9.3.6), nor has
        // an upgrade (Envoy keeps `upgrade` only on one it accepted): what
        // Envoy streams after their headers is tunnel data, which the client
        // sends only once the response came. Waiting for its end would hold
        // that response for ever.
        let has_body = !end_of_stream && method != b"CONNECT" && !has("upgrade");
        // Envoy turns `Host` into `:authority` (an empty `Host` into an empty
        // `:authority`); rules (CRS 920280, 920290) expect the header.
        if has(":authority") && !has("host") {
            tx.add_request_header(b"Host", authority);
        }
        for (name, value) in headers.iter().filter(|(n, _)| !n.starts_with(':')) {
            tx.add_request_header(name.as_bytes(), value);
        }
        // Envoy's HTTP/1 codec consumes `Transfer-Encoding: chunked`; a body
        // without `Content-Length` in HTTP/1.1 can only have been chunked.
        if has_body && protocol.as_slice() == b"HTTP/1.1" && !has("content-length") && !has("transfer-encoding") {
            tx.add_request_header(b"Transfer-Encoding", b"chunked");
        }
        tx.set_rule_engine(policy.rule_engine(self.graylisted));
        let decision = tx.on_request_headers(has_body);
        self.tx = Some(tx);
        self.request = Side::Buffering { handed: 0 };
        self.follow(host, decision, Direction::Request);
        // The headers go on unless refused (see the module docs).
        self.after_decision()
    }

    /// A request body chunk arrived; `buffered` is the total size Envoy holds.
    pub fn on_request_body(&mut self, host: &dyn Host, buffered: usize, end_of_stream: bool) -> Step {
        let Side::Buffering { handed } = self.request else { return self.after_decision() };
        let Some(tx) = self.tx.as_mut() else { return Step::Continue };
        let chunk = if buffered > handed { host.request_body(handed, buffered - handed).unwrap_or_default() } else { Vec::new() };
        self.request = Side::Buffering { handed: handed + chunk.len() };
        let decision = tx.on_request_body(&chunk, end_of_stream);
        self.follow(host, decision, Direction::Request)
    }

    /// Request trailers arrived: the body (if any) is complete.
    pub fn on_request_trailers(&mut self, host: &dyn Host) -> Step {
        let Side::Buffering { .. } = self.request else { return self.after_decision() };
        let Some(tx) = self.tx.as_mut() else { return Step::Continue };
        let decision = tx.on_request_body(&[], true);
        self.follow(host, decision, Direction::Request)
    }

    /// Response headers arrived (from the backend, or our own local reply).
    ///
    /// A backend may answer before the request body is complete (a
    /// streaming endpoint). While the engine still reads that body, the
    /// response headers are held: the request is decided first, and the
    /// rest of its body reaches the backend only if it passes.
    pub fn on_response_headers(&mut self, host: &dyn Host, end_of_stream: bool) -> Step {
        if self.tx.is_none() && self.outcome.is_some() && self.replied.is_none() {
            // Not inspected (allowlisted): only the status, for the verdict.
            self.response_status = response_status(&host.response_headers());
            return Step::Continue;
        }
        if self.replied.is_some() || self.response != Side::Waiting || self.tx.is_none() {
            // Our own reply passes through the encoder filters: let it go.
            return Step::Continue;
        }
        if matches!(self.request, Side::Buffering { .. }) {
            self.response_held = Some(end_of_stream);
            return Step::Pause;
        }
        self.inspect_response_headers(host, end_of_stream)
    }

    /// Phase 3 over the response headers (and phase 4 when no body follows
    /// or the rules do not read it).
    fn inspect_response_headers(&mut self, host: &dyn Host, end_of_stream: bool) -> Step {
        let Some(tx) = self.tx.as_mut() else { return Step::Continue };
        self.request = Side::Done;
        let headers = host.response_headers();
        let status = response_status(&headers);
        self.response_status = status;
        let protocol = host.property(&["request", "protocol"]).unwrap_or_else(|| b"HTTP/1.1".to_vec());
        for (name, value) in headers.iter().filter(|(n, _)| !n.starts_with(':')) {
            tx.add_response_header(name.as_bytes(), value);
        }
        let decision = tx.on_response_headers(status, &protocol, !end_of_stream);
        self.response = Side::Buffering { handed: 0 };
        self.follow(host, decision, Direction::Response);
        self.after_decision()
    }

    /// The request side was decided while the response headers were held:
    /// inspect them now and let them go on, unless the request was refused.
    fn release_response(&mut self, host: &dyn Host) {
        let Some(end_of_stream) = self.response_held.take() else { return };
        if self.replied.is_some() {
            return;
        }
        if self.inspect_response_headers(host, end_of_stream) == Step::Continue {
            host.resume_response();
        }
    }

    /// A response body chunk arrived; `buffered` is the total size Envoy holds.
    pub fn on_response_body(&mut self, host: &dyn Host, buffered: usize, end_of_stream: bool) -> Step {
        let Side::Buffering { handed } = self.response else { return Step::Continue };
        if self.replied.is_some() {
            return Step::Continue;
        }
        let Some(tx) = self.tx.as_mut() else { return Step::Continue };
        let chunk = if buffered > handed { host.response_body(handed, buffered - handed).unwrap_or_default() } else { Vec::new() };
        self.response = Side::Buffering { handed: handed + chunk.len() };
        let decision = tx.on_response_body(&chunk, end_of_stream);
        self.follow(host, decision, Direction::Response)
    }

    /// Response trailers arrived: the body is complete.
    pub fn on_response_trailers(&mut self, host: &dyn Host) -> Step {
        let Side::Buffering { .. } = self.response else { return Step::Continue };
        if self.replied.is_some() {
            return Step::Continue;
        }
        let Some(tx) = self.tx.as_mut() else { return Step::Continue };
        let decision = tx.on_response_body(&[], true);
        self.follow(host, decision, Direction::Response)
    }

    /// What a callback answers once its side is decided: hold everything
    /// after our own reply, let the rest through.
    fn after_decision(&self) -> Step {
        if self.replied.is_some() {
            Step::Pause
        } else {
            Step::Continue
        }
    }

    /// Carry out the engine's decision for one side of the stream.
    fn follow(&mut self, host: &dyn Host, decision: Decision, direction: Direction) -> Step {
        let state = if direction == Direction::Request { &mut self.request } else { &mut self.response };
        let step = match decision {
            Decision::NeedBody => return Step::Pause,
            Decision::Continue => {
                *state = Side::Done;
                Step::Continue
            }
            Decision::Interrupt(i) => {
                *state = Side::Done;
                self.interrupt(host, &i)
            }
        };
        if direction == Direction::Request {
            self.release_response(host);
        }
        step
    }

    /// The stream is done: run phase 5, recycle the transaction and return
    /// the verdict record (one JSON line) when the configuration wants one.
    pub fn on_log(&mut self, host: &dyn Host) -> Option<String> {
        if let Some(action) = self.outcome.take() {
            self.count_request(host, action);
            return self.outcome_record(action);
        }
        let Some(mut tx) = self.tx.take() else {
            // Mode off, or no rules: let through without inspection.
            self.count_request(host, VerdictAction::Passed);
            return None;
        };
        let verdict = tx.on_end();
        let plugin = Rc::clone(&self.plugin);
        let policy = plugin.policy(self.policy);
        let action = match verdict.outcome {
            Outcome::Blocked => VerdictAction::Blocked,
            Outcome::Monitored => VerdictAction::Monitored,
            Outcome::Passed => VerdictAction::Passed,
        };
        if action == VerdictAction::Monitored {
            host.count(Counter::Monitored);
        }
        // Answered with our block response whatever the verdict says (a phase 3/4 block).
        self.count_request(host, if self.replied.is_some() { VerdictAction::Blocked } else { action });
        // Every rule that matched and logs, not only the deciding one.
        let app = policy.application_id.as_ref().map(ToString::to_string);
        for m in tx.matches().iter().filter(|m| m.log) {
            host.count_stat(&rule_match_stat(m.rule_id.get(), app.as_deref(), &policy.name, action.name()));
        }
        self.log_matches(host, &tx);
        let line = plugin.config.verdict_log.as_ref().and_then(|v| {
            let logged = tx.matches().iter().any(|m| m.log);
            if v.include == Include::Attacks && action == VerdictAction::Passed && !logged {
                return None;
            }
            let status = self.replied.unwrap_or(self.response_status);
            // The policy's mode, unless `ctl:ruleEngine` changed the engine's.
            let mode = if verdict.mode == policy.rule_engine(self.graylisted) {
                policy.mode
            } else {
                match verdict.mode {
                    RuleEngineMode::On => Mode::Block,
                    RuleEngineMode::DetectionOnly => Mode::Monitor,
                    RuleEngineMode::Off => Mode::Off,
                }
            };
            let record = VerdictRecord::new(
                &self.info,
                policy.application_id.as_ref(),
                mode,
                status,
                action,
                verdict.anomaly_score,
                tx.matches(),
            );
            Some(record.to_json())
        });
        plugin.recycle(tx);
        line
    }

    /// Counts the request once in the traffic counters (a stream whose request headers never
    /// came is not a request).
    fn count_request(&mut self, host: &dyn Host, action: VerdictAction) {
        if std::mem::take(&mut self.uncounted) {
            host.count_request(self.policy, action, self.body_limit && action == VerdictAction::Blocked);
        }
    }

    /// One ModSecurity v3 error-log line per logging match (what go-ftw and
    /// operators read): `ModSecurity: Warning. … [id "942100"] … [unique_id "…"]`.
    fn log_matches(&self, host: &dyn Host, tx: &Transaction) {
        for m in tx.matches().iter().filter(|m| m.log || m.disruptive) {
            host.log_match(&tx.log_line(m));
        }
    }

    /// Answer before any inspection: the block response for a denied
    /// source, 429 with `Retry-After` over a rate limit.
    fn refuse(&mut self, host: &dyn Host, action: VerdictAction, retry_after: Option<u32>) -> Step {
        self.outcome = Some(action);
        self.request = Side::Done;
        let retry = retry_after.map(|s| s.to_string());
        let mut headers: Vec<(&str, &str)> = vec![("x-request-id", self.info.unique_id.as_str())];
        let (status, body) = match &retry {
            Some(secs) => {
                host.count(Counter::RateLimited);
                headers.push(("retry-after", secs.as_str()));
                headers.push(("content-type", "application/json"));
                (429, format!("{{\"error\":\"rate limited\",\"id\":\"{}\"}}", self.info.unique_id))
            }
            None => {
                host.count(Counter::Denied);
                let cfg = &self.plugin.policy(self.policy).block_response;
                headers.push(("content-type", cfg.content_type.as_str()));
                (cfg.status.unwrap_or(403), self.block_body())
            }
        };
        host.local_reply(u32::from(status), &headers, body.as_bytes());
        self.replied = Some(status);
        Step::Pause
    }

    /// The verdict record of a request decided before any inspection.
    fn outcome_record(&self, action: VerdictAction) -> Option<String> {
        let plugin = &self.plugin;
        let v = plugin.config.verdict_log.as_ref()?;
        if action == VerdictAction::Allowed && v.include == Include::Attacks {
            return None;
        }
        let policy = plugin.policy(self.policy);
        let status = self.replied.unwrap_or(self.response_status);
        Some(VerdictRecord::new(&self.info, policy.application_id.as_ref(), policy.mode, status, action, 0, &[]).to_json())
    }

    /// Send the block response once; later interruptions are ignored.
    fn interrupt(&mut self, host: &dyn Host, i: &Interruption) -> Step {
        if self.replied.is_some() {
            return Step::Pause;
        }
        let plugin = Rc::clone(&self.plugin);
        let cfg = &plugin.policy(self.policy).block_response;
        let rule_status = if (100..=599).contains(&i.status) { i.status } else { 403 };
        let mut headers: Vec<(&str, &str)> = Vec::with_capacity(3);
        let (status, body) = match &i.action {
            InterruptAction::BodyLimit => (rule_status, self.block_body()),
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
        self.request = Side::Done;
        host.count(Counter::Blocked);
        if i.action == InterruptAction::BodyLimit {
            host.count(Counter::BodyLimitRejects);
            self.body_limit = true;
        }
        Step::Pause
    }

    fn block_body(&self) -> String {
        self.plugin.policy(self.policy).block_response.body.replace("%{unique_id}", &self.info.unique_id)
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

/// The `:status` of response headers (0 when missing or not a number).
fn response_status(headers: &[(String, Vec<u8>)]) -> u16 {
    headers.iter().find(|(n, _)| n == ":status").and_then(|(_, v)| std::str::from_utf8(v).ok()?.parse().ok()).unwrap_or(0)
}

/// Wall-clock milliseconds (the rate limiter's clock, shared by the workers).
fn now_ms(host: &dyn Host) -> u64 {
    host.now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
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
