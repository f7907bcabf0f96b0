import type { Backend } from "../api/backend";
import { messageOf } from "../api/errors";
import type { TrackPage } from "../api/types";

export interface SearchResult {
  query: string;
  page: TrackPage | null;
  error: string | null;
}

/**
 * Search as you type: every call to `run` asks the backend, and only the answer to the latest
 * query is reported, so a slow answer to "am" never replaces the answer to "amelie".
 */
export function createSearch(
  backend: Backend,
  report: (result: SearchResult) => void,
  pageSize = 200,
) {
  let latest = 0;
  return {
    async run(query: string): Promise<void> {
      const ticket = ++latest;
      try {
        const page = await backend.searchTracks(query, pageSize, 0);
        if (ticket === latest) report({ query, page, error: null });
      } catch (e) {
        if (ticket !== latest) return;
        report({ query, page: null, error: messageOf(e) });
      }
    },
  };
}
