// Menus and popovers opened at a point or beside a button: where they go on screen, which keys
// open a context menu from the keyboard, and how arrow keys move through menu items.

export interface Point {
  x: number;
  y: number;
}

/** Shift+F10 or the ContextMenu key: the keyboard's right click. */
export function isContextMenuKey(event: KeyboardEvent): boolean {
  return event.key === "ContextMenu" || (event.key === "F10" && event.shiftKey);
}

/**
 * Where a popover of `size` goes so it opens at `at` but stays inside the viewport: flipped left
 * or up when it would run off the right or bottom edge, and never past the top-left corner.
 */
export function placeWithin(
  at: Point,
  size: { width: number; height: number },
  viewport: { width: number; height: number },
  margin = 8,
): Point {
  let x = at.x;
  let y = at.y;
  if (x + size.width + margin > viewport.width) x = Math.max(margin, Math.min(at.x - size.width, viewport.width - size.width - margin));
  if (y + size.height + margin > viewport.height) y = Math.max(margin, Math.min(at.y - size.height, viewport.height - size.height - margin));
  return { x: Math.max(margin, x), y: Math.max(margin, y) };
}

/** The point just below an element's bottom-left corner, where its popover opens. */
export function belowOf(el: Element): Point {
  const r = el.getBoundingClientRect();
  return { x: r.left, y: r.bottom + 4 };
}

/** Where a context menu opened from the keyboard appears: a little inside the element. */
export function insideOf(el: Element): Point {
  const r = el.getBoundingClientRect();
  return { x: r.left + Math.min(24, r.width / 2), y: r.top + Math.min(r.height, 24) };
}

/**
 * The item an arrow, Home or End key moves to among `count` items (wrapping), skipping disabled
 * ones; null when the key does not move.
 */
export function menuMove(key: string, current: number, enabled: readonly boolean[]): number | null {
  const count = enabled.length;
  if (count === 0 || !enabled.some(Boolean)) return null;
  const step = (from: number, by: number) => {
    let i = from;
    for (let n = 0; n < count; n++) {
      i = (i + by + count) % count;
      if (enabled[i]) return i;
    }
    return from;
  };
  switch (key) {
    case "ArrowDown":
      return step(current < 0 ? -1 : current, 1);
    case "ArrowUp":
      return step(current < 0 ? count : current, -1);
    case "Home":
      return step(-1, 1);
    case "End":
      return step(count, -1);
    default:
      return null;
  }
}

/** One choice in a context menu. */
export interface MenuItem {
  label: string;
  onselect: () => void;
  disabled?: boolean;
  /** A line above this item. */
  separated?: boolean;
}
