//! `cuebook preview`, `cuebook play` and `cuebook analyze`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::unbounded;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cuebook::events::{AnalysisProgress, Event, EventSink, PlayMode, PlayerState};
use cuebook::preview::analysis;
use cuebook::preview::engine::{Engine, PreviewPolicy, StartPoint};
use cuebook::{db, search, Library};

use super::output::{duration, print_json, progress_message};
use super::Usage;

/// Parses "83", "1:23", "1:02:03" or "1:23.5" into a duration.
pub fn parse_time(s: &str) -> Result<Duration, String> {
    let bad = || format!("{s:?} is not a time; write seconds (83) or minutes:seconds (1:23)");
    let mut secs = 0.0f64;
    let parts: Vec<&str> = s.trim().split(':').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(bad());
    }
    for (i, part) in parts.iter().enumerate() {
        let v: f64 = part.parse().map_err(|_| bad())?;
        if !v.is_finite() || v < 0.0 || (i > 0 && v >= 60.0) {
            return Err(bad());
        }
        secs = secs * 60.0 + v;
    }
    Ok(Duration::from_secs_f64(secs))
}

/// A track to listen to, with what to call it.
struct Pick {
    id: i64,
    name: String,
}

/// A track id, or the tracks a search finds (in listing order).
fn pick(lib: &Library, target: &str) -> anyhow::Result<Vec<Pick>> {
    if target.trim().is_empty() {
        return Err(
            Usage("give a track id or a search, e.g. `cuebook preview jaws`".into()).into(),
        );
    }
    if let Ok(id) = target.trim().parse::<i64>() {
        let conn = lib.reader()?;
        let found = db::tracks::playable(&conn, id)?;
        let Some(track) = found else {
            return Err(Usage(format!("no track {id} in the catalog")).into());
        };
        let name = track
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Ok(vec![Pick { id, name }]);
    }
    let page = search::search_tracks(lib, target, 500, 0)?;
    if page.tracks.is_empty() {
        return Err(Usage(format!("no track matches {target:?}")).into());
    }
    Ok(page
        .tracks
        .into_iter()
        .map(|t| Pick {
            id: t.id,
            name: match (&t.title, &t.album) {
                (Some(title), Some(album)) => format!("{title} — {album}"),
                (Some(title), None) => title.clone(),
                _ => t.path.clone(),
            },
        })
        .collect())
}

pub struct Listen {
    pub mode: PlayMode,
    pub from: Option<Duration>,
    pub length: Option<Duration>,
    pub skim: bool,
}

/// Previews or plays, printing what plays and where it is, until it ends or Ctrl-C.
pub fn listen(lib: &Library, target: &str, how: &Listen, json: bool) -> anyhow::Result<()> {
    let picks = pick(lib, target)?;
    let (tx, rx) = unbounded::<Event>();
    let sink: EventSink = Arc::new(move |e: &Event| {
        let _ = tx.send(e.clone()); // the receiver lives until the engine is dropped
    });
    let engine = Engine::start(lib.clone(), sink)?;
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let interrupted = interrupted.clone();
        if let Err(e) = ctrlc::set_handler(move || interrupted.store(true, Ordering::Relaxed)) {
            eprintln!("cuebook: Ctrl-C will stop playback abruptly ({e})");
        }
    }
    let mut policy = PreviewPolicy::default();
    if let Some(from) = how.from {
        policy.start = StartPoint::At(from);
    }
    let each = how.length.unwrap_or(if how.skim {
        cuebook::preview::engine::SKIM_EACH
    } else {
        policy.length
    });
    policy.length = each;
    let queue: Vec<&Pick> = if how.skim {
        picks.iter().collect()
    } else {
        picks.iter().take(1).collect()
    };
    match (how.mode, how.skim) {
        (PlayMode::Preview, true) => {
            engine.set_policy(policy);
            engine.skim(queue.iter().map(|p| p.id).collect(), each);
        }
        (PlayMode::Preview, false) => engine.preview(queue[0].id, Some(policy)),
        (PlayMode::Full, _) => engine.play(queue[0].id, how.from.unwrap_or_default()),
    }

    let bar = if json {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
        bar.set_style(
            ProgressStyle::with_template("{msg}").unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    };
    let name_of = |id: i64| {
        picks
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| format!("track {id}"), |p| p.name.clone())
    };
    let mut started = false;
    let mut failures = 0usize;
    loop {
        if interrupted.load(Ordering::Relaxed) {
            engine.stop();
            engine.sync();
            bar.finish_and_clear();
            return Ok(());
        }
        let Ok(event) = rx.recv_timeout(Duration::from_millis(100)) else {
            continue;
        };
        if json {
            print_json(&event)?;
        }
        match event {
            Event::Player(s) if s.state == PlayerState::Playing => {
                started = true;
                if let (Some(id), false) = (s.track_id, json) {
                    bar.suspend(|| println!("▶ {}", name_of(id)));
                }
            }
            Event::Player(s) if s.state == PlayerState::Stopped => {
                bar.finish_and_clear();
                if let Some(problem) = s.output_problem {
                    anyhow::bail!("{problem}");
                }
                if !started && failures > 0 {
                    anyhow::bail!("nothing could be played");
                }
                return Ok(());
            }
            Event::Position(p) => {
                let end = p.until_ms.or(p.duration_ms).map(|ms| ms as i64);
                bar.set_message(format!(
                    "  {} / {}",
                    duration(Some(p.position_ms as i64)),
                    duration(end)
                ));
            }
            Event::PlaybackError { message, .. } => {
                failures += 1;
                bar.suspend(|| eprintln!("cuebook: {message}"));
            }
            _ => {}
        }
    }
}

/// Analyzes every track not analyzed yet, with a progress bar.
pub fn analyze(lib: &Library, quiet: bool, json: bool) -> anyhow::Result<()> {
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = cancel.clone();
        if let Err(e) = ctrlc::set_handler(move || cancel.store(true, Ordering::Relaxed)) {
            eprintln!("cuebook: Ctrl-C will stop the analysis abruptly ({e})");
        }
    }
    let bar = if quiet || json {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10))
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40.cyan/blue} {pos}/{len} tracks  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("█▉▊▋▌▍▎▏ "),
    );
    let sink_bar = bar.clone();
    let sink: EventSink = Arc::new(move |e: &Event| {
        if let Event::AnalysisProgress(p) = e {
            show_progress(&sink_bar, p);
        }
    });
    let report = analysis::analyze_library(lib, sink, &cancel)?;
    bar.finish_and_clear();
    if json {
        return print_json(&report);
    }
    let secs = report.elapsed_ms as f64 / 1000.0;
    let speed = if secs > 0.0 {
        format!(", {:.0}x real time", report.audio_seconds / secs)
    } else {
        String::new()
    };
    println!(
        "Analyzed {} tracks in {:.1}s{speed}: {} unavailable for preview, {} failed",
        report.analyzed, secs, report.unavailable, report.failed
    );
    if report.cancelled {
        eprintln!("cuebook: analysis cancelled; run `cuebook analyze` again to finish");
    }
    Ok(())
}

fn show_progress(bar: &ProgressBar, p: &AnalysisProgress) {
    if bar.length() != Some(p.total) {
        bar.set_length(p.total);
    }
    bar.set_position(p.done);
    bar.set_message(progress_message(
        &format!("{:.1}/s", p.rate),
        p.eta_secs,
        p.current.as_deref(),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_as_collectors_write_them() {
        assert_eq!(parse_time("83"), Ok(Duration::from_secs(83)));
        assert_eq!(parse_time("1:23"), Ok(Duration::from_secs(83)));
        assert_eq!(parse_time("1:02:03"), Ok(Duration::from_secs(3723)));
        assert_eq!(parse_time("0:01.5"), Ok(Duration::from_millis(1500)));
        for bad in ["", "1:75", "a:10", "1::2", "-3", "1:2:3:4"] {
            assert!(parse_time(bad).is_err(), "{bad:?}");
        }
    }
}
