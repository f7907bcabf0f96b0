// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { ListInfo, ListItem, ListSummary } from "../api/types";
import AddToListMenu from "./AddToListMenu.svelte";

const summary = (id: number, name: string, smart = false): ListSummary => ({
  id, name, smart, ranking: "none", entries: id, placeholders: 0, updated_at: 0,
});

const lists = [summary(1, "Summer favourites"), summary(2, "Five stars", true), summary(3, "Noir")];
const items: ListItem[] = [{ kind: "track", id: 7 }, { kind: "track", id: 8 }, { kind: "track", id: 9 }];

function setup(parts: Partial<Backend>) {
  const onadded = vi.fn();
  const onclose = vi.fn();
  render(AddToListMenu, {
    backend: fakeBackend({ lists: async () => lists, ...parts }),
    at: { x: 10, y: 10 },
    what: "3 tracks",
    items: async () => items,
    onadded,
    onclose,
  });
  return { onadded, onclose };
}

describe("AddToListMenu", () => {
  it("offers the plain lists, filters them, and adds the items to the one chosen", async () => {
    const addToList = vi.fn(async () => [101, 102, 103]);
    const { onadded, onclose } = setup({ addToList });
    await screen.findByRole("button", { name: /Summer favourites/ });
    expect(screen.queryByRole("button", { name: /Five stars/ }), "a smart list fills itself").toBeNull();
    await fireEvent.input(screen.getByRole("searchbox", { name: "Find a list" }), { target: { value: "noi" } });
    expect(screen.queryByRole("button", { name: /Summer/ })).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: /Noir/ }));
    await waitFor(() => expect(addToList).toHaveBeenCalledWith(3, items, null));
    expect(onadded).toHaveBeenCalledWith("Added 3 to “Noir”.", 3);
    expect(onclose).toHaveBeenCalled();
  });

  it("says when some were already in the list", async () => {
    const { onadded } = setup({ addToList: async () => [101] });
    await fireEvent.click(await screen.findByRole("button", { name: /Summer favourites/ }));
    await waitFor(() => expect(onadded).toHaveBeenCalledWith("Added 1 to “Summer favourites”; the other 2 were already there.", 1));
  });

  it("adds to the first match on Enter in the filter", async () => {
    const addToList = vi.fn(async () => [1, 2, 3]);
    setup({ addToList });
    const filter = await screen.findByRole("searchbox", { name: "Find a list" });
    await screen.findByRole("button", { name: /Noir/ });
    await fireEvent.input(filter, { target: { value: "summer" } });
    await fireEvent.keyDown(filter, { key: "Enter" });
    await waitFor(() => expect(addToList).toHaveBeenCalledWith(1, items, null));
  });

  it("creates a new list, then adds to it", async () => {
    const created: ListInfo = { id: 44, name: "Road trip", note: null, note_html: null, ranking: "none", query: null, created_at: 0, updated_at: 0 };
    const createList = vi.fn(async () => created);
    const addToList = vi.fn(async () => [1, 2, 3]);
    const { onadded } = setup({ createList, addToList });
    await fireEvent.click(await screen.findByRole("button", { name: "New list…" }));
    const name = screen.getByRole("textbox", { name: "Name of the new list" });
    await waitFor(() => expect(document.activeElement).toBe(name));
    await fireEvent.input(name, { target: { value: "  Road trip " } });
    await fireEvent.click(screen.getByRole("button", { name: "Create and add" }));
    await waitFor(() => expect(addToList).toHaveBeenCalledWith(44, items, null));
    expect(createList).toHaveBeenCalledWith("Road trip", "none");
    expect(onadded).toHaveBeenCalledWith("Added 3 to “Road trip”.", 44);
  });

  it("shows why adding failed and stays open", async () => {
    const { onclose } = setup({ addToList: () => Promise.reject({ code: "bad_list", message: "list 3 not found" }) });
    await fireEvent.click(await screen.findByRole("button", { name: /Noir/ }));
    expect((await screen.findByRole("alert")).textContent).toBe("Could not add to “Noir”: list 3 not found");
    expect(onclose).not.toHaveBeenCalled();
  });

  it("closes on Escape and on a press outside", async () => {
    const { onclose } = setup({});
    const filter = await screen.findByRole("searchbox", { name: "Find a list" });
    await fireEvent.keyDown(filter, { key: "Escape" });
    expect(onclose).toHaveBeenCalledTimes(1);
    await fireEvent.pointerDown(document.body);
    expect(onclose).toHaveBeenCalledTimes(2);
  });
});
