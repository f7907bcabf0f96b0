//! Benchmark libraries: thousands of small, realistically tagged soundtrack files.
//!
//! A library is planned sequentially from the seed (so it is identical for a given seed,
//! corpus and generator version), then written in parallel with rayon in chunks; the
//! caller's progress callback runs on the calling thread between chunks. Sources are small
//! clean corpus files held in memory with their tags stripped; each output file is one
//! in-memory tagging and one write.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::corpus::{self, SourceAudio};
use crate::format::AudioFormat;
use crate::install::{self, Staging};
use crate::layout::{self, DiscLayout};
use crate::reference::{WorkKind, VARIOUS_ARTISTS};
use crate::rng::Rng;
use crate::tags::{self, TrackTags};
use crate::vocabulary as vocab;

/// Name of the stamp file inside a generated library.
pub const GENERATED_STAMP: &str = ".cuebook-generated.json";

/// Larger sources would make a 100,000-file library needlessly big and slow to write.
const MAX_SOURCE_BYTES: u64 = 96 * 1024;

/// Share of albums per format, in percent.
const FORMAT_WEIGHTS: &[(AudioFormat, u32)] = &[
    (AudioFormat::Mp3, 40),
    (AudioFormat::Flac, 25),
    (AudioFormat::M4a, 15),
    (AudioFormat::Ogg, 15),
    (AudioFormat::Wv, 3),
    (AudioFormat::Wav, 2),
];

/// Files written between two progress reports.
const CHUNK: usize = 500;

/// How many distinct people compose, conduct and perform across the library.
const PEOPLE: usize = 300;

/// What a generation produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedStats {
    pub files: usize,
    pub albums: usize,
    /// Total size of the audio files.
    pub bytes: u64,
    /// Wall time of this call.
    pub elapsed: Duration,
    /// True when an existing library with the same parameters was reused.
    pub reused: bool,
}

#[derive(Serialize, Deserialize)]
struct GeneratedStamp {
    /// [`install::builder_digest`] of the code that wrote it.
    builder: String,
    files: usize,
    seed: u64,
    /// Digest of the corpus manifest.
    corpus: String,
    albums: usize,
    bytes: u64,
}

/// One file to write.
struct PlannedTrack {
    /// Relative to the library root.
    path: PathBuf,
    format: AudioFormat,
    /// Index into the sources.
    source: usize,
    tags: TrackTags,
}

/// Generates a benchmark library of exactly `files` tagged audio files under `out`,
/// deterministic for a given `seed` and corpus, calling `progress` with the number of files
/// written so far.
///
/// Albums have 8–25 tracks; about 15% span 2–4 discs (half in disc folders, half with
/// disc-prefixed names) and about 20% are "Various Artists" compilations. Formats by album:
/// MP3 ~40%, FLAC ~25%, M4A ~15%, Ogg Vorbis ~15%, WavPack/WAV ~5%. An existing library
/// with the same size, seed and corpus is reused as it is; the stamp is trusted, the files
/// are not re-read.
///
/// # Errors
///
/// The corpus manifest cannot be read, the corpus is damaged or has no small clean
/// sources, `out` holds files not generated here, or a file cannot be tagged or written.
pub fn generate_library(
    corpus: &Path,
    out: &Path,
    files: usize,
    seed: u64,
    progress: &dyn Fn(usize),
) -> Result<GeneratedStats> {
    let started = Instant::now();
    let out = install::absolute(out)?;
    let manifest = corpus::read_manifest(corpus)?;
    let matches = |stamp: &GeneratedStamp| {
        stamp.builder == install::builder_digest()
            && stamp.files == files
            && stamp.seed == seed
            && stamp.corpus == manifest.digest
    };
    let reuse = |started: Instant| {
        install::read_stamp::<GeneratedStamp>(&out, GENERATED_STAMP)
            .filter(matches)
            .map(|stamp| GeneratedStats {
                files: stamp.files,
                albums: stamp.albums,
                bytes: stamp.bytes,
                elapsed: started.elapsed(),
                reused: true,
            })
    };
    if let Some(stats) = reuse(started) {
        return Ok(stats);
    }
    // Checked before locking too, so a wrong `out` fails without leaving a lock file.
    install::ensure_replaceable(&out, GENERATED_STAMP)?;
    let _lock = install::lock_output(&out)?;
    if let Some(stats) = reuse(started) {
        return Ok(stats);
    }
    install::ensure_replaceable(&out, GENERATED_STAMP)?;

    let (sources, _rejected) = corpus::load_sources(corpus, &manifest, Some(MAX_SOURCE_BYTES))?;
    let pools = pools_by_format(&sources);
    if pools.is_empty() {
        bail!(
            "the corpus {} has no small clean audio files to generate from",
            corpus.display()
        );
    }
    let (tracks, albums) = plan_library(seed, files, &pools);

    let staging = Staging::new(&out)?;
    let root = staging.dir();
    let dirs: BTreeSet<PathBuf> = tracks
        .iter()
        .filter_map(|track| track.path.parent().map(|parent| root.join(parent)))
        .collect();
    for dir in &dirs {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut bytes = 0;
    let mut written = 0;
    for chunk in tracks.chunks(CHUNK) {
        let sizes: Vec<u64> = chunk
            .par_iter()
            .map(|track| write_track(root, track, &sources[track.source]))
            .collect::<Result<_>>()?;
        bytes += sizes.iter().sum::<u64>();
        written += chunk.len();
        progress(written);
    }

    let stamp = GeneratedStamp {
        builder: install::builder_digest().to_owned(),
        files,
        seed,
        corpus: manifest.digest.clone(),
        albums,
        bytes,
    };
    staging.commit(GENERATED_STAMP, &stamp)?;
    Ok(GeneratedStats {
        files,
        albums,
        bytes,
        elapsed: started.elapsed(),
        reused: false,
    })
}

fn write_track(root: &Path, track: &PlannedTrack, source: &SourceAudio) -> Result<u64> {
    let path = root.join(&track.path);
    let bytes = tags::write_tags(&source.audio, track.format, &track.tags).with_context(|| {
        format!(
            "cannot tag a copy of {} for {}",
            source.path,
            path.display()
        )
    })?;
    fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(bytes.len() as u64)
}

/// Source indices by format, for the formats the generator uses.
fn pools_by_format(sources: &[SourceAudio]) -> HashMap<AudioFormat, Vec<usize>> {
    let mut pools: HashMap<AudioFormat, Vec<usize>> = HashMap::new();
    for (index, source) in sources.iter().enumerate() {
        if FORMAT_WEIGHTS
            .iter()
            .any(|(format, _)| *format == source.format)
        {
            pools.entry(source.format).or_default().push(index);
        }
    }
    pools
}

/// Library-wide pools of names the albums draw from.
struct Cast {
    composers: Vec<String>,
    performers: Vec<String>,
}

/// Plans `files` tracks; returns them with the number of albums.
fn plan_library(
    seed: u64,
    files: usize,
    pools: &HashMap<AudioFormat, Vec<usize>>,
) -> (Vec<PlannedTrack>, usize) {
    let mut rng = Rng::new(seed);
    let cast = Cast {
        composers: vocab::people(&mut rng, PEOPLE),
        performers: (0..PEOPLE).map(|_| vocab::performer(&mut rng)).collect(),
    };
    // Formats missing from this corpus drop out instead of failing the run.
    let formats: Vec<(AudioFormat, u32)> = FORMAT_WEIGHTS
        .iter()
        .copied()
        .filter(|(format, _)| pools.contains_key(format))
        .collect();

    let mut tracks = Vec::with_capacity(files);
    let mut album_dirs = HashSet::new();
    let mut works: Vec<(String, u32, WorkKind)> = Vec::new();
    let mut albums = 0;
    while tracks.len() < files {
        let format = *rng.pick_weighted(&formats);
        let pool = &pools[&format];
        let room = files - tracks.len();
        let album = AlbumContext {
            cast: &cast,
            format,
            pool,
            room,
        };
        plan_album(&mut rng, &album, &mut works, &mut album_dirs, &mut tracks);
        albums += 1;
    }
    (tracks, albums)
}

/// What one album is planned from.
struct AlbumContext<'a> {
    cast: &'a Cast,
    format: AudioFormat,
    /// Sources of `format` to pick from; never empty.
    pool: &'a [usize],
    /// Most tracks the album may have.
    room: usize,
}

/// Plans one album and appends its tracks. `works` collects the works planned so far and
/// `album_dirs` the (lower-cased) album folders taken.
fn plan_album(
    rng: &mut Rng,
    context: &AlbumContext<'_>,
    works: &mut Vec<(String, u32, WorkKind)>,
    album_dirs: &mut HashSet<String>,
    tracks: &mut Vec<PlannedTrack>,
) {
    let cast = context.cast;
    // Some works have several albums (score and songs, reissues), as in real collections.
    let (work, work_year, kind) = if !works.is_empty() && rng.chance(8) {
        rng.pick(works).clone()
    } else {
        let kind = *rng.pick_weighted(&[
            (WorkKind::Film, 60),
            (WorkKind::Game, 25),
            (WorkKind::Tv, 15),
        ]);
        // Two draws, keeping the later year, favour recent decades as collections do.
        let year = 1950 + rng.range(0, 75).max(rng.range(0, 75));
        let work = (vocab::work_title(rng), year, kind);
        works.push(work.clone());
        work
    };
    let reissue = rng.chance(12);
    let year = if reissue {
        work_year + rng.range(5, 40)
    } else {
        work_year + u32::from(rng.chance(20))
    }
    .min(2025);
    let edition = (reissue || rng.chance(3)).then(|| vocab::edition(rng));

    let compilation = rng.chance(20);
    let composer_count = if rng.chance(12) { 2 } else { 1 };
    let mut composers: Vec<String> = Vec::with_capacity(composer_count);
    while composers.len() < composer_count {
        let name = rng.pick(&cast.composers).clone();
        if !composers.contains(&name) {
            composers.push(name);
        }
    }
    let album_artist = if compilation {
        VARIOUS_ARTISTS.to_owned()
    } else if rng.chance(8) {
        format!("{}; {}", composers[0], vocab::orchestra(rng))
    } else {
        composers.join(" & ")
    };
    let conductor = (kind == WorkKind::Film && rng.chance(20)).then(|| {
        if rng.chance(50) {
            composers[0].clone()
        } else {
            rng.pick(&cast.composers).clone()
        }
    });
    let album = vocab::album_title(rng, &work, kind, compilation);
    let label = vocab::label(rng);
    let catalog_number = rng.chance(70).then(|| vocab::catalog_number(rng, label));

    let mut disc_sizes: Vec<usize> = if rng.chance(15) {
        (0..rng.range(2, 4))
            .map(|_| rng.range(8, 20) as usize)
            .collect()
    } else {
        vec![rng.range(8, 25) as usize]
    };
    // The last album is cut to the files still wanted.
    let mut excess = disc_sizes
        .iter()
        .sum::<usize>()
        .saturating_sub(context.room);
    while excess > 0 {
        let Some(last) = disc_sizes.last_mut() else {
            break;
        };
        let cut = excess.min(*last);
        *last -= cut;
        excess -= cut;
        if *last == 0 {
            disc_sizes.pop();
        }
    }
    let disc_total = disc_sizes.len() as u32;
    let layout = match disc_total {
        1 => DiscLayout::Flat,
        _ if rng.chance(50) => {
            DiscLayout::Folders(rng.pick::<&'static str>(&["Disc ", "CD ", "CD"]))
        }
        _ => DiscLayout::Prefixed,
    };

    let mut dir = layout::album_dir(&album_artist, &album);
    let mut attempt = 1;
    while !album_dirs.insert(dir.to_string_lossy().to_lowercase()) {
        // Same artist and title twice: disambiguate as collectors do, by catalog or year.
        attempt += 1;
        let suffix = match (&catalog_number, attempt) {
            (Some(catalog), 2) => format!(" [{catalog}]"),
            (_, 2) => format!(" ({year})"),
            (_, n) => format!(" ({n})"),
        };
        dir = layout::album_dir(&album_artist, &format!("{album}{suffix}"));
    }

    for (disc_index, &size) in disc_sizes.iter().enumerate() {
        let disc = disc_index as u32 + 1;
        for number in 1..=size as u32 {
            let (title, artist, track_composers) = if compilation {
                let writer = if rng.chance(30) {
                    composers.clone()
                } else {
                    vec![rng.pick(&cast.composers).clone()]
                };
                (
                    vocab::song_title(rng),
                    rng.pick(&cast.performers).clone(),
                    writer,
                )
            } else {
                (
                    vocab::cue_title(rng),
                    album_artist.clone(),
                    composers.clone(),
                )
            };
            let tags = TrackTags {
                title,
                artist,
                album: album.clone(),
                album_artist: album_artist.clone(),
                composers: track_composers,
                conductor: conductor.clone(),
                year,
                original_year: Some(work_year),
                track: number,
                track_total: size as u32,
                disc,
                disc_total,
                label: Some(label.to_owned()),
                catalog_number: catalog_number.clone(),
                edition: edition.clone(),
                genre: kind.genre().to_owned(),
                compilation,
            };
            let path = dir.join(layout::track_path(
                layout,
                disc,
                number,
                &tags.title,
                context.format.extension(),
            ));
            tracks.push(PlannedTrack {
                path,
                format: context.format,
                source: context.pool[rng.below(context.pool.len())],
                tags,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_pools() -> HashMap<AudioFormat, Vec<usize>> {
        FORMAT_WEIGHTS
            .iter()
            .enumerate()
            .map(|(index, (format, _))| (*format, vec![index]))
            .collect()
    }

    #[test]
    fn a_plan_has_exactly_the_requested_number_of_files_with_unique_paths() {
        let (tracks, albums) = plan_library(42, 1234, &fake_pools());
        assert_eq!(tracks.len(), 1234, "the caller asked for 1234 files");
        let paths: HashSet<String> = tracks
            .iter()
            .map(|t| t.path.to_string_lossy().to_lowercase())
            .collect();
        assert_eq!(
            paths.len(),
            tracks.len(),
            "no two files may share a path, even ignoring case"
        );
        assert!(
            albums >= 1234 / 80,
            "albums hold at most 80 tracks, got {albums} albums"
        );
    }

    #[test]
    fn plans_are_deterministic_per_seed() {
        let describe = |seed| {
            let (tracks, _) = plan_library(seed, 300, &fake_pools());
            tracks
                .into_iter()
                .map(|t| (t.path, t.source, t.tags))
                .collect::<Vec<_>>()
        };
        assert!(
            describe(9) == describe(9),
            "the same seed must give the same library"
        );
        assert!(
            describe(9) != describe(10),
            "another seed must give another library"
        );
    }

    #[test]
    fn the_mix_of_albums_matches_the_benchmark_profile() {
        let (tracks, albums) = plan_library(7, 20_000, &fake_pools());
        let mut compilations = HashSet::new();
        let mut multi_disc = HashSet::new();
        let mut mp3 = 0;
        for track in &tracks {
            let album = (
                track.tags.album_artist.clone(),
                track.tags.album.clone(),
                track.tags.catalog_number.clone(),
            );
            if track.tags.compilation {
                compilations.insert(album.clone());
            }
            if track.tags.disc_total > 1 {
                multi_disc.insert(album);
            }
            mp3 += usize::from(track.format == AudioFormat::Mp3);
        }
        let percent = |part: usize, whole: usize| part * 100 / whole;
        assert!(
            (14..=26).contains(&percent(compilations.len(), albums)),
            "about 20% of albums are compilations, got {}%",
            percent(compilations.len(), albums)
        );
        assert!(
            (9..=21).contains(&percent(multi_disc.len(), albums)),
            "about 15% of albums span several discs, got {}%",
            percent(multi_disc.len(), albums)
        );
        assert!(
            (30..=50).contains(&percent(mp3, tracks.len())),
            "about 40% of files are MP3, got {}%",
            percent(mp3, tracks.len())
        );
    }
}
