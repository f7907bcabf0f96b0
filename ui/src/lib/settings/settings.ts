import type { Backend } from "../api/backend";
import { messageOf } from "../api/errors";
import type { PreviewStart, Settings } from "../api/types";

/** The ranges the Rust side clamps to (src/settings.rs); the form keeps inside them too. */
export const PREVIEW_SECS = { min: 5, max: 120 } as const;
export const TARGET_LUFS = { min: -30, max: -8 } as const;
export const START_PERCENT = { min: 0, max: 95 } as const;

function clamp(v: number, min: number, max: number, fallback: number): number {
  return Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

/** Settings brought into their ranges; preview length in whole seconds (the Rust field is an integer). */
export function clampSettings(s: Settings): Settings {
  let start: PreviewStart = s.preview_start;
  if (start.kind === "percent") {
    start = { kind: "percent", value: Math.round(clamp(start.value, START_PERCENT.min, START_PERCENT.max, 33)) };
  }
  return {
    ...s,
    preview_secs: Math.round(clamp(s.preview_secs, PREVIEW_SECS.min, PREVIEW_SECS.max, 30)),
    preview_start: start,
    target_lufs: clamp(Math.round(s.target_lufs * 2) / 2, TARGET_LUFS.min, TARGET_LUFS.max, -18),
    volume: clamp(s.volume, 0, 1, 1),
  };
}

/** "−18 LUFS" with a real minus sign. */
export function formatLufs(lufs: number): string {
  const n = Number.isInteger(lufs) ? String(Math.abs(lufs)) : Math.abs(lufs).toFixed(1);
  return `${lufs < 0 ? "−" : ""}${n} LUFS`;
}

/** What a loudness target means for the listener, in one or two sentences. */
export function describeLoudness(lufs: number): string {
  const base = `Every preview and play is turned up or down to about ${formatLufs(lufs)}, so a quiet cue and a loud one sound equally loud.`;
  if (lufs <= -23) return `${base} This is broadcast level: the quietest setting, with the most room for big orchestral peaks.`;
  if (lufs <= -16) return `${base} A balanced level that keeps the dynamics of orchestral scores.`;
  if (lufs <= -12) return `${base} About what streaming services use; loud scores may be limited a little.`;
  return `${base} Very loud: quiet cues are raised a lot and peaks of loud ones are squeezed.`;
}

export type SaveStatus = { kind: "idle" } | { kind: "saving" } | { kind: "saved"; settings: Settings } | { kind: "error"; message: string };

/**
 * Saves settings as they change: at once for clicks, after `delayMs` of rest for sliders, one save
 * at a time and always the latest values. `report` hears every status; a "saved" status carries what
 * Rust stored (clamped), and only when no newer change is waiting.
 */
export function createSaver(backend: Backend, report: (s: SaveStatus) => void, delayMs = 400) {
  let pending: Settings | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let saving = false;

  async function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (saving || !pending) return;
    const next = pending;
    pending = null;
    saving = true;
    report({ kind: "saving" });
    try {
      const stored = await backend.saveSettings(next);
      saving = false;
      if (pending) return flush();
      report({ kind: "saved", settings: stored });
    } catch (e) {
      saving = false;
      if (pending) return flush();
      report({ kind: "error", message: messageOf(e) });
    }
  }

  return {
    /** A new value; `immediate` for discrete choices, else saved once the value rests. */
    change(s: Settings, immediate = false): Promise<void> {
      pending = clampSettings(s);
      clearTimeout(timer);
      if (immediate) return flush();
      timer = setTimeout(() => void flush(), delayMs);
      return Promise.resolve();
    },
    /** Saves what is waiting now (the view is going away). */
    flush,
    get busy(): boolean {
      return saving || pending !== null;
    },
  };
}
