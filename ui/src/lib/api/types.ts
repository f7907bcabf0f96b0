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
  /** The collector's rating of the track itself, 0–5. */
  rating: number | null;
  /** The cue number the collector set ("1M1"). */
  cue: string | null;
  /** The collector's tags on the track itself. */
  tags: string[];
}

export interface TrackPage {
  total: number;
  tracks: TrackRow[];
}

/** A failed command, as the desktop crate reports it. */
export interface CommandError {
  code:
    | "bad_query" | "bad_folder" | "not_found" | "catalog" | "playback" | "bad_annotation" | "backup"
    | "bad_list" | "transfer" | "cancelled";
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
  /** Annotated albums, tracks and works that match nothing after the scan. */
  annotation_orphans: number;
  /** Wishlist placeholders that a cataloged album now matches (see `resolutions`). */
  wishlist_matches: number;
  /** New suggestions in imported articles after the scan changed the catalog. */
  article_suggestions: number;
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
  /** The collector's rating, 0–5. */
  rating: number | null;
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
  /** The work's id, to annotate it. */
  work_id: number | null;
  /** Credits: the collector's overrides where set, else what the tags say. */
  composers: string[];
  conductors: string[];
  orchestrators: string[];
  performers: string[];
  /** In disc and track order. */
  tracklist: TrackRow[];
  annotations: Annotations;
  /** The work's annotations, when the album belongs to a work. */
  work_annotations: Annotations | null;
}

// ---- Annotations -----------------------------------------------------------------------------

/** What an annotation is on, by catalog id. */
export type Target = { kind: "album"; id: number } | { kind: "track"; id: number } | { kind: "work"; id: number };

export interface Tag {
  name: string;
  /** "#rrggbb" */
  color: string | null;
}

export interface TagCount {
  id: number;
  name: string;
  color: string | null;
  albums: number;
  tracks: number;
  works: number;
}

/** A time-coded note on a track. */
export interface CueNote {
  id: number;
  at_ms: number;
  text: string;
}

/**
 * Soundtrack field overrides. A missing key is not overridden (the tags' value shows). Albums
 * take every field but `cue`; tracks take only `cue`.
 */
export interface Fields {
  work_title?: string;
  work_year?: number;
  work_kind?: WorkKind;
  composers?: string[];
  orchestrators?: string[];
  conductors?: string[];
  label?: string;
  catalog_numbers?: string[];
  edition?: string;
  limited_to?: number;
  cue?: string;
}

/** Everything the collector added to one album, track or work. */
export interface Annotations {
  rating: number | null;
  /** Markdown as written. */
  note: string | null;
  /** The note rendered by Rust and sanitized (no scripts, handlers, images; http/https/mailto links only). */
  note_html: string | null;
  tags: Tag[];
  fields: Fields;
  cue_notes: CueNote[];
}

export type SubjectKind = "album" | "track" | "work";

/** Annotations whose album, track or work is not in the catalog now. */
export interface Orphan {
  subject_id: number;
  kind: SubjectKind;
  /** What it was: "Title — Album (disc 1, track 3)". */
  was: string;
  rating: number | null;
  has_note: boolean;
  tags: string[];
  cue_notes: number;
  has_fields: boolean;
  updated_at: number;
}

/** A proposed relink of a lost file's annotations onto a present track or album. */
export interface Proposal {
  subject_id: number;
  kind: SubjectKind;
  was: string;
  to: Target;
  to_label: string;
  reason: string;
}

export interface RestoreReport {
  tags_created: number;
  subjects_created: number;
  subjects_updated: number;
  cue_notes_added: number;
  lists_created: number;
  /** Lists that existed (same name and creation time) and took the backup's entries. */
  lists_updated: number;
  articles_created: number;
  /** Articles that existed (the same source or text) and took the backup's annotations. */
  articles_updated: number;
  orphans: number;
  /** Entries skipped, each with the reason. */
  skipped: string[];
}

/** A standard tag field write-back can set in a file. */
export type WritebackField =
  | "title" | "artist" | "album" | "album_artist" | "composer" | "conductor" | "orchestrator"
  | "label" | "catalog_number" | "year" | "genre" | "comment";

export interface WritebackChange {
  field: WritebackField;
  old: string[];
  new: string[];
}

/** What a tag write-back would change in one file. */
export interface WritebackFile {
  track_id: number;
  path: string;
  changes: WritebackChange[];
}

// ---- Tracks table ----------------------------------------------------------------------------

export type TrackSortKey =
  | "album" | "title" | "composer" | "year" | "duration" | "format" | "added" | "cue" | "rating";

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

// ---- Lists -----------------------------------------------------------------------------------

/** How a list numbers its entries: 1, 2, 3…; a countdown ending at 1; or no numbers. */
export type Ranking = "none" | "ascending" | "descending";

export type EntryKind = "album" | "track" | "placeholder";

/** A saved query: what a smart list holds, or the search results an export takes. */
export type SmartQuery = SmartTracksQuery | SmartAlbumsQuery;

/** Tracks matching the search, in `sort` order. */
export interface SmartTracksQuery {
  scope: "tracks";
  query: string;
  sort?: TrackSort;
  /** At most this many; null or absent for all. */
  limit?: number | null;
}

/** Albums with a track matching the search, in the grid's `arrange` order. */
export interface SmartAlbumsQuery {
  scope: "albums";
  query: string;
  arrange?: AlbumArrangement;
  kind?: WorkKind | null;
  limit?: number | null;
}

/** A list as the sidebar shows it. */
export interface ListSummary {
  id: number;
  name: string;
  ranking: Ranking;
  smart: boolean;
  /** Stored entries (0 for a smart list, whose entries are counted when it opens). */
  entries: number;
  /** Wishlist entries. */
  placeholders: number;
  updated_at: number;
}

export interface ListInfo {
  id: number;
  name: string;
  /** Markdown as written. */
  note: string | null;
  /** The note rendered and sanitized. */
  note_html: string | null;
  ranking: Ranking;
  /** Set for a smart list. */
  query: SmartQuery | null;
  created_at: number;
  updated_at: number;
}

/** One entry as the list shows it, with where it is in the catalog now. */
export interface ListEntry {
  /** null in a smart list, whose entries are not stored. */
  id: number | null;
  rank: number | null;
  kind: EntryKind;
  title: string;
  /** Composer, else album artist or artist. */
  artist: string | null;
  year: number | null;
  /** A track's album title. */
  album: string | null;
  /** An album entry's album, or a track's album. */
  album_id: number | null;
  track_id: number | null;
  cover_hash: string | null;
  duration_ms: number | null;
  /** An album's track count. */
  tracks: number | null;
  rating: number | null;
  tags: string[];
  note: string | null;
  note_html: string | null;
  /** False when the album or recording is not in the catalog now, or all its files are missing. */
  available: boolean;
}

export interface ListPage {
  list: ListInfo;
  entries: ListEntry[];
  /** A smart list's full count, when it found more than it shows. */
  total: number;
  /** Why a smart list's saved search finds nothing now: it no longer parses. */
  query_error: string | null;
}

/** Something to add to a list. */
export type ListItem =
  | { kind: "album"; id: number; note?: string | null }
  | { kind: "track"; id: number; note?: string | null }
  | { kind: "placeholder"; title: string; artist?: string | null; year?: number | null; note?: string | null };

/** What `updateList` changes; the rest stays. `note: ""` clears the note. */
export interface ListChange {
  name?: string;
  note?: string;
  ranking?: Ranking;
  /** Smart lists only. */
  query?: SmartQuery;
}

/** A scanned album that a wishlist placeholder names. */
export interface Resolution {
  entry_id: number;
  list_id: number;
  list_name: string;
  title: string;
  artist: string | null;
  year: number | null;
  album_id: number;
  album_title: string;
  album_artist: string | null;
  album_year: number | null;
  /** 0–1. */
  confidence: number;
}

export type ExportSource =
  | { kind: "list"; id: number }
  | { kind: "query"; query: SmartQuery }
  | { kind: "catalog" };

export type ExportFormat = "markdown" | "html" | "csv" | "json" | "m3u8" | "xspf";

export interface ExportOptions {
  /** CSV: a byte-order mark, so spreadsheets read UTF-8. */
  bom: boolean;
  /** M3U8: paths relative to the playlist's folder. */
  relative_paths: boolean;
}

/** How far an export or import is. */
export interface TransferProgress {
  phase: "gathering" | "writing" | "matching" | "done";
  done: number;
  total: number;
}

export interface ExportReport {
  path: string;
  format: ExportFormat;
  entries: number;
  /** Audio files the entries point at. */
  files: number;
  bytes: number;
}

/** Which CSV column (0-based) holds what; null when none does. */
export interface CsvMapping {
  has_header: boolean;
  rank: number | null;
  kind: number | null;
  title: number | null;
  artist: number | null;
  album: number | null;
  year: number | null;
  duration: number | null;
  rating: number | null;
  tags: number | null;
  note: number | null;
  path: number | null;
}

export interface CsvPreview {
  headers: string[];
  /** The first rows, as text. */
  rows: string[][];
  /** The mapping guessed from the header. */
  suggested: CsvMapping;
}

export interface ImportOptions {
  /** The new list's name; else the file's own title, else its file name. */
  name?: string | null;
  /** CSV only; else guessed from the header. */
  mapping?: CsvMapping | null;
}

export interface ImportReport {
  list: ListInfo;
  entries: number;
  albums: number;
  tracks: number;
  /** Entries not in the catalog, kept as wishlist placeholders. */
  placeholders: number;
  /** Entries naming the same album or track as an earlier one, added once. */
  duplicates: number;
  /** Lines or rows skipped or read with a guess, each with the reason. */
  warnings: string[];
}

/** A list that holds an album or track. */
export interface ListRef {
  id: number;
  name: string;
}

// ---- Articles --------------------------------------------------------------------------------
// Every offset below is a UTF-8 byte offset into `ArticleView.body` (or an excerpt); see
// `lib/articles/text.ts` for turning them into string indices.

/** What an import did. */
export interface ArticleImported {
  id: number;
  /** False when the source was imported before and its article was updated. */
  created: boolean;
  title: string;
  /** Suggestions waiting for a decision. */
  suggestions: number;
  /** Entries of the ranked list the article is, if it is one. */
  ranked_entries: number | null;
}

export interface ArticleSummary {
  id: number;
  title: string;
  author: string | null;
  published: string | null;
  /** The address or file name it came from. */
  source: string | null;
  format: string;
  rating: number | null;
  /** Seconds since the epoch. */
  imported_at: number;
  confirmed: number;
  suggested: number;
  words: number;
}

export type ArticleBlockKind = "heading" | "paragraph" | "item" | "quote";

export interface ArticleBlock {
  kind: ArticleBlockKind;
  level: number | null;
  ordinal: number | null;
  start: number;
  end: number;
  /** Italic or quoted ranges. */
  emphasis: [number, number][];
}

export type LinkKind = "album" | "track" | "person" | "label";
export type LinkStatus = "suggested" | "confirmed" | "rejected";

export interface ArticleLink {
  id: number;
  kind: LinkKind;
  /** The album, track, person or label as the collection names it. */
  label: string;
  status: LinkStatus;
  /** 0–1. */
  confidence: number;
  reason: string;
  /** The sentence of the best mention; the mention is excerpt_start..excerpt_end (bytes) in it. */
  excerpt: string;
  excerpt_start: number;
  excerpt_end: number;
  /** The last detection found it (a decided link may outlive its mention). */
  found: boolean;
  album_id: number | null;
  track_id: number | null;
  /** For a track: its album. */
  track_album_id: number | null;
  /** For a person or label: the name. */
  name: string | null;
  mentions: number;
}

export interface ArticleMention {
  link_id: number;
  start: number;
  end: number;
  status: LinkStatus;
  kind: LinkKind;
}

export interface ArticleTag {
  name: string;
  color: string | null;
}

export interface RankedArticleEntry {
  rank: number;
  title: string;
  year: number | null;
  /** The entry's paragraph. */
  note: string;
  /** The owned album it links to; null: a wishlist entry. */
  album_id: number | null;
  album_title: string | null;
}

export interface RankedArticle {
  order: "ascending" | "descending";
  entries: RankedArticleEntry[];
}

export interface ArticleView {
  id: number;
  title: string;
  description: string | null;
  author: string | null;
  published: string | null;
  updated: string | null;
  keywords: string[];
  locale: string | null;
  category: string | null;
  url: string | null;
  file_name: string | null;
  format: string;
  imported_at: number;
  /** The readable text: blocks joined by blank lines. Shown as text nodes only. */
  body: string;
  blocks: ArticleBlock[];
  links: ArticleLink[];
  mentions: ArticleMention[];
  tags: ArticleTag[];
  rating: number | null;
  note: string | null;
  /** The note rendered and sanitized by Rust. */
  note_html: string | null;
  /** Set when the article is a ranked list that can become a list. */
  ranked: RankedArticle | null;
}

/** An article with a confirmed link to an album, track, person or label. */
export interface MentionedIn {
  article_id: number;
  title: string;
  author: string | null;
  published: string | null;
  excerpt: string;
  excerpt_start: number;
  excerpt_end: number;
}

export type ArticleSubject =
  | { kind: "album"; id: number }
  | { kind: "track"; id: number }
  | { kind: "person"; name: string }
  | { kind: "label"; name: string };

export type LinkDecision = "confirm" | "reject" | "undecide";
