import type { Backend, Unlisten } from "../api/backend";
import { messageOf } from "../api/errors";
import type { PlayMode, PlayerPosition, PlayerStatus, TrackRow, Waveform } from "../api/types";

const stopped: PlayerStatus = {
  state: "stopped",
  track_id: null,
  mode: null,
  output_available: true,
  output_problem: null,
};

/**
 * The app's one view of the audio engine: what plays, where, and its waveform. Views call its
 * methods instead of the backend so that every button, shortcut and media key goes one way.
 * Rust owns the truth; this mirrors its events.
 *
 * When playback stops, `track` and `waveform` keep the last track (the bar still shows it and
 * Space plays it again); they change when another track starts. Answers that arrive for a track
 * that is no longer the one being loaded are dropped.
 */
export class Player {
  status: PlayerStatus = $state(stopped);
  position: PlayerPosition | null = $state(null);
  /** The playing (or last played) track's row, for "now playing". */
  track: TrackRow | null = $state(null);
  /** That track's waveform, once analyzed. */
  waveform: Waveform | null = $state(null);
  /** The last playback error, cleared by the next successful start. */
  error: string | null = $state(null);
  /** 0–1, as last set (the engine starts at the stored setting, read on `connect`). */
  volume = $state(1);
  /** The tracks being skimmed, in order; empty when not skimming. */
  skimming: number[] = $state([]);
  /** The mode of the playing or last played track. */
  lastMode: PlayMode | null = $state(null);

  #backend: Backend;
  #unlisten: Unlisten[] = [];
  /** The track whose row and waveform are being (or were last) fetched. */
  #loading: number | null = null;
  #volumeBeforeMute = 1;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  /** Subscribes to the engine's events and reads its state; call once when the app mounts. */
  async connect(): Promise<void> {
    this.disconnect();
    const b = this.#backend;
    this.#unlisten.push(
      await b.onPlayer((s) => this.#setStatus(s)),
      await b.onPosition((p) => this.#setPosition(p)),
      await b.onPlaybackError((e) => {
        this.error = e.message;
      }),
    );
    try {
      this.#setStatus(await b.playerStatus());
    } catch (e) {
      this.error = messageOf(e);
    }
    try {
      this.volume = clampVolume((await b.settings()).volume);
    } catch {
      // The engine keeps its own volume; the slider then starts at full until it is moved.
    }
  }

  disconnect(): void {
    for (const u of this.#unlisten.splice(0)) u();
  }

  get playing(): boolean {
    return this.status.state === "playing" || this.status.state === "loading";
  }

  get muted(): boolean {
    return this.volume === 0;
  }

  /** The track's length as best known: the engine's, else the waveform's, else the catalog's. */
  get durationMs(): number | null {
    return this.position?.duration_ms ?? this.waveform?.duration_ms ?? this.track?.duration_ms ?? null;
  }

  preview(trackId: number): Promise<void> {
    this.skimming = [];
    return this.#run(() => this.#backend.preview(trackId));
  }

  play(trackId: number, fromMs = 0): Promise<void> {
    this.skimming = [];
    return this.#run(() => this.#backend.play(trackId, Math.max(0, Math.round(fromMs))));
  }

  skim(trackIds: number[]): Promise<void> {
    if (trackIds.length === 0) return Promise.resolve();
    this.skimming = [...trackIds];
    return this.#run(() => this.#backend.skim(trackIds));
  }

  /** Space: pause what plays, resume what is paused, play the last track again when stopped. */
  toggle(): Promise<void> {
    switch (this.status.state) {
      case "playing":
      case "loading":
        return this.#run(() => this.#backend.pause());
      case "paused":
        return this.#run(() => this.#backend.resume());
      case "stopped":
        if (!this.track) return Promise.resolve();
        return this.lastMode === "full" ? this.play(this.track.id, 0) : this.preview(this.track.id);
    }
  }

  /** Restarts the current track in the other mode: full from where the preview is, or a preview. */
  switchMode(): Promise<void> {
    const id = this.status.track_id ?? this.track?.id;
    if (id == null) return Promise.resolve();
    const mode = this.status.mode ?? this.lastMode;
    if (mode === "full") return this.preview(id);
    const at = this.position && this.position.track_id === id ? this.position.position_ms : 0;
    return this.play(id, at);
  }

  stop(): Promise<void> {
    this.skimming = [];
    return this.#run(() => this.#backend.stop());
  }

  seek(ms: number): Promise<void> {
    if (!Number.isFinite(ms)) return Promise.resolve();
    return this.#run(() => this.#backend.seek(Math.max(0, Math.round(ms))));
  }

  /** Seeks by `deltaMs` from the current position (arrow keys), staying inside the track. */
  nudge(deltaMs: number): Promise<void> {
    if (!this.position) return Promise.resolve();
    let to = Math.max(0, this.position.position_ms + deltaMs);
    const end = this.position.duration_ms;
    if (end != null) to = Math.min(to, Math.max(0, end - 1000));
    return this.seek(to);
  }

  next(): Promise<void> {
    return this.#run(() => this.#backend.next());
  }

  previous(): Promise<void> {
    return this.#run(() => this.#backend.previous());
  }

  setVolume(v: number): Promise<void> {
    this.volume = clampVolume(v);
    return this.#run(() => this.#backend.setVolume(this.volume));
  }

  /** "m": silence, or back to the volume before. */
  toggleMute(): Promise<void> {
    if (this.volume > 0) {
      this.#volumeBeforeMute = this.volume;
      return this.setVolume(0);
    }
    return this.setVolume(this.#volumeBeforeMute > 0 ? this.#volumeBeforeMute : 1);
  }

  dismissError(): void {
    this.error = null;
  }

  async #run(call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  #setPosition(p: PlayerPosition): void {
    // A position of a track that has been replaced since is late; it would make the bar jump.
    if (this.status.track_id != null && p.track_id !== this.status.track_id) return;
    this.position = p;
  }

  #setStatus(s: PlayerStatus): void {
    const previous = this.status.track_id;
    this.status = s;
    if (s.state === "playing") this.error = null;
    if (s.mode) this.lastMode = s.mode;
    if (s.state === "stopped") {
      this.skimming = [];
      this.position = null;
    }
    if (s.track_id != null && s.track_id !== previous) {
      this.position = null;
      if (s.track_id !== this.#loading) {
        this.track = null;
        this.waveform = null;
      }
      // The same track again keeps what is known and fetches only what is missing (a waveform
      // that was not analyzed the first time may be now).
      if (!this.track || !this.waveform) void this.#load(s.track_id);
    }
  }

  async #load(id: number): Promise<void> {
    this.#loading = id;
    const current = () => this.#loading === id;
    // The row and the waveform are independent: a track that cannot be analyzed still has a title.
    await Promise.all([
      this.track?.id === id ? null : this.#backend.track(id).then(
        (t) => {
          if (current()) this.track = t;
        },
        () => {
          // No row (removed since): the bar shows "Track <id>" rather than stale details.
        },
      ),
      this.waveform?.track_id === id ? null : this.#backend.waveform(id).then(
        (w) => {
          if (current() && w.track_id === id) this.waveform = w;
        },
        () => {
          // No waveform (a format that cannot be analyzed) leaves a plain seek bar; playback
          // errors arrive through onPlaybackError.
        },
      ),
    ]);
  }
}

function clampVolume(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 1;
}
