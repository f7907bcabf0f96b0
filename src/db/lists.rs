//! `lists`, `list_entries` and `placeholder_declines`: the collector's lists and their entries.
//!
//! Entry positions are 0-based and contiguous within a list; every change that moves entries
//! rewrites the positions of the whole list in one pass (see [`set_order`]), so they stay so.

use rusqlite::{params, Connection, OptionalExtension, Row};

/// One list row.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRow {
    pub id: i64,
    pub name: String,
    pub note: Option<String>,
    /// `none`, `ascending` or `descending`.
    pub ranking: String,
    /// JSON of a smart list's query.
    pub query: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Entries stored (0 for a smart list) and how many are placeholders.
    pub entries: i64,
    pub placeholders: i64,
}

const LIST_COLUMNS: &str = "l.id, l.name, l.note, l.ranking, l.query, l.created_at, l.updated_at,
    (SELECT count(*) FROM list_entries e WHERE e.list_id = l.id),
    (SELECT count(*) FROM list_entries e WHERE e.list_id = l.id AND e.kind = 'placeholder')";

fn map_list(r: &Row) -> rusqlite::Result<ListRow> {
    Ok(ListRow {
        id: r.get(0)?,
        name: r.get(1)?,
        note: r.get(2)?,
        ranking: r.get(3)?,
        query: r.get(4)?,
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
        entries: r.get(7)?,
        placeholders: r.get(8)?,
    })
}

/// Every list by name.
pub fn all(conn: &Connection) -> rusqlite::Result<Vec<ListRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {LIST_COLUMNS} FROM lists l ORDER BY l.name COLLATE NOCASE, l.id"
    ))?;
    let rows = stmt.query_map([], map_list)?;
    rows.collect()
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<ListRow>> {
    conn.prepare_cached(&format!(
        "SELECT {LIST_COLUMNS} FROM lists l WHERE l.id = ?1"
    ))?
    .query_row([id], map_list)
    .optional()
}

pub fn insert(
    conn: &Connection,
    name: &str,
    note: Option<&str>,
    ranking: &str,
    query: Option<&str>,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO lists (name, note, ranking, query, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    )?
    .execute(params![name, note, ranking, query, now])?;
    Ok(conn.last_insert_rowid())
}

/// Rewrites the list's own fields.
pub fn update(
    conn: &Connection,
    id: i64,
    name: &str,
    note: Option<&str>,
    ranking: &str,
    query: Option<&str>,
    now: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE lists SET name = ?2, note = ?3, ranking = ?4, query = ?5, updated_at = ?6 WHERE id = ?1",
    )?
    .execute(params![id, name, note, ranking, query, now])?;
    Ok(())
}

/// Keeps a restored list's creation time (a restore finds the list again by it).
pub fn set_created_at(conn: &Connection, id: i64, created_at: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE lists SET created_at = ?2 WHERE id = ?1")?
        .execute(params![id, created_at])?;
    Ok(())
}

pub fn touch(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE lists SET updated_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

/// Deletes the list and its entries. The subjects its entries pointed at stay.
pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM lists WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// A stored entry, with where its subject is in the catalog now.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryRow {
    pub id: i64,
    pub list_id: i64,
    pub position: i64,
    /// `album`, `track` or `placeholder`.
    pub kind: String,
    pub subject_id: Option<i64>,
    /// What the entry last showed (a placeholder: what the collector wrote).
    pub title: String,
    pub artist: Option<String>,
    pub year: Option<i64>,
    pub note: Option<String>,
    /// The album an album entry is attached to now; `None` while its subject is orphaned.
    pub album_id: Option<i64>,
    /// A track entry's present file (else any file of the recording); `None` when none is cataloged.
    pub track_id: Option<i64>,
}

const ENTRY_COLUMNS: &str =
    "e.id, e.list_id, e.position, e.kind, e.subject_id, e.title, e.artist, e.year, e.note,
    s.album_id,
    CASE WHEN s.kind = 'track' THEN coalesce(
        (SELECT t.id FROM tracks t WHERE t.content_id = s.content_id AND t.missing_since IS NULL LIMIT 1),
        (SELECT t.id FROM tracks t WHERE t.content_id = s.content_id LIMIT 1)) END";

fn map_entry(r: &Row) -> rusqlite::Result<EntryRow> {
    Ok(EntryRow {
        id: r.get(0)?,
        list_id: r.get(1)?,
        position: r.get(2)?,
        kind: r.get(3)?,
        subject_id: r.get(4)?,
        title: r.get(5)?,
        artist: r.get(6)?,
        year: r.get(7)?,
        note: r.get(8)?,
        album_id: r.get(9)?,
        track_id: r.get(10)?,
    })
}

/// The list's entries in order.
pub fn entries(conn: &Connection, list_id: i64) -> rusqlite::Result<Vec<EntryRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM list_entries e LEFT JOIN subjects s ON s.id = e.subject_id
         WHERE e.list_id = ?1 ORDER BY e.position"
    ))?;
    let rows = stmt.query_map([list_id], map_entry)?;
    rows.collect()
}

/// The list's entry ids in order.
pub fn entry_ids(conn: &Connection, list_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM list_entries WHERE list_id = ?1 ORDER BY position")?;
    let rows = stmt.query_map([list_id], |r| r.get(0))?;
    rows.collect()
}

pub fn entry(conn: &Connection, id: i64) -> rusqlite::Result<Option<EntryRow>> {
    conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM list_entries e LEFT JOIN subjects s ON s.id = e.subject_id
         WHERE e.id = ?1"
    ))?
    .query_row([id], map_entry)
    .optional()
}

/// What a new entry holds; its position is given separately.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry<'a> {
    pub kind: &'a str,
    pub subject_id: Option<i64>,
    pub title: &'a str,
    pub artist: Option<&'a str>,
    pub year: Option<i64>,
    pub note: Option<&'a str>,
}

/// Inserts an entry at `position`, which must be free (see [`set_order`] to make room).
pub fn insert_entry(
    conn: &Connection,
    list_id: i64,
    position: i64,
    e: &NewEntry,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO list_entries (list_id, position, kind, subject_id, title, artist, year, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        list_id, position, e.kind, e.subject_id, e.title, e.artist, e.year, e.note, now
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn set_entry_note(conn: &Connection, id: i64, note: Option<&str>) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE list_entries SET note = ?2 WHERE id = ?1")?
        .execute(params![id, note])?;
    Ok(())
}

/// Sets what the entry shows (a placeholder's title, artist and year; an album or track's last seen).
pub fn set_entry_label(
    conn: &Connection,
    id: i64,
    title: &str,
    artist: Option<&str>,
    year: Option<i64>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE list_entries SET title = ?2, artist = ?3, year = ?4
         WHERE id = ?1 AND (title IS NOT ?2 OR artist IS NOT ?3 OR year IS NOT ?4)",
    )?
    .execute(params![id, title, artist, year])?;
    Ok(())
}

/// Turns a placeholder into an album or track entry.
pub fn set_entry_subject(
    conn: &Connection,
    id: i64,
    kind: &str,
    subject_id: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE list_entries SET kind = ?2, subject_id = ?3 WHERE id = ?1")?
        .execute(params![id, kind, subject_id])?;
    Ok(())
}

pub fn delete_entry(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM list_entries WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Gives the list's entries the positions of `order` (every entry id of the list, each once):
/// first out of the way (negative), then into place, so the unique order index never clashes.
pub fn set_order(conn: &Connection, list_id: i64, order: &[i64]) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE list_entries SET position = -1 - position WHERE list_id = ?1")?
        .execute([list_id])?;
    let mut stmt = conn
        .prepare_cached("UPDATE list_entries SET position = ?3 WHERE id = ?1 AND list_id = ?2")?;
    for (position, id) in order.iter().enumerate() {
        stmt.execute(params![id, list_id, position as i64])?;
    }
    Ok(())
}

/// Whether any entry points at the subject (so it is kept even when it holds no annotation).
pub fn subject_in_use(conn: &Connection, subject_id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM list_entries WHERE subject_id = ?1)")?
        .query_row([subject_id], |r| r.get(0))
}

/// Entries that point at a subject, with where it is now.
pub fn attached_entries(conn: &Connection) -> rusqlite::Result<Vec<EntryRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM list_entries e JOIN subjects s ON s.id = e.subject_id"
    ))?;
    let rows = stmt.query_map([], map_entry)?;
    rows.collect()
}

/// The lists (id, name) with an entry on the subject, by name.
pub fn lists_of_subject(
    conn: &Connection,
    subject_id: i64,
) -> rusqlite::Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT l.id, l.name FROM list_entries e JOIN lists l ON l.id = e.list_id
         WHERE e.subject_id = ?1 ORDER BY l.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([subject_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Every placeholder, with its list's name, oldest list first.
pub fn placeholders(conn: &Connection) -> rusqlite::Result<Vec<(EntryRow, String)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS}, l.name FROM list_entries e JOIN lists l ON l.id = e.list_id
         LEFT JOIN subjects s ON s.id = e.subject_id
         WHERE e.kind = 'placeholder' ORDER BY e.list_id, e.position"
    ))?;
    let rows = stmt.query_map([], |r| Ok((map_entry(r)?, r.get(11)?)))?;
    rows.collect()
}

pub fn decline(conn: &Connection, entry_id: i64, album_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO placeholder_declines (entry_id, album_id) VALUES (?1, ?2)",
    )?
    .execute(params![entry_id, album_id])?;
    Ok(())
}

pub fn declined(conn: &Connection, entry_id: i64, album_id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM placeholder_declines WHERE entry_id = ?1 AND album_id = ?2)",
    )?
    .query_row(params![entry_id, album_id], |r| r.get(0))
}

/// An album as placeholder matching sees it: (album id, title, album artist, composer, year,
/// work title).
pub type AlbumCandidate = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
);

/// Every album with the fields placeholder matching compares.
pub fn album_candidates(conn: &Connection) -> rusqlite::Result<Vec<AlbumCandidate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.title, a.album_artist, a.composer, a.year, w.title
         FROM albums a LEFT JOIN works w ON w.id = coalesce(a.user_work_id, a.work_id)",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?;
    rows.collect()
}

/// The album whose folder is exactly `folder` (raw path bytes).
pub fn album_by_folder(conn: &Connection, folder: &[u8]) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT id FROM albums WHERE folder = ?1 ORDER BY id LIMIT 1")?
        .query_row([folder], |r| r.get(0))
        .optional()
}

/// Every track with what matching an imported row without a path compares: (track id, title,
/// album title, artists and composers as stored), present files first.
pub type TrackCandidate = (
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub fn track_candidates(conn: &Connection) -> rusqlite::Result<Vec<TrackCandidate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.title, coalesce(a.title, t.album_title), t.artists, t.composers
         FROM tracks t LEFT JOIN albums a ON a.id = t.album_id
         ORDER BY t.missing_since IS NOT NULL, t.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })?;
    rows.collect()
}

/// Counts for statistics and the backup summary.
pub fn count(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    conn.prepare_cached("SELECT (SELECT count(*) FROM lists), (SELECT count(*) FROM list_entries)")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
}
