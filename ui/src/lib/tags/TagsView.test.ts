// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { TagCount } from "../api/types";
import TagsView from "./TagsView.svelte";

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

function tag(id: number, name: string, counts: [number, number, number] = [0, 0, 0], color: string | null = null): TagCount {
  return { id, name, color, albums: counts[0], tracks: counts[1], works: counts[2] };
}

/** A tag store the fake backend edits, recording every call. */
function store(initial: TagCount[], parts: Partial<Backend> = {}) {
  let tags = [...initial];
  const calls: unknown[][] = [];
  const backend = fakeBackend({
    tags: async () => tags.map((t) => ({ ...t })),
    renameTag: async (name, newName) => {
      calls.push(["renameTag", name, newName]);
      if (tags.some((t) => t.name.toLowerCase() === newName.toLowerCase() && t.name !== name)) {
        throw { code: "bad_annotation", message: `a tag "${newName}" already exists; merge the two instead` };
      }
      tags = tags.map((t) => (t.name === name ? { ...t, name: newName } : t));
    },
    mergeTags: async (from, into) => {
      calls.push(["mergeTags", from, into]);
      tags = tags.filter((t) => !from.includes(t.name));
    },
    deleteTag: async (name) => {
      calls.push(["deleteTag", name]);
      tags = tags.filter((t) => t.name !== name);
    },
    setTagColor: async (name, color) => {
      calls.push(["setTagColor", name, color]);
      tags = tags.map((t) => (t.name === name ? { ...t, color } : t));
    },
    createTag: async (name, color) => {
      calls.push(["createTag", name, color]);
      tags = [...tags, tag(99, name, [0, 0, 0], color)];
    },
    ...parts,
  });
  return { backend, calls };
}

function mount(backend: Backend) {
  const onShowTracks = vi.fn();
  render(TagsView, { backend, revision: 0, onShowTracks });
  return { onShowTracks };
}

const row = (name: string) =>
  screen.getAllByTestId("tag-row").find((r) => r.querySelector(".name")?.textContent?.trim().startsWith(name))!;

afterEach(() => {
  delete (window as { __pwned?: unknown }).__pwned;
});

describe("TagsView", () => {
  it("lists every tag with its counts and shows a tag's tracks on a click of its name", async () => {
    const { backend } = store([tag(1, "noir", [3, 12, 1]), tag(2, "brass", [0, 4, 0], "#A1B2C3")]);
    const { onShowTracks } = mount(backend);
    const rows = await screen.findAllByTestId("tag-row");
    expect(rows.map((r) => r.querySelector(".name")?.textContent?.trim())).toEqual(["brass", "noir"]);
    expect(within(rows[1]).getAllByRole("cell").map((c) => c.textContent?.trim()).slice(3, 6)).toEqual(["3", "12", "1"]);
    expect((rows[0].querySelector(".swatch") as HTMLElement).style.backgroundColor, "a valid color is shown").toBe("rgb(161, 178, 195)");
    await fireEvent.click(within(rows[1]).getByRole("button", { name: "noir" }));
    expect(onShowTracks).toHaveBeenCalledWith('tag:"noir"');
  });

  it("renders a hostile name as text and never puts a bad color in a style", async () => {
    const { backend } = store([tag(1, HOSTILE, [1, 0, 0], "red; background-image: url(x)")]);
    mount(backend);
    const r = await screen.findByTestId("tag-row");
    expect(r.querySelector(".name")?.textContent?.trim()).toBe(HOSTILE);
    expect(document.querySelector("img"), "the name is not markup").toBeNull();
    expect((window as { __pwned?: unknown }).__pwned).toBeUndefined();
    expect((r.querySelector(".swatch") as HTMLElement).getAttribute("style") ?? "", "an invalid color is dropped").not.toContain("url");
    expect(screen.getByLabelText(`Select tag ${HOSTILE}`)).toBeTruthy();
  });

  it("renames on Enter", async () => {
    const { backend, calls } = store([tag(1, "noir", [1, 0, 0])]);
    mount(backend);
    await fireEvent.click(await screen.findByRole("button", { name: "Rename noir" }));
    const input = screen.getByLabelText("New name for noir") as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    await fireEvent.input(input, { target: { value: "  film   noir " } });
    await fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(calls).toEqual([["renameTag", "noir", "film noir"]]));
    expect(await screen.findByRole("button", { name: "film noir" })).toBeTruthy();
  });

  it("shows Rust's clash error on a rename and offers to merge instead", async () => {
    const { backend, calls } = store([tag(1, "noir", [1, 0, 0]), tag(2, "Film Noir", [0, 2, 0])]);
    mount(backend);
    await fireEvent.click(await screen.findByRole("button", { name: "Rename noir" }));
    const input = screen.getByLabelText("New name for noir");
    await fireEvent.input(input, { target: { value: "film noir" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("merge the two instead");
    await fireEvent.click(within(alert).getByRole("button", { name: "Merge into “Film Noir” instead" }));
    await waitFor(() => expect(calls.at(-1)).toEqual(["mergeTags", ["noir"], "Film Noir"]));
    await waitFor(() => expect(screen.getAllByTestId("tag-row").length).toBe(1));
  });

  it("Escape cancels a rename without saving", async () => {
    const { backend, calls } = store([tag(1, "noir")]);
    mount(backend);
    await fireEvent.click(await screen.findByRole("button", { name: "Rename noir" }));
    await fireEvent.input(screen.getByLabelText("New name for noir"), { target: { value: "other" } });
    await fireEvent.keyDown(screen.getByLabelText("New name for noir"), { key: "Escape" });
    expect(screen.queryByLabelText("New name for noir")).toBeNull();
    expect(calls).toEqual([]);
  });

  it("merges the selected tags into the one the user names", async () => {
    const { backend, calls } = store([tag(1, "noir", [1, 0, 0]), tag(2, "dark", [0, 1, 0]), tag(3, "brass", [0, 9, 0])]);
    mount(backend);
    await fireEvent.click(await screen.findByLabelText("Select tag noir"));
    await fireEvent.click(screen.getByLabelText("Select tag dark"));
    expect(screen.getByText("2 selected")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Merge into…" }));
    const into = screen.getByLabelText("Merge into") as HTMLInputElement;
    expect(into.value, "the most used of the selection by default (ties by name)").toBe("dark");
    await fireEvent.input(into, { target: { value: "film noir" } });
    await fireEvent.click(screen.getByRole("button", { name: "Merge" }));
    await waitFor(() => expect(calls).toEqual([["mergeTags", ["noir", "dark"], "film noir"]]));
    await waitFor(() => expect(screen.queryByText("2 selected")).toBeNull());
  });

  it("deletes only after a confirmation that says what carries the tag", async () => {
    const { backend, calls } = store([tag(1, "noir", [3, 12, 1])]);
    mount(backend);
    await fireEvent.click(await screen.findByRole("button", { name: "Delete noir" }));
    const dialog = screen.getByRole("alertdialog");
    expect(dialog.textContent).toContain("It is on 3 albums, 12 tracks and 1 work.");
    expect(document.activeElement?.textContent, "Cancel is the safe default").toBe("Cancel");
    await fireEvent.keyDown(dialog, { key: "Escape" });
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(calls).toEqual([]);

    await fireEvent.click(screen.getByRole("button", { name: "Delete noir" }));
    await fireEvent.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Delete tag" }));
    await waitFor(() => expect(calls).toEqual([["deleteTag", "noir"]]));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(await screen.findByText(/No tags yet/)).toBeTruthy();
  });

  it("sets a color from the picker and clears it", async () => {
    const { backend, calls } = store([tag(1, "noir", [1, 0, 0])]);
    mount(backend);
    const picker = (await screen.findByLabelText("Color of noir")) as HTMLInputElement;
    await fireEvent.change(picker, { target: { value: "#00AA11" } });
    await waitFor(() => expect(calls).toEqual([["setTagColor", "noir", "#00aa11"]]));
    await fireEvent.click(await screen.findByRole("button", { name: "Clear the color of noir" }));
    await waitFor(() => expect(calls.at(-1)).toEqual(["setTagColor", "noir", null]));
  });

  it("creates a tag with an optional color and refuses a name that exists", async () => {
    const { backend, calls } = store([tag(1, "noir")]);
    mount(backend);
    await fireEvent.click(await screen.findByRole("button", { name: "New tag" }));
    const name = screen.getByLabelText("New tag name");
    expect(document.activeElement).toBe(name);
    await fireEvent.input(name, { target: { value: "NOIR" } });
    await fireEvent.click(screen.getByRole("button", { name: "Create" }));
    expect((await screen.findByRole("alert")).textContent).toBe("There is already a tag “noir”.");
    await fireEvent.input(name, { target: { value: " late  night " } });
    await fireEvent.click(screen.getByLabelText("Color"));
    await fireEvent.input(screen.getByLabelText("New tag color"), { target: { value: "#123abc" } });
    await fireEvent.click(screen.getByRole("button", { name: "Create" }));
    await waitFor(() => expect(calls).toEqual([["createTag", "late night", "#123abc"]]));
    expect(await screen.findByRole("button", { name: "late night" })).toBeTruthy();
  });

  it("shows why the tags cannot be read, and reads them again", async () => {
    const tags = vi.fn().mockRejectedValueOnce({ code: "catalog", message: "locked" }).mockResolvedValue([]);
    render(TagsView, { backend: fakeBackend({ tags }), revision: 0, onShowTracks: () => {} });
    expect((await screen.findByRole("alert")).textContent).toContain("locked");
    await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText(/No tags yet/)).toBeTruthy();
  });
});
