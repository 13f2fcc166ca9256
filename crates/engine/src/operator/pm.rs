//! `@pm` / `@pmFromFile`: case-insensitive multi-phrase match with
//! Aho-Corasick, as ModSecurity's ACMP does it.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// Phrase sets up to this many bytes in all get a DFA (fastest scan);
/// bigger ones a contiguous NFA (see [`build`]).
const DFA_MAX_PHRASE_BYTES: usize = 512;

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
    // A DFA's table grows with states × byte classes (one state per phrase
    // byte): beyond a few hundred bytes of phrases it costs megabytes per
    // set. These automata run only on values the rule set's prefilter has
    // already found a phrase in, so the compact NFA is the better trade.
    let total: usize = phrases.iter().map(Vec::len).sum();
    let kind = if total <= DFA_MAX_PHRASE_BYTES { AhoCorasickKind::DFA } else { AhoCorasickKind::ContiguousNFA };
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .kind(Some(kind))
        .build(phrases)
        .map_err(|e| format!("cannot build phrase matcher: {e}"))?;
    Ok(Pm { ac })
}
