// What the export dialog offers and says: the formats, the options that apply to each, progress and
// result wording, and the format remembered for the rest of the session.
import type { ExportFormat, ExportOptions, ExportReport, TransferProgress } from "../api/types";

export interface FormatChoice {
  format: ExportFormat;
  /** What the collector picks. */
  name: string;
  /** One line on what it is for. */
  blurb: string;
}

/** The six formats, in the order the dialog lists them. */
export const FORMATS: readonly FormatChoice[] = [
  { format: "html", name: "Web page", blurb: "Printable, with covers — open it in a browser to print or save as PDF" },
  { format: "markdown", name: "Markdown", blurb: "Plain text with headings, for notes, forums and wikis" },
  { format: "csv", name: "CSV", blurb: "A table for spreadsheets, one row per entry" },
  { format: "json", name: "JSON", blurb: "Every field, for scripts and other programs" },
  { format: "m3u8", name: "M3U8 playlist", blurb: "The audio files, for music players" },
  { format: "xspf", name: "XSPF playlist", blurb: "A playlist with titles and artists, for VLC and others" },
];

/** The name of a format, as the dialog shows it. */
export function formatName(format: ExportFormat): string {
  return FORMATS.find((f) => f.format === format)?.name ?? format;
}

// The session's choices: a module lives as long as the window does, which is what "remember for the
// session" means; nothing is stored.
let lastFormat: ExportFormat = "html";
let lastBom = false;
let lastRelative = true;

export interface ExportChoice {
  format: ExportFormat;
  /** CSV: add a byte-order mark. */
  bom: boolean;
  /** M3U8: paths relative to the playlist. */
  relative: boolean;
}

/** What the collector chose last in this session (the defaults at first). */
export function rememberedChoice(): ExportChoice {
  return { format: lastFormat, bom: lastBom, relative: lastRelative };
}

export function rememberChoice(choice: ExportChoice): void {
  lastFormat = choice.format;
  lastBom = choice.bom;
  lastRelative = choice.relative;
}

/** Back to the defaults (for tests). */
export function forgetChoice(): void {
  rememberChoice({ format: "html", bom: false, relative: true });
}

/** The options sent with an export: each only for the format it applies to. */
export function exportOptions(choice: ExportChoice): ExportOptions {
  return {
    bom: choice.format === "csv" && choice.bom,
    relative_paths: choice.format === "m3u8" && choice.relative,
  };
}

/** 0–1, or null while the total is unknown. */
export function progressFraction(p: TransferProgress | null): number | null {
  if (!p) return null;
  if (p.phase === "done") return 1;
  return p.total > 0 ? Math.min(1, p.done / p.total) : null;
}

const PHASES: Record<TransferProgress["phase"], string> = {
  gathering: "Gathering entries",
  writing: "Writing",
  matching: "Matching with your library",
  done: "Finishing",
};

/** "Writing… 12 of 40". */
export function describeProgress(p: TransferProgress | null): string {
  if (!p) return "Starting…";
  const phase = PHASES[p.phase] ?? "Working";
  if (p.phase === "done" || p.total <= 0) return `${phase}…`;
  return `${phase}… ${p.done.toLocaleString("en")} of ${p.total.toLocaleString("en")}`;
}

/** "1 entry", "42 entries". */
export function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

/** The last part of a path ("list.html"), for either separator. */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** The path shortened to "…/list.html" for a sentence (the full path goes in a tooltip). */
export function shortPath(path: string): string {
  const name = fileName(path);
  return name === path ? path : `…/${name}`;
}

/** "Exported 42 entries (318 files) to …/list.html". */
export function describeExport(r: ExportReport): string {
  const files = r.files > 0 ? ` (${count(r.files, "file", "files")})` : "";
  return `Exported ${count(r.entries, "entry", "entries")}${files} to ${shortPath(r.path)}`;
}

/** Whether a failed transfer was the collector's own Cancel. */
export function isCancelled(e: unknown): boolean {
  return typeof e === "object" && e !== null && "code" in e && (e as { code: unknown }).code === "cancelled";
}

/**
 * A file name for an export, from what it holds ("Tracks – composer williams"): characters no file
 * system allows become spaces, and it is kept short. The save dialog adds the extension.
 */
export function exportName(what: string, query = ""): string {
  const q = query.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, " ").replace(/\s+/g, " ").trim();
  const name = q ? `${what} – ${q}` : what;
  return name.length > 80 ? `${name.slice(0, 79).trimEnd()}…` : name;
}
