//! Builds test and benchmark libraries of tagged audio files from the shared audio corpus.
//!
//! This crate owns the fixtures Cuebook's tests and benchmarks scan: it copies real corpus
//! audio (never modifying the corpus), strips the tags the files came with, and writes
//! fresh, known tags with lofty. It offers three things:
//!
//! - [`build_reference_collection`]: the 52 albums of `shared/library/soundtracks.json`,
//!   each track backed by a different corpus file, so tests can compare what the app reads
//!   with the spec ([`Reference`]). [`reference_collection`] builds it once into
//!   `<repo>/target/fixtures/reference` for tests.
//! - [`generate_library`]: a large, deterministic, realistic library (20,000 or 100,000
//!   files) for benchmarks.
//! - [`corpus_dir`], [`shared_dir`]: where tests find the corpus (fetching it if needed) and
//!   the team's shared folder. Both return `None` when unavailable; tests then skip with a
//!   message.
//!
//! # Sources and formats
//!
//! Only clean files are used (see [`scan_corpus`], or `cuebook-testkit sources`): not on
//! the list of deliberately broken test files, extension matching content, parsed by lofty
//! with a plausible duration, Ogg pages intact, and distinct in audio from every other
//! chosen file. Every file of the reference collection also decodes without error in FFmpeg. Copies keep their container; the
//! extension comes from the content: `ogg` (Vorbis), `opus`, `flac`, `mp3`, `m4a` (AAC or
//! ALAC), `wv` (WavPack) and `wav`.
//!
//! # Tag fields
//!
//! Each format gets its native tag type only: Vorbis comments for Ogg, Opus and FLAC,
//! ID3v2.4 for MP3 and WAV (an `id3 ` chunk), MP4 `ilst` for M4A, APEv2 for WavPack. Names
//! follow Picard and lofty's own mappings, so lofty's generic `ItemKey`s find them (the
//! release comment excepted: it has no `ItemKey` and reads as `ItemKey::Unknown`).
//!
//! | field | Vorbis | ID3v2.4 | MP4 | APEv2 |
//! |---|---|---|---|---|
//! | title | `TITLE` | `TIT2` | `©nam` | `Title` |
//! | artist (track's, else album artist) | `ARTIST` | `TPE1` | `©ART` | `Artist` |
//! | album | `ALBUM` | `TALB` | `©alb` | `Album` |
//! | album artist | `ALBUMARTIST` | `TPE2` | `aART` | `Album Artist` |
//! | composer, one value each | `COMPOSER` repeated | `TCOM`, NUL-separated | `©wrt`, one data box each | `Composer`, NUL-separated |
//! | conductor | `CONDUCTOR` | `TPE3` | `----:com.apple.iTunes:CONDUCTOR` | `Conductor` |
//! | release year | `DATE` | `TDRC` | `©day` | `Year` |
//! | work year (original date) | `ORIGINALDATE` | `TDOR` | `----:com.apple.iTunes:ORIGINALDATE` | `ORIGINALYEAR` |
//! | track number / total | `TRACKNUMBER`, `TRACKTOTAL` | `TRCK` `n/total` | `trkn` | `Track` `n/total` |
//! | disc number / total | `DISCNUMBER`, `DISCTOTAL` | `TPOS` `n/total` | `disk` | `Disc` `n/total` |
//! | label | `LABEL` | `TPUB` | `----:com.apple.iTunes:LABEL` | `Label` |
//! | catalog number | `CATALOGNUMBER` | `TXXX:CATALOGNUMBER` | `----:com.apple.iTunes:CATALOGNUMBER` | `CatalogNumber` |
//! | edition (release comment) | `RELEASECOMMENT` | `TXXX:RELEASECOMMENT` | `----:com.apple.iTunes:RELEASECOMMENT` | `ReleaseComment` |
//! | genre | `GENRE` | `TCON` | `©gen` | `Genre` |
//! | compilation (album artist "Various Artists") | `COMPILATION=1` | `TCMP=1` | `cpil` | `Compilation=1` |
//!
//! Genre follows the work's kind: film "Soundtrack", game "Video Game Music", tv
//! "TV Soundtrack". Track totals count the tracks of that disc in the spec; the disc total
//! is `disc_count` (1 if absent). Fields a spec leaves out are not written. The spec's
//! `work`, `cue` and `limited_to` are never written: the app sets them.
//!
//! # Layout
//!
//! `<out>/<album artist>/<album>/NN - <title>.<ext>`, names in their own script (植松伸夫,
//! Göransson, Amélie), with `/ \ : ? * " < > |`, NUL and control characters replaced by `_`.
//! Multi-disc albums keep all discs in one folder as `D-NN - <title>.<ext>`, except Star
//! Wars, which has `Disc 1/` and `Disc 2/` subfolders (both layouts occur in real
//! collections). Generated libraries mix the same layouts.
//!
//! # Reuse and concurrency
//!
//! Each output folder carries a stamp (`.cuebook-reference.json` or
//! `.cuebook-generated.json`) recording a digest of the builder's own code and of the
//! inputs (spec, corpus manifest, size and seed); the reference stamp also holds each file's
//! size and mtime. A matching stamp means the folder is returned as it is; otherwise it is
//! rebuilt in a hidden sibling folder and swapped in atomically, while a lock file
//! (`.<name>.lock` next to the output) keeps concurrent builders, threads or processes, from
//! doing the work twice. A non-empty output folder without a stamp is never deleted.
//! Treat built files as read-only: copy them before writing tags.
//!
//! # lofty 0.22 quirks this crate works around
//!
//! - Removing an ID3v1 tag from a file that has none *appends* an empty one, so ID3v1 is
//!   only removed when the file ends in one.
//! - Removing an MP4 `ilst` leaves a `meta` atom without one; the next `ilst` written into
//!   it overwrites the `hdlr` atom, and FFmpeg, iTunes and TagLib then see no tags. MP4
//!   sources therefore keep their `ilst` until tagging replaces it whole, and sources whose
//!   `meta` has no `ilst` are not used.
//! - lofty's generic `Tag` keeps only the first value of a multi-value MP4 atom: with two
//!   composers, `ItemKey::Composer` yields one. Read `©wrt` through `Mp4File::ilst()` to
//!   see both. Vorbis and ID3v2 yield one item per composer; APEv2 yields one item whose
//!   value separates the composers with NUL.
//! - lofty parses the Vorbis stream of some hyperrogue files whose headers restart
//!   mid-stream and of a pytaglib file with a bad page checksum; FFmpeg rejects them, so
//!   Ogg sources get their pages checked here.

mod corpus;
mod fixtures;
mod format;
mod generate;
mod install;
mod layout;
mod reference;
mod rng;
mod tags;
mod vocabulary;

pub use corpus::{scan_corpus, CorpusScan, CorpusSource, RejectedSource};
pub use fixtures::{corpus_dir, reference_collection, shared_dir, CORPUS_ENV};
pub use generate::{generate_library, GeneratedStats, GENERATED_STAMP};
pub use reference::{
    build_reference_collection, RefAlbum, RefTrack, Reference, WorkKind, REFERENCE_STAMP,
    VARIOUS_ARTISTS,
};
