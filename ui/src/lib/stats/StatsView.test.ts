// @vitest-environment jsdom
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import { fakeBackend } from "../api/fake";
import type { Stats } from "../api/types";
import StatsView from "./StatsView.svelte";

const stats: Stats = {
  totals: {
    tracks: 1234,
    missing: 2,
    albums: 120,
    works: 80,
    composers: 45,
    duration_ms: ((3 * 24 + 4) * 60 + 10) * 60_000,
    bytes: 48_300_000_000,
    covers: 90,
    problems: 0,
    roots: 2,
    roots_offline: 1,
  },
  formats: [
    { key: "flac", tracks: 1000, albums: 100 },
    { key: "mp3", tracks: 234, albums: 20 },
  ],
  decades: [
    { key: "1960s", tracks: 100, albums: 10 },
    { key: "1990s", tracks: 900, albums: 80 },
    { key: "unknown", tracks: 234, albums: 30 },
  ],
  composers: [
    { key: "Ennio Morricone", tracks: 300, albums: 25 },
    { key: "久石譲", tracks: 200, albums: 12 },
  ],
  labels: [{ key: "Varèse Sarabande", tracks: 400, albums: 33 }],
};

async function mounted(s: Stats = stats) {
  render(StatsView, { backend: fakeBackend({ stats: async () => s }), revision: 0 });
  return screen.findByText("Listening time");
}

function total(label: string): string {
  const card = screen.getByText(label, { selector: "dt" }).closest(".total") as HTMLElement;
  return [...card.querySelectorAll("dd")].map((d) => d.textContent?.trim()).join(" | ");
}

test("the totals are big numbers with readable units", async () => {
  await mounted();
  expect(screen.getByTestId("stats-view")).toBeTruthy();
  expect(total("Tracks")).toBe("1,234 | in 2 folders · 1 offline");
  expect(total("Listening time")).toBe("3 days 4 hours");
  expect(screen.getByText("Listening time", { selector: "dt" }).nextElementSibling?.getAttribute("aria-label")).toBe("3 days 4 hours");
  expect(total("On disk")).toBe("48.3 GB");
  expect(total("Covers")).toBe("90 | 75% of albums");
  expect(total("Missing")).toBe("2 | tracks whose file is gone");
  expect(total("Problems")).toBe("0 | every file was read");
});

test("each chart is an image with a summary, and every bar has its value in a tooltip", async () => {
  await mounted();
  const images = screen.getAllByRole("img");
  expect(images.map((i) => i.getAttribute("aria-label"))).toEqual([
    "Albums by decade: the most albums are in 1990s (80 of 120), across 3 decades.",
    "Albums by format: the most albums are in FLAC (100 of 120), across 2 formats.",
    "Top composers by albums: Ennio Morricone 25, 久石譲 12.",
    "Top labels by albums: Varèse Sarabande 33.",
  ]);
  const titles = [...images[0].querySelectorAll("title")].map((t) => t.textContent);
  expect(titles).toEqual(["1960s: 10 albums", "1990s: 80 albums", "Unknown: 30 albums"]);
});

test("bars are as long as their values", async () => {
  await mounted();
  const composers = screen.getByRole("img", { name: /Top composers/ });
  const bars = [...composers.querySelectorAll("rect.bar")].map((r) => Number(r.getAttribute("width")));
  expect(bars[0] / bars[1]).toBeCloseTo(25 / 12, 1);
});

test("counting tracks instead of albums redraws the charts", async () => {
  await mounted();
  await fireEvent.click(screen.getByRole("button", { name: "Tracks" }));
  expect(screen.getAllByRole("img")[0].getAttribute("aria-label")).toBe(
    "Tracks by decade: the most tracks are in 1990s (900 of 1,234), across 3 decades.",
  );
});

test("a chart can be read as a table", async () => {
  await mounted();
  const frame = screen.getByRole("heading", { name: "Top composers" }).closest("figure") as HTMLElement;
  await fireEvent.click(within(frame).getByRole("button", { name: "Table" }));
  const rows = within(frame).getAllByRole("row").map((r) => r.textContent);
  expect(rows).toEqual(["Top composersAlbums", "Ennio Morricone25", "久石譲12"]);
  expect(within(frame).queryByRole("img")).toBeNull();
});

test("an empty library shows zeros and a hint instead of empty charts", async () => {
  const empty: Stats = {
    totals: { ...stats.totals, tracks: 0, albums: 0, works: 0, composers: 0, duration_ms: 0, bytes: 0, covers: 0, missing: 0, roots: 0, roots_offline: 0 },
    formats: [],
    decades: [],
    composers: [],
    labels: [],
  };
  await mounted(empty);
  expect(screen.queryAllByRole("img")).toEqual([]);
  expect(screen.getByText(/Nothing is cataloged yet/)).toBeTruthy();
});

test("a new revision reads the statistics again; a failure is shown", async () => {
  const read = vi.fn().mockResolvedValueOnce(stats).mockRejectedValueOnce({ code: "catalog", message: "locked" });
  const view = render(StatsView, { backend: fakeBackend({ stats: read }), revision: 0 });
  await screen.findByText("Listening time");
  await view.rerender({ revision: 1 });
  expect((await screen.findByRole("alert")).textContent).toContain("locked");
  expect(read).toHaveBeenCalledTimes(2);
});
