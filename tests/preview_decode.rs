//! Decoding real files for previews: every cataloged corpus file decodes to its length or is
//! "unavailable" with a reason, WavPack is never played as WAV, damage is skipped without noise,
//! and seeking lands on the requested frame.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use cuebook::preview::{decode, Frames, PreviewError};
use cuebook::text::path_from_bytes;

/// Corpus files cut short or damaged on purpose (tag-library test files keep a few KB of a long
/// track, or carry broken headers): they may end early or fail, but never with noise.
const DAMAGED: &[&str] = &[
    "beets/emptylist.mp3",                  // 8 KB of a 3.6 min track
    "mutagen/52-overwritten-metadata.flac", // headers only
    "mutagen/52-too-short-block-size.flac", // 50 KB of a 3.4 min track
    "mutagen/variable-block.flac",          // 10 KB of a 4.4 min track
    "mutagen/flac_application.flac",        // headers only
    "mutagen/bad-POPM-frame.mp3",           // headers only
    "mutagen/bad-xing.mp3",                 // a broken Xing header; 0.1 s of audio
    "mutagen/apev2-lyricsv2.mp3",           // 50 KB of a 3.5 min track
    "mutagen/vbri.mp3",                     // 8 KB of a 3.7 min track, as the next five
    "pytaglib/onlyv1.mp3",
    "pytaglib/r2.mp3",
    "pytaglib/rare_frames.mp3",
    "pytaglib/readönly.mp3",
    "pytaglib/Жбж.mp3",
    "mutagen/truncated-64bit.mp4",   // cut inside its first packets
    "mutagen/nero-chapters.m4b",     // 80 KB of a file whose boxes run past the end
    "pytaglib/lowercase-fields.ogg", // first page fails its checksum
];

/// Frames a lossy codec adds or trims at the ends (encoder delay and padding, ~2 MP3 frames)
/// that another reader may count in the length.
const LOSSY_EDGE_FRAMES: u64 = 2304;

struct Cataloged {
    rel: String,
    path: PathBuf,
    format: String,
    duration_ms: Option<u64>,
}

/// The corpus scanned into a fresh library: every track the catalog accepted.
fn cataloged(corpus: &Path, dir: &Path) -> Vec<Cataloged> {
    let lib = common::library(dir, &[corpus]);
    common::scan(&lib);
    let conn = lib.reader().unwrap();
    let mut stmt = conn
        .prepare("SELECT path, format, duration_ms FROM tracks ORDER BY path")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
            ))
        })
        .unwrap();
    rows.map(|row| {
        let (path, format, duration_ms) = row.unwrap();
        let path = path_from_bytes(&path);
        Cataloged {
            rel: path
                .strip_prefix(corpus)
                .unwrap()
                .to_string_lossy()
                .into_owned(),
            path,
            format,
            duration_ms: duration_ms.map(|d| d as u64),
        }
    })
    .collect()
}

/// What decoding a whole stream gave.
struct Decoded {
    frames: u64,
    peak: f32,
    /// Highest RMS of any block of at least 10 ms.
    loudest_block_rms: f32,
    bad_samples: usize,
    error: Option<PreviewError>,
}

fn decode_all(f: &mut dyn Frames) -> Decoded {
    let channels = usize::from(f.channels());
    let min_block = (f.sample_rate() as usize / 100).max(1) * channels;
    let mut out = Decoded {
        frames: 0,
        peak: 0.0,
        loudest_block_rms: 0.0,
        bad_samples: 0,
        error: None,
    };
    let mut window: Vec<f32> = Vec::new();
    loop {
        match f.next_block() {
            Ok(Some(block)) => {
                assert_eq!(block.len() % channels, 0, "blocks hold whole frames");
                out.frames += (block.len() / channels) as u64;
                for &s in block {
                    if s.is_nan() || !(-1.0..=1.0).contains(&s) {
                        out.bad_samples += 1;
                    }
                    out.peak = out.peak.max(s.abs());
                }
                window.extend_from_slice(block);
                if window.len() >= min_block {
                    out.loudest_block_rms = out.loudest_block_rms.max(rms(&window));
                    window.clear();
                }
            }
            Ok(None) => break,
            Err(e) => {
                out.error = Some(e);
                break;
            }
        }
    }
    out
}

fn rms(samples: &[f32]) -> f32 {
    let sum: f64 = samples.iter().map(|s| f64::from(*s) * f64::from(*s)).sum();
    (sum / samples.len().max(1) as f64).sqrt() as f32
}

fn frames_to_ms(frames: u64, rate: u32) -> u64 {
    frames * 1000 / u64::from(rate)
}

#[test]
fn every_cataloged_corpus_file_decodes_to_its_length_or_is_unavailable_with_a_reason() {
    let Some(corpus) = common::corpus("decode every corpus file") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let tracks = cataloged(&corpus, dir.path());
    assert!(tracks.len() > 250, "the corpus has ~300 cataloged files");
    let (mut decoded, mut unavailable) = (0, 0);
    for t in &tracks {
        let damaged = DAMAGED.contains(&t.rel.as_str());
        let mut frames = match decode::open(&t.path, &t.format) {
            Ok(f) => f,
            Err(PreviewError::Unavailable(reason)) => {
                assert!(
                    reason.starts_with(&format!("{}: ", t.format)) && reason.len() > 12,
                    "{}: an unavailable file says which format and why: {reason}",
                    t.rel
                );
                unavailable += 1;
                continue;
            }
            Err(e) if damaged => {
                assert!(
                    e.to_string().contains(&t.path.display().to_string()),
                    "{}: the error names the file: {e}",
                    t.rel
                );
                continue;
            }
            Err(e) => panic!(
                "{} ({}) must decode or be unavailable: {e}",
                t.rel, t.format
            ),
        };
        let rate = frames.sample_rate();
        assert!(
            rate > 0 && frames.channels() > 0,
            "{}: a stream has a format",
            t.rel
        );
        let d = decode_all(&mut frames);
        assert_eq!(
            d.bad_samples, 0,
            "{}: samples are in -1..=1 and never NaN",
            t.rel
        );
        if damaged {
            assert!(
                d.loudest_block_rms < 0.35,
                "{}: a damaged file never plays loud noise (block RMS {})",
                t.rel,
                d.loudest_block_rms
            );
            continue;
        }
        if let Some(e) = d.error {
            panic!("{}: decodes to the end without an error, got {e}", t.rel);
        }
        decoded += 1;
        let got_ms = frames_to_ms(d.frames, rate);
        let want_ms = t
            .duration_ms
            .unwrap_or_else(|| panic!("{}: the catalog knows its length", t.rel));
        let lossy = matches!(t.format.as_str(), "mp3" | "aac" | "m4a" | "ogg");
        let edge_ms = if lossy {
            frames_to_ms(LOSSY_EDGE_FRAMES, rate)
        } else {
            0
        };
        let tolerance = (want_ms / 50).max(100 + edge_ms);
        assert!(
            got_ms.abs_diff(want_ms) <= tolerance,
            "{}: decodes to {got_ms} ms, the catalog says {want_ms} ms (±{tolerance})",
            t.rel
        );
    }
    assert!(decoded > 200, "most of the corpus decodes, got {decoded}");
    assert!(
        unavailable > 40,
        "WavPack, Monkey's Audio, Musepack, Opus and Speex files are unavailable, got {unavailable}"
    );
}

#[test]
fn wavpack_files_are_unavailable_and_never_decoded_as_wav() {
    let Some(corpus) = common::corpus("wavpack unavailable") else {
        return;
    };
    let wavpack: Vec<PathBuf> = std::fs::read_dir(corpus.join("teeworlds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wv"))
        .chain([
            corpus.join("beets/full.wv"),
            corpus.join("mutagen/silence-44-s.wv"),
        ])
        .collect();
    assert!(wavpack.len() > 30, "the corpus has WavPack files");
    for path in &wavpack {
        // Even a catalog that took the file for WAV (the WavPack block embeds a RIFF header)
        // gets no noise: the demuxer is chosen by the magic bytes it must find.
        for format in ["wv", "wav"] {
            match decode::open(path, format) {
                Err(PreviewError::Unavailable(reason)) => assert!(
                    reason.contains("WavPack"),
                    "{}: the reason names WavPack: {reason}",
                    path.display()
                ),
                Err(e) => panic!(
                    "{} as {format}: expected unavailable, got {e}",
                    path.display()
                ),
                Ok(_) => panic!("{} as {format}: WavPack must never decode", path.display()),
            }
        }
    }
}

/// A corpus file copied into `dir`, or `None` when the corpus is absent.
fn corpus_copy(test: &str, rel: &str, dir: &Path) -> Option<PathBuf> {
    let corpus = common::corpus(test)?;
    let to = dir.join(Path::new(rel).file_name().unwrap());
    std::fs::copy(corpus.join(rel), &to).unwrap();
    Some(to)
}

#[test]
fn a_damaged_page_in_the_middle_is_skipped_without_noise() {
    let dir = tempfile::tempdir().unwrap();
    let Some(path) = corpus_copy(
        "damaged ogg",
        "hyperrogue-music/music/hr3-crossroads.ogg",
        dir.path(),
    ) else {
        return;
    };
    let original = decode_all(&mut decode::open(&path, "ogg").unwrap());
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    // 16 KB of full-scale garbage in the middle of the stream.
    for (i, b) in bytes[middle..middle + 16 * 1024].iter_mut().enumerate() {
        *b = (i as u32).wrapping_mul(2_654_435_761).to_be_bytes()[0];
    }
    std::fs::write(&path, &bytes).unwrap();
    let mut frames = decode::open(&path, "ogg").unwrap();
    let rate = frames.sample_rate();
    let damaged = decode_all(&mut frames);
    assert!(
        damaged.error.is_none(),
        "damage is skipped: {:?}",
        damaged.error
    );
    let lost_ms = frames_to_ms(original.frames - damaged.frames, rate);
    assert!(
        (1..3_000).contains(&lost_ms),
        "only the damaged pages are lost ({lost_ms} ms)"
    );
    assert!(
        damaged.loudest_block_rms <= original.loudest_block_rms + 0.05,
        "no block is louder than the undamaged file's loudest ({} > {})",
        damaged.loudest_block_rms,
        original.loudest_block_rms
    );
}

#[test]
fn a_truncated_file_ends_where_its_data_ends() {
    for (rel, format) in [
        ("hyperrogue-music/music/hr3-crossroads.ogg", "ogg"),
        ("triplea/ww2/battle_air/battle_air_01_air_flyby.mp3", "mp3"),
        ("rrootage/destroied.wav", "wav"),
        ("beets/whitenoise.flac", "flac"),
        ("pytaglib/issue46.m4a", "m4a"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let Some(path) = corpus_copy("truncated files", rel, dir.path()) else {
            return;
        };
        let full = decode_all(&mut decode::open(&path, format).unwrap());
        let bytes = std::fs::read(&path).unwrap();
        // Cut at 60%, in the middle of a packet.
        std::fs::write(&path, &bytes[..bytes.len() * 6 / 10 + 7]).unwrap();
        match decode::open(&path, format) {
            Ok(mut frames) => {
                let cut = decode_all(&mut frames);
                assert!(
                    cut.error.is_none(),
                    "{rel}: a truncated end is an end: {:?}",
                    cut.error
                );
                assert!(
                    cut.frames > full.frames / 3 && cut.frames < full.frames,
                    "{rel}: about 60% plays ({} of {} frames)",
                    cut.frames,
                    full.frames
                );
                assert!(
                    cut.loudest_block_rms <= full.loudest_block_rms + 0.05,
                    "{rel}: no noise"
                );
            }
            // An MP4 keeps its index at the end: cut off, nothing says where the audio is.
            Err(PreviewError::Decode { path: shown, .. }) if format == "m4a" => {
                assert!(shown.contains("issue46"), "the error names the file")
            }
            Err(e) => panic!("{rel}: a truncated file still opens: {e}"),
        }
    }
}

/// The whole stream, interleaved.
fn reference(f: &mut dyn Frames) -> Vec<f32> {
    let mut all = Vec::new();
    while let Some(block) = f.next_block().unwrap() {
        all.extend_from_slice(block);
    }
    all
}

/// `n` frames from the current position, interleaved.
fn take(f: &mut dyn Frames, n: usize) -> Vec<f32> {
    let channels = usize::from(f.channels());
    let mut out = Vec::new();
    while out.len() < n * channels {
        match f.next_block().unwrap() {
            Some(block) => out.extend_from_slice(block),
            None => break,
        }
    }
    out.truncate(n * channels);
    out
}

fn at_frame(frame: u64, rate: u32) -> Duration {
    Duration::from_nanos(frame * 1_000_000_000 / u64::from(rate))
}

#[test]
fn seeking_a_lossless_file_lands_on_the_exact_frame() {
    let Some(corpus) = common::corpus("lossless seek") else {
        return;
    };
    for (rel, format) in [
        ("beets/whitenoise.flac", "flac"),
        ("rrootage/destroied.wav", "wav"),
        ("mutagen/ep9.m4b", "m4a"),
    ] {
        let path = corpus.join(rel);
        let mut f = decode::open(&path, format).unwrap();
        let all = reference(&mut f);
        let channels = usize::from(f.channels());
        let rate = f.sample_rate();
        let total = (all.len() / channels) as u64;
        assert!(total > rate as u64, "{rel} is long enough to seek in");
        // Forward, backward, inside blocks, block-aligned, near the end, and the start.
        let targets = [
            total / 2 + 17,
            total / 5,
            4096,
            4095,
            total - 300,
            total / 3 * 2 + 1,
            0,
        ];
        for target in targets {
            let reached = f.seek(at_frame(target, rate)).unwrap();
            assert_eq!(
                reached,
                at_frame(target, rate),
                "{rel}: seek reports the target"
            );
            let got = take(&mut f, 256);
            let from = target as usize * channels;
            let want = &all[from..(from + 256 * channels).min(all.len())];
            assert_eq!(got.len(), want.len(), "{rel}: frames after {target}");
            if rel.ends_with(".m4b") {
                // ALAC would be exact; this is AAC, decoded again after its pre-roll.
                let diff = got
                    .iter()
                    .zip(want)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f32::max);
                assert!(
                    diff < 0.01,
                    "{rel}: frame {target} matches the reference (diff {diff})"
                );
            } else {
                assert_eq!(
                    got, want,
                    "{rel}: the sample after seek({target}) is the one at {target}"
                );
            }
        }
    }
}

/// Normalized correlation of two mono signals.
fn correlation(a: &[f32], b: &[f32]) -> f64 {
    let (mut ab, mut aa, mut bb) = (0.0f64, 0.0f64, 0.0f64);
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (f64::from(*x), f64::from(*y));
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    ab / (aa * bb).sqrt().max(1e-12)
}

fn mono(interleaved: &[f32], channels: usize) -> Vec<f32> {
    interleaved
        .chunks_exact(channels)
        .map(|f| f.iter().sum::<f32>() / channels as f32)
        .collect()
}

#[test]
fn seeking_a_lossy_file_lands_within_ten_milliseconds() {
    let Some(corpus) = common::corpus("lossy seek") else {
        return;
    };
    for (rel, format) in [
        ("hyperrogue-music/music/hr3-crossroads.ogg", "ogg"),
        ("singularity-music/Awakening.ogg", "ogg"),
        (
            "triplea/ww2/required_your_turn_series_Chinese/Chinese_Kuomintang_Anthem_Intro.mp3",
            "mp3",
        ),
        ("pytaglib/issue46.m4a", "m4a"),
    ] {
        let path = corpus.join(rel);
        let mut f = decode::open(&path, format).unwrap();
        let channels = usize::from(f.channels());
        let rate = f.sample_rate();
        let all = mono(&reference(&mut f), channels);
        let total = all.len() as u64;
        let window = (rate / 20) as usize; // 50 ms compared
        let search = (rate / 20) as i64; // lags tried: ±50 ms
        let allowed = i64::from(rate / 100); // ±10 ms
        for target in [
            total / 2 + 333,
            total / 4,
            total / 8 * 7,
            u64::from(rate) / 2 + 1,
        ] {
            f.seek(at_frame(target, rate)).unwrap();
            let got = mono(&take(&mut f, window), channels);
            let (lag, best) = (-search..=search)
                .filter_map(|lag| {
                    let from = usize::try_from(target as i64 + lag).ok()?;
                    let want = all.get(from..from + window)?;
                    Some((lag, correlation(&got, want)))
                })
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap();
            assert!(
                lag.abs() <= allowed && best > 0.9,
                "{rel}: after seek({target}) the samples match the reference {lag} frames away \
                 (correlation {best:.3}); within ±{allowed} expected"
            );
        }
    }
}

#[test]
fn seeking_past_the_end_ends_the_stream_and_seeking_back_plays_again() {
    let Some(corpus) = common::corpus("seek past end") else {
        return;
    };
    for (rel, format) in [
        ("beets/whitenoise.flac", "flac"),
        ("hyperrogue-music/music/hr3-crossroads.ogg", "ogg"),
        ("triplea/ww2/battle_air/battle_air_01_air_flyby.mp3", "mp3"),
    ] {
        let mut f = decode::open(&corpus.join(rel), format).unwrap();
        let duration = f.duration().expect("these files know their length");
        let reached = f.seek(duration + Duration::from_secs(5)).unwrap();
        assert!(
            reached <= duration + Duration::from_millis(1),
            "{rel}: the end is reached"
        );
        assert!(
            f.next_block().unwrap().is_none(),
            "{rel}: nothing plays past the end"
        );
        assert_eq!(f.seek(Duration::ZERO).unwrap(), Duration::ZERO);
        assert!(
            f.next_block().unwrap().is_some(),
            "{rel}: seeking back plays again"
        );
    }
}
