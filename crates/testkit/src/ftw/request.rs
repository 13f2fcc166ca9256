//! A stage's input → the request go-ftw 2.x puts on the wire.
//!
//! go-ftw builds requests by hand (it wants to be able to send broken HTTP),
//! so the bytes differ from what an HTTP library would send:
//! - `encoded_request` (base64, line breaks ignored) is sent verbatim; nothing
//!   else of the input is used.
//! - Otherwise: request line from `method` (default `GET`), `uri` (`/`) and
//!   `version` (`HTTP/1.1`); headers in the order of
//!   [`Input::headers_sorted`]; body from `data` run through the template
//!   engine ([`super::template`]) or from base64 `encoded_data`. A data
//!   template or base64 that fails yields *no body*, as in go-ftw.
//! - With autocompletion on (the default) and a non-empty body: a
//!   `Content-Type: application/x-www-form-urlencoded` header is appended when
//!   there is none, and when the content type is exactly that value and the
//!   body has neither `%` nor `+` (i.e. URL-unescaping would not change it),
//!   each `key=value` pair separated by `&` is URL-encoded (keys and values
//!   separately, space as `+`, a trailing `&` dropped).
//! - Whatever the autocompletion, when a `Content-Type` contains
//!   `multipart/form-data;` every LF of the body becomes CRLF (an existing
//!   CRLF thus becomes CR CR LF, as go-ftw does).
//! - With autocompletion on: `Connection: close` is appended unless a
//!   `Connection` header exists; `Content-Length: <body length>` is appended
//!   unless one exists, when the body is non-empty or the method matches
//!   go-ftw's `^POST|PUT|PATCH|DELETE$` (starts with POST, contains PUT or
//!   PATCH, or ends with DELETE).
//!
//! Header names are compared as Go's `textproto.CanonicalMIMEHeaderKey`
//! does: case-insensitively, except that a name with a byte outside the
//! token set (e.g. a space) only equals itself.

use std::fmt;

use base64::Engine as _;

use super::model::Input;
use super::template;
use crate::http::{parse_raw_request, HttpRequest};

/// A stage input go-ftw would refuse to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestError {
    /// `data` and `encoded_request` are both set.
    DataAndEncodedRequest,
    /// `encoded_request` is not valid base64.
    EncodedRequest(String),
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::DataAndEncodedRequest => f.write_str("'data' and 'encoded_request' must not be set simultaneously"),
            RequestError::EncodedRequest(e) => write!(f, "encoded_request is not valid base64: {e}"),
        }
    }
}

impl std::error::Error for RequestError {}

/// Build the request exactly as go-ftw would send it (see the module docs).
pub fn build_request(input: &Input) -> Result<HttpRequest, RequestError> {
    if input.data.as_deref().is_some_and(|d| !d.is_empty()) && input.encoded_request.is_some() {
        return Err(RequestError::DataAndEncodedRequest);
    }
    if let Some(enc) = &input.encoded_request {
        let raw = decode_base64(enc).map_err(RequestError::EncodedRequest)?;
        return Ok(parse_raw_request(&raw));
    }
    let method = input.method.clone().unwrap_or_else(|| "GET".to_string());
    let mut headers: Vec<(String, String)> = input.headers_sorted();
    let mut data: Vec<u8> = body_data(input).unwrap_or_default();

    if !data.is_empty() && input.autocomplete_headers {
        if !has_any(&headers, "Content-Type") {
            headers.push(("Content-Type".into(), "application/x-www-form-urlencoded".into()));
        }
        if has_any_value(&headers, "Content-Type", "application/x-www-form-urlencoded") {
            data = encode_form_data(&data);
        }
    }
    if has_any_value_containing(&headers, "Content-Type", "multipart/form-data;") {
        data = lf_to_crlf(&data);
    }
    if input.autocomplete_headers {
        if !has_any(&headers, "Connection") {
            headers.push(("Connection".into(), "close".into()));
        }
        if !has_any(&headers, "Content-Length") && (!data.is_empty() || method_permits_body(&method)) {
            headers.push(("Content-Length".into(), data.len().to_string()));
        }
    }
    Ok(HttpRequest {
        method: method.into_bytes(),
        uri: input.uri.clone().unwrap_or_else(|| "/".to_string()).into_bytes(),
        version: input.version.clone().unwrap_or_else(|| "HTTP/1.1".to_string()).into_bytes(),
        headers: headers.into_iter().map(|(n, v)| (n.into_bytes(), v.into_bytes())).collect(),
        body: data,
    })
}

/// The bytes go-ftw writes to the socket for `input`: an `encoded_request`
/// verbatim (not re-serialized, so malformed framing survives), otherwise
/// [`build_request`]'s request as bytes.
pub fn wire_bytes(input: &Input) -> Result<Vec<u8>, RequestError> {
    match &input.encoded_request {
        Some(enc) if input.data.as_deref().is_none_or(str::is_empty) => {
            decode_base64(enc).map_err(RequestError::EncodedRequest)
        }
        _ => build_request(input).map(|r| r.to_bytes()),
    }
}

/// The body go-ftw sends before autocompletion: `data` (templated) or
/// `encoded_data`; `None` when absent or when go-ftw would drop it.
pub fn body_data(input: &Input) -> Option<Vec<u8>> {
    if let Some(d) = &input.data {
        return template::render(d).ok().map(String::into_bytes);
    }
    input.encoded_data.as_deref().and_then(|e| decode_base64(e).ok())
}

/// Go's `base64.StdEncoding.DecodeString`: padded standard alphabet; CR and
/// LF are ignored.
fn decode_base64(s: &str) -> Result<Vec<u8>, String> {
    let clean: String = s.chars().filter(|&c| c != '\r' && c != '\n').collect();
    base64::engine::general_purpose::STANDARD.decode(clean.as_bytes()).map_err(|e| e.to_string())
}

/// go-ftw's method test `^POST|PUT|PATCH|DELETE$` (an unanchored alternation).
fn method_permits_body(m: &str) -> bool {
    m.starts_with("POST") || m.contains("PUT") || m.contains("PATCH") || m.ends_with("DELETE")
}

/// URL-encode `key=value&...` when URL-unescaping would leave the data
/// unchanged (no `%`, no `+`); otherwise return it as is.
pub fn encode_form_data(data: &[u8]) -> Vec<u8> {
    if data.is_empty() || data.contains(&b'%') || data.contains(&b'+') {
        return data.to_vec();
    }
    let mut out = Vec::with_capacity(data.len() + 8);
    let mut remaining = data;
    while !remaining.is_empty() {
        let (token, rest) = match remaining.iter().position(|&b| b == b'&') {
            Some(i) => (remaining.get(..i).unwrap_or_default(), remaining.get(i + 1..).unwrap_or_default()),
            None => (remaining, &[][..]),
        };
        remaining = rest;
        match token.iter().position(|&b| b == b'=') {
            Some(eq) => {
                query_escape(token.get(..eq).unwrap_or_default(), &mut out);
                out.push(b'=');
                query_escape(token.get(eq + 1..).unwrap_or_default(), &mut out);
            }
            None => query_escape(token, &mut out),
        }
        out.push(b'&');
    }
    out.pop();
    out
}

/// Go's `url.QueryEscape`: unreserved bytes kept, space as `+`, the rest `%XX`.
fn query_escape(s: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b),
            b' ' => out.push(b'+'),
            _ => {
                out.push(b'%');
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 15)]);
            }
        }
    }
}

fn lf_to_crlf(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 16);
    for &b in data {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// Go's `textproto.CanonicalMIMEHeaderKey`: a valid token is title-cased
/// around `-`; anything else is returned unchanged.
pub fn canonical_header_key(name: &str) -> String {
    let valid = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !valid {
        return name.to_string();
    }
    let mut upper = true;
    name.chars()
        .map(|c| {
            let out = if upper { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() };
            upper = c == '-';
            out
        })
        .collect()
}

fn has_any(headers: &[(String, String)], name: &str) -> bool {
    let key = canonical_header_key(name);
    headers.iter().any(|(n, _)| canonical_header_key(n) == key)
}

fn has_any_value(headers: &[(String, String)], name: &str, value: &str) -> bool {
    let key = canonical_header_key(name);
    headers.iter().any(|(n, v)| canonical_header_key(n) == key && v.eq_ignore_ascii_case(value))
}

fn has_any_value_containing(headers: &[(String, String)], name: &str, needle: &str) -> bool {
    let key = canonical_header_key(name);
    let needle = needle.to_lowercase();
    headers.iter().any(|(n, v)| canonical_header_key(n) == key && v.to_lowercase().contains(&needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(method: &str, headers: &[(&str, &str)], data: Option<&str>) -> Input {
        Input {
            method: Some(method.into()),
            uri: Some("/post".into()),
            headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            data: data.map(str::to_string),
            autocomplete_headers: true,
            ..Input::default()
        }
    }

    fn names(r: &HttpRequest) -> Vec<String> {
        r.headers.iter().map(|(n, _)| String::from_utf8_lossy(n).into_owned()).collect()
    }

    #[test]
    fn get_without_data_gets_connection_only() {
        let r = build_request(&input("GET", &[("Host", "localhost")], None)).unwrap();
        assert_eq!(names(&r), ["Host", "Connection"]);
        assert_eq!(r.header("Connection"), Some(&b"close"[..]));
        assert_eq!(r.version, b"HTTP/1.1");
    }

    #[test]
    fn post_without_data_gets_zero_length() {
        let r = build_request(&input("POST", &[("Host", "h")], None)).unwrap();
        assert_eq!(r.header("Content-Length"), Some(&b"0"[..]));
        assert!(r.header("Content-Type").is_none());
        for m in ["PUT", "PATCH", "DELETE", "POSTX", "XPUTY", "MYDELETE"] {
            assert!(build_request(&input(m, &[], None)).unwrap().has_header("content-length"), "{m}");
        }
        assert!(!build_request(&input("OPTIONS", &[], None)).unwrap().has_header("content-length"));
    }

    #[test]
    fn form_data_is_typed_and_encoded() {
        let r = build_request(&input("POST", &[("Host", "h")], Some("a=1 2&b=<x>&c"))).unwrap();
        assert_eq!(names(&r), ["Host", "Content-Type", "Connection", "Content-Length"]);
        assert_eq!(r.body, b"a=1+2&b=%3Cx%3E&c");
        assert_eq!(r.header("Content-Length"), Some(&b"17"[..]));
        // Already escaped (has % or +): sent as is.
        let r = build_request(&input("POST", &[], Some("a=%3C&b=1+2"))).unwrap();
        assert_eq!(r.body, b"a=%3C&b=1+2");
        // Trailing & and empty tokens, as go-ftw.
        assert_eq!(encode_form_data(b"a=1&"), b"a=1");
        assert_eq!(encode_form_data(b"a=1&&b"), b"a=1&&b");
        assert_eq!(encode_form_data(b"x\n"), b"x%0A");
    }

    #[test]
    fn other_content_types_are_not_encoded() {
        let h = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")];
        let r = build_request(&input("POST", &h, Some("a=<b>"))).unwrap();
        assert_eq!(r.body, b"a=<b>");
        let r = build_request(&input("POST", &[("content-type", "application/json")], Some("{\"a\": 1}"))).unwrap();
        assert_eq!(r.body, b"{\"a\": 1}");
        assert_eq!(names(&r), ["content-type", "Connection", "Content-Length"]);
    }

    #[test]
    fn multipart_newlines_become_crlf_even_without_autocomplete() {
        let h = [("Content-Type", "multipart/form-data; boundary=x")];
        let mut i = input("POST", &h, Some("--x\nA: b\n\nv\r\n--x--\n"));
        let r = build_request(&i).unwrap();
        assert_eq!(r.body, b"--x\r\nA: b\r\n\r\nv\r\r\n--x--\r\n");
        assert_eq!(r.header("Content-Length"), Some(r.body.len().to_string().as_bytes()));
        i.autocomplete_headers = false;
        let r = build_request(&i).unwrap();
        assert_eq!(r.body, b"--x\r\nA: b\r\n\r\nv\r\r\n--x--\r\n");
        assert_eq!(names(&r), ["Content-Type"]);
    }

    #[test]
    fn existing_headers_are_kept_and_not_duplicated() {
        let h = [("Content-Length", "7"), ("connection", "keep-alive"), ("Content-Type", "text/plain")];
        let r = build_request(&input("POST", &h, Some("abc"))).unwrap();
        // Mapping headers are sorted by name (byte order): uppercase first.
        assert_eq!(names(&r), ["Content-Length", "Content-Type", "connection"]);
        assert_eq!(r.body, b"abc");
    }

    #[test]
    fn no_autocomplete_sends_exactly_what_is_written() {
        let mut i = input("GET", &[("Host", "h")], Some("a=b"));
        i.autocomplete_headers = false;
        let r = build_request(&i).unwrap();
        assert_eq!(names(&r), ["Host"]);
        assert_eq!(r.body, b"a=b");
        assert!(r.message_body().is_empty());
    }

    #[test]
    fn defaults_and_templates() {
        let i = Input { data: Some("{{ \"1\" | repeat 5 }}".into()), autocomplete_headers: true, ..Input::default() };
        let r = build_request(&i).unwrap();
        assert_eq!((r.method.as_slice(), r.uri.as_slice()), (&b"GET"[..], &b"/"[..]));
        assert_eq!(r.body, b"11111");
        let bad = Input { data: Some("{{ nope }}".into()), autocomplete_headers: true, ..Input::default() };
        assert!(build_request(&bad).unwrap().body.is_empty());
    }

    #[test]
    fn encoded_request_with_line_breaks() {
        let i = Input { encoded_request: Some("R0VUIC8gSFRU\nUC8xLjANCkhvc3Q6DQoNCg==".into()), ..Input::default() };
        let r = build_request(&i).unwrap();
        assert_eq!(r.version, b"HTTP/1.0");
        assert_eq!(r.headers, vec![(b"Host".to_vec(), Vec::new())]);
        let both = Input { encoded_request: Some("AA==".into()), data: Some("x".into()), ..Input::default() };
        assert_eq!(build_request(&both), Err(RequestError::DataAndEncodedRequest));
        let bad = Input { encoded_request: Some("!!".into()), ..Input::default() };
        assert!(matches!(build_request(&bad), Err(RequestError::EncodedRequest(_))));
    }

    #[test]
    fn wire_bytes_keep_raw_requests_verbatim() {
        use base64::Engine as _;
        // A tab before the method and a bare LF: re-serializing would lose both.
        let raw = b"\tGET / HTTP/1.1\nHost: a\r\n\r\n";
        let enc = base64::engine::general_purpose::STANDARD.encode(raw);
        let i = Input { encoded_request: Some(enc), ..Input::default() };
        assert_eq!(wire_bytes(&i).unwrap(), raw.to_vec());
        let both = Input { encoded_request: Some("AA==".into()), data: Some("x".into()), ..Input::default() };
        assert_eq!(wire_bytes(&both), Err(RequestError::DataAndEncodedRequest));
        let built = Input { uri: Some("/a".into()), autocomplete_headers: true, ..Input::default() };
        assert_eq!(wire_bytes(&built).unwrap(), b"GET /a HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec());
    }

    #[test]
    fn canonical_keys() {
        assert_eq!(canonical_header_key("content-TYPE"), "Content-Type");
        assert_eq!(canonical_header_key("x y"), "x y");
    }
}
