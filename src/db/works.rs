//! `works`: films, games and shows. Derived rows come from album titles; user rows are never
//! touched by a scan.

use rusqlite::{params, Connection, OptionalExtension};

/// Finds or creates the derived work with this sort key; fills in a kind or an earlier year
/// when the new album knows more.
pub fn upsert_derived(
    conn: &Connection,
    title: &str,
    sort_key: &str,
    kind: Option<&str>,
    year: Option<i32>,
) -> rusqlite::Result<i64> {
    let existing: Option<i64> = conn
        .prepare_cached("SELECT id FROM works WHERE sort_key = ?1 AND source = 'derived'")?
        .query_row([sort_key], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        conn.prepare_cached(
            "UPDATE works SET kind = coalesce(kind, ?2),
                              year = CASE WHEN year IS NULL OR ?3 < year THEN coalesce(?3, year) ELSE year END
             WHERE id = ?1",
        )?
        .execute(params![id, kind, year])?;
        return Ok(id);
    }
    conn.prepare_cached("INSERT INTO works (title, sort_key, kind, year, source) VALUES (?1, ?2, ?3, ?4, 'derived')")?
        .execute(params![title, sort_key, kind, year])?;
    Ok(conn.last_insert_rowid())
}

/// Finds or creates the user's work with this sort key and sets its title, kind and year.
pub fn upsert_user(
    conn: &Connection,
    title: &str,
    sort_key: &str,
    kind: Option<&str>,
    year: Option<i64>,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO works (title, sort_key, kind, year, source) VALUES (?1, ?2, ?3, ?4, 'user')
         ON CONFLICT (sort_key, source) DO UPDATE SET title = ?1, kind = ?3, year = ?4
         WHERE title IS NOT ?1 OR kind IS NOT ?3 OR year IS NOT ?4",
    )?
    .execute(params![title, sort_key, kind, year])?;
    conn.prepare_cached("SELECT id FROM works WHERE sort_key = ?1 AND source = 'user'")?
        .query_row([sort_key], |r| r.get(0))
}

/// A work's sort key, title, kind and year.
pub type WorkKeys = (String, String, Option<String>, Option<i64>);

/// A work's sort key, title, kind and year.
pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<WorkKeys>> {
    conn.prepare_cached("SELECT sort_key, title, kind, year FROM works WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()
}

/// The work with this sort key (the user's first), as (id, title).
pub fn by_key(conn: &Connection, key: &str) -> rusqlite::Result<Option<(i64, String)>> {
    conn.prepare_cached(
        "SELECT id, title FROM works WHERE sort_key = ?1 ORDER BY source = 'user' DESC, id LIMIT 1",
    )?
    .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
}

/// Deletes the user's works no album points at any more.
pub fn prune_unused_user(conn: &Connection) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM works WHERE source = 'user'
           AND NOT EXISTS (SELECT 1 FROM albums a WHERE a.user_work_id = works.id)",
        [],
    )
}

pub fn title(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT title FROM works WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
}

/// Deletes derived works no album points at.
pub fn prune_unused(conn: &Connection) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM works WHERE source = 'derived'
           AND NOT EXISTS (SELECT 1 FROM albums a WHERE a.work_id = works.id OR a.user_work_id = works.id)",
        [],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_works_merge_by_sort_key_and_keep_the_earliest_year() {
        let conn = crate::db::open_memory().unwrap();
        let a = upsert_derived(&conn, "Tron", "tron", None, Some(2002)).unwrap();
        let b = upsert_derived(&conn, "TRON", "tron", Some("film"), Some(1982)).unwrap();
        assert_eq!(a, b, "the same sort key is the same work");
        let (kind, year): (Option<String>, i64) = conn
            .query_row("SELECT kind, year FROM works WHERE id = ?1", [a], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(
            kind.as_deref(),
            Some("film"),
            "a later album can tell the kind"
        );
        assert_eq!(year, 1982, "the earliest year wins");
        assert_eq!(prune_unused(&conn).unwrap(), 1, "no album uses it");
    }
}
