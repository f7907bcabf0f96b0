//! Lists: the collector's annotated lists, smart lists (saved queries), wishlists, and their
//! export and import.
//!
//! An album or track entry points at the album's or recording's *subject* (see
//! `src/annotate`), so it follows it through rescans, moves and retags, and survives a missing
//! disk; a placeholder is a wishlist entry for something not owned. Entries are ordered; ranks
//! are positions counted as the list's [`Ranking`] says. A smart list has no stored entries:
//! they are what its [`SmartQuery`] finds now.
//!
//! Every change is one transaction on the writer, so nothing is ever half-done.

pub mod exchange;
mod resolve;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

pub use crate::export::{EntryKind, Ranking};
pub use resolve::{decline, resolutions, resolve, Resolution};

use crate::annotate::{self, markdown, Target};
use crate::db::lists::{self as store, EntryRow, ListRow, NewEntry};
use crate::db::{self, DbError};
use crate::search::{self, Arrangement, SearchError, TrackSort};
use crate::Library;

/// Longest list name, in characters.
const MAX_NAME_CHARS: usize = 200;
/// Most entries a smart list shows when its query sets no limit.
pub const SMART_LIST_CAP: usize = 5000;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ListError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("list storage failed: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error(transparent)]
    Annotate(#[from] annotate::AnnotateError),
    #[error("the query does not parse: {0}")]
    Query(#[from] SearchError),
    #[error("no list has id {0}")]
    NoSuchList(i64),
    #[error("no list entry has id {0}")]
    NoSuchEntry(i64),
    #[error("list name: {0}")]
    BadName(&'static str),
    #[error("placeholder: {0}")]
    BadPlaceholder(&'static str),
    #[error("the note is {bytes} bytes; notes hold at most {max}")]
    NoteTooLong { bytes: usize, max: usize },
    #[error("{0:?} is a smart list: its entries are what its query finds")]
    SmartList(String),
    #[error("{0:?} is not a smart list")]
    NotSmart(String),
    #[error("entry {0} is not a placeholder")]
    NotPlaceholder(i64),
    #[error("entry {entry} is not in list {list}")]
    WrongList { entry: i64, list: i64 },
    #[error("cancelled")]
    Cancelled,
    #[error("cannot read {0}: {1}")]
    Read(std::path::PathBuf, std::io::Error),
    #[error("cannot write {0}: {1}")]
    Write(std::path::PathBuf, std::io::Error),
    #[error("{0}: {1}")]
    Import(std::path::PathBuf, String),
}

/// A saved query: what a smart list holds, or what an export of search results takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", rename_all = "lowercase")]
pub enum SmartQuery {
    /// Tracks matching the search, in `sort` order.
    Tracks {
        query: String,
        #[serde(default)]
        sort: TrackSort,
        #[serde(default)]
        limit: Option<u32>,
    },
    /// Albums with a track matching the search, in the grid's `arrange` order.
    Albums {
        query: String,
        #[serde(default)]
        arrange: Arrangement,
        /// `film`, `game` or `tv`.
        #[serde(default)]
        kind: Option<String>,
        #[serde(default)]
        limit: Option<u32>,
    },
}

impl SmartQuery {
    fn query(&self) -> &str {
        match self {
            SmartQuery::Tracks { query, .. } | SmartQuery::Albums { query, .. } => query,
        }
    }
}

/// A list as the sidebar shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListSummary {
    pub id: i64,
    pub name: String,
    pub ranking: Ranking,
    pub smart: bool,
    /// Stored entries (a smart list: 0; its entries are counted when it is opened).
    pub entries: i64,
    /// Wishlist entries.
    pub placeholders: i64,
    pub updated_at: i64,
}

/// A list's own fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListInfo {
    pub id: i64,
    pub name: String,
    /// Markdown as written.
    pub note: Option<String>,
    /// The note rendered and sanitized.
    pub note_html: Option<String>,
    pub ranking: Ranking,
    pub query: Option<SmartQuery>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One entry as the list shows it, with where it is in the catalog now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// `None` in a smart list, whose entries are not stored.
    pub id: Option<i64>,
    pub rank: Option<u32>,
    pub kind: EntryKind,
    pub title: String,
    /// Composer, else album artist or artist.
    pub artist: Option<String>,
    pub year: Option<i64>,
    /// A track's album title.
    pub album: Option<String>,
    /// An album entry's album, or a track's.
    pub album_id: Option<i64>,
    pub track_id: Option<i64>,
    pub cover_hash: Option<String>,
    pub duration_ms: Option<i64>,
    /// An album's track count.
    pub tracks: Option<i64>,
    pub rating: Option<u8>,
    pub tags: Vec<String>,
    /// Markdown as written.
    pub note: Option<String>,
    pub note_html: Option<String>,
    /// False when the album or recording is not in the catalog now, or all its files are missing.
    pub available: bool,
}

/// A list and its entries in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListPage {
    pub list: ListInfo,
    pub entries: Vec<Entry>,
    /// A smart list's full count, when it found more than it shows.
    pub total: usize,
    /// Why a smart list's saved search finds nothing now: it no longer parses (the list stays, to
    /// be given a new search).
    pub query_error: Option<String>,
}

/// Something to add to a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Item {
    Album {
        id: i64,
        #[serde(default)]
        note: Option<String>,
    },
    Track {
        id: i64,
        #[serde(default)]
        note: Option<String>,
    },
    /// Something not owned: the wishlist.
    Placeholder {
        title: String,
        #[serde(default)]
        artist: Option<String>,
        #[serde(default)]
        year: Option<i64>,
        #[serde(default)]
        note: Option<String>,
    },
}

pub(crate) fn write<T>(
    lib: &Library,
    f: impl FnOnce(&Connection, i64) -> Result<T, ListError>,
) -> Result<T, ListError> {
    let mut conn = lib.writer()?;
    let tx = conn.transaction()?;
    let out = f(&tx, db::now_secs())?;
    tx.commit()?;
    Ok(out)
}

pub(crate) fn parse_ranking(s: &str) -> Ranking {
    match s {
        "ascending" => Ranking::Ascending,
        "descending" => Ranking::Descending,
        _ => Ranking::None,
    }
}

pub(crate) fn parse_kind(s: &str) -> EntryKind {
    match s {
        "album" => EntryKind::Album,
        "track" => EntryKind::Track,
        _ => EntryKind::Placeholder,
    }
}

pub(crate) fn clean_name(name: &str) -> Result<String, ListError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(ListError::BadName("a list needs a name"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ListError::BadName("at most 200 characters"));
    }
    if name.chars().any(char::is_control) {
        return Err(ListError::BadName("no control characters"));
    }
    Ok(name)
}

/// A note as stored: blank is none; too long is refused.
pub(crate) fn clean_note(note: Option<&str>) -> Result<Option<String>, ListError> {
    let Some(note) = note.filter(|n| !n.trim().is_empty()) else {
        return Ok(None);
    };
    if note.len() > markdown::MAX_NOTE_BYTES {
        return Err(ListError::NoteTooLong {
            bytes: note.len(),
            max: markdown::MAX_NOTE_BYTES,
        });
    }
    Ok(Some(note.to_owned()))
}

fn clean_label(s: &str, max: usize) -> Option<String> {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then(|| s.chars().take(max).collect())
}

fn info(row: &ListRow) -> ListInfo {
    ListInfo {
        id: row.id,
        name: row.name.clone(),
        note_html: row.note.as_deref().map(markdown::render),
        note: row.note.clone(),
        ranking: parse_ranking(&row.ranking),
        query: row
            .query
            .as_deref()
            .and_then(|q| serde_json::from_str(q).ok()),
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn list_row(conn: &Connection, id: i64) -> Result<ListRow, ListError> {
    store::get(conn, id)?.ok_or(ListError::NoSuchList(id))
}

/// Every list, by name.
///
/// # Errors
/// When the catalog cannot be read.
pub fn lists(lib: &Library) -> Result<Vec<ListSummary>, ListError> {
    Ok(store::all(&lib.reader()?)?
        .into_iter()
        .map(|r| ListSummary {
            id: r.id,
            smart: r.query.is_some(),
            ranking: parse_ranking(&r.ranking),
            name: r.name,
            entries: r.entries,
            placeholders: r.placeholders,
            updated_at: r.updated_at,
        })
        .collect())
}

/// A new, empty list.
///
/// # Errors
/// A bad name, or a catalog that cannot be written.
pub fn create(lib: &Library, name: &str, ranking: Ranking) -> Result<ListInfo, ListError> {
    let name = clean_name(name)?;
    write(lib, |conn, now| {
        let id = store::insert(conn, &name, None, ranking.as_str(), None, now)?;
        Ok(info(&list_row(conn, id)?))
    })
}

/// A new smart list holding what `query` finds.
///
/// # Errors
/// A bad name or query, or a catalog that cannot be written.
pub fn create_smart(lib: &Library, name: &str, query: &SmartQuery) -> Result<ListInfo, ListError> {
    let name = clean_name(name)?;
    search::query::parse(query.query()).map_err(SearchError::from)?;
    let json = serde_json::to_string(query).expect("queries serialize");
    write(lib, |conn, now| {
        let id = store::insert(conn, &name, None, "none", Some(&json), now)?;
        Ok(info(&list_row(conn, id)?))
    })
}

/// The list's own fields.
///
/// # Errors
/// An unknown list, or a catalog that cannot be read.
pub fn info_of(lib: &Library, id: i64) -> Result<ListInfo, ListError> {
    Ok(info(&list_row(&lib.reader()?, id)?))
}

/// Changes what `change` sets, leaving the rest; returns the list as it now is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ListChange {
    pub name: Option<String>,
    /// `Some("")` clears the note.
    pub note: Option<String>,
    pub ranking: Option<Ranking>,
    /// Smart lists only.
    pub query: Option<SmartQuery>,
}

/// Renames the list, or sets its note, ranking or (smart lists) query.
///
/// # Errors
/// An unknown list, a bad value, or a catalog that cannot be written.
pub fn update(lib: &Library, id: i64, change: &ListChange) -> Result<ListInfo, ListError> {
    let name = change.name.as_deref().map(clean_name).transpose()?;
    let note = change
        .note
        .as_deref()
        .map(|n| clean_note(Some(n)))
        .transpose()?;
    if let Some(q) = &change.query {
        search::query::parse(q.query()).map_err(SearchError::from)?;
    }
    write(lib, |conn, now| {
        let row = list_row(conn, id)?;
        if change.query.is_some() && row.query.is_none() {
            return Err(ListError::NotSmart(row.name));
        }
        let query = match &change.query {
            Some(q) => Some(serde_json::to_string(q).expect("queries serialize")),
            None => row.query.clone(),
        };
        store::update(
            conn,
            id,
            name.as_deref().unwrap_or(&row.name),
            match &note {
                Some(n) => n.as_deref(),
                None => row.note.as_deref(),
            },
            change.ranking.map_or(&row.ranking, |r| r.as_str()),
            query.as_deref(),
            now,
        )?;
        Ok(info(&list_row(conn, id)?))
    })
}

/// A copy of the list with its entries, named "<name> (copy)" (or "(copy 2)", …).
///
/// # Errors
/// An unknown list, or a catalog that cannot be written.
pub fn duplicate(lib: &Library, id: i64) -> Result<ListInfo, ListError> {
    write(lib, |conn, now| {
        let row = list_row(conn, id)?;
        let taken: Vec<String> = store::all(conn)?.into_iter().map(|l| l.name).collect();
        let mut n = 1;
        let name = loop {
            let suffix = if n == 1 {
                " (copy)".to_owned()
            } else {
                format!(" (copy {n})")
            };
            let base: String = row
                .name
                .chars()
                .take(MAX_NAME_CHARS - suffix.chars().count())
                .collect();
            let name = format!("{base}{suffix}");
            if !taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
                break name;
            }
            n += 1;
        };
        let copy = store::insert(
            conn,
            &name,
            row.note.as_deref(),
            &row.ranking,
            row.query.as_deref(),
            now,
        )?;
        for e in store::entries(conn, id)? {
            store::insert_entry(conn, copy, e.position, &new_entry_of(&e), now)?;
        }
        Ok(info(&list_row(conn, copy)?))
    })
}

fn new_entry_of(e: &EntryRow) -> NewEntry<'_> {
    NewEntry {
        kind: &e.kind,
        subject_id: e.subject_id,
        title: &e.title,
        artist: e.artist.as_deref(),
        year: e.year,
        note: e.note.as_deref(),
    }
}

/// Deletes the list. The albums and tracks it held, and their annotations, stay.
///
/// # Errors
/// An unknown list, or a catalog that cannot be written.
pub fn delete(lib: &Library, id: i64) -> Result<(), ListError> {
    write(lib, |conn, _| {
        list_row(conn, id)?;
        let subjects: Vec<i64> = store::entries(conn, id)?
            .into_iter()
            .filter_map(|e| e.subject_id)
            .collect();
        store::delete(conn, id)?;
        for s in subjects {
            db::subjects::delete_if_empty(conn, s)?;
        }
        Ok(())
    })
}

/// The list with its entries (a smart list: what its query finds now).
///
/// # Errors
/// An unknown list, a smart list's query that no longer parses, or a catalog that cannot be read.
pub fn page(lib: &Library, id: i64) -> Result<ListPage, ListError> {
    page_on(&lib.reader()?, id, Some(SMART_LIST_CAP))
}

/// [`page`] on a connection the caller holds; `cap` bounds a smart list without a limit.
///
/// # Errors
/// As [`page`].
pub fn page_on(conn: &Connection, id: i64, cap: Option<usize>) -> Result<ListPage, ListError> {
    let row = list_row(conn, id)?;
    let list = info(&row);
    let ranking = list.ranking;
    let mut query_error = None;
    let (mut entries, total) = match &list.query {
        Some(q) => match smart_entries(conn, q, cap) {
            Err(ListError::Query(SearchError::Query(e))) => {
                query_error = Some(e.to_string());
                (Vec::new(), 0)
            }
            found => found?,
        },
        None => {
            let rows = store::entries(conn, id)?;
            let entries = rows
                .iter()
                .map(|r| stored_entry(conn, r))
                .collect::<Result<Vec<_>, _>>()?;
            let n = entries.len();
            (entries, n)
        }
    };
    let len = entries.len();
    for (i, e) in entries.iter_mut().enumerate() {
        e.rank = ranking.rank(i, len);
    }
    Ok(ListPage {
        list,
        entries,
        total,
        query_error,
    })
}

fn album_entry(conn: &Connection, album: &db::albums::AlbumRow) -> Result<Entry, ListError> {
    let tags = match db::subjects::of_album(conn, album.id)? {
        Some(s) => db::tags::of_subject(conn, s.id)?
            .into_iter()
            .map(|t| t.name)
            .collect(),
        None => Vec::new(),
    };
    Ok(Entry {
        id: None,
        rank: None,
        kind: EntryKind::Album,
        title: album.title.clone(),
        artist: album
            .composer
            .clone()
            .or_else(|| album.album_artist.clone()),
        year: album.year,
        album: None,
        album_id: Some(album.id),
        track_id: None,
        cover_hash: album.cover_hash.clone(),
        duration_ms: Some(album.duration_ms),
        tracks: Some(album.tracks),
        rating: album.rating,
        tags,
        note: None,
        note_html: None,
        available: album.tracks > album.missing,
    })
}

fn track_entry(t: &db::tracks::TrackRow) -> Entry {
    Entry {
        id: None,
        rank: None,
        kind: EntryKind::Track,
        title: t.title.clone().unwrap_or_else(|| file_name(&t.path)),
        artist: t.composers.first().or_else(|| t.artists.first()).cloned(),
        year: t.year,
        album: t.album.clone(),
        album_id: t.album_id,
        track_id: Some(t.id),
        cover_hash: t.cover_hash.clone(),
        duration_ms: t.duration_ms,
        tracks: None,
        rating: t.rating,
        tags: t.tags.clone(),
        note: None,
        note_html: None,
        available: t.missing_since.is_none(),
    }
}

fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_owned(), |n| n.to_string_lossy().into_owned())
}

fn album_row(conn: &Connection, id: i64) -> Result<Option<db::albums::AlbumRow>, ListError> {
    Ok(db::albums::detail(conn, id)?.map(|d| d.row))
}

/// A stored entry as shown: the live album or track when its subject is attached, else what it
/// last showed.
fn stored_entry(conn: &Connection, r: &EntryRow) -> Result<Entry, ListError> {
    let live = match parse_kind(&r.kind) {
        EntryKind::Album => match r.album_id {
            Some(a) => album_row(conn, a)?
                .map(|row| album_entry(conn, &row))
                .transpose()?,
            None => None,
        },
        EntryKind::Track => r
            .track_id
            .map(|t| db::tracks::by_id(conn, t))
            .transpose()?
            .flatten()
            .map(|t| track_entry(&t)),
        EntryKind::Placeholder => None,
    };
    let mut e = live.unwrap_or_else(|| Entry {
        id: None,
        rank: None,
        kind: parse_kind(&r.kind),
        title: r.title.clone(),
        artist: r.artist.clone(),
        year: r.year,
        album: None,
        album_id: None,
        track_id: None,
        cover_hash: None,
        duration_ms: None,
        tracks: None,
        rating: None,
        tags: Vec::new(),
        note: None,
        note_html: None,
        available: false,
    });
    if e.kind != EntryKind::Placeholder && e.album_id.is_none() && e.track_id.is_none() {
        // An orphaned subject still carries its own annotations.
        if let Some(s) = r
            .subject_id
            .and_then(|s| db::subjects::get(conn, s).ok().flatten())
        {
            let ann = annotate::annotations_of(conn, &s)?;
            e.rating = ann.rating;
            e.tags = ann.tags.into_iter().map(|t| t.name).collect();
        }
    }
    e.id = Some(r.id);
    e.note_html = r.note.as_deref().map(markdown::render);
    e.note = r.note.clone();
    Ok(e)
}

/// What a smart query finds now, at most `cap` (or its own limit), and how many it found in all.
pub(crate) fn smart_entries(
    conn: &Connection,
    q: &SmartQuery,
    cap: Option<usize>,
) -> Result<(Vec<Entry>, usize), ListError> {
    match q {
        SmartQuery::Tracks { query, sort, limit } => {
            let want = bound(*limit, cap);
            let page = search::search_tracks_in(conn, query, *sort, want, 0)?;
            let total = limit.map_or(page.total as usize, |l| {
                (l as usize).min(page.total as usize)
            });
            Ok((page.tracks.iter().map(track_entry).collect(), total))
        }
        SmartQuery::Albums {
            query,
            arrange,
            kind,
            limit,
        } => {
            let want = bound(*limit, cap);
            let parsed = search::query::parse(query).map_err(SearchError::from)?;
            let rows = db::search::album_range(conn, &parsed, kind.as_deref(), *arrange, 0, want)?;
            let found: usize = db::search::album_groups(conn, &parsed, kind.as_deref(), *arrange)?
                .iter()
                .map(|(_, n)| *n as usize)
                .sum();
            let total = limit.map_or(found, |l| (l as usize).min(found));
            let entries = rows
                .iter()
                .map(|a| album_entry(conn, a))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((entries, total))
        }
    }
}

fn bound(limit: Option<u32>, cap: Option<usize>) -> usize {
    let limit = limit.map_or(usize::MAX, |l| l as usize);
    limit.min(cap.unwrap_or(usize::MAX))
}

fn entry_row(conn: &Connection, id: i64) -> Result<EntryRow, ListError> {
    store::entry(conn, id)?.ok_or(ListError::NoSuchEntry(id))
}

fn plain_list(conn: &Connection, id: i64) -> Result<ListRow, ListError> {
    let row = list_row(conn, id)?;
    if row.query.is_some() {
        return Err(ListError::SmartList(row.name));
    }
    Ok(row)
}

/// The subject of an album or track, created when it has none, with what the entry shows.
fn subject_for(
    conn: &Connection,
    target: Target,
    now: i64,
) -> Result<(i64, String, Option<String>, Option<i64>), ListError> {
    let subject = annotate::ensure_subject_on(conn, target, now)?;
    let (title, artist, year) = match target {
        Target::Album(id) => {
            let a = album_row(conn, id)?.ok_or(annotate::AnnotateError::NoSuchAlbum(id))?;
            (a.title, a.composer.or(a.album_artist), a.year)
        }
        Target::Track(id) => {
            let t = db::tracks::by_id(conn, id)?.ok_or(annotate::AnnotateError::NoSuchTrack(id))?;
            (
                t.title.clone().unwrap_or_else(|| file_name(&t.path)),
                t.composers.first().or_else(|| t.artists.first()).cloned(),
                t.year,
            )
        }
        Target::Work(_) => unreachable!("lists hold albums and tracks"),
    };
    Ok((subject, title, artist, year))
}

/// Adds items to a plain list, before the entry `before` (at the end when `None`). An album or
/// track already in the list is not added twice. Returns the new entries' ids, in order.
///
/// # Errors
/// An unknown or smart list, an unknown album or track, a bad placeholder or note, or a catalog
/// that cannot be written; then nothing is added.
pub fn add(
    lib: &Library,
    list_id: i64,
    items: &[Item],
    before: Option<i64>,
) -> Result<Vec<i64>, ListError> {
    write(lib, |conn, now| add_on(conn, list_id, items, before, now))
}

pub(crate) fn add_on(
    conn: &Connection,
    list_id: i64,
    items: &[Item],
    before: Option<i64>,
    now: i64,
) -> Result<Vec<i64>, ListError> {
    plain_list(conn, list_id)?;
    let existing = store::entries(conn, list_id)?;
    let mut order: Vec<i64> = existing.iter().map(|e| e.id).collect();
    let mut insert_at = match before {
        Some(b) => order
            .iter()
            .position(|&id| id == b)
            .ok_or(ListError::WrongList {
                entry: b,
                list: list_id,
            })?,
        None => order.len(),
    };
    let mut held: std::collections::HashSet<i64> =
        existing.iter().filter_map(|e| e.subject_id).collect();
    let mut added = Vec::new();
    // New entries go after every existing position first, then `set_order` puts them in place.
    let mut next = existing.len() as i64;
    for item in items {
        let (kind, subject, title, artist, year, note) = match item {
            Item::Album { id, note } | Item::Track { id, note } => {
                let (target, kind) = match item {
                    Item::Album { .. } => (Target::Album(*id), "album"),
                    _ => (Target::Track(*id), "track"),
                };
                let (subject, title, artist, year) = subject_for(conn, target, now)?;
                (kind, Some(subject), title, artist, year, note)
            }
            Item::Placeholder {
                title,
                artist,
                year,
                note,
            } => {
                let title =
                    clean_label(title, 500).ok_or(ListError::BadPlaceholder("it needs a title"))?;
                if year.is_some_and(|y| !(1000..=9999).contains(&y)) {
                    return Err(ListError::BadPlaceholder("the year must have four digits"));
                }
                let artist = artist.as_deref().and_then(|a| clean_label(a, 500));
                ("placeholder", None, title, artist, *year, note)
            }
        };
        if let Some(s) = subject {
            if !held.insert(s) {
                continue;
            }
        }
        let note = clean_note(note.as_deref())?;
        let id = store::insert_entry(
            conn,
            list_id,
            next,
            &NewEntry {
                kind,
                subject_id: subject,
                title: &title,
                artist: artist.as_deref(),
                year,
                note: note.as_deref(),
            },
            now,
        )?;
        next += 1;
        order.insert(insert_at, id);
        insert_at += 1;
        added.push(id);
    }
    store::set_order(conn, list_id, &order)?;
    store::touch(conn, list_id, now)?;
    Ok(added)
}

/// Moves entries (keeping their order among themselves) to just before `before`, or to the end.
///
/// # Errors
/// An unknown list or entry, an entry of another list, or a catalog that cannot be written.
pub fn move_entries(
    lib: &Library,
    list_id: i64,
    ids: &[i64],
    before: Option<i64>,
) -> Result<(), ListError> {
    write(lib, |conn, now| {
        plain_list(conn, list_id)?;
        let order = store::entry_ids(conn, list_id)?;
        for id in ids.iter().chain(before.iter()) {
            if !order.contains(id) {
                entry_row(conn, *id)?;
                return Err(ListError::WrongList {
                    entry: *id,
                    list: list_id,
                });
            }
        }
        let new = moved(&order, ids, before);
        store::set_order(conn, list_id, &new)?;
        store::touch(conn, list_id, now)?;
        Ok(())
    })
}

/// `order` with `ids` taken out and put back, in list order, before `before` (at the end when
/// `None`). When `before` is itself moving, they go before the next entry that is not.
fn moved(order: &[i64], ids: &[i64], before: Option<i64>) -> Vec<i64> {
    let moving: Vec<i64> = order
        .iter()
        .copied()
        .filter(|id| ids.contains(id))
        .collect();
    // When the anchor is itself moving, anchor on the next entry that stays.
    let anchor = before.and_then(|b| {
        let at = order.iter().position(|&id| id == b)?;
        order[at..].iter().copied().find(|id| !ids.contains(id))
    });
    let mut rest: Vec<i64> = order
        .iter()
        .copied()
        .filter(|id| !ids.contains(id))
        .collect();
    let at = anchor
        .and_then(|a| rest.iter().position(|&id| id == a))
        .unwrap_or(rest.len());
    rest.splice(at..at, moving);
    rest
}

/// Removes entries from their list. Annotations on the albums and tracks stay.
///
/// # Errors
/// An unknown entry, or a catalog that cannot be written; then nothing is removed.
pub fn remove(lib: &Library, ids: &[i64]) -> Result<(), ListError> {
    write(lib, |conn, now| {
        let mut lists = std::collections::BTreeSet::new();
        for &id in ids {
            let e = entry_row(conn, id)?;
            store::delete_entry(conn, id)?;
            if let Some(s) = e.subject_id {
                db::subjects::delete_if_empty(conn, s)?;
            }
            lists.insert(e.list_id);
        }
        for list in lists {
            let order = store::entry_ids(conn, list)?;
            store::set_order(conn, list, &order)?;
            store::touch(conn, list, now)?;
        }
        Ok(())
    })
}

/// Sets an entry's Markdown note (blank removes it); returns the entry as shown.
///
/// # Errors
/// An unknown entry, a note over the limit, or a catalog that cannot be written.
pub fn set_entry_note(lib: &Library, id: i64, note: &str) -> Result<Entry, ListError> {
    let note = clean_note(Some(note))?;
    write(lib, |conn, now| {
        let e = entry_row(conn, id)?;
        store::set_entry_note(conn, id, note.as_deref())?;
        store::touch(conn, e.list_id, now)?;
        stored_entry(conn, &entry_row(conn, id)?)
    })
}

/// Changes a placeholder's title, artist and year; returns the entry as shown.
///
/// # Errors
/// An unknown entry or one that is not a placeholder, a bad value, or a catalog that cannot be
/// written.
pub fn edit_placeholder(
    lib: &Library,
    id: i64,
    title: &str,
    artist: Option<&str>,
    year: Option<i64>,
) -> Result<Entry, ListError> {
    let title = clean_label(title, 500).ok_or(ListError::BadPlaceholder("it needs a title"))?;
    if year.is_some_and(|y| !(1000..=9999).contains(&y)) {
        return Err(ListError::BadPlaceholder("the year must have four digits"));
    }
    let artist = artist.and_then(|a| clean_label(a, 500));
    write(lib, |conn, now| {
        let e = entry_row(conn, id)?;
        if e.kind != "placeholder" {
            return Err(ListError::NotPlaceholder(id));
        }
        store::set_entry_label(conn, id, &title, artist.as_deref(), year)?;
        store::touch(conn, e.list_id, now)?;
        stored_entry(conn, &entry_row(conn, id)?)
    })
}

/// The lists holding the album or track, for its page ("In lists").
///
/// # Errors
/// When the catalog cannot be read.
pub fn lists_holding(lib: &Library, target: Target) -> Result<Vec<(i64, String)>, ListError> {
    let conn = lib.reader()?;
    let Some(subject) = annotate::subject_id_of(&conn, target)? else {
        return Ok(Vec::new());
    };
    Ok(store::lists_of_subject(&conn, subject)?)
}

/// After a scan: entries show their albums' and tracks' current titles, and the count of
/// wishlist placeholders a cataloged album now matches is returned, for the scan report.
///
/// # Errors
/// When the catalog cannot be read or written.
pub fn after_scan(conn: &mut Connection) -> Result<usize, ListError> {
    let tx = conn.transaction()?;
    refresh_labels(&tx)?;
    tx.commit()?;
    Ok(resolve::resolutions_on(conn)?.len())
}

/// Brings what entries show up to date with their albums and tracks (after a scan), so an entry
/// whose subject is later forgotten keeps its last title.
///
/// # Errors
/// When the catalog cannot be written.
pub fn refresh_labels(conn: &Connection) -> Result<(), ListError> {
    for r in store::attached_entries(conn)? {
        let live = match parse_kind(&r.kind) {
            EntryKind::Album => r
                .album_id
                .map(|a| album_row(conn, a))
                .transpose()?
                .flatten()
                .map(|a| (a.title, a.composer.or(a.album_artist), a.year)),
            EntryKind::Track => r
                .track_id
                .map(|t| db::tracks::by_id(conn, t))
                .transpose()?
                .flatten()
                .map(|t| {
                    (
                        t.title.clone().unwrap_or_else(|| file_name(&t.path)),
                        t.composers.first().or_else(|| t.artists.first()).cloned(),
                        t.year,
                    )
                }),
            EntryKind::Placeholder => None,
        };
        if let Some((title, artist, year)) = live {
            store::set_entry_label(conn, r.id, &title, artist.as_deref(), year)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_keeps_the_moved_entries_in_order_before_the_anchor() {
        let order = [1, 2, 3, 4, 5];
        assert_eq!(
            moved(&order, &[4], Some(2)),
            vec![1, 4, 2, 3, 5],
            "one entry up"
        );
        assert_eq!(
            moved(&order, &[1], Some(3)),
            vec![2, 1, 3, 4, 5],
            "one entry down"
        );
        assert_eq!(
            moved(&order, &[2, 4], None),
            vec![1, 3, 5, 2, 4],
            "to the end, in list order"
        );
        assert_eq!(
            moved(&order, &[4, 2], Some(1)),
            vec![2, 4, 1, 3, 5],
            "a selection keeps the list's order, not the click order"
        );
        assert_eq!(
            moved(&order, &[2, 3], Some(3)),
            vec![1, 2, 3, 4, 5],
            "anchoring on a moving entry anchors on the next one that stays"
        );
        assert_eq!(
            moved(&order, &[5], Some(5)),
            vec![1, 2, 3, 4, 5],
            "nothing to do"
        );
    }

    #[test]
    fn names_are_tidied_and_bounded() {
        assert_eq!(clean_name("  Best   of\t2024 ").unwrap(), "Best of 2024");
        assert!(clean_name("   ").is_err(), "a blank name is refused");
        assert!(
            clean_name(&"x".repeat(201)).is_err(),
            "over 200 characters is refused"
        );
    }

    #[test]
    fn smart_queries_keep_their_scope_in_json() {
        let q = SmartQuery::Tracks {
            query: "rating:5".into(),
            sort: TrackSort::default(),
            limit: Some(50),
        };
        let json = serde_json::to_value(&q).unwrap();
        assert_eq!(json["scope"], "tracks", "the scope tags the query");
        let back: SmartQuery = serde_json::from_value(json).unwrap();
        assert_eq!(back, q, "a saved query reads back the same");
        let albums: SmartQuery =
            serde_json::from_str(r#"{"scope":"albums","query":"tag:live"}"#).unwrap();
        assert!(
            matches!(
                albums,
                SmartQuery::Albums {
                    arrange: Arrangement::Title,
                    limit: None,
                    ..
                }
            ),
            "missing parts take their defaults"
        );
    }
}
