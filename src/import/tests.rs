//! Round trips through every export writer, hostile input, and random bytes.

use std::path::{Path, PathBuf};

use super::*;
use crate::export::{self, ExportEntry, ExportList, ExportTrack};

fn track_file(title: &str, artist: Option<&str>, album: &str, ms: i64, path: &str) -> ExportTrack {
    ExportTrack {
        title: title.to_owned(),
        artist: artist.map(str::to_owned),
        album: Some(album.to_owned()),
        duration_ms: Some(ms),
        path: path.into(),
    }
}

/// A list with an album, a track and a placeholder, unicode, multi-line notes with leading `#`
/// and spaces, cells that look like formulas, and a descending ranking.
fn sample() -> ExportList {
    let album = ExportEntry {
        rank: Some(3),
        kind: EntryKind::Album,
        title: "Spirited Away 千と千尋 🐉".to_owned(),
        artist: Some("Joe Hisaishi".to_owned()),
        album: None,
        year: Some(2001),
        duration_ms: Some(304_000),
        path: Some("/music/Spirited Away".into()),
        note: Some(
            "The *waltz*\n\n# not a heading, a note line\n  two spaces in\n#EXTINF:1,x".to_owned(),
        ),
        tags: vec!["anime".to_owned(), "waltz".to_owned()],
        rating: Some(5),
        tracks: vec![
            track_file(
                "One Summer's Day",
                Some("Joe Hisaishi"),
                "Spirited Away",
                184_000,
                "/music/Spirited Away/01 One Summer's Day.flac",
            ),
            track_file(
                "#2 A Dragon Boy, 100%",
                None,
                "Spirited Away",
                120_000,
                "/music/Spirited Away/#2 A Dragon Boy, 100%.flac",
            ),
        ],
        cover: None,
    };
    let track = ExportEntry {
        rank: Some(2),
        kind: EntryKind::Track,
        title: "=SUM(A1) \"Time\"".to_owned(),
        artist: Some("Hans Zimmer".to_owned()),
        album: Some("Inception".to_owned()),
        year: Some(2010),
        duration_ms: Some(275_000),
        path: Some("/music/Inception/10 Time.flac".into()),
        note: Some("-starts with a dash\n".to_owned()),
        tags: vec!["+epic".to_owned()],
        rating: Some(4),
        tracks: vec![track_file(
            "=SUM(A1) \"Time\"",
            Some("Hans Zimmer"),
            "Inception",
            275_000,
            "/music/Inception/10 Time.flac",
        )],
        cover: None,
    };
    let wish = ExportEntry {
        rank: Some(1),
        kind: EntryKind::Placeholder,
        title: "'=Dune: Part Two".to_owned(),
        artist: Some("@Hans Zimmer".to_owned()),
        album: None,
        year: Some(2024),
        duration_ms: None,
        path: None,
        note: Some("@wishlist\n\n\n   ".to_owned()),
        tags: Vec::new(),
        rating: None,
        tracks: Vec::new(),
        cover: None,
    };
    ExportList {
        title: "Best scores — 2024".to_owned(),
        note: Some("# Top three\n\n  counting down\n/etc/passwd".to_owned()),
        ranking: Ranking::Descending,
        entries: vec![album, track, wish],
    }
}

/// What a format is expected to keep of each entry's files.
#[derive(Clone, Copy)]
enum Files {
    /// Every track (playlists and JSON).
    Tracks,
    /// A track entry's own file only (CSV has one path per row).
    TrackEntryPath,
}

fn assert_entries_round_trip(what: &str, list: &ExportList, got: &ImportedList, files: Files) {
    assert_eq!(
        got.entries.len(),
        list.entries.len(),
        "{what}: one imported entry per exported entry"
    );
    for (i, (e, g)) in list.entries.iter().zip(&got.entries).enumerate() {
        let at = format!("{what}, entry {i}");
        assert_eq!(g.kind, Some(e.kind), "{at}: the kind comes back");
        assert_eq!(g.rank, e.rank, "{at}: the rank comes back");
        assert_eq!(
            g.title.as_deref(),
            Some(e.title.as_str()),
            "{at}: the title is exact"
        );
        assert_eq!(g.artist, e.artist, "{at}: the artist is exact");
        assert_eq!(g.album, e.album, "{at}: the album is exact");
        assert_eq!(g.year, e.year, "{at}: the year comes back");
        assert_eq!(g.note, e.note, "{at}: every line of the note comes back");
        assert_eq!(g.tags, e.tags, "{at}: the tags come back in order");
        assert_eq!(g.rating, e.rating, "{at}: the rating comes back");
        assert_eq!(g.path, e.path, "{at}: the folder or file comes back");
        let expected: Vec<&Path> = match (files, e.kind) {
            (Files::Tracks, _) => e.tracks.iter().map(|t| t.path.as_path()).collect(),
            (Files::TrackEntryPath, EntryKind::Track) => {
                e.path.iter().map(PathBuf::as_path).collect()
            }
            (Files::TrackEntryPath, _) => Vec::new(),
        };
        let paths: Vec<&Path> = g.files.iter().map(|f| f.path.as_path()).collect();
        assert_eq!(paths, expected, "{at}: the files come back in order");
    }
}

#[test]
fn m3u_round_trips_every_entry_field_with_relative_paths() {
    let list = sample();
    let text = export::m3u::write(&list, Some(Path::new("/music/lists")));
    let got = parse(
        text.as_bytes(),
        Format::M3u,
        Path::new("/music/lists/best.m3u8"),
        None,
    )
    .expect("our own M3U parses");
    assert!(
        text.contains("\n../Spirited Away/01 One Summer's Day.flac\n"),
        "the test exercises relative paths: {text}"
    );
    assert_entries_round_trip("M3U", &list, &got, Files::Tracks);
    assert_eq!(
        got.title.as_deref(),
        Some(list.title.as_str()),
        "the list title"
    );
    assert_eq!(got.note, list.note, "the list note, line by line");
    assert_eq!(got.ranking, Some(Ranking::Descending), "the ranking");
    let f = &got.entries[0].files[0];
    assert_eq!(
        (
            f.title.as_deref(),
            f.artist.as_deref(),
            f.album.as_deref(),
            f.duration_ms
        ),
        (
            Some("One Summer's Day"),
            Some("Joe Hisaishi"),
            Some("Spirited Away 千と千尋 🐉"),
            Some(184_000)
        ),
        "a file's title, artist and duration come from EXTINF, its album from EXTALB"
    );
    assert!(
        got.warnings.is_empty(),
        "nothing to warn about: {:?}",
        got.warnings
    );
}

#[test]
fn xspf_round_trips_every_entry_field_and_file() {
    let list = sample();
    let text = export::xspf::write(&list);
    let got = parse(
        text.as_bytes(),
        Format::Xspf,
        Path::new("/elsewhere/best.xspf"),
        None,
    )
    .expect("our own XSPF parses");
    assert_entries_round_trip("XSPF", &list, &got, Files::Tracks);
    assert_eq!(
        got.title.as_deref(),
        Some(list.title.as_str()),
        "the list title"
    );
    assert_eq!(got.note, list.note, "the list note");
    assert_eq!(got.ranking, Some(Ranking::Descending), "the ranking");
    let files: Vec<ImportedFile> = got.entries[0].files.clone();
    let expected: Vec<ImportedFile> = list.entries[0]
        .tracks
        .iter()
        .map(|t| ImportedFile {
            path: t.path.clone(),
            title: Some(t.title.clone()),
            artist: t.artist.clone(),
            album: t.album.clone(),
            duration_ms: t.duration_ms,
        })
        .collect();
    assert_eq!(files, expected, "XSPF keeps every file field exactly");
    assert!(
        got.warnings.is_empty(),
        "nothing to warn about: {:?}",
        got.warnings
    );
}

#[test]
fn csv_round_trips_every_entry_field_with_or_without_a_bom() {
    let list = sample();
    for bom in [false, true] {
        let text = export::csv::write(&list, bom);
        let got = parse(text.as_bytes(), Format::Csv, Path::new("/l/best.csv"), None)
            .expect("our own CSV parses");
        assert_entries_round_trip(
            &format!("CSV (BOM {bom})"),
            &list,
            &got,
            Files::TrackEntryPath,
        );
        let durations: Vec<Option<i64>> = got.entries.iter().map(|e| e.duration_ms).collect();
        assert_eq!(
            durations,
            [Some(304_000), Some(275_000), None],
            "whole-second durations come back exactly"
        );
        assert!(
            got.warnings.is_empty(),
            "nothing to warn about: {:?}",
            got.warnings
        );
    }
}

#[test]
fn json_round_trips_the_whole_list() {
    let list = sample();
    let text = export::json(&list);
    let got = parse(
        text.as_bytes(),
        Format::Json,
        Path::new("/l/best.json"),
        None,
    )
    .expect("our own JSON parses");
    assert_entries_round_trip("JSON", &list, &got, Files::Tracks);
    assert_eq!(
        (got.title.as_deref(), got.note.as_deref(), got.ranking),
        (
            Some(list.title.as_str()),
            list.note.as_deref(),
            Some(Ranking::Descending)
        ),
        "the list's own fields"
    );
    assert_eq!(
        got.entries[1].files[0].title.as_deref(),
        Some("=SUM(A1) \"Time\""),
        "track titles are kept"
    );
}

#[test]
fn detect_goes_by_extension_then_by_content() {
    let p = Path::new;
    assert_eq!(
        detect(p("a.M3U8"), b""),
        Some(Format::M3u),
        "extension, any case"
    );
    assert_eq!(
        detect(p("a.xspf"), b"{"),
        Some(Format::Xspf),
        "the extension wins"
    );
    assert_eq!(detect(p("a.tsv"), b""), Some(Format::Csv), "TSV is CSV");
    assert_eq!(
        detect(p("a.txt"), b"\xEF\xBB\xBF#EXTM3U\n"),
        Some(Format::M3u),
        "M3U header"
    );
    assert_eq!(
        detect(p("a"), b"<?xml version=\"1.0\"?><playlist"),
        Some(Format::Xspf),
        "an XML playlist"
    );
    assert_eq!(
        detect(p("a"), b"  {\"format\""),
        Some(Format::Json),
        "a JSON object"
    );
    assert_eq!(
        detect(p("a"), b"title;artist\n"),
        Some(Format::Csv),
        "a delimited header"
    );
    assert_eq!(
        detect(p("a"), b"music/a.flac\n"),
        Some(Format::M3u),
        "bare paths"
    );
    assert_eq!(
        detect(p("a"), b"hello there"),
        None,
        "plain prose is nothing we read"
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("#EXTM3U\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(
        detect(p("a"), &utf16),
        Some(Format::M3u),
        "UTF-16 is sniffed too"
    );
}

#[test]
fn foreign_m3u_gives_one_entry_per_path_with_extinf_and_comments() {
    let text =
        "#EXTM3U\r\n# Best opening\r\n# ever\r\n#EXTINF:184,Joe Hisaishi - One Summer's Day\r\n\
                ../music/01.flac\r\n#EXTINF:-1,Just a title\r\nfile:///m/a%20b.mp3\r\n\
                #EXTINF:0,Radio\rhttp://radio.example/live\r/m/bare.ogg\n   \n";
    let got = parse(
        text.as_bytes(),
        Format::M3u,
        Path::new("/home/me/lists/x.m3u"),
        None,
    )
    .expect("a foreign M3U parses");
    type Summary<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        Option<i64>,
        Option<&'a Path>,
    );
    let summary: Vec<Summary> = got
        .entries
        .iter()
        .map(|e| {
            (
                e.title.as_deref(),
                e.artist.as_deref(),
                e.duration_ms,
                e.path.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                Some("One Summer's Day"),
                Some("Joe Hisaishi"),
                Some(184_000),
                Some(Path::new("/home/me/music/01.flac"))
            ),
            (
                Some("Just a title"),
                None,
                None,
                Some(Path::new("/m/a b.mp3"))
            ),
            (Some("Radio"), None, Some(0), None),
            (None, None, None, Some(Path::new("/m/bare.ogg"))),
        ],
        "EXTINF fills title, artist and duration; CRLF and lone CR both end lines"
    );
    assert_eq!(
        got.entries[0].note.as_deref(),
        Some("Best opening\never"),
        "comments before an entry are its note"
    );
    assert!(
        got.entries.iter().all(|e| e.kind.is_none()),
        "a foreign file does not say what entries are"
    );
    assert_eq!(got.entries[0].files.len(), 1, "each path is one file");
    assert_eq!(
        got.warnings,
        ["line 9: not a local file (http:); kept without a file"],
        "the stream is reported with its line"
    );
}

#[test]
fn latin1_m3u_is_read_as_windows_1252_with_a_warning() {
    let got = parse(
        b"#EXTINF:1,Beyonc\xe9 \x96 Halo\n/m/Caf\xe9.mp3\n",
        Format::M3u,
        Path::new("/l/x.m3u"),
        None,
    )
    .expect("Latin-1 parses");
    assert_eq!(got.entries[0].path, Some("/m/Café.mp3".into()), "é decoded");
    assert_eq!(
        got.entries[0].title.as_deref(),
        Some("Beyoncé – Halo"),
        "0x96 is an en dash"
    );
    assert!(
        got.warnings[0].contains("Windows-1252"),
        "the guess is reported first"
    );
}

#[test]
fn path_traversal_resolves_lexically_and_nothing_is_read() {
    let got = parse(
        b"../../../../../../../../etc/passwd\n/m/./a/../b.mp3\n",
        Format::M3u,
        Path::new("/home/me/lists/x.m3u"),
        None,
    )
    .expect("parses");
    let paths: Vec<&Path> = got
        .entries
        .iter()
        .filter_map(|e| e.path.as_deref())
        .collect();
    assert_eq!(
        paths,
        [Path::new("/etc/passwd"), Path::new("/m/b.mp3")],
        "`..` is resolved from the components; the caller decides what to do with the path"
    );
    let xspf = "<playlist xmlns=\"http://xspf.org/ns/0/\"><trackList><track>\
                <location>file:///m/a%00b.mp3</location><title>T</title></track></trackList></playlist>";
    let got = parse(xspf.as_bytes(), Format::Xspf, Path::new("/l/x.xspf"), None).expect("parses");
    assert_eq!(
        got.entries[0].path, None,
        "a path with a NUL byte is refused"
    );
    assert!(
        got.warnings[0].contains("NUL"),
        "and reported: {:?}",
        got.warnings
    );
}

#[test]
fn hostile_files_are_refused_with_a_clear_reason() {
    let p = Path::new("/l/x");
    let err = |bytes: &[u8], format: Format| match parse(bytes, format, p, None) {
        Err(e) => e,
        Ok(l) => panic!(
            "{:?} as {format:?} must be refused, got {l:?}",
            String::from_utf8_lossy(bytes)
        ),
    };
    assert!(
        matches!(
            err(&vec![b'#'; MAX_BYTES + 1], Format::M3u),
            ImportError::TooLarge { .. }
        ),
        "over 64 MiB"
    );
    assert_eq!(
        err(b"\x7fELF\x02\x01\x01\0\0\0", Format::M3u).to_string(),
        "not a text file (it holds NUL bytes)",
        "an executable is not a playlist"
    );
    assert_eq!(
        err(b"\x01\x02\x03\x04\x05\x06 a", Format::Csv).to_string(),
        "not a text file (it is mostly control characters)",
        "control characters are binary"
    );
    for format in [Format::M3u, Format::Xspf, Format::Csv, Format::Json] {
        assert!(
            matches!(err(b"", format), ImportError::Empty),
            "{format:?}: an empty file"
        );
        assert!(
            matches!(err(b" \r\n\t", format), ImportError::Empty),
            "{format:?}: only whitespace"
        );
    }
    assert!(
        matches!(
            err(b"#EXTM3U\n# only a comment\n", Format::M3u),
            ImportError::NoEntries
        ),
        "no paths"
    );
    assert!(
        matches!(
            err(
                b"<playlist xmlns=\"http://xspf.org/ns/0/\"><trackList/></playlist>",
                Format::Xspf
            ),
            ImportError::NoEntries
        ),
        "no tracks"
    );
    assert!(
        matches!(
            err(b"title,artist\r\n", Format::Csv),
            ImportError::NoEntries
        ),
        "a header only"
    );
    assert!(
        matches!(
            err(b"<playlist>\n<trackList>\n</playlist>", Format::Xspf),
            ImportError::Xml { line: 3, .. }
        ),
        "malformed XML names the line"
    );
    assert!(
        matches!(
            err(
                b"<!DOCTYPE p [<!ENTITY a \"aaaa\">]><playlist>&a;</playlist>",
                Format::Xspf
            ),
            ImportError::XmlDoctype { .. }
        ),
        "entity declarations are refused"
    );
    assert!(
        matches!(
            err(b"{\"a\":1}", Format::Json),
            ImportError::NotCuebookList(_)
        ),
        "foreign JSON"
    );
    let many: String = (0..=MAX_ENTRIES).map(|i| format!("/m/{i}.mp3\n")).collect();
    assert_eq!(
        err(many.as_bytes(), Format::M3u).to_string(),
        "the file lists more than 100000 entries; split it into smaller lists",
        "too many entries"
    );
    let mut files = String::from("#EXTCUEBOOK:{\"kind\":\"album\",\"title\":\"A\"}\n");
    files.push_str(&"a\n".repeat(MAX_FILES + 1));
    assert!(
        matches!(
            err(files.as_bytes(), Format::M3u),
            ImportError::TooMany { what: "files", .. }
        ),
        "one entry cannot hold an unbounded number of files"
    );
}

#[test]
fn utf16_playlists_with_a_bom_are_read() {
    for be in [false, true] {
        let text = "#EXTM3U\r\n#EXTINF:3,Ané - Song\r\n/m/é.mp3\r\n";
        let mut bytes = if be {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if be {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        let got = parse(&bytes, Format::M3u, Path::new("/l/x.m3u"), None).expect("UTF-16 parses");
        assert_eq!(
            got.entries[0].path,
            Some("/m/é.mp3".into()),
            "big endian {be}: decoded"
        );
        assert_eq!(
            got.entries[0].artist.as_deref(),
            Some("Ané"),
            "big endian {be}: EXTINF read"
        );
    }
}

#[test]
fn an_m3u_note_keeps_blank_lines_hashes_and_spaces_but_crlf_becomes_lf() {
    let mut list = sample();
    list.entries[2].note = Some("a\r\n\r\n# b\r  c  ".to_owned());
    let text = export::m3u::write(&list, None);
    let got = parse(text.as_bytes(), Format::M3u, Path::new("/l/x.m3u8"), None).expect("parses");
    assert_eq!(
        got.entries[2].note.as_deref(),
        Some("a\n\n# b\n  c  "),
        "M3U has lines, not line ends: CRLF and CR come back as LF, everything else exactly"
    );
}

#[test]
fn csv_with_a_mapping_reads_only_the_mapped_columns() {
    let text = "x;Pos;Name\n1;#3;Dune\n2;4.;Arrival\n";
    let mapping = CsvMapping {
        has_header: true,
        rank: Some(1),
        title: Some(2),
        ..CsvMapping::default()
    };
    let got = parse(
        text.as_bytes(),
        Format::Csv,
        Path::new("/l/x.csv"),
        Some(&mapping),
    )
    .expect("parses");
    let read: Vec<(Option<u32>, Option<&str>)> = got
        .entries
        .iter()
        .map(|e| (e.rank, e.title.as_deref()))
        .collect();
    assert_eq!(
        read,
        [(Some(3), Some("Dune")), (Some(4), Some("Arrival"))],
        "ranks and titles from the mapped columns"
    );
    let preview = csv_preview(text.as_bytes()).expect("previews");
    assert_eq!(
        (preview.suggested.rank, preview.suggested.title),
        (Some(1), Some(2)),
        "Pos and Name are recognized"
    );
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

#[test]
fn random_bytes_never_panic_any_parser() {
    const PIECES: [&str; 30] = [
        "#EXTM3U\n",
        "#EXTINF:",
        "#EXTCUEBOOK:",
        "#EXTCUEBOOK-LIST:",
        "{\"kind\":\"album\"",
        "#EXTALB:",
        "\n",
        "\r",
        "\r\n",
        ",",
        ";",
        "\t",
        "\"",
        "'",
        "<playlist xmlns=\"http://xspf.org/ns/0/\">",
        "<trackList>",
        "<track>",
        "</track>",
        "<location>",
        "</location>",
        "&amp;",
        "&#",
        "<![CDATA[",
        "file:///",
        "%",
        "../",
        "\\",
        "{\"format\":\"cuebook-list\",\"version\":1,\"entries\":[",
        "é",
        "★",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let p = Path::new("/l/fuzz");
    let mut parsed = 0;
    for _ in 0..3000 {
        let mut bytes = Vec::new();
        for _ in 0..rng.below(40) {
            if rng.below(3) == 0 {
                bytes.push(rng.next() as u8);
            } else {
                bytes.extend_from_slice(rng.pick(&PIECES).as_bytes());
            }
        }
        let _ = detect(p, &bytes); // Only a panic matters here.
        let _ = csv_preview(&bytes); // Likewise.
        let mapping = CsvMapping {
            has_header: rng.below(2) == 0,
            title: Some(rng.below(3)),
            path: Some(rng.below(3)),
            rating: Some(rng.below(3)),
            ..CsvMapping::default()
        };
        for format in [Format::M3u, Format::Xspf, Format::Csv, Format::Json] {
            match parse(
                &bytes,
                format,
                p,
                Some(&mapping).filter(|_| rng.below(2) == 0),
            ) {
                Ok(list) => {
                    parsed += 1;
                    assert!(
                        !list.entries.is_empty(),
                        "a parse that succeeds has entries"
                    );
                    for e in &list.entries {
                        for f in &e.files {
                            assert!(
                                !f.path.as_os_str().is_empty(),
                                "files always have a path: {:?}",
                                String::from_utf8_lossy(&bytes)
                            );
                        }
                    }
                }
                Err(e) => assert!(!e.to_string().is_empty(), "errors explain themselves"),
            }
        }
    }
    assert!(
        parsed > 100,
        "the generator reaches the parsers' happy paths too ({parsed})"
    );
}

#[test]
fn random_lists_round_trip_through_every_readable_writer() {
    const TEXT: [&str; 16] = [
        "a", "Z", " ", "#", "=", "+", "-", "@", "'", "\"", ",", ";", "<", "&", "é", "🎻",
    ];
    const NOTE: [&str; 6] = ["x", "\n", "# ", "  ", "\t", "#EXTINF:1,a"];
    let mut rng = Rng(42);
    for round in 0..200 {
        let text = |rng: &mut Rng, pieces: &[&str], n: usize| -> String {
            let mut s = String::from("T");
            for _ in 0..rng.below(n) {
                s.push_str(rng.pick(pieces));
            }
            s
        };
        let n = 1 + rng.below(4);
        let kinds = [EntryKind::Album, EntryKind::Track, EntryKind::Placeholder];
        let entries: Vec<ExportEntry> = (0..n)
            .map(|i| {
                let kind = kinds[rng.below(3)];
                let folder = format!("/m/{}{i}", text(&mut rng, &TEXT[..13], 6).replace('\\', ""));
                let tracks: Vec<ExportTrack> = match kind {
                    EntryKind::Placeholder => Vec::new(),
                    EntryKind::Track => vec![track_file(
                        "t",
                        None,
                        "a",
                        1000,
                        &format!("{folder}/t.flac"),
                    )],
                    EntryKind::Album => (0..1 + rng.below(3))
                        .map(|j| track_file("t", None, "a", 1000, &format!("{folder}/{j}.flac")))
                        .collect(),
                };
                ExportEntry {
                    rank: Some((n - i) as u32),
                    kind,
                    title: text(&mut rng, &TEXT, 8),
                    artist: (rng.below(2) == 0).then(|| text(&mut rng, &TEXT, 8)),
                    album: (rng.below(2) == 0).then(|| text(&mut rng, &TEXT, 8)),
                    year: (rng.below(2) == 0).then(|| 1900 + rng.below(200) as i32),
                    duration_ms: None,
                    path: match kind {
                        EntryKind::Placeholder => None,
                        EntryKind::Track => Some(tracks[0].path.clone()),
                        EntryKind::Album => Some(folder.clone().into()),
                    },
                    note: (rng.below(2) == 0).then(|| text(&mut rng, &NOTE, 10)),
                    tags: (0..rng.below(3))
                        .map(|_| text(&mut rng, &TEXT[..11], 5).trim().to_owned())
                        .collect(),
                    rating: (rng.below(2) == 0).then(|| rng.below(6) as u8),
                    tracks,
                    cover: None,
                }
            })
            .collect();
        let list = ExportList {
            title: "L".to_owned(),
            note: None,
            ranking: Ranking::Descending,
            entries,
        };
        let p = Path::new("/m/lists/x");
        let what = |f: &str| format!("round {round}, {f}");
        let m3u = export::m3u::write(&list, Some(Path::new("/m/lists")));
        let got = parse(m3u.as_bytes(), Format::M3u, p, None).expect("M3U parses");
        assert_entries_round_trip(&what("M3U"), &list, &got, Files::Tracks);
        let xspf = export::xspf::write(&list);
        let got = parse(xspf.as_bytes(), Format::Xspf, p, None).expect("XSPF parses");
        assert_entries_round_trip(&what("XSPF"), &list, &got, Files::Tracks);
        let csv = export::csv::write(&list, false);
        let got = parse(csv.as_bytes(), Format::Csv, p, None).expect("CSV parses");
        assert_entries_round_trip(&what("CSV"), &list, &got, Files::TrackEntryPath);
        let json = export::json(&list);
        let got = parse(json.as_bytes(), Format::Json, p, None).expect("JSON parses");
        assert_entries_round_trip(&what("JSON"), &list, &got, Files::Tracks);
    }
}

#[test]
fn a_damaged_cuebook_m3u_line_costs_only_that_entrys_fields() {
    let text = "#EXTM3U\n#EXTCUEBOOK-LIST:{\"ranking\":\"sideways\"}\n\
                #EXTCUEBOOK:{\"kind\":\"track\",\"title\":\"Fine\",\"rating\":9}\n# its note\n/m/a.mp3\n\
                #EXTCUEBOOK:{not json\n# kept note\n/m/b.mp3\n\
                #EXTCUEBOOK:{\"kind\":\"album\",\"tracks\":[{},{}]}\n/m/c/1.mp3\n";
    let got = parse(text.as_bytes(), Format::M3u, Path::new("/l/x.m3u8"), None)
        .expect("a damaged Cuebook M3U still parses");
    type Read<'a> = (Option<EntryKind>, Option<&'a str>, Option<&'a str>, usize);
    let read: Vec<Read> = got
        .entries
        .iter()
        .map(|e| (e.kind, e.title.as_deref(), e.note.as_deref(), e.files.len()))
        .collect();
    assert_eq!(
        read,
        [
            (Some(EntryKind::Track), Some("Fine"), Some("its note"), 1),
            (None, None, Some("kept note"), 1),
            (None, None, None, 1),
        ],
        "a bad line becomes a plain entry that keeps its note and files"
    );
    assert_eq!(got.entries[0].rating, None, "a rating of 9 is left out");
    assert_eq!(got.ranking, None, "an unknown ranking is ignored");
    assert_eq!(
        got.warnings.len(),
        4,
        "the ranking, the rating and both bad lines are reported: {:?}",
        got.warnings
    );
}
