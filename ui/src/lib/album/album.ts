// How an album page reads: its tracklist cut into discs, its credits, and the one-line summaries
// under the title. Pure functions of the `AlbumPage` the backend returns.

import type { AlbumPage, Annotations, Tag, TrackRow } from "../api/types";
import { formatDuration } from "../format";

export interface DiscSection {
  disc: number;
  /** "Disc 2"; null when the album has a single disc (no heading needed). */
  label: string | null;
  tracks: TrackRow[];
}

/** The tracklist by disc, in disc order, keeping track order within each; untagged discs count as disc 1. */
export function discSections(tracklist: readonly TrackRow[]): DiscSection[] {
  const byDisc = new Map<number, TrackRow[]>();
  for (const t of tracklist) {
    const disc = t.disc_no != null && t.disc_no > 0 ? t.disc_no : 1;
    const list = byDisc.get(disc);
    if (list) list.push(t);
    else byDisc.set(disc, [t]);
  }
  const discs = [...byDisc.keys()].sort((a, b) => a - b);
  const several = discs.length > 1;
  return discs.map((disc) => ({ disc, label: several ? `Disc ${disc}` : null, tracks: byDisc.get(disc)! }));
}

const sameNames = (a: readonly string[], b: readonly string[]) => {
  const norm = (xs: readonly string[]) => xs.map((x) => x.trim().toLocaleLowerCase()).sort().join("\u0000");
  return norm(a) === norm(b);
};

/** A track's composers when they are not the album's (a cue by a guest composer), else null. */
export function trackComposer(track: TrackRow, page: Pick<AlbumPage, "composers" | "composer">): string | null {
  if (track.composers.length === 0) return null;
  const album = page.composers.length > 0 ? page.composers : page.composer ? [page.composer] : [];
  if (album.length === 0 || sameNames(track.composers, album)) return null;
  return track.composers.join(", ");
}

export interface Credit {
  role: string;
  names: string;
}

/** The people credited on the album, in the order collectors read a back cover. */
export function credits(page: AlbumPage): Credit[] {
  const composers = page.composers.length > 0 ? page.composers : page.composer ? [page.composer] : [];
  const rows: [string, string, readonly string[]][] = [
    ["Composer", "Composers", composers],
    ["Conductor", "Conductors", page.conductors],
    ["Orchestrator", "Orchestrators", page.orchestrators],
    ["Performer", "Performers", page.performers],
  ];
  return rows
    .filter(([, , names]) => names.length > 0)
    .map(([one, many, names]) => ({ role: names.length === 1 ? one : many, names: names.join(", ") }));
}

const kindNames = { film: "Film", game: "Game", tv: "TV" } as const;

/** "Film · Spirited Away (2001)", or null without a work. */
export function workLine(page: Pick<AlbumPage, "work" | "work_kind" | "work_year">): string | null {
  if (!page.work && !page.work_kind) return null;
  const parts: string[] = [];
  if (page.work_kind) parts.push(kindNames[page.work_kind]);
  if (page.work) parts.push(page.work_year != null ? `${page.work} (${page.work_year})` : page.work);
  return parts.join(" · ");
}

const capitalize = (s: string) => (s ? s[0].toLocaleUpperCase() + s.slice(1) : s);

/** "Score · Expanded edition · Compilation": what kind of release this is. */
export function releaseLine(
  page: Pick<AlbumPage, "release_kind" | "edition" | "release_type" | "compilation">,
): string | null {
  const parts: string[] = [];
  if (page.release_kind) parts.push(capitalize(page.release_kind));
  if (page.edition) parts.push(capitalize(page.edition));
  if (page.release_type && page.release_type.toLowerCase() !== (page.release_kind ?? "").toLowerCase()) {
    parts.push(capitalize(page.release_type));
  }
  if (page.compilation) parts.push("Compilation");
  return parts.length > 0 ? parts.join(" · ") : null;
}

/** "2001", or "2014 (original 2001)" for a reissue. */
export function yearLine(page: Pick<AlbumPage, "year" | "original_year">): string | null {
  if (page.year == null) return page.original_year != null ? String(page.original_year) : null;
  if (page.original_year != null && page.original_year !== page.year) {
    return `${page.year} (original ${page.original_year})`;
  }
  return String(page.year);
}

/** "21 tracks · 2 discs · 1:12:05". */
export function summaryLine(page: Pick<AlbumPage, "tracks" | "discs" | "duration_ms">): string {
  const parts = [`${page.tracks} ${page.tracks === 1 ? "track" : "tracks"}`];
  if (page.discs != null && page.discs > 1) parts.push(`${page.discs} discs`);
  if (page.duration_ms > 0) parts.push(formatDuration(page.duration_ms));
  return parts.join(" · ");
}

/** What the page says about files that are gone (an unplugged disk), or null. */
export function missingNotice(page: Pick<AlbumPage, "tracks" | "missing">): string | null {
  if (page.missing <= 0) return null;
  const which =
    page.missing >= page.tracks ? "All files of this album are missing" : `${page.missing} of ${page.tracks} files are missing`;
  return `${which}. Their notes and tags are kept; reconnect the disk and rescan to play them again.`;
}

/** The ids to skim or play: tracks whose files are there, in order. */
export function playableIds(tracklist: readonly TrackRow[]): number[] {
  return tracklist.filter((t) => t.missing_since == null).map((t) => t.id);
}

// ---- Annotations on the page ----------------------------------------------------------------
// The page is replaced, never mutated, when the collector rates, tags or edits something, so
// what shows is what Rust accepted without loading the album again.

/** Nothing annotated yet: what a work without annotations starts from. */
export function emptyAnnotations(): Annotations {
  return { rating: null, note: null, note_html: null, tags: [], fields: {}, cue_notes: [] };
}

/** The names of tags, in order. */
export function tagNames(tags: readonly Tag[]): string[] {
  return tags.map((t) => t.name);
}

/** The page with one track's row changed. */
export function withTrack(page: AlbumPage, id: number, patch: Partial<TrackRow>): AlbumPage {
  return { ...page, tracklist: page.tracklist.map((t) => (t.id === id ? { ...t, ...patch } : t)) };
}

/** The page with the album's annotations changed; the album's rating follows its annotation. */
export function withAlbumAnnotations(page: AlbumPage, patch: Partial<Annotations>): AlbumPage {
  const annotations = { ...page.annotations, ...patch };
  return { ...page, annotations, rating: annotations.rating };
}

/** The page with the work's annotations changed. */
export function withWorkAnnotations(page: AlbumPage, patch: Partial<Annotations>): AlbumPage {
  return { ...page, work_annotations: { ...(page.work_annotations ?? emptyAnnotations()), ...patch } };
}

/** "Limited to 3,000 copies", from the collector's field, or null. */
export function limitedLine(page: Pick<AlbumPage, "annotations">): string | null {
  const n = page.annotations.fields.limited_to;
  return n != null && n > 0 ? `${n.toLocaleString("en-US")} ${n === 1 ? "copy" : "copies"}` : null;
}
