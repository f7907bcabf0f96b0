// Adding albums and tracks to a list from wherever they are shown: which lists the menu offers,
// what a selection becomes, and what to say once they are added. Pure functions; the menu and the
// views that open it do the asking.
import type { ListItem, ListSummary, Target } from "../api/types";

/** The list items for annotation targets, in order, each once (works cannot go in a list). */
export function itemsOf(targets: readonly Target[]): ListItem[] {
  const seen = new Set<string>();
  const out: ListItem[] = [];
  for (const t of targets) {
    if (t.kind === "work") continue;
    const key = `${t.kind}:${t.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kind: t.kind, id: t.id });
  }
  return out;
}

/** Case- and accent-insensitive text for matching ("Amélie" finds "amelie"). */
export function folded(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase();
}

/**
 * The lists an item can be added to: plain lists only (a smart list holds what its query finds),
 * whose name contains every word of `filter`, in the order Rust gave them.
 */
export function addableLists(lists: readonly ListSummary[], filter: string): ListSummary[] {
  const words = folded(filter).split(/\s+/).filter(Boolean);
  return lists.filter((l) => !l.smart && words.every((w) => folded(l.name).includes(w)));
}

/** "1 track", "3 albums", "2 items" for a mix. */
export function describeItems(items: readonly ListItem[]): string {
  const kinds = new Set(items.map((i) => i.kind));
  const noun = kinds.size === 1 && !kinds.has("placeholder") ? [...kinds][0] : "item";
  const n = items.length;
  return `${n.toLocaleString("en")} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * What adding did: "Added 3 to Summer favourites." When Rust added fewer than it was given, the
 * rest were already in the list (a list holds each album or track once).
 */
export function describeAdded(added: number, given: number, list: string): string {
  const name = `“${list}”`;
  const already = Math.max(0, given - added);
  if (added === 0) return given === 1 ? `Already in ${name}.` : `All ${given.toLocaleString("en")} were already in ${name}.`;
  const base = `Added ${added.toLocaleString("en")} to ${name}`;
  if (already === 0) return `${base}.`;
  return `${base}; ${already === 1 ? "the other was" : `the other ${already.toLocaleString("en")} were`} already there.`;
}

/** Why a new list's name cannot be used, or null. */
export function newListProblem(name: string): string | null {
  if (name.trim() === "") return "Give the list a name.";
  if (name.trim().length > 200) return "That name is too long.";
  return null;
}
