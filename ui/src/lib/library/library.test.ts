import { describe, expect, it, vi } from "vitest";

import { fakeBackend } from "../api/fake";
import type { AlbumQuery } from "../api/types";
import { ChunkCache } from "../tracks/chunks";
import { ALBUM_CHUNK, albumFetch, emptyMessage, FIRST_ALBUMS_MARK, markFirstAlbums } from "./albums";
import { hueOf, initials } from "./placeholder";

describe("cover placeholder", () => {
  it("uses up to two initials, skipping articles", () => {
    expect(initials("Spirited Away")).toBe("SA");
    expect(initials("The Thin Red Line")).toBe("TR");
    expect(initials("Amélie")).toBe("A");
    expect(initials("Éternité: suite")).toBe("ÉS");
    expect(initials("2001: A Space Odyssey")).toBe("2S");
    expect(initials("The")).toBe("T");
    expect(initials("")).toBe("♪");
    expect(initials("  — ")).toBe("♪");
  });
  it("uses one glyph for Japanese titles", () => {
    expect(initials("千と千尋の神隠し")).toBe("千");
    expect(initials("もののけ姫 サウンドトラック")).toBe("も");
  });
  it("gives a title the same hue every time, and different titles different hues", () => {
    expect(hueOf("Vertigo")).toBe(hueOf("Vertigo"));
    expect(hueOf("Vertigo")).not.toBe(hueOf("Psycho"));
    const hues = ["A", "B", "Heat", "Alien", "Aliens", "Up"].map(hueOf);
    expect(hues.every((h) => h >= 0 && h < 360)).toBe(true);
  });
});

describe("album rows", () => {
  it("are fetched by offset range for the current question only", async () => {
    const albums = vi.fn(async (_q: AlbumQuery, offset: number, limit: number) =>
      Array.from({ length: limit }, (_, i) => ({ id: offset + i }) as never),
    );
    const backend = fakeBackend({ albums });
    const cache = new ChunkCache({ chunkSize: ALBUM_CHUNK });
    const q: AlbumQuery = { query: "", arrange: "year", kind: "film" };
    cache.reset(albumFetch(backend, q), { total: 300 });
    await cache.ensure(100, 260);
    expect(albums.mock.calls).toEqual([
      [q, 0, 120],
      [q, 120, 120],
      [q, 240, 120],
    ]);
  });
  it("say why the grid is empty", () => {
    expect(emptyMessage({ query: "", arrange: "title", kind: null })).toBe("The library has no albums yet.");
    expect(emptyMessage({ query: "", arrange: "title", kind: "tv" })).toBe("No TV albums.");
    expect(emptyMessage({ query: "", arrange: "title", kind: "game" })).toBe("No game albums.");
    expect(emptyMessage({ query: "zimmer", arrange: "title", kind: null })).toBe("No albums match.");
  });
});

describe("the startup mark", () => {
  it("is set once", () => {
    const mark = vi.spyOn(performance, "mark");
    expect(markFirstAlbums()).toBe(true);
    expect(markFirstAlbums()).toBe(false);
    expect(mark.mock.calls).toEqual([[FIRST_ALBUMS_MARK]]);
    mark.mockRestore();
  });
});
