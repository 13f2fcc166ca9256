//! The known-failures baseline: tests that are allowed to fail, each with a
//! reason.
//!
//! Format (`tests/ftw/known-failures.tsv`): one entry per line,
//! `<rule_id>-<test_id>` TAB `<reason>`; blank lines and lines starting with
//! `#` are ignored. An entry without a reason, a malformed test name and a
//! duplicate entry are errors (every one is reported, with its line).
//!
//! Use: a run fails when a test not in the baseline fails, *and* when a
//! listed test passes (it must then be removed from the file), so the file
//! only ever shrinks as the engine improves.

use std::collections::BTreeMap;
use std::fmt;

/// A parsed baseline: test name (`942100-3`) → reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    entries: BTreeMap<String, Entry>,
}

/// One baseline entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Why the test fails.
    pub reason: String,
    /// 1-based line in the file.
    pub line: usize,
}

/// A problem in a baseline file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaselineError {
    /// Every problem found, `(line, message)`.
    pub problems: Vec<(usize, String)>,
}

impl fmt::Display for BaselineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (line, msg)) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "line {line}: {msg}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BaselineError {}

impl Baseline {
    /// Parse baseline text (see the module docs for the format).
    pub fn parse(text: &str) -> Result<Baseline, BaselineError> {
        let mut entries = BTreeMap::new();
        let mut problems = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let (name, reason) = match line.split_once('\t') {
                Some((n, r)) => (n.trim(), r.trim()),
                None => (line.trim(), ""),
            };
            if !is_test_name(name) {
                problems.push((line_no, format!("{name:?} is not a test name (<rule_id>-<test_id>)")));
                continue;
            }
            if reason.is_empty() {
                problems.push((line_no, format!("{name} has no reason (write one after a tab)")));
                continue;
            }
            if let Some(prev) = entries.get(name) {
                let prev: &Entry = prev;
                problems.push((line_no, format!("{name} is already listed on line {}", prev.line)));
                continue;
            }
            entries.insert(name.to_string(), Entry { reason: reason.to_string(), line: line_no });
        }
        if problems.is_empty() {
            Ok(Baseline { entries })
        } else {
            Err(BaselineError { problems })
        }
    }

    /// The entry for test `name` (`942100-3`), if listed.
    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries.get(name)
    }

    /// Whether test `name` is listed.
    pub fn contains(&self, name: &str) -> bool {
        self.entries.contains_key(name)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// `<digits>-<digits>`.
fn is_test_name(s: &str) -> bool {
    match s.split_once('-') {
        Some((a, b)) => {
            !a.is_empty() && !b.is_empty() && a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_and_comments() {
        let b = Baseline::parse("# header\n\n920100-4\tnginx answers 400 before the WAF\r\n942100-1\t x \n").unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!(b.get("920100-4").unwrap().reason, "nginx answers 400 before the WAF");
        assert_eq!(b.get("942100-1").unwrap().line, 4);
        assert!(!b.contains("942100-2"));
    }

    #[test]
    fn rejects_empty_reasons_bad_names_and_duplicates() {
        let e = Baseline::parse("920100-4\n920100-5\t  \nfoo\tbar\n1-1\ta\n1-1\tb\n").unwrap_err();
        let lines: Vec<usize> = e.problems.iter().map(|p| p.0).collect();
        assert_eq!(lines, vec![1, 2, 3, 5]);
        assert!(e.to_string().contains("line 1: 920100-4 has no reason"));
    }

    #[test]
    fn the_committed_baseline_is_valid() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/ftw/known-failures.tsv");
        let text = std::fs::read_to_string(path).unwrap();
        Baseline::parse(&text).unwrap();
    }
}
