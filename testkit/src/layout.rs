//! Folder and file names of generated libraries: `<album artist>/<album>/NN - <title>.<ext>`.
//!
//! Names keep their Unicode (植松伸夫, Göransson) as written; only characters that are illegal
//! or troublesome in file names on common systems are replaced by `_`.

use std::path::PathBuf;

/// How the tracks of a multi-disc album are laid out on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DiscLayout {
    /// All tracks in the album folder as `NN - Title.ext` (single-disc albums).
    Flat,
    /// All tracks in the album folder as `D-NN - Title.ext`.
    Prefixed,
    /// One subfolder per disc, named by the given prefix and the disc number (`Disc 1/`).
    Folders(&'static str),
}

/// Longest file-name component, in bytes, before truncation; well below the usual 255.
const MAX_COMPONENT_BYTES: usize = 180;

/// Makes `name` usable as one path component on Linux, macOS and Windows.
///
/// `/` and NUL are illegal on Unix; `: ? * " < > | \` and control characters on Windows.
/// Trailing dots and spaces are dropped (Windows strips them silently), a leading dot is
/// replaced so that no component is hidden or `..`, and very long names are truncated at a
/// character boundary.
pub(crate) fn sanitize_component(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| match c {
            '/' | '\0' | ':' | '?' | '*' | '"' | '<' | '>' | '|' | '\\' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed_len = out.trim_end_matches(['.', ' ']).len();
    out.truncate(trimmed_len);
    if out.starts_with('.') {
        out.replace_range(..1, "_");
    }
    if out.len() > MAX_COMPONENT_BYTES {
        let mut end = MAX_COMPONENT_BYTES;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
        let trimmed_len = out.trim_end().len();
        out.truncate(trimmed_len);
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// The album folder, relative to the library root.
pub(crate) fn album_dir(album_artist: &str, album: &str) -> PathBuf {
    PathBuf::from(sanitize_component(album_artist)).join(sanitize_component(album))
}

/// A track's path relative to its album folder.
pub(crate) fn track_path(
    layout: DiscLayout,
    disc: u32,
    number: u32,
    title: &str,
    ext: &str,
) -> PathBuf {
    // The title is sanitized before the extension is added, so a trailing dot cannot
    // swallow it.
    let title = sanitize_component(title);
    match layout {
        DiscLayout::Flat => PathBuf::from(format!("{number:02} - {title}.{ext}")),
        DiscLayout::Prefixed => PathBuf::from(format!("{disc}-{number:02} - {title}.{ext}")),
        DiscLayout::Folders(prefix) => {
            PathBuf::from(format!("{prefix}{disc}")).join(format!("{number:02} - {title}.{ext}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_names_are_preserved() {
        assert_eq!(
            sanitize_component("植松伸夫"),
            "植松伸夫",
            "Japanese names must survive as written"
        );
        assert_eq!(
            sanitize_component("Le Fabuleux Destin d'Amélie Poulain"),
            "Le Fabuleux Destin d'Amélie Poulain",
            "accents and apostrophes are legal everywhere"
        );
    }

    #[test]
    fn characters_illegal_on_some_system_become_underscores() {
        assert_eq!(
            sanitize_component("Tron: Legacy / Intro? *\"<>|\\"),
            "Tron_ Legacy _ Intro_ ______",
            "each illegal character is replaced one for one"
        );
    }

    #[test]
    fn trailing_dots_and_leading_dots_cannot_hide_or_vanish() {
        assert_eq!(
            sanitize_component("O..."),
            "O",
            "Windows drops trailing dots"
        );
        assert_eq!(
            sanitize_component("..."),
            "_",
            "an all-dot name must not be empty or `..`"
        );
        assert_eq!(sanitize_component(".hidden"), "_hidden", "no hidden files");
    }

    #[test]
    fn long_names_are_cut_at_a_character_boundary() {
        let name = "é".repeat(200);
        let cut = sanitize_component(&name);
        assert!(
            cut.len() <= MAX_COMPONENT_BYTES,
            "names stay under the limit"
        );
        assert!(cut.chars().all(|c| c == 'é'), "no half characters");
    }

    #[test]
    fn track_paths_follow_the_three_disc_layouts() {
        assert_eq!(
            track_path(DiscLayout::Flat, 1, 3, "Time", "flac"),
            PathBuf::from("03 - Time.flac"),
            "single-disc albums number tracks with two digits"
        );
        assert_eq!(
            track_path(DiscLayout::Prefixed, 2, 1, "Aerith's Theme", "mp3"),
            PathBuf::from("2-01 - Aerith's Theme.mp3"),
            "multi-disc albums in one folder prefix the disc"
        );
        assert_eq!(
            track_path(DiscLayout::Folders("Disc "), 2, 1, "Main Title", "ogg"),
            PathBuf::from("Disc 2").join("01 - Main Title.ogg"),
            "disc folders hold plain track numbers"
        );
    }
}
