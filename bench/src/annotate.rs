//! `--annotate`: annotations at collector scale on a copy of a generated catalog. Bulk tagging
//! and rating, notes, field overrides and time-coded notes one at a time, search latency of the
//! annotation filters and of the plain query mix before and after, an unchanged rescan with
//! annotations present (their reattach step included), and backup, restore into an
//! unannotated copy, and a repeated restore.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use cuebook::annotate::{self, backup, Target};
use cuebook::events::no_events;
use cuebook::{catalog, Library};

use crate::{search_latency_of, Latency};

#[derive(Serialize, Default)]
pub struct Report {
    pub tracks: i64,
    pub albums: i64,
    pub tagged_tracks: usize,
    pub tagged_albums: usize,
    pub bulk_tag_tracks_secs: f64,
    pub bulk_rate_tracks_secs: f64,
    pub note_ms_each: f64,
    pub fields_ms_each: f64,
    pub cue_note_ms_each: f64,
    pub annotated_subjects: i64,
    pub filter_search_p50_ms: f64,
    pub filter_search_p99_ms: f64,
    pub filter_search_max_ms: f64,
    pub filter_slowest_query: String,
    pub filter_per_query_ms: Vec<(String, f64)>,
    pub plain_search_p99_before_ms: f64,
    pub plain_search_p99_after_ms: f64,
    pub rescan_unchanged_secs: Option<f64>,
    pub backup_secs: f64,
    pub backup_bytes: u64,
    pub restore_fresh_secs: f64,
    pub restore_again_secs: f64,
}

pub(crate) fn copy_catalog(from: &Path, to: &Path) -> Result<Library> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", to.display())); // absent is fine
    }
    // Through SQLite, so a WAL the source may hold is included.
    let src = rusqlite::Connection::open(from)?;
    src.execute("VACUUM INTO ?1", [to.to_string_lossy()])
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    Ok(Library::open(to)?)
}

fn ids(lib: &Library, sql: &str) -> Result<Vec<i64>> {
    let conn = lib.reader()?;
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn run(catalog_db: &Path, out: &Path, repeat: usize) -> Result<Report> {
    if !catalog_db.is_file() {
        bail!(
            "no catalog at {}: run `make bench` (or `make bench-app`) first to generate one",
            catalog_db.display()
        );
    }
    let mut r = Report::default();
    let work = out.join("annotate.sqlite");
    let lib = copy_catalog(catalog_db, &work)?;
    let conn = lib.reader()?;
    r.tracks = conn.query_row("SELECT count(*) FROM tracks", [], |x| x.get(0))?;
    r.albums = conn.query_row("SELECT count(*) FROM albums", [], |x| x.get(0))?;
    drop(conn);
    let plain = crate::queries(&lib)?;
    r.plain_search_p99_before_ms = search_latency_of(&lib, &plain, repeat)?.p99;

    eprintln!("annotating: every 10th track and album tagged and rated …");
    let tracks: Vec<Target> = ids(&lib, "SELECT id FROM tracks WHERE id % 10 = 0")?
        .into_iter()
        .map(Target::Track)
        .collect();
    let albums: Vec<Target> = ids(&lib, "SELECT id FROM albums WHERE id % 10 = 0")?
        .into_iter()
        .map(Target::Album)
        .collect();
    r.tagged_tracks = tracks.len();
    r.tagged_albums = albums.len();
    let started = Instant::now();
    annotate::tag(&lib, &tracks, &["bench-track".into(), "favourite".into()])?;
    r.bulk_tag_tracks_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    annotate::rate(&lib, &tracks, Some(4))?;
    r.bulk_rate_tracks_secs = started.elapsed().as_secs_f64();
    annotate::tag(&lib, &albums, &["bench-album".into()])?;
    annotate::rate(&lib, &albums, Some(3))?;

    eprintln!("notes, fields and time-coded notes one at a time …");
    let noted: Vec<Target> = albums.iter().step_by(2).copied().collect();
    let started = Instant::now();
    for (i, &t) in noted.iter().enumerate() {
        annotate::set_note(
            &lib,
            t,
            &format!(
                "## Pressing {i}\n\nThe **brass** section shines; see <https://example.org/{i}>."
            ),
        )?;
    }
    r.note_ms_each = started.elapsed().as_secs_f64() * 1000.0 / noted.len().max(1) as f64;
    let fielded: Vec<Target> = albums.iter().step_by(4).copied().collect();
    let started = Instant::now();
    for &t in &fielded {
        annotate::set_fields(
            &lib,
            t,
            &[
                ("label".into(), "Bench Records".into()),
                ("composers".into(), "Ada Benchmark; Bob Timer".into()),
                ("limited-to".into(), "3000".into()),
            ],
        )?;
    }
    r.fields_ms_each = started.elapsed().as_secs_f64() * 1000.0 / fielded.len().max(1) as f64;
    let cued: Vec<i64> = ids(&lib, "SELECT id FROM tracks WHERE id % 20 = 0")?;
    let started = Instant::now();
    for (i, &t) in cued.iter().enumerate() {
        annotate::add_cue_note(&lib, t, 0, "the theme returns in the brass")?;
        annotate::set_fields(
            &lib,
            Target::Track(t),
            &[("cue".into(), format!("{}M{}", i % 9 + 1, i % 13 + 1))],
        )?;
    }
    r.cue_note_ms_each = started.elapsed().as_secs_f64() * 1000.0 / cued.len().max(1) as f64 / 2.0;
    r.annotated_subjects = annotate::counts(&lib)?.subjects;

    eprintln!("search with annotation filters …");
    let filters: Vec<String> = [
        "tag:bench-track",
        "tag:bench-album",
        "tag:favourite rating:>=4",
        "rating:>=4",
        "rating:3",
        "rating:none",
        "note:brass",
        "note:\"brass section\"",
        "cue:1m1",
        "label:\"bench records\"",
        "composer:benchmark",
        "-tag:bench-track year:1990..1999",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let Latency {
        p50,
        p99,
        max,
        slowest,
        per_query,
    } = search_latency_of(&lib, &filters, repeat)?;
    r.filter_search_p50_ms = p50;
    r.filter_search_p99_ms = p99;
    r.filter_search_max_ms = max;
    r.filter_slowest_query = slowest;
    r.filter_per_query_ms = per_query;
    r.plain_search_p99_after_ms = search_latency_of(&lib, &plain, repeat)?.p99;

    let roots = catalog::list_roots(&lib)?;
    if roots.iter().all(|root| root.path.is_dir()) && !roots.is_empty() {
        eprintln!("rescan of the unchanged library with annotations …");
        let started = Instant::now();
        let report = catalog::scan(&lib, no_events(), &AtomicBool::new(false))?;
        r.rescan_unchanged_secs = Some(started.elapsed().as_secs_f64());
        if report.added + report.updated + report.moved > 0 || report.annotation_orphans > 0 {
            bail!("the rescan of an unchanged library changed something: {report:?}");
        }
    } else {
        eprintln!("the generated library folder is gone: rescan not measured");
    }

    eprintln!("backup and restore …");
    let file = out.join("annotate-backup.json");
    let started = Instant::now();
    backup::write(&lib, &file)?;
    r.backup_secs = started.elapsed().as_secs_f64();
    r.backup_bytes = std::fs::metadata(&file)?.len();
    let fresh = copy_catalog(catalog_db, &out.join("annotate-restored.sqlite"))?;
    let started = Instant::now();
    let restored = backup::restore(&fresh, &file)?;
    r.restore_fresh_secs = started.elapsed().as_secs_f64();
    if !restored.skipped.is_empty() || restored.orphans > 0 {
        bail!("the restore lost something: {restored:?}");
    }
    let started = Instant::now();
    let again = backup::restore(&fresh, &file)?;
    r.restore_again_secs = started.elapsed().as_secs_f64();
    if again.subjects_created > 0 || annotate::counts(&fresh)? != annotate::counts(&lib)? {
        bail!("restoring twice is not idempotent: {again:?}");
    }
    Ok(r)
}

pub fn print(r: &Report) {
    println!(
        "Annotations on a {}-track catalog ({} albums)",
        r.tracks, r.albums
    );
    println!(
        "  bulk tag {} tracks        {:.3} s",
        r.tagged_tracks, r.bulk_tag_tracks_secs
    );
    println!(
        "  bulk rate {} tracks       {:.3} s",
        r.tagged_tracks, r.bulk_rate_tracks_secs
    );
    println!("  one note                    {:.2} ms", r.note_ms_each);
    println!(
        "  one album's fields          {:.2} ms (search index of its tracks included)",
        r.fields_ms_each
    );
    println!("  one time-coded note         {:.2} ms", r.cue_note_ms_each);
    println!("  annotated items             {}", r.annotated_subjects);
    println!(
        "  filter search               p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({:?})",
        r.filter_search_p50_ms,
        r.filter_search_p99_ms,
        r.filter_search_max_ms,
        r.filter_slowest_query
    );
    for (q, ms) in &r.filter_per_query_ms {
        println!("    {ms:8.2} ms  {q}");
    }
    println!(
        "  plain search p99            {:.2} ms before, {:.2} ms after annotating",
        r.plain_search_p99_before_ms, r.plain_search_p99_after_ms
    );
    match r.rescan_unchanged_secs {
        Some(s) => println!("  unchanged rescan            {s:.2} s (reattach included)"),
        None => println!("  unchanged rescan            not measured (library folder gone)"),
    }
    println!(
        "  backup                      {:.2} s, {:.1} MB",
        r.backup_secs,
        r.backup_bytes as f64 / 1e6
    );
    println!(
        "  restore into a fresh copy   {:.2} s",
        r.restore_fresh_secs
    );
    println!(
        "  restore again (idempotent)  {:.2} s",
        r.restore_again_secs
    );
}
