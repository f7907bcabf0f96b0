// The stand-in for a missing cover: up to two initials on a colour derived from the title, so the
// same album always looks the same and neighbours look different.

const articles = new Set(["the", "a", "an", "le", "la", "les", "l", "der", "die", "das", "el", "il", "lo"]);

/** "Spirited Away" → "SA", "The Thin Red Line" → "TR", "千と千尋の神隠し" → "千", "" → "♪". */
export function initials(title: string): string {
  const words = title
    .split(/[\s\-–—:_/.,'’()[\]]+/u)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  const meaningful = words.length > 1 ? words.filter((w) => !articles.has(w.toLowerCase())) : words;
  const picked = (meaningful.length > 0 ? meaningful : words).slice(0, 2);
  const letters = picked.map((w) => Array.from(w).find((c) => /[\p{L}\p{N}]/u.test(c)) ?? "");
  // Scripts without letter case and word spaces (Japanese, Chinese) read better with one glyph.
  if (letters[0] && !/\p{Lu}|\p{Ll}|\p{N}/u.test(letters[0])) return letters[0];
  const out = letters.join("").toLocaleUpperCase();
  return out === "" ? "♪" : out;
}

/** A hue in 0..360 from the title (FNV-1a over UTF-16 code units). */
export function hueOf(title: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < title.length; i++) {
    h ^= title.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 360;
}
