// @vitest-environment jsdom
import { fireEvent, render, screen } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import type { Settings } from "../api/types";
import { Player } from "./player.svelte";
import PlayerBar from "./PlayerBar.svelte";
import { fakeEngine, settle, status, trackRow } from "./testing";

const stored: Settings = { preview_secs: 30, preview_start: { kind: "smart" }, target_lufs: -18, volume: 1, onboarded: true };

async function mounted(parts: Parameters<typeof fakeEngine>[0] = {}) {
  const engine = fakeEngine({ settings: async () => stored, ...parts });
  const player = new Player(engine.backend);
  await player.connect();
  render(PlayerBar, { player, backend: engine.backend });
  await settle();
  return { engine, player };
}

test("without an audio output the bar says so, and why, without blocking anything", async () => {
  await mounted({
    playerStatus: async () =>
      status({ output_available: false, output_problem: "no audio output: the default sound device could not be opened (ALSA: no card)" }),
  });
  const notice = screen.getByTestId("audio-notice");
  expect(notice.textContent).toContain(
    "No audio output — the default sound device could not be opened (ALSA: no card). Everything else works; playing will try again.",
  );
  expect(screen.getByTestId("player-bar").contains(notice)).toBe(true);
});

test("with an audio output there is no notice", async () => {
  await mounted();
  expect(screen.queryByTestId("audio-notice")).toBeNull();
});

test("the bar shows what plays, its mode and where it is", async () => {
  const { engine } = await mounted({ track: async (id) => trackRow(id, { title: "Comptine d'un autre été" }) });
  engine.emitStatus({ state: "playing", track_id: 3, mode: "preview" });
  engine.emitPosition({ track_id: 3, position_ms: 61_000, duration_ms: 180_000, until_ms: 91_000 });
  await settle();
  expect(screen.getByText("Comptine d'un autre été")).toBeTruthy();
  expect(screen.getByTestId("player-position").textContent).toBe("1:01");
  expect(screen.getByText("3:00")).toBeTruthy();
  expect(screen.getByRole("button", { name: "Preview" }).getAttribute("aria-pressed")).toBe("true");
  expect(screen.getByRole("button", { name: "Pause" })).toBeTruthy();
  engine.emitPosition({ track_id: 3, position_ms: 62_000, duration_ms: 180_000, until_ms: 91_000 });
  await settle();
  expect(screen.getByTestId("player-position").textContent, "the elapsed time follows the engine").toBe("1:02");
});

test("while a track loads the bar says so, and the elapsed time stays a time", async () => {
  const { engine } = await mounted({ track: () => new Promise(() => {}) });
  engine.emitStatus({ state: "loading", track_id: 3, mode: "preview" });
  await settle();
  expect(screen.getByText("Loading…")).toBeTruthy();
  expect(screen.getByTestId("player-position").textContent).toBe("0:00");
});

test("a known track that loads again keeps its title beside the loading note", async () => {
  const { engine } = await mounted();
  engine.emitStatus({ state: "playing", track_id: 3, mode: "preview" });
  await settle();
  engine.emitStatus({ state: "loading", track_id: 3, mode: "full" });
  await settle();
  expect(screen.getByText("Cue 3")).toBeTruthy();
  expect(screen.getByRole("status").textContent).toBe("Loading…");
});

test("Full restarts the preview in full from where it is", async () => {
  const { engine } = await mounted();
  engine.emitStatus({ state: "playing", track_id: 3, mode: "preview" });
  engine.emitPosition({ track_id: 3, position_ms: 45_000, duration_ms: 180_000, until_ms: 75_000 });
  await settle();
  await fireEvent.click(screen.getByRole("button", { name: "Full" }));
  expect(engine.calls).toContainEqual(["play", 3, 45_000]);
});

test("the play button pauses, the stop button stops", async () => {
  const { engine } = await mounted();
  engine.emitStatus({ state: "playing", track_id: 3, mode: "full" });
  await settle();
  await fireEvent.click(screen.getByRole("button", { name: "Pause" }));
  await fireEvent.click(screen.getByRole("button", { name: "Stop" }));
  expect(engine.calls).toEqual([["pause"], ["stop"]]);
});

test("a playback error is shown and can be dismissed", async () => {
  const { engine, player } = await mounted();
  engine.emitError({ track_id: 3, message: "the file is missing" });
  await settle();
  expect(screen.getByRole("alert").textContent).toContain("the file is missing");
  await fireEvent.click(screen.getByRole("button", { name: "Dismiss the error" }));
  expect(player.error).toBeNull();
  expect(screen.queryByRole("alert")).toBeNull();
});

test("the volume slider sets the volume at once and stores it when it rests", async () => {
  const saveSettings = vi.fn(async (s: Settings) => s);
  const { engine } = await mounted({ saveSettings });
  vi.useFakeTimers();
  try {
    const slider = screen.getByRole("slider", { name: "Volume" });
    await fireEvent.input(slider, { target: { value: "40" } });
    await fireEvent.input(slider, { target: { value: "35" } });
    expect(engine.calls).toEqual([["setVolume", 0.4], ["setVolume", 0.35]]);
    expect(saveSettings).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(saveSettings.mock.calls).toEqual([[{ ...stored, volume: 0.35 }]]);
  } finally {
    vi.useRealTimers();
  }
});
