//! The detection corpora: JSON Lines, one labelled request a line, as
//! `tests/detection/generate.py` writes them.
//!
//! ```json
//! {"id": "sqli-01-query-url", "class": "sqli", "placement": "query", "encoding": "url",
//!  "method": "GET", "uri": "/search?q=...", "headers": [["Host", "shop.example"]], "body": ""}
//! ```
//!
//! `class` is `benign` for a request that must pass. The body is text
//! (UTF-8); `Content-Length` is whatever the line's headers say.

use std::path::Path;

use portcullis_testkit::HttpRequest;
use serde::Deserialize;

use crate::error::CliError;

/// The class of a request that must not be blocked.
pub const BENIGN: &str = "benign";

/// One labelled request of a corpus.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LabelledRequest {
    /// Unique within its corpus; names the request in reports.
    pub id: String,
    /// The attack class (`sqli`, `xss`, ...) or [`BENIGN`].
    pub class: String,
    /// Where the payload sits (`query`, `path`, `form`, `json`, ...), or the
    /// kind of benign request.
    pub placement: String,
    /// How the payload is encoded (`plain`, `url`, `base64`, ...).
    pub encoding: String,
    /// The request method.
    pub method: String,
    /// The request target (path and query).
    pub uri: String,
    /// Header lines in order.
    pub headers: Vec<(String, String)>,
    /// The message body (empty for none).
    #[serde(default)]
    pub body: String,
}

impl LabelledRequest {
    /// A GET of `uri` labelled `class`, placed in the query, for tests.
    #[cfg(test)]
    pub(crate) fn for_test(id: &str, class: &str, uri: &str) -> LabelledRequest {
        LabelledRequest {
            id: id.into(),
            class: class.into(),
            placement: "query".into(),
            encoding: "plain".into(),
            method: "GET".into(),
            uri: uri.into(),
            headers: vec![("Host".into(), "shop.example".into()), ("User-Agent".into(), "Mozilla/5.0".into())],
            body: String::new(),
        }
    }
}

impl LabelledRequest {
    /// Whether the request must pass.
    pub fn is_benign(&self) -> bool {
        self.class == BENIGN
    }

    /// The request as the engine's exchange takes it (HTTP/1.1).
    pub fn to_http_request(&self) -> HttpRequest {
        HttpRequest {
            method: self.method.as_bytes().to_vec(),
            uri: self.uri.as_bytes().to_vec(),
            version: b"HTTP/1.1".to_vec(),
            headers: self.headers.iter().map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec())).collect(),
            body: self.body.as_bytes().to_vec(),
        }
    }
}

/// Parse a corpus; a bad line is an error naming its line number, so a
/// corpus is never measured partly.
pub fn parse(text: &str, path: &Path) -> Result<Vec<LabelledRequest>, CliError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let req: LabelledRequest =
            serde_json::from_str(line).map_err(|e| CliError::input(path, format!("line {}: {e}", i + 1)))?;
        out.push(req);
    }
    if out.is_empty() {
        return Err(CliError::input(path, "no requests"));
    }
    Ok(out)
}

/// Read and parse the corpus at `path`.
pub fn read(path: &Path) -> Result<Vec<LabelledRequest>, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, e))?;
    parse(&text, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_names_the_bad_one() {
        let p = Path::new("c.jsonl");
        let good = r#"{"id":"a","class":"benign","placement":"page","encoding":"plain","method":"GET","uri":"/","headers":[["Host","x"]]}"#;
        let reqs = parse(&format!("{good}\n\n"), p).unwrap();
        assert_eq!(reqs.len(), 1);
        assert!(reqs[0].is_benign());
        let http = reqs[0].to_http_request();
        assert_eq!(http.header("host"), Some(&b"x"[..]));

        let err = parse(&format!("{good}\n{{\"id\":1}}\n"), p).unwrap_err().to_string();
        assert!(err.starts_with("c.jsonl: line 2:"), "{err}");
        assert!(parse("\n", p).unwrap_err().to_string().contains("no requests"));
    }
}
