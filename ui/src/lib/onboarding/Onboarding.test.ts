// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { Root } from "../api/types";
import Onboarding from "./Onboarding.svelte";


function rootAt(path: string): Root {
  return { id: 1, path, added_at: 0, last_scan_at: null, offline_since: null, tracks: 0, missing: 0 };
}

function backendWith(parts: Partial<Backend>) {
  return { backend: fakeBackend(parts) };
}

test("offers the system Music folder by its real path and adds it", async () => {
  const addRoot = vi.fn(async (p: string) => rootAt(p));
  const onDone = vi.fn();
  const { backend } = backendWith({ musicFolder: async () => "/home/anaïs/Music", addRoot });
  render(Onboarding, { backend, onDone });
  const use = await screen.findByRole("button", { name: "Use ~/Music /home/anaïs/Music" });
  await fireEvent.click(use);
  await waitFor(() => expect(onDone).toHaveBeenCalled());
  expect(addRoot).toHaveBeenCalledWith("/home/anaïs/Music");
  expect(onDone).toHaveBeenCalledWith(rootAt("/home/anaïs/Music"));
});

test("a folder that cannot be added says why and lets the user choose again", async () => {
  const onDone = vi.fn();
  const addRoot = vi
    .fn()
    .mockRejectedValueOnce({ code: "bad_folder", message: "/mnt/nas is not readable." })
    .mockImplementation(async (p: string) => rootAt(p));
  const pickFolder = vi.fn().mockResolvedValueOnce("/mnt/nas").mockResolvedValueOnce("/mnt/music");
  const { backend } = backendWith({ musicFolder: async () => null, addRoot, pickFolder });
  render(Onboarding, { backend, onDone });
  await fireEvent.click(await screen.findByRole("button", { name: "Choose a folder…" }));
  expect((await screen.findByRole("alert")).textContent).toContain("/mnt/nas is not readable.");
  expect(onDone).not.toHaveBeenCalled();
  await fireEvent.click(screen.getByRole("button", { name: "Choose a folder…" }));
  await waitFor(() => expect(onDone).toHaveBeenCalledWith(rootAt("/mnt/music")));
});

test("cancelling the picker adds nothing", async () => {
  const addRoot = vi.fn();
  const onDone = vi.fn();
  const { backend } = backendWith({ musicFolder: async () => null, pickFolder: async () => null, addRoot });
  render(Onboarding, { backend, onDone });
  await fireEvent.click(await screen.findByRole("button", { name: "Choose a folder…" }));
  await new Promise((r) => setTimeout(r, 0));
  expect(addRoot).not.toHaveBeenCalled();
  expect(onDone).not.toHaveBeenCalled();
});

test("skipping finishes without a folder", async () => {
  const onDone = vi.fn();
  const addRoot = vi.fn();
  const { backend } = backendWith({ musicFolder: async () => "/home/a/Music", addRoot });
  render(Onboarding, { backend, onDone });
  await fireEvent.click(screen.getByRole("button", { name: "Skip for now" }));
  expect(onDone).toHaveBeenCalledWith(null);
  expect(addRoot).not.toHaveBeenCalled();
});

test("Tab stays inside the greeting", async () => {
  const { backend } = backendWith({ musicFolder: async () => "/home/a/Music" });
  render(Onboarding, { backend, onDone: () => {} });
  const use = await screen.findByRole("button", { name: /Use ~\/Music/ });
  const skip = screen.getByRole("button", { name: "Skip for now" });
  skip.focus();
  await fireEvent.keyDown(skip, { key: "Tab" });
  expect(document.activeElement).toBe(use);
  await fireEvent.keyDown(use, { key: "Tab", shiftKey: true });
  expect(document.activeElement).toBe(skip);
});
