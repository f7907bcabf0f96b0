// Pure helpers for the article reader: Rust gives UTF-8 byte offsets into the article's text; the
// page needs string (UTF-16) indices and runs of plain, emphasized and mentioned text. Everything
// here is rendered as text nodes, never as HTML.

import type { ArticleBlock, ArticleImported, ArticleLink, ArticleMention, LinkStatus } from "../api/types";

/** Suggestions at or above this confidence are what "Confirm all" takes by default. */
export const DEFAULT_THRESHOLD = 0.8;

/**
 * A function from a UTF-8 byte offset in `text` to the matching string index. An offset inside a
 * character maps to the start of the next one; past the end, to the end.
 */
export function byteIndexer(text: string): (byte: number) => number {
  const bytes = new TextEncoder().encode(text).length;
  const index = new Uint32Array(bytes + 1);
  let b = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.codePointAt(i) ?? 0;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    const units = code >= 0x10000 ? 2 : 1;
    index[b] = i;
    // Offsets inside the character point past it.
    for (let k = 1; k < width; k++) index[b + k] = i + units;
    b += width;
    i += units;
  }
  index[bytes] = text.length;
  return (byte) => (byte <= 0 ? 0 : byte >= bytes ? text.length : index[byte]);
}

/** A run of a block's text: plain, emphasized (italics or quotes), or a mention of a link. */
export interface Run {
  text: string;
  em: boolean;
  mention: { linkId: number; status: LinkStatus; kind: string } | null;
}

/**
 * Cuts one block of the body into runs at emphasis and mention edges. Mentions that overlap an
 * earlier one are dropped (the first, then the longest, wins); offsets are bytes into `body`.
 */
export function blockRuns(
  body: string,
  at: (byte: number) => number,
  block: ArticleBlock,
  mentions: ArticleMention[],
): Run[] {
  const start = at(block.start);
  const end = at(block.end);
  const em = block.emphasis.map(([s, e]) => [at(s), at(e)] as const).filter(([s, e]) => e > s);
  const inside = mentions
    .map((m) => ({ m, s: at(m.start), e: at(m.end) }))
    .filter(({ s, e }) => s >= start && e <= end && e > s)
    .sort((a, b) => a.s - b.s || b.e - a.e);
  const kept: typeof inside = [];
  for (const x of inside) if (kept.length === 0 || x.s >= kept[kept.length - 1].e) kept.push(x);

  const cuts = new Set<number>([start, end]);
  for (const [s, e] of em) {
    if (s > start && s < end) cuts.add(s);
    if (e > start && e < end) cuts.add(e);
  }
  for (const { s, e } of kept) {
    cuts.add(s);
    cuts.add(e);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const runs: Run[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const [s, e] = [points[k], points[k + 1]];
    const mention = kept.find((x) => x.s <= s && e <= x.e);
    const run: Run = {
      text: body.slice(s, e),
      em: em.some(([a, b]) => a <= s && e <= b),
      mention: mention ? { linkId: mention.m.link_id, status: mention.m.status, kind: mention.m.kind } : null,
    };
    const last = runs[runs.length - 1];
    const same =
      last && last.em === run.em && last.mention?.linkId === run.mention?.linkId && (last.mention === null) === (run.mention === null);
    if (same) last.text += run.text;
    else runs.push(run);
  }
  return runs;
}

/** An excerpt cut around its mention (byte offsets into the excerpt). */
export function excerptParts(excerpt: string, start: number, end: number): { before: string; mention: string; after: string } {
  const at = byteIndexer(excerpt);
  const [s, e] = [at(start), at(end)];
  if (e <= s) return { before: excerpt, mention: "", after: "" };
  return { before: excerpt.slice(0, s), mention: excerpt.slice(s, e), after: excerpt.slice(e) };
}

/** "87%". */
export function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

/** Links by status, each group most confident first (then by name). */
export function linkGroups(links: ArticleLink[]): Record<LinkStatus, ArticleLink[]> {
  const groups: Record<LinkStatus, ArticleLink[]> = { suggested: [], confirmed: [], rejected: [] };
  for (const l of links) groups[l.status].push(l);
  for (const g of Object.values(groups)) g.sort((a, b) => b.confidence - a.confidence || a.label.localeCompare(b.label));
  return groups;
}

/** Suggestions waiting at or above a confidence (what "Confirm all" would take). */
export function countAbove(links: ArticleLink[], threshold: number): number {
  return links.filter((l) => l.status === "suggested" && l.confidence >= threshold - 1e-9).length;
}

const KIND_NAMES: Record<string, string> = { album: "Album", track: "Track", person: "Person", label: "Label" };

/** "Album", "Track", "Person", "Label". */
export function kindName(kind: string): string {
  return KIND_NAMES[kind] ?? kind;
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

/** The line shown after an import. */
export function describeImport(r: ArticleImported): string {
  const parts = [`${r.created ? "Imported" : "Updated"} “${r.title}”`];
  parts.push(r.suggestions > 0 ? `${plural(r.suggestions, "link", "links")} to review` : "no new links to review");
  if (r.ranked_entries != null) parts.push(`a ranked list of ${r.ranked_entries} that can become a list`);
  return parts.join(" · ");
}

/** "by Ann Writer · 2023-05-01 · example.org". */
export function byline(a: { author: string | null; published: string | null; url?: string | null; source?: string | null }): string {
  const parts: string[] = [];
  if (a.author) parts.push(`by ${a.author}`);
  if (a.published) parts.push(a.published.slice(0, 10));
  const source = a.url ?? a.source ?? null;
  if (source) parts.push(hostOf(source));
  return parts.join(" · ");
}

/** The host of a web address, or the text itself (a file name). */
export function hostOf(source: string): string {
  try {
    const u = new URL(source);
    return u.protocol === "http:" || u.protocol === "https:" ? u.host : source;
  } catch {
    return source;
  }
}

/** Whether text looks like a web address to fetch rather than an article to paste. */
export function isWebAddress(text: string): boolean {
  const t = text.trim();
  if (/\s/.test(t)) return false;
  try {
    const u = new URL(t);
    return (u.protocol === "http:" || u.protocol === "https:") && u.host !== "";
  } catch {
    return false;
  }
}

/** The album searches that find a person's albums: as composer, and as artist or album artist. */
export function personQueries(name: string): string[] {
  const phrase = name.replace(/["\\]/g, " ").replace(/\s+/g, " ").trim();
  if (phrase === "") return [];
  return [`composer:"${phrase}"`, `artist:"${phrase}"`];
}
