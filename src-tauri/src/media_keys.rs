//! OS media keys and the "now playing" panel (MPRIS on Linux, through souvlaki over zbus).
//!
//! One thread owns the media controls: it takes what the player reports (state, track, position)
//! and hands key presses to the engine. Without a session bus (a headless machine, CI) the
//! controls cannot be created; the app says so once on stderr and works without them.

use std::sync::mpsc::{channel, Sender};
use std::time::Duration;

use souvlaki::{
    MediaControlEvent, MediaControls, MediaMetadata, MediaPlayback, MediaPosition, PlatformConfig,
    SeekDirection,
};

use cuebook::db::tracks::TrackRow;
use cuebook::events::PlayerState;

/// What the media controls are told.
pub enum Update {
    Track(Option<Box<TrackRow>>),
    State(PlayerState, Option<Duration>),
}

/// What a media key asks of the player.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Key {
    Toggle,
    Play,
    Pause,
    Stop,
    Next,
    Previous,
    SeekBy(i64),
    SeekTo(Duration),
}

/// Starts the media controls thread; `on_key` runs on that thread for every key press. Returns
/// where to send updates, or `None` when the platform offers no media controls here.
pub fn start(on_key: impl Fn(Key) + Send + 'static) -> Option<Sender<Update>> {
    let (tx, rx) = channel::<Update>();
    let (ready_tx, ready_rx) = channel::<bool>();
    let spawned = std::thread::Builder::new()
        .name("cuebook-media-keys".into())
        .spawn(move || {
            let config = PlatformConfig {
                dbus_name: "cuebook",
                display_name: "Cuebook",
                hwnd: None,
            };
            let mut controls = match MediaControls::new(config) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("cuebook: media keys unavailable: {e:?}");
                    let _ = ready_tx.send(false); // the caller is waiting for exactly this
                    return;
                }
            };
            if let Err(e) = controls.attach(move |event| {
                if let Some(key) = key_of(event) {
                    on_key(key);
                }
            }) {
                eprintln!("cuebook: media keys unavailable (no session bus?): {e:?}");
                let _ = ready_tx.send(false); // the caller is waiting for exactly this
                return;
            }
            let _ = ready_tx.send(true); // the caller is waiting for exactly this
            for update in rx {
                // Failures here mean the bus went away; the player goes on regardless.
                let _ = match update {
                    Update::Track(Some(t)) => {
                        let duration = t.duration_ms.map(|ms| Duration::from_millis(ms as u64));
                        let artist = t.composers.first().or(t.artists.first()).cloned();
                        controls.set_metadata(MediaMetadata {
                            title: t.title.as_deref(),
                            album: t.album.as_deref(),
                            artist: artist.as_deref(),
                            duration,
                            cover_url: None,
                        })
                    }
                    Update::Track(None) => controls.set_metadata(MediaMetadata::default()),
                    Update::State(state, at) => {
                        let progress = at.map(MediaPosition);
                        controls.set_playback(match state {
                            PlayerState::Playing | PlayerState::Loading => {
                                MediaPlayback::Playing { progress }
                            }
                            PlayerState::Paused => MediaPlayback::Paused { progress },
                            PlayerState::Stopped => MediaPlayback::Stopped,
                        })
                    }
                };
            }
        });
    if spawned.is_err() {
        eprintln!("cuebook: media keys unavailable: no thread");
        return None;
    }
    match ready_rx.recv_timeout(Duration::from_secs(2)) {
        Ok(true) => Some(tx),
        _ => None,
    }
}

fn key_of(event: MediaControlEvent) -> Option<Key> {
    Some(match event {
        MediaControlEvent::Toggle => Key::Toggle,
        MediaControlEvent::Play => Key::Play,
        MediaControlEvent::Pause => Key::Pause,
        MediaControlEvent::Stop => Key::Stop,
        MediaControlEvent::Next => Key::Next,
        MediaControlEvent::Previous => Key::Previous,
        MediaControlEvent::Seek(SeekDirection::Forward) => Key::SeekBy(5_000),
        MediaControlEvent::Seek(SeekDirection::Backward) => Key::SeekBy(-5_000),
        MediaControlEvent::SeekBy(SeekDirection::Forward, d) => Key::SeekBy(d.as_millis() as i64),
        MediaControlEvent::SeekBy(SeekDirection::Backward, d) => {
            Key::SeekBy(-(d.as_millis() as i64))
        }
        MediaControlEvent::SetPosition(MediaPosition(d)) => Key::SeekTo(d),
        _ => return None,
    })
}
