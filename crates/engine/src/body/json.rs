//! `application/json` bodies.
//!
//! v3 parses JSON with yajl 2 and turns each scalar into an argument
//! (json.cc). This module is a hand-written equivalent of both: a yajl-like
//! lexer and state machine (same accepted language, same error texts) and
//! v3's naming callbacks.
//!
//! Argument names (v3):
//! - a top-level scalar is `json`;
//! - an object member is `<object path>.<key>`, the top-level object's path
//!   being `json` (`{"a":{"b":1}}` gives `json.a.b`); an empty key is
//!   `empty-key`;
//! - an array element is `<array path>.array_<index>` (`{"a":[1,[2]]}` gives
//!   `json.a.array_0` and `json.a.array_1.array_0`); an object inside an
//!   array adds `.` and its keys (`json.a.array_0.b`).
//!
//! Values: strings decoded (escapes, `\u` as UTF-8 with yajl's surrogate
//! handling), numbers exactly as written, `true`/`false`, and `null` as an
//! empty value. Empty objects and arrays produce nothing.
//!
//! Arguments are passed on as they are parsed, so an error leaves the
//! arguments before it in place (as in v3). An empty body is not an error
//! (v3 ignores the processor's complaint when the body is empty).
//!
//! Accepted language (yajl 2.1 with v3's settings): one value of any type
//! at the top level, whitespace `\t \n \v \f \r` and space, no comments, no
//! trailing data except whitespace or an unterminated string (yajl quirk:
//! `{} "abc` is accepted). Strings must be UTF-8 by yajl's lax check (lead
//! and continuation bit patterns only) and hold no control characters.

use core::fmt;

use super::{BodySink, Limits};

/// A JSON error: what yajl reported, and whether v3's depth limit caused it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// yajl's error.
    pub kind: JsonErrorKind,
    /// The parse was cancelled by `SecRequestBodyJsonDepthLimit`.
    pub depth_exceeded: bool,
    /// Byte offset in the body where the error was found (for logs; v3 does
    /// not report it).
    pub offset: usize,
}

/// yajl's errors; `Display` gives yajl's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// Lexical: bad UTF-8 in a string.
    InvalidUtf8,
    /// Lexical: a backslash before a character that cannot be escaped.
    InvalidEscape,
    /// Lexical: a control character inside a string.
    InvalidStringChar,
    /// Lexical: `\u` not followed by four hex digits.
    InvalidHexChar,
    /// Lexical: a character that cannot start a token.
    InvalidChar,
    /// Lexical: a misspelled `true`, `false` or `null`.
    InvalidLiteral,
    /// Lexical: no digit after the exponent.
    MissingExponentDigit,
    /// Lexical: no digit after the decimal point.
    MissingDecimalDigit,
    /// Lexical: no digit after the minus sign.
    MissingMinusDigit,
    /// Lexical: a `/` (comments are not allowed).
    Comment,
    /// Parse: the body ended inside a value.
    PrematureEof,
    /// Parse: something other than whitespace after the top-level value.
    TrailingGarbage,
    /// Parse: a callback stopped the parse (v3: depth or argument limit).
    Cancelled,
    /// Parse: inside an object, after a member.
    ExpectCommaOrBrace,
    /// Parse: a key not followed by `:`.
    ExpectColon,
    /// Parse: an object key that is not a string.
    InvalidObjectKey,
    /// Parse: inside an array, after an element.
    ExpectCommaOrBracket,
    /// Parse: a `,`, `:`, `}` or `]` where a value must start.
    UnallowedToken,
}

impl JsonErrorKind {
    /// Whether yajl calls this a lexical error (else a parse error).
    pub fn is_lexical(self) -> bool {
        use JsonErrorKind as K;
        matches!(
            self,
            K::InvalidUtf8
                | K::InvalidEscape
                | K::InvalidStringChar
                | K::InvalidHexChar
                | K::InvalidChar
                | K::InvalidLiteral
                | K::MissingExponentDigit
                | K::MissingDecimalDigit
                | K::MissingMinusDigit
                | K::Comment
        )
    }

    /// yajl's message.
    pub fn message(self) -> &'static str {
        use JsonErrorKind as K;
        match self {
            K::InvalidUtf8 => "invalid bytes in UTF8 string.",
            K::InvalidEscape => "inside a string, '\\' occurs before a character which it may not.",
            K::InvalidStringChar => "invalid character inside string.",
            K::InvalidHexChar => "invalid (non-hex) character occurs after '\\u' inside string.",
            K::InvalidChar => "invalid char in json text.",
            K::InvalidLiteral => "invalid string in json text.",
            K::MissingExponentDigit => "malformed number, a digit is required after the exponent.",
            K::MissingDecimalDigit => "malformed number, a digit is required after the decimal point.",
            K::MissingMinusDigit => "malformed number, a digit is required after the minus sign.",
            K::Comment => "probable comment found in input text, comments are not enabled.",
            K::PrematureEof => "premature EOF",
            K::TrailingGarbage => "trailing garbage",
            K::Cancelled => "client cancelled parse via callback return value",
            K::ExpectCommaOrBrace => "after key and value, inside map, I expect ',' or '}'",
            K::ExpectColon => "object key and value must be separated by a colon (':')",
            K::InvalidObjectKey => "invalid object key (must be a string)",
            K::ExpectCommaOrBracket => "after array element, I expect ',' or ']'",
            K::UnallowedToken => "unallowed token at this point in JSON text",
        }
    }
}

impl fmt::Display for JsonError {
    /// v3's text: yajl's non-verbose message (which ends in a line feed),
    /// plus v3's note when the depth limit caused it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.kind.is_lexical() { "lexical" } else { "parse" };
        writeln!(f, "{kind} error: {}", self.kind.message())?;
        if self.depth_exceeded {
            f.write_str(". Parsing depth limit exceeded")?;
        }
        Ok(())
    }
}

impl std::error::Error for JsonError {}

/// Parses a JSON body and passes each scalar to `sink.arg` (see the module
/// docs for names and values).
///
/// # Errors
/// A [`JsonError`] when the body is not JSON as yajl accepts it, or when
/// `limits.json_depth` or `limits.max_args` stopped the parse.
pub fn parse_json(body: &[u8], limits: &Limits, sink: &mut impl BodySink) -> Result<(), JsonError> {
    if body.is_empty() {
        return Ok(());
    }
    Parser::new(body, limits).run(sink)
}

/// A token; strings and numbers as ranges of the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    /// The input ended inside or before a token.
    Eof,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Comma,
    Colon,
    /// Contents between the quotes; `escapes`: holds a backslash.
    Str { start: usize, end: usize, escapes: bool },
    Number { start: usize, end: usize },
    True,
    False,
    Null,
}

/// yajl's parser states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum St {
    Start,
    Complete,
    MapStart,
    MapNeedKey,
    MapSep,
    MapNeedVal,
    MapGotVal,
    ArrStart,
    ArrNeedVal,
    ArrGotVal,
}

/// One open object or array, for argument names (v3's `JSONContainer`).
#[derive(Clone, Copy, Debug)]
struct Container {
    is_array: bool,
    /// Path length before this container's part.
    base: usize,
    /// Path length after this container's name.
    name_end: usize,
    /// Array: index of the next element.
    counter: usize,
}

struct Parser<'a> {
    body: &'a [u8],
    max_args: usize,
    max_depth: usize,
    /// Next byte to lex; the input is `body` plus one virtual space (as
    /// yajl's `complete` feeds " ").
    pos: usize,
    states: Vec<St>,
    containers: Vec<Container>,
    /// Name prefix of the innermost container.
    path: Vec<u8>,
    /// v3's `m_current_key` (decoded).
    key: Vec<u8>,
    /// Decoded string values.
    scratch: Vec<u8>,
    args: usize,
    depth_exceeded: bool,
}

impl<'a> Parser<'a> {
    fn new(body: &'a [u8], limits: &Limits) -> Self {
        Parser {
            body,
            max_args: limits.max_args,
            max_depth: limits.json_depth,
            pos: 0,
            states: vec![St::Start],
            containers: Vec::new(),
            path: Vec::new(),
            key: Vec::new(),
            scratch: Vec::new(),
            args: 0,
            depth_exceeded: false,
        }
    }

    /// The byte at `i` of body + " ", or `None` past it.
    fn byte(&self, i: usize) -> Option<u8> {
        match self.body.get(i) {
            Some(&b) => Some(b),
            None if i == self.body.len() => Some(b' '),
            None => None,
        }
    }

    fn err(&self, kind: JsonErrorKind) -> JsonError {
        JsonError { kind, depth_exceeded: self.depth_exceeded, offset: self.pos.min(self.body.len()) }
    }

    fn top(&self) -> St {
        self.states.last().copied().unwrap_or(St::Complete)
    }

    fn set_top(&mut self, s: St) {
        if let Some(t) = self.states.last_mut() {
            *t = s;
        }
    }

    fn run(mut self, sink: &mut impl BodySink) -> Result<(), JsonError> {
        use JsonErrorKind as K;
        loop {
            match self.top() {
                St::Complete => {
                    return match self.lex() {
                        Ok(Tok::Eof) => Ok(()),
                        _ => Err(self.err(K::TrailingGarbage)),
                    };
                }
                st @ (St::Start | St::MapNeedVal | St::ArrNeedVal | St::ArrStart) => {
                    let tok = self.lex().map_err(|k| self.err(k))?;
                    let mut push = None;
                    match tok {
                        Tok::Eof => break,
                        Tok::Str { start, end, escapes } => {
                            let value = self.string_value(start, end, escapes);
                            self.add_argument(sink, value)?;
                        }
                        Tok::Number { start, end } => {
                            let body = self.body;
                            self.add_argument(sink, Value::Body(start, end.min(body.len())))?;
                        }
                        Tok::True => self.add_argument(sink, Value::Static(b"true"))?,
                        Tok::False => self.add_argument(sink, Value::Static(b"false"))?,
                        Tok::Null => self.add_argument(sink, Value::Static(b""))?,
                        Tok::LBrace => {
                            self.start_container(false)?;
                            push = Some(St::MapStart);
                        }
                        Tok::LBracket => {
                            self.start_container(true)?;
                            push = Some(St::ArrStart);
                        }
                        Tok::RBracket if st == St::ArrStart => {
                            self.end_container();
                            self.states.pop();
                            continue;
                        }
                        Tok::RBracket | Tok::RBrace | Tok::Comma | Tok::Colon => {
                            return Err(self.err(K::UnallowedToken));
                        }
                    }
                    self.set_top(match st {
                        St::Start => St::Complete,
                        St::MapNeedVal => St::MapGotVal,
                        _ => St::ArrGotVal,
                    });
                    if let Some(s) = push {
                        self.states.push(s);
                    }
                }
                st @ (St::MapStart | St::MapNeedKey) => match self.lex().map_err(|k| self.err(k))? {
                    Tok::Eof => break,
                    Tok::Str { start, end, escapes } => {
                        self.set_key(start, end, escapes);
                        self.set_top(St::MapSep);
                    }
                    Tok::RBrace if st == St::MapStart => {
                        self.end_container();
                        self.states.pop();
                    }
                    _ => return Err(self.err(K::InvalidObjectKey)),
                },
                St::MapSep => match self.lex().map_err(|k| self.err(k))? {
                    Tok::Colon => self.set_top(St::MapNeedVal),
                    Tok::Eof => break,
                    _ => return Err(self.err(K::ExpectColon)),
                },
                St::MapGotVal => match self.lex().map_err(|k| self.err(k))? {
                    Tok::RBrace => {
                        self.end_container();
                        self.states.pop();
                    }
                    Tok::Comma => self.set_top(St::MapNeedKey),
                    Tok::Eof => break,
                    _ => return Err(self.err(K::ExpectCommaOrBrace)),
                },
                St::ArrGotVal => match self.lex().map_err(|k| self.err(k))? {
                    Tok::RBracket => {
                        self.end_container();
                        self.states.pop();
                    }
                    Tok::Comma => self.set_top(St::ArrNeedVal),
                    Tok::Eof => break,
                    _ => return Err(self.err(K::ExpectCommaOrBracket)),
                },
            }
        }
        // The input (with its virtual space) is used up.
        if self.top() == St::Complete {
            Ok(())
        } else {
            Err(self.err(K::PrematureEof))
        }
    }

    // ---- v3's callbacks -------------------------------------------------

    /// v3's `getCurrentKey`: the name a value or container gets from the
    /// enclosing object (consuming the key), or `json` at the top level.
    fn take_key_into_path(&mut self) {
        match self.containers.last() {
            None => self.path.extend_from_slice(b"json"),
            Some(c) if self.key.is_empty() => {
                if !c.is_array {
                    self.path.extend_from_slice(b"empty-key");
                }
            }
            Some(_) => {
                self.path.extend_from_slice(&self.key);
                self.key.clear();
            }
        }
    }

    /// Rewrites the innermost array's `.array_N` suffix.
    fn write_array_suffix(&mut self) {
        if let Some(c) = self.containers.last() {
            if c.is_array {
                let (name_end, counter) = (c.name_end, c.counter);
                self.path.truncate(name_end);
                self.path.extend_from_slice(b".array_");
                push_decimal(&mut self.path, counter);
            }
        }
    }

    /// v3's `addArgument` for one scalar.
    fn add_argument(&mut self, sink: &mut impl BodySink, value: Value) -> Result<(), JsonError> {
        let in_array = self.containers.last().is_some_and(|c| c.is_array);
        let base = self.path.len();
        if !in_array {
            self.take_key_into_path();
        }
        if self.args >= self.max_args {
            self.path.truncate(base);
            return Err(self.err(JsonErrorKind::Cancelled));
        }
        self.args += 1;
        let value: &[u8] = match value {
            Value::Body(s, e) => self.body.get(s..e).unwrap_or_default(),
            Value::Scratch => &self.scratch,
            Value::Static(v) => v,
        };
        sink.arg(&self.path, value);
        self.path.truncate(base);
        if in_array {
            if let Some(c) = self.containers.last_mut() {
                c.counter += 1;
            }
            self.write_array_suffix();
        }
        Ok(())
    }

    /// v3's `yajl_start_map` / `yajl_start_array`.
    fn start_container(&mut self, is_array: bool) -> Result<(), JsonError> {
        let base = self.path.len();
        self.take_key_into_path();
        let name_end = self.path.len();
        self.containers.push(Container { is_array, base, name_end, counter: 0 });
        if is_array {
            self.write_array_suffix();
        } else {
            self.path.push(b'.');
        }
        if self.containers.len() > self.max_depth {
            self.depth_exceeded = true;
            return Err(self.err(JsonErrorKind::Cancelled));
        }
        Ok(())
    }

    /// v3's `yajl_end_map` / `yajl_end_array`.
    fn end_container(&mut self) {
        if let Some(c) = self.containers.pop() {
            self.path.truncate(c.base);
        }
        if let Some(parent) = self.containers.last_mut() {
            if parent.is_array {
                parent.counter += 1;
                self.write_array_suffix();
            }
        }
    }

    /// v3's `yajl_map_key`.
    fn set_key(&mut self, start: usize, end: usize, escapes: bool) {
        self.key.clear();
        let raw = self.body.get(start..end).unwrap_or_default();
        if escapes {
            decode_string(raw, &mut self.key);
        } else {
            self.key.extend_from_slice(raw);
        }
    }

    /// A string token's value: the body slice, or decoded into `scratch`.
    fn string_value(&mut self, start: usize, end: usize, escapes: bool) -> Value {
        if escapes {
            self.scratch.clear();
            decode_string(self.body.get(start..end).unwrap_or_default(), &mut self.scratch);
            Value::Scratch
        } else {
            Value::Body(start, end)
        }
    }

    // ---- the lexer (yajl_lex.c) ------------------------------------------

    /// The next token. `Err` is a lexical error.
    fn lex(&mut self) -> Result<Tok, JsonErrorKind> {
        use JsonErrorKind as K;
        loop {
            let Some(c) = self.byte(self.pos) else { return Ok(Tok::Eof) };
            self.pos += 1;
            return Ok(match c {
                b'{' => Tok::LBrace,
                b'}' => Tok::RBrace,
                b'[' => Tok::LBracket,
                b']' => Tok::RBracket,
                b',' => Tok::Comma,
                b':' => Tok::Colon,
                b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => continue,
                b't' => return self.literal(b"rue", Tok::True),
                b'f' => return self.literal(b"alse", Tok::False),
                b'n' => return self.literal(b"ull", Tok::Null),
                b'"' => return self.string(),
                b'-' | b'0'..=b'9' => {
                    self.pos -= 1;
                    return self.number();
                }
                b'/' => {
                    self.pos -= 1;
                    return Err(K::Comment);
                }
                _ => return Err(K::InvalidChar),
            });
        }
    }

    fn literal(&mut self, want: &[u8], tok: Tok) -> Result<Tok, JsonErrorKind> {
        for &w in want {
            let Some(c) = self.byte(self.pos) else { return Ok(Tok::Eof) };
            if c != w {
                return Err(JsonErrorKind::InvalidLiteral);
            }
            self.pos += 1;
        }
        Ok(tok)
    }

    /// After the opening quote.
    fn string(&mut self) -> Result<Tok, JsonErrorKind> {
        use JsonErrorKind as K;
        let start = self.pos;
        let mut escapes = false;
        loop {
            // Fast path over ordinary bytes.
            let rest = self.body.get(self.pos..).unwrap_or_default();
            let skip = rest.iter().position(|&b| b == b'"' || b == b'\\' || !(0x20..0x80).contains(&b));
            self.pos += skip.unwrap_or(rest.len());
            let Some(c) = self.byte(self.pos) else { return Ok(Tok::Eof) };
            self.pos += 1;
            match c {
                b'"' => return Ok(Tok::Str { start, end: self.pos - 1, escapes }),
                b'\\' => {
                    escapes = true;
                    let Some(e) = self.byte(self.pos) else { return Ok(Tok::Eof) };
                    self.pos += 1;
                    if e == b'u' {
                        for _ in 0..4 {
                            let Some(h) = self.byte(self.pos) else { return Ok(Tok::Eof) };
                            if !h.is_ascii_hexdigit() {
                                return Err(K::InvalidHexChar);
                            }
                            self.pos += 1;
                        }
                    } else if !matches!(e, b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') {
                        self.pos -= 1;
                        return Err(K::InvalidEscape);
                    }
                }
                0..=0x1f => {
                    self.pos -= 1;
                    return Err(K::InvalidStringChar);
                }
                0x80..=0xff => {
                    // yajl's lax UTF-8 check: bit patterns only.
                    let extra = if c >> 5 == 0x6 {
                        1
                    } else if c >> 4 == 0xe {
                        2
                    } else if c >> 3 == 0x1e {
                        3
                    } else {
                        return Err(K::InvalidUtf8);
                    };
                    for _ in 0..extra {
                        let Some(cc) = self.byte(self.pos) else { return Ok(Tok::Eof) };
                        self.pos += 1;
                        if cc >> 6 != 0x2 {
                            return Err(K::InvalidUtf8);
                        }
                    }
                }
                // The virtual trailing space, or a byte the fast path let
                // through: an ordinary character.
                _ => {}
            }
        }
    }

    /// At the first character of a number.
    fn number(&mut self) -> Result<Tok, JsonErrorKind> {
        use JsonErrorKind as K;
        let start = self.pos;
        let next = |p: &mut Self| -> Option<u8> {
            let c = p.byte(p.pos)?;
            p.pos += 1;
            Some(c)
        };
        let Some(mut c) = next(self) else { return Ok(Tok::Eof) };
        if c == b'-' {
            let Some(n) = next(self) else { return Ok(Tok::Eof) };
            c = n;
        }
        if c == b'0' {
            let Some(n) = next(self) else { return Ok(Tok::Eof) };
            c = n;
        } else if c.is_ascii_digit() {
            loop {
                let Some(n) = next(self) else { return Ok(Tok::Eof) };
                c = n;
                if !c.is_ascii_digit() {
                    break;
                }
            }
        } else {
            self.pos -= 1;
            return Err(K::MissingMinusDigit);
        }
        if c == b'.' {
            let mut digits = 0;
            loop {
                let Some(n) = next(self) else { return Ok(Tok::Eof) };
                c = n;
                if !c.is_ascii_digit() {
                    break;
                }
                digits += 1;
            }
            if digits == 0 {
                self.pos -= 1;
                return Err(K::MissingDecimalDigit);
            }
        }
        if c == b'e' || c == b'E' {
            let Some(n) = next(self) else { return Ok(Tok::Eof) };
            c = n;
            if c == b'+' || c == b'-' {
                let Some(n) = next(self) else { return Ok(Tok::Eof) };
                c = n;
            }
            if c.is_ascii_digit() {
                loop {
                    let Some(n) = next(self) else { return Ok(Tok::Eof) };
                    c = n;
                    if !c.is_ascii_digit() {
                        break;
                    }
                }
            } else {
                self.pos -= 1;
                return Err(K::MissingExponentDigit);
            }
        }
        // One character too far, as yajl.
        self.pos -= 1;
        Ok(Tok::Number { start, end: self.pos })
    }
}

/// Where an argument value lives.
enum Value {
    Body(usize, usize),
    Scratch,
    Static(&'static [u8]),
}

/// Appends `n` in decimal.
fn push_decimal(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        if let Some(d) = digits.get_mut(i) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(i..).unwrap_or_default());
}

/// yajl's `yajl_string_decode` on a lexed string (escapes known valid),
/// as patched by distributions for CVE-2017-16516: a high surrogate not
/// followed by `\u` becomes `?`. A high surrogate followed by any `\uXXXX`
/// is combined with it by yajl's formula, valid low surrogate or not; a
/// lone low surrogate is encoded as three bytes; `\u0000` is a NUL byte.
fn decode_string(s: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if c != b'\\' {
            let run = s.get(i..).and_then(|r| memchr::memchr(b'\\', r)).unwrap_or(s.len() - i);
            out.extend_from_slice(s.get(i..i + run).unwrap_or_default());
            i += run;
            continue;
        }
        let e = s.get(i + 1).copied().unwrap_or(0);
        i += 2;
        let simple = match e {
            b'r' => Some(b'\r'),
            b'n' => Some(b'\n'),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'"' => Some(b'"'),
            b'f' => Some(0x0c),
            b'b' => Some(0x08),
            b't' => Some(b'\t'),
            _ => None,
        };
        if let Some(b) = simple {
            out.push(b);
            continue;
        }
        // `\uXXXX`
        let mut cp = hex4(s.get(i..i + 4).unwrap_or_default());
        i += 4;
        if cp & 0xfc00 == 0xd800 {
            if s.get(i) == Some(&b'\\') && s.get(i + 1) == Some(&b'u') {
                let low = hex4(s.get(i + 2..i + 6).unwrap_or_default());
                cp = ((cp & 0x3f) << 10) | ((((cp >> 6) & 0xf) + 1) << 16) | (low & 0x3ff);
                i += 6;
            } else {
                out.push(b'?');
                continue;
            }
        }
        push_utf8(out, cp);
    }
}

/// Four hex digits (validated by the lexer) as a number.
fn hex4(h: &[u8]) -> u32 {
    h.iter().fold(0, |acc, &c| {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => 0,
        };
        acc << 4 | u32::from(d)
    })
}

/// yajl's `Utf32toUtf8` (no checks for surrogates).
fn push_utf8(out: &mut Vec<u8>, cp: u32) {
    if cp < 0x80 {
        out.push(cp as u8);
    } else if cp < 0x800 {
        out.extend_from_slice(&[(cp >> 6) as u8 | 0xc0, (cp & 0x3f) as u8 | 0x80]);
    } else if cp < 0x10000 {
        out.extend_from_slice(&[(cp >> 12) as u8 | 0xe0, ((cp >> 6) & 0x3f) as u8 | 0x80, (cp & 0x3f) as u8 | 0x80]);
    } else if cp < 0x200000 {
        out.extend_from_slice(&[
            (cp >> 18) as u8 | 0xf0,
            ((cp >> 12) & 0x3f) as u8 | 0x80,
            ((cp >> 6) & 0x3f) as u8 | 0x80,
            (cp & 0x3f) as u8 | 0x80,
        ]);
    } else {
        out.push(b'?');
    }
}
