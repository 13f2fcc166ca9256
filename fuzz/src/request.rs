//! The input format of the `crs_request` harness: a raw HTTP request, then
//! optionally a marker line and a raw response.
//!
//! ```text
//! POST /login?next=/ HTTP/1.1          request line: method SP uri SP version
//! Host: example.com                    header lines, `name: value`
//! Content-Type: application/json
//!                                      blank line
//! {"user":"a"}                         request body (to the marker or the end)
//! @@RESPONSE@@                         RESPONSE_MARKER (optional)
//! HTTP/1.1 200                         protocol SP status
//! Content-Type: text/html
//!
//! <html>...</html>                     response body
//! ```
//!
//! Decoding never fails: lines may end in LF or CRLF, a missing part is
//! empty (or the defaults `GET`, `/`, `HTTP/1.1`, status 200 where a request
//! without them would make no sense), a header line without `:` is a name
//! with an empty value. The URI is everything between the first and the
//! last space of the request line, so it may hold spaces. [`encode`] is the
//! inverse for well-formed parts (no line breaks inside names or values).

/// Separates the request body from the response.
pub const RESPONSE_MARKER: &[u8] = b"\n@@RESPONSE@@\n";

/// One decoded exchange; every slice borrows the fuzz input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exchange<'a> {
    /// Request method.
    pub method: &'a [u8],
    /// Request target as sent.
    pub uri: &'a [u8],
    /// Request protocol, e.g. `HTTP/1.1` (may be empty).
    pub version: &'a [u8],
    /// Request headers in order.
    pub headers: Vec<(&'a [u8], &'a [u8])>,
    /// Request body.
    pub body: &'a [u8],
    /// Response status.
    pub status: u16,
    /// Response protocol.
    pub resp_protocol: &'a [u8],
    /// Response headers in order.
    pub resp_headers: Vec<(&'a [u8], &'a [u8])>,
    /// Response body.
    pub resp_body: &'a [u8],
}

/// Decodes `data` (see the module docs). Never fails.
pub fn decode(data: &[u8]) -> Exchange<'_> {
    let (req, resp) = match memchr::memmem::find(data, RESPONSE_MARKER) {
        Some(i) => (&data[..i], Some(&data[i + RESPONSE_MARKER.len()..])),
        None => (data, None),
    };
    let (head, body) = split_head(req);
    let mut lines = head.split(|&b| b == b'\n').map(strip_cr);
    let first = lines.next().unwrap_or_default();
    let (method, uri, version) = request_line(first);
    let mut ex = Exchange {
        method,
        uri,
        version,
        headers: lines.filter(|l| !l.is_empty()).map(header).collect(),
        body,
        status: 200,
        resp_protocol: b"HTTP/1.1",
        ..Exchange::default()
    };
    if let Some(resp) = resp {
        let (head, body) = split_head(resp);
        let mut lines = head.split(|&b| b == b'\n').map(strip_cr);
        let first = lines.next().unwrap_or_default();
        let (proto, status) = match memchr::memrchr(b' ', first) {
            Some(i) => (&first[..i], &first[i + 1..]),
            None => (&b""[..], first),
        };
        ex.resp_protocol = proto;
        ex.status = status.iter().fold(0u16, |n, &d| {
            if d.is_ascii_digit() {
                n.wrapping_mul(10).wrapping_add(u16::from(d - b'0'))
            } else {
                n
            }
        });
        ex.resp_headers = lines.filter(|l| !l.is_empty()).map(header).collect();
        ex.resp_body = body;
    }
    ex
}

/// Writes an exchange in the format [`decode`] reads.
pub fn encode(ex: &Exchange<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(ex.method);
    out.push(b' ');
    out.extend_from_slice(ex.uri);
    out.push(b' ');
    out.extend_from_slice(ex.version);
    out.push(b'\n');
    for (n, v) in &ex.headers {
        push_header(&mut out, n, v);
    }
    out.push(b'\n');
    out.extend_from_slice(ex.body);
    out.extend_from_slice(RESPONSE_MARKER);
    out.extend_from_slice(ex.resp_protocol);
    out.push(b' ');
    out.extend_from_slice(ex.status.to_string().as_bytes());
    out.push(b'\n');
    for (n, v) in &ex.resp_headers {
        push_header(&mut out, n, v);
    }
    out.push(b'\n');
    out.extend_from_slice(ex.resp_body);
    out
}

fn push_header(out: &mut Vec<u8>, name: &[u8], value: &[u8]) {
    out.extend_from_slice(name);
    out.extend_from_slice(b": ");
    out.extend_from_slice(value);
    out.push(b'\n');
}

/// Splits at the first blank line (`\n\n` or `\r\n\r\n`): header block and body.
fn split_head(data: &[u8]) -> (&[u8], &[u8]) {
    let lf = memchr::memmem::find(data, b"\n\n").map(|i| (i, 2));
    let crlf = memchr::memmem::find(data, b"\r\n\r\n").map(|i| (i, 4));
    let cut = match (lf, crlf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    };
    match cut {
        Some((i, n)) => (&data[..i], &data[i + n..]),
        None => (data, &[]),
    }
}

fn strip_cr(l: &[u8]) -> &[u8] {
    l.strip_suffix(b"\r").unwrap_or(l)
}

/// `method SP uri SP version`; missing method or URI get `GET` and `/`.
fn request_line(l: &[u8]) -> (&[u8], &[u8], &[u8]) {
    let Some(sp) = memchr::memchr(b' ', l) else {
        return (if l.is_empty() { b"GET" } else { l }, b"/", b"HTTP/1.1");
    };
    let method = &l[..sp];
    let rest = &l[sp + 1..];
    match memchr::memrchr(b' ', rest) {
        Some(i) => (method, &rest[..i], &rest[i + 1..]),
        None => (method, rest, b"HTTP/1.1"),
    }
}

/// `name: value` (spaces and tabs after the colon dropped).
fn header(l: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memchr(b':', l) {
        Some(i) => {
            let v = &l[i + 1..];
            let skip = v.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
            (&l[..i], &v[skip..])
        }
        None => (l, &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let ex = Exchange {
            method: b"POST",
            uri: b"/a b?x=1",
            version: b"HTTP/1.1",
            headers: vec![(b"Host", b"h"), (b"Content-Type", b"application/json")],
            body: b"{\"a\":1}\n\nmore",
            status: 404,
            resp_protocol: b"HTTP/1.1",
            resp_headers: vec![(b"Content-Type", b"text/html")],
            resp_body: b"<b>x</b>",
        };
        assert_eq!(decode(&encode(&ex)), ex);
    }

    #[test]
    fn garbage_decodes() {
        for d in [&b""[..], b"\n", b" ", b"GET", b"\r\n\r\n", b"@@RESPONSE@@", b"\n@@RESPONSE@@\n", b"a:b\n\n"] {
            let _ = decode(d);
        }
    }
}
