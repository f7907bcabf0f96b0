import type { Problem } from "../api/types";

/** The folder of a path (either separator), without the trailing separator. */
export function folderOf(path: string): string {
  const at = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (at < 0) return "";
  if (at === 0) return "/";
  return path.slice(0, at);
}

/** The last part of a path. */
export function fileOf(path: string): string {
  const at = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return path.slice(at + 1) || path;
}

/**
 * The kind of a reason, for grouping: "broken FLAC file: bad header" and "broken FLAC file: lost
 * sync" are both "broken FLAC file". Reasons without details are their own kind.
 */
export function reasonKind(reason: string): string {
  const at = reason.indexOf(": ");
  const kind = (at > 0 ? reason.slice(0, at) : reason).trim();
  return kind ? kind.charAt(0).toUpperCase() + kind.slice(1) : "Unknown reason";
}

/** The details of a reason after its kind ("lost sync"), or "" when it has none. */
export function reasonDetail(reason: string): string {
  const at = reason.indexOf(": ");
  return at > 0 ? reason.slice(at + 2).trim() : "";
}

/** Lower case without accents, so "amelie" finds "Amélie". */
function fold(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Problems whose path or reason holds every word of `query` (any case, any accents). */
export function filterProblems(problems: Problem[], query: string): Problem[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return problems;
  return problems.filter((p) => {
    const text = fold(`${p.path}\n${p.reason}`);
    return words.every((w) => text.includes(w));
  });
}

export type Grouping = "reason" | "folder" | "none";

export interface ProblemGroup {
  /** The heading; "" when not grouped. */
  label: string;
  problems: Problem[];
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/**
 * Problems in groups: by reason kind (largest group first), by folder (in path order), or one
 * group, newest first. Within a group, in path order.
 */
export function groupProblems(problems: Problem[], by: Grouping): ProblemGroup[] {
  if (by === "none") {
    const newest = [...problems].sort((a, b) => b.seen_at - a.seen_at || collator.compare(a.path, b.path));
    return problems.length ? [{ label: "", problems: newest }] : [];
  }
  const key = by === "reason" ? (p: Problem) => reasonKind(p.reason) : (p: Problem) => folderOf(p.path);
  const groups = new Map<string, Problem[]>();
  for (const p of problems) {
    const k = key(p);
    const list = groups.get(k);
    if (list) list.push(p);
    else groups.set(k, [p]);
  }
  const result = [...groups].map(([label, list]) => ({
    label,
    problems: list.sort((a, b) => collator.compare(a.path, b.path)),
  }));
  return result.sort((a, b) =>
    by === "reason"
      ? b.problems.length - a.problems.length || collator.compare(a.label, b.label)
      : collator.compare(a.label, b.label),
  );
}

/** When a problem was seen: "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", or a date. */
export function formatSeen(seenSecs: number, nowMs = Date.now()): string {
  const ago = Math.max(0, nowMs / 1000 - seenSecs);
  if (ago < 60) return "just now";
  if (ago < 3600) return `${Math.floor(ago / 60)} min ago`;
  if (ago < 86_400) return `${Math.floor(ago / 3600)} h ago`;
  const days = Math.floor(ago / 86_400);
  if (days === 1) return "yesterday";
  if (days < 7) return `${days} days ago`;
  return new Date(seenSecs * 1000).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" });
}

/** Copies text to the clipboard; false when this webview offers no clipboard or refuses. */
export async function copyText(text: string, clipboard: Pick<Clipboard, "writeText"> | undefined = globalThis.navigator?.clipboard): Promise<boolean> {
  if (!clipboard || typeof clipboard.writeText !== "function") return false;
  try {
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
