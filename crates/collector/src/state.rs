//! [`AppState`]: what every handler of the collector shares.

use std::sync::Arc;
use std::time::Duration;

use crate::config::{CollectorConfig, Database, Limits};
use crate::error::CollectorError;
use crate::store::{now_ms, Retention, Store, StoreError};

/// Verdicts deleted per pruning transaction: small enough that an ingest batch queued behind
/// it waits only milliseconds.
pub const PRUNE_CHUNK: usize = 5_000;

/// What every handler shares: the open database, the admin token and the limits. Cheap to clone.
///
/// The database closes (the writer drains its queue and is joined) when the last clone is
/// dropped; that join blocks, so drop the last clone outside the async executor when it matters
/// ([`crate::Server::run_until`] does).
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) admin_token: Option<String>,
    pub(crate) insecure_no_auth: bool,
    pub(crate) limits: Limits,
    pub(crate) request_timeout: Duration,
    pub(crate) retain_days: u32,
    pub(crate) retain_rows: u64,
}

impl AppState {
    /// Opens (creating and migrating if needed) the SQLite database `config.db_path` and keeps
    /// the admin token, limits and timeout of `config`. Blocking: from async code, call it
    /// inside `tokio::task::spawn_blocking`, or use [`AppState::connect`], which also serves
    /// PostgreSQL.
    ///
    /// # Errors
    /// [`CollectorError::Store`] when the file cannot be opened, is not a database, or has a
    /// newer schema version; [`CollectorError::Postgres`] when `config.db_url` is set (a
    /// PostgreSQL store is opened by [`AppState::connect`] only).
    pub fn open(config: &CollectorConfig) -> Result<AppState, CollectorError> {
        if let Some(url) = &config.db_url {
            return Err(CollectorError::Postgres {
                url: crate::config::redact_url(url),
                source: StoreError::Unsupported(
                    "a PostgreSQL store is opened with AppState::connect",
                ),
            });
        }
        let store = Store::open_sqlite(&config.db_path).map_err(|source| CollectorError::Store {
            path: config.db_path.clone(),
            source,
        })?;
        Ok(AppState::with_store(store, config))
    }

    /// Opens the store `config` selects ([`CollectorConfig::database`]): the SQLite file (on a
    /// blocking thread) or the PostgreSQL database (connecting and migrating its schema).
    ///
    /// # Errors
    /// [`CollectorError::Store`] for a SQLite file that cannot be opened;
    /// [`CollectorError::Postgres`] for a bad URL, an unreachable server, a failed migration
    /// or a newer schema version; [`CollectorError::Task`] if the blocking task died.
    pub async fn connect(config: &CollectorConfig) -> Result<AppState, CollectorError> {
        match config.database() {
            Database::Sqlite(_) => {
                let config = config.clone();
                tokio::task::spawn_blocking(move || AppState::open(&config))
                    .await
                    .map_err(|e| CollectorError::Task(format!("opening the database: {e}")))?
            }
            Database::Postgres(url) => {
                let store = Store::open_postgres(&url).await.map_err(|source| {
                    CollectorError::Postgres {
                        url: crate::config::redact_url(&url),
                        source,
                    }
                })?;
                Ok(AppState::with_store(store, config))
            }
        }
    }

    fn with_store(store: Store, config: &CollectorConfig) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                store,
                admin_token: config.admin_token.clone().filter(|t| !t.is_empty()),
                insecure_no_auth: config.insecure_no_auth,
                limits: config.limits,
                request_timeout: config.request_timeout,
                retain_days: config.retain_days,
                retain_rows: config.retain_rows,
            }),
        }
    }
}

impl AppState {
    /// Every traffic counter key's counts (`POST /v1/counters`) in minutes starting at or after
    /// `since_ms`, summed over minutes and nodes, ordered by (host, application_id, mode).
    ///
    /// # Errors
    /// [`StoreError`] when the read fails.
    pub async fn counter_totals(&self, since_ms: i64) -> Result<Vec<crate::store::counters::CounterTotals>, StoreError> {
        self.inner.store.counter_totals(since_ms).await
    }

    /// Prunes what the retention settings no longer keep (verdicts, counter rows and counter
    /// record ids older than `retain_days`, then the oldest verdicts beyond `retain_rows`), in chunks of [`PRUNE_CHUNK`] rows, each its own
    /// short transaction on the writer thread so ingest batches run in between. Returns how
    /// many rows were deleted. The server calls it every `prune_interval`.
    ///
    /// # Errors
    /// [`StoreError`] when a delete fails (what was deleted before stays deleted).
    pub async fn prune_once(&self) -> Result<u64, StoreError> {
        let retention = Retention {
            min_time_ms: (self.inner.retain_days > 0)
                .then(|| now_ms() - i64::from(self.inner.retain_days) * 86_400_000),
            max_rows: (self.inner.retain_rows > 0).then_some(self.inner.retain_rows),
        };
        let mut total = 0u64;
        loop {
            let deleted = self.inner.store.prune_chunk(retention, PRUNE_CHUNK).await?;
            total += deleted as u64;
            // Age first, then rows: only an empty step means both are done.
            if deleted == 0 {
                return Ok(total);
            }
            // Let queued ingest batches through before the next chunk.
            tokio::task::yield_now().await;
        }
    }
}
