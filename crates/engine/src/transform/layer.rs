//! The decoding layer: Portcullis extensions that undo the encodings an
//! attacker wraps a payload in (`base64DecodeAuto`, `urlDecodeNested`,
//! `utf16Decode`). They are not ModSecurity transformations and have no
//! ModSecurity "changed" quirks: a value is changed exactly when it decodes.
//!
//! Each one is bounded: a value that does not look encoded costs one cheap
//! check and comes back borrowed (no allocation), inputs over
//! [`MAX_INPUT`] bytes are left alone, and nested URL decoding stops after
//! [`MAX_URL_ROUNDS`] rounds. Used with `multiMatch`, a rule sees the value
//! before and after each layer that decoded it.

use std::borrow::Cow;

use super::url::{url_decode_pct, PctU};

/// Longest input the layer decodes (64 KiB); longer values are returned
/// unchanged, so an attacker cannot make a decoder the dominant cost.
pub(super) const MAX_INPUT: usize = 64 * 1024;

/// Shortest base64 text worth decoding: 8 symbols give 6 bytes, enough for
/// the shortest payloads (`$(id)`, `*))%00`). An 8-letter word is valid
/// base64 too, but decodes to bytes that are not printable text, so
/// [`mostly_printable`] sends it back unchanged.
const MIN_BASE64: usize = 8;

/// Rounds of URL decoding `urlDecodeNested` performs at most.
pub(super) const MAX_URL_ROUNDS: usize = 4;

/// Value of a base64 or base64url symbol, and which alphabet it belongs to
/// (1 = standard only `+/`, 2 = url only `-_`, 0 = both).
#[inline]
fn b64_symbol(b: u8) -> Option<(u32, u8)> {
    match b {
        b'A'..=b'Z' => Some((u32::from(b - b'A'), 0)),
        b'a'..=b'z' => Some((u32::from(b - b'a') + 26, 0)),
        b'0'..=b'9' => Some((u32::from(b - b'0') + 52, 0)),
        b'+' => Some((62, 1)),
        b'/' => Some((63, 1)),
        b'-' => Some((62, 2)),
        b'_' => Some((63, 2)),
        _ => None,
    }
}

/// Whether decoded bytes read as text: valid UTF-8 without control
/// characters other than tab, CR, LF and NUL (the byte that cuts a file
/// name short: `../../etc/passwd\0.png`), with at most 1 in 10 characters
/// outside printable ASCII, or, from [`LONG_TEXT`] bytes on, at most half
/// (a URL written with circled digits, `http://⑯⑨。②⑤④。…`, is a third).
/// Random bytes (images, session ids, encrypted cookies) fail this almost
/// always: a short run may be valid UTF-8 by chance, so it must also be
/// mostly ASCII, while a random run of 24 bytes is valid UTF-8 without
/// control characters about once in 10^8.
fn mostly_printable(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let (mut total, mut other) = (0usize, 0usize);
    for c in text.chars() {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\0') {
            return false;
        }
        if !c.is_ascii() {
            other += 1;
        }
    }
    let limit = if bytes.len() >= LONG_TEXT { total / 2 } else { total / 10 };
    total > 0 && other <= limit
}

/// Decoded length from which [`mostly_printable`] accepts text that is up
/// to half non-ASCII.
const LONG_TEXT: usize = 24;

/// `t:base64DecodeAuto` (Portcullis extension): the decoded value when the
/// whole input is plausibly base64 or base64url, or is HTTP credentials
/// whose token is (an auth scheme, blanks, the token: `Bearer <base64>`,
/// `Basic <base64>`; the scheme is dropped), else the input unchanged.
///
/// Plausible means: at least [`MIN_BASE64`] symbols, every byte from one
/// alphabet (standard `+/` or url-safe `-_`, not both), `=` padding only at
/// the end and only to a multiple of four, a length that is not 1 mod 4, and
/// a result that is [`mostly_printable`] text. Surrounding whitespace is
/// ignored. So words, numbers, hex ids, JWTs (dots), base64 images and
/// random tokens (binary when decoded) come back unchanged.
pub(super) fn base64_decode_auto(input: &[u8]) -> Cow<'_, [u8]> {
    let src = input.trim_ascii();
    match decode_whole_base64(src).or_else(|| credentials_token(src).and_then(decode_whole_base64)) {
        Some(out) => Cow::Owned(out),
        None => Cow::Borrowed(input),
    }
}

/// Longest auth scheme [`credentials_token`] accepts (`Negotiate`,
/// `SCRAM-SHA-256` fit).
const MAX_SCHEME: usize = 20;

/// The token of a value shaped like RFC 9110 credentials with a single
/// token: a scheme (a letter, then letters, digits and `-`, at most
/// [`MAX_SCHEME`]), one or more blanks, and one word. A value whose first
/// word holds anything else (a user agent's `/`, a list's `,`) is not one.
fn credentials_token(src: &[u8]) -> Option<&[u8]> {
    // A blank after at most MAX_SCHEME bytes, so no longer scheme is read.
    let blank = src.iter().take(MAX_SCHEME + 1).position(|&b| b == b' ' || b == b'\t')?;
    let (scheme, rest) = src.split_at(blank);
    let scheme_ok = scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-');
    scheme_ok.then(|| rest.trim_ascii_start())
}

/// The decoded bytes when `src` is, as a whole, plausibly base64 text
/// (see [`base64_decode_auto`]).
fn decode_whole_base64(src: &[u8]) -> Option<Vec<u8>> {
    if src.len() < MIN_BASE64 || src.len() > MAX_INPUT {
        return None;
    }
    let body_len = src.len() - src.iter().rev().take_while(|&&b| b == b'=').count();
    let pads = src.len() - body_len;
    if pads > 2 || (pads > 0 && !src.len().is_multiple_of(4)) || body_len % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body_len / 4 * 3 + 2);
    let (mut acc, mut n, mut alphabet) = (0u32, 0u32, 0u8);
    for &b in src.get(..body_len).unwrap_or(&[]) {
        let (v, a) = b64_symbol(b)?;
        if a != 0 {
            if alphabet != 0 && alphabet != a {
                return None;
            }
            alphabet = a;
        }
        acc = (acc << 6) | v;
        n += 1;
        if n == 4 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
            n = 0;
        }
    }
    match n {
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => {}
    }
    mostly_printable(&out).then_some(out)
}

/// `t:urlDecodeNested` (Portcullis extension): `urlDecodeUni` repeated
/// while it changes the value and a `%` remains, at most
/// [`MAX_URL_ROUNDS`] times, so `%2527` and `%252527` both become `'`.
/// Unlike `urlDecodeUni`, `%uHHHH` above ASCII becomes the code point in
/// UTF-8 ([`PctU::Utf8`]): `%25u2215` is the division slash `∕` that
/// Windows' best-fit conversion turns into `/`, not the byte 0x15.
/// Each round only shrinks the value; inputs over [`MAX_INPUT`] get one
/// round.
///
/// A value without `%` is left alone, `+` included: the argument parsers
/// already turned a form's `+` into a blank, and elsewhere (a header, a
/// base64 value such as `PGlmcmFtZT4+`) a lone `+` is data, not an escape.
pub(super) fn url_decode_nested(input: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memchr(b'%', input).is_none() {
        return Cow::Borrowed(input);
    }
    let mut cur = match url_decode_pct(input, PctU::Utf8) {
        Cow::Borrowed(_) => return Cow::Borrowed(input),
        Cow::Owned(v) => v,
    };
    if input.len() > MAX_INPUT {
        return Cow::Owned(cur);
    }
    for _ in 1..MAX_URL_ROUNDS {
        if !cur.contains(&b'%') {
            break;
        }
        match url_decode_pct(&cur, PctU::Utf8) {
            Cow::Borrowed(_) => break,
            Cow::Owned(v) => cur = v,
        }
    }
    if cur == input {
        Cow::Borrowed(input)
    } else {
        Cow::Owned(cur)
    }
}

/// `t:utf16Decode` (Portcullis extension): UTF-16 text to UTF-8.
///
/// Decodes when the input starts with a byte order mark (`FF FE` little
/// endian, `FE FF` big endian; the mark is dropped), or is NUL-interleaved
/// ASCII (at least 4 bytes, even length, every other byte NUL and the
/// others non-NUL ASCII: `<\0s\0` or `\0<\0s`). Unpaired surrogates become
/// U+FFFD. Anything else comes back unchanged.
pub(super) fn utf16_decode(input: &[u8]) -> Cow<'_, [u8]> {
    if input.len() < 4 || !input.len().is_multiple_of(2) || input.len() > MAX_INPUT {
        return Cow::Borrowed(input);
    }
    let (little, body) = match input {
        [0xff, 0xfe, rest @ ..] => (true, rest),
        [0xfe, 0xff, rest @ ..] => (false, rest),
        _ => {
            let interleaved = |zero: usize| {
                input.chunks_exact(2).all(|p| {
                    let (z, c) = (p.get(zero).copied(), p.get(1 - zero).copied());
                    z == Some(0) && c.is_some_and(|c| c != 0 && c.is_ascii())
                })
            };
            if interleaved(1) {
                (true, input)
            } else if interleaved(0) {
                (false, input)
            } else {
                return Cow::Borrowed(input);
            }
        }
    };
    let units = body.chunks_exact(2).map(|p| {
        let (a, b) = (
            u16::from(p.first().copied().unwrap_or(0)),
            u16::from(p.get(1).copied().unwrap_or(0)),
        );
        if little {
            a | (b << 8)
        } else {
            (a << 8) | b
        }
    });
    let text: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    Cow::Owned(text.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &[u8]) -> Vec<u8> {
        super::super::base64::encode(s).into_owned()
    }

    #[test]
    fn base64_auto_decodes_text_payloads() {
        let enc = b64(b"' OR 1=1--");
        assert_eq!(&*base64_decode_auto(&enc), b"' OR 1=1--");
        let enc = b64(b"<script>alert(1)</script>");
        assert_eq!(&*base64_decode_auto(&enc), b"<script>alert(1)</script>");
        // Without padding, url-safe alphabet, surrounding blanks.
        let enc = b64(b"???<img src=x>");
        let url: Vec<u8> = enc
            .iter()
            .filter(|&&b| b != b'=')
            .map(|&b| match b {
                b'+' => b'-',
                b'/' => b'_',
                b => b,
            })
            .collect();
        assert!(url.contains(&b'_'));
        assert_eq!(&*base64_decode_auto(&url), b"???<img src=x>");
        let mut padded = b"  ".to_vec();
        padded.extend_from_slice(&b64(b"../../etc/passwd"));
        padded.push(b'\n');
        assert_eq!(&*base64_decode_auto(&padded), b"../../etc/passwd");
        // From 24 bytes on, up to half may be non-ASCII: a host in circled
        // digits, or a sentence in another script.
        let url = "http://\u{246f}\u{2468}\u{3002}\u{2461}\u{2464}\u{2463}\u{3002}\u{246f}\u{2468}/latest/user-data";
        assert_eq!(&*base64_decode_auto(&b64(url.as_bytes())), url.as_bytes());
        // Short text must still be mostly ASCII.
        assert!(matches!(base64_decode_auto(&b64("ab\u{e9}\u{e9}".as_bytes())), Cow::Borrowed(_)));
    }

    #[test]
    fn base64_auto_leaves_non_base64_alone() {
        let unchanged: &[&[u8]] = &[
            b"",
            b"short",
            b"JChpZC",                        // 6 symbols: too short
            b"helloworld12",                  // decodes to binary
            b"password",                      // 8 letters: binary
            b"Username",
            b"abstract",
            b"12345678",
            b"union station select seats",    // spaces
            b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", // JWT: dots
            b"\"33a64df551425fcc55e4d42a148795d9f25f89d4\"", // ETag: quotes
            b"QUJDREVGR0hJSktM=",             // padding to a length not a multiple of 4
            b"QUJDREVGR0hJSktM===",           // three pads
            b"QUJD=REVGR0hJSktM",             // padding inside
            b"QUJDREVGR0hJS",                 // 13 symbols: 1 mod 4
            b"ab+cd-efghijklmn",              // both alphabets
            b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", // a PNG
            b"3q2+7wAAAAD/////AQIDBAUGBwgJ", // random bytes
        ];
        // 15 symbols (no padding) decode; 13 (1 mod 4) cannot be base64.
        assert_eq!(&*base64_decode_auto(b"QUJDREVGR0hJSkt"), b"ABCDEFGHIJK");
        // The shortest accepted: 8 symbols, with or without padding.
        assert_eq!(&*base64_decode_auto(b"JChpZCk="), b"$(id)");
        assert_eq!(&*base64_decode_auto(b"KikpJTAw"), b"*))%00");
        for v in unchanged {
            assert!(
                matches!(base64_decode_auto(v), Cow::Borrowed(_)),
                "{:?}",
                String::from_utf8_lossy(v)
            );
        }
    }

    #[test]
    fn base64_auto_keeps_a_nul_byte() {
        let enc = b64(b"../../../../etc/passwd\0.png");
        assert_eq!(&*base64_decode_auto(&enc), b"../../../../etc/passwd\0.png");
    }

    #[test]
    fn base64_auto_decodes_the_token_of_credentials() {
        let token = b64(b"' OR 1=1--");
        let bearer = [b"Bearer ".as_slice(), &token].concat();
        assert_eq!(&*base64_decode_auto(&bearer), b"' OR 1=1--");
        assert_eq!(&*base64_decode_auto(b"Basic dXNlcjpwYXNz"), b"user:pass");
        assert_eq!(&*base64_decode_auto(&[b" Token \t ".as_slice(), &token, b" "].concat()), b"' OR 1=1--");
        let long_scheme = [b"A".repeat(MAX_SCHEME + 1).as_slice(), b" ", &token].concat();
        let unchanged: &[&[u8]] = &[
            b"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", // JWT: dots
            b"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
            b"gzip, deflate, br",
            b"Basic",
            b"Bearer ",
            b"union station select seats",
            b"2fa dXNlcjpwYXNz",                                          // a scheme starts with a letter
            &long_scheme,
            &[b"Bearer ".as_slice(), &token, b" x"].concat(),            // two words after the scheme
        ];
        for v in unchanged {
            assert!(matches!(base64_decode_auto(v), Cow::Borrowed(_)), "{:?}", String::from_utf8_lossy(v));
        }
    }

    #[test]
    fn base64_auto_bounds_its_input() {
        let huge = b64(&b"a<b".repeat(MAX_INPUT));
        assert!(huge.len() > MAX_INPUT);
        assert!(matches!(base64_decode_auto(&huge), Cow::Borrowed(_)));
        let big = b64(&b"x".repeat(MAX_INPUT / 2));
        assert_eq!(base64_decode_auto(&big).len(), MAX_INPUT / 2);
    }

    #[test]
    fn url_nested_decodes_until_stable() {
        assert_eq!(&*url_decode_nested(b"%27"), b"'");
        assert_eq!(&*url_decode_nested(b"%2527"), b"'");
        assert_eq!(&*url_decode_nested(b"%252527+or"), b"' or");
        assert_eq!(&*url_decode_nested(b"%u003cscript"), b"<script");
        // Above ASCII, %u is the code point in UTF-8, after any round; the
        // full-width block still folds to ASCII.
        assert_eq!(&*url_decode_nested(b"..%25u2215etc"), "..\u{2215}etc".as_bytes());
        assert_eq!(&*url_decode_nested(b"%uff0f%u00e9"), "/\u{e9}".as_bytes());
        assert!(matches!(url_decode_nested(b"plain"), Cow::Borrowed(_)));
        // No escape: a + stays (base64 keeps its symbols for the next layer).
        assert!(matches!(url_decode_nested(b"PGlmcmFtZT4+a+b"), Cow::Borrowed(_)));
        assert!(matches!(url_decode_nested(b"100%"), Cow::Borrowed(_)));
        assert!(matches!(url_decode_nested(b"%zz"), Cow::Borrowed(_)));
        // Depth limit: five layers of %25 leave one after four rounds.
        assert_eq!(&*url_decode_nested(b"%2525252527"), b"%27");
        // Huge input: one round only.
        let mut huge = b"%2527".repeat(MAX_INPUT);
        huge.truncate(MAX_INPUT + 5);
        let out = url_decode_nested(&huge);
        assert!(out.starts_with(b"%27%27"));
    }

    #[test]
    fn utf16_decodes_bom_and_interleaved_ascii() {
        assert_eq!(&*utf16_decode(b"\xff\xfe<\x00s\x00"), b"<s");
        assert_eq!(&*utf16_decode(b"\xfe\xff\x00<\x00s"), b"<s");
        assert_eq!(&*utf16_decode(b"<\x00s\x00c\x00"), b"<sc");
        assert_eq!(&*utf16_decode(b"\x00<\x00s\x00c"), b"<sc");
        assert_eq!(&*utf16_decode(b"\xff\xfe\xe9\x00"), "é".as_bytes());
        // Unpaired surrogate.
        assert_eq!(
            &*utf16_decode(b"\xff\xfe\x00\xd8A\x00"),
            "\u{fffd}A".as_bytes()
        );
        for v in [
            &b"abcd"[..],
            b"a\x00b",
            b"a\x00\x00\x00",
            b"\xff\xfe",
            b"\x80\x00a\x00",
            b"ab\x00\x00",
        ] {
            assert!(matches!(utf16_decode(v), Cow::Borrowed(_)), "{v:?}");
        }
    }

    /// Random inputs: no layer panics or grows a value beyond its bound, and
    /// base64 of any printable text of 9 bytes or more comes back whole.
    #[test]
    fn random_inputs_stay_bounded_and_round_trip() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabets: [&[u8]; 3] = [
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ %25\x00\xff\xfe",
            b"%2500u+<>'\"",
            &[0, 1, 0x7f, 0x80, 0xfe, 0xff, b'a', b'%', b'='],
        ];
        for round in 0..20_000 {
            let alpha = alphabets[round % alphabets.len()];
            let len = (next() % 64) as usize;
            let v: Vec<u8> = (0..len)
                .map(|_| alpha[(next() % alpha.len() as u64) as usize])
                .collect();
            assert!(base64_decode_auto(&v).len() <= v.len());
            assert!(url_decode_nested(&v).len() <= v.len());
            assert!(utf16_decode(&v).len() <= v.len() * 3 / 2);
            // Printable text survives base64 both ways.
            let text: Vec<u8> = (0..9 + len).map(|_| b' ' + (next() % 95) as u8).collect();
            let enc = b64(&text);
            assert_eq!(&*base64_decode_auto(&enc), &text[..], "{enc:?}");
        }
    }
}
