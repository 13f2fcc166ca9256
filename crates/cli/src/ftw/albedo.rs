//! The CRS test backend over real HTTP, for runs through Envoy: a small
//! HTTP/1.1 server answering as albedo does
//! ([`portcullis_testkit::backend::albedo`], the same model the in-process
//! run uses), so response-phase rules see the same responses either way.
//!
//! One thread accepts; each connection gets a thread that serves requests
//! until the peer closes, sends `Connection: close`, or stays idle for
//! [`IDLE`] (Envoy keeps upstream connections alive). Every request head
//! received is recorded, so a failing stage can show what Envoy actually
//! forwarded (its normalisations: `Transfer-Encoding` consumed, `Host`
//! rebuilt from `:authority`, added `x-forwarded-proto`, ...).

use std::io::{self, Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use portcullis_testkit::backend;
use portcullis_testkit::http::{chunked_len, head_len, BodyFraming};
use portcullis_testkit::{parse_raw_request, HttpRequest};

/// How long a kept-alive connection may stay silent before it is closed.
pub const IDLE: Duration = Duration::from_secs(30);

/// Largest request (head and body) read; beyond it the connection is closed.
const MAX_REQUEST: usize = 32 << 20;

/// One request as the backend received it.
#[derive(Clone, Debug)]
pub struct Received {
    /// The request line and headers, as text (bytes outside UTF-8 replaced).
    pub head: String,
    /// Length of the message body read.
    pub body_len: usize,
    /// Whether it carried the log-marker header (`X-CRS-Test`).
    pub marker: bool,
}

/// A running albedo server. Requests are recorded until [`Albedo::take`]n.
#[derive(Debug)]
pub struct Albedo {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Albedo {
    /// Listen on `addr` and serve from background threads for the rest of the process.
    pub fn start(addr: &str) -> io::Result<Albedo> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        thread::Builder::new().name("albedo-accept".into()).spawn(move || {
            for conn in listener.incoming().flatten() {
                let log = Arc::clone(&log);
                // A connection whose thread cannot start is dropped (closed): Envoy answers 503.
                let _spawned = thread::Builder::new().name("albedo-conn".into()).spawn(move || serve(conn, &log));
            }
        })?;
        Ok(Albedo { addr, received })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The requests received since the last call, oldest first.
    pub fn take(&self) -> Vec<Received> {
        std::mem::take(&mut *self.received.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Serve requests on one connection until it closes, errs or idles.
fn serve(mut conn: TcpStream, log: &Mutex<Vec<Received>>) {
    if conn.set_read_timeout(Some(IDLE)).is_err() || conn.set_nodelay(true).is_err() {
        return;
    }
    let mut buf = Vec::new();
    loop {
        let Some((req, body, used)) = read_request(&mut conn, &mut buf) else { return };
        buf.drain(..used.min(buf.len()));
        let resp = backend::albedo(&req, &body);
        let close = req.header("Connection").is_some_and(|v| v.eq_ignore_ascii_case(b"close"));
        let mut bytes = resp.to_bytes();
        if close {
            // Go's server echoes the client's wish before its blank line.
            if let Some(end) = head_len(&bytes) {
                let at = end.saturating_sub(2);
                bytes.splice(at..at, b"Connection: close\r\n".iter().copied());
            }
        }
        if req.method.eq_ignore_ascii_case(b"HEAD") {
            bytes.truncate(head_len(&bytes).unwrap_or(bytes.len()));
        }
        log.lock().unwrap_or_else(PoisonError::into_inner).push(Received {
            head: String::from_utf8_lossy(request_head(&req).as_slice()).into_owned(),
            body_len: body.len(),
            marker: req.has_header("X-CRS-Test"),
        });
        if conn.write_all(&bytes).is_err() || close {
            return;
        }
    }
}

/// The request line and headers of `req` as bytes (no body).
fn request_head(req: &HttpRequest) -> Vec<u8> {
    let head_only = HttpRequest { body: Vec::new(), ..req.clone() };
    let mut bytes = head_only.to_bytes();
    bytes.truncate(bytes.len().saturating_sub(2));
    bytes
}

/// Read one request from `conn` (bytes already read are in `buf`): the
/// parsed head, the decoded message body, and how many bytes of `buf` it
/// used. `None` on close, error, timeout or an oversized request.
fn read_request(conn: &mut TcpStream, buf: &mut Vec<u8>) -> Option<(HttpRequest, Vec<u8>, usize)> {
    let head_end = loop {
        if let Some(n) = head_len(buf) {
            break n;
        }
        fill(conn, buf)?;
    };
    let req = parse_raw_request(buf.get(..head_end)?);
    let total = loop {
        let body = buf.get(head_end..).unwrap_or_default();
        let complete = match req.framing() {
            BodyFraming::Empty => Some(0),
            BodyFraming::Length(n) => (body.len() >= n).then_some(n),
            BodyFraming::Chunked => chunked_len(body),
            // Requests never run until close (RFC 9112 section 6.3).
            BodyFraming::UntilClose => Some(0),
        };
        if let Some(n) = complete {
            break head_end + n;
        }
        fill(conn, buf)?;
    };
    let mut full = req.clone();
    full.body = buf.get(head_end..total)?.to_vec();
    let body = full.message_body().into_owned();
    Some((req, body, total))
}

/// Append what the peer sends next to `buf`; `None` at end of stream, on an
/// error or when the request grows too large.
fn fill(conn: &mut TcpStream, buf: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 16 * 1024];
    let n = conn.read(&mut chunk).ok().filter(|&n| n > 0)?;
    buf.extend_from_slice(chunk.get(..n)?);
    (buf.len() <= MAX_REQUEST).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(addr: SocketAddr, request: &[u8]) -> String {
        let mut c = TcpStream::connect(addr).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        c.write_all(request).unwrap();
        let mut out = Vec::new();
        c.read_to_end(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn reflects_and_records() {
        let a = Albedo::start("127.0.0.1:0").unwrap();
        let spec = br#"{"status": 503, "headers": {"x-a": "b"}, "body": "oops"}"#;
        let mut req = format!("POST /reflect HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n", spec.len())
            .into_bytes();
        req.extend_from_slice(spec);
        let resp = roundtrip(a.addr(), &req);
        assert!(resp.starts_with("HTTP/1.1 503 "), "{resp}");
        assert!(resp.contains("X-A: b\r\n") && resp.contains("Connection: close\r\n") && resp.ends_with("\r\n\r\noops"), "{resp}");
        let seen = a.take();
        assert_eq!(seen.len(), 1);
        assert!(seen[0].head.starts_with("POST /reflect HTTP/1.1\r\nHost: x\r\n"), "{:?}", seen[0].head);
        assert_eq!((seen[0].body_len, seen[0].marker), (spec.len(), false));
        assert!(a.take().is_empty());
    }

    #[test]
    fn keeps_alive_and_decodes_chunks() {
        let a = Albedo::start("127.0.0.1:0").unwrap();
        let two = b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n\
GET /status/200 HTTP/1.1\r\nX-CRS-Test: m\r\nConnection: close\r\n\r\n";
        let resp = roundtrip(a.addr(), two);
        assert_eq!(resp.matches("HTTP/1.1 200 OK\r\n").count(), 2, "{resp}");
        let seen = a.take();
        assert_eq!((seen[0].body_len, seen[0].marker, seen[1].marker), (3, false, true));
    }
}
