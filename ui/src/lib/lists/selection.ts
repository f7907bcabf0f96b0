// Which entries of a list page are selected, by entry id so that a selection survives moves.
// Immutable: every operation returns a new selection. The ids are kept in list order.

import { inListOrder } from "./order";

export interface EntrySelection {
  ids: readonly number[];
  /** Where a Shift-click or Shift-arrow range starts. */
  anchor: number | null;
}

export const noSelection: EntrySelection = { ids: [], anchor: null };

export function isSelected(sel: EntrySelection, id: number): boolean {
  return sel.ids.includes(id);
}

/** A plain click: this entry alone. */
export function only(id: number): EntrySelection {
  return { ids: [id], anchor: id };
}

/** Ctrl/Cmd-click: adds or takes away one entry, which anchors the next Shift-click. */
export function toggled(sel: EntrySelection, order: readonly number[], id: number): EntrySelection {
  const ids = isSelected(sel, id) ? sel.ids.filter((i) => i !== id) : inListOrder(order, [...sel.ids, id]);
  return { ids, anchor: id };
}

/**
 * Shift-click (or Shift-arrow): the entries from the anchor to `id`. With `additive`
 * (Ctrl+Shift-click) the range joins the selection; otherwise it replaces it.
 */
export function rangeTo(sel: EntrySelection, order: readonly number[], id: number, additive = false): EntrySelection {
  const from = sel.anchor == null ? -1 : order.indexOf(sel.anchor);
  const to = order.indexOf(id);
  if (from < 0 || to < 0) return only(id);
  const span = order.slice(Math.min(from, to), Math.max(from, to) + 1);
  return { ids: additive ? inListOrder(order, [...sel.ids, ...span]) : span, anchor: sel.anchor };
}

/** What a click does, by its modifier keys. */
export function clicked(
  sel: EntrySelection,
  order: readonly number[],
  id: number,
  keys: { shift: boolean; toggle: boolean },
): EntrySelection {
  if (keys.shift) return rangeTo(sel, order, id, keys.toggle);
  if (keys.toggle) return toggled(sel, order, id);
  return only(id);
}

export function all(order: readonly number[]): EntrySelection {
  return order.length === 0 ? noSelection : { ids: [...order], anchor: order[0] };
}

/** Keeps the entries still in the list (after a reload or a removal), in their new order. */
export function kept(sel: EntrySelection, order: readonly number[]): EntrySelection {
  const ids = inListOrder(order, sel.ids);
  const anchor = sel.anchor != null && order.includes(sel.anchor) ? sel.anchor : null;
  return ids.length === sel.ids.length && ids.every((id, i) => id === sel.ids[i]) && anchor === sel.anchor
    ? sel
    : { ids, anchor };
}

/**
 * The entries an action on `focused` applies to: the whole selection when the focused entry is
 * part of it (or nothing has focus), else the focused entry alone.
 */
export function actedOn(sel: EntrySelection, order: readonly number[], focused: number | null): number[] {
  if (focused == null || isSelected(sel, focused)) return inListOrder(order, sel.ids);
  return [focused];
}
