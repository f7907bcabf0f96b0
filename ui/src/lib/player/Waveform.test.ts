// @vitest-environment jsdom
import { fireEvent, render, screen } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import Waveform from "./Waveform.svelte";

test("the seek bar says where playback is, for screen readers", () => {
  render(Waveform, { waveform: null, positionMs: 61_000, durationMs: 180_000, onSeek: () => {} });
  expect(screen.getByRole("slider").getAttribute("aria-valuetext")).toBe("1:01 of 3:00");
});

test("arrow keys seek five seconds, shift-arrows thirty", async () => {
  const onSeek = vi.fn();
  render(Waveform, { waveform: null, positionMs: 60_000, durationMs: 180_000, onSeek });
  const slider = screen.getByRole("slider");
  await fireEvent.keyDown(slider, { key: "ArrowRight" });
  await fireEvent.keyDown(slider, { key: "ArrowLeft", shiftKey: true });
  expect(onSeek.mock.calls).toEqual([[65_000], [30_000]]);
});

test("a click or a drag seeks once, where the pointer is let go", async () => {
  const onSeek = vi.fn();
  render(Waveform, { waveform: null, positionMs: 0, durationMs: 200_000, onSeek });
  const slider = screen.getByRole("slider");
  slider.getBoundingClientRect = () => ({ left: 100, width: 400, top: 0, height: 40, right: 500, bottom: 40, x: 100, y: 0, toJSON: () => ({}) });
  // jsdom has no PointerEvent; mouse events of the pointer types carry the coordinates.
  const pointer = (type: string, clientX: number) => fireEvent(slider, new MouseEvent(type, { clientX, bubbles: true }));
  await pointer("pointerdown", 200);
  await pointer("pointermove", 300);
  expect(onSeek, "dragging does not seek at every move").not.toHaveBeenCalled();
  expect(slider.textContent, "the time under the pointer is shown").toContain("1:40");
  await pointer("pointerup", 400);
  expect(onSeek.mock.calls).toEqual([[150_000]]);
});

test("End seeks near the end, Home to the start", async () => {
  const onSeek = vi.fn();
  render(Waveform, { waveform: null, positionMs: 60_000, durationMs: 180_000, onSeek });
  const slider = screen.getByRole("slider");
  await fireEvent.keyDown(slider, { key: "End" });
  await fireEvent.keyDown(slider, { key: "Home" });
  expect(onSeek.mock.calls).toEqual([[179_000], [0]]);
});

test("cue-note markers sit at their moment, say what they mark, and call onMarker", async () => {
  const onMarker = vi.fn();
  const onSeek = vi.fn();
  render(Waveform, {
    waveform: null,
    positionMs: 0,
    durationMs: 200_000,
    onSeek,
    markers: [
      { at_ms: 150_000, text: "Choir" },
      { at_ms: 50_000, text: "<b>Oboe</b>" },
      { at_ms: 500_000, text: "past the end" },
    ],
    onMarker,
  });
  const markers = screen.getAllByRole("button");
  expect(markers.map((m) => m.getAttribute("aria-label")), "in time order, only those inside the track").toEqual([
    "0:50 — <b>Oboe</b>",
    "2:30 — Choir",
  ]);
  expect(markers[1].getAttribute("title")).toBe("2:30 — Choir");
  expect(markers[0].style.left).toBe("25%");
  expect(screen.getByRole("slider").contains(markers[0]), "markers are not inside the slider").toBe(false);
  await fireEvent.click(markers[1]);
  expect(onMarker.mock.calls).toEqual([[150_000]]);
  expect(onSeek, "a marker click is not a seek").not.toHaveBeenCalled();
});

test("without markers there are no marker buttons", () => {
  render(Waveform, { waveform: null, positionMs: 0, durationMs: 200_000, onSeek: () => {} });
  expect(screen.queryAllByRole("button")).toEqual([]);
});
