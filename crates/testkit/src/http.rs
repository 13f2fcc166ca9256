//! One HTTP/1.x request as bytes: the shape every test input is turned into,
//! and a tolerant parser of raw request bytes.
//!
//! [`HttpRequest`] holds what a client put on the wire: request line parts,
//! header lines in order (duplicates and case kept) and the bytes after the
//! blank line. What a server would take as the *message body* (honouring
//! `Content-Length` and chunked framing) is [`HttpRequest::message_body`].
//!
//! For reading messages off a socket (the CLI's over-HTTP ftw runner and its
//! backend): [`head_len`] finds the end of a header section,
//! [`parse_response_head`] reads a status line and headers, and
//! [`BodyFraming`] with [`chunked_len`] say where a body ends. No I/O here.
//!
//! Nothing here panics on any input: the parser accepts garbage and makes
//! the best of it, as a lenient web server front end would.

use std::borrow::Cow;

/// One HTTP/1.x request, as bytes.
///
/// Invariant: `headers` is in wire order; names and values are kept exactly
/// as written except that values lose surrounding spaces and tabs when parsed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method token, e.g. `GET`.
    pub method: Vec<u8>,
    /// The request target as sent (path and query, or an absolute URI).
    pub uri: Vec<u8>,
    /// The protocol, e.g. `HTTP/1.1`; empty for an HTTP/0.9-style line.
    pub version: Vec<u8>,
    /// Header lines in order, `(name, value)`.
    pub headers: Vec<(Vec<u8>, Vec<u8>)>,
    /// Bytes after the blank line that ends the header section.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The value of the first header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| v.as_slice())
    }

    /// Whether any header is named `name` (ASCII case-insensitive).
    pub fn has_header(&self, name: &str) -> bool {
        self.header(name).is_some()
    }

    /// The path part of the request target (before `?`), for routing.
    pub fn path(&self) -> &[u8] {
        let end = memchr_byte(b'?', &self.uri).unwrap_or(self.uri.len());
        self.uri.get(..end).unwrap_or(&self.uri)
    }

    /// The message body a server would read after the headers:
    /// chunks decoded when the last `Transfer-Encoding` is `chunked`, else at
    /// most `Content-Length` bytes, else nothing (a request without either
    /// header has no body, RFC 9112 section 6.3). An unparsable
    /// `Content-Length` is ignored and the whole remainder is taken.
    pub fn message_body(&self) -> Cow<'_, [u8]> {
        if self.is_chunked() {
            return Cow::Owned(decode_chunked(&self.body));
        }
        match self.header("Content-Length") {
            Some(v) => match parse_decimal(v) {
                Some(n) => {
                    let n = n.min(self.body.len());
                    Cow::Borrowed(self.body.get(..n).unwrap_or(&self.body))
                }
                None => Cow::Borrowed(&self.body),
            },
            None => Cow::Borrowed(&[]),
        }
    }

    /// Whether the request uses chunked transfer coding (its last
    /// `Transfer-Encoding` coding is `chunked`).
    pub fn is_chunked(&self) -> bool {
        self.headers
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(b"Transfer-Encoding"))
            .map(|(_, v)| {
                let last = v.rsplit(|&b| b == b',').next().unwrap_or(v);
                trim(last).eq_ignore_ascii_case(b"chunked")
            })
            .unwrap_or(false)
    }

    /// Serialize as the bytes a client sends: request line, header lines
    /// (`name: value`), blank line, body. Lines end with CRLF.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.body.len());
        out.extend_from_slice(&self.method);
        out.push(b' ');
        out.extend_from_slice(&self.uri);
        if !self.version.is_empty() {
            out.push(b' ');
            out.extend_from_slice(&self.version);
        }
        out.extend_from_slice(b"\r\n");
        for (n, v) in &self.headers {
            out.extend_from_slice(n);
            out.extend_from_slice(b": ");
            out.extend_from_slice(v);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
        out
    }
}

/// How the body after a header section is delimited (RFC 9112 section 6.3),
/// for code that reads messages off a socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyFraming {
    /// No body follows.
    Empty,
    /// Exactly this many bytes follow.
    Length(usize),
    /// Chunked transfer coding: see [`chunked_len`].
    Chunked,
    /// The body runs until the connection closes (a response without framing).
    UntilClose,
}

impl HttpRequest {
    /// How this request's body is delimited: chunked when the last
    /// `Transfer-Encoding` is `chunked`, else `Content-Length` when it parses,
    /// else no body.
    pub fn framing(&self) -> BodyFraming {
        if self.is_chunked() {
            return BodyFraming::Chunked;
        }
        match self.header("Content-Length").and_then(parse_decimal) {
            Some(0) | None => BodyFraming::Empty,
            Some(n) => BodyFraming::Length(n),
        }
    }
}

/// The status line and headers of one HTTP/1.x response.
///
/// Invariant: `headers` is in wire order, values trimmed of spaces and tabs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseHead {
    /// The protocol of the status line, e.g. `HTTP/1.1`.
    pub version: Vec<u8>,
    /// The status code.
    pub status: u16,
    /// The reason phrase (may be empty).
    pub reason: Vec<u8>,
    /// Header lines in order, `(name, value)`.
    pub headers: Vec<(Vec<u8>, Vec<u8>)>,
}

impl ResponseHead {
    /// The value of the first header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes())).map(|(_, v)| v.as_slice())
    }

    /// How the body of this response to a `method` request is delimited:
    /// none for `HEAD`, 1xx, 204 and 304; else chunked, `Content-Length`, or
    /// until the connection closes.
    pub fn framing(&self, method: &[u8]) -> BodyFraming {
        if method.eq_ignore_ascii_case(b"HEAD") || self.status < 200 || self.status == 204 || self.status == 304 {
            return BodyFraming::Empty;
        }
        let chunked = self.header("Transfer-Encoding").is_some_and(|v| {
            let last = v.rsplit(|&b| b == b',').next().unwrap_or(v);
            trim(last).eq_ignore_ascii_case(b"chunked")
        });
        if chunked {
            return BodyFraming::Chunked;
        }
        match self.header("Content-Length").and_then(parse_decimal) {
            Some(0) => BodyFraming::Empty,
            Some(n) => BodyFraming::Length(n),
            None => BodyFraming::UntilClose,
        }
    }
}

/// Parse a response head (status line and header lines, up to the empty
/// line; see [`head_len`]). `None` when the status line is not
/// `HTTP/x.y NNN [reason]`.
pub fn parse_response_head(head: &[u8]) -> Option<ResponseHead> {
    let (line, mut rest) = split_line(head);
    let line = line?;
    let mut parts = line.splitn(3, |&b| b == b' ');
    let version = parts.next().filter(|v| v.starts_with(b"HTTP/"))?;
    let code = parts.next().filter(|c| c.len() == 3)?;
    let status = u16::try_from(parse_decimal(code)?).ok()?;
    let mut out = ResponseHead {
        version: version.to_vec(),
        status,
        reason: parts.next().unwrap_or_default().to_vec(),
        headers: Vec::new(),
    };
    while let (Some(line), next) = split_line(rest) {
        rest = next;
        if line.is_empty() {
            break;
        }
        if let Some(i) = memchr_byte(b':', line) {
            let name = line.get(..i).unwrap_or_default();
            out.headers.push((name.to_vec(), trim(line.get(i + 1..).unwrap_or_default()).to_vec()));
        }
    }
    Some(out)
}

/// The length of the header section at the start of `buf`, through the
/// empty line that ends it (CRLF CRLF, or bare LFs); `None` while it is
/// incomplete.
pub fn head_len(buf: &[u8]) -> Option<usize> {
    let mut start = 0;
    while let Some(i) = buf.get(start..).and_then(|rest| memchr_byte(b'\n', rest)) {
        let line = buf.get(start..start + i).unwrap_or_default();
        if line.is_empty() || line == b"\r" {
            return Some(start + i + 1);
        }
        start += i + 1;
    }
    None
}

/// The length of a complete chunked body at the start of `data`: chunks,
/// the last chunk and the trailer section with its empty line. `None` while
/// incomplete, or when a chunk size line does not parse (a reader then
/// waits for the connection to close).
pub fn chunked_len(data: &[u8]) -> Option<usize> {
    let mut pos = 0;
    loop {
        let rest = data.get(pos..)?;
        let eol = memchr_byte(b'\n', rest)?;
        let line = rest.get(..eol).unwrap_or_default();
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let size = parse_hex(trim(line.split(|&b| b == b';').next().unwrap_or_default()))?;
        pos += eol + 1;
        if size == 0 {
            // Trailer lines, then the empty line.
            return head_len(data.get(pos..)?).map(|n| pos + n);
        }
        pos = pos.checked_add(size)?;
        let after = data.get(pos..)?;
        if after.starts_with(b"\r\n") {
            pos += 2;
        } else if after.starts_with(b"\n") {
            pos += 1;
        } else if after.len() < 2 {
            return None;
        }
    }
}

/// Parse raw HTTP/1.x request bytes (as in go-ftw's `encoded_request`).
///
/// - Request line: up to the first LF (a trailing CR dropped). The method is
///   the first space-separated token; the version is the last token when it
///   starts with `HTTP/` (case-insensitive); the URI is what lies between,
///   trimmed of spaces, so a URI with inner spaces survives. With only two
///   tokens and no `HTTP/` the line is HTTP/0.9-style and `version` is empty.
/// - Header lines: split at the first `:`; the value is trimmed of spaces and
///   tabs. A line starting with a space or tab continues the previous value
///   (obsolete folding, joined with one space). A line without `:` becomes a
///   header with an empty value.
/// - The header section ends at the first empty line (LF or CRLF); the rest is
///   `body`, untouched. Without an empty line the body is empty.
///
/// Never fails and never panics.
pub fn parse_raw_request(raw: &[u8]) -> HttpRequest {
    let mut req = HttpRequest::default();
    let (line, mut rest) = split_line(raw);
    let Some(line) = line else {
        return req;
    };
    parse_request_line(line, &mut req);
    loop {
        let (line, next) = split_line(rest);
        let Some(line) = line else {
            // No blank line: everything was headers.
            rest = &[];
            break;
        };
        rest = next;
        if line.is_empty() {
            break;
        }
        if matches!(line.first(), Some(b' ' | b'\t')) {
            if let Some((_, v)) = req.headers.last_mut() {
                let cont = trim(line);
                if !cont.is_empty() {
                    if !v.is_empty() {
                        v.push(b' ');
                    }
                    v.extend_from_slice(cont);
                }
                continue;
            }
        }
        match memchr_byte(b':', line) {
            Some(i) => {
                let name = line.get(..i).unwrap_or_default();
                let value = line.get(i + 1..).unwrap_or_default();
                req.headers.push((name.to_vec(), trim(value).to_vec()));
            }
            None => req.headers.push((line.to_vec(), Vec::new())),
        }
    }
    req.body = rest.to_vec();
    req
}

/// Split the request line into method, URI and version (see [`parse_raw_request`]).
fn parse_request_line(line: &[u8], req: &mut HttpRequest) {
    let line = trim(line);
    let Some(sp) = memchr_byte(b' ', line) else {
        req.method = line.to_vec();
        return;
    };
    req.method = line.get(..sp).unwrap_or_default().to_vec();
    let rest = trim(line.get(sp + 1..).unwrap_or_default());
    match rest.iter().rposition(|&b| b == b' ') {
        Some(last) => {
            let tail = rest.get(last + 1..).unwrap_or_default();
            if tail.len() >= 5 && tail.get(..5).is_some_and(|p| p.eq_ignore_ascii_case(b"HTTP/")) {
                req.uri = trim(rest.get(..last).unwrap_or_default()).to_vec();
                req.version = tail.to_vec();
            } else {
                req.uri = rest.to_vec();
            }
        }
        None => req.uri = rest.to_vec(),
    }
}

/// Decode a chunked body leniently: stops at the last-chunk, at a malformed
/// size line, or at the end of input (keeping what was read).
fn decode_chunked(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let (line, rest) = split_line(data);
        let Some(line) = line else { break };
        let size_text = line.split(|&b| b == b';').next().unwrap_or_default();
        let Some(size) = parse_hex(trim(size_text)) else { break };
        if size == 0 {
            break;
        }
        let take = size.min(rest.len());
        out.extend_from_slice(rest.get(..take).unwrap_or_default());
        let after = rest.get(take..).unwrap_or_default();
        data = after
            .strip_prefix(b"\r\n")
            .or_else(|| after.strip_prefix(b"\n"))
            .unwrap_or(after);
        if take < size {
            break;
        }
    }
    out
}

/// The next line (without its LF and a CR before it) and the rest; `None`
/// when `data` is empty.
fn split_line(data: &[u8]) -> (Option<&[u8]>, &[u8]) {
    if data.is_empty() {
        return (None, data);
    }
    match memchr_byte(b'\n', data) {
        Some(i) => {
            let line = data.get(..i).unwrap_or_default();
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            (Some(line), data.get(i + 1..).unwrap_or_default())
        }
        None => (Some(data.strip_suffix(b"\r").unwrap_or(data)), &[]),
    }
}

fn memchr_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// Trim spaces and tabs on both sides.
pub(crate) fn trim(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&b| b != b' ' && b != b'\t').unwrap_or(s.len());
    let end = s.iter().rposition(|&b| b != b' ' && b != b'\t').map_or(start, |e| e + 1);
    s.get(start..end).unwrap_or_default()
}

fn parse_decimal(v: &[u8]) -> Option<usize> {
    let v = trim(v);
    if v.is_empty() || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(v).ok()?.parse().ok()
}

fn parse_hex(v: &[u8]) -> Option<usize> {
    if v.is_empty() || !v.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    usize::from_str_radix(std::str::from_utf8(v).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_simple_request() {
        let r = parse_raw_request(b"POST /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcdef");
        assert_eq!(r.method, b"POST");
        assert_eq!(r.uri, b"/a?b=1");
        assert_eq!(r.version, b"HTTP/1.1");
        assert_eq!(r.headers, vec![(b"Host".to_vec(), b"x".to_vec()), (b"Content-Length".to_vec(), b"3".to_vec())]);
        assert_eq!(r.body, b"abcdef");
        assert_eq!(&*r.message_body(), b"abc");
        assert_eq!(r.path(), b"/a");
    }

    #[test]
    fn keeps_duplicates_and_case() {
        let r = parse_raw_request(b"GET / HTTP/1.1\r\ncontent-type: a\r\nContent-Type: b\r\n\r\n");
        assert_eq!(r.headers.len(), 2);
        assert_eq!(r.headers[0].0, b"content-type");
        assert_eq!(r.header("CONTENT-TYPE"), Some(&b"a"[..]));
    }

    #[test]
    fn empty_header_value_and_lf_only() {
        let r = parse_raw_request(b"GET / HTTP/1.0\nHost:\n\n");
        assert_eq!(r.version, b"HTTP/1.0");
        assert_eq!(r.headers, vec![(b"Host".to_vec(), Vec::new())]);
        assert!(r.body.is_empty());
    }

    #[test]
    fn uri_with_spaces_and_http09() {
        let r = parse_raw_request(b"GET /a b c HTTP/1.1\r\n\r\n");
        assert_eq!(r.uri, b"/a b c");
        assert_eq!(r.version, b"HTTP/1.1");
        let r = parse_raw_request(b"GET /index.html\r\n\r\n");
        assert_eq!(r.uri, b"/index.html");
        assert!(r.version.is_empty());
        let r = parse_raw_request(b"GET\r\n\r\n");
        assert_eq!(r.method, b"GET");
        assert!(r.uri.is_empty());
    }

    #[test]
    fn folded_and_colonless_lines() {
        let r = parse_raw_request(b"GET / HTTP/1.1\r\nX-A: one\r\n two\r\nbogus\r\n\r\n");
        assert_eq!(r.headers[0], (b"X-A".to_vec(), b"one two".to_vec()));
        assert_eq!(r.headers[1], (b"bogus".to_vec(), Vec::new()));
    }

    #[test]
    fn chunked_body_is_decoded() {
        let r = parse_raw_request(
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nHi \r\n3\r\nCRS\r\n0\r\n\r\n",
        );
        assert!(r.is_chunked());
        assert_eq!(&*r.message_body(), b"Hi CRS");
    }

    #[test]
    fn no_framing_headers_means_no_body() {
        let r = parse_raw_request(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nleftover");
        assert_eq!(r.body, b"leftover");
        assert!(r.message_body().is_empty());
    }

    #[test]
    fn garbage_never_panics() {
        for input in [&b""[..], b"\r\n", b"\n\n\n", b" ", b":", b"\r", b"GET / HTTP/1.1\r\n:\r\n \r\n", b"\xff\xfe\x00"] {
            let r = parse_raw_request(input);
            let _ = r.message_body();
            let _ = r.to_bytes();
        }
        let r = parse_raw_request(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        assert!(r.message_body().is_empty());
        let r = parse_raw_request(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nff\r\nabc");
        assert_eq!(&*r.message_body(), b"abc");
    }

    #[test]
    fn response_heads_and_framing() {
        let raw = b"HTTP/1.1 403 Forbidden\r\ncontent-length: 5\r\nX-A:  b \r\n\r\nhello";
        let n = head_len(raw).unwrap();
        assert_eq!(raw.get(n..).unwrap(), b"hello");
        let h = parse_response_head(raw.get(..n).unwrap()).unwrap();
        assert_eq!((h.status, h.reason.as_slice(), h.header("x-a")), (403, &b"Forbidden"[..], Some(&b"b"[..])));
        assert_eq!(h.framing(b"GET"), BodyFraming::Length(5));
        assert_eq!(h.framing(b"HEAD"), BodyFraming::Empty);
        let h = parse_response_head(b"HTTP/1.1 200\r\ntransfer-encoding: chunked\r\n\r\n").unwrap();
        assert_eq!((h.status, h.framing(b"GET")), (200, BodyFraming::Chunked));
        let h = parse_response_head(b"HTTP/1.0 200 OK\r\n\r\n").unwrap();
        assert_eq!(h.framing(b"GET"), BodyFraming::UntilClose);
        assert_eq!(parse_response_head(b"HTTP/1.1 204 No Content\r\n\r\n").unwrap().framing(b"GET"), BodyFraming::Empty);
        for bad in [&b""[..], b"HTTP/1.1 2000 x\r\n", b"FTP/1 200\r\n", b"HTTP/1.1 abc\r\n"] {
            assert!(parse_response_head(bad).is_none(), "{bad:?}");
        }
        assert_eq!(head_len(b"GET / HTTP/1.1\r\nHost: a\r\n"), None);
        assert_eq!(head_len(b"GET /\n\nbody"), Some(7));
    }

    #[test]
    fn request_framing() {
        let r = parse_raw_request(b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        assert_eq!(r.framing(), BodyFraming::Length(3));
        let r = parse_raw_request(b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
        assert_eq!(r.framing(), BodyFraming::Chunked);
        assert_eq!(parse_raw_request(b"GET / HTTP/1.1\r\n\r\n").framing(), BodyFraming::Empty);
    }

    #[test]
    fn chunked_lengths() {
        let body = b"3\r\nabc\r\n10;ext=1\r\n0123456789abcdef\r\n0\r\nX-T: 1\r\n\r\nNEXT";
        assert_eq!(chunked_len(body), Some(body.len() - 4));
        assert_eq!(chunked_len(b"0\r\n\r\n"), Some(5));
        for partial in [&b""[..], b"3\r\nab", b"3\r\nabc\r\n", b"0\r\n", b"zz\r\n"] {
            assert_eq!(chunked_len(partial), None, "{partial:?}");
        }
    }

    #[test]
    fn round_trips_through_bytes() {
        let raw = b"PUT /x HTTP/1.1\r\nA: 1\r\nb: 2\r\n\r\nbody";
        assert_eq!(parse_raw_request(raw).to_bytes(), raw.to_vec());
    }
}
