import { expect, test } from "vitest";

import { Player } from "./player.svelte";
import { fakeEngine, settle, status, waveformOf } from "./testing";

async function connected(parts: Parameters<typeof fakeEngine>[0] = {}) {
  const engine = fakeEngine(parts);
  const player = new Player(engine.backend);
  await player.connect();
  return { engine, player };
}

test("connecting reads the engine's state and the stored volume", async () => {
  const { player } = await connected({
    playerStatus: async () => status({ output_available: false, output_problem: "no device" }),
    settings: async () => ({ preview_secs: 30, preview_start: { kind: "smart" }, target_lufs: -18, volume: 0.4, onboarded: true }),
  });
  expect(player.status.output_available, "the engine said it has no output").toBe(false);
  expect(player.volume, "the slider starts where the stored setting is").toBe(0.4);
});

test("a status event updates the state", async () => {
  const { engine, player } = await connected();
  engine.emitStatus({ state: "playing", track_id: 3, mode: "preview" });
  expect(player.status.state).toBe("playing");
  expect(player.playing).toBe(true);
  engine.emitStatus({ state: "paused", track_id: 3, mode: "preview" });
  expect(player.playing, "paused is not playing").toBe(false);
});

test("a new track loads its row and its waveform", async () => {
  const { engine, player } = await connected();
  engine.emitStatus({ state: "loading", track_id: 7, mode: "preview" });
  await settle();
  expect(player.track?.id, "now playing shows the new track").toBe(7);
  expect(player.waveform?.track_id, "the seek bar shows the new track's waveform").toBe(7);
});

test("a waveform that arrives after the track changed is dropped", async () => {
  const waiting = new Map<number, (w: ReturnType<typeof waveformOf>) => void>();
  const { engine, player } = await connected({
    waveform: (id) => new Promise((resolve) => waiting.set(id, resolve)),
  });
  engine.emitStatus({ state: "playing", track_id: 1, mode: "preview" });
  engine.emitStatus({ state: "playing", track_id: 2, mode: "preview" });
  waiting.get(2)!(waveformOf(2));
  await settle();
  waiting.get(1)!(waveformOf(1));
  await settle();
  expect(player.waveform?.track_id, "track 1's late waveform must not replace track 2's").toBe(2);
  expect(player.track?.id).toBe(2);
});

test("a track without a waveform still shows its title", async () => {
  const { engine, player } = await connected({ waveform: () => Promise.reject(new Error("cannot analyze")) });
  engine.emitStatus({ state: "playing", track_id: 4, mode: "full" });
  await settle();
  expect(player.track?.title).toBe("Cue 4");
  expect(player.waveform).toBeNull();
  expect(player.error, "a missing waveform is not a playback error").toBeNull();
});

test("stopping keeps the last track so that Space plays it again", async () => {
  const { engine, player } = await connected();
  engine.emitStatus({ state: "playing", track_id: 5, mode: "preview" });
  await settle();
  engine.emitStatus({ state: "stopped" });
  expect(player.track?.id).toBe(5);
  await player.toggle();
  expect(engine.calls.at(-1)).toEqual(["preview", 5]);
});

test("toggle pauses what plays and resumes what is paused", async () => {
  const { engine, player } = await connected();
  engine.emitStatus({ state: "playing", track_id: 5, mode: "full" });
  await player.toggle();
  engine.emitStatus({ state: "paused", track_id: 5, mode: "full" });
  await player.toggle();
  expect(engine.calls).toEqual([["pause"], ["resume"]]);
});

test("positions of a replaced track are ignored", async () => {
  const { engine, player } = await connected();
  engine.emitStatus({ state: "playing", track_id: 2, mode: "preview" });
  engine.emitPosition({ track_id: 1, position_ms: 90_000, duration_ms: 100_000, until_ms: null });
  expect(player.position).toBeNull();
  engine.emitPosition({ track_id: 2, position_ms: 1_000, duration_ms: 100_000, until_ms: 31_000 });
  expect(player.position?.position_ms).toBe(1_000);
});

test("errors of the engine and of commands land in player.error, and a start clears them", async () => {
  const { engine, player } = await connected({ seek: () => Promise.reject({ code: "playback", message: "cannot seek" }) });
  engine.emitError({ track_id: 3, message: "the file is missing" });
  expect(player.error).toBe("the file is missing");
  await player.seek(1000);
  expect(player.error).toBe("cannot seek");
  engine.emitStatus({ state: "playing", track_id: 3, mode: "preview" });
  expect(player.error, "a successful start clears the last error").toBeNull();
});

test("switching mode plays the preview in full from where it is, and back", async () => {
  const { engine, player } = await connected();
  engine.emitStatus({ state: "playing", track_id: 8, mode: "preview" });
  engine.emitPosition({ track_id: 8, position_ms: 42_300, duration_ms: 200_000, until_ms: 60_000 });
  await player.switchMode();
  engine.emitStatus({ state: "playing", track_id: 8, mode: "full" });
  await player.switchMode();
  expect(engine.calls).toEqual([
    ["play", 8, 42_300],
    ["preview", 8],
  ]);
});

test("nudging seeks from the position and stays inside the track", async () => {
  const { engine, player } = await connected();
  engine.emitStatus({ state: "playing", track_id: 8, mode: "full" });
  engine.emitPosition({ track_id: 8, position_ms: 3_000, duration_ms: 200_000, until_ms: null });
  await player.nudge(-5_000);
  await player.nudge(30_000);
  engine.emitPosition({ track_id: 8, position_ms: 198_000, duration_ms: 200_000, until_ms: null });
  await player.nudge(5_000);
  expect(engine.calls).toEqual([
    ["seek", 0],
    ["seek", 33_000],
    ["seek", 199_000],
  ]);
});

test("mute remembers the volume it silenced", async () => {
  const { engine, player } = await connected();
  await player.setVolume(0.6);
  await player.toggleMute();
  expect(player.muted).toBe(true);
  await player.toggleMute();
  expect(player.volume).toBe(0.6);
  expect(engine.calls).toEqual([["setVolume", 0.6], ["setVolume", 0], ["setVolume", 0.6]]);
});

test("volume is clamped to 0–1", async () => {
  const { engine, player } = await connected();
  await player.setVolume(1.7);
  await player.setVolume(-1);
  expect(engine.calls).toEqual([["setVolume", 1], ["setVolume", 0]]);
});

test("skimming is remembered until playback stops", async () => {
  const { engine, player } = await connected();
  await player.skim([1, 2, 3]);
  expect(player.skimming).toEqual([1, 2, 3]);
  engine.emitStatus({ state: "playing", track_id: 2, mode: "preview" });
  expect(player.skimming.length).toBe(3);
  engine.emitStatus({ state: "stopped" });
  expect(player.skimming, "the skim is over").toEqual([]);
});
