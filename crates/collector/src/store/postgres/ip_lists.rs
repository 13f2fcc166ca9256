//! The console's IP lists on PostgreSQL (`ip_entries`, schema v4), with the semantics of
//! the IP-list handlers (`ip_lists.rs`) and the same statements as SQLite's `store::ip_lists`.
//!
//! Several collectors change the lists at once, so every change takes [`IP_LIST_LOCK`] (an
//! advisory lock held until its transaction ends): "update the entry with the same list,
//! network and group, else insert" and "at most `MAX_ENTRIES`" are read-then-write and would
//! otherwise let two replicas store the same entry twice, or one entry too many. Changes are
//! an operator's clicks, so serialising them costs nothing; node polls only read.

use deadpool_postgres::{Pool, Transaction};
use portcullis_wire::ip_list::{ListKind, MAX_ENTRIES};
use tokio_postgres::Row;

use super::pg_text;
use crate::store::ip_lists::{IpEntry, NewEntry, KEEP_EXPIRED_MS};
use crate::store::StoreError;

/// Key of the advisory lock that serialises changes to the IP lists across collectors (next
/// to the migration and prune locks).
const IP_LIST_LOCK: i64 = super::schema::MIGRATION_LOCK + 2;

const COLUMNS: &str = "id, list, cidr, note, grp, created_ms, expires_ms";

fn entry(row: &Row) -> Result<IpEntry, StoreError> {
    let list: String = row.try_get(1)?;
    Ok(IpEntry {
        id: row.try_get(0)?,
        // The CHECK constraint allows only these two.
        list: ListKind::from_name(&list).unwrap_or(ListKind::Block),
        cidr: row.try_get(2)?,
        note: row.try_get(3)?,
        group: row.try_get(4)?,
        created_ms: row.try_get(5)?,
        expires_ms: row.try_get(6)?,
    })
}

/// Every stored entry, oldest first.
pub(super) async fn all(pool: &Pool) -> Result<Vec<IpEntry>, StoreError> {
    let client = pool.get().await?;
    let stmt = client
        .prepare_cached(&format!("SELECT {COLUMNS} FROM ip_entries ORDER BY id"))
        .await?;
    client.query(&stmt, &[]).await?.iter().map(entry).collect()
}

/// Adds `new`, or updates the note and expiry of the entry with the same list, network and
/// group; the stored entry and whether it is new, or `None` (nothing stored) when a new entry
/// would make more than `MAX_ENTRIES`. Deletes entries expired for more than
/// `KEEP_EXPIRED_MS` in the same transaction.
pub(super) async fn add(
    pool: &Pool,
    new: &NewEntry,
    now_ms: i64,
) -> Result<Option<(IpEntry, bool)>, StoreError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&IP_LIST_LOCK])
        .await?;
    prune(&tx, now_ms).await?;
    let note = pg_text(&new.note);
    let group = new.group.as_deref().map(pg_text);
    let existing = tx
        .query_opt(
            "SELECT id FROM ip_entries WHERE list = $1 AND cidr = $2 AND grp IS NOT DISTINCT FROM $3",
            &[&new.list.name(), &new.cidr, &group],
        )
        .await?;
    let (id, created): (i64, bool) = match existing {
        Some(row) => {
            let id = row.try_get(0)?;
            tx.execute(
                "UPDATE ip_entries SET note = $1, expires_ms = $2 WHERE id = $3",
                &[&note, &new.expires_ms, &id],
            )
            .await?;
            (id, false)
        }
        None => {
            let stored: i64 = tx
                .query_one("SELECT count(*) FROM ip_entries", &[])
                .await?
                .try_get(0)?;
            if usize::try_from(stored).unwrap_or(usize::MAX) >= MAX_ENTRIES {
                return Ok(None);
            }
            let row = tx
                .query_one(
                    "INSERT INTO ip_entries (list, cidr, note, grp, created_ms, expires_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    &[
                        &new.list.name(),
                        &new.cidr,
                        &note,
                        &group,
                        &now_ms,
                        &new.expires_ms,
                    ],
                )
                .await?;
            (row.try_get(0)?, true)
        }
    };
    let stored = tx
        .query_one(
            &format!("SELECT {COLUMNS} FROM ip_entries WHERE id = $1"),
            &[&id],
        )
        .await?;
    let stored = entry(&stored)?;
    tx.commit().await?;
    Ok(Some((stored, created)))
}

/// Deletes entry `id`; whether it existed. Prunes long-expired entries too.
pub(super) async fn delete(pool: &Pool, id: i64, now_ms: i64) -> Result<bool, StoreError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&IP_LIST_LOCK])
        .await?;
    let deleted = tx
        .execute("DELETE FROM ip_entries WHERE id = $1", &[&id])
        .await?;
    prune(&tx, now_ms).await?;
    tx.commit().await?;
    Ok(deleted > 0)
}

async fn prune(tx: &Transaction<'_>, now_ms: i64) -> Result<u64, StoreError> {
    Ok(tx
        .execute(
            "DELETE FROM ip_entries WHERE expires_ms <= $1",
            &[&(now_ms - KEEP_EXPIRED_MS)],
        )
        .await?)
}

/// The unexpired entries node `node` enforces: those for every node and those of its group
/// (`None`, an unauthenticated poll under `--insecure-no-auth`: only the former).
pub(super) async fn for_node(
    pool: &Pool,
    node: Option<i64>,
    now_ms: i64,
) -> Result<Vec<(ListKind, String, Option<i64>)>, StoreError> {
    let client = pool.get().await?;
    let stmt = client
        .prepare_cached(
            "SELECT list, cidr, expires_ms FROM ip_entries \
             WHERE (expires_ms IS NULL OR expires_ms > $1) \
               AND (grp IS NULL OR grp = (SELECT grp FROM nodes WHERE id = $2))",
        )
        .await?;
    client
        .query(&stmt, &[&now_ms, &node])
        .await?
        .iter()
        .map(|r| {
            let list: String = r.try_get(0)?;
            Ok((
                ListKind::from_name(&list).unwrap_or(ListKind::Block),
                r.try_get(1)?,
                r.try_get(2)?,
            ))
        })
        .collect()
}

/// Marks node `node` as seen at `now_ms` (it polled its lists); never moves it back (another
/// replica may have seen the node later).
pub(super) async fn touch_node(pool: &Pool, node: i64, now_ms: i64) -> Result<(), StoreError> {
    let client = pool.get().await?;
    let stmt = client
        .prepare_cached(
            "UPDATE nodes SET last_seen_ms = $1 WHERE id = $2 \
             AND (last_seen_ms IS NULL OR last_seen_ms < $1)",
        )
        .await?;
    client.execute(&stmt, &[&now_ms, &node]).await?;
    Ok(())
}
