// What the import dialog works out: which files need a column mapping, how the CSV preview reads
// with or without a header row, whether a mapping can import anything, and the report's wording.
import type { CsvMapping, CsvPreview, ImportReport } from "../api/types";
import { count, fileName } from "./export";

/** The fields a CSV column can hold, in the order the mapping step lists them. */
export type CsvField = Exclude<keyof CsvMapping, "has_header">;

export const CSV_FIELDS: readonly { field: CsvField; label: string }[] = [
  { field: "title", label: "Title" },
  { field: "artist", label: "Artist or composer" },
  { field: "album", label: "Album" },
  { field: "year", label: "Year" },
  { field: "path", label: "File path" },
  { field: "kind", label: "Kind (album or track)" },
  { field: "rank", label: "Rank" },
  { field: "duration", label: "Duration" },
  { field: "rating", label: "Rating" },
  { field: "tags", label: "Tags" },
  { field: "note", label: "Note" },
];

/** Whether the file is read as CSV (and so needs a column mapping first). */
export function isCsv(path: string): boolean {
  return /\.(csv|tsv)$/i.test(path);
}

/** "Summer favourites.m3u8" → "Summer favourites": the new list's default name. */
export function listNameFor(path: string): string {
  const name = fileName(path);
  const dot = name.lastIndexOf(".");
  return (dot > 0 ? name.slice(0, dot) : name).trim();
}

/**
 * The preview as a table under the collector's header choice. Rust splits the first row off as
 * the header when it recognizes names in it (`suggested.has_header`), else names the columns
 * "Column 1"…; turning the checkbox the other way moves that first row between header and data.
 */
export function previewTable(preview: CsvPreview, hasHeader: boolean): { columns: string[]; rows: string[][] } {
  const width = Math.max(preview.headers.length, ...preview.rows.map((r) => r.length));
  const numbered = Array.from({ length: width }, (_, i) => `Column ${i + 1}`);
  const named = (names: string[]) => numbered.map((n, i) => names[i]?.trim() || n);
  if (preview.suggested.has_header) {
    return hasHeader
      ? { columns: named(preview.headers), rows: preview.rows }
      : { columns: numbered, rows: [preview.headers, ...preview.rows] };
  }
  if (!hasHeader || preview.rows.length === 0) return { columns: named(preview.headers), rows: preview.rows };
  return { columns: named(preview.rows[0]), rows: preview.rows.slice(1) };
}

/** An import needs something to name each entry by: a title or a file path. */
export function mappingProblem(m: CsvMapping): string | null {
  if (m.title === null && m.path === null) return "Choose the column that holds the title or the file path.";
  const used = CSV_FIELDS.map((f) => m[f.field]).filter((c): c is number => c !== null);
  if (new Set(used).size !== used.length) return "Each column can hold only one field.";
  return null;
}

/** "Imported 12 entries: 3 albums, 7 tracks, 2 wishlist entries (not in your library)". */
export function describeImport(r: ImportReport): string {
  const parts: string[] = [];
  if (r.albums > 0) parts.push(count(r.albums, "album", "albums"));
  if (r.tracks > 0) parts.push(count(r.tracks, "track", "tracks"));
  if (r.placeholders > 0)
    parts.push(`${count(r.placeholders, "wishlist entry", "wishlist entries")} (not in your library)`);
  const head = `Imported ${count(r.entries, "entry", "entries")}`;
  return parts.length ? `${head}: ${parts.join(", ")}` : head;
}

/** "2 duplicates were added once", or null. */
export function describeDuplicates(r: ImportReport): string | null {
  if (r.duplicates <= 0) return null;
  return r.duplicates === 1
    ? "1 entry named something already in the list and was added once."
    : `${r.duplicates.toLocaleString("en")} entries named something already in the list and were added once.`;
}
