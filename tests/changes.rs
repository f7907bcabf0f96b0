//! Incremental scans on real files: unchanged files are skipped; moves, renames and retags keep
//! the track row; vanished files are marked missing; an unreachable root is offline; awkward
//! trees (symlink loops, unreadable folders, non-UTF-8 names, hidden files) are handled.

mod common;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use cuebook::db;
use cuebook::text::path_bytes;
use lofty::config::WriteOptions;
use lofty::file::TaggedFileExt;
use lofty::prelude::Accessor;
use lofty::tag::TagExt;

/// A small library of real files in several formats, in album folders.
fn small_library(corpus: &Path, root: &Path) -> Vec<PathBuf> {
    let picks = [
        ("singularity-music/Awakening.ogg", "Game/a.ogg"),
        ("beets/full.mp3", "Beets/full.mp3"),
        ("beets/full.flac", "Beets/full.flac"),
        ("beets/full.m4a", "Beets/full.m4a"),
        ("beets/image.mp3", "Covers/image.mp3"),
        ("teeworlds/audio/foley_body_impact-01.wv", "Foley/impact.wv"),
    ];
    let mut out = Vec::new();
    for (from, to) in picks {
        let source = corpus.join(from);
        let source = if source.exists() {
            source
        } else {
            find_first(corpus, from.rsplit('.').next().unwrap())
        };
        let target = root.join(to);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&source, &target).unwrap();
        out.push(target);
    }
    out
}

fn find_first(dir: &Path, ext: &str) -> PathBuf {
    let mut entries: Vec<_> = walk(dir)
        .into_iter()
        .filter(|p| p.extension() == Some(OsStr::new(ext)))
        .collect();
    entries.sort();
    entries
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("the corpus has a .{ext} file"))
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn track_id(lib: &cuebook::Library, path: &Path) -> Option<i64> {
    db::tracks::id_by_path(&lib.reader().unwrap(), path).unwrap()
}

fn missing_since(lib: &cuebook::Library, id: i64) -> Option<i64> {
    lib.reader()
        .unwrap()
        .query_row(
            "SELECT missing_since FROM tracks WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
}

fn retitle(path: &Path, title: &str) {
    let mut tagged = lofty::read_from_path(path).unwrap();
    let tag = match tagged.primary_tag_mut() {
        Some(t) => t,
        None => {
            let tt = tagged.primary_tag_type();
            tagged.insert_tag(lofty::tag::Tag::new(tt));
            tagged.primary_tag_mut().unwrap()
        }
    };
    tag.set_title(title.to_string());
    tag.set_comment(
        "a much longer comment so the tag grows and the audio moves in the file ".repeat(40),
    );
    tag.save_to_path(path, WriteOptions::default()).unwrap();
}

#[test]
fn an_unchanged_library_rescans_without_reading_a_file() {
    let Some(corpus) = common::corpus("unchanged rescan") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("music");
    let files = small_library(&corpus, &root);
    let lib = common::library(dir.path(), &[&root]);
    let first = common::scan(&lib);
    assert_eq!(
        first.added as usize,
        files.len(),
        "every file is new the first time"
    );
    let second = common::scan(&lib);
    assert_eq!(
        (
            second.added,
            second.updated,
            second.moved,
            second.missing,
            second.unchanged as usize
        ),
        (0, 0, 0, 0, files.len()),
        "nothing changed, nothing is read"
    );
}

#[test]
fn moved_renamed_and_retagged_files_keep_their_track_rows() {
    let Some(corpus) = common::corpus("move/rename/retag") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("music");
    let other_root = dir.path().join("second disk");
    std::fs::create_dir_all(&other_root).unwrap();
    let files = small_library(&corpus, &root);
    let lib = common::library(dir.path(), &[&root, &other_root]);
    common::scan(&lib);
    let ids: Vec<i64> = files
        .iter()
        .map(|f| track_id(&lib, f).expect("cataloged"))
        .collect();

    // Rename in place, move to another folder, move to another root, retag in place, and
    // retag-and-rename at once.
    let renamed = root.join("Game/renamed awakening.ogg");
    std::fs::rename(&files[0], &renamed).unwrap();
    let moved = root.join("Elsewhere/full.mp3");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(&files[1], &moved).unwrap();
    let across = other_root.join("full.flac");
    std::fs::copy(&files[2], &across).unwrap();
    std::fs::remove_file(&files[2]).unwrap();
    retitle(&files[3], "Retitled in place");
    let retag_renamed = root.join("Covers/renamed and retagged.mp3");
    std::fs::rename(&files[4], &retag_renamed).unwrap();
    retitle(&retag_renamed, "New title");

    let report = common::scan(&lib);
    assert_eq!(report.moved, 4, "four files changed place: {report:?}");
    assert_eq!(
        report.updated, 1,
        "one file was retagged in place: {report:?}"
    );
    assert_eq!(report.added, 0, "no new track rows: {report:?}");
    assert_eq!(
        report.missing, 4,
        "the four old paths vanished before their rows were found again"
    );
    assert_eq!(
        track_id(&lib, &renamed),
        Some(ids[0]),
        "a renamed file keeps its row"
    );
    assert_eq!(
        track_id(&lib, &moved),
        Some(ids[1]),
        "a moved file keeps its row"
    );
    assert_eq!(
        track_id(&lib, &across),
        Some(ids[2]),
        "a file moved to another root keeps its row"
    );
    assert_eq!(
        track_id(&lib, &files[3]),
        Some(ids[3]),
        "a retagged file keeps its row"
    );
    assert_eq!(
        track_id(&lib, &retag_renamed),
        Some(ids[4]),
        "a retagged and renamed file keeps its row"
    );
    for id in &ids {
        assert_eq!(missing_since(&lib, *id), None, "every row is present again");
    }
    let title: String = lib
        .reader()
        .unwrap()
        .query_row("SELECT title FROM tracks WHERE id = ?1", [ids[4]], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(title, "New title", "the new tags are read");
    let total = common::query_i64(&lib, "SELECT count(*) FROM tracks");
    assert_eq!(total as usize, files.len(), "no duplicate rows");
}

#[test]
fn vanished_files_are_marked_missing_and_come_back() {
    let Some(corpus) = common::corpus("missing files") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("music");
    let files = small_library(&corpus, &root);
    let lib = common::library(dir.path(), &[&root]);
    common::scan(&lib);
    let id = track_id(&lib, &files[0]).unwrap();
    let kept = dir.path().join("kept.ogg");
    std::fs::rename(&files[0], &kept).unwrap();
    let report = common::scan(&lib);
    assert_eq!(report.missing, 1);
    assert!(
        missing_since(&lib, id).is_some(),
        "a vanished file is marked missing with a date"
    );
    assert_eq!(
        common::query_i64(&lib, "SELECT count(*) FROM tracks") as usize,
        files.len(),
        "its row is kept"
    );
    let found = cuebook::search::search_tracks(&lib, "missing:yes", 10, 0).unwrap();
    assert_eq!(
        found.tracks.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![id],
        "missing:yes finds it"
    );

    std::fs::rename(&kept, &files[0]).unwrap();
    let report = common::scan(&lib);
    assert_eq!(
        report.returned, 1,
        "the file is back, unchanged: {report:?}"
    );
    assert_eq!(missing_since(&lib, id), None);
}

#[test]
fn a_cataloged_file_that_breaks_is_a_problem_until_it_is_repaired() {
    let Some(corpus) = common::corpus("broken and repaired file") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("music");
    let files = small_library(&corpus, &root);
    let lib = common::library(dir.path(), &[&root]);
    common::scan(&lib);
    let flac = files
        .iter()
        .find(|f| f.extension().is_some_and(|e| e == "flac"))
        .unwrap();
    let id = track_id(&lib, flac).unwrap();
    let good = std::fs::read(flac).unwrap();
    std::fs::write(flac, b"fLaC but nothing that follows is FLAC").unwrap();
    let report = common::scan(&lib);
    assert_eq!(report.problems, 1, "{report:?}");
    assert_eq!(
        track_id(&lib, flac),
        Some(id),
        "the track row stays while the file is broken"
    );
    std::fs::write(flac, &good).unwrap();
    let report = common::scan(&lib);
    assert_eq!(report.updated, 1, "{report:?}");
    assert_eq!(
        cuebook::catalog::problems(&lib).unwrap().len(),
        0,
        "the repaired file is no longer a problem"
    );
    assert_eq!(track_id(&lib, flac), Some(id));
}

#[test]
fn an_unreachable_root_is_offline_and_nothing_in_it_goes_missing() {
    let Some(corpus) = common::corpus("offline root") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("usb disk");
    let files = small_library(&corpus, &root);
    let lib = common::library(dir.path(), &[&root]);
    common::scan(&lib);
    let unplugged = dir.path().join("unplugged");
    std::fs::rename(&root, &unplugged).unwrap();
    let report = common::scan(&lib);
    assert_eq!(
        report.roots_offline.len(),
        1,
        "the root is reported offline"
    );
    assert_eq!(report.missing, 0, "an offline root marks nothing missing");
    assert_eq!(
        common::query_i64(
            &lib,
            "SELECT count(*) FROM tracks WHERE missing_since IS NULL"
        ) as usize,
        files.len()
    );
    let roots = cuebook::catalog::list_roots(&lib).unwrap();
    assert!(
        roots[0].offline_since.is_some(),
        "the root remembers since when it is offline"
    );

    std::fs::rename(&unplugged, &root).unwrap();
    let report = common::scan(&lib);
    assert!(report.roots_offline.is_empty());
    assert_eq!(
        report.unchanged as usize,
        files.len(),
        "plugged back in, nothing needs reading"
    );
    assert!(cuebook::catalog::list_roots(&lib).unwrap()[0]
        .offline_since
        .is_none());
}

#[test]
fn symlink_loops_hidden_files_and_non_utf8_names_are_handled() {
    let Some(corpus) = common::corpus("awkward trees") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("music");
    let files = small_library(&corpus, &root);
    std::os::unix::fs::symlink(&root, root.join("Game/loop")).unwrap();
    std::os::unix::fs::symlink(&files[1], root.join("link to full.mp3")).unwrap();
    let odd_name = root.join(OsStr::from_bytes(b"caf\xe9 \xff.ogg"));
    std::fs::copy(&files[0], &odd_name).unwrap();
    std::fs::copy(&files[1], root.join(".hidden.mp3")).unwrap();
    std::fs::create_dir(root.join(".cache")).unwrap();
    std::fs::copy(&files[2], root.join(".cache/full.flac")).unwrap();

    let lib = common::library(dir.path(), &[&root]);
    let report = common::scan(&lib);
    assert_eq!(
        report.added as usize,
        files.len() + 1,
        "the originals plus the non-UTF-8 copy: {report:?}"
    );
    let id =
        track_id(&lib, &odd_name).expect("a non-UTF-8 name is cataloged under its exact bytes");
    let stored: Vec<u8> = lib
        .reader()
        .unwrap()
        .query_row("SELECT path FROM tracks WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, path_bytes(&odd_name), "the exact bytes are stored");
    let shown = cuebook::search::search_tracks(&lib, "", 100, 0).unwrap();
    assert!(
        shown
            .tracks
            .iter()
            .any(|t| t.path.ends_with("caf\u{fffd} \u{fffd}.ogg")),
        "and shown lossily"
    );
    let problems = cuebook::catalog::problems(&lib).unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.reason.contains("symbolic link loop")),
        "the loop is reported: {problems:?}"
    );
    assert_eq!(
        common::query_i64(
            &lib,
            "SELECT count(*) FROM tracks WHERE path LIKE '%hidden%' OR path LIKE '%.cache%'"
        ),
        0,
        "hidden entries are skipped"
    );
}

/// Runs the CLI as an unprivileged user when the tests run as root, so that permissions apply.
fn cuebook_as_user(args: &[&OsStr]) -> std::process::Output {
    let is_root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if is_root {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            common::cuebook_bin(),
        ]);
        c
    } else {
        Command::new(common::cuebook_bin())
    };
    cmd.args(args)
        .env("HOME", "/tmp")
        .output()
        .expect("the CLI runs")
}

#[test]
fn an_unreadable_folder_is_reported_and_its_tracks_are_not_marked_missing() {
    let Some(corpus) = common::corpus("unreadable folder") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let root = dir.path().join("music");
    small_library(&corpus, &root);
    for entry in walk(&root).into_iter().chain([
        root.clone(),
        root.join("Game"),
        root.join("Beets"),
        root.join("Covers"),
        root.join("Foley"),
    ]) {
        let mode = if entry.is_dir() { 0o777 } else { 0o666 };
        std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let db = dir.path().join("lib.sqlite");
    let args = |a: &[&str]| -> Vec<std::ffi::OsString> {
        let mut v: Vec<std::ffi::OsString> = vec!["--db".into(), db.clone().into()];
        v.extend(a.iter().map(|s| s.into()));
        v
    };
    let run = |a: Vec<std::ffi::OsString>| {
        let refs: Vec<&OsStr> = a.iter().map(|s| s.as_os_str()).collect();
        let out = cuebook_as_user(&refs);
        assert!(
            out.status.success(),
            "cuebook {a:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let mut add = args(&["roots", "add"]);
    add.push(root.clone().into());
    run(add);
    run(args(&["scan", "--quiet"]));
    std::fs::set_permissions(root.join("Beets"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = run(args(&["--json", "scan"]));
    std::fs::set_permissions(root.join("Beets"), std::fs::Permissions::from_mode(0o777)).unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["missing"], 0,
        "tracks behind an unreadable folder are not gone: {report}"
    );
    let out = run(args(&["--json", "problems"]));
    let problems: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let beets = root.join("Beets").to_string_lossy().into_owned();
    assert!(
        problems
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["path"] == beets.as_str()
                && p["reason"].as_str().unwrap().contains("permission denied")),
        "the unreadable folder is listed with the reason: {problems}"
    );
}
