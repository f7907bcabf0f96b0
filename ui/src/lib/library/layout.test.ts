import { describe, expect, it } from "vitest";

import {
  albumRange,
  computeLayout,
  gridMetrics,
  neighbour,
  revealRow,
  rowAt,
  rowOfAlbum,
  stickyHeading,
  visibleRange,
  type GridMetrics,
} from "./layout";

/** Round numbers: 4 columns, headings 50 high, card rows 200 apart. */
const m: GridMetrics = { columns: 4, cardWidth: 150, cardHeight: 180, rowHeight: 200, headingHeight: 50, gap: 20 };
const groups = [
  { label: "A", count: 6 },
  { label: "B", count: 0 },
  { label: "", count: 4 },
  { label: "C", count: 9 },
];

describe("grid metrics", () => {
  it("fit as many columns of the minimum width as the container allows, stretched", () => {
    const g = gridMetrics(1000, { minCard: 160, gap: 20, textHeight: 60, headingHeight: 40 });
    expect(g.columns, "5 × 160 + 4 × 20 = 880 ≤ 1000 < 6 × 160 + 5 × 20").toBe(5);
    expect(g.cardWidth).toBe(184);
    expect(g.cardHeight).toBe(244);
    expect(g.rowHeight).toBe(264);
  });
  it("keep at least one column in a narrow window", () => {
    expect(gridMetrics(50).columns).toBe(1);
    expect(gridMetrics(0).cardWidth).toBeGreaterThan(0);
  });
});

describe("grid layout", () => {
  const layout = computeLayout(groups, m);

  it("puts a heading before each group and its albums in rows of `columns`", () => {
    expect(layout.rows.map((r) => (r.kind === "heading" ? `h:${r.label}` : `${r.first}+${r.count}`))).toEqual([
      "h:A", "0+4", "4+2",
      "h:Unknown", "6+4",
      "h:C", "10+4", "14+4", "18+1",
    ]);
    expect(layout.rows.map((r) => r.top)).toEqual([0, 50, 250, 450, 500, 700, 750, 950, 1150]);
    expect(layout.height).toBe(1350);
    expect(layout.total).toBe(19);
  });

  it("has no heading for a lone unlabeled group", () => {
    const plain = computeLayout([{ label: "", count: 5 }], m);
    expect(plain.rows.map((r) => r.kind)).toEqual(["cards", "cards"]);
  });

  it("finds the row at a height", () => {
    expect(rowAt(layout, 0)).toBe(0);
    expect(rowAt(layout, 49)).toBe(0);
    expect(rowAt(layout, 50)).toBe(1);
    expect(rowAt(layout, 740)).toBe(5);
    expect(rowAt(layout, 99_999), "past the end is the last row").toBe(8);
    expect(rowAt(computeLayout([], m), 10)).toBe(-1);
  });

  it("renders only the rows near the viewport and fetches only their albums", () => {
    const v = visibleRange(layout, 500, 300, 0);
    expect(v).toEqual({ start: 4, end: 7 });
    expect(albumRange(layout, v.start, v.end), "rows 6+4 and 10+4; the heading holds none").toEqual({ from: 6, to: 14 });
    expect(visibleRange(layout, 500, 300, 100), "400..900 spans rows 2 to 6").toEqual({ start: 2, end: 7 });
    expect(albumRange(layout, 0, 1)).toEqual({ from: 0, to: 0 });
  });

  it("scales to 10,000 albums in a thousand groups", () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ label: `G${i}`, count: 10 }));
    const big = computeLayout(many, m);
    expect(big.total).toBe(10_000);
    expect(big.rows.length, "1 heading + 3 card rows per group").toBe(4000);
    const r = rowOfAlbum(big, 7_777);
    const row = big.rows[r];
    expect(row.kind === "cards" && row.first <= 7_777 && 7_777 < row.first + row.count).toBe(true);
    const v = visibleRange(big, big.rows[r].top, 800, 0);
    expect(v.end - v.start).toBeLessThan(10);
  });

  it("finds the card row of an album", () => {
    expect(rowOfAlbum(layout, 0)).toBe(1);
    expect(rowOfAlbum(layout, 5)).toBe(2);
    expect(rowOfAlbum(layout, 6), "first album after a heading").toBe(4);
    expect(rowOfAlbum(layout, 18)).toBe(8);
    expect(rowOfAlbum(layout, 19), "past the end").toBe(-1);
  });

  it("pins the current group's heading and pushes it up as the next arrives", () => {
    expect(stickyHeading(layout, 0), "at the top the heading is in place").toBeNull();
    expect(stickyHeading(layout, 300)).toEqual({ row: 0, shift: 0 });
    expect(stickyHeading(layout, 420), "heading Unknown at 450 is 30 below").toEqual({ row: 0, shift: -20 });
    expect(stickyHeading(layout, 600)).toEqual({ row: 3, shift: 0 });
  });

  it("moves focus with arrow keys across rows and groups", () => {
    expect(neighbour(layout, 1, "ArrowRight")).toBe(2);
    expect(neighbour(layout, 0, "ArrowLeft")).toBeNull();
    expect(neighbour(layout, 18, "ArrowRight")).toBeNull();
    expect(neighbour(layout, 1, "ArrowDown"), "same column, next row").toBe(5);
    expect(neighbour(layout, 2, "ArrowDown"), "the next row is short: its last card").toBe(5);
    expect(neighbour(layout, 5, "ArrowDown"), "across the heading into the next group").toBe(7);
    expect(neighbour(layout, 7, "ArrowUp")).toBe(5);
    expect(neighbour(layout, 2, "ArrowUp")).toBeNull();
    expect(neighbour(layout, 9, "End")).toBe(18);
    expect(neighbour(layout, 9, "Home")).toBe(0);
    expect(neighbour(layout, 9, "x")).toBeNull();
  });

  it("scrolls a focused row into view below the pinned heading", () => {
    expect(revealRow(layout, 4, 0, 800, 50), "row 4 (500..700) is in view").toBeNull();
    expect(revealRow(layout, 8, 0, 800, 50), "row 8 ends at 1350").toBe(550);
    expect(revealRow(layout, 1, 600, 800, 50), "row 1 at 50, below a 50 high pin").toBe(0);
  });
});
