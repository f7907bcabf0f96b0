// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, expect, test, vi } from "vitest";

import { fakeBackend } from "../api/fake";
import type { Problem } from "../api/types";
import ProblemsView from "./ProblemsView.svelte";

const seen = Math.floor(Date.now() / 1000) - 120;
const longFolder = "/media/archive/" + "Sound tracks ".repeat(30).trim();
const problems: Problem[] = [
  { path: "/music/Amélie/02.flac", reason: "broken FLAC file: lost sync", seen_at: seen },
  { path: "/music/Ghibli/�ruined name.mp3", reason: "empty file", seen_at: seen },
  { path: `${longFolder}/cue.ogg`, reason: "broken FLAC file: bad header", seen_at: seen },
];

afterEach(() => vi.unstubAllGlobals());

test("lists every problem with its count, reason and full path", async () => {
  render(ProblemsView, { backend: fakeBackend({ problems: async () => problems }), revision: 0 });
  const rows = await screen.findAllByTestId("problem-row");
  expect(rows.length).toBe(3);
  expect(screen.getByRole("heading", { level: 2 }).textContent).toContain("3");
  expect(screen.getByRole("heading", { name: /Broken FLAC file\s*2/ })).toBeTruthy();
  expect(screen.getByText("lost sync"), "under its reason's heading a row shows only the details").toBeTruthy();
  await fireEvent.click(screen.getByRole("button", { name: "Newest" }));
  expect(screen.getByText("empty file")).toBeTruthy();
  expect(screen.getByText("�ruined name.mp3").getAttribute("title"), "the full path is a hover away").toBe("/music/Ghibli/�ruined name.mp3");
});

test("the filter narrows the list, accents aside", async () => {
  render(ProblemsView, { backend: fakeBackend({ problems: async () => problems }), revision: 0 });
  await screen.findAllByTestId("problem-row");
  await fireEvent.input(screen.getByLabelText("Filter problems"), { target: { value: "amelie" } });
  const rows = screen.getAllByTestId("problem-row");
  expect(rows.length).toBe(1);
  expect(within(rows[0]).getByText("02.flac")).toBeTruthy();
  await fireEvent.input(screen.getByLabelText("Filter problems"), { target: { value: "nothing like it" } });
  expect(screen.queryAllByTestId("problem-row")).toEqual([]);
  expect(screen.getByText("No problem matches “nothing like it”.")).toBeTruthy();
});

test("grouping by folder makes one heading per folder", async () => {
  render(ProblemsView, { backend: fakeBackend({ problems: async () => problems }), revision: 0 });
  await screen.findAllByTestId("problem-row");
  await fireEvent.click(screen.getByRole("button", { name: "Folder" }));
  const headings = screen.getAllByRole("heading", { level: 3 }).map((h) => h.getAttribute("title"));
  expect(headings).toEqual([longFolder, "/music/Amélie", "/music/Ghibli"]);
});

test("with nothing wrong the view says every file was read", async () => {
  render(ProblemsView, { backend: fakeBackend({ problems: async () => [] }), revision: 0 });
  expect(await screen.findByText("No problems — every file was read.")).toBeTruthy();
});

test("copy puts the full path on the clipboard, and says so when there is none", async () => {
  const writeText = vi.fn(async () => {});
  vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
  render(ProblemsView, { backend: fakeBackend({ problems: async () => problems }), revision: 0 });
  await fireEvent.click(await screen.findByRole("button", { name: "Copy the path of 02.flac" }));
  await waitFor(() => expect(writeText).toHaveBeenCalledWith("/music/Amélie/02.flac"));
  expect(await screen.findByText("Copied")).toBeTruthy();

  vi.stubGlobal("navigator", { ...navigator, clipboard: undefined });
  await fireEvent.click(screen.getByRole("button", { name: "Copy the path of cue.ogg" }));
  expect(await screen.findByText(/Cannot copy here/)).toBeTruthy();
});

test("a new revision reads the problems again", async () => {
  const read = vi.fn().mockResolvedValueOnce(problems).mockResolvedValue([]);
  const view = render(ProblemsView, { backend: fakeBackend({ problems: read }), revision: 0 });
  await screen.findAllByTestId("problem-row");
  await view.rerender({ revision: 1 });
  expect(await screen.findByText("No problems — every file was read.")).toBeTruthy();
});

test("a failure to list is shown", async () => {
  render(ProblemsView, { backend: fakeBackend({ problems: () => Promise.reject({ code: "catalog", message: "locked" }) }), revision: 0 });
  expect((await screen.findByRole("alert")).textContent).toContain("locked");
});
