// Links inside rendered notes. The webview must never navigate (it would leave the app), so every
// click on a link in a note is cancelled here and its address handed to Rust, which opens http,
// https and mailto links in the system browser.

/**
 * For a click (or middle click) inside a note: when it lands on a link, cancels the navigation
 * and returns the link's address ("" for a link without one); otherwise null and the event is left
 * alone.
 */
export function takeLinkClick(event: MouseEvent): string | null {
  const target = event.target as Element | null;
  const link = target && typeof target.closest === "function" ? target.closest("a") : null;
  if (!link) return null;
  const container = event.currentTarget as Element | null;
  if (container && typeof container.contains === "function" && !container.contains(link)) return null;
  event.preventDefault();
  return link.getAttribute("href") ?? "";
}
