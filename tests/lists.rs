//! Lists on the reference collection: entries follow their albums and tracks through moves and
//! rescans, ranks follow the order, smart lists stay live, wishlist placeholders are resolved when
//! a scan brings their album in, backups carry lists, and every export format that can be read
//! back gives the same list (ranks and notes included). Hostile files create nothing.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use common::{copied_reference, ids, reference_root};
use cuebook::annotate::{self, backup, Target};
use cuebook::lists::exchange::{self, ExportOptions, Format, ImportOptions, Progress, Source};
use cuebook::lists::{self, EntryKind, Item, ListChange, ListPage, Ranking, SmartQuery};
use cuebook::search::TrackSort;
use cuebook::Library;
use cuebook_testkit::Reference;

fn album_titled(lib: &Library, title: &str) -> i64 {
    let found = ids(lib, "SELECT id, title FROM albums ORDER BY id");
    found
        .iter()
        .find(|(_, t)| t == title)
        .unwrap_or_else(|| panic!("no album {title:?} in {found:?}"))
        .0
}

fn first_track(lib: &Library, album: i64) -> (i64, String) {
    ids(
        lib,
        &format!(
            "SELECT id, coalesce(title, '') FROM tracks WHERE album_id = {album}
             ORDER BY coalesce(disc_no, 1), track_no LIMIT 1"
        ),
    )
    .remove(0)
}

/// What a list shows, comparable across catalogs and imports.
fn shape(page: &ListPage) -> Vec<(Option<u32>, EntryKind, String, Option<String>)> {
    page.entries
        .iter()
        .map(|e| (e.rank, e.kind, e.title.clone(), e.note.clone()))
        .collect()
}

fn no_progress() -> impl Fn(&Progress) + Sync {
    |_: &Progress| {}
}

/// A countdown of three albums, a track and a wishlist entry, with notes.
fn sample_list(lib: &Library, reference: &Reference) -> i64 {
    let albums: Vec<i64> = reference.albums[..3]
        .iter()
        .map(|a| album_titled(lib, &a.album))
        .collect();
    let (track, _) = first_track(lib, albums[0]);
    let list = lists::create(lib, "Desert island scores", Ranking::Descending).unwrap();
    let items = vec![
        Item::Album {
            id: albums[0],
            note: Some(
                "## Why\n\nThe *theme* — and the 1992 pressing.\n\n# not a heading in M3U".into(),
            ),
        },
        Item::Track {
            id: track,
            note: Some("=1+1 and a \"quoted\", comma".into()),
        },
        Item::Album {
            id: albums[1],
            note: None,
        },
        Item::Placeholder {
            title: "Le Samouraï".into(),
            artist: Some("François de Roubaix".into()),
            year: Some(1967),
            note: Some("Still looking for the 2001 CD.".into()),
        },
        Item::Album {
            id: albums[2],
            note: Some("Line one\nLine two".into()),
        },
    ];
    let added = lists::add(lib, list.id, &items, None).unwrap();
    assert_eq!(added.len(), 5, "every distinct item is added");
    lists::update(
        lib,
        list.id,
        &ListChange {
            note: Some("Five I would keep.".into()),
            ..ListChange::default()
        },
    )
    .unwrap();
    list.id
}

#[test]
fn entries_are_ordered_ranked_and_follow_their_albums_through_a_move() {
    let Some((dir, root, lib, reference)) = copied_reference("lists_follow_albums") else {
        return;
    };
    let id = sample_list(&lib, &reference);
    let page = lists::page(&lib, id).unwrap();
    let ranks: Vec<Option<u32>> = page.entries.iter().map(|e| e.rank).collect();
    assert_eq!(
        ranks,
        vec![Some(5), Some(4), Some(3), Some(2), Some(1)],
        "a descending list counts down to 1"
    );
    assert_eq!(page.entries[3].kind, EntryKind::Placeholder);
    assert!(!page.entries[3].available, "a wishlist entry is not owned");
    assert!(page
        .entries
        .iter()
        .enumerate()
        .all(|(i, e)| i == 3 || e.available));

    // Adding the same album again adds nothing; adding before an entry inserts there.
    let again = lists::add(
        &lib,
        id,
        &[Item::Album {
            id: page.entries[0].album_id.unwrap(),
            note: None,
        }],
        None,
    )
    .unwrap();
    assert!(
        again.is_empty(),
        "an album already in the list is not added twice"
    );

    // Move the last entry to the top, then the top two to the end.
    let eid: Vec<i64> = page.entries.iter().map(|e| e.id.unwrap()).collect();
    lists::move_entries(&lib, id, &[eid[4]], Some(eid[0])).unwrap();
    let order: Vec<i64> = lists::page(&lib, id)
        .unwrap()
        .entries
        .iter()
        .map(|e| e.id.unwrap())
        .collect();
    assert_eq!(
        order,
        vec![eid[4], eid[0], eid[1], eid[2], eid[3]],
        "moved to the top"
    );
    lists::move_entries(&lib, id, &[eid[0], eid[4]], None).unwrap();
    let moved = lists::page(&lib, id).unwrap();
    let order: Vec<i64> = moved.entries.iter().map(|e| e.id.unwrap()).collect();
    assert_eq!(
        order,
        vec![eid[1], eid[2], eid[3], eid[4], eid[0]],
        "a selection moves in list order"
    );
    assert_eq!(
        moved.entries[0].rank,
        Some(5),
        "ranks follow positions, not entries"
    );

    // Move every album folder somewhere else and rescan: the entries follow.
    let before = shape(&moved);
    let elsewhere = dir.path().join("moved");
    std::fs::rename(&root, &elsewhere).unwrap();
    cuebook::catalog::remove_root(&lib, &root).unwrap();
    cuebook::catalog::add_root(&lib, &elsewhere).unwrap();
    common::scan(&lib);
    let after = lists::page(&lib, id).unwrap();
    assert_eq!(
        shape(&after),
        before,
        "a move and rescan change nothing in the list"
    );
    assert!(
        after
            .entries
            .iter()
            .filter(|e| e.kind != EntryKind::Placeholder)
            .all(|e| e.available),
        "every owned entry found its files again"
    );

    // Duplicating copies entries and notes; deleting the copy keeps the original and the albums' annotations.
    annotate::rate(
        &lib,
        &[Target::Album(after.entries[0].album_id.unwrap())],
        Some(4),
    )
    .unwrap();
    let copy = lists::duplicate(&lib, id).unwrap();
    assert_eq!(copy.name, "Desert island scores (copy)");
    assert_eq!(shape(&lists::page(&lib, copy.id).unwrap()), shape(&after));
    lists::delete(&lib, copy.id).unwrap();
    assert_eq!(shape(&lists::page(&lib, id).unwrap()), shape(&after));
    assert_eq!(
        annotate::annotations(&lib, Target::Album(after.entries[0].album_id.unwrap()))
            .unwrap()
            .rating,
        Some(4),
        "deleting a list keeps what the albums carry"
    );
    assert!(
        lists::add(
            &lib,
            id,
            &[Item::Album {
                id: 999_999,
                note: None
            }],
            None
        )
        .is_err(),
        "an unknown album is refused"
    );
}

#[test]
fn forgetting_an_orphan_keeps_its_entry_as_a_placeholder() {
    let Some((_dir, root, lib, reference)) = copied_reference("lists_forget") else {
        return;
    };
    let album = &reference.albums[0];
    let album_id = album_titled(&lib, &album.album);
    let list = lists::create(&lib, "Keep", Ranking::None).unwrap();
    lists::add(
        &lib,
        list.id,
        &[Item::Album {
            id: album_id,
            note: Some("mine".into()),
        }],
        None,
    )
    .unwrap();
    // Its files leave the library: the entry stays, marked unavailable, with its title.
    let rel = album.dir.strip_prefix(reference_root(&reference)).unwrap();
    std::fs::remove_dir_all(root.join(rel)).unwrap();
    common::scan(&lib);
    let page = lists::page(&lib, list.id).unwrap();
    assert_eq!(page.entries.len(), 1);
    assert_eq!(
        page.entries[0].title, album.album,
        "the entry keeps the album's title"
    );
    assert_eq!(page.entries[0].kind, EntryKind::Album);
    assert!(!page.entries[0].available, "its files are gone");
    // The folder leaves the library: the album row goes, the entry stays with what it showed.
    cuebook::catalog::remove_root(&lib, &root).unwrap();
    let page = lists::page(&lib, list.id).unwrap();
    assert_eq!(
        page.entries[0].title, album.album,
        "an orphaned entry keeps its title"
    );
    assert_eq!(page.entries[0].kind, EntryKind::Album);
    assert_eq!(
        page.entries[0].album_id, None,
        "it is attached to nothing now"
    );
    // The collector forgets the orphan: the entry becomes a wishlist placeholder.
    let orphan = annotate::orphans(&lib)
        .unwrap()
        .into_iter()
        .find(|o| o.kind == cuebook::db::subjects::Kind::Album && o.was.contains(&album.album))
        .expect("the list entry keeps the album's subject as an orphan");
    annotate::forget(&lib, orphan.subject_id).unwrap();
    let page = lists::page(&lib, list.id).unwrap();
    assert_eq!(page.entries[0].kind, EntryKind::Placeholder);
    assert_eq!(page.entries[0].title, album.album);
    assert_eq!(
        page.entries[0].note.as_deref(),
        Some("mine"),
        "the note stays"
    );
}

#[test]
fn a_smart_list_stays_live() {
    let Some((_dir, _root, lib, reference)) = copied_reference("lists_smart") else {
        return;
    };
    let tracks = lists::create_smart(
        &lib,
        "Five stars",
        &SmartQuery::Tracks {
            query: "rating:5".into(),
            sort: TrackSort::default(),
            limit: None,
        },
    )
    .unwrap();
    assert!(
        lists::page(&lib, tracks.id).unwrap().entries.is_empty(),
        "nothing rated yet"
    );
    let album = album_titled(&lib, &reference.albums[1].album);
    let (track, title) = first_track(&lib, album);
    annotate::rate(&lib, &[Target::Track(track)], Some(5)).unwrap();
    let page = lists::page(&lib, tracks.id).unwrap();
    assert_eq!(page.entries.len(), 1, "the rated track appears at once");
    assert_eq!(page.entries[0].title, title);
    assert!(
        lists::add(
            &lib,
            tracks.id,
            &[Item::Track {
                id: track,
                note: None
            }],
            None
        )
        .is_err(),
        "a smart list's entries come from its query"
    );
    let albums = lists::create_smart(
        &lib,
        "Limited",
        &SmartQuery::Albums {
            query: String::new(),
            arrange: Default::default(),
            kind: None,
            limit: Some(7),
        },
    )
    .unwrap();
    let page = lists::page(&lib, albums.id).unwrap();
    assert_eq!(page.entries.len(), 7, "a limit bounds the entries");
    assert_eq!(page.total, 7);
    assert!(
        lists::create_smart(
            &lib,
            "Bad",
            &SmartQuery::Tracks {
                query: "year:abc".into(),
                sort: TrackSort::default(),
                limit: None
            }
        )
        .is_err(),
        "a query that does not parse is refused"
    );
    // A saved search that stops parsing (a later version's language, an edited backup) keeps its
    // list, which says why it finds nothing and can be given a new search.
    lib.writer()
        .unwrap()
        .execute(
            "UPDATE lists SET query = '{\"scope\":\"tracks\",\"query\":\"year:abc\"}' WHERE id = ?1",
            [tracks.id],
        )
        .unwrap();
    let page = lists::page(&lib, tracks.id).unwrap();
    assert!(page.entries.is_empty());
    assert!(
        page.query_error
            .as_deref()
            .is_some_and(|e| e.contains("year")),
        "{:?}",
        page.query_error
    );
    let fixed = lists::update(
        &lib,
        tracks.id,
        &ListChange {
            query: Some(SmartQuery::Tracks {
                query: "rating:5".into(),
                sort: TrackSort::default(),
                limit: None,
            }),
            ..ListChange::default()
        },
    )
    .unwrap();
    assert!(fixed.query.is_some());
    assert_eq!(
        lists::page(&lib, tracks.id).unwrap().entries.len(),
        1,
        "live again"
    );
}

#[test]
fn a_scan_that_brings_a_wished_album_offers_to_resolve_it() {
    let Some(reference) = common::reference("lists_wishlist") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("music");
    common::copy_tree(&reference_root(&reference), &root);
    // Hide one album from the first scan.
    let wished = &reference.albums[5];
    let rel = wished.dir.strip_prefix(reference_root(&reference)).unwrap();
    let hidden = dir.path().join("later");
    std::fs::rename(root.join(rel), &hidden).unwrap();
    let lib = common::library(&dir.path().join("db"), &[&root]);
    common::scan(&lib);
    let list = lists::create(&lib, "To buy", Ranking::Ascending).unwrap();
    let artist = wished
        .composers
        .first()
        .cloned()
        .unwrap_or(wished.album_artist.clone());
    lists::add(
        &lib,
        list.id,
        &[
            Item::Placeholder {
                title: wished.work.clone(),
                artist: Some(artist.to_uppercase()),
                year: Some(i64::from(wished.year)),
                note: Some("wanted since 2019".into()),
            },
            Item::Placeholder {
                title: "An Album Nobody Has".into(),
                artist: None,
                year: None,
                note: None,
            },
        ],
        None,
    )
    .unwrap();
    assert!(
        lists::resolutions(&lib).unwrap().is_empty(),
        "nothing matches yet"
    );
    std::fs::rename(&hidden, root.join(rel)).unwrap();
    let report = common::scan(&lib);
    assert_eq!(
        report.wishlist_matches, 1,
        "the scan reports the wished album"
    );
    let found = lists::resolutions(&lib).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].album_title, wished.album);
    // Declining hides it; accepting (on a fresh entry) turns the placeholder into the album.
    lists::decline(&lib, found[0].entry_id, found[0].album_id).unwrap();
    assert!(
        lists::resolutions(&lib).unwrap().is_empty(),
        "a declined album is not offered again"
    );
    let entry = lists::resolve(&lib, found[0].entry_id, found[0].album_id).unwrap();
    assert_eq!(entry.kind, EntryKind::Album);
    assert_eq!(entry.album_id, Some(found[0].album_id));
    assert_eq!(
        entry.note.as_deref(),
        Some("wanted since 2019"),
        "the note stays"
    );
    assert_eq!(entry.rank, None, "entries alone carry no rank");
    let page = lists::page(&lib, list.id).unwrap();
    assert_eq!(page.entries[0].rank, Some(1), "it keeps its place");
    assert_eq!(page.entries[1].kind, EntryKind::Placeholder);
}

#[test]
fn backup_and_restore_carry_lists() {
    let Some((dir, root, lib, reference)) = copied_reference("lists_backup") else {
        return;
    };
    let id = sample_list(&lib, &reference);
    lists::create_smart(
        &lib,
        "Smart",
        &SmartQuery::Tracks {
            query: "composer:williams".into(),
            sort: TrackSort::default(),
            limit: Some(10),
        },
    )
    .unwrap();
    let before = shape(&lists::page(&lib, id).unwrap());
    let file = dir.path().join("backup.json");
    backup::write(&lib, &file).unwrap();

    // A fresh catalog: restore before the first scan, then scan; the list comes back whole.
    let fresh = common::library(&dir.path().join("fresh"), &[&root]);
    let report = backup::restore(&fresh, &file).unwrap();
    assert_eq!(report.lists_created, 2, "{report:?}");
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    common::scan(&fresh);
    let all = lists::lists(&fresh).unwrap();
    let restored = all
        .iter()
        .find(|l| l.name == "Desert island scores")
        .unwrap();
    assert_eq!(shape(&lists::page(&fresh, restored.id).unwrap()), before);
    assert!(
        all.iter().any(|l| l.name == "Smart" && l.smart),
        "smart lists are restored"
    );
    let page = lists::page(&fresh, restored.id).unwrap();
    assert!(
        page.entries
            .iter()
            .filter(|e| e.kind != EntryKind::Placeholder)
            .all(|e| e.available),
        "restored entries attach to the scanned albums"
    );
    assert_eq!(page.list.note.as_deref(), Some("Five I would keep."));

    // Restoring again changes nothing: the same list takes the backup's entries, no copy appears.
    let again = backup::restore(&fresh, &file).unwrap();
    assert_eq!(
        (again.lists_created, again.lists_updated),
        (0, 2),
        "{again:?}"
    );
    assert_eq!(lists::lists(&fresh).unwrap().len(), 2);
    assert_eq!(shape(&lists::page(&fresh, restored.id).unwrap()), before);
}

fn export_to(lib: &Library, id: i64, format: Format, path: &Path, options: ExportOptions) {
    let events = Mutex::new(Vec::new());
    let report = exchange::export(
        lib,
        &Source::List { id },
        format,
        path,
        options,
        &|p: &Progress| events.lock().unwrap().push(p.clone()),
        &AtomicBool::new(false),
    )
    .unwrap_or_else(|e| panic!("{format:?} export: {e}"));
    assert_eq!(report.entries, 5);
    let events = events.into_inner().unwrap();
    assert_eq!(
        events.last().map(|p| p.phase),
        Some("done"),
        "progress ends with done"
    );
    assert!(
        events.iter().any(|p| p.phase == "gathering"),
        "progress reports gathering"
    );
}

fn import_from(lib: &Library, path: &Path) -> exchange::ImportReport {
    exchange::import(
        lib,
        path,
        &ImportOptions::default(),
        &no_progress(),
        &AtomicBool::new(false),
    )
    .unwrap_or_else(|e| panic!("import of {}: {e}", path.display()))
}

#[test]
fn export_then_import_gives_the_same_list() {
    let Some((dir, _root, lib, reference)) = copied_reference("lists_round_trip") else {
        return;
    };
    let id = sample_list(&lib, &reference);
    let original = lists::page(&lib, id).unwrap();
    let out = dir.path().join("exports");
    std::fs::create_dir_all(&out).unwrap();
    for (format, options) in [
        (Format::Json, ExportOptions::default()),
        (
            Format::Csv,
            ExportOptions {
                bom: true,
                relative_paths: false,
            },
        ),
        (
            Format::M3u8,
            ExportOptions {
                bom: false,
                relative_paths: true,
            },
        ),
        (Format::M3u8, ExportOptions::default()),
        (Format::Xspf, ExportOptions::default()),
    ] {
        let path = out.join(format!(
            "list-{}.{}",
            u8::from(options.relative_paths),
            format.extension()
        ));
        export_to(&lib, id, format, &path, options);
        let report = import_from(&lib, &path);
        assert_eq!(
            (report.albums, report.tracks, report.placeholders),
            (3, 1, 1),
            "{format:?}: every entry is found again as what it was: {report:?}"
        );
        let back = lists::page(&lib, report.list.id).unwrap();
        assert_eq!(shape(&back), shape(&original), "{format:?} round trip");
        assert_eq!(
            back.list.ranking,
            Ranking::Descending,
            "{format:?} keeps the ranking"
        );
        if format == Format::Csv {
            assert_eq!(
                back.list.name, "list-0",
                "a CSV has no title: the file names the list"
            );
        } else {
            assert_eq!(
                back.list.name, "Desert island scores",
                "{format:?} keeps the title"
            );
        }
        let ids = |p: &ListPage| {
            p.entries
                .iter()
                .map(|e| (e.album_id, e.track_id))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(&back),
            ids(&original),
            "{format:?}: the same albums and tracks"
        );
        if format != Format::Csv {
            assert_eq!(
                back.list.note, original.list.note,
                "{format:?} keeps the list's note"
            );
        }
        lists::delete(&lib, report.list.id).unwrap();
    }
    // Markdown and HTML are for reading: every title and note is there, and HTML is self-contained.
    for format in [Format::Markdown, Format::Html] {
        let path = out.join(format!("list.{}", format.extension()));
        export_to(&lib, id, format, &path, ExportOptions::default());
        let text = std::fs::read_to_string(&path).unwrap();
        for e in &original.entries {
            let title = if format == Format::Html {
                e.title.replace('&', "&amp;").replace('\'', "&#39;")
            } else {
                e.title.clone()
            };
            assert!(
                text.contains(&title) || text.contains(&e.title.replace('\'', "&#x27;")),
                "{format:?} shows {:?}",
                e.title
            );
        }
        if format == Format::Html {
            assert!(!text.contains("src=\"http"), "no remote resources");
            assert!(text.contains("@media print"), "a print stylesheet");
        }
    }
}

#[test]
fn a_cancelled_export_leaves_no_file() {
    let Some((dir, _root, lib, reference)) = copied_reference("lists_cancel") else {
        return;
    };
    let id = sample_list(&lib, &reference);
    let path = dir.path().join("never.html");
    let err = exchange::export(
        &lib,
        &Source::List { id },
        Format::Html,
        &path,
        ExportOptions::default(),
        &no_progress(),
        &AtomicBool::new(true),
    )
    .expect_err("a cancelled export fails");
    assert!(matches!(err, lists::ListError::Cancelled), "{err}");
    assert!(!path.exists(), "nothing is written");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".cuebook-export")
        })
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left");
}

#[test]
fn a_whole_catalog_and_a_search_export_as_playlists() {
    let Some((dir, _root, lib, _reference)) = copied_reference("lists_catalog_export") else {
        return;
    };
    let path = dir.path().join("all.m3u8");
    let report = exchange::export(
        &lib,
        &Source::Catalog,
        Format::M3u8,
        &path,
        ExportOptions::default(),
        &no_progress(),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(report.entries, 52, "every album");
    assert_eq!(report.files, 171, "every track of every album");
    let text = std::fs::read_to_string(&path).unwrap();
    let paths = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .count();
    assert_eq!(paths, 171, "one path line per file");
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        assert!(Path::new(line).is_file(), "{line} is a real file");
    }
    let report = exchange::export(
        &lib,
        &Source::Query {
            query: SmartQuery::Tracks {
                query: "composer:williams".into(),
                sort: TrackSort::default(),
                limit: None,
            },
        },
        Format::Csv,
        &dir.path().join("williams.csv"),
        ExportOptions::default(),
        &no_progress(),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert!(report.entries > 0, "the search found tracks");
    assert_eq!(report.entries, report.files, "a track per row");
}

#[test]
fn hostile_files_are_refused_and_create_nothing() {
    let Some((dir, root, lib, reference)) = copied_reference("lists_hostile") else {
        return;
    };
    let files = dir.path().join("hostile");
    std::fs::create_dir_all(&files).unwrap();
    let huge = files.join("huge.m3u8");
    {
        let f = std::fs::File::create(&huge).unwrap();
        f.set_len(65 * 1024 * 1024).unwrap();
    }
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("garbage.m3u8", (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect()),
        ("binary.xspf", b"\x00\x01\x02PK\x03\x04\x00\x00".repeat(100)),
        ("broken.xspf", b"<?xml version=\"1.0\"?><playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\"><trackList><track><title>x</title>".to_vec()),
        ("bomb.xspf", b"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]><playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\"><title>&lol2;</title><trackList/></playlist>".to_vec()),
        ("quotes.csv", b"title,artist\n\"unterminated,x\n".to_vec()),
        ("empty.m3u", Vec::new()),
        ("notes.txt", b"just some words".to_vec()),
    ];
    let before = lists::lists(&lib).unwrap().len();
    for (name, bytes) in &cases {
        let path = files.join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = exchange::import(
            &lib,
            &path,
            &ImportOptions::default(),
            &no_progress(),
            &AtomicBool::new(false),
        )
        .expect_err(name);
        let msg = err.to_string();
        assert!(msg.contains(name), "the message names the file: {msg}");
        assert!(msg.len() < 400, "the message is short: {msg}");
    }
    let err = exchange::import(
        &lib,
        &huge,
        &ImportOptions::default(),
        &no_progress(),
        &AtomicBool::new(false),
    )
    .expect_err("a 65 MiB playlist is refused");
    assert!(err.to_string().contains("64 MiB"), "{err}");
    assert_eq!(
        lists::lists(&lib).unwrap().len(),
        before,
        "nothing was created"
    );

    // Traversal, CRLF, a BOM and Latin-1 text: read, with every path resolved lexically and only
    // catalog files matched.
    let album = &reference.albums[0];
    let rel = album.dir.strip_prefix(reference_root(&reference)).unwrap();
    let first = std::fs::read_dir(root.join(rel))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| cuebook::catalog::tags::has_audio_extension(p))
        .min()
        .unwrap();
    let from_playlist = pathdiff(&first, &files);
    let mut m3u = b"\xEF\xBB\xBF#EXTM3U\r\n#EXTINF:10,Caf\xE9 - ".to_vec();
    m3u.extend_from_slice(b"Latin-1 title\r\n../../../../../../etc/passwd\r\n#EXTINF:5,Real\r\n");
    m3u.extend_from_slice(from_playlist.as_os_str().as_encoded_bytes());
    m3u.extend_from_slice(b"\r\n");
    let path = files.join("mixed.m3u");
    std::fs::write(&path, &m3u).unwrap();
    let report = import_from(&lib, &path);
    assert_eq!(
        report.tracks, 1,
        "the relative path resolves to the catalog's file: {report:?}"
    );
    assert_eq!(
        report.placeholders, 1,
        "the traversal path is only a wish: {report:?}"
    );
    let page = lists::page(&lib, report.list.id).unwrap();
    assert_eq!(
        page.entries[0].title, "Latin-1 title",
        "{:?}",
        page.entries[0]
    );
    assert_eq!(
        page.entries[0].artist.as_deref(),
        Some("Café"),
        "Latin-1 is decoded"
    );
    assert_eq!(page.list.name, "mixed", "the file name names the list");
}

/// `target` relative to the folder `base` (both absolute).
fn pathdiff(target: &Path, base: &Path) -> PathBuf {
    let t: Vec<_> = target.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    out
}

#[test]
fn a_csv_from_a_spreadsheet_maps_its_columns() {
    let Some((dir, _root, lib, reference)) = copied_reference("lists_csv_mapping") else {
        return;
    };
    let a = &reference.albums[2];
    let composer = a
        .composers
        .first()
        .cloned()
        .unwrap_or(a.album_artist.clone());
    let csv = format!(
        "Pos;Film;Composer;Year;Comment\r\n1;\"{}\";{};{};\"best, by far\"\r\n2;Nothing Like This;Nobody;1999;\r\n",
        a.album.replace('"', "\"\""),
        composer,
        a.year
    );
    let path = dir.path().join("spreadsheet.csv");
    std::fs::write(&path, csv).unwrap();
    let preview = exchange::csv_preview(&path).unwrap();
    assert_eq!(
        preview.headers,
        vec!["Pos", "Film", "Composer", "Year", "Comment"]
    );
    let mut mapping = preview.suggested.clone();
    mapping.title = Some(1);
    let report = exchange::import(
        &lib,
        &path,
        &ImportOptions {
            name: Some("From a spreadsheet".into()),
            mapping: Some(mapping),
        },
        &no_progress(),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!((report.albums, report.placeholders), (1, 1), "{report:?}");
    let page = lists::page(&lib, report.list.id).unwrap();
    assert_eq!(page.list.name, "From a spreadsheet");
    assert_eq!(
        page.list.ranking,
        Ranking::Ascending,
        "a Pos column of 1, 2 ranks the list"
    );
    assert_eq!(page.entries[0].note.as_deref(), Some("best, by far"));
    assert_eq!(page.entries[1].title, "Nothing Like This");
    assert_eq!(page.entries[1].year, Some(1999));
}
