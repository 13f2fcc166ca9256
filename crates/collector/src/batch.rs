//! An NDJSON batch: split into lines, validate each, keep the good ones and report the bad ones.
//!
//! Line numbers are 1-based physical lines of the body (blank lines count, so a sender can find
//! the line it sent). A line ends at `\n`; a trailing `\r` is dropped. Blank lines (only ASCII
//! whitespace) are ignored and are neither accepted nor rejected.

use serde::Serialize;

use crate::config::Limits;
use crate::record::{parse_line, Verdict};

/// The response body of `POST /v1/verdicts` when the batch was read (status 200): the counts
/// and one entry per non-blank line, in line order. A sender re-sends none of these lines:
/// `accepted` and `duplicate` ones are stored, `refused` ones never will be.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IngestReport {
    /// Records stored by this batch.
    pub accepted: usize,
    /// Records whose `record_id` was already stored (by an earlier copy of the batch, or
    /// earlier in this one); not stored again.
    pub duplicates: usize,
    /// Non-blank lines refused as invalid.
    pub rejected: usize,
    /// What happened to each non-blank line.
    pub lines: Vec<LineReport>,
}

/// What happened to one line of a batch.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LineReport {
    /// 1-based line number in the request body.
    pub line: usize,
    /// The outcome.
    pub result: LineResult,
    /// Why the line was refused (only for [`LineResult::Refused`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The outcome of one line.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LineResult {
    /// Stored.
    Accepted,
    /// A record with the same `record_id` is already stored; this copy was not stored.
    Duplicate,
    /// Invalid; not stored. Sending it again cannot help.
    Refused,
}

/// A batch after validation: the records to store, their line numbers, and the lines refused.
#[derive(Debug)]
pub(crate) struct ParsedBatch {
    pub verdicts: Vec<Verdict>,
    /// The line number of each of `verdicts`.
    pub lines: Vec<usize>,
    pub refused: Vec<LineReport>,
}

impl IngestReport {
    /// The report of a batch whose valid records, on `lines`, were stored (`true`) or found
    /// already stored (`false`) as `stored` says, and whose other lines were `refused`.
    pub(crate) fn new(lines: &[usize], stored: &[bool], refused: Vec<LineReport>) -> IngestReport {
        let mut lines: Vec<LineReport> = lines
            .iter()
            .zip(stored)
            .map(|(line, &new)| LineReport {
                line: *line,
                result: if new {
                    LineResult::Accepted
                } else {
                    LineResult::Duplicate
                },
                error: None,
            })
            .collect();
        lines.extend(refused);
        lines.sort_by_key(|l| l.line);
        let count = |r| lines.iter().filter(|l| l.result == r).count();
        IngestReport {
            accepted: count(LineResult::Accepted),
            duplicates: count(LineResult::Duplicate),
            rejected: count(LineResult::Refused),
            lines,
        }
    }
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
    let mut numbers = Vec::with_capacity(count);
    let mut refused = Vec::new();
    for (line, text) in lines(body) {
        match parse_line(text, limits.max_line) {
            Ok(v) => {
                verdicts.push(v);
                numbers.push(line);
            }
            Err(e) => refused.push(LineReport {
                line,
                result: LineResult::Refused,
                error: Some(e.to_string()),
            }),
        }
    }
    Ok(ParsedBatch {
        verdicts,
        lines: numbers,
        refused,
    })
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
        assert_eq!(parsed.lines, vec![1, 5]);
        let lines: Vec<usize> = parsed.refused.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![4, 6]);
        let report = IngestReport::new(&parsed.lines, &[true, false], parsed.refused);
        let results: Vec<(usize, LineResult)> =
            report.lines.iter().map(|l| (l.line, l.result)).collect();
        assert_eq!(
            results,
            vec![
                (1, LineResult::Accepted),
                (4, LineResult::Refused),
                (5, LineResult::Duplicate),
                (6, LineResult::Refused)
            ]
        );
        assert_eq!(
            (report.accepted, report.duplicates, report.rejected),
            (1, 1, 2)
        );
    }

    #[test]
    fn empty_body_is_an_empty_batch() {
        let parsed = parse_batch(b"", &Limits::default()).unwrap();
        assert!(parsed.verdicts.is_empty() && parsed.refused.is_empty());
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
