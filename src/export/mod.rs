//! Export of an annotated list of albums and tracks to CSV, M3U, XSPF, Markdown and JSON.
//!
//! Owns the in-memory export model ([`ExportList`]) and pure writers that turn it into strings.
//! Nothing here touches the file system or the database: the caller builds the model from the
//! catalog and writes the result, so every writer is deterministic and safe to call from any thread.
//!
//! Invariant shared by all writers: user text (titles, notes, tags) can never escape its field,
//! line or element, whatever characters it holds. The playlist formats (M3U, XSPF) and CSV and
//! JSON are read back by [`crate::import`]; `docs/export.md` documents every format and what a
//! round trip keeps.

pub mod csv;
pub mod html;
pub mod m3u;
pub mod markdown;
pub mod xspf;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// What a list entry stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    Album,
    Track,
    /// A wishlist item that is not in the collection.
    Placeholder,
}

impl EntryKind {
    /// The lowercase name used in every export format, the same as the serde name.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Album => "album",
            EntryKind::Track => "track",
            EntryKind::Placeholder => "placeholder",
        }
    }
}

/// How a list numbers its entries. Ranks are positions, counted from the top (`Ascending`: 1, 2, …)
/// or from the bottom (`Descending`: a countdown ending at 1), or not shown at all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ranking {
    #[default]
    None,
    Ascending,
    Descending,
}

impl Ranking {
    pub fn as_str(self) -> &'static str {
        match self {
            Ranking::None => "none",
            Ranking::Ascending => "ascending",
            Ranking::Descending => "descending",
        }
    }

    /// The rank of the entry at `index` (0-based) in a list of `len` entries.
    pub fn rank(self, index: usize, len: usize) -> Option<u32> {
        match self {
            Ranking::None => None,
            Ranking::Ascending => u32::try_from(index + 1).ok(),
            Ranking::Descending => u32::try_from(len.saturating_sub(index)).ok(),
        }
    }
}

/// One audio file an entry plays: a track entry's own file, or one of an album entry's tracks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportTrack {
    pub title: String,
    pub artist: Option<String>,
    pub album: Option<String>,
    pub duration_ms: Option<i64>,
    pub path: PathBuf,
}

/// A cover thumbnail to inline (HTML export only).
#[derive(Debug, Clone, PartialEq)]
pub struct Cover {
    /// `image/jpeg`, `image/png`, …
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// One annotated entry of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportEntry {
    pub rank: Option<u32>,
    pub kind: EntryKind,
    pub title: String,
    /// Composer or album artist, as shown in the catalog.
    pub artist: Option<String>,
    /// The album a track belongs to.
    pub album: Option<String>,
    pub year: Option<i32>,
    pub duration_ms: Option<i64>,
    /// The audio file of a track or the folder of an album; `None` for placeholders.
    pub path: Option<PathBuf>,
    /// Markdown.
    pub note: Option<String>,
    pub tags: Vec<String>,
    pub rating: Option<u8>,
    /// What the entry plays, in order: a track entry's file, an album entry's tracks. Empty for
    /// placeholders and for entries whose files are all missing. Playlist formats (M3U, XSPF)
    /// write these, not `path`.
    #[serde(default)]
    pub tracks: Vec<ExportTrack>,
    /// The album's cover thumbnail, for the HTML export; never serialized.
    #[serde(skip)]
    pub cover: Option<Cover>,
}

impl ExportEntry {
    /// An entry of `kind` titled `title` with nothing else set.
    pub fn new(kind: EntryKind, title: &str) -> Self {
        ExportEntry {
            rank: None,
            kind,
            title: title.to_owned(),
            artist: None,
            album: None,
            year: None,
            duration_ms: None,
            path: None,
            note: None,
            tags: Vec::new(),
            rating: None,
            tracks: Vec::new(),
            cover: None,
        }
    }
}

/// A titled, annotated list in display order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportList {
    pub title: String,
    /// Markdown.
    pub note: Option<String>,
    #[serde(default)]
    pub ranking: Ranking,
    pub entries: Vec<ExportEntry>,
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    format: &'static str,
    version: u32,
    #[serde(flatten)]
    list: &'a ExportList,
}

/// Pretty JSON: `{"format": "cuebook-list", "version": 1, "title": …, "note": …, "ranking": …,
/// "entries": […]}`, each entry with its `tracks`.
///
/// Paths that are not UTF-8 are written lossily, because JSON strings are Unicode.
pub fn json(list: &ExportList) -> String {
    let doc = JsonDocument {
        format: "cuebook-list",
        version: 1,
        list,
    };
    // Only paths can fail to serialize (when not UTF-8); fall back to a lossy copy for those.
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| {
        let mut lossy = list.clone();
        let lossy_path = |p: &PathBuf| PathBuf::from(p.to_string_lossy().into_owned());
        for entry in &mut lossy.entries {
            entry.path = entry.path.as_ref().map(lossy_path);
            for track in &mut entry.tracks {
                track.path = lossy_path(&track.path);
            }
        }
        let doc = JsonDocument {
            format: "cuebook-list",
            version: 1,
            list: &lossy,
        };
        serde_json::to_string_pretty(&doc).expect("a list with UTF-8 paths always serializes")
    })
}

/// Formats a duration as `m:ss`, or `h:mm:ss` from one hour on; negative durations count as zero.
pub(crate) fn format_duration(ms: i64) -> String {
    let total = ms.max(0) / 1000;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn entry(kind: EntryKind, title: &str) -> ExportEntry {
        ExportEntry::new(kind, title)
    }

    pub(crate) fn list(entries: Vec<ExportEntry>) -> ExportList {
        ExportList {
            title: "Best scores".to_owned(),
            note: None,
            ranking: Ranking::None,
            entries,
        }
    }

    #[test]
    fn json_wraps_the_list_with_format_and_version() {
        let mut e = entry(EntryKind::Placeholder, "Dune");
        e.rank = Some(1);
        let out = json(&list(vec![e.clone()]));
        let value: serde_json::Value = serde_json::from_str(&out).expect("json output must parse");
        assert_eq!(
            value["format"], "cuebook-list",
            "readers detect the format by this key"
        );
        assert_eq!(
            value["version"], 1,
            "readers check the version before parsing"
        );
        assert_eq!(
            value["entries"][0]["kind"], "placeholder",
            "kinds are lowercase"
        );
        let back: ExportList = serde_json::from_value(value)
            .expect("the list fields deserialize back, ignoring the wrapper keys");
        assert_eq!(back.entries, vec![e], "json must round-trip the entries");
    }

    #[test]
    fn json_writes_non_utf8_paths_lossily_instead_of_failing() {
        use std::os::unix::ffi::OsStrExt;
        let odd = std::ffi::OsStr::from_bytes(b"/m/\xff.flac");
        let mut e = entry(EntryKind::Track, "T");
        e.path = Some(odd.into());
        e.tracks = vec![ExportTrack {
            title: "T".to_owned(),
            artist: None,
            album: None,
            duration_ms: None,
            path: odd.into(),
        }];
        let value: serde_json::Value =
            serde_json::from_str(&json(&list(vec![e]))).expect("json output must parse");
        assert_eq!(
            value["entries"][0]["path"], "/m/\u{fffd}.flac",
            "JSON strings are Unicode, so the odd byte becomes a replacement character"
        );
        assert_eq!(
            value["entries"][0]["tracks"][0]["path"], "/m/\u{fffd}.flac",
            "track paths are written lossily too"
        );
    }

    #[test]
    fn json_carries_the_ranking_and_each_entrys_tracks_but_not_its_cover() {
        let mut e = entry(EntryKind::Album, "A");
        e.tracks = vec![ExportTrack {
            title: "One".to_owned(),
            artist: Some("X".to_owned()),
            album: Some("A".to_owned()),
            duration_ms: Some(1000),
            path: "/m/a/1.flac".into(),
        }];
        e.cover = Some(Cover {
            mime: "image/jpeg".to_owned(),
            bytes: vec![1, 2, 3],
        });
        let mut l = list(vec![e]);
        l.ranking = Ranking::Descending;
        let value: serde_json::Value =
            serde_json::from_str(&json(&l)).expect("json output must parse");
        assert_eq!(
            value["ranking"], "descending",
            "the ranking is a list field"
        );
        assert_eq!(
            value["entries"][0]["tracks"][0]["path"], "/m/a/1.flac",
            "an album's tracks are listed with their paths"
        );
        assert!(
            value["entries"][0].get("cover").is_none(),
            "covers are for the HTML export only"
        );
    }

    #[test]
    fn durations_use_minutes_and_hours_only_when_needed() {
        assert_eq!(
            format_duration(65_999),
            "1:05",
            "seconds are truncated and zero-padded"
        );
        assert_eq!(
            format_duration(3_725_000),
            "1:02:05",
            "an hour or more adds the hour field"
        );
        assert_eq!(
            format_duration(-5),
            "0:00",
            "a negative duration is treated as zero"
        );
    }
}
