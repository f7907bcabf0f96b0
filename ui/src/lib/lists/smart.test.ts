import { describe, expect, it } from "vitest";

import { blankSmartForm, describeQuery, formOf, matchLine, parseLimit, queryOf } from "./smart";

describe("smart list form", () => {
  it("makes a track query with its sort and limit", () => {
    const f = { ...blankSmartForm, query: "  tag:noir rating:4.. ", sortKey: "rating" as const, descending: true, limit: "50" };
    expect(queryOf(f)).toEqual({
      ok: true,
      query: { scope: "tracks", query: "tag:noir rating:4..", sort: { key: "rating", descending: true }, limit: 50 },
    });
  });

  it("makes an album query with its arrangement and kind; a blank limit is none", () => {
    const f = { ...blankSmartForm, scope: "albums" as const, query: "composer:williams", arrange: "year" as const, kind: "film" as const };
    expect(queryOf(f)).toEqual({
      ok: true,
      query: { scope: "albums", query: "composer:williams", arrange: "year", kind: "film", limit: null },
    });
  });

  it("refuses a limit that is not a whole number from 1", () => {
    expect(parseLimit("1,000")).toBe(1000);
    expect(parseLimit("0")).toBeUndefined();
    expect(parseLimit("ten")).toBeUndefined();
    expect(queryOf({ ...blankSmartForm, limit: "2.5" })).toEqual({ ok: false, why: "The limit must be a whole number, 1 or more." });
  });

  it("reads a saved query back into the form", () => {
    const q = { scope: "tracks" as const, query: "year:1990..1999", sort: { key: "year" as const, descending: true }, limit: 25 };
    const f = formOf(q);
    expect(f).toMatchObject({ scope: "tracks", query: "year:1990..1999", sortKey: "year", descending: true, limit: "25" });
    expect(queryOf(f)).toEqual({ ok: true, query: q });
    expect(formOf({ scope: "albums", query: "" })).toMatchObject({ scope: "albums", arrange: "title", kind: null, limit: "" });
  });
});

describe("describeQuery", () => {
  it("says what a smart list holds, in words", () => {
    expect(describeQuery({ scope: "tracks", query: "tag:noir", sort: { key: "rating", descending: true }, limit: 50 })).toBe(
      "Tracks matching “tag:noir”, by rating (highest first), at most 50.",
    );
    expect(describeQuery({ scope: "tracks", query: "" })).toBe("Tracks of the whole library, in album order.");
    expect(describeQuery({ scope: "albums", query: "composer:horner", arrange: "year", kind: "film" })).toBe(
      "Film albums matching “composer:horner”, by year.",
    );
  });

  it("counts what a query finds, and what a limit leaves", () => {
    expect(matchLine("tracks", 142, null)).toBe("142 tracks match.");
    expect(matchLine("albums", 1, null)).toBe("1 album matches.");
    expect(matchLine("tracks", 1200, 50)).toBe("1,200 tracks match; the list shows the first 50.");
  });
});
