import type { Backend } from "../api/backend";
import { messageOf } from "../api/errors";
import type { ScanProgress, ScanReport } from "../api/types";

export interface ScanState {
  running: boolean;
  progress: ScanProgress | null;
  report: ScanReport | null;
  error: string | null;
}

export const idle: ScanState = { running: false, progress: null, report: null, error: null };

/** Fraction done for a progress bar; `null` while the walk does not yet know the total. */
export function fractionDone(p: ScanProgress | null): number | null {
  if (!p || p.phase === "walking" || p.to_read === 0) return null;
  return Math.min(1, p.done / p.to_read);
}

/** One line about a scan in progress, e.g. "1,204 of 5,000 files · 230/s · about 17 s left". */
export function describeProgress(p: ScanProgress): string {
  switch (p.phase) {
    case "walking":
      return `Looking for files… ${p.seen.toLocaleString("en")} found`;
    case "finishing":
      return "Finishing…";
    case "done":
      return "Done";
    case "reading": {
      const parts = [
        `${p.done.toLocaleString("en")} of ${p.to_read.toLocaleString("en")} files`,
      ];
      if (p.rate > 0) parts.push(`${Math.round(p.rate).toLocaleString("en")}/s`);
      if (p.eta_secs != null) parts.push(`about ${formatEta(p.eta_secs)} left`);
      return parts.join(" · ");
    }
  }
}

function formatEta(secs: number): string {
  const s = Math.max(1, Math.round(secs));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A summary of a finished scan, e.g. "120 new, 3 changed, 2 missing, 1 problem". */
export function describeReport(r: ScanReport): string {
  const parts: string[] = [];
  const add = (n: number, one: string, many = one) => {
    if (n > 0) parts.push(`${n.toLocaleString("en")} ${n === 1 ? one : many}`);
  };
  add(r.added, "new");
  add(r.updated, "changed");
  add(r.moved, "moved");
  add(r.returned, "back");
  add(r.missing, "missing");
  add(r.problems, "problem", "problems");
  const head = r.cancelled ? "Scan cancelled" : "Scan finished";
  return parts.length ? `${head}: ${parts.join(", ")}` : `${head}: nothing changed`;
}

/**
 * The notice after a scan that left annotations without their album, track or work, or null
 * when it left none.
 */
export function describeOrphans(r: Pick<ScanReport, "annotation_orphans">): string | null {
  const n = r.annotation_orphans;
  if (n <= 0) return null;
  return n === 1
    ? "1 annotated album, track or work is no longer in your folders; its annotations wait in Orphans."
    : `${n.toLocaleString("en")} annotated albums, tracks or works are no longer in your folders; their annotations wait in Orphans.`;
}

/** Runs a scan, reporting every state change; a second call while one runs does nothing. */
export function createScan(backend: Backend, report: (s: ScanState) => void) {
  let state: ScanState = idle;
  const set = (s: ScanState) => {
    state = s;
    report(s);
  };
  return {
    async start(): Promise<void> {
      if (state.running) return;
      set({ running: true, progress: null, report: null, error: null });
      try {
        const result = await backend.scan((p) => set({ ...state, progress: p }));
        set({ running: false, progress: null, report: result, error: null });
      } catch (e) {
        set({ running: false, progress: null, report: null, error: messageOf(e) });
      }
    },
    async cancel(): Promise<void> {
      if (state.running) await backend.cancelScan();
    },
  };
}
