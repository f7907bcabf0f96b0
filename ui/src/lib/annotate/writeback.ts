// How a tag write-back plan reads in the confirmation dialog.

import type { WritebackField, WritebackFile } from "../api/types";

const FIELD_NAMES: Record<WritebackField, string> = {
  title: "Title",
  artist: "Artist",
  album: "Album",
  album_artist: "Album artist",
  composer: "Composer",
  conductor: "Conductor",
  orchestrator: "Orchestrator",
  label: "Label",
  catalog_number: "Catalog number",
  year: "Year",
  genre: "Genre",
  comment: "Comment",
};

export function fieldName(field: WritebackField): string {
  return FIELD_NAMES[field] ?? field;
}

/** A tag's values as one line: "A; B", or "(empty)". */
export function tagValues(values: readonly string[]): string {
  return values.length === 0 ? "(empty)" : values.join("; ");
}

/** Files that would actually change (a plan may list a file with nothing to do). */
export function filesToWrite(plan: readonly WritebackFile[]): WritebackFile[] {
  return plan.filter((f) => f.changes.length > 0);
}

/** "Write 1 file", "Write 12 files". */
export function writeLabel(count: number): string {
  return `Write ${count} ${count === 1 ? "file" : "files"}`;
}

/** A path as file name and the folder it is in. */
export function splitPath(path: string): { name: string; folder: string } {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return cut < 0 ? { name: path, folder: "" } : { name: path.slice(cut + 1), folder: path.slice(0, cut) };
}
