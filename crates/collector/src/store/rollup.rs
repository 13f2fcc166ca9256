//! SQLite rollups for the console (schema version 5): counts kept per time bucket so that the
//! summary and the timeline read a few thousand rows whatever the number of verdicts.
//!
//! - `verdict_rollup`: verdicts counted per (facet, level, span, bucket, value, node, host,
//!   application, action), for the spans of [`SPANS`] (minute, hour, UTC day). Facet `''` counts
//!   the verdicts themselves; the others are the facets of [`Facets`] (rule, attack type, CVE,
//!   source IP, path). Maintained by [`RollupBatch`] in the writer's batch transaction, so a
//!   verdict and its counts are committed together.
//! - Levels ([`Level`]): a top list over a long window reads every (value × dimensions) row of
//!   its buckets, and the dimensions multiply the rows (3 nodes × 2 hosts × 3 applications × 2
//!   actions = 36 rows per value and bucket in the benchmark). So each facet other than `''` is
//!   also kept summed over all dimensions (level 0, what the unfiltered dashboard reads) and per
//!   node only (level 1, for the node and group filters); level 2 has every dimension, for the
//!   other filters. Facet `''` is kept at level 2 only: it is read grouped by its dimensions.
//!   Levels 0 and 1 have no minute buckets: minutes are only read at the two ends of a window
//!   (less than two hours of them), where level 2 is small enough for every filter.
//!   Blank dimensions of levels 0 and 1 are `0` / `''`.
//! - `rule_messages`: the latest non-empty `msg` seen for each rule id (for "top rules").
//! - `counter_rollup`: the `counters` table (already per minute) summed per hour and per day.
//!   Maintained by triggers on `counters`, so it stays the sum of `counters` whichever code
//!   writes them: an insert adds the row, an update (an upsert's) adds the new values and takes
//!   the old ones away, a delete (pruning) takes the row away. Write counters with
//!   `INSERT … ON CONFLICT DO UPDATE`, not `INSERT OR REPLACE`: SQLite runs no delete trigger
//!   for the row a REPLACE removes (unless `recursive_triggers` is on), so it would count twice.
//!
//! Dimensions never hold NULL: no node is `0` (`--insecure-no-auth`), no host or application `''`.
//! Verdict rollups are pruned by age only ([`prune`]): the row-count retention of verdicts does
//! not reach them, so the summary still counts attacks whose records were pruned for space.
//! `counter_rollup` follows `counters` (whatever prunes the counters prunes it).
//! On upgrade, [`SCHEMA_V5`] creates the tables and fills `counter_rollup`, and [`backfill`]
//! then counts the verdicts already stored through the same [`RollupBatch`] as ingest (each
//! record read back with `record::parse_line`), so there is one definition of what is counted.

use std::collections::HashMap;

use rusqlite::{params, Transaction};

use crate::record::Verdict;
use crate::stats::window::{floor_to, MINUTE_MS, SPANS};
use crate::stats::{facet, Facets};

/// Version 5: the rollup tables, the triggers that keep `counter_rollup`, and its backfill
/// (the verdicts' is [`backfill`]).
pub(crate) const SCHEMA_V5: &str = "
CREATE TABLE verdict_rollup (
    facet          TEXT    NOT NULL,  -- '' (the verdict), rule, attack, cve, ip, path
    level          INTEGER NOT NULL,  -- 0: summed over all dimensions, 1: per node, 2: every dimension
    span           INTEGER NOT NULL,  -- bucket width, ms: 60000, 3600000 or 86400000
    bucket_ms      INTEGER NOT NULL,  -- start of the bucket (a multiple of span), UTC ms
    value          TEXT    NOT NULL,  -- '' for the verdict facet
    node           INTEGER NOT NULL,  -- nodes.id, 0 = none
    host           TEXT    NOT NULL,  -- the request's host, '' = none
    application_id TEXT    NOT NULL,  -- '' = none
    action         TEXT    NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (facet, level, span, bucket_ms, value, node, host, application_id, action)
) WITHOUT ROWID;

CREATE TABLE rule_messages (
    rule_id INTEGER PRIMARY KEY,
    msg     TEXT    NOT NULL
);

CREATE TABLE counter_rollup (
    span               INTEGER NOT NULL,  -- 3600000 or 86400000 (minutes are `counters` itself)
    bucket_ms          INTEGER NOT NULL,
    node               INTEGER NOT NULL,
    host               TEXT    NOT NULL,
    application_id     TEXT    NOT NULL,
    mode               TEXT    NOT NULL,
    requests           INTEGER NOT NULL DEFAULT 0,
    blocked            INTEGER NOT NULL DEFAULT 0,
    monitored          INTEGER NOT NULL DEFAULT 0,
    passed             INTEGER NOT NULL DEFAULT 0,
    rate_limited       INTEGER NOT NULL DEFAULT 0,
    allowed            INTEGER NOT NULL DEFAULT 0,
    denied             INTEGER NOT NULL DEFAULT 0,
    body_limit_rejects INTEGER NOT NULL DEFAULT 0,
    verdicts_dropped   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (span, bucket_ms, node, host, application_id, mode)
) WITHOUT ROWID;

CREATE TRIGGER counters_rollup_insert AFTER INSERT ON counters BEGIN
    INSERT INTO counter_rollup (span, bucket_ms, node, host, application_id, mode, requests,
        blocked, monitored, passed, rate_limited, allowed, denied, body_limit_rejects, verdicts_dropped)
    SELECT s.span, NEW.minute_ms - ((NEW.minute_ms % s.span) + s.span) % s.span, NEW.node, NEW.host,
        NEW.application_id, NEW.mode, NEW.requests, NEW.blocked, NEW.monitored, NEW.passed,
        NEW.rate_limited, NEW.allowed, NEW.denied, NEW.body_limit_rejects, NEW.verdicts_dropped
    FROM (SELECT 3600000 AS span UNION ALL SELECT 86400000) AS s WHERE true
    ON CONFLICT (span, bucket_ms, node, host, application_id, mode) DO UPDATE SET
        requests = requests + excluded.requests, blocked = blocked + excluded.blocked,
        monitored = monitored + excluded.monitored, passed = passed + excluded.passed,
        rate_limited = rate_limited + excluded.rate_limited, allowed = allowed + excluded.allowed,
        denied = denied + excluded.denied,
        body_limit_rejects = body_limit_rejects + excluded.body_limit_rejects,
        verdicts_dropped = verdicts_dropped + excluded.verdicts_dropped;
END;

CREATE TRIGGER counters_rollup_update AFTER UPDATE ON counters BEGIN
    INSERT INTO counter_rollup (span, bucket_ms, node, host, application_id, mode, requests,
        blocked, monitored, passed, rate_limited, allowed, denied, body_limit_rejects, verdicts_dropped)
    SELECT s.span, NEW.minute_ms - ((NEW.minute_ms % s.span) + s.span) % s.span, NEW.node, NEW.host,
        NEW.application_id, NEW.mode, NEW.requests, NEW.blocked, NEW.monitored, NEW.passed,
        NEW.rate_limited, NEW.allowed, NEW.denied, NEW.body_limit_rejects, NEW.verdicts_dropped
    FROM (SELECT 3600000 AS span UNION ALL SELECT 86400000) AS s WHERE true
    ON CONFLICT (span, bucket_ms, node, host, application_id, mode) DO UPDATE SET
        requests = requests + excluded.requests, blocked = blocked + excluded.blocked,
        monitored = monitored + excluded.monitored, passed = passed + excluded.passed,
        rate_limited = rate_limited + excluded.rate_limited, allowed = allowed + excluded.allowed,
        denied = denied + excluded.denied,
        body_limit_rejects = body_limit_rejects + excluded.body_limit_rejects,
        verdicts_dropped = verdicts_dropped + excluded.verdicts_dropped;
    UPDATE counter_rollup SET
        requests = requests - OLD.requests, blocked = blocked - OLD.blocked,
        monitored = monitored - OLD.monitored, passed = passed - OLD.passed,
        rate_limited = rate_limited - OLD.rate_limited, allowed = allowed - OLD.allowed,
        denied = denied - OLD.denied, body_limit_rejects = body_limit_rejects - OLD.body_limit_rejects,
        verdicts_dropped = verdicts_dropped - OLD.verdicts_dropped
    WHERE span IN (3600000, 86400000)
      AND bucket_ms = OLD.minute_ms - ((OLD.minute_ms % span) + span) % span
      AND node = OLD.node AND host = OLD.host AND application_id = OLD.application_id
      AND mode = OLD.mode;
END;

CREATE TRIGGER counters_rollup_delete AFTER DELETE ON counters BEGIN
    UPDATE counter_rollup SET
        requests = requests - OLD.requests, blocked = blocked - OLD.blocked,
        monitored = monitored - OLD.monitored, passed = passed - OLD.passed,
        rate_limited = rate_limited - OLD.rate_limited, allowed = allowed - OLD.allowed,
        denied = denied - OLD.denied, body_limit_rejects = body_limit_rejects - OLD.body_limit_rejects,
        verdicts_dropped = verdicts_dropped - OLD.verdicts_dropped
    WHERE span IN (3600000, 86400000)
      AND bucket_ms = OLD.minute_ms - ((OLD.minute_ms % span) + span) % span
      AND node = OLD.node AND host = OLD.host AND application_id = OLD.application_id
      AND mode = OLD.mode;
END;

INSERT INTO counter_rollup (span, bucket_ms, node, host, application_id, mode, requests, blocked,
    monitored, passed, rate_limited, allowed, denied, body_limit_rejects, verdicts_dropped)
SELECT s.span, c.minute_ms - ((c.minute_ms % s.span) + s.span) % s.span, c.node, c.host,
    c.application_id, c.mode, sum(c.requests), sum(c.blocked), sum(c.monitored), sum(c.passed),
    sum(c.rate_limited), sum(c.allowed), sum(c.denied), sum(c.body_limit_rejects),
    sum(c.verdicts_dropped)
FROM counters AS c, (SELECT 3600000 AS span UNION ALL SELECT 86400000) AS s
GROUP BY 1, 2, 3, 4, 5, 6;
";

/// Adds `n` to one `verdict_rollup` row.
const UPSERT_VERDICT_ROLLUP: &str = "INSERT INTO verdict_rollup \
    (facet, level, span, bucket_ms, value, node, host, application_id, action, n) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
    ON CONFLICT (facet, level, span, bucket_ms, value, node, host, application_id, action) \
    DO UPDATE SET n = n + excluded.n";

/// The levels of `verdict_rollup`: which dimensions a row keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Level {
    /// Summed over every dimension (node 0, host, application and action `''`).
    All = 0,
    /// Per node (host, application and action `''`).
    Node = 1,
    /// Every dimension.
    Full = 2,
}

impl Level {
    /// The level that answers `filters` with the fewest rows.
    pub(crate) fn for_filters(f: &crate::stats::model::Filters) -> Level {
        if f.application_id.is_some() || f.host.is_some() || f.action.is_some() {
            Level::Full
        } else if f.node.is_some() || f.group.is_some() {
            Level::Node
        } else {
            Level::All
        }
    }
}

/// Keeps the latest non-empty message of a rule.
const UPSERT_RULE_MESSAGE: &str = "INSERT INTO rule_messages (rule_id, msg) VALUES (?1, ?2) \
    ON CONFLICT (rule_id) DO UPDATE SET msg = excluded.msg WHERE msg <> excluded.msg";

/// One `verdict_rollup` key: (facet, level, span, bucket, value, node, host, application, action).
pub(crate) type Key = (
    &'static str,
    Level,
    i64,
    i64,
    String,
    i64,
    String,
    String,
    &'static str,
);

/// The rollup counts of one batch, summed in memory and written once per distinct key before
/// the batch commits (a batch of attacks from one source in one minute is a few rows, not
/// thousands of upserts).
#[derive(Default)]
pub(crate) struct RollupBatch {
    counts: HashMap<Key, i64>,
    messages: Vec<(i64, String)>,
}

impl RollupBatch {
    /// Counts `verdict`, stored for `node`, in every span.
    pub(crate) fn add(&mut self, node: Option<i64>, verdict: &Verdict) {
        let Facets {
            path,
            attack_types,
            cves,
            rules,
        } = &verdict.facets;
        let node = node.unwrap_or(0);
        let host = verdict.host.clone().unwrap_or_default();
        let app = verdict.application_id.clone().unwrap_or_default();
        let action = verdict.action.name();
        let mut count = |facet: &'static str, value: &str| {
            for span in SPANS {
                let bucket = floor_to(verdict.time_ms, span);
                let full = (
                    facet,
                    Level::Full,
                    span,
                    bucket,
                    value.to_owned(),
                    node,
                    host.clone(),
                    app.clone(),
                    action,
                );
                *self.counts.entry(full).or_insert(0) += 1;
                // Minute buckets are only read at the ends of a window (under two hours of
                // them): level 2 answers those for every filter, without the extra rows.
                if facet == facet::VERDICT || span == MINUTE_MS {
                    continue;
                }
                let blank = String::new;
                let per_node = (
                    facet,
                    Level::Node,
                    span,
                    bucket,
                    value.to_owned(),
                    node,
                    blank(),
                    blank(),
                    "",
                );
                *self.counts.entry(per_node).or_insert(0) += 1;
                let all = (
                    facet,
                    Level::All,
                    span,
                    bucket,
                    value.to_owned(),
                    0,
                    blank(),
                    blank(),
                    "",
                );
                *self.counts.entry(all).or_insert(0) += 1;
            }
        };
        count(facet::VERDICT, "");
        if let Some(ip) = &verdict.source_ip {
            count(facet::SOURCE_IP, ip);
        }
        if let Some(path) = path {
            count(facet::PATH, path);
        }
        for attack in attack_types {
            count(facet::ATTACK, attack);
        }
        for cve in cves {
            count(facet::CVE, cve);
        }
        for (rule_id, msg) in rules {
            count(facet::RULE, &rule_id.to_string());
            if !msg.is_empty() {
                self.messages.push((*rule_id, msg.clone()));
            }
        }
    }

    /// The counts by key and the rule messages in the order seen, for a backend that writes
    /// them with its own statements (PostgreSQL: `store::postgres::rollup`).
    pub(crate) fn into_parts(self) -> (HashMap<Key, i64>, Vec<(i64, String)>) {
        (self.counts, self.messages)
    }

    /// Writes the counts into `tx` (the batch's transaction).
    pub(crate) fn write(self, tx: &Transaction<'_>) -> Result<(), rusqlite::Error> {
        let mut upsert = tx.prepare_cached(UPSERT_VERDICT_ROLLUP)?;
        for ((facet, level, span, bucket, value, node, host, app, action), n) in &self.counts {
            upsert.execute(params![
                facet,
                *level as i64,
                span,
                bucket,
                value,
                node,
                host,
                app,
                action,
                n
            ])?;
        }
        let mut message = tx.prepare_cached(UPSERT_RULE_MESSAGE)?;
        for (rule_id, msg) in &self.messages {
            message.execute(params![rule_id, msg])?;
        }
        Ok(())
    }
}

/// Verdicts read back per step of [`backfill`] (bounds its memory: one batch's counts).
const BACKFILL_CHUNK: i64 = 20_000;

/// Counts every stored verdict into the (empty) verdict rollups, in `tx` (the migration's).
/// Returns how many records could not be read back (left out of the counts; the collector
/// validated them when they arrived, so this is 0 unless the file was edited by hand).
pub(crate) fn backfill(tx: &Transaction<'_>) -> Result<u64, rusqlite::Error> {
    let mut after = 0i64;
    let mut unreadable = 0u64;
    loop {
        let rows: Vec<(i64, Option<i64>, String)> = tx
            .prepare_cached(
                "SELECT id, node, record FROM verdicts WHERE id > ?1 ORDER BY id LIMIT ?2",
            )?
            .query_map(params![after, BACKFILL_CHUNK], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        let Some((last, _, _)) = rows.last() else {
            return Ok(unreadable);
        };
        after = *last;
        let mut batch = RollupBatch::default();
        for (_, node, record) in &rows {
            match crate::record::parse_line(record.as_bytes(), usize::MAX) {
                Ok(verdict) => batch.add(*node, &verdict),
                Err(_) => unreadable += 1,
            }
        }
        batch.write(tx)?;
    }
}

/// Deletes the rollup buckets that end at or before `min_time_ms` (the age retention).
pub(crate) fn prune(tx: &Transaction<'_>, min_time_ms: i64) -> Result<usize, rusqlite::Error> {
    let mut deleted = 0;
    let facets = [
        facet::VERDICT,
        facet::RULE,
        facet::ATTACK,
        facet::CVE,
        facet::SOURCE_IP,
        facet::PATH,
    ];
    for span in SPANS {
        let before = min_time_ms - span;
        for facet in facets {
            for level in [Level::All, Level::Node, Level::Full] {
                deleted += tx
                    .prepare_cached(
                        "DELETE FROM verdict_rollup \
                         WHERE facet = ?1 AND level = ?2 AND span = ?3 AND bucket_ms <= ?4",
                    )?
                    .execute(params![facet, level as i64, span, before])?;
            }
        }
        // `counter_rollup` follows `counters` through its triggers (the counters' own pruning
        // takes their rows away); what is left past the age limit is rows summed to zero.
        if span != MINUTE_MS {
            deleted += tx
                .prepare_cached(
                    "DELETE FROM counter_rollup WHERE span = ?1 AND bucket_ms <= ?2 \
                     AND requests = 0 AND blocked = 0 AND monitored = 0 AND passed = 0 \
                     AND rate_limited = 0 AND allowed = 0 AND denied = 0 \
                     AND body_limit_rejects = 0 AND verdicts_dropped = 0",
                )?
                .execute(params![span, before])?;
        }
    }
    Ok(deleted)
}
