/** Listening time in the largest units that read well: "12 days 4 hours", "5 hours 12 min", "42 min". */
export function formatListening(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return "0 min";
  const minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const plural = (n: number, one: string) => `${n.toLocaleString("en")} ${one}${n === 1 ? "" : "s"}`;
  if (days > 0) return hours > 0 ? `${plural(days, "day")} ${plural(hours, "hour")}` : plural(days, "day");
  if (hours > 0) return mins > 0 ? `${plural(hours, "hour")} ${mins} min` : plural(hours, "hour");
  return `${mins} min`;
}

/** Disk size in GB (TB from a thousand GB, MB below one GB), decimal units as disks are sold. */
export function formatSize(bytes: number): { value: string; unit: string } {
  if (!Number.isFinite(bytes) || bytes <= 0) return { value: "0", unit: "GB" };
  const gb = bytes / 1e9;
  if (gb >= 1000) return { value: (gb / 1000).toFixed(gb >= 10_000 ? 1 : 2), unit: "TB" };
  if (gb >= 1) return { value: gb.toFixed(gb >= 100 ? 0 : 1), unit: "GB" };
  return { value: String(Math.max(1, Math.round(bytes / 1e6))), unit: "MB" };
}

/** Listening time as big-number parts: [{ value: "26", unit: "days" }, { value: "14", unit: "hours" }]. */
export function listeningParts(ms: number): { value: string; unit: string }[] {
  const minutes = Number.isFinite(ms) && ms > 0 ? Math.round(ms / 60_000) : 0;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const part = (n: number, one: string, many: string) => ({ value: n.toLocaleString("en"), unit: n === 1 ? one : many });
  if (days > 0) return [part(days, "day", "days"), part(hours, "hour", "hours")];
  if (hours > 0) return [part(hours, "hour", "hours"), part(mins, "min", "min")];
  return [part(mins, "min", "min")];
}
