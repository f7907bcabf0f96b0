// @vitest-environment jsdom
import { fireEvent, render, screen } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import Stars from "./Stars.svelte";

const star = (n: number) => screen.getByRole("radio", { name: n === 1 ? "1 star" : `${n} stars` });

test("clicking a star rates, clicking the current star clears", async () => {
  const onChange = vi.fn();
  render(Stars, { value: null, onChange, label: "Album rating" });
  expect(screen.getByRole("radiogroup", { name: "Album rating" })).toBeTruthy();
  await fireEvent.click(star(4));
  expect(star(4).getAttribute("aria-checked")).toBe("true");
  expect(screen.getAllByRole("radio").filter((b) => b.classList.contains("on")).length, "four stars lit").toBe(4);
  await fireEvent.click(star(4));
  expect(onChange.mock.calls).toEqual([[4], [null]]);
  expect(star(4).getAttribute("aria-checked")).toBe("false");
});

test("arrows step, digits set, Delete clears, and focus follows the value", async () => {
  const onChange = vi.fn();
  render(Stars, { value: 2, onChange });
  expect(star(2).tabIndex, "the current star takes Tab focus").toBe(0);
  expect(star(1).tabIndex).toBe(-1);
  star(2).focus();
  await fireEvent.keyDown(star(2), { key: "ArrowRight" });
  expect(document.activeElement).toBe(star(3));
  await fireEvent.keyDown(star(3), { key: "5" });
  await fireEvent.keyDown(star(5), { key: "0" });
  await fireEvent.keyDown(star(1), { key: "Delete" });
  await fireEvent.keyDown(star(1), { key: "x" });
  expect(onChange.mock.calls).toEqual([[3], [5], [0], [null]]);
});

test("a key the control handles does not reach the app's shortcuts", async () => {
  render(Stars, { value: 1, onChange: () => {} });
  const event = new KeyboardEvent("keydown", { key: "ArrowLeft", bubbles: true, cancelable: true });
  star(1).dispatchEvent(event);
  expect(event.defaultPrevented).toBe(true);
});

test("a new value from the parent replaces the shown one", async () => {
  const view = render(Stars, { value: 1, onChange: () => {} });
  await view.rerender({ value: 3, onChange: () => {} });
  expect(star(3).getAttribute("aria-checked")).toBe("true");
});

test("readonly stars are a labelled picture, not buttons", () => {
  render(Stars, { value: 4, readonly: true });
  expect(screen.getByRole("img", { name: "Rated 4 of 5" })).toBeTruthy();
  expect(screen.queryAllByRole("radio")).toEqual([]);
  expect(screen.queryAllByRole("button")).toEqual([]);
});

test("readonly without a rating says so", () => {
  render(Stars, { value: null, readonly: true, label: "Track" });
  expect(screen.getByRole("img", { name: "Track: Not rated" })).toBeTruthy();
});
