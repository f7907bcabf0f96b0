// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

import ContextMenu from "./ContextMenu.svelte";

function setup() {
  const chosen: string[] = [];
  const onclose = vi.fn();
  const items = [
    { label: "Preview", onselect: () => chosen.push("preview") },
    { label: "Go to album", onselect: () => chosen.push("album"), disabled: true },
    { label: "Add to list…", onselect: () => chosen.push("add") },
  ];
  render(ContextMenu, { at: { x: 5, y: 5 }, label: "Track", items, onclose });
  return { chosen, onclose };
}

describe("ContextMenu", () => {
  it("focuses the first item, moves past disabled ones with arrows, and chooses with Enter", async () => {
    const { chosen, onclose } = setup();
    const menu = screen.getByRole("menu", { name: "Track" });
    await waitFor(() => expect(document.activeElement?.textContent?.trim()).toBe("Preview"));
    await fireEvent.keyDown(menu, { key: "ArrowDown" });
    expect(document.activeElement?.textContent?.trim(), "the disabled item is skipped").toBe("Add to list…");
    await fireEvent.click(document.activeElement!);
    expect(chosen).toEqual(["add"]);
    expect(onclose, "choosing closes the menu").toHaveBeenCalledTimes(1);
  });

  it("closes on Escape, Tab and a press outside", async () => {
    const { onclose, chosen } = setup();
    const menu = screen.getByRole("menu");
    await fireEvent.keyDown(menu, { key: "Escape" });
    await fireEvent.keyDown(menu, { key: "Tab" });
    await fireEvent.pointerDown(document.body);
    expect(onclose).toHaveBeenCalledTimes(3);
    expect(chosen).toEqual([]);
  });
});
