//! `albums`: groups of tracks that form one release, keyed by a grouping key from their tags.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::db::{json_list, parse_list};
use crate::text::display_path;

/// Album facts taken from its first track when the album is created.
#[derive(Debug, Clone, Default)]
pub struct NewAlbum {
    pub key: String,
    pub title: String,
    pub album_artist: Option<String>,
    pub catalog_numbers: Vec<String>,
    pub edition: Option<String>,
    pub mb_album_id: Option<String>,
    pub compilation: bool,
    pub folder: Vec<u8>,
    pub work_id: Option<i64>,
    pub release_kind: Option<&'static str>,
}

pub fn id_and_title_by_key(
    conn: &Connection,
    key: &str,
) -> rusqlite::Result<Option<(i64, String)>> {
    conn.prepare_cached("SELECT id, title FROM albums WHERE album_key = ?1")?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

pub fn insert(conn: &Connection, a: &NewAlbum, now: i64) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO albums (album_key, title, album_artist, catalog_numbers, edition, mb_album_id, compilation,
                             folder, work_id, release_kind, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        a.key,
        a.title,
        a.album_artist,
        json_list(&a.catalog_numbers),
        a.edition,
        a.mb_album_id,
        a.compilation,
        a.folder,
        a.work_id,
        a.release_kind,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Recomputes the facts an album takes from its present tracks: the first value in disc and
/// track order for per-release fields, the largest disc count, the first embedded cover. The
/// collector's field overrides (the album's subject) win over the tags.
pub fn refresh(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE albums SET
            year = (SELECT year FROM tracks WHERE album_id = ?1 AND year IS NOT NULL
                    ORDER BY missing_since IS NOT NULL, disc_no, track_no LIMIT 1),
            original_year = (SELECT CAST(substr(original_date, 1, 4) AS INTEGER) FROM tracks
                    WHERE album_id = ?1 AND original_date GLOB '[0-9][0-9][0-9][0-9]*'
                    ORDER BY missing_since IS NOT NULL, disc_no, track_no LIMIT 1),
            label = coalesce((SELECT json_extract(fields, '$.label') FROM subjects
                        WHERE kind = 'album' AND album_id = ?1),
                    (SELECT label FROM tracks WHERE album_id = ?1 AND label IS NOT NULL
                    ORDER BY missing_since IS NOT NULL, disc_no, track_no LIMIT 1)),
            composer = coalesce((SELECT json_extract(fields, '$.composers[0]') FROM subjects
                        WHERE kind = 'album' AND album_id = ?1),
                    (SELECT json_extract(composers, '$[0]') FROM tracks
                    WHERE album_id = ?1 AND json_array_length(composers) > 0
                    ORDER BY missing_since IS NOT NULL, coalesce(disc_no, 1), track_no LIMIT 1)),
            edition = coalesce((SELECT json_extract(fields, '$.edition') FROM subjects
                        WHERE kind = 'album' AND album_id = ?1),
                    (SELECT release_comment FROM tracks WHERE album_id = ?1 AND release_comment IS NOT NULL
                    ORDER BY missing_since IS NOT NULL, disc_no, track_no LIMIT 1)),
            catalog_numbers = coalesce((SELECT json_extract(fields, '$.catalog_numbers') FROM subjects
                        WHERE kind = 'album' AND album_id = ?1),
                    (SELECT catalog_numbers FROM tracks WHERE album_id = ?1 AND catalog_numbers IS NOT NULL
                    ORDER BY missing_since IS NOT NULL, disc_no, track_no LIMIT 1)),
            barcode = (SELECT barcode FROM tracks WHERE album_id = ?1 AND barcode IS NOT NULL
                    ORDER BY missing_since IS NOT NULL, disc_no, track_no LIMIT 1),
            release_type = (SELECT release_type FROM tracks WHERE album_id = ?1 AND release_type IS NOT NULL
                    ORDER BY missing_since IS NOT NULL, disc_no, track_no LIMIT 1),
            disc_total = (SELECT nullif(max(coalesce(disc_total, 0), coalesce(disc_no, 0)), 0) FROM tracks
                    WHERE album_id = ?1),
            cover_hash = coalesce((SELECT cover_hash FROM tracks WHERE album_id = ?1 AND cover_hash IS NOT NULL
                    ORDER BY missing_since IS NOT NULL, disc_no, track_no LIMIT 1), cover_hash)
         WHERE id = ?1",
    )?
    .execute([id])?;
    Ok(())
}

pub fn set_cover(conn: &Connection, id: i64, hash: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE albums SET cover_hash = ?2 WHERE id = ?1",
        params![id, hash],
    )?;
    Ok(())
}

/// Albums among `ids` without a cover, with their folder.
pub fn without_cover(conn: &Connection, ids: &[i64]) -> rusqlite::Result<Vec<(i64, Vec<u8>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, folder FROM albums WHERE id = ?1 AND cover_hash IS NULL AND folder IS NOT NULL",
    )?;
    let mut out = Vec::new();
    for &id in ids {
        if let Some(row) = stmt
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
        {
            out.push(row);
        }
    }
    Ok(out)
}

/// Deletes albums that no longer have any track, present or missing.
pub fn prune_empty(conn: &Connection) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM albums WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.album_id = albums.id)",
        [],
    )
}

/// An album as lists show it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AlbumRow {
    pub id: i64,
    pub title: String,
    pub album_artist: Option<String>,
    /// The first composer in track order.
    pub composer: Option<String>,
    pub year: Option<i64>,
    pub label: Option<String>,
    pub work: Option<String>,
    pub work_kind: Option<String>,
    pub tracks: i64,
    pub missing: i64,
    pub discs: Option<i64>,
    pub duration_ms: i64,
    pub cover_hash: Option<String>,
    /// Seconds since the epoch.
    pub added_at: i64,
    /// The collector's rating, 0–5.
    pub rating: Option<u8>,
}

pub const ROW_COLUMNS: &str = "a.id, a.title, a.album_artist, a.year, a.label, w.title, w.kind,
    (SELECT count(*) FROM tracks t WHERE t.album_id = a.id),
    (SELECT count(*) FROM tracks t WHERE t.album_id = a.id AND t.missing_since IS NOT NULL),
    a.disc_total,
    (SELECT coalesce(sum(duration_ms), 0) FROM tracks t WHERE t.album_id = a.id),
    a.cover_hash, a.composer, a.added_at,
    (SELECT rating FROM subjects s WHERE s.kind = 'album' AND s.album_id = a.id)";

pub const ROW_FROM: &str =
    "albums a LEFT JOIN works w ON w.id = coalesce(a.user_work_id, a.work_id)";

pub fn map_row(r: &rusqlite::Row) -> rusqlite::Result<AlbumRow> {
    Ok(AlbumRow {
        id: r.get(0)?,
        title: r.get(1)?,
        album_artist: r.get(2)?,
        year: r.get(3)?,
        label: r.get(4)?,
        work: r.get(5)?,
        work_kind: r.get(6)?,
        tracks: r.get(7)?,
        missing: r.get(8)?,
        discs: r.get(9)?,
        duration_ms: r.get(10)?,
        cover_hash: r.get(11)?,
        composer: r.get(12)?,
        added_at: r.get(13)?,
        rating: r.get(14)?,
    })
}

/// Everything an album page shows about the album itself.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AlbumDetail {
    #[serde(flatten)]
    pub row: AlbumRow,
    pub original_year: Option<i64>,
    pub catalog_numbers: Vec<String>,
    pub barcode: Option<String>,
    pub edition: Option<String>,
    pub release_type: Option<String>,
    pub release_kind: Option<String>,
    pub mb_album_id: Option<String>,
    pub compilation: bool,
    pub folder: Option<String>,
    pub work_year: Option<i64>,
    pub work_source: Option<String>,
    /// The work's id, to annotate it.
    pub work_id: Option<i64>,
}

pub fn detail(conn: &Connection, id: i64) -> rusqlite::Result<Option<AlbumDetail>> {
    let sql = format!(
        "SELECT {ROW_COLUMNS}, a.original_year, a.catalog_numbers, a.barcode, a.edition, a.release_type,
                a.release_kind, a.mb_album_id, a.compilation, a.folder, w.year, w.source, w.id
         FROM {ROW_FROM} WHERE a.id = ?1"
    );
    conn.query_row(&sql, [id], |r| {
        Ok(AlbumDetail {
            row: map_row(r)?,
            original_year: r.get(15)?,
            catalog_numbers: parse_list(r.get(16)?),
            barcode: r.get(17)?,
            edition: r.get(18)?,
            release_type: r.get(19)?,
            release_kind: r.get(20)?,
            mb_album_id: r.get(21)?,
            compilation: r.get(22)?,
            folder: r.get::<_, Option<Vec<u8>>>(23)?.map(|f| display_path(&f)),
            work_year: r.get(24)?,
            work_source: r.get(25)?,
            work_id: r.get(26)?,
        })
    })
    .optional()
}

/// Credits gathered over an album's tracks, each name once, in track order.
pub fn credits(conn: &Connection, id: i64, column: Credit) -> rusqlite::Result<Vec<String>> {
    let sql = format!(
        "SELECT {} FROM tracks WHERE album_id = ?1 ORDER BY coalesce(disc_no, 1), track_no",
        column.column()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut out: Vec<String> = Vec::new();
    for list in stmt.query_map([id], |r| r.get::<_, Option<String>>(0))? {
        for name in parse_list(list?) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy)]
pub enum Credit {
    Composers,
    Conductors,
    Orchestrators,
    Performers,
    Artists,
}

impl Credit {
    fn column(self) -> &'static str {
        match self {
            Credit::Composers => "composers",
            Credit::Conductors => "conductors",
            Credit::Orchestrators => "orchestrators",
            Credit::Performers => "performers",
            Credit::Artists => "artists",
        }
    }
}

/// Points the album at a work of the user's (or back at its derived work with `None`).
pub fn set_user_work(conn: &Connection, id: i64, work_id: Option<i64>) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE albums SET user_work_id = ?2 WHERE id = ?1 AND user_work_id IS NOT ?2",
    )?
    .execute(params![id, work_id])?;
    Ok(())
}

/// The album's title, album artist, MusicBrainz id, year and derived work (id, title, kind, year).
pub fn identity(conn: &Connection, id: i64) -> rusqlite::Result<Option<AlbumIdentity>> {
    conn.prepare_cached(
        "SELECT a.title, a.album_artist, a.mb_album_id, a.year, w.id, w.title, w.kind, w.year
         FROM albums a LEFT JOIN works w ON w.id = a.work_id WHERE a.id = ?1",
    )?
    .query_row([id], |r| {
        Ok(AlbumIdentity {
            title: r.get(0)?,
            album_artist: r.get(1)?,
            mb_album_id: r.get(2)?,
            year: r.get(3)?,
            derived_work: match r.get::<_, Option<i64>>(4)? {
                Some(id) => Some((id, r.get(5)?, r.get(6)?, r.get(7)?)),
                None => None,
            },
        })
    })
    .optional()
}

#[derive(Debug, Clone)]
pub struct AlbumIdentity {
    pub title: String,
    pub album_artist: Option<String>,
    pub mb_album_id: Option<String>,
    pub year: Option<i64>,
    /// id, title, kind, year
    pub derived_work: Option<(i64, String, Option<String>, Option<i64>)>,
}

/// An album's id, title, album artist and MusicBrainz release id.
pub type AlbumKeys = (i64, String, Option<String>, Option<String>);

/// Every album's id, title, album artist and MusicBrainz id (relink proposals match on them).
pub fn all_identities(conn: &Connection) -> rusqlite::Result<Vec<AlbumKeys>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, title, album_artist, mb_album_id FROM albums")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    rows.collect()
}

/// The title of the album's work (the user's choice first).
pub fn work_title(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT w.title FROM albums a JOIN works w ON w.id = coalesce(a.user_work_id, a.work_id) WHERE a.id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
}
