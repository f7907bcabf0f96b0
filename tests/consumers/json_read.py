#!/usr/bin/python3
"""Reads a JSON file with Python's json module, strictly, and prints the value it read.

usage: json_read.py FILE.json

Strict: the file must be UTF-8 without a byte order mark, hold one value, no NaN or Infinity, and
no object with a repeated key (Python would silently keep the last one).
Output: the value, re-serialized. Exit 1 when the file is not strict JSON.
"""

import json
import sys


def no_repeats(pairs):
    keys = [k for k, _ in pairs]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ValueError(f"repeated keys {repeated}")
    return dict(pairs)


def no_constants(name):
    raise ValueError(f"{name} is not JSON")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: json_read.py FILE.json")
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    try:
        value = json.loads(raw.decode("utf-8"), object_pairs_hook=no_repeats,
                           parse_constant=no_constants)
    except (UnicodeDecodeError, ValueError) as e:
        sys.exit(f"json_read: {sys.argv[1]} is not strict JSON: {e}")
    json.dump(value, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
