//! `jsDecode`.

use std::borrow::Cow;

use memchr::memchr;

use super::util::{byte_at, is_hex, x2c_at, Lazy};

/// True for an octal digit (`ISODIGIT`).
#[inline]
pub(super) fn is_odigit(b: u8) -> bool {
    (b'0'..=b'7').contains(&b)
}

/// Value of the octal digits `input[from..from + n]` (n <= 3; fits in u16).
#[inline]
pub(super) fn octal_value(input: &[u8], from: usize, n: usize) -> u16 {
    (0..n).fold(0u16, |acc, k| {
        acc * 8 + u16::from(byte_at(input, from + k).wrapping_sub(b'0'))
    })
}

/// Number of octal digits at `from`, at most 3.
#[inline]
pub(super) fn octal_run(input: &[u8], from: usize) -> usize {
    (0..3)
        .take_while(|&k| is_odigit(byte_at(input, from + k)))
        .count()
}

/// The byte a `\uHHHH` escape at `i` (the backslash) decodes to: the low
/// byte, with full-width ASCII `FF01`-`FF5E` shifted down by 0x20 bytes.
#[inline]
pub(super) fn u_escape_byte(input: &[u8], i: usize) -> u8 {
    let low = x2c_at(input, i + 4);
    let full_width = matches!(byte_at(input, i + 2), b'f' | b'F')
        && matches!(byte_at(input, i + 3), b'f' | b'F');
    if full_width && low > 0x00 && low < 0x5f {
        low + 0x20
    } else {
        low
    }
}

/// `t:jsDecode`.
///
/// - `\uHHHH` (lowercase `u` only): the low byte, full-width ASCII mapped
///   to ASCII; the high byte is otherwise discarded.
/// - `\xHH` (lowercase `x` only): the byte.
/// - `\O`, `\OO`, `\OOO`: octal; a third digit is only taken if the first
///   is 0-3 (so the value fits in a byte: `\400` is `\40` then `0`).
/// - `\a \b \f \n \r \t \v`: the control character; any other `\C`
///   (including an invalid `\u` or `\x`) becomes `C`.
/// - A trailing backslash is kept.
pub(super) fn js_decode(input: &[u8]) -> Cow<'_, [u8]> {
    let len = input.len();
    let mut out = Lazy::new(input);
    let mut i = 0;
    while let Some(off) = memchr(b'\\', input.get(i..).unwrap_or(&[])) {
        i += off;
        let c = byte_at(input, i + 1);
        if i + 5 < len && c == b'u' && (2..=5).all(|k| is_hex(byte_at(input, i + k))) {
            out.replace_byte(i, i + 6, u_escape_byte(input, i));
            i += 6;
        } else if i + 3 < len
            && c == b'x'
            && is_hex(byte_at(input, i + 2))
            && is_hex(byte_at(input, i + 3))
        {
            out.replace_byte(i, i + 4, x2c_at(input, i + 2));
            i += 4;
        } else if i + 1 < len && is_odigit(c) {
            let mut n = octal_run(input, i + 1);
            if n == 3 && c > b'3' {
                n = 2;
            }
            let value = octal_value(input, i + 1, n);
            out.replace_byte(i, i + 1 + n, (value & 0xff) as u8);
            i += 1 + n;
        } else if i + 1 < len {
            let b = match c {
                b'a' => 0x07,
                b'b' => 0x08,
                b'f' => 0x0c,
                b'n' => b'\n',
                b'r' => b'\r',
                b't' => b'\t',
                b'v' => 0x0b,
                other => other,
            };
            out.replace_byte(i, i + 2, b);
            i += 2;
        } else {
            break; // trailing backslash: kept
        }
    }
    out.finish()
}
