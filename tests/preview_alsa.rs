//! Real playback: the `cuebook` CLI previews files of each common format into an ALSA device of
//! type `file`, paced to real time through `pv`, and the captured PCM is checked for its length,
//! its fades and its loudness. A format without a correct decoder must leave the capture silent.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const RATE: u32 = 44_100;

/// Why this machine cannot run the capture tests, if it cannot.
fn missing_tools() -> Option<String> {
    for tool in ["pv", "ffmpeg"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            return Some(format!("{tool} is not installed (make test installs it)"));
        }
    }
    if !Path::new("/usr/share/alsa/alsa.conf").exists() {
        return Some("ALSA's configuration is missing (libasound2-data)".into());
    }
    None
}

/// A steady chord, 12 s of stereo, at a level well away from the target loudness.
fn chord() -> Vec<f32> {
    let n = 12 * RATE as usize;
    let mut v = Vec::with_capacity(2 * n);
    for i in 0..n {
        let t = i as f64 / f64::from(RATE);
        let s: f64 = [220.0, 277.18, 329.63, 440.0]
            .iter()
            .map(|f| (2.0 * std::f64::consts::PI * f * t).sin())
            .sum::<f64>()
            * 0.06;
        v.push(s as f32);
        v.push(s as f32);
    }
    v
}

/// An ALSA configuration whose default device writes S16_LE 44.1 kHz stereo to `capture`, paced
/// to real time.
fn alsa_config(dir: &Path, capture: &Path) -> PathBuf {
    let conf = dir.join(format!(
        "{}.conf",
        capture.file_stem().unwrap().to_string_lossy()
    ));
    let bytes_per_sec = RATE * 4;
    std::fs::write(
        &conf,
        format!(
            r#"pcm.!default {{
    type plug
    slave {{ pcm "cuebook_capture" format S16_LE rate {RATE} channels 2 }}
}}
pcm.cuebook_capture {{
    type file
    slave.pcm "null"
    file "| pv -q -L {bytes_per_sec} > {}"
    format "raw"
}}
"#,
            capture.display()
        ),
    )
    .unwrap();
    conf
}

fn cuebook(db: &Path, alsa: Option<&Path>, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(common::cuebook_bin());
    cmd.arg("--db").arg(db).args(args);
    if let Some(conf) = alsa {
        cmd.env(
            "ALSA_CONFIG_PATH",
            format!("/usr/share/alsa/alsa.conf:{}", conf.display()),
        );
    }
    cmd.output().unwrap()
}

/// A catalog in `dir` of the files in `root`, through the CLI; returns the catalog's path.
fn catalog(dir: &Path, root: &Path) -> PathBuf {
    let db = dir.join("library.sqlite");
    let added = cuebook(&db, None, &["roots", "add", root.to_str().unwrap()]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let scanned = cuebook(&db, None, &["scan", "--quiet"]);
    assert!(
        scanned.status.success(),
        "{}",
        String::from_utf8_lossy(&scanned.stderr)
    );
    db
}

/// Left channel of a raw S16_LE stereo capture, as floats.
fn read_capture(path: &Path) -> Vec<f32> {
    let raw = std::fs::read(path).unwrap_or_default();
    raw.chunks_exact(4)
        .map(|f| f32::from(i16::from_le_bytes([f[0], f[1]])) / 32768.0)
        .collect()
}

fn peak(s: &[f32]) -> f32 {
    s.iter().fold(0.0f32, |m, v| m.max(v.abs()))
}

#[test]
fn previews_of_every_common_format_play_for_their_length_with_fades_at_the_target_loudness() {
    if let Some(why) = missing_tools() {
        eprintln!("SKIPPED ALSA capture tests: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("music");
    std::fs::create_dir(&root).unwrap();
    let wav = root.join("chord.wav");
    common::write_wav(&wav, RATE, 2, &chord());
    let formats = [
        ("mp3", vec!["-c:a", "libmp3lame", "-b:a", "192k"]),
        ("flac", vec!["-c:a", "flac"]),
        ("ogg", vec!["-c:a", "libvorbis", "-q:a", "5"]),
        ("m4a", vec!["-c:a", "aac", "-b:a", "192k"]),
    ];
    for (ext, codec) in &formats {
        let status = Command::new("ffmpeg")
            .args(["-loglevel", "error", "-y", "-i"])
            .arg(&wav)
            .args(codec)
            .arg(root.join(format!("chord.{ext}")))
            .status()
            .unwrap();
        assert!(status.success(), "ffmpeg encodes {ext}");
    }
    let db = catalog(dir.path(), &root);
    let analyzed = cuebook(&db, None, &["analyze", "--quiet"]);
    assert!(
        analyzed.status.success(),
        "{}",
        String::from_utf8_lossy(&analyzed.stderr)
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    for ext in ["wav", "mp3", "flac", "ogg", "m4a"] {
        let id: i64 = conn
            .query_row("SELECT id FROM tracks WHERE format = ?1", [ext], |r| {
                r.get(0)
            })
            .unwrap_or_else(|e| panic!("the {ext} file is cataloged: {e}"));
        let capture = dir.path().join(format!("capture-{ext}.raw"));
        let conf = alsa_config(dir.path(), &capture);
        let out = cuebook(
            &db,
            Some(&conf),
            &["preview", &id.to_string(), "--from", "2", "--for", "4"],
        );
        assert!(
            out.status.success(),
            "{ext}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let left = read_capture(&capture);
        let first = left.iter().position(|v| *v != 0.0);
        let last = left.iter().rposition(|v| *v != 0.0);
        let (Some(first), Some(last)) = (first, last) else {
            panic!("{ext}: nothing was captured");
        };
        let sounding = (last - first + 1) as f64 / f64::from(RATE);
        assert!(
            (sounding - 4.0).abs() < 0.05,
            "{ext}: the preview sounds for 4 s, not {sounding:.3} s"
        );
        let at = |secs: f64| first + (secs * f64::from(RATE)) as usize;
        let steady = peak(&left[at(1.0)..at(2.4)]);
        assert!(
            peak(&left[first..at(0.1)]) < 0.2 * steady,
            "{ext}: fades in"
        );
        assert!(
            peak(&left[at(0.85)..at(1.0)]) > 0.9 * steady,
            "{ext}: full level after the 0.8 s fade-in"
        );
        assert!(
            peak(&left[at(3.9)..=last]) < 0.2 * steady,
            "{ext}: fades out"
        );
        // Both channels carry the same signal, so the left one measures the stereo loudness.
        let stereo: Vec<f32> = left[at(1.0)..at(2.4)]
            .iter()
            .flat_map(|v| [*v, *v])
            .collect();
        let mut meter = ebur128::EbuR128::new(2, RATE, ebur128::Mode::I).unwrap();
        meter.add_frames_f32(&stereo).unwrap();
        let lufs = meter.loudness_global().unwrap();
        assert!(
            (lufs + 18.0).abs() < 1.0,
            "{ext}: within 1 LU of the -18 LUFS target, not {lufs:.2}"
        );
    }
}

#[test]
fn an_undecodable_file_is_reported_and_the_speakers_stay_silent() {
    if let Some(why) = missing_tools() {
        eprintln!("SKIPPED ALSA capture tests: {why}");
        return;
    }
    let Some(corpus) = common::corpus("ALSA capture of an undecodable file") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("music");
    std::fs::create_dir(&root).unwrap();
    std::fs::copy(
        corpus.join("teeworlds/sfx_pickup_gun.wv"),
        root.join("gun.wv"),
    )
    .unwrap();
    let db = catalog(dir.path(), &root);
    let capture = dir.path().join("capture-wv.raw");
    let conf = alsa_config(dir.path(), &capture);
    let id: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT id FROM tracks", [], |r| r.get(0))
        .expect("the WavPack file is cataloged");
    let out = cuebook(&db, Some(&conf), &["preview", &id.to_string()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a failed preview fails the command");
    assert!(stderr.contains("preview unavailable"), "{stderr}");
    assert_eq!(
        peak(&read_capture(&capture)),
        0.0,
        "no noise reached the device"
    );
}

#[test]
fn without_a_sound_device_preview_says_no_audio_output_and_nothing_else_breaks() {
    if !Path::new("/usr/share/alsa/alsa.conf").exists() {
        eprintln!("SKIPPED no-device test: ALSA's configuration is missing (libasound2-data)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("music");
    std::fs::create_dir(&root).unwrap();
    common::write_wav(
        &root.join("cue.wav"),
        RATE,
        2,
        &chord()[..2 * RATE as usize],
    );
    let db = catalog(dir.path(), &root);
    // A default device on a sound card that does not exist.
    let conf = dir.path().join("nocard.conf");
    std::fs::write(
        &conf,
        "pcm.!default { type hw card 99 }\nctl.!default { type hw card 99 }\n",
    )
    .unwrap();
    let id: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT id FROM tracks", [], |r| r.get(0))
        .unwrap();
    let out = cuebook(&db, Some(&conf), &["preview", &id.to_string()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no audio output"), "{stderr}");
    assert!(
        !stderr.contains("ALSA lib"),
        "ALSA's own chatter is kept off: {stderr}"
    );
    let stats = cuebook(&db, Some(&conf), &["stats"]);
    assert!(stats.status.success(), "the catalog works without sound");
}
