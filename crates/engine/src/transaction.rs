//! [`Transaction`]: the per-request state and its entry points.
//!
//! All request data, transformed values, TX values and matched-variable
//! names live in one byte arena; collections are lists of spans into it, so
//! a value is copied once when it arrives and then only borrowed. Every
//! buffer is kept across [`Transaction::reset`], so a reused transaction
//! allocates little or nothing per request.

use std::borrow::Cow;
use std::sync::Arc;

use crate::action::{AllowKind, BodyProcessor, CtlTarget};
use crate::expand::TxId;
use crate::variable::Variable;
use crate::verdict::{InterruptAction, Interruption, RuleMatch};
use crate::{BodyLimitAction, RuleEngineMode, RuleSet};

/// A byte range of the arena, with the slot number it was stored under:
/// every stored value gets its own slot, the key of the transformation
/// cache. Slot 0 is the empty value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Span {
    pub start: u32,
    pub end: u32,
    pub slot: u32,
}

/// One entry of a collection.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    pub key: Span,
    pub val: Span,
}

/// The collections kept as key/value lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Coll {
    ArgsGet = 0,
    ArgsPost,
    ReqHeaders,
    ReqCookies,
    Files,
    FilesSizes,
    FilesTmpContent,
    MultipartPartHeaders,
    ResHeaders,
    XmlText,
    XmlAttrs,
    Env,
    MatchedVars,
}

pub(crate) const N_COLLS: usize = 13;

/// Transformation results per (value slot, chain): a block of `n_chains`
/// entries per slot, allocated the first time the slot is transformed, each
/// an index into `entries` (or `NONE`).
#[derive(Debug, Default)]
pub(crate) struct Cache {
    pub n_chains: usize,
    pub slot_block: Vec<u32>,
    pub blocks: Vec<u32>,
    pub entries: Vec<Cached>,
}

impl Cache {
    pub const NONE: u32 = u32::MAX;

    fn clear(&mut self) {
        self.slot_block.clear();
        self.blocks.clear();
        self.entries.clear();
    }

    /// Position of (slot, chain) in `blocks`, allocating the slot's block.
    #[inline(always)]
    pub fn position(&mut self, slot: u32, chain: u16) -> usize {
        let s = slot as usize;
        if s >= self.slot_block.len() {
            self.slot_block.resize(s + 1, Self::NONE);
        }
        let mut b = self.slot_block[s];
        if b == Self::NONE {
            b = self.blocks.len() as u32;
            self.blocks.resize(self.blocks.len() + self.n_chains, Self::NONE);
            self.slot_block[s] = b;
        }
        b as usize + chain as usize
    }

    /// The entry of (slot, chain), if computed.
    #[inline]
    pub fn get(&mut self, slot: u32, chain: u16) -> Option<&mut Cached> {
        let p = self.position(slot, chain);
        match self.blocks.get(p) {
            Some(&e) if e != Self::NONE => self.entries.get_mut(e as usize),
            _ => None,
        }
    }

    /// Store the entry of (slot, chain) and return it.
    #[inline]
    pub fn insert(&mut self, slot: u32, chain: u16, c: Cached) -> &mut Cached {
        let p = self.position(slot, chain);
        let e = self.entries.len();
        self.entries.push(c);
        if let Some(x) = self.blocks.get_mut(p) {
            *x = e as u32;
        }
        let last = self.entries.len() - 1;
        &mut self.entries[last]
    }
}

/// The transformed value of one (value, chain).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cached {
    pub out: Span,
}

/// The request/response data and TX store, apart from the caches, so that
/// macro expansion can read it while scratch buffers are written.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub arena: Vec<u8>,
    pub colls: [Vec<Entry>; N_COLLS],
    /// Single-valued variables by `Variable as usize`.
    pub scalars: Vec<Option<Span>>,
    /// TX values by interned id.
    pub tx: Vec<Option<Span>>,
    /// TX values whose names were built at run time: (lowercased name, value).
    pub tx_dyn: Vec<(Span, Option<Span>)>,
    /// The next free slot (0 is the empty value).
    pub next_slot: u32,
}

impl State {
    #[inline]
    pub fn bytes(&self, s: Span) -> &[u8] {
        self.arena.get(s.start as usize..s.end as usize).unwrap_or(&[])
    }

    /// Append bytes and return their span (in a new slot).
    #[inline]
    pub fn push(&mut self, b: &[u8]) -> Span {
        let start = self.arena.len() as u32;
        self.arena.extend_from_slice(b);
        Span { start, end: self.arena.len() as u32, slot: self.new_slot() }
    }

    /// A new slot number.
    #[inline]
    pub fn new_slot(&mut self) -> u32 {
        self.next_slot += 1;
        self.next_slot
    }

    /// Bytes `a..b` of value `v`, as a value of its own (a capture).
    pub fn sub(&mut self, v: Span, a: usize, b: usize) -> Span {
        Span { start: v.start + a as u32, end: v.start + b as u32, slot: self.new_slot() }
    }

    /// Append the decimal form of `n`.
    pub fn push_int(&mut self, n: i64) -> Span {
        let mut b = itoa_buf(n);
        let s = b.as_slice();
        let span = self.push(s);
        b.clear();
        span
    }

    #[inline]
    pub fn scalar(&self, v: Variable) -> Option<Span> {
        self.scalars.get(v as usize).copied().flatten()
    }

    #[inline]
    pub fn set_scalar(&mut self, v: Variable, s: Span) {
        if let Some(slot) = self.scalars.get_mut(v as usize) {
            *slot = Some(s);
        }
    }

    pub fn set_scalar_bytes(&mut self, v: Variable, b: &[u8]) {
        let s = self.push(b);
        self.set_scalar(v, s);
    }

    #[inline]
    pub fn coll(&self, c: Coll) -> &[Entry] {
        &self.colls[c as usize]
    }

    pub fn add(&mut self, c: Coll, key: &[u8], val: &[u8]) {
        let key = self.push(key);
        let val = self.push(val);
        self.colls[c as usize].push(Entry { key, val });
    }

    /// First value of collection `c` whose key equals `lower` case-insensitively.
    pub fn find(&self, c: Coll, lower: &[u8]) -> Option<Span> {
        self.coll(c).iter().find(|e| self.bytes(e.key).eq_ignore_ascii_case(lower)).map(|e| e.val)
    }

    /// TX value by interned id.
    #[inline]
    pub fn tx_get(&self, id: TxId) -> Option<Span> {
        self.tx.get(id as usize).copied().flatten()
    }

    /// TX value by lowercased name (static names first, then run-time ones).
    pub fn tx_lookup(&self, rs: &RuleSet, lower: &[u8]) -> Option<Span> {
        match rs.tx_names.get(lower) {
            Some(id) => self.tx_get(id),
            None => self.tx_dyn.iter().find(|(n, _)| self.bytes(*n) == lower).and_then(|(_, v)| *v),
        }
    }
}

/// Decimal digits of `n` without allocating on the heap.
pub(crate) fn itoa_buf(n: i64) -> SmallBuf {
    let mut b = SmallBuf { buf: [0; 24], len: 0 };
    let neg = n < 0;
    let mut u = n.unsigned_abs();
    let mut tmp = [0u8; 24];
    let mut i = 0;
    loop {
        tmp[i] = b'0' + (u % 10) as u8;
        u /= 10;
        i += 1;
        if u == 0 {
            break;
        }
    }
    if neg {
        b.buf[0] = b'-';
        b.len = 1;
    }
    while i > 0 {
        i -= 1;
        b.buf[b.len] = tmp[i];
        b.len += 1;
    }
    b
}

/// A short stack buffer.
pub(crate) struct SmallBuf {
    buf: [u8; 24],
    len: usize,
}

impl SmallBuf {
    pub fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }
    fn clear(&mut self) {
        self.len = 0;
    }
}

/// Removals and switches set by `ctl:` for the rest of the transaction.
#[derive(Clone, Debug, Default)]
pub(crate) struct Ctls {
    pub remove_ids: Vec<(i64, i64)>,
    pub remove_tags: Vec<u32>,
    pub remove_target_by_id: Vec<(Vec<(i64, i64)>, CtlTarget)>,
    pub remove_target_by_tag: Vec<(u32, CtlTarget)>,
    pub body_processor: Option<BodyProcessor>,
    pub body_access: Option<bool>,
    pub force_body_variable: bool,
}

impl Ctls {
    pub fn is_empty_removals(&self) -> bool {
        self.remove_ids.is_empty() && self.remove_tags.is_empty()
    }
}

/// Per-request state. Owned (no lifetime) and reusable: [`Transaction::reset`]
/// keeps every buffer. It works only with the rule set it was made from.
pub struct Transaction {
    pub(crate) rules: Arc<RuleSet>,
    pub(crate) st: State,
    /// Transformation + prefilter cache, by (value slot, chain).
    pub(crate) cache: Cache,
    pub(crate) pf_words: Vec<u64>,
    /// Offset in `pf_words` of each value's prefilter bits, by slot (`u32::MAX`: not scanned).
    pub(crate) scans: Vec<u32>,
    /// Per phase: offset in `pf_words` of the OR of the prefilter bits of all
    /// values of a variable after a chain, by (chain, variable, selector kind, multiMatch).
    pub(crate) summaries: rustc_hash::FxHashMap<(u16, u8, u8, bool), u32>,
    /// Bytes present in each value, by slot (for skipping transformations).
    pub(crate) presence: Vec<Option<crate::transform::ByteSet>>,
    /// libinjection answers already computed, by slot (see `eval::INJECT_*`).
    pub(crate) inject: Vec<u8>,
    pub(crate) rx_caches: Vec<Option<crate::operator::rx::RxCache>>,
    /// Value lists per chain depth (reused).
    pub(crate) handles: Vec<Vec<crate::eval::Handle>>,
    /// Value list for prefilter summaries (reused).
    pub(crate) scratch_handles: Vec<crate::eval::Handle>,
    /// Lowercased copy of the value being prefiltered (reused).
    pub(crate) scratch_lower: Vec<u8>,
    /// `ctl:ruleRemoveTarget*` entries that apply to the rule being evaluated.
    pub(crate) removals: Vec<(bool, u32)>,
    /// Scratch for macro expansion.
    pub(crate) buf: Vec<u8>,
    pub(crate) buf2: Vec<u8>,
    pub(crate) ctl: Ctls,
    pub(crate) engine: RuleEngineMode,
    pub(crate) allow: Option<AllowKind>,
    pub(crate) skip_next: u32,
    pub(crate) skip_to: Option<u32>,
    pub(crate) interruption: Option<Interruption>,
    pub(crate) pending: Option<Interruption>,
    pub(crate) matches: Vec<RuleMatch>,
    /// `matches.len()` when the current chain's first rule started (multiMatch logging).
    pub(crate) mm_mark: usize,
    /// The last matched variable's name and original value (for the log line).
    pub(crate) last_name: Span,
    pub(crate) last_orig: Span,
    pub(crate) req_body: Vec<u8>,
    pub(crate) req_body_over: bool,
    pub(crate) res_body: Vec<u8>,
    /// The response body went over `SecResponseBodyLimit`.
    pub(crate) res_body_over: bool,
    pub(crate) body_type: Option<BodyProcessor>,
    pub(crate) res_content_type: Vec<u8>,
    pub(crate) uri_no_query_decoded: Span,
    pub(crate) host: Span,
    pub(crate) unique_id: Span,
    pub(crate) args_combined: usize,
    pub(crate) phase_done: u8,
    /// Whether the evaluator runs the early pass ([`crate::early`]).
    pub(crate) early: crate::early::EarlyPass,
    /// State saved before the early pass.
    pub(crate) checkpoint: crate::early::Checkpoint,
    /// In the early pass: the [`crate::early::BodyMask`] of what the body will fill.
    pub(crate) early_body: u8,
}

impl std::fmt::Debug for Transaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transaction")
            .field("engine", &self.engine)
            .field("interruption", &self.interruption)
            .field("matches", &self.matches.len())
            .finish_non_exhaustive()
    }
}

impl Transaction {
    /// A fresh transaction over `rules`.
    pub fn new(rules: Arc<RuleSet>) -> Transaction {
        let n_rx = rules.regexes.len();
        let n_tx = rules.tx_names.len();
        let engine = rules.settings.rule_engine;
        let n_chains = rules.chains.len();
        let mut t = Transaction {
            rules,
            st: State::default(),
            cache: Cache { n_chains, ..Cache::default() },
            pf_words: Vec::new(),
            scans: Vec::new(),
            summaries: Default::default(),
            presence: Vec::new(),
            inject: Vec::new(),
            rx_caches: (0..n_rx).map(|_| None).collect(),
            handles: Vec::new(),
            scratch_handles: Vec::new(),
            scratch_lower: Vec::new(),
            removals: Vec::new(),
            buf: Vec::new(),
            buf2: Vec::new(),
            ctl: Ctls::default(),
            engine,
            allow: None,
            skip_next: 0,
            skip_to: None,
            interruption: None,
            pending: None,
            matches: Vec::new(),
            mm_mark: 0,
            last_name: Span::default(),
            last_orig: Span::default(),
            req_body: Vec::new(),
            req_body_over: false,
            res_body: Vec::new(),
            res_body_over: false,
            body_type: None,
            res_content_type: Vec::new(),
            uri_no_query_decoded: Span::default(),
            host: Span::default(),
            unique_id: Span::default(),
            args_combined: 0,
            phase_done: 0,
            early: Default::default(),
            checkpoint: Default::default(),
            early_body: 0,
        };
        t.st.scalars = vec![None; Variable::ALL.len()];
        t.st.tx = vec![None; n_tx];
        t
    }

    /// Forget the last request, keeping buffers (and regex caches) for reuse.
    pub fn reset(&mut self) {
        self.st.arena.clear();
        for c in self.st.colls.iter_mut() {
            c.clear();
        }
        self.st.scalars.iter_mut().for_each(|s| *s = None);
        self.st.tx.iter_mut().for_each(|s| *s = None);
        self.st.tx_dyn.clear();
        self.st.next_slot = 0;
        self.cache.clear();
        self.pf_words.clear();
        self.scans.clear();
        self.summaries.clear();
        self.presence.clear();
        self.inject.clear();
        self.ctl = Ctls::default();
        self.engine = self.rules.settings.rule_engine;
        self.allow = None;
        self.skip_next = 0;
        self.skip_to = None;
        self.interruption = None;
        self.pending = None;
        self.matches.clear();
        self.last_name = Span::default();
        self.last_orig = Span::default();
        self.req_body.clear();
        self.req_body_over = false;
        self.res_body.clear();
        self.res_body_over = false;
        self.body_type = None;
        self.res_content_type.clear();
        self.uri_no_query_decoded = Span::default();
        self.host = Span::default();
        self.unique_id = Span::default();
        self.args_combined = 0;
        self.phase_done = 0;
        self.early = Default::default();
    }

    /// The rule set this transaction runs.
    pub fn rules(&self) -> &Arc<RuleSet> {
        &self.rules
    }

    /// Set UNIQUE_ID (e.g. Envoy's `x-request-id`).
    pub fn set_unique_id(&mut self, id: &str) {
        self.unique_id = self.st.push(id.as_bytes());
        self.st.set_scalar(Variable::UniqueId, self.unique_id);
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
        self.uri_no_query_decoded = st.push(&path);
        st.set_scalar(Variable::RequestFilename, self.uri_no_query_decoded);
        if let Some(p) = path.iter().rposition(|&c| c == b'/' || c == b'\\') {
            if p + 1 < path.len() {
                st.set_scalar_bytes(Variable::RequestBasename, &path[p + 1..]);
            }
        }
        if let Some(q) = query {
            st.set_scalar_bytes(Variable::QueryString, q);
        }
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
            }
        }
    }

    /// Parse a query string or urlencoded body into `coll` (ModSecurity v3's
    /// argument extraction: empty pieces kept, `+` and `%XX` decoded,
    /// invalid escapes flagged in URLENCODED_ERROR).
    pub(crate) fn add_urlencoded_args(&mut self, input: &[u8], coll: Coll, limit: usize) {
        let limits = crate::body::Limits { max_args: limit.saturating_sub(self.arg_count()), ..Default::default() };
        let mut sink = crate::phase::Sink { st: &mut self.st, coll, args_combined: &mut self.args_combined };
        let o = crate::body::parse_urlencoded(input, &limits, &mut sink);
        if o.invalid_encoding {
            self.st.set_scalar_bytes(Variable::UrlencodedError, b"1");
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
                self.body_type = Some(BodyProcessor::Multipart);
                self.st.set_scalar_bytes(Variable::ReqbodyProcessor, b"MULTIPART");
            }
            if l.starts_with(b"application/x-www-form-urlencoded") {
                self.body_type = Some(BodyProcessor::Urlencoded);
                self.st.set_scalar_bytes(Variable::ReqbodyProcessor, b"URLENCODED");
            }
        } else if name.eq_ignore_ascii_case(b"host") {
            let h = value.split(|&c| c == b':').next().unwrap_or(b"");
            self.host = self.st.push(value);
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
        self.engine != RuleEngineMode::Off && self.ctl.body_access.unwrap_or(self.rules.settings.request_body_access)
    }

    /// Append request body bytes. Bytes beyond `SecRequestBodyLimit` are
    /// dropped; with limit action Reject the transaction is interrupted
    /// with 413 (in DetectionOnly it is only flagged, INBOUND_DATA_ERROR=1).
    pub fn append_request_body(&mut self, chunk: &[u8]) -> Option<Interruption> {
        let limit = self.rules.settings.request_body_limit;
        let room = limit.saturating_sub(self.req_body.len());
        let take = room.min(chunk.len());
        self.req_body.extend_from_slice(&chunk[..take]);
        if take < chunk.len() && !self.req_body_over {
            self.req_body_over = true;
            self.st.set_scalar_bytes(Variable::InboundDataError, b"1");
            if self.rules.settings.request_body_limit_action == BodyLimitAction::Reject && self.engine == RuleEngineMode::On {
                let i = Interruption { status: 413, rule_id: None, phase: 2, action: InterruptAction::BodyLimit };
                self.interruption = Some(i.clone());
                return Some(i);
            }
        }
        None
    }

    /// One response header.
    pub fn add_response_header(&mut self, name: &[u8], value: &[u8]) {
        self.st.add(Coll::ResHeaders, name, value);
        if name.eq_ignore_ascii_case(b"content-type") {
            self.res_content_type = value.to_vec();
            self.st.set_scalar_bytes(Variable::ResponseContentType, value);
        } else if name.eq_ignore_ascii_case(b"content-length") {
            self.st.set_scalar_bytes(Variable::ResponseContentLength, value);
        }
    }

    /// Whether the rules want the response body: `SecResponseBodyAccess On`
    /// and a Content-Type listed in `SecResponseBodyMimeType`.
    pub fn wants_response_body(&self) -> bool {
        if self.engine == RuleEngineMode::Off || !self.rules.settings.response_body_access {
            return false;
        }
        let ct = self.res_content_type.split(|&c| c == b';').next().unwrap_or(b"").trim_ascii();
        self.rules.settings.response_mime_types.iter().any(|m| m.as_bytes().eq_ignore_ascii_case(ct))
    }

    /// Append response body bytes (beyond `SecResponseBodyLimit` they are not inspected).
    pub fn append_response_body(&mut self, chunk: &[u8]) -> Option<Interruption> {
        let limit = self.rules.settings.response_body_limit;
        let room = limit.saturating_sub(self.res_body.len());
        let take = room.min(chunk.len());
        self.res_body.extend_from_slice(&chunk[..take]);
        if take < chunk.len() && !self.res_body_over {
            self.res_body_over = true;
            self.st.set_scalar_bytes(Variable::OutboundDataError, b"1");
            if self.rules.settings.response_body_limit_action == BodyLimitAction::Reject && self.engine == RuleEngineMode::On {
                let i = Interruption { status: 500, rule_id: None, phase: 4, action: InterruptAction::BodyLimit };
                self.interruption = Some(i.clone());
                return Some(i);
            }
        }
        None
    }

    /// The interruption, if a rule (or a limit) stopped the transaction.
    pub fn interruption(&self) -> Option<&Interruption> {
        self.interruption.as_ref()
    }

    /// Rules that matched and log, or that interrupted (or would have, in
    /// DetectionOnly), in order. Rules with `nolog` that do not block are
    /// not recorded (they are most of CRS's bookkeeping).
    pub fn matches(&self) -> &[RuleMatch] {
        &self.matches
    }

    /// The value of `TX:name` (case-insensitive).
    pub fn tx_var(&self, name: &str) -> Option<Cow<'_, [u8]>> {
        let lower = name.to_ascii_lowercase();
        self.st.tx_lookup(&self.rules, lower.as_bytes()).map(|s| Cow::Borrowed(self.st.bytes(s)))
    }

    /// The effective engine mode (after `ctl:ruleEngine`).
    pub fn rule_engine(&self) -> RuleEngineMode {
        self.engine
    }

    /// The ModSecurity-style log line of `m` for this transaction (host, URI and id filled in).
    pub fn log_line(&self, m: &RuleMatch) -> String {
        let host = String::from_utf8_lossy(self.st.scalar(Variable::ServerName).map(|s| self.st.bytes(s)).unwrap_or(b""));
        let uri = String::from_utf8_lossy(self.st.bytes(self.uri_no_query_decoded));
        let id = String::from_utf8_lossy(self.st.bytes(self.unique_id));
        m.log_line_for(&host, &uri, &id)
    }
}
