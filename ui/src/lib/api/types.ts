// Mirrors of the Rust types the commands return (serde field names). Checked against the Rust
// side by the desktop crate's tests, which serialize each type and compare the field names.

export interface TrackRow {
  id: number;
  title: string | null;
  artists: string[];
  composers: string[];
  album_id: number | null;
  album: string | null;
  work: string | null;
  disc_no: number | null;
  track_no: number | null;
  year: number | null;
  duration_ms: number | null;
  format: string;
  codec: string | null;
  sample_rate: number | null;
  bit_depth: number | null;
  channels: number | null;
  bitrate: number | null;
  path: string;
  missing_since: number | null;
}

export interface TrackPage {
  total: number;
  tracks: TrackRow[];
}

/** A failed command, as the desktop crate reports it. */
export interface CommandError {
  code: "bad_query" | "bad_folder" | "not_found" | "catalog" | "playback";
  message: string;
}

export interface Root {
  id: number;
  path: string;
  added_at: number;
  last_scan_at: number | null;
  offline_since: number | null;
  tracks: number;
  missing: number;
}

export type ScanPhase = "walking" | "reading" | "finishing" | "done";

export interface ScanProgress {
  phase: ScanPhase;
  seen: number;
  to_read: number;
  done: number;
  rate: number;
  eta_secs: number | null;
  current: string | null;
}

export interface ScanReport {
  roots: number;
  roots_offline: string[];
  files_seen: number;
  unchanged: number;
  added: number;
  updated: number;
  moved: number;
  returned: number;
  missing: number;
  problems: number;
  not_audio: number;
  cancelled: boolean;
  elapsed_ms: number;
}
