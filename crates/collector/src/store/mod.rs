//! Storage behind one interface: [`Store`] is what the handlers call; each backend implements
//! the same operations with the same semantics.
//!
//! - `sqlite`: embedded, the default: one writer thread, one read connection. Its console
//!   reads are in `console` and its rollups (schema version 5) in `rollup`.
//! - `postgres`: a PostgreSQL server shared by several collector replicas; a small pool of
//!   connections, each batch one transaction.
//!
//! Shared invariants of every backend:
//! - A verdict batch is stored whole (all its valid records) or not at all.
//! - Idempotent ingest: a record whose `record_id` is already stored is reported as a duplicate.
//! - The logical schema version is [`SCHEMA_VERSION`]; a store written by a newer collector is
//!   refused rather than misread; an older one is migrated at start-up, in one transaction.

pub(crate) mod console;
pub(crate) mod counters;
pub(crate) mod ip_lists;
pub(crate) mod postgres;
pub(crate) mod rollup;
pub(crate) mod sqlite;

use std::fmt;
use std::path::Path;

use crate::record::{Action, Verdict};
use crate::stats::model::{Filters, NodeStatus, Summary, Timeline};
use crate::stats::window::Window;
use crate::store::counters::{CounterIngest, CounterResult};
pub(crate) use crate::time::now_ms;

/// The logical schema version: both backends migrate to it at start-up.
pub const SCHEMA_VERSION: i64 = 5;

/// A storage failure.
#[derive(Debug)]
pub enum StoreError {
    /// SQLite reported an error.
    Sqlite(rusqlite::Error),
    /// The database was written by a newer collector.
    SchemaTooNew {
        /// `PRAGMA user_version` of the file.
        found: i64,
        /// [`SCHEMA_VERSION`].
        supported: i64,
    },
    /// `PRAGMA user_version` is negative: not a database this collector ever wrote.
    UnknownSchema {
        /// `PRAGMA user_version` of the file.
        found: i64,
    },
    /// The writer thread could not be started.
    Thread(std::io::Error),
    /// The writer thread has stopped (it only stops when the store is dropped or it crashed).
    WriterGone,
    /// A reader panicked while holding the read connection.
    ReaderPoisoned,
    /// PostgreSQL reported an error (connecting, or a statement).
    Postgres(tokio_postgres::Error),
    /// No PostgreSQL connection could be had from the pool (server unreachable, or every
    /// connection busy past the wait timeout).
    Pool(String),
    /// The PostgreSQL URL cannot be parsed; the message never contains the password.
    BadUrl(String),
    /// This way of opening the store does not support the selected backend.
    Unsupported(&'static str),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Sqlite(e) => write!(f, "sqlite: {e}"),
            StoreError::SchemaTooNew { found, supported } => write!(
                f,
                "schema version {found} is newer than this collector supports ({supported})"
            ),
            StoreError::UnknownSchema { found } => {
                write!(
                    f,
                    "schema version {found} was not written by a portcullis collector"
                )
            }
            StoreError::Thread(e) => write!(f, "cannot start the database writer: {e}"),
            StoreError::WriterGone => f.write_str("the database writer has stopped"),
            StoreError::ReaderPoisoned => f.write_str("the read connection is poisoned"),
            StoreError::Postgres(e) => postgres::describe_error(e, f),
            StoreError::Pool(e) => write!(f, "postgres: no connection: {e}"),
            StoreError::BadUrl(e) => write!(f, "not a valid PostgreSQL URL: {e}"),
            StoreError::Unsupported(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Sqlite(e) => Some(e),
            StoreError::Thread(e) => Some(e),
            StoreError::Postgres(e) => Some(e),
            _ => None,
        }
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        StoreError::Postgres(e)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
    }
}

/// Filters, cursor and limit of `GET /api/verdicts`, already validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct VerdictQuery {
    pub limit: usize,
    pub action: Option<Action>,
    pub application_id: Option<String>,
    /// The request's host (the record's `host`).
    pub host: Option<String>,
    /// Only records with `time >= since_ms` (`since` or `from`).
    pub since_ms: Option<i64>,
    /// Only records with `time < until_ms` (`to`).
    pub until_ms: Option<i64>,
    pub source_ip: Option<String>,
    /// Node name.
    pub node: Option<String>,
    /// Node group.
    pub group: Option<String>,
    /// Only verdicts that matched this rule.
    pub rule_id: Option<i64>,
    /// Only verdicts after this `(time_ms, id)` in newest-first order: the `before` cursor.
    pub before: Option<(i64, i64)>,
}

/// One page of `GET /api/verdicts`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct VerdictPage {
    /// The records as stored, newest first.
    pub records: Vec<String>,
    /// The name of the node that sent each record (`None`: unauthenticated ingest), same order.
    pub nodes: Vec<Option<String>>,
    /// `(time_ms, id)` of the last record when more match: the next page's `before`.
    pub next: Option<(i64, i64)>,
}

/// What to keep: verdicts newer than `min_time_ms` (record `time`), and at most `max_rows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Retention {
    /// Verdicts with `time` before this (UTC ms) are deleted; `None`: no age limit.
    pub min_time_ms: Option<i64>,
    /// Beyond this many verdicts the oldest (by arrival) are deleted; `None`: no row limit.
    pub max_rows: Option<u64>,
}

/// What ingest needs to know about the node a token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NodeAuth {
    /// `nodes.id`, stored with every verdict the node sends.
    pub id: i64,
    /// A revoked node's token is refused (401).
    pub revoked: bool,
}

/// One registered node as `node list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeInfo {
    /// Unique name, e.g. `envoy-eu-1`.
    pub name: String,
    /// Environment or cluster the node belongs to, e.g. `prod-eu`.
    pub group: Option<String>,
    /// Registration time, ms since the epoch.
    pub created_ms: i64,
    /// When it last sent a batch (accepted by the collector), ms since the epoch.
    pub last_seen_ms: Option<i64>,
    /// When it was revoked; its token is refused from then on.
    pub revoked_ms: Option<i64>,
}

/// The open store, whichever backend holds it.
pub(crate) enum Store {
    /// SQLite, embedded.
    Sqlite(sqlite::SqliteStore),
    /// PostgreSQL, shared by several collectors.
    Postgres(postgres::PgStore),
}

impl Store {
    /// Opens (creating and migrating if needed) the SQLite database at `path`.
    /// Blocking: call it from a blocking context.
    pub(crate) fn open_sqlite(path: &Path) -> Result<Store, StoreError> {
        sqlite::SqliteStore::open(path).map(Store::Sqlite)
    }

    /// Connects to the PostgreSQL database at `url` and migrates its schema (under an
    /// advisory lock, so collectors starting together do not race).
    pub(crate) async fn open_postgres(url: &str) -> Result<Store, StoreError> {
        postgres::PgStore::open(url).await.map(Store::Postgres)
    }

    /// Stores `verdicts` sent by `node` as one batch; for each, whether it was stored (`false`:
    /// a duplicate). On error nothing of the batch is stored.
    pub(crate) async fn insert(
        &self,
        node: Option<i64>,
        verdicts: Vec<Verdict>,
    ) -> Result<Vec<bool>, StoreError> {
        match self {
            Store::Sqlite(s) => s.insert(node, verdicts).await,
            Store::Postgres(s) => s.insert(node, verdicts).await,
        }
    }

    /// One page of the records matching `query`, newest first, as stored text.
    pub(crate) async fn query(&self, query: VerdictQuery) -> Result<VerdictPage, StoreError> {
        match self {
            Store::Sqlite(s) => s.read(move |c| console::verdict_page(c, &query)).await,
            Store::Postgres(s) => s.verdict_page(query).await,
        }
    }

    /// Totals, counts by action, top lists and applications of `window`.
    pub(crate) async fn summary(
        &self,
        window: Window,
        filters: Filters,
    ) -> Result<Summary, StoreError> {
        match self {
            Store::Sqlite(s) => s.read(move |c| console::summary(c, window, &filters)).await,
            Store::Postgres(s) => s.summary(window, filters).await,
        }
    }

    /// Buckets of `step` ms covering `window`.
    pub(crate) async fn timeline(
        &self,
        window: Window,
        step: i64,
        filters: Filters,
    ) -> Result<Timeline, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.read(move |c| console::timeline(c, window, step, &filters))
                    .await
            }
            Store::Postgres(s) => s.timeline(window, step, filters).await,
        }
    }

    /// Every registered node with its state as of `now_ms`.
    pub(crate) async fn nodes(&self, now_ms: i64) -> Result<Vec<NodeStatus>, StoreError> {
        match self {
            Store::Sqlite(s) => s.read(move |c| console::nodes(c, now_ms)).await,
            Store::Postgres(s) => s.nodes(now_ms).await,
        }
    }

    /// Deletes at most `chunk` verdicts beyond `retention`; returns how many.
    pub(crate) async fn prune_chunk(
        &self,
        retention: Retention,
        chunk: usize,
    ) -> Result<usize, StoreError> {
        match self {
            Store::Sqlite(s) => s.prune_chunk(retention, chunk).await,
            Store::Postgres(s) => s.prune_chunk(retention, chunk).await,
        }
    }

    /// Adds one counter record sent by `node` (`None`: unauthenticated, stored as node 0), its
    /// worker's facts and the node's last-seen time, in one transaction. A `record_id` already
    /// added is a duplicate: nothing is added again.
    pub(crate) async fn add_counters(
        &self,
        node: Option<i64>,
        ingest: CounterIngest,
    ) -> Result<CounterResult, StoreError> {
        let node = node.unwrap_or(counters::UNAUTHENTICATED_NODE);
        match self {
            Store::Sqlite(s) => s.add_counters(node, ingest).await,
            Store::Postgres(s) => s.add_counters(node, ingest).await,
        }
    }

    /// Every counter key's counts since `since_ms` (minute start), summed over minutes and nodes.
    pub(crate) async fn counter_totals(
        &self,
        since_ms: i64,
    ) -> Result<Vec<counters::CounterTotals>, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.read(move |conn| counters::totals(conn, since_ms).map_err(StoreError::from))
                    .await
            }
            Store::Postgres(s) => s.counter_totals(since_ms).await,
        }
    }

    /// The node whose token hashes to `token_hash`, revoked or not.
    pub(crate) async fn node_by_token_hash(
        &self,
        token_hash: String,
    ) -> Result<Option<NodeAuth>, StoreError> {
        match self {
            Store::Sqlite(s) => s.node_by_token_hash(token_hash).await,
            Store::Postgres(s) => s.node_by_token_hash(token_hash).await,
        }
    }
}
