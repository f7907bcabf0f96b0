// The order of a list's entries: what a move does, which `before` a keyboard move or a drop
// sends to `moveListEntries`, ranks as the list's ranking counts them, and putting removed
// entries back. Pure functions over entry ids (a plain list's entries always have one).
//
// A move takes the moving entries out and puts them back together, in list order, just before
// the entry `before` (at the end when null), exactly as Rust does. Every `before` computed here
// is an entry that is not moving, so the call means the same on both sides.

import type { ListEntry, ListItem, Ranking } from "../api/types";

/** What to send to `moveListEntries`: these entries (in list order) go before `before`. */
export interface Move {
  ids: number[];
  before: number | null;
}

/** `ids` in the order they have in `order` (ids not in it are dropped). */
export function inListOrder(order: readonly number[], ids: Iterable<number>): number[] {
  const wanted = new Set(ids);
  return order.filter((id) => wanted.has(id));
}

/** `order` after a move: the moving ids taken out and put back, in list order, before `before`. */
export function moved(order: readonly number[], ids: readonly number[], before: number | null): number[] {
  const moving = new Set(ids);
  const taken = order.filter((id) => moving.has(id));
  // When `before` is itself moving, the entries go before the next one that stays (as in Rust).
  const at = before == null ? -1 : order.indexOf(before);
  const anchor = at < 0 ? null : (order.slice(at).find((id) => !moving.has(id)) ?? null);
  const rest = order.filter((id) => !moving.has(id));
  const to = anchor == null ? rest.length : rest.indexOf(anchor);
  rest.splice(to, 0, ...taken);
  return rest;
}

function same(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** The first entry at or after position `gap` (0..length) that is not moving; null for the end. */
export function anchorAt(order: readonly number[], moving: ReadonlySet<number>, gap: number): number | null {
  for (let i = Math.max(0, gap); i < order.length; i++) if (!moving.has(order[i])) return order[i];
  return null;
}

/** The move, or null when it would leave the order as it is. */
function effective(order: readonly number[], ids: number[], before: number | null): Move | null {
  if (ids.length === 0) return null;
  return same(order, moved(order, ids, before)) ? null : { ids, before };
}

/**
 * Up by one place: the entries go before the entry just above the first of them. Already at the
 * top, a scattered selection gathers there.
 */
export function moveUp(order: readonly number[], ids: Iterable<number>): Move | null {
  const list = inListOrder(order, ids);
  if (list.length === 0) return null;
  const first = order.indexOf(list[0]);
  const before = first === 0 ? anchorAt(order, new Set(list), 0) : order[first - 1];
  return effective(order, list, before);
}

/**
 * Down by one place: the entries go before the entry after the one just below the last of them
 * (to the end when that is the last). Already at the bottom, a scattered selection gathers there.
 */
export function moveDown(order: readonly number[], ids: Iterable<number>): Move | null {
  const list = inListOrder(order, ids);
  if (list.length === 0) return null;
  const last = order.indexOf(list[list.length - 1]);
  const before = last >= order.length - 2 ? null : order[last + 2];
  return effective(order, list, before);
}

export function moveToTop(order: readonly number[], ids: Iterable<number>): Move | null {
  const list = inListOrder(order, ids);
  return effective(order, list, anchorAt(order, new Set(list), 0));
}

export function moveToBottom(order: readonly number[], ids: Iterable<number>): Move | null {
  return effective(order, inListOrder(order, ids), null);
}

/** A drop of the entries into the gap before position `gap` (0..length; length is the end). */
export function dropMove(order: readonly number[], ids: Iterable<number>, gap: number): Move | null {
  const list = inListOrder(order, ids);
  return effective(order, list, anchorAt(order, new Set(list), gap));
}

/** The gap a pointer over the entry at `index` points at: above it in its upper half, else below. */
export function gapAt(index: number, pointerY: number, top: number, height: number): number {
  return height > 0 && pointerY >= top + height / 2 ? index + 1 : index;
}

/** The rank of the entry at `index` of `length`, as Rust counts it. */
export function rankAt(ranking: Ranking, index: number, length: number): number | null {
  switch (ranking) {
    case "ascending":
      return index + 1;
    case "descending":
      return length - index;
    case "none":
      return null;
  }
}

/** The entries with their ranks counted again (after a move, a removal or a new ranking). */
export function reranked(entries: readonly ListEntry[], ranking: Ranking): ListEntry[] {
  return entries.map((e, i) => {
    const rank = rankAt(ranking, i, entries.length);
    return e.rank === rank ? e : { ...e, rank };
  });
}

/** The ids of a plain list's entries, in order. */
export function idsOf(entries: readonly ListEntry[]): number[] {
  return entries.flatMap((e) => (e.id == null ? [] : [e.id]));
}

/** The entries as they are after `move`, ranked again. */
export function applyMove(entries: readonly ListEntry[], move: Move, ranking: Ranking): ListEntry[] {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const order = moved(idsOf(entries), move.ids, move.before);
  return reranked(
    order.map((id) => byId.get(id)!),
    ranking,
  );
}

/** What a screen reader hears after a move. `entries` is the order after it. */
export function movedMessage(entries: readonly ListEntry[], ids: readonly number[], ranking: Ranking): string {
  const n = entries.length;
  const at = entries.findIndex((e) => e.id === ids[0]);
  if (at < 0) return "";
  const where = (i: number) => {
    const rank = rankAt(ranking, i, n);
    return rank == null || rank === i + 1 ? `position ${i + 1} of ${n}` : `number ${rank} (position ${i + 1} of ${n})`;
  };
  if (ids.length === 1) return `Moved “${entries[at].title}” to ${where(at)}.`;
  return `Moved ${ids.length} entries to positions ${at + 1}–${at + ids.length} of ${n}.`;
}

/** The item that adds an entry back, or null when its album or track is not in the catalog now. */
export function itemOf(e: ListEntry, withNote = true): ListItem | null {
  const note = withNote ? e.note : null;
  switch (e.kind) {
    case "album":
      return e.album_id == null ? null : { kind: "album", id: e.album_id, note };
    case "track":
      return e.track_id == null ? null : { kind: "track", id: e.track_id, note };
    case "placeholder":
      return { kind: "placeholder", title: e.title, artist: e.artist, year: e.year, note };
  }
}

/** One `addToList` call of an undo: these items go back before `before`. */
export interface Restore {
  items: ListItem[];
  before: number | null;
}

/**
 * How to put removed entries back where they were, with their notes: one call per run of
 * neighbouring removed entries, each before the entry that stays just after it. Null when one of
 * them cannot come back (its album or track is not in the catalog now).
 */
export function restorePlan(entries: readonly ListEntry[], removed: readonly number[]): Restore[] | null {
  const gone = new Set(removed);
  const plan: Restore[] = [];
  let run: ListItem[] = [];
  for (const e of entries) {
    if (e.id != null && gone.has(e.id)) {
      const item = itemOf(e);
      if (!item) return null;
      run.push(item);
    } else if (run.length > 0) {
      plan.push({ items: run, before: e.id });
      run = [];
    }
  }
  if (run.length > 0) plan.push({ items: run, before: null });
  return plan;
}
