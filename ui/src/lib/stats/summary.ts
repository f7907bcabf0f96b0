import type { Count } from "../api/types";
import type { Item } from "./chart";

export type Measure = "albums" | "tracks";

/** Chart items from counts, measured in albums or tracks, with labels for people. */
export function itemsOf(counts: Count[], measure: Measure, label: (key: string) => string = (k) => k): Item[] {
  return counts.map((c) => ({ label: label(c.key), value: c[measure] }));
}

/** "flac" → "FLAC"; longer or unusual names stay as they are. */
export function formatName(key: string): string {
  if (!key) return "Unknown";
  return /^[a-z0-9]{2,5}$/.test(key) ? key.toUpperCase() : key;
}

/** "unknown" → "Unknown"; decades as they are. */
export function decadeName(key: string): string {
  return key === "unknown" || !key ? "Unknown" : key;
}

/** "1960s" → "’60s" for narrow bars; "Unknown" → "?". */
export function decadeShort(label: string): string {
  const m = /^\d\d(\d\ds)$/.exec(label);
  if (m) return `’${m[1]}`;
  return label === "Unknown" ? "?" : label;
}

/**
 * One sentence that says what a chart shows, for its aria-label: the largest item and how many
 * there are, e.g. "Albums by decade: most in the 1990s (42 of 120 albums), across 7 decades."
 */
export function summarize(title: string, items: Item[], unit: string, noun: string): string {
  const total = items.reduce((s, i) => s + i.value, 0);
  if (items.length === 0 || total === 0) return `${title}: nothing yet.`;
  const top = items.reduce((a, b) => (b.value > a.value ? b : a));
  const many = items.length === 1 ? noun : `${noun}s`;
  return `${title}: the most ${unit} are in ${top.label} (${top.value.toLocaleString("en")} of ${total.toLocaleString("en")}), across ${items.length} ${many}.`;
}

/** A ranked list as a sentence: "Top composers by albums: Hans Zimmer 12, John Williams 9, …". */
export function summarizeRanking(title: string, items: Item[]): string {
  if (items.length === 0) return `${title}: nothing yet.`;
  const shown = items.slice(0, 5).map((i) => `${i.label} ${i.value.toLocaleString("en")}`);
  return `${title}: ${shown.join(", ")}${items.length > 5 ? ", …" : "."}`;
}
