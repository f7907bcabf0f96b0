// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { ExportFormat, ExportOptions, ExportReport, ExportSource, TransferProgress } from "../api/types";
import ExportDialog from "./ExportDialog.svelte";
import { forgetChoice } from "./export";

afterEach(forgetChoice);

const source: ExportSource = { kind: "list", id: 4 };

/** An export that runs until the test finishes or cancels it, reporting progress on demand. */
function running(path = "/home/me/Exports/Best scores.html") {
  let progress: (p: TransferProgress) => void = () => {};
  let finish: (r: ExportReport) => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const exportList = vi.fn(
    (_s: ExportSource, _f: ExportFormat, _p: string, _o: ExportOptions, onProgress: (p: TransferProgress) => void) =>
      new Promise<ExportReport>((resolve, reject) => {
        progress = onProgress;
        finish = resolve;
        fail = reject;
      }),
  );
  const pickExportTarget = vi.fn(async (_name: string, _format: ExportFormat) => path);
  return {
    exportList,
    pickExportTarget,
    progress: (p: TransferProgress) => progress(p),
    finish: (r: Partial<ExportReport> = {}) =>
      finish({ path, format: "html", entries: 42, files: 318, bytes: 10_000, ...r }),
    fail: (e: unknown) => fail(e),
  };
}

function setup(parts: Partial<Backend>) {
  const onclose = vi.fn();
  const view = render(ExportDialog, { backend: fakeBackend(parts), source, suggestedName: "Best scores", onclose });
  return { ...view, onclose };
}

const exportButton = () => screen.getByRole("button", { name: /^Export as/ });

describe("ExportDialog", () => {
  it.each([
    ["Web page", "html", null, { bom: false, relative_paths: false }],
    ["Markdown", "markdown", null, { bom: false, relative_paths: false }],
    ["CSV", "csv", "For spreadsheets (Excel): add a byte-order mark", { bom: true, relative_paths: false }],
    ["JSON", "json", null, { bom: false, relative_paths: false }],
    ["M3U8 playlist", "m3u8", "Relative paths (keep the playlist next to the music)", { bom: false, relative_paths: false }],
    ["XSPF playlist", "xspf", null, { bom: false, relative_paths: false }],
  ] as const)("exports as %s with the options that apply", async (name, format, option, options) => {
    const run = running(`/home/me/x.${format}`);
    setup({ pickExportTarget: run.pickExportTarget, exportList: run.exportList });
    await fireEvent.click(screen.getByRole("radio", { name: new RegExp(`^${name}`) }));
    // CSV's byte-order mark starts off (ticked here); M3U8's relative paths start on (unticked here).
    if (option) await fireEvent.click(screen.getByRole("checkbox", { name: option }));
    else expect(screen.queryByRole("checkbox"), "no options for this format").toBeNull();
    await fireEvent.click(exportButton());
    await waitFor(() => expect(run.exportList).toHaveBeenCalledTimes(1));
    expect(run.pickExportTarget).toHaveBeenCalledWith("Best scores", format);
    expect(run.exportList.mock.calls[0].slice(0, 4)).toEqual([source, format, `/home/me/x.${format}`, options]);
  });

  it("shows progress, then what was written, and opens an HTML export in the browser", async () => {
    const run = running();
    const openExport = vi.fn(async (_path: string) => {});
    setup({ pickExportTarget: run.pickExportTarget, exportList: run.exportList, openExport });
    await fireEvent.click(exportButton());
    await waitFor(() => expect(run.exportList).toHaveBeenCalled());
    expect(screen.getByText("Starting…")).toBeTruthy();
    run.progress({ phase: "gathering", done: 10, total: 40 });
    expect(await screen.findByText("Gathering entries… 10 of 40")).toBeTruthy();
    run.progress({ phase: "writing", done: 30, total: 40 });
    expect(await screen.findByText("Writing… 30 of 40")).toBeTruthy();
    expect((screen.getByRole("progressbar", { name: "Export progress" }) as HTMLProgressElement).value).toBe(0.75);
    run.finish();
    expect((await screen.findByRole("status")).textContent).toBe("✓ Exported 42 entries (318 files) to …/Best scores.html");
    expect(screen.getByText("Open it in your browser to print it or save it as a PDF.")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Open in browser" }));
    expect(openExport).toHaveBeenCalledWith("/home/me/Exports/Best scores.html");
  });

  it("goes back to the form quietly when the export is cancelled", async () => {
    const run = running();
    const cancelTransfer = vi.fn(async () => run.fail({ code: "cancelled", message: "the export was cancelled" }));
    const { onclose } = setup({ pickExportTarget: run.pickExportTarget, exportList: run.exportList, cancelTransfer });
    await fireEvent.click(exportButton());
    await waitFor(() => expect(run.exportList).toHaveBeenCalled());
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(cancelTransfer).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(exportButton()).toBeTruthy());
    expect(screen.queryByRole("alert"), "a cancel is not an error").toBeNull();
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(onclose, "the dialog stays for another try").not.toHaveBeenCalled();
  });

  it("shows why an export failed and keeps the form", async () => {
    const run = running();
    setup({ pickExportTarget: run.pickExportTarget, exportList: run.exportList });
    await fireEvent.click(screen.getByRole("radio", { name: /^CSV/ }));
    await fireEvent.click(exportButton());
    await waitFor(() => expect(run.exportList).toHaveBeenCalled());
    run.fail({ code: "transfer", message: "/home/me/Exports/Best scores.html could not be written: disk full" });
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Could not export: /home/me/Exports/Best scores.html could not be written: disk full",
    );
    expect((screen.getByRole("radio", { name: /^CSV/ }) as HTMLInputElement).checked, "the choice stays").toBe(true);
  });

  it("does nothing when the save dialog is dismissed", async () => {
    const exportList = vi.fn();
    setup({ pickExportTarget: async () => null, exportList });
    await fireEvent.click(exportButton());
    await waitFor(() => expect(exportButton().hasAttribute("disabled")).toBe(false));
    expect(exportList).not.toHaveBeenCalled();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("remembers the format chosen last in this session", async () => {
    const run = running();
    const first = setup({ pickExportTarget: run.pickExportTarget, exportList: run.exportList });
    await fireEvent.click(screen.getByRole("radio", { name: /^XSPF/ }));
    await fireEvent.click(exportButton());
    await waitFor(() => expect(run.exportList).toHaveBeenCalled());
    first.unmount();
    setup({});
    expect((screen.getByRole("radio", { name: /^XSPF/ }) as HTMLInputElement).checked).toBe(true);
  });

  it("closes on Escape, and Escape during an export cancels it instead", async () => {
    const run = running();
    const cancelTransfer = vi.fn(async () => {});
    const { onclose } = setup({ pickExportTarget: run.pickExportTarget, exportList: run.exportList, cancelTransfer });
    await fireEvent.click(exportButton());
    await waitFor(() => expect(run.exportList).toHaveBeenCalled());
    await fireEvent.keyDown(screen.getByRole("dialog"), { key: "Escape" });
    expect(cancelTransfer).toHaveBeenCalledTimes(1);
    expect(onclose).not.toHaveBeenCalled();
    run.finish({ format: "csv", path: "/x/list.csv" });
    await screen.findByRole("status");
    expect(screen.getByRole("button", { name: "Open" }), "not a web page: plain Open").toBeTruthy();
    await fireEvent.keyDown(screen.getByRole("dialog"), { key: "Escape" });
    expect(onclose).toHaveBeenCalledTimes(1);
  });
});
