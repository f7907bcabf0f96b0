// Fixtures for the Lists tests: entries, lists and resolutions as Rust sends them, and a fake
// backend that keeps lists in memory and records every change it is asked for.

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { ListEntry, ListInfo, ListItem, ListPage, ListSummary, Resolution } from "../api/types";
import { moved, reranked } from "./order";

export function entry(id: number, over: Partial<ListEntry> = {}): ListEntry {
  return {
    id,
    rank: null,
    kind: "album",
    title: `Album ${id}`,
    artist: null,
    year: null,
    album: null,
    album_id: 100 + id,
    track_id: null,
    cover_hash: null,
    duration_ms: null,
    tracks: null,
    rating: null,
    tags: [],
    note: null,
    note_html: null,
    available: true,
    ...over,
  };
}

export function info(id: number, over: Partial<ListInfo> = {}): ListInfo {
  return {
    id,
    name: `List ${id}`,
    note: null,
    note_html: null,
    ranking: "none",
    query: null,
    created_at: 1_700_000_000,
    updated_at: 1_700_000_000,
    ...over,
  };
}

export function resolution(entryId: number, albumId: number, over: Partial<Resolution> = {}): Resolution {
  return {
    entry_id: entryId,
    list_id: 1,
    list_name: "Wanted",
    title: `Wish ${entryId}`,
    artist: "Toto",
    year: 1984,
    album_id: albumId,
    album_title: `Album ${albumId}`,
    album_artist: "Toto",
    album_year: 1984,
    confidence: 0.95,
    ...over,
  };
}

/** One list in the fake store: its own fields and entries (a smart list's are what it "finds"). */
export interface Stored {
  info: ListInfo;
  entries: ListEntry[];
  /** A smart list's full count. */
  total?: number;
  /** A smart list whose search no longer parses. */
  queryError?: string;
}

/**
 * A backend holding `lists` in memory. Every list call is recorded in `calls` as
 * `[name, ...args]`; `parts` replaces any method (to make one fail, say).
 */
export function listStore(lists: Stored[], parts: Partial<Backend> = {}) {
  const store = new Map(lists.map((l) => [l.info.id, { ...l, entries: [...l.entries] }]));
  const calls: unknown[][] = [];
  let nextId = 1000;
  const get = (id: number) => {
    const l = store.get(id);
    if (!l) throw { code: "not_found", message: `no list has id ${id}` };
    return l;
  };
  const ofEntry = (id: number) => [...store.values()].find((l) => l.entries.some((e) => e.id === id))!;
  const summary = (l: Stored): ListSummary => ({
    id: l.info.id,
    name: l.info.name,
    ranking: l.info.ranking,
    smart: l.info.query != null,
    entries: l.info.query ? 0 : l.entries.length,
    placeholders: l.entries.filter((e) => e.kind === "placeholder").length,
    updated_at: l.info.updated_at,
  });
  const backend = fakeBackend({
    lists: async () => [...store.values()].map(summary).sort((a, b) => a.name.localeCompare(b.name)),
    listPage: async (id): Promise<ListPage> => {
      const l = get(id);
      const entries = reranked(l.entries, l.info.ranking);
      return { list: l.info, entries, total: l.total ?? entries.length, query_error: l.queryError ?? null };
    },
    createList: async (name, ranking) => {
      calls.push(["createList", name, ranking]);
      const made = info(nextId++, { name, ranking });
      store.set(made.id, { info: made, entries: [] });
      return made;
    },
    createSmartList: async (name, query) => {
      calls.push(["createSmartList", name, query]);
      const made = info(nextId++, { name, query });
      store.set(made.id, { info: made, entries: [] });
      return made;
    },
    updateList: async (id, change) => {
      calls.push(["updateList", id, change]);
      const l = get(id);
      l.info = {
        ...l.info,
        ...(change.name != null ? { name: change.name } : {}),
        ...(change.ranking != null ? { ranking: change.ranking } : {}),
        ...(change.query != null ? { query: change.query } : {}),
        ...(change.note != null
          ? { note: change.note || null, note_html: change.note ? `<p>${change.note}</p>` : null }
          : {}),
      };
      return l.info;
    },
    duplicateList: async (id) => {
      calls.push(["duplicateList", id]);
      const l = get(id);
      const made = { ...l.info, id: nextId++, name: `${l.info.name} (copy)` };
      store.set(made.id, { info: made, entries: l.entries.map((e) => ({ ...e, id: nextId++ })) });
      return made;
    },
    deleteList: async (id) => {
      calls.push(["deleteList", id]);
      get(id);
      store.delete(id);
    },
    addToList: async (listId, items: ListItem[], before) => {
      calls.push(["addToList", listId, items, before]);
      const l = get(listId);
      const made = items.map((i) =>
        i.kind === "placeholder"
          ? entry(nextId++, { kind: "placeholder", title: i.title, artist: i.artist ?? null, year: i.year ?? null, album_id: null, available: false })
          : entry(nextId++, i.kind === "album" ? { album_id: i.id } : { kind: "track", track_id: i.id, title: `Track ${i.id}` }),
      );
      const at = before == null ? l.entries.length : l.entries.findIndex((e) => e.id === before);
      l.entries.splice(at, 0, ...made);
      return made.map((e) => e.id!);
    },
    moveListEntries: async (listId, ids, before) => {
      calls.push(["moveListEntries", listId, ids, before]);
      const l = get(listId);
      const byId = new Map(l.entries.map((e) => [e.id!, e]));
      l.entries = moved(l.entries.map((e) => e.id!), ids, before).map((id) => byId.get(id)!);
    },
    removeListEntries: async (ids) => {
      calls.push(["removeListEntries", ids]);
      for (const id of ids) {
        const l = ofEntry(id);
        l.entries = l.entries.filter((e) => e.id !== id);
      }
    },
    setListEntryNote: async (id, markdown) => {
      calls.push(["setListEntryNote", id, markdown]);
      const l = ofEntry(id);
      const i = l.entries.findIndex((e) => e.id === id);
      l.entries[i] = { ...l.entries[i], note: markdown || null, note_html: markdown ? `<p><em>${markdown}</em></p>` : null };
      return l.entries[i];
    },
    editPlaceholder: async (id, title, artist, year) => {
      calls.push(["editPlaceholder", id, title, artist, year]);
      const l = ofEntry(id);
      const i = l.entries.findIndex((e) => e.id === id);
      l.entries[i] = { ...l.entries[i], title, artist, year };
      return l.entries[i];
    },
    resolutions: async () => [],
    renderNote: async (md) => `<p>${md}</p>`,
    ...parts,
  });
  return { backend, calls, store };
}

/** A stand-in for the DataTransfer jsdom lacks: what a drag carries, by type. */
export function dataTransfer() {
  const data = new Map<string, string>();
  return {
    get types(): string[] {
      return [...data.keys()];
    },
    setData: (type: string, value: string) => void data.set(type, value),
    getData: (type: string) => data.get(type) ?? "",
    clearData: () => data.clear(),
    effectAllowed: "all",
    dropEffect: "none",
  };
}
