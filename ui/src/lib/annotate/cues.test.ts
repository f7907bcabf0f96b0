import { describe, expect, it } from "vitest";

import { dropCueNote, putCueNote, sortCueNotes } from "./cues";

const n = (id: number, at_ms: number, text = `n${id}`) => ({ id, at_ms, text });

describe("cue notes", () => {
  it("sorts by time, then by id for the same moment", () => {
    expect(sortCueNotes([n(3, 5000), n(1, 9000), n(2, 5000)]).map((x) => x.id)).toEqual([2, 3, 1]);
  });

  it("replaces an edited note and keeps time order", () => {
    const list = [n(1, 1000), n(2, 2000), n(3, 3000)];
    expect(putCueNote(list, n(1, 2500, "moved")).map((x) => [x.id, x.text])).toEqual([
      [2, "n2"],
      [1, "moved"],
      [3, "n3"],
    ]);
    expect(putCueNote(list, n(4, 0)).map((x) => x.id), "a new note is added in place").toEqual([4, 1, 2, 3]);
    expect(list.map((x) => x.id), "the input is not changed").toEqual([1, 2, 3]);
  });

  it("drops a deleted note", () => {
    expect(dropCueNote([n(1, 0), n(2, 1)], 1).map((x) => x.id)).toEqual([2]);
  });
});
