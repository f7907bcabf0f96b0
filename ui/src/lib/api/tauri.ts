// The only module that talks to Tauri.
import { invoke } from "@tauri-apps/api/core";

import type { Backend } from "./backend";
import type { TrackPage } from "./types";

export const tauriBackend: Backend = {
  searchTracks: (query, limit, offset) =>
    invoke<TrackPage>("search_tracks", { query, limit, offset }),
};
