//! Markdown notes rendered to sanitized HTML, and to plain text for search.
//!
//! Owns the one way a collector's note (album, track or work; later articles and exports) becomes
//! markup. Notes are untrusted (pasted, imported, restored from someone else's backup) and the
//! HTML goes into the webview through `innerHTML`, so safety must not depend on callers. It rests
//! on two independent layers:
//!
//! 1. The Markdown event stream is rewritten before any HTML exists: raw HTML becomes escaped
//!    text, a link keeps its target only if [`is_allowed_link`] accepts it, an image becomes its
//!    alt text (nothing is ever fetched), and nesting deeper than `MAX_NESTING` is flattened.
//! 2. The HTML is then cleaned by an `ammonia` allow-list of exactly what layer 1 emits, so a gap
//!    in layer 1 (or a change in pulldown-cmark) still cannot produce a script, an event handler,
//!    a style, an id, an image or a link to another scheme.
//!
//! Both layers are linear in the note's size; [`MAX_NOTE_BYTES`] bounds it. Pure: no I/O and no
//! mutable global state, so every function may be called from any thread.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{html, Alignment, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

/// Size cap for a note, in bytes; callers refuse longer notes.
pub const MAX_NOTE_BYTES: usize = 1024 * 1024;

/// Deepest element nesting handed to HTML; deeper blocks and spans keep only their text. Real
/// notes never come close, and html5ever's cost per element grows with the open elements: 50,000
/// nested blockquotes take it about 10 s.
const MAX_NESTING: usize = 64;

const ALLOWED_SCHEMES: [&str; 3] = ["http", "https", "mailto"];
const IMAGE_ALT_OPEN: &str = r#"<span class="image-alt">"#;

/// The second layer: only the tags and attributes layer 1 emits.
static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let align = HashSet::from(["align-left", "align-center", "align-right"]);
    let mut builder = Builder::default();
    builder
        .tags(HashSet::from([
            "p",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "pre",
            "code",
            "ul",
            "ol",
            "li",
            "em",
            "strong",
            "del",
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
            "span",
        ]))
        .tag_attributes(HashMap::from([
            ("a", HashSet::from(["href", "title"])),
            ("ol", HashSet::from(["start"])),
            ("input", HashSet::from(["checked"])),
        ]))
        .generic_attributes(HashSet::new())
        .allowed_classes(HashMap::from([
            ("span", HashSet::from(["image-alt"])),
            ("th", align.clone()),
            ("td", align),
        ]))
        // Task-list markers are the only inputs; whatever else arrives becomes one too.
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        .url_schemes(HashSet::from(ALLOWED_SCHEMES))
        .url_relative(UrlRelative::Deny)
        // The app opens links in the system browser; the page must learn nothing either way.
        .link_rel(Some("noopener noreferrer nofollow"))
        .strip_comments(true);
    builder
});

/// Renders a Markdown note to sanitized HTML for the webview and for exports.
pub fn render(markdown: &str) -> String {
    let mut safe = SafeEvents::default();
    let events = flatten_deep(Parser::new_ext(markdown, options())).filter_map(|e| safe.rewrite(e));
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html, events);
    SANITIZER.clean(&html).to_string()
}

/// The note as plain text (for the search index and excerpts): inline markup dropped, link text
/// kept, block breaks as newlines, table cells separated by tabs.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(&t)
            }
            Event::SoftBreak => text.push(' '),
            Event::HardBreak | Event::Rule => break_line(&mut text),
            Event::Start(Tag::TableCell) => {}
            Event::End(TagEnd::TableCell) => text.push('\t'),
            Event::Start(tag) if is_block(tag.to_end()) => break_line(&mut text),
            Event::End(end) if is_block(end) => break_line(&mut text),
            _ => {}
        }
    }
    text.truncate(text.trim_end().len());
    text
}

/// Whether a link target may be kept: http, https and mailto only (case-insensitive scheme,
/// surrounding whitespace and control characters trimmed first). Anything without one of these
/// schemes, including relative and protocol-relative URLs, is refused.
pub fn is_allowed_link(url: &str) -> bool {
    let url = url.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    url.split_once(':').is_some_and(|(scheme, _)| {
        ALLOWED_SCHEMES
            .iter()
            .any(|allowed| scheme.eq_ignore_ascii_case(allowed))
    })
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Whether a tag is a block (or table structure) rather than inline markup.
fn is_block(end: TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn break_line(text: &mut String) {
    text.truncate(text.trim_end_matches([' ', '\t']).len());
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
}

/// Drops tags nested deeper than [`MAX_NESTING`] but keeps their content; a dropped block leaves
/// a line break so that the words of adjacent blocks stay apart. Kept tags stay balanced.
fn flatten_deep<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let (mut depth, mut broke) = (0usize, false);
    events.filter_map(move |event| {
        match event {
            Event::Start(_) => {
                depth += 1;
                if depth > MAX_NESTING {
                    return None;
                }
            }
            Event::End(end) => {
                depth -= 1;
                if depth >= MAX_NESTING {
                    // One break stands for a whole run of dropped block ends.
                    if broke || !is_block(end) {
                        return None;
                    }
                    broke = true;
                    return Some(Event::SoftBreak);
                }
            }
            _ => {}
        }
        broke = false;
        Some(event)
    })
}

/// Layer 1: rewrites events so that the HTML renderer can only emit safe markup.
#[derive(Default)]
struct SafeEvents {
    /// Whether each open link kept its target, so its end tag is kept or dropped alike.
    links: Vec<bool>,
    /// Open images (alt text may itself hold images); their content is shown as plain text.
    images: usize,
    alignments: Vec<Alignment>,
    in_table_head: bool,
    column: usize,
}

impl SafeEvents {
    fn rewrite<'a>(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        if self.images > 0 {
            return match event {
                Event::Start(Tag::Image { .. }) => {
                    self.images += 1;
                    None
                }
                Event::End(TagEnd::Image) => {
                    self.images -= 1;
                    (self.images == 0).then_some(Event::InlineHtml(CowStr::Borrowed("</span>")))
                }
                Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                    Some(Event::Text(t))
                }
                Event::SoftBreak | Event::HardBreak => Some(Event::Text(CowStr::Borrowed(" "))),
                _ => None,
            };
        }
        Some(match event {
            // Escaped by the renderer: the collector sees exactly what was written.
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
            Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
            Event::Start(Tag::Image { .. }) => {
                self.images = 1;
                Event::InlineHtml(CowStr::Borrowed(IMAGE_ALT_OPEN))
            }
            Event::Start(Tag::Link {
                link_type,
                ref dest_url,
                ..
            }) => {
                // The renderer prefixes email autolinks with `mailto:` itself.
                let kept = link_type == LinkType::Email || is_allowed_link(dest_url);
                self.links.push(kept);
                if !kept {
                    return None;
                }
                event
            }
            Event::End(TagEnd::Link) => {
                if self.links.pop() != Some(true) {
                    return None;
                }
                event
            }
            // Alignment goes into a class: pulldown-cmark would write a `style` attribute.
            Event::Start(Tag::Table(alignments)) => {
                self.alignments = alignments;
                Event::Start(Tag::Table(Vec::new()))
            }
            Event::Start(Tag::TableHead) => {
                self.in_table_head = true;
                self.column = 0;
                event
            }
            Event::End(TagEnd::TableHead) => {
                self.in_table_head = false;
                event
            }
            Event::Start(Tag::TableRow) => {
                self.column = 0;
                event
            }
            Event::Start(Tag::TableCell) => {
                let cell = if self.in_table_head { "th" } else { "td" };
                let class = match self.alignments.get(self.column) {
                    Some(Alignment::Left) => r#" class="align-left""#,
                    Some(Alignment::Center) => r#" class="align-center""#,
                    Some(Alignment::Right) => r#" class="align-right""#,
                    _ => "",
                };
                Event::InlineHtml(CowStr::from(format!("<{cell}{class}>")))
            }
            Event::End(TagEnd::TableCell) => {
                self.column += 1;
                let close = if self.in_table_head { "</th>" } else { "</td>" };
                Event::InlineHtml(CowStr::Borrowed(close))
            }
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tags of `html` with quoted attribute values left out, lower-cased: what the webview
    /// would act on. Text never holds a bare `<` or `>`, the serializer escapes them.
    fn markup(html: &str) -> String {
        let (mut tags, mut in_tag, mut in_value) = (String::new(), false, false);
        for c in html.chars() {
            if in_value {
                in_value = c != '"';
                continue;
            }
            match c {
                '<' => in_tag = true,
                '"' if in_tag => in_value = true,
                _ => {}
            }
            if in_tag && !in_value {
                tags.push(c.to_ascii_lowercase());
            }
            in_tag &= c != '>';
        }
        tags
    }

    #[track_caller]
    fn assert_inert(html: &str) {
        let tags = markup(html);
        for needle in [
            "<script", "<img", "<iframe", "<svg", "<style", "<form", "<object", "<embed", "<link",
            "<meta", "<base",
        ] {
            assert!(
                !html.to_ascii_lowercase().contains(needle),
                "{needle} would be a live element in {html:?}"
            );
        }
        for needle in ["onerror", "onload", "onclick", "src=", "style=", "id="] {
            assert!(
                !tags.contains(needle),
                "{needle} would be a live attribute in {html:?}"
            );
        }
    }

    #[test]
    fn raw_html_is_shown_as_escaped_text() {
        for note in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            r#"<a href="https://ok" onclick="x">ok</a>"#,
            r#"<iframe src="https://evil.example"></iframe>"#,
            "<svg onload=alert(1)>",
            "<style>body { display: none }</style>",
            r#"<form action="https://evil.example"><input name=q></form>"#,
            "<!-- <script>alert(1)</script> -->",
            "Inline <img src=x onerror=alert(1)> and <b onclick=x>bold</b> tags.",
        ] {
            let html = render(note);
            assert_inert(&html);
            assert!(
                html.contains("&lt;"),
                "raw HTML is shown as text, so its `<` must be escaped: {html:?}"
            );
            assert!(
                !markup(&html).contains("<a"),
                "no raw tag may become an element: {html:?}"
            );
        }
    }

    #[test]
    fn links_to_other_schemes_render_their_text_only() {
        for note in [
            "[x](javascript:alert(1))",
            "[x]( JaVaScRiPt:alert(1))",
            "[x](java&#x09;script:alert(1))",
            "[x](<\u{1}javascript:alert(1)>)",
            "[x](vbscript:msgbox(1))",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[x](file:///etc/passwd)",
            "[x](/relative/path)",
            "[x](//evil.example/a)",
            "[x][ref]\n\n[ref]: javascript:alert(1)",
        ] {
            let html = render(note);
            assert_inert(&html);
            assert_eq!(html.trim(), "<p>x</p>", "{note:?} must lose its link");
            assert!(!html.to_ascii_lowercase().contains("javascript:"));
        }
        let html = render("<javascript:alert(1)>");
        assert!(
            !html.contains("<a") && !html.contains("href"),
            "an autolink to a script scheme is only text: {html:?}"
        );
    }

    #[test]
    fn web_and_mail_links_keep_their_target_and_get_rel() {
        let rel = r#"rel="noopener noreferrer nofollow""#;
        for (note, href) in [
            (
                "[site](https://example.com/a?b=1&c=2)",
                "https://example.com/a?b=1&amp;c=2",
            ),
            ("[site](HTTP://example.com)", "HTTP://example.com"),
            ("[me](mailto:me@example.com)", "mailto:me@example.com"),
            ("<https://example.com/x>", "https://example.com/x"),
            ("<me@example.com>", "mailto:me@example.com"),
        ] {
            let html = render(note);
            assert!(
                html.contains(&format!(r#"href="{href}""#)) && html.contains(rel),
                "{note:?} is an allowed link and must stay one: {html:?}"
            );
        }
        let html = render(r#"[x](https://ok.example "\" onclick=\"alert(1)")"#);
        assert_inert(&html);
        assert!(
            html.contains("title=\"&quot; onclick=&quot;alert(1)\""),
            "a title is an escaped attribute value, never new attributes: {html:?}"
        );
    }

    #[test]
    fn images_render_as_alt_text_and_are_never_fetched() {
        for (note, alt) in [
            ("![a](https://evil.example/track.png)", "a"),
            (
                "![cover *art*](data:image/png;base64,iVBORw0KGgo=)",
                "cover art",
            ),
            ("![outer ![inner](x.png)](y.png)", "outer inner"),
        ] {
            let html = render(note);
            assert_inert(&html);
            assert!(
                html.contains(&format!(r#"<span class="image-alt">{alt}</span>"#)),
                "the image's alt text stands in for it: {html:?}"
            );
            assert!(
                !html.contains("evil.example") && !html.contains("data:"),
                "the image's address must not reach the page: {html:?}"
            );
        }
        let html = render("[![badge](https://evil.example/b.svg)](https://ok.example)");
        assert!(
            html.contains(r#"href="https://ok.example""#) && html.contains("image-alt"),
            "an image inside an allowed link keeps the link: {html:?}"
        );
    }

    #[test]
    fn second_layer_strips_what_the_first_never_emits() {
        let html = SANITIZER
            .clean(concat!(
                "<script>alert(1)</script><img src=x onerror=alert(1)>",
                r#"<a href="javascript:alert(1)" onclick="x">a</a><a href="//evil.example">b</a>"#,
                r#"<a href="data:text/html,x">c</a><iframe src="https://evil.example"></iframe>"#,
                "<svg onload=alert(1)></svg><style>p{}</style><!-- note -->",
                r#"<form action="https://evil.example"><input type="text" name="q"></form>"#,
                r#"<p id="x" style="color:red" class="image-alt">d</p>"#,
            ))
            .to_string();
        assert_inert(&html);
        for needle in [
            "javascript:",
            "data:",
            "evil.example",
            "<!--",
            "class=",
            "name=",
        ] {
            assert!(
                !html.contains(needle),
                "{needle} must be stripped: {html:?}"
            );
        }
        assert!(
            html.contains(r#"type="checkbox""#) && html.contains("disabled"),
            "any input is forced to a disabled checkbox: {html:?}"
        );
    }

    #[test]
    fn everyday_notes_still_render() {
        let html = render(concat!(
            "## Cues\n\n*soft* **loud** ~~cut~~ `code`\n\n",
            "- one\n- [x] done\n- [ ] todo\n\n3. third\n4. fourth\n\n",
            "> quoted\n\n```rust\nlet x = 1;\n```\n\n",
            "| Cue | Time |\n|:---|---:|\n| 1M1 | 2:10 |\n",
        ));
        assert_inert(&html);
        for expected in [
            "<h2>Cues</h2>",
            "<em>soft</em>",
            "<strong>loud</strong>",
            "<del>cut</del>",
            "<code>code</code>",
            "<li>one</li>",
            r#"<ol start="3">"#,
            "<blockquote>",
            "<pre><code>let x = 1;",
            r#"<th class="align-left">Cue</th>"#,
            r#"<td class="align-right">2:10</td>"#,
        ] {
            assert!(
                html.contains(expected),
                "{expected} is plain Markdown: {html:?}"
            );
        }
        assert_eq!(
            html.matches(r#"type="checkbox""#).count(),
            2,
            "both task items show a checkbox: {html:?}"
        );
    }

    #[test]
    fn deep_nesting_is_flattened_without_crashing() {
        for note in [
            format!("{} deep", ">".repeat(10_000)),
            format!("{}deep", "- ".repeat(10_000)),
            format!("{}deep{}", "*".repeat(20_000), "*".repeat(20_000)),
            format!(
                "{}deep{}",
                "[".repeat(10_000),
                "](https://x.example)".repeat(10_000)
            ),
        ] {
            let html = render(&note);
            assert!(
                html.contains("deep"),
                "deep content keeps its text: {:?}",
                &html[html.len().saturating_sub(200)..]
            );
            assert!(
                html.matches("<blockquote>").count() <= MAX_NESTING,
                "nesting is capped before HTML is parsed"
            );
            assert!(plain_text(&note).contains("deep"));
        }
    }

    #[test]
    fn a_note_of_a_mebibyte_renders_whole() {
        let mut note = String::new();
        let mut chunks = 0;
        while note.len() < MAX_NOTE_BYTES - 400 {
            chunks += 1;
            note.push_str(&format!(
                "## Cue {chunks}\n\n*Soft* strings, [link](https://example.com/{chunks}), \
                 ![cover](https://evil.example/{chunks}.png) <b onclick=x>raw</b>\n\n\
                 - item\n  > quote `code`\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n"
            ));
        }
        assert!(note.len() <= MAX_NOTE_BYTES);
        let html = render(&note);
        assert_inert(&html);
        assert!(
            html.contains(&format!("<h2>Cue {chunks}</h2>")),
            "the last chunk must be rendered too"
        );
        assert_eq!(
            html.matches("<table>").count(),
            chunks,
            "one table per chunk"
        );
        assert!(plain_text(&note).ends_with("1\t2"));
    }

    #[test]
    fn plain_text_keeps_words_and_drops_markup() {
        let text = plain_text(concat!(
            "# Title\n\nSome *soft* and [linked](https://x.example) text\nwith ![cover](c.png).\n\n",
            "- one\n- two\n  - nested\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<b>raw</b>",
        ));
        assert_eq!(
            text,
            "Title\nSome soft and linked text with cover.\none\ntwo\nnested\na\tb\n1\t2\n<b>raw</b>",
            "markup is dropped, words and block breaks are kept"
        );
    }

    #[test]
    fn only_web_and_mail_schemes_are_allowed_links() {
        for url in [
            "https://a.example",
            " HTTP://a.example\n",
            "\u{0}mailto:me@a.example",
        ] {
            assert!(is_allowed_link(url), "{url:?} is a web or mail link");
        }
        for url in [
            "javascript:alert(1)",
            "java\tscript:alert(1)",
            " JAVASCRIPT:alert(1)",
            "vbscript:x",
            "data:text/html,x",
            "file:///etc/passwd",
            "ftp://a.example",
            "/relative",
            "//evil.example",
            "#top",
            "https",
            "",
        ] {
            assert!(!is_allowed_link(url), "{url:?} must be refused");
        }
    }
}
