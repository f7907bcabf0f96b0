import { describe, expect, it, vi } from "vitest";

import { Optimistic } from "./optimistic";

function setup() {
  let shown = ["a"];
  const errors: unknown[] = [];
  const reload = vi.fn(async () => {
    shown = ["from rust"];
  });
  const o = new Optimistic<string[]>({
    get: () => shown,
    show: (v) => (shown = v),
    failed: (e, what) => errors.push([what, e]),
    reload,
  });
  return { o, errors, reload, shown: () => shown };
}

describe("Optimistic", () => {
  it("shows a change at once and keeps it once saved", async () => {
    const t = setup();
    const next = ["b"];
    const saved = t.o.apply(next, async () => {});
    expect(t.shown(), "before Rust answers").toBe(next);
    expect(await saved).toBe(true);
    expect(t.shown()).toBe(next);
    expect(t.errors).toEqual([]);
  });

  it("puts back what was shown when the change fails, and says why", async () => {
    const t = setup();
    const before = t.shown();
    const saved = await t.o.apply(["b"], () => Promise.reject({ code: "bad_list", message: "no" }), "Could not move");
    expect(saved).toBe(false);
    expect(t.shown()).toBe(before);
    expect(t.errors).toEqual([["Could not move", { code: "bad_list", message: "no" }]]);
    expect(t.reload, "an exact rollback needs no reload").not.toHaveBeenCalled();
  });

  it("sends changes one after another in the order they were made", async () => {
    const t = setup();
    const order: string[] = [];
    let release!: () => void;
    const first = t.o.apply(["b"], () => new Promise<void>((r) => (release = () => (order.push("first"), r()))));
    const second = t.o.apply(["c"], async () => void order.push("second"));
    expect(t.o.busy).toBe(true);
    await Promise.resolve();
    expect(order, "the second waits for the first").toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["first", "second"]);
    expect(t.o.busy).toBe(false);
  });

  it("reads the list again when a failed change had a later one shown on top of it", async () => {
    const t = setup();
    let fail!: () => void;
    const first = t.o.apply(["b"], () => new Promise<void>((_, reject) => (fail = () => reject(new Error("disk full")))));
    const second = t.o.apply(["c"], async () => {});
    await vi.waitFor(() => expect(fail).toBeTypeOf("function"));
    fail();
    expect(await first).toBe(false);
    await second;
    await t.o.settled();
    expect(t.reload).toHaveBeenCalledTimes(1);
    expect(t.shown()).toEqual(["from rust"]);
  });
});
