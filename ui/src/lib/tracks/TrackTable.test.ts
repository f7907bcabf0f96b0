// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { ExportSource, ListItem, ListSummary, Target, TrackPage, TrackRow, TrackSort } from "../api/types";
import { ITEMS_MIME } from "../dragitems";
import { Player } from "../player/player.svelte";
import TrackTable from "./TrackTable.svelte";

function track(id: number): TrackRow {
  return {
    id,
    title: `Cue ${id}`,
    artists: [],
    composers: ["Yann Tiersen"],
    album_id: 7,
    album: "Amélie",
    work: null,
    disc_no: 1,
    track_no: (id % 20) + 1,
    year: 2001,
    duration_ms: 125_000,
    format: "flac",
    codec: null,
    sample_rate: 44100,
    bit_depth: 16,
    channels: 2,
    bitrate: null,
    path: `/music/${id}.flac`,
    missing_since: null,
    cover_hash: null,
    rating: null,
    cue: null,
    tags: [],
  };
}

/** A library of `total` tracks whose ids are their positions; records every request. */
function library(total: number) {
  const asked: { query: string; limit: number; offset: number; sort?: TrackSort }[] = [];
  const searchTracks = vi.fn(async (query: string, limit: number, offset: number, sort?: TrackSort): Promise<TrackPage> => {
    asked.push({ query, limit, offset, sort });
    const tracks: TrackRow[] = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) tracks.push(track(i));
    return { total, tracks };
  });
  return { asked, searchTracks };
}

function setup(backend: Partial<Backend>, query = "") {
  const b = fakeBackend(backend);
  const player = new Player(b);
  const onOpenAlbum = vi.fn();
  const view = render(TrackTable, { backend: b, query, revision: 0, player, onOpenAlbum });
  return { ...view, player, onOpenAlbum };
}

const lists: ListSummary[] = [
  { id: 5, name: "Summer favourites", ranking: "none", smart: false, entries: 2, placeholders: 0, updated_at: 0 },
  { id: 6, name: "Rated 5", ranking: "none", smart: true, entries: 0, placeholders: 0, updated_at: 0 },
];

/** A DataTransfer stand-in (jsdom has none) that keeps what a drag puts on it. */
function fakeDataTransfer() {
  const data = new Map<string, string>();
  return {
    data,
    effectAllowed: "none",
    types: [] as string[],
    setData(type: string, value: string) {
      data.set(type, value);
    },
    getData: (type: string) => data.get(type) ?? "",
  };
}

const rowTitles = () => screen.queryAllByTestId("track-row").map((r) => r.querySelector(".title")?.textContent);

describe("TrackTable", () => {
  it("renders only a window of 100,000 rows and fetches the chunks that scrolling reaches", async () => {
    const lib = library(100_000);
    setup({ searchTracks: lib.searchTracks });
    await screen.findByText("100,000 tracks");
    await waitFor(() => expect(rowTitles()[0]).toBe("Cue 0"));
    const rendered = screen.getAllByTestId("track-row").length;
    expect(rendered, "a screenful plus overscan, not the whole library").toBeLessThan(60);
    expect(rendered).toBeGreaterThan(10);
    expect(lib.asked.map((a) => a.offset), "the first chunk only").toEqual([0]);

    const table = screen.getByTestId("track-table");
    table.scrollTop = 50_000 * 32;
    await fireEvent.scroll(table);
    await waitFor(() => expect(rowTitles()).toContain("Cue 50000"));
    expect(lib.asked.map((a) => a.offset), "the chunk at 49,800 holds the overscan above row 50,000").toEqual([0, 49_800, 50_000]);
    expect(screen.getAllByTestId("track-row").length).toBeLessThan(60);
    expect(lib.asked.every((a) => a.limit === 200)).toBe(true);
  });

  it("sorts by a column on a header click and reverses on a second, with aria-sort", async () => {
    const lib = library(30);
    setup({ searchTracks: lib.searchTracks });
    await screen.findByText("30 tracks");
    const year = screen.getByRole("columnheader", { name: /Year/ });
    expect(year.getAttribute("aria-sort")).toBe("none");
    expect(screen.getByRole("columnheader", { name: /Album/ }).getAttribute("aria-sort")).toBe("ascending");
    await fireEvent.click(screen.getByRole("button", { name: "Year" }));
    await waitFor(() => expect(lib.asked.at(-1)?.sort).toEqual({ key: "year", descending: false }));
    await fireEvent.click(screen.getByRole("button", { name: /Year/ }));
    await waitFor(() => expect(lib.asked.at(-1)?.sort).toEqual({ key: "year", descending: true }));
    expect(year.getAttribute("aria-sort")).toBe("descending");
    expect(lib.asked[0].sort, "album order is asked for without a sort").toBeUndefined();
  });

  it("selects with clicks, ctrl-clicks and shift-clicks, and skims the selection", async () => {
    const lib = library(30);
    const skim = vi.fn(async () => {});
    setup({ searchTracks: lib.searchTracks, skim });
    await waitFor(() => expect(rowTitles()[5]).toBe("Cue 5"));
    const rows = () => screen.getAllByTestId("track-row");
    await fireEvent.click(rows()[2]);
    await fireEvent.click(rows()[5], { shiftKey: true });
    await fireEvent.click(rows()[9], { ctrlKey: true });
    await fireEvent.click(rows()[4], { metaKey: true });
    expect(screen.getByText("4 selected")).toBeTruthy();
    expect(rows().filter((r) => r.getAttribute("aria-selected") === "true").map((r) => r.dataset.index)).toEqual(["2", "3", "5", "9"]);
    await fireEvent.click(screen.getByRole("button", { name: "Skim selection" }));
    await waitFor(() => expect(skim).toHaveBeenCalledWith([2, 3, 5, 9]));
  });

  it("moves with the keyboard, selects all with Ctrl+A and previews with Enter", async () => {
    const lib = library(30);
    const preview = vi.fn(async () => {});
    setup({ searchTracks: lib.searchTracks, preview });
    await waitFor(() => expect(rowTitles()[0]).toBe("Cue 0"));
    const table = screen.getByTestId("track-table");
    await fireEvent.keyDown(table, { key: "ArrowDown" });
    await fireEvent.keyDown(table, { key: "ArrowDown" });
    await fireEvent.keyDown(table, { key: "ArrowDown", shiftKey: true });
    expect(screen.getByText("2 selected")).toBeTruthy();
    expect(table.getAttribute("aria-activedescendant")).toMatch(/-2$/);
    await fireEvent.keyDown(table, { key: "Enter" });
    await waitFor(() => expect(preview).toHaveBeenCalledWith(2));
    await fireEvent.keyDown(table, { key: "a", ctrlKey: true });
    expect(screen.getByText("30 selected")).toBeTruthy();
    await fireEvent.dblClick(screen.getAllByTestId("track-row")[7]);
    await waitFor(() => expect(preview).toHaveBeenLastCalledWith(7));
  });

  it("highlights the playing track and opens its album from the album cell", async () => {
    const lib = library(10);
    const { player, onOpenAlbum } = setup({ searchTracks: lib.searchTracks });
    player.status = { ...player.status, state: "playing", track_id: 3, mode: "preview" };
    await waitFor(() => expect(screen.getAllByTestId("track-row")[3].classList.contains("playing")).toBe(true));
    expect(screen.getAllByTestId("track-row")[2].classList.contains("playing")).toBe(false);
    await fireEvent.click(screen.getAllByRole("button", { name: "Amélie" })[0]);
    expect(onOpenAlbum).toHaveBeenCalledWith(7);
  });

  it("keeps the old rows until the new query's rows arrive, then starts at the top with nothing selected", async () => {
    const gates = new Map<string, () => void>();
    const searchTracks = (query: string, limit: number, offset: number): Promise<TrackPage> => {
      const page = { total: 5, tracks: Array.from({ length: 5 }, (_, i) => ({ ...track(i), title: `${query || "all"} ${i}` })) };
      if (query === "") return Promise.resolve(page);
      return new Promise((done) => gates.set(query, () => done(page)));
    };
    const b = fakeBackend({ searchTracks });
    const player = new Player(b);
    const view = render(TrackTable, { backend: b, query: "", revision: 0, player, onOpenAlbum: () => {} });
    await waitFor(() => expect(rowTitles()[0]).toBe("all 0"));
    await fireEvent.click(screen.getAllByTestId("track-row")[1]);
    expect(screen.getByText("1 selected")).toBeTruthy();
    await view.rerender({ backend: b, query: "hisaishi", revision: 0, player, onOpenAlbum: () => {} });
    await view.rerender({ backend: b, query: "zimmer", revision: 0, player, onOpenAlbum: () => {} });
    expect(rowTitles()[0], "no flash of empty rows").toBe("all 0");
    expect(screen.queryByText("1 selected"), "a new query starts a new selection").toBeNull();
    gates.get("zimmer")!();
    await waitFor(() => expect(rowTitles()[0]).toBe("zimmer 0"));
    gates.get("hisaishi")!();
    await new Promise((r) => setTimeout(r, 10));
    expect(rowTitles()[0], "the late answer to the older query is dropped").toBe("zimmer 0");
  });

  it("shows each track's cue, rating and tags, and sorts by cue and by rating", async () => {
    const lib = library(3);
    const searchTracks = async (query: string, limit: number, offset: number, sort?: TrackSort) => {
      const page = await lib.searchTracks(query, limit, offset, sort);
      page.tracks[0] = { ...page.tracks[0], cue: "1M1", rating: 4, tags: ["noir", '<img src=x onerror="window.__pwned=1">'] };
      return page;
    };
    setup({ searchTracks });
    await waitFor(() => expect(rowTitles()[0]).toBe("Cue 0"));
    const first = screen.getAllByTestId("track-row")[0];
    expect(first.querySelector(".cue")?.textContent).toBe("1M1");
    expect(first.querySelector('[role="img"]')?.getAttribute("aria-label")).toBe("Rated 4 of 5");
    expect([...first.querySelectorAll(".chip")].map((c) => c.textContent)).toEqual(["noir", '<img src=x onerror="window.__pwned=1">']);
    expect(first.querySelector("img"), "tag names are text").toBeNull();
    expect((window as { __pwned?: unknown }).__pwned).toBeUndefined();
    expect(screen.getAllByTestId("track-row")[1].querySelector('[role="img"]'), "no stars for an unrated track").toBeNull();

    await fireEvent.click(screen.getByRole("button", { name: "Rating" }));
    await waitFor(() => expect(lib.asked.at(-1)?.sort).toEqual({ key: "rating", descending: false }));
    expect(screen.getByRole("columnheader", { name: /Rating/ }).getAttribute("aria-sort")).toBe("ascending");
    await fireEvent.click(screen.getByRole("button", { name: "Cue" }));
    await waitFor(() => expect(lib.asked.at(-1)?.sort).toEqual({ key: "cue", descending: false }));
    expect(screen.getByRole("columnheader", { name: /Cue/ }).getAttribute("aria-sort")).toBe("ascending");
    expect(screen.getByRole("columnheader", { name: /Rating/ }).getAttribute("aria-sort")).toBe("none");
  });

  it("tags every selected track at once, then asks for the rows again", async () => {
    const lib = library(30);
    const tag = vi.fn(async (_targets: Target[], _names: string[]) => 5);
    setup({ searchTracks: lib.searchTracks, tag, tags: async () => [] });
    await waitFor(() => expect(rowTitles()[9]).toBe("Cue 9"));
    const rows = () => screen.getAllByTestId("track-row");
    await fireEvent.click(rows()[2]);
    await fireEvent.click(rows()[5], { shiftKey: true });
    await fireEvent.click(rows()[9], { ctrlKey: true });
    const asked = lib.asked.length;
    await fireEvent.click(screen.getByRole("button", { name: "Tag 5 tracks…" }));
    const input = screen.getByRole("combobox", { name: "Tag to add to 5 tracks" });
    await fireEvent.input(input, { target: { value: "film noir" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(tag).toHaveBeenCalledTimes(1));
    expect(tag.mock.calls[0][0], "every selected track, by id").toEqual([2, 3, 4, 5, 9].map((id) => ({ kind: "track", id })));
    expect(tag.mock.calls[0][1]).toEqual(["film noir"]);
    expect(await screen.findByText("Tagged 5 tracks “film noir”.")).toBeTruthy();
    await waitFor(() => expect(lib.asked.length, "the rows on screen are asked for again").toBeGreaterThan(asked));
    expect(screen.getByText("5 selected"), "the same tracks stay selected").toBeTruthy();
  });

  it("rates and untags a selection, and drops it when the query filters on what changed", async () => {
    const lib = library(30);
    const rate = vi.fn(async () => {});
    const untag = vi.fn(async () => 2);
    setup({ searchTracks: lib.searchTracks, rate, untag, tags: async () => [] }, "rating:>=3");
    await waitFor(() => expect(rowTitles()[3]).toBe("Cue 3"));
    const table = screen.getByTestId("track-table");
    await fireEvent.keyDown(table, { key: "ArrowDown" });
    await fireEvent.keyDown(table, { key: "ArrowDown", shiftKey: true });
    await fireEvent.click(screen.getByRole("button", { name: "Remove tag…" }));
    const input = screen.getByRole("combobox", { name: "Tag to remove from 2 tracks" });
    await fireEvent.input(input, { target: { value: "noir" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(untag).toHaveBeenCalledWith([{ kind: "track", id: 0 }, { kind: "track", id: 1 }], ["noir"]));
    expect(await screen.findByText("Removed “noir” from 2 tracks.")).toBeTruthy();
    expect(screen.queryByText("2 selected"), "rating:>=3 may list other tracks now").toBeNull();

    await fireEvent.click(screen.getAllByTestId("track-row")[4]);
    await fireEvent.click(screen.getByRole("radio", { name: "4 stars" }));
    await waitFor(() => expect(rate).toHaveBeenCalledWith([{ kind: "track", id: 4 }], 4));
    expect(await screen.findByText("Rated 1 track 4 of 5.")).toBeTruthy();
  });

  it("shows why a bulk operation failed", async () => {
    const lib = library(5);
    setup({ searchTracks: lib.searchTracks, rate: () => Promise.reject({ code: "bad_annotation", message: "rating 7: expected 0 to 5" }) });
    await waitFor(() => expect(rowTitles()[0]).toBe("Cue 0"));
    await fireEvent.click(screen.getAllByTestId("track-row")[0]);
    await fireEvent.click(screen.getByRole("radio", { name: "2 stars" }));
    expect((await screen.findByRole("alert")).textContent).toBe("rating 7: expected 0 to 5");
  });

  it("shows why a query was rejected", async () => {
    setup(
      { searchTracks: () => Promise.reject({ code: "bad_query", message: "year: expects a year, got abc" }) },
      "year:abc",
    );
    expect((await screen.findByRole("alert")).textContent).toBe("year: expects a year, got abc");
  });

  it("adds the selected tracks to a list from the selection bar and says so", async () => {
    const lib = library(30);
    const addToList = vi.fn(async (_id: number, items: ListItem[]) => items.map((_, i) => 100 + i).slice(1));
    setup({ searchTracks: lib.searchTracks, lists: async () => lists, addToList });
    await waitFor(() => expect(rowTitles()[9]).toBe("Cue 9"));
    const rows = () => screen.getAllByTestId("track-row");
    await fireEvent.click(rows()[2]);
    await fireEvent.click(rows()[4], { shiftKey: true });
    await fireEvent.click(rows()[8], { ctrlKey: true });
    await fireEvent.click(screen.getByRole("button", { name: "Add to list…" }));
    await fireEvent.click(await screen.findByRole("button", { name: /Summer favourites/ }));
    await waitFor(() => expect(addToList).toHaveBeenCalledTimes(1));
    expect(addToList.mock.calls[0]).toEqual([5, [2, 3, 4, 8].map((id) => ({ kind: "track", id })), null]);
    expect(await screen.findByText("Added 3 to “Summer favourites”; the other was already there.")).toBeTruthy();
    expect(screen.getByText("4 selected"), "adding to a list keeps the selection").toBeTruthy();
  });

  it("opens a context menu on a right-clicked row, acting on that row when it was not selected", async () => {
    const lib = library(30);
    const addToList = vi.fn(async () => [1]);
    setup({ searchTracks: lib.searchTracks, lists: async () => lists, addToList });
    await waitFor(() => expect(rowTitles()[9]).toBe("Cue 9"));
    const rows = () => screen.getAllByTestId("track-row");
    await fireEvent.click(rows()[1]);
    await fireEvent.contextMenu(rows()[6], { clientX: 40, clientY: 200 });
    expect(screen.getByText("1 selected")).toBeTruthy();
    expect(rows()[6].getAttribute("aria-selected"), "the right-clicked row is the selection now").toBe("true");
    const menu = screen.getByRole("menu", { name: "Selected tracks" });
    expect([...menu.querySelectorAll("[role=menuitem]")].map((m) => m.textContent?.trim())).toEqual([
      "Preview", "Play", "Skim selection", "Add to list…", "Go to album",
    ]);
    await fireEvent.click(screen.getByRole("menuitem", { name: "Add to list…" }));
    expect(screen.queryByRole("menu"), "the menu gives way to the list chooser").toBeNull();
    await fireEvent.click(await screen.findByRole("button", { name: /Summer favourites/ }));
    await waitFor(() => expect(addToList).toHaveBeenCalledWith(5, [{ kind: "track", id: 6 }], null));
    expect(await screen.findByText("Added 1 to “Summer favourites”.")).toBeTruthy();
  });

  it("opens the context menu from the keyboard with Shift+F10 and closes it with Escape", async () => {
    const lib = library(30);
    const preview = vi.fn(async () => {});
    setup({ searchTracks: lib.searchTracks, preview });
    await waitFor(() => expect(rowTitles()[3]).toBe("Cue 3"));
    const table = screen.getByTestId("track-table");
    table.focus();
    await fireEvent.keyDown(table, { key: "ArrowDown" });
    await fireEvent.keyDown(table, { key: "ArrowDown", shiftKey: true });
    await fireEvent.keyDown(table, { key: "F10", shiftKey: true });
    const menu = screen.getByRole("menu");
    expect(screen.getByRole("menuitem", { name: "Add 2 tracks to list…" })).toBeTruthy();
    await waitFor(() => expect(document.activeElement?.textContent?.trim()).toBe("Preview"));
    await fireEvent.keyDown(menu, { key: "Escape" });
    expect(screen.queryByRole("menu")).toBeNull();
    expect(document.activeElement, "focus goes back to the table").toBe(table);
    await fireEvent.keyDown(table, { key: "ContextMenu" });
    await fireEvent.click(screen.getByRole("menuitem", { name: "Preview" }));
    await waitFor(() => expect(preview).toHaveBeenCalledWith(1));
  });

  it("drags the whole selection from a selected row, and one row from another", async () => {
    const lib = library(30);
    setup({ searchTracks: lib.searchTracks });
    await waitFor(() => expect(rowTitles()[9]).toBe("Cue 9"));
    const rows = () => screen.getAllByTestId("track-row");
    expect(rows()[0].getAttribute("draggable")).toBe("true");
    await fireEvent.click(rows()[2]);
    await fireEvent.click(rows()[3], { ctrlKey: true });
    let dt = fakeDataTransfer();
    await fireEvent.dragStart(rows()[3], { dataTransfer: dt });
    expect(JSON.parse(dt.data.get(ITEMS_MIME)!)).toEqual([{ kind: "track", id: 2 }, { kind: "track", id: 3 }]);
    expect(dt.data.get("text/plain")).toBe("2 tracks");
    dt = fakeDataTransfer();
    await fireEvent.dragStart(rows()[7], { dataTransfer: dt });
    expect(JSON.parse(dt.data.get(ITEMS_MIME)!)).toEqual([{ kind: "track", id: 7 }]);
    expect(dt.data.get("text/plain")).toBe("Cue 7");
    expect(screen.getByText("1 selected"), "dragging an unselected row selects it").toBeTruthy();
  });

  it("exports what the search finds, in the sort on screen", async () => {
    const lib = library(30);
    const exportList = vi.fn(async (source: ExportSource) => ({ path: "/x/t.csv", format: "csv" as const, entries: 30, files: 30, bytes: 1, source }));
    setup({ searchTracks: lib.searchTracks, pickExportTarget: async () => "/x/t.csv", exportList }, "composer:williams");
    await screen.findByText("30 tracks");
    await fireEvent.click(screen.getByRole("button", { name: "Year" }));
    await fireEvent.click(screen.getByRole("button", { name: "Export…" }));
    expect(screen.getByRole("dialog").textContent).toContain("Export these tracks");
    await fireEvent.click(screen.getByRole("radio", { name: /^CSV/ }));
    await fireEvent.click(screen.getByRole("button", { name: "Export as CSV…" }));
    await waitFor(() => expect(exportList).toHaveBeenCalledTimes(1));
    expect(exportList.mock.calls[0][0]).toEqual({
      kind: "query",
      query: { scope: "tracks", query: "composer:williams", sort: { key: "year", descending: false } },
    });
  });
});
