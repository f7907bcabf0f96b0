//! The playback engine: one named thread owns the output device and takes commands over a channel.
//!
//! Each track plays as its own [`TrackSource`] in rodio's mixer. The source applies everything
//! that shapes the sound, per frame and so sample-exactly:
//! - the loudness-matching gain (see [`loudness_gain_db`]),
//! - preview fades (raised-cosine, 0.8 s in and 1.5 s out by default) and the excerpt's end,
//! - 10 ms ramps whenever sound starts or stops for another reason (pause, resume, seek, stop,
//!   a full play starting mid-track), so nothing clicks,
//! - the user's volume, smoothed over a few milliseconds.
//!
//! The engine thread opens files, looks up or estimates loudness, seeks to the start point, and
//! only then hands the source to the mixer, so the audio callback never waits on the disk for a
//! start. Positions are reported at most 10 times a second from counters the source updates.
//!
//! Without an output device nothing breaks: the engine reports "no audio output" in its status,
//! and the next play tries to open the device again. Tests use [`Engine::start_pull`], which puts
//! a device-less rodio mixer in place of the device and hands its output to the caller.

use std::collections::{HashSet, VecDeque};
use std::num::NonZero;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{unbounded, Receiver, RecvTimeoutError, Sender};
use rodio::mixer::{Mixer, MixerSource};
use rodio::source::SeekError;
use rodio::Source;
use serde::{Deserialize, Serialize};

use super::analysis::{self, Analysis};
use super::{decode, Frames, PreviewError};
use crate::db;
use crate::events::{Event, EventSink, PlayMode, PlayerPosition, PlayerState, PlayerStatus};
use crate::Library;

/// Length of the click-free ramps on pause, resume, seek, stop and mid-track starts.
pub const RAMP: Duration = Duration::from_millis(10);
/// How long each preview of a skim lasts.
pub const SKIM_EACH: Duration = Duration::from_secs(10);
/// Loudness previews and plays are matched to, in LUFS.
pub const DEFAULT_TARGET_LUFS: f64 = -18.0;
/// The loudest a matched track may peak, in dBTP.
const PEAK_CEILING_DBTP: f64 = -1.0;
/// The most a quiet track is raised, in dB.
const MAX_BOOST_DB: f64 = 18.0;
/// How often positions are reported.
const POSITION_EVERY: Duration = Duration::from_millis(100);
/// Audio measured for the loudness of a track not analyzed yet.
const QUICK_WINDOW: Duration = Duration::from_secs(3);

/// Where a preview starts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum StartPoint {
    /// The start of the most characteristic section, from analysis; a third into the track (0
    /// for short tracks) until the track is analyzed.
    Smart,
    FromStart,
    /// Percent of the duration, 0–100.
    Percent(f64),
    /// A moment in the track (time-coded notes use this).
    At(Duration),
}

/// How previews sound.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PreviewPolicy {
    pub length: Duration,
    pub start: StartPoint,
    pub fade_in: Duration,
    pub fade_out: Duration,
    pub target_lufs: f64,
}

impl Default for PreviewPolicy {
    fn default() -> Self {
        Self {
            length: Duration::from_secs(30),
            start: StartPoint::Smart,
            fade_in: Duration::from_millis(800),
            fade_out: Duration::from_millis(1500),
            target_lufs: DEFAULT_TARGET_LUFS,
        }
    }
}

/// The gain that brings a track of `lufs` integrated loudness to `target`, kept low enough that
/// its true peak stays under -1 dBTP and never more than +18 dB. Silence gets no gain.
pub fn loudness_gain_db(lufs: Option<f64>, true_peak_dbtp: Option<f64>, target: f64) -> f64 {
    let Some(lufs) = lufs.filter(|l| l.is_finite()) else {
        return 0.0;
    };
    let mut gain = (target - lufs).min(MAX_BOOST_DB);
    if let Some(peak) = true_peak_dbtp.filter(|p| p.is_finite()) {
        gain = gain.min(PEAK_CEILING_DBTP - peak);
    }
    gain
}

// ---------------------------------------------------------------------------------------------
// The source
// ---------------------------------------------------------------------------------------------

const STATE_RUNNING: u8 = 0;
const STATE_PAUSED: u8 = 1;
const STATE_STOPPED: u8 = 2;

/// What the engine thread and a playing source share. The source only reads requests and
/// writes counters; nothing here blocks the audio callback.
struct Controls {
    /// Requested state: running, paused or stopped.
    state: AtomicU8,
    /// Requested seek target in frames, `u64::MAX` for none.
    seek_to: AtomicU64,
    /// Where a seek moves the excerpt's end to (frames), `u64::MAX` for no end.
    seek_until: AtomicU64,
    /// User volume as `f32` bits.
    volume: AtomicU32,
    /// The frame of the file that was output last.
    position: AtomicU64,
    /// Samples handed to the output so far (first-sample latency, tests).
    emitted: AtomicU64,
    /// Set once the source has ended (excerpt end, end of file, stop, or an error).
    ended: AtomicBool,
    /// Set when the source ended because of a decode error; the reason is in `error`.
    error: Mutex<Option<String>>,
}

impl Controls {
    fn new(volume: f32, start_frame: u64) -> Self {
        Self {
            state: AtomicU8::new(STATE_RUNNING),
            seek_to: AtomicU64::new(u64::MAX),
            seek_until: AtomicU64::new(u64::MAX),
            volume: AtomicU32::new(volume.to_bits()),
            position: AtomicU64::new(start_frame),
            emitted: AtomicU64::new(0),
            ended: AtomicBool::new(false),
            error: Mutex::new(None),
        }
    }
}

/// How a [`TrackSource`] shapes its sound.
#[derive(Debug, Clone, Copy)]
struct Shape {
    /// Linear gain for loudness matching.
    gain: f32,
    /// The file frame playback starts at.
    start: u64,
    /// Frames of fade-in from `start` (at least the ramp).
    fade_in: u64,
    /// Frames of fade-out before `until`.
    fade_out: u64,
    /// The file frame the excerpt ends at (`None`: the end of the file).
    until: Option<u64>,
}

/// One track playing: decoded frames with gain, fades, ramps and volume applied per frame.
struct TrackSource {
    frames: Box<dyn Frames>,
    ctl: Arc<Controls>,
    channels: NonZero<u16>,
    rate: NonZero<u32>,
    shape: Shape,
    ramp_frames: u64,
    block: Vec<f32>,
    at: usize,
    /// The file frame of the frame being output.
    frame: u64,
    /// Where the current fade-in began.
    fade_from: u64,
    fade_in: u64,
    /// Multiplier of the current frame.
    frame_gain: f32,
    channel: u16,
    /// Ramp level for pause, seek and stop, in frames: 0 is silent, `ramp_frames` is full.
    ramp: u64,
    volume: f32,
    done: bool,
}

impl TrackSource {
    fn new(frames: Box<dyn Frames>, ctl: Arc<Controls>, shape: Shape) -> Option<Self> {
        let channels = NonZero::new(frames.channels())?;
        let rate = NonZero::new(frames.sample_rate())?;
        let ramp_frames = frames_in(RAMP, rate.get()).max(1);
        let volume = f32::from_bits(ctl.volume.load(Ordering::Relaxed));
        Some(Self {
            frames,
            ctl,
            channels,
            rate,
            ramp_frames,
            block: Vec::new(),
            at: 0,
            frame: shape.start,
            fade_from: shape.start,
            fade_in: shape.fade_in.max(ramp_frames),
            shape,
            frame_gain: 0.0,
            channel: 0,
            ramp: ramp_frames,
            volume,
            done: false,
        })
    }

    fn finish(&mut self) -> Option<f32> {
        self.done = true;
        self.ctl.ended.store(true, Ordering::Release);
        None
    }

    /// Refills the block; false at the end of the stream.
    fn refill(&mut self) -> bool {
        loop {
            match self.frames.next_block() {
                Ok(Some([])) => continue,
                Ok(Some(b)) => {
                    self.block.clear();
                    self.block.extend_from_slice(b);
                    self.at = 0;
                    return true;
                }
                Ok(None) => return false,
                Err(e) => {
                    *self.ctl.error.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
                    return false;
                }
            }
        }
    }

    /// Decides the multiplier for the next frame; `false` when the source ends instead.
    fn begin_frame(&mut self) -> bool {
        let requested = self.ctl.state.load(Ordering::Acquire);
        let seek = self.ctl.seek_to.load(Ordering::Acquire);
        let target_volume = f32::from_bits(self.ctl.volume.load(Ordering::Relaxed));
        // Ramp down before pausing, stopping or seeking; ramp back up afterwards.
        let wants_silence = requested != STATE_RUNNING || seek != u64::MAX;
        if wants_silence {
            if self.ramp > 0 {
                self.ramp -= 1;
            } else if requested == STATE_STOPPED {
                return false;
            } else if seek != u64::MAX {
                self.ctl.seek_to.store(u64::MAX, Ordering::Release);
                let until = self.ctl.seek_until.load(Ordering::Acquire);
                let secs = seek as f64 / f64::from(self.rate.get());
                match self.frames.seek(Duration::from_secs_f64(secs)) {
                    Ok(reached) => {
                        self.frame = frames_in(reached, self.rate.get());
                        self.block.clear();
                        self.at = 0;
                        self.shape.until = (until != u64::MAX).then_some(until);
                        // A seek in a preview restarts the excerpt with a ramp, not a long fade.
                        self.fade_from = self.frame;
                        self.fade_in = self.ramp_frames;
                        self.ctl.position.store(self.frame, Ordering::Relaxed);
                    }
                    Err(e) => {
                        *self.ctl.error.lock().unwrap_or_else(|p| p.into_inner()) =
                            Some(e.to_string());
                        return false;
                    }
                }
            } else {
                // Paused and silent: output zeros without consuming the stream.
                self.frame_gain = 0.0;
                return true;
            }
        } else if self.ramp < self.ramp_frames {
            self.ramp += 1;
        }
        if self.ramp == 0 && requested == STATE_PAUSED && seek == u64::MAX {
            self.frame_gain = 0.0;
            return true;
        }
        if let Some(until) = self.shape.until {
            if self.frame >= until {
                return false;
            }
        }
        if self.at >= self.block.len() && !self.refill() {
            return false;
        }
        // Volume changes glide over about a ramp.
        self.volume += (target_volume - self.volume) * (4.0 / self.ramp_frames as f32).min(1.0);
        if (self.volume - target_volume).abs() < 1e-4 {
            self.volume = target_volume;
        }
        let envelope = fade(self.frame.saturating_sub(self.fade_from), self.fade_in)
            * self.shape.until.map_or(1.0, |until| {
                fade(until.saturating_sub(self.frame), self.shape.fade_out)
            });
        let ramp = self.ramp as f32 / self.ramp_frames as f32;
        self.frame_gain = self.shape.gain * envelope * ramp * self.volume;
        true
    }
}

/// Raised-cosine fade: 0 at `x = 0`, 1 from `x = len` on.
fn fade(x: u64, len: u64) -> f32 {
    if len == 0 || x >= len {
        return 1.0;
    }
    let t = x as f64 / len as f64;
    (0.5 - 0.5 * (std::f64::consts::PI * t).cos()) as f32
}

fn frames_in(d: Duration, rate: u32) -> u64 {
    (d.as_secs_f64() * f64::from(rate)).round() as u64
}

impl Iterator for TrackSource {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if self.done {
            return None;
        }
        if self.channel == 0 && !self.begin_frame() {
            return self.finish();
        }
        let silent_pause = self.frame_gain == 0.0
            && self.ramp == 0
            && self.ctl.state.load(Ordering::Relaxed) == STATE_PAUSED;
        let sample = if silent_pause {
            0.0
        } else {
            let s = self.block.get(self.at).copied().unwrap_or(0.0);
            self.at += 1;
            s * self.frame_gain
        };
        self.channel += 1;
        if self.channel == self.channels.get() {
            self.channel = 0;
            if !silent_pause {
                self.ctl.position.store(self.frame, Ordering::Relaxed);
                self.frame += 1;
            }
        }
        self.ctl.emitted.fetch_add(1, Ordering::Relaxed);
        Some(sample.clamp(-1.0, 1.0))
    }
}

impl Source for TrackSource {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> NonZero<u16> {
        self.channels
    }

    fn sample_rate(&self) -> NonZero<u32> {
        self.rate
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }

    fn try_seek(&mut self, _: Duration) -> Result<(), SeekError> {
        // Seeks go through the engine's controls so that they ramp.
        Err(SeekError::NotSupported {
            underlying_source: "cuebook TrackSource",
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------------------------

enum Command {
    Preview {
        track_id: i64,
        policy: Option<PreviewPolicy>,
    },
    Play {
        track_id: i64,
        from: Duration,
    },
    Pause,
    Resume,
    Stop,
    Seek(Duration),
    Volume(f32),
    Skim {
        tracks: Vec<i64>,
        each: Duration,
    },
    Next,
    Previous,
    SetPolicy(PreviewPolicy),
    /// Answers once everything sent before it is done.
    Sync(Sender<PlayerStatus>),
    Shutdown,
}

/// A handle to the playback engine. Dropping it stops playback and ends the thread.
pub struct Engine {
    tx: Sender<Command>,
    thread: Option<JoinHandle<()>>,
    playing: Playing,
}

/// The track playing now and its controls, shared with the handle for exact positions.
type Playing = Arc<Mutex<Option<(i64, Arc<Controls>, u32)>>>;

enum Output {
    /// The default device, opened on first use; `None` until then or while there is none.
    Device(Option<rodio::MixerDeviceSink>),
    /// A device-less mixer whose output the caller pulls.
    Pull(Mixer),
}

impl Engine {
    /// Starts the engine on the default audio output.
    ///
    /// # Errors
    /// When the engine thread cannot be started.
    pub fn start(lib: Library, sink: EventSink) -> std::io::Result<Engine> {
        Self::spawn(lib, sink, || Output::Device(None))
    }

    /// Starts the engine on a device-less mixer of `channels` and `sample_rate` and returns its
    /// output: whoever pulls samples from it plays the role of the sound card.
    ///
    /// # Errors
    /// When the engine thread cannot be started.
    pub fn start_pull(
        lib: Library,
        sink: EventSink,
        channels: u16,
        sample_rate: u32,
    ) -> std::io::Result<(Engine, MixerSource)> {
        let channels = NonZero::new(channels.max(1)).unwrap_or(NonZero::<u16>::MIN);
        let rate = NonZero::new(sample_rate.max(1)).unwrap_or(NonZero::<u32>::MIN);
        let (mixer, output) = rodio::mixer::mixer(channels, rate);
        // Silence keeps the mixer going between tracks, as a sound card would.
        mixer.add(rodio::source::Zero::new(channels, rate));
        let engine = Self::spawn(lib, sink, move || Output::Pull(mixer))?;
        Ok((engine, output))
    }

    fn spawn(
        lib: Library,
        sink: EventSink,
        output: impl FnOnce() -> Output + Send + 'static,
    ) -> std::io::Result<Engine> {
        let (tx, rx) = unbounded();
        let playing: Playing = Arc::default();
        let shared = playing.clone();
        let thread = std::thread::Builder::new()
            .name("cuebook-player".into())
            .spawn(move || Worker::new(lib, sink, output(), shared).run(&rx))?;
        Ok(Engine {
            tx,
            thread: Some(thread),
            playing,
        })
    }

    fn send(&self, c: Command) {
        // The thread only ends on Shutdown, sent by Drop.
        let _ = self.tx.send(c);
    }

    /// Previews a track: a loudness-matched excerpt with fades; not counted as a play.
    pub fn preview(&self, track_id: i64, policy: Option<PreviewPolicy>) {
        self.send(Command::Preview { track_id, policy });
    }

    /// Plays a whole track from `from`; counted as a play once half of it is heard.
    pub fn play(&self, track_id: i64, from: Duration) {
        self.send(Command::Play { track_id, from });
    }

    pub fn pause(&self) {
        self.send(Command::Pause);
    }

    pub fn resume(&self) {
        self.send(Command::Resume);
    }

    pub fn stop(&self) {
        self.send(Command::Stop);
    }

    /// Moves the playing track to `to`; in a preview, the excerpt restarts there.
    pub fn seek(&self, to: Duration) {
        self.send(Command::Seek(to));
    }

    /// Volume from 0 (silent) to 1 (full).
    pub fn set_volume(&self, volume: f32) {
        self.send(Command::Volume(volume));
    }

    /// Previews each track in turn for `each`.
    pub fn skim(&self, tracks: Vec<i64>, each: Duration) {
        self.send(Command::Skim { tracks, each });
    }

    pub fn next(&self) {
        self.send(Command::Next);
    }

    pub fn previous(&self) {
        self.send(Command::Previous);
    }

    /// The policy previews use when a command gives none.
    pub fn set_policy(&self, policy: PreviewPolicy) {
        self.send(Command::SetPolicy(policy));
    }

    /// The track playing and the position of the sample the output took last: exact, unlike the
    /// 10 Hz position events.
    pub fn position(&self) -> Option<(i64, Duration)> {
        let playing = self.playing.lock().unwrap_or_else(|p| p.into_inner());
        playing.as_ref().map(|(id, ctl, rate)| {
            let frame = ctl.position.load(Ordering::Relaxed);
            (
                *id,
                Duration::from_secs_f64(frame as f64 / f64::from(*rate)),
            )
        })
    }

    /// Waits until every command sent before is handled, and returns the status then.
    pub fn sync(&self) -> PlayerStatus {
        let (tx, rx) = crossbeam_channel::bounded(1);
        self.send(Command::Sync(tx));
        rx.recv().unwrap_or(PlayerStatus {
            state: PlayerState::Stopped,
            track_id: None,
            mode: None,
            output_available: false,
            output_problem: Some("the player has stopped".into()),
        })
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.tx.send(Command::Shutdown);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The track playing now.
struct Current {
    track_id: i64,
    mode: PlayMode,
    ctl: Arc<Controls>,
    rate: u32,
    duration_ms: Option<u64>,
    until_ms: Option<u64>,
    /// Excerpt length, so a seek in a preview can restart the excerpt.
    length: Option<Duration>,
    play_counted: bool,
    last_position: Option<Instant>,
}

struct Worker {
    lib: Library,
    sink: EventSink,
    output: Output,
    policy: PreviewPolicy,
    volume: f32,
    state: PlayerState,
    current: Option<Current>,
    queue: VecDeque<i64>,
    /// The queue position of the current track, for next and previous.
    queue_at: usize,
    queue_mode: (PlayMode, Option<PreviewPolicy>),
    output_problem: Option<String>,
    analyzing: Arc<Mutex<HashSet<i64>>>,
    playing: Playing,
}

impl Worker {
    fn new(lib: Library, sink: EventSink, output: Output, playing: Playing) -> Self {
        Self {
            playing,
            lib,
            sink,
            output,
            policy: PreviewPolicy::default(),
            volume: 1.0,
            state: PlayerState::Stopped,
            current: None,
            queue: VecDeque::new(),
            queue_at: 0,
            queue_mode: (PlayMode::Preview, None),
            output_problem: None,
            analyzing: Arc::new(Mutex::new(HashSet::new())),
        }
    }

    fn run(mut self, rx: &Receiver<Command>) {
        loop {
            let timeout = if self.current.is_some() {
                POSITION_EVERY / 2
            } else {
                Duration::from_secs(3600)
            };
            match rx.recv_timeout(timeout) {
                Ok(Command::Shutdown) | Err(RecvTimeoutError::Disconnected) => break,
                Ok(c) => self.handle(c),
                Err(RecvTimeoutError::Timeout) => {}
            }
            self.poll();
        }
        self.stop_current();
    }

    fn status(&self) -> PlayerStatus {
        PlayerStatus {
            state: self.state,
            track_id: self.current.as_ref().map(|c| c.track_id),
            mode: self.current.as_ref().map(|c| c.mode),
            output_available: self.output_problem.is_none(),
            output_problem: self.output_problem.clone(),
        }
    }

    fn set_state(&mut self, state: PlayerState) {
        self.state = state;
        (self.sink)(&Event::Player(self.status()));
    }

    fn handle(&mut self, c: Command) {
        match c {
            Command::Preview { track_id, policy } => {
                self.queue = VecDeque::from([track_id]);
                self.queue_at = 0;
                self.queue_mode = (PlayMode::Preview, policy);
                self.start(track_id, PlayMode::Preview, policy, Duration::ZERO);
            }
            Command::Play { track_id, from } => {
                self.queue = VecDeque::from([track_id]);
                self.queue_at = 0;
                self.queue_mode = (PlayMode::Full, None);
                self.start(track_id, PlayMode::Full, None, from);
            }
            Command::Skim { tracks, each } => {
                let policy = PreviewPolicy {
                    length: each,
                    fade_in: self.policy.fade_in.min(each / 4),
                    fade_out: self.policy.fade_out.min(each / 4),
                    ..self.policy
                };
                self.queue = tracks.into();
                self.queue_at = 0;
                self.queue_mode = (PlayMode::Preview, Some(policy));
                self.play_queue_entry();
            }
            Command::Next => {
                if self.queue_at + 1 < self.queue.len() {
                    self.queue_at += 1;
                    self.play_queue_entry();
                }
            }
            Command::Previous => {
                if self.queue_at > 0 {
                    self.queue_at -= 1;
                    self.play_queue_entry();
                }
            }
            Command::Pause => {
                if let Some(c) = &self.current {
                    if self.state == PlayerState::Playing {
                        c.ctl.state.store(STATE_PAUSED, Ordering::Release);
                        self.set_state(PlayerState::Paused);
                    }
                }
            }
            Command::Resume => {
                if let Some(c) = &self.current {
                    if self.state == PlayerState::Paused {
                        c.ctl.state.store(STATE_RUNNING, Ordering::Release);
                        self.set_state(PlayerState::Playing);
                    }
                }
            }
            Command::Stop => {
                self.queue.clear();
                self.stop_current();
                if self.state != PlayerState::Stopped {
                    self.set_state(PlayerState::Stopped);
                }
            }
            Command::Seek(to) => {
                if let Some(c) = &mut self.current {
                    let frame = frames_in(to, c.rate);
                    let until = c.length.map(|l| frames_in(to + l, c.rate));
                    c.until_ms = c.length.map(|l| (to + l).as_millis() as u64);
                    c.ctl
                        .seek_until
                        .store(until.unwrap_or(u64::MAX), Ordering::Release);
                    c.ctl.seek_to.store(frame, Ordering::Release);
                }
            }
            Command::Volume(v) => {
                self.volume = v.clamp(0.0, 1.0);
                if let Some(c) = &self.current {
                    c.ctl.volume.store(self.volume.to_bits(), Ordering::Relaxed);
                }
            }
            Command::SetPolicy(p) => self.policy = p,
            Command::Sync(reply) => {
                let _ = reply.send(self.status());
            }
            Command::Shutdown => {}
        }
    }

    fn play_queue_entry(&mut self) {
        if let Some(&id) = self.queue.get(self.queue_at) {
            let (mode, policy) = self.queue_mode;
            self.start(id, mode, policy, Duration::ZERO);
        }
    }

    fn stop_current(&mut self) {
        if let Some(c) = self.current.take() {
            c.ctl.state.store(STATE_STOPPED, Ordering::Release);
        }
        *self.playing.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    fn error(&mut self, track_id: Option<i64>, message: String) {
        (self.sink)(&Event::PlaybackError { track_id, message });
    }

    /// The mixer to play into, opening the device when there is none yet.
    fn mixer(&mut self) -> Option<Mixer> {
        match &mut self.output {
            Output::Pull(m) => Some(m.clone()),
            Output::Device(Some(d)) => Some(d.mixer().clone()),
            Output::Device(slot) => match open_device() {
                Ok(mut d) => {
                    d.log_on_drop(false);
                    let m = d.mixer().clone();
                    *slot = Some(d);
                    self.output_problem = None;
                    Some(m)
                }
                Err(e) => {
                    self.output_problem = Some(format!(
                        "no audio output: the default sound device could not be opened ({e})"
                    ));
                    None
                }
            },
        }
    }

    fn start(
        &mut self,
        track_id: i64,
        mode: PlayMode,
        policy: Option<PreviewPolicy>,
        from: Duration,
    ) {
        self.stop_current();
        let policy = policy.unwrap_or(self.policy);
        let Some(mixer) = self.mixer() else {
            self.set_state(PlayerState::Stopped);
            return;
        };
        self.set_state(PlayerState::Loading);
        match self.prepare(track_id, mode, &policy, from) {
            Ok((source, current)) => {
                mixer.add(source);
                *self.playing.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some((current.track_id, current.ctl.clone(), current.rate));
                self.current = Some(current);
                self.set_state(PlayerState::Playing);
            }
            Err(e) => {
                self.error(Some(track_id), e.to_string());
                self.set_state(PlayerState::Stopped);
            }
        }
    }

    /// Opens, measures and positions a track; everything slow happens here, off the audio path.
    fn prepare(
        &mut self,
        track_id: i64,
        mode: PlayMode,
        policy: &PreviewPolicy,
        from: Duration,
    ) -> Result<(TrackSource, Current), PreviewError> {
        let catalog = |e: &dyn std::fmt::Display| PreviewError::Catalog(e.to_string());
        let conn = self.lib.reader().map_err(|e| catalog(&e))?;
        let track = db::tracks::playable(&conn, track_id)
            .map_err(|e| catalog(&e))?
            .ok_or_else(|| PreviewError::Catalog(format!("no track {track_id} in the catalog")))?;
        if track.missing {
            return Err(PreviewError::Io {
                path: track.path.to_string_lossy().into_owned(),
                reason: "the file is missing".into(),
            });
        }
        let cached = analysis::cached(&conn, &track.content_id).map_err(|e| catalog(&e))?;
        drop(conn);
        let analysis: Option<Analysis> = match cached {
            Some(Ok(a)) => Some(a),
            Some(Err(reason)) => return Err(PreviewError::Unavailable(reason)),
            None => None,
        };
        let mut frames: Box<dyn Frames> = Box::new(decode::open(&track.path, &track.format)?);
        let rate = frames.sample_rate();
        let duration_ms = frames
            .duration()
            .map(|d| d.as_millis() as u64)
            .or(track.duration_ms);
        let start = match mode {
            PlayMode::Full => from,
            PlayMode::Preview => start_point(policy, analysis.as_ref(), duration_ms),
        };
        // Loudness: the analysis, else ReplayGain, else a quick measurement at the start point.
        let (lufs, peak) = match &analysis {
            Some(a) => (a.integrated_lufs, Some(a.true_peak_dbtp)),
            None => match track.rg_track_gain {
                Some(rg) => (
                    Some(DEFAULT_TARGET_LUFS - rg),
                    track
                        .rg_track_peak
                        .filter(|p| *p > 0.0)
                        .map(|p| 20.0 * p.log10()),
                ),
                None => quick_loudness(frames.as_mut(), start, &track.path)?,
            },
        };
        if analysis.is_none() {
            self.analyze_in_background(track_id);
        }
        let gain_db = loudness_gain_db(lufs, peak, policy.target_lufs);
        let reached = if start.is_zero() {
            Duration::ZERO
        } else {
            frames.seek(start)?
        };
        let start_frame = frames_in(reached, rate);
        let (until, length) = match mode {
            PlayMode::Preview => (Some(reached + policy.length), Some(policy.length)),
            PlayMode::Full => (None, None),
        };
        let shape = Shape {
            gain: 10f32.powf(gain_db as f32 / 20.0),
            start: start_frame,
            fade_in: match mode {
                PlayMode::Preview => frames_in(policy.fade_in, rate),
                PlayMode::Full => 0,
            },
            fade_out: match mode {
                PlayMode::Preview => frames_in(policy.fade_out, rate),
                PlayMode::Full => 0,
            },
            until: until.map(|u| frames_in(u, rate)),
        };
        let ctl = Arc::new(Controls::new(self.volume, start_frame));
        let source =
            TrackSource::new(frames, ctl.clone(), shape).ok_or_else(|| PreviewError::Decode {
                path: track.path.to_string_lossy().into_owned(),
                reason: "the stream has no channels or no sample rate".into(),
            })?;
        let current = Current {
            track_id,
            mode,
            ctl,
            rate,
            duration_ms,
            until_ms: until.map(|u| u.as_millis() as u64),
            length,
            play_counted: false,
            last_position: None,
        };
        Ok((source, current))
    }

    /// Analyzes a track on its own thread so that its next preview starts at the smart point.
    fn analyze_in_background(&self, track_id: i64) {
        {
            let mut busy = self.analyzing.lock().unwrap_or_else(|p| p.into_inner());
            if !busy.insert(track_id) {
                return;
            }
        }
        let lib = self.lib.clone();
        let busy = self.analyzing.clone();
        let spawned = std::thread::Builder::new()
            .name("cuebook-analyze".into())
            .spawn(move || {
                // A failure is stored as "unavailable" by analyze_track, or retried next time.
                let _ = analysis::analyze_track(&lib, track_id);
                busy.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&track_id);
            });
        if spawned.is_err() {
            self.analyzing
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&track_id);
        }
    }

    /// Reports positions, ends and errors of the current track, counts plays, advances skims.
    fn poll(&mut self) {
        let Some(c) = &mut self.current else {
            return;
        };
        let position_ms = c.ctl.position.load(Ordering::Relaxed) * 1000 / u64::from(c.rate);
        if c.mode == PlayMode::Full && !c.play_counted {
            let heard_half = c.duration_ms.is_some_and(|d| position_ms * 2 >= d);
            if heard_half || c.ctl.ended.load(Ordering::Acquire) {
                c.play_counted = true;
                let id = c.track_id;
                if let Err(e) = self.lib.writer().map_err(|e| e.to_string()).and_then(|w| {
                    db::tracks::record_play(&w, id, db::now_secs()).map_err(|e| e.to_string())
                }) {
                    self.error(Some(id), format!("cannot record the play: {e}"));
                }
            }
        }
        let Some(c) = &mut self.current else {
            return;
        };
        if c.ctl.ended.load(Ordering::Acquire) {
            let (track_id, mode) = (c.track_id, c.mode);
            let error = c.ctl.error.lock().unwrap_or_else(|p| p.into_inner()).take();
            self.current = None;
            *self.playing.lock().unwrap_or_else(|p| p.into_inner()) = None;
            match error {
                Some(message) => self.error(Some(track_id), message),
                None => (self.sink)(&Event::Ended { track_id, mode }),
            }
            if self.queue_at + 1 < self.queue.len() {
                self.queue_at += 1;
                self.play_queue_entry();
            } else {
                self.set_state(PlayerState::Stopped);
            }
            return;
        }
        if self.state == PlayerState::Playing
            && c.last_position
                .is_none_or(|t| t.elapsed() >= POSITION_EVERY)
        {
            c.last_position = Some(Instant::now());
            let event = Event::Position(PlayerPosition {
                track_id: c.track_id,
                position_ms,
                duration_ms: c.duration_ms,
                until_ms: c.until_ms,
            });
            (self.sink)(&event);
        }
    }
}

/// Opens the default output device, without ALSA's own chatter.
fn open_device() -> Result<rodio::MixerDeviceSink, rodio::DeviceSinkError> {
    quiet_alsa();
    rodio::DeviceSinkBuilder::open_default_sink()
}

/// Stops ALSA from printing its own diagnostics (a dozen lines on a machine without a sound card)
/// to stderr: the engine reports "no audio output" with the reason itself.
#[cfg(target_os = "linux")]
fn quiet_alsa() {
    use std::ffi::{c_char, c_int};
    type Handler =
        unsafe extern "C" fn(*const c_char, c_int, *const c_char, c_int, *const c_char, ...);
    unsafe extern "C" {
        // libasound, linked through cpal.
        fn snd_lib_error_set_handler(handler: Option<Handler>) -> c_int;
    }
    unsafe extern "C" fn ignore(
        _file: *const c_char,
        _line: c_int,
        _function: *const c_char,
        _err: c_int,
        _fmt: *const c_char,
    ) {
    }
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: a handler that reads none of its arguments may be called with any number of
        // them under the C calling conventions Linux uses, so the variadic type is sound to call.
        unsafe {
            let handler: Handler = std::mem::transmute::<
                unsafe extern "C" fn(*const c_char, c_int, *const c_char, c_int, *const c_char),
                Handler,
            >(ignore);
            snd_lib_error_set_handler(Some(handler));
        }
    });
}

#[cfg(not(target_os = "linux"))]
fn quiet_alsa() {}

/// Where a preview starts under `policy`.
fn start_point(
    policy: &PreviewPolicy,
    analysis: Option<&Analysis>,
    duration_ms: Option<u64>,
) -> Duration {
    let duration = duration_ms.map(Duration::from_millis);
    let start = match policy.start {
        StartPoint::Smart => Duration::from_millis(analysis.map_or_else(
            || analysis::fallback_start_ms(duration_ms),
            |a| a.smart_start_ms,
        )),
        StartPoint::FromStart => Duration::ZERO,
        StartPoint::Percent(p) => duration
            .map(|d| d.mul_f64((p / 100.0).clamp(0.0, 1.0)))
            .unwrap_or_default(),
        StartPoint::At(t) => t,
    };
    // Never start so late that the file ends before a second of sound.
    match duration {
        Some(d) if start + Duration::from_secs(1) > d => d.saturating_sub(Duration::from_secs(1)),
        _ => start,
    }
}

/// Integrated loudness and sample peak of a few seconds from `start`, for a track that has no
/// analysis or ReplayGain yet. The stream is left where it was found (at the start).
fn quick_loudness(
    frames: &mut dyn Frames,
    start: Duration,
    path: &Path,
) -> Result<(Option<f64>, Option<f64>), PreviewError> {
    let channels = u32::from(frames.channels());
    let rate = frames.sample_rate();
    let mut meter = ebur128::EbuR128::new(
        channels,
        rate,
        ebur128::Mode::I | ebur128::Mode::SAMPLE_PEAK,
    )
    .map_err(|e| PreviewError::Decode {
        path: path.to_string_lossy().into_owned(),
        reason: format!("cannot measure loudness: {e}"),
    })?;
    if !start.is_zero() {
        frames.seek(start)?;
    }
    let want = frames_in(QUICK_WINDOW, rate) * u64::from(channels);
    let mut fed = 0u64;
    while fed < want {
        let Some(block) = frames.next_block()? else {
            break;
        };
        let take = block.len().min((want - fed) as usize);
        let take = take - take % channels as usize;
        if meter.add_frames_f32(&block[..take]).is_err() {
            break;
        }
        fed += take as u64;
    }
    let lufs = meter.loudness_global().ok().filter(|l| l.is_finite());
    let peak = (0..channels)
        .filter_map(|c| meter.sample_peak(c).ok())
        .fold(0.0f64, f64::max);
    frames.seek(Duration::ZERO)?;
    Ok((lufs, (peak > 0.0).then(|| 20.0 * peak.log10())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A synthetic stereo signal: a sine of `freq` at `amp`, `secs` long.
    struct Sine {
        rate: u32,
        freq: f64,
        amp: f32,
        len: u64,
        at: u64,
        block: Vec<f32>,
    }

    impl Sine {
        fn new(rate: u32, freq: f64, amp: f32, secs: f64) -> Self {
            Self {
                rate,
                freq,
                amp,
                len: (secs * f64::from(rate)) as u64,
                at: 0,
                block: Vec::new(),
            }
        }

        fn value(&self, frame: u64) -> f32 {
            self.amp
                * (2.0 * std::f64::consts::PI * self.freq * frame as f64 / f64::from(self.rate))
                    .sin() as f32
        }
    }

    impl Frames for Sine {
        fn channels(&self) -> u16 {
            2
        }
        fn sample_rate(&self) -> u32 {
            self.rate
        }
        fn duration(&self) -> Option<Duration> {
            Some(Duration::from_secs_f64(
                self.len as f64 / f64::from(self.rate),
            ))
        }
        fn next_block(&mut self) -> Result<Option<&[f32]>, PreviewError> {
            if self.at >= self.len {
                return Ok(None);
            }
            let end = (self.at + 1024).min(self.len);
            self.block.clear();
            for f in self.at..end {
                let v = self.value(f);
                self.block.extend([v, v]);
            }
            self.at = end;
            Ok(Some(&self.block))
        }
        fn seek(&mut self, to: Duration) -> Result<Duration, PreviewError> {
            self.at = frames_in(to, self.rate).min(self.len);
            Ok(Duration::from_secs_f64(
                self.at as f64 / f64::from(self.rate),
            ))
        }
    }

    const RATE: u32 = 8000;

    fn source(secs: f64, shape: impl FnOnce(u32) -> Shape) -> (TrackSource, Arc<Controls>) {
        let sine = Sine::new(RATE, 440.0, 0.5, secs);
        let shape = shape(RATE);
        let ctl = Arc::new(Controls::new(1.0, shape.start));
        let mut frames: Box<dyn Frames> = Box::new(sine);
        frames
            .seek(Duration::from_secs_f64(
                shape.start as f64 / f64::from(RATE),
            ))
            .unwrap();
        (TrackSource::new(frames, ctl.clone(), shape).unwrap(), ctl)
    }

    fn left(samples: &[f32]) -> Vec<f32> {
        samples.iter().step_by(2).copied().collect()
    }

    /// The largest jump between neighbouring samples of one channel.
    fn max_jump(samples: &[f32]) -> f32 {
        left(samples)
            .windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0.0, f32::max)
    }

    /// The natural bound of a 440 Hz sine at 0.5: amplitude times the phase step.
    fn sine_jump() -> f32 {
        0.5 * (2.0 * std::f64::consts::PI * 440.0 / f64::from(RATE)) as f32 * 1.01
    }

    #[test]
    fn a_preview_fades_in_and_out_with_raised_cosines_and_ends_on_time() {
        let (src, ctl) = source(10.0, |r| Shape {
            gain: 1.0,
            start: u64::from(r),
            fade_in: u64::from(r) / 2,
            fade_out: u64::from(r),
            until: Some(4 * u64::from(r)),
        });
        let out: Vec<f32> = src.collect();
        assert_eq!(
            out.len(),
            2 * 3 * RATE as usize,
            "3 s of stereo from 1 s to 4 s"
        );
        assert!(ctl.ended.load(Ordering::Acquire));
        let sine = Sine::new(RATE, 440.0, 0.5, 10.0);
        let l = left(&out);
        for (i, &s) in l.iter().enumerate() {
            let frame = u64::from(RATE) + i as u64;
            let envelope = fade(i as u64, u64::from(RATE) / 2)
                * fade(4 * u64::from(RATE) - frame, u64::from(RATE));
            let want = sine.value(frame) * envelope;
            assert!((s - want).abs() < 1e-4, "frame {frame}: {s} vs {want}");
        }
        assert!(max_jump(&out) <= sine_jump());
    }

    #[test]
    fn gain_scales_every_sample() {
        let (src, _) = source(1.0, |_| Shape {
            gain: 0.25,
            start: 0,
            fade_in: 0,
            fade_out: 0,
            until: None,
        });
        let out: Vec<f32> = src.collect();
        let sine = Sine::new(RATE, 440.0, 0.5, 1.0);
        // After the start ramp, every sample is the signal times the gain.
        let ramp = frames_in(RAMP, RATE) as usize;
        for (i, &s) in left(&out).iter().enumerate().skip(ramp) {
            assert!((s - 0.25 * sine.value(i as u64)).abs() < 1e-5, "frame {i}");
        }
    }

    #[test]
    fn pause_ramps_to_silence_holds_position_and_resumes_where_it_was() {
        let (mut src, ctl) = source(5.0, |_| Shape {
            gain: 1.0,
            start: 0,
            fade_in: 0,
            fade_out: 0,
            until: None,
        });
        let mut out: Vec<f32> = (&mut src).take(2 * RATE as usize).collect();
        ctl.state.store(STATE_PAUSED, Ordering::Release);
        let pausing: Vec<f32> = (&mut src).take(2 * RATE as usize).collect();
        let rf = frames_in(RAMP, RATE) as usize;
        assert!(
            pausing[2 * rf..].iter().all(|&s| s == 0.0),
            "silent after the ramp while paused"
        );
        let held = ctl.position.load(Ordering::Relaxed);
        let more: Vec<f32> = (&mut src).take(1000).collect();
        assert!(more.iter().all(|&s| s == 0.0));
        assert_eq!(ctl.position.load(Ordering::Relaxed), held, "position holds");
        ctl.state.store(STATE_RUNNING, Ordering::Release);
        let resumed: Vec<f32> = (&mut src).take(2 * RATE as usize).collect();
        let sine = Sine::new(RATE, 440.0, 0.5, 5.0);
        let after_ramp = left(&resumed)[rf..][..10].to_vec();
        let resume_frame = held + 1 + rf as u64;
        for (k, s) in after_ramp.iter().enumerate() {
            let want = sine.value(resume_frame + k as u64);
            assert!((s - want).abs() < 1e-4, "resumes where it paused");
        }
        out.extend(pausing);
        out.extend(more);
        out.extend(resumed);
        assert!(
            max_jump(&out) <= sine_jump(),
            "no clicks across pause and resume"
        );
    }

    #[test]
    fn seek_ramps_and_lands_on_the_frame() {
        let (mut src, ctl) = source(10.0, |_| Shape {
            gain: 1.0,
            start: 0,
            fade_in: 0,
            fade_out: 0,
            until: None,
        });
        let mut out: Vec<f32> = (&mut src).take(RATE as usize).collect();
        let target = 7 * u64::from(RATE) + 123;
        ctl.seek_to.store(target, Ordering::Release);
        let after: Vec<f32> = (&mut src).take(RATE as usize).collect();
        let ramp = frames_in(RAMP, RATE) as usize;
        let sine = Sine::new(RATE, 440.0, 0.5, 10.0);
        let l = left(&after);
        // ramp down (ramp frames), then ramp up from the target frame on.
        for k in 0..50 {
            let s = l[2 * ramp + k];
            let want = sine.value(target + (ramp + k) as u64);
            assert!((s - want).abs() < 1e-4, "frame {} after the seek", ramp + k);
        }
        out.extend(after);
        assert!(max_jump(&out) <= sine_jump(), "no click at the seek");
    }

    #[test]
    fn stop_ramps_down_then_ends() {
        let (mut src, ctl) = source(10.0, |_| Shape {
            gain: 1.0,
            start: 0,
            fade_in: 0,
            fade_out: 0,
            until: None,
        });
        let mut out: Vec<f32> = (&mut src).take(RATE as usize).collect();
        ctl.state.store(STATE_STOPPED, Ordering::Release);
        let tail: Vec<f32> = src.collect();
        assert!(tail.len() <= 2 * frames_in(RAMP, RATE) as usize + 2);
        assert!(ctl.ended.load(Ordering::Acquire));
        out.extend(tail);
        assert!(
            out.last().is_some_and(|s| s.abs() < 0.01),
            "ends at silence"
        );
        assert!(max_jump(&out) <= sine_jump());
    }

    #[test]
    fn gain_is_loudness_matched_and_peak_safe() {
        assert!((loudness_gain_db(Some(-23.0), Some(-10.0), -18.0) - 5.0).abs() < 1e-9);
        assert!((loudness_gain_db(Some(-23.0), Some(-3.0), -18.0) - 2.0).abs() < 1e-9);
        assert!((loudness_gain_db(Some(-8.0), Some(0.5), -18.0) + 10.0).abs() < 1e-9);
        assert_eq!(loudness_gain_db(Some(-70.0), None, -18.0), MAX_BOOST_DB);
        assert_eq!(loudness_gain_db(None, Some(-3.0), -18.0), 0.0);
    }

    #[test]
    fn start_points_follow_the_policy_and_stay_inside_the_track() {
        let p = |start| PreviewPolicy {
            start,
            ..PreviewPolicy::default()
        };
        let d = Some(300_000);
        assert_eq!(
            start_point(&p(StartPoint::Percent(50.0)), None, d),
            Duration::from_secs(150)
        );
        assert_eq!(
            start_point(&p(StartPoint::FromStart), None, d),
            Duration::ZERO
        );
        assert_eq!(
            start_point(&p(StartPoint::At(Duration::from_secs(400))), None, d),
            Duration::from_secs(299)
        );
        assert_eq!(
            start_point(&p(StartPoint::Smart), None, d),
            Duration::from_millis(analysis::fallback_start_ms(d))
        );
    }
}
