//! The scan pipeline: walk the roots in parallel, compare with the catalog, read what is new or
//! changed on a bounded pool, and write through one connection in batched transactions.
//!
//! Guarantees:
//! - Unchanged files (same size and modification time) are not opened again.
//! - A track row follows its audio content: a moved, renamed or retagged file keeps its row.
//! - Files that vanish from a reachable root are marked missing with a date, never deleted; a root
//!   that is not reachable is marked offline and nothing in it is marked missing.
//! - Bad files are recorded as problems with a reason; parser panics are caught.
//! - Every batch is one transaction, so a cancelled or killed scan leaves a consistent catalog and
//!   the next scan reads only what was not written.
//!
//! Threads: the walk and the readers run on worker threads; the calling thread is the only writer.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver};
use rayon::prelude::*;
use rusqlite::Connection;
use serde::Serialize;

use super::album::{album_folder, album_key, album_title_or_folder, is_compilation};
use super::cover::{folder_image, store_picture, CoverInfo};
use super::source::FileView;
use super::tags::{has_audio_extension, read_content, sniff, ReadError, Sniffed};
use super::work::derive_work;
use super::{identity, CatalogError, ScannedTrack};
use crate::batch::gather;
use crate::db::{self, albums::NewAlbum, tracks::FtsEntry};
use crate::events::{Event, EventSink, ScanPhase, ScanProgress};
use crate::text::{path_bytes, path_from_bytes, sort_key};
use crate::Library;

/// Files per write transaction.
const BATCH: usize = 5000;
/// Longest a read file waits before its batch is committed.
const BATCH_WAIT: Duration = Duration::from_millis(250);
/// Minimum time between two progress events.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// What a scan did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ScanReport {
    pub roots: usize,
    pub roots_offline: Vec<String>,
    pub files_seen: u64,
    pub unchanged: u64,
    pub added: u64,
    pub updated: u64,
    pub moved: u64,
    pub returned: u64,
    pub missing: u64,
    pub problems: u64,
    pub not_audio: u64,
    pub cancelled: bool,
    pub elapsed_ms: u64,
    /// Annotated albums, tracks and works that match nothing in the catalog after the scan.
    pub annotation_orphans: usize,
    /// Wishlist placeholders that a cataloged album now matches (`lists::resolutions`).
    pub wishlist_matches: usize,
    /// Article link suggestions waiting for a decision after detection ran again on every
    /// article (only when the scan changed the catalog).
    pub article_suggestions: usize,
}

/// A file the walk found.
#[derive(Debug, Clone)]
struct Found {
    root_id: i64,
    path: PathBuf,
    size: i64,
    mtime: i64,
    /// The catalog holds a problem for this path.
    was_problem: bool,
}

/// What reading one file produced.
enum Outcome {
    Track {
        track: Box<ScannedTrack>,
        cover: Option<CoverInfo>,
        existing: Option<i64>,
        /// Whether the path had a problem recorded that this read clears.
        was_problem: bool,
        /// Work done on the reader threads so the single writer only writes.
        derived: Box<Derived>,
    },
    Problem {
        found: Found,
        reason: String,
    },
    NotAudio,
}

/// What the writer needs beyond the track itself, computed on the reader threads.
struct Derived {
    album_key: String,
    artists: String,
    composers: String,
    people: String,
    catalog: String,
}

impl Derived {
    fn of(t: &ScannedTrack) -> Self {
        let g = &t.tags;
        let mut people: Vec<&str> = Vec::new();
        people.extend(g.album_artist.as_deref());
        people.extend(g.conductors.iter().map(String::as_str));
        people.extend(g.orchestrators.iter().map(String::as_str));
        people.extend(g.performers.iter().map(String::as_str));
        let mut catalog: Vec<&str> = g.catalog_numbers.iter().map(String::as_str).collect();
        catalog.extend(g.barcode.as_deref());
        Self {
            album_key: album_key(g, &t.path),
            artists: g.artists.join("; "),
            composers: g.composers.join("; "),
            people: people.join("; "),
            catalog: catalog.join("; "),
        }
    }
}

/// Throttled progress reporting shared by the workers.
struct Progress {
    sink: EventSink,
    started: Instant,
    read_started: Mutex<Option<Instant>>,
    last: Mutex<Instant>,
    seen: AtomicU64,
    to_read: AtomicU64,
    done: AtomicU64,
}

impl Progress {
    fn new(sink: EventSink) -> Self {
        let now = Instant::now();
        Self {
            sink,
            started: now,
            read_started: Mutex::new(None),
            last: Mutex::new(now - PROGRESS_EVERY),
            seen: AtomicU64::new(0),
            to_read: AtomicU64::new(0),
            done: AtomicU64::new(0),
        }
    }

    fn emit(&self, phase: ScanPhase, current: Option<&Path>, force: bool) {
        {
            let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
            if !force && last.elapsed() < PROGRESS_EVERY {
                return;
            }
            *last = Instant::now();
        }
        let done = self.done.load(Ordering::Relaxed);
        let to_read = self.to_read.load(Ordering::Relaxed);
        let read_started = *self.read_started.lock().unwrap_or_else(|e| e.into_inner());
        let secs = read_started
            .map(|t| t.elapsed().as_secs_f64())
            .unwrap_or(0.0);
        let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
        let eta_secs = (phase == ScanPhase::Reading && rate > 0.0)
            .then(|| to_read.saturating_sub(done) as f64 / rate);
        (self.sink)(&Event::ScanProgress(ScanProgress {
            phase,
            seen: self.seen.load(Ordering::Relaxed),
            to_read,
            done,
            rate,
            eta_secs,
            current: current.map(|p| p.to_string_lossy().into_owned()),
        }));
    }
}

/// Scans every root of the library.
///
/// # Errors
/// Only when the catalog itself cannot be read or written; bad files and unreachable folders are
/// recorded, not returned.
pub fn scan(
    lib: &Library,
    sink: EventSink,
    cancel: &AtomicBool,
) -> Result<ScanReport, CatalogError> {
    let progress = Progress::new(sink);
    let mut report = ScanReport::default();
    let mut conn = lib.writer()?;
    let now = db::now_secs();

    // Roots that are not reachable are offline: their tracks are left exactly as they are.
    let mut online = Vec::new();
    for root in db::roots::list(&conn)? {
        report.roots += 1;
        if std::fs::read_dir(&root.path).is_ok() && root.path.is_dir() {
            online.push(root);
        } else {
            db::roots::set_offline(&conn, root.id, now)?;
            report
                .roots_offline
                .push(root.path.to_string_lossy().into_owned());
        }
    }

    progress.emit(ScanPhase::Walking, None, true);
    let walk = walk_roots(&online, cancel, &progress);
    report.files_seen = walk.files.len() as u64;
    if cancel.load(Ordering::Relaxed) {
        report.cancelled = true;
        report.elapsed_ms = progress.started.elapsed().as_millis() as u64;
        progress.emit(ScanPhase::Done, None, true);
        return Ok(report);
    }

    // Compare with the catalog.
    let online_ids: HashSet<i64> = online.iter().map(|r| r.id).collect();
    let states = db::tracks::file_states(&conn)?;
    let mut known: HashMap<&[u8], &db::tracks::FileState> = HashMap::with_capacity(states.len());
    for s in &states {
        known.insert(s.path.as_slice(), s);
    }
    let problem_states = db::problems::states(&conn)?;
    let known_problems: HashMap<&[u8], &db::problems::ProblemState> = problem_states
        .iter()
        .map(|p| (p.path.as_slice(), p))
        .collect();

    let mut jobs: Vec<(Found, Option<i64>)> = Vec::new();
    let mut returned: Vec<i64> = Vec::new();
    let mut present: HashSet<Vec<u8>> = HashSet::with_capacity(walk.files.len());
    for mut found in walk.files {
        let bytes = path_bytes(&found.path);
        match known.get(bytes.as_slice()) {
            Some(s) if s.size == found.size && s.mtime == found.mtime => {
                report.unchanged += 1;
                if s.missing {
                    returned.push(s.id);
                }
            }
            Some(s) => {
                // A cataloged file that turned unreadable has a problem row as well as its track.
                found.was_problem = known_problems.contains_key(bytes.as_slice());
                jobs.push((found, Some(s.id)))
            }
            None => match known_problems.get(bytes.as_slice()) {
                Some(p) if p.size == Some(found.size) && p.mtime == Some(found.mtime) => {
                    report.unchanged += 1
                }
                Some(_) => {
                    found.was_problem = true;
                    jobs.push((found, None));
                }
                None => jobs.push((found, None)),
            },
        }
        present.insert(bytes);
    }
    let under_walk_error = |path: &[u8]| {
        let p = path_from_bytes(path);
        walk.failed_folders.iter().any(|f| p.starts_with(f))
    };
    let vanished: Vec<i64> = states
        .iter()
        .filter(|s| {
            !s.missing
                && online_ids.contains(&s.root_id)
                && !present.contains(&s.path)
                && !under_walk_error(&s.path)
        })
        .map(|s| s.id)
        .collect();
    let gone_problems: Vec<&[u8]> = problem_states
        .iter()
        .filter(|p| {
            online_ids.contains(&p.root_id)
                && !present.contains(&p.path)
                && !under_walk_error(&p.path)
        })
        .map(|p| p.path.as_slice())
        .collect();

    // Vanished files are marked missing before new files are written, so a moved file finds its
    // old row among the missing ones.
    {
        let tx = conn.transaction()?;
        for &id in &vanished {
            db::tracks::mark_missing(&tx, id, now)?;
        }
        for &id in &returned {
            db::tracks::clear_missing(&tx, id)?;
        }
        for path in &gone_problems {
            db::problems::delete(&tx, path)?;
        }
        for issue in &walk.issues {
            db::problems::upsert(
                &tx,
                &path_bytes(&issue.path),
                issue.root_id,
                &issue.reason,
                None,
                None,
                now,
            )?;
        }
        tx.commit()?;
    }
    report.missing = vanished.len() as u64;
    report.returned = returned.len() as u64;
    report.problems += walk.issues.len() as u64;
    drop(known);
    drop(states);

    // Read on a pool, write here.
    progress.to_read.store(jobs.len() as u64, Ordering::Relaxed);
    *progress
        .read_started
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
    progress.emit(ScanPhase::Reading, None, true);
    let (tx_out, rx_out) = bounded::<Outcome>(BATCH * 2);
    let thumbs = lib.thumbs_dir().to_path_buf();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("cuebook-read-{i}"))
        .build()
        .map_err(|e| CatalogError::Worker(e.to_string()))?;
    let mut writer = Writer::new(now, db::tracks::any_missing(&conn)?);
    // Checkpoint once at the end rather than every thousand pages: a page the scan changes in
    // many batches is then copied to the database once.
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    let write_result = std::thread::scope(|scope| {
        let progress = &progress;
        let thumbs = &thumbs;
        scope.spawn(move || {
            pool.install(|| {
                jobs.into_par_iter()
                    .for_each_with(tx_out, |out, (found, existing)| {
                        if cancel.load(Ordering::Relaxed) {
                            return;
                        }
                        progress.emit(ScanPhase::Reading, Some(&found.path), false);
                        let outcome = read_file(found, existing, thumbs);
                        progress.done.fetch_add(1, Ordering::Relaxed);
                        // The writer only hangs up after an error, which it reports itself.
                        let _ = out.send(outcome);
                    });
            });
        });
        writer.run(&mut conn, &rx_out, &mut report)
    });
    write_result?;
    if cancel.load(Ordering::Relaxed) {
        report.cancelled = true;
    }

    progress.emit(ScanPhase::Finishing, None, true);
    writer.finish(&mut conn, lib.thumbs_dir(), &online, report.cancelled)?;
    // Annotations follow albums a retag regrouped, and overrides apply to new album rows.
    let touched: Vec<i64> = writer.touched.iter().copied().collect();
    report.annotation_orphans = crate::annotate::reattach(&mut conn, &touched)?.orphans;
    report.wishlist_matches = crate::lists::after_scan(&mut conn).map_err(Box::new)?;
    let changed = report.added + report.updated + report.moved + report.returned + report.missing;
    if changed > 0 {
        report.article_suggestions = crate::articles::after_scan(&mut conn)
            .map_err(|e| super::CatalogError::Articles(e.to_string()))?;
    }
    conn.pragma_update(None, "wal_autocheckpoint", 1000)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    report.elapsed_ms = progress.started.elapsed().as_millis() as u64;
    progress.emit(ScanPhase::Done, None, true);
    Ok(report)
}

struct WalkIssue {
    root_id: i64,
    path: PathBuf,
    reason: String,
}

struct Walk {
    files: Vec<Found>,
    issues: Vec<WalkIssue>,
    /// Folders the walk could not enter: files below them are not known to be gone.
    failed_folders: Vec<PathBuf>,
}

/// Extensions that are never audio: skipped without opening the file.
const NOT_AUDIO: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "bmp", "webp", "tif", "tiff", "txt", "nfo", "log", "cue", "m3u",
    "m3u8", "pls", "xspf", "pdf", "sfv", "md5", "accurip", "db", "ini", "url", "html", "htm",
    "xml", "json", "zip", "rar", "7z", "gz", "tar", "exe", "lrc", "ffp", "par2", "sh", "py",
];

fn skip_by_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| NOT_AUDIO.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0)
}

/// Walks the online roots in parallel, following symlinks (loops are reported, not followed) and
/// skipping hidden entries. A file reached twice through links is kept once.
fn walk_roots(roots: &[db::roots::Root], cancel: &AtomicBool, progress: &Progress) -> Walk {
    let files = Mutex::new(Vec::new());
    let issues = Mutex::new(Vec::new());
    let failed = Mutex::new(Vec::new());
    for root in roots {
        let walker = ignore::WalkBuilder::new(&root.path)
            .standard_filters(false)
            .hidden(true)
            .follow_links(true)
            .threads(
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2),
            )
            .build_parallel();
        walker.run(|| {
            let (files, issues, failed) = (&files, &issues, &failed);
            let root_id = root.id;
            Box::new(move |entry: Result<ignore::DirEntry, ignore::Error>| {
                if cancel.load(Ordering::Relaxed) {
                    return ignore::WalkState::Quit;
                }
                match entry {
                    Ok(entry) => {
                        if !entry.file_type().is_some_and(|t| t.is_file())
                            || skip_by_extension(entry.path())
                        {
                            return ignore::WalkState::Continue;
                        }
                        match entry.metadata() {
                            Ok(meta) => {
                                use std::os::unix::fs::MetadataExt;
                                progress.seen.fetch_add(1, Ordering::Relaxed);
                                progress.emit(ScanPhase::Walking, Some(entry.path()), false);
                                let inode = (meta.dev(), meta.ino());
                                let found = Found {
                                    root_id,
                                    path: entry.into_path(),
                                    size: meta.len() as i64,
                                    mtime: mtime_ns(&meta),
                                    was_problem: false,
                                };
                                lock(files).push((found, inode));
                            }
                            Err(e) => lock(issues).push(WalkIssue {
                                root_id,
                                path: entry.into_path(),
                                reason: format!(
                                    "cannot read file information: {}",
                                    walk_error_reason(&e)
                                ),
                            }),
                        }
                    }
                    // A file deleted while we walk is simply gone; anything else is worth telling.
                    Err(e)
                        if e.io_error()
                            .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) => {}
                    Err(e) => {
                        let path = walk_error_path(&e).unwrap_or_else(|| root.path.clone());
                        lock(failed).push(path.clone());
                        lock(issues).push(WalkIssue {
                            root_id,
                            path,
                            reason: walk_error_reason(&e),
                        });
                    }
                }
                ignore::WalkState::Continue
            })
        });
    }
    let mut files = files.into_inner().unwrap_or_else(|p| p.into_inner());
    // Byte order is enough for a stable insertion order and much cheaper than component order.
    files.sort_unstable_by(|a, b| {
        a.0.path
            .as_os_str()
            .as_encoded_bytes()
            .cmp(b.0.path.as_os_str().as_encoded_bytes())
    });
    let mut inodes = HashSet::with_capacity(files.len());
    let files = files
        .into_iter()
        .filter(|(_, inode)| inodes.insert(*inode))
        .map(|(f, _)| f)
        .collect();
    Walk {
        files,
        issues: issues.into_inner().unwrap_or_else(|p| p.into_inner()),
        failed_folders: failed.into_inner().unwrap_or_else(|p| p.into_inner()),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panicking walker thread cannot leave a Vec half-pushed; keep going with what it holds.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn walk_error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(walk_error_path),
        _ => None,
    }
}

fn walk_error_reason(e: &ignore::Error) -> String {
    match e {
        ignore::Error::Loop { ancestor, .. } => {
            format!("symbolic link loop back to {}", ancestor.display())
        }
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => walk_error_reason(err),
        ignore::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            "folder not readable: permission denied".into()
        }
        ignore::Error::Io(io) => format!("cannot read: {io}"),
        other => other.to_string(),
    }
}

/// Reads one file: sniff, tags and properties, identity, embedded cover.
fn read_file(found: Found, existing: Option<i64>, thumbs: &Path) -> Outcome {
    let problem = |found: Found, reason: String| Outcome::Problem { found, reason };
    let file = match File::open(&found.path) {
        Ok(f) => f,
        Err(e) => return problem(found, ReadError::Io(e.to_string()).to_string()),
    };
    let mut file = match FileView::new(&file) {
        Ok(v) => v,
        Err(e) => return problem(found, ReadError::Io(e.to_string()).to_string()),
    };
    let file_type = match sniff(&mut file) {
        Ok(Sniffed::Audio(ft)) => ft,
        Ok(Sniffed::Unsupported(name)) => {
            return problem(found, ReadError::Unsupported(name).to_string())
        }
        Ok(Sniffed::Empty) if has_audio_extension(&found.path) => {
            return problem(found, ReadError::Empty.to_string())
        }
        Ok(Sniffed::Unknown) if has_audio_extension(&found.path) => {
            return problem(found, ReadError::Unrecognized.to_string())
        }
        Ok(Sniffed::Empty | Sniffed::Unknown) => return Outcome::NotAudio,
        Err(e) => return problem(found, ReadError::Io(e.to_string()).to_string()),
    };
    let content = match read_content(&mut file, file_type) {
        Ok(c) => c,
        Err(e) => return problem(found, e.to_string()),
    };
    let len = file.len();
    let content_id = match identity::content_id_at(&mut file, len, Some(file_type)) {
        Ok(id) => id,
        Err(e) => return problem(found, ReadError::Io(e.to_string()).to_string()),
    };
    // A cover that cannot be decoded costs the track its picture, nothing more.
    let cover = content
        .cover
        .as_ref()
        .and_then(|p| store_picture(thumbs, &p.data).ok());
    let was_problem = found.was_problem;
    let track = ScannedTrack {
        root_id: found.root_id,
        path: found.path,
        size: found.size,
        mtime: found.mtime,
        content_id,
        tags: content.tags,
        props: content.props,
        cover_hash: cover.as_ref().map(|c| c.hash.clone()),
    };
    Outcome::Track {
        derived: Box::new(Derived::of(&track)),
        track: Box::new(track),
        cover,
        existing,
        was_problem,
    }
}

/// What the writer remembers of an album it has written to.
#[derive(Clone)]
struct AlbumRef {
    id: i64,
    title: String,
    work_title: Option<String>,
}

/// The single writer: batches outcomes into transactions and keeps albums, works and the search
/// index in step with the tracks it writes.
struct Writer {
    now: i64,
    albums: HashMap<String, AlbumRef>,
    touched_in_batch: HashSet<i64>,
    touched: HashSet<i64>,
    /// Whether any track is marked missing, that is whether a new file may be a moved one.
    any_missing: bool,
}

impl Writer {
    fn new(now: i64, any_missing: bool) -> Self {
        Self {
            now,
            any_missing,
            albums: HashMap::new(),
            touched_in_batch: HashSet::new(),
            touched: HashSet::new(),
        }
    }

    fn run(
        &mut self,
        conn: &mut Connection,
        rx: &Receiver<Outcome>,
        report: &mut ScanReport,
    ) -> Result<(), CatalogError> {
        let mut batch: Vec<Outcome> = Vec::with_capacity(BATCH);
        while let Some(closed) = gather(rx, &mut batch, BATCH, BATCH_WAIT) {
            self.write_batch(conn, &mut batch, report)?;
            if closed {
                break;
            }
        }
        Ok(())
    }

    fn write_batch(
        &mut self,
        conn: &mut Connection,
        batch: &mut Vec<Outcome>,
        report: &mut ScanReport,
    ) -> Result<(), CatalogError> {
        let tx = conn.transaction()?;
        for outcome in batch.drain(..) {
            match outcome {
                Outcome::Track {
                    track,
                    cover,
                    existing,
                    was_problem,
                    derived,
                } => {
                    if let Some(c) = &cover {
                        db::covers::insert(&tx, &c.hash, &c.mime, c.size, c.bytes)?;
                    }
                    if was_problem {
                        db::problems::delete(&tx, &path_bytes(&track.path))?;
                    }
                    self.write_track(&tx, &track, &derived, existing, report)?;
                }
                Outcome::Problem { found, reason } => {
                    db::problems::upsert(
                        &tx,
                        &path_bytes(&found.path),
                        found.root_id,
                        &reason,
                        Some(found.size),
                        Some(found.mtime),
                        self.now,
                    )?;
                    report.problems += 1;
                }
                Outcome::NotAudio => report.not_audio += 1,
            }
        }
        for id in self.touched_in_batch.drain() {
            db::albums::refresh(&tx, id)?;
            self.touched.insert(id);
        }
        tx.commit()?;
        Ok(())
    }

    fn write_track(
        &mut self,
        tx: &Connection,
        t: &ScannedTrack,
        d: &Derived,
        existing: Option<i64>,
        report: &mut ScanReport,
    ) -> Result<(), CatalogError> {
        let AlbumRef {
            id: album_id,
            title: album_title,
            work_title,
        } = self.album_for(tx, t, &d.album_key)?;
        let added_before = report.added;
        let id = if let Some(id) = existing {
            if let Some(old) = db::tracks::album_of(tx, id)? {
                self.touched_in_batch.insert(old);
            }
            db::tracks::update(tx, id, t, album_id, &album_title, self.now)?;
            report.updated += 1;
            id
        } else {
            // Nothing is missing in a first scan: skip the lookup.
            let candidates = if self.any_missing {
                db::tracks::missing_with_content(tx, &t.content_id)?
            } else {
                Vec::new()
            };
            let name = t.path.file_name();
            let best = candidates
                .iter()
                .find(|(_, p)| path_from_bytes(p).file_name() == name)
                .or(candidates.first())
                .map(|(id, _)| *id);
            if let Some(id) = best {
                if let Some(old) = db::tracks::album_of(tx, id)? {
                    self.touched_in_batch.insert(old);
                }
                db::tracks::update(tx, id, t, album_id, &album_title, self.now)?;
                report.moved += 1;
                id
            } else {
                report.added += 1;
                db::tracks::insert(tx, t, album_id, &album_title, self.now)?
            }
        };
        let fresh = report.added > added_before;
        self.touched_in_batch.insert(album_id);
        let g = &t.tags;
        db::tracks::index(
            tx,
            id,
            fresh,
            &FtsEntry {
                title: g.title.as_deref(),
                album: g.album.as_deref(),
                work: work_title.as_deref(),
                artists: &d.artists,
                composers: &d.composers,
                people: &d.people,
                label: g.label.as_deref(),
                catalog: &d.catalog,
            },
        )?;
        Ok(())
    }

    /// The album of a track, created when new.
    fn album_for(
        &mut self,
        tx: &Connection,
        t: &ScannedTrack,
        key: &str,
    ) -> Result<AlbumRef, CatalogError> {
        if let Some(album) = self.albums.get(key) {
            return Ok(album.clone());
        }
        let found = match db::albums::id_and_title_by_key(tx, key)? {
            Some((id, title)) => AlbumRef {
                id,
                title,
                work_title: db::albums::work_title(tx, id)?,
            },
            None => {
                let title = album_title_or_folder(&t.tags, &t.path);
                let derived = t
                    .tags
                    .album
                    .as_deref()
                    .map(|a| derive_work(a, t.tags.genre.as_deref()));
                let work = match derived
                    .as_ref()
                    .and_then(|d| d.title.as_deref().map(|title| (title, d)))
                {
                    Some((title, d)) => {
                        let year = t.tags.original_year().or(t.tags.year());
                        let id = db::works::upsert_derived(
                            tx,
                            title,
                            &sort_key(title),
                            d.kind.map(|k| k.as_str()),
                            year,
                        )?;
                        Some((id, title.to_string()))
                    }
                    None => None,
                };
                let album = NewAlbum {
                    key: key.to_string(),
                    title: title.clone(),
                    album_artist: t
                        .tags
                        .album_artist
                        .clone()
                        .or_else(|| t.tags.artists.first().cloned()),
                    catalog_numbers: t.tags.catalog_numbers.clone(),
                    edition: t.tags.release_comment.clone(),
                    mb_album_id: t.tags.mb_album_id.clone(),
                    compilation: is_compilation(&t.tags),
                    folder: path_bytes(album_folder(&t.path)),
                    work_id: work.as_ref().map(|w| w.0),
                    release_kind: derived.and_then(|d| d.release_kind),
                };
                AlbumRef {
                    id: db::albums::insert(tx, &album, self.now)?,
                    title,
                    work_title: work.map(|w| w.1),
                }
            }
        };
        self.albums.insert(key.to_string(), found.clone());
        Ok(found)
    }

    /// Folder covers for albums without one, pruning, and root bookkeeping.
    fn finish(
        &mut self,
        conn: &mut Connection,
        thumbs: &Path,
        online: &[db::roots::Root],
        cancelled: bool,
    ) -> Result<(), CatalogError> {
        let touched: Vec<i64> = self.touched.iter().copied().collect();
        let need_cover = db::albums::without_cover(conn, &touched)?;
        let covers: Vec<(i64, CoverInfo)> = need_cover
            .par_iter()
            .filter_map(|(id, folder)| {
                let image = folder_image(&path_from_bytes(folder))?;
                let data = std::fs::read(image).ok()?;
                store_picture(thumbs, &data).ok().map(|c| (*id, c))
            })
            .collect();
        let tx = conn.transaction()?;
        for (id, c) in &covers {
            db::covers::insert(&tx, &c.hash, &c.mime, c.size, c.bytes)?;
            db::albums::set_cover(&tx, *id, &c.hash)?;
        }
        db::albums::prune_empty(&tx)?;
        db::works::prune_unused(&tx)?;
        db::works::prune_unused_user(&tx)?;
        if !cancelled {
            for root in online {
                db::roots::set_scanned(&tx, root.id, self.now)?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
