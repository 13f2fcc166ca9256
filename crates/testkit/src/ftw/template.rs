//! The small part of Go's `text/template` (with sprig functions) that go-ftw
//! applies to a stage's `data` before sending it.
//!
//! go-ftw runs every `data` string through `text/template`; text without
//! `{{` comes out unchanged, and a template that fails to parse or run makes
//! go-ftw send *no body at all*. CRS tests use it to build long bodies
//! (`{{ "1" | repeat 64200 }}`). Supported here:
//! - actions `{{ pipeline }}` with the trim markers `{{- ` and ` -}}`;
//! - comments `{{/* ... */}}`;
//! - literals: `"..."` (Go escapes), `` `raw` ``, integers, `true`/`false`;
//! - pipelines `a | f x` (the previous value is the last argument);
//! - functions `repeat N s`, `upper s`, `lower s`, `trim s`, `print a ...`.
//!
//! Anything else is an error, reported like Go's with the failing action.

use std::fmt;

/// A template go-ftw would reject (its `data` would then be dropped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    /// What is wrong, lowercase.
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "template: {}", self.message)
    }
}

impl std::error::Error for TemplateError {}

fn err<T>(message: impl Into<String>) -> Result<T, TemplateError> {
    Err(TemplateError { message: message.into() })
}

/// Upper bound on the bytes a template may produce (guards `repeat`).
const MAX_OUTPUT: usize = 64 << 20;

/// Evaluate `text` as go-ftw does with a stage's `data`.
pub fn render(text: &str) -> Result<String, TemplateError> {
    if !text.contains("{{") {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let before = rest.get(..open).unwrap_or_default();
        let after_open = rest.get(open + 2..).unwrap_or_default();
        let trim_left = after_open.starts_with("- ") || after_open.starts_with("-\t") || after_open.starts_with("-\n");
        out.push_str(if trim_left { before.trim_end_matches(is_space) } else { before });
        let body_start = if trim_left { after_open.get(1..).unwrap_or_default() } else { after_open };
        let Some(close) = find_close(body_start) else {
            return err("unclosed action");
        };
        let mut body = body_start.get(..close).unwrap_or_default();
        let mut after = body_start.get(close + 2..).unwrap_or_default();
        let trim_right = body.ends_with(" -") || body.ends_with("\t-") || body.ends_with("\n-");
        if trim_right {
            body = body.get(..body.len() - 1).unwrap_or_default();
            after = after.trim_start_matches(is_space);
        }
        let value = eval_action(body.trim())?;
        if out.len() + value.len() > MAX_OUTPUT {
            return err("output too large");
        }
        out.push_str(&value);
        rest = after;
    }
    out.push_str(rest);
    Ok(out)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Index of the `}}` closing an action, skipping quoted strings.
fn find_close(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b.get(i) {
            Some(b'"') => {
                i += 1;
                while i < b.len() && b.get(i) != Some(&b'"') {
                    if b.get(i) == Some(&b'\\') {
                        i += 1;
                    }
                    i += 1;
                }
            }
            Some(b'`') => {
                i += 1;
                while i < b.len() && b.get(i) != Some(&b'`') {
                    i += 1;
                }
            }
            Some(b'}') if b.get(i + 1) == Some(&b'}') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

#[derive(Clone, Debug, PartialEq)]
enum Value {
    Str(String),
    Int(i64),
    Bool(bool),
}

impl Value {
    fn render(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Bool(b) => b.to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    Lit(Value),
    Pipe,
}

fn eval_action(body: &str) -> Result<String, TemplateError> {
    if body.starts_with("/*") {
        return if body.ends_with("*/") { Ok(String::new()) } else { err("unclosed comment") };
    }
    let tokens = tokenize(body)?;
    if tokens.is_empty() {
        return err("missing value for command");
    }
    let mut prev: Option<Value> = None;
    for cmd in tokens.split(|t| *t == Token::Pipe) {
        prev = Some(eval_command(cmd, prev)?);
    }
    Ok(prev.map(|v| v.render()).unwrap_or_default())
}

fn eval_command(cmd: &[Token], piped: Option<Value>) -> Result<Value, TemplateError> {
    let Some((head, args)) = cmd.split_first() else {
        return err("missing command in pipeline");
    };
    let mut args: Vec<Value> = args
        .iter()
        .map(|t| match t {
            Token::Lit(v) => Ok(v.clone()),
            Token::Ident(name) => err(format!("function {name:?} used as an argument is not supported")),
            Token::Pipe => err("unexpected |"),
        })
        .collect::<Result<_, _>>()?;
    match head {
        Token::Lit(v) => {
            if !args.is_empty() || piped.is_some() {
                return err("can't give argument to non-function");
            }
            Ok(v.clone())
        }
        Token::Ident(name) => {
            args.extend(piped);
            call(name, &args)
        }
        Token::Pipe => err("missing command in pipeline"),
    }
}

fn call(name: &str, args: &[Value]) -> Result<Value, TemplateError> {
    let one_str = |args: &[Value]| -> Result<String, TemplateError> {
        match args {
            [v] => Ok(v.render()),
            _ => err(format!("wrong number of args for {name}: want 1 got {}", args.len())),
        }
    };
    match name {
        "repeat" => match args {
            [Value::Int(n), s] => {
                let s = s.render();
                let n = usize::try_from(*n).map_err(|_| TemplateError { message: "negative repeat count".into() })?;
                if s.len().saturating_mul(n) > MAX_OUTPUT {
                    return err("output too large");
                }
                Ok(Value::Str(s.repeat(n)))
            }
            _ => err("repeat wants an integer count and a string"),
        },
        "upper" => Ok(Value::Str(one_str(args)?.to_uppercase())),
        "lower" => Ok(Value::Str(one_str(args)?.to_lowercase())),
        "trim" => Ok(Value::Str(one_str(args)?.trim().to_string())),
        "print" => {
            // fmt.Sprint: a space between operands when neither is a string.
            let mut s = String::new();
            for (i, a) in args.iter().enumerate() {
                let prev_str = i > 0 && matches!(args.get(i - 1), Some(Value::Str(_)));
                if i > 0 && !prev_str && !matches!(a, Value::Str(_)) {
                    s.push(' ');
                }
                s.push_str(&a.render());
            }
            Ok(Value::Str(s))
        }
        _ => err(format!("function {name:?} not defined")),
    }
}

fn tokenize(s: &str) -> Result<Vec<Token>, TemplateError> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        match c {
            c if is_space(c) => {
                chars.next();
            }
            '|' => {
                chars.next();
                out.push(Token::Pipe);
            }
            '"' => {
                chars.next();
                let mut v = String::new();
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    match c {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' => match chars.next().map(|(_, c)| c) {
                            Some('n') => v.push('\n'),
                            Some('r') => v.push('\r'),
                            Some('t') => v.push('\t'),
                            Some('\\') => v.push('\\'),
                            Some('"') => v.push('"'),
                            Some('0') => v.push('\0'),
                            Some(other) => return err(format!("unsupported escape \\{other}")),
                            None => return err("unterminated quoted string"),
                        },
                        c => v.push(c),
                    }
                }
                if !closed {
                    return err("unterminated quoted string");
                }
                out.push(Token::Lit(Value::Str(v)));
            }
            '`' => {
                chars.next();
                let mut v = String::new();
                let mut closed = false;
                for (_, c) in chars.by_ref() {
                    if c == '`' {
                        closed = true;
                        break;
                    }
                    v.push(c);
                }
                if !closed {
                    return err("unterminated raw quoted string");
                }
                out.push(Token::Lit(Value::Str(v)));
            }
            _ => {
                let start = i;
                let mut end = s.len();
                while let Some(&(j, c)) = chars.peek() {
                    if is_space(c) || c == '|' {
                        end = j;
                        break;
                    }
                    chars.next();
                }
                let word = s.get(start..end).unwrap_or_default();
                out.push(match word {
                    "true" => Token::Lit(Value::Bool(true)),
                    "false" => Token::Lit(Value::Bool(false)),
                    w if w.starts_with(|c: char| c.is_ascii_digit() || c == '-') => Token::Lit(Value::Int(
                        w.parse().map_err(|_| TemplateError { message: format!("bad number syntax: {w:?}") })?,
                    )),
                    w if w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => Token::Ident(w.to_string()),
                    w => return err(format!("unsupported token {w:?}")),
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(render("a=b\nc } {").unwrap(), "a=b\nc } {");
    }

    #[test]
    fn repeat_pipeline_and_call() {
        assert_eq!(render(r#"x={{ "ab" | repeat 3 }}!"#).unwrap(), "x=ababab!");
        assert_eq!(render(r#"{{ repeat 2 "z" }}"#).unwrap(), "zz");
        assert_eq!(render(r#"{{"1" | repeat 64200}}"#).unwrap().len(), 64200);
    }

    #[test]
    fn trim_markers_and_comments() {
        assert_eq!(render("a \n {{- \"b\" -}} \n c").unwrap(), "abc");
        assert_eq!(render("a{{/* note */}}b").unwrap(), "ab");
    }

    #[test]
    fn errors_like_go() {
        assert!(render("{{ nosuch 1 }}").is_err());
        assert!(render("{{ \"a\" ").is_err());
        assert!(render("{{constructor.constructor('alert(1)')()}}").is_err());
    }
}
