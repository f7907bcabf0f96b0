//! `problems`: files that could not be cataloged, with the reason.

use rusqlite::{params, Connection};
use serde::Serialize;

use crate::text::display_path;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Problem {
    pub path: String,
    pub reason: String,
    pub seen_at: i64,
}

pub struct ProblemState {
    pub path: Vec<u8>,
    pub root_id: i64,
    pub size: Option<i64>,
    pub mtime: Option<i64>,
}

pub fn upsert(
    conn: &Connection,
    path: &[u8],
    root_id: i64,
    reason: &str,
    size: Option<i64>,
    mtime: Option<i64>,
    now: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO problems (path, root_id, reason, file_size, file_mtime, seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (path) DO UPDATE SET root_id = ?2, reason = ?3, file_size = ?4, file_mtime = ?5, seen_at = ?6",
    )?
    .execute(params![path, root_id, reason, size, mtime, now])?;
    Ok(())
}

pub fn delete(conn: &Connection, path: &[u8]) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM problems WHERE path = ?1")?
        .execute([path])?;
    Ok(())
}

pub fn states(conn: &Connection) -> rusqlite::Result<Vec<ProblemState>> {
    let mut stmt = conn.prepare("SELECT path, root_id, file_size, file_mtime FROM problems")?;
    let rows = stmt.query_map([], |r| {
        Ok(ProblemState {
            path: r.get(0)?,
            root_id: r.get(1)?,
            size: r.get(2)?,
            mtime: r.get(3)?,
        })
    })?;
    rows.collect()
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Problem>> {
    let mut stmt = conn.prepare("SELECT path, reason, seen_at FROM problems ORDER BY path")?;
    let rows = stmt.query_map([], |r| {
        Ok(Problem {
            path: display_path(&r.get::<_, Vec<u8>>(0)?),
            reason: r.get(1)?,
            seen_at: r.get(2)?,
        })
    })?;
    rows.collect()
}
