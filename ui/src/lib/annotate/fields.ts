// The soundtrack fields form: the collector's overrides as text inputs and back. A field left
// empty is not overridden (what the tags say shows); lists are names separated by ";".

import type { AlbumPage, Fields, WorkKind } from "../api/types";

/** The album fields the form edits (a track takes only `cue`). */
export const ALBUM_FIELDS = [
  "work_title",
  "work_year",
  "work_kind",
  "composers",
  "orchestrators",
  "conductors",
  "label",
  "catalog_numbers",
  "edition",
  "limited_to",
] as const;

export type AlbumField = (typeof ALBUM_FIELDS)[number];

/** Every field as the text in its input. */
export type FieldDraft = Record<AlbumField, string>;

export const FIELD_LABELS: Record<AlbumField, string> = {
  work_title: "Work title",
  work_year: "Work year",
  work_kind: "Work kind",
  composers: "Composers",
  orchestrators: "Orchestrators",
  conductors: "Conductors",
  label: "Label",
  catalog_numbers: "Catalog numbers",
  edition: "Edition",
  limited_to: "Limited to",
};

const LISTS = new Set<AlbumField>(["composers", "orchestrators", "conductors", "catalog_numbers"]);
const WORK_KINDS: readonly WorkKind[] = ["film", "game", "tv"];

/** Whether the field holds several names separated by ";". */
export function isListField(field: AlbumField): boolean {
  return LISTS.has(field);
}

const joinList = (xs: readonly string[] | undefined) => (xs ?? []).join("; ");

/** The stored overrides as input text. */
export function draftFrom(fields: Fields): FieldDraft {
  return {
    work_title: fields.work_title ?? "",
    work_year: fields.work_year != null ? String(fields.work_year) : "",
    work_kind: fields.work_kind ?? "",
    composers: joinList(fields.composers),
    orchestrators: joinList(fields.orchestrators),
    conductors: joinList(fields.conductors),
    label: fields.label ?? "",
    catalog_numbers: joinList(fields.catalog_numbers),
    edition: fields.edition ?? "",
    limited_to: fields.limited_to != null ? String(fields.limited_to) : "",
  };
}

/** What the album shows now for each field (tags, or an override), as placeholder text. */
export function effectiveFrom(
  page: Pick<
    AlbumPage,
    "work" | "work_year" | "work_kind" | "composers" | "composer" | "orchestrators" | "conductors" | "label" | "catalog_numbers" | "edition"
  >,
): FieldDraft {
  return {
    work_title: page.work ?? "",
    work_year: page.work_year != null ? String(page.work_year) : "",
    work_kind: page.work_kind ?? "",
    composers: page.composers.length > 0 ? joinList(page.composers) : (page.composer ?? ""),
    orchestrators: joinList(page.orchestrators),
    conductors: joinList(page.conductors),
    label: page.label ?? "",
    catalog_numbers: joinList(page.catalog_numbers),
    edition: page.edition ?? "",
    limited_to: "",
  };
}

/** "John Williams; Alexander Courage" → the names, trimmed, empty ones dropped. */
export function splitNames(text: string): string[] {
  return text
    .split(";")
    .map((s) => s.trim().replace(/\s+/g, " "))
    .filter((s) => s !== "");
}

export type FieldsResult = { ok: true; fields: Fields } | { ok: false; errors: Partial<Record<AlbumField, string>> };

/**
 * The overrides to store: only fields with something in them, numbers as numbers, lists as
 * lists. Refuses (per field, with a message) a year that is not a year, a copy count that is not
 * a positive whole number, and an unknown work kind.
 */
export function fieldsFrom(draft: FieldDraft): FieldsResult {
  const fields: Fields = {};
  const errors: Partial<Record<AlbumField, string>> = {};
  const text = (f: AlbumField) => draft[f].trim().replace(/\s+/g, " ");

  if (text("work_title")) fields.work_title = text("work_title");
  if (text("label")) fields.label = text("label");
  if (text("edition")) fields.edition = text("edition");
  for (const f of ["composers", "orchestrators", "conductors", "catalog_numbers"] as const) {
    const names = splitNames(draft[f]);
    if (names.length > 0) fields[f] = names;
  }

  const year = text("work_year");
  if (year) {
    if (/^\d{4}$/.test(year) && Number(year) >= 1800) fields.work_year = Number(year);
    else errors.work_year = `“${year}” is not a year; write it like 1977.`;
  }

  // "3000", or with thousands grouped: "3,000", "3 000", "3.000".
  const typed = text("limited_to");
  const copies = /^\d{1,3}([ ,.'’]\d{3})+$/.test(typed) ? typed.replace(/\D/g, "") : typed;
  if (copies) {
    const n = Number(copies);
    if (/^\d+$/.test(copies) && n > 0 && Number.isSafeInteger(n)) fields.limited_to = n;
    else errors.limited_to = `“${text("limited_to")}” is not a number of copies; write it like 3000.`;
  }

  const kind = text("work_kind").toLowerCase();
  if (kind) {
    if ((WORK_KINDS as readonly string[]).includes(kind)) fields.work_kind = kind as WorkKind;
    else errors.work_kind = `The work kind is film, game or tv, not “${text("work_kind")}”.`;
  }

  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, fields };
}
