import { expect, test } from "vitest";

import { decadeName, decadeShort, formatName, itemsOf, summarize, summarizeRanking } from "./summary";

const decades = [
  { key: "1980s", tracks: 40, albums: 4 },
  { key: "1990s", tracks: 90, albums: 9 },
  { key: "unknown", tracks: 3, albums: 1 },
];

test("counts become chart items in the chosen measure", () => {
  expect(itemsOf(decades, "albums", decadeName)).toEqual([
    { label: "1980s", value: 4 },
    { label: "1990s", value: 9 },
    { label: "Unknown", value: 1 },
  ]);
  expect(itemsOf(decades, "tracks").map((i) => i.value)).toEqual([40, 90, 3]);
});

test("format and decade names read well, short ones for narrow bars", () => {
  expect([formatName("flac"), formatName("mp3"), formatName("Matroska audio"), formatName("")]).toEqual([
    "FLAC",
    "MP3",
    "Matroska audio",
    "Unknown",
  ]);
  expect([decadeShort("1960s"), decadeShort("2020s"), decadeShort("Unknown")]).toEqual(["’60s", "’20s", "?"]);
});

test("a chart's summary names its largest item and the whole", () => {
  expect(summarize("Albums by decade", itemsOf(decades, "albums", decadeName), "albums", "decade")).toBe(
    "Albums by decade: the most albums are in 1990s (9 of 14), across 3 decades.",
  );
  expect(summarize("Formats", [], "tracks", "format")).toBe("Formats: nothing yet.");
});

test("a ranking's summary lists the first five", () => {
  const items = ["A", "B", "C", "D", "E", "F"].map((label, i) => ({ label, value: 10 - i }));
  expect(summarizeRanking("Top composers", items)).toBe("Top composers: A 10, B 9, C 8, D 7, E 6, …");
  expect(summarizeRanking("Top labels", items.slice(0, 2))).toBe("Top labels: A 10, B 9.");
});
