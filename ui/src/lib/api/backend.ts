import type { TrackPage } from "./types";

/** Everything the UI asks of Rust. The app uses the Tauri implementation; tests use a fake. */
export interface Backend {
  searchTracks(query: string, limit: number, offset: number): Promise<TrackPage>;
}
