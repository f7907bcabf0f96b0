// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import { fakeBackend } from "../api/fake";
import type { Target } from "../api/types";
import BulkBar from "./BulkBar.svelte";

const two: Target[] = [
  { kind: "track", id: 1 },
  { kind: "track", id: 2 },
];

test("the tag panel opens on its button, closes on Escape and gives focus back", async () => {
  render(BulkBar, { backend: fakeBackend({ tags: async () => [] }), kind: "track", count: 2, selection: 1, targets: async () => two, onDone: () => {} });
  const opener = screen.getByRole("button", { name: "Tag 2 tracks…" });
  await fireEvent.click(opener);
  expect(opener.getAttribute("aria-expanded")).toBe("true");
  const input = screen.getByRole("combobox", { name: "Tag to add to 2 tracks" });
  await waitFor(() => expect(document.activeElement).toBe(input));
  await fireEvent.keyDown(input, { key: "Escape" });
  expect(screen.queryByRole("combobox")).toBeNull();
  expect(document.activeElement).toBe(opener);
});

test("the stars show the rating just given until the selection changes", async () => {
  const rate = vi.fn(async () => {});
  const onDone = vi.fn();
  const view = render(BulkBar, { backend: fakeBackend({ rate }), kind: "track", count: 2, selection: 1, targets: async () => two, onDone });
  await fireEvent.click(screen.getByRole("radio", { name: "5 stars" }));
  await waitFor(() => expect(onDone).toHaveBeenCalledWith("rate", "Rated 2 tracks 5 of 5."));
  expect(rate).toHaveBeenCalledWith(two, 5);
  expect(screen.getByRole("radio", { name: "5 stars" }).getAttribute("aria-checked")).toBe("true");
  await view.rerender({ selection: 2 });
  expect(screen.getByRole("radio", { name: "5 stars" }).getAttribute("aria-checked")).toBe("false");
});

test("a selection whose rows cannot be read is not sent to Rust", async () => {
  const rate = vi.fn(async () => {});
  render(BulkBar, { backend: fakeBackend({ rate }), kind: "album", count: 3, selection: 1, targets: async () => [], onDone: () => {} });
  await fireEvent.click(screen.getByRole("radio", { name: "1 star" }));
  expect((await screen.findByRole("alert")).textContent).toBe("None of the selected albums could be read; select them again.");
  expect(rate).not.toHaveBeenCalled();
});

test("adds the selection to a list and says what was added", async () => {
  const addToList = vi.fn(async () => [11, 12]);
  const lists = async () => [{ id: 3, name: "Noir", ranking: "none" as const, smart: false, entries: 0, placeholders: 0, updated_at: 0 }];
  const targets = vi.fn(async () => two);
  render(BulkBar, { backend: fakeBackend({ lists, addToList }), kind: "track", count: 2, selection: 1, targets, onDone: () => {} });
  const opener = screen.getByRole("button", { name: "Add to list…" });
  await fireEvent.click(opener);
  expect(opener.getAttribute("aria-expanded")).toBe("true");
  expect(targets, "the selection is read only once a list is chosen").not.toHaveBeenCalled();
  await fireEvent.click(await screen.findByRole("button", { name: /Noir/ }));
  await waitFor(() => expect(addToList).toHaveBeenCalledWith(3, [{ kind: "track", id: 1 }, { kind: "track", id: 2 }], null));
  expect((await screen.findByText("Added 2 to “Noir”.")).getAttribute("role")).toBe("status");
  expect(opener.getAttribute("aria-expanded")).toBe("false");
});

test("the add-to-list button toggles its menu", async () => {
  render(BulkBar, { backend: fakeBackend({ lists: async () => [] }), kind: "album", count: 1, selection: 1, targets: async () => [], onDone: () => {} });
  const opener = screen.getByRole("button", { name: "Add to list…" });
  await fireEvent.pointerDown(opener);
  await fireEvent.click(opener);
  expect(await screen.findByText("You have no lists yet.")).toBeTruthy();
  await fireEvent.pointerDown(opener);
  await fireEvent.click(opener);
  expect(screen.queryByRole("dialog"), "a second press closes it rather than reopening").toBeNull();
});
