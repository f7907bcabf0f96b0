//! The audio formats the testkit writes, and how each maps onto lofty's file and tag types.
//!
//! Only formats lofty can both read and write with a native tag are listed; everything
//! else in the corpus (DSF, WMA, APE, Musepack, AIFF, ...) is never selected as a source.

use lofty::file::FileType;
use lofty::tag::TagType;
use serde::{Deserialize, Serialize};

/// A container/codec family a generated file can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum AudioFormat {
    Ogg,
    Opus,
    Flac,
    Mp3,
    M4a,
    Wv,
    Wav,
}

impl AudioFormat {
    /// Every format, in the order the reference builder rotates through them.
    pub(crate) const ALL: [AudioFormat; 7] = [
        AudioFormat::Mp3,
        AudioFormat::Flac,
        AudioFormat::M4a,
        AudioFormat::Wv,
        AudioFormat::Wav,
        AudioFormat::Opus,
        AudioFormat::Ogg,
    ];

    /// Lower-case file extension, which is also the format's name in [`crate::RefTrack`].
    pub(crate) fn extension(self) -> &'static str {
        match self {
            AudioFormat::Ogg => "ogg",
            AudioFormat::Opus => "opus",
            AudioFormat::Flac => "flac",
            AudioFormat::Mp3 => "mp3",
            AudioFormat::M4a => "m4a",
            AudioFormat::Wv => "wv",
            AudioFormat::Wav => "wav",
        }
    }

    /// The format lofty detected from the file's content, if it is one we write.
    pub(crate) fn from_file_type(file_type: FileType) -> Option<Self> {
        Some(match file_type {
            FileType::Vorbis => AudioFormat::Ogg,
            FileType::Opus => AudioFormat::Opus,
            FileType::Flac => AudioFormat::Flac,
            FileType::Mpeg => AudioFormat::Mp3,
            FileType::Mp4 => AudioFormat::M4a,
            FileType::WavPack => AudioFormat::Wv,
            FileType::Wav => AudioFormat::Wav,
            _ => return None,
        })
    }

    /// Whether a corpus file's own extension agrees with this content format.
    ///
    /// A disagreement (a WAV named `.ogg`, an MP3 inside `.wav`) marks a deliberately odd
    /// test file, which a clean fixture must not inherit.
    pub(crate) fn matches_extension(self, ext: &str) -> bool {
        let ext = ext.to_ascii_lowercase();
        match self {
            AudioFormat::Ogg => ext == "ogg" || ext == "oga",
            AudioFormat::M4a => ext == "m4a",
            other => ext == other.extension(),
        }
    }

    /// Every tag type to remove from a source before tagging, so that none of its old tags
    /// survive.
    pub(crate) fn strippable_tags(self) -> &'static [TagType] {
        match self {
            AudioFormat::Ogg | AudioFormat::Opus => &[TagType::VorbisComments],
            AudioFormat::Flac => &[TagType::VorbisComments, TagType::Id3v2],
            AudioFormat::Mp3 => &[TagType::Id3v2, TagType::Ape, TagType::Id3v1],
            // Removing the `ilst` would leave a `meta` without one, into which lofty 0.22
            // writes the next `ilst` over the `hdlr` atom. Writing a new `ilst` replaces
            // the old one whole, so MP4 sources keep theirs until then.
            AudioFormat::M4a => &[],
            AudioFormat::Wv => &[TagType::Ape, TagType::Id3v1],
            AudioFormat::Wav => &[TagType::Id3v2, TagType::RiffInfo],
        }
    }
}

impl std::fmt::Display for AudioFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}
