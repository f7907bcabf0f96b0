#!/usr/bin/python3
"""Renders HTML files in a real browser engine (WebKitGTK's MiniBrowser driven by WebKitWebDriver)
and prints what the page showed; saves a full-page PNG screenshot of each.

usage: html_render.py OUT_DIR FILE.html [FILE.html ...]

Needs an X display: run it under `xvfb-run -a -s "-screen 0 1280x8000x24"`. One WebDriver session
serves every file. For each file the browser opens its file:// URL, waits until every image is
decoded, and the page reports its title, visible text, entries, ranks, covers (an image loaded
when its naturalWidth > 0), whether the stylesheet applied, and whether any script ran. The window
is then grown to the page's height and the viewport saved as OUT_DIR/<file name>.png; then the
page's `@media print` rules are switched on for the screen and a print preview, as wide as A4,
saved as OUT_DIR/<file name>-print.png.

Output: {"pages": [{"path", "screenshot", "print_preview", ...what the page reported...}]}.
Exit 1 when the browser cannot be driven; exit 77 when WebKitWebDriver, MiniBrowser or a display
is missing.
"""

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

BROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
WIDTH = 1000
MAX_HEIGHT = 7800

A4_WIDTH = 794

# Resolves after the next two frames, so a screenshot shows the page as laid out at the new size.
SETTLE = "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));"

# Turns every `@media print` block of the page's stylesheets on for the screen.
PRINT_PREVIEW = r"""
for (const sheet of document.styleSheets) {
  for (const rule of sheet.cssRules) {
    if (rule.media && rule.media.mediaText === 'print') rule.media.mediaText = 'all';
  }
}
"""

# Runs in the page; the last argument is WebDriver's callback.
COLLECT = r"""
const done = arguments[arguments.length - 1];
const images = Array.from(document.images);
Promise.all(images.map(i => i.decode().catch(() => null))).then(() => {
  const q = s => Array.from(document.querySelectorAll(s));
  const first = document.querySelector('.entry');
  done({
    title: document.title,
    text: document.body.innerText,
    entries: q('li.entry').length,
    wishlist: q('li.entry.wishlist').length,
    ranks: q('.entry .rank').map(e => e.textContent),
    titles: q('.entry h2.title .name').map(h => h.textContent),
    notes: q('.entry').map(e => { const n = e.querySelector('.body > .note'); return n ? n.innerText : null; }),
    images: images.map(i => ({ alt: i.alt, scheme: i.src.split(':')[0], complete: i.complete,
                                naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight })),
    blank_covers: q('.cover.blank').length,
    scripts: document.scripts.length,
    links: q('a[href]').map(a => a.href),
    script_ran: window.__pwned !== undefined,
    styled: first ? getComputedStyle(first).display : null,
    height: Math.ceil(document.documentElement.scrollHeight),
  });
});
"""


def skip(message):
    print(f"html_render: {message}", file=sys.stderr)
    sys.exit(77)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def call(self, method, path, body=None, timeout=60):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.loads(r.read())["value"]
        except urllib.error.HTTPError as e:
            sys.exit(f"html_render: WebDriver {method} {path} failed: {e.code} {e.read()[:500]!r}")

    def s(self, path):
        return f"/session/{self.session}{path}"


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: html_render.py OUT_DIR FILE.html [FILE.html ...]")
    out_dir, files = sys.argv[1], [os.path.abspath(f) for f in sys.argv[2:]]
    if shutil.which("WebKitWebDriver") is None:
        skip("WebKitWebDriver is not installed (webkit2gtk-driver)")
    if not os.access(BROWSER, os.X_OK):
        skip(f"{BROWSER} is missing (libwebkit2gtk-4.1-0)")
    if not os.environ.get("DISPLAY"):
        skip("no X display: run under xvfb-run")
    os.makedirs(out_dir, exist_ok=True)

    port = free_port()
    driver = subprocess.Popen(["WebKitWebDriver", f"--port={port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wd = WebDriver(port)
    try:
        for _ in range(200):
            try:
                wd.call("GET", "/status", timeout=1)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
        else:
            sys.exit("html_render: WebKitWebDriver did not start")
        caps = {"browserName": "MiniBrowser",
                "webkitgtk:browserOptions": {"binary": BROWSER, "args": ["--automation"]}}
        wd.session = wd.call("POST", "/session", {"capabilities": {"alwaysMatch": caps}})["sessionId"]
        pages = []
        for path in files:
            wd.call("POST", wd.s("/window/rect"), {"width": WIDTH, "height": 900})
            wd.call("POST", wd.s("/url"), {"url": "file://" + path})
            page = wd.call("POST", wd.s("/execute/async"), {"script": COLLECT, "args": []})
            # Grow the window until the viewport holds the whole page, then shoot it.
            wd.call("POST", wd.s("/window/rect"),
                    {"width": WIDTH, "height": min(page["height"] + 200, MAX_HEIGHT)})
            wd.call("POST", wd.s("/execute/async"), {"script": SETTLE, "args": []})
            png = base64.b64decode(wd.call("GET", wd.s("/screenshot")))
            shot = os.path.join(out_dir, os.path.splitext(os.path.basename(path))[0] + ".png")
            with open(shot, "wb") as f:
                f.write(png)
            # A print preview: the page's `@media print` rules applied to the screen, in a
            # window as wide as A4 at 96 dpi (WebKitWebDriver cannot print to PDF).
            wd.call("POST", wd.s("/execute/sync"), {"script": PRINT_PREVIEW, "args": []})
            height = wd.call("POST", wd.s("/execute/sync"), {
                "script": "return document.documentElement.scrollHeight", "args": []})
            wd.call("POST", wd.s("/window/rect"),
                    {"width": A4_WIDTH, "height": min(height + 200, MAX_HEIGHT)})
            wd.call("POST", wd.s("/execute/async"), {"script": SETTLE, "args": []})
            preview = shot[:-4] + "-print.png"
            with open(preview, "wb") as f:
                f.write(base64.b64decode(wd.call("GET", wd.s("/screenshot"))))
            page.update(path=path, screenshot=shot, print_preview=preview)
            pages.append(page)
        wd.call("DELETE", wd.s(""))
        wd.session = None
    finally:
        if wd.session:
            try:
                wd.call("DELETE", wd.s(""), timeout=10)
            except Exception as e:  # noqa: BLE001 - the error that brought us here matters more
                print(f"html_render: closing the session failed: {e}", file=sys.stderr)
        driver.terminate()
        driver.wait(timeout=10)
    json.dump({"pages": pages}, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
