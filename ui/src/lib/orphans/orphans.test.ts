import { describe, expect, it } from "vitest";

import { attentionCount, carried, forgetMessage, kindName, proposed } from "./orphans";

const bare = { rating: null, has_note: false, cue_notes: 0, has_fields: false };

describe("what an orphan carries", () => {
  it("reads as short phrases", () => {
    expect(carried({ rating: 4, has_note: true, cue_notes: 3, has_fields: true })).toEqual([
      "4 stars",
      "a note",
      "3 time-coded notes",
      "field overrides",
    ]);
    expect(carried({ ...bare, rating: 1, cue_notes: 1 })).toEqual(["1 star", "1 time-coded note"]);
    expect(carried({ ...bare, rating: 0 }), "no stars is still a rating").toEqual(["0 stars"]);
    expect(carried(bare)).toEqual([]);
  });
  it("leaves the rating out when the view draws it", () => {
    expect(carried({ ...bare, rating: 4, has_note: true }, false)).toEqual(["a note"]);
  });
  it("names its kind", () => {
    expect(["album", "track", "work"].map((k) => kindName(k as "album"))).toEqual(["Album", "Track", "Work"]);
  });
});

describe("the navigation badge", () => {
  it("counts each orphan once, proposals included", () => {
    expect(attentionCount([{ subject_id: 1 }, { subject_id: 2 }], [{ subject_id: 2 }])).toBe(2);
    expect(attentionCount([], [{ subject_id: 7 }])).toBe(1);
    expect(attentionCount([], [])).toBe(0);
  });
  it("knows which orphans have a proposal", () => {
    expect([...proposed([{ subject_id: 3 }, { subject_id: 5 }])]).toEqual([3, 5]);
  });
});

describe("forgetting", () => {
  it("says everything that goes", () => {
    expect(forgetMessage({ ...bare, rating: 3, has_note: true, tags: ["noir", "brass"] })).toBe(
      "This deletes 3 stars, a note, the tag “noir” and the tag “brass” for good: they will not come back with the file. This cannot be undone.",
    );
    expect(forgetMessage({ ...bare, tags: [] })).toBe(
      "This deletes its annotations for good: they will not come back with the file. This cannot be undone.",
    );
  });
});
