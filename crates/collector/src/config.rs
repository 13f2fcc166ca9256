//! Collector settings: where to listen, where the database is, who may read, and the limits.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// Default listen address: loopback only, port 8686.
pub const DEFAULT_LISTEN: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8686);

/// Default database file, relative to the current directory.
pub const DEFAULT_DB: &str = "portcullis-verdicts.db";

/// Environment variable holding the admin token when `--admin-token` is not given.
pub const ADMIN_TOKEN_ENV: &str = "PORTCULLIS_ADMIN_TOKEN";

/// Size limits applied to `POST /v1/verdicts`.
///
/// A body over `max_body` or a batch with more than `max_records` non-blank lines is refused
/// whole with 413; a line over `max_line` is one rejected line (the others are still stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Maximum request body in bytes (default 8 MiB).
    pub max_body: usize,
    /// Maximum bytes in one NDJSON line, without its terminator (default 256 KiB).
    pub max_line: usize,
    /// Maximum records (non-blank lines, valid or not) in one batch (default 10,000).
    pub max_records: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body: 8 * 1024 * 1024,
            max_line: 256 * 1024,
            max_records: 10_000,
        }
    }
}

/// Everything [`crate::serve`] and [`crate::AppState::open`] need.
#[derive(Clone, PartialEq, Eq)]
pub struct CollectorConfig {
    /// Address to bind (`--listen`, default [`DEFAULT_LISTEN`]); port 0 picks a free port.
    pub listen: SocketAddr,
    /// SQLite database file (`--db`, default [`DEFAULT_DB`]); created when missing.
    pub db_path: PathBuf,
    /// Admin token (`--admin-token` or [`ADMIN_TOKEN_ENV`]): every `/api` read needs
    /// `authorization: Bearer <admin token>`. `Some("")` is treated as no token. Without one,
    /// `/api` is refused unless `insecure_no_auth`.
    pub admin_token: Option<String>,
    /// `--insecure-no-auth`: ingest without a node token is accepted (stored without a node)
    /// and, when no admin token is set, `/api` is open. For tests and demos only.
    pub insecure_no_auth: bool,
    /// Deadline for a whole request, body included (default 30 s); past it the client gets 408.
    /// Also the deadline for receiving a request's headers (past it the connection is closed).
    pub request_timeout: Duration,
    /// After a shutdown signal, how long requests in flight may take to finish before their
    /// connections are closed anyway (default 10 s).
    pub shutdown_grace: Duration,
    /// Batch size limits.
    pub limits: Limits,
    /// `--retain-days`: verdicts whose `time` is older are pruned (default 30; 0 keeps them
    /// whatever their age).
    pub retain_days: u32,
    /// `--retain-rows`: beyond this many verdicts the oldest are pruned (default 1,000,000;
    /// 0 means no row limit).
    pub retain_rows: u64,
    /// How often the background pruner runs (default 60 s; first run at start-up).
    pub prune_interval: Duration,
}

impl Default for CollectorConfig {
    fn default() -> Self {
        CollectorConfig {
            listen: DEFAULT_LISTEN,
            db_path: PathBuf::from(DEFAULT_DB),
            admin_token: None,
            insecure_no_auth: false,
            request_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(10),
            limits: Limits::default(),
            retain_days: 30,
            retain_rows: 1_000_000,
            prune_interval: Duration::from_secs(60),
        }
    }
}

impl std::fmt::Debug for CollectorConfig {
    /// Like a derived `Debug`, but the admin token is redacted so it never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CollectorConfig")
            .field("listen", &self.listen)
            .field("db_path", &self.db_path)
            .field("admin_token", &self.admin_token.as_ref().map(|_| "<redacted>"))
            .field("insecure_no_auth", &self.insecure_no_auth)
            .field("request_timeout", &self.request_timeout)
            .field("shutdown_grace", &self.shutdown_grace)
            .field("limits", &self.limits)
            .field("retain_days", &self.retain_days)
            .field("retain_rows", &self.retain_rows)
            .field("prune_interval", &self.prune_interval)
            .finish()
    }
}
