// Tagging and rating many tracks or albums at once: which targets a selection becomes, what to
// tell the user afterwards, and whether the selection still means the same rows once the list is
// asked again. Pure functions; the bulk bar and the views that host it do the asking.

import type { Target } from "../api/types";

export type BulkKind = "track" | "album";
export type BulkOp = "tag" | "untag" | "rate";

/**
 * The targets for the rows of a selection, in order, each id once; rows that could not be fetched
 * (undefined) are left out.
 */
export function bulkTargets(kind: BulkKind, rows: readonly ({ id: number } | undefined)[]): Target[] {
  const seen = new Set<number>();
  const out: Target[] = [];
  for (const row of rows) {
    if (!row || seen.has(row.id)) continue;
    seen.add(row.id);
    out.push({ kind, id: row.id });
  }
  return out;
}

/** "1 track", "1,204 albums". */
export function countOf(n: number, kind: BulkKind): string {
  return `${n.toLocaleString("en")} ${kind}${n === 1 ? "" : "s"}`;
}

/**
 * What a finished bulk operation did, in words. `changed` is what Rust answered for tag/untag
 * (how many were newly tagged or untagged); `rating` is the rating set (null: cleared).
 */
export function describeBulk(
  op: BulkOp,
  kind: BulkKind,
  targets: number,
  detail: { name?: string; changed?: number; rating?: number | null },
): string {
  const name = `“${detail.name ?? ""}”`;
  const changed = detail.changed ?? targets;
  if (op === "tag") {
    const had = targets - changed;
    const base = `Tagged ${countOf(changed, kind)} ${name}`;
    return had > 0 ? `${base} (${had.toLocaleString("en")} already had it).` : `${base}.`;
  }
  if (op === "untag") {
    return changed === 0 ? `None of the ${countOf(targets, kind)} had ${name}.` : `Removed ${name} from ${countOf(changed, kind)}.`;
  }
  const r = detail.rating;
  if (r == null) return `Cleared the rating of ${countOf(targets, kind)}.`;
  return `Rated ${countOf(targets, kind)} ${r} of 5.`;
}

/** Search terms whose answer depends on annotations (`tag:`, `rating:`, `note:`, `cue:` and their aliases). */
const ANNOTATION_TERM = /(^|[\s-])(tags?|tagged|rating|rated|stars|notes?|cue):/i;

/**
 * Whether, after the operation, asking the same question again may list other rows at the
 * selected positions (a selection holds positions, not ids): the query filters on annotations,
 * or the list is sorted by rating and the operation rated.
 */
export function bulkMayReorder(op: BulkOp, query: string, sortKey: string | null): boolean {
  if (ANNOTATION_TERM.test(query)) return true;
  return op === "rate" && sortKey === "rating";
}
