// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import type { Backend } from "../api/backend";
import type { Settings } from "../api/types";
import { Player } from "../player/player.svelte";
import { fakeEngine } from "../player/testing";
import SettingsView from "./SettingsView.svelte";

const stored: Settings = { preview_secs: 30, preview_start: { kind: "smart" }, target_lufs: -18, volume: 0.5, onboarded: true };

async function mounted(parts: Partial<Backend> = {}) {
  const saveSettings = vi.fn(async (s: Settings) => s);
  const engine = fakeEngine({ settings: async () => stored, saveSettings, ...parts });
  const player = new Player(engine.backend);
  await player.connect();
  render(SettingsView, { backend: engine.backend, player });
  await screen.findByLabelText("Length");
  return { engine, player, saveSettings };
}

test("shows the stored settings and explains the loudness target", async () => {
  await mounted();
  expect((screen.getByLabelText("Length") as HTMLInputElement).value).toBe("30");
  expect((screen.getByRole("radio", { name: /most characteristic/ }) as HTMLInputElement).checked).toBe(true);
  expect(screen.getByText(/turned up or down to about −18 LUFS/)).toBeTruthy();
  expect((screen.getByLabelText("Volume") as HTMLInputElement).value).toBe("50");
});

test("a typed preview length out of range is clamped, saved and shown clamped", async () => {
  const { saveSettings } = await mounted();
  const field = screen.getByLabelText("Preview length in seconds") as HTMLInputElement;
  await fireEvent.change(field, { target: { value: "600" } });
  await waitFor(() => expect(saveSettings).toHaveBeenCalled());
  expect(saveSettings.mock.calls[0][0]).toEqual({ ...stored, preview_secs: 120 });
  expect(field.value).toBe("120");
  expect(await screen.findByText("✓ Saved")).toBeTruthy();
});

test("choosing a percentage start saves it with a value", async () => {
  const { saveSettings } = await mounted();
  await fireEvent.click(screen.getByRole("radio", { name: /A point in the track/ }));
  await waitFor(() => expect(saveSettings).toHaveBeenCalled());
  expect(saveSettings.mock.calls[0][0].preview_start).toEqual({ kind: "percent", value: 33 });
  const percent = screen.getByLabelText("Start point in percent");
  await fireEvent.change(percent, { target: { value: "99" } });
  await waitFor(() => expect(saveSettings).toHaveBeenCalledTimes(2));
  expect(saveSettings.mock.calls[1][0].preview_start, "the Rust side accepts up to 95%").toEqual({ kind: "percent", value: 95 });
});

test("the volume slider plays at the new volume at once", async () => {
  const { engine, player } = await mounted();
  await fireEvent.input(screen.getByLabelText("Volume"), { target: { value: "20" } });
  expect(player.volume).toBe(0.2);
  expect(engine.calls).toContainEqual(["setVolume", 0.2]);
});

test("a failed save is shown", async () => {
  await mounted({ saveSettings: () => Promise.reject({ code: "catalog", message: "disk full" }) });
  await fireEvent.click(screen.getByRole("radio", { name: /The beginning/ }));
  expect((await screen.findByRole("alert")).textContent).toContain("disk full");
});

test("settings that cannot be read say so and can be read again", async () => {
  const settings = vi.fn().mockRejectedValueOnce(new Error("catalog is busy")).mockResolvedValue(stored);
  const engine = fakeEngine({ settings });
  const player = new Player(engine.backend);
  render(SettingsView, { backend: engine.backend, player });
  expect((await screen.findByRole("alert")).textContent).toContain("catalog is busy");
  await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
  expect(await screen.findByLabelText("Length")).toBeTruthy();
});
