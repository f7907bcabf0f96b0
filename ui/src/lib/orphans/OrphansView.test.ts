// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { Orphan, Proposal } from "../api/types";
import OrphansView from "./OrphansView.svelte";

function orphan(id: number, over: Partial<Orphan> = {}): Orphan {
  return {
    subject_id: id,
    kind: "track",
    was: `Cue ${id} — Amélie (disc 1, track ${id})`,
    rating: null,
    has_note: false,
    tags: [],
    cue_notes: 0,
    has_fields: false,
    updated_at: 1_700_000_000,
    ...over,
  };
}

function proposal(id: number): Proposal {
  return {
    subject_id: id,
    kind: "track",
    was: `Cue ${id} — Amélie (FLAC)`,
    to: { kind: "track", id: 100 + id },
    to_label: `Cue ${id} — Amélie (MP3)`,
    reason: "same title, album and length",
  };
}

/** Orphans and proposals the fake backend relinks and forgets, recording every call. */
function store(orphans: Orphan[], proposals: Proposal[], parts: Partial<Backend> = {}) {
  let os = [...orphans];
  let ps = [...proposals];
  const calls: unknown[][] = [];
  const backend = fakeBackend({
    orphans: async () => os,
    relinkProposals: async () => ps,
    relink: async (subjectId, to) => {
      calls.push(["relink", subjectId, to]);
      os = os.filter((o) => o.subject_id !== subjectId);
      ps = ps.filter((p) => p.subject_id !== subjectId);
    },
    forget: async (subjectId) => {
      calls.push(["forget", subjectId]);
      os = os.filter((o) => o.subject_id !== subjectId);
    },
    ...parts,
  });
  return { backend, calls };
}

describe("OrphansView", () => {
  it("lists the proposals first, then the orphans with what they carry", async () => {
    const { backend } = store(
      [orphan(1, { rating: 4, has_note: true, cue_notes: 3, has_fields: true, tags: ["noir", '<img src=x onerror="window.__pwned=1">'] }), orphan(2, { kind: "album", was: "Amélie" })],
      [proposal(1)],
    );
    render(OrphansView, { backend, revision: 0 });
    const p = await screen.findByTestId("proposal-row");
    expect(p.textContent).toContain("Cue 1 — Amélie (FLAC)");
    expect(p.textContent).toContain("Cue 1 — Amélie (MP3)");
    expect(p.textContent).toContain("same title, album and length");
    expect(screen.getByRole("heading", { name: "These files look like re-encodes of annotated ones" })).toBeTruthy();
    const rows = screen.getAllByTestId("orphan-row");
    expect(p.compareDocumentPosition(rows[0]) & Node.DOCUMENT_POSITION_FOLLOWING, "proposals come first").toBeTruthy();
    expect(within(rows[0]).getByRole("img", { name: "Rated 4 of 5" })).toBeTruthy();
    expect(rows[0].textContent).toContain("a note");
    expect(rows[0].textContent).toContain("3 time-coded notes");
    expect(rows[0].textContent).toContain("field overrides");
    expect(rows[0].textContent).toContain('<img src=x onerror="window.__pwned=1">');
    expect(rows[0].querySelector("img"), "tag names are text").toBeNull();
    expect(rows[1].textContent).toContain("Album");
    expect(screen.getByText(/come back by themselves when their files are scanned again/)).toBeTruthy();
  });

  it("accepts one proposal, then all the rest, and tells the app", async () => {
    const { backend, calls } = store([orphan(1), orphan(2), orphan(3)], [proposal(1), proposal(2), proposal(3)]);
    const onChanged = vi.fn();
    render(OrphansView, { backend, revision: 0, onChanged });
    await fireEvent.click(await screen.findByRole("button", { name: "Accept: Cue 2 — Amélie (FLAC) is now Cue 2 — Amélie (MP3)" }));
    await waitFor(() => expect(screen.getAllByTestId("proposal-row").length).toBe(2));
    expect(calls).toEqual([["relink", 2, { kind: "track", id: 102 }]]);
    expect(onChanged).toHaveBeenCalledTimes(1);
    await fireEvent.click(screen.getByRole("button", { name: "Accept all" }));
    expect(await screen.findByText("Every annotation is attached.")).toBeTruthy();
    expect(calls.slice(1)).toEqual([
      ["relink", 1, { kind: "track", id: 101 }],
      ["relink", 3, { kind: "track", id: 103 }],
    ]);
    expect(onChanged).toHaveBeenCalledTimes(2);
  });

  it("forgets an orphan only after the user confirms", async () => {
    const { backend, calls } = store([orphan(1, { rating: 5, tags: ["noir"] })], []);
    render(OrphansView, { backend, revision: 0 });
    await fireEvent.click(await screen.findByRole("button", { name: "Forget Cue 1 — Amélie (disc 1, track 1)" }));
    const dialog = screen.getByRole("alertdialog");
    expect(dialog.textContent).toContain("This deletes 5 stars and the tag “noir” for good");
    await fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(calls, "cancelled: nothing forgotten").toEqual([]);
    expect(screen.getAllByTestId("orphan-row").length).toBe(1);

    await fireEvent.click(screen.getByRole("button", { name: "Forget Cue 1 — Amélie (disc 1, track 1)" }));
    await fireEvent.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Forget" }));
    await waitFor(() => expect(calls).toEqual([["forget", 1]]));
    expect(await screen.findByText("Every annotation is attached.")).toBeTruthy();
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("keeps the dialog open with the reason when forgetting fails", async () => {
    const { backend } = store([orphan(1)], [], { forget: () => Promise.reject({ code: "catalog", message: "database is locked" }) });
    render(OrphansView, { backend, revision: 0 });
    await fireEvent.click(await screen.findByRole("button", { name: /^Forget Cue 1/ }));
    await fireEvent.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Forget" }));
    expect((await within(screen.getByRole("alertdialog")).findByRole("alert")).textContent).toBe("database is locked");
  });

  it("says when every annotation is attached, and reads again on a new revision", async () => {
    const orphans = vi.fn().mockResolvedValueOnce([]).mockResolvedValue([orphan(9)]);
    const view = render(OrphansView, { backend: fakeBackend({ orphans, relinkProposals: async () => [] }), revision: 0 });
    expect(await screen.findByText("Every annotation is attached.")).toBeTruthy();
    await view.rerender({ revision: 1 });
    expect(await screen.findByTestId("orphan-row")).toBeTruthy();
  });
});
