import type { Backend } from "./backend";

/** A backend for unit tests: every call fails unless the test supplies it. */
export function fakeBackend(parts: Partial<Backend>): Backend {
  const missing = (name: string) => () => Promise.reject(new Error(`fake backend: no ${name}`));
  return {
    searchTracks: missing("searchTracks"),
    roots: missing("roots"),
    addRoot: missing("addRoot"),
    removeRoot: missing("removeRoot"),
    scan: missing("scan"),
    cancelScan: missing("cancelScan"),
    ...parts,
  };
}
