//! `hexEncode`, `hexDecode` and `sqlHexDecode`.

use std::borrow::Cow;

use super::util::{byte_at, finish_owned, is_hex, x2c, x2c_at, Lazy, HEX_LOWER};

/// `t:hexEncode`: each byte as two lowercase hex digits.
pub(super) fn hex_encode(input: &[u8]) -> Cow<'_, [u8]> {
    if input.is_empty() {
        return Cow::Borrowed(input);
    }
    let mut out = Vec::with_capacity(input.len().saturating_mul(2));
    for &b in input {
        out.extend_from_slice(&[
            HEX_LOWER[usize::from(b >> 4)],
            HEX_LOWER[usize::from(b & 0x0f)],
        ]);
    }
    Cow::Owned(out)
}

/// `t:hexDecode`: each pair of bytes through ModSecurity's unchecked `x2c`.
///
/// No validation, as in ModSecurity: non-hex bytes decode to whatever the
/// digit arithmetic gives (`zz` decodes to 0x53), and an odd last
/// byte is dropped. A 1-byte input makes ModSecurity read past its buffer
/// (undefined behaviour); we return the empty string, consistent with the
/// odd-byte rule. Coraza instead fails the transformation on invalid hex.
pub(super) fn hex_decode(input: &[u8]) -> Cow<'_, [u8]> {
    if input.is_empty() {
        return Cow::Borrowed(input);
    }
    let out: Vec<u8> = input
        .chunks_exact(2)
        .map(|p| x2c(byte_at(p, 0), byte_at(p, 1)))
        .collect();
    finish_owned(input, out)
}

/// `t:sqlHexDecode`: each `0x`/`0X` followed by at least two hex digits is
/// replaced by the bytes of its complete digit pairs (an odd last digit
/// stays as is, so `0x414` gives `A4`). Other text is unchanged.
pub(super) fn sql_hex_decode(input: &[u8]) -> Cow<'_, [u8]> {
    let len = input.len();
    let mut out = Lazy::new(input);
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'0', input.get(i..).unwrap_or(&[])) {
        i += off;
        if i + 3 < len
            && matches!(byte_at(input, i + 1), b'x' | b'X')
            && is_hex(byte_at(input, i + 2))
            && is_hex(byte_at(input, i + 3))
        {
            let start = i + 2;
            let mut end = start + 2;
            while end + 1 < len && is_hex(byte_at(input, end)) && is_hex(byte_at(input, end + 1)) {
                end += 2;
            }
            out.delete(i, end);
            for k in (start..end).step_by(2) {
                out.push(x2c_at(input, k));
            }
            i = end;
        } else {
            i += 1;
        }
    }
    out.finish()
}
