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

test("backs up annotations to the chosen file and says how many items it saved", async () => {
  let finish: (n: number) => void = () => {};
  const backup = vi.fn((_path: string) => new Promise<number>((done) => (finish = done)));
  await mounted({ pickBackupTarget: async () => "/home/me/cuebook-backup.json", backup });
  const button = screen.getByRole("button", { name: "Back up annotations…" });
  await fireEvent.click(button);
  expect(await screen.findByText("Backing up to /home/me/cuebook-backup.json…")).toBeTruthy();
  expect((button as HTMLButtonElement).disabled, "busy while it runs").toBe(true);
  expect((screen.getByRole("button", { name: "Restore from a backup…" }) as HTMLButtonElement).disabled).toBe(true);
  finish(1_204);
  expect(await screen.findByText("Saved 1,204 items to /home/me/cuebook-backup.json")).toBeTruthy();
  expect(backup).toHaveBeenCalledWith("/home/me/cuebook-backup.json");
  expect((button as HTMLButtonElement).disabled).toBe(false);
});

test("a cancelled save dialog does nothing", async () => {
  const backup = vi.fn(async () => 1);
  await mounted({ pickBackupTarget: async () => null, backup });
  await fireEvent.click(screen.getByRole("button", { name: "Back up annotations…" }));
  await waitFor(() => expect((screen.getByRole("button", { name: "Back up annotations…" }) as HTMLButtonElement).disabled).toBe(false));
  expect(backup).not.toHaveBeenCalled();
  expect(screen.queryByRole("alert")).toBeNull();
});

test("a failed backup is shown with the file named", async () => {
  await mounted({
    pickBackupTarget: async () => "/ro/cuebook.json",
    backup: () => Promise.reject({ code: "backup", message: "cannot write /ro/cuebook.json: read-only file system" }),
  });
  await fireEvent.click(screen.getByRole("button", { name: "Back up annotations…" }));
  expect((await screen.findByRole("alert")).textContent).toBe("cannot write /ro/cuebook.json: read-only file system");
});

test("a restore shows its report, the orphans it left and what it skipped", async () => {
  const restore = vi.fn(async () => ({
    tags_created: 2,
    subjects_created: 3,
    subjects_updated: 0,
    cue_notes_added: 12,
    lists_created: 0,
    lists_updated: 0,
    articles_created: 0,
    articles_updated: 0,
    orphans: 4,
    skipped: ["entry 7: rating 9: expected 0 to 5", "entry 9: <b>not markup</b>"],
  }));
  const onRestored = vi.fn();
  const onShowOrphans = vi.fn();
  const engine = fakeEngine({ settings: async () => stored, pickBackupFile: async () => "/b.json", restore });
  const player = new Player(engine.backend);
  render(SettingsView, { backend: engine.backend, player, onRestored, onShowOrphans });
  await fireEvent.click(await screen.findByRole("button", { name: "Restore from a backup…" }));
  const report = await screen.findByTestId("restore-report");
  expect(restore).toHaveBeenCalledWith("/b.json");
  expect(report.textContent).toContain("Restored from /b.json");
  expect([...report.querySelectorAll("li")].map((li) => li.textContent)).toEqual([
    "3 items annotated for the first time",
    "12 time-coded notes added",
    "2 new tags",
    "entry 7: rating 9: expected 0 to 5",
    "entry 9: <b>not markup</b>",
  ]);
  expect(report.querySelector("b"), "skipped reasons are text").toBeNull();
  expect(report.textContent).toContain("2 entries were skipped");
  expect(report.textContent).toContain("4 annotations are waiting for their files");
  expect(onRestored).toHaveBeenCalledTimes(1);
  await fireEvent.click(screen.getByRole("button", { name: "Show the orphans" }));
  expect(onShowOrphans).toHaveBeenCalled();
});

test("a cancelled open dialog restores nothing, and a failed restore names the file", async () => {
  const restore = vi.fn(() => Promise.reject({ code: "backup", message: "/b.json: not a Cuebook backup (no version)" }));
  const pickBackupFile = vi.fn().mockResolvedValueOnce(null).mockResolvedValue("/b.json");
  await mounted({ pickBackupFile, restore });
  await fireEvent.click(screen.getByRole("button", { name: "Restore from a backup…" }));
  await waitFor(() => expect(pickBackupFile).toHaveBeenCalledTimes(1));
  await waitFor(() => expect((screen.getByRole("button", { name: "Restore from a backup…" }) as HTMLButtonElement).disabled).toBe(false));
  expect(restore).not.toHaveBeenCalled();
  await fireEvent.click(screen.getByRole("button", { name: "Restore from a backup…" }));
  expect((await screen.findByRole("alert")).textContent).toBe("/b.json: not a Cuebook backup (no version)");
});
