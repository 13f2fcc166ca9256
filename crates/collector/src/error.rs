//! Errors: [`AppError`] for one HTTP request, [`CollectorError`] for starting and running the server.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::store::StoreError;

/// The request body, or the error a sender is told: 413 over `max_body` bytes, else 400.
pub(crate) fn read_body(body: Result<Bytes, BytesRejection>, max_body: usize) -> Result<Bytes, AppError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge(format!("body larger than {max_body} bytes"))
        } else {
            AppError::BadRequest("cannot read the request body".to_owned())
        }
    })
}

/// Everything a handler can fail with. The client gets the status and a short JSON message
/// `{"error": "..."}`; server-side details (SQLite errors, panics in blocking tasks) go to stderr
/// and never into the response.
#[derive(Debug)]
pub enum AppError {
    /// The request has no valid bearer token for what it asks: a registered, unrevoked node's
    /// token for ingest, the admin token for `/api` (401).
    Unauthorized,
    /// The body or the batch is over a limit (413); the message says which.
    PayloadTooLarge(String),
    /// The request is malformed as a whole (400): bad query parameter, unreadable body.
    BadRequest(String),
    /// No route for this path (404).
    NotFound,
    /// The request did not finish before the configured deadline (408).
    Timeout,
    /// The database failed; nothing of the batch was stored (500, or 503 if the writer is gone).
    Store(StoreError),
    /// A blocking task died (500).
    Internal(String),
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Unauthorized => f.write_str("missing or invalid bearer token"),
            AppError::PayloadTooLarge(msg) | AppError::BadRequest(msg) => f.write_str(msg),
            AppError::NotFound => f.write_str("not found"),
            AppError::Timeout => f.write_str("request timed out"),
            AppError::Store(e) => write!(f, "storage error: {e}"),
            AppError::Internal(msg) => write!(f, "internal error: {msg}"),
        }
    }
}

impl std::error::Error for AppError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AppError::Store(e) => Some(e),
            _ => None,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Store(e)
    }
}

impl AppError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Timeout => StatusCode::REQUEST_TIMEOUT,
            // The writer thread is gone, or no PostgreSQL connection could be had: the store
            // is unavailable (the sender retries), not broken by this request.
            AppError::Store(StoreError::WriterGone | StoreError::Pool(_)) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Store(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message the client sees: the full text for client errors, a generic one for 5xx.
    fn public_message(&self) -> String {
        match self {
            AppError::Store(StoreError::WriterGone | StoreError::Pool(_)) => {
                "storage unavailable".to_owned()
            }
            AppError::Store(_) => "storage error".to_owned(),
            AppError::Internal(_) => "internal error".to_owned(),
            other => other.to_string(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            crate::log::error("request failed", &[("status", status.as_u16().into()), ("error", self.to_string().into())]);
        }
        let body = serde_json::json!({ "error": self.public_message() });
        let mut response = (status, Json(body)).into_response();
        if matches!(self, AppError::Unauthorized) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// Why the collector could not start or stopped with an error.
#[derive(Debug)]
pub enum CollectorError {
    /// The listen address could not be bound.
    Bind {
        /// The address from the configuration.
        addr: SocketAddr,
        /// The OS error.
        source: io::Error,
    },
    /// The database could not be opened or migrated.
    Store {
        /// The database file.
        path: PathBuf,
        /// What failed.
        source: StoreError,
    },
    /// The PostgreSQL database could not be reached, opened or migrated.
    Postgres {
        /// The database URL, its password replaced by `***`.
        url: String,
        /// What failed.
        source: StoreError,
    },
    /// The HTTP server failed while running.
    Serve(io::Error),
    /// The tokio runtime could not be built.
    Runtime(io::Error),
    /// A blocking task (database open or close) panicked or was cancelled.
    Task(String),
}

impl fmt::Display for CollectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CollectorError::Bind { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            CollectorError::Store { path, source } => {
                write!(f, "database {}: {source}", path.display())
            }
            CollectorError::Postgres { url, source } => write!(f, "database {url}: {source}"),
            CollectorError::Serve(e) => write!(f, "server error: {e}"),
            CollectorError::Runtime(e) => write!(f, "cannot start the async runtime: {e}"),
            CollectorError::Task(msg) => write!(f, "background task failed: {msg}"),
        }
    }
}

impl std::error::Error for CollectorError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CollectorError::Bind { source, .. } => Some(source),
            CollectorError::Store { source, .. } | CollectorError::Postgres { source, .. } => {
                Some(source)
            }
            CollectorError::Serve(e) | CollectorError::Runtime(e) => Some(e),
            CollectorError::Task(_) => None,
        }
    }
}
