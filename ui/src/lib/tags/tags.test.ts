import { describe, expect, it } from "vitest";

import type { TagCount } from "../api/types";
import {
  clashingTag,
  cleanTagName,
  describeCarriers,
  filterTags,
  keepExisting,
  mergePlan,
  sameTagName,
  sortTags,
  tagSearch,
  toggleName,
  validColor,
} from "./tags";

function tag(id: number, name: string, albums = 0, tracks = 0, works = 0, color: string | null = null): TagCount {
  return { id, name, color, albums, tracks, works };
}

describe("tag colors", () => {
  it("pass only as #rrggbb, in lower case", () => {
    expect(validColor("#A1b2C3")).toBe("#a1b2c3");
    expect(validColor(" #00ff00 "), "surrounding spaces are not part of the color").toBe("#00ff00");
  });
  it("reject anything that could do more in a style", () => {
    for (const bad of ["red", "#fff", "#12345g", "#1234567", "#000000; background:url(x)", "url(javascript:1)", "", "  "]) {
      expect(validColor(bad), `${JSON.stringify(bad)} is not a color to put in a style`).toBeNull();
    }
    expect(validColor(null)).toBeNull();
    expect(validColor(0x123456)).toBeNull();
  });
});

describe("tag names", () => {
  it("are cleaned as Rust stores them and compared without case", () => {
    expect(cleanTagName("  film \t noir ")).toBe("film noir");
    expect(sameTagName("Film  Noir", "film noir")).toBe(true);
    expect(sameTagName("noir", "film noir")).toBe(false);
  });
  it("say how much carries a tag", () => {
    expect(describeCarriers(tag(1, "a", 3, 12, 1))).toBe("3 albums, 12 tracks and 1 work");
    expect(describeCarriers(tag(1, "a", 1, 0, 0))).toBe("1 album");
    expect(describeCarriers(tag(1, "a", 0, 2, 5))).toBe("2 tracks and 5 works");
    expect(describeCarriers(tag(1, "a", 0, 1_204, 0))).toBe("1,204 tracks");
    expect(describeCarriers(tag(1, "a"))).toBe("nothing");
  });
});

describe("the tag list", () => {
  const tags = [tag(1, "noir", 1), tag(2, "Ambient", 0, 9), tag(3, "épique", 2, 2), tag(4, "brass", 0, 4)];
  it("sorts by name without case, or most used first with ties by name", () => {
    expect(sortTags(tags, "name").map((t) => t.name)).toEqual(["Ambient", "brass", "épique", "noir"]);
    expect(sortTags(tags, "count").map((t) => t.name)).toEqual(["Ambient", "brass", "épique", "noir"]);
    expect(sortTags([tag(1, "b", 1), tag(2, "a", 1), tag(3, "c", 5)], "count").map((t) => t.name)).toEqual(["c", "a", "b"]);
    expect(tags[0].name, "the input is left alone").toBe("noir");
  });
  it("filters on every word, accents and case aside", () => {
    expect(filterTags(tags, "EPI").map((t) => t.name)).toEqual(["épique"]);
    expect(filterTags(tags, "  ").length).toBe(4);
    expect(filterTags(tags, "no brass")).toEqual([]);
  });
  it("selects and deselects by name, and forgets names that are gone", () => {
    expect(toggleName(["a"], "b")).toEqual(["a", "b"]);
    expect(toggleName(["a", "b"], "a")).toEqual(["b"]);
    expect(keepExisting(["noir", "gone", "brass"], tags)).toEqual(["noir", "brass"]);
  });
});

describe("merging", () => {
  it("merges every selected tag but the target into the cleaned target name", () => {
    expect(mergePlan(["noir", "Film Noir", "dark"], " film  noir ")).toEqual({ ok: true, from: ["noir", "dark"], into: "film noir" });
    expect(mergePlan(["noir"], "new name")).toEqual({ ok: true, from: ["noir"], into: "new name" });
  });
  it("needs a target and something else to merge into it", () => {
    expect(mergePlan(["noir"], "  ")).toEqual({ ok: false, why: "Name the tag to merge into." });
    expect(mergePlan(["noir"], "NOIR")).toEqual({ ok: false, why: "Select another tag to merge into it." });
  });
  it("knows the tag a rename would clash with", () => {
    const tags = [tag(1, "noir"), tag(2, "Film Noir")];
    expect(clashingTag(tags, "noir", "film noir")?.id).toBe(2);
    expect(clashingTag(tags, "noir", "Noir"), "a change of case alone is a rename").toBeNull();
    expect(clashingTag(tags, "noir", "dark")).toBeNull();
  });
});

describe("a tag's tracks", () => {
  it("are the search tag:\"name\"", () => {
    expect(tagSearch("film  noir")).toBe('tag:"film noir"');
    expect(tagSearch("<b>x</b>")).toBe('tag:"<b>x</b>"');
  });
  it("double a straight quote, and cannot search for a curly one", () => {
    expect(tagSearch('<img src=x onerror="window.__pwned=1">')).toBe('tag:"<img src=x onerror=""window.__pwned=1"">"');
    expect(tagSearch("“quoted”")).toBeNull();
    expect(tagSearch("   ")).toBeNull();
  });
});
