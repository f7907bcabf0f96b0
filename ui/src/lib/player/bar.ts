import type { TrackRow } from "../api/types";

/** The no-output notice, without repeating "no audio output" when the engine's reason starts so. */
export function describeOutputProblem(problem: string | null): string {
  const reason = (problem ?? "").trim().replace(/^no audio output\s*[:—–-]\s*/i, "").trim();
  const why = reason || "no sound device could be opened";
  return `No audio output — ${why}. Everything else works; playing will try again.`.replace(/\.\. /, ". ");
}

/** The file name of a path, either separator. */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.at(-1) ?? path;
}

/** "Now playing" in two lines: the title, then album and composers. */
export function nowPlaying(track: TrackRow | null, trackId: number | null): { title: string; detail: string } {
  if (!track) {
    return trackId == null ? { title: "Nothing playing", detail: "Click a cue to preview it" } : { title: "Loading…", detail: "" };
  }
  const title = track.title?.trim() || fileName(track.path);
  const detail = [track.album ?? track.work, track.composers.join(", ")].filter((s) => s && s.trim()).join(" · ");
  return { title, detail };
}

/** "Skimming 3 of 12", or null when not skimming. */
export function skimLabel(queue: number[], trackId: number | null): string | null {
  if (queue.length === 0) return null;
  const at = trackId == null ? -1 : queue.indexOf(trackId);
  return at < 0 ? `Skimming ${queue.length} tracks` : `Skimming ${at + 1} of ${queue.length}`;
}
