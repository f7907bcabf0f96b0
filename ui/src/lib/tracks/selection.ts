// Which rows of the track table are selected, as sorted, disjoint, half-open index ranges, so that
// "select all" over 100,000 rows is one range rather than 100,000 entries. Immutable: every
// operation returns a new Selection. Indices refer to the table's current query and sort; the
// table starts a new selection when either changes.

/** Rows `start..end` (end excluded). */
export type Range = readonly [start: number, end: number];

export interface Selection {
  ranges: readonly Range[];
  /** Where a Shift-click or Shift-arrow range starts. */
  anchor: number | null;
  /** The row the keyboard is on. */
  cursor: number | null;
}

export const emptySelection: Selection = { ranges: [], anchor: null, cursor: null };

/** Sorts and merges overlapping or touching ranges; drops empty ones. */
export function normalize(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export function isSelected(sel: Selection, index: number): boolean {
  let lo = 0;
  let hi = sel.ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [s, e] = sel.ranges[mid];
    if (index < s) hi = mid - 1;
    else if (index >= e) lo = mid + 1;
    else return true;
  }
  return false;
}

export function selectedCount(sel: Selection): number {
  return sel.ranges.reduce((n, [s, e]) => n + (e - s), 0);
}

/** The selected indices in order, at most `max` of them. */
export function selectedIndices(sel: Selection, max = Infinity): number[] {
  const out: number[] = [];
  for (const [s, e] of sel.ranges) {
    for (let i = s; i < e; i++) {
      if (out.length >= max) return out;
      out.push(i);
    }
  }
  return out;
}

/** A plain click: this row only. */
export function selectOnly(index: number): Selection {
  return { ranges: [[index, index + 1]], anchor: index, cursor: index };
}

/** Ctrl/Cmd-click: adds or removes one row, which becomes the anchor of the next Shift-click. */
export function toggle(sel: Selection, index: number): Selection {
  const ranges = isSelected(sel, index)
    ? sel.ranges.flatMap(([s, e]): Range[] =>
        index >= s && index < e ? [[s, index], [index + 1, e]] : [[s, e]],
      )
    : [...sel.ranges, [index, index + 1] as const];
  return { ranges: normalize(ranges), anchor: index, cursor: index };
}

/**
 * Shift-click (or Shift-arrow): the rows from the anchor to `index`. With `additive`
 * (Ctrl+Shift-click) the range joins what was selected; otherwise it replaces it.
 */
export function extendTo(sel: Selection, index: number, additive = false): Selection {
  if (sel.anchor == null) return selectOnly(index);
  const span: Range = [Math.min(sel.anchor, index), Math.max(sel.anchor, index) + 1];
  const ranges = additive ? normalize([...sel.ranges, span]) : [span];
  return { ranges, anchor: sel.anchor, cursor: index };
}

/** Ctrl+A; the cursor stays where it was. */
export function selectAll(sel: Selection, total: number): Selection {
  if (total <= 0) return emptySelection;
  return { ranges: [[0, total]], anchor: sel.anchor ?? 0, cursor: sel.cursor ?? 0 };
}

/** Keeps only rows that still exist after the list shrank (a rescan removed tracks). */
export function clampSelection(sel: Selection, total: number): Selection {
  const ranges = normalize(sel.ranges.map(([s, e]) => [s, Math.min(e, total)] as const));
  const inside = (i: number | null) => (i != null && i < total ? i : null);
  return { ranges, anchor: inside(sel.anchor), cursor: inside(sel.cursor) };
}

/**
 * Where a navigation key moves the cursor, or null when the key does not navigate.
 * `page` is how many rows fit on screen.
 */
export function keyTarget(key: string, cursor: number | null, total: number, page: number): number | null {
  if (total <= 0) return null;
  const at = cursor ?? -1;
  let to: number;
  switch (key) {
    case "ArrowDown":
      to = cursor == null ? 0 : at + 1;
      break;
    case "ArrowUp":
      to = cursor == null ? 0 : at - 1;
      break;
    case "PageDown":
      to = Math.max(at, 0) + Math.max(1, page - 1);
      break;
    case "PageUp":
      to = Math.max(at, 0) - Math.max(1, page - 1);
      break;
    case "Home":
      to = 0;
      break;
    case "End":
      to = total - 1;
      break;
    default:
      return null;
  }
  return Math.min(total - 1, Math.max(0, to));
}

/** Moves the cursor to `index`: selects that row alone, or with `extend` (Shift) the range from the anchor. */
export function moveTo(sel: Selection, index: number, extend: boolean): Selection {
  return extend && sel.anchor != null ? extendTo(sel, index) : selectOnly(index);
}
