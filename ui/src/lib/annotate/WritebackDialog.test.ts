// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { Target, WritebackFile } from "../api/types";
import WritebackDialog from "./WritebackDialog.svelte";

const album: Target = { kind: "album", id: 3 };

const plan: WritebackFile[] = [
  {
    track_id: 1,
    path: "/music/Star Wars/01 Main Title.flac",
    changes: [
      { field: "composer", old: [], new: ["John Williams"] },
      { field: "catalog_number", old: ["SK 1"], new: ["09026-68772-2"] },
    ],
  },
  { track_id: 2, path: '/music/Star Wars/02 <img src=x onerror="window.__pwned=1">.flac', changes: [{ field: "label", old: ["RCA"], new: ["RCA Victor"] }] },
  { track_id: 3, path: "/music/Star Wars/03 Same.flac", changes: [] },
];

function setup(parts: Partial<Backend> = {}) {
  const writebackPlan = vi.fn(async () => plan);
  const writebackApply = vi.fn(async () => {});
  const onClose = vi.fn();
  const onWritten = vi.fn();
  const backend = fakeBackend({ writebackPlan, writebackApply, ...parts });
  // `target` is also a mount option, so the props go under `props`.
  const view = render(WritebackDialog, { props: { backend, target: album, onClose, onWritten } });
  return { ...view, writebackPlan, writebackApply, onClose, onWritten };
}

test("lists each file's changes and promises the audio is untouched", async () => {
  const { writebackPlan, writebackApply, container } = setup();
  const dialog = screen.getByRole("dialog", { name: "Write tags to files" });
  expect(dialog.getAttribute("aria-modal")).toBe("true");
  expect(dialog.textContent).toContain("Only these fields change; the audio is not touched.");
  const files = await screen.findAllByRole("listitem");
  expect(writebackPlan).toHaveBeenCalledWith(album);
  expect(files.length, "files without changes are not listed").toBe(2);
  expect(files[0].textContent).toContain("01 Main Title.flac");
  const rows = within(files[0]).getAllByRole("row").slice(1).map((r) => [...r.children].map((c) => c.textContent?.replace(/\s+/g, " ").trim()));
  expect(rows).toEqual([
    ["Composer", "(empty)", "→ John Williams"],
    ["Catalog number", "SK 1", "→ 09026-68772-2"],
  ]);
  expect(files[1].textContent, "a path is text").toContain('02 <img src=x onerror="window.__pwned=1">.flac');
  expect(container.querySelector("img")).toBeNull();
  expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  expect(screen.getByRole("button", { name: "Write 2 files" })).toBeTruthy();
  expect(writebackApply, "nothing is written before the click").not.toHaveBeenCalled();
});

test("writes exactly the shown plan only when the button is pressed", async () => {
  const { writebackApply, onWritten } = setup();
  const write = await screen.findByRole("button", { name: "Write 2 files" });
  await new Promise((r) => setTimeout(r, 20));
  expect(writebackApply).not.toHaveBeenCalled();
  await fireEvent.click(write);
  await waitFor(() => expect(writebackApply).toHaveBeenCalledTimes(1));
  expect(writebackApply.mock.calls[0]).toEqual([plan.slice(0, 2)]);
  expect((await screen.findByRole("status")).textContent).toBe("✓ Wrote 2 files.");
  expect(onWritten).toHaveBeenCalled();
});

test("a failed write is shown and can be checked again", async () => {
  const { writebackPlan } = setup({ writebackApply: () => Promise.reject({ code: "catalog", message: "01 Main Title.flac changed since the preview" }) });
  await fireEvent.click(await screen.findByRole("button", { name: "Write 2 files" }));
  expect((await screen.findByRole("alert")).textContent).toBe("Could not write the tags: 01 Main Title.flac changed since the preview");
  await fireEvent.click(screen.getByRole("button", { name: "Check again" }));
  await waitFor(() => expect(writebackPlan).toHaveBeenCalledTimes(2));
});

test("an empty plan says the files already match and offers no write", async () => {
  setup({ writebackPlan: async () => [{ track_id: 1, path: "/a.flac", changes: [] }] });
  expect(await screen.findByText("The files already match: there is nothing to write.")).toBeTruthy();
  expect(screen.queryByRole("button", { name: /^Write/ })).toBeNull();
});

test("Escape closes, without reaching the app", async () => {
  const { onClose } = setup();
  await screen.findByRole("button", { name: "Write 2 files" });
  const escape = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
  const outside = vi.fn();
  window.addEventListener("keydown", outside);
  screen.getByRole("button", { name: "Cancel" }).dispatchEvent(escape);
  window.removeEventListener("keydown", outside);
  expect(onClose).toHaveBeenCalled();
  expect(outside, "the album view's Escape (back) does not fire").not.toHaveBeenCalled();
});

test("Tab stays inside the dialog", async () => {
  setup();
  const write = await screen.findByRole("button", { name: "Write 2 files" });
  const cancel = screen.getByRole("button", { name: "Cancel" });
  expect(document.activeElement, "the dialog takes focus").toBe(screen.getByRole("dialog"));
  write.focus();
  await fireEvent.keyDown(write, { key: "Tab" });
  expect(document.activeElement, "from the last to the first").toBe(cancel);
  await fireEvent.keyDown(cancel, { key: "Tab", shiftKey: true });
  expect(document.activeElement, "and back").toBe(write);
});

test("a plan that cannot be made is reported", async () => {
  setup({ writebackPlan: () => Promise.reject({ code: "not_found", message: "no album 3" }) });
  expect((await screen.findByRole("alert")).textContent).toBe("Could not work out the changes: no album 3");
});
