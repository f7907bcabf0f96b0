//! Articles on the reference collection: the five real articles in ../shared/articles imported
//! into a cataloged copy of the reference collection (user-set works applied), scored against
//! ../shared/library/expected-links.json, turned into a list, re-detected after library changes,
//! and backed up.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use cuebook::annotate;
use cuebook::articles::{self, Decision, Source, Subject};
use cuebook::lists;
use cuebook::Library;
use serde_json::Value;

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    dir.join("articles").is_dir().then_some(dir)
}

/// The reference collection cataloged, with the collector's work titles set, plus the maps
/// from album ids and track ids to the reference keys.
struct Collection {
    _dir: tempfile::TempDir,
    root: PathBuf,
    lib: Library,
    album_key: HashMap<i64, String>,
    track_key: HashMap<i64, (String, String)>,
}

fn collection(test: &str) -> Option<Collection> {
    if shared().is_none() {
        eprintln!("SKIPPED {test}: ../shared/articles is not available");
        return None;
    }
    let (dir, root, lib, reference) = common::copied_reference(test)?;
    let mut album_key = HashMap::new();
    for (id, title) in common::ids(&lib, "SELECT id, title FROM albums") {
        let spec = reference
            .albums
            .iter()
            .find(|a| a.album == title)
            .unwrap_or_else(|| panic!("{title} is in the reference"));
        if spec.work_from_user {
            annotate::set_fields(
                &lib,
                annotate::Target::Album(id),
                &[
                    ("work".into(), spec.work.clone()),
                    ("work-year".into(), spec.work_year.to_string()),
                ],
            )
            .unwrap();
        }
        album_key.insert(id, spec.key.clone());
    }
    let mut track_key = HashMap::new();
    let conn = lib.reader().unwrap();
    let mut stmt = conn
        .prepare("SELECT id, album_id, title FROM tracks")
        .unwrap();
    let rows: Vec<(i64, i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (id, album, title) in rows {
        track_key.insert(id, (album_key[&album].clone(), title));
    }
    Some(Collection {
        _dir: dir,
        root,
        lib,
        album_key,
        track_key,
    })
}

fn import(lib: &Library, name: &str) -> articles::Imported {
    let path = shared().unwrap().join("articles").join(name);
    articles::import(lib, Source::File(&path), &AtomicBool::new(false))
        .unwrap_or_else(|e| panic!("{name} imports: {e}"))
}

/// Imports `text` as the app's paste does.
fn paste(lib: &Library, text: &str) -> articles::Imported {
    let source = Source::Text {
        text,
        name: "the pasted text",
    };
    articles::import(lib, source, &AtomicBool::new(false)).expect("the pasted text imports")
}

#[derive(Default, Debug, Clone, Copy)]
struct Score {
    linked: usize,
    linked_ok: usize,
    must: usize,
    must_found: usize,
}

impl Score {
    fn add(&mut self, o: Score) {
        self.linked += o.linked;
        self.linked_ok += o.linked_ok;
        self.must += o.must;
        self.must_found += o.must_found;
    }
    fn precision(&self) -> f64 {
        if self.linked == 0 {
            1.0
        } else {
            self.linked_ok as f64 / self.linked as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.must == 0 {
            1.0
        } else {
            self.must_found as f64 / self.must as f64
        }
    }
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| match x {
            Value::String(s) => s.clone(),
            Value::Array(pair) => format!(
                "{} / {}",
                pair[0].as_str().unwrap(),
                pair[1].as_str().unwrap()
            ),
            _ => panic!("unexpected {x}"),
        })
        .collect()
}

fn score(linked: &BTreeSet<String>, must: &BTreeSet<String>, may: &BTreeSet<String>) -> Score {
    Score {
        linked: linked.len(),
        linked_ok: linked
            .iter()
            .filter(|l| must.contains(*l) || may.contains(*l))
            .count(),
        must: must.len(),
        must_found: must.iter().filter(|m| linked.contains(*m)).count(),
    }
}

#[test]
fn links_on_the_reference_articles_meet_the_quality_bar() {
    let Some(c) = collection("links_on_the_reference_articles_meet_the_quality_bar") else {
        return;
    };
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(shared().unwrap().join("library/expected-links.json")).unwrap(),
    )
    .unwrap();
    let mut totals = [Score::default(); 3];
    let mut report = String::new();
    for (name, want) in expected["articles"].as_object().unwrap() {
        let imported = import(&c.lib, name);
        let view = articles::get(&c.lib, imported.id).unwrap();
        let mut got: [BTreeSet<String>; 3] = Default::default();
        for l in &view.links {
            match l.kind.as_str() {
                "album" => {
                    got[0].insert(c.album_key[&l.album_id.expect("album attached")].clone());
                }
                "track" => {
                    let (a, t) = &c.track_key[&l.track_id.expect("track attached")];
                    got[1].insert(format!("{a} / {t}"));
                }
                "person" => {
                    got[2].insert(l.label.clone());
                }
                _ => {}
            }
        }
        report.push_str(&format!("\n{name}\n"));
        for (k, kind) in ["albums", "tracks", "people"].iter().enumerate() {
            let must = strings(&want[format!("{kind}_must")]);
            let may = strings(&want[format!("{kind}_may")]);
            let s = score(&got[k], &must, &may);
            totals[k].add(s);
            let false_links: Vec<&String> = got[k]
                .iter()
                .filter(|l| !must.contains(*l) && !may.contains(*l))
                .collect();
            let missed: Vec<&String> = must.iter().filter(|m| !got[k].contains(*m)).collect();
            report.push_str(&format!(
                "  {kind:<7} linked {:>2}, correct {:>2}, must {:>2}, found {:>2}",
                s.linked, s.linked_ok, s.must, s.must_found
            ));
            if !false_links.is_empty() {
                report.push_str(&format!("  false: {false_links:?}"));
            }
            if !missed.is_empty() {
                report.push_str(&format!("  missed: {missed:?}"));
            }
            report.push('\n');
        }
    }
    let mut all = Score::default();
    report.push_str("\nscores over all articles\n");
    for (k, kind) in ["albums", "tracks", "people"].iter().enumerate() {
        all.add(totals[k]);
        report.push_str(&format!(
            "  {kind:<7} precision {:.3}  recall {:.3}\n",
            totals[k].precision(),
            totals[k].recall()
        ));
    }
    report.push_str(&format!(
        "  {:<7} precision {:.3}  recall {:.3}\n",
        "all",
        all.precision(),
        all.recall()
    ));
    println!("{report}");
    for (k, kind) in ["albums", "tracks", "people"].iter().enumerate() {
        assert!(
            totals[k].precision() >= 0.95 && totals[k].recall() >= 0.90,
            "{kind} below the bar (precision ≥ 0.95, recall ≥ 0.90):{report}"
        );
    }
}

fn album_id(c: &Collection, key: &str) -> i64 {
    *c.album_key
        .iter()
        .find(|(_, k)| *k == key)
        .unwrap_or_else(|| panic!("{key} is cataloged"))
        .0
}

#[test]
fn the_ranked_article_becomes_a_list_of_owned_and_wishlist_entries() {
    let Some(c) = collection("the_ranked_article_becomes_a_list_of_owned_and_wishlist_entries")
    else {
        return;
    };
    let imported = import(&c.lib, "underrated-soundtracks.txt");
    assert_eq!(imported.ranked_entries, Some(12));
    let view = articles::get(&c.lib, imported.id).unwrap();
    let ranked = view.ranked.expect("a ranked article");
    assert_eq!(ranked.order, "descending");
    let ranks: Vec<u32> = ranked.entries.iter().map(|e| e.rank).collect();
    assert_eq!(ranks, (1..=12).rev().collect::<Vec<_>>());

    let list = articles::to_list(&c.lib, imported.id, None).unwrap();
    let page = lists::page(&c.lib, list).unwrap();
    assert_eq!(page.list.ranking, lists::Ranking::Descending);
    assert_eq!(page.entries.len(), 12);
    let owned: Vec<&str> = page
        .entries
        .iter()
        .filter(|e| e.album_id.is_some())
        .map(|e| c.album_key[&e.album_id.unwrap()].as_str())
        .collect();
    assert_eq!(
        owned,
        [
            "spirited-away",
            "amelie",
            "road-to-perdition",
            "talented-mr-ripley",
            "social-network",
            "moon",
            "28-days-later",
            "the-others",
            "virgin-suicides",
            "girl-with-a-pearl-earring"
        ]
    );
    let wishlist: Vec<(Option<u32>, &str)> = page
        .entries
        .iter()
        .filter(|e| e.kind == lists::EntryKind::Placeholder)
        .map(|e| (e.rank, e.title.as_str()))
        .collect();
    assert_eq!(
        wishlist,
        [(Some(3), "Little Ashes"), (Some(1), "My Summer of Love")]
    );
    // Pasted, the same text is the same article, and keeps the file's title.
    let text = std::fs::read_to_string(
        shared()
            .unwrap()
            .join("articles/underrated-soundtracks.txt"),
    )
    .unwrap();
    let pasted = paste(&c.lib, &text);
    assert_eq!(
        (pasted.id, pasted.title.as_str()),
        (imported.id, imported.title.as_str())
    );
    let moon = page.entries.iter().find(|e| e.rank == Some(7)).unwrap();
    let note = moon.note.as_deref().unwrap();
    assert!(
        note.starts_with("Although to many Clint Mansell") && note.ends_with("It is mesmerising."),
        "the entry's paragraph is its note: {note}"
    );
    // A prose article is no ranked list.
    let prose = import(&c.lib, "visual-motifs.txt");
    assert!(matches!(
        articles::to_list(&c.lib, prose.id, None),
        Err(articles::ArticlesError::NotRanked(_))
    ));
}

#[test]
fn decisions_survive_reimports_detection_and_library_changes() {
    let Some(c) = collection("decisions_survive_reimports_detection_and_library_changes") else {
        return;
    };
    let first = import(&c.lib, "soundtrack-magic.md");
    assert!(first.created);
    let view = articles::get(&c.lib, first.id).unwrap();
    assert_eq!(
        view.title,
        "Soundtrack Magic - Unforgettable Journeys Through Epic Scores and Iconic Film Music"
    );
    assert_eq!(view.author.as_deref(), Some("MelodyMind"));
    assert_eq!(view.published.as_deref(), Some("2025-07-29"));
    assert!(view.keywords.contains(&"film music".to_string()));
    // Every mention points into the text at the words it names.
    for m in &view.mentions {
        assert!(view.body.is_char_boundary(m.start) && view.body.is_char_boundary(m.end));
    }
    let link = |label: &str| {
        articles::get(&c.lib, first.id)
            .unwrap()
            .links
            .into_iter()
            .find(|l| l.label == label)
            .unwrap_or_else(|| panic!("{label} is linked"))
    };
    let up = link("Up (Original Motion Picture Soundtrack)");
    assert_eq!(up.album_id, Some(album_id(&c, "up")));
    assert!(up.excerpt[up.excerpt_start as usize..up.excerpt_end as usize].contains("Up"));
    let hisaishi = link("Joe Hisaishi");
    articles::decide(&c.lib, &[up.id, hisaishi.id], Decision::Confirm).unwrap();
    let jaws = link("Jaws (Original Motion Picture Soundtrack)");
    articles::decide(&c.lib, &[jaws.id], Decision::Reject).unwrap();

    // Mentioned in: on the album, and on the person.
    let on_up = articles::mentioned_in(
        &c.lib,
        &Subject::Album {
            id: album_id(&c, "up"),
        },
    )
    .unwrap();
    assert_eq!(on_up.len(), 1);
    assert_eq!(on_up[0].article_id, first.id);
    assert!(on_up[0].excerpt.contains("Oscar-winning soundtrack for"));
    let on_person = articles::mentioned_in(
        &c.lib,
        &Subject::Person {
            name: "joe hisaishi".into(),
        },
    )
    .unwrap();
    assert_eq!(on_person.len(), 1);
    let on_jaws = articles::mentioned_in(
        &c.lib,
        &Subject::Album {
            id: album_id(&c, "jaws"),
        },
    )
    .unwrap();
    assert!(on_jaws.is_empty(), "a rejected link is not shown");

    // The same file again, and the same text pasted: one article, decisions kept.
    let again = import(&c.lib, "soundtrack-magic.md");
    assert_eq!((again.id, again.created), (first.id, false));
    let text =
        std::fs::read_to_string(shared().unwrap().join("articles/soundtrack-magic.md")).unwrap();
    let pasted = paste(&c.lib, &text);
    assert_eq!(pasted.id, first.id);
    assert_eq!(articles::list(&c.lib, None).unwrap().len(), 1);
    assert_eq!(
        link("Up (Original Motion Picture Soundtrack)").status,
        "confirmed"
    );
    assert_eq!(
        link("Jaws (Original Motion Picture Soundtrack)").status,
        "rejected"
    );

    // Full-text search over title, author, text and note.
    articles::set_note(&c.lib, first.id, "Read on the *train*.").unwrap();
    let hits = |q: &str| articles::list(&c.lib, Some(q)).unwrap().len();
    assert_eq!(hits("Koyaanisqatsi"), 1);
    assert_eq!(hits("melodymind"), 1);
    assert_eq!(hits("train"), 1);
    assert_eq!(hits("Amélie"), 0);
    assert_eq!(
        hits("\"unbalanced"),
        0,
        "search text never reaches FTS syntax"
    );

    // Move every album, rescan, detect again: decisions and "mentioned in" follow.
    let elsewhere = c._dir.path().join("moved");
    std::fs::rename(&c.root, &elsewhere).unwrap();
    cuebook::catalog::remove_root(&c.lib, &c.root).unwrap();
    cuebook::catalog::add_root(&c.lib, &elsewhere).unwrap();
    common::scan(&c.lib);
    articles::detect_all(&c.lib).unwrap();
    let up_now: i64 = common::query_i64(
        &c.lib,
        "SELECT id FROM albums WHERE title = 'Up (Original Motion Picture Soundtrack)'",
    );
    let on_up = articles::mentioned_in(&c.lib, &Subject::Album { id: up_now }).unwrap();
    assert_eq!(on_up.len(), 1, "the confirmed link follows the moved album");
    assert_eq!(
        link("Jaws (Original Motion Picture Soundtrack)").status,
        "rejected"
    );
    let waiting = articles::decide_above(&c.lib, first.id, 0.8, Decision::Confirm).unwrap();
    assert!(waiting > 20, "bulk confirm above 80%: {waiting}");
    assert_eq!(
        link("Jaws (Original Motion Picture Soundtrack)").status,
        "rejected"
    );

    // Backup into a fresh catalog: the article, its note and decisions come back.
    let file = c._dir.path().join("backup.json");
    annotate::backup::write(&c.lib, &file).unwrap();
    let fresh = common::library(&c._dir.path().join("fresh"), &[&elsewhere]);
    let report = annotate::backup::restore(&fresh, &file).unwrap();
    assert_eq!(report.articles_created, 1, "{report:?}");
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    common::scan(&fresh);
    articles::detect_all(&fresh).unwrap();
    let restored = &articles::list(&fresh, None).unwrap()[0];
    let view = articles::get(&fresh, restored.id).unwrap();
    assert_eq!(view.note.as_deref(), Some("Read on the *train*."));
    let status = |label: &str| {
        view.links
            .iter()
            .find(|l| l.label == label)
            .map(|l| l.status.clone())
    };
    assert_eq!(status("Joe Hisaishi").as_deref(), Some("confirmed"));
    assert_eq!(
        status("Jaws (Original Motion Picture Soundtrack)").as_deref(),
        Some("rejected")
    );
    let up_fresh: i64 = common::query_i64(
        &fresh,
        "SELECT id FROM albums WHERE title = 'Up (Original Motion Picture Soundtrack)'",
    );
    assert_eq!(
        articles::mentioned_in(&fresh, &Subject::Album { id: up_fresh })
            .unwrap()
            .len(),
        1
    );
    let again = annotate::backup::restore(&fresh, &file).unwrap();
    assert_eq!((again.articles_created, again.articles_updated), (0, 1));
    assert_eq!(articles::list(&fresh, None).unwrap().len(), 1);
}

#[test]
fn bad_sources_are_refused_by_name_and_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(dir.path().join("library.sqlite")).unwrap();
    let no = AtomicBool::new(false);
    let missing = dir.path().join("missing.md");
    let e = articles::import(&lib, Source::File(&missing), &no).unwrap_err();
    assert!(e.to_string().contains("missing.md"), "{e}");
    let binary = dir.path().join("cover.jpg");
    std::fs::write(&binary, [0xff, 0xd8, 0xff, 0, 0, 1, 2, 3, 0, 0]).unwrap();
    let e = articles::import(&lib, Source::File(&binary), &no).unwrap_err();
    assert!(e.to_string().contains("cover.jpg"), "{e}");
    let huge = dir.path().join("huge.txt");
    std::fs::write(&huge, "word ".repeat(2_000_000)).unwrap();
    let e = articles::import(&lib, Source::File(&huge), &no).unwrap_err();
    assert!(
        e.to_string().contains("huge.txt") && e.to_string().contains("too large"),
        "{e}"
    );
    let e = articles::import(&lib, Source::Url("ftp://example.com/a.html"), &no).unwrap_err();
    assert!(e.to_string().contains("ftp://example.com/a.html"), "{e}");
    let e = articles::import(
        &lib,
        Source::Text {
            text: "   \n\n  ",
            name: "clipboard",
        },
        &no,
    )
    .unwrap_err();
    assert!(e.to_string().contains("clipboard"), "{e}");
    assert!(articles::list(&lib, None).unwrap().is_empty());
    // Hostile HTML is read as text: no markup or script reaches the stored text.
    let html = dir.path().join("hostile.html");
    std::fs::write(
        &html,
        "<html><head><title>T</title><script>alert(1)</script></head><body><h1>Moon</h1>\
         <p onclick=\"x()\">Hi <img src=x onerror=alert(2)> <b>there</b><iframe src=javascript:alert(3)></iframe></p></body></html>",
    )
    .unwrap();
    let id = articles::import(&lib, Source::File(&html), &no).unwrap().id;
    let view = articles::get(&lib, id).unwrap();
    assert!(
        !view.body.contains('<') && !view.body.contains("alert"),
        "{}",
        view.body
    );
}

/// An article written for this test (not one of the five): traps the five do not set, with what
/// a careful reader links.
#[test]
fn a_fresh_article_links_what_a_careful_reader_would() {
    let Some(c) = collection("a_fresh_article_links_what_a_careful_reader_would") else {
        return;
    };
    let text = "\
Scores I Return To

Her voice was calm when she said it: some scores are a journey home. The lake was frozen, the heat \
was gone, and the piano in the hall was out of tune.

Jerry Goldsmith wrote two of my favourites. His score for _Alien_ (1979) is all breath and dread, and \
The Omen still makes a choir sound like a threat. Michael Nyman’s The Piano is the opposite: \
a melody you could hum at the sea.

Michael Mann's Heat (1995) has Elliot Goldenthal's brass and Moby's \"God Moving Over the Face of the \
Waters\" over the ending. Dario Marianelli wrote Pride and Prejudice for Jean-Yves Thibaudet's piano.

Some people drive to Frozen songs; I prefer Austin Wintory's Journey, a game with no words at all.";
    let imported = paste(&c.lib, text);
    assert_eq!(imported.title, "Scores I Return To");
    let view = articles::get(&c.lib, imported.id).unwrap();
    let mut albums = BTreeSet::new();
    let mut tracks = BTreeSet::new();
    let mut people = BTreeSet::new();
    for l in &view.links {
        match l.kind.as_str() {
            "album" => {
                albums.insert(c.album_key[&l.album_id.unwrap()].as_str());
            }
            "track" => {
                tracks.insert(c.track_key[&l.track_id.unwrap()].1.as_str());
            }
            "person" => {
                people.insert(l.label.as_str());
            }
            _ => {}
        }
    }
    assert_eq!(
        albums,
        BTreeSet::from([
            "alien",
            "the-omen",
            "the-piano",
            "heat",
            "pride-and-prejudice",
            "journey"
        ]),
        "everyday words (her, journey, frozen, heat, piano) are not albums unless written as one"
    );
    assert_eq!(
        tracks,
        BTreeSet::from(["God Moving Over the Face of the Waters"])
    );
    assert_eq!(
        people,
        BTreeSet::from([
            "Austin Wintory",
            "Dario Marianelli",
            "Elliot Goldenthal",
            "Jean-Yves Thibaudet",
            "Jerry Goldsmith",
            "Michael Nyman",
            "Moby",
        ])
    );
}
