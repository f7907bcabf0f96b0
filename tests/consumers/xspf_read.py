#!/usr/bin/python3
"""Reads an XSPF playlist the way real consumers do, and prints what they saw as JSON.

usage: xspf_read.py PLAYLIST.xspf

1. Python's XML parser (expat) must accept the file: it is well-formed XML.
2. The document must have the structure of XSPF version 1 (https://xspf.org/spec), checked here
   from the spec: root `playlist` in the namespace http://xspf.org/ns/0/ with version="1", exactly
   one trackList, the allowed children of playlist and track with their cardinalities, URIs where
   the spec wants URIs, duration a non-negative integer, trackNum a positive integer, link and meta
   with a rel attribute, extension with an application attribute. The spec lets children come in
   any order (XSPF v1 errata), so order is not checked.
3. GNOME's totem-pl-parser (the playlist parser of Totem, Rhythmbox and others) reads it; the
   entries it reports are printed with the file path each URI resolves to.

Output: {"playlist": {...as parsed in step 2...}, "totem": {"result", "title", "entries"}}.
Exit 1 with the problems on stderr when the file is not valid XSPF or totem-pl-parser fails; exit 77
when totem-pl-parser or its Python bindings are not installed.
"""

import json
import re
import sys
import xml.etree.ElementTree as ET

NS = "http://xspf.org/ns/0/"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# name -> (min, max, kind); max None means unbounded. Kinds: text, uri, date, int0 (non-negative
# integer), int1 (positive integer), link, meta, extension, attribution, trackList.
PLAYLIST = {
    "title": (0, 1, "text"),
    "creator": (0, 1, "text"),
    "annotation": (0, 1, "text"),
    "info": (0, 1, "uri"),
    "location": (0, 1, "uri"),
    "identifier": (0, 1, "uri"),
    "image": (0, 1, "uri"),
    "date": (0, 1, "date"),
    "license": (0, 1, "uri"),
    "attribution": (0, 1, "attribution"),
    "link": (0, None, "link"),
    "meta": (0, None, "meta"),
    "extension": (0, None, "extension"),
    "trackList": (1, 1, "trackList"),
}
TRACK = {
    "location": (0, None, "uri"),
    "identifier": (0, None, "uri"),
    "title": (0, 1, "text"),
    "creator": (0, 1, "text"),
    "annotation": (0, 1, "text"),
    "info": (0, 1, "uri"),
    "image": (0, 1, "uri"),
    "album": (0, 1, "text"),
    "trackNum": (0, 1, "int1"),
    "duration": (0, 1, "int0"),
    "link": (0, None, "link"),
    "meta": (0, None, "meta"),
    "extension": (0, None, "extension"),
}

# RFC 3986 URI-reference: only these characters, `%` only before two hex digits, and a colon in
# the first segment only as the end of a scheme.
URI_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
DATE_TIME = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"
)


class Checker:
    def __init__(self):
        self.errors = []

    def error(self, where, message):
        self.errors.append(f"{where}: {message}")

    def local(self, el, where):
        """The element's name within the XSPF namespace, or None (after an error) outside it."""
        if not el.tag.startswith("{" + NS + "}"):
            self.error(where, f"element {el.tag} is not in the XSPF namespace {NS}")
            return None
        return el.tag[len(NS) + 2 :]

    def no_attributes(self, el, where, allowed=()):
        for name in el.attrib:
            if name.startswith("{" + XML_NS + "}") or name in allowed:
                continue
            self.error(where, f"attribute {name!r} is not allowed")

    def text_only(self, el, where):
        if len(el):
            self.error(where, "must hold text only, not elements")
        return el.text or ""

    def uri(self, value, where):
        v = value.strip()
        if not URI_CHARS.match(v):
            bad = sorted({c for c in v if not URI_CHARS.match(c)})
            self.error(where, f"{v!r} is not a URI: characters {bad} must be percent-encoded")
        elif BAD_PERCENT.search(v):
            self.error(where, f"{v!r} is not a URI: '%' must start a percent-encoded byte")
        elif ":" in v.split("/", 1)[0] and not SCHEME.match(v):
            self.error(where, f"{v!r} is not a URI: invalid scheme")
        return v

    def integer(self, value, where, minimum):
        v = value.strip()
        if not re.fullmatch(r"\+?\d+", v) or int(v) < minimum:
            kind = "a positive" if minimum > 0 else "a non-negative"
            self.error(where, f"{value!r} is not {kind} integer")
            return None
        return int(v)

    def children(self, parent, rules, where):
        """Checks the children of `parent` against `rules`; returns {name: [values]}."""
        found = {}
        for el in parent:
            if not isinstance(el.tag, str):
                continue  # comments and processing instructions
            name = self.local(el, f"{where}/{el.tag}")
            if name is None:
                continue
            here = f"{where}/{name}[{len(found.get(name, [])) + 1}]"
            if name not in rules:
                self.error(here, f"<{name}> is not allowed here")
                continue
            kind = rules[name][2]
            found.setdefault(name, []).append(self.value(el, kind, here))
        for name, (least, most, _) in rules.items():
            n = len(found.get(name, []))
            if n < least or (most is not None and n > most):
                allowed = f"exactly {least}" if least == most else f"at most {most}"
                self.error(where, f"<{name}> occurs {n} times, {allowed} allowed")
        return found

    def value(self, el, kind, where):
        if kind == "extension":
            self.no_attributes(el, where, ("application",))
            if "application" not in el.attrib:
                self.error(where, "extension needs an application attribute")
                return None
            return {"application": self.uri(el.attrib["application"], where + "@application")}
        if kind in ("link", "meta"):
            self.no_attributes(el, where, ("rel",))
            if "rel" not in el.attrib:
                self.error(where, f"{kind} needs a rel attribute")
            rel = self.uri(el.attrib.get("rel", ""), where + "@rel")
            text = self.text_only(el, where)
            return {"rel": rel, "content": self.uri(text, where) if kind == "link" else text}
        if kind == "attribution":
            self.no_attributes(el, where)
            out = []
            for child in el:
                name = self.local(child, f"{where}/{child.tag}")
                if name not in (None, "location", "identifier"):
                    self.error(f"{where}/{name}", "attribution holds location and identifier only")
                elif name:
                    self.no_attributes(child, f"{where}/{name}")
                    out.append({name: self.uri(self.text_only(child, where), f"{where}/{name}")})
            return out
        if kind == "trackList":
            self.no_attributes(el, where)
            tracks = []
            for i, child in enumerate(el):
                here = f"{where}/track[{i + 1}]"
                if self.local(child, here) != "track":
                    self.error(here, "trackList holds track elements only")
                    continue
                self.no_attributes(child, here)
                tracks.append(self.children(child, TRACK, here))
            return tracks
        self.no_attributes(el, where)
        text = self.text_only(el, where)
        if kind == "uri":
            return self.uri(text, where)
        if kind == "int0":
            return self.integer(text, where, 0)
        if kind == "int1":
            return self.integer(text, where, 1)
        if kind == "date" and not DATE_TIME.match(text.strip()):
            self.error(where, f"{text!r} is not an XML Schema dateTime")
        return text


def flatten(found, rules):
    """Single-valued elements as values, repeatable ones as lists."""
    out = {}
    for name, values in found.items():
        out[name] = values if rules[name][1] is None else values[0]
    return out


def check_structure(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        sys.exit(f"xspf_read: {path} is not well-formed XML: {e}")
    c = Checker()
    if root.tag != "{" + NS + "}playlist":
        sys.exit(f"xspf_read: the root element is {root.tag}, not playlist in {NS}")
    c.no_attributes(root, "/playlist", ("version",))
    if root.attrib.get("version") != "1":
        c.error("/playlist", f"version is {root.attrib.get('version')!r}, not \"1\"")
    found = c.children(root, PLAYLIST, "/playlist")
    if c.errors:
        sys.exit("xspf_read: not valid XSPF version 1:\n  " + "\n  ".join(c.errors))
    playlist = flatten(found, PLAYLIST)
    playlist["trackList"] = [flatten(t, TRACK) for t in playlist["trackList"]]
    return playlist


def read_with_totem(path):
    try:
        import gi

        gi.require_version("TotemPlParser", "1.0")
        from gi.repository import Gio, TotemPlParser
    except (ImportError, ValueError) as e:
        print(f"xspf_read: totem-pl-parser is not available ({e}); "
              "install gir1.2-totemplparser-1.0 and python3-gi", file=sys.stderr)
        sys.exit(77)
    parser = TotemPlParser.Parser()
    seen = {"title": None, "entries": []}

    def started(_parser, _uri, metadata):
        seen["title"] = metadata.get("title")

    def parsed(_parser, uri, metadata):
        entry = {key: metadata[key] for key in metadata.keys()}
        entry["uri"] = uri
        entry["path"] = Gio.File.new_for_uri(uri).get_path()
        seen["entries"].append(entry)

    parser.connect("playlist-started", started)
    parser.connect("entry-parsed", parsed)
    result = parser.parse(Gio.File.new_for_path(path).get_uri(), False)
    seen["result"] = result.value_nick
    if result != TotemPlParser.ParserResult.SUCCESS:
        sys.exit(f"xspf_read: totem-pl-parser could not read {path}: {result.value_nick}")
    return seen


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: xspf_read.py PLAYLIST.xspf")
    playlist = check_structure(sys.argv[1])
    totem = read_with_totem(sys.argv[1])
    json.dump({"playlist": playlist, "totem": totem}, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
