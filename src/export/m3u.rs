//! Extended M3U export: `#EXTM3U`, `#PLAYLIST:`, then `#EXTINF` plus a path line per entry.
//!
//! M3U is line-based and has no escaping, so every piece of user text is forced onto a single
//! line: notes become `# ` comment lines, titles lose their line breaks, and an entry whose path
//! holds a line break cannot be represented and is replaced by a comment. Entries without a file
//! (wishlist placeholders) are written as comments only.
//!
//! Limitation: M3U has no way to carry raw path bytes, so paths that are not UTF-8 are written with
//! `to_string_lossy` and will not resolve.

use std::path::{Component, Path, PathBuf};

use super::{EntryKind, ExportEntry, ExportList};

/// Writes the list as extended M3U with `\n` line ends. With `relative_to` (the folder the playlist
/// will be saved in), paths are written relative to it when they can be; otherwise as they are.
pub fn write(list: &ExportList, relative_to: Option<&Path>) -> String {
    let mut out = String::from("#EXTM3U\n");
    out.push_str(&format!("#PLAYLIST:{}\n", one_line(&list.title)));
    if let Some(note) = &list.note {
        push_comment(&mut out, note);
    }
    for entry in &list.entries {
        push_entry(&mut out, entry, relative_to);
    }
    out
}

fn push_entry(out: &mut String, e: &ExportEntry, relative_to: Option<&Path>) {
    if let Some(note) = &e.note {
        push_comment(out, note);
    }
    let label = match &e.artist {
        Some(artist) => format!("{} - {}", one_line(artist), one_line(&e.title)),
        None => one_line(&e.title),
    };
    let path = match (&e.path, e.kind) {
        (Some(path), EntryKind::Album | EntryKind::Track) => path,
        (_, EntryKind::Placeholder) => return out.push_str(&format!("# wishlist: {label}\n")),
        (None, _) => return out.push_str(&format!("# no file: {label}\n")),
    };
    let shown = relative_to
        .and_then(|base| relative_path(path, base))
        .unwrap_or_else(|| path.clone());
    let mut line = shown.to_string_lossy().into_owned();
    if line.contains(['\n', '\r']) {
        return out.push_str(&format!("# skipped, the path has a line break: {label}\n"));
    }
    if line.starts_with('#') {
        // A relative path starting with `#` would read as a comment.
        line.insert_str(0, "./");
    }
    let seconds = e.duration_ms.map_or(-1, |ms| ms.max(0) / 1000);
    out.push_str(&format!("#EXTINF:{seconds},{label}\n{line}\n"));
}

/// Writes every line of `text` as a `# ` comment line, so none can become a path or a directive.
fn push_comment(out: &mut String, text: &str) {
    for line in text.split(['\r', '\n']) {
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

    fn track(title: &str, path: &str) -> ExportEntry {
        let mut e = entry(EntryKind::Track, title);
        e.path = Some(path.into());
        e
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
    fn entries_get_extinf_and_a_relative_path_when_asked() {
        let mut e = track("Spirited Away", "/m/a/b.flac");
        e.artist = Some("Joe Hisaishi".to_owned());
        e.duration_ms = Some(201_900);
        let out = write(
            &list(vec![e, track("Other", "/elsewhere/c.flac")]),
            Some(Path::new("/m/list")),
        );
        assert_eq!(
            out,
            "#EXTM3U\n#PLAYLIST:Best scores\n#EXTINF:201,Joe Hisaishi - Spirited Away\n../a/b.flac\n\
             #EXTINF:-1,Other\n../../elsewhere/c.flac\n",
            "the header comes first and each entry is an EXTINF line followed by its path"
        );
        let out = write(&list(vec![track("X", "/m/a/b.flac")]), None);
        assert!(
            out.ends_with("\n/m/a/b.flac\n"),
            "without a base the path stays absolute"
        );
    }

    #[test]
    fn hostile_notes_and_titles_cannot_inject_lines() {
        let mut e = track("T\n/etc/passwd", "/m/t.flac");
        e.note = Some("fine\n#EXTINF:1,evil\r/evil.mp3\r\n\u{2028}/also-evil.mp3".to_owned());
        let mut l = list(vec![e]);
        l.title = "Title\n/evil-title.mp3".to_owned();
        let out = write(&l, None);
        let non_comment: Vec<&str> = out.lines().filter(|l| !l.starts_with("# ")).collect();
        assert_eq!(
            non_comment,
            [
                "#EXTM3U",
                "#PLAYLIST:Title /evil-title.mp3",
                "#EXTINF:-1,T /etc/passwd",
                "/m/t.flac"
            ],
            "only the writer's own directives and the real path may be outside a `# ` comment"
        );
        assert!(
            out.contains("# #EXTINF:1,evil\n"),
            "the note text is kept, but as a comment"
        );
    }

    #[test]
    fn placeholders_and_unrepresentable_paths_become_comments() {
        let mut wish = entry(EntryKind::Placeholder, "Dune");
        wish.artist = Some("Hans Zimmer".to_owned());
        let out = write(
            &list(vec![
                wish,
                track("Bad", "/m/a\nb.flac"),
                entry(EntryKind::Album, "Lost"),
            ]),
            None,
        );
        assert_eq!(
            out,
            "#EXTM3U\n#PLAYLIST:Best scores\n# wishlist: Hans Zimmer - Dune\n\
             # skipped, the path has a line break: Bad\n# no file: Lost\n",
            "entries that cannot be played are kept as comments, never as path lines"
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
}
