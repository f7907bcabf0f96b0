#!/usr/bin/python3
"""Plays an M3U/M3U8 playlist in mpv without any output device, then probes what it played.

usage: m3u_play.py PLAYLIST.m3u8

mpv (a real player, reading the playlist with its own M3U parser) opens every entry and plays its
first 50 ms to null audio and video outputs, with mpv_report.lua reporting each file it opened,
the title it took from #EXTINF, and each entry it could not open. ffprobe then probes every file
mpv opened, as an independent reader of the audio.

Output: {"playlist": [mpv's parsed entries], "played": [{path, resolved, playlist_title,
media_title, duration, file_format, audio_codecs, ffprobe: {format_name, duration, codecs}}],
"errors": [...]}, with `resolved` the absolute, normalized path of the file.
Exit 1 when mpv fails or any entry could not be opened; exit 77 when mpv or ffprobe is missing.
"""

import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: m3u_play.py PLAYLIST.m3u8")
    for program in ("mpv", "ffprobe"):
        if shutil.which(program) is None:
            print(f"m3u_play: {program} is not installed", file=sys.stderr)
            sys.exit(77)
    playlist = os.path.abspath(sys.argv[1])
    folder = os.path.dirname(playlist)
    mpv = subprocess.run(
        [
            "mpv", "--no-config", "--really-quiet", "--load-scripts=no", "--ytdl=no",
            "--input-terminal=no", "--terminal=yes", "--idle=no", "--audio-display=no",
            "--vo=null", "--ao=null", "--ao-null-untimed", "--end=0.05",
            "--script=" + os.path.join(HERE, "mpv_report.lua"),
            "--playlist=" + os.path.basename(playlist),
        ],
        cwd=folder, capture_output=True, text=True, timeout=120,
    )
    lines = [l for l in mpv.stdout.splitlines() if l.startswith("{")]
    if not lines:
        sys.exit(f"m3u_play: mpv reported nothing (exit {mpv.returncode}): {mpv.stderr.strip()}")
    report = json.loads(lines[-1])
    for item in report["played"]:
        item["resolved"] = os.path.normpath(os.path.join(folder, item["path"]))
        item["ffprobe"] = probe(item["resolved"])
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
    print()
    if report["errors"]:
        sys.exit(f"m3u_play: mpv could not open {len(report['errors'])} entries: {report['errors']}")
    if mpv.returncode != 0:
        sys.exit(f"m3u_play: mpv exited with {mpv.returncode}: {mpv.stderr.strip()}")


def probe(path):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries",
         "format=format_name,duration:stream=codec_type,codec_name", "-of", "json", path],
        capture_output=True, text=True, timeout=60,
    )
    if out.returncode != 0:
        sys.exit(f"m3u_play: ffprobe cannot read {path}: {out.stderr.strip()}")
    info = json.loads(out.stdout)
    fmt = info.get("format", {})
    return {
        "format_name": fmt.get("format_name"),
        "duration": float(fmt["duration"]) if "duration" in fmt else None,
        "codecs": [s.get("codec_name") for s in info.get("streams", [])
                   if s.get("codec_type") == "audio"],
    }


if __name__ == "__main__":
    main()
