//! Tag write-back on real files of every format: only the requested fields change while the audio,
//! every other tag item and the permissions stay; stale previews, a crash before the rename,
//! read-only folders and files, and broken files all leave the original untouched with an error
//! that names it.

mod common;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use cuebook::annotate::writeback::{self, Change, Field, WriteBackError};
use cuebook::catalog::content_id;
use cuebook::catalog::tags::{read_content, sniff, Sniffed, TrackTags};
use lofty::config::WriteOptions;
use lofty::file::{FileType, TaggedFileExt};
use lofty::prelude::Accessor;
use lofty::tag::{ItemKey, TagExt, TagItem};

/// Files from the corpus whose tags are richer than the reference's (pictures, ReplayGain,
/// MusicBrainz ids, iTunes comments, comment languages lofty cannot write), in formats and
/// variants the reference lacks: ID3v2.3, FLAC without padding, ALAC, APE,
/// Musepack, AIFF.
const RICH_CORPUS_FILES: &[&str] = &[
    "beets/full.mp3",
    "beets/image.mp3",
    "mutagen/silence-44-s.mp3",
    "beets/whitenoise.flac",
    "beets/full.flac",
    "beets/image.flac",
    "beets/full.ogg",
    "beets/image.ogg",
    "beets/full.opus",
    "beets/full.m4a",
    "beets/image.m4a",
    "beets/full.alac.m4a",
    "beets/full.wv",
    "beets/full.ape",
    "beets/full.mpc",
    "beets/full.aiff",
];

/// Formats every run must cover, so that a shrinking sample set fails instead of passing.
const REQUIRED_FORMATS: &[&str] = &["mp3", "flac", "ogg", "opus", "m4a", "wv", "wav"];

struct Sample {
    /// Where it comes from, for assertion messages.
    label: String,
    path: PathBuf,
}

/// One reference file per format, then the rich corpus files; `None` (with a SKIPPED message)
/// when the test data is not available.
fn samples(test: &str) -> Option<Vec<Sample>> {
    let reference = common::reference(test)?;
    let corpus = common::corpus(test)?;
    let mut by_format: BTreeMap<String, PathBuf> = BTreeMap::new();
    for (_, track) in reference.tracks() {
        by_format
            .entry(track.format.clone())
            .or_insert_with(|| track.path.clone());
    }
    for format in REQUIRED_FORMATS {
        assert!(
            by_format.contains_key(*format),
            "the reference collection has a .{format} file to write back to"
        );
    }
    let mut samples: Vec<Sample> = by_format
        .into_iter()
        .map(|(format, path)| Sample {
            label: format!("reference .{format} ({})", path.display()),
            path,
        })
        .collect();
    for rel in RICH_CORPUS_FILES {
        let path = corpus.join(rel);
        assert!(path.is_file(), "the pinned corpus has {rel}");
        samples.push(Sample {
            label: format!("corpus {rel}"),
            path,
        });
    }
    Some(samples)
}

/// Copies `from` into `dir` under a plain name with the same extension.
fn copy_into(dir: &Path, from: &Path, stem: &str) -> PathBuf {
    let name = match from.file_name().and_then(|n| n.to_str()) {
        Some(n) if n.ends_with(".alac.m4a") => format!("{stem}.alac.m4a"),
        _ => format!(
            "{stem}.{}",
            from.extension().and_then(|e| e.to_str()).unwrap_or("bin")
        ),
    };
    let to = dir.join(name);
    fs::copy(from, &to).unwrap_or_else(|e| panic!("copying {} failed: {e}", from.display()));
    fs::set_permissions(&to, fs::Permissions::from_mode(0o644)).unwrap();
    to
}

fn file_type(path: &Path) -> FileType {
    let mut file = File::open(path).unwrap();
    match sniff(&mut file).unwrap() {
        Sniffed::Audio(file_type) => file_type,
        other => panic!("{} sniffs as audio, not {other:?}", path.display()),
    }
}

/// What a rescan would read from the file.
fn track_tags(path: &Path) -> TrackTags {
    let mut file = File::open(path).unwrap();
    read_content(&mut file, file_type(path))
        .unwrap_or_else(|e| panic!("the catalog reads {}: {e}", path.display()))
        .tags
}

fn audio_id(path: &Path) -> String {
    content_id(&mut File::open(path).unwrap(), Some(file_type(path))).unwrap()
}

/// Every item and picture of every tag lofty reads in the file, except those `skip` names,
/// as sorted text (writing may reorder items).
fn tag_items(path: &Path, skip: &dyn Fn(&TagItem) -> bool) -> Vec<String> {
    let tagged = lofty::read_from_path(path)
        .unwrap_or_else(|e| panic!("lofty reads {}: {e}", path.display()));
    let mut items = Vec::new();
    for tag in tagged.tags() {
        for item in tag.items().filter(|item| !skip(item)) {
            // lofty cannot write a language that is not three letters ("\0\0\0" in some
            // files); write-back documents that it stores those as "XXX", unknown.
            let language = if item.lang().iter().all(u8::is_ascii_alphabetic) {
                *item.lang()
            } else {
                *b"XXX"
            };
            items.push(format!(
                "{:?} {:?} = {:?} (description {:?}, language {:?})",
                tag.tag_type(),
                item.key(),
                item.value(),
                item.description(),
                String::from_utf8_lossy(&language)
            ));
        }
        for picture in tag.pictures() {
            items.push(format!(
                "{:?} picture {:?} {:?} {:?} {}",
                tag.tag_type(),
                picture.pic_type(),
                picture.mime_type(),
                picture.description(),
                blake3::hash(picture.data()).to_hex()
            ));
        }
    }
    items.sort();
    items
}

/// Hidden temporary files a write-back could have left in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".cuebook-"))
        .collect()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

fn title_change(path: &Path, title: &str) -> Vec<Change> {
    writeback::plan(path, &[(Field::Title, strings(&[title]))])
        .unwrap_or_else(|e| panic!("a title change to {} can be planned: {e}", path.display()))
}

#[test]
fn writing_back_changes_only_the_requested_fields_in_every_format() {
    let Some(samples) = samples("write-back of requested fields") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let wanted: Vec<(Field, Vec<String>)> = vec![
        (Field::Title, strings(&["Write-back — Thème principal"])),
        (
            Field::Composer,
            strings(&["Ennio Morricone", "Bruno Nicolai"]),
        ),
        (
            Field::Orchestrator,
            strings(&["Orchestrator One", "Orchestrator Two"]),
        ),
        (Field::Label, strings(&["Cuebook Records"])),
        (Field::CatalogNumber, strings(&["CB-0042"])),
        (Field::Year, strings(&["1999"])),
        (Field::Comment, strings(&["written back by a test"])),
        (Field::Genre, Vec::new()),
    ];
    // Items of the requested fields, which are expected to differ afterwards.
    let requested = |item: &TagItem| -> bool {
        match item.key() {
            ItemKey::TrackTitle
            | ItemKey::Composer
            | ItemKey::Arranger
            | ItemKey::Label
            | ItemKey::Publisher
            | ItemKey::CatalogNumber
            | ItemKey::RecordingDate
            | ItemKey::Year
            | ItemKey::Genre => true,
            ItemKey::Comment => item.description().is_empty(),
            ItemKey::Unknown(name) => name.to_uppercase().ends_with("ORCHESTRATOR"),
            _ => false,
        }
    };
    for (i, sample) in samples.iter().enumerate() {
        let label = &sample.label;
        let path = copy_into(dir.path(), &sample.path, &format!("track-{i:02}"));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let tags_before = track_tags(&path);
        let items_before = tag_items(&path, &requested);
        let audio_before = audio_id(&path);

        let changes = writeback::plan(&path, &wanted)
            .unwrap_or_else(|e| panic!("{label}: the write-back can be planned: {e}"));
        assert!(
            changes.iter().any(|c| c.field == Field::Title),
            "{label}: the new title differs from the file's, so the plan lists it: {changes:?}"
        );
        writeback::apply(&path, &changes)
            .unwrap_or_else(|e| panic!("{label}: the write-back succeeds: {e}"));

        let mut expected = tags_before.clone();
        expected.title = Some("Write-back — Thème principal".into());
        expected.composers = strings(&["Ennio Morricone", "Bruno Nicolai"]);
        expected.orchestrators = strings(&["Orchestrator One", "Orchestrator Two"]);
        expected.label = Some("Cuebook Records".into());
        expected.catalog_numbers = strings(&["CB-0042"]);
        expected.date = Some("1999".into());
        expected.comment = Some("written back by a test".into());
        expected.genre = None;
        assert_eq!(
            track_tags(&path),
            expected,
            "{label}: a rescan reads the requested fields with their new values and every \
             other field as before"
        );
        assert_eq!(
            tag_items(&path, &requested),
            items_before,
            "{label}: every tag item outside the requested fields is unchanged"
        );
        assert_eq!(
            audio_id(&path),
            audio_before,
            "{label}: the audio identity survives a tag write"
        );
        assert_eq!(
            format!(
                "{:o}",
                fs::metadata(&path).unwrap().permissions().mode() & 0o7777
            ),
            "640",
            "{label}: the replaced file keeps the original's permissions"
        );
        assert_eq!(
            writeback::plan(&path, &wanted).unwrap(),
            Vec::<Change>::new(),
            "{label}: once written, the file holds what was asked, so nothing is left to change"
        );
    }
    assert_eq!(
        leftovers(dir.path()),
        Vec::<String>::new(),
        "successful write-backs leave no temporary files"
    );
}

#[test]
fn the_plan_lists_only_differing_fields_with_the_values_the_file_holds() {
    let Some(reference) = common::reference("plan of differing fields") else {
        return;
    };
    let mut seen = BTreeMap::new();
    for (album, track) in reference.tracks() {
        if seen.insert(track.format.clone(), ()).is_some() {
            continue;
        }
        let label = format!(".{} ({})", track.format, track.path.display());
        let bytes = fs::read(&track.path).unwrap();
        let wanted = vec![
            (Field::Title, vec![track.title.clone()]),
            (Field::Album, strings(&["A different album"])),
            (Field::Composer, track.composers.clone()),
            (Field::AlbumArtist, vec![album.album_artist.clone()]),
            (Field::Genre, strings(&["", album.kind.genre()])),
        ];
        let changes = writeback::plan(&track.path, &wanted)
            .unwrap_or_else(|e| panic!("{label}: the plan reads the file: {e}"));
        assert_eq!(
            changes,
            vec![Change {
                field: Field::Album,
                old: vec![album.album.clone()],
                new: strings(&["A different album"]),
            }],
            "{label}: only the album differs from what the reference wrote; title, composers, \
             album artist and genre (a blank value being no value) already match"
        );
        assert_eq!(
            fs::read(&track.path).unwrap(),
            bytes,
            "{label}: planning only reads"
        );
    }
    assert!(
        seen.len() >= REQUIRED_FORMATS.len(),
        "every reference format was planned: {seen:?}"
    );
}

#[test]
fn a_plan_made_stale_by_a_retag_is_refused_and_nothing_is_written() {
    let Some(samples) = samples("stale plan") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (i, sample) in samples.iter().enumerate() {
        let label = &sample.label;
        let path = copy_into(dir.path(), &sample.path, &format!("stale-{i:02}"));
        let changes = title_change(&path, "Title from the preview");

        // Another program retags the file after the preview was shown.
        let mut tagged = lofty::read_from_path(&path).unwrap();
        let primary = tagged.primary_tag_type();
        if tagged.tag(primary).is_none() {
            tagged.insert_tag(lofty::tag::Tag::new(primary));
        }
        let tag = tagged.tag_mut(primary).unwrap();
        tag.set_title("Title from another tagger".into());
        tag.save_to_path(&path, WriteOptions::default())
            .unwrap_or_else(|e| panic!("{label}: the test can retag the file: {e}"));
        let retagged = fs::read(&path).unwrap();

        let error = writeback::apply(&path, &changes)
            .expect_err(&format!("{label}: a plan older than the file is refused"));
        assert!(
            matches!(error, WriteBackError::Stale { .. }),
            "{label}: the refusal says the plan is stale, not {error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains("changed since the preview") && message.contains("stale-"),
            "{label}: the message names the file and says why: {message}"
        );
        assert_eq!(
            fs::read(&path).unwrap(),
            retagged,
            "{label}: the other tagger's work is left byte for byte"
        );
    }
    assert_eq!(
        leftovers(dir.path()),
        Vec::<String>::new(),
        "refused write-backs leave no temporary files"
    );
}

#[test]
fn a_crash_between_the_temp_write_and_the_rename_leaves_the_original_byte_identical() {
    let Some(samples) = samples("crash before rename") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (i, sample) in samples.iter().enumerate() {
        let label = &sample.label;
        let path = copy_into(dir.path(), &sample.path, &format!("crash-{i:02}"));
        let bytes = fs::read(&path).unwrap();
        let changes = title_change(&path, "Never written");
        let mut seen_temp = None;
        let result = writeback::apply_with(&path, &changes, &mut |temp: &Path| {
            seen_temp = Some(temp.to_path_buf());
            assert_eq!(
                temp.parent(),
                path.parent(),
                "{label}: the temporary file is in the original's folder, so the rename is atomic"
            );
            let name = temp.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                name.starts_with(".cuebook-"),
                "{label}: the temporary file is hidden from scanners: {name}"
            );
            assert_eq!(
                track_tags(temp).title.as_deref(),
                Some("Never written"),
                "{label}: the hook runs after the new tags are written and verified"
            );
            Err(std::io::Error::other("simulated crash"))
        });
        let error = result.expect_err(&format!("{label}: a failing hook fails the write-back"));
        assert!(
            matches!(error, WriteBackError::WriteFailed { .. })
                && error.to_string().contains("simulated crash")
                && error.to_string().contains("crash-"),
            "{label}: the error names the file and the cause: {error}"
        );
        assert!(
            seen_temp.is_some(),
            "{label}: the hook ran, so the crash happened after the temporary write"
        );
        assert_eq!(
            fs::read(&path).unwrap(),
            bytes,
            "{label}: the original is byte for byte what it was"
        );
        assert_eq!(
            leftovers(dir.path()),
            Vec::<String>::new(),
            "{label}: the temporary file is removed"
        );
    }
}

/// Runs `f` on a thread whose file accesses are checked as user `nobody` when the tests run as
/// root (who would otherwise write anywhere). The file system uid is per thread on Linux, and
/// dropping it from 0 also drops the capabilities that bypass permissions.
fn as_unprivileged<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                // SAFETY: these calls only change the calling thread's file system ids.
                unsafe {
                    if libc::geteuid() == 0 {
                        libc::setfsgid(65534);
                        libc::setfsuid(65534);
                        assert_eq!(
                            libc::setfsuid(u32::MAX) as u32,
                            65534,
                            "the thread now accesses files as nobody"
                        );
                    }
                }
                f()
            })
            .join()
            .unwrap()
    })
}

#[test]
fn a_file_in_a_read_only_folder_fails_with_a_clear_error_and_is_untouched() {
    let Some(reference) = common::reference("read-only folder") else {
        return;
    };
    let (_, track) = reference.tracks().find(|(_, t)| t.format == "mp3").unwrap();
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let folder = dir.path().join("locked");
    fs::create_dir(&folder).unwrap();
    let path = copy_into(&folder, &track.path, "track");
    // The file itself is writable: only the folder forbids creating the temporary file.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o666)).unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
    let bytes = fs::read(&path).unwrap();
    let changes = title_change(&path, "Cannot be written");

    let result = as_unprivileged(|| writeback::apply(&path, &changes));
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();

    let error = result.expect_err("a folder that cannot take a new file cannot take a write-back");
    let message = error.to_string();
    assert!(
        matches!(error, WriteBackError::WriteFailed { .. }),
        "the failure is a write failure, not {error:?}"
    );
    assert!(
        message.contains(&path.display().to_string())
            && message.contains("temporary file")
            && message.contains("ermission denied"),
        "the message names the file, the step and the cause: {message}"
    );
    assert_eq!(fs::read(&path).unwrap(), bytes, "the file is untouched");
    assert_eq!(
        leftovers(&folder),
        Vec::<String>::new(),
        "no temporary file was left"
    );
}

#[test]
fn a_read_only_file_is_refused_even_in_a_writable_folder() {
    let Some(reference) = common::reference("read-only file") else {
        return;
    };
    let (_, track) = reference
        .tracks()
        .find(|(_, t)| t.format == "flac")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let path = copy_into(dir.path(), &track.path, "protected");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let bytes = fs::read(&path).unwrap();
    let changes = title_change(&path, "Cannot be written");

    let error = as_unprivileged(|| writeback::apply(&path, &changes))
        .expect_err("a rename would bypass the file's own permissions, so it is not attempted");
    assert!(
        matches!(error, WriteBackError::ReadOnly { .. })
            && error.to_string().contains("protected.flac"),
        "the refusal names the file and says it is read-only: {error}"
    );
    assert_eq!(fs::read(&path).unwrap(), bytes, "the file is untouched");
    assert_eq!(
        format!(
            "{:o}",
            fs::metadata(&path).unwrap().permissions().mode() & 0o7777
        ),
        "444",
        "the file keeps its protection"
    );
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn a_corrupt_or_non_audio_file_gives_a_clear_error_naming_the_file() {
    let Some(corpus) = common::corpus("corrupt files") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let flac = fs::read(corpus.join("beets/full.flac")).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("notes.mp3", b"These are liner notes, not audio.\n".to_vec()),
        ("empty.ogg", Vec::new()),
        ("truncated.flac", flac[..60].to_vec()),
        // A JPEG whose bytes the sniffer takes for MPEG frames: writing an ID3v2 tag into it
        // would damage an image.
        (
            "cover.mp3",
            fs::read(corpus.join("beets/abbey.jpg")).unwrap(),
        ),
        // Its date frame is not a date: lofty reads it only by skipping the frame, so a
        // rewrite would silently drop it.
        (
            "bad-date.mp3",
            fs::read(corpus.join("beets/unparseable.mp3")).unwrap(),
        ),
    ];
    for (name, content) in cases {
        let path = dir.path().join(name);
        fs::write(&path, &content).unwrap();
        let planned = writeback::plan(&path, &[(Field::Title, strings(&["x"]))]);
        let error = planned.expect_err(&format!(
            "{name}: a file without a readable tag cannot be planned"
        ));
        assert!(
            error.to_string().contains(name),
            "{name}: the planning error names the file: {error}"
        );
        let change = Change {
            field: Field::Title,
            old: Vec::new(),
            new: strings(&["x"]),
        };
        let error = writeback::apply(&path, &[change]).expect_err(&format!(
            "{name}: a file without a readable tag is not written"
        ));
        let message = error.to_string();
        assert!(
            message.contains(name)
                && [
                    "not an audio file",
                    "empty",
                    "not a readable audio file",
                    "without loss"
                ]
                .iter()
                .any(|why| message.contains(why)),
            "{name}: the error names the file and what is wrong with it: {message}"
        );
        assert_eq!(
            fs::read(&path).unwrap(),
            content,
            "{name}: nothing was written"
        );
    }
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn writing_through_a_symlink_rewrites_the_target_and_keeps_the_link() {
    let Some(reference) = common::reference("symlink") else {
        return;
    };
    let (_, track) = reference.tracks().find(|(_, t)| t.format == "ogg").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = copy_into(dir.path(), &track.path, "real");
    let link = dir.path().join("link.ogg");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let changes = title_change(&link, "Through the link");
    writeback::apply(&link, &changes).expect("a linked file can be written back");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link, not a copy of the file"
    );
    assert_eq!(
        track_tags(&target).title.as_deref(),
        Some("Through the link"),
        "the file the link points to has the new title"
    );
}

#[test]
fn changes_naming_a_field_twice_are_refused_before_anything_is_read() {
    let change = |title: &str| Change {
        field: Field::Title,
        old: Vec::new(),
        new: strings(&[title]),
    };
    let error = writeback::apply(Path::new("/nonexistent/a.mp3"), &[change("a"), change("b")])
        .expect_err("two values for one field are ambiguous");
    assert!(
        matches!(
            error,
            WriteBackError::DuplicateField {
                field: Field::Title,
                ..
            }
        ),
        "the error names the repeated field: {error:?}"
    );
}

#[test]
fn a_change_that_another_tag_would_undo_on_rescan_is_refused() {
    let Some(corpus) = common::corpus("value kept by another tag") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // ID3v2.3 (the primary tag) and a RIFF INFO chunk both name the genre "Silence".
    let path = copy_into(
        dir.path(),
        &corpus.join("mutagen/silence-2s-PCM-44100-16-ID3v23.wav"),
        "two-tags",
    );
    assert_eq!(track_tags(&path).genre.as_deref(), Some("Silence"));
    let bytes = fs::read(&path).unwrap();
    let changes = writeback::plan(&path, &[(Field::Genre, Vec::new())]).unwrap();
    assert_eq!(
        changes,
        vec![Change {
            field: Field::Genre,
            old: strings(&["Silence"]),
            new: Vec::new(),
        }],
        "the primary tag holds the genre, so removing it is a change"
    );
    let error = writeback::apply(&path, &changes)
        .expect_err("the RIFF INFO genre would reappear on the next scan");
    let message = error.to_string();
    assert!(
        matches!(error, WriteBackError::VerifyFailed { .. })
            && message.contains("two-tags.wav")
            && message.contains("rescan would read the genre"),
        "the refusal names the file and says what a rescan would show: {message}"
    );
    assert_eq!(fs::read(&path).unwrap(), bytes, "the file is untouched");

    let changes = writeback::plan(&path, &[(Field::Genre, strings(&["Ambient"]))]).unwrap();
    writeback::apply(&path, &changes).expect("a new genre in the primary tag is read first");
    assert_eq!(
        track_tags(&path).genre.as_deref(),
        Some("Ambient"),
        "the primary tag's new genre wins over the RIFF INFO one"
    );
}
