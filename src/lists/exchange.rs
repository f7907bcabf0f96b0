//! Export of a list, a query's results or the whole catalog to a file, and import of a playlist
//! or list file as a new list.
//!
//! Export gathers the entries from the catalog (with progress, cancellable), has a pure writer in
//! `src/export` turn them into text, and writes the file atomically: a cancelled or failed export
//! leaves no file behind. Import reads the file (at most 64 MiB), parses it with `src/import`,
//! finds each entry in the catalog (by file path, then by album folder, then by title, artist and
//! year) and creates the list in one transaction; what it cannot find becomes a wishlist
//! placeholder. A file that does not parse creates nothing.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::resolve::{artist_matches, AlbumIndex};
use super::{
    add_on, clean_name, info, list_row, page_on, smart_entries, write, Entry, Item, ListError,
    ListInfo, SmartQuery,
};
use crate::export::{self, Cover, EntryKind, ExportEntry, ExportList, ExportTrack, Ranking};
use crate::import::{self, ImportedEntry, ImportedList};
use crate::search::Arrangement;
use crate::text::fold;
use crate::{db, Library};

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    List {
        id: i64,
    },
    /// A search's results, as the tracks table or the album grid shows them.
    Query {
        query: SmartQuery,
    },
    /// Every album, by title.
    Catalog,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Markdown,
    Html,
    Csv,
    Json,
    M3u8,
    Xspf,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::M3u8 => "m3u8",
            Format::Xspf => "xspf",
        }
    }

    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" => Format::Html,
            "csv" => Format::Csv,
            "json" => Format::Json,
            "m3u8" | "m3u" => Format::M3u8,
            "xspf" => Format::Xspf,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportOptions {
    /// CSV: start with a byte-order mark, so spreadsheets read the file as UTF-8.
    pub bom: bool,
    /// M3U8: paths relative to the playlist's folder where they can be.
    pub relative_paths: bool,
}

/// How far an export or import is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// `gathering`, `writing`, `matching` or `done`.
    pub phase: &'static str,
    pub done: u64,
    pub total: u64,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportReport {
    pub path: String,
    pub format: Format,
    pub entries: usize,
    /// Audio files the entries point at (playlists list these).
    pub files: usize,
    pub bytes: u64,
}

const MAX_IMPORT_BYTES: u64 = import::MAX_BYTES as u64;
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

struct Ticker<'a> {
    report: &'a (dyn Fn(&Progress) + Sync),
    cancel: &'a AtomicBool,
    last: Instant,
}

impl Ticker<'_> {
    fn tick(&mut self, phase: &'static str, done: u64, total: u64) -> Result<(), ListError> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(ListError::Cancelled);
        }
        if done == 0 || done == total || self.last.elapsed() >= PROGRESS_EVERY {
            self.last = Instant::now();
            (self.report)(&Progress { phase, done, total });
        }
        Ok(())
    }
}

/// Exports `source` as `format` to `path` (replacing it atomically), reporting progress about ten
/// times a second. Setting `cancel` stops it and leaves no file.
///
/// # Errors
/// An unknown list, a bad query, a catalog that cannot be read, a file that cannot be written, or
/// a cancel.
pub fn export(
    lib: &Library,
    source: &Source,
    format: Format,
    path: &Path,
    options: ExportOptions,
    progress: &(dyn Fn(&Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<ExportReport, ListError> {
    let mut ticker = Ticker {
        report: progress,
        cancel,
        last: Instant::now(),
    };
    let conn = lib.reader()?;
    let covers = (format == Format::Html).then(|| lib.thumbs_dir());
    let list = gather(&conn, source, covers, &mut ticker)?;
    let files = list.entries.iter().map(|e| e.tracks.len()).sum();
    ticker.tick("writing", 0, 1)?;
    let text = match format {
        Format::Markdown => export::markdown::write(&list),
        Format::Html => export::html::write(&list),
        Format::Csv => export::csv::write(&list, options.bom),
        Format::Json => export::json(&list),
        Format::M3u8 => {
            let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
            let base = folder.map(absolute);
            export::m3u::write(&list, base.as_deref().filter(|_| options.relative_paths))
        }
        Format::Xspf => export::xspf::write(&list),
    };
    if cancel.load(Ordering::Relaxed) {
        return Err(ListError::Cancelled);
    }
    write_atomically(path, text.as_bytes())?;
    ticker.tick("done", 1, 1)?;
    Ok(ExportReport {
        path: path.to_string_lossy().into_owned(),
        format,
        entries: list.entries.len(),
        files,
        bytes: text.len() as u64,
    })
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ListError> {
    let err = |e| ListError::Write(path.to_path_buf(), e);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".cuebook-export-")
        .tempfile_in(dir)
        .map_err(err)?;
    tmp.as_file_mut().write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// The export model of `source`: entries in order with their files, and covers when
/// `thumbs_dir` is given.
fn gather(
    conn: &Connection,
    source: &Source,
    thumbs_dir: Option<&Path>,
    ticker: &mut Ticker,
) -> Result<ExportList, ListError> {
    ticker.tick("gathering", 0, 1)?;
    let (title, note, ranking, entries) = match source {
        Source::List { id } => {
            let page = page_on(conn, *id, None)?;
            (
                page.list.name,
                page.list.note,
                page.list.ranking,
                page.entries,
            )
        }
        Source::Query { query } => {
            let (entries, _) = smart_entries(conn, query, None)?;
            let q = match query {
                SmartQuery::Tracks { query, .. } | SmartQuery::Albums { query, .. } => query,
            };
            let title = if q.trim().is_empty() {
                "Search results".to_owned()
            } else {
                format!("Search: {}", q.trim())
            };
            (title, None, Ranking::None, entries)
        }
        Source::Catalog => {
            let all = SmartQuery::Albums {
                query: String::new(),
                arrange: Arrangement::Title,
                kind: None,
                limit: None,
            };
            let (entries, _) = smart_entries(conn, &all, None)?;
            ("Collection".to_owned(), None, Ranking::None, entries)
        }
    };
    let total = entries.len() as u64;
    let mut out = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        ticker.tick("gathering", i as u64, total)?;
        out.push(export_entry(conn, e, thumbs_dir)?);
    }
    ticker.tick("gathering", total, total)?;
    Ok(ExportList {
        title,
        note,
        ranking,
        entries: out,
    })
}

fn export_track(
    conn: &Connection,
    t: &db::tracks::TrackRow,
) -> Result<Option<ExportTrack>, ListError> {
    if t.missing_since.is_some() {
        return Ok(None);
    }
    let Some(path) = db::tracks::path_of(conn, t.id)? else {
        return Ok(None);
    };
    Ok(Some(ExportTrack {
        title: t.title.clone().unwrap_or_else(|| {
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        }),
        artist: t.composers.first().or_else(|| t.artists.first()).cloned(),
        album: t.album.clone(),
        duration_ms: t.duration_ms,
        path,
    }))
}

fn export_entry(
    conn: &Connection,
    e: &Entry,
    thumbs_dir: Option<&Path>,
) -> Result<ExportEntry, ListError> {
    let mut tracks = Vec::new();
    let mut path = None;
    match (e.kind, e.album_id, e.track_id) {
        (EntryKind::Album, Some(album), _) => {
            for t in db::tracks::by_album(conn, album)? {
                tracks.extend(export_track(conn, &t)?);
            }
            path = db::albums::detail(conn, album)?
                .and_then(|d| d.folder)
                .map(PathBuf::from);
        }
        (EntryKind::Track, _, Some(track)) => {
            if let Some(t) = db::tracks::by_id(conn, track)? {
                tracks.extend(export_track(conn, &t)?);
                path = db::tracks::path_of(conn, track)?;
            }
        }
        _ => {}
    }
    let cover = match (thumbs_dir, &e.cover_hash) {
        (Some(dir), Some(hash)) => std::fs::read(crate::catalog::thumbnail_path(dir, hash))
            .ok()
            .map(|bytes| Cover {
                mime: "image/jpeg".into(),
                bytes,
            }),
        _ => None,
    };
    Ok(ExportEntry {
        rank: e.rank,
        kind: e.kind,
        title: e.title.clone(),
        artist: e.artist.clone(),
        album: e.album.clone(),
        year: e.year.and_then(|y| i32::try_from(y).ok()),
        duration_ms: e.duration_ms,
        path,
        note: e.note.clone(),
        tags: e.tags.clone(),
        rating: e.rating,
        tracks,
        cover,
    })
}

/// What an import created.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    pub list: ListInfo,
    pub entries: usize,
    /// Entries found in the catalog as albums and as tracks.
    pub albums: usize,
    pub tracks: usize,
    /// Entries not found: kept as wishlist placeholders.
    pub placeholders: usize,
    /// Entries the same as an earlier one (the same album or track), added once.
    pub duplicates: usize,
    /// Lines or rows the file had that were skipped or read with a guess, each with the reason.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    /// The new list's name; else the file's own title, else the file name.
    pub name: Option<String>,
    /// CSV: which column holds what; else guessed from the header.
    pub mapping: Option<import::CsvMapping>,
}

/// Reads `path` and previews it as CSV, for the column-mapping dialog.
///
/// # Errors
/// A file that cannot be read, is too large, or is not CSV text.
pub fn csv_preview(path: &Path) -> Result<import::CsvPreview, ListError> {
    let bytes = read_limited(path)?;
    import::csv_preview(&bytes).map_err(|e| ListError::Import(path.to_path_buf(), e.to_string()))
}

fn read_limited(path: &Path) -> Result<Vec<u8>, ListError> {
    let err = |e| ListError::Read(path.to_path_buf(), e);
    let meta = std::fs::metadata(path).map_err(err)?;
    if !meta.is_file() {
        return Err(ListError::Import(path.to_path_buf(), "not a file".into()));
    }
    if meta.len() > MAX_IMPORT_BYTES {
        return Err(ListError::Import(
            path.to_path_buf(),
            format!(
                "the file is {} MiB; playlists and lists up to 64 MiB can be imported",
                meta.len() / (1024 * 1024)
            ),
        ));
    }
    std::fs::read(path).map_err(err)
}

/// Imports a playlist or list file (M3U/M3U8, XSPF, CSV, Cuebook JSON) as a new list.
///
/// # Errors
/// A file that cannot be read or parsed (then nothing is created), or a catalog that cannot be
/// written.
pub fn import(
    lib: &Library,
    path: &Path,
    options: &ImportOptions,
    progress: &(dyn Fn(&Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<ImportReport, ListError> {
    let mut ticker = Ticker {
        report: progress,
        cancel,
        last: Instant::now(),
    };
    let bytes = read_limited(path)?;
    let bad = |why: String| ListError::Import(path.to_path_buf(), why);
    let format = import::detect(path, &bytes).ok_or_else(|| {
        bad("not a playlist or list Cuebook reads (M3U, M3U8, XSPF, CSV or Cuebook JSON)".into())
    })?;
    let parsed = import::parse(&bytes, format, &absolute(path), options.mapping.as_ref())
        .map_err(|e| bad(e.to_string()))?;
    let fallback = path.file_stem().map_or_else(
        || "Imported list".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let name = options
        .name
        .as_deref()
        .or(parsed.title.as_deref())
        .and_then(|n| clean_name(n).ok())
        .or_else(|| clean_name(&fallback).ok())
        .unwrap_or_else(|| "Imported list".to_owned());
    let ranking = parsed
        .ranking
        .unwrap_or_else(|| ranking_of(&parsed.entries));
    let mut warnings = parsed.warnings.clone();
    let note = super::clean_note(parsed.note.as_deref()).unwrap_or_else(|e| {
        warnings.push(format!("the list's note was left out: {e}"));
        None
    });
    write(lib, |conn, now| {
        let items = match_entries(conn, &parsed, &mut warnings, &mut ticker)?;
        let id = db::lists::insert(conn, &name, note.as_deref(), ranking.as_str(), None, now)?;
        let added = add_on(conn, id, &items, None, now)?;
        let mut report = ImportReport {
            list: info(&list_row(conn, id)?),
            entries: added.len(),
            albums: 0,
            tracks: 0,
            placeholders: 0,
            duplicates: items.len() - added.len(),
            warnings,
        };
        for e in db::lists::entries(conn, id)? {
            match e.kind.as_str() {
                "album" => report.albums += 1,
                "track" => report.tracks += 1,
                _ => report.placeholders += 1,
            }
        }
        ticker.tick("done", 1, 1)?;
        Ok(report)
    })
}

/// The ranking the entries' own ranks show: 1, 2, 3… ascending; …3, 2, 1 descending.
fn ranking_of(entries: &[ImportedEntry]) -> Ranking {
    let ranks: Vec<u32> = entries.iter().filter_map(|e| e.rank).collect();
    if ranks.len() != entries.len() || ranks.is_empty() {
        return Ranking::None;
    }
    let n = ranks.len() as u32;
    if ranks.iter().enumerate().all(|(i, &r)| r == i as u32 + 1) {
        Ranking::Ascending
    } else if ranks.iter().enumerate().all(|(i, &r)| r == n - i as u32) {
        Ranking::Descending
    } else {
        Ranking::None
    }
}

/// Track titles indexed for matching rows that name a track but no file.
struct TrackIndex {
    by_title: std::collections::HashMap<String, Vec<db::lists::TrackCandidate>>,
}

impl TrackIndex {
    fn load(conn: &Connection) -> rusqlite::Result<Self> {
        let mut by_title: std::collections::HashMap<String, Vec<_>> = Default::default();
        for t in db::lists::track_candidates(conn)? {
            if let Some(title) = &t.1 {
                by_title.entry(fold(title)).or_default().push(t);
            }
        }
        Ok(Self { by_title })
    }

    /// The track titled `title`, on `album` and by `artist` when those are given.
    fn find(&self, title: &str, artist: Option<&str>, album: Option<&str>) -> Option<i64> {
        self.by_title
            .get(&fold(title))?
            .iter()
            .find(|t| {
                let album_ok =
                    album.is_none_or(|a| t.2.as_deref().is_some_and(|ta| fold(ta) == fold(a)));
                let people = [t.3.as_deref(), t.4.as_deref()];
                let artist_ok = artist.is_none_or(|a| artist_matches(a, &people) != Some(false));
                album_ok && artist_ok
            })
            .map(|t| t.0)
    }
}

/// Each imported entry as an item to add: the album or track it is in the catalog, else a
/// placeholder.
fn match_entries(
    conn: &Connection,
    parsed: &ImportedList,
    warnings: &mut Vec<String>,
    ticker: &mut Ticker,
) -> Result<Vec<Item>, ListError> {
    let mut albums: Option<AlbumIndex> = None;
    let mut tracks: Option<TrackIndex> = None;
    let total = parsed.entries.len() as u64;
    let mut items = Vec::with_capacity(parsed.entries.len());
    for (i, e) in parsed.entries.iter().enumerate() {
        ticker.tick("matching", i as u64, total)?;
        let note = super::clean_note(e.note.as_deref()).unwrap_or_else(|err| {
            warnings.push(format!("entry {}: its note was left out: {err}", i + 1));
            None
        });
        let track_ids: Vec<i64> = e
            .files
            .iter()
            .filter_map(|f| db::tracks::id_by_path(conn, &f.path).transpose())
            .collect::<Result<_, _>>()?;
        let wants_album = match e.kind {
            Some(EntryKind::Album) => true,
            Some(_) => false,
            None => e.files.len() > 1 || (e.files.is_empty() && e.album.is_none()),
        };
        let mut found: Option<Item> = None;
        if e.kind != Some(EntryKind::Placeholder) {
            if wants_album {
                // The album its files belong to, or its folder, or its title.
                let mut owners: Vec<i64> = Vec::new();
                for t in &track_ids {
                    if let Some(a) = db::tracks::album_of(conn, *t)? {
                        if !owners.contains(&a) {
                            owners.push(a);
                        }
                    }
                }
                let mut album = (owners.len() == 1).then(|| owners[0]);
                if album.is_none() && owners.is_empty() {
                    if let Some(folder) = &e.path {
                        album = db::lists::album_by_folder(conn, &crate::text::path_bytes(folder))?;
                    }
                }
                if album.is_none() && owners.is_empty() {
                    if let Some(title) = &e.title {
                        let index = match &mut albums {
                            Some(i) => i,
                            None => albums.insert(AlbumIndex::load(conn)?),
                        };
                        let year = e.year.map(i64::from);
                        let hits = index.find(title, e.artist.as_deref(), year);
                        // Only an unambiguous best match.
                        if hits.len() == 1 || hits.len() > 1 && hits[0].1 > hits[1].1 {
                            album = Some(hits[0].0 .0);
                        }
                    }
                }
                found = album.map(|id| Item::Album {
                    id,
                    note: note.clone(),
                });
            }
            if found.is_none() && e.kind != Some(EntryKind::Album) {
                let mut track = (track_ids.len() == 1).then(|| track_ids[0]);
                if track.is_none() && e.files.is_empty() {
                    if let Some(title) = &e.title {
                        let index = match &mut tracks {
                            Some(i) => i,
                            None => tracks.insert(TrackIndex::load(conn)?),
                        };
                        track = index.find(title, e.artist.as_deref(), e.album.as_deref());
                    }
                }
                found = track.map(|id| Item::Track {
                    id,
                    note: note.clone(),
                });
            }
        }
        items.push(found.unwrap_or_else(|| placeholder_of(e, note)));
    }
    Ok(items)
}

fn placeholder_of(e: &ImportedEntry, note: Option<String>) -> Item {
    let from_file = || {
        e.files.first().and_then(|f| {
            f.title
                .clone()
                .or_else(|| f.path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        })
    };
    Item::Placeholder {
        title: e
            .title
            .clone()
            .or_else(from_file)
            .or_else(|| e.album.clone())
            .unwrap_or_else(|| "Untitled".to_owned()),
        artist: e
            .artist
            .clone()
            .or_else(|| e.files.first().and_then(|f| f.artist.clone())),
        year: e.year.map(i64::from).filter(|y| (1000..=9999).contains(y)),
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(ranks: &[Option<u32>]) -> Vec<ImportedEntry> {
        ranks
            .iter()
            .map(|&rank| ImportedEntry {
                rank,
                ..ImportedEntry::default()
            })
            .collect()
    }

    #[test]
    fn the_ranks_a_file_gives_become_the_lists_ranking() {
        assert_eq!(
            ranking_of(&ranked(&[Some(1), Some(2), Some(3)])),
            Ranking::Ascending
        );
        assert_eq!(
            ranking_of(&ranked(&[Some(3), Some(2), Some(1)])),
            Ranking::Descending
        );
        assert_eq!(
            ranking_of(&ranked(&[Some(1), Some(3), Some(2)])),
            Ranking::None,
            "ranks out of order are not a ranking"
        );
        assert_eq!(
            ranking_of(&ranked(&[Some(1), None])),
            Ranking::None,
            "some entries without a rank make no ranking"
        );
    }

    #[test]
    fn formats_follow_the_file_extension() {
        assert_eq!(Format::from_path(Path::new("a/B.M3U")), Some(Format::M3u8));
        assert_eq!(Format::from_path(Path::new("list.htm")), Some(Format::Html));
        assert_eq!(
            Format::from_path(Path::new("list")),
            None,
            "no extension, no guess"
        );
    }
}
