//! `cuebook-bench --preview`: preview start and seek latency, analysis speed and memory, on the
//! corpus cataloged into a fresh library.
//!
//! The output is rodio's device-less mixer, pulled as fast as it gives samples by a thread that
//! stands in for the sound card, so a latency is the engine's own: command to the first sample of
//! the track handed to the output. A real device adds its buffer (typically 10–20 ms), and a
//! seek deliberately spends 10 ms ramping down before it moves.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde::Serialize;

use cuebook::events::no_events;
use cuebook::preview::analysis;
use cuebook::preview::engine::{Engine, PreviewPolicy};
use cuebook::{catalog, Library};

#[derive(Serialize, Default)]
pub struct PreviewReport {
    tracks: usize,
    unavailable: usize,
    cold_start_p50_ms: f64,
    cold_start_p95_ms: f64,
    warm_start_p50_ms: f64,
    warm_start_p95_ms: f64,
    seek_p50_ms: f64,
    seek_p95_ms: f64,
    seeks: usize,
    analysis_tracks: usize,
    analysis_audio_secs: f64,
    analysis_secs: f64,
    analysis_times_real_time: f64,
    peak_rss_mb: f64,
}

/// Stands in for the sound card: pulls samples and notes when sound first comes.
struct Puller {
    armed: Arc<AtomicBool>,
    heard: Arc<Mutex<Option<Instant>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Puller {
    fn start(mut output: rodio::mixer::MixerSource) -> Self {
        let armed = Arc::new(AtomicBool::new(false));
        let heard = Arc::new(Mutex::new(None));
        let stop = Arc::new(AtomicBool::new(false));
        let (a, h, s) = (armed.clone(), heard.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                for _ in 0..64 {
                    let sample = output.next().unwrap_or(0.0);
                    if sample != 0.0 && a.swap(false, Ordering::AcqRel) {
                        *h.lock().unwrap() = Some(Instant::now());
                    }
                }
            }
        });
        Self {
            armed,
            heard,
            stop,
            thread: Some(thread),
        }
    }

    fn arm(&self) {
        *self.heard.lock().unwrap() = None;
        self.armed.store(true, Ordering::Release);
    }

    /// When sound came after `arm`, waiting up to two seconds.
    fn heard(&self) -> Option<Instant> {
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Some(t) = *self.heard.lock().unwrap() {
                return Some(t);
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        None
    }
}

impl Drop for Puller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 * p) as usize).min(v.len() - 1)]
}

/// Starts a preview of each track and returns the latencies (ms) of those that sounded.
fn start_latencies(
    engine: &Engine,
    puller: &Puller,
    lib: &Library,
    ids: &[i64],
    cold: bool,
) -> Vec<f64> {
    let mut out = Vec::new();
    for &id in ids {
        engine.stop();
        engine.sync();
        std::thread::sleep(Duration::from_millis(20)); // let the stop ramp finish
        puller.arm();
        let sent = Instant::now();
        engine.preview(id, Some(PreviewPolicy::default()));
        if let Some(t) = puller.heard() {
            out.push((t - sent).as_secs_f64() * 1000.0);
        }
        engine.sync();
        if cold {
            // A cold preview starts the track's analysis; let it finish before the next one.
            wait_for_analysis(lib, id);
        }
    }
    engine.stop();
    engine.sync();
    out
}

fn wait_for_analysis(lib: &Library, id: i64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let done = lib.reader().ok().and_then(|c| {
            c.query_row(
                "SELECT 1 FROM track_analysis a JOIN tracks t ON t.content_id = a.content_id WHERE t.id = ?1",
                [id],
                |_| Ok(()),
            )
            .ok()
        });
        if done.is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub fn run(corpus: &Path, out: &Path) -> Result<PreviewReport> {
    let dir = out.join("preview");
    let _ = std::fs::remove_dir_all(&dir); // absent is fine
    std::fs::create_dir_all(&dir)?;
    let lib = Library::open(dir.join("library.sqlite"))?;
    catalog::add_root(&lib, corpus).context("the corpus as a library folder")?;
    eprintln!("cataloging the corpus …");
    catalog::scan(&lib, no_events(), &AtomicBool::new(false))?;

    // The tracks a preview can play, found by analyzing them once (then forgotten for the cold run).
    eprintln!("analysis speed …");
    let started = Instant::now();
    let report = analysis::analyze_library(&lib, no_events(), &AtomicBool::new(false))?;
    let analysis_secs = started.elapsed().as_secs_f64();
    let conn = lib.reader()?;
    let ids: Vec<i64> = conn
        .prepare(
            "SELECT t.id FROM tracks t JOIN track_analysis a ON a.content_id = t.content_id
             WHERE a.unavailable IS NULL AND t.missing_since IS NULL ORDER BY t.id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let unavailable: usize = conn.query_row(
        "SELECT count(*) FROM track_analysis WHERE unavailable IS NOT NULL",
        [],
        |r| r.get(0),
    )?;
    let long: Vec<i64> = conn
        .prepare(
            "SELECT t.id FROM tracks t JOIN track_analysis a ON a.content_id = t.content_id
             WHERE a.unavailable IS NULL AND a.duration_ms >= 20000 ORDER BY t.id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    drop(conn);
    if ids.is_empty() {
        bail!("no playable track in the corpus");
    }

    let (engine, output) = Engine::start_pull(lib.clone(), no_events(), 2, 44_100)?;
    let puller = Puller::start(output);

    eprintln!("warm previews ({} tracks) …", ids.len());
    let mut warm = start_latencies(&engine, &puller, &lib, &ids, false);

    eprintln!("seeks ({} long tracks) …", long.len());
    let mut seeks = Vec::new();
    for &id in &long {
        engine.play(id, Duration::ZERO);
        engine.sync();
        for target in [5.0, 15.0, 9.0] {
            let target = Duration::from_secs_f64(target);
            let sent = Instant::now();
            engine.seek(target);
            let deadline = sent + Duration::from_secs(2);
            while Instant::now() < deadline {
                match engine.position() {
                    Some((_, at)) if at >= target && at < target + Duration::from_millis(500) => {
                        seeks.push(sent.elapsed().as_secs_f64() * 1000.0);
                        break;
                    }
                    _ => std::thread::yield_now(),
                }
            }
        }
        engine.stop();
        engine.sync();
    }

    eprintln!("cold previews …");
    lib.writer()?.execute("DELETE FROM track_analysis", [])?;
    let mut cold = start_latencies(&engine, &puller, &lib, &ids, true);
    drop(puller);
    drop(engine);

    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    Ok(PreviewReport {
        tracks: ids.len(),
        unavailable,
        cold_start_p50_ms: percentile(&mut cold, 0.50),
        cold_start_p95_ms: percentile(&mut cold, 0.95),
        warm_start_p50_ms: percentile(&mut warm, 0.50),
        warm_start_p95_ms: percentile(&mut warm, 0.95),
        seeks: seeks.len(),
        seek_p50_ms: percentile(&mut seeks, 0.50),
        seek_p95_ms: percentile(&mut seeks, 0.95),
        analysis_tracks: report.analyzed as usize,
        analysis_audio_secs: report.audio_seconds,
        analysis_secs,
        analysis_times_real_time: report.audio_seconds / analysis_secs,
        peak_rss_mb: usage.ru_maxrss as f64 / 1024.0,
    })
}

pub fn print(r: &PreviewReport) {
    println!("Cuebook preview benchmark (device-less output pulled as fast as it goes)");
    println!(
        "  tracks                 {} playable, {} unavailable for preview",
        r.tracks, r.unavailable
    );
    println!(
        "  preview start, cold    p50 {:.1} ms, p95 {:.1} ms (no analysis yet)",
        r.cold_start_p50_ms, r.cold_start_p95_ms
    );
    println!(
        "  preview start, warm    p50 {:.1} ms, p95 {:.1} ms",
        r.warm_start_p50_ms, r.warm_start_p95_ms
    );
    println!(
        "  seek                   p50 {:.1} ms, p95 {:.1} ms over {} seeks (engine only; a device adds its buffer and the 10 ms ramp plays out in real time)",
        r.seek_p50_ms, r.seek_p95_ms, r.seeks
    );
    println!(
        "  analysis               {} tracks, {:.0} s of audio in {:.1} s: {:.0}x real time",
        r.analysis_tracks, r.analysis_audio_secs, r.analysis_secs, r.analysis_times_real_time
    );
    println!("  peak memory            {:.0} MB", r.peak_rss_mb);
}
