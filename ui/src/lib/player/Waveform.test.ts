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
