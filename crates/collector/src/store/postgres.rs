//! PostgreSQL storage: the store several collector replicas share.
//!
//! Invariants:
//! - The same logical schema and versions as SQLite, migrated at start-up (`schema`: the
//!   versions, the version table, the advisory lock).
//! - Every batch is one transaction: stored whole (all its valid records) or not at all.
//!   Idempotency is the database's: `ON CONFLICT (record_id) DO NOTHING`, so a record re-sent to
//!   another replica (round robin after a timeout) is still stored once.
//! - A small pool ([`POOL_SIZE`] connections per collector) with bounded waits: a request never
//!   waits forever for a connection, and an unreachable server is an error with its reason.
//! - TLS is off (`NoTls`): the collector and PostgreSQL are meant to talk over a private
//!   network or a sidecar / loopback connection. The URL's password is never logged.
//! - PostgreSQL text cannot hold NUL: a decoded field containing U+0000 (JSON `\u0000`) is stored
//!   in its indexed column with U+FFFD instead; the record text itself keeps the escape as sent.
//! - Each operation is one function below with its SQL next to it.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use futures_util::future::try_join_all;
use portcullis_wire::ip_list::ListKind;
use tokio_postgres::types::ToSql;
use tokio_postgres::NoTls;

mod console;
mod counters;
mod ip_lists;
mod rollup;
mod schema;

use super::{now_ms, NodeAuth, Retention, StoreError, VerdictPage, VerdictQuery};
use crate::config::redact_url;
use crate::record::Verdict;
use crate::stats::model::{Filters, NodeStatus, Summary, Timeline};
use crate::stats::window::Window;
use crate::store::counters::{CounterIngest, CounterResult};
use crate::store::ip_lists::{IpEntry, NewEntry};
use crate::store::NodeInfo;

/// Connections each collector keeps at most: ingest batches, reads and pruning share them.
pub(crate) const POOL_SIZE: usize = 8;

/// How long an operation waits for a free connection, and for a new one to be made.
const POOL_WAIT: Duration = Duration::from_secs(10);

/// Connect timeout when the URL does not set one.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Key of the advisory lock held by whichever collector is pruning: one pruner at a time
/// (next to [`schema::MIGRATION_LOCK`]).
const PRUNE_LOCK: i64 = schema::MIGRATION_LOCK + 1;

/// The open PostgreSQL store: a pool of connections to one database. Cheap to share; dropping
/// it closes the connections.
pub(crate) struct PgStore {
    pool: Pool,
}

/// Writes what a PostgreSQL error says: the server's message (and detail) when it answered,
/// else the client's (e.g. "error connecting to server: Connection refused").
pub(crate) fn describe_error(e: &tokio_postgres::Error, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if let Some(db) = e.as_db_error() {
        write!(f, "postgres: {} ({})", db.message(), db.code().code())?;
        if let Some(detail) = db.detail() {
            write!(f, ": {detail}")?;
        }
        return Ok(());
    }
    write!(f, "postgres: {}", with_causes(e))
}

/// `e` and its causes, `: `-separated: the client's own message is generic ("error connecting
/// to server"); its cause says what happened ("Connection refused").
fn with_causes(e: &tokio_postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl From<PoolError> for StoreError {
    fn from(e: PoolError) -> Self {
        match e {
            // A server's answer (e.g. the database does not exist) is that error as such.
            PoolError::Backend(e) if e.as_db_error().is_some() => StoreError::Postgres(e),
            // No answer (refused, timed out, closed): the store is unavailable.
            PoolError::Backend(e) => StoreError::Pool(with_causes(&e)),
            other => StoreError::Pool(other.to_string()),
        }
    }
}

impl PgStore {
    /// Parses `url`, connects (failing now, with the reason, if the server cannot be reached)
    /// and migrates the schema to [`SCHEMA_VERSION`].
    pub(crate) async fn open(url: &str) -> Result<PgStore, StoreError> {
        let mut config = tokio_postgres::Config::from_str(url)
            .map_err(|e| StoreError::BadUrl(format!("{}: {e}", redact_url(url))))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.application_name("portcullis-collector");
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                // A connection the server closed is found out on its next use and replaced.
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_WAIT))
            .create_timeout(Some(POOL_WAIT))
            .build()
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        schema::migrate(&pool).await?;
        Ok(PgStore { pool })
    }

    /// See [`super::Store::insert`].
    pub(crate) async fn insert(
        &self,
        node: Option<i64>,
        verdicts: Vec<Verdict>,
    ) -> Result<Vec<bool>, StoreError> {
        let outcome = self.insert_batch(node, &verdicts).await;
        if let Err(e) = &outcome {
            crate::log::error(
                "batch not stored",
                &[
                    ("records", verdicts.len().into()),
                    ("error", e.to_string().into()),
                ],
            );
        }
        outcome
    }

    /// See [`super::Store::prune_chunk`].
    pub(crate) async fn prune_chunk(
        &self,
        retention: Retention,
        chunk: usize,
    ) -> Result<usize, StoreError> {
        prune_chunk(&self.pool, retention, chunk).await
    }

    /// See [`super::Store::add_counters`] (`counters`: the SQL and why concurrent adds count
    /// once).
    pub(crate) async fn add_counters(
        &self,
        node: i64,
        ingest: CounterIngest,
    ) -> Result<CounterResult, StoreError> {
        let outcome = counters::add_record(&self.pool, node, &ingest, now_ms()).await;
        if let Err(e) = &outcome {
            crate::log::error(
                "counter record not stored",
                &[("error", e.to_string().into())],
            );
        }
        outcome
    }

    /// See [`super::Store::counter_totals`].
    pub(crate) async fn counter_totals(
        &self,
        since_ms: i64,
    ) -> Result<Vec<crate::store::counters::CounterTotals>, StoreError> {
        counters::totals(&self.pool, since_ms).await
    }

    /// See [`super::Store::query`].
    pub(crate) async fn verdict_page(
        &self,
        query: VerdictQuery,
    ) -> Result<VerdictPage, StoreError> {
        console::verdict_page(&self.pool, &query).await
    }

    /// See [`super::Store::summary`].
    pub(crate) async fn summary(
        &self,
        window: Window,
        filters: Filters,
    ) -> Result<Summary, StoreError> {
        console::summary(&self.pool, window, &filters).await
    }

    /// See [`super::Store::timeline`].
    pub(crate) async fn timeline(
        &self,
        window: Window,
        step: i64,
        filters: Filters,
    ) -> Result<Timeline, StoreError> {
        console::timeline(&self.pool, window, step, &filters).await
    }

    /// See [`super::Store::nodes`].
    pub(crate) async fn nodes(&self, now_ms: i64) -> Result<Vec<NodeStatus>, StoreError> {
        console::nodes(&self.pool, now_ms).await
    }

    /// See [`super::Store::ip_entries`].
    pub(crate) async fn ip_entries(&self) -> Result<Vec<IpEntry>, StoreError> {
        ip_lists::all(&self.pool).await
    }

    /// See [`super::Store::add_ip_entry`] (`ip_lists`: why changes take a lock).
    pub(crate) async fn add_ip_entry(
        &self,
        new: &NewEntry,
        now_ms: i64,
    ) -> Result<Option<(IpEntry, bool)>, StoreError> {
        ip_lists::add(&self.pool, new, now_ms).await
    }

    /// See [`super::Store::delete_ip_entry`].
    pub(crate) async fn delete_ip_entry(&self, id: i64, now_ms: i64) -> Result<bool, StoreError> {
        ip_lists::delete(&self.pool, id, now_ms).await
    }

    /// See [`super::Store::ip_entries_for_node`].
    pub(crate) async fn ip_entries_for_node(
        &self,
        node: Option<i64>,
        now_ms: i64,
    ) -> Result<Vec<(ListKind, String, Option<i64>)>, StoreError> {
        ip_lists::for_node(&self.pool, node, now_ms).await
    }

    /// See [`super::Store::touch_node`].
    pub(crate) async fn touch_node(&self, node: i64, now_ms: i64) -> Result<(), StoreError> {
        ip_lists::touch_node(&self.pool, node, now_ms).await
    }

    /// See [`super::Store::node_by_token_hash`].
    pub(crate) async fn node_by_token_hash(
        &self,
        token_hash: String,
    ) -> Result<Option<NodeAuth>, StoreError> {
        node_by_token_hash(&self.pool, &token_hash).await
    }

    /// Registers a node; `false` when the name is taken.
    pub(crate) async fn add_node(
        &self,
        name: &str,
        group: Option<&str>,
        token_hash: &str,
    ) -> Result<bool, StoreError> {
        add_node(&self.pool, name, group, token_hash).await
    }

    /// Revokes node `name` (the first revocation time stays); `false` when there is no such node.
    pub(crate) async fn revoke_node(&self, name: &str) -> Result<bool, StoreError> {
        revoke_node(&self.pool, name).await
    }

    /// All nodes, by group (none first) then name, byte order.
    pub(crate) async fn list_nodes(&self) -> Result<Vec<NodeInfo>, StoreError> {
        list_nodes(&self.pool).await
    }

    async fn insert_batch(
        &self,
        node: Option<i64>,
        verdicts: &[Verdict],
    ) -> Result<Vec<bool>, StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        touch_node(&tx, node).await?;
        let stored = insert_verdicts(&tx, node, verdicts).await?;
        tx.commit().await?;
        Ok(stored)
    }
}

/// `text` without NUL characters, which PostgreSQL text cannot hold (see the module docs).
fn pg_text(text: &str) -> Cow<'_, str> {
    if text.contains('\0') {
        Cow::Owned(text.replace('\0', "\u{fffd}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Marks the sender as seen: one row update per batch, not per record.
const TOUCH_NODE: &str = "UPDATE nodes SET last_seen_ms = $1 WHERE id = $2";

/// Inserts one verdict; no row comes back when its `record_id` is already stored.
const INSERT_VERDICT: &str = "INSERT INTO verdicts \
    (time_ms, unique_id, action, application_id, host, source_ip, status, anomaly_score, record, \
     record_id, node) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
    ON CONFLICT (record_id) DO NOTHING RETURNING id";

/// The rules of every stored verdict of a batch in one statement; a rule listed twice in one
/// record counts once for that verdict.
const INSERT_RULES: &str = "INSERT INTO verdict_rules (verdict_id, rule_id, time_ms) \
    SELECT * FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::BIGINT[]) \
    ON CONFLICT DO NOTHING";

/// The sender's last-seen time, in the batch's transaction.
async fn touch_node(
    tx: &deadpool_postgres::Transaction<'_>,
    node: Option<i64>,
) -> Result<(), StoreError> {
    if let Some(node) = node {
        let touch = tx.prepare_cached(TOUCH_NODE).await?;
        tx.execute(&touch, &[&now_ms(), &node]).await?;
    }
    Ok(())
}

/// The verdicts of a batch and their rules. The inserts are pipelined (sent without waiting for
/// each answer; PostgreSQL runs them in order), so a batch costs a few round trips, not one per
/// record. Returns, per verdict, whether it was stored.
async fn insert_verdicts(
    tx: &deadpool_postgres::Transaction<'_>,
    node: Option<i64>,
    verdicts: &[Verdict],
) -> Result<Vec<bool>, StoreError> {
    let insert = tx.prepare_cached(INSERT_VERDICT).await?;
    // Owned column values first: the pipelined statements borrow them until all have answered.
    let columns: Vec<[Option<Cow<'_, str>>; 5]> = verdicts
        .iter()
        .map(|v| {
            [
                Some(pg_text(&v.unique_id)),
                v.application_id.as_deref().map(pg_text),
                v.host.as_deref().map(pg_text),
                v.source_ip.as_deref().map(pg_text),
                v.record_id.as_deref().map(pg_text),
            ]
        })
        .collect();
    let insert = &insert;
    let node = &node;
    let ids = try_join_all(verdicts.iter().zip(&columns).map(|(v, text)| async move {
        let action = v.action.name();
        let params: [&(dyn ToSql + Sync); 11] = [
            &v.time_ms,
            &text[0],
            &action,
            &text[1],
            &text[2],
            &text[3],
            &v.status,
            &v.anomaly_score,
            &v.raw,
            &text[4],
            node,
        ];
        {
            let row = tx.query_opt(insert, &params).await?;
            row.map(|r| r.try_get::<_, i64>(0)).transpose()
        }
    }))
    .await?;

    let (mut rule_verdicts, mut rule_ids, mut rule_times) = (Vec::new(), Vec::new(), Vec::new());
    for (v, id) in verdicts.iter().zip(&ids) {
        if let Some(id) = id {
            for rule in &v.rule_ids {
                rule_verdicts.push(*id);
                rule_ids.push(*rule);
                rule_times.push(v.time_ms);
            }
        }
    }
    if !rule_ids.is_empty() {
        let insert_rules = tx.prepare_cached(INSERT_RULES).await?;
        tx.execute(&insert_rules, &[&rule_verdicts, &rule_ids, &rule_times])
            .await?;
    }
    // The console's counts of the verdicts stored, committed with them.
    let mut rollups = crate::store::rollup::RollupBatch::default();
    for (v, id) in verdicts.iter().zip(&ids) {
        if id.is_some() {
            rollups.add(*node, v);
        }
    }
    rollup::write(tx, rollups).await?;
    Ok(ids.iter().map(Option::is_some).collect())
}

/// One pruning step: the oldest verdicts past the age limit (and as many counter rows and
/// counter record ids), else the oldest verdicts (by arrival) beyond the row limit, at most
/// `chunk`; their rules go by `ON DELETE CASCADE`. Only one collector
/// prunes at a time: when another holds [`PRUNE_LOCK`] this one returns 0 (nothing to do now).
async fn prune_chunk(pool: &Pool, retention: Retention, chunk: usize) -> Result<usize, StoreError> {
    let chunk = i64::try_from(chunk).unwrap_or(i64::MAX);
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let locked: bool = tx
        .query_one("SELECT pg_try_advisory_xact_lock($1)", &[&PRUNE_LOCK])
        .await?
        .try_get(0)?;
    if !locked {
        return Ok(0);
    }
    let mut deleted = 0;
    if let Some(min_time) = retention.min_time_ms {
        deleted = tx
            .execute(
                "DELETE FROM verdicts WHERE id IN \
                 (SELECT id FROM verdicts WHERE time_ms < $1 ORDER BY time_ms LIMIT $2)",
                &[&min_time, &chunk],
            )
            .await?;
        // Counters age out with the verdicts (the row limit is the verdicts' only).
        deleted += counters::prune(&tx, min_time, chunk).await?;
    }
    if deleted == 0 {
        if let Some(max_rows) = retention.max_rows {
            let rows: i64 = tx
                .query_one("SELECT count(*) FROM verdicts", &[])
                .await?
                .try_get(0)?;
            let excess = rows.saturating_sub(i64::try_from(max_rows).unwrap_or(i64::MAX));
            if excess > 0 {
                deleted = tx
                    .execute(
                        "DELETE FROM verdicts WHERE id IN \
                         (SELECT id FROM verdicts ORDER BY id LIMIT $1)",
                        &[&excess.min(chunk)],
                    )
                    .await?;
            }
        }
    }
    // Once the verdicts are done, the rollup buckets past the age limit (not counted in what
    // is returned, which is verdicts; see `store::rollup`).
    if deleted == 0 {
        if let Some(min_time) = retention.min_time_ms {
            rollup::prune(&tx, min_time).await?;
        }
    }
    tx.commit().await?;
    Ok(usize::try_from(deleted).unwrap_or(usize::MAX))
}

/// The node whose token hashes to `token_hash`, revoked or not.
async fn node_by_token_hash(pool: &Pool, token_hash: &str) -> Result<Option<NodeAuth>, StoreError> {
    let client = pool.get().await?;
    let stmt = client
        .prepare_cached("SELECT id, revoked_ms IS NOT NULL FROM nodes WHERE token_hash = $1")
        .await?;
    match client.query_opt(&stmt, &[&token_hash]).await? {
        Some(row) => Ok(Some(NodeAuth {
            id: row.try_get(0)?,
            revoked: row.try_get(1)?,
        })),
        None => Ok(None),
    }
}

/// See [`PgStore::add_node`].
async fn add_node(
    pool: &Pool,
    name: &str,
    group: Option<&str>,
    token_hash: &str,
) -> Result<bool, StoreError> {
    let client = pool.get().await?;
    let inserted = client
        .execute(
            "INSERT INTO nodes (name, grp, token_hash, created_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO NOTHING",
            &[&name, &group, &token_hash, &now_ms()],
        )
        .await?;
    Ok(inserted > 0)
}

/// See [`PgStore::revoke_node`].
async fn revoke_node(pool: &Pool, name: &str) -> Result<bool, StoreError> {
    let client = pool.get().await?;
    let updated = client
        .execute(
            "UPDATE nodes SET revoked_ms = COALESCE(revoked_ms, $1) WHERE name = $2",
            &[&now_ms(), &name],
        )
        .await?;
    Ok(updated > 0)
}

/// See [`PgStore::list_nodes`]. `COLLATE "C"`: the same byte order as SQLite, whatever the
/// database's locale.
async fn list_nodes(pool: &Pool) -> Result<Vec<NodeInfo>, StoreError> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT name, grp, created_ms, last_seen_ms, revoked_ms FROM nodes \
             ORDER BY grp IS NOT NULL, grp COLLATE \"C\", name COLLATE \"C\"",
            &[],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(NodeInfo {
                name: r.try_get(0)?,
                group: r.try_get(1)?,
                created_ms: r.try_get(2)?,
                last_seen_ms: r.try_get(3)?,
                revoked_ms: r.try_get(4)?,
            })
        })
        .collect()
}
