// @vitest-environment jsdom
import { createEvent, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

import type { Backend } from "../api/backend";
import { ITEMS_MIME } from "../dragitems";
import { Player } from "../player/player.svelte";
import { fromListType } from "./lists";
import ListPage from "./ListPage.svelte";
import { dataTransfer, entry, info, listStore, type Stored } from "./testing";

const five = (): Stored => ({
  info: info(1, { name: "Best of 1982", ranking: "ascending" }),
  entries: [1, 2, 3, 4, 5].map((id) => entry(id)),
});

function setup(lists: Stored[] = [five()], parts: Partial<Backend> = {}, props: Record<string, unknown> = {}) {
  const store = listStore(lists, parts);
  const onchanged = vi.fn();
  const onopen = vi.fn();
  const ondeleted = vi.fn();
  const onopenalbum = vi.fn();
  const player = new Player(store.backend);
  render(ListPage, {
    props: { backend: store.backend, player, listId: lists[0].info.id, revision: 0, onchanged, onopen, ondeleted, onopenalbum, ...props },
  });
  return { ...store, onchanged, onopen, ondeleted, onopenalbum };
}

/** The titles of the rows, top to bottom. */
function titles(): string[] {
  return screen.getAllByTestId("list-entry").map((r) => r.querySelector(".title")!.textContent!.trim());
}

function row(title: string): HTMLElement {
  return screen.getAllByTestId("list-entry").find((r) => r.querySelector(".title")?.textContent?.trim() === title)!;
}

function ranks(): string[] {
  return screen.getAllByTestId("list-entry").map((r) => r.querySelector(".rank")?.textContent?.trim() ?? "");
}

async function drag(type: "dragStart" | "dragOver" | "drop" | "dragEnd", el: Element, dt: ReturnType<typeof dataTransfer>, clientY = 0) {
  const event = createEvent[type](el, { dataTransfer: dt });
  Object.defineProperty(event, "clientY", { value: clientY });
  await fireEvent(el, event);
}

describe("a plain list", () => {
  it("shows its entries in order with their ranks, details and availability", async () => {
    setup([
      {
        info: info(1, { name: "Scores", ranking: "descending" }),
        entries: [
          entry(1, { title: "Blade Runner", artist: "Vangelis", year: 1982, tracks: 12, tags: ["synth"], rating: 5 }),
          entry(2, { kind: "track", title: "Main Title", album: "Star Wars", track_id: 7, available: false }),
          entry(3, { kind: "placeholder", title: "Dune", artist: "Toto", year: 1984, album_id: null, available: false, note: "LP", note_html: "<p>On <strong>LP</strong></p>" }),
        ],
      },
    ]);
    await screen.findByRole("grid", { name: "Entries of Scores" });
    expect(titles()).toEqual(["Blade Runner", "Main Title", "Dune"]);
    expect(ranks(), "a countdown ends at 1").toEqual(["3", "2", "1"]);
    const blade = row("Blade Runner");
    expect(blade.textContent).toContain("Vangelis · 1982 · 12 tracks");
    expect(within(blade).getByRole("img", { name: "Rated 5 of 5" })).toBeTruthy();
    expect(blade.textContent).toContain("synth");
    expect(row("Main Title").classList.contains("dim")).toBe(true);
    expect(row("Main Title").textContent).toContain("files missing");
    const dune = row("Dune");
    expect(dune.textContent).toContain("Wishlist");
    expect(dune.querySelector("strong")?.textContent, "the note as Rust rendered it").toBe("LP");
    expect(dune.getAttribute("aria-label")).toBe("1. Dune, Toto, 1984 (on the wishlist)");
    expect(document.querySelector(".meta")?.textContent?.replace(/\s+/g, " ").trim()).toBe("3 entries · 1 on the wishlist");
  });

  it("renames the list in place", async () => {
    const { calls, onchanged } = setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Rename the list Best of 1982" }));
    const input = screen.getByRole("textbox", { name: "List name" }) as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    await fireEvent.input(input, { target: { value: "  Best   of 1983 " } });
    await fireEvent.submit(input.closest("form")!);
    await screen.findByRole("button", { name: "Rename the list Best of 1983" });
    expect(calls).toEqual([["updateList", 1, { name: "Best of 1983" }]]);
    expect(onchanged).toHaveBeenCalled();
  });

  it("does not send a blank name", async () => {
    const { calls } = setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Rename the list Best of 1982" }));
    const input = screen.getByRole("textbox", { name: "List name" });
    await fireEvent.input(input, { target: { value: "   " } });
    await fireEvent.submit(input.closest("form")!);
    expect(screen.getByRole("alert").textContent).toBe("A list needs a name.");
    expect(calls).toEqual([]);
  });

  it("deletes the list after asking, saying what stays", async () => {
    const { calls, ondeleted } = setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Delete…" }));
    const dialog = screen.getByRole("alertdialog", { name: "Delete list “Best of 1982”?" });
    expect(dialog.textContent).toContain("The albums and tracks stay in your library, with their notes.");
    await fireEvent.click(within(dialog).getByRole("button", { name: "Delete list" }));
    await waitFor(() => expect(ondeleted).toHaveBeenCalledWith(1));
    expect(calls).toEqual([["deleteList", 1]]);
  });

  it("duplicates the list and opens the copy", async () => {
    const { calls, onopen } = setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Duplicate" }));
    await waitFor(() => expect(onopen).toHaveBeenCalledWith(1000));
    expect(calls).toEqual([["duplicateList", 1]]);
  });

  it("changes the numbering at once and saves it", async () => {
    const { calls } = setup();
    await screen.findByRole("grid");
    expect(ranks()).toEqual(["1", "2", "3", "4", "5"]);
    await fireEvent.click(screen.getByRole("radio", { name: "Countdown N → 1" }));
    expect(ranks()).toEqual(["5", "4", "3", "2", "1"]);
    await waitFor(() => expect(calls).toEqual([["updateList", 1, { ranking: "descending" }]]));
  });
});

describe("reordering with the keyboard", () => {
  it("Alt+↓ moves the focused entry down one place, before the entry after the next", async () => {
    const { calls } = setup();
    await screen.findByRole("grid");
    const second = row("Album 2");
    second.focus();
    await fireEvent.keyDown(second, { key: "ArrowDown", altKey: true });
    expect(titles(), "shown at once").toEqual(["Album 1", "Album 3", "Album 2", "Album 4", "Album 5"]);
    await waitFor(() => expect(calls).toEqual([["moveListEntries", 1, [2], 4]]));
    expect(screen.getByTestId("list-announcer").textContent).toBe("Moved “Album 2” to position 3 of 5.");
    await waitFor(() => expect(document.activeElement).toBe(row("Album 2")));
    expect(ranks()).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("Alt+↑, Alt+Home and Alt+End send the exact anchor, null for the end", async () => {
    const { calls } = setup();
    await screen.findByRole("grid");
    row("Album 4").focus();
    await fireEvent.keyDown(row("Album 4"), { key: "ArrowUp", altKey: true });
    await waitFor(() => expect(document.activeElement).toBe(row("Album 4")));
    await fireEvent.keyDown(row("Album 4"), { key: "Home", altKey: true });
    await waitFor(() => expect(document.activeElement).toBe(row("Album 4")));
    await fireEvent.keyDown(row("Album 4"), { key: "End", altKey: true });
    await waitFor(() => expect(calls.length).toBe(3));
    expect(calls).toEqual([
      ["moveListEntries", 1, [4], 3],
      ["moveListEntries", 1, [4], 1],
      ["moveListEntries", 1, [4], null],
    ]);
    expect(titles()).toEqual(["Album 1", "Album 2", "Album 3", "Album 5", "Album 4"]);
  });

  it("moves the selection together when the focused entry is part of it", async () => {
    const { calls } = setup();
    await screen.findByRole("grid");
    await fireEvent.click(row("Album 2"));
    await fireEvent.click(row("Album 3"), { shiftKey: true });
    expect(screen.getByRole("region", { name: "Selected entries" }).textContent).toContain("2 selected");
    row("Album 3").focus();
    await fireEvent.keyDown(row("Album 3"), { key: "ArrowDown", altKey: true });
    await waitFor(() => expect(calls).toEqual([["moveListEntries", 1, [2, 3], 5]]));
    expect(titles()).toEqual(["Album 1", "Album 4", "Album 2", "Album 3", "Album 5"]);
    expect(screen.getByTestId("list-announcer").textContent).toBe("Moved 2 entries to positions 3–4 of 5.");
  });

  it("says so at the top instead of sending a move that changes nothing", async () => {
    const { calls } = setup();
    await screen.findByRole("grid");
    row("Album 1").focus();
    await fireEvent.keyDown(row("Album 1"), { key: "ArrowUp", altKey: true });
    expect(screen.getByTestId("list-announcer").textContent).toBe("Already at the top.");
    expect(calls).toEqual([]);
  });

  it("puts the order back and says why when Rust refuses the move", async () => {
    let refuse!: () => void;
    const moveListEntries = vi.fn(
      () => new Promise<void>((_, reject) => (refuse = () => reject({ code: "bad_list", message: "entry 2 is not in list 1" }))),
    );
    setup([five()], { moveListEntries });
    await screen.findByRole("grid");
    row("Album 2").focus();
    await fireEvent.keyDown(row("Album 2"), { key: "ArrowUp", altKey: true });
    expect(titles()[0], "shown before Rust answers").toBe("Album 2");
    await waitFor(() => expect(moveListEntries).toHaveBeenCalled());
    refuse();
    await waitFor(() => expect(titles()).toEqual(["Album 1", "Album 2", "Album 3", "Album 4", "Album 5"]));
    expect(screen.getByRole("alert").textContent).toContain("Could not move the entries: entry 2 is not in list 1");
    expect(moveListEntries).toHaveBeenCalledWith(1, [2], 1);
  });

  it("arrows move focus and selection; Shift extends; Ctrl/⌘+A selects all; Escape clears", async () => {
    setup();
    await screen.findByRole("grid");
    const grid = screen.getByRole("grid");
    expect(grid.getAttribute("aria-multiselectable")).toBe("true");
    expect(screen.getAllByTestId("list-entry").map((r) => r.tabIndex), "one Tab stop").toEqual([0, -1, -1, -1, -1]);
    row("Album 1").focus();
    await fireEvent.keyDown(row("Album 1"), { key: "ArrowDown" });
    expect(document.activeElement).toBe(row("Album 2"));
    expect(row("Album 2").getAttribute("aria-selected")).toBe("true");
    await fireEvent.keyDown(row("Album 2"), { key: "ArrowDown", shiftKey: true });
    expect(screen.getAllByTestId("list-entry").map((r) => r.getAttribute("aria-selected"))).toEqual(["false", "true", "true", "false", "false"]);
    await fireEvent.keyDown(row("Album 3"), { key: "a", ctrlKey: true });
    expect(screen.getByRole("region", { name: "Selected entries" }).textContent).toContain("5 selected");
    await fireEvent.keyDown(row("Album 3"), { key: "Escape" });
    expect(screen.queryByRole("region", { name: "Selected entries" })).toBeNull();
  });
});

describe("reordering by drag and drop", () => {
  it("drops a row into the gap under the pointer, with a line where it lands", async () => {
    const { calls } = setup();
    await screen.findByRole("grid");
    const dt = dataTransfer();
    // Rows are 40px tall; the pointer in the lower half of "Album 3" means below it.
    for (const [i, r] of screen.getAllByTestId("list-entry").entries()) {
      r.getBoundingClientRect = () => ({ top: i * 40, height: 40, bottom: i * 40 + 40, left: 0, right: 100, width: 100, x: 0, y: i * 40, toJSON: () => ({}) });
    }
    await drag("dragStart", row("Album 1"), dt);
    expect(JSON.parse(dt.getData(ITEMS_MIME)), "other lists can take it as an album").toEqual([{ kind: "album", id: 101, note: null }]);
    expect(dt.types, "the sidebar can tell which list it comes from").toContain(fromListType(1));
    await drag("dragOver", row("Album 3"), dt, 2 * 40 + 30);
    expect(row("Album 4").classList.contains("drop-before")).toBe(true);
    expect(row("Album 1").classList.contains("dragging")).toBe(true);
    await drag("drop", row("Album 3"), dt, 2 * 40 + 30);
    await drag("dragEnd", row("Album 1"), dt);
    expect(titles()).toEqual(["Album 2", "Album 3", "Album 1", "Album 4", "Album 5"]);
    await waitFor(() => expect(calls).toEqual([["moveListEntries", 1, [1], 4]]));
    expect(document.querySelector(".drop-before, .drop-after"), "the line goes with the drag").toBeNull();
  });

  it("drops at the end with a null anchor, and shows no line where a row would not move", async () => {
    const { calls } = setup();
    await screen.findByRole("grid");
    const dt = dataTransfer();
    await drag("dragStart", row("Album 2"), dt);
    await drag("dragOver", row("Album 3"), dt, 0);
    expect(document.querySelector(".drop-before"), "just below itself: nowhere to go").toBeNull();
    const tail = document.querySelector(".tail")!;
    await drag("dragOver", tail, dt);
    expect(row("Album 5").classList.contains("drop-after")).toBe(true);
    await drag("drop", tail, dt);
    await waitFor(() => expect(calls).toEqual([["moveListEntries", 1, [2], null]]));
  });

  it("adds albums and tracks dragged in from elsewhere where they are dropped", async () => {
    const { calls } = setup();
    await screen.findByRole("grid");
    const dt = dataTransfer();
    dt.setData(ITEMS_MIME, JSON.stringify([{ kind: "album", id: 77 }, { kind: "track", id: 8 }]));
    await drag("dragOver", row("Album 2"), dt, 0);
    expect(row("Album 2").classList.contains("drop-before")).toBe(true);
    await drag("drop", row("Album 2"), dt, 0);
    await waitFor(() =>
      expect(calls).toEqual([
        ["addToList", 1, [{ kind: "album", id: 77 }, { kind: "track", id: 8 }], 2],
      ]),
    );
    await waitFor(() => expect(titles()).toEqual(["Album 1", "Album 1000", "Track 8", "Album 2", "Album 3", "Album 4", "Album 5"]));
    expect((await screen.findByRole("status")).textContent).toContain("Added 2 entries to “Best of 1982”.");
    await waitFor(() => expect(row("Track 8").getAttribute("aria-selected"), "what came in is selected").toBe("true"));
    expect(row("Album 1000").getAttribute("aria-selected")).toBe("true");
  });
});

describe("entries", () => {
  it("adds a wish with title, artist and year", async () => {
    const { calls } = setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Add to wishlist" }));
    const form = screen.getByRole("form", { name: "Add to the wishlist" });
    await fireEvent.input(within(form).getByLabelText("Title"), { target: { value: "Dune" } });
    await fireEvent.input(within(form).getByLabelText("Artist or composer"), { target: { value: "Toto" } });
    await fireEvent.input(within(form).getByLabelText("Year"), { target: { value: "1984" } });
    await fireEvent.submit(form);
    await waitFor(() => expect(calls).toEqual([["addToList", 1, [{ kind: "placeholder", title: "Dune", artist: "Toto", year: 1984 }], null]]));
    await waitFor(() => expect(titles().at(-1)).toBe("Dune"));
    expect(row("Dune").textContent).toContain("Wishlist");
    await waitFor(() => expect((within(form).getByLabelText("Title") as HTMLInputElement).value, "ready for the next").toBe(""));
  });

  it("refuses a wish without a title or with a short year", async () => {
    const { calls } = setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Add to wishlist" }));
    const form = screen.getByRole("form", { name: "Add to the wishlist" });
    await fireEvent.submit(form);
    expect(within(form).getByRole("alert").textContent).toBe("A wishlist entry needs a title.");
    await fireEvent.input(within(form).getByLabelText("Title"), { target: { value: "Dune" } });
    await fireEvent.input(within(form).getByLabelText("Year"), { target: { value: "84" } });
    await fireEvent.submit(form);
    expect(within(form).getByRole("alert").textContent).toBe("The year needs four digits, like 1984.");
    expect(calls).toEqual([]);
  });

  it("edits a wish in place", async () => {
    const { calls } = setup([
      { info: info(1), entries: [entry(9, { kind: "placeholder", title: "Dune", album_id: null, available: false })] },
    ]);
    await fireEvent.click(await screen.findByRole("button", { name: "Edit Dune" }));
    const form = screen.getByRole("form", { name: "Edit the wishlist entry Dune" });
    await fireEvent.input(within(form).getByLabelText("Title"), { target: { value: "Dune (1984)" } });
    await fireEvent.input(within(form).getByLabelText("Artist or composer"), { target: { value: "Toto" } });
    await fireEvent.submit(form);
    await waitFor(() => expect(calls).toEqual([["editPlaceholder", 9, "Dune (1984)", "Toto", null]]));
    await waitFor(() => expect(titles()).toEqual(["Dune (1984)"]));
  });

  it("writes an entry's note with the note editor and saves it on the entry", async () => {
    const { calls } = setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Note on Album 2" }));
    await fireEvent.click(screen.getByRole("button", { name: "Add a note to Album 2" }));
    const box = screen.getByRole("textbox", { name: "Note on Album 2, in Markdown" });
    await fireEvent.input(box, { target: { value: "The 2007 remaster" } });
    await fireEvent.click(within(row("Album 2")).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(calls).toEqual([["setListEntryNote", 2, "The 2007 remaster"]]));
    await waitFor(() => expect(row("Album 2").querySelector("em")?.textContent).toBe("The 2007 remaster"));
    expect(row("Album 2").querySelector(".rank")?.textContent?.trim(), "the rank stays").toBe("2");
  });

  it("saves the list's own note through updateList", async () => {
    const { calls } = setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Add a note to this list" }));
    await fireEvent.input(screen.getByRole("textbox", { name: "Note on this list, in Markdown" }), { target: { value: "Ranked by **replay**" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(calls).toEqual([["updateList", 1, { note: "Ranked by **replay**" }]]));
  });

  it("removes the selection and puts it back with Undo, in place and with its notes", async () => {
    const lists = five();
    lists.entries[2] = entry(3, { note: "keep me" });
    const { calls } = setup([lists]);
    await screen.findByRole("grid");
    await fireEvent.click(row("Album 2"));
    await fireEvent.click(row("Album 3"), { ctrlKey: true });
    await fireEvent.click(screen.getByRole("button", { name: "Remove from list" }));
    await waitFor(() => expect(titles()).toEqual(["Album 1", "Album 4", "Album 5"]));
    expect(calls).toEqual([["removeListEntries", [2, 3]]]);
    expect(screen.getByRole("status").textContent).toContain("Removed 2 entries.");
    await fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    await waitFor(() => expect(titles()).toEqual(["Album 1", "Album 1000", "Album 1001", "Album 4", "Album 5"]));
    expect(calls[1]).toEqual(["addToList", 1, [{ kind: "album", id: 102, note: null }, { kind: "album", id: 103, note: "keep me" }], 4]);
  });

  it("Delete on a focused entry removes it", async () => {
    const { calls } = setup();
    await screen.findByRole("grid");
    row("Album 5").focus();
    await fireEvent.keyDown(row("Album 5"), { key: "Delete" });
    await waitFor(() => expect(calls).toEqual([["removeListEntries", [5]]]));
  });

  it("previews a track entry and opens an album entry", async () => {
    const preview = vi.fn(async () => {});
    const { onopenalbum } = setup(
      [{ info: info(1), entries: [entry(1, { title: "Amélie" }), entry(2, { kind: "track", title: "Comptine", track_id: 42, album_id: 5, album: "Amélie" })] }],
      { preview },
    );
    await fireEvent.click(await screen.findByRole("button", { name: "Preview Comptine" }));
    expect(preview).toHaveBeenCalledWith(42);
    row("Amélie").focus();
    await fireEvent.keyDown(row("Amélie"), { key: "Enter" });
    expect(onopenalbum).toHaveBeenCalledWith(101);
  });
});

describe("a smart list", () => {
  const smart = (): Stored => ({
    info: info(2, { name: "Five stars", query: { scope: "tracks", query: "rating:5", sort: { key: "rating", descending: true }, limit: null } }),
    entries: [
      entry(0, { id: null, kind: "track", title: "Love Theme", track_id: 11 }),
      entry(0, { id: null, kind: "track", title: "Tears in Rain", track_id: 12 }),
    ],
    total: 40,
  });

  it("shows what its search finds now, read-only, with how many it left out", async () => {
    setup([smart()]);
    const grid = await screen.findByRole("grid", { name: "Entries of Five stars" });
    expect(titles()).toEqual(["Love Theme", "Tears in Rain"]);
    expect(screen.getByText(/Tracks matching “rating:5”, by rating \(highest first\)\./)).toBeTruthy();
    expect(screen.getByText("2 of 40 shown")).toBeTruthy();
    expect(grid.getAttribute("aria-multiselectable")).toBeNull();
    expect(screen.queryByRole("button", { name: /^Note on/ }), "no notes on a search's results").toBeNull();
    expect(screen.queryByRole("button", { name: /^Remove/ })).toBeNull();
    expect(screen.queryByRole("button", { name: "Add to wishlist" })).toBeNull();
    row("Love Theme").focus();
    await fireEvent.keyDown(row("Love Theme"), { key: "ArrowDown", altKey: true });
    expect(titles(), "no reordering").toEqual(["Love Theme", "Tears in Rain"]);
  });

  it("reads its entries again on Refresh", async () => {
    const { store } = setup([smart()]);
    await screen.findByRole("grid");
    store.get(2)!.entries.push(entry(0, { id: null, kind: "track", title: "Memories", track_id: 13 }));
    await fireEvent.click(screen.getByRole("button", { name: "Refresh" }));
    await waitFor(() => expect(titles()).toEqual(["Love Theme", "Tears in Rain", "Memories"]));
  });

  it("keeps a list whose saved search no longer parses, and offers to edit the search", async () => {
    setup([{ ...smart(), entries: [], total: 0, queryError: "unknown field “mood”" }]);
    const alert = await screen.findByText(/This smart list's search no longer works: unknown field “mood”/);
    await fireEvent.click(within(alert).getByRole("button", { name: "Edit search" }));
    expect(await screen.findByRole("button", { name: "Save search" })).toBeTruthy();
  });

  it("shows a search that no longer works as an error, with a way to try again", async () => {
    const listPage = vi.fn(() => Promise.reject({ code: "bad_query", message: "unknown field “mood”" }));
    setup([smart()], { listPage });
    expect((await screen.findByRole("alert")).textContent).toContain("Could not open the list: unknown field “mood”");
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });

  it("edits its search", async () => {
    const searchTracks = vi.fn(async () => ({ total: 3, tracks: [] }));
    const { calls } = setup([smart()], { searchTracks });
    await fireEvent.click(await screen.findByRole("button", { name: "Edit search" }));
    const form = screen.getByRole("form", { name: "Smart list search" });
    const search = within(form).getByRole("searchbox", { name: "Search" }) as HTMLInputElement;
    expect(search.value).toBe("rating:5");
    await fireEvent.input(search, { target: { value: "rating:4.." } });
    await waitFor(() => expect(within(form).getByText("3 tracks match.")).toBeTruthy());
    await fireEvent.submit(form);
    await waitFor(() =>
      expect(calls).toEqual([
        ["updateList", 2, { query: { scope: "tracks", query: "rating:4..", sort: { key: "rating", descending: true }, limit: null } }],
      ]),
    );
  });
});
