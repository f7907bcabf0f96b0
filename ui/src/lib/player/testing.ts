import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { PlaybackError, PlayerPosition, PlayerStatus, TrackRow, Waveform } from "../api/types";

/** A track row for tests. */
export function trackRow(id: number, over: Partial<TrackRow> = {}): TrackRow {
  return {
    id,
    title: `Cue ${id}`,
    artists: [],
    composers: ["Yann Tiersen"],
    album_id: 1,
    album: "Le Fabuleux Destin d'Amélie Poulain",
    work: null,
    disc_no: 1,
    track_no: id,
    year: 2001,
    duration_ms: 180_000,
    format: "flac",
    codec: null,
    sample_rate: 44_100,
    bit_depth: 16,
    channels: 2,
    bitrate: null,
    path: `/music/amelie/${id}.flac`,
    missing_since: null,
    cover_hash: null,
    rating: null,
    cue: null,
    tags: [],
    ...over,
  };
}

export function status(over: Partial<PlayerStatus> = {}): PlayerStatus {
  return { state: "stopped", track_id: null, mode: null, output_available: true, output_problem: null, ...over };
}

export function waveformOf(trackId: number, durationMs = 180_000): Waveform {
  return { track_id: trackId, duration_ms: durationMs, smart_start_ms: 30_000, peaks: [[-0.5, 0.5]] };
}

/**
 * A fake engine: the test pushes events with `emit*` and reads the calls in `calls`.
 * Anything in `parts` replaces the defaults.
 */
export function fakeEngine(parts: Partial<Backend> = {}) {
  const calls: unknown[][] = [];
  let onStatus: (s: PlayerStatus) => void = () => {};
  let onPosition: (p: PlayerPosition) => void = () => {};
  let onError: (e: PlaybackError) => void = () => {};
  const record =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push([name, ...args]);
      return Promise.resolve();
    };
  const backend = fakeBackend({
    onPlayer: async (h) => ((onStatus = h), () => {}),
    onPosition: async (h) => ((onPosition = h), () => {}),
    onPlaybackError: async (h) => ((onError = h), () => {}),
    playerStatus: async () => status(),
    track: async (id) => trackRow(id),
    waveform: async (id) => waveformOf(id),
    preview: record("preview"),
    play: record("play"),
    pause: record("pause"),
    resume: record("resume"),
    stop: record("stop"),
    seek: record("seek"),
    setVolume: record("setVolume"),
    skim: record("skim"),
    next: record("next"),
    previous: record("previous"),
    ...parts,
  });
  return {
    backend,
    calls,
    emitStatus: (s: Partial<PlayerStatus>) => onStatus(status(s)),
    emitPosition: (p: PlayerPosition) => onPosition(p),
    emitError: (e: PlaybackError) => onError(e),
  };
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}
