//! HTML export: one printable, self-contained HTML5 page per list.
//!
//! The page loads nothing: no fonts, scripts, stylesheets or links to fetch. Its Content Security
//! Policy (`default-src 'none'; img-src data:; style-src 'unsafe-inline'`) makes that a rule the
//! browser enforces, and cover thumbnails are inlined as base64 `data:` URIs. The inline stylesheet
//! sets a record-shop list on screen and has a `@media print` part (black on white, margins that
//! suit A4 and Letter, no page break inside an entry).
//!
//! Escaping: notes are Markdown and go through the app's one sanitizing renderer
//! ([`crate::annotate::markdown::render`]); every other piece of user text is HTML-escaped. A
//! cover whose MIME type is not a known raster image is left out, so nothing but an image can
//! land in a `data:` URI.
//!
//! Ranks follow [`ExportList::ranking`] and the entry order (a countdown for `Descending`), so the
//! numbers always match what the page shows; [`ExportEntry::rank`] is not read.
//!
//! Output is deterministic: [`write`] has no date in its footer, [`write_dated`] takes the date
//! from the caller. Pure, no I/O; safe from any thread.

use std::fmt::Write as _;

use super::{format_duration, EntryKind, ExportEntry, ExportList, Ranking};
use crate::annotate::markdown;

/// Cover types browsers show in `<img>`; anything else (SVG, HTML, …) is dropped.
const IMAGE_TYPES: [&str; 6] = [
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/bmp",
    "image/avif",
];

/// The page's Content Security Policy: nothing may load but inline styles and `data:` images.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/// Writes the list as a self-contained HTML page whose footer reads "Exported from Cuebook".
pub fn write(list: &ExportList) -> String {
    page(list, None)
}

/// Like [`write`], with "Exported from Cuebook on `date`" in the footer; `date` is shown as given
/// (escaped), so the caller picks its format.
pub fn write_dated(list: &ExportList, date: &str) -> String {
    page(list, Some(date))
}

fn page(list: &ExportList, date: Option<&str>) -> String {
    let mut out = String::with_capacity(16 * 1024 + list.entries.len() * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">"
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"Cuebook\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(&list.title));
    out.push_str("<style>");
    out.push_str(STYLE);
    out.push_str(
        "</style>\n</head>\n<body>\n<main class=\"sheet\">\n<header class=\"list-head\">\n",
    );
    let _ = writeln!(out, "<h1>{}</h1>", escape(&list.title));
    let _ = writeln!(out, "<p class=\"list-meta\">{}</p>", summary(list));
    if let Some(note) = list.note.as_deref().filter(|n| !n.trim().is_empty()) {
        let _ = writeln!(out, "<div class=\"note\">{}</div>", markdown::render(note));
    }
    out.push_str("</header>\n");

    let ranked = list.ranking != Ranking::None;
    let _ = writeln!(
        out,
        "<ol class=\"entries{}\"{}>",
        if ranked { "" } else { " unranked" },
        if list.ranking == Ranking::Descending {
            " reversed"
        } else {
            ""
        }
    );
    let len = list.entries.len();
    for (i, entry) in list.entries.iter().enumerate() {
        push_entry(&mut out, entry, list.ranking.rank(i, len));
    }
    out.push_str("</ol>\n");

    out.push_str("<footer class=\"list-foot\">Exported from Cuebook");
    if let Some(date) = date {
        let _ = write!(out, " on {}", escape(date));
    }
    out.push_str("</footer>\n</main>\n</body>\n</html>\n");
    out
}

/// "12 entries · 3 on the wishlist · countdown"
fn summary(list: &ExportList) -> String {
    let len = list.entries.len();
    let mut parts = vec![format!(
        "{len} {}",
        if len == 1 { "entry" } else { "entries" }
    )];
    let wished = list
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Placeholder)
        .count();
    if wished > 0 {
        parts.push(format!("{wished} on the wishlist"));
    }
    match list.ranking {
        Ranking::Descending => parts.push("countdown".to_owned()),
        Ranking::Ascending => parts.push("ranked".to_owned()),
        Ranking::None => {}
    }
    parts.join(" · ")
}

fn push_entry(out: &mut String, e: &ExportEntry, rank: Option<u32>) {
    let wishlist = e.kind == EntryKind::Placeholder;
    let _ = write!(
        out,
        "<li class=\"entry {}{}\"",
        e.kind.as_str(),
        if wishlist { " wishlist" } else { "" }
    );
    if let Some(rank) = rank {
        let _ = write!(out, " value=\"{rank}\"");
    }
    out.push_str(">\n");
    if let Some(rank) = rank {
        let _ = writeln!(out, "<div class=\"rank\">{rank}</div>");
    }
    push_cover(out, e);

    // The title has a span of its own, so that readers (and tests) get it without the badge.
    let _ = write!(
        out,
        "<div class=\"body\">\n<h2 class=\"title\"><span class=\"name\">{}</span>",
        escape(&e.title)
    );
    if wishlist {
        out.push_str(" <span class=\"badge\" title=\"Not in the collection\">Wishlist</span>");
    }
    out.push_str("</h2>\n");

    let mut facts = Vec::new();
    if let Some(artist) = e.artist.as_deref().filter(|a| !a.is_empty()) {
        facts.push(format!("<span class=\"artist\">{}</span>", escape(artist)));
    }
    if let Some(year) = e.year {
        facts.push(format!("<span class=\"year\">{year}</span>"));
    }
    if let Some(album) = e.album.as_deref().filter(|a| !a.is_empty()) {
        if e.kind != EntryKind::Album || album != e.title {
            facts.push(format!(
                "<span class=\"album\">from <cite>{}</cite></span>",
                escape(album)
            ));
        }
    }
    if e.kind == EntryKind::Album && !e.tracks.is_empty() {
        let n = e.tracks.len();
        facts.push(format!(
            "<span class=\"count\">{n} {}</span>",
            if n == 1 { "track" } else { "tracks" }
        ));
    }
    if let Some(ms) = e.duration_ms {
        facts.push(format!(
            "<span class=\"duration\">{}</span>",
            format_duration(ms)
        ));
    }
    if wishlist {
        facts.push("<span class=\"missing\">not owned</span>".to_owned());
    }
    if !facts.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"facts\">{}</p>",
            facts.join("<span class=\"sep\"> · </span>")
        );
    }

    if let Some(rating) = e.rating {
        let filled = usize::from(rating.min(5));
        let _ = writeln!(
            out,
            "<p class=\"rating\" title=\"{filled} out of 5\"><span class=\"on\">{}</span>\
             <span class=\"off\">{}</span></p>",
            "★".repeat(filled),
            "☆".repeat(5 - filled)
        );
    }
    let tags: Vec<&str> = e
        .tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    if !tags.is_empty() {
        out.push_str("<ul class=\"tags\">");
        for tag in tags {
            let _ = write!(out, "<li>{}</li>", escape(tag));
        }
        out.push_str("</ul>\n");
    }
    if let Some(note) = e.note.as_deref().filter(|n| !n.trim().is_empty()) {
        let _ = writeln!(out, "<div class=\"note\">{}</div>", markdown::render(note));
    }
    out.push_str("</div>\n</li>\n");
}

fn push_cover(out: &mut String, e: &ExportEntry) {
    let cover = e.cover.as_ref().filter(|c| {
        !c.bytes.is_empty()
            && IMAGE_TYPES
                .iter()
                .any(|t| c.mime.trim().eq_ignore_ascii_case(t))
    });
    match cover {
        Some(c) => {
            let _ = writeln!(
                out,
                "<img class=\"cover\" width=\"96\" height=\"96\" alt=\"Cover of {}\" src=\"data:{};base64,{}\">",
                escape(&e.title),
                c.mime.trim().to_ascii_lowercase(),
                base64(&c.bytes)
            );
        }
        None => out.push_str("<div class=\"cover blank\" aria-hidden=\"true\"></div>\n"),
    }
}

/// Escapes text for element content and quoted attribute values, and drops the control
/// characters HTML does not allow (keeping TAB, LF and CR, which are whitespace).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Standard base64 (RFC 4648) with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Screen first, then print. Only local font families: the page must not fetch any.
const STYLE: &str = r#"
:root {
  --ink: #1d1b18; --muted: #6b645a; --faint: #a39b8f; --rule: #e3ddd2;
  --paper: #fbf9f5; --card: #ffffff; --accent: #9c3d25; --pill: #f1ece3;
  --serif: "Iowan Old Style", "Palatino Linotype", Palatino, "Book Antiqua", Georgia, "Noto Serif", "Noto Serif CJK JP", serif;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK JP", "Helvetica Neue", Arial, sans-serif;
}
* { box-sizing: border-box; }
html { background: var(--paper); color: var(--ink); }
body { margin: 0; font: 16px/1.5 var(--serif); -webkit-font-smoothing: antialiased; }
.sheet { max-width: 50rem; margin: 0 auto; padding: 3rem 1.5rem 2rem; }
.list-head { border-bottom: 3px double var(--ink); padding-bottom: 1.25rem; margin-bottom: 0.5rem; }
h1 { font-size: 2.4rem; line-height: 1.15; margin: 0; font-weight: 600; letter-spacing: -0.01em; overflow-wrap: anywhere; }
.list-meta { font: 600 0.72rem/1.4 var(--sans); letter-spacing: 0.12em; text-transform: uppercase; color: var(--muted); margin: 0.6rem 0 0; }
.note { overflow-wrap: anywhere; }
.list-head .note { font-size: 1.05rem; color: #3a362f; margin-top: 0.9rem; }
.note > :first-child { margin-top: 0; }
.note > :last-child { margin-bottom: 0; }
.note p, .note ul, .note ol, .note blockquote, .note pre, .note table { margin: 0.45em 0; }
.note ul, .note ol { padding-left: 1.3em; }
.note blockquote { border-left: 3px solid var(--rule); padding-left: 0.8em; color: var(--muted); font-style: italic; }
.note code { font: 0.88em ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; background: var(--pill); padding: 0.05em 0.3em; border-radius: 3px; }
.note pre { background: var(--pill); padding: 0.6em 0.8em; border-radius: 4px; overflow-x: auto; }
.note pre code { background: none; padding: 0; }
.note table { border-collapse: collapse; font: 0.88rem/1.4 var(--sans); }
.note th, .note td { border-bottom: 1px solid var(--rule); padding: 0.2em 0.7em 0.2em 0; text-align: left; }
.note .align-center { text-align: center; }
.note .align-right { text-align: right; }
.note .image-alt { font-style: italic; color: var(--muted); }
.note a { color: var(--accent); }
.note h1, .note h2, .note h3, .note h4, .note h5, .note h6 { font-size: 1em; margin: 0.6em 0 0.2em; }
.entries { list-style: none; margin: 0; padding: 0; }
.entry { display: grid; grid-template-columns: 3.2rem 96px minmax(0, 1fr); column-gap: 1.1rem; align-items: start;
  padding: 1.15rem 0; border-bottom: 1px solid var(--rule); break-inside: avoid; page-break-inside: avoid; }
.unranked .entry { grid-template-columns: 96px minmax(0, 1fr); }
.rank { font: 600 2rem/1 var(--serif); color: var(--accent); text-align: right; font-variant-numeric: oldstyle-nums; padding-top: 0.15rem; }
.cover { display: block; width: 96px; height: 96px; object-fit: cover; border-radius: 3px; background: var(--pill);
  box-shadow: 0 1px 2px rgba(0, 0, 0, 0.12), 0 3px 10px rgba(0, 0, 0, 0.08); }
.cover.blank { border: 1px solid var(--rule); box-shadow: none;
  background: linear-gradient(135deg, #f6f2ea 0%, #ebe5da 100%); }
.wishlist .cover.blank { border: 1px dashed var(--faint); background: transparent; }
.body { min-width: 0; }
.title { font-size: 1.3rem; line-height: 1.25; margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.badge { display: inline-block; vertical-align: 0.2em; margin-left: 0.4rem; padding: 0.1rem 0.45rem; border: 1px solid var(--accent);
  border-radius: 3px; color: var(--accent); font: 700 0.62rem/1.3 var(--sans); letter-spacing: 0.1em; text-transform: uppercase; }
.facts { margin: 0.25rem 0 0; font: 0.9rem/1.45 var(--sans); color: var(--muted); overflow-wrap: anywhere; }
.facts .artist { color: var(--ink); font-weight: 500; }
.facts cite { font-style: italic; }
.facts .sep { color: var(--faint); }
.facts .missing { font-style: italic; }
.rating { margin: 0.3rem 0 0; font-size: 1rem; letter-spacing: 0.12em; line-height: 1; }
.rating .on { color: var(--accent); }
.rating .off { color: var(--faint); }
.tags { list-style: none; margin: 0.5rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3rem; }
.tags li { font: 500 0.72rem/1.2 var(--sans); padding: 0.2rem 0.55rem; border-radius: 999px; background: var(--pill); color: #4a453d; overflow-wrap: anywhere; }
.entry > .body > .note { margin-top: 0.55rem; font-size: 0.98rem; }
.list-foot { margin-top: 2rem; font: 0.75rem/1.4 var(--sans); color: var(--faint); text-align: center; }
@media (max-width: 34rem) {
  .entry { grid-template-columns: 2.2rem 64px minmax(0, 1fr); column-gap: 0.8rem; }
  .unranked .entry { grid-template-columns: 64px minmax(0, 1fr); }
  .cover { width: 64px; height: 64px; }
  .rank { font-size: 1.5rem; }
}
@media print {
  @page { margin: 16mm 15mm; }
  :root { --ink: #000; --muted: #333; --faint: #777; --rule: #bbb; --accent: #000; --pill: #fff; }
  html, body { background: #fff; color: #000; }
  body { font-size: 10.5pt; }
  .sheet { max-width: none; padding: 0; }
  h1 { font-size: 22pt; }
  .entry { padding: 0.7rem 0; grid-template-columns: 2.4rem 72px minmax(0, 1fr); }
  .unranked .entry { grid-template-columns: 72px minmax(0, 1fr); }
  .cover { width: 72px; height: 72px; box-shadow: none; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .cover.blank { background: #fff; border: 1px solid #999; }
  .wishlist .cover.blank { border-style: dashed; }
  .tags li { border: 1px solid #999; }
  .note a { color: #000; text-decoration: underline; }
  .note pre, .note code { background: #fff; border: 1px solid #ccc; }
  .list-head, h2, .title { break-after: avoid; page-break-after: avoid; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::{entry, list};
    use crate::export::{Cover, ExportTrack};

    /// The tags of `html` as (name, attributes) with quoted values, in order. Text never holds a
    /// bare `<`: the writer and the sanitizer escape it, so every `<` opens a tag.
    fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut out = Vec::new();
        let mut rest = html;
        while let Some(start) = rest.find('<') {
            rest = &rest[start + 1..];
            let end = find_tag_end(rest);
            let inner = &rest[..end];
            rest = &rest[end + 1..];
            if inner.starts_with('!') || inner.starts_with('/') {
                continue;
            }
            let (name, mut attrs_src) = inner
                .split_once(|c: char| c.is_whitespace())
                .unwrap_or((inner, ""));
            let mut attrs = Vec::new();
            loop {
                attrs_src = attrs_src.trim_start();
                if attrs_src.is_empty() || attrs_src == "/" {
                    break;
                }
                let name_end = attrs_src
                    .find(|c: char| c == '=' || c.is_whitespace())
                    .unwrap_or(attrs_src.len());
                let attr = attrs_src[..name_end].to_ascii_lowercase();
                attrs_src = &attrs_src[name_end..];
                let value = if let Some(v) = attrs_src.strip_prefix("=\"") {
                    let close = v.find('"').expect("attribute values are double-quoted");
                    attrs_src = &v[close + 1..];
                    v[..close].to_owned()
                } else {
                    assert!(
                        !attrs_src.starts_with('='),
                        "unquoted attribute value in <{inner}>"
                    );
                    String::new()
                };
                attrs.push((attr, value));
            }
            out.push((name.to_ascii_lowercase(), attrs));
        }
        out
    }

    /// The index of the `>` closing a tag, skipping quoted attribute values.
    fn find_tag_end(s: &str) -> usize {
        let mut quoted = false;
        for (i, c) in s.char_indices() {
            match c {
                '"' => quoted = !quoted,
                '>' if !quoted => return i,
                _ => {}
            }
        }
        panic!("unclosed tag: {s:?}");
    }

    /// Everything the page could act on is on an allow-list: elements, attributes, URLs.
    #[track_caller]
    fn assert_inert(html: &str) {
        let allowed_tags = [
            "html",
            "head",
            "meta",
            "title",
            "style",
            "body",
            "main",
            "header",
            "footer",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "p",
            "div",
            "span",
            "ol",
            "ul",
            "li",
            "img",
            "cite",
            "em",
            "strong",
            "del",
            "code",
            "pre",
            "blockquote",
            "a",
            "br",
            "hr",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "input",
        ];
        for (name, attrs) in tags(html) {
            assert!(
                allowed_tags.contains(&name.as_str()),
                "<{name}> is not expected in the page"
            );
            for (attr, value) in attrs {
                assert!(
                    !attr.starts_with("on") && attr != "style" && attr != "srcset",
                    "<{name} {attr}> would be live"
                );
                if attr == "src" {
                    assert!(
                        name == "img" && value.starts_with("data:image/"),
                        "only inline images may have a source: <{name} src={value:.40}>"
                    );
                }
                if attr == "href" {
                    assert!(
                        name == "a"
                            && (value.starts_with("https://")
                                || value.starts_with("http://")
                                || value.starts_with("mailto:")),
                        "links only to the web or mail: <{name} href={value}>"
                    );
                }
            }
        }
        let lower = html.to_ascii_lowercase();
        for needle in [
            "<script", "<link", "<iframe", "<object", "<base", "url(", "@import",
        ] {
            assert!(!lower.contains(needle), "{needle} would load something");
        }
    }

    fn cover() -> Cover {
        // The smallest valid PNG: one transparent pixel.
        Cover {
            mime: "image/png".to_owned(),
            bytes: vec![
                0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44,
                0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0a,
                0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d,
                0xb4, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
            ],
        }
    }

    fn ranks(html: &str) -> Vec<String> {
        html.split("<div class=\"rank\">")
            .skip(1)
            .map(|s| s[..s.find('<').unwrap()].to_owned())
            .collect()
    }

    #[test]
    fn hostile_titles_and_notes_stay_text() {
        let hostile = "</script><script>alert(1)</script>\"onerror=alert(1) x='y' <img src=x onerror=alert(2)>";
        let mut e = entry(EntryKind::Track, hostile);
        e.artist = Some(hostile.to_owned());
        e.album = Some(hostile.to_owned());
        e.tags = vec![hostile.to_owned()];
        e.cover = Some(cover());
        e.note = Some(format!(
            "Click [here](javascript:alert(3)) or [there](JAVASCRIPT:alert(4)).\n\n{hostile}\n\n\
             <a href=\"javascript:alert(5)\">raw</a> ![pic](https://evil.example/x.png)"
        ));
        let mut l = list(vec![e]);
        l.title = hostile.to_owned();
        l.note = Some(hostile.to_owned());
        let html = write_dated(&l, "<b>today</b>");
        assert_inert(&html);
        assert!(
            html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;onerror=alert(1) x=&#39;y&#39;"),
            "the hostile title is shown as the text it is: {html}"
        );
        assert!(
            html.contains("<span class=\"image-alt\">pic</span>"),
            "a Markdown image in a note becomes its alt text, never a fetch"
        );
        assert_eq!(
            html.matches("javascript:").count(),
            1,
            "javascript: is left only in the raw HTML the note shows as text: {html}"
        );
        assert!(
            html.contains("&lt;a href=\"javascript:alert(5)\"&gt;raw&lt;/a&gt;"),
            "raw HTML in a note is shown, not run"
        );
        assert!(
            html.contains("Click here or there."),
            "a javascript: link keeps its words but loses its target"
        );
        assert!(
            html.contains("Exported from Cuebook on &lt;b&gt;today&lt;/b&gt;</footer>"),
            "the date is text too"
        );
    }

    #[test]
    fn nothing_is_loaded_but_inline_images() {
        let mut with_cover = entry(EntryKind::Album, "Spirited Away");
        with_cover.cover = Some(cover());
        let mut svg = entry(EntryKind::Album, "Vector");
        svg.cover = Some(Cover {
            mime: "image/svg+xml".to_owned(),
            bytes: b"<svg onload=alert(1)/>".to_vec(),
        });
        let mut odd = entry(EntryKind::Album, "Odd");
        odd.cover = Some(Cover {
            mime: "text/html\"><script>".to_owned(),
            bytes: b"x".to_vec(),
        });
        let mut linked = entry(EntryKind::Track, "Linked");
        linked.note = Some("See [the label](https://label.example/x).".to_owned());
        let html = write(&list(vec![with_cover, svg, odd, linked]));
        assert_inert(&html);
        assert!(
            html.contains(&format!(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">"
            )),
            "the browser must enforce that nothing loads"
        );
        assert!(
            html.contains("<meta charset=\"utf-8\">"),
            "the page declares its encoding"
        );
        let sources: Vec<String> = tags(&html)
            .into_iter()
            .flat_map(|(_, attrs)| attrs)
            .filter(|(a, _)| a == "src")
            .map(|(_, v)| v)
            .collect();
        assert_eq!(
            sources.len(),
            1,
            "only the PNG cover is inlined; SVG and unknown types are dropped"
        );
        assert!(
            sources[0].starts_with("data:image/png;base64,iVBORw0KGgo"),
            "a PNG data URI"
        );
        assert_eq!(
            html.matches("class=\"cover blank\"").count(),
            3,
            "entries without a usable cover get a blank square"
        );
        let outside_links = html.replace("href=\"https://label.example/x\"", "");
        assert!(
            !outside_links.contains("http://") && !outside_links.contains("https://"),
            "no web address but the note's own link (a link loads nothing until followed)"
        );
        assert!(
            html.ends_with("Exported from Cuebook</footer>\n</main>\n</body>\n</html>\n"),
            "without a date the page is deterministic"
        );
    }

    #[test]
    fn ranks_follow_the_ranking_in_both_directions() {
        let entries: Vec<_> = ["A", "B", "C"]
            .iter()
            .map(|t| entry(EntryKind::Album, t))
            .collect();
        let mut l = list(entries);
        l.ranking = Ranking::Ascending;
        let html = write(&l);
        assert_eq!(ranks(&html), ["1", "2", "3"], "counted from the top");
        assert!(html.contains("<ol class=\"entries\">"));
        l.ranking = Ranking::Descending;
        let html = write(&l);
        assert_eq!(ranks(&html), ["3", "2", "1"], "a countdown ends at 1");
        assert!(
            html.contains("<ol class=\"entries\" reversed>")
                && html.contains("<li class=\"entry album\" value=\"3\">"),
            "the list's own numbering agrees, for readers that ignore the stylesheet"
        );
        assert!(html.contains("countdown"), "the header says it counts down");
        l.ranking = Ranking::None;
        l.entries[0].rank = Some(7);
        let html = write(&l);
        assert!(
            ranks(&html).is_empty() && html.contains("entries unranked"),
            "an unranked list shows no numbers, whatever the entries hold"
        );
    }

    #[test]
    fn placeholders_are_marked_as_wishlist() {
        let mut wish = entry(EntryKind::Placeholder, "Dune");
        wish.artist = Some("Hans Zimmer".to_owned());
        let mut owned = entry(EntryKind::Track, "Time");
        owned.tracks = vec![ExportTrack {
            title: "Time".to_owned(),
            artist: None,
            album: None,
            duration_ms: Some(275_000),
            path: "/m/time.flac".into(),
        }];
        let html = write(&list(vec![wish, owned]));
        assert!(
            html.contains("<li class=\"entry placeholder wishlist\">"),
            "the entry is styled as a wishlist item"
        );
        assert!(
            html.contains(
                "Dune</span> <span class=\"badge\" title=\"Not in the collection\">Wishlist</span>"
            ),
            "and says so in words"
        );
        assert!(html.contains("not owned"), "the facts line repeats it");
        assert_eq!(
            html.matches("Wishlist</span>").count(),
            1,
            "owned entries carry no wishlist badge"
        );
        assert!(
            html.contains("2 entries · 1 on the wishlist"),
            "the header counts wishlist items"
        );
    }

    #[test]
    fn details_render_as_stars_pills_and_markdown() {
        let mut e = entry(EntryKind::Album, "千と千尋の神隠し");
        e.artist = Some("Joe Hisaishi".to_owned());
        e.year = Some(2001);
        e.rating = Some(9);
        e.tags = vec!["score".to_owned(), " ".to_owned(), "ghibli".to_owned()];
        e.note = Some("First line\n\n- *soft* piano\n- strings".to_owned());
        e.duration_ms = Some(3_725_000);
        let html = write(&list(vec![e]));
        assert!(
            html.contains("<h2 class=\"title\"><span class=\"name\">千と千尋の神隠し</span></h2>"),
            "Unicode is written as is"
        );
        assert!(html.contains("<span class=\"year\">2001</span>"));
        assert!(html.contains("<span class=\"duration\">1:02:05</span>"));
        assert!(
            html.contains("<span class=\"on\">★★★★★</span><span class=\"off\"></span>"),
            "ratings above five show five stars"
        );
        assert!(
            html.contains("<ul class=\"tags\"><li>score</li><li>ghibli</li></ul>"),
            "tags are pills, blank ones left out"
        );
        assert!(
            html.contains("<li><em>soft</em> piano</li>"),
            "notes are Markdown"
        );
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected, "RFC 4648 section 10");
        }
        assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79", "the last two letters");
    }
}
