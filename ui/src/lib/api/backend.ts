import type {
  ArticleImported,
  ArticleSubject,
  ArticleSummary,
  ArticleView,
  LinkDecision,
  MentionedIn,
  CsvPreview,
  ExportFormat,
  ExportOptions,
  ExportReport,
  ExportSource,
  ImportOptions,
  ImportReport,
  ListChange,
  ListEntry,
  ListInfo,
  ListItem,
  ListPage,
  ListRef,
  ListSummary,
  Ranking,
  Resolution,
  SmartQuery,
  TransferProgress,
  Annotations,
  CueNote,
  Fields,
  Orphan,
  Proposal,
  RestoreReport,
  TagCount,
  Target,
  WritebackFile,
  AlbumGroup,
  AlbumPage,
  AlbumQuery,
  AlbumRow,
  AnalysisProgress,
  PlaybackError,
  PlayerPosition,
  PlayerStatus,
  Problem,
  Root,
  ScanProgress,
  ScanReport,
  Settings,
  Stats,
  TrackPage,
  TrackRow,
  TrackSort,
  Waveform,
} from "./types";

/** Stops listening. */
export type Unlisten = () => void;

/** Everything the UI asks of Rust. The app uses the Tauri implementation; tests use a fake. */
export interface Backend {
  // Tracks
  /** Tracks matching a search, a page at a time; without `sort`, in album order. */
  searchTracks(query: string, limit: number, offset: number, sort?: TrackSort): Promise<TrackPage>;
  track(id: number): Promise<TrackRow>;

  // Albums
  /** The headings of the album grid for a query, in order, with how many albums each holds. */
  albumGroups(q: AlbumQuery): Promise<AlbumGroup[]>;
  /** Albums `offset..offset+limit` in the order `albumGroups` describes. */
  albums(q: AlbumQuery, offset: number, limit: number): Promise<AlbumRow[]>;
  album(id: number): Promise<AlbumPage>;
  /** A URL the webview can load for a cover thumbnail (a custom protocol scoped to the cache). */
  coverUrl(hash: string): string;

  // Library folders
  roots(): Promise<Root[]>;
  addRoot(path: string): Promise<Root>;
  removeRoot(path: string): Promise<Root>;
  /** Scans every folder; `onProgress` is called about ten times a second until it resolves. */
  scan(onProgress: (p: ScanProgress) => void): Promise<ScanReport>;
  cancelScan(): Promise<void>;
  problems(): Promise<Problem[]>;
  /** The system's Music folder when it exists, to offer on first run. */
  musicFolder(): Promise<string | null>;
  /** The native folder picker; null when the user cancels. */
  pickFolder(): Promise<string | null>;
  /** Folders (or files) dropped on the window. */
  onDrop(handler: (paths: string[]) => void): Promise<Unlisten>;

  // Annotations
  annotations(target: Target): Promise<Annotations>;
  tags(): Promise<TagCount[]>;
  /** Adds tags (created when new) to every target; resolves to how many were newly applied. */
  tag(targets: Target[], names: string[]): Promise<number>;
  untag(targets: Target[], names: string[]): Promise<number>;
  createTag(name: string, color: string | null): Promise<void>;
  renameTag(name: string, newName: string): Promise<void>;
  /** Whatever carried any of `from` carries `into`; the `from` tags are gone. */
  mergeTags(from: string[], into: string): Promise<void>;
  deleteTag(name: string): Promise<void>;
  /** "#rrggbb", or null to clear. */
  setTagColor(name: string, color: string | null): Promise<void>;
  /** 0–5, or null to clear. */
  rate(targets: Target[], rating: number | null): Promise<void>;
  /** Saves the Markdown note (blank removes it); resolves to the annotations as they now are. */
  setNote(target: Target, markdown: string): Promise<Annotations>;
  /** Renders Markdown exactly as a saved note would show (sanitized HTML), for the live preview. */
  renderNote(markdown: string): Promise<string>;
  addCueNote(trackId: number, atMs: number, text: string): Promise<CueNote>;
  updateCueNote(id: number, atMs: number, text: string): Promise<CueNote>;
  deleteCueNote(id: number): Promise<void>;
  /** Replaces the target's field overrides; resolves to what was stored. */
  setFields(target: Target, fields: Fields): Promise<Fields>;
  orphans(): Promise<Orphan[]>;
  relinkProposals(): Promise<Proposal[]>;
  relink(subjectId: number, to: Target): Promise<void>;
  /** Drops an orphan's annotations for good. */
  forget(subjectId: number): Promise<void>;
  /** Opens an http, https or mailto link from a note in the system browser. */
  openLink(url: string): Promise<void>;
  /** The native save dialog for a backup file; null when the user cancels. */
  pickBackupTarget(): Promise<string | null>;
  /** The native open dialog for a backup file; null when the user cancels. */
  pickBackupFile(): Promise<string | null>;
  /** Writes every annotation to `path`; resolves to how many items it holds. */
  backup(path: string): Promise<number>;
  restore(path: string): Promise<RestoreReport>;
  /** What writing the album's or track's overrides into its files would change (reads only). */
  writebackPlan(target: Target): Promise<WritebackFile[]>;
  /** Writes exactly the previewed changes; refuses files that changed since the preview. */
  writebackApply(plan: WritebackFile[]): Promise<void>;

  // Lists
  lists(): Promise<ListSummary[]>;
  createList(name: string, ranking: Ranking): Promise<ListInfo>;
  createSmartList(name: string, query: SmartQuery): Promise<ListInfo>;
  /** Renames, sets the note or ranking, or (smart lists) the query; resolves to the list as it now is. */
  updateList(id: number, change: ListChange): Promise<ListInfo>;
  /** A copy named "<name> (copy)" with the same entries. */
  duplicateList(id: number): Promise<ListInfo>;
  /** The albums and tracks it held, and their annotations, stay. */
  deleteList(id: number): Promise<void>;
  /** The list with its entries in order (a smart list: what its query finds now). */
  listPage(id: number): Promise<ListPage>;
  /**
   * Adds items before the entry `before` (at the end when null); an album or track already in
   * the list is not added twice. Resolves to the new entries' ids.
   */
  addToList(listId: number, items: ListItem[], before: number | null): Promise<number[]>;
  /** Moves entries (in list order) to just before `before`, or to the end when null. */
  moveListEntries(listId: number, ids: number[], before: number | null): Promise<void>;
  removeListEntries(ids: number[]): Promise<void>;
  /** Saves an entry's Markdown note (blank removes it). */
  setListEntryNote(id: number, markdown: string): Promise<ListEntry>;
  editPlaceholder(id: number, title: string, artist: string | null, year: number | null): Promise<ListEntry>;
  /** The lists that hold an album or track. */
  listsHolding(target: Target): Promise<ListRef[]>;
  /** Wishlist placeholders that a cataloged album now matches. */
  resolutions(): Promise<Resolution[]>;
  /** Turns the placeholder into the album's entry, keeping its place and note. */
  resolvePlaceholder(entryId: number, albumId: number): Promise<ListEntry>;
  /** The album is not what the placeholder meant: not offered again. */
  declineResolution(entryId: number, albumId: number): Promise<void>;
  /** The native save dialog for an export; null when the user cancels. */
  pickExportTarget(defaultName: string, format: ExportFormat): Promise<string | null>;
  /** Writes the export; `onProgress` about ten times a second. Rejects with code "cancelled" after cancelTransfer. */
  exportList(
    source: ExportSource,
    format: ExportFormat,
    path: string,
    options: ExportOptions,
    onProgress: (p: TransferProgress) => void,
  ): Promise<ExportReport>;
  /** Stops a running export or import; nothing is written or created. */
  cancelTransfer(): Promise<void>;
  /** Opens a file this session exported in the system's default app (HTML: the browser, to print). */
  openExport(path: string): Promise<void>;
  /** The native open dialog for a playlist or list file; null when the user cancels. */
  pickImportFile(): Promise<string | null>;
  /** The first rows of a CSV file and the column mapping guessed from its header. */
  csvPreview(path: string): Promise<CsvPreview>;
  /** Imports a playlist or list file as a new list; nothing is created when it fails. */
  importList(path: string, options: ImportOptions, onProgress: (p: TransferProgress) => void): Promise<ImportReport>;

  // Articles
  /** Every article, newest first, or those a search finds (title, author, keywords, text, note). */
  articles(query: string): Promise<ArticleSummary[]>;
  article(id: number): Promise<ArticleView>;
  /** The native open dialog for an article file; null when the user cancels. */
  pickArticleFile(): Promise<string | null>;
  /** Imports a Markdown, HTML or text file; the same file again updates its article. */
  importArticleFile(path: string): Promise<ArticleImported>;
  /** Fetches an http(s) page and imports it. Rejects with code "cancelled" after cancelArticleImport. */
  importArticleUrl(url: string): Promise<ArticleImported>;
  /** Imports pasted text; the same text again updates its article. */
  importArticleText(text: string): Promise<ArticleImported>;
  cancelArticleImport(): Promise<void>;
  decideLinks(linkIds: number[], decision: LinkDecision): Promise<void>;
  /** Decides every waiting suggestion at or above `minConfidence` (0–1); resolves to how many. */
  decideLinksAbove(articleId: number, minConfidence: number, decision: LinkDecision): Promise<number>;
  /** Looks for links again against the collection as it is now; decisions stay. Resolves to the suggestions waiting. */
  detectArticleAgain(id: number): Promise<number>;
  /** The articles with a confirmed link to the subject. */
  mentionedIn(subject: ArticleSubject): Promise<MentionedIn[]>;
  /** Turns a ranked article into a list; resolves to the new list's id. */
  articleToList(id: number, name: string | null): Promise<number>;
  rateArticle(id: number, rating: number | null): Promise<void>;
  /** Saves the Markdown note (blank removes it); resolves to its sanitized HTML. */
  setArticleNote(id: number, markdown: string): Promise<string | null>;
  tagArticle(id: number, names: string[]): Promise<void>;
  untagArticle(id: number, names: string[]): Promise<void>;
  /** The article and its links go; what it linked to stays. */
  deleteArticle(id: number): Promise<void>;

  // Player
  /** A preview from the track's best moment, or from `fromMs` (a time-coded note). */
  preview(trackId: number, fromMs?: number): Promise<void>;
  /** Full playback (counted as a play once half is heard). */
  play(trackId: number, fromMs: number): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
  seek(ms: number): Promise<void>;
  /** 0–1. */
  setVolume(volume: number): Promise<void>;
  /** Previews each track in turn (a few seconds each). */
  skim(trackIds: number[]): Promise<void>;
  next(): Promise<void>;
  previous(): Promise<void>;
  playerStatus(): Promise<PlayerStatus>;
  /** Analyzes the track first when needed (a fraction of a second for most files). */
  waveform(trackId: number): Promise<Waveform>;
  onPlayer(handler: (s: PlayerStatus) => void): Promise<Unlisten>;
  onPosition(handler: (p: PlayerPosition) => void): Promise<Unlisten>;
  onPlaybackError(handler: (e: PlaybackError) => void): Promise<Unlisten>;
  /** Background analysis of new tracks after a scan. */
  onAnalysis(handler: (p: AnalysisProgress) => void): Promise<Unlisten>;

  // Settings and statistics
  settings(): Promise<Settings>;
  /** Saves and applies (preview policy, volume); returns what was stored (values clamped). */
  saveSettings(s: Settings): Promise<Settings>;
  stats(): Promise<Stats>;

  /**
   * Tells Rust when the page began loading and when the first album cards were on screen (ms since
   * the epoch), for start-up timing (logged with CUEBOOK_TRACE_STARTUP=1).
   */
  firstAlbumsShown(pageStartedMs: number, shownMs: number): Promise<void>;
}
