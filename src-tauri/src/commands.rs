//! The commands the window may call, one core function each. Tauri requires them outside the
//! crate root.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};

use cuebook::annotate::backup::{self, RestoreReport};
use cuebook::annotate::{
    self, markdown, Annotations, Fields, Orphan, Proposal, Target, WritebackFile,
};
use cuebook::catalog::{self, AlbumPage, ScanReport, Stats};
use cuebook::db::albums::AlbumRow;
use cuebook::db::problems::Problem;
use cuebook::db::roots::Root;
use cuebook::db::subjects::CueNote;
use cuebook::db::tags::TagCount;
use cuebook::db::tracks::TrackRow;
use cuebook::events::{Event, EventSink, PlayerStatus, ScanProgress};
use cuebook::preview::analysis::{self, Waveform};
use cuebook::preview::engine::{PreviewPolicy, StartPoint, SKIM_EACH};
use cuebook::search::{self, AlbumGroup, AlbumQuery, TrackPage, TrackSort};
use cuebook::settings::{self, Settings};

use crate::{AppState, CommandError};

type Result<T> = std::result::Result<T, CommandError>;

/// Tracks matching a search, a page at a time, in `sort` order (album order without one).
#[tauri::command(async)]
pub fn search_tracks(
    state: State<'_, AppState>,
    query: String,
    limit: usize,
    offset: usize,
    sort: Option<TrackSort>,
) -> Result<TrackPage> {
    let conn = state.library.reader()?;
    Ok(search::search_tracks_in(
        &conn,
        &query,
        sort.unwrap_or_default(),
        limit,
        offset,
    )?)
}

#[tauri::command(async)]
pub fn catalog_track(state: State<'_, AppState>, id: i64) -> Result<TrackRow> {
    Ok(catalog::track(&state.library, id)?)
}

/// The headings of the album grid, with how many albums each holds.
#[tauri::command(async)]
pub fn catalog_album_groups(state: State<'_, AppState>, q: AlbumQuery) -> Result<Vec<AlbumGroup>> {
    Ok(search::album_groups(&state.library, &q)?)
}

/// A range of the album grid.
#[tauri::command(async)]
pub fn catalog_albums(
    state: State<'_, AppState>,
    q: AlbumQuery,
    offset: usize,
    limit: usize,
) -> Result<Vec<AlbumRow>> {
    Ok(search::albums_range(&state.library, &q, offset, limit)?)
}

#[tauri::command(async)]
pub fn catalog_album(state: State<'_, AppState>, id: i64) -> Result<AlbumPage> {
    Ok(catalog::album_page(&state.library, id)?)
}

/// The library folders.
#[tauri::command(async)]
pub fn catalog_roots(state: State<'_, AppState>) -> Result<Vec<Root>> {
    Ok(catalog::list_roots(&state.library)?)
}

/// Adds a library folder (not scanned yet).
#[tauri::command(async)]
pub fn catalog_add_root(state: State<'_, AppState>, path: String) -> Result<Root> {
    Ok(catalog::add_root(&state.library, Path::new(&path))?)
}

/// Removes a library folder; its tracks leave the catalog.
#[tauri::command(async)]
pub fn catalog_remove_root(state: State<'_, AppState>, path: String) -> Result<Root> {
    Ok(catalog::remove_root(&state.library, Path::new(&path))?)
}

/// Scans every library folder, reporting progress through `progress` (about ten times a second),
/// then analyzes new tracks for previews in the background.
#[tauri::command(async)]
pub fn catalog_scan(
    app: AppHandle,
    state: State<'_, AppState>,
    progress: Channel<ScanProgress>,
) -> Result<ScanReport> {
    let cancel = state.scan_cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    // The scan and analysis would compete for the same disk and cores; analysis resumes after.
    state.analysis_cancel.store(true, Ordering::Relaxed);
    let sink: EventSink = Arc::new(move |e: &Event| {
        if let Event::ScanProgress(p) = e {
            // A closed window stops listening; the scan itself goes on to a consistent end.
            let _ = progress.send(p.clone());
        }
    });
    let report = catalog::scan(&state.library, sink, &cancel);
    start_analysis(&app);
    Ok(report?)
}

/// Asks a running scan to stop after the files in hand; what is read so far is kept.
#[tauri::command]
pub fn catalog_cancel_scan(state: State<'_, AppState>) {
    state.scan_cancel.store(true, Ordering::Relaxed);
}

/// Files that could not be cataloged, with reasons.
#[tauri::command(async)]
pub fn catalog_problems(state: State<'_, AppState>) -> Result<Vec<Problem>> {
    Ok(catalog::problems(&state.library)?)
}

/// The system's Music folder, when there is one.
#[tauri::command(async)]
pub fn catalog_music_folder() -> Option<String> {
    catalog::music_folder().map(|p| p.to_string_lossy().into_owned())
}

#[tauri::command(async)]
pub fn catalog_stats(state: State<'_, AppState>) -> Result<Stats> {
    Ok(catalog::stats(&state.library, 12)?)
}

/// Starts analyzing tracks that are not analyzed yet, on one background thread, unless that
/// runs already. Progress goes out as `analysis` events.
pub fn start_analysis(app: &AppHandle) {
    let state = app.state::<AppState>();
    if state.analysis_running.swap(true, Ordering::AcqRel) {
        return;
    }
    state.analysis_cancel.store(false, Ordering::Relaxed);
    let (lib, cancel, running) = (
        state.library.clone(),
        state.analysis_cancel.clone(),
        state.analysis_running.clone(),
    );
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("cuebook-background-analysis".into())
        .spawn(move || {
            let sink: EventSink = Arc::new(move |e: &Event| {
                if let Event::AnalysisProgress(p) = e {
                    // A closed window stops listening; analysis goes on to a consistent end.
                    let _ = tauri::Emitter::emit(&app, crate::events::ANALYSIS, p);
                }
            });
            // A panic (a decoder bug on a hostile file) ends this run; the next scan starts another.
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                analysis::analyze_library_on(&lib, sink, &cancel, 1)
            }));
            match run {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => eprintln!("cuebook: background analysis stopped: {e}"),
                Err(_) => eprintln!("cuebook: background analysis stopped by a decoder failure"),
            }
            running.store(false, Ordering::Release);
        });
    if spawned.is_err() {
        eprintln!("cuebook: background analysis could not start; previews analyze on demand");
        state.analysis_running.store(false, Ordering::Release);
    }
}

/// Previews a track with the settings' policy, from `from_ms` when given (a time-coded note).
#[tauri::command(async)]
pub fn player_preview(
    state: State<'_, AppState>,
    track_id: i64,
    from_ms: Option<u64>,
) -> Result<()> {
    let policy = match from_ms {
        Some(ms) => Some(PreviewPolicy {
            start: StartPoint::At(Duration::from_millis(ms)),
            ..settings::load(&state.library)?.preview_policy()
        }),
        None => None,
    };
    state.engine.preview(track_id, policy);
    Ok(())
}

/// Plays a whole track from `from_ms`.
#[tauri::command]
pub fn player_play(state: State<'_, AppState>, track_id: i64, from_ms: u64) {
    state.engine.play(track_id, Duration::from_millis(from_ms));
}

#[tauri::command]
pub fn player_pause(state: State<'_, AppState>) {
    state.engine.pause();
}

#[tauri::command]
pub fn player_resume(state: State<'_, AppState>) {
    state.engine.resume();
}

#[tauri::command]
pub fn player_stop(state: State<'_, AppState>) {
    state.engine.stop();
}

#[tauri::command]
pub fn player_seek(state: State<'_, AppState>, ms: u64) {
    state.engine.seek(Duration::from_millis(ms));
}

#[tauri::command]
pub fn player_volume(state: State<'_, AppState>, volume: f32) {
    state.engine.set_volume(volume.clamp(0.0, 1.0));
}

/// Previews each track in turn.
#[tauri::command]
pub fn player_skim(state: State<'_, AppState>, track_ids: Vec<i64>) {
    state.engine.skim(track_ids, SKIM_EACH);
}

#[tauri::command]
pub fn player_next(state: State<'_, AppState>) {
    state.engine.next();
}

#[tauri::command]
pub fn player_previous(state: State<'_, AppState>) {
    state.engine.previous();
}

/// What the player does now (after every command sent before).
#[tauri::command(async)]
pub fn player_status(state: State<'_, AppState>) -> PlayerStatus {
    state.engine.sync()
}

/// A track's waveform, analyzing it first when needed.
#[tauri::command(async)]
pub fn player_waveform(state: State<'_, AppState>, track_id: i64) -> Result<Waveform> {
    Ok(analysis::waveform(&state.library, track_id)?)
}

#[tauri::command(async)]
pub fn settings_get(state: State<'_, AppState>) -> Result<Settings> {
    Ok(settings::load(&state.library)?)
}

/// Stores the settings and applies them to the player; returns them as stored (clamped).
#[tauri::command(async)]
pub fn settings_save(state: State<'_, AppState>, settings: Settings) -> Result<Settings> {
    let saved = settings::save(&state.library, settings)?;
    state.engine.set_policy(saved.preview_policy());
    state.engine.set_volume(saved.volume);
    Ok(saved)
}

/// The window shows its first album cards. With `CUEBOOK_TRACE_STARTUP` set, says on stderr when
/// (ms since the epoch) the page began loading and when the cards were shown, for `make bench-app`
/// to measure start-up without a WebDriver attached.
#[tauri::command]
pub fn app_first_albums(page_started_ms: f64, shown_ms: f64) {
    if std::env::var_os("CUEBOOK_TRACE_STARTUP").is_some() {
        eprintln!(
            "cuebook: page loading at {page_started_ms:.0} ms, first albums on screen at {shown_ms:.0} ms"
        );
    }
}

// ---- Annotations ----

/// Everything the collector added to an album, track or work.
#[tauri::command(async)]
pub fn annotate_get(state: State<'_, AppState>, target: Target) -> Result<Annotations> {
    Ok(annotate::annotations(&state.library, target)?)
}

#[tauri::command(async)]
pub fn annotate_tags(state: State<'_, AppState>) -> Result<Vec<TagCount>> {
    Ok(annotate::tags(&state.library)?)
}

/// Adds tags to every target; returns how many were newly applied.
#[tauri::command(async)]
pub fn annotate_tag(
    state: State<'_, AppState>,
    targets: Vec<Target>,
    names: Vec<String>,
) -> Result<usize> {
    Ok(annotate::tag(&state.library, &targets, &names)?)
}

#[tauri::command(async)]
pub fn annotate_untag(
    state: State<'_, AppState>,
    targets: Vec<Target>,
    names: Vec<String>,
) -> Result<usize> {
    Ok(annotate::untag(&state.library, &targets, &names)?)
}

#[tauri::command(async)]
pub fn annotate_create_tag(
    state: State<'_, AppState>,
    name: String,
    color: Option<String>,
) -> Result<()> {
    Ok(annotate::create_tag(
        &state.library,
        &name,
        color.as_deref(),
    )?)
}

#[tauri::command(async)]
pub fn annotate_rename_tag(
    state: State<'_, AppState>,
    name: String,
    new_name: String,
) -> Result<()> {
    Ok(annotate::rename_tag(&state.library, &name, &new_name)?)
}

#[tauri::command(async)]
pub fn annotate_merge_tags(
    state: State<'_, AppState>,
    from: Vec<String>,
    into: String,
) -> Result<()> {
    Ok(annotate::merge_tags(&state.library, &from, &into)?)
}

#[tauri::command(async)]
pub fn annotate_delete_tag(state: State<'_, AppState>, name: String) -> Result<()> {
    Ok(annotate::delete_tag(&state.library, &name)?)
}

#[tauri::command(async)]
pub fn annotate_tag_color(
    state: State<'_, AppState>,
    name: String,
    color: Option<String>,
) -> Result<()> {
    Ok(annotate::set_tag_color(
        &state.library,
        &name,
        color.as_deref(),
    )?)
}

#[tauri::command(async)]
pub fn annotate_rate(
    state: State<'_, AppState>,
    targets: Vec<Target>,
    rating: Option<i64>,
) -> Result<()> {
    Ok(annotate::rate(&state.library, &targets, rating)?)
}

#[tauri::command(async)]
pub fn annotate_set_note(
    state: State<'_, AppState>,
    target: Target,
    markdown: String,
) -> Result<Annotations> {
    Ok(annotate::set_note(&state.library, target, &markdown)?)
}

/// The live preview of a note being written: the same sanitized HTML a saved note shows.
#[tauri::command(async)]
pub fn annotate_render_note(markdown: String) -> Result<String> {
    if markdown.len() > markdown::MAX_NOTE_BYTES {
        return Err(annotate::AnnotateError::NoteTooLong {
            bytes: markdown.len(),
            max: markdown::MAX_NOTE_BYTES,
        }
        .into());
    }
    Ok(markdown::render(&markdown))
}

#[tauri::command(async)]
pub fn annotate_add_cue_note(
    state: State<'_, AppState>,
    track_id: i64,
    at_ms: i64,
    text: String,
) -> Result<CueNote> {
    Ok(annotate::add_cue_note(
        &state.library,
        track_id,
        at_ms,
        &text,
    )?)
}

#[tauri::command(async)]
pub fn annotate_update_cue_note(
    state: State<'_, AppState>,
    id: i64,
    at_ms: i64,
    text: String,
) -> Result<CueNote> {
    Ok(annotate::update_cue_note(&state.library, id, at_ms, &text)?)
}

#[tauri::command(async)]
pub fn annotate_delete_cue_note(state: State<'_, AppState>, id: i64) -> Result<()> {
    Ok(annotate::delete_cue_note(&state.library, id)?)
}

/// Replaces the target's field overrides; returns what was stored.
#[tauri::command(async)]
pub fn annotate_set_fields(
    state: State<'_, AppState>,
    target: Target,
    fields: Fields,
) -> Result<Fields> {
    Ok(annotate::replace_fields(&state.library, target, fields)?)
}

#[tauri::command(async)]
pub fn annotate_orphans(state: State<'_, AppState>) -> Result<Vec<Orphan>> {
    Ok(annotate::orphans(&state.library)?)
}

#[tauri::command(async)]
pub fn annotate_relink_proposals(state: State<'_, AppState>) -> Result<Vec<Proposal>> {
    Ok(annotate::relink_proposals(&state.library)?)
}

#[tauri::command(async)]
pub fn annotate_relink(state: State<'_, AppState>, subject_id: i64, to: Target) -> Result<()> {
    Ok(annotate::relink(&state.library, subject_id, to)?)
}

#[tauri::command(async)]
pub fn annotate_forget(state: State<'_, AppState>, subject_id: i64) -> Result<()> {
    Ok(annotate::forget(&state.library, subject_id)?)
}

/// Opens a link from a note in the system browser: http, https and mailto only.
#[tauri::command(async)]
pub fn annotate_open_link(app: AppHandle, url: String) -> Result<()> {
    use tauri_plugin_opener::OpenerExt;
    if !markdown::is_allowed_link(&url) {
        return Err(CommandError::bad_annotation(format!(
            "only http, https and mailto links open from notes, not {:?}",
            url.chars().take(80).collect::<String>()
        )));
    }
    app.opener()
        .open_url(url.trim(), None::<&str>)
        .map_err(|e| CommandError::bad_annotation(format!("the browser could not be opened: {e}")))
}

/// Writes every annotation to one JSON file; returns how many items it holds.
#[tauri::command(async)]
pub fn annotate_backup(state: State<'_, AppState>, path: String) -> Result<usize> {
    Ok(backup::write(&state.library, Path::new(&path))?)
}

#[tauri::command(async)]
pub fn annotate_restore(state: State<'_, AppState>, path: String) -> Result<RestoreReport> {
    Ok(backup::restore(&state.library, Path::new(&path))?)
}

/// What writing the album's or track's overrides into its files would change (reads only).
#[tauri::command(async)]
pub fn annotate_writeback_plan(
    state: State<'_, AppState>,
    target: Target,
) -> Result<Vec<WritebackFile>> {
    Ok(annotate::writeback_plan(&state.library, target)?)
}

/// Writes exactly the previewed changes, file by file; the first file that fails is reported
/// with the files written before it.
#[tauri::command(async)]
pub fn annotate_writeback_apply(
    state: State<'_, AppState>,
    plan: Vec<WritebackFile>,
) -> Result<()> {
    Ok(annotate::writeback_apply(&state.library, &plan)?)
}
