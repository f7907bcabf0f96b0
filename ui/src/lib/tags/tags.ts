// The Tags view's logic: which colors may reach a style attribute, how tag names compare (as Rust
// stores them: trimmed, single spaces, compared without case), sorting and filtering the list,
// what a merge does, and the search that shows a tag's tracks. Pure functions, no DOM.

import type { TagCount } from "../api/types";

/**
 * The color as "#rrggbb" (lower case) when it is exactly that, else null. Everything that puts a
 * tag color into a style goes through here: a color comes from the database, which a restored
 * backup can fill with anything.
 */
export function validColor(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const v = value.trim();
  return /^#[0-9a-fA-F]{6}$/.test(v) ? v.toLowerCase() : null;
}

/** A tag name as Rust stores it: trimmed, runs of whitespace as one space. */
export function cleanTagName(name: string): string {
  return name.split(/\s+/).filter(Boolean).join(" ");
}

/** Whether two names are the same tag (Rust compares names without case). */
export function sameTagName(a: string, b: string): boolean {
  return cleanTagName(a).toLowerCase() === cleanTagName(b).toLowerCase();
}

/** How many albums, tracks and works carry the tag. */
export function carriers(t: Pick<TagCount, "albums" | "tracks" | "works">): number {
  return t.albums + t.tracks + t.works;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

/** "3 albums, 12 tracks and 1 work"; "nothing" when no one carries it. */
export function describeCarriers(t: Pick<TagCount, "albums" | "tracks" | "works">): string {
  const parts: string[] = [];
  if (t.albums > 0) parts.push(plural(t.albums, "album"));
  if (t.tracks > 0) parts.push(plural(t.tracks, "track"));
  if (t.works > 0) parts.push(plural(t.works, "work"));
  if (parts.length === 0) return "nothing";
  if (parts.length === 1) return parts[0];
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

export type TagOrder = "name" | "count";

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** By name, or most used first (ties by name). Returns a new array. */
export function sortTags(tags: readonly TagCount[], order: TagOrder): TagCount[] {
  const byName = (a: TagCount, b: TagCount) => collator.compare(a.name, b.name);
  return [...tags].sort(order === "count" ? (a, b) => carriers(b) - carriers(a) || byName(a, b) : byName);
}

/** Lower case without accents, so "noir" finds "Noír". */
function fold(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Tags whose name holds every word of `query` (any case, any accents). */
export function filterTags(tags: readonly TagCount[], query: string): TagCount[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...tags];
  return tags.filter((t) => {
    const name = fold(t.name);
    return words.every((w) => name.includes(w));
  });
}

/** Adds the name to the selection, or removes it when it is there. Returns a new array. */
export function toggleName(selected: readonly string[], name: string): string[] {
  return selected.includes(name) ? selected.filter((n) => n !== name) : [...selected, name];
}

/** Keeps only the selected names that still exist (after a reload). */
export function keepExisting(selected: readonly string[], tags: readonly TagCount[]): string[] {
  const names = new Set(tags.map((t) => t.name));
  return selected.filter((n) => names.has(n));
}

export type MergePlan = { ok: true; from: string[]; into: string } | { ok: false; why: string };

/**
 * What "Merge into…" sends: every selected tag but the target itself (it may be one of them, or a
 * new name), into the cleaned target name.
 */
export function mergePlan(selected: readonly string[], into: string): MergePlan {
  const target = cleanTagName(into);
  if (!target) return { ok: false, why: "Name the tag to merge into." };
  const from = selected.filter((n) => !sameTagName(n, target));
  if (from.length === 0) return { ok: false, why: "Select another tag to merge into it." };
  return { ok: true, from, into: target };
}

/** The other tag that already has `newName` (a rename would clash with it), if any. */
export function clashingTag(tags: readonly TagCount[], oldName: string, newName: string): TagCount | null {
  if (sameTagName(oldName, newName)) return null;
  return tags.find((t) => sameTagName(t.name, newName)) ?? null;
}

/**
 * The track search for a tag: `tag:"name"` with straight quotes doubled (the search language's
 * escape), or null when the name holds a curly quote, which the language cannot escape.
 */
export function tagSearch(name: string): string | null {
  const clean = cleanTagName(name);
  if (!clean || /[“”]/.test(clean)) return null;
  return `tag:"${clean.replaceAll('"', '""')}"`;
}
