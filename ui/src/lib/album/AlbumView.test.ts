// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { AlbumPage, TrackRow } from "../api/types";
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
  const calls = { preview: [] as number[], play: [] as [number, number][], skim: [] as number[][], seek: [] as number[] };
  const backend = fakeBackend({
    album: async () => page,
    preview: async (id) => void calls.preview.push(id),
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
    expect(screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent)).toEqual(["Disc 1", "Disc 2"]);
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
});
