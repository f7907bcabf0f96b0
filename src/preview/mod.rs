//! Preview: decoding, loudness and waveform analysis, and the playback engine.
//!
//! - [`decode`] turns a cataloged file into blocks of interleaved `f32` frames ([`Frames`]), with
//!   the decoder chosen from the real container type; anything it cannot decode correctly is
//!   "preview unavailable" with a reason, never noise.
//! - [`analysis`] measures a track once (EBU R128 loudness, true peak, waveform peaks, the smart
//!   preview start) and caches the result by content identity.
//! - [`engine`] owns the output device on one thread and plays previews and full tracks with
//!   loudness-matched gain, fades and click-free ramps.

pub mod analysis;
pub mod decode;
pub mod engine;

use std::time::Duration;

/// Why a track cannot be previewed or analyzed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PreviewError {
    /// The file's format or codec is not one the decoder handles correctly.
    #[error("preview unavailable: {0}")]
    Unavailable(String),
    /// The file could not be opened or read.
    #[error("cannot read {path}: {reason}")]
    Io { path: String, reason: String },
    /// The file is damaged beyond what the decoder can skip.
    #[error("cannot decode {path}: {reason}")]
    Decode { path: String, reason: String },
    /// The catalog has no such track, or cannot be read.
    #[error("{0}")]
    Catalog(String),
}

/// Decoded audio as blocks of interleaved samples in -1.0..=1.0.
///
/// Implemented by the file decoder and, in tests, by synthetic signals.
pub trait Frames: Send {
    fn channels(&self) -> u16;
    fn sample_rate(&self) -> u32;
    /// Total length when the container says; `None` for streams of unknown length.
    fn duration(&self) -> Option<Duration>;
    /// The next block of interleaved samples (whole frames); `None` at the end.
    ///
    /// # Errors
    /// When the stream is damaged beyond what can be skipped.
    fn next_block(&mut self) -> Result<Option<&[f32]>, PreviewError>;
    /// Moves so that the next block starts exactly at `to` (to the frame), or at the end when `to`
    /// is past it. Returns the position reached.
    ///
    /// # Errors
    /// When the stream cannot seek or is damaged there.
    fn seek(&mut self, to: Duration) -> Result<Duration, PreviewError>;
}
