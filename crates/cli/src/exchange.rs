//! One request/response exchange through a [`Transaction`], in-process:
//! connection, request line, headers, phase 1, body, phase 2, a simulated
//! backend answer (albedo, see [`portcullis_testkit::backend`]), phases 3
//! and 4, then phase 5.
//!
//! Like ModSecurity behind nginx, an interruption in phase 1 or 2 means the
//! backend is never asked and phases 3 and 4 do not run (the connector skips
//! its response filters once an intervention fired); phase 5 always runs.

use portcullis_engine::{Decision, Interruption, RuleMatch, Transaction, Verdict};
use portcullis_testkit::backend::{self, BackendResponse};
use portcullis_testkit::HttpRequest;

/// The client address given to the engine (REMOTE_ADDR).
///
/// CRS's regression environment runs the WAF in docker compose and go-ftw on
/// the host, connecting to the published port; the container then sees the
/// connection coming from the compose network's gateway, 172.18.0.1 for the
/// first user-defined network. Never a loopback address: CRS 905100 and
/// 905110 remove all CRS rules for some requests from 127.0.0.1 / ::1.
pub const CLIENT_ADDR: &str = "172.18.0.1";
/// The client port given to the engine.
pub const CLIENT_PORT: u16 = 41234;
/// The WAF's own address in that environment (the container's).
pub const SERVER_ADDR: &str = "172.18.0.2";
/// The port the WAF listens on inside the container (`PORT: 8080` in CRS's compose file).
pub const SERVER_PORT: u16 = 8080;

/// What happened to one request.
#[derive(Clone, Debug)]
pub struct Exchange {
    /// The interruption, if a rule or a limit stopped the transaction.
    pub interruption: Option<Interruption>,
    /// The backend's response, when the request reached it.
    pub response: Option<BackendResponse>,
    /// The status the client saw: the interruption's, else the backend's.
    pub status: u16,
    /// The engine's verdict.
    pub verdict: Verdict,
}

impl Exchange {
    /// The raw response the client saw (for `response_contains`).
    pub fn response_bytes(&self) -> Vec<u8> {
        match (&self.interruption, &self.response) {
            (Some(i), _) => format!("HTTP/1.1 {} \r\n\r\n", i.status).into_bytes(),
            (None, Some(r)) => r.to_bytes(),
            (None, None) => Vec::new(),
        }
    }
}

/// Run `req` through `tx` (which must be fresh or reset), with UNIQUE_ID
/// `unique_id`, driving the engine's exchange contract as the filter does:
/// the whole body arrives as one chunk.
pub fn run(tx: &mut Transaction, req: &HttpRequest, unique_id: &str) -> Exchange {
    tx.set_unique_id(unique_id);
    tx.process_connection(CLIENT_ADDR, CLIENT_PORT, SERVER_ADDR, SERVER_PORT);
    tx.process_uri(&req.uri, &req.method, &req.version);
    // A front end that dechunks (Apache in CRS's environment, Envoy for the
    // filter) drops Content-Length when Transfer-Encoding came too (RFC 9112 6.3).
    let chunked = req.is_chunked();
    for (name, value) in &req.headers {
        if chunked && name.eq_ignore_ascii_case(b"content-length") {
            continue;
        }
        tx.add_request_header(name, value);
    }
    let body = req.message_body();
    let mut step = tx.on_request_headers(!body.is_empty());
    if step == Decision::NeedBody {
        step = tx.on_request_body(&body, true);
    }
    if matches!(step, Decision::Interrupt(_)) {
        return finish(tx, None);
    }
    let resp = backend::albedo(req, &body);
    for (name, value) in &resp.headers {
        tx.add_response_header(name.as_bytes(), value.as_bytes());
    }
    // An interruption in phase 3 or 4 ends the response side; the status
    // the client sees is taken in `finish`.
    if tx.on_response_headers(resp.status, b"HTTP/1.1", !resp.body.is_empty()) == Decision::NeedBody {
        let _phase4 = tx.on_response_body(&resp.body, true);
    }
    finish(tx, Some(resp))
}

fn finish(tx: &mut Transaction, response: Option<BackendResponse>) -> Exchange {
    let verdict = tx.on_end();
    let interruption = verdict.interruption.clone();
    let status = match (&interruption, &response) {
        (Some(i), _) => i.status,
        (None, Some(r)) => r.status,
        (None, None) => 200,
    };
    Exchange { interruption, response, status, verdict }
}

/// The log lines of `tx`'s matches that log (`log`, not `nolog`), in order.
pub fn log_lines(tx: &Transaction) -> Vec<String> {
    tx.matches().iter().filter(|m| m.log).map(RuleMatch::log_line).collect()
}
