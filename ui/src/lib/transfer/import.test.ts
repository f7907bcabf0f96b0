import { describe, expect, it } from "vitest";

import type { CsvMapping, CsvPreview, ImportReport, ListInfo } from "../api/types";
import { describeDuplicates, describeImport, isCsv, listNameFor, mappingProblem, previewTable } from "./import";

const none: CsvMapping = {
  has_header: true, rank: null, kind: null, title: null, artist: null, album: null, year: null,
  duration: null, rating: null, tags: null, note: null, path: null,
};

const list: ListInfo = { id: 9, name: "Top 10", note: null, note_html: null, ranking: "ascending", query: null, created_at: 0, updated_at: 0 };

const report = (over: Partial<ImportReport> = {}): ImportReport => ({
  list, entries: 12, albums: 3, tracks: 7, placeholders: 2, duplicates: 0, warnings: [], ...over,
});

describe("import helpers", () => {
  it("maps CSV and TSV files, whatever the case of the extension", () => {
    expect(isCsv("/a/Top.CSV")).toBe(true);
    expect(isCsv("/a/top.tsv")).toBe(true);
    expect(isCsv("/a/top.m3u8")).toBe(false);
    expect(isCsv("/a/csv")).toBe(false);
  });

  it("names the new list after the file, without folder or extension", () => {
    expect(listNameFor("/home/me/Best of 2001.m3u8")).toBe("Best of 2001");
    expect(listNameFor("C:\\Lists\\top.10.csv")).toBe("top.10");
    expect(listNameFor("/x/.hidden")).toBe(".hidden");
  });

  const withHeader: CsvPreview = {
    headers: ["Pos", "Film"],
    rows: [["1", "Jaws"], ["2", "Alien"]],
    suggested: { ...none, has_header: true, rank: 0, title: 1 },
  };
  const without: CsvPreview = {
    headers: ["Column 1", "Column 2", "Column 3"],
    rows: [["Pos", "Film", ""], ["1", "Jaws", "x"]],
    suggested: { ...none, has_header: false, title: 0 },
  };

  it("reads the preview as Rust split it when the header choice agrees", () => {
    expect(previewTable(withHeader, true)).toEqual({ columns: ["Pos", "Film"], rows: [["1", "Jaws"], ["2", "Alien"]] });
    expect(previewTable(without, false)).toEqual({ columns: ["Column 1", "Column 2", "Column 3"], rows: without.rows });
  });

  it("moves the first row between header and data when the collector says otherwise", () => {
    expect(previewTable(withHeader, false)).toEqual({
      columns: ["Column 1", "Column 2"],
      rows: [["Pos", "Film"], ["1", "Jaws"], ["2", "Alien"]],
    });
    expect(previewTable(without, true), "a blank header cell keeps its number").toEqual({
      columns: ["Pos", "Film", "Column 3"],
      rows: [["1", "Jaws", "x"]],
    });
  });

  it("needs a title or a path column, and one field per column", () => {
    expect(mappingProblem(none)).toMatch(/title or the file path/);
    expect(mappingProblem({ ...none, path: 2 })).toBeNull();
    expect(mappingProblem({ ...none, title: 0 })).toBeNull();
    expect(mappingProblem({ ...none, title: 0, artist: 0 })).toMatch(/only one field/);
  });

  it("sums up the import, naming wishlist entries as not in the library", () => {
    expect(describeImport(report())).toBe("Imported 12 entries: 3 albums, 7 tracks, 2 wishlist entries (not in your library)");
    expect(describeImport(report({ entries: 1, albums: 1, tracks: 0, placeholders: 0 }))).toBe("Imported 1 entry: 1 album");
    expect(describeImport(report({ entries: 1, albums: 0, tracks: 0, placeholders: 1 }))).toBe(
      "Imported 1 entry: 1 wishlist entry (not in your library)",
    );
    expect(describeDuplicates(report())).toBeNull();
    expect(describeDuplicates(report({ duplicates: 2 }))).toBe("2 entries named something already in the list and were added once.");
  });
});
