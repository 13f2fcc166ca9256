//! `application/x-www-form-urlencoded` bodies and query strings.
//!
//! Follows v3's `Transaction::extractArguments` + `addArgument`: split on the
//! separator (`SecArgumentSeparator`, `&` by default) the way `std::getline`
//! does (empty pieces in the middle are kept and become arguments with an
//! empty name and value; a trailing separator adds nothing), split each piece
//! at its first `=` (no `=`: the whole piece is the name, the value is
//! empty), then decode both halves with [`url_decode_nonstrict`].

use super::{BodySink, Limits};

/// What the urlencoded processor saw besides the arguments it passed on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UrlencodedOutcome {
    /// `URLENCODED_ERROR`: a name or value held a `%` not followed by two
    /// hex digits. Skipped arguments (over the limit) still count, as in v3.
    ///
    /// v3 versions differ: up to 3.0.12 (and v2) names and values count;
    /// since the 3.0.13 decoder rewrite the counter is reset per call, so an
    /// invalid escape in a name alone is no longer flagged. This follows the
    /// older, stricter behaviour.
    pub invalid_encoding: bool,
    /// `SecArgumentsLimit` was reached and at least one argument was skipped.
    pub limit_reached: bool,
    /// How many arguments were passed to the sink.
    pub args: usize,
}

/// Parses a urlencoded body (or query string) with `&` as the separator and
/// passes each argument to `sink.arg`.
pub fn parse_urlencoded(
    input: &[u8],
    limits: &Limits,
    sink: &mut impl BodySink,
) -> UrlencodedOutcome {
    parse_urlencoded_with_separator(input, b'&', limits, sink)
}

/// Like [`parse_urlencoded`] with another separator byte
/// (`SecArgumentSeparator`, whose first byte v3 uses).
pub fn parse_urlencoded_with_separator(
    input: &[u8],
    separator: u8,
    limits: &Limits,
    sink: &mut impl BodySink,
) -> UrlencodedOutcome {
    let mut out = UrlencodedOutcome::default();
    let mut name_buf = Vec::new();
    let mut value_buf = Vec::new();
    let mut rest = input;
    // `getline` semantics: a piece ends at a separator or at the end; the
    // loop stops when nothing is left, so "a&" yields one piece and "" none.
    while !rest.is_empty() {
        let piece = match memchr::memchr(separator, rest) {
            Some(i) => {
                let (piece, tail) = rest.split_at(i);
                rest = tail.get(1..).unwrap_or_default();
                piece
            }
            None => core::mem::take(&mut rest),
        };
        let (raw_name, raw_value) = match memchr::memchr(b'=', piece) {
            Some(i) => (piece.get(..i).unwrap_or_default(), piece.get(i + 1..).unwrap_or_default()),
            None => (piece, &b""[..]),
        };
        let (name, invalid_name) = decode_into(raw_name, &mut name_buf);
        let (value, invalid_value) = decode_into(raw_value, &mut value_buf);
        if invalid_name || invalid_value {
            out.invalid_encoding = true;
        }
        if out.args >= limits.max_args {
            out.limit_reached = true;
            continue;
        }
        out.args += 1;
        sink.arg(name, value);
    }
    out
}

/// Decodes `raw` into `buf` when it holds `%` or `+`, else borrows it.
/// Returns the decoded bytes and whether an invalid escape was seen.
fn decode_into<'a>(raw: &'a [u8], buf: &'a mut Vec<u8>) -> (&'a [u8], bool) {
    if memchr::memchr2(b'%', b'+', raw).is_none() {
        return (raw, false);
    }
    buf.clear();
    let invalid = url_decode_nonstrict(raw, buf);
    (buf.as_slice(), invalid > 0)
}

/// v3's `urldecode_nonstrict`: `+` becomes a space, `%XX` (two hex digits,
/// either case) becomes the byte, and any other `%` is kept as is. Appends
/// the result to `out` and returns how many invalid escapes were kept.
pub fn url_decode_nonstrict(input: &[u8], out: &mut Vec<u8>) -> usize {
    out.reserve(input.len());
    let mut invalid = 0;
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        match b {
            b'%' => match (input.get(i + 1).and_then(|&c| hex(c)), input.get(i + 2).and_then(|&c| hex(c))) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    invalid += 1;
                    i += 1;
                }
            },
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    invalid
}

/// The value of one hex digit.
fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}
