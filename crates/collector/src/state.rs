//! [`AppState`]: what every handler of the collector shares.

use std::sync::Arc;
use std::time::Duration;

use crate::config::{CollectorConfig, Limits};
use crate::error::CollectorError;
use crate::store::Store;

/// What every handler shares: the open database, the token and the limits. Cheap to clone.
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
    pub(crate) token: Option<String>,
    pub(crate) limits: Limits,
    pub(crate) request_timeout: Duration,
}

impl AppState {
    /// Opens (creating and migrating if needed) the database `config.db_path` and keeps the
    /// token, limits and timeout of `config`. Blocking: from async code, call it inside
    /// `tokio::task::spawn_blocking`.
    ///
    /// # Errors
    /// [`CollectorError::Store`] when the file cannot be opened, is not a database, or has a
    /// newer schema version.
    pub fn open(config: &CollectorConfig) -> Result<AppState, CollectorError> {
        let store = Store::open(&config.db_path).map_err(|source| CollectorError::Store {
            path: config.db_path.clone(),
            source,
        })?;
        Ok(AppState {
            inner: Arc::new(Inner {
                store,
                token: config.token.clone().filter(|t| !t.is_empty()),
                limits: config.limits,
                request_timeout: config.request_timeout,
            }),
        })
    }

    /// The shared token, when one is required.
    pub(crate) fn token(&self) -> Option<&str> {
        self.inner.token.as_deref()
    }
}

