// The geometry of the virtualized album grid. The backend describes the grid as groups (a heading
// and how many albums follow it); this module turns them into absolutely positioned rows — a
// heading row per group, then ceil(count / columns) rows of cards — and answers what a view needs:
// which rows are on screen, which albums they hold, which heading sticks at the top, and where
// arrow keys go. Pure arithmetic, no DOM; album offsets are global (0..total in display order).

import type { AlbumGroup } from "../api/types";

export interface GridMetrics {
  columns: number;
  /** Width (and height) of a cover. */
  cardWidth: number;
  /** A card's height: the cover plus its text lines. */
  cardHeight: number;
  /** From one card row's top to the next one's. */
  rowHeight: number;
  headingHeight: number;
  gap: number;
}

export interface MetricOptions {
  minCard: number;
  gap: number;
  /** The title, composer and year lines under a cover. */
  textHeight: number;
  headingHeight: number;
}

export const defaultMetrics: MetricOptions = { minCard: 164, gap: 20, textHeight: 66, headingHeight: 48 };

/** As many columns of at least `minCard` pixels as fit in `width`, stretched to fill it. */
export function gridMetrics(width: number, options: Partial<MetricOptions> = {}): GridMetrics {
  const o = { ...defaultMetrics, ...options };
  const usable = Math.max(o.minCard, width);
  const columns = Math.max(1, Math.floor((usable + o.gap) / (o.minCard + o.gap)));
  const cardWidth = Math.floor((usable - o.gap * (columns - 1)) / columns);
  const cardHeight = cardWidth + o.textHeight;
  return { columns, cardWidth, cardHeight, rowHeight: cardHeight + o.gap, headingHeight: o.headingHeight, gap: o.gap };
}

export type LayoutRow =
  | { kind: "heading"; group: number; label: string; count: number; top: number; height: number }
  | { kind: "cards"; group: number; /** Offset of the row's first album. */ first: number; count: number; top: number; height: number };

export interface GridLayout {
  rows: LayoutRow[];
  height: number;
  columns: number;
  /** Albums in all groups. */
  total: number;
}

/**
 * Rows for `groups` in order. A lone group without a label (an arrangement with no headings) gets
 * no heading row; other unlabeled groups read "Unknown". Empty groups take no space.
 */
export function computeLayout(groups: readonly AlbumGroup[], m: GridMetrics): GridLayout {
  const rows: LayoutRow[] = [];
  const headings = !(groups.length === 1 && groups[0].label === "");
  let top = 0;
  let offset = 0;
  groups.forEach((g, group) => {
    if (g.count <= 0) return;
    if (headings) {
      rows.push({ kind: "heading", group, label: g.label || "Unknown", count: g.count, top, height: m.headingHeight });
      top += m.headingHeight;
    }
    for (let i = 0; i < g.count; i += m.columns) {
      const count = Math.min(m.columns, g.count - i);
      rows.push({ kind: "cards", group, first: offset + i, count, top, height: m.rowHeight });
      top += m.rowHeight;
    }
    offset += g.count;
  });
  return { rows, height: top, columns: m.columns, total: offset };
}

/** The index of the row at vertical position `y` (the last row when past the end, -1 when empty). */
export function rowAt(layout: GridLayout, y: number): number {
  const rows = layout.rows;
  if (rows.length === 0) return -1;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (rows[mid].top <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Rows `start..end` to render: those overlapping the viewport, widened by `overscan` pixels. */
export function visibleRange(
  layout: GridLayout,
  scrollTop: number,
  viewportHeight: number,
  overscan: number,
): { start: number; end: number } {
  if (layout.rows.length === 0) return { start: 0, end: 0 };
  const start = Math.max(0, rowAt(layout, scrollTop - overscan));
  const end = rowAt(layout, scrollTop + viewportHeight + overscan) + 1;
  return { start, end };
}

/** The album offsets `from..to` that card rows `start..end` show. */
export function albumRange(layout: GridLayout, start: number, end: number): { from: number; to: number } {
  let from = Infinity;
  let to = -Infinity;
  for (let i = start; i < end && i < layout.rows.length; i++) {
    const row = layout.rows[i];
    if (row.kind !== "cards") continue;
    from = Math.min(from, row.first);
    to = Math.max(to, row.first + row.count);
  }
  return from === Infinity ? { from: 0, to: 0 } : { from, to };
}

/** The index of the card row that holds album `offset`, or -1. */
export function rowOfAlbum(layout: GridLayout, offset: number): number {
  const rows = layout.rows;
  // A heading is always followed by its group's first card row, so keyed by that row's first
  // album the rows are in non-decreasing order; the last row keyed <= offset is a card row.
  const key = (i: number): number => {
    const row = rows[i];
    if (row.kind === "cards") return row.first;
    const next = rows[i + 1];
    return next?.kind === "cards" ? next.first : Infinity;
  };
  let lo = 0;
  let hi = rows.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(mid) <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const row = rows[found];
  return row?.kind === "cards" && offset < row.first + row.count ? found : -1;
}

/**
 * The heading to pin at the top of the viewport when its own row has scrolled away: the row index
 * of the current group's heading, and how far to push it up as the next heading arrives.
 */
export function stickyHeading(layout: GridLayout, scrollTop: number): { row: number; shift: number } | null {
  if (scrollTop <= 0) return null;
  const at = rowAt(layout, scrollTop);
  if (at < 0) return null;
  let heading = -1;
  for (let i = at; i >= 0; i--) {
    if (layout.rows[i].kind === "heading") {
      heading = i;
      break;
    }
  }
  if (heading < 0 || layout.rows[heading].top >= scrollTop) return null;
  const height = layout.rows[heading].height;
  let shift = 0;
  for (let i = at + 1; i < layout.rows.length; i++) {
    const row = layout.rows[i];
    if (row.top >= scrollTop + height) break;
    if (row.kind === "heading") {
      shift = row.top - scrollTop - height;
      break;
    }
  }
  return { row: heading, shift };
}

/** Where an arrow key (or Home/End) moves focus from album `offset`; null when it does not move. */
export function neighbour(layout: GridLayout, offset: number, key: string): number | null {
  if (layout.total === 0) return null;
  let to: number;
  switch (key) {
    case "ArrowLeft":
      to = offset - 1;
      break;
    case "ArrowRight":
      to = offset + 1;
      break;
    case "Home":
      to = 0;
      break;
    case "End":
      to = layout.total - 1;
      break;
    case "ArrowUp":
    case "ArrowDown": {
      const r = rowOfAlbum(layout, offset);
      if (r < 0) return null;
      const row = layout.rows[r] as Extract<LayoutRow, { kind: "cards" }>;
      const column = offset - row.first;
      const step = key === "ArrowUp" ? -1 : 1;
      for (let i = r + step; i >= 0 && i < layout.rows.length; i += step) {
        const next = layout.rows[i];
        if (next.kind === "cards") return next.first + Math.min(column, next.count - 1);
      }
      return null;
    }
    default:
      return null;
  }
  return to >= 0 && to < layout.total && to !== offset ? to : null;
}

/** The scrollTop that shows row `index` whole (below a pinned heading), or null when it is in view. */
export function revealRow(
  layout: GridLayout,
  index: number,
  scrollTop: number,
  viewportHeight: number,
  pinned: number,
): number | null {
  const row = layout.rows[index];
  if (!row) return null;
  if (row.top < scrollTop + pinned) return Math.max(0, row.top - pinned);
  if (row.top + row.height > scrollTop + viewportHeight) return row.top + row.height - viewportHeight;
  return null;
}
