//! Decoding cataloged files into frames for previews and analysis.
//!
//! This module owns one question: "what samples does this file hold?". [`open`] picks the demuxer
//! from the container the catalog recorded (`tracks.format`), confirmed by the file's magic bytes,
//! and never from the file name or a generic probe: a probe that scans for markers can take a
//! WavPack file (whose first block embeds a RIFF header) for WAV and play its compressed bytes as
//! full-scale noise. A format or codec without a correct decoder here is
//! [`PreviewError::Unavailable`] with a reason, never a guess.
//!
//! What the demuxer sees is a byte range of the file, read-only: leading ID3v2 and trailing
//! ID3v1/APEv2 tags are outside it (MP3, ADTS, FLAC), so no tag byte is scanned for a frame sync,
//! and FLAC metadata blocks other than STREAMINFO and SEEKTABLE are shown as padding, as symphonia
//! would otherwise reject whole files over a cuesheet or picture it validates strictly.
//!
//! Invariants of a [`FileFrames`] stream:
//! - Channel count and sample rate are fixed at [`open`] from the first decoded packet; a codec that
//!   changes them mid-stream is an error, not garbage.
//! - Samples are interleaved `f32`, clamped to -1.0..=1.0, never NaN.
//! - A damaged packet is skipped; a truncated end ends the stream; only a stream that yields
//!   nothing but damage (or a decoder that crashes) is an error naming the file.
//! - [`Frames::seek`] is accurate to the frame: symphonia's accurate seek lands on a packet at or
//!   before the target (a little earlier for lossy codecs, so their overlap windows are primed),
//!   then decoded frames are dropped up to the requested frame using the packets' timestamps.
//! - Positions are counted from decoded frames (packet timestamps are trusted only to land a
//!   seek), and output stops at the container's length when it is exact (FLAC, Ogg, MP4, WAV,
//!   AIFF), not at an estimate (MP3 without a Xing header, ADTS). MP3 is gapless (encoder delay
//!   and padding trimmed) unless its Xing/LAME header is implausible.
//! - Memory is bounded by one packet of decoded audio plus symphonia's read buffer.
//!
//! Threading: a `FileFrames` is used by one thread at a time (it is `Send`, not shared).
//! Symphonia parses untrusted bytes and can panic on hostile files; every call into it is guarded
//! and a panic becomes a [`PreviewError::Decode`].

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::Duration;

use symphonia::core::audio::{Channels, SampleBuffer, SignalSpec};
use symphonia::core::codecs::{self, CodecParameters, CodecType, Decoder, DecoderOptions};
use symphonia::core::errors::{Error as SymphoniaError, SeekErrorKind};
use symphonia::core::formats::{FormatOptions, FormatReader, SeekMode, SeekTo};
use symphonia::core::io::{MediaSource, MediaSourceStream, MediaSourceStreamOptions};
use symphonia::default::formats::{
    AdtsReader, AiffReader, FlacReader, IsoMp4Reader, MpaReader, OggReader, WavReader,
};

use super::{Frames, PreviewError};

/// Damaged packets in a row after which a stream is given up: a tail of damage ends the stream,
/// damage from the first packet on is an error.
const MAX_DAMAGED_IN_A_ROW: u32 = 64;
/// Frames decoded before a seek target with lossy codecs, so the first frame kept does not depend
/// on state (overlap windows, the MP3 bit reservoir) the decoder has not seen.
const LOSSY_PREROLL_FRAMES: u64 = 4096;
/// Seeks tried, each from further back, before seeking from the start.
const SEEK_ATTEMPTS: u32 = 4;
/// Stacked ID3v2 tags skipped before MPEG, ADTS and FLAC streams.
const MAX_ID3V2_TAGS: usize = 8;
/// Zero padding skipped after a leading ID3v2 tag.
const MAX_ZERO_PADDING: u64 = 64 * 1024;
/// Metadata blocks walked at the head of a FLAC file.
const MAX_FLAC_BLOCKS: usize = 1024;
/// More frames than any real file holds (a week at 384 kHz): a length beyond is a corrupt field.
const MAX_FRAMES: u64 = 7 * 24 * 3600 * 384_000;

/// The demuxer chosen for a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Flac,
    Ogg,
    Mpeg,
    Adts,
    Mp4,
    Wav,
    Aiff,
}

const PCM_CODECS: &[CodecType] = &[
    codecs::CODEC_TYPE_PCM_S32LE,
    codecs::CODEC_TYPE_PCM_S32LE_PLANAR,
    codecs::CODEC_TYPE_PCM_S32BE,
    codecs::CODEC_TYPE_PCM_S32BE_PLANAR,
    codecs::CODEC_TYPE_PCM_S24LE,
    codecs::CODEC_TYPE_PCM_S24LE_PLANAR,
    codecs::CODEC_TYPE_PCM_S24BE,
    codecs::CODEC_TYPE_PCM_S24BE_PLANAR,
    codecs::CODEC_TYPE_PCM_S16LE,
    codecs::CODEC_TYPE_PCM_S16LE_PLANAR,
    codecs::CODEC_TYPE_PCM_S16BE,
    codecs::CODEC_TYPE_PCM_S16BE_PLANAR,
    codecs::CODEC_TYPE_PCM_S8,
    codecs::CODEC_TYPE_PCM_S8_PLANAR,
    codecs::CODEC_TYPE_PCM_U32LE,
    codecs::CODEC_TYPE_PCM_U32LE_PLANAR,
    codecs::CODEC_TYPE_PCM_U32BE,
    codecs::CODEC_TYPE_PCM_U32BE_PLANAR,
    codecs::CODEC_TYPE_PCM_U24LE,
    codecs::CODEC_TYPE_PCM_U24LE_PLANAR,
    codecs::CODEC_TYPE_PCM_U24BE,
    codecs::CODEC_TYPE_PCM_U24BE_PLANAR,
    codecs::CODEC_TYPE_PCM_U16LE,
    codecs::CODEC_TYPE_PCM_U16LE_PLANAR,
    codecs::CODEC_TYPE_PCM_U16BE,
    codecs::CODEC_TYPE_PCM_U16BE_PLANAR,
    codecs::CODEC_TYPE_PCM_U8,
    codecs::CODEC_TYPE_PCM_U8_PLANAR,
    codecs::CODEC_TYPE_PCM_F32LE,
    codecs::CODEC_TYPE_PCM_F32LE_PLANAR,
    codecs::CODEC_TYPE_PCM_F32BE,
    codecs::CODEC_TYPE_PCM_F32BE_PLANAR,
    codecs::CODEC_TYPE_PCM_F64LE,
    codecs::CODEC_TYPE_PCM_F64LE_PLANAR,
    codecs::CODEC_TYPE_PCM_F64BE,
    codecs::CODEC_TYPE_PCM_F64BE_PLANAR,
    codecs::CODEC_TYPE_PCM_ALAW,
    codecs::CODEC_TYPE_PCM_MULAW,
];

impl Container {
    /// Whether this container may carry this codec to our decoders. Anything else in the
    /// container (Opus in Ogg, ADPCM in WAV, video in MP4) is not decoded.
    fn accepts(self, codec: CodecType, format: &str) -> bool {
        match self {
            Self::Flac => codec == codecs::CODEC_TYPE_FLAC,
            Self::Ogg if format == "flac" => codec == codecs::CODEC_TYPE_FLAC,
            Self::Ogg => codec == codecs::CODEC_TYPE_VORBIS,
            Self::Mpeg => codec == codecs::CODEC_TYPE_MP3,
            Self::Adts => codec == codecs::CODEC_TYPE_AAC,
            Self::Mp4 => codec == codecs::CODEC_TYPE_AAC || codec == codecs::CODEC_TYPE_ALAC,
            Self::Wav | Self::Aiff => PCM_CODECS.contains(&codec),
        }
    }
}

impl Container {
    /// Whether the container's length is exact rather than estimated from the bitrate.
    fn has_exact_length(self) -> bool {
        !matches!(self, Self::Mpeg | Self::Adts)
    }
}

/// Whether a codec is lossy, so that seeks decode a little before the target.
fn is_lossy(codec: CodecType) -> bool {
    [
        codecs::CODEC_TYPE_MP3,
        codecs::CODEC_TYPE_AAC,
        codecs::CODEC_TYPE_VORBIS,
    ]
    .contains(&codec)
}

/// A name for a codec in messages.
fn codec_name(codec: CodecType) -> String {
    let known: &[(CodecType, &str)] = &[
        (codecs::CODEC_TYPE_OPUS, "Opus"),
        (codecs::CODEC_TYPE_SPEEX, "Speex"),
        (codecs::CODEC_TYPE_MP1, "MPEG layer I"),
        (codecs::CODEC_TYPE_MP2, "MPEG layer II"),
        (codecs::CODEC_TYPE_MP3, "MP3"),
        (codecs::CODEC_TYPE_AAC, "AAC"),
        (codecs::CODEC_TYPE_ALAC, "ALAC"),
        (codecs::CODEC_TYPE_FLAC, "FLAC"),
        (codecs::CODEC_TYPE_VORBIS, "Vorbis"),
        (codecs::CODEC_TYPE_WAVPACK, "WavPack"),
        (codecs::CODEC_TYPE_MONKEYS_AUDIO, "Monkey's Audio"),
        (codecs::CODEC_TYPE_MUSEPACK, "Musepack"),
        (codecs::CODEC_TYPE_ADPCM_MS, "Microsoft ADPCM"),
        (codecs::CODEC_TYPE_ADPCM_IMA_WAV, "IMA ADPCM"),
        (codecs::CODEC_TYPE_ADPCM_IMA_QT, "IMA ADPCM"),
        (codecs::CODEC_TYPE_EAC3, "E-AC-3"),
        (codecs::CODEC_TYPE_WMA, "WMA"),
        (codecs::CODEC_TYPE_NULL, "no audio"),
    ];
    if let Some((_, name)) = known.iter().find(|(c, _)| *c == codec) {
        return (*name).to_string();
    }
    if PCM_CODECS.contains(&codec) {
        return "PCM".into();
    }
    match symphonia::default::get_codecs().get_codec(codec) {
        Some(d) => d.long_name.to_string(),
        None => format!("an unknown codec ({codec})"),
    }
}

/// Why a catalog format has no decoder here, for formats refused before opening the file.
fn unavailable_reason(format: &str) -> Option<&'static str> {
    Some(match format {
        "flac" | "ogg" | "mp3" | "aac" | "m4a" | "wav" | "aiff" => return None,
        "opus" => "Opus audio has no decoder here (Symphonia 0.5 cannot decode Opus)",
        "wv" => "WavPack audio has no decoder here",
        "ape" => "Monkey's Audio has no decoder here",
        "mpc" => "Musepack audio has no decoder here",
        "spx" => "Speex audio has no decoder here",
        "other" => "this kind of file has no decoder here",
        _ => "unknown format, no decoder here",
    })
}

/// A decoded stream over one file. See the module documentation for its guarantees.
pub struct FileFrames {
    path: String,
    /// The catalog format, for messages.
    format: String,
    reader: Box<dyn FormatReader>,
    decoder: Box<dyn Decoder>,
    track_id: u32,
    /// Packet timestamps are `ts * tb_numer / tb_denom` seconds, counted from `start_ts`.
    tb_numer: u64,
    tb_denom: u64,
    start_ts: u64,
    /// Length in packet timestamp units, when the container says.
    n_ts: Option<u64>,
    /// The container's length is exact (not an estimate): output stops there.
    exact_length: bool,
    channels: u16,
    sample_rate: u32,
    preroll: u64,
    samples: SampleBuffer<f32>,
    /// The current block is `samples.samples()[block_start..block_end]`.
    block_start: usize,
    block_end: usize,
    /// The current block was decoded ahead (by `open` or `seek`) and not yet returned.
    pending: bool,
    /// After a seek: the first frame to keep.
    skip_until: Option<u64>,
    /// The frame just after the last decoded one. Counted from decoded frames, not taken from
    /// packet timestamps, which some Ogg files get wrong (they wrap below zero)...
    position: u64,
    /// ...except right after a seek, where the landing packet's timestamp is the only position.
    resync: bool,
    /// Where the last seek landed.
    landed: Option<u64>,
    /// Channels and rate are known from a decoded packet.
    format_fixed: bool,
    decoded_any: bool,
    ended: bool,
    failed: Option<PreviewError>,
}

/// Opens `path` as the catalog's `format` (`tracks.format`) and decodes its first packet.
///
/// # Errors
/// [`PreviewError::Unavailable`] when the format or codec has no correct decoder here, or the
/// file's bytes are not the container the catalog says; [`PreviewError::Io`] when the file
/// cannot be read; [`PreviewError::Decode`] when it is damaged from the start.
pub fn open(path: &Path, format: &str) -> Result<FileFrames, PreviewError> {
    if let Some(reason) = unavailable_reason(format) {
        return Err(PreviewError::Unavailable(format!("{format}: {reason}")));
    }
    let shown = path.display().to_string();
    let io_error = |e: io::Error| PreviewError::Io {
        path: shown.clone(),
        reason: e.to_string(),
    };
    let mut file = File::open(path).map_err(io_error)?;
    let len = file.metadata().map_err(io_error)?.len();
    let layout = locate(&mut file, len, format).map_err(|e| match e {
        Locate::Io(e) => io_error(e),
        Locate::Not(reason) => PreviewError::Unavailable(format!("{format}: {reason}")),
    })?;
    let mut opened = open_reader(file, &layout, true);
    if layout.container == Container::Mpeg && needs_plain_mpeg(&opened) {
        // Gapless trimming trusts the Xing/LAME header; a bad one (zero frames, or more padding
        // than frames) would cut the whole stream or crash. Play the frames as they are.
        let file = File::open(path).map_err(io_error)?;
        opened = open_reader(file, &layout, false);
    }
    let reader = opened
        .map_err(io_error)?
        .ok_or_else(|| decode_error(&shown, "the demuxer crashed on this file"))?
        .map_err(|e| match e {
            SymphoniaError::Unsupported(what) => {
                PreviewError::Unavailable(format!("{format}: not supported here ({what})"))
            }
            SymphoniaError::IoError(e) if e.kind() != io::ErrorKind::UnexpectedEof => io_error(e),
            other => decode_error(&shown, &other.to_string()),
        })?;

    let Some(track) = reader
        .tracks()
        .iter()
        .find(|t| layout.container.accepts(t.codec_params.codec, format))
        .cloned()
    else {
        let found = reader
            .tracks()
            .iter()
            .find(|t| t.codec_params.codec != codecs::CODEC_TYPE_NULL)
            .map(|t| codec_name(t.codec_params.codec))
            .unwrap_or_else(|| "no audio track".into());
        return Err(PreviewError::Unavailable(format!(
            "{format}: {found} has no decoder here"
        )));
    };
    let params = &track.codec_params;
    let make = |params: &CodecParameters| {
        guard(|| symphonia::default::get_codecs().make(params, &DecoderOptions { verify: false }))
    };
    let mut made = make(params);
    if matches!(made, Some(Err(_))) {
        if let Some(fixed) = lenient_aac_config(params) {
            made = make(&fixed);
        }
    }
    let decoder = made
        .ok_or_else(|| decode_error(&shown, "the decoder crashed on this file"))?
        .map_err(|e| match e {
            SymphoniaError::Unsupported(what) => PreviewError::Unavailable(format!(
                "{format}: {} not supported here ({what})",
                codec_name(params.codec)
            )),
            other => decode_error(&shown, &other.to_string()),
        })?;
    let sample_rate = params.sample_rate.unwrap_or(0);
    let (tb_numer, tb_denom) = match params.time_base {
        Some(tb) if tb.numer > 0 && tb.denom > 0 => (u64::from(tb.numer), u64::from(tb.denom)),
        _ => (1, u64::from(sample_rate.max(1))),
    };
    let mut frames = FileFrames {
        path: shown,
        format: format.to_string(),
        reader,
        decoder,
        track_id: track.id,
        tb_numer,
        tb_denom,
        start_ts: params.start_ts,
        n_ts: params.n_frames.filter(|n| *n > 0),
        exact_length: layout.container.has_exact_length(),
        channels: params.channels.map(|c| c.count() as u16).unwrap_or(0),
        sample_rate,
        preroll: if is_lossy(params.codec) {
            LOSSY_PREROLL_FRAMES
        } else {
            0
        },
        samples: SampleBuffer::new(0, SignalSpec::new(1, Channels::FRONT_LEFT)),
        block_start: 0,
        block_end: 0,
        pending: false,
        skip_until: None,
        position: 0,
        resync: false,
        landed: None,
        format_fixed: false,
        decoded_any: false,
        ended: false,
        failed: None,
    };
    if frames.total_frames().is_none() {
        // A length no file has (a wrapped header field) is no length.
        frames.n_ts = None;
    }
    // The first packet fixes the real channel count and rate (an HE-AAC stream, for one, decodes
    // at another rate than its container declares). A file without a single decodable frame is
    // damaged, whatever its header says.
    if !frames.decode_next()? {
        return Err(decode_error(
            &frames.path,
            "the file holds no decodable audio",
        ));
    }
    frames.pending = true;
    Ok(frames)
}

/// AAC-LC parameters with the two GASpecificConfig flags an LC stream does not use
/// (`dependsOnCoreCoder`, `extensionFlag`) cleared, for files whose 2-byte AudioSpecificConfig
/// sets them without the fields they announce; symphonia then runs out of bits where other
/// decoders ignore the flags. `None` when that is not the problem.
fn lenient_aac_config(params: &CodecParameters) -> Option<CodecParameters> {
    const AAC_LC: u8 = 2;
    let config = params.extra_data.as_deref()?;
    if params.codec != codecs::CODEC_TYPE_AAC || config.len() != 2 || config[0] >> 3 != AAC_LC {
        return None;
    }
    if config[1] & 0x03 == 0 {
        return None;
    }
    let mut fixed = params.clone();
    fixed.extra_data = Some(Box::new([config[0], config[1] & !0x03]));
    Some(fixed)
}

/// What a demuxer open gave: an I/O error, a crash (`None`), or symphonia's result.
type Opened = io::Result<Option<symphonia::core::errors::Result<Box<dyn FormatReader>>>>;

/// Whether an MPEG stream opened with gapless trimming must be opened without it.
fn needs_plain_mpeg(opened: &Opened) -> bool {
    match opened {
        Ok(None) => true,
        Ok(Some(Ok(reader))) => reader.tracks().first().is_some_and(|t| {
            t.codec_params
                .n_frames
                .is_some_and(|n| n == 0 || n > MAX_FRAMES)
        }),
        _ => false,
    }
}

/// Opens the demuxer of `layout` over `file`, guarding against panics.
fn open_reader(file: File, layout: &Layout, gapless: bool) -> Opened {
    let source = Span::new(file, layout)?;
    let stream = MediaSourceStream::new(Box::new(source), MediaSourceStreamOptions::default());
    let options = FormatOptions {
        enable_gapless: gapless,
        ..FormatOptions::default()
    };
    let container = layout.container;
    Ok(guard(
        || -> symphonia::core::errors::Result<Box<dyn FormatReader>> {
            Ok(match container {
                Container::Flac => Box::new(FlacReader::try_new(stream, &options)?),
                Container::Ogg => Box::new(OggReader::try_new(stream, &options)?),
                Container::Mpeg => Box::new(MpaReader::try_new(stream, &options)?),
                Container::Adts => Box::new(AdtsReader::try_new(stream, &options)?),
                Container::Mp4 => Box::new(IsoMp4Reader::try_new(stream, &options)?),
                Container::Wav => Box::new(WavReader::try_new(stream, &options)?),
                Container::Aiff => Box::new(AiffReader::try_new(stream, &options)?),
            })
        },
    ))
}

fn decode_error(path: &str, reason: &str) -> PreviewError {
    PreviewError::Decode {
        path: path.to_string(),
        reason: reason.to_string(),
    }
}

/// Runs a call into symphonia, turning a panic into `None`.
fn guard<T>(f: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(f)).ok()
}

/// What reading and decoding one packet gave.
enum Step {
    /// A block of `frames` frames; its packet's timestamp says it starts at frame `ts_first`.
    Block {
        ts_first: u64,
        frames: usize,
    },
    /// Nothing to output: another track's packet, or an empty one.
    Skip,
    /// A damaged packet, skipped.
    Damaged,
    End,
}

impl FileFrames {
    fn ts_to_frame(&self, ts: u64) -> u64 {
        let ts = ts.saturating_sub(self.start_ts);
        let frames = u128::from(ts) * u128::from(self.tb_numer) * u128::from(self.sample_rate)
            / u128::from(self.tb_denom);
        u64::try_from(frames).unwrap_or(u64::MAX)
    }

    fn frame_to_ts(&self, frame: u64) -> u64 {
        let divisor = u128::from(self.tb_numer) * u128::from(self.sample_rate.max(1));
        let ts = u128::from(frame) * u128::from(self.tb_denom) / divisor;
        u64::try_from(ts)
            .unwrap_or(u64::MAX)
            .saturating_add(self.start_ts)
    }

    fn total_frames(&self) -> Option<u64> {
        self.n_ts
            .map(|n| self.ts_to_frame(n.saturating_add(self.start_ts)))
            .filter(|n| *n <= MAX_FRAMES)
    }

    /// Records an unrecoverable problem: every later call returns it.
    fn fail(&mut self, e: PreviewError) -> PreviewError {
        self.failed = Some(e.clone());
        e
    }

    fn fail_decode(&mut self, reason: &str) -> PreviewError {
        let e = decode_error(&self.path, reason);
        self.fail(e)
    }

    /// Decodes packets until one gives frames to output (`true`) or the stream ends (`false`).
    /// After a seek, frames before `skip_until` are dropped here.
    fn decode_next(&mut self) -> Result<bool, PreviewError> {
        let mut damaged_in_a_row = 0u32;
        loop {
            let (first, frames) = match self.step()? {
                Step::Block { ts_first, frames } if self.resync => {
                    self.resync = false;
                    self.landed = Some(ts_first);
                    (ts_first, frames)
                }
                Step::Block { frames, .. } => (self.position, frames),
                Step::Skip => continue,
                Step::End => {
                    self.ended = true;
                    return Ok(false);
                }
                Step::Damaged => {
                    damaged_in_a_row += 1;
                    if damaged_in_a_row < MAX_DAMAGED_IN_A_ROW {
                        continue;
                    }
                    if self.decoded_any {
                        // Damage up to the end, as in a truncated file: keep what played.
                        self.ended = true;
                        return Ok(false);
                    }
                    return Err(self.fail_decode("no packet of the stream could be decoded"));
                }
            };
            damaged_in_a_row = 0;
            self.decoded_any = true;
            let mut frames = frames as u64;
            if let Some(total) = self.total_frames().filter(|_| self.exact_length) {
                // Past the container's exact length is encoder padding (or garbage).
                if first >= total {
                    self.ended = true;
                    return Ok(false);
                }
                frames = frames.min(total - first);
            }
            self.position = first.saturating_add(frames);
            let mut drop = 0usize;
            if let Some(target) = self.skip_until {
                if self.position <= target {
                    continue;
                }
                drop = usize::try_from(target.saturating_sub(first)).unwrap_or(usize::MAX);
                self.skip_until = None;
            }
            let channels = usize::from(self.channels);
            self.block_start = drop * channels;
            self.block_end = frames as usize * channels;
            for s in &mut self.samples.samples_mut()[self.block_start..self.block_end] {
                // Float PCM can hold anything; the contract is -1..=1 and never NaN.
                *s = if s.is_nan() { 0.0 } else { s.clamp(-1.0, 1.0) };
            }
            return Ok(true);
        }
    }

    /// Reads and decodes one packet into `samples`.
    fn step(&mut self) -> Result<Step, PreviewError> {
        let packet = match guard(|| self.reader.next_packet()) {
            None => return Err(self.fail_decode("the demuxer crashed on this file")),
            Some(Ok(p)) => p,
            // A truncated file ends where its data ends.
            Some(Err(SymphoniaError::IoError(e))) if e.kind() == io::ErrorKind::UnexpectedEof => {
                return Ok(Step::End)
            }
            Some(Err(SymphoniaError::IoError(e))) => {
                let e = PreviewError::Io {
                    path: self.path.clone(),
                    reason: e.to_string(),
                };
                return Err(self.fail(e));
            }
            // A new chained stream (Ogg): only the first one is played.
            Some(Err(SymphoniaError::ResetRequired)) => return Ok(Step::End),
            Some(Err(_)) => return Ok(Step::Damaged),
        };
        if packet.track_id() != self.track_id {
            return Ok(Step::Skip);
        }
        let decoder = &mut self.decoder;
        let samples = &mut self.samples;
        let decoded = guard(|| {
            let buf = decoder.decode(&packet)?;
            let spec = *buf.spec();
            let frames = buf.frames();
            if frames > 0 {
                if samples.capacity() < frames * spec.channels.count() {
                    *samples = SampleBuffer::new(buf.capacity() as u64, spec);
                }
                samples.copy_interleaved_ref(buf);
            }
            Ok::<_, SymphoniaError>((spec.rate, spec.channels.count(), frames))
        });
        let (rate, channels, frames) = match decoded {
            None => return Err(self.fail_decode("the decoder crashed on this file")),
            Some(Ok(d)) => d,
            Some(Err(SymphoniaError::ResetRequired)) => {
                self.decoder.reset();
                return Ok(Step::Skip);
            }
            Some(Err(SymphoniaError::Unsupported(what))) if !self.decoded_any => {
                let e = PreviewError::Unavailable(format!(
                    "{}: not supported here ({what})",
                    self.format
                ));
                return Err(self.fail(e));
            }
            Some(Err(_)) => return Ok(Step::Damaged),
        };
        if frames == 0 {
            return Ok(Step::Skip);
        }
        let channels = u16::try_from(channels).unwrap_or(u16::MAX);
        if !self.format_fixed {
            // The first decoded packet fixes the stream's format. Timestamps stay in the
            // container's time base; only the output rate may differ from what it declared.
            if rate > 0 {
                self.sample_rate = rate;
            }
            self.channels = channels;
            if self.sample_rate == 0 || self.channels == 0 {
                return Err(self.fail_decode("the stream has no sample rate or no channels"));
            }
            self.format_fixed = true;
        } else if rate != self.sample_rate || channels != self.channels {
            let reason = format!(
                "the stream changes from {} Hz, {} channels to {rate} Hz, {channels} channels",
                self.sample_rate, self.channels
            );
            return Err(self.fail_decode(&reason));
        }
        Ok(Step::Block {
            ts_first: self.ts_to_frame(packet.ts()),
            frames,
        })
    }
}

impl Frames for FileFrames {
    fn channels(&self) -> u16 {
        self.channels
    }

    fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    fn duration(&self) -> Option<Duration> {
        self.total_frames()
            .map(|n| frames_to_duration(n, self.sample_rate))
    }

    fn next_block(&mut self) -> Result<Option<&[f32]>, PreviewError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        if self.pending {
            self.pending = false;
        } else if self.ended || !self.decode_next()? {
            return Ok(None);
        }
        Ok(Some(
            &self.samples.samples()[self.block_start..self.block_end],
        ))
    }

    fn seek(&mut self, to: Duration) -> Result<Duration, PreviewError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let rate = u128::from(self.sample_rate);
        let target =
            u64::try_from((to.as_nanos() * rate + 500_000_000) / 1_000_000_000).unwrap_or(u64::MAX);
        self.pending = false;
        self.skip_until = None;
        if let Some(total) = self.total_frames() {
            if target >= total {
                self.ended = true;
                return Ok(frames_to_duration(total, self.sample_rate));
            }
        }
        // A demuxer may land after the point asked for (an Ogg page holds many packets): then
        // ask again from further back, at last from the start, which always lands before.
        let mut back_off = self.preroll;
        for attempt in 1..=SEEK_ATTEMPTS {
            let from = if attempt == SEEK_ATTEMPTS {
                0
            } else {
                target.saturating_sub(back_off)
            };
            if !self.seek_demuxer(from)? {
                self.ended = true;
                return Ok(self.duration().unwrap_or(to));
            }
            self.ended = false;
            self.skip_until = Some(target);
            self.resync = true;
            self.landed = None;
            if !self.decode_next()? {
                return Ok(frames_to_duration(self.position, self.sample_rate));
            }
            if from > 0 && self.landed.is_some_and(|landed| landed > target) {
                back_off = back_off.max(u64::from(self.sample_rate) / 10) * 4;
                continue;
            }
            break;
        }
        self.pending = true;
        Ok(to)
    }
}

impl FileFrames {
    /// Seeks the demuxer to `frame` or before it and resets the decoder; `false` when `frame` is
    /// past the end.
    fn seek_demuxer(&mut self, frame: u64) -> Result<bool, PreviewError> {
        let ts = self.frame_to_ts(frame);
        let track_id = self.track_id;
        let reader = &mut self.reader;
        let seeked = guard(|| reader.seek(SeekMode::Accurate, SeekTo::TimeStamp { ts, track_id }));
        match seeked {
            None => return Err(self.fail_decode("the demuxer crashed while seeking")),
            Some(Ok(_)) => {}
            Some(Err(SymphoniaError::SeekError(SeekErrorKind::OutOfRange))) => return Ok(false),
            Some(Err(SymphoniaError::IoError(e))) if e.kind() == io::ErrorKind::UnexpectedEof => {
                return Ok(false)
            }
            Some(Err(e)) => {
                let reason = format!("cannot seek: {e}");
                return Err(decode_error(&self.path, &reason));
            }
        }
        self.decoder.reset();
        Ok(true)
    }
}

fn frames_to_duration(frames: u64, rate: u32) -> Duration {
    if rate == 0 {
        return Duration::ZERO;
    }
    let nanos = u128::from(frames) * 1_000_000_000 / u128::from(rate);
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

/// Why a file is not the container its catalog format says.
enum Locate {
    Io(io::Error),
    Not(String),
}

impl From<io::Error> for Locate {
    fn from(e: io::Error) -> Self {
        Self::Io(e)
    }
}

/// Confirms the container from the magic bytes and finds the byte range the demuxer reads:
/// leading ID3v2 tags are skipped and trailing ID3v1/APEv2 tags cut off for the formats that
/// carry them, so that no tag byte is ever taken for audio.
fn locate(file: &mut File, len: u64, format: &str) -> Result<Layout, Locate> {
    let tagged = matches!(format, "mp3" | "aac" | "flac");
    let (start, end) = if tagged {
        (skip_id3v2(file, len)?, strip_trailing_tags(file, len)?)
    } else {
        (0, len)
    };
    let mut head = [0u8; 12];
    let n = read_at(file, start, &mut head)?;
    let head = &head[..n];
    if head.is_empty() || start >= end {
        return Err(Locate::Not("the file holds no audio data".into()));
    }
    let is = |magic: &[u8]| head.starts_with(magic);
    let form = |kind: &[u8]| head.len() >= 12 && &head[8..12] == kind;
    let container = match format {
        "flac" if is(b"fLaC") => Container::Flac,
        "flac" if is(b"OggS") => Container::Ogg,
        "ogg" if is(b"OggS") => Container::Ogg,
        "mp3" if head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0 => Container::Mpeg,
        // Symphonia reads MPEG-4 ADTS without CRC only, and finds frames by scanning for that
        // sync word: any other ADTS stream would be scanned for stray matches in its data.
        "aac" if head.starts_with(&[0xFF, 0xF1]) => Container::Adts,
        "aac" if head.len() >= 2 && head[0] == 0xFF && head[1] & 0xF6 == 0xF0 => {
            return Err(Locate::Not(
                "MPEG-2 ADTS and ADTS with CRC are not supported here".into(),
            ))
        }
        "m4a" if head.len() >= 8 && &head[4..8] == b"ftyp" => Container::Mp4,
        "wav" if is(b"RIFF") && form(b"WAVE") => Container::Wav,
        "wav" if is(b"RF64") || is(b"BW64") => {
            return Err(Locate::Not("RF64/BW64 files are not supported here".into()))
        }
        "aiff" if is(b"FORM") && (form(b"AIFF") || form(b"AIFC")) => Container::Aiff,
        _ => {
            return Err(Locate::Not(format!(
                "the file's bytes are not a {format} stream (they start with {})",
                describe_magic(head)
            )))
        }
    };
    let patches = if container == Container::Flac {
        flac_metadata_patches(file, start, end)?
    } else {
        Vec::new()
    };
    Ok(Layout {
        container,
        start,
        end,
        patches,
    })
}

/// Where the audio of a file is, and how the demuxer sees it.
struct Layout {
    container: Container,
    /// Byte range the demuxer reads.
    start: u64,
    end: u64,
    /// Bytes shown to the demuxer in place of the file's, `(absolute offset, byte)`.
    patches: Vec<(u64, u8)>,
}

/// Patches that turn every FLAC metadata block but STREAMINFO and SEEKTABLE into PADDING.
///
/// Decoding needs nothing else, and symphonia rejects whole files over metadata it validates
/// strictly (a cuesheet whose offsets are not CD frames, a picture block with a short length), so
/// it is shown padding of the same length instead. The file itself is never written.
fn flac_metadata_patches(file: &mut File, start: u64, end: u64) -> io::Result<Vec<(u64, u8)>> {
    const STREAMINFO: u8 = 0;
    const PADDING: u8 = 1;
    const SEEKTABLE: u8 = 3;
    let mut patches = Vec::new();
    let mut pos = start + 4;
    for _ in 0..MAX_FLAC_BLOCKS {
        let mut header = [0u8; 4];
        if pos >= end || read_at(file, pos, &mut header)? < 4 {
            break;
        }
        let last = header[0] & 0x80;
        let kind = header[0] & 0x7F;
        if kind != STREAMINFO && kind != SEEKTABLE && kind != PADDING {
            patches.push((pos, last | PADDING));
        }
        let len = u64::from(u32::from_be_bytes([0, header[1], header[2], header[3]]));
        pos += 4 + len;
        if last != 0 {
            break;
        }
    }
    Ok(patches)
}

/// The first bytes of a file, for a message.
fn describe_magic(head: &[u8]) -> String {
    let known: &[(&[u8], &str)] = &[
        (b"wvpk", "a WavPack header"),
        (b"MAC ", "a Monkey's Audio header"),
        (b"MPCK", "a Musepack header"),
        (b"MP+", "a Musepack header"),
        (b"RIFF", "a RIFF header"),
        (b"fLaC", "a FLAC header"),
        (b"OggS", "an Ogg page"),
        (b"FORM", "an IFF header"),
        (b"ID3", "an ID3 tag"),
    ];
    if let Some((_, name)) = known.iter().find(|(m, _)| head.starts_with(m)) {
        return (*name).to_string();
    }
    let hex: Vec<String> = head.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("bytes {}", hex.join(" "))
}

fn read_at(file: &mut File, at: u64, buf: &mut [u8]) -> io::Result<usize> {
    file.seek(SeekFrom::Start(at))?;
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The offset after leading ID3v2 tags (and the zero padding sloppy writers leave after them).
fn skip_id3v2(file: &mut File, len: u64) -> io::Result<u64> {
    let mut pos = 0u64;
    for _ in 0..MAX_ID3V2_TAGS {
        let mut header = [0u8; 10];
        if read_at(file, pos, &mut header)? < 10 || &header[..3] != b"ID3" {
            break;
        }
        let size_bytes = &header[6..10];
        if size_bytes.iter().any(|b| b & 0x80 != 0) {
            break;
        }
        let size = size_bytes
            .iter()
            .fold(0u64, |acc, b| (acc << 7) | u64::from(*b));
        let footer = if header[5] & 0x10 != 0 { 10 } else { 0 };
        pos = pos.saturating_add(10 + size + footer).min(len);
    }
    if pos > 0 {
        let mut window = [0u8; 4096];
        let limit = pos.saturating_add(MAX_ZERO_PADDING).min(len);
        while pos < limit {
            let n = read_at(file, pos, &mut window)?;
            if n == 0 {
                break;
            }
            match window[..n].iter().position(|b| *b != 0) {
                Some(i) => return Ok(pos + i as u64),
                None => pos += n as u64,
            }
        }
    }
    Ok(pos)
}

/// The end of the audio before trailing ID3v1 and APEv2 tags.
fn strip_trailing_tags(file: &mut File, len: u64) -> io::Result<u64> {
    let mut end = len;
    for _ in 0..3 {
        if end >= 128 {
            let mut tag = [0u8; 3];
            if read_at(file, end - 128, &mut tag)? == 3 && &tag == b"TAG" {
                end -= 128;
                continue;
            }
        }
        if end >= 32 {
            let mut footer = [0u8; 32];
            if read_at(file, end - 32, &mut footer)? == 32 && &footer[..8] == b"APETAGEX" {
                let size = u64::from(u32::from_le_bytes([
                    footer[12], footer[13], footer[14], footer[15],
                ]));
                let flags = u32::from_le_bytes([footer[20], footer[21], footer[22], footer[23]]);
                let header = if flags & 0x8000_0000 != 0 { 32 } else { 0 };
                let total = size.saturating_add(header);
                if total >= 32 && total <= end {
                    end -= total;
                    continue;
                }
            }
        }
        break;
    }
    Ok(end)
}

/// A byte range of a file, seen by the demuxer as the whole stream, with a few bytes patched.
struct Span {
    file: File,
    start: u64,
    end: u64,
    /// Absolute position in the file.
    pos: u64,
    patches: Vec<(u64, u8)>,
}

impl Span {
    fn new(mut file: File, layout: &Layout) -> io::Result<Self> {
        file.seek(SeekFrom::Start(layout.start))?;
        Ok(Self {
            file,
            start: layout.start,
            end: layout.end,
            pos: layout.start,
            patches: layout.patches.clone(),
        })
    }
}

impl Read for Span {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.end {
            return Ok(0);
        }
        let max = usize::try_from(self.end - self.pos)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.file.read(&mut buf[..max])?;
        for &(at, byte) in &self.patches {
            if (self.pos..self.pos + n as u64).contains(&at) {
                buf[(at - self.pos) as usize] = byte;
            }
        }
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Span {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => i128::from(self.start) + i128::from(n),
            SeekFrom::End(n) => i128::from(self.end) + i128::from(n),
            SeekFrom::Current(n) => i128::from(self.pos) + i128::from(n),
        };
        if target < i128::from(self.start) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the audio",
            ));
        }
        let target = u64::try_from(target).unwrap_or(u64::MAX);
        self.pos = self.file.seek(SeekFrom::Start(target))?;
        Ok(self.pos - self.start)
    }
}

impl MediaSource for Span {
    fn is_seekable(&self) -> bool {
        true
    }

    fn byte_len(&self) -> Option<u64> {
        Some(self.end - self.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn temp_file(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::File::create(&path)
            .unwrap()
            .write_all(bytes)
            .unwrap();
        (dir, path)
    }

    #[test]
    fn formats_without_a_decoder_are_unavailable_with_a_reason() {
        for format in ["wv", "ape", "mpc", "opus", "spx", "other"] {
            match open(Path::new("/nonexistent"), format) {
                Err(PreviewError::Unavailable(reason)) => {
                    assert!(reason.starts_with(format), "{reason} names the format")
                }
                Err(e) => panic!("{format} must be unavailable, got {e}"),
                Ok(_) => panic!("{format} must be unavailable"),
            }
        }
    }

    #[test]
    fn a_wavpack_file_cataloged_as_wav_is_refused_by_its_magic() {
        let mut bytes = b"wvpk\x20\x00\x00\x00".to_vec();
        bytes.extend_from_slice(&[0u8; 24]);
        bytes.extend_from_slice(b"RIFF\x24\x00\x00\x00WAVEfmt ");
        bytes.extend_from_slice(&[0x55; 4096]);
        let (_dir, path) = temp_file(&bytes);
        match open(&path, "wav") {
            Err(PreviewError::Unavailable(reason)) => {
                assert!(
                    reason.contains("WavPack"),
                    "the reason says what the file is: {reason}"
                )
            }
            Err(e) => panic!("expected unavailable, got {e}"),
            Ok(_) => panic!("a WavPack file must never be decoded as WAV"),
        }
    }

    #[test]
    fn id3v2_and_trailing_tags_are_outside_the_audio_range() {
        let mut bytes = b"ID3\x04\x00\x00\x00\x00\x00\x05".to_vec();
        bytes.extend_from_slice(&[1, 2, 3, 4, 5]);
        bytes.extend_from_slice(&[0, 0, 0]);
        let audio_start = bytes.len() as u64;
        bytes.extend_from_slice(&[0xFF, 0xFB, 0x90, 0x00]);
        bytes.extend_from_slice(&[7; 300]);
        let audio_end = bytes.len() as u64;
        bytes.extend_from_slice(b"TAG");
        bytes.extend_from_slice(&[b' '; 125]);
        let (_dir, path) = temp_file(&bytes);
        let mut file = File::open(&path).unwrap();
        let len = bytes.len() as u64;
        assert_eq!(skip_id3v2(&mut file, len).unwrap(), audio_start);
        assert_eq!(strip_trailing_tags(&mut file, len).unwrap(), audio_end);
    }

    #[test]
    fn a_span_reads_and_seeks_only_inside_its_range() {
        let bytes: Vec<u8> = (0..100u8).collect();
        let (_dir, path) = temp_file(&bytes);
        let layout = Layout {
            container: Container::Wav,
            start: 10,
            end: 20,
            patches: vec![(12, 0xAA)],
        };
        let mut span = Span::new(File::open(&path).unwrap(), &layout).unwrap();
        let mut all = Vec::new();
        span.read_to_end(&mut all).unwrap();
        let mut want: Vec<u8> = (10..20u8).collect();
        want[2] = 0xAA;
        assert_eq!(all, want, "the range is read with its patch");
        assert_eq!(span.seek(SeekFrom::Start(5)).unwrap(), 5);
        let mut one = [0u8; 1];
        span.read_exact(&mut one).unwrap();
        assert_eq!(one[0], 15);
        assert!(span.seek(SeekFrom::Current(-100)).is_err());
        assert_eq!(span.byte_len(), Some(10));
    }
}
