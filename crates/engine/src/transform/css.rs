//! `cssDecode`.

use std::borrow::Cow;

use memchr::memchr;

use super::util::{byte_at, is_c_space, is_hex, x2c_at, xsingle2c, Lazy};

/// `t:cssDecode` (CSS 2.1 escapes). Returns the value and ModSecurity's
/// "changed" flag.
///
/// - `\` + 1 to 6 hex digits: one byte, built from the last two digits (or
///   the only one). Full-width ASCII (`FF01`-`FF5E`, also as `0FFxx` and
///   `00FFxx`) maps to ASCII by adding 0x20. One whitespace byte after the
///   escape is swallowed.
/// - `\` + newline: both removed.
/// - `\` + any other byte: the backslash is dropped and the byte kept as is
///   (not re-examined, so `\\41` stays `\41`). ModSecurity does not count
///   this as a change.
/// - A trailing `\` is removed.
///
/// Coraza instead emits the whole code point as UTF-8 (`\e9` gives two
/// bytes); ModSecurity keeps one byte, which we follow.
pub(super) fn css_decode(input: &[u8]) -> (Cow<'_, [u8]>, bool) {
    let len = input.len();
    let mut out = Lazy::new(input);
    let mut changed = false;
    let mut i = 0;
    while let Some(off) = memchr(b'\\', input.get(i..).unwrap_or(&[])) {
        i += off;
        let p = i + 1; // first byte after the backslash
        if p >= len {
            out.delete(i, p);
            changed = true;
            break;
        }
        let j = (0..6)
            .take_while(|&k| is_hex(byte_at(input, p + k)))
            .count();
        if j > 0 {
            // One digit: its value; otherwise the last two digits.
            let mut b = if j == 1 {
                xsingle2c(byte_at(input, p))
            } else {
                x2c_at(input, p + j - 2)
            };
            let full_check = match j {
                4 => true,
                5 => byte_at(input, p) == b'0',
                6 => byte_at(input, p) == b'0' && byte_at(input, p + 1) == b'0',
                _ => false,
            };
            if full_check
                && b > 0x00
                && b < 0x5f
                && matches!(byte_at(input, p + j - 3), b'f' | b'F')
                && matches!(byte_at(input, p + j - 4), b'f' | b'F')
            {
                b += 0x20;
            }
            let mut end = p + j;
            if end < len && is_c_space(byte_at(input, end)) {
                end += 1;
            }
            out.replace_byte(i, end, b);
            changed = true;
            i = end;
        } else if byte_at(input, p) == b'\n' {
            out.delete(i, p + 1);
            changed = true;
            i = p + 1;
        } else {
            // Drop the backslash; the next byte is copied without being
            // looked at again.
            out.delete(i, p);
            i = p + 1;
        }
    }
    (out.finish(), changed)
}
