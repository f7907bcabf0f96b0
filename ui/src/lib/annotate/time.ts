// Times in a track as the collector types and reads them for time-coded notes: "1:42", "102"
// (seconds), "1:02:03"; shown as m:ss (h:mm:ss past an hour), rounded down so a note shown at
// 1:42 is never after the moment it marks.

export type ParsedTime = { ok: true; ms: number } | { ok: false; message: string };

const NUMBER = /^\d+(?:[.,]\d{1,3})?$/;
const WHOLE = /^\d+$/;

/**
 * Reads a time typed as seconds ("102", "102.5"), m:ss ("1:42") or h:mm:ss ("1:02:03"). Only the
 * last part may have a fraction; seconds (and minutes under hours) must be below 60. With
 * `durationMs`, a time past the end of the track is refused.
 */
export function parseTime(text: string, durationMs?: number | null): ParsedTime {
  const t = text.trim();
  if (t === "") return { ok: false, message: "Enter a time, like 1:42." };
  const parts = t.split(":");
  if (parts.length > 3) return { ok: false, message: `“${t}” is not a time; write it as 1:42 or 1:02:03.` };
  const last = parts[parts.length - 1];
  const leading = parts.slice(0, -1);
  if (!NUMBER.test(last) || !leading.every((p) => WHOLE.test(p))) {
    return { ok: false, message: `“${t}” is not a time; write it as 1:42, 102 or 1:02:03.` };
  }
  const seconds = Number(last.replace(",", "."));
  if (parts.length > 1 && seconds >= 60) return { ok: false, message: `Seconds must be below 60 in “${t}”.` };
  let ms = Math.round(seconds * 1000);
  if (parts.length === 2) ms += Number(parts[0]) * 60_000;
  if (parts.length === 3) {
    const minutes = Number(parts[1]);
    if (minutes >= 60) return { ok: false, message: `Minutes must be below 60 in “${t}”.` };
    ms += Number(parts[0]) * 3_600_000 + minutes * 60_000;
  }
  if (!Number.isSafeInteger(ms)) return { ok: false, message: `“${t}” is too long a time.` };
  if (durationMs != null && durationMs > 0 && ms > durationMs) {
    return { ok: false, message: `${formatTime(ms)} is past the end of the track (${formatTime(durationMs)}).` };
  }
  return { ok: true, ms };
}

/** "1:42", "0:05", "1:02:03": whole seconds, rounded down. */
export function formatTime(ms: number): string {
  const total = Math.floor(Math.max(0, Number.isFinite(ms) ? ms : 0) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
