// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import { fakeBackend } from "../api/fake";
import { Player } from "../player/player.svelte";
import EntryList from "./EntryList.svelte";
import { entry } from "./testing";

function setup(count: number, firstRows: number) {
  const backend = fakeBackend({});
  const entries = Array.from({ length: count }, (_, i) => entry(i + 1, { title: `Cue ${i + 1}` }));
  render(EntryList, {
    props: {
      backend,
      player: new Player(backend),
      entries,
      ranking: "ascending",
      readonly: false,
      listId: 1,
      listName: "Long",
      firstRows,
      onopenalbum: vi.fn(),
      onmove: vi.fn(),
      onadd: vi.fn(async () => []),
      onremove: vi.fn(async () => true),
      onupdated: vi.fn(),
    },
  });
}

const rows = () => screen.getAllByTestId("list-entry");

test("a long list is drawn in parts; the keyboard and “Show all” draw the rest", async () => {
  setup(8, 3);
  expect(rows()).toHaveLength(3);
  expect(screen.getByRole("grid").getAttribute("aria-rowcount"), "screen readers hear the whole count").toBe("8");
  rows()[0].focus();
  await fireEvent.keyDown(rows()[0], { key: "End" });
  await waitFor(() => expect(document.activeElement?.getAttribute("aria-label")).toBe("Cue 8 (album)"));
  expect(rows()).toHaveLength(8);
  expect(screen.queryByRole("button", { name: /^Show all/ })).toBeNull();
});

test("“Show all” draws every entry", async () => {
  setup(5, 2);
  await fireEvent.click(screen.getByRole("button", { name: "Show all 5 entries" }));
  expect(rows()).toHaveLength(5);
});
