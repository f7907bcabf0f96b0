//! Grouping tracks into albums.
//!
//! A multi-disc set is one album (disc folders such as "CD 2" are not part of the key); editions of
//! one title stay apart (release comment, catalog number, MusicBrainz album id); compilations group
//! by album, album artist and folder, so two "Greatest Hits" by "Various Artists" do not merge.

use std::path::Path;

use super::tags::TrackTags;
use crate::text::{fold, path_bytes};

/// The folder that holds an album: the file's folder, or its parent when the folder is a disc
/// folder ("CD1", "Disc 2", "Disk 03", "D1").
pub fn album_folder(file: &Path) -> &Path {
    let Some(folder) = file.parent() else {
        return Path::new("");
    };
    let is_disc_folder = folder
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|name| {
            let n = name.to_ascii_lowercase();
            let rest = ["disc", "disk", "cd", "d"]
                .iter()
                .find_map(|p| n.strip_prefix(p));
            rest.is_some_and(|r| {
                let r = r.trim_start_matches([' ', '_', '-', '.']);
                !r.is_empty() && r.chars().all(|c| c.is_ascii_digit())
            })
        });
    if is_disc_folder {
        folder.parent().unwrap_or(folder)
    } else {
        folder
    }
}

fn is_various(artist: &str) -> bool {
    matches!(
        fold(artist).as_str(),
        "various artists"
            | "various"
            | "va"
            | "v.a."
            | "verschiedene interpreten"
            | "artistes divers"
    )
}

/// The album title, or the folder name for files without one.
pub fn album_title_or_folder(tags: &TrackTags, file: &Path) -> String {
    tags.album.clone().unwrap_or_else(|| {
        album_folder(file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Unknown album".into())
    })
}

/// Whether the track belongs to a compilation.
pub fn is_compilation(tags: &TrackTags) -> bool {
    tags.compilation || tags.album_artist.as_deref().is_some_and(is_various)
}

/// The grouping key of the album a track belongs to.
pub fn album_key(tags: &TrackTags, file: &Path) -> String {
    let folder = album_folder(file);
    let Some(album) = tags.album.as_deref() else {
        // Untagged files: one album per folder.
        return format!("folder:{}", hex(&path_bytes(folder)));
    };
    if let Some(mbid) = &tags.mb_album_id {
        return format!("mb:{}", fold(mbid));
    }
    let artist = tags
        .album_artist
        .as_deref()
        .or(tags.artists.first().map(String::as_str))
        .unwrap_or("");
    let mut key = format!("album:{}\u{1f}{}", fold(album), fold(artist));
    if let Some(edition) = &tags.release_comment {
        key.push_str("\u{1f}e:");
        key.push_str(&fold(edition));
    }
    if let Some(catno) = tags.catalog_numbers.first() {
        key.push_str("\u{1f}c:");
        key.push_str(&fold(catno));
    }
    if is_compilation(tags) {
        key.push_str("\u{1f}f:");
        key.push_str(&hex(&path_bytes(folder)));
    }
    key
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}"); // writing to a String cannot fail
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(album: &str, artist: &str) -> TrackTags {
        TrackTags {
            album: Some(album.into()),
            album_artist: Some(artist.into()),
            ..Default::default()
        }
    }

    #[test]
    fn disc_folders_belong_to_the_album_folder() {
        assert_eq!(
            album_folder(Path::new("/m/Star Wars/Disc 2/01.ogg")),
            Path::new("/m/Star Wars")
        );
        assert_eq!(
            album_folder(Path::new("/m/Star Wars/CD1/01.ogg")),
            Path::new("/m/Star Wars")
        );
        assert_eq!(
            album_folder(Path::new("/m/Discovery/01.ogg")),
            Path::new("/m/Discovery"),
            "a word is no disc folder"
        );
    }

    #[test]
    fn discs_of_one_set_share_a_key_and_editions_do_not() {
        let d1 = album_key(
            &tags("Alien", "Jerry Goldsmith"),
            Path::new("/m/Alien/CD1/a.flac"),
        );
        let d2 = album_key(
            &tags("Alien", "Jerry Goldsmith"),
            Path::new("/m/Alien/CD2/a.flac"),
        );
        assert_eq!(d1, d2, "two discs are one album");
        let mut complete = tags("Alien", "Jerry Goldsmith");
        complete.release_comment = Some("Complete score".into());
        assert_ne!(
            album_key(&complete, Path::new("/m/Alien2/a.flac")),
            d1,
            "an edition is its own album"
        );
        let moved = album_key(
            &tags("ALIEN", "Jerry Goldsmith"),
            Path::new("/elsewhere/a.flac"),
        );
        assert_eq!(moved, d1, "case and folder do not split a regular album");
    }

    #[test]
    fn compilations_group_by_folder() {
        let a = album_key(&tags("Hits", "Various Artists"), Path::new("/m/a/1.mp3"));
        let b = album_key(&tags("Hits", "Various Artists"), Path::new("/m/b/1.mp3"));
        assert_ne!(a, b, "two compilations with one title stay apart");
    }
}
