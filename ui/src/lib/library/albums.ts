// Album rows for the grid, fetched from Rust by offset ranges through the shared chunk cache (an
// album question is a query, an arrangement and a kind filter), and the one-time startup mark.

import type { Backend } from "../api/backend";
import type { AlbumArrangement, AlbumQuery, AlbumRow, WorkKind } from "../api/types";
import type { ChunkFetch } from "../tracks/chunks";

/** Albums per request: a few screens of cards. */
export const ALBUM_CHUNK = 120;

/** Fetches album rows for one question. */
export function albumFetch(backend: Backend, q: AlbumQuery): ChunkFetch<AlbumRow> {
  return (offset, limit) => backend.albums(q, offset, limit).then((rows) => ({ rows }));
}

export const arrangements: { value: AlbumArrangement; label: string }[] = [
  { value: "title", label: "Title" },
  { value: "work", label: "Work" },
  { value: "composer", label: "Composer" },
  { value: "label", label: "Label" },
  { value: "year", label: "Year" },
  { value: "added", label: "Recently added" },
];

export const kinds: { value: WorkKind | null; label: string }[] = [
  { value: null, label: "All" },
  { value: "film", label: "Film" },
  { value: "game", label: "Game" },
  { value: "tv", label: "TV" },
];

export function kindLabel(kind: WorkKind): string {
  return kind === "tv" ? "TV" : kind === "film" ? "Film" : "Game";
}

/** The mark a startup benchmark waits for: the first album cards are on screen. */
export const FIRST_ALBUMS_MARK = "cuebook:first-albums";
let marked = false;

/** Sets the startup mark the first time it is called in this page; later calls do nothing. */
export function markFirstAlbums(): boolean {
  if (marked) return false;
  marked = true;
  if (typeof performance !== "undefined" && typeof performance.mark === "function") {
    performance.mark(FIRST_ALBUMS_MARK);
  }
  return true;
}

/** What an empty grid says. */
export function emptyMessage(q: AlbumQuery): string {
  if (q.query.trim() === "" && q.kind == null) return "The library has no albums yet.";
  if (q.query.trim() === "" && q.kind != null) {
    return `No ${q.kind === "tv" ? "TV" : kindLabel(q.kind).toLowerCase()} albums.`;
  }
  return "No albums match.";
}
