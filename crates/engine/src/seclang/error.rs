//! Positions, spans and the diagnostics a rule build reports.

use std::fmt;

/// A 1-based line and column (in bytes) inside one source file, plus the byte offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// Byte offset from the start of the file.
    pub offset: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in bytes.
    pub column: u32,
}

/// What kind of problem a [`Diagnostic`] reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DiagnosticKind {
    /// A mistake in the rules (syntax, unknown name, bad argument): no
    /// SecLang engine would accept them as written.
    #[default]
    Invalid,
    /// Valid SecLang that uses a construct this engine does not implement
    /// (regex look-around or backreferences, `@rbl`, `@geoLookup`, XPath
    /// beyond `/*` and `//@*`, remote data files, macros in `@rx`): the
    /// rule is an error by default, or skipped with a warning under
    /// [`crate::Config::skip_unsupported`].
    Unsupported,
}

/// One problem found while loading rules: where it is and what is wrong.
///
/// Displayed as `path:line:col: message` followed by the offending source
/// line and a caret, like a compiler. The kind ([`Diagnostic::kind`]) is not
/// part of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// File name as given to the build (e.g. `@crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf`).
    pub file: String,
    /// Position of the problem.
    pub pos: Position,
    /// Lowercase description of the problem.
    pub message: String,
    /// The source line the position is on, for display.
    pub source_line: String,
    /// The SecLang rule id the problem belongs to, when known.
    pub rule_id: Option<i64>,
    /// Invalid rules or an unsupported construct.
    pub(crate) kind: DiagnosticKind,
}

impl Diagnostic {
    /// Whether the rules are wrong ([`DiagnosticKind::Invalid`]) or use a
    /// construct this engine does not implement ([`DiagnosticKind::Unsupported`]).
    /// Every warning of a build ([`crate::RuleSet::warnings`]) is `Unsupported`.
    pub fn kind(&self) -> DiagnosticKind {
        self.kind
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.pos.line, self.pos.column)?;
        if let Some(id) = self.rule_id {
            write!(f, "rule {id}: ")?;
        }
        write!(f, "{}", self.message)?;
        if !self.source_line.is_empty() {
            let line: String = self.source_line.chars().take(160).collect();
            write!(f, "\n    {line}")?;
            let col = self.pos.column.saturating_sub(1) as usize;
            if col < 160 {
                write!(f, "\n    {}^", " ".repeat(col))?;
            }
        }
        Ok(())
    }
}

/// Every problem a rule build found. A build fails closed: one error refuses the whole rule set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildError {
    /// All diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.diagnostics.len();
        write!(f, "{n} error{} in rules", if n == 1 { "" } else { "s" })?;
        for d in &self.diagnostics {
            write!(f, "\n{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

/// A problem found while compiling one construct (operator, target, regex,
/// data file), before it gets a place in the sources and becomes a
/// [`Diagnostic`]. Made only through [`CompileError::invalid`] and
/// [`CompileError::unsupported`], where the problem is detected, so that
/// the kind never depends on the wording of the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CompileError {
    /// Invalid rules or an unsupported construct.
    pub kind: DiagnosticKind,
    /// Lowercase description, as the diagnostic shows it.
    pub message: String,
}

impl CompileError {
    /// A mistake in the rules.
    pub fn invalid(message: impl Into<String>) -> CompileError {
        CompileError { kind: DiagnosticKind::Invalid, message: message.into() }
    }

    /// A construct this engine does not implement.
    pub fn unsupported(message: impl Into<String>) -> CompileError {
        CompileError { kind: DiagnosticKind::Unsupported, message: message.into() }
    }

    /// The same problem with `prefix` before its message (kind kept).
    pub fn context(self, prefix: impl fmt::Display) -> CompileError {
        CompileError { kind: self.kind, message: format!("{prefix}{}", self.message) }
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Maps byte offsets of one file to lines and columns.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    /// Index the line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i as u32 + 1);
            }
        }
        LineIndex { starts }
    }

    /// The position of byte `offset`.
    pub fn position(&self, offset: u32) -> Position {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0);
        Position { offset, line: line as u32 + 1, column: offset - start + 1 }
    }

    /// The text of the 1-based `line` (without its newline).
    pub fn line_text<'a>(&self, text: &'a str, line: u32) -> &'a str {
        let i = line.saturating_sub(1) as usize;
        let start = self.starts.get(i).copied().unwrap_or(0) as usize;
        let end = self.starts.get(i + 1).map(|&e| e as usize - 1).unwrap_or(text.len());
        text.get(start..end.max(start)).unwrap_or("").trim_end_matches('\r')
    }
}
