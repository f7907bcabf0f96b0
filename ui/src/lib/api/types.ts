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
  /** The track's own picture, else its album's; show it with `Backend.coverUrl`. */
  cover_hash: string | null;
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

// ---- Albums ----------------------------------------------------------------------------------

/** How the album grid is grouped and ordered. */
export type AlbumArrangement = "title" | "work" | "composer" | "label" | "year" | "added";

export type WorkKind = "film" | "game" | "tv";

export interface AlbumQuery {
  /** The search language, as for tracks; "" for every album. */
  query: string;
  arrange: AlbumArrangement;
  /** Only albums whose work is of this kind. */
  kind: WorkKind | null;
}

/** A run of consecutive albums under one heading, in display order; the counts add up to the total. */
export interface AlbumGroup {
  label: string;
  count: number;
}

export interface AlbumRow {
  id: number;
  title: string;
  album_artist: string | null;
  /** The first composer in track order. */
  composer: string | null;
  year: number | null;
  label: string | null;
  work: string | null;
  work_kind: WorkKind | null;
  /** Number of tracks (the album page lists them in `tracklist`). */
  tracks: number;
  missing: number;
  discs: number | null;
  duration_ms: number;
  /** Hash of the cover picture; show it with `Backend.coverUrl`. */
  cover_hash: string | null;
  /** Seconds since the epoch. */
  added_at: number;
}

export interface AlbumPage extends AlbumRow {
  original_year: number | null;
  catalog_numbers: string[];
  barcode: string | null;
  edition: string | null;
  release_type: string | null;
  /** "score", "soundtrack", … derived from the title. */
  release_kind: string | null;
  mb_album_id: string | null;
  compilation: boolean;
  folder: string | null;
  work_year: number | null;
  work_source: string | null;
  composers: string[];
  conductors: string[];
  orchestrators: string[];
  performers: string[];
  /** In disc and track order. */
  tracklist: TrackRow[];
}

// ---- Tracks table ----------------------------------------------------------------------------

export type TrackSortKey = "album" | "title" | "composer" | "year" | "duration" | "format" | "added";

export interface TrackSort {
  key: TrackSortKey;
  descending: boolean;
}

// ---- Player ----------------------------------------------------------------------------------

export type PlayerState = "stopped" | "loading" | "playing" | "paused";
export type PlayMode = "preview" | "full";

export interface PlayerStatus {
  state: PlayerState;
  track_id: number | null;
  mode: PlayMode | null;
  /** False when no audio output device could be opened; the next play tries again. */
  output_available: boolean;
  /** Why there is no output, in words for the user. */
  output_problem: string | null;
}

export interface PlayerPosition {
  track_id: number;
  position_ms: number;
  duration_ms: number | null;
  /** Where the excerpt ends, for previews. */
  until_ms: number | null;
}

export interface PlaybackError {
  track_id: number | null;
  message: string;
}

/** A track's waveform: `peaks` holds [min, max] pairs in -1..1, evenly spread over the track. */
export interface Waveform {
  track_id: number;
  duration_ms: number;
  smart_start_ms: number;
  peaks: [number, number][];
}

export interface AnalysisProgress {
  total: number;
  done: number;
  rate: number;
  eta_secs: number | null;
  current: string | null;
  finished: boolean;
}

// ---- Settings, statistics, problems ----------------------------------------------------------

export type PreviewStart = { kind: "smart" } | { kind: "from_start" } | { kind: "percent"; value: number };

export interface Settings {
  /** Preview length in seconds (5–120). */
  preview_secs: number;
  preview_start: PreviewStart;
  /** Loudness previews and plays are matched to, in LUFS (-30 to -8). */
  target_lufs: number;
  /** 0–1. */
  volume: number;
  /** Whether the first-run greeting has been seen. */
  onboarded: boolean;
}

export interface Totals {
  tracks: number;
  missing: number;
  albums: number;
  works: number;
  composers: number;
  duration_ms: number;
  bytes: number;
  covers: number;
  problems: number;
  roots: number;
  roots_offline: number;
}

export interface Count {
  key: string;
  tracks: number;
  albums: number;
}

export interface Stats {
  totals: Totals;
  formats: Count[];
  /** In decade order ("1960s", …, "unknown" last). */
  decades: Count[];
  composers: Count[];
  labels: Count[];
}

/** A file that could not be cataloged. */
export interface Problem {
  path: string;
  reason: string;
  seen_at: number;
}
