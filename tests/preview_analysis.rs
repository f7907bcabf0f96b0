//! Analysis for previews, on WAV files with known signals written here and on real corpus files:
//! loudness and true peak to the EBU reference, silence, the smart start, the waveform, and the
//! library run (stored rows, nothing redone, cancel, progress, unavailable files recorded).

mod common;

use std::f64::consts::PI;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use cuebook::events::{no_events, Event};
use cuebook::preview::analysis::{self, Analysis, WAVEFORM_BUCKETS};
use cuebook::preview::{decode, PreviewError};

fn db_to_amplitude(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

/// Deterministic white noise in -1..=1.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 40) as f64 / (1u64 << 24) as f64 * 2.0 - 1.0) as f32
    }
}

/// Mono noise whose amplitude is `level(t)` at `t` seconds.
fn noise_track(rate: u32, secs: f64, level: impl Fn(f64) -> f32) -> Vec<f32> {
    let mut noise = Noise(7);
    (0..(secs * f64::from(rate)) as usize)
        .map(|i| noise.next() * level(i as f64 / f64::from(rate)))
        .collect()
}

fn analyze_wav(path: &Path) -> Analysis {
    let mut frames = decode::open(path, "wav").expect("a PCM WAV file decodes");
    analysis::analyze(&mut frames, "test").expect("a PCM WAV file is analyzed")
}

#[test]
fn a_stereo_sine_at_minus_23_dbfs_measures_minus_23_lufs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sine.wav");
    let rate = 48_000;
    let amplitude = db_to_amplitude(-23.0);
    let samples: Vec<f32> = (0..rate * 20)
        .flat_map(|i| {
            let s = (amplitude * (2.0 * PI * 1000.0 * f64::from(i) / f64::from(rate)).sin()) as f32;
            [s, s]
        })
        .collect();
    common::write_wav(&path, rate, 2, &samples);
    let a = analyze_wav(&path);
    let lufs = a.integrated_lufs.expect("a sine is not silence");
    assert!(
        (lufs + 23.0).abs() <= 0.3,
        "EBU R128: a 1 kHz stereo sine at -23 dBFS is -23 LUFS, measured {lufs:.2}"
    );
    assert!(
        (a.true_peak_dbtp + 23.0).abs() <= 0.5,
        "its true peak is its amplitude, -23 dBTP, measured {:.2}",
        a.true_peak_dbtp
    );
    assert_eq!(a.duration_ms, 20_000);
    assert_eq!(a.smart_start_ms, 0, "a 20 s track starts at 0");
}

#[test]
fn digital_silence_has_no_integrated_loudness() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("silence.wav");
    common::write_wav(&path, 44_100, 2, &vec![0.0; 44_100 * 2 * 10]);
    let a = analyze_wav(&path);
    assert_eq!(a.integrated_lufs, None, "silence is gated out entirely");
    assert!(
        a.true_peak_dbtp <= -100.0,
        "silence has no peak: {}",
        a.true_peak_dbtp
    );
    assert_eq!(a.waveform, vec![(0.0, 0.0); WAVEFORM_BUCKETS]);
}

#[test]
fn the_smart_start_is_the_loud_section_and_the_waveform_follows_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sections.wav");
    let rate = 22_050;
    // 60 s quiet, 25 s loud, 40 s quiet.
    let level = |t: f64| if (60.0..85.0).contains(&t) { 0.5 } else { 0.02 };
    common::write_wav(&path, rate, 1, &noise_track(rate, 125.0, level));
    let a = analyze_wav(&path);
    assert_eq!(a.duration_ms, 125_000);
    assert!(
        a.smart_start_ms.abs_diff(60_000) <= 2_000,
        "the preview starts where the loud section starts (60 s), got {} ms",
        a.smart_start_ms
    );

    assert_eq!(a.waveform.len(), WAVEFORM_BUCKETS);
    let bucket_secs = 125.0 / WAVEFORM_BUCKETS as f64;
    for (i, (lo, hi)) in a.waveform.iter().enumerate() {
        let (from, to) = (i as f64 * bucket_secs, (i + 1) as f64 * bucket_secs);
        if from >= 60.0 && to <= 85.0 {
            assert!(
                *hi > 0.4 && *lo < -0.4,
                "bucket {i} ({from:.1} s) is loud: {lo}..{hi}"
            );
        } else if to <= 60.0 || from >= 85.0 {
            assert!(
                *hi <= 0.021 && *lo >= -0.021,
                "bucket {i} ({from:.1} s) is quiet: {lo}..{hi}"
            );
        }
    }
}

#[test]
fn a_short_track_starts_at_zero_and_a_flat_one_a_third_in() {
    let dir = tempfile::tempdir().unwrap();
    let rate = 22_050;
    let short = dir.path().join("short.wav");
    let level = |t: f64| if (12.0..20.0).contains(&t) { 0.5 } else { 0.02 };
    common::write_wav(&short, rate, 1, &noise_track(rate, 30.0, level));
    assert_eq!(
        analyze_wav(&short).smart_start_ms,
        0,
        "a 30 s track starts at 0"
    );

    let flat = dir.path().join("flat.wav");
    common::write_wav(&flat, rate, 1, &noise_track(rate, 90.0, |_| 0.3));
    assert_eq!(
        analyze_wav(&flat).smart_start_ms,
        30_000,
        "when nothing stands out, a third in"
    );
}

/// A scanned library of a few corpus files (one duplicated), or `None` without the corpus.
fn small_library(dir: &Path) -> Option<cuebook::Library> {
    let corpus = common::corpus("analyze library")?;
    let music = dir.join("music");
    std::fs::create_dir_all(music.join("copy")).unwrap();
    for rel in [
        "hyperrogue-music/sounds/splash2.ogg",
        "hyperrogue-music/sounds/apple.ogg",
        "rrootage/bomb.wav",
        "rrootage/laser.wav",
        "beets/whitenoise.flac",
        "triplea/ww2/battle_air/battle_air_01_air_flyby.mp3",
        "pytaglib/issue46.m4a",
        "teeworlds/sfx_pickup_gun.wv",
        "mutagen/52-overwritten-metadata.flac",
    ] {
        let from = corpus.join(rel);
        std::fs::copy(&from, music.join(from.file_name().unwrap())).unwrap();
    }
    // The same audio twice: analyzed once.
    std::fs::copy(
        corpus.join("rrootage/bomb.wav"),
        music.join("copy/bomb.wav"),
    )
    .unwrap();
    let lib = common::library(dir, &[&music]);
    let report = common::scan(&lib);
    assert_eq!(report.added, 10, "every copied file is cataloged");
    Some(lib)
}

fn collecting_sink() -> (cuebook::events::EventSink, Arc<Mutex<Vec<Event>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink_events = events.clone();
    let sink: cuebook::events::EventSink =
        Arc::new(move |e: &Event| sink_events.lock().unwrap().push(e.clone()));
    (sink, events)
}

#[test]
fn analyzing_a_library_stores_every_audio_once_and_records_what_cannot_be_analyzed() {
    let dir = tempfile::tempdir().unwrap();
    let Some(lib) = small_library(dir.path()) else {
        return;
    };
    let (sink, events) = collecting_sink();
    let report = analysis::analyze_library(&lib, sink, &AtomicBool::new(false)).unwrap();
    assert!(!report.cancelled);
    assert_eq!(
        report.analyzed, 7,
        "seven distinct decodable payloads: {report:?}"
    );
    assert_eq!(report.unavailable, 1, "the WavPack file: {report:?}");
    assert_eq!(
        report.failed, 1,
        "the file without decodable audio: {report:?}"
    );
    assert!(
        report.audio_seconds > 15.0,
        "the audio length is reported: {report:?}"
    );
    eprintln!(
        "analysis speed: {:.0}x real time ({:.1} s of audio in {} ms)",
        report.audio_seconds * 1000.0 / report.elapsed_ms.max(1) as f64,
        report.audio_seconds,
        report.elapsed_ms
    );
    assert_eq!(
        common::query_i64(&lib, "SELECT count(*) FROM track_analysis"),
        9,
        "one row per distinct audio, failures included"
    );

    let reason: String = lib
        .reader()
        .unwrap()
        .query_row(
            "SELECT a.unavailable FROM track_analysis a JOIN tracks t USING (content_id)
             WHERE t.format = 'wv'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(reason.contains("WavPack"), "the reason is stored: {reason}");

    let progress: Vec<_> = events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            Event::AnalysisProgress(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    let last = progress.last().expect("progress is reported");
    assert!(last.finished, "the last event says the run is over");
    assert_eq!((last.total, last.done), (9, 9), "every payload is counted");
    assert_eq!(progress.iter().filter(|p| p.finished).count(), 1);
    assert!(progress.iter().all(|p| p.done <= p.total));

    // Nothing left to do: the second run decodes nothing.
    let (sink, events) = collecting_sink();
    let again = analysis::analyze_library(&lib, sink, &AtomicBool::new(false)).unwrap();
    assert_eq!(
        (again.analyzed, again.unavailable, again.failed),
        (0, 0, 0),
        "analyzed and unavailable audio is not redone"
    );
    let events = events.lock().unwrap();
    assert!(matches!(
        events.last(),
        Some(Event::AnalysisProgress(p)) if p.finished && p.total == 0
    ));
}

#[test]
fn a_cancelled_run_keeps_what_it_did_and_the_next_run_does_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let Some(lib) = small_library(dir.path()) else {
        return;
    };
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    // Cancel as soon as the run reports anything.
    let sink: cuebook::events::EventSink =
        Arc::new(move |_: &Event| flag.store(true, Ordering::Relaxed));
    let first = analysis::analyze_library(&lib, sink, &cancel).unwrap();
    assert!(first.cancelled, "the run says it was cancelled");
    let done_first = first.analyzed + first.unavailable + first.failed;
    assert!(done_first < 9, "a cancelled run stops early: {first:?}");
    let stored = common::query_i64(&lib, "SELECT count(*) FROM track_analysis") as u64;
    assert_eq!(
        stored, done_first,
        "everything finished before the cancel is stored"
    );

    let second = analysis::analyze_library(&lib, no_events(), &AtomicBool::new(false)).unwrap();
    assert!(!second.cancelled);
    assert_eq!(
        first.analyzed + second.analyzed,
        7,
        "the next run analyzes the rest"
    );
    assert_eq!(
        common::query_i64(&lib, "SELECT count(*) FROM track_analysis"),
        9
    );
}

#[test]
fn analyzing_a_track_stores_it_and_later_reads_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let Some(lib) = small_library(dir.path()) else {
        return;
    };
    let id_of = |name: &str| {
        common::query_i64(
            &lib,
            &format!("SELECT id FROM tracks WHERE path LIKE '%/{name}'"),
        )
    };
    let flac = id_of("whitenoise.flac");
    let first = analysis::analyze_track(&lib, flac).unwrap();
    assert!(first.duration_ms > 0 && first.integrated_lufs.is_some());
    let conn = lib.reader().unwrap();
    let content_id: String = conn
        .query_row("SELECT content_id FROM tracks WHERE id = ?1", [flac], |r| {
            r.get(0)
        })
        .unwrap();
    let cached = analysis::cached(&conn, &content_id)
        .unwrap()
        .expect("the analysis is stored")
        .expect("as analyzed");
    assert_eq!(cached.integrated_lufs, first.integrated_lufs);
    assert_eq!(cached.smart_start_ms, first.smart_start_ms);
    assert_eq!(cached.waveform.len(), WAVEFORM_BUCKETS);
    let second = analysis::analyze_track(&lib, flac).unwrap();
    assert_eq!(second, cached, "the second call reads the cache");

    let wv = id_of("sfx_pickup_gun.wv");
    for _ in 0..2 {
        match analysis::analyze_track(&lib, wv) {
            Err(PreviewError::Unavailable(reason)) => assert!(reason.contains("WavPack")),
            other => panic!("a WavPack track is unavailable, got {other:?}"),
        }
    }
    assert!(matches!(
        analysis::analyze_track(&lib, 999_999),
        Err(PreviewError::Catalog(_))
    ));
}
