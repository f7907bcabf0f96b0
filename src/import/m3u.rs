//! M3U and M3U8 reading, extended or not. Cuebook's own playlists (those with `#EXTCUEBOOK`
//! lines, see [`crate::export::m3u`]) are read back whole; in others each path is one entry, with
//! the `#EXTINF` title, artist and duration before it and the `# ` comment lines before it as its
//! note.

use std::path::Path;

use super::json::{count_objects, EntryFields};
use super::path::{self, Location};
use super::text::lines;
use super::{
    push_note_line, settle_path, Collector, ImportError, ImportedEntry, ImportedFile, ImportedList,
};
use crate::export::m3u::{ENTRY_DIRECTIVE, LIST_DIRECTIVE};

/// What an `#EXTINF` line says about the next file.
#[derive(Default)]
struct Inf {
    duration_ms: Option<i64>,
    artist: Option<String>,
    title: Option<String>,
}

/// Where `# ` comment lines go in a Cuebook playlist.
#[derive(PartialEq)]
enum NoteTarget {
    Nowhere,
    List,
    Entry,
}

pub(super) fn parse(text: &str, base: &Path) -> Result<ImportedList, ImportError> {
    let ours = lines(text).any(|l| l.starts_with(ENTRY_DIRECTIVE) || l.starts_with(LIST_DIRECTIVE));
    let mut out = Collector::default();
    let mut inf: Option<Inf> = None;
    let mut album: Option<String> = None;
    let mut album_artist: Option<String> = None;
    // Foreign playlists: comment lines waiting for the next entry.
    let mut comments: Option<String> = None;
    // Cuebook playlists: the entry being read (its position) and where comment lines go.
    let mut current: Option<usize> = None;
    let mut target = NoteTarget::Nowhere;
    let mut ours_positions: Vec<usize> = Vec::new();

    for (i, raw) in lines(text).enumerate() {
        let n = i + 1;
        let line = if ours { raw } else { raw.trim() };
        if line.trim().is_empty() {
            target = NoteTarget::Nowhere;
            continue;
        }
        if let Some(rest) = line.strip_prefix(LIST_DIRECTIVE) {
            match serde_json::from_str::<ListFields>(rest) {
                Ok(fields) => out.list.ranking = fields.ranking,
                Err(e) => out.warn(n, format!("the list line is not valid ({e}); ignored")),
            }
            target = NoteTarget::List;
            continue;
        }
        if let Some(rest) = line.strip_prefix(ENTRY_DIRECTIVE) {
            // An entry line is one flat object; refusing nested ones keeps a hostile line from
            // building thousands of structures we would ignore anyway.
            let parsed = if count_objects(rest) > 1 {
                Err("it nests objects".to_owned())
            } else {
                serde_json::from_str::<EntryFields>(rest).map_err(|e| e.to_string())
            };
            let entry = match parsed {
                Ok(fields) => fields.into_entry(&format!("line {n}"), None, &mut out),
                Err(e) => {
                    out.warn(
                        n,
                        format!("the entry line is not valid ({e}); read as a plain entry"),
                    );
                    ImportedEntry::default()
                }
            };
            out.push_entry(entry)?;
            current = Some(out.list.entries.len() - 1);
            ours_positions.push(out.list.entries.len() - 1);
            target = NoteTarget::Entry;
            (inf, album, album_artist) = (None, None, None);
            continue;
        }
        if let Some(rest) = directive(line, "#PLAYLIST:") {
            out.list.title = Some(rest.trim().to_owned()).filter(|t| !t.is_empty());
        } else if let Some(rest) = directive(line, "#EXTINF:") {
            inf = Some(parse_extinf(rest));
        } else if let Some(rest) = directive(line, "#EXTALB:") {
            album = Some(rest.trim().to_owned()).filter(|t| !t.is_empty());
        } else if let Some(rest) = directive(line, "#EXTART:") {
            album_artist = Some(rest.trim().to_owned()).filter(|t| !t.is_empty());
        } else if directive(line, "#EXT").is_some() {
            // Other extended directives (#EXTM3U, #EXTGRP, #EXTVLCOPT, …) say nothing we keep.
        } else if let Some(after_hash) = line.strip_prefix('#') {
            if ours {
                // Note lines are exactly `# text` (or a bare `#` for a blank line whose space an
                // editor trimmed); anything else is a remark, and ends the note.
                let text = line.strip_prefix("# ").or((line == "#").then_some(""));
                match (text, &target) {
                    (Some(text), NoteTarget::List) => push_note_line(&mut out.list.note, text),
                    (Some(text), NoteTarget::Entry) => {
                        if let Some(e) = current.and_then(|c| out.list.entries.get_mut(c)) {
                            push_note_line(&mut e.note, text);
                        }
                    }
                    _ => target = NoteTarget::Nowhere,
                }
                continue;
            }
            let text = after_hash.strip_prefix(' ').unwrap_or(after_hash);
            push_note_line(&mut comments, text);
            continue;
        } else {
            let info = inf.take().unwrap_or_default();
            let file = match path::from_line(line, base) {
                Location::File(path) => Some(ImportedFile {
                    path,
                    title: info.title.clone(),
                    artist: info.artist.clone().or_else(|| album_artist.clone()),
                    album: album.clone(),
                    duration_ms: info.duration_ms,
                }),
                Location::Remote(scheme) => {
                    out.warn(
                        n,
                        format!("not a local file ({scheme}:); kept without a file"),
                    );
                    None
                }
                Location::Invalid(why) => {
                    out.warn(n, format!("skipped: {why}"));
                    comments = None;
                    target = NoteTarget::Nowhere;
                    continue;
                }
            };
            if let (true, Some(pos)) = (ours, current) {
                if let Some(file) = file {
                    out.push_file_to(pos, file)?;
                }
            } else {
                // A foreign entry, or a path before any Cuebook entry.
                let title = info
                    .title
                    .or_else(|| file.is_none().then(|| line.trim().to_owned()));
                let entry = ImportedEntry {
                    title,
                    artist: info.artist.or_else(|| album_artist.clone()),
                    album: album.clone(),
                    duration_ms: info.duration_ms,
                    note: comments.take(),
                    path: file.as_ref().map(|f| f.path.clone()),
                    files: file.into_iter().collect(),
                    ..ImportedEntry::default()
                };
                out.push_entry(entry)?;
            }
        }
        target = NoteTarget::Nowhere;
    }
    for pos in ours_positions {
        settle_path(&mut out.list.entries[pos]);
    }
    Ok(out.list)
}

#[derive(serde::Deserialize)]
struct ListFields {
    ranking: Option<super::Ranking>,
}

/// The rest of `line` after a directive, whatever the directive's case.
fn directive<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let head = line.get(..name.len())?;
    head.eq_ignore_ascii_case(name).then(|| &line[name.len()..])
}

/// `#EXTINF:<seconds>[ attributes],<Artist> - <Title>` (after the colon).
fn parse_extinf(rest: &str) -> Inf {
    let (head, label) = rest.split_once(',').unwrap_or((rest, ""));
    let duration_ms = head
        .split_whitespace()
        .next()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| (s * 1000.0).round() as i64);
    let label = label.trim();
    let (artist, title) = match label.split_once(" - ") {
        Some((artist, title)) if !artist.trim().is_empty() => (
            Some(artist.trim().to_owned()),
            Some(title.trim().to_owned()),
        ),
        _ => (None, Some(label.to_owned()).filter(|l| !l.is_empty())),
    };
    Inf {
        duration_ms,
        artist,
        title,
    }
}
