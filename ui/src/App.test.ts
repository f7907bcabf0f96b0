// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import App from "./App.svelte";
import type { Backend } from "./lib/api/backend";
import { fakeBackend } from "./lib/api/fake";
import type { Orphan, Root, ScanReport, Settings, Stats, TagCount, TrackPage } from "./lib/api/types";

const settings: Settings = {
  preview_secs: 30,
  preview_start: { kind: "smart" },
  target_lufs: -18,
  volume: 1,
  onboarded: false,
};

const report: ScanReport = {
  roots: 1, roots_offline: [], files_seen: 3, unchanged: 0, added: 3, updated: 0, moved: 0,
  returned: 0, missing: 0, problems: 0, not_audio: 0, cancelled: false, elapsed_ms: 5, annotation_orphans: 0, wishlist_matches: 0, article_suggestions: 0,
};

function root(path: string): Root {
  return { id: 1, path, added_at: 0, last_scan_at: null, offline_since: null, tracks: 0, missing: 0 };
}

/** A backend for the whole app: an empty library unless `parts` says otherwise. */
function appBackend(parts: Partial<Backend> = {}) {
  let drop: (paths: string[]) => void = () => {};
  const saved: Settings[] = [];
  const backend = fakeBackend({
    settings: async () => settings,
    saveSettings: async (s) => (saved.push(s), s),
    roots: async () => [],
    onPlayer: async () => () => {},
    onPosition: async () => () => {},
    onPlaybackError: async () => () => {},
    onAnalysis: async () => () => {},
    onDrop: async (h) => ((drop = h), () => {}),
    playerStatus: async () => ({ state: "stopped", track_id: null, mode: null, output_available: true, output_problem: null }),
    albumGroups: async () => [],
    albums: async () => [],
    musicFolder: async () => null,
    scan: async () => report,
    stats: async () => ({}) as Stats,
    orphans: async () => [],
    relinkProposals: async () => [],
    tags: async () => [],
    ...parts,
  });
  return { backend, drop: (paths: string[]) => drop(paths), saved };
}

test("a first run without folders greets the user, and skipping marks the greeting seen", async () => {
  const { backend, saved } = appBackend();
  render(App, { backend });
  const greeting = await screen.findByTestId("onboarding");
  await fireEvent.click(await screen.findByText("Skip for now"));
  await waitFor(() => expect(saved.map((s) => s.onboarded)).toEqual([true]));
  expect(greeting.isConnected).toBe(false);
});

test("no greeting once there are folders", async () => {
  const { backend } = appBackend({ roots: async () => [root("/music")] });
  render(App, { backend });
  await screen.findByTestId("album-grid");
  expect(screen.queryByTestId("onboarding")).toBeNull();
});

test("folders dropped on the window are added and scanned; a bad one is reported by name", async () => {
  const added: string[] = [];
  const scan = vi.fn(async () => report);
  const { backend, drop } = appBackend({
    settings: async () => ({ ...settings, onboarded: true }),
    addRoot: async (path) => {
      if (path === "/etc/passwd") throw { code: "bad_folder", message: "/etc/passwd is not a folder" };
      added.push(path);
      return root(path);
    },
    scan,
  });
  render(App, { backend });
  await screen.findByTestId("album-grid");
  drop(["/music/soundtracks", "/etc/passwd"]);
  await waitFor(() => expect(scan).toHaveBeenCalledTimes(1));
  expect(added).toEqual(["/music/soundtracks"]);
  expect((await screen.findByRole("status")).textContent).toContain("/etc/passwd is not a folder");
  expect(screen.getByText("Library folders")).toBeTruthy();
});

function orphan(id: number): Orphan {
  return { subject_id: id, kind: "track", was: `Cue ${id}`, rating: 4, has_note: false, tags: [], cue_notes: 0, has_fields: false, updated_at: 0 };
}

test("the navigation lists every view, Tags and Orphans included", async () => {
  const { backend } = appBackend({ settings: async () => ({ ...settings, onboarded: true }) });
  render(App, { backend });
  const nav = screen.getByRole("navigation", { name: "Views" });
  expect([...nav.querySelectorAll("button")].map((b) => [b.textContent?.trim(), b.dataset.view])).toEqual([
    ["Albums", "library"],
    ["Tracks", "tracks"],
    ["Tags", "tags"],
    ["Lists", "lists"],
    ["Articles", "articles"],
    ["Folders", "folders"],
    ["Problems", "problems"],
    ["Orphans", "orphans"],
    ["Statistics", "stats"],
    ["Settings", "settings"],
  ]);
  await fireEvent.click(screen.getByRole("button", { name: "Tags" }));
  expect(await screen.findByTestId("tags-view")).toBeTruthy();
  await fireEvent.click(screen.getByRole("button", { name: "Orphans" }));
  expect(await screen.findByText("Every annotation is attached.")).toBeTruthy();
  expect(screen.queryByTestId("orphans-badge"), "no badge with nothing waiting").toBeNull();
});

test("clicking a tag's name shows its tracks", async () => {
  const searchTracks = vi.fn(async (): Promise<TrackPage> => ({ total: 0, tracks: [] }));
  const tags: TagCount[] = [{ id: 1, name: "film noir", color: null, albums: 0, tracks: 3, works: 0 }];
  const { backend } = appBackend({ settings: async () => ({ ...settings, onboarded: true }), tags: async () => tags, searchTracks });
  render(App, { backend });
  await fireEvent.click(screen.getByRole("button", { name: "Tags" }));
  await fireEvent.click(await screen.findByRole("button", { name: "film noir" }));
  expect(await screen.findByTestId("track-table")).toBeTruthy();
  expect((screen.getByLabelText("Search the library") as HTMLInputElement).value).toBe('tag:"film noir"');
  await waitFor(() => expect(searchTracks).toHaveBeenCalledWith('tag:"film noir"', 200, 0, undefined));
  expect(screen.getByRole("button", { name: "Tracks" }).getAttribute("aria-current")).toBe("page");
});

test("a scan that leaves orphans says so, links to them and updates the badge", async () => {
  let finish: (r: ScanReport) => void = () => {};
  let waiting: Orphan[] = [];
  const { backend, drop } = appBackend({
    settings: async () => ({ ...settings, onboarded: true }),
    addRoot: async (path) => root(path),
    scan: () => new Promise((done) => (finish = done)),
    orphans: async () => waiting,
  });
  render(App, { backend });
  await screen.findByTestId("album-grid");
  drop(["/music"]);
  await screen.findByText("Library folders");
  await fireEvent.click(screen.getByRole("button", { name: "Albums" }));
  waiting = [orphan(1), orphan(2)];
  finish({ ...report, annotation_orphans: 2 });
  const notice = await screen.findByText(/2 annotated albums, tracks or works are no longer in your folders/);
  await waitFor(() => expect(screen.getByTestId("orphans-badge").textContent).toBe("2"));
  await fireEvent.click(within(notice).getByRole("button", { name: "Review orphans" }));
  expect((await screen.findAllByTestId("orphan-row")).length).toBe(2);
  expect(screen.queryByText(/no longer in your folders/), "the notice goes once the orphans are shown").toBeNull();

  await fireEvent.click(screen.getByRole("button", { name: /Folders/ }));
  expect(screen.getByText(/2 annotated albums, tracks or works/), "the folders view keeps the scan's report").toBeTruthy();
  await fireEvent.click(screen.getByRole("button", { name: "Review orphans" }));
  expect(await screen.findByTestId("orphans-view")).toBeTruthy();
});

test("the navigation switches views and marks the current one", async () => {
  const { backend } = appBackend({ settings: async () => ({ ...settings, onboarded: true }), problems: async () => [] });
  render(App, { backend });
  const problems = screen.getByRole("button", { name: "Problems" });
  await fireEvent.click(problems);
  await screen.findByTestId("problems-view");
  expect(problems.getAttribute("aria-current")).toBe("page");
  expect(screen.queryByTestId("album-grid")).toBeNull();
});
