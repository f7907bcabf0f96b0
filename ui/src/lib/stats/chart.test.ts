import { expect, test } from "vitest";

import { arcPath, bands, compact, niceAxis, percent, scale, slices, topWithOther, truncate } from "./chart";
import { formatListening, formatSize, listeningParts } from "./numbers";

test("axes end on a round number at or above the largest value", () => {
  expect(niceAxis(87, 4)).toEqual({ max: 100, step: 25, ticks: [0, 25, 50, 75, 100] });
  expect(niceAxis(1.7, 4), "no step of 2.5 when only whole numbers are counted").toEqual({ max: 2, step: 1, ticks: [0, 1, 2] });
  expect(niceAxis(1234, 4)).toEqual({ max: 1500, step: 500, ticks: [0, 500, 1000, 1500] });
  expect(niceAxis(7, 4)).toEqual({ max: 8, step: 2, ticks: [0, 2, 4, 6, 8] });
  expect(niceAxis(100, 4).max, "a value on a tick needs no further tick").toBe(100);
});

test("axes count whole things even for tiny or missing values", () => {
  expect(niceAxis(1)).toEqual({ max: 1, step: 1, ticks: [0, 1] });
  expect(niceAxis(3, 4).ticks).toEqual([0, 1, 2, 3]);
  expect(niceAxis(0).max).toBe(1);
  expect(niceAxis(NaN).max).toBe(1);
});

test("values scale along the axis and never past it", () => {
  expect(scale(50, 100, 200)).toBe(100);
  expect(scale(150, 100, 200)).toBe(200);
  expect(scale(-3, 100, 200)).toBe(0);
  expect(scale(5, 0, 200)).toBe(0);
});

test("bars share the length with gaps, capped bars stay centered in their band", () => {
  const b = bands(4, 400, 0.25);
  expect([b.step, b.bar, b.at(0), b.at(3)]).toEqual([100, 75, 12.5, 312.5]);
  const capped = bands(2, 400, 0.25, 40);
  expect([capped.bar, capped.at(0), capped.at(1)]).toEqual([40, 80, 280]);
  expect(bands(0, 400).bar).toBe(0);
});

test("short numbers for axis labels", () => {
  expect([compact(950), compact(1234), compact(12_345), compact(1_500_000)]).toEqual(["950", "1.2k", "12k", "1.5M"]);
});

test("labels are cut by characters, not bytes", () => {
  expect(truncate("Ryūichi Sakamoto", 20)).toBe("Ryūichi Sakamoto");
  expect(truncate("Ennio Morricone and the Orchestra", 12)).toBe("Ennio Morri…");
  expect(truncate("久石譲 / Joe Hisaishi", 4)).toBe("久石譲…");
});

test("small items are summed into Other", () => {
  const items = [
    { label: "FLAC", value: 50 },
    { label: "MP3", value: 30 },
    { label: "Ogg", value: 5 },
    { label: "WAV", value: 3 },
    { label: "none", value: 0 },
  ];
  expect(topWithOther(items, 2)).toEqual([
    { label: "FLAC", value: 50 },
    { label: "MP3", value: 30 },
    { label: "Other", value: 8 },
  ]);
  expect(topWithOther(items, 4).length, "empty items are left out, and no Other when all fit").toBe(4);
});

test("donut slices fill the circle in order", () => {
  const s = slices([1, 1, 2]);
  expect(s.map((x) => x.fraction)).toEqual([0.25, 0.25, 0.5]);
  expect(s[2].end).toBeCloseTo(2 * Math.PI);
  expect(s[1].start).toBeCloseTo(Math.PI / 2);
  expect(slices([0, 0]).map((x) => x.fraction)).toEqual([0, 0]);
});

test("a quarter ring starts at 12 o'clock and turns clockwise", () => {
  expect(arcPath(50, 50, 40, 20, 0, Math.PI / 2)).toBe("M 50 10 A 40 40 0 0 1 90 50 L 70 50 A 20 20 0 0 0 50 30 Z");
  expect(arcPath(50, 50, 40, 20, 0, 2 * Math.PI).match(/M /g)?.length, "a full ring is two halves").toBe(2);
  expect(arcPath(50, 50, 40, 20, 1, 1)).toBe("");
});

test("percentages round sensibly", () => {
  expect([percent(0.5), percent(0.034), percent(0.0004), percent(0)]).toEqual(["50%", "3.4%", "<0.1%", "0%"]);
});

test("listening time reads in days and hours, or hours and minutes", () => {
  expect(formatListening(((3 * 24 + 4) * 60 + 20) * 60_000)).toBe("3 days 4 hours");
  expect(formatListening(24 * 3_600_000)).toBe("1 day");
  expect(formatListening((5 * 60 + 12) * 60_000)).toBe("5 hours 12 min");
  expect(formatListening(42 * 60_000)).toBe("42 min");
  expect(formatListening(0)).toBe("0 min");
});

test("disk size is in GB, with TB and MB at the ends", () => {
  expect(formatSize(123_456_000_000)).toEqual({ value: "123", unit: "GB" });
  expect(formatSize(12_345_000_000)).toEqual({ value: "12.3", unit: "GB" });
  expect(formatSize(2_500_000_000_000)).toEqual({ value: "2.50", unit: "TB" });
  expect(formatSize(350_000_000)).toEqual({ value: "350", unit: "MB" });
  expect(formatSize(0)).toEqual({ value: "0", unit: "GB" });
});

test("listening time as big numbers keeps two units", () => {
  expect(listeningParts(((26 * 24 + 14) * 60 + 5) * 60_000)).toEqual([
    { value: "26", unit: "days" },
    { value: "14", unit: "hours" },
  ]);
  expect(listeningParts((60 + 1) * 60_000)).toEqual([
    { value: "1", unit: "hour" },
    { value: "1", unit: "min" },
  ]);
  expect(listeningParts(0)).toEqual([{ value: "0", unit: "min" }]);
});
