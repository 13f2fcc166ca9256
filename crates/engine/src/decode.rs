//! URL decoding of the request line as ModSecurity does it (not a
//! transformation: it fills REQUEST_URI and REQUEST_FILENAME; arguments are
//! decoded by the urlencoded body processor).

use std::borrow::Cow;

#[inline]
fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// `%XX` → byte; anything else (including `+` and broken escapes) kept.
/// ModSecurity's `uri_decode`, used for REQUEST_URI and REQUEST_FILENAME.
pub(crate) fn uri_decode(s: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memchr(b'%', s).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' && i + 2 < s.len() {
            if let (Some(a), Some(b)) = (hex(s[i + 1]), hex(s[i + 2])) {
                out.push(a << 4 | b);
                i += 3;
                continue;
            }
        }
        out.push(s[i]);
        i += 1;
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_decode_keeps_plus_and_broken_escapes() {
        assert_eq!(&*uri_decode(b"/a%20b+c%zz%4"), b"/a b+c%zz%4");
        assert_eq!(&*uri_decode(b"%41"), b"A");
    }
}
