//! `utf8toUnicode`.

use std::borrow::Cow;

use super::util::{byte_at, finish_owned, HEX_LOWER};

/// Is `b` a UTF-8 continuation byte (`10xxxxxx`)?
#[inline]
fn is_cont(b: u8) -> bool {
    b & 0xc0 == 0x80
}

/// Append `%u` and `cp` in lowercase hex, at least four digits.
fn push_escape(out: &mut Vec<u8>, cp: u32) {
    out.extend_from_slice(b"%u");
    let digits = (32 - cp.leading_zeros()).div_ceil(4).max(4);
    for k in (0..digits).rev() {
        out.push(HEX_LOWER[((cp >> (4 * k)) & 0xf) as usize]);
    }
}

/// `t:utf8toUnicode`. Returns the value and ModSecurity's "changed" flag
/// (set only when a multi-byte sequence was encoded).
///
/// Each well-formed 2-, 3- or 4-byte sequence becomes `%uHHHH` (lowercase,
/// at least 4 digits, more for code points above U+FFFF). ASCII is copied,
/// `%` included. ModSecurity's handling of everything else, reproduced here:
/// - A lead byte `C0-F7` whose sequence is truncated or has a bad
///   continuation byte is *dropped* (the following bytes are then examined
///   on their own). When the whole input is shorter than the sequence
///   length the same happens.
/// - Lead bytes `F5-F7` are also copied before their sequence is examined.
/// - Stray continuation bytes `80-BF` and `F8-FF` are copied unchanged.
/// - Overlong forms and surrogates (U+D800-U+DFFF) are encoded, then the
///   lead byte is appended once for each of the two faults.
/// - A NUL byte is dropped unless it is the last byte of the input.
///
/// Coraza decodes with Go's UTF-8 decoder instead (invalid bytes become
/// `%ufffd`); we follow ModSecurity.
pub(super) fn utf8_to_unicode(input: &[u8]) -> (Cow<'_, [u8]>, bool) {
    let len = input.len();
    // Fast path: pure ASCII without a NUL before the last byte is unchanged.
    let body = input.get(..len.saturating_sub(1)).unwrap_or(&[]);
    if input.is_ascii() && memchr::memchr(0, body).is_none() {
        return (Cow::Borrowed(input), false);
    }
    let first = input
        .iter()
        .enumerate()
        .position(|(i, &b)| b >= 0x80 || (b == 0 && i + 1 < len))
        .unwrap_or(len);
    let mut out = Vec::with_capacity(len.saturating_add(len / 2).saturating_add(8));
    out.extend_from_slice(input.get(..first).unwrap_or(&[]));
    let mut changed = false;
    let mut i = first;
    while i < len {
        let c = byte_at(input, i);
        if c < 0x80 {
            // Copy the ASCII run; a NUL that is not the last byte is dropped.
            let run = input
                .get(i..)
                .unwrap_or(&[])
                .iter()
                .position(|&b| b >= 0x80 || b == 0)
                .unwrap_or(len - i);
            if run > 0 {
                out.extend_from_slice(input.get(i..i + run).unwrap_or(&[]));
                i += run;
                continue;
            }
            if i + 1 == len {
                out.push(0);
            }
            i += 1;
            continue;
        }
        let n = match c {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf7 => 4,
            _ => {
                out.push(c); // stray continuation or F8-FF
                i += 1;
                continue;
            }
        };
        if c >= 0xf5 {
            out.push(c);
        }
        // ModSecurity compares the whole input length (not the bytes left)
        // with the sequence length, then reads on, with the C string's NUL
        // terminator failing the continuation test at the end.
        let valid = len >= n && (1..n).all(|k| is_cont(byte_at(input, i + k)));
        if !valid {
            i += 1; // lead byte dropped
            continue;
        }
        let cont = |k: usize| u32::from(byte_at(input, i + k) & 0x3f);
        let (cp, min) = match n {
            2 => ((u32::from(c & 0x1f) << 6) | cont(1), 0x80),
            3 => (
                (u32::from(c & 0x0f) << 12) | (cont(1) << 6) | cont(2),
                0x800,
            ),
            _ => (
                (u32::from(c & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
                0x10000,
            ),
        };
        push_escape(&mut out, cp);
        changed = true;
        if (0xd800..=0xdfff).contains(&cp) {
            out.push(c);
        }
        if cp < min {
            out.push(c);
        }
        i += n;
    }
    (finish_owned(input, out), changed)
}
