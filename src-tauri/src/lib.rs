//! The desktop shell: Tauri commands that each call one function of the `cuebook` core.
//!
//! Invariants: commands hold no logic beyond argument plumbing (the core owns behaviour); every
//! command that touches the disk is async so the window never freezes; state holds cheap handles
//! only (the `Library` is two paths; connections are opened per call).

mod commands;

use serde::Serialize;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use cuebook::catalog::CatalogError;
use cuebook::search::SearchError;
use cuebook::Library;

/// A failed command as the UI sees it (`ui/src/lib/api/types.ts` mirrors it).
#[derive(Debug, Serialize, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
}

/// What the UI branches on.
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

impl From<SearchError> for CommandError {
    fn from(e: SearchError) -> Self {
        let code = match e {
            SearchError::Query(_) => ErrorCode::BadQuery,
            _ => ErrorCode::Catalog,
        };
        CommandError {
            code,
            message: e.to_string(),
        }
    }
}

/// What the app keeps between commands: cheap handles only.
pub struct AppState {
    pub library: Library,
    /// Set to stop the running scan.
    pub scan_cancel: Arc<AtomicBool>,
}

impl From<CatalogError> for CommandError {
    fn from(e: CatalogError) -> Self {
        let code = match e {
            CatalogError::NoSuchRoot(_) | CatalogError::NoSuchAlbum(_) => ErrorCode::NotFound,
            CatalogError::RootExists(_)
            | CatalogError::NotAFolder(_)
            | CatalogError::Unreadable(..)
            | CatalogError::RootInside(..)
            | CatalogError::RootContains(..) => ErrorCode::BadFolder,
            _ => ErrorCode::Catalog,
        };
        CommandError {
            code,
            message: e.to_string(),
        }
    }
}

/// The catalog the app opens: `CUEBOOK_DB` when set, else the platform data folder.
///
/// # Errors
/// When there is no data folder or the catalog cannot be opened.
pub fn open_library() -> Result<Library, String> {
    let path = std::env::var_os("CUEBOOK_DB")
        .map(std::path::PathBuf::from)
        .or_else(Library::default_db_path)
        .ok_or("no data folder on this system; set CUEBOOK_DB")?;
    Library::open(&path).map_err(|e| e.to_string())
}

/// Starts the app.
pub fn run() {
    let library = match open_library() {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cuebook: {e}");
            std::process::exit(1);
        }
    };
    let result = tauri::Builder::default()
        .manage(AppState {
            library,
            scan_cancel: Arc::default(),
        })
        .invoke_handler(tauri::generate_handler![
            commands::search_tracks,
            commands::catalog_roots,
            commands::catalog_add_root,
            commands::catalog_remove_root,
            commands::catalog_scan,
            commands::catalog_cancel_scan,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("cuebook: the window could not be opened: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cuebook::search;

    #[test]
    fn a_bad_query_is_a_bad_query_error_with_the_parser_message() {
        let dir = std::env::temp_dir().join(format!("cuebook-desktop-{}", std::process::id()));
        let lib = Library::open(dir.join("library.sqlite")).expect("a new library opens");
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
        let _ = std::fs::remove_dir_all(dir); // a leftover temp folder is harmless
    }

    #[test]
    fn track_pages_serialize_with_the_field_names_the_ui_declares() {
        let ui_types = include_str!("../../ui/src/lib/api/types.ts");
        let dir = std::env::temp_dir().join(format!("cuebook-desktop-t-{}", std::process::id()));
        let lib = Library::open(dir.join("library.sqlite")).expect("a new library opens");
        let page = search::search_tracks(&lib, "", 10, 0).expect("an empty library searches");
        let json = serde_json::to_value(&page).expect("pages serialize");
        for field in json.as_object().expect("an object").keys() {
            assert!(
                ui_types.contains(&format!("  {field}:")),
                "TrackPage.{field} in types.ts"
            );
        }
        let row = cuebook::db::tracks::TrackRow {
            id: 1,
            title: None,
            artists: vec![],
            composers: vec![],
            album_id: None,
            album: None,
            work: None,
            disc_no: None,
            track_no: None,
            year: None,
            duration_ms: None,
            format: "flac".into(),
            codec: None,
            sample_rate: None,
            bit_depth: None,
            channels: None,
            bitrate: None,
            path: "/m/a.flac".into(),
            missing_since: None,
        };
        let json = serde_json::to_value(&row).expect("rows serialize");
        for field in json.as_object().expect("an object").keys() {
            assert!(
                ui_types.contains(&format!("  {field}:")),
                "TrackRow.{field} in types.ts"
            );
        }
        let _ = std::fs::remove_dir_all(dir); // a leftover temp folder is harmless
    }
}
