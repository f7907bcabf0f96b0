// App benchmark: the release app on a generated 100,000-track catalog, under Xvfb through
// tauri-driver. Measures start to the first album grid, resident memory, scroll smoothness of the
// tracks table (frame times from the webview) and search-as-you-type latency. Prints a JSON report.
//
// Usage: node bench/app.mjs CATALOG.sqlite [APP]   (make bench-app does the set-up)
import { spawn, execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { Session, sleep, startDriver } from "../e2e/webdriver.mjs";

const root = resolve(import.meta.dirname, "..");
const catalog = process.argv[2];
const app = resolve(process.argv[3] ?? join(root, "target/release/cuebook-desktop"));
const port = 4446;
const RUNS = Number(process.env.RUNS ?? 3);

if (!catalog || !existsSync(catalog)) {
  console.error(`usage: node bench/app.mjs CATALOG.sqlite [APP]; no catalog at ${catalog}`);
  process.exit(2);
}
if (!existsSync(app)) {
  console.error(`${app} is not built (cargo build --release -p cuebook-desktop)`);
  process.exit(2);
}

const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());
const bootSecs = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))[1]);

/** When process `pid` started, in ms since the epoch (10 ms resolution). */
function startedAtMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (bootSecs + Number(fields[19]) / CLK_TCK) * 1000;
}

function children(pid) {
  const out = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry), ...children(Number(entry)));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

function memoryMb(pid) {
  const field = (file, name) => {
    try {
      const m = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(readFileSync(file, "utf8"));
      return m ? Number(m[1]) / 1024 : 0;
    } catch {
      return 0;
    }
  };
  const all = [pid, ...children(pid)];
  return {
    app_rss_mb: round(field(`/proc/${pid}/status`, "VmRSS")),
    // The webview runs in WebKit's own processes; proportional set size avoids counting shared
    // libraries once per process.
    with_webview_pss_mb: round(all.reduce((s, p) => s + field(`/proc/${p}/smaps_rollup`, "Pss"), 0)),
    processes: all.length,
  };
}

const round = (x) => Math.round(x * 10) / 10;
function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
}
function summary(values) {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: round(s.at(-1) ?? 0) };
}

async function withApp(fn) {
  const { data, db } = fresh();
  const driver = startDriver(port, { ...process.env, CUEBOOK_DB: db }, ["ignore", "ignore", "inherit"]);
  let session;
  try {
    session = await Session.connect(port, app);
    return await fn(session);
  } finally {
    if (session) await session.end().catch(() => {});
    driver.stop();
    await sleep(500);
    rmSync(data, { recursive: true, force: true });
  }
}

const report = { catalog, app, runs: RUNS, start_to_first_albums_ms: [], memory: null, scroll: null, search: null };

function fresh() {
  const data = mkdtempSync(join(tmpdir(), "cuebook-bench-app-"));
  const db = join(data, "library.sqlite");
  copyFileSync(catalog, db);
  if (existsSync(`${catalog}-wal`)) copyFileSync(`${catalog}-wal`, `${db}-wal`);
  const thumbs = catalog.replace(/\.sqlite$/, "-thumbs");
  if (existsSync(thumbs)) cpSync(thumbs, join(data, "library-thumbs"), { recursive: true });
  return { data, db };
}

/**
 * Start-up as a user gets it: the app launched on its own (no WebDriver attached, which holds the
 * page until its session is made), timed from the process's start to the moment the window says
 * its first album cards are on screen; memory a few seconds later, settled.
 */
async function startOnce(measureMemory) {
  const { data, db } = fresh();
  const child = spawn(app, [], {
    env: { ...process.env, CUEBOOK_DB: db, CUEBOOK_TRACE_STARTUP: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  try {
    const [pageAt, shownAt] = await new Promise((done, fail) => {
      let buffered = "";
      const timer = setTimeout(() => fail(new Error(`no first albums in 30 s: ${buffered}`)), 30_000);
      child.stderr.on("data", (chunk) => {
        buffered += chunk;
        const m = /page loading at (\d+) ms, first albums on screen at (\d+) ms/.exec(buffered);
        if (m) {
          clearTimeout(timer);
          done([Number(m[1]), Number(m[2])]);
        }
      });
      child.on("exit", (code) => fail(new Error(`the app exited (${code}): ${buffered}`)));
    });
    const started = startedAtMs(child.pid);
    report.start_to_first_albums_ms.push(Math.round(shownAt - started));
    (report.start_to_page_ms ??= []).push(Math.round(pageAt - started));
    if (measureMemory) {
      await sleep(3_000);
      report.memory = memoryMb(child.pid);
    }
  } finally {
    child.kill();
    await sleep(500);
    rmSync(data, { recursive: true, force: true });
  }
}

for (let run = 0; run < RUNS; run++) await startOnce(run === 0);
if (process.env.STARTUP_ONLY) {
  console.log(JSON.stringify({ start_to_first_albums_ms: report.start_to_first_albums_ms, start_to_page_ms: report.start_to_page_ms }));
  process.exit(0);
}

await withApp(async (session) => {
    await session.find('[data-testid="album-card"]', 30_000);
    // Scroll smoothness: the tracks table scrolled by a steady 240 px per frame for 4 s, then
    // by jumps; frame times measured by requestAnimationFrame in the webview.
    await session.click(await session.find('nav button[data-view="tracks"]'));
    await session.find('[data-testid="track-row"]');
    await sleep(1_000);
    const frames = await session.execute(`
      const el = document.querySelector('[data-testid="track-table"]');
      return new Promise((done) => {
        const times = [];
        let last = performance.now();
        let n = 0;
        function step(now) {
          times.push(now - last);
          last = now;
          el.scrollTop += 240;
          if (++n < 240) requestAnimationFrame(step); else done(times);
        }
        requestAnimationFrame((t) => { last = t; requestAnimationFrame(step); });
      });`);
    const jumps = await session.execute(`
      const el = document.querySelector('[data-testid="track-table"]');
      const rowsFilled = () => [...document.querySelectorAll('[data-testid="track-row"]')]
        .filter((r) => r.getBoundingClientRect().bottom > el.getBoundingClientRect().top).length > 0 &&
        [...document.querySelectorAll('[data-testid="track-row"]')].every((r) => r.textContent.trim() !== "");
      return (async () => {
        const fills = [];
        for (let i = 1; i <= 20; i++) {
          const t0 = performance.now();
          el.scrollTop = (el.scrollHeight * ((i * 7919) % 97)) / 97;
          while (performance.now() - t0 < 3000) {
            await new Promise((r) => requestAnimationFrame(r));
            if (rowsFilled()) break;
          }
          fills.push(performance.now() - t0);
        }
        return fills;
      })();`);
    const rowCount = await session.text(await session.find(".tracks .total"));
    report.scroll = {
      rows: rowCount,
      frame_ms: summary(frames.slice(1)),
      frames_over_16_7_ms: frames.filter((t) => t > 16.7 * 1.5).length,
      frames_over_33_ms: frames.filter((t) => t > 33.4).length,
      jump_to_filled_rows_ms: summary(jumps),
    };

    // Search as you type: each prefix of a few queries through the app's IPC (the command the
    // search box calls, with its page size), then whole queries typed into the box.
    const queries = ["amelie", "zimmer", "the", "composer:williams", "kind:game year:1990..1999", "love theme"];
    const ipc = await session.execute(`
      const queries = arguments[0];
      return (async () => {
        const times = [];
        for (let rep = 0; rep < 3; rep++) for (const q of queries) for (let i = 1; i <= q.length; i++) {
          const t0 = performance.now();
          // A half-typed field ("kind:g") answers with an error, as fast as any query.
          await window.__TAURI_INTERNALS__.invoke("search_tracks", { query: q.slice(0, i), limit: 200, offset: 0, sort: null }).catch(() => null);
          times.push(performance.now() - t0);
        }
        return times;
      })();`, [queries]);
    // Typed into the box at 60 ms a key; timed from the last key until the table shows the
    // final query's count (known up front from the same command) with its first row drawn.
    const typed = [];
    const input = await session.find('input[type="search"]');
    const ref = { "element-6066-11e4-a52e-4f735466cecf": input };
    for (const q of queries) {
      const ms = await session.execute(`
        const [input, q] = arguments;
        const total = () => document.querySelector(".tracks .total")?.textContent?.trim() ?? "";
        const firstRow = () => document.querySelector('[data-testid="track-row"] .title')?.textContent ?? "";
        const frame = () => new Promise((r) => requestAnimationFrame(r));
        return (async () => {
          const page = await window.__TAURI_INTERNALS__.invoke("search_tracks", { query: q, limit: 1, offset: 0, sort: null });
          const want = page.total.toLocaleString() + (page.total === 1 ? " track" : " tracks");
          input.value = "";
          input.dispatchEvent(new Event("input", { bubbles: true }));
          for (let i = 0; i < 300 && total() === want; i++) await frame();
          for (let i = 0; i < 60; i++) await frame();
          let t0 = 0;
          for (let i = 1; i <= q.length; i++) {
            if (i > 1) await new Promise((r) => setTimeout(r, 60));
            input.value = q.slice(0, i);
            t0 = performance.now();
            input.dispatchEvent(new Event("input", { bubbles: true }));
          }
          while (performance.now() - t0 < 5000) {
            if (total() === want && (page.total === 0 || firstRow() !== "")) return performance.now() - t0;
            await frame();
          }
          return "never: want " + want + ", saw " + total() + " / " + firstRow();
        })();`, [ref, q]);
      if (typeof ms === "number") typed.push(ms);
      else console.error(`search as you type, ${q}: ${ms}`);
    }
    report.search = {
      ipc_per_keystroke_ms: summary(ipc),
      results_after_last_keystroke_ms: summary(typed),
      queries,
    };
});

report.start_to_first_albums = summary(report.start_to_first_albums_ms);
console.log(JSON.stringify(report, null, 2));
