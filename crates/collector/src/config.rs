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

/// Environment variable naming the database when `--db` is not given: a PostgreSQL URL
/// (`postgres://user@host:port/db`) or a SQLite file path.
pub const DB_URL_ENV: &str = "PORTCULLIS_DB_URL";

/// Which store the collector (or a node command) uses.
///
/// `--db` text starting with `postgres://` or `postgresql://` is a PostgreSQL URL; anything
/// else is a SQLite file path. [`Database`]'s `Display` never shows a password.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file, created when missing.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (the database must exist; the schema is created in it).
    Postgres(String),
}

impl Database {
    /// Reads a `--db` value (or [`DB_URL_ENV`]): a PostgreSQL URL or a SQLite path.
    pub fn from_arg(text: &str) -> Database {
        let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Database::Postgres(text.to_owned())
        } else {
            Database::Sqlite(PathBuf::from(text))
        }
    }
}

impl std::fmt::Display for Database {
    /// The path, or the URL with its password (if any) replaced by `***`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => f.write_str(&redact_url(url)),
        }
    }
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Database::Postgres(_) => f.debug_tuple("Postgres").field(&self.to_string()).finish(),
        }
    }
}

/// `url` with the password of its user-info (`user:secret@`) and of a `password=` query
/// parameter replaced by `***`, for logs and error messages.
pub(crate) fn redact_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _secret)) => format!("{user}:***@{host}"),
            None => format!("{user_info}@{host}"),
        },
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_owned(),
    };
    if scheme.is_empty() {
        format!("{authority}{tail}")
    } else {
        format!("{scheme}://{authority}{tail}")
    }
}

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

/// Everything `serve` and `AppState::open` need.
#[derive(Clone, PartialEq, Eq)]
pub struct CollectorConfig {
    /// Address to bind (`--listen`, default [`DEFAULT_LISTEN`]); port 0 picks a free port.
    pub listen: SocketAddr,
    /// SQLite database file (`--db`, default [`DEFAULT_DB`]); created when missing. Not used
    /// when `db_url` is set.
    pub db_path: PathBuf,
    /// PostgreSQL URL (`--db postgres://…` or [`DB_URL_ENV`]): when set, the store is that
    /// PostgreSQL database instead of the SQLite file, so several collectors can share it.
    pub db_url: Option<String>,
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
            db_url: None,
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

impl CollectorConfig {
    /// The store this configuration selects: `db_url` when set, else the `db_path` file.
    pub fn database(&self) -> Database {
        match &self.db_url {
            Some(url) => Database::Postgres(url.clone()),
            None => Database::Sqlite(self.db_path.clone()),
        }
    }
}

impl std::fmt::Debug for CollectorConfig {
    /// Like a derived `Debug`, but the admin token is redacted so it never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CollectorConfig")
            .field("listen", &self.listen)
            .field("db_path", &self.db_path)
            .field("db_url", &self.db_url.as_deref().map(redact_url))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_from_arg() {
        assert_eq!(
            Database::from_arg("postgres://u@h:5432/d"),
            Database::Postgres("postgres://u@h:5432/d".to_owned())
        );
        assert!(matches!(Database::from_arg("PostgreSQL://h/d"), Database::Postgres(_)));
        assert_eq!(
            Database::from_arg("v.db"),
            Database::Sqlite(PathBuf::from("v.db"))
        );
        assert!(matches!(Database::from_arg("postgres.db"), Database::Sqlite(_)));
    }

    #[test]
    fn passwords_never_shown() {
        assert_eq!(
            redact_url("postgres://u:s3cret@h:5432/d?sslmode=disable&password=x"),
            "postgres://u:***@h:5432/d?sslmode=disable&password=***"
        );
        assert_eq!(redact_url("postgres://u@h/d"), "postgres://u@h/d");
        assert_eq!(redact_url("postgres://h"), "postgres://h");
        let shown = Database::Postgres("postgres://u:pw@h/d".to_owned()).to_string();
        assert!(!shown.contains("pw"), "{shown}");
        let config = CollectorConfig {
            db_url: Some("postgres://u:pw@h/d".to_owned()),
            ..CollectorConfig::default()
        };
        assert!(!format!("{config:?}").contains("pw"));
    }
}
