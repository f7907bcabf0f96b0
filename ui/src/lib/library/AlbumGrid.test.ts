// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

import { fakeBackend } from "../api/fake";
import type { AlbumGroup, AlbumQuery, AlbumRow, ExportSource, ListItem, ListSummary, Target } from "../api/types";
import { ITEMS_MIME } from "../dragitems";
import AlbumGrid from "./AlbumGrid.svelte";

function album(offset: number): AlbumRow {
  return {
    id: 1000 + offset,
    title: offset === 0 ? "千と千尋の神隠し" : `Album ${offset}`,
    album_artist: null,
    composer: "Joe Hisaishi",
    year: 2001,
    label: null,
    work: null,
    work_kind: offset % 2 === 0 ? "film" : "game",
    tracks: 10,
    missing: 0,
    discs: 1,
    duration_ms: 3_000_000,
    cover_hash: offset === 1 ? "abc123" : null,
    added_at: 0,
    rating: null,
  };
}

/** 10,000 albums in 100 groups of 100; `albumGroups` answers are held when `hold` says so. */
function library() {
  const groupsAsked: AlbumQuery[] = [];
  const albumsAsked: [number, number][] = [];
  const held = new Map<string, () => void>();
  let hold: ((q: AlbumQuery) => boolean) | null = null;
  const groups = (q: AlbumQuery): AlbumGroup[] =>
    Array.from({ length: 100 }, (_, i) => ({ label: `${q.query || "G"}${i}`, count: 100 }));
  const backend = fakeBackend({
    albumGroups: (q) => {
      groupsAsked.push(q);
      return new Promise((resolve) => {
        const answer = () => resolve(groups(q));
        if (hold?.(q)) held.set(q.query, answer);
        else answer();
      });
    },
    albums: async (_q, offset, limit) => {
      albumsAsked.push([offset, limit]);
      return Array.from({ length: Math.min(limit, 10_000 - offset) }, (_, i) => album(offset + i));
    },
  });
  return { backend, groupsAsked, albumsAsked, held, setHold: (h: typeof hold) => (hold = h) };
}

describe("AlbumGrid", () => {
  it("renders only the first rows of 10,000 albums, fetched by range, and marks the first cards once", async () => {
    const mark = vi.spyOn(performance, "mark");
    const lib = library();
    render(AlbumGrid, { backend: lib.backend, query: "", revision: 0, onOpen: () => {} });
    await waitFor(() => expect(screen.getAllByTestId("album-card").length).toBeGreaterThan(0));
    expect(screen.getByText("10,000 albums")).toBeTruthy();
    const cards = screen.getAllByTestId("album-card");
    expect(cards.length, "a few screens of cards, not 10,000").toBeLessThan(60);
    expect(lib.albumsAsked, "one chunk of 120 covers the first screens").toEqual([[0, 120]]);
    expect(cards[0].textContent).toContain("千と千尋の神隠し");
    expect(cards[0].querySelector("img"), "no cover: a placeholder").toBeNull();
    expect(cards[0].querySelector(".placeholder")?.textContent?.trim()).toBe("千");
    expect(cards[1].querySelector("img")?.getAttribute("src")).toBe("cover://localhost/abc123");
    expect(cards[1].querySelector("img")?.getAttribute("loading")).toBe("lazy");
    expect(cards[0].textContent).toContain("Film");
    expect(cards[1].textContent).toContain("Game");
    expect(screen.getByRole("heading", { name: /G0/ })).toBeTruthy();
    expect(mark.mock.calls.filter(([m]) => m === "cuebook:first-albums").length).toBe(1);
    mark.mockRestore();
  });

  it("asks again with the arrangement and kind the user picks", async () => {
    const lib = library();
    render(AlbumGrid, { backend: lib.backend, query: "hisaishi", revision: 0, onOpen: () => {} });
    await waitFor(() => expect(lib.groupsAsked.length).toBe(1));
    await fireEvent.change(screen.getByRole("combobox", { name: /Arrange by/ }), { target: { value: "year" } });
    await fireEvent.click(screen.getByRole("button", { name: "Game" }));
    await waitFor(() =>
      expect(lib.groupsAsked.at(-1)).toEqual({ query: "hisaishi", arrange: "year", kind: "game" }),
    );
    expect(lib.groupsAsked[0]).toEqual({ query: "hisaishi", arrange: "title", kind: null });
    expect(screen.getByRole("button", { name: "Game" }).getAttribute("aria-pressed")).toBe("true");
  });

  it("ignores the headings of a query the user has already replaced", async () => {
    const lib = library();
    lib.setHold((q) => q.query === "slow");
    const view = render(AlbumGrid, { backend: lib.backend, query: "slow", revision: 0, onOpen: () => {} });
    await view.rerender({ backend: lib.backend, query: "fast", revision: 0, onOpen: () => {} });
    await screen.findByRole("heading", { name: /fast0/ });
    lib.held.get("slow")!();
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.queryByRole("heading", { name: /slow0/ }), "the late answer is dropped").toBeNull();
    expect(screen.getByRole("heading", { name: /fast0/ })).toBeTruthy();
  });

  it("opens a card on click and moves focus with arrow keys", async () => {
    const lib = library();
    const onOpen = vi.fn();
    render(AlbumGrid, { backend: lib.backend, query: "", revision: 0, onOpen });
    await waitFor(() => expect(screen.getAllByTestId("album-card").length).toBeGreaterThan(3));
    const first = screen.getAllByTestId("album-card")[0];
    await fireEvent.click(first);
    expect(onOpen).toHaveBeenCalledWith(1000);
    first.focus();
    await fireEvent.keyDown(first, { key: "ArrowRight" });
    await waitFor(() => expect((document.activeElement as HTMLElement).dataset.offset).toBe("1"));
    await fireEvent.keyDown(document.activeElement!, { key: "ArrowDown" });
    await waitFor(() => expect((document.activeElement as HTMLElement).dataset.offset, "5 columns at the fallback width").toBe("6"));
    const stops = screen.getAllByTestId("album-card").filter((c) => c.tabIndex === 0);
    expect(stops.map((c) => c.dataset.offset), "one tab stop: the card last focused").toEqual(["6"]);
  });

  it("keeps the cards on screen while a rescan's albums load, then shows the new ones", async () => {
    let release: () => void = () => {};
    let round = 0;
    const backend = fakeBackend({
      albumGroups: async () => [{ label: "A", count: 3 }],
      albums: (_q, offset, limit) => {
        const r = round;
        const rows = Array.from({ length: Math.min(limit, 3 - offset) }, (_, i) => ({ ...album(offset + i), title: `Round ${r}` }));
        return r === 0 ? Promise.resolve(rows) : new Promise((done) => (release = () => done(rows)));
      },
    });
    const view = render(AlbumGrid, { backend, query: "", revision: 0, onOpen: () => {} });
    await waitFor(() => expect(screen.getAllByText("Round 0").length).toBe(3));
    round = 1;
    await view.rerender({ backend, query: "", revision: 1, onOpen: () => {} });
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getAllByTestId("album-card").length, "no flash of empty cards").toBe(3);
    release();
    await waitFor(() => expect(screen.getAllByText("Round 1").length).toBe(3));
  });

  it("selects with Ctrl+click and Shift+click, rates the selection, and asks for the albums again", async () => {
    const lib = library();
    const rate = vi.fn(async (_targets: Target[], _rating: number | null) => {});
    const backend = { ...lib.backend, rate };
    const onOpen = vi.fn();
    render(AlbumGrid, { backend, query: "", revision: 0, onOpen });
    await waitFor(() => expect(screen.getAllByTestId("album-card").length).toBeGreaterThan(8));
    const card = (i: number) => screen.getAllByTestId("album-card")[i];
    await fireEvent.click(card(1), { ctrlKey: true });
    await fireEvent.click(card(4), { shiftKey: true });
    await fireEvent.click(card(3), { metaKey: true });
    expect(onOpen, "modified clicks select, they do not open").not.toHaveBeenCalled();
    expect(screen.getByText("3 albums selected")).toBeTruthy();
    expect(screen.getAllByTestId("album-card").filter((c) => c.dataset.selected === "true").map((c) => c.dataset.offset)).toEqual(["1", "2", "4"]);
    expect(card(1).textContent, "the selected state is in the card's name").toContain("Selected:");
    const asked = lib.albumsAsked.length;
    await fireEvent.click(screen.getByRole("radio", { name: "3 stars" }));
    await waitFor(() => expect(rate).toHaveBeenCalledTimes(1));
    expect(rate.mock.calls[0]).toEqual([[1001, 1002, 1004].map((id) => ({ kind: "album", id })), 3]);
    expect(await screen.findByText("Rated 3 albums 3 of 5.")).toBeTruthy();
    await waitFor(() => expect(lib.albumsAsked.length, "the albums on screen are asked for again").toBeGreaterThan(asked));
    expect(screen.getByText("3 albums selected")).toBeTruthy();

    await fireEvent.keyDown(card(0), { key: "Escape" });
    expect(screen.queryByText(/selected$/), "Escape clears the selection").toBeNull();
    await fireEvent.click(card(2));
    expect(onOpen, "a plain click still opens the album").toHaveBeenCalledWith(1002);
  });

  it("toggles the focused card with Space and tags the selection", async () => {
    const lib = library();
    const tag = vi.fn(async () => 2);
    const backend = { ...lib.backend, tag, tags: async () => [] };
    const onOpen = vi.fn();
    render(AlbumGrid, { backend, query: "", revision: 0, onOpen });
    await waitFor(() => expect(screen.getAllByTestId("album-card").length).toBeGreaterThan(3));
    const first = screen.getAllByTestId("album-card")[0];
    first.focus();
    await fireEvent.keyDown(first, { key: " " });
    await fireEvent.keyUp(first, { key: " " });
    await fireEvent.keyDown(first, { key: "ArrowRight" });
    await waitFor(() => expect((document.activeElement as HTMLElement).dataset.offset).toBe("1"));
    await fireEvent.keyDown(document.activeElement!, { key: " " });
    expect(screen.getByText("2 albums selected")).toBeTruthy();
    expect(onOpen).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole("button", { name: "Tag 2 albums…" }));
    const input = screen.getByRole("combobox", { name: "Tag to add to 2 albums" });
    await fireEvent.input(input, { target: { value: "noir" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(tag).toHaveBeenCalledWith([{ kind: "album", id: 1000 }, { kind: "album", id: 1001 }], ["noir"]));
    expect(await screen.findByText("Tagged 2 albums “noir”.")).toBeTruthy();
  });

  it("shows a compact rating on rated albums", async () => {
    const backend = fakeBackend({
      albumGroups: async () => [{ label: "A", count: 2 }],
      albums: async () => [{ ...album(0), rating: 4 }, album(1)],
    });
    render(AlbumGrid, { backend, query: "", revision: 0, onOpen: () => {} });
    await waitFor(() => expect(screen.getAllByTestId("album-card").length).toBe(2));
    const [rated, unrated] = screen.getAllByTestId("album-card");
    expect(rated.querySelector('[role="img"]')?.getAttribute("aria-label")).toBe("Rated 4 of 5");
    expect(unrated.querySelector('[role="img"]')).toBeNull();
  });

  it("says when nothing matches and shows errors", async () => {
    const empty = fakeBackend({ albumGroups: async () => [], albums: async () => [] });
    const view = render(AlbumGrid, { backend: empty, query: "zzz", revision: 0, onOpen: () => {} });
    expect(await screen.findByText("No albums match.")).toBeTruthy();
    view.unmount();
    const failing = fakeBackend({ albumGroups: () => Promise.reject({ code: "bad_query", message: "year: expects a year" }) });
    render(AlbumGrid, { backend: failing, query: "year:x", revision: 0, onOpen: () => {} });
    expect((await screen.findByRole("alert")).textContent).toBe("year: expects a year");
  });

  it("adds a right-clicked album to a list from its context menu", async () => {
    const lib = library();
    const lists: ListSummary[] = [{ id: 8, name: "Ghibli", ranking: "none", smart: false, entries: 0, placeholders: 0, updated_at: 0 }];
    const addToList = vi.fn(async (_id: number, _items: ListItem[], _before: number | null) => [1]);
    const onOpen = vi.fn();
    render(AlbumGrid, { backend: { ...lib.backend, lists: async () => lists, addToList }, query: "", revision: 0, onOpen });
    await waitFor(() => expect(screen.getAllByTestId("album-card").length).toBeGreaterThan(3));
    await fireEvent.contextMenu(screen.getAllByTestId("album-card")[2], { clientX: 300, clientY: 200 });
    const menu = screen.getByRole("menu", { name: "Album Album 2" });
    expect([...menu.querySelectorAll("[role=menuitem]")].map((m) => m.textContent?.trim())).toEqual([
      "Open album", "Add to list…", "Select",
    ]);
    await fireEvent.click(screen.getByRole("menuitem", { name: "Add to list…" }));
    expect(screen.getByRole("dialog", { name: "Add “Album 2” to a list" })).toBeTruthy();
    await fireEvent.click(await screen.findByRole("button", { name: /Ghibli/ }));
    await waitFor(() => expect(addToList).toHaveBeenCalledTimes(1));
    expect(addToList.mock.calls[0]).toEqual([8, [{ kind: "album", id: 1002 }], null]);
    expect(await screen.findByText("Added 1 to “Ghibli”.")).toBeTruthy();
    expect(onOpen).not.toHaveBeenCalled();
  });

  it("acts on the selection from a selected card's menu, opened with Shift+F10", async () => {
    const lib = library();
    const lists: ListSummary[] = [{ id: 8, name: "Ghibli", ranking: "none", smart: false, entries: 0, placeholders: 0, updated_at: 0 }];
    const addToList = vi.fn(async (_id: number, items: ListItem[], _before: number | null) => items.map((_, i) => i));
    render(AlbumGrid, { backend: { ...lib.backend, lists: async () => lists, addToList }, query: "", revision: 0, onOpen: () => {} });
    await waitFor(() => expect(screen.getAllByTestId("album-card").length).toBeGreaterThan(8));
    const card = (i: number) => screen.getAllByTestId("album-card")[i];
    await fireEvent.click(card(1), { ctrlKey: true });
    await fireEvent.click(card(3), { shiftKey: true });
    card(3).focus();
    await fireEvent.keyDown(card(3), { key: "F10", shiftKey: true });
    await fireEvent.click(screen.getByRole("menuitem", { name: "Add 3 albums to list…" }));
    await fireEvent.click(await screen.findByRole("button", { name: /Ghibli/ }));
    await waitFor(() => expect(addToList).toHaveBeenCalledTimes(1));
    expect(addToList.mock.calls[0]).toEqual([8, [1001, 1002, 1003].map((id) => ({ kind: "album", id })), null]);
    expect(await screen.findByText("Added 3 to “Ghibli”.")).toBeTruthy();
  });

  it("adds the selection from the selection bar", async () => {
    const lib = library();
    const lists: ListSummary[] = [{ id: 8, name: "Ghibli", ranking: "none", smart: false, entries: 0, placeholders: 0, updated_at: 0 }];
    const addToList = vi.fn(async () => [1, 2]);
    render(AlbumGrid, { backend: { ...lib.backend, lists: async () => lists, addToList }, query: "", revision: 0, onOpen: () => {} });
    await waitFor(() => expect(screen.getAllByTestId("album-card").length).toBeGreaterThan(8));
    await fireEvent.click(screen.getAllByTestId("album-card")[5], { ctrlKey: true });
    await fireEvent.click(screen.getAllByTestId("album-card")[7], { ctrlKey: true });
    await fireEvent.click(screen.getByRole("button", { name: "Add to list…" }));
    await fireEvent.click(await screen.findByRole("button", { name: /Ghibli/ }));
    await waitFor(() => expect(addToList).toHaveBeenCalledWith(8, [{ kind: "album", id: 1005 }, { kind: "album", id: 1007 }], null));
  });

  it("drags a selected card with the whole selection, and another card alone", async () => {
    const lib = library();
    render(AlbumGrid, { backend: lib.backend, query: "", revision: 0, onOpen: () => {} });
    await waitFor(() => expect(screen.getAllByTestId("album-card").length).toBeGreaterThan(8));
    const card = (i: number) => screen.getAllByTestId("album-card")[i];
    expect(card(0).getAttribute("draggable")).toBe("true");
    await fireEvent.click(card(1), { ctrlKey: true });
    await fireEvent.click(card(4), { ctrlKey: true });
    const data = new Map<string, string>();
    const dt = { effectAllowed: "none", setData: (t: string, v: string) => data.set(t, v) };
    await fireEvent.dragStart(card(4), { dataTransfer: dt });
    expect(JSON.parse(data.get(ITEMS_MIME)!)).toEqual([{ kind: "album", id: 1001 }, { kind: "album", id: 1004 }]);
    expect(data.get("text/plain")).toBe("2 albums");
    data.clear();
    await fireEvent.dragStart(card(0), { dataTransfer: dt });
    expect(JSON.parse(data.get(ITEMS_MIME)!)).toEqual([{ kind: "album", id: 1000 }]);
    expect(data.get("text/plain")).toBe("千と千尋の神隠し");
    expect(screen.getByText("2 albums selected"), "dragging another card leaves the selection be").toBeTruthy();
  });

  it("exports the albums shown, with the arrangement and kind chosen", async () => {
    const lib = library();
    const exportList = vi.fn(async (_source: ExportSource) => ({ path: "/x/a.md", format: "markdown" as const, entries: 1, files: 0, bytes: 1 }));
    const pickExportTarget = vi.fn(async () => "/x/a.md");
    render(AlbumGrid, { backend: { ...lib.backend, exportList, pickExportTarget }, query: "hisaishi", revision: 0, onOpen: () => {} });
    await waitFor(() => expect(lib.groupsAsked.length).toBe(1));
    await fireEvent.change(screen.getByRole("combobox", { name: /Arrange by/ }), { target: { value: "year" } });
    await fireEvent.click(screen.getByRole("button", { name: "Film" }));
    await fireEvent.click(await screen.findByRole("button", { name: "Export…" }));
    await fireEvent.click(screen.getByRole("radio", { name: /^Markdown/ }));
    await fireEvent.click(screen.getByRole("button", { name: "Export as Markdown…" }));
    await waitFor(() => expect(exportList).toHaveBeenCalledTimes(1));
    expect(pickExportTarget).toHaveBeenCalledWith("Film albums – hisaishi", "markdown");
    expect(exportList.mock.calls[0][0]).toEqual({
      kind: "query",
      query: { scope: "albums", query: "hisaishi", arrange: "year", kind: "film" },
    });
  });
});
