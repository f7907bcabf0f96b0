#!/usr/bin/env bash
# Installs what building and testing Cuebook needs on Debian/Ubuntu, and says what it installs.
# Safe to run again: it only installs what is missing.
set -euo pipefail

need_pkgs=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# libasound2-dev: audio output (rodio/cpal build against ALSA). pv: the playback tests
# capture what Cuebook plays through an ALSA file device, paced to real time; ffmpeg encodes their
# test signals into each format.
for pkg in build-essential pkg-config ca-certificates curl python3 util-linux libasound2-dev pv ffmpeg; do
  have_pkg "$pkg" || need_pkgs+=("$pkg")
done
# The corpus cross-check reads tags with mutagen as an independent reader.
if ! python3 -c 'import mutagen' 2>/dev/null && ! /usr/bin/python3 -c 'import mutagen' 2>/dev/null; then
  need_pkgs+=(python3-mutagen)
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
echo "bootstrap: ready ($(rustc --version))"
