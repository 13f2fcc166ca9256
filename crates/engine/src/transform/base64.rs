//! `base64Decode`, `base64DecodeExt` and `base64Encode`.

use std::borrow::Cow;

use memchr::memchr;

use super::util::finish_owned;

/// Standard base64 alphabet.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Value of a standard-alphabet base64 digit.
#[inline]
fn digit(b: u8) -> Option<u32> {
    match b {
        b'A'..=b'Z' => Some(u32::from(b - b'A')),
        b'a'..=b'z' => Some(u32::from(b - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(b - b'0') + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// `t:base64Encode` (mbedTLS `mbedtls_base64_encode`): standard alphabet,
/// `=` padding, no line breaks.
pub(super) fn encode(input: &[u8]) -> Cow<'_, [u8]> {
    if input.is_empty() {
        return Cow::Borrowed(input);
    }
    let sym = |v: u32| ALPHABET[(v & 0x3f) as usize];
    let mut out = Vec::with_capacity(input.len().div_ceil(3).saturating_mul(4));
    for chunk in input.chunks(3) {
        let b0 = u32::from(chunk.first().copied().unwrap_or(0));
        let b1 = u32::from(chunk.get(1).copied().unwrap_or(0));
        let b2 = u32::from(chunk.get(2).copied().unwrap_or(0));
        let n = (b0 << 16) | (b1 << 8) | b2;
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        out.push(if chunk.len() > 1 { sym(n >> 6) } else { b'=' });
        out.push(if chunk.len() > 2 { sym(n) } else { b'=' });
    }
    finish_owned(input, out)
}

/// `t:base64Decode`: ModSecurity passes the value (up to its first NUL
/// byte) to mbedTLS 3.6 `mbedtls_base64_decode`, which is strict:
///
/// - Any byte outside the alphabet, a space inside a line (spaces are only
///   allowed right before a line break or at the end), a data byte after
///   `=`, or more than two `=` makes the whole input invalid, and the
///   result is the empty string.
/// - `\n` and `\r\n` line breaks are skipped (a lone `\r` is invalid).
/// - Only complete groups of four symbols produce output; a trailing
///   partial group is dropped silently (`QUJDRA` gives `ABC`).
///
/// Coraza instead stops at the first invalid byte and decodes partial
/// groups; we follow ModSecurity.
pub(super) fn decode(input: &[u8]) -> Cow<'_, [u8]> {
    if input.is_empty() {
        return Cow::Borrowed(input);
    }
    let src = match memchr(0, input) {
        Some(nul) => input.get(..nul).unwrap_or(&[]),
        None => input,
    };
    match strict_decode(src) {
        Some(out) => finish_owned(input, out),
        None => Cow::Owned(Vec::new()),
    }
}

/// mbedTLS's validation pass followed by its decoding pass; `None` when the
/// input is invalid.
fn strict_decode(src: &[u8]) -> Option<Vec<u8>> {
    let len = src.len();
    // Validation.
    let mut equals = 0u32;
    let mut symbols = 0usize;
    let mut i = 0;
    while i < len {
        let mut spaces = false;
        while src.get(i) == Some(&b' ') {
            i += 1;
            spaces = true;
        }
        let Some(&b) = src.get(i) else {
            break; // spaces at the end are fine
        };
        if (b == b'\r' && src.get(i + 1) == Some(&b'\n')) || b == b'\n' {
            i += 1;
            continue;
        }
        if spaces {
            return None;
        }
        if b == b'=' {
            equals += 1;
            if equals > 2 {
                return None;
            }
        } else if equals != 0 || digit(b).is_none() {
            return None;
        }
        symbols += 1;
        i += 1;
    }
    if symbols == 0 {
        return Some(Vec::new());
    }

    // Decoding: only complete groups of four symbols are written.
    let mut out = Vec::with_capacity(symbols / 4 * 3);
    let (mut acc, mut count, mut pads) = (0u32, 0u32, 0u32);
    for &b in src {
        if matches!(b, b'\r' | b'\n' | b' ') {
            continue;
        }
        acc <<= 6;
        if b == b'=' {
            pads += 1;
        } else {
            acc |= digit(b).unwrap_or(0);
        }
        count += 1;
        if count == 4 {
            count = 0;
            out.push((acc >> 16) as u8);
            if pads <= 1 {
                out.push((acc >> 8) as u8);
            }
            if pads == 0 {
                out.push(acc as u8);
            }
        }
    }
    Some(out)
}

/// `t:base64DecodeExt` (ModSecurity `decode_forgiven_engine`).
///
/// Bytes outside the alphabet (including base64url's `-` and `_`) are
/// skipped and the symbols that remain are decoded, partial groups
/// included. The whole result is empty when:
/// - an `=` is not followed by another `=` (or is last) while the number of
///   symbols decoded so far is 1 mod 4, or
/// - the input's last byte is `=` or `9` and the symbol count is 1 mod 4
///   (ModSecurity compares the last symbol's *value*, 61, with `'='`, which
///   is also 61, so a final `9` acts like padding).
///
/// Coraza maps `-`/`_` to `+`/`/`, skips `.` and stops at `=`; we follow
/// ModSecurity.
pub(super) fn decode_ext(input: &[u8]) -> Cow<'_, [u8]> {
    if input.is_empty() {
        return Cow::Borrowed(input);
    }
    let mut out = Vec::with_capacity(input.len() / 4 * 3 + 3);
    let (mut acc, mut symbols) = (0u32, 0usize);
    for (i, &b) in input.iter().enumerate() {
        if b == b'=' {
            let next = input.get(i + 1).copied().unwrap_or(0);
            if next != b'=' && symbols % 4 == 1 {
                return Cow::Owned(Vec::new());
            }
            continue;
        }
        let Some(v) = digit(b) else {
            continue;
        };
        acc = (acc << 6) | v;
        symbols += 1;
        // Emit each byte as soon as its 8 bits are complete.
        match symbols % 4 {
            2 => out.push((acc >> 4) as u8),
            3 => out.push((acc >> 2) as u8),
            0 => out.push(acc as u8),
            _ => {}
        }
    }
    if matches!(input.last(), Some(b'=' | b'9')) && symbols % 4 == 1 {
        return Cow::Owned(Vec::new());
    }
    finish_owned(input, out)
}
