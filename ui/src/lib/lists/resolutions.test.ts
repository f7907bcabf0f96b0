import { describe, expect, it } from "vitest";

import { bestOfEach, confidenceLabel, described, pendingCount, wishes } from "./resolutions";
import { resolution } from "./testing";

describe("wishlist resolutions", () => {
  it("groups the albums by the placeholder they may be, closest first", () => {
    const rs = [resolution(1, 10, { confidence: 0.6 }), resolution(2, 20), resolution(1, 11, { confidence: 0.9 })];
    const ws = wishes(rs);
    expect(ws.map((w) => [w.entryId, w.candidates.map((c) => c.album_id)])).toEqual([
      [1, [11, 10]],
      [2, [20]],
    ]);
  });

  it("counts placeholders, not albums, and accepts the closest album of each once", () => {
    const rs = [resolution(1, 10, { confidence: 0.6 }), resolution(1, 11, { confidence: 0.9 }), resolution(2, 20)];
    expect(pendingCount(rs)).toBe(2);
    expect(bestOfEach(rs).map((r) => [r.entry_id, r.album_id])).toEqual([
      [1, 11],
      [2, 20],
    ]);
  });

  it("says how sure a match is", () => {
    expect(confidenceLabel(0.934)).toEqual({ word: "Very likely", percent: "93% match" });
    expect(confidenceLabel(0.7).word).toBe("Likely");
    expect(confidenceLabel(0.4)).toEqual({ word: "Possible", percent: "40% match" });
  });

  it("describes a wish with what is known", () => {
    expect(described("Dune", "Toto", 1984)).toBe("Dune — Toto (1984)");
    expect(described("Dune", null, null)).toBe("Dune");
  });
});
