// Notes on lists and list entries go through the shared note editor, which saves with
// `backend.setNote(target, markdown)`. A list's note is saved by `updateList` and an entry's by
// `setListEntryNote`, so the editor gets a backend whose `setNote` goes there instead; the live
// preview (`renderNote`) and link clicks are the real backend's.

import type { Backend } from "../api/backend";
import type { Annotations } from "../api/types";

/** A saved note as Rust returns it. */
export interface SavedNote {
  note: string | null;
  note_html: string | null;
}

/** The annotations the editor expects, holding only the note. */
export function noteAnnotations(n: SavedNote): Annotations {
  return { rating: null, note: n.note, note_html: n.note_html, tags: [], fields: {}, cue_notes: [] };
}

/** `backend`, with `setNote` calling `save` (the target the editor passes is ignored). */
export function noteBackend(backend: Backend, save: (markdown: string) => Promise<SavedNote>): Backend {
  return { ...backend, setNote: async (_target, markdown) => noteAnnotations(await save(markdown)) };
}
