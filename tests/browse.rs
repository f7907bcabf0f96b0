//! Browsing the reference collection as the app does: the album grid's headings and ranges under
//! every arrangement, the kind filter, and track listings sorted by each column.

mod common;

use cuebook::search::{
    album_groups, albums_range, search_tracks_in, AlbumQuery, Arrangement, TrackSort, TrackSortKey,
};
use cuebook::Library;

fn scanned() -> Option<(tempfile::TempDir, Library)> {
    let reference = common::reference("reference collection")?;
    let dir = tempfile::tempdir().unwrap();
    let root = reference.albums[0].dir.parent()?.parent()?.to_path_buf();
    let lib = common::library(dir.path(), &[&root]);
    common::scan(&lib);
    Some((dir, lib))
}

const ARRANGEMENTS: [Arrangement; 6] = [
    Arrangement::Title,
    Arrangement::Work,
    Arrangement::Composer,
    Arrangement::Label,
    Arrangement::Year,
    Arrangement::Added,
];

#[test]
fn every_arrangement_groups_all_52_albums_under_headings_that_match_their_ranges() {
    let Some((_dir, lib)) = scanned() else { return };
    for arrange in ARRANGEMENTS {
        let q = AlbumQuery {
            arrange,
            ..AlbumQuery::default()
        };
        let groups = album_groups(&lib, &q).unwrap();
        let total: i64 = groups.iter().map(|g| g.count).sum();
        assert_eq!(total, 52, "{arrange:?}: the headings hold every album once");
        let all = albums_range(&lib, &q, 0, 100).unwrap();
        assert_eq!(all.len(), 52, "{arrange:?}");
        // Ranges read in pieces give the same order as one read.
        let mut pieces = Vec::new();
        for offset in (0..52).step_by(7) {
            pieces.extend(albums_range(&lib, &q, offset, 7).unwrap());
        }
        assert_eq!(
            pieces.iter().map(|a| a.id).collect::<Vec<_>>(),
            all.iter().map(|a| a.id).collect::<Vec<_>>(),
            "{arrange:?}: ranges are stable"
        );
        let mut at = 0;
        for g in &groups {
            for album in &all[at..at + g.count as usize] {
                let expected = match arrange {
                    Arrangement::Composer => album.composer.clone(),
                    Arrangement::Label => album.label.clone(),
                    Arrangement::Work => album.work.clone(),
                    Arrangement::Year => album.year.map(|y| y.to_string()),
                    Arrangement::Title | Arrangement::Added => continue,
                };
                let label = expected.unwrap_or_default();
                assert!(
                    g.label == label || (label.is_empty() && !g.label.is_empty()),
                    "{arrange:?}: {:?} sits under {:?}",
                    album.title,
                    g.label
                );
            }
            at += g.count as usize;
        }
        let labels: Vec<&str> = groups.iter().map(|g| g.label.as_str()).collect();
        let mut unique = labels.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(
            unique.len(),
            labels.len(),
            "{arrange:?}: each heading's albums sit together: {labels:?}"
        );
    }
}

#[test]
fn composers_group_their_albums_and_years_run_newest_first() {
    let Some((_dir, lib)) = scanned() else { return };
    let by_composer = AlbumQuery {
        arrange: Arrangement::Composer,
        ..AlbumQuery::default()
    };
    let groups = album_groups(&lib, &by_composer).unwrap();
    let tiersen = groups
        .iter()
        .find(|g| g.label == "Yann Tiersen")
        .expect("Yann Tiersen has a heading");
    assert!(tiersen.count >= 1);
    let by_year = AlbumQuery {
        arrange: Arrangement::Year,
        ..AlbumQuery::default()
    };
    let years: Vec<i64> = albums_range(&lib, &by_year, 0, 100)
        .unwrap()
        .iter()
        .filter_map(|a| a.year)
        .collect();
    assert!(
        years.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {years:?}"
    );
}

#[test]
fn the_kind_filter_and_a_query_narrow_the_grid() {
    let Some((_dir, lib)) = scanned() else { return };
    let games = AlbumQuery {
        kind: Some("game".into()),
        ..AlbumQuery::default()
    };
    let rows = albums_range(&lib, &games, 0, 100).unwrap();
    assert!(!rows.is_empty(), "the reference has game soundtracks");
    assert!(
        rows.iter().all(|a| a.work_kind.as_deref() == Some("game")),
        "only games: {:?}",
        rows.iter().map(|a| &a.title).collect::<Vec<_>>()
    );
    let amelie = AlbumQuery {
        query: "amelie".into(),
        ..AlbumQuery::default()
    };
    let rows = albums_range(&lib, &amelie, 0, 100).unwrap();
    assert_eq!(rows.len(), 1, "one album matches amelie");
    assert!(rows[0].title.contains("Amélie"), "{}", rows[0].title);
    assert!(
        rows[0].cover_hash.is_some() || rows[0].tracks > 0,
        "a real album row"
    );
    let bad = AlbumQuery {
        query: "year:abc".into(),
        ..AlbumQuery::default()
    };
    assert!(album_groups(&lib, &bad).is_err(), "a bad query is an error");
}

#[test]
fn track_listings_sort_by_every_column_with_unknown_values_last() {
    let Some((_dir, lib)) = scanned() else { return };
    let conn = lib.reader().unwrap();
    for key in [
        TrackSortKey::Title,
        TrackSortKey::Composer,
        TrackSortKey::Year,
        TrackSortKey::Duration,
        TrackSortKey::Format,
        TrackSortKey::Added,
        TrackSortKey::Album,
    ] {
        for descending in [false, true] {
            let sort = TrackSort { key, descending };
            let page = search_tracks_in(&conn, "", sort, 500, 0).unwrap();
            assert_eq!(page.tracks.len(), 171, "{sort:?}: every track");
            let mut ids: Vec<i64> = page.tracks.iter().map(|t| t.id).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), 171, "{sort:?}: each track once");
            let mut paged = Vec::new();
            for offset in (0..171).step_by(50) {
                paged.extend(
                    search_tracks_in(&conn, "", sort, 50, offset)
                        .unwrap()
                        .tracks,
                );
            }
            assert_eq!(paged, page.tracks, "{sort:?}: pages agree with one read");
        }
    }
    let by_length = search_tracks_in(
        &conn,
        "",
        TrackSort {
            key: TrackSortKey::Duration,
            descending: true,
        },
        500,
        0,
    )
    .unwrap();
    let lengths: Vec<Option<i64>> = by_length.tracks.iter().map(|t| t.duration_ms).collect();
    let known: Vec<i64> = lengths.iter().map_while(|d| *d).collect();
    assert!(
        known.windows(2).all(|w| w[0] >= w[1]),
        "longest first: {known:?}"
    );
    assert!(
        lengths[known.len()..].iter().all(Option::is_none),
        "unknown lengths last"
    );
    let by_title = search_tracks_in(
        &conn,
        "",
        TrackSort {
            key: TrackSortKey::Title,
            descending: false,
        },
        500,
        0,
    )
    .unwrap();
    let titles: Vec<String> = by_title
        .tracks
        .iter()
        .filter_map(|t| t.title.as_ref().map(|s| s.to_lowercase()))
        .collect();
    let ascii: Vec<&String> = titles.iter().filter(|t| t.is_ascii()).collect();
    assert!(
        ascii.windows(2).all(|w| w[0] <= w[1]),
        "titles A to Z ignoring case"
    );
}
