//! Real consumers read Cuebook's exports: XSPF is checked against the XSPF version 1 structure and
//! read by totem-pl-parser, M3U8 is played by mpv (and its files probed by ffprobe), CSV is read by
//! Python's csv module and converted by LibreOffice (no cell may become a formula), HTML is
//! rendered by WebKitGTK (screenshot kept in target/export-consumers/), Markdown by cmark-gfm and
//! JSON by Python's json module.
//!
//! The list is built over real audio files from the corpus, copied into a temporary library whose
//! folder and file names hold non-ASCII letters, spaces, commas, quotes, `#` and `%`; its entries
//! hold Unicode titles, multi-line Markdown notes and hostile values (formula-like cells, quotes,
//! CR and LF, `</script>`). The consumers are scripts in tests/consumers/ that print what they saw
//! as JSON. A test is skipped, with a message, only when the corpus or a consumer program is
//! missing (a script exits 77 then); scripts/bootstrap.sh installs them.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use cuebook::export::{
    self, csv, html, m3u, markdown, xspf, Cover, EntryKind, ExportEntry, ExportList, ExportTrack,
    Ranking,
};
use lofty::file::AudioFile;
use serde_json::Value;

/// A temporary library of copied corpus files and a list over it.
struct Fixture {
    dir: tempfile::TempDir,
    list: ExportList,
}

impl Fixture {
    fn out(&self, name: &str) -> PathBuf {
        let lists = self.dir.path().join("Lists");
        std::fs::create_dir_all(&lists).expect("the output folder is created");
        lists.join(name)
    }

    /// Every file the list plays, in order.
    fn tracks(&self) -> Vec<&ExportTrack> {
        self.list.entries.iter().flat_map(|e| &e.tracks).collect()
    }
}

/// Copies `files` (corpus paths, new names) into `folder` and describes them as tracks.
fn copy_tracks(
    corpus: &Path,
    folder: &Path,
    files: &[(&str, &str, &str)],
    artist: &str,
    album: &str,
) -> Vec<ExportTrack> {
    std::fs::create_dir_all(folder).expect("the album folder is created");
    files
        .iter()
        .map(|(from, to, title)| {
            let path = folder.join(to);
            std::fs::copy(corpus.join(from), &path)
                .unwrap_or_else(|e| panic!("corpus file {from} is copied: {e}"));
            let duration = lofty::read_from_path(&path)
                .unwrap_or_else(|e| panic!("{from} is a readable audio file: {e}"))
                .properties()
                .duration();
            ExportTrack {
                title: (*title).to_owned(),
                artist: Some(artist.to_owned()),
                album: Some(album.to_owned()),
                duration_ms: i64::try_from(duration.as_millis()).ok(),
                path,
            }
        })
        .collect()
}

fn blank(kind: EntryKind, title: &str) -> ExportEntry {
    ExportEntry::new(kind, title)
}

fn album(
    title: &str,
    artist: &str,
    folder: &Path,
    tracks: Vec<ExportTrack>,
    cover: Option<Cover>,
) -> ExportEntry {
    let mut e = blank(EntryKind::Album, title);
    e.artist = Some(artist.to_owned());
    e.duration_ms = Some(tracks.iter().filter_map(|t| t.duration_ms).sum());
    e.path = Some(folder.to_path_buf());
    e.tracks = tracks;
    e.cover = cover;
    e
}

fn track(title: &str, t: ExportTrack) -> ExportEntry {
    let mut e = blank(EntryKind::Track, title);
    e.artist = t.artist.clone();
    e.album = t.album.clone();
    e.duration_ms = t.duration_ms;
    e.path = Some(t.path.clone());
    e.tracks = vec![t];
    e
}

/// The list every test exports: two albums, four tracks and two wishlist items, counted down.
fn fixture(test: &str) -> Option<Fixture> {
    let corpus = common::corpus(test)?;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let library = dir.path().join("Bibliothèque");
    let read = |p: &str| std::fs::read(corpus.join(p)).expect("corpus image is readable");

    let ghibli = library.join("久石譲/千と千尋の神隠し (2001)");
    let ghibli_tracks = copy_tracks(
        &corpus,
        &ghibli,
        &[
            ("beets/full.flac", "01 あの夏へ.flac", "あの夏へ"),
            (
                "beets/full.ogg",
                "02 Ano, \"Natsu\" #2.ogg",
                "Ano \"Natsu\", part 2",
            ),
            ("beets/full.mp3", "03 100% Fun?.mp3", "100% Fun?"),
        ],
        "久石譲",
        "千と千尋の神隠し",
    );
    let mut spirited = album(
        "千と千尋の神隠し",
        "久石譲 (Joe Hisaishi)",
        &ghibli,
        ghibli_tracks,
        Some(Cover {
            mime: "image/jpeg".to_owned(),
            bytes: read("beets/abbey.jpg"),
        }),
    );
    spirited.year = Some(2001);
    spirited.rating = Some(5);
    spirited.tags = vec!["ghibli".to_owned(), "piano".to_owned()];
    spirited.note = Some(
        "**Opening** cue, then:\n\n- *One Summer's Day*\n- \"Reprise\", with strings\n\n\
         > Quoted, with a comma\n\nLast line — fin."
            .to_owned(),
    );

    let rogue = library.join("HyperRogue, Sounds & Spells");
    let rogue_tracks = copy_tracks(
        &corpus,
        &rogue,
        &[
            ("hyperrogue-music/sounds/apple.ogg", "apple.ogg", "Apple"),
            (
                "hyperrogue-music/sounds/pickup-gem.ogg",
                "pickup gem.ogg",
                "Pickup: gem",
            ),
            (
                "hyperrogue-music/sounds/seen-necromancer.ogg",
                "Nécromancien.ogg",
                "Nécromancien",
            ),
            (
                "hyperrogue-music/sounds/splash2.ogg",
                "#splash 2.ogg",
                "Splash 2",
            ),
        ],
        "Shawn Parrotte",
        "HyperRogue",
    );
    let mut sounds = album(
        "HyperRogue: Sons & Sorts",
        "+Shawn Parrotte",
        &rogue,
        rogue_tracks,
        Some(Cover {
            mime: "image/png".to_owned(),
            bytes: read("beets/image-2x3.png"),
        }),
    );
    sounds.year = Some(2022);
    sounds.rating = Some(3);
    sounds.tags = vec!["-ambient".to_owned(), "@chiptune".to_owned()];
    sounds.note = Some("Line one\r\nLine two, \"quoted\", end\n\tindented".to_owned());

    let singles = library.join("Singles");
    let mut singles_tracks = copy_tracks(
        &corpus,
        &singles,
        &[
            ("hyperrogue-music/music/hr3-caves.ogg", "Caves.ogg", "Caves"),
            (
                "mutagen/silence-2s-PCM-44100-16-ID3v23.wav",
                "#1 Ëxposé, \"live\".wav",
                "Ëxposé",
            ),
            (
                "singularity-music/lose/Chimes They Fade.ogg",
                "Chimes They Fade.ogg",
                "Chimes They Fade",
            ),
            (
                "singularity-music/lose/March Thee to Dis.ogg",
                "March Thee to Dis.ogg",
                "March Thee to Dis",
            ),
        ],
        "Various",
        "Singles",
    )
    .into_iter();
    let mut next = |title: &str| {
        let mut t = singles_tracks.next().expect("one file per single");
        t.title = title.to_owned();
        t
    };
    let mut caves = track(
        "</script><script>window.__pwned=1</script> Caves",
        next("</script><script>window.__pwned=1</script> Caves"),
    );
    caves.note = Some(
        "Try [this](javascript:window.__pwned=1) or <img src=x onerror=\"window.__pwned=1\">.\n\
         Second line."
            .to_owned(),
    );
    caves.tags = vec!["space, ambient".to_owned()];
    let mut expose = track("-2+3 Ëxposé à la café", next("-2+3 Ëxposé à la café"));
    expose.year = Some(1999);
    expose.rating = Some(4);
    let mut tabbed = track("\tTabbed title", next("\tTabbed title"));
    tabbed.note = Some("=SUM(1+1)\nstarts like a formula".to_owned());
    let mut cr = track("\rCarriage return", next("\rCarriage return"));
    cr.artist = Some("@Max McCracken".to_owned());

    let mut dune = blank(
        EntryKind::Placeholder,
        "=HYPERLINK(\"http://evil.example\",\"Dune\")",
    );
    dune.artist = Some("@Hans Zimmer".to_owned());
    dune.note =
        Some("Not released on CD yet.\nWatch for the *deluxe* edition, \"2CD\", 2024.".to_owned());
    dune.cover = Some(Cover {
        mime: "image/svg+xml".to_owned(),
        bytes: b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"window.__pwned=1\"/>".to_vec(),
    });
    let mut jaws = blank(EntryKind::Placeholder, "Jaws — 40th Anniversary");
    // Already quoted once, as a spreadsheet user might type it: quoted once more.
    jaws.artist = Some("'=John Williams".to_owned());
    jaws.year = Some(1975);

    let mut list = ExportList {
        title: "Meilleures B.O. — 千と <script>alert('list')</script>".to_owned(),
        note: Some(
            "My *favourite* scores, counted down.\n\nRules:\n\n1. owned or wished\n2. one per \
             composer"
                .to_owned(),
        ),
        ranking: Ranking::Descending,
        entries: vec![spirited, caves, sounds, expose, dune, tabbed, jaws, cr],
    };
    let len = list.entries.len();
    for (i, e) in list.entries.iter_mut().enumerate() {
        e.rank = list.ranking.rank(i, len);
    }
    Some(Fixture { dir, list })
}

/// Debian's Python: the GObject bindings totem-pl-parser needs are installed for it.
fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/consumers")
        .join(name)
}

/// Runs a consumer and returns what it printed, or `None` (with a message) when it says it is
/// not installed (exit 77) or its launcher is missing.
fn consume(test: &str, mut command: Command) -> Option<Value> {
    let shown = format!("{command:?}");
    let out = match command.output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "SKIPPED {test}: cannot run {}: {e} (scripts/bootstrap.sh installs it)",
                command.get_program().to_string_lossy()
            );
            return None;
        }
        Err(e) => panic!("{shown} could not start: {e}"),
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(77) {
        eprintln!(
            "SKIPPED {test}: a consumer is not installed (scripts/bootstrap.sh installs it): {}",
            stderr.trim()
        );
        return None;
    }
    assert!(
        out.status.success(),
        "{shown} must read the export without complaint, it said:\n{stderr}\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{shown} prints JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    }))
}

fn python_consumer(test: &str, name: &str, args: &[&Path]) -> Option<Value> {
    let mut command = Command::new(python());
    command.arg(script(name)).args(args);
    consume(test, command)
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{} is written: {e}", path.display()));
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("{v} is a string"))
}

/// HTML parsers turn CR LF and lone CR into LF (input stream preprocessing) and so does Calc (a
/// line break in a cell), so that is what readers of those see. XSPF needs none of this: its
/// writer escapes CR, which XML readers then keep.
fn lf(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// What a spreadsheet must see for a text cell: the CSV writer's documented neutralization.
fn neutralized(s: &str) -> String {
    if s.trim_start_matches('\'')
        .starts_with(cuebook::export::csv::FORMULA_STARTS)
    {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

#[test]
fn xspf_is_valid_xspf_1_and_totem_pl_parser_reads_every_track() {
    let test = "xspf_is_valid_xspf_1_and_totem_pl_parser_reads_every_track";
    let Some(f) = fixture(test) else { return };
    let path = f.out("list.xspf");
    write(&path, &xspf::write(&f.list));
    let Some(seen) = python_consumer(test, "xspf_read.py", &[&path]) else {
        return;
    };

    let totem = &seen["totem"];
    assert_eq!(
        text(&totem["title"]),
        f.list.title,
        "totem-pl-parser reads the playlist title as written"
    );
    let entries = totem["entries"].as_array().expect("totem lists entries");
    let read: Vec<(PathBuf, String)> = entries
        .iter()
        .map(|e| {
            (
                PathBuf::from(text(&e["path"])),
                text(&e["title"]).to_owned(),
            )
        })
        .collect();
    let expected: Vec<(PathBuf, String)> = f
        .tracks()
        .iter()
        .map(|t| (t.path.clone(), t.title.clone()))
        .collect();
    assert_eq!(
        read, expected,
        "totem-pl-parser resolves every track's location to its file, in order, with its title"
    );
    for (e, t) in entries.iter().zip(f.tracks()) {
        if let Some(ms) = t.duration_ms {
            assert_eq!(
                text(&e["duration-ms"]),
                ms.to_string(),
                "the duration is read back in milliseconds for {}",
                t.path.display()
            );
        }
        if let Some(artist) = &t.artist {
            assert_eq!(text(&e["author"]), artist, "the creator is read back");
        }
    }

    let tracks = seen["playlist"]["trackList"]
        .as_array()
        .expect("the checker lists the tracks");
    let annotations: Vec<&str> = tracks
        .iter()
        .filter_map(|t| t["annotation"].as_str())
        .collect();
    for e in &f.list.entries {
        if let Some(note) = &e.note {
            assert!(
                annotations.contains(&note.as_str()),
                "the note of {:?} is an annotation, verbatim: {annotations:?}",
                e.title
            );
        }
        if e.kind == EntryKind::Placeholder {
            assert!(
                tracks
                    .iter()
                    .any(|t| t["title"] == e.title.as_str() && t.get("location").is_none()),
                "the wishlist item {:?} is a track without a location",
                e.title
            );
        }
    }
    assert_eq!(
        seen["playlist"]["annotation"].as_str(),
        f.list.note.as_deref(),
        "the list's note is the playlist annotation"
    );
}

#[test]
fn m3u8_plays_every_track_in_mpv_with_relative_and_absolute_paths() {
    let test = "m3u8_plays_every_track_in_mpv_with_relative_and_absolute_paths";
    let Some(f) = fixture(test) else { return };
    let relative = f.out("relative.m3u8");
    let folder = relative.parent().unwrap().to_path_buf();
    write(&relative, &m3u::write(&f.list, Some(&folder)));
    let absolute = f.out("absolute.m3u8");
    write(&absolute, &m3u::write(&f.list, None));

    for playlist in [&relative, &absolute] {
        let Some(seen) = python_consumer(test, "m3u_play.py", &[playlist]) else {
            return;
        };
        let listed: Vec<&str> = seen["playlist"]
            .as_array()
            .expect("mpv lists the playlist it parsed")
            .iter()
            .map(|e| text(&e["filename"]))
            .collect();
        assert!(
            listed
                .iter()
                .all(|name| name.starts_with('/') == (playlist == &absolute)),
            "{} holds {} paths: {listed:?}",
            playlist.display(),
            if playlist == &absolute {
                "absolute"
            } else {
                "relative"
            }
        );
        let played = seen["played"].as_array().expect("mpv lists what it played");
        let resolved: Vec<PathBuf> = played
            .iter()
            .map(|p| PathBuf::from(text(&p["resolved"])))
            .collect();
        let expected: Vec<PathBuf> = f.tracks().iter().map(|t| t.path.clone()).collect();
        assert_eq!(
            resolved,
            expected,
            "mpv opens every track of {}, in order, and nothing else",
            playlist.display()
        );
        for (p, t) in played.iter().zip(f.tracks()) {
            let title = text(&p["playlist_title"]);
            let one_line = t.title.replace(['\r', '\n'], " ");
            assert!(
                title.contains(one_line.trim()),
                "mpv takes the #EXTINF title {title:?} for {one_line:?}"
            );
            let probe = &p["ffprobe"];
            assert!(
                probe["codecs"].as_array().is_some_and(|c| !c.is_empty()),
                "ffprobe finds an audio stream in {}: {probe}",
                t.path.display()
            );
            assert!(
                p["audio_codecs"].as_array().is_some_and(|c| !c.is_empty()),
                "mpv found an audio stream in {}: {p}",
                t.path.display()
            );
        }
    }
}

#[test]
fn csv_reads_verbatim_in_python_and_as_plain_text_in_libreoffice() {
    let test = "csv_reads_verbatim_in_python_and_as_plain_text_in_libreoffice";
    let Some(f) = fixture(test) else { return };
    let with_bom = f.out("with-bom.csv");
    write(&with_bom, &csv::write(&f.list, true));
    let plain = f.out("plain.csv");
    write(&plain, &csv::write(&f.list, false));
    // One LibreOffice start for both files.
    let Some(seen) = python_consumer(test, "csv_read.py", &[&with_bom, &plain]) else {
        return;
    };

    let files = seen["files"].as_array().expect("one result per file");
    assert_eq!(files.len(), 2);
    for (file, bom) in files.iter().zip([true, false]) {
        assert_eq!(
            file["bom"], bom,
            "the byte order mark is written only when asked"
        );
        let python = file["python"].as_array().expect("Python's rows");
        let office = file["libreoffice"].as_array().expect("LibreOffice's rows");
        assert_eq!(
            python.len(),
            f.list.entries.len() + 1,
            "Python reads a header and one row per entry"
        );
        assert_eq!(
            office.len(),
            python.len(),
            "LibreOffice reads as many rows as Python: no line break in a note split a row"
        );
        let header: Vec<&str> = python[0]
            .as_array()
            .expect("a header row")
            .iter()
            .map(text)
            .collect();
        let column = |name: &str| {
            header
                .iter()
                .position(|h| *h == name)
                .unwrap_or_else(|| panic!("the header has {name}: {header:?}"))
        };
        assert_eq!(
            office[0], python[0],
            "LibreOffice sees the same header, the BOM is not part of it"
        );
        for (i, e) in f.list.entries.iter().enumerate() {
            let row = &python[i + 1];
            let expected = [
                ("rank", e.rank.map(|r| r.to_string()).unwrap_or_default()),
                ("kind", e.kind.as_str().to_owned()),
                ("title", neutralized(&e.title)),
                ("artist", neutralized(e.artist.as_deref().unwrap_or(""))),
                ("tags", neutralized(&e.tags.join("; "))),
                ("note", neutralized(e.note.as_deref().unwrap_or(""))),
            ];
            for (name, value) in &expected {
                assert_eq!(
                    text(&row[column(name)]),
                    value,
                    "Python reads the {name} of entry {i} verbatim, formula-like text behind an apostrophe"
                );
            }
            let office_row = office[i + 1].as_array().expect("a LibreOffice row");
            let types = &file["libreoffice_types"][i + 1];
            for name in ["title", "artist", "tags", "note"] {
                let at = column(name);
                let cell = office_row.get(at).map_or("", text);
                let python_cell = text(&row[at]);
                assert_eq!(
                    cell,
                    lf(python_cell),
                    "LibreOffice shows the {name} of entry {i} as the text Python read"
                );
                if !python_cell.is_empty() {
                    assert_eq!(
                        types[at], "string",
                        "LibreOffice keeps the {name} of entry {i} as text, not a number or formula"
                    );
                }
            }
        }
    }
}

#[test]
fn html_renders_in_webkit_with_every_cover_loaded_and_nothing_run() {
    let test = "html_renders_in_webkit_with_every_cover_loaded_and_nothing_run";
    let Some(f) = fixture(test) else { return };
    let page = f.out("cuebook-list.html");
    write(&page, &html::write_dated(&f.list, "2024-05-01"));
    let mut wishlist = f.list.clone();
    wishlist.title = "Wishlist".to_owned();
    wishlist.note = None;
    wishlist.ranking = Ranking::Ascending;
    wishlist
        .entries
        .retain(|e| e.kind == EntryKind::Placeholder);
    let wish_page = f.out("cuebook-wishlist.html");
    write(&wish_page, &html::write(&wishlist));

    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/export-consumers");
    // One X server and one browser session for both pages.
    let mut command = Command::new("xvfb-run");
    command
        .args(["-a", "-s", "-screen 0 1280x8000x24", python()])
        .arg(script("html_render.py"))
        .arg(&shots)
        .args([&page, &wish_page]);
    let Some(seen) = consume(test, command) else {
        return;
    };
    let pages = seen["pages"].as_array().expect("one result per page");
    let (main, wish) = (&pages[0], &pages[1]);

    assert_eq!(
        text(&main["title"]),
        f.list.title,
        "the page title is the list's title as text"
    );
    assert_eq!(
        main["entries"],
        f.list.entries.len(),
        "one entry per list entry"
    );
    assert_eq!(
        main["wishlist"], 2,
        "both placeholders are marked as wishlist"
    );
    assert_eq!(
        main["ranks"],
        serde_json::json!(["8", "7", "6", "5", "4", "3", "2", "1"]),
        "a descending list counts down to 1"
    );
    let titles: Vec<String> = f.list.entries.iter().map(|e| lf(&e.title)).collect();
    assert_eq!(
        main["titles"],
        serde_json::json!(titles),
        "every title, `</script>` included, is shown as the text it is"
    );
    let images = main["images"]
        .as_array()
        .expect("the page lists its images");
    assert_eq!(
        images.len(),
        2,
        "the JPEG and PNG covers are images; the SVG one is dropped: {images:?}"
    );
    for image in images {
        assert_eq!(image["scheme"], "data", "covers are inline: {image}");
        assert!(
            image["naturalWidth"].as_u64().is_some_and(|w| w > 0),
            "every cover loads under the page's Content Security Policy: {image}"
        );
    }
    assert_eq!(
        main["blank_covers"], 6,
        "entries without a cover get a blank square"
    );
    assert_eq!(main["scripts"], 0, "no script element exists in the page");
    assert_eq!(
        main["script_ran"], false,
        "no hostile title or note ran code"
    );
    assert_eq!(
        main["styled"], "grid",
        "the inline stylesheet applies under the CSP"
    );
    assert!(
        main["links"]
            .as_array()
            .is_some_and(|l| l.iter().all(|h| !text(h).starts_with("javascript:"))),
        "no javascript: link survives: {}",
        main["links"]
    );
    let visible = text(&main["text"]);
    for needle in [
        "My favourite scores, counted down.",
        "One Summer's Day",
        "Exported from Cuebook on 2024-05-01",
        "WISHLIST", // The badge, upper-cased by the stylesheet.
        "not owned",
        "★★★★★",
    ] {
        assert!(
            visible.contains(needle),
            "the page shows {needle:?}:\n{visible}"
        );
    }
    let notes = main["notes"].as_array().expect("notes per entry");
    assert!(
        text(&notes[1]).contains("<img src=x onerror=\"window.__pwned=1\">"),
        "raw HTML in a note is shown as text: {}",
        notes[1]
    );
    assert_eq!(
        wish["ranks"],
        serde_json::json!(["1", "2"]),
        "an ascending list counts up"
    );
    assert_eq!(wish["entries"], 2);

    let shot = PathBuf::from(text(&main["screenshot"]));
    let png = std::fs::read(&shot).expect("the screenshot is kept");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "the screenshot is a real PNG of the page"
    );
    println!(
        "HTML export screenshot: {} (print preview: {})",
        shot.display(),
        text(&main["print_preview"])
    );
}

#[test]
fn markdown_renders_one_heading_per_entry_in_cmark_gfm() {
    let test = "markdown_renders_one_heading_per_entry_in_cmark_gfm";
    let Some(f) = fixture(test) else { return };
    let path = f.out("list.md");
    write(&path, &markdown::write(&f.list));
    let Some(seen) = python_consumer(test, "markdown_read.py", &[&path]) else {
        return;
    };
    let headings = seen["headings"].as_array().expect("headings");
    let h1: Vec<&Value> = headings.iter().filter(|h| h["level"] == 1).collect();
    let h2: Vec<&str> = headings
        .iter()
        .filter(|h| h["level"] == 2)
        .map(|h| text(&h["text"]))
        .collect();
    assert_eq!(h1.len(), 1, "one title heading: {headings:?}");
    assert_eq!(
        h2.len(),
        f.list.entries.len(),
        "one section per entry, whatever the titles and notes hold: {h2:?}"
    );
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        words(text(&h1[0]["text"])),
        words(&f.list.title),
        "the list title, `<script>` included, is heading text, not HTML"
    );
    for (heading, e) in h2.iter().zip(&f.list.entries) {
        let rank = e.rank.expect("a ranked list");
        assert!(
            heading.starts_with(&format!("{rank}. ")),
            "the section of {:?} is numbered by its rank: {heading:?}",
            e.title
        );
        // Line breaks and tabs in a title become spaces in a heading; everything else must read
        // as written, Markdown and HTML punctuation included.
        assert!(
            words(heading).contains(&words(&e.title)),
            "the heading shows the title {:?} as written: {heading:?}",
            e.title
        );
    }
    // Notes are copied as Markdown, raw HTML included (cmark-gfm drops it in safe mode); titles
    // must never add any.
    let notes_with_html = f
        .list
        .entries
        .iter()
        .filter(|e| e.note.as_deref().is_some_and(|n| n.contains('<')))
        .count();
    assert!(
        seen["raw_html_omitted"]
            .as_u64()
            .is_some_and(|n| n as usize <= notes_with_html),
        "only notes may hold raw HTML, titles are escaped: {}",
        seen["raw_html_omitted"]
    );
}

#[test]
fn json_reads_back_in_python_with_every_field() {
    let test = "json_reads_back_in_python_with_every_field";
    let Some(f) = fixture(test) else { return };
    let path = f.out("list.json");
    write(&path, &export::json(&f.list));
    let Some(seen) = python_consumer(test, "json_read.py", &[&path]) else {
        return;
    };
    assert_eq!(seen["format"], "cuebook-list", "the format key comes first");
    let back: ExportList =
        serde_json::from_value(seen).expect("what Python read is the list model again");
    let mut expected = f.list.clone();
    for e in &mut expected.entries {
        e.cover = None; // Covers are HTML-only and never serialized.
    }
    assert_eq!(
        back, expected,
        "Python reads every title, note, tag and path exactly as exported"
    );
}
