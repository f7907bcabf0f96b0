import type { Backend, Unlisten } from "../api/backend";
import { messageOf } from "../api/errors";
import type { PlayerPosition, PlayerStatus, TrackRow, Waveform } from "../api/types";

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
 */
export class Player {
  status: PlayerStatus = $state(stopped);
  position: PlayerPosition | null = $state(null);
  /** The playing track's row (for "now playing"). */
  track: TrackRow | null = $state(null);
  /** The playing track's waveform, once analyzed. */
  waveform: Waveform | null = $state(null);
  /** The last playback error, cleared by the next successful start. */
  error: string | null = $state(null);
  volume = $state(1);

  #backend: Backend;
  #unlisten: Unlisten[] = [];

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  /** Subscribes to the engine's events and reads its state; call once when the app mounts. */
  async connect(): Promise<void> {
    const b = this.#backend;
    this.#unlisten.push(
      await b.onPlayer((s) => this.#setStatus(s)),
      await b.onPosition((p) => {
        this.position = p;
      }),
      await b.onPlaybackError((e) => {
        this.error = e.message;
      }),
    );
    try {
      this.#setStatus(await b.playerStatus());
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  disconnect(): void {
    for (const u of this.#unlisten.splice(0)) u();
  }

  get playing(): boolean {
    return this.status.state === "playing" || this.status.state === "loading";
  }

  preview(trackId: number): Promise<void> {
    return this.#run(() => this.#backend.preview(trackId));
  }

  play(trackId: number, fromMs = 0): Promise<void> {
    return this.#run(() => this.#backend.play(trackId, fromMs));
  }

  skim(trackIds: number[]): Promise<void> {
    if (trackIds.length === 0) return Promise.resolve();
    return this.#run(() => this.#backend.skim(trackIds));
  }

  /** Space: pause what plays, resume what is paused. */
  toggle(): Promise<void> {
    switch (this.status.state) {
      case "playing":
      case "loading":
        return this.#run(() => this.#backend.pause());
      case "paused":
        return this.#run(() => this.#backend.resume());
      case "stopped":
        return this.track ? this.preview(this.track.id) : Promise.resolve();
    }
  }

  stop(): Promise<void> {
    return this.#run(() => this.#backend.stop());
  }

  seek(ms: number): Promise<void> {
    return this.#run(() => this.#backend.seek(Math.max(0, Math.round(ms))));
  }

  /** Seeks by `deltaMs` from the current position (arrow keys). */
  nudge(deltaMs: number): Promise<void> {
    if (!this.position) return Promise.resolve();
    return this.seek(this.position.position_ms + deltaMs);
  }

  next(): Promise<void> {
    return this.#run(() => this.#backend.next());
  }

  previous(): Promise<void> {
    return this.#run(() => this.#backend.previous());
  }

  setVolume(v: number): Promise<void> {
    this.volume = Math.min(1, Math.max(0, v));
    return this.#run(() => this.#backend.setVolume(this.volume));
  }

  async #run(call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  #setStatus(s: PlayerStatus): void {
    const changed = s.track_id !== this.status.track_id;
    this.status = s;
    if (s.state === "playing") this.error = null;
    if (changed) {
      this.position = null;
      this.waveform = null;
      if (s.track_id != null) void this.#load(s.track_id);
    }
  }

  async #load(id: number): Promise<void> {
    try {
      const track = await this.#backend.track(id);
      if (this.status.track_id === id) this.track = track;
      const waveform = await this.#backend.waveform(id);
      if (this.status.track_id === id) this.waveform = waveform;
    } catch {
      // No waveform (a format that cannot be analyzed) leaves a plain seek bar; playback errors
      // arrive through onPlaybackError.
    }
  }
}
