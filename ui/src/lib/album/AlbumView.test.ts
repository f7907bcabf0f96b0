// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, test, vi } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { AlbumPage, ArticleSubject, Annotations, Fields, ListInfo, ListItem, ListRef, ListSummary, Target, TrackRow, WritebackFile } from "../api/types";
import { ITEMS_MIME } from "../dragitems";
import { Player } from "../player/player.svelte";
import AlbumView from "./AlbumView.svelte";

function track(id: number, over: Partial<TrackRow> = {}): TrackRow {
  return {
    id,
    title: `Cue ${id}`,
    artists: [],
    composers: ["Joe Hisaishi"],
    album_id: 1,
    album: "千と千尋の神隠し",
    work: "Spirited Away",
    disc_no: 1,
    track_no: id,
    year: 2001,
    duration_ms: 180_000,
    format: "flac",
    codec: null,
    sample_rate: 96_000,
    bit_depth: 24,
    channels: 2,
    bitrate: null,
    path: `/music/sa/${id}.flac`,
    missing_since: null,
    cover_hash: null,
    rating: null,
    cue: null,
    tags: [],
    ...over,
  };
}

function albumPage(over: Partial<AlbumPage> = {}): AlbumPage {
  const tracklist = [
    track(1, { title: "あの夏へ (One Summer's Day)" }),
    track(2, { title: "<img src=x onerror=alert(1)>", composers: ["Youmi Kimura"] }),
    track(3, { disc_no: 2, track_no: 1, title: "Reprise", missing_since: 1_700_000_000 }),
    track(4, { disc_no: 2, track_no: 2, title: "Finale" }),
  ];
  return {
    id: 1,
    title: "千と千尋の神隠し",
    album_artist: null,
    composer: "Joe Hisaishi",
    year: 2014,
    label: "Tokuma Japan",
    work: "Spirited Away",
    work_kind: "film",
    tracks: 4,
    missing: 1,
    discs: 2,
    duration_ms: 720_000,
    cover_hash: null,
    added_at: 0,
    rating: null,
    original_year: 2001,
    catalog_numbers: ["TKCA-72189", "TKCA-74380"],
    barcode: "4988008813923",
    edition: "expanded edition",
    release_type: "album",
    release_kind: "soundtrack",
    mb_album_id: null,
    compilation: false,
    folder: "/music/Spirited Away",
    work_year: 2001,
    work_source: null,
    work_id: null,
    annotations: { rating: null, note: null, note_html: null, tags: [], fields: {}, cue_notes: [] },
    work_annotations: null,
    composers: ["Joe Hisaishi"],
    conductors: ["Joe Hisaishi"],
    orchestrators: [],
    performers: ["New Japan Philharmonic"],
    tracklist,
    ...over,
  };
}

function setup(parts: Partial<Backend> = {}, page = albumPage()) {
  const calls = {
    preview: [] as number[],
    previewFrom: [] as [number, number][],
    play: [] as [number, number][],
    skim: [] as number[][],
    seek: [] as number[],
  };
  const backend = fakeBackend({
    album: async () => page,
    preview: async (id, from) => {
      calls.preview.push(id);
      if (from !== undefined) calls.previewFrom.push([id, from]);
    },
    play: async (id, from) => void calls.play.push([id, from]),
    skim: async (ids) => void calls.skim.push(ids),
    seek: async (ms) => void calls.seek.push(ms),
    ...parts,
  });
  const player = new Player(backend);
  const onBack = vi.fn();
  const view = render(AlbumView, { backend, id: 1, player, revision: 0, onBack });
  return { ...view, calls, player, onBack, backend };
}

describe("AlbumView", () => {
  it("shows the album's facts and lists its tracks in disc sections", async () => {
    setup();
    expect((await screen.findByRole("heading", { level: 1 })).textContent).toBe("千と千尋の神隠し");
    const view = screen.getByTestId("album-view");
    expect(view.textContent).toContain("Film · Spirited Away (2001)");
    expect(view.textContent).toContain("Soundtrack · Expanded edition · Album");
    expect(view.textContent).toContain("TKCA-72189, TKCA-74380");
    expect(view.textContent).toContain("4988008813923");
    expect(view.textContent).toContain("2014 (original 2001)");
    expect(view.textContent).toContain("New Japan Philharmonic");
    expect(view.textContent).toContain("4 tracks · 2 discs · 12:00");
    expect(view.textContent).toContain("/music/Spirited Away");
    expect(screen.getByRole("status").textContent).toMatch(/^1 of 4 files are missing/);
    expect(screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent)).toEqual(["Album note", "Disc 1", "Disc 2"]);
    const disc2 = screen.getByRole("region", { name: "Disc 2" });
    expect(within(disc2).getAllByTestId("album-track").map((t) => t.querySelector(".title")?.textContent)).toEqual([
      "Reprise",
      "Finale",
    ]);
    expect(screen.getAllByTestId("album-track")[2].classList.contains("gone"), "the missing track is dimmed").toBe(true);
    expect(screen.getByRole("img", { name: "Cover of 千と千尋の神隠し" }).textContent?.trim()).toBe("千");
  });

  it("renders tag text as text and names a guest composer", async () => {
    setup();
    const rows = await screen.findAllByTestId("album-track");
    expect(rows[1].querySelector(".title")?.textContent).toBe("<img src=x onerror=alert(1)>");
    expect(rows[1].querySelector("img"), "no markup from tags").toBeNull();
    expect(rows[1].textContent).toContain("Youmi Kimura");
    expect(rows[0].textContent, "the album's own composer is not repeated").not.toContain("Joe Hisaishi");
    expect(rows[0].querySelector(".fmt")?.getAttribute("title")).toBe("FLAC · 96 kHz · 24-bit");
  });

  it("previews a track, skims the album without missing files, and plays it", async () => {
    const { calls } = setup();
    await fireEvent.click(await screen.findByRole("button", { name: "Preview Finale" }));
    expect((screen.getByRole("button", { name: "Preview Reprise" }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByRole("button", { name: "Skim album" }));
    await fireEvent.click(screen.getByRole("button", { name: "Play" }));
    await fireEvent.click(screen.getByRole("button", { name: "Play あの夏へ (One Summer's Day)" }));
    await waitFor(() => expect(calls.play.length).toBe(2));
    expect(calls.preview).toEqual([4]);
    expect(calls.skim).toEqual([[1, 2, 4]]);
    expect(calls.play).toEqual([
      [1, 0],
      [1, 0],
    ]);
  });

  it("shows a waveform under the playing track that seeks", async () => {
    const { player, calls } = setup();
    await screen.findAllByTestId("album-track");
    expect(screen.queryByRole("slider")).toBeNull();
    player.status = { ...player.status, state: "playing", track_id: 2, mode: "preview" };
    player.position = { track_id: 2, position_ms: 61_000, duration_ms: 180_000, until_ms: 91_000 };
    const slider = await screen.findByRole("slider");
    const rows = screen.getAllByTestId("album-track");
    expect(rows[1].contains(slider), "under the playing row").toBe(true);
    expect(rows[1].classList.contains("playing")).toBe(true);
    expect(slider.getAttribute("aria-valuetext")).toBe("1:01 of 3:00");
    await fireEvent.keyDown(slider, { key: "ArrowRight" });
    await waitFor(() => expect(calls.seek).toEqual([66_000]));
  });

  it("goes back and reports an album that is gone", async () => {
    const { onBack } = setup({ album: () => Promise.reject({ code: "not_found", message: "no album 1" }) });
    expect((await screen.findByRole("alert")).textContent).toBe("This album is no longer in the library.");
    await fireEvent.click(screen.getByRole("button", { name: /Back/ }));
    expect(onBack).toHaveBeenCalled();
  });

  it("loads the album again when the library changes", async () => {
    const album = vi.fn(async () => albumPage());
    const { rerender, player, backend } = setup({ album });
    await screen.findAllByTestId("album-track");
    await rerender({ backend, id: 1, player, revision: 1, onBack: () => {} });
    await waitFor(() => expect(album).toHaveBeenCalledTimes(2));
  });

  describe("annotating", () => {
    const HOSTILE_TAG = `<img src=x onerror="window.__pwned=1">`;

    function notes(over: Partial<Annotations> = {}): Annotations {
      return { rating: null, note: null, note_html: null, tags: [], fields: {}, cue_notes: [], ...over };
    }

    it("rates the album with the stars and clears it with the same star", async () => {
      const rate = vi.fn(async () => {});
      setup({ rate });
      const group = await screen.findByRole("radiogroup", { name: "Album rating" });
      await fireEvent.click(within(group).getByRole("radio", { name: "4 stars" }));
      await fireEvent.click(within(group).getByRole("radio", { name: "4 stars" }));
      await waitFor(() => expect(rate).toHaveBeenCalledTimes(2));
      expect(rate.mock.calls).toEqual([
        [[{ kind: "album", id: 1 }], 4],
        [[{ kind: "album", id: 1 }], null],
      ]);
    });

    it("a rating that fails to save is undone and explained", async () => {
      setup({ rate: () => Promise.reject({ code: "bad_annotation", message: "database is locked" }) });
      const group = await screen.findByRole("radiogroup", { name: "Album rating" });
      await fireEvent.click(within(group).getByRole("radio", { name: "2 stars" }));
      expect((await screen.findByRole("alert")).textContent).toBe("Could not save the rating: database is locked");
      expect(within(group).getByRole("radio", { name: "2 stars" }).getAttribute("aria-checked")).toBe("false");
    });

    it("tags the album and removes a tag", async () => {
      const tag = vi.fn(async () => 1);
      const untag = vi.fn(async () => 1);
      setup(
        { tag, untag, tags: async () => [] },
        albumPage({ annotations: notes({ tags: [{ name: "choir", color: null }] }) }),
      );
      const input = await screen.findByRole("combobox", { name: "Add a tag to the album…" });
      await fireEvent.input(input, { target: { value: "Leitmotif" } });
      await fireEvent.keyDown(input, { key: "Enter" });
      await waitFor(() => expect(tag).toHaveBeenCalledWith([{ kind: "album", id: 1 }], ["Leitmotif"]));
      expect(await screen.findByRole("button", { name: "Remove tag Leitmotif" })).toBeTruthy();
      await fireEvent.click(screen.getByRole("button", { name: "Remove tag choir" }));
      await waitFor(() => expect(untag).toHaveBeenCalledWith([{ kind: "album", id: 1 }], ["choir"]));
      await waitFor(() => expect(screen.queryByRole("button", { name: "Remove tag choir" })).toBeNull());
    });

    it("HOSTILE: tags and titles with markup are text, and nothing runs", async () => {
      const page = albumPage({
        annotations: notes({ tags: [{ name: HOSTILE_TAG, color: null }] }),
        tracklist: [track(1, { title: "<script>window.__pwned=1</script>", tags: [HOSTILE_TAG], cue: "<b>1M1</b>" })],
        tracks: 1,
        missing: 0,
      });
      const { container } = setup({}, page);
      const row = (await screen.findAllByTestId("album-track"))[0];
      expect(row.querySelector(".title")?.textContent).toBe("<script>window.__pwned=1</script>");
      expect(row.textContent).toContain(HOSTILE_TAG);
      expect(row.textContent).toContain("<b>1M1</b>");
      expect(container.textContent).toContain(HOSTILE_TAG);
      expect(container.querySelector("img"), "no element from a tag").toBeNull();
      expect(container.querySelector("script"), "no element from a title").toBeNull();
      expect(container.querySelector("b")).toBeNull();
      expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    });

    it("shows the album note as Rust rendered it and opens its links outside the app", async () => {
      const openLink = vi.fn(async () => {});
      setup(
        { openLink },
        albumPage({
          annotations: notes({
            note: "[liner notes](https://example.com/liner)",
            note_html: '<p><a href="https://example.com/liner">liner notes</a></p>',
          }),
        }),
      );
      const link = await screen.findByRole("link", { name: "liner notes" });
      const click = new MouseEvent("click", { bubbles: true, cancelable: true });
      link.dispatchEvent(click);
      expect(click.defaultPrevented, "the webview stays on the album").toBe(true);
      expect(openLink).toHaveBeenCalledWith("https://example.com/liner");
    });

    it("rates a track from its row", async () => {
      const rate = vi.fn(async () => {});
      setup({ rate });
      const group = await screen.findByRole("radiogroup", { name: "Rating of Finale" });
      await fireEvent.keyDown(within(group).getAllByRole("radio")[0], { key: "3" });
      await waitFor(() => expect(rate).toHaveBeenCalledWith([{ kind: "track", id: 4 }], 3));
      await fireEvent.click(within(group).getByRole("radio", { name: "3 stars" }));
      await waitFor(() => expect(rate).toHaveBeenLastCalledWith([{ kind: "track", id: 4 }], null));
      expect(screen.getAllByTestId("album-track")[3].querySelector(".rating")?.classList.contains("rated")).toBe(false);
    });

    it("opens a track's notes panel: cue number, time-coded notes with previews", async () => {
      const annotations = vi.fn(async (_t: Target) =>
        notes({ cue_notes: [{ id: 5, at_ms: 102_000, text: "The choir enters" }], fields: {} }),
      );
      const setFields = vi.fn(async (_t: Target, f: Fields) => f);
      const { calls } = setup({ annotations, setFields });
      const toggle = await screen.findByRole("button", { name: "Notes on Finale" });
      expect(toggle.getAttribute("aria-expanded")).toBe("false");
      await fireEvent.click(toggle);
      expect(toggle.getAttribute("aria-expanded")).toBe("true");
      const panel = await screen.findByRole("region", { name: "Notes on Finale" });
      expect(document.getElementById(toggle.getAttribute("aria-controls")!)?.contains(panel)).toBe(true);
      expect(annotations).toHaveBeenCalledWith({ kind: "track", id: 4 });

      await fireEvent.click(await within(panel).findByRole("button", { name: "Preview from 1:42" }));
      await waitFor(() => expect(calls.previewFrom).toEqual([[4, 102_000]]));

      await fireEvent.input(within(panel).getByLabelText("Cue number"), { target: { value: " 6M3 " } });
      await fireEvent.click(within(panel).getByRole("button", { name: "Save the cue number" }));
      await waitFor(() => expect(setFields).toHaveBeenCalledWith({ kind: "track", id: 4 }, { cue: "6M3" }));
      const row = screen.getAllByTestId("album-track")[3];
      await waitFor(() => expect(row.querySelector(".cue")?.textContent, "the row shows the new cue").toBe("6M3"));
      expect(screen.getAllByTestId("album-track")[0].querySelector(".cue")?.textContent).toBe("—");

      await fireEvent.click(toggle);
      expect(screen.queryByRole("region", { name: "Notes on Finale" })).toBeNull();
    });

    it("a panel whose notes cannot be read says so", async () => {
      setup({ annotations: () => Promise.reject({ code: "catalog", message: "disk I/O error" }) });
      await fireEvent.click(await screen.findByRole("button", { name: "Notes on Finale" }));
      expect((await screen.findByRole("alert")).textContent).toContain("Could not read this track's notes: disk I/O error");
    });

    it("draws the playing track's time-coded notes on its waveform; a marker previews from there", async () => {
      const annotations = vi.fn(async () => notes({ cue_notes: [{ id: 1, at_ms: 90_000, text: "Brass" }] }));
      const { player, calls } = setup({ annotations });
      await screen.findAllByTestId("album-track");
      player.status = { ...player.status, state: "playing", track_id: 2, mode: "preview" };
      player.position = { track_id: 2, position_ms: 10_000, duration_ms: 180_000, until_ms: 40_000 };
      const marker = await screen.findByRole("button", { name: "1:30 — Brass" });
      expect(annotations).toHaveBeenCalledWith({ kind: "track", id: 2 });
      await fireEvent.click(marker);
      await waitFor(() => expect(calls.previewFrom).toEqual([[2, 90_000]]));
    });

    it("edits the soundtrack details and reloads the album to show them", async () => {
      const album = vi.fn(async () => albumPage());
      const setFields = vi.fn(async (_t: Target, f: Fields) => f);
      setup({ album, setFields });
      const toggle = await screen.findByRole("button", { name: "Edit details" });
      await fireEvent.click(toggle);
      expect(toggle.getAttribute("aria-expanded")).toBe("true");
      expect((screen.getByLabelText("Label") as HTMLInputElement).placeholder).toBe("Tokuma Japan");
      await fireEvent.input(screen.getByLabelText("Limited to"), { target: { value: "2000" } });
      await fireEvent.click(screen.getByRole("button", { name: "Save details" }));
      await waitFor(() => expect(setFields).toHaveBeenCalledWith({ kind: "album", id: 1 }, { limited_to: 2000 }));
      await waitFor(() => expect(album).toHaveBeenCalledTimes(2));
    });

    it("annotates the album's work: its tags and its note", async () => {
      const tag = vi.fn(async () => 1);
      const setNote = vi.fn(async (_t: Target, md: string) => notes({ note: md, note_html: `<p>${md}</p>` }));
      setup(
        { tag, setNote, tags: async () => [] },
        albumPage({ work_id: 77, work_annotations: notes({ tags: [{ name: "Ghibli", color: null }] }) }),
      );
      const work = await screen.findByRole("region", { name: "Work: Spirited Away" });
      expect(within(work).getByText("Ghibli")).toBeTruthy();
      const input = within(work).getByRole("combobox");
      await fireEvent.input(input, { target: { value: "Miyazaki" } });
      await fireEvent.keyDown(input, { key: "Enter" });
      await waitFor(() => expect(tag).toHaveBeenCalledWith([{ kind: "work", id: 77 }], ["Miyazaki"]));
      await fireEvent.click(within(work).getByRole("button", { name: "Add a note to the work" }));
      await fireEvent.input(within(work).getByRole("textbox"), { target: { value: "Released 2001" } });
      await fireEvent.click(within(work).getByRole("button", { name: "Save" }));
      await waitFor(() => expect(setNote).toHaveBeenCalledWith({ kind: "work", id: 77 }, "Released 2001"));
      expect(await within(work).findByText("Released 2001")).toBeTruthy();
    });

    it("has no work section without a work", async () => {
      setup();
      await screen.findAllByTestId("album-track");
      expect(screen.queryByRole("region", { name: /^Work/ })).toBeNull();
    });

    it("writes tags to files only after the collector confirms the shown changes", async () => {
      const plan: WritebackFile[] = [
        { track_id: 1, path: "/music/sa/1.flac", changes: [{ field: "label", old: [], new: ["Tokuma Japan"] }] },
      ];
      const writebackPlan = vi.fn(async () => plan);
      const writebackApply = vi.fn(async () => {});
      setup({ writebackPlan, writebackApply });
      await fireEvent.click(await screen.findByRole("button", { name: "Write tags to files…" }));
      const dialog = await screen.findByRole("dialog");
      expect(writebackPlan).toHaveBeenCalledWith({ kind: "album", id: 1 });
      const write = await within(dialog).findByRole("button", { name: "Write 1 file" });
      expect(writebackApply).not.toHaveBeenCalled();
      await fireEvent.click(write);
      await waitFor(() => expect(writebackApply).toHaveBeenCalledWith(plan));
      await fireEvent.click(await within(dialog).findByRole("button", { name: "Close" }));
      expect(screen.queryByRole("dialog")).toBeNull();
    });
  });

  describe("lists", () => {
    const summer: ListSummary = { id: 5, name: "Summer favourites", ranking: "none", smart: false, entries: 3, placeholders: 0, updated_at: 0 };

    it("names the lists holding the album, opens one, and adds the album to a new list", async () => {
      let holding: ListRef[] = [{ id: 5, name: "Summer favourites" }, { id: 9, name: "Best of 2001" }];
      const listsHolding = vi.fn(async (_t: Target) => holding);
      const created: ListInfo = { id: 12, name: "Hisaishi", note: null, note_html: null, ranking: "none", query: null, created_at: 0, updated_at: 0 };
      const createList = vi.fn(async () => created);
      const addToList = vi.fn(async (_id: number, _items: ListItem[], _b: number | null) => {
        holding = [...holding, { id: 12, name: "Hisaishi" }];
        return [40];
      });
      const onOpenList = vi.fn();
      const backend = fakeBackend({ album: async () => albumPage(), lists: async () => [summer], listsHolding, createList, addToList });
      render(AlbumView, { backend, id: 1, player: new Player(backend), revision: 0, onBack: () => {}, onOpenList });
      const inLists = (await screen.findByText("In lists:")).parentElement!;
      expect(listsHolding).toHaveBeenCalledWith({ kind: "album", id: 1 });
      expect(inLists.textContent?.replace(/\s+/g, " ").trim()).toBe("In lists: Summer favourites, Best of 2001");
      await fireEvent.click(within(inLists).getByRole("button", { name: "Best of 2001" }));
      expect(onOpenList).toHaveBeenCalledWith(9);

      await fireEvent.click(screen.getByRole("button", { name: "Add to list…" }));
      await fireEvent.click(await screen.findByRole("button", { name: "New list…" }));
      await fireEvent.input(screen.getByRole("textbox", { name: "Name of the new list" }), { target: { value: "Hisaishi" } });
      await fireEvent.click(screen.getByRole("button", { name: "Create and add" }));
      await waitFor(() => expect(addToList).toHaveBeenCalledWith(12, [{ kind: "album", id: 1 }], null));
      expect(createList).toHaveBeenCalledWith("Hisaishi", "none");
      expect(await screen.findByText("Added 1 to “Hisaishi”.")).toBeTruthy();
      await waitFor(() => expect((screen.getByText("In lists:").parentElement!.textContent ?? "")).toContain("Hisaishi"));
    });

    it("adds a track from its context menu, opened with the mouse or Shift+F10", async () => {
      const addToList = vi.fn(async () => [41]);
      setup({ lists: async () => [summer], addToList, listsHolding: async () => [] });
      const rows = await screen.findAllByTestId("album-track");
      const line = rows[0].querySelector<HTMLElement>(".line")!;
      await fireEvent.contextMenu(line, { clientX: 20, clientY: 30 });
      const menu = screen.getByRole("menu", { name: "Track あの夏へ (One Summer's Day)" });
      expect([...menu.querySelectorAll("[role=menuitem]")].map((m) => m.textContent?.trim())).toEqual([
        "Preview", "Play", "Add to list…", "Notes",
      ]);
      await fireEvent.keyDown(menu, { key: "Escape" });
      expect(screen.queryByRole("menu")).toBeNull();

      const previewButton = within(rows[3]).getByRole("button", { name: "Preview Finale" });
      previewButton.focus();
      await fireEvent.keyDown(previewButton, { key: "F10", shiftKey: true });
      await fireEvent.click(screen.getByRole("menuitem", { name: "Add to list…" }));
      expect(screen.getByRole("dialog", { name: "Add “Finale” to a list" })).toBeTruthy();
      await fireEvent.click(await screen.findByRole("button", { name: /Summer favourites/ }));
      await waitFor(() => expect(addToList).toHaveBeenCalledWith(5, [{ kind: "track", id: 4 }], null));
      expect(await screen.findByText("Added 1 to “Summer favourites”.")).toBeTruthy();
    });

    it("drags a track row and the cover as list items", async () => {
      setup();
      const rows = await screen.findAllByTestId("album-track");
      const data = new Map<string, string>();
      const dt = { effectAllowed: "none", setData: (t: string, v: string) => data.set(t, v) };
      await fireEvent.dragStart(rows[1].querySelector(".line")!, { dataTransfer: dt });
      expect(JSON.parse(data.get(ITEMS_MIME)!)).toEqual([{ kind: "track", id: 2 }]);
      await fireEvent.dragStart(screen.getByRole("img", { name: "Cover of 千と千尋の神隠し" }), { dataTransfer: dt });
      expect(JSON.parse(data.get(ITEMS_MIME)!)).toEqual([{ kind: "album", id: 1 }]);
      expect(data.get("text/plain")).toBe("千と千尋の神隠し");
    });
  });
});

test("a composer opens their page and the articles that mention the album are named", async () => {
  const mentionedIn = vi.fn(async (s: ArticleSubject) =>
    s.kind === "album" ? [{ article_id: 5, title: "Ten scores", author: null, published: null, excerpt: "Spirited Away soars", excerpt_start: 0, excerpt_end: 13 }] : [],
  );
  const onOpenPerson = vi.fn();
  const onOpenArticle = vi.fn();
  const backend = fakeBackend({ album: async () => albumPage(), mentionedIn });
  render(AlbumView, { backend, id: 1, player: new Player(backend), revision: 0, onBack: () => {}, onOpenPerson, onOpenArticle });
  await fireEvent.click(await screen.findByRole("button", { name: "Joe Hisaishi" }));
  expect(onOpenPerson).toHaveBeenCalledWith("Joe Hisaishi");
  const section = await screen.findByTestId("mentioned-in");
  expect(mentionedIn).toHaveBeenCalledWith({ kind: "album", id: 1 });
  expect(section.querySelector("mark")?.textContent).toBe("Spirited Away");
  await fireEvent.click(within(section).getByRole("button", { name: "Ten scores" }));
  expect(onOpenArticle).toHaveBeenCalledWith(5);
});
