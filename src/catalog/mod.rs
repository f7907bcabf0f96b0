//! Catalog: library roots, scanning files into tracks, albums and works, covers and problems.
//!
//! The facade is a handful of functions over a [`Library`]. Scanning runs on worker threads and
//! writes through one connection; see [`scan`] for its pipeline and guarantees.

mod album;
pub mod cover;
mod identity;
mod roots;
mod scan;
mod source;
pub mod tags;
pub mod work;

use std::path::{Path, PathBuf};

pub use album::{album_key, album_title_or_folder};
pub use cover::{thumbnail_path, THUMB_SIZE};
pub use identity::content_id;
pub use roots::{add_root, list_roots, remove_root};
pub use scan::{scan, ScanReport};

use crate::db::{self, DbError};
use crate::Library;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("catalog query failed: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("{0} is not a folder")]
    NotAFolder(PathBuf),
    #[error("cannot open folder {0}: {1}")]
    Unreadable(PathBuf, std::io::Error),
    #[error("{0} is already a library folder")]
    RootExists(PathBuf),
    #[error("{0} is inside the library folder {1}")]
    RootInside(PathBuf, PathBuf),
    #[error("{0} contains the library folder {1}; remove that one first")]
    RootContains(PathBuf, PathBuf),
    #[error("{0} is not a library folder")]
    NoSuchRoot(PathBuf),
    #[error("no album matches {0:?}")]
    NoSuchAlbum(String),
    #[error("no track has id {0}")]
    NoSuchTrack(i64),
    #[error("scan worker failed: {0}")]
    Worker(String),
    #[error(transparent)]
    Annotate(#[from] crate::annotate::AnnotateError),
    #[error(transparent)]
    Lists(#[from] Box<crate::lists::ListError>),
    #[error("finding article links after the scan failed: {0}")]
    Articles(String),
}

/// A file read by the scanner, ready to be written.
#[derive(Debug, Clone)]
pub struct ScannedTrack {
    pub root_id: i64,
    pub path: PathBuf,
    pub size: i64,
    pub mtime: i64,
    pub content_id: String,
    pub tags: tags::TrackTags,
    pub props: tags::AudioProps,
    pub cover_hash: Option<String>,
}

/// An album page: the album, its credits and its tracks in disc and track order, with what the
/// collector added to the album and its work. Credits, label, edition and catalog numbers are
/// the collector's overrides where set.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AlbumPage {
    #[serde(flatten)]
    pub album: db::albums::AlbumDetail,
    pub composers: Vec<String>,
    pub conductors: Vec<String>,
    pub orchestrators: Vec<String>,
    pub performers: Vec<String>,
    /// Named apart from the album row's track count.
    #[serde(rename = "tracklist")]
    pub tracks: Vec<db::tracks::TrackRow>,
    pub annotations: crate::annotate::Annotations,
    /// The work's annotations, when the album belongs to a work.
    pub work_annotations: Option<crate::annotate::Annotations>,
}

/// Loads an album page by id.
///
/// # Errors
/// [`CatalogError::NoSuchAlbum`] when there is no such album.
pub fn album_page(lib: &Library, id: i64) -> Result<AlbumPage, CatalogError> {
    use crate::annotate::{annotations_on, Target};
    use db::albums::{credits, Credit};
    let conn = lib.reader()?;
    let album =
        db::albums::detail(&conn, id)?.ok_or_else(|| CatalogError::NoSuchAlbum(id.to_string()))?;
    let annotations = annotations_on(&conn, Target::Album(id))?;
    let work_annotations = match album.work_id {
        Some(work) => Some(annotations_on(&conn, Target::Work(work))?),
        None => None,
    };
    let f = &annotations.fields;
    let credit = |over: &Option<Vec<String>>, c: Credit| match over {
        Some(names) => Ok(names.clone()),
        None => credits(&conn, id, c),
    };
    Ok(AlbumPage {
        composers: credit(&f.composers, Credit::Composers)?,
        conductors: credit(&f.conductors, Credit::Conductors)?,
        orchestrators: credit(&f.orchestrators, Credit::Orchestrators)?,
        performers: credits(&conn, id, Credit::Performers)?,
        tracks: db::tracks::by_album(&conn, id)?,
        album,
        annotations,
        work_annotations,
    })
}

/// One track as lists show it.
///
/// # Errors
/// [`CatalogError::NoSuchTrack`] when there is no such track.
pub fn track(lib: &Library, id: i64) -> Result<db::tracks::TrackRow, CatalogError> {
    db::tracks::by_id(&lib.reader()?, id)?.ok_or(CatalogError::NoSuchTrack(id))
}

/// The system's Music folder, when it exists: what a first run offers to catalog.
pub fn music_folder() -> Option<PathBuf> {
    directories::UserDirs::new()
        .and_then(|d| d.audio_dir().map(Path::to_path_buf))
        .filter(|p| p.is_dir())
}

/// Files that could not be cataloged, with reasons.
///
/// # Errors
/// When the catalog cannot be read.
pub fn problems(lib: &Library) -> Result<Vec<db::problems::Problem>, CatalogError> {
    Ok(db::problems::list(&lib.reader()?)?)
}

/// Totals and the top groupings for `stats`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Stats {
    pub totals: db::stats::Totals,
    pub formats: Vec<db::stats::Count>,
    pub decades: Vec<db::stats::Count>,
    pub composers: Vec<db::stats::Count>,
    pub labels: Vec<db::stats::Count>,
}

/// # Errors
/// When the catalog cannot be read.
pub fn stats(lib: &Library, top: usize) -> Result<Stats, CatalogError> {
    use db::stats::{grouped, Grouping};
    let conn = lib.reader()?;
    Ok(Stats {
        totals: db::stats::totals(&conn)?,
        formats: grouped(&conn, Grouping::Format, top)?,
        decades: grouped(&conn, Grouping::Decade, 100)?,
        composers: grouped(&conn, Grouping::Composer, top)?,
        labels: grouped(&conn, Grouping::Label, top)?,
    })
}
