//! GraphQL string arguments (a Portcullis extension, `SecGraphQLArguments
//! On`).
//!
//! A GraphQL request carries its operation as text: `{"query": "mutation {
//! updateProfile(input: {footer: \"...\"}) { id } }"}` in a JSON body, or
//! `?query=...` in a GET. What a client sets in a field inside that text is
//! no argument of its own: it is a few bytes in the middle of the `query`
//! value, where a whole-value decoding (`t:base64DecodeAuto`) never sees it
//! alone and a detector that reads from the start (libinjection) sees the
//! query first. Values sent as `variables` are JSON members already.
//!
//! With the setting on, each string value written in such a document (an
//! argument, an input-object field, a list item, a variable's default) is
//! also an argument of its own, named after the argument that held the
//! document and the nearest name before it: `json.query.footer`,
//! `query.imageUrl`. The document stays an argument too, so nothing is read
//! less than before.
//!
//! The lexer follows the GraphQL specification's lexical grammar (names,
//! punctuators, numbers, strings with `\"`, `\\`, `\/`, `\b`, `\f`, `\n`,
//! `\r`, `\t`, `\uXXXX` and `\u{...}` escapes, block strings `"""..."""`,
//! comments, commas as blanks) but does not validate the document: a value
//! is taken as a document when, after blanks and comments, it opens with
//! `{` or an operation keyword, and holds a `{`. An unknown escape is kept
//! as written; a string not closed before the end of its line ends there.
//! At most [`MAX_STRINGS`] values are taken from one document.

/// Most string values taken from one document; the document itself is
/// still an argument, so a value past the bound is read there.
pub const MAX_STRINGS: usize = 64;

/// The name given to a string that follows no `name:` (a list at the top of
/// an argument cannot be one, but a malformed document may have one).
const UNNAMED: &[u8] = b"string";

/// Whether `doc` reads as a GraphQL executable document: after blanks,
/// commas and comments it opens with `{`, or with `query`, `mutation`,
/// `subscription` or `fragment` as a whole word, and it holds a `{`.
pub fn is_document(doc: &[u8]) -> bool {
    let start = skip_ignored(doc, 0);
    let rest = doc.get(start..).unwrap_or(b"");
    let opens = rest.first() == Some(&b'{')
        || [&b"query"[..], b"mutation", b"subscription", b"fragment"]
            .iter()
            .any(|kw| {
                rest.starts_with(kw) && !rest.get(kw.len()).is_some_and(|&c| is_name_byte(c))
            });
    opens && memchr::memchr(b'{', rest).is_some()
}

/// Call `f(name, value)` for each string value of `doc`, in document order,
/// at most [`MAX_STRINGS`]: `name` is the nearest name followed by `:`
/// before it (the argument or input field), `value` the string with its
/// escapes undone (a block string as written between its quotes, `\"""`
/// undone). `doc` need not be a valid document; any input is read without
/// panicking, in one pass.
pub fn string_values(doc: &[u8], mut f: impl FnMut(&[u8], &[u8])) {
    let mut i = 0;
    let mut last_name: (usize, usize) = (0, 0);
    let mut key: Option<(usize, usize)> = None;
    let mut value = Vec::new();
    let mut taken = 0;
    while taken < MAX_STRINGS {
        i = skip_ignored(doc, i);
        let Some(&c) = doc.get(i) else { return };
        if c == b'"' {
            value.clear();
            i = if doc.get(i..i + 3) == Some(b"\"\"\"") {
                block_string(doc, i + 3, &mut value)
            } else {
                string(doc, i + 1, &mut value)
            };
            let name = key.and_then(|(s, e)| doc.get(s..e)).unwrap_or(UNNAMED);
            f(name, &value);
            taken += 1;
        } else if is_name_start(c) {
            let end = doc.get(i..).map_or(i, |r| {
                i + r.iter().take_while(|&&b| is_name_byte(b)).count()
            });
            last_name = (i, end);
            i = end;
        } else if c == b':' {
            key = Some(last_name);
            i += 1;
        } else {
            i += 1;
        }
    }
}

fn is_name_start(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphabetic()
}

fn is_name_byte(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphanumeric()
}

/// The index of the first byte at or after `i` that is not a blank, a line
/// break, a comma, a byte order mark or inside a `#` comment.
fn skip_ignored(doc: &[u8], mut i: usize) -> usize {
    loop {
        match doc.get(i) {
            Some(b' ' | b'\t' | b'\n' | b'\r' | b',') => i += 1,
            Some(b'#') => {
                i = match doc.get(i..).and_then(|r| memchr::memchr2(b'\n', b'\r', r)) {
                    Some(p) => i + p,
                    None => doc.len(),
                }
            }
            Some(0xEF) if doc.get(i..i + 3) == Some(b"\xEF\xBB\xBF") => i += 3,
            _ => return i,
        }
    }
}

/// A string whose opening quote is before `i`: its value into `out`; the
/// index after its closing quote (or of the line break or end that ends it).
fn string(doc: &[u8], mut i: usize, out: &mut Vec<u8>) -> usize {
    while let Some(&c) = doc.get(i) {
        match c {
            b'"' => return i + 1,
            b'\n' | b'\r' => return i,
            b'\\' => i = escape(doc, i, out),
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    i
}

/// The escape at `i` (a backslash) into `out`; the index after it.
fn escape(doc: &[u8], i: usize, out: &mut Vec<u8>) -> usize {
    let simple = match doc.get(i + 1) {
        Some(b'"') => Some(b'"'),
        Some(b'\\') => Some(b'\\'),
        Some(b'/') => Some(b'/'),
        Some(b'b') => Some(0x08),
        Some(b'f') => Some(0x0C),
        Some(b'n') => Some(b'\n'),
        Some(b'r') => Some(b'\r'),
        Some(b't') => Some(b'\t'),
        _ => None,
    };
    if let Some(b) = simple {
        out.push(b);
        return i + 2;
    }
    if doc.get(i + 1) == Some(&b'u') {
        if let Some((cp, next)) = unicode_escape(doc, i + 2) {
            push_char(out, cp);
            return next;
        }
    }
    // Unknown or broken: kept as written.
    out.push(b'\\');
    i + 1
}

/// The code point of a `\u` escape whose `u` is before `i`: `XXXX` (a
/// surrogate pair written as two escapes joined) or `{X...}`; and the index
/// after it.
fn unicode_escape(doc: &[u8], i: usize) -> Option<(u32, usize)> {
    if doc.get(i) == Some(&b'{') {
        let digits = doc
            .get(i + 1..)?
            .iter()
            .take_while(|c| c.is_ascii_hexdigit())
            .count();
        if digits == 0 || digits > 6 || doc.get(i + 1 + digits) != Some(&b'}') {
            return None;
        }
        let cp = hex(doc.get(i + 1..i + 1 + digits)?)?;
        return Some((cp, i + 2 + digits));
    }
    let hi = hex(doc.get(i..i + 4)?)?;
    if (0xD800..0xDC00).contains(&hi) && doc.get(i + 4..i + 6) == Some(b"\\u") {
        if let Some(lo) = doc.get(i + 6..i + 10).and_then(hex) {
            if (0xDC00..0xE000).contains(&lo) {
                return Some((0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00), i + 10));
            }
        }
    }
    Some((hi, i + 4))
}

fn hex(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u32::from_str_radix(core::str::from_utf8(digits).ok()?, 16).ok()
}

/// `cp` as UTF-8; a lone surrogate or a value past U+10FFFF as U+FFFD.
fn push_char(out: &mut Vec<u8>, cp: u32) {
    let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
    let mut buf = [0u8; 4];
    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
}

/// A block string whose opening `"""` is before `i`: its text into `out`
/// (`\"""` undone, nothing else); the index after the closing `"""`, or the
/// end.
fn block_string(doc: &[u8], mut i: usize, out: &mut Vec<u8>) -> usize {
    while let Some(&c) = doc.get(i) {
        if doc.get(i..i + 3) == Some(b"\"\"\"") {
            return i + 3;
        }
        if c == b'\\' && doc.get(i + 1..i + 4) == Some(b"\"\"\"") {
            out.extend_from_slice(b"\"\"\"");
            i += 4;
        } else {
            out.push(c);
            i += 1;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(doc: &str) -> Vec<(String, String)> {
        let mut v = Vec::new();
        string_values(doc.as_bytes(), |k, s| {
            v.push((
                String::from_utf8_lossy(k).into_owned(),
                String::from_utf8_lossy(s).into_owned(),
            ))
        });
        v
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, s)| (k.to_string(), s.to_string()))
            .collect()
    }

    #[test]
    fn documents_are_told_from_other_values() {
        for doc in [
            "{ me { id } }",
            "query { customer(id: \"C-1\") { id } }",
            "  # a comment\n mutation Save($x: Int) { save(x: $x) { ok } }",
            "subscription{ orders { id } }",
            "fragment F on Order { id } query { order(id: 1) { ...F } }",
            "\u{FEFF}query Q { a }",
        ] {
            assert!(is_document(doc.as_bytes()), "{doc}");
        }
        for value in [
            "shoes",
            "query languages for beginners",
            "queryX { a }",
            "",
            "{",
            "[1,2]",
            "mutation testing",
        ] {
            assert_eq!(is_document(value.as_bytes()), value == "{", "{value}");
        }
    }

    #[test]
    fn each_string_is_named_by_the_nearest_name_before_a_colon() {
        assert_eq!(
            values(
                r#"mutation { updateProfile(input: { id: "u1", footer: "<!--#exec cmd=\"id\"-->", locale: "en-GB" }) { id } }"#
            ),
            pairs(&[
                ("id", "u1"),
                ("footer", "<!--#exec cmd=\"id\"-->"),
                ("locale", "en-GB")
            ])
        );
        assert_eq!(
            values(r#"query { search(tags: ["a", "b"], first: 5, after: "Y3Vyc29y") { id } }"#),
            pairs(&[("tags", "a"), ("tags", "b"), ("after", "Y3Vyc29y")])
        );
        assert_eq!(
            values(r#"query Q($q: String = "x") { a }"#),
            pairs(&[("q", "x")])
        );
        assert_eq!(values(r#"{ a(x: 1) }"#), pairs(&[]));
        assert_eq!(values(r#""alone""#), pairs(&[("string", "alone")]));
    }

    #[test]
    fn escapes_are_undone() {
        assert_eq!(
            values(r#"{ a(x: "q\"\\\/\b\f\n\r\t\u0027\u{1F600}\ud83d\ude00\q") }"#),
            pairs(&[("x", "q\"\\/\u{8}\u{c}\n\r\t'😀😀\\q")])
        );
        // A lone surrogate, a broken \u, an escape at the end.
        assert_eq!(
            values(r#"{ a(x: "\ud800!") }"#),
            pairs(&[("x", "\u{FFFD}!")])
        );
        assert_eq!(values(r#"{ a(x: "\u12") }"#), pairs(&[("x", "\\u12")]));
        assert_eq!(values("{ a(x: \"ab\\"), pairs(&[("x", "ab\\")]));
    }

    #[test]
    fn block_strings_comments_and_broken_strings() {
        assert_eq!(
            values("{ a(x: \"\"\"line 1\n  \\\"\"\" \"quoted\" end\"\"\") }"),
            pairs(&[("x", "line 1\n  \"\"\" \"quoted\" end")])
        );
        assert_eq!(
            values("{ a(x: \"\"\"never closed"),
            pairs(&[("x", "never closed")])
        );
        assert_eq!(
            values("# x: \"not a value\"\n{ a(y: \"v\") }"),
            pairs(&[("y", "v")])
        );
        // A string ends at its line break; what follows is read on.
        assert_eq!(
            values("{ a(x: \"one\n, y: \"two\") }"),
            pairs(&[("x", "one"), ("y", "two")])
        );
    }

    #[test]
    fn bounded() {
        let doc: String = (0..200).map(|i| format!("a{i}: \"v{i}\" ")).collect();
        let v = values(&format!("{{ f({doc}) }}"));
        assert_eq!(v.len(), MAX_STRINGS);
        assert_eq!(v[MAX_STRINGS - 1], ("a63".to_string(), "v63".to_string()));
    }

    #[test]
    fn any_bytes_are_read_without_panicking() {
        let mut seed = 7u32;
        for n in 0..2000 {
            let doc: Vec<u8> = (0..(n % 64))
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    b"{}():\"\\u{0}x#\n,q \xEF\xBB\xBFd8"[(seed >> 16) as usize % 22]
                })
                .collect();
            let _ = is_document(&doc);
            string_values(&doc, |_, _| {});
        }
    }
}
