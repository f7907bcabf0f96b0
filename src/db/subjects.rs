//! `subjects`, `cue_notes` and `note_fts`: what the collector annotated and the notes on it.
//!
//! A subject is keyed by an identity that outlives catalog rows: a track's content id, a work's
//! sort key, or (for albums) the album it is attached to now, found again from its member
//! tracks by `annotate::reattach`. Nothing here deletes a subject except [`delete`], which only
//! runs on the collector's request or for a subject that holds nothing.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

/// What a subject is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Album,
    Track,
    Work,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Album => "album",
            Kind::Track => "track",
            Kind::Work => "work",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "album" => Kind::Album,
            "track" => Kind::Track,
            _ => Kind::Work,
        }
    }
}

/// One subject row.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    pub id: i64,
    pub kind: Kind,
    pub content_id: Option<String>,
    pub album_id: Option<i64>,
    pub work_key: Option<String>,
    /// JSON (see the migration).
    pub anchor: String,
    pub rating: Option<u8>,
    pub note: Option<String>,
    /// JSON object of `annotate::Fields`.
    pub fields: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, kind, content_id, album_id, work_key, anchor, rating, note, fields, created_at, updated_at";

fn map(r: &Row) -> rusqlite::Result<Subject> {
    Ok(Subject {
        id: r.get(0)?,
        kind: Kind::parse(&r.get::<_, String>(1)?),
        content_id: r.get(2)?,
        album_id: r.get(3)?,
        work_key: r.get(4)?,
        anchor: r.get(5)?,
        rating: r.get(6)?,
        note: r.get(7)?,
        fields: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<Subject>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM subjects WHERE id = ?1"))?
        .query_row([id], map)
        .optional()
}

pub fn of_track(conn: &Connection, content_id: &str) -> rusqlite::Result<Option<Subject>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM subjects WHERE kind = 'track' AND content_id = ?1"
    ))?
    .query_row([content_id], map)
    .optional()
}

pub fn of_album(conn: &Connection, album_id: i64) -> rusqlite::Result<Option<Subject>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM subjects WHERE kind = 'album' AND album_id = ?1"
    ))?
    .query_row([album_id], map)
    .optional()
}

pub fn of_work(conn: &Connection, work_key: &str) -> rusqlite::Result<Option<Subject>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM subjects WHERE kind = 'work' AND work_key = ?1"
    ))?
    .query_row([work_key], map)
    .optional()
}

/// Every subject of `kind`, oldest first.
pub fn all(conn: &Connection, kind: Option<Kind>) -> rusqlite::Result<Vec<Subject>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM subjects WHERE ?1 IS NULL OR kind = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([kind.map(Kind::as_str)], map)?;
    rows.collect()
}

/// A new subject; exactly one of the keys must be set, as `kind` demands.
pub fn insert(
    conn: &Connection,
    kind: Kind,
    content_id: Option<&str>,
    album_id: Option<i64>,
    work_key: Option<&str>,
    anchor: &str,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO subjects (kind, content_id, album_id, work_key, anchor, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )?
    .execute(params![kind.as_str(), content_id, album_id, work_key, anchor, now])?;
    Ok(conn.last_insert_rowid())
}

pub fn set_rating(
    conn: &Connection,
    id: i64,
    rating: Option<u8>,
    now: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE subjects SET rating = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, rating, now])?;
    Ok(())
}

pub fn set_note(conn: &Connection, id: i64, note: Option<&str>, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE subjects SET note = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, note, now])?;
    Ok(())
}

/// Stores the field overrides (JSON, `None` for none) and the cue number's sort key.
pub fn set_fields(
    conn: &Connection,
    id: i64,
    fields: Option<&str>,
    cue_sort: Option<&str>,
    now: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE subjects SET fields = ?2, cue_sort = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, fields, cue_sort, now])?;
    Ok(())
}

pub fn set_anchor(conn: &Connection, id: i64, anchor: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE subjects SET anchor = ?2 WHERE id = ?1 AND anchor IS NOT ?2")?
        .execute(params![id, anchor])?;
    Ok(())
}

pub fn set_album(conn: &Connection, id: i64, album_id: Option<i64>) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE subjects SET album_id = ?2 WHERE id = ?1")?
        .execute(params![id, album_id])?;
    Ok(())
}

pub fn set_content(conn: &Connection, id: i64, content_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE subjects SET content_id = ?2 WHERE id = ?1")?
        .execute(params![id, content_id])?;
    Ok(())
}

pub fn set_work_key(conn: &Connection, id: i64, work_key: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE subjects SET work_key = ?2 WHERE id = ?1")?
        .execute(params![id, work_key])?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM note_fts WHERE rowid = ?1")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM subjects WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Deletes the subject when it holds nothing (no rating, note, fields, tag or time-coded note)
/// and no list entry or article link points at it,
/// so the orphan list only ever shows something worth keeping. Returns whether it went.
pub fn delete_if_empty(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    let empty: bool = conn
        .prepare_cached(
            "SELECT rating IS NULL AND note IS NULL AND fields IS NULL
                AND NOT EXISTS (SELECT 1 FROM subject_tags WHERE subject_id = ?1)
                AND NOT EXISTS (SELECT 1 FROM cue_notes WHERE subject_id = ?1)
                AND NOT EXISTS (SELECT 1 FROM list_entries WHERE subject_id = ?1)
                AND NOT EXISTS (SELECT 1 FROM article_links WHERE subject_id = ?1)
             FROM subjects WHERE id = ?1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?
        .unwrap_or(false);
    if empty {
        delete(conn, id)?;
    }
    Ok(empty)
}

/// A time-coded note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CueNote {
    pub id: i64,
    pub at_ms: i64,
    pub text: String,
}

pub fn cue_notes(conn: &Connection, subject_id: i64) -> rusqlite::Result<Vec<CueNote>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at_ms, text FROM cue_notes WHERE subject_id = ?1 ORDER BY at_ms, id",
    )?;
    let rows = stmt.query_map([subject_id], |r| {
        Ok(CueNote {
            id: r.get(0)?,
            at_ms: r.get(1)?,
            text: r.get(2)?,
        })
    })?;
    rows.collect()
}

pub fn add_cue_note(
    conn: &Connection,
    subject_id: i64,
    at_ms: i64,
    text: &str,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO cue_notes (subject_id, at_ms, text, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![subject_id, at_ms, text, now])?;
    Ok(conn.last_insert_rowid())
}

/// How many times the subject has this exact time-coded note (a restore adds each as often as
/// the backup holds it, and no more).
pub fn count_cue_note(
    conn: &Connection,
    subject_id: i64,
    at_ms: i64,
    text: &str,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "SELECT count(*) FROM cue_notes WHERE subject_id = ?1 AND at_ms = ?2 AND text = ?3",
    )?
    .query_row(params![subject_id, at_ms, text], |r| r.get(0))
}

/// The subject a time-coded note belongs to.
pub fn cue_note_subject(conn: &Connection, cue_note_id: i64) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT subject_id FROM cue_notes WHERE id = ?1")?
        .query_row([cue_note_id], |r| r.get(0))
        .optional()
}

pub fn update_cue_note(conn: &Connection, id: i64, at_ms: i64, text: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE cue_notes SET at_ms = ?2, text = ?3 WHERE id = ?1")?
        .execute(params![id, at_ms, text])?;
    Ok(())
}

pub fn delete_cue_note(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM cue_notes WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Moves everything of subject `from` onto `into` and deletes `from`: tags and time-coded notes
/// are added, a rating, note or field `into` lacks is taken, and two different notes are both
/// kept, one after the other. Nothing is lost.
pub fn merge(conn: &Connection, into: i64, from: i64, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO subject_tags (subject_id, tag_id)
         SELECT ?1, tag_id FROM subject_tags WHERE subject_id = ?2",
    )?
    .execute([into, from])?;
    conn.prepare_cached(
        "INSERT INTO cue_notes (subject_id, at_ms, text, created_at)
         SELECT ?1, at_ms, text, created_at FROM cue_notes f WHERE subject_id = ?2
           AND NOT EXISTS (SELECT 1 FROM cue_notes i WHERE i.subject_id = ?1 AND i.at_ms = f.at_ms AND i.text = f.text)",
    )?
    .execute([into, from])?;
    conn.prepare_cached(
        "UPDATE subjects SET
            rating = coalesce(rating, (SELECT rating FROM subjects WHERE id = ?2)),
            note = CASE
                WHEN (SELECT note FROM subjects WHERE id = ?2) IS NULL THEN note
                WHEN note IS NULL OR note = (SELECT note FROM subjects WHERE id = ?2)
                    THEN (SELECT note FROM subjects WHERE id = ?2)
                ELSE note || char(10) || char(10) || '---' || char(10) || char(10) || (SELECT note FROM subjects WHERE id = ?2)
            END,
            fields = CASE
                WHEN (SELECT fields FROM subjects WHERE id = ?2) IS NULL THEN fields
                WHEN fields IS NULL THEN (SELECT fields FROM subjects WHERE id = ?2)
                ELSE json_patch((SELECT fields FROM subjects WHERE id = ?2), fields)
            END,
            cue_sort = coalesce(cue_sort, (SELECT cue_sort FROM subjects WHERE id = ?2)),
            created_at = min(created_at, (SELECT created_at FROM subjects WHERE id = ?2)),
            updated_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![into, from, now])?;
    // List entries and article links follow the subject they now belong to.
    conn.prepare_cached("UPDATE list_entries SET subject_id = ?1 WHERE subject_id = ?2")?
        .execute([into, from])?;
    conn.prepare_cached(
        "UPDATE OR IGNORE article_links SET subject_id = ?1, target_key = 'subject:' || ?1
         WHERE subject_id = ?2",
    )?
    .execute([into, from])?;
    delete(conn, from)
}

/// Rewrites the subject's row in the note index from its note (as plain text) and its
/// time-coded notes.
pub fn index_notes(conn: &Connection, id: i64, note_text: Option<&str>) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM note_fts WHERE rowid = ?1")?
        .execute([id])?;
    let mut text = note_text.unwrap_or_default().to_string();
    for cue in cue_notes(conn, id)? {
        text.push('\n');
        text.push_str(&cue.text);
    }
    if !text.trim().is_empty() {
        conn.prepare_cached("INSERT INTO note_fts (rowid, text) VALUES (?1, ?2)")?
            .execute(params![id, text])?;
    }
    Ok(())
}

/// Content ids of the album's tracks, present and missing, in disc and track order.
pub fn album_contents(conn: &Connection, album_id: i64) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT content_id FROM tracks WHERE album_id = ?1
         ORDER BY coalesce(disc_no, 1), track_no, content_id",
    )?;
    let rows = stmt.query_map([album_id], |r| r.get(0))?;
    rows.collect()
}

/// An album holding some of an album subject's tracks.
#[derive(Debug, Clone, PartialEq)]
pub struct AlbumCandidate {
    pub id: i64,
    /// How many of the wanted contents it holds.
    pub overlap: i64,
    /// How many distinct contents it holds in all.
    pub size: i64,
    pub title: String,
    pub album_artist: Option<String>,
    /// Whether another album subject is attached to it already.
    pub annotated: bool,
}

/// Albums holding any of `contents`: those with the most of them and, first, those titled
/// `title` (compared without case), at most `limit`. A recording many albums share (a generated
/// library, a compilation staple) would otherwise make every one of them a candidate.
pub fn album_candidates(
    conn: &Connection,
    contents: &[String],
    title: Option<&str>,
    limit: usize,
) -> rusqlite::Result<Vec<AlbumCandidate>> {
    if contents.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(contents).expect("strings serialize");
    // Rank first on what is cheap; only the chosen few get their sizes counted.
    let ranked: Vec<(i64, i64)> = conn
        .prepare_cached(
            "WITH hits AS (
                SELECT album_id, count(DISTINCT content_id) AS overlap FROM tracks
                WHERE content_id IN (SELECT value FROM json_each(?1)) AND album_id IS NOT NULL
                GROUP BY album_id)
             SELECT h.album_id, h.overlap FROM hits h JOIN albums a ON a.id = h.album_id
             ORDER BY (a.title = ?2 COLLATE NOCASE) DESC, h.overlap DESC, h.album_id
             LIMIT ?3",
        )?
        .query_map(params![list, title, limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut detail = conn.prepare_cached(
        "SELECT (SELECT count(DISTINCT x.content_id) FROM tracks x WHERE x.album_id = a.id),
                a.title, a.album_artist,
                EXISTS (SELECT 1 FROM subjects s WHERE s.kind = 'album' AND s.album_id = a.id)
         FROM albums a WHERE a.id = ?1",
    )?;
    ranked
        .into_iter()
        .map(|(id, overlap)| {
            detail.query_row([id], |r| {
                Ok(AlbumCandidate {
                    id,
                    overlap,
                    size: r.get(0)?,
                    title: r.get(1)?,
                    album_artist: r.get(2)?,
                    annotated: r.get(3)?,
                })
            })
        })
        .collect()
}

/// Content ids of the tracks of every album whose work (the user's first) has this sort key.
pub fn work_contents(conn: &Connection, work_key: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT t.content_id FROM tracks t JOIN albums a ON a.id = t.album_id
           JOIN works w ON w.id = coalesce(a.user_work_id, a.work_id)
         WHERE w.sort_key = ?1 ORDER BY t.content_id",
    )?;
    let rows = stmt.query_map([work_key], |r| r.get(0))?;
    rows.collect()
}

/// The work (id, title) whose albums hold most of `contents`.
pub fn work_with_most(
    conn: &Connection,
    contents: &[String],
) -> rusqlite::Result<Option<(i64, String)>> {
    if contents.is_empty() {
        return Ok(None);
    }
    let list = serde_json::to_string(contents).expect("strings serialize");
    conn.prepare_cached(
        "SELECT w.id, w.title FROM tracks t JOIN albums a ON a.id = t.album_id
           JOIN works w ON w.id = coalesce(a.user_work_id, a.work_id)
         WHERE t.content_id IN (SELECT value FROM json_each(?1))
         GROUP BY w.id ORDER BY count(DISTINCT t.content_id) DESC, w.id LIMIT 1",
    )?
    .query_row([list], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
}

/// Whether any track (present or missing) has this content.
pub fn content_known(conn: &Connection, content_id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM tracks WHERE content_id = ?1)")?
        .query_row([content_id], |r| r.get(0))
}

/// Refreshes the anchors of track subjects from a present track with their content, so a later
/// re-encode is matched by today's tags. Only changed anchors are written.
pub fn refresh_track_anchors(conn: &Connection) -> rusqlite::Result<usize> {
    conn.execute(
        &format!(
            "UPDATE subjects SET anchor = a.anchor FROM (
                SELECT t.content_id, {TRACK_ANCHOR} AS anchor
                FROM tracks t LEFT JOIN albums al ON al.id = t.album_id
                WHERE t.missing_since IS NULL
                  AND t.content_id IN (SELECT content_id FROM subjects WHERE kind = 'track')
                GROUP BY t.content_id
             ) AS a
             WHERE subjects.kind = 'track' AND subjects.content_id = a.content_id
               AND subjects.anchor IS NOT a.anchor"
        ),
        [],
    )
}

/// The anchor of a track subject, over `tracks t LEFT JOIN albums al`.
pub const TRACK_ANCHOR: &str = "json_object(
    'title', t.title, 'album', coalesce(al.title, t.album_title), 'artists', json(coalesce(t.artists, '[]')),
    'disc', t.disc_no, 'track', t.track_no, 'mb_track_id', t.mb_track_id,
    'mb_recording_id', t.mb_recording_id, 'duration_ms', t.duration_ms)";

/// The anchor for the track with this id.
pub fn track_anchor(conn: &Connection, track_id: i64) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(&format!(
        "SELECT {TRACK_ANCHOR} FROM tracks t LEFT JOIN albums al ON al.id = t.album_id WHERE t.id = ?1"
    ))?
    .query_row([track_id], |r| r.get(0))
    .optional()
}

/// Subjects whose key no longer resolves: track subjects no track has the content of, album
/// subjects attached to no album, work subjects no work has the key of.
pub fn orphans(conn: &Connection) -> rusqlite::Result<Vec<Subject>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM subjects s WHERE
            (kind = 'track' AND NOT EXISTS (SELECT 1 FROM tracks t WHERE t.content_id = s.content_id))
         OR (kind = 'album' AND album_id IS NULL)
         OR (kind = 'work' AND NOT EXISTS (SELECT 1 FROM works w WHERE w.sort_key = s.work_key))
         ORDER BY id"
    ))?;
    let rows = stmt.query_map([], map)?;
    rows.collect()
}

/// Track subjects none of whose tracks is present (gone or only missing ones): the ones a
/// re-encode may have replaced.
pub fn tracks_without_present_file(conn: &Connection) -> rusqlite::Result<Vec<Subject>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM subjects s WHERE kind = 'track'
           AND NOT EXISTS (SELECT 1 FROM tracks t WHERE t.content_id = s.content_id AND t.missing_since IS NULL)
         ORDER BY id"
    ))?;
    let rows = stmt.query_map([], map)?;
    rows.collect()
}

/// How many subjects there are, and how many of each annotation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub subjects: i64,
    pub rated: i64,
    pub notes: i64,
    pub cue_notes: i64,
    pub with_fields: i64,
    pub tag_uses: i64,
    pub tags: i64,
}

pub fn counts(conn: &Connection) -> rusqlite::Result<Counts> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM subjects), (SELECT count(rating) FROM subjects),
                (SELECT count(note) FROM subjects), (SELECT count(*) FROM cue_notes),
                (SELECT count(fields) FROM subjects), (SELECT count(*) FROM subject_tags),
                (SELECT count(*) FROM tags)",
        [],
        |r| {
            Ok(Counts {
                subjects: r.get(0)?,
                rated: r.get(1)?,
                notes: r.get(2)?,
                cue_notes: r.get(3)?,
                with_fields: r.get(4)?,
                tag_uses: r.get(5)?,
                tags: r.get(6)?,
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track_subject(conn: &Connection, content: &str) -> i64 {
        insert(conn, Kind::Track, Some(content), None, None, "{}", 10).unwrap()
    }

    #[test]
    fn one_subject_per_track_content_and_per_work_key() {
        let conn = crate::db::open_memory().unwrap();
        track_subject(&conn, "c1");
        assert!(
            insert(&conn, Kind::Track, Some("c1"), None, None, "{}", 10).is_err(),
            "a content has one subject"
        );
        insert(&conn, Kind::Work, None, None, Some("tron"), "{}", 10).unwrap();
        assert!(insert(&conn, Kind::Work, None, None, Some("tron"), "{}", 10).is_err());
        assert!(
            insert(&conn, Kind::Track, None, None, None, "{}", 10).is_err(),
            "a track subject needs its content"
        );
        assert!(
            insert(&conn, Kind::Album, None, None, None, "{}", 10).is_ok(),
            "an album subject may be orphaned from the start (a restore before a scan)"
        );
    }

    #[test]
    fn merging_keeps_both_notes_every_tag_and_cue_and_the_first_rating() {
        let conn = crate::db::open_memory().unwrap();
        let a = track_subject(&conn, "a");
        let b = track_subject(&conn, "b");
        set_note(&conn, a, Some("first"), 11).unwrap();
        set_note(&conn, b, Some("second"), 11).unwrap();
        set_rating(&conn, b, Some(4), 11).unwrap();
        set_fields(&conn, a, Some(r#"{"cue":"1M1"}"#), Some("x"), 11).unwrap();
        set_fields(
            &conn,
            b,
            Some(r#"{"cue":"9M9","label":"L"}"#),
            Some("y"),
            11,
        )
        .unwrap();
        let t1 = crate::db::tags::insert(&conn, "one", None, 1).unwrap();
        let t2 = crate::db::tags::insert(&conn, "two", None, 1).unwrap();
        crate::db::tags::add(&conn, a, t1).unwrap();
        crate::db::tags::add(&conn, b, t1).unwrap();
        crate::db::tags::add(&conn, b, t2).unwrap();
        add_cue_note(&conn, a, 100, "same", 1).unwrap();
        add_cue_note(&conn, b, 100, "same", 1).unwrap();
        add_cue_note(&conn, b, 200, "other", 1).unwrap();
        merge(&conn, a, b, 20).unwrap();
        let s = get(&conn, a).unwrap().unwrap();
        assert!(
            get(&conn, b).unwrap().is_none(),
            "the merged subject is gone"
        );
        let note = s.note.unwrap();
        assert!(
            note.starts_with("first") && note.ends_with("second"),
            "{note}"
        );
        assert_eq!(s.rating, Some(4), "a rating the target lacked is taken");
        let fields: serde_json::Value = serde_json::from_str(&s.fields.unwrap()).unwrap();
        assert_eq!(fields["cue"], "1M1", "the target's own field wins");
        assert_eq!(fields["label"], "L", "a field it lacked is filled in");
        assert_eq!(
            crate::db::tags::of_subject(&conn, a).unwrap().len(),
            2,
            "tags are a union"
        );
        assert_eq!(
            cue_notes(&conn, a).unwrap().len(),
            2,
            "an identical time-coded note is kept once"
        );
    }

    #[test]
    fn an_empty_subject_is_deleted_and_a_used_one_is_not() {
        let conn = crate::db::open_memory().unwrap();
        let a = track_subject(&conn, "a");
        let b = track_subject(&conn, "b");
        add_cue_note(&conn, b, 0, "x", 1).unwrap();
        assert!(delete_if_empty(&conn, a).unwrap());
        assert!(
            !delete_if_empty(&conn, b).unwrap(),
            "a time-coded note is worth keeping"
        );
    }

    #[test]
    fn notes_and_time_coded_notes_are_found_by_their_words() {
        let conn = crate::db::open_memory().unwrap();
        let a = track_subject(&conn, "a");
        add_cue_note(&conn, a, 0, "the celesta enters", 1).unwrap();
        index_notes(&conn, a, Some("Brass fanfare")).unwrap();
        let hits = |q: &str| -> i64 {
            conn.query_row(
                "SELECT count(*) FROM note_fts WHERE note_fts MATCH ?1",
                [q],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(hits("brass"), 1);
        assert_eq!(
            hits("celesta"),
            1,
            "time-coded notes are indexed with the note"
        );
        index_notes(&conn, a, None).unwrap();
        assert_eq!(hits("brass"), 0, "a removed note leaves the index");
        assert_eq!(hits("celesta"), 1);
    }
}
