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
  code: "bad_query" | "not_found" | "catalog" | "playback";
  message: string;
}
