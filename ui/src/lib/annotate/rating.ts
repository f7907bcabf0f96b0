// How the star rating control reads and answers keys. Ratings are 0–5 (0 is "rated, no stars",
// distinct from null: not rated at all), as Rust stores them.

export const MAX_RATING = 5;

/** "Rated 4 of 5", or "Not rated". */
export function ratingLabel(value: number | null): string {
  return value == null ? "Not rated" : `Rated ${value} of ${MAX_RATING}`;
}

/** The rating after clicking star `star` (1–5): the same star again clears the rating. */
export function ratingAfterClick(current: number | null, star: number): number | null {
  return current === star ? null : clampRating(star);
}

/**
 * The rating after a key press on the control, or `undefined` when the key is not the control's:
 * arrows step by one, Home/End go to 0/5, digits 0–5 set, Delete/Backspace clear.
 */
export function ratingAfterKey(current: number | null, key: string): number | null | undefined {
  switch (key) {
    case "ArrowRight":
    case "ArrowUp":
      return clampRating((current ?? 0) + 1);
    case "ArrowLeft":
    case "ArrowDown":
      return current == null ? null : clampRating(current - 1);
    case "Home":
      return 0;
    case "End":
      return MAX_RATING;
    case "Delete":
    case "Backspace":
      return null;
  }
  if (/^[0-9]$/.test(key)) {
    const n = Number(key);
    return n <= MAX_RATING ? n : undefined;
  }
  return undefined;
}

function clampRating(n: number): number {
  return Math.min(MAX_RATING, Math.max(0, Math.round(n)));
}
