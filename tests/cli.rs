//! The `cuebook` command: clear messages and exit codes, JSON for scripts, progress on stderr.

mod common;

use std::process::{Command, Output};

fn cuebook(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(common::cuebook_bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("the CLI runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn bad_arguments_exit_2_with_a_message_that_names_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let missing = dir.path().join("no such folder");
    let out = cuebook(&db, &["roots", "add", missing.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a missing folder is a usage error"
    );
    assert!(
        stderr(&out).contains("no such folder"),
        "the message names the folder: {}",
        stderr(&out)
    );

    let out = cuebook(&db, &["ls", "year:soon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("year") && stderr(&out).contains("soon"),
        "{}",
        stderr(&out)
    );

    let out = cuebook(&db, &["scan"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "scanning without folders says what to do"
    );
    assert!(stderr(&out).contains("roots add"), "{}", stderr(&out));

    let out = cuebook(&db, &["show", "nothing like this"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no album matches"),
        "{}",
        stderr(&out)
    );

    let out = cuebook(&db, &["frobnicate"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "unknown commands are usage errors"
    );
}

#[test]
fn folders_inside_other_folders_are_refused_and_adding_twice_is_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let music = dir.path().join("music");
    std::fs::create_dir_all(music.join("scores")).unwrap();
    assert!(cuebook(&db, &["roots", "add", music.to_str().unwrap()])
        .status
        .success());
    let again = cuebook(&db, &["roots", "add", music.to_str().unwrap()]);
    assert!(
        again.status.success(),
        "adding the same folder again is not an error"
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("Already a library folder"));
    let inner = cuebook(
        &db,
        &["roots", "add", music.join("scores").to_str().unwrap()],
    );
    assert_eq!(inner.status.code(), Some(2));
    assert!(
        stderr(&inner).contains("inside the library folder"),
        "{}",
        stderr(&inner)
    );
    let ls = cuebook(&db, &["--json", "roots", "ls"]);
    let roots: serde_json::Value = serde_json::from_slice(&ls.stdout).unwrap();
    assert_eq!(roots.as_array().unwrap().len(), 1);
    assert!(cuebook(&db, &["roots", "rm", music.to_str().unwrap()])
        .status
        .success());
}

#[test]
fn a_scanned_corpus_reads_back_through_every_command_in_json() {
    let Some(corpus) = common::corpus("cli json") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let src = dir.path().join("music");
    common::copy_tree(&corpus.join("singularity-music"), &src);
    assert!(cuebook(&db, &["roots", "add", src.to_str().unwrap()])
        .status
        .success());
    let scan = cuebook(&db, &["--json", "scan"]);
    assert!(scan.status.success(), "{}", stderr(&scan));
    let report: serde_json::Value = serde_json::from_slice(&scan.stdout).unwrap();
    assert_eq!(
        report["added"], 16,
        "the Singularity soundtrack has 16 tracks: {report}"
    );

    let albums: serde_json::Value =
        serde_json::from_slice(&cuebook(&db, &["--json", "albums"]).stdout).unwrap();
    assert_eq!(albums.as_array().unwrap().len(), 2, "two albums: {albums}");
    let ls: serde_json::Value =
        serde_json::from_slice(&cuebook(&db, &["--json", "ls", "format:ogg"]).stdout).unwrap();
    assert_eq!(ls["total"], 16);
    let id = albums[0]["id"].as_i64().unwrap().to_string();
    let page: serde_json::Value =
        serde_json::from_slice(&cuebook(&db, &["--json", "show", &id]).stdout).unwrap();
    assert!(!page["tracklist"].as_array().unwrap().is_empty());
    let stats: serde_json::Value =
        serde_json::from_slice(&cuebook(&db, &["--json", "stats"]).stdout).unwrap();
    assert_eq!(stats["totals"]["tracks"], 16);
    assert_eq!(stats["formats"][0]["key"], "ogg");
    let text = cuebook(&db, &["stats"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("By decade"));
}

#[test]
fn annotations_round_trip_through_the_cli_with_clear_errors() {
    let Some(corpus) = common::corpus("cli annotations") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let root = dir.path().join("music");
    std::fs::create_dir_all(&root).unwrap();
    for name in ["full.mp3", "full.flac"] {
        std::fs::copy(corpus.join("beets").join(name), root.join(name)).unwrap();
    }
    assert!(cuebook(&db, &["roots", "add", root.to_str().unwrap()])
        .status
        .success());
    assert!(cuebook(&db, &["scan", "--quiet"]).status.success());
    let ls = cuebook(&db, &["--json", "ls"]);
    let page: serde_json::Value = serde_json::from_slice(&ls.stdout).unwrap();
    let track = page["tracks"][0]["id"].as_i64().unwrap().to_string();
    let album = page["tracks"][0]["album_id"].as_i64().unwrap().to_string();

    let ok = |args: &[&str]| {
        let out = cuebook(&db, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    ok(&[
        "tag",
        "add",
        "film noir",
        "Favourite",
        "--track",
        &track,
        "--album",
        &album,
    ]);
    ok(&["rate", "4", "--track", &track]);
    ok(&["note", "at", "--track", &track, "0:00", "the theme returns"]);
    ok(&["field", "set", "--track", &track, "cue", "1M7A"]);
    ok(&[
        "field",
        "set",
        "--album",
        &album,
        "label",
        "Cuebook Records",
        "limited-to",
        "3000",
    ]);
    let mut set = Command::new(common::cuebook_bin())
        .arg("--db")
        .arg(&db)
        .args(["note", "set", "--album", &album, "-"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    set.stdin
        .take()
        .unwrap()
        .write_all(b"## Mine\n\nFrom standard input.")
        .unwrap();
    assert!(set.wait().unwrap().success(), "a note from standard input");

    let listed = ok(&["ls", "tag:\"film noir\" rating:>=4 cue:1m7a"]);
    assert!(
        listed.contains("1M7A") && listed.contains("★★★★☆"),
        "{listed}"
    );
    let shown = ok(&["show", &album]);
    assert!(
        shown.contains("Cuebook Records")
            && shown.contains("3000 copies")
            && shown.contains("From standard input"),
        "{shown}"
    );
    let tags = ok(&["--json", "tag", "ls"]);
    let tags: serde_json::Value = serde_json::from_str(&tags).unwrap();
    assert_eq!(tags.as_array().unwrap().len(), 2, "{tags}");

    let backup = dir.path().join("backup.json");
    ok(&["backup", backup.to_str().unwrap()]);
    let fresh = dir.path().join("fresh.sqlite");
    let restored = Command::new(common::cuebook_bin())
        .arg("--db")
        .arg(&fresh)
        .args(["--json", "restore", backup.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(restored.status.success(), "{}", stderr(&restored));
    let report: serde_json::Value = serde_json::from_slice(&restored.stdout).unwrap();
    assert_eq!(
        report["subjects_created"], 2,
        "the album and the track: {report}"
    );
    assert_eq!(
        report["orphans"], 2,
        "they wait for a scan of their files: {report}"
    );

    for (args, says) in [
        (vec!["rate", "9", "--track", &track], "expected 0 to 5"),
        (vec!["rate", "4"], "say what to annotate"),
        (
            vec!["field", "set", "--track", &track, "label", "x"],
            "label is set on albums",
        ),
        (
            vec!["field", "set", "--album", &album, "work-year", "soon"],
            "work-year",
        ),
        (vec!["tag", "rename", "nothing", "x"], "there is no tag"),
        (vec!["tag", "color", "Favourite", "red"], "#rrggbb"),
        (vec!["forget", "1"], "not an orphan"),
    ] {
        let out = cuebook(&db, &args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?} is a usage error: {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
    let out = cuebook(&db, &["restore", root.join("full.mp3").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("full.mp3") && stderr(&out).contains("not a Cuebook backup"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn lists_export_and_import_through_the_cli() {
    let Some(corpus) = common::corpus("cli lists") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let src = dir.path().join("music");
    common::copy_tree(&corpus.join("singularity-music"), &src);
    assert!(cuebook(&db, &["roots", "add", src.to_str().unwrap()])
        .status
        .success());
    assert!(cuebook(&db, &["scan", "--quiet"]).status.success());
    let ok = |args: &[&str]| {
        let out = cuebook(&db, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let albums: serde_json::Value = serde_json::from_str(&ok(&["--json", "albums"])).unwrap();
    let album = albums[0]["id"].as_i64().unwrap().to_string();
    let tracks: serde_json::Value =
        serde_json::from_str(&ok(&["--json", "ls", "--limit", "3"])).unwrap();
    let track = tracks["tracks"][2]["id"].as_i64().unwrap().to_string();

    ok(&["list", "new", "Best of", "--ranking", "ascending"]);
    ok(&[
        "list", "add", "best of", "--album", &album, "--note", "*first*",
    ]);
    ok(&["list", "add", "Best of", "--track", &track]);
    ok(&[
        "list",
        "add",
        "Best of",
        "--want",
        "Le Samouraï",
        "--year",
        "1967",
    ]);
    let again = ok(&["list", "add", "Best of", "--album", &album]);
    assert!(again.contains("already in the list"), "{again}");
    let page: serde_json::Value =
        serde_json::from_str(&ok(&["--json", "list", "show", "Best of"])).unwrap();
    let ids: Vec<String> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 3);
    ok(&["list", "move", "Best of", &ids[2], "--before", &ids[0]]);
    let shown = ok(&["list", "show", "Best of"]);
    let first = shown
        .lines()
        .find(|l| l.trim_start().starts_with("1."))
        .unwrap();
    assert!(
        first.contains("Le Samouraï") && first.contains("[wishlist]"),
        "{shown}"
    );

    let out = dir.path().join("best.xspf");
    let exported = cuebook(&db, &["export", out.to_str().unwrap(), "--list", "Best of"]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert!(String::from_utf8_lossy(&exported.stdout).contains("Exported 3 entries"));
    let imported = ok(&["import", out.to_str().unwrap(), "--name", "Back again"]);
    assert!(
        imported.contains("1 albums, 1 tracks, 1 wishlist entries"),
        "{imported}"
    );
    let back: serde_json::Value =
        serde_json::from_str(&ok(&["--json", "list", "show", "Back again"])).unwrap();
    let titles = |v: &serde_json::Value| -> Vec<String> {
        v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| format!("{} {} {}", e["rank"], e["kind"], e["title"]))
            .collect()
    };
    let page: serde_json::Value =
        serde_json::from_str(&ok(&["--json", "list", "show", "Best of"])).unwrap();
    assert_eq!(
        titles(&back),
        titles(&page),
        "the XSPF round trip keeps the list"
    );

    // Mistakes are usage errors that say what to do.
    let out = cuebook(&db, &["list", "show", "Nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no list is called"),
        "{}",
        stderr(&out)
    );
    let bad = dir.path().join("bad.xspf");
    std::fs::write(&bad, b"\x00\x01binary").unwrap();
    let out = cuebook(&db, &["import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("bad.xspf"),
        "the file is named: {}",
        stderr(&out)
    );
    let out = cuebook(
        &db,
        &[
            "export",
            dir.path().join("x.txt").to_str().unwrap(),
            "--catalog",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--format"), "{}", stderr(&out));
    let count: serde_json::Value = serde_json::from_str(&ok(&["--json", "list", "ls"])).unwrap();
    assert_eq!(
        count.as_array().unwrap().len(),
        2,
        "the failed import created nothing"
    );
}
