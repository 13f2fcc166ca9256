//! `urlDecode`, `urlDecodeUni` and `urlEncode`.

use std::borrow::Cow;

use memchr::memchr2;

use super::unicode_map::UnicodeMap;
use super::util::{byte_at, hex_val, is_hex, x2c_at, Lazy, HEX_LOWER};

/// Decode `%HH` at `i` (the `%`), if both digits are valid and present.
#[inline]
fn pct_hh(input: &[u8], i: usize) -> Option<u8> {
    // ModSecurity checks `i + 2 < len` first; `byte_at` returns NUL past the
    // end, which is not a hex digit, so one check covers both conditions.
    let hi = hex_val(byte_at(input, i + 1))?;
    let lo = hex_val(byte_at(input, i + 2))?;
    Some((hi << 4) | lo)
}

/// `t:urlDecode` (ModSecurity `urldecode_nonstrict_inplace`).
///
/// `+` becomes a space and valid `%HH` a byte. A `%` not followed by two hex
/// digits (including a truncated one at the end) is kept as it is, and the
/// bytes after it are decoded normally.
pub(super) fn url_decode(input: &[u8]) -> Cow<'_, [u8]> {
    let mut out = Lazy::new(input);
    let mut i = 0;
    while let Some(off) = memchr2(b'%', b'+', input.get(i..).unwrap_or(&[])) {
        i += off;
        if byte_at(input, i) == b'+' {
            out.replace_byte(i, i + 1, b' ');
            i += 1;
        } else if let Some(b) = pct_hh(input, i) {
            out.replace_byte(i, i + 3, b);
            i += 3;
        } else {
            i += 1;
        }
    }
    out.finish()
}

/// The code point `HHHH` of a valid `%uHHHH` at `i` (the `%`).
fn pct_u_code(input: &[u8], i: usize) -> u16 {
    (2..=5).fold(0u16, |acc, k| (acc << 4) | u16::from(hex_val(byte_at(input, i + k)).unwrap_or(0)))
}

/// The byte ModSecurity produces for a valid `%uHHHH` at `i` (the `%`).
fn pct_u_byte(input: &[u8], i: usize, map: Option<&UnicodeMap>) -> u8 {
    if let Some(map) = map {
        if let Some(b) = map.get(pct_u_code(input, i)) {
            return b;
        }
    }
    // No map (or no entry): keep the low byte, and shift the full-width
    // ASCII block FF01-FF5E down to 0x21-0x7E.
    let low = x2c_at(input, i + 4);
    let full_width = matches!(byte_at(input, i + 2), b'f' | b'F')
        && matches!(byte_at(input, i + 3), b'f' | b'F');
    if full_width && low > 0x00 && low < 0x5f {
        low + 0x20
    } else {
        low
    }
}

/// `t:urlDecodeUni`: `urlDecode` plus IIS-style `%uHHHH`.
///
/// `%uHHHH` becomes one byte: the map entry for `HHHH` if a unicode map is
/// loaded and has one, otherwise the low byte `HH` (0x20 added for
/// `%uFF01`-`%uFF5E`). An invalid or truncated `%u` is kept and decoding
/// resumes after the `u`. Coraza always applies a built-in best-fit table
/// (like ModSecurity with `SecUnicodeMapFile unicode.mapping 20127`); here
/// that only happens when the caller passes such a map.
pub(super) fn url_decode_uni<'a>(input: &'a [u8], map: Option<&UnicodeMap>) -> Cow<'a, [u8]> {
    url_decode_pct(input, PctU::Byte(map))
}

/// What a valid `%uHHHH` decodes to.
#[derive(Clone, Copy)]
pub(super) enum PctU<'m> {
    /// ModSecurity's `urlDecodeUni`: one byte, see [`pct_u_byte`].
    Byte(Option<&'m UnicodeMap>),
    /// The code point as UTF-8 (what a JavaScript `unescape` or a Unicode
    /// aware server makes of it), so `%u2215` is the division slash rules
    /// know, not the control byte 0x15. ASCII and the full-width ASCII
    /// block `FF01`-`FF5E` still become their ASCII byte, and a surrogate
    /// its low byte, as in `Byte(None)`. Never longer than the escape.
    Utf8,
}

/// `urlDecode` plus `%uHHHH` decoded as `pct_u` says.
pub(super) fn url_decode_pct<'a>(input: &'a [u8], pct_u: PctU<'_>) -> Cow<'a, [u8]> {
    let len = input.len();
    let mut out = Lazy::new(input);
    let mut i = 0;
    while let Some(off) = memchr2(b'%', b'+', input.get(i..).unwrap_or(&[])) {
        i += off;
        let next = byte_at(input, i + 1);
        if byte_at(input, i) == b'+' {
            out.replace_byte(i, i + 1, b' ');
            i += 1;
        } else if i + 1 < len && (next == b'u' || next == b'U') {
            if i + 5 < len && (2..=5).all(|k| is_hex(byte_at(input, i + k))) {
                match pct_u {
                    PctU::Byte(map) => out.replace_byte(i, i + 6, pct_u_byte(input, i, map)),
                    PctU::Utf8 => {
                        let code = u32::from(pct_u_code(input, i));
                        match char::from_u32(code) {
                            Some(c) if code >= 0x80 && !(0xff01..=0xff5e).contains(&code) => {
                                let mut buf = [0u8; 4];
                                out.replace(i, i + 6, c.encode_utf8(&mut buf).as_bytes());
                            }
                            _ => out.replace_byte(i, i + 6, pct_u_byte(input, i, None)),
                        }
                    }
                }
                i += 6;
            } else {
                // Invalid or truncated: "%u" is copied as is.
                i += 2;
            }
        } else if let Some(b) = pct_hh(input, i) {
            out.replace_byte(i, i + 3, b);
            i += 3;
        } else {
            i += 1;
        }
    }
    out.finish()
}

/// Bytes `urlEncode` leaves alone: `*` and ASCII letters and digits.
#[inline]
fn url_safe(b: u8) -> bool {
    b == b'*' || b.is_ascii_alphanumeric()
}

/// `t:urlEncode`: space becomes `+`, every byte other than `*` and ASCII
/// alphanumerics becomes `%hh` (lowercase hex).
pub(super) fn url_encode(input: &[u8]) -> Cow<'_, [u8]> {
    let mut out = Lazy::with_extra(input, input.len());
    for (i, &b) in input.iter().enumerate() {
        if url_safe(b) {
            continue;
        }
        if b == b' ' {
            out.replace_byte(i, i + 1, b'+');
        } else {
            let hex = [
                b'%',
                HEX_LOWER[usize::from(b >> 4)],
                HEX_LOWER[usize::from(b & 0x0f)],
            ];
            out.replace(i, i + 1, &hex);
        }
    }
    out.finish()
}
