// A track's time-coded notes as the UI keeps them: always in time order (ties by id, so notes
// added at the same moment stay in the order they were written).

import type { CueNote } from "../api/types";

export function sortCueNotes(notes: readonly CueNote[]): CueNote[] {
  return [...notes].sort((a, b) => a.at_ms - b.at_ms || a.id - b.id);
}

/** The list with `note` in place of the note with its id (or added), in time order. */
export function putCueNote(notes: readonly CueNote[], note: CueNote): CueNote[] {
  return sortCueNotes([...notes.filter((n) => n.id !== note.id), note]);
}

export function dropCueNote(notes: readonly CueNote[], id: number): CueNote[] {
  return notes.filter((n) => n.id !== id);
}
