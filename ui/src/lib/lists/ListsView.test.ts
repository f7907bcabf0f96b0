// @vitest-environment jsdom
import { createEvent, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

import type { Backend } from "../api/backend";
import { ITEMS_MIME } from "../dragitems";
import { Player } from "../player/player.svelte";
import type { ListsPane } from "./lists";
import ListsView from "./ListsView.svelte";
import { dataTransfer, entry, info, listStore, type Stored } from "./testing";

function lists(): Stored[] {
  return [
    { info: info(1, { name: "Best of 1982" }), entries: [entry(1), entry(2), entry(3, { kind: "placeholder", album_id: null, available: false })] },
    { info: info(2, { name: "Noir", query: { scope: "tracks", query: "tag:noir" } }), entries: [] },
  ];
}

function setup(stored: Stored[] = lists(), parts: Partial<Backend> = {}, props: { pending?: number; pane?: ListsPane } = {}) {
  const store = listStore(stored, parts);
  const onwishlistchanged = vi.fn();
  const onopenalbum = vi.fn();
  render(ListsView, {
    props: {
      backend: store.backend,
      player: new Player(store.backend),
      revision: 0,
      pending: props.pending ?? 0,
      pane: props.pane ?? null,
      onopenalbum,
      onwishlistchanged,
    },
  });
  return { ...store, onwishlistchanged, onopenalbum };
}

function sidebarItem(name: RegExp): HTMLElement {
  return within(screen.getByRole("list", { name: "Your lists" })).getByRole("button", { name });
}

describe("the Lists view", () => {
  it("lists every list with its count and marks, and opens the first", async () => {
    setup();
    const plain = await screen.findByRole("button", { name: "Best of 1982 , 3 entries · 1 wished for" });
    expect(plain.getAttribute("aria-current"), "the first list opens").toBe("page");
    expect(plain.querySelector(".wishes")?.textContent?.trim()).toBe("1");
    const smart = sidebarItem(/^Noir/);
    expect(smart.textContent).toContain("Smart list");
    expect(smart.querySelector(".icon.smart")).toBeTruthy();
    expect(await screen.findByRole("button", { name: "Rename the list Best of 1982" })).toBeTruthy();
  });

  it("creates a list with its name and numbering, then shows it", async () => {
    const { calls } = setup();
    await fireEvent.click(await screen.findByRole("button", { name: "New list" }));
    const name = screen.getByRole("textbox", { name: "Name" });
    expect(document.activeElement).toBe(name);
    await fireEvent.input(name, { target: { value: "Desert island scores" } });
    await fireEvent.click(screen.getByRole("radio", { name: "1 → N" }));
    await fireEvent.click(screen.getByRole("button", { name: "Create list" }));
    await waitFor(() => expect(calls).toEqual([["createList", "Desert island scores", "ascending"]]));
    expect(await screen.findByRole("button", { name: "Rename the list Desert island scores" })).toBeTruthy();
    await waitFor(() => expect(sidebarItem(/^Desert island scores/).getAttribute("aria-current")).toBe("page"));
  });

  it("asks for a name before creating a list; Cancel goes back to the list that was open", async () => {
    const { calls } = setup();
    await fireEvent.click(await screen.findByRole("button", { name: /^Noir/ }));
    await screen.findByRole("button", { name: "Rename the list Noir" });
    await fireEvent.click(screen.getByRole("button", { name: "New list" }));
    await fireEvent.click(screen.getByRole("button", { name: "Create list" }));
    expect(screen.getByRole("alert").textContent).toBe("A list needs a name.");
    expect(calls).toEqual([]);
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(await screen.findByRole("button", { name: "Rename the list Noir" })).toBeTruthy();
  });

  it("creates a smart list from a search, its order and a limit", async () => {
    const albumGroups = vi.fn(async () => [{ label: "1982", count: 3 }]);
    const { calls } = setup(lists(), { albumGroups });
    await fireEvent.click(await screen.findByRole("button", { name: "New smart list" }));
    const form = screen.getByRole("form", { name: "New smart list" });
    await fireEvent.input(within(form).getByRole("textbox", { name: "Name" }), { target: { value: "Horner films" } });
    await fireEvent.click(within(form).getByRole("radio", { name: "Albums" }));
    await fireEvent.input(within(form).getByRole("searchbox", { name: "Search" }), { target: { value: "composer:horner" } });
    await fireEvent.change(within(form).getByRole("combobox", { name: "Order" }), { target: { value: "year" } });
    await fireEvent.change(within(form).getByRole("combobox", { name: "Kind" }), { target: { value: "film" } });
    await fireEvent.input(within(form).getByRole("textbox", { name: "At most" }), { target: { value: "10" } });
    await waitFor(() => expect(within(form).getByText("3 albums match.")).toBeTruthy());
    expect(albumGroups).toHaveBeenLastCalledWith({ query: "composer:horner", arrange: "year", kind: "film" });
    await fireEvent.click(within(form).getByRole("button", { name: "Create smart list" }));
    await waitFor(() =>
      expect(calls).toEqual([
        ["createSmartList", "Horner films", { scope: "albums", query: "composer:horner", arrange: "year", kind: "film", limit: 10 }],
      ]),
    );
    expect(await screen.findByText("Nothing matches this search now.")).toBeTruthy();
  });

  it("shows a search the app cannot read as the search's own error, before saving", async () => {
    const searchTracks = vi.fn(() => Promise.reject({ code: "bad_query", message: "rating: takes 0 to 5" }));
    const createSmartList = vi.fn(() => Promise.reject({ code: "bad_query", message: "rating: takes 0 to 5" }));
    setup(lists(), { searchTracks, createSmartList });
    await fireEvent.click(await screen.findByRole("button", { name: "New smart list" }));
    const form = screen.getByRole("form", { name: "New smart list" });
    await fireEvent.input(within(form).getByRole("textbox", { name: "Name" }), { target: { value: "Bad" } });
    await fireEvent.input(within(form).getByRole("searchbox", { name: "Search" }), { target: { value: "rating:9" } });
    await waitFor(() => expect(form.querySelector(".count.bad")?.textContent).toBe("rating: takes 0 to 5"));
    await fireEvent.click(within(form).getByRole("button", { name: "Create smart list" }));
    expect((await within(form).findByRole("alert")).textContent).toBe("rating: takes 0 to 5");
  });

  it("opens the next list after deleting the open one", async () => {
    const { calls } = setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Delete…" }));
    await fireEvent.click(screen.getByRole("button", { name: "Delete list" }));
    await waitFor(() => expect(calls).toEqual([["deleteList", 1]]));
    expect(await screen.findByRole("button", { name: "Rename the list Noir" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: /^Best of 1982/ })).toBeNull();
    expect(screen.getByRole("status").textContent).toContain("Deleted “Best of 1982”.");
  });

  it("adds albums and tracks dropped on a list in the sidebar at its end; a smart list takes none", async () => {
    const { calls, onwishlistchanged } = setup();
    const target = await screen.findByRole("button", { name: /^Best of 1982/ });
    await screen.findByRole("grid");
    const dt = dataTransfer();
    dt.setData(ITEMS_MIME, JSON.stringify([{ kind: "album", id: 40 }, { kind: "track", id: 9 }]));
    const over = createEvent.dragOver(target, { dataTransfer: dt });
    await fireEvent(target, over);
    expect(over.defaultPrevented, "a plain list takes the drop").toBe(true);
    expect(target.classList.contains("over")).toBe(true);
    await fireEvent.drop(target, { dataTransfer: dt });
    await waitFor(() => expect(calls).toEqual([["addToList", 1, [{ kind: "album", id: 40 }, { kind: "track", id: 9 }], null]]));
    expect((await screen.findByText(/Added 2 entries to “Best of 1982”\./)).textContent).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId("list-entry")).toHaveLength(5));
    await waitFor(() => expect(sidebarItem(/^Best of 1982/).textContent, "the count follows").toContain("5 entries"));
    expect(onwishlistchanged).toHaveBeenCalled();

    const smart = sidebarItem(/^Noir/);
    const refused = createEvent.dragOver(smart, { dataTransfer: dt });
    await fireEvent(smart, refused);
    expect(refused.defaultPrevented, "a smart list's entries are what its search finds").toBe(false);
  });

  it("takes entries dragged from a list page into other lists, never back into their own", async () => {
    const stored = [...lists(), { info: info(3, { name: "Wanted" }), entries: [] }];
    setup(stored);
    await screen.findByRole("grid");
    const dt = dataTransfer();
    await fireEvent.dragStart(screen.getAllByTestId("list-entry")[0], { dataTransfer: dt });
    const own = createEvent.dragOver(sidebarItem(/^Best of 1982/), { dataTransfer: dt });
    await fireEvent(sidebarItem(/^Best of 1982/), own);
    expect(own.defaultPrevented, "its own list").toBe(false);
    const other = createEvent.dragOver(sidebarItem(/^Wanted/), { dataTransfer: dt });
    await fireEvent(sidebarItem(/^Wanted/), other);
    expect(other.defaultPrevented, "another plain list").toBe(true);
  });

  it("offers the wishlist matches when some are waiting", async () => {
    setup(lists(), { resolutions: async () => [] }, { pending: 2 });
    await fireEvent.click(await screen.findByRole("button", { name: /Wishlist matches/ }));
    expect(await screen.findByTestId("resolutions")).toBeTruthy();
  });

  it("welcomes the collector when there are no lists yet", async () => {
    setup([]);
    expect(await screen.findByText(/Rank your favourite scores/)).toBeTruthy();
    expect(screen.getByText("No lists yet.")).toBeTruthy();
  });

  it("opens the import dialog from the sidebar, and closes it when no file is picked", async () => {
    const pickImportFile = vi.fn(async () => null);
    setup(lists(), { pickImportFile });
    await fireEvent.click(await screen.findByRole("button", { name: "Import…" }));
    await waitFor(() => expect(pickImportFile).toHaveBeenCalled());
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("exports the whole collection from the sidebar", async () => {
    setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Export whole collection…" }));
    expect(await screen.findByRole("dialog")).toBeTruthy();
  });
});
