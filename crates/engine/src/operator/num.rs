//! Integer conversion for the numeric operators, exactly as ModSecurity v3 does it.
//!
//! v3 is not uniform here:
//! - `@gt`, `@ge`, `@lt`, `@le` compare `atoll(input) OP atoll(param)`: glibc
//!   `strtoll` in base 10, saturating at `i64::MIN`/`i64::MAX` on overflow and
//!   giving 0 when there are no digits ([`parse_int`]).
//! - `@eq` compares `std::stoi(param) == std::stoi(input)` with each failure
//!   (no digits, or a value outside `i32`) caught and replaced by 0
//!   ([`parse_int_eq`]). So `@eq 0` matches `"abc"` and `"99999999999"`.
//!
//! Both read the string as a C string: the first NUL ends it.

/// C-locale `isspace`.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Sign and magnitude prefix common to `strtoll` and `stoi`: skips leading
/// whitespace, reads an optional sign and decimal digits up to the first
/// non-digit. Returns `None` when there is no digit; the magnitude saturates
/// at `u64::MAX`.
fn scan(s: &[u8]) -> Option<(bool, u64)> {
    let mut it = s.iter().copied().skip_while(|&b| is_c_space(b)).peekable();
    let negative = match it.peek() {
        Some(b'-') => {
            it.next();
            true
        }
        Some(b'+') => {
            it.next();
            false
        }
        _ => false,
    };
    let mut any = false;
    let mut mag: u64 = 0;
    for b in it {
        if !b.is_ascii_digit() {
            break;
        }
        any = true;
        mag = mag.saturating_mul(10).saturating_add(u64::from(b - b'0'));
    }
    any.then_some((negative, mag))
}

/// `atoll`/`strtoll(s, NULL, 10)` as glibc implements it: the value used by
/// `@gt`, `@ge`, `@lt` and `@le` for both the input and the parameter.
///
/// Leading whitespace, optional `+`/`-`, decimal digits up to the first
/// non-digit (so `"12abc"` is 12, `"0x10"` is 0, `" -7"` is -7). No digits
/// gives 0; overflow saturates to `i64::MAX` / `i64::MIN`. Never panics.
pub fn parse_int(s: &[u8]) -> i64 {
    match scan(s) {
        None => 0,
        Some((false, mag)) => i64::try_from(mag).unwrap_or(i64::MAX),
        Some((true, mag)) => {
            if mag >= 1u64 << 63 {
                i64::MIN
            } else {
                // mag < 2^63, so it fits and its negation does too.
                -(mag as i64)
            }
        }
    }
}

/// `std::stoi` with every exception replaced by 0: the value used by `@eq`
/// for both the input and the parameter.
///
/// Same scanning as [`parse_int`], but a result outside `i32` (which makes
/// `stoi` throw `out_of_range`) and no digits (`invalid_argument`) both give
/// 0. The result is always within `i32`. Never panics.
pub fn parse_int_eq(s: &[u8]) -> i64 {
    match scan(s) {
        None => 0,
        Some((negative, mag)) => {
            let v = i128::from(mag);
            let v = if negative { -v } else { v };
            if v < i128::from(i32::MIN) || v > i128::from(i32::MAX) {
                0
            } else {
                v as i64
            }
        }
    }
}

/// `@eq`: `stoi(param) == stoi(input)`, failures as 0.
#[cfg(test)]
pub fn eq(param: &[u8], input: &[u8]) -> bool {
    parse_int_eq(param) == parse_int_eq(input)
}

/// `@gt`: `atoll(input) > atoll(param)`.
#[cfg(test)]
pub fn gt(param: &[u8], input: &[u8]) -> bool {
    parse_int(input) > parse_int(param)
}

/// `@ge`: `atoll(input) >= atoll(param)`.
#[cfg(test)]
pub fn ge(param: &[u8], input: &[u8]) -> bool {
    parse_int(input) >= parse_int(param)
}

/// `@lt`: `atoll(input) < atoll(param)`.
#[cfg(test)]
pub fn lt(param: &[u8], input: &[u8]) -> bool {
    parse_int(input) < parse_int(param)
}

/// `@le`: `atoll(input) <= atoll(param)`.
#[cfg(test)]
pub fn le(param: &[u8], input: &[u8]) -> bool {
    parse_int(input) <= parse_int(param)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn parse_int_table() {
        for (s, want) in [
            (&b""[..], 0),
            (b"0", 0),
            (b"42", 42),
            (b"-42", -42),
            (b"+42", 42),
            (b"  \t\n\x0b\x0c\r7", 7),
            (b"12abc", 12),
            (b"12 34", 12),
            (b"1.9", 1),
            (b"0x10", 0),
            (b"abc", 0),
            (b"-", 0),
            (b"+", 0),
            (b"+-1", 0),
            (b"- 1", 0),
            (b"007", 7),
            (b"\x001", 0), // C string ends at NUL
            (b"1\x002", 1),
            (b"\xff5", 0),
            (b"9223372036854775807", i64::MAX),
            (b"9223372036854775808", i64::MAX),
            (b"99999999999999999999999", i64::MAX),
            (b"-9223372036854775808", i64::MIN),
            (b"-9223372036854775809", i64::MIN),
            (b"-99999999999999999999999", i64::MIN),
            (b"99999999999", 99_999_999_999),
        ] {
            assert_eq!(parse_int(s), want, "{:?}", String::from_utf8_lossy(s));
        }
    }

    #[test]
    fn parse_int_eq_table() {
        for (s, want) in [
            (&b""[..], 0),
            (b"5", 5),
            (b" -5x", -5),
            (b"abc", 0),
            (b"2147483647", 2_147_483_647),
            (b"2147483648", 0), // out_of_range -> 0
            (b"-2147483648", -2_147_483_648),
            (b"-2147483649", 0),
            (b"99999999999", 0),
            (b"99999999999999999999999", 0),
        ] {
            assert_eq!(parse_int_eq(s), want, "{:?}", String::from_utf8_lossy(s));
        }
    }

    #[test]
    fn operators() {
        assert!(eq(b"0", b""));
        assert!(eq(b"0", b"abc"));
        assert!(eq(b"0", b"99999999999"));
        assert!(eq(b"1", b"1abc"));
        assert!(!eq(b"1", b"2"));
        assert!(gt(b"0", b"1"));
        assert!(!gt(b"1", b"1"));
        assert!(ge(b"1", b"1"));
        assert!(lt(b"2", b"1"));
        assert!(le(b"1", b"1"));
        assert!(!le(b"1", b"2"));
        // @gt uses 64-bit values where @eq would see 0.
        assert!(gt(b"2147483647", b"99999999999"));
        assert!(lt(b"1", b"-5"));
        assert!(ge(b"abc", b""));
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut x: u64 = 7;
        for _ in 0..50_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 30) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|i| {
                    let b = (x.rotate_left(i as u32 * 5) >> 7) as u8;
                    if b & 1 == 0 { b'0' + b % 10 } else { b }
                })
                .collect();
            let a = parse_int(&bytes);
            let e = parse_int_eq(&bytes);
            assert!(e == 0 || e == a, "{bytes:?}");
        }
    }
}
