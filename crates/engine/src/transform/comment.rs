//! Comment handling: `removeComments`, `removeCommentsChar`, `replaceComments`.

use std::borrow::Cow;

use memchr::memmem;

use super::util::{byte_at, slice, Lazy};

/// Does `input[i..]` start with `pat`?
#[inline]
fn starts(input: &[u8], i: usize, pat: &[u8]) -> bool {
    input.get(i..).is_some_and(|rest| rest.starts_with(pat))
}

/// `t:removeComments`, ported with ModSecurity's quirks:
///
/// - `/* ... */` and `<!-- ... -->` are removed; an unterminated comment
///   becomes one trailing space.
/// - `--` or `#` outside a comment ends the value there (the rest, and the
///   marker, are dropped; no space is added).
/// - The byte right after a closing `*/` or `-->` is copied without being
///   examined (so `/*a*//*b*/` gives `/*b*/`), and when the closer ends the
///   input that "byte" is the C string's NUL terminator: `a/*b*/` gives
///   `a` followed by a NUL byte.
///
/// Coraza's port matches, including the NUL.
pub(super) fn remove_comments(input: &[u8]) -> Cow<'_, [u8]> {
    let len = input.len();
    // Nothing changes before the first comment opener or `--`/`#`.
    let first = input.iter().enumerate().position(|(i, &b)| match b {
        b'/' => byte_at(input, i + 1) == b'*',
        b'<' => starts(input, i, b"<!--"),
        b'-' => byte_at(input, i + 1) == b'-',
        b'#' => true,
        _ => false,
    });
    let Some(first) = first else {
        return Cow::Borrowed(input);
    };

    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(slice(input, 0, first));
    let mut incomment = false;
    let mut i = first;
    while i < len {
        if !incomment {
            // Copy the plain run up to the next byte that may matter.
            let run = input
                .get(i..)
                .unwrap_or(&[])
                .iter()
                .position(|&b| matches!(b, b'/' | b'<' | b'-' | b'#'))
                .unwrap_or(len - i);
            if run > 0 {
                out.extend_from_slice(slice(input, i, i + run));
                i += run;
                continue;
            }
            if starts(input, i, b"/*") {
                incomment = true;
                i += 2;
            } else if starts(input, i, b"<!--") {
                incomment = true;
                i += 4;
            } else if starts(input, i, b"--") || byte_at(input, i) == b'#' {
                break;
            } else {
                out.push(byte_at(input, i));
                i += 1;
            }
        } else if starts(input, i, b"*/") {
            incomment = false;
            out.push(byte_at(input, i + 2));
            i += 3;
        } else if starts(input, i, b"-->") {
            incomment = false;
            out.push(byte_at(input, i + 3));
            i += 4;
        } else {
            i += 1;
        }
    }
    if incomment {
        out.push(b' ');
    }
    Cow::Owned(out)
}

/// `t:removeCommentsChar`: removes the markers `/*`, `*/`, `<!--`, `-->`,
/// `--` and `#`, keeping everything between them.
pub(super) fn remove_comments_char(input: &[u8]) -> Cow<'_, [u8]> {
    let len = input.len();
    let mut out = Lazy::new(input);
    let mut i = 0;
    while i < len {
        let Some(off) = input
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .position(|&b| matches!(b, b'/' | b'*' | b'<' | b'-' | b'#'))
        else {
            break;
        };
        i += off;
        let marker = if starts(input, i, b"/*") || starts(input, i, b"*/") {
            2
        } else if starts(input, i, b"<!--") {
            4
        } else if starts(input, i, b"-->") {
            3
        } else if starts(input, i, b"--") {
            2
        } else if byte_at(input, i) == b'#' {
            1
        } else {
            0
        };
        if marker > 0 {
            out.delete(i, i + marker);
            i += marker;
        } else {
            i += 1;
        }
    }
    out.finish()
}

/// `t:replaceComments`: each `/* ... */` becomes one space, and an
/// unterminated `/*` turns the rest of the value into one space. Nothing
/// else (`--`, `#`, `<!--`) is touched.
pub(super) fn replace_comments(input: &[u8]) -> Cow<'_, [u8]> {
    let mut out = Lazy::new(input);
    let mut i = 0;
    while let Some(off) = memmem::find(input.get(i..).unwrap_or(&[]), b"/*") {
        let open = i + off;
        let body = open + 2;
        match memmem::find(input.get(body..).unwrap_or(&[]), b"*/") {
            Some(close) => {
                let end = body + close + 2;
                out.replace_byte(open, end, b' ');
                i = end;
            }
            None => {
                out.replace_byte(open, input.len(), b' ');
                break;
            }
        }
    }
    out.finish()
}
