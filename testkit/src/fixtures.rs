//! Where tests find the corpus and the shared reference collection, fetching and building
//! them on first use.
//!
//! Paths are derived from this crate's location: the repository root is the parent of the
//! testkit folder, `shared/` sits next to the repository, and everything built goes under
//! `<repo>/target`. Results are cached per process; across processes the build lock of
//! [`crate::install`] makes concurrent callers wait for a single build.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::install;
use crate::reference::{build_reference_collection, Reference};

/// Environment variable naming a corpus folder to use (or fetch into) instead of
/// `<repo>/target/corpus`.
pub const CORPUS_ENV: &str = "CUEBOOK_CORPUS";

fn repo_root() -> PathBuf {
    let testkit = Path::new(env!("CARGO_MANIFEST_DIR"));
    testkit.parent().unwrap_or(testkit).to_path_buf()
}

/// The team's shared folder (`../shared` from the repository root), if it exists.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = repo_root().join("..").join("shared");
    dir.is_dir().then(|| dir.canonicalize().unwrap_or(dir))
}

/// The audio corpus for tests, fetched on first use; `None` when it is unavailable (the
/// reason is printed to stderr, and callers should skip with a message of their own).
///
/// Uses `$CUEBOOK_CORPUS` if set, else `<repo>/target/corpus`. If that folder has no
/// `MANIFEST.tsv`, runs `shared/corpus/fetch.sh` into it, which needs the network to the
/// package registries.
pub fn corpus_dir() -> Option<PathBuf> {
    static CORPUS: OnceLock<Option<PathBuf>> = OnceLock::new();
    CORPUS.get_or_init(locate_corpus).clone()
}

fn has_manifest(dir: &Path) -> bool {
    dir.join("MANIFEST.tsv").is_file()
}

fn locate_corpus() -> Option<PathBuf> {
    let dir = match env::var_os(CORPUS_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => repo_root().join("target").join("corpus"),
    };
    if has_manifest(&dir) {
        return Some(dir);
    }
    let Some(script) = shared_dir()
        .map(|shared| shared.join("corpus").join("fetch.sh"))
        .filter(|script| script.is_file())
    else {
        eprintln!(
            "cuebook-testkit: no corpus at {} and no shared/corpus/fetch.sh to fetch one",
            dir.display()
        );
        return None;
    };
    let dir = match install::absolute(&dir) {
        Ok(dir) => dir,
        Err(error) => {
            eprintln!("cuebook-testkit: {error:#}");
            return None;
        }
    };
    // Parallel test processes would otherwise all download the same packages.
    let _lock = match install::lock_output(&dir) {
        Ok(lock) => lock,
        Err(error) => {
            eprintln!("cuebook-testkit: {error:#}");
            return None;
        }
    };
    if has_manifest(&dir) {
        return Some(dir);
    }
    eprintln!(
        "cuebook-testkit: fetching the audio corpus into {} with {}",
        dir.display(),
        script.display()
    );
    match Command::new("bash").arg(&script).arg(&dir).status() {
        Ok(status) if status.success() && has_manifest(&dir) => Some(dir),
        Ok(status) => {
            eprintln!("cuebook-testkit: {} failed ({status})", script.display());
            None
        }
        Err(error) => {
            eprintln!("cuebook-testkit: cannot run {}: {error}", script.display());
            None
        }
    }
}

/// The reference collection of `shared/library/soundtracks.json`, built (once) into
/// `<repo>/target/fixtures/reference`; `None` when the corpus or the spec is unavailable.
///
/// Safe to call from many test threads and processes at once. Treat the files as
/// read-only: copy them before writing tags, or the next caller rebuilds the collection.
pub fn reference_collection() -> Option<anyhow::Result<Reference>> {
    static BUILT: OnceLock<Result<Reference, String>> = OnceLock::new();
    let corpus = corpus_dir()?;
    let spec = shared_dir()?.join("library").join("soundtracks.json");
    if !spec.is_file() {
        eprintln!("cuebook-testkit: no collection spec at {}", spec.display());
        return None;
    }
    let out = repo_root()
        .join("target")
        .join("fixtures")
        .join("reference");
    let built = BUILT.get_or_init(|| {
        build_reference_collection(&corpus, &spec, &out).map_err(|error| format!("{error:#}"))
    });
    Some(built.clone().map_err(anyhow::Error::msg))
}
