/** The message of a failed command (a `CommandError`) or of anything else thrown. */
export function messageOf(e: unknown): string {
  return typeof e === "object" && e !== null && "message" in e ? String(e.message) : String(e);
}
