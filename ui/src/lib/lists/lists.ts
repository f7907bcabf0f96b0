// How the Lists view reads: names, counts, rankings and the short phrases about entries, and the
// notices about the wishlist. Pure functions.

import type { EntryKind, ListEntry, ListItem, ListSummary, Ranking } from "../api/types";

/** What the Lists view shows beside its sidebar. */
export type ListsPane = { kind: "list"; id: number } | { kind: "new" } | { kind: "smart" } | { kind: "resolutions" } | null;

/** The ranking choices, in the order the picker shows them. */
export const rankings: { value: Ranking; label: string; hint: string }[] = [
  { value: "none", label: "No numbers", hint: "A plain list" },
  { value: "ascending", label: "1 → N", hint: "Numbered from the top" },
  { value: "descending", label: "Countdown N → 1", hint: "Numbered down to 1 at the bottom" },
];

/**
 * The drag type that says which list a drag of entries comes from. The id is in the type itself
 * because only the types can be read while a drag is over a target: the sidebar refuses to add a
 * list's entries to that same list (wishes would be copied twice).
 */
export function fromListType(listId: number): string {
  return `application/x-cuebook-from-list-${listId}`;
}

/** Longest list name Rust accepts, in characters. */
export const MAX_NAME = 200;

/** A name as Rust stores it (spaces collapsed), or null when it is blank. */
export function cleanListName(name: string): string | null {
  const clean = name.split(/\s+/u).filter(Boolean).join(" ");
  return clean === "" ? null : clean;
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

export function entriesLabel(n: number): string {
  return plural(n, "entry", "entries");
}

/** What the sidebar says under a list's name: "12 entries · 3 wished for", "Smart list". */
export function summaryLine(l: Pick<ListSummary, "smart" | "entries" | "placeholders">): string {
  if (l.smart) return "Smart list";
  const parts = [entriesLabel(l.entries)];
  if (l.placeholders > 0) parts.push(`${l.placeholders.toLocaleString("en")} wished for`);
  return parts.join(" · ");
}

/** The name of an entry's kind, for its badge and for screen readers. */
export function kindName(kind: EntryKind): string {
  return kind === "album" ? "Album" : kind === "track" ? "Track" : "Wishlist";
}

/** Why an entry is dimmed, or null when it is in the library and playable. */
export function unavailableReason(e: Pick<ListEntry, "kind" | "available" | "album_id" | "track_id">): string | null {
  if (e.kind === "placeholder" || e.available) return null;
  const attached = e.kind === "album" ? e.album_id != null : e.track_id != null;
  return attached ? "files missing" : "not in library";
}

/** The line under an entry's title: artist, year, and the album of a track or the size of an album. */
export function detailLine(e: Pick<ListEntry, "kind" | "artist" | "year" | "album" | "tracks">): string {
  const parts: string[] = [];
  if (e.artist) parts.push(e.artist);
  if (e.year != null) parts.push(String(e.year));
  if (e.kind === "track" && e.album) parts.push(e.album);
  if (e.kind === "album" && e.tracks != null) parts.push(plural(e.tracks, "track", "tracks"));
  return parts.join(" · ");
}

/** How an entry is named to a screen reader: "3. Amélie, Yann Tiersen, 2001 (album)". */
export function entryLabel(e: Pick<ListEntry, "rank" | "kind" | "title" | "artist" | "year" | "available" | "album_id" | "track_id">): string {
  const head = e.rank == null ? "" : `${e.rank}. `;
  const parts = [e.title, e.artist, e.year != null ? String(e.year) : null].filter(Boolean).join(", ");
  const why = unavailableReason(e);
  const kind = e.kind === "placeholder" ? "on the wishlist" : kindName(e.kind).toLowerCase();
  return `${head}${parts} (${kind}${why ? `, ${why}` : ""})`;
}

/** What a drop or an add did: "Added 3 to “Top 10”.", "Already in “Top 10”.". */
export function addedMessage(asked: number, added: number, listName: string): string {
  if (added === 0) return asked === 1 ? `Already in “${listName}”.` : `All of them are already in “${listName}”.`;
  const skipped = asked - added;
  const head = `Added ${added === 1 ? "1 entry" : entriesLabel(added)} to “${listName}”.`;
  return skipped > 0 ? `${head} ${skipped.toLocaleString("en")} ${skipped === 1 ? "was" : "were"} already there.` : head;
}

/** What is being dragged, in words: "Amélie", "3 items". */
export function itemsLabel(items: readonly ListItem[], titleOf: (i: ListItem) => string | null): string {
  if (items.length === 1) return titleOf(items[0]) ?? "1 item";
  return `${items.length.toLocaleString("en")} items`;
}

/** A placeholder's year from the form: null when blank, undefined when it is not a 4-digit year. */
export function parseYear(text: string): number | null | undefined {
  const t = text.trim();
  if (t === "") return null;
  if (!/^\d{4}$/.test(t)) return undefined;
  const y = Number(t);
  return y >= 1000 ? y : undefined;
}

/** The notice after a scan that found albums for wishlist entries, or null when it found none. */
export function describeWishlistMatches(n: number | null | undefined): string | null {
  if (n == null || n <= 0) return null;
  return n === 1
    ? "1 wishlist entry is now in your library."
    : `${n.toLocaleString("en")} wishlist entries are now in your library.`;
}

/** The message of the confirmation before deleting a list; `notes` counts its entries' notes. */
export function deleteMessage(l: { smart: boolean; notes: number }): string {
  if (l.smart) return "It is a saved search: nothing in your library changes.";
  const keep = "The albums and tracks stay in your library, with their notes.";
  if (l.notes === 0) return keep;
  return `${keep} ${l.notes === 1 ? "The note" : `The ${l.notes.toLocaleString("en")} notes`} written in this list ${l.notes === 1 ? "goes" : "go"} with it.`;
}
