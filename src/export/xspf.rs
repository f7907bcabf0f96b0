//! XSPF version 1 export (<https://xspf.org/spec>), carrying the whole list in XSPF's own
//! extension points so [`crate::import`] reads it back.
//!
//! Each file an entry plays is a `<track>`: an album entry's tracks in order (numbered with
//! `<trackNum>`), a track entry's file, and for a placeholder one track without `<location>`,
//! which the spec allows. Every track of an entry carries an
//! `<extension application="https://cuebook.app/ns/xspf/entry">` holding the entry's index, kind,
//! rank, title, artist, album, year, duration, rating and tags; the entry's note is the
//! `<annotation>` of its first track. The list's ranking is a playlist-level `<meta>`. Players
//! ignore extensions and metas they do not know, so the file stays an ordinary playlist.
//! Children are written in the order the spec lists them.
//!
//! Text is XML-escaped and stripped of the characters XML 1.0 cannot carry at all (control
//! characters other than TAB, LF and CR, and U+FFFE/U+FFFF), so any title or note yields a
//! well-formed document; CR is written as `&#13;` so that XML's line-end normalization keeps it.
//! Locations are `file://` URIs built from the raw path bytes, so paths that are not UTF-8 survive.

use std::fmt::Write as _;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::{EntryKind, ExportEntry, ExportList};

/// The `rel` of the playlist `<meta>` holding the list's ranking (`none`, `ascending`, …).
pub const RANKING_REL: &str = "https://cuebook.app/ns/xspf/ranking";
/// The `application` of the track `<extension>` holding the entry, and the namespace of the
/// `<entry>` element inside it.
pub const ENTRY_APPLICATION: &str = "https://cuebook.app/ns/xspf/entry";

/// One `<track>` to write.
struct TrackOut<'a> {
    location: Option<&'a Path>,
    title: &'a str,
    creator: Option<&'a str>,
    album: Option<&'a str>,
    track_num: Option<usize>,
    duration_ms: Option<i64>,
}

/// Writes the list as an XSPF playlist. Notes go into `<annotation>` as their Markdown text, since
/// XSPF annotations are plain text.
pub fn write(list: &ExportList) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n",
    );
    push_element(&mut out, 1, "title", &list.title);
    if let Some(note) = &list.note {
        push_element(&mut out, 1, "annotation", note);
    }
    let _ = writeln!(
        out,
        "  <meta rel=\"{RANKING_REL}\">{}</meta>",
        list.ranking.as_str()
    ); // Writing to a String cannot fail.
    out.push_str("  <trackList>\n");
    for (index, entry) in list.entries.iter().enumerate() {
        push_entry(&mut out, index, entry);
    }
    out.push_str("  </trackList>\n</playlist>\n");
    out
}

fn push_entry(out: &mut String, index: usize, e: &ExportEntry) {
    let mut tracks: Vec<TrackOut> = match e.kind {
        EntryKind::Placeholder => Vec::new(),
        EntryKind::Track if e.tracks.is_empty() => {
            e.path.iter().map(|p| of_entry(e, Some(p))).collect()
        }
        EntryKind::Album | EntryKind::Track => e
            .tracks
            .iter()
            .enumerate()
            .map(|(i, t)| TrackOut {
                location: Some(&t.path),
                title: &t.title,
                creator: t.artist.as_deref(),
                album: t.album.as_deref(),
                track_num: (e.kind == EntryKind::Album).then_some(i + 1),
                duration_ms: t.duration_ms,
            })
            .collect(),
    };
    if tracks.is_empty() {
        // A placeholder, or an entry whose files are all missing: still one track, so the
        // entry is not lost.
        tracks.push(of_entry(e, None));
    }
    for (i, t) in tracks.iter().enumerate() {
        let note = if i == 0 { e.note.as_deref() } else { None };
        push_track(out, t, note, index, e);
    }
}

/// A track made of the entry's own fields.
fn of_entry<'a>(e: &'a ExportEntry, location: Option<&'a Path>) -> TrackOut<'a> {
    TrackOut {
        location,
        title: &e.title,
        creator: e.artist.as_deref(),
        album: e.album.as_deref(),
        track_num: None,
        duration_ms: e.duration_ms,
    }
}

/// Children in the order the spec lists them: location, title, creator, annotation, album,
/// trackNum, duration, extension.
fn push_track(out: &mut String, t: &TrackOut, note: Option<&str>, index: usize, e: &ExportEntry) {
    out.push_str("    <track>\n");
    if let Some(path) = t.location {
        push_element(out, 3, "location", &file_uri(path));
    }
    push_element(out, 3, "title", t.title);
    if let Some(creator) = t.creator {
        push_element(out, 3, "creator", creator);
    }
    if let Some(note) = note {
        push_element(out, 3, "annotation", note);
    }
    if let Some(album) = t.album {
        push_element(out, 3, "album", album);
    }
    if let Some(n) = t.track_num {
        push_element(out, 3, "trackNum", &n.to_string());
    }
    if let Some(ms) = t.duration_ms.filter(|ms| *ms >= 0) {
        push_element(out, 3, "duration", &ms.to_string());
    }
    push_extension(out, index, e);
    out.push_str("    </track>\n");
}

/// The entry's own fields: numbers and the kind as attributes, text as child elements (XML
/// normalizes whitespace in attributes, not in element text).
fn push_extension(out: &mut String, index: usize, e: &ExportEntry) {
    let _ = write!(
        out,
        "      <extension application=\"{ENTRY_APPLICATION}\">\n        \
         <entry xmlns=\"{ENTRY_APPLICATION}\" index=\"{index}\" kind=\"{}\"",
        e.kind.as_str()
    ); // Writing to a String cannot fail, here and below.
    let numbers = [
        ("rank", e.rank.map(i64::from)),
        ("year", e.year.map(i64::from)),
        ("duration", e.duration_ms),
        ("rating", e.rating.map(i64::from)),
    ];
    for (name, value) in numbers {
        if let Some(v) = value {
            let _ = write!(out, " {name}=\"{v}\"");
        }
    }
    out.push_str(">\n");
    push_element(out, 5, "title", &e.title);
    if let Some(artist) = &e.artist {
        push_element(out, 5, "artist", artist);
    }
    if let Some(album) = &e.album {
        push_element(out, 5, "album", album);
    }
    for tag in &e.tags {
        push_element(out, 5, "tag", tag);
    }
    out.push_str("        </entry>\n      </extension>\n");
}

fn push_element(out: &mut String, depth: usize, name: &str, text: &str) {
    let indent = "  ".repeat(depth);
    // Writing to a String cannot fail.
    let _ = writeln!(out, "{indent}<{name}>{}</{name}>", escape(text));
}

/// Escapes XML markup characters and drops the characters XML 1.0 forbids. CR becomes a
/// character reference, because a reader turns a literal CR into LF.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A `file://` URI for an absolute path, percent-encoding every byte outside the RFC 3986
/// unreserved set and `/`. A relative path yields a relative URI reference (no scheme).
pub fn file_uri(path: &Path) -> String {
    let mut out = String::from(if path.is_absolute() { "file://" } else { "" });
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}"); // Writing to a String cannot fail.
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::{entry, list};
    use crate::export::{ExportTrack, Ranking};
    use std::ffi::OsStr;

    fn file(title: &str, path: &str) -> ExportTrack {
        ExportTrack {
            title: title.to_owned(),
            artist: None,
            album: None,
            duration_ms: None,
            path: path.into(),
        }
    }

    /// The names of the start tags in `xml`, in document order, without the extension's content.
    fn element_names(xml: &str) -> Vec<&str> {
        let mut names = Vec::new();
        let mut inside_extension = false;
        for part in xml.split('<').skip(1) {
            let name = part.split(['>', ' ', '/']).next().unwrap_or_default();
            match name {
                "" | "?xml" => {}
                "extension" => {
                    names.push(name);
                    inside_extension = true;
                }
                _ if inside_extension => {}
                _ => names.push(name),
            }
            if part.starts_with("/extension") {
                inside_extension = false;
            }
        }
        names
    }

    #[test]
    fn locations_percent_encode_reserved_and_non_ascii_bytes() {
        assert_eq!(
            file_uri(Path::new("/m/a b/#1 100%?.flac")),
            "file:///m/a%20b/%231%20100%25%3F.flac",
            "space, `#`, `%` and `?` would change the meaning of the URI"
        );
        assert_eq!(
            file_uri(Path::new("/m/é")),
            "file:///m/%C3%A9",
            "UTF-8 bytes are encoded one by one"
        );
        assert_eq!(
            file_uri(Path::new(OsStr::from_bytes(b"/m/\xff.mp3"))),
            "file:///m/%FF.mp3",
            "non-UTF-8 bytes survive because the raw bytes are encoded"
        );
        assert_eq!(
            file_uri(Path::new("a-b_c~d.e")),
            "a-b_c~d.e",
            "unreserved characters stay as they are"
        );
    }

    #[test]
    fn text_is_escaped_and_forbidden_characters_are_dropped() {
        let mut e = entry(
            EntryKind::Track,
            "<b>Tom & \"Jerry's\"</b>\u{1}\u{1b}\u{fffe}",
        );
        e.note = Some("a\tb\nc\r\nd".to_owned());
        e.tags = vec!["</tag><evil/>".to_owned()];
        let out = write(&list(vec![e]));
        assert!(
            out.contains("<title>&lt;b&gt;Tom &amp; &quot;Jerry&apos;s&quot;&lt;/b&gt;</title>"),
            "markup in a title must be text, and control characters must be gone: {out}"
        );
        assert!(
            out.contains("<annotation>a\tb\nc&#13;\nd</annotation>"),
            "TAB and LF are legal XML text; CR is kept as a reference: {out}"
        );
        assert!(
            out.contains("<tag>&lt;/tag&gt;&lt;evil/&gt;</tag>"),
            "tags are escaped like any text"
        );
        assert!(
            !out.chars().any(|c| c < ' ' && !matches!(c, '\t' | '\n')),
            "no forbidden characters and no literal CR"
        );
    }

    #[test]
    fn tracks_list_children_in_spec_order_and_placeholders_have_no_location() {
        let mut t = entry(EntryKind::Track, "One Summer's Day");
        t.path = Some("/m/x.flac".into());
        t.artist = Some("Joe Hisaishi".to_owned());
        t.album = Some("Spirited Away".to_owned());
        t.note = Some("Opening".to_owned());
        t.duration_ms = Some(184_000);
        t.rank = Some(2);
        t.tags = vec!["waltz".to_owned()];
        let mut wish = entry(EntryKind::Placeholder, "Dune");
        wish.path = Some("/not/owned".into());
        wish.rank = Some(1);
        let mut l = list(vec![t, wish]);
        l.note = Some("My & your picks".to_owned());
        l.ranking = Ranking::Descending;
        assert_eq!(
            write(&l),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n  \
             <title>Best scores</title>\n  <annotation>My &amp; your picks</annotation>\n  \
             <meta rel=\"https://cuebook.app/ns/xspf/ranking\">descending</meta>\n  \
             <trackList>\n    <track>\n      <location>file:///m/x.flac</location>\n      \
             <title>One Summer&apos;s Day</title>\n      <creator>Joe Hisaishi</creator>\n      \
             <annotation>Opening</annotation>\n      <album>Spirited Away</album>\n      \
             <duration>184000</duration>\n      \
             <extension application=\"https://cuebook.app/ns/xspf/entry\">\n        \
             <entry xmlns=\"https://cuebook.app/ns/xspf/entry\" index=\"0\" kind=\"track\" rank=\"2\" duration=\"184000\">\n          \
             <title>One Summer&apos;s Day</title>\n          <artist>Joe Hisaishi</artist>\n          \
             <album>Spirited Away</album>\n          <tag>waltz</tag>\n        </entry>\n      \
             </extension>\n    </track>\n    <track>\n      <title>Dune</title>\n      \
             <extension application=\"https://cuebook.app/ns/xspf/entry\">\n        \
             <entry xmlns=\"https://cuebook.app/ns/xspf/entry\" index=\"1\" kind=\"placeholder\" rank=\"1\">\n          \
             <title>Dune</title>\n        </entry>\n      </extension>\n    </track>\n  \
             </trackList>\n</playlist>\n",
            "XSPF requires this element order, and a wishlist item has no file to point at"
        );
    }

    #[test]
    fn an_album_entry_is_one_numbered_track_per_file_all_tagged_with_the_entry() {
        let mut album = entry(EntryKind::Album, "Spirited Away");
        album.path = Some("/m/sa".into());
        album.note = Some("The waltz".to_owned());
        album.tracks = vec![file("One", "/m/sa/1.flac"), file("Two", "/m/sa/2.flac")];
        let out = write(&list(vec![album]));
        assert_eq!(
            element_names(&out),
            [
                "playlist",
                "title",
                "meta",
                "trackList",
                "track",
                "location",
                "title",
                "annotation",
                "trackNum",
                "extension",
                "track",
                "location",
                "title",
                "trackNum",
                "extension"
            ],
            "the folder is not a track; the note is on the first track only: {out}"
        );
        assert_eq!(
            out.matches("index=\"0\" kind=\"album\"").count(),
            2,
            "both tracks say which entry they belong to"
        );
        assert!(
            out.contains("<trackNum>2</trackNum>"),
            "tracks are numbered within the album"
        );
    }
}
