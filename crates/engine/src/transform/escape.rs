//! `escapeSeqDecode`.

use std::borrow::Cow;

use memchr::memchr;

use super::js::{is_odigit, octal_run, octal_value};
use super::util::{byte_at, is_hex, x2c_at, Lazy};

/// `t:escapeSeqDecode` (ANSI C escapes).
///
/// - `\a \b \f \n \r \t \v \\ \? \' \"`: the character.
/// - `\xHH` / `\XHH`: the byte; an incomplete `\x` becomes `x`.
/// - `\O` to `\OOO`: octal, truncated to a byte (`\777` is 0xFF; unlike
///   `jsDecode` a leading 4-7 still takes three digits).
/// - `\C` for any other `C`: the backslash is dropped (ModSecurity's comment
///   says "copy raw bytes" but its code drops it).
/// - A trailing backslash is kept.
pub(super) fn escape_seq_decode(input: &[u8]) -> Cow<'_, [u8]> {
    let len = input.len();
    let mut out = Lazy::new(input);
    let mut i = 0;
    while let Some(off) = memchr(b'\\', input.get(i..).unwrap_or(&[])) {
        i += off;
        if i + 1 >= len {
            break; // trailing backslash: kept
        }
        let c = byte_at(input, i + 1);
        let simple = match c {
            b'a' => Some(0x07),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(0x0b),
            b'\\' | b'?' | b'\'' | b'"' => Some(c),
            _ => None,
        };
        let (byte, end) = if let Some(b) = simple {
            (b, i + 2)
        } else if (c == b'x' || c == b'X')
            && i + 3 < len
            && is_hex(byte_at(input, i + 2))
            && is_hex(byte_at(input, i + 3))
        {
            (x2c_at(input, i + 2), i + 4)
        } else if is_odigit(c) {
            let n = octal_run(input, i + 1);
            ((octal_value(input, i + 1, n) & 0xff) as u8, i + 1 + n)
        } else {
            (c, i + 2)
        };
        out.replace_byte(i, end, byte);
        i = end;
    }
    out.finish()
}
