import { describe, expect, it } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { TrackPage } from "../api/types";
import { createSearch, type SearchResult } from "./search";

function page(total: number): TrackPage {
  return { total, tracks: [] };
}

/** A backend whose answers arrive when the test says so. */
function manualBackend() {
  const pending = new Map<string, (p: TrackPage) => void>();
  const failing = new Map<string, (e: unknown) => void>();
  const backend: Backend = fakeBackend({
    searchTracks: (query) =>
      new Promise<TrackPage>((resolve, reject) => {
        pending.set(query, resolve);
        failing.set(query, reject);
      }),
  });
  return { backend, pending, failing };
}

describe("createSearch", () => {
  it("reports only the answer to the latest query", async () => {
    const { backend, pending } = manualBackend();
    const seen: SearchResult[] = [];
    const search = createSearch(backend, (r) => seen.push(r));
    const slow = search.run("am");
    const fast = search.run("amelie");
    pending.get("amelie")!(page(2));
    await fast;
    pending.get("am")!(page(40));
    await slow;
    expect(seen.map((r) => [r.query, r.page?.total])).toEqual([["amelie", 2]]);
  });

  it("reports the message of a failed search", async () => {
    const { backend, failing } = manualBackend();
    const seen: SearchResult[] = [];
    const search = createSearch(backend, (r) => seen.push(r));
    const run = search.run("year:abc");
    failing.get("year:abc")!({ code: "bad_query", message: "year: expects a year" });
    await run;
    expect(seen).toEqual([{ query: "year:abc", page: null, error: "year: expects a year" }]);
  });
});
