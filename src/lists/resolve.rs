//! Wishlist resolution: when the catalog holds an album a placeholder names, offer to turn the
//! placeholder into that album's entry.
//!
//! A placeholder matches an album when their titles are the same once case, accents, a leading
//! article and soundtrack wording ("Original Motion Picture Soundtrack") are set aside (the
//! album's work title counts too), the placeholder's artist, when given, is among the album's
//! composer or album artist, and their years, when both are known, are at most a year apart.
//! The collector accepts ([`resolve`]) or declines ([`decline`]); a declined album is not
//! offered for that entry again.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::Serialize;

use super::{stored_entry, write, Entry, ListError};
use crate::annotate::{self, Target};
use crate::catalog::work::derive_work;
use crate::db::lists::{self as store, AlbumCandidate};
use crate::text::{fold, sort_key};
use crate::Library;

/// A scanned album that a placeholder names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolution {
    pub entry_id: i64,
    pub list_id: i64,
    pub list_name: String,
    /// What the placeholder says.
    pub title: String,
    pub artist: Option<String>,
    pub year: Option<i64>,
    pub album_id: i64,
    pub album_title: String,
    pub album_artist: Option<String>,
    pub album_year: Option<i64>,
    /// 1 when title, artist and year all agree; lower when the placeholder said less.
    pub confidence: f32,
}

/// The keys a title matches by: itself and its work title, without soundtrack wording.
pub(crate) fn title_keys(title: &str) -> Vec<String> {
    let mut keys = vec![sort_key(title)];
    if let Some(work) = derive_work(title, None).title {
        keys.push(sort_key(&work));
    }
    keys.retain(|k| !k.is_empty());
    keys.dedup();
    keys
}

/// Whether the placeholder's artist is the album's (either contains the other, folded).
pub(crate) fn artist_matches(wanted: &str, candidates: &[Option<&str>]) -> Option<bool> {
    let wanted = fold(wanted);
    let known: Vec<String> = candidates.iter().flatten().map(|c| fold(c)).collect();
    if wanted.is_empty() || known.is_empty() {
        return None;
    }
    Some(
        known
            .iter()
            .any(|k| k.contains(&wanted) || wanted.contains(k.as_str())),
    )
}

/// Albums indexed by their title keys.
pub(crate) struct AlbumIndex {
    albums: Vec<AlbumCandidate>,
    by_key: HashMap<String, Vec<usize>>,
}

impl AlbumIndex {
    pub(crate) fn load(conn: &Connection) -> rusqlite::Result<Self> {
        let albums = store::album_candidates(conn)?;
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, a) in albums.iter().enumerate() {
            let mut keys = title_keys(&a.1);
            if let Some(work) = &a.5 {
                keys.extend(title_keys(work));
            }
            keys.sort();
            keys.dedup();
            for k in keys {
                by_key.entry(k).or_default().push(i);
            }
        }
        Ok(Self { albums, by_key })
    }

    /// Albums that `title` (with `artist` and `year` when known) names, best first, with a
    /// confidence.
    pub(crate) fn find(
        &self,
        title: &str,
        artist: Option<&str>,
        year: Option<i64>,
    ) -> Vec<(&AlbumCandidate, f32)> {
        let mut seen = Vec::new();
        for k in title_keys(title) {
            for &i in self.by_key.get(&k).into_iter().flatten() {
                if !seen.contains(&i) {
                    seen.push(i);
                }
            }
        }
        let mut out: Vec<(&AlbumCandidate, f32)> = seen
            .into_iter()
            .filter_map(|i| {
                let a = &self.albums[i];
                let mut confidence = 0.6;
                match artist.and_then(|w| artist_matches(w, &[a.2.as_deref(), a.3.as_deref()])) {
                    Some(false) => return None,
                    Some(true) => confidence += 0.25,
                    None => {}
                }
                match (year, a.4) {
                    (Some(y), Some(ay)) if (y - ay).abs() > 1 => return None,
                    (Some(_), Some(_)) => confidence += 0.15,
                    _ => {}
                }
                Some((a, confidence))
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0 .0.cmp(&b.0 .0)));
        out
    }
}

/// Every placeholder that a cataloged album now matches, with the best album for each (and any
/// other album as good), minus what the collector declined.
///
/// # Errors
/// When the catalog cannot be read.
pub fn resolutions(lib: &Library) -> Result<Vec<Resolution>, ListError> {
    resolutions_on(&lib.reader()?)
}

pub(crate) fn resolutions_on(conn: &Connection) -> Result<Vec<Resolution>, ListError> {
    let placeholders = store::placeholders(conn)?;
    if placeholders.is_empty() {
        return Ok(Vec::new());
    }
    let index = AlbumIndex::load(conn)?;
    let mut out = Vec::new();
    for (e, list_name) in placeholders {
        let found = index.find(&e.title, e.artist.as_deref(), e.year);
        let Some(best) = found.first().map(|f| f.1) else {
            continue;
        };
        for (a, confidence) in found.into_iter().take_while(|f| f.1 >= best) {
            if store::declined(conn, e.id, a.0)? {
                continue;
            }
            out.push(Resolution {
                entry_id: e.id,
                list_id: e.list_id,
                list_name: list_name.clone(),
                title: e.title.clone(),
                artist: e.artist.clone(),
                year: e.year,
                album_id: a.0,
                album_title: a.1.clone(),
                album_artist: a.3.clone().or_else(|| a.2.clone()),
                album_year: a.4,
                confidence,
            });
        }
    }
    Ok(out)
}

/// Turns the placeholder into an entry for the album, keeping its note and place.
///
/// # Errors
/// An unknown entry or album, an entry that is not a placeholder, or a catalog that cannot be
/// written.
pub fn resolve(lib: &Library, entry_id: i64, album_id: i64) -> Result<Entry, ListError> {
    write(lib, |conn, now| {
        let e = store::entry(conn, entry_id)?.ok_or(ListError::NoSuchEntry(entry_id))?;
        if e.kind != "placeholder" {
            return Err(ListError::NotPlaceholder(entry_id));
        }
        let subject = annotate::ensure_subject_on(conn, Target::Album(album_id), now)?;
        store::set_entry_subject(conn, entry_id, "album", subject)?;
        store::touch(conn, e.list_id, now)?;
        super::refresh_labels(conn)?;
        stored_entry(
            conn,
            &store::entry(conn, entry_id)?.expect("the entry exists"),
        )
    })
}

/// Records that the album is not what the placeholder meant.
///
/// # Errors
/// An unknown entry or album, or a catalog that cannot be written.
pub fn decline(lib: &Library, entry_id: i64, album_id: i64) -> Result<(), ListError> {
    write(lib, |conn, _| {
        store::entry(conn, entry_id)?.ok_or(ListError::NoSuchEntry(entry_id))?;
        store::decline(conn, entry_id, album_id)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_match_without_soundtrack_wording_or_articles() {
        assert!(
            title_keys("The Thin Red Line (Original Motion Picture Soundtrack)")
                .contains(&"thin red line".to_string()),
            "soundtrack wording and the article go: {:?}",
            title_keys("The Thin Red Line (Original Motion Picture Soundtrack)")
        );
        assert_eq!(title_keys("Amélie")[0], "amelie", "accents fold");
    }

    #[test]
    fn artists_match_by_containment_and_unknown_is_no_evidence() {
        assert_eq!(
            artist_matches("Hans Zimmer", &[Some("Hans Zimmer & Benjamin Wallfisch")]),
            Some(true),
            "a credit that includes the artist matches"
        );
        assert_eq!(
            artist_matches("John Williams", &[Some("Hans Zimmer"), None]),
            Some(false),
            "another composer does not"
        );
        assert_eq!(
            artist_matches("John Williams", &[None, None]),
            None,
            "no credit, no evidence"
        );
    }
}
