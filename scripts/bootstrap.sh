#!/usr/bin/env bash
# Installs what building and testing Cuebook needs on Debian/Ubuntu, and says what it installs.
# Safe to run again: it only installs what is missing.
set -euo pipefail

need_pkgs=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# libasound2-dev: audio output (rodio/cpal build against ALSA). pv: the playback tests
# capture what Cuebook plays through an ALSA file device, paced to real time; ffmpeg encodes their
# test signals into each format. libwebkit2gtk-4.1-dev: the desktop app's webview (Tauri 2);
# fonts-noto-cjk: Japanese, Chinese and Korean titles (common on soundtracks) render as text, not boxes.
# xvfb, xauth and webkit2gtk-driver: the end-to-end tests drive the real app window without a display;
# xdotool answers the native save dialog (a GTK window WebDriver cannot reach) as a user would.
# The export tests (tests/export_consumers.rs) hand every exported file to a real consumer:
# gir1.2-totemplparser-1.0 + python3-gi read XSPF (GNOME's totem-pl-parser, from Debian's python3),
# mpv plays M3U8 with null outputs (ffprobe, from ffmpeg, probes what it played),
# libreoffice-calc-nogui opens CSV headless, cmark-gfm renders Markdown, and WebKitGTK's MiniBrowser
# (libwebkit2gtk-4.1-0, with the -dev package) renders HTML under xvfb through webkit2gtk-driver.
for pkg in build-essential pkg-config ca-certificates curl python3 util-linux libasound2-dev pv ffmpeg \
           libwebkit2gtk-4.1-dev fonts-noto-cjk xvfb xauth webkit2gtk-driver \
           xdotool gir1.2-totemplparser-1.0 python3-gi mpv libreoffice-calc-nogui cmark-gfm; do
  have_pkg "$pkg" || need_pkgs+=("$pkg")
done
# The corpus cross-check reads tags with mutagen as an independent reader.
if ! python3 -c 'import mutagen' 2>/dev/null && ! /usr/bin/python3 -c 'import mutagen' 2>/dev/null; then
  need_pkgs+=(python3-mutagen)
fi

# The app's front end builds with Vite (Node.js 18.19 or newer, as Debian 12 and Ubuntu 24.04 ship).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  need_pkgs+=(nodejs npm)
fi

if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "bootstrap: installing ${need_pkgs[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "bootstrap: Rust is missing. Install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
rust_minor=$(rustc --version | sed -E 's/^rustc 1\.([0-9]+).*/\1/')
if [ "${rust_minor:-0}" -lt 89 ]; then
  echo "bootstrap: Rust $(rustc --version) is too old; Cuebook needs 1.89 or newer (rustup update)." >&2
  exit 1
fi
# tauri-driver bridges WebDriver to the app for the end-to-end tests.
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "bootstrap: installing tauri-driver (cargo install tauri-driver --locked, a few minutes once)"
  cargo install tauri-driver --locked --quiet
fi
node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number); console.log(a>18||(a===18&&b>=19)?1:0)' 2>/dev/null || echo 0)
if [ "$node_ok" != 1 ]; then
  echo "bootstrap: Node.js $(node --version 2>/dev/null) is too old for the app's front end; Cuebook needs 18.19 or newer." >&2
  exit 1
fi
echo "bootstrap: ready ($(rustc --version), Node.js $(node --version))"
