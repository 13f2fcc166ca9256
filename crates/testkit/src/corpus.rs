//! The request corpus (`tests/corpus/*.json` in the repository, see
//! [`crate::crs::corpus_dir`]): one request per file, used by benchmarks and
//! verdict checks.
//!
//! Format (see the corpus README): `name`, `class` (benign | attack), `type`,
//! `expect` (pass | block), `note`, `method`, `uri` (raw request target),
//! `version`, `headers` (ordered `[name, value]` pairs, `Host` included) and
//! `body` (a string sent as is).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::http::HttpRequest;

/// One corpus request.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CorpusRequest {
    /// File stem, e.g. `b02-form-checkout`.
    pub name: String,
    /// Whether the request is benign or an attack.
    pub class: Class,
    /// Free-form shape label (`form300`, `sqli`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// What a WAF with the default configuration should do.
    pub expect: Expect,
    /// Where the request comes from / why it is here.
    #[serde(default)]
    pub note: String,
    /// Request method.
    pub method: String,
    /// Raw request target as sent on the request line.
    pub uri: String,
    /// Protocol, e.g. `HTTP/1.1`.
    pub version: String,
    /// Headers in order, duplicates allowed.
    pub headers: Vec<(String, String)>,
    /// Body, sent as is.
    #[serde(default)]
    pub body: String,
}

/// Corpus class.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Ordinary traffic.
    Benign,
    /// One attack technique.
    Attack,
}

/// Expected outcome.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// Let through.
    Pass,
    /// Blocked.
    Block,
}

impl CorpusRequest {
    /// Parse one corpus file's bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<CorpusRequest, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// The request as bytes, exactly as described (no header is added).
    pub fn to_http_request(&self) -> HttpRequest {
        HttpRequest {
            method: self.method.as_bytes().to_vec(),
            uri: self.uri.as_bytes().to_vec(),
            version: self.version.as_bytes().to_vec(),
            headers: self
                .headers
                .iter()
                .map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec()))
                .collect(),
            body: self.body.as_bytes().to_vec(),
        }
    }
}

/// A corpus file that could not be read or parsed.
#[derive(Debug)]
pub struct CorpusError {
    /// The file (or directory) concerned.
    pub path: PathBuf,
    /// What went wrong.
    pub kind: CorpusErrorKind,
}

/// Why a corpus file failed.
#[derive(Debug)]
pub enum CorpusErrorKind {
    /// Reading the file or directory failed.
    Io(std::io::Error),
    /// The JSON did not match the corpus format.
    Json(serde_json::Error),
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            CorpusErrorKind::Io(e) => write!(f, "{}: {e}", self.path.display()),
            CorpusErrorKind::Json(e) => write!(f, "{}: invalid corpus request: {e}", self.path.display()),
        }
    }
}

impl std::error::Error for CorpusError {}

/// Load one corpus file.
pub fn load_file(path: &Path) -> Result<CorpusRequest, CorpusError> {
    let bytes = std::fs::read(path).map_err(|e| CorpusError { path: path.to_path_buf(), kind: CorpusErrorKind::Io(e) })?;
    CorpusRequest::from_slice(&bytes).map_err(|e| CorpusError { path: path.to_path_buf(), kind: CorpusErrorKind::Json(e) })
}

/// Load every `*.json` file of `dir`, sorted by file name.
pub fn load_dir(dir: &Path) -> Result<Vec<CorpusRequest>, CorpusError> {
    let io = |e| CorpusError { path: dir.to_path_buf(), kind: CorpusErrorKind::Io(e) };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|p| load_file(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_request() {
        let json = br#"{"name":"x","class":"attack","type":"sqli","expect":"block","note":"n",
            "method":"GET","uri":"/?a=1","version":"HTTP/1.1","headers":[["Host","h"],["Host","h2"]],"body":""}"#;
        let r = CorpusRequest::from_slice(json).unwrap();
        assert_eq!(r.class, Class::Attack);
        assert_eq!(r.expect, Expect::Block);
        let h = r.to_http_request();
        assert_eq!(h.headers.len(), 2);
        assert_eq!(h.uri, b"/?a=1");
    }

    #[test]
    fn loads_the_repository_corpus() {
        let dir = crate::crs::corpus_dir();
        let all = load_dir(&dir).unwrap();
        assert!(all.len() >= 30, "corpus has {} requests", all.len());
        assert!(all.iter().any(|r| r.name.starts_with("b02")));
    }
}
