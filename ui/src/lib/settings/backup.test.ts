import { describe, expect, it, vi } from "vitest";

import { fakeBackend } from "../api/fake";
import type { RestoreReport } from "../api/types";
import { describeBackup, describeRestore, describeRestoreOrphans, errorNamingFile, runBackup, runRestore } from "./backup";

const report: RestoreReport = {
  tags_created: 2, subjects_created: 3, subjects_updated: 1, cue_notes_added: 12, lists_created: 1, lists_updated: 0,
  articles_created: 2, articles_updated: 1, orphans: 4, skipped: [],
};

describe("backing up", () => {
  it("writes to the chosen file and says how much it saved", async () => {
    const backup = vi.fn(async () => 1_204);
    const backend = fakeBackend({ pickBackupTarget: async () => "/home/me/cuebook.json", backup });
    const picked: string[] = [];
    expect(await runBackup(backend, (p) => picked.push(p))).toEqual({ kind: "saved", path: "/home/me/cuebook.json", items: 1_204 });
    expect(backup).toHaveBeenCalledWith("/home/me/cuebook.json");
    expect(picked).toEqual(["/home/me/cuebook.json"]);
    expect(describeBackup(1_204, "/home/me/cuebook.json")).toBe("Saved 1,204 items to /home/me/cuebook.json");
    expect(describeBackup(1, "/b.json")).toBe("Saved 1 item to /b.json");
  });

  it("does nothing when the dialog is cancelled", async () => {
    const backup = vi.fn(async () => 1);
    expect(await runBackup(fakeBackend({ pickBackupTarget: async () => null, backup }))).toEqual({ kind: "cancelled" });
    expect(backup).not.toHaveBeenCalled();
  });

  it("names the file in an error", async () => {
    const backend = fakeBackend({
      pickBackupTarget: async () => "/ro/cuebook.json",
      backup: () => Promise.reject({ code: "backup", message: "cannot write /ro/cuebook.json: read-only file system" }),
    });
    expect(await runBackup(backend)).toEqual({ kind: "error", message: "cannot write /ro/cuebook.json: read-only file system" });
    expect(errorNamingFile(new Error("disk full"), "/x.json"), "a message without the path gets it").toBe("/x.json: disk full");
    expect(errorNamingFile(new Error("no dialog"), null)).toBe("no dialog");
  });
});

describe("restoring", () => {
  it("reads the chosen file and reports what changed", async () => {
    const restore = vi.fn(async () => report);
    expect(await runRestore(fakeBackend({ pickBackupFile: async () => "/b.json", restore }))).toEqual({
      kind: "restored",
      path: "/b.json",
      report,
    });
    expect(restore).toHaveBeenCalledWith("/b.json");
    expect(describeRestore(report)).toEqual([
      "3 items annotated for the first time",
      "1 item updated",
      "12 time-coded notes added",
      "2 new tags",
      "1 list restored",
      "2 articles restored",
      "1 article brought back to the backup's links and notes",
    ]);
    expect(describeRestoreOrphans(report)).toBe("4 annotations are waiting for their files: they attach when the files are scanned.");
  });

  it("says when nothing was new and nothing waits", () => {
    const none = {
      tags_created: 0, subjects_created: 0, subjects_updated: 0, cue_notes_added: 0, lists_created: 0, lists_updated: 0,
      articles_created: 0, articles_updated: 0, orphans: 0, skipped: [],
    };
    expect(describeRestore(none)).toEqual(["Nothing new: the library already held everything in the backup"]);
    expect(describeRestoreOrphans(none)).toBeNull();
    expect(describeRestoreOrphans({ ...none, orphans: 1 })).toBe("1 annotation is waiting for its file: it attaches when the file is scanned.");
  });

  it("does nothing when the dialog is cancelled and names the file in an error", async () => {
    const restore = vi.fn(async () => report);
    expect(await runRestore(fakeBackend({ pickBackupFile: async () => null, restore }))).toEqual({ kind: "cancelled" });
    expect(restore).not.toHaveBeenCalled();
    const failing = fakeBackend({ pickBackupFile: async () => "/b.json", restore: () => Promise.reject({ code: "backup", message: "not a Cuebook backup" }) });
    expect(await runRestore(failing)).toEqual({ kind: "error", message: "/b.json: not a Cuebook backup" });
  });
});
