import { describe, expect, it } from "vitest";

import {
  clampSelection,
  emptySelection,
  extendTo,
  isSelected,
  keyTarget,
  moveTo,
  normalize,
  selectAll,
  selectedCount,
  selectedIndices,
  selectOnly,
  toggle,
} from "./selection";

describe("selection", () => {
  it("merges overlapping and touching ranges", () => {
    expect(normalize([[5, 7], [0, 2], [2, 3], [6, 9], [4, 4]])).toEqual([[0, 3], [5, 9]]);
  });

  it("a click selects one row and sets the anchor", () => {
    const s = selectOnly(4);
    expect(selectedIndices(s)).toEqual([4]);
    expect(s.anchor).toBe(4);
    expect(s.cursor).toBe(4);
  });

  it("ctrl-click adds and removes single rows, splitting a range", () => {
    let s = extendTo(selectOnly(2), 6);
    s = toggle(s, 4);
    expect(selectedIndices(s), "4 was removed from 2..6").toEqual([2, 3, 5, 6]);
    s = toggle(s, 4);
    expect(s.ranges, "adding it back joins the range again").toEqual([[2, 7]]);
    s = toggle(s, 10);
    expect(selectedIndices(s)).toEqual([2, 3, 4, 5, 6, 10]);
    expect(s.anchor, "the toggled row anchors the next shift-click").toBe(10);
  });

  it("shift-click selects from the anchor in either direction, replacing the selection", () => {
    let s = toggle(selectOnly(20), 3);
    s = extendTo(s, 0);
    expect(selectedIndices(s), "20 is dropped; 0..3 from the anchor 3").toEqual([0, 1, 2, 3]);
    s = extendTo(s, 5);
    expect(selectedIndices(s)).toEqual([3, 4, 5]);
  });

  it("ctrl+shift-click adds the range to the selection", () => {
    const s = extendTo(toggle(selectOnly(20), 3), 5, true);
    expect(selectedIndices(s)).toEqual([3, 4, 5, 20]);
  });

  it("shift-click without an anchor selects just that row", () => {
    expect(selectedIndices(extendTo(emptySelection, 8))).toEqual([8]);
  });

  it("select all is a single range, even over 100,000 rows", () => {
    const s = selectAll(selectOnly(7), 100_000);
    expect(s.ranges).toEqual([[0, 100_000]]);
    expect(selectedCount(s)).toBe(100_000);
    expect(isSelected(s, 99_999)).toBe(true);
    expect(isSelected(s, 100_000)).toBe(false);
    expect(s.cursor, "the cursor stays put").toBe(7);
    expect(selectedIndices(s, 3)).toEqual([0, 1, 2]);
  });

  it("finds membership across many ranges", () => {
    let s = emptySelection;
    for (const i of [1, 3, 5, 7, 9]) s = toggle(s, i);
    expect([0, 1, 2, 3, 8, 9, 10].map((i) => isSelected(s, i))).toEqual([false, true, false, true, false, true, false]);
  });

  it("drops rows beyond a shrunken list", () => {
    const s = clampSelection({ ranges: [[2, 5], [8, 12]], anchor: 9, cursor: 11 }, 4);
    expect(s).toEqual({ ranges: [[2, 4]], anchor: null, cursor: null });
  });

  it("navigation keys move the cursor within the list", () => {
    expect(keyTarget("ArrowDown", null, 10, 5), "first press lands on the first row").toBe(0);
    expect(keyTarget("ArrowDown", 3, 10, 5)).toBe(4);
    expect(keyTarget("ArrowUp", 0, 10, 5), "clamped at the top").toBe(0);
    expect(keyTarget("ArrowDown", 9, 10, 5), "clamped at the bottom").toBe(9);
    expect(keyTarget("PageDown", 2, 100, 11)).toBe(12);
    expect(keyTarget("PageUp", 2, 100, 11)).toBe(0);
    expect(keyTarget("End", 2, 100, 11)).toBe(99);
    expect(keyTarget("Home", 50, 100, 11)).toBe(0);
    expect(keyTarget("a", 2, 100, 11)).toBeNull();
    expect(keyTarget("ArrowDown", null, 0, 5), "nothing to move to").toBeNull();
  });

  it("shift-arrows extend from the anchor; plain arrows move a single selection", () => {
    let s = selectOnly(5);
    s = moveTo(s, 6, true);
    s = moveTo(s, 7, true);
    expect(selectedIndices(s)).toEqual([5, 6, 7]);
    s = moveTo(s, 4, true);
    expect(selectedIndices(s), "going back above the anchor flips the range").toEqual([4, 5]);
    s = moveTo(s, 9, false);
    expect(selectedIndices(s)).toEqual([9]);
  });
});
