//! A simulated backend: what CRS's test backend, albedo (coreruleset/albedo,
//! a small Go `net/http` server), answers, so response-phase rules see the
//! response a test asks for.
//!
//! albedo's behaviour modelled here:
//! - `POST /reflect` (or `/reflect/`, any query): the body is a JSON
//!   specification `{status, headers, body, encodedBody, logMessage}`; the
//!   response has that status (0 → 200), those headers (names canonicalized
//!   as Go does) and that body (`body`, else base64 `encodedBody`). Invalid
//!   JSON → 400 `Invalid JSON in request body`; a status outside 100–599 →
//!   400 `Invalid status code: N`.
//! - Anything else: 200 with an empty body (albedo's default handler).
//!   (Endpoints set up with `/configure_reflection` are not modelled: CRS
//!   tests do not use them.)
//! - Go's server then adds `Content-Type` sniffed from the body when the
//!   handler set none and the body is not empty (`text/plain;
//!   charset=utf-8` for text, `text/html; charset=utf-8` for markup, ...),
//!   `Content-Length`, and `Date` (fixed here for determinism).

use base64::Engine as _;
use serde::Deserialize;

use crate::ftw::request::canonical_header_key;
use crate::http::HttpRequest;

/// A response from the simulated backend.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BackendResponse {
    /// Status code.
    pub status: u16,
    /// Headers in order.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl BackendResponse {
    /// The value of the first header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The response as HTTP/1.1 bytes (for `response_contains`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status)).into_bytes();
        for (n, v) in &self.headers {
            out.extend_from_slice(n.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(v.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
        out
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ReflectSpec {
    status: i64,
    headers: Option<serde_json::Map<String, serde_json::Value>>,
    body: String,
    #[serde(rename = "encodedBody")]
    encoded_body: String,
}

/// albedo's answer to `req` whose message body is `body`.
pub fn albedo(req: &HttpRequest, body: &[u8]) -> BackendResponse {
    let path = req.path();
    let is_reflect = req.method == b"POST" && (path == b"/reflect" || path == b"/reflect/");
    let mut resp = if is_reflect { reflect(body) } else { BackendResponse { status: 200, ..Default::default() } };
    finish(&mut resp);
    resp
}

/// A plain-text 400 with `msg`, as albedo writes its errors.
fn bad_request(msg: String) -> BackendResponse {
    BackendResponse { status: 400, headers: Vec::new(), body: msg.into_bytes() }
}

fn reflect(body: &[u8]) -> BackendResponse {
    let Ok(spec) = serde_json::from_slice::<ReflectSpec>(body) else {
        return bad_request("Invalid JSON in request body".into());
    };
    let mut headers = Vec::new();
    for (name, value) in spec.headers.into_iter().flatten() {
        let value = match value {
            serde_json::Value::String(s) => s,
            _ => return bad_request("Invalid JSON in request body".into()),
        };
        headers.push((canonical_header_key(&name), value));
    }
    if (spec.status > 0 && spec.status < 100) || spec.status >= 600 || spec.status < 0 {
        return BackendResponse {
            status: 400,
            headers,
            body: format!("Invalid status code: {}", spec.status).into_bytes(),
        };
    }
    let status = if spec.status == 0 { 200 } else { u16::try_from(spec.status).unwrap_or(200) };
    let body = if !spec.body.is_empty() {
        spec.body.into_bytes()
    } else if spec.encoded_body.is_empty() {
        Vec::new()
    } else {
        // The status is already sent when albedo finds bad base64: only the body tells.
        base64::engine::general_purpose::STANDARD
            .decode(spec.encoded_body.as_bytes())
            .unwrap_or_else(|_| b"invalid base64 encoding of response body".to_vec())
    };
    BackendResponse { status, headers, body }
}

/// What Go's `net/http` adds to every response.
fn finish(resp: &mut BackendResponse) {
    let bodyless = resp.status < 200 || resp.status == 204 || resp.status == 304;
    if bodyless {
        resp.body.clear();
    }
    if !resp.body.is_empty() && resp.header("Content-Type").is_none() {
        resp.headers.push(("Content-Type".into(), sniff_content_type(&resp.body).into()));
    }
    if resp.header("Date").is_none() {
        resp.headers.push(("Date".into(), "Mon, 01 Jan 2024 00:00:00 GMT".into()));
    }
    if !bodyless && resp.header("Content-Length").is_none() {
        resp.headers.push(("Content-Length".into(), resp.body.len().to_string()));
    }
}

/// A reduced `http.DetectContentType`: markup, XML, PDF, BOMs, text or binary.
pub fn sniff_content_type(body: &[u8]) -> &'static str {
    let data = body.get(..512).unwrap_or(body);
    if data.starts_with(b"\xFE\xFF") {
        return "text/plain; charset=utf-16be";
    }
    if data.starts_with(b"\xFF\xFE") {
        return "text/plain; charset=utf-16le";
    }
    if data.starts_with(b"\xEF\xBB\xBF") {
        return "text/plain; charset=utf-8";
    }
    let start = data.iter().position(|b| !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')).unwrap_or(data.len());
    let trimmed = data.get(start..).unwrap_or_default();
    const HTML: [&[u8]; 17] = [
        b"<!DOCTYPE HTML", b"<HTML", b"<HEAD", b"<SCRIPT", b"<IFRAME", b"<H1", b"<DIV", b"<FONT", b"<TABLE", b"<A",
        b"<STYLE", b"<TITLE", b"<B", b"<BODY", b"<BR", b"<P", b"<!--",
    ];
    for sig in HTML {
        if trimmed.len() > sig.len()
            && trimmed.get(..sig.len()).is_some_and(|p| p.eq_ignore_ascii_case(sig))
            && matches!(trimmed.get(sig.len()), Some(b' ' | b'>'))
        {
            return "text/html; charset=utf-8";
        }
    }
    if trimmed.starts_with(b"<?xml") {
        return "text/xml; charset=utf-8";
    }
    if data.starts_with(b"%PDF-") {
        return "application/pdf";
    }
    if data.starts_with(b"%!PS-Adobe-") {
        return "application/postscript";
    }
    let binary = data.iter().any(|&b| matches!(b, 0x00..=0x08 | 0x0B | 0x0E..=0x1A | 0x1C..=0x1F));
    if binary {
        "application/octet-stream"
    } else {
        "text/plain; charset=utf-8"
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Request Entity Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(uri: &str) -> HttpRequest {
        HttpRequest { method: b"POST".to_vec(), uri: uri.as_bytes().to_vec(), version: b"HTTP/1.1".to_vec(), ..Default::default() }
    }

    #[test]
    fn default_is_empty_200() {
        let r = albedo(&HttpRequest { method: b"GET".to_vec(), uri: b"/reflect".to_vec(), ..Default::default() }, b"");
        assert_eq!(r.status, 200);
        assert!(r.body.is_empty());
        assert_eq!(r.header("Content-Length"), Some("0"));
        assert!(r.header("Content-Type").is_none());
    }

    #[test]
    fn reflects_status_headers_body() {
        let spec = br#"{"status": 503, "headers": {"x-powered-by": "PHP/5.0", "Content-Type": "text/html"}, "body": "<b>Warning</b>"}"#;
        let r = albedo(&post("/reflect?x=1"), spec);
        assert_eq!(r.status, 503);
        assert_eq!(r.header("X-Powered-By"), Some("PHP/5.0"));
        assert_eq!(r.header("content-type"), Some("text/html"));
        assert_eq!(r.body, b"<b>Warning</b>");
        assert!(String::from_utf8_lossy(&r.to_bytes()).starts_with("HTTP/1.1 503 Service Unavailable\r\n"));
    }

    #[test]
    fn sniffs_and_decodes() {
        let r = albedo(&post("/reflect"), br#"{"body": "SQL error near 'x'"}"#);
        assert_eq!(r.header("Content-Type"), Some("text/plain; charset=utf-8"));
        let r = albedo(&post("/reflect/"), br#"{"encodedBody": "PGh0bWw+aGk8L2h0bWw+"}"#);
        assert_eq!(r.body, b"<html>hi</html>");
        assert_eq!(r.header("Content-Type"), Some("text/html; charset=utf-8"));
    }

    #[test]
    fn errors_are_400() {
        assert_eq!(albedo(&post("/reflect"), b"not json").status, 400);
        let r = albedo(&post("/reflect"), br#"{"status": 42}"#);
        assert_eq!((r.status, r.body.as_slice()), (400, &b"Invalid status code: 42"[..]));
    }
}
