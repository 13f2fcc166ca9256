//! Tests for the transformation module: the vector table, names, the
//! borrowed-iff-unchanged invariant, and no-panic fuzzing.

use std::borrow::Cow;

use super::Transform as T;
use super::{Transform, UnicodeMap};

include!("vectors.rs");

/// Shown in failure messages.
fn show(b: &[u8]) -> String {
    b.escape_ascii().to_string()
}

/// Deterministic xorshift64 generator (no external crates).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn vectors() {
    let mut failures = Vec::new();
    for &(t, input, expected) in VECTORS {
        let got = t.apply(input);
        if *got != *expected {
            failures.push(format!(
                "{t}: {:?} -> {:?}, expected {:?}",
                show(input),
                show(&got),
                show(expected)
            ));
        }
        let borrowed = matches!(got, Cow::Borrowed(_));
        if borrowed != (input == expected) {
            failures.push(format!(
                "{t}: {:?}: borrowed={borrowed} but equal={}",
                show(input),
                input == expected
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn enough_vectors_for_crs_transformations() {
    let crs = [
        T::Lowercase,
        T::UrlDecodeUni,
        T::UrlDecode,
        T::JsDecode,
        T::HtmlEntityDecode,
        T::Utf8ToUnicode,
        T::RemoveNulls,
        T::CssDecode,
        T::CmdLine,
        T::RemoveWhitespace,
        T::ReplaceComments,
        T::NormalizePath,
        T::EscapeSeqDecode,
        T::CompressWhitespace,
        T::NormalizePathWin,
        T::Length,
        T::Base64Decode,
        T::HexEncode,
        T::RemoveCommentsChar,
    ];
    for t in crs {
        let n = VECTORS.iter().filter(|(v, _, _)| *v == t).count();
        assert!(n >= 5, "{t} has only {n} vectors");
    }
    for &t in Transform::ALL {
        assert!(VECTORS.iter().any(|(v, _, _)| *v == t), "{t} has no vector");
    }
}

#[test]
fn names_round_trip() {
    assert_eq!(Transform::ALL.len(), 38);
    for &t in Transform::ALL {
        let name = t.name();
        assert!(!name.is_empty(), "{t:?} has no name");
        assert_eq!(Transform::from_name(name), Some(t), "{name}");
        assert_eq!(
            Transform::from_name(&name.to_ascii_lowercase()),
            Some(t),
            "{name}"
        );
        assert_eq!(
            Transform::from_name(&name.to_ascii_uppercase()),
            Some(t),
            "{name}"
        );
        assert_eq!(t.to_string(), name);
    }
    let mut sorted = Transform::ALL.to_vec();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), Transform::ALL.len(), "duplicate in ALL");
}

#[test]
fn name_parsing_special_cases() {
    assert_eq!(Transform::from_name("none"), None);
    assert_eq!(Transform::from_name("None"), None);
    assert_eq!(Transform::from_name(""), None);
    assert_eq!(Transform::from_name("t:lowercase"), None);
    assert_eq!(Transform::from_name("lowercase "), None);
    assert_eq!(Transform::from_name("cmd_line"), None);
    assert_eq!(
        Transform::from_name("normalisePath"),
        Some(T::NormalizePath)
    );
    assert_eq!(
        Transform::from_name("NORMALISEPATHWIN"),
        Some(T::NormalizePathWin)
    );
    assert_eq!(Transform::from_name("base64decode"), Some(T::Base64Decode));
    assert_eq!(
        Transform::from_name("base64DecodeExt"),
        Some(T::Base64DecodeExt)
    );
    assert_eq!(
        Transform::from_name("utf8ToUnicode"),
        Some(T::Utf8ToUnicode)
    );
    assert_eq!(T::NormalizePath.name(), "normalizePath");
    assert_eq!(T::Utf8ToUnicode.name(), "utf8toUnicode");
}

/// Bytes that trigger the interesting paths of the decoders.
const SPICY: &[u8] = b"%%uU+\\\\&&#;xX0147afFzZ/./*<!-->#\"'^ \t\n\r\x0b\x00\x80\xa0\xc2\xc3\xe2\xed\xf0\xf5\xff=9QUJD";

#[test]
fn never_panics_and_borrows_iff_unchanged() {
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let map = UnicodeMap::new();
    for &t in Transform::ALL {
        for round in 0..3000 {
            let len = if round % 100 == 0 {
                rng.below(2000)
            } else {
                rng.below(40)
            };
            let input: Vec<u8> = (0..len)
                .map(|_| {
                    if rng.below(3) == 0 {
                        rng.next() as u8
                    } else {
                        SPICY.get(rng.below(SPICY.len())).copied().unwrap_or(b'a')
                    }
                })
                .collect();
            let out = t.apply(&input);
            let borrowed = matches!(out, Cow::Borrowed(_));
            assert_eq!(borrowed, *out == *input, "{t} on {:?}", show(&input));
            let with = t.apply_with(&input, None);
            assert_eq!(*with.value, *out, "{t} apply_with on {:?}", show(&input));
            let mapped = t.apply_with(&input, Some(&map));
            assert_eq!(
                matches!(mapped.value, Cow::Borrowed(_)),
                *mapped.value == *input
            );
        }
    }
}

#[test]
fn repeated_application_is_stable_where_idempotent() {
    // These transformations are idempotent in ModSecurity too.
    let idempotent = [
        T::Lowercase,
        T::Uppercase,
        T::RemoveNulls,
        T::ReplaceNulls,
        T::RemoveWhitespace,
        T::CompressWhitespace,
        T::Trim,
        T::TrimLeft,
        T::TrimRight,
        T::ParityZero7bit,
        T::CmdLine,
    ];
    let mut rng = XorShift(7);
    for t in idempotent {
        for _ in 0..500 {
            let input: Vec<u8> = (0..rng.below(30))
                .map(|_| SPICY[rng.below(SPICY.len())])
                .collect();
            let once = t.apply(&input).into_owned();
            let twice = t.apply(&once);
            assert!(
                matches!(twice, Cow::Borrowed(_)),
                "{t} not stable on {:?}",
                show(&input)
            );
        }
    }
}

#[test]
fn modsecurity_changed_flag() {
    let flag = |t: Transform, input: &[u8]| t.apply_with(input, None).changed;
    // cmdLine / compressWhitespace: only length changes count.
    assert!(!flag(T::CmdLine, b"ABC"));
    assert!(flag(T::CmdLine, b"a  b"));
    assert!(!flag(T::CompressWhitespace, b"a\tb"));
    assert!(flag(T::CompressWhitespace, b"a\t\tb"));
    // cssDecode: a dropped backslash is not a change; an escape is.
    assert!(!flag(T::CssDecode, b"\\g"));
    assert!(flag(T::CssDecode, b"\\41"));
    // utf8toUnicode: dropped bytes are not a change; an encoding is.
    assert!(!flag(T::Utf8ToUnicode, b"a\x00b"));
    assert!(flag(T::Utf8ToUnicode, b"\xc3\xa9"));
    // Always-changed transformations.
    assert!(flag(T::Length, b""));
    assert!(flag(T::Sha1, b""));
    assert!(flag(T::Length, b"1"));
    assert!(!flag(T::Base64Decode, b""));
    assert!(flag(T::ParityZero7bit, b"abc"));
    // lowercase: glibc quirk for bytes 0x80-0xFE.
    assert!(flag(T::Lowercase, b"a\x80"));
    assert!(!flag(T::Lowercase, b"a\xff"));
    assert!(!flag(T::Lowercase, b"abc"));
    // normalizePath keeps its own flag.
    assert!(flag(T::NormalizePath, b"/a/./b"));
    assert!(!flag(T::NormalizePath, b"/a/b"));
}

#[test]
fn url_decode_uni_with_unicode_map() {
    let mut map = UnicodeMap::new();
    map.insert(0x00e9, b'e');
    map.insert(0x201c, b'"');
    let apply = |s: &[u8]| T::UrlDecodeUni.apply_with(s, Some(&map)).value.into_owned();
    assert_eq!(apply(b"%u00e9%u201c"), b"e\"");
    // Built-in entries (full stops).
    assert_eq!(apply(b"%u3002%uff61%uFF0E"), b"...");
    // Unmapped code points fall back to the low byte / full-width rule.
    assert_eq!(apply(b"%u1234%uFF01"), b"4!");
    assert_eq!(map.get(0x00e9), Some(b'e'));
    assert_eq!(map.get(0x00ea), None);
}

#[test]
fn unicode_map_from_mapping_file() {
    let text = b"(MAC - Roman)\r\n\r\n1252 (ANSI - Latin I)\r\n00a1:21 00a2:63\r\n\r\n\
20127 (US-ASCII)\r\n00a0:20 00e9:65 ff01:21 0041:7a\r\n\r\n20261 (T.61)\r\nf8dd:5c\r\n";
    let map = UnicodeMap::from_mapping_file(text, 20127).unwrap_or_default();
    assert_eq!(map.get(0x00e9), Some(b'e'));
    assert_eq!(map.get(0x0041), Some(b'z'));
    assert_eq!(map.get(0x00a1), None, "other code page");
    assert_eq!(map.get(0xf8dd), None, "parsing stops at the next code page");
    assert_eq!(map.get(0x3002), Some(b'.'), "built-in entry");
    assert!(UnicodeMap::from_mapping_file(text, 0).is_none());
    let missing = UnicodeMap::from_mapping_file(text, 99999).unwrap_or_default();
    assert_eq!(missing.get(0x00e9), None);
    assert_eq!(missing, UnicodeMap::new());
}

#[test]
fn digests_across_padding_boundaries() {
    // (length, sha1, md5) of bytes (i * 7 + 3) & 0xff, from an independent
    // implementation.
    let cases: &[(usize, &str, &str)] = &[
        (
            55,
            "ddf57317ef34bfee3b6df83d359098930eb278bc",
            "52c0e574e1198de5fe3f8f11440dcb1b",
        ),
        (
            56,
            "a0d492bb0fc889d0eca3bc137066ab6f4f74f369",
            "46c9907fc908ee68b1e7b8e71286a518",
        ),
        (
            63,
            "c55856749bef509bdfe6bfebfc7bf4e793e82132",
            "a62f6d59e837867693f042f5b8f5a236",
        ),
        (
            64,
            "bede92be29c3874e1b54ddc77988d606fc857a8e",
            "7160b8fb5e9e4023d549c3971fbaeead",
        ),
        (
            65,
            "b05a80522b053d6dc7e0a517d0e70212c7dad11f",
            "70bd662e7aefbda85a0f7244167b7897",
        ),
        (
            119,
            "504e27376a6e0f0dba8295b85cb25dc4dfa17d23",
            "e84905d4214f4d1ca56c2cdcc152b143",
        ),
        (
            120,
            "82134b02fb3f702491be9bed581eeab59334acb2",
            "e3eb5a6c8669ea01a8c185b8abc8a5dc",
        ),
        (
            1000,
            "4231a8a50a10fa9758db8ec71fdef855b751048a",
            "10046f077f2082ac19676b8079f1cb1a",
        ),
    ];
    for &(n, sha1, md5) in cases {
        let input: Vec<u8> = (0..n).map(|i| ((i * 7 + 3) & 0xff) as u8).collect();
        let hex = |t: Transform| T::HexEncode.apply(&t.apply(&input)).into_owned();
        assert_eq!(hex(T::Sha1), sha1.as_bytes(), "sha1 of {n} bytes");
        assert_eq!(hex(T::Md5), md5.as_bytes(), "md5 of {n} bytes");
    }
}

#[test]
fn long_inputs() {
    let big = vec![b'A'; 100_000];
    assert_eq!(T::Length.apply(&big).as_ref(), b"100000");
    assert_eq!(T::Lowercase.apply(&big).len(), 100_000);
    let encoded = T::Base64Encode.apply(&big).into_owned();
    assert_eq!(T::Base64Decode.apply(&encoded).as_ref(), &big[..]);
    assert_eq!(T::Base64DecodeExt.apply(&encoded).as_ref(), &big[..]);
    let hex = T::HexEncode.apply(&big).into_owned();
    assert_eq!(T::HexDecode.apply(&hex).as_ref(), &big[..]);
    let pct = T::UrlEncode.apply(b"a b&c").into_owned();
    assert_eq!(T::UrlDecode.apply(&pct).as_ref(), b"a b&c");
}
