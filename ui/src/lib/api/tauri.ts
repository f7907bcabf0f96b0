// The only module that talks to Tauri.
import { Channel, invoke } from "@tauri-apps/api/core";

import type { Backend } from "./backend";
import type { Root, ScanProgress, ScanReport, TrackPage } from "./types";

export const tauriBackend: Backend = {
  searchTracks: (query, limit, offset) =>
    invoke<TrackPage>("search_tracks", { query, limit, offset }),
  roots: () => invoke<Root[]>("catalog_roots"),
  addRoot: (path) => invoke<Root>("catalog_add_root", { path }),
  removeRoot: (path) => invoke<Root>("catalog_remove_root", { path }),
  scan: (onProgress) => {
    const progress = new Channel<ScanProgress>();
    progress.onmessage = onProgress;
    return invoke<ScanReport>("catalog_scan", { progress });
  },
  cancelScan: () => invoke<void>("catalog_cancel_scan"),
};
