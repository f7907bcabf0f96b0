// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { Annotations, Target } from "../api/types";
import { trackRow } from "../player/testing";
import TrackPanel from "./TrackPanel.svelte";

function notes(over: Partial<Annotations> = {}): Annotations {
  return { rating: null, note: null, note_html: null, tags: [], fields: {}, cue_notes: [], ...over };
}

function setup(annotations: Annotations | null, parts: Partial<Backend> = {}, extra: { loadError?: string } = {}) {
  const onUpdate = vi.fn();
  const onRetry = vi.fn();
  const backend = fakeBackend({ tags: async () => [], ...parts });
  const view = render(TrackPanel, {
    backend,
    track: trackRow(3, { title: "La Valse d'Amélie", cue: "1M3" }),
    annotations,
    loadError: extra.loadError ?? null,
    onUpdate,
    onRetry,
  });
  return { ...view, onUpdate, onRetry };
}

test("shows loading until the track's notes arrive", () => {
  setup(null);
  expect(screen.getByRole("region", { name: "Notes on La Valse d'Amélie" }).textContent).toContain("Loading…");
});

test("a failure to read the notes offers to try again", async () => {
  const { onRetry } = setup(null, {}, { loadError: "disk I/O error" });
  expect(screen.getByRole("alert").textContent).toContain("disk I/O error");
  await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
  expect(onRetry).toHaveBeenCalled();
});

test("the cue number starts from the track's and an emptied one is cleared", async () => {
  const setFields = vi.fn(async () => ({}));
  const { onUpdate } = setup(notes({ fields: { cue: "1M3" } }), { setFields });
  const cue = screen.getByLabelText("Cue number") as HTMLInputElement;
  expect(cue.value).toBe("1M3");
  await fireEvent.input(cue, { target: { value: "" } });
  await fireEvent.submit(cue.form!);
  await waitFor(() => expect(setFields).toHaveBeenCalledWith({ kind: "track", id: 3 }, {}));
  expect(onUpdate).toHaveBeenCalledWith({ fields: {} });
  expect(screen.getByRole("status").textContent).toBe("✓ Saved");
});

test("tags the track and reports the tags after", async () => {
  const tag = vi.fn(async (_t: Target[], _n: string[]) => 1);
  const { onUpdate } = setup(notes({ tags: [{ name: "waltz", color: null }] }), { tag });
  const input = screen.getByRole("combobox", { name: "Add a tag to this track…" });
  await fireEvent.input(input, { target: { value: "accordion" } });
  await fireEvent.keyDown(input, { key: "Enter" });
  await waitFor(() => expect(tag).toHaveBeenCalledWith([{ kind: "track", id: 3 }], ["accordion"]));
  expect(onUpdate).toHaveBeenCalledWith({
    tags: [
      { name: "waltz", color: null },
      { name: "accordion", color: null },
    ],
  });
});

test("a tag that cannot be removed says so", async () => {
  setup(notes({ tags: [{ name: "waltz", color: null }] }), {
    untag: () => Promise.reject({ code: "bad_annotation", message: "no such tag" }),
  });
  await fireEvent.click(screen.getByRole("button", { name: "Remove tag waltz" }));
  expect((await screen.findByRole("alert")).textContent).toBe("Could not remove the tag “waltz”: no such tag");
});

test("a saved note is reported with Rust's rendering", async () => {
  const setNote = vi.fn(async (_t: Target, md: string) => notes({ note: md, note_html: `<p>${md}</p>` }));
  const { onUpdate } = setup(notes(), { setNote });
  await fireEvent.click(screen.getByRole("button", { name: "Add a note to La Valse d'Amélie" }));
  await fireEvent.input(screen.getByRole("textbox", { name: /in Markdown/ }), { target: { value: "Accordion solo" } });
  await fireEvent.click(screen.getByRole("button", { name: "Save" }));
  await waitFor(() => expect(onUpdate).toHaveBeenCalledWith({ note: "Accordion solo", note_html: "<p>Accordion solo</p>" }));
});

test("names the lists holding the track and adds it to another", async () => {
  let holding = [{ id: 2, name: "Waltzes" }];
  const listsHolding = vi.fn(async (_t: Target) => holding);
  const addToList = vi.fn(async () => {
    holding = [...holding, { id: 5, name: "Paris" }];
    return [77];
  });
  const lists = async () => [{ id: 5, name: "Paris", ranking: "none" as const, smart: false, entries: 1, placeholders: 0, updated_at: 0 }];
  setup(notes(), { listsHolding, addToList, lists });
  expect((await screen.findByText("In list:")).parentElement?.textContent).toContain("Waltzes");
  expect(listsHolding).toHaveBeenCalledWith({ kind: "track", id: 3 });
  await fireEvent.click(screen.getByRole("button", { name: "Add to list…" }));
  await fireEvent.click(await screen.findByRole("button", { name: /Paris/ }));
  await waitFor(() => expect(addToList).toHaveBeenCalledWith(5, [{ kind: "track", id: 3 }], null));
  expect(await screen.findByText("Added 1 to “Paris”.")).toBeTruthy();
  await waitFor(() => expect(screen.getByText("In lists:").parentElement?.textContent).toContain("Paris"));
});
