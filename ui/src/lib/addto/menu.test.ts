import { describe, expect, it } from "vitest";

import { isContextMenuKey, menuMove, placeWithin } from "./menu";

const key = (k: string, shiftKey = false) => ({ key: k, shiftKey }) as KeyboardEvent;

describe("menus", () => {
  it("opens from Shift+F10 and the ContextMenu key only", () => {
    expect(isContextMenuKey(key("F10", true))).toBe(true);
    expect(isContextMenuKey(key("ContextMenu"))).toBe(true);
    expect(isContextMenuKey(key("F10"))).toBe(false);
    expect(isContextMenuKey(key("Enter", true))).toBe(false);
  });

  it("stays inside the window, flipping left or up at the edges", () => {
    const viewport = { width: 1000, height: 800 };
    const size = { width: 200, height: 300 };
    expect(placeWithin({ x: 100, y: 100 }, size, viewport)).toEqual({ x: 100, y: 100 });
    expect(placeWithin({ x: 950, y: 100 }, size, viewport), "flipped to the left of the pointer").toEqual({ x: 750, y: 100 });
    expect(placeWithin({ x: 100, y: 700 }, size, viewport), "flipped above the pointer").toEqual({ x: 100, y: 400 });
    expect(placeWithin({ x: -50, y: -50 }, size, viewport), "never past the corner").toEqual({ x: 8, y: 8 });
    expect(placeWithin({ x: 100, y: 200 }, { width: 200, height: 900 }, viewport).y, "taller than the window: top").toBe(8);
  });

  it("moves through enabled items with arrows, Home and End, wrapping", () => {
    const enabled = [true, false, true, true];
    expect(menuMove("ArrowDown", 0, enabled), "skips the disabled item").toBe(2);
    expect(menuMove("ArrowDown", 3, enabled), "wraps to the top").toBe(0);
    expect(menuMove("ArrowUp", 0, enabled), "wraps to the bottom").toBe(3);
    expect(menuMove("ArrowUp", 2, enabled)).toBe(0);
    expect(menuMove("Home", 3, enabled)).toBe(0);
    expect(menuMove("End", 0, enabled)).toBe(3);
    expect(menuMove("ArrowDown", -1, enabled), "from nothing: the first").toBe(0);
    expect(menuMove("x", 0, enabled)).toBeNull();
    expect(menuMove("ArrowDown", 0, [false, false]), "nothing to move to").toBeNull();
  });
});
