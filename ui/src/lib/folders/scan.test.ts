import { describe, expect, it } from "vitest";

import { fakeBackend } from "../api/fake";
import type { ScanProgress, ScanReport } from "../api/types";
import { createScan, describeOrphans, describeProgress, describeReport, fractionDone, type ScanState } from "./scan";

const reading: ScanProgress = {
  phase: "reading",
  seen: 5000,
  to_read: 5000,
  done: 1204,
  rate: 230.4,
  eta_secs: 16.5,
  current: "/music/a.flac",
};

const report: ScanReport = {
  roots: 1,
  roots_offline: [],
  files_seen: 130,
  unchanged: 5,
  added: 120,
  updated: 3,
  moved: 0,
  returned: 0,
  missing: 2,
  problems: 1,
  not_audio: 0,
  cancelled: false,
  elapsed_ms: 900,
  annotation_orphans: 0,
  wishlist_matches: 0,
  article_suggestions: 0,
};

describe("scan progress", () => {
  it("reads as a collector would say it", () => {
    expect(describeProgress(reading)).toBe("1,204 of 5,000 files · 230/s · about 17 s left");
    expect(describeProgress({ ...reading, phase: "walking", seen: 812 })).toBe(
      "Looking for files… 812 found",
    );
    expect(describeReport(report)).toBe("Scan finished: 120 new, 3 changed, 2 missing, 1 problem");
    expect(describeReport({ ...report, added: 0, updated: 0, missing: 0, problems: 0 })).toBe(
      "Scan finished: nothing changed",
    );
  });

  it("points to the orphans a scan left", () => {
    expect(describeOrphans(report)).toBeNull();
    expect(describeOrphans({ annotation_orphans: 1 })).toBe(
      "1 annotated album, track or work is no longer in your folders; its annotations wait in Orphans.",
    );
    expect(describeOrphans({ annotation_orphans: 1_204 })).toBe(
      "1,204 annotated albums, tracks or works are no longer in your folders; their annotations wait in Orphans.",
    );
  });

  it("has no bar fraction until the total is known", () => {
    expect(fractionDone({ ...reading, phase: "walking" })).toBeNull();
    expect(fractionDone(reading)).toBeCloseTo(0.2408);
  });
});

describe("createScan", () => {
  it("reports progress, then the report, and cancels through the backend", async () => {
    let emit: (p: ScanProgress) => void = () => {};
    let finish: (r: ScanReport) => void = () => {};
    let cancelled = 0;
    const backend = fakeBackend({
      scan: (onProgress) =>
        new Promise<ScanReport>((resolve) => {
          emit = onProgress;
          finish = resolve;
        }),
      cancelScan: async () => {
        cancelled += 1;
      },
    });
    const states: ScanState[] = [];
    const scan = createScan(backend, (s) => states.push(s));
    const run = scan.start();
    void scan.start(); // ignored while running
    emit(reading);
    await scan.cancel();
    finish({ ...report, cancelled: true });
    await run;
    expect(cancelled).toBe(1);
    expect(states.map((s) => [s.running, s.progress?.done ?? null, s.report?.cancelled ?? null])).toEqual([
      [true, null, null],
      [true, 1204, null],
      [false, null, true],
    ]);
  });

  it("shows why a scan failed", async () => {
    const backend = fakeBackend({
      scan: () => Promise.reject({ code: "catalog", message: "catalog query failed: disk I/O error" }),
    });
    const states: ScanState[] = [];
    await createScan(backend, (s) => states.push(s)).start();
    expect(states.at(-1)).toEqual({
      running: false,
      progress: null,
      report: null,
      error: "catalog query failed: disk I/O error",
    });
  });
});
