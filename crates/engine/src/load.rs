//! Loading: entries → files → parsed directives, following `Include`.

use crate::seclang::ast::{Directive, Loc};
use crate::seclang::error::{CompileError, Diagnostic, DiagnosticKind, LineIndex, Position};
use crate::seclang::{lex, parse};
use crate::source::{RuleEntry, RuleSource};

/// How deep `Include` may nest (a cycle stops here with an error).
const MAX_INCLUDE_DEPTH: usize = 32;

/// One loaded file (rule text or data file).
#[derive(Debug)]
pub(crate) struct SourceFile {
    /// Display name, e.g. `@crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf`.
    pub name: String,
    /// The text (lossily decoded: SecLang files are ASCII in practice).
    pub text: String,
    lines: LineIndex,
}

/// The files of a build and the problems found so far.
#[derive(Debug, Default)]
pub(crate) struct Files {
    pub files: Vec<SourceFile>,
    pub diags: Vec<Diagnostic>,
    /// Problems that did not fail the build (unsupported rules skipped on request).
    pub warnings: Vec<Diagnostic>,
}

impl Files {
    /// Register a file and return its index.
    pub fn add(&mut self, name: String, bytes: &[u8]) -> u32 {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let lines = LineIndex::new(&text);
        self.files.push(SourceFile { name, text, lines });
        (self.files.len() - 1) as u32
    }

    /// Name of file `file`.
    pub fn name(&self, file: u32) -> &str {
        self.files.get(file as usize).map(|f| f.name.as_str()).unwrap_or("<unknown>")
    }

    /// Line and column of `loc`.
    pub fn position(&self, loc: Loc) -> Position {
        match self.files.get(loc.file as usize) {
            Some(f) => f.lines.position(loc.offset),
            None => Position::default(),
        }
    }

    /// Record a mistake in the rules at `loc`.
    pub fn error(&mut self, loc: Loc, rule_id: Option<i64>, message: impl Into<String>) {
        let d = self.diagnostic(loc, rule_id, DiagnosticKind::Invalid, message.into());
        self.diags.push(d);
    }

    /// Record a compile error at `loc`, with its kind.
    pub fn compile_error(&mut self, loc: Loc, rule_id: Option<i64>, e: CompileError) {
        let d = self.diagnostic(loc, rule_id, e.kind, e.message);
        self.diags.push(d);
    }

    /// Record a warning at `loc` (the build goes on).
    pub fn warning(&mut self, loc: Loc, rule_id: Option<i64>, kind: DiagnosticKind, message: impl Into<String>) {
        let d = self.diagnostic(loc, rule_id, kind, message.into());
        self.warnings.push(d);
    }

    /// Build a diagnostic at `loc`.
    pub fn diagnostic(&self, loc: Loc, rule_id: Option<i64>, kind: DiagnosticKind, message: String) -> Diagnostic {
        let (file, pos, source_line) = match self.files.get(loc.file as usize) {
            Some(f) => {
                let pos = f.lines.position(loc.offset);
                (f.name.clone(), pos, f.lines.line_text(&f.text, pos.line).to_string())
            }
            None => ("<unknown>".into(), Position::default(), String::new()),
        };
        Diagnostic { file, pos, message, source_line, rule_id, kind }
    }
}

/// Load every entry, in order, into directives (Includes expanded in place).
pub(crate) fn load_entries(source: &dyn RuleSource, entries: &[RuleEntry<'_>], files: &mut Files) -> Vec<Directive> {
    let mut out = Vec::new();
    for entry in entries {
        match *entry {
            RuleEntry::Text { name, text } => {
                let id = files.add(name.to_string(), text.as_bytes());
                parse_file(source, id, files, &mut out, 0);
            }
            RuleEntry::Source(path) => match source.load(path, None) {
                Ok(list) => {
                    for (name, bytes) in list {
                        let id = files.add(name, &bytes);
                        parse_file(source, id, files, &mut out, 0);
                    }
                }
                Err(e) => {
                    let id = files.add(format!("<{path}>"), b"");
                    files.error(Loc { file: id, offset: 0 }, None, format!("cannot load rules `{path}`: {e}"));
                }
            },
        }
    }
    out
}

fn parse_file(source: &dyn RuleSource, file: u32, files: &mut Files, out: &mut Vec<Directive>, depth: usize) {
    let text = match files.files.get(file as usize) {
        Some(f) => f.text.clone(),
        None => return,
    };
    let (raw, lex_errors) = lex::lex(&text);
    for e in lex_errors {
        files.error(Loc { file, offset: e.offset }, None, e.message);
    }
    for d in &raw {
        match parse::parse_directive(file, d) {
            Ok(Directive::Include { path, loc }) => {
                if depth >= MAX_INCLUDE_DEPTH {
                    files.error(loc, None, format!("Include nested more than {MAX_INCLUDE_DEPTH} deep (a cycle?)"));
                    continue;
                }
                let from = files.name(file).to_string();
                match source.load(&path, Some(&from)) {
                    Ok(list) => {
                        for (name, bytes) in list {
                            let id = files.add(name, &bytes);
                            parse_file(source, id, files, out, depth + 1);
                        }
                    }
                    Err(e) => files.error(loc, None, format!("cannot include `{path}`: {e}")),
                }
            }
            Ok(dir) => out.push(dir),
            Err(e) => files.error(Loc { file, offset: e.offset }, None, e.message),
        }
    }
}
