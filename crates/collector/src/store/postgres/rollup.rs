//! The console's verdict rollups on PostgreSQL (schema version 5; what they hold:
//! `store::rollup`). Counted by the same [`RollupBatch`] as on SQLite, written here.
//!
//! Several collectors write the same rollup rows (every batch of an hour adds into that hour's
//! rule and attack rows), so a batch writes its rows in key order, in one statement over sorted
//! arrays: concurrent batches wait for each other's rows instead of deadlocking. Keys are
//! merged after `pg_text` (two keys that differ only by a NUL and a U+FFFD are one row).

use std::collections::BTreeMap;

use deadpool_postgres::Transaction;

use super::pg_text;
use crate::stats::facet;
use crate::stats::window::{MINUTE_MS, SPANS};
use crate::store::rollup::{Level, RollupBatch};
use crate::store::StoreError;

/// Adds each row's `n` (one row per key of the arrays, keys distinct).
const UPSERT_VERDICT_ROLLUP: &str = "INSERT INTO verdict_rollup AS r \
    (facet, level, span, bucket_ms, value, node, host, application_id, action, n) \
    SELECT * FROM UNNEST($1::TEXT[], $2::BIGINT[], $3::BIGINT[], $4::BIGINT[], $5::TEXT[], \
     $6::BIGINT[], $7::TEXT[], $8::TEXT[], $9::TEXT[], $10::BIGINT[]) \
    ON CONFLICT (facet, level, span, bucket_ms, value, node, host, application_id, action) \
    DO UPDATE SET n = r.n + EXCLUDED.n";

/// Keeps the latest non-empty message of each rule (one row per rule id of the arrays).
const UPSERT_RULE_MESSAGES: &str = "INSERT INTO rule_messages AS m (rule_id, msg) \
    SELECT * FROM UNNEST($1::BIGINT[], $2::TEXT[]) \
    ON CONFLICT (rule_id) DO UPDATE SET msg = EXCLUDED.msg WHERE m.msg <> EXCLUDED.msg";

/// A rollup key after `pg_text`, in the table's column order (the sort order is the lock order).
type PgKey = (
    &'static str,
    i64,
    i64,
    i64,
    String,
    i64,
    String,
    String,
    &'static str,
);

/// Writes `batch` in `tx` (the verdict batch's transaction).
pub(super) async fn write(tx: &Transaction<'_>, batch: RollupBatch) -> Result<(), StoreError> {
    let (counts, messages) = batch.into_parts();
    let mut rows: BTreeMap<PgKey, i64> = BTreeMap::new();
    for ((facet, level, span, bucket, value, node, host, app, action), n) in counts {
        let key = (
            facet,
            level as i64,
            span,
            bucket,
            pg_text(&value).into_owned(),
            node,
            pg_text(&host).into_owned(),
            pg_text(&app).into_owned(),
            action,
        );
        *rows.entry(key).or_insert(0) += n;
    }
    if !rows.is_empty() {
        let mut facets = Vec::with_capacity(rows.len());
        let (mut levels, mut spans, mut buckets, mut nodes, mut ns) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut values, mut hosts, mut apps, mut actions) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for ((facet, level, span, bucket, value, node, host, app, action), n) in rows {
            facets.push(facet);
            levels.push(level);
            spans.push(span);
            buckets.push(bucket);
            values.push(value);
            nodes.push(node);
            hosts.push(host);
            apps.push(app);
            actions.push(action);
            ns.push(n);
        }
        let upsert = tx.prepare_cached(UPSERT_VERDICT_ROLLUP).await?;
        tx.execute(
            &upsert,
            &[
                &facets, &levels, &spans, &buckets, &values, &nodes, &hosts, &apps, &actions, &ns,
            ],
        )
        .await?;
    }
    // The last message seen of each rule, as SQLite's one-by-one upserts leave it.
    let latest: BTreeMap<i64, String> = messages
        .into_iter()
        .map(|(rule, msg)| (rule, pg_text(&msg).into_owned()))
        .collect();
    if !latest.is_empty() {
        let (rules, msgs): (Vec<i64>, Vec<String>) = latest.into_iter().unzip();
        let upsert = tx.prepare_cached(UPSERT_RULE_MESSAGES).await?;
        tx.execute(&upsert, &[&rules, &msgs]).await?;
    }
    Ok(())
}

/// Verdicts read back per step of [`backfill`] (bounds its memory: one batch's counts).
const BACKFILL_CHUNK: i64 = 20_000;

/// Counts every stored verdict into the (empty) verdict rollups, in `tx` (the migration's),
/// through the same `RollupBatch` as ingest. Returns how many records could not be read back.
pub(super) async fn backfill(tx: &Transaction<'_>) -> Result<u64, StoreError> {
    let mut after = 0i64;
    let mut unreadable = 0u64;
    loop {
        let rows = tx
            .query(
                "SELECT id, node, record FROM verdicts WHERE id > $1 ORDER BY id LIMIT $2",
                &[&after, &BACKFILL_CHUNK],
            )
            .await?;
        let Some(last) = rows.last() else {
            return Ok(unreadable);
        };
        after = last.try_get(0)?;
        let mut batch = RollupBatch::default();
        for row in &rows {
            let node: Option<i64> = row.try_get(1)?;
            let record: String = row.try_get(2)?;
            match crate::record::parse_line(record.as_bytes(), usize::MAX) {
                Ok(verdict) => batch.add(node, &verdict),
                Err(_) => unreadable += 1,
            }
        }
        write(tx, batch).await?;
    }
}

/// Deletes the rollup buckets that end at or before `min_time_ms` (the age retention), and the
/// counter rollup rows there that the counters' own pruning brought to zero.
pub(super) async fn prune(tx: &Transaction<'_>, min_time_ms: i64) -> Result<u64, StoreError> {
    let facets = [
        facet::VERDICT,
        facet::RULE,
        facet::ATTACK,
        facet::CVE,
        facet::SOURCE_IP,
        facet::PATH,
    ];
    let delete = tx
        .prepare_cached(
            "DELETE FROM verdict_rollup \
             WHERE facet = $1 AND level = $2 AND span = $3 AND bucket_ms <= $4",
        )
        .await?;
    let delete_counters = tx
        .prepare_cached(
            "DELETE FROM counter_rollup WHERE span = $1 AND bucket_ms <= $2 \
             AND requests = 0 AND blocked = 0 AND monitored = 0 AND passed = 0 \
             AND rate_limited = 0 AND allowed = 0 AND denied = 0 \
             AND body_limit_rejects = 0 AND verdicts_dropped = 0",
        )
        .await?;
    let mut deleted = 0;
    for span in SPANS {
        let before = min_time_ms - span;
        for facet in facets {
            for level in [Level::All, Level::Node, Level::Full] {
                deleted += tx
                    .execute(&delete, &[&facet, &(level as i64), &span, &before])
                    .await?;
            }
        }
        if span != MINUTE_MS {
            deleted += tx.execute(&delete_counters, &[&span, &before]).await?;
        }
    }
    Ok(deleted)
}
