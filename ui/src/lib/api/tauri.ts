// The only module that talks to Tauri. Command names are the Rust functions in
// src-tauri/src/commands.rs; event names are `events::*` there.
import { Channel, invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open, save } from "@tauri-apps/plugin-dialog";

import type { Backend, Unlisten } from "./backend";
import type {
  ArticleImported,
  ArticleSummary,
  ArticleView,
  MentionedIn,
  CsvPreview,
  ExportReport,
  ImportReport,
  ListEntry,
  ListInfo,
  ListPage,
  ListRef,
  ListSummary,
  Resolution,
  TransferProgress,
  Annotations,
  CueNote,
  Fields,
  Orphan,
  Proposal,
  RestoreReport,
  TagCount,
  WritebackFile,
  AlbumGroup,
  AlbumPage,
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
  Waveform,
} from "./types";

function on<T>(event: string, handler: (payload: T) => void): Promise<Unlisten> {
  return listen<T>(event, (e) => handler(e.payload));
}

// WebKitGTK serves custom protocols as scheme://localhost/…; Windows' WebView2 as http://scheme.localhost/.
const coverBase = navigator.userAgent.includes("Windows") ? "http://cover.localhost/" : "cover://localhost/";

export const tauriBackend: Backend = {
  searchTracks: (query, limit, offset, sort) =>
    invoke<TrackPage>("search_tracks", { query, limit, offset, sort: sort ?? null }),
  track: (id) => invoke<TrackRow>("catalog_track", { id }),

  albumGroups: (q) => invoke<AlbumGroup[]>("catalog_album_groups", { q }),
  albums: (q, offset, limit) => invoke<AlbumRow[]>("catalog_albums", { q, offset, limit }),
  album: (id) => invoke<AlbumPage>("catalog_album", { id }),
  coverUrl: (hash) => coverBase + encodeURIComponent(hash),

  roots: () => invoke<Root[]>("catalog_roots"),
  addRoot: (path) => invoke<Root>("catalog_add_root", { path }),
  removeRoot: (path) => invoke<Root>("catalog_remove_root", { path }),
  scan: (onProgress) => {
    const progress = new Channel<ScanProgress>();
    progress.onmessage = onProgress;
    return invoke<ScanReport>("catalog_scan", { progress });
  },
  cancelScan: () => invoke<void>("catalog_cancel_scan"),
  problems: () => invoke<Problem[]>("catalog_problems"),
  musicFolder: () => invoke<string | null>("catalog_music_folder"),
  pickFolder: async () => {
    const picked = await open({ directory: true, multiple: false, title: "Add a music folder" });
    return typeof picked === "string" ? picked : null;
  },
  onDrop: (handler) =>
    getCurrentWebview().onDragDropEvent((e) => {
      if (e.payload.type === "drop") handler(e.payload.paths);
    }),

  annotations: (target) => invoke<Annotations>("annotate_get", { target }),
  tags: () => invoke<TagCount[]>("annotate_tags"),
  tag: (targets, names) => invoke<number>("annotate_tag", { targets, names }),
  untag: (targets, names) => invoke<number>("annotate_untag", { targets, names }),
  createTag: (name, color) => invoke<void>("annotate_create_tag", { name, color }),
  renameTag: (name, newName) => invoke<void>("annotate_rename_tag", { name, newName }),
  mergeTags: (from, into) => invoke<void>("annotate_merge_tags", { from, into }),
  deleteTag: (name) => invoke<void>("annotate_delete_tag", { name }),
  setTagColor: (name, color) => invoke<void>("annotate_tag_color", { name, color }),
  rate: (targets, rating) => invoke<void>("annotate_rate", { targets, rating }),
  setNote: (target, markdown) => invoke<Annotations>("annotate_set_note", { target, markdown }),
  renderNote: (markdown) => invoke<string>("annotate_render_note", { markdown }),
  addCueNote: (trackId, atMs, text) => invoke<CueNote>("annotate_add_cue_note", { trackId, atMs, text }),
  updateCueNote: (id, atMs, text) => invoke<CueNote>("annotate_update_cue_note", { id, atMs, text }),
  deleteCueNote: (id) => invoke<void>("annotate_delete_cue_note", { id }),
  setFields: (target, fields) => invoke<Fields>("annotate_set_fields", { target, fields }),
  orphans: () => invoke<Orphan[]>("annotate_orphans"),
  relinkProposals: () => invoke<Proposal[]>("annotate_relink_proposals"),
  relink: (subjectId, to) => invoke<void>("annotate_relink", { subjectId, to }),
  forget: (subjectId) => invoke<void>("annotate_forget", { subjectId }),
  openLink: (url) => invoke<void>("annotate_open_link", { url }),
  pickBackupTarget: async () => {
    const date = new Date().toISOString().slice(0, 10);
    const picked = await save({
      title: "Back up annotations",
      defaultPath: `cuebook-backup-${date}.json`,
      filters: [{ name: "Cuebook backup", extensions: ["json"] }],
    });
    return typeof picked === "string" ? picked : null;
  },
  pickBackupFile: async () => {
    const picked = await open({
      title: "Restore annotations",
      multiple: false,
      directory: false,
      filters: [{ name: "Cuebook backup", extensions: ["json"] }],
    });
    return typeof picked === "string" ? picked : null;
  },
  backup: (path) => invoke<number>("annotate_backup", { path }),
  restore: (path) => invoke<RestoreReport>("annotate_restore", { path }),
  writebackPlan: (target) => invoke<WritebackFile[]>("annotate_writeback_plan", { target }),
  writebackApply: (plan) => invoke<void>("annotate_writeback_apply", { plan }),

  lists: () => invoke<ListSummary[]>("lists_all"),
  createList: (name, ranking) => invoke<ListInfo>("lists_create", { name, ranking }),
  createSmartList: (name, query) => invoke<ListInfo>("lists_create_smart", { name, query }),
  updateList: (id, change) => invoke<ListInfo>("lists_update", { id, change }),
  duplicateList: (id) => invoke<ListInfo>("lists_duplicate", { id }),
  deleteList: (id) => invoke<void>("lists_delete", { id }),
  listPage: (id) => invoke<ListPage>("lists_page", { id }),
  addToList: (listId, items, before) => invoke<number[]>("lists_add", { listId, items, before }),
  moveListEntries: (listId, ids, before) => invoke<void>("lists_move", { listId, ids, before }),
  removeListEntries: (ids) => invoke<void>("lists_remove", { ids }),
  setListEntryNote: (id, markdown) => invoke<ListEntry>("lists_entry_note", { id, markdown }),
  editPlaceholder: (id, title, artist, year) =>
    invoke<ListEntry>("lists_edit_placeholder", { id, title, artist, year }),
  listsHolding: (target) => invoke<ListRef[]>("lists_holding", { target }),
  resolutions: () => invoke<Resolution[]>("lists_resolutions"),
  resolvePlaceholder: (entryId, albumId) => invoke<ListEntry>("lists_resolve", { entryId, albumId }),
  declineResolution: (entryId, albumId) => invoke<void>("lists_decline", { entryId, albumId }),
  pickExportTarget: async (defaultName, format) => {
    const names: Record<string, string> = {
      markdown: "Markdown", html: "Web page (printable)", csv: "CSV spreadsheet", json: "JSON",
      m3u8: "M3U8 playlist", xspf: "XSPF playlist",
    };
    const ext = format === "markdown" ? "md" : format;
    const picked = await save({
      title: "Export",
      defaultPath: `${defaultName}.${ext}`,
      filters: [{ name: names[format] ?? format, extensions: [ext] }],
    });
    return typeof picked === "string" ? picked : null;
  },
  exportList: (source, format, path, options, onProgress) => {
    const progress = new Channel<TransferProgress>();
    progress.onmessage = onProgress;
    return invoke<ExportReport>("lists_export", { source, format, path, options, progress });
  },
  cancelTransfer: () => invoke<void>("lists_cancel_transfer"),
  openExport: (path) => invoke<void>("lists_open_export", { path }),
  pickImportFile: async () => {
    const picked = await open({
      title: "Import a playlist or list",
      multiple: false,
      directory: false,
      filters: [{ name: "Playlists and lists", extensions: ["m3u", "m3u8", "xspf", "csv", "tsv", "json"] }],
    });
    return typeof picked === "string" ? picked : null;
  },
  csvPreview: (path) => invoke<CsvPreview>("lists_csv_preview", { path }),
  importList: (path, options, onProgress) => {
    const progress = new Channel<TransferProgress>();
    progress.onmessage = onProgress;
    return invoke<ImportReport>("lists_import", { path, options, progress });
  },

  articles: (query) => invoke<ArticleSummary[]>("articles_list", { query: query.trim() || null }),
  article: (id) => invoke<ArticleView>("articles_get", { id }),
  pickArticleFile: async () => {
    const picked = await open({
      title: "Import an article",
      multiple: false,
      directory: false,
      filters: [{ name: "Articles", extensions: ["md", "markdown", "html", "htm", "txt", "text"] }],
    });
    return typeof picked === "string" ? picked : null;
  },
  importArticleFile: (path) => invoke<ArticleImported>("articles_import_file", { path }),
  importArticleUrl: (url) => invoke<ArticleImported>("articles_import_url", { url }),
  importArticleText: (text) => invoke<ArticleImported>("articles_import_text", { text }),
  cancelArticleImport: () => invoke<void>("articles_cancel_import"),
  decideLinks: (linkIds, decision) => invoke<void>("articles_decide", { linkIds, decision }),
  decideLinksAbove: (articleId, minConfidence, decision) =>
    invoke<number>("articles_decide_above", { articleId, minConfidence, decision }),
  detectArticleAgain: (id) => invoke<number>("articles_detect_again", { id }),
  mentionedIn: (subject) => invoke<MentionedIn[]>("articles_mentioned_in", { subject }),
  articleToList: (id, name) => invoke<number>("articles_to_list", { id, name }),
  rateArticle: (id, rating) => invoke<void>("articles_rate", { id, rating }),
  setArticleNote: (id, markdown) => invoke<string | null>("articles_set_note", { id, markdown }),
  tagArticle: (id, names) => invoke<void>("articles_tag", { id, names }),
  untagArticle: (id, names) => invoke<void>("articles_untag", { id, names }),
  deleteArticle: (id) => invoke<void>("articles_delete", { id }),

  preview: (trackId, fromMs) => invoke<void>("player_preview", { trackId, fromMs: fromMs ?? null }),
  play: (trackId, fromMs) => invoke<void>("player_play", { trackId, fromMs }),
  pause: () => invoke<void>("player_pause"),
  resume: () => invoke<void>("player_resume"),
  stop: () => invoke<void>("player_stop"),
  seek: (ms) => invoke<void>("player_seek", { ms }),
  setVolume: (volume) => invoke<void>("player_volume", { volume }),
  skim: (trackIds) => invoke<void>("player_skim", { trackIds }),
  next: () => invoke<void>("player_next"),
  previous: () => invoke<void>("player_previous"),
  playerStatus: () => invoke<PlayerStatus>("player_status"),
  waveform: (trackId) => invoke<Waveform>("player_waveform", { trackId }),
  onPlayer: (h) => on<PlayerStatus>("player", h),
  onPosition: (h) => on<PlayerPosition>("position", h),
  onPlaybackError: (h) => on<PlaybackError>("playback-error", h),
  onAnalysis: (h) => on<AnalysisProgress>("analysis", h),

  settings: () => invoke<Settings>("settings_get"),
  saveSettings: (settings) => invoke<Settings>("settings_save", { settings }),
  stats: () => invoke<Stats>("catalog_stats"),
  firstAlbumsShown: (pageStartedMs, shownMs) => invoke<void>("app_first_albums", { pageStartedMs, shownMs }),
};
