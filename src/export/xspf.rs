//! XSPF version 1 export (<https://xspf.org/spec>).
//!
//! Text is XML-escaped and stripped of the characters XML 1.0 cannot carry at all (control
//! characters other than TAB, LF and CR, and U+FFFE/U+FFFF), so any title or note yields a
//! well-formed document. Locations are `file://` URIs built from the raw path bytes, so paths that
//! are not UTF-8 survive. Placeholders become tracks without a `<location>`, which the spec allows.

use std::fmt::Write as _;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::{EntryKind, ExportEntry, ExportList};

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
    out.push_str("  <trackList>\n");
    for entry in &list.entries {
        push_track(&mut out, entry);
    }
    out.push_str("  </trackList>\n</playlist>\n");
    out
}

/// Children in the order the spec lists them: location, title, creator, annotation, album, duration.
fn push_track(out: &mut String, e: &ExportEntry) {
    out.push_str("    <track>\n");
    if let (Some(path), EntryKind::Album | EntryKind::Track) = (&e.path, e.kind) {
        push_element(out, 3, "location", &file_uri(path));
    }
    push_element(out, 3, "title", &e.title);
    if let Some(artist) = &e.artist {
        push_element(out, 3, "creator", artist);
    }
    if let Some(note) = &e.note {
        push_element(out, 3, "annotation", note);
    }
    if let Some(album) = &e.album {
        push_element(out, 3, "album", album);
    }
    if let Some(ms) = e.duration_ms.filter(|ms| *ms >= 0) {
        push_element(out, 3, "duration", &ms.to_string());
    }
    out.push_str("    </track>\n");
}

fn push_element(out: &mut String, depth: usize, name: &str, text: &str) {
    let indent = "  ".repeat(depth);
    // Writing to a String cannot fail.
    let _ = writeln!(out, "{indent}<{name}>{}</{name}>", escape(text));
}

/// Escapes XML markup characters and drops the characters XML 1.0 forbids.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
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
    use std::ffi::OsStr;

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
        e.note = Some("a\tb\nc".to_owned());
        let out = write(&list(vec![e]));
        assert!(
            out.contains("<title>&lt;b&gt;Tom &amp; &quot;Jerry&apos;s&quot;&lt;/b&gt;</title>"),
            "markup in a title must be text, and control characters must be gone: {out}"
        );
        assert!(
            out.contains("<annotation>a\tb\nc</annotation>"),
            "TAB and LF are legal XML text"
        );
        assert!(
            !out.chars()
                .any(|c| c < ' ' && !matches!(c, '\t' | '\n' | '\r')),
            "no forbidden characters"
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
        let mut wish = entry(EntryKind::Placeholder, "Dune");
        wish.path = Some("/not/owned".into());
        let mut l = list(vec![t, wish]);
        l.note = Some("My & your picks".to_owned());
        assert_eq!(
            write(&l),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n  \
             <title>Best scores</title>\n  <annotation>My &amp; your picks</annotation>\n  \
             <trackList>\n    <track>\n      <location>file:///m/x.flac</location>\n      \
             <title>One Summer&apos;s Day</title>\n      <creator>Joe Hisaishi</creator>\n      \
             <annotation>Opening</annotation>\n      <album>Spirited Away</album>\n      \
             <duration>184000</duration>\n    </track>\n    <track>\n      <title>Dune</title>\n    \
             </track>\n  </trackList>\n</playlist>\n",
            "XSPF requires this element order, and a wishlist item has no file to point at"
        );
    }
}
