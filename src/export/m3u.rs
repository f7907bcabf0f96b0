//! Extended M3U (M3U8) export: a plain playlist any player reads, carrying the whole list in
//! `#EXTCUEBOOK` lines that players ignore and [`crate::import`] reads back.
//!
//! Layout (documented in `docs/export.md`):
//!
//! ```text
//! #EXTM3U
//! #PLAYLIST:<title>
//! #EXTCUEBOOK-LIST:{"ranking":"descending"}
//! # <list note, one comment line per line>
//! #EXTCUEBOOK:{"kind":"album","rank":3,"title":…}     one per entry
//! # <entry note, one comment line per line>
//! #EXTALB:<album title>                                album entries with files only
//! #EXTART:<album artist>
//! #EXTINF:<seconds>,<artist> - <title>                 one pair per file
//! <path>
//! ```
//!
//! M3U is line-based and has no escaping, so every piece of user text is forced onto a single
//! line: notes become `# ` comment lines (every line of them, so none can become a path or a
//! directive), titles lose their line breaks, the `#EXTCUEBOOK` lines are single-line JSON, and a
//! file whose path holds a line break cannot be represented and is replaced by a `## ` remark.
//! Album entries are written as their tracks, not their folder; placeholders have no file.
//!
//! Limitation: M3U has no way to carry raw path bytes, so paths that are not UTF-8 are written with
//! `to_string_lossy` and will not resolve.

use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::{EntryKind, ExportEntry, ExportList, Ranking};

/// The directive that starts each entry; its JSON holds the entry's fields.
pub const ENTRY_DIRECTIVE: &str = "#EXTCUEBOOK:";
/// The directive after `#PLAYLIST:` that holds the list's own fields.
pub const LIST_DIRECTIVE: &str = "#EXTCUEBOOK-LIST:";

#[derive(Serialize)]
struct ListLine {
    ranking: Ranking,
}

#[derive(Serialize)]
struct EntryLine<'a> {
    kind: EntryKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    rank: Option<u32>,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    artist: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    album: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_ms: Option<i64>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    rating: Option<u8>,
}

/// One file line to write: its path, its `#EXTINF` label and its duration.
struct FileLine<'a> {
    path: &'a Path,
    label: String,
    duration_ms: Option<i64>,
}

/// Writes the list as extended M3U with `\n` line ends. With `relative_to` (the folder the playlist
/// will be saved in), paths are written relative to it when they can be; otherwise as they are.
pub fn write(list: &ExportList, relative_to: Option<&Path>) -> String {
    let mut out = String::from("#EXTM3U\n");
    out.push_str(&format!("#PLAYLIST:{}\n", one_line(&list.title)));
    let header = ListLine {
        ranking: list.ranking,
    };
    out.push_str(&format!("{LIST_DIRECTIVE}{}\n", json_line(&header)));
    if let Some(note) = &list.note {
        push_comment(&mut out, note);
    }
    for entry in &list.entries {
        push_entry(&mut out, entry, relative_to);
    }
    out
}

fn push_entry(out: &mut String, e: &ExportEntry, relative_to: Option<&Path>) {
    let line = EntryLine {
        kind: e.kind,
        rank: e.rank,
        title: &e.title,
        artist: e.artist.as_deref(),
        album: e.album.as_deref(),
        year: e.year,
        duration_ms: e.duration_ms,
        tags: &e.tags,
        rating: e.rating,
    };
    out.push_str(&format!("{ENTRY_DIRECTIVE}{}\n", json_line(&line)));
    if let Some(note) = &e.note {
        push_comment(out, note);
    }
    let files: Vec<FileLine> = match e.kind {
        EntryKind::Placeholder => Vec::new(),
        EntryKind::Album => e
            .tracks
            .iter()
            .map(|t| FileLine {
                path: &t.path,
                label: label(t.artist.as_deref(), &t.title),
                duration_ms: t.duration_ms,
            })
            .collect(),
        EntryKind::Track if e.tracks.is_empty() => e
            .path
            .iter()
            .map(|p| FileLine {
                path: p,
                label: label(e.artist.as_deref(), &e.title),
                duration_ms: e.duration_ms,
            })
            .collect(),
        EntryKind::Track => e
            .tracks
            .iter()
            .map(|t| FileLine {
                path: &t.path,
                label: label(t.artist.as_deref(), &t.title),
                duration_ms: t.duration_ms,
            })
            .collect(),
    };
    if e.kind == EntryKind::Album && !files.is_empty() {
        out.push_str(&format!("#EXTALB:{}\n", one_line(&e.title)));
        if let Some(artist) = &e.artist {
            out.push_str(&format!("#EXTART:{}\n", one_line(artist)));
        }
    }
    for file in files {
        push_file(out, &file, relative_to);
    }
}

fn push_file(out: &mut String, file: &FileLine, relative_to: Option<&Path>) {
    let shown = relative_to
        .and_then(|base| relative_path(file.path, base))
        .unwrap_or_else(|| file.path.to_path_buf());
    let mut line = shown.to_string_lossy().into_owned();
    if line.contains(['\n', '\r']) {
        // A `## ` remark, not a `# ` note line, so a reader never takes it for part of a note.
        return out.push_str(&format!(
            "## skipped, the path has a line break: {}\n",
            file.label
        ));
    }
    if line.trim().is_empty() {
        return out.push_str(&format!("## skipped, no path: {}\n", file.label));
    }
    if line.starts_with('#') {
        // A relative path starting with `#` would read as a comment.
        line.insert_str(0, "./");
    }
    let seconds = file.duration_ms.map_or(-1, |ms| ms.max(0) / 1000);
    out.push_str(&format!("#EXTINF:{seconds},{}\n{line}\n", file.label));
}

/// `Artist - Title`, or the title alone, on one line.
fn label(artist: Option<&str>, title: &str) -> String {
    match artist {
        Some(artist) => format!("{} - {}", one_line(artist), one_line(title)),
        None => one_line(title),
    }
}

/// Single-line JSON. serde_json escapes control characters but not U+2028/U+2029, which some
/// line readers honour, so those are escaped here (they can only occur inside JSON strings).
fn json_line(value: &impl Serialize) -> String {
    // Our line structs hold only strings and numbers, which always serialize.
    let json = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned());
    json.replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Writes every line of `text` as a `# ` comment line, so none can become a path or a directive.
/// CRLF and lone CR count as line ends, like LF.
fn push_comment(out: &mut String, text: &str) {
    for line in text.replace("\r\n", "\n").split(['\r', '\n']) {
        out.push_str("# ");
        out.push_str(&strip_controls(line));
        out.push('\n');
    }
}

/// Drops control characters (including Unicode line separators some readers honour), keeping TAB.
fn strip_controls(s: &str) -> String {
    s.chars()
        .filter(|&c| c == '\t' || !(c.is_control() || c == '\u{2028}' || c == '\u{2029}'))
        .collect()
}

/// Joins the lines of `s` with spaces and drops other control characters.
fn one_line(s: &str) -> String {
    strip_controls(&s.replace(['\r', '\n'], " "))
}

/// `target` expressed relative to the folder `base`, from their components alone (no file system
/// access, so symlinks are not resolved). `None` when there is no lexical answer: one path is
/// relative and the other absolute, or `base` climbs with `..` past the shared prefix.
pub fn relative_path(target: &Path, base: &Path) -> Option<PathBuf> {
    if target.is_absolute() != base.is_absolute() {
        return None;
    }
    let target: Vec<Component> = target.components().collect();
    let base: Vec<Component> = base.components().collect();
    let shared = target.iter().zip(&base).take_while(|(a, b)| a == b).count();
    if base[shared..]
        .iter()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let mut out: PathBuf = base[shared..]
        .iter()
        .map(|_| Component::ParentDir)
        .collect();
    out.extend(&target[shared..]);
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::{entry, list};
    use crate::export::ExportTrack;

    fn track(title: &str, path: &str) -> ExportEntry {
        let mut e = entry(EntryKind::Track, title);
        e.path = Some(path.into());
        e
    }

    fn file(title: &str, path: &str) -> ExportTrack {
        ExportTrack {
            title: title.to_owned(),
            artist: None,
            album: None,
            duration_ms: None,
            path: path.into(),
        }
    }

    /// The lines a player acts on: directives it knows and paths (it ignores `#EXTCUEBOOK` and
    /// comments).
    fn player_lines(out: &str) -> Vec<&str> {
        out.lines()
            .filter(|l| !l.starts_with("# ") && !l.starts_with("##"))
            .filter(|l| !l.starts_with("#EXTCUEBOOK"))
            .collect()
    }

    #[test]
    fn paths_are_made_relative_to_the_playlist_folder() {
        let rel = |t: &str, b: &str| relative_path(Path::new(t), Path::new(b));
        assert_eq!(
            rel("/m/a/b.flac", "/m/list"),
            Some("../a/b.flac".into()),
            "climb out of the list folder"
        );
        assert_eq!(
            rel("/m/list/b.flac", "/m/list/"),
            Some("b.flac".into()),
            "a file beside the list"
        );
        assert_eq!(rel("/m/a", "/m/a"), Some(".".into()), "the folder itself");
        assert_eq!(
            rel("a/b", "/m"),
            None,
            "a relative target has no lexical relation to an absolute base"
        );
        assert_eq!(
            rel("/m/a", "/m/x/../y"),
            None,
            "`..` in the base cannot be undone without the file system"
        );
    }

    #[test]
    fn entries_get_a_cuebook_line_extinf_and_a_relative_path_when_asked() {
        let mut e = track("Spirited Away", "/m/a/b.flac");
        e.artist = Some("Joe Hisaishi".to_owned());
        e.duration_ms = Some(201_900);
        e.rank = Some(2);
        e.year = Some(2001);
        let mut other = track("Other", "/elsewhere/c.flac");
        other.rank = Some(1);
        let mut l = list(vec![e, other]);
        l.ranking = Ranking::Descending;
        let out = write(&l, Some(Path::new("/m/list")));
        assert_eq!(
            out,
            "#EXTM3U\n#PLAYLIST:Best scores\n#EXTCUEBOOK-LIST:{\"ranking\":\"descending\"}\n\
             #EXTCUEBOOK:{\"kind\":\"track\",\"rank\":2,\"title\":\"Spirited Away\",\"artist\":\"Joe Hisaishi\",\"year\":2001,\"duration_ms\":201900}\n\
             #EXTINF:201,Joe Hisaishi - Spirited Away\n../a/b.flac\n\
             #EXTCUEBOOK:{\"kind\":\"track\",\"rank\":1,\"title\":\"Other\"}\n\
             #EXTINF:-1,Other\n../../elsewhere/c.flac\n",
            "the header comes first; each entry is its Cuebook line, then EXTINF and path"
        );
        let out = write(&list(vec![track("X", "/m/a/b.flac")]), None);
        assert!(
            out.ends_with("\n/m/a/b.flac\n"),
            "without a base the path stays absolute"
        );
    }

    #[test]
    fn an_album_entry_is_written_as_its_tracks_not_its_folder() {
        let mut album = entry(EntryKind::Album, "Spirited Away");
        album.artist = Some("Joe Hisaishi".to_owned());
        album.path = Some("/m/Spirited Away".into());
        let mut one = file("One Summer's Day", "/m/Spirited Away/01.flac");
        one.artist = Some("Joe Hisaishi".to_owned());
        one.duration_ms = Some(184_400);
        album.tracks = vec![one, file("Reprise", "/m/Spirited Away/02.flac")];
        let out = write(&list(vec![album]), None);
        assert_eq!(
            player_lines(&out),
            [
                "#EXTM3U",
                "#PLAYLIST:Best scores",
                "#EXTALB:Spirited Away",
                "#EXTART:Joe Hisaishi",
                "#EXTINF:184,Joe Hisaishi - One Summer's Day",
                "/m/Spirited Away/01.flac",
                "#EXTINF:-1,Reprise",
                "/m/Spirited Away/02.flac",
            ],
            "players see the album's tracks in order, never the folder: {out}"
        );
    }

    #[test]
    fn a_track_entry_prefers_its_track_file_and_falls_back_to_its_path() {
        let mut t = track("T", "/m/old.flac");
        t.tracks = vec![file("T", "/m/new.flac")];
        let out = write(&list(vec![t, track("U", "/m/u.flac")]), None);
        let paths: Vec<&str> = out.lines().filter(|l| l.starts_with('/')).collect();
        assert_eq!(
            paths,
            ["/m/new.flac", "/m/u.flac"],
            "`tracks` wins; `path` is used only when `tracks` is empty"
        );
    }

    #[test]
    fn hostile_notes_and_titles_cannot_inject_lines() {
        let mut e = track("T\n/etc/passwd", "/m/t.flac");
        e.note = Some("fine\n#EXTINF:1,evil\r/evil.mp3\r\n\u{2028}/also-evil.mp3".to_owned());
        e.tags = vec!["a\u{2028}b".to_owned()];
        let mut l = list(vec![e]);
        l.title = "Title\n/evil-title.mp3".to_owned();
        l.note = Some("#EXTCUEBOOK:{}\n/evil-list.mp3".to_owned());
        let out = write(&l, None);
        let non_comment: Vec<&str> = out.lines().filter(|l| !l.starts_with("# ")).collect();
        assert_eq!(
            non_comment,
            [
                "#EXTM3U",
                "#PLAYLIST:Title /evil-title.mp3",
                "#EXTCUEBOOK-LIST:{\"ranking\":\"none\"}",
                "#EXTCUEBOOK:{\"kind\":\"track\",\"title\":\"T\\n/etc/passwd\",\"tags\":[\"a\\u2028b\"]}",
                "#EXTINF:-1,T /etc/passwd",
                "/m/t.flac"
            ],
            "only the writer's own directives and the real path may be outside a `# ` comment"
        );
        assert!(
            out.contains("# #EXTINF:1,evil\n# /evil.mp3\n# /also-evil.mp3\n"),
            "the note text is kept, line by line, but as comments: {out}"
        );
        assert!(
            !out.contains('\u{2028}'),
            "no Unicode line separator survives anywhere"
        );
    }

    #[test]
    fn placeholders_and_unrepresentable_paths_have_no_path_line() {
        let mut wish = entry(EntryKind::Placeholder, "Dune");
        wish.artist = Some("Hans Zimmer".to_owned());
        wish.path = Some("/not/owned.flac".into());
        let out = write(
            &list(vec![
                wish,
                track("Bad", "/m/a\nb.flac"),
                entry(EntryKind::Album, "Lost"),
            ]),
            None,
        );
        assert_eq!(
            player_lines(&out),
            ["#EXTM3U", "#PLAYLIST:Best scores"],
            "entries that cannot be played leave nothing a player would act on: {out}"
        );
        assert!(
            out.contains("\n## skipped, the path has a line break: Bad\n"),
            "a skipped file is explained in a remark"
        );
    }

    #[test]
    fn a_relative_path_starting_with_a_hash_is_not_read_as_a_comment() {
        let out = write(&list(vec![track("H", "/m/#1.flac")]), Some(Path::new("/m")));
        assert!(
            out.ends_with("\n./#1.flac\n"),
            "a leading `#` would turn the path into a comment"
        );
    }

    #[test]
    fn every_note_line_becomes_a_comment_line_including_blank_ones() {
        let mut e = entry(EntryKind::Placeholder, "P");
        e.note = Some("# heading\r\n\n  indented\r".to_owned());
        let out = write(&list(vec![e]), None);
        assert!(
            out.ends_with("}\n# # heading\n# \n#   indented\n# \n"),
            "CRLF is one line end; blank lines and leading spaces are kept: {out:?}"
        );
    }
}
