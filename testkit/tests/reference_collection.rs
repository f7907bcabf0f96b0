//! The reference collection built from `shared/library/soundtracks.json` matches its spec
//! on disk and in its tags. Skips (with a message) when the corpus or spec is unavailable.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use cuebook_testkit::{RefAlbum, RefTrack, Reference};
use lofty::file::{AudioFile, TaggedFileExt};
use lofty::mp4::{AtomData, AtomIdent};
use lofty::tag::{Accessor, ItemKey, Tag, TagType};

fn reference() -> Option<Reference> {
    match cuebook_testkit::reference_collection() {
        None => {
            eprintln!(
                "skipping: the audio corpus or shared/library/soundtracks.json is unavailable"
            );
            None
        }
        Some(built) => Some(built.expect("the reference collection must build")),
    }
}

/// Every file below `dir`, stamp files excluded.
fn audio_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).expect("readable folder") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn root_of(reference: &Reference) -> PathBuf {
    let album = &reference.albums[0];
    album
        .dir
        .parent()
        .and_then(Path::parent)
        .expect("artist/album below the root")
        .to_path_buf()
}

#[test]
fn the_collection_has_52_album_folders_and_171_audio_files() {
    let Some(reference) = reference() else { return };
    let root = root_of(&reference);
    assert_eq!(reference.albums.len(), 52, "the spec lists 52 albums");
    let album_dirs: BTreeSet<PathBuf> = fs::read_dir(&root)
        .expect("root")
        .flat_map(|artist| {
            fs::read_dir(artist.expect("entry").path())
                .into_iter()
                .flatten()
        })
        .map(|album| album.expect("entry").path())
        .collect();
    assert_eq!(
        album_dirs.len(),
        52,
        "one <artist>/<album> folder per album: {album_dirs:#?}"
    );
    let files = audio_files(&root);
    assert_eq!(files.len(), 171, "one file per spec track and nothing else");
    let expected: BTreeSet<PathBuf> = reference.tracks().map(|(_, t)| t.path.clone()).collect();
    assert_eq!(
        files.into_iter().collect::<BTreeSet<_>>(),
        expected,
        "files are where the Reference says"
    );
}

#[test]
fn every_track_comes_from_a_different_corpus_file() {
    let Some(reference) = reference() else { return };
    let sources: HashSet<&str> = reference.tracks().map(|(_, t)| t.source.as_str()).collect();
    assert_eq!(
        sources.len(),
        171,
        "a shared source would make two tracks sound the same"
    );
}

#[test]
fn the_formats_cover_ogg_opus_mp3_flac_m4a_wavpack_and_wav() {
    let Some(reference) = reference() else { return };
    let formats: BTreeSet<&str> = reference.tracks().map(|(_, t)| t.format.as_str()).collect();
    for format in ["ogg", "opus", "mp3", "flac", "m4a", "wv", "wav"] {
        assert!(
            formats.contains(format),
            "the scanner must meet {format}; got {formats:?}"
        );
    }
    for (_, track) in reference.tracks() {
        let ext = track.path.extension().and_then(|e| e.to_str());
        assert_eq!(
            ext,
            Some(track.format.as_str()),
            "{}: extension is the format",
            track.path.display()
        );
    }
}

#[test]
fn the_first_albums_use_the_long_real_music() {
    let Some(reference) = reference() else { return };
    let first = reference
        .album("spirited-away")
        .expect("Spirited Away is in the spec");
    for track in &first.tracks {
        assert!(
            track.source.starts_with("singularity-music/"),
            "previews need real music, {} comes from {}",
            track.title,
            track.source
        );
    }
}

#[test]
fn names_keep_their_script_and_lose_only_illegal_characters() {
    let Some(reference) = reference() else { return };
    let root = root_of(&reference);
    assert!(
        root.join("植松伸夫").is_dir(),
        "Japanese album artist folder"
    );
    assert!(
        root.join("Ludwig Göransson").is_dir(),
        "accented album artist folder"
    );
    let tron = reference.album("tron-legacy").expect("Tron: Legacy");
    assert!(
        tron.dir
            .ends_with("Daft Punk/Tron_ Legacy (Original Motion Picture Soundtrack)"),
        "':' becomes '_': {}",
        tron.dir.display()
    );
    let lit = reference
        .album("lost-in-translation")
        .expect("Lost in Translation");
    let name = lit.tracks[0]
        .path
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("01 - Intro _ Tommib."),
        "'/' becomes '_': {name}"
    );
}

#[test]
fn multi_disc_albums_use_disc_folders_for_star_wars_and_prefixes_elsewhere() {
    let Some(reference) = reference() else { return };
    let star_wars = reference.album("star-wars").expect("Star Wars");
    for track in &star_wars.tracks {
        let folder = track
            .path
            .parent()
            .and_then(Path::file_name)
            .expect("folder");
        assert_eq!(
            folder.to_string_lossy(),
            format!("Disc {}", track.disc),
            "Star Wars has disc folders"
        );
    }
    let ff7 = reference
        .album("final-fantasy-vii")
        .expect("Final Fantasy VII");
    let last = ff7.tracks.last().expect("tracks");
    let name = last
        .path
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("4-01 - One-Winged Angel."),
        "other multi-disc albums prefix the disc: {name}"
    );
    assert_eq!(
        last.path.parent(),
        Some(ff7.dir.as_path()),
        "all discs in the album folder"
    );
}

/// Reads a file's only tag; the collection writes exactly one, the format's native tag.
fn read_tag(path: &Path) -> (Tag, lofty::file::TaggedFile) {
    let file = lofty::read_from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        file.tags().len(),
        1,
        "{}: old tags are stripped, one new tag written",
        path.display()
    );
    let tag = file.primary_tag().expect("a tag").clone();
    (tag, file)
}

fn composers(path: &Path, tag: &Tag) -> Vec<String> {
    if tag.tag_type() == TagType::Mp4Ilst {
        // lofty's generic tag keeps only the first data box of an MP4 atom: read natively.
        let mut reader = fs::File::open(path).expect("open");
        let file = lofty::mp4::Mp4File::read_from(&mut reader, Default::default()).expect("mp4");
        return file
            .ilst()
            .and_then(|ilst| ilst.get(&AtomIdent::Fourcc(*b"\xa9wrt")))
            .map(|atom| {
                atom.data()
                    .filter_map(|d| match d {
                        AtomData::UTF8(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
    }
    tag.get_strings(&ItemKey::Composer)
        .flat_map(|value| value.split('\0'))
        .map(str::to_owned)
        .collect()
}

/// The generic lofty key of the release comment, which has no `ItemKey` of its own.
fn release_comment_key(tag: &Tag) -> ItemKey {
    let key = match tag.tag_type() {
        TagType::Mp4Ilst => "----:com.apple.iTunes:RELEASECOMMENT",
        TagType::Ape => "ReleaseComment",
        _ => "RELEASECOMMENT",
    };
    ItemKey::Unknown(key.to_owned())
}

fn release_comment(tag: &Tag) -> Option<String> {
    tag.get_string(&release_comment_key(tag)).map(str::to_owned)
}

fn check_track(album: &RefAlbum, track: &RefTrack) {
    let path = &track.path;
    let at = path.display();
    let (tag, file) = read_tag(path);
    let text = |key: ItemKey| tag.get_string(&key).map(str::to_owned);
    assert_eq!(
        tag.title().as_deref(),
        Some(track.title.as_str()),
        "{at}: title"
    );
    assert_eq!(
        tag.artist().as_deref(),
        Some(track.artist.as_str()),
        "{at}: track artist, else album artist"
    );
    assert_eq!(
        tag.album().as_deref(),
        Some(album.album.as_str()),
        "{at}: album"
    );
    assert_eq!(
        text(ItemKey::AlbumArtist).as_deref(),
        Some(album.album_artist.as_str()),
        "{at}: album artist"
    );
    assert_eq!(
        composers(path, &tag),
        track.composers,
        "{at}: one value per composer"
    );
    assert_eq!(text(ItemKey::Conductor), album.conductor, "{at}: conductor");
    assert_eq!(tag.track(), Some(track.n), "{at}: track number");
    assert_eq!(
        tag.track_total(),
        Some(album.tracks_on_disc(track.disc)),
        "{at}: tracks on this disc"
    );
    assert_eq!(tag.disk(), Some(track.disc), "{at}: disc number");
    assert_eq!(tag.disk_total(), Some(album.disc_count), "{at}: disc count");
    assert_eq!(text(ItemKey::Label), album.label, "{at}: label");
    assert_eq!(
        text(ItemKey::CatalogNumber),
        album.catalog_number,
        "{at}: catalog number"
    );
    assert_eq!(
        release_comment(&tag),
        album.edition,
        "{at}: the edition is the release comment"
    );
    assert_eq!(
        tag.genre().as_deref(),
        Some(album.kind.genre()),
        "{at}: genre follows the kind"
    );
    assert_eq!(
        text(ItemKey::OriginalReleaseDate),
        Some(album.work_year.to_string()),
        "{at}: the work year is the original date"
    );
    let year = text(ItemKey::RecordingDate).or_else(|| text(ItemKey::Year));
    assert_eq!(year, Some(album.year.to_string()), "{at}: release year");
    assert_eq!(
        text(ItemKey::FlagCompilation).is_some(),
        album.is_compilation(),
        "{at}: only Various Artists albums are compilations"
    );
    let written = [
        ItemKey::TrackTitle,
        ItemKey::TrackArtist,
        ItemKey::AlbumTitle,
        ItemKey::AlbumArtist,
        ItemKey::Composer,
        ItemKey::Conductor,
        ItemKey::RecordingDate,
        ItemKey::Year,
        ItemKey::OriginalReleaseDate,
        ItemKey::TrackNumber,
        ItemKey::TrackTotal,
        ItemKey::DiscNumber,
        ItemKey::DiscTotal,
        ItemKey::Label,
        ItemKey::CatalogNumber,
        ItemKey::Genre,
        ItemKey::FlagCompilation,
        // lofty reports the Vorbis vendor string, which every Vorbis comment block has.
        ItemKey::EncoderSoftware,
    ];
    for item in tag.items() {
        let key = item.key();
        assert!(
            written.contains(key) || *key == release_comment_key(&tag),
            "{at}: {key:?} is left over from the corpus file ({})",
            track.source
        );
    }
    assert_eq!(
        tag.picture_count(),
        0,
        "{at}: covers of the corpus file are stripped"
    );
    for absent in ["WORK", "CUE", "LIMITED_TO"] {
        assert!(
            tag.get_string(&ItemKey::Unknown(absent.to_owned()))
                .is_none(),
            "{at}: {absent} is the app's to set, not the tags'"
        );
    }
    assert!(
        !file.properties().duration().is_zero(),
        "{at}: the copy is still audio"
    );
}

#[test]
fn every_file_reads_back_with_the_tags_of_the_spec() {
    let Some(reference) = reference() else { return };
    for (album, track) in reference.tracks() {
        check_track(album, track);
    }
}

#[test]
fn building_again_with_the_same_inputs_reuses_the_folder() {
    let Some(reference) = reference() else { return };
    let (Some(corpus), Some(shared)) =
        (cuebook_testkit::corpus_dir(), cuebook_testkit::shared_dir())
    else {
        return;
    };
    let root = root_of(&reference);
    let stamp = root.join(cuebook_testkit::REFERENCE_STAMP);
    let before = fs::metadata(&stamp)
        .and_then(|m| m.modified())
        .expect("stamp");
    let again = cuebook_testkit::build_reference_collection(
        &corpus,
        &shared.join("library").join("soundtracks.json"),
        &root,
    )
    .expect("a second build succeeds");
    let after = fs::metadata(&stamp)
        .and_then(|m| m.modified())
        .expect("stamp");
    assert_eq!(before, after, "an up-to-date collection is not rewritten");
    assert_eq!(
        again, reference,
        "the reused collection is described the same way"
    );
}
