//! The commands the window may call, one core function each. Tauri requires them outside the
//! crate root.

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
