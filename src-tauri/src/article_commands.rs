//! The article commands, one core function each (`cuebook::articles`).

use std::path::Path;
use std::sync::atomic::Ordering;

use tauri::State;

use cuebook::articles::{
    self, ArticleSummary, ArticleView, Decision, Imported, MentionedIn, Source, Subject,
};

use crate::{AppState, CommandError};

type Result<T> = std::result::Result<T, CommandError>;

/// Every article, newest first, or those a search finds (title, author, keywords, text, note).
#[tauri::command(async)]
pub fn articles_list(
    state: State<'_, AppState>,
    query: Option<String>,
) -> Result<Vec<ArticleSummary>> {
    Ok(articles::list(&state.library, query.as_deref())?)
}

#[tauri::command(async)]
pub fn articles_get(state: State<'_, AppState>, id: i64) -> Result<ArticleView> {
    Ok(articles::get(&state.library, id)?)
}

/// Imports a Markdown, HTML or text file (a file dialog or a drop); the same file again updates
/// its article.
#[tauri::command(async)]
pub fn articles_import_file(state: State<'_, AppState>, path: String) -> Result<Imported> {
    state.article_cancel.store(false, Ordering::Relaxed);
    Ok(articles::import(
        &state.library,
        Source::File(Path::new(&path)),
        &state.article_cancel,
    )?)
}

/// Fetches an http(s) page and imports it; `articles_cancel_import` stops the download.
#[tauri::command(async)]
pub fn articles_import_url(state: State<'_, AppState>, url: String) -> Result<Imported> {
    state.article_cancel.store(false, Ordering::Relaxed);
    Ok(articles::import(
        &state.library,
        Source::Url(url.trim()),
        &state.article_cancel,
    )?)
}

/// Imports pasted text; the same text again updates its article.
#[tauri::command(async)]
pub fn articles_import_text(state: State<'_, AppState>, text: String) -> Result<Imported> {
    state.article_cancel.store(false, Ordering::Relaxed);
    Ok(articles::import(
        &state.library,
        Source::Text {
            text: &text,
            name: "the pasted text",
        },
        &state.article_cancel,
    )?)
}

/// Stops a running import (a download); nothing is stored.
#[tauri::command]
pub fn articles_cancel_import(state: State<'_, AppState>) {
    state.article_cancel.store(true, Ordering::Relaxed);
}

/// Confirms, rejects or un-decides links.
#[tauri::command(async)]
pub fn articles_decide(
    state: State<'_, AppState>,
    link_ids: Vec<i64>,
    decision: Decision,
) -> Result<()> {
    Ok(articles::decide(&state.library, &link_ids, decision)?)
}

/// Decides every suggestion of an article at or above a confidence; resolves to how many.
#[tauri::command(async)]
pub fn articles_decide_above(
    state: State<'_, AppState>,
    article_id: i64,
    min_confidence: f64,
    decision: Decision,
) -> Result<usize> {
    Ok(articles::decide_above(
        &state.library,
        article_id,
        min_confidence,
        decision,
    )?)
}

/// Looks for links again against the collection as it is now; decisions stay.
#[tauri::command(async)]
pub fn articles_detect_again(state: State<'_, AppState>, id: i64) -> Result<usize> {
    Ok(articles::detect_again(&state.library, id)?)
}

/// The articles with a confirmed link to an album, track, person or label.
#[tauri::command(async)]
pub fn articles_mentioned_in(
    state: State<'_, AppState>,
    subject: Subject,
) -> Result<Vec<MentionedIn>> {
    Ok(articles::mentioned_in(&state.library, &subject)?)
}

/// Turns a ranked article into a list; resolves to the new list's id.
#[tauri::command(async)]
pub fn articles_to_list(state: State<'_, AppState>, id: i64, name: Option<String>) -> Result<i64> {
    let name = name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    Ok(articles::to_list(&state.library, id, name)?)
}

/// 0–5, or null to clear.
#[tauri::command(async)]
pub fn articles_rate(state: State<'_, AppState>, id: i64, rating: Option<i64>) -> Result<()> {
    Ok(articles::rate(&state.library, id, rating)?)
}

/// Saves the Markdown note (blank removes it); resolves to the note's sanitized HTML.
#[tauri::command(async)]
pub fn articles_set_note(
    state: State<'_, AppState>,
    id: i64,
    markdown: String,
) -> Result<Option<String>> {
    Ok(articles::set_note(&state.library, id, &markdown)?)
}

#[tauri::command(async)]
pub fn articles_tag(state: State<'_, AppState>, id: i64, names: Vec<String>) -> Result<()> {
    Ok(articles::tag(&state.library, id, &names)?)
}

#[tauri::command(async)]
pub fn articles_untag(state: State<'_, AppState>, id: i64, names: Vec<String>) -> Result<()> {
    Ok(articles::untag(&state.library, id, &names)?)
}

/// Deletes the article and its links; what it linked to stays.
#[tauri::command(async)]
pub fn articles_delete(state: State<'_, AppState>, id: i64) -> Result<()> {
    Ok(articles::delete(&state.library, id)?)
}
