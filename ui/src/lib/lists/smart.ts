// The smart list form: what it edits, the `SmartQuery` it makes, and how a saved query reads.
// Pure functions.

import type { AlbumArrangement, SmartQuery, TrackSortKey, WorkKind } from "../api/types";
import { arrangements, kindLabel } from "../library/albums";

/** What the form holds; `limit` is the text of its field. */
export interface SmartForm {
  scope: "tracks" | "albums";
  query: string;
  sortKey: TrackSortKey;
  descending: boolean;
  arrange: AlbumArrangement;
  kind: WorkKind | null;
  limit: string;
}

export const blankSmartForm: SmartForm = {
  scope: "tracks",
  query: "",
  sortKey: "album",
  descending: false,
  arrange: "title",
  kind: null,
  limit: "",
};

/** The track orders a smart list can use, with the words for each direction. */
export const trackSorts: { value: TrackSortKey; label: string; up: string; down: string }[] = [
  { value: "album", label: "Album order", up: "A to Z", down: "Z to A" },
  { value: "title", label: "Title", up: "A to Z", down: "Z to A" },
  { value: "composer", label: "Composer", up: "A to Z", down: "Z to A" },
  { value: "year", label: "Year", up: "Oldest first", down: "Newest first" },
  { value: "rating", label: "Rating", up: "Lowest first", down: "Highest first" },
  { value: "duration", label: "Length", up: "Shortest first", down: "Longest first" },
  { value: "added", label: "Date added", up: "Oldest first", down: "Newest first" },
  { value: "cue", label: "Cue number", up: "A to Z", down: "Z to A" },
  { value: "format", label: "Format", up: "A to Z", down: "Z to A" },
];

export function sortWords(key: TrackSortKey): { up: string; down: string } {
  return trackSorts.find((s) => s.value === key) ?? { up: "Ascending", down: "Descending" };
}

/** The form for a saved query (or a blank one). */
export function formOf(q: SmartQuery | null): SmartForm {
  if (!q) return { ...blankSmartForm };
  const limit = q.limit == null ? "" : String(q.limit);
  if (q.scope === "tracks") {
    return {
      ...blankSmartForm,
      scope: "tracks",
      query: q.query,
      sortKey: q.sort?.key ?? "album",
      descending: q.sort?.descending ?? false,
      limit,
    };
  }
  return { ...blankSmartForm, scope: "albums", query: q.query, arrange: q.arrange ?? "title", kind: q.kind ?? null, limit };
}

/** The limit field: null when blank, undefined when it is not a whole number from 1 to 100,000. */
export function parseLimit(text: string): number | null | undefined {
  const t = text.trim().replace(/[,_\s]/g, "");
  if (t === "") return null;
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 1 && n <= 100_000 ? n : undefined;
}

export type Checked = { ok: true; query: SmartQuery } | { ok: false; why: string };

/** The query the form describes, or why it cannot be saved. */
export function queryOf(f: SmartForm): Checked {
  const limit = parseLimit(f.limit);
  if (limit === undefined) return { ok: false, why: "The limit must be a whole number, 1 or more." };
  const query = f.query.trim();
  if (f.scope === "tracks") {
    return { ok: true, query: { scope: "tracks", query, sort: { key: f.sortKey, descending: f.descending }, limit } };
  }
  return { ok: true, query: { scope: "albums", query, arrange: f.arrange, kind: f.kind, limit } };
}

/** A saved query in words: "Tracks matching “tag:noir”, by rating (highest first), at most 50." */
export function describeQuery(q: SmartQuery): string {
  const what = q.scope === "tracks" ? "Tracks" : q.kind ? `${kindLabel(q.kind)} albums` : "Albums";
  const matching = q.query.trim() === "" ? "of the whole library" : `matching “${q.query.trim()}”`;
  let order: string;
  if (q.scope === "tracks") {
    const key = q.sort?.key ?? "album";
    const s = trackSorts.find((t) => t.value === key);
    const dir = q.sort?.descending ? s?.down : s?.up;
    order = key === "album" && !q.sort?.descending ? "in album order" : `by ${(s?.label ?? key).toLowerCase()} (${(dir ?? "").toLowerCase()})`;
  } else {
    const a = arrangements.find((x) => x.value === (q.arrange ?? "title"));
    order = `by ${(a?.label ?? "title").toLowerCase()}`;
  }
  const limit = q.limit != null ? `, at most ${q.limit.toLocaleString("en")}` : "";
  return `${what} ${matching}, ${order}${limit}.`;
}

/** "142 tracks match", "1 album matches", with the part the list shows when a limit cuts it. */
export function matchLine(scope: SmartForm["scope"], found: number, limit: number | null): string {
  const noun = scope === "tracks" ? (found === 1 ? "track" : "tracks") : found === 1 ? "album" : "albums";
  const head = `${found.toLocaleString("en")} ${noun} ${found === 1 ? "matches" : "match"}`;
  return limit != null && found > limit ? `${head}; the list shows the first ${limit.toLocaleString("en")}.` : `${head}.`;
}
