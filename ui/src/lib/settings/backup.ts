// Backing up and restoring annotations: the native dialog, then the command, as one outcome the
// Settings view shows. A cancelled dialog does nothing. Errors name the file (Rust's messages do;
// one that does not is prefixed with the path).

import type { Backend } from "../api/backend";
import { messageOf } from "../api/errors";
import type { RestoreReport } from "../api/types";

export type BackupOutcome =
  | { kind: "cancelled" }
  | { kind: "saved"; path: string; items: number }
  | { kind: "error"; message: string };

export type RestoreOutcome =
  | { kind: "cancelled" }
  | { kind: "restored"; path: string; report: RestoreReport }
  | { kind: "error"; message: string };

/** The error's message, naming the file when it does not already. */
export function errorNamingFile(e: unknown, path: string | null): string {
  const message = messageOf(e);
  return path && !message.includes(path) ? `${path}: ${message}` : message;
}

/**
 * Asks where to save, then writes the backup there. `onPicked` hears the path once chosen (the
 * view shows it is working on that file).
 */
export async function runBackup(backend: Backend, onPicked: (path: string) => void = () => {}): Promise<BackupOutcome> {
  let path: string | null = null;
  try {
    path = await backend.pickBackupTarget();
    if (path == null) return { kind: "cancelled" };
    onPicked(path);
    const items = await backend.backup(path);
    return { kind: "saved", path, items };
  } catch (e) {
    return { kind: "error", message: errorNamingFile(e, path) };
  }
}

/** Asks which backup to read, then restores it. */
export async function runRestore(backend: Backend, onPicked: (path: string) => void = () => {}): Promise<RestoreOutcome> {
  let path: string | null = null;
  try {
    path = await backend.pickBackupFile();
    if (path == null) return { kind: "cancelled" };
    onPicked(path);
    const report = await backend.restore(path);
    return { kind: "restored", path, report };
  } catch (e) {
    return { kind: "error", message: errorNamingFile(e, path) };
  }
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

/** "Saved 1,204 items to /home/me/cuebook-backup.json". */
export function describeBackup(items: number, path: string): string {
  return `Saved ${count(items, "item")} to ${path}`;
}

/**
 * What a restore did, one line each, leaving out what is zero: "3 items annotated for the first
 * time", "5 items updated", "12 time-coded notes added", "2 new tags", "1 list restored", "2 articles restored" (an item
 * is an album, track or work). One line saying nothing was new when the backup held nothing the library lacked.
 */
export function describeRestore(r: RestoreReport): string[] {
  const lines: string[] = [];
  if (r.subjects_created > 0) lines.push(`${count(r.subjects_created, "item")} annotated for the first time`);
  if (r.subjects_updated > 0) lines.push(`${count(r.subjects_updated, "item")} updated`);
  if (r.cue_notes_added > 0) lines.push(`${count(r.cue_notes_added, "time-coded note")} added`);
  if (r.tags_created > 0) lines.push(count(r.tags_created, "new tag"));
  if (r.lists_created > 0) lines.push(`${count(r.lists_created, "list")} restored`);
  if (r.lists_updated > 0) lines.push(`${count(r.lists_updated, "list")} brought back to the backup's entries`);
  if (r.articles_created > 0) lines.push(`${count(r.articles_created, "article")} restored`);
  if (r.articles_updated > 0) lines.push(`${count(r.articles_updated, "article")} brought back to the backup's links and notes`);
  return lines.length > 0 ? lines : ["Nothing new: the library already held everything in the backup"];
}

/** The line about restored annotations whose files are not in the catalog, or null when there are none. */
export function describeRestoreOrphans(r: RestoreReport): string | null {
  if (r.orphans <= 0) return null;
  return r.orphans === 1
    ? "1 annotation is waiting for its file: it attaches when the file is scanned."
    : `${r.orphans.toLocaleString("en")} annotations are waiting for their files: they attach when the files are scanned.`;
}
