//! [`Transaction`]: the per-request state and its entry points.
//!
//! All request data, transformed values, TX values and matched-variable
//! names live in one byte arena; collections are lists of spans into it, so
//! a value is copied once when it arrives and then only borrowed. Every
//! buffer is kept across [`Transaction::reset`], so a reused transaction
//! allocates little or nothing per request.

mod checkpoint;
mod flow;
mod scratch;
mod segments;
mod state;

use std::borrow::Cow;
use std::sync::Arc;

pub(crate) use checkpoint::Checkpoint;
pub(crate) use flow::{Bodies, BodySide, EarlyPass, Flow};
pub(crate) use scratch::{Cached, HKey, Handle, Scratch};
pub(crate) use state::{itoa_buf, Coll, Entry, Sink, Span, State};

use crate::action::BodyProcessor;
use crate::id::Phase;
use crate::variable::Variable;
use crate::verdict::{InterruptAction, Interruption, RuleMatch};
use crate::{BodyLimitAction, RuleEngineMode, RuleSet};

/// Per-request state. Owned (no lifetime) and reusable: [`Transaction::reset`]
/// keeps every buffer. It works only with the rule set it was made from.
///
/// Its parts each own their reset: the request and response data
/// (`State`), the caches (`Scratch`), what the rules decided so far
/// (`Flow`), the buffered bodies (`Bodies`), and the copy saved before the
/// early pass (`Checkpoint`).
pub struct Transaction {
    pub(crate) rules: Arc<RuleSet>,
    pub(crate) st: State,
    pub(crate) scratch: Scratch,
    pub(crate) flow: Flow,
    pub(crate) bodies: Bodies,
    pub(crate) checkpoint: Checkpoint,
}

impl std::fmt::Debug for Transaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transaction")
            .field("engine", &self.flow.engine)
            .field("interruption", &self.flow.interruption)
            .field("matches", &self.flow.matches.len())
            .finish_non_exhaustive()
    }
}

impl Transaction {
    /// A fresh transaction over `rules`.
    pub fn new(rules: Arc<RuleSet>) -> Transaction {
        Transaction {
            st: State::new(rules.tx_names.len()),
            scratch: Scratch::new(rules.chains.len(), rules.regexes.len()),
            flow: Flow::new(rules.settings.rule_engine),
            bodies: Bodies::default(),
            checkpoint: Checkpoint::default(),
            rules,
        }
    }

    /// Forget the last request, keeping buffers (and regex caches) for reuse.
    pub fn reset(&mut self) {
        self.st.reset();
        self.scratch.reset();
        self.flow.reset(self.rules.settings.rule_engine);
        self.bodies.reset();
    }

    /// The engine mode this transaction starts in, over `SecRuleEngine` (a
    /// host's policy: block, monitor); `ctl:ruleEngine` may still change it.
    /// Call before [`Transaction::on_request_headers`].
    pub fn set_rule_engine(&mut self, mode: RuleEngineMode) {
        self.flow.engine = mode;
    }

    /// The rule set this transaction runs.
    pub fn rules(&self) -> &Arc<RuleSet> {
        &self.rules
    }

    /// Set UNIQUE_ID (e.g. Envoy's `x-request-id`).
    pub fn set_unique_id(&mut self, id: &str) {
        self.st.unique_id = self.st.push(id.as_bytes());
        self.st.set_scalar(Variable::UniqueId, self.st.unique_id);
    }

    /// Client and server addresses (REMOTE_ADDR, REMOTE_PORT, SERVER_ADDR, SERVER_PORT).
    pub fn process_connection(&mut self, client_ip: &str, client_port: u16, server_ip: &str, server_port: u16) {
        let st = &mut self.st;
        st.set_scalar_bytes(Variable::RemoteAddr, client_ip.as_bytes());
        st.set_scalar_bytes(Variable::RemoteHost, client_ip.as_bytes());
        let p = st.push_int(i64::from(client_port));
        st.set_scalar(Variable::RemotePort, p);
        st.set_scalar_bytes(Variable::ServerAddr, server_ip.as_bytes());
        let p = st.push_int(i64::from(server_port));
        st.set_scalar(Variable::ServerPort, p);
    }

    /// The request line: the URI as sent (path and query, or absolute form),
    /// the method, and the protocol (`HTTP/1.1`, or just `1.1`).
    /// Parses the query string into ARGS_GET.
    pub fn process_uri(&mut self, uri: &[u8], method: &[u8], protocol: &[u8]) {
        let version = protocol.strip_prefix(b"HTTP/").unwrap_or(protocol);
        let st = &mut self.st;
        // A fragment stays only in REQUEST_URI_RAW and REQUEST_LINE.
        let no_frag = match memchr::memchr(b'#', uri) {
            Some(p) => &uri[..p],
            None => uri,
        };
        let (path_raw, query) = match memchr::memchr(b'?', no_frag) {
            Some(p) => (&no_frag[..p], Some(&no_frag[p + 1..])),
            None => (no_frag, None),
        };
        st.set_scalar_bytes(Variable::RequestMethod, method);
        let mut line = Vec::with_capacity(method.len() + uri.len() + version.len() + 8);
        line.extend_from_slice(method);
        line.push(b' ');
        line.extend_from_slice(uri);
        line.extend_from_slice(b" HTTP/");
        line.extend_from_slice(version);
        st.set_scalar_bytes(Variable::RequestLine, &line);
        let proto_start = method.len() + 1 + uri.len() + 1;
        st.set_scalar_bytes(Variable::RequestProtocol, line.get(proto_start..).unwrap_or(b""));
        let path = crate::decode::uri_decode(path_raw);
        st.uri_no_query_decoded = st.push(&path);
        st.set_scalar(Variable::RequestFilename, st.uri_no_query_decoded);
        if let Some(p) = path.iter().rposition(|&c| c == b'/' || c == b'\\') {
            if p + 1 < path.len() {
                st.set_scalar_bytes(Variable::RequestBasename, &path[p + 1..]);
            }
        }
        if let Some(q) = query {
            st.set_scalar_bytes(Variable::QueryString, q);
        }
        let mut n = 0i64;
        segments::raw_segments(path_raw, |seg| {
            let key = itoa_buf(n);
            n += 1;
            st.add(Coll::PathSegments, key.as_slice(), &crate::decode::uri_decode(seg));
        });
        let decoded = crate::decode::uri_decode(no_frag);
        // Absolute form (`http://host/path`): REQUEST_URI keeps the path.
        let mut req_uri: &[u8] = &decoded;
        if !decoded.is_empty() && decoded[0] != b'/' {
            if let Some(colon) = memchr::memchr(b':', &decoded) {
                if decoded.get(colon + 1..colon + 3) == Some(b"//") {
                    if let Some(slash) = memchr::memchr(b'/', &decoded[colon + 3..]) {
                        req_uri = &decoded[colon + 3 + slash..];
                    }
                }
            }
        }
        let req_uri = req_uri.to_vec();
        st.set_scalar_bytes(Variable::RequestUri, &req_uri);
        st.set_scalar_bytes(Variable::RequestUriRaw, uri);
        if let Some(q) = query {
            if !q.is_empty() {
                let limit = self.rules.settings.arguments_limit;
                let q = q.to_vec();
                self.add_urlencoded_args(&q, Coll::ArgsGet, limit);
                self.add_graphql_args(Coll::ArgsGet);
            }
        }
    }

    /// Parse a query string or urlencoded body into `coll` (ModSecurity v3's
    /// argument extraction: empty pieces kept, `+` and `%XX` decoded,
    /// invalid escapes flagged in URLENCODED_ERROR).
    pub(crate) fn add_urlencoded_args(&mut self, input: &[u8], coll: Coll, limit: usize) {
        let limits = crate::body::Limits { max_args: limit.saturating_sub(self.arg_count()), ..Default::default() };
        let mut sink = Sink { st: &mut self.st, coll };
        let o = crate::body::parse_urlencoded(input, &limits, &mut sink);
        if o.invalid_encoding {
            self.st.set_scalar_bytes(Variable::UrlencodedError, b"1");
        }
    }

    /// `SecGraphQLArguments On`: the string values written in each GraphQL
    /// document among `coll`'s arguments named `query` or `<path>.query`,
    /// added to `coll` as `<name>.<field>` after them
    /// ([`crate::body::graphql`]), within SecArgumentsLimit like any other
    /// argument.
    pub(crate) fn add_graphql_args(&mut self, coll: Coll) {
        if !self.rules.settings.graphql_arguments {
            return;
        }
        let st = &self.st;
        let docs: Vec<(Vec<u8>, Vec<u8>)> = st
            .coll(coll)
            .iter()
            .filter(|e| {
                let name = st.bytes(e.key);
                name == b"query" || name.ends_with(b".query")
            })
            .filter(|e| crate::body::graphql::is_document(st.bytes(e.val)))
            .map(|e| (st.bytes(e.key).to_vec(), st.bytes(e.val).to_vec()))
            .collect();
        for (name, doc) in docs {
            let mut budget = self.rules.settings.arguments_limit.saturating_sub(self.arg_count());
            let mut sink = Sink { st: &mut self.st, coll };
            let mut key = Vec::new();
            crate::body::graphql::string_values(&doc, |field, value| {
                if budget == 0 {
                    return;
                }
                budget -= 1;
                key.clear();
                key.extend_from_slice(&name);
                key.push(b'.');
                key.extend_from_slice(field);
                crate::body::BodySink::arg(&mut sink, &key, value);
            });
        }
    }

    pub(crate) fn arg_count(&self) -> usize {
        self.st.coll(Coll::ArgsGet).len() + self.st.coll(Coll::ArgsPost).len()
    }

    /// One request header, in arrival order.
    pub fn add_request_header(&mut self, name: &[u8], value: &[u8]) {
        self.st.add(Coll::ReqHeaders, name, value);
        if name.eq_ignore_ascii_case(b"cookie") {
            self.add_cookies(value);
        } else if name.eq_ignore_ascii_case(b"content-type") {
            let l = value.to_ascii_lowercase();
            if l.starts_with(b"multipart/form-data") {
                self.bodies.request_processor = Some(BodyProcessor::Multipart);
                self.st.set_scalar_bytes(Variable::ReqbodyProcessor, b"MULTIPART");
            }
            if l.starts_with(b"application/x-www-form-urlencoded") {
                self.bodies.request_processor = Some(BodyProcessor::Urlencoded);
                self.st.set_scalar_bytes(Variable::ReqbodyProcessor, b"URLENCODED");
            }
        } else if name.eq_ignore_ascii_case(b"host") {
            let h = value.split(|&c| c == b':').next().unwrap_or(b"");
            self.st.host = self.st.push(value);
            self.st.set_scalar_bytes(Variable::ServerName, h);
        } else if name.eq_ignore_ascii_case(b"authorization") {
            let t = value.split(|&c| c == b' ').next().unwrap_or(b"");
            self.st.set_scalar_bytes(Variable::AuthType, t);
        }
    }

    /// ModSecurity v3's cookie split: `;`-separated, key trimmed on the left,
    /// empty keys skipped, value after the first `=`.
    fn add_cookies(&mut self, value: &[u8]) {
        let mut pieces: Vec<&[u8]> = value.split(|&c| c == b';').collect();
        if pieces.last().is_some_and(|p| p.is_empty()) {
            pieces.pop();
        }
        if let Some(last) = pieces.last_mut() {
            *last = last.trim_ascii_end();
        }
        for c in pieces {
            if c.is_empty() {
                continue;
            }
            let (k, v) = match memchr::memchr(b'=', c) {
                Some(p) => (&c[..p], &c[p + 1..]),
                None => (c, &b""[..]),
            };
            let k = k.trim_ascii_start();
            if k.is_empty() {
                continue;
            }
            self.st.add(Coll::ReqCookies, k, v);
        }
    }

    /// Whether the rules want the request body (`SecRequestBodyAccess On`,
    /// or `ctl:requestBodyAccess`).
    pub fn wants_request_body(&self) -> bool {
        self.flow.engine != RuleEngineMode::Off && self.flow.ctl.body_access.unwrap_or(self.rules.settings.request_body_access)
    }

    /// Append request body bytes. Bytes beyond `SecRequestBodyLimit` are
    /// dropped; with limit action Reject the transaction is interrupted
    /// with 413 (in DetectionOnly it is only flagged, INBOUND_DATA_ERROR=1).
    pub fn append_request_body(&mut self, chunk: &[u8]) -> Option<Interruption> {
        self.append_body(BodySide::Request, chunk)
    }

    /// Append to `side`'s body up to its limit; at the first byte beyond it,
    /// [`Transaction::body_passed_limit`].
    fn append_body(&mut self, side: BodySide, chunk: &[u8]) -> Option<Interruption> {
        let (limit, _) = self.body_limit(side);
        let body = self.bodies.side(side);
        let take = limit.saturating_sub(body.bytes.len()).min(chunk.len());
        body.bytes.extend_from_slice(&chunk[..take]);
        if take < chunk.len() && !body.over {
            return self.body_passed_limit(side);
        }
        None
    }

    /// `side`'s limit and what passing it does (`SecRequestBodyLimit`,
    /// `SecResponseBodyLimit` and their actions).
    fn body_limit(&self, side: BodySide) -> (usize, BodyLimitAction) {
        let s = &self.rules.settings;
        match side {
            BodySide::Request => (s.request_body_limit, s.request_body_limit_action),
            BodySide::Response => (s.response_body_limit, s.response_body_limit_action),
        }
    }

    /// `side`'s body went over its limit: flag it (INBOUND_DATA_ERROR or
    /// OUTBOUND_DATA_ERROR), and with action Reject and the engine On,
    /// interrupt (413 for a request, 500 for a response, as ModSecurity).
    pub(crate) fn body_passed_limit(&mut self, side: BodySide) -> Option<Interruption> {
        self.bodies.side(side).over = true;
        let (flag, status, phase) = match side {
            BodySide::Request => (Variable::InboundDataError, 413, Phase::RequestBody),
            BodySide::Response => (Variable::OutboundDataError, 500, Phase::ResponseBody),
        };
        self.st.set_scalar_bytes(flag, b"1");
        if self.body_limit(side).1 != BodyLimitAction::Reject || self.flow.engine != RuleEngineMode::On {
            return None;
        }
        let i = Interruption { status, rule_id: None, phase, action: InterruptAction::BodyLimit };
        self.flow.interruption = Some(i.clone());
        Some(i)
    }

    /// The request's `Content-Length`, when it is one valid number.
    pub(crate) fn declared_content_length(&self) -> Option<u64> {
        let v = self.st.find(Coll::ReqHeaders, b"content-length")?;
        std::str::from_utf8(self.st.bytes(v)).ok()?.trim().parse().ok()
    }

    /// One response header.
    pub fn add_response_header(&mut self, name: &[u8], value: &[u8]) {
        self.st.add(Coll::ResHeaders, name, value);
        if name.eq_ignore_ascii_case(b"content-type") {
            self.bodies.response_content_type = value.to_vec();
            self.st.set_scalar_bytes(Variable::ResponseContentType, value);
        } else if name.eq_ignore_ascii_case(b"content-length") {
            self.st.set_scalar_bytes(Variable::ResponseContentLength, value);
        }
    }

    /// Whether the rules want the response body: `SecResponseBodyAccess On`
    /// and a Content-Type listed in `SecResponseBodyMimeType`.
    pub fn wants_response_body(&self) -> bool {
        if self.flow.engine == RuleEngineMode::Off || !self.rules.settings.response_body_access {
            return false;
        }
        let ct = self.bodies.response_content_type.split(|&c| c == b';').next().unwrap_or(b"").trim_ascii();
        self.rules.settings.response_mime_types.iter().any(|m| m.as_bytes().eq_ignore_ascii_case(ct))
    }

    /// Append response body bytes (beyond `SecResponseBodyLimit` they are
    /// not inspected; with action Reject and the engine On, 500).
    pub fn append_response_body(&mut self, chunk: &[u8]) -> Option<Interruption> {
        self.append_body(BodySide::Response, chunk)
    }

    /// The interruption, if a rule (or a limit) stopped the transaction.
    pub fn interruption(&self) -> Option<&Interruption> {
        self.flow.interruption.as_ref()
    }

    /// Rules that matched and log, or that interrupted (or would have, in
    /// DetectionOnly), in order. Rules with `nolog` that do not block are
    /// not recorded (they are most of CRS's bookkeeping).
    pub fn matches(&self) -> &[RuleMatch] {
        &self.flow.matches
    }

    /// The value of `TX:name` (case-insensitive).
    pub fn tx_var(&self, name: &str) -> Option<Cow<'_, [u8]>> {
        let lower = name.to_ascii_lowercase();
        self.st.tx_lookup(&self.rules, lower.as_bytes()).map(|s| Cow::Borrowed(self.st.bytes(s)))
    }

    /// The effective engine mode (after `ctl:ruleEngine`).
    pub fn rule_engine(&self) -> RuleEngineMode {
        self.flow.engine
    }

    /// The ModSecurity-style log line of `m` for this transaction (host, URI and id filled in).
    pub fn log_line(&self, m: &RuleMatch) -> String {
        let host = String::from_utf8_lossy(self.st.scalar(Variable::ServerName).map(|s| self.st.bytes(s)).unwrap_or(b""));
        let uri = String::from_utf8_lossy(self.st.bytes(self.st.uri_no_query_decoded));
        let id = String::from_utf8_lossy(self.st.bytes(self.st.unique_id));
        m.log_line_for(&host, &uri, &id)
    }
}
