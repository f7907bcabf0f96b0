//! Events the core emits while it works, and the sink type that receives them.
//!
//! A sink is any `Fn(&Event)` that is `Send + Sync`: the CLI draws a progress bar from it, the app
//! forwards it to the window, tests collect it. Sinks are called from worker threads and must not
//! block for long.

use std::sync::Arc;

use serde::Serialize;

/// Progress of a scan, emitted at most ~10 times a second plus once at each phase change.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScanProgress {
    pub phase: ScanPhase,
    /// Files found by the walk so far.
    pub seen: u64,
    /// Files that need reading (new or changed) once the walk is done.
    pub to_read: u64,
    /// Files read so far (cataloged or recorded as problems).
    pub done: u64,
    /// Files read per second over the reading phase.
    pub rate: f64,
    /// Seconds left at the current rate, when known.
    pub eta_secs: Option<f64>,
    /// The file being read, shown lossily.
    pub current: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ScanPhase {
    Walking,
    Reading,
    Finishing,
    Done,
}

/// Progress of analyzing tracks for previews (`cuebook analyze`, the app's background analysis).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AnalysisProgress {
    /// Tracks to analyze in this run.
    pub total: u64,
    /// Tracks analyzed (or found unavailable) so far.
    pub done: u64,
    /// Tracks per second.
    pub rate: f64,
    /// Seconds left at the current rate, when known.
    pub eta_secs: Option<f64>,
    /// The file being analyzed, shown lossily.
    pub current: Option<String>,
    pub finished: bool,
}

/// What the player is doing.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PlayerState {
    Stopped,
    /// Opening and analyzing before the first sample.
    Loading,
    Playing,
    Paused,
}

/// Whether a track plays as a preview (a loudness-matched excerpt, not counted as a play) or in full.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PlayMode {
    Preview,
    Full,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlayerStatus {
    pub state: PlayerState,
    pub track_id: Option<i64>,
    pub mode: Option<PlayMode>,
    /// False when no audio output device could be opened; the next play tries again.
    pub output_available: bool,
    /// Why there is no output, in words for the user.
    pub output_problem: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlayerPosition {
    pub track_id: i64,
    pub position_ms: u64,
    pub duration_ms: Option<u64>,
    /// Where the excerpt ends, for previews.
    pub until_ms: Option<u64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    ScanProgress(ScanProgress),
    AnalysisProgress(AnalysisProgress),
    /// The player changed state (at most once per change).
    Player(PlayerStatus),
    /// Playback position, at most 10 times a second while playing.
    Position(PlayerPosition),
    /// A track or preview played to its end.
    Ended {
        track_id: i64,
        mode: PlayMode,
    },
    /// A track could not be played; the message names the file and the reason.
    PlaybackError {
        track_id: Option<i64>,
        message: String,
    },
}

/// Where the core sends events; `Arc` so worker threads can share it.
pub type EventSink = Arc<dyn Fn(&Event) + Send + Sync>;

/// A sink that drops every event, for callers that do not show progress.
pub fn no_events() -> EventSink {
    Arc::new(|_| {})
}
