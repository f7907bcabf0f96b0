//! `settings`: one JSON value per key.

use rusqlite::{params, Connection};

pub fn all(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT key, value FROM settings ORDER BY key")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Writes every pair in one transaction.
pub fn put_all(conn: &mut Connection, pairs: &[(String, String)]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?;
        for (key, value) in pairs {
            stmt.execute(params![key, value])?;
        }
    }
    tx.commit()
}
