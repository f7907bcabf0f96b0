//! The reference collection: every album of `soundtracks.json` as a folder of tagged files.
//!
//! Owns the spec's data model ([`Reference`], [`RefAlbum`], [`RefTrack`]), the deterministic
//! choice of one distinct corpus source per track, and the build itself. Tracks are written
//! in parallel with rayon; the folder is installed atomically and reused while its stamp
//! (digests of the builder's code, the spec and the corpus manifest, and each file's size and
//! mtime) still matches.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::corpus::{self, SourceAudio};
use crate::format::AudioFormat;
use crate::install::{self, Fingerprint, Staging};
use crate::layout::{self, DiscLayout};
use crate::tags::{self, TrackTags};

/// Name of the stamp file inside a built reference collection.
pub const REFERENCE_STAMP: &str = ".cuebook-reference.json";

/// Albums laid out with one subfolder per disc; other multi-disc albums keep every disc in
/// one folder. Real collections do both, and the scanner must group either way.
const DISC_FOLDER_ALBUMS: &[&str] = &["star-wars"];

/// Album artist that marks a compilation.
pub const VARIOUS_ARTISTS: &str = "Various Artists";

/// Corpus folders holding long, real music, used for the first albums so that previews
/// and loudness analysis have something real to chew on.
const LONG_MUSIC: &[&str] = &[
    "singularity-music/",
    "hyperrogue-music/music/",
    "rrootage/stg_",
];

/// What kind of work a soundtrack belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkKind {
    Film,
    Game,
    Tv,
}

impl WorkKind {
    /// The genre tag written for albums of this kind.
    pub fn genre(self) -> &'static str {
        match self {
            WorkKind::Film => "Soundtrack",
            WorkKind::Game => "Video Game Music",
            WorkKind::Tv => "TV Soundtrack",
        }
    }
}

/// A built reference collection, as the spec describes it plus where each file went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub albums: Vec<RefAlbum>,
}

impl Reference {
    /// Every track with its album, in spec order.
    pub fn tracks(&self) -> impl Iterator<Item = (&RefAlbum, &RefTrack)> {
        self.albums
            .iter()
            .flat_map(|album| album.tracks.iter().map(move |track| (album, track)))
    }

    /// The album with the spec key `key` (`"star-wars"`).
    pub fn album(&self, key: &str) -> Option<&RefAlbum> {
        self.albums.iter().find(|album| album.key == key)
    }
}

/// One album of the spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefAlbum {
    pub key: String,
    /// The film, game or show. Not in the tags.
    pub work: String,
    /// True when the work title cannot be derived from the tags and a collector sets it.
    pub work_from_user: bool,
    /// Year of the work; written as the original date.
    pub work_year: u32,
    pub kind: WorkKind,
    pub album: String,
    pub album_artist: String,
    /// The album's composers, one entry each; empty when the spec has none.
    pub composers: Vec<String>,
    pub conductor: Option<String>,
    /// Release year of the album.
    pub year: u32,
    pub label: Option<String>,
    pub catalog_number: Option<String>,
    /// Written as the release comment.
    pub edition: Option<String>,
    /// Copies of a limited edition. Not in the tags.
    pub limited_to: Option<u32>,
    pub disc_count: u32,
    /// Absolute path of the album folder.
    pub dir: PathBuf,
    pub tracks: Vec<RefTrack>,
}

impl RefAlbum {
    /// Whether the album is tagged as a compilation (its album artist is "Various Artists").
    pub fn is_compilation(&self) -> bool {
        self.album_artist == VARIOUS_ARTISTS
    }

    /// Number of tracks of `disc` in the spec, which is the track total written for it.
    pub fn tracks_on_disc(&self, disc: u32) -> u32 {
        let count = self.tracks.iter().filter(|t| t.disc == disc).count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }
}

/// One track of the spec, and the file built for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefTrack {
    pub disc: u32,
    pub n: u32,
    pub title: String,
    /// The track artist, or else the album artist.
    pub artist: String,
    /// The track's composers, or else the album's.
    pub composers: Vec<String>,
    /// Cue number such as `1M1`. Not in the tags.
    pub cue: Option<String>,
    /// Absolute path of the built file.
    pub path: PathBuf,
    /// Format name, equal to the file's extension: ogg, opus, flac, mp3, m4a, wv or wav.
    pub format: String,
    /// Path of the source file inside the corpus.
    pub source: String,
}

#[derive(Deserialize)]
struct SpecFile {
    albums: Vec<SpecAlbum>,
}

#[derive(Deserialize)]
struct SpecAlbum {
    key: String,
    work: String,
    work_from: Option<String>,
    work_year: u32,
    kind: WorkKind,
    album: String,
    album_artist: String,
    #[serde(default)]
    composer: String,
    conductor: Option<String>,
    year: u32,
    label: Option<String>,
    catalog_number: Option<String>,
    edition: Option<String>,
    limited_to: Option<u32>,
    disc_count: Option<u32>,
    tracks: Vec<SpecTrack>,
}

#[derive(Deserialize)]
struct SpecTrack {
    n: u32,
    disc: Option<u32>,
    title: String,
    artist: Option<String>,
    composer: Option<String>,
    cue: Option<String>,
}

/// `"A; B"` to `["A", "B"]`; an empty string gives no composers.
fn split_people(list: &str) -> Vec<String> {
    list.split(';')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Parses and checks the spec, giving paths relative to the collection root.
fn parse_spec(spec: &Path, text: &[u8]) -> Result<Reference> {
    let parsed: SpecFile = serde_json::from_slice(text)
        .with_context(|| format!("cannot parse the collection spec {}", spec.display()))?;
    let mut keys = HashSet::new();
    let mut dirs = HashSet::new();
    let mut albums = Vec::with_capacity(parsed.albums.len());
    for album in parsed.albums {
        let context = |what: String| format!("{}: album {:?}: {what}", spec.display(), album.key);
        if !keys.insert(album.key.clone()) {
            bail!(context("duplicate key".into()));
        }
        let work_from_user = match album.work_from.as_deref() {
            None | Some("tags") => false,
            Some("user") => true,
            Some(other) => bail!(context(format!("unknown work_from {other:?}"))),
        };
        let disc_count = album.disc_count.unwrap_or(1);
        let dir = layout::album_dir(&album.album_artist, &album.album);
        if !dirs.insert(dir.to_string_lossy().to_lowercase()) {
            bail!(context(format!("folder {} is used twice", dir.display())));
        }
        let composers = split_people(&album.composer);
        let mut numbers = HashSet::new();
        let mut tracks = Vec::with_capacity(album.tracks.len());
        for track in album.tracks {
            let disc = track.disc.unwrap_or(1);
            if disc == 0 || disc > disc_count || track.n == 0 {
                bail!(context(format!(
                    "track {:?} has disc {disc} and number {} (disc_count {disc_count})",
                    track.title, track.n
                )));
            }
            if !numbers.insert((disc, track.n)) {
                bail!(context(format!("track {disc}-{} appears twice", track.n)));
            }
            tracks.push(RefTrack {
                disc,
                n: track.n,
                artist: track.artist.unwrap_or_else(|| album.album_artist.clone()),
                composers: track
                    .composer
                    .as_deref()
                    .map(split_people)
                    .unwrap_or_else(|| composers.clone()),
                cue: track.cue,
                title: track.title,
                path: PathBuf::new(),
                format: String::new(),
                source: String::new(),
            });
        }
        if tracks.is_empty() {
            bail!(context("has no tracks".into()));
        }
        albums.push(RefAlbum {
            key: album.key,
            work: album.work,
            work_from_user,
            work_year: album.work_year,
            kind: album.kind,
            album: album.album,
            album_artist: album.album_artist,
            composers,
            conductor: album.conductor,
            year: album.year,
            label: album.label,
            catalog_number: album.catalog_number,
            edition: album.edition,
            limited_to: album.limited_to,
            disc_count,
            dir,
            tracks,
        });
    }
    Ok(Reference { albums })
}

/// What a reusable build must match, and what it produced (paths relative to the root).
#[derive(Serialize, Deserialize)]
struct ReferenceStamp {
    /// [`install::builder_digest`] of the code that wrote it.
    builder: String,
    /// Digest of the spec's bytes and the corpus manifest.
    inputs: String,
    files: Vec<(PathBuf, Fingerprint)>,
    reference: Reference,
}

/// Builds every album of the collection spec `spec` as a folder of tagged audio files
/// under `out`, copied from the corpus at `corpus`, and describes the result.
///
/// Each track gets a different corpus file (distinct audio), chosen deterministically:
/// the long real music first, then one format per album in rotation. Layout, field names
/// and reuse rules are in the crate documentation. Re-running with the same spec and corpus
/// returns at once; otherwise an older build at `out` is replaced.
///
/// # Errors
///
/// The spec or the corpus manifest cannot be read or is malformed; the corpus is damaged
/// or has too few clean sources; `out` holds files not built here; a file cannot be tagged
/// or written. Messages name the offending path.
pub fn build_reference_collection(corpus: &Path, spec: &Path, out: &Path) -> Result<Reference> {
    let out = install::absolute(out)?;
    let spec_text = fs::read(spec)
        .with_context(|| format!("cannot read the collection spec {}", spec.display()))?;
    let plan = parse_spec(spec, &spec_text)?;
    let manifest = corpus::read_manifest(corpus)?;
    let inputs = {
        let mut hasher = blake3::Hasher::new();
        hasher.update(&spec_text);
        hasher.update(manifest.digest.as_bytes());
        hasher.finalize().to_hex().to_string()
    };

    if let Some(reference) = reuse(&out, &inputs) {
        return Ok(reference);
    }
    // Checked before locking too, so a wrong `out` fails without leaving a lock file.
    install::ensure_replaceable(&out, REFERENCE_STAMP)?;
    let _lock = install::lock_output(&out)?;
    // Another builder may have finished while this one waited for the lock.
    if let Some(reference) = reuse(&out, &inputs) {
        return Ok(reference);
    }
    install::ensure_replaceable(&out, REFERENCE_STAMP)?;

    let (sources, _rejected) = corpus::load_sources(corpus, &manifest, None)?;
    let mut reference = plan;
    assign_sources(&mut reference, &sources)
        .with_context(|| format!("cannot pick sources from the corpus {}", corpus.display()))?;

    let staging = Staging::new(&out)?;
    let files = write_collection(&reference, &sources, staging.dir())?;
    let stamp = ReferenceStamp {
        builder: install::builder_digest().to_owned(),
        inputs,
        files,
        reference: reference.clone(),
    };
    staging.commit(REFERENCE_STAMP, &stamp)?;
    Ok(rooted(reference, &out))
}

/// The stamped build at `out`, if it matches `inputs` and no file has changed since.
fn reuse(out: &Path, inputs: &str) -> Option<Reference> {
    let stamp: ReferenceStamp = install::read_stamp(out, REFERENCE_STAMP)?;
    if stamp.builder != install::builder_digest() || stamp.inputs != inputs {
        return None;
    }
    let intact = stamp
        .files
        .iter()
        .all(|(path, print)| Fingerprint::of(&out.join(path)).ok().as_ref() == Some(print));
    intact.then(|| rooted(stamp.reference, out))
}

/// Turns root-relative paths into absolute ones under `root`.
fn rooted(mut reference: Reference, root: &Path) -> Reference {
    for album in &mut reference.albums {
        album.dir = root.join(&album.dir);
        for track in &mut album.tracks {
            track.path = root.join(&track.path);
        }
    }
    reference
}

/// Gives every track a distinct source and its relative path.
fn assign_sources(reference: &mut Reference, sources: &[SourceAudio]) -> Result<()> {
    let needed: usize = reference.albums.iter().map(|a| a.tracks.len()).sum();
    if sources.len() < needed {
        bail!(
            "the corpus has {} clean, distinct audio files but the spec needs {needed}",
            sources.len()
        );
    }

    let mut long: VecDeque<usize> = LONG_MUSIC
        .iter()
        .flat_map(|prefix| {
            sources
                .iter()
                .enumerate()
                .filter(move |(_, s)| s.path.starts_with(prefix) && s.format == AudioFormat::Ogg)
        })
        .map(|(index, _)| index)
        .collect();
    let long_set: HashSet<usize> = long.iter().copied().collect();
    let mut by_format: HashMap<AudioFormat, VecDeque<usize>> = HashMap::new();
    for (index, source) in sources.iter().enumerate() {
        if !long_set.contains(&index) {
            by_format.entry(source.format).or_default().push_back(index);
        }
    }
    for queue in by_format.values_mut() {
        // Longest first, so the best remaining audio goes to the earlier albums.
        queue.make_contiguous().sort_by(|&a, &b| {
            sources[b]
                .duration
                .cmp(&sources[a].duration)
                .then(a.cmp(&b))
        });
    }

    let mut rotation = 0;
    for album in &mut reference.albums {
        let count = album.tracks.len();
        let mut picks: Vec<usize> = if long.len() >= count {
            long.drain(..count).collect()
        } else {
            take_one_format(&mut by_format, &mut rotation, count)
                .unwrap_or_else(|| take_mixed(&mut by_format, count))
        };
        if picks.len() < count {
            // Only the long music is left.
            let missing = (count - picks.len()).min(long.len());
            picks.extend(long.drain(..missing));
        }
        if picks.len() < count {
            bail!("too few distinct sources left for album {:?}", album.key);
        }
        let layout = if DISC_FOLDER_ALBUMS.contains(&album.key.as_str()) {
            DiscLayout::Folders("Disc ")
        } else if album.disc_count > 1 {
            DiscLayout::Prefixed
        } else {
            DiscLayout::Flat
        };
        for (track, index) in album.tracks.iter_mut().zip(picks) {
            let source = &sources[index];
            let ext = source.format.extension();
            track.format = ext.to_owned();
            track.source = source.path.clone();
            track.path = album.dir.join(layout::track_path(
                layout,
                track.disc,
                track.n,
                &track.title,
                ext,
            ));
        }
    }
    Ok(())
}

/// Takes `count` sources of the next format in the rotation that still has enough.
fn take_one_format(
    by_format: &mut HashMap<AudioFormat, VecDeque<usize>>,
    rotation: &mut usize,
    count: usize,
) -> Option<Vec<usize>> {
    let all = AudioFormat::ALL;
    for step in 0..all.len() {
        let format = all[(*rotation + step) % all.len()];
        if let Some(queue) = by_format.get_mut(&format).filter(|q| q.len() >= count) {
            *rotation = (*rotation + step + 1) % all.len();
            return Some(queue.drain(..count).collect());
        }
    }
    None
}

/// Takes `count` sources from whichever formats have the most left (the caller checked
/// that enough remain overall).
fn take_mixed(by_format: &mut HashMap<AudioFormat, VecDeque<usize>>, count: usize) -> Vec<usize> {
    let mut picks = Vec::with_capacity(count);
    while picks.len() < count {
        let fullest = AudioFormat::ALL
            .into_iter()
            .max_by_key(|format| by_format.get(format).map_or(0, VecDeque::len));
        match fullest
            .and_then(|format| by_format.get_mut(&format))
            .and_then(VecDeque::pop_front)
        {
            Some(index) => picks.push(index),
            None => break,
        }
    }
    picks
}

/// Writes every track under `root` and fingerprints the results.
fn write_collection(
    reference: &Reference,
    sources: &[SourceAudio],
    root: &Path,
) -> Result<Vec<(PathBuf, Fingerprint)>> {
    let by_path: HashMap<&str, &SourceAudio> =
        sources.iter().map(|s| (s.path.as_str(), s)).collect();
    let dirs: BTreeSet<PathBuf> = reference
        .tracks()
        .filter_map(|(_, track)| track.path.parent().map(|p| root.join(p)))
        .collect();
    for dir in &dirs {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let jobs: Vec<(&RefAlbum, &RefTrack)> = reference.tracks().collect();
    jobs.par_iter()
        .map(|(album, track)| {
            let source = by_path.get(track.source.as_str()).with_context(|| {
                format!("no loaded source {} for {}", track.source, track.title)
            })?;
            let path = root.join(&track.path);
            let bytes = tags::write_tags(&source.audio, source.format, &track_tags(album, track))
                .with_context(|| {
                format!(
                    "cannot tag a copy of {} for {}",
                    source.path,
                    path.display()
                )
            })?;
            fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
            Ok((track.path.clone(), Fingerprint::of(&path)?))
        })
        .collect()
}

fn track_tags(album: &RefAlbum, track: &RefTrack) -> TrackTags {
    TrackTags {
        title: track.title.clone(),
        artist: track.artist.clone(),
        album: album.album.clone(),
        album_artist: album.album_artist.clone(),
        composers: track.composers.clone(),
        conductor: album.conductor.clone(),
        year: album.year,
        original_year: Some(album.work_year),
        track: track.n,
        track_total: album.tracks_on_disc(track.disc),
        disc: track.disc,
        disc_total: album.disc_count,
        label: album.label.clone(),
        catalog_number: album.catalog_number.clone(),
        edition: album.edition.clone(),
        genre: album.kind.genre().to_owned(),
        compilation: album.is_compilation(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"{"albums": [
        {"key": "a", "work": "A", "work_year": 2001, "kind": "film", "album": "A: OST",
         "album_artist": "Various Artists", "composer": "X; Y", "year": 2002,
         "disc_count": 2,
         "tracks": [{"disc": 1, "n": 1, "title": "One", "artist": "P"},
                    {"disc": 2, "n": 1, "title": "Two", "composer": "Z"}]}
    ]}"#;

    #[test]
    fn spec_defaults_fill_in_artist_and_composers_per_track() {
        let reference = parse_spec(Path::new("spec.json"), SPEC.as_bytes()).expect("valid spec");
        let album = &reference.albums[0];
        assert_eq!(album.composers, ["X", "Y"], "\"A; B\" lists two composers");
        assert_eq!(album.tracks[0].artist, "P", "a track artist wins");
        assert_eq!(
            album.tracks[1].artist, "Various Artists",
            "else the album artist"
        );
        assert_eq!(
            album.tracks[0].composers,
            ["X", "Y"],
            "else the album composers"
        );
        assert_eq!(album.tracks[1].composers, ["Z"], "a track composer wins");
        assert!(
            album.is_compilation(),
            "Various Artists marks a compilation"
        );
        assert_eq!(album.tracks_on_disc(2), 1, "track totals count per disc");
    }

    #[test]
    fn spec_with_a_track_beyond_disc_count_is_rejected() {
        let bad = SPEC.replace("\"disc_count\": 2,", "");
        let error = parse_spec(Path::new("spec.json"), bad.as_bytes())
            .expect_err("disc 2 of a one-disc album");
        assert!(
            error.to_string().contains("spec.json"),
            "the message names the spec file: {error}"
        );
    }
}
