//! SQLite statements of the console's IP lists (`ip_entries`, schema v4), over a plain
//! connection: the writes run on the writer thread (`SqliteStore::write`), the reads on the read
//! connection. Semantics: the IP-list handlers (`ip_lists.rs`).

use portcullis_wire::ip_list::{ListKind, MAX_ENTRIES};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use super::StoreError;

/// How long an expired entry stays listed in `GET /api/ip-lists` before it is deleted: 24 h.
pub const KEEP_EXPIRED_MS: i64 = 86_400_000;

/// One stored entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IpEntry {
    /// `ip_entries.id`.
    pub id: i64,
    pub list: ListKind,
    /// Canonical `address/prefix`.
    pub cidr: String,
    pub note: String,
    /// `None`: every node.
    pub group: Option<String>,
    pub created_ms: i64,
    /// `None`: until removed.
    pub expires_ms: Option<i64>,
}

/// A validated entry to add (or to update, when list, network and group match a stored one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NewEntry {
    pub list: ListKind,
    pub cidr: String,
    pub note: String,
    pub group: Option<String>,
    pub expires_ms: Option<i64>,
}

const COLUMNS: &str = "id, list, cidr, note, grp, created_ms, expires_ms";

fn entry(row: &Row<'_>) -> rusqlite::Result<IpEntry> {
    let list: String = row.get(1)?;
    Ok(IpEntry {
        id: row.get(0)?,
        // The CHECK constraint allows only these two.
        list: ListKind::from_name(&list).unwrap_or(ListKind::Block),
        cidr: row.get(2)?,
        note: row.get(3)?,
        group: row.get(4)?,
        created_ms: row.get(5)?,
        expires_ms: row.get(6)?,
    })
}

/// Every stored entry, oldest first.
pub(crate) fn all(conn: &Connection) -> rusqlite::Result<Vec<IpEntry>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM ip_entries ORDER BY id"))?;
    let rows = stmt.query_map([], entry)?;
    rows.collect()
}

/// Adds `new`, or updates the note and expiry of the entry with the same list, network and
/// group; returns the stored entry and whether it is new, or `None` (nothing stored) when a new
/// entry would make more than `MAX_ENTRIES`. Deletes entries expired for more than
/// `KEEP_EXPIRED_MS` in the same transaction.
pub(crate) fn add(
    conn: &mut Connection,
    new: &NewEntry,
    now_ms: i64,
) -> rusqlite::Result<Option<(IpEntry, bool)>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    prune(&tx, now_ms)?;
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM ip_entries WHERE list = ?1 AND cidr = ?2 AND grp IS ?3",
            params![new.list.name(), new.cidr, new.group],
            |r| r.get(0),
        )
        .optional()?;
    let (id, created) = match existing {
        Some(id) => {
            tx.execute(
                "UPDATE ip_entries SET note = ?1, expires_ms = ?2 WHERE id = ?3",
                params![new.note, new.expires_ms, id],
            )?;
            (id, false)
        }
        None => {
            let stored: i64 = tx.query_row("SELECT count(*) FROM ip_entries", [], |r| r.get(0))?;
            if usize::try_from(stored).unwrap_or(usize::MAX) >= MAX_ENTRIES {
                return Ok(None);
            }
            tx.execute(
                "INSERT INTO ip_entries (list, cidr, note, grp, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![new.list.name(), new.cidr, new.note, new.group, now_ms, new.expires_ms],
            )?;
            (tx.last_insert_rowid(), true)
        }
    };
    let stored = tx.query_row(
        &format!("SELECT {COLUMNS} FROM ip_entries WHERE id = ?1"),
        params![id],
        entry,
    )?;
    tx.commit()?;
    Ok(Some((stored, created)))
}

/// Deletes entry `id`; whether it existed. Prunes long-expired entries too.
pub(crate) fn delete(conn: &mut Connection, id: i64, now_ms: i64) -> rusqlite::Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let deleted = tx.execute("DELETE FROM ip_entries WHERE id = ?1", params![id])?;
    prune(&tx, now_ms)?;
    tx.commit()?;
    Ok(deleted > 0)
}

fn prune(conn: &Connection, now_ms: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM ip_entries WHERE expires_ms <= ?1",
        params![now_ms - KEEP_EXPIRED_MS],
    )
}

/// The unexpired entries node `node` enforces: those for every node and those of its group
/// (`None`, an unauthenticated poll under `--insecure-no-auth`: only the former).
pub(crate) fn for_node(
    conn: &Connection,
    node: Option<i64>,
    now_ms: i64,
) -> rusqlite::Result<Vec<(ListKind, String, Option<i64>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT list, cidr, expires_ms FROM ip_entries \
         WHERE (expires_ms IS NULL OR expires_ms > ?1) \
           AND (grp IS NULL OR grp = (SELECT grp FROM nodes WHERE id = ?2))",
    )?;
    let rows = stmt.query_map(params![now_ms, node], |r| {
        let list: String = r.get(0)?;
        Ok((
            ListKind::from_name(&list).unwrap_or(ListKind::Block),
            r.get(1)?,
            r.get(2)?,
        ))
    })?;
    rows.collect()
}

/// Marks node `node` as seen at `now_ms` (it polled its lists).
pub(crate) fn touch_node(conn: &Connection, node: i64, now_ms: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE nodes SET last_seen_ms = ?1 WHERE id = ?2 AND (last_seen_ms IS NULL OR last_seen_ms < ?1)",
        params![now_ms, node],
    )?;
    Ok(())
}

/// The IP-list operations of [`Store`](super::Store), kept beside their SQL (every backend
/// implements the same semantics; see the IP-list handlers, `ip_lists.rs`).
impl super::Store {
    /// Every stored entry, oldest first, expired ones included until pruned.
    pub(crate) async fn ip_entries(&self) -> Result<Vec<IpEntry>, StoreError> {
        match self {
            super::Store::Sqlite(s) => s.read(|conn| all(conn).map_err(StoreError::from)).await,
            super::Store::Postgres(s) => s.ip_entries().await,
        }
    }

    /// Adds `new` (or updates the entry with the same list, network and group); the stored
    /// entry and whether it is new; `None` when the lists are full.
    pub(crate) async fn add_ip_entry(
        &self,
        new: NewEntry,
        now_ms: i64,
    ) -> Result<Option<(IpEntry, bool)>, StoreError> {
        match self {
            super::Store::Sqlite(s) => {
                s.write(move |conn| add(conn, &new, now_ms).map_err(StoreError::from))
                    .await
            }
            super::Store::Postgres(s) => s.add_ip_entry(&new, now_ms).await,
        }
    }

    /// Deletes entry `id`; whether there was one.
    pub(crate) async fn delete_ip_entry(&self, id: i64, now_ms: i64) -> Result<bool, StoreError> {
        match self {
            super::Store::Sqlite(s) => {
                s.write(move |conn| delete(conn, id, now_ms).map_err(StoreError::from))
                    .await
            }
            super::Store::Postgres(s) => s.delete_ip_entry(id, now_ms).await,
        }
    }

    /// What node `node` enforces at `now_ms`: (list, cidr, expiry) of each unexpired entry for
    /// every node or for its group.
    pub(crate) async fn ip_entries_for_node(
        &self,
        node: Option<i64>,
        now_ms: i64,
    ) -> Result<Vec<(ListKind, String, Option<i64>)>, StoreError> {
        match self {
            super::Store::Sqlite(s) => {
                s.read(move |conn| for_node(conn, node, now_ms).map_err(StoreError::from))
                    .await
            }
            super::Store::Postgres(s) => s.ip_entries_for_node(node, now_ms).await,
        }
    }

    /// Records that node `node` was seen at `now_ms`.
    pub(crate) async fn touch_node(&self, node: i64, now_ms: i64) -> Result<(), StoreError> {
        match self {
            super::Store::Sqlite(s) => {
                s.write(move |conn| touch_node(conn, node, now_ms).map_err(StoreError::from))
                    .await
            }
            super::Store::Postgres(s) => s.touch_node(node, now_ms).await,
        }
    }
}
