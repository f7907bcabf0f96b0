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

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    ScanProgress(ScanProgress),
}

/// Where the core sends events; `Arc` so worker threads can share it.
pub type EventSink = Arc<dyn Fn(&Event) + Send + Sync>;

/// A sink that drops every event, for callers that do not show progress.
pub fn no_events() -> EventSink {
    Arc::new(|_| {})
}
