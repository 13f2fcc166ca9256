//! Whitespace and NUL handling: `compressWhitespace`, `removeWhitespace`,
//! `trim`, `trimLeft`, `trimRight`, `removeNulls`, `replaceNulls`.
//!
//! "Whitespace" is C `isspace` in the "C" locale: space, `\t`, `\n`, `\v`,
//! `\f`, `\r` (never bytes >= 0x80, except where noted).

use std::borrow::Cow;

use memchr::{memchr, memchr_iter};

use super::util::{is_c_space, Lazy};

/// `t:compressWhitespace`: every run of whitespace becomes a single space.
///
/// Coraza also counts 0x85 and 0xA0 as whitespace; ModSecurity (and we) do
/// not.
pub(super) fn compress_whitespace(input: &[u8]) -> Cow<'_, [u8]> {
    // The first position where the output differs: a whitespace byte other
    // than ' ', or a whitespace byte right after another one.
    let first = input.iter().enumerate().position(|(i, &b)| {
        is_c_space(b) && (b != b' ' || (i > 0 && input.get(i - 1).is_some_and(|&p| is_c_space(p))))
    });
    let Some(mut first) = first else {
        return Cow::Borrowed(input);
    };
    // Back up to the start of the whitespace run containing `first`.
    while first > 0 && input.get(first - 1).is_some_and(|&b| is_c_space(b)) {
        first -= 1;
    }
    let mut out = Lazy::new(input);
    let mut i = first;
    let len = input.len();
    while i < len {
        let Some(off) = input
            .get(i..)
            .and_then(|rest| rest.iter().position(|&b| is_c_space(b)))
        else {
            break;
        };
        let start = i + off;
        let run = input.get(start..).map_or(0, |rest| {
            rest.iter().take_while(|&&b| is_c_space(b)).count()
        });
        let end = start + run;
        if run > 1 || input.get(start) != Some(&b' ') {
            out.replace_byte(start, end, b' ');
        }
        i = end;
    }
    out.finish()
}

/// Bytes `removeWhitespace` drops: C whitespace plus 0xA0 (NBSP) and 0xC2
/// (the lead byte of UTF-8 NBSP, removed on its own wherever it appears).
#[inline]
fn removable_space(b: u8) -> bool {
    REMOVABLE[usize::from(b)]
}

/// Lookup table for [`removable_space`].
const REMOVABLE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(
            b as u8,
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0xa0 | 0xc2
        );
        b += 1;
    }
    t
};

/// `t:removeWhitespace`.
///
/// Coraza removes Unicode whitespace (decoding UTF-8); ModSecurity removes
/// the bytes of [`removable_space`] only, which we follow.
pub(super) fn remove_whitespace(input: &[u8]) -> Cow<'_, [u8]> {
    let mut out = Lazy::new(input);
    for (i, _) in input
        .iter()
        .enumerate()
        .filter(|(_, &b)| removable_space(b))
    {
        out.delete(i, i + 1);
    }
    out.finish()
}

/// `t:removeNulls`: removes every NUL byte.
pub(super) fn remove_nulls(input: &[u8]) -> Cow<'_, [u8]> {
    let mut out = Lazy::new(input);
    for i in memchr_iter(0, input) {
        out.delete(i, i + 1);
    }
    out.finish()
}

/// `t:replaceNulls`: every NUL byte becomes a space.
pub(super) fn replace_nulls(input: &[u8]) -> Cow<'_, [u8]> {
    if memchr(0, input).is_none() {
        return Cow::Borrowed(input);
    }
    let mut out = input.to_vec();
    for b in out.iter_mut().filter(|b| **b == 0) {
        *b = b' ';
    }
    Cow::Owned(out)
}

/// Index of the first non-whitespace byte (input length if none).
#[inline]
fn left_end(input: &[u8]) -> usize {
    input
        .iter()
        .position(|&b| !is_c_space(b))
        .unwrap_or(input.len())
}

/// One past the last non-whitespace byte (0 if none).
#[inline]
fn right_start(input: &[u8]) -> usize {
    input
        .iter()
        .rposition(|&b| !is_c_space(b))
        .map_or(0, |p| p + 1)
}

/// `input[from..to]` as a `Cow`: borrowed when it is the whole input.
#[inline]
fn sub(input: &[u8], from: usize, to: usize) -> Cow<'_, [u8]> {
    if from == 0 && to == input.len() {
        Cow::Borrowed(input)
    } else {
        Cow::Owned(input.get(from..to).unwrap_or(&[]).to_vec())
    }
}

/// `t:trim`: removes leading and trailing whitespace.
pub(super) fn trim(input: &[u8]) -> Cow<'_, [u8]> {
    let to = right_start(input);
    let from = left_end(input).min(to);
    sub(input, from, to)
}

/// `t:trimLeft`: removes leading whitespace.
pub(super) fn trim_left(input: &[u8]) -> Cow<'_, [u8]> {
    sub(input, left_end(input), input.len())
}

/// `t:trimRight`: removes trailing whitespace.
pub(super) fn trim_right(input: &[u8]) -> Cow<'_, [u8]> {
    sub(input, 0, right_start(input))
}
