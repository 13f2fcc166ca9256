//! `@detectSQLi` and `@detectXSS`: libinjection, as ModSecurity v3 calls it.
//!
//! ModSecurity v3 passes the whole (transformed) input to `libinjection_sqli`
//! and `libinjection_xss` and matches when they return non-zero; for SQLi the
//! fingerprint becomes `TX.0` under `capture`.
//!
//! SQLi uses `libinjectionrs` (a pure-Rust port) for tokenizing, folding and
//! fingerprinting, with our own driver and false-positive filter. XSS uses that
//! crate's HTML5 tokenizer (which passes all of libinjection's tokenizer
//! vectors) but our own detection pass, because the crate's pass differs
//! from C libinjection in how it matches `on*` event-handler names (see
//! [`is_black_attr`]). Fidelity is checked by the tests in this file
//! (libinjection's own test vectors when `LIBINJECTION_DIR` is set, a
//! differential run against recorded C results, and a committed table).
//!
//! Known differences from C libinjection, all inherited from the crate's
//! tokenizer/folder: (1) keywords of three or more words (`LOCK IN SHARE
//! MODE`, `IN BOOLEAN MODE`) are not merged, so e.g.
//! `-1 LOCK IN SHARE MODE UNION SELECT ...` is missed; (2) `@name(` is not
//! turned into a function for `@user(` and the like (the crate keeps the
//! `@` in the token); (3) NUL bytes: C treats NUL as HTML whitespace and
//! handles it differently inside SQL tokens. CRS applies `t:removeNulls`
//! before both operators, so (3) does not affect CRS.

use libinjectionrs::xss::{Html5Flags, Html5State, TokenType};
use libinjectionrs::{SqliFlags, SqliState, XssDetector};

/// Returns the libinjection fingerprint (e.g. `"s&sos"`) when libinjection's
/// `libinjection_sqli` classifies `input` as SQL injection, `None` otherwise.
///
/// As `libinjection_is_sqli`: the input is fingerprinted as-is (ANSI SQL,
/// then MySQL when it holds MySQL-style comments), then as if preceded by a
/// single quote (same two dialects), then by a double quote (MySQL); the
/// first fingerprint that is blacklisted and survives the false-positive
/// filter is returned.
///
/// Invariants: never panics; an empty input is never SQLi; the fingerprint is
/// at most 5 ASCII characters.
pub fn detect_sqli(input: &[u8]) -> Option<String> {
    if input.is_empty() || plain_token(input) {
        return None;
    }
    detect_sqli_full(input)
}

/// Whether `input` is one word (letters and `_`) or one number (digits):
/// libinjection reads it as a single token in every quoting context, and no
/// single-token fingerprint is SQLi (the only one listed, `X`, is an
/// unparsable token) nor any HTML/attribute context XSS. Most argument
/// values are like this; skipping them saves a tokenizer run per value.
#[inline]
fn plain_token(input: &[u8]) -> bool {
    input.iter().all(|&b| b.is_ascii_alphabetic() || b == b'_') || input.iter().all(u8::is_ascii_digit)
}

/// [`detect_sqli`] without the plain-token shortcut.
fn detect_sqli_full(input: &[u8]) -> Option<String> {
    if input.is_empty() {
        return None;
    }
    let none = SqliFlags::FLAG_QUOTE_NONE;
    let single = SqliFlags::FLAG_QUOTE_SINGLE;
    let ansi = SqliFlags::FLAG_SQL_ANSI;
    let mysql = SqliFlags::FLAG_SQL_MYSQL;
    let (fp, reparse) = check_sqli(input, none | ansi);
    if fp.is_some() {
        return fp;
    }
    if reparse {
        if let (Some(fp), _) = check_sqli(input, none | mysql) {
            return Some(fp);
        }
    }
    if input.contains(&b'\'') {
        let (fp, reparse) = check_sqli(input, single | ansi);
        if fp.is_some() {
            return fp;
        }
        if reparse {
            if let (Some(fp), _) = check_sqli(input, single | mysql) {
                return Some(fp);
            }
        }
    }
    if input.contains(&b'"') {
        if let (Some(fp), _) = check_sqli(input, SqliFlags::FLAG_QUOTE_DOUBLE | mysql) {
            return Some(fp);
        }
    }
    None
}

/// Fingerprints `input` under `flags` (tokenizing and folding by
/// `libinjectionrs`) and applies libinjection's fingerprint check. Returns the
/// fingerprint when it is SQLi, and whether the input should be re-parsed as
/// MySQL (it holds `#` or `--x` comments).
fn check_sqli(input: &[u8], flags: SqliFlags) -> (Option<String>, bool) {
    let mut state = SqliState::new(input, flags);
    let fp = state.get_fingerprint();
    let fp = fp.as_str();
    let reparse = state.stats_comment_ddx != 0 || state.stats_comment_hash != 0;
    let sqli = libinjectionrs::sqli::blacklist::is_blacklisted(fp) && not_whitelisted(&state, fp, input);
    (sqli.then(|| fp.to_string()), reparse)
}

/// libinjection's `libinjection_sqli_not_whitelist`: false-positive filter
/// for short fingerprints. Written here rather than taken from
/// `libinjectionrs` because the crate's version compares `INTO` (for
/// `INTO OUTFILE`/`DUMPFILE`) case-sensitively and looks for `sp_password`
/// case-insensitively and only in UTF-8 input, unlike C.
fn not_whitelisted(state: &SqliState<'_>, fp: &str, input: &[u8]) -> bool {
    use libinjectionrs::sqli::TokenType as T;
    let fpb = fp.as_bytes();
    let tok = |i: usize| state.tokens.get(i);
    let val0 = |i: usize| tok(i).and_then(|t| t.val.first().copied()).unwrap_or(0);
    let ty = |i: usize| tok(i).map(|t| t.token_type);
    let at = |i: usize| input.get(i).copied().unwrap_or(0);
    if fpb.len() > 1 && fpb.last() == Some(&b'c') && memchr::memmem::find(input, b"sp_password").is_some() {
        return true;
    }
    match fpb.len() {
        2 => {
            if fpb.get(1) == Some(&b'U') {
                return state.stats_tokens != 2;
            }
            if val0(1) == b'#' {
                return false;
            }
            if ty(0) == Some(T::Bareword) && ty(1) == Some(T::Comment) && val0(1) != b'/' {
                return false;
            }
            if ty(0) == Some(T::Number) && ty(1) == Some(T::Comment) {
                if val0(1) == b'/' || state.stats_tokens > 2 {
                    return true;
                }
                // C reads the byte at index `tokenvec[0].len` (not pos + len),
                // as a signed char: a space, control or high byte means SQLi.
                let n = tok(0).map_or(0, |t| t.len);
                let ch = at(n);
                return (ch as i8) <= 32 || (ch == b'/' && at(n + 1) == b'*') || (ch == b'-' && at(n + 1) == b'-');
            }
            !(tok(1).is_some_and(|t| t.len > 2) && val0(1) == b'-')
        }
        3 => {
            if fp == "sos" || fp == "s&s" {
                let (Some(a), Some(c)) = (tok(0), tok(2)) else { return false };
                // `...foo' + 'bar...`: an unopened and an unclosed string.
                return a.str_open == 0 && c.str_close == 0 && a.str_close == c.str_open;
            }
            if matches!(fp, "s&n" | "n&1" | "1&1" | "1&v" | "1&s") {
                return state.stats_tokens != 3;
            }
            if ty(1) == Some(T::Keyword) {
                let into = tok(1).is_some_and(|t| {
                    t.len >= 5 && t.val.get(..4).is_some_and(|v| v.eq_ignore_ascii_case(b"INTO"))
                });
                return into;
            }
            true
        }
        _ => true,
    }
}

/// Returns true when libinjection's `libinjection_xss` classifies `input` as
/// XSS: the input is tokenised as HTML5 in five contexts (data, unquoted,
/// single-, double- and back-quoted attribute value) and any blacklisted tag,
/// attribute, URL scheme, doctype or suspicious comment is a match.
///
/// Invariant: never panics; an empty input is never XSS.
pub fn detect_xss(input: &[u8]) -> bool {
    if plain_token(input) {
        return false;
    }
    detect_xss_full(input)
}

/// [`detect_xss`] without the plain-token shortcut.
fn detect_xss_full(input: &[u8]) -> bool {
    [
        Html5Flags::DataState,
        Html5Flags::ValueNoQuote,
        Html5Flags::ValueSingleQuote,
        Html5Flags::ValueDoubleQuote,
        Html5Flags::ValueBackQuote,
    ]
    .into_iter()
    .any(|ctx| is_xss(input, ctx))
}

/// What an attribute name means for the value that follows it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Attr {
    None,
    /// Any value is XSS (event handlers, `xmlns`, ...).
    Black,
    /// The value is a URL: XSS when it uses a script-capable scheme.
    Url,
    /// Inline style: any value is XSS.
    Style,
    /// The value names another attribute (SVG `attributeName`).
    Indirect,
}

/// Tags whose mere opening is XSS (matched case-insensitively, NULs ignored).
const BLACK_TAGS: &[&[u8]] = &[
    b"APPLET", b"BASE", b"COMMENT", b"EMBED", b"FRAME", b"FRAMESET", b"HANDLER", b"IFRAME",
    b"IMPORT", b"ISINDEX", b"LINK", b"LISTENER", b"META", b"NOSCRIPT", b"OBJECT", b"SCRIPT",
    b"STYLE", b"VMLFRAME", b"XML", b"XSS",
];

/// Attributes with a special meaning (matched case-insensitively, NULs ignored).
const BLACK_ATTRS: &[(&[u8], Attr)] = &[
    (b"ACTION", Attr::Url),
    (b"ATTRIBUTENAME", Attr::Indirect),
    (b"BY", Attr::Url),
    (b"BACKGROUND", Attr::Url),
    (b"DATAFORMATAS", Attr::Black),
    (b"DATASRC", Attr::Black),
    (b"DYNSRC", Attr::Url),
    (b"FILTER", Attr::Style),
    (b"FORMACTION", Attr::Url),
    (b"FOLDER", Attr::Url),
    (b"FROM", Attr::Url),
    (b"HANDLER", Attr::Url),
    (b"HREF", Attr::Url),
    (b"LOWSRC", Attr::Url),
    (b"POSTER", Attr::Url),
    (b"SRC", Attr::Url),
    (b"STYLE", Attr::Style),
    (b"TO", Attr::Url),
    (b"VALUES", Attr::Url),
    (b"XLINK:HREF", Attr::Url),
];

/// Uppercases ASCII `a`-`z` only, as libinjection does.
fn upper(b: u8) -> u8 {
    if b.is_ascii_lowercase() { b - 0x20 } else { b }
}

/// libinjection's `cstrcasecmp_with_null(pattern, s, s.len()) == 0`: `s` with
/// its NUL bytes removed equals the uppercase `pattern`, ignoring ASCII case.
fn eq_skip_nul(pattern: &[u8], s: &[u8]) -> bool {
    let mut p = pattern.iter();
    for &b in s.iter().filter(|&&b| b != 0) {
        if p.next() != Some(&upper(b)) {
            return false;
        }
    }
    p.next().is_none()
}

/// `cstrcasecmp_with_null(pattern, s, pattern.len()) == 0`: the first
/// `pattern.len()` bytes of `s` equal `pattern` (ASCII case-insensitive). A
/// NUL among them makes the comparison come up short, so it never matches.
fn starts_with_ci(s: &[u8], pattern: &[u8]) -> bool {
    s.get(..pattern.len()).is_some_and(|head| head.iter().zip(pattern).all(|(&b, &p)| upper(b) == p))
}

/// Whether `name` (ASCII letters) is one of libinjection's event names,
/// asked of the `libinjectionrs` blacklist through a minimal document in
/// which `on<name>` is the only attribute (its exact-name check is right;
/// only its prefix semantics differ from C).
fn is_event_name(name: &[u8]) -> bool {
    let mut probe = Vec::with_capacity(name.len() + 10);
    probe.extend_from_slice(b"<a on");
    probe.extend_from_slice(name);
    probe.extend_from_slice(b"=x>");
    XssDetector::is_xss(&probe, Html5Flags::DataState)
}

/// libinjection's `is_black_attr` on a token of length `len` whose bytes
/// (and the rest of the input after it) are `rest`.
///
/// C compares each event name against as many bytes as the name has,
/// starting after `on` and reading past the end of the token if needed, so
/// `onerrorx`, `onerror%20` and `onload123` are all event handlers, while a
/// NUL inside the name (`onun\0load`) defeats the match. We find the run of
/// ASCII letters after `on` and test each prefix of it (event names are 3 to
/// 44 letters).
fn is_black_attr(rest: &[u8], len: usize) -> Attr {
    let token = rest.get(..len).unwrap_or(rest);
    if len < 2 {
        return Attr::None;
    }
    if len >= 5 {
        if matches!(token, [b'o' | b'O', b'n' | b'N', ..]) {
            let after_on = rest.get(2..).unwrap_or(&[]);
            let letters = after_on.iter().take(44).take_while(|b| b.is_ascii_alphabetic()).count();
            let run = after_on.get(..letters).unwrap_or(&[]);
            if (3..=letters).any(|n| run.get(..n).is_some_and(is_event_name)) {
                return Attr::Black;
            }
        }
        if starts_with_ci(rest, b"XMLNS") || starts_with_ci(rest, b"XLINK") {
            return Attr::Black;
        }
    }
    BLACK_ATTRS
        .iter()
        .find(|(name, _)| eq_skip_nul(name, token))
        .map_or(Attr::None, |&(_, kind)| kind)
}

/// libinjection's `is_black_tag`.
fn is_black_tag(token: &[u8]) -> bool {
    if token.len() < 3 {
        return false;
    }
    BLACK_TAGS.iter().any(|t| eq_skip_nul(t, token))
        || starts_with_ci(token, b"SVG")
        || starts_with_ci(token, b"XSL")
}

/// libinjection's `html_decode_char_at` over `rest` (the input from the
/// current position on) with `len` bytes logically available. Like C it may
/// look one or two bytes past `len` (still inside the input; past the end of
/// the input it sees NUL, as C sees the string's terminator). Returns the
/// decoded value and how many bytes it consumed.
fn html_decode_char_at(rest: &[u8], len: usize) -> (i32, usize) {
    let at = |i: usize| rest.get(i).copied().unwrap_or(0);
    let hex = |b: u8| char::from(b).to_digit(16).map(|d| d as i32);
    if len == 0 {
        return (-1, 0);
    }
    if at(0) != b'&' || len < 2 {
        return (i32::from(at(0)), 1);
    }
    if at(1) != b'#' {
        return (i32::from(b'&'), 1);
    }
    let amp = (i32::from(b'&'), 1);
    if at(2) == b'x' || at(2) == b'X' {
        let Some(mut val) = hex(at(3)) else { return amp };
        let mut i = 4;
        while i < len {
            let c = at(i);
            if c == b';' {
                return (val, i + 1);
            }
            let Some(d) = hex(c) else { return (val, i) };
            val = val * 16 + d;
            if val > 0x10_00FF {
                return amp;
            }
            i += 1;
        }
        (val, i)
    } else {
        let c = at(2);
        if !c.is_ascii_digit() {
            return amp;
        }
        let mut val = i32::from(c - b'0');
        let mut i = 3;
        while i < len {
            let c = at(i);
            if c == b';' {
                return (val, i + 1);
            }
            if !c.is_ascii_digit() {
                return (val, i);
            }
            val = val * 10 + i32::from(c - b'0');
            if val > 0x10_00FF {
                return amp;
            }
            i += 1;
        }
        (val, i)
    }
}

/// libinjection's `htmlencode_startswith`: does the HTML-entity-decoded
/// value (`len` bytes of `rest`) start with the uppercase `prefix`, ignoring
/// leading whitespace/control characters, NULs and newlines anywhere?
fn htmlencode_startswith(prefix: &[u8], rest: &[u8], len: usize) -> bool {
    let mut p = prefix.iter().peekable();
    let mut pos = 0usize;
    let mut n = len;
    let mut first = true;
    while n > 0 {
        let Some(&&want) = p.peek() else { return true };
        let (cb, consumed) = html_decode_char_at(rest.get(pos..).unwrap_or(&[]), n);
        pos += consumed;
        // C subtracts from an unsigned count; a decode that ran past the
        // value wraps it, and C then keeps reading the rest of the input.
        n = n.checked_sub(consumed).unwrap_or_else(|| rest.len().saturating_sub(pos));
        if first && cb <= 32 {
            continue;
        }
        first = false;
        if cb == 0 || cb == 10 {
            continue;
        }
        let cb = if (i32::from(b'a')..=i32::from(b'z')).contains(&cb) { cb - 0x20 } else { cb };
        // C compares `*a != (char) cb`: only the low byte counts.
        if want != cb as u8 {
            return false;
        }
        p.next();
    }
    p.peek().is_none()
}

/// libinjection's `is_black_url`: after skipping leading bytes up to 32 and
/// from 127 up, does the (entity-decoded) URL start with `DATA`,
/// `VIEW-SOURCE`, `JAVA` or `VBSCRIPT`?
fn is_black_url(rest: &[u8], len: usize) -> bool {
    let skip = rest.iter().take(len).take_while(|&&b| b <= 32 || b >= 127).count();
    let rest = rest.get(skip..).unwrap_or(&[]);
    let len = len - skip;
    [&b"DATA"[..], b"VIEW-SOURCE", b"JAVA", b"VBSCRIPT"].iter().any(|p| htmlencode_startswith(p, rest, len))
}

/// libinjection's `libinjection_is_xss` for one starting context.
fn is_xss(input: &[u8], ctx: Html5Flags) -> bool {
    let mut h5 = Html5State::new(input, ctx);
    let mut attr = Attr::None;
    while h5.next() {
        let rest = h5.token_start;
        let len = h5.token_len.min(rest.len());
        let token = rest.get(..len).unwrap_or(&[]);
        if h5.token_type != TokenType::AttrValue {
            attr = Attr::None;
        }
        match h5.token_type {
            TokenType::Doctype => return true,
            TokenType::TagNameOpen if is_black_tag(token) => return true,
            TokenType::AttrName => attr = is_black_attr(rest, len),
            TokenType::AttrValue => {
                match attr {
                    Attr::None => {}
                    Attr::Black | Attr::Style => return true,
                    Attr::Url => {
                        if is_black_url(rest, len) {
                            return true;
                        }
                    }
                    Attr::Indirect => {
                        if is_black_attr(rest, len) != Attr::None {
                            return true;
                        }
                    }
                }
                attr = Attr::None;
            }
            TokenType::TagComment => {
                if token.contains(&b'`') {
                    return true;
                }
                if len > 3
                    && (matches!(token, [b'[', b'i' | b'I', b'f' | b'F', ..])
                        || matches!(token, [b'x' | b'X', b'm' | b'M', b'l' | b'L', ..]))
                {
                    return true;
                }
                if len > 5 && (starts_with_ci(rest, b"IMPORT") || starts_with_ci(rest, b"ENTITY")) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    /// The plain-token shortcut never hides a detection: SQL keywords,
    /// function names, HTML/JS words and random words and numbers all get
    /// the same answer from the full libinjection pass.
    #[test]
    fn plain_tokens_are_never_injection() {
        let words = [
            "select", "union", "UNION", "or", "and", "xor", "sleep", "benchmark", "waitfor", "delay", "exec", "execute",
            "drop", "insert", "update", "delete", "from", "where", "having", "order", "by", "group", "limit", "null",
            "true", "false", "not", "like", "rlike", "regexp", "into", "outfile", "load_file", "char", "concat",
            "version", "user", "database", "information_schema", "sysobjects", "xp_cmdshell", "declare", "cast",
            "convert", "script", "javascript", "vbscript", "onload", "onerror", "alert", "iframe", "img", "svg",
            "style", "expression", "eval", "document", "cookie", "src", "href", "data", "_", "__", "a", "X", "x",
            "0", "1", "00", "1337", "18446744073709551616",
        ];
        let mut checked = 0;
        let mut check = |w: &[u8]| {
            if plain_token(w) {
                assert_eq!(detect_sqli_full(w), None, "{}", String::from_utf8_lossy(w));
                assert!(!detect_xss_full(w), "{}", String::from_utf8_lossy(w));
                checked += 1;
            }
        };
        for w in words {
            check(w.as_bytes());
            check(w.to_ascii_uppercase().as_bytes());
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = 1 + (seed % 24) as usize;
            let digits = seed.is_multiple_of(3);
            let w: Vec<u8> = (0..len)
                .map(|k| {
                    let r = (seed >> (k % 48)) as usize;
                    if digits { b'0' + (r % 10) as u8 } else { b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"[r % 53] }
                })
                .collect();
            check(&w);
        }
        assert!(checked > 20_000);
    }

    use super::*;

    /// SQL injections that libinjection (and so ModSecurity v3) detects,
    /// with the fingerprint C libinjection reports.
    const SQLI_ATTACKS: &[(&str, &str)] = &[
        ("1' or '1'='1", "s&sos"),
        ("' OR 1=1--", "s&1c"),
        ("1 UNION SELECT username, password FROM users", "1UEnk"),
        ("admin'--", "sc"),
        ("1; DROP TABLE users", "1;Tnn"),
        ("1' AND SLEEP(5)#", "s&f(1"),
        ("-1' union select 1,2,3 -- -", "sUE1c"),
        ("1 AND 1=1", "1&1"),
        ("' or ''='", "s&sos"),
        ("1) or (1=1", "1)&(1"),
        ("1' waitfor delay '0:0:5'--", "sEsc"),
        ("x' AND 1=(SELECT COUNT(*) FROM tabname); --", "s&1o("),
        ("1 or benchmark(10000000,MD5(1))#", "1&f(1"),
        ("' UNION ALL SELECT NULL,NULL--", "sUEvc"),
        ("1' ORDER BY 1--+", "sB1c"),
        ("1' and 1=1 union select 1--", "s&1UE"),
        ("1;select pg_sleep(5)", "1;Ef("),
        ("1' and extractvalue(1,concat(0x7e,version()))--", "s&f(1"),
        ("'; exec master..xp_cmdshell 'dir'--", "s;Tns"),
        ("1 OR 1=1", "1&1"),
        ("\" or \"\"=\"", "s&sos"),
        ("-1 or 1", "1&1"),
        ("1' || '1'='1", "s&sos"),
        ("'or 1 = 1#", "s&1c"),
        ("' and substring(@@version,1,1)='5", "s&f(v"),
        ("1 and ascii(lower(substring((select top 1 name from sysobjects),1,1)))>1", "1&f(f"),
        ("x' or 1 in (select 1)--", "s&1o("),
        ("1 union all select 1,2,3--", "1UE1c"),
        ("admin' or 1=1 limit 1 -- -", "s&1B1"),
        ("'; insert into users values('a','b')--", "s;Tnk"),
        ("1 procedure analyse(extractvalue(rand(),concat(0x3a,version())),1)", "1f(f("),
    ];

    /// How C libinjection (and so ModSecurity v3) classifies some notable
    /// inputs: SQL-looking text it lets through, and a benign comparison it
    /// flags. Kept to pin the port to the C behaviour, quirks included.
    const SQLI_C_QUIRKS: &[(&str, Option<&str>)] = &[
        ("admin' #", None),
        ("@@version", None),
        ("';shutdown --", None),
        ("1'; select * from users where 'a'='a", None),
        // Prose-like arithmetic comparison that libinjection flags ("1&1").
        ("1 < 2 and 3 > 1", Some("1&1")),
    ];

    /// Benign inputs, including SQL-looking prose, that must not match.
    const SQLI_BENIGN: &[&str] = &[
        "",
        "O'Reilly",
        "select a product from the list",
        "hello world",
        "John Smith",
        "Please update your profile",
        "it's a nice day, isn't it?",
        "order by price",
        "user@example.com",
        "https://example.com/path?q=1",
        "The union of two sets",
        "123-456-7890",
        "café au lait",
        "a-b-c",
        "SELECT",
        "drop",
        "New York, NY 10001",
        "100% cotton",
        "#hashtag",
        "where is my order?",
        "he said \"hi\"",
        "3.14159",
        "C:\\Program Files\\App",
        "from 9am to 5pm",
        "black & white",
        "1-2-3",
        "en-US,en;q=0.9",
        "Mozilla/5.0 (X11; Linux x86_64)",
        "null",
        "true",
    ];

    const XSS_ATTACKS: &[&str] = &[
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<iframe src=\"javascript:alert(1)\">",
        "\"><script>alert(document.cookie)</script>",
        "'><img src=x onerror=alert(1)>",
        "<body onload=alert('XSS')>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<div style=\"background:url(javascript:alert(1))\">",
        "<SCRIPT SRC=http://evil/xss.js></SCRIPT>",
        "<input onfocus=alert(1) autofocus>",
        "<details open ontoggle=alert(1)>",
        "<object data=\"data:text/html,<script>alert(1)</script>\">",
        "<embed src=javascript:alert(1)>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "\" onmouseover=\"alert(1)",
        "' onclick='alert(1)",
        "<!DOCTYPE html>",
        "<marquee onstart=alert(1)>",
        "<video><source onerror=\"alert(1)\">",
        "<form action=javascript:alert(1)><input type=submit>",
        "<base href=\"javascript:alert(1)//\">",
        "<link rel=stylesheet href=javascript:alert(1)>",
        "<style>@import 'javascript:alert(1)';</style>",
        "<img src=`x` onerror=alert(1)>",
        "<x onclick=alert(1)>click",
        "<a href=\"jav&#x0A;ascript:alert(1)\">",
        "<!-- [if IE]><script>alert(1)</script><![endif] -->",
        "<a href=\"vbscript:msgbox(1)\">",
        "<frameset onload=alert(1)>",
        "<img src=\"data:image/svg+xml,x\">",
    ];

    /// Bare URLs with a script scheme are not XSS to libinjection (no tag or
    /// attribute context); ModSecurity relies on CRS regex rules for them.
    const XSS_C_QUIRKS_NOT_DETECTED: &[&str] = &["javascript:alert(1)", "vbscript:msgbox(1)"];

    const XSS_BENIGN: &[&str] = &[
        "",
        "hello world",
        "1 < 2 and 3 > 1",
        "O'Reilly",
        "a <b>bold</b> claim",
        "<p>paragraph</p>",
        "<i>italic</i>",
        "x < y",
        "5 > 3",
        "I <3 you",
        "select a product from the list",
        "https://example.com/?a=1&b=2",
        "email me at a@b.com",
        "<br>",
        "<em>emphasis</em>",
        "script kiddie",
        "the onload event",
        "java script",
        "he said \"hi\"",
        "C:\\temp\\file.txt",
        "<<>>",
        "price: $5 < $10",
        "<ul><li>one</li></ul>",
        "alert(1)",
        "<a href=\"https://example.com\">link</a>",
        "<img src=\"cat.png\" alt=\"a cat\">",
        "<span class=\"x\">y</span>",
        "Tom & Jerry",
        "onion",
        "{\"json\": [1, 2, 3]}",
    ];

    #[test]
    fn sqli_attacks_are_detected_with_fingerprint() {
        for (input, fp) in SQLI_ATTACKS {
            assert_eq!(
                detect_sqli(input.as_bytes()).as_deref(),
                Some(*fp),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn sqli_benign_inputs_do_not_match() {
        for input in SQLI_BENIGN {
            assert_eq!(detect_sqli(input.as_bytes()), None, "input {input:?}");
        }
    }

    #[test]
    fn sqli_matches_c_quirks() {
        for (input, want) in SQLI_C_QUIRKS {
            assert_eq!(detect_sqli(input.as_bytes()).as_deref(), *want, "input {input:?}");
        }
        for input in XSS_C_QUIRKS_NOT_DETECTED {
            assert!(!detect_xss(input.as_bytes()), "input {input:?}");
        }
    }

    #[test]
    fn xss_attacks_are_detected() {
        for input in XSS_ATTACKS {
            assert!(detect_xss(input.as_bytes()), "input {input:?}");
        }
    }

    #[test]
    fn xss_benign_inputs_do_not_match() {
        for input in XSS_BENIGN {
            assert!(!detect_xss(input.as_bytes()), "input {input:?}");
        }
    }

    #[test]
    fn non_utf8_input_is_handled() {
        assert_eq!(detect_sqli(b"\xff\xfe' or 1=1--"), Some("s&1c".to_string()));
        assert_eq!(detect_sqli(b"\xc3\x28\xa0\xa1"), None);
        assert!(!detect_xss(b"\xff\xfe\xfd"));
        assert!(detect_xss(b"\xff<script>"));
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let alphabet: &[u8] = b"'\"`<>/\\-#*;=()&|!@$:., \t\r\n0123456789abcdefxORANDselectunionscript\x00\x80\xff";
        for round in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 64) as usize;
            let mut buf = Vec::with_capacity(len);
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Half the rounds draw from an attack-ish alphabet, half from all bytes.
                if round % 2 == 0 {
                    buf.push(alphabet[(x % alphabet.len() as u64) as usize]);
                } else {
                    buf.push((x >> 24) as u8);
                }
            }
            let _ = detect_sqli(&buf);
            let _ = detect_xss(&buf);
        }
    }

    /// libinjection's own test vectors (`tests/*.txt` of the libinjection
    /// repository), run against the port. The repository is not committed:
    /// set `LIBINJECTION_DIR` to a checkout (the directory holding `tests/`).
    mod vectors {
        use libinjectionrs::sqli::{SqliTokenizer, Token, TokenType};
        use libinjectionrs::xss::{Html5Flags, Html5State};
        use libinjectionrs::{SqliFlags, SqliState};
        use std::path::PathBuf;

        /// One `--TEST--`/`--INPUT--`/`--EXPECTED--` file, parsed the way
        /// libinjection's `testdriver.c` does (input and expected right-trimmed).
        fn parse(raw: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
            let mut section = 0;
            let mut input = Vec::new();
            let mut expected = Vec::new();
            for line in raw.split_inclusive(|&b| b == b'\n') {
                if section == 0 && line == b"--TEST--\n" {
                    section = 1;
                } else if section == 1 && line == b"--INPUT--\n" {
                    section = 2;
                } else if section == 2 && line == b"--EXPECTED--\n" {
                    section = 3;
                } else if section == 2 {
                    input.extend_from_slice(line);
                } else if section == 3 {
                    expected.extend_from_slice(line);
                }
            }
            (section == 3).then(|| (rtrim(input), rtrim(expected)))
        }

        fn rtrim(mut v: Vec<u8>) -> Vec<u8> {
            while matches!(v.last(), Some(b' ' | b'\n' | b'\t' | b'\r')) {
                v.pop();
            }
            v
        }

        /// `val` as C prints it with `%s`: up to the first NUL.
        fn cstr(val: &[u8]) -> &[u8] {
            let end = val.iter().position(|&b| b == 0).unwrap_or(val.len());
            &val[..end]
        }

        fn print_token(out: &mut Vec<u8>, t: &Token) {
            out.push(t.token_type.to_char() as u8);
            out.push(b' ');
            let quoted = |out: &mut Vec<u8>| {
                if t.str_open != 0 {
                    out.push(t.str_open);
                }
                out.extend_from_slice(cstr(&t.val));
                if t.str_close != 0 {
                    out.push(t.str_close);
                }
            };
            match t.token_type {
                TokenType::String => quoted(out),
                // The port keeps the `@`/`@@` prefix inside `val` for plain
                // variables (C stores the bare name and a count); only quoted
                // and backticked variables store the bare name. Print both
                // forms as C's `print_var` would.
                TokenType::Variable if t.str_open == 0 => out.extend_from_slice(cstr(&t.val)),
                TokenType::Variable => {
                    for _ in 0..t.count.clamp(0, 2) {
                        out.push(b'@');
                    }
                    quoted(out);
                }
                _ => out.extend_from_slice(cstr(&t.val)),
            }
            out.push(b'\n');
        }

        fn run(name: &str, input: &[u8]) -> Option<Vec<u8>> {
            let ansi = SqliFlags::FLAG_QUOTE_NONE | SqliFlags::FLAG_SQL_ANSI;
            let mut out = Vec::new();
            if name.contains("test-tokens-") {
                let mut tok = SqliTokenizer::new(input, ansi);
                while let Some(t) = tok.next_token() {
                    print_token(&mut out, &t);
                }
            } else if name.contains("test-folding-") {
                let mut st = SqliState::new(input, ansi);
                let n = st.fold_tokens();
                for t in st.tokens.iter().take(n) {
                    print_token(&mut out, t);
                }
            } else if name.contains("test-sqli-") {
                if let Some(fp) = super::detect_sqli(input) {
                    out.extend_from_slice(fp.as_bytes());
                }
            } else if name.contains("test-html5-") {
                let mut h = Html5State::new(input, Html5Flags::DataState);
                while h.next() {
                    let tok = &h.token_start[..h.token_len];
                    out.extend_from_slice(format!("{},{},", h.token_type, h.token_len).as_bytes());
                    out.extend_from_slice(cstr(tok));
                    out.push(b'\n');
                }
            } else if name.contains("test-xss-") {
                out.push(if super::detect_xss(input) { b'1' } else { b'0' });
            } else {
                return None;
            }
            Some(rtrim(out))
        }

        #[test]
        fn libinjection_test_vectors() {
            let Some(dir) = std::env::var_os("LIBINJECTION_DIR") else {
                eprintln!(
                    "SKIPPED libinjection_test_vectors: set LIBINJECTION_DIR to a libinjection \
                     checkout (the directory holding tests/*.txt) to run them"
                );
                return;
            };
            let tests = PathBuf::from(dir).join("tests");
            let mut files: Vec<PathBuf> = std::fs::read_dir(&tests)
                .unwrap_or_else(|e| panic!("reading {}: {e}", tests.display()))
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
            files.sort();
            let mut per_kind: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
            let mut failures = Vec::new();
            for path in &files {
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                let raw = std::fs::read(path).unwrap();
                let Some((input, expected)) = parse(&raw) else { continue };
                let Some(actual) = run(&name, &input) else { continue };
                let kind = name.trim_end_matches(".txt").trim_end_matches(|c: char| c.is_ascii_digit() || c == '-');
                let kind = kind.split('-').take(2).collect::<Vec<_>>().join("-");
                let entry = per_kind.entry(kind).or_default();
                entry.1 += 1;
                if actual == expected {
                    entry.0 += 1;
                } else {
                    failures.push(format!(
                        "{name}\n  input:    {:?}\n  expected: {:?}\n  actual:   {:?}",
                        String::from_utf8_lossy(&input),
                        String::from_utf8_lossy(&expected),
                        String::from_utf8_lossy(&actual)
                    ));
                }
            }
            let (mut pass, mut total) = (0, 0);
            for (kind, (p, t)) in &per_kind {
                eprintln!("{kind}: {p}/{t}");
                pass += p;
                total += t;
            }
            eprintln!("libinjection vectors: {pass}/{total} passed");
            for f in &failures {
                eprintln!("FAIL {f}");
            }
            assert!(total > 0, "no test files found under {}", tests.display());
            assert!(failures.is_empty(), "{} of {total} vectors failed", failures.len());
        }

        /// Differential check against results recorded from C libinjection.
        /// `LIBINJECTION_DIFF_INPUT`: one hex-encoded input per line;
        /// `LIBINJECTION_DIFF_EXPECTED`: per line `<is_sqli> <fingerprint or -> <is_xss>`
        /// as printed by a small driver over `libinjection_sqli`/`libinjection_xss`.
        #[test]
        fn libinjection_differential() {
            let (Some(inp), Some(exp)) = (
                std::env::var_os("LIBINJECTION_DIFF_INPUT"),
                std::env::var_os("LIBINJECTION_DIFF_EXPECTED"),
            ) else {
                eprintln!(
                    "SKIPPED libinjection_differential: set LIBINJECTION_DIFF_INPUT and \
                     LIBINJECTION_DIFF_EXPECTED to run it"
                );
                return;
            };
            let inputs = std::fs::read_to_string(inp).unwrap();
            let expected = std::fs::read_to_string(exp).unwrap();
            let unhex = |s: &str| -> Vec<u8> {
                (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
            };
            let (mut total, mut sqli_bad, mut xss_bad) = (0usize, 0usize, 0usize);
            for (line, want) in inputs.lines().zip(expected.lines()) {
                let input = unhex(line);
                let mut want = want.split(' ');
                let (ws, wfp, wx) = (want.next().unwrap(), want.next().unwrap(), want.next().unwrap());
                let want_sqli = (ws == "1").then(|| wfp.to_string());
                let got_sqli = super::detect_sqli(&input);
                total += 1;
                if got_sqli != want_sqli {
                    sqli_bad += 1;
                    if sqli_bad <= 50 {
                        eprintln!("SQLI {:?}: want {want_sqli:?} got {got_sqli:?}", String::from_utf8_lossy(&input));
                    }
                }
                if super::detect_xss(&input) != (wx == "1") {
                    xss_bad += 1;
                    if xss_bad <= 50 {
                        eprintln!("XSS {:?}: want {wx}", String::from_utf8_lossy(&input));
                    }
                }
            }
            eprintln!("differential: {total} inputs, {sqli_bad} SQLi mismatches, {xss_bad} XSS mismatches");
            assert!(total > 0);
            // Known gaps of the port (see the module docs): NUL bytes inside
            // tokens, and SQL keywords of three words or more. They make this
            // comparison non-zero on fuzzed input, so only fail on request.
            if std::env::var_os("LIBINJECTION_DIFF_STRICT").is_some() {
                assert_eq!((sqli_bad, xss_bad), (0, 0));
            }
        }
    }
}
