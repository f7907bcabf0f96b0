// How the Orphans view reads: what an orphan carries, in short phrases, and how many things wait
// for the user (the navigation badge). Pure functions.

import type { Orphan, Proposal, SubjectKind } from "../api/types";

export function kindName(kind: SubjectKind): string {
  return kind === "album" ? "Album" : kind === "track" ? "Track" : "Work";
}

/**
 * What the orphan's annotations hold besides tags, one short phrase each: "4 stars", "a note",
 * "3 time-coded notes", "field overrides". Without `withRating`, the rating is left out (the view
 * draws it as stars).
 */
export function carried(o: Pick<Orphan, "rating" | "has_note" | "cue_notes" | "has_fields">, withRating = true): string[] {
  const out: string[] = [];
  if (withRating && o.rating != null) out.push(o.rating === 1 ? "1 star" : `${o.rating} stars`);
  if (o.has_note) out.push("a note");
  if (o.cue_notes > 0) out.push(o.cue_notes === 1 ? "1 time-coded note" : `${o.cue_notes.toLocaleString("en")} time-coded notes`);
  if (o.has_fields) out.push("field overrides");
  return out;
}

/** How many annotated things need a look: every orphan, and any proposal for one not listed. */
export function attentionCount(orphans: readonly Pick<Orphan, "subject_id">[], proposals: readonly Pick<Proposal, "subject_id">[]): number {
  return new Set([...orphans.map((o) => o.subject_id), ...proposals.map((p) => p.subject_id)]).size;
}

/** The ids of the orphans that have a proposed match. */
export function proposed(proposals: readonly Pick<Proposal, "subject_id">[]): Set<number> {
  return new Set(proposals.map((p) => p.subject_id));
}

/** "a, b and c". */
function joined(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** What the confirmation before forgetting an orphan says. */
export function forgetMessage(o: Pick<Orphan, "rating" | "has_note" | "cue_notes" | "has_fields" | "tags">): string {
  const items = [...carried(o), ...o.tags.map((t) => `the tag “${t}”`)];
  const what = items.length > 0 ? joined(items) : "its annotations";
  return `This deletes ${what} for good: they will not come back with the file. This cannot be undone.`;
}
