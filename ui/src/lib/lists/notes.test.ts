import { expect, test, vi } from "vitest";

import { fakeBackend } from "../api/fake";
import { noteBackend } from "./notes";

test("the note editor's save goes to the list's own command; the preview stays the real one", async () => {
  const renderNote = vi.fn(async (md: string) => `<p>${md}</p>`);
  const setNote = vi.fn();
  const save = vi.fn(async (md: string) => ({ note: md, note_html: `<p>${md}</p>` }));
  const b = noteBackend(fakeBackend({ renderNote, setNote }), save);
  const a = await b.setNote({ kind: "album", id: 1 }, "Found at a fair");
  expect(save).toHaveBeenCalledWith("Found at a fair");
  expect(setNote, "never the annotation of an album").not.toHaveBeenCalled();
  expect(a.note_html).toBe("<p>Found at a fair</p>");
  expect(await b.renderNote("x")).toBe("<p>x</p>");
});
