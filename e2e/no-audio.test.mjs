// End to end without a sound card: the app opens, catalogs and searches as usual, and a preview
// shows a notice instead of failing (ALSA's default device points at a card that does not exist).
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { Session, startDriver } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "..");
const app = join(root, "target/debug/cuebook-desktop");
const reference = join(root, "target/fixtures/reference");
const shots = join(root, "target/e2e");
const port = 4447;

let driver;
let session;

function skipReason() {
  if (!existsSync(app)) return `${app} is not built (make test builds it)`;
  if (!existsSync(reference)) return "the reference collection is not built (needs ../shared)";
  return null;
}

before(async () => {
  if (skipReason()) return;
  const data = mkdtempSync(join(tmpdir(), "cuebook-e2e-silent-"));
  const conf = join(data, "alsa.conf");
  writeFileSync(conf, "pcm.!default { type hw card 99 }\nctl.!default { type hw card 99 }\n");
  driver = startDriver(port, {
    ...process.env,
    CUEBOOK_DB: join(data, "library.sqlite"),
    // Keep WebKit's compositing on (the app turns it off on machines without a GPU): WebDriver
    // screenshots hang without it.
    WEBKIT_DISABLE_COMPOSITING_MODE: "0",
    ALSA_CONFIG_PATH: `/usr/share/alsa/alsa.conf:${conf}`,
    HOME: data,
  });
  session = await Session.connect(port, app);
});

after(async () => {
  if (session) await session.end().catch(() => {});
  if (driver) driver.stop();
});

test("without a sound card a preview shows a notice and everything else works", async (t) => {
  const why = skipReason();
  if (why) {
    t.skip(why);
    return;
  }
  await session.click(await session.findText('[data-testid="onboarding"] button', "Skip for now"));
  await session.click(await session.find('nav button[data-view="folders"]'));
  await session.type(await session.find('input[aria-label="Folder to add"]'), reference);
  await session.click(await session.find('form button[type="submit"]'));
  await session.click(await session.findText("button", "Scan now"));
  assert.match(await session.waitForText(".scan p", "Scan finished", 120_000), /171 new/);

  await session.click(await session.find('nav button[data-view="tracks"]'));
  await session.type(await session.find('input[type="search"]'), "amelie");
  await session.waitForText(".tracks .total", "4 tracks");
  // Enter on the focused table previews the row under the cursor; double-click does too.
  const row = await session.findText('[data-testid="track-row"]', "Amélie");
  await session.execute("arguments[0].dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));", [
    { "element-6066-11e4-a52e-4f735466cecf": row },
  ]);
  const notice = await session.waitForText('[data-testid="audio-notice"]', "No audio output", 15_000);
  assert.match(notice, /Everything else works/i, notice);
  writeFileSync(join(shots, "no-audio.png"), await session.screenshot());

  // Still responsive: another search answers.
  const input = await session.find('input[type="search"]');
  await session.type(input, "\uE009a\uE000\uE003");
  await session.type(input, "composer:tiersen");
  await session.waitForText(".tracks .total", "tracks");
  assert.ok((await session.findAll('[data-testid="track-row"]')).length >= 4, "the library still answers");
});
