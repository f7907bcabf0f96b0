// A small W3C WebDriver client over fetch, enough to drive the app through tauri-driver.
import { spawn } from "node:child_process";

/**
 * Starts tauri-driver on `port` in a process group of its own. `stop` ends the whole group:
 * the driver, WebKitWebDriver and the app, also when a session did not end cleanly (an app left
 * running holds the test runner's output open, and the run never finishes).
 */
export function startDriver(port, env, stdio = ["ignore", "inherit", "inherit"]) {
  const child = spawn("tauri-driver", ["--port", String(port)], { env, stdio, detached: true });
  return {
    stop() {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group is gone already.
      }
    },
  };
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async start(base, application, env) {
    const body = {
      capabilities: {
        alwaysMatch: { "tauri:options": { application, ...(env ? { env } : {}) } },
      },
    };
    const res = await call(base, "POST", "/session", body);
    return new Session(base, res.sessionId);
  }

  /** A session once tauri-driver (just spawned) answers on `port`; gives up after 20 s. */
  static async connect(port, application) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        return await Session.start(`http://127.0.0.1:${port}`, application);
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await sleep(200);
      }
    }
  }

  path(p) {
    return `/session/${this.id}${p}`;
  }

  async find(css, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const res = await call(this.base, "POST", this.path("/element"), {
          using: "css selector",
          value: css,
        });
        return Object.values(res)[0];
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`no element ${css}: ${e.message}`);
        await sleep(100);
      }
    }
  }

  async findAll(css) {
    const res = await call(this.base, "POST", this.path("/elements"), {
      using: "css selector",
      value: css,
    });
    return res.map((r) => Object.values(r)[0]);
  }

  click(el) {
    return call(this.base, "POST", this.path(`/element/${el}/click`), {});
  }

  type(el, text) {
    return call(this.base, "POST", this.path(`/element/${el}/value`), { text });
  }

  /**
   * The element's rendered text. Read through the page rather than WebDriver's text command,
   * which in WebKit leaves out text the user cannot select (rows, buttons).
   */
  async text(el) {
    const text = await this.execute("return arguments[0].innerText || arguments[0].textContent || '';", [
      Session.ref(el),
    ]);
    return String(text).replace(/\s+/g, " ").trim();
  }

  attribute(el, name) {
    return call(this.base, "GET", this.path(`/element/${el}/attribute/${name}`));
  }

  /** An element (from `find`) as a script argument. */
  static ref(el) {
    return { "element-6066-11e4-a52e-4f735466cecf": el };
  }

  /** Runs `script` (a function body) in the page and returns its value. */
  execute(script, args = []) {
    return call(this.base, "POST", this.path("/execute/sync"), { script, args });
  }

  clear(el) {
    return call(this.base, "POST", this.path(`/element/${el}/clear`), {});
  }

  async screenshot() {
    return Buffer.from(await call(this.base, "GET", this.path("/screenshot")), "base64");
  }

  /** The first element matching `css` whose text includes `want`, waiting for it. */
  async findText(css, want, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const el of await this.findAll(css)) {
        if ((await this.text(el).catch(() => "")).includes(want)) return el;
      }
      await sleep(100);
    }
    throw new Error(`no ${css} with ${JSON.stringify(want)}`);
  }

  /** Waits until `css` has an element whose text includes `want`; returns that text. */
  async waitForText(css, want, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    let seen = [];
    while (Date.now() < deadline) {
      seen = [];
      for (const el of await this.findAll(css)) {
        try {
          const t = await this.text(el);
          seen.push(t);
          if (t.includes(want)) return t;
        } catch {
          // the element went away between finding and reading it; look again
        }
      }
      await sleep(100);
    }
    throw new Error(`no ${css} with ${JSON.stringify(want)}; saw ${JSON.stringify(seen)}`);
  }

  end() {
    return call(this.base, "DELETE", this.path(""));
  }
}

async function call(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok || (json.value && json.value.error)) {
    throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
  }
  return json.value;
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
