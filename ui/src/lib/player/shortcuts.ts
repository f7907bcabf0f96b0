import type { Player } from "./player.svelte";

/** Where typing happens: no shortcut fires there. */
const EDITABLE = 'input, textarea, select, [contenteditable]:not([contenteditable="false"])';
/** Controls where Space (and Enter) mean "press this". */
const PRESSABLE = 'button, a[href], summary, [role="button"], [role="slider"], [role="checkbox"], [role="switch"], [role="radio"], [role="tab"], [role="menuitem"], [role="option"]';
/** Widgets that move their own selection or value with the arrow keys. */
const ARROWS_OWNED =
  '[role="slider"], [role="grid"], [role="listbox"], [role="tree"], [role="treegrid"], [role="menu"], [role="menubar"], [role="tablist"], [role="radiogroup"], [role="spinbutton"]';

const SEEK_STEP_MS = 5_000;
const SEEK_BIG_STEP_MS = 30_000;

function within(target: EventTarget | null, selector: string): boolean {
  const el = target as Element | null;
  return !!el && typeof el.closest === "function" && el.closest(selector) !== null;
}

/**
 * The player's keyboard shortcuts, for a window-level keydown listener: Space plays/pauses,
 * Left/Right seek 5 s (Shift: 30 s), Ctrl/Cmd+Left/Right go to the previous/next track, "m" mutes,
 * "s" stops. Keys typed into a field, or meant for the focused control, are left alone.
 *
 * @returns true when the key was handled (the caller then calls `preventDefault`).
 */
export function handleShortcut(event: KeyboardEvent, player: Player): boolean {
  if (event.defaultPrevented || event.altKey || event.isComposing) return false;
  if (within(event.target, EDITABLE)) return false;
  const command = event.ctrlKey || event.metaKey;

  switch (event.key) {
    case " ":
    case "Spacebar":
      if (command || event.shiftKey || event.repeat || within(event.target, PRESSABLE)) return false;
      void player.toggle();
      return true;
    case "ArrowLeft":
    case "ArrowRight": {
      if (within(event.target, ARROWS_OWNED)) return false;
      const forward = event.key === "ArrowRight";
      if (command) {
        if (event.shiftKey || event.repeat) return false;
        void (forward ? player.next() : player.previous());
        return true;
      }
      if (!player.position) return false;
      const step = event.shiftKey ? SEEK_BIG_STEP_MS : SEEK_STEP_MS;
      void player.nudge(forward ? step : -step);
      return true;
    }
    case "m":
    case "M":
      if (command || event.shiftKey || event.repeat) return false;
      void player.toggleMute();
      return true;
    case "s":
    case "S":
      if (command || event.shiftKey || event.repeat) return false;
      void player.stop();
      return true;
    default:
      return false;
  }
}
