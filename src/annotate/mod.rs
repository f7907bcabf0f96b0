//! Annotations: what the collector adds to the catalog. Tags, ratings, Markdown notes,
//! time-coded notes on a track, and soundtrack field overrides.
//!
//! Everything hangs on a *subject* keyed by an identity that outlives catalog rows (see
//! `migrations/07-annotate`): a track's audio identity, an album's member tracks, a work's sort
//! key. So a rescan, a move, a rename, a retag or a missing disk changes nothing here. A folder
//! removed from the library or a file replaced by a re-encode leaves *orphans*, which are listed
//! and offered for relinking ([`relink_proposals`]) but never dropped. Only [`forget`] deletes
//! one, and only when the collector asks.
//!
//! The facade takes a [`Library`] and does each change in one transaction on the writer. Field
//! overrides are applied to the album rows they concern (its work, label, composer, edition,
//! catalog numbers, search index) when they change and after every scan, so grouping and search
//! see them. Nothing here writes to audio files except [`writeback`], on explicit request.

mod attach;
pub mod backup;
pub mod fields;
pub mod markdown;
pub mod writeback;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

pub use attach::{
    forget, orphans, reattach, relink, relink_proposals, Orphan, Proposal, ReattachReport,
};
pub use fields::{cue_sort_key, Fields};

use crate::db::subjects::{self, CueNote, Kind, Subject};
use crate::db::tags::{self, Tag, TagCount};
use crate::db::{self, DbError};
use crate::text::sort_key;
use crate::Library;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnnotateError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("annotation storage failed: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("no album has id {0}")]
    NoSuchAlbum(i64),
    #[error("no track has id {0}")]
    NoSuchTrack(i64),
    #[error("no work has id {0}")]
    NoSuchWork(i64),
    #[error("no annotation has id {0}")]
    NoSuchSubject(i64),
    #[error("no time-coded note has id {0}")]
    NoSuchCueNote(i64),
    #[error("there is no tag {0:?}")]
    NoSuchTag(String),
    #[error("a tag {0:?} already exists; merge the two instead")]
    TagExists(String),
    #[error("tag name {name:?}: {why}")]
    BadTagName { name: String, why: &'static str },
    #[error("tag color {0:?}: expected #rrggbb")]
    BadColor(String),
    #[error("rating {0}: expected 0 to 5")]
    BadRating(i64),
    #[error("the note is {bytes} bytes; notes hold at most {max}")]
    NoteTooLong { bytes: usize, max: usize },
    #[error("time-coded note: {0}")]
    BadCueNote(&'static str),
    #[error("{field}: expected {expected}, not {value:?}")]
    BadField {
        field: String,
        value: String,
        expected: String,
    },
    #[error("unknown field {0:?} (fields: work, work-year, work-kind, composers, orchestrators, conductors, label, catalog-numbers, edition, limited-to, cue)")]
    UnknownField(String),
    #[error("{field} is set on {wrong}s, not on {kind}s")]
    FieldNotHere {
        field: String,
        kind: &'static str,
        wrong: &'static str,
    },
    #[error("{0} cannot be relinked to a {1}")]
    RelinkKind(&'static str, &'static str),
    #[error(transparent)]
    WriteBack(#[from] writeback::WriteBackError),
    #[error("track {0} is not where the preview found it; preview the write-back again")]
    WriteBackMoved(i64),
}

/// What an annotation is on, by catalog id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Target {
    Album(i64),
    Track(i64),
    Work(i64),
}

impl Target {
    fn kind(self) -> Kind {
        match self {
            Target::Album(_) => Kind::Album,
            Target::Track(_) => Kind::Track,
            Target::Work(_) => Kind::Work,
        }
    }
}

/// Everything the collector added to one album, track or work.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Annotations {
    pub rating: Option<u8>,
    /// Markdown as written.
    pub note: Option<String>,
    /// The note rendered and sanitized ([`markdown::render`]).
    pub note_html: Option<String>,
    pub tags: Vec<Tag>,
    pub fields: Fields,
    /// Time-coded notes, in time order (tracks only).
    pub cue_notes: Vec<CueNote>,
}

/// Track numbers, titles and such that a track subject remembers (its anchor).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrackAnchor {
    pub title: Option<String>,
    pub album: Option<String>,
    pub artists: Vec<String>,
    pub disc: Option<i64>,
    pub track: Option<i64>,
    pub mb_track_id: Option<String>,
    pub mb_recording_id: Option<String>,
    pub duration_ms: Option<i64>,
}

/// What an album subject remembers: how to find the album again and how to describe it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlbumAnchor {
    pub title: Option<String>,
    pub artist: Option<String>,
    pub mb_album_id: Option<String>,
    pub year: Option<i64>,
    /// Content ids of the album's tracks.
    pub contents: Vec<String>,
}

/// What a work subject remembers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkAnchor {
    pub title: Option<String>,
    pub kind: Option<String>,
    pub year: Option<i64>,
    /// Content ids of the tracks of its albums: where its albums went when a retag renamed it.
    pub contents: Vec<String>,
}

pub(crate) fn work_anchor(
    conn: &Connection,
    key: &str,
    title: String,
    kind: Option<String>,
    year: Option<i64>,
) -> Result<WorkAnchor, AnnotateError> {
    Ok(WorkAnchor {
        title: Some(title),
        kind,
        year,
        contents: subjects::work_contents(conn, key)?,
    })
}

fn write<T>(
    lib: &Library,
    f: impl FnOnce(&Connection, i64) -> Result<T, AnnotateError>,
) -> Result<T, AnnotateError> {
    let mut conn = lib.writer()?;
    let tx = conn.transaction()?;
    let out = f(&tx, db::now_secs())?;
    tx.commit()?;
    Ok(out)
}

/// The subject of `target`, if it has one.
fn subject_of(conn: &Connection, target: Target) -> Result<Option<Subject>, AnnotateError> {
    Ok(match target {
        Target::Track(id) => {
            let content =
                db::tracks::content_id(conn, id)?.ok_or(AnnotateError::NoSuchTrack(id))?;
            subjects::of_track(conn, &content)?
        }
        Target::Album(id) => {
            if db::albums::identity(conn, id)?.is_none() {
                return Err(AnnotateError::NoSuchAlbum(id));
            }
            subjects::of_album(conn, id)?
        }
        Target::Work(id) => {
            let (key, ..) = db::works::get(conn, id)?.ok_or(AnnotateError::NoSuchWork(id))?;
            subjects::of_work(conn, &key)?
        }
    })
}

/// The album's anchor as it is now.
pub(crate) fn album_anchor(conn: &Connection, album_id: i64) -> Result<AlbumAnchor, AnnotateError> {
    let a = db::albums::identity(conn, album_id)?.ok_or(AnnotateError::NoSuchAlbum(album_id))?;
    Ok(AlbumAnchor {
        title: Some(a.title),
        artist: a.album_artist,
        mb_album_id: a.mb_album_id,
        year: a.year,
        contents: subjects::album_contents(conn, album_id)?,
    })
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("annotation values serialize")
}

/// The subject of `target`, created when it has none.
fn ensure_subject(conn: &Connection, target: Target, now: i64) -> Result<Subject, AnnotateError> {
    if let Some(s) = subject_of(conn, target)? {
        return Ok(s);
    }
    let id = match target {
        Target::Track(id) => {
            let content =
                db::tracks::content_id(conn, id)?.ok_or(AnnotateError::NoSuchTrack(id))?;
            let anchor = subjects::track_anchor(conn, id)?.unwrap_or_else(|| "{}".into());
            subjects::insert(conn, Kind::Track, Some(&content), None, None, &anchor, now)?
        }
        Target::Album(id) => {
            let anchor = to_json(&album_anchor(conn, id)?);
            subjects::insert(conn, Kind::Album, None, Some(id), None, &anchor, now)?
        }
        Target::Work(id) => {
            let (key, title, kind, year) =
                db::works::get(conn, id)?.ok_or(AnnotateError::NoSuchWork(id))?;
            let anchor = to_json(&work_anchor(conn, &key, title, kind, year)?);
            subjects::insert(conn, Kind::Work, None, None, Some(&key), &anchor, now)?
        }
    };
    Ok(subjects::get(conn, id)?.expect("the subject was just inserted"))
}

/// The subject of `target`, created when it has none (lists point their entries at it).
pub(crate) fn ensure_subject_on(
    conn: &Connection,
    target: Target,
    now: i64,
) -> Result<i64, AnnotateError> {
    Ok(ensure_subject(conn, target, now)?.id)
}

/// The id of `target`'s subject, if it has one.
pub(crate) fn subject_id_of(
    conn: &Connection,
    target: Target,
) -> Result<Option<i64>, AnnotateError> {
    Ok(subject_of(conn, target)?.map(|s| s.id))
}

/// Everything the collector added to `target` (empty when nothing).
///
/// # Errors
/// When `target` does not exist or the catalog cannot be read.
pub fn annotations(lib: &Library, target: Target) -> Result<Annotations, AnnotateError> {
    annotations_on(&lib.reader()?, target)
}

/// [`annotations`] on a connection the caller holds.
///
/// # Errors
/// When `target` does not exist or the catalog cannot be read.
pub fn annotations_on(conn: &Connection, target: Target) -> Result<Annotations, AnnotateError> {
    match subject_of(conn, target)? {
        Some(s) => annotations_of(conn, &s),
        None => Ok(Annotations::default()),
    }
}

pub(crate) fn annotations_of(conn: &Connection, s: &Subject) -> Result<Annotations, AnnotateError> {
    Ok(Annotations {
        rating: s.rating,
        note_html: s.note.as_deref().map(markdown::render),
        note: s.note.clone(),
        tags: tags::of_subject(conn, s.id)?,
        fields: parse_fields(s.fields.as_deref()),
        cue_notes: subjects::cue_notes(conn, s.id)?,
    })
}

/// Writes the subject's row in the note index again from its note and time-coded notes.
pub(crate) fn reindex_notes(conn: &Connection, id: i64) -> Result<(), AnnotateError> {
    let s = subjects::get(conn, id)?.ok_or(AnnotateError::NoSuchSubject(id))?;
    let text = s.note.as_deref().map(markdown::plain_text);
    subjects::index_notes(conn, id, text.as_deref())?;
    Ok(())
}

fn parse_fields(json: Option<&str>) -> Fields {
    json.and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default()
}

// ---- tags ----

/// A tag name as stored: trimmed, inner whitespace as single spaces.
///
/// # Errors
/// For an empty name, one over 64 characters, or one with control characters.
pub fn clean_tag_name(name: &str) -> Result<String, AnnotateError> {
    let bad = |why| AnnotateError::BadTagName {
        name: name.chars().take(80).collect(),
        why,
    };
    if name
        .chars()
        .any(|c| c.is_control() && c != '\t' && c != '\n')
    {
        return Err(bad("control characters are not allowed"));
    }
    let clean = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if clean.is_empty() {
        return Err(bad("a tag needs a name"));
    }
    if clean.chars().count() > 64 {
        return Err(bad("at most 64 characters"));
    }
    Ok(clean)
}

fn clean_color(color: Option<&str>) -> Result<Option<String>, AnnotateError> {
    match color
        .map(str::trim)
        .filter(|c| !c.is_empty() && *c != "none")
    {
        None => Ok(None),
        Some(c) => {
            let ok = c.len() == 7
                && c.starts_with('#')
                && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
            if ok {
                Ok(Some(c.to_ascii_lowercase()))
            } else {
                Err(AnnotateError::BadColor(c.to_string()))
            }
        }
    }
}

/// Every tag with how many albums, tracks and works carry it.
///
/// # Errors
/// When the catalog cannot be read.
pub fn tags(lib: &Library) -> Result<Vec<TagCount>, AnnotateError> {
    Ok(tags::list(&lib.reader()?)?)
}

fn tag_id(conn: &Connection, name: &str) -> Result<i64, AnnotateError> {
    let clean = clean_tag_name(name)?;
    tags::by_name(conn, &clean)?
        .map(|(id, _)| id)
        .ok_or(AnnotateError::NoSuchTag(clean))
}

fn tag_id_or_create(conn: &Connection, name: &str, now: i64) -> Result<i64, AnnotateError> {
    let clean = clean_tag_name(name)?;
    Ok(match tags::by_name(conn, &clean)? {
        Some((id, _)) => id,
        None => tags::insert(conn, &clean, None, now)?,
    })
}

/// Creates a tag (or sets the color of an existing one).
///
/// # Errors
/// A bad name or color.
pub fn create_tag(lib: &Library, name: &str, color: Option<&str>) -> Result<(), AnnotateError> {
    let color = clean_color(color)?;
    write(lib, |conn, now| {
        let id = tag_id_or_create(conn, name, now)?;
        if color.is_some() {
            tags::set_color(conn, id, color.as_deref())?;
        }
        Ok(())
    })
}

/// Renames a tag; a change of case alone is allowed.
///
/// # Errors
/// No such tag, a bad new name, or another tag already has it (merge instead).
pub fn rename_tag(lib: &Library, old: &str, new: &str) -> Result<(), AnnotateError> {
    write(lib, |conn, _| {
        let id = tag_id(conn, old)?;
        let new = clean_tag_name(new)?;
        if let Some((other, name)) = tags::by_name(conn, &new)? {
            if other != id {
                return Err(AnnotateError::TagExists(name));
            }
        }
        tags::rename(conn, id, &new)?;
        Ok(())
    })
}

/// Merges tags `from` into `into` (created when missing): whatever carried any of them carries
/// `into`, and the `from` tags are gone.
///
/// # Errors
/// A `from` tag that does not exist, or a bad name.
pub fn merge_tags(lib: &Library, from: &[String], into: &str) -> Result<(), AnnotateError> {
    write(lib, |conn, now| {
        let into_id = tag_id_or_create(conn, into, now)?;
        for name in from {
            let id = tag_id(conn, name)?;
            if id != into_id {
                tags::merge(conn, id, into_id)?;
            }
        }
        Ok(())
    })
}

/// Deletes a tag. What carried it keeps its other annotations.
///
/// # Errors
/// No such tag.
pub fn delete_tag(lib: &Library, name: &str) -> Result<(), AnnotateError> {
    write(lib, |conn, _| {
        let id = tag_id(conn, name)?;
        let carriers = tags::subjects_of(conn, id)?;
        tags::delete(conn, id)?;
        for s in carriers {
            subjects::delete_if_empty(conn, s)?;
        }
        Ok(())
    })
}

/// Sets or clears (`None`) a tag's color.
///
/// # Errors
/// No such tag, or a color that is not `#rrggbb`.
pub fn set_tag_color(lib: &Library, name: &str, color: Option<&str>) -> Result<(), AnnotateError> {
    let color = clean_color(color)?;
    write(lib, |conn, _| {
        let id = tag_id(conn, name)?;
        tags::set_color(conn, id, color.as_deref())?;
        Ok(())
    })
}

/// Adds the tags (created when new) to every target. Returns how many tags were newly applied.
///
/// # Errors
/// A target that does not exist or a bad tag name; then nothing is applied.
pub fn tag(lib: &Library, targets: &[Target], names: &[String]) -> Result<usize, AnnotateError> {
    write(lib, |conn, now| {
        let ids = names
            .iter()
            .map(|n| tag_id_or_create(conn, n, now))
            .collect::<Result<Vec<_>, _>>()?;
        let mut applied = 0;
        for &t in targets {
            let s = ensure_subject(conn, t, now)?;
            for &tag in &ids {
                applied += usize::from(tags::add(conn, s.id, tag)?);
            }
        }
        Ok(applied)
    })
}

/// Removes the tags from every target. Returns how many were removed.
///
/// # Errors
/// A target that does not exist or a tag that does not exist; then nothing is removed.
pub fn untag(lib: &Library, targets: &[Target], names: &[String]) -> Result<usize, AnnotateError> {
    write(lib, |conn, _| {
        let ids = names
            .iter()
            .map(|n| tag_id(conn, n))
            .collect::<Result<Vec<_>, _>>()?;
        let mut removed = 0;
        for &t in targets {
            if let Some(s) = subject_of(conn, t)? {
                for &tag in &ids {
                    removed += usize::from(tags::remove(conn, s.id, tag)?);
                }
                subjects::delete_if_empty(conn, s.id)?;
            }
        }
        Ok(removed)
    })
}

// ---- ratings and notes ----

/// Rates every target 0–5, or clears the rating with `None`.
///
/// # Errors
/// A rating above 5 or a target that does not exist; then nothing changes.
pub fn rate(lib: &Library, targets: &[Target], rating: Option<i64>) -> Result<(), AnnotateError> {
    let rating = match rating {
        None => None,
        Some(r @ 0..=5) => Some(r as u8),
        Some(r) => return Err(AnnotateError::BadRating(r)),
    };
    write(lib, |conn, now| {
        for &t in targets {
            if rating.is_none() {
                if let Some(s) = subject_of(conn, t)? {
                    subjects::set_rating(conn, s.id, None, now)?;
                    subjects::delete_if_empty(conn, s.id)?;
                }
                continue;
            }
            let s = ensure_subject(conn, t, now)?;
            subjects::set_rating(conn, s.id, rating, now)?;
        }
        Ok(())
    })
}

/// Sets the Markdown note of `target`; blank text removes it. Returns the note as it now is.
///
/// # Errors
/// A note over [`markdown::MAX_NOTE_BYTES`] or a target that does not exist.
pub fn set_note(lib: &Library, target: Target, note: &str) -> Result<Annotations, AnnotateError> {
    if note.len() > markdown::MAX_NOTE_BYTES {
        return Err(AnnotateError::NoteTooLong {
            bytes: note.len(),
            max: markdown::MAX_NOTE_BYTES,
        });
    }
    let note = note.trim_end();
    write(lib, |conn, now| {
        let s = if note.trim().is_empty() {
            match subject_of(conn, target)? {
                Some(s) => s,
                None => return Ok(Annotations::default()),
            }
        } else {
            ensure_subject(conn, target, now)?
        };
        let value = (!note.trim().is_empty()).then_some(note);
        subjects::set_note(conn, s.id, value, now)?;
        reindex_notes(conn, s.id)?;
        if subjects::delete_if_empty(conn, s.id)? {
            return Ok(Annotations::default());
        }
        let s = subjects::get(conn, s.id)?.expect("the subject exists");
        annotations_of(conn, &s)
    })
}

const MAX_CUE_NOTE: usize = 2000;

fn check_cue_note(at_ms: i64, text: &str) -> Result<String, AnnotateError> {
    if at_ms < 0 {
        return Err(AnnotateError::BadCueNote("the time cannot be negative"));
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(AnnotateError::BadCueNote("the note is empty"));
    }
    if text.chars().count() > MAX_CUE_NOTE {
        return Err(AnnotateError::BadCueNote("at most 2000 characters"));
    }
    Ok(text.to_string())
}

/// Adds a time-coded note to a track at `at_ms` from its start.
///
/// # Errors
/// No such track, a negative time or one past the track's end, or an empty or overlong text.
pub fn add_cue_note(
    lib: &Library,
    track_id: i64,
    at_ms: i64,
    text: &str,
) -> Result<CueNote, AnnotateError> {
    let text = check_cue_note(at_ms, text)?;
    write(lib, |conn, now| {
        let track =
            db::tracks::by_id(conn, track_id)?.ok_or(AnnotateError::NoSuchTrack(track_id))?;
        if track.duration_ms.is_some_and(|d| at_ms > d) {
            return Err(AnnotateError::BadCueNote(
                "the time is past the end of the track",
            ));
        }
        let s = ensure_subject(conn, Target::Track(track_id), now)?;
        let id = subjects::add_cue_note(conn, s.id, at_ms, &text, now)?;
        reindex_notes(conn, s.id)?;
        Ok(CueNote { id, at_ms, text })
    })
}

/// Changes a time-coded note's time and text.
///
/// # Errors
/// No such note, or a bad time or text.
pub fn update_cue_note(
    lib: &Library,
    id: i64,
    at_ms: i64,
    text: &str,
) -> Result<CueNote, AnnotateError> {
    let text = check_cue_note(at_ms, text)?;
    write(lib, |conn, _| {
        let subject =
            subjects::cue_note_subject(conn, id)?.ok_or(AnnotateError::NoSuchCueNote(id))?;
        subjects::update_cue_note(conn, id, at_ms, &text)?;
        reindex_notes(conn, subject)?;
        Ok(CueNote { id, at_ms, text })
    })
}

/// Deletes a time-coded note.
///
/// # Errors
/// No such note.
pub fn delete_cue_note(lib: &Library, id: i64) -> Result<(), AnnotateError> {
    write(lib, |conn, _| {
        let subject =
            subjects::cue_note_subject(conn, id)?.ok_or(AnnotateError::NoSuchCueNote(id))?;
        subjects::delete_cue_note(conn, id)?;
        reindex_notes(conn, subject)?;
        subjects::delete_if_empty(conn, subject)?;
        Ok(())
    })
}

// ---- fields ----

/// Sets fields of `target` from text (`name`, `value`; an empty value clears one). Returns the
/// overrides as they now are.
///
/// # Errors
/// An unknown field, a field that belongs to the other kind (only `cue` is on tracks, and not
/// on albums), a bad value, or a target that does not exist; then nothing changes.
pub fn set_fields(
    lib: &Library,
    target: Target,
    changes: &[(String, String)],
) -> Result<Fields, AnnotateError> {
    write(lib, |conn, now| {
        let current = subject_of(conn, target)?
            .map(|s| parse_fields(s.fields.as_deref()))
            .unwrap_or_default();
        let mut fields = current;
        for (name, value) in changes {
            check_field_kind(target, name)?;
            fields.set(name, value)?;
        }
        store_fields(conn, target, fields, now)
    })
}

/// Replaces all overrides of `target` (the app's field form).
///
/// # Errors
/// A field that belongs to the other kind, a bad value, or a target that does not exist.
pub fn replace_fields(
    lib: &Library,
    target: Target,
    fields: Fields,
) -> Result<Fields, AnnotateError> {
    let fields = fields.validated()?;
    for name in fields::FIELD_NAMES {
        if fields.get(name).is_some() {
            check_field_kind(target, name)?;
        }
    }
    write(lib, |conn, now| store_fields(conn, target, fields, now))
}

fn check_field_kind(target: Target, name: &str) -> Result<(), AnnotateError> {
    let on_tracks = fields::TRACK_FIELDS.contains(&name);
    match target {
        Target::Track(_) if !on_tracks && fields::FIELD_NAMES.contains(&name) => {
            Err(AnnotateError::FieldNotHere {
                field: name.into(),
                kind: "track",
                wrong: "album",
            })
        }
        Target::Album(_) | Target::Work(_) if on_tracks => Err(AnnotateError::FieldNotHere {
            field: name.into(),
            kind: target.kind().as_str(),
            wrong: "track",
        }),
        Target::Work(_) if fields::FIELD_NAMES.contains(&name) => {
            Err(AnnotateError::FieldNotHere {
                field: name.into(),
                kind: "work",
                wrong: "album",
            })
        }
        _ => Ok(()),
    }
}

fn store_fields(
    conn: &Connection,
    target: Target,
    fields: Fields,
    now: i64,
) -> Result<Fields, AnnotateError> {
    let s = if fields.is_empty() {
        match subject_of(conn, target)? {
            Some(s) => s,
            None => return Ok(fields),
        }
    } else {
        ensure_subject(conn, target, now)?
    };
    let json = (!fields.is_empty()).then(|| to_json(&fields));
    let cue_sort = fields.cue.as_deref().map(cue_sort_key);
    subjects::set_fields(conn, s.id, json.as_deref(), cue_sort.as_deref(), now)?;
    if let Target::Album(album) = target {
        apply_album(conn, album, &fields)?;
    }
    subjects::delete_if_empty(conn, s.id)?;
    Ok(fields)
}

/// Makes the album row and its tracks' search entries show the overrides: its work (a work of
/// the user's when a work field is set), label, composer, edition, catalog numbers, and the
/// search index of its tracks.
pub(crate) fn apply_album(
    conn: &Connection,
    album_id: i64,
    fields: &Fields,
) -> Result<(), AnnotateError> {
    let a = db::albums::identity(conn, album_id)?.ok_or(AnnotateError::NoSuchAlbum(album_id))?;
    let user_work = if fields.sets_work() {
        let (derived_title, derived_kind, derived_year) = match &a.derived_work {
            Some((_, title, kind, year)) => (Some(title.clone()), kind.clone(), *year),
            None => (None, None, None),
        };
        let title = fields
            .work_title
            .clone()
            .or(derived_title)
            .unwrap_or_else(|| a.title.clone());
        let key = sort_key(&title);
        Some(db::works::upsert_user(
            conn,
            &title,
            &key,
            fields.work_kind.as_deref().or(derived_kind.as_deref()),
            fields.work_year.map(i64::from).or(derived_year),
        )?)
    } else {
        None
    };
    db::albums::set_user_work(conn, album_id, user_work)?;
    db::works::prune_unused_user(conn)?;
    db::albums::refresh(conn, album_id)?;
    reindex_album(conn, album_id, fields)?;
    Ok(())
}

/// Writes the search entries of the album's tracks again, overrides first.
fn reindex_album(conn: &Connection, album_id: i64, f: &Fields) -> Result<(), AnnotateError> {
    for t in db::tracks::index_sources(conn, album_id)? {
        let composers = f.composers.as_ref().unwrap_or(&t.composers);
        let conductors = f.conductors.as_ref().unwrap_or(&t.conductors);
        let orchestrators = f.orchestrators.as_ref().unwrap_or(&t.orchestrators);
        let mut people: Vec<&str> = Vec::new();
        people.extend(t.album_artist.as_deref());
        people.extend(conductors.iter().map(String::as_str));
        people.extend(orchestrators.iter().map(String::as_str));
        people.extend(t.performers.iter().map(String::as_str));
        let mut catalog: Vec<&str> = f
            .catalog_numbers
            .as_ref()
            .unwrap_or(&t.catalog_numbers)
            .iter()
            .map(String::as_str)
            .collect();
        catalog.extend(t.barcode.as_deref());
        db::tracks::index(
            conn,
            t.id,
            false,
            &db::tracks::FtsEntry {
                title: t.title.as_deref(),
                album: t.album.as_deref(),
                work: t.work.as_deref(),
                artists: &t.artists.join("; "),
                composers: &composers.join("; "),
                people: &people.join("; "),
                label: f.label.as_deref().or(t.label.as_deref()),
                catalog: &catalog.join("; "),
            },
        )?;
    }
    Ok(())
}

/// Effective credits of an album: the override when set, else what its tracks say.
///
/// # Errors
/// When the catalog cannot be read.
pub fn album_fields(conn: &Connection, album_id: i64) -> Result<Fields, AnnotateError> {
    Ok(subjects::of_album(conn, album_id)?
        .map(|s| parse_fields(s.fields.as_deref()))
        .unwrap_or_default())
}

/// What writing overrides into one file would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WritebackFile {
    pub track_id: i64,
    /// For display; [`writeback_apply`] writes to the path the catalog holds for `track_id`.
    pub path: String,
    pub changes: Vec<writeback::Change>,
}

/// The standard fields the album's overrides set: composers, conductors, orchestrators, label,
/// catalog numbers. Work, edition, limited-to count and cue numbers have no standard tag.
fn wanted_fields(f: &Fields) -> Vec<(writeback::Field, Vec<String>)> {
    use writeback::Field as W;
    let mut out = Vec::new();
    let lists = [
        (W::Composer, &f.composers),
        (W::Conductor, &f.conductors),
        (W::Orchestrator, &f.orchestrators),
        (W::CatalogNumber, &f.catalog_numbers),
    ];
    for (field, value) in lists {
        if let Some(v) = value {
            out.push((field, v.clone()));
        }
    }
    if let Some(label) = &f.label {
        out.push((W::Label, vec![label.clone()]));
    }
    out
}

/// What writing the overrides of `target` (an album, or one track of an album) into the present
/// files would change. Reads only; files already matching are left out.
///
/// # Errors
/// A target that is not an album or track, or a file that cannot be read.
pub fn writeback_plan(lib: &Library, target: Target) -> Result<Vec<WritebackFile>, AnnotateError> {
    let conn = lib.reader()?;
    let tracks = match target {
        Target::Album(id) => {
            if db::albums::identity(&conn, id)?.is_none() {
                return Err(AnnotateError::NoSuchAlbum(id));
            }
            db::tracks::by_album(&conn, id)?
        }
        Target::Track(id) => {
            vec![db::tracks::by_id(&conn, id)?.ok_or(AnnotateError::NoSuchTrack(id))?]
        }
        Target::Work(_) => {
            return Err(AnnotateError::FieldNotHere {
                field: "write-back".into(),
                kind: "work",
                wrong: "album or track",
            })
        }
    };
    let mut out = Vec::new();
    for t in tracks.into_iter().filter(|t| t.missing_since.is_none()) {
        let Some(album) = t.album_id else { continue };
        let wanted = wanted_fields(&album_fields(&conn, album)?);
        if wanted.is_empty() {
            continue;
        }
        let path = db::tracks::path_of(&conn, t.id)?.ok_or(AnnotateError::NoSuchTrack(t.id))?;
        let changes = writeback::plan(&path, &wanted)?;
        if !changes.is_empty() {
            out.push(WritebackFile {
                track_id: t.id,
                path: t.path,
                changes,
            });
        }
    }
    Ok(out)
}

/// Writes a previewed plan, file by file (each atomically and verified, see [`writeback`]).
/// Stops at the first file that fails; the files before it are written.
///
/// # Errors
/// A file that moved since the preview, changed since the preview, or cannot be written.
pub fn writeback_apply(lib: &Library, plan: &[WritebackFile]) -> Result<(), AnnotateError> {
    let conn = lib.reader()?;
    for f in plan {
        let path = db::tracks::path_of(&conn, f.track_id)?
            .ok_or(AnnotateError::NoSuchTrack(f.track_id))?;
        if crate::text::display_path(&crate::text::path_bytes(&path)) != f.path {
            return Err(AnnotateError::WriteBackMoved(f.track_id));
        }
        writeback::apply(&path, &f.changes)?;
    }
    Ok(())
}

/// How much the collector has added, in counts (for backups and the CLI).
///
/// # Errors
/// When the catalog cannot be read.
pub fn counts(lib: &Library) -> Result<subjects::Counts, AnnotateError> {
    Ok(subjects::counts(&lib.reader()?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_names_are_tidied_and_bounded() {
        assert_eq!(clean_tag_name("  film   noir ").unwrap(), "film noir");
        assert!(clean_tag_name("   ").is_err(), "a tag needs a name");
        assert!(
            clean_tag_name(&"x".repeat(65)).is_err(),
            "64 characters at most"
        );
        assert!(clean_tag_name("a\u{0}b").is_err(), "no control characters");
        assert_eq!(
            clean_tag_name("<script>alert(1)</script>").unwrap(),
            "<script>alert(1)</script>",
            "markup is just text in a name; the app renders names as text"
        );
    }

    #[test]
    fn colors_are_hex_triplets() {
        assert_eq!(
            clean_color(Some("#A0b0C0")).unwrap().as_deref(),
            Some("#a0b0c0")
        );
        assert_eq!(clean_color(Some("none")).unwrap(), None);
        assert!(clean_color(Some("red")).is_err());
        assert!(clean_color(Some("#12345g")).is_err());
        assert!(
            clean_color(Some("url(x)")).is_err(),
            "nothing that could become CSS"
        );
    }

    #[test]
    fn fields_belong_to_their_kind() {
        assert!(check_field_kind(Target::Track(1), "cue").is_ok());
        assert!(check_field_kind(Target::Track(1), "label").is_err());
        assert!(check_field_kind(Target::Album(1), "cue").is_err());
        assert!(check_field_kind(Target::Album(1), "composers").is_ok());
        assert!(check_field_kind(Target::Work(1), "label").is_err());
    }
}
