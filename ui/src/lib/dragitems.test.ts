import { describe, expect, it } from "vitest";

import { dragItems, hasDragItems, ITEMS_MIME, setDragItems } from "./dragitems";

/** A DataTransfer stand-in: jsdom has none. */
function transfer(): DataTransfer {
  const data = new Map<string, string>();
  return {
    setData: (t: string, v: string) => void data.set(t, v),
    getData: (t: string) => data.get(t) ?? "",
    get types() {
      return [...data.keys()];
    },
    effectAllowed: "none",
  } as unknown as DataTransfer;
}

describe("dragged items", () => {
  it("round-trip through the drag data", () => {
    const dt = transfer();
    setDragItems(dt, [{ kind: "album", id: 3 }, { kind: "track", id: 9 }], "2 items");
    expect(hasDragItems(dt)).toBe(true);
    expect(dragItems(dt)).toEqual([{ kind: "album", id: 3 }, { kind: "track", id: 9 }]);
    expect(dt.getData("text/plain"), "other apps see a label").toBe("2 items");
  });

  it("ignore drops that carry no items or malformed ones", () => {
    const dt = transfer();
    expect(hasDragItems(dt)).toBe(false);
    expect(dragItems(dt)).toBeNull();
    dt.setData(ITEMS_MIME, "{not json");
    expect(dragItems(dt), "broken JSON").toBeNull();
    dt.setData(ITEMS_MIME, JSON.stringify([{ kind: "album", id: "3" }, { kind: "nope" }]));
    expect(dragItems(dt), "ids must be integers and kinds known").toBeNull();
  });
});
