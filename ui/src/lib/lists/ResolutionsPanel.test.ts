// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import { fakeBackend } from "../api/fake";
import type { Resolution } from "../api/types";
import ResolutionsPanel from "./ResolutionsPanel.svelte";
import { entry, resolution } from "./testing";

function setup(initial: Resolution[], fail = false) {
  let rs = [...initial];
  const calls: unknown[][] = [];
  const backend = fakeBackend({
    resolutions: async () => rs,
    resolvePlaceholder: async (entryId, albumId) => {
      calls.push(["resolvePlaceholder", entryId, albumId]);
      if (fail) throw { code: "not_found", message: `no album has id ${albumId}` };
      rs = rs.filter((r) => r.entry_id !== entryId);
      return entry(entryId, { album_id: albumId });
    },
    declineResolution: async (entryId, albumId) => {
      calls.push(["declineResolution", entryId, albumId]);
      rs = rs.filter((r) => !(r.entry_id === entryId && r.album_id === albumId));
    },
  });
  const onchanged = vi.fn();
  const onopenalbum = vi.fn();
  const onopenlist = vi.fn();
  render(ResolutionsPanel, { backend, revision: 0, onchanged, onopenalbum, onopenlist });
  return { calls, onchanged, onopenalbum, onopenlist };
}

const dune = resolution(1, 10, { title: "Dune", artist: "Toto", year: 1984, album_title: "Dune (Original Soundtrack)", confidence: 0.93 });
const duneDeluxe = resolution(1, 11, { title: "Dune", artist: "Toto", year: 1984, album_title: "Dune (Deluxe)", confidence: 0.71 });
const alien = resolution(2, 20, { title: "Alien", artist: "Jerry Goldsmith", year: 1979, album_title: "Alien", list_name: "Grails", list_id: 3 });

test("shows each wish with the albums that may be it, closest first, and how sure", async () => {
  const { onopenalbum, onopenlist } = setup([duneDeluxe, dune, alien]);
  const rows = await screen.findAllByTestId("resolution");
  expect(rows).toHaveLength(2);
  expect(rows[0].textContent).toContain("Dune — Toto (1984)");
  const albums = [...rows[0].querySelectorAll<HTMLButtonElement>("button.title")];
  expect(albums.map((b) => b.textContent)).toEqual(["Dune (Original Soundtrack)", "Dune (Deluxe)"]);
  expect(rows[0].textContent).toContain("Very likely · 93% match");
  expect(rows[0].textContent).toContain("Likely · 71% match");
  await fireEvent.click(albums[1]);
  expect(onopenalbum).toHaveBeenCalledWith(11);
  await fireEvent.click(within(rows[1]).getByRole("button", { name: "Grails" }));
  expect(onopenlist).toHaveBeenCalledWith(3);
});

test("“Yes, that’s it” puts the album in the wish's place and tells the app", async () => {
  const { calls, onchanged } = setup([dune, duneDeluxe, alien]);
  await fireEvent.click(await screen.findByRole("button", { name: "Yes, that’s it: Dune (Deluxe) is Dune" }));
  await waitFor(() => expect(screen.getAllByTestId("resolution")).toHaveLength(1));
  expect(calls).toEqual([["resolvePlaceholder", 1, 11]]);
  expect(onchanged).toHaveBeenCalledTimes(1);
  expect(screen.getByRole("status").textContent).toBe("“Dune” is now in its list as the album.");
});

test("“No” stops offering that album for the wish, and keeps the others", async () => {
  const { calls } = setup([dune, duneDeluxe]);
  await fireEvent.click(await screen.findByRole("button", { name: "No: Dune (Original Soundtrack) is not Dune" }));
  await waitFor(() => expect(calls).toEqual([["declineResolution", 1, 10]]));
  await waitFor(() => expect(screen.queryByRole("button", { name: /^No: Dune \(Original/ })).toBeNull());
  expect(screen.getByRole("button", { name: "Yes, that’s it: Dune (Deluxe) is Dune" })).toBeTruthy();
});

test("Accept all takes the closest album of each wish, once each", async () => {
  const { calls, onchanged } = setup([duneDeluxe, dune, alien]);
  await fireEvent.click(await screen.findByRole("button", { name: "Accept all" }));
  await waitFor(() => expect(screen.getByText(/Nothing waiting/)).toBeTruthy());
  expect(calls).toEqual([
    ["resolvePlaceholder", 1, 10],
    ["resolvePlaceholder", 2, 20],
  ]);
  expect(onchanged).toHaveBeenCalledTimes(1);
});

test("a refused answer is shown and nothing is reported as done", async () => {
  const { onchanged } = setup([dune], true);
  await fireEvent.click(await screen.findByRole("button", { name: "Yes, that’s it: Dune (Original Soundtrack) is Dune" }));
  expect((await screen.findByRole("alert")).textContent).toBe("no album has id 10");
  expect(onchanged).not.toHaveBeenCalled();
});
