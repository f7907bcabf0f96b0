//! The playback engine end to end on rodio's device-less mixer: cataloged WAV files with known
//! signals go through the decoder, the loudness matching, fades and ramps, and the samples the
//! "sound card" pulls are checked.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{unbounded, Receiver};
use rodio::mixer::MixerSource;

use cuebook::events::{Event, EventSink, PlayMode, PlayerState};
use cuebook::preview::engine::{Engine, PreviewPolicy, StartPoint};
use cuebook::Library;

const RATE: u32 = 22_050;

/// Left: a 440 Hz sine at 0.25. Right: a saw rising from 0 to 0.5 every 10 s, which tells the
/// time of any sample to well under a millisecond.
fn timecode(secs: f64) -> Vec<f32> {
    let n = (secs * f64::from(RATE)) as usize;
    let mut v = Vec::with_capacity(2 * n);
    for i in 0..n {
        let t = i as f64 / f64::from(RATE);
        v.push((0.25 * (2.0 * std::f64::consts::PI * 440.0 * t).sin()) as f32);
        v.push((0.5 * (t % 10.0) / 10.0) as f32);
    }
    v
}

fn library(dir: &Path, files: &[(&str, Vec<f32>)]) -> (Library, Vec<i64>) {
    let root = dir.join("music");
    std::fs::create_dir_all(&root).unwrap();
    for (name, samples) in files {
        common::write_wav(&root.join(name), RATE, 2, samples);
    }
    let lib = common::library(dir, &[&root]);
    common::scan(&lib);
    let conn = lib.reader().unwrap();
    let ids = files
        .iter()
        .map(|(name, _)| {
            conn.query_row(
                "SELECT id FROM tracks WHERE CAST(path AS TEXT) LIKE '%' || ?1",
                [name],
                |r| r.get(0),
            )
            .unwrap()
        })
        .collect();
    (lib, ids)
}

fn engine(lib: &Library) -> (Engine, MixerSource, Receiver<Event>) {
    let (tx, rx) = unbounded();
    let sink: EventSink = Arc::new(move |e: &Event| {
        let _ = tx.send(e.clone());
    });
    let (engine, output) = Engine::start_pull(lib.clone(), sink, 2, RATE).unwrap();
    (engine, output, rx)
}

fn pull(output: &mut MixerSource, secs: f64) -> Vec<f32> {
    output
        .by_ref()
        .take((secs * f64::from(RATE)) as usize * 2)
        .collect()
}

fn left(s: &[f32]) -> Vec<f32> {
    s.iter().step_by(2).copied().collect()
}

fn right(s: &[f32]) -> Vec<f32> {
    s.iter().skip(1).step_by(2).copied().collect()
}

fn peak(s: &[f32]) -> f32 {
    s.iter().fold(0.0f32, |m, v| m.max(v.abs()))
}

fn loudness(stereo: &[f32]) -> f64 {
    let mut m = ebur128::EbuR128::new(2, RATE, ebur128::Mode::I).unwrap();
    m.add_frames_f32(stereo).unwrap();
    m.loudness_global().unwrap()
}

/// Waits for an event matching `want`, failing after a few seconds.
fn wait_for(rx: &Receiver<Event>, what: &str, want: impl Fn(&Event) -> bool) -> Event {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(e) if want(&e) => return e,
            Ok(_) => {}
            Err(_) => panic!("no {what} event"),
        }
    }
}

#[test]
fn a_preview_is_loudness_matched_faded_and_ends_on_time() {
    let dir = tempfile::tempdir().unwrap();
    let (lib, ids) = library(dir.path(), &[("quiet.wav", timecode(60.0))]);
    let (engine, mut output, rx) = engine(&lib);
    let policy = PreviewPolicy {
        length: Duration::from_secs(8),
        start: StartPoint::At(Duration::from_secs(20)),
        ..PreviewPolicy::default()
    };
    engine.preview(ids[0], Some(policy));
    let status = engine.sync();
    assert_eq!(status.state, PlayerState::Playing, "{status:?}");
    assert_eq!(status.mode, Some(PlayMode::Preview));
    let heard = pull(&mut output, 9.0);
    let l = left(&heard);
    let sounding = l.iter().rposition(|v| v.abs() > 1e-4).unwrap() + 1;
    let expected = 8 * RATE as usize;
    assert!(
        sounding.abs_diff(expected) < RATE as usize / 20,
        "the preview lasts 8 s: {sounding} frames"
    );
    assert!(
        l[8 * RATE as usize + 100..].iter().all(|v| *v == 0.0),
        "silence after the end"
    );
    // Fade-in: quiet at first, full after 0.8 s; fade-out over the last 1.5 s.
    let window = |from: f64, to: f64| {
        peak(&l[(from * f64::from(RATE)) as usize..(to * f64::from(RATE)) as usize])
    };
    let full = window(2.0, 6.0);
    assert!(window(0.0, 0.05) < 0.05 * full, "starts from silence");
    assert!(
        window(0.35, 0.45) > 0.3 * full && window(0.35, 0.45) < 0.7 * full,
        "half way in"
    );
    assert!(window(0.85, 1.5) > 0.98 * full, "full after the fade-in");
    assert!(window(7.93, 8.0) < 0.05 * full, "faded out at the end");
    // The start point: 2 s into the preview, the saw says 22 s into the track.
    let r = right(&heard);
    let gain = f64::from(full) / 0.25;
    let at = 2 * RATE as usize;
    let t = f64::from(r[at]) / gain / 0.5 * 10.0 + 20.0;
    assert!(
        (t - 22.0).abs() < 0.01,
        "2 s into the preview is 22 s into the track: {t}"
    );
    // Loudness: the sounding part, fades aside, within 1 LU of the -18 LUFS target.
    let steady = &heard[2 * RATE as usize..2 * 6 * RATE as usize];
    let lufs = loudness(steady);
    assert!((lufs + 18.0).abs() < 1.0, "matched to -18 LUFS: {lufs}");
    wait_for(
        &rx,
        "ended",
        |e| matches!(e, Event::Ended { track_id, mode: PlayMode::Preview } if *track_id == ids[0]),
    );
    wait_for(
        &rx,
        "stopped",
        |e| matches!(e, Event::Player(s) if s.state == PlayerState::Stopped),
    );
    let conn = lib.reader().unwrap();
    assert_eq!(
        cuebook::db::tracks::play_count(&conn, ids[0]).unwrap(),
        0,
        "a preview is not a play"
    );
}

#[test]
fn full_play_seeks_to_the_millisecond_pauses_silently_and_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    let (lib, ids) = library(dir.path(), &[("cue.wav", timecode(12.0))]);
    let (engine, mut output, rx) = engine(&lib);
    engine.play(ids[0], Duration::ZERO);
    engine.sync();
    let first = pull(&mut output, 1.0);
    let gain = f64::from(peak(&left(&first[RATE as usize..]))) / 0.25;
    assert!(gain > 0.1, "it plays");
    // Reported at most ten times a second; the first may predate the pull.
    let position = wait_for(
        &rx,
        "position",
        |e| matches!(e, Event::Position(p) if p.position_ms > 0),
    );
    let Event::Position(p) = position else {
        unreachable!()
    };
    assert_eq!(p.track_id, ids[0]);
    assert_eq!(
        p.position_ms, 999,
        "the position is the last sample the output took"
    );
    assert_eq!(p.duration_ms, Some(12_000));
    engine.set_volume(0.5);
    engine.sync();
    let softer = pull(&mut output, 0.3);
    let level = f64::from(peak(&left(&softer[RATE as usize / 5..]))) / 0.25 / gain;
    assert!((level - 0.5).abs() < 0.01, "half volume: {level}");
    engine.set_volume(1.0);
    engine.sync();
    let _ = pull(&mut output, 0.2);
    engine.seek(Duration::from_millis(7_345));
    engine.sync();
    let after = pull(&mut output, 0.5);
    // After the 10 ms ramps, the saw gives the time of the sample.
    let r = right(&after);
    let k = RATE as usize / 10;
    let t = f64::from(r[k]) / gain / 0.5 * 10.0;
    let want = 7.345 + 0.1 - 0.010; // a tenth of a second in, less the 10 ms ramp down
    assert!(
        (t - want).abs() < 0.010,
        "seek lands within 10 ms: {t} vs {want}"
    );
    engine.pause();
    engine.sync();
    let paused = pull(&mut output, 1.0);
    assert!(
        paused[2 * RATE as usize / 50..].iter().all(|v| *v == 0.0),
        "silent while paused, after a 10 ms ramp"
    );
    engine.resume();
    engine.sync();
    let rest = pull(&mut output, 6.0);
    assert!(
        f64::from(peak(&left(&rest))) > 0.99 * 0.25 * gain,
        "resumes at full level"
    );
    wait_for(&rx, "ended", |e| {
        matches!(
            e,
            Event::Ended {
                mode: PlayMode::Full,
                ..
            }
        )
    });
    std::thread::sleep(Duration::from_millis(200));
    let conn = lib.reader().unwrap();
    assert_eq!(cuebook::db::tracks::play_count(&conn, ids[0]).unwrap(), 1);
}

#[test]
fn skim_previews_each_track_in_turn() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(&str, Vec<f32>)> = vec![
        ("a.wav", timecode(20.0)),
        ("b.wav", timecode(20.0)),
        ("c.wav", timecode(20.0)),
    ];
    let (lib, ids) = library(dir.path(), &files);
    let (engine, mut output, rx) = engine(&lib);
    engine.set_policy(PreviewPolicy {
        start: StartPoint::FromStart,
        ..PreviewPolicy::default()
    });
    engine.skim(ids.clone(), Duration::from_secs(2));
    engine.sync();
    let mut order = Vec::new();
    for _ in 0..ids.len() {
        let chunk = pull(&mut output, 2.2);
        let l = left(&chunk);
        let first = l.iter().position(|v| *v != 0.0).unwrap_or(0);
        let last = l.iter().rposition(|v| *v != 0.0).unwrap_or(0);
        let secs = (last - first + 1) as f64 / f64::from(RATE);
        assert!(
            (secs - 2.0).abs() < 0.05,
            "each preview sounds for 2 s: {secs}"
        );
        if let Event::Ended { track_id, .. } =
            wait_for(&rx, "ended", |e| matches!(e, Event::Ended { .. }))
        {
            order.push(track_id);
        }
        // The engine starts the next track right after reporting the end; let it.
        engine.sync();
    }
    assert_eq!(order, ids, "in the order given");

    // Next and previous move through the skim.
    engine.skim(ids.clone(), Duration::from_secs(2));
    assert_eq!(engine.sync().track_id, Some(ids[0]));
    engine.next();
    assert_eq!(engine.sync().track_id, Some(ids[1]));
    engine.next();
    engine.next();
    assert_eq!(
        engine.sync().track_id,
        Some(ids[2]),
        "next stops at the last"
    );
    engine.previous();
    assert_eq!(engine.sync().track_id, Some(ids[1]));
    let _ = pull(&mut output, 0.5);
    assert_eq!(
        engine.position().map(|(id, _)| id),
        Some(ids[1]),
        "the position follows the track playing"
    );
}

#[test]
fn a_format_without_a_correct_decoder_is_unavailable_not_noise() {
    let Some(corpus) = common::corpus("preview of an undecodable format") else {
        return;
    };
    let Some(wv) = std::fs::read_dir(corpus.join("teeworlds"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "wv"))
    else {
        panic!("the corpus has WavPack files in teeworlds/");
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("music");
    std::fs::create_dir(&root).unwrap();
    std::fs::copy(&wv, root.join("x.wv")).unwrap();
    let lib = common::library(dir.path(), &[&root]);
    common::scan(&lib);
    let id: i64 = lib
        .reader()
        .unwrap()
        .query_row("SELECT id FROM tracks", [], |r| r.get(0))
        .expect("the WavPack file is cataloged");
    let (engine, mut output, rx) = engine(&lib);
    engine.preview(id, None);
    let status = engine.sync();
    assert_eq!(status.state, PlayerState::Stopped);
    let e = wait_for(&rx, "error", |e| matches!(e, Event::PlaybackError { .. }));
    let Event::PlaybackError { message, .. } = e else {
        unreachable!()
    };
    assert!(message.contains("preview unavailable"), "{message}");
    assert_eq!(
        peak(&pull(&mut output, 0.5)),
        0.0,
        "nothing reaches the speakers"
    );
}
