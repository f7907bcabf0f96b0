import { describe, expect, it } from "vitest";

import { bulkMayReorder, bulkTargets, countOf, describeBulk } from "./bulk";

describe("bulk targets", () => {
  it("are one target per row, in order, each id once, skipping rows that could not be read", () => {
    expect(bulkTargets("track", [{ id: 3 }, undefined, { id: 1 }, { id: 3 }])).toEqual([
      { kind: "track", id: 3 },
      { kind: "track", id: 1 },
    ]);
    expect(bulkTargets("album", [{ id: 1000 }, { id: 1002 }])).toEqual([
      { kind: "album", id: 1000 },
      { kind: "album", id: 1002 },
    ]);
    expect(bulkTargets("album", [])).toEqual([]);
  });
});

describe("what a bulk operation says", () => {
  it("counts in words", () => {
    expect(countOf(1, "track")).toBe("1 track");
    expect(countOf(1_204, "album")).toBe("1,204 albums");
  });
  it("tells how many were newly tagged or untagged", () => {
    expect(describeBulk("tag", "track", 5, { name: "noir", changed: 5 })).toBe("Tagged 5 tracks “noir”.");
    expect(describeBulk("tag", "track", 5, { name: "noir", changed: 3 })).toBe("Tagged 3 tracks “noir” (2 already had it).");
    expect(describeBulk("untag", "album", 2, { name: "noir", changed: 1 })).toBe("Removed “noir” from 1 album.");
    expect(describeBulk("untag", "album", 2, { name: "noir", changed: 0 })).toBe("None of the 2 albums had “noir”.");
  });
  it("tells the rating given or cleared", () => {
    expect(describeBulk("rate", "album", 3, { rating: 4 })).toBe("Rated 3 albums 4 of 5.");
    expect(describeBulk("rate", "track", 1, { rating: null })).toBe("Cleared the rating of 1 track.");
  });
});

describe("whether a selection survives a bulk operation", () => {
  it("does not when the query filters on annotations", () => {
    expect(bulkMayReorder("tag", 'tag:"film noir"', null)).toBe(true);
    expect(bulkMayReorder("untag", "zimmer -tags:x", null)).toBe(true);
    expect(bulkMayReorder("tag", "rating:>=4", null)).toBe(true);
  });
  it("does not when the list is sorted by rating and the operation rated", () => {
    expect(bulkMayReorder("rate", "", "rating")).toBe(true);
    expect(bulkMayReorder("tag", "", "rating")).toBe(false);
  });
  it("does otherwise", () => {
    expect(bulkMayReorder("rate", "zimmer", "year")).toBe(false);
    expect(bulkMayReorder("tag", "vintage:1977", null), "a word that merely contains 'tag' is not a tag term").toBe(false);
  });
});
