import { describe, expect, it } from "vitest";

import type { TrackRow } from "../api/types";
import { sortArgument, ariaSort, nextSort, albumOrder } from "./sort";
import { formatDetails, revealRow, trackNumber, trackTitle, visibleRows } from "./rows";

describe("visible rows", () => {
  it("are the rows on screen plus the overscan", () => {
    expect(visibleRows(3200, 640, 32, 100_000, 10)).toEqual({ start: 90, end: 130 });
  });
  it("stay inside the list at both ends", () => {
    expect(visibleRows(0, 640, 32, 100_000, 10)).toEqual({ start: 0, end: 30 });
    expect(visibleRows(32 * 99_990, 640, 32, 100_000, 10)).toEqual({ start: 99_980, end: 100_000 });
    expect(visibleRows(0, 640, 32, 5, 10)).toEqual({ start: 0, end: 5 });
    expect(visibleRows(0, 640, 32, 0, 10)).toEqual({ start: 0, end: 0 });
  });
  it("bring a row into view only when it is not", () => {
    expect(revealRow(5, 0, 320, 32), "row 5 is on screen").toBeNull();
    expect(revealRow(20, 0, 320, 32), "aligned to the bottom").toBe(21 * 32 - 320);
    expect(revealRow(2, 640, 320, 32), "aligned to the top").toBe(64);
  });
});

describe("sorting", () => {
  it("a header click sorts ascending, a second click descending", () => {
    const byTitle = nextSort(albumOrder, "title");
    expect(byTitle).toEqual({ key: "title", descending: false });
    expect(nextSort(byTitle, "title")).toEqual({ key: "title", descending: true });
    expect(nextSort({ key: "title", descending: true }, "year")).toEqual({ key: "year", descending: false });
  });
  it("album order is asked for without a sort", () => {
    expect(sortArgument(albumOrder)).toBeUndefined();
    expect(sortArgument({ key: "album", descending: true })).toEqual({ key: "album", descending: true });
    expect(sortArgument({ key: "year", descending: false })).toEqual({ key: "year", descending: false });
  });
  it("tells screen readers which column sorts", () => {
    expect(ariaSort({ key: "year", descending: true }, "year")).toBe("descending");
    expect(ariaSort({ key: "year", descending: false }, "year")).toBe("ascending");
    expect(ariaSort({ key: "year", descending: false }, "title")).toBe("none");
  });
});

describe("how a row reads", () => {
  const t = {
    title: null,
    path: "/music/Amélie/03 - La valse d'Amélie.flac",
    disc_no: 2,
    track_no: 7,
    format: "flac",
    codec: null,
    sample_rate: 96000,
    bit_depth: 24,
    channels: 2,
    bitrate: 2304,
  } satisfies Partial<TrackRow>;
  it("falls back to the file name for an untitled track", () => {
    expect(trackTitle(t)).toBe("03 - La valse d'Amélie.flac");
    expect(trackTitle({ ...t, title: "  " })).toBe("03 - La valse d'Amélie.flac");
    expect(trackTitle({ ...t, title: "千と千尋" })).toBe("千と千尋");
  });
  it("numbers tracks on later discs with the disc", () => {
    expect(trackNumber(t)).toBe("2-07");
    expect(trackNumber({ ...t, disc_no: 1 })).toBe("7");
    expect(trackNumber({ ...t, track_no: null })).toBe("");
  });
  it("describes the audio as a collector would", () => {
    expect(formatDetails(t)).toBe("FLAC · 96 kHz · 24-bit");
    expect(formatDetails({ ...t, format: "mp3", sample_rate: 44100, bit_depth: null, bitrate: 320, channels: 1 })).toBe(
      "MP3 · 44.1 kHz · 320 kbps · mono",
    );
    expect(formatDetails({ ...t, format: "m4a", codec: "ALAC" })).toBe("M4A (ALAC) · 96 kHz · 24-bit");
  });
});
