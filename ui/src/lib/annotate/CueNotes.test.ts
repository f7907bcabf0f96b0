// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { CueNote } from "../api/types";
import CueNotes from "./CueNotes.svelte";

const notes: CueNote[] = [
  { id: 2, at_ms: 102_000, text: "The choir enters" },
  { id: 1, at_ms: 5_000, text: "Solo oboe" },
];

function setup(props: { currentMs?: number | null; notes?: CueNote[] } = {}, parts: Partial<Backend> = {}) {
  let nextId = 10;
  const calls = {
    preview: [] as [number, number | undefined][],
    add: [] as [number, number, string][],
    update: [] as [number, number, string][],
    del: [] as number[],
  };
  const backend = fakeBackend({
    preview: async (id, from) => void calls.preview.push([id, from]),
    addCueNote: async (trackId, atMs, text) => (calls.add.push([trackId, atMs, text]), { id: nextId++, at_ms: atMs, text }),
    updateCueNote: async (id, atMs, text) => (calls.update.push([id, atMs, text]), { id, at_ms: atMs, text }),
    deleteCueNote: async (id) => void calls.del.push(id),
    ...parts,
  });
  const onChange = vi.fn();
  const view = render(CueNotes, {
    backend,
    trackId: 42,
    notes: props.notes ?? notes,
    durationMs: 180_000,
    currentMs: props.currentMs ?? null,
    onChange,
    subject: "Main Title",
  });
  return { ...view, calls, onChange };
}

const rows = () => screen.queryAllByTestId("cue-note").map((r) => [r.querySelector(".at")?.textContent, r.querySelector(".text")?.textContent]);

test("lists notes in time order with m:ss", () => {
  setup();
  expect(rows()).toEqual([
    ["0:05", "Solo oboe"],
    ["1:42", "The choir enters"],
  ]);
});

test("▶ starts a preview of the track from the note's moment", async () => {
  const { calls } = setup();
  await fireEvent.click(screen.getByRole("button", { name: "Preview from 1:42" }));
  await waitFor(() => expect(calls.preview).toEqual([[42, 102_000]]));
});

test("adds a note at a typed time and keeps the list in order", async () => {
  const { calls, onChange } = setup();
  const form = screen.getByRole("form", { name: "Add a time-coded note to Main Title" });
  await fireEvent.input(within(form).getByLabelText("Time"), { target: { value: "1:00" } });
  await fireEvent.input(within(form).getByLabelText("Note text"), { target: { value: "  Brass  " } });
  await fireEvent.click(within(form).getByRole("button", { name: "Add" }));
  await waitFor(() => expect(calls.add).toEqual([[42, 60_000, "Brass"]]));
  expect(rows().map((r) => r[1])).toEqual(["Solo oboe", "Brass", "The choir enters"]);
  expect(onChange.mock.calls.at(-1)?.[0].map((n: CueNote) => n.id)).toEqual([1, 10, 2]);
  expect((within(form).getByLabelText("Note text") as HTMLInputElement).value, "ready for the next note").toBe("");
});

test("a bad time is refused with a message and nothing is saved", async () => {
  const { calls } = setup();
  const form = screen.getByRole("form");
  await fireEvent.input(within(form).getByLabelText("Time"), { target: { value: "1:99" } });
  await fireEvent.input(within(form).getByLabelText("Note text"), { target: { value: "x" } });
  await fireEvent.submit(form);
  expect((await screen.findByRole("alert")).textContent).toBe("Seconds must be below 60 in “1:99”.");
  expect(within(form).getByLabelText("Time").getAttribute("aria-invalid")).toBe("true");
  await fireEvent.input(within(form).getByLabelText("Time"), { target: { value: "4:00" } });
  await fireEvent.submit(form);
  expect((await screen.findByRole("alert")).textContent).toBe("4:00 is past the end of the track (3:00).");
  expect(calls.add).toEqual([]);
});

test("while the track plays, the time follows playback until writing starts", async () => {
  const view = setup({ currentMs: 61_500 });
  const form = screen.getByRole("form");
  const time = within(form).getByLabelText("Time") as HTMLInputElement;
  expect(time.value).toBe("1:01");
  await view.rerender({ currentMs: 64_000 });
  expect(time.value).toBe("1:04");
  await fireEvent.focus(within(form).getByLabelText("Note text"));
  await view.rerender({ currentMs: 90_000 });
  expect(time.value, "pinned once the collector starts writing").toBe("1:04");
  await fireEvent.input(within(form).getByLabelText("Note text"), { target: { value: "Horns" } });
  await fireEvent.submit(form);
  await waitFor(() => expect(view.calls.add).toEqual([[42, 64_000, "Horns"]]));
});

test("edits a note's time and text", async () => {
  const { calls } = setup();
  await fireEvent.click(screen.getByRole("button", { name: "Edit the note at 0:05" }));
  const text = screen.getByLabelText("Note at 0:05");
  expect(document.activeElement).toBe(text);
  await fireEvent.input(text, { target: { value: "Solo clarinet" } });
  await fireEvent.input(screen.getAllByLabelText("Time")[0], { target: { value: "2:00" } });
  await fireEvent.keyDown(text, { key: "Enter" });
  await waitFor(() => expect(calls.update).toEqual([[1, 120_000, "Solo clarinet"]]));
  expect(rows()).toEqual([
    ["1:42", "The choir enters"],
    ["2:00", "Solo clarinet"],
  ]);
});

test("deletes a note and can bring it back", async () => {
  const { calls } = setup();
  await fireEvent.click(screen.getByRole("button", { name: "Delete the note at 1:42" }));
  await waitFor(() => expect(calls.del).toEqual([2]));
  expect(rows().map((r) => r[1])).toEqual(["Solo oboe"]);
  await fireEvent.click(screen.getByRole("button", { name: "Undo" }));
  await waitFor(() => expect(calls.add).toEqual([[42, 102_000, "The choir enters"]]));
  expect(rows().map((r) => r[1])).toEqual(["Solo oboe", "The choir enters"]);
});

test("HOSTILE: note text with markup is shown as text", () => {
  const { container } = setup({ notes: [{ id: 1, at_ms: 0, text: `<img src=x onerror="window.__pwned=1">` }] });
  expect(container.textContent).toContain(`<img src=x onerror="window.__pwned=1">`);
  expect(container.querySelector("img")).toBeNull();
  expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
});

test("a failed preview is reported beside the notes", async () => {
  setup({}, { preview: () => Promise.reject({ code: "playback", message: "no output device" }) });
  await fireEvent.click(screen.getByRole("button", { name: "Preview from 0:05" }));
  expect((await screen.findByRole("alert")).textContent).toBe("Could not play from 0:05: no output device");
});
