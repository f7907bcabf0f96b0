//! Import of playlists and lists (M3U/M3U8, XSPF, CSV, Cuebook JSON) into a neutral model,
//! [`ImportedList`], that the lists domain then matches against the catalog.
//!
//! Pure: everything here works on the bytes the caller passes in. Nothing reads the file system
//! or the database, so a path in a playlist (`../../../../etc/passwd` included) is only resolved
//! lexically against the playlist's folder and never opened. Safe to call from any thread.
//!
//! Cuebook's own exports (see `docs/export.md` and [`crate::export`]) are read back whole: kinds,
//! ranks and ranking, titles, artists, years, notes, tags, ratings and files. Foreign files give
//! one entry per file with whatever the format says about it.
//!
//! Invariants: hostile input yields an [`ImportError`] or warnings, never a panic; memory stays
//! proportional to the input, which is at most [`MAX_BYTES`], with at most [`MAX_ENTRIES`]
//! entries and [`MAX_FILES`] files.

mod csv;
mod json;
mod m3u;
mod path;
mod text;
mod xml;
mod xspf;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use crate::export::{EntryKind, Ranking};

/// The largest file accepted, in bytes.
/// 64 MiB: a whole 100,000-track collection exported as M3U8 or XSPF is 17 to 40 MiB.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// The most entries a file may hold.
pub const MAX_ENTRIES: usize = 100_000;
/// The most files (playlist tracks) a file may hold, over all its entries.
pub const MAX_FILES: usize = 300_000;

/// A file format Cuebook imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// M3U or M3U8, extended or not.
    M3u,
    Xspf,
    Csv,
    /// Cuebook's own JSON list (`"format": "cuebook-list"`).
    Json,
}

/// A parsed file: the list's own fields, its entries in file order, and what was skipped or
/// guessed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportedList {
    pub title: Option<String>,
    /// Markdown.
    pub note: Option<String>,
    /// What the file says; `None` when it does not say (the ranks may still show one).
    pub ranking: Option<Ranking>,
    pub entries: Vec<ImportedEntry>,
    /// One message per line, row or entry that was skipped or read with a guess, such as
    /// `line 12: not a local file (http:); kept without a file`.
    pub warnings: Vec<String>,
}

/// One entry of an imported list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportedEntry {
    /// What the file says the entry is; `None` when it does not say.
    pub kind: Option<EntryKind>,
    pub rank: Option<u32>,
    pub title: Option<String>,
    pub artist: Option<String>,
    pub album: Option<String>,
    pub year: Option<i32>,
    pub duration_ms: Option<i64>,
    /// Markdown.
    pub note: Option<String>,
    pub tags: Vec<String>,
    /// 0 to 5.
    pub rating: Option<u8>,
    /// The album's folder or the track's file, absolute when the playlist's path is, lexically
    /// normalized (no `.` or `..`).
    pub path: Option<PathBuf>,
    /// The files the entry plays, in order: a track's file, an album's tracks.
    pub files: Vec<ImportedFile>,
}

/// One audio file named by a playlist.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportedFile {
    /// Resolved like [`ImportedEntry::path`]; never empty and never holding a NUL byte.
    pub path: PathBuf,
    pub title: Option<String>,
    pub artist: Option<String>,
    pub album: Option<String>,
    pub duration_ms: Option<i64>,
}

/// Which CSV column (0-based) holds what; `None` when no column does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CsvMapping {
    /// The first row names the columns and is not an entry.
    pub has_header: bool,
    pub rank: Option<usize>,
    pub kind: Option<usize>,
    pub title: Option<usize>,
    pub artist: Option<usize>,
    pub album: Option<usize>,
    pub year: Option<usize>,
    pub duration: Option<usize>,
    pub rating: Option<usize>,
    pub tags: Option<usize>,
    pub note: Option<usize>,
    pub path: Option<usize>,
}

/// The start of a CSV file, for a column-mapping dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CsvPreview {
    /// The header row, or `Column 1`, `Column 2`, … when the file seems to have none.
    pub headers: Vec<String>,
    /// The first rows after the header (at most five), as text.
    pub rows: Vec<Vec<String>>,
    /// The mapping guessed from the header names.
    pub suggested: CsvMapping,
}

/// Why a file cannot be imported. Messages name the problem; the caller adds the file name.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    #[error("the file is {bytes} bytes; at most 64 MiB can be imported")]
    TooLarge { bytes: usize },
    #[error("not a text file ({0})")]
    NotText(&'static str),
    #[error("the file is empty")]
    Empty,
    #[error("the file lists no entries")]
    NoEntries,
    #[error("the file lists more than {max} {what}; split it into smaller lists")]
    TooMany { what: &'static str, max: usize },
    #[error("line {line}: the XML is not well-formed: {problem}")]
    Xml { line: usize, problem: String },
    #[error(
        "line {line}: the XML declares a DOCTYPE or entities, which playlists never need; \
         refused because entity expansion can exhaust memory"
    )]
    XmlDoctype { line: usize },
    #[error("not an XSPF playlist: {0}")]
    NotXspf(String),
    #[error("line {line}: a quoted CSV field is never closed")]
    CsvQuote { line: usize },
    #[error("line {line}: a CSV row has more than {max} columns")]
    CsvColumns { line: usize, max: usize },
    #[error(
        "the column mapping reads {field} from column {column}, but the file has {width} columns"
    )]
    CsvMissingColumn {
        field: &'static str,
        /// 1-based, as a person counts.
        column: usize,
        width: usize,
    },
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("not a Cuebook list: {0}")]
    NotCuebookList(String),
    #[error("written by a newer Cuebook (list format version {0}); this version reads version 1")]
    NewerVersion(u64),
}

/// The format of a file: by its extension (`.m3u`, `.m3u8`, `.xspf`, `.csv`, `.tsv`, `.json`),
/// else by sniffing its first bytes. `None` when neither says.
pub fn detect(path: &Path, bytes: &[u8]) -> Option<Format> {
    let by_extension = path.extension().and_then(|e| e.to_str()).and_then(|e| {
        match e.to_ascii_lowercase().as_str() {
            "m3u" | "m3u8" => Some(Format::M3u),
            "xspf" => Some(Format::Xspf),
            "csv" | "tsv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    });
    by_extension.or_else(|| sniff(bytes))
}

/// Guesses the format from the first few KiB of text.
fn sniff(bytes: &[u8]) -> Option<Format> {
    let head = text::decode_head(bytes, 4096);
    let head = head.trim_start();
    let first_line = head.lines().next().unwrap_or_default();
    if head.starts_with("#EXTM3U") {
        Some(Format::M3u)
    } else if head.starts_with('{') {
        Some(Format::Json)
    } else if head.starts_with('<') {
        head.contains("<playlist").then_some(Format::Xspf)
    } else if head.starts_with('#') || head.starts_with('/') || head.starts_with("file:") {
        Some(Format::M3u)
    } else if first_line.contains([',', ';', '\t']) {
        Some(Format::Csv)
    } else if head.lines().any(path::looks_like_audio_file) {
        Some(Format::M3u)
    } else {
        None
    }
}

/// Previews a CSV file: its header (or made-up column names), its first five rows and the
/// mapping its header names suggest.
///
/// # Errors
/// A file that is too large, not text, empty, or whose first rows have an unclosed quote.
pub fn csv_preview(bytes: &[u8]) -> Result<CsvPreview, ImportError> {
    let decoded = text::decode(bytes)?;
    csv::preview(&decoded.text)
}

/// Parses `bytes` as `format`. Relative paths are resolved against the folder of
/// `playlist_path` (pass it absolute to get absolute paths); `csv_mapping` says which CSV column
/// holds what, and is guessed from the header when `None`.
///
/// # Errors
/// A file that is too large, not text, empty, malformed for its format (the message says where),
/// has too many entries, or lists none; a CSV mapping that names a column the file lacks.
pub fn parse(
    bytes: &[u8],
    format: Format,
    playlist_path: &Path,
    csv_mapping: Option<&CsvMapping>,
) -> Result<ImportedList, ImportError> {
    let decoded = text::decode(bytes)?;
    if decoded.text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let base = playlist_path.parent().unwrap_or(Path::new(""));
    let mut list = match format {
        Format::M3u => m3u::parse(&decoded.text, base)?,
        Format::Xspf => xspf::parse(&decoded.text, base)?,
        Format::Csv => csv::parse(&decoded.text, base, csv_mapping)?,
        Format::Json => json::parse(&decoded.text, base)?,
    };
    if list.entries.is_empty() {
        return Err(ImportError::NoEntries);
    }
    if let Some(warning) = decoded.warning {
        list.warnings.insert(0, warning);
    }
    Ok(list)
}

/// Collects entries and files while enforcing [`MAX_ENTRIES`] and [`MAX_FILES`].
#[derive(Default)]
struct Collector {
    list: ImportedList,
    files: usize,
}

impl Collector {
    fn push_entry(&mut self, entry: ImportedEntry) -> Result<(), ImportError> {
        if self.list.entries.len() >= MAX_ENTRIES {
            return Err(ImportError::TooMany {
                what: "entries",
                max: MAX_ENTRIES,
            });
        }
        self.count_files(entry.files.len())?;
        self.list.entries.push(entry);
        Ok(())
    }

    /// Adds a file to the entry at `index`.
    fn push_file_to(&mut self, index: usize, file: ImportedFile) -> Result<(), ImportError> {
        self.count_files(1)?;
        if let Some(entry) = self.list.entries.get_mut(index) {
            entry.files.push(file);
        }
        Ok(())
    }

    fn count_files(&mut self, n: usize) -> Result<(), ImportError> {
        self.files += n;
        if self.files > MAX_FILES {
            return Err(ImportError::TooMany {
                what: "files",
                max: MAX_FILES,
            });
        }
        Ok(())
    }

    fn warn(&mut self, line: usize, message: impl std::fmt::Display) {
        self.warn_in(&format!("line {line}"), message);
    }

    /// A warning about `place` (`line 12`, `entry 3`, `the list`).
    fn warn_in(&mut self, place: &str, message: impl std::fmt::Display) {
        // A hostile file could make a warning per line; a few hundred say enough.
        const MAX_WARNINGS: usize = 200;
        match self.list.warnings.len() {
            n if n < MAX_WARNINGS => self.list.warnings.push(format!("{place}: {message}")),
            n if n == MAX_WARNINGS => self
                .list
                .warnings
                .push("more problems were found; only the first ones are listed".to_owned()),
            _ => {}
        }
    }
}

/// Appends `line` to a note made of lines.
fn push_note_line(note: &mut Option<String>, line: &str) {
    match note {
        Some(n) => {
            n.push('\n');
            n.push_str(line);
        }
        None => *note = Some(line.to_owned()),
    }
}

/// Sets the entry's `path` from its files, for the formats that list an entry's files rather
/// than the entry itself: a track's (or unknown entry's) first file, an album's folder (the
/// folder its files share).
fn settle_path(entry: &mut ImportedEntry) {
    entry.path = match entry.kind {
        Some(EntryKind::Placeholder) => None,
        Some(EntryKind::Album) => shared_folder(&entry.files),
        Some(EntryKind::Track) | None => entry.files.first().map(|f| f.path.clone()),
    };
}

/// The deepest folder that holds every file, from the paths alone.
fn shared_folder(files: &[ImportedFile]) -> Option<PathBuf> {
    let mut folder = files.first()?.path.parent()?.to_path_buf();
    for f in &files[1..] {
        while !f.path.starts_with(&folder) {
            if !folder.pop() {
                return None;
            }
        }
    }
    (!folder.as_os_str().is_empty()).then_some(folder)
}

/// An entry kind named in a file (`album`, `track`, `placeholder`, or `wishlist`).
fn kind_from_name(name: &str) -> Option<EntryKind> {
    match name.trim().to_ascii_lowercase().as_str() {
        "album" => Some(EntryKind::Album),
        "track" => Some(EntryKind::Track),
        "placeholder" | "wishlist" => Some(EntryKind::Placeholder),
        _ => None,
    }
}
