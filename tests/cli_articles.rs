//! `cuebook article`: the real articles in ../shared/articles imported into a cataloged copy of the
//! reference collection through the command line, by file and from standard input, reviewed,
//! linked, shown on an album, turned into a list; bad inputs refused by name.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn articles_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/articles");
    dir.is_dir().then_some(dir)
}

fn cuebook(db: &Path, args: &[&str]) -> Output {
    cuebook_with_stdin(db, args, None)
}

fn cuebook_with_stdin(db: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(common::cuebook_bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI runs");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(bytes).expect("the CLI reads its input");
    }
    child.wait_with_output().expect("the CLI finishes")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs a command that must succeed and returns its output.
fn ok(db: &Path, args: &[&str]) -> String {
    let out = cuebook(db, args);
    assert!(out.status.success(), "{args:?} succeeds: {}", stderr(&out));
    stdout(&out)
}

fn json(db: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let text = ok(db, &all);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?} prints JSON ({e}): {text}"))
}

/// The id in "Created article 3: …" or "Updated article 3: …".
fn article_id(out: &str) -> String {
    out.lines()
        .find_map(|l| {
            let rest = l
                .strip_prefix("Created article ")
                .or_else(|| l.strip_prefix("Updated article "))?;
            Some(rest.split(':').next()?.to_string())
        })
        .unwrap_or_else(|| panic!("the import names the article: {out}"))
}

#[test]
fn articles_are_imported_reviewed_linked_and_listed_through_the_cli() {
    let test = "articles_are_imported_reviewed_linked_and_listed_through_the_cli";
    let Some(articles) = articles_dir() else {
        eprintln!("SKIPPED {test}: ../shared/articles is not available");
        return;
    };
    let Some((dir, _root, lib, _reference)) = common::copied_reference(test) else {
        return;
    };
    let db = dir.path().join("db").join("library.sqlite");
    // The CLI opens the catalog itself; the library handle stays out of its way.
    drop(lib);
    let ranked = articles.join("underrated-soundtracks.txt");
    let ranked = ranked.to_str().unwrap();

    // By file: the article, its suggestions, and that it is a ranked list.
    let first = ok(&db, &["article", "import", ranked]);
    assert!(
        first.starts_with("Created article "),
        "a new article: {first}"
    );
    assert!(
        first.contains("suggestions waiting"),
        "the suggestions are counted: {first}"
    );
    assert!(
        first.contains("ranked list of 12 entries"),
        "the countdown is recognized: {first}"
    );
    let id = article_id(&first);

    // By standard input, as pasted text.
    let magic = std::fs::read(articles.join("soundtrack-magic.md")).unwrap();
    let out = cuebook_with_stdin(&db, &["article", "import", "-"], Some(&magic));
    assert!(out.status.success(), "stdin imports: {}", stderr(&out));
    assert!(
        stdout(&out).contains("Created article") && stdout(&out).contains("Soundtrack Magic"),
        "the pasted article is new and titled from its front matter: {}",
        stdout(&out)
    );
    let magic_id = article_id(&stdout(&out));

    // The same file again updates the article in place.
    let again = ok(&db, &["article", "import", ranked]);
    assert_eq!(article_id(&again), id, "a re-import keeps the id: {again}");
    assert!(
        again.starts_with("Updated article "),
        "a re-import says it updated: {again}"
    );
    let listed = json(&db, &["article", "ls"]);
    let ids: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].to_string())
        .collect();
    assert_eq!(ids.len(), 2, "each article is listed once: {listed}");
    assert!(
        ids.contains(&id) && ids.contains(&magic_id),
        "both articles are listed: {ids:?}"
    );
    let text_ls = ok(&db, &["article", "ls"]);
    assert!(
        text_ls.contains("MelodyMind") && text_ls.contains("suggested"),
        "the text listing shows author and counts: {text_ls}"
    );
    let found = ok(&db, &["article", "ls", "melodymind"]);
    assert!(
        found.contains("Soundtrack Magic") && !found.contains("underrated"),
        "a search finds by author: {found}"
    );

    // The links table, and the Moon album's link in it.
    let shown = ok(&db, &["article", "show", &id]);
    assert!(
        shown.contains("STATUS") && shown.contains("CONF") && shown.contains("REASON"),
        "show prints the links table: {shown}"
    );
    assert!(
        shown.contains("Moon (Original Soundtrack)") && shown.contains("suggested"),
        "the Moon album is suggested: {shown}"
    );
    let view = json(&db, &["article", "show", &id]);
    let moon_link = view["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == "Moon (Original Soundtrack)")
        .expect("Moon is linked");
    let moon_album = moon_link["album_id"].as_i64().unwrap().to_string();
    let moon_link = moon_link["id"].as_i64().unwrap().to_string();
    let with_text = ok(&db, &["article", "show", &id, "--text"]);
    assert!(
        with_text.contains("7. Moon") && with_text.contains("It is mesmerising."),
        "--text prints the entries and their paragraphs: {}",
        &with_text[with_text.len().saturating_sub(400)..]
    );

    // Nothing is mentioned until confirmed.
    let none = ok(&db, &["article", "mentions", "--album", &moon_album]);
    assert!(
        none.contains("No article"),
        "a suggestion is not a mention yet: {none}"
    );
    let bulk = ok(&db, &["article", "links", &id, "--confirm-above", "80"]);
    assert!(
        bulk.contains("confirmed") && bulk.contains("waiting"),
        "the bulk decision is counted: {bulk}"
    );
    let decided = json(&db, &["article", "show", &id]);
    let links = decided["links"].as_array().unwrap();
    assert!(
        links.iter().all(|l| l["status"] != "suggested"
            || l["confidence"].as_f64().unwrap() < 0.8
            || l["found"] == false),
        "every suggestion at 80 % or more is confirmed"
    );
    assert!(
        links.iter().any(|l| l["status"] == "confirmed"),
        "some links are 80 % sure or more"
    );
    ok(&db, &["article", "links", &id, "--confirm", &moon_link]);
    let mentions = ok(&db, &["article", "mentions", "--album", &moon_album]);
    assert!(
        mentions.contains("underrated-soundtracks") && mentions.contains("«Moon»"),
        "the confirmed link shows on the album, the mention marked in its sentence: {mentions}"
    );

    // A ranked article becomes a list of twelve.
    let made = ok(&db, &["article", "to-list", &id, "--name", "Underrated"]);
    assert!(
        made.contains("12 entries"),
        "the list has every entry: {made}"
    );
    let page = json(&db, &["list", "show", "Underrated"]);
    let entries = page["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 12, "twelve entries: {page}");
    let moon = entries
        .iter()
        .find(|e| e["rank"] == 7)
        .expect("a 7th entry");
    assert_eq!(
        moon["album_id"].to_string(),
        moon_album,
        "number 7 is the owned Moon album"
    );
    assert!(
        entries.iter().any(|e| e["kind"] == "placeholder"),
        "films not in the collection are wishlist entries"
    );
    let out = cuebook(&db, &["article", "to-list", &magic_id]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a prose article is no ranked list"
    );
    assert!(
        stderr(&out).contains("not a ranked list"),
        "{}",
        stderr(&out)
    );

    // Annotations and removal.
    ok(&db, &["article", "rate", &id, "4"]);
    ok(&db, &["article", "tag", &id, "favourite", "to read"]);
    ok(&db, &["article", "untag", &id, "to read"]);
    let out = cuebook_with_stdin(
        &db,
        &["article", "note", &id, "-"],
        Some(b"Read on the *train*."),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let annotated = json(&db, &["article", "show", &id]);
    assert_eq!(annotated["rating"], 4, "the rating is kept");
    assert_eq!(
        annotated["tags"][0]["name"], "favourite",
        "one tag is left: {}",
        annotated["tags"]
    );
    assert_eq!(
        annotated["note"], "Read on the *train*.",
        "the note is kept"
    );
    let out = cuebook(&db, &["article", "rate", &id, "9"]);
    assert_eq!(out.status.code(), Some(2), "a rating above 5 is refused");
    let detected = ok(&db, &["article", "detect"]);
    assert!(
        detected.contains("waiting"),
        "detection reports what waits: {detected}"
    );
    let still = json(&db, &["article", "show", &id]);
    assert!(
        still["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["id"].as_i64() == moon_link.parse().ok() && l["status"] == "confirmed"),
        "detection keeps decisions"
    );
    ok(&db, &["article", "rm", &magic_id]);
    assert_eq!(
        json(&db, &["article", "ls"]).as_array().unwrap().len(),
        1,
        "the removed article is gone"
    );
    let out = cuebook(&db, &["article", "show", &magic_id]);
    assert_eq!(out.status.code(), Some(2), "a missing id is a usage error");
    assert!(
        stderr(&out).contains(&format!("no article has id {magic_id}")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_article_inputs_are_named_and_the_good_ones_still_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let missing = dir.path().join("missing-review.md");
    let binary = dir.path().join("cover.jpg");
    std::fs::write(&binary, [0xff, 0xd8, 0xff, 0, 0, 1, 2, 3, 0, 0, 0xff, 0xd9]).unwrap();
    let good = dir.path().join("scores.md");
    std::fs::write(
        &good,
        "# Scores I love\n\nMoon by Clint Mansell is mesmerising.\n",
    )
    .unwrap();

    for (input, name) in [
        (missing.to_str().unwrap(), "missing-review.md"),
        (binary.to_str().unwrap(), "cover.jpg"),
        ("ftp://x", "ftp://x"),
    ] {
        let out = cuebook(&db, &["article", "import", input]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{input} is refused as bad input: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(name),
            "the message names {name}: {}",
            stderr(&out)
        );
    }

    let out = cuebook(
        &db,
        &[
            "article",
            "import",
            missing.to_str().unwrap(),
            good.to_str().unwrap(),
            "ftp://x",
        ],
    );
    assert!(!out.status.success(), "a failed source makes the run fail");
    assert!(
        stdout(&out).contains("Created article") && stdout(&out).contains("Scores I love"),
        "the good file still imports: {}",
        stdout(&out)
    );
    for name in ["missing-review.md", "ftp://x"] {
        assert!(
            stderr(&out).contains(name),
            "each failure is named ({name}): {}",
            stderr(&out)
        );
    }
    assert!(
        stderr(&out).contains("2 of 3"),
        "the run says how many failed: {}",
        stderr(&out)
    );
    let listed = json(&db, &["article", "ls"]);
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "only the good file is stored: {listed}"
    );

    let out = cuebook(&db, &["article", "links", "1", "--confirm-above", "180"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a percentage above 100 is bad usage"
    );
    let out = cuebook(&db, &["article", "mentions"]);
    assert_eq!(out.status.code(), Some(2), "mentions needs a subject");
    let out = cuebook(&db, &["article", "links", "1", "--confirm", "999"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a link of no article is refused"
    );
    assert!(stderr(&out).contains("999"), "{}", stderr(&out));
}
