// Tag names as the tag input handles them: cleaning what was typed and suggesting existing tags.
// Names are untrusted text; nothing here builds markup.

import type { Tag } from "../api/types";

/** What was typed, as a tag name: trimmed, inner runs of whitespace made one space. */
export function cleanTagName(typed: string): string {
  return typed.trim().replace(/\s+/g, " ");
}

const fold = (s: string) => s.toLocaleLowerCase();

/**
 * Existing tags that match `typed` (case-insensitive), names starting with it before names that
 * merely contain it, each group in the order given; tags in `exclude` (already applied) are left
 * out. Empty input suggests everything not excluded.
 */
export function suggestTags(
  known: readonly string[],
  typed: string,
  exclude: readonly string[],
  limit = 8,
): string[] {
  const q = fold(cleanTagName(typed));
  const taken = new Set(exclude.map(fold));
  const prefix: string[] = [];
  const inside: string[] = [];
  for (const name of known) {
    const f = fold(name);
    if (taken.has(f)) continue;
    if (f.startsWith(q)) prefix.push(name);
    else if (f.includes(q)) inside.push(name);
  }
  return [...prefix, ...inside].slice(0, limit);
}

/** The existing tag `typed` names (ignoring case), so "Ambient" reuses "ambient"; else null. */
export function existingTag(known: readonly string[], typed: string): string | null {
  const q = fold(cleanTagName(typed));
  return known.find((name) => fold(name) === q) ?? null;
}

/** Whether `name` is among `names`, ignoring case. */
export function hasTag(names: readonly string[], name: string): boolean {
  const f = fold(name);
  return names.some((n) => fold(n) === f);
}

/** `tags` with `name` added at the end (unless there, ignoring case) or removed. */
export function withTag(tags: readonly Tag[], name: string, on: boolean): Tag[] {
  const folded = name.toLocaleLowerCase();
  if (!on) return tags.filter((t) => t.name.toLocaleLowerCase() !== folded);
  return tags.some((t) => t.name.toLocaleLowerCase() === folded) ? [...tags] : [...tags, { name, color: null }];
}
