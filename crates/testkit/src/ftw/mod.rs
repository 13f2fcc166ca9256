//! go-ftw regression tests: the YAML model ([`model`]), how go-ftw turns a
//! stage's input into bytes on the wire ([`request`], [`template`]), how a
//! stage's outcome is judged ([`check`]), and the file loader here.
//!
//! The loader follows go-ftw 2.x: every file under a directory whose name
//! matches `*.y*ml` (recursively, in path order); an empty document is a file
//! without tests. Unlike go-ftw, a file that fails to parse is an error, not
//! a warning: a suite must not silently lose cases.

pub mod check;
pub mod model;
pub mod request;
pub mod template;

use std::fmt;
use std::path::{Path, PathBuf};

pub use check::{check_stage, triggered_ids, Failure, StageOutcome};
pub use model::{FtwFile, FtwTest, Input, LogExpect, Meta, Output, ResponseSpec, Stage};
pub use request::{build_request, wire_bytes, RequestError};

/// A test file that could not be read or parsed.
#[derive(Debug)]
pub struct FtwError {
    /// The file or directory concerned.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for FtwError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for FtwError {}

/// Parse one test file from bytes; `path` names it in messages and gives
/// the rule id fallback (first digits of the file name).
pub fn parse_file(bytes: &[u8], path: &str) -> Result<FtwFile, FtwError> {
    let err = |message: String| FtwError { path: PathBuf::from(path), message };
    let raw: Option<model::RawFile> = serde_yaml_ng::from_slice(bytes).map_err(|e| err(e.to_string()))?;
    let file_name = Path::new(path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    model::from_raw(raw.unwrap_or_default(), path, &file_name).map_err(err)
}

/// Read and parse one test file.
pub fn load_file(path: &Path) -> Result<FtwFile, FtwError> {
    let bytes = std::fs::read(path).map_err(|e| FtwError { path: path.to_path_buf(), message: e.to_string() })?;
    parse_file(&bytes, &path.to_string_lossy())
}

/// Load every test file under `dir` (recursively, names matching `*.y*ml`),
/// in path order. `dir` may also be a single file.
pub fn load_dir(dir: &Path) -> Result<Vec<FtwFile>, FtwError> {
    if dir.is_file() {
        return Ok(vec![load_file(dir)?]);
    }
    let mut paths = Vec::new();
    collect_yaml(dir, &mut paths)?;
    paths.sort();
    paths.iter().map(|p| load_file(p)).collect()
}

/// Whether a file name matches go-ftw's default glob `*.y*ml`.
pub fn is_test_file_name(name: &str) -> bool {
    // `*` may match nothing: some ".y" must leave room for the final "ml".
    name.ends_with("ml") && name.find(".y").is_some_and(|dot| dot + 4 <= name.len())
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), FtwError> {
    let io = |e: std::io::Error| FtwError { path: dir.to_path_buf(), message: e.to_string() };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        let ty = entry.file_type().map_err(io)?;
        if ty.is_dir() {
            collect_yaml(&path, out)?;
        } else if is_test_file_name(&entry.file_name().to_string_lossy()) {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_like_go_ftw() {
        assert!(is_test_file_name("942100.yaml"));
        assert!(is_test_file_name("999999.yml"));
        assert!(is_test_file_name("a.yxml"));
        assert!(!is_test_file_name("positivetest.yaml.skeleton"));
        assert!(!is_test_file_name("base_positive_rules.py"));
        assert!(!is_test_file_name("yaml"));
        assert!(is_test_file_name(".yml"));
        assert!(!is_test_file_name("x.ml"));
    }
}

#[cfg(test)]
mod shape_tests {
    use super::*;

    fn parse(yaml: &str) -> FtwFile {
        parse_file(yaml.as_bytes(), "tests/REQUEST-920/920100.yaml").unwrap()
    }

    #[test]
    fn v2_shape_with_log_block() {
        let f = parse(
            r#"
meta:
  author: "a"
  enabled: true
rule_id: 920100
tests:
  - test_id: 4
    desc: "x"
    stages:
      - input:
          dest_addr: "127.0.0.1"
          port: 80
          method: "POST"
          headers:
            User-Agent: "OWASP CRS test agent"
            Host: localhost
            Content-Length: 7
            x-dup: one
            X-Dup: two
          uri: "/post"
          version: "HTTP/1.1"
          data: |
            a=b
            c=d
          autocomplete_headers: false
        output:
          status: 200
          retry_once: true
          log:
            expect_ids: [920100, 920101]
            no_expect_ids: [1]
            match_regex: 'ARGS:x'
"#,
        );
        assert_eq!((f.rule_id, f.meta.author.as_str(), f.meta.enabled), (920100, "a", Some(true)));
        let t = &f.tests[0];
        assert_eq!((t.id(), t.desc.as_str()), ("920100-4".to_string(), "x"));
        let i = &t.stages[0].input;
        assert_eq!(i.port, Some(80));
        assert_eq!(i.data.as_deref(), Some("a=b\nc=d\n"));
        assert!(!i.autocomplete_headers);
        let names: Vec<&str> = i.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["User-Agent", "Host", "Content-Length", "x-dup", "X-Dup"]);
        assert_eq!(i.headers[2].1, "7");
        let sorted: Vec<String> = i.headers_sorted().into_iter().map(|(n, _)| n).collect();
        assert_eq!(sorted, ["Content-Length", "Host", "User-Agent", "X-Dup", "x-dup"]);
        let o = &t.stages[0].output;
        assert_eq!(o.status, vec![200]);
        assert!(o.retry_once);
        assert_eq!(o.log.expect_ids, vec![920100, 920101]);
        assert_eq!(o.log.no_expect_ids, vec![1]);
        assert_eq!(o.log.match_regex.as_deref(), Some("ARGS:x"));
    }

    #[test]
    fn older_and_newer_spellings() {
        let f = parse(
            r#"
tests:
  - desc: "no id: position"
    stages:
      - input:
          stop_magic: true
          ordered_headers:
            - name: B
              value: 1
            - ["A", "2"]
        output:
          status: [200, 404]
          log_contains: 'id "920100"'
          no_log_contains: 'id "1"'
  - id: 7
    description: "v3 names"
    stages:
      - stage:
          input:
            headers: [{name: Host, value: h}]
          output:
            expect_ids: 5
            log:
              expect_ids: [6]
            log_contains: 'ignored because expect_ids is set'
"#,
        );
        // rule_id from the file name.
        assert_eq!(f.rule_id, 920100);
        let t = &f.tests[0];
        assert_eq!(t.test_id, 1);
        let i = &t.stages[0].input;
        assert!(!i.autocomplete_headers);
        assert!(i.headers_are_ordered);
        assert_eq!(i.headers_sorted(), vec![("B".to_string(), "1".to_string()), ("A".to_string(), "2".to_string())]);
        let o = &t.stages[0].output;
        assert_eq!(o.status, vec![200, 404]);
        assert_eq!(o.log.match_regex.as_deref(), Some(r#"id "920100""#));
        assert_eq!(o.log.no_match_regex.as_deref(), Some(r#"id "1""#));
        let t = &f.tests[1];
        assert_eq!((t.test_id, t.desc.as_str()), (7, "v3 names"));
        let o = &t.stages[0].output;
        assert_eq!(o.log.expect_ids, vec![6, 5]);
        assert_eq!(o.log.match_regex, None);
        assert_eq!(t.stages[0].input.headers, vec![("Host".to_string(), "h".to_string())]);
    }

    #[test]
    fn empty_and_comment_only_files() {
        let f = parse("# nothing here\n");
        assert_eq!((f.rule_id, f.tests.len()), (920100, 0));
        assert!(parse_file(b"tests: [", "x.yaml").is_err());
        assert!(parse_file(b"tests: []", "nodigits.yaml").is_err());
    }
}
