//! Portcullis collector: receives verdict batches from the filter over HTTP and stores them in
//! SQLite (embedded, the default) or PostgreSQL (shared by several collector replicas).
//!
//! The filter sends NDJSON batches of verdict records (format: `docs/verdict-log.md`) to
//! `POST /v1/verdicts`. Every line is validated on its own: good lines are stored (one SQLite
//! transaction per batch) even when other lines of the same batch are refused, a record whose
//! `record_id` is already stored is skipped (so a re-sent batch is stored once), and the
//! response answers each line: accepted, duplicate or refused with the reason. `GET /api/verdicts` reads them back, newest first;
//! the console (`/`, `/api/summary`, `/api/timeline`, `/api/nodes`) shows them with the nodes'
//! traffic counters.
//!
//! Access: every sender is a registered node (`portcullis collector node add`) whose token
//! authenticates its ingest and attributes its records; the `/api` reads need the admin token;
//! neither token works in the other's place. `--insecure-no-auth` (tests, demos) lifts both.
//! A background task prunes verdicts by age and by row count in small chunks; the collector's
//! own log is one JSON object per line on stderr.
//!
//! # Contents
//! - [`run_cli`]: the `portcullis collector` subcommand (flags, runtime, exit code).
//! - [`serve`] / [`Server`]: bind, open the database, serve until a signal, close cleanly.
//! - [`app`] and [`AppState`]: the axum router over the open database (tests use `oneshot`).
//! - [`CollectorConfig`], [`Limits`]: settings; [`AppError`], [`CollectorError`]: errors.
//! - Internals: `record` (validation of one line), `batch` (NDJSON splitting), `store` (the
//!   `Store` facade; `sqlite`: schema, single writer thread, queries, the console's rollups;
//!   `postgres`: the same over a connection pool), `time` (RFC 3339), `auth` (node
//!   tokens for ingest, the admin token or a console session for `/api`), `session` (signed
//!   session cookies), `console` (the dashboard's API and page, `docs/console.md`), `nodes`
//!   (registration, token hashes), `ip_lists` (the console's IP lists: admin API and what
//!   nodes fetch), `log` (JSON lines on stderr).
//!
//! # Invariants
//! - SQLite is used only from the writer thread and blocking tasks, never on executor threads;
//!   PostgreSQL only through the async client (no blocking driver inside the runtime).
//! - A batch is stored whole (all its valid lines) or not at all (storage error → 5xx).
//! - Records are returned exactly as received; the indexed columns are derived from them.
//! - Nothing here panics on client input (clippy denies unwrap/expect/panic outside tests).

#![warn(missing_docs)]
// Tests may unwrap: a failing unwrap is a failing test. Library code may not.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod auth;
mod batch;
mod cli;
mod config;
mod console;
mod counters;
mod error;
mod http;
mod ip_lists;
mod log;
mod nodes;
mod otlp;
mod record;
mod server;
mod session;
mod state;
mod stats;
mod store;
mod time;

pub use batch::{IngestReport, LineReport, LineResult};
pub use cli::run_cli;
pub use config::{
    CollectorConfig, Database, Limits, ADMIN_TOKEN_ENV, DB_URL_ENV, DEFAULT_DB, DEFAULT_LISTEN,
};
pub use error::{AppError, CollectorError};
pub use http::{app, DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT};
pub use nodes::{
    list_nodes_in, register_node, register_node_in, revoke_node_in, revoke_registered_node,
    NodeError, TOKEN_PREFIX,
};
pub use record::{Action, RecordError, MAX_RECORD_ID};
pub use server::{serve, shutdown_signal, Server};
pub use state::{AppState, PRUNE_CHUNK};
pub use store::counters::CounterTotals;
pub use store::counters::UNAUTHENTICATED_NODE;
pub use store::NodeInfo;
pub use store::{StoreError, SCHEMA_VERSION};
pub use time::parse_rfc3339_ms;
