// Albums and tracks dragged from anywhere in the app onto a list: one MIME type, one payload.
import type { ListItem } from "./api/types";

/** The drag data type that carries `ListItem[]` as JSON. */
export const ITEMS_MIME = "application/x-cuebook-items";

/** Puts the items on a drag that starts from an album card or a track row. */
export function setDragItems(dt: DataTransfer, items: ListItem[], label: string): void {
  dt.setData(ITEMS_MIME, JSON.stringify(items));
  dt.setData("text/plain", label);
  dt.effectAllowed = "copy";
}

/** Whether a drag carries items (readable during dragover, when the data itself is not). */
export function hasDragItems(dt: DataTransfer | null): boolean {
  return !!dt && Array.from(dt.types).includes(ITEMS_MIME);
}

/** The items of a drop, or null when it carries none or something malformed. */
export function dragItems(dt: DataTransfer | null): ListItem[] | null {
  const raw = dt?.getData(ITEMS_MIME);
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return null;
    const items = parsed.filter(
      (i): i is ListItem =>
        typeof i === "object" && i !== null &&
        (((i.kind === "album" || i.kind === "track") && Number.isInteger(i.id)) ||
          (i.kind === "placeholder" && typeof i.title === "string")),
    );
    return items.length ? items : null;
  } catch {
    return null;
  }
}
