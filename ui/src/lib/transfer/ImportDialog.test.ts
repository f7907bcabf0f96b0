// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { CsvMapping, CsvPreview, ImportOptions, ImportReport, ListInfo, TransferProgress } from "../api/types";
import ImportDialog from "./ImportDialog.svelte";

const none: CsvMapping = {
  has_header: true, rank: null, kind: null, title: null, artist: null, album: null, year: null,
  duration: null, rating: null, tags: null, note: null, path: null,
};

const preview: CsvPreview = {
  headers: ["Pos", "Film", "Composer", "Released"],
  rows: [
    ["1", "Jaws", "John Williams", "1975"],
    ["2", "Alien", "Jerry Goldsmith", "1979"],
  ],
  suggested: { ...none, has_header: true, rank: 0, title: 1, artist: 2 },
};

const list: ListInfo = { id: 31, name: "Top scores", note: null, note_html: null, ranking: "ascending", query: null, created_at: 0, updated_at: 0 };

const report = (over: Partial<ImportReport> = {}): ImportReport => ({
  list, entries: 5, albums: 2, tracks: 1, placeholders: 2, duplicates: 0, warnings: [], ...over,
});

/** An import that runs until the test finishes, fails or cancels it. */
function running() {
  let progress: (p: TransferProgress) => void = () => {};
  let finish: (r: ImportReport) => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const importList = vi.fn(
    (_path: string, _o: ImportOptions, onProgress: (p: TransferProgress) => void) =>
      new Promise<ImportReport>((resolve, reject) => {
        progress = onProgress;
        finish = resolve;
        fail = reject;
      }),
  );
  return {
    importList,
    progress: (p: TransferProgress) => progress(p),
    finish: (r: ImportReport) => finish(r),
    fail: (e: unknown) => fail(e),
  };
}

function setup(parts: Partial<Backend>) {
  const onclose = vi.fn();
  const onimported = vi.fn();
  render(ImportDialog, { backend: fakeBackend(parts), onclose, onimported });
  return { onclose, onimported };
}

const select = (label: string) => screen.getByRole("combobox", { name: label }) as HTMLSelectElement;

describe("ImportDialog", () => {
  it("maps a CSV file's columns over its first rows and imports with that mapping", async () => {
    const run = running();
    const csvPreview = vi.fn(async () => preview);
    const { onimported } = setup({ pickImportFile: async () => "/home/me/Top 10 scores.csv", csvPreview, importList: run.importList });
    await screen.findByRole("table", { name: "The file's first rows" });
    expect(csvPreview).toHaveBeenCalledWith("/home/me/Top 10 scores.csv");
    const table = screen.getByRole("table");
    expect(within(table).getAllByRole("columnheader").map((h) => h.querySelector(".column")?.textContent)).toEqual([
      "Pos", "Film", "Composer", "Released",
    ]);
    expect(within(table).getAllByRole("row")).toHaveLength(3);
    expect(select("Title").value, "prefilled from the suggestion").toBe("1");
    expect(select("Rank").value).toBe("0");
    expect(select("Year").value, "not suggested: none").toBe("");
    expect((screen.getByRole("textbox", { name: "List name" }) as HTMLInputElement).value).toBe("Top 10 scores");

    await fireEvent.change(select("Year"), { target: { value: "3" } });
    await fireEvent.change(select("Title"), { target: { value: "" } });
    expect(screen.getByText("Choose the column that holds the title or the file path.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Import" }).hasAttribute("disabled"), "nothing to name entries by").toBe(true);
    await fireEvent.change(select("Title"), { target: { value: "1" } });
    await fireEvent.input(screen.getByRole("textbox", { name: "List name" }), { target: { value: "  Scores I love " } });
    await fireEvent.click(screen.getByRole("button", { name: "Import" }));

    await waitFor(() => expect(run.importList).toHaveBeenCalledTimes(1));
    expect(run.importList.mock.calls[0].slice(0, 2)).toEqual([
      "/home/me/Top 10 scores.csv",
      { name: "Scores I love", mapping: { ...none, has_header: true, rank: 0, title: 1, artist: 2, year: 3 } },
    ]);
    run.progress({ phase: "matching", done: 1, total: 2 });
    expect(await screen.findByText("Matching with your library… 1 of 2")).toBeTruthy();
    run.finish(report());
    expect((await screen.findByRole("status")).textContent).toContain(
      "Imported 5 entries: 2 albums, 1 track, 2 wishlist entries (not in your library)",
    );
    expect(onimported).toHaveBeenCalledWith(report());
  });

  it("moves the first row to the data when it is not a header, and sends that", async () => {
    const run = running();
    setup({ pickImportFile: async () => "/x/a.csv", csvPreview: async () => preview, importList: run.importList });
    const header = await screen.findByRole("checkbox", { name: "First row is a header" });
    expect((header as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(header);
    expect(within(screen.getByRole("table")).getAllByRole("row"), "the header row is data now").toHaveLength(4);
    expect([...select("Title").options].map((o) => o.textContent)).toEqual(["None", "Column 1", "Column 2", "Column 3", "Column 4"]);
    await fireEvent.click(screen.getByRole("button", { name: "Import" }));
    await waitFor(() => expect(run.importList).toHaveBeenCalled());
    expect(run.importList.mock.calls[0][1].mapping?.has_header).toBe(false);
  });

  it("imports a playlist without a mapping and reports wishlist entries, duplicates and warnings", async () => {
    const run = running();
    const csvPreview = vi.fn();
    setup({ pickImportFile: async () => "/home/me/road trip.m3u8", csvPreview, importList: run.importList });
    await fireEvent.click(await screen.findByRole("button", { name: "Import" }));
    expect(csvPreview, "only CSV files are previewed").not.toHaveBeenCalled();
    expect(run.importList.mock.calls[0].slice(0, 2), "a playlist names itself").toEqual([
      "/home/me/road trip.m3u8",
      { name: null, mapping: null },
    ]);
    run.finish(
      report({
        duplicates: 2,
        warnings: ["line 4: http://radio.example/stream is not a file; skipped", "line 9: no such file: /gone/x.flac"],
      }),
    );
    expect((await screen.findByRole("status")).textContent).toBe(
      "✓ Imported 5 entries: 2 albums, 1 track, 2 wishlist entries (not in your library) into “Top scores”.",
    );
    expect(screen.getByText("2 entries named something already in the list and were added once.")).toBeTruthy();
    const warnings = screen.getByText("2 warnings").closest("details")!;
    expect(warnings.open, "collapsed until asked").toBe(false);
    expect([...warnings.querySelectorAll("li")].map((li) => li.textContent)).toEqual([
      "line 4: http://radio.example/stream is not a file; skipped",
      "line 9: no such file: /gone/x.flac",
    ]);
  });

  it("shows why a file cannot be imported, and that nothing was created", async () => {
    const run = running();
    const { onimported } = setup({ pickImportFile: async () => "/home/me/bad.xspf", importList: run.importList });
    await fireEvent.click(await screen.findByRole("button", { name: "Import" }));
    run.fail({
      code: "transfer",
      message: "/home/me/bad.xspf: line 3: the XML declares a DOCTYPE or entities, which playlists never need",
    });
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Could not import: /home/me/bad.xspf: line 3: the XML declares a DOCTYPE or entities, which playlists never need",
    );
    expect(screen.getByText("Nothing was created.")).toBeTruthy();
    expect(onimported).not.toHaveBeenCalled();
  });

  it("shows a CSV file that cannot be previewed as an error", async () => {
    setup({
      pickImportFile: async () => "/x/broken.csv",
      csvPreview: () => Promise.reject({ code: "transfer", message: "/x/broken.csv: line 2: a quoted CSV field is never closed" }),
    });
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Could not import: /x/broken.csv: line 2: a quoted CSV field is never closed",
    );
    expect(screen.getByRole("button", { name: "Choose another file…" })).toBeTruthy();
  });

  it("goes back to the file quietly when the import is cancelled", async () => {
    const run = running();
    const cancelTransfer = vi.fn(async () => run.fail({ code: "cancelled", message: "cancelled" }));
    const { onimported } = setup({ pickImportFile: async () => "/x/a.xspf", importList: run.importList, cancelTransfer });
    await fireEvent.click(await screen.findByRole("button", { name: "Import" }));
    expect(screen.getByRole("progressbar", { name: "Import progress" })).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(cancelTransfer).toHaveBeenCalledTimes(1);
    await screen.findByRole("button", { name: "Import" });
    expect(screen.queryByRole("alert")).toBeNull();
    expect(onimported).not.toHaveBeenCalled();
  });

  it("closes when the file picker is dismissed", async () => {
    const { onclose } = setup({ pickImportFile: async () => null });
    await waitFor(() => expect(onclose).toHaveBeenCalledTimes(1));
  });

  it("keeps the mapping on screen when the file does not fit it", async () => {
    const run = running();
    setup({ pickImportFile: async () => "/x/a.csv", csvPreview: async () => preview, importList: run.importList });
    await fireEvent.click(await screen.findByRole("button", { name: "Import" }));
    run.fail({ code: "transfer", message: "/x/a.csv: the column mapping reads year from column 9, but the file has 4 columns" });
    expect((await screen.findByRole("alert")).textContent).toContain("reads year from column 9, but the file has 4 columns");
    expect(screen.getByRole("table", { name: "The file's first rows" }), "the mapping can be fixed").toBeTruthy();
    expect(screen.getByRole("button", { name: "Import" }).hasAttribute("disabled")).toBe(false);
  });
});
