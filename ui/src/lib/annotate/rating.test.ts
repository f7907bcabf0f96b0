import { describe, expect, it } from "vitest";

import { ratingAfterClick, ratingAfterKey, ratingLabel } from "./rating";

describe("rating", () => {
  it("labels a rating for screen readers, zero included", () => {
    expect(ratingLabel(4)).toBe("Rated 4 of 5");
    expect(ratingLabel(0), "zero stars is a rating, not the absence of one").toBe("Rated 0 of 5");
    expect(ratingLabel(null)).toBe("Not rated");
  });

  it("clears the rating when the current star is clicked again", () => {
    expect(ratingAfterClick(3, 3)).toBeNull();
    expect(ratingAfterClick(3, 5)).toBe(5);
    expect(ratingAfterClick(null, 1)).toBe(1);
  });

  it("steps with the arrows and stays between 0 and 5", () => {
    expect(ratingAfterKey(null, "ArrowRight"), "from unrated, right is one star").toBe(1);
    expect(ratingAfterKey(5, "ArrowUp")).toBe(5);
    expect(ratingAfterKey(1, "ArrowLeft")).toBe(0);
    expect(ratingAfterKey(0, "ArrowDown")).toBe(0);
    expect(ratingAfterKey(null, "ArrowLeft"), "left does not invent a rating").toBeNull();
    expect(ratingAfterKey(2, "End")).toBe(5);
    expect(ratingAfterKey(2, "Home")).toBe(0);
  });

  it("sets with digits 0 to 5, clears with Delete or Backspace, and ignores other keys", () => {
    expect(ratingAfterKey(null, "4")).toBe(4);
    expect(ratingAfterKey(3, "0")).toBe(0);
    expect(ratingAfterKey(3, "7"), "there are only five stars").toBeUndefined();
    expect(ratingAfterKey(3, "Delete")).toBeNull();
    expect(ratingAfterKey(3, "Backspace")).toBeNull();
    expect(ratingAfterKey(3, "a")).toBeUndefined();
    expect(ratingAfterKey(3, "Tab")).toBeUndefined();
  });
});
