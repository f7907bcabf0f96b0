//! Building a library folder safely: one builder at a time, atomically, reusably.
//!
//! Invariants:
//! - A folder at the output path is always complete: builds happen in a hidden sibling
//!   folder that is renamed into place only after its stamp file has been written.
//! - Builders of the same output serialise on an advisory lock file next to it
//!   (`.<name>.lock`), so concurrent test threads and processes build once and then reuse.
//! - An existing output is only ever deleted if it is empty or carries our stamp file;
//!   anything else is someone's data and makes the build fail.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::UNIX_EPOCH;

use anyhow::{bail, Context, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Identifies the code that builds libraries: a digest of this crate's version and of the
/// sources that decide what gets written. Stamps record it, so any change to the builders
/// invalidates older builds without anyone having to remember to bump a version.
pub(crate) fn builder_digest() -> &'static str {
    static DIGEST: OnceLock<String> = OnceLock::new();
    DIGEST.get_or_init(|| {
        let mut hasher = blake3::Hasher::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        for source in [
            include_str!("corpus.rs"),
            include_str!("format.rs"),
            include_str!("generate.rs"),
            include_str!("layout.rs"),
            include_str!("reference.rs"),
            include_str!("rng.rs"),
            include_str!("tags.rs"),
            include_str!("vocabulary.rs"),
        ] {
            hasher.update(source.as_bytes());
        }
        hasher.finalize().to_hex().to_string()
    })
}

/// Makes `path` absolute without requiring it to exist.
pub(crate) fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).with_context(|| format!("cannot make {} absolute", path.display()))
}

/// `(parent, file name)` of an absolute output path.
fn split(out: &Path) -> Result<(&Path, String)> {
    match (out.parent(), out.file_name()) {
        (Some(parent), Some(name)) => Ok((parent, name.to_string_lossy().into_owned())),
        _ => bail!("{} cannot be used as an output folder", out.display()),
    }
}

/// An exclusive lock on building one output folder, released on drop.
pub(crate) struct BuildLock {
    _file: File,
}

/// Blocks until no other thread or process is building `out`.
pub(crate) fn lock_output(out: &Path) -> Result<BuildLock> {
    let (parent, name) = split(out)?;
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let path = parent.join(format!(".{name}.lock"));
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    file.lock()
        .with_context(|| format!("cannot lock {}", path.display()))?;
    Ok(BuildLock { _file: file })
}

/// Reads the stamp `name` inside `out`; `None` when it is missing or unreadable, which
/// simply means "rebuild".
pub(crate) fn read_stamp<T: DeserializeOwned>(out: &Path, name: &str) -> Option<T> {
    let text = fs::read(out.join(name)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Size and modification time of a written file, to notice later edits cheaply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Fingerprint {
    pub(crate) bytes: u64,
    pub(crate) modified_ns: u128,
}

impl Fingerprint {
    pub(crate) fn of(path: &Path) -> Result<Self> {
        let metadata =
            fs::metadata(path).with_context(|| format!("cannot stat {}", path.display()))?;
        let modified = metadata
            .modified()
            .with_context(|| format!("no modification time for {}", path.display()))?;
        Ok(Fingerprint {
            bytes: metadata.len(),
            modified_ns: modified
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        })
    }
}

/// Fails unless `out` is absent, an empty folder, or a folder holding the stamp `stamp`.
pub(crate) fn ensure_replaceable(out: &Path, stamp: &str) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!(
            "{} exists and is not a folder; refusing to replace it",
            out.display()
        );
    }
    if out.join(stamp).is_file() {
        return Ok(());
    }
    let mut entries =
        fs::read_dir(out).with_context(|| format!("cannot list {}", out.display()))?;
    if entries.next().is_some() {
        bail!(
            "{} is not empty and was not built by cuebook-testkit (no {stamp}); refusing to delete it",
            out.display()
        );
    }
    Ok(())
}

/// A hidden folder next to the output where a build happens; removed on drop unless
/// committed, so failed builds leave nothing behind.
pub(crate) struct Staging {
    dir: PathBuf,
    out: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates the staging folder for `out`. The caller MUST hold the [`BuildLock`].
    pub(crate) fn new(out: &Path) -> Result<Self> {
        let (parent, name) = split(out)?;
        remove_leftovers(parent, &name)?;
        let dir = parent.join(format!(".{name}.building-{}", std::process::id()));
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Staging {
            dir,
            out: out.to_owned(),
            committed: false,
        })
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes the stamp and moves the build into place, replacing an older build.
    pub(crate) fn commit(mut self, stamp_name: &str, stamp: &impl Serialize) -> Result<()> {
        let stamp_path = self.dir.join(stamp_name);
        let text = serde_json::to_vec_pretty(stamp).context("cannot serialise the stamp")?;
        fs::write(&stamp_path, text)
            .with_context(|| format!("cannot write {}", stamp_path.display()))?;

        if self.out.exists() {
            ensure_replaceable(&self.out, stamp_name)?;
            let (parent, name) = split(&self.out)?;
            // Renaming first makes the old build vanish at once rather than file by file.
            let stale = parent.join(format!(".{name}.stale-{}", std::process::id()));
            fs::rename(&self.out, &stale).with_context(|| {
                format!("cannot move the old {} out of the way", self.out.display())
            })?;
            fs::remove_dir_all(&stale)
                .with_context(|| format!("cannot delete {}", stale.display()))?;
        }
        fs::rename(&self.dir, &self.out).with_context(|| {
            format!(
                "cannot move {} to {}",
                self.dir.display(),
                self.out.display()
            )
        })?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: a leftover is also removed by the next build of the same output.
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Deletes staging and stale folders that crashed builds of `name` left in `parent`.
/// Safe only under the build lock, which guarantees no build of `name` is running.
fn remove_leftovers(parent: &Path, name: &str) -> Result<()> {
    let building = format!(".{name}.building-");
    let stale = format!(".{name}.stale-");
    let entries =
        fs::read_dir(parent).with_context(|| format!("cannot list {}", parent.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", parent.display()))?;
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if file_name.starts_with(&building) || file_name.starts_with(&stale) {
            let path = entry.path();
            fs::remove_dir_all(&path)
                .with_context(|| format!("cannot delete the leftover {}", path.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_with_foreign_files_is_never_replaced() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("music");
        fs::create_dir(&out).expect("create");
        fs::write(out.join("song.mp3"), b"precious").expect("write");
        assert!(
            ensure_replaceable(&out, ".stamp.json").is_err(),
            "a folder we did not build may be someone's music"
        );
        fs::write(out.join(".stamp.json"), b"{}").expect("write");
        assert!(
            ensure_replaceable(&out, ".stamp.json").is_ok(),
            "a folder with our stamp is ours to replace"
        );
    }

    #[test]
    fn an_uncommitted_build_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("lib");
        let staging_dir = {
            let staging = Staging::new(&out).expect("staging");
            fs::write(staging.dir().join("x"), b"x").expect("write");
            staging.dir().to_owned()
        };
        assert!(!staging_dir.exists(), "a dropped staging folder is removed");
        assert!(!out.exists(), "nothing appears at the output path");
    }

    #[test]
    fn committing_replaces_an_older_build_atomically() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("lib");
        for generation in 1..=2 {
            let staging = Staging::new(&out).expect("staging");
            fs::write(staging.dir().join("generation"), generation.to_string()).expect("write");
            staging.commit(".stamp.json", &generation).expect("commit");
        }
        assert_eq!(
            fs::read_to_string(out.join("generation")).expect("read"),
            "2",
            "the second build replaces the first"
        );
        assert_eq!(
            read_stamp::<u32>(&out, ".stamp.json"),
            Some(2),
            "the stamp is written with the build"
        );
    }
}
