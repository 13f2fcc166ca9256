//! String operators with ModSecurity v3 semantics: `@within`, `@containsWord`,
//! `@strmatch`, `@beginsWith`, `@endsWith`, `@contains`, `@streq`.
//!
//! Every function takes the (already macro-expanded) parameter first and the
//! transformed input second, and compares bytes exactly (case-sensitive, no
//! Unicode handling), as v3 does with `std::string`.

use memchr::memmem;

/// Offset of the first occurrence of `needle` in `haystack` (`std::string::find`;
/// an empty needle is found at 0).
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memmem::find(haystack, needle)
}

/// `@within`: true when `input` occurs as a substring of `param`.
///
/// v3 returns true for an empty input without searching, so an empty
/// variable value is always "within" any list (CRS's `!@within` checks
/// therefore never fire on empty values).
pub fn within(param: &[u8], input: &[u8]) -> bool {
    input.is_empty() || find(param, input).is_some()
}

/// v3's `ContainsWord::acceptableChar`: a byte is a word boundary unless it
/// is an ASCII letter. Digits, `_` and bytes >= 0x80 are all boundaries.
fn is_boundary(b: u8) -> bool {
    !b.is_ascii_alphabetic()
}

/// `@containsWord`: true when `param` occurs in `input` delimited on both
/// sides by the start/end of the input or a non-letter byte.
///
/// v3 details kept here: an empty parameter always matches (even an empty
/// input); otherwise an empty input never matches; only ASCII letters count
/// as word characters, so `"abc"` is a word in `"abc1"`, `"abc_x"` and
/// `"\xe9abc"`, but not in `"abcd"`.
pub fn contains_word(param: &[u8], input: &[u8]) -> bool {
    if param.is_empty() {
        return true;
    }
    if input.is_empty() {
        return false;
    }
    // Occurrences may overlap (v3 resumes the search at pos + 1), so this is
    // not `find_iter`, which skips past each match.
    let finder = memmem::Finder::new(param);
    let mut from = 0;
    while let Some(rel) = input.get(from..).and_then(|rest| finder.find(rest)) {
        let pos = from + rel;
        let end = pos + param.len();
        let before_ok = pos == 0 || input.get(pos - 1).is_some_and(|&b| is_boundary(b));
        let after_ok = end == input.len() || input.get(end).is_some_and(|&b| is_boundary(b));
        if before_ok && after_ok {
            return true;
        }
        from = pos + 1;
    }
    false
}

/// `@strmatch`: true when `param` occurs in `input` (an empty parameter
/// always matches). v3 uses `std::string::find`; we use a memmem search.
pub fn strmatch(param: &[u8], input: &[u8]) -> bool {
    find(input, param).is_some()
}

/// `@contains`: true when `param` occurs in `input` (an empty parameter
/// always matches). Returns the same as [`strmatch`]; kept separate because
/// v3 records the match position and `MATCHED` data for `@contains`, see
/// [`contains_at`].
pub fn contains(param: &[u8], input: &[u8]) -> bool {
    find(input, param).is_some()
}

/// Offset of the first occurrence of `param` in `input`, for logging the
/// match like v3's `@contains` does.
#[cfg(test)]
pub fn contains_at(param: &[u8], input: &[u8]) -> Option<usize> {
    find(input, param)
}

/// `@beginsWith`: true when `input` starts with `param` (an empty parameter
/// always matches; a parameter longer than the input never does).
pub fn begins_with(param: &[u8], input: &[u8]) -> bool {
    input.starts_with(param)
}

/// `@endsWith`: true when `input` ends with `param` (an empty parameter
/// always matches; a parameter longer than the input never does).
pub fn ends_with(param: &[u8], input: &[u8]) -> bool {
    input.ends_with(param)
}

/// `@streq`: byte-for-byte equality of `param` and `input`.
pub fn streq(param: &[u8], input: &[u8]) -> bool {
    param == input
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    /// Literal transcription of v3's `ContainsWord::evaluate` loop (including
    /// its `pos - 1` wrap-around at position 0), used as an oracle.
    fn contains_word_v3(param: &[u8], s: &[u8]) -> bool {
        let acceptable = |a: &[u8], pos: usize| -> bool {
            if a.len().wrapping_sub(1) < pos {
                return false;
            }
            let ch = a[pos] as i8;
            !((65..=90).contains(&ch) || (97..=122).contains(&ch))
        };
        if param.is_empty() {
            return true;
        }
        if s.is_empty() {
            return false;
        }
        if s == param {
            return true;
        }
        let mut pos = memmem::find(s, param);
        while let Some(p) = pos {
            if p == 0 && acceptable(s, param.len()) {
                return true;
            }
            if p + param.len() == s.len() && acceptable(s, p.wrapping_sub(1)) {
                return true;
            }
            if acceptable(s, p.wrapping_sub(1)) && acceptable(s, p + param.len()) {
                return true;
            }
            pos = s.get(p + 1..).and_then(|rest| memmem::find(rest, param)).map(|q| q + p + 1);
        }
        false
    }

    #[test]
    fn within_table() {
        assert!(within(b"GET POST HEAD", b"POST"));
        assert!(within(b"GET POST HEAD", b"ST HE")); // substring, not word
        assert!(!within(b"GET POST HEAD", b"PUT"));
        assert!(!within(b"GET POST HEAD", b"get")); // case-sensitive
        assert!(within(b"GET POST", b"")); // v3: empty input is always within
        assert!(within(b"", b""));
        assert!(!within(b"", b"x"));
        assert!(!within(b"ab", b"abc"));
        assert!(within(b"\xff\x00\xfe", b"\x00"));
    }

    #[test]
    fn contains_word_table() {
        for (param, input, want) in [
            (&b"abc"[..], &b"abc"[..], true),
            (b"abc", b"abc def", true),
            (b"abc", b"def abc", true),
            (b"abc", b"x abc y", true),
            (b"abc", b"abcd", false),
            (b"abc", b"xabc", false),
            (b"abc", b"xabc abc", true), // second occurrence
            (b"abc", b"abcabc", false),
            (b"abc", b"abc1", true), // digits are boundaries in v3
            (b"abc", b"1abc1", true),
            (b"abc", b"_abc_", true),
            (b"abc", b"\xe9abc\xe9", true), // non-ASCII is a boundary
            (b"abc", b"ABC", false),
            (b"abc", b"", false),
            (b"", b"", true),
            (b"", b"anything", true),
            (b"a b", b"x a b y", true),
            (b"a b", b"xa b", false),
            (b"select", b"(select)", true),
            (b"ab", b"aab ab", true),
            (b"aa", b"aaa", false),
            (b"aa", b"aaa aa", true),
            (b"-", b"a-b", false), // neighbours are letters
            (b"-", b"1-2", true), // the param itself need not be a word
            (b"a1a", b"ba1a1a", true), // only an overlapping occurrence qualifies
        ] {
            assert_eq!(contains_word(param, input), want, "{param:?} in {input:?}");
            assert_eq!(contains_word_v3(param, input), want, "oracle {param:?} in {input:?}");
        }
    }

    #[test]
    fn contains_word_agrees_with_v3_transcription() {
        let mut x: u64 = 99;
        let alphabet = b"aab1 _\xe9";
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let plen = (x % 3) as usize;
            let ilen = ((x >> 8) % 8) as usize;
            let pick = |k: usize| alphabet[((x >> (16 + 3 * k)) % alphabet.len() as u64) as usize];
            let param: Vec<u8> = (0..plen).map(pick).collect();
            let input: Vec<u8> = (0..ilen).map(|k| pick(k + 3)).collect();
            assert_eq!(
                contains_word(&param, &input),
                contains_word_v3(&param, &input),
                "{param:?} in {input:?}"
            );
        }
    }

    #[test]
    fn substring_operators() {
        assert!(strmatch(b"WebZIP", b"Mozilla WebZIP/1.0"));
        assert!(!strmatch(b"webzip", b"Mozilla WebZIP/1.0"));
        assert!(strmatch(b"", b""));
        assert!(strmatch(b"", b"x"));
        assert!(!strmatch(b"x", b""));
        assert!(contains(b"\x00", b"a\x00b"));
        assert_eq!(contains_at(b"b", b"abcb"), Some(1));
        assert_eq!(contains_at(b"z", b"abcb"), None);
        assert!(!contains(b"abcd", b"abc"));
    }

    #[test]
    fn prefix_suffix_equality() {
        assert!(begins_with(b"/admin", b"/admin/panel"));
        assert!(!begins_with(b"/admin", b"/adm"));
        assert!(begins_with(b"", b""));
        assert!(begins_with(b"", b"x"));
        assert!(!begins_with(b"x", b""));
        assert!(ends_with(b".php", b"index.php"));
        assert!(!ends_with(b".php", b"index.PHP"));
        assert!(!ends_with(b"long.php", b".php"));
        assert!(ends_with(b"", b""));
        assert!(streq(b"", b""));
        assert!(streq(b"\xff", b"\xff"));
        assert!(!streq(b"a", b"A"));
        assert!(!streq(b"a", b"a "));
    }
}
