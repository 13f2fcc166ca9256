//! Splits a SecLang file into directives and their argument tokens.
//!
//! Follows the Apache-style configuration syntax ModSecurity uses:
//! - one directive per logical line; a backslash at the end of a physical line
//!   continues the directive on the next line (the backslash and newline vanish);
//! - a line whose first non-blank character is `#` is a comment;
//! - arguments are separated by blanks; an argument may be enclosed in double
//!   (or single) quotes, inside which `\"` stands for `"` and every other
//!   backslash is kept as is (so `@rx \d` keeps its `\d`).
//!
//! Every token remembers where each of its bytes came from, so errors found
//! deep inside an action list still point at the right line and column.

/// One argument (or the directive name) with its origin in the source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The argument after quote removal and unescaping of `\"`.
    pub text: String,
    /// Segments `(index into text, source offset)`: byte `i` of `text` comes
    /// from `src + (i - index)` of the last segment whose index is `<= i`.
    segments: Vec<(u32, u32)>,
    /// Whether the token was quoted in the source.
    pub quoted: bool,
}

impl Token {
    /// Source offset of byte `i` of the token text (clamped to the text).
    pub fn source_offset(&self, i: usize) -> u32 {
        let i = i as u32;
        let mut best = (0u32, 0u32);
        for &(ti, so) in &self.segments {
            if ti <= i {
                best = (ti, so);
            } else {
                break;
            }
        }
        best.1 + (i - best.0)
    }

    /// Source offset of the token's first byte.
    pub fn start(&self) -> u32 {
        self.source_offset(0)
    }
}

/// A directive as written: its name token and argument tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawDirective {
    /// The directive name (e.g. `SecRule`), as written.
    pub name: Token,
    /// The arguments.
    pub args: Vec<Token>,
}

/// A lexing problem at a source offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    /// Source offset.
    pub offset: u32,
    /// Lowercase message.
    pub message: String,
}

/// Lex `text` into directives. Lexing goes on after an error (skipping the
/// broken line) so that a build can report every problem at once.
pub fn lex(text: &str) -> (Vec<RawDirective>, Vec<LexError>) {
    let mut lx = Lexer { b: text.as_bytes(), i: 0, errors: Vec::new() };
    let mut out = Vec::new();
    loop {
        lx.skip_blank_lines_and_comments();
        if lx.i >= lx.b.len() {
            break;
        }
        let mut tokens = Vec::new();
        let mut broken = false;
        loop {
            lx.skip_inline_blanks();
            match lx.peek() {
                None | Some(b'\n') => break,
                Some(_) => match lx.token() {
                    Some(t) => tokens.push(t),
                    None => {
                        broken = true;
                        break;
                    }
                },
            }
        }
        if broken {
            lx.skip_to_eol();
            continue;
        }
        let mut it = tokens.into_iter();
        if let Some(name) = it.next() {
            out.push(RawDirective { name, args: it.collect() });
        }
    }
    (out, lx.errors)
}

struct Lexer<'a> {
    b: &'a [u8],
    i: usize,
    errors: Vec<LexError>,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Length of a line continuation at `i` (`\` + optional `\r` + `\n`), or 0.
    fn continuation_at(&self, i: usize) -> usize {
        if self.b.get(i) != Some(&b'\\') {
            return 0;
        }
        match (self.b.get(i + 1), self.b.get(i + 2)) {
            (Some(b'\n'), _) => 2,
            (Some(b'\r'), Some(b'\n')) => 3,
            _ => 0,
        }
    }

    fn skip_blank_lines_and_comments(&mut self) {
        loop {
            while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                self.i += 1;
            }
            if self.peek() == Some(b'#') {
                self.skip_to_eol();
                continue;
            }
            break;
        }
    }

    fn skip_inline_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r') => self.i += 1,
                Some(b'\\') => {
                    let n = self.continuation_at(self.i);
                    if n == 0 {
                        return;
                    }
                    self.i += n;
                }
                _ => return,
            }
        }
    }

    fn skip_to_eol(&mut self) {
        while let Some(c) = self.peek() {
            self.i += 1;
            if c == b'\n' {
                break;
            }
        }
    }

    fn token(&mut self) -> Option<Token> {
        let mut text: Vec<u8> = Vec::new();
        let mut segments = vec![(0u32, self.i as u32)];
        let quote = match self.peek() {
            Some(q @ (b'"' | b'\'')) => {
                self.i += 1;
                segments[0].1 = self.i as u32;
                Some(q)
            }
            _ => None,
        };
        let start = self.i;
        loop {
            let Some(c) = self.peek() else {
                if quote.is_some() {
                    self.errors.push(LexError {
                        offset: start.saturating_sub(1) as u32,
                        message: "unterminated quoted argument (missing closing quote)".into(),
                    });
                    return None;
                }
                break;
            };
            let cont = self.continuation_at(self.i);
            if cont > 0 {
                self.i += cont;
                if quote.is_none() {
                    break;
                }
                segments.push((text.len() as u32, self.i as u32));
                continue;
            }
            match (quote, c) {
                (None, b' ' | b'\t' | b'\r' | b'\n') => break,
                (Some(_), b'\n') => {
                    self.errors.push(LexError {
                        offset: start.saturating_sub(1) as u32,
                        message: "unterminated quoted argument: the line ends before the closing quote (use a trailing \\ to continue a line)".into(),
                    });
                    return None;
                }
                (Some(q), b'\\') if self.b.get(self.i + 1) == Some(&q) => {
                    text.push(q);
                    self.i += 2;
                    segments.push((text.len() as u32, self.i as u32));
                }
                (Some(q), c) if c == q => {
                    self.i += 1;
                    break;
                }
                (_, c) => {
                    text.push(c);
                    self.i += 1;
                }
            }
        }
        Some(Token { text: String::from_utf8_lossy(&text).into_owned(), segments, quoted: quote.is_some() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<Vec<String>> {
        let (d, e) = lex(src);
        assert!(e.is_empty(), "{e:?}");
        d.into_iter()
            .map(|d| std::iter::once(d.name.text).chain(d.args.into_iter().map(|a| a.text)).collect())
            .collect()
    }

    #[test]
    fn continuation_and_quotes() {
        let src = "# comment\nSecRule ARGS \"@rx a\\\"b \\d\" \\\n    \"id:1,\\\n    phase:2\"\nSecMarker END\n";
        assert_eq!(
            texts(src),
            vec![
                vec!["SecRule", "ARGS", "@rx a\"b \\d", "id:1,    phase:2"],
                vec!["SecMarker", "END"]
            ]
        );
    }

    #[test]
    fn offsets_follow_continuations() {
        let src = "SecAction \\\n  \"id:1,\\\n  phase:2\"";
        let (d, _) = lex(src);
        let t = &d[0].args[0];
        let idx = t.text.find("phase").unwrap_or(0);
        let off = t.source_offset(idx) as usize;
        assert_eq!(&src[off..off + 5], "phase");
    }

    #[test]
    fn unterminated_quote_is_reported_and_lexing_goes_on() {
        let (d, e) = lex("SecRule ARGS \"@rx a\nSecMarker X\n");
        assert_eq!(e.len(), 1);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].name.text, "SecMarker");
    }
}
