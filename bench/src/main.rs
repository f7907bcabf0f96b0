//! `cuebook-bench`: measures the catalog on a generated library of real, re-tagged audio files.
//!
//! Reports, in one run on the same tree: the baseline of reading every file's tags in parallel,
//! the first scan (files/s and the ratio to that baseline), an unchanged rescan, search latency
//! p50/p99 over a mix of queries, database size, the scanner's peak memory, and beets' import
//! (no autotagging, copying or writing) for comparison. Figures go to stdout and to a JSON file.

mod annotate;
mod articles;
mod lists;
mod preview;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Parser;
use rayon::prelude::*;
use serde::Serialize;

use cuebook::events::no_events;
use cuebook::{catalog, search, Library};

#[derive(Parser)]
#[command(about = "Benchmark the Cuebook catalog on a generated library")]
struct Args {
    /// The audio corpus (from ../shared/corpus/fetch.sh)
    #[arg(long)]
    corpus: PathBuf,
    /// Files in the generated library
    #[arg(long, default_value_t = 20_000)]
    files: usize,
    /// Where generated libraries and results go
    #[arg(long, default_value = "target/bench")]
    out: PathBuf,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Files beets imports for the comparison (its rate is compared); 0 skips beets. Beets
    /// imports about 100 files a second here, so 2,000 (PRODUCT.md's figure) keeps the run short.
    #[arg(long, default_value_t = 2_000)]
    beets_files: usize,
    /// Times each search query runs
    #[arg(long, default_value_t = 50)]
    repeat: usize,
    /// Measure previews instead: start and seek latency, analysis speed, memory (on the corpus)
    #[arg(long)]
    preview: bool,
    /// Only measure search latency on this existing catalog, printing each query's median
    #[arg(long, value_name = "DB")]
    search_only: Option<PathBuf>,
    /// Measure annotations instead, on a copy of the generated catalog of --files tracks
    #[arg(long)]
    annotate: bool,
    /// Measure lists, exports and imports instead, on a copy of the generated catalog of --files tracks
    #[arg(long)]
    lists: bool,
    /// Measure importing and linking an article instead, on a copy of the generated catalog of
    /// --files tracks
    #[arg(long)]
    articles: bool,
}

#[derive(Serialize, Default)]
struct Report {
    files: usize,
    albums: usize,
    library_bytes: u64,
    threads: usize,
    baseline_tag_read_secs: f64,
    baseline_files_per_sec: f64,
    first_scan_secs: f64,
    first_scan_files_per_sec: f64,
    first_scan_vs_baseline: f64,
    first_scan_peak_rss_mb: f64,
    rescan_unchanged_secs: f64,
    search_queries: usize,
    search_p50_ms: f64,
    search_p99_ms: f64,
    search_max_ms: f64,
    search_slowest_query: String,
    db_bytes: u64,
    beets_files: usize,
    beets_import_secs: Option<f64>,
    beets_files_per_sec: Option<f64>,
    cuebook_vs_beets_rate: Option<f64>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(db) = &args.search_only {
        let lib = Library::open(db)?;
        let s = search_latency(&lib, args.repeat)?;
        for (q, ms) in &s.per_query {
            println!("{ms:8.2} ms  {q:?}");
        }
        println!(
            "p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms ({:?})",
            s.p50, s.p99, s.max, s.slowest
        );
        return Ok(());
    }
    std::fs::create_dir_all(&args.out)?;
    let out = std::fs::canonicalize(&args.out)?;
    if args.annotate {
        let db = out.join(format!("catalog-{}.sqlite", args.files));
        let report = annotate::run(&db, &out, args.repeat)?;
        annotate::print(&report);
        let json = out.join(format!("report-annotate-{}.json", args.files));
        std::fs::write(&json, serde_json::to_string_pretty(&report)?)?;
        eprintln!("written to {}", json.display());
        return Ok(());
    }
    if args.lists {
        let db = out.join(format!("catalog-{}.sqlite", args.files));
        let report = lists::run(&db, &out, args.repeat)?;
        lists::print(&report);
        let json = out.join(format!("report-lists-{}.json", args.files));
        std::fs::write(&json, serde_json::to_string_pretty(&report)?)?;
        eprintln!("written to {}", json.display());
        return Ok(());
    }
    if args.articles {
        let db = out.join(format!("catalog-{}.sqlite", args.files));
        let report = articles::run(&db, &out, args.repeat)?;
        articles::print(&report);
        let json = out.join(format!("report-articles-{}.json", args.files));
        std::fs::write(&json, serde_json::to_string_pretty(&report)?)?;
        eprintln!("written to {}", json.display());
        return Ok(());
    }
    if args.preview {
        let report = preview::run(&std::fs::canonicalize(&args.corpus)?, &out)?;
        preview::print(&report);
        let json = out.join("report-preview.json");
        std::fs::write(&json, serde_json::to_string_pretty(&report)?)?;
        eprintln!("written to {}", json.display());
        return Ok(());
    }
    let mut report = Report {
        threads: rayon::current_num_threads(),
        ..Default::default()
    };

    let tree = out.join(format!("library-{}", args.files));
    eprintln!("generating {} files into {} …", args.files, tree.display());
    let generated =
        cuebook_testkit::generate_library(&args.corpus, &tree, args.files, args.seed, &|n| {
            if n % 10_000 == 0 {
                eprintln!("  {n} files");
            }
        })?;
    report.files = generated.files;
    report.albums = generated.albums;
    report.library_bytes = generated.bytes;
    let files = list_files(&tree)?;

    // Warm the page cache the same way for every contender: one full read pass.
    eprintln!("warming the page cache …");
    files.par_iter().for_each(|f| {
        let _ = std::fs::read(f); // a read error here shows up in the measured passes
    });

    eprintln!("baseline: reading every file's tags in parallel …");
    let started = Instant::now();
    let read = files
        .par_iter()
        .filter(|f| {
            lofty::probe::Probe::open(f)
                .and_then(|p| p.guess_file_type().map_err(Into::into))
                .and_then(|p| p.read())
                .is_ok()
        })
        .count();
    report.baseline_tag_read_secs = started.elapsed().as_secs_f64();
    report.baseline_files_per_sec = read as f64 / report.baseline_tag_read_secs;

    eprintln!("first scan (the cuebook CLI, for its peak memory) …");
    let db = out.join(format!("catalog-{}.sqlite", args.files));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display())); // absent is fine
    }
    let _ = std::fs::remove_dir_all(db.with_file_name(format!("catalog-{}-thumbs", args.files))); // absent is fine
    let cli = cli_path()?;
    run(Command::new(&cli)
        .arg("--db")
        .arg(&db)
        .arg("roots")
        .arg("add")
        .arg(&tree))?;
    let started = Instant::now();
    let scan_rss = run_measuring_rss(
        Command::new(&cli)
            .arg("--db")
            .arg(&db)
            .args(["scan", "--quiet"]),
    )?;
    report.first_scan_secs = started.elapsed().as_secs_f64();
    report.first_scan_files_per_sec = report.files as f64 / report.first_scan_secs;
    report.first_scan_vs_baseline = report.first_scan_secs / report.baseline_tag_read_secs;
    report.first_scan_peak_rss_mb = scan_rss;

    eprintln!("rescan of the unchanged library …");
    let lib = Library::open(&db)?;
    let started = Instant::now();
    let rescan = catalog::scan(&lib, no_events(), &AtomicBool::new(false))?;
    report.rescan_unchanged_secs = started.elapsed().as_secs_f64();
    if rescan.added + rescan.updated + rescan.moved > 0 {
        bail!("the rescan of an unchanged library read files: {rescan:?}");
    }
    report.db_bytes = std::fs::metadata(&db)?.len();

    eprintln!("search latency …");
    let latency = search_latency(&lib, args.repeat)?;
    report.search_queries = latency.per_query.len();
    report.search_p50_ms = latency.p50;
    report.search_p99_ms = latency.p99;
    report.search_max_ms = latency.max;
    report.search_slowest_query = latency.slowest;

    if args.beets_files > 0 {
        report.beets_files = args.beets_files.min(args.files);
        match beets(&out, &files[..report.beets_files]) {
            Ok(secs) => {
                report.beets_import_secs = Some(secs);
                let rate = report.beets_files as f64 / secs;
                report.beets_files_per_sec = Some(rate);
                report.cuebook_vs_beets_rate = Some(report.first_scan_files_per_sec / rate);
            }
            Err(e) => eprintln!("beets comparison skipped: {e:#}"),
        }
    }

    print_report(&report);
    let json = out.join(format!("report-{}.json", args.files));
    std::fs::write(&json, serde_json::to_string_pretty(&report)?)?;
    eprintln!("written to {}", json.display());
    Ok(())
}

fn list_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            if entry.file_type()?.is_dir() {
                stack.push(entry.path());
            } else {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The release `cuebook` binary next to this one.
fn cli_path() -> Result<PathBuf> {
    let me = std::env::current_exe()?;
    let cli = me.with_file_name("cuebook");
    if !cli.exists() {
        bail!(
            "{} not found: build it with `cargo build --release --bin cuebook`",
            cli.display()
        );
    }
    Ok(cli)
}

fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .status()
        .with_context(|| format!("cannot run {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed: {status}");
    }
    Ok(())
}

/// Runs `cmd` to success and returns its own peak resident memory in MB. Waiting with `wait4`
/// gives this one child's figure; `RUSAGE_CHILDREN` would be the largest of every child so far,
/// the corpus script's tools included.
fn run_measuring_rss(cmd: &mut Command) -> Result<f64> {
    let child = cmd.spawn().with_context(|| format!("cannot run {cmd:?}"))?;
    let pid = libc::pid_t::try_from(child.id()).context("child pid")?;
    let mut status = 0;
    // SAFETY: wait4 only writes into the two locals we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if waited != pid {
        bail!("waiting for {cmd:?}: {}", std::io::Error::last_os_error());
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        bail!("{cmd:?} failed with wait status {status}");
    }
    Ok(usage.ru_maxrss as f64 / 1024.0)
}

struct Latency {
    p50: f64,
    p99: f64,
    max: f64,
    slowest: String,
    /// Each query with its median time in milliseconds.
    per_query: Vec<(String, f64)>,
}

/// Runs the query mix `repeat` times on one reader connection, as the app holds one.
fn search_latency(lib: &Library, repeat: usize) -> Result<Latency> {
    search_latency_of(lib, &queries(lib)?, repeat)
}

/// Runs `queries` `repeat` times each on one reader connection.
fn search_latency_of(lib: &Library, queries: &[String], repeat: usize) -> Result<Latency> {
    let conn = lib.reader()?;
    let mut times: Vec<(Duration, &str)> = Vec::new();
    let mut per_query: Vec<(String, f64)> = Vec::new();
    for q in queries {
        let mut mine = Vec::with_capacity(repeat);
        for _ in 0..repeat.max(1) {
            let started = Instant::now();
            search::search_tracks_in(&conn, q, Default::default(), 100, 0)
                .with_context(|| format!("query {q:?}"))?;
            let took = started.elapsed();
            times.push((took, q));
            mine.push(took);
        }
        mine.sort();
        per_query.push((q.clone(), mine[mine.len() / 2].as_secs_f64() * 1000.0));
    }
    times.sort();
    let pct = |p: f64| {
        times[((times.len() as f64 * p) as usize).min(times.len() - 1)]
            .0
            .as_secs_f64()
            * 1000.0
    };
    Ok(Latency {
        p50: pct(0.50),
        p99: pct(0.99),
        max: pct(1.0),
        slowest: times.last().map(|t| t.1.to_string()).unwrap_or_default(),
        per_query,
    })
}

/// A realistic mix: free words from the library itself, prefixes as typed, field filters,
/// phrases, ranges and negations.
fn queries(lib: &Library) -> Result<Vec<String>> {
    let conn = lib.reader()?;
    let mut words: Vec<String> = conn
        .prepare("SELECT title FROM albums ORDER BY id LIMIT 40")?
        .query_map([], |r| r.get::<_, String>(0))?
        .filter_map(Result::ok)
        .filter_map(|t| {
            t.split_whitespace()
                .find(|w| w.len() > 4)
                .map(str::to_lowercase)
        })
        .collect();
    words.dedup();
    let composer: String = conn.query_row(
        "SELECT j.value FROM tracks t, json_each(t.composers) j GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    let surname = composer
        .split_whitespace()
        .last()
        .unwrap_or(&composer)
        .to_lowercase();
    let mut q: Vec<String> = words.iter().take(12).cloned().collect();
    q.extend(words.iter().take(6).map(|w| w[..3].to_string()));
    q.extend([
        format!("composer:{surname}"),
        format!("composer:\"{composer}\""),
        format!("{} year:1970..1985", words[0]),
        "year:1990..1999 format:flac".into(),
        "kind:game".into(),
        format!("{} -{}", words[1], words[2]),
        "soundtrack".into(),
        "original motion picture".into(),
        "\"main title\"".into(),
        "label:records year:2000..".into(),
        "the".into(),
        String::new(),
    ]);
    Ok(q)
}

/// Imports `files` with beets (no autotagging, copying or writing) and returns the seconds taken.
fn beets(out: &Path, files: &[PathBuf]) -> Result<f64> {
    let beet = ensure_beets()?;
    let dir = out.join("beets");
    let _ = std::fs::remove_dir_all(&dir); // a fresh run; absent is fine
    let tree = dir.join("tree");
    std::fs::create_dir_all(&tree)?;
    // The same files, linked into one tree beets imports as a whole.
    for (i, f) in files.iter().enumerate() {
        let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("bin");
        let album_dir = tree.join(format!("{:05}", i / 20));
        std::fs::create_dir_all(&album_dir)?;
        std::os::unix::fs::symlink(f, album_dir.join(format!("{i:06}.{ext}")))?;
    }
    let config = dir.join("config.yaml");
    std::fs::write(
        &config,
        format!(
            "directory: {}\nlibrary: {}\nplugins: []\nimport:\n  autotag: no\n  copy: no\n  write: no\n  quiet: yes\n  log: null\n",
            dir.join("music").display(),
            dir.join("beets.db").display()
        ),
    )?;
    eprintln!(
        "beets: importing {} files (this takes a while) …",
        files.len()
    );
    let started = Instant::now();
    let output = Command::new(&beet)
        .arg("-c")
        .arg(&config)
        .args(["import", "-A", "-C", "-W", "-q", "-s"])
        .arg(&tree)
        .output()
        .with_context(|| format!("cannot run {}", beet.display()))?;
    let secs = started.elapsed().as_secs_f64();
    if !output.status.success() {
        bail!(
            "beets import failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(secs)
}

fn ensure_beets() -> Result<PathBuf> {
    let venv = PathBuf::from("target/bench/beets-venv");
    let beet = venv.join("bin/beet");
    if beet.exists() {
        return Ok(std::fs::canonicalize(beet)?);
    }
    eprintln!("installing beets into {} (pip) …", venv.display());
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(venv.join("bin/pip")).args(["install", "-q", "beets"]))?;
    Ok(std::fs::canonicalize(beet)?)
}

fn print_report(r: &Report) {
    println!("Cuebook catalog benchmark ({} threads)", r.threads);
    println!(
        "  library                {} files, {} albums, {:.0} MB",
        r.files,
        r.albums,
        r.library_bytes as f64 / 1e6
    );
    println!(
        "  tag read baseline      {:.2} s  ({:.0} files/s, lofty in parallel)",
        r.baseline_tag_read_secs, r.baseline_files_per_sec
    );
    println!(
        "  first scan             {:.2} s  ({:.0} files/s, {:.2}x the baseline, peak RSS {:.0} MB)",
        r.first_scan_secs,
        r.first_scan_files_per_sec,
        r.first_scan_vs_baseline,
        r.first_scan_peak_rss_mb
    );
    println!("  unchanged rescan       {:.3} s", r.rescan_unchanged_secs);
    println!(
        "  search                 p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms over {} queries (slowest: {:?})",
        r.search_p50_ms, r.search_p99_ms, r.search_max_ms, r.search_queries, r.search_slowest_query
    );
    println!("  database               {:.1} MB", r.db_bytes as f64 / 1e6);
    if let (Some(secs), Some(rate), Some(ratio)) = (
        r.beets_import_secs,
        r.beets_files_per_sec,
        r.cuebook_vs_beets_rate,
    ) {
        println!("  beets import -A -C -W  {} files in {secs:.1} s ({rate:.0} files/s); cuebook is {ratio:.0}x faster", r.beets_files);
    }
}

/// This process's peak resident memory so far, in megabytes.
pub(crate) fn peak_rss_mb() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}
