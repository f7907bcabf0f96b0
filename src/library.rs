//! A library on disk: the SQLite catalog file and the folder of cached cover thumbnails beside it.
//!
//! `Library` is a cheap handle (two paths); every operation opens the connections it needs, so the
//! handle can be cloned into threads.

use std::path::{Path, PathBuf};

use crate::db::{self, DbError};

#[derive(Debug, Clone)]
pub struct Library {
    db_path: PathBuf,
    thumbs_dir: PathBuf,
}

impl Library {
    /// Opens (creating and migrating when needed) the catalog at `db_path`. Thumbnails are cached
    /// in `<db file stem>-thumbs/` next to it.
    ///
    /// # Errors
    /// When the folder cannot be created or the database cannot be opened or migrated.
    pub fn open(db_path: impl Into<PathBuf>) -> Result<Self, DbError> {
        let db_path = db_path.into();
        if let Some(parent) = db_path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| DbError::Folder(parent.to_path_buf(), e))?;
        }
        let stem = db_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "library".into());
        let thumbs_dir = db_path.with_file_name(format!("{stem}-thumbs"));
        // Opening the writer applies pragmas and migrations once, up front.
        db::open_writer(&db_path)?;
        Ok(Self {
            db_path,
            thumbs_dir,
        })
    }

    /// The default catalog location: the platform data folder (`~/.local/share/cuebook` on Linux).
    pub fn default_db_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "cuebook")
            .map(|d| d.data_dir().join("library.sqlite"))
    }

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    pub fn thumbs_dir(&self) -> &Path {
        &self.thumbs_dir
    }

    /// A read-only connection for queries.
    ///
    /// # Errors
    /// When the database cannot be opened.
    pub fn reader(&self) -> Result<rusqlite::Connection, DbError> {
        db::open_reader(&self.db_path)
    }

    /// The writer connection. Cuebook keeps one writer at a time; SQLite's busy timeout
    /// serializes the rare overlap (a CLI command while the app scans).
    ///
    /// # Errors
    /// When the database cannot be opened.
    pub fn writer(&self) -> Result<rusqlite::Connection, DbError> {
        db::open_writer(&self.db_path)
    }
}
