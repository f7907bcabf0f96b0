import { describe, expect, it } from "vitest";

import { fieldName, filesToWrite, splitPath, tagValues, writeLabel } from "./writeback";

describe("writeback", () => {
  it("names fields and values for people", () => {
    expect(fieldName("catalog_number")).toBe("Catalog number");
    expect(tagValues([])).toBe("(empty)");
    expect(tagValues(["John Williams", "Lionel Newman"])).toBe("John Williams; Lionel Newman");
  });

  it("counts only files with changes", () => {
    const plan = [
      { track_id: 1, path: "/a.flac", changes: [] },
      { track_id: 2, path: "/b.flac", changes: [{ field: "label" as const, old: [], new: ["RCA"] }] },
    ];
    expect(filesToWrite(plan).map((f) => f.track_id)).toEqual([2]);
    expect(writeLabel(1)).toBe("Write 1 file");
    expect(writeLabel(3)).toBe("Write 3 files");
  });

  it("splits a path into file name and folder, either separator", () => {
    expect(splitPath("/music/Star Wars/01 Main Title.flac")).toEqual({ name: "01 Main Title.flac", folder: "/music/Star Wars" });
    expect(splitPath("C:\\Music\\a.mp3")).toEqual({ name: "a.mp3", folder: "C:\\Music" });
    expect(splitPath("a.mp3")).toEqual({ name: "a.mp3", folder: "" });
  });
});
