import { describe, expect, it } from "vitest";

import { cleanTagName, existingTag, hasTag, suggestTags, withTag } from "./tags";

const known = ["Ambient", "choir", "Leitmotif", "main theme", "Theme variation", "action"];

describe("tags", () => {
  it("cleans typed names", () => {
    expect(cleanTagName("  main   theme \n")).toBe("main theme");
    expect(cleanTagName("   ")).toBe("");
  });

  it("suggests prefix matches before substring matches, ignoring case", () => {
    expect(suggestTags(known, "THE", [])).toEqual(["Theme variation", "main theme"]);
    expect(suggestTags(known, "a", []), "prefixes first, then the rest in order").toEqual([
      "Ambient",
      "action",
      "main theme",
      "Theme variation",
    ]);
  });

  it("leaves out tags already applied and respects the limit", () => {
    expect(suggestTags(known, "", ["ambient", "CHOIR"], 3)).toEqual(["Leitmotif", "main theme", "Theme variation"]);
    expect(suggestTags(known, "zzz", [])).toEqual([]);
  });

  it("finds the existing tag a typed name means", () => {
    expect(existingTag(known, " ambient ")).toBe("Ambient");
    expect(existingTag(known, "ambi")).toBeNull();
    expect(hasTag(["Choir"], "choir")).toBe(true);
    expect(hasTag(["Choir"], "choirs")).toBe(false);
  });

  it("adds a tag once, ignoring case, and removes it", () => {
    const tags = [{ name: "choir", color: "#aa0000" }];
    expect(withTag(tags, "Ambient", true)).toEqual([...tags, { name: "Ambient", color: null }]);
    expect(withTag(tags, "CHOIR", true), "the existing tag keeps its spelling and colour").toEqual(tags);
    expect(withTag(tags, "Choir", false)).toEqual([]);
    expect(tags.length, "the list given is not changed").toBe(1);
  });
});
