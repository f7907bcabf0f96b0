//! `covers`: cover images by content hash, so a picture shared by many tracks is stored once.

use rusqlite::{params, Connection};

pub fn insert(
    conn: &Connection,
    hash: &str,
    mime: &str,
    size: Option<(u32, u32)>,
    bytes: usize,
) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO covers (hash, mime, width, height, bytes) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![hash, mime, size.map(|s| s.0), size.map(|s| s.1), bytes as i64])?;
    Ok(())
}

pub fn count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM covers", [], |r| r.get(0))
}
