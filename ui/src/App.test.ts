// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import App from "./App.svelte";
import type { Backend } from "./lib/api/backend";
import { fakeBackend } from "./lib/api/fake";
import type { Root, ScanReport, Settings, Stats } from "./lib/api/types";

const settings: Settings = {
  preview_secs: 30,
  preview_start: { kind: "smart" },
  target_lufs: -18,
  volume: 1,
  onboarded: false,
};

const report: ScanReport = {
  roots: 1, roots_offline: [], files_seen: 3, unchanged: 0, added: 3, updated: 0, moved: 0,
  returned: 0, missing: 0, problems: 0, not_audio: 0, cancelled: false, elapsed_ms: 5, annotation_orphans: 0,
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

test("the navigation switches views and marks the current one", async () => {
  const { backend } = appBackend({ settings: async () => ({ ...settings, onboarded: true }), problems: async () => [] });
  render(App, { backend });
  const problems = screen.getByRole("button", { name: "Problems" });
  await fireEvent.click(problems);
  await screen.findByTestId("problems-view");
  expect(problems.getAttribute("aria-current")).toBe("page");
  expect(screen.queryByTestId("album-grid")).toBeNull();
});
