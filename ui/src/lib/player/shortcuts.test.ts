// @vitest-environment jsdom
import { beforeEach, expect, test } from "vitest";

import { Player } from "./player.svelte";
import { handleShortcut } from "./shortcuts";
import { fakeEngine } from "./testing";

let engine: ReturnType<typeof fakeEngine>;
let player: Player;

beforeEach(async () => {
  document.body.innerHTML = `
    <main id="main"></main>
    <input id="field" type="text" />
    <textarea id="notes"></textarea>
    <div id="editor" contenteditable="true"><p id="para">x</p></div>
    <button id="button">Play</button>
    <div id="slider" role="slider" tabindex="0"></div>
    <input id="range" type="range" />
    <div role="grid"><div id="cell" role="gridcell" tabindex="0"></div></div>`;
  engine = fakeEngine();
  player = new Player(engine.backend);
  await player.connect();
  engine.emitStatus({ state: "playing", track_id: 1, mode: "full" });
  engine.emitPosition({ track_id: 1, position_ms: 60_000, duration_ms: 180_000, until_ms: null });
  engine.calls.length = 0;
});

function press(key: string, init: KeyboardEventInit = {}, on = "main"): boolean {
  const target = document.getElementById(on)!;
  let handled = false;
  const listen = (e: Event) => (handled = handleShortcut(e as KeyboardEvent, player));
  window.addEventListener("keydown", listen);
  target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...init }));
  window.removeEventListener("keydown", listen);
  return handled;
}

test("Space pauses what plays", () => {
  expect(press(" ")).toBe(true);
  expect(engine.calls).toEqual([["pause"]]);
});

test("arrows seek five seconds, Shift-arrows thirty", () => {
  expect(press("ArrowRight")).toBe(true);
  expect(press("ArrowLeft", { shiftKey: true })).toBe(true);
  expect(engine.calls).toEqual([["seek", 65_000], ["seek", 30_000]]);
});

test("Ctrl- and Cmd-arrows go to the previous and next track", () => {
  expect(press("ArrowRight", { ctrlKey: true })).toBe(true);
  expect(press("ArrowLeft", { metaKey: true })).toBe(true);
  expect(engine.calls).toEqual([["next"], ["previous"]]);
});

test("m mutes and unmutes, s stops", async () => {
  expect(press("m")).toBe(true);
  await Promise.resolve();
  expect(player.muted).toBe(true);
  expect(press("m")).toBe(true);
  expect(press("s")).toBe(true);
  expect(engine.calls).toEqual([["setVolume", 0], ["setVolume", 1], ["stop"]]);
});

test("keys typed into fields are not shortcuts", () => {
  for (const on of ["field", "notes", "para"]) {
    expect(press(" ", {}, on), `Space in #${on} is text`).toBe(false);
    expect(press("s", {}, on), `"s" in #${on} is text`).toBe(false);
    expect(press("ArrowLeft", {}, on), `arrows in #${on} move the caret`).toBe(false);
  }
  expect(engine.calls).toEqual([]);
});

test("Space on a focused button or slider presses it instead of toggling", () => {
  expect(press(" ", {}, "button")).toBe(false);
  expect(press(" ", {}, "slider")).toBe(false);
  expect(engine.calls).toEqual([]);
});

test("arrows on a slider, a range or a grid move that control, not the playback", () => {
  expect(press("ArrowRight", {}, "slider")).toBe(false);
  expect(press("ArrowRight", {}, "range")).toBe(false);
  expect(press("ArrowRight", {}, "cell")).toBe(false);
  expect(engine.calls).toEqual([]);
});

test("a key another handler already used, or with Alt, is left alone", () => {
  const target = document.getElementById("main")!;
  target.addEventListener("keydown", (e) => e.preventDefault(), { once: true });
  expect(press(" ")).toBe(false);
  expect(press("s", { altKey: true })).toBe(false);
  expect(press("x")).toBe(false);
  expect(engine.calls).toEqual([]);
});

test("arrows do nothing (and are not swallowed) when nothing has a position", () => {
  engine.emitStatus({ state: "stopped" });
  expect(press("ArrowRight")).toBe(false);
});
