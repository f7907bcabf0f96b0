//! XSPF reading. Cuebook's own playlists carry each entry in a track `<extension>` (see
//! [`crate::export::xspf`]); tracks of one entry share its index and are gathered back into it.
//! Foreign tracks become one entry each, with their title, creator, album, annotation and
//! duration.

use std::collections::HashMap;
use std::path::Path;

use super::path::{self, Location};
use super::xml::{Event, Reader};
use super::{
    kind_from_name, settle_path, Collector, ImportError, ImportedEntry, ImportedFile, ImportedList,
    Ranking,
};
use crate::export::xspf::{ENTRY_APPLICATION, RANKING_REL};

const XSPF_NAMESPACE: &str = "http://xspf.org/ns/0/";

/// Where the reader is, as far as XSPF cares.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Playlist,
    ListTitle,
    ListNote,
    Ranking,
    TrackList,
    Track,
    TrackField(TrackField),
    Extension,
    Entry,
    EntryField(EntryField),
    /// Anything else; its content is ignored.
    Other,
}

impl Role {
    /// Whether the element's text is a value we keep.
    fn holds_text(self) -> bool {
        matches!(
            self,
            Role::ListTitle
                | Role::ListNote
                | Role::Ranking
                | Role::TrackField(_)
                | Role::EntryField(_)
        )
    }
}

#[derive(Clone, Copy, PartialEq)]
enum TrackField {
    Location,
    Title,
    Creator,
    Annotation,
    Album,
    Duration,
}

#[derive(Clone, Copy, PartialEq)]
enum EntryField {
    Title,
    Artist,
    Album,
    Tag,
}

#[derive(Default)]
struct Track {
    line: usize,
    location: Option<String>,
    title: Option<String>,
    creator: Option<String>,
    annotation: Option<String>,
    album: Option<String>,
    duration: Option<String>,
    entry: Option<(Option<usize>, ImportedEntry)>,
}

pub(super) fn parse(text: &str, base: &Path) -> Result<ImportedList, ImportError> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut reader = Reader::new(&text);
    let mut out = Collector::default();
    let ns = match reader.next()? {
        Some(Event::Start { name, ns, .. }) if name == "playlist" => ns,
        Some(Event::Start { name, .. }) => {
            return Err(ImportError::NotXspf(format!(
                "the root element is <{name}>, not <playlist>"
            )))
        }
        _ => {
            return Err(ImportError::NotXspf(
                "there is no <playlist> element".into(),
            ))
        }
    };
    match ns.as_deref() {
        Some(XSPF_NAMESPACE) => {}
        Some(other) => {
            return Err(ImportError::NotXspf(format!(
                "the playlist's namespace is {other}, not {XSPF_NAMESPACE}"
            )))
        }
        None => out.warn(1, "the playlist has no XSPF namespace; read as XSPF anyway"),
    }
    let xspf = |n: &Option<String>| *n == ns;
    let ours = |n: &Option<String>| n.as_deref() == Some(ENTRY_APPLICATION);

    let mut roles = vec![Role::Playlist];
    let mut buffer = String::new();
    let mut title: Option<String> = None;
    let mut note: Option<String> = None;
    let mut ranking: Option<String> = None;
    let mut track = Track::default();
    // Our entries by index, as positions in `out.list.entries`.
    let mut by_index: HashMap<usize, usize> = HashMap::new();
    let mut our_entries: Vec<usize> = Vec::new();
    let mut seen_location = false;

    while let Some(event) = reader.next()? {
        match event {
            Event::Start {
                name,
                ns: el_ns,
                attrs,
                line,
            } => {
                let parent = roles.last().copied().unwrap_or(Role::Other);
                let attr = |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v);
                let role = match (parent, name.as_str()) {
                    (Role::Playlist, "title") if xspf(&el_ns) => Role::ListTitle,
                    (Role::Playlist, "annotation") if xspf(&el_ns) => Role::ListNote,
                    (Role::Playlist, "meta")
                        if xspf(&el_ns) && attr("rel").map(String::as_str) == Some(RANKING_REL) =>
                    {
                        Role::Ranking
                    }
                    (Role::Playlist, "trackList") if xspf(&el_ns) => Role::TrackList,
                    (Role::TrackList, "track") if xspf(&el_ns) => {
                        track = Track {
                            line,
                            ..Track::default()
                        };
                        seen_location = false;
                        Role::Track
                    }
                    (Role::Track, "location") if xspf(&el_ns) && !seen_location => {
                        seen_location = true;
                        Role::TrackField(TrackField::Location)
                    }
                    (Role::Track, "title") if xspf(&el_ns) => Role::TrackField(TrackField::Title),
                    (Role::Track, "creator") if xspf(&el_ns) => {
                        Role::TrackField(TrackField::Creator)
                    }
                    (Role::Track, "annotation") if xspf(&el_ns) => {
                        Role::TrackField(TrackField::Annotation)
                    }
                    (Role::Track, "album") if xspf(&el_ns) => Role::TrackField(TrackField::Album),
                    (Role::Track, "duration") if xspf(&el_ns) => {
                        Role::TrackField(TrackField::Duration)
                    }
                    (Role::Track, "extension")
                        if xspf(&el_ns)
                            && attr("application").map(String::as_str)
                                == Some(ENTRY_APPLICATION) =>
                    {
                        Role::Extension
                    }
                    (Role::Extension, "entry") if ours(&el_ns) && track.entry.is_none() => {
                        track.entry = Some(entry_of(&attrs, line, &mut out));
                        Role::Entry
                    }
                    (Role::Entry, "title") if ours(&el_ns) => Role::EntryField(EntryField::Title),
                    (Role::Entry, "artist") if ours(&el_ns) => Role::EntryField(EntryField::Artist),
                    (Role::Entry, "album") if ours(&el_ns) => Role::EntryField(EntryField::Album),
                    (Role::Entry, "tag") if ours(&el_ns) => Role::EntryField(EntryField::Tag),
                    _ => Role::Other,
                };
                if role.holds_text() {
                    buffer.clear();
                }
                roles.push(role);
            }
            Event::Text(t) => {
                if roles.iter().any(|r| r.holds_text()) {
                    buffer.push_str(&t);
                }
            }
            Event::End => {
                let role = roles.pop().unwrap_or(Role::Other);
                // Only a field's own end takes the text: an element inside a field keeps adding.
                let value = if role.holds_text() {
                    std::mem::take(&mut buffer)
                } else {
                    String::new()
                };
                match role {
                    Role::ListTitle => title = Some(value),
                    Role::ListNote => note = Some(value),
                    Role::Ranking => ranking = Some(value),
                    Role::TrackField(field) => {
                        let slot = match field {
                            TrackField::Location => &mut track.location,
                            TrackField::Title => &mut track.title,
                            TrackField::Creator => &mut track.creator,
                            TrackField::Annotation => &mut track.annotation,
                            TrackField::Album => &mut track.album,
                            TrackField::Duration => &mut track.duration,
                        };
                        *slot = Some(value);
                    }
                    Role::EntryField(field) => {
                        if let Some((_, e)) = &mut track.entry {
                            match field {
                                EntryField::Title => e.title = Some(value),
                                EntryField::Artist => e.artist = Some(value),
                                EntryField::Album => e.album = Some(value),
                                EntryField::Tag => e.tags.push(value),
                            }
                        }
                    }
                    Role::Track => {
                        let done = std::mem::take(&mut track);
                        finish_track(done, base, &mut out, &mut by_index, &mut our_entries)?;
                    }
                    _ => {}
                }
            }
        }
    }

    let is_ours = !our_entries.is_empty() || ranking.is_some();
    let tidy = |s: Option<String>| {
        if is_ours {
            s
        } else {
            s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
        }
    };
    out.list.title = title.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    out.list.note = tidy(note);
    out.list.ranking = match ranking.as_deref().map(str::trim) {
        None => None,
        Some("none") => Some(Ranking::None),
        Some("ascending") => Some(Ranking::Ascending),
        Some("descending") => Some(Ranking::Descending),
        Some(other) => {
            out.warn(1, format!("the ranking \"{other}\" is unknown; ignored"));
            None
        }
    };
    for i in our_entries {
        settle_path(&mut out.list.entries[i]);
    }
    Ok(out.list)
}

/// The entry an `<entry>` element's attributes describe, and its index; bad values are left out
/// with a warning.
fn entry_of(
    attrs: &[(String, String)],
    line: usize,
    out: &mut Collector,
) -> (Option<usize>, ImportedEntry) {
    let mut e = ImportedEntry::default();
    let mut index = None;
    for (name, value) in attrs {
        let value = value.trim();
        let ok = match name.as_str() {
            "index" => value.parse().map(|v| index = Some(v)).is_ok(),
            "kind" => kind_from_name(value).map(|k| e.kind = Some(k)).is_some(),
            "rank" => value.parse().map(|v| e.rank = Some(v)).is_ok(),
            "year" => value.parse().map(|v| e.year = Some(v)).is_ok(),
            "duration" => value.parse().map(|v| e.duration_ms = Some(v)).is_ok(),
            "rating" => value
                .parse::<u8>()
                .ok()
                .filter(|r| *r <= 5)
                .map(|r| e.rating = Some(r))
                .is_some(),
            _ => true,
        };
        if !ok {
            out.warn(
                line,
                format!("the entry's {name} \"{value}\" is not valid; left out"),
            );
        }
    }
    (index, e)
}

fn finish_track(
    track: Track,
    base: &Path,
    out: &mut Collector,
    by_index: &mut HashMap<usize, usize>,
    our_entries: &mut Vec<usize>,
) -> Result<(), ImportError> {
    let trimmed = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let duration_ms = track.duration.as_deref().and_then(|d| {
        let d = d.trim();
        d.parse::<i64>()
            .ok()
            .or_else(|| {
                d.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(|f| f as i64)
            })
            .filter(|ms| *ms >= 0)
    });
    let location = trimmed(&track.location);
    let file = match location.as_deref().map(|l| path::from_uri(l, base)) {
        Some(Location::File(path)) => Some(ImportedFile {
            path,
            title: trimmed(&track.title),
            artist: trimmed(&track.creator),
            album: trimmed(&track.album),
            duration_ms,
        }),
        Some(Location::Remote(scheme)) => {
            out.warn(
                track.line,
                format!("not a local file ({scheme}:); kept without a file"),
            );
            None
        }
        Some(Location::Invalid(why)) => {
            out.warn(track.line, format!("the location was skipped: {why}"));
            None
        }
        None => None,
    };
    match track.entry {
        Some((index, mut entry)) => {
            let known = index.and_then(|i| by_index.get(&i).copied());
            match known {
                Some(pos) => {
                    if let Some(file) = file {
                        out.push_file_to(pos, file)?;
                    }
                    let e = &mut out.list.entries[pos];
                    if e.note.is_none() {
                        e.note = track.annotation;
                    }
                }
                None => {
                    entry.note = track.annotation;
                    entry.files.extend(file);
                    out.push_entry(entry)?;
                    let pos = out.list.entries.len() - 1;
                    if let Some(i) = index {
                        by_index.insert(i, pos);
                    }
                    our_entries.push(pos);
                }
            }
        }
        None => {
            let title = trimmed(&track.title).or_else(|| match &file {
                None => location.clone(),
                Some(_) => None,
            });
            let entry = ImportedEntry {
                title,
                artist: trimmed(&track.creator),
                album: trimmed(&track.album),
                duration_ms,
                note: trimmed(&track.annotation),
                path: file.as_ref().map(|f| f.path.clone()),
                files: file.into_iter().collect(),
                ..ImportedEntry::default()
            };
            out.push_entry(entry)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn parse_str(s: &str) -> Result<ImportedList, ImportError> {
        parse(s, Path::new("/music/lists"))
    }

    #[test]
    fn foreign_tracks_become_one_entry_each_with_their_fields() {
        let list = parse_str(
            "<?xml version=\"1.0\"?>\r\n<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\
             <title> Road trip </title><trackList>\
             <track><location>../a/One%20Day.flac</location><title>One Day</title>\
             <creator>Hans Zimmer</creator><album>Interstellar</album>\
             <annotation> Loud </annotation><duration>201500</duration></track>\
             <track><location>https://radio.example/live</location><title>Radio</title></track>\
             <track><title>Nothing</title></track>\
             </trackList></playlist>",
        )
        .expect("a plain XSPF parses");
        assert_eq!(
            list.title.as_deref(),
            Some("Road trip"),
            "the title, trimmed"
        );
        assert_eq!(list.entries.len(), 3, "one entry per track");
        let e = &list.entries[0];
        assert_eq!(e.kind, None, "a foreign file does not say what an entry is");
        assert_eq!(
            e.path,
            Some(PathBuf::from("/music/a/One Day.flac")),
            "resolved and decoded"
        );
        assert_eq!(
            (
                e.title.as_deref(),
                e.artist.as_deref(),
                e.album.as_deref(),
                e.note.as_deref(),
                e.duration_ms
            ),
            (
                Some("One Day"),
                Some("Hans Zimmer"),
                Some("Interstellar"),
                Some("Loud"),
                Some(201_500)
            ),
            "the track's fields fill the entry"
        );
        assert_eq!(e.files.len(), 1, "one file per foreign entry");
        let radio = &list.entries[1];
        assert_eq!(
            (
                radio.title.as_deref(),
                radio.path.as_ref(),
                radio.files.len()
            ),
            (Some("Radio"), None, 0),
            "a web stream keeps its title but has no file"
        );
        assert_eq!(
            list.warnings,
            ["line 2: not a local file (https:); kept without a file"],
            "the stream is reported"
        );
    }

    #[test]
    fn documents_that_are_not_xspf_are_refused() {
        let wrong_root = parse_str("<html xmlns=\"http://xspf.org/ns/0/\"/>");
        assert!(
            matches!(&wrong_root, Err(ImportError::NotXspf(m)) if m.contains("<html>")),
            "the root must be <playlist>: {wrong_root:?}"
        );
        let wrong_ns = parse_str("<playlist xmlns=\"http://example.com/\"><trackList/></playlist>");
        assert!(
            matches!(&wrong_ns, Err(ImportError::NotXspf(m)) if m.contains("namespace")),
            "the namespace must be XSPF's: {wrong_ns:?}"
        );
        let no_ns = parse_str(
            "<playlist><trackList><track><title>x</title></track></trackList></playlist>",
        )
        .expect("a playlist without a namespace is read with a warning");
        assert_eq!(no_ns.entries.len(), 1, "its track is read");
        assert_eq!(no_ns.warnings.len(), 1, "the missing namespace is reported");
    }

    #[test]
    fn our_entries_ignore_a_foreign_extension_and_unknown_elements() {
        let list = parse_str(
            "<playlist xmlns=\"http://xspf.org/ns/0/\"><trackList><track>\
             <location>/m/a.mp3</location><location>/m/b.mp3</location>\
             <extension application=\"http://example.com/app\"><entry><title>No</title></entry></extension>\
             <foo><title>Not the title</title></foo>\
             </track></trackList></playlist>",
        )
        .expect("parses");
        let e = &list.entries[0];
        assert_eq!(
            e.title, None,
            "titles inside unknown elements are not the track's"
        );
        assert_eq!(
            e.path,
            Some(PathBuf::from("/m/a.mp3")),
            "the first location is the one used"
        );
        assert_eq!(e.kind, None, "another application's extension is not ours");
    }
}
