//! The commands the window may call, one core function each. Tauri requires them outside the
//! crate root.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tauri::ipc::Channel;

use cuebook::catalog::{self, ScanReport};
use cuebook::db::roots::Root;
use cuebook::events::{Event, EventSink, ScanProgress};
use cuebook::search::{self, TrackPage};

use crate::{AppState, CommandError};

/// Tracks matching a search, a page at a time.
#[tauri::command(async)]
pub fn search_tracks(
    state: tauri::State<'_, AppState>,
    query: String,
    limit: usize,
    offset: usize,
) -> Result<TrackPage, CommandError> {
    Ok(search::search_tracks(
        &state.library,
        &query,
        limit,
        offset,
    )?)
}

/// The library folders.
#[tauri::command(async)]
pub fn catalog_roots(state: tauri::State<'_, AppState>) -> Result<Vec<Root>, CommandError> {
    Ok(catalog::list_roots(&state.library)?)
}

/// Adds a library folder (not scanned yet).
#[tauri::command(async)]
pub fn catalog_add_root(
    state: tauri::State<'_, AppState>,
    path: String,
) -> Result<Root, CommandError> {
    Ok(catalog::add_root(&state.library, Path::new(&path))?)
}

/// Removes a library folder; its tracks leave the catalog.
#[tauri::command(async)]
pub fn catalog_remove_root(
    state: tauri::State<'_, AppState>,
    path: String,
) -> Result<Root, CommandError> {
    Ok(catalog::remove_root(&state.library, Path::new(&path))?)
}

/// Scans every library folder, reporting progress through `progress` (about ten times a second).
#[tauri::command(async)]
pub fn catalog_scan(
    state: tauri::State<'_, AppState>,
    progress: Channel<ScanProgress>,
) -> Result<ScanReport, CommandError> {
    let cancel = state.scan_cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    let sink: EventSink = Arc::new(move |e: &Event| {
        if let Event::ScanProgress(p) = e {
            // A closed window stops listening; the scan itself goes on to a consistent end.
            let _ = progress.send(p.clone());
        }
    });
    Ok(catalog::scan(&state.library, sink, &cancel)?)
}

/// Asks a running scan to stop after the files in hand; what is read so far is kept.
#[tauri::command]
pub fn catalog_cancel_scan(state: tauri::State<'_, AppState>) {
    state.scan_cancel.store(true, Ordering::Relaxed);
}
