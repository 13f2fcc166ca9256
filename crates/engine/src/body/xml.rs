//! XML bodies (`text/xml`, `application/xml`, ... once the XML processor is
//! selected).
//!
//! v3 builds a libxml2 tree with the push parser and answers `XML:/*` and
//! `XML://@*` with XPath on it. This module is a hand-written well-formedness
//! checker that yields the same values without building a tree:
//! - `XML:/*`: one value, the text content of the root element (all
//!   descendant text and CDATA, references replaced, comments and PIs left
//!   out), reported once at the end through [`BodySink::xml_text`];
//! - `XML://@*`: every attribute value of every element in document order
//!   (namespace declarations excluded), reported through
//!   [`BodySink::xml_attr`] when each start tag is complete;
//! - `XML://text()`: every text node of the root, in document order: the
//!   character data between two pieces of markup (references replaced) or
//!   one CDATA section, reported through [`BodySink::xml_text_node`] when it
//!   ends. Unlike libxml2, nodes of only whitespace (indentation) are left
//!   out: they hold nothing to inspect; and at most [`MAX_TEXT_NODES`] are
//!   reported, the last holding the rest of the text.
//!
//! Like libxml2 in v3's setup: line ends are normalized (CRLF and CR become
//! LF; in attribute values, literal tabs and line ends become spaces while
//! character references stay as they are); the five predefined entities,
//! character references and internal entities declared in the DOCTYPE are
//! replaced; external entities are never loaded (their references yield
//! nothing); the encoding comes from a BOM or the XML declaration (UTF-8,
//! UTF-16, ISO-8859-1, US-ASCII and windows-1252 are understood; others are
//! an error); nesting deeper than 257 elements is an error.
//!
//! After a well-formedness error the values found so far are still reported
//! (v3 keeps libxml2's partial tree and runs XPath on it), and the error goes
//! to `REQBODY_ERROR` with v3's fixed text "XML: Failed parsing document.".
//! [`XmlError::detail`] says what was wrong, in libxml2's words where
//! practical.
//!
//! Not modelled: attribute defaults and non-CDATA attribute normalization
//! from `<!ATTLIST>`, parameter entities (a DOCTYPE that uses them only makes
//! undeclared entities non-fatal, as in libxml2), markup inside internal
//! entities (its text is kept, its tags are skipped without checks), and the
//! exact Unicode name-character classes (ASCII rules, any non-ASCII letter
//! accepted).

use core::fmt;
use std::collections::{BTreeMap, BTreeSet};

use super::{BodySink, Limits};

/// libxml2's default depth limit (`xmlParserMaxDepth`, without
/// `XML_PARSE_HUGE`): 257 nested elements pass, 258 do not.
const MAX_DEPTH: usize = 256;

/// At most this many `XML://text()` values: the last one holds the rest of
/// the root's text run together, so a payload cannot hide past the bound
/// and a body of many tiny elements costs the rules no more than this many
/// values.
pub(crate) const MAX_TEXT_NODES: usize = 1024;

/// Entity references nested deeper than this are a loop (libxml2 uses 40).
const MAX_ENTITY_DEPTH: usize = 40;

/// An XML well-formedness error. `Display` gives v3's text; [`Self::detail`]
/// the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlError {
    /// What was wrong.
    pub kind: XmlErrorKind,
    /// Byte offset in the (UTF-8) document where it was found.
    pub offset: usize,
}

/// Why a document is not well-formed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XmlErrorKind {
    /// No content at all.
    Empty,
    /// Bytes that are not UTF-8 (or not in the declared encoding).
    BadEncoding,
    /// An encoding libxml2 would not know (here: not supported).
    UnsupportedEncoding,
    /// A character XML does not allow (a control character, U+FFFE...).
    InvalidChar,
    /// Something other than markup where the root element should start.
    StartTagExpected,
    /// Content after the root element.
    ExtraContent,
    /// An end tag that does not match its start tag.
    TagMismatch,
    /// The document ended inside markup or an element.
    PrematureEnd,
    /// A name was expected.
    NameExpected,
    /// A malformed start tag or attribute list.
    AttributeConstruct,
    /// An attribute repeated in one element.
    AttributeRedefined,
    /// `<` inside an attribute value.
    LtInAttribute,
    /// A malformed `&...;` reference.
    BadReference,
    /// A character reference to a character XML does not allow.
    BadCharRef,
    /// A reference to an entity that was not declared.
    UndefinedEntity,
    /// Entities referencing themselves, or expanding too much.
    EntityLoop,
    /// An attribute value referencing an external entity.
    ExternalEntityInAttribute,
    /// A reference to an unparsed (NDATA) entity.
    UnparsedEntity,
    /// `--` inside a comment.
    CommentHyphen,
    /// A malformed comment, PI, CDATA section or declaration.
    BadMarkup,
    /// A PI named `xml` (any case) after the start.
    ReservedPiName,
    /// A malformed XML declaration.
    BadXmlDecl,
    /// A malformed or misplaced DOCTYPE.
    BadDoctype,
    /// `]]>` in text.
    CdataEndInText,
    /// Nesting deeper than 257 elements.
    TooDeep,
}

impl XmlError {
    /// What was wrong, close to libxml2's message.
    pub fn detail(&self) -> &'static str {
        use XmlErrorKind as K;
        match self.kind {
            K::Empty => "Document is empty",
            K::BadEncoding => "Input is not proper UTF-8, indicate encoding !",
            K::UnsupportedEncoding => "Unsupported encoding",
            K::InvalidChar => "Char out of allowed range",
            K::StartTagExpected => "Start tag expected, '<' not found",
            K::ExtraContent => "Extra content at the end of the document",
            K::TagMismatch => "Opening and ending tag mismatch",
            K::PrematureEnd => "Premature end of data",
            K::NameExpected => "Name expected",
            K::AttributeConstruct => "attributes construct error",
            K::AttributeRedefined => "Attribute redefined",
            K::LtInAttribute => "Unescaped '<' not allowed in attributes values",
            K::BadReference => "EntityRef: expecting ';'",
            K::BadCharRef => "xmlParseCharRef: invalid xmlChar value",
            K::UndefinedEntity => "Entity not defined",
            K::EntityLoop => "Detected an entity reference loop",
            K::ExternalEntityInAttribute => "Attribute references external entity",
            K::UnparsedEntity => "Entity reference to unparsed entity",
            K::CommentHyphen => "Double hyphen within comment",
            K::BadMarkup => "Malformed markup",
            K::ReservedPiName => "XML declaration allowed only at the start of the document",
            K::BadXmlDecl => "Malformed XML declaration",
            K::BadDoctype => "Malformed DOCTYPE",
            K::CdataEndInText => "Sequence ']]>' not allowed in content",
            K::TooDeep => "Excessive depth in document: 256 use XML_PARSE_HUGE option",
        }
    }
}

impl fmt::Display for XmlError {
    /// v3's text (the same for every XML error).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("XML: Failed parsing document.")
    }
}

impl std::error::Error for XmlError {}

/// Parses an XML body, reporting attribute values and the root's text
/// content to `sink` (see the module docs).
///
/// # Errors
/// An [`XmlError`] when the document is not well-formed; what was found
/// before the error has been reported.
pub fn parse_xml(body: &[u8], _limits: &Limits, sink: &mut impl BodySink) -> Result<(), XmlError> {
    let decoded;
    let (doc, bad_at) = match decode(body) {
        Decoded::Utf8 { start } => (body.get(start..).unwrap_or_default(), None),
        Decoded::Converted(v, bad) => {
            decoded = v;
            (decoded.as_slice(), bad)
        }
        Decoded::Unsupported => return Err(XmlError { kind: XmlErrorKind::UnsupportedEncoding, offset: 0 }),
    };
    // Everything after the first byte libxml2 would refuse is cut off: the
    // parse of the rest then fails as libxml2's does, at that point.
    let (cut, cut_kind) = match bad_at {
        Some(i) => (i, XmlErrorKind::BadEncoding),
        None => match first_invalid(doc) {
            Some((i, k)) => (i, k),
            None => (doc.len(), XmlErrorKind::InvalidChar),
        },
    };
    let mut p = Parser::new(doc.get(..cut).unwrap_or_default(), doc.len());
    if doc.get(cut).is_some_and(|&c| c < 0x20) {
        p.start_tag_at_end_ok = true;
    }
    let mut result = p.document(sink);
    if cut < doc.len() {
        // An error inside the prefix is reported where it happened only if
        // the prefix itself was at fault before reaching the cut.
        if result.as_ref().is_ok() || result.as_ref().is_err_and(|e| e.offset >= cut) {
            result = Err(XmlError { kind: cut_kind, offset: cut });
        }
    }
    if p.root_seen {
        p.report_text_node(sink);
        sink.xml_text(&p.text);
    }
    result
}

// ---- encodings -------------------------------------------------------------

enum Decoded {
    /// UTF-8 (maybe after a BOM at `start`).
    Utf8 { start: usize },
    /// Converted to UTF-8; `Some(i)`: input not convertible from output
    /// offset `i` on.
    Converted(Vec<u8>, Option<usize>),
    Unsupported,
}

/// Finds the document encoding (BOM, then the XML declaration) and
/// converts to UTF-8 when needed.
fn decode(body: &[u8]) -> Decoded {
    if body.starts_with(&[0xef, 0xbb, 0xbf]) {
        return Decoded::Utf8 { start: 3 };
    }
    if body.starts_with(&[0xff, 0xfe]) {
        return utf16(body.get(2..).unwrap_or_default(), false);
    }
    if body.starts_with(&[0xfe, 0xff]) {
        return utf16(body.get(2..).unwrap_or_default(), true);
    }
    // UTF-16 without BOM, recognised from "<?" as libxml2 does.
    if body.starts_with(&[b'<', 0, b'?', 0]) {
        return utf16(body, false);
    }
    if body.starts_with(&[0, b'<', 0, b'?']) {
        return utf16(body, true);
    }
    let Some(enc) = declared_encoding(body) else { return Decoded::Utf8 { start: 0 } };
    // Compared as iconv does: case-insensitive, punctuation ignored.
    let mut name = [0u8; 24];
    let mut n = 0;
    for &c in enc.iter().filter(|c| c.is_ascii_alphanumeric()) {
        match name.get_mut(n) {
            Some(d) => *d = c.to_ascii_lowercase(),
            None => return Decoded::Unsupported,
        }
        n += 1;
    }
    match name.get(..n).unwrap_or_default() {
        b"utf8" => Decoded::Utf8 { start: 0 },
        // Declared UTF-16 but no BOM and ASCII "<?xml": libxml2 goes on
        // reading it as UTF-8.
        b"utf16" => Decoded::Utf8 { start: 0 },
        b"iso88591" | b"latin1" | b"isolatin1" | b"l1" | b"iso885911987" | b"cp819" | b"ibm819" => {
            Decoded::Converted(single_byte(body, u32::from), None)
        }
        b"usascii" | b"ascii" => {
            let bad = body.iter().position(|&b| b >= 0x80);
            Decoded::Converted(body.get(..bad.unwrap_or(body.len())).unwrap_or_default().to_vec(), bad)
        }
        b"windows1252" | b"cp1252" => Decoded::Converted(single_byte(body, cp1252), None),
        _ => Decoded::Unsupported,
    }
}

/// The `encoding` value of an XML declaration at the start of `body`.
fn declared_encoding(body: &[u8]) -> Option<&[u8]> {
    if !body.starts_with(b"<?xml") || !body.get(5).is_some_and(|&c| is_ws(c)) {
        return None;
    }
    let end = memchr::memmem::find(body, b"?>")?;
    let decl = body.get(..end)?;
    let i = memchr::memmem::find(decl, b"encoding")?;
    let rest = decl.get(i + 8..)?;
    let rest = rest.get(rest.iter().position(|&c| !is_ws(c))?..)?;
    let rest = rest.strip_prefix(b"=")?;
    let rest = rest.get(rest.iter().position(|&c| !is_ws(c))?..)?;
    let q = *rest.first()?;
    if q != b'"' && q != b'\'' {
        return None;
    }
    let v = rest.get(1..)?;
    v.get(..memchr::memchr(q, v)?)
}

/// A single-byte encoding to UTF-8.
fn single_byte(body: &[u8], map: impl Fn(u8) -> u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + body.len() / 8);
    for &b in body {
        if b < 0x80 {
            out.push(b);
        } else {
            push_char(&mut out, map(b));
        }
    }
    out
}

/// windows-1252 to Unicode (0x80..=0x9f differ from ISO-8859-1; the five
/// unassigned bytes map to C1 controls, which XML then refuses).
fn cp1252(b: u8) -> u32 {
    const HIGH: [u16; 32] = [
        0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
        0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
        0x153, 0x9d, 0x17e, 0x178,
    ];
    match b {
        0x80..=0x9f => HIGH.get(usize::from(b - 0x80)).map_or(u32::from(b), |&c| u32::from(c)),
        _ => u32::from(b),
    }
}

/// UTF-16 to UTF-8; an unpaired surrogate or odd trailing byte ends the
/// convertible part.
fn utf16(body: &[u8], big_endian: bool) -> Decoded {
    let mut out = Vec::with_capacity(body.len());
    let units = body.chunks_exact(2).map(|c| match c {
        [a, b] if big_endian => u16::from(*a) << 8 | u16::from(*b),
        [a, b] => u16::from(*b) << 8 | u16::from(*a),
        _ => 0,
    });
    let mut bad = None;
    for r in char::decode_utf16(units) {
        match r {
            Ok(c) => push_char(&mut out, u32::from(c)),
            Err(_) => {
                bad = Some(out.len());
                break;
            }
        }
    }
    if bad.is_none() && body.len() % 2 == 1 {
        bad = Some(out.len());
    }
    Decoded::Converted(out, bad)
}

/// Appends a code point as UTF-8 (`?` for a value that is not a char).
fn push_char(out: &mut Vec<u8>, cp: u32) {
    let mut b = [0u8; 4];
    out.extend_from_slice(char_bytes(cp, &mut b));
}

/// A code point as UTF-8 in `buf` (`?` for a value that is not a char).
fn char_bytes(cp: u32, buf: &mut [u8; 4]) -> &[u8] {
    char::from_u32(cp).unwrap_or('?').encode_utf8(buf).as_bytes()
}

/// The first byte that is not UTF-8 or starts a character XML refuses
/// (controls other than tab/LF/CR, U+FFFE, U+FFFF).
fn first_invalid(doc: &[u8]) -> Option<(usize, XmlErrorKind)> {
    let valid = match core::str::from_utf8(doc) {
        Ok(_) => doc.len(),
        Err(e) => e.valid_up_to(),
    };
    let head = doc.get(..valid).unwrap_or_default();
    let ctl = head.iter().position(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'));
    let nonchar = memchr::memmem::find_iter(head, &[0xef, 0xbf])
        .find(|&i| matches!(head.get(i + 2), Some(0xbe | 0xbf)));
    let bad_char = match (ctl, nonchar) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    match bad_char {
        Some(i) => Some((i, XmlErrorKind::InvalidChar)),
        None if valid < doc.len() => Some((valid, XmlErrorKind::BadEncoding)),
        None => None,
    }
}

// ---- the parser -----------------------------------------------------------

/// XML's `S`.
fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b':' || c >= 0x80
}

fn is_name_char(c: u8) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == b'-' || c == b'.'
}

/// Whether a code point is an XML `Char`.
fn is_xml_char(cp: u32) -> bool {
    matches!(cp, 0x9 | 0xa | 0xd | 0x20..=0xd7ff | 0xe000..=0xfffd | 0x10000..=0x10ffff)
}

/// A general entity declared in the DOCTYPE.
#[derive(Clone, Debug)]
struct Entity {
    name: core::ops::Range<usize>,
    /// Internal: replacement text in `Parser::ents` (character references
    /// already replaced). External: `None`.
    value: Option<core::ops::Range<usize>>,
    unparsed: bool,
}

/// Where decoded text goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dest {
    /// The root's text content (only while inside the root).
    Text,
    /// Nothing (text outside the root, which must be whitespace).
    Discard,
    /// An attribute value being built in `Parser::attr`.
    Attr,
}

struct Parser<'d> {
    doc: &'d [u8],
    /// Length of the whole document (the parsed part may be cut short).
    full_len: usize,
    pos: usize,
    /// Root text content.
    text: Vec<u8>,
    /// Where in `text` the current text node began (`XML://text()`).
    node_start: usize,
    /// Text nodes reported so far.
    nodes: usize,
    root_seen: bool,
    /// Open elements' names (ranges of `doc`).
    open: Vec<core::ops::Range<usize>>,
    /// Attributes of the current start tag: name range, value range in `attr`.
    attrs: Vec<(core::ops::Range<usize>, core::ops::Range<usize>)>,
    /// Names in `attrs`, for the uniqueness check (a start tag may hold
    /// thousands of attributes; a scan per attribute would be quadratic).
    attr_names: BTreeSet<&'d [u8]>,
    attr: Vec<u8>,
    entities: Vec<Entity>,
    /// Entity name → index in `entities` (the first declaration), for
    /// declarations and references without a scan.
    entity_index: BTreeMap<&'d [u8], usize>,
    ents: Vec<u8>,
    /// A DOCTYPE with an external subset or parameter entities: undeclared
    /// entities are not fatal.
    lenient_entities: bool,
    standalone: bool,
    /// Bytes produced by entity expansion so far (loop protection).
    expanded: usize,
    /// The parsed part ends at the end of the input or at a control
    /// character: there libxml2 still creates an element whose start tag
    /// was cut short (not at an encoding error).
    start_tag_at_end_ok: bool,
}

type PResult = Result<(), XmlError>;

impl<'d> Parser<'d> {
    fn new(doc: &'d [u8], full_len: usize) -> Self {
        Parser {
            doc,
            full_len,
            pos: 0,
            text: Vec::new(),
            node_start: 0,
            nodes: 0,
            root_seen: false,
            open: Vec::new(),
            attrs: Vec::new(),
            attr_names: BTreeSet::new(),
            attr: Vec::new(),
            entities: Vec::new(),
            entity_index: BTreeMap::new(),
            ents: Vec::new(),
            lenient_entities: false,
            standalone: false,
            expanded: 0,
            start_tag_at_end_ok: doc.len() == full_len,
        }
    }

    fn err<T>(&self, kind: XmlErrorKind) -> Result<T, XmlError> {
        Err(XmlError { kind, offset: self.pos })
    }

    fn peek(&self) -> Option<u8> {
        self.doc.get(self.pos).copied()
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.doc.get(self.pos + i).copied()
    }

    fn starts(&self, s: &[u8]) -> bool {
        self.doc.get(self.pos..).is_some_and(|r| r.starts_with(s))
    }

    fn skip_ws(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(is_ws) {
            self.pos += 1;
        }
        self.pos > start
    }

    /// A `Name`; returns its range.
    fn name(&mut self) -> Result<core::ops::Range<usize>, XmlError> {
        let start = self.pos;
        match self.peek() {
            Some(c) if is_name_start(c) => self.pos += 1,
            Some(_) => return self.err(XmlErrorKind::NameExpected),
            None => return self.err(XmlErrorKind::PrematureEnd),
        }
        while self.peek().is_some_and(is_name_char) {
            self.pos += 1;
        }
        Ok(start..self.pos)
    }

    fn slice(&self, r: core::ops::Range<usize>) -> &'d [u8] {
        let doc = self.doc;
        doc.get(r).unwrap_or_default()
    }

    /// document ::= prolog element Misc*
    fn document(&mut self, sink: &mut impl BodySink) -> PResult {
        if self.full_len == 0 {
            return self.err(XmlErrorKind::Empty);
        }
        if self.starts(b"<?xml") && self.at(5).is_some_and(is_ws) {
            self.xml_decl()?;
        }
        let mut doctype_seen = false;
        // Prolog.
        loop {
            self.skip_ws();
            if self.starts(b"<!--") {
                self.comment(Dest::Discard)?;
            } else if self.starts(b"<?") {
                self.pi()?;
            } else if self.starts(b"<!DOCTYPE") {
                if doctype_seen {
                    return self.err(XmlErrorKind::BadDoctype);
                }
                doctype_seen = true;
                self.doctype()?;
            } else if self.starts(b"<") && self.at(1).is_some_and(is_name_start) {
                break;
            } else if self.peek().is_none() {
                return self.err(if self.full_len > self.doc.len() {
                    XmlErrorKind::PrematureEnd
                } else {
                    XmlErrorKind::StartTagExpected
                });
            } else {
                return self.err(XmlErrorKind::StartTagExpected);
            }
        }
        self.element(sink)?;
        // Misc after the root.
        loop {
            self.skip_ws();
            if self.peek().is_none() {
                return Ok(());
            }
            if self.starts(b"<!--") {
                self.comment(Dest::Discard)?;
            } else if self.starts(b"<?") {
                self.pi()?;
            } else {
                return self.err(XmlErrorKind::ExtraContent);
            }
        }
    }

    /// `<?xml version=... encoding=... standalone=...?>` (at the very start).
    fn xml_decl(&mut self) -> PResult {
        use XmlErrorKind as K;
        self.pos += 5;
        self.skip_ws();
        let mut seen_version = false;
        let mut idx = 0;
        loop {
            if self.starts(b"?>") {
                self.pos += 2;
                return if seen_version { Ok(()) } else { self.err(K::BadXmlDecl) };
            }
            let n = self.name()?;
            let name = self.slice(n);
            self.skip_ws();
            if self.peek() != Some(b'=') {
                return self.err(K::BadXmlDecl);
            }
            self.pos += 1;
            self.skip_ws();
            let q = match self.peek() {
                Some(q @ (b'"' | b'\'')) => q,
                _ => return self.err(K::BadXmlDecl),
            };
            self.pos += 1;
            let vs = self.pos;
            while self.peek().is_some_and(|c| c != q) {
                self.pos += 1;
            }
            if self.peek().is_none() {
                return self.err(K::PrematureEnd);
            }
            let value = self.slice(vs..self.pos);
            self.pos += 1;
            match (idx, name) {
                (0, b"version") => {
                    // Any 1.x is accepted (libxml2 warns about versions
                    // other than 1.0 and goes on).
                    seen_version = value.starts_with(b"1.")
                        && value.get(2..).unwrap_or_default().iter().all(u8::is_ascii_digit);
                    if !seen_version {
                        return self.err(K::BadXmlDecl);
                    }
                }
                (1, b"encoding") => {
                    let ok = value.first().is_some_and(u8::is_ascii_alphabetic)
                        && value.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'));
                    if !ok {
                        return self.err(K::BadXmlDecl);
                    }
                }
                (1 | 2, b"standalone") => match value {
                    b"yes" => self.standalone = true,
                    b"no" => {}
                    _ => return self.err(K::BadXmlDecl),
                },
                _ => return self.err(K::BadXmlDecl),
            }
            idx = if name == b"standalone" { 3 } else { idx + 1 };
            if !self.skip_ws() && !self.starts(b"?>") {
                return self.err(K::BadXmlDecl);
            }
        }
    }

    /// `<!-- ... -->`
    fn comment(&mut self, _dest: Dest) -> PResult {
        self.pos += 4;
        let rest = self.doc.get(self.pos..).unwrap_or_default();
        match memchr::memmem::find(rest, b"--") {
            Some(i) => {
                self.pos += i;
                if self.at(2) == Some(b'>') {
                    self.pos += 3;
                    Ok(())
                } else if self.at(2).is_none() {
                    self.err(XmlErrorKind::PrematureEnd)
                } else {
                    self.err(XmlErrorKind::CommentHyphen)
                }
            }
            None => {
                self.pos = self.doc.len();
                self.err(XmlErrorKind::PrematureEnd)
            }
        }
    }

    /// `<?target data?>` (not the XML declaration).
    fn pi(&mut self) -> PResult {
        self.pos += 2;
        let n = self.name()?;
        if self.slice(n).eq_ignore_ascii_case(b"xml") {
            return self.err(XmlErrorKind::ReservedPiName);
        }
        if self.starts(b"?>") {
            self.pos += 2;
            return Ok(());
        }
        if !self.skip_ws() {
            return self.err(XmlErrorKind::BadMarkup);
        }
        let rest = self.doc.get(self.pos..).unwrap_or_default();
        match memchr::memmem::find(rest, b"?>") {
            Some(i) => {
                self.pos += i + 2;
                Ok(())
            }
            None => {
                self.pos = self.doc.len();
                self.err(XmlErrorKind::PrematureEnd)
            }
        }
    }

    /// A quoted literal; returns the range inside the quotes.
    fn quoted(&mut self) -> Result<core::ops::Range<usize>, XmlError> {
        let q = match self.peek() {
            Some(q @ (b'"' | b'\'')) => q,
            None => return self.err(XmlErrorKind::PrematureEnd),
            _ => return self.err(XmlErrorKind::BadDoctype),
        };
        self.pos += 1;
        let s = self.pos;
        let rest = self.doc.get(s..).unwrap_or_default();
        match memchr::memchr(q, rest) {
            Some(i) => {
                self.pos = s + i + 1;
                Ok(s..s + i)
            }
            None => {
                self.pos = self.doc.len();
                self.err(XmlErrorKind::PrematureEnd)
            }
        }
    }

    /// `SYSTEM "..."` or `PUBLIC "..." "..."`; returns whether one was there.
    fn external_id(&mut self) -> Result<bool, XmlError> {
        if self.starts(b"SYSTEM") {
            self.pos += 6;
            if !self.skip_ws() {
                return self.err(XmlErrorKind::BadDoctype);
            }
            self.quoted()?;
            Ok(true)
        } else if self.starts(b"PUBLIC") {
            self.pos += 6;
            if !self.skip_ws() {
                return self.err(XmlErrorKind::BadDoctype);
            }
            self.quoted()?;
            if !self.skip_ws() {
                return self.err(XmlErrorKind::BadDoctype);
            }
            self.quoted()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// `<!DOCTYPE name ExternalID? [internal subset]? >`
    fn doctype(&mut self) -> PResult {
        use XmlErrorKind as K;
        self.pos += 9;
        if !self.skip_ws() {
            return self.err(K::BadDoctype);
        }
        self.name()?;
        self.skip_ws();
        if self.external_id()? {
            self.lenient_entities = true;
        }
        self.skip_ws();
        if self.peek() == Some(b'[') {
            self.pos += 1;
            self.internal_subset()?;
            self.skip_ws();
        }
        match self.peek() {
            Some(b'>') => {
                self.pos += 1;
                Ok(())
            }
            None => self.err(K::PrematureEnd),
            _ => self.err(K::BadDoctype),
        }
    }

    /// The internal subset, up to and including `]`.
    fn internal_subset(&mut self) -> PResult {
        use XmlErrorKind as K;
        loop {
            self.skip_ws();
            match self.peek() {
                None => return self.err(K::PrematureEnd),
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'%') => {
                    // A parameter entity reference (not expanded).
                    self.pos += 1;
                    self.name()?;
                    if self.peek() != Some(b';') {
                        return self.err(K::BadReference);
                    }
                    self.pos += 1;
                    self.lenient_entities = true;
                }
                Some(b'<') => {
                    if self.starts(b"<!--") {
                        self.comment(Dest::Discard)?;
                    } else if self.starts(b"<?") {
                        self.pi()?;
                    } else if self.starts(b"<!ENTITY") {
                        self.entity_decl()?;
                    } else if self.starts(b"<!ATTLIST") {
                        self.attlist_decl()?;
                    } else if self.starts(b"<!ELEMENT") {
                        self.element_decl()?;
                    } else if self.starts(b"<!NOTATION") {
                        self.skip_decl()?;
                    } else {
                        return self.err(K::BadDoctype);
                    }
                }
                Some(_) => return self.err(K::BadDoctype),
            }
        }
    }

    /// Skips a declaration to its `>`, honouring quotes.
    fn skip_decl(&mut self) -> PResult {
        self.pos += 2;
        loop {
            match self.peek() {
                None => return self.err(XmlErrorKind::PrematureEnd),
                Some(b'>') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'"' | b'\'') => {
                    self.quoted()?;
                }
                Some(b'<') => return self.err(XmlErrorKind::BadDoctype),
                Some(_) => self.pos += 1,
            }
        }
    }

    /// `<!ELEMENT name (EMPTY | ANY | (content model)) >`, checked, not
    /// used.
    fn element_decl(&mut self) -> PResult {
        use XmlErrorKind as K;
        self.pos += 9;
        if !self.skip_ws() {
            return self.err(K::BadDoctype);
        }
        self.name()?;
        if !self.skip_ws() {
            return self.err(K::BadDoctype);
        }
        if self.starts(b"EMPTY") {
            self.pos += 5;
        } else if self.starts(b"ANY") {
            self.pos += 3;
        } else if self.peek() == Some(b'(') {
            // Balanced parentheses holding names, #PCDATA and operators.
            let mut depth = 0usize;
            loop {
                match self.peek() {
                    None => return self.err(K::PrematureEnd),
                    Some(b'(') => depth += 1,
                    Some(b')') => {
                        depth -= 1;
                        if depth == 0 {
                            self.pos += 1;
                            if matches!(self.peek(), Some(b'?' | b'*' | b'+')) {
                                self.pos += 1;
                            }
                            break;
                        }
                    }
                    Some(c) if is_name_char(c) || is_ws(c) || matches!(c, b'|' | b',' | b'?' | b'*' | b'+' | b'#') => {}
                    Some(_) => return self.err(K::BadDoctype),
                }
                self.pos += 1;
            }
        } else {
            return self.err(K::BadDoctype);
        }
        self.skip_ws();
        match self.peek() {
            Some(b'>') => {
                self.pos += 1;
                Ok(())
            }
            None => self.err(K::PrematureEnd),
            _ => self.err(K::BadDoctype),
        }
    }

    /// `<!ATTLIST element (name type default)* >`, checked, not used.
    fn attlist_decl(&mut self) -> PResult {
        use XmlErrorKind as K;
        const TYPES: [&[u8]; 10] =
            [b"CDATA", b"IDREFS", b"IDREF", b"ID", b"ENTITY", b"ENTITIES", b"NMTOKENS", b"NMTOKEN", b"NOTATION", b"("];
        self.pos += 9;
        if !self.skip_ws() {
            return self.err(K::BadDoctype);
        }
        self.name()?;
        loop {
            let ws = self.skip_ws();
            match self.peek() {
                None => return self.err(K::PrematureEnd),
                Some(b'>') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(c) if ws && is_name_start(c) => {}
                Some(_) => return self.err(K::BadDoctype),
            }
            self.name()?;
            if !self.skip_ws() {
                return self.err(K::BadDoctype);
            }
            let Some(t) = TYPES.iter().find(|t| self.starts(t)) else { return self.err(K::BadDoctype) };
            self.pos += t.len();
            if *t == b"NOTATION" {
                if !self.skip_ws() || self.peek() != Some(b'(') {
                    return self.err(K::BadDoctype);
                }
                self.pos += 1;
            }
            if *t == b"(" || *t == b"NOTATION" {
                // An enumeration: names or name tokens separated by '|'.
                loop {
                    self.skip_ws();
                    let s = self.pos;
                    while self.peek().is_some_and(is_name_char) {
                        self.pos += 1;
                    }
                    if self.pos == s {
                        return self.err(K::BadDoctype);
                    }
                    self.skip_ws();
                    match self.peek() {
                        Some(b'|') => self.pos += 1,
                        Some(b')') => {
                            self.pos += 1;
                            break;
                        }
                        None => return self.err(K::PrematureEnd),
                        _ => return self.err(K::BadDoctype),
                    }
                }
            } else if self.peek().is_some_and(is_name_char) {
                return self.err(K::BadDoctype);
            }
            if !self.skip_ws() {
                return self.err(K::BadDoctype);
            }
            if self.starts(b"#REQUIRED") {
                self.pos += 9;
            } else if self.starts(b"#IMPLIED") {
                self.pos += 8;
            } else {
                if self.starts(b"#FIXED") {
                    self.pos += 6;
                    if !self.skip_ws() {
                        return self.err(K::BadDoctype);
                    }
                }
                let r = self.quoted()?;
                if self.slice(r).contains(&b'<') {
                    return self.err(K::LtInAttribute);
                }
            }
        }
    }

    /// `<!ENTITY [%] name (value | ExternalID [NDATA name]) >`
    fn entity_decl(&mut self) -> PResult {
        use XmlErrorKind as K;
        self.pos += 8;
        if !self.skip_ws() {
            return self.err(K::BadDoctype);
        }
        let parameter = self.peek() == Some(b'%');
        if parameter {
            self.pos += 1;
            if !self.skip_ws() {
                return self.err(K::BadDoctype);
            }
            self.lenient_entities = true;
        }
        let name = self.name()?;
        if !self.skip_ws() {
            return self.err(K::BadDoctype);
        }
        let mut entity = Entity { name, value: None, unparsed: false };
        if matches!(self.peek(), Some(b'"' | b'\'')) {
            let raw = self.quoted()?;
            let start = self.ents.len();
            self.entity_value(raw)?;
            entity.value = Some(start..self.ents.len());
        } else if self.external_id()? {
            // libxml2 refuses a URI fragment in an entity's system literal.
            let lit_end = self.pos.saturating_sub(1);
            let lit = self.doc.get(..lit_end).unwrap_or_default();
            let lit_start = lit.iter().rposition(|&c| c == b'"' || c == b'\'').map_or(0, |i| i + 1);
            if lit.get(lit_start..).is_some_and(|l| l.contains(&b'#')) {
                return self.err(K::BadDoctype);
            }
            self.skip_ws();
            if self.starts(b"NDATA") {
                self.pos += 5;
                if !self.skip_ws() {
                    return self.err(K::BadDoctype);
                }
                self.name()?;
                entity.unparsed = true;
            }
        } else {
            return self.err(K::BadDoctype);
        }
        self.skip_ws();
        if self.peek() != Some(b'>') {
            return self.err(if self.peek().is_none() { K::PrematureEnd } else { K::BadDoctype });
        }
        self.pos += 1;
        // The first declaration of a name wins.
        let n = self.slice(entity.name.clone());
        if !parameter && !self.entity_index.contains_key(n) {
            self.entity_index.insert(n, self.entities.len());
            self.entities.push(entity);
        }
        Ok(())
    }

    /// An entity value's replacement text: character references replaced,
    /// general entity references kept, appended to `ents`.
    fn entity_value(&mut self, raw: core::ops::Range<usize>) -> PResult {
        let v = self.slice(raw.clone());
        let mut i = 0;
        while let Some(&c) = v.get(i) {
            if c == b'&' && v.get(i + 1) == Some(&b'#') {
                let end = v.get(i..).and_then(|r| memchr::memchr(b';', r)).map(|e| i + e);
                let Some(end) = end else { return self.err_at(raw.start + i, XmlErrorKind::BadReference) };
                let Some(cp) = char_ref(v.get(i + 2..end).unwrap_or_default()) else {
                    return self.err_at(raw.start + i, XmlErrorKind::BadCharRef);
                };
                push_char(&mut self.ents, cp);
                i = end + 1;
            } else if c == b'%' {
                // Parameter entity references are not expanded.
                self.lenient_entities = true;
                i += 1;
            } else {
                self.ents.push(c);
                i += 1;
            }
        }
        Ok(())
    }

    fn err_at<T>(&self, offset: usize, kind: XmlErrorKind) -> Result<T, XmlError> {
        Err(XmlError { kind, offset })
    }

    /// The root element and everything in it (iterative).
    fn element(&mut self, sink: &mut impl BodySink) -> PResult {
        use XmlErrorKind as K;
        self.start_tag(sink)?;
        while !self.open.is_empty() {
            // Character data up to the next markup.
            let rest = self.doc.get(self.pos..).unwrap_or_default();
            let run = memchr::memchr2(b'<', b'&', rest).unwrap_or(rest.len());
            let mut chunk = rest.get(..run).unwrap_or_default();
            if let Some(i) = memchr::memmem::find(chunk, b"]]>") {
                self.pos += i;
                return self.err(K::CdataEndInText);
            }
            if run == 1 && rest.len() == 1 && self.doc.len() == self.full_len {
                // libxml2's push parser needs two bytes to look at in
                // content: a single byte left at the end is never delivered.
                chunk = b"";
            }
            push_normalized(&mut self.text, chunk, false);
            self.pos += run;
            match self.peek() {
                None => return self.err(K::PrematureEnd),
                Some(b'&') => self.reference(Dest::Text, 0)?,
                Some(_) => {
                    // Markup ends the text node; a reference does not.
                    self.end_text_node(sink);
                    if self.starts(b"</") {
                        self.end_tag()?;
                    } else if self.starts(b"<!--") {
                        self.comment(Dest::Text)?;
                    } else if self.starts(b"<![CDATA[") {
                        self.pos += 9;
                        let rest = self.doc.get(self.pos..).unwrap_or_default();
                        let Some(i) = memchr::memmem::find(rest, b"]]>") else {
                            self.pos = self.doc.len();
                            return self.err(K::PrematureEnd);
                        };
                        // libxml2's push parser hands CDATA over raw: no
                        // line-end normalization there.
                        self.text.extend_from_slice(rest.get(..i).unwrap_or_default());
                        self.pos += i + 3;
                        // A CDATA section is a node of its own.
                        self.end_text_node(sink);
                    } else if self.starts(b"<?") {
                        self.pi()?;
                    } else if self.starts(b"<!") {
                        return self.err(K::BadMarkup);
                    } else {
                        // libxml2 refuses a new element when more than 256
                        // are open (so 257 levels pass).
                        if self.open.len() > MAX_DEPTH {
                            return self.err(K::TooDeep);
                        }
                        self.start_tag(sink)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Reports the text node that ends here, unless it is only whitespace
    /// (see [`BodySink::xml_text_node`]), and starts the next one. The
    /// last of [`MAX_TEXT_NODES`] is not ended: it grows with the rest of
    /// the text and is reported at the end of the document.
    fn end_text_node(&mut self, sink: &mut impl BodySink) {
        if self.nodes + 1 < MAX_TEXT_NODES {
            self.report_text_node(sink);
        }
    }

    /// Reports the text from the current node's start, unless it is only
    /// whitespace, and starts the next node.
    fn report_text_node(&mut self, sink: &mut impl BodySink) {
        let node = self.text.get(self.node_start..).unwrap_or_default();
        if !node.iter().all(u8::is_ascii_whitespace) {
            sink.xml_text_node(node);
            self.nodes += 1;
        }
        self.node_start = self.text.len();
    }

    /// `<name attr="v" ...>` or `<name .../>`; reports the attributes.
    fn start_tag(&mut self, sink: &mut impl BodySink) -> PResult {
        use XmlErrorKind as K;
        self.pos += 1;
        let name = self.name()?;
        self.attrs.clear();
        self.attr_names.clear();
        self.attr.clear();
        let empty;
        loop {
            let had_ws = self.skip_ws();
            match self.peek() {
                None => {
                    // libxml2's push parser, at the end of the input, still
                    // creates an element whose start tag was clean so far
                    // (name, then complete attributes each followed by
                    // whitespace), and only then reports the error.
                    if (self.attrs.is_empty() || had_ws) && self.start_tag_at_end_ok {
                        self.report_element(sink);
                    }
                    return self.err(K::PrematureEnd);
                }
                Some(b'>') => {
                    self.pos += 1;
                    empty = false;
                    break;
                }
                Some(b'/') => {
                    if self.at(1) == Some(b'>') {
                        self.pos += 2;
                        empty = true;
                        break;
                    }
                    return self.err(if self.at(1).is_none() { K::PrematureEnd } else { K::AttributeConstruct });
                }
                Some(c) if is_name_start(c) && had_ws => {
                    let an = self.name()?;
                    self.skip_ws();
                    if self.peek() != Some(b'=') {
                        return self.err(if self.peek().is_none() { K::PrematureEnd } else { K::AttributeConstruct });
                    }
                    self.pos += 1;
                    self.skip_ws();
                    let q = match self.peek() {
                        Some(q @ (b'"' | b'\'')) => q,
                        None => return self.err(K::PrematureEnd),
                        _ => return self.err(K::AttributeConstruct),
                    };
                    self.pos += 1;
                    let vs = self.attr.len();
                    self.attr_value(q)?;
                    let an_bytes = self.slice(an.clone());
                    if !self.attr_names.insert(an_bytes) {
                        self.pos = an.start;
                        return self.err(K::AttributeRedefined);
                    }
                    self.attrs.push((an, vs..self.attr.len()));
                }
                Some(_) => return self.err(K::AttributeConstruct),
            }
        }
        self.report_element(sink);
        if !empty {
            self.open.push(name);
        }
        Ok(())
    }

    /// A start tag is complete: the root exists, and its attributes are
    /// reported (not namespace declarations, which XPath's attribute axis
    /// does not see).
    fn report_element(&mut self, sink: &mut impl BodySink) {
        self.root_seen = true;
        for (n, v) in &self.attrs {
            let n = self.slice(n.clone());
            // (`xmlns:` alone is no declaration: libxml2 keeps it as an
            // attribute.)
            if n == b"xmlns" || (n.starts_with(b"xmlns:") && n.len() > 6) {
                continue;
            }
            sink.xml_attr(n, self.attr.get(v.clone()).unwrap_or_default());
        }
    }

    /// An attribute value after its opening quote `q`, into `attr`.
    fn attr_value(&mut self, q: u8) -> PResult {
        use XmlErrorKind as K;
        loop {
            let rest = self.doc.get(self.pos..).unwrap_or_default();
            let run = rest.iter().position(|&c| c == q || c == b'<' || c == b'&').unwrap_or(rest.len());
            push_normalized(&mut self.attr, rest.get(..run).unwrap_or_default(), true);
            self.pos += run;
            match self.peek() {
                None => return self.err(K::PrematureEnd),
                Some(b'<') => return self.err(K::LtInAttribute),
                Some(b'&') => self.reference(Dest::Attr, 0)?,
                Some(_) => {
                    self.pos += 1;
                    return Ok(());
                }
            }
        }
    }

    /// `</name>`
    fn end_tag(&mut self) -> PResult {
        self.pos += 2;
        let name = self.name()?;
        self.skip_ws();
        match self.peek() {
            Some(b'>') => self.pos += 1,
            None => return self.err(XmlErrorKind::PrematureEnd),
            _ => return self.err(XmlErrorKind::TagMismatch),
        }
        let Some(open) = self.open.pop() else { return self.err(XmlErrorKind::TagMismatch) };
        if self.slice(open) != self.slice(name) {
            return self.err(XmlErrorKind::TagMismatch);
        }
        Ok(())
    }

    /// A reference at `pos` (`&...;`), its replacement sent to `dest`.
    fn reference(&mut self, dest: Dest, depth: usize) -> PResult {
        use XmlErrorKind as K;
        let start = self.pos;
        self.pos += 1;
        if self.peek() == Some(b'#') {
            let rest = self.doc.get(self.pos..).unwrap_or_default();
            let Some(end) = memchr::memchr(b';', rest) else {
                return self.err(if self.full_len > self.doc.len() { K::PrematureEnd } else { K::BadReference });
            };
            let Some(cp) = char_ref(rest.get(1..end).unwrap_or_default()) else {
                self.pos = start;
                return self.err(K::BadCharRef);
            };
            self.pos += end + 1;
            let mut b = [0u8; 4];
            self.emit(dest, char_bytes(cp, &mut b));
            return Ok(());
        }
        let name = match self.name() {
            Ok(n) => n,
            Err(e) if e.kind == K::NameExpected => return self.err(K::BadReference),
            Err(e) => return Err(e),
        };
        if self.peek() != Some(b';') {
            return self.err(if self.peek().is_none() { K::PrematureEnd } else { K::BadReference });
        }
        self.pos += 1;
        let n = self.slice(name);
        let predefined: Option<&[u8]> = match n {
            b"lt" => Some(b"<"),
            b"gt" => Some(b">"),
            b"amp" => Some(b"&"),
            b"apos" => Some(b"'"),
            b"quot" => Some(b"\""),
            _ => None,
        };
        if let Some(p) = predefined {
            self.emit(dest, p);
            return Ok(());
        }
        self.expand_entity(n, dest, depth, start)
    }

    /// Sends replacement text to its destination.
    fn emit(&mut self, dest: Dest, bytes: &[u8]) {
        match dest {
            Dest::Text => self.text.extend_from_slice(bytes),
            Dest::Attr => self.attr.extend_from_slice(bytes),
            Dest::Discard => {}
        }
    }

    /// Replaces a declared entity's reference.
    fn expand_entity(&mut self, name: &[u8], dest: Dest, depth: usize, at: usize) -> PResult {
        use XmlErrorKind as K;
        let Some(e) = self.entity_index.get(name).and_then(|&i| self.entities.get(i)).cloned() else {
            if self.lenient_entities && !self.standalone {
                return Ok(());
            }
            return self.err_at(at, K::UndefinedEntity);
        };
        if e.unparsed {
            return self.err_at(at, K::UnparsedEntity);
        }
        let Some(value) = e.value else {
            // External entities are never loaded (v3 installs a loader that
            // refuses them); in an attribute that is an error.
            return if dest == Dest::Attr { self.err_at(at, K::ExternalEntityInAttribute) } else { Ok(()) };
        };
        if depth >= MAX_ENTITY_DEPTH {
            return self.err_at(at, K::EntityLoop);
        }
        self.expanded += value.len();
        if self.expanded > 10 * self.full_len + 100_000 {
            return self.err_at(at, K::EntityLoop);
        }
        // Walk the replacement text: text, references, and (skipped) tags.
        let mut i = value.start;
        while i < value.end {
            let c = self.ents.get(i).copied().unwrap_or(0);
            match c {
                b'&' => {
                    let rest = self.ents.get(i..value.end).unwrap_or_default();
                    let Some(semi) = memchr::memchr(b';', rest) else { return self.err_at(at, K::BadReference) };
                    let inner = rest.get(1..semi).unwrap_or_default().to_vec();
                    i += semi + 1;
                    if let Some(num) = inner.strip_prefix(b"#") {
                        let Some(cp) = char_ref(num) else { return self.err_at(at, K::BadCharRef) };
                        let mut b = [0u8; 4];
                        self.emit(dest, char_bytes(cp, &mut b));
                        continue;
                    }
                    let predefined: Option<&[u8]> = match inner.as_slice() {
                        b"lt" => Some(b"<"),
                        b"gt" => Some(b">"),
                        b"amp" => Some(b"&"),
                        b"apos" => Some(b"'"),
                        b"quot" => Some(b"\""),
                        _ => None,
                    };
                    match predefined {
                        Some(p) => self.emit(dest, p),
                        None => {
                            if inner.is_empty() || !inner.first().is_some_and(|&c| is_name_start(c)) {
                                return self.err_at(at, K::BadReference);
                            }
                            if inner.as_slice() == name {
                                return self.err_at(at, K::EntityLoop);
                            }
                            self.expand_entity(&inner, dest, depth + 1, at)?;
                        }
                    }
                }
                b'<' => {
                    if dest == Dest::Attr {
                        return self.err_at(at, K::LtInAttribute);
                    }
                    // Markup inside an entity: its tags are skipped.
                    let rest = self.ents.get(i..value.end).unwrap_or_default();
                    i += memchr::memchr(b'>', rest).map_or(rest.len(), |g| g + 1);
                }
                _ => {
                    let rest = self.ents.get(i..value.end).unwrap_or_default();
                    let run = memchr::memchr2(b'&', b'<', rest).unwrap_or(rest.len());
                    let chunk = rest.get(..run).unwrap_or_default().to_vec();
                    match dest {
                        Dest::Text => push_normalized(&mut self.text, &chunk, false),
                        Dest::Attr => push_normalized(&mut self.attr, &chunk, true),
                        Dest::Discard => {}
                    }
                    i += run;
                }
            }
        }
        Ok(())
    }
}

/// A character reference's code point (`digits` or `xHEX`), if it names an
/// XML `Char`.
fn char_ref(s: &[u8]) -> Option<u32> {
    let (digits, radix) = match s.strip_prefix(b"x") {
        Some(h) => (h, 16),
        None => (s, 10),
    };
    if digits.is_empty() {
        return None;
    }
    let mut v: u32 = 0;
    for &c in digits {
        let d = char::from(c).to_digit(radix)?;
        v = v.checked_mul(radix)?.checked_add(d)?;
    }
    is_xml_char(v).then_some(v)
}

/// Appends text with XML line-end normalization (CRLF and CR to LF); in
/// attribute values every tab, LF and CR becomes a space.
fn push_normalized(out: &mut Vec<u8>, s: &[u8], attr: bool) {
    if memchr::memchr3(b'\r', b'\n', b'\t', s).is_none() {
        out.extend_from_slice(s);
        return;
    }
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        match c {
            b'\r' => {
                out.push(if attr { b' ' } else { b'\n' });
                if s.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' | b'\t' if attr => out.push(b' '),
            _ => out.push(c),
        }
        i += 1;
    }
}
