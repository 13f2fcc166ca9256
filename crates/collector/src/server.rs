//! Running the collector: bind, open the database, serve until a shutdown signal, close cleanly.
//!
//! The accept loop is our own (hyper's HTTP/1.1 connection driver over the axum router) rather
//! than `axum::serve`, for two guarantees `axum::serve` does not give:
//! - a client that never finishes its request headers is disconnected after the request
//!   timeout (hyper's header read timeout), instead of holding a connection forever;
//! - shutdown is bounded: after the signal, no new connections are accepted, idle keep-alive
//!   connections close at once, requests in flight get [`CollectorConfig::shutdown_grace`] to
//!   finish, then whatever is left is closed. Only then is the database closed.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::config::{CollectorConfig, Database};
use crate::error::CollectorError;
use crate::http::app;
use crate::log;
use crate::state::AppState;

/// A collector that is bound and has its database open, ready to serve.
///
/// Splitting [`Server::bind`] from [`Server::run_until`] lets a caller learn the real address
/// (port 0 picks one) and say "ready" before serving.
pub struct Server {
    listener: TcpListener,
    local_addr: SocketAddr,
    db_path: PathBuf,
    database: Database,
    header_timeout: Duration,
    shutdown_grace: Duration,
    prune_interval: Duration,
    state: AppState,
}

impl Server {
    /// Binds `config.listen`, then opens the store: the SQLite file (on a blocking thread) or
    /// the PostgreSQL database.
    ///
    /// # Errors
    /// [`CollectorError::Bind`] when the address is taken or not local;
    /// [`CollectorError::Store`] / [`CollectorError::Postgres`] when the store cannot be
    /// opened or migrated.
    pub async fn bind(config: CollectorConfig) -> Result<Server, CollectorError> {
        let addr = config.listen;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| CollectorError::Bind { addr, source })?;
        let local_addr = listener
            .local_addr()
            .map_err(|source| CollectorError::Bind { addr, source })?;
        let db_path = config.db_path.clone();
        let database = config.database();
        let header_timeout = config.request_timeout;
        let shutdown_grace = config.shutdown_grace;
        let prune_interval = config.prune_interval;
        let state = AppState::connect(&config).await?;
        Ok(Server {
            listener,
            local_addr,
            db_path,
            database,
            header_timeout,
            shutdown_grace,
            prune_interval,
            state,
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The SQLite database file in use (with PostgreSQL: the unused `db_path` setting).
    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// The store in use; its `Display` is fit for logs (no password).
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// Serves until `shutdown` completes, then shuts down as the module docs describe and closes
    /// the database: every batch that was answered 200/400 is committed before this returns.
    ///
    /// # Errors
    /// [`CollectorError::Task`] when closing the database failed (the writer thread panicked).
    /// Accept errors (e.g. out of file descriptors) are logged and retried, not returned.
    pub async fn run_until<F>(self, shutdown: F) -> Result<(), CollectorError>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let Server {
            listener,
            header_timeout,
            shutdown_grace,
            prune_interval,
            state,
            ..
        } = self;
        let pruner = tokio::spawn(prune_periodically(state.clone(), prune_interval));
        let router = app(state.clone());
        let (closing, closing_rx) = watch::channel(false);
        let mut connections = JoinSet::new();

        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, _peer)) => {
                        connections.spawn(serve_connection(
                            stream,
                            router.clone(),
                            closing_rx.clone(),
                            header_timeout,
                        ));
                    }
                    Err(e) => {
                        // Typically EMFILE: back off instead of spinning on the error.
                        log::warn("accept failed", &[("error", e.to_string().into())]);
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
                // Reap finished connections so the set does not grow without bound.
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }

        drop(listener);
        drop(router);
        let _ = closing.send(true);
        let drained = tokio::time::timeout(shutdown_grace, async {
            while connections.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            log::warn(
                "closing connections still open after the shutdown grace",
                &[
                    ("connections", connections.len().into()),
                    ("grace_ms", (shutdown_grace.as_millis() as u64).into()),
                ],
            );
            connections.abort_all();
            while connections.join_next().await.is_some() {}
        }

        pruner.abort();
        let _ = pruner.await;
        // Every router clone is gone with its connection; dropping the last state joins the
        // writer thread, which blocks, so do it off the executor.
        tokio::task::spawn_blocking(move || drop(state))
            .await
            .map_err(|e| CollectorError::Task(format!("closing the database: {e}")))
    }
}

/// Runs [`AppState::prune_once`] now and then every `interval`, until aborted; logs what it
/// deleted. Ingest never waits for more than one chunk of deletes.
async fn prune_periodically(state: AppState, interval: Duration) {
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match state.prune_once().await {
            Ok(0) => {}
            Ok(deleted) => log::info("pruned verdicts", &[("deleted", deleted.into())]),
            Err(e) => log::error("pruning failed", &[("error", e.to_string().into())]),
        }
    }
}

/// Drives one HTTP/1.1 connection until it ends, or until `closing` turns true; then lets the
/// request in flight finish and closes (an idle keep-alive connection closes at once).
async fn serve_connection(
    stream: TcpStream,
    router: Router,
    mut closing: watch::Receiver<bool>,
    header_timeout: Duration,
) {
    // Responses are written whole; do not let Nagle delay the last segment.
    let _ = stream.set_nodelay(true);
    let mut builder = hyper::server::conn::http1::Builder::new();
    // The timer must be set before the header timeout (hyper panics otherwise).
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let connection =
        builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(router));
    let mut connection = std::pin::pin!(connection);
    tokio::select! {
        // Client gone, protocol error or header timeout: nothing to report to anyone.
        _ = connection.as_mut() => {}
        // The value is only ever set once, to true; a dropped sender also means "closing".
        _ = closing.changed() => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

/// Binds, opens the database and serves until SIGINT or SIGTERM, then shuts down gracefully.
///
/// # Errors
/// See [`Server::bind`] and [`Server::run_until`].
pub async fn serve(config: CollectorConfig) -> Result<(), CollectorError> {
    Server::bind(config)
        .await?
        .run_until(shutdown_signal())
        .await
}

/// Completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM. If a handler cannot be installed, that
/// signal is reported on stderr and ignored (the other one still works).
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            log::error("cannot listen for SIGINT", &[("error", e.to_string().into())]);
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(e) => {
                log::error("cannot listen for SIGTERM", &[("error", e.to_string().into())]);
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
