//! Case changes, `cmdLine`, `length` and the parity transformations.

use std::borrow::Cow;

use super::util::finish_owned;

/// `t:lowercase`: ASCII `A-Z` to `a-z`; other bytes (including >= 0x80,
/// as `tolower` in the "C" locale) are unchanged.
pub(super) fn lowercase(input: &[u8]) -> Cow<'_, [u8]> {
    match input.iter().position(u8::is_ascii_uppercase) {
        None => Cow::Borrowed(input),
        Some(first) => {
            let mut out = input.to_vec();
            if let Some(rest) = out.get_mut(first..) {
                rest.make_ascii_lowercase();
            }
            Cow::Owned(out)
        }
    }
}

/// `t:uppercase`: ASCII `a-z` to `A-Z`; other bytes unchanged.
pub(super) fn uppercase(input: &[u8]) -> Cow<'_, [u8]> {
    match input.iter().position(u8::is_ascii_lowercase) {
        None => Cow::Borrowed(input),
        Some(first) => {
            let mut out = input.to_vec();
            if let Some(rest) = out.get_mut(first..) {
                rest.make_ascii_uppercase();
            }
            Cow::Owned(out)
        }
    }
}

/// `cmdLine` byte class: never changes on its own.
const CMD_PLAIN: u8 = 0;
/// `cmdLine` byte class: a literal space, which changes only after another.
const CMD_SPACE: u8 = 1;
/// `cmdLine` byte class: `/` or `(`, which changes only after a space.
const CMD_SLASH: u8 = 2;
/// `cmdLine` byte class: always changes (removed, other delimiters, `A-Z`).
const CMD_CHANGE: u8 = 3;

/// Class of every byte, for [`cmd_line`]'s "does anything change" scan.
const CMD_CLASS: [u8; 256] = {
    let mut t = [CMD_PLAIN; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c == b' ' {
            CMD_SPACE
        } else if c == b'/' || c == b'(' {
            CMD_SLASH
        } else if cmd_removed(c) || cmd_space(c) || c.is_ascii_uppercase() {
            CMD_CHANGE
        } else {
            CMD_PLAIN
        };
        b += 1;
    }
    t
};

/// Bytes `cmdLine` deletes.
#[inline]
const fn cmd_removed(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b'\\' | b'^')
}

/// Bytes `cmdLine` turns into a (single) space. Not `\v` or `\f`.
#[inline]
const fn cmd_space(b: u8) -> bool {
    matches!(b, b' ' | b',' | b';' | b'\t' | b'\r' | b'\n')
}

/// `t:cmdLine`, ModSecurity's rules in order of precedence:
///
/// - delete `"`, `'`, `\` and `^` (they do not end a run of spaces, so
///   `a "  b` gives `a b`);
/// - turn each run of ` ` `,` `;` `\t` `\r` `\n` into one space;
/// - delete a space right before `/` or `(`;
/// - lowercase ASCII letters (bytes >= 0x80 are unchanged).
///
/// Leading and trailing spaces are kept.
pub(super) fn cmd_line(input: &[u8]) -> Cow<'_, [u8]> {
    // Without removed bytes, "in a space run" just means "the previous byte
    // was a space", so the first byte that changes is easy to find.
    let mut prev_space = false;
    let mut first = None;
    for (i, &b) in input.iter().enumerate() {
        let class = CMD_CLASS[usize::from(b)];
        let changes = match class {
            CMD_PLAIN => false,
            CMD_SPACE | CMD_SLASH => prev_space,
            _ => true,
        };
        if changes {
            first = Some(i);
            break;
        }
        prev_space = class == CMD_SPACE;
    }
    let Some(first) = first else {
        return Cow::Borrowed(input);
    };

    // Compact in place on a copy; `d` is the write index.
    let mut buf = input.to_vec();
    let mut d = first;
    let mut space = first > 0 && input.get(first - 1) == Some(&b' ');
    for s in first..input.len() {
        let a = input.get(s).copied().unwrap_or(0);
        let w = if cmd_removed(a) {
            None
        } else if cmd_space(a) {
            if space {
                None
            } else {
                space = true;
                Some(b' ')
            }
        } else if a == b'/' || a == b'(' {
            if space {
                d = d.saturating_sub(1); // drop the space just written
            }
            space = false;
            Some(a)
        } else {
            space = false;
            Some(a.to_ascii_lowercase())
        };
        if let Some(w) = w {
            if let Some(slot) = buf.get_mut(d) {
                *slot = w;
            }
            d += 1;
        }
    }
    buf.truncate(d);
    finish_owned(input, buf)
}

/// `t:length`: the byte length as decimal ASCII.
pub(super) fn length(input: &[u8]) -> Cow<'_, [u8]> {
    finish_owned(input, input.len().to_string().into_bytes())
}

/// Shared body of the even/odd parity transformations.
///
/// Like ModSecurity, the parity is computed over all 8 bits of the input
/// byte (not just the low 7), then bit 7 is set or cleared: for `even`,
/// bytes with an odd number of set bits get bit 7 set, the others get it
/// cleared (so 0x80 stays 0x80 and 0x81 becomes 0x01).
fn parity(input: &[u8], even: bool) -> Cow<'_, [u8]> {
    let map = |b: u8| {
        let odd_bits = b.count_ones() % 2 == 1;
        if odd_bits == even {
            b | 0x80
        } else {
            b & 0x7f
        }
    };
    if input.iter().all(|&b| map(b) == b) {
        return Cow::Borrowed(input);
    }
    Cow::Owned(input.iter().map(|&b| map(b)).collect())
}

/// `t:parityEven7bit`.
pub(super) fn parity_even(input: &[u8]) -> Cow<'_, [u8]> {
    parity(input, true)
}

/// `t:parityOdd7bit`.
pub(super) fn parity_odd(input: &[u8]) -> Cow<'_, [u8]> {
    parity(input, false)
}

/// `t:parityZero7bit`: clears bit 7 of every byte.
pub(super) fn parity_zero(input: &[u8]) -> Cow<'_, [u8]> {
    if input.is_ascii() {
        return Cow::Borrowed(input);
    }
    Cow::Owned(input.iter().map(|&b| b & 0x7f).collect())
}
