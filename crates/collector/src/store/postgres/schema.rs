//! The PostgreSQL schema: the same logical versions as SQLite (`store::sqlite`), with BIGINT
//! for integers and identity columns for ids, and their migration at start-up.
//!
//! Invariants:
//! - The version is the one row of `portcullis_schema` (0 when the table is new).
//! - [`migrate`] runs in one transaction that first takes a transaction-scoped advisory lock, so
//!   two collectors starting together migrate once: the second waits, then finds the version
//!   current. A database written by a newer collector is refused, never misread.
//! - A new version is one more `SCHEMA_Vn` constant and one more entry in [`STEPS`], in step with
//!   SQLite's [`SCHEMA_VERSION`].

use deadpool_postgres::Pool;

use crate::store::{StoreError, SCHEMA_VERSION};

/// Key of the advisory lock that serialises migrations across collectors ("portcull" in ASCII).
pub(super) const MIGRATION_LOCK: i64 = 0x706f_7274_6375_6c6c;

/// The version table: one row, created by the first migration under the lock.
const VERSION_TABLE: &str = "
CREATE TABLE IF NOT EXISTS portcullis_schema (
    singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    version   BIGINT  NOT NULL
)";

/// Version 1: verdicts and their rules (see `sqlite::SCHEMA_V1` for the meaning of each column).
const SCHEMA_V1: &str = "
CREATE TABLE verdicts (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- insertion order
    time_ms        BIGINT NOT NULL,
    unique_id      TEXT   NOT NULL,
    action         TEXT   NOT NULL,
    application_id TEXT,
    host           TEXT,
    source_ip      TEXT,
    status         BIGINT,
    anomaly_score  BIGINT,
    record         TEXT   NOT NULL
);
CREATE INDEX verdicts_time        ON verdicts (time_ms);
CREATE INDEX verdicts_action      ON verdicts (action, time_ms);
CREATE INDEX verdicts_application ON verdicts (application_id, time_ms);
CREATE INDEX verdicts_host        ON verdicts (host, time_ms);
CREATE INDEX verdicts_source_ip   ON verdicts (source_ip, time_ms);
CREATE INDEX verdicts_unique_id   ON verdicts (unique_id);

CREATE TABLE verdict_rules (
    verdict_id BIGINT NOT NULL REFERENCES verdicts (id) ON DELETE CASCADE,
    rule_id    BIGINT NOT NULL,
    time_ms    BIGINT NOT NULL,
    PRIMARY KEY (verdict_id, rule_id)
);
CREATE INDEX verdict_rules_rule ON verdict_rules (rule_id, time_ms);
CREATE INDEX verdict_rules_time ON verdict_rules (time_ms, rule_id);
";

/// Version 2: the sender's `record_id`, unique (NULLs are distinct in PostgreSQL too).
const SCHEMA_V2: &str = "
ALTER TABLE verdicts ADD COLUMN record_id TEXT;
CREATE UNIQUE INDEX verdicts_record_id ON verdicts (record_id);
";

/// Version 3: registered nodes and the node of each verdict.
const SCHEMA_V3: &str = "
CREATE TABLE nodes (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         TEXT   NOT NULL UNIQUE,
    grp          TEXT,
    token_hash   TEXT   NOT NULL UNIQUE,
    created_ms   BIGINT NOT NULL,
    revoked_ms   BIGINT,
    last_seen_ms BIGINT
);
ALTER TABLE verdicts ADD COLUMN node BIGINT REFERENCES nodes (id);
CREATE INDEX verdicts_node ON verdicts (node, time_ms);
";

/// Version 4: counters, node workers and IP lists (see `sqlite::SCHEMA_V4`).
const SCHEMA_V4: &str = "
CREATE TABLE counters (
    node               BIGINT NOT NULL,
    minute_ms          BIGINT NOT NULL,
    host               TEXT   NOT NULL,
    application_id     TEXT   NOT NULL,
    mode               TEXT   NOT NULL,
    requests           BIGINT NOT NULL DEFAULT 0,
    blocked            BIGINT NOT NULL DEFAULT 0,
    monitored          BIGINT NOT NULL DEFAULT 0,
    passed             BIGINT NOT NULL DEFAULT 0,
    rate_limited       BIGINT NOT NULL DEFAULT 0,
    allowed            BIGINT NOT NULL DEFAULT 0,
    denied             BIGINT NOT NULL DEFAULT 0,
    body_limit_rejects BIGINT NOT NULL DEFAULT 0,
    verdicts_dropped   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (minute_ms, node, host, application_id, mode)
);

CREATE TABLE counter_records (
    record_id TEXT   PRIMARY KEY,
    time_ms   BIGINT NOT NULL
);

CREATE TABLE node_workers (
    node                BIGINT NOT NULL,
    worker              TEXT   NOT NULL,
    version             TEXT   NOT NULL,
    ruleset_fingerprint TEXT   NOT NULL,
    rule_count          BIGINT NOT NULL,
    workers             BIGINT,
    flush_interval_ms   BIGINT NOT NULL,
    last_seen_ms        BIGINT NOT NULL,
    PRIMARY KEY (node, worker)
);

CREATE TABLE ip_entries (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    list       TEXT   NOT NULL CHECK (list IN ('block', 'allow')),
    cidr       TEXT   NOT NULL,
    note       TEXT   NOT NULL DEFAULT '',
    grp        TEXT,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT
);
CREATE INDEX ip_entries_expiry ON ip_entries (expires_ms);
";

/// Version 5: the console's rollups (see `store::rollup` for what each table holds and why the
/// levels). `counter_rollup` is kept by a trigger on `counters` (one function for insert,
/// update and delete: the old row's counts go out, the new row's come in), so it stays the sum
/// of `counters` whichever statement writes them; it is filled here from the counters already
/// stored, and `verdict_rollup` by `rollup::backfill` after this step.
const SCHEMA_V5: &str = "
CREATE TABLE verdict_rollup (
    facet          TEXT   NOT NULL,
    level          BIGINT NOT NULL,
    span           BIGINT NOT NULL,
    bucket_ms      BIGINT NOT NULL,
    value          TEXT   NOT NULL,
    node           BIGINT NOT NULL,
    host           TEXT   NOT NULL,
    application_id TEXT   NOT NULL,
    action         TEXT   NOT NULL,
    n              BIGINT NOT NULL,
    PRIMARY KEY (facet, level, span, bucket_ms, value, node, host, application_id, action)
);

CREATE TABLE rule_messages (
    rule_id BIGINT PRIMARY KEY,
    msg     TEXT   NOT NULL
);

CREATE TABLE counter_rollup (
    span               BIGINT NOT NULL,
    bucket_ms          BIGINT NOT NULL,
    node               BIGINT NOT NULL,
    host               TEXT   NOT NULL,
    application_id     TEXT   NOT NULL,
    mode               TEXT   NOT NULL,
    requests           BIGINT NOT NULL DEFAULT 0,
    blocked            BIGINT NOT NULL DEFAULT 0,
    monitored          BIGINT NOT NULL DEFAULT 0,
    passed             BIGINT NOT NULL DEFAULT 0,
    rate_limited       BIGINT NOT NULL DEFAULT 0,
    allowed            BIGINT NOT NULL DEFAULT 0,
    denied             BIGINT NOT NULL DEFAULT 0,
    body_limit_rejects BIGINT NOT NULL DEFAULT 0,
    verdicts_dropped   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (span, bucket_ms, node, host, application_id, mode)
);

CREATE FUNCTION portcullis_counter_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE counter_rollup SET
            requests = requests - OLD.requests, blocked = blocked - OLD.blocked,
            monitored = monitored - OLD.monitored, passed = passed - OLD.passed,
            rate_limited = rate_limited - OLD.rate_limited, allowed = allowed - OLD.allowed,
            denied = denied - OLD.denied,
            body_limit_rejects = body_limit_rejects - OLD.body_limit_rejects,
            verdicts_dropped = verdicts_dropped - OLD.verdicts_dropped
        WHERE span IN (3600000, 86400000)
          AND bucket_ms = OLD.minute_ms - ((OLD.minute_ms % span) + span) % span
          AND node = OLD.node AND host = OLD.host AND application_id = OLD.application_id
          AND mode = OLD.mode;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO counter_rollup AS r (span, bucket_ms, node, host, application_id, mode,
            requests, blocked, monitored, passed, rate_limited, allowed, denied,
            body_limit_rejects, verdicts_dropped)
        SELECT s.span, NEW.minute_ms - ((NEW.minute_ms % s.span) + s.span) % s.span, NEW.node,
            NEW.host, NEW.application_id, NEW.mode, NEW.requests, NEW.blocked, NEW.monitored,
            NEW.passed, NEW.rate_limited, NEW.allowed, NEW.denied, NEW.body_limit_rejects,
            NEW.verdicts_dropped
        FROM (VALUES (3600000::BIGINT), (86400000::BIGINT)) AS s (span)
        ON CONFLICT (span, bucket_ms, node, host, application_id, mode) DO UPDATE SET
            requests = r.requests + EXCLUDED.requests, blocked = r.blocked + EXCLUDED.blocked,
            monitored = r.monitored + EXCLUDED.monitored, passed = r.passed + EXCLUDED.passed,
            rate_limited = r.rate_limited + EXCLUDED.rate_limited,
            allowed = r.allowed + EXCLUDED.allowed, denied = r.denied + EXCLUDED.denied,
            body_limit_rejects = r.body_limit_rejects + EXCLUDED.body_limit_rejects,
            verdicts_dropped = r.verdicts_dropped + EXCLUDED.verdicts_dropped;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER counters_rollup AFTER INSERT OR UPDATE OR DELETE ON counters
    FOR EACH ROW EXECUTE FUNCTION portcullis_counter_rollup();

INSERT INTO counter_rollup (span, bucket_ms, node, host, application_id, mode, requests, blocked,
    monitored, passed, rate_limited, allowed, denied, body_limit_rejects, verdicts_dropped)
SELECT s.span, c.minute_ms - ((c.minute_ms % s.span) + s.span) % s.span, c.node, c.host,
    c.application_id, c.mode, sum(c.requests), sum(c.blocked), sum(c.monitored), sum(c.passed),
    sum(c.rate_limited), sum(c.allowed), sum(c.denied), sum(c.body_limit_rejects),
    sum(c.verdicts_dropped)
FROM counters AS c, (VALUES (3600000::BIGINT), (86400000::BIGINT)) AS s (span)
GROUP BY 1, 2, 3, 4, 5, 6;
";

/// Schema steps: `STEPS[i]` brings version `i` to `i + 1`.
const STEPS: [&str; 5] = [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5];

/// Brings the schema to [`SCHEMA_VERSION`] in one transaction, under [`MIGRATION_LOCK`].
pub(super) async fn migrate(pool: &Pool) -> Result<(), StoreError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(VERSION_TABLE).await?;
    let version: i64 = tx
        .query_opt("SELECT version FROM portcullis_schema", &[])
        .await?
        .map_or(Ok(0), |row| row.try_get(0))?;
    match version {
        SCHEMA_VERSION => return Ok(()),
        0..SCHEMA_VERSION => {
            for step in STEPS.iter().skip(usize::try_from(version).unwrap_or(0)) {
                tx.batch_execute(step).await?;
            }
            if version < 5 {
                // The verdicts already stored, into the rollups of version 5.
                let unreadable = super::rollup::backfill(&tx).await?;
                if unreadable > 0 {
                    crate::log::warn(
                        "verdicts left out of the console's counts",
                        &[("records", unreadable.into())],
                    );
                }
            }
            tx.execute(
                "INSERT INTO portcullis_schema (version) VALUES ($1) \
                 ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version",
                &[&SCHEMA_VERSION],
            )
            .await?;
        }
        found if found > SCHEMA_VERSION => {
            return Err(StoreError::SchemaTooNew {
                found,
                supported: SCHEMA_VERSION,
            })
        }
        found => return Err(StoreError::UnknownSchema { found }),
    }
    tx.commit().await?;
    Ok(())
}
