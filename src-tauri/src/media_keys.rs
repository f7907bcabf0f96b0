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
    if !session_bus_present() {
        eprintln!("cuebook: media keys unavailable: no D-Bus session bus");
        return None;
    }
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

/// Whether a D-Bus session bus is reachable where zbus looks for it. Checked first because
/// souvlaki's zbus backend panics on its own thread when there is none.
#[cfg(target_os = "linux")]
fn session_bus_present() -> bool {
    use std::path::PathBuf;
    if let Some(address) = std::env::var_os("DBUS_SESSION_BUS_ADDRESS") {
        let address = address.to_string_lossy().into_owned();
        // The first of `;`-separated addresses; `unix:path=…` names a socket file, other
        // transports (abstract sockets, tcp) cannot be checked without connecting.
        let first = address.split(';').next().unwrap_or_default();
        return match first
            .strip_prefix("unix:")
            .and_then(|rest| rest.split(',').find_map(|kv| kv.strip_prefix("path=")))
        {
            Some(path) => PathBuf::from(path).exists(),
            None => !first.is_empty(),
        };
    }
    let runtime = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            // SAFETY: getuid has no preconditions and cannot fail.
            PathBuf::from(format!("/run/user/{}", unsafe { libc_getuid() }))
        });
    runtime.join("bus").exists()
}

#[cfg(target_os = "linux")]
extern "C" {
    #[link_name = "getuid"]
    fn libc_getuid() -> u32;
}

#[cfg(not(target_os = "linux"))]
fn session_bus_present() -> bool {
    true
}
