//! `@rx`: PCRE-flavoured patterns compiled with `regex-automata` (one
//! Thompson NFA, searched by a lazy DFA) in bytes mode (Unicode off), with
//! `.` matching `\n` and `^`/`$` matching at line boundaries: ModSecurity v3 compiles every pattern with
//! `PCRE_DOTALL | PCRE_MULTILINE` and runs it on raw bytes. Also the literal prefilter: the set of
//! strings of which any match must contain at least one.

use regex_automata::hybrid::dfa::{self, DFA};
use regex_automata::meta::{self, Regex};
use regex_automata::nfa::thompson::{self, backtrack::BoundedBacktracker, pikevm::PikeVM, WhichCaptures};
use regex_automata::util::captures::Captures;
use regex_automata::util::syntax;
use regex_automata::Input;
use regex_syntax::hir::{Class, Hir, HirKind};

use crate::seclang::error::CompileError;

/// Upper bound on the compiled NFA of one pattern (CRS's largest are ~1 MiB).
const NFA_SIZE_LIMIT: usize = 16 << 20;
/// Lazy DFA cache per pattern per transaction.
const HYBRID_CACHE: usize = 256 << 10;
/// Bytes of the bounded backtracker's visited set per pattern per
/// transaction (one bit per NFA state and subject byte): bounds the memory a
/// capture costs; a subject too long for it goes to the PikeVM.
const BACKTRACK_VISITED: usize = 16 << 10;
/// Prefilter: at most this many alternatives per pattern.
const MAX_ATOMS: usize = 2048;

/// Single bytes common in benign values: as a lone prefilter literal they
/// would let nearly every value through, so they do not count as one.
const COMMON_BYTES: &[u8] = b" ./-_,@";

/// How selective a prefilter literal is: two bytes or more beat a rare
/// single byte (`<`, `$`, `'`), which beats a common one (unusable).
fn quality(atom: &[u8]) -> usize {
    match atom {
        [] => 0,
        [b] if b.is_ascii_alphanumeric() || COMMON_BYTES.contains(b) => 0,
        [_] => 1,
        _ => atom.len() * 2,
    }
}

/// A compiled `@rx` pattern: one Thompson NFA, searched by a lazy DFA
/// (whether it matches) and, for `capture` rules that matched, by a bounded
/// backtracker (the groups of a short subject: several times faster than a
/// PikeVM there, same leftmost-first groups) or a PikeVM (any length). No reverse automata or meta strategies are built: subjects
/// are short and the rule set's literal prefilter already decides which
/// values a regex sees, so they would only cost build time and memory.
#[derive(Debug)]
pub(crate) struct Rx {
    dfa: DFA,
    vm: PikeVM,
    bt: BoundedBacktracker,
    /// The pattern as written (for log messages).
    pub pattern: Box<str>,
    /// Lowercased literals of which every match contains one (ASCII
    /// case-insensitive), or `None` when no useful set exists.
    pub atoms: Option<Vec<Vec<u8>>>,
    /// The shortest subject that can match: shorter values are skipped.
    pub min_len: usize,
}

/// A transaction's search state for one [`Rx`].
#[derive(Debug)]
pub(crate) struct RxCache {
    dfa: dfa::Cache,
    /// Made on first use: the PikeVM runs only when the lazy DFA gives up
    /// or a subject is too long for the backtracker.
    vm: Option<regex_automata::nfa::thompson::pikevm::Cache>,
    bt: Option<regex_automata::nfa::thompson::backtrack::Cache>,
    /// The groups of the last capture search (either engine fills them).
    caps: Option<Captures>,
}

impl Rx {
    /// Fresh search state for this regex.
    pub fn create_cache(&self) -> RxCache {
        RxCache { dfa: self.dfa.create_cache(), vm: None, bt: None, caps: None }
    }

    /// Whether the regex matches anywhere in `hay`.
    pub fn is_match(&self, cache: &mut RxCache, hay: &[u8]) -> bool {
        let input = Input::new(hay).earliest(true);
        match self.dfa.try_search_fwd(&mut cache.dfa, &input) {
            Ok(m) => m.is_some(),
            // The lazy DFA gave up (its cache kept filling): the PikeVM never does.
            Err(_) => self.vm.is_match(cache.vm.get_or_insert_with(|| self.vm.create_cache()), input),
        }
    }

    /// The spans of groups 0-9 of the leftmost-first match, if any.
    pub fn captures(&self, cache: &mut RxCache, hay: &[u8], out: &mut [Option<(usize, usize)>; 10]) -> bool {
        if !self.is_match(cache, hay) {
            return false;
        }
        let input = Input::new(hay);
        let RxCache { vm, bt, caps, .. } = cache;
        let caps = caps.get_or_insert_with(|| self.vm.create_captures());
        // The backtracker refuses only a subject too long for its visited set.
        let searched = hay.len() <= self.bt.max_haystack_len()
            && self.bt.try_search(bt.get_or_insert_with(|| self.bt.create_cache()), &input, caps).is_ok();
        if !searched {
            self.vm.search(vm.get_or_insert_with(|| self.vm.create_cache()), &input, caps);
        }
        if !caps.is_match() {
            return false;
        }
        for (g, slot) in out.iter_mut().enumerate() {
            *slot = caps.get_group(g).map(|s| (s.start, s.end));
        }
        true
    }

    /// Heap bytes of the automata (not counting per-transaction caches).
    pub fn memory_usage(&self) -> usize {
        self.dfa.memory_usage() + self.pattern.len()
    }
}

fn syntax_config() -> syntax::Config {
    syntax::Config::new().unicode(false).utf8(false).dot_matches_new_line(true).multi_line(true)
}

/// Rewrite PCRE spellings that `regex-syntax` reads differently, keeping
/// PCRE's meaning (non-UTF mode: patterns and subjects are bytes):
/// - `\x{HH}` becomes `\xHH`; `\Z` (end or before a final newline) becomes
///   `(?:\n?\z)`; `\e` becomes `\x1B`;
/// - an escaped punctuation character (`\;`, `\<`, `\"`) is a literal in
///   PCRE but may be an error here: it becomes `\xHH`;
/// - a non-ASCII character is the bytes of its UTF-8 form (`\xHH` each);
/// - inside a class, `[` is a literal (unless it opens `[:alpha:]`);
/// - a `{` that does not start a valid `{n}`, `{n,}` or `{n,m}` quantifier is
///   a literal;
/// - a possessive quantifier (`*+`, `++`, `?+`, `{n}+`) becomes greedy: the
///   regex engines here never backtrack, so the only difference is that a
///   few subjects PCRE rejects after giving up a possessive match can match.
pub(crate) fn translate(pcre: &str) -> Result<String, String> {
    let b = pcre.as_bytes();
    let mut out = String::with_capacity(pcre.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    // Whether the previous token was a quantifier (for possessive `+`).
    let mut after_quantifier = false;
    while i < b.len() {
        let c = b[i];
        let was_quantifier = std::mem::take(&mut after_quantifier);
        if c == b'\\' {
            let Some(&n) = b.get(i + 1) else {
                return Err("pattern ends with a lone backslash".into());
            };
            if n == b'x' && b.get(i + 2) == Some(&b'{') {
                if let Some(end) = b[i + 3..].iter().position(|&x| x == b'}') {
                    let hex = &pcre[i + 3..i + 3 + end];
                    let v = u32::from_str_radix(hex, 16).map_err(|_| format!("bad escape `\\x{{{hex}}}`"))?;
                    if v > 0xFF {
                        return Err(format!("`\\x{{{hex}}}` is beyond a byte (patterns run on bytes)"));
                    }
                    out.push_str(&format!("\\x{v:02X}"));
                    i += 3 + end + 1;
                    continue;
                }
            }
            if !in_class && n == b'Z' {
                out.push_str("(?:\\n?\\z)");
                i += 2;
                continue;
            }
            if n == b'e' {
                out.push_str("\\x1B");
                i += 2;
                continue;
            }
            if n.is_ascii_punctuation() || n == b' ' {
                out.push_str(&format!("\\x{n:02X}"));
                i += 2;
                continue;
            }
            if n >= 0x80 {
                // `\` before a multi-byte character: its bytes, literally.
                i += 1;
                continue;
            }
            out.push('\\');
            out.push(n as char);
            i += 2;
            continue;
        }
        if in_class {
            match c {
                b']' => in_class = false,
                b'[' if b.get(i + 1) != Some(&b':') => {
                    out.push_str("\\[");
                    i += 1;
                    continue;
                }
                b'[' => {
                    // `[:name:]`: copy through its closing `:]`.
                    if let Some(end) = pcre[i..].find(":]") {
                        out.push_str(&pcre[i..i + end + 2]);
                        i += end + 2;
                        continue;
                    }
                }
                _ => {}
            }
        } else {
            match c {
                b'[' => {
                    in_class = true;
                    out.push('[');
                    i += 1;
                    // A `]` (or `^]`) right after `[` is literal.
                    if b.get(i) == Some(&b'^') {
                        out.push('^');
                        i += 1;
                    }
                    if b.get(i) == Some(&b']') {
                        out.push_str("\\]");
                        i += 1;
                    }
                    continue;
                }
                b'{' => match quantifier_len(&b[i..]) {
                    Some(len) => {
                        out.push_str(&pcre[i..i + len]);
                        i += len;
                        after_quantifier = true;
                        continue;
                    }
                    None => {
                        out.push_str("\\{");
                        i += 1;
                        continue;
                    }
                },
                b'+' if was_quantifier => {
                    // Possessive: drop the `+`.
                    i += 1;
                    continue;
                }
                b'*' | b'+' | b'?' => after_quantifier = true,
                _ => {}
            }
        }
        if c >= 0x80 {
            // PCRE without UTF mode sees the bytes of a multi-byte character
            // (in a class, each byte is a member): write them as \xHH.
            let ch_len = utf8_len(c);
            for &x in &b[i..(i + ch_len).min(b.len())] {
                out.push_str(&format!("\\x{x:02X}"));
            }
            i += ch_len;
            continue;
        }
        out.push(c as char);
        i += 1;
    }
    Ok(out)
}

/// Length of a `{n}`, `{n,}` or `{n,m}` quantifier at the start of `b`.
fn quantifier_len(b: &[u8]) -> Option<usize> {
    let mut i = 1;
    let digits = |i: &mut usize| {
        let s = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > s
    };
    if !digits(&mut i) {
        return None;
    }
    if b.get(i) == Some(&b',') {
        i += 1;
        digits(&mut i);
    }
    (b.get(i) == Some(&b'}')).then_some(i + 1)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Compile a `@rx` pattern. `captures` keeps the groups for `capture`.
/// The pattern is parsed once: the same HIR gives the prefilter literals
/// and the regex.
pub(crate) fn build(pattern: &str, captures: bool) -> Result<Rx, CompileError> {
    let translated = translate(pattern).map_err(CompileError::invalid)?;
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .dot_matches_new_line(true)
        .multi_line(true)
        .build()
        .parse(&translated)
        .map_err(|e| syntax_error(&e).context("regex does not compile: "))?;
    let atoms = required_atoms(&hir);
    let min_len = hir.properties().minimum_len().unwrap_or(0);
    let not_compiled = |e: &dyn std::fmt::Display| CompileError::invalid(format!("regex does not compile: {e}"));
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .nfa_size_limit(Some(NFA_SIZE_LIMIT))
                .shrink(false)
                .which_captures(if captures { WhichCaptures::All } else { WhichCaptures::Implicit }),
        )
        .build_from_hir(&hir)
        .map_err(|e| not_compiled(&e))?;
    let dfa = DFA::builder()
        .configure(DFA::config().cache_capacity(HYBRID_CACHE).minimum_cache_clear_count(Some(3)).skip_cache_capacity_check(true))
        .build_from_nfa(nfa.clone())
        .map_err(|e| not_compiled(&e))?;
    let bt = BoundedBacktracker::builder()
        .configure(BoundedBacktracker::config().visited_capacity(BACKTRACK_VISITED))
        .build_from_nfa(nfa.clone())
        .map_err(|e| not_compiled(&e))?;
    let vm = PikeVM::builder().build_from_nfa(nfa).map_err(|e| not_compiled(&e))?;
    Ok(Rx { dfa, vm, bt, pattern: pattern.into(), atoms, min_len })
}

/// Compile a key selector regex (`ARGS:/^id_/`): case-insensitive like ModSecurity's.
pub(crate) fn build_key_regex(pattern: &str) -> Result<Regex, CompileError> {
    let translated = translate(pattern).map_err(CompileError::invalid)?;
    Regex::builder()
        .syntax(syntax_config().case_insensitive(true))
        .configure(meta::Config::new().utf8_empty(false).which_captures(WhichCaptures::None))
        .build(&translated)
        .map_err(|e| match e.syntax_error() {
            Some(s) => syntax_error(s),
            None => CompileError::invalid(e.to_string()),
        })
}

/// A pattern `regex-syntax` refused. Look-around and backreferences are
/// valid PCRE that these linear-time engines do not have: unsupported, not
/// invalid. Told apart by the parser's error kind, not its message.
fn syntax_error(e: &regex_syntax::Error) -> CompileError {
    use regex_syntax::ast::ErrorKind;
    match e {
        regex_syntax::Error::Parse(p) if matches!(p.kind(), ErrorKind::UnsupportedLookAround | ErrorKind::UnsupportedBackreference) => {
            CompileError::unsupported(e.to_string())
        }
        _ => CompileError::invalid(e.to_string()),
    }
}

/// What the prefilter knows of a sub-pattern.
#[derive(Clone, Debug)]
struct Info {
    /// Every string the node can match, lowercased, when few and short.
    exact: Option<Vec<Vec<u8>>>,
    /// A set of which every match contains one member (lowercased).
    any: Option<Vec<Vec<u8>>>,
}

/// Rank a set: its least selective member first, then fewer members.
fn score(set: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    (set.iter().map(|a| quality(a)).min().unwrap_or(0), std::cmp::Reverse(set.len()))
}

fn better(a: Option<Vec<Vec<u8>>>, b: Option<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if score(&b) > score(&a) { b } else { a }),
        (a, None) => a,
        (None, b) => b,
    }
}

fn dedup(mut v: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    v.sort();
    v.dedup();
    v
}

/// The distinct lowercased bytes a class matches, if few.
fn class_bytes(c: &Class) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    match c {
        Class::Bytes(b) => {
            for r in b.iter() {
                if (r.end() - r.start()) as usize > 8 {
                    return None;
                }
                for x in r.start()..=r.end() {
                    out.push(x.to_ascii_lowercase());
                }
            }
        }
        Class::Unicode(u) => {
            for r in u.iter() {
                let (s, e) = (r.start() as u32, r.end() as u32);
                if e > 0x7F || e - s > 8 {
                    return None;
                }
                for x in s..=e {
                    out.push((x as u8).to_ascii_lowercase());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    (out.len() <= 3).then_some(out)
}

/// What the prefilter knows of `h`. When `exact` is known, `any` is left
/// `None`: callers treat the exact set as a candidate themselves, which
/// saves copying every literal twice.
fn info(h: &Hir) -> Info {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => Info { exact: Some(vec![Vec::new()]), any: None },
        HirKind::Literal(l) => Info { exact: Some(vec![l.0.to_ascii_lowercase()]), any: None },
        HirKind::Class(c) => Info { exact: class_bytes(c).map(|bs| bs.into_iter().map(|b| vec![b]).collect()), any: None },
        HirKind::Capture(c) => info(&c.sub),
        HirKind::Repetition(r) => {
            if r.min == 0 {
                return Info { exact: None, any: None };
            }
            let sub = info(&r.sub);
            // `x{n,m}` contains n copies of x in a row: `\.{2,3}` requires "..".
            let mut repeated = sub.exact.clone();
            for _ in 1..r.min.min(8) {
                repeated = match (&repeated, &sub.exact) {
                    (Some(a), Some(b)) => cross(a, b),
                    _ => None,
                };
            }
            let exact = if r.max == Some(r.min) && r.min <= 8 { repeated.clone() } else { None };
            let any = better(better(sub.any, sub.exact), repeated);
            match exact {
                Some(e) => Info { exact: Some(e), any: None },
                None => Info { exact: None, any },
            }
        }
        HirKind::Alternation(alts) => {
            let infos: Vec<Info> = alts.iter().map(info).collect();
            let exact = if infos.iter().all(|i| i.exact.is_some()) { union(infos.iter().map(|i| i.exact.clone())) } else { None };
            if exact.is_some() {
                return Info { exact, any: None };
            }
            Info { exact: None, any: union(infos.into_iter().map(|i| better(i.any, i.exact))) }
        }
        HirKind::Concat(parts) => {
            let mut best: Option<Vec<Vec<u8>>> = None;
            // Runs of exact children concatenate into longer literals.
            let mut run: Option<Vec<Vec<u8>>> = None;
            let mut all_exact = true;
            for p in parts {
                let Info { exact, any } = info(p);
                best = better(best, any);
                match exact {
                    Some(e) => {
                        run = Some(match run.take() {
                            None => e,
                            Some(r) => match cross(&r, &e) {
                                Some(x) => x,
                                None => {
                                    best = better(best, Some(r));
                                    e
                                }
                            },
                        });
                    }
                    None => {
                        all_exact = false;
                        if let Some(r) = run.take() {
                            best = better(best, Some(r));
                        }
                    }
                }
            }
            if all_exact {
                return Info { exact: run, any: None };
            }
            if let Some(r) = run {
                best = better(best, Some(r));
            }
            Info { exact: None, any: best }
        }
    }
}

fn union(sets: impl Iterator<Item = Option<Vec<Vec<u8>>>>) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    for s in sets {
        out.extend(s?);
        if out.len() > MAX_ATOMS * 4 {
            return None;
        }
    }
    Some(dedup(out))
}

fn cross(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MAX_ATOMS {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            if x.len() + y.len() > 64 {
                return None;
            }
            let mut s = x.clone();
            s.extend_from_slice(y);
            out.push(s);
        }
    }
    Some(dedup(out))
}

/// The prefilter set of a pattern: `None` when it has no useful one.
fn required_atoms(h: &Hir) -> Option<Vec<Vec<u8>>> {
    let i = info(h);
    let set = dedup(better(i.any, i.exact)?);
    if set.is_empty() || set.len() > MAX_ATOMS || set.iter().any(|s| quality(s) == 0) {
        return None;
    }
    Some(remove_superstrings(set))
}

/// Drop members that contain another member: the shorter one is found
/// whenever the longer one is.
fn remove_superstrings(set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut keep: Vec<Vec<u8>> = Vec::with_capacity(set.len());
    let mut sorted = set;
    sorted.sort_by_key(Vec::len);
    for s in sorted {
        if !keep.iter().any(|k| memchr::memmem::find(&s, k).is_some()) {
            keep.push(s);
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atoms(p: &str) -> Option<Vec<String>> {
        let rx = build(p, false).ok()?;
        rx.atoms.map(|a| a.into_iter().map(|s| String::from_utf8_lossy(&s).into_owned()).collect())
    }

    #[test]
    fn translate_pcre_spellings() {
        assert_eq!(translate(r"\x{0b}a$").ok().as_deref(), Some(r"\x0Ba$"));
        assert_eq!(translate(r"[$]\Z").ok().as_deref(), Some(r"[$](?:\n?\z)"));
        assert_eq!(translate(r"[]a]").ok().as_deref(), Some(r"[\]a]"));
        assert_eq!(translate("[´a]").ok().as_deref(), Some(r"[\xC2\xB4a]"));
        assert_eq!(translate(r#"[^\";[x\]]"#).ok().as_deref(), Some(r"[^\x22;\[x\x5D]"));
        assert_eq!(translate(r"a{2}b{2,}c{1,3}{x{,2}").ok().as_deref(), Some(r"a{2}b{2,}c{1,3}\{x\{,2}"));
        assert_eq!(translate(r"a++b*+c?+d{2}+").ok().as_deref(), Some(r"a+b*c?d{2}"));
        assert_eq!(translate(r"[[:alpha:]x]").ok().as_deref(), Some(r"[[:alpha:]x]"));
    }

    #[test]
    fn anchors_match_at_lines_like_pcre_multiline() {
        let rx = build(r"^\d+$", false).unwrap_or_else(|e| panic!("{e}"));
        let mut c = rx.create_cache();
        assert!(rx.is_match(&mut c, b"123\n"));
        assert!(rx.is_match(&mut c, b"abc\n123\nx"));
        assert!(!rx.is_match(&mut c, b"12a"));
    }

    #[test]
    fn prefilter_sets() {
        assert_eq!(atoms("(?i)union\\s+select"), Some(vec!["select".into()]));
        assert_eq!(atoms("(?i)<script[^>]*>"), Some(vec!["<script".into()]));
        assert_eq!(atoms("foo|bar"), Some(vec!["bar".into(), "foo".into()]));
        assert_eq!(atoms("a*"), None);
        assert_eq!(atoms(r"(?:^|[/;\x5c])\.{2,3}[/;\x5c]"), Some(vec!["..".into()]));
        assert_eq!(atoms("[a-z]+"), None);
        assert_eq!(atoms("<[a-z]+"), Some(vec!["<".into()]));
        assert_eq!(atoms("/[a-z]+"), None);
    }

    #[test]
    fn bytes_and_dotall() {
        let rx = build(r"a.b\xff", false).unwrap_or_else(|e| panic!("{e}"));
        let mut c = rx.create_cache();
        assert!(rx.is_match(&mut c, b"a\nb\xff"));
    }
}
