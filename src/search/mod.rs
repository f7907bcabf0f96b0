//! Search: the query language ([`query`]) and the facade the CLI and app call.

pub mod query;

use rusqlite::Connection;
use serde::Serialize;

use crate::db::{self, albums::AlbumRow, tracks::TrackRow, DbError};
use crate::Library;
pub use query::{parse, Query, QueryError};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("search failed: {0}")]
    Sql(#[from] rusqlite::Error),
}

#[derive(Debug, Clone, Serialize)]
pub struct TrackPage {
    pub total: i64,
    pub tracks: Vec<TrackRow>,
}

/// Tracks matching `text`, a page at a time.
///
/// # Errors
/// A malformed query, or a catalog that cannot be read.
pub fn search_tracks(
    lib: &Library,
    text: &str,
    limit: usize,
    offset: usize,
) -> Result<TrackPage, SearchError> {
    search_tracks_in(&lib.reader()?, text, limit, offset)
}

/// [`search_tracks`] on a connection the caller holds (the app keeps one per reader thread).
///
/// # Errors
/// A malformed query, or a catalog that cannot be read.
pub fn search_tracks_in(
    conn: &Connection,
    text: &str,
    limit: usize,
    offset: usize,
) -> Result<TrackPage, SearchError> {
    let q = parse(text)?;
    let total = db::search::count_tracks(conn, &q)?;
    Ok(TrackPage {
        total,
        tracks: db::search::tracks(conn, &q, total, limit, offset)?,
    })
}

/// Albums with a track matching `text`.
///
/// # Errors
/// A malformed query, or a catalog that cannot be read.
pub fn search_albums(
    lib: &Library,
    text: &str,
    limit: usize,
    offset: usize,
) -> Result<Vec<AlbumRow>, SearchError> {
    let q = parse(text)?;
    Ok(db::search::albums(&lib.reader()?, &q, limit, offset)?)
}
