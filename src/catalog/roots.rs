//! Adding, removing and listing library roots.

use std::path::Path;

use super::CatalogError;
use crate::db::{self, roots::Root};
use crate::Library;

/// Adds a folder to the library. Nested roots are refused: a file must belong to one root.
///
/// # Errors
/// When the folder is missing, not a folder, already a root, or inside or around another root.
pub fn add_root(lib: &Library, path: &Path) -> Result<Root, CatalogError> {
    let path =
        std::fs::canonicalize(path).map_err(|e| CatalogError::Unreadable(path.to_path_buf(), e))?;
    if !path.is_dir() {
        return Err(CatalogError::NotAFolder(path));
    }
    std::fs::read_dir(&path).map_err(|e| CatalogError::Unreadable(path.clone(), e))?;
    let conn = lib.writer()?;
    for root in db::roots::list(&conn)? {
        if root.path == path {
            return Err(CatalogError::RootExists(path));
        }
        if path.starts_with(&root.path) {
            return Err(CatalogError::RootInside(path, root.path));
        }
        if root.path.starts_with(&path) {
            return Err(CatalogError::RootContains(path, root.path));
        }
    }
    let id = db::roots::insert(&conn, &path, db::now_secs())?;
    Ok(db::roots::list(&conn)?
        .into_iter()
        .find(|r| r.id == id)
        .expect("the root was just inserted"))
}

/// Removes a root and forgets its tracks and problems. What the collector annotated there is
/// kept: it shows as orphaned (see `annotate::orphans`) until the files come back.
///
/// # Errors
/// When the path is not a root.
pub fn remove_root(lib: &Library, path: &Path) -> Result<Root, CatalogError> {
    let conn = lib.writer()?;
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let root = db::roots::list(&conn)?
        .into_iter()
        .find(|r| r.path == canonical || r.path == path)
        .ok_or_else(|| CatalogError::NoSuchRoot(path.to_path_buf()))?;
    let tx = conn.unchecked_transaction()?;
    db::tracks::unindex_root(&tx, root.id)?;
    db::roots::delete(&tx, root.id)?;
    db::albums::prune_empty(&tx)?;
    db::works::prune_unused(&tx)?;
    db::works::prune_unused_user(&tx)?;
    tx.commit()?;
    Ok(root)
}

/// # Errors
/// When the catalog cannot be read.
pub fn list_roots(lib: &Library) -> Result<Vec<Root>, CatalogError> {
    Ok(db::roots::list(&lib.reader()?)?)
}
