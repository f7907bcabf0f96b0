// Wishlist resolutions: scanned albums that a placeholder names. One placeholder can match
// several albums; the panel groups them by placeholder, closest first, and "Accept all" takes the
// closest of each. Pure functions.

import type { Resolution } from "../api/types";

/** One placeholder and the albums that may be it, closest first. */
export interface Wish {
  entryId: number;
  listId: number;
  listName: string;
  title: string;
  artist: string | null;
  year: number | null;
  candidates: Resolution[];
}

/** Groups by placeholder, in the order Rust listed them; candidates closest first. */
export function wishes(rs: readonly Resolution[]): Wish[] {
  const byEntry = new Map<number, Wish>();
  for (const r of rs) {
    let w = byEntry.get(r.entry_id);
    if (!w) {
      w = { entryId: r.entry_id, listId: r.list_id, listName: r.list_name, title: r.title, artist: r.artist, year: r.year, candidates: [] };
      byEntry.set(r.entry_id, w);
    }
    w.candidates.push(r);
  }
  for (const w of byEntry.values()) w.candidates.sort((a, b) => b.confidence - a.confidence);
  return [...byEntry.values()];
}

/** How many placeholders wait for an answer (the navigation badge). */
export function pendingCount(rs: readonly Pick<Resolution, "entry_id">[]): number {
  return new Set(rs.map((r) => r.entry_id)).size;
}

/** What "Accept all" resolves: the closest album for each placeholder, once each. */
export function bestOfEach(rs: readonly Resolution[]): Resolution[] {
  return wishes(rs).map((w) => w.candidates[0]);
}

/** "92% match", with a word for how sure: "Very likely", "Likely", "Possible". */
export function confidenceLabel(confidence: number): { word: string; percent: string } {
  const c = Math.min(1, Math.max(0, confidence));
  const word = c >= 0.9 ? "Very likely" : c >= 0.7 ? "Likely" : "Possible";
  return { word, percent: `${Math.round(c * 100)}% match` };
}

/** "Title — Artist (1999)", leaving out what is unknown. */
export function described(title: string, artist: string | null, year: number | null): string {
  return `${title}${artist ? ` — ${artist}` : ""}${year != null ? ` (${year})` : ""}`;
}
