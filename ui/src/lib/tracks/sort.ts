// The track table's sort: a header click sorts by that column, a second click reverses it. Album
// order (the backend's default) is what the table starts with and what the Album header gives.

import type { TrackSort, TrackSortKey } from "../api/types";

export const albumOrder: TrackSort = { key: "album", descending: false };

/** The sort after clicking the header of `key`. */
export function nextSort(current: TrackSort, key: TrackSortKey): TrackSort {
  if (current.key === key) return { key, descending: !current.descending };
  return { key, descending: false };
}

/** What to pass to `searchTracks`: nothing for the default album order. */
export function sortArgument(sort: TrackSort): TrackSort | undefined {
  return sort.key === "album" && !sort.descending ? undefined : sort;
}

/** The header's aria-sort. */
export function ariaSort(current: TrackSort, key: TrackSortKey): "ascending" | "descending" | "none" {
  if (current.key !== key) return "none";
  return current.descending ? "descending" : "ascending";
}
