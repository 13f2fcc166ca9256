//! SQLite storage (the default, embedded): schema and migrations, the single writer thread, and verdict queries.
//! The console's rollups (schema version 5, kept in each batch's transaction) are in
//! `store::rollup`, its reads in `store::console`.
//!
//! Invariants:
//! - One writer: a dedicated OS thread owns the only write connection and inserts each batch in
//!   one `BEGIN IMMEDIATE` transaction, so a batch is stored whole or not at all. Async code talks
//!   to it over a bounded channel (back-pressure when it falls behind) and never calls SQLite.
//! - Reads use a second connection (`query_only`) behind a mutex, from blocking tasks; WAL mode
//!   lets them run while the writer commits.
//! - The schema version lives in `PRAGMA user_version`; [`SCHEMA_VERSION`] is the newest this
//!   build knows. A newer database is refused rather than misread; an older one is migrated.
//! - Idempotent ingest: a record's `record_id` is stored under a UNIQUE index, and a record
//!   whose id is already there is skipped and reported as a duplicate (records without an id
//!   are always stored).
//! - `synchronous = NORMAL`: with WAL a commit survives a crash of the collector process, but
//!   the last commits can be lost on power failure or an OS crash (no fsync per batch).
//!   That trades a little durability for an order of magnitude of ingest throughput.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{params, Connection, TransactionBehavior};
use tokio::sync::{mpsc, oneshot};

use super::rollup::{self, RollupBatch, SCHEMA_V5};
use super::{now_ms, NodeAuth, Retention, StoreError, SCHEMA_VERSION};
use crate::record::Verdict;
use crate::store::counters::{CounterIngest, CounterResult};

/// Version 1: one row per verdict with the filterable columns and the record text; one row per
/// (verdict, rule id) for "top rules" queries, with the verdict's time copied in so that a
/// time-windowed count needs no join.
const SCHEMA_V1: &str = "
CREATE TABLE verdicts (
    id             INTEGER PRIMARY KEY,  -- insertion order
    time_ms        INTEGER NOT NULL,     -- record `time`, UTC ms since the epoch
    unique_id      TEXT    NOT NULL,
    action         TEXT    NOT NULL,     -- blocked | monitored | passed
    application_id TEXT,                 -- integer ids stored as their decimal text
    host           TEXT,
    source_ip      TEXT,
    status         INTEGER,
    anomaly_score  INTEGER,
    record         TEXT    NOT NULL      -- the NDJSON line as received
);
CREATE INDEX verdicts_time        ON verdicts (time_ms);
CREATE INDEX verdicts_action      ON verdicts (action, time_ms);
CREATE INDEX verdicts_application ON verdicts (application_id, time_ms);
CREATE INDEX verdicts_host        ON verdicts (host, time_ms);
CREATE INDEX verdicts_source_ip   ON verdicts (source_ip, time_ms);
CREATE INDEX verdicts_unique_id   ON verdicts (unique_id);

CREATE TABLE verdict_rules (
    verdict_id INTEGER NOT NULL REFERENCES verdicts (id) ON DELETE CASCADE,
    rule_id    INTEGER NOT NULL,         -- SecLang rule id from `matched[].id`
    time_ms    INTEGER NOT NULL,         -- copy of verdicts.time_ms
    PRIMARY KEY (verdict_id, rule_id)
) WITHOUT ROWID;
CREATE INDEX verdict_rules_rule ON verdict_rules (rule_id, time_ms);
CREATE INDEX verdict_rules_time ON verdict_rules (time_ms, rule_id);
";

/// Version 2: the sender's `record_id`, unique, so that a re-sent record is stored once.
/// Several NULLs are allowed (records without an id, and every row of version 1).
const SCHEMA_V2: &str = "
ALTER TABLE verdicts ADD COLUMN record_id TEXT;
CREATE UNIQUE INDEX verdicts_record_id ON verdicts (record_id);
";

/// Version 3: registered nodes (gateways) with the SHA-256 of their token, and the node that
/// sent each verdict (NULL for rows of earlier versions and for `--insecure-no-auth` ingest).
const SCHEMA_V3: &str = "
CREATE TABLE nodes (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    grp          TEXT,                  -- environment or cluster, e.g. prod-eu
    token_hash   TEXT    NOT NULL UNIQUE, -- hex SHA-256 of the token; the token is never stored
    created_ms   INTEGER NOT NULL,
    revoked_ms   INTEGER,
    last_seen_ms INTEGER
);
ALTER TABLE verdicts ADD COLUMN node INTEGER REFERENCES nodes (id);
CREATE INDEX verdicts_node ON verdicts (node, time_ms);
";

/// Version 4: traffic counters, what each node's workers report about themselves, and the
/// console's IP lists.
///
/// `counters` holds one row per (node, minute, policy host, application, mode): every counter
/// record a worker sends is added into the row of the minute its interval ended in, so a
/// window's totals are sums over at most (minutes × keys) rows whatever the request rate.
/// `counter_records` remembers the `record_id`s already added, so a re-sent record counts once.
/// `node` is `nodes.id`, 0 for `--insecure-no-auth` ingest (no foreign key for that reason).
const SCHEMA_V4: &str = "
CREATE TABLE counters (
    node               INTEGER NOT NULL,
    minute_ms          INTEGER NOT NULL,  -- start of the UTC minute, ms since the epoch
    host               TEXT    NOT NULL,  -- the policy's host key as configured; '*' = default policy
    application_id     TEXT    NOT NULL,  -- '' when the policy has none
    mode               TEXT    NOT NULL,  -- block | monitor | off
    requests           INTEGER NOT NULL DEFAULT 0,
    blocked            INTEGER NOT NULL DEFAULT 0,
    monitored          INTEGER NOT NULL DEFAULT 0,
    passed             INTEGER NOT NULL DEFAULT 0,
    rate_limited       INTEGER NOT NULL DEFAULT 0,
    allowed            INTEGER NOT NULL DEFAULT 0,
    denied             INTEGER NOT NULL DEFAULT 0,
    body_limit_rejects INTEGER NOT NULL DEFAULT 0,
    verdicts_dropped   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (minute_ms, node, host, application_id, mode)
) WITHOUT ROWID;

CREATE TABLE counter_records (
    record_id TEXT    PRIMARY KEY,
    time_ms   INTEGER NOT NULL            -- for pruning with the counters
) WITHOUT ROWID;

CREATE TABLE node_workers (
    node                INTEGER NOT NULL,
    worker              TEXT    NOT NULL, -- the worker's (VM's) random id, stable while it runs
    version             TEXT    NOT NULL, -- filter version
    ruleset_fingerprint TEXT    NOT NULL,
    rule_count          INTEGER NOT NULL,
    workers             INTEGER,          -- worker count as the node reports it, if it knows
    flush_interval_ms   INTEGER NOT NULL,
    last_seen_ms        INTEGER NOT NULL,
    PRIMARY KEY (node, worker)
);

CREATE TABLE ip_entries (
    id         INTEGER PRIMARY KEY,
    list       TEXT    NOT NULL CHECK (list IN ('block', 'allow')),
    cidr       TEXT    NOT NULL,          -- canonical form: address/prefix
    note       TEXT    NOT NULL DEFAULT '',
    grp        TEXT,                      -- NULL: every node; else only nodes of this group
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER                    -- NULL: until removed
);
CREATE INDEX ip_entries_expiry ON ip_entries (expires_ms);
";

/// Inserts one verdict; no row (0 changes) when its `record_id` is already stored.
const INSERT_VERDICT: &str = "INSERT INTO verdicts \
    (time_ms, unique_id, action, application_id, host, source_ip, status, anomaly_score, record, \
     record_id, node) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
    ON CONFLICT (record_id) DO NOTHING";

/// `OR IGNORE`: a rule listed twice in one record counts once for that verdict.
const INSERT_RULE: &str =
    "INSERT OR IGNORE INTO verdict_rules (verdict_id, rule_id, time_ms) VALUES (?1, ?2, ?3)";

/// Batches waiting for the writer; senders wait when it is full.
const WRITER_QUEUE: usize = 32;

/// Work for the writer thread and where to send the outcome.
enum Job {
    /// Store one batch.
    Insert {
        verdicts: Vec<Verdict>,
        /// The authenticated sender (`None` only with `--insecure-no-auth`).
        node: Option<i64>,
        reply: oneshot::Sender<Result<Vec<bool>, StoreError>>,
    },
    /// Add one counter record.
    AddCounters {
        node: i64,
        ingest: Box<CounterIngest>,
        reply: oneshot::Sender<Result<CounterResult, StoreError>>,
    },
    /// Delete at most `chunk` of the oldest verdicts that are past `retention`.
    Prune {
        retention: Retention,
        chunk: usize,
        reply: oneshot::Sender<Result<usize, StoreError>>,
    },
    /// Any other write ([`SqliteStore::write`]): the closure runs on the write connection and
    /// sends its own outcome.
    Write(Box<dyn FnOnce(&mut Connection) + Send>),
}

/// The open database: the writer thread and the read connection.
///
/// Dropping it closes the queue and joins the writer (which finishes the batches already queued),
/// so drop it from a blocking context when that matters.
pub(crate) struct SqliteStore {
    writer: Writer,
    /// Shared with the blocking tasks that read.
    reader: Arc<Mutex<Connection>>,
}

struct Writer {
    queue: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the queue ends the thread's loop once it has drained what was queued.
        self.queue = None;
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                crate::log::error("the database writer thread panicked", &[]);
            }
        }
    }
}

impl SqliteStore {
    /// Opens (creating if needed) and migrates the database at `path`, then starts the writer.
    /// Blocking: call it from a blocking context.
    pub(crate) fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let mut write_conn = Connection::open(path)?;
        configure(&write_conn)?;
        // WAL is a property of the file: set it once here, before the reader opens.
        let mode: String = write_conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            crate::log::warn(
                "journal mode is not wal",
                &[("journal_mode", mode.clone().into())],
            );
        }
        write_conn.pragma_update(None, "synchronous", "NORMAL")?;
        write_conn.pragma_update(None, "foreign_keys", true)?;
        // Index pages of recent rows stay hot across batches (default is 2 MiB).
        write_conn.pragma_update(None, "cache_size", -32_768)?;
        migrate(&mut write_conn)?;

        let reader = Connection::open(path)?;
        configure(&reader)?;
        reader.pragma_update(None, "query_only", true)?;

        let (queue, jobs) = mpsc::channel(WRITER_QUEUE);
        let thread = std::thread::Builder::new()
            .name("portcullis-collector-writer".to_owned())
            .spawn(move || writer_loop(write_conn, jobs))
            .map_err(StoreError::Thread)?;
        Ok(SqliteStore {
            writer: Writer {
                queue: Some(queue),
                thread: Some(thread),
            },
            reader: Arc::new(Mutex::new(reader)),
        })
    }

    /// Stores `verdicts` in one transaction on the writer thread; returns, for each in order,
    /// whether it was stored (`false`: its `record_id` was already there, a duplicate).
    /// On error nothing of the batch is stored.
    pub(crate) async fn insert(
        &self,
        node: Option<i64>,
        verdicts: Vec<Verdict>,
    ) -> Result<Vec<bool>, StoreError> {
        let queue = self.writer.queue.as_ref().ok_or(StoreError::WriterGone)?;
        let (reply, outcome) = oneshot::channel();
        queue
            .send(Job::Insert {
                verdicts,
                node,
                reply,
            })
            .await
            .map_err(|_| StoreError::WriterGone)?;
        outcome.await.map_err(|_| StoreError::WriterGone)?
    }

    /// Runs `f` on the write connection, on the writer thread between batches (as ingest and
    /// pruning do), and returns its outcome.
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let queue = self.writer.queue.as_ref().ok_or(StoreError::WriterGone)?;
        let (reply, outcome) = oneshot::channel();
        let job = Job::Write(Box::new(move |conn: &mut Connection| {
            let _ = reply.send(f(conn));
        }));
        queue.send(job).await.map_err(|_| StoreError::WriterGone)?;
        outcome.await.map_err(|_| StoreError::WriterGone)?
    }

    /// Runs `f` on the read connection in a blocking task (SQLite never runs on the executor).
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let reader = Arc::clone(&self.reader);
        tokio::task::spawn_blocking(move || {
            let conn = reader.lock().map_err(|_| StoreError::ReaderPoisoned)?;
            f(&conn)
        })
        .await
        .map_err(|_| StoreError::ReaderPoisoned)?
    }
}

impl SqliteStore {
    /// Deletes at most `chunk` verdicts beyond `retention` (age first, then row count) in one
    /// short transaction on the writer thread, between ingest batches; returns how many.
    /// A caller loops until 0 come back; ingest waits at most one chunk.
    pub(crate) async fn prune_chunk(
        &self,
        retention: Retention,
        chunk: usize,
    ) -> Result<usize, StoreError> {
        let queue = self.writer.queue.as_ref().ok_or(StoreError::WriterGone)?;
        let (reply, outcome) = oneshot::channel();
        queue
            .send(Job::Prune {
                retention,
                chunk,
                reply,
            })
            .await
            .map_err(|_| StoreError::WriterGone)?;
        outcome.await.map_err(|_| StoreError::WriterGone)?
    }

    /// Adds one counter record in one transaction on the writer thread (`store::counters`).
    pub(crate) async fn add_counters(
        &self,
        node: i64,
        ingest: CounterIngest,
    ) -> Result<CounterResult, StoreError> {
        let queue = self.writer.queue.as_ref().ok_or(StoreError::WriterGone)?;
        let (reply, outcome) = oneshot::channel();
        queue
            .send(Job::AddCounters {
                node,
                ingest: Box::new(ingest),
                reply,
            })
            .await
            .map_err(|_| StoreError::WriterGone)?;
        outcome.await.map_err(|_| StoreError::WriterGone)?
    }

    /// The node whose token hashes to `token_hash`, revoked or not.
    pub(crate) async fn node_by_token_hash(
        &self,
        token_hash: String,
    ) -> Result<Option<NodeAuth>, StoreError> {
        self.read(move |conn| node_by_token_hash(conn, &token_hash))
            .await
    }
}

/// See [`SqliteStore::node_by_token_hash`].
fn node_by_token_hash(conn: &Connection, token_hash: &str) -> Result<Option<NodeAuth>, StoreError> {
    {
        let mut stmt = conn
            .prepare_cached("SELECT id, revoked_ms IS NOT NULL FROM nodes WHERE token_hash = ?1")?;
        let mut rows = stmt.query(params![token_hash])?;
        match rows.next()? {
            Some(row) => Ok(Some(NodeAuth {
                id: row.get(0)?,
                revoked: row.get(1)?,
            })),
            None => Ok(None),
        }
    }
}

/// Opens (creating and migrating if needed) the database at `path` for the node commands:
/// one plain connection, no writer thread. Blocking.
pub(crate) fn open_admin(path: &Path) -> Result<Connection, StoreError> {
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Settings every connection needs.
fn configure(conn: &Connection) -> Result<(), rusqlite::Error> {
    // Another process (a second collector, a dashboard) may hold the write lock briefly.
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.set_prepared_statement_cache_capacity(32);
    Ok(())
}

/// Brings the schema to [`SCHEMA_VERSION`] in one transaction.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    match version {
        SCHEMA_VERSION => {}
        0..SCHEMA_VERSION => {
            // Each step brings version i to i + 1; all in this one transaction.
            let steps = [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5];
            for step in steps.iter().skip(usize::try_from(version).unwrap_or(0)) {
                tx.execute_batch(step)?;
            }
            if version < 5 {
                // The verdicts already stored, into the rollups of version 5.
                let unreadable = rollup::backfill(&tx)?;
                if unreadable > 0 {
                    crate::log::warn(
                        "verdicts left out of the console's counts",
                        &[("records", unreadable.into())],
                    );
                }
            }
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        }
        found if found > SCHEMA_VERSION => {
            return Err(StoreError::SchemaTooNew {
                found,
                supported: SCHEMA_VERSION,
            })
        }
        found => return Err(StoreError::UnknownSchema { found }),
    }
    tx.commit()?;
    Ok(())
}

fn writer_loop(mut conn: Connection, mut jobs: mpsc::Receiver<Job>) {
    while let Some(job) = jobs.blocking_recv() {
        match job {
            Job::Insert {
                verdicts,
                node,
                reply,
            } => {
                let outcome = insert_batch(&mut conn, node, &verdicts).map_err(StoreError::from);
                if let Err(e) = &outcome {
                    crate::log::error(
                        "batch not stored",
                        &[
                            ("records", verdicts.len().into()),
                            ("error", e.to_string().into()),
                        ],
                    );
                }
                // The requester may have timed out; the batch is committed all the same.
                let _ = reply.send(outcome);
            }
            Job::AddCounters {
                node,
                ingest,
                reply,
            } => {
                let outcome = add_counters(&mut conn, node, &ingest).map_err(StoreError::from);
                if let Err(e) = &outcome {
                    crate::log::error(
                        "counter record not stored",
                        &[("error", e.to_string().into())],
                    );
                }
                let _ = reply.send(outcome);
            }
            Job::Prune {
                retention,
                chunk,
                reply,
            } => {
                let outcome = prune_chunk(&mut conn, retention, chunk).map_err(StoreError::from);
                let _ = reply.send(outcome);
            }
            Job::Write(f) => f(&mut conn),
        }
    }
}

/// One pruning step: the oldest verdicts past the age limit, else the oldest beyond the row
/// limit, at most `chunk` of them; their `verdict_rules` rows go by `ON DELETE CASCADE`.
fn prune_chunk(
    conn: &mut Connection,
    retention: Retention,
    chunk: usize,
) -> Result<usize, rusqlite::Error> {
    let chunk = i64::try_from(chunk).unwrap_or(i64::MAX);
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut deleted = 0;
    if let Some(min_time) = retention.min_time_ms {
        deleted = tx.execute(
            "DELETE FROM verdicts WHERE id IN \
             (SELECT id FROM verdicts WHERE time_ms < ?1 ORDER BY time_ms LIMIT ?2)",
            params![min_time, chunk],
        )?;
        // Counters age out with the verdicts (the row limit is the verdicts' only).
        deleted += super::counters::prune(&tx, min_time, chunk)?;
    }
    if deleted == 0 {
        if let Some(max_rows) = retention.max_rows {
            let rows: i64 = tx.query_row("SELECT count(*) FROM verdicts", [], |r| r.get(0))?;
            let excess = rows.saturating_sub(i64::try_from(max_rows).unwrap_or(i64::MAX));
            if excess > 0 {
                deleted = tx.execute(
                    "DELETE FROM verdicts WHERE id IN (SELECT id FROM verdicts ORDER BY id LIMIT ?1)",
                    params![excess.min(chunk)],
                )?;
            }
        }
    }
    // Once the verdicts are done, the rollup buckets past the age limit (by age only: see
    // `store::rollup`); not counted in what is returned, which is verdicts.
    if deleted == 0 {
        if let Some(min_time) = retention.min_time_ms {
            rollup::prune(&tx, min_time)?;
        }
    }
    tx.commit()?;
    Ok(deleted)
}

/// One counter record in its own transaction (see `store::counters::add_record`).
fn add_counters(
    conn: &mut Connection,
    node: i64,
    ingest: &CounterIngest,
) -> Result<CounterResult, rusqlite::Error> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let result = super::counters::add_record(&tx, node, ingest, now_ms())?;
    tx.commit()?;
    Ok(result)
}

/// Stores one batch and, for an authenticated sender, its last-seen time, in one transaction:
/// one extra row update per batch, not per record.
fn insert_batch(
    conn: &mut Connection,
    node: Option<i64>,
    verdicts: &[Verdict],
) -> Result<Vec<bool>, rusqlite::Error> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(node) = node {
        tx.prepare_cached("UPDATE nodes SET last_seen_ms = ?1 WHERE id = ?2")?
            .execute(params![now_ms(), node])?;
    }
    let mut stored = Vec::with_capacity(verdicts.len());
    let mut rollups = RollupBatch::default();
    {
        let mut insert = tx.prepare_cached(INSERT_VERDICT)?;
        let mut insert_rule = tx.prepare_cached(INSERT_RULE)?;
        for v in verdicts {
            let changed = insert.execute(params![
                v.time_ms,
                v.unique_id,
                v.action.name(),
                v.application_id,
                v.host,
                v.source_ip,
                v.status,
                v.anomaly_score,
                v.raw,
                v.record_id,
                node,
            ])?;
            stored.push(changed > 0);
            if changed == 0 {
                continue;
            }
            let id = tx.last_insert_rowid();
            for rule_id in &v.rule_ids {
                insert_rule.execute(params![id, rule_id, v.time_ms])?;
            }
            rollups.add(node, v);
        }
    }
    // The console's counts commit with the verdicts they count.
    rollups.write(&tx)?;
    tx.commit()?;
    Ok(stored)
}
