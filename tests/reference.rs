//! The reference collection (../shared/library/soundtracks.json built as tagged files): albums,
//! discs, works, credits and order come out as a collector would file them, and search finds them.

mod common;

use std::collections::HashMap;

use common::reference_root;
use cuebook::catalog;
use cuebook::db::tracks::TrackRow;
use cuebook::search::{search_albums, search_tracks};
use cuebook::Library;
use cuebook_testkit::Reference;

fn scanned() -> Option<(tempfile::TempDir, Library, Reference)> {
    let reference = common::reference("reference collection")?;
    let dir = tempfile::tempdir().unwrap();
    let root = reference_root(&reference);
    let lib = common::library(dir.path(), &[&root]);
    let report = common::scan(&lib);
    assert_eq!(
        report.problems,
        0,
        "the reference collection has no broken files: {:?}",
        catalog::problems(&lib).unwrap()
    );
    Some((dir, lib, reference))
}

/// Titles of the albums matching a search.
fn album_titles(lib: &Library, q: &str) -> Vec<String> {
    search_albums(lib, q, 100, 0)
        .unwrap()
        .into_iter()
        .map(|a| a.title)
        .collect()
}

/// The album a track of the reference belongs to, by its file.
fn album_of(lib: &Library, path: &std::path::Path) -> i64 {
    let conn = lib.reader().unwrap();
    let id = cuebook::db::tracks::id_by_path(&conn, path)
        .unwrap()
        .unwrap_or_else(|| panic!("{} is cataloged", path.display()));
    cuebook::db::tracks::album_of(&conn, id).unwrap().unwrap()
}

#[test]
fn the_reference_collection_becomes_52_albums_of_171_tracks_in_order() {
    let Some((_dir, lib, reference)) = scanned() else {
        return;
    };
    assert_eq!(common::query_i64(&lib, "SELECT count(*) FROM tracks"), 171);
    assert_eq!(
        common::query_i64(&lib, "SELECT count(*) FROM albums"),
        52,
        "multi-disc sets are one album each"
    );
    let formats: Vec<String> = lib
        .reader()
        .unwrap()
        .prepare("SELECT DISTINCT format FROM tracks ORDER BY 1")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    eprintln!("formats in the reference collection: {formats:?}");

    for album in &reference.albums {
        let id = album_of(&lib, &album.tracks[0].path);
        let page = catalog::album_page(&lib, id).unwrap();
        assert_eq!(
            page.album.row.title, album.album,
            "album title of {}",
            album.key
        );
        assert_eq!(
            page.album.row.album_artist.as_deref(),
            Some(album.album_artist.as_str()),
            "album artist of {}",
            album.key
        );
        assert_eq!(
            page.album.row.year,
            Some(album.year as i64),
            "year of {}",
            album.key
        );
        assert_eq!(page.album.row.label, album.label, "label of {}", album.key);
        assert_eq!(
            page.album.catalog_numbers.first(),
            album.catalog_number.as_ref(),
            "catalog number of {}",
            album.key
        );
        assert_eq!(
            page.album.edition, album.edition,
            "edition of {}",
            album.key
        );
        if album.disc_count > 1 {
            assert_eq!(
                page.album.row.discs,
                Some(album.disc_count as i64),
                "disc count of {}",
                album.key
            );
        }
        // Disc and track order as the spec lists them.
        let got: Vec<(i64, i64, String)> = page
            .tracks
            .iter()
            .map(|t: &TrackRow| {
                (
                    t.disc_no.unwrap_or(1),
                    t.track_no.unwrap_or(0),
                    t.title.clone().unwrap_or_default(),
                )
            })
            .collect();
        let mut want: Vec<(i64, i64, String)> = album
            .tracks
            .iter()
            .map(|t| (t.disc as i64, t.n as i64, t.title.clone()))
            .collect();
        want.sort();
        assert_eq!(got, want, "tracks of {} in disc and track order", album.key);
        for t in &page.tracks {
            assert!(
                t.duration_ms.unwrap_or(0) > 0 && t.sample_rate.is_some(),
                "audio properties of {:?}",
                t.title
            );
        }
        for want in &album.composers {
            assert!(
                page.composers.contains(want),
                "composer {want} of {} in {:?}",
                album.key,
                page.composers
            );
        }
    }
}

#[test]
fn works_are_derived_from_album_titles_except_where_a_collector_sets_them() {
    let Some((_dir, lib, reference)) = scanned() else {
        return;
    };
    let mut wrong = Vec::new();
    for album in &reference.albums {
        let page = catalog::album_page(&lib, album_of(&lib, &album.tracks[0].path)).unwrap();
        if album.work_from_user {
            assert_ne!(
                page.album.row.work.as_deref(),
                Some(album.work.as_str()),
                "{}: the tags cannot name this work",
                album.key
            );
            continue;
        }
        if page.album.row.work.as_deref() != Some(album.work.as_str()) {
            wrong.push(format!(
                "{}: derived {:?}, expected {:?}",
                album.album, page.album.row.work, album.work
            ));
        }
        assert_eq!(
            page.album.work_year,
            Some(album.work_year as i64),
            "the work year of {} is its original date",
            album.key
        );
        if let Some(kind) = page.album.row.work_kind.as_deref() {
            let want = serde_json::to_value(album.kind).unwrap();
            assert_eq!(kind, want.as_str().unwrap(), "kind of {}", album.key);
        }
    }
    assert!(
        wrong.is_empty(),
        "works derived wrongly:\n{}",
        wrong.join("\n")
    );
    let game: Vec<String> = search_albums(&lib, "kind:game", 100, 0)
        .unwrap()
        .into_iter()
        .map(|a| a.title)
        .collect();
    assert_eq!(
        game,
        vec![
            "Final Fantasy VII Original Soundtrack",
            "Journey (Original Soundtrack)"
        ],
        "game albums are known by their genre"
    );
}

#[test]
fn non_ascii_names_survive_and_search_ignores_accents() {
    let Some((_dir, lib, _reference)) = scanned() else {
        return;
    };
    let titles = |q: &str| album_titles(&lib, q);
    assert_eq!(
        titles("amelie"),
        vec!["Le Fabuleux Destin d'Amélie Poulain (Bande originale du film)"],
        "amelie finds Amélie"
    );
    assert_eq!(
        titles("AMÉLIE"),
        titles("amelie"),
        "accents and case in the query do not matter either"
    );
    assert_eq!(
        titles("composer:植松伸夫"),
        vec!["Final Fantasy VII Original Soundtrack"]
    );
    assert_eq!(
        titles("goransson"),
        vec!["Black Panther (Original Score)"],
        "Göransson without the umlaut"
    );
    assert_eq!(
        titles("composer:zimm"),
        titles("composer:zimmer"),
        "the last word matches as a prefix while typing"
    );
}

#[test]
fn the_search_language_filters_by_field_year_format_and_negation() {
    let Some((_dir, lib, reference)) = scanned() else {
        return;
    };
    let albums = |q: &str| album_titles(&lib, q);
    let zimmer = albums("composer:zimmer");
    let want: Vec<&str> = reference
        .albums
        .iter()
        .filter(|a| a.composers.iter().any(|c| c.contains("Zimmer")))
        .map(|a| a.album.as_str())
        .collect();
    assert_eq!(
        zimmer.len(),
        want.len(),
        "composer:zimmer finds every Zimmer album: {zimmer:?}"
    );
    assert!(
        albums("composer:\"hans zimmer\"").len() == want.len(),
        "a quoted field phrase"
    );
    let seventies = albums("year:1970..1979");
    let want_70s = reference
        .albums
        .iter()
        .filter(|a| (1970..=1979).contains(&a.year))
        .count();
    assert_eq!(seventies.len(), want_70s, "year ranges: {seventies:?}");
    assert_eq!(
        albums("john williams -jaws").len(),
        albums("john williams").len() - 1,
        "negation removes Jaws"
    );
    assert_eq!(
        albums("label:\"walt disney\" year:..2000"),
        vec!["The Lion King (Original Motion Picture Soundtrack)"]
    );
    let phrase = search_tracks(&lib, "\"road to perdition\"", 100, 0).unwrap();
    assert_eq!(
        phrase.total, 3,
        "the phrase matches the album's three tracks (album title and one track title)"
    );
    let formats: HashMap<String, usize> =
        reference.tracks().fold(HashMap::new(), |mut m, (_, t)| {
            *m.entry(t.format.clone()).or_default() += 1;
            m
        });
    for (format, count) in formats {
        assert_eq!(
            search_tracks(&lib, &format!("format:{format}"), 1, 0)
                .unwrap()
                .total as usize,
            count,
            "format:{format}"
        );
    }
    assert_eq!(search_tracks(&lib, "missing:yes", 1, 0).unwrap().total, 0);
    assert!(
        search_tracks(&lib, "year:abc", 1, 0).is_err(),
        "a bad year is an error, not an empty result"
    );
    assert_eq!(
        albums("\"AND OR NOT\" NEAR"),
        Vec::<String>::new(),
        "FTS operators in user text are plain words"
    );
}

#[test]
fn both_search_plans_give_the_same_pages_and_counts_add_up() {
    let Some((_dir, lib, _reference)) = scanned() else {
        return;
    };
    let conn = lib.reader().unwrap();
    let all = search_tracks(&lib, "", 1, 0).unwrap().total;
    assert_eq!(all, 171);
    for text in [
        "",
        "the",
        "john",
        "year:1990..",
        "-year:1990..1999",
        "kind:film",
        "-kind:game",
        "format:flac",
        "orchestra -year:..1980",
    ] {
        let q = cuebook::search::parse(text).unwrap();
        let total = cuebook::db::search::count_tracks(&conn, &q).unwrap();
        // A match count of 1 makes walking the listing index look dear, so the matches are
        // fetched and sorted; an enormous one makes the walk look cheap.
        let sorted = |limit, offset| {
            cuebook::db::search::tracks(&conn, &q, 1, Default::default(), limit, offset).unwrap()
        };
        let walked = |limit, offset| {
            cuebook::db::search::tracks(&conn, &q, i64::MAX, Default::default(), limit, offset)
                .unwrap()
        };
        let everything = sorted(1000, 0);
        assert_eq!(
            everything.len() as i64,
            total,
            "{text:?}: the count is the rows"
        );
        assert_eq!(
            walked(1000, 0),
            everything,
            "{text:?}: the walk lists the same"
        );
        for (limit, offset) in [(20, 0), (20, 7), (50, 50)] {
            assert_eq!(
                walked(limit, offset),
                sorted(limit, offset),
                "{text:?}: page {limit} at {offset}"
            );
        }
    }
    let count = |q: &str| search_tracks(&lib, q, 1, 0).unwrap().total;
    assert!(count("year:1970..1979") > 0 && count("kind:film") > 0);
    assert_eq!(
        count("year:1970..1979") + count("-year:1970..1979"),
        all,
        "a track without a year is outside every range"
    );
    assert_eq!(count("kind:film") + count("-kind:film"), all);
}

#[test]
fn a_scan_reports_throttled_progress_through_the_event_sink() {
    let Some(reference) = common::reference("scan progress") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = reference_root(&reference);
    let lib = common::library(dir.path(), &[&root]);
    let (report, events) = common::scan_with_events(&lib);
    use cuebook::events::{Event, ScanPhase};
    let progress: Vec<_> = events
        .iter()
        .map(|e| match e {
            Event::ScanProgress(p) => p.clone(),
            #[allow(unreachable_patterns)]
            _ => unreachable!(),
        })
        .collect();
    let phases: Vec<ScanPhase> = progress.iter().map(|p| p.phase).collect();
    assert_eq!(phases.first(), Some(&ScanPhase::Walking));
    assert!(phases.contains(&ScanPhase::Reading) && phases.contains(&ScanPhase::Finishing));
    assert_eq!(phases.last(), Some(&ScanPhase::Done));
    let last = progress.last().unwrap();
    assert_eq!(
        (last.seen, last.to_read, last.done),
        (171, 171, 171),
        "the final event counts every file"
    );
    assert!(
        progress.len() < 60,
        "events are throttled (~10 Hz), got {} for a {} ms scan",
        progress.len(),
        report.elapsed_ms
    );
}
