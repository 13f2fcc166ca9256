//! An NDJSON batch: split into lines, validate each, keep the good ones and report the bad ones.
//!
//! Line numbers are 1-based physical lines of the body (blank lines count, so a sender can find
//! the line it sent). A line ends at `\n`; a trailing `\r` is dropped. Blank lines (only ASCII
//! whitespace) are ignored and are neither accepted nor rejected.

use serde::Serialize;

use crate::config::Limits;
use crate::record::{parse_line, Verdict};

/// The response body of `POST /v1/verdicts` (status 200 when `rejected == 0`, else 400).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IngestReport {
    /// Records stored.
    pub accepted: usize,
    /// Non-blank lines rejected.
    pub rejected: usize,
    /// One entry per rejected line, in line order.
    pub errors: Vec<LineError>,
}

/// One rejected line of a batch.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number in the request body.
    pub line: usize,
    /// Why the line was rejected.
    pub error: String,
}

/// A batch after validation: the records to store and the report of the lines that were not.
#[derive(Debug)]
pub(crate) struct ParsedBatch {
    pub verdicts: Vec<Verdict>,
    pub errors: Vec<LineError>,
}

/// The batch has more records than [`Limits::max_records`]; nothing of it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooManyRecords {
    pub limit: usize,
}

/// Iterates `(line_number, line)` over the non-blank lines of `body`.
fn lines(body: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    body.split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, line)| (i + 1, line.strip_suffix(b"\r").unwrap_or(line)))
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
}

/// Validates every line of `body`. Fails only when the batch has too many records (checked
/// before any parsing, so an oversized batch costs one scan).
pub(crate) fn parse_batch(body: &[u8], limits: &Limits) -> Result<ParsedBatch, TooManyRecords> {
    let count = lines(body).count();
    if count > limits.max_records {
        return Err(TooManyRecords {
            limit: limits.max_records,
        });
    }
    let mut verdicts = Vec::with_capacity(count);
    let mut errors = Vec::new();
    for (line, text) in lines(body) {
        match parse_line(text, limits.max_line) {
            Ok(v) => verdicts.push(v),
            Err(e) => errors.push(LineError {
                line,
                error: e.to_string(),
            }),
        }
    }
    Ok(ParsedBatch { verdicts, errors })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"time":"2026-01-01T00:00:00Z","unique_id":"a","action":"passed"}"#;

    #[test]
    fn blank_lines_crlf_and_line_numbers() {
        let body = format!("{GOOD}\r\n\n   \n{{bad\n{GOOD}\n[1]");
        let parsed = parse_batch(body.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(parsed.verdicts.len(), 2);
        assert!(parsed.verdicts.iter().all(|v| v.raw == GOOD));
        let lines: Vec<usize> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![4, 6]);
    }

    #[test]
    fn empty_body_is_an_empty_batch() {
        let parsed = parse_batch(b"", &Limits::default()).unwrap();
        assert!(parsed.verdicts.is_empty() && parsed.errors.is_empty());
    }

    #[test]
    fn too_many_records_counts_bad_lines_too() {
        let limits = Limits {
            max_records: 2,
            ..Limits::default()
        };
        let ok = format!("{GOOD}\n\n{GOOD}\n");
        assert!(parse_batch(ok.as_bytes(), &limits).is_ok());
        let over = format!("{GOOD}\nbad\n{GOOD}\n");
        assert_eq!(
            parse_batch(over.as_bytes(), &limits).unwrap_err(),
            TooManyRecords { limit: 2 }
        );
    }
}
