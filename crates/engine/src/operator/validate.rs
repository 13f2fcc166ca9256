//! `@validateByteRange`, `@validateUrlEncoding` and `@validateUtf8Encoding`,
//! with ModSecurity v3 semantics. All three work on raw bytes.

use std::fmt;

/// Error from [`ByteRanges::parse`]: which comma-separated part is bad, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByteRangeError {
    /// The offending part of the parameter, as written.
    pub part: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for ByteRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@validateByteRange: bad range '{}': {}", self.part, self.reason)
    }
}

impl std::error::Error for ByteRangeError {}

/// The set of allowed bytes of a `@validateByteRange` rule, as a 256-bit table.
///
/// Invariant: a bit is set exactly for the bytes named by the parameter.
#[derive(Clone, PartialEq, Eq)]
pub struct ByteRanges {
    bits: [u64; 4],
}

impl fmt::Debug for ByteRanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Print as ranges, which is what a reader wants to see.
        let mut list = f.debug_list();
        let mut b = 0usize;
        while b < 256 {
            if self.allows(b as u8) {
                let start = b;
                while b + 1 < 256 && self.allows((b + 1) as u8) {
                    b += 1;
                }
                list.entry(&(start..=b));
            }
            b += 1;
        }
        list.finish()
    }
}

/// Outcome of a failed `std::stoi`.
enum StoiError {
    NoDigits,
    OutOfRange,
}

/// `std::stoi` as libstdc++ implements it: skip leading C-locale whitespace,
/// optional sign, decimal digits up to the first non-digit; trailing text is
/// ignored. No digits or a value outside `i32` is an error.
fn stoi(s: &str) -> Result<i32, StoiError> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        i += 1;
    }
    let mut negative = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        negative = b[i] == b'-';
        i += 1;
    }
    let start = i;
    let mut value: i64 = 0;
    let mut overflow = false;
    while i < b.len() && b[i].is_ascii_digit() {
        value = value * 10 + i64::from(b[i] - b'0');
        if value > i64::from(i32::MAX) + 1 {
            // Keep scanning digits, but the value is already out of range.
            overflow = true;
            value = i64::from(i32::MAX) + 2;
        }
        i += 1;
    }
    if i == start {
        return Err(StoiError::NoDigits);
    }
    let value = if negative { -value } else { value };
    if overflow || value > i64::from(i32::MAX) || value < i64::from(i32::MIN) {
        return Err(StoiError::OutOfRange);
    }
    Ok(value as i32)
}

impl ByteRanges {
    /// Parses a `@validateByteRange` parameter: comma-separated decimal byte
    /// values and `start-end` ranges, e.g. `9,10,13,32-126`.
    ///
    /// Each number is read as ModSecurity v3 reads it (`std::stoi`): leading
    /// whitespace and a sign are accepted and text after the digits is
    /// ignored, so `32 - 126` and ` 9, 10` parse. Every value must be 0..=255
    /// and a range's start must not exceed its end.
    ///
    /// Deviation from v3 (deliberate): v3 logs nothing and silently skips a
    /// part it cannot parse (and writes out of bounds for a single value
    /// above 255); here any bad part is an error naming that part.
    pub fn parse(param: &str) -> Result<ByteRanges, ByteRangeError> {
        let mut ranges = ByteRanges { bits: [0; 4] };
        for part in param.split(',') {
            let err = |reason: String| ByteRangeError { part: part.to_string(), reason };
            let number = |text: &str| -> Result<i32, ByteRangeError> {
                match stoi(text) {
                    Ok(v) => Ok(v),
                    Err(StoiError::NoDigits) => Err(err(format!("'{text}' is not a number"))),
                    Err(StoiError::OutOfRange) => Err(err(format!("'{text}' is out of range"))),
                }
            };
            let (start, end) = match part.find('-') {
                None => {
                    let v = number(part)?;
                    (v, v)
                }
                Some(dash) => (number(&part[..dash])?, number(&part[dash + 1..])?),
            };
            if !(0..=255).contains(&start) {
                return Err(err(format!("start value {start} is not within 0-255")));
            }
            if !(0..=255).contains(&end) {
                return Err(err(format!("end value {end} is not within 0-255")));
            }
            if start > end {
                return Err(err(format!("start {start} is greater than end {end}")));
            }
            for b in start..=end {
                ranges.set(b as u8);
            }
        }
        Ok(ranges)
    }

    fn set(&mut self, b: u8) {
        if let Some(word) = self.bits.get_mut(usize::from(b >> 6)) {
            *word |= 1u64 << (b & 63);
        }
    }

    /// Whether byte `b` is inside one of the ranges.
    pub fn allows(&self, b: u8) -> bool {
        self.bits.get(usize::from(b >> 6)).is_some_and(|w| w & (1u64 << (b & 63)) != 0)
    }

    /// Offset of the first byte of `input` outside the ranges, if any. The
    /// operator matches exactly when this is `Some` (an empty input never
    /// matches).
    pub fn first_invalid(&self, input: &[u8]) -> Option<usize> {
        input.iter().position(|&b| !self.allows(b))
    }
}

/// `@validateUrlEncoding`: returns `Some(reason)` when ModSecurity v3 would
/// match, i.e. when `input` holds a `%` not followed by two hex digits.
///
/// v3 checks from left to right and stops at the first problem: a `%` with
/// fewer than two bytes after it is "not enough characters", a `%` followed
/// by a non-hex byte in either of the next two positions is "non-hexadecimal
/// digits". Valid `%XX` escapes are skipped whole. An empty input never
/// matches. Anything else (including `+` and bytes >= 0x80) is accepted.
pub fn validate_url_encoding(input: &[u8]) -> Option<&'static str> {
    let mut i = 0;
    while i < input.len() {
        if input[i] == b'%' {
            match (input.get(i + 1), input.get(i + 2)) {
                (Some(c1), Some(c2)) => {
                    if c1.is_ascii_hexdigit() && c2.is_ascii_hexdigit() {
                        i += 3;
                    } else {
                        return Some("Invalid URL Encoding: Non-hexadecimal digits used");
                    }
                }
                _ => return Some("Invalid URL Encoding: Not enough characters at the end of input"),
            }
        } else {
            i += 1;
        }
    }
    None
}

/// Result of decoding one UTF-8 sequence the way v3's `detect_utf8_character` does.
enum Utf8Step {
    Len(usize),
    Missing,
    Invalid,
    Overlong,
    Restricted,
}

/// Continuation byte check (`10xxxxxx`).
fn is_cont(b: Option<&u8>) -> bool {
    matches!(b, Some(b) if b & 0xC0 == 0x80)
}

fn low6(b: Option<&u8>) -> u32 {
    b.map_or(0, |b| u32::from(b & 0x3F))
}

/// One step of v3's UTF-8 validator at the start of `s` (non-empty).
fn utf8_step(s: &[u8]) -> Utf8Step {
    let Some(&c) = s.first() else {
        return Utf8Step::Missing;
    };
    let (len, d) = if c & 0x80 == 0 {
        return Utf8Step::Len(1);
    } else if c & 0xE0 == 0xC0 {
        if s.len() < 2 {
            return Utf8Step::Missing;
        }
        if !is_cont(s.get(1)) {
            return Utf8Step::Invalid;
        }
        (2, (u32::from(c & 0x1F) << 6) | low6(s.get(1)))
    } else if c & 0xF0 == 0xE0 {
        if s.len() < 3 {
            return Utf8Step::Missing;
        }
        if !is_cont(s.get(1)) || !is_cont(s.get(2)) {
            return Utf8Step::Invalid;
        }
        (3, (u32::from(c & 0x0F) << 12) | (low6(s.get(1)) << 6) | low6(s.get(2)))
    } else if c & 0xF8 == 0xF0 {
        // v3 restricts the lead byte before looking at the length.
        if c >= 0xF5 {
            return Utf8Step::Restricted;
        }
        if s.len() < 4 {
            return Utf8Step::Missing;
        }
        if !is_cont(s.get(1)) || !is_cont(s.get(2)) || !is_cont(s.get(3)) {
            return Utf8Step::Invalid;
        }
        let d = (u32::from(c & 0x07) << 18)
            | (low6(s.get(1)) << 12)
            | (low6(s.get(2)) << 6)
            | low6(s.get(3));
        (4, d)
    } else {
        // Continuation byte or 0xF8..=0xFF as a lead byte.
        return Utf8Step::Invalid;
    };
    if (0xD800..=0xDFFF).contains(&d) {
        return Utf8Step::Restricted;
    }
    let overlong = match len {
        4 => d < 0x1_0000,
        3 => d < 0x800,
        _ => d < 0x80,
    };
    if overlong {
        return Utf8Step::Overlong;
    }
    // Note: v3 does not reject F4 90..F4 BF (code points above U+10FFFF).
    Utf8Step::Len(len)
}

/// `@validateUtf8Encoding`: returns `Some(reason)` when ModSecurity v3 would
/// match, i.e. at the first sequence that is truncated ("not enough bytes"),
/// has a bad lead or continuation byte ("invalid byte"), is overlong, or
/// encodes a surrogate or uses a lead byte >= 0xF5 ("restricted"). Works on
/// raw bytes; an empty input never matches.
///
/// Faithful to v3, this accepts 4-byte sequences `F4 90..BF xx xx`, which
/// encode code points above U+10FFFF.
pub fn validate_utf8_encoding(input: &[u8]) -> Option<&'static str> {
    let mut i = 0;
    while let Some(rest) = input.get(i..) {
        if rest.is_empty() {
            break;
        }
        match utf8_step(rest) {
            Utf8Step::Len(n) => i += n,
            Utf8Step::Missing => return Some("Invalid UTF-8 encoding: not enough bytes in character"),
            Utf8Step::Invalid => return Some("Invalid UTF-8 encoding: invalid byte value in character"),
            Utf8Step::Overlong => return Some("Invalid UTF-8 encoding: overlong character detected"),
            Utf8Step::Restricted => return Some("Invalid UTF-8 encoding: use of restricted character"),
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn allowed(param: &str) -> Vec<u8> {
        let r = ByteRanges::parse(param).unwrap();
        (0..=255u8).filter(|&b| r.allows(b)).collect()
    }

    #[test]
    fn byte_range_parse_table() {
        assert_eq!(allowed("65"), vec![65]);
        assert_eq!(allowed("1-3"), vec![1, 2, 3]);
        assert_eq!(allowed("9,10,13,32-34"), vec![9, 10, 13, 32, 33, 34]);
        assert_eq!(allowed("0-0"), vec![0]);
        assert_eq!(allowed("255"), vec![255]);
        assert_eq!(allowed("0-255").len(), 256);
        // Whitespace and trailing text as std::stoi tolerates them.
        assert_eq!(allowed(" 9, 10 ,13"), vec![9, 10, 13]);
        assert_eq!(allowed("32 - 34"), vec![32, 33, 34]);
        assert_eq!(allowed("+5"), vec![5]);
        assert_eq!(allowed("1-2-3"), vec![1, 2]); // end = stoi("2-3") = 2
        assert_eq!(allowed("7abc"), vec![7]);
        // Overlapping ranges.
        assert_eq!(allowed("1-3,2-4"), vec![1, 2, 3, 4]);
        // CRS parameters.
        let crs = ByteRanges::parse("38,44-46,48-58,61,65-90,95,97-122").unwrap();
        assert!(crs.allows(b'a') && crs.allows(b'&') && !crs.allows(b' ') && !crs.allows(b'/'));
    }

    #[test]
    fn byte_range_parse_errors_name_the_part() {
        for (param, part) in [
            ("", ""),
            ("1,,2", ""),
            ("1,", ""),
            ("abc", "abc"),
            ("1,x-5", "x-5"),
            ("5-y", "5-y"),
            ("-5", "-5"),
            ("256", "256"),
            ("1-256", "1-256"),
            ("10-5", "10-5"),
            ("99999999999", "99999999999"),
        ] {
            let e = ByteRanges::parse(param).unwrap_err();
            assert_eq!(e.part, part, "param {param:?}: {e}");
            assert!(e.to_string().contains(&format!("'{part}'")));
        }
    }

    #[test]
    fn byte_range_first_invalid() {
        let r = ByteRanges::parse("32-126").unwrap();
        assert_eq!(r.first_invalid(b""), None);
        assert_eq!(r.first_invalid(b"hello world"), None);
        assert_eq!(r.first_invalid(b"ab\ncd"), Some(2));
        assert_eq!(r.first_invalid(b"\x7f"), Some(0));
        assert_eq!(r.first_invalid(b"ok\xff"), Some(2));
        let all = ByteRanges::parse("1-255").unwrap();
        assert_eq!(all.first_invalid(b"a\x00b"), Some(1));
        assert_eq!(all.first_invalid(&[0xff; 100]), None);
        assert_eq!(format!("{:?}", ByteRanges::parse("1-3,7").unwrap()), "[1..=3, 7..=7]");
    }

    #[test]
    fn url_encoding_table() {
        for ok in [&b""[..], b"abc", b"%41", b"%4a%4A%ff", b"a+b", b"100%25", b"\xff\x00", b"%41%42"] {
            assert_eq!(validate_url_encoding(ok), None, "{:?}", String::from_utf8_lossy(ok));
        }
        for (bad, why) in [
            (&b"%"[..], "Not enough"),
            (b"%4", "Not enough"),
            (b"abc%", "Not enough"),
            (b"abc%a", "Not enough"),
            (b"%zz", "Non-hexadecimal"),
            (b"%4g", "Non-hexadecimal"),
            (b"%g4", "Non-hexadecimal"),
            (b"%%41", "Non-hexadecimal"),
            (b"%41%", "Not enough"),
            (b"%\xff\xff", "Non-hexadecimal"),
            (b"%u0041", "Non-hexadecimal"),
        ] {
            let got = validate_url_encoding(bad);
            assert!(got.is_some_and(|r| r.contains(why)), "{:?}: {got:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn utf8_table() {
        for ok in [
            &b""[..],
            b"plain ascii\x00\x7f",
            "caf\u{e9}".as_bytes(),
            "\u{20ac}".as_bytes(),
            "\u{1F600}".as_bytes(),
            b"\xef\xbf\xbf",     // U+FFFF
            b"\xf4\x8f\xbf\xbf", // U+10FFFF
            b"\xf4\x90\x80\x80", // above U+10FFFF: v3 accepts it
            b"\xc2\x80",
            b"\xe0\xa0\x80",
            b"\xf0\x90\x80\x80",
        ] {
            assert_eq!(validate_utf8_encoding(ok), None, "{ok:x?}");
        }
        for (bad, why) in [
            (&b"\xc3"[..], "not enough"),
            (b"abc\xe2\x82", "not enough"),
            (b"\xf0\x9f\x98", "not enough"),
            (b"\x80", "invalid byte"),
            (b"\xbf", "invalid byte"),
            (b"\xc3\x28", "invalid byte"),
            (b"\xe2\x28\xa1", "invalid byte"),
            (b"\xe2\x82\x28", "invalid byte"),
            (b"\xf0\x28\x8c\xbc", "invalid byte"),
            (b"\xf8\x88\x80\x80\x80", "invalid byte"),
            (b"\xff", "invalid byte"),
            (b"\xfe", "invalid byte"),
            (b"\xc0\xaf", "overlong"),
            (b"\xc1\xbf", "overlong"),
            (b"\xe0\x80\xaf", "overlong"),
            (b"\xe0\x9f\xbf", "overlong"),
            (b"\xf0\x80\x80\xaf", "overlong"),
            (b"\xf0\x8f\xbf\xbf", "overlong"),
            (b"\xed\xa0\x80", "restricted"),
            (b"\xed\xbf\xbf", "restricted"),
            (b"\xf5\x80\x80\x80", "restricted"),
            (b"\xf7", "restricted"), // lead >= F5 is checked before the length
            (b"ok \xf4", "not enough"),
        ] {
            let got = validate_utf8_encoding(bad);
            assert!(got.is_some_and(|r| r.contains(why)), "{bad:x?}: {got:?}");
        }
    }

    #[test]
    fn utf8_agrees_with_std_on_random_input_except_known_cases() {
        // v3 is stricter or looser than std::str::from_utf8 only for code
        // points above U+10FFFF (accepted by v3); otherwise both agree.
        let mut x: u64 = 0x1234_5678_9abc_def1;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 6) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|i| {
                    let b = (x >> (8 * i)) as u8;
                    // Bias towards multi-byte lead and continuation bytes.
                    if i == 0 { 0xC0 | b } else if b & 1 == 0 { 0x80 | (b & 0x3F) } else { b }
                })
                .collect();
            let v3_ok = validate_utf8_encoding(&bytes).is_none();
            let std_ok = std::str::from_utf8(&bytes).is_ok();
            if v3_ok != std_ok {
                let above = bytes.windows(2).any(|w| w[0] == 0xF4 && w[1] >= 0x90);
                assert!(v3_ok && above, "{bytes:x?}");
            }
        }
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut x: u64 = 42;
        let r = ByteRanges::parse("32-126").unwrap();
        for _ in 0..50_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 24) as usize;
            let bytes: Vec<u8> = (0..len).map(|i| (x.rotate_left(i as u32 * 7) >> 3) as u8).collect();
            let _ = validate_url_encoding(&bytes);
            let _ = validate_utf8_encoding(&bytes);
            let _ = r.first_invalid(&bytes);
            let _ = ByteRanges::parse(&String::from_utf8_lossy(&bytes));
        }
    }
}
