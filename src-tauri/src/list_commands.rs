//! The list, export and import commands, one core function each.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use cuebook::annotate::Target;
use cuebook::lists::exchange::{
    self, ExportOptions, ExportReport, Format, ImportOptions, ImportReport, Progress, Source,
};
use cuebook::lists::{
    self, Entry, Item, ListChange, ListInfo, ListPage, ListSummary, Ranking, Resolution, SmartQuery,
};

use crate::{AppState, CommandError};

type Result<T> = std::result::Result<T, CommandError>;

#[tauri::command(async)]
pub fn lists_all(state: State<'_, AppState>) -> Result<Vec<ListSummary>> {
    Ok(lists::lists(&state.library)?)
}

#[tauri::command(async)]
pub fn lists_create(
    state: State<'_, AppState>,
    name: String,
    ranking: Ranking,
) -> Result<ListInfo> {
    Ok(lists::create(&state.library, &name, ranking)?)
}

#[tauri::command(async)]
pub fn lists_create_smart(
    state: State<'_, AppState>,
    name: String,
    query: SmartQuery,
) -> Result<ListInfo> {
    Ok(lists::create_smart(&state.library, &name, &query)?)
}

/// Renames a list, or sets its note, ranking or (smart lists) query.
#[tauri::command(async)]
pub fn lists_update(state: State<'_, AppState>, id: i64, change: ListChange) -> Result<ListInfo> {
    Ok(lists::update(&state.library, id, &change)?)
}

#[tauri::command(async)]
pub fn lists_duplicate(state: State<'_, AppState>, id: i64) -> Result<ListInfo> {
    Ok(lists::duplicate(&state.library, id)?)
}

#[tauri::command(async)]
pub fn lists_delete(state: State<'_, AppState>, id: i64) -> Result<()> {
    Ok(lists::delete(&state.library, id)?)
}

/// A list with its entries (a smart list: what its query finds now).
#[tauri::command(async)]
pub fn lists_page(state: State<'_, AppState>, id: i64) -> Result<ListPage> {
    Ok(lists::page(&state.library, id)?)
}

#[tauri::command(async)]
pub fn lists_add(
    state: State<'_, AppState>,
    list_id: i64,
    items: Vec<Item>,
    before: Option<i64>,
) -> Result<Vec<i64>> {
    Ok(lists::add(&state.library, list_id, &items, before)?)
}

#[tauri::command(async)]
pub fn lists_move(
    state: State<'_, AppState>,
    list_id: i64,
    ids: Vec<i64>,
    before: Option<i64>,
) -> Result<()> {
    Ok(lists::move_entries(&state.library, list_id, &ids, before)?)
}

#[tauri::command(async)]
pub fn lists_remove(state: State<'_, AppState>, ids: Vec<i64>) -> Result<()> {
    Ok(lists::remove(&state.library, &ids)?)
}

#[tauri::command(async)]
pub fn lists_entry_note(state: State<'_, AppState>, id: i64, markdown: String) -> Result<Entry> {
    Ok(lists::set_entry_note(&state.library, id, &markdown)?)
}

#[tauri::command(async)]
pub fn lists_edit_placeholder(
    state: State<'_, AppState>,
    id: i64,
    title: String,
    artist: Option<String>,
    year: Option<i64>,
) -> Result<Entry> {
    Ok(lists::edit_placeholder(
        &state.library,
        id,
        &title,
        artist.as_deref(),
        year,
    )?)
}

#[derive(serde::Serialize)]
pub struct ListRef {
    id: i64,
    name: String,
}

/// The lists holding an album or track.
#[tauri::command(async)]
pub fn lists_holding(state: State<'_, AppState>, target: Target) -> Result<Vec<ListRef>> {
    Ok(lists::lists_holding(&state.library, target)?
        .into_iter()
        .map(|(id, name)| ListRef { id, name })
        .collect())
}

#[tauri::command(async)]
pub fn lists_resolutions(state: State<'_, AppState>) -> Result<Vec<Resolution>> {
    Ok(lists::resolutions(&state.library)?)
}

#[tauri::command(async)]
pub fn lists_resolve(state: State<'_, AppState>, entry_id: i64, album_id: i64) -> Result<Entry> {
    Ok(lists::resolve(&state.library, entry_id, album_id)?)
}

#[tauri::command(async)]
pub fn lists_decline(state: State<'_, AppState>, entry_id: i64, album_id: i64) -> Result<()> {
    Ok(lists::decline(&state.library, entry_id, album_id)?)
}

/// Writes an export, reporting progress about ten times a second; `lists_cancel_transfer` stops it
/// and leaves no file.
#[tauri::command(async)]
pub fn lists_export(
    state: State<'_, AppState>,
    source: Source,
    format: Format,
    path: String,
    options: ExportOptions,
    progress: Channel<Progress>,
) -> Result<ExportReport> {
    let cancel = &state.transfer_cancel;
    cancel.store(false, Ordering::Relaxed);
    let path = PathBuf::from(path);
    let report = exchange::export(
        &state.library,
        &source,
        format,
        &path,
        options,
        &|p| {
            let _ = progress.send(p.clone());
        },
        cancel,
    )?;
    state
        .exported
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(path);
    Ok(report)
}

/// Stops a running export or import.
#[tauri::command]
pub fn lists_cancel_transfer(state: State<'_, AppState>) {
    state.transfer_cancel.store(true, Ordering::Relaxed);
}

/// Opens a file this session exported in the system's default app (the browser for HTML, to
/// print or save as PDF). Only exported files: the window cannot open anything else.
#[tauri::command(async)]
pub fn lists_open_export(app: AppHandle, state: State<'_, AppState>, path: String) -> Result<()> {
    use tauri_plugin_opener::OpenerExt;
    let path = PathBuf::from(path);
    let known = state
        .exported
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .contains(&path);
    if !known {
        return Err(CommandError::transfer(format!(
            "{} was not exported in this session, so Cuebook will not open it",
            path.display()
        )));
    }
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(|e| CommandError::transfer(format!("{} could not be opened: {e}", path.display())))
}

#[tauri::command(async)]
pub fn lists_csv_preview(path: String) -> Result<cuebook::import::CsvPreview> {
    Ok(exchange::csv_preview(Path::new(&path))?)
}

/// Imports a playlist or list file as a new list; nothing is created when it fails.
#[tauri::command(async)]
pub fn lists_import(
    state: State<'_, AppState>,
    path: String,
    options: ImportOptions,
    progress: Channel<Progress>,
) -> Result<ImportReport> {
    let cancel = &state.transfer_cancel;
    cancel.store(false, Ordering::Relaxed);
    Ok(exchange::import(
        &state.library,
        Path::new(&path),
        &options,
        &|p| {
            let _ = progress.send(p.clone());
        },
        cancel,
    )?)
}
