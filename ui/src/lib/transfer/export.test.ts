import { afterEach, describe, expect, it } from "vitest";

import type { ExportReport } from "../api/types";
import {
  FORMATS,
  describeExport,
  describeProgress,
  exportName,
  exportOptions,
  forgetChoice,
  isCancelled,
  progressFraction,
  rememberChoice,
  rememberedChoice,
  shortPath,
} from "./export";

afterEach(forgetChoice);

const report = (over: Partial<ExportReport> = {}): ExportReport => ({
  path: "/home/me/Exports/list.html",
  format: "html",
  entries: 42,
  files: 318,
  bytes: 1000,
  ...over,
});

describe("export wording and options", () => {
  it("offers the six formats once each, each with a line on what it is for", () => {
    expect(FORMATS.map((f) => f.format).sort()).toEqual(["csv", "html", "json", "m3u8", "markdown", "xspf"]);
    expect(FORMATS.every((f) => f.blurb.length > 10), "every format explains itself").toBe(true);
  });

  it("sends each option only with the format it applies to", () => {
    expect(exportOptions({ format: "csv", bom: true, relative: true })).toEqual({ bom: true, relative_paths: false });
    expect(exportOptions({ format: "m3u8", bom: true, relative: true })).toEqual({ bom: false, relative_paths: true });
    expect(exportOptions({ format: "m3u8", bom: false, relative: false })).toEqual({ bom: false, relative_paths: false });
    expect(exportOptions({ format: "html", bom: true, relative: true }), "HTML takes neither").toEqual({
      bom: false,
      relative_paths: false,
    });
  });

  it("remembers the last choice for the session and starts from a web page", () => {
    expect(rememberedChoice()).toEqual({ format: "html", bom: false, relative: true });
    rememberChoice({ format: "csv", bom: true, relative: false });
    expect(rememberedChoice()).toEqual({ format: "csv", bom: true, relative: false });
  });

  it("describes progress by phase with counts, and the fraction done", () => {
    expect(describeProgress(null)).toBe("Starting…");
    expect(describeProgress({ phase: "gathering", done: 12, total: 1500 })).toBe("Gathering entries… 12 of 1,500");
    expect(describeProgress({ phase: "writing", done: 3, total: 40 })).toBe("Writing… 3 of 40");
    expect(describeProgress({ phase: "writing", done: 0, total: 0 }), "no total yet: no counts").toBe("Writing…");
    expect(progressFraction({ phase: "writing", done: 10, total: 40 })).toBe(0.25);
    expect(progressFraction({ phase: "gathering", done: 0, total: 0 }), "unknown: indeterminate").toBeNull();
    expect(progressFraction({ phase: "done", done: 0, total: 0 })).toBe(1);
  });

  it("says what was exported and where, by file name", () => {
    expect(describeExport(report())).toBe("Exported 42 entries (318 files) to …/list.html");
    expect(describeExport(report({ entries: 1, files: 1, path: "C:\\Users\\me\\top.m3u8" }))).toBe(
      "Exported 1 entry (1 file) to …/top.m3u8",
    );
    expect(describeExport(report({ files: 0 })), "a wishlist has no files to mention").toBe("Exported 42 entries to …/list.html");
    expect(shortPath("list.csv")).toBe("list.csv");
  });

  it("tells the collector's Cancel from a failure", () => {
    expect(isCancelled({ code: "cancelled", message: "cancelled" })).toBe(true);
    expect(isCancelled({ code: "transfer", message: "disk full" })).toBe(false);
    expect(isCancelled(new Error("cancelled"))).toBe(false);
  });

  it("names an export file after its search, without characters file systems refuse", () => {
    expect(exportName("Tracks")).toBe("Tracks");
    expect(exportName("Tracks", ' composer:"John Williams" ')).toBe("Tracks – composer John Williams");
    expect(exportName("Albums", "x".repeat(200)).length, "kept short").toBeLessThanOrEqual(80);
  });
});
