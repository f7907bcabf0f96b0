import { expect, test, vi } from "vitest";

import { fakeBackend } from "../api/fake";
import type { Settings } from "../api/types";
import { clampSettings, createSaver, describeLoudness, formatLufs, type SaveStatus } from "./settings";

const base: Settings = { preview_secs: 30, preview_start: { kind: "smart" }, target_lufs: -18, volume: 0.8, onboarded: true };

test("settings are brought into the ranges Rust accepts", () => {
  expect(clampSettings({ ...base, preview_secs: 300, target_lufs: -2, volume: 3 })).toMatchObject({
    preview_secs: 120,
    target_lufs: -8,
    volume: 1,
  });
  expect(clampSettings({ ...base, preview_secs: 1.6, target_lufs: -99 })).toMatchObject({ preview_secs: 5, target_lufs: -30 });
  expect(clampSettings({ ...base, preview_secs: 12.4 }).preview_secs, "the length is a whole number of seconds").toBe(12);
  expect(clampSettings({ ...base, preview_start: { kind: "percent", value: 120 } }).preview_start).toEqual({ kind: "percent", value: 95 });
  expect(clampSettings({ ...base, preview_secs: NaN, volume: NaN })).toMatchObject({ preview_secs: 30, volume: 1 });
});

test("loudness reads with a real minus sign and a sentence that fits the level", () => {
  expect(formatLufs(-18)).toBe("−18 LUFS");
  expect(formatLufs(-14.5)).toBe("−14.5 LUFS");
  expect(describeLoudness(-23)).toContain("broadcast");
  expect(describeLoudness(-14)).toContain("streaming");
  expect(describeLoudness(-18)).toMatch(/^Every preview and play is turned up or down to about −18 LUFS/);
});

test("slider changes are saved once, with the last value, after they rest", async () => {
  vi.useFakeTimers();
  try {
    const saveSettings = vi.fn(async (s: Settings) => s);
    const statuses: SaveStatus[] = [];
    const saver = createSaver(fakeBackend({ saveSettings }), (s) => statuses.push(s), 400);
    await saver.change({ ...base, preview_secs: 20 });
    await vi.advanceTimersByTimeAsync(200);
    await saver.change({ ...base, preview_secs: 25 });
    await vi.advanceTimersByTimeAsync(399);
    expect(saveSettings).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(saveSettings.mock.calls).toEqual([[{ ...base, preview_secs: 25 }]]);
    expect(statuses.map((s) => s.kind)).toEqual(["saving", "saved"]);
  } finally {
    vi.useRealTimers();
  }
});

test("a change made while a save runs is saved right after it, and only the last result is reported", async () => {
  const resolvers: ((s: Settings) => void)[] = [];
  const saveSettings = vi.fn((s: Settings) => new Promise<Settings>((r) => resolvers.push(() => r(s))));
  const statuses: SaveStatus[] = [];
  const saver = createSaver(fakeBackend({ saveSettings }), (s) => statuses.push(s));
  const first = saver.change({ ...base, target_lufs: -20 }, true);
  void saver.change({ ...base, target_lufs: -14 }, true);
  expect(saveSettings).toHaveBeenCalledTimes(1);
  resolvers[0](base);
  await Promise.resolve();
  await Promise.resolve();
  expect(saveSettings).toHaveBeenCalledTimes(2);
  resolvers[1](base);
  await first;
  const saved = statuses.filter((s) => s.kind === "saved");
  expect(saved).toEqual([{ kind: "saved", settings: { ...base, target_lufs: -14 } }]);
});

test("a failed save is reported with its message", async () => {
  const saver = createSaver(
    fakeBackend({ saveSettings: () => Promise.reject({ code: "catalog", message: "database is locked" }) }),
    (s) => statuses.push(s),
  );
  const statuses: SaveStatus[] = [];
  await saver.change(base, true);
  expect(statuses.at(-1)).toEqual({ kind: "error", message: "database is locked" });
});
