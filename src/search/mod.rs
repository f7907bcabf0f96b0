//! Search: the query language ([`query`]) and the facade the CLI and app call.

pub mod query;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

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

/// A column track listings can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackSortKey {
    /// Album title, album, disc, track: the listing order, read from an index.
    #[default]
    Album,
    Title,
    /// The first composer.
    Composer,
    Year,
    Duration,
    Format,
    /// When the track was first cataloged.
    Added,
    /// The collector's cue number, in natural order (1M2 before 1M10).
    Cue,
    /// The collector's rating.
    Rating,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TrackSort {
    pub key: TrackSortKey,
    pub descending: bool,
}

/// Tracks matching `text`, a page at a time, in album order.
///
/// # Errors
/// A malformed query, or a catalog that cannot be read.
pub fn search_tracks(
    lib: &Library,
    text: &str,
    limit: usize,
    offset: usize,
) -> Result<TrackPage, SearchError> {
    search_tracks_in(&lib.reader()?, text, TrackSort::default(), limit, offset)
}

/// [`search_tracks`] on a connection the caller holds (the app keeps one per reader thread).
///
/// # Errors
/// A malformed query, or a catalog that cannot be read.
pub fn search_tracks_in(
    conn: &Connection,
    text: &str,
    sort: TrackSort,
    limit: usize,
    offset: usize,
) -> Result<TrackPage, SearchError> {
    let q = parse(text)?;
    let total = db::search::count_tracks(conn, &q)?;
    Ok(TrackPage {
        total,
        tracks: db::search::tracks(conn, &q, total, sort, limit, offset)?,
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

/// How the album grid is grouped and ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arrangement {
    /// By title, under initial letters.
    #[default]
    Title,
    /// By film, game or show, then year.
    Work,
    /// By first composer, then year.
    Composer,
    Label,
    /// Newest year first.
    Year,
    /// Most recently cataloged first, under the month they arrived.
    Added,
}

/// Which albums the grid shows, and how.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AlbumQuery {
    /// The search language; albums with at least one matching track.
    pub query: String,
    pub arrange: Arrangement,
    /// `film`, `game` or `tv`.
    pub kind: Option<String>,
}

/// A heading of the album grid and how many consecutive albums it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlbumGroup {
    pub label: String,
    pub count: i64,
}

/// The headings of the album grid for `q`, in order; their counts add up to the albums shown.
///
/// # Errors
/// A malformed query, or a catalog that cannot be read.
pub fn album_groups(lib: &Library, q: &AlbumQuery) -> Result<Vec<AlbumGroup>, SearchError> {
    let parsed = parse(&q.query)?;
    let conn = lib.reader()?;
    let groups = db::search::album_groups(&conn, &parsed, q.kind.as_deref(), q.arrange)?;
    Ok(groups
        .into_iter()
        .map(|(value, count)| AlbumGroup {
            label: group_label(q.arrange, value),
            count,
        })
        .collect())
}

/// Albums `offset..offset + limit` in the order of [`album_groups`].
///
/// # Errors
/// A malformed query, or a catalog that cannot be read.
pub fn albums_range(
    lib: &Library,
    q: &AlbumQuery,
    offset: usize,
    limit: usize,
) -> Result<Vec<AlbumRow>, SearchError> {
    let parsed = parse(&q.query)?;
    let conn = lib.reader()?;
    Ok(db::search::album_range(
        &conn,
        &parsed,
        q.kind.as_deref(),
        q.arrange,
        offset,
        limit,
    )?)
}

/// A heading in words: "Unknown composer", "Added November 2026".
fn group_label(arrange: Arrangement, value: Option<String>) -> String {
    let Some(value) = value else {
        return match arrange {
            Arrangement::Title => "#",
            Arrangement::Work => "No film, game or show",
            Arrangement::Composer => "Unknown composer",
            Arrangement::Label => "Unknown label",
            Arrangement::Year => "Unknown year",
            Arrangement::Added => "Unknown date",
        }
        .to_string();
    };
    if arrange != Arrangement::Added {
        return value;
    }
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = value
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)));
    match month {
        Some(month) => format!("Added {month} {}", &value[..4]),
        None => value,
    }
}
