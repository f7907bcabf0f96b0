import type { Root, ScanProgress, ScanReport, TrackPage } from "./types";

/** Everything the UI asks of Rust. The app uses the Tauri implementation; tests use a fake. */
export interface Backend {
  searchTracks(query: string, limit: number, offset: number): Promise<TrackPage>;
  roots(): Promise<Root[]>;
  addRoot(path: string): Promise<Root>;
  removeRoot(path: string): Promise<Root>;
  /** Scans every folder; `onProgress` is called about ten times a second until it resolves. */
  scan(onProgress: (p: ScanProgress) => void): Promise<ScanReport>;
  cancelScan(): Promise<void>;
}
