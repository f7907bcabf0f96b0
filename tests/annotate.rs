//! Annotations on the reference collection: tags, ratings, notes, time-coded notes and field
//! overrides survive moves, renames, retags, a regrouped album, a missing disk, a removed folder,
//! and a backup, wipe and restore; re-encoded files are proposed for relinking; search and
//! grouping see the overrides.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{copied_reference, ids, reference_root};
use cuebook::annotate::{self, backup, Fields, Target};
use cuebook::db::subjects::Kind;
use cuebook::search::search_tracks;
use cuebook::Library;
use cuebook_testkit::Reference;
use lofty::config::WriteOptions;
use lofty::file::TaggedFileExt;
use lofty::prelude::Accessor;
use lofty::tag::TagExt;

/// What one album, track or work carries, comparable across catalogs.
#[derive(Debug, Clone, PartialEq)]
struct Snap {
    rating: Option<u8>,
    note: Option<String>,
    tags: Vec<String>,
    fields: Fields,
    cues: Vec<(i64, String)>,
}

/// Every annotation of the library keyed by identity: albums by their tracks' audio, tracks by
/// their audio, works by their normalized title.
fn snapshot(lib: &Library) -> BTreeMap<String, Snap> {
    let mut out = BTreeMap::new();
    let mut add = |key: String, target: Target| {
        let a = annotate::annotations(lib, target).unwrap();
        let snap = Snap {
            rating: a.rating,
            note: a.note,
            tags: a.tags.into_iter().map(|t| t.name).collect(),
            fields: a.fields,
            cues: a.cue_notes.into_iter().map(|c| (c.at_ms, c.text)).collect(),
        };
        let empty = snap.rating.is_none()
            && snap.note.is_none()
            && snap.tags.is_empty()
            && snap.fields.is_empty()
            && snap.cues.is_empty();
        if !empty {
            out.insert(key, snap);
        }
    };
    for (id, contents) in ids(
        lib,
        "SELECT a.id, (SELECT group_concat(content_id, ',') FROM
            (SELECT DISTINCT content_id FROM tracks t WHERE t.album_id = a.id ORDER BY content_id))
         FROM albums a",
    ) {
        add(format!("album:{contents}"), Target::Album(id));
    }
    for (id, content) in ids(
        lib,
        "SELECT min(id), content_id FROM tracks GROUP BY content_id",
    ) {
        add(format!("track:{content}"), Target::Track(id));
    }
    for (id, key) in ids(lib, "SELECT min(id), sort_key FROM works GROUP BY sort_key") {
        add(format!("work:{key}"), Target::Work(id));
    }
    out
}

fn album_ids(lib: &Library) -> Vec<(i64, String)> {
    ids(lib, "SELECT id, title FROM albums ORDER BY title, id")
}

fn tracks_of(lib: &Library, album: i64) -> Vec<(i64, String)> {
    ids(
        lib,
        &format!(
            "SELECT id, coalesce(title, '') FROM tracks WHERE album_id = {album}
             ORDER BY coalesce(disc_no, 1), track_no"
        ),
    )
}

/// Annotates everything the way a collector might: every album and track gets something,
/// works of the user are set where the reference says the tags cannot tell them.
/// Returns how many tracks got a time-coded note.
fn annotate_everything(lib: &Library, reference: &Reference) -> i64 {
    let mut cued = 0;
    let albums = album_ids(lib);
    assert_eq!(albums.len(), 52, "the reference collection is 52 albums");
    let all: Vec<Target> = albums.iter().map(|(id, _)| Target::Album(*id)).collect();
    annotate::tag(lib, &all, &["reference".into()]).unwrap();
    for (i, (album, title)) in albums.iter().enumerate() {
        let target = Target::Album(*album);
        annotate::rate(lib, &[target], Some((i % 6) as i64)).unwrap();
        annotate::set_note(
            lib,
            target,
            &format!(
                "## {title}\n\nBought in *{}*; the **brass** is superb.",
                1990 + i
            ),
        )
        .unwrap();
        if i % 3 == 0 {
            annotate::tag(
                lib,
                &[target],
                &[format!("shelf {}", i % 4), "Favourite".into()],
            )
            .unwrap();
        }
        let spec = reference
            .albums
            .iter()
            .find(|a| &a.album == title)
            .unwrap_or_else(|| panic!("{title} is in the reference"));
        let mut changes: Vec<(String, String)> = Vec::new();
        if spec.work_from_user {
            changes.push(("work".into(), spec.work.clone()));
            changes.push(("work-year".into(), spec.work_year.to_string()));
        }
        if let Some(n) = spec.limited_to {
            changes.push(("limited-to".into(), n.to_string()));
        }
        if i % 5 == 0 {
            changes.push((
                "orchestrators".into(),
                "Alexander Courage; Arthur Morton".into(),
            ));
            changes.push(("catalog-numbers".into(), format!("VCL-{i}; VCL-{i}B")));
        }
        if !changes.is_empty() {
            annotate::set_fields(lib, target, &changes).unwrap();
        }
        for (n, (track, _)) in tracks_of(lib, *album).iter().enumerate() {
            let t = Target::Track(*track);
            annotate::set_fields(
                lib,
                t,
                &[("cue".into(), format!("{}M{}", n / 3 + 1, n % 3 + 1))],
            )
            .unwrap();
            if n % 2 == 0 {
                annotate::rate(lib, &[t], Some(((n + i) % 6) as i64)).unwrap();
                annotate::add_cue_note(lib, *track, 0, "the theme returns in the brass").unwrap();
                cued += 1;
            }
            if n == 0 {
                annotate::set_note(lib, t, "Main title. <script>alert(1)</script>").unwrap();
                annotate::tag(lib, &[t], &["opener".into()]).unwrap();
            }
        }
    }
    // A note and a tag on a few works.
    for (id, _) in ids(lib, "SELECT id, title FROM works ORDER BY sort_key LIMIT 5") {
        annotate::set_note(lib, Target::Work(id), "A work worth a whole shelf.").unwrap();
        annotate::tag(lib, &[Target::Work(id)], &["franchise".into()]).unwrap();
    }
    cued
}

fn retag(path: &Path, f: impl FnOnce(&mut lofty::tag::Tag)) {
    let mut tagged = lofty::read_from_path(path).unwrap();
    let tag = match tagged.primary_tag_mut() {
        Some(t) => t,
        None => tagged.first_tag_mut().expect("reference files are tagged"),
    };
    f(tag);
    tag.save_to_path(path, WriteOptions::default()).unwrap();
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn audio_files(dir: &Path) -> Vec<PathBuf> {
    walk(dir)
        .into_iter()
        .filter(|p| cuebook::catalog::tags::has_audio_extension(p))
        .collect()
}

#[test]
fn annotations_survive_moves_renames_retags_a_missing_disk_and_a_backup_wipe_and_restore() {
    let Some((dir, root, lib, reference)) = copied_reference("annotation round trip") else {
        return;
    };
    let cued = annotate_everything(&lib, &reference);
    let before = snapshot(&lib);
    let counts = annotate::counts(&lib).unwrap();
    assert!(
        before.len() > 52 + 171 / 2,
        "every album and most tracks carry something: {}",
        before.len()
    );
    assert_eq!(
        counts.cue_notes, cued,
        "one time-coded note on every other track"
    );

    // Move an album folder, rename a file, retag a title, and retitle a whole album (which
    // regroups its tracks under a new album row).
    let albums: Vec<PathBuf> = reference
        .albums
        .iter()
        .map(|a| root.join(a.dir.strip_prefix(reference_root(&reference)).unwrap()))
        .collect();
    let moved_to = root.join("Moved").join("elsewhere");
    std::fs::create_dir_all(&moved_to).unwrap();
    std::fs::rename(&albums[0], moved_to.join("album")).unwrap();
    let renamed = audio_files(&albums[1])[0].clone();
    let ext = renamed.extension().unwrap().to_string_lossy().into_owned();
    std::fs::rename(
        &renamed,
        renamed.with_file_name(format!("renamed by the collector.{ext}")),
    )
    .unwrap();
    let retitled = audio_files(&albums[2])[0].clone();
    retag(&retitled, |t| {
        t.set_title("A title the collector prefers".into())
    });
    for file in audio_files(&albums[3]) {
        retag(&file, |t| t.set_album("Retitled album".into()));
    }
    let report = common::scan(&lib);
    assert!(
        report.moved >= 2 && report.updated >= 2,
        "the changes were seen: {report:?}"
    );
    // Retitling an album renames the work derived from its title: a work note is then an
    // orphan, proposed for the work its albums now belong to.
    let orphans = annotate::orphans(&lib).unwrap();
    assert!(
        orphans.iter().all(|o| o.kind == Kind::Work),
        "only a renamed work can lose its subject: {orphans:?}"
    );
    assert_eq!(report.annotation_orphans, orphans.len(), "{report:?}");
    let proposals = annotate::relink_proposals(&lib).unwrap();
    assert_eq!(
        proposals.len(),
        orphans.len(),
        "each orphaned work is proposed: {proposals:?}"
    );
    for p in &proposals {
        assert_eq!(
            p.to_label, "Retitled album",
            "the work its albums now belong to"
        );
        annotate::relink(&lib, p.subject_id, p.to).unwrap();
    }
    // Keyed by the new work now; compare under that key.
    let before: BTreeMap<String, Snap> = before
        .into_iter()
        .map(|(k, v)| {
            match orphans
                .iter()
                .find(|o| k == format!("work:{}", cuebook::text::sort_key(&o.was)))
            {
                Some(_) => ("work:retitled album".to_string(), v),
                None => (k, v),
            }
        })
        .collect();
    let after = snapshot(&lib);
    assert_eq!(
        after.len(),
        before.len(),
        "as many annotated things after the changes"
    );
    for (key, snap) in &before {
        assert_eq!(after.get(key), Some(snap), "{key} kept its annotations");
    }
    assert_eq!(
        common::query_i64(
            &lib,
            "SELECT count(*) FROM albums WHERE title = 'Retitled album'"
        ),
        1,
        "the retitled album is a new album row, and its annotations moved onto it"
    );

    // A missing disk: the whole root goes away; nothing is lost.
    let away = dir.path().join("unplugged");
    std::fs::rename(&root, &away).unwrap();
    let report = common::scan(&lib);
    assert_eq!(
        report.roots_offline.len(),
        1,
        "the root is offline: {report:?}"
    );
    assert_eq!(
        snapshot(&lib),
        after,
        "an offline disk changes no annotation"
    );
    std::fs::rename(&away, &root).unwrap();
    common::scan(&lib);
    assert_eq!(
        snapshot(&lib),
        after,
        "the disk came back and so did everything"
    );

    // Back up, wipe the catalog, scan afresh and restore.
    let file = dir.path().join("backup.json");
    let n = backup::write(&lib, &file).unwrap();
    assert_eq!(
        n as i64,
        annotate::counts(&lib).unwrap().subjects,
        "every subject is backed up"
    );
    drop(lib);
    std::fs::remove_dir_all(dir.path().join("db")).unwrap();
    let fresh = common::library(&dir.path().join("db"), &[&root]);
    common::scan(&fresh);
    assert!(
        snapshot(&fresh).is_empty(),
        "a wiped catalog has no annotations"
    );
    let report = backup::restore(&fresh, &file).unwrap();
    assert!(
        report.skipped.is_empty(),
        "nothing skipped: {:?}",
        report.skipped
    );
    assert_eq!(
        report.orphans, 0,
        "every restored annotation found its album, track or work"
    );
    assert_eq!(
        snapshot(&fresh),
        after,
        "restore brings every annotation back"
    );
    assert_eq!(
        annotate::counts(&fresh).unwrap(),
        counts,
        "the same numbers of ratings, notes, time-coded notes, fields and tags"
    );

    // Restoring again changes nothing: restore is idempotent.
    let again = backup::restore(&fresh, &file).unwrap();
    assert_eq!(
        again.subjects_created, 0,
        "the second restore creates nothing: {again:?}"
    );
    assert_eq!(again.cue_notes_added, 0, "nor adds a time-coded note twice");
    assert_eq!(
        snapshot(&fresh),
        after,
        "a second restore leaves everything as it was"
    );
    assert_eq!(annotate::counts(&fresh).unwrap(), counts);

    // Restore into an empty catalog before its first scan: everything waits as orphans, then
    // attaches when the files are scanned.
    let early = common::library(&dir.path().join("early"), &[&root]);
    let report = backup::restore(&early, &file).unwrap();
    assert_eq!(
        report.orphans as i64, counts.subjects,
        "before a scan every restored subject is an orphan"
    );
    assert_eq!(
        annotate::orphans(&early).unwrap().len() as i64,
        counts.subjects
    );
    let scan = common::scan(&early);
    assert_eq!(
        scan.annotation_orphans, 0,
        "the scan attached them all: {scan:?}"
    );
    assert_eq!(
        snapshot(&early),
        after,
        "a restore before the first scan loses nothing"
    );
}

#[test]
fn overrides_show_in_search_grouping_and_album_pages_and_survive_a_rescan() {
    let Some((_dir, _root, lib, reference)) = copied_reference("field overrides") else {
        return;
    };
    let user_work = reference
        .albums
        .iter()
        .find(|a| a.work_from_user)
        .expect("the reference has albums whose work the collector sets");
    let album = album_ids(&lib)
        .into_iter()
        .find(|(_, t)| *t == user_work.album)
        .unwrap()
        .0;
    annotate::set_fields(
        &lib,
        Target::Album(album),
        &[
            ("work".into(), user_work.work.clone()),
            ("work-kind".into(), "film".into()),
            ("composers".into(), "Zbigniew Testowski".into()),
            ("label".into(), "Cuebook Records".into()),
            ("edition".into(), "Expanded".into()),
            ("limited-to".into(), "3000".into()),
            ("catalog-numbers".into(), "CBK-001; CBK-001B".into()),
        ],
    )
    .unwrap();
    let check = |when: &str| {
        let page = cuebook::catalog::album_page(&lib, album).unwrap();
        assert_eq!(
            page.album.row.work.as_deref(),
            Some(user_work.work.as_str()),
            "{when}: the user's work"
        );
        assert_eq!(page.album.row.work_kind.as_deref(), Some("film"), "{when}");
        assert_eq!(
            page.composers,
            vec!["Zbigniew Testowski"],
            "{when}: the composer override"
        );
        assert_eq!(
            page.album.row.label.as_deref(),
            Some("Cuebook Records"),
            "{when}"
        );
        assert_eq!(page.album.edition.as_deref(), Some("Expanded"), "{when}");
        assert_eq!(
            page.album.catalog_numbers,
            vec!["CBK-001", "CBK-001B"],
            "{when}"
        );
        assert_eq!(page.annotations.fields.limited_to, Some(3000), "{when}");
        for q in [
            "composer:testowski",
            "label:\"cuebook records\"",
            "catalog:cbk",
            &format!("work:\"{}\"", user_work.work),
        ] {
            let found = search_tracks(&lib, q, 500, 0).unwrap();
            assert_eq!(
                found.total,
                user_work.tracks.len() as i64,
                "{when}: {q} finds the album's tracks through the override"
            );
        }
    };
    check("after setting");
    // Retag one of the album's files so the rescan reads it (and indexes it) again.
    let root_dir = _root.join(
        user_work
            .dir
            .strip_prefix(reference_root(&reference))
            .unwrap(),
    );
    retag(&audio_files(&root_dir)[0], |t| {
        t.set_comment("retagged by another tool".into())
    });
    let report = common::scan(&lib);
    assert_eq!(
        report.updated, 1,
        "the retagged file was read again: {report:?}"
    );
    check("after a rescan that read the album's file again");
    // Clearing an override brings the tags' value back.
    annotate::set_fields(
        &lib,
        Target::Album(album),
        &[("label".into(), String::new())],
    )
    .unwrap();
    let page = cuebook::catalog::album_page(&lib, album).unwrap();
    assert_eq!(
        page.album.row.label.as_deref(),
        user_work.label.as_deref(),
        "the tags' label is back"
    );
    assert_eq!(
        search_tracks(&lib, "label:\"cuebook records\"", 10, 0)
            .unwrap()
            .total,
        0
    );
}

#[test]
fn tags_ratings_notes_and_cues_are_searchable() {
    let Some((_dir, _root, lib, reference)) = copied_reference("annotation search") else {
        return;
    };
    let cued = annotate_everything(&lib, &reference);
    let total = |q: &str| search_tracks(&lib, q, 1000, 0).unwrap().total;
    assert_eq!(
        total("tag:reference"),
        171,
        "an album tag applies to its tracks"
    );
    assert_eq!(
        total("tag:REFERENCE"),
        171,
        "tag names compare without case"
    );
    assert_eq!(total("tag:opener"), 52, "one opener per album");
    assert_eq!(total("-tag:opener"), 171 - 52, "negation");
    assert!(
        total("tag:franchise") > 0,
        "a work tag applies to the work's tracks"
    );
    assert_eq!(total("tag:nothing-like-this"), 0);
    let rated = total("rating:>=0");
    assert_eq!(rated, 171, "every track has its own or its album's rating");
    assert_eq!(total("rating:none"), 0);
    let hi = total("rating:>=4");
    let lo = total("rating:<4");
    assert_eq!(hi + lo, 171, "ratings split the collection: {hi} + {lo}");
    assert!(hi > 0 && lo > 0);
    assert_eq!(
        total("note:superb"),
        171,
        "album notes are searched for their tracks"
    );
    assert_eq!(
        total("note:\"theme returns\""),
        cued,
        "time-coded notes are searched"
    );
    assert_eq!(total("cue:1m1"), 52, "one 1M1 per album");
    let sorted = cuebook::search::search_tracks_in(
        &lib.reader().unwrap(),
        "tag:opener",
        cuebook::search::TrackSort {
            key: cuebook::search::TrackSortKey::Cue,
            descending: false,
        },
        5,
        0,
    )
    .unwrap();
    assert!(sorted
        .tracks
        .iter()
        .all(|t| t.cue.as_deref() == Some("1M1")));
    let tags = annotate::tags(&lib).unwrap();
    let reference_tag = tags.iter().find(|t| t.name == "reference").unwrap();
    assert_eq!(reference_tag.albums, 52, "the tag list counts albums");
    let fav = tags.iter().find(|t| t.name == "Favourite").unwrap();
    assert_eq!(fav.albums, 18, "every third album is a favourite");
}

#[test]
fn tags_rename_merge_recolor_and_delete_without_touching_other_annotations() {
    let Some((_dir, _root, lib, reference)) = copied_reference("tag management") else {
        return;
    };
    annotate_everything(&lib, &reference);
    annotate::rename_tag(&lib, "favourite", "Loved").unwrap();
    assert!(
        annotate::rename_tag(&lib, "Loved", "reference").is_err(),
        "renaming onto an existing tag is refused (merge instead)"
    );
    annotate::set_tag_color(&lib, "Loved", Some("#E0A000")).unwrap();
    assert!(annotate::set_tag_color(&lib, "Loved", Some("javascript:x")).is_err());
    annotate::merge_tags(&lib, &["shelf 0".into(), "shelf 1".into()], "shelf low").unwrap();
    let tags = annotate::tags(&lib).unwrap();
    let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
    assert!(
        names.contains(&"Loved") && !names.contains(&"Favourite"),
        "{names:?}"
    );
    assert!(
        !names.contains(&"shelf 0") && !names.contains(&"shelf 1"),
        "{names:?}"
    );
    let low = tags.iter().find(|t| t.name == "shelf low").unwrap();
    let shelved = (0..52).filter(|i| i % 3 == 0 && i % 4 <= 1).count() as i64;
    assert_eq!(low.albums, shelved, "every album of either shelf");
    assert_eq!(
        tags.iter()
            .find(|t| t.name == "Loved")
            .unwrap()
            .color
            .as_deref(),
        Some("#e0a000")
    );
    let notes_before = annotate::counts(&lib).unwrap().notes;
    annotate::delete_tag(&lib, "Loved").unwrap();
    assert_eq!(
        annotate::counts(&lib).unwrap().notes,
        notes_before,
        "deleting a tag keeps notes"
    );
    assert_eq!(search_tracks(&lib, "tag:loved", 10, 0).unwrap().total, 0);
}

/// Gives `file` the tags that identify `like` (title, album, artists, disc and track).
fn copy_identity_tags(like: &Path, file: &Path) {
    let source = lofty::read_from_path(like).unwrap();
    let from = source.primary_tag().or(source.first_tag()).unwrap().clone();
    let mut tagged = lofty::read_from_path(file).unwrap();
    let tt = tagged.primary_tag_type();
    if tagged.primary_tag().is_none() {
        tagged.insert_tag(lofty::tag::Tag::new(tt));
    }
    let tag = tagged.primary_tag_mut().unwrap();
    tag.clear();
    for key in [
        lofty::tag::ItemKey::TrackTitle,
        lofty::tag::ItemKey::AlbumTitle,
        lofty::tag::ItemKey::AlbumArtist,
        lofty::tag::ItemKey::TrackArtist,
        lofty::tag::ItemKey::TrackNumber,
        lofty::tag::ItemKey::DiscNumber,
        lofty::tag::ItemKey::CatalogNumber,
        lofty::tag::ItemKey::RecordingDate,
    ] {
        if let Some(v) = from.get_string(&key) {
            tag.insert_text(key, v.to_string());
        }
    }
    tag.save_to_path(file, WriteOptions::default()).unwrap();
}

#[test]
fn a_reencoded_file_is_proposed_for_relinking_and_orphans_are_listed_never_dropped() {
    let Some((dir, root, lib, reference)) = copied_reference("relink") else {
        return;
    };
    let spec = &reference.albums[5];
    let album_dir = root.join(spec.dir.strip_prefix(reference_root(&reference)).unwrap());
    let files = audio_files(&album_dir);
    let original = files[0].clone();
    let conn = lib.reader().unwrap();
    let track = cuebook::db::tracks::id_by_path(&conn, &original)
        .unwrap()
        .unwrap();
    drop(conn);
    annotate::rate(&lib, &[Target::Track(track)], Some(5)).unwrap();
    annotate::add_cue_note(&lib, track, 0, "listen for the celesta").unwrap();
    annotate::tag(&lib, &[Target::Track(track)], &["keeper".into()]).unwrap();

    // "Re-encode": other audio, in another file, with the same identifying tags; the original
    // goes away.
    let other = audio_files(&root)
        .into_iter()
        .find(|p| p.extension() != original.extension() && !p.starts_with(&album_dir))
        .expect("the reference has files of several formats");
    let reencoded = album_dir.join(format!(
        "reencoded.{}",
        other.extension().unwrap().to_string_lossy()
    ));
    std::fs::copy(&other, &reencoded).unwrap();
    copy_identity_tags(&original, &reencoded);
    std::fs::remove_file(&original).unwrap();
    common::scan(&lib);

    let proposals = annotate::relink_proposals(&lib).unwrap();
    let conn = lib.reader().unwrap();
    let new_track = cuebook::db::tracks::id_by_path(&conn, &reencoded)
        .unwrap()
        .unwrap();
    drop(conn);
    let p = proposals
        .iter()
        .find(|p| p.to == Target::Track(new_track))
        .unwrap_or_else(|| panic!("the re-encode is proposed: {proposals:?}"));
    assert_eq!(p.kind, Kind::Track);
    assert_eq!(p.reason, "same album, disc, track number and title");
    assert_eq!(
        proposals.len(),
        1,
        "only the re-encoded file is proposed: {proposals:?}"
    );
    assert!(
        annotate::annotations(&lib, Target::Track(new_track))
            .unwrap()
            .rating
            .is_none(),
        "nothing moves before the collector confirms"
    );
    annotate::relink(&lib, p.subject_id, p.to).unwrap();
    let moved = annotate::annotations(&lib, Target::Track(new_track)).unwrap();
    assert_eq!(moved.rating, Some(5), "the rating followed the relink");
    assert_eq!(moved.cue_notes.len(), 1, "the time-coded note followed");
    assert_eq!(moved.tags.len(), 1, "the tag followed");
    assert!(
        annotate::relink_proposals(&lib).unwrap().is_empty(),
        "nothing left to propose"
    );

    // Removing the library folder orphans every annotation; they are listed, not dropped, and
    // come back when the folder is added and scanned again.
    annotate::rate(&lib, &[Target::Album(album_ids(&lib)[0].0)], Some(3)).unwrap();
    cuebook::catalog::remove_root(&lib, &root).unwrap();
    let orphans = annotate::orphans(&lib).unwrap();
    assert_eq!(
        orphans.len(),
        2,
        "the track's and the album's annotations: {orphans:?}"
    );
    let track_orphan = orphans.iter().find(|o| o.kind == Kind::Track).unwrap();
    assert_eq!(track_orphan.rating, Some(5));
    assert_eq!(track_orphan.cue_notes, 1);
    assert!(
        track_orphan.was.contains(spec.album.as_str()),
        "described by its album: {}",
        track_orphan.was
    );
    cuebook::catalog::add_root(&lib, &root).unwrap();
    let report = common::scan(&lib);
    assert_eq!(
        report.annotation_orphans, 0,
        "the rescan attached them again: {report:?}"
    );
    assert!(annotate::orphans(&lib).unwrap().is_empty());
    let conn = lib.reader().unwrap();
    let back = cuebook::db::tracks::id_by_path(&conn, &reencoded)
        .unwrap()
        .unwrap();
    drop(conn);
    assert_eq!(
        annotate::annotations(&lib, Target::Track(back))
            .unwrap()
            .rating,
        Some(5)
    );

    // Forget is the only way an orphan goes, and only on request.
    cuebook::catalog::remove_root(&lib, &root).unwrap();
    for o in annotate::orphans(&lib).unwrap() {
        annotate::forget(&lib, o.subject_id).unwrap();
    }
    assert!(annotate::orphans(&lib).unwrap().is_empty());
    drop(dir);
}

#[test]
fn two_annotated_albums_that_a_retag_merges_keep_both_sets_of_annotations() {
    let Some((_dir, root, lib, reference)) = copied_reference("album merge") else {
        return;
    };
    // Two single-disc albums; the second is retagged to be the first.
    let specs: Vec<_> = reference
        .albums
        .iter()
        .filter(|a| a.disc_count == 1 && a.edition.is_none() && !a.is_compilation())
        .take(2)
        .collect();
    let ids_of = |title: &str| {
        album_ids(&lib)
            .into_iter()
            .find(|(_, t)| t == title)
            .unwrap()
            .0
    };
    let (a, b) = (ids_of(&specs[0].album), ids_of(&specs[1].album));
    annotate::set_note(&lib, Target::Album(a), "first album's note").unwrap();
    annotate::tag(&lib, &[Target::Album(a)], &["one".into()]).unwrap();
    annotate::set_note(&lib, Target::Album(b), "second album's note").unwrap();
    annotate::tag(&lib, &[Target::Album(b)], &["two".into()]).unwrap();
    annotate::rate(&lib, &[Target::Album(b)], Some(4)).unwrap();
    let dir_b = root.join(
        specs[1]
            .dir
            .strip_prefix(reference_root(&reference))
            .unwrap(),
    );
    let first = lofty::read_from_path(
        audio_files(
            &root.join(
                specs[0]
                    .dir
                    .strip_prefix(reference_root(&reference))
                    .unwrap(),
            ),
        )[0]
        .clone(),
    )
    .unwrap();
    let first = first.primary_tag().or(first.first_tag()).unwrap().clone();
    for f in audio_files(&dir_b) {
        retag(&f, |t| {
            for key in [
                lofty::tag::ItemKey::AlbumTitle,
                lofty::tag::ItemKey::AlbumArtist,
                lofty::tag::ItemKey::CatalogNumber,
            ] {
                t.remove_key(&key);
                if let Some(v) = first.get_string(&key) {
                    t.insert_text(key, v.to_string());
                }
            }
        });
    }
    common::scan(&lib);
    let merged = ids_of(&specs[0].album);
    let ann = annotate::annotations(&lib, Target::Album(merged)).unwrap();
    let note = ann.note.unwrap_or_default();
    assert!(
        note.contains("first album's note") && note.contains("second album's note"),
        "both notes are kept: {note}"
    );
    let tags: Vec<String> = ann.tags.into_iter().map(|t| t.name).collect();
    assert_eq!(tags, vec!["one", "two"], "both tags are kept");
    assert_eq!(ann.rating, Some(4), "the only rating is kept");
    assert!(
        annotate::orphans(&lib).unwrap().is_empty(),
        "nothing is orphaned"
    );
}

#[test]
fn a_hostile_backup_is_refused_or_skipped_entry_by_entry() {
    let Some((dir, _root, lib, _reference)) = copied_reference("hostile backup") else {
        return;
    };
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let e = backup::restore(&lib, &write("garbage.json", "\u{0}\u{1}binary")).unwrap_err();
    assert!(
        e.to_string().contains("garbage.json") && e.to_string().contains("not a Cuebook backup"),
        "{e}"
    );
    let e = backup::restore(
        &lib,
        &write("other.json", r#"{"format":"something else","version":1}"#),
    )
    .unwrap_err();
    assert!(e.to_string().contains("not a Cuebook backup"), "{e}");
    let e = backup::restore(
        &lib,
        &write("new.json", r#"{"format":"cuebook-backup","version":99}"#),
    )
    .unwrap_err();
    assert!(e.to_string().contains("newer Cuebook"), "{e}");
    let content: String = ids(&lib, "SELECT id, content_id FROM tracks LIMIT 1")[0]
        .1
        .clone();
    let mixed = format!(
        r#"{{"format":"cuebook-backup","version":1,"created_at":0,"app_version":"x",
            "tags":[{{"name":"ok","color":"red"}},{{"name":"   "}}],
            "subjects":[
              {{"kind":"track","content_id":"{content}","rating":9}},
              {{"kind":"track","content_id":"{content}","fields":{{"label":"not on a track"}}}},
              {{"kind":"track","rating":3}},
              {{"kind":"track","content_id":"{content}","rating":2,"note":"<img src=x onerror=alert(1)>","tags":["ok"]}}
            ]}}"#
    );
    let report = backup::restore(&lib, &write("mixed.json", &mixed)).unwrap();
    assert_eq!(
        report.skipped.len(),
        5,
        "three bad entries, a bad tag and a bad color: {:?}",
        report.skipped
    );
    assert_eq!(report.subjects_created, 1, "the good entry is restored");
    let conn = lib.reader().unwrap();
    let track: i64 = conn
        .query_row(
            "SELECT id FROM tracks WHERE content_id = ?1",
            [&content],
            |r| r.get(0),
        )
        .unwrap();
    let a = annotate::annotations(&lib, Target::Track(track)).unwrap();
    assert_eq!(a.rating, Some(2));
    let html = a.note_html.unwrap();
    assert!(
        !html.contains("<img"),
        "the note renders inert, as text: {html}"
    );
}

#[test]
fn writing_overrides_back_changes_only_those_tags_and_keeps_every_annotation() {
    let Some((_dir, root, lib, reference)) = copied_reference("write-back of overrides") else {
        return;
    };
    let spec = reference
        .albums
        .iter()
        .find(|a| a.disc_count == 1 && a.tracks.len() >= 2)
        .expect("a single-disc album");
    let album = album_ids(&lib)
        .into_iter()
        .find(|(_, t)| *t == spec.album)
        .unwrap()
        .0;
    annotate::set_fields(
        &lib,
        Target::Album(album),
        &[
            ("label".into(), "Cuebook Records".into()),
            ("catalog-numbers".into(), "CBK-042".into()),
            ("edition".into(), "Expanded".into()),
        ],
    )
    .unwrap();
    annotate::rate(&lib, &[Target::Album(album)], Some(5)).unwrap();
    let before = snapshot(&lib);
    let dir = root.join(spec.dir.strip_prefix(reference_root(&reference)).unwrap());
    let files = audio_files(&dir);
    let bytes_before: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();

    let plan = annotate::writeback_plan(&lib, Target::Album(album)).unwrap();
    assert_eq!(
        plan.len(),
        files.len(),
        "every file of the album would change: {plan:?}"
    );
    for f in &plan {
        let fields: Vec<_> = f.changes.iter().map(|c| c.field).collect();
        assert_eq!(
            fields,
            vec![
                annotate::writeback::Field::CatalogNumber,
                annotate::writeback::Field::Label
            ],
            "only the standard fields the overrides set (the edition has no standard tag): {f:?}"
        );
    }
    for (f, before) in files.iter().zip(&bytes_before) {
        assert_eq!(
            &std::fs::read(f).unwrap(),
            before,
            "planning writes nothing"
        );
    }
    annotate::writeback_apply(&lib, &plan).unwrap();
    assert!(
        annotate::writeback_plan(&lib, Target::Album(album))
            .unwrap()
            .is_empty(),
        "after writing, the files already hold the overrides"
    );
    let report = common::scan(&lib);
    assert_eq!(
        report.updated as usize,
        files.len(),
        "the rescan reads the written files: {report:?}"
    );
    assert_eq!(
        report.added + report.moved,
        0,
        "the same tracks, not new ones: {report:?}"
    );
    assert_eq!(snapshot(&lib), before, "every annotation is where it was");
    let conn = lib.reader().unwrap();
    // The catalog number is part of the album's grouping key: the album row may be a new one.
    let track = cuebook::db::tracks::id_by_path(&conn, &files[0])
        .unwrap()
        .unwrap();
    let album = cuebook::db::tracks::album_of(&conn, track)
        .unwrap()
        .unwrap();
    let labels: Vec<(i64, String)> = {
        let mut stmt = conn
            .prepare("SELECT id, coalesce(label, '') FROM tracks WHERE album_id = ?1")
            .unwrap();
        stmt.query_map([album], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        labels.len(),
        files.len(),
        "the album holds its files: {labels:?}"
    );
    assert!(
        labels.iter().all(|(_, l)| l == "Cuebook Records"),
        "the tags now carry the label: {labels:?}"
    );
    assert_eq!(
        annotate::annotations(&lib, Target::Album(album))
            .unwrap()
            .rating,
        Some(5),
        "the album's annotations followed it"
    );
}
