// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { AlbumPage, Fields, Target } from "../api/types";
import FieldsForm from "./FieldsForm.svelte";

function page(fields: Fields = {}): AlbumPage {
  return {
    id: 9,
    title: "Star Wars",
    album_artist: null,
    composer: "John Williams",
    year: 1997,
    label: "RCA Victor",
    work: "Star Wars",
    work_kind: "film",
    tracks: 0,
    missing: 0,
    discs: null,
    duration_ms: 0,
    cover_hash: null,
    added_at: 0,
    rating: null,
    original_year: 1977,
    catalog_numbers: ["09026-68772-2"],
    barcode: null,
    edition: null,
    release_type: null,
    release_kind: null,
    mb_album_id: null,
    compilation: false,
    folder: null,
    work_year: 1977,
    work_source: null,
    work_id: null,
    composers: ["John Williams"],
    conductors: [],
    orchestrators: [],
    performers: [],
    tracklist: [],
    annotations: { rating: null, note: null, note_html: null, tags: [], fields, cue_notes: [] },
    work_annotations: null,
  };
}

function setup(fields: Fields = {}, parts: Partial<Backend> = {}) {
  const setFields = vi.fn(async (_t: Target, f: Fields) => f);
  const onSaved = vi.fn();
  const backend = fakeBackend({ setFields, ...parts });
  const view = render(FieldsForm, { backend, page: page(fields), onSaved });
  return { ...view, setFields, onSaved };
}

const field = (name: string) => screen.getByLabelText(name) as HTMLInputElement;

test("shows what the album says as placeholders and the overrides as values", () => {
  setup({ conductors: ["John Williams", "Lionel Newman"] });
  expect(field("Composers").placeholder).toBe("John Williams");
  expect(field("Composers").value).toBe("");
  expect(field("Catalog numbers").placeholder).toBe("09026-68772-2");
  expect(field("Conductors").value).toBe("John Williams; Lionel Newman");
  expect(field("Work year").placeholder).toBe("1977");
  expect((screen.getByLabelText("Work kind") as HTMLSelectElement).value).toBe("");
  expect(screen.getByRole("option", { name: "As tagged (Film)" })).toBeTruthy();
});

test("Save sends only the filled fields, numbers typed as numbers", async () => {
  const { setFields, onSaved } = setup();
  await fireEvent.input(field("Work year"), { target: { value: "1977" } });
  await fireEvent.input(field("Limited to"), { target: { value: "3000" } });
  await fireEvent.input(field("Orchestrators"), { target: { value: "Herbert W. Spencer; Arthur Morton" } });
  await fireEvent.input(field("Label"), { target: { value: "   " } });
  await fireEvent.change(screen.getByLabelText("Work kind"), { target: { value: "film" } });
  await fireEvent.click(screen.getByRole("button", { name: "Save details" }));
  await waitFor(() => expect(setFields).toHaveBeenCalledTimes(1));
  const [target, sent] = setFields.mock.calls[0];
  expect(target).toEqual({ kind: "album", id: 9 });
  expect(sent).toEqual({
    work_year: 1977,
    limited_to: 3000,
    orchestrators: ["Herbert W. Spencer", "Arthur Morton"],
    work_kind: "film",
  });
  expect(typeof sent.work_year, "a number, not the text typed").toBe("number");
  expect(onSaved).toHaveBeenCalledWith(sent);
  expect(screen.getByRole("status").textContent).toBe("✓ Saved");
});

test("Clear empties a field, so saving returns it to the tags", async () => {
  const { setFields } = setup({ label: "Varèse Sarabande", edition: "Special" });
  await fireEvent.click(screen.getByRole("button", { name: "Clear label" }));
  expect(field("Label").value).toBe("");
  expect(document.activeElement).toBe(field("Label"));
  await fireEvent.click(screen.getByRole("button", { name: "Save details" }));
  await waitFor(() => expect(setFields.mock.calls[0]?.[1]).toEqual({ edition: "Special" }));
});

test("a bad value is shown at its field and nothing is sent", async () => {
  const { setFields } = setup();
  await fireEvent.input(field("Limited to"), { target: { value: "many" } });
  await fireEvent.click(screen.getByRole("button", { name: "Save details" }));
  expect(field("Limited to").getAttribute("aria-invalid")).toBe("true");
  expect(screen.getByText("“many” is not a number of copies; write it like 3000.")).toBeTruthy();
  expect(document.activeElement).toBe(field("Limited to"));
  expect(setFields).not.toHaveBeenCalled();
});

test("an error from Rust is shown in the form", async () => {
  setup({}, { setFields: () => Promise.reject({ code: "bad_annotation", message: "year 1500 is out of range" }) });
  await fireEvent.input(field("Edition"), { target: { value: "Expanded" } });
  await fireEvent.click(screen.getByRole("button", { name: "Save details" }));
  expect((await screen.findByRole("alert")).textContent).toBe("Could not save the details: year 1500 is out of range");
});
