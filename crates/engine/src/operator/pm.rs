//! `@pm` / `@pmFromFile`: case-insensitive multi-phrase match with
//! Aho-Corasick, as ModSecurity's ACMP does it.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// A compiled phrase set.
#[derive(Debug)]
pub(crate) struct Pm {
    pub ac: AhoCorasick,
}

/// Split a `@pm` parameter into phrases: blank-separated; a phrase may be
/// written in double quotes to keep its blanks.
pub(crate) fn split_phrases(param: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let b = param.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        if b[i] == b'"' {
            let start = i + 1;
            let end = b[start..].iter().position(|&c| c == b'"').map(|p| start + p).unwrap_or(b.len());
            out.push(b[start..end].to_vec());
            i = end + 1;
        } else {
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() {
                i += 1;
            }
            out.push(b[start..i].to_vec());
        }
    }
    out
}

/// Phrases of a `@pmFromFile` data file: one per line, `#` comments and blank lines skipped.
pub(crate) fn file_phrases(text: &[u8]) -> Vec<Vec<u8>> {
    text.split(|&c| c == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .map(|l| l.trim_ascii())
        .filter(|l| !l.is_empty() && !l.starts_with(b"#"))
        .map(<[u8]>::to_vec)
        .collect()
}

/// Build the automaton. Errors when there is no phrase.
pub(crate) fn build(phrases: &[Vec<u8>]) -> Result<Pm, String> {
    if phrases.is_empty() {
        return Err("no phrases to match".into());
    }
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .kind(Some(if phrases.len() <= 100 { AhoCorasickKind::DFA } else { AhoCorasickKind::ContiguousNFA }))
        .build(phrases)
        .map_err(|e| format!("cannot build phrase matcher: {e}"))?;
    Ok(Pm { ac })
}
