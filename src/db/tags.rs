//! `tags` and `subject_tags`: the collector's free tags and what carries them.
//!
//! Names are unique without regard to case ("Favourite" and "favourite" are one tag).

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// A tag with how many albums, tracks and works carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagCount {
    pub id: i64,
    pub name: String,
    pub color: Option<String>,
    pub albums: i64,
    pub tracks: i64,
    pub works: i64,
}

/// Every tag by name, with its counts.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<TagCount>> {
    let mut stmt = conn.prepare_cached(
        "SELECT g.id, g.name, g.color,
                count(CASE s.kind WHEN 'album' THEN 1 END),
                count(CASE s.kind WHEN 'track' THEN 1 END),
                count(CASE s.kind WHEN 'work' THEN 1 END)
         FROM tags g LEFT JOIN subject_tags st ON st.tag_id = g.id
              LEFT JOIN subjects s ON s.id = st.subject_id
         GROUP BY g.id ORDER BY g.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(TagCount {
            id: r.get(0)?,
            name: r.get(1)?,
            color: r.get(2)?,
            albums: r.get(3)?,
            tracks: r.get(4)?,
            works: r.get(5)?,
        })
    })?;
    rows.collect()
}

/// The tag's id and exact name, looked up without regard to case.
pub fn by_name(conn: &Connection, name: &str) -> rusqlite::Result<Option<(i64, String)>> {
    conn.prepare_cached("SELECT id, name FROM tags WHERE name = ?1")?
        .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

pub fn insert(
    conn: &Connection,
    name: &str,
    color: Option<&str>,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.prepare_cached("INSERT INTO tags (name, color, created_at) VALUES (?1, ?2, ?3)")?
        .execute(params![name, color, now])?;
    Ok(conn.last_insert_rowid())
}

pub fn rename(conn: &Connection, id: i64, name: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE tags SET name = ?2 WHERE id = ?1")?
        .execute(params![id, name])?;
    Ok(())
}

pub fn set_color(conn: &Connection, id: i64, color: Option<&str>) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE tags SET color = ?2 WHERE id = ?1")?
        .execute(params![id, color])?;
    Ok(())
}

/// Deletes the tag; the subjects that carried it keep everything else.
pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM tags WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Gives every subject and article tagged `from` the tag `into` instead, then deletes `from`.
pub fn merge(conn: &Connection, from: i64, into: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO subject_tags (subject_id, tag_id)
         SELECT subject_id, ?2 FROM subject_tags WHERE tag_id = ?1",
    )?
    .execute([from, into])?;
    conn.prepare_cached(
        "INSERT OR IGNORE INTO article_tags (article_id, tag_id)
         SELECT article_id, ?2 FROM article_tags WHERE tag_id = ?1",
    )?
    .execute([from, into])?;
    delete(conn, from)
}

/// Subjects carrying the tag.
pub fn subjects_of(conn: &Connection, tag_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT subject_id FROM subject_tags WHERE tag_id = ?1")?;
    let rows = stmt.query_map([tag_id], |r| r.get(0))?;
    rows.collect()
}

/// Returns whether the subject did not have the tag yet.
pub fn add(conn: &Connection, subject_id: i64, tag_id: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("INSERT OR IGNORE INTO subject_tags (subject_id, tag_id) VALUES (?1, ?2)")?
        .execute([subject_id, tag_id])?
        > 0)
}

/// Returns whether the subject had the tag.
pub fn remove(conn: &Connection, subject_id: i64, tag_id: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM subject_tags WHERE subject_id = ?1 AND tag_id = ?2")?
        .execute([subject_id, tag_id])?
        > 0)
}

/// A tag as a subject shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    pub name: String,
    pub color: Option<String>,
}

/// The subject's tags by name.
pub fn of_subject(conn: &Connection, subject_id: i64) -> rusqlite::Result<Vec<Tag>> {
    let mut stmt = conn.prepare_cached(
        "SELECT g.name, g.color FROM subject_tags st JOIN tags g ON g.id = st.tag_id
         WHERE st.subject_id = ?1 ORDER BY g.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([subject_id], |r| {
        Ok(Tag {
            name: r.get(0)?,
            color: r.get(1)?,
        })
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_without_case_and_merging_moves_every_use() {
        let conn = crate::db::open_memory().unwrap();
        let a = insert(&conn, "Noir", None, 1).unwrap();
        assert!(
            insert(&conn, "noir", None, 1).is_err(),
            "case does not make a new tag"
        );
        assert_eq!(by_name(&conn, "NOIR").unwrap(), Some((a, "Noir".into())));
        let b = insert(&conn, "Dark", Some("#000000"), 1).unwrap();
        let s1 = crate::db::subjects::insert(
            &conn,
            crate::db::subjects::Kind::Track,
            Some("c1"),
            None,
            None,
            "{}",
            1,
        )
        .unwrap();
        let s2 = crate::db::subjects::insert(
            &conn,
            crate::db::subjects::Kind::Work,
            None,
            None,
            Some("w"),
            "{}",
            1,
        )
        .unwrap();
        assert!(add(&conn, s1, a).unwrap());
        assert!(!add(&conn, s1, a).unwrap(), "a tag applies once");
        add(&conn, s1, b).unwrap();
        add(&conn, s2, b).unwrap();
        merge(&conn, b, a).unwrap();
        let list = list(&conn).unwrap();
        assert_eq!(list.len(), 1, "the merged tag is gone");
        assert_eq!(
            (list[0].tracks, list[0].works),
            (1, 1),
            "both uses moved, once each"
        );
    }
}
