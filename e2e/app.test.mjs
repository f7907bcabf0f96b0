// End to end: the real app under Xvfb, driven through tauri-driver and WebKitWebDriver, on a fresh
// data folder. Screenshots of each view go to target/e2e/.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { Session, sleep } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "..");
const app = join(root, "target/debug/cuebook-desktop");
const reference = join(root, "target/fixtures/reference");
const shots = join(root, "target/e2e");
const port = 4444;

let driver;
let session;

function skipReason() {
  if (!existsSync(app)) return `${app} is not built (make test builds it)`;
  if (!existsSync(reference)) return "the reference collection is not built (needs ../shared)";
  return null;
}

before(async () => {
  if (skipReason()) return;
  mkdirSync(shots, { recursive: true });
  const data = mkdtempSync(join(tmpdir(), "cuebook-e2e-"));
  driver = spawn("tauri-driver", ["--port", String(port)], {
    env: { ...process.env, CUEBOOK_DB: join(data, "library.sqlite") },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      session = await Session.start(base, app);
      break;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(250);
    }
  }
});

after(async () => {
  if (session) await session.end().catch(() => {});
  if (driver) driver.kill();
});

async function shot(name) {
  writeFileSync(join(shots, `${name}.png`), await session.screenshot());
}

test("add the reference collection, scan it, and find Amélie", async (t) => {
  const why = skipReason();
  if (why) {
    t.skip(why);
    return;
  }
  await session.click(await session.find("nav button:nth-child(2)"));
  const input = await session.find('input[aria-label="Folder to add"]');
  await session.type(input, reference);
  await session.click(await session.find('form button[type="submit"]'));
  await session.waitForText(".folders li .path", reference);
  await session.click(await session.findText("button", "Scan now"));
  const done = await session.waitForText(".scan p", "Scan finished");
  assert.match(done, /171 new/, "the whole reference collection is cataloged");
  await shot("folders");

  await session.click(await session.find("nav button:nth-child(1)"));
  await session.type(await session.find('input[type="search"]'), "amelie");
  const row = await session.waitForText("tbody tr", "Amélie");
  assert.match(row, /Yann Tiersen/);
  const count = await session.waitForText(".count", "tracks");
  assert.equal(count, "4 tracks", "accent-insensitive search finds the album's four tracks");
  await shot("search");
});
