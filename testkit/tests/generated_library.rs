//! A small generated library is complete, tagged, deterministic and reused on re-runs.
//! Skips (with a message) when the corpus is unavailable.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use lofty::file::TaggedFileExt;
use lofty::tag::Accessor;

fn corpus() -> Option<PathBuf> {
    let corpus = cuebook_testkit::corpus_dir();
    if corpus.is_none() {
        eprintln!("skipping: the audio corpus is unavailable");
    }
    corpus
}

/// Every file below `dir` (relative paths), stamp files excluded.
fn audio_files(dir: &Path) -> BTreeSet<PathBuf> {
    let mut files = BTreeSet::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).expect("readable folder") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                files.insert(path.strip_prefix(dir).expect("below dir").to_path_buf());
            }
        }
    }
    files
}

#[test]
fn generating_300_files_gives_readable_tagged_files_of_several_formats() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("library");
    let reported = Cell::new(0);
    let stats =
        cuebook_testkit::generate_library(&corpus, &out, 300, 11, &|done| reported.set(done))
            .expect("generation succeeds");
    assert_eq!(stats.files, 300, "exactly the requested number of files");
    assert!(!stats.reused, "a fresh folder is generated, not reused");
    assert_eq!(reported.get(), 300, "progress ends at the total");

    let files = audio_files(&out);
    assert_eq!(files.len(), 300, "every planned file is on disk");
    let mut extensions = BTreeSet::new();
    let mut albums = BTreeSet::new();
    for relative in &files {
        let path = out.join(relative);
        let file =
            lofty::read_from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let tag = file
            .primary_tag()
            .unwrap_or_else(|| panic!("{}: no tag", path.display()));
        let at = path.display();
        assert!(tag.title().is_some_and(|t| !t.is_empty()), "{at}: a title");
        assert!(
            tag.artist().is_some_and(|a| !a.is_empty()),
            "{at}: an artist"
        );
        let album = tag.album().unwrap_or_else(|| panic!("{at}: an album"));
        assert!(tag.track().is_some_and(|n| n >= 1), "{at}: a track number");
        assert!(tag.genre().is_some(), "{at}: a genre from the work's kind");
        albums.insert(album.into_owned());
        extensions.insert(
            relative
                .extension()
                .expect("extension")
                .to_string_lossy()
                .into_owned(),
        );
    }
    assert!(
        extensions.len() >= 3,
        "300 files span several formats: {extensions:?}"
    );
    assert!(
        albums.len() >= 300 / 80,
        "files are grouped into albums: {}",
        albums.len()
    );
}

#[test]
fn the_same_seed_gives_the_same_library_and_a_re_run_reuses_it() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let first = dir.path().join("first");
    let second = dir.path().join("second");
    let ignore = |_| {};
    cuebook_testkit::generate_library(&corpus, &first, 120, 5, &ignore).expect("first");
    cuebook_testkit::generate_library(&corpus, &second, 120, 5, &ignore).expect("second");
    let files = audio_files(&first);
    assert_eq!(
        files,
        audio_files(&second),
        "the same seed gives the same paths"
    );
    for relative in &files {
        assert_eq!(
            fs::read(first.join(relative)).expect("read"),
            fs::read(second.join(relative)).expect("read"),
            "{}: the same seed gives the same bytes",
            relative.display()
        );
    }
    let again = cuebook_testkit::generate_library(&corpus, &first, 120, 5, &ignore).expect("again");
    assert!(again.reused, "a matching library is reused, not rewritten");
    let other =
        cuebook_testkit::generate_library(&corpus, &first, 120, 6, &ignore).expect("other seed");
    assert!(!other.reused, "another seed replaces the library");
    assert_ne!(
        audio_files(&first),
        files,
        "another seed gives another library"
    );
}

#[test]
fn a_folder_with_foreign_files_is_never_replaced() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("song.mp3"), b"not ours").expect("write");
    let error = cuebook_testkit::generate_library(&corpus, dir.path(), 10, 1, &|_| {})
        .expect_err("someone's folder must not be deleted");
    assert!(
        error
            .to_string()
            .contains(&dir.path().display().to_string()),
        "the message names the folder: {error}"
    );
    assert!(
        dir.path().join("song.mp3").exists(),
        "the foreign file survives"
    );
}
