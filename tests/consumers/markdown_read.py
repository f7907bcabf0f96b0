#!/usr/bin/python3
"""Renders a Markdown file with cmark-gfm (GitHub's CommonMark renderer, in its default safe mode,
with the table, strikethrough, tasklist and autolink extensions) and prints what it produced.

usage: markdown_read.py FILE.md

Output: {"headings": [{"level", "text"}], "raw_html_omitted": n, "tags": {tag: count},
"text": the visible text}. Exit 1 when cmark-gfm fails; exit 77 when it is not installed.
"""

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser


class Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings, self.tags, self.text, self.omitted = [], {}, [], 0
        self.heading = None

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = {"level": int(tag[1]), "text": ""}

    def handle_endtag(self, tag):
        if self.heading is not None and tag == f"h{self.heading['level']}":
            self.headings.append(self.heading)
            self.heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self.heading is not None:
            self.heading["text"] += data

    def handle_comment(self, data):
        if "raw HTML omitted" in data:
            self.omitted += 1


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: markdown_read.py FILE.md")
    if shutil.which("cmark-gfm") is None:
        print("markdown_read: cmark-gfm is not installed", file=sys.stderr)
        sys.exit(77)
    run = subprocess.run(
        ["cmark-gfm", "-e", "table", "-e", "strikethrough", "-e", "tasklist", "-e", "autolink",
         sys.argv[1]],
        capture_output=True, text=True, timeout=60,
    )
    if run.returncode != 0:
        sys.exit(f"markdown_read: cmark-gfm failed: {run.stderr.strip()}")
    reader = Reader()
    reader.feed(run.stdout)
    reader.close()
    json.dump({"headings": reader.headings, "raw_html_omitted": reader.omitted,
               "tags": reader.tags, "text": "".join(reader.text)},
              sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
