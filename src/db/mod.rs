//! Storage: connections, migrations and one module per table or aggregate. All SQL lives here.
//!
//! Invariants: every connection gets the same pragmas (WAL, foreign keys, NORMAL sync, busy
//! timeout); only bound parameters reach SQL; multi-row writes happen in one transaction.
//! Connections are not shared between threads: each thread opens its own.

pub mod albums;
pub mod analysis;
pub mod articles;
pub mod covers;
pub mod lists;
pub mod problems;
pub mod roots;
pub mod search;
pub mod settings;
pub mod stats;
pub mod subjects;
pub mod tags;
pub mod tracks;
pub mod works;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use include_dir::{include_dir, Dir};
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::Migrations;

static MIGRATIONS_DIR: Dir = include_dir!("$CARGO_MANIFEST_DIR/migrations");

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::from_directory(&MIGRATIONS_DIR).expect("migrations folder is well-formed")
});

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    #[error("cannot create folder {0}: {1}")]
    Folder(PathBuf, std::io::Error),
    #[error("cannot open catalog {0}: {1}")]
    Open(PathBuf, rusqlite::Error),
    #[error("cannot update catalog {0} to this version of Cuebook: {1}")]
    Migrate(PathBuf, rusqlite_migration::Error),
    #[error("catalog query failed: {0}")]
    Sql(#[from] rusqlite::Error),
}

fn apply_pragmas(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -32_000)?;
    Ok(())
}

/// Opens the read-write connection, creating the file and applying migrations.
///
/// # Errors
/// When the file cannot be opened or migrated.
pub fn open_writer(path: &Path) -> Result<Connection, DbError> {
    let mut conn = Connection::open(path).map_err(|e| DbError::Open(path.into(), e))?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| DbError::Open(path.into(), e))?;
    apply_pragmas(&conn).map_err(|e| DbError::Open(path.into(), e))?;
    MIGRATIONS
        .to_latest(&mut conn)
        .map_err(|e| DbError::Migrate(path.into(), e))?;
    Ok(conn)
}

/// Opens a read-only connection beside the writer.
///
/// # Errors
/// When the file does not exist or cannot be opened.
pub fn open_reader(path: &Path) -> Result<Connection, DbError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn =
        Connection::open_with_flags(path, flags).map_err(|e| DbError::Open(path.into(), e))?;
    apply_pragmas(&conn).map_err(|e| DbError::Open(path.into(), e))?;
    Ok(conn)
}

/// A fresh in-memory database with the migrations applied, for tests.
///
/// # Errors
/// When migrations fail.
pub fn open_memory() -> Result<Connection, DbError> {
    let mut conn = Connection::open_in_memory().map_err(|e| DbError::Open(":memory:".into(), e))?;
    apply_pragmas(&conn).map_err(|e| DbError::Open(":memory:".into(), e))?;
    MIGRATIONS
        .to_latest(&mut conn)
        .map_err(|e| DbError::Migrate(":memory:".into(), e))?;
    Ok(conn)
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// JSON array text for a list column; `None` for an empty list.
pub(crate) fn json_list(values: &[String]) -> Option<String> {
    (!values.is_empty()).then(|| serde_json::to_string(values).unwrap_or_else(|_| "[]".into()))
}

pub(crate) fn parse_list(text: Option<String>) -> Vec<String> {
    text.and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::MIGRATIONS
            .validate()
            .expect("every migration applies cleanly to an empty database");
    }

    #[test]
    fn a_fresh_database_has_the_catalog_tables() {
        let conn = super::open_memory().unwrap();
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name IN ('roots','works','albums','tracks','covers','problems','track_fts')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 7, "the first migration creates all catalog tables");
    }
}
