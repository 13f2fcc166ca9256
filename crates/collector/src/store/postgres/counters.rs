//! The SQL of counter records on PostgreSQL (`store::counters` is SQLite's, with the same
//! semantics): adding one record, pruning, and reading the sums back.
//!
//! Several collectors add records at once, so:
//! - A record's id is claimed with `INSERT … ON CONFLICT DO NOTHING` in the record's
//!   transaction. A second collector adding the same id (the filter re-sent it after a timeout,
//!   round robin took it elsewhere) waits for the first transaction: committed, it finds the id
//!   and answers duplicate; rolled back, it claims the id itself. Counted once either way.
//! - Every record's transaction takes its row locks in one order: its worker's row, its node's
//!   row, its id, then its counter rows in key order (one statement over sorted arrays), so two
//!   records adding into the same rows wait for each other instead of deadlocking.
//! - Sums are cast back to BIGINT (`sum` of BIGINT is NUMERIC in PostgreSQL); keys are ordered
//!   with `COLLATE "C"`: SQLite's byte order whatever the database's locale.

use std::collections::BTreeMap;

use deadpool_postgres::{Pool, Transaction};

use super::pg_text;
use crate::store::counters::CounterTotals;
use crate::store::counters::{CounterIngest, CounterResult};
use crate::store::StoreError;

/// The worker's facts as of its latest record.
const UPSERT_WORKER: &str = "INSERT INTO node_workers \
    (node, worker, version, ruleset_fingerprint, rule_count, workers, flush_interval_ms, last_seen_ms) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
    ON CONFLICT (node, worker) DO UPDATE SET version = EXCLUDED.version, \
    ruleset_fingerprint = EXCLUDED.ruleset_fingerprint, rule_count = EXCLUDED.rule_count, \
    workers = EXCLUDED.workers, flush_interval_ms = EXCLUDED.flush_interval_ms, \
    last_seen_ms = EXCLUDED.last_seen_ms";

/// The node's last-seen time (no row for node 0, unauthenticated ingest).
const TOUCH_NODE: &str = "UPDATE nodes SET last_seen_ms = $1 WHERE id = $2";

/// Claims the record's id; no row comes back when it was already added.
const CLAIM_RECORD: &str = "INSERT INTO counter_records (record_id, time_ms) VALUES ($1, $2) \
    ON CONFLICT (record_id) DO NOTHING RETURNING 1";

/// Adds every entry's counts into its minute's row (created at zero), in array order.
const ADD_COUNTS: &str = "INSERT INTO counters \
    (node, minute_ms, host, application_id, mode, requests, blocked, monitored, passed, \
     rate_limited, allowed, denied, body_limit_rejects, verdicts_dropped) \
    SELECT $1, $2, k.* FROM UNNEST($3::TEXT[], $4::TEXT[], $5::TEXT[], $6::BIGINT[], \
     $7::BIGINT[], $8::BIGINT[], $9::BIGINT[], $10::BIGINT[], $11::BIGINT[], $12::BIGINT[], \
     $13::BIGINT[], $14::BIGINT[]) AS k \
    ON CONFLICT (minute_ms, node, host, application_id, mode) DO UPDATE SET \
    requests = counters.requests + EXCLUDED.requests, blocked = counters.blocked + EXCLUDED.blocked, \
    monitored = counters.monitored + EXCLUDED.monitored, passed = counters.passed + EXCLUDED.passed, \
    rate_limited = counters.rate_limited + EXCLUDED.rate_limited, \
    allowed = counters.allowed + EXCLUDED.allowed, denied = counters.denied + EXCLUDED.denied, \
    body_limit_rejects = counters.body_limit_rejects + EXCLUDED.body_limit_rejects, \
    verdicts_dropped = counters.verdicts_dropped + EXCLUDED.verdicts_dropped";

/// Adds one record sent by `node` (0: unauthenticated) in one transaction: its id, its counts,
/// the worker's facts and the node's last-seen time (the last two also for a duplicate: the
/// worker is alive).
pub(super) async fn add_record(
    pool: &Pool,
    node: i64,
    ingest: &CounterIngest,
    now_ms: i64,
) -> Result<CounterResult, StoreError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let result = add_in(&tx, node, ingest, now_ms).await?;
    tx.commit().await?;
    Ok(result)
}

async fn add_in(
    tx: &Transaction<'_>,
    node: i64,
    ingest: &CounterIngest,
    now_ms: i64,
) -> Result<CounterResult, StoreError> {
    let record = &ingest.record;
    let facts = &record.node;
    let upsert = tx.prepare_cached(UPSERT_WORKER).await?;
    tx.execute(
        &upsert,
        &[
            &node,
            &pg_text(&record.worker),
            &pg_text(&facts.version),
            &pg_text(&facts.ruleset_fingerprint),
            &clamp(facts.rule_count),
            &facts.workers.map(clamp),
            &clamp(facts.flush_interval_ms),
            &now_ms,
        ],
    )
    .await?;
    let touch = tx.prepare_cached(TOUCH_NODE).await?;
    tx.execute(&touch, &[&now_ms, &node]).await?;
    let claim = tx.prepare_cached(CLAIM_RECORD).await?;
    let claimed = tx
        .query_opt(&claim, &[&pg_text(&record.record_id), &ingest.time_ms])
        .await?;
    if claimed.is_none() {
        return Ok(CounterResult::Duplicate);
    }
    if record.counters.is_empty() {
        return Ok(CounterResult::Accepted);
    }

    // Keys in order (the lock order), each once: the record's keys are distinct, but two that
    // differ only by a NUL and a U+FFFD are one key once stored (see `pg_text`); add them up.
    let mut rows: BTreeMap<(String, String, &str), [i64; 9]> = BTreeMap::new();
    for e in &record.counters {
        let key = (
            pg_text(&e.host).into_owned(),
            pg_text(&e.application_id).into_owned(),
            e.mode.name(),
        );
        let sums = rows.entry(key).or_insert([0; 9]);
        for (sum, v) in sums.iter_mut().zip(e.counts.values()) {
            *sum = sum.saturating_add(clamp(v));
        }
    }
    let (mut hosts, mut apps, mut modes) = (Vec::new(), Vec::new(), Vec::new());
    let mut counts: [Vec<i64>; 9] = Default::default();
    for ((host, app, mode), sums) in rows {
        hosts.push(host);
        apps.push(app);
        modes.push(mode);
        for (column, v) in counts.iter_mut().zip(sums) {
            column.push(v);
        }
    }
    let [requests, blocked, monitored, passed, rate_limited, allowed, denied, body_limit, dropped] =
        &counts;
    let add = tx.prepare_cached(ADD_COUNTS).await?;
    tx.execute(
        &add,
        &[
            &node,
            &ingest.minute_ms,
            &hosts,
            &apps,
            &modes,
            requests,
            blocked,
            monitored,
            passed,
            rate_limited,
            allowed,
            denied,
            body_limit,
            dropped,
        ],
    )
    .await?;
    Ok(CounterResult::Accepted)
}

/// Deletes at most `chunk` counter rows and at most `chunk` remembered record ids older than
/// `min_time_ms` (a row by the start of its minute), in `tx`; returns how many rows went.
pub(super) async fn prune(
    tx: &Transaction<'_>,
    min_time_ms: i64,
    chunk: i64,
) -> Result<u64, StoreError> {
    let rows = tx
        .execute(
            "DELETE FROM counters WHERE (minute_ms, node, host, application_id, mode) IN \
             (SELECT minute_ms, node, host, application_id, mode FROM counters \
              WHERE minute_ms < $1 ORDER BY minute_ms LIMIT $2)",
            &[&min_time_ms, &chunk],
        )
        .await?;
    let ids = tx
        .execute(
            "DELETE FROM counter_records WHERE record_id IN \
             (SELECT record_id FROM counter_records WHERE time_ms < $1 LIMIT $2)",
            &[&min_time_ms, &chunk],
        )
        .await?;
    Ok(rows + ids)
}

/// Every key's counts since `since_ms` (minute start), summed over minutes and nodes, ordered
/// by key (byte order).
pub(super) async fn totals(pool: &Pool, since_ms: i64) -> Result<Vec<CounterTotals>, StoreError> {
    let client = pool.get().await?;
    let stmt = client
        .prepare_cached(
            "SELECT host, application_id, mode, sum(requests)::BIGINT, sum(blocked)::BIGINT, \
             sum(monitored)::BIGINT, sum(passed)::BIGINT, sum(rate_limited)::BIGINT, \
             sum(allowed)::BIGINT, sum(denied)::BIGINT, sum(body_limit_rejects)::BIGINT, \
             sum(verdicts_dropped)::BIGINT \
             FROM counters WHERE minute_ms >= $1 GROUP BY host, application_id, mode \
             ORDER BY host COLLATE \"C\", application_id COLLATE \"C\", mode COLLATE \"C\"",
        )
        .await?;
    let rows = client.query(&stmt, &[&since_ms]).await?;
    rows.iter()
        .map(|r| {
            let mut counts = [0i64; 9];
            for (i, c) in counts.iter_mut().enumerate() {
                *c = r.try_get(i + 3)?;
            }
            Ok(CounterTotals {
                host: r.try_get(0)?,
                application_id: r.try_get(1)?,
                mode: r.try_get(2)?,
                counts,
            })
        })
        .collect()
}

/// Counts are validated to fit an i64; clamp anyway rather than wrap.
fn clamp(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}
