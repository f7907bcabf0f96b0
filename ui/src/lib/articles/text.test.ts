import { describe, expect, it } from "vitest";

import type { ArticleBlock, ArticleLink, ArticleMention } from "../api/types";
import {
  blockRuns,
  byline,
  byteIndexer,
  countAbove,
  describeImport,
  excerptParts,
  isWebAddress,
  linkGroups,
  percent,
  personQueries,
} from "./text";

const bytes = (s: string) => new TextEncoder().encode(s).length;

function block(body: string, emphasis: [number, number][] = []): ArticleBlock {
  return { kind: "paragraph", level: null, ordinal: null, start: 0, end: bytes(body), emphasis };
}

function link(id: number, status: ArticleLink["status"], confidence: number, label = `L${id}`): ArticleLink {
  return {
    id, kind: "album", label, status, confidence, reason: "", excerpt: "", excerpt_start: 0, excerpt_end: 0,
    found: true, album_id: id, track_id: null, track_album_id: null, name: null, mentions: 1,
  };
}

describe("byte offsets", () => {
  it("map UTF-8 offsets to string indices across accents, CJK and emoji", () => {
    const text = "Amélie — 菅野 🎵 end";
    const at = byteIndexer(text);
    for (const word of ["Amélie", "—", "菅野", "🎵", "end"]) {
      const i = text.indexOf(word);
      expect(at(bytes(text.slice(0, i))), word).toBe(i);
      expect(at(bytes(text.slice(0, i + word.length))), `${word} end`).toBe(i + word.length);
    }
    expect(at(0)).toBe(0);
    expect(at(10_000), "past the end is the end").toBe(text.length);
    expect(at(3), "byte 3 is inside é (bytes 2–3): it points past it").toBe(3);
  });
});

describe("a block's runs", () => {
  it("cut at mentions and emphasis, keeping every character once", () => {
    const body = "I love Amélie (2001) and “Jaws” by Williams.";
    const s = (w: string) => bytes(body.slice(0, body.indexOf(w)));
    const e = (w: string) => s(w) + bytes(w);
    const mentions: ArticleMention[] = [
      { link_id: 1, start: s("Amélie"), end: e("Amélie"), status: "confirmed", kind: "album" },
      { link_id: 2, start: s("Jaws"), end: e("Jaws"), status: "suggested", kind: "album" },
      { link_id: 3, start: s("Williams"), end: e("Williams"), status: "rejected", kind: "person" },
    ];
    const runs = blockRuns(body, byteIndexer(body), block(body, [[s("“Jaws”"), e("“Jaws”")]]), mentions);
    expect(runs.map((r) => r.text).join("")).toBe(body);
    const amelie = runs.find((r) => r.text === "Amélie");
    expect(amelie?.mention).toEqual({ linkId: 1, status: "confirmed", kind: "album" });
    const jaws = runs.find((r) => r.text === "Jaws");
    expect(jaws?.em, "inside the quotes").toBe(true);
    expect(jaws?.mention?.status).toBe("suggested");
    expect(runs.find((r) => r.text === "“")?.em).toBe(true);
    expect(runs.find((r) => r.text === "Williams")?.mention?.status).toBe("rejected");
    expect(runs.filter((r) => r.mention === null && !r.em).map((r) => r.text)).toEqual(["I love ", " (2001) and ", " by ", "."]);
  });

  it("drop a mention that overlaps an earlier one and ignore those of other blocks", () => {
    const body = "Tron Legacy\n\nTron";
    const first: ArticleBlock = { ...block("Tron Legacy"), end: 11 };
    const runs = blockRuns(body, byteIndexer(body), first, [
      { link_id: 1, start: 0, end: 11, status: "suggested", kind: "album" },
      { link_id: 2, start: 0, end: 4, status: "suggested", kind: "album" },
      { link_id: 3, start: 13, end: 17, status: "suggested", kind: "album" },
    ]);
    expect(runs).toEqual([{ text: "Tron Legacy", em: false, mention: { linkId: 1, status: "suggested", kind: "album" } }]);
  });
});

describe("excerpts", () => {
  it("cut around the mention by byte offsets", () => {
    const excerpt = "…the café scene in Amélie is lovely";
    const s = bytes(excerpt.slice(0, excerpt.indexOf("Amélie")));
    expect(excerptParts(excerpt, s, s + bytes("Amélie"))).toEqual({
      before: "…the café scene in ",
      mention: "Amélie",
      after: " is lovely",
    });
    expect(excerptParts("plain", 0, 0), "no mention: the whole excerpt").toEqual({ before: "plain", mention: "", after: "" });
  });
});

describe("links", () => {
  it("group by status, most confident first, and count what a bulk confirm takes", () => {
    const links = [link(1, "suggested", 0.79), link(2, "confirmed", 0.6), link(3, "suggested", 0.95), link(4, "rejected", 0.5), link(5, "suggested", 0.8)];
    const g = linkGroups(links);
    expect(g.suggested.map((l) => l.id)).toEqual([3, 5, 1]);
    expect(g.confirmed.map((l) => l.id)).toEqual([2]);
    expect(g.rejected.map((l) => l.id)).toEqual([4]);
    expect(countAbove(links, 0.8), "0.8 is at the threshold; decided links do not count").toBe(2);
    expect(countAbove(links, 0.75)).toBe(3);
    expect(percent(0.794)).toBe("79%");
  });
});

describe("lines", () => {
  it("describe an import, new or updated, ranked or not", () => {
    expect(describeImport({ id: 1, created: true, title: "Top 12", suggestions: 14, ranked_entries: 12 })).toBe(
      "Imported “Top 12” · 14 links to review · a ranked list of 12 that can become a list",
    );
    expect(describeImport({ id: 1, created: false, title: "Essay", suggestions: 1, ranked_entries: null })).toBe(
      "Updated “Essay” · 1 link to review",
    );
    expect(describeImport({ id: 1, created: false, title: "Essay", suggestions: 0, ranked_entries: null })).toBe(
      "Updated “Essay” · no new links to review",
    );
  });

  it("say who wrote it, when and where", () => {
    expect(byline({ author: "Ann", published: "2023-05-01T10:00:00Z", url: "https://www.example.org/a/b" })).toBe(
      "by Ann · 2023-05-01 · www.example.org",
    );
    expect(byline({ author: null, published: null, source: "notes.md" })).toBe("notes.md");
  });

  it("tell a web address from text to paste", () => {
    expect(isWebAddress(" https://example.org/article ")).toBe(true);
    expect(isWebAddress("http://example.org")).toBe(true);
    expect(isWebAddress("ftp://example.org/a")).toBe(false);
    expect(isWebAddress("https://example.org is great")).toBe(false);
    expect(isWebAddress("Top 10 scores")).toBe(false);
  });
});

describe("a person's albums", () => {
  it("are searched as a phrase by composer and by artist, quotes removed", () => {
    expect(personQueries("Yann Tiersen")).toEqual(['composer:"Yann Tiersen"', 'artist:"Yann Tiersen"']);
    expect(personQueries(' Dwayne "The Rock" ')).toEqual(['composer:"Dwayne The Rock"', 'artist:"Dwayne The Rock"']);
    expect(personQueries('""')).toEqual([]);
  });
});
