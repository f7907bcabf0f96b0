//! The one error shape the window sees: `{ code, message }` (mirrored by `CommandError` in
//! `ui/src/lib/api/types.ts`). A code exists only where the UI branches on it.

use serde::Serialize;

use cuebook::annotate::backup::BackupError;
use cuebook::annotate::AnnotateError;
use cuebook::articles::fetch::FetchError;
use cuebook::articles::ArticlesError;
use cuebook::catalog::CatalogError;
use cuebook::db::DbError;
use cuebook::lists::ListError;
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
    /// An annotation that cannot be stored as given: a bad tag name, rating, field value, note.
    BadAnnotation,
    /// A backup that cannot be written or read.
    Backup,
    /// A list, entry or placeholder that cannot be stored as given (a bad name, a note too long,
    /// entries of a smart list).
    BadList,
    /// An export that cannot be written or an import that cannot be read.
    Transfer,
    /// An export or import the user cancelled.
    Cancelled,
    /// An article that cannot be imported as given (missing, binary, too large, no text) or a
    /// rating, note or tag it cannot take.
    BadArticle,
    /// A web page that could not be fetched (not http/https, a network error, an error status,
    /// too large, too slow).
    Fetch,
}

impl CommandError {
    fn new(code: ErrorCode, e: impl ToString) -> Self {
        CommandError {
            code,
            message: e.to_string(),
        }
    }

    pub fn bad_annotation(message: impl ToString) -> Self {
        Self::new(ErrorCode::BadAnnotation, message)
    }

    pub fn transfer(message: impl ToString) -> Self {
        Self::new(ErrorCode::Transfer, message)
    }
}

impl From<ListError> for CommandError {
    fn from(e: ListError) -> Self {
        let e = match e {
            ListError::Annotate(a) => return a.into(),
            e => e,
        };
        let code = match &e {
            ListError::NoSuchList(_) | ListError::NoSuchEntry(_) => ErrorCode::NotFound,
            ListError::Db(_) | ListError::Sql(_) => ErrorCode::Catalog,
            ListError::Query(SearchError::Query(_)) => ErrorCode::BadQuery,
            ListError::Query(_) => ErrorCode::Catalog,
            ListError::Cancelled => ErrorCode::Cancelled,
            ListError::Read(..) | ListError::Write(..) | ListError::Import(..) => {
                ErrorCode::Transfer
            }
            _ => ErrorCode::BadList,
        };
        Self::new(code, e)
    }
}

impl From<ArticlesError> for CommandError {
    fn from(e: ArticlesError) -> Self {
        let e = match e {
            ArticlesError::Annotate(a) => return a.into(),
            ArticlesError::List(l) => return l.into(),
            e => e,
        };
        let code = match &e {
            ArticlesError::NoSuchArticle(_) | ArticlesError::NoSuchLink(_) => ErrorCode::NotFound,
            ArticlesError::Db(_) | ArticlesError::Sql(_) => ErrorCode::Catalog,
            ArticlesError::Fetch(FetchError::Cancelled { .. }) => ErrorCode::Cancelled,
            ArticlesError::Fetch(_) => ErrorCode::Fetch,
            _ => ErrorCode::BadArticle,
        };
        Self::new(code, e)
    }
}

impl From<AnnotateError> for CommandError {
    fn from(e: AnnotateError) -> Self {
        let code = match e {
            AnnotateError::NoSuchAlbum(_)
            | AnnotateError::NoSuchTrack(_)
            | AnnotateError::NoSuchWork(_)
            | AnnotateError::NoSuchSubject(_)
            | AnnotateError::NoSuchCueNote(_)
            | AnnotateError::NoSuchTag(_) => ErrorCode::NotFound,
            AnnotateError::Db(_) | AnnotateError::Sql(_) => ErrorCode::Catalog,
            _ => ErrorCode::BadAnnotation,
        };
        Self::new(code, e)
    }
}

impl From<BackupError> for CommandError {
    fn from(e: BackupError) -> Self {
        let code = match e {
            BackupError::Db(_) | BackupError::Sql(_) => ErrorCode::Catalog,
            _ => ErrorCode::Backup,
        };
        Self::new(code, e)
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
    fn annotation_errors_say_what_the_ui_branches_on() {
        let dir = tempfile::tempdir().expect("a temp folder");
        let lib = Library::open(dir.path().join("library.sqlite")).expect("a new library opens");
        let err: CommandError = cuebook::annotate::rate(&lib, &[], Some(9))
            .expect_err("nine stars is not a rating")
            .into();
        assert_eq!(err.code, ErrorCode::BadAnnotation, "{}", err.message);
        let err: CommandError = cuebook::annotate::delete_tag(&lib, "nothing")
            .expect_err("no such tag")
            .into();
        assert_eq!(err.code, ErrorCode::NotFound, "{}", err.message);
        let missing = dir.path().join("no-backup.json");
        let err: CommandError = cuebook::annotate::backup::restore(&lib, &missing)
            .expect_err("no such file")
            .into();
        assert_eq!(err.code, ErrorCode::Backup);
        assert!(
            err.message.contains("no-backup.json"),
            "the file is named: {}",
            err.message
        );
    }

    #[test]
    fn article_errors_say_what_the_ui_branches_on() {
        use cuebook::articles::{self, Source};
        use std::sync::atomic::AtomicBool;
        let dir = tempfile::tempdir().expect("a temp folder");
        let lib = Library::open(dir.path().join("library.sqlite")).expect("a new library opens");
        let cancel = AtomicBool::new(false);
        let missing = dir.path().join("no-article.md");
        let err: CommandError = articles::import(&lib, Source::File(&missing), &cancel)
            .expect_err("no such file")
            .into();
        assert_eq!(err.code, ErrorCode::BadArticle, "{}", err.message);
        assert!(err.message.contains("no-article.md"), "{}", err.message);
        let err: CommandError = articles::import(&lib, Source::Url("ftp://example.org/a"), &cancel)
            .expect_err("ftp is no web address")
            .into();
        assert_eq!(err.code, ErrorCode::Fetch, "{}", err.message);
        let cancelled = AtomicBool::new(true);
        let err: CommandError =
            articles::import(&lib, Source::Url("http://127.0.0.1:9/a"), &cancelled)
                .expect_err("a cancelled download")
                .into();
        assert_eq!(err.code, ErrorCode::Cancelled, "{}", err.message);
        let err: CommandError = articles::get(&lib, 42).expect_err("no article 42").into();
        assert_eq!(err.code, ErrorCode::NotFound);
        let json = serde_json::to_value(ErrorCode::BadArticle).unwrap();
        assert_eq!(json, "bad_article", "the UI branches on this spelling");
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
