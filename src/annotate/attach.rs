//! Keeping annotations attached: after a scan, album subjects whose album row went (a retag
//! regrouped its tracks) find the album that now holds most of their tracks; overrides are
//! applied again to albums the scan touched; anchors are refreshed. Subjects that find nothing
//! are orphans: listed, offered for relinking by MusicBrainz id or by album, disc, track and
//! title, never dropped.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;
use serde::Serialize;

use super::{
    album_anchor, apply_album, parse_fields, reindex_notes, to_json, work_anchor, AlbumAnchor,
    AnnotateError, Target, TrackAnchor, WorkAnchor,
};
use crate::db::subjects::{self, Kind, Subject};
use crate::db::{self, tags};
use crate::text::fold;
use crate::Library;

/// What [`reattach`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReattachReport {
    /// Album subjects that found their album again.
    pub reattached: usize,
    /// Album subjects merged into the subject of the album they found.
    pub merged: usize,
    /// Subjects that resolve to nothing (see [`orphans`]).
    pub orphans: usize,
}

/// Reattaches album subjects and applies overrides after the catalog changed. `touched` are
/// the albums whose tracks changed. Cheap when nothing is annotated.
///
/// # Errors
/// When the catalog cannot be written.
pub fn reattach(conn: &mut Connection, touched: &[i64]) -> Result<ReattachReport, AnnotateError> {
    let mut report = ReattachReport::default();
    let any: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM subjects)", [], |r| r.get(0))?;
    if !any {
        return Ok(report);
    }
    let touched: HashSet<i64> = touched.iter().copied().collect();
    let tx = conn.transaction()?;
    let now = db::now_secs();
    for s in subjects::all(&tx, Some(Kind::Album))? {
        let fields = parse_fields(s.fields.as_deref());
        match s.album_id {
            Some(album) => {
                if touched.contains(&album) {
                    subjects::set_anchor(&tx, s.id, &to_json(&album_anchor(&tx, album)?))?;
                    if !fields.is_empty() {
                        apply_album(&tx, album, &fields)?;
                    }
                }
            }
            None => {
                let anchor: AlbumAnchor = serde_json::from_str(&s.anchor).unwrap_or_default();
                let Some(album) = find_album(&tx, &anchor)? else {
                    continue;
                };
                attach_album(&tx, &s, album, now)?;
                match subjects::of_album(&tx, album)? {
                    Some(other) if other.id != s.id => report.merged += 1,
                    _ => report.reattached += 1,
                }
            }
        }
    }
    for s in subjects::all(&tx, Some(Kind::Work))? {
        let key = s.work_key.clone().unwrap_or_default();
        let Some((id, ..)) = db::works::by_key(&tx, &key)? else {
            continue;
        };
        let (_, title, kind, year) = db::works::get(&tx, id)?.expect("the work was just found");
        subjects::set_anchor(
            &tx,
            s.id,
            &to_json(&work_anchor(&tx, &key, title, kind, year)?),
        )?;
    }
    subjects::refresh_track_anchors(&tx)?;
    report.orphans = subjects::orphans(&tx)?.len();
    tx.commit()?;
    Ok(report)
}

/// The album an album subject belongs to now: the one whose tracks are most nearly the
/// subject's (shared over all, so an album is not mistaken for a larger edition that contains
/// its tracks, or for one of many albums reusing a recording), then the one whose title and
/// artist match, then one nothing else is attached to.
pub(crate) fn find_album(
    conn: &Connection,
    anchor: &AlbumAnchor,
) -> Result<Option<i64>, AnnotateError> {
    let candidates =
        subjects::album_candidates(conn, &anchor.contents, anchor.title.as_deref(), 64)?;
    Ok(best_album(anchor, &candidates))
}

fn best_album(anchor: &AlbumAnchor, candidates: &[subjects::AlbumCandidate]) -> Option<i64> {
    let wanted = {
        let mut c = anchor.contents.clone();
        c.sort();
        c.dedup();
        c.len() as f64
    };
    let title = anchor.title.as_deref().map(fold);
    let artist = anchor.artist.as_deref().map(fold);
    let score = |c: &subjects::AlbumCandidate| {
        let union = wanted + c.size as f64 - c.overlap as f64;
        let similarity = if union > 0.0 {
            c.overlap as f64 / union
        } else {
            0.0
        };
        let same_title = title.as_deref() == Some(fold(&c.title).as_str());
        let same_artist = artist == c.album_artist.as_deref().map(fold);
        (similarity, same_title, same_artist, !c.annotated)
    };
    candidates
        .iter()
        .max_by(|a, b| {
            let (sa, ta, aa, fa) = score(a);
            let (sb, tb, ab, fb) = score(b);
            sa.total_cmp(&sb)
                .then(ta.cmp(&tb))
                .then(aa.cmp(&ab))
                .then(fa.cmp(&fb))
                .then(b.id.cmp(&a.id))
        })
        .map(|c| c.id)
}

/// Attaches album subject `s` to `album`, merging into the album's own subject if it has one.
fn attach_album(conn: &Connection, s: &Subject, album: i64, now: i64) -> Result<(), AnnotateError> {
    let into = match subjects::of_album(conn, album)? {
        Some(other) if other.id != s.id => {
            subjects::merge(conn, other.id, s.id, now)?;
            other.id
        }
        _ => {
            subjects::set_album(conn, s.id, Some(album))?;
            s.id
        }
    };
    subjects::set_anchor(conn, into, &to_json(&album_anchor(conn, album)?))?;
    reindex_notes(conn, into)?;
    let merged = subjects::get(conn, into)?.ok_or(AnnotateError::NoSuchSubject(into))?;
    let fields = parse_fields(merged.fields.as_deref());
    if !fields.is_empty() {
        apply_album(conn, album, &fields)?;
    }
    Ok(())
}

/// An annotated album, track or work that resolves to nothing in the catalog now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Orphan {
    pub subject_id: i64,
    pub kind: Kind,
    /// What it was: "Title — Album (disc 1, track 3)", "Album — Artist", a work's title.
    pub was: String,
    pub rating: Option<u8>,
    pub has_note: bool,
    pub tags: Vec<String>,
    pub cue_notes: usize,
    pub has_fields: bool,
    pub updated_at: i64,
}

fn describe(s: &Subject) -> String {
    match s.kind {
        Kind::Track => {
            let a: TrackAnchor = serde_json::from_str(&s.anchor).unwrap_or_default();
            let mut out = a.title.unwrap_or_else(|| "Untitled track".into());
            if let Some(album) = a.album {
                out.push_str(" — ");
                out.push_str(&album);
            }
            match (a.disc, a.track) {
                (Some(d), Some(t)) => out.push_str(&format!(" (disc {d}, track {t})")),
                (None, Some(t)) => out.push_str(&format!(" (track {t})")),
                _ => {}
            }
            out
        }
        Kind::Album => {
            let a: AlbumAnchor = serde_json::from_str(&s.anchor).unwrap_or_default();
            let mut out = a.title.unwrap_or_else(|| "Untitled album".into());
            if let Some(artist) = a.artist {
                out.push_str(" — ");
                out.push_str(&artist);
            }
            out
        }
        Kind::Work => {
            let a: WorkAnchor = serde_json::from_str(&s.anchor).unwrap_or_default();
            a.title.or(s.work_key.clone()).unwrap_or_default()
        }
    }
}

/// Annotated subjects that resolve to nothing now, oldest first.
///
/// # Errors
/// When the catalog cannot be read.
pub fn orphans(lib: &Library) -> Result<Vec<Orphan>, AnnotateError> {
    let conn = lib.reader()?;
    subjects::orphans(&conn)?
        .into_iter()
        .map(|s| {
            Ok(Orphan {
                subject_id: s.id,
                kind: s.kind,
                was: describe(&s),
                rating: s.rating,
                has_note: s.note.is_some(),
                tags: tags::of_subject(&conn, s.id)?
                    .into_iter()
                    .map(|t| t.name)
                    .collect(),
                cue_notes: subjects::cue_notes(&conn, s.id)?.len(),
                has_fields: s.fields.is_some(),
                updated_at: s.updated_at,
            })
        })
        .collect()
}

/// A proposed relink: the annotations of a subject whose file is gone (or only missing) onto
/// a present track or album that looks like the same thing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub subject_id: i64,
    pub kind: Kind,
    pub was: String,
    pub to: Target,
    /// What the target is, described like `was`.
    pub to_label: String,
    pub reason: &'static str,
}

type TrackKey = (String, i64, i64, String);

fn track_key(
    album: Option<&str>,
    disc: Option<i64>,
    track: Option<i64>,
    title: Option<&str>,
) -> Option<TrackKey> {
    Some((fold(album?), disc.unwrap_or(1), track?, fold(title?)))
}

/// Relinks worth proposing: track subjects with no present file matched to present tracks that
/// carry no annotations, by MusicBrainz track id, else by album title, disc, track number and
/// title; orphaned album subjects matched to unannotated albums by MusicBrainz release id, else
/// by title and album artist. Each target is proposed once.
///
/// # Errors
/// When the catalog cannot be read.
pub fn relink_proposals(lib: &Library) -> Result<Vec<Proposal>, AnnotateError> {
    let conn = lib.reader()?;
    let mut out = Vec::new();

    let lost_tracks = subjects::tracks_without_present_file(&conn)?;
    if !lost_tracks.is_empty() {
        let candidates = db::tracks::unannotated_present(&conn)?;
        let mut by_mb: HashMap<String, usize> = HashMap::new();
        let mut by_key: HashMap<TrackKey, usize> = HashMap::new();
        for (i, c) in candidates.iter().enumerate() {
            if let Some(mb) = &c.mb_track_id {
                by_mb.entry(fold(mb)).or_insert(i);
            }
            if let Some(k) = track_key(
                c.album.as_deref(),
                c.disc_no,
                c.track_no,
                c.title.as_deref(),
            ) {
                by_key.entry(k).or_insert(i);
            }
        }
        let mut taken = HashSet::new();
        for s in lost_tracks {
            let a: TrackAnchor = serde_json::from_str(&s.anchor).unwrap_or_default();
            let by_id = a
                .mb_track_id
                .as_deref()
                .and_then(|mb| by_mb.get(&fold(mb)))
                .map(|&i| (i, "same MusicBrainz track id"));
            let found = by_id.or_else(|| {
                track_key(a.album.as_deref(), a.disc, a.track, a.title.as_deref())
                    .and_then(|k| by_key.get(&k))
                    .map(|&i| (i, "same album, disc, track number and title"))
            });
            let Some((i, reason)) = found else { continue };
            let c = &candidates[i];
            if c.content_id == s.content_id.clone().unwrap_or_default() || !taken.insert(c.id) {
                continue;
            }
            let label = describe(&Subject {
                anchor: to_json(&TrackAnchor {
                    title: c.title.clone(),
                    album: c.album.clone(),
                    disc: c.disc_no,
                    track: c.track_no,
                    ..Default::default()
                }),
                ..s.clone()
            });
            out.push(Proposal {
                subject_id: s.id,
                kind: Kind::Track,
                was: describe(&s),
                to: Target::Track(c.id),
                to_label: format!("{label} · {}", c.path),
                reason,
            });
        }
    }

    let lost_albums: Vec<Subject> = subjects::orphans(&conn)?
        .into_iter()
        .filter(|s| s.kind == Kind::Album)
        .collect();
    if !lost_albums.is_empty() {
        let annotated: HashSet<i64> = subjects::all(&conn, Some(Kind::Album))?
            .iter()
            .filter_map(|s| s.album_id)
            .collect();
        let albums: Vec<_> = db::albums::all_identities(&conn)?
            .into_iter()
            .filter(|a| !annotated.contains(&a.0))
            .collect();
        let mut taken = HashSet::new();
        for s in lost_albums {
            let a: AlbumAnchor = serde_json::from_str(&s.anchor).unwrap_or_default();
            let by_id = a.mb_album_id.as_deref().and_then(|mb| {
                albums
                    .iter()
                    .find(|c| c.3.as_deref().is_some_and(|m| fold(m) == fold(mb)))
                    .map(|c| (c, "same MusicBrainz release id"))
            });
            let found = by_id.or_else(|| {
                let title = fold(a.title.as_deref()?);
                let artist = fold(a.artist.as_deref().unwrap_or(""));
                albums
                    .iter()
                    .find(|c| fold(&c.1) == title && fold(c.2.as_deref().unwrap_or("")) == artist)
                    .map(|c| (c, "same title and album artist"))
            });
            let Some((c, reason)) = found else { continue };
            if !taken.insert(c.0) {
                continue;
            }
            out.push(Proposal {
                subject_id: s.id,
                kind: Kind::Album,
                was: describe(&s),
                to: Target::Album(c.0),
                to_label: match &c.2 {
                    Some(artist) => format!("{} — {artist}", c.1),
                    None => c.1.clone(),
                },
                reason,
            });
        }
    }
    let annotated_works: HashSet<String> = subjects::all(&conn, Some(Kind::Work))?
        .into_iter()
        .filter_map(|s| s.work_key)
        .collect();
    for s in subjects::orphans(&conn)?
        .into_iter()
        .filter(|s| s.kind == Kind::Work)
    {
        let a: WorkAnchor = serde_json::from_str(&s.anchor).unwrap_or_default();
        let Some((id, title)) = subjects::work_with_most(&conn, &a.contents)? else {
            continue;
        };
        let key = db::works::get(&conn, id)?.map(|w| w.0).unwrap_or_default();
        if annotated_works.contains(&key) {
            continue;
        }
        out.push(Proposal {
            subject_id: s.id,
            kind: Kind::Work,
            was: describe(&s),
            to: Target::Work(id),
            to_label: title,
            reason: "its albums now belong to this work",
        });
    }
    Ok(out)
}

/// Moves a subject's annotations onto `target` (the collector confirmed a proposal or chose a
/// target by hand). When the target has annotations of its own, the two are merged: nothing is
/// lost.
///
/// # Errors
/// No such subject or target, or a target of another kind.
pub fn relink(lib: &Library, subject_id: i64, target: Target) -> Result<(), AnnotateError> {
    super::write(lib, |conn, now| {
        let s = subjects::get(conn, subject_id)?.ok_or(AnnotateError::NoSuchSubject(subject_id))?;
        if s.kind != target.kind() {
            return Err(AnnotateError::RelinkKind(
                s.kind.as_str(),
                target.kind().as_str(),
            ));
        }
        match target {
            Target::Track(id) => {
                let content =
                    db::tracks::content_id(conn, id)?.ok_or(AnnotateError::NoSuchTrack(id))?;
                match subjects::of_track(conn, &content)? {
                    Some(other) if other.id != s.id => subjects::merge(conn, other.id, s.id, now)?,
                    Some(_) => {}
                    None => subjects::set_content(conn, s.id, &content)?,
                }
                let into = subjects::of_track(conn, &content)?.expect("relinked subject exists");
                if let Some(anchor) = subjects::track_anchor(conn, id)? {
                    subjects::set_anchor(conn, into.id, &anchor)?;
                }
                reindex_notes(conn, into.id)?;
            }
            Target::Album(id) => {
                if db::albums::identity(conn, id)?.is_none() {
                    return Err(AnnotateError::NoSuchAlbum(id));
                }
                attach_album(conn, &s, id, now)?;
            }
            Target::Work(id) => {
                let (key, ..) = db::works::get(conn, id)?.ok_or(AnnotateError::NoSuchWork(id))?;
                match subjects::of_work(conn, &key)? {
                    Some(other) if other.id != s.id => subjects::merge(conn, other.id, s.id, now)?,
                    Some(_) => {}
                    None => subjects::set_work_key(conn, s.id, &key)?,
                }
                if let Some(into) = subjects::of_work(conn, &key)? {
                    reindex_notes(conn, into.id)?;
                }
            }
        }
        Ok(())
    })
}

/// Deletes an orphan's annotations for good: only on the collector's explicit request.
///
/// # Errors
/// No such subject.
pub fn forget(lib: &Library, subject_id: i64) -> Result<(), AnnotateError> {
    super::write(lib, |conn, _| {
        subjects::get(conn, subject_id)?.ok_or(AnnotateError::NoSuchSubject(subject_id))?;
        subjects::delete(conn, subject_id)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::subjects::AlbumCandidate;

    fn candidate(id: i64, overlap: i64, size: i64, title: &str) -> AlbumCandidate {
        AlbumCandidate {
            id,
            overlap,
            size,
            title: title.into(),
            album_artist: Some("John Williams".into()),
            annotated: false,
        }
    }

    fn anchor(n: usize, title: &str) -> AlbumAnchor {
        AlbumAnchor {
            title: Some(title.into()),
            artist: Some("John Williams".into()),
            contents: (0..n).map(|i| format!("c{i}")).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn an_album_is_not_mistaken_for_a_larger_edition_holding_its_tracks() {
        let found = best_album(
            &anchor(10, "Jaws"),
            &[
                candidate(1, 10, 20, "Jaws (Expanded)"),
                candidate(2, 10, 10, "Jaws"),
            ],
        );
        assert_eq!(found, Some(2), "the album of exactly these tracks");
        let found = best_album(
            &anchor(20, "Jaws (Expanded)"),
            &[
                candidate(1, 20, 20, "Jaws (Expanded)"),
                candidate(2, 10, 10, "Jaws"),
            ],
        );
        assert_eq!(
            found,
            Some(1),
            "and the edition is not mistaken for the album"
        );
    }

    #[test]
    fn among_albums_sharing_a_recording_the_title_decides_then_a_free_one() {
        let found = best_album(
            &anchor(1, "Hits"),
            &[
                candidate(1, 1, 1, "Other"),
                candidate(2, 1, 1, "Hits"),
                candidate(3, 1, 1, "More"),
            ],
        );
        assert_eq!(found, Some(2));
        let mut taken = candidate(1, 1, 1, "Hits");
        taken.annotated = true;
        let found = best_album(&anchor(1, "Hits"), &[taken, candidate(5, 1, 1, "Hits")]);
        assert_eq!(found, Some(5), "an album another subject holds comes last");
        assert_eq!(best_album(&anchor(1, "x"), &[]), None);
    }
}
