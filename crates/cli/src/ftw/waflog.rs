//! Reading the filter's ModSecurity lines out of Envoy's log, stage by stage.
//!
//! The filter writes one `ModSecurity: …` line per logging match to Envoy's
//! log (`--log-path`), all lines of a request together when the request
//! ends. Which lines belong to a stage is decided as go-ftw does, with log
//! markers: after each stage the runner sends a marker request carrying
//! `X-CRS-Test: <token>` (and `x-request-id: <token>`), which rule
//! [`MARKER_RULE_ID`] logs. The stage's lines are the filter lines read
//! after the previous marker and before this one. Envoy runs with one
//! worker and the runner sends one request at a time, so nothing else can
//! interleave; lines of the marker requests themselves (whatever else they
//! match) are dropped by their unique id.
//!
//! Why markers rather than a per-stage `x-request-id` picked out of the log:
//! the filter writes its lines when the stream ends, which may be after the
//! client has the response, so something must still say "this stage's lines
//! are all there"; and a stage sent as a raw `encoded_request` would have to
//! be altered to carry an id. Markers need neither, and are what go-ftw does.

use std::fs::File;
use std::io::{self, Read as _, Seek as _, SeekFrom};
use std::path::{Path, PathBuf};

/// The id of the rule that logs marker requests (the CRS test image's own).
pub const MARKER_RULE_ID: u32 = 999_999;

/// The request header that carries a marker token (go-ftw's default).
pub const MARKER_HEADER: &str = "X-CRS-Test";

/// What every marker token starts with; lines with this unique id are the
/// markers' own.
pub const MARKER_PREFIX: &str = "ftw-marker-";

/// The rule that logs marker requests, as inline SecLang for the plugin
/// configuration. Phase 1, `pass`, so a marker never disturbs anything.
pub fn marker_rule() -> String {
    format!(
        "SecRule REQUEST_HEADERS:{MARKER_HEADER} \"@rx ^.*$\" \
         \"id:{MARKER_RULE_ID},phase:1,pass,t:none,log,msg:'%{{MATCHED_VAR}}'\""
    )
}

/// The part of an Envoy log line that the filter wrote (`ModSecurity: …`),
/// without Envoy's timestamp, thread, level and source prefix; `None` for
/// Envoy's own lines.
pub fn filter_line(line: &str) -> Option<&str> {
    line.find("ModSecurity: ").and_then(|i| line.get(i..))
}

/// Whether a filter line belongs to a marker request.
fn is_marker_line(line: &str) -> bool {
    line.contains(&format!("[unique_id \"{MARKER_PREFIX}"))
}

/// Whether a filter line is the marker line of `token`.
fn marks(line: &str, token: &str) -> bool {
    line.contains(&format!("[id \"{MARKER_RULE_ID}\"]")) && line.contains(&format!("[unique_id \"{token}\"]"))
}

/// The log file, read from where the last marker was found.
#[derive(Debug)]
pub struct WafLog {
    path: PathBuf,
    file: File,
    /// Bytes read but not yet ending in a newline.
    partial: Vec<u8>,
    /// Filter lines read since the last marker, in order (marker requests' own dropped).
    pending: Vec<String>,
}

impl WafLog {
    /// Open `path` and skip what it holds now (start-up lines, earlier runs).
    pub fn open(path: &Path) -> io::Result<WafLog> {
        let mut file = File::open(path)?;
        file.seek(SeekFrom::End(0))?;
        Ok(WafLog { path: path.to_path_buf(), file, partial: Vec::new(), pending: Vec::new() })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read what was appended since the last call. If the marker line of
    /// `token` is among it, return the filter lines before it (since the
    /// previous marker) and start collecting afresh; else keep them and
    /// return `None`.
    pub fn poll(&mut self, token: &str) -> io::Result<Option<Vec<String>>> {
        let mut fresh = Vec::new();
        self.file.read_to_end(&mut fresh)?;
        self.partial.extend_from_slice(&fresh);
        let Some(last_newline) = self.partial.iter().rposition(|&b| b == b'\n') else {
            return Ok(None);
        };
        let complete: Vec<u8> = self.partial.drain(..=last_newline).collect();
        let mut found = None;
        for raw in complete.split(|&b| b == b'\n') {
            let text = String::from_utf8_lossy(raw);
            let Some(line) = filter_line(text.trim_end_matches('\r')) else { continue };
            if found.is_none() && marks(line, token) {
                found = Some(std::mem::take(&mut self.pending));
            } else if !is_marker_line(line) {
                self.pending.push(line.to_string());
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    const PREFIX: &str = "[2026-12-06 05:00:00.000][1][warning][wasm] [source/extensions/common/wasm/context.cc:1] wasm log portcullis: ";

    fn line(id: u32, unique_id: &str) -> String {
        format!("{PREFIX}ModSecurity: Warning. Matched. [id \"{id}\"] [unique_id \"{unique_id}\"]\n")
    }

    #[test]
    fn splits_stages_at_markers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("envoy.log");
        let mut f = File::create(&path).unwrap();
        f.write_all(b"[info] starting\n").unwrap();
        let mut log = WafLog::open(&path).unwrap();
        let m1 = format!("{MARKER_PREFIX}1");
        let m2 = format!("{MARKER_PREFIX}2");
        f.write_all(line(920350, &m1).as_bytes()).unwrap();
        f.write_all(line(MARKER_RULE_ID, &m1).as_bytes()).unwrap();
        // A marker request's other match, after its marker line, is not the next stage's.
        f.write_all(line(920280, &m1).as_bytes()).unwrap();
        f.write_all(b"[info] envoy's own line\n").unwrap();
        f.write_all(line(942100, "abc").as_bytes()).unwrap();
        // Half a line: not read until its newline arrives.
        let m2_line = line(MARKER_RULE_ID, &m2);
        let (head, tail) = m2_line.split_at(20);
        f.write_all(head.as_bytes()).unwrap();
        assert_eq!(log.poll(&m1).unwrap(), Some(Vec::new()));
        assert_eq!(log.poll(&m2).unwrap(), None);
        f.write_all(tail.as_bytes()).unwrap();
        let got = log.poll(&m2).unwrap().unwrap();
        assert_eq!(got, vec!["ModSecurity: Warning. Matched. [id \"942100\"] [unique_id \"abc\"]".to_string()]);
        assert_eq!(log.path(), path.as_path());
    }

    #[test]
    fn marker_rule_and_filter_lines() {
        assert!(marker_rule().contains("id:999999,phase:1,pass"));
        assert_eq!(filter_line("x ModSecurity: Warning."), Some("ModSecurity: Warning."));
        assert_eq!(filter_line("[info] nothing"), None);
    }
}
