//! Loudness, peaks, waveform and preview start, measured once per content identity.
//!
//! [`analyze`] makes one decode pass over a stream and measures:
//! - EBU R128 integrated loudness (`None` for digital silence, which the gate leaves empty) and
//!   true peak, with `ebur128`; a mono file is measured as dual mono, as it plays on two speakers;
//! - the waveform: [`WAVEFORM_BUCKETS`] `(min, max)` pairs over all channels, buckets of equal
//!   length over the whole stream;
//! - the smart start, from the short-term loudness sampled every 0.5 s and a 100 ms energy
//!   envelope (see [`smart_start_ms`] for the algorithm).
//!
//! [`analyze_library`] analyzes every present track whose audio has no analysis of
//! [`ANALYSIS_VERSION`] yet: decoding runs on a pool of one thread per core, the calling thread is
//! the only writer and commits in batches, so a cancelled or killed run keeps what it finished.
//! Audio that cannot be decoded (no decoder, damaged) is recorded with its reason and not retried
//! until its content (and so its identity) changes or the version goes up; a file that cannot be
//! read right now (I/O) is not recorded and is retried next run.
//!
//! Results are cached in `track_analysis` (see `db::analysis`), keyed by content identity.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver};
use ebur128::{Channel, EbuR128, Mode};
use rayon::prelude::*;
use rusqlite::Connection;
use serde::Serialize;

use super::{decode, Frames, PreviewError};
use crate::batch::gather;
use crate::db::{self, analysis::PendingTrack};
use crate::events::{AnalysisProgress, Event, EventSink};
use crate::text::path_from_bytes;
use crate::Library;

/// Waveform resolution: `(min, max)` pairs per track.
pub const WAVEFORM_BUCKETS: usize = 1000;
/// Version of the measurements; rows written by another version are redone.
pub const ANALYSIS_VERSION: i64 = 1;

/// Tracks shorter than this start their preview at 0.
const SHORT_TRACK_MS: u64 = 45_000;
/// Short-term loudness is sampled this often.
const SHORT_TERM_STEP_MS: u64 = 500;
/// Length of the EBU short-term window.
const SHORT_TERM_WINDOW_MS: i64 = 3_000;
/// Length of the section the smart start looks for.
const SECTION_MS: u64 = 20_000;
/// Loudness (LUFS) below which a short-term value counts as silence.
const SILENCE_LUFS: f64 = -70.0;
/// How much a section's loudness spread (standard deviation, LU) costs it: one spike in a quiet
/// window raises its mean but also its spread, so it scores below a sustained section.
const SPREAD_PENALTY: f64 = 0.5;
/// The best section is moved back over the values at most this far below its mean loudness, so
/// the preview starts where the loud passage starts rather than somewhere inside it.
const SECTION_LEVEL_DROP_LU: f64 = 1.5;
/// The best section must be this much louder than the track's mean to stand out.
const STANDOUT_LU: f64 = 2.0;
/// Resolution of the energy envelope used to find onsets.
const ENVELOPE_MS: u64 = 100;
/// An onset is searched from this long before the section start...
const ONSET_BEFORE_MS: u64 = 4_000;
/// ...to this long after it.
const ONSET_AFTER_MS: u64 = 1_000;
/// Envelope blocks compared on each side of a candidate onset (400 ms).
const ONSET_SIDE: usize = 4;
/// A rise of at least this much (dB) is an onset.
const ONSET_MIN_RISE_DB: f64 = 3.0;
/// True peak reported for digital silence, in dBTP.
const SILENCE_DBTP: f64 = -120.0;

/// Results per write transaction, at most.
const BATCH: usize = 256;
/// Longest a finished analysis waits before its batch is committed.
const BATCH_WAIT: Duration = Duration::from_millis(250);
/// Minimum time between two progress events.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// What one analysis measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub content_id: String,
    /// Decoded length.
    pub duration_ms: u64,
    /// EBU R128 integrated loudness, LUFS; `None` for digital silence.
    pub integrated_lufs: Option<f64>,
    /// EBU R128 true peak over all channels, dBTP (-120 for digital silence).
    pub true_peak_dbtp: f64,
    /// [`WAVEFORM_BUCKETS`] `(min, max)` pairs over all channels, in -1.0..=1.0.
    pub waveform: Vec<(f32, f32)>,
    /// Where a preview starts: the start of the most characteristic sustained section.
    pub smart_start_ms: u64,
}

/// What [`analyze_library`] did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct AnalyzeReport {
    /// Audio payloads analyzed and stored.
    pub analyzed: u64,
    /// Payloads recorded as unavailable (no correct decoder for their format or codec).
    pub unavailable: u64,
    /// Payloads that failed: damaged files (recorded, not retried) and files that could not be
    /// read now (not recorded, retried next run).
    pub failed: u64,
    pub cancelled: bool,
    pub elapsed_ms: u64,
    /// Length of the audio analyzed; over `elapsed_ms` it gives the speed in times real time.
    pub audio_seconds: f64,
}

/// Where a preview starts before the track is analyzed: 0 for short tracks (or an unknown
/// length), a third of the way in otherwise.
pub fn fallback_start_ms(duration_ms: Option<u64>) -> u64 {
    match duration_ms {
        Some(d) if d >= SHORT_TRACK_MS => d / 3,
        _ => 0,
    }
}

/// Measures a whole stream in one pass. The stream is read to its end.
///
/// # Errors
/// When the stream fails to decode, or has a format the loudness meter does not take (that
/// [`PreviewError::Decode`] names `content_id`, as a stream has no path).
pub fn analyze(frames: &mut dyn Frames, content_id: &str) -> Result<Analysis, PreviewError> {
    measure(frames, content_id, &AtomicBool::new(false))?
        .ok_or_else(|| PreviewError::Catalog(format!("the analysis of {content_id} was cancelled")))
}

/// [`analyze`], checking `cancel` between blocks: `None` when cancelled.
fn measure(
    frames: &mut dyn Frames,
    content_id: &str,
    cancel: &AtomicBool,
) -> Result<Option<Analysis>, PreviewError> {
    let channels = usize::from(frames.channels());
    let rate = frames.sample_rate();
    let total = frames
        .duration()
        .map(|d| (d.as_nanos() * u128::from(rate) / 1_000_000_000) as u64);
    let mut meter = Meter::new(channels, rate, total).map_err(|e| PreviewError::Decode {
        path: content_id.to_string(),
        reason: format!("cannot measure loudness of {channels} channels at {rate} Hz: {e}"),
    })?;
    while let Some(block) = frames.next_block()? {
        if cancel.load(Ordering::Relaxed) {
            return Ok(None);
        }
        meter.add(block).map_err(|e| PreviewError::Decode {
            path: content_id.to_string(),
            reason: format!("loudness measurement failed: {e}"),
        })?;
    }
    Ok(Some(meter.finish(content_id)))
}

/// Running measurements over one stream.
struct Meter {
    ebu: EbuR128,
    channels: usize,
    rate: u32,
    frames: u64,
    short_term_every: u64,
    next_short_term: u64,
    short_term: Vec<f64>,
    envelope_every: u64,
    envelope_power: f64,
    envelope_frames: u64,
    /// Mean square per `ENVELOPE_MS` block.
    envelope: Vec<f32>,
    waveform: PeakCollector,
}

impl Meter {
    fn new(channels: usize, rate: u32, total_frames: Option<u64>) -> Result<Self, ebur128::Error> {
        let n = u32::try_from(channels).unwrap_or(u32::MAX);
        let mut ebu = EbuR128::new(n, rate, Mode::I | Mode::S | Mode::TRUE_PEAK)?;
        if channels == 1 {
            ebu.set_channel(0, Channel::DualMono)?;
        }
        let short_term_every = (u64::from(rate) * SHORT_TERM_STEP_MS / 1000).max(1);
        Ok(Self {
            ebu,
            channels,
            rate,
            frames: 0,
            short_term_every,
            next_short_term: short_term_every,
            short_term: Vec::new(),
            envelope_every: (u64::from(rate) * ENVELOPE_MS / 1000).max(1),
            envelope_power: 0.0,
            envelope_frames: 0,
            envelope: Vec::new(),
            waveform: PeakCollector::new(total_frames),
        })
    }

    fn add(&mut self, block: &[f32]) -> Result<(), ebur128::Error> {
        let mut rest = &block[..block.len() - block.len() % self.channels];
        while !rest.is_empty() {
            // Feed up to the next short-term sampling point, then sample.
            let until = (self.next_short_term - self.frames) as usize;
            let n = until.min(rest.len() / self.channels);
            let (now, later) = rest.split_at(n * self.channels);
            self.ebu.add_frames_f32(now)?;
            for frame in now.chunks_exact(self.channels) {
                self.add_frame(frame);
            }
            self.frames += n as u64;
            if self.frames == self.next_short_term {
                self.short_term.push(self.ebu.loudness_shortterm()?);
                self.next_short_term += self.short_term_every;
            }
            rest = later;
        }
        Ok(())
    }

    fn add_frame(&mut self, frame: &[f32]) {
        let mut lo = f32::MAX;
        let mut hi = f32::MIN;
        let mut power = 0.0f64;
        for &s in frame {
            lo = lo.min(s);
            hi = hi.max(s);
            power += f64::from(s) * f64::from(s);
        }
        self.waveform.add(lo, hi);
        self.envelope_power += power / self.channels as f64;
        self.envelope_frames += 1;
        if self.envelope_frames == self.envelope_every {
            self.envelope
                .push((self.envelope_power / self.envelope_frames as f64) as f32);
            self.envelope_power = 0.0;
            self.envelope_frames = 0;
        }
    }

    fn finish(self, content_id: &str) -> Analysis {
        let duration_ms = self.frames * 1000 / u64::from(self.rate.max(1));
        let integrated_lufs = self
            .ebu
            .loudness_global()
            .ok()
            .filter(|l| l.is_finite() && *l >= SILENCE_LUFS);
        let peak = (0..self.channels)
            .filter_map(|c| self.ebu.true_peak(c as u32).ok())
            .fold(0.0f64, f64::max);
        let true_peak_dbtp = if peak > 0.0 {
            (20.0 * peak.log10()).max(SILENCE_DBTP)
        } else {
            SILENCE_DBTP
        };
        Analysis {
            content_id: content_id.to_string(),
            duration_ms,
            integrated_lufs,
            true_peak_dbtp,
            smart_start_ms: smart_start_ms(&self.short_term, &self.envelope, duration_ms),
            waveform: self.waveform.finish(),
        }
    }
}

/// Min/max per bucket. With a known length of `n` frames, bucket `i` ends at frame
/// `(i + 1) × n / WAVEFORM_BUCKETS`; with an unknown length (or past a wrong one), buckets have a
/// fixed size that doubles, merging pairs, whenever there are twice as many as needed. `finish`
/// maps them onto exactly `WAVEFORM_BUCKETS`.
struct PeakCollector {
    total: Option<u64>,
    seen: u64,
    bucket_frames: u64,
    in_bucket: u64,
    current: (f32, f32),
    buckets: Vec<(f32, f32)>,
}

impl PeakCollector {
    fn new(total_frames: Option<u64>) -> Self {
        let total = total_frames.filter(|n| *n > 0);
        Self {
            total,
            seen: 0,
            bucket_frames: total.map_or(1, |n| (n / WAVEFORM_BUCKETS as u64).max(1)),
            in_bucket: 0,
            current: (f32::MAX, f32::MIN),
            buckets: Vec::with_capacity(2 * WAVEFORM_BUCKETS),
        }
    }

    fn add(&mut self, lo: f32, hi: f32) {
        self.current = (self.current.0.min(lo), self.current.1.max(hi));
        self.in_bucket += 1;
        self.seen += 1;
        let full = match self.total {
            Some(n) if self.buckets.len() < WAVEFORM_BUCKETS => {
                self.seen >= (self.buckets.len() as u64 + 1) * n / WAVEFORM_BUCKETS as u64
            }
            _ => self.in_bucket >= self.bucket_frames,
        };
        if !full {
            return;
        }
        self.buckets.push(self.current);
        self.current = (f32::MAX, f32::MIN);
        self.in_bucket = 0;
        if self.buckets.len() >= 2 * WAVEFORM_BUCKETS {
            let merged: Vec<(f32, f32)> = self
                .buckets
                .chunks(2)
                .map(|p| p.iter().fold((f32::MAX, f32::MIN), merge))
                .collect();
            self.buckets = merged;
            self.bucket_frames *= 2;
        }
    }

    fn finish(mut self) -> Vec<(f32, f32)> {
        if self.in_bucket > 0 {
            self.buckets.push(self.current);
        }
        let n = self.buckets.len();
        if n == 0 {
            return vec![(0.0, 0.0); WAVEFORM_BUCKETS];
        }
        (0..WAVEFORM_BUCKETS)
            .map(|i| {
                let from = i * n / WAVEFORM_BUCKETS;
                let to = ((i + 1) * n / WAVEFORM_BUCKETS).max(from + 1).min(n);
                self.buckets[from..to]
                    .iter()
                    .fold((f32::MAX, f32::MIN), merge)
            })
            .collect()
    }
}

fn merge(acc: (f32, f32), b: &(f32, f32)) -> (f32, f32) {
    (acc.0.min(b.0), acc.1.max(b.1))
}

/// The smart preview start: the start of the most characteristic, energetic sustained section.
///
/// `short_term` holds EBU short-term loudness (3 s window) sampled every 0.5 s, value `k` taken
/// after `(k + 1) × 0.5 s`, so centred on `(k + 1) × 0.5 s − 1.5 s`; `envelope` holds the mean
/// square of each 100 ms block.
///
/// 1. Tracks shorter than 45 s start at 0: a preview hears most of them anyway.
/// 2. Every run of 40 consecutive values (a 20 s section) is scored by its mean loudness minus
///    half its standard deviation (LU, silence counted as -70): a sustained loud section scores
///    high, a single spike in a quiet section does not, as it widens the spread as much as it
///    lifts the mean.
/// 3. When the best section is less than 2 LU above the track's mean loudness, nothing stands
///    out (a flat track, or silence): start a third of the way in, as [`fallback_start_ms`].
/// 4. The best section (the first of equals) is moved back, by up to its own length, over the
///    values no more than 1.5 LU below its mean: sections that slide over one long loud passage
///    score alike, and the passage's beginning is what to hear first.
/// 5. The start is moved to the strongest rise of the 100 ms energy envelope (400 ms after
///    against 400 ms before, at least 3 dB) within 4 s before to 1 s after the section start,
///    so the preview begins on the phrase's attack rather than inside it.
pub fn smart_start_ms(short_term: &[f64], envelope: &[f32], duration_ms: u64) -> u64 {
    if duration_ms < SHORT_TRACK_MS {
        return 0;
    }
    let fallback = fallback_start_ms(Some(duration_ms));
    let window = (SECTION_MS / SHORT_TERM_STEP_MS) as usize;
    if short_term.len() < window {
        return fallback;
    }
    let values: Vec<f64> = short_term
        .iter()
        .map(|v| {
            if v.is_finite() {
                v.max(SILENCE_LUFS)
            } else {
                SILENCE_LUFS
            }
        })
        .collect();
    let track_mean = values.iter().sum::<f64>() / values.len() as f64;

    // Mean and spread of every window, from running sums.
    let mut sections = Vec::with_capacity(values.len() - window + 1);
    let (mut sum, mut sum_sq) = (0.0f64, 0.0f64);
    for (i, v) in values.iter().enumerate() {
        sum += v;
        sum_sq += v * v;
        if i >= window {
            let old = values[i - window];
            sum -= old;
            sum_sq -= old * old;
        }
        if i + 1 >= window {
            let mean = sum / window as f64;
            let spread = (sum_sq / window as f64 - mean * mean).max(0.0).sqrt();
            sections.push((mean, mean - SPREAD_PENALTY * spread));
        }
    }
    // The best section; the first of equals.
    let Some((best, &(mean, _))) =
        sections
            .iter()
            .enumerate()
            .reduce(|a, b| if b.1 .1 > a.1 .1 { b } else { a })
    else {
        return fallback;
    };
    if mean - track_mean < STANDOUT_LU {
        return fallback;
    }
    // Back to where the passage reaches this level.
    let mut first = best;
    while first > 0 && best - first < window && values[first - 1] >= mean - SECTION_LEVEL_DROP_LU {
        first -= 1;
    }
    let centre_ms = (first as i64 + 1) * SHORT_TERM_STEP_MS as i64 - SHORT_TERM_WINDOW_MS / 2;
    let start_ms = centre_ms.max(0) as u64;
    let start_ms = onset_near(envelope, start_ms).unwrap_or(start_ms);
    start_ms.min(duration_ms.saturating_sub(SECTION_MS))
}

/// The strongest rise of the envelope near `at_ms` (see [`smart_start_ms`]), if any is an onset.
fn onset_near(envelope: &[f32], at_ms: u64) -> Option<u64> {
    let from = (at_ms.saturating_sub(ONSET_BEFORE_MS) / ENVELOPE_MS) as usize;
    let to = ((at_ms + ONSET_AFTER_MS) / ENVELOPE_MS) as usize;
    let from = from.max(ONSET_SIDE);
    let to = to.min(envelope.len().saturating_sub(ONSET_SIDE));
    let level = |blocks: &[f32]| {
        let mean = blocks.iter().map(|p| f64::from(*p)).sum::<f64>() / blocks.len() as f64;
        10.0 * (mean + 1e-12).log10()
    };
    (from..=to)
        .filter(|&b| b + ONSET_SIDE <= envelope.len() && b >= ONSET_SIDE)
        .map(|b| {
            let rise = level(&envelope[b..b + ONSET_SIDE]) - level(&envelope[b - ONSET_SIDE..b]);
            (b, rise)
        })
        .filter(|(_, rise)| *rise >= ONSET_MIN_RISE_DB)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(b, _)| b as u64 * ENVELOPE_MS)
}

/// The stored analysis of `content_id` (of the current version): `Some(Ok)` when analyzed,
/// `Some(Err(reason))` when its audio was found unavailable, `None` when not analyzed yet.
///
/// # Errors
/// When the catalog cannot be read.
pub fn cached(
    conn: &Connection,
    content_id: &str,
) -> rusqlite::Result<Option<Result<Analysis, String>>> {
    db::analysis::load(conn, content_id, ANALYSIS_VERSION)
}

/// A track's waveform as the app draws it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Waveform {
    pub track_id: i64,
    pub duration_ms: u64,
    pub smart_start_ms: u64,
    /// `(min, max)` pairs in -1.0..=1.0, evenly spread over the track.
    pub peaks: Vec<(f32, f32)>,
}

/// The waveform of a track, analyzing it first when needed.
///
/// # Errors
/// As [`analyze_track`].
pub fn waveform(lib: &Library, track_id: i64) -> Result<Waveform, PreviewError> {
    let a = analyze_track(lib, track_id)?;
    Ok(Waveform {
        track_id,
        duration_ms: a.duration_ms,
        smart_start_ms: a.smart_start_ms,
        peaks: a.waveform,
    })
}

/// The analysis of a track: cached, or computed and stored now (what a first preview calls).
///
/// # Errors
/// [`PreviewError::Unavailable`] when the audio cannot be analyzed (also when recorded so
/// earlier), [`PreviewError::Io`] when the file cannot be read now, [`PreviewError::Decode`]
/// when it is damaged, [`PreviewError::Catalog`] when there is no such track or the catalog
/// cannot be used.
pub fn analyze_track(lib: &Library, track_id: i64) -> Result<Analysis, PreviewError> {
    let conn = lib.reader().map_err(catalog_error)?;
    let track = db::analysis::track_audio(&conn, track_id)
        .map_err(catalog_error)?
        .ok_or_else(|| PreviewError::Catalog(format!("no track {track_id} in the catalog")))?;
    if let Some(stored) = cached(&conn, &track.content_id).map_err(catalog_error)? {
        return stored.map_err(PreviewError::Unavailable);
    }
    drop(conn);
    let path = path_from_bytes(&track.path);
    let outcome = analyze_file(
        &path,
        &track.format,
        &track.content_id,
        &AtomicBool::new(false),
    );
    let conn = lib.writer().map_err(catalog_error)?;
    let now = db::now_secs();
    match outcome {
        Outcome::Analyzed(a) => {
            db::analysis::store(&conn, &a, ANALYSIS_VERSION, now).map_err(catalog_error)?;
            Ok(a)
        }
        Outcome::Recorded { error, .. } => {
            db::analysis::store_unavailable(
                &conn,
                &track.content_id,
                &recorded_reason(&error),
                ANALYSIS_VERSION,
                now,
            )
            .map_err(catalog_error)?;
            Err(error)
        }
        Outcome::Failed(e) => Err(e),
        Outcome::Cancelled => Err(PreviewError::Catalog("analysis cancelled".into())),
    }
}

fn catalog_error(e: impl std::fmt::Display) -> PreviewError {
    PreviewError::Catalog(e.to_string())
}

/// The text stored for audio that cannot be analyzed; shown after "preview unavailable: ".
fn recorded_reason(e: &PreviewError) -> String {
    match e {
        PreviewError::Unavailable(reason) => reason.clone(),
        other => other.to_string(),
    }
}

/// What analyzing one file gave.
enum Outcome {
    Analyzed(Analysis),
    /// Unavailable or damaged: recorded so it is not retried until the content changes.
    Recorded {
        content_id: String,
        error: PreviewError,
    },
    /// Could not be read now: not recorded.
    Failed(PreviewError),
    Cancelled,
}

fn analyze_file(path: &Path, format: &str, content_id: &str, cancel: &AtomicBool) -> Outcome {
    let result = decode::open(path, format)
        .and_then(|mut frames| measure(&mut frames, content_id, cancel))
        .map_err(|e| match e {
            // The meter names the content; the file is what people can act on.
            PreviewError::Decode { reason, .. } => PreviewError::Decode {
                path: path.display().to_string(),
                reason,
            },
            other => other,
        });
    match result {
        Ok(Some(a)) => Outcome::Analyzed(a),
        Ok(None) => Outcome::Cancelled,
        Err(e @ (PreviewError::Unavailable(_) | PreviewError::Decode { .. })) => {
            Outcome::Recorded {
                content_id: content_id.to_string(),
                error: e,
            }
        }
        Err(e) => Outcome::Failed(e),
    }
}

/// Throttled progress shared by the workers.
struct Progress {
    sink: EventSink,
    started: Instant,
    last: Mutex<Instant>,
    total: u64,
    done: AtomicU64,
}

impl Progress {
    fn emit(&self, current: Option<&Path>, finished: bool) {
        {
            let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
            if !finished && last.elapsed() < PROGRESS_EVERY {
                return;
            }
            *last = Instant::now();
        }
        let done = self.done.load(Ordering::Relaxed);
        let secs = self.started.elapsed().as_secs_f64();
        let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
        let eta_secs =
            (!finished && rate > 0.0).then(|| self.total.saturating_sub(done) as f64 / rate);
        (self.sink)(&Event::AnalysisProgress(AnalysisProgress {
            total: self.total,
            done,
            rate,
            eta_secs,
            current: current.map(|p| p.to_string_lossy().into_owned()),
            finished,
        }));
    }
}

/// Analyzes every present track whose audio has no analysis of [`ANALYSIS_VERSION`], one track
/// per content identity, and stores the results. Progress goes to `sink` at most ~10 times a
/// second, plus a last event with `finished` set; `cancel` stops the run promptly, keeping what
/// is done.
///
/// # Errors
/// Only when the catalog cannot be read or written; files that cannot be analyzed are counted
/// (and recorded, see the module documentation).
pub fn analyze_library(
    lib: &Library,
    sink: EventSink,
    cancel: &AtomicBool,
) -> Result<AnalyzeReport, PreviewError> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    analyze_library_on(lib, sink, cancel, threads)
}

/// [`analyze_library`] on `threads` threads (the app analyzes on one, in the background, so the
/// window and playback keep the other cores).
///
/// # Errors
/// As [`analyze_library`].
pub fn analyze_library_on(
    lib: &Library,
    sink: EventSink,
    cancel: &AtomicBool,
    threads: usize,
) -> Result<AnalyzeReport, PreviewError> {
    let started = Instant::now();
    let mut conn = lib.writer().map_err(catalog_error)?;
    let jobs = db::analysis::pending(&conn, ANALYSIS_VERSION).map_err(catalog_error)?;
    let progress = Progress {
        sink,
        started,
        last: Mutex::new(started - PROGRESS_EVERY),
        total: jobs.len() as u64,
        done: AtomicU64::new(0),
    };
    progress.emit(None, false);
    let mut report = AnalyzeReport::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|i| format!("cuebook-analyze-{i}"))
        .build()
        .map_err(|e| PreviewError::Catalog(format!("cannot start analysis threads: {e}")))?;
    let (tx_out, rx_out) = bounded::<Outcome>(BATCH);
    let written = std::thread::scope(|scope| {
        let progress = &progress;
        scope.spawn(move || {
            pool.install(|| {
                jobs.into_par_iter().with_max_len(1).for_each_with(
                    tx_out,
                    |out, job: PendingTrack| {
                        if cancel.load(Ordering::Relaxed) {
                            return;
                        }
                        let path = path_from_bytes(&job.path);
                        progress.emit(Some(&path), false);
                        let outcome = analyze_file(&path, &job.format, &job.content_id, cancel);
                        if !matches!(outcome, Outcome::Cancelled) {
                            progress.done.fetch_add(1, Ordering::Relaxed);
                        }
                        // The writer only hangs up after an error, which it returns itself.
                        let _ = out.send(outcome);
                    },
                );
            });
        });
        write_outcomes(&mut conn, &rx_out, &mut report)
    });
    written.map_err(catalog_error)?;
    report.cancelled = cancel.load(Ordering::Relaxed);
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    progress.emit(None, true);
    Ok(report)
}

/// The single writer: commits outcomes in batches as they arrive.
fn write_outcomes(
    conn: &mut Connection,
    rx: &Receiver<Outcome>,
    report: &mut AnalyzeReport,
) -> rusqlite::Result<()> {
    let mut batch: Vec<Outcome> = Vec::with_capacity(BATCH);
    while let Some(closed) = gather(rx, &mut batch, BATCH, BATCH_WAIT) {
        let now = db::now_secs();
        let tx = conn.transaction()?;
        for outcome in batch.drain(..) {
            match outcome {
                Outcome::Analyzed(a) => {
                    db::analysis::store(&tx, &a, ANALYSIS_VERSION, now)?;
                    report.analyzed += 1;
                    report.audio_seconds += a.duration_ms as f64 / 1000.0;
                }
                Outcome::Recorded { content_id, error } => {
                    db::analysis::store_unavailable(
                        &tx,
                        &content_id,
                        &recorded_reason(&error),
                        ANALYSIS_VERSION,
                        now,
                    )?;
                    match error {
                        PreviewError::Unavailable(_) => report.unavailable += 1,
                        _ => report.failed += 1,
                    }
                }
                Outcome::Failed(_) => report.failed += 1,
                Outcome::Cancelled => {}
            }
        }
        tx.commit()?;
        if closed {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Short-term values for a track of `secs` seconds at `base` LUFS, with `(from, to, level)`
    /// sections, taking the 3 s window into account roughly (values by window centre).
    fn series(secs: u64, base: f64, sections: &[(f64, f64, f64)]) -> Vec<f64> {
        (0..secs * 2)
            .map(|k| {
                let centre = (k + 1) as f64 * 0.5 - 1.5;
                sections
                    .iter()
                    .find(|(from, to, _)| centre >= *from && centre < *to)
                    .map_or(base, |s| s.2)
            })
            .collect()
    }

    fn envelope(secs: u64, base: f32, sections: &[(f64, f64, f32)]) -> Vec<f32> {
        (0..secs * 10)
            .map(|i| {
                let t = i as f64 / 10.0;
                sections
                    .iter()
                    .find(|(from, to, _)| t >= *from && t < *to)
                    .map_or(base, |s| s.2)
            })
            .collect()
    }

    #[test]
    fn short_tracks_start_at_zero() {
        let st = series(40, -30.0, &[(20.0, 35.0, -10.0)]);
        assert_eq!(smart_start_ms(&st, &[], 40_000), 0);
        assert_eq!(fallback_start_ms(Some(40_000)), 0);
        assert_eq!(fallback_start_ms(None), 0);
        assert_eq!(fallback_start_ms(Some(90_000)), 30_000);
    }

    #[test]
    fn a_flat_track_starts_a_third_in() {
        let st = series(180, -16.0, &[]);
        assert_eq!(smart_start_ms(&st, &[], 180_000), 60_000);
        let silence = vec![f64::NEG_INFINITY; 360];
        assert_eq!(smart_start_ms(&silence, &[], 180_000), 60_000);
    }

    #[test]
    fn the_start_is_the_onset_of_the_loud_sustained_section() {
        let st = series(150, -35.0, &[(70.0, 100.0, -14.0)]);
        let env = envelope(150, 1e-4, &[(70.0, 100.0, 1e-1)]);
        let start = smart_start_ms(&st, &env, 150_000);
        assert_eq!(
            start, 70_000,
            "the preview starts on the attack of the loud section"
        );
    }

    #[test]
    fn a_single_spike_loses_to_a_sustained_section() {
        // A 2 s burst at -5 LUFS early on, and a sustained -18 LUFS section later.
        let st = series(200, -32.0, &[(30.0, 33.0, -5.0), (120.0, 150.0, -18.0)]);
        let start = smart_start_ms(&st, &[], 200_000);
        assert!(
            (118_000..=122_000).contains(&start),
            "the sustained section wins over the spike, got {start} ms"
        );
    }

    #[test]
    fn without_an_onset_nearby_the_section_start_stays() {
        assert_eq!(onset_near(&vec![0.5; 1000], 50_000), None);
    }

    /// A synthetic stream: `blocks` blocks of 4410 stereo frames of a constant level, of unknown
    /// length; sets `cancel_at` after that many blocks.
    struct Constant {
        blocks: usize,
        level: f32,
        buf: Vec<f32>,
        cancel_at: Option<(usize, std::sync::Arc<AtomicBool>)>,
    }

    impl Frames for Constant {
        fn channels(&self) -> u16 {
            2
        }
        fn sample_rate(&self) -> u32 {
            44_100
        }
        fn duration(&self) -> Option<Duration> {
            None
        }
        fn next_block(&mut self) -> Result<Option<&[f32]>, PreviewError> {
            if let Some((at, flag)) = &self.cancel_at {
                if *at == 0 {
                    flag.store(true, Ordering::Relaxed);
                } else {
                    self.cancel_at = Some((at - 1, flag.clone()));
                }
            }
            if self.blocks == 0 {
                return Ok(None);
            }
            self.blocks -= 1;
            self.buf = vec![self.level; 4410 * 2];
            Ok(Some(&self.buf))
        }
        fn seek(&mut self, _: Duration) -> Result<Duration, PreviewError> {
            unreachable!("analysis reads from the start")
        }
    }

    #[test]
    fn a_stream_of_unknown_length_is_measured_to_its_end() {
        let mut frames = Constant {
            blocks: 600,
            level: 0.25,
            buf: Vec::new(),
            cancel_at: None,
        };
        let a = analyze(&mut frames, "c").unwrap();
        assert_eq!(a.duration_ms, 60_000);
        assert_eq!(a.waveform, vec![(0.25, 0.25); WAVEFORM_BUCKETS]);
        assert_eq!(a.smart_start_ms, 20_000, "a flat track starts a third in");
        // The step from silence rings in the true-peak oversampler: a little above the samples.
        let peak = 20.0 * 0.25f64.log10();
        assert!(
            (peak - 0.01..peak + 1.5).contains(&a.true_peak_dbtp),
            "true peak {} near the sample peak {peak}",
            a.true_peak_dbtp
        );
    }

    #[test]
    fn cancelling_stops_a_measurement_between_blocks() {
        let cancel = std::sync::Arc::new(AtomicBool::new(false));
        let mut frames = Constant {
            blocks: 600,
            level: 0.25,
            buf: Vec::new(),
            cancel_at: Some((10, cancel.clone())),
        };
        assert_eq!(measure(&mut frames, "c", &cancel).unwrap(), None);
        assert!(
            frames.blocks > 500,
            "the stream was left early ({} blocks left)",
            frames.blocks
        );
    }

    #[test]
    fn the_waveform_has_its_bucket_count_whatever_the_length() {
        for (frames, known) in [
            (10usize, true),
            (999, false),
            (123_457, true),
            (123_457, false),
        ] {
            let mut w = PeakCollector::new(known.then_some(frames as u64));
            for i in 0..frames {
                let x = if i < frames / 2 { 0.25 } else { 0.75 };
                w.add(-x, x);
            }
            let buckets = w.finish();
            assert_eq!(buckets.len(), WAVEFORM_BUCKETS);
            assert_eq!(buckets[0], (-0.25, 0.25), "{frames} frames, known {known}");
            assert_eq!(buckets[WAVEFORM_BUCKETS - 1], (-0.75, 0.75));
        }
        assert_eq!(
            PeakCollector::new(None).finish(),
            vec![(0.0, 0.0); WAVEFORM_BUCKETS]
        );
    }
}
