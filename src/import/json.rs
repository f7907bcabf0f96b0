//! Cuebook's own JSON list (`{"format": "cuebook-list", "version": 1, …}`, see
//! [`crate::export::json`]); other JSON is refused. Also the entry fields of an M3U
//! `#EXTCUEBOOK` line, which are the same as a JSON entry's.

use std::path::Path;

use serde::Deserialize;
use serde_json::error::Category;

use super::path::{self, Location};
use super::{
    kind_from_name, Collector, ImportError, ImportedEntry, ImportedFile, ImportedList, Ranking,
    MAX_ENTRIES, MAX_FILES,
};

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListFields {
    title: Option<String>,
    note: Option<String>,
    ranking: Option<String>,
    entries: Vec<EntryFields>,
}

/// An entry as Cuebook writes it, read leniently: each field is checked on its own, so one bad
/// value costs that value (with a warning), not the entry.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct EntryFields {
    kind: Option<String>,
    rank: Option<i64>,
    title: Option<String>,
    artist: Option<String>,
    album: Option<String>,
    year: Option<i64>,
    duration_ms: Option<i64>,
    path: Option<String>,
    note: Option<String>,
    tags: Vec<String>,
    rating: Option<i64>,
    tracks: Vec<TrackFields>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TrackFields {
    title: Option<String>,
    artist: Option<String>,
    album: Option<String>,
    duration_ms: Option<i64>,
    path: Option<String>,
}

pub(super) fn parse(text: &str, base: &Path) -> Result<ImportedList, ImportError> {
    // Each object costs a few bytes of JSON but a few hundred of memory; bound them first.
    if count_objects(text) > MAX_ENTRIES + MAX_FILES + 1 {
        return Err(ImportError::TooMany {
            what: "entries",
            max: MAX_ENTRIES,
        });
    }
    let shape = |e: serde_json::Error| match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => ImportError::Json(e.to_string()),
        Category::Data => ImportError::NotCuebookList(e.to_string()),
    };
    let header: Header = serde_json::from_str(text).map_err(shape)?;
    match header.format.as_deref() {
        Some("cuebook-list") => {}
        Some(other) => {
            return Err(ImportError::NotCuebookList(format!(
                "its format is \"{other}\", not \"cuebook-list\""
            )))
        }
        None => {
            return Err(ImportError::NotCuebookList(
                "it has no \"format\": \"cuebook-list\"".into(),
            ))
        }
    }
    match header.version {
        Some(1) => {}
        Some(v) if v > 1 => return Err(ImportError::NewerVersion(v)),
        Some(v) => {
            return Err(ImportError::NotCuebookList(format!(
                "version {v} does not exist"
            )))
        }
        None => return Err(ImportError::NotCuebookList("it has no version".into())),
    }
    let fields: ListFields = serde_json::from_str(text).map_err(shape)?;
    let mut out = Collector::default();
    out.list.title = fields.title;
    out.list.note = fields.note;
    out.list.ranking = match fields.ranking.as_deref() {
        None => None,
        Some(name) => {
            let ranking = ranking_from_name(name);
            if ranking.is_none() {
                out.warn_in(
                    "the list",
                    format!("the ranking \"{name}\" is unknown; ignored"),
                );
            }
            ranking
        }
    };
    for (i, entry) in fields.entries.into_iter().enumerate() {
        let place = format!("entry {}", i + 1);
        let entry = entry.into_entry(&place, Some(base), &mut out);
        out.push_entry(entry)?;
    }
    Ok(out.list)
}

pub(super) fn ranking_from_name(name: &str) -> Option<Ranking> {
    match name {
        "none" => Some(Ranking::None),
        "ascending" => Some(Ranking::Ascending),
        "descending" => Some(Ranking::Descending),
        _ => None,
    }
}

impl EntryFields {
    /// The entry these fields describe. Paths and tracks are read only with a `base` to resolve
    /// them against (an M3U line carries neither). Problems are reported at `place`.
    pub(super) fn into_entry(
        self,
        place: &str,
        base: Option<&Path>,
        out: &mut Collector,
    ) -> ImportedEntry {
        let mut bad = |field: &str, value: String| {
            out.warn_in(place, format!("the {field} {value} is not valid; left out"));
        };
        let kind = self.kind.as_deref().and_then(|k| {
            let kind = kind_from_name(k);
            if kind.is_none() {
                bad("kind", format!("\"{k}\""));
            }
            kind
        });
        let rank = self.rank.and_then(|r| {
            let rank = u32::try_from(r).ok();
            if rank.is_none() {
                bad("rank", r.to_string());
            }
            rank
        });
        let year = self.year.and_then(|y| {
            let year = i32::try_from(y).ok();
            if year.is_none() {
                bad("year", y.to_string());
            }
            year
        });
        let rating = self.rating.and_then(|r| {
            let rating = u8::try_from(r).ok().filter(|r| *r <= 5);
            if rating.is_none() {
                bad("rating", r.to_string());
            }
            rating
        });
        let mut entry = ImportedEntry {
            kind,
            rank,
            title: self.title,
            artist: self.artist,
            album: self.album,
            year,
            duration_ms: self.duration_ms.filter(|d| *d >= 0),
            note: self.note,
            tags: self.tags,
            rating,
            path: None,
            files: Vec::new(),
        };
        let Some(base) = base else {
            return entry;
        };
        let mut resolve = |p: &str, what: &str| match path::from_plain(p, base) {
            Location::File(path) => Some(path),
            Location::Remote(_) => None,
            Location::Invalid(why) => {
                out.warn_in(place, format!("the {what} was skipped: {why}"));
                None
            }
        };
        entry.path = self.path.as_deref().and_then(|p| resolve(p, "path"));
        for t in self.tracks {
            let Some(path) = t.path.as_deref().and_then(|p| resolve(p, "track path")) else {
                continue;
            };
            entry.files.push(ImportedFile {
                path,
                title: t.title,
                artist: t.artist,
                album: t.album,
                duration_ms: t.duration_ms.filter(|d| *d >= 0),
            });
        }
        entry
    }
}

/// How many JSON objects `text` opens: `{` outside strings.
pub(super) fn count_objects(text: &str) -> usize {
    let (mut in_string, mut escaped, mut n) = (false, false, 0);
    for b in text.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b'{' {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<ImportedList, ImportError> {
        parse(s, Path::new("/l"))
    }

    #[test]
    fn only_cuebook_lists_of_a_known_version_are_read() {
        let msg = |s: &str| match parse_str(s) {
            Err(e) => e.to_string(),
            Ok(l) => panic!("{s} must be refused, got {l:?}"),
        };
        assert_eq!(
            msg(r#"{"format":"cuebook-list","version":2,"entries":[]}"#),
            "written by a newer Cuebook (list format version 2); this version reads version 1",
            "a newer version is refused with the reason"
        );
        assert_eq!(
            msg(r#"{"format":"cuebook-backup","version":1}"#),
            "not a Cuebook list: its format is \"cuebook-backup\", not \"cuebook-list\"",
            "a backup is not a list"
        );
        assert!(
            msg("[1,2]").starts_with("not a Cuebook list: invalid type"),
            "an array is not a list"
        );
        assert!(
            msg("{\"format\":\n\"cuebook-list\",").starts_with("not valid JSON: EOF while parsing"),
            "a syntax error says so, with the position"
        );
        assert!(
            msg(&format!(
                "{{\"format\":\"cuebook-list\",\"version\":1,\"x\":[{}]}}",
                "{},".repeat(400_001)
            ))
            .contains("more than 100000 entries"),
            "a flood of objects is refused before it is built"
        );
    }

    #[test]
    fn bad_values_cost_the_value_not_the_entry() {
        let list = parse_str(
            r#"{"format":"cuebook-list","version":1,"title":"T","ranking":"sideways",
               "entries":[{"kind":"song","rank":-1,"title":"A","rating":9,"year":2001,
                           "path":"rel/a.flac","tracks":[{"title":"x"},{"title":"y","path":"/m/y.flac"}]}]}"#,
        )
        .expect("a Cuebook list with odd values still parses");
        let e = &list.entries[0];
        assert_eq!(
            (e.kind, e.rank, e.rating, e.year, e.title.as_deref()),
            (None, None, None, Some(2001), Some("A")),
            "bad kind, rank and rating are left out; the rest is kept"
        );
        assert_eq!(
            e.path,
            Some("/l/rel/a.flac".into()),
            "relative paths resolve"
        );
        assert_eq!(e.files.len(), 1, "a track without a path is not a file");
        assert_eq!(list.ranking, None, "an unknown ranking is ignored");
        assert_eq!(
            list.warnings.len(),
            4,
            "each problem is reported: {:?}",
            list.warnings
        );
    }
}
