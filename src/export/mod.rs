//! Export of an annotated list of albums and tracks to CSV, M3U, XSPF, Markdown and JSON.
//!
//! Owns the in-memory export model ([`ExportList`]) and pure writers that turn it into strings.
//! Nothing here touches the file system or the database: the caller builds the model from the
//! catalog and writes the result, so every writer is deterministic and safe to call from any thread.
//!
//! Invariant shared by all writers: user text (titles, notes, tags) can never escape its field,
//! line or element, whatever characters it holds.

pub mod csv;
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
}

/// A titled, annotated list in display order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportList {
    pub title: String,
    /// Markdown.
    pub note: Option<String>,
    pub entries: Vec<ExportEntry>,
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    format: &'static str,
    version: u32,
    #[serde(flatten)]
    list: &'a ExportList,
}

/// Pretty JSON: `{"format": "cuebook-list", "version": 1, "title": …, "note": …, "entries": […]}`.
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
        for entry in &mut lossy.entries {
            entry.path = entry
                .path
                .as_ref()
                .map(|p| PathBuf::from(p.to_string_lossy().into_owned()));
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
        }
    }

    pub(crate) fn list(entries: Vec<ExportEntry>) -> ExportList {
        ExportList {
            title: "Best scores".to_owned(),
            note: None,
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
        let mut e = entry(EntryKind::Track, "T");
        e.path = Some(std::ffi::OsStr::from_bytes(b"/m/\xff.flac").into());
        let value: serde_json::Value =
            serde_json::from_str(&json(&list(vec![e]))).expect("json output must parse");
        assert_eq!(
            value["entries"][0]["path"], "/m/\u{fffd}.flac",
            "JSON strings are Unicode, so the odd byte becomes a replacement character"
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
