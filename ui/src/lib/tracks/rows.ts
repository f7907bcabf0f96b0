// The arithmetic of the virtualized track table (fixed row height) and how a row reads.

import type { TrackRow } from "../api/types";

/** The rows `start..end` to render: those on screen plus `overscan` on either side. */
export function visibleRows(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  total: number,
  overscan: number,
): { start: number; end: number } {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight);
  const start = Math.max(0, Math.min(total, first) - overscan);
  const end = Math.min(total, Math.max(last, first + 1) + overscan);
  return { start, end };
}

/** The scrollTop that brings row `index` fully into view, or null when it already is. */
export function revealRow(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number | null {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return Math.max(0, top + rowHeight - viewportHeight);
  return null;
}

/** A row's title: its tag, else its file name. */
export function trackTitle(t: Pick<TrackRow, "title" | "path">): string {
  if (t.title && t.title.trim() !== "") return t.title;
  return t.path.split(/[\\/]/).pop() ?? t.path;
}

/** "7", or "2-07" on a second disc. */
export function trackNumber(t: Pick<TrackRow, "disc_no" | "track_no">): string {
  if (t.track_no == null) return "";
  if (t.disc_no != null && t.disc_no > 1) return `${t.disc_no}-${String(t.track_no).padStart(2, "0")}`;
  return String(t.track_no);
}

/** "FLAC · 96 kHz · 24-bit · 2 ch" — the audio properties, for a tooltip. */
export function formatDetails(
  t: Pick<TrackRow, "format" | "codec" | "sample_rate" | "bit_depth" | "channels" | "bitrate">,
): string {
  const name = formatName(t.format);
  const parts: string[] = [
    t.codec && t.codec.toLowerCase() !== t.format.toLowerCase() ? `${name} (${t.codec})` : name,
  ];
  if (t.sample_rate) parts.push(`${Number((t.sample_rate / 1000).toFixed(1))} kHz`);
  if (t.bit_depth) parts.push(`${t.bit_depth}-bit`);
  if (t.bitrate && !t.bit_depth) parts.push(`${Math.round(t.bitrate)} kbps`);
  if (t.channels === 1) parts.push("mono");
  else if (t.channels != null && t.channels > 2) parts.push(`${t.channels} ch`);
  return parts.filter((p) => p).join(" · ");
}

/** The container as collectors write it: "FLAC", "MP3", "M4A". */
export function formatName(format: string): string {
  return format.toUpperCase();
}
