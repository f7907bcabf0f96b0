//! `--lists`: lists, exports and imports at collector scale on a copy of a generated catalog.
//! Building a 1,000-entry list, opening it, reordering in it, a live smart list, exporting the
//! whole catalog to every format (with peak memory), importing the catalog's own M3U8 and CSV
//! back (every path matched against the catalog), and wishlist matching after a scan.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::{bail, Result};
use serde::Serialize;

use cuebook::lists::exchange::{self, ExportOptions, Format, ImportOptions, Source};
use cuebook::lists::{self, Item, Ranking, SmartQuery};
use cuebook::search::TrackSort;
use cuebook::Library;

#[derive(Serialize, Default)]
pub struct Report {
    pub tracks: i64,
    pub albums: i64,
    pub list_entries: usize,
    pub add_entries_secs: f64,
    pub open_list_ms_p50: f64,
    pub open_list_ms_max: f64,
    pub move_one_ms_p50: f64,
    pub move_one_ms_max: f64,
    pub smart_tracks_ms: f64,
    pub smart_albums_ms: f64,
    /// Whole catalog, every format: (format, seconds, megabytes written).
    pub export_catalog: Vec<(String, f64, f64)>,
    pub export_peak_rss_mb: f64,
    pub import_m3u8_secs: f64,
    pub import_m3u8_entries: usize,
    pub import_csv_secs: f64,
    pub import_csv_entries: usize,
    pub wishlist_placeholders: usize,
    pub resolutions_ms: f64,
}

fn ids(lib: &Library, sql: &str) -> Result<Vec<i64>> {
    let conn = lib.reader()?;
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(((v.len() as f64 - 1.0) * p).round() as usize)
        .copied()
        .unwrap_or(0.0)
}

pub fn run(catalog_db: &Path, out: &Path, repeat: usize) -> Result<Report> {
    if !catalog_db.is_file() {
        bail!(
            "no catalog at {}: run `make bench` (or `make bench-app`) first to generate one",
            catalog_db.display()
        );
    }
    let mut r = Report::default();
    let lib = crate::annotate::copy_catalog(catalog_db, &out.join("lists.sqlite"))?;
    let conn = lib.reader()?;
    r.tracks = conn.query_row("SELECT count(*) FROM tracks", [], |x| x.get(0))?;
    r.albums = conn.query_row("SELECT count(*) FROM albums", [], |x| x.get(0))?;
    drop(conn);
    let never = AtomicBool::new(false);
    let quiet = |_: &exchange::Progress| {};

    eprintln!("a list of 500 albums and 500 tracks …");
    let albums = ids(&lib, "SELECT id FROM albums ORDER BY id LIMIT 500")?;
    let tracks = ids(
        &lib,
        "SELECT id FROM tracks WHERE id % 97 = 0 ORDER BY id LIMIT 500",
    )?;
    let mut items: Vec<Item> = Vec::new();
    for (i, (&a, &t)) in albums.iter().zip(&tracks).enumerate() {
        items.push(Item::Album {
            id: a,
            note: Some(format!("## {i}\n\nThe *brass* at 1:42.")),
        });
        items.push(Item::Track { id: t, note: None });
    }
    let list = lists::create(&lib, "Bench list", Ranking::Descending)?;
    let started = Instant::now();
    let added = lists::add(&lib, list.id, &items, None)?;
    r.add_entries_secs = started.elapsed().as_secs_f64();
    r.list_entries = added.len();

    let mut open = Vec::new();
    for _ in 0..repeat.max(3) {
        let started = Instant::now();
        let page = lists::page(&lib, list.id)?;
        open.push(started.elapsed().as_secs_f64() * 1000.0);
        if page.entries.len() != added.len() {
            bail!(
                "the list shows {} of {} entries",
                page.entries.len(),
                added.len()
            );
        }
    }
    r.open_list_ms_p50 = percentile(open.clone(), 0.5);
    r.open_list_ms_max = percentile(open, 1.0);
    let mut moves = Vec::new();
    for i in 0..repeat.max(3) {
        let from = added[(i * 37) % added.len()];
        let before = added[(i * 53 + 1) % added.len()];
        let started = Instant::now();
        lists::move_entries(&lib, list.id, &[from], Some(before))?;
        moves.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    r.move_one_ms_p50 = percentile(moves.clone(), 0.5);
    r.move_one_ms_max = percentile(moves, 1.0);

    let smart = lists::create_smart(
        &lib,
        "Smart tracks",
        &SmartQuery::Tracks {
            query: "year:1990..1999".into(),
            sort: TrackSort::default(),
            limit: None,
        },
    )?;
    let started = Instant::now();
    lists::page(&lib, smart.id)?;
    r.smart_tracks_ms = started.elapsed().as_secs_f64() * 1000.0;
    let smart = lists::create_smart(
        &lib,
        "Smart albums",
        &SmartQuery::Albums {
            query: "year:1990..1999".into(),
            arrange: Default::default(),
            kind: None,
            limit: None,
        },
    )?;
    let started = Instant::now();
    lists::page(&lib, smart.id)?;
    r.smart_albums_ms = started.elapsed().as_secs_f64() * 1000.0;

    eprintln!("exporting the whole catalog to every format …");
    for format in [
        Format::Json,
        Format::Csv,
        Format::M3u8,
        Format::Xspf,
        Format::Markdown,
        Format::Html,
    ] {
        let path = out.join(format!("catalog.{}", format.extension()));
        let started = Instant::now();
        let report = exchange::export(
            &lib,
            &Source::Catalog,
            format,
            &path,
            ExportOptions::default(),
            &quiet,
            &never,
        )?;
        r.export_catalog.push((
            format.extension().into(),
            started.elapsed().as_secs_f64(),
            report.bytes as f64 / 1e6,
        ));
    }
    r.export_peak_rss_mb = crate::peak_rss_mb();

    eprintln!("importing the catalog's own playlist and CSV …");
    for (format, secs, entries) in [
        (
            Format::M3u8,
            &mut r.import_m3u8_secs,
            &mut r.import_m3u8_entries,
        ),
        (
            Format::Csv,
            &mut r.import_csv_secs,
            &mut r.import_csv_entries,
        ),
    ] {
        let path = out.join(format!("catalog.{}", format.extension()));
        let started = Instant::now();
        let report = exchange::import(&lib, &path, &ImportOptions::default(), &quiet, &never)?;
        *secs = started.elapsed().as_secs_f64();
        *entries = report.entries;
        if report.placeholders > 0 {
            bail!(
                "{format:?}: {} entries were not found again",
                report.placeholders
            );
        }
    }

    eprintln!("wishlist matching …");
    let titles: Vec<String> = {
        let conn = lib.reader()?;
        let mut stmt = conn.prepare("SELECT title FROM albums ORDER BY id DESC LIMIT 200")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let wish = lists::create(&lib, "Wishlist", Ranking::None)?;
    let placeholders: Vec<Item> = titles
        .iter()
        .map(|t| Item::Placeholder {
            title: t.clone(),
            artist: None,
            year: None,
            note: None,
        })
        .chain((0..800).map(|i| Item::Placeholder {
            title: format!("Not owned {i}"),
            artist: Some("Nobody".into()),
            year: Some(1990),
            note: None,
        }))
        .collect();
    r.wishlist_placeholders = lists::add(&lib, wish.id, &placeholders, None)?.len();
    let started = Instant::now();
    let found = lists::resolutions(&lib)?;
    r.resolutions_ms = started.elapsed().as_secs_f64() * 1000.0;
    if found.len() < titles.len() {
        bail!(
            "only {} of {} owned titles were matched",
            found.len(),
            titles.len()
        );
    }
    Ok(r)
}

pub fn print(r: &Report) {
    println!(
        "lists on {} tracks / {} albums:\n  add {} entries to a list: {:.2} s\n  open the list: p50 {:.1} ms, max {:.1} ms\n  move one entry: p50 {:.1} ms, max {:.1} ms\n  smart list (tracks of the 1990s): {:.1} ms; (albums): {:.1} ms",
        r.tracks,
        r.albums,
        r.list_entries,
        r.add_entries_secs,
        r.open_list_ms_p50,
        r.open_list_ms_max,
        r.move_one_ms_p50,
        r.move_one_ms_max,
        r.smart_tracks_ms,
        r.smart_albums_ms
    );
    println!("  export of the whole catalog:");
    for (format, secs, mb) in &r.export_catalog {
        println!("    {format:<5} {secs:6.2} s  {mb:7.1} MB");
    }
    println!(
        "  peak memory through the exports: {:.0} MB",
        r.export_peak_rss_mb
    );
    println!(
        "  import the catalog's M3U8 ({} entries): {:.2} s; CSV ({} entries): {:.2} s",
        r.import_m3u8_entries, r.import_m3u8_secs, r.import_csv_entries, r.import_csv_secs
    );
    println!(
        "  wishlist matching, {} placeholders: {:.1} ms",
        r.wishlist_placeholders, r.resolutions_ms
    );
}
