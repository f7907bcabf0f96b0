import type { Backend } from "./backend";

/** A backend for unit tests: every call fails unless the test supplies it. */
export function fakeBackend(parts: Partial<Backend>): Backend {
  const missing = (name: string) => () => Promise.reject(new Error(`fake backend: no ${name}`));
  const names: (keyof Backend)[] = [
    "searchTracks", "track", "albumGroups", "albums", "album", "roots", "addRoot", "removeRoot",
    "scan", "cancelScan", "problems", "musicFolder", "pickFolder", "onDrop", "preview", "play",
    "pause", "resume", "stop", "seek", "setVolume", "skim", "next", "previous", "playerStatus",
    "waveform", "onPlayer", "onPosition", "onPlaybackError", "onAnalysis", "settings",
    "saveSettings", "stats", "firstAlbumsShown", "annotations", "tags", "tag", "untag",
    "createTag", "renameTag", "mergeTags", "deleteTag", "setTagColor", "rate", "setNote",
    "renderNote", "addCueNote", "updateCueNote", "deleteCueNote", "setFields", "orphans",
    "relinkProposals", "relink", "forget", "openLink", "pickBackupTarget", "pickBackupFile",
    "backup", "restore", "writebackPlan", "writebackApply", "lists", "createList",
    "createSmartList", "updateList", "duplicateList", "deleteList", "listPage", "addToList",
    "moveListEntries", "removeListEntries", "setListEntryNote", "editPlaceholder", "listsHolding",
    "resolutions", "resolvePlaceholder", "declineResolution", "pickExportTarget", "exportList",
    "cancelTransfer", "openExport", "pickImportFile", "csvPreview", "importList", "articles",
    "article", "pickArticleFile", "importArticleFile", "importArticleUrl", "importArticleText",
    "cancelArticleImport", "decideLinks", "decideLinksAbove", "detectArticleAgain", "mentionedIn",
    "articleToList", "rateArticle", "setArticleNote", "tagArticle", "untagArticle", "deleteArticle",
  ];
  const backend = Object.fromEntries(names.map((n) => [n, missing(n)])) as unknown as Backend;
  backend.coverUrl = (hash) => `cover://localhost/${hash}`;
  return { ...backend, ...parts };
}
