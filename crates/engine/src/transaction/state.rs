//! The request and response data of a transaction: one byte arena, the
//! collections as lists of spans into it, single-valued variables, TX, and
//! what the request line and headers established. Values are copied once,
//! when they arrive, then only borrowed.

use crate::body::BodySink;
use crate::expand::TxId;
use crate::variable::Variable;
use crate::RuleSet;

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
    XmlTextNodes,
    Env,
    MatchedVars,
    PathSegments,
}

impl Coll {
    /// The key/value collection behind a variable, and whether the variable
    /// yields the keys (`*_NAMES`) rather than the values.
    pub fn of(v: Variable) -> Option<(Coll, bool)> {
        use Variable as V;
        Some(match v {
            V::ArgsGet => (Coll::ArgsGet, false),
            V::ArgsGetNames => (Coll::ArgsGet, true),
            V::ArgsPost => (Coll::ArgsPost, false),
            V::ArgsPostNames => (Coll::ArgsPost, true),
            V::RequestHeaders => (Coll::ReqHeaders, false),
            V::RequestHeadersNames => (Coll::ReqHeaders, true),
            V::RequestCookies => (Coll::ReqCookies, false),
            V::RequestCookiesNames => (Coll::ReqCookies, true),
            V::ResponseHeaders => (Coll::ResHeaders, false),
            V::ResponseHeadersNames => (Coll::ResHeaders, true),
            V::Files => (Coll::Files, false),
            V::FilesNames => (Coll::Files, true),
            V::FilesSizes => (Coll::FilesSizes, false),
            V::FilesTmpContent => (Coll::FilesTmpContent, false),
            V::MultipartPartHeaders => (Coll::MultipartPartHeaders, false),
            V::Env => (Coll::Env, false),
            V::MatchedVars => (Coll::MatchedVars, false),
            V::MatchedVarsNames => (Coll::MatchedVars, true),
            V::RequestPathSegments => (Coll::PathSegments, false),
            _ => return None,
        })
    }
}

pub(crate) const N_COLLS: usize = 15;

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
    /// REQUEST_FILENAME: the path, URL-decoded (for log lines).
    pub uri_no_query_decoded: Span,
    /// The `Host` header.
    pub host: Span,
    /// UNIQUE_ID.
    pub unique_id: Span,
    /// ARGS_COMBINED_SIZE: names and values of all arguments so far.
    pub args_combined: usize,
}

impl State {
    /// An empty state for `n_tx` interned TX names.
    pub fn new(n_tx: usize) -> State {
        State { scalars: vec![None; Variable::ALL.len()], tx: vec![None; n_tx], ..State::default() }
    }

    /// Forget every value, keeping the buffers.
    pub fn reset(&mut self) {
        self.arena.clear();
        for c in self.colls.iter_mut() {
            c.clear();
        }
        self.scalars.iter_mut().for_each(|s| *s = None);
        self.tx.iter_mut().for_each(|s| *s = None);
        self.tx_dyn.clear();
        self.next_slot = 0;
        self.uri_no_query_decoded = Span::default();
        self.host = Span::default();
        self.unique_id = Span::default();
        self.args_combined = 0;
    }

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

    pub fn set_scalar_none(&mut self, v: Variable) {
        if let Some(slot) = self.scalars.get_mut(v as usize) {
            *slot = None;
        }
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


/// Stores what a body processor finds into the transaction's collections.
pub(crate) struct Sink<'a> {
    pub st: &'a mut State,
    pub coll: Coll,
}

impl BodySink for Sink<'_> {
    fn arg(&mut self, name: &[u8], value: &[u8]) {
        self.st.args_combined += name.len() + value.len();
        self.st.add(self.coll, name, value);
    }
    fn file(&mut self, field: &[u8], filename: &[u8], content: &[u8]) {
        let st = &mut *self.st;
        st.add(Coll::Files, field, filename);
        let key = st.push(field);
        let size = st.push_int(content.len() as i64);
        st.colls[Coll::FilesSizes as usize].push(Entry { key, val: size });
        st.add(Coll::FilesTmpContent, field, content);
    }
    fn part_header(&mut self, field: &[u8], line: &[u8]) {
        self.st.add(Coll::MultipartPartHeaders, field, line);
    }
    fn multipart_name(&mut self, name: &[u8]) {
        self.st.set_scalar_bytes(Variable::MultipartName, name);
    }
    fn multipart_filename(&mut self, filename: &[u8]) {
        self.st.set_scalar_bytes(Variable::MultipartFilename, filename);
    }
    fn xml_text(&mut self, text: &[u8]) {
        self.st.add(Coll::XmlText, b"", text);
    }
    fn xml_attr(&mut self, name: &[u8], value: &[u8]) {
        self.st.add(Coll::XmlAttrs, name, value);
    }
    fn xml_text_node(&mut self, text: &[u8]) {
        self.st.add(Coll::XmlTextNodes, b"", text);
    }
}

