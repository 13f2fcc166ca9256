//! Running ftw stages through a live Envoy with the filter, over HTTP.
//!
//! Each stage's request goes on the wire exactly as go-ftw writes it
//! ([`portcullis_testkit::ftw::wire_bytes`], the same bytes the in-process
//! run parses), on a fresh connection to `--target`. The status and the raw
//! response are what Envoy answered. The log lines are the filter's
//! `ModSecurity:` lines in Envoy's log between two log markers
//! ([`super::waflog`]). The backend behind Envoy is [`super::albedo`], when
//! `--backend` asks this process to serve it.
//!
//! Envoy must run with one worker (`--concurrency 1`) and the plugin
//! configuration of `--write-plugin-config` (CRS test setup plus the marker
//! rule); `scripts/ftw-envoy.sh` starts it so.

use std::fmt;
use std::io::{self, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs as _};
use std::thread;
use std::time::{Duration, Instant};

use portcullis_testkit::ftw::StageOutcome;
use portcullis_testkit::http::{chunked_len, head_len, parse_response_head, BodyFraming, ResponseHead};

use super::albedo::Albedo;
use super::waflog::{WafLog, MARKER_HEADER, MARKER_PREFIX};

/// How long to wait for a connection (go-ftw's default).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// How long to wait for response bytes (go-ftw's default read timeout).
pub const READ_TIMEOUT: Duration = Duration::from_secs(1);

/// How long to wait for a marker line to reach the log, per marker request.
const MARKER_WAIT: Duration = Duration::from_secs(2);

/// Pause after a request that got no response, before the marker.
const SETTLE: Duration = Duration::from_millis(50);

/// Marker requests sent for one marker before giving up (go-ftw resends too).
const MARKER_ATTEMPTS: u32 = 3;

/// Why a request got no response.
#[derive(Debug)]
pub enum ClientError {
    /// The connection could not be made.
    Connect(io::Error),
    /// The peer closed, reset or timed out before a complete response head.
    NoResponse {
        /// What the socket said last (`timed out`, `connection reset`, or end of stream).
        cause: String,
        /// Bytes received before that.
        received: usize,
    },
    /// The response head does not parse.
    BadResponse(String),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Connect(e) => write!(f, "cannot connect: {e}"),
            ClientError::NoResponse { cause, received } => write!(f, "no response ({cause}, {received} bytes received)"),
            ClientError::BadResponse(head) => write!(f, "unparsable response head {head:?}"),
        }
    }
}

impl std::error::Error for ClientError {}

/// A response as received.
#[derive(Clone, Debug)]
pub struct RawResponse {
    /// Its status line and headers.
    pub head: ResponseHead,
    /// Every byte received (head and body), for `response_contains`.
    pub bytes: Vec<u8>,
}

/// Send `wire` on a new connection to `addr` and read one response to a
/// `method` request: the head, then the body as its framing says, until it
/// is complete, the peer closes or [`READ_TIMEOUT`] passes without data.
/// A failed write is not an error by itself: the peer may have answered
/// (a 400 for a malformed head) before the whole request was sent.
pub fn send(addr: SocketAddr, wire: &[u8], method: &[u8]) -> Result<RawResponse, ClientError> {
    let mut conn = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT).map_err(ClientError::Connect)?;
    conn.set_read_timeout(Some(READ_TIMEOUT)).map_err(ClientError::Connect)?;
    conn.set_write_timeout(Some(READ_TIMEOUT)).map_err(ClientError::Connect)?;
    // Best effort: only latency depends on it.
    let _nodelay = conn.set_nodelay(true);
    let _written = conn.write_all(wire);

    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(n) = head_len(&buf) {
            break n;
        }
        if let Err(cause) = fill(&mut conn, &mut buf) {
            return Err(ClientError::NoResponse { cause, received: buf.len() });
        }
    };
    let head_bytes = buf.get(..head_end).unwrap_or_default();
    let head = parse_response_head(head_bytes)
        .ok_or_else(|| ClientError::BadResponse(String::from_utf8_lossy(head_bytes).into_owned()))?;
    let framing = head.framing(method);
    loop {
        let body = buf.get(head_end..).unwrap_or_default();
        let complete = match framing {
            BodyFraming::Empty => true,
            BodyFraming::Length(n) => body.len() >= n,
            BodyFraming::Chunked => chunked_len(body).is_some(),
            BodyFraming::UntilClose => false,
        };
        // A body cut short still leaves a usable response, as go-ftw reads only the head.
        if complete || fill(&mut conn, &mut buf).is_err() {
            break;
        }
    }
    Ok(RawResponse { head, bytes: buf })
}

/// Read more bytes into `buf`; `Err` with the cause at end of stream, on a
/// timeout or an error.
fn fill(conn: &mut TcpStream, buf: &mut Vec<u8>) -> Result<(), String> {
    let mut chunk = [0u8; 16 * 1024];
    match conn.read(&mut chunk) {
        Ok(0) => Err("connection closed".into()),
        Ok(n) => {
            buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
            Ok(())
        }
        Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => Err("timed out".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// The host and port of an `http://HOST:PORT[/]` URL.
pub fn parse_target(url: &str) -> Result<SocketAddr, String> {
    let rest = url.strip_prefix("http://").ok_or_else(|| format!("{url}: only http:// targets are supported"))?;
    let authority = rest.trim_end_matches('/');
    if authority.contains('/') {
        return Err(format!("{url}: give only http://HOST:PORT"));
    }
    authority
        .to_socket_addrs()
        .map_err(|e| format!("{url}: {e}"))?
        .next()
        .ok_or_else(|| format!("{url}: no address"))
}

/// A marker that never showed up in the log.
#[derive(Debug)]
pub enum MarkerError {
    /// The marker request itself failed.
    Request(ClientError),
    /// The log could not be read.
    Log(io::Error),
    /// Every attempt timed out.
    Missing {
        /// The marker token.
        token: String,
        /// How long was waited in all.
        waited: Duration,
    },
}

impl fmt::Display for MarkerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MarkerError::Request(e) => write!(f, "marker request failed: {e}"),
            MarkerError::Log(e) => write!(f, "cannot read the log: {e}"),
            MarkerError::Missing { token, waited } => write!(
                f,
                "marker {token} not in the log after {:.1}s: is this Envoy's --log-path, with the filter \
                 configured by `portcullis ftw --write-plugin-config`?",
                waited.as_secs_f64()
            ),
        }
    }
}

/// One stage's result through Envoy.
#[derive(Debug)]
pub struct EnvoyStage {
    /// Status, raw response or error, and the stage's filter lines.
    pub outcome: StageOutcome,
    /// Request heads the backend received for this stage (what Envoy forwarded).
    pub upstream: Vec<String>,
}

/// A session against one Envoy: its address, its log, the backend.
#[derive(Debug)]
pub struct EnvoyRun {
    target: SocketAddr,
    log: WafLog,
    backend: Option<Albedo>,
    markers: u64,
}

impl EnvoyRun {
    /// Connect the pieces and send a first marker, which proves the log is
    /// the right one and the filter runs with the marker rule.
    pub fn start(target: SocketAddr, log: WafLog, backend: Option<Albedo>) -> Result<EnvoyRun, MarkerError> {
        let mut run = EnvoyRun { target, log, backend, markers: 0 };
        run.mark()?;
        if let Some(b) = &run.backend {
            b.take();
        }
        Ok(run)
    }

    /// Send one stage's bytes, then a marker; collect the stage's lines.
    pub fn stage(&mut self, wire: &[u8], method: &[u8]) -> Result<EnvoyStage, MarkerError> {
        let sent = send(self.target, wire, method);
        if sent.is_err() {
            // Envoy ends the abandoned stream (and logs its lines) when it sees the
            // close; let that happen before the marker's connection arrives.
            thread::sleep(SETTLE);
        }
        let log_lines = self.mark()?;
        let upstream = match &self.backend {
            Some(b) => b
                .take()
                .into_iter()
                .filter(|r| !r.marker)
                .map(|r| if r.body_len > 0 { format!("{}\r\n[{} body bytes]", r.head, r.body_len) } else { r.head })
                .collect(),
            None => Vec::new(),
        };
        let outcome = match sent {
            Ok(r) => StageOutcome { status: Some(r.head.status), error: None, response: r.bytes, log_lines },
            Err(e) => StageOutcome { status: None, error: Some(e.to_string()), response: Vec::new(), log_lines },
        };
        Ok(EnvoyStage { outcome, upstream })
    }

    /// Send a marker and wait for its line: the filter lines logged since the previous marker.
    fn mark(&mut self) -> Result<Vec<String>, MarkerError> {
        self.markers += 1;
        let token = format!("{MARKER_PREFIX}{}-{}", std::process::id(), self.markers);
        let wire = format!(
            "GET /status/200 HTTP/1.1\r\nAccept: */*\r\nUser-Agent: go-ftw test agent\r\nHost: localhost\r\n\
             {MARKER_HEADER}: {token}\r\nx-request-id: {token}\r\nConnection: close\r\n\r\n"
        );
        let started = Instant::now();
        for _ in 0..MARKER_ATTEMPTS {
            send(self.target, wire.as_bytes(), b"GET").map_err(MarkerError::Request)?;
            let deadline = Instant::now() + MARKER_WAIT;
            let mut nap = Duration::from_micros(200);
            while Instant::now() < deadline {
                if let Some(lines) = self.log.poll(&token).map_err(MarkerError::Log)? {
                    return Ok(lines);
                }
                thread::sleep(nap);
                nap = (nap * 2).min(Duration::from_millis(20));
            }
        }
        Err(MarkerError::Missing { token, waited: started.elapsed() })
    }

    /// Envoy's log file.
    pub fn log_path(&self) -> &std::path::Path {
        self.log.path()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// A one-shot server: reads a little, writes `reply`, closes.
    fn server(reply: &'static [u8]) -> SocketAddr {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        thread::spawn(move || {
            let (mut c, _) = l.accept().unwrap();
            let mut b = [0u8; 1024];
            let _ = c.read(&mut b);
            c.write_all(reply).unwrap();
        });
        addr
    }

    #[test]
    fn reads_one_framed_response() {
        let addr = server(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 11\r\nconnection: close\r\n\r\nBad Request");
        let r = send(addr, b"GET / HTTP/1.1\r\n\r\n", b"GET").unwrap();
        assert_eq!(r.head.status, 400);
        assert!(r.bytes.ends_with(b"\r\n\r\nBad Request"));
        let addr = server(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n");
        let r = send(addr, b"GET / HTTP/1.1\r\n\r\n", b"GET").unwrap();
        assert!(r.bytes.ends_with(b"2\r\nhi\r\n0\r\n\r\n"));
    }

    #[test]
    fn no_response_is_an_error() {
        let addr = server(b"");
        let e = send(addr, b"GET / HTTP/1.1\r\n\r\n", b"GET").unwrap_err();
        assert!(matches!(e, ClientError::NoResponse { received: 0, .. }), "{e}");
        let addr = server(b"nonsense\r\n\r\n");
        assert!(matches!(send(addr, b"x", b"GET"), Err(ClientError::BadResponse(_))));
    }

    #[test]
    fn targets() {
        assert_eq!(parse_target("http://127.0.0.1:10000/").unwrap(), "127.0.0.1:10000".parse().unwrap());
        assert!(parse_target("https://127.0.0.1:1").is_err());
        assert!(parse_target("http://127.0.0.1:1/x").is_err());
    }
}
