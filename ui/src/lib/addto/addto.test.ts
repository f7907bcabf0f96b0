import { describe, expect, it } from "vitest";

import type { ListSummary } from "../api/types";
import { addableLists, describeAdded, describeItems, itemsOf, newListProblem } from "./addto";

const list = (id: number, name: string, smart = false): ListSummary => ({
  id, name, smart, ranking: "none", entries: 0, placeholders: 0, updated_at: 0,
});

describe("adding to a list", () => {
  it("turns targets into list items, once each, leaving works out", () => {
    expect(
      itemsOf([
        { kind: "track", id: 3 },
        { kind: "album", id: 3 },
        { kind: "track", id: 3 },
        { kind: "work", id: 8 },
      ]),
    ).toEqual([{ kind: "track", id: 3 }, { kind: "album", id: 3 }]);
  });

  it("offers plain lists only, filtered by every word, ignoring case and accents", () => {
    const lists = [list(1, "Summer favourites"), list(2, "Smart: 5 stars", true), list(3, "Amélie and friends"), list(4, "Winter")];
    expect(addableLists(lists, "").map((l) => l.id), "smart lists fill themselves").toEqual([1, 3, 4]);
    expect(addableLists(lists, "AMELIE").map((l) => l.id)).toEqual([3]);
    expect(addableLists(lists, "fav sum").map((l) => l.id)).toEqual([1]);
    expect(addableLists(lists, "stars")).toEqual([]);
  });

  it("says how many were added, and that the rest were already there", () => {
    expect(describeAdded(3, 3, "Summer favourites")).toBe("Added 3 to “Summer favourites”.");
    expect(describeAdded(2, 3, "Summer")).toBe("Added 2 to “Summer”; the other was already there.");
    expect(describeAdded(1, 5, "Summer")).toBe("Added 1 to “Summer”; the other 4 were already there.");
    expect(describeAdded(0, 1, "Summer")).toBe("Already in “Summer”.");
    expect(describeAdded(0, 4, "Summer")).toBe("All 4 were already in “Summer”.");
  });

  it("counts items by kind", () => {
    expect(describeItems([{ kind: "track", id: 1 }])).toBe("1 track");
    expect(describeItems([{ kind: "album", id: 1 }, { kind: "album", id: 2 }])).toBe("2 albums");
    expect(describeItems([{ kind: "album", id: 1 }, { kind: "track", id: 2 }])).toBe("2 items");
  });

  it("refuses a blank list name", () => {
    expect(newListProblem("  ")).toBe("Give the list a name.");
    expect(newListProblem("Noir")).toBeNull();
  });
});
