//! Reading one audio file: container sniffing, tags, audio properties and embedded cover.
//!
//! Everything here is a pure function of the file's bytes, safe to call from many threads. Third-party
//! parsers run behind `catch_unwind`, so a hostile file becomes a [`ReadError`], never a panic.

use std::io::{Read, Seek, SeekFrom};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use lofty::config::{ParseOptions, ParsingMode};
use lofty::file::{AudioFile, FileType, TaggedFile, TaggedFileExt};
use lofty::picture::{MimeType, PictureType};
use lofty::prelude::ItemKey;
use lofty::probe::Probe;
use lofty::tag::{ItemValue, Tag, TagItem, TagType};

use crate::text::clean;

/// Everything the catalog keeps about one file's content.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrackTags {
    pub title: Option<String>,
    pub artists: Vec<String>,
    pub album: Option<String>,
    pub album_artist: Option<String>,
    pub composers: Vec<String>,
    pub conductors: Vec<String>,
    pub orchestrators: Vec<String>,
    pub performers: Vec<String>,
    pub date: Option<String>,
    pub original_date: Option<String>,
    pub genre: Option<String>,
    pub track_no: Option<u32>,
    pub track_total: Option<u32>,
    pub disc_no: Option<u32>,
    pub disc_total: Option<u32>,
    pub disc_subtitle: Option<String>,
    pub label: Option<String>,
    pub catalog_numbers: Vec<String>,
    pub barcode: Option<String>,
    pub release_type: Option<String>,
    pub release_comment: Option<String>,
    pub comment: Option<String>,
    pub compilation: bool,
    pub mb_track_id: Option<String>,
    pub mb_recording_id: Option<String>,
    pub mb_album_id: Option<String>,
    pub mb_artist_id: Option<String>,
    pub mb_album_artist_id: Option<String>,
    pub mb_release_group_id: Option<String>,
    pub rg_track_gain: Option<f64>,
    pub rg_track_peak: Option<f64>,
    pub rg_album_gain: Option<f64>,
    pub rg_album_peak: Option<f64>,
}

impl TrackTags {
    /// The year of `date` (any of "1977", "1977-05-25", "1977/05").
    pub fn year(&self) -> Option<i32> {
        self.date.as_deref().and_then(year_of)
    }

    pub fn original_year(&self) -> Option<i32> {
        self.original_date.as_deref().and_then(year_of)
    }
}

/// Audio properties as the container reports them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AudioProps {
    pub duration_ms: Option<u64>,
    pub sample_rate: Option<u32>,
    pub bit_depth: Option<u8>,
    pub channels: Option<u8>,
    /// kbit/s
    pub bitrate: Option<u32>,
    /// Container name used for `format:` in search: mp3, flac, ogg, opus, spx, m4a, wav, aiff, wv, ape, mpc, aac.
    pub format: &'static str,
    /// Codec inside the container.
    pub codec: Option<String>,
}

/// An embedded picture, bytes included.
#[derive(Debug, Clone)]
pub struct EmbeddedPicture {
    pub mime: String,
    pub data: Vec<u8>,
}

#[derive(Debug)]
pub struct FileContent {
    pub file_type: FileType,
    pub tags: TrackTags,
    pub props: AudioProps,
    pub cover: Option<EmbeddedPicture>,
}

/// Why a file is not in the catalog.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReadError {
    #[error("cannot read file: {0}")]
    Io(String),
    #[error("empty file")]
    Empty,
    #[error("unsupported format: {0}")]
    Unsupported(&'static str),
    #[error("not a recognizable audio file")]
    Unrecognized,
    #[error("broken {format} file: {reason}")]
    Broken {
        format: &'static str,
        reason: String,
    },
    #[error("the {format} parser crashed on this file")]
    ParserPanic { format: &'static str },
}

/// What sniffing the first bytes says a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Audio(FileType),
    /// Audio in a container lofty does not read (WMA, DSF, ...): reported, not cataloged.
    Unsupported(&'static str),
    Empty,
    /// Not audio, or nothing we know.
    Unknown,
}

/// Extensions of audio files: a file with one of these that cannot be read is a problem worth
/// reporting; any other unreadable file (images, playlists, archives) is silently not audio.
pub const AUDIO_EXTENSIONS: &[&str] = &[
    "mp3", "mp2", "flac", "ogg", "oga", "opus", "spx", "m4a", "m4b", "mp4", "aac", "alac", "wav",
    "wave", "aif", "aiff", "aifc", "wv", "ape", "mpc", "mp+", "wma", "asf", "dsf", "dff", "tak",
    "tta", "ofr", "ofs", "ac3", "eac3", "mka", "oggflac", "3g2", "caf",
];

pub fn has_audio_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| AUDIO_EXTENSIONS.iter().any(|a| a.eq_ignore_ascii_case(e)))
}

/// Looks at the content, never at the name: a WAV named `.ogg` is a WAV.
///
/// # Errors
/// Only real I/O errors.
pub fn sniff<R: Read + Seek>(file: &mut R) -> std::io::Result<Sniffed> {
    let mut head = [0u8; 64];
    file.seek(SeekFrom::Start(0))?;
    let n = read_up_to(file, &mut head)?;
    if n == 0 {
        return Ok(Sniffed::Empty);
    }
    let head = &head[..n];
    if let Some(name) = unsupported_container(head) {
        return Ok(Sniffed::Unsupported(name));
    }
    file.seek(SeekFrom::Start(0))?;
    let probe = Probe::new(&mut *file);
    let guessed = catch_unwind(AssertUnwindSafe(|| {
        probe.guess_file_type().map(|p| p.file_type())
    }));
    match guessed {
        Ok(Ok(Some(ft))) => Ok(Sniffed::Audio(ft)),
        Ok(Ok(None)) | Err(_) => Ok(Sniffed::Unknown),
        Ok(Err(e)) => Err(e),
    }
}

fn read_up_to<R: Read>(file: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Containers lofty 0.22 cannot read, recognized by their magic bytes so the problem list can
/// say what the file is.
fn unsupported_container(head: &[u8]) -> Option<&'static str> {
    const ASF: [u8; 16] = [
        0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE,
        0x6C,
    ];
    if head.starts_with(&ASF) {
        return Some("Windows Media Audio (ASF)");
    }
    let table: &[(&[u8], &str)] = &[
        (b"DSD ", "DSD Stream File (DSF)"),
        (b"FRM8", "DSDIFF (DFF)"),
        (b"tBaK", "TAK"),
        (b"TTA1", "True Audio (TTA)"),
        (b"OFR ", "OptimFROG"),
        (b"MThd", "MIDI"),
        (b"\x1a\x45\xdf\xa3", "Matroska"),
        (b"FLV", "Flash Video"),
        (b"\x0b\x77", "AC-3"),
        (b"caff", "Core Audio Format"),
    ];
    table
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|(_, name)| *name)
}

pub fn format_name(ft: &FileType) -> &'static str {
    match ft {
        FileType::Aac => "aac",
        FileType::Aiff => "aiff",
        FileType::Ape => "ape",
        FileType::Flac => "flac",
        FileType::Mpeg => "mp3",
        FileType::Mp4 => "m4a",
        FileType::Mpc => "mpc",
        FileType::Opus => "opus",
        FileType::Vorbis => "ogg",
        FileType::Speex => "spx",
        FileType::Wav => "wav",
        FileType::WavPack => "wv",
        _ => "other",
    }
}

/// Reads tags, properties and the front cover of an open file whose type was sniffed.
///
/// # Errors
/// [`ReadError`] saying what is wrong with the file.
pub fn read_content<R: Read + Seek>(
    file: &mut R,
    file_type: FileType,
) -> Result<FileContent, ReadError> {
    let format = format_name(&file_type);
    // A malformed tag must not cost the whole file: when reading with tags fails, read the
    // audio properties alone and catalog the file untagged (it then shows by its name).
    let mut result = read_tagged(file, file_type, true);
    if matches!(result, Ok(Err(_))) {
        if let Ok(Ok(untagged)) = read_tagged(file, file_type, false) {
            result = Ok(Ok(untagged));
        }
    }
    let (tagged, codec) = match result {
        Ok(Ok(read)) => read,
        Ok(Err(e)) => {
            return Err(ReadError::Broken {
                format,
                reason: e.to_string(),
            })
        }
        Err(_) => return Err(ReadError::ParserPanic { format }),
    };
    let props = tagged.properties();
    let duration_ms = u64::try_from(props.duration().as_millis())
        .ok()
        .filter(|&ms| ms > 0);
    let sample_rate = props.sample_rate().filter(|&r| r > 0);
    if duration_ms.is_none() && sample_rate.is_none() {
        return Err(ReadError::Broken {
            format,
            reason: "no audio stream found".into(),
        });
    }
    let props = AudioProps {
        duration_ms,
        sample_rate,
        bit_depth: props.bit_depth().filter(|&b| b > 0),
        channels: props.channels().filter(|&c| c > 0),
        bitrate: props
            .audio_bitrate()
            .or(props.overall_bitrate())
            .filter(|&b| b > 0),
        format,
        codec,
    };
    let tags = collect_tags(&tagged);
    let cover = front_cover(&tagged);
    Ok(FileContent {
        file_type,
        tags,
        props,
        cover,
    })
}

type ReadResult = std::thread::Result<lofty::error::Result<(TaggedFile, Option<String>)>>;

fn read_tagged<R: Read + Seek>(file: &mut R, file_type: FileType, with_tags: bool) -> ReadResult {
    if let Err(e) = file.seek(SeekFrom::Start(0)) {
        return Ok(Err(e.into()));
    }
    let options = ParseOptions::new()
        .parsing_mode(ParsingMode::BestAttempt)
        .read_cover_art(with_tags)
        .read_tags(with_tags);
    catch_unwind(AssertUnwindSafe(
        || -> lofty::error::Result<(TaggedFile, Option<String>)> {
            let mut reader = &mut *file;
            // MP4 and WAV carry the codec only in their specific properties.
            match file_type {
                FileType::Mp4 => {
                    let mp4 = lofty::mp4::Mp4File::read_from(&mut reader, options)?;
                    let codec = match mp4.properties().codec() {
                        lofty::mp4::Mp4Codec::AAC => Some("aac"),
                        lofty::mp4::Mp4Codec::ALAC => Some("alac"),
                        lofty::mp4::Mp4Codec::MP3 => Some("mp3"),
                        lofty::mp4::Mp4Codec::FLAC => Some("flac"),
                        _ => None,
                    };
                    let repeated = repeated_ilst_values(&mp4);
                    let mut tagged = TaggedFile::from(mp4);
                    if let Some(tag) = tagged.tag_mut(TagType::Mp4Ilst) {
                        for (key, values) in repeated {
                            tag.remove_key(&key);
                            for v in values {
                                tag.push(TagItem::new(key.clone(), ItemValue::Text(v)));
                            }
                        }
                    }
                    Ok((tagged, codec.map(String::from)))
                }
                FileType::Wav => {
                    let wav = lofty::iff::wav::WavFile::read_from(&mut reader, options)?;
                    let codec = match wav.properties().format() {
                        lofty::iff::wav::WavFormat::PCM => "pcm".to_string(),
                        lofty::iff::wav::WavFormat::IEEE_FLOAT => "pcm_float".to_string(),
                        lofty::iff::wav::WavFormat::Other(0x55) => "mp3".to_string(),
                        lofty::iff::wav::WavFormat::Other(tag) => format!("wav format 0x{tag:04x}"),
                    };
                    Ok((TaggedFile::from(wav), Some(codec)))
                }
                _ => {
                    let tagged = Probe::with_file_type(reader, file_type)
                        .options(options)
                        .read()?;
                    Ok((tagged, default_codec(&file_type).map(String::from)))
                }
            }
        },
    ))
}

/// MP4 atoms holding several values (two ©wrt composers, as taggers write them). Lofty's generic
/// tag keeps only the first value of each atom, so these are put back after the conversion.
fn repeated_ilst_values(mp4: &lofty::mp4::Mp4File) -> Vec<(ItemKey, Vec<String>)> {
    use lofty::mp4::{AtomData, AtomIdent};
    let Some(ilst) = mp4.ilst() else {
        return Vec::new();
    };
    ilst.into_iter()
        .filter_map(|atom| {
            let values: Vec<String> = atom
                .data()
                .filter_map(|d| match d {
                    AtomData::UTF8(t) | AtomData::UTF16(t) => Some(t.clone()),
                    _ => None,
                })
                .collect();
            if values.len() < 2 {
                return None;
            }
            let name = match atom.ident() {
                // Four bytes, "©" included, as Latin-1: the way lofty spells its keys.
                AtomIdent::Fourcc(code) => code.iter().map(|&b| char::from(b)).collect(),
                AtomIdent::Freeform { mean, name } => format!("----:{mean}:{name}"),
            };
            match ItemKey::from_key(TagType::Mp4Ilst, &name) {
                ItemKey::Unknown(_) => None,
                key => Some((key, values)),
            }
        })
        .collect()
}

fn default_codec(ft: &FileType) -> Option<&'static str> {
    Some(match ft {
        FileType::Aac => "aac",
        FileType::Aiff => "pcm",
        FileType::Ape => "ape",
        FileType::Flac => "flac",
        FileType::Mpeg => "mp3",
        FileType::Mpc => "musepack",
        FileType::Opus => "opus",
        FileType::Vorbis => "vorbis",
        FileType::Speex => "speex",
        FileType::WavPack => "wavpack",
        _ => return None,
    })
}

/// Tags in preference order: the format's primary tag first, then the others (an MP3's ID3v1
/// or APE tag fills only what ID3v2 lacks).
fn ordered_tags(tagged: &TaggedFile) -> Vec<&Tag> {
    let primary = tagged.primary_tag();
    let mut tags: Vec<&Tag> = primary.into_iter().collect();
    tags.extend(
        tagged
            .tags()
            .iter()
            .filter(|t| Some(t.tag_type()) != primary.map(|p| p.tag_type())),
    );
    tags
}

fn collect_tags(tagged: &TaggedFile) -> TrackTags {
    let tags = ordered_tags(tagged);
    let first = |key: ItemKey| tags.iter().find_map(|t| clean(t.get_string(&key)));
    let all = |key: ItemKey| -> Vec<String> {
        for t in &tags {
            let values = split_values(t.get_strings(&key));
            if !values.is_empty() {
                return values;
            }
        }
        Vec::new()
    };
    // Fields without an ItemKey, under the names MusicBrainz Picard and common taggers write.
    let custom = |names: &[&str]| -> Option<String> {
        tags.iter().find_map(|t| {
            t.items().find_map(|item| match (item.key(), item.value()) {
                (ItemKey::Unknown(k), ItemValue::Text(v))
                    if names.contains(&custom_key(k).as_str()) =>
                {
                    clean(Some(v))
                }
                _ => None,
            })
        })
    };
    let (track_no, track_in_no) = first(ItemKey::TrackNumber)
        .or_else(|| custom(&["TRACKNUMBER", "TRACK"]))
        .map(|s| number_pair(&s))
        .unwrap_or_default();
    let (disc_no, disc_in_no) = first(ItemKey::DiscNumber)
        .or_else(|| custom(&["DISCNUMBER", "DISC"]))
        .map(|s| number_pair(&s))
        .unwrap_or_default();
    let mut artists = all(ItemKey::TrackArtists);
    if artists.is_empty() {
        artists = all(ItemKey::TrackArtist);
    }
    let mut orchestrators = all(ItemKey::Arranger);
    if let Some(o) = custom(&["ORCHESTRATOR", "ORCHESTRATION"]) {
        orchestrators.extend(split_values(std::iter::once(o.as_str())));
    }
    let mut catalog_numbers = all(ItemKey::CatalogNumber);
    catalog_numbers.dedup();
    TrackTags {
        title: first(ItemKey::TrackTitle),
        artists,
        album: first(ItemKey::AlbumTitle),
        album_artist: first(ItemKey::AlbumArtist),
        composers: all(ItemKey::Composer),
        conductors: all(ItemKey::Conductor),
        orchestrators,
        performers: all(ItemKey::Performer),
        date: first(ItemKey::RecordingDate)
            .or_else(|| first(ItemKey::Year))
            .or_else(|| first(ItemKey::ReleaseDate)),
        original_date: first(ItemKey::OriginalReleaseDate)
            .or_else(|| custom(&["ORIGINALYEAR", "TDOR"])),
        genre: first(ItemKey::Genre),
        track_no,
        track_total: first(ItemKey::TrackTotal)
            .or_else(|| custom(&["TRACKTOTAL", "TOTALTRACKS"]))
            .and_then(|s| number_pair(&s).0)
            .or(track_in_no),
        disc_no,
        disc_total: first(ItemKey::DiscTotal)
            .or_else(|| custom(&["DISCTOTAL", "TOTALDISCS"]))
            .and_then(|s| number_pair(&s).0)
            .or(disc_in_no),
        disc_subtitle: first(ItemKey::SetSubtitle),
        label: first(ItemKey::Label).or_else(|| first(ItemKey::Publisher)),
        catalog_numbers,
        barcode: first(ItemKey::Barcode),
        release_type: custom(&["RELEASETYPE", "MUSICBRAINZALBUMTYPE"]),
        release_comment: custom(&["RELEASECOMMENT", "MUSICBRAINZALBUMCOMMENT", "EDITION"]),
        comment: first(ItemKey::Comment),
        compilation: first(ItemKey::FlagCompilation)
            .is_some_and(|v| matches!(v.as_str(), "1" | "true" | "True" | "yes")),
        mb_track_id: first(ItemKey::MusicBrainzTrackId),
        mb_recording_id: first(ItemKey::MusicBrainzRecordingId),
        mb_album_id: first(ItemKey::MusicBrainzReleaseId),
        mb_artist_id: first(ItemKey::MusicBrainzArtistId),
        mb_album_artist_id: first(ItemKey::MusicBrainzReleaseArtistId),
        mb_release_group_id: first(ItemKey::MusicBrainzReleaseGroupId),
        rg_track_gain: first(ItemKey::ReplayGainTrackGain).and_then(|s| parse_gain(&s)),
        rg_track_peak: first(ItemKey::ReplayGainTrackPeak).and_then(|s| parse_gain(&s)),
        rg_album_gain: first(ItemKey::ReplayGainAlbumGain).and_then(|s| parse_gain(&s)),
        rg_album_peak: first(ItemKey::ReplayGainAlbumPeak).and_then(|s| parse_gain(&s)),
    }
}

/// "----:com.apple.iTunes:MusicBrainz Album Type" and "MUSICBRAINZ_ALBUMTYPE" both become
/// "MUSICBRAINZALBUMTYPE".
fn custom_key(raw: &str) -> String {
    let name = raw.rsplit(':').next().unwrap_or(raw);
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Multi-valued fields arrive as repeated items or as one value joined with ";", "/" or NUL
/// (ID3v2.3 habits). Commas and "&" stay: "Earth, Wind & Fire" is one artist.
fn split_values<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        for part in value.split([';', '\0']) {
            if let Some(part) = clean(Some(part)) {
                if !out.contains(&part) {
                    out.push(part);
                }
            }
        }
    }
    out
}

/// "3", "3/12", " 03 " → (Some(3), total).
fn number_pair(s: &str) -> (Option<u32>, Option<u32>) {
    let mut parts = s.splitn(2, '/');
    let num = |p: Option<&str>| {
        p.map(str::trim).and_then(|p| {
            let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<u32>().ok().filter(|&n| n > 0)
        })
    };
    (num(parts.next()), num(parts.next()))
}

/// "-6.48 dB" → -6.48
fn parse_gain(s: &str) -> Option<f64> {
    let s = s
        .trim()
        .trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace());
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The leading four-digit year of a date string.
pub fn year_of(s: &str) -> Option<i32> {
    let digits: String = s.trim().chars().take(4).collect();
    if digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()) {
        digits.parse().ok().filter(|&y| y > 0)
    } else {
        None
    }
}

fn front_cover(tagged: &TaggedFile) -> Option<EmbeddedPicture> {
    let pictures: Vec<_> = tagged
        .tags()
        .iter()
        .flat_map(|t| t.pictures())
        .filter(|p| !p.data().is_empty())
        .collect();
    let best = pictures
        .iter()
        .find(|p| p.pic_type() == PictureType::CoverFront)
        .or_else(|| pictures.iter().find(|p| p.pic_type() == PictureType::Other))
        .or_else(|| pictures.first())?;
    let mime = match best.mime_type() {
        Some(MimeType::Jpeg) => "image/jpeg".to_string(),
        Some(MimeType::Png) => "image/png".to_string(),
        Some(m) => m.as_str().to_string(),
        None => "application/octet-stream".to_string(),
    };
    Some(EmbeddedPicture {
        mime,
        data: best.data().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_pairs_read_plain_and_slashed_forms() {
        assert_eq!(number_pair("3"), (Some(3), None));
        assert_eq!(
            number_pair("03/12"),
            (Some(3), Some(12)),
            "leading zeros and totals are common"
        );
        assert_eq!(number_pair("x"), (None, None), "garbage is no number");
        assert_eq!(number_pair("0"), (None, None), "track zero means unset");
    }

    #[test]
    fn values_split_on_semicolons_but_not_on_commas() {
        let v = split_values(["Hans Zimmer; Lisa Gerrard", "Earth, Wind & Fire"].into_iter());
        assert_eq!(v, vec!["Hans Zimmer", "Lisa Gerrard", "Earth, Wind & Fire"]);
    }

    #[test]
    fn custom_keys_match_across_tag_formats() {
        assert_eq!(
            custom_key("----:com.apple.iTunes:MusicBrainz Album Type"),
            "MUSICBRAINZALBUMTYPE"
        );
        assert_eq!(custom_key("MUSICBRAINZ_ALBUMTYPE"), "MUSICBRAINZALBUMTYPE");
        assert_eq!(custom_key("releasecomment"), "RELEASECOMMENT");
    }

    #[test]
    fn gains_and_years_parse_leniently() {
        assert_eq!(parse_gain("-6.48 dB"), Some(-6.48));
        assert_eq!(parse_gain("0.988553"), Some(0.988553));
        assert_eq!(year_of("1977-05-25"), Some(1977));
        assert_eq!(year_of("77"), None, "two-digit years are ambiguous");
    }
}
