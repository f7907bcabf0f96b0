//! Helpers shared by the integration tests: test data locations, fresh libraries, scans.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use cuebook::catalog::{self, ScanReport};
use cuebook::events::{no_events, Event};
use cuebook::Library;

/// The audio corpus, or `None` with a message saying why the test is skipped.
pub fn corpus(test: &str) -> Option<PathBuf> {
    let dir = cuebook_testkit::corpus_dir();
    if dir.is_none() {
        eprintln!("SKIPPED {test}: the audio corpus is not available (../shared/corpus/fetch.sh could not run)");
    }
    dir
}

/// The reference collection built from ../shared, or `None` with a message.
pub fn reference(test: &str) -> Option<cuebook_testkit::Reference> {
    match cuebook_testkit::reference_collection() {
        Some(Ok(r)) => Some(r),
        Some(Err(e)) => panic!("the reference collection could not be built: {e:#}"),
        None => {
            eprintln!(
                "SKIPPED {test}: ../shared (corpus or library/soundtracks.json) is not available"
            );
            None
        }
    }
}

/// The folder holding the whole reference collection (album artist / album / files).
pub fn reference_root(reference: &cuebook_testkit::Reference) -> PathBuf {
    reference.albums[0]
        .dir
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A writable copy of the reference collection, cataloged: (temp dir, music root, library, reference).
pub fn copied_reference(
    test: &str,
) -> Option<(
    tempfile::TempDir,
    PathBuf,
    Library,
    cuebook_testkit::Reference,
)> {
    let reference = reference(test)?;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("music");
    copy_tree(&reference_root(&reference), &root);
    let lib = library(&dir.path().join("db"), &[&root]);
    let report = scan(&lib);
    assert_eq!(report.added, 171, "the reference collection is 171 tracks");
    Some((dir, root, lib, reference))
}

/// (id, text) rows of a query.
pub fn ids(lib: &Library, sql: &str) -> Vec<(i64, String)> {
    let conn = lib.reader().unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A fresh library in `dir` with the given roots added.
pub fn library(dir: &Path, roots: &[&Path]) -> Library {
    let lib = Library::open(dir.join("library.sqlite")).expect("a new library opens");
    for root in roots {
        catalog::add_root(&lib, root).expect("a readable folder can be a root");
    }
    lib
}

pub fn scan(lib: &Library) -> ScanReport {
    catalog::scan(lib, no_events(), &AtomicBool::new(false)).expect("a scan completes")
}

/// Scans and keeps every event for inspection.
pub fn scan_with_events(lib: &Library) -> (ScanReport, Vec<Event>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink_events = events.clone();
    let report = catalog::scan(
        lib,
        Arc::new(move |e: &Event| sink_events.lock().unwrap().push(e.clone())),
        &AtomicBool::new(false),
    )
    .expect("a scan completes");
    let events = events.lock().unwrap().clone();
    (report, events)
}

/// Copies a folder tree (files and folders only).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn query_i64(lib: &Library, sql: &str) -> i64 {
    lib.reader()
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

pub fn cuebook_bin() -> &'static str {
    env!("CARGO_BIN_EXE_cuebook")
}

/// Writes 16-bit PCM WAV audio: `samples` are interleaved, in -1.0..=1.0.
pub fn write_wav(path: &Path, rate: u32, channels: u16, samples: &[f32]) {
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + samples.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&channels.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * u32::from(channels) * 2).to_le_bytes());
    out.extend_from_slice(&(channels * 2).to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        let v = (s.clamp(-1.0, 1.0) * 32767.0).round() as i16;
        out.extend_from_slice(&v.to_le_bytes());
    }
    std::fs::write(path, out).expect("the WAV file is written");
}
