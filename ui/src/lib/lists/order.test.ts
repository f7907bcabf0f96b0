import { describe, expect, it } from "vitest";

import {
  applyMove,
  dropMove,
  gapAt,
  moveDown,
  moveToBottom,
  moveToTop,
  moveUp,
  moved,
  movedMessage,
  rankAt,
  reranked,
  restorePlan,
} from "./order";
import { entry } from "./testing";

const order = [1, 2, 3, 4, 5];

describe("moved", () => {
  it("puts the moving entries, in list order, before the anchor", () => {
    expect(moved(order, [4, 2], 1)).toEqual([2, 4, 1, 3, 5]);
    expect(moved(order, [1], null), "null is the end").toEqual([2, 3, 4, 5, 1]);
  });

  it("anchors on the next entry that stays when the anchor itself moves, as Rust does", () => {
    expect(moved(order, [2, 3], 3)).toEqual([1, 2, 3, 4, 5]);
    expect(moved(order, [4, 5], 4), "nothing stays after the anchor: the end").toEqual([1, 2, 3, 4, 5]);
  });
});

describe("keyboard moves", () => {
  it("moving up by one goes before the entry just above", () => {
    expect(moveUp(order, [3])).toEqual({ ids: [3], before: 2 });
    expect(moveUp(order, [2])).toEqual({ ids: [2], before: 1 });
    expect(moveUp(order, [1]), "the top entry cannot go higher").toBeNull();
  });

  it("moving down by one goes before the entry after the next one, or to the end", () => {
    expect(moveDown(order, [2])).toEqual({ ids: [2], before: 4 });
    expect(moved(order, [2], 4)).toEqual([1, 3, 2, 4, 5]);
    expect(moveDown(order, [4]), "past the last entry is the end").toEqual({ ids: [4], before: null });
    expect(moveDown(order, [5]), "the bottom entry cannot go lower").toBeNull();
  });

  it("moves a selection as a block, in list order whatever order it was given in", () => {
    expect(moveUp(order, [4, 3])).toEqual({ ids: [3, 4], before: 2 });
    expect(moveDown(order, [3, 2])).toEqual({ ids: [2, 3], before: 5 });
  });

  it("gathers a scattered selection at the edge it already touches", () => {
    expect(moveUp(order, [1, 3])).toEqual({ ids: [1, 3], before: 2 });
    expect(moved(order, [1, 3], 2)).toEqual([1, 3, 2, 4, 5]);
    expect(moveDown(order, [3, 5])).toEqual({ ids: [3, 5], before: null });
    expect(moveUp(order, [1, 2]), "a block already at the top stays").toBeNull();
  });

  it("sends to the top before the first entry that stays, and to the bottom with null", () => {
    expect(moveToTop(order, [4])).toEqual({ ids: [4], before: 1 });
    expect(moveToTop(order, [1, 4])).toEqual({ ids: [1, 4], before: 2 });
    expect(moveToTop(order, [1, 2])).toBeNull();
    expect(moveToBottom(order, [2])).toEqual({ ids: [2], before: null });
    expect(moveToBottom(order, [5])).toBeNull();
  });
});

describe("drops", () => {
  it("a drop in a gap goes before the entry below the gap that is not moving", () => {
    expect(dropMove(order, [5], 1)).toEqual({ ids: [5], before: 2 });
    expect(dropMove(order, [1], 5)).toEqual({ ids: [1], before: null });
    expect(dropMove(order, [1, 2], 2), "dropped just below themselves: no change").toBeNull();
    expect(dropMove(order, [2], 2), "dropped right below itself: no change").toBeNull();
    expect(dropMove(order, [1, 3], 3), "the gap's entry is moving: the next that stays").toEqual({ ids: [1, 3], before: 4 });
  });

  it("the pointer's half of an entry picks the gap above or below it", () => {
    expect(gapAt(2, 10, 0, 40)).toBe(2);
    expect(gapAt(2, 25, 0, 40)).toBe(3);
  });
});

describe("ranks", () => {
  it("count from the top, down to 1, or not at all", () => {
    expect([0, 1, 2].map((i) => rankAt("ascending", i, 3))).toEqual([1, 2, 3]);
    expect([0, 1, 2].map((i) => rankAt("descending", i, 3))).toEqual([3, 2, 1]);
    expect(rankAt("none", 0, 3)).toBeNull();
  });

  it("follow an entry after a move", () => {
    const entries = reranked([entry(1), entry(2), entry(3)], "descending");
    const after = applyMove(entries, { ids: [3], before: 1 }, "descending");
    expect(after.map((e) => [e.id, e.rank])).toEqual([[3, 3], [1, 2], [2, 1]]);
  });
});

describe("movedMessage", () => {
  it("says where one entry went, with its number in a countdown", () => {
    const entries = reranked([entry(1), entry(2), entry(3)], "ascending");
    expect(movedMessage(entries, [2], "ascending")).toBe("Moved “Album 2” to position 2 of 3.");
    const countdown = reranked([entry(1), entry(2), entry(3)], "descending");
    expect(movedMessage(countdown, [1], "descending")).toBe("Moved “Album 1” to number 3 (position 1 of 3).");
  });

  it("says where several went", () => {
    expect(movedMessage([entry(1), entry(2), entry(3)], [2, 3], "none")).toBe("Moved 2 entries to positions 2–3 of 3.");
  });
});

describe("restorePlan", () => {
  it("puts each run of removed entries back before the entry that stays after it, with notes", () => {
    const entries = [
      entry(1),
      entry(2, { note: "first pressing" }),
      entry(3, { kind: "track", track_id: 33, album_id: 9 }),
      entry(4),
      entry(5, { kind: "placeholder", title: "Dune", artist: "Toto", year: 1984, album_id: null }),
    ];
    expect(restorePlan(entries, [2, 3, 5])).toEqual([
      { items: [{ kind: "album", id: 102, note: "first pressing" }, { kind: "track", id: 33, note: null }], before: 4 },
      { items: [{ kind: "placeholder", title: "Dune", artist: "Toto", year: 1984, note: null }], before: null },
    ]);
  });

  it("cannot bring back an album that is not in the catalog now", () => {
    expect(restorePlan([entry(1, { album_id: null, available: false })], [1])).toBeNull();
  });
});
