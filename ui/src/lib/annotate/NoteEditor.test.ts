// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { Annotations, Target } from "../api/types";
import NoteEditor from "./NoteEditor.svelte";

const album: Target = { kind: "album", id: 7 };

function annotations(over: Partial<Annotations> = {}): Annotations {
  return { rating: null, note: null, note_html: null, tags: [], fields: {}, cue_notes: [], ...over };
}

function setup(props: { note?: string | null; noteHtml?: string | null } = {}, parts: Partial<Backend> = {}) {
  const renderNote = vi.fn(async (md: string) => `<p>rendered: ${md.replace(/</g, "&lt;")}</p>`);
  const setNote = vi.fn(async (_t: Target, md: string) =>
    annotations({ note: md, note_html: md.trim() === "" ? null : `<p><strong>${md}</strong></p>` }),
  );
  const openLink = vi.fn(async () => {});
  const backend = fakeBackend({ renderNote, setNote, openLink, ...parts });
  const onSaved = vi.fn();
  // `target` is also a mount option, so the props go under `props`.
  const view = render(NoteEditor, {
    props: {
      backend,
    target: album,
    note: props.note ?? null,
    noteHtml: props.noteHtml ?? null,
    onSaved,
      subject: "the album",
    },
  });
  return { ...view, renderNote, setNote, openLink, onSaved };
}

test("an empty note offers to add one", async () => {
  setup();
  expect(screen.getByRole("button", { name: "Add a note to the album" }).textContent).toContain("Add a note");
});

test("typing renders a live preview through Rust, once typing pauses", async () => {
  const { renderNote } = setup();
  await fireEvent.click(screen.getByRole("button", { name: "Add a note to the album" }));
  const box = screen.getByRole("textbox", { name: "Note on the album, in Markdown" });
  expect(document.activeElement, "the editor takes focus").toBe(box);
  await fireEvent.input(box, { target: { value: "**Love" } });
  await fireEvent.input(box, { target: { value: "**Love theme**" } });
  expect(renderNote, "debounced: nothing while typing").not.toHaveBeenCalled();
  await waitFor(() => expect(screen.getByTestId("note-preview").textContent).toContain("rendered: **Love theme**"));
  expect(renderNote.mock.calls, "one render for the pause, with the latest text").toEqual([["**Love theme**"]]);
});

test("Save stores the note and shows what Rust rendered", async () => {
  const { setNote, onSaved, container } = setup();
  await fireEvent.click(screen.getByRole("button", { name: "Add a note to the album" }));
  await fireEvent.input(screen.getByRole("textbox"), { target: { value: "Sessions at Abbey Road" } });
  await fireEvent.click(screen.getByRole("button", { name: "Save" }));
  await waitFor(() => expect(screen.queryByRole("textbox")).toBeNull());
  expect(setNote.mock.calls).toEqual([[album, "Sessions at Abbey Road"]]);
  expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ note: "Sessions at Abbey Road" }));
  expect(container.querySelector(".note-html strong")?.textContent).toBe("Sessions at Abbey Road");
  expect(document.activeElement, "focus returns to the note's button").toBe(
    screen.getByRole("button", { name: "Edit the note on the album" }),
  );
});

test("Ctrl+Enter saves and Escape cancels", async () => {
  const { setNote } = setup({ note: "Old", noteHtml: "<p>Old</p>" });
  await fireEvent.click(screen.getByRole("button", { name: "Edit the note on the album" }));
  const box = screen.getByRole("textbox") as HTMLTextAreaElement;
  expect(box.value).toBe("Old");
  expect(screen.getByTestId("note-preview").textContent, "the saved rendering to start with").toContain("Old");
  await fireEvent.input(box, { target: { value: "Dropped" } });
  const escape = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
  box.dispatchEvent(escape);
  await waitFor(() => expect(screen.queryByRole("textbox")).toBeNull());
  expect(escape.defaultPrevented, "Escape does not also leave the album").toBe(true);
  expect(setNote).not.toHaveBeenCalled();
  expect(screen.getByText("Old")).toBeTruthy();

  await fireEvent.click(screen.getByRole("button", { name: "Edit the note on the album" }));
  await fireEvent.input(screen.getByRole("textbox"), { target: { value: "Kept" } });
  await fireEvent.keyDown(screen.getByRole("textbox"), { key: "Enter", ctrlKey: true });
  await waitFor(() => expect(setNote.mock.calls).toEqual([[album, "Kept"]]));
});

test("a failed save keeps the draft and says why", async () => {
  setup({}, { setNote: () => Promise.reject({ code: "bad_annotation", message: "note too long" }) });
  await fireEvent.click(screen.getByRole("button", { name: "Add a note to the album" }));
  await fireEvent.input(screen.getByRole("textbox"), { target: { value: "x" } });
  await fireEvent.click(screen.getByRole("button", { name: "Save" }));
  expect((await screen.findByRole("alert")).textContent).toBe("Could not save the note: note too long");
  expect((screen.getByRole("textbox") as HTMLTextAreaElement).value).toBe("x");
});

test("a link in a rendered note opens in the system browser and never navigates the webview", async () => {
  const { openLink } = setup({
    note: "[score](https://example.com/score)",
    noteHtml: '<p>See the <a href="https://example.com/score" rel="noopener noreferrer">score <em>here</em></a></p>',
  });
  const inner = screen.getByText("here");
  const click = new MouseEvent("click", { bubbles: true, cancelable: true });
  inner.dispatchEvent(click);
  expect(click.defaultPrevented, "the webview does not follow the link").toBe(true);
  expect(openLink).toHaveBeenCalledWith("https://example.com/score");
});

test("a link in the live preview is intercepted too", async () => {
  const { openLink } = setup({}, { renderNote: async () => '<p><a href="mailto:a@b.example">mail</a></p>' });
  await fireEvent.click(screen.getByRole("button", { name: "Add a note to the album" }));
  await fireEvent.input(screen.getByRole("textbox"), { target: { value: "<mailto:a@b.example>" } });
  const link = await screen.findByRole("link", { name: "mail" });
  const click = new MouseEvent("click", { bubbles: true, cancelable: true });
  link.dispatchEvent(click);
  expect(click.defaultPrevented).toBe(true);
  expect(openLink).toHaveBeenCalledWith("mailto:a@b.example");
});

test("a link that cannot be opened says so where it was clicked", async () => {
  setup(
    { note: "x", noteHtml: '<p><a href="https://example.com">x</a></p>' },
    { openLink: () => Promise.reject({ code: "bad_annotation", message: "not an allowed link" }) },
  );
  await fireEvent.click(screen.getByRole("link", { name: "x" }));
  expect((await screen.findByRole("alert")).textContent).toBe("Could not open https://example.com: not an allowed link");
});
