//! Scans that are cancelled or killed leave a consistent catalog, and the next scan completes it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cuebook::events::Event;

/// A generated library large enough that a scan takes a few seconds.
fn generated(test: &str) -> Option<PathBuf> {
    let corpus = common::corpus(test)?;
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/generated-12000");
    cuebook_testkit::generate_library(&corpus, &out, 12000, 7, &|_| {})
        .expect("the generator builds a library");
    Some(out)
}

/// What a complete catalog of the tree holds: (tracks, albums, problems, fts rows).
fn census(lib: &cuebook::Library) -> (i64, i64, i64, i64) {
    (
        common::query_i64(
            lib,
            "SELECT count(*) FROM tracks WHERE missing_since IS NULL",
        ),
        common::query_i64(lib, "SELECT count(*) FROM albums"),
        common::query_i64(lib, "SELECT count(*) FROM problems"),
        common::query_i64(lib, "SELECT count(*) FROM track_fts"),
    )
}

fn reference_census(tree: &Path) -> (i64, i64, i64, i64) {
    let dir = tempfile::tempdir().unwrap();
    let lib = common::library(dir.path(), &[tree]);
    common::scan(&lib);
    census(&lib)
}

#[test]
fn a_cancelled_scan_is_consistent_and_the_next_one_completes_it() {
    let Some(tree) = generated("cancelled scan") else {
        return;
    };
    let expected = reference_census(&tree);
    let dir = tempfile::tempdir().unwrap();
    let lib = common::library(dir.path(), &[&tree]);
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let sink = Arc::new(move |e: &Event| {
        let Event::ScanProgress(p) = e else { return };
        if p.done >= 600 {
            flag.store(true, Ordering::Relaxed);
        }
    });
    let report = cuebook::catalog::scan(&lib, sink, &cancel).unwrap();
    assert!(report.cancelled, "the scan saw the cancel flag");
    let partial = census(&lib);
    assert!(
        partial.0 > 0 && partial.0 < expected.0,
        "part of the library was written: {partial:?} of {expected:?}"
    );
    assert_eq!(partial.0, partial.3, "every written track is searchable");
    let report = common::scan(&lib);
    assert!(!report.cancelled);
    assert_eq!(
        census(&lib),
        expected,
        "the next scan completes the catalog"
    );
}

#[test]
fn a_killed_scan_leaves_an_intact_database_and_the_next_scan_completes_it() {
    let Some(tree) = generated("killed scan") else {
        return;
    };
    let expected = reference_census(&tree);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("killed.sqlite");
    let cli = |args: &[&str]| {
        let status = Command::new(common::cuebook_bin())
            .arg("--db")
            .arg(&db)
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "cuebook {args:?}");
    };
    cli(&["roots", "add", tree.to_str().unwrap()]);
    let mut child = Command::new(common::cuebook_bin())
        .arg("--db")
        .arg(&db)
        .args(["scan", "--quiet"])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it as soon as a batch is committed, in the middle of the work.
    let lib = cuebook::Library::open(&db).unwrap();
    let started = Instant::now();
    loop {
        let written = lib
            .reader()
            .and_then(|c| {
                Ok(c.query_row("SELECT count(*) FROM tracks", [], |r| r.get::<_, i64>(0))?)
            })
            .unwrap_or(0);
        if written > 0 || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let finished_already = child.try_wait().unwrap().is_some();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        !finished_already,
        "the scan was still running when it was killed"
    );

    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "SQLite's integrity check passes after kill -9");
    drop(conn);
    let partial = census(&lib);
    assert!(
        partial.0 < expected.0,
        "the kill interrupted the scan: {partial:?} of {expected:?}"
    );
    cli(&["scan", "--quiet"]);
    assert_eq!(
        census(&lib),
        expected,
        "a rescan after the kill gives the complete catalog"
    );
}
