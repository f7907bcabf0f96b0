import { describe, expect, it } from "vitest";

import {
  addedMessage,
  cleanListName,
  deleteMessage,
  describeWishlistMatches,
  detailLine,
  entryLabel,
  parseYear,
  summaryLine,
  unavailableReason,
} from "./lists";
import { entry } from "./testing";

describe("list names and counts", () => {
  it("cleans a name as Rust stores it; blank is no name", () => {
    expect(cleanListName("  Best   of\t1982 ")).toBe("Best of 1982");
    expect(cleanListName(" \n ")).toBeNull();
  });

  it("says how many entries a list holds and how many are wished for", () => {
    expect(summaryLine({ smart: false, entries: 1, placeholders: 0 })).toBe("1 entry");
    expect(summaryLine({ smart: false, entries: 1204, placeholders: 3 })).toBe("1,204 entries · 3 wished for");
    expect(summaryLine({ smart: true, entries: 0, placeholders: 0 }), "a smart list's entries are counted when it opens").toBe("Smart list");
  });

  it("says what an add did, including what was already there", () => {
    expect(addedMessage(3, 3, "Top 10")).toBe("Added 3 entries to “Top 10”.");
    expect(addedMessage(1, 1, "Top 10")).toBe("Added 1 entry to “Top 10”.");
    expect(addedMessage(3, 2, "Top 10")).toBe("Added 2 entries to “Top 10”. 1 was already there.");
    expect(addedMessage(1, 0, "Top 10")).toBe("Already in “Top 10”.");
    expect(addedMessage(4, 0, "Top 10")).toBe("All of them are already in “Top 10”.");
  });
});

describe("entries", () => {
  it("tells a missing album from one whose files are gone; placeholders are neither", () => {
    expect(unavailableReason(entry(1))).toBeNull();
    expect(unavailableReason(entry(1, { available: false }))).toBe("files missing");
    expect(unavailableReason(entry(1, { available: false, album_id: null }))).toBe("not in library");
    expect(unavailableReason(entry(1, { kind: "track", track_id: null, available: false }))).toBe("not in library");
    expect(unavailableReason(entry(1, { kind: "placeholder", available: false, album_id: null }))).toBeNull();
  });

  it("reads artist, year and the album of a track or the size of an album", () => {
    expect(detailLine(entry(1, { artist: "Vangelis", year: 1982, tracks: 12 }))).toBe("Vangelis · 1982 · 12 tracks");
    expect(detailLine(entry(1, { kind: "track", artist: "Vangelis", album: "Blade Runner" }))).toBe("Vangelis · Blade Runner");
    expect(detailLine(entry(1, { kind: "placeholder" }))).toBe("");
  });

  it("names an entry for screen readers with its rank, kind and availability", () => {
    expect(entryLabel(entry(1, { rank: 3, title: "Amélie", artist: "Yann Tiersen", year: 2001 }))).toBe(
      "3. Amélie, Yann Tiersen, 2001 (album)",
    );
    expect(entryLabel(entry(1, { kind: "placeholder", title: "Dune", album_id: null, available: false }))).toBe("Dune (on the wishlist)");
    expect(entryLabel(entry(1, { kind: "track", title: "Main Title", available: false, track_id: null }))).toBe(
      "Main Title (track, not in library)",
    );
  });

  it("takes a four-digit year or none", () => {
    expect(parseYear(" 1984 ")).toBe(1984);
    expect(parseYear("")).toBeNull();
    expect(parseYear("84")).toBeUndefined();
    expect(parseYear("0984")).toBeUndefined();
    expect(parseYear("19845")).toBeUndefined();
  });
});

describe("notices", () => {
  it("speaks of wishlist entries found by a scan, and of nothing when none were", () => {
    expect(describeWishlistMatches(2)).toBe("2 wishlist entries are now in your library.");
    expect(describeWishlistMatches(1)).toBe("1 wishlist entry is now in your library.");
    expect(describeWishlistMatches(0)).toBeNull();
    expect(describeWishlistMatches(undefined), "an older report without the count").toBeNull();
  });

  it("tells what deleting a list keeps", () => {
    expect(deleteMessage({ smart: false, notes: 0 })).toBe("The albums and tracks stay in your library, with their notes.");
    expect(deleteMessage({ smart: false, notes: 2 })).toBe(
      "The albums and tracks stay in your library, with their notes. The 2 notes written in this list go with it.",
    );
    expect(deleteMessage({ smart: true, notes: 0 })).toContain("nothing in your library changes");
  });
});
