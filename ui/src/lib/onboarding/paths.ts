/**
 * A path with the home folder written as "~" ("/home/anaïs/Music" → "~/Music"), for a button
 * label; the full path is shown beside it. Paths outside a home folder come back unchanged.
 */
export function tildePath(path: string): string {
  const unix = /^\/(?:home|Users)\/[^/]+(\/.*)?$/.exec(path);
  if (unix) return `~${unix[1] ?? ""}`;
  const windows = /^[A-Za-z]:\\Users\\[^\\]+(\\.*)?$/.exec(path);
  if (windows) return `~${windows[1] ?? ""}`;
  return path;
}
