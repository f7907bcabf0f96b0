//! The real audio corpus: every readable file is cataloged with the fields another tag reader
//! sees, every broken file is reported with a reason, and nothing stops the scan.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use cuebook::db;
use cuebook::text::display_path;

/// Files no reader can make sense of, and containers lofty does not read.
const BROKEN: &[&str] = &[
    "beets/empty.wma",
    "beets/unparseable.dsf",
    "pymediainfo/mp3.mp3",
    "mutagen/silence-44-s.tak",
];

#[test]
fn every_corpus_file_is_cataloged_or_reported_and_nothing_is_fatal() {
    let Some(corpus) = common::corpus("corpus scan") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let lib = common::library(dir.path(), &[&corpus]);
    let report = common::scan(&lib);
    assert!(!report.cancelled);
    assert!(
        report.added > 250,
        "the corpus has ~300 readable audio files, got {}",
        report.added
    );

    let conn = lib.reader().unwrap();
    let tracks: Vec<String> = conn
        .prepare("SELECT path FROM tracks")
        .unwrap()
        .query_map([], |r| Ok(display_path(&r.get::<_, Vec<u8>>(0)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let problems: HashMap<String, String> = db::problems::list(&conn)
        .unwrap()
        .into_iter()
        .map(|p| (p.path, p.reason))
        .collect();

    // Every file with an audio extension ends up in exactly one of the two lists.
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap();
    let mut audio_files = 0;
    for line in manifest.lines().skip(1) {
        let rel = line.split('\t').next().unwrap();
        let path = corpus.join(rel);
        if !cuebook::catalog::tags::has_audio_extension(&path)
            || rel.split('/').any(|c| c.starts_with('.'))
        {
            continue;
        }
        audio_files += 1;
        let shown = path.to_string_lossy().into_owned();
        let cataloged = tracks.contains(&shown);
        let reported = problems.contains_key(&shown);
        assert!(cataloged ^ reported, "{shown} must be either cataloged or reported (cataloged {cataloged}, reported {reported})");
    }
    assert!(
        audio_files > 300,
        "the manifest lists the corpus audio files"
    );

    // Files made to be broken are reported with a reason that says what is wrong.
    for name in BROKEN {
        let shown = corpus.join(name).to_string_lossy().into_owned();
        let reason = problems
            .get(&shown)
            .unwrap_or_else(|| panic!("{name} is broken or unsupported and must be reported"));
        assert!(!reason.is_empty());
    }
    let wma = corpus.join("beets/full.wma").to_string_lossy().into_owned();
    assert_eq!(
        problems.get(&wma).map(String::as_str),
        Some("unsupported format: Windows Media Audio (ASF)")
    );

    // Content decides, not the name: lmms has a WAV file called .ogg, beets an MP3 without extension.
    let format_of = |rel: &str| -> String {
        conn.query_row(
            "SELECT format FROM tracks WHERE path = ?1",
            [cuebook::text::path_bytes(&corpus.join(rel))],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{rel} must be cataloged: {e}"))
    };
    assert_eq!(
        format_of("lmms/misc/hit01.ogg"),
        "wav",
        "a WAV named .ogg is a WAV"
    );
    assert_eq!(
        format_of("beets/no_ext"),
        "mp3",
        "an MP3 without extension is found by its content"
    );

    // Shift-JIS bytes in Vorbis comments do not lose the file.
    let rrootage: i64 = conn
        .query_row(
            "SELECT count(*) FROM tracks WHERE path GLOB ?1",
            [format!("{}/rrootage/*.ogg", corpus.display())],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        rrootage, 3,
        "the rRootage ogg tracks with non-UTF-8 comments are cataloged"
    );
}

#[test]
fn beets_full_files_carry_every_field_in_every_format() {
    let Some(corpus) = common::corpus("beets full fields") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    let formats = [
        "mp3", "flac", "ogg", "opus", "m4a", "alac.m4a", "aiff", "ape", "wv", "mpc",
    ];
    for ext in formats {
        std::fs::create_dir(src.join(ext)).unwrap();
        std::fs::copy(
            corpus.join(format!("beets/full.{ext}")),
            src.join(ext).join(format!("full.{ext}")),
        )
        .unwrap();
    }
    let lib = common::library(dir.path(), &[&src]);
    common::scan(&lib);
    let conn = lib.reader().unwrap();
    for ext in formats {
        let path = src.join(ext).join(format!("full.{ext}"));
        type Row = (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
        );
        let row: Row = conn
            .query_row(
                "SELECT title, artists, album_title, composers, track_no, track_total, disc_no, disc_total FROM tracks WHERE path = ?1",
                [cuebook::text::path_bytes(&path)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
            )
            .unwrap_or_else(|e| panic!("full.{ext} must be cataloged: {e}"));
        assert_eq!(row.0.as_deref(), Some("full"), "title of full.{ext}");
        assert_eq!(
            row.1.as_deref(),
            Some(r#"["the artist"]"#),
            "artists of full.{ext}"
        );
        assert_eq!(row.2.as_deref(), Some("the album"), "album of full.{ext}");
        assert_eq!(
            row.3.as_deref(),
            Some(r#"["the composer"]"#),
            "composer of full.{ext}"
        );
        assert_eq!(
            (row.4, row.5),
            (Some(2), Some(3)),
            "track 2 of 3 in full.{ext}"
        );
        assert_eq!(
            (row.6, row.7),
            (Some(4), Some(5)),
            "disc 4 of 5 in full.{ext}"
        );
    }
    let mb: i64 = conn
        .query_row(
            "SELECT count(*) FROM tracks WHERE mb_track_id IS NOT NULL OR mb_album_id IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        mb >= 5,
        "MusicBrainz ids are read from most formats, got {mb}"
    );
}

/// Another reader's view of the corpus: mutagen, through python3.
fn mutagen_view(corpus: &Path) -> Option<HashMap<String, serde_json::Value>> {
    let script = r#"
import json, os, sys
import mutagen
out = {}
root = sys.argv[1]
for d, _, files in os.walk(root):
    for f in files:
        p = os.path.join(d, f)
        try:
            m = mutagen.File(p, easy=True)
        except Exception:
            continue
        if m is None or m.info is None or not getattr(m.info, 'length', 0):
            continue
        tags = m.tags or {}
        def values(k):
            try:
                v = tags.get(k)
            except Exception:
                return []
            return [x for x in (v or []) if x.strip()]
        out[p] = {"title": values("title"), "album": values("album"), "artist": values("artist"),
                  "length": m.info.length, "sample_rate": getattr(m.info, "sample_rate", None),
                  "channels": getattr(m.info, "channels", None), "type": type(m).__name__}
print(json.dumps(out))
"#;
    // The first python3 on PATH, else Debian's, whichever has mutagen (make test installs it).
    let python = ["python3", "/usr/bin/python3"].into_iter().find(|p| {
        Command::new(p)
            .args(["-c", "import mutagen"])
            .output()
            .is_ok_and(|o| o.status.success())
    })?;
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(corpus)
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "mutagen cross-check unavailable: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
        return None;
    }
    serde_json::from_slice(&out.stdout).ok()
}

#[test]
fn fields_and_properties_agree_with_mutagen_on_the_corpus() {
    let Some(corpus) = common::corpus("mutagen cross-check") else {
        return;
    };
    let Some(view) = mutagen_view(&corpus) else {
        eprintln!("SKIPPED mutagen cross-check: python3 with mutagen is not installed (make test installs it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let lib = common::library(dir.path(), &[&corpus]);
    common::scan(&lib);
    let conn = lib.reader().unwrap();
    let mut compared = 0;
    let mut disagreements = Vec::new();
    for (path, m) in &view {
        let row = conn.query_row(
            "SELECT title, album_title, artists, duration_ms, sample_rate, channels FROM tracks WHERE path = ?1",
            [path.as_bytes()],
            |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, Option<i64>>(3)?, r.get::<_, Option<i64>>(4)?, r.get::<_, Option<i64>>(5)?)),
        );
        let Ok((title, album, artists, duration, rate, channels)) = row else {
            continue;
        };
        compared += 1;
        // Messy files repeat a field (hyperrogue has eleven TITLEs): ours must be one of the
        // values the file holds, and the artists the same set.
        let values = |v: &serde_json::Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str())
                        .map(|s| s.trim().to_string())
                        .collect()
                })
                .unwrap_or_default()
        };
        for (name, ours, theirs) in [
            ("title", &title, values(&m["title"])),
            ("album", &album, values(&m["album"])),
        ] {
            if !theirs.is_empty() && !ours.as_ref().is_some_and(|o| theirs.contains(o)) {
                disagreements.push(format!("{path}: {name} {ours:?} vs mutagen {theirs:?}"));
            }
        }
        let theirs: Vec<String> = values(&m["artist"])
            .iter()
            .flat_map(|a| a.split(';').map(|s| s.trim().to_string()))
            .collect();
        if !theirs.is_empty() {
            let mut ours: Vec<String> = artists
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default();
            let mut sorted = theirs.clone();
            ours.sort();
            sorted.sort();
            sorted.dedup();
            if ours != sorted {
                disagreements.push(format!("{path}: artists {ours:?} vs mutagen {theirs:?}"));
            }
        }
        let length_ms = m["length"].as_f64().unwrap_or(0.0) * 1000.0;
        if let Some(d) = duration {
            // Containers without an exact sample count are estimated by both readers.
            if (d as f64 - length_ms).abs() > 1000.0f64.max(length_ms * 0.02) {
                disagreements.push(format!(
                    "{path}: duration {d} ms vs mutagen {length_ms:.0} ms"
                ));
            }
        }
        if let (Some(r), Some(mr)) = (rate, m["sample_rate"].as_i64()) {
            if r != mr {
                disagreements.push(format!("{path}: sample rate {r} vs mutagen {mr}"));
            }
        }
        // MP4 sample entries often say 2 channels whatever the stream holds; mutagen reports that
        // field, lofty the AAC decoder configuration (beets/full.m4a is mono by its config).
        let mp4 = m["type"].as_str().is_some_and(|t| t.contains("MP4"));
        if let (Some(c), Some(mc), false) = (channels, m["channels"].as_i64(), mp4) {
            if c != mc {
                disagreements.push(format!("{path}: channels {c} vs mutagen {mc}"));
            }
        }
    }
    eprintln!(
        "compared {compared} files with mutagen; {} disagreements",
        disagreements.len()
    );
    for d in &disagreements {
        eprintln!("  {d}");
    }
    assert!(
        compared > 200,
        "most cataloged files are readable by mutagen too, compared {compared}"
    );
    assert!(
        disagreements.len() * 100 <= compared * 3,
        "at most 3% of fields may differ from mutagen (messy real tags), got {} of {compared}",
        disagreements.len()
    );
}

#[test]
fn mp4_atoms_with_several_values_keep_every_value() {
    use lofty::config::WriteOptions;
    use lofty::file::AudioFile;
    use lofty::mp4::{Atom, AtomData, AtomIdent, Ilst, Mp4File};

    let Some(corpus) = common::corpus("mp4 multi-value atoms") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("music");
    std::fs::create_dir(&root).unwrap();
    let file = root.join("cue.m4a");
    std::fs::copy(corpus.join("pytaglib/issue46.m4a"), &file).unwrap();
    // One ©wrt atom with two values, as iTunes-style taggers (and mutagen) write them.
    let mut ilst = Ilst::new();
    let text = |v: &str| AtomData::UTF8(v.to_string());
    for (code, values) in [
        (*b"\xa9wrt", vec![text("Hans Zimmer"), text("Lisa Gerrard")]),
        (*b"\xa9ART", vec![text("Hans Zimmer"), text("Lisa Gerrard")]),
        (*b"\xa9nam", vec![text("Now We Are Free")]),
    ] {
        ilst.insert(Atom::from_collection(AtomIdent::Fourcc(code), values).unwrap());
    }
    let mut handle = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&file)
        .unwrap();
    let mut mp4 = Mp4File::read_from(&mut handle, Default::default()).unwrap();
    mp4.set_ilst(ilst);
    mp4.save_to(&mut handle, WriteOptions::default()).unwrap();
    drop(handle);

    let lib = common::library(dir.path(), &[&root]);
    common::scan(&lib);
    let conn = lib.reader().unwrap();
    let (title, composers, artists): (String, String, String) = conn
        .query_row("SELECT title, composers, artists FROM tracks", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(title, "Now We Are Free");
    assert_eq!(composers, r#"["Hans Zimmer","Lisa Gerrard"]"#);
    assert_eq!(artists, r#"["Hans Zimmer","Lisa Gerrard"]"#);
}
