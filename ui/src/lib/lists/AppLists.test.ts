// @vitest-environment jsdom
// The Lists view inside the app: its place in the navigation, the badge for wishlist matches,
// the notice after a scan, and the album page from a list.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import App from "../../App.svelte";
import type { Backend } from "../api/backend";
import type { Root, ScanReport, Settings } from "../api/types";
import { entry, info, listStore, resolution } from "./testing";

const settings: Settings = { preview_secs: 30, preview_start: { kind: "smart" }, target_lufs: -18, volume: 1, onboarded: true };

const report: ScanReport = {
  roots: 1, roots_offline: [], files_seen: 3, unchanged: 0, added: 3, updated: 0, moved: 0, returned: 0, missing: 0,
  problems: 0, not_audio: 0, cancelled: false, elapsed_ms: 5, annotation_orphans: 0, wishlist_matches: 2, article_suggestions: 0,
};

function root(path: string): Root {
  return { id: 1, path, added_at: 0, last_scan_at: null, offline_since: null, tracks: 0, missing: 0 };
}

function app(parts: Partial<Backend> = {}) {
  let drop: (paths: string[]) => void = () => {};
  const store = listStore(
    [{ info: info(1, { name: "Grails" }), entries: [entry(1, { title: "Amélie", album_id: 55 }), entry(2, { kind: "placeholder", title: "Dune", album_id: null, available: false })] }],
    {
      settings: async () => settings,
      roots: async () => [],
      onPlayer: async () => () => {},
      onPosition: async () => () => {},
      onPlaybackError: async () => () => {},
      onAnalysis: async () => () => {},
      onDrop: async (h) => ((drop = h), () => {}),
      playerStatus: async () => ({ state: "stopped", track_id: null, mode: null, output_available: true, output_problem: null }),
      albumGroups: async () => [],
      albums: async () => [],
      problems: async () => [],
      orphans: async () => [],
      relinkProposals: async () => [],
      tags: async () => [],
      ...parts,
    },
  );
  render(App, { backend: store.backend });
  return { ...store, drop: (paths: string[]) => drop(paths) };
}

test("Lists comes after Tags in the navigation", async () => {
  app();
  const nav = screen.getByRole("navigation", { name: "Views" });
  const views = [...nav.querySelectorAll("button")].map((b) => b.dataset.view);
  expect(views.slice(0, 4)).toEqual(["library", "tracks", "tags", "lists"]);
  await fireEvent.click(within(nav).getByRole("button", { name: "Lists" }));
  expect(await screen.findByTestId("lists-view")).toBeTruthy();
  expect(await screen.findByRole("button", { name: "Rename the list Grails" })).toBeTruthy();
});

test("the Lists badge counts the wishlist entries waiting for an answer, and goes when they are answered", async () => {
  let rs = [resolution(1, 10), resolution(1, 11), resolution(2, 20)];
  const resolvePlaceholder = vi.fn(async (entryId: number, albumId: number) => {
    rs = rs.filter((r) => r.entry_id !== entryId);
    return entry(entryId, { album_id: albumId });
  });
  app({ resolutions: async () => rs, resolvePlaceholder });
  const badge = await screen.findByTestId("lists-badge");
  expect(badge.textContent?.trim(), "two wishes, whatever the number of albums").toBe("2");
  await fireEvent.click(screen.getByRole("button", { name: /^Lists/ }));
  await fireEvent.click(await screen.findByRole("button", { name: /Wishlist matches/ }));
  await fireEvent.click(await screen.findByRole("button", { name: "Accept all" }));
  await waitFor(() => expect(screen.queryByTestId("lists-badge")).toBeNull());
  expect(resolvePlaceholder.mock.calls).toEqual([
    [1, 10],
    [2, 20],
  ]);
});

test("after a scan that found wishlist albums, a notice leads to them", async () => {
  let rs: ReturnType<typeof resolution>[] = [];
  const scan = vi.fn(async () => {
    rs = [resolution(1, 10, { title: "Dune" }), resolution(2, 20)];
    return report;
  });
  const { drop } = app({ scan, resolutions: async () => rs, addRoot: async (path) => root(path) });
  await screen.findByTestId("album-grid");
  expect(screen.queryByTestId("lists-badge")).toBeNull();
  drop(["/music"]);
  const notice = await screen.findByText(/2 wishlist entries are now in your library\./);
  expect((await screen.findByTestId("lists-badge")).textContent?.trim()).toBe("2");
  await fireEvent.click(within(notice).getByRole("button", { name: "Review" }));
  expect(await screen.findByTestId("resolutions")).toBeTruthy();
  expect(screen.getByRole("button", { name: /^Lists/ }).getAttribute("aria-current")).toBe("page");
  expect(screen.queryByText(/wishlist entries are now in your library/), "the notice is answered").toBeNull();
});

test("opening an album entry shows the album page, and Back returns to the list", async () => {
  const album = vi.fn(() => new Promise<never>(() => {}));
  app({ album });
  await fireEvent.click(screen.getByRole("button", { name: /^Lists/ }));
  await fireEvent.click(await screen.findByRole("button", { name: "Open the album Amélie" }));
  await waitFor(() => expect(album).toHaveBeenCalledWith(55));
  expect(screen.getByTestId("lists-view").closest(".hidden"), "the list stays mounted behind the album").toBeTruthy();
});
