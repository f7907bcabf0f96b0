// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import { fakeBackend } from "../api/fake";
import type { TagCount } from "../api/types";
import TagInput from "./TagInput.svelte";

const HOSTILE = `<img src=x onerror="window.__pwned=1">`;

function count(id: number, name: string, albums = 1): TagCount {
  return { id, name, color: null, albums, tracks: 0, works: 0 };
}

function setup(tags: string[] = [], known: TagCount[] = [count(1, "Ambient", 3), count(2, "choir", 5), count(3, "main theme", 1)]) {
  const onAdd = vi.fn();
  const onRemove = vi.fn();
  const backend = fakeBackend({ tags: vi.fn(async () => known) });
  const view = render(TagInput, { backend, tags, onAdd, onRemove });
  const input = screen.getByRole("combobox") as HTMLInputElement;
  return { ...view, onAdd, onRemove, backend, input };
}

test("suggests existing tags as you type, prefix first, and Enter picks the highlighted one", async () => {
  const { input, onAdd } = setup();
  await fireEvent.focus(input);
  await fireEvent.input(input, { target: { value: "m" } });
  await waitFor(() => expect(screen.getAllByRole("option").map((o) => o.textContent?.trim())).toEqual(["main theme", "Ambient", "Create “m”"]));
  expect(input.getAttribute("aria-expanded")).toBe("true");
  await fireEvent.keyDown(input, { key: "ArrowDown" });
  await fireEvent.keyDown(input, { key: "ArrowDown" });
  expect(screen.getAllByRole("option")[1].getAttribute("aria-selected")).toBe("true");
  expect(input.getAttribute("aria-activedescendant")).toBe(screen.getAllByRole("option")[1].id);
  await fireEvent.keyDown(input, { key: "Enter" });
  expect(onAdd.mock.calls).toEqual([["Ambient"]]);
  expect(input.value, "the field empties for the next tag").toBe("");
});

test("Enter on new text creates it; typed text that names a tag reuses its spelling", async () => {
  const { input, onAdd } = setup();
  await fireEvent.input(input, { target: { value: "  Love   theme " } });
  await fireEvent.keyDown(input, { key: "Enter" });
  await fireEvent.input(input, { target: { value: "CHOIR" } });
  await waitFor(() => expect(screen.queryByText(/Create/)).toBeNull());
  await fireEvent.keyDown(input, { key: "Enter" });
  expect(onAdd.mock.calls).toEqual([["Love theme"], ["choir"]]);
});

test("clicking a suggestion adds it; tags already applied are not suggested", async () => {
  const { input, onAdd } = setup(["choir"]);
  await fireEvent.input(input, { target: { value: "" } });
  await fireEvent.keyDown(input, { key: "ArrowDown" });
  await waitFor(() => expect(screen.getAllByRole("option").map((o) => o.textContent?.trim())).toEqual(["Ambient", "main theme"]));
  await fireEvent.click(screen.getByRole("option", { name: "main theme" }));
  expect(onAdd).toHaveBeenCalledWith("main theme");
});

test("Escape closes the list without adding", async () => {
  const { input, onAdd } = setup();
  await fireEvent.input(input, { target: { value: "amb" } });
  await waitFor(() => expect(input.getAttribute("aria-expanded")).toBe("true"));
  await fireEvent.keyDown(input, { key: "Escape" });
  expect(input.getAttribute("aria-expanded")).toBe("false");
  expect(onAdd).not.toHaveBeenCalled();
});

test("chips remove their tag", async () => {
  const { onRemove } = setup(["choir", "Ambient"]);
  await fireEvent.click(screen.getByRole("button", { name: "Remove tag Ambient" }));
  expect(onRemove).toHaveBeenCalledWith("Ambient");
});

test("without onRemove, chips have no remove button", () => {
  render(TagInput, { backend: fakeBackend({}), tags: ["choir"], onAdd: () => {} });
  expect(screen.getByText("choir")).toBeTruthy();
  expect(screen.queryByRole("button")).toBeNull();
});

test("HOSTILE: a tag name with markup is shown as text, in chips and suggestions", async () => {
  const { container, input } = setup([HOSTILE], [count(1, HOSTILE), count(2, `${HOSTILE}2`)]);
  await fireEvent.input(input, { target: { value: "<img" } });
  await waitFor(() => expect(screen.getAllByRole("option").length, "the applied one is not suggested").toBe(2));
  expect(container.querySelector(".chip")?.textContent).toContain(HOSTILE);
  expect(screen.getAllByRole("option")[0].textContent?.trim()).toBe(`${HOSTILE}2`);
  expect(container.querySelector("img"), "no element from a tag name").toBeNull();
  expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
});

test("a failure to load the tags is shown, and typing still creates", async () => {
  const onAdd = vi.fn();
  render(TagInput, { backend: fakeBackend({ tags: () => Promise.reject({ code: "catalog", message: "db locked" }) }), tags: [], onAdd });
  const input = screen.getByRole("combobox");
  await fireEvent.input(input, { target: { value: "new" } });
  expect((await screen.findByRole("alert")).textContent).toContain("db locked");
  await fireEvent.keyDown(input, { key: "Enter" });
  expect(onAdd).toHaveBeenCalledWith("new");
});
