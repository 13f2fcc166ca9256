//! Registered nodes (gateways sending verdicts) and their tokens.
//!
//! Invariants:
//! - A token is [`TOKEN_PREFIX`] + 64 hex digits of 32 random bytes from the OS. Only its
//!   SHA-256 (hex) is stored, so a stolen database does not reveal a usable token; a token is
//!   printed once, by `node add`, and cannot be shown again.
//! - A token is found by looking its hash up (a UNIQUE index), never by comparing secrets.
//! - Revoking keeps the row (verdicts stay attributed to it) and makes its token refused.

use std::fmt;
use std::fmt::Write as _;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::config::Database;
use crate::store::postgres::PgStore;
use crate::store::sqlite::open_admin;
use crate::store::{now_ms, NodeInfo, StoreError};
use crate::time::format_rfc3339_ms;

/// Prefix of every node token, so a leaked one is recognisable (e.g. by secret scanners).
pub const TOKEN_PREFIX: &str = "pcn_";

/// Longest node or group name accepted.
const MAX_NAME: usize = 128;

/// Why a node command failed.
#[derive(Debug)]
pub enum NodeError {
    /// The name is empty, too long, or has characters other than `A-Za-z0-9._-`.
    BadName(String),
    /// A node with this name is already registered.
    Exists(String),
    /// No node with this name.
    Unknown(String),
    /// The OS random source failed.
    Random(String),
    /// The database failed.
    Store(StoreError),
}

impl fmt::Display for NodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeError::BadName(name) => write!(
                f,
                "{name:?} is not a valid name (1 to {MAX_NAME} of A-Z a-z 0-9 . _ -)"
            ),
            NodeError::Exists(name) => write!(f, "node {name:?} already exists"),
            NodeError::Unknown(name) => write!(f, "no node named {name:?}"),
            NodeError::Random(e) => write!(f, "cannot generate a token: {e}"),
            NodeError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for NodeError {}

impl From<StoreError> for NodeError {
    fn from(e: StoreError) -> Self {
        NodeError::Store(e)
    }
}

impl From<rusqlite::Error> for NodeError {
    fn from(e: rusqlite::Error) -> Self {
        NodeError::Store(StoreError::Sqlite(e))
    }
}

/// Hex SHA-256 of a token: what the `nodes` table stores and ingest looks up.
pub(crate) fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A fresh node token: the prefix and 32 random bytes in hex.
fn new_token() -> Result<String, NodeError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| NodeError::Random(e.to_string()))?;
    Ok(format!("{TOKEN_PREFIX}{}", hex(&bytes)))
}

fn check_name(name: &str) -> Result<(), NodeError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(NodeError::BadName(name.to_owned()))
    }
}

/// Registers node `name` (in `group`) in the database file `db`, creating and migrating it if
/// needed, and returns the node's token: the only time it is available. What
/// `portcullis collector node add` does; safe while a collector serves the same file.
///
/// # Errors
/// [`NodeError`]: bad name, name taken, no randomness, database failure.
pub fn register_node(db: &Path, name: &str, group: Option<&str>) -> Result<String, NodeError> {
    add_node(&open_admin(db)?, name, group)
}

/// Revokes node `name` in the database file `db` (`portcullis collector node revoke`); its
/// token is refused by a collector serving that file from the next request on.
///
/// # Errors
/// [`NodeError::Unknown`] when there is no such node, [`NodeError::Store`] on database failure.
pub fn revoke_registered_node(db: &Path, name: &str) -> Result<(), NodeError> {
    revoke_node(&open_admin(db)?, name)
}

/// Registers node `name` (in `group`) in `db`, SQLite file or PostgreSQL database, creating and
/// migrating the schema if needed, and returns the node's token: the only time it is available.
///
/// # Errors
/// [`NodeError`]: bad name, name taken, no randomness, database failure (e.g. unreachable).
pub async fn register_node_in(
    db: &Database,
    name: &str,
    group: Option<&str>,
) -> Result<String, NodeError> {
    NodeDb::open(db).await?.add(name, group).await
}

/// Revokes node `name` in `db`; collectors using that store refuse its token from then on.
///
/// # Errors
/// [`NodeError::Unknown`] when there is no such node, [`NodeError::Store`] on database failure.
pub async fn revoke_node_in(db: &Database, name: &str) -> Result<(), NodeError> {
    NodeDb::open(db).await?.revoke(name).await
}

/// Every node registered in `db`, by group (none first) then name.
///
/// # Errors
/// [`NodeError::Store`] on database failure.
pub async fn list_nodes_in(db: &Database) -> Result<Vec<NodeInfo>, NodeError> {
    NodeDb::open(db).await?.list().await
}

/// The store the node commands work on: a plain SQLite connection (no writer thread; safe
/// while a collector serves the same file) or a PostgreSQL pool.
pub(crate) enum NodeDb {
    /// A SQLite file.
    Sqlite(Connection),
    /// A PostgreSQL database.
    Postgres(PgStore),
}

impl NodeDb {
    /// Opens `db`, creating and migrating the schema if needed. SQLite work is blocking but
    /// short; node commands run on their own small runtime.
    pub(crate) async fn open(db: &Database) -> Result<NodeDb, NodeError> {
        Ok(match db {
            Database::Sqlite(path) => NodeDb::Sqlite(open_admin(path)?),
            Database::Postgres(url) => NodeDb::Postgres(PgStore::open(url).await?),
        })
    }

    /// See [`add_node`].
    pub(crate) async fn add(&self, name: &str, group: Option<&str>) -> Result<String, NodeError> {
        match self {
            NodeDb::Sqlite(conn) => add_node(conn, name, group),
            NodeDb::Postgres(pg) => {
                check_name(name)?;
                if let Some(group) = group {
                    check_name(group)?;
                }
                let token = new_token()?;
                if pg.add_node(name, group, &token_hash(&token)).await? {
                    Ok(token)
                } else {
                    Err(NodeError::Exists(name.to_owned()))
                }
            }
        }
    }

    /// See [`revoke_node`].
    pub(crate) async fn revoke(&self, name: &str) -> Result<(), NodeError> {
        match self {
            NodeDb::Sqlite(conn) => revoke_node(conn, name),
            NodeDb::Postgres(pg) => {
                if pg.revoke_node(name).await? {
                    Ok(())
                } else {
                    Err(NodeError::Unknown(name.to_owned()))
                }
            }
        }
    }

    /// See [`list_nodes`].
    pub(crate) async fn list(&self) -> Result<Vec<NodeInfo>, NodeError> {
        match self {
            NodeDb::Sqlite(conn) => list_nodes(conn),
            NodeDb::Postgres(pg) => Ok(pg.list_nodes().await?),
        }
    }
}

/// Registers node `name` in `group` and returns its token (the only time it is available).
pub(crate) fn add_node(
    conn: &Connection,
    name: &str,
    group: Option<&str>,
) -> Result<String, NodeError> {
    check_name(name)?;
    if let Some(group) = group {
        check_name(group)?;
    }
    let token = new_token()?;
    let inserted = conn.execute(
        "INSERT INTO nodes (name, grp, token_hash, created_ms) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (name) DO NOTHING",
        params![name, group, token_hash(&token), now_ms()],
    )?;
    if inserted == 0 {
        return Err(NodeError::Exists(name.to_owned()));
    }
    Ok(token)
}

/// Revokes node `name` (idempotent: revoking twice keeps the first time).
pub(crate) fn revoke_node(conn: &Connection, name: &str) -> Result<(), NodeError> {
    let id: Option<i64> = conn
        .query_row("SELECT id FROM nodes WHERE name = ?1", params![name], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(id) = id else {
        return Err(NodeError::Unknown(name.to_owned()));
    };
    conn.execute(
        "UPDATE nodes SET revoked_ms = COALESCE(revoked_ms, ?1) WHERE id = ?2",
        params![now_ms(), id],
    )?;
    Ok(())
}

/// All nodes, by group then name.
pub(crate) fn list_nodes(conn: &Connection) -> Result<Vec<NodeInfo>, NodeError> {
    let mut stmt = conn.prepare(
        "SELECT name, grp, created_ms, last_seen_ms, revoked_ms FROM nodes \
         ORDER BY grp IS NOT NULL, grp, name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(NodeInfo {
            name: r.get(0)?,
            group: r.get(1)?,
            created_ms: r.get(2)?,
            last_seen_ms: r.get(3)?,
            revoked_ms: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// The `node list` table: one header line and one line per node, columns padded.
pub(crate) fn format_table(nodes: &[NodeInfo]) -> String {
    let time = |ms: Option<i64>| ms.map_or_else(|| "-".to_owned(), format_rfc3339_ms);
    let mut rows = vec![[
        "NAME".to_owned(),
        "GROUP".to_owned(),
        "CREATED".to_owned(),
        "LAST SEEN".to_owned(),
        "REVOKED".to_owned(),
    ]];
    for n in nodes {
        rows.push([
            n.name.clone(),
            n.group.clone().unwrap_or_else(|| "-".to_owned()),
            time(Some(n.created_ms)),
            time(n.last_seen_ms),
            time(n.revoked_ms),
        ]);
    }
    let mut widths = [0usize; 5];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.len());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let line = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect::<Vec<_>>()
            .join("  ");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_list_revoke() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open_admin(&dir.path().join("v.db")).unwrap();
        let token = add_node(&conn, "edge-1", Some("prod-eu")).unwrap();
        assert!(token.starts_with(TOKEN_PREFIX));
        assert_eq!(token.len(), TOKEN_PREFIX.len() + 64);
        assert_ne!(token, add_node(&conn, "edge-2", None).unwrap());
        assert!(matches!(
            add_node(&conn, "edge-1", None),
            Err(NodeError::Exists(_))
        ));
        assert!(matches!(
            add_node(&conn, "bad name", None),
            Err(NodeError::BadName(_))
        ));
        // The token itself is not stored, only its hash.
        let stored: String = conn
            .query_row(
                "SELECT token_hash FROM nodes WHERE name = 'edge-1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(stored, token_hash(&token));
        assert_ne!(stored, token);

        revoke_node(&conn, "edge-1").unwrap();
        revoke_node(&conn, "edge-1").unwrap();
        assert!(matches!(
            revoke_node(&conn, "nope"),
            Err(NodeError::Unknown(_))
        ));
        let nodes = list_nodes(&conn).unwrap();
        assert_eq!(nodes.len(), 2);
        assert_eq!(nodes[0].name, "edge-2");
        assert_eq!(nodes[1].group.as_deref(), Some("prod-eu"));
        assert!(nodes[1].revoked_ms.is_some());
        let table = format_table(&nodes);
        assert!(table.starts_with("NAME "), "{table}");
        assert!(table.contains("prod-eu"), "{table}");
    }

    #[test]
    fn sha256_of_a_known_value() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
