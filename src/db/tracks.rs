//! `tracks` and their rows in the `track_fts` search index.
//!
//! A track row is anchored to a content identity, not to a path: a move updates `path`, a vanished
//! file sets `missing_since`, and nothing here deletes a track row.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use crate::catalog::ScannedTrack;
use crate::db::{json_list, parse_list};
use crate::text::{display_path, path_bytes};

/// What the scanner needs to know about a cataloged file to decide whether to read it again.
#[derive(Debug, Clone)]
pub struct FileState {
    pub id: i64,
    pub root_id: i64,
    pub path: Vec<u8>,
    pub size: i64,
    pub mtime: i64,
    pub missing: bool,
}

pub fn file_states(conn: &Connection) -> rusqlite::Result<Vec<FileState>> {
    let mut stmt = conn.prepare("SELECT id, root_id, path, file_size, file_mtime, missing_since IS NOT NULL FROM tracks")?;
    let rows = stmt.query_map([], |r| {
        Ok(FileState {
            id: r.get(0)?,
            root_id: r.get(1)?,
            path: r.get(2)?,
            size: r.get(3)?,
            mtime: r.get(4)?,
            missing: r.get(5)?,
        })
    })?;
    rows.collect()
}

const WRITE_COLUMNS: &str = "content_id, root_id, path, file_size, file_mtime, album_id, title, artists, album_title,
    album_artist, composers, conductors, orchestrators, performers, date, original_date, year, genre, track_no,
    track_total, disc_no, disc_total, disc_subtitle, label, catalog_numbers, barcode, release_type, release_comment,
    comment, compilation, mb_track_id, mb_recording_id, mb_album_id, mb_artist_id, mb_album_artist_id,
    mb_release_group_id, rg_track_gain, rg_track_peak, rg_album_gain, rg_album_peak, duration_ms, sample_rate,
    bit_depth, channels, bitrate, format, codec, cover_hash, updated_at";

macro_rules! write_params {
    ($t:expr, $album_id:expr, $now:expr) => {{
        let t: &ScannedTrack = $t;
        let g = &t.tags;
        let p = &t.props;
        params![
            t.content_id,
            t.root_id,
            path_bytes(&t.path),
            t.size,
            t.mtime,
            $album_id,
            g.title,
            json_list(&g.artists),
            g.album,
            g.album_artist,
            json_list(&g.composers),
            json_list(&g.conductors),
            json_list(&g.orchestrators),
            json_list(&g.performers),
            g.date,
            g.original_date,
            g.year(),
            g.genre,
            g.track_no,
            g.track_total,
            g.disc_no,
            g.disc_total,
            g.disc_subtitle,
            g.label,
            json_list(&g.catalog_numbers),
            g.barcode,
            g.release_type,
            g.release_comment,
            g.comment,
            g.compilation,
            g.mb_track_id,
            g.mb_recording_id,
            g.mb_album_id,
            g.mb_artist_id,
            g.mb_album_artist_id,
            g.mb_release_group_id,
            g.rg_track_gain,
            g.rg_track_peak,
            g.rg_album_gain,
            g.rg_album_peak,
            p.duration_ms.map(|d| d as i64),
            p.sample_rate,
            p.bit_depth,
            p.channels,
            p.bitrate,
            p.format,
            p.codec,
            t.cover_hash,
            $now,
        ]
    }};
}

pub fn insert(conn: &Connection, t: &ScannedTrack, album_id: i64, now: i64) -> rusqlite::Result<i64> {
    let sql = format!(
        "INSERT INTO tracks ({WRITE_COLUMNS}, added_at) VALUES ({}, ?{})",
        (1..=49).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", "),
        50
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let base = write_params!(t, album_id, now);
    let mut all: Vec<&dyn rusqlite::ToSql> = base.to_vec();
    all.push(&now);
    stmt.execute(all.as_slice())?;
    Ok(conn.last_insert_rowid())
}

/// Rewrites a track's file facts and tags; the row (and everything attached to it) stays.
/// Also clears `missing_since`: the file is here.
pub fn update(conn: &Connection, id: i64, t: &ScannedTrack, album_id: i64, now: i64) -> rusqlite::Result<()> {
    let sets = WRITE_COLUMNS
        .split(',')
        .map(str::trim)
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("UPDATE tracks SET {sets}, missing_since = NULL WHERE id = ?50");
    let mut stmt = conn.prepare_cached(&sql)?;
    let base = write_params!(t, album_id, now);
    let mut all: Vec<&dyn rusqlite::ToSql> = base.to_vec();
    all.push(&id);
    stmt.execute(all.as_slice())?;
    Ok(())
}

/// Missing tracks with this content identity: candidates for a moved or renamed file.
pub fn missing_with_content(conn: &Connection, content_id: &str) -> rusqlite::Result<Vec<(i64, Vec<u8>)>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, path FROM tracks WHERE content_id = ?1 AND missing_since IS NOT NULL ORDER BY id")?;
    let rows = stmt.query_map([content_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

pub fn mark_missing(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE tracks SET missing_since = ?2 WHERE id = ?1 AND missing_since IS NULL")?
        .execute(params![id, now])?;
    Ok(())
}

pub fn clear_missing(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE tracks SET missing_since = NULL WHERE id = ?1")?.execute([id])?;
    Ok(())
}

pub fn album_of(conn: &Connection, id: i64) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT album_id FROM tracks WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
        .map(Option::flatten)
}

/// The text a track is found by. People are everyone credited besides artists and composers.
pub struct FtsEntry<'a> {
    pub title: Option<&'a str>,
    pub album: Option<&'a str>,
    pub work: Option<&'a str>,
    pub artists: String,
    pub composers: String,
    pub people: String,
    pub label: Option<&'a str>,
    pub catalog: String,
}

pub fn index(conn: &Connection, id: i64, e: &FtsEntry) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM track_fts WHERE rowid = ?1")?.execute([id])?;
    conn.prepare_cached(
        "INSERT INTO track_fts (rowid, title, album, work, artists, composers, people, label, catalog)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![id, e.title, e.album, e.work, e.artists, e.composers, e.people, e.label, e.catalog])?;
    Ok(())
}

/// A track as lists show it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TrackRow {
    pub id: i64,
    pub title: Option<String>,
    pub artists: Vec<String>,
    pub composers: Vec<String>,
    pub album_id: Option<i64>,
    pub album: Option<String>,
    pub work: Option<String>,
    pub disc_no: Option<i64>,
    pub track_no: Option<i64>,
    pub year: Option<i64>,
    pub duration_ms: Option<i64>,
    pub format: String,
    pub codec: Option<String>,
    pub sample_rate: Option<i64>,
    pub bit_depth: Option<i64>,
    pub channels: Option<i64>,
    pub bitrate: Option<i64>,
    pub path: String,
    pub missing_since: Option<i64>,
}

/// Columns for [`TrackRow`], over `tracks t LEFT JOIN albums a LEFT JOIN works w`.
pub const ROW_COLUMNS: &str = "t.id, t.title, t.artists, t.composers, t.album_id, coalesce(a.title, t.album_title), w.title,
    t.disc_no, t.track_no, t.year, t.duration_ms, t.format, t.codec, t.sample_rate, t.bit_depth, t.channels, t.bitrate,
    t.path, t.missing_since";

pub const ROW_FROM: &str = "tracks t LEFT JOIN albums a ON a.id = t.album_id
    LEFT JOIN works w ON w.id = coalesce(a.user_work_id, a.work_id)";

pub fn map_row(r: &Row) -> rusqlite::Result<TrackRow> {
    Ok(TrackRow {
        id: r.get(0)?,
        title: r.get(1)?,
        artists: parse_list(r.get(2)?),
        composers: parse_list(r.get(3)?),
        album_id: r.get(4)?,
        album: r.get(5)?,
        work: r.get(6)?,
        disc_no: r.get(7)?,
        track_no: r.get(8)?,
        year: r.get(9)?,
        duration_ms: r.get(10)?,
        format: r.get(11)?,
        codec: r.get(12)?,
        sample_rate: r.get(13)?,
        bit_depth: r.get(14)?,
        channels: r.get(15)?,
        bitrate: r.get(16)?,
        path: display_path(&r.get::<_, Vec<u8>>(17)?),
        missing_since: r.get(18)?,
    })
}

pub fn by_album(conn: &Connection, album_id: i64) -> rusqlite::Result<Vec<TrackRow>> {
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM {ROW_FROM} WHERE t.album_id = ?1
         ORDER BY coalesce(t.disc_no, 1), t.track_no IS NULL, t.track_no, t.path"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([album_id], map_row)?;
    rows.collect()
}

/// Looks a track up by its file path (exact bytes).
pub fn id_by_path(conn: &Connection, path: &std::path::Path) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT id FROM tracks WHERE path = ?1", [path_bytes(path)], |r| r.get(0)).optional()
}

pub fn content_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT content_id FROM tracks WHERE id = ?1", [id], |r| r.get(0)).optional()
}

/// Drops the search rows of a root's tracks (before the root and its tracks are deleted).
pub fn unindex_root(conn: &Connection, root_id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM track_fts WHERE rowid IN (SELECT id FROM tracks WHERE root_id = ?1)", [root_id])?;
    Ok(())
}
