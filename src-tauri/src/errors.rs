//! The one error shape the window sees: `{ code, message }` (mirrored by `CommandError` in
//! `ui/src/lib/api/types.ts`). A code exists only where the UI branches on it.

use serde::Serialize;

use cuebook::catalog::CatalogError;
use cuebook::db::DbError;
use cuebook::preview::PreviewError;
use cuebook::search::SearchError;

#[derive(Debug, Serialize, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadQuery,
    /// A folder that cannot be added: missing, not a folder, unreadable, already in or inside one.
    BadFolder,
    NotFound,
    Catalog,
    Playback,
}

impl CommandError {
    fn new(code: ErrorCode, e: impl ToString) -> Self {
        CommandError {
            code,
            message: e.to_string(),
        }
    }
}

impl From<SearchError> for CommandError {
    fn from(e: SearchError) -> Self {
        let code = match e {
            SearchError::Query(_) => ErrorCode::BadQuery,
            _ => ErrorCode::Catalog,
        };
        Self::new(code, e)
    }
}

impl From<CatalogError> for CommandError {
    fn from(e: CatalogError) -> Self {
        let code = match e {
            CatalogError::NoSuchRoot(_)
            | CatalogError::NoSuchAlbum(_)
            | CatalogError::NoSuchTrack(_) => ErrorCode::NotFound,
            CatalogError::RootExists(_)
            | CatalogError::NotAFolder(_)
            | CatalogError::Unreadable(..)
            | CatalogError::RootInside(..)
            | CatalogError::RootContains(..) => ErrorCode::BadFolder,
            _ => ErrorCode::Catalog,
        };
        Self::new(code, e)
    }
}

impl From<PreviewError> for CommandError {
    fn from(e: PreviewError) -> Self {
        Self::new(ErrorCode::Playback, e)
    }
}

impl From<DbError> for CommandError {
    fn from(e: DbError) -> Self {
        Self::new(ErrorCode::Catalog, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cuebook::{search, Library};

    #[test]
    fn a_bad_query_is_a_bad_query_error_with_the_parser_message() {
        let dir = tempfile::tempdir().expect("a temp folder");
        let lib = Library::open(dir.path().join("library.sqlite")).expect("a new library opens");
        let err: CommandError = search::search_tracks(&lib, "year:abc", 10, 0)
            .expect_err("year:abc is not a year")
            .into();
        assert_eq!(err.code, ErrorCode::BadQuery);
        assert!(err.message.contains("year"), "{}", err.message);
        let json = serde_json::to_value(&err).expect("errors serialize");
        assert_eq!(
            json["code"], "bad_query",
            "the UI branches on this spelling"
        );
    }

    #[test]
    fn an_unknown_track_is_not_found() {
        let dir = tempfile::tempdir().expect("a temp folder");
        let lib = Library::open(dir.path().join("library.sqlite")).expect("a new library opens");
        let err: CommandError = cuebook::catalog::track(&lib, 42)
            .expect_err("an empty library has no track 42")
            .into();
        assert_eq!(err.code, ErrorCode::NotFound, "{}", err.message);
    }
}
