//! Reading the shared audio corpus: its manifest, and the clean audio files fit to copy.
//!
//! The corpus is read-only: files are read into memory, their tags are stripped there, and
//! only the in-memory copies are ever tagged and written elsewhere.
//!
//! A "clean" source is one that:
//! - is not on the list of deliberately broken or odd test files,
//! - has an extension that agrees with its content (lofty's detection),
//! - parses with plausible audio properties (a duration its size can hold),
//! - for Ogg, has sound pages: valid checksums, one logical stream, no restarted headers,
//! - for MP4, is AAC or ALAC with an `ilst` lofty can replace safely,
//! - and has tags lofty can strip.
//!
//! Sources are then deduplicated by a digest of their audio (see [`audio_digest`]), because
//! several test suites ship the same audio under different tags or names.

use std::collections::HashMap;
use std::fs;
use std::io::Cursor;
use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use lofty::config::ParseOptions;
use lofty::file::AudioFile;
use lofty::mp4::{Mp4Codec, Mp4File};
use lofty::probe::Probe;
use lofty::tag::TagType;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::format::AudioFormat;

/// Name fragments of corpus files that are broken, truncated, empty or odd on purpose.
///
/// Matched case-insensitively against the path inside the corpus. Odd-but-valid files are
/// listed too (trailing ID3v2 tags, Lyrics3, DSD WavPack, multi-page Vorbis headers):
/// lofty or a decoder may handle them, but a clean fixture should not depend on it.
const DENIED_NAME_FRAGMENTS: &[&str] = &[
    "unparseable",
    "empty",
    "partial",
    "broken",
    "invalid",
    "truncated",
    "too-short",
    "lame397v9short",
    "bad-",
    "ooming",
    "overwritten",
    "no_length",
    "dsd",
    "64bit",
    "unknown-23",
    "multipage",
    "variable-block",
    "mpeglayer3",
    "lyricsv2",
    "audacious-trailing",
    "lmms/misc/hit01.ogg",
];

/// Sources shorter than this are test stubs rather than audio anyone would catalogue.
const MIN_DURATION: Duration = Duration::from_millis(50);

/// Below this average bit rate a header's duration cannot be true for the bytes behind it.
/// Even silent FLAC stays near 10 kbit/s.
const MIN_BITS_PER_SECOND: f64 = 2_000.0;

/// One line of `MANIFEST.tsv`.
#[derive(Debug, Clone)]
pub(crate) struct ManifestEntry {
    /// Path inside the corpus, with `/` separators.
    pub(crate) path: String,
    /// Size in bytes the fetch script recorded.
    pub(crate) bytes: u64,
}

/// The corpus manifest and a digest of its text, which identifies the corpus version.
#[derive(Debug, Clone)]
pub(crate) struct Manifest {
    pub(crate) entries: Vec<ManifestEntry>,
    pub(crate) digest: String,
}

/// Reads `<corpus>/MANIFEST.tsv`.
pub(crate) fn read_manifest(corpus: &Path) -> Result<Manifest> {
    let path = corpus.join("MANIFEST.tsv");
    let text = fs::read_to_string(&path)
        .with_context(|| format!("cannot read the corpus manifest {}", path.display()))?;
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let (Some(file), Some(bytes)) = (fields.first(), fields.get(5)) else {
            bail!(
                "{}:{}: expected 7 tab-separated fields",
                path.display(),
                index + 1
            );
        };
        let bytes = bytes.parse().with_context(|| {
            format!("{}:{}: bad byte count {bytes:?}", path.display(), index + 1)
        })?;
        entries.push(ManifestEntry {
            path: (*file).to_owned(),
            bytes,
        });
    }
    if entries.is_empty() {
        bail!("the corpus manifest {} lists no files", path.display());
    }
    Ok(Manifest {
        entries,
        digest: blake3::hash(text.as_bytes()).to_hex().to_string(),
    })
}

/// A clean corpus file held in memory with every tag stripped.
pub(crate) struct SourceAudio {
    /// Path inside the corpus, with `/` separators.
    pub(crate) path: String,
    pub(crate) format: AudioFormat,
    pub(crate) duration: Duration,
    /// The file's bytes without tags (MP4: with its `ilst`, which tagging replaces whole),
    /// ready to be tagged afresh.
    pub(crate) audio: Vec<u8>,
}

/// A clean corpus file fit to be copied and re-tagged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusSource {
    /// Path inside the corpus, with `/` separators.
    pub path: String,
    /// Format name, which is also the extension copies get (`ogg`, `mp3`, `m4a`, ...).
    pub format: String,
    /// Duration lofty reports.
    pub duration: Duration,
    /// Size of the file as held for copying: tags stripped, except an MP4's `ilst`, which
    /// is replaced whole when the copy is tagged.
    pub audio_bytes: u64,
}

/// A corpus file that is not used, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectedSource {
    /// Path inside the corpus, with `/` separators.
    pub path: String,
    pub reason: String,
}

/// The result of sorting the corpus into usable and unusable audio.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CorpusScan {
    /// Distinct clean sources, in manifest order.
    pub sources: Vec<CorpusSource>,
    /// Everything else the manifest lists, including duplicates of an earlier source's audio.
    pub rejected: Vec<RejectedSource>,
}

/// Lists which corpus files the builders can use, and why the others are left out.
///
/// # Errors
///
/// The manifest is missing or malformed, or a listed file is missing, unreadable or
/// differs in size from the manifest (a damaged corpus: run `fetch.sh` again).
pub fn scan_corpus(corpus: &Path) -> Result<CorpusScan> {
    let manifest = read_manifest(corpus)?;
    let (sources, rejected) = load_sources(corpus, &manifest, None)?;
    Ok(CorpusScan {
        sources: sources
            .into_iter()
            .map(|source| CorpusSource {
                format: source.format.extension().to_owned(),
                duration: source.duration,
                audio_bytes: source.audio.len() as u64,
                path: source.path,
            })
            .collect(),
        rejected,
    })
}

/// Loads every distinct clean source no larger than `max_bytes`, in manifest order.
pub(crate) fn load_sources(
    corpus: &Path,
    manifest: &Manifest,
    max_bytes: Option<u64>,
) -> Result<(Vec<SourceAudio>, Vec<RejectedSource>)> {
    let loaded: Vec<Result<Loaded>> = manifest
        .entries
        .par_iter()
        .map(|entry| load_source(corpus, entry, max_bytes))
        .collect();

    let mut sources = Vec::new();
    let mut rejected = Vec::new();
    // Audio digest to the path of the first source with that audio.
    let mut first_with_audio: HashMap<blake3::Hash, String> = HashMap::new();
    for outcome in loaded {
        match outcome? {
            Ok(source) => {
                let digest = audio_digest(&source.audio, source.format);
                match first_with_audio.get(&digest) {
                    Some(first) => rejected.push(RejectedSource {
                        reason: format!("same audio as {first}"),
                        path: source.path,
                    }),
                    None => {
                        first_with_audio.insert(digest, source.path.clone());
                        sources.push(source);
                    }
                }
            }
            Err(rejection) => rejected.push(rejection),
        }
    }
    Ok((sources, rejected))
}

/// Identifies a source's audio independently of the tags it shipped with.
///
/// Stripping alone is not enough: the same FLAC, MP4 or WAV audio may come with different
/// padding, seek tables or free atoms, so for those containers only the audio payload is
/// hashed.
fn audio_digest(stripped: &[u8], format: AudioFormat) -> blake3::Hash {
    let payload = match format {
        AudioFormat::Flac => flac_frames(stripped),
        AudioFormat::M4a => mp4_media_data(stripped),
        AudioFormat::Wav => wav_samples(stripped),
        _ => None,
    };
    blake3::hash(payload.unwrap_or(stripped))
}

/// The FLAC frames after the last metadata block.
fn flac_frames(bytes: &[u8]) -> Option<&[u8]> {
    let mut pos = 4;
    if bytes.get(..4)? != b"fLaC" {
        return None;
    }
    loop {
        let header = bytes.get(pos..pos + 4)?;
        let len = u32::from_be_bytes([0, header[1], header[2], header[3]]) as usize;
        pos += 4 + len;
        if header[0] & 0x80 != 0 {
            return bytes.get(pos..);
        }
    }
}

/// The payload of the first top-level `mdat` atom.
fn mp4_media_data(bytes: &[u8]) -> Option<&[u8]> {
    mp4_atoms(bytes)
        .find(|(kind, _)| kind == b"mdat")
        .map(|(_, payload)| payload)
}

/// The `(type, payload)` of each atom in `bytes`, stopping at the first malformed one.
fn mp4_atoms(bytes: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let header = bytes.get(pos..pos + 8)?;
        let kind: [u8; 4] = header[4..8].try_into().ok()?;
        let (header_len, size) = match u32::from_be_bytes(header[..4].try_into().ok()?) {
            0 => (8, bytes.len() - pos),
            1 => {
                let large = bytes.get(pos + 8..pos + 16)?.try_into().ok()?;
                (16, usize::try_from(u64::from_be_bytes(large)).ok()?)
            }
            n => (8, n as usize),
        };
        let payload = bytes.get(pos + header_len..pos.checked_add(size)?)?;
        pos += size.max(header_len);
        Some((kind, payload))
    })
}

/// The types of the atoms inside `moov/udta/meta`, or `None` when there is no `meta`.
pub(crate) fn mp4_meta_children(bytes: &[u8]) -> Option<Vec<[u8; 4]>> {
    fn child<'a>(payload: &'a [u8], wanted: &[u8; 4]) -> Option<&'a [u8]> {
        mp4_atoms(payload)
            .find(|(kind, _)| kind == wanted)
            .map(|(_, payload)| payload)
    }
    let udta = child(child(bytes, b"moov")?, b"udta")?;
    // `meta` is a full atom: version and flags precede its children.
    let meta = child(udta, b"meta")?.get(4..)?;
    Some(mp4_atoms(meta).map(|(kind, _)| kind).collect())
}

/// The payload of the RIFF `data` chunk.
fn wav_samples(bytes: &[u8]) -> Option<&[u8]> {
    if bytes.get(..4)? != b"RIFF" || bytes.get(8..12)? != b"WAVE" {
        return None;
    }
    let mut pos = 12;
    while pos + 8 <= bytes.len() {
        let size = u32::from_le_bytes(bytes[pos + 4..pos + 8].try_into().ok()?) as usize;
        if &bytes[pos..pos + 4] == b"data" {
            return bytes.get(pos + 8..pos + 8 + size);
        }
        // Chunks are padded to an even size.
        pos += 8 + size + (size & 1);
    }
    None
}

/// A source ready to use, or the reason it is not used.
type Loaded = std::result::Result<SourceAudio, RejectedSource>;

fn reject(entry: &ManifestEntry, reason: impl Into<String>) -> Result<Loaded> {
    Ok(Err(RejectedSource {
        path: entry.path.clone(),
        reason: reason.into(),
    }))
}

/// Reads, checks and strips one corpus file. I/O failures are errors (a damaged corpus);
/// files that are simply unsuitable come back as rejections.
fn load_source(corpus: &Path, entry: &ManifestEntry, max_bytes: Option<u64>) -> Result<Loaded> {
    let lower = entry.path.to_lowercase();
    if let Some(fragment) = DENIED_NAME_FRAGMENTS.iter().find(|f| lower.contains(*f)) {
        return reject(entry, format!("deliberately odd test file ({fragment:?})"));
    }
    let Some(ext) = Path::new(&entry.path).extension().and_then(|e| e.to_str()) else {
        return reject(entry, "no extension");
    };
    if !matches!(
        ext.to_ascii_lowercase().as_str(),
        "ogg" | "oga" | "opus" | "flac" | "mp3" | "m4a" | "wv" | "wav"
    ) {
        return reject(entry, format!("not a format the testkit writes (.{ext})"));
    }
    if max_bytes.is_some_and(|max| entry.bytes > max) {
        return reject(entry, "larger than wanted");
    }

    let path = corpus.join(&entry.path);
    let bytes = fs::read(&path).with_context(|| {
        format!(
            "cannot read corpus file {} (run shared/corpus/fetch.sh again)",
            path.display()
        )
    })?;
    if bytes.len() as u64 != entry.bytes {
        bail!(
            "corpus file {} has {} bytes but MANIFEST.tsv says {}; the corpus was modified, run shared/corpus/fetch.sh again",
            path.display(),
            bytes.len(),
            entry.bytes
        );
    }

    let Some((format, duration)) = probe(&bytes) else {
        return reject(entry, "lofty cannot parse it as audio");
    };
    if matches!(format, AudioFormat::Ogg | AudioFormat::Opus) {
        if let Err(problem) = check_ogg_pages(&bytes) {
            return reject(entry, problem);
        }
    }
    if format == AudioFormat::M4a {
        if let Some(children) = mp4_meta_children(&bytes) {
            if !children.contains(b"ilst") {
                // lofty 0.22 writes a new `ilst` over the first child of such a `meta`,
                // its `hdlr`, and most readers then ignore the tags.
                return reject(entry, "its MP4 `meta` atom has no `ilst` to replace");
            }
        }
    }
    if !format.matches_extension(ext) {
        return reject(
            entry,
            format!("content is {format} but the name says .{ext}"),
        );
    }
    if duration < MIN_DURATION {
        return reject(entry, format!("too short ({} ms)", duration.as_millis()));
    }
    let bits_per_second = entry.bytes as f64 * 8.0 / duration.as_secs_f64();
    if bits_per_second < MIN_BITS_PER_SECOND {
        // The header claims far more audio than the file holds (a test of length headers).
        return reject(
            entry,
            format!("{} s claimed for {} bytes", duration.as_secs(), entry.bytes),
        );
    }
    match strip_tags(bytes, format) {
        Ok(audio) => Ok(Ok(SourceAudio {
            path: entry.path.clone(),
            format,
            duration,
            audio,
        })),
        Err(error) => reject(entry, format!("lofty cannot strip its tags: {error}")),
    }
}

/// Detects the format from the content and reads the duration, without parsing tags
/// (some corpus tags are invalid on purpose and do not matter here).
fn probe(bytes: &[u8]) -> Option<(AudioFormat, Duration)> {
    let options = ParseOptions::new().read_tags(false);
    let probe = Probe::new(Cursor::new(bytes))
        .options(options)
        .guess_file_type()
        .ok()?;
    let format = AudioFormat::from_file_type(probe.file_type()?)?;
    let tagged = probe.read().ok()?;
    let properties = tagged.properties();
    if properties.sample_rate().unwrap_or(0) == 0 || properties.channels().unwrap_or(0) == 0 {
        return None;
    }
    if format == AudioFormat::M4a {
        // Only plain audio codecs count as .m4a; MP3- or FLAC-in-MP4 are oddities.
        let file = Mp4File::read_from(&mut Cursor::new(bytes), options).ok()?;
        if !matches!(file.properties().codec(), Mp4Codec::AAC | Mp4Codec::ALAC) {
            return None;
        }
    }
    Some((format, properties.duration()))
}

/// Removes the tags of [`AudioFormat::strippable_tags`] from an in-memory file.
pub(crate) fn strip_tags(bytes: Vec<u8>, format: AudioFormat) -> lofty::error::Result<Vec<u8>> {
    let mut file = Cursor::new(bytes);
    for tag_type in format.strippable_tags() {
        // lofty 0.22 "removes" an absent ID3v1 tag by appending an empty one.
        if *tag_type == TagType::Id3v1 && !has_id3v1(file.get_ref()) {
            continue;
        }
        file.set_position(0);
        tag_type.remove_from(&mut file)?;
    }
    Ok(file.into_inner())
}

/// Checks the Ogg page structure that lofty does not: every page's checksum, a single
/// logical stream, and no codec headers restarting mid-stream (a botched concatenation
/// that decoders such as FFmpeg refuse).
fn check_ogg_pages(bytes: &[u8]) -> std::result::Result<(), String> {
    let mut pos = 0;
    let mut serial = None;
    let mut index = 0;
    let mut scratch = Vec::new();
    while pos < bytes.len() {
        let header = bytes
            .get(pos..pos + 27)
            .filter(|h| h.starts_with(b"OggS"))
            .ok_or_else(|| format!("no Ogg page at byte {pos}"))?;
        let segments = usize::from(header[26]);
        let table = bytes
            .get(pos + 27..pos + 27 + segments)
            .ok_or("truncated Ogg page")?;
        let body_len: usize = table.iter().map(|&len| usize::from(len)).sum();
        let page = bytes
            .get(pos..pos + 27 + segments + body_len)
            .ok_or("truncated Ogg page")?;
        let stored = u32::from_le_bytes([page[22], page[23], page[24], page[25]]);
        // The checksum is computed with its own field zeroed.
        scratch.clear();
        scratch.extend_from_slice(page);
        scratch[22..26].fill(0);
        if ogg_pager::crc32(&scratch) != stored {
            return Err(format!("Ogg page {index} fails its checksum"));
        }
        let this_serial = u32::from_le_bytes([page[14], page[15], page[16], page[17]]);
        if *serial.get_or_insert(this_serial) != this_serial {
            return Err("several logical Ogg streams".into());
        }
        let body = &page[27 + segments..];
        let continued = header[5] & 1 != 0;
        if index > 0
            && !continued
            && (body.starts_with(b"\x01vorbis") || body.starts_with(b"OpusHead"))
        {
            return Err(format!("the codec headers restart at Ogg page {index}"));
        }
        pos += page.len();
        index += 1;
    }
    Ok(())
}

/// Whether the file ends in a 128-byte ID3v1 tag.
fn has_id3v1(bytes: &[u8]) -> bool {
    bytes.len() >= 128 && bytes[bytes.len() - 128..].starts_with(b"TAG")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deny_list_catches_the_deliberately_broken_beets_and_mutagen_files() {
        for name in [
            "beets/unparseable.flac",
            "beets/partial.mp3",
            "beets/empty.ogg",
            "mutagen/106-invalid-streaminfo.flac",
            "mutagen/too-short.mp3",
            "lmms/misc/hit01.ogg",
        ] {
            assert!(
                DENIED_NAME_FRAGMENTS.iter().any(|f| name.contains(f)),
                "{name} is broken on purpose and must never become a fixture source"
            );
        }
    }

    #[test]
    fn extension_check_rejects_a_wav_named_ogg() {
        assert!(
            !AudioFormat::Wav.matches_extension("ogg"),
            "a WAV named .ogg is an oddity, not a clean source"
        );
        assert!(
            AudioFormat::Ogg.matches_extension("OGG"),
            "case must not matter"
        );
    }
}
