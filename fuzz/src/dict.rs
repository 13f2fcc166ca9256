//! libFuzzer dictionary files (`dict/<target>.dict`): one `"token"` per
//! line (optionally `name="token"`), `\\`, `\"` and `\xHH` escapes, `#`
//! comments. The stable driver reads the same files.

use std::path::Path;

/// Tokens of the dictionary at `path`; an absent file gives none.
pub fn load(path: &Path) -> Vec<Vec<u8>> {
    std::fs::read(path).map(|b| parse(&b)).unwrap_or_default()
}

/// Parses dictionary text; malformed lines are skipped.
pub fn parse(text: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let line = line.trim_ascii();
        if line.is_empty() || line.starts_with(b"#") {
            continue;
        }
        let (Some(start), Some(end)) = (line.iter().position(|&b| b == b'"'), line.iter().rposition(|&b| b == b'"'))
        else {
            continue;
        };
        if end <= start {
            continue;
        }
        if let Some(tok) = unescape(&line[start + 1..end]) {
            if !tok.is_empty() {
                out.push(tok);
            }
        }
    }
    out
}

fn unescape(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] != b'\\' {
            out.push(s[i]);
            i += 1;
            continue;
        }
        match s.get(i + 1)? {
            b'x' => {
                let h = std::str::from_utf8(s.get(i + 2..i + 4)?).ok()?;
                out.push(u8::from_str_radix(h, 16).ok()?);
                i += 4;
            }
            &c => {
                out.push(c);
                i += 2;
            }
        }
    }
    Some(out)
}

/// Escapes `tok` as a dictionary line.
pub fn escape(tok: &[u8]) -> String {
    let mut s = String::from("\"");
    for &b in tok {
        match b {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_escapes() {
        let d = super::parse(b"# c\nkw1=\"a\\\"b\"\n\"\\x00\\\\\"\nbad\n");
        assert_eq!(d, vec![b"a\"b".to_vec(), b"\x00\\".to_vec()]);
        assert_eq!(super::escape(b"a\"\x01"), "\"a\\\"\\x01\"");
    }
}
