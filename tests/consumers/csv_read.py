#!/usr/bin/python3
"""Reads CSV files with Python's csv module and with LibreOffice Calc, and prints what both saw.

usage: csv_read.py FILE.csv [FILE.csv ...]

Python: csv.reader (the "excel" dialect, strict) over the file decoded as UTF-8, a byte order
mark skipped.
LibreOffice: one headless soffice converts every file to Office Open XML (.xlsx) with the CSV
import filter set to comma, double quote, UTF-8 (`CSV:44,34,76,1`, everything else as a user
opening the file gets it, including formula evaluation). The script then reads the sheet: a cell
with an <f> element was evaluated as a formula, which must never happen. (XLSX rather than ODS:
LibreOffice 7.4's ODS export drops a tab that starts the second line of a cell, XLSX keeps the
cell text exactly.) A canary file with a raw `=1+1` cell is converted alongside to prove that this
LibreOffice does evaluate formulas on import, so the check has teeth.

Output: {"files": [{"path", "bom", "python": [[cell, ...], ...], "libreoffice": [[cell text, ...]],
"libreoffice_types": [[type, ...]]}]}, a type being string, number, boolean, error or formula.
Empty cells are "" with type "", trailing ones dropped.
Exit 1 when a file cannot be read or any cell became a formula; exit 77 when soffice is missing.
"""

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
import xml.etree.ElementTree as ET

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
TYPES = {"s": "string", "inlineStr": "string", "n": "number", "b": "boolean", "e": "error",
         "d": "date", "str": "formula"}
FILTER = "CSV:44,34,76,1"
CANARY = "canary,=1+1\r\n"


def read_python(path):
    with open(path, "rb") as f:
        bom = f.read(3) == b"\xef\xbb\xbf"
    with open(path, newline="", encoding="utf-8-sig") as f:
        try:
            return bom, [row for row in csv.reader(f, strict=True)]
        except csv.Error as e:
            sys.exit(f"csv_read: Python's csv module cannot read {path}: {e}")


def convert_all(paths, work):
    """Converts every file in one soffice run; returns the .xlsx paths in order."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("csv_read: soffice is not installed (libreoffice-calc-nogui)", file=sys.stderr)
        sys.exit(77)
    inputs = []
    for i, path in enumerate(paths):
        copy = os.path.join(work, f"in{i}.csv")
        shutil.copyfile(path, copy)
        inputs.append(copy)
    with open(os.path.join(work, "canary.csv"), "w", newline="", encoding="utf-8") as f:
        f.write(CANARY)
    inputs.append(os.path.join(work, "canary.csv"))
    out_dir = os.path.join(work, "xlsx")
    run = subprocess.run(
        [soffice, "-env:UserInstallation=file://" + os.path.join(work, "profile"),
         "--headless", "--norestore", "--nolockcheck", "--nodefault",
         "--infilter=" + FILTER, "--convert-to", "xlsx", "--outdir", out_dir, *inputs],
        capture_output=True, text=True, timeout=300,
    )
    outputs = [os.path.join(out_dir, os.path.basename(p)[:-4] + ".xlsx") for p in inputs]
    missing = [p for p in outputs if not os.path.isfile(p)]
    if missing:
        sys.exit(f"csv_read: LibreOffice did not convert {missing} (exit {run.returncode}): "
                 f"{run.stdout.strip()} {run.stderr.strip()}")
    return outputs


def string_text(si):
    """The text of a shared or inline string: its <t>, or the <t> of each rich-text run <r>
    (phonetic hints, <rPh>, are not cell text)."""
    parts = [el for el in si if el.tag in (MAIN + "t", MAIN + "r")]
    return "".join((el.text or "") if el.tag == MAIN + "t" else
                   "".join(t.text or "" for t in el.iter(MAIN + "t")) for el in parts)


def column_index(ref):
    n = 0
    for c in ref:
        if not c.isalpha():
            break
        n = n * 26 + ord(c.upper()) - ord("A") + 1
    return n - 1


def read_xlsx(path):
    """(texts, types, formulas) of the first sheet; formulas as (row, column, formula)."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        shared = []
        if "xl/sharedStrings.xml" in names:
            shared = [string_text(si) for si in
                      ET.fromstring(z.read("xl/sharedStrings.xml")).iter(MAIN + "si")]
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    texts, types, formulas = [], [], []
    for row in sheet.iter(MAIN + "row"):
        r = int(row.get("r", len(texts) + 1))
        while len(texts) < r:
            texts.append([])
            types.append([])
        for cell in row.iter(MAIN + "c"):
            c = column_index(cell.get("r", "")) if cell.get("r") else len(texts[r - 1])
            kind = cell.get("t", "n")
            value = cell.find(MAIN + "v")
            if cell.find(MAIN + "f") is not None:
                formulas.append((r, c + 1, cell.find(MAIN + "f").text))
                kind = "str"
            if kind == "s":
                text = shared[int(value.text)]
            elif kind == "inlineStr":
                text = string_text(cell.find(MAIN + "is"))
            else:
                text = value.text if value is not None and value.text is not None else ""
            while len(texts[r - 1]) < c:
                texts[r - 1].append("")
                types[r - 1].append("")
            texts[r - 1].append(text)
            types[r - 1].append(TYPES.get(kind, kind))
    return texts, types, formulas


def main():
    paths = sys.argv[1:]
    if not paths:
        sys.exit("usage: csv_read.py FILE.csv [FILE.csv ...]")
    files = []
    for path in paths:
        bom, rows = read_python(path)
        files.append({"path": path, "bom": bom, "python": rows})
    problems = []
    with tempfile.TemporaryDirectory(prefix="csv-read-") as work:
        outputs = convert_all(paths, work)
        _, _, canary = read_xlsx(outputs[-1])
        if not canary:
            sys.exit("csv_read: LibreOffice did not evaluate the canary =1+1, so this check "
                     "could not see formula injection; the CSV filter options are wrong")
        for entry, xlsx in zip(files, outputs):
            texts, types, formulas = read_xlsx(xlsx)
            entry["libreoffice"] = texts
            entry["libreoffice_types"] = types
            for r, c, f in formulas:
                problems.append(f"{entry['path']}: row {r}, column {c} became the formula {f}")
    json.dump({"files": files}, sys.stdout, ensure_ascii=False, indent=1)
    print()
    if problems:
        sys.exit("csv_read: LibreOffice evaluated cells as formulas:\n  " + "\n  ".join(problems))


if __name__ == "__main__":
    main()
