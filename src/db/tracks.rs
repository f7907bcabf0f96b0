//! `tracks` and their rows in the `track_fts` search index.
//!
//! A track row is anchored to a content identity, not to a path: a move updates `path`, a vanished
//! file sets `missing_since`, and nothing here deletes a track row.

use std::sync::LazyLock;

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
    let mut stmt = conn.prepare(
        "SELECT id, root_id, path, file_size, file_mtime, missing_since IS NOT NULL FROM tracks",
    )?;
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
    bit_depth, channels, bitrate, format, codec, cover_hash, updated_at, album_sort";

macro_rules! write_params {
    ($t:expr, $album_id:expr, $album_sort:expr, $now:expr) => {{
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
            $album_sort,
        ]
    }};
}

/// Number of parameters `write_params!` binds, one per `WRITE_COLUMNS` entry.
const WRITE_PARAMS: usize = 50;

static INSERT_SQL: LazyLock<String> = LazyLock::new(|| {
    let placeholders: Vec<String> = (1..=WRITE_PARAMS + 1).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO tracks ({WRITE_COLUMNS}, added_at) VALUES ({})",
        placeholders.join(", ")
    )
});

static UPDATE_SQL: LazyLock<String> = LazyLock::new(|| {
    let sets: Vec<String> = WRITE_COLUMNS
        .split(',')
        .map(str::trim)
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 1))
        .collect();
    format!(
        "UPDATE tracks SET {}, missing_since = NULL WHERE id = ?{}",
        sets.join(", "),
        WRITE_PARAMS + 1
    )
});

/// Inserts a track of album `album_id`, whose title (`album_title`) orders track listings.
pub fn insert(
    conn: &Connection,
    t: &ScannedTrack,
    album_id: i64,
    album_title: &str,
    now: i64,
) -> rusqlite::Result<i64> {
    let mut stmt = conn.prepare_cached(&INSERT_SQL)?;
    let base = write_params!(t, album_id, album_title, now);
    let mut all: Vec<&dyn rusqlite::ToSql> = base.to_vec();
    all.push(&now);
    stmt.execute(all.as_slice())?;
    Ok(conn.last_insert_rowid())
}

/// Rewrites a track's file facts and tags; the row (and everything attached to it) stays.
/// Also clears `missing_since`: the file is here.
pub fn update(
    conn: &Connection,
    id: i64,
    t: &ScannedTrack,
    album_id: i64,
    album_title: &str,
    now: i64,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(&UPDATE_SQL)?;
    let base = write_params!(t, album_id, album_title, now);
    let mut all: Vec<&dyn rusqlite::ToSql> = base.to_vec();
    all.push(&id);
    stmt.execute(all.as_slice())?;
    Ok(())
}

/// Missing tracks with this content identity: candidates for a moved or renamed file.
/// Uses the partial index over missing rows: libraries hold many copies of one payload, and the
/// full content index would visit every present copy.
pub fn missing_with_content(
    conn: &Connection,
    content_id: &str,
) -> rusqlite::Result<Vec<(i64, Vec<u8>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, path FROM tracks INDEXED BY tracks_missing_content
         WHERE content_id = ?1 AND missing_since IS NOT NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([content_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

pub fn mark_missing(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE tracks SET missing_since = ?2 WHERE id = ?1 AND missing_since IS NULL",
    )?
    .execute(params![id, now])?;
    Ok(())
}

pub fn clear_missing(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE tracks SET missing_since = NULL WHERE id = ?1")?
        .execute([id])?;
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
    pub artists: &'a str,
    pub composers: &'a str,
    pub people: &'a str,
    pub label: Option<&'a str>,
    pub catalog: &'a str,
}

/// Writes the search index row of track `id`; `fresh` says the track was just inserted and so
/// has no row to replace.
pub fn index(conn: &Connection, id: i64, fresh: bool, e: &FtsEntry) -> rusqlite::Result<()> {
    if !fresh {
        conn.prepare_cached("DELETE FROM track_fts WHERE rowid = ?1")?
            .execute([id])?;
    }
    conn.prepare_cached(
        "INSERT INTO track_fts (rowid, title, album, work, artists, composers, people, label, catalog)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![id, e.title, e.album, e.work, e.artists, e.composers, e.people, e.label, e.catalog])?;
    Ok(())
}

/// What the search index is built from, read back from a track row (to index an album again
/// after the collector changed its fields).
#[derive(Debug, Clone, Default)]
pub struct IndexSource {
    pub id: i64,
    pub title: Option<String>,
    pub album: Option<String>,
    pub work: Option<String>,
    pub artists: Vec<String>,
    pub composers: Vec<String>,
    pub conductors: Vec<String>,
    pub orchestrators: Vec<String>,
    pub performers: Vec<String>,
    pub album_artist: Option<String>,
    pub label: Option<String>,
    pub catalog_numbers: Vec<String>,
    pub barcode: Option<String>,
}

pub fn index_sources(conn: &Connection, album_id: i64) -> rusqlite::Result<Vec<IndexSource>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.title, t.album_title, w.title, t.artists, t.composers, t.conductors, t.orchestrators,
                t.performers, t.album_artist, t.label, t.catalog_numbers, t.barcode
         FROM tracks t LEFT JOIN albums a ON a.id = t.album_id
              LEFT JOIN works w ON w.id = coalesce(a.user_work_id, a.work_id)
         WHERE t.album_id = ?1",
    )?;
    let rows = stmt.query_map([album_id], |r| {
        Ok(IndexSource {
            id: r.get(0)?,
            title: r.get(1)?,
            album: r.get(2)?,
            work: r.get(3)?,
            artists: parse_list(r.get(4)?),
            composers: parse_list(r.get(5)?),
            conductors: parse_list(r.get(6)?),
            orchestrators: parse_list(r.get(7)?),
            performers: parse_list(r.get(8)?),
            album_artist: r.get(9)?,
            label: r.get(10)?,
            catalog_numbers: parse_list(r.get(11)?),
            barcode: r.get(12)?,
        })
    })?;
    rows.collect()
}

/// A present track no annotation is keyed to: what a lost track's annotations may be relinked to.
#[derive(Debug, Clone)]
pub struct RelinkCandidate {
    pub id: i64,
    pub content_id: String,
    pub title: Option<String>,
    pub album: Option<String>,
    pub disc_no: Option<i64>,
    pub track_no: Option<i64>,
    pub mb_track_id: Option<String>,
    pub path: String,
}

pub fn unannotated_present(conn: &Connection) -> rusqlite::Result<Vec<RelinkCandidate>> {
    let mut stmt = conn.prepare(
        "SELECT t.id, t.content_id, t.title, coalesce(a.title, t.album_title), t.disc_no, t.track_no,
                t.mb_track_id, t.path
         FROM tracks t LEFT JOIN albums a ON a.id = t.album_id
         WHERE t.missing_since IS NULL
           AND NOT EXISTS (SELECT 1 FROM subjects s WHERE s.kind = 'track' AND s.content_id = t.content_id)",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(RelinkCandidate {
            id: r.get(0)?,
            content_id: r.get(1)?,
            title: r.get(2)?,
            album: r.get(3)?,
            disc_no: r.get(4)?,
            track_no: r.get(5)?,
            mb_track_id: r.get(6)?,
            path: display_path(&r.get::<_, Vec<u8>>(7)?),
        })
    })?;
    rows.collect()
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
    /// The track's own picture, else its album's.
    pub cover_hash: Option<String>,
    /// The collector's rating, 0–5.
    pub rating: Option<u8>,
    /// The cue number the collector set ("1M1").
    pub cue: Option<String>,
    /// The collector's tags on the track itself, by name.
    pub tags: Vec<String>,
}

/// Columns for [`TrackRow`], over `tracks t LEFT JOIN albums a LEFT JOIN works w LEFT JOIN
/// subjects ts` (the track's annotations).
pub const ROW_COLUMNS: &str = "t.id, t.title, t.artists, t.composers, t.album_id, coalesce(a.title, t.album_title), w.title,
    t.disc_no, t.track_no, t.year, t.duration_ms, t.format, t.codec, t.sample_rate, t.bit_depth, t.channels, t.bitrate,
    t.path, t.missing_since, coalesce(t.cover_hash, a.cover_hash), ts.rating, json_extract(ts.fields, '$.cue'),
    CASE WHEN ts.id IS NOT NULL THEN (SELECT json_group_array(name) FROM (SELECT g.name FROM subject_tags st
        JOIN tags g ON g.id = st.tag_id WHERE st.subject_id = ts.id ORDER BY g.name COLLATE NOCASE)) END";

pub const ROW_FROM: &str = "tracks t LEFT JOIN albums a ON a.id = t.album_id
    LEFT JOIN works w ON w.id = coalesce(a.user_work_id, a.work_id)
    LEFT JOIN subjects ts ON ts.kind = 'track' AND ts.content_id = t.content_id";

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
        cover_hash: r.get(19)?,
        rating: r.get(20)?,
        cue: r.get(21)?,
        tags: parse_list(r.get(22)?),
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

pub fn by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<TrackRow>> {
    let sql = format!("SELECT {ROW_COLUMNS} FROM {ROW_FROM} WHERE t.id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], map_row)
        .optional()
}

/// The track's file path.
pub fn path_of(conn: &Connection, id: i64) -> rusqlite::Result<Option<std::path::PathBuf>> {
    conn.prepare_cached("SELECT path FROM tracks WHERE id = ?1")?
        .query_row([id], |r| r.get::<_, Vec<u8>>(0))
        .optional()
        .map(|p| p.map(|b| crate::text::path_from_bytes(&b)))
}

/// Looks a track up by its file path (exact bytes).
pub fn id_by_path(conn: &Connection, path: &std::path::Path) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT id FROM tracks WHERE path = ?1",
        [path_bytes(path)],
        |r| r.get(0),
    )
    .optional()
}

pub fn content_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT content_id FROM tracks WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .optional()
}

/// Drops the search rows of a root's tracks (before the root and its tracks are deleted).
/// What the player needs to know about a track.
#[derive(Debug, Clone, PartialEq)]
pub struct Playable {
    pub id: i64,
    pub path: std::path::PathBuf,
    pub format: String,
    pub content_id: String,
    pub duration_ms: Option<u64>,
    pub rg_track_gain: Option<f64>,
    pub rg_track_peak: Option<f64>,
    pub missing: bool,
}

pub fn playable(conn: &Connection, id: i64) -> rusqlite::Result<Option<Playable>> {
    conn.prepare_cached(
        "SELECT id, path, format, content_id, duration_ms, rg_track_gain, rg_track_peak,
                missing_since IS NOT NULL
         FROM tracks WHERE id = ?1",
    )?
    .query_row([id], |r| {
        Ok(Playable {
            id: r.get(0)?,
            path: crate::text::path_from_bytes(&r.get::<_, Vec<u8>>(1)?),
            format: r.get(2)?,
            content_id: r.get(3)?,
            duration_ms: r.get::<_, Option<i64>>(4)?.map(|d| d.max(0) as u64),
            rg_track_gain: r.get(5)?,
            rg_track_peak: r.get(6)?,
            missing: r.get(7)?,
        })
    })
    .optional()
}

/// Records one full play of a track.
pub fn record_play(conn: &Connection, id: i64, at: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO plays (track_id, played_at) VALUES (?1, ?2)")?
        .execute(params![id, at])?;
    Ok(())
}

/// How many times a track was played in full.
pub fn play_count(conn: &Connection, id: i64) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT count(*) FROM plays WHERE track_id = ?1")?
        .query_row([id], |r| r.get(0))
}

/// Whether any track is marked missing.
pub fn any_missing(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM tracks INDEXED BY tracks_missing_content
                        WHERE missing_since IS NOT NULL)",
        [],
        |r| r.get(0),
    )
}

pub fn unindex_root(conn: &Connection, root_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM track_fts WHERE rowid IN (SELECT id FROM tracks WHERE root_id = ?1)",
        [root_id],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanned(path: &str, title: &str) -> ScannedTrack {
        ScannedTrack {
            root_id: 1,
            path: path.into(),
            size: 10,
            mtime: 20,
            content_id: "c0ffee".into(),
            tags: crate::catalog::tags::TrackTags {
                title: Some(title.into()),
                artists: vec!["A".into(), "B".into()],
                disc_no: Some(2),
                track_no: Some(3),
                date: Some("1977-05-25".into()),
                label: Some("Decca".into()),
                ..Default::default()
            },
            props: crate::catalog::tags::AudioProps {
                duration_ms: Some(1000),
                format: "flac",
                ..Default::default()
            },
            cover_hash: None,
        }
    }

    fn fresh() -> (Connection, i64) {
        let conn = crate::db::open_memory().unwrap();
        crate::db::roots::insert(&conn, std::path::Path::new("/m"), 1).unwrap();
        let album = crate::db::albums::NewAlbum {
            key: "k".into(),
            title: "Album".into(),
            ..Default::default()
        };
        let album_id = crate::db::albums::insert(&conn, &album, 1).unwrap();
        (conn, album_id)
    }

    #[test]
    fn a_track_row_survives_update_missing_and_return() {
        let (conn, album) = fresh();
        let id = insert(&conn, &scanned("/m/a.flac", "One"), album, "Album", 5).unwrap();
        let row = &by_album(&conn, album).unwrap()[0];
        assert_eq!(
            (row.title.as_deref(), row.year, row.disc_no, row.track_no),
            (Some("One"), Some(1977), Some(2), Some(3))
        );
        assert_eq!(row.artists, vec!["A", "B"], "list columns round-trip");
        mark_missing(&conn, id, 9).unwrap();
        mark_missing(&conn, id, 11).unwrap();
        assert_eq!(
            missing_with_content(&conn, "c0ffee").unwrap(),
            vec![(id, b"/m/a.flac".to_vec())]
        );
        let states = file_states(&conn).unwrap();
        assert!(states[0].missing, "the state says missing");
        update(
            &conn,
            id,
            &scanned("/m/moved/a.flac", "Two"),
            album,
            "Album",
            12,
        )
        .unwrap();
        assert!(
            missing_with_content(&conn, "c0ffee").unwrap().is_empty(),
            "an update brings the row back"
        );
        assert_eq!(
            id_by_path(&conn, std::path::Path::new("/m/moved/a.flac")).unwrap(),
            Some(id),
            "same row, new path"
        );
        assert_eq!(
            by_album(&conn, album).unwrap()[0].title.as_deref(),
            Some("Two")
        );
    }

    #[test]
    fn albums_refresh_from_their_tracks_and_empty_ones_are_pruned() {
        let (conn, album) = fresh();
        insert(&conn, &scanned("/m/a.flac", "One"), album, "Album", 5).unwrap();
        crate::db::albums::refresh(&conn, album).unwrap();
        let detail = crate::db::albums::detail(&conn, album).unwrap().unwrap();
        assert_eq!(
            (
                detail.row.year,
                detail.row.label.as_deref(),
                detail.row.discs
            ),
            (Some(1977), Some("Decca"), Some(2))
        );
        assert_eq!(
            crate::db::albums::prune_empty(&conn).unwrap(),
            0,
            "an album with a track stays"
        );
        let empty = crate::db::albums::NewAlbum {
            key: "e".into(),
            title: "Empty".into(),
            ..Default::default()
        };
        crate::db::albums::insert(&conn, &empty, 1).unwrap();
        assert_eq!(
            crate::db::albums::prune_empty(&conn).unwrap(),
            1,
            "an album without tracks goes"
        );
    }

    #[test]
    fn problems_are_recorded_once_per_path_and_cleared() {
        let (conn, _) = fresh();
        crate::db::problems::upsert(&conn, b"/m/x.mp3", 1, "broken", Some(1), Some(2), 3).unwrap();
        crate::db::problems::upsert(&conn, b"/m/x.mp3", 1, "still broken", Some(1), Some(2), 4)
            .unwrap();
        let list = crate::db::problems::list(&conn).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].reason, "still broken", "the latest reason wins");
        crate::db::problems::delete(&conn, b"/m/x.mp3").unwrap();
        assert!(crate::db::problems::list(&conn).unwrap().is_empty());
    }

    #[test]
    fn the_write_statement_binds_one_parameter_per_column() {
        assert_eq!(
            WRITE_COLUMNS.split(',').count(),
            WRITE_PARAMS,
            "columns and parameters must line up"
        );
    }
}
