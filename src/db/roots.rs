//! `roots`: the library folders the user pointed Cuebook at.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::text::{path_bytes, path_from_bytes};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Root {
    pub id: i64,
    #[serde(serialize_with = "crate::db::roots::lossy_path")]
    pub path: PathBuf,
    pub added_at: i64,
    pub last_scan_at: Option<i64>,
    pub offline_since: Option<i64>,
    pub tracks: i64,
    pub missing: i64,
}

pub(crate) fn lossy_path<S: serde::Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.to_string_lossy())
}

pub fn insert(conn: &Connection, path: &Path, now: i64) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO roots (path, added_at) VALUES (?1, ?2)",
        params![path_bytes(path), now],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM roots WHERE id = ?1", [id])? > 0)
}

/// The roots with their track and missing counts. Missing tracks are counted through the partial
/// index of missing tracks (a handful), not by reading every track of the root (40 ms at 100,000).
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Root>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.path, r.added_at, r.last_scan_at, r.offline_since,
                (SELECT count(*) FROM tracks t WHERE t.root_id = r.id),
                (SELECT count(*) FROM tracks t INDEXED BY tracks_missing_content
                 WHERE t.missing_since IS NOT NULL AND t.root_id = r.id)
         FROM roots r ORDER BY r.path",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Root {
            id: r.get(0)?,
            path: path_from_bytes(&r.get::<_, Vec<u8>>(1)?),
            added_at: r.get(2)?,
            last_scan_at: r.get(3)?,
            offline_since: r.get(4)?,
            tracks: r.get(5)?,
            missing: r.get(6)?,
        })
    })?;
    rows.collect()
}

pub fn find_by_path(conn: &Connection, path: &Path) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT id FROM roots WHERE path = ?1",
        [path_bytes(path)],
        |r| r.get(0),
    )
    .optional()
}

/// Marks a root offline from `now`, keeping an earlier date when it was already offline.
pub fn set_offline(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE roots SET offline_since = coalesce(offline_since, ?2) WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

pub fn set_scanned(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE roots SET offline_since = NULL, last_scan_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_round_trip_with_non_utf8_paths() {
        use std::os::unix::ffi::OsStrExt;
        let conn = crate::db::open_memory().unwrap();
        let odd = Path::new(std::ffi::OsStr::from_bytes(b"/music/caf\xe9"));
        let id = insert(&conn, odd, 5).unwrap();
        assert_eq!(find_by_path(&conn, odd).unwrap(), Some(id));
        let roots = list(&conn).unwrap();
        assert_eq!(roots[0].path, odd, "the exact bytes come back");
        set_offline(&conn, id, 7).unwrap();
        set_offline(&conn, id, 9).unwrap();
        assert_eq!(
            list(&conn).unwrap()[0].offline_since,
            Some(7),
            "the first offline date is kept"
        );
        set_scanned(&conn, id, 10).unwrap();
        assert_eq!(list(&conn).unwrap()[0].offline_since, None);
        assert!(delete(&conn, id).unwrap());
    }
}
