import { describe, expect, it } from "vitest";

import { ChunkCache, type Chunk } from "./chunks";

/** A fetch whose answers arrive when the test says so, recording what was asked. */
function manualFetch<T>() {
  const asked: [number, number][] = [];
  const waiting: { offset: number; resolve: (c: Chunk<T>) => void; reject: (e: unknown) => void }[] = [];
  const fetch = (offset: number, limit: number) =>
    new Promise<Chunk<T>>((resolve, reject) => {
      asked.push([offset, limit]);
      waiting.push({ offset, resolve, reject });
    });
  /** Answers the most recent request for `offset`. */
  const answer = (offset: number, chunk: Chunk<T>) => {
    let i = waiting.length - 1;
    while (i >= 0 && waiting[i].offset !== offset) i--;
    if (i < 0) throw new Error(`nothing asked at ${offset}`);
    waiting.splice(i, 1)[0].resolve(chunk);
  };
  const fail = (offset: number, e: unknown) => {
    const i = waiting.findIndex((w) => w.offset === offset);
    waiting.splice(i, 1)[0].reject(e);
  };
  return { fetch, asked, answer, fail };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe("ChunkCache", () => {
  it("fetches only the chunks that cover the window, once each", async () => {
    const f = manualFetch<number>();
    const cache = new ChunkCache<number>({ chunkSize: 100 });
    cache.reset(f.fetch);
    const first = cache.ensure(150, 320);
    void cache.ensure(180, 250);
    expect(f.asked, "rows 150..320 lie in chunks 1, 2 and 3; the second window asks nothing new").toEqual([
      [100, 100],
      [200, 100],
      [300, 100],
    ]);
    f.answer(100, { rows: range(100, 200), total: 1000 });
    f.answer(200, { rows: range(200, 300), total: 1000 });
    f.answer(300, { rows: range(300, 400), total: 1000 });
    await first;
    expect(cache.get(150)).toBe(150);
    expect(cache.get(99), "chunk 0 was never asked for").toBeUndefined();
    expect(cache.total).toBe(1000);
    await cache.ensure(100, 400);
    expect(f.asked.length, "arrived chunks are not fetched again").toBe(3);
  });

  it("after a question with no answers, the next question still asks for its rows", async () => {
    const f = manualFetch<number>();
    const cache = new ChunkCache<number>({ chunkSize: 50 });
    cache.reset(f.fetch);
    const empty = cache.ensure(0, 50);
    f.answer(0, { rows: [], total: 0 });
    await empty;
    expect(cache.total).toBe(0);
    cache.reset(f.fetch, { keep: true });
    expect(cache.answered, "the 0 on screen belongs to the previous question").toBe(false);
    void cache.ensure(0, 50);
    expect(f.asked.map(([o]) => o), "the new question is asked despite the old total of 0").toEqual([0, 0]);
    f.answer(0, { rows: range(0, 50), total: 2429 });
    await cache.ensure(0, 50);
    expect(cache.answered).toBe(true);
    expect(cache.total).toBe(2429);
  });

  it("does not ask past the end once the total is known", () => {
    const f = manualFetch<number>();
    const cache = new ChunkCache<number>({ chunkSize: 50 });
    cache.reset(f.fetch, { total: 120 });
    void cache.ensure(0, 1000);
    expect(f.asked.map(([o]) => o)).toEqual([0, 50, 100]);
  });

  it("drops an answer that arrives after the question changed", async () => {
    const f = manualFetch<string>();
    const cache = new ChunkCache<string>({ chunkSize: 10 });
    cache.reset(f.fetch);
    const old = cache.ensure(0, 10);
    cache.reset(f.fetch);
    const fresh = cache.ensure(0, 10);
    expect(f.asked.length, "the new generation asks again").toBe(2);
    f.answer(0, { rows: ["new"], total: 1 });
    await fresh;
    f.answer(0, { rows: ["old"], total: 99 });
    await old;
    expect(cache.get(0), "the slow answer to the old query is ignored").toBe("new");
    expect(cache.total).toBe(1);
  });

  it("keeps showing the previous rows while a rescan's rows load, and replaces them", async () => {
    const f = manualFetch<string>();
    const cache = new ChunkCache<string>({ chunkSize: 2 });
    cache.reset(f.fetch);
    const a = cache.ensure(0, 2);
    f.answer(0, { rows: ["a", "b"], total: 2 });
    await a;
    cache.reset(f.fetch, { keep: true });
    expect(cache.get(1), "old row shown until the new one arrives").toBe("b");
    expect(cache.has(1), "but it is not the current generation's").toBe(false);
    expect(cache.total, "the total stays until the new answer").toBe(2);
    const b = cache.ensure(0, 2);
    f.answer(0, { rows: ["a2", "b2"], total: 2 });
    await b;
    expect(cache.get(1)).toBe("b2");
  });

  it("does not keep old rows past the end of a list that shrank", async () => {
    const cache = new ChunkCache<number>({ chunkSize: 10 });
    cache.reset(async (offset, limit) => ({ rows: range(offset, offset + limit), total: 100 }));
    await cache.ensure(0, 40);
    cache.reset(async () => ({ rows: [] }), { keep: true, total: 15 });
    expect(cache.get(12), "chunk 1 still holds rows 10..15 until it is refetched").toBe(12);
    expect(cache.get(25), "rows past the new total are gone").toBeUndefined();
  });

  it("reports a failed chunk and does not ask for it again until the question changes", async () => {
    const f = manualFetch<number>();
    const cache = new ChunkCache<number>({ chunkSize: 10 });
    cache.reset(f.fetch);
    const first = cache.ensure(0, 10);
    f.fail(0, { code: "bad_query", message: "year: expects a year" });
    await first;
    expect(cache.error).toBe("year: expects a year");
    await cache.ensure(0, 10);
    expect(f.asked.length, "a failed chunk is not retried in a loop").toBe(1);
    cache.reset(f.fetch);
    expect(cache.error).toBeNull();
    void cache.ensure(0, 10);
    expect(f.asked.length).toBe(2);
  });

  it("forgets the chunks farthest from where the view is", async () => {
    const cache = new ChunkCache<number>({ chunkSize: 10, maxChunks: 3 });
    cache.reset(async (offset, limit) => ({ rows: range(offset, offset + limit), total: 1000 }));
    for (const from of [0, 10, 20, 30, 40]) await cache.ensure(from, from + 10);
    expect(cache.has(0), "the first chunk is farthest from rows 40..50").toBe(false);
    expect(cache.has(45)).toBe(true);
    expect(cache.has(25)).toBe(true);
  });

  it("collects a long run of rows for a selection, fetching what is missing", async () => {
    const asked: number[] = [];
    const cache = new ChunkCache<number>({ chunkSize: 10 });
    cache.reset(async (offset, limit) => {
      asked.push(offset);
      return { rows: range(offset, Math.min(offset + limit, 35)), total: 35 };
    });
    await cache.ensure(0, 10);
    expect(await cache.rows(5, 35)).toEqual(range(5, 35));
    expect(asked).toEqual([0, 10, 20, 30]);
  });
});
