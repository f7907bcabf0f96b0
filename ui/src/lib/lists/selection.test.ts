import { describe, expect, it } from "vitest";

import { actedOn, all, clicked, kept, noSelection, only, rangeTo, toggled } from "./selection";

const order = [10, 20, 30, 40, 50];

describe("entry selection", () => {
  it("a click selects one entry; Ctrl/Cmd-click adds and takes away, keeping list order", () => {
    let sel = clicked(noSelection, order, 30, { shift: false, toggle: false });
    expect(sel).toEqual({ ids: [30], anchor: 30 });
    sel = clicked(sel, order, 10, { shift: false, toggle: true });
    expect(sel.ids).toEqual([10, 30]);
    sel = toggled(sel, order, 30);
    expect(sel).toEqual({ ids: [10], anchor: 30 });
  });

  it("Shift-click selects from the anchor, up or down; with Ctrl it adds the range", () => {
    expect(rangeTo(only(20), order, 40).ids).toEqual([20, 30, 40]);
    expect(rangeTo(only(40), order, 10).ids).toEqual([10, 20, 30, 40]);
    const sel = { ids: [50], anchor: 10 };
    expect(clicked(sel, order, 20, { shift: true, toggle: true }).ids).toEqual([10, 20, 50]);
    expect(rangeTo(noSelection, order, 20), "no anchor: the entry alone").toEqual(only(20));
  });

  it("select all, and keeping what is still there after a change", () => {
    expect(all(order).ids).toEqual(order);
    expect(all([])).toEqual(noSelection);
    expect(kept({ ids: [20, 40], anchor: 40 }, [40, 10, 20])).toEqual({ ids: [40, 20], anchor: 40 });
    expect(kept({ ids: [20], anchor: 30 }, [10, 20])).toEqual({ ids: [20], anchor: null });
  });

  it("an action applies to the selection when the focused entry is in it, else to the focused entry", () => {
    const sel = { ids: [40, 20], anchor: 20 };
    expect(actedOn(sel, order, 20)).toEqual([20, 40]);
    expect(actedOn(sel, order, 30)).toEqual([30]);
    expect(actedOn(sel, order, null)).toEqual([20, 40]);
  });
});
