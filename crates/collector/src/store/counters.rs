//! The SQL of counter records (SQLite): adding one record, pruning, and reading the rows back.
//! Plain SQL over a connection or transaction; the writer thread in `sqlite.rs` calls these.

use rusqlite::{params, Connection, Transaction};

use portcullis_wire::counters::CounterRecord;
use serde::Serialize;

/// The node id counts of `--insecure-no-auth` ingest without a node token are stored under.
pub const UNAUTHENTICATED_NODE: i64 = 0;

/// A validated counter record, ready for the store.
#[derive(Debug, Clone)]
pub(crate) struct CounterIngest {
    /// `time` as UTC milliseconds since the epoch.
    pub time_ms: i64,
    /// Start of the UTC minute `time` falls in: the `counters` rows it is added into.
    pub minute_ms: i64,
    /// The record as sent.
    pub record: CounterRecord,
}

/// What the store did with a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum CounterResult {
    /// Its counts were added.
    Accepted,
    /// Its `record_id` was already added; nothing was added again.
    Duplicate,
}

/// Adds a record's counts into its minute's rows (one row per key, created at zero).
const ADD_COUNTS: &str = "INSERT INTO counters \
    (node, minute_ms, host, application_id, mode, requests, blocked, monitored, passed, \
     rate_limited, allowed, denied, body_limit_rejects, verdicts_dropped) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) \
    ON CONFLICT (minute_ms, node, host, application_id, mode) DO UPDATE SET \
    requests = requests + excluded.requests, blocked = blocked + excluded.blocked, \
    monitored = monitored + excluded.monitored, passed = passed + excluded.passed, \
    rate_limited = rate_limited + excluded.rate_limited, allowed = allowed + excluded.allowed, \
    denied = denied + excluded.denied, body_limit_rejects = body_limit_rejects + excluded.body_limit_rejects, \
    verdicts_dropped = verdicts_dropped + excluded.verdicts_dropped";

/// The worker's facts as of its latest record.
const UPSERT_WORKER: &str = "INSERT INTO node_workers \
    (node, worker, version, ruleset_fingerprint, rule_count, workers, flush_interval_ms, last_seen_ms) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
    ON CONFLICT (node, worker) DO UPDATE SET version = excluded.version, \
    ruleset_fingerprint = excluded.ruleset_fingerprint, rule_count = excluded.rule_count, \
    workers = excluded.workers, flush_interval_ms = excluded.flush_interval_ms, \
    last_seen_ms = excluded.last_seen_ms";

/// Adds one record sent by `node` (0: unauthenticated) in `tx`: its id, its counts, the worker's
/// facts and the node's last-seen time (the last two also for a duplicate: the worker is alive).
pub(crate) fn add_record(
    tx: &Transaction<'_>,
    node: i64,
    ingest: &CounterIngest,
    now_ms: i64,
) -> Result<CounterResult, rusqlite::Error> {
    let record = &ingest.record;
    let facts = &record.node;
    tx.prepare_cached(UPSERT_WORKER)?.execute(params![
        node,
        record.worker,
        facts.version,
        facts.ruleset_fingerprint,
        clamp(facts.rule_count),
        facts.workers.map(clamp),
        clamp(facts.flush_interval_ms),
        now_ms,
    ])?;
    tx.prepare_cached("UPDATE nodes SET last_seen_ms = ?1 WHERE id = ?2")?
        .execute(params![now_ms, node])?;
    let new = tx
        .prepare_cached("INSERT INTO counter_records (record_id, time_ms) VALUES (?1, ?2) ON CONFLICT (record_id) DO NOTHING")?
        .execute(params![record.record_id, ingest.time_ms])?;
    if new == 0 {
        return Ok(CounterResult::Duplicate);
    }
    let mut add = tx.prepare_cached(ADD_COUNTS)?;
    for e in &record.counters {
        let [requests, blocked, monitored, passed, rate_limited, allowed, denied, body_limit, dropped] =
            e.counts.values().map(clamp);
        add.execute(params![
            node,
            ingest.minute_ms,
            e.host,
            e.application_id,
            e.mode.name(),
            requests,
            blocked,
            monitored,
            passed,
            rate_limited,
            allowed,
            denied,
            body_limit,
            dropped,
        ])?;
    }
    Ok(CounterResult::Accepted)
}

/// Deletes at most `chunk` counter rows and at most `chunk` remembered record ids older than
/// `min_time_ms` (a row by the start of its minute); returns how many rows went.
pub(crate) fn prune(
    tx: &Transaction<'_>,
    min_time_ms: i64,
    chunk: i64,
) -> Result<usize, rusqlite::Error> {
    let rows = tx.execute(
        "DELETE FROM counters WHERE (minute_ms, node, host, application_id, mode) IN \
         (SELECT minute_ms, node, host, application_id, mode FROM counters WHERE minute_ms < ?1 \
          ORDER BY minute_ms LIMIT ?2)",
        params![min_time_ms, chunk],
    )?;
    let ids = tx.execute(
        "DELETE FROM counter_records WHERE record_id IN \
         (SELECT record_id FROM counter_records WHERE time_ms < ?1 LIMIT ?2)",
        params![min_time_ms, chunk],
    )?;
    Ok(rows + ids)
}

/// One `counters` row, summed over minutes and nodes: what [`totals`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterTotals {
    /// Policy host key.
    pub host: String,
    /// Application id text, `""` for none.
    pub application_id: String,
    /// Policy mode.
    pub mode: String,
    /// The nine counts in `portcullis_wire::counters::COUNT_NAMES` order.
    pub counts: [i64; 9],
}

/// Every key's counts since `since_ms`, summed over minutes and nodes, ordered by key.
pub(crate) fn totals(
    conn: &Connection,
    since_ms: i64,
) -> Result<Vec<CounterTotals>, rusqlite::Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT host, application_id, mode, sum(requests), sum(blocked), sum(monitored), sum(passed), \
         sum(rate_limited), sum(allowed), sum(denied), sum(body_limit_rejects), sum(verdicts_dropped) \
         FROM counters WHERE minute_ms >= ?1 GROUP BY host, application_id, mode ORDER BY host, application_id, mode",
    )?;
    let rows = stmt.query_map(params![since_ms], |r| {
        let mut counts = [0i64; 9];
        for (i, c) in counts.iter_mut().enumerate() {
            *c = r.get(i + 3)?;
        }
        Ok(CounterTotals {
            host: r.get(0)?,
            application_id: r.get(1)?,
            mode: r.get(2)?,
            counts,
        })
    })?;
    rows.collect()
}

/// Counts are validated to fit an i64; clamp anyway rather than wrap.
fn clamp(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}
