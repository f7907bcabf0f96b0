//! `--articles`: importing and linking a long real article on a copy of a generated catalog.
//! Times building the name index (the whole catalog's, and the one an import builds for its own
//! text: its vocabulary, reading the names it can mention, building the index of them), reading
//! and detecting with a prebuilt index, the whole `articles::import` of a new
//! article and of the same file again, opening it with `articles::get`, `detect_all` over one and
//! over five articles, and `cuebook article import` as a fresh process with its peak memory.
//!
//! Every figure is a median and 95th percentile over `--repeat` runs (at least 10). The article
//! is ../shared/articles/soundtrack-magic.md (75 KB); the generated catalog's names are made up,
//! so few of the article's names are in it: the run measures the cost of looking, not of finding.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use cuebook::articles::{self, detect, Hint, Source};
use cuebook::Library;

/// The article every step imports, and the other four that `detect_all` runs over as well.
const ARTICLE: &str = "soundtrack-magic.md";
const OTHERS: [&str; 4] = [
    "underrated-soundtracks.txt",
    "lost-in-translation-soundtrack.txt",
    "blockbusters-to-hidden-gems.txt",
    "visual-motifs.txt",
];

/// Import and linking together should stay under this.
const TARGET_MS: f64 = 200.0;

/// Median and 95th percentile of one step, in milliseconds.
#[derive(Serialize, Default, Clone, Copy)]
pub struct Stats {
    pub runs: usize,
    /// The fastest run: the cost with the least interference from the rest of the machine.
    pub min_ms: f64,
    pub median_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
}

#[derive(Serialize, Default)]
pub struct Report {
    pub albums: i64,
    pub tracks: i64,
    /// Albums whose work (film, game, show) has a title.
    pub albums_with_work: i64,
    pub works: i64,
    /// Distinct credit names: album artists, album composers, and the tracks' artists,
    /// composers and conductors.
    pub people: i64,
    pub labels: i64,
    pub article_bytes: usize,
    pub article_words: usize,
    pub article_blocks: usize,
    pub index_whole_catalog: Stats,
    pub index_for_article: Stats,
    /// The parts of `index_for_article`.
    pub index_vocabulary: Stats,
    pub index_read_names: Stats,
    pub index_build: Stats,
    pub read: Stats,
    pub detect_whole_index: Stats,
    pub detect_article_index: Stats,
    pub read_and_detect: Stats,
    /// What detection suggests (before the import keeps what it stores).
    pub suggestions_found: usize,
    pub import_first_ms: f64,
    pub import_new: Stats,
    pub suggestions_waiting: usize,
    pub reimport: Stats,
    pub get: Stats,
    pub links_shown: usize,
    pub detect_all_one: Stats,
    pub detect_all_five: Stats,
    pub cli_import: Option<Stats>,
    pub cli_peak_rss_mb: Option<f64>,
    pub peak_rss_mb: f64,
}

fn stats(mut ms: Vec<f64>) -> Stats {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| {
        ms.get(((ms.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    Stats {
        runs: ms.len(),
        min_ms: at(0.0),
        median_ms: at(0.5),
        p95_ms: at(0.95),
        max_ms: at(1.0),
    }
}

/// Runs `step` `runs` times, `before` (not timed) ahead of each, and returns the timings and the
/// last result.
fn measure<T>(
    runs: usize,
    mut before: impl FnMut() -> Result<()>,
    mut step: impl FnMut() -> Result<T>,
) -> Result<(Stats, T)> {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        before()?;
        let started = Instant::now();
        let out = step()?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        last = Some(out);
    }
    Ok((stats(times), last.context("at least one run")?))
}

fn nothing() -> Result<()> {
    Ok(())
}

fn count(lib: &Library, sql: &str) -> Result<i64> {
    Ok(lib.reader()?.query_row(sql, [], |r| r.get(0))?)
}

fn articles_dir() -> Result<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/articles");
    if !dir.join(ARTICLE).is_file() {
        bail!(
            "{} not found: the article benchmark needs ../shared/articles",
            dir.join(ARTICLE).display()
        );
    }
    Ok(std::fs::canonicalize(dir)?)
}

pub fn run(catalog_db: &Path, out: &Path, repeat: usize) -> Result<Report> {
    if !catalog_db.is_file() {
        bail!(
            "no catalog at {}: run `make bench` (or `make bench-app`) first to generate one",
            catalog_db.display()
        );
    }
    let runs = repeat.max(10);
    let dir = articles_dir()?;
    let path = dir.join(ARTICLE);
    let db = out.join("articles.sqlite");
    let lib = crate::annotate::copy_catalog(catalog_db, &db)?;
    let mut r = Report {
        albums: count(&lib, "SELECT count(*) FROM albums")?,
        tracks: count(&lib, "SELECT count(*) FROM tracks")?,
        albums_with_work: count(
            &lib,
            "SELECT count(*) FROM albums a JOIN works w ON w.id = coalesce(a.user_work_id, a.work_id)
             WHERE w.title IS NOT NULL AND w.title <> ''",
        )?,
        works: count(&lib, "SELECT count(*) FROM works")?,
        people: count(
            &lib,
            "SELECT count(*) FROM (
               SELECT album_artist AS n FROM albums UNION SELECT composer FROM albums
               UNION SELECT j.value FROM tracks t, json_each(t.artists) j
               UNION SELECT j.value FROM tracks t, json_each(t.composers) j
               UNION SELECT j.value FROM tracks t, json_each(t.conductors) j)
             WHERE n IS NOT NULL AND n <> ''",
        )?,
        labels: count(
            &lib,
            "SELECT count(DISTINCT label) FROM albums WHERE label IS NOT NULL AND label <> ''",
        )?,
        ..Report::default()
    };
    let bytes = std::fs::read(&path)?;
    r.article_bytes = bytes.len();
    let never = AtomicBool::new(false);
    let hint = Hint {
        file_name: Some(ARTICLE),
        ..Hint::default()
    };

    eprintln!("name index: the whole catalog, and the names the article can mention …");
    let conn = lib.reader()?;
    let (s, whole) = measure(runs, nothing, || Ok(articles::catalog(&conn)?))?;
    r.index_whole_catalog = s;
    let doc = articles::read(&bytes, hint)?;
    let body = doc.text();
    r.article_words = body.split_whitespace().count();
    r.article_blocks = doc.blocks.len();
    let (s, for_article) = measure(runs, nothing, || {
        Ok(articles::catalog_for(&conn, [body.as_str()])?)
    })?;
    r.index_for_article = s;
    let (s, vocabulary) = measure(runs, nothing, || {
        Ok(detect::Vocabulary::of([body.as_str()]))
    })?;
    r.index_vocabulary = s;
    let read_names = || {
        cuebook::db::articles::catalog_names(&conn, &|title| {
            vocabulary.may_mention_track(title.trim())
        })
    };
    r.index_read_names = measure(runs, nothing, || Ok(read_names()?))?.0;
    // Each build gets freshly read names and a vocabulary of its own, outside the timing.
    let inputs = RefCell::new(None);
    r.index_build = measure(
        runs,
        || {
            let (albums, tracks) = read_names()?;
            *inputs.borrow_mut() = Some((albums, tracks, detect::Vocabulary::of([body.as_str()])));
            Ok(())
        },
        || {
            let (albums, tracks, vocabulary) = inputs.take().context("names read")?;
            Ok(detect::Catalog::build_for_checked(
                albums, tracks, vocabulary,
            ))
        },
    )?
    .0;
    drop((vocabulary, conn));

    eprintln!("reading and detecting with a prebuilt index …");
    r.read = measure(runs, nothing, || {
        let bytes = std::fs::read(&path)?;
        Ok(articles::read(&bytes, hint)?)
    })?
    .0;
    let (s, found) = measure(runs, nothing, || Ok(detect::detect_in(&whole, &doc, &body)))?;
    r.detect_whole_index = s;
    let (s, found_for) = measure(runs, nothing, || {
        Ok(detect::detect_in(&for_article, &doc, &body))
    })?;
    r.detect_article_index = s;
    if found.len() != found_for.len() {
        bail!(
            "the article's own index suggests {} links, the whole catalog's {}",
            found_for.len(),
            found.len()
        );
    }
    r.suggestions_found = found.len();
    r.read_and_detect = measure(runs, nothing, || {
        let bytes = std::fs::read(&path)?;
        let doc = articles::read(&bytes, hint)?;
        let body = doc.text();
        Ok(detect::detect_in(&whole, &doc, &body).len())
    })?
    .0;
    drop((whole, for_article));

    eprintln!("articles::import, new and again …");
    let import = || articles::import(&lib, Source::File(&path), &never);
    let started = Instant::now();
    let first = import()?;
    r.import_first_ms = started.elapsed().as_secs_f64() * 1000.0;
    let id = Cell::new(first.id);
    let (s, imported) = measure(
        runs,
        || Ok(articles::delete(&lib, id.get())?),
        || {
            let i = import()?;
            id.set(i.id);
            Ok(i)
        },
    )?;
    let id = id.get();
    if !imported.created {
        bail!("a deleted article was imported as an update");
    }
    r.import_new = s;
    r.suggestions_waiting = imported.suggestions;
    let (s, again) = measure(runs, nothing, || Ok(import()?))?;
    if again.created || again.id != id {
        bail!("importing the same file again made a new article");
    }
    r.reimport = s;

    let (s, view) = measure(runs, nothing, || Ok(articles::get(&lib, id)?))?;
    r.get = s;
    r.links_shown = view.links.len();

    eprintln!("detect_all over one article, then five …");
    r.detect_all_one = measure(runs, nothing, || Ok(articles::detect_all(&lib)?))?.0;
    for name in OTHERS {
        articles::import(&lib, Source::File(&dir.join(name)), &never)
            .with_context(|| format!("importing {name}"))?;
    }
    r.detect_all_five = measure(runs, nothing, || Ok(articles::detect_all(&lib)?))?.0;
    r.peak_rss_mb = crate::peak_rss_mb();

    match crate::cli_path() {
        Ok(cli) => {
            eprintln!("`cuebook article import` as a fresh process …");
            let mut rss: f64 = 0.0;
            let current = Cell::new(id);
            let (s, ()) = measure(
                runs,
                || Ok(articles::delete(&lib, current.get())?),
                || {
                    let mb = run_measuring_hwm(
                        Command::new(&cli)
                            .arg("--db")
                            .arg(&db)
                            .args(["article", "import", "--quiet"])
                            .arg(&path)
                            .stdout(Stdio::null()),
                    )?;
                    rss = rss.max(mb);
                    current.set(newest(&lib)?);
                    Ok(())
                },
            )?;
            r.cli_import = Some(s);
            r.cli_peak_rss_mb = Some(rss);
        }
        Err(e) => eprintln!("the CLI import is skipped: {e:#}"),
    }
    Ok(r)
}

/// Runs `cmd` to success and returns its peak resident memory in MB, read from the child's own
/// `VmHWM` while it runs. `wait4`'s `ru_maxrss` is no use here: Linux counts the parent's memory
/// at spawn in it, and this process holds a whole name index by then. `VmHWM` only grows, so the
/// last reading before the child exits is its peak unless it grew in the final 2 ms.
fn run_measuring_hwm(cmd: &mut Command) -> Result<f64> {
    let mut child = cmd.spawn().with_context(|| format!("cannot run {cmd:?}"))?;
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb: u64 = 0;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
            peak_kb = peak_kb.max(hwm.unwrap_or(0));
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    if !status.success() {
        bail!("{cmd:?} failed: {status}");
    }
    Ok(peak_kb as f64 / 1024.0)
}

/// The article imported last: the CLI's, which takes the newest id.
fn newest(lib: &Library) -> Result<i64> {
    count(lib, "SELECT max(id) FROM articles")
}

pub fn print(r: &Report) {
    println!(
        "articles on a generated catalog of {} tracks, {} albums ({} with a work title; {} works), {} people, {} labels",
        r.tracks, r.albums, r.albums_with_work, r.works, r.people, r.labels
    );
    println!(
        "article: {ARTICLE}, {:.0} KB, {} words, {} blocks; {} suggestions found, {} waiting after import, {} links shown",
        r.article_bytes as f64 / 1024.0,
        r.article_words,
        r.article_blocks,
        r.suggestions_found,
        r.suggestions_waiting,
        r.links_shown
    );
    println!();
    println!(
        "  {:<52} {:>5} {:>9} {:>10} {:>9} {:>9}",
        "step", "runs", "min ms", "median ms", "p95 ms", "max ms"
    );
    let row = |name: &str, s: &Stats| {
        println!(
            "  {name:<52} {:>5} {:>9.1} {:>10.1} {:>9.1} {:>9.1}",
            s.runs, s.min_ms, s.median_ms, s.p95_ms, s.max_ms
        );
    };
    row("(a) name index, whole catalog", &r.index_whole_catalog);
    row(
        "(a) name index, names the article can mention",
        &r.index_for_article,
    );
    row(
        "    of which: the article's vocabulary",
        &r.index_vocabulary,
    );
    row(
        "    of which: reading the names it can mention",
        &r.index_read_names,
    );
    row("    of which: building the index of them", &r.index_build);
    row("(b) read (parse) the article", &r.read);
    row(
        "(b) detect, whole-catalog index prebuilt",
        &r.detect_whole_index,
    );
    row(
        "(b) detect, article's index prebuilt",
        &r.detect_article_index,
    );
    row(
        "(b) read + detect, whole-catalog index prebuilt",
        &r.read_and_detect,
    );
    println!(
        "  {:<52} {:>5} {:>9.1}",
        "(c) articles::import, first in the process", 1, r.import_first_ms
    );
    row("(c) articles::import, new article", &r.import_new);
    row(
        "(d) articles::import, same file again (update)",
        &r.reimport,
    );
    row("(e) articles::get", &r.get);
    row("(f) detect_all, 1 article", &r.detect_all_one);
    row("(f) detect_all, 5 articles", &r.detect_all_five);
    if let Some(s) = &r.cli_import {
        row("    `cuebook article import` (new process)", s);
    }
    println!();
    println!(
        "  peak RSS of this benchmark process: {:.0} MB",
        r.peak_rss_mb
    );
    if let Some(mb) = r.cli_peak_rss_mb {
        println!("  peak RSS of `cuebook article import`: {mb:.0} MB");
    }
    let verdict = if r.import_new.p95_ms < TARGET_MS {
        "within"
    } else {
        "OVER"
    };
    println!(
        "  import + linking: median {:.0} ms, p95 {:.0} ms: {verdict} the {TARGET_MS:.0} ms target",
        r.import_new.median_ms, r.import_new.p95_ms
    );
}
